"""Provides the kiosk: a citizen picks a field and takes a numbered ticket."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Button, Input, Static

from queue_kiosk.domain.calendar import Calendar, refusal
from queue_kiosk.domain.errors import QueueError
from queue_kiosk.domain.text import fit_lines
from queue_kiosk.domain.views import FieldQueueView, TicketView
from queue_kiosk.screens.dialogs.choice import ChoiceDialog
from queue_kiosk.screens.identity import (
    CardScanned,
    KeypadDialog,
    ReadsCards,
    WedgeFilter,
    elderly_offer,
)
from queue_kiosk.screens.messages import CatalogReloaded, StoreChanged
from queue_kiosk.screens.widgets.big_text import BigText
from queue_kiosk.screens.widgets.header import CentreHeader
from queue_kiosk.screens.widgets.plain import Plain, literal
from queue_kiosk.screens.widgets.store_banner import StoreBanner
from queue_kiosk.service.calendar import CentreCalendar, settled_words
from queue_kiosk.service.catalog import FieldInfo, ProcedureInfo
from queue_kiosk.wording import citizen_reason, field_state_word, say, wait_words

if TYPE_CHECKING:
    from queue_kiosk.printing.printers import TicketPrinter
    from queue_kiosk.service.identity import Identified

SHORTCUTS = "1234567890"
BOOKED_KEY = "+"
KEYPAD_KEY = "#"
"""The keypad key for typing the CCCD's 12 digits."""
"""The keypad key for "Tôi có lịch hẹn" (digits and prefix letters choose fields)."""
CALENDAR_SECONDS = 30.0
"""How soon a day an administrator closes or opens shows on a running kiosk."""
SETTLE_SECONDS = 1.5
"""The ticket screen ignores taps this long: the second tap of a double tap must not hide
the number the first one just issued."""


@dataclass
class KioskState:
    """Shared by the kiosk's screens: the debounce and idle clocks (monotonic seconds)."""

    last_issue: float = -1e9
    last_activity: float = 0.0
    clock: Callable[[], float] = time.monotonic
    """Injectable: tests move this clock, never the event loop's."""
    identified: Identified | None = None
    """The citizen whose card was read, until their ticket is issued or the kiosk idles."""
    pending: list[tuple[str, str | None]] = field(default_factory=list)
    """Keys pressed while a ticket was being issued (the next citizen's field and Enter, in
    a burst): replayed in order once the ticket shows, never lost."""


class KioskStep(ReadsCards):
    """Every kiosk screen: any touch or key counts as activity; Esc goes back."""

    BINDINGS = [Binding("escape", "back", show=False)]

    def __init__(self, state: KioskState) -> None:
        super().__init__()
        self.state = state

    def on_key(self, _: events.Key) -> None:
        self.state.last_activity = self.state.clock()

    def on_mouse_down(self, _: events.MouseDown) -> None:
        self.state.last_activity = self.state.clock()

    def action_back(self) -> None:
        self.app.pop_screen()

    def card_read(self, identified: Identified) -> None:
        """Read before a field was chosen: home, where the next choice takes it along."""
        self.state.identified = identified
        self.state.last_activity = self.state.clock()
        for home in [s for s in self.app.screen_stack if isinstance(s, KioskHome)]:
            home.go_home()
            home.show_identity()

    def start_over(self, character: str | None) -> bool:
        """A field's key (or the booking key) pressed on a step a citizen left on screen:
        that step is closed and the key chooses as it would at home. True if it was one."""
        home = next((s for s in self.app.screen_stack if isinstance(s, KioskHome)), None)
        if home is None or not home.is_shortcut(character):
            return False
        home.go_home()
        home.shortcut(character)
        return True

    def replay(self) -> None:
        """The keys pressed while a ticket was being issued, now that this step shows: a
        field's key starts over with that field; Enter on a choice takes its ticket."""
        while self.state.pending:
            key, character = self.state.pending.pop(0)
            if key == "escape":
                (self.action_close if isinstance(self, TicketScreen) else self.action_back)()
                return
            if key == "enter" and isinstance(self, ConfirmScreen):
                self.action_take()
                return
            if self.start_over(character):
                return


