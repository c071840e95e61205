"""stdout for a console run: a write that fails (a full disk, a device gone, stdout closed) becomes
one error at the end with exit 1, instead of an OSError from whichever library was printing (rich,
click's help, an export); a closed pipe is the reader's choice, not an error: the rest of the
output is dropped and the command ends as it would have (exit 0 on success). Light on purpose (not
even `typing`): the `--version` path uses it too."""

from __future__ import annotations

import io
import os
import sys

# The error handler of a stdout that is not UTF-8 (a latin-1 or ASCII terminal): a character its
# encoding lacks is written as a \uXXXX escape instead of raising. The escape is valid inside
# JSON and TOML strings, so an export stays exact data; the human renderers have already put
# stand-ins for the tool's own symbols (safe_text.fit). A UTF-8 stdout keeps its own handler.
ESCAPE_ERRORS = "aicompare-escape"


def _escape_unencodable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chars = error.object[error.start : error.end]
    escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in chars)
    return escaped, error.end


def _errors_for(stream: object) -> str | None:
    """stdout's error handler: its own on UTF-8, ESCAPE_ERRORS on any other encoding."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    if encoding.startswith("utf"):
        return getattr(stream, "errors", None)
    import codecs

    codecs.register_error(ESCAPE_ERRORS, _escape_unencodable)
    return ESCAPE_ERRORS


class Sink(io.RawIOBase):
    """An output file descriptor: the first failed write is recorded and the rest of the output
    dropped. A closed pipe (EPIPE) is not a failure: the reader went away, and what it did not
    read is dropped too. `closed_fd`: the descriptor was closed when the program started."""

    def __init__(self, fd: int, closed_fd: bool = False) -> None:
        super().__init__()
        self._fd = fd
        self._closed_fd = closed_fd
        self.failure: OSError | None = None
        self.reader_gone = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return not self._closed_fd and os.isatty(self._fd)

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.failure is None and not self.reader_gone and data:
            if self._closed_fd:
                import errno

                self.failure = OSError(errno.EBADF, "stdout is closed")
                return len(data)
            try:
                return os.write(self._fd, data)
            except BrokenPipeError:
                self.reader_gone = True
            except OSError as error:
                self.failure = error
        return len(data)


def _reserve(fd: int) -> None:
    """Point a descriptor that was closed at start-up at /dev/null, so that no file the program
    opens later gets that number (and output meant for stdout lands in a catalog file)."""
    try:
        os.fstat(fd)
        return  # open after all
    except OSError:
        pass
    try:
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
    except OSError:
        pass


def _wrap(
    stream: object, fd: int, closed: bool, errors: str | None, line_buffering: bool
) -> tuple[Sink, io.TextIOWrapper]:
    sink = Sink(fd, closed_fd=closed)
    encoding = getattr(stream, "encoding", None) or "utf-8"
    return sink, io.TextIOWrapper(
        io.BufferedWriter(sink),  # type: ignore[type-var]
        encoding=encoding,
        errors=errors,
        line_buffering=line_buffering,
    )


def _descriptor(stream: object, fd: int) -> tuple[bool, bool]:
    """(usable, closed) for sys.stdout or sys.stderr: closed when the descriptor was closed at
    start-up (Python then sets the stream to None); not usable when it is no real file (tests)."""
    if stream is None:
        _reserve(fd)
        return True, True
    try:
        if stream.fileno() != fd:  # type: ignore[attr-defined]
            return False, False
    except (AttributeError, OSError, ValueError):
        return False, False
    try:
        stream.flush()  # type: ignore[attr-defined]
    except (OSError, ValueError):
        pass  # nothing should be buffered yet; a reader already gone is no reason to stay unguarded
    return True, False


def guard() -> Sink | None:
    """Put a Sink under sys.stdout (and a quiet one under sys.stderr), keeping their encodings;
    stdout escapes what its encoding cannot write. Closed descriptors 1 and 2 are reserved."""
    stream = sys.stdout
    usable, closed = _descriptor(stream, 1)
    if not usable:
        return None  # not a real file (tests capture it): nothing to guard
    buffered = bool(getattr(stream, "line_buffering", False))
    sink, sys.stdout = _wrap(stream, 1, closed, _errors_for(stream), buffered)
    err = sys.stderr
    usable, closed = _descriptor(err, 2)
    if usable:  # messages to a closed stderr, or to a reader gone, are dropped, never raised
        errors = getattr(err, "errors", None) or "backslashreplace"
        sys.stderr = _wrap(err, 2, closed, errors, True)[1]
    return sink


def finish(sink: Sink | None) -> bool:
    """Flush stdout; False, with the error said on stderr, when some of the output was not written."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass  # a sink never raises; anything else has nowhere to go
    if sink is None or sink.failure is None:
        return True
    from aicompare.errors import output_error

    failure = output_error(sink.failure)
    sys.stderr.write(f"error: {failure.message}\n{failure.hint}\n")
    return False
