"""The options and option helpers that more than one command takes: defined once, here.

Choices are Typer's choices of the domain's own names (model.MODEL_TYPES, model.CAPABILITIES,
the formats a command offers), not Enums built at import time: every command imports this
module, and building those Enums would cost each run about a millisecond.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from typer._types import TyperChoice  # what Typer makes of an Enum (typer pinned to 0.28)

from aicompare.model import CAPABILITIES, MODEL_TYPES
from aicompare.render import OutputFormat

if TYPE_CHECKING:
    from aicompare.catalog import Catalog
    from aicompare.costing import WorkloadSpec
    from aicompare.filters import Filters


def choice(values: Sequence[str]) -> TyperChoice[str]:
    """One of `values`, in any case: what Typer makes of an Enum of them."""
    return TyperChoice(values, case_sensitive=False)


# ---------------------------------------------------------------- output and catalog

# What the result commands (list, show, diff, cost, best) can print.
TABLE_FORMATS = (OutputFormat.table, OutputFormat.json, OutputFormat.csv, OutputFormat.markdown)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document (see docs/json.md).")]
FormatOpt = Annotated[OutputFormat | None, typer.Option(
    "--format", "-f", help="Output format: table, json, csv or markdown.",
    click_type=choice([f.value for f in TABLE_FORMATS]))]
NoColorOpt = Annotated[bool, typer.Option(
    "--no-color", help="Never use colour (NO_COLOR works too).")]
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", metavar="DATE",
    help="Judge lifecycle status as of this date (YYYY-MM-DD); default today.")]
CatalogOpt = Annotated[list[str] | None, typer.Option(
    "--catalog", metavar="PATH", help="Extra catalog layer over the bundled one (repeatable).")]


def output_format(json_flag: bool, fmt_opt: OutputFormat | None,
                  default: OutputFormat = OutputFormat.table) -> OutputFormat:
    """--json and --format as one format; both given must agree."""
    if json_flag and fmt_opt not in (None, OutputFormat.json):
        raise typer.BadParameter("--json and --format other than json cannot be combined",
                                 param_hint="'--json'")
    return OutputFormat.json if json_flag else (fmt_opt or default)


def parse_as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD",
                                 param_hint="'--as-of'") from None


def load(catalog_paths: Sequence[str] | None) -> Catalog:
    from aicompare.loader import load_catalog

    return load_catalog(catalog_paths or ())


def fail_usage(message: str, param: str) -> NoReturn:
    raise typer.BadParameter(message, param_hint=f"'{param}'")


def complete_model(incomplete: str) -> list[str]:
    """Shell completion of model ids; never fails."""
    try:
        catalog = load(None)
    except Exception:  # noqa: BLE001 - completion must never print a traceback into the shell
        return []
    word = incomplete.casefold()
    return [m for m in catalog.models if m.casefold().startswith(word)]


# ---------------------------------------------------------------- catalog filters (list, cost)

ProviderOpt = Annotated[str | None, typer.Option(
    "--provider", "-p", help="Only this maker (e.g. openai).")]
TypeOpt = Annotated[str | None, typer.Option(
    "--type", "-t", help="Only this kind of model.", click_type=choice(MODEL_TYPES))]
CapabilityOpt = Annotated[list[str] | None, typer.Option(
    "--capability", "-c", help="Only models with this capability (repeatable: all must hold).",
    click_type=choice(CAPABILITIES))]
CurrentOpt = Annotated[bool, typer.Option("--current", help="Hide deprecated and retired models.")]


def filters(provider: str | None, mtype: str | None, capabilities: list[str] | None,
            current: bool) -> Filters:
    from aicompare.filters import Filters

    return Filters(provider, mtype, tuple(capabilities or ()), current)


# ---------------------------------------------------------------- workload (cost, best)

QTY = "5M, 1.5k, 200_000, 2B or a plain integer"

TokensOpt = Annotated[str | None, typer.Option(
    "--tokens", help=f"Total tokens per period ({QTY}).")]
InputTokOpt = Annotated[str | None, typer.Option(
    "--input", help="Uncached input tokens per period.")]
OutputTokOpt = Annotated[str | None, typer.Option(
    "--output", help="Output tokens per period.")]
CachedTokOpt = Annotated[str | None, typer.Option(
    "--cached-input", help="Cached input tokens per period.")]
ShareOpt = Annotated[str | None, typer.Option(
    "--output-share", help="Share of --tokens that is output, e.g. 0.25 or 25% (default 25%).")]
ImagesOpt = Annotated[str | None, typer.Option(
    "--images", help="Images generated per period.")]
QualityOpt = Annotated[str | None, typer.Option(
    "--quality", help="Image quality, e.g. low, medium, high.")]
SizeOpt = Annotated[str | None, typer.Option("--size", help="Image size, e.g. 1024x1024.")]
BatchOpt = Annotated[bool, typer.Option(
    "--batch", help="Use Batch API rates where the catalog has them.")]
PerOpt = Annotated[str, typer.Option(
    "--per", help="The period quantities and totals refer to: day, month or year.")]
RequestOpt = Annotated[str | None, typer.Option(
    "--request-tokens", help="Typical prompt tokens per request; selects long-context price tiers.")]


def workload_spec(*, tokens: str | None, input_: str | None, output: str | None,
                  cached_input: str | None, output_share: str | None, images: str | None,
                  quality: str | None, size: str | None, batch: bool, per: str,
                  request_tokens: str | None) -> WorkloadSpec:
    """The workload options as typed, for costing.parse_workload."""
    from aicompare.costing import WorkloadSpec

    return WorkloadSpec(tokens=tokens, input=input_, output=output, cached_input=cached_input,
                        output_share=output_share, images=images, quality=quality, size=size,
                        request_tokens=request_tokens, batch=batch, per=per)


# ---------------------------------------------------------------- catalog edits (set, add, ...)

IntoOpt = Annotated[Path | None, typer.Option(
    "--into", metavar="PATH",
    help="The layer file to write; default: your file in the config directory.")]


def target_path(into: Path | None) -> Path:
    """The layer file to edit: --into, else the user's file. A directory, FIFO, socket or device
    (also behind a symbolic link) is refused here, before anything is read or created."""
    from aicompare import store
    from aicompare.loader import user_path

    path = into if into is not None else user_path()
    store.writable_target(path)
    return path


SetOpt = Annotated[list[str] | None, typer.Option(
    "--set", metavar="FIELD=VALUE",
    help="Any field, e.g. prices.image_output=30 or image_prices.medium.1024x1024=0.04 "
         "(repeatable).")]
UnsetOpt = Annotated[list[str] | None, typer.Option(
    "--unset", metavar="FIELD",
    help="Remove a field from the layer, so the value below shows again (repeatable).")]
# The field options of `set` and `add`.
InputOpt = Annotated[str | None, typer.Option("--input", help="USD per 1M input tokens.")]
CachedOpt = Annotated[str | None, typer.Option(
    "--cached-input", help="USD per 1M cached input tokens.")]
OutputOpt = Annotated[str | None, typer.Option("--output", help="USD per 1M output tokens.")]
BatchInOpt = Annotated[str | None, typer.Option(
    "--batch-input", help="Batch API USD per 1M input tokens.")]
BatchOutOpt = Annotated[str | None, typer.Option(
    "--batch-output", help="Batch API USD per 1M output tokens.")]
ContextOpt = Annotated[str | None, typer.Option(
    "--context-window", help="Context window in tokens.")]
MaxOutOpt = Annotated[str | None, typer.Option("--max-output", help="Max output tokens.")]
NameOpt = Annotated[str | None, typer.Option("--name", help="Display name.")]
NoteOpt = Annotated[str | None, typer.Option(
    "--note", help="Free text, e.g. 'negotiated 2026-11'.")]
SuccessorOpt = Annotated[str | None, typer.Option(
    "--superseded-by", help="Id of the successor model.")]
ShutdownOpt = Annotated[str | None, typer.Option(
    "--shutdown-date", help="YYYY-MM-DD the API stops serving it.")]


def collect_fields(*, input_: str | None, cached_input: str | None, output: str | None,
                   batch_input: str | None, batch_output: str | None,
                   context_window: str | None, max_output: str | None, name: str | None,
                   note: str | None, superseded_by: str | None, shutdown_date: str | None,
                   assignments: list[str], unsets: list[str]) -> dict[str, object]:
    """Named options and --set/--unset as one dict of dotted field -> typed value (None unsets)."""
    from aicompare.fields import parse_assignment, parse_field, parse_price

    fields: dict[str, object] = {}
    for option, path, text in (("--input", "prices.input", input_),
                               ("--cached-input", "prices.cached_input", cached_input),
                               ("--output", "prices.output", output),
                               ("--batch-input", "prices.batch.input", batch_input),
                               ("--batch-output", "prices.batch.output", batch_output)):
        if text is not None:
            fields[path] = parse_price(text, option)
    for option, path, text in (("--context-window", "context_window", context_window),
                               ("--max-output", "max_output_tokens", max_output),
                               ("--shutdown-date", "lifecycle.shutdown_date", shutdown_date)):
        if text is not None:
            fields[path] = parse_field(path, text, option)
    for path, value in (("name", name), ("notes", note), ("lifecycle.superseded_by", superseded_by)):
        if value is not None:
            fields[path] = value
    for item in assignments:
        path, parsed = parse_assignment(item)
        fields[path] = parsed
    for path in unsets:
        fields[path.strip()] = None
    return fields
