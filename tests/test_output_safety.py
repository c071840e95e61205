"""What reaches a terminal, a spreadsheet or a Markdown page cannot be turned against its reader.

A catalog layer with hostile text (terminal escapes, an OSC 8 hyperlink, BEL, bidi overrides,
zero-width and line-separator characters, spreadsheet formulas, Markdown headings, links, HTML and
table pipes, newlines) goes through every output: tables on a terminal and in a pipe, plain text
lines, error lines and hints, CSV and Markdown. Then the streams themselves: stdout closed,
stdout in ASCII or latin-1, a closed pipe for every command, and `--json` on a terminal stderr.

Everything runs the installed console script in a subprocess (a pseudo-terminal where the item is
about terminals), from outside the checkout, on the fixture catalog plus the hostile layer.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import tomllib
import unicodedata
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
import tomli_w
from markdown_it import MarkdownIt  # rich's own dependency: a real CommonMark + GFM-table parser
from terminal import LITELLM, Ran, aicompare, base_env, run

AS_OF = ["--as-of", "2026-11-21"]
SAMPLE = Path(__file__).parent / "data" / "importers" / "litellm.json"

OSC8 = "\x1b]8;;http://evil\x07click\x1b]8;;\x07"  # a terminal hyperlink
EVIL = "evil\x1b[2Jid"  # clears the screen
FORMULA = '=HYPERLINK("http://x")'
HEADING = "# heading"
MINUS = "-1+2"
SNEAKY = (
    "bell\x07 "
    + OSC8
    + " rtl\u202eabc zw\u200bx ls\u2028x bom\ufeff lrm\u200e iso\u2066x\u2069 del\x7f c1\x9b"
)
HOSTILE = {
    "models": {
        EVIL: {
            "provider": "acme",
            "type": "text",
            "name": "Twin",
            "notes": SNEAKY,
            "prices": {"input": 1, "output": 2},
        },
        FORMULA: {
            "provider": "acme",
            "type": "text",
            "name": "Twin",
            "description": "+cmd|' /C calc'!A0",
            "prices": {"input": 0.5, "output": 1},
        },
        HEADING: {
            "provider": "acme",
            "type": "text",
            "name": "[link](http://evil)",
            "notes": "<script>alert(1)</script> a|b\n# next\n![img](http://evil/i.png) *em* `code` &amp;",
            "prices": {"input": 3, "output": 4},
        },
        MINUS: {
            "provider": "acme",
            "type": "text",
            "name": "@SUM(A1)",
            "prices": {"input": 2, "output": 2},
        },
    }
}
# The characters that must never reach a reader as they are (a newline of the output is its own).
SHOWN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def raw_controls(text: str) -> list[str]:
    """Control and invisible characters in an output, other than its line breaks."""
    return sorted(
        {
            f"U+{ord(c):04X}"
            for c in text.replace("\r\n", "\n")
            if c != "\n" and unicodedata.category(c) in SHOWN_CATEGORIES
        }
    )


@pytest.fixture
def layer(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(tomli_w.dumps(HOSTILE), "utf-8")
    return path


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    # NO_COLOR: on a terminal the table then carries no escape at all of its own, so any ESC in
    # the output would be the catalog's
    return base_env(
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        NO_COLOR="1",
        TERM="xterm-256color",
        COLUMNS="200",
    )


def cli(args: list[str], env: dict[str, str], layer: Path | None = None, **kw: object) -> Ran:
    """Run with the hostile layer (before a `--` that ends the options, which ids like -1+2 need)."""
    end = args.index("--") if "--" in args else len(args)
    option = ["--catalog", str(layer)] if layer else []
    return run([*args[:end], *option, *args[end:]], env, **kw)  # type: ignore[arg-type]


# --- 1. Catalog text and user input are escaped in every message ---------------------------------


def test_messages_show_control_and_invisible_characters(
    layer: Path, env: dict[str, str], tmp_path: Path
) -> None:
    """Error lines, hints, did-you-mean, ambiguous lists, problem paths, parser errors and plain
    text lines: every one shows ESC, BEL, bidi and zero-width characters as escapes."""
    outputs: list[str] = []

    suggestion = cli(["show", "evil[2Jidd"], env, layer)  # a typo of EVIL: the hint names it
    assert suggestion.code == 1 and suggestion.stdout == ""
    assert suggestion.stderr.splitlines() == [
        "error: unknown model 'evil[2Jidd'",
        "did you mean: evil\\x1b[2Jid?",
    ]
    ambiguous = cli(["show", "Twin"], env, layer)
    assert ambiguous.code == 1
    assert (
        ambiguous.stderr.splitlines()[0]
        == "error: ambiguous model 'Twin': it matches =HYPERLINK(\"http://x\"), evil\\x1b[2Jid"
    )
    typed = cli(["show", "=evil\x1b[2J\x1b]0;title\x07\u202e"], env, layer)
    assert (
        typed.stderr.splitlines()[0]
        == "error: unknown model '=evil\\x1b[2J\\x1b]0;title\\x07\\u202e'"
    )
    outputs += [suggestion.stderr, ambiguous.stderr, typed.stderr]

    broken = tmp_path / "broken.toml"
    broken.write_text(
        tomli_w.dumps(
            {
                "models": {
                    "bad\x1b[2J\u202eid": {
                        "provider": "acme",
                        "type": "text",
                        "bogus\u200b": 1,
                        "other\x07": 2,
                    }
                }
            }
        ),
        "utf-8",
    )
    problems = run(["catalog", "validate", str(broken)], env)
    assert problems.code == 1 and problems.stdout == ""
    assert problems.stderr.splitlines()[0] == "error: the catalog has 2 problems:"
    assert (
        f"  {broken}: models.bad\\x1b[2J\\u202eid.bogus\\u200b: unknown key"
        in problems.stderr.splitlines()
    )
    assert (
        f"  {broken}: models.bad\\x1b[2J\\u202eid.other\\x07: unknown key"
        in problems.stderr.splitlines()
    )
    outputs.append(problems.stderr)

    option = run(["list", "--bogus\x1b[2J"], env)  # the parser's own message quotes what was typed
    assert option.code == 2 and "error: no such option: --bogus\\x1b[2J\n" in option.stderr
    date = run(["list", "--as-of", "2026\u2028\x1b[2J"], env)
    assert date.code == 2 and "'2026\\u2028\\x1b[2J' is not a date" in date.stderr
    outputs += [option.stderr, date.stderr]

    into = tmp_path / "mine\x1b[2J.toml"
    added = run(
        [
            "catalog",
            "add",
            "new\x1b]0;t\x07id",
            "--provider",
            "acme",
            "--type",
            "text",
            "--note",
            "n\u202eote\nsecond",
            "--into",
            str(into),
        ],
        env,
    )
    assert added.code == 0, added.stderr
    shown_into = str(into).replace("\x1b", "\\x1b")
    assert added.stdout.splitlines()[0] == f"added: new\\x1b]0;t\\x07id in {shown_into}"
    assert "  notes = n\\u202eote" in added.stdout
    ok = run(["catalog", "validate", str(into)], env)
    assert ok.code == 0 and ok.stdout.startswith("ok: ") and "mine\\x1b[2J.toml" in ok.stdout
    outputs += [added.stdout, ok.stdout]

    for text in outputs:
        assert raw_controls(text) == [], text


@pytest.mark.parametrize("tty", ["stdout", ""], ids=["terminal", "pipe"])
def test_tables_show_catalog_text_inert(layer: Path, env: dict[str, str], tty: str) -> None:
    """Tables on a terminal and in a pipe: every catalog character is there, as an escape."""
    for args in (
        ["show", EVIL],
        ["list"],
        ["diff", EVIL, FORMULA],
        ["cost", EVIL, HEADING, "--tokens", "1M"],
    ):
        ran = cli([*args, *AS_OF], env, layer, tty=tty)
        assert ran.code == 0, ran.stderr
        assert raw_controls(ran.stdout) == [], args
        assert "evil\\x1b[2Jid" in ran.stdout, args
    shown = cli(["show", EVIL, *AS_OF], env, layer, tty=tty).stdout.replace("\r\n", "\n")
    for escape in (
        "bell\\x07",
        "\\x1b]8;;http://evil\\x07click\\x1b]8;;\\x07",
        "rtl\\u202eabc",
        "zw\\u200bx",
        "ls\\u2028x",
        "bom\\ufeff",
        "lrm\\u200e",
        "iso\\u2066x\\u2069",
        "del\\x7f",
        "c1\\x9b",
    ):
        assert escape in shown.replace("\n", ""), escape


# --- 2. CSV: a text cell that begins like a formula is neutralised --------------------------------


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_neutralises_formulas_in_every_csv(layer: Path, env: dict[str, str]) -> None:
    listing = _rows(cli(["list", "--format", "csv", *AS_OF], env, layer).stdout)
    header, listed = listing[0], {row[0]: row for row in listing[1:]}
    assert "'" + FORMULA in listed and "'" + MINUS in listed and "'" + HEADING not in listed
    minus = dict(zip(header, listed["'" + MINUS]))
    assert [minus[k] for k in ("name", "provider", "type", "input", "output", "status")] == [
        "'@SUM(A1)",
        "acme",
        "text",
        "2",
        "2",
        "current",
    ]
    assert HEADING in listed and "evil\\x1b[2Jid" in listed

    exported = _rows(cli(["catalog", "export", "--format", "csv"], env, layer).stdout)
    header, by_id = exported[0], {row[0]: row for row in exported[1:]}
    assert by_id["'" + FORMULA][header.index("input")] == "0.5"  # numbers stay numbers
    assert by_id["'" + MINUS][header.index("name")] == "'@SUM(A1)"
    assert by_id["evil\\x1b[2Jid"][header.index("name")] == "Twin"

    shown = _rows(cli(["show", FORMULA, "--format", "csv", *AS_OF], env, layer).stdout)
    assert len(shown) == 2 and shown[1][0] == "'" + FORMULA

    # the tool's own numbers stay numbers: -2.625 is a difference, written as a number
    cost = _rows(
        cli(
            [
                "cost",
                "--tokens",
                "1M",
                "--baseline",
                HEADING,
                "--format",
                "csv",
                *AS_OF,
                "--",
                FORMULA,
                EVIL,
                HEADING,
            ],
            env,
            layer,
        ).stdout
    )
    header, totals = cost[0], {row[1]: row for row in cost[1:]}
    columns = [header.index(k) for k in ("total", "reference", "delta")]
    assert [totals["'" + FORMULA][i] for i in columns] == ["0.625", HEADING, "-2.625"]
    assert [totals["evil\\x1b[2Jid"][i] for i in columns] == ["1.25", HEADING, "-2"]
    items = _rows(
        cli(
            ["cost", "--tokens", "1M", "--format", "csv", "--items", *AS_OF, "--", FORMULA, EVIL],
            env,
            layer,
        ).stdout
    )
    assert {row[0] for row in items[1:]} == {"'" + FORMULA, "evil\\x1b[2Jid"}
    assert {row[1] for row in items[1:]} == {"'" + FORMULA, "evil\\x1b[2Jid"}

    csv_runs = (
        ["list", "--format", "csv", *AS_OF],
        ["catalog", "export", "--format", "csv"],
        ["show", "--format", "csv", *AS_OF, FORMULA],
        ["diff", "--format", "csv", *AS_OF, "--", MINUS, FORMULA],
        [
            "cost",
            "--format",
            "csv",
            *AS_OF,
            "--tokens",
            "1M",
            "--baseline",
            HEADING,
            "--",
            FORMULA,
            EVIL,
        ],
        ["cost", "--format", "csv", "--items", *AS_OF, "--tokens", "1M", "--", FORMULA, EVIL],
        # a pipeline's lifecycle columns begin with its first model's id
        ["cost", "--format", "csv", *AS_OF, "--tokens", "1M", "--images", "10"]
        + ["--", f"{FORMULA}+pixel-one"],
    )
    for command in csv_runs:
        text = cli(command, env, layer).stdout
        assert text.count("\n") >= 2, command
        for row in _rows(text):
            for cell in row:
                dangerous = cell[:1] in ("=", "+", "@", "\t", "\r") or (
                    cell[:1] == "-" and not _is_number(cell)
                )
                assert not dangerous, (command, cell)


def _is_number(cell: str) -> bool:
    """A negative number the tool wrote (a difference such as -2.625): a spreadsheet's number."""
    try:
        Decimal(cell)
    except InvalidOperation:
        return False
    return cell.lstrip("-").replace(".", "", 1).isdigit()


