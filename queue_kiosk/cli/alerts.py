"""Provides `alerts` (the open and recent alerts of the province's sites, the province's
default thresholds) and its parser."""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from queue_kiosk.cli.commands import Context, Result


def add_alerts_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("alerts", parents=[common],
                       help="the alerts open now and those of the last 24 hours, of every "
                            "centre (or --site)")
    p.add_argument("--check", action="store_true",
                   help="evaluate the centres first (from cron where no display or serve runs)")
    p.add_argument("--defaults", metavar="FILE",
                   help="save the province's default thresholds from the [alerts] of FILE")
    p.set_defaults(handler=cmd_alerts)


def cmd_alerts(ctx: Context) -> Result:
    from sqlalchemy import select

    from queue_kiosk.config.hall import load_province_alerts
    from queue_kiosk.domain.errors import NotFound
    from queue_kiosk.service.alerts import evaluate_sites, recent_alerts, set_province_defaults
    from queue_kiosk.store.migrate import check_schema
    from queue_kiosk.store.tables import field_t, site_t

    check_schema(ctx.store)
    clock = ctx.settings.clock()
    if ctx.args.defaults:
        defaults = load_province_alerts(Path(ctx.args.defaults))
        set_province_defaults(ctx.store, defaults, clock.now())
        keys = defaults.model_dump(exclude_none=True)
        return keys, ctx.say("alerts.defaults_set", keys=", ".join(
            f"{k} = {v}" for k, v in keys.items()) or "—")
    with ctx.store.read() as conn:
        zones = {code: ZoneInfo(zone) for code, zone in conn.execute(
            select(site_t.c.code, site_t.c.timezone))}
        names: dict[str, dict[str, str]] = defaultdict(dict)
        for site_code, code, name, name_en in conn.execute(
                select(site_t.c.code, field_t.c.code, field_t.c.name, field_t.c.name_en)
                .join(site_t, site_t.c.id == field_t.c.site_id)):
            names[site_code][code] = name_en if ctx.lang == "en" and name_en else name
    site = ctx.args.site or ctx.settings.site or None
    if site is not None and site not in zones:
        raise NotFound("site.unknown", code=site, sites=", ".join(sorted(zones)) or "—")
    sites = None if site is None else [site]
    if ctx.args.check:
        evaluate_sites(ctx.store, clock, sites=sites)
    alerts = recent_alerts(ctx.store, clock.now(), sites=sites)

    def at(site: str, moment: Any) -> str:
        return f"{moment.astimezone(zones[site]):%H:%M %d/%m}"

    lines = [ctx.say("alerts.open", site=a.site, what=a.what(ctx.lang, names[a.site]),
                     since=at(a.site, a.since))
             if a.open else
             ctx.say("alerts.cleared", site=a.site, what=a.what(ctx.lang, names[a.site]),
                     since=at(a.site, a.since), cleared=at(a.site, a.cleared))
             for a in sorted(alerts, key=lambda a: (not a.open, a.site, a.since))]
    return [a.to_json() for a in alerts], "\n".join(lines) or ctx.say("alerts.none")
