"""The command line's own output, the demo and the simulator."""

TEXTS: dict[str, tuple[str, str]] = {
    "cli.printed": ("Đã in số {number} ({where})", "Printed {number} ({where})"),
    "cli.no_admin": (
        "Chưa có tài khoản quản trị: kiosk khóa cần một tài khoản để mở. Tạo bằng "
        "`queue-kiosk staff add MÃ --name \"Họ tên\" --role admin` (PIN hỏi khi chạy)",
        "No administrator yet: a locked kiosk needs one to open it. Create one with "
        "`queue-kiosk staff add CODE --name \"Full name\" --role admin` (the PIN is asked for)",
    ),
    "cli.priorities": ("Đối tượng ưu tiên: {categories}", "Priority categories: {categories}"),
    "cli.rating_levels": ("Mức đánh giá: {levels}", "Rating levels: {levels}"),
    "cli.no_public_url": (
        "Chưa đặt site.public_url: mã QR trên phiếu chỉ quầy quét được, điện thoại của công "
        "dân không mở được. Đặt địa chỉ của `queue-kiosk serve` (ví dụ "
        "public_url = \"http://192.168.1.10:8080\") trong mục [site] rồi chạy init --config",
        "site.public_url is not set: the ticket's QR code is for counters' scanners only, a "
        "citizen's phone cannot open it. Set the address of `queue-kiosk serve` (e.g. "
        "public_url = \"http://192.168.1.10:8080\") in [site], then run init --config",
    ),
    "cli.file": (
        "Không dùng được tệp {path}: {reason} (kiểm tra thư mục và quyền ghi)",
        "Cannot use the file {path}: {reason} (check the folder and permissions)",
    ),
    "cli.issued": (
        "Đã cấp số {number} · {field}{procedure} · đến quầy {counters} · {ahead} người chờ trước"
        " · dự kiến {eta}",
        "Issued {number} · {field}{procedure} · go to counter {counters} · {ahead} ahead"
        " · about {eta}",
    ),
    "cli.minutes": ("{minutes} phút", "{minutes} min"),
    "cli.unknown_eta": ("chưa rõ", "unknown"),
    "cli.booking": ("{booking} · {field} · {day} {start}–{end} · {status}",
                    "{booking} · {field} · {day} {start}–{end} · {status}"),
    "cli.no_bookings": ("Không có lịch hẹn ngày {day}", "No bookings on {day}"),
    "cli.slot": ("{start}–{end}: còn {free}/{capacity} chỗ",
                 "{start}–{end}: {free} of {capacity} free"),
    "cli.bookings_missed": ("{missed} lịch hẹn không đến lấy số: đánh dấu lỡ hẹn",
                            "{missed} bookings never checked in: marked missed"),
    "cli.ticket": (
        "{number} · {field} · {status}{counter}",
        "{number} · {field} · {status}{counter}",
    ),
    "cli.at_counter": (" · quầy {counter}", " · counter {counter}"),
    "cli.nobody_waiting": (
        "Quầy số {counter}: không có ai đang chờ",
        "Counter {counter}: nobody is waiting",
    ),
    "cli.called": (
        "Mời công dân có số {number} đến quầy số {counter} ({field})",
        "Calling {number} to counter {counter} ({field})",
    ),
    "cli.paused": ("Quầy số {counter} tạm dừng: {reason}", "Counter {counter} paused: {reason}"),
    "cli.resumed": ("Quầy số {counter} tiếp tục phục vụ", "Counter {counter} resumed"),
    "cli.identity_key": (
        "Đã tạo khoá băm số CCCD: {path} (chỉ chủ tệp đọc được; mọi máy lấy số và máy quầy "
        "của trung tâm cần cùng một tệp này)",
        "Made the key that hashes ID numbers: {path} (readable by its owner only; every kiosk "
        "and counter PC of the centre needs this same file)",
    ),
    "cli.initialised": (
        "Cơ sở dữ liệu sẵn sàng: {url} (phiên bản {revision})",
        "Database ready: {url} (schema {revision})",
    ),
    "cli.loaded": (
        "Đã nạp trung tâm {site}: {fields} lĩnh vực, {procedures} thủ tục, {counters} quầy",
        "Loaded centre {site}: {fields} fields, {procedures} procedures, {counters} counters",
    ),
    "cli.deactivated": (
        "Ngừng dùng (không còn trong tệp cấu hình): {codes}",
        "Deactivated (no longer in the configuration): {codes}",
    ),
    "cli.warning": ("Cảnh báo: {detail}", "Warning: {detail}"),
    "cli.day_closed": (
        "Đã kết thúc ngày {day}: {expired} số hết hạn, {carried} số chuyển sang ngày làm việc "
        "tiếp theo ({next}){serving}",
        "Closed {day}: {expired} tickets expired, {carried} carried over to the next working "
        "day ({next}){serving}",
    ),
    "cli.still_serving": (" · còn đang phục vụ: {numbers}", " · still being served: {numbers}"),
    "cli.field_closed": (
        "Đã tạm ngừng tiếp nhận hồ sơ lĩnh vực {field}; đã hủy {cancelled} số đang chờ",
        "Closed {field}; {cancelled} waiting tickets cancelled",
    ),
    "cli.field_reopened": ("Đã tiếp nhận lại hồ sơ lĩnh vực {field}",
                           "{field} takes tickets again"),
    "cli.rated": ("Đã ghi nhận đánh giá cho số {number}", "Rating recorded for {number}"),
    "cli.usage": ("{detail} (xem `queue-kiosk --help`)", "{detail} (see `queue-kiosk --help`)"),
    "demo.folder": ("Trung tâm demo tại {folder}", "Demo centre in {folder}"),
    "demo.previews": ("Phiếu in thử (PNG): {folder}", "Ticket previews (PNG): {folder}"),
    "demo.counter": ("Đăng nhập quầy: mã {staff}, PIN {pin}",
                     "Counter sign-in: code {staff}, PIN {pin}"),
    "demo.admin": ("Quản trị: mã {staff}, PIN {pin}", "Admin: code {staff}, PIN {pin}"),
    "demo.cleaned": ("Đã xóa trung tâm demo {folder}", "Removed the demo centre {folder}"),
    "demo.keys": ("F12: chuyển màn hình (kiosk → quầy → màn hình chờ) · Ctrl+Q: thoát",
                  "F12: next screen (kiosk → counter → display) · Ctrl+Q: quit"),
    "simulate.summary": (
        "{tickets} số, {counters} quầy, {mode}: chờ trung bình {mean}′, 95% không quá {p95}′, "
        "lâu nhất {max}′; xong việc sau {day}′; vượt lượt {overtakes}",
        "{tickets} tickets, {counters} counters, {mode}: wait mean {mean}′, 95% within {p95}′, "
        "max {max}′; day ends after {day}′; overtakes {overtakes}",
    ),
    "simulate.col_field": ("Lĩnh vực", "Field"),
    "simulate.col_tickets": ("Số phiếu", "Tickets"),
    "simulate.col_mean": ("Chờ TB", "Mean wait"),
    "simulate.col_p95": ("95% chờ không quá", "95% wait at most"),
    "simulate.col_max": ("Lâu nhất", "Longest"),
    "simulate.late": (
        "Kết luận: hàng chờ không hết trong giờ làm việc: {waiting} công dân vẫn còn chờ khi "
        "hết {hours} giờ làm việc. Cần thêm quầy hoặc cho quầy khác hỗ trợ lĩnh vực chờ lâu.",
        "Verdict: the queue would not empty before closing: {waiting} citizens still waiting "
        "at the end of the {hours}-hour day. Open another counter or let others help the "
        "slowest field.",
    ),
    "simulate.on_time": (
        "Kết luận: mọi công dân được gọi trong {hours} giờ làm việc.",
        "Verdict: every citizen is called within the {hours}-hour working day.",
    ),
    "simulate.compared": (
        "Với {counters} quầy thay vì {hall}: 95% chờ không quá {p95}′ thay vì {hall_p95}′; "
        "còn chờ khi hết giờ {waiting} thay vì {hall_waiting}.",
        "With {counters} counters instead of {hall}: 95% wait at most {p95}′ instead of "
        "{hall_p95}′; still waiting at closing {waiting} instead of {hall_waiting}.",
    ),
    "simulate.appointments": (
        "Lịch hẹn ({share} công dân đặt trước): {booked} người có lịch chờ từ giờ hẹn TB "
        "{mean}′, 95% không quá {p95}′; cả ngày TB {all_mean}′, 95% không quá {all_p95}′ so với "
        "{walk_mean}′, 95% không quá {walk_p95}′ khi mọi người đến trực tiếp.",
        "Bookings ({share} of citizens book ahead): {booked} booked citizens wait from their "
        "slot mean {mean}′, 95% within {p95}′; the whole day mean {all_mean}′, 95% within "
        "{all_p95}′ against {walk_mean}′, 95% within {walk_p95}′ with everyone walking in.",
    ),
    "simulate.extra_counter": (
        "  Quầy {counter} (thêm) nhận các lĩnh vực như Quầy {like}: {fields}",
        "  Counter {counter} (added) serves what counter {like} does: {fields}",
    ),
    "simulate.pooled": (
        "  so sánh một hàng chung: trung bình {mean}′, 95% không quá {p95}′, lâu nhất {max}′",
        "  pooled first-come-first-served baseline: mean {mean}′, 95% within {p95}′, max {max}′",
    ),
    "notify.no_command": (
        "Cấu hình không có [notify] command: không có thông báo nào để gửi",
        "The hall has no [notify] command: there are no notices to deliver",
    ),
    "notify.attempted": ("Đã gửi thử {count} thông báo", "Attempted {count} notices"),
    "notify.serving": (
        "queue-kiosk notify: đang gửi thông báo của trung tâm {site} (Ctrl+C để dừng)",
        "queue-kiosk notify: delivering the notices of centre {site} (Ctrl+C to stop)",
    ),
    "warm.lost": (
        "tiến trình chạy lệnh (khởi động nhanh) đã dừng giữa chừng, không có mã kết thúc: "
        "xem lệnh đã có tác dụng chưa, hoặc chạy lại với {variable}=0",
        "the warm helper's worker stopped without an exit status; see whether the command "
        "took effect, or run it with {variable}=0",
    ),
    "calendar.open": ("làm việc {hours}", "open {hours}"),
    "calendar.extra": ("làm việc {hours} – {reason}", "open {hours} – {reason}"),
    "calendar.holiday": ("nghỉ lễ – {reason}", "public holiday – {reason}"),
    "calendar.closed": ("nghỉ – {reason}", "closed – {reason}"),
    "calendar.weekly": ("nghỉ", "closed"),
    "calendar.row": ("{day}: {state}", "{day}: {state}"),
    "calendar.changed": ("Đã đặt lịch làm việc: {day}: {state}", "Calendar set: {day}: {state}"),
    "calendar.bad_hours": (
        "Giờ làm việc '{hours}' không hợp lệ: {detail}. Viết các khoảng giờ cách nhau bằng "
        "dấu phẩy, ví dụ --hours 07:30-11:30,13:30-17:00",
        "Opening hours '{hours}' are not valid: {detail}. Write the periods apart with "
        "commas, e.g. --hours 07:30-11:30,13:30-17:00",
    ),
    "hours.shape": ("'{span}' không đúng dạng giờ:phút-giờ:phút",
                    "expected 'HH:MM-HH:MM', got '{span}'"),
    "hours.no_time": ("'{span}' không phải giờ trong ngày", "'{span}' is not a time of day"),
    "hours.reversed": ("'{span}' có giờ kết thúc trước giờ bắt đầu",
                       "'{span}' closes before it opens"),
    "hours.overlap": ("'{span}' chồng lên khoảng giờ trước nó",
                      "'{span}' overlaps the period before it"),
    "calendar.make_up": ("làm bù theo quyết định của Chính phủ",
                         "make-up working day set by the Government"),
    "usage.required": ("thiếu tham số bắt buộc: {args}", "the following arguments are "
                       "required: {args}"),
    "usage.unrecognised": ("không nhận ra tham số: {args}", "unrecognised arguments: {args}"),
    "usage.choice": ("{option}: '{value}' không phải lựa chọn hợp lệ (chọn một trong: "
                     "{choices})", "{option}: '{value}' is not a valid choice (choose from "
                     "{choices})"),
    "usage.number": ("{option}: '{value}' không phải số hợp lệ",
                     "{option}: '{value}' is not a number"),
    "usage.value": ("{option} cần một giá trị", "{option} expects a value"),
    "usage.bounds": ("{option} phải từ {low} đến {high}, nhận được {value}",
                     "{option} must be from {low} to {high}, got {value}"),
    "usage.one_of": ("chỉ dùng {first} hoặc {second}, không dùng cả hai",
                     "give {first} or {second}, not both"),
    "usage.to_before_from": ("--to phải sau --from", "--to is before --from"),
    "usage.no_tickets": (
        "không có số nào trong {days} ngày qua để lập kế hoạch; dùng --demand TỆP, hoặc bỏ cả "
        "hai để lập cho một ngày điển hình",
        "no tickets in the last {days} days to plan from; give --demand FILE or leave both "
        "out for a typical day",
    ),
    "usage.calendar_action": ("'{value}' thừa: dùng close NGÀY hoặc open NGÀY",
                              "unexpected '{value}': give close DATE or open DATE"),
    "usage.needs": ("{command} cần {what}", "{command} needs {what}"),
    "usage.closed_hours": ("ngày nghỉ không có --hours", "a closed day has no --hours"),
    "usage.unexpected": ("'{value}' thừa sau lĩnh vực", "unexpected '{value}' after the field"),
    "usage.procedure_field": ("thủ tục '{procedure}' không thuộc lĩnh vực '{field}'",
                              "procedure '{procedure}' is not of the field '{field}'"),
    "usage.need_time": (
        "cần --time cho ngày khác hôm nay (không có --time: khung giờ trống gần nhất hôm nay)",
        "give --time for a day other than today (without it: the next free slot today)",
    ),
}
