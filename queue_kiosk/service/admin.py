"""Provides changing a centre while it runs, as the admin screen does: a change is a new hall,
checked by the hall file's own model, previewed in words, applied in one transaction through
`load_catalog` (so running screens follow at their next feed wake-up), refused when the form
is stale, and kept in an audit log from which any version can be restored."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, desc, insert, select

from queue_kiosk.config.base import WEEKDAYS
from queue_kiosk.config.hall import (
    CounterHours,
    HallConfig,
    check_hall,
    check_notify_command,
    parse_hall,
)
from queue_kiosk.config.hall_file import hall_toml
from queue_kiosk.domain.calendar import SpanError, check_spans
from queue_kiosk.domain.calendar import describe as describe_hours
from queue_kiosk.domain.errors import NotFound, QueueError, Refused
from queue_kiosk.domain.text import nfc
from queue_kiosk.domain.views import JsonView
from queue_kiosk.service.calendar import CentreCalendar
from queue_kiosk.service.catalog import Catalog, load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.staff import PIN_RESET, ROLES, StaffDirectory, StaffView
from queue_kiosk.store.tables import admin_change_t, site_t, staff_counter_t, staff_t
from queue_kiosk.wording import Both, say

LISTS = ("fields", "counters", "priorities")
"""The hall's catalogue lists, whose items a change adds or removes by code."""


@dataclass(frozen=True, slots=True)
class Draft:
    """What a form starts from: the hall as read, and the catalogue version it was read at
    (an apply made from an older version is refused, see `HallAdmin.apply`)."""

    version: int
    hall: HallConfig


@dataclass(frozen=True, slots=True)
class Preview(JsonView):
    changes: list[str]
    """What the change does, one line each, in the reader's language."""
    warnings: list[str]
    """Who it affects ("2 công dân đang chờ Hộ tịch sẽ không còn quầy nào gọi")."""
    refusal: str | None
    """Why applying it would be refused (as `init --config` refuses), else None."""


@dataclass(frozen=True, slots=True)
class ChangeView(JsonView):
    id: int
    at: datetime
    staff: str
    action: str
    version: int | None
    summary: str
    before: str
    after: str


class _Stale(Exception):
    """Raised inside the apply's transaction to undo it: the form was read at an older
    version."""


class _DryRun(Exception):
    """Raised at the end of a preview's trial load to undo it."""


