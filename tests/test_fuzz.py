"""Structure-aware fuzzing of the whole command line, in-process, on the fixture catalog.

Every command's options and arguments are read from the Typer app itself, so a new option is
fuzzed the day it is added. Values come from pools of meaningful values for each option (model
names, quantities, prices, dates, paths), mixed with hostile ones (empty, huge, negative,
unicode, `inf`, `1e999`, markup, injection-like text); argv is sometimes mutated further
(tokens dropped, duplicated, swapped). The environment varies too (COLUMNS, NO_COLOR,
FORCE_COLOR, TERM, LINES, AICOMPARE_CATALOG, a user layer that is valid or broken).

Each run must exit 0, 1 or 2, raise nothing but SystemExit, print no traceback, leave stdout
empty on error, and print exactly one ANSI-free JSON document (and nothing on stderr) when
--json was asked for and the run succeeded.

Hypothesis profiles (AICOMPARE_FUZZ=ci|dev|deep): `ci` (the default) is derandomized, so every
CI run checks the same cases; `deep` runs ten times as many random cases for local bug hunts.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import traceback
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.main import get_command
from typer.testing import CliRunner

from aicompare import store
from aicompare.cli import app

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "fixture.toml"
SAMPLES = DATA / "importers"

_COMMON: dict[str, Any] = {
    "deadline": None,
    "database": None,
    "print_blob": True,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
}
settings.register_profile("aicompare-fuzz-ci", max_examples=500, derandomize=True, **_COMMON)
settings.register_profile("aicompare-fuzz-dev", max_examples=60, derandomize=False, **_COMMON)
settings.register_profile("aicompare-fuzz-deep", max_examples=5000, derandomize=False, **_COMMON)
PROFILE = settings.get_profile(f"aicompare-fuzz-{os.environ.get('AICOMPARE_FUZZ', 'ci')}")


def budget(weight: float) -> settings:
    """The profile's example count scaled by how much a command has to explore."""
    return settings(PROFILE, max_examples=max(10, int(PROFILE.max_examples * weight)))


# --- the command tree, read from the app ------------------------------------------------------


def _walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if hasattr(command, "commands"):
        for name, sub in sorted(command.commands.items()):
            yield from _walk(sub, (*path, name))
    else:
        yield path, command


ROOT = get_command(app)
COMMANDS = dict(_walk(ROOT))
# These install into or print for the user's shell; completion is tested in test_conventions.py.
SHELL_OPTIONS = ("--install-completion", "--show-completion")
ALL_OPTION_NAMES = sorted(
    {
        name
        for cmd in COMMANDS.values()
        for p in cmd.params
        for name in getattr(p, "opts", [])
        if name.startswith("-")
    }
    - set(SHELL_OPTIONS)
)
COMMAND_WORDS = sorted({word for path in COMMANDS for word in path})

# --- values -------------------------------------------------------------------------------------

