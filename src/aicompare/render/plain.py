"""CSV and Markdown renderers and the JSON writer: plain stdout, never rich."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from aicompare.safe_text import fit, visible

if TYPE_CHECKING:  # the JSON path must not pay for the block types
    from aicompare.render.blocks import Block
    from aicompare.render.csv_views import CsvTable


def _encoding(stream: object) -> str | None:
    return getattr(stream, "encoding", None)


def write_json(document: dict[str, Any], out: TextIO | None = None) -> None:
    """One JSON document on stdout; every value is already a JSON type (money as strings)."""
    stream = out or sys.stdout
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if not text.isascii() and not _encodes(text, _encoding(stream)):
        # A character stdout's encoding lacks (an ASCII or latin-1 terminal), or a name or path
        # typed on the command line that was not UTF-8 (lone surrogates, '\udcff'): JSON's own
        # \u escapes, valid JSON in any encoding, and json.loads gives back the same strings.
        text = json.dumps(document, indent=2, ensure_ascii=True)
    stream.write(text + "\n")


def write_text(text: str, out: TextIO | None = None) -> None:
    """Plain text lines on stdout. The text's newlines are kept; any other control or invisible
    character (in a model id, a path, a note) is shown as an escape (safe_text.visible), and a
    character the output's encoding lacks as a stand-in or an escape (safe_text.fit)."""
    stream = out or sys.stdout
    shown = "\n".join(visible(line) for line in text.split("\n"))
    stream.write(fit(shown, _encoding(stream)))


def _encodes(text: str, encoding: str | None) -> bool:
    try:
        text.encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


# OWASP's rule against CSV injection: a spreadsheet runs a cell that begins with one of these as
# a formula (=HYPERLINK(...), +cmd|..., -1+2, @SUM(...)); a ' in front makes it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """One CSV text cell: control and invisible characters shown as escapes (a newline stays; the
    CSV quotes it), and a leading =, +, -, @, tab or CR neutralised with a '. Every str cell goes
    through it (csv_value); the tool's numbers and dates are not str and are written as they are."""
    text = visible(text, newlines=True)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_value(value: object) -> str:
    """One machine value as a CSV cell (render.csv_views): a Decimal as its exact digits (as in the
    JSON), an int as digits, a bool as true/false, a date as ISO, None as empty, a tuple as its
    items joined by "; ", and text through csv_text (a formula neutralised)."""
    from decimal import Decimal

    from aicompare.fmt import dec

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return dec(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return csv_text("; ".join(str(v) for v in value))
    return csv_text(str(value))


def to_csv(table: CsvTable, encoding: str | None = None) -> str:
    """One table as CSV: the header row, then one row per record (render.csv_views).

    encoding: the output's (default stdout's); characters it lacks become stand-ins or escapes.
    """
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_text(name) for name in table.header])
    for row in table.rows:
        writer.writerow([csv_value(value) for value in row])
    return fit(buffer.getvalue(), encoding or _encoding(sys.stdout))


# Markdown: catalog text must stay text. Backslash escapes for the characters of emphasis, code,
# strikethrough, links and images ([ and ]: no link or image can form without them), headings and
# table cells; HTML entities for <, > and & (no tag, no autolink, no entity). A line of a text block
# also cannot begin a list, a setext heading or a thematic break (-, +, =, "1.").
_MARKDOWN = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
        "[": "\\[",
        "]": "\\]",
        "*": "\\*",
        "_": "\\_",
        "`": "\\`",
        "~": "\\~",
        "#": "\\#",
    }
)


def md_text(text: str, *, line_start: bool = False) -> str:
    """Text for a Markdown table cell, heading or (line_start) the start of a line or bullet:
    shown literally, on one line."""
    text = visible(text.replace("\r\n", " ").replace("\n", " ")).translate(_MARKDOWN)
    if line_start:
        if text[:1] in ("-", "+", "="):
            return "\\" + text
        digits = len(text) - len(text.lstrip("0123456789"))  # "1." or "1)": an ordered list
        marker, after = text[digits : digits + 1], text[digits + 1 : digits + 2]
        if 0 < digits <= 9 and marker in (".", ")") and after in ("", " "):
            return f"{text[:digits]}\\{text[digits:]}"
    return text


def to_markdown(blocks: Sequence[Block], encoding: str | None = None) -> str:
    """GitHub-flavoured Markdown: tables with a header row, text blocks as paragraphs or lists.

    Every text (titles, headers, cells, sentences) goes through md_text; the markup is the tool's.
    """
    from aicompare.render.blocks import TextBlock

    parts: list[str] = []
    for block in blocks:
        if isinstance(block, TextBlock):
            if block.stream != "stdout" or not block.lines:
                continue
            lines = [f"### {md_text(block.title)}", ""] if block.title else []
            texts = [md_text(line, line_start=True) for line in block.lines]
            lines += [f"- {text}" for text in texts] if block.bullets else texts
            parts.append("\n".join(lines))
            continue
        lines = [f"### {md_text(block.title)}", ""] if block.title else []
        columns = block.columns
        with_section = bool(block.section_rows)
        header = (["section"] if with_section else []) + [md_text(c.header) or " " for c in columns]
        align = (["---"] if with_section else []) + [
            "---:" if c.justify == "right" else "---" for c in columns
        ]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("| " + " | ".join(align) + " |")
        section = ""
        for index, row in enumerate(block.rows):
            section = block.section_rows.get(index, section)
            cells = [md_text(cell.shown()) for cell in row]
            if with_section:
                cells = [md_text(section), *cells]
            lines.append("| " + " | ".join(cells) + " |")
        parts.append("\n".join(lines))
    return fit("\n\n".join(parts) + "\n", encoding or _encoding(sys.stdout))
