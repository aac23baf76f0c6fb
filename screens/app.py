"""Provides the Textual app: kiosk, counter and display modes over one queue service."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from textual import events, getters, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState, get_current_worker

from queue_kiosk.domain.errors import QueueError, internal_detail
from queue_kiosk.screens.messages import CatalogReloaded, StoreCameBack, StoreChanged, StoreWentDown
from queue_kiosk.screens.widgets.plain import Plain
from queue_kiosk.wording import say

if TYPE_CHECKING:  # annotations only: the store (SQLAlchemy), printing and reports load
    # after the first paint, or when a mode needs them
    from queue_kiosk.ops.heartbeat import Heartbeat
    from queue_kiosk.printing.printers import TicketPrinter
    from queue_kiosk.reports.centre import Report
    from queue_kiosk.service.facade import QueueService
    from queue_kiosk.voice.announce import Announcer

log = logging.getLogger("queue_kiosk.alerts")

StoreOpener = Callable[[], "tuple[QueueService, dict[str, Any]]"]
"""Opens the store off the UI thread. Returns the service and the options that need it
(the printer, the announcer); what it raises closes the app and goes to the launcher."""

MODES = ("kiosk", "counter", "display")
FEED_WAIT_SECONDS = 0.25  # also how long quitting may wait for the follower
RETRY_SECONDS = (0.5, 1, 2, 5)


@dataclass
class AppOptions:
    """What a launcher decides; screens read it from the app ("attributes down")."""

    modes: tuple[str, ...] = ("kiosk",)
    lang: str = "vi"
    counter: str | None = None
    printer: TicketPrinter | None = None
    announcer: Announcer | None = None
    locked: bool = False
    """Kiosk hardening: Ctrl+C and Ctrl+Q do not quit; leaving needs an admin PIN."""
    clock_seconds: float = 1.0
    marquee_seconds: float = 0.3
    """How fast the display's notice line scrolls (tests hold it still)."""
    notes: list[str] = field(default_factory=list)
    """Lines shown to a demo user (where previews go, the demo PIN)."""
    report: Report | None = None
    """The figures the report mode shows."""
    sign_in_hint: str | None = None
    """Shown on the counter's sign-in screen (the demo's code and PIN)."""
    client: str = "local"
    """Who types sign-ins here: "local" at a terminal, the browser's address when served
    (sign-in failures are counted per client)."""


