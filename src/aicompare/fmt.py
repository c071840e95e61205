"""Plain-text formatting of exact values for people and for JSON; no rich, no floats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

# the exact context of the percent helpers
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)

CENT = Decimal("0.01")
NA = "n/a"


def dec(value: Decimal) -> str:
    """Exact decimal string for JSON: no exponent, no trailing zeros ('1.1', '0.000275', '63')."""
    if value == 0:
        return "0"
    # format(..., "f") writes the value's own digits; normalize() would round to the context's 28
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def price(value: Decimal | None, *, grouping: bool = True) -> str:
    """A unit price as the maker publishes it: '$1.10', '$0.035', '$0.0016668'; n/a when unknown.

    Exact: at least cents, every digit of the catalog value, never rounded.
    """
    if value is None:
        return NA
    value = Decimal(dec(value))  # exact: Decimal(str) takes every digit, normalize() would round
    _, digits, exponent = value.as_tuple()
    if isinstance(exponent, int) and exponent > -2:
        value = value.quantize(CENT, context=Context(prec=len(digits) + 3))
    return _dollars(value, grouping)


def _dollars(value: Decimal, grouping: bool) -> str:
    sign = "-" if value < 0 else ""
    body = format(value.copy_abs(), ",f" if grouping else "f")  # abs() would round to 28 digits
    return f"{sign}${body}"


# How money is rounded for reading (tables, notes, sentences; never JSON or CSV values):
# from $1 on to cents, below $1 to READ_FIGURES significant figures, half up (ties away from
# zero) from the exact value, once. Half up because a shown figure is never summed again (so
# half-even's cancelling of bias buys nothing) and it is the rule a reader checks by hand and a
# spreadsheet's ROUND() applies; the percent helpers below round the same way.
READ_FIGURES = 3


def _reading(value: Decimal, extra: int) -> Decimal:
    """`value` rounded for reading, with `extra` more digits; exact when that keeps every digit."""
    value = Decimal(dec(value))
    if value == 0:
        return CENT * 0
    wide = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, rounding=ROUND_HALF_UP)
    if value.copy_abs() < 1:
        place = value.adjusted() - (READ_FIGURES - 1) - extra
        rounded = value.quantize(Decimal(1).scaleb(place), context=wide)
        if rounded.copy_abs() < 1:
            # at most cents' trailing zeros: '$0.50', not '$0.500'
            keep = min(-2, _last_digit(rounded))
            return rounded.quantize(Decimal(1).scaleb(keep), context=wide)
        value = rounded  # 0.9995 -> 1.000: from $1 on, cents
    return value.quantize(Decimal(1).scaleb(-2 - extra), context=wide)


def _last_digit(value: Decimal) -> int:
    """The exponent of value's last non-zero digit (0.0500 -> -2)."""
    _, digits, exponent = value.normalize(Context(prec=MAX_PREC)).as_tuple()
    assert isinstance(exponent, int) and digits
    return exponent


def money(value: Decimal | None, *, grouping: bool = True) -> str:
    """An amount rounded for reading: '$25.44', '$0.306', '$0.000275', '-$1.50'; n/a when unknown.

    From $1 on to cents, below $1 to three significant figures (READ_FIGURES), half up. A
    non-zero amount never reads as $0. Where several amounts are shown side by side, use
    `money_apart` so that rounding never makes two different amounts read the same.
    """
    if value is None:
        return NA
    return _dollars(_reading(value, 0), grouping)


def money_apart(values: Sequence[Decimal | None], *, grouping: bool = True) -> list[str]:
    """`money` for each value, with more digits where rounding would make two different values
    read as the same amount ('$10.001' and '$10.002', not '$10.00' twice; '$8.74998' against
    '$8.75', not '$8.750'); equal values read the same, None is n/a."""
    exact = [None if v is None else Decimal(dec(v)) for v in values]
    extra = [0] * len(values)
    while True:
        shown = [None if v is None else _reading(v, e) for v, e in zip(exact, extra, strict=True)]
        # the exact values behind each amount shown (compared as numbers: $8.750 reads as $8.75)
        behind: dict[Decimal, set[Decimal]] = {}
        for v, r in zip(exact, shown, strict=True):
            if v is not None and r is not None:
                behind.setdefault(r, set()).add(v)
        clash = False
        for i, (v, r) in enumerate(zip(exact, shown, strict=True)):
            if v is not None and r is not None and len(behind[r]) > 1 and r != v:
                extra[i] += 1
                clash = True
        if not clash:
            return [NA if r is None else _dollars(r, grouping) for r in shown]


