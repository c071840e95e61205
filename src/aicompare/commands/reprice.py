"""`aicompare reprice FILE...`: price real usage at the list prices in force on each row's date.

Annotations are evaluated at import (no `from __future__ import annotations`): see cost.py.
"""

import datetime as dt
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from aicompare.cli import emit_to
from aicompare.commands.options import CatalogOpt, JsonOpt, NoColorOpt, OutOpt, fail_usage, load
from aicompare.errors import AicompareError
from aicompare.render import OutputFormat, View

if TYPE_CHECKING:
    from aicompare.usage.aggregate import Aggregation

VIEW = View(
    "reprice",
    document="aicompare.render.reprice_views:reprice_document",
    blocks="aicompare.render.reprice_views:reprice_view",
    csv="aicompare.render.csv_views:reprice_csv",
)
BY_KEYS = ("model", "day", "month", "project", "key", "seller")


def parse_by(values: list[str] | None) -> tuple[str, ...]:
    """--by, repeatable and comma-separated, in the order given; model by default."""
    found: list[str] = []
    for value in values or []:
        for word in value.split(","):
            name = word.strip().casefold()
            if name not in BY_KEYS:
                fail_usage(f"{word.strip()!r} is not one of {', '.join(BY_KEYS)}", "--by")
            if name not in found:
                found.append(name)
    return tuple(found) or ("model",)


def command(
    files: Annotated[
        list[str],
        typer.Argument(help="Usage logs (gzipped too); - reads stdin.", metavar="FILE..."),
    ],
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="The logs' format, when detecting it from the content is not wanted; "
            "html writes the report as a page (both: --format litellm --format html).",
        ),
    ] = None,
    column_map: Annotated[
        str | None,
        typer.Option(
            "--map",
            metavar="MAP",
            help="Columns of a CSV or JSON-lines log: model=llm_model,input=prompt_tokens,...",
        ),
    ] = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            metavar="KEY",
            help="Group by model, day, month, project, key or seller (repeatable, or a,b).",
        ),
    ] = None,
    on: Annotated[
        list[str] | None,
        typer.Option(
            "--on",
            metavar="MODEL",
            help="Price the same usage on this model (or MODEL@SELLER) too, repeatable; "
            "cheapest:N ranks the catalog's N cheapest for this usage.",
        ),
    ] = None,
    migrate: Annotated[
        bool,
        typer.Option(
            "--migrate",
            help="Price the rows of deprecated or retired models on their live successor.",
        ),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any row cannot be priced.")
    ] = False,
    json_: JsonOpt = False,
    csv_: Annotated[bool, typer.Option("--csv", help="Print the groups as CSV.")] = False,
    out: OutOpt = None,
    no_color: NoColorOpt = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Judge lifecycle status, and price rows without a time, as of this date "
            "(YYYY-MM-DD); default today (UTC). Rows with a time take the prices of their date.",
        ),
    ] = None,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Price usage logs at the list prices in force on each row's date, and say what it would
    cost elsewhere.

    Rows the catalog cannot price are listed, never counted as $0.

    \b
    Examples:
      aicompare reprice usage.jsonl.gz --by month,model
      aicompare reprice spend_logs.csv --on gpt-5-mini --on cheapest:3
      aicompare reprice usage.json --migrate --json
      aicompare reprice export.csv --map model=llm_model,input=prompt_tokens,output=completion_tokens
      aicompare reprice usage.json --on gpt-5-mini --migrate --format html -o spend.html
    """
    input_format, html = _formats(formats or [])
    chosen = [name for name, given in (("--json", json_), ("--csv", csv_), ("html", html)) if given]
    if len(chosen) > 1:
        fail_usage(f"{' and '.join(chosen)} cannot be combined", chosen[0])
    fmt_ = (
        OutputFormat.json
        if json_
        else OutputFormat.csv
        if csv_
        else OutputFormat.html
        if html
        else OutputFormat.table
    )
    keys = parse_by(by)
    today = _today(as_of)
    _check_cheapest(on or [], files)
    from aicompare.usage.aggregate import Aggregation, aggregate, thresholds
    from aicompare.usage.readers import FORMATS, ColumnMapError, parse_column_map, read_usage
    from aicompare.usage.reprice import reprice
    from aicompare.usage.rows import UsageFormatError, UsageInputError

    if input_format is not None and input_format not in FORMATS:
        fail_usage(
            f"{input_format!r} is not a usage format; use one of {', '.join(FORMATS)} "
            "(or html for the page)",
            "--format",
        )
    try:
        columns = parse_column_map(column_map) if column_map else None
    except ColumnMapError as error:
        fail_usage(str(error), "--map")
    catalog = load(catalog_paths)
    limits = thresholds(catalog)
    aggregation = Aggregation()
    skipped: list[str] = []
    slow_notes: list[str] = []
    for path in files:
        fast = _fast_aggregation(path, input_format, columns, limits, keys, slow_notes)
        if fast is not None:
            aggregation.merge(fast)
            continue
        try:
            records = read_usage(path, format=input_format, column_map=columns)
            aggregate(
                records,
                limits,
                by_project="project" in keys,
                by_key="key" in keys,
                into=aggregation,
            )
        except UsageInputError as error:
            raise AicompareError(str(error), "check the path; - reads stdin") from None
        except UsageFormatError as error:
            raise AicompareError(
                str(error), "name the format with --format, or map the columns with --map"
            ) from None
        except OSError as error:
            raise AicompareError(
                f"cannot read {path}: {error.strerror or error}",
                "check the path and that the file can be read",
            ) from None
        skipped += [
            f"{number} {'record' if number == 1 else 'records'} of {records.name} left out: {why}"
            for why, number in records.skipped.items()
        ]
    if html:
        keys = page_keys(keys, aggregation.first, aggregation.last)
    # one order whichever engine summed the rows (DuckDB's groups come in no particular order):
    # the notes and lists that follow the groups' order read the same on both paths
    aggregation.groups = dict(sorted(aggregation.groups.items(), key=_group_order))
    result = reprice(catalog, aggregation, limits, today, by=keys, on=on or (), migrate=migrate)
    if skipped or slow_notes:
        result = result._replace(notes=[*skipped, *slow_notes, *result.notes])
    # a file written from the logs is no more readable than the least readable of them
    inputs = ["/dev/stdin" if path == "-" else path for path in files]
    layers = [*inputs, *(layer.path for layer in catalog.layers if layer.exists)]
    emit_to(fmt_, VIEW, result, as_of=today, out=out, layers=layers, no_color=no_color)
    if strict and result.unpriced:
        rows = sum(u.rows for u in result.unpriced)
        sys.stdout.flush()
        sys.stderr.write(
            f"error: {rows} {'row' if rows == 1 else 'rows'} could not be priced (--strict)\n"
            "see the unpriced rows in the output; add the models with `aicompare catalog add`\n"
        )
        raise typer.Exit(1)


def _formats(values: list[str]) -> tuple[str | None, bool]:
    """--format, repeatable: the logs' format (one of the readers') and html (the page)."""
    usage = [v for v in values if v.strip().casefold() != "html"]
    if len(set(usage)) > 1:
        fail_usage(f"one usage format at a time, not {' and '.join(usage)}", "--format")
    return (usage[0] if usage else None), len(usage) < len(values)


def page_keys(
    keys: tuple[str, ...], first: dt.date | None, last: dt.date | None
) -> tuple[str, ...]:
    """The groups of the page: the keys asked for, with a time key and the model in front
    where they are missing, so that the page can chart spend over time by model; by day, or
    by month for a period longer than LONG_PERIOD days, as render.html.spend charts it."""
    from aicompare.render.html.spend import LONG_PERIOD

    long = first is not None and last is not None and (last - first).days > LONG_PERIOD
    found = list(keys)
    if not {"day", "month"} & set(found):
        found.insert(0, "month" if long else "day")
    if "model" not in found:
        at = next(i for i, key in enumerate(found) if key in ("day", "month"))
        found.insert(at + 1, "model")
    return tuple(found)


def _group_order(item: tuple[tuple[object, ...], object]) -> tuple[tuple[bool, object], ...]:
    """An aggregate's key as a sort key (None first in each field)."""
    return tuple((value is not None, 0 if value is None else value) for value in item[0])


