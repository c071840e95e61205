"""The options of the catalog commands that write a layer: set, add, remove, import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

IntoOpt = Annotated[
    Path | None,
    typer.Option(
        "--into",
        metavar="PATH",
        help="The layer file to write; default: your file in the config directory.",
    ),
]


def target_path(into: Path | None) -> Path:
    """The layer file to edit: --into, else the user's file. A directory, FIFO, socket or device
    (also behind a symbolic link) is refused here, before anything is read or created."""
    from aicompare import store
    from aicompare.loader import user_path

    path = into if into is not None else user_path()
    store.writable_target(path)
    return path


SellerOpt = Annotated[
    str | None,
    typer.Option(
        "--seller",
        metavar="NAME",
        help="Set the prices of the model as this seller sells it (an offer id, or a seller "
        "with one offer, else a new offer), e.g. a negotiated Azure price.",
    ),
]
# The fields an offer takes from `catalog set --seller` (the model's other fields are the maker's).
OFFER_FIELDS = ("prices", "image_prices", "notes", "source_url", "as_of", "price_periods")
FromOpt = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="DATE",
        help="Set the prices from this UTC date on (YYYY-MM-DD), as a new price period; the "
        "earlier prices stay in force before it. Default: the prices in force today.",
    ),
]


def parse_from(value: str | None) -> dt.date | None:
    """The --from date; a usage error (exit 2) when it is not a YYYY-MM-DD date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; use YYYY-MM-DD", param_hint="'--from'"
        ) from None


def offer_id(seller: str, offers: list[tuple[str, str]]) -> str:
    """The offer `--seller` names: an offer id, else the one offer of that seller, else a new
    offer with that id; `offers`: the model's (offer id, seller) pairs."""
    from aicompare.errors import UsageError
    from aicompare.schema import OFFER_ID_RE

    name = seller.strip().casefold()
    if not OFFER_ID_RE.match(name):
        raise UsageError(
            f"invalid value for --seller: {seller!r}",
            "use the seller's name in lower case, e.g. azure, bedrock or bedrock-us",
        )
    ids = [oid for oid, _ in offers]
    sold = [oid for oid, who in offers if who == name]
    if name not in ids and len(sold) > 1:
        raise UsageError(
            f"{name} sells this model as several offers: {', '.join(sold)}",
            "name one of them with --seller",
        )
    return name if name in ids else sold[0] if len(sold) == 1 else name


def offer_fields(
    fields: dict[str, object], seller: str, offers: list[tuple[str, str]]
) -> dict[str, object]:
    """`fields` moved under the offer `seller` names (`offer_id`); `offers`: the model's
    (offer id, seller) pairs."""
    from aicompare.errors import UsageError

    chosen = offer_id(seller, offers)
    for path in fields:
        if path.split(".")[0] not in OFFER_FIELDS:
            raise UsageError(
                f"--seller sets an offer's prices, not {path!r}",
                "with --seller give prices (--input, --output, --set prices.<kind>=USD, "
                "--set image_prices.<quality>.<WxH>=USD), --note, source_url or as_of",
            )
    moved: dict[str, object] = {f"offers.{chosen}.{path}": v for path, v in fields.items()}
    if any(v is not None for v in fields.values()):
        # stated each time, so that the layer reads alone as a whole offer (store.validate_layer)
        moved[f"offers.{chosen}.seller"] = dict(offers).get(chosen, seller.strip().casefold())
    return moved


SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="FIELD=VALUE",
        help="Any field, e.g. prices.image_output=30 or image_prices.medium.1024x1024=0.04 "
        "(repeatable).",
    ),
]
UnsetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--unset",
        metavar="FIELD",
        help="Remove a field from the layer, so the value below shows again (repeatable).",
    ),
]
# The field options of `set` and `add`.
InputOpt = Annotated[
    str | None, typer.Option("--input", metavar="USD", help="USD per 1M input tokens.")
]
CachedOpt = Annotated[
    str | None,
    typer.Option("--cached-input", metavar="USD", help="USD per 1M cached input tokens."),
]
OutputOpt = Annotated[
    str | None, typer.Option("--output", metavar="USD", help="USD per 1M output tokens.")
]
BatchInOpt = Annotated[
    str | None,
    typer.Option("--batch-input", metavar="USD", help="Batch API USD per 1M input tokens."),
]
BatchOutOpt = Annotated[
    str | None,
    typer.Option("--batch-output", metavar="USD", help="Batch API USD per 1M output tokens."),
]
ContextOpt = Annotated[
    str | None, typer.Option("--context-window", metavar="N", help="Context window in tokens.")
]
MaxOutOpt = Annotated[
    str | None, typer.Option("--max-output", metavar="N", help="Max output tokens.")
]
NameOpt = Annotated[str | None, typer.Option("--name", metavar="TEXT", help="Display name.")]
NoteOpt = Annotated[
    str | None, typer.Option("--note", metavar="TEXT", help="Free text, e.g. 'negotiated 2026-11'.")
]
SuccessorOpt = Annotated[
    str | None, typer.Option("--superseded-by", metavar="MODEL", help="Id of the successor model.")
]
ShutdownOpt = Annotated[
    str | None,
    typer.Option("--shutdown-date", metavar="DATE", help="YYYY-MM-DD the API stops serving it."),
]


def collect_fields(
    *,
    input_: str | None,
    cached_input: str | None,
    output: str | None,
    batch_input: str | None,
    batch_output: str | None,
    context_window: str | None,
    max_output: str | None,
    name: str | None,
    note: str | None,
    superseded_by: str | None,
    shutdown_date: str | None,
    assignments: list[str],
    unsets: list[str],
) -> dict[str, object]:
    """Named options and --set/--unset as one dict of dotted field -> typed value (None unsets)."""
    from aicompare.fields import parse_assignment, parse_field, parse_price

    fields: dict[str, object] = {}
    for option, path, text in (
        ("--input", "prices.input", input_),
        ("--cached-input", "prices.cached_input", cached_input),
        ("--output", "prices.output", output),
        ("--batch-input", "prices.batch.input", batch_input),
        ("--batch-output", "prices.batch.output", batch_output),
    ):
        if text is not None:
            fields[path] = parse_price(text, option)
    for option, path, text in (
        ("--context-window", "context_window", context_window),
        ("--max-output", "max_output_tokens", max_output),
        ("--shutdown-date", "lifecycle.shutdown_date", shutdown_date),
    ):
        if text is not None:
            fields[path] = parse_field(path, text, option)
    for path, value in (
        ("name", name),
        ("notes", note),
        ("lifecycle.superseded_by", superseded_by),
    ):
        if value is not None:
            fields[path] = value
    for item in assignments:
        path, parsed = parse_assignment(item)
        fields[path] = parsed
    for path in unsets:
        fields[path.strip()] = None
    return fields
