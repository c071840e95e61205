"""Help and errors that read as one tool: every usage error in the one `error: ...` form (the
parser's own included), the choices an option takes listed in --help, one metavar per kind of
value, and `list --sort` putting models without the value last in both directions."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from typing import Any

import pytest
from terminal import base_env, run
from typer.main import get_command

from aicompare.cli import app
from aicompare.commands.options.workload import BUNDLED_QUALITIES, CACHE_TTLS, PERIODS, TIERS
from aicompare.filters import SORT_KEYS, list_models
from aicompare.loader import load_catalog
from aicompare.model import ANY
from aicompare.pricing import TIERS as DOMAIN_TIERS
from aicompare.quantities import Period
from aicompare.workloads import CACHE_TTLS as DOMAIN_CACHE_TTLS

ENV = base_env(COLUMNS="100")

# --- every usage error: `error: ...` and one hint line, stderr only, exit 2 ------------------------

USAGE_ERRORS = [
    (["list", "--bogus"], "error: no such option: --bogus", "see: aicompare list --help"),
    (["list", "--jsn"], "error: no such option: --jsn", "did you mean: --json?"),
    (["frob"], "error: no such command 'frob'", "see: aicompare --help"),
    (["bets"], "error: no such command 'bets'", "did you mean: best?"),
    (["catalog", "exprt"], "error: no such command 'exprt'", "did you mean: export?"),
    (
        ["diff"],
        "error: missing argument 'MODEL MODEL [MODEL...]'",
        "see: aicompare diff --help",
    ),
    (["show"], "error: missing argument 'MODEL'", "see: aicompare show --help"),
    (["catalog", "set"], "error: missing argument 'MODEL'", "see: aicompare catalog set --help"),
    (
        ["list", "--type", "robot"],
        "error: invalid value for '--type' / '-t': 'robot' is not one of 'text', 'image', "
        "'embedding', 'audio', 'moderation', 'video', 'rerank'",
        "see: aicompare list --help",
    ),
    (
        ["cost", "--tokens", "1M", "--top", "0"],
        "error: invalid value for '--top': 0 is not in the range x>=1",
        "see: aicompare cost --help",
    ),
    (["cost", "--per"], "error: option '--per' requires an argument", "see: aicompare cost --help"),
    (
        ["catalog", "set", "alpha-mini", "--input"],
        "error: option '--input' requires an argument",
        "see: aicompare catalog set --help",
    ),
    (
        ["list", "--as-of", "yesterday"],
        "error: invalid value for '--as-of': 'yesterday' is not a date; use YYYY-MM-DD",
        "see: aicompare list --help",
    ),
    (
        ["diff", "alpha-mini"],
        "error: invalid value for 'MODEL': give at least two models to compare",
        "see: aicompare diff --help",
    ),
]


@pytest.mark.parametrize(
    ("args", "error", "hint"), USAGE_ERRORS, ids=[" ".join(e[0]) for e in USAGE_ERRORS]
)
def test_every_usage_error_reads_as_the_tools_own(args: list[str], error: str, hint: str) -> None:
    """Through the installed console script: the parser's errors (no such option or command, a
    missing argument, a bad choice, a number out of range, an option without its value) and a
    command's own bad values, each as `error: ...` and a hint line, nothing else."""
    ran = run(args, ENV)
    assert (ran.code, ran.stdout) == (2, ""), ran.stderr
    assert ran.stderr == f"{error}\n{hint}\n"


def test_domain_and_parser_errors_start_the_same_way() -> None:
    """A domain error (exit 1) and a domain usage error (exit 2) next to the parser's own."""
    unknown = run(["show", "alpah-mini"], ENV)
    period = run(["cost", "--input", "1M", "--per", "week"], ENV)
    parser = run(["list", "--sort", "colour"], ENV)
    assert (unknown.code, period.code, parser.code) == (1, 2, 2)
    for ran in (unknown, period, parser):
        first, hint = ran.stderr.splitlines()
        assert first.startswith("error: ") and not hint.startswith("error"), ran.stderr
        assert "Usage:" not in ran.stderr and "Try '" not in ran.stderr


def test_a_group_without_its_command_shows_its_help_on_stderr() -> None:
    """`aicompare catalog`: the group's help, readable (real line breaks), on stderr, exit 2."""
    ran = run(["catalog"], ENV)
    assert (ran.code, ran.stdout) == (2, "")
    assert ran.stderr.startswith("Usage: aicompare catalog [OPTIONS] COMMAND [ARGS]...\n\n")
    assert "\\n" not in ran.stderr and "\n  export " in ran.stderr


# --- choices and metavars in --help -----------------------------------------------------------------


