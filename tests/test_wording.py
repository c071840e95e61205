"""Wording of savings: computed exactly, never "100% cheaper" for a price above 0, never "0%"."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aicompare import fmt

PRICES = """schema_version = 1
[models.tiny]
provider = "x"
type = "text"
prices = { input = 0.0001, output = 1, cached_input = 0.002 }
[models.big]
provider = "x"
type = "text"
prices = { input = 2.50, output = 1.004, cached_input = 2.50 }
[models.near]
provider = "x"
type = "text"
prices = { input = 0.01, output = 1.00004, cached_input = 0.0003 }
[models.free]
provider = "x"
type = "text"
prices = { input = 0, output = 1.004, cached_input = 2.50 }
[models.pic-cheap]
provider = "x"
type = "image"
image_prices = { any = { any = 0.0001 } }
[models.pic-dear]
provider = "x"
type = "image"
image_prices = { any = { any = 2.5 } }
"""


@pytest.fixture
def prices(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    path = tmp_path / "prices.toml"
    path.write_text(PRICES, encoding="utf-8")
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(path))
    return cli


def sentences(run) -> list[str]:
    assert run.exit_code == 0, run.stderr
    return [line[2:] for line in run.stdout.splitlines() if line.startswith("- ")]


def test_a_tiny_price_is_a_ratio_not_100_percent(prices) -> None:
    # 0.0001 vs 2.50 is 99.996% cheaper: rounding would say 100%
    assert sentences(prices("diff", "tiny", "big")) == [
        "tiny is 25,000× cheaper on input tokens ($0.0001 vs $2.50 per 1M).",
        "tiny is 1,250× cheaper on cached input tokens ($0.002 vs $2.50 per 1M).",
        "tiny is under 1% cheaper on output tokens ($1.00 vs $1.004 per 1M).",
    ]


def test_ratio_is_rounded_down_and_over_99_below_the_threshold(prices) -> None:
    assert sentences(prices("diff", "near", "big")) == [
        # 2.50 / 0.01 = 250x: 99.6%, under RATIO_FROM
        "near is over 99% cheaper on input tokens ($0.01 vs $2.50 per 1M).",
        # 2.50 / 0.0003 = 8,333.3x
        "near is 8,333× cheaper on cached input tokens ($0.0003 vs $2.50 per 1M).",
        "near is under 1% cheaper on output tokens ($1.00004 vs $1.004 per 1M).",
    ]


def test_a_tiny_difference_is_under_1_percent_not_0(prices) -> None:
    # 1 vs 1.00004 is 0.004% cheaper: rounding would say 0%
    assert "tiny is under 1% cheaper on output tokens ($1.00 vs $1.00004 per 1M)." in sentences(
        prices("diff", "tiny", "near")
    )


def test_three_models_and_json(prices) -> None:
    doc = prices("diff", "tiny", "near", "big", "--json").json()
    by_field = {d["field"]: d for d in doc["differences"] if d["kind"] == "price"}
    assert by_field["prices.input"]["text"] == (
        "tiny is the cheapest on input tokens, 25,000× cheaper than big ($0.0001 vs $2.50 per 1M)."
    )
    # two places, but never "100.00" for a price above 0 nor "0.00" for a real difference
    assert by_field["prices.input"]["percent"] == "99.99"
    assert by_field["prices.output"]["percent"] == "0.40"
    pair = prices("diff", "tiny", "near", "--json").json()
    output = next(d for d in pair["differences"] if d.get("field") == "prices.output")
    assert output["percent"] == "0.01" and output["text"].startswith("tiny is under 1% cheaper")


def test_free_keeps_its_wording(prices) -> None:
    assert "free is 100% cheaper on input tokens ($0.00 vs $2.50 per 1M)." in sentences(
        prices("diff", "free", "big")
    )
    doc = prices("diff", "free", "big", "--json").json()
    inputs = next(d for d in doc["differences"] if d.get("field") == "prices.input")
    assert inputs["percent"] == "100.00"


def test_image_sentence(prices) -> None:
    assert sentences(prices("diff", "pic-cheap", "pic-dear")) == [
        "pic-cheap is 25,000× cheaper per image at its lowest price "
        "(from $0.0001 vs from $2.50 per image)."
    ]


def test_cost_table_never_says_0_or_100_percent(prices) -> None:
    run = prices("cost", "tiny", "near", "--output", "1M")
    assert run.exit_code == 0, run.stderr
    assert "+$0.00004 (+<1%)" in run.stdout and "(+0%)" not in run.stdout
    run = prices("cost", "tiny", "big", "--input", "1M", "--baseline", "big")
    assert "-$2.4999 (->99%)" in run.stdout and "100%" not in run.stdout
    doc = prices("cost", "tiny", "big", "--input", "1M", "--baseline", "big", "--json").json()
    assert [r["delta_percent"] for r in doc["results"]] == ["-99.99", "0.00"]
    doc = prices("cost", "tiny", "near", "--output", "1M", "--json").json()
    assert [r["delta_percent"] for r in doc["results"]] == ["0.00", "0.01"]


def write_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    path = tmp_path / "layer.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("AICOMPARE_CATALOG", str(path))


def test_budget_pick_far_cheaper(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # alpha-large stays the top pick (vision); 750k in + 250k out: $8.75 vs $0.00035
    write_layer(
        tmp_path, monkeypatch, "[models.alpha-mini.prices]\ninput = 0.0002\noutput = 0.0008\n"
    )
    doc = cli("best", "--for", "chat", "--json").json()
    assert doc["budget_pick"]["reason"] == (
        "alpha-mini is the budget pick: the cheapest of the 2 that qualify with a price for 1M "
        "tokens a month, 25,000× cheaper than alpha-large "
        "($0.00035 vs $8.75)."
    )


def test_budget_pick_barely_cheaper(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # $8.749975 vs $8.75: 0.0003% cheaper
    write_layer(
        tmp_path, monkeypatch, "[models.alpha-mini.prices]\ninput = 5.00\noutput = 19.9999\n"
    )
    doc = cli("best", "--for", "chat", "--json").json()
    assert doc["budget_pick"]["reason"] == (
        "alpha-mini is the budget pick: the cheapest of the 2 that qualify with a price for 1M "
        "tokens a month, under 1% cheaper than alpha-large "
        "($8.74998 vs $8.75)."
    )


# --- the helpers, exactly ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [
        ("0.0001", "2.50", "25,000× cheaper"),
        ("1", "1.004", "under 1% cheaper"),
        ("1.10", "5.00", "78% cheaper"),
        ("0.005", "1", "over 99% cheaper"),  # 99.5% exactly rounds to 100: 200x
        ("0.0051", "1", "99% cheaper"),
        ("0.001", "1", "1,000× cheaper"),  # RATIO_FROM exactly
        ("0.0010001", "1", "over 99% cheaper"),
        ("0.995", "1", "1% cheaper"),  # 0.5% exactly rounds half up to 1%
        ("0.9951", "1.000", "under 1% cheaper"),
        ("0", "3", "100% cheaper"),
        # 87.495% is 87%; rounding to 87.50 first would have said 88%
        ("0.12505", "1", "87% cheaper"),
        ("1E-40", "1", "10,000,000,000,000,000,000,000,000,000,000,000,000,000× cheaper"),
        ("0.9999999999999999999999999999999", "1", "under 1% cheaper"),
        (
            "0.0000000000000000000000000000001",
            "1.0000000000000000000000000000001",
            "10,000,000,000,000,000,000,000,000,000,001× cheaper",
        ),
    ],
)
def test_cheaper_text_examples(low: str, high: str, text: str) -> None:
    assert fmt.cheaper_text(Decimal(low), Decimal(high)) == text


@pytest.mark.parametrize(
    ("part", "whole", "text", "json"),
    [
        ("2.4999", "2.5", ">99%", "99.99"),
        ("0.00004", "1.0001", "<1%", "0.01"),
        ("0", "1", "0%", "0.00"),
        ("2.5", "2.5", "100%", "100.00"),
        ("-3.9", "5", "78%", "-78.00"),
        ("6.825", "1.925", "355%", "354.55"),
        ("0.124995", "1", "12%", "12.50"),
        ("1.0000000000000000000000000000001", "1", "100%", "100.00"),
        ("0.9999999999999999999999999999999", "1", ">99%", "99.99"),
    ],
)
def test_percent_and_percent_text(part: str, whole: str, text: str, json: str) -> None:
    assert fmt.percent_text(Decimal(part), Decimal(whole)) == text
    assert format(fmt.percent(Decimal(part), Decimal(whole)), "f") == json


def decimals(low: int = 0) -> st.SearchStrategy[Decimal]:
    """Prices as catalogs write them: up to 12 digits, from 1E-30 to 1E+9."""
    return st.builds(
        lambda digits, exponent: Decimal(digits).scaleb(exponent),
        st.integers(low, 10**12),
        st.integers(-30, -3),
    )


PHRASE = re.compile(
    r"^(?:(?P<pct>\d+)% cheaper|under 1% cheaper|over 99% cheaper|"
    r"(?P<times>[\d,]+)× cheaper)$"
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(decimals(), decimals(1))
def test_cheaper_text_never_lies(a: Decimal, b: Decimal) -> None:
    low, high = min(a, b), max(a, b)
    if low == high:
        return
    text = fmt.cheaper_text(low, high)
    match = PHRASE.match(text)
    assert match, text
    saving = (Fraction(high) - Fraction(low)) / Fraction(high) * 100
    assert ("100%" in text) == (low == 0), text
    assert not re.search(r"(?<![\d,])0%", text), text
    if match["pct"] is not None:
        assert abs(saving - int(match["pct"])) <= Fraction(1, 2), text
    elif match["times"] is not None:
        ratio = Fraction(high) / Fraction(low)
        times = int(match["times"].replace(",", ""))
        assert times >= fmt.RATIO_FROM and times <= ratio < times + 1, text
    elif text.startswith("under"):
        assert 0 < saving < Fraction(1, 2), text
    else:
        assert Fraction(199, 2) <= saving < 100 and Fraction(high) / Fraction(low) < fmt.RATIO_FROM


@settings(max_examples=400, deadline=None, derandomize=True)
@given(decimals(), decimals(1))
def test_percent_text_and_json_percent_never_lie(part: Decimal, whole: Decimal) -> None:
    text = fmt.percent_text(part, whole)
    value = fmt.percent(part, whole)
    share = Fraction(part) / Fraction(whole) * 100
    assert (text == "0%") == (part == 0) and (value == 0) == (part == 0)
    if text == "100%" or value == 100:
        assert share >= 100
    assert abs(Fraction(value) - share) <= Fraction(1, 100)
    assert value.as_tuple().exponent == -2
