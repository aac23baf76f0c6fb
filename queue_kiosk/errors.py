"""Provides the typed errors of the core; each renders as one line in Vietnamese or English."""

from __future__ import annotations

from typing import Any

from queue_kiosk.messages import render


class QueueError(Exception):
    """An error the user can act on. `code` selects the wording; `params` fill it in."""

    exit_code = 2

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(render(code, "en", **params))

    def message(self, lang: str = "vi") -> str:
        return render(self.code, lang, **self.params)


class NotFound(QueueError):
    """An unknown field, counter, ticket or site."""


class IllegalTransition(QueueError):
    """The ticket or counter is not in a state that allows the operation."""


class Refused(QueueError):
    """Issuing refused by policy: daily cap, closed field, outside opening hours."""


class ConfigError(QueueError):
    """A hall configuration file is invalid."""


class StoreError(QueueError):
    """The database is unreachable, locked, read-only or at the wrong schema."""

    exit_code = 3


def first_line(exc: BaseException) -> str:
    """A driver's or library's error, cut to the one line our messages quote."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
