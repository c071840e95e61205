"""The output matrix: terminal or pipe x colour switches x COLUMNS x output format, real processes.

"Terminal" runs the installed command with stdout on a pseudo-terminal of that many columns and
reads everything it writes; "pipe" runs it with stdout on a pipe. For every cell of the matrix:

- JSON, CSV and Markdown are data: they never carry an ANSI escape and are byte for byte the same
  whatever the terminal, the colour switches and COLUMNS (a data format is never wrapped, padded
  or cut, so "no line wider than COLUMNS" does not apply to it; see docs/reliability.md).
- Tables: no line is wider than COLUMNS (display cells, escapes not counted); colour is on exactly
  when FORCE_COLOR is set or stdout is a colour terminal; the text blocks (sentences, notes) lose
  nothing whatever the width; where the tables fit whole (COLUMNS=200 here), nothing of the data
  is lost either (every character of every Markdown table cell appears, nothing is cut with …), while a
  narrower table cuts text with … and leaves out columns as docs/output.md says; catalog text
  like `weird[/]name` shows literally; in a pipe there is no box drawing and no trailing padding.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import pytest
from rich.cells import cell_len
from terminal import base_env, run

AS_OF = ("--as-of", "2026-11-21")
COMMANDS = {
    "list": ("list",),
    "show": ("show", "pixel-one"),
    "diff": ("diff", "alpha-large", "alpha-mini", "pixel-one"),
    "cost": ("cost", "--tokens", "5M"),
    "pipelines": (
        "cost",
        "alpha+pixel-one",
        "alpha-mini+pixel-flat",
        "--tokens",
        "5M",
        "--images",
        "2k",
    ),
    "best": ("best", "--for", "image-generation"),
    "history": ("show", "alpha-large", "--history"),
    "changes": ("changes", "--since", "2025-01-01"),
}
COLOURS = {
    "NO_COLOR": {"NO_COLOR": "1", "TERM": "xterm-256color"},
    "FORCE_COLOR": {"FORCE_COLOR": "1", "TERM": "xterm-256color"},
    "TERM=dumb": {"TERM": "dumb"},
    "default": {"TERM": "xterm-256color"},  # no switch at all: tables only
}
# Data formats are checked for every command as JSON, and as CSV and Markdown for the two
# commands whose output has every kind of block (sections, text, the better-value mark).
DATA_CELLS = [(c, "json") for c in COMMANDS] + [
    (c, f) for c in ("diff", "pipelines") for f in ("csv", "markdown")
]
WIDTHS = (40, 80, 200)
WHOLE = 200  # wide enough for every table of these commands at its natural width
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
BOX = re.compile("[\u2500-\u257f]")
RUNS = {"count": 0}


def _args(command: str, fmt: str) -> list[str]:
    return [*COMMANDS[command], *AS_OF, "--format", fmt]


@cache
def reference(command: str, fmt: str) -> str:
    """The data formats as a script sees them: a pipe, no switches, no COLUMNS."""
    ran = run(_args(command, fmt), base_env())
    assert ran.code == 0 and ran.stderr == "", ran.stderr
    return ran.stdout


def unescape_markdown(text: str) -> str:
    """The text a Markdown line shows: catalog text in it is escaped (`weird\\[/\\]name`, `&lt;`)."""
    return html.unescape(re.sub(r"\\(.)", r"\1", text))


def expected_characters(command: str, *, tables: bool = True) -> Counter[str]:
    """Every non-blank character of the data as people read it: the Markdown's table cells
    (sections once; the CSV holds machine values instead; tables=False: none) and its text
    blocks."""
    chars: Counter[str] = Counter()
    header: list[str] | None = None
    seen_sections: set[str] = set()
    for line in reference(command, "markdown").splitlines():
        if not line.startswith("|"):
            header = None
            if line.strip():
                text = unescape_markdown(line.removeprefix("### ").removeprefix("- "))
                chars.update(c for c in text if not c.isspace())
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
        if header is None:
            header = cells
            continue
        if not tables or all(set(c) <= set("-:") for c in cells):
            continue  # the alignment row
        if header[:1] == ["section"]:
            if cells[0] not in seen_sections:
                seen_sections.add(cells[0])
                chars.update(c for c in unescape_markdown(cells[0]) if not c.isspace())
            cells = cells[1:]
        for cell in cells:
            chars.update(c for c in unescape_markdown(cell) if not c.isspace())
    return chars


def check_cell(
    command: str,
    fmt: str,
    mode: str,
    colour: str,
    width: int,
    stdout: str,
    limit: int | None = None,
) -> None:
    """limit: the widest a line may be, when not COLUMNS (a word wider than COLUMNS is folded)."""
    where = f"{command} --format {fmt} on a {mode}, {colour}, COLUMNS={width}"
    limit = limit or width
    if mode == "terminal":
        stdout = stdout.replace("\r\n", "\n")  # the terminal's own newline translation (onlcr)
    if fmt != "table":
        assert "\x1b" not in stdout, where
        assert stdout == reference(command, fmt), f"{where}: data output differs from the pipe's"
        if fmt == "json":
            assert json.loads(stdout)["schema_version"] == 1
        return
    coloured = colour == "FORCE_COLOR" or (mode == "terminal" and colour == "default")
    assert ("\x1b[" in stdout) is coloured, where
    visible = ANSI.sub("", stdout)
    assert "\x1b" not in visible, where
    lines = visible.split("\n")
    widest = max(cell_len(line) for line in lines)
    assert widest <= limit, f"{where}: a line is {widest} cells wide:\n" + "\n".join(
        line for line in lines if cell_len(line) > limit
    )
    whole = width >= WHOLE  # every table fits at its natural width
    missing = expected_characters(command, tables=whole) - Counter(
        c for c in visible if not c.isspace()
    )
    assert not missing, f"{where}: characters of the data are missing: {dict(missing)}"
    if whole:
        assert "…" not in visible, f"{where}: something was truncated"
    if command == "show" and width >= len("weird[/]name"):
        assert "weird[/]name" in visible, where
    if "★" in reference(command, "markdown"):
        assert "★" in visible, f"{where}: the better value is marked by colour only"
    if mode == "pipe" and colour != "FORCE_COLOR":
        assert not BOX.search(visible), f"{where}: box drawing in a pipe"
        assert all(line == line.rstrip() for line in lines), f"{where}: trailing padding in a pipe"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("colour", list(COLOURS))
@pytest.mark.parametrize("mode", ["terminal", "pipe"])
def test_matrix(mode: str, colour: str, width: int) -> None:
    cells = [(command, "table") for command in COMMANDS] + (
        DATA_CELLS if colour != "default" else []
    )
    env = base_env(COLUMNS=str(width), **COLOURS[colour])

    def one(cell: tuple[str, str]) -> tuple[str, str, str, int, str]:
        command, fmt = cell
        ran = run(
            _args(command, fmt), env, tty="stdout" if mode == "terminal" else "", columns=width
        )
        return command, fmt, ran.stdout, ran.code, ran.stderr

    for command, fmt in cells:  # the references, before the threads
        if fmt != "table":
            reference(command, fmt)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(one, cells))
    RUNS["count"] += len(results)
    for command, fmt, stdout, code, stderr in results:
        assert code == 0 and stderr == "", (command, fmt, stderr)
        check_cell(command, fmt, mode, colour, width, stdout)


def test_json_never_carries_ansi_even_when_forced_on_a_terminal() -> None:
    for command in COMMANDS:
        ran = run(
            [*COMMANDS[command], *AS_OF, "--json"],
            base_env(FORCE_COLOR="1", TERM="xterm-256color", CLICOLOR_FORCE="1"),
            tty="stdout",
        )
        assert ran.code == 0 and "\x1b" not in ran.stdout, command
        assert json.loads(ran.stdout.replace("\r\n", "\n"))["schema_version"] == 1


def test_tables_at_odd_widths_fit() -> None:
    """Beyond the matrix: narrower than any table fits, and the widths between: no line wider
    than COLUMNS (but a word wider than it), and no sentence of a text block lost."""
    cells = [
        (command, width) for command in COMMANDS for width in (1, 10, 20, 30, 50, 60, 100, 120)
    ]

    def one(cell: tuple[str, int]) -> tuple[str, int, str, int, str]:
        command, width = cell
        ran = run([*COMMANDS[command], *AS_OF], base_env(COLUMNS=str(width)))
        return command, width, ran.stdout, ran.code, ran.stderr

    for command in COMMANDS:
        reference(command, "markdown")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(one, cells))
    for command, width, stdout, code, stderr in results:
        assert code == 0, stderr
        check_cell(
            command, "table", "pipe", "NO_COLOR", width, stdout, max(width, _longest_word(command))
        )


def _longest_word(command: str) -> int:
    """A word longer than the width can only be folded, so the width check starts at the longest."""
    words = [w for line in reference(command, "markdown").splitlines() for w in line.split()]
    return max(cell_len(w) for w in words)


@pytest.mark.parametrize("value", ["0", "-5", "abc", "", "9" * 5000, "０"])
def test_nonsense_columns_is_ignored(value: str) -> None:
    """COLUMNS=0 used to print nothing at all; a 5000-digit value made rich raise."""
    for mode in ("pipe", "terminal"):
        ran = run(
            [*COMMANDS["diff"], *AS_OF],
            base_env(COLUMNS=value, TERM="dumb"),
            tty="stdout" if mode == "terminal" else "",
            columns=100,
        )
        assert ran.code == 0 and ran.stderr == "", ran.stderr
        out = ran.stdout.replace("\r\n", "\n")
        assert "pixel-one is deprecated and shuts down on 2027-03-01" in out.replace("\n", " ")
        if mode == "pipe":  # as without COLUMNS: natural width, one line per row
            assert out == run([*COMMANDS["diff"], *AS_OF], base_env()).stdout
        else:  # the terminal's own width
            assert max(cell_len(line) for line in out.split("\n")) <= 100


def test_pipe_without_columns_prints_natural_width() -> None:
    """grep/cut/awk see whole rows: no folding, no padding, one line per model."""
    out = run([*COMMANDS["list"], *AS_OF], base_env()).stdout
    rows = [line for line in out.splitlines() if line.startswith(("alpha", "pixel"))]
    assert len(rows) == 5
    assert any(line.endswith("retired 2026-01-01; superseded by alpha-mini") for line in rows)
    assert all(line == line.rstrip() for line in out.splitlines())


@pytest.fixture(scope="module", autouse=True)
def report(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and RUNS["count"]:
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\ntest_output_matrix: {RUNS['count']} matrix runs "
                f"(2 modes x {len(COLOURS)} colour settings x {len(WIDTHS)} widths x "
                f"{len(COMMANDS)} commands as tables and {len(DATA_CELLS)} data outputs)"
            )
