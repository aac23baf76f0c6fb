"""Changing a centre while it runs: the admin screen, its preview, its audit log, and the
`audit` and `hall export` commands."""

TEXTS: dict[str, tuple[str, str]] = {
    "manage.source": ("màn hình quản trị", "admin screen"),
    "manage.change_source": ("thay đổi số {id}", "change #{id}"),
    "manage.added.fields": ("Thêm lĩnh vực {code} ({name})", "Field {code} ({name}) added"),
    "manage.removed.fields": ("Bỏ lĩnh vực {code} ({name})", "Field {code} ({name}) removed"),
    "manage.added.counters": ("Thêm quầy {code} ({name})", "Counter {code} ({name}) added"),
    "manage.removed.counters": ("Bỏ quầy {code} ({name})", "Counter {code} ({name}) removed"),
    "manage.added.priorities": ("Thêm đối tượng ưu tiên {code} ({name})",
                                "Priority {code} ({name}) added"),
    "manage.removed.priorities": ("Bỏ đối tượng ưu tiên {code} ({name})",
                                  "Priority {code} ({name}) removed"),
    "manage.changed": ("{key}: {before} → {after}", "{key}: {before} → {after}"),
    "manage.reordered": ("Đổi thứ tự các quầy", "Counters reordered"),
    "manage.stranded": ("{count} công dân đang chờ {field} sẽ không còn quầy nào gọi",
                        "{count} citizens waiting for {field} would have no counter to call "
                        "them"),
    "manage.nothing": ("Không có gì thay đổi: không áp dụng",
                       "Nothing changed: nothing applied"),
    "manage.stale": (
        "Không áp dụng: trong lúc sửa, người khác đã thay đổi trung tâm ({changes}). Mở lại "
        "biểu mẫu để xem bản mới rồi sửa lại",
        "Not applied: someone else changed the centre meanwhile ({changes}). Open the form "
        "again to see the new version, then make your change again",
    ),
    "manage.no_change": ("Không có thay đổi số {id} để khôi phục (xem: queue-kiosk audit)",
                         "No change #{id} to restore (see: queue-kiosk audit)"),
    "manage.last_admin": (
        "Không thể bỏ quyền quản trị của '{code}': đó là quản trị viên cuối cùng còn hoạt động",
        "Cannot take '{code}' off administration: the last active administrator",
    ),
    "manage.closed": ("Tạm dừng lĩnh vực {field}: {reason}", "Field {field} closed: {reason}"),
    "manage.reopened": ("Mở lại lĩnh vực {field}", "Field {field} reopened"),
    "manage.staff_added": ("Thêm cán bộ {code} ({name}), vai trò {role}, quầy {counters}",
                           "Staff {code} ({name}) added, role {role}, counters {counters}"),
    "manage.staff_counters": ("Cán bộ {code}: quầy {before} → {after}",
                              "Staff {code}: counters {before} → {after}"),
    "manage.staff_role": ("Cán bộ {code}: vai trò {before} → {after}",
                          "Staff {code}: role {before} → {after}"),
    "manage.staff_pin": ("Cán bộ {code}: đặt lại PIN (cán bộ tự nhập PIN mới khi đăng nhập)",
                         "Staff {code}: PIN reset (they type a new one at their next sign-in)"),
    "manage.staff_unlock": ("Cán bộ {code}: mở khóa", "Staff {code}: unlocked"),
    "manage.staff_inactive": ("Cán bộ {code}: ngừng hoạt động", "Staff {code}: deactivated"),
    "manage.staff_active": ("Cán bộ {code}: hoạt động lại", "Staff {code}: active again"),
    # The command line.
    "manage.audit_empty": ("Chưa có thay đổi nào qua màn hình quản trị",
                           "No change made through the admin screen yet"),
    "manage.audit_line": ("#{id} {at} {staff} [{action}] {summary}",
                          "#{id} {at} {staff} [{action}] {summary}"),
    "manage.restored": ("Đã khôi phục thay đổi số {id}: phiên bản danh mục {version}",
                        "Change #{id} restored: catalogue version {version}"),
    "manage.cannot_write": ("Không ghi được {file}: {detail}. Chọn thư mục khác (--out)",
                            "Cannot write {file}: {detail}. Choose another folder (--out)"),
    "manage.file_header": (
        "Cấu hình của {site}, ghi bởi `queue-kiosk hall export`.\n"
        "Sửa tệp này rồi nạp lại bằng `queue-kiosk init --config <tệp này>`, hoặc sửa trên "
        "màn hình `queue-kiosk admin`.",
        "Hall configuration of {site}, written by `queue-kiosk hall export`.\n"
        "Edit it, then load it with `queue-kiosk init --config <this file>`, or change it on "
        "the `queue-kiosk admin` screen.",
    ),
    "manage.exported": ("Đã ghi cấu hình trung tâm vào {file}",
                        "The centre's hall file written to {file}"),
}