class QueueApp(App[None]):
    TITLE = "queue-kiosk"
    CSS_PATH = ["kiosk.tcss", "counter.tcss", "display.tcss", "report.tcss", "plan.tcss",
                "admin.tcss"]
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("f12", "next_mode", "Đổi màn hình", show=False)]

    store_problem: reactive[str | None] = reactive(None)
    """A one-line description of a store outage, None while the store answers."""

    def __init__(self, service: QueueService | StoreOpener, options: AppOptions) -> None:
        super().__init__()
        self._open_store = service if callable(service) else None
        if not callable(service):
            self.service = service
        self.options = options
        self.lang = options.lang
        self.startup_error: Exception | None = None
        """Why the store could not be opened; the launcher reports it after the UI closes."""
        self.typed_early: list[tuple[str, str | None]] = []
        """Keys typed while the store opened: replayed into the screen that opens."""
        self.heartbeat: Heartbeat | None = None
        """Set once the store is open, for one screen of a centre; the launcher stops it."""
        self.key_filter: Callable[[events.Key], Awaitable[bool]] | None = None
        """Sees every key first where set (the kiosk's card scanner): True keeps it."""
        self.notes_shown = False
        """The demo's notes are on screen (a long toast, until a dialog opens)."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self.key_filter is not None \
                and await self.key_filter(event):
            return
        await super().on_event(event)

    async def replay_key(self, event: events.Key) -> None:
        """A key the filter held, on its way as if just typed."""
        await super().on_event(event)

    def push_screen(self, screen: Any, *args: Any,
                    **kwargs: Any) -> Any:
        """As App's; the demo's notes go when the first dialog opens, whose buttons they
        would cover (they are in the terminal and on the sign-in screen too)."""
        if self.notes_shown and isinstance(screen, ModalScreen):
            self.notes_shown = False
            self.clear_notifications()
        return super().push_screen(screen, *args, **kwargs)

    def get_default_screen(self) -> Screen[Any]:
        return OpeningScreen() if self._open_store else super().get_default_screen()

    def on_mount(self) -> None:
        if self._open_store is None:
            self.start_modes()
        else:
            # Paint first, then load SQLAlchemy and open the store: imports hold the GIL, so
            # starting them sooner would only delay the first paint.
            self.call_after_refresh(self.open_store)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_store(self) -> None:
        assert self._open_store is not None
        try:
            service, chosen = self._open_store()
        except Exception as exc:  # whatever it is, the launcher reports it once we close
            self.call_from_thread(self.give_up, exc)
            return
        self.call_from_thread(self.store_opened, service, chosen)

    def store_opened(self, service: QueueService, chosen: dict[str, Any]) -> None:
        self.service = service
        self.options = replace(self.options, **chosen)
        self.start_modes()
        self.call_after_refresh(self.replay_typed_early)

    def replay_typed_early(self) -> None:
        """An official who starts typing the code before the counter is up loses nothing."""
        typed, self.typed_early = self.typed_early, []
        for key, character in typed:
            self.post_message(events.Key(key, character))

    def give_up(self, error: Exception) -> None:
        self.startup_error = error
        self.exit(return_code=1)

    def start_modes(self) -> None:
        for mode in self.options.modes:
            self.add_mode(mode, screen_for(mode))
        self.apply_key_map()
        self.switch_mode(self.options.modes[0])
        if self.options.locked and not self.service.catalog.hall.site.public_url:
            # For whoever sets a hall's kiosk up: tickets' QR codes cannot reach a phone yet.
            self.notify(say("cli.no_public_url", self.lang), severity="warning", timeout=20,
                        markup=False)
        if self.options.modes == ("report",):
            return  # a finished report needs no change feed
        if self.options.notes:
            self.notify("\n".join(self.options.notes), title="queue-kiosk demo", timeout=60,
                        markup=False)
            self.notes_shown = True
        # One screen of a centre, not the demo's three; the admin screen is no part of the
        # hall whose absence `doctor` should report.
        if len(self.options.modes) == 1 and self.options.modes[0] != "admin":
            from queue_kiosk.ops.heartbeat import TIMER_SECONDS, Heartbeat

            self.heartbeat = Heartbeat(self.service, self.options.modes[0],
                                       counter=self.options.counter or "",
                                       client=self.options.client)
            self.beat(first=True)
            self.set_interval(TIMER_SECONDS, self.beat)
            if self.options.modes == ("display",):
                # The hall's TV runs all day at every centre: it evaluates its site's alerts
                # (and alone can tell whether calls are heard).
                from queue_kiosk.service.alerts import EVALUATE_SECONDS

                self.set_interval(EVALUATE_SECONDS, self.evaluate_alerts)
        self.follow_feed()

    @work(thread=True, group="heartbeat", exit_on_error=False)
    def beat(self, first: bool = False) -> None:
        """Tell the store this screen is alive (the core writes at most once a minute); at
        the first beat, show what the centre must act on before the first citizen."""
        if first:
            from queue_kiosk.ops.heartbeat import start_warnings

            for warning in start_warnings(self.options.modes[0], printer=self.options.printer,
                                          announcer=self.options.announcer, lang=self.lang):
                self.call_from_thread(self.notify, warning, severity="warning", timeout=30,
                                      markup=False)
        if self.heartbeat is not None:
            self.heartbeat.beat()

    @work(thread=True, group="alerts", exclusive=True, exit_on_error=False)
    def evaluate_alerts(self) -> None:
        """Raise and clear the site's alerts (see `service.alerts`), off the UI thread."""
        import socket

        from queue_kiosk.service.alerts import evaluate

        announcer = self.options.announcer
        try:
            if announcer is None:
                evaluate(self.service)
            else:
                evaluate(self.service, voice=announcer.problem, host=socket.gethostname()[:100])
        except QueueError as exc:  # the outage banner tells the hall; the TV shows no toast
            log.info("alerts not evaluated: %s", exc.message("en"))

    def apply_key_map(self) -> None:
        """The hall's own keys for the counter's actions, over the defaults."""
        from queue_kiosk.config.devices import counter_keymap  # loaded after the paint

        self.set_keymap(counter_keymap(self.service.catalog.hall.counter.keys))

    async def action_quit(self) -> None:
        # Ctrl+Q must not close a kiosk a citizen stands at: leaving needs an admin PIN.
        if self.options.locked:
            self.action_admin_exit()
        else:
            await super().action_quit()

    def action_help_quit(self) -> None:
        # Ctrl+C: on a locked kiosk the same PIN; elsewhere how to quit, in the hall's words.
        if self.options.locked:
            self.action_admin_exit()
        else:
            self.notify(say("app.how_to_quit", self.lang), markup=False)

    def action_next_mode(self) -> None:
        modes = self.options.modes
        if len(modes) > 1:
            self.switch_mode(modes[(modes.index(self.current_mode) + 1) % len(modes)])

    def action_admin_exit(self) -> None:
        from queue_kiosk.screens.dialogs.admin import AdminExitDialog

        def leave(ok: bool | None) -> None:
            if ok:
                self.exit()
        self.push_screen(AdminExitDialog(), leave)

    @work(thread=True, exclusive=True, group="feed", exit_on_error=False)
    def follow_feed(self) -> None:
        """Watch the event log off the UI thread; tell the screens when it grows."""

        worker = get_current_worker()
        feed = self.service.feed()
        last, failures = -1, 0
        # The catalogue the screens were built from. Not the service's: an action that met
        # a newer one has reloaded that already, but the screens still show the old.
        shown = self.service.catalog.version
        try:
            while not worker.is_cancelled:
                try:
                    newest = feed.last_id() if last < 0 else feed.wait(last, FEED_WAIT_SECONDS)
                except QueueError as exc:
                    self.post_message(StoreWentDown(exc.message(self.lang)))
                    feed.close()
                    time.sleep(RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])
                    failures += 1
                    continue
                if failures:
                    failures = 0
                    self.post_message(StoreCameBack())
                if feed.catalog_version != shown:
                    if self.service.catalog.version != feed.catalog_version:
                        self.service.refresh()
                    shown = self.service.catalog.version
                    self.post_message(CatalogReloaded())
                if newest != last:
                    last = newest
                    self.post_message(StoreChanged(newest))
        finally:
            feed.close()

    def on_store_changed(self, message: StoreChanged) -> None:
        for screen in self.screen_stack:
            screen.post_message(StoreChanged(message.last_event_id))

    def on_catalog_reloaded(self, _: CatalogReloaded) -> None:
        self.apply_key_map()
        for screen in self.screen_stack:
            screen.post_message(CatalogReloaded())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed is shown, never swallowed: an expected refusal in its own
        words, anything else as an internal error naming its place in the code."""
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return
        error = event.worker.error
        if isinstance(error, QueueError):
            message = error.message(self.lang)
        else:
            message = say("internal", self.lang, detail=internal_detail(error))
        self.notify(message, severity="error", timeout=15, markup=False)
        if event.worker.group == "feed":  # nothing follows the store now: never a frozen board
            self.store_problem = message

    def on_store_went_down(self, message: StoreWentDown) -> None:
        self.store_problem = message.detail

    def on_store_came_back(self, _: StoreCameBack) -> None:
        self.store_problem = None


class OpeningScreen(Screen[None]):
    """What shows while the store opens: the first paint, within a blink of launching."""

    app = getters.app(lambda: QueueApp)

    DEFAULT_CSS = """
    OpeningScreen { align: center middle; }
    OpeningScreen > Static { width: auto; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Plain(say("store.opening", self.app.lang))

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.app.typed_early.append((event.key, event.character))


def screen_for(mode: str) -> Callable[[], Screen[None]]:
    """The first screen of a mode, imported only when the mode is used."""
    if mode == "kiosk":
        from queue_kiosk.screens.kiosk import KioskHome
        return KioskHome
    if mode == "counter":
        from queue_kiosk.screens.counter import CounterLoginScreen
        return CounterLoginScreen
    if mode == "admin":
        from queue_kiosk.screens.admin import AdminLoginScreen
        return AdminLoginScreen
    if mode == "report":
        from queue_kiosk.screens.report import ReportScreen
        return ReportScreen
    from queue_kiosk.screens.display import DisplayScreen
    return DisplayScreen


def make_app(service: QueueService | StoreOpener, options: AppOptions) -> QueueApp:
    """The factory launchers and snapshot tests share. Given a StoreOpener rather than a
    service, the app paints at once and opens the store behind its first screen."""
    return QueueApp(service, options)