# --- 3. Markdown: catalog text cannot become a heading, a link, an image or HTML ----------------


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_markdown_escapes_catalog_text(layer: Path, env: dict[str, str]) -> None:
    outputs = {
        "list": cli(["list", "--format", "markdown", *AS_OF], env, layer).stdout,
        "show": cli(["show", HEADING, "--format", "markdown", *AS_OF], env, layer).stdout,
        "diff": cli(
            ["diff", "--format", "markdown", *AS_OF, "--", HEADING, FORMULA, MINUS], env, layer
        ).stdout,
        "cost": cli(
            ["cost", HEADING, FORMULA, "--tokens", "1M", "--format", "markdown", *AS_OF], env, layer
        ).stdout,
    }
    for name, markdown in outputs.items():
        assert raw_controls(markdown) == [], name
        html = _html(markdown)
        assert "<script" not in html and "<a " not in html and "<img" not in html, (name, html)
        assert "<em>" not in html and "<code>" not in html, (name, html)
        headings = [line for line in html.splitlines() if line.startswith("<h")]
        titles = [line for line in markdown.splitlines() if line.startswith("### ")]
        assert len(headings) == len(titles) and all(h.startswith("<h3>") for h in headings), (
            name,
            headings,
        )
        for table in html.split("<table>")[1:]:  # every row has the header's number of cells
            head = table.split("</thead>")[0].count("</th>")
            rows = table.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
            assert rows and all(row.count("</td>") == head for row in rows), (name, table)
    shown = _html(outputs["show"])
    assert "<h3>[link](http://evil) (# heading)</h3>" in shown  # the title, as text
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; a|b # next ![img](http://evil/i.png) *em* `code` &amp;amp;"
        in shown
    )
    diff = _html(outputs["diff"])
    assert (
        "<h3>Key differences</h3>" in diff and "<li># heading is" not in diff
    )  # bullets stay text
    assert (
        "<li>=HYPERLINK(&quot;http://x&quot;) is the cheapest on input tokens, 83% cheaper than # heading "
        "($0.50 vs $3.00 per 1M).</li>"
    ) in diff
    assert "<h1>" not in diff and "<h2>" not in diff


