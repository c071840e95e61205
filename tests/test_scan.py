"""The ranked catalog scan of `cost` (rate cards, quotes, only the shown rows estimated) must give
exactly what pricing every model in full gives: same totals to the last digit, same rows, ranks,
deltas and counts. Checked on the bundled catalog, the pricing fixture (tiers, batch, grids) and
LiteLLM's whole map imported as a user layer."""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from aicompare import cache
from aicompare.cache import codec
from aicompare.catalog import Catalog, PricedOn
from aicompare.cli import app
from aicompare.costing import browse_costs, compare_costs
from aicompare.errors import WorkloadError
from aicompare.loader import ENV_BASE, ENV_CATALOG, load_catalog
from aicompare.model import ImagePrice, Lifecycle, Model, Prices, PriceSet
from aicompare.pricing import RateCard, Workload, estimate, quote_all, rate_card
from aicompare.quantities import Period
from aicompare.workloads import build_workload

HERE = Path(__file__).resolve().parent
PRICING_FIXTURE = HERE / "data" / "pricing" / "models.toml"
LITELLM = (
    HERE.parents[1] / "shared" / "reference" / "litellm" / "model_prices_and_context_window.json"
)
SAMPLE = HERE / "data" / "importers" / "litellm.json"
TODAY = dt.date(2026, 11, 21)


def _load(base: Path | None, user: Path | None = None) -> Catalog:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(ENV_CATALOG, raising=False)
        mp.setenv("AICOMPARE_NO_CACHE", "1")
        if base is None:
            mp.delenv(ENV_BASE, raising=False)
        else:
            mp.setenv(ENV_BASE, str(base))
        return load_catalog([str(user)] if user else [], include_user=False)


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Catalog]]:
    """bundled, the pricing fixture, and bundled + LiteLLM's map (the sample when it is absent)."""
    root = tmp_path_factory.mktemp("scan")
    source = LITELLM if LITELLM.is_file() else SAMPLE
    env = {
        "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_CACHE_HOME": str(root / "cache"),
        "HOME": str(root),
        "AICOMPARE_CATALOG": None,
        "AICOMPARE_BASE_CATALOG": None,
    }
    done = CliRunner().invoke(app, ["catalog", "import", "--from", "litellm", str(source)], env=env)
    assert done.exit_code == 0, done.stderr
    layer = root / "config" / "aicompare" / "models.toml"
    yield {"bundled": _load(None), "fixture": _load(PRICING_FIXTURE), "litellm": _load(None, layer)}


def test_the_large_catalog_is_large(catalogs: dict[str, Catalog]) -> None:
    if LITELLM.is_file():
        assert len(catalogs["litellm"]) > 4000


workloads = st.builds(
    lambda inp, out, cached, batch, request, period: (inp, out, cached, batch, request, period),
    st.integers(1, 10**12),
    st.sampled_from([0, 1, 999, 10**6, 123_456_789_012]),
    st.sampled_from([0, 1, 10**5]),
    st.booleans(),
    st.one_of(st.none(), st.sampled_from([1, 128_000, 200_001, 272_001, 10**6, 10**7])),
    st.sampled_from(list(Period)),
)


def _tokens(spec: tuple, catalog: Catalog) -> Workload:  # type: ignore[type-arg]
    inp, out, cached, batch, request, period = spec
    return build_workload(
        input_tokens=inp,
        output_tokens=out,
        cached_input_tokens=cached,
        batch=batch,
        request_tokens=request,
        period=period,
        catalog=catalog.models.values(),
    )


def _images(
    catalog: Catalog, images: int, quality: str | None, size: str | None, batch: bool
) -> Workload:
    return build_workload(
        images=images, quality=quality, size=size, batch=batch, catalog=catalog.models.values()
    )


@pytest.mark.parametrize("name", ["bundled", "fixture", "litellm"])
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=workloads)
def test_quotes_equal_full_estimates_for_tokens(
    catalogs: dict[str, Catalog], name: str, spec: tuple
) -> None:  # type: ignore[type-arg]
    catalog = catalogs[name]
    workload = _tokens(spec, catalog)
    models = list(catalog.models.values())
    quotes = quote_all([rate_card(m) for m in models], workload)
    for model, quoted in zip(models, quotes):
        full = estimate([model], workload).total
        # equal in value and in digits: a quote must print as the estimate does
        assert (quoted, str(quoted)) == (full, str(full)), (model.id, workload)


