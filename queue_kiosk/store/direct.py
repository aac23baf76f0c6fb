"""Provides hot-path statements that run on SQLite's own cursor.

SQLAlchemy still compiles each statement (once per set of parameter names) and supplies
every type conversion; only its per-call execution machinery is skipped, which cost as much
as SQLite's own work (the benchmark `issue_direct_vs_sqlalchemy` keeps the figure). `Store`
decides which path a statement takes. Errors are the driver's own; the Store's transactions
translate them.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Plan:
    sql: str
    binds: tuple[tuple[str, bool, Any, Processor], ...]
    """Per placeholder: the parameter's name, whether it must be given, its value when not
    given, its conversion."""
    columns: tuple[Processor, ...]
    row: Callable[..., Any] | None
    """Builds a result row with the columns' names as attributes; None: no rows."""

    def run(self, conn: Connection, params: Mapping[str, Any]) -> list[Any]:
        values = []
        for name, required, default, convert in self.binds:
            value = params[name] if required or name in params else default
            values.append(value if convert is None else convert(value))
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            found = cursor.execute(self.sql, values).fetchall()
        finally:
            cursor.close()
        if self.row is None:
            return []
        return [self.row(*[v if convert is None else convert(v)
                           for convert, v in zip(self.columns, raw, strict=True)])
                for raw in found]


def _plan(statement: ClauseElement, dialect: Dialect, names: Sequence[str]) -> _Plan | None:
    """How to run `statement` on the cursor; None where only SQLAlchemy can (values it
    computes at execution: Python-side column defaults, lists expanded into IN)."""
    compiled = cast(SQLCompiler, statement.compile(dialect=dialect, column_keys=list(names)))
    computed = any(bind.expanding or bind.literal_execute for bind in compiled.binds.values())
    if computed or compiled.insert_prefetch or compiled.update_prefetch \
            or compiled.positiontup is None:
        return None
    binds = tuple((name, bind.required, bind.value,
                   bind.type.dialect_impl(dialect).bind_processor(dialect))
                  for name in compiled.positiontup for bind in [compiled.binds[name]])
    exported = list(getattr(statement, "exported_columns", ()))
    row = namedtuple("Row", [c.key for c in exported], rename=True) if exported else None
    columns = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None)
                    for c in exported)
    return _Plan(compiled.string, binds, columns, row)


class DirectStatement:
    """A statement built once and run many times, on SQLite's cursor where it can be."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._plans: dict[tuple[str, ...], _Plan | None] = {}

    def on_cursor(self, conn: Connection, params: Mapping[str, Any]) -> list[Any]:
        """The result rows (attributes by column name), or [] for a statement without; run
        on the driver's cursor where the statement allows."""
        names = tuple(params)
        if names not in self._plans:
            self._plans[names] = _plan(self.statement, conn.dialect, names)
        plan = self._plans[names]
        if plan is None:
            return self.through_sqlalchemy(conn, params)
        return plan.run(conn, params)

    def through_sqlalchemy(self, conn: Connection, params: Mapping[str, Any]) -> list[Any]:
        result = conn.execute(self.statement, params)  # type: ignore[call-overload]
        return list(result) if result.returns_rows else []
