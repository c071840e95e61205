"""Price kinds besides the per-token standard prices: service tiers (`--tier`), off-peak hours
(`--off-peak`), thinking-mode output (`--thinking`), per-request fees (`--requests`) and web
searches (`--searches`), on the bundled catalog, each total worked out by hand and held to the
reference data sets it comes from."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aicompare.catalog import Layer
from aicompare.errors import CatalogError, UsageError
from aicompare.fields import parse_field
from aicompare.loader import build_catalog
from tests.conftest import Run

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference"
needs_reference = pytest.mark.skipif(
    not REFERENCE.is_dir(), reason=f"reference data sets not found at {REFERENCE}"
)
M = Decimal(1_000_000)


def _genai(provider: str, model: str) -> dict[str, Any]:
    data = json.loads(
        (REFERENCE / "genai-prices" / "data.v2.pypi-0.2.3.json").read_text(),
        parse_float=Decimal,
    )
    prov = next(p for p in data if p["id"] == provider)
    return dict(next(m for m in prov["models"] if m["id"] == model))


def _litellm(key: str) -> dict[str, Any]:
    data = json.loads(
        (REFERENCE / "litellm" / "model_prices_and_context_window.json").read_text(),
        parse_float=Decimal,
    )
    return dict(data[key])


def _cost(bundled_cli: Callable[..., Run], *args: str) -> dict[str, Any]:
    run = bundled_cli("cost", *args, "--json")
    assert run.exit_code == 0 and run.stderr == "", run.stderr
    (row,) = run.json()["results"]
    return dict(row)


def _lines(row: dict[str, Any]) -> list[tuple[str, int, str, str | None]]:
    return [(ln["kind"], ln["quantity"], ln["cost"], ln["detail"]) for ln in row["line_items"]]


@needs_reference
def test_sonar_pro_with_its_request_fee_is_genai_prices_own_total(
    bundled_cli: Callable[..., Run],
) -> None:
    """1M input, 1M output and 1,000 requests: $3 + $15 + $14 = $32, genai-prices' total."""
    prices = _genai("perplexity", "sonar-pro")["prices"]
    theirs = prices["input_mtok"] + prices["output_mtok"] + prices["requests_kcount"] * 1000 / 1000
    assert theirs == Decimal(32)
    row = _cost(bundled_cli, "sonar-pro", "--input", "1M", "--output", "1M", "--requests", "1k")
    assert Decimal(row["total"]) == theirs
    assert _lines(row)[-1] == ("request", 1000, "14", None)


def test_requests_derived_from_request_tokens_are_stated(bundled_cli: Callable[..., Run]) -> None:
    """1M prompt tokens at 2,000 a request: 500 requests, $7 of fees on top of $3 + $15."""
    run = bundled_cli(
        "cost", "sonar-pro", "--input", "1M", "--output", "1M", "--request-tokens", "2k", "--json"
    )
    doc = run.json()
    assert doc["workload"]["requests"] == 500
    assert (
        "500 requests: 1M prompt tokens over --request-tokens 2k, rounded up (give --requests to "
        "set them); billed where a model charges per request"
    ) in doc["workload"]["assumptions"]
    (row,) = doc["results"]
    assert row["total"] == "25" and _lines(row)[-1] == ("request", 500, "7", None)


def test_a_request_fee_without_a_count_is_said_not_silently_left_out(
    bundled_cli: Callable[..., Run],
) -> None:
    row = _cost(bundled_cli, "sonar-pro", "--input", "1M", "--output", "1M")
    assert row["total"] == "18"
    assert (
        "sonar-pro also charges $14.00 per 1,000 requests, not billed: give --requests N "
        "(or --request-tokens)"
    ) in row["notes"]


