"""Provides the writing of a hall file: a hall as TOML, written whole or not at all."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from queue_kiosk.config.hall import HallConfig

# The order a person reads a hall file in: who the centre is, when it opens, its rules,
# then its devices, then the catalogue (the long part) last.
SECTIONS = ("site", "hours", "policy", "appointments", "notify", "rating", "printer", "kiosk",
            "counter", "display", "priorities", "fields", "counters")


def hall_toml(hall: HallConfig, header: str = "") -> str:
    """The hall as a TOML file that `load_hall` reads back to the same hall."""
    data = hall.model_dump(mode="json")
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    for name in SECTIONS:
        lines += ["", *_section(name, data[name])]
    text = "\n".join(lines).lstrip("\n")
    while "\n\n\n" in text:  # one blank line between tables, however they ended
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + "\n"


def _section(name: str, value: Any) -> Iterator[str]:
    if isinstance(value, list):
        for item in value:
            yield f"[[{name}]]"
            yield from _table(name, item, inline_lists=True)
            yield ""
        return
    yield f"[{name}]"
    yield from _table(name, value)


def _table(name: str, table: dict[str, Any], inline_lists: bool = False) -> Iterator[str]:
    """A table's keys, then its sub-tables. Within an array item (a field) a list of tables
    (its procedures) is written inline, one per line, as a person would."""
    nested: list[tuple[str, Any]] = []
    for key, value in table.items():
        if value is None:
            continue  # TOML has no null: an unset optional key is left out
        if isinstance(value, dict) and value:
            nested.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            if inline_lists:
                yield f"{key} = ["
                yield from (f"  {_value(item)}," for item in value)
                yield "]"
            else:
                nested.append((key, value))
        else:
            yield f"{key} = {_value(value)}"
    for key, value in nested:
        if isinstance(value, dict):
            yield f"[{name}.{key}]"
            yield from _table(f"{name}.{key}", value)
        else:
            for item in value:
                yield f"[[{name}.{key}]]"
                yield from _table(f"{name}.{key}", item)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # A JSON string is a TOML basic string: the same escapes, UTF-8 kept as is.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML for {type(value).__name__}")


def staged(path: Path, text: str) -> Path:
    """`text` in a new file beside `path` (same folder, so the rename that puts it in place
    is atomic); the caller renames it over `path` or removes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)  # as any new file, not mkstemp's owner-only
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())  # a power cut after the rename finds the whole file
    return Path(name)
