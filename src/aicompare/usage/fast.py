"""The fast path for large usage files: DuckDB reads and aggregates them (OTLP: streamed in
Python, see below), and the engine prices the aggregates.

`aggregate_into` (at the end of this module) is what `aicompare reprice` takes for a large CSV
or JSON-lines file read through `--map`: it returns the engine's own `usage.aggregate.Aggregation`
(the same keys and sums as the Python reader and aggregator), or raises `NotFast` for a file the
Python reader must read. `aggregate_file` below is the earlier, standalone contract (its own
`Aggregate` type, and an OTLP streamer) that bench/reprice.py's driver and tests use; the command
does not call it.

Optional: DuckDB comes with the `fast` extra (`pip install 'aicompare[fast]'`) and is imported
only when a file is aggregated here; `reprice` works without it (the pure-Python streaming
aggregator) and, reading a file of LARGE_FILE bytes or more without it, says how to get this
path (`slow_path_note`). docs/performance.md says why DuckDB and not Polars, with the numbers.

The contract (what the engine's Python aggregator produces too, so that the two are
interchangeable and the engine prices either):

    aggregate_file(path, format, column_map, keys, *, prompt_thresholds=(),
                   input_includes_cached=False) -> Iterator[Aggregate]

- Take this path for a file when `use_fast(its size)`: DuckDB is installed and the file is
  FAST_FROM bytes or more (below that, importing DuckDB costs more than it saves).
- `format`: "csv" or "jsonl" (one JSON object per line), both read through `column_map`, or
  "otlp" (OTLP JSON: one ExportTraceServiceRequest per line, or one document; OpenTelemetry
  GenAI span attributes; `column_map` is ignored). A gzipped file (`.gz`) is read as it is.
- `column_map`: field -> the file's column, for the fields in FIELDS (`model` is required; a
  field without a column is 0 / None). Token counts are normalised as usage.rows says:
  `input` is uncached input, unless `input_includes_cached` (then cache reads and cache writes
  are subtracted from it, as the OpenAI and LiteLLM readers do).
- `keys`: the group keys to keep besides those pricing needs ("project", "key"); an
  Aggregate's `group` holds their values in that order.
- One Aggregate per (model, seller, UTC day, batch, tier, prompt bucket, group), as the log
  names them (raw strings: resolving them is the engine's job), summing every count. The prompt
  bucket is the largest of `prompt_thresholds` (the long-context tiers' `above_input_tokens`
  of the catalog) that the row's whole prompt exceeds, 0 when it exceeds none, None when the
  row gives no prompt size; pricing an aggregate is exact because pricing is linear within a
  price period (a day is within one) and a bucket.
- A value that is not a number where a count is expected, or not a time, raises
  UsageFormatError naming the file and the column: never read as 0.

Memory stays bounded whatever the file's size: DuckDB streams a CSV or JSON-lines file and
holds only the groups, under MEMORY_LIMIT (and THREADS threads); OTLP is streamed in Python, one
line (one export request) at a time, and holds only the groups too (see _otlp_aggregates for
why not DuckDB). docs/performance.md has the peaks on the bench files.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any, NamedTuple

from aicompare.usage.aggregate import COUNTS as AGGREGATE_COUNTS
from aicompare.usage.rows import STANDARD_TIER, UsageFormatError

if TYPE_CHECKING:
    from aicompare.usage.aggregate import Aggregation

MEMORY_LIMIT = "64MB"  # DuckDB's own buffers; the process adds its code and Python's
THREADS = 2
LARGE_FILE = 64 * 1024 * 1024  # bytes: a file this large read without DuckDB gets a note
# Below this size the pure-Python aggregator is as fast and starts sooner (importing DuckDB
# costs ~80 ms): `use_fast` says which to take.
FAST_FROM = 8 * 1024 * 1024
FAST_FROM_ENV = "AICOMPARE_FAST_FROM"
FAST_HINT = "pip install 'aicompare[fast]' (DuckDB) to read large files faster"
FORMATS = ("csv", "jsonl", "otlp")

# The fields a column map names, and what each is in an Aggregate.
COUNTS = (
    "requests",
    "input_tokens",
    "cached_input_tokens",
    "cache_write_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
    "reasoning_tokens",
)
FIELDS = {
    "model": "model",
    "seller": "seller",
    "time": "time",
    "requests": "requests",
    "input": "input_tokens",
    "cached": "cached_input_tokens",
    "cache_write": "cache_write_tokens",
    "cache_write_1h": "cache_write_1h_tokens",
    "output": "output_tokens",
    "reasoning": "reasoning_tokens",
    "batch": "batch",
    "tier": "tier",
    "prompt": "prompt_tokens",
    "project": "project",
    "key": "key",
    "cost": "recorded_cost",
}
GROUP_KEYS = ("project", "key")


class Aggregate(NamedTuple):
    """The usage of many rows that price alike, summed."""

    model: str
    seller: str | None
    day: dt.date | None  # UTC; None: rows without a time
    batch: bool
    tier: str
    prompt_bucket: int | None
    group: tuple[str | None, ...]  # the values of `keys`, in order
    rows: int
    requests: int
    input_tokens: int
    cached_input_tokens: int
    cache_write_tokens: int
    cache_write_1h_tokens: int
    output_tokens: int
    reasoning_tokens: int
    recorded_cost: Decimal | None  # the sum of the rows' own costs; None when no row has one
    recorded_rows: int  # rows that carry a cost


def available() -> bool:
    """Whether DuckDB is installed (without importing it)."""
    import importlib.util

    return importlib.util.find_spec("duckdb") is not None


def use_fast(size: int) -> bool:
    """Whether a file of `size` bytes should go through DuckDB (installed, and large enough
    for its start-up to pay off). FAST_FROM_ENV, a testing aid, sets the size in bytes from
    which it is taken (0: every file; a size larger than any file: none)."""
    start = FAST_FROM
    value = os.environ.get(FAST_FROM_ENV, "").strip()
    if value.isdigit() and value.isascii():
        start = int(value)
    return size >= start and available()


def slow_path_note(size: int) -> str | None:
    """The note `reprice` prints when it reads a file of `size` bytes without DuckDB."""
    if size < LARGE_FILE or available():
        return None
    return f"a large file read without DuckDB: {FAST_HINT}"


def _quote(name: str) -> str:
    """An SQL identifier: a column name as the file spells it."""
    return '"' + name.replace('"', '""') + '"'


def _bucket(prompt: str, thresholds: Sequence[int]) -> str:
    """The prompt bucket of a row whose whole prompt is the SQL expression `prompt`."""
    if not thresholds:
        return f"CASE WHEN {prompt} IS NULL THEN NULL ELSE 0 END"
    cases = " ".join(
        f"WHEN {prompt} > {int(t)} THEN {int(t)}" for t in sorted(set(thresholds), reverse=True)
    )
    return f"CASE WHEN {prompt} IS NULL THEN NULL {cases} ELSE 0 END"


# The SQL type each field is read as: the reader converts while it parses (and fails on a value
# that is not one, naming the line), which is faster than converting text afterwards.
TYPES = {
    "time": "TIMESTAMPTZ",
    "batch": "BOOLEAN",
    "cost": "DECIMAL(38,18)",
    **{field: "BIGINT" for field in ("requests", "input", "cached", "cache_write")},
    **{field: "BIGINT" for field in ("cache_write_1h", "output", "reasoning", "prompt")},
}


def _column_types(column_map: Mapping[str, str]) -> dict[str, str]:
    """The file's mapped columns -> the SQL type they are read as."""
    unknown = sorted(set(column_map) - set(FIELDS))
    if unknown:
        raise ValueError(f"no such field in a column map: {', '.join(unknown)}")
    if "model" not in column_map:
        raise ValueError("a column map needs a model column")
    types: dict[str, str] = {}
    for field, column in column_map.items():
        wanted = TYPES.get(field, "VARCHAR")
        if types.setdefault(column, wanted) != wanted:
            raise ValueError(f"column {column} cannot be both {types[column]} and {wanted}")
        if "'" in column:
            raise ValueError(f"a column name with a quote cannot be mapped: {column}")
    return types