@needs_reference
def test_flex_and_priority_tiers_of_gpt_5_mini(bundled_cli: Callable[..., Run]) -> None:
    """LiteLLM's per-token _flex and _priority fields: flex $0.125 + $1 = $1.125; priority
    $0.45 + $3.60 = $4.05 (standard $0.25 + $2 = $2.25)."""
    rec = _litellm("gpt-5-mini")
    flex = (rec["input_cost_per_token_flex"] + rec["output_cost_per_token_flex"]) * M
    priority = (rec["input_cost_per_token_priority"] + rec["output_cost_per_token_priority"]) * M
    assert (flex, priority) == (Decimal("1.125"), Decimal("4.05"))
    args = ("gpt-5-mini", "--input", "1M", "--output", "1M")
    row = _cost(bundled_cli, *args, "--tier", "flex")
    assert Decimal(row["total"]) == flex
    assert _lines(row) == [
        ("input", 1_000_000, "0.125", "flex tier"),
        ("output", 1_000_000, "1", "flex tier"),
    ]
    row = _cost(bundled_cli, *args, "--tier", "priority")
    assert Decimal(row["total"]) == priority
    assert Decimal(_cost(bundled_cli, *args, "--tier", "standard")["total"]) == Decimal("2.25")


def test_a_model_without_the_tier_cannot_serve_it(bundled_cli: Callable[..., Run]) -> None:
    row = _cost(bundled_cli, "claude-sonnet-4-5", "--tokens", "1M", "--tier", "flex")
    assert row["servable"] is False and row["total"] is None
    assert row["cannot_serve"] == [
        "the flex tier (no flex prices for claude-sonnet-4-5 in the catalog)"
    ]


@needs_reference
def test_mistral_batch_is_half_price(bundled_cli: Callable[..., Run]) -> None:
    """genai-prices' batch variant of mistral-large-2512 (LiteLLM has none): 2M input at $0.25
    and 2M output at $0.75 = $2, half the standard $4."""
    model = _genai("mistral", "mistral-large-2512")
    [variant] = model["price_variants"]
    assert variant["when"] == {"processing": "batch"}
    theirs = 2 * variant["prices"]["input_mtok"] + 2 * variant["prices"]["output_mtok"]
    args = ("mistral-large-2512", "--input", "2M", "--output", "2M")
    batch = _cost(bundled_cli, *args, "--batch")
    assert Decimal(batch["total"]) == theirs == Decimal(2)
    assert [line[3] for line in _lines(batch)] == ["batch", "batch"]
    assert Decimal(_cost(bundled_cli, *args)["total"]) == 2 * theirs


@needs_reference
def test_gpt_image_2_batch_image_output_tokens(bundled_cli: Callable[..., Run]) -> None:
    """genai-prices writes gpt-image-2's image output as output_mtok: its batch half, $15 per
    1M, bills the image output tokens under --batch."""
    model = _genai("openai", "gpt-image-2")
    [variant] = model["price_variants"]
    assert variant["prices"]["output_mtok"] == Decimal(15)
    row = _cost(bundled_cli, "gpt-image-2", "--image-output-tokens", "1M", "--batch")
    assert _lines(row) == [("image_output", 1_000_000, "15", "batch")]


@needs_reference
def test_deepseek_off_peak(bundled_cli: Callable[..., Run]) -> None:
    """LiteLLM's off_peak_pricing of deepseek-v4-pro: $0.66 + $1.98 = $2.64 in the off-peak
    hours (weekday windows 00:00-01:00, 04:00-06:00, 10:00-00:00 UTC), half the $5.28 peak."""
    off = _litellm("deepseek/deepseek-v4-pro")["off_peak_pricing"]
    theirs = (off["input_cost_per_token"] + off["output_cost_per_token"]) * M
    assert theirs == Decimal("2.64")
    args = ("deepseek-v4-pro", "--input", "1M", "--output", "1M")
    row = _cost(bundled_cli, *args, "--off-peak")
    assert Decimal(row["total"]) == theirs
    detail = "off-peak, 04:00-06:00, 10:00-01:00 UTC"
    assert _lines(row) == [
        ("input", 1_000_000, "0.66", detail),
        ("output", 1_000_000, "1.98", detail),
    ]
    assert Decimal(_cost(bundled_cli, *args)["total"]) == 2 * theirs


def test_off_peak_on_a_model_without_it_bills_its_standard_rates(
    bundled_cli: Callable[..., Run],
) -> None:
    row = _cost(bundled_cli, "gpt-5-mini", "--input", "1M", "--output", "1M", "--off-peak")
    assert row["total"] == "2.25"
    assert (
        "gpt-5-mini has no off-peak prices in the catalog: its standard rates apply at all hours"
    ) in row["notes"]