# Hostile values that are safe anywhere, including where a path is expected: nothing absolute and
# at most one level up (each example runs in its own temporary folder, inside the module's one).
NASTY = [
    "",
    " ",
    "-",
    "--",
    "-1",
    "0",
    "-0",
    "00",
    "1e999",
    "-1e999",
    "1e-999",
    "1E+5",
    "inf",
    "-inf",
    "Infinity",
    "nan",
    "NaN",
    "9" * 400,
    "1" * 4400,
    "0." + "0" * 30 + "1",
    "1_000",
    "_1",
    "1__0",
    "1.",
    ".5",
    "5MM",
    "5 M",
    "$",
    "$5",
    "5$",
    "$-1",
    "１２３",
    "²",
    "٣",
    "½",
    "Ⅻ",
    "é",
    "🦄",
    "ß",
    "İ",
    "\u202e",
    "\ufeff",
    "\u200b",
    "\xa0",
    "\t",
    "\n",
    "a\nb",
    "\r",
    "'; DROP TABLE models; --",
    "$(touch pwned)",
    "`id`",
    "| cat",
    "&&",
    "../x",
    "%s%n",
    "{0}",
    "{}",
    "[bold]x[/]",
    "[/]",
    "[link=http://x]y[/link]",
    "\x1b[31mred",
    "\x07",
    "\udcff",
    "a" * 10000,
    "--json",
    "-h",
    "=",
    "a=b",
    ":",
    "+",
    "a+b+c",
    "x" * 300 + "+y",
    "NUL",
    "con",
    ".",
    "..",
    "~",
    "*",
    "?",
    # bytes that are not UTF-8, as Python decodes them from argv ($'\xff', $'caf\xe9')
    "caf\udce9",
    "\udcc3\udca9",
    "@OUT@/\udcff.toml",
    "@FILES@/\udcff",
]
MODELS = [
    "alpha-large",
    "alpha",
    "Alpha Large",
    "ALPHA-MINI",
    "alpha mini",
    "acme:alpha-mini",
    "pixel:pixel-flat",
    "alpha-large-2025-01-15",
    "alpha-old",
    "pixel-one",
    "weird[/]name",
    "pixel-flat",
    "alpah-mini",
    "gpt-4o",
    "alpha-mini+pixel-one",
    "pixel-one+alpha-mini",
    "alpha-large+pixel-flat",
    "alpha-mini+alpha-old",
    "acme:",
    ":alpha",
    "pixel:alpha-mini",
]
NEW_IDS = [
    "new-model",
    "alpha-mini",
    "ALPHA-MINI",
    "alpha",
    "my.model",
    "x",
    "a b",
    "[x]",
    'quo"te',
    "models",
    "weird[/]name",
]
QUANTITIES = [
    "5M",
    "1.5k",
    "200_000",
    "2B",
    "1234",
    "1",
    "1T",
    "1000T",
    "0",
    "1.25M",
    "0.5",
    "1k",
    "3.7M",
    "1_000_000_000_000_000",
    "999999999999999",
    "7 k",
]
SHARES = ["0.25", "25%", "0", "1", "100%", "0%", "0.5", "101%", "1.5", "33.3333%"]
PRICES = [
    "0.90",
    "$1.10",
    "0",
    "1_000",
    "1000000001",
    "0.000000000000000000000000000000001",
    "5",
    "12.50",
    "0.0",
]
INTS = ["128000", "1", "0", "-5", "1,000", "200_000", "99999999999999999999999999", "1.5"]
DATES = [
    "2026-11-21",
    "2025-01-01",
    "2027-03-01",
    "1900-01-01",
    "9999-12-31",
    "0001-01-01",
    "2025-02-30",
    "20261121",
    "2026-11-21T00:00",
    "yesterday",
    "2026-W47",
]
QUALITIES = ["low", "high", "medium", "any", "LOW", "ultra"]
SIZES = ["1024x1024", "1024x1536", "1024X1536", "any", "1536x1024", "10x10", "1024by1024"]
PERIODS = ["day", "month", "year", "daily", "Monthly", "week"]
TASKS = ["chat", "image-generation", "huge", "imag-generation", "CHAT", " chat ", "coding"]
PROVIDERS = ["acme", "pixel", "Acme", "acmee", "openai", "pixel labs", "anthropic"]
FIELDS = [
    "prices.input=1",
    "prices.batch.output=2",
    "image_prices.low.1024x1024=0.02",
    "image_prices.medium.any=0.1",
    "image_prices.q.10x10=1",
    "aliases=a,b",
    "capabilities=vision,streaming",
    "capabilities=telepathy",
    "release_date=2025-01-01",
    "context_window=5",
    "context_window=²",
    "lifecycle.superseded_by=alpha-mini",
    "lifecycle.superseded_by=nobody",
    "lifecycle.shutdown_date=2030-01-01",
    "type=hologram",
    "type=image",
    "provider=",
    "name=weird[/]x",
    "notes=a\nb",
    "prices.inptu=1",
    "=1",
    "noequals",
    "prices..input=1",
    "models.x=1",
    "knowledge_cutoff=2025-13",
    "description=" + "d" * 3000,
    "strengths=",
    "endpoints=a,,b",
]
UNSETS = [
    "prices.input",
    "notes",
    "lifecycle",
    "prices",
    "provider",
    "type",
    "prices..x",
    ".",
    "image_prices.low",
    "lifecycle.superseded_by",
    "nope.deep",
]
SOURCES = ["litellm", "models.dev", "genai-prices", "csv", "LiteLLM", "yaml"]
# @FILES@ is a read-only folder of prepared inputs, @OUT@ the example's own writable folder.
LAYERS = [
    "@FILES@/layer.toml",
    "@FILES@/broken.toml",
    "@FILES@/bad-types.toml",
    "@FILES@/empty.toml",
    "@FILES@/random.bin",
    "@FILES@/latin1.toml",
    "@FILES@/missing.toml",
    "@FILES@",
    "@FILES@/importers/litellm.json",
    str(FIXTURE),
    "@OUT@/fresh.toml",
    "@OUT@/caf\udce9.toml",
]
IMPORTS = [
    "@FILES@/importers/litellm.json",
    "@FILES@/importers/modelsdev.json",
    "@FILES@/importers/genai-prices.json",
    "@FILES@/broken.json",
    "@FILES@/random.bin",
    "@FILES@/empty.toml",
    "@FILES@/missing.json",
    "@FILES@",
    "@FILES@/array.json",
    "@FILES@/importers/\udcff.json",
]
OUTPUTS = [
    "@OUT@/layer.toml",
    "@OUT@/new/dir/layer.toml",
    "@OUT@",
    "@OUT@/blocker/layer.toml",
    "@OUT@/copy-of-broken.toml",
    "@OUT@/copy-of-layer.toml",
    "layer.toml",
    "a b.toml",
    "@OUT@/\udcff.toml",
]

