"""`aicompare catalog add`: a private model in a layer."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from aicompare.catalog import utc_today
from aicompare.cli import emit
from aicompare.commands.options import CatalogOpt, JsonOpt, choices, load, output_format
from aicompare.commands.options.edits import (
    BatchInOpt,
    BatchOutOpt,
    CachedOpt,
    ContextOpt,
    InputOpt,
    IntoOpt,
    MaxOutOpt,
    NameOpt,
    NoteOpt,
    OutputOpt,
    SetOpt,
    ShutdownOpt,
    SuccessorOpt,
    collect_fields,
    target_path,
)
from aicompare.errors import AicompareError
from aicompare.model import MODEL_TYPES
from aicompare.render import View

# The document's `command` has always been "catalog added" (docs/json.md).
VIEW = View(
    "catalog added",
    document="aicompare.render.catalog_views:edit_document",
    text="aicompare.render.catalog_views:add_text",
)


def command(
    model_id: Annotated[str, typer.Argument(metavar="ID", help="Id of the new model.")],
    provider: Annotated[
        str, typer.Option("--provider", metavar="PROVIDER", help="Maker id, e.g. acme.")
    ],
    type_: Annotated[
        str,
        typer.Option("--type", metavar=choices(MODEL_TYPES), help="The kind of model."),
    ],
    input_: InputOpt = None,
    cached_input: CachedOpt = None,
    output: OutputOpt = None,
    batch_input: BatchInOpt = None,
    batch_output: BatchOutOpt = None,
    context_window: ContextOpt = None,
    max_output: MaxOutOpt = None,
    name: NameOpt = None,
    note: NoteOpt = None,
    superseded_by: SuccessorOpt = None,
    shutdown_date: ShutdownOpt = None,
    assignments: SetOpt = None,
    into: IntoOpt = None,
    json_: JsonOpt = False,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Add a private model to your layer.

    \b
    Examples:
      aicompare catalog add acme-llm --provider acme --type text --input 0.50 --output 1.50 --context-window 128000
      aicompare catalog add acme-draw --provider acme --type image --set image_prices.standard.1024x1024=0.02
    """
    fields = collect_fields(
        input_=input_,
        cached_input=cached_input,
        output=output,
        batch_input=batch_input,
        batch_output=batch_output,
        context_window=context_window,
        max_output=max_output,
        name=name,
        note=note,
        superseded_by=superseded_by,
        shutdown_date=shutdown_date,
        assignments=assignments or [],
        unsets=[],
    )
    fields = {"provider": provider, "type": type_, **fields}
    catalog = load(catalog_paths)
    if model_id.casefold() in {m.casefold() for m in catalog.models}:
        raise AicompareError(
            f"model {model_id!r} is already in the catalog",
            f"change it with: aicompare catalog set {model_id} ...",
        )
    path = target_path(into)
    from aicompare import store

    def mutate(doc: dict[str, Any]) -> None:
        store.add_model(doc, model_id, {})
        store.set_fields(doc, model_id, fields)
        store.record_by_hand(doc, model_id, fields)
        doc["models"][model_id].setdefault("as_of", utc_today())

    store.edit_layer(path, mutate)
    emit(output_format(json_, None), VIEW, model_id, path, fields, as_of=utc_today())
