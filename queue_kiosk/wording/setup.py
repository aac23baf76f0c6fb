"""Setting a centre up: the guided `setup` screen, and the services that start the screens."""

TEXTS: dict[str, tuple[str, str]] = {
    # What the hall file says of itself, and the centre's own words (Vietnamese content).
    "setup.centre_name": ("Trung tâm Phục vụ hành chính công {commune}",
                          "Trung tâm Phục vụ hành chính công {commune}"),
    "setup.notice": (
        "Công dân có thể nộp hồ sơ trực tuyến tại Cổng Dịch vụ công quốc gia. "
        "Giờ làm việc: {hours}.",
        "Citizens may file online at the National Public Service Portal. Opening hours: "
        "{hours}.",
    ),
    "setup.saturday_notice": ("; thứ Bảy {hours}", "; Saturday {hours}"),
    "setup.file_header": (
        "Cấu hình của {site}, ghi bởi `queue-kiosk setup`.\n"
        "Sửa tệp này rồi nạp lại bằng `queue-kiosk init --config <tệp này>`; nạp lại không "
        "đụng đến số đã cấp.",
        "Hall configuration of {site}, written by `queue-kiosk setup`.\n"
        "Edit it, then load it again with `queue-kiosk init --config <this file>`; loading "
        "again never touches tickets.",
    ),
    # Refusals, each shown beside its answer.
    "setup.refused": ("Câu trả lời '{answer}' chưa đúng: {detail}",
                      "The answer '{answer}' is refused: {detail}"),
    "setup.required": ("Chưa nhập", "Required"),
    "setup.too_long": ("Dài quá: tối đa {most} ký tự", "Too long: at most {most} characters"),
    "setup.bad_code": (
        "Chỉ dùng chữ không dấu, số, dấu gạch ngang (tối đa 32 ký tự), ví dụ an-binh",
        "Only unaccented letters, digits and hyphens (up to 32), e.g. an-binh",
    ),
    "setup.no_fields": ("Chọn ít nhất một lĩnh vực", "Choose at least one field"),
    "setup.no_counters": ("Cần ít nhất một quầy", "At least one counter is needed"),
    "setup.counter_no_fields": ("Ghi mã lĩnh vực quầy phục vụ, ví dụ B, A",
                                "Give the codes of the fields it serves, e.g. B, A"),
    "setup.counter_unknown": (
        "Không có lĩnh vực '{code}' trong các lĩnh vực đã chọn ({known})",
        "No field '{code}' among the fields chosen ({known})",
    ),
    "setup.counter_twice": ("Lĩnh vực '{code}' ghi hai lần", "Field '{code}' is given twice"),
    "setup.unserved": (
        "Lĩnh vực {codes} chưa có quầy nào phục vụ: thêm vào một quầy, hoặc bỏ chọn",
        "No counter serves field {codes}: add it to a counter, or leave it out",
    ),
    "setup.no_hours": ("Chưa có giờ làm việc, ví dụ 07:30-11:30, 13:30-17:00",
                       "No opening hours yet, e.g. 07:30-11:30, 13:30-17:00"),
    "setup.bad_hours": ("'{span}' không phải khoảng giờ; viết như 07:30-11:30, 13:30-17:00",
                        "'{span}' is not a span of time; write 07:30-11:30, 13:30-17:00"),
    "setup.hours_overlap": ("'{span}' trùng với khoảng giờ trước nó",
                            "'{span}' overlaps the span before it"),
    "setup.bad_url": ("Phải là địa chỉ http:// hoặc https://, ví dụ http://192.168.1.10:8080",
                      "Must be an http:// or https:// address, e.g. http://192.168.1.10:8080"),
    "setup.cannot_write": ("Không ghi được vào thư mục {folder}: {reason}",
                           "Cannot write in the folder {folder}: {reason}"),
    # The screen.
    "setup.title": ("Thiết lập trung tâm mới", "Set up a new centre"),
    "setup.intro": (
        "Điền từng mục rồi bấm Lưu và nạp (Ctrl+S). Tab chuyển mục; Esc thoát không lưu.",
        "Fill in each part, then press Save and load (Ctrl+S). Tab moves on; Esc leaves "
        "without saving.",
    ),
    "setup.part_centre": ("1. Trung tâm", "1. The centre"),
    "setup.commune": ("Xã, phường (ví dụ: xã An Bình)", "Commune or ward (e.g. xã An Bình)"),
    "setup.name": ("Tên trung tâm (in trên phiếu)", "The centre's name (printed on tickets)"),
    "setup.code": ("Mã trung tâm (tự điền từ tên xã; sửa được)",
                   "Centre code (from the commune's name; may be changed)"),
    "setup.part_fields": ("2. Lĩnh vực tiếp nhận (Space chọn / bỏ)",
                          "2. Fields received (Space picks / drops)"),
    "setup.part_counters": ("3. Quầy và lĩnh vực mỗi quầy phục vụ (mã, lĩnh vực chính trước)",
                            "3. Counters and the fields each serves (codes, main field first)"),
    "setup.counter": ("Quầy {number}", "Counter {number}"),
    "setup.counter_name": ("Tên quầy", "Counter name"),
    "setup.add_counter": ("Thêm quầy", "Add a counter"),
    "setup.drop_counter": ("Bớt quầy cuối", "Drop the last counter"),
    "setup.part_hours": ("4. Giờ làm việc", "4. Opening hours"),
    "setup.weekdays": ("Thứ Hai – thứ Sáu", "Monday to Friday"),
    "setup.saturday": ("Thứ Bảy (để trống nếu nghỉ)", "Saturday (empty if closed)"),
    "setup.part_printer": ("5. Máy in phiếu", "5. Ticket printer"),
    "setup.printer": (
        "Địa chỉ máy in: usb://0416:5011, tcp://192.168.1.50:9100 … (để trống: lưu ảnh PNG)",
        "Printer address: usb://0416:5011, tcp://192.168.1.50:9100 … (empty: PNG previews)",
    ),
    "setup.paper": ("Khổ giấy", "Paper width"),
    "setup.print_test": ("In thử", "Print a test page"),
    "setup.printing": ("Đang in thử…", "Printing a test page…"),
    "setup.printed": ("Đã in thử ra {where}: kiểm tra chữ tiếng Việt trên phiếu",
                      "Test page sent to {where}: check the Vietnamese letters on it"),
    "setup.part_voice": ("6. Tiếng gọi số", "6. Voice calls"),
    "setup.reading": ("Cách đọc số", "How numbers are read"),
    "setup.north": ("Miền Bắc (linh, nghìn)", "Northern (linh, nghìn)"),
    "setup.south": ("Miền Nam (lẻ, ngàn)", "Southern (lẻ, ngàn)"),
    "setup.play_test": ("Phát thử", "Play a test call"),
    "setup.playing": ("Đang phát thử…", "Playing a test call…"),
    "setup.part_network": ("7. Địa chỉ trên mạng nội bộ", "7. Address on the local network"),
    "setup.public_url": (
        "Địa chỉ điện thoại của công dân mở khi quét mã QR (đã điền địa chỉ máy này; để "
        "trống nếu không dùng)",
        "The address citizens' phones open from the QR code (this PC's address is filled "
        "in; empty if unused)",
    ),
    "setup.part_admin": ("8. Quản trị viên đầu tiên", "8. The first administrator"),
    "setup.admin_code": ("Mã đăng nhập (ví dụ: quantri)", "Sign-in code (e.g. admin)"),
    "setup.admin_name": ("Họ và tên", "Full name"),
    "setup.pin": ("Mã PIN (4–12 chữ số)", "PIN (4–12 digits)"),
    "setup.pin_again": ("Nhập lại mã PIN", "The PIN again"),
    "setup.part_file": ("9. Tệp cấu hình", "9. Configuration file"),
    "setup.path": ("Ghi vào tệp", "Write to the file"),
    "setup.save": ("Lưu và nạp", "Save and load"),
    "setup.quit": ("Thoát", "Leave"),
    "setup.saving": ("Đang lưu và nạp…", "Saving and loading…"),
    "setup.fix_first": ("Còn {count} mục chưa đúng (ghi đỏ bên cạnh): sửa rồi lưu lại",
                        "{count} answers are refused (in red beside them): mend them and "
                        "save again"),
    "setup.done": (
        "Đã ghi {path} và nạp trung tâm {site}: {fields} lĩnh vực, {procedures} thủ tục, "
        "{counters} quầy; quản trị viên {admin}.",
        "Wrote {path} and loaded centre {site}: {fields} fields, {procedures} procedures, "
        "{counters} counters; administrator {admin}.",
    ),
    "setup.next": (
        "Tiếp theo, cho các màn hình tự chạy khi bật máy: queue-kiosk service install --user "
        "serve kiosk browser-display counter 1 … (docs/huong-dan-van-hanh.md, mục 4)",
        "Next, start the screens at boot: queue-kiosk service install --user serve kiosk "
        "browser-display counter 1 … (docs/huong-dan-van-hanh.md, part 4)",
    ),
    "setup.other_sites": (
        "Cơ sở dữ liệu còn trung tâm khác ({codes}): đặt QUEUE_KIOSK_SITE={site} cho các "
        "lệnh và dịch vụ",
        "The database holds other centres too ({codes}): set QUEUE_KIOSK_SITE={site} for "
        "commands and services",
    ),
    "setup.cancelled": ("Đã thoát, không ghi gì.", "Left without writing anything."),
    # service install | status | remove
    "service.unknown_role": ("Không có vai trò '{role}'; các vai trò: {roles}",
                             "No role '{role}'; the roles are: {roles}"),
    "service.counter_number": ("Sau 'counter' ghi số quầy, ví dụ: counter 1",
                               "Give the counter's number after 'counter', e.g. counter 1"),
    "service.no_roles": ("Chưa chọn vai trò nào; các vai trò: {roles}",
                         "No role given; the roles are: {roles}"),
    "service.ship_needs": (
        "Vai trò ship cần --ship-to URL của tỉnh và mã truy cập trong QUEUE_KIOSK_SHIP_TOKEN "
        "(tạo ở tỉnh bằng `queue-kiosk site token MÃ`); địa chỉ hiện có: {url}",
        "The ship role needs --ship-to with the province's URL and the token in "
        "QUEUE_KIOSK_SHIP_TOKEN (made at the province by `queue-kiosk site token CODE`); "
        "address given: {url}",
    ),
    "service.needs_user": (
        "Vai trò {role} chạy trong phiên đồ họa: cài bằng --user (không dùng sudo)",
        "The role {role} runs in a desktop session: install it with --user (without sudo)",
    ),
    "service.unknown_user": ("Không có người dùng '{user}' trên máy này: ghi --run-as TÊN",
                             "No user '{user}' on this PC: give --run-as NAME"),
    "service.systemctl_failed": ("Lệnh '{command}' không chạy được: {detail}",
                                 "'{command}' failed: {detail}"),
    "service.written": ("Đã ghi vào {folder}: {units}", "Wrote in {folder}: {units}"),
    "service.started": ("Đã bật và khởi động: {units}", "Enabled and started: {units}"),
    "service.run_these": (
        "systemd không chạy ở đây (hoặc đã chọn --dir): chạy các lệnh sau trên máy sẽ dùng:",
        "systemd is not running here (or --dir was given): run these on the PC that will "
        "use them:",
    ),
    "service.see_status": ("Xem tình trạng: queue-kiosk service status{user}",
                           "See how they run: queue-kiosk service status{user}"),
    "service.none": ("Chưa có dịch vụ queue-kiosk nào trong {folder}",
                     "No queue-kiosk units in {folder}"),
    "service.installed_only": ("{unit}: đã cài", "{unit}: installed"),
    "service.state": ("{unit}: {active} ({state}), đã tự khởi động lại {restarts} lần",
                      "{unit}: {active} ({state}), restarted {restarts} times"),
    "service.no_systemd": ("systemd không chạy ở máy này: không xem được tình trạng",
                           "systemd is not running on this PC: no state to show"),
    "service.removed": ("Đã gỡ khỏi {folder}: {units}", "Removed from {folder}: {units}"),
}
