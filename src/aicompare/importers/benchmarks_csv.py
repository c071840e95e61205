"""Benchmark scores from a CSV file (`catalog import --from csv FILE`): the user's quality signal.

The file has a header row naming the columns `model`, `benchmark`, `score` and `source` (any
order, any case) and one score per row:

    model,benchmark,score,source
    gpt-5,swe-bench,74.9,https://openai.com/index/introducing-gpt-5/

Scores are read exactly (Decimal from the text, never a float). Every problem is reported with
its line number, all at once, and nothing is imported then. A cell that begins like a
spreadsheet formula (=, +, -, @, a tab or a carriage return) is refused, so that no score file
can plant a formula in anything aicompare writes. The result holds one partial model table per
model (`{"benchmarks": {name: {"score": ..., "source": ...}}}`); which of those models the
catalog knows is decided by `attach`, with the catalog's names, before anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from aicompare.errors import CatalogError, UsageError
from aicompare.importers import UNKNOWN_MODEL as UNKNOWN
from aicompare.importers import ImportResult, ModelTable, Skip
from aicompare.schema import MAX_PRICE

NAME = "csv"
COLUMNS = ("model", "benchmark", "score", "source")
FORMULA = ("=", "+", "-", "@", "\t", "\r")
# A benchmark name is also a criterion (`--rank-by benchmark:NAME`, comma-separated): no commas
# or spaces, and it must begin with a letter or digit.
BENCHMARK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/+-]{0,63}$")
MAX_SOURCE = 500
MAX_ERRORS = 50  # a file of nothing but errors is reported in part, with a count of the rest


class Rows(list[tuple[int, dict[str, str]]]):
    """The data rows of a benchmarks CSV, each with its line number."""


def read(path: str | os.PathLike[str]) -> Rows:
    """Read and check the header; CatalogError naming the path and line for what is wrong."""
    from aicompare.textfile import read_text

    shown = str(path)
    text = read_text(path, "a CSV file")
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    rows = Rows()
    header: list[str] | None = None
    errors: list[str] = []
    try:
        for fields in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in fields):
                continue  # a blank line
            if header is None:
                header = [cell.strip().lower() for cell in fields]
                missing = [c for c in COLUMNS if c not in header]
                extra = [c for c in header if c not in COLUMNS]
                if missing or extra or len(set(header)) != len(header):
                    raise CatalogError(
                        [
                            f"{shown}:{line}: expected a header row naming the columns "
                            f"{', '.join(COLUMNS)}; got {', '.join(map(repr, fields))}"
                        ],
                        "the first row names the columns: model,benchmark,score,source",
                    )
                continue
            if len(fields) != len(header):
                errors.append(f"{shown}:{line}: expected {len(header)} cells, got {len(fields)}")
                continue
            rows.append((line, dict(zip(header, fields))))
    except csv.Error as exc:
        raise CatalogError([f"{shown}:{reader.line_num}: not valid CSV: {exc}"]) from None
    if header is None:
        raise CatalogError(
            [f"{shown}: empty: expected a header row naming {', '.join(COLUMNS)}"],
            "the first row names the columns: model,benchmark,score,source",
        )
    if errors:
        raise CatalogError(
            _capped(errors), "fix the lines named; nothing was imported", "the scores file"
        )
    return rows


def _capped(errors: list[str]) -> list[str]:
    if len(errors) <= MAX_ERRORS:
        return errors
    return [*errors[:MAX_ERRORS], f"... and {len(errors) - MAX_ERRORS} more"]


def _formula(cell: str) -> bool:
    return cell.startswith(FORMULA)


def _printable(cell: str) -> bool:
    return all(ch.isprintable() for ch in cell)


def _score(text: str) -> Decimal | str:
    """The score as an exact Decimal, or what is wrong with it."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return f"score {text!r} is not a number"
    if not value.is_finite():
        return f"score {text!r} is not a finite number"
    if value < 0:
        return f"score {text!r} is negative"
    if value > MAX_PRICE:
        return f"score {text!r} is implausibly large"
    return value


def convert(
    data: object, *, source: str, provider: str | None = None, as_of: dt.date
) -> ImportResult:
    """Rows of a benchmarks CSV into partial model tables; CatalogError listing every bad line."""
    del as_of  # a score file names its sources itself
    if provider is not None:
        raise UsageError(
            "--provider does not apply to --from csv",
            "a scores file names its models; import it whole",
        )
    if not isinstance(data, Rows):
        raise CatalogError([f"{source}: not a benchmarks CSV"], "use --from csv with a CSV file")
    errors: list[str] = []
    models: dict[str, ModelTable] = {}
    first: dict[tuple[str, str], int] = {}
    for line, row in data:
        where = f"{source}:{line}"
        cells = {key: value.strip() for key, value in row.items()}
        bad = [
            f"{where}: {key}: {value!r} begins like a spreadsheet formula (=, +, -, @); refused"
            for key, value in row.items()
            if key != "score" and _formula(value.strip() or value)
        ]
        bad += [
            f"{where}: {key}: contains a control or invisible character"
            for key, value in cells.items()
            if not _printable(value)
        ]
        model, bench, text, origin = (cells[c] for c in COLUMNS)
        for key in COLUMNS:
            if not cells[key]:
                bad.append(f"{where}: {key}: empty")
        if bench and not BENCHMARK_NAME.match(bench) and not _formula(bench):
            bad.append(
                f"{where}: benchmark: {bench!r} is not a benchmark name (letters, digits and "
                ". _ / + -, starting with a letter or digit, at most 64)"
            )
        if len(origin) > MAX_SOURCE:
            bad.append(f"{where}: source: longer than {MAX_SOURCE} characters")
        score = _score(text) if text else None
        if isinstance(score, str):
            bad.append(f"{where}: {score}")
        if not bad and model and bench:
            pair = (model.casefold(), bench)
            if pair in first:
                bad.append(
                    f"{where}: a second {bench} score for {model} (the first is on line "
                    f"{first[pair]})"
                )
            first.setdefault(pair, line)
        if bad:
            errors.extend(bad)
            continue
        assert isinstance(score, Decimal)
        table = models.setdefault(model, {"benchmarks": {}})
        table["benchmarks"][bench] = {"score": score, "source": origin}
    if errors:
        raise CatalogError(
            _capped(errors), "fix the lines named; nothing was imported", "the scores file"
        )
    return ImportResult(models=dict(sorted(models.items())))


def attach(
    models: Mapping[str, ModelTable], owner: Callable[[str], str | None]
) -> tuple[dict[str, ModelTable], list[Skip]]:
    """The scores of the models the catalog knows, keyed by the catalog's id (a row may name a
    model by an alias or snapshot); every other model is a Skip, listed by name."""
    kept: dict[str, dict[str, Any]] = {}
    skipped: list[Skip] = []
    for name, table in models.items():
        model_id = owner(name)
        if model_id is None:
            count = len(table.get("benchmarks", {}))
            skipped.append(
                Skip(name, f"{UNKNOWN} ({count} score{'s' if count != 1 else ''})", UNKNOWN)
            )
            continue
        merged = kept.setdefault(model_id, {"benchmarks": {}})
        for bench, score in table.get("benchmarks", {}).items():
            if bench in merged["benchmarks"]:
                skipped.append(
                    Skip(
                        f"{name}: {bench}",
                        f"a second {bench} score for {model_id}, under another of its names",
                        "a second score for the same model under another of its names",
                    )
                )
                continue
            merged["benchmarks"][bench] = score
    return kept, skipped