def button_label(name: str, detail: str, width: int, height: int, short: str = "") -> str:
    """Two lines where the button has room, else one: the name never cut inside a word (an
    80×24 kiosk with 13 fields), the queue's detail where it fits whole, else its `short`
    form (the waiting count) where that fits beside the whole name: a row of buttons one
    line high (the grid's first, at 120×34) must not lose its count for the estimate."""
    if height >= 2:
        return "\n".join([*fit_lines(name, cell_len, width, height - 1),
                          *fit_lines(detail, cell_len, width, 1)])
    for shown in (detail, short):
        one_line = f"{name} · {shown}"
        if shown and (width <= 0 or cell_len(one_line) <= width):
            return one_line
    return fit_lines(name, cell_len, width, 1)[0]


class FieldButton(Button):
    def __init__(self, shortcut: str, field: FieldInfo) -> None:
        super().__init__("", id=f"field-{field.code}", classes="field-button")
        self.shortcut = shortcut
        self.field = field


class KioskHome(KioskStep):
    """The fields as big buttons with their queue and wait; closed ones greyed with why."""

    BINDINGS = [Binding("f10", "app.admin_exit", show=False)]

    def __init__(self, state: KioskState | None = None) -> None:
        super().__init__(state or KioskState())
        self.queues: dict[str, FieldQueueView] = {}
        self.open_now = True
        self.calendar: Calendar | None = None

    def compose(self) -> ComposeResult:
        yield CentreHeader(id="kiosk-header")
        yield StoreBanner()
        yield Plain(id="kiosk-hours")
        yield Plain(say("kiosk.choose", self.lang), id="kiosk-title")
        with Grid(id="kiosk-fields"):
            for index, field in enumerate(self.service.catalog.fields.values()):
                # Past ten fields, the prefix letter is the key (keypads have ten digits).
                shortcut = SHORTCUTS[index] if index < len(SHORTCUTS) else (field.prefix or "")
                yield FieldButton(shortcut, field)
        if self.service.catalog.hall.appointments.enabled:
            yield Button(say("kiosk.booked", self.lang), id="kiosk-booked", variant="primary")
        if self.service.catalog.hall.identity.enabled:
            yield Button(say("kiosk.keypad", self.lang), id="kiosk-keypad")
            yield Plain(say("identity.notice", self.lang), id="kiosk-identity")
        yield Plain(say("kiosk.hint", self.lang), id="kiosk-hint")

    def on_mount(self) -> None:
        self.state.last_activity = self.state.clock()
        # Read once before the first tick, so that a closed day is never shown open.
        self.calendar = CentreCalendar(self.service).calendar()
        self.tick()
        self.set_interval(self.options.clock_seconds, self.tick)
        self.set_interval(CALENDAR_SECONDS, self.load_calendar)
        self.load_queues()
        self.read_cards()

    def read_cards(self) -> None:
        """Where the hall reads cards, a scan is taken on every kiosk screen (see
        `identity.WedgeFilter`); it goes to the topmost kiosk step."""
        def steps() -> list[KioskStep]:
            return [s for s in self.app.screen_stack if isinstance(s, KioskStep)]

        def deliver(message: CardScanned) -> None:
            for step in steps()[-1:]:
                step.post_message(message)
        self.app.key_filter = WedgeFilter(self.app, deliver, self.app.replay_key,
                                          lambda: bool(steps())).take \
            if self.service.catalog.hall.identity.enabled else None

    def show_identity(self) -> None:
        read = "kiosk.identity_read" if self.state.identified else "kiosk.keypad"
        for button in self.query("#kiosk-keypad").results(Button):
            button.label = say(read, self.lang)

    def on_screen_resume(self) -> None:
        self.show_identity()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        grid = self.query_one("#kiosk-fields", Grid)
        grid.styles.grid_size_columns = 1 if self.size.width < 60 else (
            2 if self.size.width < 120 else 3)
        self.set_class(self.size.height < 32, "-compact")
        self.set_class(bool(self.query("#kiosk-booked")), "-booking")
        self.call_after_refresh(self.paint)

    async def on_catalog_reloaded(self, _: CatalogReloaded) -> None:
        """A new hall configuration: the fields offered are rebuilt from it."""
        await self.recompose()
        self._fit()
        self.load_queues()
        self.read_cards()
        self.load_calendar()

    @work(thread=True, exclusive=True, group="calendar", exit_on_error=False)
    def load_calendar(self) -> None:
        """The calendar again (an administrator may close a day): read off the UI thread,
        then judged every tick against the clock."""
        try:
            calendar = CentreCalendar(self.service).calendar()
        except QueueError:
            return  # the banner already says the store is down; keep the last calendar
        self.app.call_from_thread(self._calendar_read, calendar)

    def _calendar_read(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.tick()

    def tick(self) -> None:
        cat = self.service.catalog
        now = self.service.clock.now().astimezone(cat.tz)
        refused = refusal(self.calendar, now) \
            if cat.hall.hours.enforce and self.calendar is not None else None
        open_now = refused is None
        banner = self.query_one("#kiosk-hours", Static)
        banner.set_class(not open_now, "-closed")
        banner.update("" if refused is None else say(refused.key, self.lang, **refused.params))
        if open_now != self.open_now:
            self.open_now = open_now
            self.paint()
        if self not in self.app.screen_stack:
            # Another mode is shown (the demo switches with F12): its screens are not ours
            # to close, and the kiosk was not idle while nobody could see it.
            self.state.last_activity = self.state.clock()
            return
        idle = self.state.clock() - self.state.last_activity
        if idle > cat.hall.kiosk.idle_seconds and (self.app.screen is not self
                                                   or self.state.identified is not None):
            self.state.last_activity = self.state.clock()
            self.state.identified = None  # the next citizen starts without the last card
            self.go_home()
            self.show_identity()

    def go_home(self) -> None:
        while self.app.screen is not self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def on_store_changed(self, _: StoreChanged) -> None:
        self.load_queues()

    @work(thread=True, exclusive=True, group="queues", exit_on_error=False)
    def load_queues(self) -> None:
        try:
            queues = self.service.field_queues()
        except QueueError:
            return  # the banner already says the store is down; keep the last figures
        self.app.call_from_thread(self.show_queues, queues)

    def show_queues(self, queues: list[FieldQueueView]) -> None:
        self.queues = {q.field: q for q in queues}
        self.paint()

    def paint(self) -> None:
        for booked in self.query("#kiosk-booked").results(Button):
            booked.disabled = not self.open_now
        for button in self.query(FieldButton):
            queue = self.queues.get(button.field.code)
            name = f"{button.shortcut}  {button.field.label(self.lang)}"
            if queue is None:
                button.label = literal(name)
                continue
            short = ""
            if queue.available:
                eta = say("kiosk.eta", self.lang, minutes=queue.eta_minutes) \
                    if queue.eta_minutes and queue.waiting else ""
                short = say("kiosk.waiting", self.lang, waiting=queue.waiting)
                detail = f"{short}  {eta}"
            else:
                detail = queue.reason or field_state_word(queue.state, self.lang)
            width, height = button.content_size
            button.label = literal(button_label(  # Button pads each line (line-pad)
                name, detail.strip(), width - 2 * button.styles.line_pad, height, short))
            button.disabled = not (queue.available and self.open_now)

    def on_key(self, event: events.Key) -> None:
        super().on_key(event)
        if self.shortcut(event.character):
            event.stop()

    def _button_for(self, character: str | None) -> FieldButton | None:
        return next((b for b in self.query(FieldButton) if character and (
            character == b.shortcut or character.upper() == b.field.prefix)), None)

    def is_shortcut(self, character: str | None) -> bool:
        return character == BOOKED_KEY or self._button_for(character) is not None

    def shortcut(self, character: str | None) -> bool:
        """Chooses what `character` is the key of (a field, or the booking check-in); True
        if it is one, chosen or not (a closed field's key does nothing)."""
        if character == BOOKED_KEY and any(
                not b.disabled for b in self.query("#kiosk-booked").results(Button)):
            self.app.push_screen(CheckInScreen(self.state))
            return True
        if character == KEYPAD_KEY and self.query("#kiosk-keypad"):
            self.type_card()
            return True
        button = self._button_for(character)
        if button is None:
            return False
        if not button.disabled:
            self.choose(button.field)
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, FieldButton):
            self.choose(event.button.field)
        elif event.button.id == "kiosk-booked":
            self.app.push_screen(CheckInScreen(self.state))
        elif event.button.id == "kiosk-keypad":
            self.type_card()

    def type_card(self) -> None:
        def typed(digits: str | None) -> None:
            if digits:
                self.read_card(digits)
        self.app.push_screen(KeypadDialog(self.lang), typed)

    def choose(self, field: FieldInfo) -> None:
        procedures = [p for p in self.service.catalog.procedures.values()
                      if p.field_id == field.id]
        if self.service.catalog.hall.kiosk.ask_procedure and procedures:
            def picked(code: str | None) -> None:
                if code is not None:
                    chosen = [p for p in procedures if p.code == code]
                    self.app.push_screen(ConfirmScreen(self.state, field,
                                                       chosen[0] if chosen else None))
            options = [(p.code, p.label(self.lang)) for p in procedures]
            options.append(("", say("kiosk.skip", self.lang)))
            self.app.push_screen(ChoiceDialog(say("kiosk.procedure_title", self.lang),
                                              options), picked)
            return
        self.app.push_screen(ConfirmScreen(self.state, field, None))

    def action_back(self) -> None:
        """Home has nowhere to go back to."""


