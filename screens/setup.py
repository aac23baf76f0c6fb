"""Provides the guided set-up of a new centre: one form, each refusal beside its answer.

Thin over queue_kiosk.service.setup, which checks the answers, builds the hall, writes its
file and loads it; this screen only asks, tries the printer and the voice, and shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import getters, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Select, SelectionList
from textual.worker import Worker, WorkerState

from queue_kiosk.config.devices import PrinterConfig
from queue_kiosk.config.hall import HallConfig
from queue_kiosk.config.printer_target import parse_printer_url
from queue_kiosk.domain.clock import Clock, SystemClock
from queue_kiosk.domain.errors import ConfigError, QueueError, Refused, internal_detail
from queue_kiosk.screens.widgets.plain import Plain, literal
from queue_kiosk.service.setup import (
    Answers,
    CounterAnswer,
    SetupDone,
    SetupRefused,
    answers_from,
    centre_name,
    check_answers,
    site_code,
)
from queue_kiosk.wording import say

if TYPE_CHECKING:
    from queue_kiosk.voice.announce import SystemPlayer


@dataclass
class SetupOptions:
    """What the launcher decides."""

    catalogue: HallConfig
    save: Callable[[Answers, Path], SetupDone]
    """Writes and loads checked answers (`apply_setup` over the launcher's store); called
    off the UI thread."""
    path: Path
    lang: str = "vi"
    clock: Clock = field(default_factory=SystemClock)
    player: SystemPlayer | None = None
    """The test call's player (None: paplay or aplay, as the display uses)."""


def _id(key: str) -> str:
    return key.replace(".", "-").replace("_", "-")


def _note(widget: Plain, text: str) -> None:
    """A note beside an answer takes room only while it says something."""
    widget.update(text)
    widget.display = bool(text)


class SetupApp(App[SetupDone]):
    TITLE = "queue-kiosk setup"
    CSS_PATH = "setup.tcss"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, options: SetupOptions) -> None:
        super().__init__()
        self.options = options

    def get_default_screen(self) -> Screen[Any]:
        return SetupScreen()


