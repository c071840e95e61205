"""`aicompare list`: the catalog, filtered and sorted."""

from __future__ import annotations

from typing import Annotated

import typer

from aicompare.cli import emit
from aicompare.commands.options import (
    AsOfOpt,
    CatalogOpt,
    FormatOpt,
    JsonOpt,
    NoColorOpt,
    choice,
    load,
    output_format,
    parse_as_of,
)
from aicompare.commands.options.filters import (
    CapabilityOpt,
    CurrentOpt,
    ProviderOpt,
    TypeOpt,
    filters,
)
from aicompare.filters import SORT_KEYS, list_models
from aicompare.render import View

VIEW = View(
    "list",
    document="aicompare.render.documents:list_document",
    blocks="aicompare.render.views:list_view",
    csv="aicompare.render.csv_views:list_csv",
)
SortOpt = Annotated[
    str,
    typer.Option(
        "--sort",
        "-s",
        help="Sort key (context and release: largest/newest first); models without the value "
        "come last, also with --reverse.",
        click_type=choice(SORT_KEYS),
    ),
]


def command(
    provider: ProviderOpt = None,
    mtype: TypeOpt = None,
    capability: CapabilityOpt = None,
    current: CurrentOpt = False,
    sort: SortOpt = "provider",
    reverse: Annotated[bool, typer.Option("--reverse", help="Reverse the order.")] = False,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    no_color: NoColorOpt = False,
    as_of: AsOfOpt = None,
    catalog_paths: CatalogOpt = None,
) -> None:
    """List the catalog: id, provider, type, context, prices, status.

    \b
    Examples:
      aicompare list
      aicompare list --provider openai --type image
      aicompare list --capability function_calling --current --sort input
      aicompare list --json | jq -r '.models[].id'
    """
    fmt_ = output_format(json_, format_)
    today = parse_as_of(as_of)
    catalog = load(catalog_paths, today if as_of else None)
    models = list_models(
        catalog.models.values(),
        today,
        filters(provider, mtype, capability, current),
        sort=sort,
        reverse=reverse,
    )
    emit(fmt_, VIEW, models, catalog, today, as_of=today, no_color=no_color)
