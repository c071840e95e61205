"""`aicompare show MODEL`: everything the catalog knows about one model."""

from __future__ import annotations

from typing import Annotated

import typer

from aicompare.cli import emit_to
from aicompare.commands.options import (
    AsOfOpt,
    CatalogOpt,
    JsonOpt,
    NoColorOpt,
    OutOpt,
    PageFormatOpt,
    complete_model,
    load,
    output_format,
    parse_as_of,
)
from aicompare.render import OutputFormat, View

VIEW = View(
    "show",
    document="aicompare.render.documents:show_document",
    blocks="aicompare.render.views:show_view",
    csv="aicompare.render.csv_views:show_csv",
)
HISTORY_VIEW = View(
    "show",
    document="aicompare.render.history_views:show_history_document",
    blocks="aicompare.render.history_views:show_history_view",
)


def command(
    model: Annotated[
        str,
        typer.Argument(
            metavar="MODEL",
            help="Model id, alias, snapshot or name.",
            autocompletion=complete_model,
        ),
    ],
    json_: JsonOpt = False,
    format_: PageFormatOpt = None,
    out: OutOpt = None,
    no_color: NoColorOpt = False,
    as_of: AsOfOpt = None,
    catalog_paths: CatalogOpt = None,
    history: Annotated[
        bool,
        typer.Option(
            "--history",
            help="Show the model's prices over time: each dated period and a chart per price kind.",
        ),
    ] = False,
) -> None:
    """Show everything the catalog knows about one model.

    \b
    Examples:
      aicompare show gpt-image-1
      aicompare show "GPT-4.1 Mini"
      aicompare show openai:o4-mini --json
      aicompare show o3 --history
      aicompare show gpt-image-1 --format html -o gpt-image-1.html
    """
    fmt_ = output_format(json_, format_)
    if history and fmt_ in (OutputFormat.csv, OutputFormat.html):
        raise typer.BadParameter(
            f"--history is shown as a table, Markdown or JSON, not {fmt_.value.upper()}",
            param_hint="'--history'",
        )
    today = parse_as_of(as_of)
    catalog = load(catalog_paths, today if as_of else None)
    found = catalog.resolve(model)
    layers = [layer.path for layer in catalog.layers if layer.exists]
    emit_to(
        fmt_,
        HISTORY_VIEW if history else VIEW,
        found,
        catalog,
        today,
        as_of=today,
        out=out,
        layers=layers,
        no_color=no_color,
    )
