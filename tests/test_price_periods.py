"""Dated price periods: the catalog's format and checks, which period is in force on a date, and
that commands price a model with dated prices at the period in force today (UTC)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aicompare.errors import CatalogError
from aicompare.loader import load_catalog
from aicompare.model import (
    EVER,
    Model,
    Offer,
    PricePeriod,
    Prices,
    PriceSet,
    period_index,
    priced_on,
)
from aicompare.pricing import rate_card

HEAD = 'schema_version = 1\n[models.alpha-mini]\nsource_url = "https://example.com/base"\n'


def _layer(tmp_path: Path, body: str) -> str:
    path = tmp_path / "layer.toml"
    path.write_text(HEAD + body)
    return str(path)


def _load(tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> Model:
    from tests.conftest import FIXTURE

    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(FIXTURE))
    catalog = load_catalog([_layer(tmp_path, body)], include_user=False)
    return catalog.models["alpha-mini"]


PERIODS = """
[[models.alpha-mini.price_periods]]
from = 2001-01-01
source = "https://example.com/cut"
prices = { input = 2.00, output = 8.00 }

[[models.alpha-mini.price_periods]]
from = 2999-01-01
source = "https://example.com/announced"
prices = { input = 9.00, output = 8.00 }
"""


def test_periods_are_read_with_their_dates_prices_and_sources(tmp_path, monkeypatch) -> None:
    model = _load(tmp_path, PERIODS, monkeypatch)
    starts = [(p.start, p.source, p.prices.standard.values) for p in model.price_periods]
    assert starts == [
        (EVER, "https://example.com/base", {"input": Decimal("1.10"), "output": Decimal("4.40")}),
        (dt.date(2001, 1, 1), "https://example.com/cut", {"input": Decimal(2), "output": 8}),
        (dt.date(2999, 1, 1), "https://example.com/announced", {"input": 9, "output": 8}),
    ]
    # the current period (today, UTC) is what the catalog hands out by default
    assert model.prices.standard.values == {"input": Decimal(2), "output": Decimal(8)}


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        (
            PERIODS.replace("2999-01-01", "2001-01-01"),
            "models.alpha-mini.price_periods[1].from",
            "2001-01-01 is not after the previous period's 2001-01-01",
        ),
        (
            PERIODS.replace("2999-01-01", "2000-06-01"),
            "models.alpha-mini.price_periods[1].from",
            "2000-06-01 is not after the previous period's 2001-01-01",
        ),
        (
            "[[models.alpha-mini.price_periods]]\nprices = { input = 1 }\n",
            "models.alpha-mini.price_periods[0].from",
            "required: the UTC date the prices apply from",
        ),
        (
            "[[models.alpha-mini.price_periods]]\nfrom = 2026-01-01\n",
            "models.alpha-mini.price_periods[0]",
            "a price period needs at least one price",
        ),
        (
            "[[models.alpha-mini.price_periods]]\nfrom = 2026-01-01\nuntil = 2027-01-01\n"
            "prices = { input = 1 }\n",
            "models.alpha-mini.price_periods[0].until",
            "unknown",
        ),
        (
            "[models.alpha-mini]\nprice_periods = 3\n".replace("[models.alpha-mini]\n", ""),
            "models.alpha-mini.price_periods",
            "expected an array of tables",
        ),
    ],
)
def test_bad_periods_are_rejected(
    tmp_path, monkeypatch, body: str, path: str, message: str
) -> None:
    with pytest.raises(CatalogError) as caught:
        _load(tmp_path, body, monkeypatch)
    problems = caught.value.problems
    assert any(path in line and message in line for line in problems), problems


def test_offer_periods_price_the_offer_as_sold(tmp_path, monkeypatch) -> None:
    body = """
[models.alpha-mini.offers.cloud]
seller = "cloud"
prices = { input = 1.00 }

