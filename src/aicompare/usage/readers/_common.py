"""What every usage reader shares: counts, times, money, JSON documents and error messages.

Nothing here evaluates or imports anything from a file: JSON is parsed by the standard library
with floats kept as exact Decimals, and `NaN`/`Infinity` refused. Strings (model names, project
ids) are kept exactly as the file has them, control characters included: the view layer escapes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from aicompare.quantities import MAX_QUANTITY
from aicompare.usage.rows import STANDARD_TIER, RecordedCost, UsageFormatError, UsageRow

Record = UsageRow | RecordedCost

# A model field the log leaves empty (a usage page not grouped by model): the row stays visible,
# listed as unpriced under this name, never dropped and never priced as some model.
NO_MODEL = "(no model in the log)"

# The largest amount of money one record may carry, in USD: above it is a broken file.
MAX_MONEY = Decimal(10**15)
# More significant digits than this in one amount is not a real charge; below it, every Decimal
# operation the readers and the engine do stays exact in a 60-digit context.
MAX_MONEY_DIGITS = 30
# The largest JSON array element (one record) read into memory while streaming an array.
MAX_ELEMENT = 1 << 26

_CHUNK = 1 << 16
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_WHOLE_DECIMAL = re.compile(r"[0-9]+\.0*", re.ASCII)
_MONEY = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?", re.ASCII)
_EPOCH = re.compile(r"[0-9]+(?:\.[0-9]+)?", re.ASCII)
# Epoch numbers below this are seconds, from it up to _EPOCH_MS_END milliseconds (the year 5138
# in seconds is 10**11; 10**11 ms is March 1973).
_EPOCH_MS_FROM = 10**11
_EPOCH_MS_END = 10**14


def fail(where: str, why: str) -> UsageFormatError:
    """The error for one record: `file:line: why` (or `file record 3: why`)."""
    return UsageFormatError(f"{where}: {why}")


def shown(value: object) -> str:
    """A value for an error message, shortened."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def count(value: object, where: str, field: str) -> int:
    """A token/request/image count: a whole number in 0..MAX_QUANTITY; absent/null/empty is 0.

    `12` and `"12"` and `12.0` (a whole number a spreadsheet wrote as a float) are 12; a
    fraction, a negative number, a boolean or anything else is refused with the field named.
    """
    if type(value) is int and 0 <= value <= MAX_QUANTITY:  # the fast paths
        return value
    if type(value) is str and value.isdigit() and value.isascii() and len(value) < 16:
        return int(value)
    if value is None or value == "":
        return 0
    number: int
    if isinstance(value, bool):
        raise fail(where, f"{field} is {shown(value)}, not a count")
    if isinstance(value, int):
        number = value
    elif isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise fail(where, f"{field} is {shown(value)}, not a whole number")
        if value.adjusted() > 18:
            raise fail(where, f"{field} {shown(value)} is above {MAX_QUANTITY}")
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.startswith("-") and (
            _DIGITS.fullmatch(text[1:]) or _WHOLE_DECIMAL.fullmatch(text[1:])
        ):
            raise fail(where, f"{field} is {shown(value)}: a count must not be negative")
        if _DIGITS.fullmatch(text):
            digits = text
        elif _WHOLE_DECIMAL.fullmatch(text):
            digits = text.split(".")[0]
        else:
            raise fail(where, f"{field} is {shown(value)}, not a whole number")
        if len(digits.lstrip("0")) > len(str(MAX_QUANTITY)):
            raise fail(where, f"{field} {shown(value)} is above {MAX_QUANTITY}")
        number = int(digits)
    else:
        raise fail(where, f"{field} is {shown(value)}, not a count")
    if number < 0:
        raise fail(where, f"{field} is {number}: a count must not be negative")
    if number > MAX_QUANTITY:
        raise fail(where, f"{field} {number} is above {MAX_QUANTITY}")
    return number


def money(value: object, where: str, field: str) -> Decimal:
    """An exact non-negative amount (a JSON number read as Decimal, or its text)."""
    amount: Decimal
    if isinstance(value, bool) or value is None:
        raise fail(where, f"{field} is {shown(value)}, not an amount")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str) and _MONEY.fullmatch(value.strip()):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            raise fail(where, f"{field} is {shown(value)}, not an amount") from None
    else:
        raise fail(where, f"{field} is {shown(value)}, not an amount")
    if not amount.is_finite():
        raise fail(where, f"{field} is {shown(value)}, not an amount")
    if amount < 0:
        raise fail(where, f"{field} is {amount}: a cost must not be negative")
    if amount > MAX_MONEY:
        raise fail(where, f"{field} {shown(value)} is above {MAX_MONEY}")
    if len(amount.as_tuple().digits) > MAX_MONEY_DIGITS:
        raise fail(where, f"{field} {shown(value)} has more digits than aicompare keeps exactly")
    return amount.copy_abs()  # exact (no context rounding); turns -0 into 0


