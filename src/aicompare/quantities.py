"""Exact parsing of workload option values (quantities, shares, periods, choices); no floats.

Quantities are whole counts (tokens, images) written as `5M`, `1.5k`, `200_000`, `2B` or `1234`.
Parsing is done on the digit strings with integer arithmetic, so nothing passes through a float
and no Decimal context can round a fraction away (`1.0000000000000000000000000001k` is refused,
not silently taken as 1000).

Annotations are evaluated at import (no `from __future__ import annotations`): a NamedTuple
compiles each string annotation into a ForwardRef, and WorkloadSpec has one per option (see
model.py and docs/performance.md).
"""

import re
from collections.abc import Sequence
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from aicompare.errors import WorkloadError

if TYPE_CHECKING:
    from fractions import Fraction

# A month of even a very large deployment is far below this; above it is a typo (`5MM`, `5e18`).
MAX_QUANTITY = 10**15

SUFFIXES: dict[str, int] = {"": 0, "k": 3, "m": 6, "b": 9, "t": 12}
# Display spelling of each suffix: lower-case k as in `1.5k`, capitals for the rest as in `5M`.
_SHOWN = (("T", 12), ("B", 9), ("M", 6), ("k", 3))

QUANTITY_FORMS = "a whole number, optionally with k, M, B or T (e.g. 5M, 1.5k, 200_000, 1234)"
SHARE_FORMS = "a fraction from 0 to 1 or a percentage (e.g. 0.25 or 25%)"

_DIGITS = r"[0-9]+(?:_[0-9]+)*"
_QUANTITY = re.compile(
    rf"(?P<int>{_DIGITS})?(?:\.(?P<frac>{_DIGITS})?)?\s?(?P<suffix>[kmbt]?)",
    re.ASCII | re.IGNORECASE,
)
_SHARE = re.compile(rf"(?P<int>{_DIGITS})?(?:\.(?P<frac>{_DIGITS})?)?\s?(?P<pct>%?)", re.ASCII)
_NOT_FINITE = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan", "+nan", "-nan"}
# More fractional digits than this in a share is not a real setting, and keeps Decimals short.
_MAX_SHARE_DIGITS = 18


def _fail(option: str, text: str, why: str, forms: str) -> WorkloadError:
    """A usage error naming the option and the value (shortened), with the accepted forms."""
    shown = repr(text) if len(text) <= 40 else repr(text[:37] + "...")
    return WorkloadError(f"{option}: {shown} {why}", f"use {forms}")


def _precheck(text: str, option: str, forms: str) -> str:
    """Strip and refuse the shapes that deserve their own message (empty, signs, inf, 1e6)."""
    value = text.strip()
    if not value:
        raise _fail(option, text, "is empty", forms)
    if value.lower() in _NOT_FINITE:
        raise _fail(option, text, "is not a finite number", forms)
    if value.startswith("-"):
        raise _fail(option, text, "must not be negative", forms)
    if re.fullmatch(r"[0-9._]+e[+-]?[0-9]+", value, re.ASCII | re.IGNORECASE):
        raise _fail(option, text, "uses scientific notation, which is not accepted", forms)
    return value


def parse_quantity(text: str, option: str) -> int:
    """`5M` -> 5_000_000; any bad, fractional or absurd value is a WorkloadError naming `option`."""
    value = _precheck(text, option, QUANTITY_FORMS)
    match = _QUANTITY.fullmatch(value)
    if match is None or (match["int"] is None and match["frac"] is None):
        raise _fail(option, text, "is not a quantity", QUANTITY_FORMS)
    whole = (match["int"] or "0").replace("_", "").lstrip("0")
    frac = (match["frac"] or "").replace("_", "").rstrip("0")
    power = SUFFIXES[match["suffix"].lower()]
    # A non-zero digit left beyond the suffix's reach means a fraction of a token or image.
    if len(frac) > power:
        raise _fail(option, text, "is not a whole number", QUANTITY_FORMS)
    # Checked on the digit count first: int() of a huge digit string is slow or refused.
    if len(whole) + power > len(str(MAX_QUANTITY)):
        raise _too_large(option, text)
    number: int = int(whole + frac or "0") * 10 ** (power - len(frac))
    if number > MAX_QUANTITY:
        raise _too_large(option, text)
    return number


def _too_large(option: str, text: str) -> WorkloadError:
    """The error for a quantity above MAX_QUANTITY."""
    return _fail(
        option, text, f"is too large (the limit is {format_quantity(MAX_QUANTITY)})", QUANTITY_FORMS
    )


