"""`aicompare catalog path`: the catalog layers in effect."""

from __future__ import annotations

from aicompare.catalog import utc_today
from aicompare.cli import emit
from aicompare.commands.options import CatalogOpt, JsonOpt, output_format
from aicompare.render import View

VIEW = View(
    "catalog path",
    document="aicompare.render.catalog_views:path_document",
    text="aicompare.render.catalog_views:path_text",
)


def command(json_: JsonOpt = False, catalog_paths: CatalogOpt = None) -> None:
    """List the catalog layers in effect, lowest first, and whether each exists.

    \b
    Examples:
      aicompare catalog path
      AICOMPARE_CATALOG=team.toml aicompare catalog path --json
    """
    from aicompare.loader import layer_list

    emit(output_format(json_, None), VIEW, layer_list(catalog_paths or ()), as_of=utc_today())
