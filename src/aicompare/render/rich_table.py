"""Human tables with rich; imported only when a table is printed.

Catalog text is passed as `Text` objects, never as markup, so `weird[/]name` prints literally.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from itertools import pairwise
from typing import TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from aicompare.render.blocks import Block, Cell, TableBlock, TextBlock
from aicompare.safe_text import fit, visible

TONES = {"good": "green", "warn": "yellow", "bad": "red", "dim": "dim", "head": "bold"}
# Without a terminal and without COLUMNS, print tables at their natural width so grep/cut/awk
# see whole values, never cut with … nor left out (docs/output.md, "Which width").
PIPE_WIDTH = 1000


def _env_size(name: str) -> int | None:
    """COLUMNS or LINES as a positive whole number; None when unset, zero or not a sane number."""
    text = os.environ.get(name, "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return None
    return int(text) or None


def _terminal_width(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


def make_console(*, no_color: bool, file: TextIO | None = None) -> Console:
    stream = file or sys.stdout
    # no colour means no escapes at all: color_system=None also drops bold and underline
    # The size is always given, so rich never reads COLUMNS or LINES itself: COLUMNS=0 would
    # print nothing and a 5000-digit value would raise.
    console = Console(
        file=stream,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        width=80,
        height=_env_size("LINES") or 25,
        color_system=None if no_color else "auto",
    )
    width = _env_size("COLUMNS")
    if width is None:
        width = _terminal_width(stream) if console.is_terminal else PIPE_WIDTH
    console.width = width
    return console


# Catalog text reaches the terminal through rich: an ESC in an imported name would drive it (clear
# the screen, set the window title), a bidi override would reorder what is read. Every text goes
# through safe_text.visible, which shows those as escapes; a cell keeps its newlines as line
# breaks, titles and sentences do not. Then safe_text.fit, for the console's encoding: on a
# terminal that is not UTF-8, ★ is *, a bar is #, and what else it lacks is an escape, before
# rich measures the text, so the columns stay aligned.
_encoding: str | None = None  # the console's, set by print_blocks


def _shown(text: str, *, newlines: bool = False) -> str:
    return fit(visible(text, newlines=newlines), _encoding)


def _plain(text: str, style: str = "", *, newlines: bool = False) -> Text:
    return Text(_shown(text, newlines=newlines), style=style)


def _text(cell: Cell) -> Text:
    style = "bold green" if cell.best else TONES.get(cell.tone or "", "")
    return _plain(cell.shown(), style, newlines=True)


def _one_line(cell: Cell) -> Text:
    """A cell on one line: a newline in catalog text is shown as an escape, like a title's."""
    style = "bold green" if cell.best else TONES.get(cell.tone or "", "")
    return _plain(cell.shown(), style)


def _print_line(console: Console, text: str, style: str) -> None:
    """A title or section heading: one line, cut with … rather than wrapped."""
    console.print(_plain(text, style), no_wrap=True, overflow="ellipsis")


def _table(
    block: TableBlock,
    terminal: bool,
    kept: Sequence[tuple[int, int]],
    rows: Sequence[Sequence[Cell]],
    header: bool,
) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD if terminal else None,
        show_header=header,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        expand=False,
    )
    for index, width in kept:
        column = block.columns[index]
        table.add_column(
            _plain(column.header),
            justify=column.justify,  # type: ignore[arg-type]
            overflow="ellipsis",
            no_wrap=True,
            width=width,
        )
    for row in rows:
        table.add_row(
            *[_one_line(row[index]) if index < len(row) else Text("") for index, _ in kept]
        )
    return table


def _print_table(
    console: Console, block: TableBlock, terminal: bool, kept: Sequence[tuple[int, int]]
) -> None:
    """The title, then the rows section by section: a heading is a line of its own above its
    rows (never squeezed into the first column), and every section has the same column widths."""
    if block.title:
        _print_line(console, block.title, "bold")
    starts = sorted({0, *block.section_rows, len(block.rows)})
    header = True
    if block.section_rows.get(0) is not None or not block.rows:
        console.print(_table(block, terminal, kept, [], header=True))
        header = False
    for first, (begin, end) in enumerate(pairwise(starts)):
        heading = block.section_rows.get(begin)
        if heading is not None:
            if first and terminal:
                console.print()
            _print_line(console, heading, "bold underline")
        if end > begin:
            console.print(_table(block, terminal, kept, block.rows[begin:end], header=header))
            header = False