def _paths(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [path]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        out += _paths(sub, (*path, name))
    return out


COMMAND_PATHS = _paths(get_command(app))


def _help(path: tuple[str, ...]) -> str:
    ran = run([*path, "--help"], ENV)
    assert ran.code == 0, ran.stderr
    return ran.stdout


@pytest.mark.parametrize(
    "path", COMMAND_PATHS, ids=[" ".join(p) or "aicompare" for p in COMMAND_PATHS]
)
def test_help_names_every_value_by_what_it_is(path: tuple[str, ...]) -> None:
    """No parser placeholder (<str>, <int range>, <path>), no lower-case argument name: a value is
    MODEL, QTY, N, USD, PATH, ... or the list of its choices."""
    text = _help(path)
    assert not re.search(r"<(str|int|int range|float|path|text|file)>", text), text
    assert not re.search(r"\{[a-z_]+\}", text), text
    for option in re.findall(r"^\s+(?:-\w, )?--[\w-]+ (\S+)", text, re.MULTILINE):
        assert re.fullmatch(r"[A-Z][A-Za-z=]*|WxH|<[a-z0-9_.|-]+>|\[[A-Z.]+\]", option), option


@pytest.mark.parametrize("command", ["cost", "best"])
def test_help_lists_the_choices_of_the_workload_options(command: str) -> None:
    text = _help((command,))
    assert re.search(r"^  --per <day\|month\|year> ", text, re.MULTILINE), text
    assert re.search(r"^  --cache-ttl <5m\|1h> ", text, re.MULTILINE), text
    assert "  --quality <low|medium|high|standard|hd>\n" in text
    assert re.search(r"^  --tokens QTY ", text, re.MULTILINE), text
    formats = "table|json|csv|markdown" + ("|html" if command == "cost" else "")
    assert re.search(rf"^  -f, --format <{re.escape(formats)}>", text, re.MULTILINE), text


def test_help_calls_a_model_model_everywhere() -> None:
    assert _help(("show",)).startswith("Usage: aicompare show [OPTIONS] {MODEL}\n")
    assert _help(("catalog", "set")).startswith("Usage: aicompare catalog set [OPTIONS] {MODEL}\n")
    assert _help(("catalog", "remove")).startswith(
        "Usage: aicompare catalog remove [OPTIONS] {MODEL}\n"
    )
    assert "  --baseline MODEL " in _help(("cost",))
    assert "  -m, --model MODEL " in _help(("best",))
    assert "  --superseded-by MODEL " in _help(("catalog", "set"))


def test_the_help_lists_are_the_domains() -> None:
    """The static lists --help shows (no catalog load at help time) are the domain's own."""
    assert tuple(p.value for p in Period) == PERIODS
    assert CACHE_TTLS == DOMAIN_CACHE_TTLS
    assert TIERS == DOMAIN_TIERS
    bundled = load_catalog(())
    qualities = {cell.quality for m in bundled.models.values() for cell in m.image_prices}
    assert set(BUNDLED_QUALITIES) == qualities - {ANY}


def test_help_does_not_load_the_catalog() -> None:
    code = (
        "import sys; sys.argv = ['aicompare', 'cost', '--help']\n"
        "from aicompare._entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('aicompare.loader', 'aicompare.store') "
        "if m in sys.modules), file=sys.stderr)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        env=ENV,
        cwd="/",
        timeout=60,
    )
    assert "--per <day|month|year>" in proc.stdout
    assert proc.stderr.strip() == "[]"


# --- list --sort: without the value, last in both directions -----------------------------------------

TODAY = dt.date(2026, 11, 21)


@pytest.mark.parametrize("key", SORT_KEYS)
@pytest.mark.parametrize("reverse", [False, True])
def test_models_without_the_sort_value_come_last_in_both_directions(
    key: str, reverse: bool
) -> None:
    catalog = load_catalog(())  # the bundled one: models without every value of every key
    ordered = list_models(catalog.models.values(), TODAY, sort=key, reverse=reverse)
    lacking = {
        "input": lambda m: m.price("input") is None,
        "output": lambda m: m.price("output") is None,
        "image": lambda m: m.cheapest_image is None,
        "context": lambda m: m.context_window is None,
        "release": lambda m: m.release_date is None,
    }.get(key, lambda m: False)
    missing = [lacking(m) for m in ordered]
    assert missing == sorted(missing), "a model without the value before one with it"
    if key in ("input", "output", "image", "context", "release"):
        assert any(missing) and not all(missing), key  # the bundled catalog has both kinds


def test_list_sort_input_reverse_puts_the_dearest_first_and_the_unpriced_last() -> None:
    ran = run(["list", "--sort", "input", "--reverse", "--json", "--as-of", "2026-11-21"], ENV)
    assert ran.code == 0, ran.stderr
    ids = [m["id"] for m in json.loads(ran.stdout)["models"]]
    # the fixture: alpha-large 5.00, pixel-one 5.00, alpha-mini and alpha-old 1.10, pixel-flat none
    assert ids[-1] == "pixel-flat" and set(ids[:2]) == {"alpha-large", "pixel-one"}, ids
    forward = run(["list", "--sort", "input", "--json", "--as-of", "2026-11-21"], ENV)
    assert [m["id"] for m in json.loads(forward.stdout)["models"]][-1] == "pixel-flat"
