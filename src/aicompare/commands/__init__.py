"""Command modules; importing them registers their commands on the app."""

from aicompare.commands import browse, catalog_cmd, catalog_edit, cost  # noqa: F401
