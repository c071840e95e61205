"""Helpers shared by the importers: strict JSON reading, exact unit conversion, small parsers."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Context, Decimal, DecimalException
from typing import Any

from aicompare.errors import CatalogError
from aicompare.importers import ImportResult, ModelTable, Note, Skip
from aicompare.schema import MAX_PRICE

PER_MILLION = Decimal(1_000_000)
# Sources write prices as float text; digits 16-17 of a float repr are noise
# (1.0000000000000001e-07 per token), so converted prices keep 15 significant digits.
_ROUND = Context(prec=15, rounding=ROUND_HALF_EVEN)
_EXACT = Context(prec=60, rounding=ROUND_HALF_EVEN)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CUTOFF = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")

# What more than one importer notes or assumes, said the same way by each.
UNBILLED_OUTPUT_TYPES = ("embedding", "rerank", "moderation")  # no output-token price expected
OTHER = "other prices not converted"
CACHE_TTL = "cache-write prices for lifetimes other than 5 minutes and 1 hour not representable"
BATCH_TIER = "batch long-context tier prices not representable"
TIME_WINDOW = "time-window prices not representable"


def read_json(path: str | os.PathLike[str]) -> Any:
    """Parse a JSON file with exact decimals; any failure is a CatalogError naming the path."""
    from aicompare.textfile import read_text

    shown = str(path)
    text = read_text(path, "a data file")
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise CatalogError([f"{shown}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}"]) from None
    except ValueError as exc:
        raise CatalogError([f"{shown}: invalid JSON: {exc}"]) from None
    except RecursionError:
        raise CatalogError([f"{shown}: nesting too deep to be a pricing data file"]) from None


def _reject_constant(name: str) -> Any:
    """Refuse NaN and Infinity: not JSON, never a price, and json would make them floats."""
    raise ValueError(f"{name} is not a number")


def wrong_format(source: str, expected: str) -> CatalogError:
    """The error for a readable JSON file that is not the format asked for."""
    return CatalogError([f"{source}: not {expected}"], "check the file and the --from option")


def tidy(amount: Decimal) -> Decimal:
    """Round to 15 significant digits and drop exponent noise: 1.1000000 -> 1.1, 1E+1 -> 10."""
    if amount == 0:
        return Decimal(0)
    amount = _ROUND.plus(amount).normalize(_ROUND)
    if amount.as_tuple().exponent > 0:  # type: ignore[operator]
        amount = amount.quantize(Decimal(1), context=_EXACT)
    return amount


def money(value: object, factor: int | Decimal = 1, divisor: int | Decimal = 1) -> Decimal | None:
    """A source number times factor / divisor as a tidy Decimal; None when not a usable price."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    try:
        amount = _EXACT.divide(_EXACT.multiply(Decimal(value), Decimal(factor)), Decimal(divisor))
    except DecimalException:  # exponents beyond any price (1e999999999)
        return None
    # The catalog validator refuses the same: negative, non-finite, implausibly large.
    if not amount.is_finite() or amount < 0 or amount > MAX_PRICE:
        return None
    return tidy(amount)


def is_nonzero(value: object) -> bool:
    """False for a 0 or a container of zeros: nothing billed, so nothing lost by dropping it."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return value != 0
    if isinstance(value, Mapping):
        return any(is_nonzero(v) for v in value.values())
    if isinstance(value, list):
        return any(is_nonzero(v) for v in value)
    return value is not None


def whole(value: object) -> int | None:
    """A non-negative whole number (int or integral Decimal such as 256000.0), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    number = Decimal(value)
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        return None
    return int(number)


def positive_int(value: object) -> int | None:
    """A token limit: a whole number above 0 (sources use 0 for unknown)."""
    number = whole(value)
    return number if number else None


def iso_date(value: object) -> dt.date | None:
    """A YYYY-MM-DD string as a date, None when absent or not a real date."""
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def knowledge_cutoff(value: object) -> str | None:
    """YYYY-MM or YYYY-MM-DD with a real month, as the catalog accepts it."""
    if not isinstance(value, str) or not _CUTOFF.match(value) or not 1 <= int(value[5:7]) <= 12:
        return None
    if len(value) == 10 and iso_date(value) is None:
        return None
    return value


