"""Provides the administration commands: `admin` (the screen that changes a centre while it
runs), `audit` (what was changed, and restoring an earlier version) and `hall export`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from queue_kiosk.cli.commands import CliError, Context, Result


def cmd_admin(ctx: Context) -> Result:
    from queue_kiosk.cli.apps import _launch
    from queue_kiosk.service.facade import QueueService

    def open_store() -> tuple[QueueService, dict[str, Any]]:
        return ctx.service, {}
    _launch(open_store, modes=("admin",), lang=ctx.lang, client=ctx.args.client)
    return None, ""


def cmd_audit(ctx: Context) -> Result:
    from queue_kiosk.service.admin import HallAdmin

    admin = HallAdmin(ctx.service, ctx.args.staff or "")
    if ctx.args.restore is not None:
        version = admin.restore(admin.draft(), ctx.args.restore, before=ctx.args.before)
        return ({"restored": ctx.args.restore, "version": version},
                ctx.say("manage.restored", id=ctx.args.restore, version=version))
    changes = admin.history(ctx.args.limit)
    tz = ctx.service.catalog.tz
    lines = [ctx.say("manage.audit_line", id=c.id, at=f"{c.at.astimezone(tz):%d/%m/%Y %H:%M}",
                     staff=c.staff or "—", action=c.action, summary=c.summary)
             for c in changes]
    return [c.to_json() for c in changes], "\n".join(lines) or ctx.say("manage.audit_empty")


def cmd_hall(ctx: Context) -> Result:
    from queue_kiosk.config.hall_file import hall_toml, staged

    hall = ctx.service.catalog.hall
    # No date in the header: exporting twice gives the same file (the round trip's test).
    text = hall_toml(hall, header=ctx.say("manage.file_header", site=hall.site.name))
    if ctx.args.out is None:
        return {"hall": text}, text.rstrip("\n")
    out = Path(ctx.args.out)
    try:
        os.replace(staged(out, text), out)
    except OSError as exc:
        raise CliError("manage.cannot_write", file=str(out), detail=exc.strerror or str(exc)) \
            from None
    return {"file": str(out)}, ctx.say("manage.exported", file=out)
