"""Errors and refusals of the core: one line each, what, where, what to do."""

_HOURS_HINT = (
    "giờ làm việc đặt ở mục [hours] của tệp cấu hình; sửa rồi chạy "
    "`queue-kiosk init --config TỆP`",
    "the opening hours are the [hours] section of the hall file; edit it, then run "
    "`queue-kiosk init --config FILE`",
)
"""What the operator can change when the centre is outside its hours today."""

TEXTS: dict[str, tuple[str, str]] = {
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
    "config.not_a_file": (
        "{file}: không phải tệp cấu hình (là thư mục, thiết bị hay ống): chỉ ra tệp TOML",
        "{file}: not a configuration file (a folder, device or pipe): name a TOML file",
    ),
    "config.too_big": (
        "{file}: tệp quá lớn cho một cấu hình ({size} byte, tối đa {limit}): kiểm tra lại "
        "tên tệp",
        "{file}: too big for a hall configuration ({size} bytes, at most {limit}): check "
        "the file name",
    ),
    "config.empty": (
        "{file}: tệp trống, không có gì để nạp: cần ít nhất [site], [[fields]] và "
        "[[counters]] (xem assets/hall.toml)",
        "{file}: the file is empty, nothing to load: it needs at least [site], [[fields]] "
        "and [[counters]] (see assets/hall.toml)",
    ),
    "config.notify_split": (
        "{file}: notify.command: không tách được thành chương trình và tham số ({detail}): "
        "kiểm tra dấu nháy",
        "{file}: notify.command: cannot be split into a program and its arguments "
        "({detail}): check the quotes",
    ),
    "config.notify_shell": (
        "{file}: notify.command: có ký tự của shell ({characters}) nhưng lệnh chạy không "
        "qua shell: đặt lệnh vào một tệp script và ghi đường dẫn của nó",
        "{file}: notify.command: has shell characters ({characters}) but the command runs "
        "without a shell: put it in a script and name the script",
    ),
    "config.notify_missing": (
        "{file}: notify.command: không tìm thấy chương trình '{program}': ghi đường dẫn "
        "đầy đủ",
        "{file}: notify.command: no program '{program}' found: give its full path",
    ),
    "config.notify_not_executable": (
        "{file}: notify.command: '{program}' không chạy được: cấp quyền chạy (chmod +x) "
        "hoặc ghi trình thông dịch trước nó (ví dụ python3 {program})",
        "{file}: notify.command: '{program}' is not executable: make it so (chmod +x) or "
        "name its interpreter first (e.g. python3 {program})",
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
    "site.shipped": (
        "Trung tâm {site} gửi dữ liệu từ xã lên tỉnh (chạy độc lập): dữ liệu ở tỉnh chỉ để "
        "xem; thao tác tại máy của xã",
        "Centre {site} ships its data from the commune to the province (local first): the "
        "province's copy is read-only; do this on the commune's computer",
    ),
    "field.unknown": (
        "Không có lĩnh vực hay thủ tục '{code}': xem `queue-kiosk catalog`",
        "No field or procedure '{code}': see `queue-kiosk catalog`",
    ),
    "field.ambiguous": (
        "'{code}' khớp nhiều lĩnh vực/thủ tục ({matches}): ghi rõ mã",
        "'{code}' matches several fields/procedures ({matches}): give the code",
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
    "issue.cap": (
        "Lĩnh vực {field} đã hết số hôm nay (tối đa {cap}); mời Quý khách quay lại vào ngày "
        "làm việc tiếp theo",
        "{field} has reached today's limit of {cap} tickets; please come back next working day",
    ),
    "issue.series_full": (
        "Dãy số của lĩnh vực {field} đã hết trong ngày ({last})",
        "The number series of {field} is exhausted for today ({last})",
    ),
    "issue.closed": (
        "Lĩnh vực {field} tạm ngừng tiếp nhận: {reason}",
        "{field} is not taking tickets now: {reason}",
    ),
    "issue.no_counter": (
        "Lĩnh vực {field} chưa có quầy nào phục vụ",
        "No counter serves {field}",
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
    "date.shape": (
        "'{text}' không phải ngày: ghi ngày/tháng/năm (ví dụ 26/11/2026) hoặc 2026-11-26",
        "'{text}' is not a date: write day/month/year (e.g. 26/11/2026) or 2026-11-26",
    ),
    "date.no_such_day": (
        "'{text}' không phải ngày có thật trên lịch: kiểm tra ngày và tháng",
        "'{text}' is not a date: there is no such day in the calendar; check the day and "
        "month",
    ),
    "call.no_number": (
        "Chưa ghi số cần gọi: ghi số (ví dụ B015), hoặc bỏ --number để gọi số tiếp theo",
        "No number given to call: give one (e.g. B015), or leave out --number to call the "
        "next ticket",
    ),
    "catalog.orphans": (
        "Không nạp cấu hình: lịch hẹn sắp tới sẽ mất thủ tục, lĩnh vực hoặc quầy tiếp nhận "
        "({detail}). Giữ chúng trong tệp cấu hình, hoặc hủy các lịch hẹn đó trước (book list, "
        "book cancel MÃ) rồi nạp lại",
        "Configuration not loaded: bookings still to come would lose their procedure, field "
        "or counter ({detail}). Keep them in the file, or cancel those bookings first (book "
        "list, book cancel CODE), then load again",
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
    "print.citizen": (
        "{reason}. Số của Quý khách vẫn có hiệu lực, xin ghi nhớ hoặc chụp lại số trên màn "
        "hình.",
        "{reason}. Your number is still valid; please remember or photograph it on the "
        "screen.",
    ),
    "staff.exists": ("Đã có cán bộ mã '{code}'", "Staff code '{code}' already exists"),
    "staff.bad_field": ("Thiếu {field} của cán bộ", "Staff {field} is missing"),
    "staff.bad_role": (
        "Vai trò '{role}' không hợp lệ (official, admin hoặc province)",
        "Role '{role}' is not valid (official, admin or province)",
    ),
    "staff.bad_pin": ("Mã PIN phải gồm 4–12 chữ số", "A PIN is 4–12 digits"),
    "staff.bad_login": (
        "Mã cán bộ hoặc mã PIN không đúng, hoặc tài khoản đang tạm khóa (nhập sai {tries} lần "
        "liên tiếp sẽ bị khóa {minutes} phút; quản trị viên mở khóa bằng lệnh staff unlock)",
        "Wrong staff code or PIN, or sign-in locked ({tries} wrong in a row lock it for "
        "{minutes} min; an administrator unlocks with staff unlock)",
    ),
    "operator.calendar.later_today": _HOURS_HINT,
    "operator.calendar.over_today": _HOURS_HINT,
    "operator.calendar.closed_today": (
        "lịch làm việc: `queue-kiosk calendar`; mở ngày này: `queue-kiosk calendar open NGÀY`",
        "the calendar: `queue-kiosk calendar`; to open this day: "
        "`queue-kiosk calendar open DATE`",
    ),
    "staff.disabled_mark": ("(đã vô hiệu)", "(disabled)"),
    "staff.locked_mark": ("(tạm khóa đến {until}; mở: staff unlock)",
                          "(locked until {until}; staff unlock opens it)"),
    "staff.new_pin": (
        "Mã PIN của bạn đã được đặt lại: nhập lại mã PIN mới một lần nữa để xác nhận",
        "Your PIN was reset: type the new PIN once more to confirm it",
    ),
    "staff.slow_down": (
        "Vui lòng chờ {seconds} giây rồi đăng nhập lại",
        "Please wait {seconds} s before signing in again",
    ),
    "staff.not_admin": (
        "Cán bộ {code} không có quyền quản trị",
        "Staff member {code} is not an administrator",
    ),
    "staff.read_only": (
        "Tài khoản {code} của tỉnh chỉ được xem (trang /province/), không thao tác tại quầy",
        "Province account {code} may only view (the /province/ page), never act at a counter",
    ),
    "staff.not_province": (
        "Tài khoản {code} không phải tài khoản của tỉnh",
        "Account {code} is not a province account",
    ),
    "province.bad_name": (
        "Tên mã truy cập phải có từ 1 đến 100 ký tự",
        "A token's name is 1 to 100 characters",
    ),
    "province.token_exists": (
        "Đã có mã truy cập tên '{name}'; thu hồi nó trước (province token revoke)",
        "A token named '{name}' exists; revoke it first (province token revoke)",
    ),
    "province.token_unknown": (
        "Không có mã truy cập còn hiệu lực tên '{name}' (xem: province token list)",
        "No live token named '{name}' (see: province token list)",
    ),
    "staff.forbidden_counter": (
        "Cán bộ {code} không được phân công quầy {counter}",
        "Staff member {code} may not use counter {counter}",
    ),
    "staff.pin_mismatch": ("Hai lần nhập PIN không khớp", "The two PINs differ"),
    "reason.too_long": (
        "Lý do dài quá {limit} ký tự; vui lòng viết ngắn hơn",
        "The reason is longer than {limit} characters; please shorten it",
    ),
    "internal": (
        "Lỗi nội bộ: {detail} (đặt QUEUE_KIOSK_DEBUG=1 để xem chi tiết)",
        "Internal error: {detail} (set QUEUE_KIOSK_DEBUG=1 for details)",
    ),
    "store.opening": ("Đang khởi động…", "Starting…"),
    "store.down": ("Mất kết nối cơ sở dữ liệu, đang thử lại… ({detail})",
                   "Lost the database connection, retrying… ({detail})"),
    "identity.off": (
        "Trung tâm chưa bật đọc CCCD: đặt [identity] enabled = true trong cấu hình rồi chạy "
        "init --config",
        "This centre does not read ID cards: set [identity] enabled = true in the hall "
        "configuration and run init --config",
    ),
    "identity.no_key": (
        "Máy này chưa có khoá băm số CCCD ({path}): chạy queue-kiosk init, hoặc chép tệp "
        "khoá từ máy đã chạy init",
        "This machine has no key to hash ID numbers ({path}): run queue-kiosk init, or copy "
        "the key file from the machine that ran it",
    ),
}
