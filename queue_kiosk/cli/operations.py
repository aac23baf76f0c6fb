"""Provides the commands that keep a centre running: `doctor`, `backup`, `restore`,
`site list|remove|token|links` and `ship`."""

from __future__ import annotations

from pathlib import Path

from queue_kiosk.cli.commands import Context, Result


def cmd_doctor(ctx: Context) -> Result:
    from queue_kiosk.ops.doctor import Doctor

    checks = Doctor(ctx.store, site=ctx.args.site or ctx.settings.site or None, lang=ctx.lang,
                    clock=ctx.settings.clock(),
                    printer=ctx.args.printer or ctx.settings.printer or None).run()
    failed = [c for c in checks if not c.ok]
    ctx.exit_code = 1 if failed else 0
    lines = [f"{'✓' if c.ok else '✗'} {c.check:<12} {c.message}" for c in checks]
    lines.append(ctx.say("doctor.summary_failed", failed=len(failed), total=len(checks))
                 if failed else ctx.say("doctor.summary_ok", total=len(checks)))
    return [c.to_json() for c in checks], "\n".join(lines)


def cmd_backup(ctx: Context) -> Result:
    from queue_kiosk.ops.backups import backup_now
    from queue_kiosk.store.backup import verify

    if ctx.args.backup_command == "verify":
        check = verify(Path(ctx.args.file))
        if not check.ok:
            from queue_kiosk.domain.errors import Refused

            raise Refused("backup.bad_file", path=check.path, problem=check.problem)
        if check.kind == "pg_dump":
            return check.to_json(), ctx.say("backup.verified_pg", file=check.path,
                                            entries=check.counts["entries"])
        counts = ", ".join(f"{name} {n}" for name, n in check.counts.items())
        return check.to_json(), ctx.say("backup.verified", file=check.path,
                                        revision=check.revision, counts=counts)
    taken = backup_now(ctx.store, ctx.settings.clock().now(),
                       folder=Path(ctx.args.to) if ctx.args.to else None, keep=ctx.args.keep)
    lines = [ctx.say("backup.taken", file=taken.file)]
    if taken.pruned:
        lines.append(ctx.say("backup.pruned", count=len(taken.pruned), keep=ctx.args.keep))
    return ({"file": str(taken.file), "pruned": [str(p) for p in taken.pruned]},
            "\n".join(lines))


def cmd_restore(ctx: Context) -> Result:
    from queue_kiosk.ops.backups import restore_guarded

    file = Path(ctx.args.file)
    aside = restore_guarded(ctx.store, file, ctx.settings.clock().now(), force=ctx.args.force)
    if not aside.exists():  # there was no database to keep
        return {"file": str(file), "aside": None}, ctx.say("backup.restored_new", file=file)
    return ({"file": str(file), "aside": str(aside)},
            ctx.say("backup.restored", file=file, aside=aside))


def cmd_site(ctx: Context) -> Result:
    from queue_kiosk.config.paths import backup_dir
    from queue_kiosk.ops.sites import list_sites, remove_site
    from queue_kiosk.store.migrate import check_schema

    check_schema(ctx.store)
    if ctx.args.site_command in ("token", "links"):
        return _province(ctx)
    if ctx.args.site_command == "remove":
        removed = remove_site(ctx.store, ctx.args.code, force=ctx.args.force,
                              backup_folder=backup_dir(), now=ctx.settings.clock().now())
        text = ctx.say("sites.removed_backup", site=removed.code, tickets=removed.tickets,
                       backup=removed.backup) if removed.backup else \
            ctx.say("sites.removed", site=removed.code)
        return removed.to_json(), text
    sites = list_sites(ctx.store)
    return ([s.to_json() for s in sites],
            "\n".join(ctx.say("sites.line", site=s.code, name=s.name, tickets=s.tickets,
                              staff=s.staff, bookings=s.bookings) for s in sites)
            or ctx.say("sites.none"))


def _province(ctx: Context) -> Result:
    """The province's side of local-first communes: a commune's token, and how long ago
    each was heard from."""
    from queue_kiosk.ops.shipping import link_states, new_token

    if ctx.args.site_command == "token":
        token = new_token(ctx.store, ctx.args.code)
        return {"site": ctx.args.code, "token": token}, ctx.say("ship.token", site=ctx.args.code,
                                                               token=token)
    links = link_states(ctx.store, ctx.settings.clock().now())
    return ([link.to_json() for link in links],
            "\n".join(ctx.say("ship.link_line", site=link.code, word=link.word(ctx.lang),
                              applied=link.applied) for link in links)
            or ctx.say("ship.links_none"))


def cmd_ship(ctx: Context) -> Result:
    """The commune's shipper as a service of its own (or, `--once`, what is pending, then
    exit: for tests and cron)."""
    import os
    import signal

    from queue_kiosk.domain.errors import Refused
    from queue_kiosk.ops.logs import start_logging
    from queue_kiosk.ops.shipper import Shipper, Unreachable, site_code
    from queue_kiosk.store import shiplog
    from queue_kiosk.store.migrate import check_schema

    check_schema(ctx.store)
    token = os.environ.get("QUEUE_KIOSK_SHIP_TOKEN", "").strip()
    if not token:
        raise Refused("ship.no_token", site=site_code(ctx.store))
    shipper = Shipper(ctx.store, ctx.args.to, token, max_backoff=ctx.args.retry_max)
    if ctx.args.once:
        try:
            applied = shipper.ship_pending()
        except Unreachable as exc:
            from queue_kiosk.domain.errors import StoreError

            raise StoreError("store.unreachable", url=ctx.args.to, detail=str(exc)) from None
        pending = max(0, shiplog.newest(ctx.store) - applied)
        return ({"site": shipper.code, "applied": applied, "pending": pending},
                ctx.say("ship.sent", applied=applied, pending=pending))
    start_logging("ship")
    signal.signal(signal.SIGTERM, lambda _number, _frame: shipper.stop())
    print(ctx.say("ship.serving", site=shipper.code, url=ctx.args.to), flush=True)
    try:
        shipper.serve()
    except KeyboardInterrupt:
        shipper.stop()
    return None, ""
