"""`aicompare prices export`: every price over time, as CSV, Parquet or SQL."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from aicompare.commands.options import CatalogOpt, choice, fail_usage, load

FORMATS = ("csv", "parquet", "sql")
DIALECTS = ("standard", "bigquery")  # usage.price_table.DIALECTS, without importing it here


def command(
    format_: Annotated[
        str,
        typer.Option("--format", "-f", help="csv, parquet or sql.", click_type=choice(FORMATS)),
    ] = "csv",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="PATH", help="Write to this file instead of stdout."
        ),
    ] = None,
    dialect: Annotated[
        str,
        typer.Option(
            "--dialect",
            help="SQL only: standard (DuckDB, Spark SQL) or bigquery "
            "(BIGNUMERIC for the exact price).",
            click_type=choice(DIALECTS),
        ),
    ] = "standard",
    catalog_paths: CatalogOpt = None,
) -> None:
    """Write the price table: every price of every model and seller, with the dates it is in
    force, for repricing usage in a warehouse (docs/reprice.md).

    One row per model, seller's offer, price table (standard, batch, flex, priority, off_peak),
    long-context tier, price kind and price period; prices are exact (DECIMAL(38,18)).

    \b
    Examples:
      aicompare prices export -o prices.csv
      aicompare prices export --format parquet -o prices.parquet
      aicompare prices export --format sql > prices.sql
      aicompare prices export --format sql --dialect bigquery -o prices.sql
    """
    format_ = format_.lower()
    if format_ == "parquet" and output is None:
        fail_usage("Parquet is binary: give a file with -o", "--output")
    if dialect.lower() != "standard" and format_ != "sql":
        fail_usage("--dialect applies to --format sql only", "--dialect")
    if output is not None:
        from aicompare.store import writable_target

        writable_target(output)  # a FIFO, a device...: refused before any work, nothing created
    catalog = load(catalog_paths)
    from aicompare.usage import price_table

    rows = list(price_table.price_rows(catalog.models.values()))
    data: str | bytes
    if format_ == "csv":
        from aicompare.render.csv_views import CsvTable
        from aicompare.render.plain import to_csv

        table = CsvTable(price_table.COLUMNS, price_table.csv_rows(rows))
        data = to_csv(table, encoding=None if output is None else "utf-8")
    elif format_ == "sql":
        data = price_table.to_sql(rows, dialect.lower())
    else:
        data = price_table.to_parquet(rows)
    if output is None:
        assert isinstance(data, str)
        sys.stdout.write(data)
        return
    from aicompare.safe_text import visible
    from aicompare.store import atomic_write_text, unreadable_bits

    # no more readable than the least readable layer it holds (docs/catalog.md)
    deny = unreadable_bits(layer.path for layer in catalog.layers if layer.exists)
    atomic_write_text(output, data, backup=False, deny=deny)
    models = len({row.model for row in rows})
    sys.stderr.write(f"wrote {len(rows)} prices of {models} models to {visible(str(output))}\n")
