"""Command modules; importing them registers their commands on the app."""

from aicompare.commands import best, browse, catalog_cmd, catalog_edit, catalog_io, cost  # noqa: F401
