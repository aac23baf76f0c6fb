"""Running a centre: `doctor`, backups and restores, the sites of a database, screens that
stopped, the warnings a screen shows at start, and alerts."""

TEXTS: dict[str, tuple[str, str]] = {
    # ----- doctor ------------------------------------------------------------------------
    "doctor.failed": ("Không kiểm tra được: {detail}", "Could not check: {detail}"),
    "doctor.database_ok": ("Cơ sở dữ liệu {url} trả lời, lược đồ mới nhất ({revision})",
                           "Database {url} answers, schema up to date ({revision})"),
    "doctor.sites_many": (
        "Cơ sở dữ liệu có nhiều trung tâm ({codes}): mọi lệnh phải có --site. Xóa trung tâm "
        "không dùng bằng `queue-kiosk site remove MÃ`",
        "The database holds several centres ({codes}): every command needs --site. Remove "
        "the one not used with `queue-kiosk site remove CODE`",
    ),
    "doctor.sites_ok": ("Trung tâm {code}: {name}", "Centre {code}: {name}"),
    "doctor.clock_zone": (
        "Múi giờ của máy ({here}) khác múi giờ của trung tâm ({zone}, {hall}): giờ trên phiếu "
        "sẽ sai. Đặt lại: `sudo timedatectl set-timezone {zone}`",
        "This PC's time zone ({here}) differs from the centre's ({zone}, {hall}): tickets "
        "would show the wrong time. Fix it: `sudo timedatectl set-timezone {zone}`",
    ),
    "doctor.clock_unsynced": (
        "Đồng hồ máy không đồng bộ qua mạng: giờ trên phiếu có thể lệch. Bật: "
        "`sudo timedatectl set-ntp true`",
        "This PC's clock is not synchronised over the network: ticket times may drift. "
        "Turn it on: `sudo timedatectl set-ntp true`",
    ),
    "doctor.clock_ok": ("Đồng hồ đồng bộ, múi giờ {zone}, bây giờ là {time}",
                        "Clock synchronised, time zone {zone}, now {time}"),
    "doctor.clock_ok_unknown_sync": (
        "Múi giờ đúng ({zone}), bây giờ là {time}; không biết đồng hồ có đồng bộ qua mạng "
        "không: hãy so với điện thoại",
        "Time zone right ({zone}), now {time}; whether the clock is synchronised is unknown "
        "here: compare it with a phone",
    ),
    "doctor.disk_low": (
        "Chỉ còn {gb} GB trống ở {folder}: giải phóng chỗ, nếu không bản sao lưu và nhật ký "
        "sẽ không ghi được",
        "Only {gb} GB free in {folder}: make room, or backups and logs cannot be written",
    ),
    "doctor.disk_ok": ("Còn {gb} GB trống ở {folder}", "{gb} GB free in {folder}"),
    "doctor.printer_not_queried": (
        "Máy in {target}: không hỏi trạng thái được qua loại kết nối này; in thử bằng "
        "`queue-kiosk printer test`",
        "Printer {target}: its status cannot be asked over this connection; print a test "
        "with `queue-kiosk printer test`",
    ),
    "doctor.printer_fix": (
        "Kiểm tra giấy, nắp, nguồn và dây nối của máy in, rồi chạy `queue-kiosk printer test`",
        "Check the printer's paper, cover, power and cable, then run `queue-kiosk printer test`",
    ),
    "doctor.printer_ok": ("Máy in {target} trả lời: sẵn sàng (hoặc không báo trạng thái)",
                          "Printer {target} answers: ready (or does not report a status)"),
    "doctor.no_player": (
        "Không có chương trình phát âm thanh (paplay hoặc aplay): tiếng gọi số sẽ không nghe "
        "được. Cài gói pulseaudio-utils hoặc alsa-utils",
        "No sound player (paplay or aplay): calls cannot be heard. Install "
        "pulseaudio-utils or alsa-utils",
    ),
    "doctor.player_ok": ("Phát âm thanh bằng {player}", "Sound plays through {player}"),
    "doctor.no_voice_pack": (
        "Không thấy thư mục giọng đọc {folder}: sửa display.voice_pack trong tệp cấu hình",
        "The voice pack folder {folder} is missing: correct display.voice_pack in the hall "
        "configuration",
    ),
    "doctor.voice_pack_ok": ("Giọng đọc từ thư mục {folder}", "Voice from the folder {folder}"),
    "doctor.voice_chime_only": ("Không dùng giọng đọc (display.espeak = false): chỉ có chuông",
                                "No voice (display.espeak = false): the chime only"),
    "doctor.no_espeak": (
        "Không có espeak-ng: số chỉ được báo bằng tiếng chuông. Cài gói espeak-ng",
        "espeak-ng is missing: numbers are announced by the chime only. Install espeak-ng",
    ),
    "doctor.espeak_ok": ("Giọng đọc espeak-ng sẵn sàng", "The espeak-ng voice is ready"),
    "doctor.public_url_down": (
        "Địa chỉ {url} không trả lời từ máy này ({detail}): kiểm tra `queue-kiosk serve` "
        "đang chạy và địa chỉ trong site.public_url đúng",
        "{url} does not answer from this PC ({detail}): check that `queue-kiosk serve` runs "
        "and that site.public_url is right",
    ),
    "doctor.public_url_ok": ("Địa chỉ {url} trả lời", "{url} answers"),
    "doctor.serve_none": (
        "`queue-kiosk serve` không chạy (chỉ cần cho màn hình trên trình duyệt và trang "
        "theo dõi phiếu)",
        "`queue-kiosk serve` is not running (needed only for screens in browsers and the "
        "ticket pages)",
    ),
    "doctor.serve_down": ("`queue-kiosk serve` không trả lời: {detail}; khởi động lại nó",
                          "`queue-kiosk serve` does not answer: {detail}; restart it"),
    "doctor.serve_ok": ("`queue-kiosk serve` trả lời ở {urls}",
                        "`queue-kiosk serve` answers at {urls}"),
    "doctor.backup_none": (
        "Chưa có bản sao lưu nào trong {folder}: chạy `queue-kiosk backup`; `close-day` mỗi "
        "chiều tự sao lưu",
        "No backup in {folder} yet: run `queue-kiosk backup`; `close-day` takes one every "
        "evening",
    ),
    "doctor.backup_stale": (
        "Bản sao lưu mới nhất đã cũ {days} ngày ({file}): chạy `queue-kiosk backup`, và "
        "`close-day` mỗi chiều",
        "The newest backup is {days} days old ({file}): run `queue-kiosk backup`, and "
        "`close-day` every evening",
    ),
    "doctor.backup_ok": ("Bản sao lưu mới nhất: {file} ({days} ngày trước)",
                         "Newest backup: {file} ({days} days ago)"),
    "doctor.admin_ok": ("Đã có tài khoản quản trị", "An administrator account exists"),
    "doctor.calendar_next": (
        "Ngày nghỉ sắp tới: {day} ({reason}); lịch làm việc: `queue-kiosk calendar`",
        "Next day closed: {day} ({reason}); the calendar: `queue-kiosk calendar`"),
    "doctor.calendar_none": (
        "Không có ngày nghỉ lễ hay ngày nghỉ riêng trong {days} ngày tới",
        "No public holiday or day off in the next {days} days"),
    "doctor.screens_dead": ("Màn hình đã dừng: {screens}. Khởi động lại chúng",
                            "Screens that stopped: {screens}. Start them again"),
    "doctor.screen_minutes": ("{name} (im lặng {minutes} phút)",
                              "{name} (silent for {minutes} min)"),
    "doctor.screens_none": ("Chưa màn hình nào báo đang chạy", "No screen has reported yet"),
    "doctor.screens_ok": ("{count} màn hình đang chạy: {screens}",
                          "{count} screens running: {screens}"),
    "doctor.log_journal": ("Nhật ký: journal của systemd (`journalctl -u 'queue-kiosk*'`)",
                           "Log: systemd's journal (`journalctl -u 'queue-kiosk*'`)"),
    "doctor.log_file": ("Nhật ký: {file}", "Log: {file}"),
    "doctor.summary_ok": ("Mọi mục đều ổn ({total})", "All {total} checks pass"),
    "doctor.summary_failed": ("{failed}/{total} mục cần xử lý", "{failed} of {total} checks "
                                                                "need action"),
    # ----- sites -------------------------------------------------------------------------
    "sites.line": ("{site} · {name} · {tickets} phiếu, {staff} cán bộ, {bookings} lịch hẹn",
                   "{site} · {name} · {tickets} tickets, {staff} staff, {bookings} bookings"),
    "sites.none": ("Chưa có trung tâm nào: chạy `queue-kiosk init`",
                   "No centre yet: run `queue-kiosk init`"),
    "sites.has_tickets": (
        "Trung tâm {site} có {tickets} phiếu: thêm --force để xóa (một bản sao lưu được tạo "
        "trước)",
        "Centre {site} has {tickets} tickets: add --force to remove it (a backup is taken "
        "first)",
    ),
    "sites.removed": ("Đã xóa trung tâm {site}", "Removed centre {site}"),
    "sites.removed_backup": ("Đã xóa trung tâm {site} ({tickets} phiếu); bản sao lưu trước "
                             "khi xóa: {backup}",
                             "Removed centre {site} ({tickets} tickets); backup taken "
                             "before: {backup}"),
    "sites.replaced_bundled": (
        "Đã bỏ trung tâm mẫu {bundled} (chưa dùng): cơ sở dữ liệu chỉ còn {site}",
        "Removed the bundled example centre {bundled} (never used): the database holds "
        "{site} only",
    ),
    # ----- backups -----------------------------------------------------------------------
    "backup.taken": ("Đã sao lưu: {file}", "Backed up: {file}"),
    "backup.pruned": ("Đã xóa {count} bản sao lưu cũ (giữ {keep})",
                      "Deleted {count} old backups (keeping {keep})"),
    "backup.no_file": ("Không có tệp {path}", "No file {path}"),
    "backup.bad_keep": ("--keep phải từ 1 trở lên (nhận {keep})",
                        "--keep must be 1 or more (got {keep})"),
    "backup.bad_file": ("Tệp {path} không phải bản sao lưu dùng được: {problem}",
                        "{path} is not a usable backup: {problem}"),
    "backup.wrong_kind": ("Tệp {path} là bản sao lưu của loại cơ sở dữ liệu khác",
                          "{path} is a backup of the other kind of database"),
    "backup.no_pg_tool": (
        "Không có chương trình {tool}: cài gói postgresql-client cùng phiên bản với máy chủ "
        "(`sudo apt install postgresql-client`), rồi chạy lại",
        "{tool} is not installed: install postgresql-client of the server's version "
        "(`sudo apt install postgresql-client`), then run this again",
    ),
    "backup.tool_failed": ("{tool} thất bại: {detail}", "{tool} failed: {detail}"),
    "backup.copy_failed": ("Không sao chép được cơ sở dữ liệu: {detail}",
                           "The database could not be copied: {detail}"),
    "backup.verified": ("Tệp {file}: nguyên vẹn, lược đồ {revision}; {counts}",
                        "{file}: intact, schema {revision}; {counts}"),
    "backup.verified_pg": ("Tệp {file}: pg_restore đọc được ({entries} mục)",
                           "{file}: pg_restore reads it ({entries} entries)"),
    "backup.restored": ("Đã khôi phục từ {file}; cơ sở dữ liệu trước đó được giữ ở {aside}",
                        "Restored from {file}; the database before it is kept at {aside}"),
    "backup.restored_new": ("Đã khôi phục từ {file}", "Restored from {file}"),
    "backup.screens_running": (
        "Còn {count} màn hình đang chạy ({screens}): tắt chúng trước khi khôi phục, hoặc "
        "thêm --force",
        "{count} screens are running ({screens}): stop them before restoring, or add --force",
    ),
    "backup.before_upgrade": ("Đã sao lưu trước khi nâng cấp lược đồ: {file}",
                              "Backed up before upgrading the schema: {file}"),
    "backup.day_end": ("Sao lưu cuối ngày: {file}", "End-of-day backup: {file}"),
    "backup.day_end_failed": ("Không sao lưu được cuối ngày: {detail}",
                              "The end-of-day backup failed: {detail}"),
    # ----- screens -----------------------------------------------------------------------
    "screens.stopped": ("Màn hình không thấy tín hiệu quá 2 phút: {screens}",
                        "Screens not seen for over 2 minutes: {screens}"),
    # ----- alerts ------------------------------------------------------------------------
    "alerts.wait": ("Chờ lâu: lĩnh vực {subject}, người chờ lâu nhất {detail} phút",
                    "Long wait: field {subject}, the longest {detail} min"),
    "alerts.paused": ("Quầy {subject} tạm dừng quá lâu ({detail})",
                      "Counter {subject} paused too long ({detail})"),
    "alerts.no_counter": ("Lĩnh vực {subject}: {detail} người chờ, không quầy nào mở",
                          "Field {subject}: {detail} waiting, no counter open for it"),
    "alerts.printer": ("Máy in phiếu lỗi: {detail}", "Ticket printer fault: {detail}"),
    "alerts.voice": ("Không phát được tiếng gọi số ({subject}): {detail}",
                     "Calls cannot be heard ({subject}): {detail}"),
    "alerts.screen": ("Màn hình mất tín hiệu: {subject} ({detail} phút)",
                      "Screen down: {subject} ({detail} min)"),
    "alerts.booked_missing": ("Người đặt lịch không đến: {detail}",
                              "Booked citizens missing: {detail}"),
    "alerts.open": ("● {site} · {what} · từ {since}", "● {site} · {what} · since {since}"),
    "alerts.cleared": ("✓ {site} · {what} · {since}–{cleared}",
                       "✓ {site} · {what} · {since}–{cleared}"),
    "alerts.none": ("Không có cảnh báo", "No alerts"),
    "alerts.note": ("Cảnh báo: {alerts}", "Alerts: {alerts}"),
    "alerts.defaults_set": ("Đã lưu ngưỡng cảnh báo mặc định của tỉnh: {keys}",
                            "The province's default alert thresholds are saved: {keys}"),
    # ----- shipping to the province (local first) ----------------------------------------
    "ship.live": ("trực tuyến", "live"),
    "ship.silent": ("mất kết nối từ {time}", "cut off since {time}"),
    "ship.never": ("chưa kết nối", "never connected"),
    "ship.bad_token": (
        "Mã truy cập của trung tâm {site} không đúng: tạo mã mới ở tỉnh bằng "
        "`queue-kiosk site token {site}` rồi đặt vào QUEUE_KIOSK_SHIP_TOKEN ở xã",
        "Wrong token for centre {site}: make a new one at the province with "
        "`queue-kiosk site token {site}` and set it as QUEUE_KIOSK_SHIP_TOKEN at the commune",
    ),
    "ship.unmapped": (
        "Nhật ký của trung tâm {site} nhắc đến {table} #{id} mà tỉnh chưa nhận: báo cho bộ "
        "phận kỹ thuật",
        "Centre {site}'s log refers to {table} #{id}, which the province never received: "
        "tell the technical staff",
    ),
    "ship.unknown_table": ("Nhật ký của trung tâm {site} có bảng lạ {table}: nâng cấp "
                           "queue-kiosk ở tỉnh",
                           "Centre {site}'s log holds an unknown table {table}: upgrade "
                           "queue-kiosk at the province"),
    "ship.other_site": ("Mã truy cập của trung tâm {site} không gửi được dữ liệu của {other}",
                        "Centre {site}'s token cannot ship the data of {other}"),
    "ship.one_site": (
        "Cơ sở dữ liệu ở xã có {count} trung tâm ({codes}): chỉ gửi được khi có đúng một. "
        "Xóa trung tâm thừa bằng `queue-kiosk site remove MÃ`",
        "The commune's database holds {count} centres ({codes}): shipping needs exactly one. "
        "Remove the extra one with `queue-kiosk site remove CODE`",
    ),
    "ship.no_token": (
        "Thiếu mã truy cập: đặt QUEUE_KIOSK_SHIP_TOKEN (mã do `queue-kiosk site token {site}` "
        "ở tỉnh tạo ra)",
        "No token: set QUEUE_KIOSK_SHIP_TOKEN (made at the province by "
        "`queue-kiosk site token {site}`)",
    ),
    "ship.bad_url": ("Địa chỉ tỉnh {url} không dùng được: cần http:// hoặc https://",
                     "The province address {url} is unusable: it needs http:// or https://"),
    "ship.refused": ("Tỉnh từ chối dữ liệu ({status}): {detail}",
                     "The province refused the data ({status}): {detail}"),
    "ship.sent": ("Đã gửi lên tỉnh đến mục {applied}; còn {pending} mục chờ",
                  "Shipped to the province up to entry {applied}; {pending} entries pending"),
    "ship.serving": (
        "queue-kiosk ship: đang gửi dữ liệu của trung tâm {site} lên {url} (Ctrl+C để dừng)",
        "queue-kiosk ship: shipping centre {site}'s data to {url} (Ctrl+C to stop)",
    ),
    "ship.token": (
        "Mã truy cập của trung tâm {site} (chỉ hiện một lần; mã cũ hết hiệu lực):\n{token}",
        "Centre {site}'s token (shown once; the previous one stops working):\n{token}",
    ),
    "ship.links_none": ("Chưa có trung tâm nào gửi dữ liệu lên tỉnh",
                        "No centre ships to the province yet"),
    "ship.link_line": ("{site} · {word} · đã nhận đến mục {applied}",
                       "{site} · {word} · applied up to entry {applied}"),
}
