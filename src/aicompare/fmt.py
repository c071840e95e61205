"""Plain-text formatting of exact values for people and for JSON; no rich, no floats."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Context, Decimal

CENT = Decimal("0.01")
NA = "n/a"


def dec(value: Decimal) -> str:
    """Exact decimal string for JSON: no exponent, no trailing zeros ('1.1', '0.000275', '63')."""
    if value == 0:
        return "0"
    # format(..., "f") writes the value's own digits; normalize() would round to the context's 28
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value: Decimal | None, *, grouping: bool = True) -> str:
    """'$1.10', '$63.00', '$0.000275', '$1,234.50'; n/a when unknown. Never rounds a value away."""
    if value is None:
        return NA
    value = Decimal(dec(value))  # exact: Decimal(str) takes every digit, normalize() would round
    sign_, digits, exponent = value.as_tuple()
    if isinstance(exponent, int) and exponent > -2:
        value = value.quantize(CENT, context=Context(prec=len(digits) + 3))
    sign = "-" if value < 0 else ""
    body = format(value.copy_abs(), ",f" if grouping else "f")  # abs() would round to 28 digits
    return f"{sign}${body}"


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole * 100, exact to 2 places (half up)."""
    return (part * 100 / whole).quantize(CENT, ROUND_HALF_UP)


def percent_text(value: Decimal) -> str:
    """'78%'; '<1%' for a non-zero share that rounds to 0; never '0%' for a real difference."""
    whole = value.quantize(Decimal(1), ROUND_HALF_UP)
    if whole == 0 and value != 0:
        return "<1%"
    if whole == 100 and value != 100:
        return ">99%"
    return f"{whole}%"


def tokens(value: int | None) -> str:
    """'200,000'; n/a when unknown."""
    return NA if value is None else f"{value:,}"


def tokens_short(value: int | None) -> str:
    """'200K', '1.05M', '128K' for tables; exact thousands where possible."""
    if value is None:
        return NA
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if value >= size:
            scaled = Decimal(value) / size
            if scaled == scaled.to_integral_value():
                return f"{scaled:f}{suffix}"
            return f"{scaled.quantize(CENT, ROUND_HALF_UP).normalize():f}{suffix}"
    return str(value)


def ratio_text(big: int, small: int) -> str:
    """'5.2x' for how many times larger."""
    value = (Decimal(big) / Decimal(small)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value.normalize():f}x"


def days_text(date: dt.date, today: dt.date) -> str:
    """'in 10 days', '29 days ago', 'today'."""
    delta = (date - today).days
    if delta == 0:
        return "today"
    unit = "day" if abs(delta) == 1 else "days"
    return f"in {delta} {unit}" if delta > 0 else f"{-delta} {unit} ago"


def join_words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
