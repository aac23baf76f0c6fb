"""Provides `queue-kiosk province`: every commune's overview (a terminal app, or `--json`),
the province's read-only accounts (`province account add`) and the operations centre's
bearer tokens (`province token add|revoke|list`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from queue_kiosk.cli.commands import Context, Result, _read_pin

if TYPE_CHECKING:
    from queue_kiosk.service.province_access import GrantView, ProvinceAccess

OVERVIEW_KEYS = ("site", "name", "waiting", "longest_wait_minutes", "p95_minutes", "served",
                 "counters_open", "screens_down", "alerts")
"""What `province --json` promises of each commune (the rest of its tile follows them)."""


def _access(ctx: Context) -> ProvinceAccess:
    from queue_kiosk.service.province_access import ProvinceAccess
    from queue_kiosk.store.migrate import check_schema

    check_schema(ctx.store)
    return ProvinceAccess(ctx.store, ctx.settings.clock())


def _sites_words(ctx: Context, sites: list[str] | str) -> str:
    listed = ",".join(sites) if isinstance(sites, list) else sites
    return listed or ctx.say("overview.every_site")


def _grant_line(ctx: Context, grant: GrantView) -> str:
    state = ctx.say("overview.grant_live") if grant.revoked_at is None else ctx.say(
        "overview.grant_revoked", at=grant.revoked_at.astimezone().strftime("%d/%m/%Y %H:%M"))
    return ctx.say("overview.grant_line", kind=grant.kind, name=grant.name,
                   sites=_sites_words(ctx, grant.sites), state=state)


def cmd_province(ctx: Context) -> Result:
    from queue_kiosk.service.province_access import Scope

    args = ctx.args
    scope = Scope.parse(getattr(args, "sites", None))
    if args.province_command == "token":
        access = _access(ctx)
        if args.token_command == "add":
            token = access.add_token(args.name, scope)
            return {"name": args.name, "sites": sorted(scope.sites or ()), "token": token}, \
                ctx.say("overview.token_made", name=args.name, token=token,
                        sites=_sites_words(ctx, str(scope)))
        if args.token_command == "revoke":
            grant = access.revoke_token(args.name)
            return grant.to_json(), ctx.say("overview.token_revoked", name=grant.name)
        grants = access.grants()
        return [g.to_json() for g in grants], "\n".join(_grant_line(ctx, g) for g in grants)
    if args.province_command == "account":
        from queue_kiosk.service.staff import READ_ONLY, StaffDirectory

        service = ctx.service
        view = StaffDirectory(service).add(args.code, args.name, _read_pin(ctx), role=READ_ONLY)
        _access(ctx).grant_account(service.site_id, view.code, scope)
        return {**view.to_json(), "sites": sorted(scope.sites or ())}, ctx.say(
            "overview.account_made", account=view.code, sites=_sites_words(ctx, str(scope)))
    return _overview(ctx, scope)


def _overview(ctx: Context, scope: Any) -> Result:
    from queue_kiosk.ops.province import ProvinceOverview
    from queue_kiosk.store.migrate import check_schema

    check_schema(ctx.store)
    overview = ProvinceOverview(ctx.store, ctx.settings.clock(), scope)
    if not ctx.args.json:
        import importlib

        from queue_kiosk.ops.logs import start_logging

        start_logging("province")  # the terminal is the app's
        app = importlib.import_module("queue_kiosk.screens.province").ProvinceApp(
            overview, ctx.lang)
        app.run()
        return None, ""
    overview.load()
    tiles = overview.summaries()
    sites = [{**{key: tile.to_json()[key] for key in OVERVIEW_KEYS}, **tile.to_json()}
             for tile in tiles]
    return {"sites": sites}, ""
