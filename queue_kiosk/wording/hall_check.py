"""What the hall's check says of a wrong value: the admin screen tells it beside the field, in
the user's language; `init --config` on one line with the file and the key."""

TEXTS: dict[str, tuple[str, str]] = {
    # pydantic's own checks, by their type
    "check.missing": ("thiếu khoá bắt buộc", "required key is missing"),
    "check.extra_forbidden": (
        "khoá không có trong cấu hình (kiểm tra chính tả; xem phần tham chiếu cấu hình "
        "trong README)",
        "unknown key (check the spelling; see the README's configuration reference)"),
    "check.greater_than_equal": ("phải từ {ge} trở lên, đang là {input}",
                                 "must be at least {ge}, got {input}"),
    "check.greater_than": ("phải lớn hơn {gt}, đang là {input}",
                           "must be more than {gt}, got {input}"),
    "check.less_than_equal": ("phải từ {le} trở xuống, đang là {input}",
                              "must be at most {le}, got {input}"),
    "check.less_than": ("phải nhỏ hơn {lt}, đang là {input}",
                        "must be less than {lt}, got {input}"),
    "check.string_too_short": ("không được để trống", "must not be empty"),
    "check.string_too_long": ("dài quá {max_length} ký tự", "longer than {max_length} characters"),
    "check.string_pattern_mismatch": (
        "chỉ dùng chữ cái không dấu, chữ số và . _ - (không dấu cách), đang là {input}",
        "use only letters without accents, digits and . _ - (no spaces), got {input}"),
    "check.too_short": ("cần ít nhất {min_length} mục", "needs at least {min_length} item(s)"),
    "check.literal_error": ("phải là một trong: {expected}, đang là {input}",
                            "must be one of {expected}, got {input}"),
    "check.int_type": ("phải là số nguyên, đang là {input}",
                       "must be a whole number, got {input}"),
    "check.float_type": ("phải là số, đang là {input}", "must be a number, got {input}"),
    "check.bool_type": ("phải là true hoặc false, đang là {input}",
                        "must be true or false, got {input}"),
    "check.string_type": ("phải là chuỗi chữ trong ngoặc kép, đang là {input}",
                          "must be a quoted text, got {input}"),
    "check.list_type": ("phải là danh sách trong [ ], đang là {input}",
                        "must be a list in [ ], got {input}"),
    "check.dict_type": ("phải là một bảng (mục) TOML, đang là {input}",
                        "must be a TOML table, got {input}"),
    "check.date_type": ("phải là ngày (2026-09-02 hoặc \"02/09/2026\"), đang là {input}",
                        "must be a date (2026-09-02 or \"02/09/2026\"), got {input}"),
    "check.other": ("giá trị không hợp lệ: {detail}", "{detail}"),
    # the hall model's own checks
    "check.prefix": ("cần 1–3 chữ in hoa A–Z, đang là '{value}'",
                     "expected 1–3 capital letters A–Z, got '{value}'"),
    "check.one_scheme": (
        "cần đúng một trong hai: tiền tố `prefix` (ví dụ \"B\") hoặc dải số `block` (ví dụ "
        "1001)",
        "give exactly one of `prefix` (e.g. \"B\") or `block` (e.g. 1001)"),
    "check.url": ("cần địa chỉ bắt đầu bằng http:// hoặc https://, đang là '{value}'",
                  "expected an http:// or https:// URL, got '{value}'"),
    "check.timezone": ("không có múi giờ '{value}' (ví dụ Asia/Ho_Chi_Minh)",
                       "unknown time zone '{value}' (e.g. Asia/Ho_Chi_Minh)"),
    "check.code_clash": ("mã '{code}' vừa là mã lĩnh vực vừa là mã thủ tục: đổi một trong hai",
                         "code '{code}' names both a field and a procedure"),
    "check.blocks_overlap": ("dải số của lĩnh vực '{code}' và '{other}' chồng lên nhau",
                             "number blocks of fields '{code}' and '{other}' overlap"),
    "check.unknown_field": ("{where}: không có lĩnh vực '{code}' (có: {known})",
                            "{where}: unknown field '{code}' (known: {known})"),
    "check.field_twice": ("{where}: một lĩnh vực được ghi hai lần",
                          "{where}: a field is listed twice"),
    "check.not_a_priority": (
        "{where}: '{code}' không phải một diện ưu tiên của trung tâm ([[priorities]])",
        "{where}: '{code}' is not one of the hall's [[priorities]]"),
    "check.duplicate": ("{section}: trùng {key} '{value}'", "{section}: duplicate {key} '{value}'"),
    "check.cutoff_time": ("cutoff.{code}: cần giờ dạng HH:MM, đang là '{at}'",
                          "cutoff.{code}: expected HH:MM, got '{at}'"),
    "check.day_twice": ("{day} được ghi hai lần", "{day} is listed twice"),
    "check.closed_reason": ("ngày nghỉ {day}: ghi lý do nghỉ", "closed {day}: give its reason"),
    "check.closed_hours": ("ngày nghỉ {day}: ngày nghỉ không có giờ làm việc",
                           "closed {day}: a closed day has no hours"),
    "check.unknown_action": ("không có thao tác '{action}' (có: {known})",
                             "unknown action '{action}' (known: {known})"),
    "check.key_twice": ("phím '{key}' đang dùng cho cả '{first}' và '{second}'",
                        "'{key}' is the key of both '{first}' and '{second}'"),
    "check.moment": (
        "cần ngày giờ dạng YYYY-MM-DD HH:MM (ví dụ 2026-12-07 13:30), đang là '{value}'",
        "expected a date and time as YYYY-MM-DD HH:MM (e.g. 2026-12-07 13:30), got "
        "'{value}'"),
    "check.no_image": ("không có tệp ảnh tại '{found}'", "no image file at '{found}'"),
    "check.no_folder": ("không có thư mục tại '{found}'", "no folder at '{found}'"),
    "check.fragment_alone": (
        "thiếu; tệp không có [site] (một phần cấu hình, như `plan --out` ghi ra) chỉ nạp "
        "được chồng lên cấu hình đã có trong cơ sở dữ liệu: chạy `queue-kiosk init` trước",
        "missing; a file without [site] (a fragment, such as `plan --out` writes) loads only "
        "over a hall already in the database: run `queue-kiosk init` first"),
    "check.counter_outside": (
        "{where}: quầy '{code}' mở '{span}', ngoài giờ làm việc của trung tâm hôm đó ({hours})",
        "{where}: counter '{code}' opens '{span}', outside the centre's hours that day "
        "({hours})"),
}
