"""Any CSV or JSON lines usage table, read through a column map (`--map`).

JSON lines may also be a JSON array of objects (streamed) or one object.

`parse_column_map("model=llm_model,input=prompt_tokens,cached=cache_hits,time=ts")` maps UsageRow
fields (or their short aliases, see ALIASES) to the file's columns; in JSON lines a column may be
a dotted path into nested objects (`usage.prompt_tokens`). Without a map, columns named exactly
like UsageRow fields are used. `model` is required.

`input` is uncached input, unless the map says `input_includes_cached=yes`: then the mapped cached
reads and cache writes are subtracted from it. When the map names a cached or cache-write column
it must say which (`input_includes_cached=yes` or `=no`): the two conventions differ by the whole
cached volume, and neither is a safe default.

Times: ISO 8601 with `Z` or an offset (naive times are UTC), or epoch seconds (below 10**11) or
milliseconds (10**11 up to 10**14). Counts are whole numbers (`12.0` is 12); empty cells are 0.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from aicompare.usage.readers._common import (
    Record,
    TextSource,
    any_time,
    as_dict,
    count,
    fail,
    iter_documents,
    money,
    shown,
)
from aicompare.usage.rows import STANDARD_TIER, UsageFormatError, UsageRow

INPUT_INCLUDES_CACHED = "input_includes_cached"

_COUNTS = (
    "requests",
    "input_tokens",
    "cached_input_tokens",
    "cache_write_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
    "reasoning_tokens",
    "audio_input_tokens",
    "audio_output_tokens",
    "images",
    "web_searches",
    "prompt_tokens",
)
_TEXTS = ("model", "seller", "project", "key", "tier", "image_quality", "image_size")
FIELDS = (*_TEXTS, "time", "batch", "recorded_cost", *_COUNTS)

# Short names accepted in a map, beside the field names themselves.
ALIASES: dict[str, str] = {
    "input": "input_tokens",
    "cached": "cached_input_tokens",
    "cache_read": "cached_input_tokens",
    "cache_write": "cache_write_tokens",
    "cache_write_1h": "cache_write_1h_tokens",
    "output": "output_tokens",
    "reasoning": "reasoning_tokens",
    "audio_input": "audio_input_tokens",
    "audio_output": "audio_output_tokens",
    "prompt": "prompt_tokens",
    "cost": "recorded_cost",
    "spend": "recorded_cost",
    "provider": "seller",
    "team": "project",
    "user": "key",
    "api_key": "key",
    "quality": "image_quality",
    "size": "image_size",
    "searches": "web_searches",
}
_YES = {"yes", "true", "1", "y"}
_NO = {"no", "false", "0", "n", ""}
_MAP_FORM = "use --map FIELD=COLUMN,... (e.g. model=llm_model,input=prompt_tokens,time=ts)"


class ColumnMapError(UsageFormatError):
    """A `--map` value that cannot be used: a usage error (exit 2), not a data error."""


def parse_column_map(text: str) -> dict[str, str]:
    """`field=column,...` as {field: column} with aliases resolved; `input_includes_cached`
    normalised to "yes"/"no". Refuses unknown fields, duplicates and empty parts."""
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            raise ColumnMapError(f"--map: {shown(text)} has an empty entry; {_MAP_FORM}")
        field, equals, column = part.partition("=")
        field, column = field.strip().lower(), column.strip()
        if not equals or not field or not column:
            raise ColumnMapError(f"--map: {shown(part.strip())} is not FIELD=COLUMN; {_MAP_FORM}")
        if field == INPUT_INCLUDES_CACHED:
            flag = column.lower()
            if flag not in _YES and flag not in _NO:
                raise ColumnMapError(
                    f"--map: {INPUT_INCLUDES_CACHED} must be yes or no, not {shown(column)}"
                )
            value = "yes" if flag in _YES else "no"
        else:
            field = ALIASES.get(field, field)
            if field not in FIELDS:
                known = ", ".join(sorted({*FIELDS, *ALIASES}))
                raise ColumnMapError(f"--map: unknown field {shown(field)}; known fields: {known}")
            value = column
        if field in mapping:
            raise ColumnMapError(f"--map: {field} is mapped twice")
        mapping[field] = value
    return mapping


def _resolve(mapping: Mapping[str, str] | None, columns: list[str], name: str) -> dict[str, str]:
    explicit = mapping is not None
    if mapping is None:
        mapping = {column: column for column in columns if column in FIELDS}
    if "model" not in mapping:
        raise ColumnMapError(
            f"{name}: no model column (the map must name one, e.g. --map model=llm_model)"
        )
    cache_mapped = any(
        f in mapping for f in ("cached_input_tokens", "cache_write_tokens", "cache_write_1h_tokens")
    )
    if (
        cache_mapped
        and "input_tokens" in mapping
        and INPUT_INCLUDES_CACHED not in mapping
        and explicit
    ):
        raise ColumnMapError(
            f"--map: say whether the input column includes the cached tokens: add "
            f"{INPUT_INCLUDES_CACHED}=yes or {INPUT_INCLUDES_CACHED}=no"
        )
    return dict(mapping)


def _lookup(row: Mapping[str, Any], column: str) -> Any:
    """A JSON record's value for a column name, or a dotted path into nested objects."""
    if column in row:
        return row[column]
    value: Any = row
    for part in column.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _text(value: Any, at: str, field: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise fail(at, f"{field} is {shown(value)}, not text")


def _flag(value: Any, at: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        flag = value.strip().lower()
        if flag not in _YES and flag not in _NO:
            raise fail(at, f"batch is {shown(value)}, not yes/no")
        return flag in _YES
    if isinstance(value, int | Decimal) and value in (0, 1):
        return bool(value)
    raise fail(at, f"batch is {shown(value)}, not true or false")


_CACHE_FIELDS = ("cached_input_tokens", "cache_write_tokens", "cache_write_1h_tokens")


class _Plan:
    """How one file's records become UsageRows, worked out once from the map: `keys` are where
    each mapped field is (a column index in a CSV, a column name or dotted path in JSON)."""

    def __init__(self, mapping: Mapping[str, str], keys: Mapping[str, Any]) -> None:
        self.mapping = mapping
        self.model = keys["model"]
        self.counts = [(f, keys[f], mapping[f]) for f in _COUNTS if f in keys]
        self.texts = [(f, keys[f]) for f in _TEXTS[1:] if f in keys]
        self.time = keys.get("time")
        self.cost = keys.get("recorded_cost")
        self.batch = keys.get("batch")
        self.subtract = mapping.get(INPUT_INCLUDES_CACHED) == "yes"
        self.default_requests = "requests" not in keys

    def row(self, get: Callable[[Any], Any], at: str) -> UsageRow:
        model = _text(get(self.model), at, "model")
        if model is None:
            raise fail(at, f"has no model (column {shown(self.mapping['model'])} is empty)")
        values: dict[str, Any] = {f: count(get(key), at, column) for f, key, column in self.counts}
        if self.default_requests:
            values["requests"] = 1
        if self.subtract:
            cached = sum(values.get(f, 0) for f in _CACHE_FIELDS)
            total = values.get("input_tokens", 0)
            if cached > total:
                raise fail(
                    at,
                    f"the cached tokens ({cached}) exceed the input ({total}) that includes them",
                )
            values["input_tokens"] = total - cached
        for field, key in self.texts:
            values[field] = _text(get(key), at, field)
        if values.get("tier") is None:
            values["tier"] = STANDARD_TIER
        if self.time is not None:
            when = get(self.time)
            if when not in (None, ""):
                values["time"] = any_time(when, at, self.mapping["time"])
        if self.cost is not None:
            cost = get(self.cost)
            if cost not in (None, ""):
                values["recorded_cost"] = money(cost, at, self.mapping["recorded_cost"])
        if self.batch is not None:
            values["batch"] = _flag(get(self.batch), at)
        return UsageRow(model=model, source=at, **values)


def _columns_of(mapping: Mapping[str, str]) -> dict[str, str]:
    return {f: c for f, c in mapping.items() if f != INPUT_INCLUDES_CACHED}


def read_csv(
    stream: TextSource, name: str, mapping: Mapping[str, str] | None, skip: Callable[[str], None]
) -> Iterator[Record]:
    reader = csv.reader(stream)
    try:
        columns = next(reader, [])
        if not columns:
            raise fail(name, "is empty (no header row)")
        resolved = _resolve(mapping, columns, name)
        index = {column: i for i, column in reversed(list(enumerate(columns)))}
        missing = [c for c in _columns_of(resolved).values() if c not in index]
        if missing:
            raise ColumnMapError(
                f"{name}: no column {shown(missing[0])} in the header (columns: "
                f"{', '.join(columns[:12])}{', ...' if len(columns) > 12 else ''})"
            )
        plan = _Plan(resolved, {f: index[c] for f, c in _columns_of(resolved).items()})
        width = len(columns)
        for cells in reader:
            if len(cells) != width:
                if not cells:
                    continue  # a blank line
                at = f"{name}:{reader.line_num}"
                more = "more" if len(cells) > width else "fewer"
                raise fail(at, f"has {more} cells ({len(cells)}) than the header ({width})")
            yield plan.row(cells.__getitem__, f"{name}:{reader.line_num}")
    except csv.Error as exc:
        raise fail(f"{name}:{reader.line_num}", f"is not valid CSV ({exc})") from None


def read_jsonl(
    stream: TextSource, name: str, mapping: Mapping[str, str] | None, skip: Callable[[str], None]
) -> Iterator[Record]:
    plan: _Plan | None = None
    for at, value in iter_documents(stream, name):
        record = as_dict(value, at, "the record")
        if plan is None:
            resolved = _resolve(mapping, list(record), name)
            plan = _Plan(resolved, _columns_of(resolved))
        yield plan.row(functools.partial(_lookup, record), at)
