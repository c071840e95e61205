"""CSV and Markdown renderers and the JSON writer: plain stdout, never rich."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # the JSON path must not pay for the block types
    from aicompare.render.blocks import Block


def write_json(document: dict[str, Any], out: TextIO | None = None) -> None:
    """One JSON document on stdout; every value is already a JSON type (money as strings)."""
    stream = out or sys.stdout
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if not text.isascii() and not _encodes(text):
        # A name or path typed on the command line that was not UTF-8 reaches here as lone
        # surrogates ('\udcff'); written raw they make stdout raise. As JSON escapes they are
        # valid JSON in valid UTF-8, and json.loads gives back the same string.
        text = "".join(f"\\u{ord(c):04x}" if "\ud800" <= c <= "\udfff" else c for c in text)
    stream.write(text + "\n")


def write_text(text: str, out: TextIO | None = None) -> None:
    """Plain text on stdout. A path typed on the command line that is not UTF-8 ($'\\xff') holds
    lone surrogates, which a UTF-8 stdout refuses; they are written as backslash escapes, as
    Python writes them on stderr."""
    stream = out or sys.stdout
    if not text.isascii() and not _encodes(text):
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    stream.write(text)


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def to_csv(blocks: Sequence[Block]) -> str:
    """Each table as CSV (header first); several tables are separated by a blank line."""
    import csv

    from aicompare.render.blocks import TableBlock

    parts: list[str] = []
    for block in blocks:
        if not isinstance(block, TableBlock):
            continue
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        headers = [c.header for c in block.columns]
        if block.section_rows:
            headers = ["section", *headers]
        writer.writerow(headers)
        section = ""
        for index, row in enumerate(block.rows):
            section = block.section_rows.get(index, section)
            cells = [cell.text for cell in row]
            writer.writerow([section, *cells] if block.section_rows else cells)
        parts.append(buffer.getvalue())
    return "\n".join(parts)


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(blocks: Sequence[Block]) -> str:
    """GitHub-flavoured Markdown: tables with a header row, text blocks as paragraphs or lists."""
    from aicompare.render.blocks import TextBlock

    parts: list[str] = []
    for block in blocks:
        if isinstance(block, TextBlock):
            if block.stream != "stdout" or not block.lines:
                continue
            lines = [f"### {_md_escape(block.title)}", ""] if block.title else []
            lines += [f"- {line}" if block.bullets else line for line in block.lines]
            parts.append("\n".join(lines))
            continue
        lines = [f"### {_md_escape(block.title)}", ""] if block.title else []
        columns = block.columns
        with_section = bool(block.section_rows)
        header = (["section"] if with_section else []) + [_md_escape(c.header) or " " for c in columns]
        align = (["---"] if with_section else []) + ["---:" if c.justify == "right" else "---" for c in columns]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("| " + " | ".join(align) + " |")
        section = ""
        for index, row in enumerate(block.rows):
            section = block.section_rows.get(index, section)
            cells = [_md_escape(cell.shown()) for cell in row]
            if with_section:
                cells = [_md_escape(section), *cells]
            lines.append("| " + " | ".join(cells) + " |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"