class ConfirmScreen(KioskStep):
    """One clear step before a number is issued; priority is a separate, confirmed choice."""

    BINDINGS = [Binding("enter", "take", show=False), Binding("asterisk", "priority", show=False)]

    def __init__(self, state: KioskState, field: FieldInfo,
                 procedure: ProcedureInfo | None) -> None:
        super().__init__(state)
        self.field = field
        self.procedure = procedure
        self.busy = False

    def on_mount(self) -> None:
        self.call_after_refresh(self.replay)

    def on_key(self, event: events.Key) -> None:
        super().on_key(event)
        if self.busy:  # the next citizen, already: their keys wait for the ticket screen
            event.stop()
            event.prevent_default()
            self.state.pending.append((event.key, event.character))
        elif self.start_over(event.character):
            event.stop()

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Plain(say("kiosk.confirm_title", self.lang), id="confirm-title")
            yield Plain(self.field.label(self.lang), id="confirm-field")
            if self.procedure is not None:
                yield Plain(self.procedure.label(self.lang),
                             id="confirm-procedure")
            yield Plain(say("kiosk.identity_read", self.lang) if self.state.identified
                        else "", id="confirm-identity")
            yield Plain(id="confirm-status")
            yield Button(say("kiosk.take", self.lang), variant="success", id="confirm-take")
            yield Button("", id="confirm-held", classes="-hidden")
            if self.service.catalog.hall.priorities:
                yield Button(say("kiosk.priority", self.lang), variant="warning",
                             id="confirm-priority")
            yield Button(say("kiosk.back", self.lang), id="confirm-back")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm-take":
            self.action_take()
        elif event.button.id == "confirm-priority":
            self.action_priority()
        elif event.button.id == "confirm-held" and self.held is not None:
            self.app.switch_screen(TicketScreen(self.state, self.held))
        else:
            self.action_back()

    held: TicketView | None = None
    """The ticket a refused card holds already: one tap shows it."""

    def card_read(self, identified: Identified) -> None:
        """Read with the field chosen: it stays on this step."""
        self.state.identified = identified
        self.query_one("#confirm-identity", Static).update(say("kiosk.identity_read",
                                                               self.lang))

    def action_take(self) -> None:
        offer = elderly_offer(self.service, self.state.identified, self.lang)
        if offer is None or self.busy:
            self.request(None)
            return

        def answered(answer: str | None) -> None:
            if answer is not None:
                self.request(offer[0] if answer == "yes" else None)
        self.app.push_screen(offer[1], answered)

    def action_priority(self) -> None:
        categories = self.service.catalog.hall.priorities
        if not categories or self.busy:
            return

        def chosen(code: str | None) -> None:
            if code is None:
                return
            name = [c.label(self.lang) for c in categories if c.code == code][0]

            def confirmed(answer: str | None) -> None:
                if answer == "yes":
                    self.request(code)
            self.app.push_screen(ChoiceDialog(
                say("kiosk.priority_confirm", self.lang, category=name),
                [("yes", say("kiosk.yes", self.lang)), ("no", say("kiosk.no", self.lang))]),
                confirmed)
        self.app.push_screen(ChoiceDialog(say("kiosk.priority_title", self.lang),
                                          [(c.code, c.choice(self.lang)) for c in categories],
                                          say("kiosk.back", self.lang)), chosen)

    def request(self, priority: str | None) -> None:
        """One tap is one ticket: ignore repeats while issuing and within the minimum gap."""
        if self.busy:
            return
        self.busy = True
        self.query_one("#confirm-status", Static).update(say("kiosk.issuing", self.lang))
        for button in self.query(Button):
            button.disabled = True
        # Within the minimum gap the ticket comes when the gap is over: the next citizen's
        # Enter is never refused, and one person still cannot pull tickets faster.
        gap = self.service.catalog.hall.kiosk.min_seconds_between_tickets
        wait = gap - (self.state.clock() - self.state.last_issue)
        if wait > 0:
            self.set_timer(wait, lambda: self._issue_now(priority))
        else:
            self._issue_now(priority)

    def _issue_now(self, priority: str | None) -> None:
        self.state.last_issue = self.state.clock()
        self.issue(priority)

    @work(thread=True, exclusive=True, group="issue", exit_on_error=False)
    def issue(self, priority: str | None) -> None:
        what = self.procedure.code if self.procedure else self.field.code
        try:
            ticket = self.service.issue(what, priority=priority,
                                        identity=self.state.identified)
        except QueueError as exc:
            # Nothing was committed (one transaction), so trying again cannot duplicate.
            held = self.service.ticket(exc.params["number"]) \
                if exc.code == "identity.held_field" else None
            self.app.call_from_thread(self.failed, exc.message(self.lang), held)
            return
        self.app.call_from_thread(self.issued, ticket)

    def issued(self, ticket: TicketView) -> None:
        self.state.identified = None
        self.app.switch_screen(TicketScreen(self.state, ticket))

    def failed(self, message: str, held: TicketView | None = None) -> None:
        self.held = held
        show = self.query_one("#confirm-held", Button)
        show.set_class(held is None, "-hidden")
        if held is not None:
            show.label = literal(say("kiosk.show_held", self.lang, number=held.number))
        self.busy = False
        self.state.last_issue = -1e9
        self.query_one("#confirm-status", Static).update(message)
        for button in self.query(Button):
            button.disabled = False


