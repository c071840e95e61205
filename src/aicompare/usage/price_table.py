"""The price table for warehouse joins: every price of every model and offer, over time.

One row per (model, seller's offer, price table, long-context tier, price kind, image cell,
price period). `prices export` writes it as CSV, Parquet or SQL (CREATE TABLE + INSERTs), and
docs/reprice.md joins a usage table with it:

    usage.model = prices.model
    AND usage.seller = prices.offer            (or: usage.seller IS NULL AND prices.maker)
    AND prices.valid_from <= CAST(usage.time AS DATE) AND CAST(usage.time AS DATE) < prices.valid_to

Dates are UTC; `valid_from` of a record's first period is 0001-01-01 (in force since ever) and
`valid_to` of its last is 9999-12-31 (until further notice), so the join needs no NULL test.
Prices are exact decimal strings (USD; the unit says per what), declared DECIMAL(38,18): every
price must have at most 18 decimal places and 20 integer digits, checked here (an export never
rounds a price in silence). No typer or rich here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, NamedTuple

from aicompare.errors import AicompareError
from aicompare.fmt import dec
from aicompare.model import EVER, PRICE_UNITS, ImagePrice, Model, PricePeriod, Prices

PRECISION = 38
SCALE = 18
VALID_FROM_EVER = dt.date(1, 1, 1)  # the first period of a record: in force since ever
VALID_TO_OPEN = dt.date(9999, 12, 31)  # the last period: until further notice
TABLE = "aicompare_prices"  # the table name the SQL export creates
STANDARD = "standard"
IMAGE = "image"  # the price kind of a per-image price (quality and size in their columns)
UNIT_IMAGE = "per image"

COLUMNS = (
    "model",  # catalog id
    "seller",  # who sells it: the maker's provider id, or an offer's seller (azure, bedrock)
    "offer",  # the offer id MODEL@OFFER takes (azure-eu); the provider id for the maker's prices
    "maker",  # true for the maker's own prices
    "price_table",  # standard, batch, flex, priority or off_peak
    "above_input_tokens",  # 0, or a long-context tier's threshold (whole prompt above it)
    "price_kind",  # input, cached_input, output, ... (docs/catalog.md), or image
    "image_quality",  # per-image prices only (`any` matches every quality), else NULL
    "image_size",  # per-image prices only (`any` matches every size), else NULL
    "unit",  # per 1M tokens, per image, per 1,000 requests, ...
    "price",  # USD per unit, exact
    "valid_from",  # first UTC day in force
    "valid_to",  # first UTC day no longer in force
)
TABLES = (STANDARD, "batch", "flex", "priority", "off_peak")

# CSV and SQL text never hold a character that could end a quoted literal or a line; what a
# catalog layer names is checked against this before it is written (docs/catalog.md ids are far
# narrower): a quote or a backslash is refused, never escaped, as dialects escape them apart.
_SAFE_TEXT = re.compile(r"[^\x00-\x1f\x7f'\"\\]*")


class PriceRow(NamedTuple):
    model: str
    seller: str
    offer: str
    maker: bool
    price_table: str
    above_input_tokens: int
    price_kind: str
    image_quality: str | None
    image_size: str | None
    unit: str
    price: Decimal
    valid_from: dt.date
    valid_to: dt.date


class _Priced(NamedTuple):
    """One record's (the maker's or an offer's) prices and their periods."""

    seller: str
    offer: str
    maker: bool
    prices: Prices
    image_prices: tuple[ImagePrice, ...]
    periods: tuple[PricePeriod, ...]


def _records(model: Model) -> Iterator[_Priced]:
    yield _Priced(
        model.provider,
        model.provider,
        True,
        model.prices,
        model.image_prices,
        model.price_periods,
    )
    for offer in model.offers:
        yield _Priced(
            offer.seller, offer.id, False, offer.prices, offer.image_prices, offer.price_periods
        )


