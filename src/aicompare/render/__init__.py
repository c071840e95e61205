"""Output at the edge: results become plain blocks (render.blocks), then one dispatch to table,
CSV, Markdown or JSON. The JSON path imports neither rich nor the block types.
"""

from __future__ import annotations

from enum import Enum

BEST_MARK = "★"
LEGEND = f"{BEST_MARK} marks the better value in a row."


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


