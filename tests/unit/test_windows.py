"""A counter's own opening windows as rules: within the centre's calendar, on a make-up day as
the centre takes its own hours, and what is closed, since when and until when at a moment."""

from __future__ import annotations

from datetime import date, datetime, time

from queue_kiosk.domain.calendar import Calendar, Change, Windows, check_spans
from queue_kiosk.wording import Both, opens_words
from tests.conftest import VN

DAY = ["07:30-11:30", "13:30-17:00"]
HALL = [check_spans(DAY)] * 5 + [[], []]
LAND = [[], check_spans(["07:30-11:30"]), [], check_spans(["07:30-11:30"]),
        check_spans(["07:30-11:30", "13:30-16:00"]), [], []]
"""The land official: Tuesday and Thursday mornings, Friday until 16:00."""
WED, THU, SAT = date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 28)
HOLIDAY_TUE = date(2026, 12, 1)


def calendar() -> Calendar:
    """A holiday Tuesday, a make-up Saturday, a Thursday worked until 09:00 (an
    administrator's change) and a Saturday opened until 10:00."""
    shorter = {date(2026, 12, 3): "07:30-09:00", date(2026, 12, 5): "07:30-10:00"}
    return Calendar(HALL, holiday=lambda d: Both("Lễ", "Holiday") if d == HOLIDAY_TUE else None,
                    make_up=lambda d: Both("Làm bù", "Make-up") if d == SAT else None,
                    changes={day: Change(True, "Họp", tuple(check_spans([span])))
                             for day, span in shorter.items()})


def moment(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), VN)


def test_a_counters_periods_follow_the_calendar_and_mirror_its_make_up_days() -> None:
    cal = calendar()
    assert cal.periods_of(cal.day(WED), LAND) == ()
    assert cal.periods_of(cal.day(THU), LAND) == ((time(7, 30), time(11, 30)),)
    assert cal.periods_of(cal.day(date(2026, 11, 27)), LAND) == (
        (time(7, 30), time(11, 30)), (time(13, 30), time(16)))
    # A make-up Saturday works as the centre's first working weekday; so does the counter:
    # its first working weekday is Tuesday.
    assert cal.day(SAT).periods == tuple(HALL[0])
    assert cal.periods_of(cal.day(SAT), LAND) == ((time(7, 30), time(11, 30)),)
    assert cal.periods_of(cal.day(HOLIDAY_TUE), LAND) == ()  # the centre is closed
    # A Thursday the centre works shorter (an administrator's change) shortens the window;
    # a make-up Saturday with its own hours too.
    assert cal.periods_of(cal.day(date(2026, 12, 3)), LAND) == ((time(7, 30), time(9)),)
    assert cal.periods_of(cal.day(date(2026, 12, 5)), LAND) == ((time(7, 30), time(10)),)


def test_windows_close_a_counter_only_while_the_centre_is_open() -> None:
    cal = calendar()
    on_wed = Windows(cal, {2: LAND}, moment(WED, "08:00"))
    assert on_wed.closed == {2}
    assert on_wed.opens([2]) == moment(THU, "07:30")
    assert on_wed.since(2) is None
    assert Windows(cal, {2: LAND}, moment(WED, "12:00")).closed == frozenset()  # lunch
    assert Windows(cal, {2: LAND}, moment(WED, "18:00")).closed == frozenset()
    on_thu = Windows(cal, {2: LAND}, moment(THU, "08:00"))
    assert on_thu.closed == frozenset() and on_thu.since(2) == moment(THU, "07:30")
    afternoon = Windows(cal, {2: LAND}, moment(THU, "14:00"))
    assert afternoon.closed == {2} and afternoon.opens([2]) == moment(date(2026, 11, 27),
                                                                        "07:30")
    # Friday 16:30: the counter closed at 16:00; Saturday is a make-up day it works.
    assert Windows(cal, {2: LAND}, moment(date(2026, 11, 27), "16:30")).opens([2]) == \
        moment(SAT, "07:30")
    # Past the holiday Tuesday: Thursday 03/12, open shorter.
    after = Windows(cal, {2: LAND}, moment(SAT, "12:00"))
    assert after.opens([2]) == moment(date(2026, 12, 3), "07:30")
    assert Windows(cal, {2: [[]] * 7}, moment(WED, "08:00")).opens([2]) is None


def test_the_kiosk_says_when_a_field_opens_again() -> None:
    assert opens_words(moment(WED, "13:30"), WED, "vi") == "Tiếp nhận từ 13:30"
    assert opens_words(moment(THU, "07:30"), WED, "vi") == "Tiếp nhận từ 07:30 thứ Năm"
    assert opens_words(moment(THU, "07:30"), WED, "en") == "Open from 07:30 on Thursday"
    assert opens_words(moment(date(2026, 12, 3), "07:30"), WED, "vi") == \
        "Tiếp nhận từ 07:30 ngày 03/12"
    assert opens_words(moment(THU, "07:30"), WED, "vi", short=True) == "Từ 07:30 thứ Năm"
    assert opens_words(moment(THU, "07:30"), WED, "en", short=True) == "From 07:30 on Thursday"
