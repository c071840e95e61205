"""stdout for a console run: a write that fails (a full disk, a device gone) becomes one error at
the end with exit 1, instead of an OSError from whichever library was printing (rich, click's help,
an export); a closed pipe stays quiet. Light on purpose (not even `typing`): the `--version` path
uses it too."""

from __future__ import annotations

import io
import os
import sys


class Sink(io.RawIOBase):
    """stdout's file descriptor: the first failed write is recorded and the rest of the output
    dropped. A closed pipe still raises BrokenPipeError: the reader went away."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd
        self.failure: OSError | None = None

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.failure is None:
            try:
                return os.write(self._fd, data)
            except BrokenPipeError:
                raise
            except OSError as error:
                self.failure = error
        return len(data)


def guard() -> Sink | None:
    """Put a Sink under sys.stdout, keeping its encoding, errors and line buffering."""
    stream = sys.stdout
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None  # not a real file (tests capture it): nothing to guard
    stream.flush()
    sink = Sink(fd)
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(sink), encoding=stream.encoding, errors=stream.errors,
                                  line_buffering=stream.line_buffering)
    return sink


def finish(sink: Sink | None) -> bool:
    """Flush stdout; False, with the error said on stderr, when some of the output was not written."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (`aicompare list | head -1`): not an error of ours
        _discard()
    if sink is None or sink.failure is None:
        return True
    from aicompare.errors import output_error

    failure = output_error(sink.failure)
    sys.stderr.write(f"error: {failure.message}\n{failure.hint}\n")
    return False


def _discard() -> None:
    """Point stdout at /dev/null, so that output still buffered cannot fail again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
