"""Provides the base classes of the queue app's screens and dialogs: the app typed, so that
each reads the service, its options and its language without casts."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual import getters
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from queue_kiosk.screens.app import AppOptions, QueueApp

if TYPE_CHECKING:
    from queue_kiosk.service.facade import QueueService

ResultType = TypeVar("ResultType")


class QueueScreen(Screen[ResultType]):
    """A screen of the queue app. The store's changes reach it as `StoreChanged` and
    `CatalogReloaded` messages, which the app sends to every screen on its stack."""

    app = getters.app(QueueApp)

    @property
    def service(self) -> QueueService:
        return self.app.service

    @property
    def options(self) -> AppOptions:
        return self.app.options

    @property
    def lang(self) -> str:
        return self.app.lang

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A worker's messages do not bubble: the app shows what failed, in one place.
        self.app.on_worker_state_changed(event)


class QueueDialog(QueueScreen[ResultType], ModalScreen[ResultType]):
    """A dialog of the queue app."""