# --- 4. stdout closed, or in an encoding that is not UTF-8 ---------------------------------------


def _closed_stdout(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *aicompare(), *args],
        capture_output=False,
        stdout=None,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd="/",
        timeout=60,
    )


@pytest.mark.parametrize("args", [["list"], ["--version"], ["list", "--json"], ["catalog", "path"]])
def test_closed_stdout_is_an_error_not_a_traceback(args: list[str], env: dict[str, str]) -> None:
    proc = _closed_stdout(args, env)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == (
        "error: cannot write the output: stdout is closed\n"
        "run it with stdout open for writing: a terminal, a file or a pipe\n"
    )


def test_a_closed_stdout_never_lands_in_a_file(env: dict[str, str], tmp_path: Path) -> None:
    """Descriptor 1 closed: the layer file `catalog set` writes must not become the program's stdout."""
    into = tmp_path / "mine.toml"
    proc = _closed_stdout(
        ["catalog", "add", "n1", "--provider", "acme", "--type", "text", "--into", str(into)], env
    )
    assert proc.returncode == 1 and "stdout is closed" in proc.stderr
    assert tomllib.loads(into.read_text("utf-8"))["models"]["n1"]["provider"] == "acme"
    assert "added:" not in into.read_text("utf-8")


GLYPHS = str.maketrans({"★": "*", "█": "#", "×": "x"})


