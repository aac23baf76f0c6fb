"""`queue-kiosk plan` as a centre's IT person runs it: JSON, a demand file, the last days'
tickets, and the proposal written as a fragment that `init --config` loads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.test_cli import ok_json, qk  # noqa: F401  (the CLI fixture)


def test_plan_json_holds_the_three_plans(qk: Any) -> None:  # noqa: F811
    value = ok_json(qk, "plan", "--seeds", "2", "--citizens", "200")
    assert value["hall"] == "bundled"  # no database yet: the bundled hall's typical day
    for key in ("current", "proposal", "pooled"):
        outcome = value[key]
        assert {"mean_minutes", "p95_minutes", "max_minutes", "last_leaves_at",
                "fields"} <= set(outcome)
        assert outcome["overtakes"] == 0
        assert set(outcome["fields"]["B"]) == {"mean_minutes", "p95_minutes", "max_minutes"}
    assert value["current"]["counters"]["1"] == {"primary": ["B"], "secondary": ["A", "K"]}
    assert value["pooled"]["counters"] is None
    assert value["proposal"]["p95_minutes"] < value["current"]["p95_minutes"]
    assert value["proposal"]["p95_minutes"] <= 1.3 * value["pooled"]["p95_minutes"]
    assert "95% công dân chờ không quá" in value["verdict"] and "p95" not in value["verdict"]
    extra = value["extra_counter"]  # null where one more official would not help
    assert extra is None or (extra["p95_minutes"] <= value["proposal"]["p95_minutes"] - 10
                             and f"từ {extra['opens_at']} đến" in value["verdict"])


def test_plan_from_the_last_days_then_loaded(qk: Any, tmp_path: Path) -> None:  # noqa: F811
    assert qk("init")[0] == 0
    code, _, err = qk("plan", "--from-report", "7")
    assert code == 2 and "không có số nào trong 7 ngày qua" in err
    for n in range(30):
        assert qk("issue", "B" if n % 3 else "C")[0] == 0
    out_file = tmp_path / "plan.toml"
    value = ok_json(qk, "plan", "--from-report", "7", "--seeds", "2", "--out", str(out_file))
    assert value["citizens_per_day"] > 15  # 30 tickets at 08:00, Poisson around them
    assert value["out"] == str(out_file)
    proposed = value["proposal"]["counters"]
    code, out, err = qk("init", "--config", str(out_file))
    assert code == 0 and "5 quầy" in out, err
    catalog = ok_json(qk, "catalog")
    assert {c["code"]: c["fields"] for c in catalog["counters"]} == {
        code: roles["primary"] + roles["secondary"] for code, roles in proposed.items()}
    assert catalog["site"] == "xa-mau" and len(catalog["fields"]) == 13  # the rest stayed


def test_plan_mistakes_are_one_line(qk: Any, tmp_path: Path) -> None:  # noqa: F811
    demand = tmp_path / "demand.csv"
    demand.write_text("field,hour,citizens\nB,8,10\nQ,9,3\n", encoding="utf-8")
    officials = tmp_path / "officials.toml"
    officials.write_text('[counters]\n"5" = ["T", "V", "A", "Z"]\n', encoding="utf-8")
    for args, message in (
            (("--demand", str(demand)), f"{demand}: line 3: unknown field 'Q'"),
            (("--officials", str(officials)), "counters.5: unknown field 'Z'"),
            (("--seeds", "0"), "--seeds phải từ 1 đến 50, nhận được 0"),
            (("--from-report", "3", "--demand", str(demand)), "không dùng cả hai")):
        code, out, err = qk("plan", *args)
        assert code == 2 and out == "" and message in err and err.count("\n") == 1, err
    code, _, err = qk("plan", "--demand", str(demand), "--json")
    assert code == 2 and json.loads(err)["error"] == "config.invalid"


def test_plan_with_a_demand_file_and_officials(qk: Any, tmp_path: Path) -> None:  # noqa: F811
    demand = tmp_path / "demand.csv"
    demand.write_text("".join(f"B,{hour},9\n" for hour in (8, 9, 10, 13, 14)),
                      encoding="utf-8")
    officials = tmp_path / "officials.toml"
    officials.write_text('[counters]\n"2" = ["C", "H"]\n"3" = ["D", "E"]\n"4" = ["F", "G"]\n',
                         encoding="utf-8")
    code, out, err = qk("plan", "--demand", str(demand), "--officials", str(officials),
                        "--seeds", "2", "--lang", "en")
    assert code == 0, err
    assert "Counter 5 also serves Civil status" in out  # the only counter allowed to help
    assert "Counter 2 also" not in out and "Counter 3 also" not in out


def test_plan_text_reads_as_a_centre_head_would_read_it(qk: Any) -> None:  # noqa: F811
    """Whole citizens, no database address, names cut after a whole word, a wait of 0 said
    in words, and a last citizen after closing time flagged."""
    assert qk("init")[0] == 0
    code, out, err = qk("plan", "--seeds", "2", "--citizens", "200")
    assert code == 0, err
    heading = out.splitlines()[0]
    assert heading.startswith("Kế hoạch quầy: 194 công dân/ngày, mô phỏng 2 ngày · tính trong")
    assert "sqlite" not in out and "cli.db" not in out
    assert "  V Hướng dẫn, hỗ trợ dịch vụ công trực …" in out and "trực tu " not in out
    current = next(line for line in out.splitlines() if line.startswith("  Hiện tại"))
    assert current.endswith(" (quá giờ)")  # the bundled hall's day ends at 17:00
    assert "Chờ quá 0 phút" not in out and "quá 0 phút" not in out
    assert "Nhận lĩnh vực phụ ngay khi có người chờ" in out  # the proposal's secondary wait
    assert "(nhận ngay khi có người chờ): 95% công dân chờ không quá 41 phút thay vì 173" in out
    assert "p95" not in out and "  Lĩnh vực   " in out and "Đề xuất: 95% chờ không quá" in out
    value = ok_json(qk, "plan", "--seeds", "2", "--citizens", "200")
    assert value["citizens_per_day"] == 194 and value["current"]["after_hours"] is True
    assert value["hall"] == "database"  # not its address, which may hold a password
