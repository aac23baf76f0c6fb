"""Provides `queue-kiosk calendar`: the open and closed days ahead with their reasons, and an
administrator's changes (`calendar close DATE --reason …`, `calendar open DATE --hours …`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from queue_kiosk.cli.commands import CliError, Context, Result, day_option

if TYPE_CHECKING:
    from queue_kiosk.domain.calendar import Day


def day_state(ctx: Context, day: Day) -> str:
    """What a day is, in words: "làm việc 07:30-11:30, 13:30-17:00", "nghỉ lễ – Quốc khánh"."""
    reason = day.reason.said(ctx.lang)
    if day.open and reason:
        return ctx.say("calendar.extra", hours=day.hours(), reason=reason)
    if day.open:
        return ctx.say("calendar.open", hours=day.hours())
    if not reason:
        return ctx.say("calendar.weekly")
    return ctx.say(f"calendar.{day.kind.value}", reason=reason)


def day_json(ctx: Context, day: Day) -> dict[str, Any]:
    return {"date": day.day.isoformat(), "open": day.open, "kind": day.kind.value,
            "hours": day.hours() if day.open else None,
            "reason": day.reason.said(ctx.lang) or None}


def cmd_calendar(ctx: Context) -> Result:
    from queue_kiosk.service.calendar import CentreCalendar

    args = ctx.args
    calendar = CentreCalendar(ctx.service)
    if args.action is None:
        if args.day is not None:
            raise CliError("usage.calendar_action", value=args.day)
        first = day_option(args.start) if args.start else ctx.service.today()
        days = calendar.days(first, args.days)
        return ([day_json(ctx, d) for d in days],
                "\n".join(ctx.say("calendar.row", day=d.day, state=day_state(ctx, d))
                          for d in days))
    if args.day is None:
        raise CliError("usage.needs", command=f"calendar {args.action}", what="DATE")
    day = day_option(args.day)
    if args.action == "close":
        if not (args.reason or "").strip():
            raise CliError("usage.needs", command="calendar close", what="--reason")
        if args.hours:
            raise CliError("usage.closed_hours")
        changed = calendar.set_day(day, open_=False, reason=args.reason.strip())
    else:
        hours = [span for span in (args.hours or "").split(",") if span.strip()]
        changed = calendar.set_day(day, open_=True, reason=(args.reason or "").strip(),
                                   hours=hours)
    return day_json(ctx, changed), ctx.say("calendar.changed", day=changed.day,
                                           state=day_state(ctx, changed))
