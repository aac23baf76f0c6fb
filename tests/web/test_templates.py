"""The pages come from Jinja2 templates with autoescape on: no HTML is assembled in the core's
Python, the templates ship in the wheel, and the web modules import one another one way."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import queue_kiosk
from queue_kiosk.web.common import TEMPLATE_FOLDER, TEMPLATES
from queue_kiosk.web.serve import index_page

CORE = Path(queue_kiosk.__file__).parent
HTML_IN_PYTHON = re.compile(r"<(html|body|form|table|div)[ >]")


def test_no_html_is_assembled_in_the_cores_python() -> None:
    sources = [p for p in CORE.rglob("*.py") if (CORE / "screens") not in p.parents]
    offenders = [f"{path.relative_to(CORE)}:{number}"
                 for path in sources
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if HTML_IN_PYTHON.search(line)]
    assert len(sources) > 40 and offenders == []


def test_every_template_escapes_what_it_is_given() -> None:
    assert TEMPLATES.autoescape is True
    page = index_page("Xã <script>alert(1)</script> & [/]", "http://x", bookings=True)
    assert "<script>" not in page and "Xã &lt;script&gt;alert(1)&lt;/script&gt; &amp; [/]" in page


def test_the_templates_ship_in_the_wheel() -> None:
    """Every template matches the package-data pattern (a new one needs no list edit)."""
    project = tomllib.loads((CORE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["queue_kiosk.web"]
    package = CORE / "web"
    templates = sorted(TEMPLATE_FOLDER.iterdir())
    assert len(templates) >= 7
    assert all(any(t.relative_to(package).match(p) for p in patterns) for t in templates)


def _web_imports(path: Path) -> set[str]:
    """The web modules `path` imports, at the top, lazily or under TYPE_CHECKING alike."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {n.removeprefix("queue_kiosk.web.") for n in names
            if n.startswith("queue_kiosk.web.")} & _web_modules()


def _web_modules() -> set[str]:
    return {p.stem for p in (CORE / "web").glob("*.py") if p.stem != "__init__"}


def test_the_web_modules_import_one_another_without_a_circle() -> None:
    graph = {name: _web_imports(CORE / "web" / f"{name}.py") for name in _web_modules()}
    assert graph["pages"] >= {"booking", "common"} and "pages" not in graph["booking"]

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n}))
                   for n in graph[start])

    assert [name for name in graph if reaches(name, name, set())] == []
