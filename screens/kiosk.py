"""Provides the kiosk: a citizen picks a field and takes a numbered ticket."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Button, Static

from queue_kiosk.domain.calendar import Calendar, refusal
from queue_kiosk.domain.errors import QueueError
from queue_kiosk.domain.text import fit_lines
from queue_kiosk.domain.views import FieldQueueView
from queue_kiosk.screens.dialogs.choice import ChoiceDialog
from queue_kiosk.screens.identity import CardScanned, KeypadDialog, WedgeFilter
from queue_kiosk.screens.kiosk_step import KioskHomeStep, KioskState, KioskStep
from queue_kiosk.screens.kiosk_steps import CheckInScreen, ConfirmScreen
from queue_kiosk.screens.messages import CatalogReloaded, StoreChanged
from queue_kiosk.screens.widgets.header import CentreHeader
from queue_kiosk.screens.widgets.plain import Plain, literal
from queue_kiosk.screens.widgets.store_banner import StoreBanner
from queue_kiosk.service.calendar import CentreCalendar
from queue_kiosk.service.catalog import FieldInfo
from queue_kiosk.wording import say

SHORTCUTS = "1234567890"
BOOKED_KEY = "+"
"""The keypad key for "Tôi có lịch hẹn" (digits and prefix letters choose fields)."""
KEYPAD_KEY = "#"
"""The keypad key for typing the CCCD's 12 digits."""
CALENDAR_SECONDS = 30.0
"""How soon a day an administrator closes or opens shows on a running kiosk."""


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


class KioskHome(KioskHomeStep):
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
        columns = 1 if self.size.width < 60 else (2 if self.size.width < 120 else 3)
        grid.styles.grid_size_columns = columns
        # Compact where the fields' rows would get less than a button's 3 lines each: the
        # header, title, padding and hint take 8, a row 4 with its gap, booking 3, cards 3.
        rows = -(-len(self.query(FieldButton)) // columns)
        needed = 8 + 4 * rows + 3 * bool(self.query("#kiosk-booked")) \
            + 3 * bool(self.query("#kiosk-keypad"))
        self.set_class(self.size.height < max(32, needed), "-compact")
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
                today = self.service.today()
                detail = queue.why_not(self.lang, today)
                short = queue.why_not(self.lang, today, short=True)
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