def _mapped_select(
    column_map: Mapping[str, str], input_includes_cached: bool, keys: Sequence[str]
) -> str:
    """The SELECT list that turns a mapped file's (typed) columns into the normal fields."""

    def count(field: str) -> str:
        column = column_map.get(field)
        return "0" if column is None else f"COALESCE({_quote(column)}, 0)"

    def text(field: str) -> str:
        column = column_map.get(field)
        return "NULL" if column is None else f"NULLIF(TRIM({_quote(column)}), '')"

    cached, writes = count("cached"), f"({count('cache_write')} + {count('cache_write_1h')})"
    raw_input = count("input")
    uncached = f"({raw_input} - {cached} - {writes})" if input_includes_cached else raw_input
    prompt_column = column_map.get("prompt")
    prompt = (
        _quote(prompt_column)
        if prompt_column is not None
        else f"({uncached} + {cached} + {writes})"
    )
    time = column_map.get("time")
    batch = column_map.get("batch")
    tier = column_map.get("tier")
    cost = column_map.get("cost")
    items = [
        # a row without a model stays a row: "" is a name no catalog prices, so it is listed
        f"COALESCE({text('model')}, '') AS model",
        f"{text('seller')} AS seller",
        "NULL::DATE AS day" if time is None else f"CAST({_quote(time)} AS DATE) AS day",
        "FALSE AS batch" if batch is None else f"COALESCE({_quote(batch)}, FALSE) AS batch",
        f"'{STANDARD_TIER}' AS tier"
        if tier is None
        else f"COALESCE({text('tier')}, '{STANDARD_TIER}') AS tier",
        f"{prompt} AS prompt_tokens",
        f"{'1' if column_map.get('requests') is None else count('requests')} AS requests",
        f"{uncached} AS input_tokens",
        f"{cached} AS cached_input_tokens",
        f"{count('cache_write')} AS cache_write_tokens",
        f"{count('cache_write_1h')} AS cache_write_1h_tokens",
        f"{count('output')} AS output_tokens",
        f"{count('reasoning')} AS reasoning_tokens",
        "NULL::DECIMAL(38,18) AS recorded_cost"
        if cost is None
        else f"{_quote(cost)} AS recorded_cost",
        *(f"{text(key)} AS g_{key}" for key in keys),
    ]
    return ",\n  ".join(items)


