"""Tables that fit: the layout rule of render.rich_table, and the real commands on terminals of
80, 100 and 120 columns printing every table row on one line (docs/output.md)."""

from __future__ import annotations

import html
import json
import re

import pytest
from rich.cells import cell_len
from snapshots.update import AS_OF, CASES, environment, screen
from terminal import run

from aicompare.render import rich_table
from aicompare.render.blocks import Cell, Column, TableBlock, TextBlock


def _block(*columns: Column, rows: int = 3) -> TableBlock:
    """Cells as wide as their column's header says: 'id:20' holds 20 characters."""
    body = [
        [Cell(f"{c.header[0]}{r}".ljust(int(c.header.split(":")[1]), "x")) for c in columns]
        for r in range(rows)
    ]
    return TableBlock(list(columns), body)


WIDE = _block(
    Column("id:20", truncate=True, min_width=12),
    Column("prov:10", drop=2),
    Column("price:8", "right"),
    Column("image:15", drop=1),
    Column("status:30", truncate=True, min_width=10),
)  # natural: 20 + 10 + 8 + 15 + 30 = 83, and 4 gaps


def _widths(width: int, gap: int = 3) -> dict[str, int] | None:
    kept = rich_table.layout(WIDE, width, gap)
    return None if kept is None else {WIDE.columns[i].header: w for i, w in kept}


def test_a_table_that_fits_keeps_every_column_whole() -> None:
    assert _widths(83 + 12) == {
        "id:20": 20,
        "prov:10": 10,
        "price:8": 8,
        "image:15": 15,
        "status:30": 30,
    }
    assert _widths(83 + 8, gap=2) == _widths(83 + 12)  # a pipe has no rule between columns


def test_truncated_columns_give_way_first_and_share_what_is_left() -> None:
    # 10 cells short: id and status go down to their minimums (12, 10), the other columns stay
    # whole, and the 18 cells left are shared evenly: id takes the 8 it needs, status the rest
    assert _widths(83 + 12 - 10) == {
        "id:20": 20,
        "prov:10": 10,
        "price:8": 8,
        "image:15": 15,
        "status:30": 20,
    }


def test_columns_drop_in_their_declared_order_below_the_minimums() -> None:
    # minimums: 12 + 10 + 8 + 15 + 10 = 55, and 12 of gaps
    assert _widths(67) == {
        "id:20": 12,
        "prov:10": 10,
        "price:8": 8,
        "image:15": 15,
        "status:30": 10,
    }
    assert _widths(66) == {"id:20": 20, "prov:10": 10, "price:8": 8, "status:30": 19}
    assert _widths(49) == {"id:20": 12, "prov:10": 10, "price:8": 8, "status:30": 10}
    assert _widths(48) == {"id:20": 18, "price:8": 8, "status:30": 16}
    assert _widths(36) == {"id:20": 12, "price:8": 8, "status:30": 10}


def test_records_only_below_the_narrowest_table() -> None:
    assert _widths(35) is None


def test_a_truncated_column_never_goes_below_its_longest_text_when_shorter() -> None:
    block = TableBlock(
        [Column("a", truncate=True, min_width=12), Column("b")], [[Cell("short"), Cell("x" * 30)]]
    )
    assert rich_table.layout(block, 40, 3) == [(0, 5), (1, 30)]


