"""The staffing plan and the reports."""

TEXTS: dict[str, tuple[str, str]] = {
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
    "plan.keep": (
        "Giữ nguyên cách bố trí quầy: 95% công dân chờ không quá {before} phút, không thay "
        "đổi nào giảm mức này được 1%; một hàng chung cho mọi quầy: {pooled} phút.",
        "Keep the counters as they are: 95% of citizens wait at most {before} min, and no "
        "change lowers that by 1%; one line for every counter: {pooled} min.",
    ),
    "plan.takes": ("Quầy {counter} nhận thêm {fields}", "Counter {counter} also serves {fields}"),
    "plan.extra": (
        "Nếu có thêm một cán bộ: mở thêm một quầy từ {opens} đến {closes}, nhận mọi lĩnh vực "
        "(trước hết {field}): 95% công dân chờ không quá {p95} phút.",
        "With one more official: open one more counter from {opens} to {closes} for every "
        "field ({field} first): 95% of citizens wait at most {p95} min.",
    ),
    "plan.no_fields": ("Các quầy giữ lĩnh vực", "Counters keep their fields"),
    "plan.verdict": (
        "{changes} ({when}): 95% công dân chờ không quá {after} phút thay vì {before} phút; "
        "một hàng chung cho mọi quầy: {pooled} phút.",
        "{changes} ({when}): 95% of citizens wait at most {after} min instead of {before} "
        "min; one line for every counter: {pooled} min.",
    ),
    "plan.when_wait": (
        "khi quầy hết người của lĩnh vực chính, hoặc có người chờ quá {wait} phút",
        "when its own line is empty, or someone has waited over {wait} min",
    ),
    "plan.when_now": ("nhận ngay khi có người chờ", "as soon as someone waits"),
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
    "plan.figures": ("Chờ TB {mean}′ · 95% không quá {p95}′ · lâu nhất {max}′\n"
                     "Người cuối về lúc {last}",
                     "Wait mean {mean}′ · 95% within {p95}′ · max {max}′\nLast leaves at {last}"),
    "plan.col_p95": ("{plan}: 95% chờ không quá", "{plan}: 95% wait at most"),
    "plan.unserved": ("  Không quầy nào gọi (số công dân): {fields}",
                      "  Called by no counter (citizens): {fields}"),
    "plan.no_tickets": ("Không có phiếu nào trong kỳ báo cáo để lập kế hoạch.",
                        "No tickets in the report's period to plan from."),
    "plan.key": ("Kế hoạch quầy", "Counter plan"),
    "plan.back": ("Quay lại", "Back"),
    "plan.wait_for": ("Chờ quá {wait} phút thì nhận lĩnh vực phụ",
                      "Secondary fields after {wait} min"),
    "plan.wait_none": ("Nhận lĩnh vực phụ ngay khi có người chờ",
                       "Secondary fields as soon as someone waits"),
    "plan.overtime": ("{time} (quá giờ)", "{time} (after hours)"),
    "plan.bundled": ("cấu hình mẫu", "the bundled hall"),
    "plan.written": ("Đã ghi đề xuất vào {file}: nạp bằng `queue-kiosk init --config {file}`",
                     "Wrote the proposal to {file}: load it with "
                     "`queue-kiosk init --config {file}`"),
    "plan.chart": ("Số người chờ trong ngày, mỗi 15 phút: hiện tại (█), đề xuất (▒)",
                   "Citizens waiting through the day, every 15 min: current (█), proposal (▒)"),
    "plan.working": ("Đang mô phỏng các phương án…", "Simulating the plans…"),
    "report.one_day": ("{day}", "{day}"),
    "report.period": ("{start} → {end} · {days} ngày làm việc",
                      "{start} → {end} · {days} working days"),
    "report.wrote": ("Đã ghi {path}", "Wrote {path}"),
    # ----- the province's comparison ---------------------------------------------------------
    "compare.bottleneck": (
        "{site}: {field} {start}–{end}, chờ p95 {p95} phút, quầy gọi nhiều nhất: Quầy {counter}; "
        "đề xuất: {proposal}",
        "{site}: {field} {start}–{end}, p95 wait {p95} min, called mostly at counter "
        "{counter}; proposal: {proposal}",
    ),
    "compare.takes": ("Quầy {counter} nhận thêm {field} từ {start} đến {end}",
                      "counter {counter} also takes {field} from {start} to {end}"),
    "compare.extra": ("thêm một quầy (trước hết {field}) từ {opens} đến {closes}",
                      "one more counter (first {field}) from {opens} to {closes}"),
    "compare.keep": ("giữ nguyên cách bố trí quầy", "keep the counters as they are"),
    "compare.quiet": ("{site}: chờ p95 {p95} phút, trong ngưỡng: không có điểm nghẽn",
                      "{site}: p95 wait {p95} min, within the threshold: no bottleneck"),
    "compare.no_tickets": ("{site}: không có số nào được gọi trong kỳ",
                           "{site}: no ticket called in the period"),
    "compare.rank": ("Hạng", "Rank"),
    "compare.sheet": ("So sánh", "Comparison"),
    "compare.heading": ("So sánh các trung tâm, {start}–{end} (chờ p95 lâu "
                        "nhất trước)",
                        "Centres compared, {start}–{end} (the longest p95 "
                        "wait first)"),
    "compare.line": ("{place}. {site}: chờ trung vị {median}′ · p95 {p95}′ · {per_hour} người/"
                     "giờ-quầy · phục vụ {served} · vắng {no_shows} · hài lòng {satisfaction} · "
                     "hẹn {bookings} · quá ngưỡng {over}",
                     "{place}. {site}: wait median {median}′ · p95 {p95}′ · {per_hour} per "
                     "counter-hour · served {served} · no-shows {no_shows} · satisfied "
                     "{satisfaction} · bookings {bookings} · over the threshold {over}"),
}
