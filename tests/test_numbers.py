"""Numbers for people: money rounded for reading (never so far that it says something false),
unit prices as published, token counts that never invent a digit; machines keep exact values."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aicompare import fmt

# --- money: the rounding rule -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0.30625", "$0.306"),
        ("0.328125", "$0.328"),
        ("25.4375", "$25.44"),
        ("0.000275", "$0.000275"),
        # the $1 boundary: below it three significant figures, from it cents
        ("0.995", "$0.995"),
        ("0.99949", "$0.999"),
        ("0.9995", "$1.00"),
        ("1", "$1.00"),
        ("1.004", "$1.00"),
        # half up (ties away from zero), not half even: $1.005 is $1.01, $2.345 is $2.35
        ("1.005", "$1.01"),
        ("2.345", "$2.35"),
        ("0.0003125", "$0.000313"),
        ("0.0003135", "$0.000314"),
        # negative amounts round the same way, by their size
        ("-2.345", "-$2.35"),
        ("-0.30625", "-$0.306"),
        ("-1.004", "-$1.00"),
        # tiny amounts never read as $0
        ("0.0000001", "$0.0000001"),
        ("0.00000012345", "$0.000000123"),
        # at most cents' trailing zeros below $1
        ("0.5", "$0.50"),
        ("0.1004", "$0.10"),
        ("0.05", "$0.05"),
        ("0", "$0.00"),
        ("1234.5", "$1,234.50"),
        ("1234567.891", "$1,234,567.89"),
    ],
)
def test_money_is_rounded_for_reading(value: str, text: str) -> None:
    assert fmt.money(Decimal(value)) == text


def test_money_without_grouping_and_unknown() -> None:
    assert fmt.money(Decimal("1234.5"), grouping=False) == "$1234.50"
    assert fmt.money(None) == "n/a"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0.035", "$0.035"),
        ("0.0016668", "$0.0016668"),
        ("0.30625", "$0.30625"),
        ("1.1", "$1.10"),
        ("63", "$63.00"),
        ("2.50", "$2.50"),
        ("0.0000001", "$0.0000001"),
        ("12345.678901", "$12,345.678901"),
    ],
)
def test_unit_prices_are_exact(value: str, text: str) -> None:
    assert fmt.price(Decimal(value)) == text


def shown(text: str) -> Decimal:
    """The amount a money text says: '-$1,234.50' -> Decimal('-1234.50')."""
    match = re.fullmatch(r"(-?)\$([0-9,]+\.[0-9]+)", text)
    assert match, text
    return Decimal(match[1] + match[2].replace(",", ""))


amounts = st.decimals(
    min_value=Decimal("-100000"),
    max_value=Decimal("100000"),
    allow_nan=False,
    allow_infinity=False,
    places=12,
)


@settings(max_examples=400, deadline=None)
@given(amounts)
def test_money_rounds_once_half_up_and_never_to_zero(value: Decimal) -> None:
    text = fmt.money(value)
    amount = shown(text)
    if abs(amount) >= 1:
        assert -amount.as_tuple().exponent == 2, text  # cents
        unit = Decimal("0.01")
    else:
        digits = amount.copy_abs().normalize().as_tuple()
        assert len(digits.digits) <= fmt.READ_FIGURES or amount == 0, text
        unit = Decimal(1).scaleb(value.adjusted() - fmt.READ_FIGURES + 1) if value else Decimal(1)
        assert -amount.as_tuple().exponent >= 2, text  # at least cents
    # within half a unit of the last place kept, ties away from zero
    error = abs(amount - value)
    assert error <= unit / 2, (value, text)
    if error == unit / 2:
        assert abs(amount) > abs(value), (value, text)
    assert (amount == 0) == (value == 0), (value, text)
    assert (amount < 0) == (value < 0), (value, text)


# --- money side by side: rounding never makes two different amounts read the same --------------


def test_money_apart_adds_digits_only_where_needed() -> None:
    values = [Decimal("10.001"), Decimal("10.002"), Decimal("10.001"), Decimal("5"), None]
    assert fmt.money_apart(values) == ["$10.001", "$10.002", "$10.001", "$5.00", "n/a"]
    # $8.750 would read as $8.75: the dearer is exact, the cheaper gets the digits
    assert fmt.money_apart([Decimal("8.749975"), Decimal("8.75")]) == ["$8.74998", "$8.75"]
    assert fmt.money_apart([Decimal("0.1"), Decimal("0.1004")]) == ["$0.10", "$0.1004"]
    assert fmt.money_apart([Decimal("0.30625"), Decimal("0.5")]) == ["$0.306", "$0.50"]
    assert fmt.money_apart([]) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(amounts, max_size=6), st.lists(st.integers(0, 5), max_size=6))
def test_money_apart_never_shows_two_amounts_the_same(
    values: list[Decimal], repeats: list[int]
) -> None:
    # repeated values and near neighbours, to make rounding collide
    values = values + [values[i] + Decimal("0.0001") for i in repeats if i < len(values)]
    values = values + [values[i] for i in repeats if i < len(values)]
    texts = fmt.money_apart(values)
    read = [shown(t) for t in texts]
    for v, r, t in zip(values, read, texts, strict=True):
        assert len(t) >= len(fmt.money(v)) and abs(r - v) <= abs(shown(fmt.money(v)) - v), t
    for a, ra in zip(values, read, strict=True):
        for b, rb in zip(values, read, strict=True):
            assert (ra == rb) == (a == b), (a, b, texts)


# --- token counts: exact, or a short form that is exact ------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (8_192, "8,192"),
        (16_385, "16,385"),
        (65_536, "65,536"),
        (131_072, "131,072"),
        (1_047_576, "1,047,576"),
        (128_000, "128K"),
        (200_000, "200K"),
        (1_000_000, "1M"),
        (1_050_000, "1.05M"),
        (1_234_000, "1,234K"),
        (1_500, "1.5K"),
        (2_000_000_000, "2B"),
        (999, "999"),
        (0, "0"),
        (None, "n/a"),
    ],
)
def test_tokens_short_never_invents_precision(value: int | None, text: str) -> None:
    assert fmt.tokens_short(value) == text


@given(st.integers(min_value=0, max_value=10**13))
def test_tokens_short_reads_back_exactly(value: int) -> None:
    text = fmt.tokens_short(value)
    match = re.fullmatch(r"([0-9,]+(?:\.[0-9]{1,2})?)([KMB]?)", text)
    assert match, text
    scale = {"": 1, "K": 10**3, "M": 10**6, "B": 10**9}[match[2]]
    assert Decimal(match[1].replace(",", "")) * scale == value, text


def test_tokens_exact() -> None:
    assert fmt.tokens(1_047_576) == "1,047,576"
    assert fmt.tokens(None) == "n/a"


# --- through the commands ------------------------------------------------------------------------

CATALOG = """schema_version = 1
[models.small-a]
provider = "x"
type = "text"
context_window = 8192
max_output_tokens = 16385
prices = { input = 0.30625, output = 0.035 }
[models.small-b]
provider = "x"
type = "text"
context_window = 1047576
prices = { input = 0.30626, output = 0.0016668 }
[models.big-a]
provider = "x"
type = "text"
context_window = 128000
prices = { input = 10.001, output = 1 }
[models.big-b]
provider = "x"
type = "text"
context_window = 200000
prices = { input = 10.002, output = 1 }
[models.flat-pic]
provider = "x"
type = "image"
image_prices = { any = { any = 0.04 } }
[models.sized-pic]
provider = "x"
type = "image"
image_prices = { any = { "1024x1024" = 0.05 } }
"""


@pytest.fixture
def numbers(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    path = tmp_path / "numbers.toml"
    path.write_text(CATALOG, encoding="utf-8")
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(path))
    return cli


def test_list_context_is_exact_or_an_exact_short_form(numbers) -> None:
    run = numbers("list")
    assert run.exit_code == 0, run.stderr
    rows = {line.split()[0]: line for line in run.stdout.splitlines() if line.strip()}
    assert "8,192" in rows["small-a"] and "8.19K" not in run.stdout
    assert "1,047,576" in rows["small-b"] and "1.05M" not in run.stdout
    assert "128K" in rows["big-a"] and "200K" in rows["big-b"]
    # unit prices as published, every digit
    assert "$0.30625" in rows["small-a"] and "$0.035" in rows["small-a"]
    assert "$0.0016668" in rows["small-b"]


def test_show_limits_are_exact(numbers) -> None:
    run = numbers("show", "small-a")
    assert run.exit_code == 0, run.stderr
    assert re.search(r"context window\s+8,192\b", run.stdout), run.stdout
    assert re.search(r"max output\s+16,385\b", run.stdout), run.stdout


def test_cost_table_rounds_totals_and_json_keeps_them_exact(numbers) -> None:
    run = numbers("cost", "small-a", "big-a", "--input", "1M")
    assert run.exit_code == 0, run.stderr
    assert "$0.306 " in run.stdout and "$0.30625 " not in run.stdout.split("Line items")[0]
    assert "+$9.69 " in run.stdout  # 10.001 - 0.30625 = 9.69475
    # the line item: the unit price exact, the cost rounded
    assert "1M input tokens × $0.30625 per 1M tokens = $0.306" in run.stdout
    doc = numbers("cost", "small-a", "big-a", "--input", "1M", "--json").json()
    assert [r["total"] for r in doc["results"]] == ["0.30625", "10.001"]
    assert [r["delta"] for r in doc["results"]] == ["0", "9.69475"]


def test_cost_table_never_shows_different_totals_the_same(numbers) -> None:
    run = numbers("cost", "big-a", "big-b", "--input", "1M")
    assert run.exit_code == 0, run.stderr
    totals = re.findall(r"^\s*[12]\s+(big-[ab])\s+(\$[0-9.,]+)\s+(?:★\s+)?(\S+)", run.stdout, re.M)
    assert totals == [("big-a", "$10.001", "cheapest"), ("big-b", "$10.002", "+$0.001")]
    run = numbers("cost", "small-a", "small-b", "--input", "1M")
    totals = re.findall(
        r"^\s*[12]\s+(small-[ab])\s+(\$[0-9.,]+)\s+(?:★\s+)?(\S+)", run.stdout, re.M
    )
    assert totals == [("small-a", "$0.30625", "cheapest"), ("small-b", "$0.30626", "+$0.00001")]
    assert "+$0.00 " not in run.stdout and "(+0%)" not in run.stdout


def test_a_flat_image_price_names_its_cell_not_the_request(numbers) -> None:
    run = numbers(
        "cost", "flat-pic", "sized-pic", "--images", "10", "--quality", "medium", "--size",
        "1024x1024",
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert "10 images × $0.04 per image = $0.40 (flat price, any size and quality)" in run.stdout
    assert "10 images × $0.05 per image = $0.50 (1024x1024, any quality)" in run.stdout
    assert "medium" not in run.stdout.split("Line items")[1]
    doc = numbers("cost", "flat-pic", "--images", "10", "--quality", "medium", "--json").json()
    assert doc["results"][0]["line_items"][0]["detail"] == "flat price, any size and quality"
