"""Start-up: each mode to its first painted screen and to its own screen, and what one
command-line call costs, cold and with the warm helper."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import MORNING, Result, bench_database, wait_for

STARTUP_CHILD = """
import resource, sys, time
mode, url, spawned = sys.argv[1], sys.argv[2], float(sys.argv[3])
from textual.app import App
marks = {}
display = App._display
def painted(app, screen, renderable):
    # A frame composed for the terminal: the first one is the first paint; the first with
    # the mode's own screen up is "ready".
    display(app, screen, renderable)
    if renderable is not None:
        marks.setdefault("paint", time.time() - spawned)
        if mode == "minimal" or app.current_mode == mode:
            marks.setdefault("ready", time.time() - spawned)
            app.exit()
App._display = painted
if mode == "minimal":
    from textual.widgets import Label
    class Minimal(App[None]):
        def compose(self):
            yield Label("queue-kiosk")
    Minimal().run(headless=True, size=(120, 34))
else:
    # The real launch path: the command line, with the terminal swapped for a headless one.
    from queue_kiosk.screens.app import QueueApp
    run = QueueApp.run
    QueueApp.run = lambda app, **_: run(app, headless=True, size=(120, 34))
    from queue_kiosk.cli.main import main
    main([mode, "--db", url] + (["--mute"] if mode == "display" else []))
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the (large) parent.
peak = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")]
print(marks["paint"], marks["ready"],
      peak[0] if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def bench_startup(quick: bool) -> list[Result]:
    """Each mode launched as `queue-kiosk MODE` to its first painted screen and to its own
    screen with the store open, against a minimal Textual app; and peak memory. Timed from
    launching a fresh interpreter, so imports count."""
    rounds = 3 if quick else 7
    results = []
    with bench_database("sqlite") as url:
        timings: dict[str, tuple[float, float, float]] = {}
        for mode in ("minimal", "kiosk", "counter", "display"):
            runs = []
            for _ in range(rounds):
                done = subprocess.run([sys.executable, "-c", STARTUP_CHILD, mode, url,
                                       str(time.time())], capture_output=True, text=True,
                                      check=True)
                paint_s, ready_s, peak_kib = done.stdout.split()[-3:]
                runs.append((float(paint_s), float(ready_s), float(peak_kib) / 1024))
            timings[mode] = (statistics.median(r[0] for r in runs),
                             statistics.median(r[1] for r in runs), max(r[2] for r in runs))
        base_time, _, base_memory = timings.pop("minimal")
        for mode, (painted, ready, memory) in timings.items():
            results.append(Result(f"startup_{mode}_first_paint", round(painted, 3), "s",
                                  round(base_time, 3), round(painted / base_time, 2),
                                  f"peak {memory:.0f} MiB (minimal app {base_memory:.0f} MiB)"))
            results.append(Result(f"startup_{mode}_ready", round(ready, 3), "s",
                                  round(base_time, 3), round(ready / base_time, 2),
                                  "its own screen shown, the store open"))
        results += _command_line(url, rounds)
    return results


def _command_line(url: str, rounds: int) -> list[Result]:
    """What a script pays per `queue-kiosk` call (a centre's integration, a cron report):
    the whole process, against a bare interpreter started the same way; and SQLAlchemy's
    own import, the floor of any command that opens the store. Then the same calls with the
    warm helper (`QUEUE_KIOSK_WARM=1`) running."""
    # As installed: bytecode written once and reused (a test runner may forbid writing it).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["QUEUE_KIOSK_NOW"] = MORNING.isoformat()

    def median_run(*args: str, env: dict[str, str] = env) -> float:
        runs = []
        for _ in range(rounds + 1):
            began = time.perf_counter()
            subprocess.run([sys.executable, *args], env=env, capture_output=True, check=True)
            runs.append(time.perf_counter() - began)
        return statistics.median(runs[1:])  # the first one compiles the bytecode

    bare = median_run("-c", "pass")
    floor = median_run("-c", "import sqlalchemy")
    commands = (("issue", ("--json", "issue", "B")), ("board", ("--json", "board")))
    results = [Result(f"cli_{name}_json", round(took, 3), "s", round(bare, 3),
                      round(took / bare, 1), f"`queue-kiosk {' '.join(args)}`, whole process; "
                      f"baseline: `python -c pass`; `import sqlalchemy` alone {floor:.3f} s; "
                      "aim < 0.25 s")
               for name, args in commands
               for took in [median_run("-m", "queue_kiosk", "--db", url, *args)]]
    with tempfile.TemporaryDirectory(prefix="qk-bench-") as folder:
        warm_env = {**env, "QUEUE_KIOSK_WARM": "1", "QUEUE_KIOSK_WARM_DIR": folder}
        try:
            for name, args in commands:
                command = ("-m", "queue_kiosk", "--db", url, *args)
                median_run(*command, env=warm_env)  # starts the helper
                wait_for(lambda: any(Path(folder).glob("*/*.sock")), 30)
                took = median_run(*command, env=warm_env)
                results.append(Result(
                    f"cli_{name}_json_warm", round(took, 3), "s", round(bare, 3),
                    round(took / bare, 1), f"`QUEUE_KIOSK_WARM=1 queue-kiosk "
                    f"{' '.join(args)}`, whole process, the helper running; baseline: "
                    "`python -c pass`; aim < 0.25 s"))
        finally:
            for lock in Path(folder).glob("*/*.lock"):
                if lock.read_text().strip():
                    os.kill(int(lock.read_text()), signal.SIGTERM)
    return results

