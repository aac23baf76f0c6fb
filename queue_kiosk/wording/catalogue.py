"""Provides the wording catalogue: every user-facing text of the product, in Vietnamese and
English, under one key and one lookup (`say`). Errors, command output, the paper ticket, the
screens and the status pages all read it."""

from __future__ import annotations

from typing import Any

# key -> (Vietnamese, English)
WORDING: dict[str, tuple[str, str]] = {
    # ----- errors and command output: one line each, what, where, what to do -----
    "config.syntax": (
        "{file}: lỗi cú pháp TOML: {detail}",
        "{file}: TOML syntax error: {detail}",
    ),
    "config.invalid": (
        "{file}: {where}{detail}",
        "{file}: {where}{detail}",
    ),
    "config.unreadable": (
        "{file}: không đọc được tệp cấu hình ({detail})",
        "{file}: cannot read the configuration file ({detail})",
    ),
    "store.not_initialised": (
        "Cơ sở dữ liệu {url} chưa được khởi tạo: chạy `queue-kiosk init` trước",
        "The database {url} is not initialised: run `queue-kiosk init` first",
    ),
    "store.outdated": (
        "Cơ sở dữ liệu {url} ở phiên bản cũ ({current}): chạy `queue-kiosk init` để nâng cấp",
        "The database {url} has an older schema ({current}): run `queue-kiosk init` to upgrade",
    ),
    "store.newer": (
        "Cơ sở dữ liệu {url} mới hơn phần mềm ({current}): hãy cập nhật queue-kiosk",
        "The database {url} is newer than this program ({current}): upgrade queue-kiosk",
    ),
    "store.unreachable": (
        "Không kết nối được cơ sở dữ liệu {url}: {detail}",
        "Cannot reach the database {url}: {detail}",
    ),
    "store.corrupt": (
        "{url} không phải là cơ sở dữ liệu dùng được ({detail}): khôi phục từ bản sao lưu, "
        "hoặc chọn tệp khác bằng --db",
        "{url} is not a usable database ({detail}): restore it from a backup, or choose "
        "another file with --db",
    ),
    "store.failed": (
        "Lỗi cơ sở dữ liệu ({detail}); không có thay đổi nào được ghi, hãy thử lại",
        "Database error ({detail}); nothing was written, try again",
    ),
    "store.bad_url": (
        "Địa chỉ cơ sở dữ liệu không hợp lệ: {url} (dùng sqlite:///tệp.db hoặc postgresql://…)",
        "Invalid database URL: {url} (use sqlite:///file.db or postgresql://…)",
    ),
    "store.bad_pool": (
        "{variable}={value} không hợp lệ: cần một số nguyên từ 1 (số kết nối tới PostgreSQL "
        "của mỗi tiến trình)",
        "{variable}={value} is not valid: give a whole number from 1 (connections to "
        "PostgreSQL per process)",
    ),
    "site.none": (
        "Chưa có trung tâm nào: chạy `queue-kiosk init` để nạp cấu hình",
        "No centre configured: run `queue-kiosk init` to load a configuration",
    ),
    "site.ambiguous": (
        "Cơ sở dữ liệu có nhiều trung tâm ({sites}): chọn bằng --site hoặc QUEUE_KIOSK_SITE",
        "The database holds several centres ({sites}): choose one with --site or QUEUE_KIOSK_SITE",
    ),
    "site.unknown": (
        "Không có trung tâm mã '{code}' (có: {sites})",
        "No centre with code '{code}' (known: {sites})",
    ),
    "field.unknown": (
        "Không có lĩnh vực hay thủ tục '{code}': xem `queue-kiosk catalog`",
        "No field or procedure '{code}': see `queue-kiosk catalog`",
    ),
    "field.ambiguous": (
        "'{code}' khớp nhiều lĩnh vực/thủ tục ({matches}): ghi rõ mã",
        "'{code}' matches several fields/procedures ({matches}): give the code",
    ),
    "counter.unknown": (
        "Không có quầy '{code}' (có: {known})",
        "No counter '{code}' (known: {known})",
    ),
    "target.unknown": (
        "Không có lĩnh vực hay quầy '{code}' để chuyển đến",
        "No field or counter '{code}' to transfer to",
    ),
    "priority.unknown": (
        "Không có đối tượng ưu tiên '{code}' (có: {known})",
        "No priority category '{code}' (known: {known})",
    ),
    "rating.unknown": (
        "Mức đánh giá '{code}' không hợp lệ (có: {known})",
        "Rating '{code}' is not on the scale (known: {known})",
    ),
    "rating.duplicate": (
        "Số {number} đã được đánh giá; mỗi phiếu chỉ đánh giá một lần",
        "Ticket {number} has already been rated; one rating per ticket",
    ),
    "rating.not_done": (
        "Số {number} chưa hoàn thành nên chưa đánh giá được",
        "Ticket {number} is not finished, so it cannot be rated yet",
    ),
    "ticket.unknown": (
        "Không có số {number} trong ngày {day}",
        "No ticket {number} on {day}",
    ),
    "ticket.bad_number": (
        "Số thứ tự '{number}' không đúng dạng (ví dụ B015 hoặc 1001)",
        "Ticket number '{number}' is malformed (e.g. B015 or 1001)",
    ),
    "issue.cap": (
        "Lĩnh vực {field} đã hết số hôm nay (tối đa {cap}); mời Quý khách quay lại vào ngày "
        "làm việc tiếp theo",
        "{field} has reached today's limit of {cap} tickets; please come back next working day",
    ),
    "issue.series_full": (
        "Dãy số của lĩnh vực {field} đã hết trong ngày ({last})",
        "The number series of {field} is exhausted for today ({last})",
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
    "booking.phone": ("'{phone}' không phải số điện thoại hợp lệ",
                      "'{phone}' is not a phone number"),
    "booking.unknown": ("Không có lịch hẹn mã {code}: kiểm tra lại mã",
                        "No booking with the code {code}: check the code"),
    "booking.not_booked": ("Lịch hẹn {code} không còn dùng được ({status})",
                           "Booking {code} can no longer be used ({status})"),
    "booking.used": ("Lịch hẹn {code} vừa được dùng để lấy số",
                     "Booking {code} has just been checked in"),
    "booking.early": (
        "Lịch hẹn {code} ngày {day}: mời Quý khách quay lại lấy số từ {time}",
        "Booking {code} on {day}: please come back to check in from {time}",
    ),
    "booking.late": (
        "Lịch hẹn {code} đã quá giờ nhận ({time}): mời Quý khách lấy số thường",
        "Booking {code} passed its check-in time ({time}): please take a normal ticket",
    ),
    "issue.closed": (
        "Lĩnh vực {field} tạm ngừng tiếp nhận: {reason}",
        "{field} is not taking tickets now: {reason}",
    ),
    "issue.no_counter": (
        "Lĩnh vực {field} chưa có quầy nào phục vụ",
        "No counter serves {field}",
    ),
    "issue.out_of_hours": (
        "Ngoài giờ làm việc ({hours}); mời Quý khách quay lại trong giờ làm việc",
        "Outside opening hours ({hours}); please come back during opening hours",
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
    "store.catalog_changed": (
        "Cấu hình trung tâm vừa được thay đổi; vui lòng thử lại",
        "The centre's configuration has just changed; please try again",
    ),
    "catalog.strands": (
        "Không nạp cấu hình: công dân đang chờ sẽ không còn quầy nào gọi ({detail}). Giữ một "
        "quầy cho các lĩnh vực này, hoặc hủy các số đó trước (close-field … --cancel-waiting, "
        "hoặc hoàn thành tại quầy) rồi nạp lại",
        "Configuration not loaded: citizens waiting would have no counter left to call them "
        "({detail}). Keep a counter for these fields, or cancel those tickets first "
        "(close-field … --cancel-waiting, or finish them at their counter), then load again",
    ),
    "ticket.taken": (
        "Số {number} đã được gọi tại quầy {counter} ({status}): không thể {action}",
        "Ticket {number} is already at counter {counter} ({status}): cannot {action}",
    ),
    "ticket.state": (
        "Số {number} đang ở trạng thái {status}: không thể {action}",
        "Ticket {number} is {status}: cannot {action}",
    ),
    "transfer.same": (
        "Số {number} đã ở {target}; chọn nơi chuyển khác",
        "Ticket {number} is already at {target}; choose another target",
    ),
    "staff.unknown": (
        "Không có cán bộ mã '{code}'",
        "No staff member with code '{code}'",
    ),
    "print.refused": (
        "máy in {target} từ chối kết nối (máy in tắt hoặc sai cổng)",
        "printer {target} refused the connection (switched off or wrong port)",
    ),
    "print.unreachable": (
        "không tìm thấy máy in {target} ({detail})",
        "printer {target} cannot be reached ({detail})",
    ),
    "print.timeout": (
        "máy in {target} không phản hồi sau {seconds} giây",
        "printer {target} did not respond within {seconds} s",
    ),
    "print.reset": (
        "máy in {target} ngắt kết nối giữa chừng",
        "printer {target} dropped the connection mid-ticket",
    ),
    "print.paper_out": ("máy in {target} hết giấy", "printer {target} is out of paper"),
    "print.offline": (
        "máy in {target} đang ngoại tuyến (mở nắp hoặc lỗi)",
        "printer {target} is offline (cover open or fault)",
    ),
    "print.not_found": (
        "không thấy máy in {target} ({detail}); kiểm tra cáp và quyền truy cập (udev)",
        "printer {target} not found ({detail}); check the cable and permissions (udev)",
    ),
    "print.failed": ("lỗi máy in {target}: {detail}", "printer {target} failed: {detail}"),
    "print.bad_url": (
        "Địa chỉ máy in không hợp lệ: '{url}' (dùng usb://VID:PID, tcp://HOST[:PORT],"
        " serial:///dev/ttyUSB0, file:///dev/usb/lp0, preview://THƯ_MỤC hoặc none)",
        "Invalid printer URL: '{url}' (use usb://VID:PID, tcp://HOST[:PORT],"
        " serial:///dev/ttyUSB0, file:///dev/usb/lp0, preview://DIR or none)",
    ),
    "print.bad_profile": (
        "Không có cấu hình máy in '{profile}' trong python-escpos (ví dụ TM-T20II, NT-5890K)",
        "No python-escpos printer profile '{profile}' (e.g. TM-T20II, NT-5890K)",
    ),
    "citizen.print.paper_out": ("máy in hết giấy", "the printer is out of paper"),
    "citizen.print.offline": ("máy in đang tạm ngừng hoạt động", "the printer is offline"),
    "citizen.print.failed": ("máy in chưa in được", "the printer cannot print now"),
    "print.citizen": (
        "Máy in gặp sự cố: {reason}. Số của Quý khách vẫn có hiệu lực, xin ghi nhớ hoặc chụp"
        " lại số trên màn hình.",
        "The printer failed: {reason}. Your number is still valid; please remember or"
        " photograph it on the screen.",
    ),
    "cli.printed": ("Đã in số {number} ({where})", "Printed {number} ({where})"),
    "staff.exists": ("Đã có cán bộ mã '{code}'", "Staff code '{code}' already exists"),
    "staff.bad_field": ("Thiếu {field} của cán bộ", "Staff {field} is missing"),
    "staff.bad_role": (
        "Vai trò '{role}' không hợp lệ (official hoặc admin)",
        "Role '{role}' is not valid (official or admin)",
    ),
    "staff.bad_pin": ("Mã PIN phải gồm 4–12 chữ số", "A PIN is 4–12 digits"),
    "staff.bad_login": (
        "Sai mã cán bộ hoặc mã PIN, hoặc đăng nhập đang tạm khóa ({tries} lần sai liên tiếp "
        "khóa {minutes} phút; quản trị viên mở lại bằng staff unlock)",
        "Wrong staff code or PIN, or sign-in locked ({tries} wrong in a row lock it for "
        "{minutes} min; an administrator unlocks with staff unlock)",
    ),
    "cli.no_admin": (
        "Chưa có tài khoản quản trị: kiosk khóa cần một tài khoản để mở. Tạo bằng "
        "`queue-kiosk staff add MÃ --name \"Họ tên\" --role admin` (PIN hỏi khi chạy)",
        "No administrator yet: a locked kiosk needs one to open it. Create one with "
        "`queue-kiosk staff add CODE --name \"Full name\" --role admin` (the PIN is asked for)",
    ),
    "cli.priorities": ("Đối tượng ưu tiên: {categories}", "Priority categories: {categories}"),
    "cli.rating_levels": ("Mức đánh giá: {levels}", "Rating levels: {levels}"),
    "operator.issue.out_of_hours": (
        "giờ làm việc đặt ở mục [hours] của tệp cấu hình; sửa rồi chạy "
        "`queue-kiosk init --config TỆP`",
        "the opening hours are the [hours] section of the hall file; edit it, then run "
        "`queue-kiosk init --config FILE`",
    ),
    "cli.no_public_url": (
        "Chưa đặt site.public_url: mã QR trên phiếu chỉ quầy quét được, điện thoại của công "
        "dân không mở được. Đặt địa chỉ của `queue-kiosk serve` (ví dụ "
        "public_url = \"http://192.168.1.10:8080\") trong mục [site] rồi chạy init --config",
        "site.public_url is not set: the ticket's QR code is for counters' scanners only, a "
        "citizen's phone cannot open it. Set the address of `queue-kiosk serve` (e.g. "
        "public_url = \"http://192.168.1.10:8080\") in [site], then run init --config",
    ),
    "voice.written": ("Đã ghi lời gọi vào {out} (giọng: {voice}, {seconds} giây)",
                      "Wrote the call to {out} (voice: {voice}, {seconds} s)"),
    "voice.played": ("Đã phát thử: \"{text}\" (giọng: {voice}, qua {player}, {seconds} giây)",
                     "Played: \"{text}\" (voice: {voice}, through {player}, {seconds} s)"),
    "voice.no_player": (
        "Không có chương trình phát âm thanh (paplay hoặc aplay): cài pulseaudio-utils hoặc "
        "alsa-utils",
        "No sound player (paplay or aplay): install pulseaudio-utils or alsa-utils",
    ),
    "voice.cannot_play": (
        "Không phát được âm thanh ({detail}): kiểm tra loa, dây cắm và thiết bị âm thanh",
        "Could not play sound ({detail}): check the speakers, the cable and the sound device",
    ),
    "staff.disabled_mark": ("(đã vô hiệu)", "(disabled)"),
    "staff.locked_mark": ("(tạm khóa đến {until}; mở: staff unlock)",
                          "(locked until {until}; staff unlock opens it)"),
    "staff.slow_down": (
        "Vui lòng chờ {seconds} giây rồi đăng nhập lại",
        "Please wait {seconds} s before signing in again",
    ),
    "staff.not_admin": (
        "Cán bộ {code} không có quyền quản trị",
        "Staff member {code} is not an administrator",
    ),
    "staff.forbidden_counter": (
        "Cán bộ {code} không được phân công quầy {counter}",
        "Staff member {code} may not use counter {counter}",
    ),
    "staff.pin_mismatch": ("Hai lần nhập PIN không khớp", "The two PINs differ"),
    "cli.file": (
        "Không dùng được tệp {path}: {reason} (kiểm tra thư mục và quyền ghi)",
        "Cannot use the file {path}: {reason} (check the folder and permissions)",
    ),
    "reason.too_long": (
        "Lý do dài quá {limit} ký tự; vui lòng viết ngắn hơn",
        "The reason is longer than {limit} characters; please shorten it",
    ),
    "internal": (
        "Lỗi nội bộ: {detail} (đặt QUEUE_KIOSK_DEBUG=1 để xem chi tiết)",
        "Internal error: {detail} (set QUEUE_KIOSK_DEBUG=1 for details)",
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
        "Đã kết thúc ngày {day}: {expired} số hết hạn, {carried} số chuyển sang hôm sau{serving}",
        "Closed {day}: {expired} tickets expired, {carried} carried over{serving}",
    ),
    "cli.still_serving": (" · còn đang phục vụ: {numbers}", " · still being served: {numbers}"),
    "cli.field_closed": (
        "Đã tạm ngừng tiếp nhận lĩnh vực {field}; {cancelled} số đang chờ bị hủy",
        "Closed {field}; {cancelled} waiting tickets cancelled",
    ),
    "cli.field_reopened": ("Đã mở lại lĩnh vực {field}", "Reopened {field}"),
    "cli.rated": ("Đã ghi nhận đánh giá cho số {number}", "Rating recorded for {number}"),
    "cli.usage": ("{detail} (xem `queue-kiosk --help`)", "{detail} (see `queue-kiosk --help`)"),
    "board.counter": ("Quầy số {counter} {name}: {state}", "Counter {counter} {name}: {state}"),
    "board.serving": ("đang phục vụ {number}", "serving {number}"),
    "board.calling": ("đang mời {number}", "calling {number}"),
    "board.idle": ("đang trống", "free"),
    "board.paused": ("tạm dừng ({reason})", "paused ({reason})"),
    "board.waiting": ("Đang chờ: {counts}", "Waiting: {counts}"),
    "board.recent": ("Vừa gọi: {calls}", "Recent calls: {calls}"),
    "board.printer_failed": ("MÁY IN LỖI: {detail}", "PRINTER FAILED: {detail}"),
    # ----- the paper ticket -----
    "ticket.title": ("SỐ THỨ TỰ", "YOUR NUMBER"),
    "ticket.field": ("Lĩnh vực: {field}", "Service: {field}"),
    "ticket.priority": ("ƯU TIÊN: {category}", "PRIORITY: {category}"),
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
    # ----- a ticket's status, a field's state -----
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
    # ----- actions named inside a sentence, so no English verb lands in a Vietnamese one -----
    "verb.call": ("gọi số", "call it"),
    "verb.recall": ("gọi lại", "recall it"),
    "verb.start": ("bắt đầu phục vụ", "start serving it"),
    "verb.finish": ("hoàn thành", "finish it"),
    "verb.no-show": ("báo vắng", "mark it absent"),
    "verb.transfer": ("chuyển", "transfer it"),
    "verb.return": ("đưa lại vào hàng chờ", "put it back in line"),
    # ----- the screens -----
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
    "kiosk.go_to": ("Vui lòng chờ gọi số tại quầy: {counters}",
                    "Please wait to be called at counter: {counters}"),
    "kiosk.ahead": ("Số người chờ trước Quý khách: {ahead}", "People ahead of you: {ahead}"),
    "kiosk.eta_long_soon": ("Sắp đến lượt Quý khách", "Your turn is coming up"),
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
    "kiosk.booked": ("Tôi có lịch hẹn (phím +)", "I have a booking (key +)"),
    "kiosk.booked_title": ("Nhập mã lịch hẹn hoặc quét mã QR, rồi bấm Enter",
                           "Type your booking code or scan its QR, then Enter"),
    "kiosk.booked_take": ("LẤY SỐ THEO LỊCH HẸN (Enter)", "GET MY NUMBER (Enter)"),
    "kiosk.walk_in_instead": ("Lấy số thường: {field}", "Take a normal number: {field}"),
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
    "display.booked": ("(lịch hẹn)", "(booked)"),
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
    # The banner's words around its large number and counter: display.calling, split.
    "display.calling_before": ("MỜI CÔNG DÂN CÓ SỐ", "NUMBER"),
    "display.calling_to": ("ĐẾN QUẦY SỐ", "PLEASE GO TO COUNTER"),
    "display.counter": ("QUẦY SỐ {code}", "COUNTER {code}"),
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
    "app.how_to_quit": ("Bấm Ctrl+Q để thoát", "Press Ctrl+Q to quit"),
    "display.serving": ("ĐANG PHỤC VỤ", "NOW SERVING"),
    "display.calling_state": ("ĐANG MỜI", "CALLING"),
    "display.idle": ("—", "—"),
    "display.paused": ("Quầy tạm dừng: {reason}", "Counter paused: {reason}"),
    "display.recent": ("VỪA GỌI", "RECENT CALLS"),
    "display.waiting": ("ĐANG CHỜ", "WAITING"),
    "display.recalled": ("(gọi lại)", "(again)"),
    "display.voice_problem": ("⚠ Loa gọi số chưa hoạt động – xin báo cán bộ kỹ thuật",
                              "⚠ Voice calls cannot be heard – please tell the IT staff"),
    "display.printer_failed": ("⚠ MÁY IN PHIẾU ĐANG LỖI – xin liên hệ cán bộ hướng dẫn",
                               "⚠ TICKET PRINTER FAILED – please ask the help desk"),
    # modes
    "mode.kiosk": ("Kiosk lấy số", "Kiosk"),
    "mode.counter": ("Quầy", "Counter"),
    "mode.display": ("Màn hình phòng chờ", "Hall display"),
    "report.totals": (
        "Đã cấp {i} · đã phục vụ {s} · vắng mặt {n} · chuyển {t} · hết hạn {e} · "
        "chờ ≤ {target}′ {w} · hài lòng {sat}",
        "Issued {i} · served {s} · no-show {n} · transferred {t} · expired {e} · "
        "within {target}′ {w} · satisfied {sat}",
    ),
    "report.scope": ("Phạm vi", "Scope"),
    "report.rated_as": ("Đánh giá: {level}", "Rated: {level}"),
    "report.sheet_figures": ("Tổng hợp", "Figures"),
    "report.sheet_hours": ("Theo giờ", "Hours"),
    "report.sheet_ratings": ("Đánh giá", "Ratings"),
    "report.sheet_bookings": ("Lịch hẹn", "Bookings"),
    "report.bookings": (
        "Lịch hẹn: đã đặt {booked}, đã lấy số {checked_in}, đã hủy {cancelled}, lỡ hẹn "
        "{missed}; chờ từ giờ hẹn (trung vị, ngày và lĩnh vực chờ lâu nhất) {wait} phút",
        "Bookings: {booked} made, {checked_in} checked in, {cancelled} cancelled, {missed} "
        "missed; wait from the slot (median, longest day and field) {wait} min"),
    "report.by_field": ("Theo lĩnh vực", "By field"),
    "report.by_counter": ("Theo quầy", "By counter"),
    "report.per_hour": ("Đến (█) và được phục vụ (▒) theo giờ",
                        "Arrivals (█) and served (▒) per hour"),
    "report.median_wait": ("Thời gian chờ trung vị theo lĩnh vực", "Median wait per field"),
    # ----- the demo and the simulator -----
    "demo.folder": ("Trung tâm demo tại {folder}", "Demo centre in {folder}"),
    "demo.previews": ("Phiếu in thử (PNG): {folder}", "Ticket previews (PNG): {folder}"),
    "demo.counter": ("Đăng nhập quầy: mã {staff}, PIN {pin}",
                     "Counter sign-in: code {staff}, PIN {pin}"),
    "demo.admin": ("Quản trị: mã {staff}, PIN {pin}", "Admin: code {staff}, PIN {pin}"),
    "demo.cleaned": ("Đã xóa trung tâm demo {folder}", "Removed the demo centre {folder}"),
    "demo.keys": ("F12: chuyển màn hình (kiosk → quầy → màn hình chờ) · Ctrl+Q: thoát",
                  "F12: next screen (kiosk → counter → display) · Ctrl+Q: quit"),
    "simulate.summary": (
        "{tickets} số, {counters} quầy, {mode}: chờ trung bình {mean}′, p95 {p95}′, "
        "lâu nhất {max}′; xong việc sau {day}′; vượt lượt {overtakes}",
        "{tickets} tickets, {counters} counters, {mode}: wait mean {mean}′, p95 {p95}′, "
        "max {max}′; day ends after {day}′; overtakes {overtakes}",
    ),
    "simulate.col_field": ("Lĩnh vực", "Field"),
    "simulate.col_tickets": ("Số phiếu", "Tickets"),
    "simulate.col_mean": ("Chờ TB", "Mean wait"),
    "simulate.col_p95": ("Chờ p95", "p95 wait"),
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
        "Với {counters} quầy thay vì {hall}: chờ p95 {p95}′ thay vì {hall_p95}′; còn chờ khi "
        "hết giờ {waiting} thay vì {hall_waiting}.",
        "With {counters} counters instead of {hall}: p95 wait {p95}′ instead of {hall_p95}′; "
        "still waiting at closing {waiting} instead of {hall_waiting}.",
    ),
    "simulate.appointments": (
        "Lịch hẹn ({share} công dân đặt trước): {booked} người có lịch chờ từ giờ hẹn TB "
        "{mean}′, p95 {p95}′; cả ngày TB {all_mean}′, p95 {all_p95}′ so với {walk_mean}′, "
        "p95 {walk_p95}′ khi mọi người đến trực tiếp.",
        "Bookings ({share} of citizens book ahead): {booked} booked citizens wait from their "
        "slot mean {mean}′, p95 {p95}′; the whole day mean {all_mean}′, p95 {all_p95}′ "
        "against {walk_mean}′, p95 {walk_p95}′ with everyone walking in.",
    ),
    "simulate.pooled": (
        "  so sánh một hàng chung: trung bình {mean}′, p95 {p95}′, lâu nhất {max}′",
        "  pooled first-come-first-served baseline: mean {mean}′, p95 {p95}′, max {max}′",
    ),
    "plan.keep": (
        "Giữ nguyên cách bố trí quầy: không thay đổi nào giảm thời gian chờ p95 ({before} "
        "phút) quá 1%; một hàng chung cho mọi quầy: {pooled} phút.",
        "Keep the counters as they are: no change lowers the p95 wait ({before} min) by 1%; "
        "one line for every counter: {pooled} min.",
    ),
    "plan.takes": ("Quầy {counter} nhận thêm {fields}", "Counter {counter} also serves {fields}"),
    "plan.extra": (
        "Nếu có thêm một cán bộ: mở thêm một quầy từ {opens} đến {closes}, nhận mọi lĩnh vực "
        "(trước hết {field}): p95 còn {p95} phút.",
        "With one more official: open one more counter from {opens} to {closes} for every "
        "field ({field} first): the p95 wait falls to {p95} min.",
    ),
    "plan.no_fields": ("Các quầy giữ lĩnh vực", "Counters keep their fields"),
    "plan.verdict": (
        "{changes} (khi quầy hết người của lĩnh vực chính, hoặc có người chờ quá {wait} "
        "phút): thời gian chờ p95 giảm từ {before} xuống {after} phút; một hàng chung cho "
        "mọi quầy: {pooled} phút.",
        "{changes} (when its own line is empty, or someone has waited over {wait} min): the "
        "p95 wait falls from {before} to {after} min; one line for every counter: {pooled} "
        "min.",
    ),
    "plan.heading": (
        "Kế hoạch quầy: {citizens} công dân/ngày, mô phỏng {days} ngày",
        "Counter plan: {citizens} citizens a day, {days} days simulated",
    ),
    "plan.took": ("tính trong {seconds} giây", "worked out in {seconds} s"),
    "plan.col_plan": ("Phương án", "Plan"),
    "plan.minutes": ("{n}′", "{n}′"),
    "plan.current": ("Hiện tại", "Current"),
    "plan.proposal": ("Đề xuất", "Proposal"),
    "plan.pooled": ("Một hàng chung", "One line"),
    "plan.col_last": ("Người cuối về", "Last leaves"),
    "plan.counter_line": ("  Quầy {code}: {primary} + {secondary} · bận {busy}",
                          "  Counter {code}: {primary} + {secondary} · busy {busy}"),
    "plan.figures": ("Chờ TB {mean}′ · p95 {p95}′ · lâu nhất {max}′\nNgười cuối về lúc {last}",
                     "Wait mean {mean}′ · p95 {p95}′ · max {max}′\nLast leaves at {last}"),
    "plan.unserved": ("  Không quầy nào gọi (số công dân): {fields}",
                      "  Called by no counter (citizens): {fields}"),
    "plan.no_tickets": ("Không có phiếu nào trong kỳ báo cáo để lập kế hoạch.",
                        "No tickets in the report's period to plan from."),
    "plan.key": ("Kế hoạch quầy", "Counter plan"),
    "plan.back": ("Quay lại", "Back"),
    "plan.wait_for": ("Chờ quá {wait} phút thì nhận lĩnh vực phụ",
                      "Secondary fields after {wait} min"),
    "plan.written": ("Đã ghi đề xuất vào {file}: nạp bằng `queue-kiosk init --config {file}`",
                     "Wrote the proposal to {file}: load it with "
                     "`queue-kiosk init --config {file}`"),
    "plan.chart": ("Số người chờ trong ngày, mỗi 15 phút: hiện tại (█), đề xuất (▒)",
                   "Citizens waiting through the day, every 15 min: current (█), proposal (▒)"),
    "plan.working": ("Đang mô phỏng các phương án…", "Simulating the plans…"),
    # ----- the citizen's status page -----
    "weekday.0": ("T2", "Mon"),
    "weekday.1": ("T3", "Tue"),
    "weekday.2": ("T4", "Wed"),
    "weekday.3": ("T5", "Thu"),
    "weekday.4": ("T6", "Fri"),
    "weekday.5": ("T7", "Sat"),
    "weekday.6": ("CN", "Sun"),
    "booking.disabled_page": ("Trung tâm chưa nhận đặt lịch hẹn trực tuyến.",
                              "This centre does not take bookings online."),
    "booking.full_page": ("Lĩnh vực {field} đã hết chỗ hẹn trong những ngày tới. Mời Quý "
                          "khách lấy số tại trung tâm.",
                          "{field} has no free slot in the coming days. Please take a number "
                          "at the centre."),
    "bookpage.title": ("Đặt lịch hẹn", "Book a time"),
    "bookpage.choose_field": ("Chọn lĩnh vực cần giải quyết:", "Choose the service you need:"),
    "bookpage.none": ("Hiện không còn chỗ hẹn. Mời Quý khách lấy số tại trung tâm.",
                      "No free slots now. Please take a number at the centre."),
    "bookpage.no_field": ("Không có lĩnh vực này để đặt lịch.",
                          "There is no such service to book."),
    "bookpage.asap": ("Lấy số trực tuyến: giờ sớm nhất hôm nay",
                      "Online number: the earliest time today"),
    "bookpage.procedure": ("Thủ tục (có thể bỏ qua)", "Procedure (optional)"),
    "bookpage.phone": ("Số điện thoại (không bắt buộc)", "Phone number (optional)"),
    "bookpage.phone_note": (
        "Chỉ để trung tâm liên hệ khi cần; không hiển thị ở đâu và tự xóa sau {days} ngày.",
        "Only for the centre to reach you; shown nowhere, deleted after {days} days."),
    "bookpage.choose_slot": ("Hoặc chọn giờ:", "Or choose a time:"),
    "bookpage.too_many": ("Quý khách đã đặt hoặc hủy nhiều lần. Vui lòng thử lại sau.",
                          "Too many bookings from this device. Please try again later."),
    "bookpage.code_title": ("Lịch hẹn {code}", "Booking {code}"),
    "bookpage.when": ("Thời gian", "When"),
    "bookpage.ticket": ("Số thứ tự", "Ticket"),
    "bookpage.advice": (
        "Mời Quý khách đến trung tâm từ {opens} đến {closes}, chọn \"Tôi có lịch hẹn\" ở máy "
        "lấy số và nhập mã hoặc quét mã QR này.",
        "Come to the centre between {opens} and {closes}, choose \"I have a booking\" at the "
        "kiosk and type the code or scan this QR."),
    "bookpage.cancel": ("Hủy lịch hẹn", "Cancel the booking"),
    "page.title": ("Số thứ tự {number}", "Ticket {number}"),
    "page.field": ("Lĩnh vực", "Service"),
    "page.state": ("Trạng thái", "Status"),
    "page.ahead": ("Số người chờ trước Quý khách", "People ahead of you"),
    "page.eta": ("Thời gian chờ dự kiến", "Estimated wait"),
    "page.minutes": ("khoảng {minutes} phút", "about {minutes} min"),
    "page.minutes_soon": ("Sắp đến lượt", "Coming up"),
    "page.called": ("Mời đến quầy số {counter}", "Please go to counter {counter}"),
    "page.serving": ("Đang được phục vụ tại quầy số {counter}",
                     "Being served at counter {counter}"),
    "page.refresh": (
        "Trang tự cập nhật mỗi {seconds} giây",
        "This page refreshes every {seconds} s",
    ),
    "page.rate": ("Mời Quý khách đánh giá mức độ hài lòng:", "How satisfied were you?"),
    "page.rated": ("Cảm ơn Quý khách đã đánh giá.", "Thank you for your rating."),
    "page.advice_expired": (
        "Phiếu này đã hết hạn khi {centre} kết thúc ngày làm việc. Mời Quý khách lấy số "
        "mới tại kiosk của trung tâm vào ngày làm việc tiếp theo.",
        "This ticket expired when {centre} closed for the day. Please take a new number at "
        "the centre's kiosk on the next working day.",
    ),
    "page.advice_no_show": (
        "Quý khách đã được gọi nhưng không có mặt. Mời Quý khách đến {centre} và báo cán bộ "
        "tại quầy để được gọi lại.",
        "You were called but were not there. Please come to {centre} and tell an official "
        "at a counter, who can call you again.",
    ),
    "page.advice_cancelled": (
        "Phiếu này đã bị hủy do lĩnh vực tạm ngừng tiếp nhận. Mời Quý khách liên hệ {centre}.",
        "This ticket was cancelled because its service was suspended. Please contact "
        "{centre}.",
    ),
    "page.not_found": ("Không tìm thấy phiếu này. Vui lòng kiểm tra lại mã QR.",
                  "This ticket was not found. Please check the QR code."),
    "page.too_many": ("Quá nhiều yêu cầu. Vui lòng thử lại sau ít phút.",
                 "Too many requests. Please try again in a few minutes."),
    "page.error": (
        "Hệ thống đang bận. Vui lòng thử lại sau.",
        "The system is busy. Please try again.",
    ),
}


def say(key: str, lang: str = "vi", /, **params: Any) -> str:
    """The text of `key` in the language (Vietnamese unless English is asked for). A
    `status` or `action` parameter is itself put into words."""
    if "status" in params:
        params["status"] = status_word(str(params["status"]), lang)
    if f"verb.{params.get('action')}" in WORDING:
        params["action"] = say(f"verb.{params['action']}", lang)
    vi, en = WORDING[key]
    if lang == "en":
        return en.format(**params)
    # Vietnamese writes a decimal comma: "3,5 phút".
    return vi.format(**{name: f"{value:g}".replace(".", ",") if isinstance(value, float)
                        else value for name, value in params.items()})


def citizen_reason(code: str, lang: str) -> str:
    """What a citizen is told of a printer fault: what happened, never the device's address
    or the driver's words (those go to the log and the operator)."""
    key = f"citizen.{code}"
    return say(key if key in WORDING else "citizen.print.failed", lang)


def wait_words(key: str, lang: str, minutes: float) -> str:
    """An estimated wait: "khoảng 5 phút", or, when it rounds to nothing, that the turn is
    near (never "khoảng 0 phút")."""
    return say(f"{key}_soon", lang) if round(minutes) == 0 else say(key, lang, minutes=minutes)


def status_word(status: str, lang: str = "vi") -> str:
    return say(f"status.{status}", lang) if f"status.{status}" in WORDING else status


def field_state_word(state: str, lang: str = "vi") -> str:
    key = f"field_state.{state}"
    return say(key, lang) if key in WORDING else state
