"""`aicompare catalog set`: override fields of a model in a layer."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from aicompare.cli import emit
from aicompare.commands.options import CatalogOpt, JsonOpt, complete_model, load, output_format
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
    SellerOpt,
    SetOpt,
    ShutdownOpt,
    SuccessorOpt,
    UnsetOpt,
    collect_fields,
    offer_fields,
    target_path,
)
from aicompare.errors import UsageError
from aicompare.render import View

VIEW = View(
    "catalog set",
    document="aicompare.render.catalog_views:edit_document",
    text="aicompare.render.catalog_views:set_text",
)


def command(
    model: Annotated[
        str,
        typer.Argument(metavar="MODEL", help="Model id or name.", autocompletion=complete_model),
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
    unsets: UnsetOpt = None,
    seller: SellerOpt = None,
    into: IntoOpt = None,
    json_: JsonOpt = False,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Override fields of a model in your layer (a negotiated price, a note).

    \b
    Examples:
      aicompare catalog set gpt-4.1-mini --input 0.90 --output 3.60 --note "negotiated 2026-11"
      aicompare catalog set gpt-image-1 --set image_prices.medium.1024x1024=0.035
      aicompare catalog set gpt-4.1-mini --unset prices.input
      aicompare catalog set gpt-5-mini --seller azure --input 0.22 --output 1.80
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
        unsets=unsets or [],
    )
    if not fields:
        raise UsageError(
            "nothing to set",
            "give at least one field option, e.g. --input 0.90 or --set FIELD=VALUE",
        )
    catalog = load(catalog_paths)
    found = catalog.resolve(model)
    if found.seller is not None:
        # MODEL@SELLER or a seller's id: the offer is set on the model it sells
        base = catalog.resolve(found.id.rpartition("@")[0])
        if seller is None and found.offer_id is not None:
            seller = found.offer_id
        found = base
    model_id = found.id
    if seller is not None:
        fields = offer_fields(fields, seller, [(o.id, o.seller) for o in found.offers])
    path = target_path(into)
    from aicompare import store

    def mutate(doc: dict[str, Any]) -> None:
        store.set_fields(doc, model_id, fields)
        # an import keeps these values (docs/catalog.md, "Hand-set values")
        store.record_by_hand(doc, model_id, fields)

    store.edit_layer(path, mutate)
    emit(output_format(json_, None), VIEW, model_id, path, fields, as_of=dt.date.today())
