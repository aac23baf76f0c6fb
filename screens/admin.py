"""Provides the administration screens: an administrator signs in (the counter's sign-in, its
lockout rules) and changes the centre. Thin: each form turns its fields into a change of the
hall, and `service.admin.HallAdmin` checks, previews, applies and logs it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    Static,
    TabbedContent,
    TabPane,
)
from textual.worker import get_current_worker

from queue_kiosk.config.hall import CounterHours, HallConfig
from queue_kiosk.domain.dates import day_from_text
from queue_kiosk.domain.errors import QueueError
from queue_kiosk.screens.base import QueueDialog, QueueScreen
from queue_kiosk.screens.counter import CounterLoginScreen
from queue_kiosk.screens.messages import CatalogReloaded
from queue_kiosk.screens.widgets.plain import Plain, cells
from queue_kiosk.service.admin import Draft, HallAdmin, Preview, counter_week
from queue_kiosk.service.staff import StaffDirectory, StaffView
from queue_kiosk.wording import Both, say

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
COLUMNS: dict[str, list[tuple[str, int | None]]] = {
    # Fixed widths where a cell may be long (a closure reason, a name): its row grows to
    # show it whole within the table's width (admin.tcss) rather than being cut.
    "fields": [("manage.f.code", 4), ("manage.f.name", 20), ("manage.col.state", 20)],
    "procedures": [("manage.f.code", None), ("manage.f.name", None), ("manage.f.field", None)],
    "counters": [("manage.f.code", None), ("manage.f.name", None), ("manage.f.fields", None)],
    "staff": [("manage.f.code", 6), ("manage.f.name", 16), ("manage.f.role", 8),
              ("manage.col.counters", 8), ("manage.col.state", 10)],
    "audit": [("manage.f.code", None), ("manage.col.at", None), ("manage.col.who", None),
              ("manage.col.what", None)]}
Change = Callable[[dict[str, Any]], None]


class FormError(Exception):
    """A form's field that cannot become a hall value (a number that is not one)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class Previewed(Message, bubble=False):
    """A change was checked and described against the draft it was made from."""

    def __init__(self, form: str, action: str, draft: Draft, hall: HallConfig,
                 preview: Preview) -> None:
        super().__init__()
        self.form, self.action, self.draft, self.hall, self.preview = (
            form, action, draft, hall, preview)


class Applied(Message, bubble=False):
    """A change was applied: the centre is at `version` now."""

    def __init__(self, version: int) -> None:
        super().__init__()
        self.version = version


class ChangeRefused(Message, bubble=False):
    """A form's change was refused (a bad value, a stale form): told beside its field."""

    def __init__(self, form: str, error: FormError | QueueError) -> None:
        super().__init__()
        self.form, self.error = form, error


class AdminLoginScreen(CounterLoginScreen):
    """The counter's sign-in (its code, PIN and lockout rules), for administrators only."""

    ROLE = "admin"
    TITLE_KEY = "manage.login_title"

    def signed_in(self, staff: StaffView) -> None:
        self.clear()
        self.app.push_screen(AdminScreen(staff.code))


