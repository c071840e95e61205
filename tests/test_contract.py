"""The JSON contract and the conventions a script relies on, checked on the real console script.

On the fixture catalog (tests/data/fixture.toml); the bundled catalog's figures are catalog golden
tests (tests/test_catalog_golden.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aicompare import __version__

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "data" / "fixture.toml"
FIXTURE_ENV = {"AICOMPARE_BASE_CATALOG": str(FIXTURE)}


def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed console entry point, as a user runs it, from outside the checkout, on the
    fixture catalog."""
    full_env = {
        k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "COLUMNS")
    }
    full_env.update(FIXTURE_ENV)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "aicompare", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or Path("/"),
        timeout=60,
    )


def test_diff_json_document() -> None:
    # pixel-one: an image model at $5.00 per 1M input tokens, with a per-image grid; alpha-old: a
    # text model at $1.10 in, $8.00 out, shut down on 2026-01-01 for alpha-mini.
    # (5.00 - 1.10) / 5.00 = 78%.
    proc = run(
        "diff",
        "pixel-one",
        "alpha-old",
        "--json",
        "--as-of",
        "2026-11-21",
        env={"FORCE_COLOR": "1"},
    )
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert "\x1b" not in proc.stdout
    doc = json.loads(proc.stdout)
    assert doc["schema_version"] == 1
    assert doc["command"] == "diff"
    assert [m["id"] for m in doc["models"]] == ["pixel-one", "alpha-old"]
    first = doc["differences"][0]
    assert first["kind"] == "kind"
    price = next(
        d for d in doc["differences"] if d["kind"] == "price" and d["field"] == "prices.input"
    )
    assert price == {
        "kind": "price",
        "text": "alpha-old is 78% cheaper on input tokens ($1.10 vs $5.00 per 1M).",
        "field": "prices.input",
        "models": ["alpha-old", "pixel-one"],
        "values": ["1.1", "5"],
        "percent": "78.00",
    }
    old = doc["models"][1]
    assert old["prices"]["standard"] == {"input": "1.1", "output": "8"}
    assert old["status"] == "retired" and old["lifecycle"]["superseded_by"] == "alpha-mini"
    grid = doc["models"][0]["image_prices"]
    assert grid["high"]["1024x1536"] == "0.06"
    input_row = next(r for r in doc["rows"] if r["field"] == "prices.input")
    assert input_row["values"] == ["5", "1.1"] and input_row["better"] == ["alpha-old"]


def test_money_is_never_a_float() -> None:
    doc = json.loads(run("list", "--json").stdout)

    def walk(value: object) -> None:
        assert not isinstance(value, float), value
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(doc)
    assert doc["count"] == len(doc["models"]) == 5  # the fixture's models


def test_cost_json_path_builds_no_dataclass_and_imports_no_blocks() -> None:
    """`cost --json` is within its budget (docs/performance.md) partly by what it does not load:
    the dataclass machinery (the records are frozen.Frozen), fractions (period conversions
    only) and the block types (tables and Markdown only); and Typer finds its parameters'
    annotations evaluated, not as strings it must compile."""
    code = (
        "import sys; sys.argv=['aicompare', *sys.argv[1:]]\n"
        "from aicompare._entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "from aicompare.commands.cost import command\n"
        "loaded = [m for m in ('dataclasses', 'fractions', 'aicompare.render.blocks')"
        " if m in sys.modules]\n"
        "strings = [k for k, v in command.__annotations__.items() if isinstance(v, str)]\n"
        "print(loaded, strings, file=sys.stderr)"
    )
    env = {**os.environ, **FIXTURE_ENV}
    for _ in range(2):  # the first run may write the cache; the second reads it
        proc = subprocess.run(
            [sys.executable, "-c", code, "cost", "--tokens", "5M", "--json"],
            capture_output=True,
            text=True,
            cwd="/",
            env=env,
        )
        assert proc.stderr.strip() == "[] []", proc.stderr
        assert json.loads(proc.stdout)["command"] == "cost"


