"""Plain blocks of cells that the table, CSV and Markdown renderers share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from aicompare.render import BEST_MARK


class Cell(NamedTuple):
    """Text shown literally; `tone` is a hint the rich renderer turns into colour.

    Blocks are what people read (tables, Markdown); CSV is written from typed values instead
    (render/csv_views.py), so a cell carries no machine value.
    """

    text: str
    best: bool = False
    tone: str | None = None  # good | warn | bad | dim | head

    def shown(self, mark: bool = True) -> str:
        return f"{self.text} {BEST_MARK}" if self.best and mark else self.text


class Column(NamedTuple):
    """One column of a table; a view declares how it gives way on a narrow terminal.

    Every table row prints on one line (render.rich_table). When the columns do not fit:
    `truncate` columns are cut with … down to `min_width` (default 8; never below their
    longest text when that is shorter), the others keep their whole text; then columns with a
    `drop` rank are left out, 1 first, then 2, ...; 0 is never dropped. Below that, the table is
    printed as one record per row. docs/output.md lists each view's columns in drop order.
    """

    header: str
    justify: str = "left"  # left | right
    truncate: bool = False
    min_width: int | None = None
    drop: int = 0


@dataclass
class TableBlock:
    """One table; `section_rows` maps a row index to a heading printed above it."""

    columns: list[Column]
    rows: list[list[Cell]]
    title: str | None = None
    section_rows: dict[int, str] = field(default_factory=dict)


@dataclass
class TextBlock:
    """Plain lines (sentences, notes), optionally as a bulleted list under a title."""

    lines: list[str]
    title: str | None = None
    bullets: bool = False
    stream: str = "stdout"


Block = TableBlock | TextBlock
