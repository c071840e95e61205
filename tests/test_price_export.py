"""`aicompare prices export`: the price table as CSV, SQL and Parquet, and the warehouse query of
docs/reprice.md run in DuckDB against an independent Decimal recomputation (and `reprice`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aicompare.errors import AicompareError
from aicompare.loader import load_catalog
from aicompare.model import EVER, PricePeriod, Prices, period_index
from aicompare.usage import price_table
from tests.conftest import Run

ROOT = Path(__file__).resolve().parent.parent
USAGE = Path(__file__).parent / "data" / "usage"
LAYER = USAGE / "warehouse_layer.toml"
USAGE_CSV = USAGE / "warehouse_usage.csv"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _duckdb() -> Any:
    return pytest.importorskip("duckdb", reason="duckdb is not installed (the fast extra)")


def test_csv_has_every_period_of_the_maker_and_offers(bundled_cli: Callable[..., Run]) -> None:
    ran = bundled_cli("prices", "export", "--catalog", str(LAYER))
    assert ran.exit_code == 0 and ran.stderr == ""
    rows = _rows(ran.stdout)
    assert list(rows[0]) == list(price_table.COLUMNS)
    mini = [
        (r["offer"], r["maker"], r["price_kind"], r["price"], r["valid_from"], r["valid_to"])
        for r in rows
        if r["model"] == "gpt-4o-mini"
        and r["offer"] in ("openai", "azure")
        and r["price_table"] == "standard"
        and r["price_kind"] in ("input", "output")
    ]
    assert mini == [
        ("openai", "true", "input", "0.15", "0001-01-01", "2026-10-15"),
        ("openai", "true", "output", "0.6", "0001-01-01", "2026-10-15"),
        ("openai", "true", "input", "0.2", "2026-10-15", "9999-12-31"),
        ("openai", "true", "output", "0.8", "2026-10-15", "9999-12-31"),
        ("azure", "false", "input", "0.15", "0001-01-01", "2026-10-15"),
        ("azure", "false", "output", "0.6", "0001-01-01", "2026-10-15"),
        ("azure", "false", "input", "0.25", "2026-10-15", "9999-12-31"),
        ("azure", "false", "output", "1", "2026-10-15", "9999-12-31"),
    ]
    # a model without periods: one row per price, in force since ever, until further notice
    eu = [r for r in rows if r["model"] == "gpt-4o-mini" and r["offer"] == "azure-eu"]
    assert {(r["seller"], r["valid_from"], r["valid_to"]) for r in eu} == {
        ("azure", "0001-01-01", "9999-12-31")
    }
    # the most precise price of the bundled catalog is written exactly, never rounded
    transcribe = [
        r["price"]
        for r in rows
        if r["model"] == "gpt-live-transcribe" and r["offer"] == "azure"
        if r["price_kind"] == "audio_input_per_minute"
    ]
    assert transcribe == ["0.01699999999998"]


def test_every_catalog_price_is_exported_exactly(bundled_cli: Callable[..., Run]) -> None:
    ran = bundled_cli("prices", "export")
    assert ran.exit_code == 0
    exported = {
        (
            r["model"],
            r["offer"],
            r["valid_from"],
            r["price_table"],
            r["above_input_tokens"],
            r["price_kind"],
        ): r
        for r in _rows(ran.stdout)
        if r["price_kind"] != "image"
    }
    catalog = load_catalog((), include_user=False)
    checked = dated = 0
    for model in catalog.models.values():
        for offer, record in [(model.provider, model)] + [(o.id, o) for o in model.offers]:
            # every period of the record (a scheduled price change is a row of its own, from
            # its date), not only the undated prices
            for period in record.price_periods or (PricePeriod(EVER, record.prices),):
                for table in price_table.TABLES:
                    for kind, value in getattr(period.prices, table).values.items():
                        key = (model.id, offer, period.start.isoformat(), table, "0", kind)
                        row = exported[key]
                        assert Decimal(row["price"]) == value and row["unit"], key
                        checked += 1
                        dated += period.start != EVER
    assert checked > 5000 and dated > 0


def test_tiers_and_images_have_their_own_rows(bundled_cli: Callable[..., Run]) -> None:
    rows = _rows(bundled_cli("prices", "export").stdout)
    tiers = [r for r in rows if r["above_input_tokens"] != "0"]
    images = [r for r in rows if r["price_kind"] == "image"]
    assert tiers and all(r["price_table"] == "standard" for r in tiers)
    assert images and all(r["unit"] == "per image" and r["image_size"] for r in images)
    assert all(r["image_quality"] == r["image_size"] == "" for r in rows if r not in images)


def test_sql_runs_in_duckdb_and_holds_the_csv_exactly(bundled_cli: Callable[..., Run]) -> None:
    duckdb = _duckdb()
    sql = bundled_cli("prices", "export", "--format", "sql", "--catalog", str(LAYER)).stdout
    text = bundled_cli("prices", "export", "--catalog", str(LAYER)).stdout
    assert sql.count("INSERT INTO aicompare_prices VALUES") >= 2  # batches of 500 rows
    assert "price DECIMAL(38,18)" in sql and "BIGNUMERIC" not in sql
    con = duckdb.connect()
    con.execute(sql)
    got = con.execute(
        "SELECT model, offer, price_table, above_input_tokens, price_kind, price, valid_from "
        "FROM aicompare_prices"
    ).fetchall()
    want = [
        (
            r["model"],
            r["offer"],
            r["price_table"],
            int(r["above_input_tokens"]),
            r["price_kind"],
            Decimal(r["price"]),
            dt.date.fromisoformat(r["valid_from"]),
        )
        for r in _rows(text)
    ]
    assert sorted(got, key=repr) == sorted(want, key=repr)
    assert con.execute("SELECT typeof(price) FROM aicompare_prices LIMIT 1").fetchone() == (
        "DECIMAL(38,18)",
    )


def test_sql_for_bigquery_declares_bignumeric(bundled_cli: Callable[..., Run]) -> None:
    ran = bundled_cli("prices", "export", "--format", "sql", "--dialect", "bigquery")
    assert ran.exit_code == 0
    assert "price BIGNUMERIC(38,18)" in ran.stdout
    assert "CAST('0.15' AS BIGNUMERIC(38,18))" in ran.stdout
    assert "DECIMAL" not in ran.stdout


def test_parquet_is_written_with_exact_decimals(
    bundled_cli: Callable[..., Run], tmp_path: Path
) -> None:
    duckdb = _duckdb()
    target = tmp_path / "prices.parquet"
    ran = bundled_cli(
        "prices", "export", "-f", "parquet", "-o", str(target), "--catalog", str(LAYER)
    )
    assert ran.exit_code == 0 and ran.stdout == ""
    assert re.fullmatch(
        rf"wrote \d+ prices of \d+ models to {re.escape(str(target))}\n", ran.stderr
    )
    con = duckdb.connect()
    types = dict(con.execute(f"DESCRIBE SELECT * FROM '{target}'").fetchall()[i][:2] for i in (10,))
    assert types == {"price": "DECIMAL(38,18)"}
    got = con.execute(
        f"SELECT price, valid_from, valid_to FROM '{target}' WHERE model = 'gpt-4o-mini' "
        "AND offer = 'azure' AND price_kind = 'cached_input' ORDER BY valid_from"
    ).fetchall()
    assert got == [
        (Decimal("0.075"), dt.date(1, 1, 1), dt.date(2026, 10, 15)),
        (Decimal("0.125"), dt.date(2026, 10, 15), dt.date(9999, 12, 31)),
    ]


def test_parquet_without_a_writer_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import fails: not installed
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    row = next(price_table.price_rows(load_catalog((), include_user=False).models.values()))
    with pytest.raises(AicompareError) as caught:
        price_table.to_parquet([row])
    assert (
        caught.value.message == "writing Parquet needs duckdb or pyarrow, and neither is installed"
    )
    assert caught.value.hint is not None and "aicompare[fast]" in caught.value.hint


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-f", "parquet"],
            "error: invalid value for '--output': Parquet is binary: give a file with -o",
        ),
        (
            ["--dialect", "bigquery"],
            "error: invalid value for '--dialect': --dialect applies to --format sql only",
        ),
        (
            ["-f", "xml"],
            "error: invalid value for '--format' / '-f': 'xml' is not one of 'csv', 'parquet', 'sql'",
        ),
    ],
)
def test_usage_errors_exit_2(
    bundled_cli: Callable[..., Run], args: list[str], message: str
) -> None:
    ran = bundled_cli("prices", "export", *args)
    assert ran.exit_code == 2 and ran.stdout == ""
    assert ran.stderr.splitlines() == [message, "see: aicompare prices export --help"]


def test_a_price_the_decimal_type_cannot_hold_is_refused(
    bundled_cli: Callable[..., Run], tmp_path: Path
) -> None:
    layer = tmp_path / "layer.toml"
    layer.write_text(
        "schema_version = 1\n[models.gpt-4o-mini.prices]\n"
        "input = 0.0000000000000000001\noutput = 0.6\n"
    )
    target = tmp_path / "out.csv"
    ran = bundled_cli("prices", "export", "--catalog", str(layer), "-o", str(target))
    assert ran.exit_code == 1 and ran.stdout == "" and not target.exists()
    assert ran.stderr.splitlines() == [
        "error: gpt-4o-mini@openai standard input: 1E-19 does not fit DECIMAL(38,18) exactly "
        "(at most 18 decimal places and 20 integer digits)",
        "correct the price in the catalog layer; an export never rounds a price",
    ]


def test_check_price_bounds() -> None:
    assert price_table.check_price(Decimal("0.000000000000000001"), "x") == Decimal("1E-18")
    assert price_table.check_price(Decimal("99999999999999999999"), "x")
    with pytest.raises(AicompareError, match="does not fit"):
        price_table.check_price(Decimal("100000000000000000000"), "x")


def test_a_name_with_a_quote_is_refused() -> None:
    from aicompare.model import Model, Offer, PriceSet

    offer = Offer("it's", "x", prices=Prices(PriceSet({"input": Decimal(1)})))
    model = Model("m", "p", "text", "M", offers=(offer,))
    with pytest.raises(AicompareError, match="holds a quote, a backslash or a control"):
        list(price_table.price_rows([model]))


# ---------------------------------------------------------------- the warehouse query


def _doc_sql() -> str:
    """The query of docs/reprice.md's "Repricing in a warehouse", as the page shows it."""
    text = (ROOT / "docs" / "reprice.md").read_text(encoding="utf-8")
    section = text.split("## Repricing in a warehouse", 1)[1]
    blocks = re.findall(r"```sql\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "the section has one SQL block: the query"
    return blocks[0]


def _expected() -> tuple[dict[tuple[str, str], Decimal | None], dict[tuple[str, str], int]]:
    """Cost per (model, seller) of the fixture usage, computed with Decimal straight from the
    catalog records (not the export), and the unpriced rows per group."""
    catalog = load_catalog([str(LAYER)], include_user=False)
    costs: dict[tuple[str, str], Decimal | None] = {}
    unpriced: dict[tuple[str, str], int] = defaultdict(int)
    with USAGE_CSV.open(newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["model"], row["seller"])
            costs.setdefault(key, None)
            model = catalog.models.get(row["model"])
            seller = row["seller"]
            record: Any = None
            if model is not None:
                record = model if seller in ("", model.provider) else model.offer(seller)
            if record is None:
                unpriced[key] += 1
                continue
            periods = record.price_periods or (PricePeriod(EVER, record.prices),)
            day = dt.datetime.fromisoformat(row["time"]).date()
            prices = periods[period_index(periods, day)].prices.standard.values
            base = prices.get("input")
            rates = {
                "input_tokens": base,
                "cached_input_tokens": prices.get("cached_input", base),
                "cache_write_tokens": prices.get("cache_write", base),
                "output_tokens": prices.get("output"),
            }
            cost = Decimal(0)
            for column, rate in rates.items():
                tokens = int(row[column])
                if tokens and rate is None:
                    unpriced[key] += 1
                    break
                cost += tokens * (rate or 0) / Decimal(1_000_000)
            else:
                costs[key] = (costs[key] or Decimal(0)) + cost
    return costs, unpriced


def _run_doc_sql(bundled_cli: Callable[..., Run]) -> list[tuple[Any, ...]]:
    duckdb = _duckdb()
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(bundled_cli("prices", "export", "--format", "sql", "--catalog", str(LAYER)).stdout)
    con.execute(
        "CREATE TABLE llm_usage AS SELECT * FROM read_csv(?, header = true, columns = {"
        "'model': 'VARCHAR', 'seller': 'VARCHAR', 'time': 'TIMESTAMP', "
        "'input_tokens': 'BIGINT', 'cached_input_tokens': 'BIGINT', "
        "'cache_write_tokens': 'BIGINT', 'output_tokens': 'BIGINT'})",
        [str(USAGE_CSV)],
    )
    rows: list[tuple[Any, ...]] = con.execute(_doc_sql()).fetchall()
    return rows


def test_the_documented_sql_reprices_to_the_cent(bundled_cli: Callable[..., Run]) -> None:
    got = {(r[0], r[1]): (r[3], r[-1]) for r in _run_doc_sql(bundled_cli)}
    costs, unpriced = _expected()
    assert set(got) == set(costs)
    for key, cost in costs.items():
        rows_unpriced, sql_cost = got[key]
        assert rows_unpriced == unpriced.get(key, 0), key
        if cost is None:
            assert sql_cost is None, key  # all unpriced: no cost, never $0
        else:
            assert sql_cost is not None and abs(sql_cost - cost) < Decimal("0.005"), key
            assert sql_cost == cost.quantize(Decimal("1E-12")), key  # in fact exact
    # by hand: 1.2M x 0.15 + 0.3M x 0.075 + 0.45M x 0.6 on 2026-10-14, then the new period on
    # 2026-10-15: 1M x 0.20 + 0.25M x 0.10 + 0.4M x 0.80 -> 0.4725 + 0.545
    assert got[("gpt-4o-mini", "")][1] == Decimal("1.0175")
    # an unknown model is unpriced, counted, and not $0
    assert got[("ft:gpt-4o-mini:acme", "")] == (2, None)
    # a cache read where the offer has no cache price is billed as input (deepseek on openrouter)
    assert got[("deepseek-chat", "openrouter")][1] == Decimal("0.2002") + Decimal("0.168021")


def test_the_documented_sql_matches_reprice(bundled_cli: Callable[..., Run]) -> None:
    sql = _run_doc_sql(bundled_cli)
    total = sum(r[-1] for r in sql if r[-1] is not None)
    ran = bundled_cli(
        "reprice",
        str(USAGE_CSV),
        "--map",
        "model=model,seller=seller,time=time,input=input_tokens,cached=cached_input_tokens,"
        "cache_write=cache_write_tokens,output=output_tokens,input_includes_cached=no",
        "--by",
        "model,seller",
        "--catalog",
        str(LAYER),
        "--json",
    )
    assert ran.exit_code == 0, ran.stderr
    document = ran.json()
    cent = Decimal("0.01")
    assert Decimal(document["total"]).quantize(cent) == total.quantize(cent)
    assert Decimal(document["total"]) == total  # in fact exact
    # the rows neither can price: the same count, and listed by reprice, never $0
    assert sum(item["rows"] for item in document["unpriced"]) == sum(r[3] for r in sql) == 2
    assert [item["model"] for item in document["unpriced"]] == ["ft:gpt-4o-mini:acme"]


def test_a_file_export_of_a_private_layer_is_private(tmp_path: Path) -> None:
    """Through the console script: the file is no more readable than the layers it holds (as
    `catalog export -o`), and the one line on stderr says what was written."""
    import os
    import subprocess

    from tests.terminal import aicompare, base_env

    layer = tmp_path / "private.toml"
    layer.write_text(LAYER.read_text())
    layer.chmod(0o600)
    target = tmp_path / "prices.sql"
    env = base_env()
    env.pop("AICOMPARE_BASE_CATALOG")  # the bundled catalog
    proc = subprocess.run(
        [*aicompare(), "prices", "export", "-f", "sql", "-o", str(target), "--catalog", str(layer)],
        capture_output=True,
        text=True,
        env=env,
        cwd="/",
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout == ""
    assert re.fullmatch(
        rf"wrote \d+ prices of \d+ models to {re.escape(str(target))}\n", proc.stderr
    )
    assert os.stat(target).st_mode & 0o077 == 0
    assert target.read_text().startswith("-- The aicompare price table")