def _fast_aggregation(
    path: str,
    input_format: str | None,
    columns: dict[str, str] | None,
    limits: tuple[int, ...],
    keys: tuple[str, ...],
    notes: list[str],
) -> "Aggregation | None":
    """The file's aggregates by DuckDB (usage/fast.py) when it is a large CSV or JSON-lines file
    read through --map and DuckDB is installed; None when the Python reader is to read it (then
    a large file read without DuckDB adds a note on how to get the fast path to `notes`)."""
    import os

    from aicompare.usage import fast

    if path == "-":
        return None
    try:
        size = os.stat(path).st_size
    except (OSError, ValueError):
        return None  # the reader says what is wrong with the path
    if not fast.use_fast(size):
        if columns is not None:
            note = fast.slow_path_note(size)
            if note is not None:
                notes.append(f"{path}: {note}")
        return None
    if columns is None:
        return None
    from aicompare.usage.readers import detect_format, open_usage_input
    from aicompare.usage.rows import UsageFormatError

    try:
        opened = open_usage_input(path)
    except UsageFormatError:
        return None
    with opened.stream:
        found = input_format or detect_format(opened.head)
        if found not in ("csv", "jsonl") or (found == "jsonl" and opened.head.lstrip()[:1] != b"{"):
            return None
        from aicompare.usage.readers.table import _resolve

        try:  # the map's own faults, said as the reader says them
            _resolve(columns, [], path)
        except UsageFormatError:
            return None
    try:
        return fast.aggregate_into(
            path,
            found,
            columns,
            limits,
            by_project="project" in keys,
            by_key="key" in keys,
            gzipped=opened.gzipped,
        )
    except fast.NotFast:
        return None  # a value only the Python reader reads exactly: it reads the file


def _check_cheapest(on: list[str], files: list[str]) -> None:
    """`--on cheapest 3` as two words makes 3 a FILE: say how to write it, not 'cannot read 3'."""
    import os

    if not any(value.strip().casefold() == "cheapest" for value in on):
        return
    for path in files:
        if path.strip().isdigit() and not os.path.lexists(path):
            fail_usage(
                f"{path!r} was read as a usage file: write the count with a colon, "
                f"--on cheapest:{path.strip()} (--on cheapest alone ranks 5)",
                "--on",
            )


def _today(as_of: str | None) -> dt.date:
    """--as-of, else today (UTC)."""
    from aicompare.catalog import utc_today

    if as_of is None:
        return utc_today()
    try:
        return dt.date.fromisoformat(as_of)
    except ValueError:
        fail_usage(f"{as_of!r} is not a date; use YYYY-MM-DD", "--as-of")
