"""The product as users install it: a built wheel in a fresh venv outside the source tree, every
mode started from it in a real terminal, the browser screens and the printer preview."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.served import screen_text, serving
from tests.terminal import Terminal, terminal

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-25T08:00:00+07:00"
INTERNAL = "Lỗi nội bộ"

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    home: Path
    env: dict[str, str]
    """A clean environment: the venv first on PATH, a throwaway home and database."""

    @property
    def command(self) -> str:
        return str(self.venv / "bin" / "queue-kiosk")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        # From the throwaway home, so only the installed copy can be imported.
        return subprocess.run([self.command, *args], cwd=self.home, env=self.env,
                              capture_output=True, text=True, timeout=120)


def _build_wheel(top: Path) -> Path:
    # Built from a copy: setuptools keeps files in the tree's build/ folder that the source
    # no longer has (a renamed migration came back as a second head that way).
    source = top / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", ".venv*", "venv", "__pycache__", "*.egg-info", ".*_cache",
        ".hypothesis", "*.db"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(top / "dist"), str(source)], check=True, capture_output=True)
    shutil.rmtree(source)
    return next((top / "dist").glob("queue_kiosk-*.whl"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    top = tmp_path_factory.mktemp("installed")
    # `.ci/lowest-deps` hands over a wheel built by the lowest setuptools allowed.
    given = os.environ.get("QUEUE_KIOSK_TEST_WHEEL")
    wheel = Path(given) if given else _build_wheel(top)
    venv = top / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                    "--no-deps", "-q", str(wheel)], check=True, capture_output=True)
    # The dependencies come from the test environment (a .pth path line: no download, and
    # .pth files there, such as an editable install's finder, are not run), or from the
    # folder QUEUE_KIOSK_TEST_DEPS names (`.ci/lowest-deps`: the lowest versions
    # pyproject.toml allows); the product itself only from the wheel.
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; "
                                "print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    deps = ({os.environ["QUEUE_KIOSK_TEST_DEPS"]} if os.environ.get("QUEUE_KIOSK_TEST_DEPS")
            else {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    (site / "test-dependencies.pth").write_text("\n".join(sorted(deps)) + "\n")
    home = top / "home"
    home.mkdir()
    env = {"PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin", "HOME": str(home),
           "LANG": "C.UTF-8", "TERM": "xterm-256color",
           "QUEUE_KIOSK_DB": f"sqlite:///{home / 'hall.db'}", "QUEUE_KIOSK_NOW": NOW}
    done = Installed(wheel, venv, home, env)
    assert done.run("init").returncode == 0
    assert done.run("issue", "B").returncode == 0
    return done


def test_the_wheel_carries_every_package_and_data_file(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    packages = {"queue_kiosk", *(str(p.parent.relative_to(ROOT))
                                 for p in (ROOT / "queue_kiosk").glob("*/__init__.py"))}
    packages |= {f"queue_kiosk/{p.parent.relative_to(ROOT)}"
                 for top in ("screens", "migrations", "assets")
                 for p in (ROOT / top).rglob("__init__.py")}
    missing = sorted(p for p in packages if f"{p}/__init__.py" not in names)
    assert missing == [], f"packages missing from the wheel: {missing}"
    # The UI installs inside the package only: nothing named `screens` in site-packages.
    assert not [n for n in names if n.startswith("screens/")]
    data = [f"queue_kiosk/screens/{p.name}" for p in (ROOT / "screens").glob("*.tcss")]
    data += [f"queue_kiosk/{p.relative_to(ROOT)}" for folder in ("assets", "migrations")
             for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix != ".py"
             and "__pycache__" not in p.parts]
    data += [str(p.relative_to(ROOT)) for p in (ROOT / "queue_kiosk/web/templates").iterdir()]
    assert sorted(set(data) - names) == []


def test_the_command_line_runs_from_the_installed_copy(installed: Installed) -> None:
    assert "close-day" in installed.run("--help").stdout
    where = subprocess.run([str(installed.venv / "bin" / "python"), "-c",
                            "import queue_kiosk, queue_kiosk.screens.app as app; "
                            "print(queue_kiosk.__file__, app.__file__)"],
                           cwd=installed.home, env=installed.env, capture_output=True,
                           text=True).stdout
    assert str(ROOT) not in where and where.count(str(installed.venv)) == 2
    issued = installed.run("issue", "A", "--json")
    assert issued.returncode == 0 and '"A001"' in issued.stdout


def test_the_printer_preview_writes_a_png(installed: Installed) -> None:
    from PIL import Image

    out = installed.home / "B001.png"
    result = installed.run("printer", "preview", "B001", "--out", str(out))
    assert result.returncode == 0, result.stderr
    with Image.open(out) as image:
        assert image.width == 576 and image.height > 300


def _quit(screen: Terminal) -> None:
    screen.keys("C-q")
    shown = screen.wait_for("exit=", seconds=20)
    assert INTERNAL not in shown and "Traceback" not in shown
    assert re.search(r"^exit=0$", shown, re.MULTILINE), shown


@pytest.mark.parametrize(("args", "shows"), [
    (["kiosk", "--unlocked"], "Mời Quý khách chọn lĩnh vực"),
    (["counter"], "Đăng nhập quầy"),
    (["display", "--mute"], "VỪA GỌI"),
    (["report", "--tui"], "Theo lĩnh vực"),
])
def test_each_mode_starts_from_the_wheel(installed: Installed, args: list[str],
                                         shows: str) -> None:
    with terminal([installed.command, *args], installed.env, str(installed.home)) as screen:
        screen.wait_for(shows)
        assert INTERNAL not in screen.screen()
        _quit(screen)


def test_the_demo_from_the_wheel_switches_modes(installed: Installed) -> None:
    with terminal([installed.command, "demo", "--seed", "1", "--mute"], installed.env,
                  str(installed.home)) as screen:
        screen.wait_for("Mời Quý khách chọn lĩnh vực")
        screen.keys("F12")
        screen.wait_for("Đăng nhập quầy")
        screen.keys("F12")
        screen.wait_for("VỪA GỌI")
        _quit(screen)


@pytest.fixture
def served(installed: Installed) -> Iterator[str]:
    with serving([installed.command], installed.env, cwd=str(installed.home)) as base:
        yield base


async def _kiosk_screen(url: str) -> str:
    import aiohttp

    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        return await screen_text(ws, "Mời Quý khách chọn lĩnh vực")


def test_serve_from_the_wheel_answers_and_starts_a_screen(served: str) -> None:
    with urllib.request.urlopen(f"{served}/health", timeout=5) as health:
        assert health.status == 200
    with urllib.request.urlopen(f"{served}/kiosk/", timeout=5) as page:
        assert page.status == 200 and b"<html" in page.read().lower()
    ws_url = served.replace("http://", "ws://") + "/kiosk/ws?width=120&height=34"
    text = asyncio.run(_kiosk_screen(ws_url))
    assert "Mời Quý khách chọn lĩnh vực" in text and INTERNAL not in text


def test_no_internal_error_hides_where_it_came_from(installed: Installed) -> None:
    # A module the installed product lacks: the one line names it and the file importing it.
    broken = installed.venv / "lib" / f"python{sys.version_info.major}." \
        f"{sys.version_info.minor}" / "site-packages" / "queue_kiosk" / "printing" / "job.py"
    saved = broken.read_bytes()
    broken.write_text("import queue_kiosk.no_such_module\n")
    try:
        result = installed.run("printer", "preview", "B001", "--out",
                               str(installed.home / "x.png"))
    finally:
        broken.write_bytes(saved)
    line = result.stderr.strip()
    assert result.returncode == 70 and "\n" not in line
    assert "No module named 'queue_kiosk.no_such_module'" in line
    assert re.search(r"\(queue_kiosk/printing/job\.py:1\)", line), line