def test_headings_and_titles_never_wrap_and_rows_are_cut_with_an_ellipsis(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: the heading was a cell of the first column, folded to its width ("Prices (USD
    per 1M" / "tokens)"), and a long value wrapped onto several lines."""
    monkeypatch.setenv("COLUMNS", "40")
    block = TableBlock(
        [Column("", truncate=True, min_width=8), Column("model-a", truncate=True, min_width=8)],
        [[Cell("input"), Cell("$1.10")], [Cell("endpoints"), Cell("chat, responses, " * 4)]],
        title="A title longer than the forty columns of this terminal",
        section_rows={0: "Prices (USD per 1M tokens)", 1: "Capabilities"},
    )
    rich_table.print_blocks([block, TextBlock(["after"])], no_color=True)
    lines = capsys.readouterr().out.split("\n")
    assert lines[0] == "A title longer than the forty columns o…"
    assert "Prices (USD per 1M tokens)" in lines
    assert lines[lines.index("Prices (USD per 1M tokens)") + 1].split() == ["input", "$1.10"]
    row = lines[lines.index("Capabilities") + 1]
    assert row.startswith("endpoints") and row.endswith("…") and cell_len(row) == 40
    assert lines[lines.index("Capabilities") + 2 :] == ["", "after", ""]


# ---------------------------------------------------------------- the real commands


def _markdown_tables(args: tuple[str, ...], env: dict[str, str]) -> list[tuple[int, set[str]]]:
    """Each table of the command's Markdown: its row count and its section names."""
    ran = run([*args, "--as-of", AS_OF, "--format", "markdown"], env)
    assert ran.code == 0, ran.stderr
    tables: list[list[str]] = []
    previous = False
    for line in ran.stdout.splitlines():
        table_line = line.startswith("|")
        if table_line and not previous:
            tables.append([])
        if table_line:
            tables[-1].append(line)
        previous = table_line
    shown = []
    for lines in tables:
        cells = [
            [html.unescape(re.sub(r"\\(.)", r"\1", c.strip())) for c in line.split(" | ")]
            for line in lines
        ]
        sections = {row[0].lstrip("| ") for row in cells[2:]} if "section" in lines[0] else set()
        shown.append((len(lines) - 2, sections))
    return shown


@pytest.mark.parametrize("name", list(CASES))
def test_every_table_row_is_one_line_at_80_100_and_120_columns(
    name: str, tmp_path: pytest.TempPathFactory
) -> None:
    args = CASES[name]
    tables = _markdown_tables(args, environment(str(tmp_path)))
    for columns in (80, 100, 120):
        where = f"aicompare {' '.join(args)} at {columns} columns"
        text = screen(args, columns)
        lines = text.split("\n")
        wide = [line for line in lines if cell_len(line) > columns]
        assert not wide, f"{where}: lines wider than the terminal: {wide}"
        lines = [line.rstrip() for line in lines]
        rules = [i for i, line in enumerate(lines) if line and set(line) == {"─"}]
        assert len(rules) == len(tables), f"{where}: a table printed as records:\n{text}"
        for rule, (rows, sections) in zip(rules, tables):
            i, seen = rule + 1, 0
            while seen < rows:
                line = lines[i]
                if line in sections or (line == "" and lines[i + 1] in sections):
                    i += 1
                    continue
                assert line, f"{where}: a blank line inside a table:\n{text}"
                seen += 1
                i += 1
            assert i == len(lines) or lines[i] == "", (
                f"{where}: a table has more lines than rows; line {i + 1} continues one:\n{text}"
            )


def test_a_pipe_without_columns_gets_every_column_whole(tmp_path: pytest.TempPathFactory) -> None:
    """grep and cut see whole ids and every column; COLUMNS in a pipe lays the table out."""
    env = environment(str(tmp_path))
    ran = run(["list", "--as-of", AS_OF], env)
    assert ran.code == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert lines[0].split() == [
        "id",
        "provider",
        "type",
        "context",
        "input",
        "output",
        "image",
        "status",
    ]
    assert "…" not in ran.stdout and max(cell_len(line) for line in lines) > 120
    ids = run(["list", "--as-of", AS_OF, "--json"], env)
    longest = max((m["id"] for m in json.loads(ids.stdout)["models"]), key=len)
    assert any(line.startswith(longest + " ") for line in lines)
    narrow = run(["list", "--as-of", AS_OF], {**env, "COLUMNS": "80"})
    assert max(cell_len(line) for line in narrow.stdout.splitlines()) <= 80
    assert "…" in narrow.stdout and "image" not in narrow.stdout.splitlines()[0]