def text_or_none(value: object, where: str, field: str) -> str | None:
    """An optional string field: None/empty is None; anything but a string is refused."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    raise fail(where, f"{field} is {shown(value)}, not a string")


def utc(moment: dt.datetime) -> dt.datetime:
    """A datetime in UTC; a naive one is taken as UTC (the documented convention)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def iso_time(value: object, where: str, field: str) -> dt.datetime:
    """An ISO 8601 / RFC 3339 time (`Z` or an offset; naive is UTC) as an aware UTC datetime."""
    if not isinstance(value, str):
        raise fail(where, f"{field} is {shown(value)}, not an ISO 8601 time")
    text = value.strip()
    try:
        return utc(dt.datetime.fromisoformat(text))
    except (ValueError, OverflowError):
        raise fail(where, f"{field} is {shown(value)}, not an ISO 8601 time") from None


def epoch_time(seconds: int | Decimal, where: str, field: str) -> dt.datetime:
    """Seconds since the epoch (exact) as an aware UTC datetime."""
    try:
        whole = int(seconds)
        micros = int((Decimal(seconds) - whole) * 1_000_000)
        start = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        return start + dt.timedelta(seconds=whole, microseconds=micros)
    except (ValueError, OverflowError, InvalidOperation):
        raise fail(where, f"{field} {shown(seconds)} is not a time aicompare can read") from None


def any_time(value: object, where: str, field: str) -> dt.datetime:
    """A time in a user's own table: ISO 8601, or epoch seconds or milliseconds.

    A number below 10**11 is seconds, from 10**11 up to 10**14 milliseconds; larger numbers
    (microseconds, nanoseconds) are refused rather than guessed.
    """
    number: Decimal | None = None
    if isinstance(value, bool):
        raise fail(where, f"{field} is {shown(value)}, not a time")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, str) and _EPOCH.fullmatch(value.strip()):
        number = Decimal(value.strip())
    if number is None:
        return iso_time(value, where, field)
    if not number.is_finite() or number < 0:
        raise fail(where, f"{field} is {shown(value)}, not a time")
    if number < _EPOCH_MS_FROM:
        return epoch_time(number, where, field)
    if number < _EPOCH_MS_END:
        return epoch_time(number / 1000, where, field)
    raise fail(where, f"{field} {shown(value)} is too large for epoch seconds or milliseconds")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _decoder() -> json.JSONDecoder:
    return json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constant)