@pytest.mark.parametrize("encoding,locale", [("ascii", None), ("latin-1", "C")])
def test_non_utf8_outputs_get_ascii_stand_ins(
    env: dict[str, str], encoding: str, locale: str | None
) -> None:
    """★, the cost bars and × have stand-ins; everything else is the same output."""
    odd = {**env, "PYTHONIOENCODING": encoding, **({"LC_ALL": locale} if locale else {})}
    for args in (
        ["diff", "alpha-large", "alpha-mini", "pixel-one"],
        ["cost", "--tokens", "5M"],
        ["cost", "alpha+pixel-one", "alpha-mini+pixel-flat", "--tokens", "5M", "--images", "2k"],
    ):
        for fmt in ("table", "markdown", "csv"):
            utf8 = run([*args, *AS_OF, "--format", fmt], env)
            proc = subprocess.run(
                [*aicompare(), *args, *AS_OF, "--format", fmt],
                capture_output=True,
                env=odd,
                cwd="/",
                timeout=60,
            )
            assert proc.returncode == 0 and proc.stderr == b"", proc.stderr.decode(
                encoding, "replace"
            )
            expected = (
                utf8.stdout.translate(GLYPHS)
                if encoding == "ascii"
                else utf8.stdout.replace("★", "*").replace("█", "#")
            )
            assert proc.stdout.decode(encoding) == expected, (args, fmt)
    assert (
        "★" in run(["diff", "alpha-large", "alpha-mini", *AS_OF], env).stdout
    )  # the test compares something
    for args in (["diff", "alpha-large", "alpha-mini", *AS_OF], ["cost", "--tokens", "5M", *AS_OF]):
        terminal = run(args, odd, tty="stdout")  # a terminal in that encoding: rich draws the table
        assert terminal.code == 0 and terminal.stderr == "", terminal.stderr
        # (read back as UTF-8: latin-1's own × is not, ASCII has nothing that is not)
        lacking = {"★", "█"} | ({"\ufffd"} if encoding == "ascii" else set())
        assert "*" in terminal.stdout and not lacking & set(terminal.stdout), terminal.stdout