def _spans(record: _Priced) -> Iterator[tuple[Prices, tuple[ImagePrice, ...], dt.date, dt.date]]:
    """(prices, image prices, valid_from, valid_to) of each period of a record."""
    periods = record.periods or (PricePeriod(EVER, record.prices, record.image_prices),)
    for index, period in enumerate(periods):
        start = VALID_FROM_EVER if period.start == EVER else period.start
        end = periods[index + 1].start if index + 1 < len(periods) else VALID_TO_OPEN
        yield period.prices, period.image_prices, start, end


def check_price(price: Decimal, where: str) -> Decimal:
    """`price` itself, when DECIMAL(PRECISION, SCALE) holds it exactly; else an error."""
    if not price.is_finite() or price < 0:
        raise AicompareError(f"{where}: {price} is not a price", "correct the catalog layer")
    _, digits_, exponent = price.as_tuple()
    assert isinstance(exponent, int)  # finite
    significant = list(digits_)
    while exponent < 0 and len(significant) > 1 and significant[-1] == 0:
        significant.pop()  # trailing zeros are no places (never normalize(): it rounds)
        exponent += 1
    places = -exponent if exponent < 0 else 0
    digits = max(price.adjusted() + 1, 0)
    if places > SCALE or digits > PRECISION - SCALE:
        raise AicompareError(
            f"{where}: {price} does not fit DECIMAL({PRECISION},{SCALE}) exactly "
            f"(at most {SCALE} decimal places and {PRECISION - SCALE} integer digits)",
            "correct the price in the catalog layer; an export never rounds a price",
        )
    return price


def price_rows(models: Iterable[Model]) -> Iterator[PriceRow]:
    """Every price of every model and offer in every period, in catalog order."""
    for model in models:
        for record in _records(model):
            for prices, images, start, end in _spans(record):
                sets = [(table, 0, getattr(prices, table)) for table in TABLES]
                sets += [(STANDARD, tier.above_input_tokens, tier.prices) for tier in prices.tiers]
                for table, above, values in sets:
                    for kind, value in sorted(values.values.items()):
                        unit = PRICE_UNITS.get(kind, "")
                        yield _row(
                            model, record, table, above, kind, None, None, unit, value, start, end
                        )
                for cell in images:
                    yield _row(
                        model,
                        record,
                        STANDARD,
                        0,
                        IMAGE,
                        cell.quality,
                        cell.size,
                        UNIT_IMAGE,
                        cell.usd,
                        start,
                        end,
                    )


def _row(
    model: Model,
    record: _Priced,
    table: str,
    above: int,
    kind: str,
    quality: str | None,
    size: str | None,
    unit: str,
    price: Decimal,
    start: dt.date,
    end: dt.date,
) -> PriceRow:
    where = f"{model.id}@{record.offer} {table} {kind}"
    for text in (model.id, record.seller, record.offer, kind, quality or "", size or ""):
        if not _SAFE_TEXT.fullmatch(text):
            raise AicompareError(
                f"{where}: {text!r} holds a quote, a backslash or a control character",
                "rename it in the catalog layer; the price table writes names as they are",
            )
    return PriceRow(
        model.id,
        record.seller,
        record.offer,
        record.maker,
        table,
        above,
        kind,
        quality,
        size,
        unit,
        check_price(price, where),
        start,
        end,
    )


def plain(price: Decimal) -> str:
    """The exact decimal string of a price: no exponent, no trailing zeros ("2.5", "10")."""
    return dec(price)


def csv_rows(
    rows: Iterable[PriceRow],
) -> list[tuple[Any, ...]]:
    """The table's rows as values for a CSV (render.plain.to_csv writes them: NULL as an empty
    cell, booleans true/false, prices as their exact digits, dates ISO), under COLUMNS."""
    return [tuple(row) for row in rows]


# SQL dialects differ in one place: the exact decimal type. BigQuery's DECIMAL (NUMERIC) holds at
# most 9 decimal places; its BIGNUMERIC holds 38.
DIALECTS = ("standard", "bigquery")


def decimal_type(dialect: str) -> str:
    name = "BIGNUMERIC" if dialect == "bigquery" else "DECIMAL"
    return f"{name}({PRECISION},{SCALE})"


