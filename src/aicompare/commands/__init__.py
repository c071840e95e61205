"""Command modules; importing one registers its commands on the app (see cli.register)."""

from __future__ import annotations

import importlib

MODULES = ("browse", "models", "cost", "best", "catalog_cmd", "catalog_edit", "catalog_io", "catalog_build")


def load_all() -> None:
    """Register every command: for help, typo suggestions, completion and in-process tests."""
    for name in MODULES:
        importlib.import_module(f"aicompare.commands.{name}")