def test_json_path_does_not_import_rich() -> None:
    # _entry.main is what the console script runs (before it ends the process without teardown)
    code = (
        "import sys; sys.argv=['aicompare', *sys.argv[1:]]\n"
        "from aicompare._entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('RICH' if any(m == 'rich' or m.startswith('rich.') for m in sys.modules) else 'CLEAN', file=sys.stderr)"
    )
    env = {**os.environ, **FIXTURE_ENV}
    for argv in (
        ["diff", "pixel-one", "alpha-mini", "--json"],
        ["cost", "--tokens", "5M", "--json"],
        ["--version"],
    ):
        proc = subprocess.run(
            [sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd="/", env=env
        )
        assert proc.stderr.strip() == "CLEAN", (argv, proc.stderr)
        assert proc.stdout.startswith("{" if "--json" in argv else "aicompare "), proc.stdout[:100]
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv=['aicompare','--version']\n"
            "from aicompare.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('rich' in sys.modules, file=sys.stderr)",
        ],
        capture_output=True,
        text=True,
        cwd="/",
    )
    assert proc.stdout == f"aicompare {__version__}\n"
    assert proc.stderr.strip() == "False"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((), 0),
        (("--version",), 0),
        (("list",), 0),
        (("show", "alpha-mini"), 0),
        (("diff", "pixel-one", "alpha-mini"), 0),
        (("show", "alpah-mni"), 1),
        (("diff", "alpha-mini", "nope-model"), 1),
        (("show",), 2),
        (("diff", "alpha-mini"), 2),
        (("list", "--sort", "colour"), 2),
        (("list", "--jsn"), 2),
        (("lst",), 2),
        (("show", "alpha-mini", "--as-of", "yesterday"), 2),
        (("catalog", "validate", "/no/such/file.toml"), 1),
    ],
)
def test_exit_codes(args: tuple[str, ...], code: int) -> None:
    proc = run(*args)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    if code:
        assert proc.stdout == ""
        assert proc.stderr.strip()


def test_bare_command_shows_help_and_version() -> None:
    proc = run()
    assert proc.returncode == 0 and "Usage: aicompare" in proc.stdout and "diff" in proc.stdout
    assert run("--version").stdout == f"aicompare {__version__}\n"


def test_suggestions_for_commands_and_options() -> None:
    assert run("lst").stderr == "error: no such command 'lst'\ndid you mean: list?\n"
    assert run("list", "--jsn").stderr == "error: no such option: --jsn\ndid you mean: --json?\n"


@pytest.mark.parametrize("cmd", [("list",), ("show",), ("diff",), ("catalog", "validate")])
def test_help_has_examples(cmd: tuple[str, ...]) -> None:
    for flag in ("-h", "--help"):
        proc = run(*cmd, flag)
        assert proc.returncode == 0
        assert "Examples:" in proc.stdout or cmd == ("catalog",)


@pytest.mark.parametrize("columns", ["40", "60", "80", "200"])
def test_tables_fit_columns(columns: str) -> None:
    for args in (
        ("list",),
        ("diff", "pixel-one", "alpha-mini", "alpha-large"),
        ("show", "pixel-one"),
    ):
        proc = run(*args, env={"COLUMNS": columns})
        assert proc.returncode == 0
        widest = max(len(line) for line in proc.stdout.splitlines())
        assert widest <= int(columns), (args, widest)


def test_colour_switches() -> None:
    forced = run("diff", "pixel-one", "alpha-mini", env={"FORCE_COLOR": "1", "COLUMNS": "120"})
    assert "\x1b[" in forced.stdout
    for env in ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, {"TERM": "dumb"}, {}):
        proc = run("diff", "pixel-one", "alpha-mini", env={**env, "COLUMNS": "120"})
        assert "\x1b[" not in proc.stdout, env
    flag = run("diff", "pixel-one", "alpha-mini", "--no-color", env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in flag.stdout
    assert "★" in flag.stdout  # the better value is marked without colour too


def test_closed_pipe_is_quiet() -> None:
    # env given explicitly: with env=None a child inherits the C-level environment, where readline
    # (loaded by pytest) may have put COLUMNS and LINES that os.environ does not show
    proc = subprocess.run(
        f"{sys.executable} -m aicompare list | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd="/",
        env={**os.environ, **FIXTURE_ENV},
    )
    assert proc.stdout.startswith("id")
    assert proc.stderr == ""