def _query(
    fmt: str,
    column_map: Mapping[str, str],
    keys: Sequence[str],
    thresholds: Sequence[int],
    input_includes_cached: bool,
) -> str:
    types = _column_types(column_map)
    select = _mapped_select(column_map, input_includes_cached, keys)
    typed = ", ".join(f"'{column}': '{kind}'" for column, kind in types.items())
    if fmt == "csv":
        # every other column as text: a column the map does not name can never fail the read
        reader = (
            f"read_csv($path, header = true, all_varchar = true, types = {{{typed}}}, "
            "buffer_size = 4194304)"
        )
    else:
        reader = f"read_json($path, format = 'newline_delimited', columns = {{{typed}}})"
    source = f"SELECT\n  {select}\nFROM {reader}"
    groups = "".join(f", g_{key}" for key in keys)
    return f"""
WITH source AS ({source}),
bucketed AS (SELECT *, {_bucket("prompt_tokens", thresholds)} AS prompt_bucket FROM source)
SELECT
  model, seller, day, batch, tier, prompt_bucket{groups},
  COUNT(*) AS rows, SUM(requests), SUM(input_tokens), SUM(cached_input_tokens),
  SUM(cache_write_tokens), SUM(cache_write_1h_tokens), SUM(output_tokens),
  SUM(reasoning_tokens), SUM(recorded_cost), COUNT(recorded_cost)
FROM bucketed
GROUP BY ALL
"""


def connect(memory_limit: str | None = None, threads: int | None = None) -> Any:
    """A DuckDB connection within the memory budget, UTC (imports duckdb: call it only when
    the fast path is chosen)."""
    import duckdb

    connection = duckdb.connect(":memory:")
    connection.execute(f"SET memory_limit = '{memory_limit or MEMORY_LIMIT}'")
    connection.execute(f"SET threads = {int(threads or THREADS)}")
    connection.execute("SET preserve_insertion_order = false")
    connection.execute("SET TimeZone = 'UTC'")
    return connection