def format_quantity(n: int) -> str:
    """Compact exact form that parse_quantity reads back: `5M`, `1.5k`, `1.25M`, `1234`."""
    if n < 0:
        raise ValueError(f"quantities are never negative: {n}")
    forms = []
    for suffix, power in _SHOWN:
        unit = 10**power
        # At most two decimals after a suffix: `1.25M` reads at a glance, `1.234567M` does not.
        if n >= unit and n % (unit // 100) == 0:
            whole, rest = divmod(n, unit)
            decimals = f"{rest * 100 // unit:02d}".rstrip("0")
            forms.append(f"{whole}.{decimals}{suffix}" if decimals else f"{whole}{suffix}")
    forms.append(str(n))
    # The shortest wins; on a tie the largest suffix, listed first (`1.5k` over `1500`).
    return min(forms, key=len)


def parse_share(text: str, option: str) -> Decimal:
    """`0.25` or `25%` -> Decimal('0.25'); refuses anything outside 0..1 (0% and 100% allowed)."""
    value = _precheck(text, option, SHARE_FORMS)
    match = _SHARE.fullmatch(value)
    if match is None or (match["int"] is None and match["frac"] is None):
        raise _fail(option, text, "is not a share", SHARE_FORMS)
    whole = (match["int"] or "0").replace("_", "").lstrip("0") or "0"
    frac = (match["frac"] or "").replace("_", "").rstrip("0")
    if len(whole) > 3:
        raise _fail(option, text, "is not between 0 and 1 (or 0% and 100%)", SHARE_FORMS)
    if len(frac) > _MAX_SHARE_DIGITS:
        raise _fail(option, text, f"has more than {_MAX_SHARE_DIGITS} decimals", SHARE_FORMS)
    # Built from digits and an exponent, so no Decimal context is involved and nothing rounds.
    scale = len(frac) + (2 if match["pct"] else 0)
    share = Decimal((0, tuple(int(d) for d in (whole + frac)), -scale)).normalize()
    if share > 1:
        raise _fail(option, text, "is not between 0 and 1 (or 0% and 100%)", SHARE_FORMS)
    return share if share != 0 else Decimal(0)


def format_share(share: Decimal) -> str:
    """Decimal('0.25') -> '25%', Decimal('0.125') -> '12.5%'."""
    pct = share.scaleb(2).normalize()
    return f"{pct:f}%" if pct != 0 else "0%"


class Period(str, Enum):
    """The span that quantities and totals refer to."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


# Occurrences per year. A month is a twelfth of a 365-day year, so day <-> month is 365/12.
PER_YEAR: dict[Period, int] = {Period.DAY: 365, Period.MONTH: 12, Period.YEAR: 1}
PERIOD_FORMS = "day, month or year"
_PERIOD_ALIASES = {
    "daily": Period.DAY,
    "monthly": Period.MONTH,
    "yearly": Period.YEAR,
    "annual": Period.YEAR,
    "annually": Period.YEAR,
}


def parse_period(text: str, option: str = "--per") -> Period:
    """`day`, `month` or `year` (any case; `daily`, `monthly`, `yearly` too) -> Period."""
    value = text.strip().lower()
    try:
        return Period(value)
    except ValueError:
        pass
    if value in _PERIOD_ALIASES:
        return _PERIOD_ALIASES[value]
    raise _fail(option, text, "is not a period", PERIOD_FORMS)


def period_factor(source: Period, target: Period) -> "Fraction":
    """Exact multiplier from a per-`source` amount to a per-`target` one (day -> month: 365/12)."""
    from fractions import Fraction  # 0.6 ms to import: only where a period is converted

    return Fraction(PER_YEAR[source], PER_YEAR[target])


def parse_choice(text: str, option: str, known: Sequence[str]) -> str:
    """A value from a known list, case- and space-insensitive (`1024X1536` -> `1024x1536`)."""
    value = "".join(text.split()).lower()
    # An empty list means nothing to check against (no catalog given), not "nothing is valid".
    if known and value not in known:
        raise WorkloadError(
            f"{option}: {text!r} is not sold by any model in the catalog",
            f"use one of: {', '.join(known)}",
        )
    return value


def split_pipeline(text: str, option: str = "model") -> tuple[str, ...]:
    """`o4-mini+gpt-image-1` -> ('o4-mini', 'gpt-image-1'): one model name or two."""
    names = tuple(part.strip() for part in text.split("+"))
    if not all(names) or len(names) > 2:
        raise WorkloadError(
            f"{option}: {text!r} is not a model or a pipeline",
            "name one model, or a text and an image model: o4-mini+gpt-image-1",
        )
    return names


class WorkloadSpec(NamedTuple):
    """A workload as typed: the options of `cost` and `best` (commands/options/workload.py), or a
    task's typical workload (its keys are these fields but the MODES: tasks.WORKLOAD_KEYS).
    Quantities are text until costing.parse_workload. A new field is a new workload option."""

    tokens: str | None = None
    input: str | None = None
    output: str | None = None
    cached_input: str | None = None
    output_share: str | None = None
    images: str | None = None
    quality: str | None = None
    size: str | None = None
    request_tokens: str | None = None
    batch: bool = False
    per: str = "month"
    # prompt caching and reasoning (pricing.BILLED's other prompt kinds)
    cache_writes: str | None = None
    cache_ttl: str | None = None  # 5m (default) or 1h
    cache_hit: str | None = None  # a share of the uncached input read from the cache
    reasoning_tokens: str | None = None
    # image, audio and video quantities
    image_input: str | None = None
    cached_image_input: str | None = None
    image_output_tokens: str | None = None
    audio_input_tokens: str | None = None
    audio_output_tokens: str | None = None
    audio_minutes: str | None = None
    characters: str | None = None
    video_seconds: str | None = None
    # charges that are not per token, and the price tables the rates come from
    requests: str | None = None  # else derived from --request-tokens, where given
    searches: str | None = None
    tier: str | None = None  # standard (default), flex or priority
    off_peak: bool = False
    thinking: bool = False

    def given(self) -> bool:
        """Whether any quantity was given (not only how it is billed: MODES)."""
        return any(
            value is not None for name, value in zip(self._fields, self) if name not in MODES
        )


# The options that say how a workload is billed rather than what it is: not a task's workload.
MODES = ("batch", "per", "tier", "off_peak", "thinking")
