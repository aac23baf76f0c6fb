"""Provides the counter: an official signs in, calls, serves and hands over tickets."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Input, Label, Static

from queue_kiosk.config.devices import COUNTER_KEYS, SAME_KEY_AS
from queue_kiosk.domain.errors import QueueError
from queue_kiosk.domain.identity import looks_like_card
from queue_kiosk.domain.views import CounterFiguresView, TicketView
from queue_kiosk.ops.backups import close_day_backed_up
from queue_kiosk.ops.heartbeat import stopped_note
from queue_kiosk.screens.base import QueueScreen
from queue_kiosk.screens.dialogs.choice import ChoiceDialog, Option
from queue_kiosk.screens.dialogs.prompt import TextPrompt
from queue_kiosk.screens.identity import reader
from queue_kiosk.screens.messages import StoreChanged
from queue_kiosk.screens.widgets.big_text import BigText
from queue_kiosk.screens.widgets.plain import Plain
from queue_kiosk.screens.widgets.store_banner import StoreBanner
from queue_kiosk.service.alerts import alerts_note
from queue_kiosk.service.appointments import Appointments, BookingView, SlotView
from queue_kiosk.service.identity import Holder
from queue_kiosk.service.staff import CounterHolder, NewPinNeeded, StaffDirectory, StaffView
from queue_kiosk.wording import say, status_word

IDLE_CHECK_SECONDS = 5.0
VOICE_CHECK_SECONDS = 15.0
STOPPED_CHECK_SECONDS = 60.0


class CounterLoginScreen(QueueScreen[None]):
    """Staff code and PIN; then the counter, from those this official may use."""

    # Priority bindings: the app acts on them the moment the key arrives, before the keys
    # typed after it, so a burst (code, Tab, PIN, Enter) lands each part in its own field.
    BINDINGS = [Binding("tab", "next_field", show=False, priority=True),
                Binding("enter", "enter", show=False, priority=True)]
    ROLE: str | None = None
    """The role a sign-in needs (the admin screen's: "admin"); None: any."""
    TITLE_KEY = "counter.login_title"

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="login-box"):
            yield Label(say(self.TITLE_KEY, lang), id="login-title", markup=False)
            if self.options.sign_in_hint:
                yield Plain(self.options.sign_in_hint, id="login-hint")
            yield Input(placeholder=say("admin.code", lang), id="login-code")
            yield Input(placeholder=say("admin.pin", lang), password=True, id="login-pin")
            # Shown only after an administrator reset this PIN: the new one typed twice.
            yield Input(placeholder=say("admin.pin_again", lang), password=True,
                        id="login-pin-again", classes="-hidden")
            yield Plain(id="login-error")
            yield Button(say("counter.sign_in", lang), variant="primary", id="login-ok")

    def on_button_pressed(self, _: Button.Pressed) -> None:
        self.sign_in()

    def fields(self) -> list[Input]:
        """The fields in their order: the second new PIN only while it is asked for."""
        return [field for field in self.query(Input) if not field.has_class("-hidden")]

    def action_next_field(self) -> None:
        fields = self.fields()
        after = fields.index(self.focused) + 1 if self.focused in fields else 0
        # At once, not as `focus()` does (after the keys already queued): the next key
        # typed must reach the next field. (`has_focus` too follows only later.)
        self.set_focus(fields[after % len(fields)])

    def action_enter(self) -> None:
        fields = self.fields()
        if self.focused in fields[:-1]:
            self.set_focus(fields[fields.index(self.focused) + 1])
        else:
            self.sign_in()

    def sign_in(self) -> None:
        # After each field has taken the keys already sent to it: a burst's last characters
        # may still wait in a field's queue when Enter arrives.
        code, pin = self.query_one("#login-code", Input), self.query_one("#login-pin", Input)
        again = self.query_one("#login-pin-again", Input)
        code.call_later(lambda: pin.call_later(lambda: again.call_later(
            lambda: self.check_sign_in(code.value, pin.value, None if again.has_class(
                "-hidden") else again.value))))

    def clear(self) -> None:
        """Ready for the next official: empty fields, the code focused."""
        for field in self.query(Input):
            field.value = ""
        self.query_one("#login-pin-again", Input).add_class("-hidden")
        self.query_one("#login-code", Input).focus()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def check_sign_in(self, code: str, pin: str, pin_again: str | None = None) -> None:
        """Off the UI thread (a PIN check costs tens of milliseconds); the inputs were read
        on it."""
        try:
            staff = StaffDirectory(self.service).login(
                code, pin, role=self.ROLE, client=self.options.client, ask_again=True,
                pin_again=pin_again)
        except NewPinNeeded as exc:
            self.app.call_from_thread(self.ask_again, exc.message(self.lang))
            return
        except QueueError as exc:
            self.app.call_from_thread(self.refused, exc.message(self.lang))
            return
        if pin_again is not None:
            self.app.call_from_thread(self.notify, say("counter.pin_set", self.lang),
                                      markup=False)
        self.app.call_from_thread(self.signed_in, staff)

    def ask_again(self, message: str) -> None:
        self.query_one("#login-error", Static).update(message)
        again = self.query_one("#login-pin-again", Input)
        again.remove_class("-hidden")
        self.set_focus(again)

    def refused(self, message: str) -> None:
        self.query_one("#login-error", Static).update(message)
        again = self.query_one("#login-pin-again", Input)
        again.value = ""
        again.add_class("-hidden")
        pin = self.query_one("#login-pin", Input)
        pin.value = ""
        pin.focus()

    def signed_in(self, staff: StaffView) -> None:
        service = self.service
        lang = self.lang
        allowed = [c for c in service.catalog.counters.values()
                   if not staff.counters or c.code in staff.counters]
        wanted = self.options.counter
        if wanted is not None:
            if not any(c.code == wanted for c in allowed):
                self.refused(QueueError("staff.forbidden_counter", code=staff.code,
                                        counter=wanted).message(lang))
                return
            self.open_counter(wanted, staff)
            return
        if len(allowed) == 1:
            self.open_counter(allowed[0].code, staff)
            return

        def chosen(code: str | None) -> None:
            if code is not None:
                self.open_counter(code, staff)
        # Each counter keyed by its own code: "2" always opens counter 2.
        options: list[Option] = [
            (c.code, f"{say('counter.name', lang, code=c.code)} – {c.label(lang)}", c.code)
            for c in allowed]
        self.app.push_screen(ChoiceDialog(say("counter.choose", lang), options), chosen)

    @work(thread=True, exclusive=True, group="holder", exit_on_error=False)
    def open_counter(self, counter: str, staff: StaffView, confirmed: bool = False) -> None:
        """The counter's screen, once this official holds the counter. When another official
        holds it, only after this one confirmed taking it over (the other's screen then
        signs them out)."""
        directory, session = StaffDirectory(self.service), secrets.token_hex(8)
        try:
            holder = None if confirmed else directory.holder(counter)
            if holder is not None and holder.staff != staff.code:
                self.app.call_from_thread(self.confirm_take_over, counter, staff, holder)
                return
            directory.take_counter(counter, staff, session)
        except QueueError as exc:
            self.app.call_from_thread(self.refused, exc.message(self.lang))
            return
        self.app.call_from_thread(self.app.push_screen,
                                  counter_screen(self.lang)(counter, staff, session))

    def confirm_take_over(self, counter: str, staff: StaffView, holder: CounterHolder) -> None:
        lang = self.lang

        def chosen(choice: str | None) -> None:
            if choice == "take_over":
                self.open_counter(counter, staff, confirmed=True)
            else:
                self.clear()
        since = holder.since.astimezone(self.service.catalog.tz)
        self.app.push_screen(ChoiceDialog(
            say("counter.held", lang, code=counter, staff=holder.name, since=f"{since:%H:%M}"),
            [("take_over", say("counter.take_over", lang))], say("action.cancel", lang)),
            chosen)


