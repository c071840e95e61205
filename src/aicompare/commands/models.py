"""Read-only commands about named models: show and diff."""

from __future__ import annotations

from typing import Annotated

import typer

from aicompare.cli import (
    AsOfOpt,
    CatalogOpt,
    FormatOpt,
    JsonOpt,
    NoColorOpt,
    app,
    complete_model,
    emit,
    fail_usage,
    load,
    output_format,
    parse_as_of,
)


@app.command("show")
def show(
    model: Annotated[str, typer.Argument(help="Model id, alias, snapshot or name.",
                                         autocompletion=complete_model)],
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    no_color: NoColorOpt = False,
    as_of: AsOfOpt = None,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Show everything the catalog knows about one model.

    \b
    Examples:
      aicompare show gpt-image-1
      aicompare show "GPT-4.1 Mini"
      aicompare show openai:o4-mini --json
    """
    fmt_ = output_format(json_, format_)
    today = parse_as_of(as_of)
    catalog = load(catalog_paths)
    found = catalog.resolve(model)

    def document() -> dict[str, object]:
        from aicompare.render.documents import envelope, model_full

        return envelope("show", today, model=model_full(found, today, catalog))

    def blocks() -> list:  # type: ignore[type-arg]
        from aicompare.render.views import show_view

        return show_view(found, catalog, today)

    emit(fmt_, document=document, blocks=blocks, no_color=no_color)


@app.command("diff")
def diff(
    models: Annotated[list[str], typer.Argument(help="Two or more models.", metavar="MODEL MODEL [MODEL...]",
                                                autocompletion=complete_model)],
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    no_color: NoColorOpt = False,
    as_of: AsOfOpt = None,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Compare models side by side, with the key differences in plain sentences.

    \b
    Examples:
      aicompare diff gpt-image-1 o4-mini
      aicompare diff gpt-4.1-mini gpt-5-mini gpt-4o-mini
      aicompare diff o4-mini gpt-5-mini --json | jq -r '.differences[].text'
    """
    fmt_ = output_format(json_, format_)
    today = parse_as_of(as_of)
    if len(models) < 2:
        fail_usage("give at least two models to compare", "MODEL")
    catalog = load(catalog_paths)
    resolved = [catalog.resolve(name) for name in models]
    ids = [m.id for m in resolved]
    if len(set(ids)) < len(ids):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        fail_usage(f"the same model was given twice: {', '.join(dupes)}", "MODEL")
    from aicompare.compare import diff as compare

    result = compare(resolved, today, catalog.provider_name)

    def document() -> dict[str, object]:
        from aicompare.render.documents import diff_document

        return diff_document(result, catalog)

    def blocks() -> list:  # type: ignore[type-arg]
        from aicompare.render.views import diff_view

        return diff_view(result)

    emit(fmt_, document=document, blocks=blocks, no_color=no_color)
