"""Human tables with rich; imported only when a table is printed.

Catalog text is passed as `Text` objects, never as markup, so `weird[/]name` prints literally.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
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
# see whole values instead of folded ones.
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


def _table(block: TableBlock, terminal: bool, widths: Sequence[int | None]) -> Table:
    table = Table(
        title=_plain(block.title, "bold") if block.title else None,
        title_justify="left",
        box=box.SIMPLE_HEAD if terminal else None,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        expand=False,
    )
    for column, width in zip(block.columns, widths):
        table.add_column(
            _plain(column.header),
            justify=column.justify,  # type: ignore[arg-type]
            overflow="fold",
            no_wrap=not column.wrap,
            min_width=column.min_width,
            width=width,
        )
    width = len(block.columns)
    for index, row in enumerate(block.rows):
        heading = block.section_rows.get(index)
        if heading is not None:
            if index and terminal:
                table.add_section()
            table.add_row(_plain(heading, "bold underline"), *[Text("")] * (width - 1))
        table.add_row(*[_text(cell) for cell in row])
    return table


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
            widths = _column_widths(block, console.width, gap=3 if terminal else 2)
            if widths is None:
                _print_records(console, block)
            else:
                console.print(_table(block, terminal, widths))
        if block.__class__ is TableBlock or getattr(block, "stream", "stdout") == "stdout":
            first = False


def _column_widths(block: TableBlock, width: int, gap: int) -> list[int | None] | None:
    """Column widths that break lines only between words; None when even that does not fit.

    rich shrinks a too-wide table by folding its widest columns, down to nothing and losing
    characters on the way; here no column gets less than its longest word (a no-wrap column its
    longest text), the room left goes to the columns that want more, and a table whose words
    alone do not fit is printed as records instead.
    """
    lows: list[int] = []
    highs: list[int] = []
    for index, column in enumerate(block.columns):
        texts = [
            _shown(column.header),
            *(_shown(row[index].shown(), newlines=True) for row in block.rows if index < len(row)),
        ]
        if index == 0:
            texts += [_shown(heading) for heading in block.section_rows.values()]
        lines = [line for text in texts for line in text.splitlines()]
        words = [word for line in lines for word in line.split()] if column.wrap else lines
        lows.append(max([column.min_width or 1, *(cell_len(word) for word in words)]))
        highs.append(max([lows[-1], *(cell_len(line) for line in lines)]))
    room = width - gap * (len(block.columns) - 1)  # padding, and the rule of a box
    if sum(highs) <= room:
        return [None] * len(block.columns)  # natural width fits
    spare = room - sum(lows)
    if spare < 0:
        return None
    widths = list(lows)
    while spare > 0:
        wanting = [i for i, (now, high) in enumerate(zip(widths, highs)) if now < high]
        share = max(spare // len(wanting), 1)
        for i in wanting:
            extra = min(share, highs[i] - widths[i], spare)
            widths[i] += extra
            spare -= extra
    return list(widths)


def _print_records(console: Console, block: TableBlock) -> None:
    """A table too wide for the console, one record per row, so no column is squeezed to nothing."""
    if block.title:
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