def counter_bindings(lang: str) -> list[BindingType]:
    """The counter's actions on their default keys, each with an id through which the app
    applies the hall's own keys (`[counter.keys]`) as a Textual keymap."""
    keys = {**COUNTER_KEYS, **{a: COUNTER_KEYS[b] for a, b in SAME_KEY_AS.items()}}
    return [Binding(key, action, say(f"action.{action}", lang), id=f"counter.{action}")
            for action, key in keys.items()]


def counter_screen(lang: str) -> type[CounterScreen]:
    """The counter's screen with its footer in `lang`."""
    return EnglishCounterScreen if lang == "en" else CounterScreen


@dataclass(frozen=True)
class CounterState:
    current: TicketView | None
    waiting: list[TicketView]
    figures: CounterFiguresView
    paused_reason: str | None
    outside_hours: bool = False


class CounterScreen(QueueScreen[None]):
    """The official's working screen; every action runs in a worker and is logged with the
    official's staff code."""

    BINDINGS = counter_bindings("vi")

    def __init__(self, counter: str, staff: StaffView, session: str) -> None:
        super().__init__()
        self.counter = counter
        self.staff = staff
        self.session = session
        """This screen's sign-in at the counter (see `StaffDirectory.take_counter`)."""
        self.state: CounterState | None = None
        self.last_activity = self.idle_clock()

    idle_clock: Callable[[], float] = staticmethod(time.monotonic)
    """Injectable: tests move this clock, never the event loop's."""

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Plain(id="counter-title")
        yield StoreBanner()
        with Horizontal(id="counter-body"):
            with Vertical(id="counter-current"):
                yield Plain(say("counter.current", lang), id="current-label")
                yield BigText(id="current-number")
                yield Plain(id="current-details")
            with Vertical(id="counter-side"):
                yield Plain(id="waiting-title")
                yield DataTable(id="waiting-table", cursor_type="row", zebra_stripes=True)
        yield Plain(id="counter-figures")
        yield Plain(say("counter.voice_problem", self.lang), id="counter-voice")
        # Compact: every action's key fits 120 columns (F10, the menu, is the last).
        yield Footer(compact=True)

    def on_mount(self) -> None:
        lang = self.lang
        table = self.query_one("#waiting-table", DataTable)
        table.add_columns(*(say(f"counter.col_{c}", lang)
                            for c in ("number", "field", "waited", "priority")))
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle)
        self.set_interval(VOICE_CHECK_SECONDS, self.check_voice)
        self.load()
        self.check_voice()
        if self.staff.role == "admin":  # whoever can restart a screen hears that one stopped
            self.stopped_told: str | None = None
            self.set_interval(STOPPED_CHECK_SECONDS, self.tell_stopped)
            self.tell_stopped()

    @work(thread=True, exclusive=True, group="stopped", exit_on_error=False)
    def tell_stopped(self) -> None:
        """Screens that stopped and the site's open alerts, told when they change."""
        note = "\n".join(n for n in (stopped_note(self.service, self.lang),
                                      alerts_note(self.service, self.lang)) if n) or None
        if note and note != self.stopped_told:
            self.app.call_from_thread(self.notify, note, severity="warning", timeout=30,
                                      markup=False)
        self.stopped_told = note

    @work(thread=True, exclusive=True, group="holder", exit_on_error=False)
    def check_held(self) -> None:
        """Signs out when another official signed in at this counter elsewhere."""
        try:
            holder = StaffDirectory(self.service).holder(self.counter)
        except QueueError:
            return
        if holder is not None and holder.session != self.session:
            self.app.call_from_thread(self.sign_out, say(
                "counter.taken_over", self.lang, staff=holder.name, code=self.counter))

    @work(thread=True, exclusive=True, group="voice", exit_on_error=False)
    def check_voice(self) -> None:
        """Whether the hall hears the calls (the display records it): when it does not, the
        official must call citizens out loud."""
        try:
            failing = self.service.voice_problem() is not None
        except QueueError:
            return
        self.app.call_from_thread(self.show_voice, failing)

    def show_voice(self, failing: bool) -> None:
        line = self.query_one("#counter-voice", Plain)
        if failing and not line.has_class("-shown"):
            self.notify(say("counter.voice_problem", self.lang), severity="warning",
                        timeout=30, markup=False)
        line.set_class(failing, "-shown")

    def on_unmount(self) -> None:
        """Signed out (or the program closed): the counter is free again, unless another
        official took it over."""
        try:
            StaffDirectory(self.service).release_counter(self.counter, self.session)
        except QueueError:
            pass  # a store that does not answer: the next official is asked to confirm

    def on_key(self, _: events.Key) -> None:
        self.last_activity = self.idle_clock()

    def on_mouse_down(self, _: events.MouseDown) -> None:
        self.last_activity = self.idle_clock()

    def check_idle(self) -> None:
        """Signs out after the hall's idle time, so that nobody calls under the last
        official's name on a shared PC."""
        minutes = self.service.catalog.hall.counter.idle_sign_out_minutes
        if minutes and self.idle_clock() - self.last_activity >= minutes * 60:
            self.sign_out(say("counter.idle_signed_out", self.lang, minutes=f"{minutes:g}"))
        else:
            self.check_held()

    def sign_out(self, message: str) -> None:
        """Back to the sign-in, closing whatever dialog was open over this screen."""
        while self in self.app.screen_stack:
            self.app.pop_screen()
        login = self.app.screen
        if isinstance(login, CounterLoginScreen):
            login.clear()
        self.app.notify(message, markup=False)

    def action_menu(self) -> None:
        lang = self.lang

        def chosen(choice: str | None) -> None:
            if choice == "sign_out":
                self.sign_out(say("counter.signed_out", lang, staff=self.staff.name))
            elif choice == "quit":
                self.app.exit()
            elif choice == "close_day":
                self.app.push_screen(ChoiceDialog(
                    say("counter.close_day_confirm", lang),
                    [("close_day", say("counter.close_day", lang))],
                    say("action.cancel", lang)), confirmed)

        def confirmed(choice: str | None) -> None:
            if choice == "close_day":
                service, staff = self.service, self.staff.code
                self.run(lambda: close_day_backed_up(service, staff=staff, lang=lang),
                         lambda done: self.notify(done[2], markup=False, timeout=30))

        options = [("sign_out", say("counter.sign_out", lang)),
                   ("quit", say("counter.quit", lang))]
        if self.staff.role == "admin":  # ending the day expires every waiting number
            options.append(("close_day", say("counter.close_day", lang)))
        self.app.push_screen(ChoiceDialog(say("counter.menu_title", lang), options,
                                          say("action.cancel", lang)), chosen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # One key pauses and resumes: the footer offers the one that applies now.
        paused = self.state is not None and self.state.paused_reason is not None
        if action == "pause":
            return not paused
        if action == "resume":
            return paused
        return True

    def on_store_changed(self, _: StoreChanged) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        service = self.service
        try:
            view = service.counter(self.counter)
            state = CounterState(current=view.current, waiting=service.waiting(self.counter),
                                 figures=service.counter_figures(self.counter),
                                 paused_reason=view.paused_reason,
                                 outside_hours=view.outside_hours)
        except QueueError:
            return  # the banner reports the outage; keep what is shown
        self.app.call_from_thread(self.show, state)

    def show(self, state: CounterState) -> None:
        if self.state is None:
            # The footer redraws its keys only after a later repaint, which a quiet screen
            # may never have: without this it stays blank until the first key.
            self.query_one(Footer).refresh(recompose=True)
        self.state = state
        service = self.service
        lang = self.lang
        info = service.catalog.counter(self.counter)
        title = say("counter.title", lang, code=info.code,
                     name=info.label(lang),
                     staff=self.staff.name)
        if state.paused_reason is not None:
            title += "   " + say("counter.paused_title", lang, reason=state.paused_reason or "—")
        elif state.outside_hours:
            # The kiosk sends nobody here now; the official may still call who is waiting.
            title += "   " + say("counter.outside_hours", lang)
        header = self.query_one("#counter-title", Static)
        header.update(title)
        header.set_class(state.paused_reason is not None, "-paused")
        header.set_class(state.paused_reason is None and state.outside_hours, "-outside")
        self.refresh_bindings()
        current = state.current
        self.query_one("#current-number", BigText).text = current.number if current else ""
        self.query_one("#current-details", Static).update(
            self.describe(current) if current else say("counter.none", lang))
        now = service.clock.now()
        table = self.query_one("#waiting-table", DataTable)
        table.clear()
        for ticket in state.waiting:
            waited = int((now - ticket.issued_at).total_seconds() // 60)
            kind = self.priority_name(ticket.priority) or (
                say("counter.booked", lang) if ticket.appointment else "")
            table.add_row(Text(ticket.number), Text(ticket.field_name), f"{waited}′",
                          Text(kind), key=ticket.number)
        self.query_one("#waiting-title", Static).update(
            say("counter.waiting_title", lang, count=len(state.waiting)))
        figures = state.figures
        self.query_one("#counter-figures", Static).update(say(
            "counter.figures", lang, served=figures.served, no_shows=figures.no_shows,
            average=figures.average_service_minutes if figures.average_service_minutes
            is not None else "—"))

    def priority_name(self, code: str | None) -> str | None:
        if code is None:
            return None
        return self.service.catalog.priority_label(code, self.lang)

    def describe(self, ticket: TicketView) -> str:
        lang = self.lang
        waited_until = ticket.called_at or self.service.clock.now()
        lines = [say("counter.field", lang, field=ticket.field_name)]
        if ticket.procedure_name:
            lines.append(say("counter.procedure", lang, procedure=ticket.procedure_name))
        if ticket.priority:
            lines.append(say("counter.priority", lang,
                              category=self.priority_name(ticket.priority)))
        if ticket.appointment:
            lines.append(say("counter.appointment", lang, code=ticket.appointment))
        if ticket.identity:
            lines.append(say("identity.verified", lang))
        lines.append(say("counter.waited", lang, minutes=int(
            (waited_until - ticket.issued_at).total_seconds() // 60)))
        lines.append(say("counter.status", lang, status=status_word(ticket.status, lang)))
        lines.append(say("counter.recalls", lang, recalls=ticket.recalls))
        return "\n".join(lines)

    # ----- actions ------------------------------------------------------------------------

    def run(self, operation: Callable[[], Any],
            after: Callable[[Any], None] | None = None) -> None:
        self._run(operation, after)

    @work(thread=True, group="action", exit_on_error=False)
    def _run(self, operation: Callable[[], Any], after: Callable[[Any], None] | None) -> None:
        try:
            result = operation()
        except QueueError as exc:
            self.app.call_from_thread(self.notify, exc.message(self.lang), severity="error",
                                      markup=False)
            return
        if after is not None:
            self.app.call_from_thread(after, result)
        self.load()

    def action_call_next(self) -> None:
        service, lang = self.service, self.lang
        current = self.state.current if self.state else None
        if current is None:
            self.run(lambda: service.call_next(self.counter, staff=self.staff.code),
                     self.called)
            return

        def call_next() -> None:
            self.run(lambda: service.call_next(self.counter, staff=self.staff.code),
                     self.called)

        def absent_then_call() -> TicketView | None:
            service.no_show(self.counter, staff=self.staff.code)
            return service.call_next(self.counter, staff=self.staff.code)

        def decided(choice: str | None) -> None:
            if choice == "finish":
                # The rating is asked here too, before the next citizen is called: every
                # way a service ends asks for it, so the figures do not depend on habits.
                self.run(lambda: service.finish(self.counter, staff=self.staff.code),
                         lambda ticket: self.ask_rating(ticket, then=call_next))
            elif choice == "no_show":
                self.run(absent_then_call, self.called)
            elif choice == "transfer":
                self.action_transfer()
        options = [("finish", say("action.finish", lang))]
        if current.status == "called":
            options.append(("no_show", say("action.no_show", lang)))
        options.append(("transfer", say("action.transfer", lang)))
        self.app.push_screen(ChoiceDialog(say("counter.busy_title", lang, number=current.number),
                                          options, say("action.cancel", lang)), decided)

    def called(self, ticket: TicketView | None) -> None:
        if ticket is None:
            self.notify(say("counter.nobody", self.lang), markup=False)

    def action_recall(self) -> None:
        service = self.service

        def after(ticket: TicketView) -> None:
            if ticket.status == "no_show":
                self.notify(say("counter.became_no_show", self.lang, number=ticket.number),
                            severity="warning", markup=False)
        self.run(lambda: service.recall(self.counter, staff=self.staff.code), after)

    def action_start(self) -> None:
        service = self.service
        self.run(lambda: service.start(self.counter, staff=self.staff.code))

    def current_or_warn(self) -> TicketView | None:
        """The ticket at the counter, or None with a warning that there is none."""
        current = self.state.current if self.state else None
        if current is None:
            self.notify(QueueError("counter.idle", counter=self.counter).message(self.lang),
                        severity="warning", markup=False)
        return current

    def action_no_show(self) -> None:
        """Asks first: one key would otherwise end a citizen's turn for good."""
        service, lang = self.service, self.lang
        current = self.current_or_warn()
        if current is None:
            return

        def decided(choice: str | None) -> None:
            if choice == "no_show":
                self.run(lambda: service.no_show(self.counter, staff=self.staff.code))
        self.app.push_screen(ChoiceDialog(
            say("counter.no_show_confirm", lang, number=current.number),
            [("no_show", say("action.no_show", lang))], say("action.cancel", lang),
            selected="no_show"), decided)

    def action_finish(self) -> None:
        service = self.service
        self.run(lambda: service.finish(self.counter, staff=self.staff.code), self.ask_rating)

    def ask_rating(self, ticket: TicketView, then: Callable[[], None] | None = None) -> None:
        """The citizen rates the service just finished (or skips); then `then`."""
        service, lang = self.service, self.lang
        if not service.catalog.hall.counter.rating_prompt:
            if then is not None:
                then()
            return

        def thanked(_: object) -> None:
            self.notify(say("counter.rated", lang), markup=False)
            if then is not None:
                then()

        def rated(level: str | None) -> None:
            if level is not None:
                self.run(lambda: service.rate(ticket.token, level), thanked)
            elif then is not None:
                then()
        levels = [(lv.code, lv.label(lang)) for lv in service.catalog.hall.rating.levels]
        self.app.push_screen(ChoiceDialog(say("counter.rating_title", lang), levels,
                                          say("action.cancel", lang)), rated)

    def action_transfer(self) -> None:
        service, lang = self.service, self.lang
        current = self.current_or_warn()
        if current is None:
            return
        # Fields keyed by their codes (letters in the bundled hall), counters by theirs.
        options: list[Option] = [
            (f"field:{f.code}", f.label(lang), f.code)
            for f in service.catalog.fields.values() if f.code != current.field]
        options += [(f"counter:{c.code}",
                     f"{say('counter.name', lang, code=c.code)} – {c.label(lang)}", c.code)
                    for c in service.catalog.counters.values() if c.code != self.counter]

        def chosen(target: str | None) -> None:
            if target is not None:
                self.run(lambda: service.transfer(self.counter, target, staff=self.staff.code))
        self.app.push_screen(ChoiceDialog(say("counter.transfer_title", lang,
                                               number=current.number), options,
                                          say("action.cancel", lang)), chosen)

    def action_resume(self) -> None:
        service = self.service
        self.run(lambda: service.resume(self.counter, staff=self.staff.code))

    def action_pause(self) -> None:
        service, lang = self.service, self.lang
        reasons = service.catalog.hall.counter.pause_reasons

        def chosen(reason: str | None) -> None:
            if reason == "":
                self.app.push_screen(TextPrompt(say("counter.pause_title", lang)), chosen)
            elif reason is not None:
                self.run(lambda: service.pause(self.counter, reason, staff=self.staff.code))

        def ask(_: None) -> None:
            options = [(r, r) for r in reasons] + [("", "…")]
            self.app.push_screen(ChoiceDialog(say("counter.pause_title", lang), options,
                                              say("action.cancel", lang)), chosen)
        # Whether the counter may pause is asked first: no reason is asked for nothing.
        self.run(lambda: service.check_idle(self.counter), ask)

    def action_call_number(self) -> None:
        service, lang = self.service, self.lang

        def entered(text: str | None) -> None:
            if text and looks_like_card(text):  # the citizen's card, scanned at the call
                self.run(lambda: reader(service).current_holder(self.counter, text),
                         self.holder_checked)
            elif text:
                self.run(lambda: service.call_number(self.counter, text, staff=self.staff.code))
        self.app.push_screen(TextPrompt(say("counter.number_title", lang)), entered)

    def holder_checked(self, checked: tuple[TicketView, Holder]) -> None:
        ticket, holder = checked
        self.notify(say(f"identity.{holder}", self.lang, number=ticket.number), markup=False,
                    severity="warning" if holder == "mismatch" else "information")


    def action_bookings(self) -> None:
        """Today's bookings, or a booking for a citizen on the phone."""
        lang = self.lang
        if not self.service.catalog.hall.appointments.enabled:
            self.notify(say("booking.disabled", lang), severity="warning", markup=False)
            return

        def chosen(choice: str | None) -> None:
            if choice == "list":
                self.run(lambda: Appointments(self.service).day_list(self.service.today()),
                         self.show_bookings)
            elif choice == "book":
                self.book_field()
        self.app.push_screen(ChoiceDialog(say("counter.bookings_title", lang), [
            ("list", say("counter.bookings_today", lang)),
            ("book", say("counter.book_for", lang))], say("action.cancel", lang)), chosen)

    def show_bookings(self, bookings: list[BookingView]) -> None:
        lang = self.lang
        if not bookings:
            self.notify(say("cli.no_bookings", lang, day=self.service.today()),
                        markup=False)
            return
        lines = [(b.code, f"{b.slot_start} {b.code} · {b.field_label(lang)} · "
                          f"{status_word(b.status, lang)}"
                          + (f" · {b.ticket}" if b.ticket else "")
                          + (f" · {b.phone}" if b.phone else "")) for b in bookings]
        self.app.push_screen(ChoiceDialog(say("counter.bookings_today", lang), lines,
                                          say("action.close", lang)))

    def book_field(self) -> None:
        service, lang = self.service, self.lang
        desk = Appointments(service)

        def field_chosen(code: str | None) -> None:
            if code is not None:
                self.run(lambda: desk.open_days(code), lambda days: day_chosen(code, days))

        def day_chosen(code: str, days: list[tuple[date, list[SlotView]]]) -> None:
            if not days:
                self.notify(say("booking.full_page", lang, field=code), markup=False)
                return
            free = {day.isoformat(): [s.slot_start for s in slots] for day, slots in days}

            def picked(day: str | None) -> None:
                if day in free:
                    self.app.push_screen(ChoiceDialog(
                        say("counter.book_time", lang), [(s, s) for s in free[day]],
                        say("action.cancel", lang)),
                        lambda at: phone(code, day, at) if at else None)
            self.app.push_screen(ChoiceDialog(say("counter.book_day", lang),
                                              [(d, d) for d in free],
                                              say("action.cancel", lang)), picked)

        def phone(code: str, day: str, at: str) -> None:
            def entered(number: str | None) -> None:
                self.run(lambda: desk.book(code, date.fromisoformat(day), at,
                                           phone=number or None), self.booked)
            self.app.push_screen(TextPrompt(say("counter.book_phone", lang)), entered)

        fields = [(f.code, f.label(lang), f.code) for f in service.catalog.fields.values()]
        self.app.push_screen(ChoiceDialog(say("counter.book_field", lang), fields,
                                          say("action.cancel", lang)), field_chosen)

    def booked(self, booking: BookingView) -> None:
        """The code to read to the citizen on the phone: it stays until dismissed."""
        self.notify(say("counter.booked_code", self.lang, code=booking.code,
                        day=booking.date, start=booking.slot_start),
                    timeout=120, markup=False)


class EnglishCounterScreen(CounterScreen):
    BINDINGS = counter_bindings("en")
