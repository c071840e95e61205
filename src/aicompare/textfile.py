"""Reading a user-supplied text file: one CatalogError line naming the path (and line:col) on
failure.

Every file aicompare reads goes through read_regular: it must be a regular file (a symbolic link
to one is followed). A named pipe, a socket, a device or a directory is refused by its path before
it is opened (opening a device can have effects of its own) and again by the open descriptor, which
is opened non-blocking, so a FIFO swapped in between cannot make the read hang.
"""

from __future__ import annotations

import os
import stat

from aicompare.errors import CatalogError

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class NotRegularFileError(OSError):
    """The path names a directory, FIFO, socket or device: nothing aicompare reads or replaces."""

    def __init__(self, path: str | os.PathLike[str], kind: str) -> None:
        super().__init__(f"{os.fspath(path)}: is {kind}, not a regular file")
        self.kind = kind


def kind_of(mode: int) -> str | None:
    """'a named pipe (FIFO)', 'a directory', ... for a stat mode; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), "a special file")


def special_kind(path: str | os.PathLike[str]) -> str | None:
    """What `path` is when it exists (links followed) and is not a regular file, else None."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # absent, unreachable, or a name the OS refuses
        return None
    return kind_of(mode)


def read_regular(path: str | os.PathLike[str]) -> tuple[bytes, os.stat_result]:
    """The bytes and stat of a regular file; NotRegularFileError for anything else."""
    kind = special_kind(path)
    if kind is not None:
        raise NotRegularFileError(path, kind)
    fd = os.open(path, _READ_FLAGS)
    try:
        # the descriptor decides: the path may have been replaced since the check above
        info = os.fstat(fd)
        kind = kind_of(info.st_mode)
        if kind is not None:
            raise NotRegularFileError(path, kind)
        chunks: list[bytes] = []
        size = min(max(info.st_size + 1, 1 << 16), 1 << 30)
        while chunk := os.read(fd, size):
            chunks.append(chunk)
        return b"".join(chunks), info
    finally:
        os.close(fd)  # the only owner of the descriptor: closed exactly once


def read_text(path: str | os.PathLike[str], what: str) -> str:
    """The file as UTF-8 text without a BOM; `what` names the kind of file in messages."""
    shown = str(path)
    try:
        data = read_regular(path)[0]
    except FileNotFoundError:
        raise CatalogError([f"{shown}: no such file"], "check the path") from None
    except NotRegularFileError as exc:
        hint = f"{what} must be a regular file (a symbolic link to one is followed)"
        raise CatalogError([f"{shown}: is {exc.kind}, not {what}"], hint) from None
    except IsADirectoryError:
        raise CatalogError([f"{shown}: is a directory, not {what}"]) from None
    except OSError as exc:
        raise CatalogError([f"{shown}: cannot read: {exc.strerror or exc}"]) from None
    except ValueError:  # an embedded NUL: a name no file can have
        raise CatalogError([f"{shown}: cannot read: not a valid file name"]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise CatalogError(
            [f"{shown}:{line}:{col}: invalid UTF-8 (byte 0x{bad})"], "save the file as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")
