"""Provides the kiosk's steps after home: the confirmation before a number is issued (its
priority, the card's offer and refusal), the booking check-in, and the ticket shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Input, Static

from queue_kiosk.domain.errors import QueueError
from queue_kiosk.domain.views import TicketView
from queue_kiosk.screens.dialogs.choice import ChoiceDialog
from queue_kiosk.screens.identity import elderly_offer
from queue_kiosk.screens.kiosk_step import KioskState, KioskStep
from queue_kiosk.screens.widgets.big_text import BigText
from queue_kiosk.screens.widgets.plain import Plain, literal
from queue_kiosk.service.calendar import settled_words
from queue_kiosk.service.catalog import FieldInfo, ProcedureInfo
from queue_kiosk.wording import citizen_reason, say, wait_words

if TYPE_CHECKING:
    from queue_kiosk.printing.printers import TicketPrinter
    from queue_kiosk.service.identity import Identified

SETTLE_SECONDS = 1.5
"""The ticket screen ignores taps this long: the second tap of a double tap must not hide
the number the first one just issued."""


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

    def replay_enter(self) -> bool:
        self.action_take()
        return True

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
    def check_in(self, code: str, elderly: bool | None = None) -> None:
        """`elderly` None: not asked yet; a booking made with an elderly citizen's card is
        offered the priority first, as a scan is (`ConfirmScreen.action_take`)."""
        from queue_kiosk.service.appointments import Appointments

        desk = Appointments(self.service)
        try:
            offer = elderly_offer(self.service, desk.identity(code), self.lang) \
                if elderly is None else None
            if offer is not None:
                self.app.call_from_thread(self.offer, code, offer[1])
                return
            ticket = desk.checkin(code, elderly=bool(elderly))
        except QueueError as exc:
            # Too late for the booking: a normal ticket of its field is one tap away.
            field = self.service.catalog.find_field(desk.find(code).field) \
                if exc.code == "booking.late" else None
            self.app.call_from_thread(self.refused, exc.message(self.lang),
                                      field[0] if field else None)
            return
        self.app.call_from_thread(self.app.switch_screen, TicketScreen(self.state, ticket))

    def offer(self, code: str, dialog: ChoiceDialog) -> None:
        def answered(answer: str | None) -> None:
            if answer is None:  # Esc: nothing taken, the citizen may start again
                self.query_one("#checkin-status", Static).update("")
                self.query_one("#checkin-take", Button).disabled = False
                return
            self.check_in(code, answer == "yes")
        self.app.push_screen(dialog, answered)

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

    def replay_escape(self) -> None:
        self.action_close()

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