@needs_reference
def test_web_searches(bundled_cli: Callable[..., Run]) -> None:
    """genai-prices' web_searches_kcount of claude-sonnet-4-5, $10 per 1,000: 2,500 searches
    are $25 on top of $3 + $15."""
    assert _genai("anthropic", "claude-sonnet-4-5")["prices"]["web_searches_kcount"] == 10
    row = _cost(
        bundled_cli, "claude-sonnet-4-5", "--input", "1M", "--output", "1M", "--searches", "2.5k"
    )
    assert row["total"] == "43"
    assert _lines(row)[-1] == ("web_search", 2500, "25", None)


def test_a_model_without_a_search_price_cannot_serve_searches(
    bundled_cli: Callable[..., Run],
) -> None:
    row = _cost(bundled_cli, "mistral-large-2512", "--tokens", "1M", "--searches", "10")
    assert row["cannot_serve"] == [
        "web searches (no web-search price for mistral-large-2512 in the catalog)"
    ]


@needs_reference
def test_qwen_thinking_mode_output(bundled_cli: Callable[..., Run]) -> None:
    """models.dev's reasoning cost of alibaba qwen-plus, $4 per 1M output in thinking mode
    (against $1.20): 1M input + 1M output = $0.40 + $4 = $4.40."""
    data = json.loads(
        (REFERENCE / "models.dev" / "models-dev-catalog.json").read_text(), parse_float=Decimal
    )
    cost = data["providers"]["alibaba"]["models"]["qwen-plus"]["cost"]
    assert (cost["output"], cost["reasoning"]) == (Decimal("1.2"), Decimal(4))
    args = ("qwen-plus", "--input", "1M", "--output", "1M")
    row = _cost(bundled_cli, *args, "--thinking")
    assert row["total"] == "4.4"
    assert _lines(row)[1] == ("output", 1_000_000, "4", "thinking mode")
    assert _cost(bundled_cli, *args)["total"] == "1.6"


def test_thinking_on_a_model_without_its_price_bills_output_and_says_so(
    bundled_cli: Callable[..., Run],
) -> None:
    row = _cost(bundled_cli, "gpt-5-mini", "--input", "1M", "--output", "1M", "--thinking")
    assert row["total"] == "2.25"
    assert row["line_items"][1]["note"] == (
        "no thinking-mode price in the catalog; output rate used"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--batch", "--tier", "flex"), "error: --batch and --tier flex are two different prices"),
        (
            ("--off-peak", "--tier", "priority"),
            "error: --off-peak cannot be combined with --tier priority",
        ),
        (("--off-peak", "--batch"), "error: --off-peak cannot be combined with --batch"),
        (("--tier", "turbo"), "error: --tier: 'turbo' is not a service tier the catalog prices"),
        (("--searches", "-1"), "error: --searches: '-1' must not be negative"),
    ],
)
def test_usage_errors(bundled_cli: Callable[..., Run], args: tuple[str, ...], message: str) -> None:
    run = bundled_cli("cost", "gpt-5-mini", "--tokens", "1M", *args)
    assert run.exit_code == 2 and run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines[0] == message and len(lines) == 2


def test_the_tier_is_case_and_space_insensitive(bundled_cli: Callable[..., Run]) -> None:
    row = _cost(bundled_cli, "gpt-5-mini", "--input", "1M", "--output", "1M", "--tier", " FLEX ")
    assert row["total"] == "1.125"


