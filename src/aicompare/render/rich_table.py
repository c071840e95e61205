"""Human tables with rich; imported only when a table is printed.

Catalog text is passed as `Text` objects, never as markup, so `weird[/]name` prints literally.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from aicompare.render.blocks import Block, Cell, TableBlock, TextBlock

TONES = {"good": "green", "warn": "yellow", "bad": "red", "dim": "dim", "head": "bold"}
# Without a terminal and without COLUMNS, print tables at their natural width so grep/cut/awk
# see whole values instead of folded ones.
PIPE_WIDTH = 1000


def make_console(*, no_color: bool, file: TextIO | None = None) -> Console:
    stream = file or sys.stdout
    # no colour means no escapes at all: color_system=None also drops bold and underline
    options = {"color_system": None} if no_color else {}
    console = Console(file=stream, highlight=False, markup=False, emoji=False, soft_wrap=False, **options)
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        console = Console(file=stream, highlight=False, markup=False, emoji=False, soft_wrap=False,
                          width=PIPE_WIDTH, **options)
    return console


def _text(cell: Cell) -> Text:
    style = "bold green" if cell.best else TONES.get(cell.tone or "", "")
    return Text(cell.shown(), style=style)


def _table(block: TableBlock, terminal: bool) -> Table:
    table = Table(
        title=Text(block.title, style="bold") if block.title else None,
        title_justify="left",
        box=box.SIMPLE_HEAD if terminal else None,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        expand=False,
    )
    for column in block.columns:
        table.add_column(Text(column.header), justify=column.justify,  # type: ignore[arg-type]
                         overflow="fold", no_wrap=not column.wrap, min_width=column.min_width)
    width = len(block.columns)
    for index, row in enumerate(block.rows):
        heading = block.section_rows.get(index)
        if heading is not None:
            if index and terminal:
                table.add_section()
            table.add_row(Text(heading, style="bold underline"), *[Text("")] * (width - 1))
        table.add_row(*[_text(cell) for cell in row])
    return table


def print_blocks(blocks: Sequence[Block], *, no_color: bool) -> None:
    """Render tables and text blocks to stdout; off a terminal, without trailing padding."""
    console = make_console(no_color=no_color)
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
                target.print(Text(block.title, style="bold"))
            for line in block.lines:
                target.print(Text(f"- {line}" if block.bullets else line))
        else:
            if not first:
                console.print()
            console.print(_table(block, terminal))
        if block.__class__ is TableBlock or getattr(block, "stream", "stdout") == "stdout":
            first = False
