"""Repricing many aggregates of one model: one estimate per rate card and shape, the others
rescaled from it (pricing.rescale), must give exactly what an estimate of each aggregate gives."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
from pathlib import Path

import pytest

from aicompare.catalog import Catalog
from aicompare.errors import UnknownModelError
from aicompare.loader import load_catalog
from aicompare.pricing import Workload, estimate, rate_card, rescale, shape
from aicompare.quantities import MAX_QUANTITY
from aicompare.usage.aggregate import aggregate, thresholds
from aicompare.usage.reprice import Cards, Resolver, _items, _Notes, price_aggregates, workload
from aicompare.usage.rows import UsageRow

DAYS = [dt.date(2025, 1, 1) + dt.timedelta(days=step * 37) for step in range(20)]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(())


def _rows(catalog: Catalog) -> list[UsageRow]:
    rng = random.Random(19)
    models = [m for m in catalog if m.prices or m.image_prices][:60]
    rows = []
    for model in models:
        for index in range(40):
            day = rng.choice(DAYS)
            images = rng.choice((0, 0, rng.randint(1, 9))) if model.image_prices else 0
            rows.append(
                UsageRow(
                    model.id,
                    time=dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC),
                    requests=rng.randint(1, 50),
                    input_tokens=rng.choice((0, rng.randint(1, 10**7))),
                    cached_input_tokens=rng.choice((0, rng.randint(1, 10**6))),
                    output_tokens=rng.randint(1, 999_983),
                    reasoning_tokens=rng.choice((0, 0, rng.randint(1, 10**5))),
                    images=images,
                    batch=index % 7 == 0,
                    prompt_tokens=rng.choice((None, rng.randint(1, 400_000))),
                    project=f"team-{index % 5}",
                )
            )
    return rows


def test_many_aggregates_of_one_model_price_as_each_own_estimate(catalog: Catalog) -> None:
    limits = thresholds(catalog)
    aggregation = aggregate(_rows(catalog), limits, by_project=True)
    today = dt.date(2026, 11, 21)
    priced = price_aggregates(aggregation, Resolver(catalog), limits, today, Cards(), _Notes())
    assert len(priced) == len(aggregation.groups) > 1000
    cards = Cards()
    shared = 0
    for item in priced:
        assert item.resolved.model is not None
        card = cards.on(item.resolved.model, item.key.day or today)._replace(token_limit=None)
        try:
            alone = estimate([card], workload(item.key, item.totals, limits))
        except ValueError:
            assert item.cost is None
            continue
        assert item.cost == alone.total
        assert item.items == (_items(alone) if alone.total is not None else {})
        if item.cost is not None:
            # the same digits, not only an equal value
            assert str(item.cost) == str(alone.total)
            assert {k: str(v) for k, v in item.items.items()} == {
                k: str(v) for k, v in _items(alone).items()
            }
            shared += 1
    assert shared > 500


TEXT = (
    {"input_tokens": 3, "cached_input_tokens": 1, "output_tokens": 7, "reasoning_tokens": 2},
    {
        "input_tokens": 123_456_789,
        "cached_input_tokens": 98_765,
        "output_tokens": 4_321_987,
        "reasoning_tokens": 55_555,
    },
)


@pytest.mark.parametrize(
    ("small", "large"),
    [
        (TEXT[0], TEXT[1]),
        ({**TEXT[0], "requests": 1, "batch": True}, {**TEXT[1], "requests": 777, "batch": True}),
        ({"images": 1}, {"images": 13}),
        ({"images": 1, "input_tokens": 5}, {"images": 13, "input_tokens": 9_999}),
    ],
)
def test_rescale_is_estimate_on_every_catalog_model(
    catalog: Catalog, small: dict[str, int], large: dict[str, int]
) -> None:
    first, second = Workload(**small), Workload(**large)  # type: ignore[arg-type]
    assert shape(first) == shape(second)
    checked = 0
    for model in catalog:
        card = rate_card(model)
        wanted = estimate([card], second)
        got = rescale(estimate([card], first), second)
        assert got == wanted, model.id
        assert str(got.total) == str(wanted.total)
        assert [str(line.cost) for line in got.line_items] == [
            str(line.cost) for line in wanted.line_items
        ]
        checked += wanted.total is not None
    assert checked > 5


def test_rescale_from_counts_alone_is_the_workload_estimate(catalog: Catalog) -> None:
    small = Workload(input_tokens=2, output_tokens=3, requests=1)
    large = {"input_tokens": 7_654_321, "output_tokens": 1_234_567, "requests": 89}
    checked = 0
    for model in catalog:
        card = rate_card(model)
        wanted = estimate([card], Workload(**large))
        assert rescale(estimate([card], small), large) == wanted, model.id
        checked += wanted.total is not None
    assert checked > 5


def test_a_count_past_the_limit_is_unpriced_when_its_shape_was_priced(catalog: Catalog) -> None:
    plain = Workload(input_tokens=1, output_tokens=1)
    model = next(m for m in catalog if estimate([rate_card(m)], plain).total is not None)
    day = dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC)
    rows = [
        UsageRow(model.id, time=day, input_tokens=10, output_tokens=5, project="a"),
        UsageRow(model.id, time=day, input_tokens=MAX_QUANTITY, output_tokens=5, project="b"),
        UsageRow(model.id, time=day, input_tokens=1, output_tokens=5, project="b"),
    ]
    limits = thresholds(catalog)
    aggregation = aggregate(rows, limits, by_project=True)
    today = dt.date(2026, 11, 21)
    priced = price_aggregates(aggregation, Resolver(catalog), limits, today, Cards(), _Notes())
    assert [item.key.project for item in priced] == ["a", "b"]
    assert priced[0].cost is not None
    assert priced[1].cost is None
    assert (
        priced[1].reason
        == f"input_tokens must be an int in 0..{MAX_QUANTITY}, not {MAX_QUANTITY + 1!r}"
    )


def test_log_models_resolve_without_suggestions(catalog: Catalog) -> None:
    with pytest.raises(UnknownModelError) as shown:
        catalog.resolve("gpt-5-minii")
    assert shown.value.suggestions  # `cost` and `show` still say "did you mean"
    with pytest.raises(UnknownModelError) as quiet:
        catalog.resolve("gpt-5-minii", suggest=False)
    assert quiet.value.suggestions == []
    assert str(quiet.value) == str(shown.value)


READS_A_CSV = """
import sys
from aicompare.usage.readers import parse_column_map, read_usage
with read_usage(sys.argv[1], column_map=parse_column_map("model=m,input=i,output=o")) as rows:
    print(sum(1 for _ in rows))
others = ("openai", "anthropic", "litellm", "otel", "llm_db")
print(sorted(n for n in sys.modules if n == "sqlite3" or n.rpartition(".")[2] in others))
"""


def test_a_csv_is_read_without_the_other_readers(tmp_path: Path) -> None:
    log = tmp_path / "usage.csv"
    log.write_text("m,i,o\ngpt-5-mini,10,2\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", READS_A_CSV, str(log)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "1\n[]\n", "")