# Pools by option name (a few names mean different things in different commands: both pools).
POOLS: dict[str, list[str]] = {
    "--as-of": DATES,
    "--catalog": LAYERS,
    "--provider": PROVIDERS,
    "--tokens": QUANTITIES,
    "--input": QUANTITIES + PRICES,
    "--output": QUANTITIES + PRICES + OUTPUTS,
    "--cached-input": QUANTITIES + PRICES,
    "--images": QUANTITIES,
    "--request-tokens": QUANTITIES,
    "--output-share": SHARES,
    "--quality": QUALITIES,
    "--size": SIZES,
    "--per": PERIODS,
    "--baseline": MODELS,
    "--top": ["1", "3", "10", "0", "-1", "1e999", "99999999999999999999"],
    "--for": TASKS,
    "--budget": ["50", "$12.50", "0", "0.01", "-5", "1e3", "1000000001"],
    "--model": MODELS,
    "--batch-input": PRICES,
    "--batch-output": PRICES,
    "--context-window": INTS,
    "--max-output": INTS,
    "--name": ["New name", "weird[/]name", "Alpha Mini"],
    "--note": ["negotiated 2026-11", "[red]x[/red]", "a\nb"],
    "--superseded-by": MODELS + ["nobody"],
    "--shutdown-date": DATES,
    "--set": FIELDS,
    "--unset": UNSETS,
    "--into": OUTPUTS,
    "--type": ["text", "image", "hologram", "TEXT"],
    "--from": SOURCES,
    "-o": OUTPUTS,
    "--out": OUTPUTS,
    "--reference": [
        "@FILES@",
        "@OUT@",
        "@FILES@/missing",
        "@FILES@/layer.toml",
        "@FILES@/importers",
    ],
    "--curation": ["@FILES@/layer.toml", "@FILES@/broken.toml", "@FILES@/missing.toml", "@FILES@"],
}
# Options whose default is a real place outside the example's folder (`catalog build` reads
# ../shared/reference and writes the checkout's data/models.toml): always given last, so even a
# mutated command line never falls back to the default.
FORCED = ("--reference", "--out")
ARGUMENTS: dict[str, list[str]] = {
    "model": MODELS,
    "models": MODELS,
    "model_id": NEW_IDS + MODELS,
    "paths": LAYERS,
    "file": IMPORTS,
}


def _pool(param: Any) -> list[str]:
    names = [n for n in getattr(param, "opts", []) if n.startswith("--")]
    pool = next((POOLS[n] for n in names if n in POOLS), None)
    if pool is None and getattr(param, "opts", None) and "-o" in param.opts:
        pool = POOLS["-o"]
    if pool is None:
        pool = ARGUMENTS.get(param.name, MODELS)
    choices = list(getattr(param.type, "choices", None) or [])
    return choices + [c.upper() for c in choices[:3]] + pool if choices else pool


# What a real command line can carry: no NUL byte (execve takes C strings) and, of the surrogates,
# only U+DC80..U+DCFF, which is how Python decodes bytes that are not UTF-8 ($'\xff').
ARG_TEXT = st.text(
    st.one_of(
        st.characters(exclude_characters="\x00", exclude_categories=["Cs"]),
        st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF),
    ),
    max_size=12,
)


def value(param: Any, hostile: bool = True) -> st.SearchStrategy[str]:
    """Meaningful values for this parameter; when hostile, sometimes hostile or random text."""
    if not hostile:
        return st.sampled_from(_pool(param))
    return st.one_of(
        st.sampled_from(_pool(param)),
        st.sampled_from(_pool(param)),
        st.sampled_from(NASTY),
        ARG_TEXT,
    )


