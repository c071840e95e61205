"""`reprice`: usage rows priced at the prices of their date, with totals worked by hand.

The catalog is tests/data/reprice/catalog.toml (round figures, USD per 1M tokens):
- tx-one (acme): input 2, cached 0.5, cache writes 2.5 (1-hour: 4), output 8; batch input 1, output 4; prompts
  over 100k: input 4, output 12. From 2026-10-15: input 1, cached 0.25, output 4. Sold by cloudco
  (`acme.tx-one-v1`, `cloudco/acme.tx-one-v1`) at input 3, output 9.
- tx-two (acme): input 1, output 2, no cached price; prompts over 30k: input 1.5, output 3;
  50k-token context.
- tx-old (acme): input 4, output 16; deprecated 2026-06-01, shuts down 2026-12-31, superseded by
  tx-two.
- cloudco also sells tx-old (input 5, output 20) and tx-two (input 0.5, output 1; in the eu,
  offer cloudco-eu: input 0.6, output 1.2).
The catalog's long-context thresholds are 30k and 100k: prompt buckets 0, 1 and 2.

The CLI tests here read a small CSV of their own through a minimal stand-in for
`aicompare.usage.readers` (tests only), so each row's figures are plain to see; the real readers
are tested on their fixtures in test_usage_readers.py and test_reprice_formats.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
import types
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Run

from aicompare.catalog import Catalog
from aicompare.loader import ENV_BASE, load_catalog
from aicompare.render.csv_views import reprice_csv
from aicompare.render.reprice_views import reprice_document
from aicompare.usage.aggregate import aggregate, bucket, thresholds
from aicompare.usage.readers import UsageRecords
from aicompare.usage.reprice import RepriceResult, parse_cheapest, reprice
from aicompare.usage.rows import RecordedCost, UsageRow

CATALOG = Path(__file__).parent / "data" / "reprice" / "catalog.toml"
TODAY = dt.date(2026, 11, 21)
M = 1_000_000


def at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)


@pytest.fixture
def catalog(monkeypatch: pytest.MonkeyPatch) -> Catalog:
    monkeypatch.setenv(ENV_BASE, str(CATALOG))
    return load_catalog(())


def run(
    catalog: Catalog,
    records: list[UsageRow | RecordedCost],
    *,
    by: tuple[str, ...] = ("model",),
    on: tuple[str, ...] = (),
    migrate: bool = False,
) -> RepriceResult:
    limits = thresholds(catalog)
    aggregation = aggregate(records, limits, by_project="project" in by, by_key="key" in by)
    return reprice(catalog, aggregation, limits, TODAY, by=by, on=on, migrate=migrate)


def costs(result: RepriceResult) -> dict[tuple[str | None, ...], Decimal]:
    return {tuple(g.keys.values()): g.cost for g in result.groups}


# ---------------------------------------------------------------- aggregation


def test_thresholds_and_buckets(catalog: Catalog) -> None:
    limits = thresholds(catalog)
    assert limits == (30_000, 100_000)
    assert [bucket(n, limits) for n in (None, 1, 30_000, 30_001, 100_000, 100_001)] == [
        None,
        0,
        0,
        1,
        1,
        2,
    ]


def test_aggregates_are_bounded_by_keys_not_rows(catalog: Catalog) -> None:
    rows = [
        UsageRow("tx-one", time=at("2026-10-01", hour), input_tokens=10, output_tokens=1)
        for hour in range(24)
    ] * 50
    aggregation = aggregate(rows, thresholds(catalog))
    assert aggregation.rows == 1200
    assert len(aggregation.groups) == 1
    (totals,) = aggregation.groups.values()
    assert (totals.rows, totals.requests, totals.count("input_tokens")) == (1200, 1200, 12_000)


def test_a_time_with_an_offset_counts_on_its_utc_day(catalog: Catalog) -> None:
    late = dt.datetime(2026, 10, 14, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-2)))
    aggregation = aggregate([UsageRow("tx-one", time=late)], thresholds(catalog))
    assert [key.day for key in aggregation.groups] == [dt.date(2026, 10, 15)]


# ---------------------------------------------------------------- prices over time


def test_a_row_before_and_after_a_price_change(catalog: Catalog) -> None:
    # 2026-10-14: 1M x $2 + 0.5M x $8 = $6; 2026-10-15 (new period): 1M x $1 + 0.5M x $4 = $3
    rows: list[UsageRow | RecordedCost] = [
        UsageRow("tx-one", time=at(day), input_tokens=M, output_tokens=M // 2)
        for day in ("2026-10-14", "2026-10-15")
    ]
    result = run(catalog, rows, by=("day",))
    assert result.total == Decimal(9)
    assert costs(result) == {("2026-10-14",): Decimal(6), ("2026-10-15",): Decimal(3)}
    assert result.period == (dt.date(2026, 10, 14), dt.date(2026, 10, 15))
    assert result.items == {"input": Decimal(3), "output": Decimal(6)}


def test_a_row_without_a_time_is_priced_today_and_said(catalog: Catalog) -> None:
    result = run(catalog, [UsageRow("tx-one", input_tokens=M)])
    assert result.total == Decimal(1)  # today's period: $1
    assert "1 row without a time: priced at the prices of 2026-11-21" in result.notes


# ---------------------------------------------------------------- sellers


def test_sellers_offer_else_the_makers_prices_said(catalog: Catalog) -> None:
    day = at("2026-10-01")
    rows: list[UsageRow | RecordedCost] = [
        # the seller's own id with the seller apart (a gateway's log): cloudco, $3 + $9
        UsageRow("acme.tx-one-v1", seller="cloudco", time=day, input_tokens=M, output_tokens=M),
        # the seller's id as one name: the same offer
        UsageRow("cloudco/acme.tx-one-v1", time=day, input_tokens=M, output_tokens=M),
        # MODEL@SELLER
        UsageRow("tx-one@cloudco", time=day, input_tokens=M, output_tokens=M),
        # the maker as seller, and a seller the catalog has no offer of: the maker's, $2 + $8
        UsageRow("tx-one", seller="acme", time=day, input_tokens=M, output_tokens=M),
        UsageRow("tx-one", seller="elsewhere", time=day, input_tokens=M, output_tokens=M),
    ]
    result = run(catalog, rows, by=("seller", "model"))
    assert costs(result) == {("acme", "tx-one"): Decimal(20), ("cloudco", "tx-one"): Decimal(36)}
    assert result.total == Decimal(56)
    assert (
        "tx-one: the catalog has no elsewhere offer of tx-one: priced at the maker's prices (1 row)"
        in result.notes
    )


def test_a_gateways_maker_prefix_is_the_makers_model(catalog: Catalog) -> None:
    day = at("2026-10-01")
    rows: list[UsageRow | RecordedCost] = [
        # LiteLLM's `maker/model`: the maker's prices, $2 + $8
        UsageRow("acme/tx-one", time=day, input_tokens=M, output_tokens=M),
        # a prefix that is not the model's maker (nor a seller's id) stays unknown
        UsageRow("other/tx-one", time=day, input_tokens=M, output_tokens=M),
    ]
    result = run(catalog, rows, by=("seller", "model"))
    assert costs(result) == {("acme", "tx-one"): Decimal(10), (None, "other/tx-one"): None}
    assert [(u.model, u.reason) for u in result.unpriced] == [
        ("other/tx-one", "not in the catalog")
    ]


def test_a_dated_id_is_read_undated_only_where_the_catalog_names_snapshots_so(
    catalog: Catalog,
) -> None:
    day = at("2026-10-01")
    rows: list[UsageRow | RecordedCost] = [
        UsageRow("tx-one-2026-01-01", time=day, input_tokens=M),  # listed: $2
        UsageRow("tx-one-2026-09-09", time=day, input_tokens=M),  # same pattern: $2, said
        UsageRow("tx-two-2026-09-09", time=day, input_tokens=M),  # tx-two lists none: unpriced
    ]
    result = run(catalog, rows)
    assert costs(result)[("tx-one",)] == Decimal(4)
    assert any(n.startswith("tx-one: `tx-one-2026-09-09` is not a snapshot") for n in result.notes)
    assert [(u.model, u.reason) for u in result.unpriced] == [
        ("tx-two-2026-09-09", "not in the catalog")
    ]


# ---------------------------------------------------------------- long-context tiers


def test_each_rows_prompt_picks_its_tier(catalog: Catalog) -> None:
    day = at("2026-10-01")
    rows: list[UsageRow | RecordedCost] = [
        # bucket 1 (over 30k, not over 100k): tx-one's standard rates: 0.05M x 2 + 0.001M x 8
        UsageRow("tx-one", time=day, input_tokens=50_000, output_tokens=1000, prompt_tokens=50_000),
        # bucket 2: tx-one's tier: 0.15M x 4 + 0.001M x 12
        UsageRow(
            "tx-one", time=day, input_tokens=150_000, output_tokens=1000, prompt_tokens=150_000
        ),
    ]
    result = run(catalog, rows, on=("tx-two",))
    assert result.total == Decimal("0.108") + Decimal("0.612")
    (what,) = result.what_if
    # on tx-two the 50k prompt is over its 30k tier: 0.05M x 1.5 + 0.001M x 3; the 150k one is
    # over its 50k context
    assert what.total == Decimal("0.078")
    assert what.baseline == Decimal("0.108")
    assert what.difference == Decimal("-0.030")
    assert what.cannot_serve == (("prompts of 150,000 tokens (tx-two takes at most 50,000)", 1),)


def test_rows_without_a_prompt_size_are_priced_below_the_tiers_and_said(catalog: Catalog) -> None:
    rows: list[UsageRow | RecordedCost] = [
        UsageRow("tx-one", time=at("2026-10-01"), input_tokens=150_000, requests=3)
    ]
    result = run(catalog, rows)
    assert result.total == Decimal("0.3")  # 0.15M x $2: no tier applied
    assert (
        "tx-one: rows without a prompt size are priced below its long-context tiers "
        "(over 100,000 tokens), which could not be applied (1 row)"
    ) in result.notes


# ---------------------------------------------------------------- unpriced, never $0


def test_unpriced_rows_are_listed_with_their_volumes(catalog: Catalog) -> None:
    day = at("2026-10-01")
    rows: list[UsageRow | RecordedCost] = [
        *[UsageRow("ft:tx-one:acme::abc", time=day, input_tokens=100, output_tokens=10)] * 3,
        UsageRow("mystery-model", time=day, input_tokens=5),
        UsageRow("tx-one", time=day, audio_input_tokens=1000),
        UsageRow("tx-one", time=day, input_tokens=M),
    ]
    result = run(catalog, rows)
    assert result.total == Decimal(2)
    assert (result.rows, result.priced_rows) == (6, 1)
    listed = [
        (u.model, u.rows, u.counts["input"], u.counts["output"], u.reason) for u in result.unpriced
    ]
    assert listed == [
        ("ft:tx-one:acme::abc", 3, 300, 30, "fine-tuned model, no price"),
        ("mystery-model", 1, 5, 0, "not in the catalog"),
        (
            "tx-one",
            1,
            0,
            0,
            "cannot be priced: audio input tokens (no audio input price for tx-one in the catalog)",
        ),
    ]
    group = result.groups[-1]
    assert (group.keys, group.rows, group.unpriced_rows, group.cost) == (
        {"model": "tx-one"},
        2,
        1,
        Decimal(2),
    )


def test_a_service_tier_the_catalog_does_not_price_is_unpriced(catalog: Catalog) -> None:
    rows: list[UsageRow | RecordedCost] = [
        UsageRow("tx-one", time=at("2026-10-01"), input_tokens=M, tier="flex"),
        UsageRow("tx-one", time=at("2026-10-01"), input_tokens=M, tier="turbo"),
    ]
    reasons = [u.reason for u in run(catalog, rows).unpriced]
    assert reasons == [
        "cannot be priced: the flex tier (no flex prices for tx-one in the catalog)",
        "the turbo service tier (the catalog prices standard, flex, priority)",
    ]


def test_batch_rows_are_priced_at_batch_rates(catalog: Catalog) -> None:
    rows: list[UsageRow | RecordedCost] = [
        UsageRow("tx-one", time=at("2026-10-01"), input_tokens=M, output_tokens=M, batch=True)
    ]
    assert run(catalog, rows).total == Decimal(5)  # $1 + $4


# ---------------------------------------------------------------- what-if


def test_what_if_keeps_cached_input_cached_where_it_can_else_bills_it_as_input(
    catalog: Catalog,
) -> None:
    rows: list[UsageRow | RecordedCost] = [
        UsageRow("tx-one", time=at("2026-10-01"), input_tokens=M, cached_input_tokens=4 * M)
    ]
    result = run(catalog, rows, on=("tx-two", "tx-one@cloudco"))
    assert result.total == Decimal(4)  # 1M x $2 + 4M x $0.5
    two, cloud = result.what_if
    assert (two.model, two.total, two.difference) == ("tx-two", Decimal(5), Decimal(1))  # 5M x $1
    assert two.notes == (
        "tx-two: no cached input price in the catalog; billed at the input rate (1 row)",
    )
    # cloudco has no cached price either: 5M x $3
    assert (cloud.model, cloud.total, cloud.difference) == (
        "tx-one@cloudco",
        Decimal(15),
        Decimal(11),
    )


def test_what_if_bills_one_hour_writes_as_five_minute_writes_where_it_must(
    catalog: Catalog,
) -> None:
    rows: list[UsageRow | RecordedCost] = [
        UsageRow("tx-one", time=at("2026-10-01"), input_tokens=M, cache_write_tokens=M)
    ]
    result = run(catalog, rows, on=("tx-two",))
    assert result.total == Decimal("4.5")  # $2 + $2.5
    (what,) = result.what_if
    assert what.total == Decimal(2)  # tx-two has no write price: input rate, $1 + $1
    assert what.notes == (
        "tx-two: no cache write price in the catalog; billed at the input rate (1 row)",
    )


def test_what_if_one_hour_writes_fall_to_five_minute_writes_then_input(catalog: Catalog) -> None:
    rows: list[UsageRow | RecordedCost] = [
        UsageRow("tx-one", time=at("2026-10-01"), cache_write_1h_tokens=M)
    ]
    result = run(catalog, rows, on=("tx-two",))
    assert result.total == Decimal(4)  # tx-one's 1-hour write price
    (what,) = result.what_if
    assert what.total == Decimal(1)  # tx-two: no write prices at all: 1M at its input rate
    assert what.notes == (
        "tx-two: no 1-hour cache write price; 1-hour writes billed as 5-minute writes (1 row)",
        "tx-two: no cache write price in the catalog; billed at the input rate (1 row)",
    )
    # after 2026-10-15 tx-one's period has no 1-hour price: those rows cannot be priced
    late = run(catalog, [UsageRow("tx-one", time=at("2026-10-20"), cache_write_1h_tokens=M)])
    assert late.total == 0 and late.priced_rows == 0
    assert late.unpriced[0].reason == (
        "cannot be priced: 1-hour cache writes (no cache write 1h price for tx-one in the catalog)"
    )


def test_cheapest_ranks_the_catalogs_current_text_models(catalog: Catalog) -> None:
    rows: list[UsageRow | RecordedCost] = [
        UsageRow("tx-old", time=at("2026-10-01"), input_tokens=M, output_tokens=M)
    ]
    result = run(catalog, rows, on=("cheapest 5",))
    # tx-two $3, tx-one $10 (its period before 2026-10-15); tx-old is deprecated: not ranked
    assert [(w.rank, w.model, w.total, w.difference) for w in result.what_if] == [
        (1, "tx-two", Decimal(3), Decimal(-17)),
        (2, "tx-one", Decimal(10), Decimal(-10)),
    ]


def test_cheapest_without_priced_rows_says_so(catalog: Catalog) -> None:
    result = run(catalog, [UsageRow("nothing-known", input_tokens=M)], on=("cheapest 2",))
    assert result.what_if == []
    assert "cheapest 2: no priced rows to rank the catalog on" in result.notes


@pytest.mark.parametrize(
    ("text", "count"),
    [("cheapest", 5), ("cheapest 3", 3), ("Cheapest:2", 2), ("cheapest=10", 10), ("tx-one", None)],
)
def test_parse_cheapest(text: str, count: int | None) -> None:
    assert parse_cheapest(text) == count


def test_csv_kinds_are_the_engines() -> None:
    from aicompare.render.csv_views import REPRICE_KINDS
    from aicompare.usage.reprice import KINDS

    assert REPRICE_KINDS == KINDS


# ---------------------------------------------------------------- migration


def test_migrate_prices_deprecated_models_on_their_live_successor(catalog: Catalog) -> None:
    rows: list[UsageRow | RecordedCost] = [
        UsageRow("tx-old", time=at("2026-10-01"), input_tokens=M, output_tokens=M),  # $20
        UsageRow("tx-old", time=at("2026-11-01"), input_tokens=2 * M),  # $8
        UsageRow("tx-one", time=at("2026-11-01"), input_tokens=M),  # current: not migrated
    ]
    result = run(catalog, rows, migrate=True)
    assert result.migration is not None
    (migration,) = result.migration
    assert (migration.model, migration.status, migration.shutdown_date, migration.successor) == (
        "tx-old",
        "deprecated",
        dt.date(2026, 12, 31),
        "tx-two",
    )
    assert migration.current == Decimal(28)
    assert migration.on_successor is not None
    assert migration.on_successor.total == Decimal(5)  # $1 + $2, then $2
    assert [(m.month, m.current, m.successor, m.difference) for m in migration.months] == [
        ("2026-10", Decimal(20), Decimal(3), Decimal(-17)),
        ("2026-11", Decimal(8), Decimal(2), Decimal(-6)),
    ]


def test_migrate_keeps_the_rows_seller_where_it_sells_the_successor(catalog: Catalog) -> None:
    rows: list[UsageRow | RecordedCost] = [
        UsageRow("tx-old", seller="cloudco", time=at("2026-10-01"), input_tokens=M, output_tokens=M)
    ]
    result = run(catalog, rows, migrate=True)
    assert result.migration is not None
    (migration,) = result.migration
    assert migration.current == Decimal(25)  # cloudco's tx-old: $5 + $20
    assert migration.on_successor is not None
    assert migration.on_successor.total == Decimal("1.5")  # cloudco's tx-two: $0.5 + $1
    assert [m.difference for m in migration.months] == [Decimal("-23.5")]


def test_without_migrate_there_is_no_migration(catalog: Catalog) -> None:
    result = run(catalog, [UsageRow("tx-old", time=at("2026-10-01"), input_tokens=M)])
    assert result.migration is None
    assert "migration" not in reprice_document(result)


# ---------------------------------------------------------------- reconciliation


def test_reconciliation_against_the_logs_own_cost_and_a_cost_report(catalog: Catalog) -> None:
    rows: list[UsageRow | RecordedCost] = [
        # list price 0.1M x $1 + 0.1M x $2 = $0.30, the log says $0.50
        UsageRow(
            "tx-two",
            time=at("2026-10-01"),
            input_tokens=100_000,
            output_tokens=100_000,
            prompt_tokens=1000,
            recorded_cost=Decimal("0.5"),
        ),
        # $6 on 2026-10-14 against a report of $7 that day; 2026-10-16 is not in the report
        UsageRow("tx-one", time=at("2026-10-14"), input_tokens=M, output_tokens=M // 2),
        UsageRow("tx-one", time=at("2026-10-16"), input_tokens=M),
        RecordedCost(Decimal(7), model="tx-one", time=at("2026-10-14", 0)),
    ]
    result = run(catalog, rows)
    assert result.recorded_total == Decimal("7.5")
    log, report = result.reconciliation
    assert (log.model, log.source, log.recorded, log.list_price, log.difference) == (
        "tx-two",
        "log",
        Decimal("0.5"),
        Decimal("0.3"),
        Decimal("0.2"),
    )
    assert log.can_explain == ()
    assert log.cannot_explain == (
        "the recorded cost is $0.20 (67%) above the list price of standard, unbatched usage "
        "without cache writes; the log does not show why (the recorded cost may come from other "
        "or older prices)",
    )
    assert (report.model, report.source, report.rows, report.list_price, report.difference) == (
        "tx-one",
        "report",
        1,
        Decimal(6),
        Decimal(1),
    )


def test_batch_rows_explain_only_a_recorded_cost_above_the_list_price(catalog: Catalog) -> None:
    # batch rows are priced at batch rates, below standard: they can explain a higher recorded
    # cost (billed at standard), never a lower one
    def reconciled(recorded: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        rows: list[UsageRow | RecordedCost] = [
            UsageRow(
                "tx-one",
                time=at("2026-10-14"),
                input_tokens=M,
                batch=True,
                prompt_tokens=1000,
                recorded_cost=Decimal(recorded),
            )
        ]
        (line,) = run(catalog, rows).reconciliation
        return line.can_explain, line.cannot_explain

    above_can, _ = reconciled("100")
    assert any("batch" in text for text in above_can)
    below = reconciled("0.0001")
    assert below == (("a negotiated discount or credits (the log does not show them)",), ())


def test_rounding_only_for_an_amount_recorded_in_whole_cents(catalog: Catalog) -> None:
    def reconciled(recorded: str) -> tuple[Decimal | None, tuple[str, ...], tuple[str, ...]]:
        # 1,234 input tokens x $2/1M = $0.002468
        rows: list[UsageRow | RecordedCost] = [
            UsageRow(
                "tx-one",
                time=at("2026-10-14"),
                input_tokens=1234,
                prompt_tokens=1234,
                recorded_cost=Decimal(recorded),
            )
        ]
        (line,) = run(catalog, rows).reconciliation
        return line.list_price, line.can_explain, line.cannot_explain

    # a bill rounded to the cent: $0.00 for $0.002468 is rounding
    assert reconciled("0.00") == (
        Decimal("0.002468"),
        ("rounding: the recorded cost is in whole cents and differs by under a cent",),
        (),
    )
    # an unrounded $0.0025 is $0.000032 above: not rounding, and not explained
    _, can, cannot = reconciled("0.0025")
    assert can == ()
    assert cannot == (
        "the recorded cost is $0.000032 (1%) above the list price of standard, unbatched usage "
        "without cache writes; the log does not show why (the recorded cost may come from other "
        "or older prices)",
    )


def test_no_recorded_costs_no_reconciliation(catalog: Catalog) -> None:
    result = run(catalog, [UsageRow("tx-one", time=at("2026-10-01"), input_tokens=M)])
    assert result.recorded_total is None
    document = reprice_document(result)
    assert "recorded_total" not in document and "reconciliation" not in document


# ---------------------------------------------------------------- groups


def test_by_month_and_model_combined(catalog: Catalog) -> None:
    rows: list[UsageRow | RecordedCost] = [
        UsageRow("tx-one", time=at("2026-09-30"), input_tokens=M, project="b"),  # $2
        UsageRow("tx-one", time=at("2026-10-14"), input_tokens=M, project="a"),  # $2
        UsageRow("tx-one", time=at("2026-10-20"), input_tokens=M, project="a"),  # $1
        UsageRow("tx-two", time=at("2026-10-20"), input_tokens=M, project="a"),  # $1
    ]
    assert costs(run(catalog, rows, by=("month", "model"))) == {
        ("2026-09", "tx-one"): Decimal(2),
        ("2026-10", "tx-one"): Decimal(3),
        ("2026-10", "tx-two"): Decimal(1),
    }
    assert costs(run(catalog, rows, by=("project",))) == {("a",): Decimal(4), ("b",): Decimal(2)}
    by_key = run(catalog, rows, by=("key", "seller"))
    assert costs(by_key) == {(None, "acme"): Decimal(6)}


# ---------------------------------------------------------------- JSON and CSV


def test_json_document_contract(catalog: Catalog) -> None:
    rows: list[UsageRow | RecordedCost] = [
        UsageRow(
            "tx-one",
            time=at("2026-10-14"),
            input_tokens=M,
            output_tokens=M // 2,
            recorded_cost=Decimal("6.01"),
        ),
        UsageRow("ft:tx-one:acme::abc", time=at("2026-10-15"), input_tokens=7),
    ]
    document = json.loads(json.dumps(reprice_document(run(catalog, rows, on=("tx-two",)))))
    assert document["rows"] == 2 and document["priced_rows"] == 1
    assert document["total"] == "6" and document["total_excludes_rows"] == 1
    assert document["period"] == {"from": "2026-10-14", "to": "2026-10-15"}
    assert document["groups"][1] == {
        "model": "tx-one",
        "rows": 1,
        "requests": 1,
        "tokens": {
            "input": M,
            "cached_input": 0,
            "cache_write": 0,
            "cache_write_1h": 0,
            "output": M // 2,
            "reasoning": 0,
            "audio_input": 0,
            "audio_output": 0,
            "images": 0,
            "web_searches": 0,
        },
        "items": {"input": "2", "output": "4"},
        "cost": "6",
        "unpriced_rows": 0,
    }
    (unpriced,) = document["unpriced"]
    assert (unpriced["model"], unpriced["rows"], unpriced["tokens"]["input"]) == (
        "ft:tx-one:acme::abc",
        1,
        7,
    )
    assert unpriced["reason"] == "fine-tuned model, no price"
    assert document["recorded_total"] == "6.01"
    assert document["reconciliation"][0]["difference"] == "0.01"
    (what,) = document["what_if"]
    assert {k: what[k] for k in ("model", "total", "difference")} == {
        "model": "tx-two",
        "total": "2",  # 1M x $1 + 0.5M x $2
        "difference": "-4",
    }


def test_csv_has_one_row_per_group_then_each_unpriced_model(catalog: Catalog) -> None:
    rows: list[UsageRow | RecordedCost] = [
        UsageRow("tx-one", time=at("2026-10-14"), input_tokens=M),
        UsageRow('=HYPERLINK("http://x")', time=at("2026-10-14"), input_tokens=1),
    ]
    from aicompare.render.plain import to_csv

    text = to_csv(reprice_csv(run(catalog, rows)), "utf-8")
    header, hostile, priced = csv.reader(io.StringIO(text))
    assert header == [
        "model",
        "rows",
        "requests",
        "input",
        "cached_input",
        "cache_write",
        "cache_write_1h",
        "output",
        "reasoning",
        "audio_input",
        "audio_output",
        "images",
        "web_searches",
        "cost",
        "unpriced_rows",
    ]
    assert priced == ["tx-one", "1", "1", "1000000", *["0"] * 9, "2", "0"]
    # unpriced: no cost (never 0), and the log's name neutralised against formulas
    assert hostile[1:] == ["1", "1", "1", *["0"] * 9, "", "1"]
    assert hostile[0] == '\'=HYPERLINK("http://x")'


# ---------------------------------------------------------------- the command


def _counter(line: dict[str, str]) -> Callable[[str], int]:
    return lambda name: int(line.get(name) or 0)


def _stub_rows(path: str) -> Iterator[UsageRow | RecordedCost]:
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    for line in csv.DictReader(io.StringIO(text)):
        num = _counter(line)

        time = at(line["time"]) if line.get("time") else None
        if line.get("cost"):
            yield RecordedCost(Decimal(line["cost"]), model=line["model"] or None, time=time)
            continue
        yield UsageRow(
            line["model"],
            seller=line.get("seller") or None,
            time=time,
            input_tokens=num("input"),
            cached_input_tokens=num("cached"),
            output_tokens=num("output"),
            prompt_tokens=int(line["prompt"]) if line.get("prompt") else None,
            project=line.get("project") or None,
            recorded_cost=Decimal(line["spend"]) if line.get("spend") else None,
        )


@pytest.fixture
def command(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[..., Run]:
    """`aicompare reprice` on the reprice catalog, reading CSV through a stub reader."""
    stub = types.ModuleType("aicompare.usage.readers")

    def read_usage(
        path: str, format: str | None = None, column_map: dict[str, str] | None = None
    ) -> UsageRecords:
        if not path == "-" and not Path(path).exists():
            raise FileNotFoundError(2, "No such file or directory", path)
        return UsageRecords(path, "csv", _stub_rows(path), lambda: None)

    stub.read_usage = read_usage  # type: ignore[attr-defined]
    stub.FORMATS = ("csv",)  # type: ignore[attr-defined]
    stub.ColumnMapError = type("ColumnMapError", (ValueError,), {})  # type: ignore[attr-defined]
    stub.parse_column_map = lambda text: dict(  # type: ignore[attr-defined]
        part.split("=", 1) for part in text.split(",")
    )
    monkeypatch.setitem(sys.modules, "aicompare.usage.readers", stub)
    monkeypatch.setenv(ENV_BASE, str(CATALOG))

    def invoke(content: str, *args: str) -> Run:
        log = tmp_path / "usage.csv"
        log.write_text(content, encoding="utf-8")
        return cli("reprice", str(log), "--as-of", "2026-11-21", *args)

    return invoke


LOG = """model,seller,time,input,cached,output,prompt,project,spend,cost
tx-one,,2026-10-14,1000000,,500000,,alpha,,
tx-one,,2026-10-15,1000000,,500000,,beta,,
ft:tx-one:acme::abc,,2026-10-15,412,,12,,alpha,,
"""


def test_command_table(command: Callable[..., Run]) -> None:
    result = command(LOG, "--by", "day")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert (
        "3 rows, 2026-10-14 to 2026-10-15: $9.00 at list prices, excluding 1 row that could not be priced (below)"
        in out
    )
    assert (
        "1 row of `ft:tx-one:acme::abc` — fine-tuned model, no price (412 input, 12 output" in out
    )


def test_command_json_and_strict(command: Callable[..., Run]) -> None:
    result = command(LOG, "--json", "--by", "month,project")
    assert result.exit_code == 0 and result.stderr == ""
    document = json.loads(result.stdout)
    assert document["command"] == "reprice" and document["total"] == "9"
    assert [(g["month"], g["project"], g["cost"]) for g in document["groups"]] == [
        ("2026-10", "alpha", "6"),
        ("2026-10", "beta", "3"),
    ]
    strict = command(LOG, "--json", "--strict")
    assert strict.exit_code == 1
    assert json.loads(strict.stdout)["total"] == "9"
    assert strict.stderr.startswith("error: 1 row could not be priced (--strict)\n")
    clean = command(LOG.replace("ft:tx-one:acme::abc", "tx-two"), "--strict", "--json")
    assert clean.exit_code == 0 and clean.stderr == ""


def test_command_on_and_migrate(command: Callable[..., Run]) -> None:
    log = "model,time,input,output\ntx-old,2026-10-01,1000000,1000000\n"
    result = command(log, "--on", "tx-two", "--migrate", "--json")
    document = json.loads(result.stdout)
    assert document["what_if"][0]["difference"] == "-17"
    (migration,) = document["migration"]
    assert migration["successor"] == "tx-two" and migration["shutdown_date"] == "2026-12-31"
    assert migration["months"] == [
        {"month": "2026-10", "current": "20", "successor": "3", "difference": "-17"}
    ]
    table = command(log, "--migrate").stdout
    assert "tx-old (deprecated, shuts down 2026-12-31): tx-two" in table
    assert "2026-10: -$17.00 a month" in table


def test_command_on_an_empty_log(command: Callable[..., Run]) -> None:
    result = command("model,time,input\n")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == "0 rows: no usage in the files given, nothing to price\n"


def test_command_usage_errors(command: Callable[..., Run]) -> None:
    bad_by = command(LOG, "--by", "week")
    assert bad_by.exit_code == 2
    assert bad_by.stderr.startswith("error: invalid value for '--by': 'week' is not one of model")
    both = command(LOG, "--json", "--csv")
    assert both.exit_code == 2
    unknown = command(LOG, "--on", "nope-model")
    assert (unknown.exit_code, unknown.stderr.splitlines()[0]) == (
        1,
        "error: unknown model 'nope-model'",
    )


def test_command_missing_file(cli: Callable[..., Run], command: Callable[..., Run]) -> None:
    result = cli("reprice", "/nonexistent/usage.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: cannot read /nonexistent/usage.csv: No such file or directory\n"
        "check the path and that the file can be read\n"
    )


def test_command_hostile_strings_are_inert(command: Callable[..., Run]) -> None:
    log = "model,time,input,project\n\x1b[31mevil\x1b]0;title\x07,2026-10-01,5,=cmd|' /C calc'!A0\n"
    table = command(log, "--by", "model,project")
    assert "\x1b" not in table.stdout and "\x07" not in table.stdout
    assert "\\x1b[31mevil" in table.stdout
    csv_out = command(log, "--csv", "--by", "model,project").stdout
    assert "\x1b" not in csv_out
    (row,) = [r for r in csv.reader(io.StringIO(csv_out)) if r and "evil" in r[0]]
    assert not row[1].startswith("=")
