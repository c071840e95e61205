"""Every CSV the tool writes loads as one clean table: a header row, one row per model (or line item),
numbers with nothing around them that parse as Decimal and equal the JSON's exact values, ISO dates,
status and successor in their own columns (docs/csv.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from aicompare.render.csv_views import (
    BEST_COLUMNS,
    COST_COLUMNS,
    ITEM_COLUMNS,
    MODEL_COLUMNS,
    PRICE_COLUMNS,
)

Cli = Callable[..., Run]
NUMBER_COLUMNS = {
    "context_window",
    "max_input_tokens",
    "max_output_tokens",
    *PRICE_COLUMNS,
    "batch_input",
    "batch_output",
    "image_from",
    "rank",
    "total",
    "delta",
    "delta_percent",
    "quantity",
    "unit_price",
    "cost",
}
DATE_COLUMNS = {"deprecation_date", "shutdown_date", "release_date", "as_of"}


def load(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows, checked to be one rectangular table of clean cells."""
    rows = list(csv.reader(io.StringIO(text)))
    assert rows, "no CSV"
    header, body = rows[0], rows[1:]
    assert len(set(header)) == len(header) and all(header), header
    for row in body:
        assert len(row) == len(header), row  # one table: no blank line, no second header
    records = [dict(zip(header, row)) for row in body]
    for record in records:
        for key, cell in record.items():
            assert "█" not in cell and "$" not in cell, (key, cell)
            if key in NUMBER_COLUMNS and cell:
                assert Decimal(cell) == Decimal(cell.strip()) and cell == cell.strip(), cell
                assert "," not in cell and not cell[-1:].isalpha(), (key, cell)  # no 1,000, 1M
            if key in DATE_COLUMNS and cell:
                assert dt.date.fromisoformat(cell).isoformat() == cell, (key, cell)
    return header, records


def number(cell: str) -> Decimal | None:
    return Decimal(cell) if cell else None


