"""Output at the edge: results become plain blocks (render.blocks), then one dispatch (cli.emit)
to table, CSV, Markdown, JSON or TOML. The JSON path imports neither rich nor the block types.

A format is one member of OutputFormat and one renderer: rich_table.print_blocks (table),
plain.to_csv (of a csv_views table of machine values), plain.to_markdown, plain.write_json (json; the envelope is documents.envelope),
store.dump_toml (toml) and html.page (html: a page made from the JSON document).
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
    toml = "toml"
    html = "html"


class View:
    """How a command's result is shown, per format.

    Each renderer input is named "module:function", imported only for the format asked: a
    --json run never loads the block types nor rich. Every function takes the arguments the
    command passes to cli.emit after the view. (A plain class: a NamedTuple would cost every
    run about 0.2 ms to create.)
    """

    __slots__ = ("blocks", "command", "csv", "data", "document", "text", "toml")

    def __init__(
        self,
        command: str,
        *,
        document: str,
        blocks: str | None = None,
        csv: str | None = None,
        text: str | None = None,
        toml: str | None = None,
        data: bool = False,
    ) -> None:
        self.command = command  # the JSON document's `command`
        self.document = document  # -> the JSON body (cli.emit puts documents.envelope around it)
        self.blocks = blocks  # -> blocks: table and Markdown
        self.csv = csv  # -> one render.csv_views.CsvTable of machine values
        self.text = text  # -> plain text, the human output when there are no blocks
        self.toml = toml  # -> a catalog document, written as TOML
        self.data = data  # an export: CSV keeps every character (no stand-ins for the encoding)
