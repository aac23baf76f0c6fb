"""Set-up without a UI: answers → checked → hall file → the loaded centre with its first
administrator; refusals keyed by the answer they are about; nothing half-written."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import pytest

from queue_kiosk.config.hall import HallConfig, load_hall, parse_hall
from queue_kiosk.config.hall_file import hall_toml
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.setup import (
    Answers,
    CounterAnswer,
    SetupRefused,
    answers_from,
    apply_setup,
    check_answers,
    lan_address,
    site_code,
)
from queue_kiosk.service.staff import StaffDirectory
from queue_kiosk.store.store import Store


def an_binh(catalogue: HallConfig) -> Answers:
    return Answers(
        commune="xã An Bình", name="Trung tâm Phục vụ hành chính công xã An Bình",
        code="an-binh", fields=["A", "B", "C", "T"],
        counters=[CounterAnswer("Tư pháp – Hộ tịch", "B, A"),
                  CounterAnswer("Đất đai", "c"), CounterAnswer("Trả kết quả", "T, A")],
        weekdays="07:00-11:30, 13:30-17:00", saturday="07:30-11:30",
        printer="none", paper_mm=58, reading="south", public_url="http://192.168.1.20:8080/",
        admin_code="quantri", admin_name="Lê Văn Quản", pin="246810", pin_again="246810")


def test_the_answers_make_a_hall_file_and_a_loaded_centre_with_its_administrator(
        db_url: str, tmp_path: Path, clock: FrozenClock, default_hall: HallConfig) -> None:
    store = Store(db_url)
    path = tmp_path / "data" / "hall.toml"
    done = apply_setup(store, an_binh(default_hall), default_hall, path, clock)

    assert done.path == path and done.other_sites == []
    assert (done.loaded.site, done.loaded.fields, done.loaded.procedures,
            done.loaded.counters) == ("an-binh", 4, 4 + 7 + 6 + 1, 3)
    hall = load_hall(path)  # the file reads back, as `init --config` will read it
    assert [c.fields for c in hall.counters] == [["B", "A"], ["C"], ["T", "A"]]
    assert hall.hours.mon == ["07:00-11:30", "13:30-17:00"] and hall.hours.sat == ["07:30-11:30"]
    assert hall.hours.sun == [] and hall.printer.paper_mm == 58
    assert hall.display.reading == "south" and "thứ Bảy 07:30-11:30" in hall.display.notice
    assert hall.site.public_url == "http://192.168.1.20:8080"
    assert hall.priorities == default_hall.priorities  # the catalogue's rules come along
    assert [p.name for p in hall.fields[0].procedures] == \
        [p.name for p in default_hall.fields[0].procedures]
    assert sorted(p.name for p in path.parent.iterdir()) == ["hall.toml"]  # no temp left
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # as any file the user writes

    service = QueueService(store, clock=clock)
    assert service.catalog.hall == hall
    admin = StaffDirectory(service).login("quantri", "246810", role="admin")
    assert admin.name == "Lê Văn Quản"
    assert service.issue("C").number == "C001"
    store.dispose()


def test_each_refused_answer_is_named_with_its_reason(default_hall: HallConfig) -> None:
    answers = an_binh(default_hall)
    assert check_answers(answers, default_hall) == {}
    answers.code = "an bình"
    answers.counters = [CounterAnswer("Tư pháp", "B, A, B"), CounterAnswer("", "X")]
    answers.weekdays = "07:30-11:30, 11:00-17:00"
    answers.saturday = "sáng"
    answers.printer = "lpt1"
    answers.public_url = "192.168.1.20"
    answers.pin_again = "246811"
    problems = {key: problem.message("vi") for key, problem in
                check_answers(answers, default_hall).items()}
    assert problems == {
        "code": "Chỉ dùng chữ không dấu, số, dấu gạch ngang (tối đa 32 ký tự), ví dụ an-binh",
        "counter.1.fields": "Lĩnh vực 'B' ghi hai lần",
        "counter.2.name": "Chưa nhập",
        "counter.2.fields": "Không có lĩnh vực 'X' trong các lĩnh vực đã chọn (A, B, C, T)",
        "counters": "Lĩnh vực C, T chưa có quầy nào phục vụ: thêm vào một quầy, hoặc bỏ chọn",
        "weekdays": "'11:00-17:00' trùng với khoảng giờ trước nó",
        "saturday": "'sáng' không phải khoảng giờ; viết như 07:30-11:30, 13:30-17:00",
        "printer": problems["printer"],
        "public_url": "Phải là địa chỉ http:// hoặc https://, ví dụ http://192.168.1.10:8080",
        "pin_again": "Hai lần nhập PIN không khớp",
    }
    assert "lpt1" in problems["printer"]
    answers = an_binh(default_hall)
    answers.fields, answers.pin, answers.weekdays = [], "12a4", " "
    assert set(check_answers(answers, default_hall)) == {
        "fields", "pin", "weekdays", "counter.1.fields", "counter.2.fields",
        "counter.3.fields"}


def test_refused_answers_write_nothing(tmp_path: Path, clock: FrozenClock,
                                       default_hall: HallConfig) -> None:
    store = Store(f"sqlite:///{tmp_path / 'queue.db'}")
    answers = an_binh(default_hall)
    answers.pin_again = "0000"
    with pytest.raises(SetupRefused) as refused:
        apply_setup(store, answers, default_hall, tmp_path / "hall.toml", clock)
    assert set(refused.value.problems) == {"pin_again"}
    assert not (tmp_path / "hall.toml").exists() and not (tmp_path / "queue.db").exists()


def test_a_load_refused_at_the_last_step_leaves_the_file_and_the_centre_as_they_were(
        tmp_path: Path, clock: FrozenClock, default_hall: HallConfig) -> None:
    """Set-up run twice for one centre with the same administrator: the account exists, so
    the second load (with other counters) is undone whole and the file is not replaced."""
    store = Store(f"sqlite:///{tmp_path / 'queue.db'}")
    path = tmp_path / "hall.toml"
    apply_setup(store, an_binh(default_hall), default_hall, path, clock)
    before = path.read_text(encoding="utf-8")
    again = an_binh(default_hall)
    again.counters = [CounterAnswer("Một cửa", "A, B, C, T")]
    with pytest.raises(SetupRefused) as refused:
        apply_setup(store, again, default_hall, path, clock)
    assert refused.value.problems["admin_code"].message("vi") == "Đã có cán bộ mã 'quantri'"
    assert path.read_text(encoding="utf-8") == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".hall.toml")]
    assert len(QueueService(store, clock=clock).catalog.hall.counters) == 3
    store.dispose()


def test_a_new_centre_starts_from_the_catalogue_and_this_pcs_address(
        default_hall: HallConfig) -> None:
    answers = answers_from(default_hall)
    assert len(answers.fields) == len(default_hall.fields)
    assert answers.counters[0].fields == "B, A, K"
    address = answers.public_url.removeprefix("http://").removesuffix(":8080")
    assert ipaddress.ip_address(address) == ipaddress.ip_address(lan_address())


@pytest.mark.parametrize(("commune", "code"), [
    ("xã An Bình", "an-binh"), ("Phường Đống Đa", "dong-da"), ("Đặc khu Côn Đảo", "con-dao"),
    ("Tân Phú", "tan-phu")])
def test_the_site_code_comes_from_the_communes_name(commune: str, code: str) -> None:
    assert site_code(commune) == code


def test_a_hall_written_as_toml_reads_back_the_same(default_hall: HallConfig) -> None:
    assert parse_hall(hall_toml(default_hall, "đầu\ntệp")) == default_hall
    blocks = default_hall.model_copy(update={"fields": [
        default_hall.fields[0].model_copy(update={"prefix": None, "block": 1001,
                                                  "daily_cap": 40})],
        "counters": [default_hall.counters[0].model_copy(update={"fields": ["A"]})]})
    assert parse_hall(hall_toml(blocks)).fields == blocks.fields
