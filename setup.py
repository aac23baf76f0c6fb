"""Package discovery for the product's layout (everything else is in pyproject.toml).

The repository keeps `screens/`, `migrations/` and `assets/` at its top, beside the code, but
they install inside `queue_kiosk`, so that nothing named `screens` lands in site-packages and the
core finds its data with `importlib.resources`. `screens/` reaches the package through the
symlink `queue_kiosk/screens` (so that mypy, pytest and an editable install see one module name
for it); the other two are mapped here. pyproject.toml alone cannot discover packages under a
folder mapped to another name, and a hand-written list missed `queue_kiosk.printing` and the
screens' subpackages once: here every package is found.
"""

from setuptools import find_packages, setup

MAPPED_FOLDERS = {"queue_kiosk.migrations": "migrations", "queue_kiosk.assets": "assets"}

packages = find_packages(include=["queue_kiosk", "queue_kiosk.*"])
for name, folder in MAPPED_FOLDERS.items():
    packages += [name, *(f"{name}.{sub}" for sub in find_packages(where=folder))]

setup(packages=packages, package_dir=MAPPED_FOLDERS)