def test_best_takes_the_tier(bundled_cli: Callable[..., Run]) -> None:
    run = bundled_cli("best", "--for", "chat", "--tokens", "1M", "--tier", "flex", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["workload"]["tier"] == "flex"


# --- the catalog: off-peak hours, the new tables ---------------------------------------------


def _validate(prices: dict[str, Any]) -> list[str]:
    doc = {"models": {"m": {"provider": "p", "type": "text", "prices": prices}}}
    try:
        build_catalog([(Layer("test", "test.toml", True), doc, "")])
    except CatalogError as error:
        return [line.split(": ", 2)[-1] for line in error.problems]
    return []


def test_off_peak_hours_are_required_and_checked() -> None:
    base = {"input": Decimal(1)}
    assert _validate({**base, "off_peak": {"input": Decimal("0.5")}}) == [
        "required: the UTC hours the prices apply"
    ]
    assert _validate({**base, "off_peak": {"hours": "25:00-01:00", "input": Decimal(1)}}) == [
        'expected UTC windows like "16:30-00:30" (", " between two), got \'25:00-01:00\''
    ]
    assert _validate({**base, "off_peak": {"hours": "10:00-10:00", "input": Decimal(1)}}) == [
        "the window '10:00-10:00' is empty: give its start and its end"
    ]
    assert _validate({**base, "flex": {"speed": Decimal(1)}}) == ["unknown price key"]
    assert _validate({**base, "priority": "fast"}) == ["expected a table, got a string"]
    good = {**base, "off_peak": {"hours": "04:00-06:00,10:00-01:00", "input": Decimal("0.5")}}
    assert _validate(good) == []


def test_catalog_set_takes_the_new_tables() -> None:
    assert parse_field("prices.flex.input", "0.125") == Decimal("0.125")
    assert parse_field("prices.request_per_1k", "14") == Decimal(14)
    assert parse_field("prices.off_peak.hours", "16:30-00:30 ,04:00-06:00") == (
        "16:30-00:30, 04:00-06:00"
    )
    with pytest.raises(UsageError, match="expected UTC windows"):
        parse_field("prices.off_peak.hours", "afternoon")


# --- the importers: which fee a per-query price is, what a reasoning cost is -------------------


def _litellm_prices(provider: str, sizes: tuple[str, str, str]) -> dict[str, Any]:
    import datetime as dt

    from aicompare.importers import litellm

    low, medium, high = (Decimal(v) for v in sizes)
    record = {
        "litellm_provider": provider,
        "mode": "chat",
        "input_cost_per_token": Decimal("0.000002"),
        "output_cost_per_token": Decimal("0.000008"),
        "search_context_cost_per_query": {
            "search_context_size_low": low,
            "search_context_size_medium": medium,
            "search_context_size_high": high,
        },
    }
    result = litellm.convert({"m": record}, source="x", as_of=dt.date(2026, 11, 21))
    return dict(result.models["m"]["prices"])


def test_a_search_price_by_context_size_is_perplexitys_request_fee() -> None:
    """Sonar bills each request by its search context (low, medium, high): the high fee is
    kept; one price per query whatever the context is a price per search call (Sonar Deep
    Research's search queries, OpenAI's web-search tool)."""
    sonar = _litellm_prices("perplexity", ("0.005", "0.008", "0.012"))
    assert sonar["request_per_1k"] == Decimal(12) and "web_search_per_1k" not in sonar
    deep = _litellm_prices("perplexity", ("0.005", "0.005", "0.005"))
    assert deep["web_search_per_1k"] == Decimal(5) and "request_per_1k" not in deep
    openai = _litellm_prices("openai", ("0.01", "0.01", "0.01"))
    assert openai["web_search_per_1k"] == Decimal(10)
    # a search price by context size elsewhere is no one price per call: not converted
    assert "web_search_per_1k" not in _litellm_prices("openai", ("0.03", "0.035", "0.05"))


def test_a_reasoning_cost_below_the_output_price_is_no_thinking_price() -> None:
    import datetime as dt

    from aicompare.importers import modelsdev

    def convert(cost: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        data = {
            "providers": {"p": {"id": "p", "name": "P", "models": {"m": {"id": "m", "cost": cost}}}}
        }
        result = modelsdev.convert(data, source="x", as_of=dt.date(2026, 11, 21))
        model = next(iter(result.models.values()))
        return dict(model.get("prices", {})), [str(n) for n in result.notes]

    qwen, _ = convert({"input": Decimal("0.4"), "output": Decimal("1.2"), "reasoning": 4})
    assert qwen["thinking_output"] == Decimal(4)
    deep, notes = convert({"input": 2, "output": 8, "reasoning": 3})
    assert "thinking_output" not in deep
    assert any("reasoning-token price below the output price" in n for n in notes)
