"""`aicompare list`, and the catalog filters it shares with `cost`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from enum import Enum
from typing import Annotated, Optional, TypeVar

import typer

from aicompare.catalog import normalize
from aicompare.cli import (
    AsOfOpt,
    CatalogOpt,
    FormatOpt,
    JsonOpt,
    NoColorOpt,
    app,
    emit,
    load,
    output_format,
    parse_as_of,
)
from aicompare.errors import AicompareError
from aicompare.model import CAPABILITIES, MODEL_TYPES, Model, Status

ModelType = Enum("ModelType", {t: t for t in MODEL_TYPES}, type=str)  # type: ignore[misc]
Capability = Enum("Capability", {c: c for c in CAPABILITIES}, type=str)  # type: ignore[misc]


class SortKey(str, Enum):
    id = "id"
    provider = "provider"
    type = "type"
    context = "context"
    input = "input"
    output = "output"
    image = "image"
    release = "release"
    status = "status"


ProviderOpt = Annotated[Optional[str], typer.Option("--provider", "-p", help="Only this maker (e.g. openai).")]
TypeOpt = Annotated[Optional[ModelType], typer.Option("--type", "-t", help="Only this kind of model.",
                                                       case_sensitive=False)]
CapabilityOpt = Annotated[Optional[list[Capability]], typer.Option(
    "--capability", "-c", help="Only models with this capability (repeatable: all must hold).",
    case_sensitive=False)]
CurrentOpt = Annotated[bool, typer.Option("--current", help="Hide deprecated and retired models.")]


_Record = TypeVar("_Record")  # a Model, or a pricing.RateCard: both have the fields filtered on


def filter_models(records: Iterable[_Record], today: dt.date, provider: str | None, mtype: str | None,
                  capabilities: list[str], current: bool) -> list[_Record]:
    """The shared catalog filters of list (on models) and cost (on their rate cards)."""
    models = list(records)
    if provider is not None:
        wanted = normalize(provider)
        known = sorted({m.provider for m in models})
        if not any(normalize(p) == wanted for p in known):
            import difflib

            close = difflib.get_close_matches(provider.casefold(), known, n=3, cutoff=0.5)
            raise AicompareError(f"unknown provider {provider!r}",
                                 f"did you mean: {', '.join(close)}?" if close
                                 else f"providers in the catalog: {', '.join(known[:20])}")
        models = [m for m in models if normalize(m.provider) == wanted]
    if mtype is not None:
        models = [m for m in models if m.type == mtype]
    for cap in capabilities:
        models = [m for m in models if m.has(cap)]
    if current:
        models = [m for m in models if m.status(today) is Status.CURRENT]
    return models


_STATUS_ORDER = {Status.CURRENT: 0, Status.DEPRECATED: 1, Status.RETIRED: 2}


def _sort_value(model: Model, key: SortKey, today: dt.date) -> tuple[int, object]:
    """(missing?, value): models without the value sort last."""
    value: object
    if key is SortKey.context:
        value = model.context_window
        return (value is None, -(value or 0))  # larger first
    if key in (SortKey.input, SortKey.output):
        value = model.price(key.value)
    elif key is SortKey.image:
        value = model.cheapest_image
    elif key is SortKey.release:
        value = model.release_date
        return (value is None, -(value.toordinal()) if value else 0)  # newest first
    elif key is SortKey.status:
        value = _STATUS_ORDER[model.status(today)]
    else:
        value = getattr(model, key.value)
    return (value is None, value if value is not None else Decimal(0))


@app.command("list")
def list_models(
    provider: ProviderOpt = None,
    mtype: TypeOpt = None,
    capability: CapabilityOpt = None,
    current: CurrentOpt = False,
    sort: Annotated[SortKey, typer.Option("--sort", "-s", help="Sort key (context and release: largest/newest first).",
                                          case_sensitive=False)] = SortKey.provider,
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
    catalog = load(catalog_paths)
    models = filter_models(catalog.models.values(), today, provider, mtype.value if mtype else None,
                           [c.value for c in capability or []], current)
    models.sort(key=lambda m: (_sort_value(m, sort, today), m.provider, m.id), reverse=reverse)

    def document() -> dict[str, object]:
        from aicompare.render.documents import envelope, model_summary

        return envelope("list", today, count=len(models), models=[model_summary(m, today) for m in models])

    def blocks() -> list:  # type: ignore[type-arg]
        from aicompare.render.views import list_view

        return list_view(models, catalog, today)

    emit(fmt_, document=document, blocks=blocks, no_color=no_color)
