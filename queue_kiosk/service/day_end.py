"""Provides the end of a day, as the command line and an administrator's counter both end
it: waiting and called tickets expire (or carry over), unused bookings are marked missed
and old phone numbers deleted, the day's identity hashes deleted; and the one line that
says what happened."""

from __future__ import annotations

from dataclasses import replace

from queue_kiosk.domain.views import DayClosedView
from queue_kiosk.service.appointments import Appointments
from queue_kiosk.service.calendar import CentreCalendar
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.identity import forget
from queue_kiosk.wording import say


def close_day(service: QueueService, *, staff: str | None = None) -> DayClosedView:
    view = service.close_day(staff=staff)
    forget(service, view.day)
    following = CentreCalendar(service).calendar().next_open(view.day)
    return replace(view, bookings_missed=Appointments(service).end_of_day(view.day),
                   next_open=following.day if following else None)


def summary(view: DayClosedView, lang: str) -> str:
    serving = say("cli.still_serving", lang, numbers=", ".join(view.still_serving)) \
        if view.still_serving else ""
    text = say("cli.day_closed", lang, day=view.day, expired=view.expired,
               carried=view.carried_over, next=view.next_open or "—", serving=serving)
    if view.bookings_missed:
        text += "\n" + say("cli.bookings_missed", lang, missed=view.bookings_missed)
    return text