@pytest.mark.parametrize("name", ["bundled", "fixture", "litellm"])
def test_quotes_equal_full_estimates_for_images(catalogs: dict[str, Catalog], name: str) -> None:
    catalog = catalogs[name]
    models = list(catalog.models.values())
    cards = [rate_card(m) for m in models]
    qualities = [None, *dict.fromkeys(c.quality for m in models for c in m.image_prices)]
    sizes = [None, *dict.fromkeys(c.size for m in models for c in m.image_prices)]
    checked = 0
    for quality in qualities[:6]:
        for size in sizes[:6]:
            for batch in (False, True):
                try:
                    workload = _images(catalog, 1234, quality, size, batch)
                except WorkloadError:
                    continue  # a choice this catalog does not sell
                for model, quoted in zip(models, quote_all(cards, workload)):
                    full = estimate([model], workload).total
                    assert (quoted, str(quoted)) == (full, str(full)), (model.id, workload)
                    checked += quoted is not None
    assert checked > 0


def _rows(result) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    return [
        (
            r.rank,
            r.estimate.key,
            r.estimate.total,
            str(r.estimate.total),
            r.delta,
            r.delta_percent,
            r.reference,
            r.estimate.line_items,
            r.estimate.notes,
            r.estimate.cannot_serve,
        )
        for r in result.ranked
    ]


def _same(
    catalog: Catalog, workload: Workload, top: int, baseline: tuple[Model, ...] | None
) -> None:
    models = list(catalog.models.values())
    targets = [(m,) for m in models]
    base_key = None if baseline is None else "+".join(m.id for m in baseline)
    if baseline is not None and base_key not in {m.id for m in models}:
        targets.append(baseline)
    try:
        full = compare_costs(targets, workload, TODAY, explicit=False, top=top, baseline=base_key)
    except WorkloadError as error:
        with pytest.raises(
            WorkloadError, match=str(error.message)[:40].replace("(", ".").replace(")", ".")
        ):
            browse_costs(
                catalog.rate_cards(),
                workload,
                TODAY,
                top=top,
                fetch=catalog.models.__getitem__,
                baseline=baseline,
            )
        return
    scan = browse_costs(
        catalog.rate_cards(),
        workload,
        TODAY,
        top=top,
        fetch=catalog.models.__getitem__,
        baseline=baseline,
    )
    assert _rows(scan) == _rows(full)
    assert (scan.hidden_servable, scan.hidden_unservable, scan.baseline) == (
        full.hidden_servable,
        full.hidden_unservable,
        full.baseline,
    )
    assert scan.models == full.models


@pytest.mark.parametrize("name", ["bundled", "fixture", "litellm"])
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=workloads, top=st.integers(1, 30), base=st.integers(0, 10**6))
def test_scan_ranks_like_pricing_every_model(
    catalogs: dict[str, Catalog],
    name: str,
    spec: tuple,  # type: ignore[type-arg]
    top: int,
    base: int,
) -> None:
    catalog = catalogs[name]
    models = list(catalog.models.values())
    workload = _tokens(spec, catalog)
    _same(catalog, workload, top, None)
    # a baseline anywhere in the ranking (often far outside the rows shown), or one that cannot serve
    _same(catalog, workload, top, (models[base % len(models)],))


def test_scan_with_a_pipeline_baseline_and_images(catalogs: dict[str, Catalog]) -> None:
    catalog = catalogs["bundled"]
    # a text model with token prices and an image model with a per-image grid, whichever they are
    text = next(
        m
        for m in catalog
        if m.type == "text" and m.price("input") is not None and m.price("output") is not None
    )
    image = next(m for m in catalog if m.type == "image" and m.image_prices)
    images = _images(catalog, 1000, None, None, False)
    _same(catalog, images, 5, None)
    _same(catalog, images, 5, (image,))
    _same(catalog, images, 3, (text, image))  # a pipeline baseline, priced after the cards
    tokens = _tokens((3_750_000, 1_250_000, 0, False, None, Period.MONTH), catalog)
    _same(catalog, tokens, 10, (text, image))
    _same(catalog, tokens, 10, (image,))  # cannot serve tokens: an error either way


