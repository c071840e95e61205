"""Output at the edge: results become plain blocks, then one dispatch to table, CSV, Markdown or JSON.

Nothing here imports rich at module level: the JSON, CSV and Markdown paths never load it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

BEST_MARK = "★"
LEGEND = f"{BEST_MARK} marks the better value in a row."


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@dataclass(frozen=True, slots=True)
class Cell:
    """Text shown literally; `tone` is a hint the rich renderer turns into colour."""

    text: str
    best: bool = False
    tone: str | None = None  # good | warn | bad | dim | head

    def shown(self, mark: bool = True) -> str:
        return f"{self.text} {BEST_MARK}" if self.best and mark else self.text


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    justify: str = "left"  # left | right
    wrap: bool = True
    min_width: int | None = None


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