def create_table(dialect: str = "standard", table: str = TABLE) -> str:
    """The CREATE TABLE statement, in types DuckDB, Spark SQL and BigQuery all take."""
    types = {
        "maker": "BOOLEAN",
        "above_input_tokens": "BIGINT",
        "price": decimal_type(dialect),
        "valid_from": "DATE",
        "valid_to": "DATE",
    }
    columns = ",\n".join(f"  {name} {types.get(name, 'STRING')}" for name in COLUMNS)
    return f"CREATE TABLE {table} (\n{columns}\n);\n"


def _literal(value: str | None) -> str:
    return "NULL" if value is None else f"'{value}'"  # checked by _row: no quote inside


INSERT_BATCH = 500  # rows per INSERT: every engine takes a statement of this size


def to_sql(rows: Iterable[PriceRow], dialect: str = "standard", table: str = TABLE) -> str:
    """CREATE TABLE and INSERT ... VALUES statements (several rows each), portable SQL: string
    and DATE literals, prices as CAST('...' AS the decimal type), so no engine reads a float."""
    kind = decimal_type(dialect)
    parts = [
        "-- The aicompare price table: docs/reprice.md explains its columns and joins.\n",
        create_table(dialect, table),
    ]
    batch: list[str] = []

    def flush() -> None:
        if batch:
            parts.append(f"INSERT INTO {table} VALUES\n" + ",\n".join(batch) + ";\n")
            batch.clear()

    for row in rows:
        values = [
            _literal(row.model),
            _literal(row.seller),
            _literal(row.offer),
            "TRUE" if row.maker else "FALSE",
            _literal(row.price_table),
            str(row.above_input_tokens),
            _literal(row.price_kind),
            _literal(row.image_quality),
            _literal(row.image_size),
            _literal(row.unit),
            f"CAST('{plain(row.price)}' AS {kind})",
            f"DATE '{row.valid_from.isoformat()}'",
            f"DATE '{row.valid_to.isoformat()}'",
        ]
        batch.append("  (" + ", ".join(values) + ")")
        if len(batch) >= INSERT_BATCH:
            flush()
    flush()
    return "".join(parts)


PARQUET_HINT = (
    "install the fast extra (pip install 'aicompare[fast]', which brings duckdb), or pyarrow"
)


def to_parquet(rows: Iterable[PriceRow]) -> bytes:
    """The table as a Parquet file, written with duckdb or else pyarrow, whichever is installed;
    price is DECIMAL(38,18), the dates DATE, maker BOOLEAN."""
    import os
    import tempfile

    materialised = list(rows)
    with tempfile.TemporaryDirectory(prefix="aicompare-prices-") as folder:
        path = os.path.join(folder, "prices.parquet")
        _write_parquet(materialised, path)
        with open(path, "rb") as handle:
            return handle.read()


def _write_parquet(materialised: list[PriceRow], path: str) -> None:
    try:
        import duckdb
    except ImportError:
        pass
    else:
        _parquet_duckdb(duckdb, materialised, path)
        return
    try:
        import pyarrow as pa  # type: ignore[import-not-found, unused-ignore]
        import pyarrow.parquet as pq  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise AicompareError(
            "writing Parquet needs duckdb or pyarrow, and neither is installed", PARQUET_HINT
        ) from None
    schema = pa.schema(
        [
            (name, pa.bool_())
            if name == "maker"
            else (name, pa.int64())
            if name == "above_input_tokens"
            else (name, pa.decimal128(PRECISION, SCALE))
            if name == "price"
            else (name, pa.date32())
            if name in ("valid_from", "valid_to")
            else (name, pa.string())
            for name in COLUMNS
        ]
    )
    columns = {name: [getattr(row, name) for row in materialised] for name in COLUMNS}
    pq.write_table(pa.table(columns, schema=schema), path)


def _parquet_duckdb(duckdb: Any, rows: list[PriceRow], path: str) -> None:
    connection = duckdb.connect(":memory:")
    try:
        connection.execute("SET threads = 1")
        connection.execute(to_sql(rows))  # the portable SQL, run as it is
        connection.execute(f"COPY {TABLE} TO '{_sql_path(path)}' (FORMAT parquet)")
    finally:
        connection.close()


def _sql_path(path: str) -> str:
    return path.replace("'", "''")  # DuckDB's string literal; the path is our own temp file
