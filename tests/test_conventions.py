"""The conventions of ../shared/guide/CONVENTIONS.md, one section per line, for the lines (or the
parts of lines) that no other test covers. docs/reliability.md maps every line to all its tests.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from terminal import FIXTURE, LITELLM, ROOT, aicompare, base_env, run
from typer.main import get_command
from typer.testing import CliRunner

from aicompare import __version__
from aicompare.cli import app

SAMPLE = Path(__file__).parent / "data" / "importers" / "litellm.json"
AS_OF = ("--as-of", "2026-11-21")


def _walk(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [path]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        out += _walk(sub, (*path, name))
    return out


COMMAND_PATHS = _walk(get_command(app))  # () is the root, ("catalog",) a group


@pytest.fixture
def user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "aicompare" / "models.toml"


# --- 1. Only the result on stdout; an error run leaves stdout empty, a --json run stderr empty ------

JSON_RUNS = [
    ("list", "--json"),
    ("list", "--format", "json"),
    ("show", "alpha", "--json"),
    ("diff", "alpha", "alpha-mini", "pixel-one", "--json"),
    ("cost", "--tokens", "5M", "--json"),
    ("cost", "alpha+pixel-one", "--tokens", "1M", "--images", "10", "--format", "json"),
    ("best", "--for", "chat", "--json"),
    ("best", "--list", "--json"),
    ("catalog", "path", "--json"),
    ("catalog", "validate", "--json"),
    ("catalog", "export", "--format", "json"),
    ("catalog", "set", "alpha-mini", "--input", "2", "--json"),
    ("catalog", "add", "acme-x", "--provider", "acme", "--type", "text", "--json"),
    ("catalog", "remove", "acme-x", "--json"),
    ("catalog", "import", "--from", "litellm", str(SAMPLE), "--dry-run", "--json"),
    ("catalog", "import", "--from", "litellm", str(SAMPLE), "--json"),
]


def test_json_runs_print_one_document_and_nothing_on_stderr(cli, user_file: Path) -> None:
    """Lines 1 and 5: also with FORCE_COLOR=1, exactly one JSON document and a schema_version."""
    for args in JSON_RUNS:
        run_ = cli(*args, env={"FORCE_COLOR": "1"})
        assert run_.exit_code == 0, (args, run_.stderr)
        assert run_.stderr == "", (args, run_.stderr)
        assert "\x1b" not in run_.stdout, args
        document, end = json.JSONDecoder().raw_decode(run_.stdout)
        assert run_.stdout[end:] == "\n", f"{args}: more than one document"
        assert document["schema_version"] == 1, args


def test_messages_that_are_not_the_result_go_to_stderr(cli, tmp_path: Path) -> None:
    run_ = cli("catalog", "export", "-o", str(tmp_path / "all.toml"))
    assert run_.exit_code == 0 and run_.stdout == "" and run_.stderr.startswith("wrote 5 models to")


# --- 2. Exit codes, documented --------------------------------------------------------------------


def test_exit_codes_are_documented_in_help_and_readme(cli) -> None:
    text = " ".join(cli("--help").stdout.split())
    assert "Exit codes: 0 success, 1 runtime or data error, 2 usage error, 130 interrupted." in text
    readme = " ".join((ROOT / "README.md").read_text("utf-8").split())
    assert "0 success, 1 runtime or data error" in readme and "130 interrupted" in readme


# --- 3. No traceback for anything a user can cause: arguments that are not UTF-8 -----------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([b"catalog", b"path", b"--catalog", b"\xff.toml"], 0),
        ([b"catalog", b"path", b"--json", b"--catalog", b"caf\xe9.toml"], 0),
        ([b"catalog", b"validate", b"\xff.toml", b"--json"], 1),
        ([b"show", b"\xff"], 1),
        ([b"list", b"--provider", b"\xff"], 1),
        ([b"catalog", b"set", b"alpha-mini", b"--note", b"\xff"], 1),
    ],
)
def test_arguments_that_are_not_utf8(tmp_path: Path, args: list[bytes], code: int) -> None:
    """$'\\xff' on a command line: never a traceback, even with a strict UTF-8 stdout."""
    env = base_env(PYTHONIOENCODING="utf-8:strict", XDG_CONFIG_HOME=str(tmp_path))
    proc = subprocess.run(
        [*map(os.fsencode, aicompare()), *args],
        check=False,
        env=env,
        capture_output=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert proc.returncode == code, proc.stderr
    assert b"Traceback" not in proc.stderr
    proc.stdout.decode("utf-8")  # valid UTF-8, the bad bytes shown as escapes
    if b"--json" in args:
        json.loads(proc.stdout)


# --- 4. Errors say what was wrong, where, and what to do --------------------------------------------

ERRORS = [
    (("show", "alpah-mini"), 1, "error: unknown model 'alpah-mini'", "did you mean: alpha-mini?"),
    (("cost", "--tokens", "5MM"), 2, "--tokens: '5MM' is not a quantity", "use a whole number"),
    (
        ("list", "--as-of", "2025-13-01"),
        2,
        "error: invalid value for '--as-of': '2025-13-01' is not a date",
        "see: aicompare list --help",
    ),
    (
        ("best", "--for", "imag-generation"),
        1,
        "error: unknown task 'imag-generation'",
        "did you mean: image-generation?",
    ),
    (
        ("list", "--sort", "colour"),
        2,
        "error: invalid value for '--sort'",
        "see: aicompare list --help",
    ),
    (
        ("catalog", "set", "alpha-mini", "--input", "-1"),
        2,
        "'-1' is not a price",
        "use a plain non-negative decimal",
    ),
    (("diff", "alpha-mini"), 2, "give at least two models", "see: aicompare diff --help"),
    (
        ("catalog", "validate", "/no/such/file.toml"),
        1,
        "/no/such/file.toml: no such file",
        "fix these entries",
    ),
    (("list", "--provider", "acmee"), 1, "error: unknown provider 'acmee'", "did you mean: acme?"),
]


@pytest.mark.parametrize(
    ("args", "code", "what", "todo"), ERRORS, ids=[" ".join(e[0]) for e in ERRORS]
)
def test_errors_say_what_where_and_what_to_do(
    cli, args: tuple[str, ...], code: int, what: str, todo: str
) -> None:
    run_ = cli(*args, as_of=False)
    assert run_.exit_code == code and run_.stdout == "", run_.stderr
    lines = [line for line in run_.stderr.splitlines() if line.strip()]
    assert len(lines) >= 2, f"an error without a hint: {run_.stderr!r}"
    assert what in run_.stderr and todo in run_.stderr, run_.stderr


def test_broken_file_error_names_path_line_and_column(cli, tmp_path: Path) -> None:
    broken = tmp_path / "team.toml"
    broken.write_text('[models.alpha-mini]\nnotes = "unterminated\n', "utf-8")
    run_ = cli("list", "--catalog", str(broken))
    assert run_.exit_code == 1 and run_.stdout == ""
    assert re.match(rf"error: {re.escape(str(broken))}:2:\d+: ", run_.stderr), run_.stderr


# --- 6. Money in JSON is an exact decimal string ----------------------------------------------------

DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")
MONEY_KEYS = {"total", "cost", "unit_price", "delta", "image_price_from", "budget"}
PRICE_TABLES = {"prices", "standard", "batch", "tiers", "image_prices"}


def _money(
    value: Any, key: str = "", inside: bool = False, found: list[str] | None = None
) -> list[str]:
    found = [] if found is None else found
    assert not isinstance(value, float), f"a float at {key!r}: {value}"
    if isinstance(value, dict):
        for k, v in value.items():
            _money(v, k, inside or (k in PRICE_TABLES and isinstance(v, (dict, list))), found)
    elif isinstance(value, list):
        for v in value:
            _money(v, key, inside, found)
    elif (
        (key in MONEY_KEYS or inside)
        and key not in ("above_input_tokens", "unit")
        and value is not None
    ):
        assert isinstance(value, str) and DECIMAL.fullmatch(value), f"money at {key!r} is {value!r}"
        found.append(value)
    return found


def test_money_is_an_exact_decimal_string_in_every_document(cli) -> None:
    found: list[str] = []
    for args in JSON_RUNS[:9] + [
        ("catalog", "export", "--format", "json"),
        ("best", "--for", "image-generation", "--budget", "50", "--json"),
    ]:
        _money(cli(*args).json(), found=found)
    assert {"1.1", "0.5", "0.015", "0.03", "2.5"} <= set(found), sorted(set(found))[:20]


# --- 7. The JSON schema only grows: what docs/json.md documents is there ----------------------------

JSON_DOC = (ROOT / "docs" / "json.md").read_text("utf-8")


def _documented_fields(heading: str) -> list[list[str]]:
    """The `field` names of each table under a `## heading` of docs/json.md."""
    section = JSON_DOC.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    tables: list[list[str]] = []
    for block in re.split(r"\n\s*\n", section):
        names = re.findall(r"^\| `([a-z_]+)` \|", block, re.MULTILINE)
        if names:
            tables.append(names)
    return tables


def _documented_example(marker: str) -> Any:
    block = next(b for b in re.findall(r"```json\n(.*?)```", JSON_DOC, re.DOTALL) if marker in b)
    return json.loads(block)


DATA_KEYED = {
    "standard",
    "batch",
    "image_prices",
    "origins",
    "benchmarks",
    "prices",
    "requires",
    "workload",
}


def _contains(example: Any, actual: Any, where: str) -> None:
    if isinstance(example, dict):
        assert isinstance(actual, dict), where
        for key, value in example.items():
            assert key in actual, f"documented field {where}.{key} is missing"
            if key not in DATA_KEYED:
                _contains(value, actual[key], f"{where}.{key}")
    elif isinstance(example, list) and example and actual:
        _contains(example[0], actual[0], f"{where}[0]")


def test_documented_json_fields_are_all_present(cli) -> None:
    (envelope,) = _documented_fields("Versioning")
    for args in JSON_RUNS[:9]:
        doc = cli(*args).json()
        if args[0] in ("list", "show", "diff", "cost", "best"):
            assert set(envelope) <= set(doc), (args, set(envelope) - set(doc))
    model = _documented_example('"provider_name"')
    _contains(model, cli("show", "alpha-large", "--json").json()["model"], "show.model")
    diff = cli("diff", "alpha-large", "alpha-mini", "--json").json()
    _contains(model, diff["models"][0], "diff.models[0]")
    top, difference = _documented_fields("`diff`")
    assert set(top) - {"cost"} <= set(diff)  # cost: only with a workload
    priced = cli("diff", "alpha-large", "alpha-mini", "--tokens", "1M", "--json").json()
    assert set(top) <= set(priced)
    for row in diff["rows"]:
        assert {"section", "field", "label", "values", "better"} <= set(row)
    for item in diff["differences"]:
        assert set(difference) <= set(item), item
    listed = _documented_example('"count"')
    _contains(listed, cli("list", "--json").json(), "list")
    validate = cli("catalog", "validate", "--json").json()
    assert {"schema_version", "command", "valid", "layers", "models", "problems"} <= set(validate)


# --- 9. Colour switches, on a real terminal -----------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "flags", "coloured"),
    [
        ({}, (), True),
        ({"NO_COLOR": "1"}, (), False),
        ({"NO_COLOR": "0"}, (), False),  # any non-empty value
        ({"NO_COLOR": "false"}, (), False),
        ({"NO_COLOR": ""}, (), True),  # empty means unset
        ({"TERM": "dumb"}, (), False),
        ({}, ("--no-color",), False),
        ({"FORCE_COLOR": "1"}, ("--no-color",), False),  # the flag beats the environment (line 18)
    ],
)
def test_colour_switches_on_a_terminal(
    env: dict[str, str], flags: tuple[str, ...], coloured: bool
) -> None:
    ran = run(
        ["diff", "alpha-large", "alpha-mini", *AS_OF, *flags],
        base_env(**{"TERM": "xterm-256color", **env}),
        tty="stdout",
        columns=120,
    )
    assert ran.code == 0, ran.stderr
    assert ("\x1b[" in ran.stdout) is coloured
    assert "★" in ran.stdout  # line 10: the mark is there with or without colour


# --- 12. Text from the catalog is shown literally --------------------------------------------------

MARKUP = [
    "weird[/]name",
    "[bold]x[/bold]",
    "[/]",
    "[link=https://x]y[/link]",
    "[red]",
    ":smile:",
    "\\[x]",
    "<b>x</b>",
    "$(id)",
    "`x`",
    "**x**",
    "{0}",
    "%s",
    "a|b",
    "α β γ",
    "日本語モデル",
    "🦄 model",
    "x" * 60,
]
text_value = st.one_of(
    st.sampled_from(MARKUP),
    st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool),
)


@settings(
    max_examples=80,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(name=text_value, notes=text_value)
def test_catalog_text_is_shown_literally(tmp_path: Path, name: str, notes: str) -> None:
    layer = tmp_path / "literal.toml"
    layer.write_text(
        tomli_w.dumps(
            {
                "models": {
                    "lit": {
                        "provider": "acme",
                        "type": "text",
                        "name": name,
                        "notes": notes,
                        "prices": {"input": 1},
                    }
                }
            }
        ),
        "utf-8",
    )
    env = {"AICOMPARE_BASE_CATALOG": str(FIXTURE), "COLUMNS": None, "AICOMPARE_NO_CACHE": "1"}
    runner = CliRunner()
    doc = json.loads(
        runner.invoke(app, ["show", "lit", "--json", "--catalog", str(layer)], env=env).stdout
    )
    assert doc["model"]["name"] == name and doc["model"]["notes"] == notes
    table = runner.invoke(
        app, ["show", "lit", "--catalog", str(layer)], env=env, catch_exceptions=False
    )
    assert table.exit_code == 0
    assert name in table.stdout and notes in table.stdout
    csv_out = runner.invoke(
        app, ["diff", "lit", "alpha-mini", "--format", "markdown", "--catalog", str(layer)], env=env
    )
    assert csv_out.exit_code == 0


def test_catalog_text_cannot_write_terminal_escapes_into_a_table(cli, tmp_path: Path) -> None:
    layer = tmp_path / "evil.toml"
    layer.write_text(
        tomli_w.dumps(
            {
                "models": {
                    "evil": {
                        "provider": "acme",
                        "type": "text",
                        "name": "\x1b[2J\x1b]0;owned\x07evil",
                        "notes": "bell\x07 and \x1b[31mred",
                    }
                }
            }
        ),
        "utf-8",
    )
    table = cli("show", "evil", "--catalog", str(layer))
    assert table.exit_code == 0 and "\x1b" not in table.stdout and "\x07" not in table.stdout
    assert "\\x1b[2J\\x1b]0;owned\\x07evil" in table.stdout  # shown, as escapes
    doc = cli("show", "evil", "--json", "--catalog", str(layer))
    assert "\x1b" not in doc.stdout and doc.json()["model"]["name"] == "\x1b[2J\x1b]0;owned\x07evil"


# --- 13. Progress on stderr, only when stderr is a terminal ----------------------------------------


def test_progress_only_when_stderr_is_a_terminal(tmp_path: Path) -> None:
    source = LITELLM if LITELLM.is_file() else SAMPLE
    args = ["catalog", "import", "--from", "litellm", str(source), "--dry-run"]
    env = base_env(XDG_CONFIG_HOME=str(tmp_path / "config"), TERM="xterm-256color")
    piped = run(args, env)
    assert piped.code == 0 and piped.stderr == "" and piped.stdout.startswith("would import")
    on_terminal = run(args, env, tty="stderr")
    assert on_terminal.code == 0 and on_terminal.stdout == piped.stdout
    assert on_terminal.stderr != "", "no progress on a terminal stderr"
    odd = run(args, {**env, "COLUMNS": "9" * 5000, "LINES": "0"}, tty="stderr")
    assert odd.code == 0 and "Traceback" not in odd.stderr, odd.stderr


# --- 14. -h and --help everywhere, with examples; bare aicompare shows help ------------------------


@pytest.mark.parametrize(
    "path", COMMAND_PATHS, ids=[" ".join(p) or "aicompare" for p in COMMAND_PATHS]
)
def test_help_on_every_command(cli, path: tuple[str, ...]) -> None:
    for flag in ("-h", "--help"):
        run_ = cli(*path, flag)
        assert run_.exit_code == 0 and run_.stderr == ""
        assert run_.stdout.startswith(f"Usage: aicompare {' '.join(path)}".rstrip())
        if path:
            assert "Examples:" in run_.stdout, path


def test_bare_commands_show_help(cli) -> None:
    assert cli().stdout == cli("--help").stdout
    group = cli("catalog")  # a group without a command: help, as a usage error on stderr
    assert (
        group.exit_code == 2 and group.stdout == "" and "Usage: aicompare catalog" in group.stderr
    )


def test_root_help_has_examples(cli) -> None:
    assert "Examples:" in cli("--help").stdout


# --- 15. --version prints `aicompare X.Y.Z`, fast ---------------------------------------------------


def test_version_is_exact_and_fast() -> None:
    for flag in ("--version", "-V"):
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            ran = run([flag], base_env(PYTHONPROFILEIMPORTTIME="1"))
            timings.append(time.perf_counter() - started)
            assert ran.code == 0 and ran.stdout == f"aicompare {__version__}\n"
        assert not re.search(r"\| +(typer|rich|aicompare\.cli)$", ran.stderr, re.MULTILINE), (
            "--version loads the CLI"
        )
        assert min(timings) < 1.0, timings


# --- 16. A mistyped command, option or model gets a suggestion --------------------------------------

TYPOS = [
    (("lst",), "did you mean: list?"),
    (("catalog", "valdate"), "did you mean: validate?"),
    (("list", "--jsn"), "did you mean: --json?"),
    (("cost", "--tokns", "5M"), "did you mean: --request-tokens, --tokens, --top?"),
    (
        ("catalog", "set", "alpha-mini", "--inptu", "1"),
        "did you mean: --input, --into, --note?",
    ),
    (("show", "alpah-mini"), "did you mean: alpha-mini?"),
    (("diff", "alpha-mini", "alpah-large"), "did you mean: alpha-large?"),
    (("cost", "alpah-mini", "--tokens", "1M"), "did you mean: alpha-mini?"),
    (("cost", "alpha-mini+pixl-one", "--tokens", "1M", "--images", "1"), "did you mean: pixel-one"),
    (("cost", "--baseline", "alpah-mini", "--tokens", "1M"), "did you mean: alpha-mini?"),
    (("best", "--for", "chat", "-m", "alpah-mini"), "did you mean: alpha-mini?"),
    (("catalog", "set", "alpah-mini", "--input", "1"), "did you mean: alpha-mini?"),
    (("best", "--for", "chatt"), "did you mean: chat?"),
    (("list", "--provider", "pixle"), "did you mean: pixel?"),
]


@pytest.mark.parametrize(("args", "hint"), TYPOS, ids=[" ".join(t[0]) for t in TYPOS])
def test_typos_get_a_suggestion(cli, args: tuple[str, ...], hint: str) -> None:
    run_ = cli(*args)
    assert run_.exit_code in (1, 2) and run_.stdout == ""
    assert hint in run_.stderr, run_.stderr


# --- 17. Shell completion: offered, and it completes model ids --------------------------------------


def test_completion_is_offered(cli) -> None:
    out = cli("--help").stdout
    assert "--install-completion" in out and "--show-completion" in out
    # Typer detects the shell from the parent processes: run under bash, as a user would (pytest
    # itself may have no shell above it, e.g. when started in the background)
    command = " ".join(shlex.quote(a) for a in [*aicompare(), "--show-completion"])
    proc = subprocess.run(
        ["bash", "-c", f"{command}; exit $?"],
        check=False,
        capture_output=True,
        text=True,
        env=base_env(),
        timeout=60,
        cwd="/",
    )
    assert proc.returncode == 0 and "_AICOMPARE_COMPLETE=complete_bash" in proc.stdout, proc.stderr


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("aicompare show alp", ["alpha-large", "alpha-mini", "alpha-old"]),
        ("aicompare diff alpha-mini pix", ["pixel-one", "pixel-flat"]),
        ("aicompare cost alpha-m", ["alpha-mini"]),
        ("aicompare catalog set pixel-f", ["pixel-flat"]),
        ("aicompare best --for ima", ["image-generation"]),
        ("aicompare show zzz", []),
    ],
)
def test_completion_of_model_ids_in_bash(words: str, expected: list[str]) -> None:
    cword = len(words.split()) - 1
    ran = run(
        [], base_env(_AICOMPARE_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(cword))
    )
    assert ran.code == 0 and ran.stderr == ""
    assert ran.stdout.split() == expected


def test_completion_in_zsh_and_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(FIXTURE))
    ran = run(
        [],
        base_env(_AICOMPARE_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="aicompare show alpha-m"),
    )
    assert ran.code == 0 and '"alpha-mini"' in ran.stdout
    result = CliRunner().invoke(
        app,
        [],
        prog_name="aicompare",
        env={
            "_AICOMPARE_COMPLETE": "complete_bash",
            "COMP_WORDS": "aicompare show pixel",
            "COMP_CWORD": "2",
        },
    )
    assert result.exit_code == 0 and result.stdout.split() == ["pixel-one", "pixel-flat"]


def test_completion_with_a_broken_catalog_is_quiet(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[models.x\n", "utf-8")
    ran = run(
        [],
        base_env(
            AICOMPARE_CATALOG=str(broken),
            _AICOMPARE_COMPLETE="complete_bash",
            COMP_WORDS="aicompare show alp",
            COMP_CWORD="2",
        ),
    )
    assert ran.code == 0 and ran.stdout.strip() == "" and "Traceback" not in ran.stderr


# --- 18. Precedence: flags > environment > the user's file > the bundled default ---------------------


def test_precedence_of_catalog_layers(
    cli, user_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def price() -> str:
        return cli(*args).json()["model"]["prices"]["standard"]["input"]

    args: tuple[str, ...] = ("show", "alpha-mini", "--json")
    assert price() == "1.1"  # bundled (the fixture)
    assert cli("catalog", "set", "alpha-mini", "--input", "1.20").exit_code == 0
    assert price() == "1.2"  # the user's file
    env_layer = tmp_path / "env.toml"
    env_layer.write_text("[models.alpha-mini.prices]\ninput = 1.30\n", "utf-8")
    monkeypatch.setenv("AICOMPARE_CATALOG", str(env_layer))
    assert price() == "1.3"  # the environment
    flag_layer = tmp_path / "flag.toml"
    flag_layer.write_text("[models.alpha-mini.prices]\ninput = 1.40\n", "utf-8")
    args = (*args, "--catalog", str(flag_layer))
    assert price() == "1.4"  # the flag
    layers = [
        layer["kind"]
        for layer in cli("catalog", "path", "--json", "--catalog", str(flag_layer)).json()["layers"]
    ]
    assert layers == ["bundled", "user", "env", "option"]


# --- 19. User files live under the platform's config directory ------------------------------------


def test_user_files_follow_xdg(tmp_path: Path) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    env = base_env(XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    layers = json.loads(run(["catalog", "path", "--json"], env, cwd=work).stdout)["layers"]
    assert layers[1] == {
        "kind": "user",
        "path": str(tmp_path / "cfg" / "aicompare" / "models.toml"),
        "exists": False,
    }
    assert run(["catalog", "set", "alpha-mini", "--input", "1"], env, cwd=work).code == 0
    assert (tmp_path / "cfg" / "aicompare" / "models.toml").is_file()
    assert run(["list"], env, cwd=work).code == 0
    assert list((tmp_path / "cache" / "aicompare").iterdir()), "no cache under XDG_CACHE_HOME"
    assert list(work.iterdir()) == [], "something was written to the working directory"
    home = {k: v for k, v in env.items() if not k.startswith("XDG_")} | {
        "HOME": str(tmp_path / "home")
    }
    layers = json.loads(run(["catalog", "path", "--json"], home, cwd=work).stdout)["layers"]
    assert layers[1]["path"] == str(tmp_path / "home" / ".config" / "aicompare" / "models.toml")


# --- 21. No network access, ever --------------------------------------------------------------------

GUARD = """\
import os, sys