def test_nothing_servable_shows_the_first_that_cannot(catalogs: dict[str, Catalog]) -> None:
    catalog = catalogs["fixture"]
    cards = [c for c in catalog.rate_cards() if not c.makes_images]
    workload = _images(catalog, 10, None, None, False)
    result = browse_costs(cards, workload, TODAY, top=2, fetch=catalog.models.__getitem__)
    assert [r.rank for r in result.ranked] == [None, None]
    assert result.hidden_unservable == len(cards) - 2 and result.hidden_servable == 0


# --- the cards in the cache ---------------------------------------------------------------------


def _through_cache(fresh: Catalog, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Catalog:
    """`fresh` written to a cache in `folder` and read back."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    cache.write(fresh, cache.signature(fresh.layers))
    cached = cache.read(fresh.layers)
    assert cached is not None
    # the cache's lazy models; those with dated prices are resolved to today's over them
    models = cached.models
    assert isinstance(models.base if isinstance(models, PricedOn) else models, cache.LazyModels)
    return cached


def test_cached_cards_are_the_models_cards(
    catalogs: dict[str, Catalog], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = catalogs["litellm"]
    cached = _through_cache(fresh, tmp_path, monkeypatch)
    assert cached.rate_cards() == [rate_card(m) for m in fresh.models.values()]
    # one model, then all of them, equal to the freshly built records (Decimal digits included)
    some = next(reversed(list(fresh.models)))
    assert cached.models[some] == fresh.models[some]
    assert repr(dict(cached.models.items())) == repr(dict(fresh.models.items()))  # repr shows 2.50
    assert list(cached.models) == list(fresh.models) and len(cached.models) == len(fresh.models)
    for name in list(fresh.exact_index)[:200]:
        assert cached.exact_index.get(name) == fresh.exact_index[name]
    assert sorted(cached.loose_index) == sorted(fresh.loose_index)
    assert cached.exact_index.get("no such model") is None


def test_a_broken_card_section_falls_back_to_the_models(
    catalogs: dict[str, Catalog], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = catalogs["fixture"]
    cached = _through_cache(fresh, tmp_path, monkeypatch)
    cached._cards = lambda: codec.decode(("not", "a graph"), RateCard)
    with pytest.raises(codec.CacheError):
        cached._cards()  # what a card section of another shape gives
    assert cached.rate_cards() == [rate_card(m) for m in fresh.models.values()]


def test_equal_values_are_stored_once_and_keep_their_digits() -> None:
    life = Lifecycle(dt.date(2026, 1, 2), None, "beta", None)
    cell = ImagePrice("low", "1024x1024", Decimal("0.010"))
    first = Model(
        "a",
        "acme",
        "text",
        "A",
        lifecycle=life,
        image_prices=(cell,),
        prices=Prices(PriceSet({"input": Decimal("2.50"), "output": Decimal("1E+1")})),
    )
    second = first._replace(
        id="b",
        lifecycle=Lifecycle(dt.date(2026, 1, 2), None, "beta", None),
        image_prices=(ImagePrice("low", "1024x1024", Decimal("0.010")),),
        prices=Prices(PriceSet({"input": Decimal("2.5"), "output": Decimal("-0")})),
    )
    data = codec.encode([first, second], Model)
    decimals, dates = data[0], data[1]
    assert sorted(decimals) == sorted(["2.50", "2.5", "1E+1", "-0", "0.010"]) and len(dates) == 1
    again = codec.decode(marshal.loads(marshal.dumps(data)), Model)
    assert repr(again) == repr([first, second])  # repr shows 2.50 and 2.5, 1E+1 and -0
    assert again[0].lifecycle is again[1].lifecycle  # equal records rebuilt once
    assert again[0].image_prices is again[1].image_prices
    assert [type(v) for v in again[0].prices.standard.values.values()] == [Decimal, Decimal]


@pytest.mark.parametrize(
    "record",
    [
        Model("a", "acme", "text", "A", context_window=True),  # a bool where an int goes
        Model("a", "acme", "text", "A", prices=Prices(PriceSet({"input": 2.5}))),  # a float price
        Model("a", "acme", "text", "A", prices=Prices(PriceSet({"input": Decimal("NaN")}))),
        Model("a", "acme", "text", "A", aliases=["x"]),  # a list where a tuple goes
        Model("a", "acme", "text", "A", release_date=dt.datetime(2026, 1, 1)),
    ],
)
def test_the_writer_refuses_what_the_schema_does_not_describe(record: Model) -> None:
    with pytest.raises(TypeError):
        codec.encode([record], Model)