[[models.alpha-mini.offers.cloud.price_periods]]
from = 2001-01-01
prices = { input = 0.50 }
"""
    model = _load(tmp_path, body, monkeypatch)
    offer = model.offer("cloud")
    assert offer is not None and offer.prices.standard.values == {"input": Decimal("0.50")}
    assert [p.start for p in offer.price_periods] == [EVER, dt.date(2001, 1, 1)]
    old = priced_on(model, dt.date(2000, 12, 31)).offer("cloud")
    assert old is not None and old.prices.standard.values == {"input": Decimal("1.00")}


def test_commands_price_the_current_period(cli, tmp_path) -> None:
    layer = _layer(tmp_path, PERIODS)
    for _ in range(2):  # built, then from the cache
        doc = cli(
            "cost", "alpha-mini", "--input", "1M", "--catalog", layer, "--json", as_of=False
        ).json()
        assert doc["results"][0]["total"] == "2"


# --- properties -------------------------------------------------------------------------------

_PRICE = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
_DATE = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
_PRICES = st.builds(lambda i, o: Prices(PriceSet({"input": i, "output": o})), _PRICE, _PRICE)


def _model(prices: Prices, periods: tuple[PricePeriod, ...] = ()) -> Model:
    return Model("m", "acme", "text", "M", prices=prices, price_periods=periods)


@st.composite
def _dated(draw: st.DrawFn) -> tuple[PricePeriod, ...]:
    starts = sorted(draw(st.sets(_DATE, min_size=1, max_size=6)))
    base = PricePeriod(EVER, draw(_PRICES))
    return (base, *(PricePeriod(start, draw(_PRICES)) for start in starts))


@given(_PRICES, _DATE)
def test_one_period_behaves_exactly_as_a_single_price(prices: Prices, on: dt.date) -> None:
    model = _model(prices)
    assert priced_on(model, on) is model
    assert rate_card(priced_on(model, on)) == rate_card(model)


@given(_dated(), _DATE)
def test_the_period_for_a_date_is_unique(periods: tuple[PricePeriod, ...], on: dt.date) -> None:
    bounds = [p.start for p in periods] + [dt.date.max]
    holding = [i for i in range(len(periods)) if bounds[i] <= on < bounds[i + 1]]
    assert holding == [period_index(periods, on)]


@given(_dated(), _DATE, _DATE)
def test_pricing_is_piecewise_constant(
    periods: tuple[PricePeriod, ...], a: dt.date, b: dt.date
) -> None:
    model = _model(periods[0].prices, periods)
    first, second = sorted((a, b))
    changes = [p.start for p in periods[1:] if first < p.start <= second]
    card_a = rate_card(priced_on(model, first))
    card_b = rate_card(priced_on(model, second))
    if not changes:  # no period starts between the two dates: the same card
        assert card_a == card_b
    # each date is priced at exactly its period's prices, and resolving twice changes nothing
    for on in (first, second):
        resolved = priced_on(model, on)
        assert resolved.prices == periods[period_index(periods, on)].prices
        assert priced_on(priced_on(model, dt.date(2050, 1, 1)), on) == resolved


def test_an_offer_without_periods_is_untouched() -> None:
    offer = Offer("cloud", "cloud", prices=Prices(PriceSet({"input": Decimal(1)})))
    model = _model(Prices(), ()).__class__("m", "acme", "text", "M", offers=(offer,))
    assert priced_on(model, dt.date(2026, 1, 1)) is model


def test_a_ranked_scan_prices_the_current_period(cli, tmp_path) -> None:
    layer = _layer(tmp_path, PERIODS)
    for _ in range(2):  # built, then from the cache (its rate cards)
        doc = cli("cost", "--input", "1M", "--catalog", layer, "--json", as_of=False).json()
        totals = {row["model"]: row["total"] for row in doc["results"]}
        assert totals["alpha-mini"] == "2"


def test_the_cache_keeps_the_periods_and_resolves_them(tmp_path, monkeypatch) -> None:
    from aicompare import cache
    from aicompare.catalog import PricedOn
    from tests.conftest import FIXTURE

    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(FIXTURE))
    user = tmp_path / "xdg" / "aicompare" / "models.toml"
    user.parent.mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    user.write_text(HEAD + PERIODS)
    load_catalog()
    second = load_catalog()
    assert isinstance(second.models, PricedOn)
    assert isinstance(second.models.base, cache.LazyModels)  # served by the cache
    assert second.dated == frozenset({"alpha-mini"})
    cards = {card.id: card for card in second.rate_cards()}
    assert cards["alpha-mini"] == rate_card(second.models["alpha-mini"])
    assert second.models["alpha-mini"].prices.standard.values["input"] == Decimal(2)
    second.price_on(dt.date(2000, 1, 1))
    assert second.models["alpha-mini"].prices.standard.values["input"] == Decimal("1.10")
    assert {card.id: card for card in second.rate_cards()}["alpha-mini"] == rate_card(
        second.models["alpha-mini"]
    )


def test_the_cache_keeps_each_periods_card_and_never_decodes_a_dated_model_for_them(
    tmp_path, monkeypatch
) -> None:
    """A ranked scan prices dated models from the cards the cache keeps per period (no model
    record decoded on the way), and they are the cards a fresh build makes on each date."""
    from aicompare.cache import views
    from tests.conftest import FIXTURE

    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(FIXTURE))
    user = tmp_path / "xdg" / "aicompare" / "models.toml"
    user.parent.mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    user.write_text(HEAD + PERIODS)
    fresh = load_catalog()
    cached = load_catalog()
    decoded: list[str] = []
    real = views.LazyModels.__getitem__

    def spy(self: views.LazyModels, model_id: str) -> Model:
        decoded.append(model_id)
        return real(self, model_id)

    monkeypatch.setattr(views.LazyModels, "__getitem__", spy)
    # before, on and after each boundary (2001-01-01, 2999-01-01)
    for on in ("2000-12-31", "2001-01-01", "2500-06-01", "2999-01-01", "3000-01-01"):
        day = dt.date.fromisoformat(on)
        fresh.price_on(day)
        cached.price_on(day)
        assert cached.rate_cards() == fresh.rate_cards()
    assert decoded == []


def test_export_writes_the_periods_back(tmp_path, monkeypatch) -> None:
    from aicompare.export import model_table
    from aicompare.schema import Problems, build_model

    model = _load(tmp_path, PERIODS, monkeypatch)
    table = model_table(model)
    assert table["prices"] == {"input": Decimal("1.10"), "output": Decimal("4.40")}
    assert [row["from"] for row in table["price_periods"]] == [
        dt.date(2001, 1, 1),
        dt.date(2999, 1, 1),
    ]
    problems = Problems(lambda path: ("test", None))
    again = build_model("alpha-mini", table, problems)
    assert again is not None and again.price_periods == model.price_periods


# the input price, and `--tokens 1M` (750k input, 250k output) at each period
_ON = {
    "2000-12-31": ("1.1", "1.925"),
    "2001-01-01": ("2", "3.5"),
    "2998-12-31": ("2", "3.5"),
    "2999-01-01": ("9", "8.75"),
}


@pytest.mark.parametrize("as_of", sorted(_ON))
@pytest.mark.parametrize("command", ["cost", "show", "best", "list", "diff"])
def test_as_of_prices_the_catalog_as_it_stood(cli, tmp_path, command: str, as_of: str) -> None:
    layer = _layer(tmp_path, PERIODS)
    args = {
        "cost": ["cost", "alpha-mini", "--tokens", "1M"],
        "show": ["show", "alpha-mini"],
        "best": ["best", "--for", "chat", "--tokens", "1M"],
        "list": ["list"],
        "diff": ["diff", "alpha-mini", "alpha-large"],
    }[command]
    run = cli(*args, "--as-of", as_of, "--catalog", layer, "--json", as_of=False)
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    assert doc["as_of"] == as_of
    price, total = _ON[as_of]
    if command == "cost":
        assert doc["results"][0]["total"] == total
    elif command == "best":
        totals = {row["model"]: row["total"] for row in doc["candidates"]}
        assert totals["alpha-mini"] == total
    elif command == "list":
        prices = {row["id"]: row["prices"].get("input") for row in doc["models"]}
        assert prices["alpha-mini"] == price
    else:
        record = doc["model"] if command == "show" else doc["models"][0]
        assert record["prices"]["standard"]["input"] == price