def clean_str(value: object) -> str | None:
    """A non-blank string, stripped; None otherwise."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def note(model_id: str, kind: str, details: Iterable[str] = ()) -> Note:
    """One note about `model_id`, its details sorted and unique."""
    return Note(model_id, kind, tuple(sorted(set(details))))


def skip(key: str, reason: str, kind: str = "") -> Skip:
    """One record left out; `kind` is the reason without its specifics, when it has any."""
    return Skip(key, reason, kind)


def drop_unbilled_output(mtype: str, *price_sets: dict[str, Decimal]) -> None:
    """Remove a 0 output price from model types that produce no output tokens: not "free"."""
    if mtype in UNBILLED_OUTPUT_TYPES:
        for prices in price_sets:
            if prices.get("output") == 0:
                del prices["output"]


def drop_unbilled_cache_write(
    standard: dict[str, Decimal], *price_sets: dict[str, Decimal]
) -> None:
    """Remove a 0 cache-write price from a model that bills input: the sets write 0 where the
    maker bills no separate write (DeepSeek, Z.ai: the cache fills from ordinary input), which
    is not a free write."""
    if not standard.get("input"):
        return
    for prices in (standard, *price_sets):
        for key in ("cache_write", "cache_write_1h"):
            if prices.get(key) == 0:
                del prices[key]


def price_tables(
    standard: Mapping[str, Decimal],
    batch: Mapping[str, Decimal],
    tiers: Mapping[int, Mapping[str, Decimal]],
    tables: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Assemble a `prices` table: standard keys, `batch`, the `tables` (flex, priority, off_peak
    with its hours) that have a price, and tiers in increasing order."""
    prices: dict[str, Any] = dict(sorted(standard.items()))
    if batch:
        prices["batch"] = dict(sorted(batch.items()))
    for name, table in (tables or {}).items():
        if any(key != "hours" for key in table):
            prices[name] = dict(sorted(table.items()))
    rows = [
        {"above_input_tokens": above, **dict(sorted(values.items()))}
        for above, values in sorted(tiers.items())
        if values and above > 0
    ]
    if rows:
        prices["tiers"] = rows
    return prices


def result(
    models: Mapping[str, ModelTable],
    skipped: Iterable[Skip],
    notes: Iterable[Note],
    provider: str | None,
    source: str,
) -> ImportResult:
    """A deterministic ImportResult: models, skipped and notes sorted."""
    lines = set(notes)
    if provider is not None and not models:
        lines.add(Note(source, f"no models of provider {provider!r}"))
    return ImportResult(
        models={key: models[key] for key in sorted(models)},
        skipped=sorted(set(skipped)),
        notes=sorted(lines),
    )


# Minutes in a day: UTC windows are (start, end) minutes from midnight, end 0 meaning midnight.
DAY_MINUTES = 24 * 60
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])(?::00)?Z?$")


def clock_minutes(text: object) -> int | None:
    """'16:30', '16:30:00Z' -> 990; None for anything else."""
    match = _CLOCK.match(text) if isinstance(text, str) else None
    return None if match is None else int(match[1]) * 60 + int(match[2])


def windows_text(windows: Iterable[tuple[int, int]]) -> str | None:
    """Daily UTC windows as the catalog writes `off_peak.hours`: touching ones merged (also
    across midnight), in order of their start: '04:00-06:00, 10:00-01:00'. None when empty or
    when they cover the whole day."""
    spans = sorted(
        (start, end if end > start else end + DAY_MINUTES) for start, end in windows if start != end
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    if len(merged) > 1 and merged[-1][1] >= merged[0][0] + DAY_MINUTES:
        last = merged.pop()
        merged[0] = [last[0], merged[0][1] + DAY_MINUTES]
    if not merged or any(end - start >= DAY_MINUTES for start, end in merged):
        return None

    def clock(minutes: int) -> str:
        return f"{minutes % DAY_MINUTES // 60:02d}:{minutes % 60:02d}"

    merged.sort(key=lambda span: span[0] % DAY_MINUTES)
    return ", ".join(f"{clock(start)}-{clock(end)}" for start, end in merged)


def complement(windows: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The rest of the day outside these (non-overlapping) daily windows."""
    spans = sorted((start, end if end > start else end + DAY_MINUTES) for start, end in windows)
    out: list[tuple[int, int]] = []
    for (_, end), (start, _) in zip(spans, spans[1:] + [(spans[0][0] + DAY_MINUTES, 0)]):
        if start > end:
            out.append((end % DAY_MINUTES, start % DAY_MINUTES))
    return out
