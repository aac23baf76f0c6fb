"""The counter screen and its administrator's menu: actions, dialogs, sign-in."""

TEXTS: dict[str, tuple[str, str]] = {
    "counter.unknown": (
        "Không có quầy '{code}' (có: {known})",
        "No counter '{code}' (known: {known})",
    ),
    "counter.busy": (
        "Quầy số {counter} đang có số {number} ({status}): hoàn thành, báo vắng hoặc chuyển trước",
        "Counter {counter} still has {number} ({status}): finish, mark no-show or transfer first",
    ),
    "counter.idle": (
        "Quầy số {counter} không có số nào đang gọi hay phục vụ",
        "Counter {counter} has no ticket called or being served",
    ),
    "counter.paused": (
        "Quầy số {counter} đang tạm dừng ({reason}): chọn Tiếp tục trước khi gọi số",
        "Counter {counter} is paused ({reason}): resume it before calling",
    ),
    "counter.not_paused": (
        "Quầy số {counter} không tạm dừng",
        "Counter {counter} is not paused",
    ),
    "counter.field_not_served": (
        "Quầy số {counter} không phục vụ lĩnh vực {field} của số {number}",
        "Counter {counter} does not serve {field}, the field of {number}",
    ),
    "verb.call": ("gọi số", "call it"),
    "verb.recall": ("gọi lại", "recall it"),
    "verb.start": ("bắt đầu phục vụ", "start serving it"),
    "verb.finish": ("hoàn thành", "finish it"),
    "verb.no-show": ("báo vắng", "mark it absent"),
    "verb.transfer": ("chuyển", "transfer it"),
    "verb.return": ("đưa lại vào hàng chờ", "put it back in line"),
    "admin.title": ("Thoát chế độ kiosk: cần quản trị viên", "Leave kiosk mode: administrator"),
    "admin.code": ("Mã cán bộ", "Staff code"),
    "admin.pin": ("Mã PIN", "PIN"),
    "admin.ok": ("Đồng ý", "OK"),
    "admin.cancel": ("Hủy", "Cancel"),
    "counter.login_title": ("Đăng nhập quầy", "Counter sign-in"),
    "counter.choose": ("Chọn quầy làm việc", "Choose your counter"),
    "counter.sign_in": ("Đăng nhập", "Sign in"),
    "counter.title": ("QUẦY SỐ {code} – {name} · Cán bộ: {staff}",
                      "COUNTER {code} – {name} · {staff}"),
    "counter.paused_title": ("TẠM DỪNG: {reason}", "PAUSED: {reason}"),
    "counter.current": ("Số đang phục vụ", "Current ticket"),
    "counter.none": ("Chưa gọi số nào. Bấm F1 để gọi số tiếp theo.",
                     "No ticket. Press F1 to call the next one."),
    "counter.field": ("Lĩnh vực: {field}", "Service: {field}"),
    "counter.procedure": ("Thủ tục: {procedure}", "Procedure: {procedure}"),
    "counter.priority": ("Ưu tiên: {category}", "Priority: {category}"),
    "counter.appointment": ("Có lịch hẹn: {code}", "Booked: {code}"),
    "counter.booked": ("Lịch hẹn", "Booked"),
    "counter.bookings_title": ("Lịch hẹn", "Bookings"),
    "counter.bookings_today": ("Lịch hẹn hôm nay", "Today's bookings"),
    "counter.book_for": ("Đặt lịch cho công dân gọi điện", "Book for a citizen on the phone"),
    "counter.book_field": ("Đặt lịch: lĩnh vực", "Booking: the field"),
    "counter.book_day": ("Đặt lịch: ngày", "Booking: the day"),
    "counter.book_time": ("Đặt lịch: giờ", "Booking: the time"),
    "counter.book_phone": ("Số điện thoại của công dân (có thể để trống), rồi Enter",
                           "The citizen's phone number (may be left empty), then Enter"),
    "counter.booked_code": ("Đã đặt lịch: mã {code}, ngày {day} lúc {start}. Đọc mã cho "
                            "công dân.",
                            "Booked: code {code}, {day} at {start}. Read the code to the "
                            "citizen."),
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
    "counter.no_show_confirm": ("Báo vắng mặt số {number}?", "Mark {number} as a no-show?"),
    "counter.became_no_show": ("Số {number} đã gọi quá số lần cho phép: chuyển vắng mặt",
                               "{number} reached the recall limit: marked no-show"),
    "action.call_next": ("Gọi số tiếp", "Call next"),
    "action.recall": ("Gọi lại", "Recall"),
    "action.start": ("Bắt đầu", "Start"),
    "action.finish": ("Hoàn thành", "Finish"),
    "action.no_show": ("Vắng mặt", "No-show"),
    "action.transfer": ("Chuyển", "Transfer"),
    "action.pause": ("Tạm dừng", "Pause"),
    "action.resume": ("Tiếp tục", "Resume"),
    "action.call_number": ("Gọi số…", "Call number…"),
    "action.cancel": ("Hủy", "Cancel"),
    "counter.name": ("Quầy số {code}", "Counter {code}"),
    "counter.menu_title": ("Menu", "Menu"),
    "counter.sign_out": ("Đăng xuất", "Sign out"),
    "counter.quit": ("Đăng xuất và thoát chương trình", "Sign out and quit"),
    "counter.close_day": ("Kết thúc ngày làm việc", "End the working day"),
    "counter.close_day_confirm": (
        "Kết thúc ngày? Các số còn chờ và đã gọi sẽ hết hạn (trừ khi chính sách chuyển sang "
        "hôm sau), lịch hẹn chưa đến bị đánh dấu lỡ hẹn.",
        "End the day? Waiting and called numbers expire (unless the policy carries them "
        "over) and bookings never checked in are marked missed.",
    ),
    "counter.signed_out": ("{staff} đã đăng xuất", "{staff} signed out"),
    "counter.held": (
        "Quầy số {code} đang do cán bộ {staff} đăng nhập từ {since}. Nếu đăng nhập thay, "
        "cán bộ đó sẽ bị đăng xuất.",
        "Counter {code} is signed in by {staff} since {since}. If you sign in instead, they "
        "will be signed out.",
    ),
    "counter.take_over": ("Đăng nhập thay", "Sign in instead"),
    "counter.taken_over": (
        "Cán bộ {staff} đã đăng nhập Quầy số {code} ở máy khác: phiên làm việc tại đây đã "
        "đăng xuất",
        "{staff} signed in at counter {code} elsewhere: you were signed out here",
    ),
    "counter.voice_problem": (
        "⚠ Loa gọi số ở phòng chờ đang gặp sự cố: công dân chỉ thấy số trên màn hình. Hãy "
        "mời công dân bằng lời và báo bộ phận kỹ thuật.",
        "⚠ The hall's voice calls are not working: citizens only see their number on the "
        "screen. Call them out loud and tell the technician.",
    ),
    "counter.idle_signed_out": ("Đã tự đăng xuất sau {minutes} phút không thao tác",
                                "Signed out after {minutes} min without activity"),
    "action.menu": ("Menu", "Menu"),
    "action.bookings": ("Lịch hẹn", "Bookings"),
    "action.close": ("Đóng", "Close"),
    "admin.none_title": ("Chưa có tài khoản quản trị", "No administrator yet"),
    "admin.none": (
        "Không ai mở được kiosk khóa khi chưa có tài khoản quản trị. Trên máy này, chạy: "
        "queue-kiosk staff add MÃ --name \"Họ tên\" --role admin. Bấm Đồng ý để thoát.",
        "Nobody can open a locked kiosk before an administrator exists. On this machine, run: "
        "queue-kiosk staff add CODE --name \"Full name\" --role admin. Press OK to leave.",
    ),
    "identity.verified": ("Đã xác thực CCCD", "ID verified"),
    "identity.match": ("Đúng người lấy số {number}", "Same person who took {number}"),
    "identity.mismatch": (
        "Cảnh báo: CCCD vừa quét không phải của người đã lấy số {number}",
        "Warning: this ID is not the one number {number} was taken with",
    ),
    "identity.unverified": (
        "Số {number} không lấy bằng CCCD: không có gì để đối chiếu",
        "Number {number} was not taken with an ID card: there is nothing to compare",
    ),
}
