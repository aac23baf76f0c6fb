"""`hall export`, `audit` and `audit --restore` from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from queue_kiosk.service.admin import HallAdmin
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store


def test_export_then_init_then_export_gives_the_same_file(qk: Any, tmp_path: Path) -> None:
    assert qk("init")[0] == 0
    store = Store(f"sqlite:///{tmp_path / 'cli.db'}")  # a counter with hours of its own
    admin = HallAdmin(QueueService(store), "admin")
    draft = admin.draft()

    def land_official(data: dict[str, Any]) -> None:
        data["counters"][1]["hours"] = {"tue": ["07:30-11:30"], "thu": ["07:30-11:30"],
                                        "fri": ["07:30-11:30", "13:30-16:00"]}
    admin.apply(draft, admin.edited(draft, land_official))
    store.dispose()
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    assert qk("hall", "export", "--out", str(first))[0] == 0
    assert qk("init", "--config", str(first))[0] == 0
    assert qk("hall", "export", "--out", str(second))[0] == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    assert "queue-kiosk hall export" in first.read_text(encoding="utf-8")
    assert '[counters.hours]\ntue = ["07:30-11:30"]\nthu = ["07:30-11:30"]\n' \
        'fri = ["07:30-11:30", "13:30-16:00"]\n' in first.read_text(encoding="utf-8")
    code, out, _ = qk("hall", "export")
    assert code == 0 and out == first.read_text(encoding="utf-8")


def test_export_to_a_folder_it_cannot_write_says_so(qk: Any, tmp_path: Path) -> None:
    qk("init")
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    code, _, err = qk("hall", "export", "--out", str(tmp_path / "a-file" / "x.toml"))
    assert code != 0 and err.count("\n") == 1 and "Không ghi được" in err


def test_audit_lists_changes_and_restores_one(qk: Any, tmp_path: Path) -> None:
    qk("init")
    assert qk("audit")[1].strip() == "Chưa có thay đổi nào qua màn hình quản trị"
    store = Store(f"sqlite:///{tmp_path / 'cli.db'}")
    admin = HallAdmin(QueueService(store), "admin")
    draft = admin.draft()

    def rename(data: dict[str, Any]) -> None:
        data["counters"][0]["name"] = "Quầy mới"
    admin.apply(draft, admin.edited(draft, rename))
    store.dispose()
    code, out, _ = qk("audit", "--json")
    [change] = json.loads(out)
    assert change["staff"] == "admin" and "«Quầy mới»" in change["summary"]
    code, out, err = qk("audit", "--restore", str(change["id"]), "--before")
    assert code == 0 and "Đã khôi phục thay đổi số" in out, err
    code, out, _ = qk("audit")
    assert "[restore]" in out.splitlines()[0] and "«Quầy mới» → " in out
    code, _, err = qk("audit", "--restore", "999")
    assert code != 0 and "Không có thay đổi số 999" in err