class PreviewDialog(QueueDialog[bool]):
    """What a change does, before it is applied; a refused change cannot be applied."""

    BINDINGS = [("escape", "cancel", "")]

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview

    def compose(self) -> ComposeResult:
        lang, preview = self.lang, self.preview
        with Vertical(id="preview-box"):
            yield Label(say("manage.preview_title", lang), id="preview-title", markup=False)
            yield Plain("\n".join(f"• {line}" for line in preview.changes)
                        or say("manage.nothing", lang), id="preview-changes")
            if preview.warnings:
                yield Plain("\n".join(f"⚠ {line}" for line in preview.warnings),
                            id="preview-warnings")
            if preview.refusal:
                yield Plain(say("manage.refused", lang, reason=preview.refusal),
                            id="preview-refusal")
            with Horizontal(id="preview-buttons"):
                yield Button(say("manage.b.apply", lang), variant="primary", id="preview-apply",
                             disabled=preview.refusal is not None or not preview.changes)
                yield Button(say("manage.b.cancel", lang), id="preview-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "preview-apply")

    def action_cancel(self) -> None:
        self.dismiss(False)


class AdminScreen(QueueScreen[None]):
    """One tab per part of the centre; each form is read at a catalogue version and applied
    against it (a form left open while someone else changed the centre is refused)."""

    TABS = ("fields", "procedures", "counters", "staff", "hours", "notice", "devices", "audit")
    # F2…F9 open the tabs in order: a terminal without a mouse reaches each in one key.
    BINDINGS = [Binding("f10", "sign_out", say("counter.sign_out", "vi")),
                Binding("ctrl+r", "reload", show=False),
                *(Binding(f"f{index + 2}", f"show_tab('tab-{tab}')", show=False)
                  for index, tab in enumerate(TABS))]

    def __init__(self, staff: str) -> None:
        super().__init__()
        self.staff = staff
        self.admin = HallAdmin(self.service, staff)
        self.draft: Draft = self.admin.draft()

    # ----- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Plain(id="admin-title")
        with TabbedContent(id="admin-tabs"):
            with TabPane(say("manage.tab.fields", lang), id="tab-fields"):
                yield from self._table_and_form("fields", [
                    "code", "name", "name_en", "prefix", "block", "daily_cap", "minutes",
                    "cutoff", "reason"], ["save", "remove", "close", "reopen"])
            with TabPane(say("manage.tab.procedures", lang), id="tab-procedures"):
                yield from self._table_and_form("procedures", [
                    "field", "code", "name", "name_en"], ["save", "remove"])
            with TabPane(say("manage.tab.counters", lang), id="tab-counters"):
                yield from self._table_and_form("counters", [
                    "code", "name", "name_en", "short_name", "fields", "hall_hours",
                    *(f"weekday_{d}" for d in WEEKDAYS)], ["save", "remove"])
            with TabPane(say("manage.tab.staff", lang), id="tab-staff"):
                yield from self._table_and_form("staff", [
                    "code", "name", "role", "counters", "pin"],
                    ["add", "staff_save", "reset_pin", "unlock", "deactivate"])
            with TabPane(say("manage.tab.hours", lang), id="tab-hours"), \
                    VerticalScroll(classes="form"):
                yield from self._rows("hours", [f"weekday_{d}" for d in WEEKDAYS])
                yield from self._buttons("hours", ["save"])
                yield from self._rows("day", ["day", "day_reason", "day_hours"])
                yield from self._buttons("day", ["close_day", "open_day"])
            with TabPane(say("manage.tab.notice", lang), id="tab-notice"), \
                    VerticalScroll(classes="form"):
                yield from self._rows("notice", ["notice", "notice_style", "notice_from",
                                                 "notice_until"])
                yield from self._buttons("notice", ["save"])
            with TabPane(say("manage.tab.devices", lang), id="tab-devices"), \
                    VerticalScroll(classes="form"):
                yield from self._rows("devices", ["printer_url", "paper_mm", "booking",
                                                  "slot_minutes", "days_ahead", "share"])
                yield from self._buttons("devices", ["save", "test_page"])
            with TabPane(say("manage.tab.audit", lang), id="tab-audit"):
                yield DataTable(id="audit-table", cursor_type="row")
                yield from self._buttons("audit", ["restore_after", "restore_before",
                                                   "reload"])
        yield Plain(id="admin-status")

    def _table_and_form(self, form: str, fields: list[str],
                        buttons: list[str]) -> Iterator[Any]:
        with Horizontal(classes="split"):
            yield DataTable(id=f"{form}-table", cursor_type="row")
            with VerticalScroll(classes="form"):
                yield from self._rows(form, fields)
                yield from self._buttons(form, buttons)

    def _rows(self, form: str, fields: list[str]) -> Iterator[Any]:
        for name in fields:
            key = f"weekday_long.{WEEKDAYS.index(name[8:])}" if name.startswith("weekday_") \
                else f"manage.f.{name}"
            with Horizontal(classes="row"):
                yield Label(say(key, self.lang), classes="label", markup=False)
                if name == "hall_hours":  # a counter's: the centre's hours, or its own below
                    yield Checkbox(say("manage.f.hall_hours_box", self.lang), True,
                                   id=f"{form}-{name}", compact=True)
                else:
                    yield Input(id=f"{form}-{name}", password=name == "pin")
                yield Plain(id=f"{form}-{name}-error", classes="error")

    def _buttons(self, form: str, names: list[str]) -> Iterator[Any]:
        with Horizontal(classes="buttons"):
            for name in names:
                yield Button(say(f"manage.b.{name}", self.lang), id=f"{form}-{name}",
                             variant="primary" if name == "save" else "default")

    def on_mount(self) -> None:
        for table, columns in COLUMNS.items():
            widget = self.query_one(f"#{table}-table", DataTable)
            for key, width in columns:
                widget.add_column(say(key, self.lang).split(" (")[0], width=width)
        self.show_draft()

    # ----- showing the centre -------------------------------------------------------------

    def show_draft(self) -> None:
        hall, lang = self.draft.hall, self.lang
        self.query_one("#admin-title", Static).update(say(
            "manage.title", lang, site=hall.site.name, staff=self.staff,
            version=self.draft.version))
        closed = {f.code: f.closed_reason for f in self.service.catalog_view().fields}
        fields = self.query_one("#fields-table", DataTable)
        fields.clear()
        for f in hall.fields:
            state = closed.get(f.code) or say("manage.state.open", lang)
            fields.add_row(*cells(f.code, f.label(lang), state), key=f.code, height=None)
        procedures = self.query_one("#procedures-table", DataTable)
        procedures.clear()
        for f in hall.fields:
            for p in f.procedures:
                procedures.add_row(*cells(p.code, p.label(lang)[:36], f.code), key=p.code)
        counters = self.query_one("#counters-table", DataTable)
        counters.clear()
        for c in hall.counters:
            counters.add_row(*cells(c.code, c.label(lang)[:28], ", ".join(c.fields)),
                             key=c.code)
        shown = [c for c in hall.counters if c.code == self._get("counters", "code")]
        self.show_counter_hours(shown[0].hours if shown else None)
        self.show_staff()
        self.show_audit()
        for day in WEEKDAYS:
            self._set("hours", f"weekday_{day}", ", ".join(getattr(hall.hours, day)))
        display = hall.display
        for name in ("notice", "notice_style", "notice_from", "notice_until"):
            self._set("notice", name, str(getattr(display, name)))
        self._set("devices", "printer_url", hall.printer.url)
        self._set("devices", "paper_mm", str(hall.printer.paper_mm))
        bookings = hall.appointments
        self._set("devices", "booking", "yes" if bookings.enabled else "no")
        for name in ("slot_minutes", "days_ahead", "share"):
            self._set("devices", name, str(getattr(bookings, name)))

    def show_counter_hours(self, hours: CounterHours | None) -> None:
        """A counter's week in its form: its own, or (greyed) the centre's it follows."""
        self.query_one("#counters-hall_hours", Checkbox).value = hours is None
        week = hours or self.draft.hall.hours
        for day in WEEKDAYS:
            self._set("counters", f"weekday_{day}", ", ".join(getattr(week, day)))
        self.own_hours(hours is not None)

    def own_hours(self, own: bool) -> None:
        for day in WEEKDAYS:
            self.query_one(f"#counters-weekday_{day}", Input).disabled = not own

    @on(Checkbox.Changed, "#counters-hall_hours")
    def hall_hours_toggled(self, event: Checkbox.Changed) -> None:
        self.own_hours(not event.value)

    def show_staff(self) -> None:
        directory = StaffDirectory(self.service)
        table = self.query_one("#staff-table", DataTable)
        table.clear()
        for s in directory.all():
            state = say("manage.state.inactive" if not s.active else "manage.state.locked"
                        if directory.is_locked(s) else "manage.state.open", self.lang)
            table.add_row(*cells(s.code, s.name, s.role, ", ".join(s.counters) or "*", state),
                          key=s.code, height=None)

    def show_audit(self) -> None:
        table = self.query_one("#audit-table", DataTable)
        table.clear()
        tz = self.service.catalog.tz
        for c in self.admin.history():
            table.add_row(*cells(c.id, f"{c.at.astimezone(tz):%d/%m %H:%M}", c.staff or "—",
                                  c.summary[:200]), key=str(c.id))

    def _set(self, form: str, name: str, value: str) -> None:
        self.query_one(f"#{form}-{name}", Input).value = value

    def _get(self, form: str, name: str) -> str:
        return self.query_one(f"#{form}-{name}", Input).value.strip()

    def _number(self, form: str, name: str, kind: type[int] | type[float] = int) -> Any:
        text = self._get(form, name).replace(",", ".") if kind is float else self._get(form,
                                                                                      name)
        if not text:
            return None
        try:
            return kind(text)
        except ValueError:
            raise FormError(f"{form}-{name}", say("manage.not_number", self.lang)) from None

    @on(DataTable.RowSelected)
    def row_chosen(self, event: DataTable.RowSelected) -> None:
        """A row picked in a table fills its form."""
        table, code = event.data_table.id, str(event.row_key.value)
        hall = self.draft.hall
        if table == "fields-table":
            f = next(f for f in hall.fields if f.code == code)
            for name, value in (("code", f.code), ("name", f.name), ("name_en", f.name_en),
                                ("prefix", f.prefix or ""), ("block", f.block or ""),
                                ("daily_cap", f.daily_cap or ""), ("minutes", f.minutes),
                                ("cutoff", hall.calendar.cutoff.get(f.code, ""))):
                self._set("fields", name, str(value))
        elif table == "procedures-table":
            f, p = next((f, p) for f in hall.fields for p in f.procedures if p.code == code)
            for name, value in (("field", f.code), ("code", p.code), ("name", p.name),
                                ("name_en", p.name_en)):
                self._set("procedures", name, value)
        elif table == "counters-table":
            c = next(c for c in hall.counters if c.code == code)
            for name, value in (("code", c.code), ("name", c.name), ("name_en", c.name_en),
                                ("short_name", c.short_name), ("fields", ", ".join(c.fields))):
                self._set("counters", name, value)
            self.show_counter_hours(c.hours)
        elif table == "staff-table":
            s = StaffDirectory(self.service).get(code)
            for name, value in (("code", s.code), ("name", s.name), ("role", s.role),
                                ("counters", ", ".join(s.counters)), ("pin", "")):
                self._set("staff", name, value)

    # ----- changes ------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        form, _, action = (event.button.id or "").partition("-")
        self.clear_errors()
        try:
            self.act(form, action)
        except (FormError, QueueError) as exc:
            self.failed(form, exc)

    def act(self, form: str, action: str) -> None:
        hall_changes: dict[tuple[str, str], Callable[[], Change]] = {
            ("fields", "save"): self.field_change, ("fields", "remove"): self.field_removal,
            ("procedures", "save"): self.procedure_change,
            ("procedures", "remove"): self.procedure_removal,
            ("counters", "save"): self.counter_change,
            ("counters", "remove"): self.counter_removal,
            ("hours", "save"): self.hours_change, ("notice", "save"): self.notice_change,
            ("devices", "save"): self.devices_change}
        if (form, action) in hall_changes:
            self.propose(form, hall_changes[form, action]())
            return
        admin, code = self.admin, self._get(form, "code") if form in ("fields", "staff") else ""
        if form == "fields":
            if action == "close":
                admin.close_field(code, self._get("fields", "reason"))
            else:
                admin.reopen_field(code)
        elif form == "staff":
            self.staff_action(action, code)
        elif form == "day":
            self.day_action(action)
        elif form == "devices":
            self.test_page()
            return
        elif form == "audit":
            self.audit_action(action)
            return
        self.done(say("manage.done", self.lang))

    def propose(self, form: str, change: Change, action: str = "hall") -> None:
        self.previewing(form, change, action, self.draft)

    # Preview and apply load the hall in a transaction (a tenth of a second, more on a busy
    # PostgreSQL): off the UI thread, their outcome posted back as a message.
    @work(thread=True, exclusive=True, group="admin-change", exit_on_error=False)
    def previewing(self, form: str, change: Change, action: str, draft: Draft) -> None:
        try:
            hall = self.admin.edited(draft, change)
            preview = self.admin.preview(draft, hall, self.lang)
        except (FormError, QueueError) as exc:
            self.post_message(ChangeRefused(form, exc))
            return
        # A second press while this one ran superseded it: one dialog, the latest form's.
        if not get_current_worker().is_cancelled:
            self.post_message(Previewed(form, action, draft, hall, preview))

    @work(thread=True, exclusive=True, group="admin-change", exit_on_error=False)
    def applying(self, form: str, action: str, draft: Draft, hall: HallConfig) -> None:
        try:
            version = self.admin.apply(draft, hall, action=action)
        except QueueError as exc:
            self.post_message(ChangeRefused(form, exc))
            return
        self.post_message(Applied(version))

    def on_previewed(self, message: Previewed) -> None:
        def chosen(apply: bool | None) -> None:
            if apply:
                self.applying(message.form, message.action, message.draft, message.hall)
        self.app.push_screen(PreviewDialog(message.preview), chosen)

    def on_applied(self, message: Applied) -> None:
        self.done(say("manage.applied", self.lang, version=message.version))

    def on_change_refused(self, message: ChangeRefused) -> None:
        self.failed(message.form, message.error)

    def failed(self, form: str, exc: FormError | QueueError) -> None:
        """Where every refused change is told: a form's value beside its field, the hall
        model's refusal beside the field it names."""
        if isinstance(exc, FormError):
            self.field_error(exc.field, str(exc))
        else:
            self.refused(form, exc)

    def done(self, message: str) -> None:
        self.draft = self.admin.draft()
        self.show_draft()
        self.query_one("#admin-status", Static).update(message)

    def refused(self, form: str, exc: QueueError) -> None:
        """The message beside the field it names (a hall key's last part), else the form's."""
        message = exc.message(self.lang)
        # The model's own cross-checks name their place at the start of the detail.
        detail = exc.params.get("detail", "")
        named = re.match(r"([\w.\[\]]+): ", detail.en if isinstance(detail, Both) else str(detail))
        where = str(exc.params.get("where", "")).rstrip(": ") or (named[1] if named else "")
        key = where.rsplit(".", 1)[-1].split("[")[0] if where else ""
        for candidate in (f"{form}-{key}", f"{form}-weekday_{key}"):
            if key and self.query(f"#{candidate}"):
                # Beside its field, the place in the hall file ("fields[2].daily_cap") says
                # nothing to a head of centre: what is wrong is enough.
                said = detail.said(self.lang) if isinstance(detail, Both) else str(detail)
                self.field_error(candidate, said.removeprefix(f"{named[1]}: ") if named
                                 else said or message)
                return
        self.query_one("#admin-status", Static).update(message)

    def field_error(self, field: str, message: str) -> None:
        self.query_one(f"#{field}-error", Static).update(message)
        self.query_one(f"#{field}", Input).add_class("-invalid")
        self.query_one("#admin-status", Static).update(message)

    def clear_errors(self) -> None:
        for error in self.query(".error"):
            if isinstance(error, Static):
                error.update("")
        for field in self.query(Input):
            field.remove_class("-invalid")
        self.query_one("#admin-status", Static).update("")

    # ----- each form's change of the hall --------------------------------------------------

    def field_change(self) -> Change:
        code = self._get("fields", "code")
        values: dict[str, Any] = {
            "code": code, "name": self._get("fields", "name"),
            "name_en": self._get("fields", "name_en"),
            "prefix": self._get("fields", "prefix") or None,
            "block": self._number("fields", "block"),
            "daily_cap": self._number("fields", "daily_cap"),
            "minutes": self._number("fields", "minutes", float) or 10.0}
        cutoff = self._get("fields", "cutoff")

        def change(data: dict[str, Any]) -> None:
            _upsert_item(data["fields"], values)
            data["calendar"]["cutoff"].pop(code, None)
            if cutoff:
                data["calendar"]["cutoff"][code] = cutoff
        return change

    def field_removal(self) -> Change:
        code = self._get("fields", "code")

        def change(data: dict[str, Any]) -> None:
            data["fields"] = [f for f in data["fields"] if f["code"] != code]
            data["calendar"]["cutoff"].pop(code, None)
            for counter in data["counters"]:  # its counters stop serving it too
                counter["fields"] = [f for f in counter["fields"] if f != code]
        return change

    def procedure_change(self) -> Change:
        """A procedure under the field the form names (moved there if it was elsewhere)."""
        field = self._get("procedures", "field")
        values = {name: self._get("procedures", name) for name in ("code", "name", "name_en")}

        def change(data: dict[str, Any]) -> None:
            home = [f for f in data["fields"] if f["code"] == field]
            if not home:
                raise FormError("procedures-field", say("manage.no_field", self.lang,
                                                        code=field))
            for f in data["fields"]:
                if f is not home[0]:
                    f["procedures"] = [p for p in f["procedures"] if p["code"] != values["code"]]
            _upsert_item(home[0]["procedures"], values)
        return change

    def procedure_removal(self) -> Change:
        code = self._get("procedures", "code")

        def change(data: dict[str, Any]) -> None:
            for f in data["fields"]:
                f["procedures"] = [p for p in f["procedures"] if p["code"] != code]
        return change

    def counter_change(self) -> Change:
        own = not self.query_one("#counters-hall_hours", Checkbox).value
        values = {"code": self._get("counters", "code"), "name": self._get("counters", "name"),
                  "name_en": self._get("counters", "name_en"),
                  "short_name": self._get("counters", "short_name"),
                  "fields": _codes(self._get("counters", "fields")),
                  "hours": counter_week(self.draft.hall, {
                      day: self._get("counters", f"weekday_{day}") for day in WEEKDAYS})
                  if own else None}
        return lambda data: _upsert_item(data["counters"], values)

    def counter_removal(self) -> Change:
        code = self._get("counters", "code")

        def change(data: dict[str, Any]) -> None:
            data["counters"] = [c for c in data["counters"] if c["code"] != code]
        return change

    def hours_change(self) -> Change:
        spans = {day: _codes(self._get("hours", f"weekday_{day}")) for day in WEEKDAYS}
        return lambda data: data["hours"].update(spans)

    def notice_change(self) -> Change:
        values = {name: self._get("notice", name) for name in
                  ("notice", "notice_style", "notice_from", "notice_until")}
        return lambda data: data["display"].update(values)

    def devices_change(self) -> Change:
        printer = {"url": self._get("devices", "printer_url"),
                   "paper_mm": self._number("devices", "paper_mm")}
        enabled = self._get("devices", "booking").lower()
        bookings = {"enabled": enabled in ("yes", "có", "co", "true", "1") if enabled else False,
                    "slot_minutes": self._number("devices", "slot_minutes"),
                    "days_ahead": self._number("devices", "days_ahead"),
                    "share": self._number("devices", "share", float)}

        def change(data: dict[str, Any]) -> None:
            data["printer"].update(printer)
            data["appointments"].update(bookings)
        return change

    # ----- what is not in the hall ---------------------------------------------------------

    def staff_action(self, action: str, code: str) -> None:
        admin = self.admin
        if action == "add":
            admin.add_staff(code, self._get("staff", "name"), self._get("staff", "pin"),
                            role=self._get("staff", "role") or "official",
                            counters=_codes(self._get("staff", "counters")))
        elif action == "staff_save":
            admin.staff_role(code, self._get("staff", "role"))
            admin.staff_allowed(code, _codes(self._get("staff", "counters")))
        elif action == "reset_pin":
            admin.reset_pin(code)
        elif action == "unlock":
            admin.unlock(code)
        else:
            admin.set_active(code, not StaffDirectory(self.service).get(code).active)
        self._set("staff", "pin", "")

    def day_action(self, action: str) -> None:
        try:
            day: date = day_from_text(self._get("day", "day"))
        except QueueError as exc:
            raise FormError("day-day", exc.message(self.lang)) from None
        self.admin.set_day(day, open_=action == "open_day", reason=self._get("day", "day_reason"),
                           hours=_codes(self._get("day", "day_hours")) or None)

    @work(thread=True, exclusive=True, group="admin-print", exit_on_error=False)
    def test_page(self) -> None:
        from queue_kiosk.printing.job import printer_for, sample_content

        service = self.service
        outcome = printer_for(service.catalog, None).print(sample_content(
            service.catalog.hall, self.lang, service.clock.now()))
        where = str(outcome.preview) if outcome.preview else outcome.target
        self.app.call_from_thread(self.query_one("#admin-status", Static).update,
                                  say("manage.printed", self.lang, where=where))

    def audit_action(self, action: str) -> None:
        if action == "reload":
            self.action_reload()
            return
        table = self.query_one("#audit-table", DataTable)
        if not table.row_count:
            self.query_one("#admin-status", Static).update(say("manage.pick_first", self.lang))
            return
        change_id = int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))
        restored = self.admin.restored(change_id, before=action == "restore_before")

        def change(data: dict[str, Any]) -> None:
            data.clear()
            data.update(restored.model_dump(mode="json"))
        self.propose("audit", change, "restore")

    # ----- the rest ------------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        tabs = self.query_one("#admin-tabs", TabbedContent)
        # Focus left in the pane being hidden moves to its next widget, whose pane then takes
        # the tab back (F2…F9 did nothing after a preview): the tab bar takes it first.
        tabs.query_one("ContentTabs").focus()
        tabs.active = tab

    def action_reload(self) -> None:
        self.clear_errors()
        self.done("")

    def action_sign_out(self) -> None:
        self.dismiss()

    def on_catalog_reloaded(self, _: CatalogReloaded) -> None:
        # The form keeps what the administrator typed: applying it now would be refused as
        # stale, so say so rather than silently replacing it.
        if self.admin.draft().version != self.draft.version:
            self.query_one("#admin-status", Static).update(say("manage.elsewhere", self.lang))


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _upsert_item(items: list[dict[str, Any]], values: dict[str, Any]) -> None:
    """Change the item with `values`' code, keeping what the form does not show; or add it."""
    for item in items:
        if item["code"] == values["code"]:
            item.update(values)
            return
    items.append(values)