@st.composite
def command_line(draw: st.DrawFn, path: tuple[str, ...]) -> tuple[list[str], dict[str, bool]]:
    """argv for one command, and what was asked for (json) unless a mutation blurred it."""
    command = COMMANDS[path]
    positional: list[str] = []
    groups: list[list[str]] = []
    wants_json = False
    hostile = draw(st.booleans())  # half the lines use only meaningful values
    for param in command.params:
        if param.param_type_name == "argument":
            if param.nargs == -1:
                count = draw(st.integers(0, 4))
            else:
                count = 1 if draw(st.integers(0, 15)) else 0
            positional += [draw(value(param, hostile)) for _ in range(count)]
            continue
        names = [n for n in param.opts + param.secondary_opts if n not in SHELL_OPTIONS]
        if not names:
            continue
        times = draw(st.integers(0, 3)) if param.multiple else draw(st.integers(0, 1))
        if param.required and draw(st.integers(0, 15)):
            times = max(times, 1)
        if not param.required and not param.multiple and draw(st.integers(0, 2)):
            times = 0  # most options absent, as in real use
        for _ in range(times):
            name = draw(st.sampled_from(names))
            if param.is_flag:
                groups.append([name])
                wants_json |= name == "--json"
            else:
                item = draw(value(param, hostile))
                groups.append([name, item])
                wants_json |= (
                    name in ("--format", "-f") and item == "json" and path != ("catalog", "export")
                )
    if draw(st.integers(0, 30)) == 0:
        groups.append([draw(st.sampled_from(["-h", "--help"]))])
        wants_json = False
    groups = draw(st.permutations(groups))
    # positionals in their order, anywhere between the options (click allows that)
    cut = draw(st.integers(0, len(groups)))
    argv = [
        *path,
        *(t for g in groups[:cut] for t in g),
        *positional,
        *(t for g in groups[cut:] for t in g),
    ]
    mutated = draw(st.integers(0, 7)) == 0
    if mutated and argv:
        argv = draw(mutate(argv))
    names = {n for p in command.params for n in getattr(p, "opts", [])}
    # diff, show and cost take --out too, but write to stdout without it: forced for build only
    forced = set(FORCED) if path == ("catalog", "build") else set(FORCED) - {"--out"}
    for option in sorted(names & forced):
        argv += [option, draw(st.sampled_from(POOLS[option]))]
    # "-h" or "--" drawn as a value changes how the rest is read, and -o/--out sends the output to
    # a file: then no output on stdout is promised
    plain = not {"-h", "--help", "--", "-o", "--out"} & set(argv)
    return argv, {"json": wants_json and not mutated and plain}


@st.composite
def mutate(draw: st.DrawFn, argv: list[str]) -> list[str]:
    """Break an otherwise well-formed command line in one of the ways people do."""
    argv = list(argv)
    kind = draw(st.sampled_from(["drop", "dup", "swap", "insert", "truncate", "case", "prefix"]))
    i = draw(st.integers(0, len(argv) - 1))
    if kind == "drop":
        del argv[i]
    elif kind == "dup":
        argv.insert(i, argv[i])
    elif kind == "swap":
        j = draw(st.integers(0, len(argv) - 1))
        argv[i], argv[j] = argv[j], argv[i]
    elif kind == "insert":
        argv.insert(i, draw(st.sampled_from(NASTY + ALL_OPTION_NAMES + COMMAND_WORDS)))
    elif kind == "truncate":
        argv[i] = argv[i][: draw(st.integers(0, max(len(argv[i]) - 1, 0)))]
    elif kind == "case":
        argv[i] = argv[i].upper()
    else:
        argv[i] = "-" + argv[i]
    return argv


ENV_CHOICES: dict[str, list[str | None]] = {
    "COLUMNS": [
        None,
        None,
        "40",
        "80",
        "200",
        "0",
        "1",
        "7",
        "-5",
        "abc",
        "99999999",
        "9" * 5000,
        "０",
    ],
    "LINES": [None, None, "0", "9" * 5000],
    "NO_COLOR": [None, None, "1", "", "0"],
    "FORCE_COLOR": [None, None, None, "1", "0", ""],
    "TERM": [None, "dumb", "xterm-256color"],
    "AICOMPARE_CATALOG": [
        None,
        None,
        None,
        "@FILES@/layer.toml",
        "@FILES@/missing.toml",
        "@FILES@/broken.toml",
        f"@FILES@/layer.toml{os.pathsep}@FILES@/empty.toml",
        "",
    ],
}
environment = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in ENV_CHOICES.items()})
user_layer = st.sampled_from([None, None, "layer.toml", "broken.toml", "bad-types.toml"])