def test_data_stays_exact_on_a_non_utf8_stdout(env: dict[str, str], tmp_path: Path) -> None:
    """JSON and TOML carry characters the encoding lacks as their own escapes: the same data."""
    layer = tmp_path / "unicode.toml"
    layer.write_text(
        tomli_w.dumps(
            {
                "models": {
                    "café-日本": {
                        "provider": "acme",
                        "type": "text",
                        "name": "Café — 日本",
                        "prices": {"input": 1},
                    }
                }
            }
        ),
        "utf-8",
    )
    emoji = tmp_path / "emoji.toml"
    emoji.write_text(
        tomli_w.dumps(
            {
                "models": {
                    "café-日本": {
                        "provider": "acme",
                        "type": "text",
                        "name": "Café — 🦄",
                        "prices": {"input": 1},
                    }
                }
            }
        ),
        "utf-8",
    )
    ascii_env = {**env, "PYTHONIOENCODING": "ascii"}

    def ascii_run(args: list[str], catalog: Path) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [*aicompare(), *args, "--catalog", str(catalog)],
            capture_output=True,
            env=ascii_env,
            cwd="/",
            timeout=60,
        )

    for args, catalog in (
        (["show", "café-日本", "--json", *AS_OF], emoji),
        (["list", "--json", *AS_OF], emoji),
        (["catalog", "export", "--format", "json"], layer),
    ):
        utf8 = json.loads(cli(args, env, catalog).stdout)
        ran = ascii_run(args, catalog)
        assert ran.returncode == 0 and ran.stderr == b"", ran.stderr
        assert json.loads(ran.stdout.decode("ascii")) == utf8, (
            args
        )  # (export's as_of is today in both)
    toml = ascii_run(["catalog", "export"], emoji)
    assert toml.returncode == 0 and toml.stderr == b""
    assert tomllib.loads(toml.stdout.decode("ascii"))["models"]["café-日本"]["name"] == "Café — 🦄"
    table = ascii_run(["show", "café-日本"], emoji)
    assert table.returncode == 0 and "Caf\\xe9 - \\U0001f984" in table.stdout.decode("ascii")
    error = ascii_run(["show", "café-日本x"], emoji)
    assert error.returncode == 1 and b"Traceback" not in error.stderr
    assert (
        error.stderr.decode("ascii").splitlines()[0]
        == "error: unknown model 'caf\\xe9-\\u65e5\\u672cx'"
    )


# --- 5. A closed pipe ends every command the same way: exit 0, nothing on stderr -----------------


def _big_layer(path: Path) -> Path:
    path.write_text(
        "".join(
            f'[models.extra-{i}]\nprovider = "acme"\ntype = "text"\nnotes = "{"x" * 200}"\n'
            "[models.extra-{i}.prices]\ninput = 1\n".replace("{i}", str(i))
            for i in range(300)
        ),
        "utf-8",
    )
    return path