class HallAdmin:
    """One administrator's changes to one centre (`staff`: their code, kept in the log)."""

    def __init__(self, service: QueueService, staff: str = "") -> None:
        self.service = service
        self.staff = nfc(staff).strip()[:32]

    # ----- the hall ------------------------------------------------------------------------

    def draft(self) -> Draft:
        """The hall now, for a form."""
        with self.service.store.read() as conn:
            catalog = Catalog(conn, self.service.catalog.site_code)
        return Draft(catalog.version, catalog.hall)

    def edited(self, draft: Draft, change: Callable[[dict[str, Any]], None]) -> HallConfig:
        """The draft's hall with `change` made to it as data (what a form's fields say),
        checked as a hall file is: a ConfigError names the first wrong key."""
        data = draft.hall.model_dump(mode="json")
        change(data)
        return check_hall(data, say("manage.source", "vi"))

    def preview(self, draft: Draft, hall: HallConfig, lang: str = "vi") -> Preview:
        """What applying `hall` over `draft` would do, and whether it would be refused: the
        load is tried in a transaction that is then undone, so the refusal is `init`'s own."""
        changes = describe(draft.hall, hall, lang)
        warnings = self._stranded_words(hall, lang)
        try:
            self._load(draft, hall, dry_run=True)
            refusal = None
        except QueueError as exc:
            refusal = exc.message(lang)
        return Preview(changes=changes, warnings=warnings, refusal=refusal)

    def apply(self, draft: Draft, hall: HallConfig, *, action: str = "hall") -> int:
        """Apply `hall` in one transaction; the new catalogue version. Refused whole, the
        database untouched, when the centre changed since `draft` was read (the message says
        what changed meanwhile) or when `init --config` would refuse it."""
        if not describe(draft.hall, hall, "vi"):
            raise Refused("manage.nothing")
        return self._load(draft, hall, action=action)

    def _load(self, draft: Draft, hall: HallConfig, *, dry_run: bool = False,
              action: str = "hall") -> int:
        if hall.notify.command != draft.hall.notify.command:
            check_notify_command(hall, say("manage.source", "vi"))
        service = self.service

        def checked(conn: Connection, site_id: int) -> None:
            # Read in the load's transaction, after its write to the site row: a second
            # administrator's apply waits for the first's commit, then sees its version.
            version = conn.execute(select(site_t.c.catalog_version)
                                   .where(site_t.c.id == site_id)).scalar_one()
            if version != draft.version:
                raise _Stale
            if dry_run:
                raise _DryRun
            conn.execute(insert(admin_change_t).values(
                site_id=site_id, at=service.clock.now(), staff=self.staff, action=action,
                version=version + 1, summary=_summary(describe(draft.hall, hall, "vi")),
                before=hall_toml(draft.hall), after=hall_toml(hall)))
        try:
            load_catalog(service.store, hall, service.clock, then=checked)
        except _DryRun:
            return draft.version
        except _Stale:
            now = self.draft()
            raise Refused("manage.stale", changes=_summary(
                describe(draft.hall, now.hall, "vi")) or "—") from None
        service.refresh()
        return draft.version + 1

    def _stranded_words(self, hall: HallConfig, lang: str) -> list[str]:
        served = {code for counter in hall.counters for code in counter.fields}
        return [say("manage.stranded", lang, count=queue.waiting, field=queue.label(lang))
                for queue in self.service.field_queues()
                if queue.waiting and queue.field not in served]

    def history(self, limit: int = 100) -> list[ChangeView]:
        with self.service.store.read() as conn:
            rows = conn.execute(select(admin_change_t).where(
                admin_change_t.c.site_id == self.service.site_id)
                .order_by(desc(admin_change_t.c.id)).limit(limit)).all()
        return [ChangeView(id=r.id, at=r.at, staff=r.staff, action=r.action, version=r.version,
                           summary=r.summary, before=r.before, after=r.after) for r in rows]

    def restored(self, change_id: int, *, before: bool = False) -> HallConfig:
        """The hall as change `change_id` left it (`before`: as it found it)."""
        with self.service.store.read() as conn:
            row = conn.execute(select(admin_change_t).where(
                admin_change_t.c.site_id == self.service.site_id,
                admin_change_t.c.id == change_id)).first()
        if row is None or row.version is None:
            raise NotFound("manage.no_change", id=change_id)
        return parse_hall(row.before if before else row.after,
                          say("manage.change_source", "vi", id=change_id))

    def restore(self, draft: Draft, change_id: int, *, before: bool = False) -> int:
        """Put back the hall as change `change_id` left it (or found it); itself a change in
        the log."""
        return self.apply(draft, self.restored(change_id, before=before), action="restore")

    # ----- what is not in the hall: a field closed now, staff ------------------------------

    def close_field(self, code: str, reason: str) -> None:
        self.service.close_field(code, reason, staff=self._staff_code())
        self._log("field.close", say("manage.closed", "vi", field=code, reason=reason))

    def reopen_field(self, code: str) -> None:
        self.service.reopen_field(code, staff=self._staff_code())
        self._log("field.reopen", say("manage.reopened", "vi", field=code))

    def set_day(self, day: date, *, open_: bool, reason: str = "",
                hours: list[str] | None = None) -> None:
        """A closed day or a make-up working day (see `CentreCalendar.set_day`), logged."""
        CentreCalendar(self.service).set_day(day, open_=open_, reason=reason, hours=hours)
        self._log("calendar", say("manage.day_open" if open_ else "manage.day_closed", "vi",
                                  day=day, reason=reason or "—"))

    def add_staff(self, code: str, name: str, pin: str, *, role: str = "official",
                  counters: list[str] | None = None) -> StaffView:
        view = StaffDirectory(self.service).add(code, name, pin, role=role, counters=counters)
        self._log("staff.add", say("manage.staff_added", "vi", code=view.code, name=view.name,
                                   role=view.role, counters=", ".join(view.counters) or "*"))
        return view

    def staff_allowed(self, code: str, counters: list[str]) -> StaffView:
        """The counters `code` may sign in at (none: any)."""
        ids = {self.service.catalog.counter(c).id for c in counters}
        before = StaffDirectory(self.service).get(code)
        with self.service.write() as conn:
            staff_id = self._staff_row(conn, code)
            conn.execute(staff_counter_t.delete().where(staff_counter_t.c.staff_id == staff_id))
            if ids:
                conn.execute(insert(staff_counter_t), [
                    {"staff_id": staff_id, "counter_id": c} for c in sorted(ids)])
            self._insert_log(conn, "staff.counters", say(
                "manage.staff_counters", "vi", code=before.code,
                before=", ".join(before.counters) or "*", after=", ".join(counters) or "*"))
        return StaffDirectory(self.service).get(code)

    def staff_role(self, code: str, role: str) -> StaffView:
        if role not in ROLES:
            raise Refused("staff.bad_role", role=role)
        before = StaffDirectory(self.service).get(code)
        if before.role == "admin" and role != "admin":
            self._keep_an_admin(before.code)
        with self.service.write() as conn:
            StaffDirectory(self.service)._update(conn, code, role=role)
            self._insert_log(conn, "staff.role", say("manage.staff_role", "vi", code=before.code,
                                                     before=before.role, after=role))
        return StaffDirectory(self.service).get(code)

    def reset_pin(self, code: str) -> StaffView:
        """The official's PIN forgotten: their next sign-in sets the PIN they type there,
        so the administrator never learns it. The account is unlocked too."""
        view = StaffDirectory(self.service).unlock(code, pin_hash=PIN_RESET)
        self._log("staff.pin", say("manage.staff_pin", "vi", code=view.code))
        return view

    def unlock(self, code: str) -> StaffView:
        view = StaffDirectory(self.service).unlock(code)
        self._log("staff.unlock", say("manage.staff_unlock", "vi", code=view.code))
        return view

    def set_active(self, code: str, active: bool) -> StaffView:
        """Deactivate (or bring back) an account; never deleted, its history points at it."""
        before = StaffDirectory(self.service).get(code)
        if not active and before.role == "admin":
            self._keep_an_admin(before.code)
        view = StaffDirectory(self.service).set_active(code, active)
        self._log("staff.active", say("manage.staff_active" if active
                                      else "manage.staff_inactive", "vi", code=view.code))
        return view

    def _keep_an_admin(self, code: str) -> None:
        others = [s for s in StaffDirectory(self.service).all()
                  if s.role == "admin" and s.active and s.code != code]
        if not others:
            raise Refused("manage.last_admin", code=code)

    def _staff_row(self, conn: Connection, code: str) -> int:
        found = conn.execute(select(staff_t.c.id).where(
            staff_t.c.site_id == self.service.site_id,
            staff_t.c.code == nfc(code).strip())).scalar()
        if found is None:
            raise NotFound("staff.unknown", code=code)
        return int(found)

    def _staff_code(self) -> str | None:
        """The administrator as the event log names them (none from the command line)."""
        try:
            return StaffDirectory(self.service).get(self.staff).code if self.staff else None
        except NotFound:
            return None

    def _log(self, action: str, summary: str) -> None:
        with self.service.write() as conn:
            self._insert_log(conn, action, summary)

    def _insert_log(self, conn: Connection, action: str, summary: str) -> None:
        conn.execute(insert(admin_change_t).values(
            site_id=self.service.site_id, at=self.service.clock.now(), staff=self.staff,
            action=action, version=None, summary=summary[:2000], before="", after=""))


