"""Fixtures the admin tests share with the command line's."""

from tests.cli.test_cli import qk  # noqa: F401  (the fixture: a command line over its own database)
