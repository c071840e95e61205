"""simonw/llm's `logs.db`: the SQLite log of the `llm` command-line tool.

Opened read-only and immutable (`file:...?mode=ro&immutable=1`), with `trusted_schema` off, so
reading never writes the file or runs anything its schema defines. A database that is not llm's
(no `_llm_migrations` table, or neither a `responses` nor a `turns` table with the token columns)
is refused.

Rows come from `responses` (llm up to 0.2x) and `turns` (newer releases write each model call
there; older rows stay in `responses`, so both are read): `model` (`resolved_model` where set),
`input_tokens`, `output_tokens`, `token_details` (JSON), `datetime_utc` (ISO, naive = UTC),
`conversation_id` / `thread_id` as the project. Rows without token counts (models that report
none) are skipped and counted.

Cached tokens depend on the plugin that wrote the row: OpenAI models store
`prompt_tokens_details.cached_tokens` (Chat) or `input_tokens_details.cached_tokens` (Responses)
and count them in `input_tokens`, so they are subtracted; Anthropic's plugin stores
`cache_read_input_tokens` / `cache_creation_input_tokens` beside an `input_tokens` that excludes
them, so nothing is subtracted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from aicompare.usage.readers._common import Record, as_dict, count, fail, iso_time, loads
from aicompare.usage.rows import UsageRow

NO_TOKENS = "llm responses without token counts"
_NEEDED = {"model", "input_tokens", "output_tokens", "token_details", "datetime_utc"}


def _connect(path: str, name: str) -> sqlite3.Connection:
    uri = Path(path).resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True)
        connection.execute("PRAGMA trusted_schema = OFF")
        connection.execute("PRAGMA query_only = ON")
        return connection
    except sqlite3.Error as exc:
        raise fail(name, f"cannot be opened as a SQLite database ({exc})") from None


def _tables(connection: sqlite3.Connection, name: str) -> list[tuple[str, set[str]]]:
    try:
        kinds = dict(connection.execute("select name, type from sqlite_master").fetchall())
        if kinds.get("_llm_migrations") != "table":
            raise fail(name, "is a SQLite database but not an llm logs.db (no _llm_migrations)")
        found = []
        for table in ("responses", "turns"):
            if kinds.get(table) != "table":
                continue
            columns = {row[1] for row in connection.execute(f"pragma table_info({table})")}
            if columns >= _NEEDED:
                found.append((table, columns))
    except sqlite3.Error as exc:
        raise fail(name, f"cannot be read as an llm logs.db ({exc})") from None
    if not found:
        raise fail(name, "is an llm logs.db without token counts (upgrade llm and log again)")
    return found


def read(path: str, name: str, skip: Callable[[str], None]) -> Iterator[Record]:
    connection = _connect(path, name)
    try:
        for table, columns in _tables(connection, name):
            model = (
                "coalesce(nullif(resolved_model, ''), model)"
                if "resolved_model" in columns
                else "model"
            )
            group = (
                "conversation_id"
                if "conversation_id" in columns
                else ("thread_id" if "thread_id" in columns else "null")
            )
            query = (
                f"select id, {model}, input_tokens, output_tokens, token_details, datetime_utc, "
                f"{group} from {table} order by rowid"
            )
            try:
                cursor = connection.execute(query)
                for row in cursor:
                    record = _row(row, f"{name} {table} id {row[0]}")
                    if record is None:
                        skip(NO_TOKENS)
                    else:
                        yield record
            except sqlite3.Error as exc:
                raise fail(name, f"cannot be read as an llm logs.db ({exc})") from None
    finally:
        connection.close()


def _cached(details: dict[str, Any], at: str) -> tuple[int, int, bool]:
    """(cache reads, cache writes, whether input_tokens includes them)."""
    for key in ("prompt_tokens_details", "input_tokens_details"):
        inner = details.get(key)
        if isinstance(inner, dict) and "cached_tokens" in inner:
            return count(inner["cached_tokens"], at, f"token_details.{key}.cached_tokens"), 0, True
    reads = count(
        details.get("cache_read_input_tokens"), at, "token_details.cache_read_input_tokens"
    )
    writes = count(
        details.get("cache_creation_input_tokens"), at, "token_details.cache_creation_input_tokens"
    )
    return reads, writes, False


def _row(row: tuple[Any, ...], at: str) -> UsageRow | None:
    _, model, input_tokens, output_tokens, token_details, when, group = row
    if input_tokens is None and output_tokens is None:
        return None
    if not isinstance(model, str) or not model:
        raise fail(at, "has no model")
    total = count(input_tokens, at, "input_tokens")
    details: dict[str, Any] = {}
    if token_details not in (None, ""):
        if not isinstance(token_details, str):
            raise fail(at, "token_details is not JSON text")
        details = as_dict(loads(token_details, f"{at} token_details"), at, "token_details")
    reads, writes, included = _cached(details, at)
    if included:
        if reads > total:
            raise fail(at, f"cached tokens ({reads}) exceed input_tokens ({total})")
        total -= reads
    return UsageRow(
        model=model,
        time=None if when in (None, "") else iso_time(when, at, "datetime_utc"),
        requests=1,
        input_tokens=total,
        cached_input_tokens=reads,
        cache_write_tokens=writes,
        output_tokens=count(output_tokens, at, "output_tokens"),
        prompt_tokens=total + reads + writes,
        project=group if isinstance(group, str) and group else None,
        source=at,
    )