def exact(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _model_checks(record: dict[str, str], model: dict[str, Any]) -> None:
    """A model row against `show --json`'s document of the same model."""
    assert record["id"] == model["id"] and record["name"] == model["name"]
    assert record["provider"] == model["provider"] and record["type"] == model["type"]
    for key in ("context_window", "max_input_tokens", "max_output_tokens"):
        assert number(record[key]) == exact(model[key]), key
    for key in PRICE_COLUMNS:
        assert number(record[key]) == exact(model["prices"]["standard"].get(key)), key
    assert number(record["batch_input"]) == exact(model["prices"]["batch"].get("input"))
    assert number(record["batch_output"]) == exact(model["prices"]["batch"].get("output"))
    grid = [Decimal(v) for sizes in model["image_prices"].values() for v in sizes.values()]
    assert number(record["image_from"]) == (min(grid) if grid else None)
    assert record["status"] == model["status"]
    assert record["availability"] == model["availability"]
    assert record["free"] == ("true" if model["free"] else "false")
    life = model["lifecycle"]
    assert record["superseded_by"] == (life["superseded_by"] or "")
    assert record["live_successor"] == (life["live_successor"] or "")
    assert record["shutdown_date"] == (life["shutdown_date"] or "")
    assert record["deprecation_date"] == (life["deprecation_date"] or "")
    assert record["release_date"] == (model["release_date"] or "")
    assert record["capabilities"] == "; ".join(model["capabilities"])


def test_list_csv_is_one_row_per_model_with_the_json_values(cli: Cli) -> None:
    header, records = load(cli("list", "--format", "csv").stdout)
    assert tuple(header) == MODEL_COLUMNS
    listed = cli("list", "--json").json()["models"]
    assert [r["id"] for r in records] == [m["id"] for m in listed]
    for record in records:
        _model_checks(record, cli("show", record["id"], "--json").json()["model"])
    by_id = {r["id"]: r for r in records}
    # what the table shows as $5.00, 1M and "retired ...; superseded by ...", exactly
    assert by_id["alpha-large"]["input"] == "5" and by_id["alpha-large"]["context_window"] == (
        "1000000"
    )
    old = by_id["alpha-old"]
    assert old["status"] == "retired" and old["superseded_by"] == "alpha-mini"
    assert old["live_successor"] == "alpha-mini"


def test_show_and_diff_csv_are_model_rows(cli: Cli) -> None:
    header, records = load(cli("show", "pixel-one", "--format", "csv").stdout)
    assert tuple(header) == MODEL_COLUMNS and len(records) == 1
    _model_checks(records[0], cli("show", "pixel-one", "--json").json()["model"])
    ids = ["alpha-large", "alpha-mini", "pixel-one"]
    header, records = load(cli("diff", *ids, "--format", "csv").stdout)
    assert tuple(header) == MODEL_COLUMNS and [r["id"] for r in records] == ids
    models = cli("diff", *ids, "--json").json()["models"]
    for record, model in zip(records, models):
        _model_checks(record, model)


@pytest.mark.parametrize(
    "args",
    [
        ("cost", "--tokens", "5M"),
        ("cost", "--tokens", "5M", "--all"),
        ("cost", "alpha+pixel-one", "alpha-mini+pixel-flat", "--tokens", "5M", "--images", "2k"),
        ("cost", "alpha-large", "alpha-mini", "--tokens", "3M", "--baseline", "alpha-large"),
    ],
)
def test_cost_csv_holds_the_json_totals_and_line_items(cli: Cli, args: tuple[str, ...]) -> None:
    results = cli(*args, "--json").json()["results"]
    header, records = load(cli(*args, "--format", "csv").stdout)
    assert tuple(header) == COST_COLUMNS
    assert [r["model"] for r in records] == [r["model"] for r in results]
    for record, result in zip(records, results):
        assert number(record["rank"]) == exact(result["rank"])
        for key in ("total", "delta", "delta_percent"):
            assert number(record[key]) == exact(result[key]), key
        assert record["reference"] == (result["reference"] or "")
        assert record["servable"] == ("true" if result["servable"] else "false")
        assert record["cannot_serve"] == "; ".join(result["cannot_serve"])
        if len(result["models"]) == 1:
            (life,) = result["lifecycle"]
            assert record["status"] == life["status"]
            assert record["superseded_by"] == (life["superseded_by"] or "")
            assert record["live_successor"] == (life["live_successor"] or "")
        else:
            assert record["status"] == "; ".join(
                f"{life['model']}: {life['status']}" for life in result["lifecycle"]
            )
            dates = [life["shutdown_date"] for life in result["lifecycle"] if life["shutdown_date"]]
            assert record["shutdown_date"] == min(dates, default="")
    header, items = load(cli(*args, "--format", "csv", "--items").stdout)
    assert tuple(header) == ITEM_COLUMNS
    lines = [(r["model"], line) for r in results for line in r["line_items"]]
    assert len(items) == len(lines) and lines
    for item, (key, line) in zip(items, lines):
        assert item["estimate"] == key and item["model"] == line["model"]
        assert (item["kind"], item["unit"]) == (line["kind"], line["unit"])
        assert number(item["quantity"]) == line["quantity"]
        assert number(item["unit_price"]) == Decimal(line["unit_price"])
        assert number(item["cost"]) == Decimal(line["cost"])
        assert item["detail"] == (line["detail"] or "") and item["note"] == (line["note"] or "")
    # the line items of a row add up to its total, exactly
    for result in results:
        if result["total"] is not None:
            costs = [Decimal(i["cost"]) for i in items if i["estimate"] == result["model"]]
            assert sum(costs, Decimal(0)) == Decimal(result["total"])


def test_cost_items_is_for_csv_only(cli: Cli) -> None:
    for extra in ((), ("--json",), ("--format", "markdown")):
        ran = cli("cost", "--tokens", "1M", "--items", *extra)
        assert ran.exit_code == 2 and ran.stdout == ""
        assert "--items writes the line items as CSV: add --format csv" in ran.stderr


def test_best_csv_lists_every_candidate_with_its_pick(cli: Cli) -> None:
    document = cli("best", "--for", "image-generation", "--json").json()
    header, records = load(cli("best", "--for", "image-generation", "--format", "csv").stdout)
    assert tuple(header) == BEST_COLUMNS
    candidates = document["candidates"]
    assert [r["model"] for r in records] == [c["model"] for c in candidates] and records
    assert [r["rank"] for r in records] == [str(i) for i in range(1, len(records) + 1)]
    for record, candidate in zip(records, candidates):
        assert number(record["total"]) == exact(candidate["total"])
        assert number(record["context_window"]) == exact(candidate["context_window"])
        assert record["status"] == candidate["status"]
        assert record["live_successor"] == (candidate["live_successor"] or "")
    picks = {r["model"]: r["pick"] for r in records if r["pick"]}
    assert picks.get(document["top_pick"]["model"]) == "top"
    header, tasks = load(cli("best", "--list", "--format", "csv").stdout)
    assert header == ["task", "name", "requires", "workload"]
    assert [t["task"] for t in tasks] == [
        t["id"] for t in cli("best", "--list", "--json").json()["tasks"]
    ]


def test_catalog_export_csv_takes_the_filters_of_list(cli: Cli) -> None:
    header, everything = load(cli("catalog", "export", "--format", "csv").stdout)
    assert tuple(header) == MODEL_COLUMNS
    assert len(everything) == len(cli("list", "--json").json()["models"])
    for args in (
        ("--type", "image"),
        ("--provider", "acme", "--current"),
        ("--capability", "vision"),
    ):
        _, records = load(cli("catalog", "export", "--format", "csv", *args).stdout)
        listed = cli("list", *args, "--json", as_of=False).json()["models"]
        assert sorted(r["id"] for r in records) == sorted(m["id"] for m in listed), args
        assert 0 < len(records) < len(everything), args
    exported = cli("catalog", "export", "--format", "json", "--type", "image").json()["models"]
    assert {m["type"] for m in exported} == {"image"}
    toml = cli("catalog", "export", "--type", "image").stdout
    assert "[models.pixel-one]" in toml and "[models.alpha-large]" not in toml


def test_every_bundled_model_round_trips(bundled_cli: Cli) -> None:
    """The bundled catalog as list CSV: every number equals the JSON's exact value."""
    _, records = load(bundled_cli("list", "--format", "csv").stdout)
    models = bundled_cli("list", "--json").json()["models"]
    assert [r["id"] for r in records] == [m["id"] for m in models] and len(records) > 100
    for record, model in zip(records, models):
        for key in PRICE_COLUMNS:
            assert number(record[key]) == exact(model["prices"].get(key)), (model["id"], key)
        assert number(record["context_window"]) == exact(model["context_window"])
        assert number(record["image_from"]) == exact(model["image_price_from"])
        assert record["status"] == model["status"]
        assert record["superseded_by"] == (model["superseded_by"] or "")
        assert record["live_successor"] == (model["live_successor"] or "")


def _documented(heading: str) -> set[str]:
    """The column names in the first table under a heading of docs/csv.md."""
    text = (Path(__file__).parent.parent / "docs" / "csv.md").read_text("utf-8")
    section = text.split(f"\n{heading}\n", 1)[1]
    names: set[str] = set()
    for line in section.split("\n\n| column")[1].split("\n\n")[0].splitlines():
        first = line.split("|")[1] if line.startswith("|") else ""
        names.update(re.findall(r"`([a-z0-9_]+)`", first))
    return names


def test_docs_list_every_column() -> None:
    assert _documented("## Models: `list`, `show`, `diff`, `catalog export`") == set(MODEL_COLUMNS)
    assert _documented("## `cost`") == set(COST_COLUMNS)
    assert _documented("### `cost --items`") == set(ITEM_COLUMNS)
    assert _documented("## `best`") == set(BEST_COLUMNS)


def test_values_are_written_as_machine_values_and_text_as_neutralised_text() -> None:
    from aicompare.render.csv_views import CsvTable
    from aicompare.render.plain import to_csv

    table = CsvTable(
        ("text", "number", "negative", "count", "flag", "day", "list", "none"),
        [
            (
                "-1+2",
                Decimal("0.000275"),
                Decimal("-2.6250"),
                1047576,
                False,
                dt.date(2026, 10, 23),
                ("=cmd", "vision"),
                None,
            ),
            ("@SUM(A1)", Decimal("1E+3"), Decimal(0), 0, True, None, (), "a\x1bb"),
        ],
    )
    rows = list(csv.reader(io.StringIO(to_csv(table, "utf-8"))))
    assert rows == [
        ["text", "number", "negative", "count", "flag", "day", "list", "none"],
        ["'-1+2", "0.000275", "-2.625", "1047576", "false", "2026-10-23", "'=cmd; vision", ""],
        ["'@SUM(A1)", "1000", "0", "0", "true", "", "", "a\\x1bb"],
    ]
