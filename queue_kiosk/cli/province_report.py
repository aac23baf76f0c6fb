"""Provides `province report`: the communes compared over a day, a week or a month, with
each one's bottleneck and the planner's proposal, and its parser (under `province`)."""

from __future__ import annotations

import argparse
from typing import Any

from queue_kiosk.cli.commands import CliError, Context, Result, day_option


def add_province_report_parser(province_sub: Any, common: argparse.ArgumentParser) -> None:
    p = province_sub.add_parser(
        "report", parents=[common],
        help="rank the centres over a period (waits, served per counter-hour, no-shows, "
             "ratings, bookings) and say what drove each one's p95 wait")
    p.add_argument("--from", dest="start", metavar="DATE",
                   help="first day, dd/mm/yyyy or YYYY-MM-DD (default: today)")
    p.add_argument("--to", dest="end", metavar="DATE", help="last day (default: --from)")
    p.add_argument("--xlsx", metavar="FILE",
                   help="write the ranking and a sheet for each centre as XLSX")
    p.set_defaults(handler=cmd_province_report)


def cmd_province_report(ctx: Context) -> Result:
    from queue_kiosk.domain.clock import local_day
    from queue_kiosk.reports.centre import Report
    from queue_kiosk.reports.comparison import compare, comparison_text, write_comparison_xlsx
    from queue_kiosk.service.reading import QueueReader
    from queue_kiosk.store.migrate import check_schema

    check_schema(ctx.store)
    clock = ctx.settings.clock()
    site = ctx.args.site or ctx.settings.site or None
    sites = None if site is None else [site]
    if ctx.args.start:
        start = day_option(ctx.args.start)
    else:  # today where the centres are (the first one's zone: a province keeps one)
        start = local_day(clock.now(), QueueReader(ctx.store, site=site or _any_site(ctx))
                          .catalog.tz)
    end = day_option(ctx.args.end) if ctx.args.end else start
    if end < start:
        raise CliError("usage.to_before_from")
    if site is not None:
        QueueReader(ctx.store, site=site)  # an unknown code: refused with the known ones
    reports: dict[str, Report] = {}
    comparison = compare(ctx.store, clock, start, end, sites=sites, reports=reports)
    if ctx.args.xlsx:
        write_comparison_xlsx(comparison, reports, ctx.args.xlsx, ctx.lang)
        return comparison.to_json(), ctx.say("report.wrote", path=ctx.args.xlsx)
    return comparison.to_json(), comparison_text(comparison, ctx.lang)


def _any_site(ctx: Context) -> str:
    from queue_kiosk.ops.sites import list_sites

    sites = list_sites(ctx.store)
    return sites[0].code if sites else ""
