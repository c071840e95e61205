"""`aicompare catalog set`: override fields of a model in a layer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from aicompare.cli import emit
from aicompare.commands.options import CatalogOpt, JsonOpt, complete_model, load, output_format
from aicompare.commands.options.edits import (
    BatchInOpt,
    BatchOutOpt,
    CachedOpt,
    ContextOpt,
    FromOpt,
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
    offer_id,
    parse_from,
    target_path,
)
from aicompare.errors import UsageError
from aicompare.render import View

if TYPE_CHECKING:
    from aicompare.model import Model, Offer

PRICED = ("prices", "image_prices")  # the fields of a price period

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
    from_: FromOpt = None,
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
      aicompare catalog set gpt-5-mini --input 0.20 --from 2026-12-01
    """
    start = parse_from(from_)
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
    # prices go to the period they are for: from --from, else the one in force today (UTC)
    from aicompare.catalog import utc_today
    from aicompare.price_edits import dated_fields

    record: Model | Offer | None = found
    pairs = [(o.id, o.seller) for o in found.offers]
    if seller is not None:
        chosen = offer_id(seller, pairs)
        record = next((o for o in found.offers if o.id == chosen), None)
        if record is None and start is not None:
            raise UsageError(
                f"{model_id} has no offer {chosen} to give prices from {start.isoformat()}",
                "set its prices first without --from, then the later ones with --from",
            )
    given, dated = fields, None
    if record is not None:
        fields, dated = dated_fields(
            record.prices, record.image_prices, record.price_periods, fields, start, utc_today()
        )
    if seller is not None:
        fields = offer_fields(fields, seller, pairs)
    # what was set, as the user gave it: a price of a later period under its date
    shown = fields
    if dated is not None:
        head = f"offers.{offer_id(seller, pairs)}." if seller is not None else ""
        shown = {
            f"{head}price_periods[{dated.isoformat()}].{k}"
            if k.split(".")[0] in PRICED
            else f"{head}{k}": v
            for k, v in given.items()
        }
    path = target_path(into)
    from aicompare import store

    def mutate(doc: dict[str, Any]) -> None:
        store.set_fields(doc, model_id, fields)
        # an import keeps these values (docs/catalog.md, "Hand-set values")
        store.record_by_hand(doc, model_id, fields)

    store.edit_layer(path, mutate)
    emit(output_format(json_, None), VIEW, model_id, path, shown, as_of=utc_today())