def counter_week(hall: HallConfig, days: Mapping[str, str]) -> dict[str, list[str]]:
    """A counter's own week as a form gives it (each weekday "07:30-11:30, 13:30-17:00",
    empty: closed), checked as the hall file checks it against the centre's hours, but
    refused in the reader's language with the weekday it is about (`where`)."""
    week = {day: [s.strip() for s in days.get(day, "").split(",") if s.strip()]
            for day in WEEKDAYS}
    for weekday, day in enumerate(WEEKDAYS):
        try:
            check_spans(week[day])
        except SpanError as exc:
            raise Refused("manage.window_bad", where=f"hours.{day}: ", detail=exc.said,
                          day=_weekday(weekday)) from None
    outside = CounterHours(**week).outside(hall.hours)
    if outside is not None:
        day, span = outside
        weekday = WEEKDAYS.index(day)
        hours = hall.hours.periods(weekday)
        raise Refused("manage.window_outside" if hours else "manage.window_closed",
                      where=f"hours.{day}: ", day=_weekday(weekday), span=span,
                      hours=describe_hours(hours))
    return {day: spans for day, spans in week.items() if spans}


def _by_own_hours(hall: HallConfig, field: str) -> bool:
    """Whether every counter serving `field` keeps hours of its own (and one does)."""
    serving = [c for c in hall.counters if field in c.fields]
    return bool(serving) and all(c.hours is not None for c in serving)