def aggregate_file(
    path: str | os.PathLike[str],
    format: str,
    column_map: Mapping[str, str],
    keys: Sequence[str] = (),
    *,
    prompt_thresholds: Sequence[int] = (),
    input_includes_cached: bool = False,
) -> Iterator[Aggregate]:
    """The aggregates of one usage file (see the module's docstring for the contract)."""
    if format not in FORMATS:
        raise ValueError(f"the fast path reads {', '.join(FORMATS)}, not {format}")
    bad = [key for key in keys if key not in GROUP_KEYS]
    if bad:
        raise ValueError(f"no such group key: {', '.join(bad)}")
    if format == "otlp":
        yield from _otlp_aggregates(path, keys, prompt_thresholds)
        return
    import duckdb

    query = _query(format, column_map, keys, prompt_thresholds, input_includes_cached)
    connection = connect()
    try:
        try:
            cursor = connection.execute(query, {"path": os.fspath(path)})
        except duckdb.Error as exc:
            raise UsageFormatError(f"{os.fspath(path)}: {_first_line(exc)}") from None
        width = len(keys)
        while True:
            try:
                batch = cursor.fetchmany(10_000)
            except duckdb.Error as exc:
                raise UsageFormatError(f"{os.fspath(path)}: {_first_line(exc)}") from None
            if not batch:
                break
            for row in batch:
                counts = [int(value or 0) for value in row[6 + width : 6 + width + 8]]
                cost = row[6 + width + 8]
                yield Aggregate(
                    model=row[0],
                    seller=row[1],
                    day=row[2],
                    batch=bool(row[3]),
                    tier=row[4],
                    prompt_bucket=None if row[5] is None else int(row[5]),
                    group=tuple(row[6 : 6 + width]),
                    rows=counts[0],
                    requests=counts[1],
                    input_tokens=counts[2],
                    cached_input_tokens=counts[3],
                    cache_write_tokens=counts[4],
                    cache_write_1h_tokens=counts[5],
                    output_tokens=counts[6],
                    reasoning_tokens=counts[7],
                    recorded_cost=None if cost is None else Decimal(cost),
                    recorded_rows=int(row[6 + width + 9]),
                )
    finally:
        connection.close()


# ---------------------------------------------------------------- OTLP, streamed in Python
# DuckDB processes 2,048 rows at a time: 2,048 OTLP export requests (a Collector writes one per
# line, ~70 KB for 100 spans) are 140 MB of text, over the memory budget, so OTLP is streamed
# here, one line at a time, with the C JSON parser: 1.3x DuckDB's time on the bench file, at a
# tenth of its memory (docs/performance.md).

MODEL_ATTRIBUTES = ("gen_ai.response.model", "gen_ai.request.model")
PROVIDER_ATTRIBUTES = ("gen_ai.provider.name", "gen_ai.system")
GROUP_ATTRIBUTES = {"project": ("gen_ai.project", "service.name"), "key": ("user.id", "enduser.id")}
_DAY_NS = 86_400 * 10**9
_EPOCH = dt.date(1970, 1, 1).toordinal()


def _values(attributes: Any) -> dict[str, Any]:
    """An OTLP attribute list as key -> value (stringValue, intValue, ...)."""
    found: dict[str, Any] = {}
    for item in attributes or ():
        value = item.get("value") or {}
        for kind in ("stringValue", "intValue", "doubleValue", "boolValue"):
            if kind in value:
                found[item.get("key")] = value[kind]
                break
    return found


def _first(values: Mapping[str, Any], names: Sequence[str]) -> Any:
    for name in names:
        value = values.get(name)
        if value is not None and value != "":
            return value
    return None


