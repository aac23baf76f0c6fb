"""Provides the `queue-kiosk` entry point: a one-shot command goes to the warm helper when
one is asked for (see `warm`), before any heavy import; everything else to `cli.main`."""

from __future__ import annotations

import sys

from queue_kiosk.cli import warm


def main() -> int:
    argv = sys.argv[1:]
    status = warm.call(argv)
    if status is not None:
        return status
    from queue_kiosk.cli.main import main as run

    return run(argv)
