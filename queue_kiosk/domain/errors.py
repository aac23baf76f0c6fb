"""Provides the typed errors of the core; each renders as one line in Vietnamese or English."""

from __future__ import annotations

from typing import Any

from queue_kiosk.wording import Both, say


class QueueError(Exception):
    """An error the user can act on. `code` selects the wording; `params` fill it in."""

    exit_code = 2

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(say(code, "en", **params))

    def message(self, lang: str = "vi") -> str:
        return say(self.code, lang, **self.params)


class Invalid(ValueError):
    """A wrong value, raised inside a hall model's check (pydantic takes only ValueErrors): as
    a string English, as a hall file's problems read at the command line; `said` in both
    languages, so the admin screen tells it beside the field in the user's."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key, self.params = key, params
        super().__init__(say(key, "en", **params))

    @classmethod
    def of(cls, exc: QueueError) -> Invalid:
        return cls(exc.code, **exc.params)

    @property
    def said(self) -> Both:
        return Both(say(self.key, "vi", **self.params), str(self))


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


class StaleCatalog(StoreError):
    """Another process loaded a new hall configuration since this one read its catalogue.
    Operations reload it and run again once; seen by a user only if it moves twice."""


class ConnectionLost(StoreError):
    """The server connection dropped before the transaction committed (a restarted server, a
    terminated backend): the server rolled it back, so it is safe to run once more."""


def first_line(exc: BaseException) -> str:
    """A driver's or library's error, cut to the one line our messages quote."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def internal_detail(exc: BaseException) -> str:
    """An unexpected error in one line that a report from the field can act on: its type, its
    first line and the innermost place in this product's own code it came through (a missing
    module, say, names both the module and the file that imported it)."""
    import traceback
    from pathlib import Path

    place = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        parts = Path(frame.filename).parts
        for index in range(len(parts) - 1, -1, -1):
            if parts[index] == "queue_kiosk":
                place = f"{'/'.join(parts[index:])}:{frame.lineno}"
                break
    where = f" ({place})" if place else ""
    return f"{type(exc).__name__}: {first_line(exc)}{where}"