def _documents(path: str | os.PathLike[str]) -> Iterator[tuple[int, Any]]:
    """(line number, OTLP document) of a JSON-lines file, or (1, the document) of one JSON
    document over many lines; gzip read as it is."""
    import gzip
    import json

    name = os.fspath(path)
    opener: Any = gzip.open if name.endswith(".gz") else open
    with opener(name, "rb") as handle:
        first = handle.readline()
        try:
            yield 1, json.loads(first) if first.strip() else {}
            lines = True
        except ValueError:
            lines = False
        if not lines:  # one pretty-printed document
            try:
                yield 1, json.loads(first + handle.read())
            except ValueError as exc:
                raise UsageFormatError(f"{name}: not OTLP JSON: {exc}") from None
            return
        for number, line in enumerate(handle, start=2):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except ValueError as exc:
                raise UsageFormatError(f"{name}:{number}: not JSON: {exc}") from None


def _count(value: Any, where: str, name: str) -> int:
    if value is None:
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        raise UsageFormatError(f"{where}: {name} is {value!r}, not a token count") from None


def _otlp_aggregates(
    path: str | os.PathLike[str], keys: Sequence[str], thresholds: Sequence[int]
) -> Iterator[Aggregate]:
    """The GenAI spans of an OTLP JSON file, aggregated as aggregate_file promises. A span's
    `gen_ai.usage.input_tokens` includes its cache reads and writes (the semantic conventions
    say so): they are taken out of the uncached input. A span without a model is not usage."""
    limits = sorted(set(thresholds), reverse=True)
    sums: dict[tuple[Any, ...], list[int]] = {}
    name = os.fspath(path)
    for number, document in _documents(path):
        if not isinstance(document, dict):
            raise UsageFormatError(f"{name}:{number}: not an OTLP export request")
        for resource_spans in document.get("resourceSpans") or ():
            resource = _values((resource_spans.get("resource") or {}).get("attributes"))
            for scope_spans in resource_spans.get("scopeSpans") or ():
                for span in scope_spans.get("spans") or ():
                    values = _values(span.get("attributes"))
                    model = _first(values, MODEL_ATTRIBUTES)
                    if model is None:
                        continue
                    where = f"{name}:{number}"
                    prompt = _count(values.get("gen_ai.usage.input_tokens"), where, "input")
                    cached = _count(
                        values.get("gen_ai.usage.cache_read.input_tokens"), where, "cache reads"
                    )
                    writes = _count(
                        values.get("gen_ai.usage.cache_creation.input_tokens"),
                        where,
                        "cache writes",
                    )
                    output = _count(values.get("gen_ai.usage.output_tokens"), where, "output")
                    start = _count(span.get("startTimeUnixNano"), where, "startTimeUnixNano")
                    day = dt.date.fromordinal(_EPOCH + start // _DAY_NS) if start else None
                    bucket = next((t for t in limits if prompt > t), 0)
                    group = tuple(
                        _first({**resource, **values}, GROUP_ATTRIBUTES[key]) for key in keys
                    )
                    seller = _first(values, PROVIDER_ATTRIBUTES)
                    key_ = (str(model), seller, day, bucket, group)
                    item = sums.get(key_)
                    if item is None:
                        item = sums[key_] = [0, 0, 0, 0, 0]
                    item[0] += 1
                    item[1] += max(prompt - cached - writes, 0)
                    item[2] += cached
                    item[3] += writes
                    item[4] += output
    for (model, seller, day, bucket, group), (
        rows,
        uncached,
        cached,
        writes,
        output,
    ) in sums.items():
        yield Aggregate(
            model=model,
            seller=None if seller is None else str(seller),
            day=day,
            batch=False,
            tier=STANDARD_TIER,
            prompt_bucket=bucket,
            group=tuple(None if value is None else str(value) for value in group),
            rows=rows,
            requests=rows,
            input_tokens=uncached,
            cached_input_tokens=cached,
            cache_write_tokens=writes,
            cache_write_1h_tokens=0,
            output_tokens=output,
            reasoning_tokens=0,
            recorded_cost=None,
            recorded_rows=0,
        )


def _first_line(error: BaseException) -> str:
    """DuckDB's message: its first line and, for a value it could not convert, which column
    and value (not its LINE/caret lines, nor its list of reader settings)."""
    lines = str(error).strip().splitlines()
    if not lines:
        return type(error).__name__
    detail = [line.strip() for line in lines[1:] if line.startswith("Error when converting")]
    return ": ".join([lines[0], *detail])


# ------------------------------------------- the engine's aggregates, for `aicompare reprice`
# `aggregate_into` is what the command takes for a large CSV or JSON-lines file read through a
# column map: it produces exactly the Aggregation that usage.aggregate.aggregate produces from
# usage.readers.table's rows (same AggregateKey, same Totals, same days), so the engine prices
# either. It reads the file's mapped columns as text and converts them only where the value is
# in the plain form both paths read alike (a count of 1 to 15 digits, an amount of at most 12
# digits before and 18 after the point, an ISO 8601 time or epoch seconds or milliseconds, a
# yes/no flag); any other value, a missing column or model, or anything DuckDB cannot read is a
# `NotFast`, and the caller reads that file with the Python reader instead, which either reads
# it (a whole number written `12.0`) or says what is wrong with which line, in its own words.

# The columns the table reader maps (UsageRow fields), by how they are read.
_MAPPED_COUNTS = AGGREGATE_COUNTS  # in its order: a count's index is its bit in `kinds`
_MAPPED_TEXTS = ("seller", "tier", "image_quality", "image_size", "project", "key")
_COUNT_FORM = "[0-9]{1,15}"  # below MAX_QUANTITY (10**15): a larger count is the reader's word
_MONEY_FORM = "[0-9]{1,12}([.][0-9]{1,18})?"  # exact in DECIMAL(38,18), at most 30 digits
_EPOCH_FORM = "[0-9]{1,14}([.][0-9]{1,9})?"
_ISO_FORM = (
    "[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?"
    "(Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
_YES_WORDS = "('yes', 'true', '1', 'y')"
_NO_WORDS = "('no', 'false', '0', 'n', '')"


class NotFast(Exception):
    """The file holds something the fast path does not read exactly like the Python reader:
    read it with the Python reader (which reads it, or names the line that is wrong)."""


def _refuse(why: str) -> str:
    return f"error('{why}')"


def _mapped_count(column: str | None) -> str:
    if column is None:
        return "0"
    c = _quote(column)
    return (
        f"(CASE WHEN {c} IS NULL THEN 0 WHEN regexp_full_match({c}, '{_COUNT_FORM}') "
        f"THEN CAST({c} AS BIGINT) ELSE {_refuse('count')} END)"
    )


def _mapped_text(column: str | None) -> str:
    return "NULL" if column is None else f"NULLIF({_quote(column)}, '')"


def _mapped_day(column: str | None) -> str:
    """The UTC day of a time: ISO 8601 (naive is UTC), or epoch seconds below 10**11 or
    milliseconds below 10**14, as usage.readers._common.any_time reads them."""
    if column is None:
        return "NULL::DATE"
    c = _quote(column)
    days = f"CAST(floor(CAST({c} AS DECIMAL(38,9)) / %s) AS INTEGER)"
    return (
        f"(CASE WHEN {c} IS NULL THEN NULL "
        f"WHEN regexp_full_match({c}, '{_EPOCH_FORM}') THEN "
        f"CASE WHEN CAST({c} AS DECIMAL(38,9)) < 100000000000 "
        f"THEN DATE '1970-01-01' + {days % 86400} "
        f"WHEN CAST({c} AS DECIMAL(38,9)) < 100000000000000 "
        f"THEN DATE '1970-01-01' + {days % 86400000} "
        f"ELSE {_refuse('time')} END "
        f"WHEN regexp_full_match({c}, '{_ISO_FORM}') "
        f"THEN CAST(CAST({c} AS TIMESTAMPTZ) AS DATE) "
        f"ELSE {_refuse('time')} END)"
    )


# The AggregateKey fields in its order, and the Totals that aggregate_into reads back.
_KEY_FIELDS = (
    "model",
    "seller",
    "day",
    "batch",
    "tier",
    "bucket",
    "image_quality",
    "image_size",
    "project",
    "key",
    "recorded",
    "kinds",
)


def _engine_query(
    fmt: str,
    column_map: Mapping[str, str],
    limits: Sequence[int],
    by_project: bool,
    by_key: bool,
    compression: str,
) -> tuple[str, list[str], list[str]]:
    """The aggregate-and-group of a mapped file, column for column what aggregate() keeps:
    (the query, the key fields it groups by, the counts it sums). Each mapped column is
    converted once; fields the map does not name are constants, left out of the query (the
    caller fills them in: grouping by a constant costs DuckDB time and tells nothing apart)."""
    columns = {f: c for f, c in column_map.items() if f != "input_includes_cached"}
    for column in columns.values():
        if "'" in column or (fmt == "jsonl" and "." in column):
            raise NotFast(column)  # a quote, or a dotted path into JSON: the Python reader
    # every mapped column is read (one the file lacks is an error, as in the reader)
    wanted = ", ".join(f"'{column}': 'VARCHAR'" for column in dict.fromkeys(columns.values()))
    if not by_project:
        columns.pop("project", None)
    if not by_key:
        columns.pop("key", None)
    parsed: dict[str, str] = {}  # converted expression -> its name in the first stage

    def once(expression: str) -> str:
        return parsed.setdefault(expression, f"v{len(parsed)}")

    model = _quote(columns["model"])
    keys = {"model": once(f"CASE WHEN {model} = '' THEN NULL ELSE {model} END")}
    checks = [f"{keys['model']} IS NULL"]  # no model: the reader says which line
    for field in ("seller", "image_quality", "image_size", "project", "key"):
        if field in columns:
            keys[field] = once(_mapped_text(columns[field]))
    if "tier" in columns:
        keys["tier"] = once(f"COALESCE({_mapped_text(columns['tier'])}, '{STANDARD_TIER}')")
    if "time" in columns:
        keys["day"] = once(_mapped_day(columns["time"]))
    if "batch" in columns:
        b, raw = f"lower(trim({_quote(columns['batch'])}))", _quote(columns["batch"])
        keys["batch"] = once(
            f"(CASE WHEN {raw} IS NULL THEN FALSE WHEN {b} IN {_YES_WORDS} THEN TRUE "
            f"WHEN {b} IN {_NO_WORDS} THEN FALSE ELSE {_refuse('batch')} END)"
        )
    counts = {f: once(_mapped_count(columns[f])) for f in _MAPPED_COUNTS if f in columns}
    requests = once(_mapped_count(columns["requests"])) if "requests" in columns else None
    prompt = once(_mapped_count(columns["prompt_tokens"])) if "prompt_tokens" in columns else None
    cost = scale = None
    if "recorded_cost" in columns:
        c = _quote(columns["recorded_cost"])
        cost = once(
            f"(CASE WHEN {c} IS NULL THEN NULL WHEN regexp_full_match({c}, '{_MONEY_FORM}') "
            f"THEN CAST({c} AS DECIMAL(38,18)) ELSE {_refuse('cost')} END)"
        )
        scale = once(f"length(split_part({c}, '.', 2))")
        keys["recorded"] = f"({cost} IS NOT NULL)"
    if column_map.get("input_includes_cached") == "yes" and "input_tokens" in counts:
        cached = [counts[f] for f in _MAPPED_COUNTS[1:4] if f in counts]
        if cached:
            uncached = f"({counts['input_tokens']} - {' - '.join(cached)})"
            checks.append(f"{uncached} < 0")  # more cached than input: the reader says where
            counts["input_tokens"] = uncached
    if prompt is not None:
        keys["bucket"] = " + ".join(f"CAST({prompt} > {int(t)} AS INTEGER)" for t in limits) or "0"
    if counts:
        keys["kinds"] = " | ".join(
            f"(CAST({counts[f]} <> 0 AS INTEGER) << {_MAPPED_COUNTS.index(f)})" for f in counts
        )
    if fmt == "csv":
        # the dialect of Python's csv module, as the reader reads it (not sniffed)
        reader = (
            f"read_csv($path, header = true, all_varchar = true, types = {{{wanted}}}, "
            "delim = ',', quote = '\"', escape = '\"', "
            f"compression = '{compression}', buffer_size = 4194304)"
        )
    else:
        reader = (
            f"read_json($path, format = 'newline_delimited', columns = {{{wanted}}}, "
            f"compression = '{compression}')"
        )
    grouped = [field for field in _KEY_FIELDS if field in keys]
    summed = list(counts)
    select = [f"{keys[field]} AS k_{field}" for field in grouped]
    select += [
        "COUNT(*)",
        "COUNT(*)" if requests is None else f"SUM({requests})",
        *(f"SUM({counts[field]})" for field in summed),
        "NULL" if cost is None else f"SUM({cost})",
        "NULL" if scale is None else f"MAX({scale})",
        "NULL" if prompt is None else f"MAX({prompt})",
        f"MAX(CASE WHEN {' OR '.join(checks)} THEN {_refuse('row')} ELSE 0 END)",
    ]
    first = ", ".join(f"{expression} AS {name}" for expression, name in parsed.items())
    query = (
        f"WITH source AS (SELECT {first} FROM {reader})\n"
        f"SELECT {', '.join(select)}\nFROM source\n"
        f"GROUP BY {', '.join(f'k_{field}' for field in grouped)}"
    )
    return query, grouped, summed


def aggregate_into(
    path: str | os.PathLike[str],
    format: str,
    column_map: Mapping[str, str],
    limits: Sequence[int],
    *,
    by_project: bool = False,
    by_key: bool = False,
    gzipped: bool = False,
) -> Aggregation:
    """The Aggregation usage.aggregate.aggregate makes of the rows usage.readers.table reads
    from a CSV ("csv") or JSON-lines ("jsonl") file through `column_map` (parse_column_map's,
    resolved: UsageRow field names), computed by DuckDB. Raises NotFast for a file the Python
    reader must read (see above); imports duckdb."""
    import duckdb

    from aicompare.usage.aggregate import AggregateKey, Aggregation, Totals

    if format not in ("csv", "jsonl") or "model" not in column_map:
        raise NotFast(format)
    query, grouped, summed = _engine_query(
        format, column_map, limits, by_project, by_key, "gzip" if gzipped else "none"
    )
    result = Aggregation()
    connection = connect()
    try:
        try:
            found = connection.execute(query, {"path": os.fspath(path)}).fetchall()
        except duckdb.Error as exc:
            raise NotFast(_first_line(exc)) from None
    finally:
        connection.close()
    constants: dict[str, Any] = {
        "seller": None,
        "day": None,
        "batch": False,
        "tier": STANDARD_TIER,
        "bucket": None,
        "image_quality": None,
        "image_size": None,
        "project": None,
        "key": None,
        "recorded": False,
        "kinds": 0,
    }
    width, where = len(grouped), [_MAPPED_COUNTS.index(field) for field in summed]
    for row in found:
        values = dict(constants)
        values.update(zip(grouped, row[:width], strict=True))
        if values["bucket"] is not None:
            values["bucket"] = int(values["bucket"])
        values["batch"] = bool(values["batch"])
        values["recorded"] = bool(values["recorded"])
        values["kinds"] = int(values["kinds"])
        key = AggregateKey(**values)
        totals = result.groups[key] = Totals()
        rest = row[width:]
        totals.rows = int(rest[0])
        totals.requests = int(rest[1])
        for index, value in zip(where, rest[2 : 2 + len(summed)], strict=True):
            totals.counts[index] = int(value)
        cost, scale, prompt = rest[2 + len(summed) : 5 + len(summed)]
        if cost is not None:
            # as Python sums the amounts as written: Decimal(0) + "0.4725" + "0.5450" is 1.0175
            # with 4 places, never DuckDB's 18
            with localcontext() as exact:
                exact.prec = 60
                places = Decimal(1).scaleb(-int(scale or 0))
                totals.recorded_cost = Decimal(0) + Decimal(cost).quantize(places)
        totals.max_prompt = None if prompt is None else int(prompt)
        result.rows += totals.rows
        day = key.day
        if day is not None:
            result.first = day if result.first is None else min(result.first, day)
            result.last = day if result.last is None else max(result.last, day)
    return result
