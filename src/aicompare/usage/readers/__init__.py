"""Reading usage logs: every supported format becomes UsageRow and RecordedCost records.

- `open_usage(path)`: a binary stream of a file (or `-` for stdin), gunzipped when its first
  bytes are the gzip magic; directories, FIFOs, sockets and devices are refused by path and again
  by the open descriptor, which is opened non-blocking (see textfile.py).
- `detect_format(head)`: the format's name from the first bytes of the (decompressed) content.
- `read_usage(path, format=None, column_map=None)`: the records, streamed. The returned iterator
  also counts what it skipped on purpose (`skipped`: reason -> count), for the engine to say.

Every failure a file can cause is a UsageFormatError naming the file and the record. Formats and
their conventions are described in docs/reprice.md ("Formats"). No typer or rich here.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from types import TracebackType
from typing import IO, TextIO

from aicompare.textfile import kind_of, special_kind
from aicompare.usage.readers._common import Record, fail
from aicompare.usage.readers.table import ColumnMapError, parse_column_map
from aicompare.usage.rows import UsageFormatError, UsageInputError

__all__ = [
    "FORMATS",
    "ColumnMapError",
    "UsageRecords",
    "detect_format",
    "display_name",
    "open_usage",
    "parse_column_map",
    "read_usage",
]

# The names `--format` accepts, in the order docs/reprice.md describes them.
FORMATS = ("openai", "anthropic", "litellm", "otel", "llm", "csv", "jsonl")

GZIP_MAGIC = b"\x1f\x8b"
SQLITE_MAGIC = b"SQLite format 3\x00"
HEAD_SIZE = 1 << 16  # what detection looks at
_PAGE = re.compile(r'"object"\s*:\s*"page"')

_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def display_name(path: str) -> str:
    """How messages name the input: the path as given, `<stdin>` for `-`."""
    return "<stdin>" if path == "-" else path


class _Headed(io.RawIOBase):
    """A binary stream with its first bytes (already read for detection) put back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._rest.close()
        finally:
            super().close()