def _weekday(weekday: int) -> Both:
    return Both(say(f"weekday_long.{weekday}", "vi"), say(f"weekday_long.{weekday}", "en"))


def describe(old: HallConfig, new: HallConfig, lang: str) -> list[str]:
    """What going from `old` to `new` changes, one line each: items of the catalogue lists
    added or removed by code, then every other value changed, by its place in the file."""
    lines: list[str] = []
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    for name in LISTS:
        old_items = {item["code"]: item for item in before.get(name, [])}
        new_items = {item["code"]: item for item in after.get(name, [])}
        lines += [say(f"manage.added.{name}", lang, code=code, name=item["name"])
                  for code, item in new_items.items() if code not in old_items]
        lines += [say(f"manage.removed.{name}", lang, code=code, name=item["name"])
                  for code, item in old_items.items() if code not in new_items]
        before[name] = {c: i for c, i in old_items.items() if c in new_items}
        after[name] = {c: i for c, i in new_items.items() if c in old_items}
    for code, field in before["fields"].items():  # a field's procedures, likewise
        old_procs = {p["code"]: p for p in field["procedures"]}
        new_procs = {p["code"]: p for p in after["fields"][code]["procedures"]}
        lines += [say("manage.added.procedures", lang, code=c, name=p["name"], field=code)
                  for c, p in new_procs.items() if c not in old_procs]
        lines += [say("manage.removed.procedures", lang, code=c, name=p["name"], field=code)
                  for c, p in old_procs.items() if c not in new_procs]
        field["procedures"] = [p for c, p in old_procs.items() if c in new_procs]
        after["fields"][code]["procedures"] = [p for c, p in new_procs.items()
                                               if c in old_procs]
    old_flat, new_flat = _flat(before), _flat(after)
    for key in [*old_flat, *(k for k in new_flat if k not in old_flat)]:
        was, now = old_flat.get(key), new_flat.get(key)
        if was != now:
            lines.append(say("manage.changed", lang, key=key, before=_shown(was),
                             after=_shown(now)))
    for code, counter in before["counters"].items():  # to or from the centre's hours
        own = after["counters"][code].get("hours") is not None
        if (counter.get("hours") is not None) != own:
            lines.append(say("manage.counter_own_hours" if own else "manage.counter_hall_hours",
                             lang, code=code))
    for field in new.fields:  # a field left to counters keeping their own hours keeps theirs
        if _by_own_hours(new, field.code) and not _by_own_hours(old, field.code):
            lines.append(say("manage.field_own_hours", lang, code=field.code, name=field.name,
                             counters=", ".join(c.code for c in new.counters
                                                if field.code in c.fields)))
    if [c["code"] for c in before["counters"].values()] != \
            [c["code"] for c in after["counters"].values()] and not lines:
        lines.append(say("manage.reordered", lang))
    return lines


def _flat(value: Any, path: str = "") -> dict[str, Any]:
    """A hall's data as `place in the file → value`; the items of a list of tables are
    named by their code ("counters[1].name")."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            place = f"{path}[{key}]" if path in LISTS else (f"{path}.{key}" if path else key)
            out.update(_flat(inner, place))
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) and "code" in v
                                                 for v in value):
        return {k: v for item in value
                for k, v in _flat(item, f"{path}[{item['code']}]").items()}
    return {path: value}


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"«{value}»" if isinstance(value, str) else str(value)


def _summary(lines: list[str]) -> str:
    text = "; ".join(lines)
    return text if len(text) <= 2000 else text[:1999] + "…"