# Sums, products and integer quotients in this context are exact whatever the operands' digits
# and exponents (it is never used for a true division, which could need infinite digits).
_EXACT = Context(
    prec=MAX_PREC,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[Inexact, InvalidOperation, DivisionByZero, Overflow],
)
# From this many times cheaper, a saving that would round to 100% is said as a ratio.
RATIO_FROM = 1000


def _share(part: Decimal, whole: Decimal, places: int) -> Decimal:
    """|part| / |whole| x 100 rounded half up to `places` decimals, exactly (no double rounding)."""
    part, whole = part.copy_abs(), whole.copy_abs()
    scale = 2 * 100 * 10**places
    # half up: floor((part x 100 x 10^places + whole / 2) / whole), in integers
    units = _EXACT.divide_int(
        _EXACT.add(_EXACT.multiply(part, scale), whole), _EXACT.multiply(whole, 2)
    )
    return units.scaleb(-places, _EXACT)


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole * 100 to 2 places (half up, computed exactly), for JSON.

    Rounding never makes a difference look like none nor a saving look total: a non-zero part
    that rounds to 0.00 is 0.01, and a part smaller than the whole that rounds to 100.00 is 99.99.
    """
    value = _share(part, whole, 2)
    if value == 0 and part != 0:
        value = CENT
    elif value == 100 and part.copy_abs() < whole.copy_abs():
        value = Decimal("99.99")
    return value.copy_negate() if (part < 0) != (whole < 0) and value else value


def percent_cheaper(low: Decimal, high: Decimal) -> Decimal:
    """percent(high - low, high), the difference taken exactly."""
    return percent(_EXACT.subtract(high, low), high)


def percent_text(part: Decimal, whole: Decimal) -> str:
    """|part| as a whole percentage of |whole|, for a table cell: '78%', '<1%', '>99%'.

    Computed exactly: '0%' only when part is 0, '100%' for less than the whole never.
    """
    value = _share(part, whole, 0)
    if value == 0 and part != 0:
        return "<1%"
    if value == 100 and part.copy_abs() < whole.copy_abs():
        return ">99%"
    return f"{value:f}%"


def cheaper_text(low: Decimal, high: Decimal) -> str:
    """How much cheaper `low` is than `high` (0 <= low < high), in words rounding cannot falsify.

    '78% cheaper'; 'under 1% cheaper' for a saving that rounds to 0%; a saving that rounds to
    100% is 'over 99% cheaper' below RATIO_FROM times and the ratio, rounded down, from there on
    ('25,000× cheaper'); '100% cheaper' only when `low` is 0 (`best` says "free" instead).
    """
    if low == 0:
        return "100% cheaper"
    value = _share(_EXACT.subtract(high, low), high, 0)
    if value == 0:
        return "under 1% cheaper"
    if value == 100:
        if high >= _EXACT.multiply(low, RATIO_FROM):
            return f"{_EXACT.divide_int(high, low):,f}× cheaper"
        return "over 99% cheaper"
    return f"{value:f}% cheaper"


def tokens(value: int | None) -> str:
    """'200,000'; n/a when unknown."""
    return NA if value is None else f"{value:,}"


def tokens_short(value: int | None) -> str:
    """A token count for a table cell, never with a digit it does not have: '128K' for 128,000,
    '1M', '1.05M' for 1,050,000, '2.5K', '1,234K'; otherwise the exact count, '8,192',
    '1,047,576'. The largest of B, M and K that gives the exact count with at most two decimals.
    """
    if value is None:
        return NA
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if abs(value) >= size:
            scaled = Decimal(value).scaleb(-len(str(size)) + 1)
            if scaled == scaled.quantize(CENT):
                return f"{scaled.normalize():,f}{suffix}"
    return f"{value:,}"


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


def join_words(items: list[str], last: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' (or 'a, b or c' with last="or")."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
