"""Provides the administrator PIN dialog that guards leaving a locked kiosk."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from queue_kiosk.domain.errors import QueueError
from queue_kiosk.screens.base import QueueDialog
from queue_kiosk.screens.widgets.plain import Plain
from queue_kiosk.wording import say


class AdminExitDialog(QueueDialog[bool]):
    DEFAULT_CSS = """
    AdminExitDialog { align: center middle; }
    AdminExitDialog > Vertical { width: 50; height: auto; border: thick $error;
                                 background: $surface; padding: 1 2; }
    AdminExitDialog Input { margin-bottom: 1; }
    AdminExitDialog #admin-error { color: $error; height: auto; }
    AdminExitDialog #admin-none-box { display: none; }
    """
    BINDINGS = [("escape", "cancel", "")]

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="admin-form"):
            yield Label(say("admin.title", lang), markup=False)
            yield Input(placeholder=say("admin.code", lang), id="admin-code")
            yield Input(placeholder=say("admin.pin", lang), password=True, id="admin-pin")
            yield Plain(id="admin-error")
            with Horizontal():
                yield Button(say("admin.ok", lang), variant="error", id="admin-ok")
                yield Button(say("admin.cancel", lang), id="admin-cancel")
        # Shown instead when nobody could ever unlock it: how to create an administrator.
        with Vertical(id="admin-none-box"):
            yield Label(say("admin.none_title", lang), markup=False)
            yield Plain(say("admin.none", lang), id="admin-none")
            with Horizontal():
                yield Button(say("admin.ok", lang), variant="error", id="admin-leave")
                yield Button(say("admin.cancel", lang), id="admin-cancel-none")

    def on_mount(self) -> None:
        self.look_for_admin()

    @work(thread=True, exclusive=True, group="admin", exit_on_error=False)
    def look_for_admin(self) -> None:
        """A store read: off the UI thread, like the PIN check."""
        from queue_kiosk.service.staff import StaffDirectory

        if not StaffDirectory(self.service).has_admin():
            self.app.call_from_thread(self.no_admin)

    def no_admin(self) -> None:
        self.query_one("#admin-form").display = False
        self.query_one("#admin-none-box").display = True
        self.query_one("#admin-leave", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "admin-leave":
            self.dismiss(True)
        elif event.button.id == "admin-ok":
            self.submit()
        else:
            self.dismiss(False)

    def on_input_submitted(self) -> None:
        self.submit()

    def submit(self) -> None:
        self.check(self.query_one("#admin-code", Input).value,
                   self.query_one("#admin-pin", Input).value)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def check(self, code: str, pin: str) -> None:
        from queue_kiosk.service.staff import StaffDirectory

        try:
            StaffDirectory(self.service).login(code, pin, role="admin",
                                               client=self.options.client)
        except QueueError as exc:
            self.app.call_from_thread(self.refuse, exc.message(self.lang))
            return
        self.app.call_from_thread(self.dismiss, True)

    def refuse(self, message: str) -> None:
        self.query_one("#admin-error", Static).update(message)
        self.query_one("#admin-pin", Input).value = ""