class CheckInScreen(KioskStep):
    """"Tôi có lịch hẹn": the citizen types the booking's code, or a scanner that types
    (keyboard wedge) reads its QR, and Enter gives the ticket."""

    late_field: FieldInfo | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="checkin-box"):
            yield Plain(say("kiosk.booked_title", self.lang), id="checkin-title")
            yield Input(id="checkin-code", max_length=200)
            yield Plain(id="checkin-status")
            yield Button(say("kiosk.booked_take", self.lang), variant="success",
                         id="checkin-take")
            yield Button("", variant="primary", id="checkin-walk-in", classes="-hidden")
            yield Button(say("kiosk.back", self.lang), id="checkin-back")

    def on_mount(self) -> None:
        self.query_one("#checkin-code", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.take()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "checkin-take":
            self.take()
        elif event.button.id == "checkin-walk-in" and self.late_field is not None:
            self.app.switch_screen(ConfirmScreen(self.state, self.late_field, None))
        else:
            self.action_back()

    def take(self) -> None:
        code = self.query_one("#checkin-code", Input).value
        if not code.strip() or self.query_one("#checkin-take", Button).disabled:
            return
        self.query_one("#checkin-status", Static).update(say("kiosk.issuing", self.lang))
        self.query_one("#checkin-take", Button).disabled = True
        self.check_in(code)

    @work(thread=True, exclusive=True, group="issue", exit_on_error=False)
    def check_in(self, code: str) -> None:
        from queue_kiosk.service.appointments import Appointments

        desk = Appointments(self.service)
        try:
            ticket = desk.checkin(code)
        except QueueError as exc:
            # Too late for the booking: a normal ticket of its field is one tap away.
            field = self.service.catalog.find_field(desk.find(code).field) \
                if exc.code == "booking.late" else None
            self.app.call_from_thread(self.refused, exc.message(self.lang),
                                      field[0] if field else None)
            return
        self.app.call_from_thread(self.app.switch_screen, TicketScreen(self.state, ticket))

    def refused(self, message: str, late_field: FieldInfo | None = None) -> None:
        self.late_field = late_field
        walk_in = self.query_one("#checkin-walk-in", Button)
        walk_in.set_class(late_field is None, "-hidden")
        if late_field is not None:
            walk_in.label = literal(say("kiosk.walk_in_instead", self.lang,
                                        field=late_field.label(self.lang)))
        self.query_one("#checkin-status", Static).update(message)
        self.query_one("#checkin-take", Button).disabled = False
        code = self.query_one("#checkin-code", Input)
        code.value = ""
        code.focus()


class TicketScreen(KioskStep):
    """The number, very large, and the print state; any tap returns home."""

    BINDINGS = [Binding("enter,space", "back", show=False),
                Binding("escape", "close", show=False)]

    def __init__(self, state: KioskState, ticket: TicketView) -> None:
        super().__init__(state)
        self.ticket = ticket
        self.shown_at = self.state.clock()

    def compose(self) -> ComposeResult:
        ticket = self.ticket
        with Vertical(id="ticket-box"):
            yield Plain(say("kiosk.your_number", self.lang), id="ticket-title")
            yield BigText(ticket.number, id="ticket-number")
            yield Plain(ticket.number, id="ticket-plain")
            field = ticket.field_label(self.lang)
            lines = [field]
            if ticket.appointment:
                lines.append(say("ticket.appointment", self.lang, code=ticket.appointment))
            if ticket.procedure_name:
                lines.append(ticket.procedure_name)
            if ticket.priority is not None:  # as on paper; which category is the counter's
                lines.append(say("ticket.priority", self.lang))
            lines.append(say("kiosk.go_to", self.lang, counters=", ".join(
                say("kiosk.counter", self.lang, code=code) for code in ticket.counters)))
            if ticket.ahead is not None:
                lines.append(say("kiosk.ahead", self.lang, ahead=ticket.ahead))
            if ticket.eta_minutes is not None:
                lines.append(wait_words("kiosk.eta_long", self.lang, ticket.eta_minutes))
            later = settled_words(self.service.catalog.hall.calendar.cutoff, ticket, self.lang)
            if later:
                lines.append(later)
            yield Plain("\n".join(lines), id="ticket-details")
            yield Plain(id="ticket-print")
            yield Plain(say("kiosk.done", self.lang), id="ticket-done")

    def on_key(self, event: events.Key) -> None:
        super().on_key(event)
        if self.start_over(event.character):
            event.stop()

    def on_mount(self) -> None:
        seconds = self.service.catalog.hall.kiosk.ticket_seconds
        self.set_timer(seconds, self.timed_out)
        # An Enter pressed while issuing was this citizen's double tap: it hides nothing.
        while self.state.pending and self.state.pending[0][0] in ("enter", "space"):
            self.state.pending.pop(0)
        self.call_after_refresh(self.replay)
        printer = self.options.printer
        if printer is not None:
            self.query_one("#ticket-print", Static).update(say("kiosk.printing", self.lang))
            self.print_ticket(printer)

    @work(thread=True, exclusive=True, group="print", exit_on_error=False)
    def print_ticket(self, printer: TicketPrinter) -> None:
        from queue_kiosk.printing.job import print_ticket
        from queue_kiosk.printing.printers import PrintError

        try:
            print_ticket(self.service.catalog, self.service.record_print, self.ticket, printer,
                         self.lang)
        except PrintError as exc:
            # The citizen hears what happened, not the device's address (that is logged).
            message = say("kiosk.print_failed", self.lang,
                          reason=citizen_reason(exc.code, self.lang))
            self.app.call_from_thread(self.print_state, message, False)
            return
        self.app.call_from_thread(self.print_state, say("kiosk.printed", self.lang), True)

    def print_state(self, message: str, ok: bool) -> None:
        label = self.query_one("#ticket-print", Static)
        label.update(message)
        label.set_class(not ok, "-failed")
        if not ok:
            # Give the citizen time to photograph the number.
            self.set_timer(self.service.catalog.hall.kiosk.ticket_seconds * 2, self.timed_out)

    def on_click(self) -> None:
        self.action_back()

    def action_back(self) -> None:
        if self.is_current and self.state.clock() - self.shown_at >= SETTLE_SECONDS:
            self.app.pop_screen()

    def action_close(self) -> None:
        """Esc: always, at once (a double tap is Enter or a touch, never Esc)."""
        if self.is_current:
            self.app.pop_screen()

    def timed_out(self) -> None:
        if self.is_current:
            self.app.pop_screen()