# --- running and checking -----------------------------------------------------------------------

RUNNER = CliRunner()
CASES: Counter[str] = Counter()
OUTCOMES: Counter[int] = Counter()
KNOWN: Counter[str] = Counter()


def known_bug(exc: BaseException) -> str | None:
    """A crash already found here whose fix belongs in a module this suite may not change.

    Each one has a strict xfail test (test_broken_files.py) that fails as soon as the fix lands,
    so that this list is emptied; meanwhile the fuzzer counts these instead of stopping on them.
    """
    return None  # none known: the last one (a layer path too long for the OS) is fixed


def _short(args: list[str]) -> str:
    return repr([a if len(a) <= 60 else f"{a[:40]}...({len(a)} chars)" for a in args])


LAYER_TOML = """\
schema_version = 1

[models.alpha-mini.prices]
input = 0.90

[models.private-one]
provider = "acme"
type = "text"
name = "Private [b]one[/b]"
notes = "negotiated"

[models.private-one.prices]
input = 0.2
output = 0.8
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Read-only inputs shared by every example."""
    folder = tmp_path_factory.mktemp("fuzz-files")
    (folder / "layer.toml").write_text(LAYER_TOML, "utf-8")
    (folder / "broken.toml").write_text("[models.x\nprovider = ", "utf-8")
    (folder / "bad-types.toml").write_text(
        'models = { a = { provider = 5, type = "text", prices = { input = "free" } } }\n', "utf-8"
    )
    (folder / "empty.toml").write_text("", "utf-8")
    (folder / "random.bin").write_bytes(bytes(range(256)) * 4)
    (folder / "latin1.toml").write_bytes('[models.caf\xe9]\nprovider = "acme"\n'.encode("latin-1"))
    (folder / "broken.json").write_text('{"a": 1,\n "b": }', "utf-8")
    (folder / "array.json").write_text("[1, 2, 3]", "utf-8")
    shutil.copytree(SAMPLES, folder / "importers")
    shutil.copy(
        SAMPLES / "litellm.json", folder / "importers" / "\udcff.json"
    )  # named b"\xff.json"
    return folder


def _prepare(out: Path, files: Path, layer: str | None) -> None:
    (out / "blocker").write_text("a file where a folder is expected\n", "utf-8")
    shutil.copy(files / "broken.toml", out / "copy-of-broken.toml")
    shutil.copy(files / "layer.toml", out / "copy-of-layer.toml")
    if layer is not None:
        (out / "config" / "aicompare").mkdir(parents=True)
        shutil.copy(files / layer, out / "config" / "aicompare" / "models.toml")


def _fill(text: str, files: Path, out: Path) -> str:
    return text.replace("@FILES@", str(files)).replace("@OUT@", str(out))


