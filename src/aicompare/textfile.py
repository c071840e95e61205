"""Reading a user-supplied text file: one CatalogError line naming the path (and line:col) on failure."""

from __future__ import annotations

import os
from pathlib import Path

from aicompare.errors import CatalogError


def read_text(path: str | os.PathLike[str], what: str) -> str:
    """The file as UTF-8 text without a BOM; `what` names the kind of file in messages."""
    shown = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise CatalogError([f"{shown}: no such file"], "check the path") from None
    except IsADirectoryError:
        raise CatalogError([f"{shown}: is a directory, not {what}"]) from None
    except OSError as exc:
        raise CatalogError([f"{shown}: cannot read: {exc.strerror or exc}"]) from None
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
