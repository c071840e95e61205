"""Quantity, share and period parsing: exact integers, clear errors, exact round trips."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aicompare.errors import WorkloadError
from aicompare.quantities import (
    MAX_QUANTITY,
    Period,
    format_quantity,
    format_share,
    parse_period,
    parse_quantity,
    parse_share,
    period_factor,
)

SRC = Path(__file__).resolve().parents[1] / "src" / "aicompare"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5M", 5_000_000),
        ("5m", 5_000_000),
        ("1.5k", 1_500),
        ("1.5K", 1_500),
        ("200_000", 200_000),
        ("2B", 2_000_000_000),
        ("2b", 2_000_000_000),
        ("1T", 10**12),
        ("1234", 1234),
        ("0", 0),
        ("007", 7),
        (" 5M ", 5_000_000),
        ("5 M", 5_000_000),
        (".5k", 500),
        ("1.50k", 1_500),
        ("1.000000000000000000000000000000000k", 1_000),
        ("1_000k", 1_000_000),
        ("1.234_5M", 1_234_500),
        ("1000T", MAX_QUANTITY),
        ("1000000000000000", MAX_QUANTITY),
        ("3.", 3),
    ],
)
def test_parse_quantity_accepts(text: str, expected: int) -> None:
    assert parse_quantity(text, "--tokens") == expected


BAD_QUANTITIES = [
    "-5M",
    "-0",
    "inf",
    "-inf",
    "Infinity",
    "nan",
    "NaN",
    "5X",
    "1e999",
    "1e6",
    "1E6",
    "",
    "   ",
    "1.5",
    "0.5",
    "1.0001k",
    "1.0000000000000000000000000001k",  # one digit past a 28-digit Decimal context
    "1.0000001M",
    "5MM",
    "1__0",
    "_1",
    "1_",
    "+5",
    "0x10",
    "\u0661\u0662\u0663",  # Arabic-Indic digits: int() would take them, a CLI should not
    "5,000",
    "1.5.0",
    ".",
    "k",
    "M5",
    "5 k tokens",
    "1001T",
    "1000000000000001",
    "9" * 5000,  # beyond int()'s digit limit: must still be a WorkloadError
    "1" + "0" * 40 + "T",
]


@pytest.mark.parametrize("text", BAD_QUANTITIES)
def test_parse_quantity_rejects(text: str) -> None:
    with pytest.raises(WorkloadError) as info:
        parse_quantity(text, "--tokens")
    err = info.value
    assert err.exit_code == 2
    assert err.message.startswith("--tokens: ")
    assert err.hint is not None and "5M" in err.hint and "1.5k" in err.hint


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("-5M", "must not be negative"),
        ("inf", "not a finite number"),
        ("nan", "not a finite number"),
        ("1e999", "scientific notation"),
        ("", "is empty"),
        ("1.5", "not a whole number"),
        ("1.0001k", "not a whole number"),
        ("5X", "is not a quantity"),
        ("2000T", "too large"),
        ("9" * 5000, "too large"),
    ],
)
def test_parse_quantity_messages(text: str, why: str) -> None:
    with pytest.raises(WorkloadError, match=re.escape(why)) as info:
        parse_quantity(text, "--images")
    assert "--images" in info.value.message
    assert len(info.value.message) < 120  # a huge argument is shortened, not echoed


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0"),
        (999, "999"),
        (1_000, "1k"),
        (1_001, "1001"),
        (1_010, "1010"),
        (1_010_000, "1.01M"),
        (2_540_714_190, "2540714190"),
        (1_234, "1234"),
        (1_500, "1.5k"),
        (5_000_000, "5M"),
        (1_250_000, "1.25M"),
        (1_234_000, "1234k"),
        (1_234_567, "1234567"),
        (2 * 10**9, "2B"),
        (10**12, "1T"),
        (MAX_QUANTITY, "1000T"),
    ],
)
def test_format_quantity(n: int, text: str) -> None:
    assert format_quantity(n) == text
    assert parse_quantity(text, "--tokens") == n


def test_format_quantity_refuses_negative() -> None:
    with pytest.raises(ValueError):
        format_quantity(-1)


round_numbers = st.builds(lambda a, e: a * 10**e, st.integers(0, 999_999), st.integers(0, 9))


@given(st.one_of(st.integers(0, MAX_QUANTITY), round_numbers.filter(lambda n: n <= MAX_QUANTITY)))
def test_format_then_parse_round_trips(n: int) -> None:
    text = format_quantity(n)
    assert parse_quantity(text, "--tokens") == n
    assert len(text) <= len(str(n))


@given(st.text(max_size=30))
def test_parse_quantity_only_raises_workload_error(text: str) -> None:
    try:
        value = parse_quantity(text, "--tokens")
    except WorkloadError:
        return
    assert type(value) is int and 0 <= value <= MAX_QUANTITY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.25", Decimal("0.25")),
        (".25", Decimal("0.25")),
        ("25%", Decimal("0.25")),
        ("25 %", Decimal("0.25")),
        ("12.5%", Decimal("0.125")),
        ("0", Decimal(0)),
        ("0%", Decimal(0)),
        ("1", Decimal(1)),
        ("1.000", Decimal(1)),
        ("100%", Decimal(1)),
        ("0.333333333333333333", Decimal("0.333333333333333333")),
    ],
)
def test_parse_share_accepts(text: str, expected: Decimal) -> None:
    share = parse_share(text, "--output-share")
    assert share == expected
    assert isinstance(share, Decimal)


@pytest.mark.parametrize(
    "text",
    [
        "1.5",
        "2",
        "101%",
        "100.01%",
        "-0.1",
        "-5%",
        "nan",
        "inf",
        "",
        "abc",
        "25%%",
        "%",
        "1e-1",
        "0.1234567890123456789",
        "1000%",
        "0,25",
    ],
)
def test_parse_share_rejects(text: str) -> None:
    with pytest.raises(WorkloadError) as info:
        parse_share(text, "--output-share")
    assert info.value.message.startswith("--output-share: ")
    assert info.value.hint is not None and "25%" in info.value.hint


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_parse_share_is_exact(num: int, den: int) -> None:
    if num > den:
        num, den = den, num
    text = str(Decimal(num) / Decimal(den))[:20]
    try:
        share = parse_share(text, "--output-share")
    except WorkloadError:
        return  # too many decimals is refused, never rounded
    assert share == Decimal(text)


def test_format_share() -> None:
    assert format_share(Decimal("0.25")) == "25%"
    assert format_share(Decimal("0.125")) == "12.5%"
    assert format_share(Decimal(1)) == "100%"
    assert format_share(Decimal(0)) == "0%"


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("day", Period.DAY),
        ("Month", Period.MONTH),
        (" YEAR ", Period.YEAR),
        ("monthly", Period.MONTH),
        ("daily", Period.DAY),
        ("yearly", Period.YEAR),
    ],
)
def test_parse_period(text: str, period: Period) -> None:
    assert parse_period(text) is period


@pytest.mark.parametrize("text", ["week", "", "months", "1"])
def test_parse_period_rejects(text: str) -> None:
    with pytest.raises(WorkloadError) as info:
        parse_period(text, "--per")
    assert info.value.message.startswith("--per: ")
    assert info.value.hint is not None and "day, month or year" in info.value.hint


def test_period_factor() -> None:
    assert period_factor(Period.MONTH, Period.YEAR) == 12
    assert period_factor(Period.YEAR, Period.MONTH) == Fraction(1, 12)
    assert period_factor(Period.DAY, Period.MONTH) == Fraction(365, 12)
    assert period_factor(Period.DAY, Period.YEAR) == 365
    assert period_factor(Period.MONTH, Period.MONTH) == 1


@pytest.mark.parametrize("name", ["quantities.py", "pricing.py"])
def test_no_float_in_domain(name: str) -> None:
    source = (SRC / name).read_text(encoding="utf-8")
    assert not re.search(r"\bfloat\(|\bmath\.|import math|: float\b|-> float\b", source)
    assert "typer" not in source and "rich" not in source