def _open_raw(path: str) -> IO[bytes]:
    name = display_name(path)
    if path == "-":
        return io.BufferedReader(_NoClose(sys.stdin.buffer))
    kind = special_kind(path)
    if kind is not None:
        raise UsageInputError(f"{name}: is {kind}, not a usage file (use '-' to read stdin)")
    try:
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        raise UsageInputError(f"{name}: no such file") from None
    except PermissionError:
        raise UsageInputError(f"{name}: permission denied") from None
    except (OSError, ValueError) as exc:
        raise UsageInputError(f"{name}: cannot be opened ({exc})") from None
    try:
        kind = kind_of(os.fstat(fd).st_mode)
        if kind is not None:  # swapped for something else since the check above
            raise UsageInputError(f"{name}: is {kind}, not a usage file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class _NoClose(io.RawIOBase):
    """stdin, which reading usage must not close."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_head(stream: IO[bytes], size: int) -> bytes:
    chunks: list[bytes] = []
    got = 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


class Opened:
    """An opened usage input: the decompressed binary stream and what was learnt opening it."""

    def __init__(self, stream: IO[bytes], head: bytes, gzipped: bool) -> None:
        self.stream = stream
        self.head = head  # the first bytes of the decompressed content (also still in stream)
        self.gzipped = gzipped


def open_usage_input(path: str) -> Opened:
    """open_usage plus the first bytes of the content and whether it was gzipped."""
    name = display_name(path)
    raw = _open_raw(path)
    try:
        magic = _read_head(raw, 2)
        stream: IO[bytes] = io.BufferedReader(_Headed(magic, raw))
        gzipped = magic == GZIP_MAGIC
        if gzipped:
            stream = io.BufferedReader(_Gunzip(stream, name), HEAD_SIZE)
        head = _read_head(stream, HEAD_SIZE)
        return Opened(io.BufferedReader(_Headed(head, stream), HEAD_SIZE), head, gzipped)
    except BaseException:
        raw.close()
        raise


def open_usage(path: str) -> IO[bytes]:
    """The content of `path` (`-` is stdin) as a binary stream, gunzipped if it is gzip.

    Refuses a directory, FIFO, socket or device (except stdin itself) with a UsageFormatError.
    """
    return open_usage_input(path).stream


class _Gunzip(io.RawIOBase):
    """gzip decompression whose errors (a cut or corrupt file) are UsageFormatErrors."""

    def __init__(self, stream: IO[bytes], name: str) -> None:
        import gzip  # only for gzipped input: the plain path does not pay for it

        self._gzip = gzip.GzipFile(fileobj=stream, mode="rb")
        self._stream = stream
        self._name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        import zlib

        try:
            data = self._gzip.read(len(buffer))
        except (OSError, EOFError, zlib.error) as exc:
            raise UsageFormatError(
                f"{self._name}: is not a complete gzip file ({exc or type(exc).__name__})"
            ) from None
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._gzip.close()
            self._stream.close()
        finally:
            super().close()


def detect_format(head: bytes) -> str | None:
    """The format of a usage file from its first bytes (decompressed), or None if unknown."""
    if head.startswith(SQLITE_MAGIC):
        return "llm"
    if head.startswith(GZIP_MAGIC):
        return None  # gzip inside gzip: not something aicompare writes or reads
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if not text or "\x00" in text:
        return None
    if text[0] in "[{":
        if re.fullmatch(r"\[\s*\]\s*", text):
            return "litellm"  # what /spend/logs returns for a period without requests
        if '"resourceSpans"' in text:
            return "otel"
        if '"organization.usage.' in text or '"organization.costs.result"' in text:
            return "openai"
        if _PAGE.search(text) and '"start_time"' in text:
            return "openai"  # a page whose buckets are all empty names no result object
        if '"starting_at"' in text:
            return "anthropic"
        if '"startTime"' in text and '"spend"' in text:
            return "litellm"
        return "jsonl"
    header = text.split("\n", 1)[0]
    columns = {cell.strip().strip('"') for cell in header.split(",")}
    if {"startTime", "spend", "model"} <= columns:
        return "litellm"
    if len(columns) > 1 or "," in header:
        return "csv"
    return None


class UsageRecords(Iterator[Record]):
    """The records of one usage input, streamed; `skipped` counts what was left out on purpose.

    Closing (or exhausting) it closes the file. Low-level failures (bad UTF-8, a cut gzip file)
    become UsageFormatErrors naming the file.
    """

    def __init__(
        self, name: str, format: str, records: Iterator[Record], close: Callable[[], None]
    ) -> None:
        self.name = name
        self.format = format
        self.skipped: dict[str, int] = {}
        self._records = records
        self._close = close
        self._closed = False
        self._last = ""

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def __iter__(self) -> UsageRecords:
        return self

    def __next__(self) -> Record:
        try:
            record = next(self._records)
            self._last = record.source
            return record
        except StopIteration:
            self.close()
            raise
        except UsageFormatError:
            self.close()
            raise
        except UnicodeDecodeError:
            self.close()
            where = f"after {self._last}" if self._last else "in its first records"
            raise UsageFormatError(
                f"{self.name}: is not UTF-8 text ({where}); save it as UTF-8"
            ) from None
        except RecursionError:
            self.close()
            raise UsageFormatError(f"{self.name}: is nested too deeply to read") from None

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._close()

    def __enter__(self) -> UsageRecords:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _reader(
    found: str,
    text: TextIO,
    name: str,
    column_map: Mapping[str, str] | None,
    skip: Callable[[str], None],
) -> Iterator[Record]:
    """The records of `text` in format `found` (not llm), its reader imported now."""
    if found == "openai":
        from aicompare.usage.readers import openai

        return openai.read(text, name, skip)
    if found == "anthropic":
        from aicompare.usage.readers import anthropic

        return anthropic.read(text, name, skip)
    if found == "litellm":
        from aicompare.usage.readers import litellm

        return litellm.read(text, name, skip)
    if found == "otel":
        from aicompare.usage.readers import otel

        return otel.read(text, name, skip)
    from aicompare.usage.readers import table

    if found == "csv":
        return table.read_csv(text, name, column_map, skip)
    return table.read_jsonl(text, name, column_map, skip)


def read_usage(
    path: str, format: str | None = None, column_map: Mapping[str, str] | None = None
) -> UsageRecords:
    """The records of the usage file at `path` (`-` is stdin), in the given or detected format.
    Only the reader of the format found is imported (sqlite3 only for an llm logs.db): a small
    file pays for no other format's start-up."""
    name = display_name(path)
    if format is not None and format not in FORMATS:
        raise UsageFormatError(f"unknown usage format {format!r} (known: {', '.join(FORMATS)})")
    opened = open_usage_input(path)
    try:
        if not opened.head.strip():
            raise fail(name, "is empty: there is no usage to read")
        found = format or detect_format(opened.head)
        if found is None:
            raise fail(
                name,
                "is not a usage format aicompare recognises "
                f"(give one with --format: {', '.join(FORMATS)})",
            )
        if column_map is not None and found not in ("csv", "jsonl"):
            raise fail(name, f"--map applies to csv and jsonl files, and this is {found}")
        if found == "llm":
            opened.stream.close()
            if path == "-" or opened.gzipped:
                raise fail(
                    name,
                    "an llm logs.db is a SQLite database: give its path, not stdin or a gzip file",
                )
            from aicompare.usage.readers import llm_db

            result = UsageRecords(name, found, iter(()), lambda: None)
            result._records = llm_db.read(path, name, result.skip)
            result._close = lambda: None
            return result
        text = io.TextIOWrapper(opened.stream, encoding="utf-8-sig", newline="")
        result = UsageRecords(name, found, iter(()), text.close)
        result._records = _reader(found, text, name, column_map, result.skip)
        return result
    except BaseException:
        opened.stream.close()
        raise
