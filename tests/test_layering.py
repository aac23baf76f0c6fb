"""The core never imports the UI, and the UI reaches the store only through the service's
facade: checked in a fresh interpreter and in the source."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import queue_kiosk

CORE = Path(queue_kiosk.__file__).parent
SCREENS = CORE / "screens"
UI = ("textual", "screens", "queue_kiosk.screens")
STORE_INSIDES = ("sqlalchemy", "psycopg", "queue_kiosk.store",
                 "queue_kiosk.domain.models", "queue_kiosk.service.reading",
                 "queue_kiosk.service.writing")
"""What a screen must not import: the facade (`QueueService`, its views and catalogue,
`StaffDirectory`, reports) is all it needs."""


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


def test_importing_the_whole_core_loads_neither_textual_nor_screens() -> None:
    modules = sorted(".".join(p.relative_to(CORE).with_suffix("").parts)
                     for p in CORE.rglob("*.py")
                     if p.stem not in ("__main__", "__init__") and SCREENS not in p.parents)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module('queue_kiosk.' + name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'screens') "
        "or m.startswith('queue_kiosk.screens'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""


def test_no_core_module_names_the_ui_even_lazily() -> None:
    core = [p for p in CORE.rglob("*.py") if SCREENS not in p.parents]
    offenders = [f"{path.name}: {name}" for path in core for name in _imports(path)
                 if _under(name, UI)]
    assert len(core) > 20 and offenders == []


def test_screens_use_only_the_facade() -> None:
    screens = list(SCREENS.rglob("*.py"))
    offenders = [f"{path.name}: imports {name}" for path in screens
                 for name in _imports(path) if _under(name, STORE_INSIDES)]
    # …nor reach past it through the service's attributes.
    offenders += [f"{path.name}: .{node.attr}" for path in screens
                  for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                  if isinstance(node, ast.Attribute) and node.attr in ("engine", "store")]
    assert len(screens) > 10 and offenders == []


def test_the_screens_install_inside_the_package() -> None:
    """One module name for the UI: nothing called `screens` lands in site-packages."""
    assert SCREENS.is_dir() and SCREENS.resolve() == (CORE.parent / "screens").resolve()


def test_no_import_circles_among_the_core_modules() -> None:
    """Not even lazily or under TYPE_CHECKING: a circle says a type lives in the wrong room."""
    import grimp

    graph = grimp.build_graph("queue_kiosk")
    core = sorted(m for m in graph.modules if not _under(m, ("queue_kiosk.screens",)))
    circles = {tuple(sorted((importer, imported))) for importer in core
               for imported in graph.find_modules_directly_imported_by(importer)
               if graph.find_shortest_chain(importer=imported, imported=importer)}
    assert len(core) > 50 and sorted(circles) == []


def test_the_declared_layer_contract_holds() -> None:
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports"))],
                            capture_output=True, text=True, cwd=CORE.parent)
    assert result.returncode == 0, result.stdout[-3000:]
