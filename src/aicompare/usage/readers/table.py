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


def _lookup(row: Mapping[str, Any], column: str, dotted: bool) -> Any:
    if column in row or not dotted:
        return row.get(column)
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


def _row(row: Mapping[str, Any], mapping: Mapping[str, str], at: str, dotted: bool) -> UsageRow:
    def get(field: str) -> Any:
        column = mapping.get(field)
        return None if column is None else _lookup(row, column, dotted)

    model = _text(get("model"), at, "model")
    if model is None:
        raise fail(at, f"has no model (column {shown(mapping['model'])} is empty)")
    counts = {
        field: count(get(field), at, mapping.get(field, field))
        for field in _COUNTS
        if field in mapping
    }
    if "requests" not in mapping:
        counts["requests"] = 1
    if mapping.get(INPUT_INCLUDES_CACHED) == "yes":
        cached = sum(
            counts.get(f, 0)
            for f in ("cached_input_tokens", "cache_write_tokens", "cache_write_1h_tokens")
        )
        total = counts.get("input_tokens", 0)
        if cached > total:
            raise fail(
                at, f"the cached tokens ({cached}) exceed the input ({total}) that includes them"
            )
        counts["input_tokens"] = total - cached
    batch = get("batch")
    if isinstance(batch, str):
        flag = batch.strip().lower()
        if flag not in _YES and flag not in _NO:
            raise fail(at, f"batch is {shown(batch)}, not yes/no")
        batch = flag in _YES
    elif batch is not None and not isinstance(batch, bool):
        if isinstance(batch, int | Decimal) and batch in (0, 1):
            batch = bool(batch)
        else:
            raise fail(at, f"batch is {shown(batch)}, not true or false")
    when = get("time")
    cost = get("recorded_cost")
    texts = {field: _text(get(field), at, field) for field in _TEXTS[1:]}
    return UsageRow(
        model=model,
        seller=texts["seller"],
        time=None if when in (None, "") else any_time(when, at, mapping["time"]),
        batch=bool(batch),
        tier=texts["tier"] or STANDARD_TIER,
        project=texts["project"],
        key=texts["key"],
        image_quality=texts["image_quality"],
        image_size=texts["image_size"],
        recorded_cost=None if cost in (None, "") else money(cost, at, mapping["recorded_cost"]),
        source=at,
        **counts,  # type: ignore[arg-type]
    )


def read_csv(
    stream: TextSource, name: str, mapping: Mapping[str, str] | None, skip: Callable[[str], None]
) -> Iterator[Record]:
    reader = csv.DictReader(stream)
    try:
        columns = list(reader.fieldnames or [])
        if not columns:
            raise fail(name, "is empty (no header row)")
        resolved = _resolve(mapping, columns, name)
        missing = [
            c for f, c in resolved.items() if f != INPUT_INCLUDES_CACHED and c not in columns
        ]
        if missing:
            raise ColumnMapError(
                f"{name}: no column {shown(missing[0])} in the header (columns: "
                f"{', '.join(columns[:12])}{', ...' if len(columns) > 12 else ''})"
            )
        for row in reader:
            at = f"{name}:{reader.line_num}"
            if None in row:
                raise fail(at, "has more cells than the header")
            yield _row(row, resolved, at, dotted=False)
    except csv.Error as exc:
        raise fail(f"{name}:{reader.line_num}", f"is not valid CSV ({exc})") from None


def read_jsonl(
    stream: TextSource, name: str, mapping: Mapping[str, str] | None, skip: Callable[[str], None]
) -> Iterator[Record]:
    resolved: dict[str, str] | None = None
    for at, value in iter_documents(stream, name):
        row = as_dict(value, at, "the record")
        if resolved is None:
            resolved = _resolve(mapping, list(row), name)
        yield _row(row, resolved, at, dotted=True)