def print_blocks(blocks: Sequence[Block], *, no_color: bool) -> None:
    """Render tables and text blocks to stdout; off a terminal, without trailing padding."""
    global _encoding
    console = make_console(no_color=no_color)
    _encoding = console.encoding
    if console.is_terminal:
        _print(console, blocks, no_color)
        return
    with console.capture() as capture:
        _print(console, blocks, no_color)
    text = "\n".join(line.rstrip() for line in capture.get().splitlines())
    sys.stdout.write(text + "\n")


def _print(console: Console, blocks: Sequence[Block], no_color: bool) -> None:
    err: Console | None = None
    terminal = console.is_terminal
    first = True
    for block in blocks:
        if isinstance(block, TextBlock):
            if not block.lines:
                continue
            target = console
            if block.stream == "stderr":
                err = err or make_console(no_color=no_color, file=sys.stderr)
                target = err
            elif not first:
                console.print()
            if block.title:
                target.print(_plain(block.title, "bold"))
            for line in block.lines:
                target.print(_plain(f"- {line}" if block.bullets else line))
        else:
            if not first:
                console.print()
            kept = layout(block, console.width, gap=3 if terminal else 2)
            if kept is None:
                _print_records(console, block)
            else:
                _print_table(console, block, terminal, kept)
        if block.__class__ is TableBlock or getattr(block, "stream", "stdout") == "stdout":
            first = False


DEFAULT_MIN_WIDTH = 8  # the narrowest a truncated column gets when its view names no minimum


def layout(block: TableBlock, width: int, gap: int) -> list[tuple[int, int]] | None:
    """The columns to print and their widths, each row on one line; None: print records.

    Every column starts at its natural width (its longest text). While the row is too wide,
    the truncated columns give way down to their minimum; when that is not enough, the next
    droppable column is left out (Column.drop: 1 first) and the widths are worked out again.
    Room left once a table fits goes back to the truncated columns, evenly. A table that does
    not fit with every droppable column gone and every truncated one at its minimum is None.
    """
    natural: list[int] = []
    floor: list[int] = []
    for index, column in enumerate(block.columns):
        texts = [column.header, *(row[index].shown() for row in block.rows if index < len(row))]
        longest = max(cell_len(_shown(text)) for text in texts)
        natural.append(longest)
        least = column.min_width or DEFAULT_MIN_WIDTH
        floor.append(min(longest, least) if column.truncate else longest)
    kept = list(range(len(block.columns)))
    drops = sorted(
        (column.drop, index) for index, column in enumerate(block.columns) if column.drop > 0
    )
    while True:
        room = width - gap * (len(kept) - 1)  # padding, and the rule of a box
        if sum(natural[i] for i in kept) <= room:
            return [(i, natural[i]) for i in kept]
        spare = room - sum(floor[i] for i in kept)
        if spare >= 0:
            widths = {i: floor[i] for i in kept}
            while spare > 0:
                wanting = [i for i in kept if widths[i] < natural[i]]
                share = max(spare // len(wanting), 1)
                for i in wanting:
                    extra = min(share, natural[i] - widths[i], spare)
                    widths[i] += extra
                    spare -= extra
            return [(i, widths[i]) for i in kept]
        if not drops:
            return None
        kept.remove(drops.pop(0)[1])


def _print_records(console: Console, block: TableBlock) -> None:
    """A table too wide for the console, one record per row, so no column is squeezed to nothing."""
    if block.title:  # records are the narrow fallback: titles and headings wrap, nothing is cut
        console.print(_plain(block.title, "bold"))
    for index, row in enumerate(block.rows):
        if index:
            console.print()
        heading = block.section_rows.get(index)
        if heading is not None:
            console.print(_plain(heading, "bold underline"))
        if not row:
            continue
        console.print(_text(row[0]))
        for column, cell in zip(block.columns[1:], row[1:]):
            line = _plain(f"  {column.header}: " if column.header else "  ")
            line.append_text(_text(cell))
            console.print(line)
