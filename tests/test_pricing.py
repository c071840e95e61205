"""Workload pricing: worked examples, splits, batch, tiers, cannot-serve, ranking, pipelines.

Figures come from the pricing fixture (tests/data/pricing/models.toml), worked out by hand in the
comments; the bundled catalog is only walked for properties that hold for any data (every cost
a Decimal, every image line equal to the model's own price). Its figures are catalog golden
tests (tests/test_catalog_golden.py)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aicompare import fmt
from aicompare.catalog import Catalog
from aicompare.errors import WorkloadError
from aicompare.loader import ENV_BASE, ENV_CATALOG, load_catalog
from aicompare.model import Model, Prices, PriceSet
from aicompare.pricing import (
    BILLED,
    Estimate,
    LineItem,
    Ranked,
    Workload,
    estimate,
    image_options,
    rank,
)
from aicompare.quantities import Period, parse_quantity, parse_share, split_pipeline
from aicompare.workloads import DEFAULT_OUTPUT_SHARE, build_workload

FIXTURE = Path(__file__).resolve().parent / "data" / "pricing" / "models.toml"
OUTPUT_ONLY = (
    "the per-image price covers the image output only; grid-full also bills the prompt by the "
    "token (give it with --input)"
)


def _load(base: Path | None) -> Catalog:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(ENV_CATALOG, raising=False)
        if base is None:
            mp.delenv(ENV_BASE, raising=False)
        else:
            mp.setenv(ENV_BASE, str(base))
        return load_catalog(include_user=False)


@pytest.fixture(scope="module")
def bundled() -> Iterator[Catalog]:
    yield _load(None)


@pytest.fixture(scope="module")
def fixture() -> Iterator[Catalog]:
    yield _load(FIXTURE)


def one(catalog: Catalog, model_id: str, workload: Workload) -> Estimate:
    model = catalog.get(model_id)
    assert model is not None, model_id
    return estimate([model], workload)


def pipe(catalog: Catalog, names: str, workload: Workload) -> Estimate:
    models = [catalog.get(name) for name in split_pipeline(names)]
    assert all(models)
    return estimate([m for m in models if m], workload)


def line(est: Estimate, kind: str) -> Decimal:
    return next(item.cost for item in est.line_items if item.kind == kind)


# --- worked examples ---------------------------------------------------------------------------


def test_four_million_in_one_million_out(fixture: Catalog) -> None:
    w = build_workload(
        input_tokens=parse_quantity("4M", "--input"), output_tokens=parse_quantity("1M", "--output")
    )
    est = one(fixture, "batch-text", w)  # 4M x 1.10 + 1M x 4.40 = 4.40 + 4.40
    assert est.servable and est.total == Decimal("8.80")
    assert line(est, "input") == Decimal("4.40") and line(est, "output") == Decimal("4.40")
    assert fmt.money(est.total) == "$8.80"


def test_thousand_medium_portrait_images(fixture: Catalog) -> None:
    w = build_workload(images=1000, quality="medium", size="1024x1536", catalog=fixture)
    est = one(fixture, "grid-full", w)  # 1,000 x 0.063
    assert est.total == Decimal("63.00")
    (item,) = est.line_items
    assert (item.kind, item.quantity, item.unit, item.unit_price) == (
        "images",
        1000,
        "per image",
        Decimal("0.063"),
    )
    assert item.detail == "medium 1024x1536, output only"  # grid-full bills its prompt by the token
    assert fmt.money(est.total) == "$63.00"
    # quality and size were given: nothing assumed; the prompt is not in the per-image price
    assert est.notes == (item.note,) == (OUTPUT_ONLY,)


def test_110_tokens_at_2_50_is_not_rounded_to_zero(fixture: Catalog) -> None:
    est = one(fixture, "plain-text", build_workload(input_tokens=110))
    assert est.line_items[0].unit_price == Decimal("2.50")
    assert est.total == Decimal("0.000275")
    assert fmt.money(est.total) == "$0.000275"
    assert fmt.dec(est.total) == "0.000275"


def test_costs_are_decimal(bundled: Catalog) -> None:
    w = build_workload(tokens=123_457, cached_input_tokens=1_001, batch=True)
    for model in bundled:
        est = estimate([model], w)
        for item in est.line_items:
            assert type(item.cost) is Decimal and type(item.unit_price) is Decimal
        assert est.total is None or type(est.total) is Decimal


# --- building a workload -----------------------------------------------------------------------


def test_default_split_is_exact_with_remainder_to_input() -> None:
    w = build_workload(tokens=5_000_000)
    assert (w.input_tokens, w.output_tokens, w.cached_input_tokens) == (3_750_000, 1_250_000, 0)
    assert Decimal("0.25") == DEFAULT_OUTPUT_SHARE
    assert any("75% input" in a and "25% output" in a for a in w.assumptions)
    w = build_workload(tokens=7)  # 7 x 0.25 = 1.75: output 1, the remainder to input
    assert (w.input_tokens, w.output_tokens) == (6, 1)


def test_split_with_a_share_that_is_not_a_binary_fraction() -> None:
    w = build_workload(tokens=10, output_share=parse_share("0.3333", "--output-share"))
    assert (w.input_tokens, w.output_tokens) == (7, 3)
    assert any("33.33% output" in a for a in w.assumptions)


@given(st.integers(0, 10**15), st.sampled_from(["0", "0.1", "0.25", "1/3", "0.999", "1", "12.5%"]))
def test_split_always_adds_up(tokens: int, share_text: str) -> None:
    if share_text == "1/3":
        share_text = "0.333333333333333333"
    share = parse_share(share_text, "--output-share")
    try:
        w = build_workload(tokens=tokens, output_share=share)
    except WorkloadError:
        assert tokens == 0  # only an empty workload is refused
        return
    assert w.input_tokens + w.output_tokens == tokens
    assert w.output_tokens == int(tokens * Fraction(share))  # floor: remainder to input


def test_cached_input_counts_within_tokens() -> None:
    w = build_workload(tokens=4_000_000, cached_input_tokens=1_000_000)
    parts = (w.input_tokens, w.cached_input_tokens, w.output_tokens)
    assert parts == (2_000_000, 1_000_000, 1_000_000)
    assert w.tokens == 4_000_000
    with pytest.raises(WorkloadError, match="--cached-input"):
        build_workload(tokens=4_000_000, cached_input_tokens=3_500_000)


def test_explicit_parts() -> None:
    w = build_workload(input_tokens=3_000_000, cached_input_tokens=2_000_000, output_tokens=500)
    assert (w.input_tokens, w.cached_input_tokens, w.output_tokens) == (3_000_000, 2_000_000, 500)
    w = build_workload(tokens=5_000_000, input_tokens=4_000_000)
    assert (w.input_tokens, w.output_tokens) == (4_000_000, 1_000_000)
    w = build_workload(tokens=5_000_000, output_tokens=2_000_000)
    assert (w.input_tokens, w.output_tokens) == (3_000_000, 2_000_000)
    w = build_workload(tokens=5, input_tokens=2, output_tokens=3)
    assert (w.input_tokens, w.output_tokens) == (2, 3)
    assert build_workload(input_tokens=10).output_tokens == 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"tokens": 5, "input_tokens": 2, "output_tokens": 2}, "is not --input"),
        ({"tokens": 5, "input_tokens": 6}, "less than"),
        ({"output_share": Decimal("0.5")}, "--output-share splits --tokens"),
        ({"tokens": 5, "input_tokens": 1, "output_share": Decimal("0.5")}, "cannot be combined"),
        ({"tokens": 5, "output_share": Decimal("1.5")}, "between 0 and 1"),
        ({"tokens": 5, "output_share": Decimal("NaN")}, "between 0 and 1"),
        ({}, "nothing to price"),
        ({"tokens": 0}, "nothing to price"),
        ({"tokens": 10**15 + 1}, "--tokens"),
        ({"images": -1}, "--images"),
        ({"tokens": 5, "request_tokens": 0}, "--request-tokens"),
    ],
)
def test_bad_workloads(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(WorkloadError, match=match) as info:
        build_workload(**kwargs)  # type: ignore[arg-type]
    assert info.value.exit_code == 2


def test_image_options_come_from_the_catalog(fixture: Catalog) -> None:
    # in catalog order, without `any`: grid-image (low, high; 1536x1024, 1024x1024), sized-image
    # (1792x1024), grid-full (medium; 1024x1536); flat-image sells only any/any
    qualities, sizes = image_options(fixture)
    assert qualities == ("low", "high", "medium")
    assert sizes == ("1536x1024", "1024x1024", "1792x1024", "1024x1536")
    w = build_workload(images=1, quality=" Medium", size="1024X1536", catalog=fixture)
    assert (w.quality, w.size) == ("medium", "1024x1536")
    with pytest.raises(WorkloadError, match="--quality: 'ultra'") as info:
        build_workload(images=1, quality="ultra", catalog=fixture)
    assert info.value.hint == "use one of: low, high, medium"
    with pytest.raises(WorkloadError, match="--size") as info:
        build_workload(images=1, size="4096x4096", catalog=fixture)
    assert info.value.hint == "use one of: 1536x1024, 1024x1024, 1792x1024, 1024x1536"


def test_quality_without_images_is_ignored_and_said() -> None:
    w = build_workload(tokens=5, quality="high")
    assert w.quality is None
    assert any("ignored" in a for a in w.assumptions)


def test_default_image_choice_is_stated() -> None:
    w = build_workload(images=1)
    assert any("medium 1024x1024" in a for a in w.assumptions)
    assert any("per month" in a for a in w.assumptions)
    w = build_workload(images=1, quality="high", period=Period.DAY)
    assert any("no --size" in a and "high 1024x1024" in a for a in w.assumptions)
    assert any("per day" in a for a in w.assumptions)


# --- batch -------------------------------------------------------------------------------------


def test_batch_rates_and_fallback_notes(fixture: Catalog) -> None:
    w = build_workload(input_tokens=4_000_000, output_tokens=1_000_000, batch=True)
    est = one(fixture, "batch-text", w)
    assert est.total == Decimal("4.40")  # 4M x 0.55 + 1M x 2.20
    assert all(item.detail == "batch" and item.note is None for item in est.line_items)
    assert any("batch" in a for a in w.assumptions)

    cached = build_workload(cached_input_tokens=1_000_000, batch=True)
    est = one(fixture, "batch-text", cached)  # no batch cached-input price: 1M x 0.275
    assert est.total == Decimal("0.275")
    assert est.notes == ("no batch price for cached input tokens; standard rate used",)

    est = one(fixture, "tiered-pro", w)  # batch input known, batch output not
    assert line(est, "input") == Decimal("2.50") and line(est, "output") == Decimal("10.00")
    assert "no batch price for output tokens; standard rate used" in est.notes

    images = build_workload(images=10, quality="low", size="1024x1024", batch=True)
    est = one(fixture, "grid-full", images)  # no batch per-image price: 10 x 0.011
    assert est.total == Decimal("0.11")
    assert est.notes == (
        f"no batch per-image price in the catalog; standard price used; {OUTPUT_ONLY}",
    )


def test_cached_input_without_a_cached_price_is_billed_as_input(fixture: Catalog) -> None:
    est = one(fixture, "plain-text", build_workload(cached_input_tokens=1_000_000))
    assert est.total == Decimal("2.50")
    assert est.notes == ("no cached input price in the catalog; billed at the input rate",)


# --- long-context tiers ------------------------------------------------------------------------


def tiered(request_tokens: int | None, *, batch: bool = False) -> Workload:
    return build_workload(
        input_tokens=1_000_000,
        cached_input_tokens=1_000_000,
        output_tokens=1_000_000,
        request_tokens=request_tokens,
        batch=batch,
    )


def test_without_request_tokens_prompts_are_below_the_first_tier(fixture: Catalog) -> None:
    est = one(fixture, "tiered-pro", tiered(None))
    assert est.total == Decimal("1.25") + Decimal("0.31") + Decimal("10.00")
    assert any("200,000" in n and "--request-tokens" in n for n in est.notes)


@pytest.mark.parametrize(
    ("request_tokens", "inp", "out"),
    [(1, "1.25", "10.00"), (200_000, "1.25", "10.00"), (200_001, "2.50", "15.00")],
)
def test_cliff_rule(fixture: Catalog, request_tokens: int, inp: str, out: str) -> None:
    est = one(fixture, "tiered-pro", tiered(request_tokens))
    assert line(est, "input") == Decimal(inp) and line(est, "output") == Decimal(out)
    assert line(est, "cached_input") == Decimal("0.31")  # not set by the tier: base price kept
    assert not any("--request-tokens" in n for n in est.notes)


def test_highest_exceeded_tier_wins(fixture: Catalog) -> None:
    w = build_workload(input_tokens=1_000_000, output_tokens=1_000_000, request_tokens=500_000)
    est = one(fixture, "two-tier", w)
    assert (line(est, "input"), line(est, "output")) == (Decimal("2.00"), Decimal("2.00"))
    w = build_workload(input_tokens=1_000_000, output_tokens=1_000_000, request_tokens=1_500_000)
    est = one(fixture, "two-tier", w)
    assert (line(est, "input"), line(est, "output")) == (Decimal("4.00"), Decimal("8.00"))
    assert est.line_items[0].detail is not None and "1,000,000" in est.line_items[0].detail


def test_tier_with_batch_uses_the_tier_rate_and_says_so(fixture: Catalog) -> None:
    est = one(fixture, "tiered-pro", tiered(300_000, batch=True))
    assert line(est, "input") == Decimal("2.50")
    assert "no batch price for long-context tiers; tier rate used" in est.notes


def test_prompt_over_the_context_window_cannot_be_served(fixture: Catalog) -> None:
    est = one(fixture, "plain-text", build_workload(input_tokens=5, request_tokens=200_000))
    assert not est.servable and est.total is None
    assert est.cannot_serve == ("prompts of 200,000 tokens (plain-text takes at most 128,000)",)


# --- cannot serve ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model_id", "workload", "reason"),
    [
        ("plain-text", Workload(images=5), "images (plain-text is a text model)"),
        ("flat-image", Workload(input_tokens=5), "text tokens (flat-image is an image model)"),
        (
            "token-image",
            Workload(images=5),
            "images (token-image sells images by image output tokens only, and the catalog does "
            "not know how many tokens an image takes: give them with --image-output-tokens N)",
        ),
        (
            "no-output",
            Workload(output_tokens=5),
            "output tokens (no output price for no-output in the catalog)",
        ),
        (
            "grid-image",
            Workload(images=5, quality="medium", size="1024x1024"),
            (
                "medium 1024x1024 images (grid-image sells low 1536x1024, low 1024x1024, "
                "high 1024x1024, high any)"
            ),
        ),
        ("grid-image", Workload(images=5, quality="medium"), "medium images (grid-image sells"),
    ],
)
def test_cannot_serve(fixture: Catalog, model_id: str, workload: Workload, reason: str) -> None:
    est = one(fixture, model_id, workload)
    assert not est.servable
    assert est.total is None and est.line_items == ()  # never a partial price, never $0
    assert est.cannot_serve[0].startswith(reason)


def test_no_output_model_still_prices_input_only(fixture: Catalog) -> None:
    est = one(fixture, "no-output", Workload(input_tokens=1_000_000))
    assert est.servable and est.total == Decimal("0.10")


def test_every_reason_is_listed(fixture: Catalog) -> None:
    est = one(fixture, "token-image", Workload(output_tokens=1, images=1))
    assert est.cannot_serve == (
        "output tokens (no output price for token-image in the catalog)",
        "images (token-image sells images by image output tokens only, and the catalog does not "
        "know how many tokens an image takes: give them with --image-output-tokens N)",
    )


# --- images ------------------------------------------------------------------------------------


def test_default_image_cells(fixture: Catalog) -> None:
    w = build_workload(images=100)
    est = one(fixture, "grid-full", w)  # 100 x 0.042
    assert est.total == Decimal("4.20")
    assert est.notes == ("images: medium 1024x1024 assumed", OUTPUT_ONLY)
    est = one(fixture, "grid-image", w)  # no medium: the cheapest cell
    assert est.total == Decimal("1.00")
    assert est.notes == ("images: low 1024x1024 assumed, the cheapest grid-image sells",)
    est = one(fixture, "flat-image", w)
    assert est.total == Decimal("4.00") and est.notes == ()
    assert est.line_items[0].detail == "flat price, any size and quality"


def test_partly_given_image_choice(fixture: Catalog) -> None:
    est = one(fixture, "grid-image", Workload(images=1, quality="high"))
    assert est.total == Decimal("0.20") and est.line_items[0].detail == "high 1024x1024"
    est = one(fixture, "grid-image", Workload(images=1, size="1536x1024"))
    assert est.total == Decimal("0.02") and est.line_items[0].detail == "low 1536x1024"
    est = one(fixture, "grid-image", Workload(images=1, quality="high", size="1536x1024"))
    # the cell billed is high/any: the line names it as sold, not after the size asked for
    assert est.total == Decimal("0.30") and est.line_items[0].detail == "high, any size"


def test_any_quality_grid(fixture: Catalog) -> None:
    est = one(fixture, "sized-image", Workload(images=10))
    assert est.total == Decimal("0.40")
    assert est.line_items[0].detail == "1024x1024, any quality"
    assert est.notes == ("images: 1024x1024 assumed",)
    est = one(fixture, "sized-image", Workload(images=10, quality="high", size="1792x1024"))
    # a cell of any quality: "high" was asked for, the line does not claim it
    assert est.total == Decimal("0.80")
    assert est.line_items[0].detail == "1792x1024, any quality"
    assert est.notes == ()
    est = one(fixture, "sized-image", Workload(images=1, size="1536x1024"))
    assert est.cannot_serve == (
        "1536x1024 images (sized-image sells any 1024x1024, any 1792x1024)",
    )


def test_image_line_agrees_with_model_image_price(bundled: Catalog, fixture: Catalog) -> None:
    for catalog in (bundled, fixture):
        qualities, sizes = image_options(catalog)
        for model in catalog:
            for quality in (*qualities, "medium"):
                for size in (*sizes, "1024x1024"):
                    est = estimate([model], Workload(images=3, quality=quality, size=size))
                    expected = model.image_price(quality, size)
                    if expected is None:
                        assert not est.servable
                    else:
                        assert est.total == 3 * expected


# --- pipelines ---------------------------------------------------------------------------------


def test_pipeline_prices_both_models(fixture: Catalog) -> None:
    w = build_workload(
        input_tokens=4_000_000,
        output_tokens=1_000_000,
        images=1000,
        quality="medium",
        size="1024x1536",
        catalog=fixture,
    )
    est = pipe(fixture, "batch-text+grid-full", w)
    assert est.servable and est.total == Decimal("71.80")  # 4.40 + 4.40 + 1,000 x 0.063
    assert est.model_ids == ("batch-text", "grid-full") and est.key == "batch-text+grid-full"
    owners = {item.kind: item.model_id for item in est.line_items}
    assert owners == {"input": "batch-text", "output": "batch-text", "images": "grid-full"}
    flipped = pipe(fixture, "grid-full + batch-text", w)
    assert flipped.total == est.total and flipped.model_ids == ("grid-full", "batch-text")


def test_pipeline_notes_name_their_model(fixture: Catalog) -> None:
    w = build_workload(cached_input_tokens=5, images=1, batch=True)
    est = pipe(fixture, "batch-text+grid-full", w)
    assert "batch-text: no batch price for cached input tokens; standard rate used" in est.notes
    assert (
        "grid-full: no batch per-image price in the catalog; standard price used; the per-image "
        "price covers the image output only; grid-full's own prompt tokens are not part of a "
        "pipeline's estimate"
    ) in est.notes


def test_pipeline_that_cannot_serve(fixture: Catalog) -> None:
    est = pipe(fixture, "batch-text+token-image", Workload(input_tokens=5, images=1))
    assert not est.servable
    assert est.cannot_serve == (
        "images (token-image sells images by image output tokens only, and the catalog does not "
        "know how many tokens an image takes: give them with --image-output-tokens N)",
    )


@pytest.mark.parametrize(
    "names", ["batch-text+plain-text", "grid-full+grid-image", "batch-text+batch-text"]
)
def test_bad_pipelines(fixture: Catalog, names: str) -> None:
    with pytest.raises(WorkloadError, match="not a pipeline"):
        pipe(fixture, names, Workload(input_tokens=1))


@pytest.mark.parametrize("text", ["a+", "+b", "a+b+c", "", "a++b"])
def test_split_pipeline_rejects(text: str) -> None:
    with pytest.raises(WorkloadError, match="not a model or a pipeline"):
        split_pipeline(text)


# --- ranking -----------------------------------------------------------------------------------


def priced(key: str, total: str | None) -> Estimate:
    if total is None:
        return Estimate((key,), (), None, False, ("images (a text model)",))
    return Estimate((key,), (), Decimal(total), True)


def test_rank_cheapest_first_with_deltas() -> None:
    ranked = rank(
        [
            priced("a", "10.00"),
            priced("x", None),
            priced("b", "8.00"),
            priced("c", "12.50"),
            priced("y", None),
        ]
    )
    assert [r.estimate.key for r in ranked] == ["b", "a", "c", "x", "y"]
    assert [r.rank for r in ranked] == [1, 2, 3, None, None]
    assert [r.delta for r in ranked] == [Decimal(0), Decimal("2.00"), Decimal("4.50"), None, None]
    assert [r.delta_percent for r in ranked] == [
        Decimal("0.00"),
        Decimal("25.00"),
        Decimal("56.25"),
        None,
        None,
    ]
    assert {r.reference for r in ranked[:3]} == {"b"}


def test_rank_against_a_baseline() -> None:
    ranked = rank([priced("a", "10.00"), priced("b", "8.00"), priced("c", "12.50")], "A")
    assert [(r.estimate.key, r.delta, r.delta_percent) for r in ranked] == [
        ("b", Decimal("-2.00"), Decimal("-20.00")),
        ("a", Decimal("0.00"), Decimal("0.00")),
        ("c", Decimal("2.50"), Decimal("25.00")),
    ]
    assert all(r.reference == "a" for r in ranked)


def test_rank_ties_share_a_place_in_given_order() -> None:
    ranked = rank([priced("a", "2"), priced("b", "1"), priced("c", "2.00"), priced("d", "3")])
    assert [(r.estimate.key, r.rank) for r in ranked] == [("b", 1), ("a", 2), ("c", 2), ("d", 4)]


def test_rank_free_reference_has_no_percent() -> None:
    ranked = rank([priced("free", "0"), priced("paid", "1.5")])
    assert ranked[1].delta == Decimal("1.5") and ranked[1].delta_percent is None


def test_rank_bad_baselines() -> None:
    estimates = [priced("a", "1"), priced("x", None)]
    with pytest.raises(WorkloadError, match="not among the models priced"):
        rank(estimates, "zzz")
    with pytest.raises(WorkloadError, match="x cannot serve"):
        rank(estimates, "x")
    (only,) = rank([priced("x", None)])
    assert (only.rank, only.delta, only.delta_percent, only.reference) == (None, None, None, None)


def test_rank_real_estimates(fixture: Catalog) -> None:
    w = build_workload(tokens=5_000_000)
    estimates = [estimate([m], w) for m in fixture]
    ranked = rank(estimates, "batch-text")
    servable = [r for r in ranked if r.rank is not None]
    totals = [r.estimate.total for r in servable]
    assert totals == sorted(totals)  # type: ignore[type-var]
    assert all(r.rank is None for r in ranked[len(servable) :])
    for r in ranked[
        len(servable) :
    ]:  # only models that cannot take a token workload, or lack a price
        model = fixture.get(r.estimate.model_ids[0])
        assert model is not None
        assert (
            model.type == "image"
            or model.price("input") is None
            or model.price("output") is None
            or model.type not in ("text", "embedding")
        ), model.id
    base = next(r for r in ranked if r.estimate.key == "batch-text")
    assert (
        base.estimate.total == Decimal("9.625") and base.delta == 0
    )  # 3.75M x 1.10 + 1.25M x 4.40


# --- periods -----------------------------------------------------------------------------------


def test_estimate_carries_the_period(fixture: Catalog) -> None:
    w = build_workload(input_tokens=1, period=Period.YEAR)
    assert one(fixture, "batch-text", w).period is Period.YEAR


# --- properties --------------------------------------------------------------------------------

Choice = tuple[str | None, str | None]
counts = st.integers(0, 10**12)
choices = st.sampled_from([(None, None), ("low", None), (None, "1536x1024"), ("high", "1024x1024")])


@st.composite
def workloads(
    draw: st.DrawFn,
    quality: str | None = None,
    size: str | None = None,
    batch: bool = False,
    request_tokens: int | None = None,
) -> Workload:
    # the first kinds by position, as callers may; every other BILLED kind sometimes counted
    others = {
        kind.quantity: draw(st.sampled_from([0, 0, 0, 7, 10**6]))
        for kind in BILLED
        if kind.quantity not in ("input_tokens", "cached_input_tokens", "output_tokens")
    }
    return Workload(
        draw(counts),
        draw(counts),
        draw(counts),
        draw(st.integers(0, 10**9)),
        quality,
        size,
        batch,
        request_tokens,
        **others,
    )


def all_models() -> list[Model]:
    return [*_load(None), *_load(FIXTURE)]


MODELS = all_models()


@settings(max_examples=200)
@given(st.data(), choices, st.booleans(), st.none() | st.integers(1, 2_000_000))
def test_total_is_the_sum_of_the_line_items(
    data: st.DataObject, choice: Choice, batch: bool, request_tokens: int | None
) -> None:
    w = data.draw(workloads(*choice, batch=batch, request_tokens=request_tokens))
    model = data.draw(st.sampled_from(MODELS))
    est = estimate([model], w)
    if est.servable:
        assert est.total == sum((item.cost for item in est.line_items), Decimal(0))
        pers = {kind.key: kind.per for kind in BILLED}
        for item in est.line_items:
            per = 1 if item.kind == "images" else pers[item.kind]
            assert item.cost * per == item.quantity * item.unit_price
    else:
        assert est.total is None and est.cannot_serve


@settings(max_examples=200)
@given(st.data(), choices, st.booleans())
def test_costs_add_up_over_workloads(data: st.DataObject, choice: Choice, batch: bool) -> None:
    w1 = data.draw(workloads(*choice, batch=batch))
    w2 = data.draw(workloads(*choice, batch=batch))
    model = data.draw(st.sampled_from([m for m in MODELS if not m.prices.tiers]))
    whole, first, second = (estimate([model], w) for w in (w1 + w2, w1, w2))
    if first.servable and second.servable:
        assert whole.servable
        assert first.total is not None and second.total is not None
        assert whole.total == first.total + second.total


# Catalog prices are exact decimals with any number of places, up to the schema's $1e9 cap.
prices = st.decimals(min_value=0, max_value=10**9, places=6) | st.builds(
    lambda digits, places: Decimal(f"{digits}E-{places}"),
    st.integers(1, 10**30),
    st.integers(21, 400),
)


@settings(max_examples=200)
@given(prices, prices, st.integers(0, 10**15), st.integers(0, 10**15))
def test_any_catalog_price_is_priced_exactly(
    inp: Decimal, out: Decimal, n_in: int, n_out: int
) -> None:
    standard = PriceSet({"input": inp, "output": out})
    model = Model("m", "p", "text", "M", prices=Prices(standard=standard))
    est = estimate([model], Workload(input_tokens=n_in, output_tokens=n_out))
    assert est.total is not None
    exact = (Fraction(inp) * n_in + Fraction(out) * n_out) / 1_000_000
    assert Fraction(est.total) == exact
    other = Estimate(("o",), (), Decimal(1), True)
    assert len(rank([est, other])) == 2  # percentages of any magnitude do not overflow


def test_only_like_workloads_add() -> None:
    with pytest.raises(ValueError):
        Workload(images=1, quality="low") + Workload(images=1, quality="high")
    with pytest.raises(ValueError):
        Workload(input_tokens=-1)
    assert (Workload(1, 2, 3, 4) + Workload(10, 20, 30, 40)) == Workload(11, 22, 33, 44)


# --- the table of billed kinds ---------------------------------------------------------------------


def test_the_billed_table_drives_cards_and_line_items() -> None:
    """Every row names a catalog price, a Workload count and (if any) a billed fallback; a rate
    card holds one rate per row, and an estimate itemises one line per counted row with the
    row's label, unit and divisor, in the table's order."""
    from aicompare.model import PRICE_KEYS
    from aicompare.pricing import quote_all, rate_card

    counts = set(Workload.__slots__)  # its fields (frozen.Frozen)
    keys = [kind.key for kind in BILLED]
    # the order of the JSON line items: prompt, image, then audio and video kinds
    assert keys[:6] == [
        "input",
        "cached_input",
        "cache_write",
        "cache_write_1h",
        "output",
        "reasoning",
    ]
    assert len(set(keys)) == len(keys) and len({kind.quantity for kind in BILLED}) == len(keys)
    for kind in BILLED:
        assert kind.rate in PRICE_KEYS and kind.quantity in counts and kind.per > 0
        assert kind.fallback is None or kind.fallback in keys
        assert kind.role in ("prompt", "output", "image", "media", "fee")
    rates = list(dict.fromkeys(kind.rate for kind in BILLED))
    assert [kind.key for kind in BILLED if kind.key != kind.rate] == [
        "reasoning",
        "request",
        "web_search",
    ]
    prices = {key: Decimal(f"{index + 1}.25") for index, key in enumerate(rates)}
    batch = {keys[0]: Decimal("0.5")}
    model = Model("m", "acme", "text", "M", prices=Prices(PriceSet(prices), PriceSet(batch)))
    card = rate_card(model)
    assert card.standard == tuple(prices[kind.rate] for kind in BILLED)
    assert card.batch == (Decimal("0.5"), *(None,) * (len(keys) - 1))
    quantities = {kind.quantity: 1_000_000 + index for index, kind in enumerate(BILLED)}
    workload = Workload(**quantities)
    est = estimate([model], workload)
    assert [(ln.kind, ln.quantity, ln.label, ln.unit, ln.cost) for ln in est.line_items] == [
        (
            kind.key,
            quantities[kind.quantity],
            kind.label,
            kind.unit,
            prices[kind.rate] * quantities[kind.quantity] / kind.per,
        )
        for kind in BILLED
    ]
    assert est.total == quote_all([card], workload)[0] == sum(ln.cost for ln in est.line_items)


def test_rank_percentages_are_exact_whatever_the_magnitudes() -> None:
    """The percentage of a delta is computed exactly (fmt.percent), whatever the digits."""
    from decimal import ROUND_HALF_UP, Context, localcontext

    tiny, huge = Decimal("1E-40"), Decimal("123456789012345678901234567890.5")
    ranked = rank([Estimate(("a",), (), tiny, True), Estimate(("b",), (), huge, True)])
    with localcontext(Context(prec=500)):
        delta = huge - tiny
        expected = (delta * 100 / tiny).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert ranked[1].delta == delta and ranked[1].delta_percent == expected
    assert len(str(expected).replace(".", "")) == 74  # every digit: 72 integer places, 2 decimals


def test_records_behave_as_the_frozen_dataclasses_they_replace() -> None:
    """Workload, LineItem, Estimate, Ranked (and costing.CostResult) are frozen.Frozen classes
    written out: equal by class and fields, hashable, shown like a dataclass, read-only, and
    copied and pickled whole."""
    import copy
    import pickle

    line = LineItem("input", 10, "per 1M tokens", Decimal("2.50"), Decimal("0.000025"), "m")
    assert repr(line) == (
        "LineItem(kind='input', quantity=10, unit='per 1M tokens', unit_price=Decimal('2.50'), "
        "cost=Decimal('0.000025'), model_id='m', detail=None, note=None)"
    )
    est = Estimate(("m",), (line,), line.cost, True)
    assert est == Estimate(("m",), (line,), Decimal("0.000025"), True, (), (), Period.MONTH)
    assert est != Estimate(("m",), (line,), line.cost, True, notes=("x",))
    assert est != (("m",), (line,), line.cost, True, (), (), Period.MONTH)  # not a tuple
    ranked = Ranked(1, est, Decimal(0), Decimal(0), "m")
    assert len({ranked, Ranked(1, est, Decimal(0), Decimal(0), "m")}) == 1
    for record in (line, est, ranked):
        first = record.__slots__[0]  # a field: kind, model_ids, rank
        with pytest.raises(AttributeError, match=f"cannot assign to field '{first}'"):
            setattr(record, first, "changed")
        with pytest.raises(AttributeError):
            delattr(record, first)
        assert copy.copy(record) == record == pickle.loads(pickle.dumps(record))
    w = Workload(1000, output_tokens=5, tier="flex")
    assert (w.input_tokens, w.output_tokens, w.table, w.period) == (1000, 5, "flex", Period.MONTH)
    assert repr(w).startswith("Workload(input_tokens=1000, cached_input_tokens=0, output_tokens=5,")
    assert repr(w).endswith("requests=0, web_searches=0, table='flex')")
    assert w + w == Workload(2000, output_tokens=10, tier="flex") != w
    assert hash(w + w) == hash(Workload(2000, output_tokens=10, tier="flex"))
    with pytest.raises(ValueError, match="must be an int"):
        Workload(-1)
    with pytest.raises(ValueError, match="prices of their own"):
        Workload(batch=True, off_peak=True)