def run_and_check(
    argv: list[str],
    meta: dict[str, bool],
    env: dict[str, str | None],
    layer: str | None,
    files: Path,
    label: str,
) -> None:
    with tempfile.TemporaryDirectory(dir=files.parent) as temp:
        out = Path(temp)
        _prepare(out, files, layer)
        full_env: dict[str, str | None] = {
            k: (None if v is None else _fill(v, files, out)) for k, v in env.items()
        }
        full_env |= {
            "AICOMPARE_BASE_CATALOG": str(FIXTURE),
            "XDG_CONFIG_HOME": str(out / "config"),
            "XDG_CACHE_HOME": str(out / "cache"),
            "HOME": str(out),
        }
        args = [_fill(a, files, out) for a in argv]
        with contextlib.chdir(out):
            result = RUNNER.invoke(
                app, args, env=full_env, catch_exceptions=True, prog_name="aicompare"
            )
    CASES[label] += 1
    OUTCOMES[result.exit_code] += 1
    shown_env = {
        k: (v if len(v) <= 60 else f"{v[:20]}...({len(v)} chars)")
        for k, v in env.items()
        if v is not None
    }
    where = f"argv={_short(args)}\nenv={shown_env!r} layer={layer!r}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        bug = known_bug(result.exception)
        if bug is not None:
            KNOWN[bug] += 1
            return
        detail = "".join(traceback.format_exception(result.exception))
        pytest.fail(f"uncaught {type(result.exception).__name__}\n{where}\n{detail}")
    stdout, stderr = result.stdout, result.stderr
    assert result.exit_code in (0, 1, 2), f"exit {result.exit_code}\n{where}\n{stderr}"
    assert "Traceback" not in stdout + stderr, where
    typed_escape = any("\x1b" in a for a in args)  # echoing what the user typed is not colour
    if not env.get("FORCE_COLOR") and not typed_escape:
        assert "\x1b" not in stdout, f"ANSI escape in a non-terminal stdout\n{where}"
    if result.exit_code == 1 and args[:2] == ["catalog", "validate"] and stdout:
        # the one documented exception (docs/json.md): `catalog validate --json` reports an invalid
        # catalog as its result, a JSON document with "valid": false, and exits 1
        assert json.loads(stdout)["valid"] is False and stderr == "", where
    elif result.exit_code:
        assert stderr.strip(), f"exit {result.exit_code} without a message\n{where}"
        assert stdout == "", f"stdout not empty on error\n{where}\n{stdout[:500]}"
    elif meta["json"]:
        assert "\x1b" not in stdout, where  # JSON escapes even a typed ESC as \u001b
        document = json.loads(stdout)
        assert document["schema_version"] == 1, where
        assert stderr == "", f"stderr not empty on a --json run\n{where}\n{stderr[:500]}"


@pytest.fixture(scope="module", autouse=True)
def built_once(files: Path) -> Iterator[None]:
    """CliRunner.invoke(app) rebuilds the click tree from the Typer app on every call, which is half
    the time of a run; the tree is the same every time, so it is built once for these tests.

    Also a guard: every file aicompare writes goes through store._replace_with, and none may land
    outside the fuzzer's temporary folder (the checkout, the user's home).
    """
    real = store._replace_with
    root = files.parent.resolve()

    def contained(target: Path, data: bytes, mode: int | None) -> None:
        assert Path(target).resolve().is_relative_to(root), (
            f"a write outside the test folder: {target}"
        )
        real(target, data, mode)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            typer.testing,
            "_get_command",
            lambda typer_app: ROOT if typer_app is app else get_command(typer_app),
        )
        patch.setattr(store, "_replace_with", contained)
        yield


@pytest.fixture(scope="module", autouse=True)
def report_counts(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    total = sum(CASES.values())
    if reporter is None or not total:
        return
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        per = ", ".join(f"{k} {v}" for k, v in sorted(CASES.items()))
        codes = ", ".join(f"exit {k}: {v}" for k, v in sorted(OUTCOMES.items()))
        reporter.write_line(f"\ntest_fuzz: {total} command lines run ({per}); {codes}")
        for bug, count in KNOWN.items():
            reporter.write_line(
                f"test_fuzz: known bug hit {count} times (strict xfail elsewhere): {bug}"
            )


# Heavier weights for the commands with the most options and values to combine.
WEIGHTS = {
    ("cost",): 3.0,
    ("best",): 1.5,
    ("list",): 1.0,
    ("catalog", "set"): 1.5,
    ("catalog", "add"): 1.0,
    ("catalog", "import"): 0.6,
    ("diff",): 1.0,
    ("show",): 0.8,
}


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_fuzz_command(path: tuple[str, ...], files: Path) -> None:
    label = " ".join(path)

    @budget(WEIGHTS.get(path, 0.5))
    @given(command_line(path), environment, user_layer)
    def check(
        line: tuple[list[str], dict[str, bool]], env: dict[str, str | None], layer: str | None
    ) -> None:
        run_and_check(line[0], line[1], env, layer, files, label)

    check()


junk_token = st.one_of(
    st.sampled_from(COMMAND_WORDS),
    st.sampled_from(ALL_OPTION_NAMES),
    st.sampled_from(NASTY),
    st.sampled_from(MODELS),
    ARG_TEXT,
    st.sampled_from(["lst", "shwo", "catalg", "LIST", "diff", "--version", "-V"]),
)


@budget(1.0)
@given(st.lists(junk_token, max_size=6), environment)
def test_fuzz_anything(files: Path, argv: list[str], env: dict[str, str | None]) -> None:
    """Arbitrary token sequences from the app's own vocabulary and the hostile values."""
    if any(a in SHELL_OPTIONS for a in argv):
        return
    run_and_check(argv, {"json": False}, env, None, files, "anything")
