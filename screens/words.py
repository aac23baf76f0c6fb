"""Provides the wording of the screens in Vietnamese and English."""

from __future__ import annotations

from typing import Any

from queue_kiosk.messages import pick

WORDS: dict[str, tuple[str, str]] = {
    # kiosk
    "kiosk.choose": ("Mời Quý khách chọn lĩnh vực cần giải quyết",
                     "Please choose the service you need"),
    "kiosk.hint": ("Chạm vào lĩnh vực hoặc bấm số tương ứng",
                   "Tap a service or press its number"),
    "kiosk.waiting": ("{waiting} người đang chờ", "{waiting} waiting"),
    "kiosk.eta": ("~{minutes} phút", "~{minutes} min"),
    "kiosk.confirm_title": ("Xác nhận lấy số", "Confirm your ticket"),
    "kiosk.take": ("LẤY SỐ (Enter)", "TAKE A NUMBER (Enter)"),
    "kiosk.priority": ("Ưu tiên… (phím *)", "Priority… (key *)"),
    "kiosk.back": ("Quay lại (Esc)", "Back (Esc)"),
    "kiosk.priority_title": ("Đối tượng ưu tiên", "Priority category"),
    "kiosk.priority_confirm": (
        "Quý khách xác nhận thuộc đối tượng ưu tiên: {category}?",
        "Do you confirm you are: {category}?",
    ),
    "kiosk.yes": ("Đúng, lấy số ưu tiên", "Yes, take a priority number"),
    "kiosk.no": ("Không", "No"),
    "kiosk.procedure_title": ("Chọn thủ tục (có thể bỏ qua)", "Choose a procedure (optional)"),
    "kiosk.skip": ("Bỏ qua", "Skip"),
    "kiosk.your_number": ("SỐ THỨ TỰ CỦA QUÝ KHÁCH", "YOUR NUMBER"),
    "kiosk.go_to": ("Mời đến quầy: {counters}", "Please go to counter: {counters}"),
    "kiosk.ahead": ("Số người đang chờ trước: {ahead}", "People ahead of you: {ahead}"),
    "kiosk.eta_long": ("Thời gian chờ dự kiến: khoảng {minutes} phút",
                       "Estimated wait: about {minutes} min"),
    "kiosk.printing": ("Đang in phiếu…", "Printing your ticket…"),
    "kiosk.printed": ("Đã in phiếu. Mời Quý khách nhận phiếu.",
                      "Printed. Please take your ticket."),
    "kiosk.print_failed": (
        "Máy in gặp sự cố ({reason}). Số của Quý khách vẫn có hiệu lực: xin ghi nhớ hoặc chụp "
        "lại số trên màn hình.",
        "The printer failed ({reason}). Your number is still valid: please remember or "
        "photograph it.",
    ),
    "kiosk.done": ("Chạm vào màn hình để tiếp tục", "Tap the screen to continue"),
    "kiosk.closed_hours": ("Ngoài giờ làm việc. Giờ làm việc hôm nay: {hours}",
                           "Closed now. Opening hours today: {hours}"),
    "kiosk.slow_down": ("Vui lòng chờ giây lát rồi lấy số tiếp", "Please wait a moment"),
    "kiosk.issuing": ("Đang cấp số…", "Issuing your number…"),
    # store
    "store.opening": ("Đang khởi động…", "Starting…"),
    "store.down": ("Mất kết nối cơ sở dữ liệu, đang thử lại… ({detail})",
                   "Lost the database connection, retrying… ({detail})"),
    # admin
    "admin.title": ("Thoát chế độ kiosk: cần quản trị viên", "Leave kiosk mode: administrator"),
    "admin.code": ("Mã cán bộ", "Staff code"),
    "admin.pin": ("Mã PIN", "PIN"),
    "admin.ok": ("Đồng ý", "OK"),
    "admin.cancel": ("Hủy", "Cancel"),
    # counter
    "counter.login_title": ("Đăng nhập quầy", "Counter sign-in"),
    "counter.choose": ("Chọn quầy làm việc", "Choose your counter"),
    "counter.sign_in": ("Đăng nhập", "Sign in"),
    "counter.title": ("QUẦY {code} – {name} · Cán bộ: {staff}",
                      "COUNTER {code} – {name} · {staff}"),
    "counter.paused": ("TẠM DỪNG: {reason}", "PAUSED: {reason}"),
    "counter.current": ("Số đang phục vụ", "Current ticket"),
    "counter.none": ("Chưa gọi số nào. Bấm F1 để gọi số tiếp theo.",
                     "No ticket. Press F1 to call the next one."),
    "counter.field": ("Lĩnh vực: {field}", "Service: {field}"),
    "counter.procedure": ("Thủ tục: {procedure}", "Procedure: {procedure}"),
    "counter.priority": ("Ưu tiên: {category}", "Priority: {category}"),
    "counter.waited": ("Đã chờ: {minutes} phút", "Waited: {minutes} min"),
    "counter.status": ("Trạng thái: {status}", "Status: {status}"),
    "counter.recalls": ("Số lần gọi lại: {recalls}", "Recalls: {recalls}"),
    "counter.waiting_title": ("Đang chờ ({count})", "Waiting ({count})"),
    "counter.col_number": ("Số", "Number"),
    "counter.col_field": ("Lĩnh vực", "Service"),
    "counter.col_waited": ("Đã chờ", "Waited"),
    "counter.col_priority": ("Ưu tiên", "Priority"),
    "counter.figures": ("Hôm nay: đã phục vụ {served} · vắng mặt {no_shows} · "
                        "trung bình {average} phút/lượt",
                        "Today: served {served} · no-shows {no_shows} · "
                        "{average} min per citizen"),
    "counter.busy_title": ("Quầy đang có số {number}. Xử lý số này thế nào?",
                           "{number} is still at this counter. What happened?"),
    "counter.transfer_title": ("Chuyển số {number} đến", "Transfer {number} to"),
    "counter.pause_title": ("Lý do tạm dừng", "Reason for the pause"),
    "counter.number_title": ("Gọi số cụ thể (gõ số hoặc quét mã QR)",
                             "Call a specific number (type it or scan the QR)"),
    "counter.rating_title": ("Mời Quý khách đánh giá mức độ hài lòng (bấm số)",
                             "Please rate the service (press a number)"),
    "counter.rated": ("Cảm ơn Quý khách đã đánh giá", "Thank you for your rating"),
    "counter.nobody": ("Không có ai đang chờ", "Nobody is waiting"),
    "counter.became_no_show": ("Số {number} đã gọi quá số lần cho phép: chuyển vắng mặt",
                               "{number} reached the recall limit: marked no-show"),
    "action.call_next": ("Gọi số tiếp theo", "Call next"),
    "action.recall": ("Gọi lại", "Recall"),
    "action.start": ("Bắt đầu", "Start"),
    "action.finish": ("Hoàn thành", "Finish"),
    "action.no_show": ("Vắng mặt", "No-show"),
    "action.transfer": ("Chuyển", "Transfer"),
    "action.pause": ("Tạm dừng", "Pause"),
    "action.resume": ("Tiếp tục", "Resume"),
    "action.call_number": ("Gọi số…", "Call number…"),
    "action.cancel": ("Hủy", "Cancel"),
    # display
    "display.calling": ("MỜI CÔNG DÂN CÓ SỐ {number} ĐẾN QUẦY SỐ {counter}",
                        "NUMBER {number} PLEASE GO TO COUNTER {counter}"),
    "display.counter": ("QUẦY SỐ {code}", "COUNTER {code}"),
    "display.serving": ("ĐANG PHỤC VỤ", "NOW SERVING"),
    "display.calling_state": ("ĐANG MỜI", "CALLING"),
    "display.idle": ("—", "—"),
    "display.paused": ("Quầy tạm dừng: {reason}", "Counter paused: {reason}"),
    "display.recent": ("VỪA GỌI", "RECENT CALLS"),
    "display.waiting": ("ĐANG CHỜ", "WAITING"),
    "display.printer_failed": ("⚠ MÁY IN PHIẾU ĐANG LỖI – xin liên hệ cán bộ hướng dẫn",
                               "⚠ TICKET PRINTER FAILED – please ask the help desk"),
    # modes
    "mode.kiosk": ("Kiosk lấy số", "Kiosk"),
    "mode.counter": ("Quầy", "Counter"),
    "mode.display": ("Màn hình phòng chờ", "Hall display"),
}


def word(key: str, lang: str = "vi", /, **params: Any) -> str:
    return pick(WORDS, key, lang, **params)