def _no_network(event, args):
    if event.split(".")[0] in ("socket", "urllib", "http", "ftplib", "smtplib", "imaplib", "poplib", "webbrowser"):
        os.write(2, f"NETWORK ACCESS: {event}\\n".encode())
        os._exit(99)

sys.addaudithook(_no_network)
"""


def test_no_network_access(tmp_path: Path) -> None:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD, "utf-8")
    env = base_env(
        PYTHONPATH=str(guard),
        XDG_CONFIG_HOME=str(tmp_path / "cfg"),
        XDG_CACHE_HOME=str(tmp_path / "c"),
    )
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.getaddrinfo('localhost', 80)"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
    )
    assert probe.returncode == 99, "the guard does not catch network access"
    source = LITELLM if LITELLM.is_file() else SAMPLE
    for args in (
        ["list"],
        ["show", "alpha"],
        ["diff", "alpha", "alpha-mini"],
        ["cost", "--tokens", "1M"],
        ["best", "--for", "chat"],
        ["catalog", "validate"],
        ["catalog", "export"],
        ["catalog", "import", "--from", "litellm", str(source)],
        ["catalog", "set", "alpha-mini", "--input", "3"],
        ["--version"],
        ["--help"],
    ):
        ran = run(args, env)
        assert ran.code == 0 and "NETWORK ACCESS" not in ran.stderr, (args, ran.stderr)


# --- 22. The suite passes with GITHUB_ACTIONS=true, COLUMNS=40, from any directory -------------------


def test_suite_passes_in_ci_conditions_from_another_directory(tmp_path: Path) -> None:
    """A representative part of the suite (the CLI tests) run as CI would, from elsewhere.

    The whole suite is run this way for docs/reliability.md; here the parts most sensitive to width,
    environment and working directory are rerun on every CI run.
    """
    tests = Path(__file__).parent
    files = [
        str(tests / name)
        for name in (
            "test_contract.py",
            "test_cli_browse.py",
            "test_cli_cost.py",
            "test_cli_best.py",
            "test_cli_layers.py",
        )
    ]
    env = dict(os.environ, GITHUB_ACTIONS="true", COLUMNS="40")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert list(tmp_path.iterdir()) == [], "the tests wrote into the working directory"