def closed_pipe_commands(tmp: str) -> Iterator[list[str]]:
    big = f"--catalog={tmp}/big.toml"
    for fmt in ("table", "json", "csv", "markdown"):
        yield ["list", "--format", fmt, big]
        yield ["cost", "--tokens", "5M", "--all", "--format", fmt, big]
    yield from (
        ["show", "alpha-large", big],
        ["diff", "alpha", "alpha-mini", "pixel-one", big],
        ["best", "--for", "chat", big],
        ["best", "--list"],
        ["best", "--for", "chat", "--json"],
        ["catalog", "export", big],
        ["catalog", "export", "--format", "json", big],
        ["catalog", "export", "--format", "csv", big],
        ["catalog", "path"],
        ["catalog", "validate", big],
        ["catalog", "validate", "--json", big],
        ["--help"],
        ["list", "--help"],
        ["--version"],
        ["catalog", "set", "alpha-mini", "--input", "1", f"--into={tmp}/mine.toml"],
        ["catalog", "add", "n1", "--provider", "acme", "--type", "text", f"--into={tmp}/mine.toml"],
        ["catalog", "remove", "n1", f"--into={tmp}/mine.toml"],
        ["catalog", "import", "--from", "litellm", str(SAMPLE), f"--into={tmp}/mine.toml"],
        ["catalog", "import", "--from", "litellm", str(SAMPLE), "--dry-run", "--json"],
    )


def test_a_closed_pipe_ends_every_command_the_same_way(env: dict[str, str], tmp_path: Path) -> None:
    """stdout is a pipe whose reader has already gone (so every write fails with EPIPE, whatever
    the timing): every command still does its work and exits 0 without a word on stderr."""
    _big_layer(tmp_path / "big.toml")
    failures = []
    for args in closed_pipe_commands(str(tmp_path)):
        read, write = os.pipe()
        os.close(read)
        try:
            proc = subprocess.run(
                [*aicompare(), *args],
                stdout=write,
                stderr=subprocess.PIPE,
                env=env,
                cwd="/",
                timeout=60,
            )
        finally:
            os.close(write)
        if proc.returncode != 0 or proc.stderr:
            failures.append((args, proc.returncode, proc.stderr.decode()[-300:]))
    assert failures == []
    doc = tomllib.loads((tmp_path / "mine.toml").read_text("utf-8"))  # the edits were made
    assert doc["models"]["alpha-mini"]["prices"]["input"] == 1 and "n1" not in doc["models"]
    # and an error stays an error: same message, same exit status as with a reader
    read, write = os.pipe()
    os.close(read)
    proc = subprocess.run(
        [*aicompare(), "show", "nope"],
        stdout=write,
        stderr=subprocess.PIPE,
        env=env,
        cwd="/",
        timeout=60,
    )
    os.close(write)
    assert proc.returncode == 1 and proc.stderr.decode().startswith("error: unknown model 'nope'\n")


# --- 6. --json: nothing on stderr on success, even on a terminal ---------------------------------


def json_commands(tmp: str) -> Iterator[list[str]]:
    into = f"--into={tmp}/mine.toml"
    source = LITELLM if LITELLM.is_file() else SAMPLE
    yield from (
        ["list", "--json"],
        ["show", "alpha", "--json"],
        ["diff", "alpha", "alpha-mini", "--json"],
        ["cost", "--tokens", "5M", "--json"],
        ["best", "--for", "chat", "--json"],
        ["best", "--list", "--json"],
        ["catalog", "path", "--json"],
        ["catalog", "validate", "--json"],
        ["catalog", "set", "alpha-mini", "--input", "1", into, "--json"],
        ["catalog", "add", "n1", "--provider", "acme", "--type", "text", into, "--json"],
        ["catalog", "remove", "n1", into, "--json"],
        ["catalog", "import", "--from", "litellm", str(source), "--dry-run", "--json"],
        ["catalog", "import", "--from", "litellm", str(SAMPLE), into, "--json"],
    )


def test_json_runs_leave_a_terminal_stderr_empty(env: dict[str, str], tmp_path: Path) -> None:
    for args in json_commands(str(tmp_path)):
        ran = run(args, env, tty="stderr")
        assert ran.code == 0 and ran.stderr == "", (args, ran.stderr[-300:])
        assert json.loads(ran.stdout)["schema_version"] == 1, args


def test_the_export_message_shows_the_path_it_wrote_safely(
    env: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "out\x1b[2J\u202e.toml"
    done = run(["catalog", "export", "-o", str(target)], env)
    assert done.code == 0 and done.stdout == "" and target.is_file()
    shown = str(target).replace("\x1b", "\\x1b").replace("\u202e", "\\u202e")
    assert done.stderr.startswith("wrote ") and done.stderr.endswith(f" models to {shown}\n")
    assert raw_controls(done.stderr) == []
