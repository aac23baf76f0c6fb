"""Provides the administrator PIN dialog that guards leaving a locked kiosk."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from queue_kiosk.errors import QueueError
from queue_kiosk.screens.widgets.plain import Plain
from queue_kiosk.screens.words import word


class AdminExitDialog(ModalScreen[bool]):
    DEFAULT_CSS = """
    AdminExitDialog { align: center middle; }
    AdminExitDialog > Vertical { width: 50; height: auto; border: thick $error;
                                 background: $surface; padding: 1 2; }
    AdminExitDialog Input { margin-bottom: 1; }
    AdminExitDialog #admin-error { color: $error; height: auto; }
    """
    BINDINGS = [("escape", "cancel", "")]

    def compose(self) -> ComposeResult:
        lang = self.app.lang  # type: ignore[attr-defined]
        with Vertical():
            yield Label(word("admin.title", lang), markup=False)
            yield Input(placeholder=word("admin.code", lang), id="admin-code")
            yield Input(placeholder=word("admin.pin", lang), password=True, id="admin-pin")
            yield Plain(id="admin-error")
            with Horizontal():
                yield Button(word("admin.ok", lang), variant="error", id="admin-ok")
                yield Button(word("admin.cancel", lang), id="admin-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "admin-ok":
            self.check()
        else:
            self.dismiss(False)

    def on_input_submitted(self) -> None:
        self.check()

    def action_cancel(self) -> None:
        self.dismiss(False)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def check(self) -> None:
        from queue_kiosk.staff import StaffDirectory

        code = self.query_one("#admin-code", Input).value
        pin = self.query_one("#admin-pin", Input).value
        try:
            StaffDirectory(self.app.service).login(  # type: ignore[attr-defined]
                code, pin, role="admin", client=self.app.options.client)  # type: ignore[attr-defined]
        except QueueError as exc:
            self.app.call_from_thread(self.refuse, exc.message(self.app.lang))  # type: ignore[attr-defined]
            return
        self.app.call_from_thread(self.dismiss, True)

    def refuse(self, message: str) -> None:
        self.query_one("#admin-error", Static).update(message)
        self.query_one("#admin-pin", Input).value = ""