def loads(text: str, where: str) -> Any:
    """One JSON value; floats as Decimal; errors name the line and column."""
    try:
        value, end = _decoder().raw_decode(text, _skip_ws(text, 0))
    except json.JSONDecodeError as exc:
        raise fail(
            where, f"is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise fail(where, f"is not valid JSON ({_short(exc)})") from None
    if _skip_ws(text, end) != len(text):
        line = text.count("\n", 0, end) + 1
        raise fail(where, f"has more after the JSON value ends on line {line}")
    return value


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


class Readable(Protocol):
    """What iter_array reads: a text stream's read()."""

    def read(self, size: int = -1, /) -> str: ...


class TextSource(Readable, Protocol):
    """A text stream: read(), readline() and iteration over lines."""

    def readline(self) -> str: ...

    def __iter__(self) -> Iterator[str]: ...


def iter_array(stream: Readable, name: str) -> Iterator[tuple[str, Any]]:
    """The elements of a top-level JSON array, one at a time, with bounded memory.

    The standard library has no incremental parser, so this reads the text in chunks and decodes
    one element at a time with `raw_decode`: memory is the largest element plus a chunk. An
    element cut at the end of the buffer is decoded again once more text has been read.
    """
    decoder = _decoder()
    buf = stream.read(_CHUNK)
    eof = buf == ""
    pos = _skip_ws(buf, 0)
    while pos >= len(buf) and not eof:
        buf = stream.read(_CHUNK)
        eof = buf == ""
        pos = _skip_ws(buf, 0)
    if pos >= len(buf) or buf[pos] != "[":
        raise fail(name, "is not a JSON array")
    pos += 1
    index = 0
    expect_value = True  # after '[' or ','
    want = _CHUNK
    while True:
        pos = _skip_ws(buf, pos)
        if pos >= len(buf):
            if eof:
                raise fail(f"{name} record {index + 1}", "the JSON array is cut short")
            buf = stream.read(_CHUNK)
            pos = 0
            eof = buf == ""
            continue
        char = buf[pos]
        if char == "]" and (index == 0 or not expect_value):
            rest = buf[pos + 1 :]
            while True:
                if rest.strip():
                    raise fail(name, "has more after the JSON array ends")
                rest = stream.read(_CHUNK)
                if rest == "":
                    return
        if not expect_value:
            if char != ",":
                raise fail(f"{name} record {index + 1}", f"expected ',' or ']', found {char!r}")
            pos += 1
            expect_value = True
            continue
        try:
            value, end = decoder.raw_decode(buf, pos)
        except json.JSONDecodeError as exc:
            if eof:
                raise fail(f"{name} record {index + 1}", f"is not valid JSON ({exc.msg})") from None
            value, end = None, -1
        except (ValueError, RecursionError) as exc:
            raise fail(f"{name} record {index + 1}", f"is not valid JSON ({_short(exc)})") from None
        if end != -1 and not eof and not isinstance(value, dict | list | str):
            # a number or literal is complete only where a delimiter follows it ("1." + "25")
            after = _skip_ws(buf, end)
            if after >= len(buf) or buf[after] not in ",]":
                end = -1
        if end == -1:
            if len(buf) - pos > MAX_ELEMENT:
                raise fail(
                    f"{name} record {index + 1}",
                    f"is not valid JSON, or is a record larger than {MAX_ELEMENT >> 20} MiB",
                )
            # incomplete: read more (doubling, so a large element costs O(n log n), not O(n^2))
            buf = buf[pos:]
            pos = 0
            more = stream.read(want)
            want = min(want * 2, 1 << 26)
            eof = more == ""
            buf += more
            continue
        want = _CHUNK
        index += 1
        yield f"{name} record {index}", value
        pos = end
        expect_value = False
        if pos > _CHUNK:
            buf = buf[pos:]
            pos = 0


def iter_documents(stream: TextSource, name: str) -> Iterator[tuple[str, Any]]:
    """JSON values from a file that is one document, JSON lines, or a JSON array of documents.

    - `[ ... ]`: each element, streamed (see iter_array);
    - a first line that is a whole JSON value: JSON lines, one value per line, streamed;
    - otherwise: one (pretty-printed) document, read whole - an API page is one document.
    """
    first = stream.read(1)
    number = 1  # the line the first value starts on
    while first in (" ", "\t", "\r", "\n"):
        number += first == "\n"
        first = stream.read(1)
    if first == "":
        raise fail(name, "is empty")
    if first == "[":
        yield from iter_array(PutBack(first, stream), name)
        return
    line = first + stream.readline()
    try:
        value = loads(line, name)
    except UsageFormatError:
        yield name, loads("\n" * (number - 1) + line + stream.read(), name)
        return
    yield f"{name}:{number}", value
    for text in stream:
        number += 1
        if text.strip():
            yield f"{name}:{number}", loads(text, f"{name}:{number}")


class PutBack:
    """A text stream with text already read put back in front (read, readline, iteration)."""

    def __init__(self, head: str, stream: TextSource) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1, /) -> str:
        head, self._head = self._head, ""
        if size < 0:
            return head + self._stream.read()
        if not head:
            return self._stream.read(size)
        return head + self._stream.read(max(size - len(head), 0))

    def readline(self) -> str:
        head, self._head = self._head, ""
        if head.endswith("\n"):
            return head
        return head + self._stream.readline()

    def __iter__(self) -> Iterator[str]:
        line = self.readline()
        while line:
            yield line
            line = self._stream.readline()


def skip_blank(stream: TextSource) -> str:
    """The first character that is not white space ('' at the end)."""
    first = stream.read(1)
    while first in (" ", "\t", "\r", "\n"):
        first = stream.read(1)
    return first


def tier_of(value: str | None) -> tuple[str, bool]:
    """(tier, batch) from a provider's service-tier string: batch is a tier at Anthropic."""
    if value is None:
        return STANDARD_TIER, False
    lowered = value.lower()
    if lowered in ("standard", "default", "auto", "scale", "on_demand"):
        return STANDARD_TIER, False
    if lowered == "batch":
        return STANDARD_TIER, True
    if lowered in ("flex", "flex_discount"):
        return "flex", False
    if lowered in ("priority", "priority_on_demand"):
        return "priority", False
    return value, False  # kept raw: the engine says it has no price for an unknown tier


def as_dict(value: object, where: str, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(where, f"{what} is {shown(value)}, not a JSON object")
    return value


def as_list(value: object, where: str, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise fail(where, f"{what} is {shown(value)}, not a JSON array")
    return value