class SetupScreen(Screen[None]):
    app = getters.app(SetupApp)

    BINDINGS = [Binding("ctrl+s", "save", "Lưu / Save"),
                Binding("escape", "app.quit", "Thoát / Leave")]

    def __init__(self) -> None:
        super().__init__()
        self.derived = {"name": "", "code": ""}
        """What the commune's name last filled in: changed by hand, it is left alone."""

    @property
    def lang(self) -> str:
        return self.app.options.lang

    def say(self, key: str, **params: Any) -> str:
        return say(key, self.lang, **params)

    def compose(self) -> ComposeResult:
        options = self.app.options
        start = answers_from(options.catalogue)
        yield Plain(self.say("setup.title"), id="setup-title")
        with VerticalScroll(id="setup-form"):
            yield Plain(self.say("setup.intro"), classes="setup-intro")
            yield Plain(self.say("setup.part_centre"), classes="setup-part")
            yield from self.answer("commune", "")
            yield from self.answer("name", "")
            yield from self.answer("code", "")
            yield Plain(self.say("setup.part_fields"), classes="setup-part")
            yield SelectionList[str](*[(f"{f.code}  {f.label(self.lang)}", f.code, True)
                                       for f in options.catalogue.fields], id="fields")
            yield Plain("", id="err-fields", classes="setup-error")
            yield Plain(self.say("setup.part_counters"), classes="setup-part")
            with Vertical(id="setup-counters"):
                for number, counter in enumerate(start.counters, start=1):
                    yield self.counter_row(number, counter)
            yield Plain("", id="err-counters", classes="setup-error")
            with Horizontal(classes="setup-buttons"):
                yield Button(literal(self.say("setup.add_counter")), id="add-counter")
                yield Button(literal(self.say("setup.drop_counter")), id="drop-counter")
            yield Plain(self.say("setup.part_hours"), classes="setup-part")
            yield from self.answer("weekdays", start.weekdays)
            yield from self.answer("saturday", start.saturday)
            yield Plain(self.say("setup.part_printer"), classes="setup-part")
            yield from self.answer("printer", start.printer)
            with Horizontal(classes="setup-buttons"):
                yield Plain(self.say("setup.paper"), classes="setup-inline")
                yield Select([("80 mm", 80), ("58 mm", 58)], value=80, allow_blank=False,
                             id="paper")
                yield Button(literal(self.say("setup.print_test")), id="print-test")
            yield Plain("", id="printer-result", classes="setup-result")
            yield Plain(self.say("setup.part_voice"), classes="setup-part")
            with Horizontal(classes="setup-buttons"):
                yield Plain(self.say("setup.reading"), classes="setup-inline")
                yield Select([(self.say("setup.north"), "north"),
                              (self.say("setup.south"), "south")], value="north",
                             allow_blank=False, id="reading")
                yield Button(literal(self.say("setup.play_test")), id="play-test")
            yield Plain("", id="err-voice", classes="setup-error")
            yield Plain("", id="voice-result", classes="setup-result")
            yield Plain(self.say("setup.part_network"), classes="setup-part")
            yield from self.answer("public_url", start.public_url)
            yield Plain(self.say("setup.part_admin"), classes="setup-part")
            yield from self.answer("admin_code", "")
            yield from self.answer("admin_name", "")
            yield from self.answer("pin", "", password=True)
            yield from self.answer("pin_again", "", password=True)
            yield Plain(self.say("setup.part_file"), classes="setup-part")
            yield from self.answer("path", str(options.path))
        with Horizontal(id="setup-actions"):
            yield Button(literal(self.say("setup.save")), id="save", variant="primary")
            yield Button(literal(self.say("setup.quit")), id="leave")
            yield Plain("", id="setup-status")

    def answer(self, key: str, value: str, *, password: bool = False) -> ComposeResult:
        with Horizontal(classes="setup-row"):
            yield Plain(self.say(f"setup.{key}"), classes="setup-label")
            yield Input(value, id=_id(key), password=password)
        yield Plain("", id=f"err-{_id(key)}", classes="setup-error")

    def counter_row(self, number: int, counter: CounterAnswer) -> Vertical:
        return Vertical(
            Horizontal(Plain(self.say("setup.counter", number=number), classes="setup-inline"),
                       Input(counter.name, id=f"counter-{number}-name",
                             placeholder=self.say("setup.counter_name")),
                       Input(counter.fields, id=f"counter-{number}-fields", placeholder="B, A",
                             classes="setup-codes")),
            Plain("", id=f"err-counter-{number}-name", classes="setup-error"),
            Plain("", id=f"err-counter-{number}-fields", classes="setup-error"),
            classes="setup-counter", id=f"counter-{number}")

    def on_mount(self) -> None:
        for note in self.query(".setup-error, .setup-result").results(Plain):
            note.display = False
        self.query_one("#commune", Input).focus()

    @on(Input.Changed, "#commune")
    def fill_from_commune(self, event: Input.Changed) -> None:
        for key, made in (("name", centre_name(event.value)), ("code", site_code(event.value))):
            box = self.query_one(f"#{key}", Input)
            if box.value == self.derived[key]:
                box.value = self.derived[key] = made if event.value.strip() else ""

    def counters(self) -> list[Vertical]:
        return list(self.query(".setup-counter").results(Vertical))

    @on(Button.Pressed, "#add-counter")
    async def add_counter(self) -> None:
        number = len(self.counters()) + 1
        await self.query_one("#setup-counters").mount(self.counter_row(
            number, CounterAnswer("", "")))
        self.query_one(f"#counter-{number}-name", Input).focus()

    @on(Button.Pressed, "#drop-counter")
    async def drop_counter(self) -> None:
        rows = self.counters()
        if len(rows) > 1:
            await rows[-1].remove()

    def answers(self) -> Answers:
        def value(key: str) -> str:
            return self.query_one(f"#{_id(key)}", Input).value

        counters = [CounterAnswer(value(f"counter.{n}.name"), value(f"counter.{n}.fields"))
                    for n in range(1, len(self.counters()) + 1)]
        paper = self.query_one("#paper", Select).value
        reading = self.query_one("#reading", Select).value
        return Answers(
            commune=value("commune"), name=value("name"), code=value("code"),
            fields=list(self.query_one("#fields", SelectionList).selected), counters=counters,
            weekdays=value("weekdays"), saturday=value("saturday"), printer=value("printer"),
            paper_mm=58 if paper == 58 else 80, reading="south" if reading == "south" else "north",
            public_url=value("public_url"), admin_code=value("admin_code"),
            admin_name=value("admin_name"), pin=value("pin"), pin_again=value("pin_again"))

    def show_problems(self, problems: dict[str, QueueError]) -> None:
        """Each reason beside its answer; the first refused answer scrolled to and focused."""
        for note in self.query(".setup-error").results(Plain):
            if note.id != "err-voice":
                _note(note, "")
        first = None
        for key, problem in problems.items():
            note = self.query_one(f"#err-{_id(key)}", Plain)
            _note(note, f"✗ {problem.message(self.lang)}")
            first = first or note
        self.status(self.say("setup.fix_first", count=len(problems)) if problems else "")
        if first is not None:
            self.query_one("#setup-form", VerticalScroll).scroll_to_widget(first, top=False)

    def status(self, text: str) -> None:
        self.query_one("#setup-status", Plain).update(text)

    def path(self) -> Path:
        return Path(self.query_one("#path", Input).value.strip()).expanduser()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        answers = self.answers()
        problems = check_answers(answers, self.app.options.catalogue)
        if not self.query_one("#path", Input).value.strip():
            problems["path"] = Refused("setup.required")
        self.show_problems(problems)
        if not problems:
            self.status(self.say("setup.saving"))
            self.save(answers, self.path())

    @on(Button.Pressed, "#leave")
    def leave(self) -> None:
        self.app.exit()

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save(self, answers: Answers, path: Path) -> None:
        try:
            done = self.app.options.save(answers, path)
        except SetupRefused as refused:
            self.app.call_from_thread(self.show_problems, refused.problems)
            return
        self.app.call_from_thread(self.app.exit, done)

    def outcome(self, key: str, text: str, ok: bool) -> None:
        """A try's outcome: in red beside the answer when it failed, else below it."""
        _note(self.query_one(f"#err-{key}", Plain), "" if ok else f"✗ {text}")
        _note(self.query_one(f"#{key}-result", Plain), text if ok else "")

    @on(Button.Pressed, "#print-test")
    def print_test(self) -> None:
        url = self.query_one("#printer", Input).value.strip()
        try:
            parse_printer_url(url)
        except ConfigError as exc:
            self.outcome("printer", exc.message(self.lang), ok=False)
            return
        self.outcome("printer", self.say("setup.printing"), ok=True)
        paper = self.query_one("#paper", Select).value
        name = self.query_one("#name", Input).value.strip()
        self.send_test_page(url, 58 if paper == 58 else 80, name)

    @work(thread=True, exclusive=True, group="printer", exit_on_error=False)
    def send_test_page(self, url: str, paper_mm: int, name: str) -> None:
        from queue_kiosk.printing.job import sample_content
        from queue_kiosk.printing.printers import PrintError, TicketPrinter

        options = self.app.options
        catalogue = options.catalogue
        hall = catalogue.model_copy(update={
            "site": catalogue.site.model_copy(update={"name": name or catalogue.site.name,
                                                       "name_en": ""}),
            "printer": PrinterConfig.model_validate(
                {**catalogue.printer.model_dump(), "url": url, "paper_mm": paper_mm})})
        try:
            done = TicketPrinter(hall.printer).print(
                sample_content(hall, self.lang, options.clock.now()))
        except PrintError as exc:
            self.app.call_from_thread(self.outcome, "printer", exc.message(self.lang), False)
            return
        self.app.call_from_thread(self.outcome, "printer", self.say(
            "setup.printed", where=str(done.preview or done.target)), True)

    @on(Button.Pressed, "#play-test")
    def play_test(self) -> None:
        self.outcome("voice", self.say("setup.playing"), ok=True)
        reading = self.query_one("#reading", Select).value
        self.play_call("south" if reading == "south" else "north")

    @work(thread=True, exclusive=True, group="voice", exit_on_error=False)
    def play_call(self, reading: str) -> None:
        from queue_kiosk.voice.announce import play_test_call, voice_settings

        display = self.app.options.catalogue.display.model_copy(update={"reading": reading})
        try:
            played = play_test_call(voice_settings(display), self.app.options.player)
        except QueueError as exc:
            self.app.call_from_thread(self.outcome, "voice", exc.message(self.lang), False)
            return
        self.app.call_from_thread(self.outcome, "voice", self.say(
            "voice.played", voice=played.voice, player=played.player, seconds=played.seconds,
            text=played.text), True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed is shown, never swallowed: the set-up stays open to retry."""
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return
        error = event.worker.error
        message = error.message(self.lang) if isinstance(error, QueueError) else say(
            "internal", self.lang, detail=internal_detail(error))
        self.status(f"✗ {message}")
        self.notify(message, severity="error", timeout=15, markup=False)


def make_setup_app(options: SetupOptions) -> SetupApp:
    """The factory the launcher and the tests share."""
    return SetupApp(options)
