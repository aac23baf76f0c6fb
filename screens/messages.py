"""Provides the messages the screens post: named in the past tense, carrying core views."""

from __future__ import annotations

from textual.message import Message


class StoreChanged(Message, bubble=False):
    """The event log grew: screens re-read what they show. Sent by the app to each screen,
    so it does not bubble back."""

    def __init__(self, last_event_id: int) -> None:
        super().__init__()
        self.last_event_id = last_event_id

    def can_replace(self, message: Message) -> bool:
        # A burst of changes needs one refresh, not one per event.
        return isinstance(message, StoreChanged)


class CatalogReloaded(Message, bubble=False):
    """Another process loaded a new hall configuration; the service holds it already. Sent
    by the app to each screen, which rebuilds what the catalogue shaped."""


class StoreWentDown(Message):
    def __init__(self, detail: str) -> None:
        super().__init__()
        self.detail = detail


class StoreCameBack(Message):
    pass
