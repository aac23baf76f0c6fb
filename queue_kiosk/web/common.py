"""Provides what the citizens' pages share: the language a browser prefers, the rate limiter,
store calls kept off the event loop, reading a page's form, and rendering the Jinja2 templates
in `templates/` (autoescape on: every name a hall or a citizen typed is shown as text)."""

from __future__ import annotations

import asyncio
import importlib.resources
import time
from collections import defaultdict, deque
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from aiohttp import web

from queue_kiosk.wording import say

T = TypeVar("T")

TEMPLATE_FOLDER = Path(str(importlib.resources.files("queue_kiosk.web") / "templates"))
"""Every page's template, textual-serve's `app_index.html` (the page around a served screen)
included."""
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATE_FOLDER), autoescape=True,
    undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    keep_trailing_newline=True)
TEMPLATES.globals["say"] = say

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
FORM_BYTES = 8192
"""The pages' forms send a few short fields; anything longer is not one of them."""


def language(request: web.Request) -> str:
    """Vietnamese unless the browser prefers English over Vietnamese."""
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("vi"):
            return "vi"
        if tag.startswith("en"):
            return "en"
    return "vi"


class RateLimiter:
    """A sliding window per client address: enough for a phone refreshing its status page,
    too little to walk through tokens."""

    def __init__(self, limit: int = 60, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.hits: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, client: str) -> bool:
        now = self.clock()
        hits = self.hits[client]
        while hits and now - hits[0] > self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True


async def off_loop(function: Callable[..., T], *args: Any) -> T:
    """Store calls block (SQLAlchemy); keep them off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, partial(function, *args))


class UnreadableForm(Exception):
    """A body none of the pages' forms sends; the app answers it 400 in the page's language."""


async def read_form(request: web.Request) -> dict[str, str]:
    """The text fields of a page's form (the first of a repeated name). A body that is not a
    form, is too long, is not UTF-8, has a part without a name or a file raises
    UnreadableForm: aiohttp's own errors would be a 500 and a traceback, or a bare 413."""
    if not request.body_exists:
        return {}
    if request.content_type not in FORM_TYPES:
        raise UnreadableForm(request.content_type)
    try:
        posted = await request.clone(client_max_size=FORM_BYTES).post()
    except (ValueError, LookupError, web.HTTPClientError) as exc:  # UnicodeError is a ValueError
        raise UnreadableForm(type(exc).__name__) from None
    fields: dict[str, str] = {}
    for name, value in posted.items():
        if not isinstance(value, str):
            raise UnreadableForm("file")
        fields.setdefault(name, value)
    return fields


def render(template: str, lang: str, *, status: int = 200, **context: Any) -> web.Response:
    """A page from `templates/`, in `lang`."""
    text = TEMPLATES.get_template(template).render(lang=lang, **context)
    return web.Response(status=status, content_type="text/html", charset="utf-8", text=text)


def message_page(status: int, message: str, lang: str) -> web.Response:
    return render("message.html", lang, status=status, title=status, message=message)
