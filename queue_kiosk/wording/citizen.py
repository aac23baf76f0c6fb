"""What a citizen reads: the kiosk, the paper ticket, the status words, bookings."""

TEXTS: dict[str, tuple[str, str]] = {
    "ticket.unknown": (
        "Hôm nay, {day}, không có số {number}",
        "No ticket {number} today, {day}",
    ),
    "ticket.bad_number": (
        "Số thứ tự '{number}' không đúng dạng (ví dụ B015 hoặc 1001)",
        "Ticket number '{number}' is malformed (e.g. B015 or 1001)",
    ),
    "booking.disabled": (
        "Trung tâm chưa nhận đặt lịch hẹn: bật mục [appointments] enabled = true trong cấu "
        "hình rồi chạy init --config",
        "This centre takes no bookings: set [appointments] enabled = true in the hall "
        "configuration and run init --config",
    ),
    "booking.day": (
        "Không đặt lịch được cho ngày {day}: chỉ từ {first} đến {last}",
        "Cannot book {day}: bookings are open from {first} to {last}",
    ),
    "booking.no_capacity": (
        "Lĩnh vực {field} không nhận đặt lịch (không có quầy hoặc phần dành cho lịch hẹn "
        "quá nhỏ)",
        "{field} takes no bookings (no counter, or the booked share is too small)",
    ),
    "booking.no_slot": (
        "Không có khung giờ {time} ngày {day} còn đặt được: xem các khung giờ bằng "
        "`queue-kiosk book slots`",
        "No slot at {time} on {day} can be booked: see the slots with `queue-kiosk book slots`",
    ),
    "booking.full": ("Lĩnh vực {field} đã hết chỗ hẹn ngày {day}",
                     "{field} has no free slot left on {day}"),
    "booking.slot_full": ("Khung giờ {time} ngày {day} vừa hết chỗ: mời chọn khung giờ khác",
                          "The {time} slot on {day} has just filled up: choose another"),
    "booking.day_full": ("Lĩnh vực {field} đã đủ {cap} lịch hẹn ngày {day}",
                         "{field} has its {cap} bookings for {day} already"),
    "booking.time": ("'{time}' không phải giờ hợp lệ (HH:MM)", "'{time}' is not a time (HH:MM)"),
    "booking.phone": ("'{phone}' không phải số điện thoại Việt Nam: 10 chữ số bắt đầu bằng "
                      "0 (ví dụ 0901 234 567), hoặc +84 và 9 chữ số",
                      "'{phone}' is not a Vietnamese phone number: 10 digits starting with "
                      "0 (e.g. 0901 234 567), or +84 and 9 digits"),
    "booking.unknown": ("Không tìm thấy lịch hẹn mã {code}. Quý khách vui lòng kiểm tra lại mã.",
                        "No booking with the code {code}. Please check the code."),
    "booking.held_by_centre": (
        "Lịch hẹn {code} đã được chuyển về trung tâm: muốn hủy, vui lòng gọi điện cho trung tâm",
        "Booking {code} is with the centre now: to cancel it, please call the centre",
    ),
    "booking.not_booked": ("Lịch hẹn {code} không còn dùng được ({status})",
                           "Booking {code} can no longer be used ({status})"),
    "booking.gone": (
        "Lịch hẹn {code} là cho thủ tục trung tâm không còn tiếp nhận: mời Quý khách lấy số "
        "thường hoặc hỏi quầy hướng dẫn",
        "Booking {code} is for a procedure the centre no longer offers: please take a normal "
        "ticket or ask at the help desk",
    ),
    "booking.used": ("Lịch hẹn {code} vừa được dùng để lấy số",
                     "Booking {code} has just been checked in"),
    "booking.early": (
        "Lịch hẹn {code} ngày {day}: mời Quý khách quay lại lấy số từ {time}",
        "Booking {code}, {day}: please come back to check in from {time}",
    ),
    "booking.late": (
        "Lịch hẹn {code} đã quá giờ nhận ({time}): mời Quý khách lấy số thường",
        "Booking {code} passed its check-in time ({time}): please take a normal ticket",
    ),
    "ticket.taken": (
        "Số {number} đã được gọi tại quầy {counter} ({status}): không thể {action}",
        "Ticket {number} is already at counter {counter} ({status}): cannot {action}",
    ),
    "ticket.state": (
        "Số {number} đang ở trạng thái {status}: không thể {action}",
        "Ticket {number} is {status}: cannot {action}",
    ),
    "citizen.print.paper_out": ("Máy in hết giấy", "The printer is out of paper"),
    "citizen.print.offline": ("Máy in đang tạm ngừng hoạt động", "The printer is offline"),
    "citizen.print.failed": ("Máy in chưa in được", "The printer cannot print now"),
    "ticket.title": ("SỐ THỨ TỰ", "YOUR NUMBER"),
    "ticket.field": ("Lĩnh vực: {field}", "Service: {field}"),
    "ticket.priority": ("ƯU TIÊN", "PRIORITY"),
    "ticket.appointment": ("LỊCH HẸN: {code}", "BOOKING: {code}"),
    "ticket.go_to": ("Quầy giải quyết:", "Served at:"),
    "ticket.ahead": ("Số người chờ trước Quý khách: {ahead}", "People ahead of you: {ahead}"),
    "ticket.eta": (
        "Thời gian chờ dự kiến: khoảng {minutes} phút",
        "Estimated wait: about {minutes} min",
    ),
    "ticket.issued": ("Thời gian lấy số: {time}", "Issued: {time}"),
    "ticket.qr_url": (
        "Quét mã QR để theo dõi lượt của Quý khách",
        "Scan the QR code to follow your turn",
    ),
    "ticket.qr_code": ("Vui lòng giữ phiếu đến khi được phục vụ",
                       "Please keep this ticket until you are served"),
    "ticket.valid_today": ("Phiếu chỉ có giá trị trong ngày", "Valid on the day of issue only"),
    "ticket.thanks": ("Cảm ơn Quý khách!", "Thank you!"),
    "ticket.eta_soon": ("Sắp đến lượt Quý khách", "Your turn is coming up"),
    "ticket.counter": ("Quầy số {code} – {name}", "Counter {code} – {name}"),
    "ticket.test": ("IN THỬ – bảng chữ cái tiếng Việt", "TEST PRINT – the Vietnamese alphabet"),
    "status.waiting": ("Đang chờ", "Waiting"),
    "status.called": ("Đang mời", "Called"),
    "status.serving": ("Đang phục vụ", "Being served"),
    "status.done": ("Đã hoàn thành", "Done"),
    "status.no_show": ("Vắng mặt", "No-show"),
    "status.expired": ("Hết hạn", "Expired"),
    "status.cancelled": ("Đã hủy", "Cancelled"),
    "status.booked": ("Đã đặt lịch", "Booked"),
    "status.checked_in": ("Đã lấy số", "Checked in"),
    "status.missed": ("Lỡ hẹn", "Missed"),
    "field_state.open": ("Đang tiếp nhận", "Open"),
    "field_state.closed": ("Tạm ngừng tiếp nhận", "Closed"),
    "field_state.capped": ("Hết số hôm nay", "No tickets left today"),
    "field_state.no_counter": ("Chưa có quầy mở", "No counter open"),
    "field_state.opens": ("Tiếp nhận từ {when}", "Open from {when}"),
    "field_state.opens_short": ("Từ {when}", "From {when}"),
    "field_state.when_on": ("{at} {weekday}", "{at} on {weekday}"),
    "field_state.when_date": ("{at} ngày {day}", "{at} on {day}"),
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
    "kiosk.go_to": ("Quầy giải quyết: {counters}", "Served at: {counters}"),
    "kiosk.counter": ("Quầy số {code}", "Counter {code}"),
    "kiosk.ahead": ("Số người chờ trước Quý khách: {ahead}", "People ahead of you: {ahead}"),
    "kiosk.eta_long_soon": ("Sắp đến lượt Quý khách", "Your turn is coming up"),
    "kiosk.eta_long": ("Thời gian chờ dự kiến: khoảng {minutes} phút",
                       "Estimated wait: about {minutes} min"),
    "kiosk.printing": ("Đang in phiếu…", "Printing your ticket…"),
    "kiosk.printed": ("Đã in phiếu. Mời Quý khách nhận phiếu.",
                      "Printed. Please take your ticket."),
    "kiosk.print_failed": (
        "{reason}. Quý khách vui lòng báo cán bộ hướng dẫn. Số của Quý khách vẫn có hiệu lực: "
        "xin ghi nhớ hoặc chụp lại số trên màn hình.",
        "{reason}. Please tell the help desk. Your number is still valid: please remember or "
        "photograph it.",
    ),
    "kiosk.done": ("Chạm vào màn hình để tiếp tục", "Tap the screen to continue"),
    "kiosk.issuing": ("Đang cấp số…", "Issuing your number…"),
    "kiosk.booked": ("Tôi có lịch hẹn (phím +)", "I have a booking (key +)"),
    "kiosk.booked_title": ("Nhập mã lịch hẹn hoặc quét mã QR, rồi bấm Enter",
                           "Type your booking code or scan its QR, then Enter"),
    "kiosk.booked_take": ("LẤY SỐ THEO LỊCH HẸN (Enter)", "GET MY NUMBER (Enter)"),
    "kiosk.walk_in_instead": ("Lấy số thường: {field}", "Take a normal number: {field}"),
    "booking.disabled_page": ("Trung tâm chưa nhận đặt lịch hẹn trực tuyến.",
                              "This centre does not take bookings online."),
    "booking.full_page": ("Lĩnh vực {field} đã hết chỗ hẹn trong những ngày tới. Mời Quý "
                          "khách lấy số tại trung tâm.",
                          "{field} has no free slot in the coming days. Please take a number "
                          "at the centre."),
    "identity.not_card": (
        "Mã vừa quét không phải mã QR của CCCD, thẻ căn cước hay VNeID: vui lòng quét lại "
        "mặt có mã QR",
        "This is not the QR code of a CCCD, ID card or VNeID: please scan the side with the "
        "QR code again",
    ),
    "identity.number": (
        "Số định danh phải có đúng 12 chữ số: vui lòng kiểm tra và nhập lại",
        "An ID number has exactly 12 digits: please check it and type it again",
    ),
    "identity.date": (
        "Ngày sinh đọc được trên thẻ không hợp lệ: vui lòng quét lại hoặc nhập số định danh",
        "The date of birth read from the card is not a valid date: please scan again or type "
        "the ID number",
    ),
    "identity.held_field": (
        "Quý khách đã có số {number} cho {field} hôm nay",
        "You already hold number {number} for {field} today",
    ),
    "identity.held_day": (
        "Quý khách đã lấy đủ {limit} số hôm nay ({numbers})",
        "You have already taken {limit} numbers today ({numbers})",
    ),
    "identity.booked": (
        "Quý khách đã có lịch hẹn {code} cho {field} ngày {day}",
        "You already have booking {code} for {field} on {day}",
    ),
    "identity.notice": (
        "Chỉ đọc số định danh và ngày sinh để xét ưu tiên và chia số công bằng; không lưu số, "
        "họ tên hay ảnh thẻ.",
        "Only the ID number and date of birth are read, for priority and a fair share of "
        "numbers; no number, name or card image is kept.",
    ),
    "identity.elderly_offer": (
        "Quý khách từ đủ {age} tuổi: mời xác nhận lấy số ưu tiên {category}",
        "You are {age} or over: please confirm a {category} priority number",
    ),
    "kiosk.identity_read": ("✓ Đã đọc CCCD", "✓ ID card read"),
    "kiosk.show_held": ("Xem số {number}", "Show number {number}"),
    "kiosk.keypad": ("Nhập số CCCD (phím #)", "Type ID number (key #)"),
    "kiosk.keypad_title": ("Mời nhập 12 chữ số trên CCCD", "Please type the 12-digit ID number"),
    "kiosk.keypad_ok": ("Xác nhận (Enter)", "Confirm (Enter)"),
    "weekday_long.0": ("Thứ Hai", "Monday"),
    "weekday_long.1": ("Thứ Ba", "Tuesday"),
    "weekday_long.2": ("Thứ Tư", "Wednesday"),
    "weekday_long.3": ("Thứ Năm", "Thursday"),
    "weekday_long.4": ("Thứ Sáu", "Friday"),
    "weekday_long.5": ("Thứ Bảy", "Saturday"),
    "weekday_long.6": ("Chủ nhật", "Sunday"),
    # Within a sentence ("Tiếp nhận từ 07:30 thứ Ba").
    "weekday_in.0": ("thứ Hai", "Monday"),
    "weekday_in.1": ("thứ Ba", "Tuesday"),
    "weekday_in.2": ("thứ Tư", "Wednesday"),
    "weekday_in.3": ("thứ Năm", "Thursday"),
    "weekday_in.4": ("thứ Sáu", "Friday"),
    "weekday_in.5": ("thứ Bảy", "Saturday"),
    "weekday_in.6": ("chủ nhật", "Sunday"),
    "calendar.closed_today": (
        "Hôm nay, {day}{why}, Trung tâm không làm việc. Mời Quý khách quay lại {next} "
        "từ {opens}.",
        "Today, {day}{why}, the centre is closed. Please come back on {next} from {opens}.",
    ),
    "calendar.closed_no_next": (
        "Hôm nay, {day}{why}, Trung tâm không làm việc.",
        "Today, {day}{why}, the centre is closed.",
    ),
    "calendar.over_today": (
        "Trung tâm đã hết giờ làm việc hôm nay, {day}. Mời Quý khách quay lại {next} "
        "từ {opens}.",
        "The centre has closed for today, {day}. Please come back on {next} from {opens}.",
    ),
    "calendar.over_no_next": (
        "Trung tâm đã hết giờ làm việc hôm nay, {day}.",
        "The centre has closed for today, {day}.",
    ),
    "calendar.later_today": (
        "Ngoài giờ làm việc. Mời Quý khách quay lại lúc {opens} hôm nay (giờ làm việc: "
        "{hours}).",
        "Closed now. Please come back at {opens} today (opening hours: {hours}).",
    ),
    "calendar.closed_day": (
        "{day}{why}, Trung tâm không làm việc. Mời Quý khách chọn ngày khác, gần nhất là "
        "{next}.",
        "On {day}{why} the centre is closed. Please choose another day; the nearest is "
        "{next}.",
    ),
    "calendar.settled_next": (
        "Hồ sơ nhận từ {cutoff} được giải quyết vào {day}.",
        "Dossiers received from {cutoff} are settled on {day}.",
    ),
}
