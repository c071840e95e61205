"""The shape of the CLI: one table of commands, thin commands over domain functions, one JSON
envelope, one path for Ctrl-C and --version (issue 13)."""

from __future__ import annotations

import ast
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from terminal import FIXTURE, base_env, run
from typer.main import get_command
from typer.testing import CliRunner

from aicompare import __version__
from aicompare.catalog import Catalog
from aicompare.cli import app
from aicompare.commands import COMMANDS

SRC = Path(__file__).resolve().parents[1] / "src" / "aicompare"
CURATE = Path(__file__).parent / "data" / "curate"
TODAY = dt.date.today().isoformat()


def _source(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"))


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth."""
    names: set[str] = set()
    for node in ast.walk(_source(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


# --- one table --------------------------------------------------------------------------------


def test_every_command_is_one_module_named_after_it() -> None:
    for words, module in COMMANDS.items():
        name = words.split()[-1]
        assert module.split(".")[-1] in (name, f"{name}_"), words  # import_: a keyword
        path = SRC / "commands" / Path(*module.split("."))
        group = any(other.startswith(f"{words} ") for other in COMMANDS)
        assert (path / "__init__.py" if group else path.with_suffix(".py")).is_file(), words
    modules = {
        p.relative_to(SRC / "commands").with_suffix("").as_posix().replace("/", ".")
        for p in (SRC / "commands").rglob("*.py")
    }
    modules = {m.removesuffix(".__init__") for m in modules} - {"__init__"}
    modules = {m for m in modules if m.split(".")[0] != "options"}  # the shared options
    assert modules == set(COMMANDS.values())  # no command module outside the table


def test_the_cli_is_the_table_and_nothing_registers_by_import() -> None:
    def walk(command: object, prefix: str = "") -> list[str]:
        found = []
        for name in command.list_commands(None):  # type: ignore[attr-defined]
            found.append(f"{prefix}{name}")
            sub = command.get_command(None, name)  # type: ignore[attr-defined]
            if hasattr(sub, "list_commands"):
                found += walk(sub, f"{prefix}{name} ")
        return found

    assert walk(get_command(app)) == list(COMMANDS)
    assert app.registered_commands == [] and app.registered_groups == []


@pytest.mark.parametrize(
    ("argv", "loaded"),
    [
        (["diff", "alpha", "alpha-mini", "--json"], ["diff", "options", "options.workload"]),
        (["show", "alpha", "--json"], ["show", "options"]),
        (["list", "--json"], ["list", "options", "options.filters"]),
        (
            ["cost", "--tokens", "1M", "--json"],
            ["cost", "options", "options.filters", "options.workload"],
        ),
        (["catalog", "path", "--json"], ["catalog", "catalog.path", "options"]),
        (["catalog", "validate", "--json"], ["catalog", "catalog.validate", "options"]),
    ],
)
def test_a_run_imports_only_the_command_it_runs(argv: list[str], loaded: list[str]) -> None:
    """Its module and the options it takes, nothing of the other commands."""
    code = (
        "import sys; sys.argv = ['aicompare', *sys.argv[1:]]\n"
        "from aicompare._entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('aicompare.commands.')),"
        " file=sys.stderr)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv],
        check=False,
        capture_output=True,
        text=True,
        env=base_env(AICOMPARE_BASE_CATALOG=str(FIXTURE)),
        cwd="/",
        timeout=60,
    )
    assert proc.stdout.startswith("{"), proc.stderr
    assert proc.stderr.strip() == str(sorted(f"aicompare.commands.{m}" for m in loaded))


TOP = [words for words in COMMANDS if " " not in words]
CATALOG = [words.split()[1] for words in COMMANDS if words.startswith("catalog ")]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("aicompare ", TOP),
        ("aicompare catalog ", CATALOG),
        ("aicompare catalog ex", ["export"]),
    ],
)
def test_completion_lists_every_command(words: str, expected: list[str]) -> None:
    assert {"list", "cost", "catalog"} <= set(TOP) and {"import", "export"} <= set(CATALOG)
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    ran = run(
        [], base_env(_AICOMPARE_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(cword))
    )
    assert ran.code == 0 and ran.stderr == ""
    assert ran.stdout.split() == expected


def test_help_and_typos_know_every_command(cli) -> None:
    root = cli("--help").stdout
    for name in TOP:
        assert f"\n  {name} " in root, name
    assert "\n  export " in cli("catalog", "--help").stdout
    typo = cli("catalog", "exprt")
    assert typo.exit_code == 2 and "did you mean: export?" in typo.stderr
    assert "did you mean: best?" in cli("bets").stderr


# --- one envelope, one emit ---------------------------------------------------------------------


def test_every_json_document_has_the_envelope(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    sample = Path(__file__).parent / "data" / "importers" / "litellm.json"
    runs = {
        ("list", "--json"): "list",
        ("show", "alpha", "--json"): "show",
        ("diff", "alpha", "alpha-mini", "--json"): "diff",
        ("cost", "--tokens", "1M", "--json"): "cost",
        ("best", "--for", "chat", "--json"): "best",
        ("best", "--list", "--json"): "best",
        ("catalog", "path", "--json"): "catalog path",
        ("catalog", "validate", "--json"): "catalog validate",
        ("catalog", "export", "--format", "json"): "catalog export",
        ("catalog", "set", "alpha-mini", "--input", "2", "--json"): "catalog set",
        (
            "catalog",
            "add",
            "acme-x",
            "--provider",
            "acme",
            "--type",
            "text",
            "--json",
        ): "catalog added",
        ("catalog", "remove", "acme-x", "--json"): "catalog removed",
        (
            "catalog",
            "import",
            "--from",
            "litellm",
            str(sample),
            "--dry-run",
            "--json",
        ): "catalog import",
        (
            "catalog",
            "build",
            "--reference",
            str(CURATE / "reference"),
            "--curation",
            str(CURATE / "curation.toml"),
            "--out",
            str(tmp_path / "built.toml"),
            "--json",
        ): "catalog build",
    }
    for args, command in runs.items():
        ran = cli(*args, as_of=False)
        assert ran.exit_code == 0, (args, ran.stderr)
        document = json.loads(ran.stdout)
        assert list(document)[:4] == ["schema_version", "aicompare_version", "command", "as_of"]
        assert (document["schema_version"], document["aicompare_version"]) == (1, __version__)
        assert (document["command"], document["as_of"]) == (command, TODAY), args


def test_an_invalid_catalog_still_gets_the_envelope(cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[models.x]\nprovider = "acme"\n', "utf-8")
    ran = cli("catalog", "validate", str(broken), "--json")
    document = json.loads(ran.stdout)
    assert ran.exit_code == 1 and document["valid"] is False and document["problems"]
    assert document["aicompare_version"] == __version__ and document["as_of"] == TODAY


def test_no_command_builds_a_document_or_writes_csv_itself() -> None:
    for path in (SRC / "commands").rglob("*.py"):
        text = path.read_text("utf-8")
        assert "schema_version" not in text and "write_json" not in text, path
        assert "csv" not in _imports(path), path
    users = sorted(p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py") if "csv" in _imports(p))
    # the benchmarks importer and two usage readers read CSV; only the renderer writes it
    assert users == [
        "importers/benchmarks_csv.py",
        "render/plain.py",
        "usage/readers/litellm.py",
        "usage/readers/table.py",
    ]
    for name in ("importers/benchmarks_csv.py", "usage/readers/table.py"):
        reader = (SRC / name).read_text("utf-8")
        assert "csv.reader(" in reader and "writer" not in reader, name
    assert "writer" not in (SRC / "usage" / "readers" / "litellm.py").read_text("utf-8")


def test_export_offers_its_formats_and_refuses_the_others(cli) -> None:
    assert cli("catalog", "export", "--format", "TOML").stdout.startswith("#")
    for fmt in ("table", "markdown"):
        ran = cli("catalog", "export", "--format", fmt)
        assert ran.exit_code == 2 and ran.stdout == ""
        assert "'toml', 'json', 'csv'" in ran.stderr
    ran = cli("list", "--format", "toml")
    assert ran.exit_code == 2 and "'table', 'json', 'csv', 'markdown'" in ran.stderr


def test_export_csv_to_a_file_is_the_csv_on_stdout(cli, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    assert cli("catalog", "export", "--format", "csv", "-o", str(out)).exit_code == 0
    shown = cli("catalog", "export", "--format", "csv").stdout
    assert out.read_text("utf-8") == shown
    header, *rows = shown.splitlines()
    assert header.startswith("id,name,provider,type,context_window,")
    assert any(row.startswith("alpha-mini,") for row in rows)


# --- thin commands: the decisions are the domain's ------------------------------------------------


@pytest.fixture
def catalog(monkeypatch: pytest.MonkeyPatch) -> Catalog:
    from aicompare.loader import load_catalog

    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(FIXTURE))
    return load_catalog()


def test_cost_query_is_the_cost_command(cli, catalog: Catalog) -> None:
    from aicompare.costing import cost_query
    from aicompare.errors import WorkloadError
    from aicompare.filters import Filters
    from aicompare.quantities import WorkloadSpec

    day = dt.date(2026, 11, 21)
    browsed = cost_query(catalog, [], WorkloadSpec(tokens="5M"), day, top=1)
    ranked = [r.estimate.key for r in browsed.ranked]
    shown = cli("cost", "--tokens", "5M", "--top", "1", "--json").json()
    assert ranked == [r["model"] for r in shown["results"]] and len(ranked) == 1
    assert browsed.hidden_servable == shown["omitted"]["servable"] > 0
    everything = cost_query(catalog, [], WorkloadSpec(tokens="5M"), day, every=True)
    assert len(everything.ranked) == len(catalog)
    named = cost_query(
        catalog, ["alpha-large", "alpha-mini"], WorkloadSpec(tokens="1M"), day, baseline="alpha-old"
    )  # a baseline that is not among them is added
    assert named.explicit and named.baseline == "alpha-old"
    assert "alpha-old" in [r.estimate.key for r in named.ranked]
    with pytest.raises(WorkloadError, match="apply only when no models are named"):
        cost_query(
            catalog, ["alpha"], WorkloadSpec(tokens="1M"), day, filters=Filters(current=True)
        )


def test_the_top_default_has_one_source() -> None:
    """--top's default is costing.DEFAULT_TOP, not a second number in the command."""
    code = (
        "import aicompare.costing as c; c.DEFAULT_TOP = 3\n"
        "from typer.main import get_command\nfrom aicompare.cli import app\n"
        "cost = get_command(app).get_command(None, 'cost')\n"
        "print(next(p.default for p in cost.params if p.name == 'top'))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60
    )
    assert proc.stdout.strip() == "3", proc.stderr


def test_best_falls_back_to_a_small_workload_in_the_domain() -> None:
    from aicompare.quantities import WorkloadSpec
    from aicompare.tasks import Requirements, Task
    from aicompare.verdict import typical_workload

    def task(workload: dict[str, str], **requires: tuple[str, ...]) -> Task:
        return Task("t", "T", None, Requirements(**requires), ("cost",), (), workload)

    assert typical_workload(task({}), WorkloadSpec()) == WorkloadSpec(tokens="1M")
    assert typical_workload(task({}, types=("image",)), WorkloadSpec()) == WorkloadSpec(images="1k")
    assert typical_workload(task({"tokens": "5M"}), WorkloadSpec(per="day")) == WorkloadSpec(
        tokens="5M", per="day"
    )
    given = WorkloadSpec(images="10")
    assert typical_workload(task({"tokens": "5M"}), given) is given


def test_filters_take_models_and_rate_cards_alike(catalog: Catalog) -> None:
    from aicompare.filters import Filters, filter_models

    day = dt.date(2026, 11, 21)
    for chosen in (
        Filters(provider="acme"),
        Filters(type="image"),
        Filters(capabilities=("vision",)),
        Filters(current=True),
    ):
        on_models = [m.id for m in filter_models(catalog.models.values(), day, chosen)]
        assert on_models == [c.id for c in filter_models(catalog.rate_cards(), day, chosen)]
        assert on_models and len(on_models) < len(catalog), chosen


def test_validate_is_the_loaders(cli, tmp_path: Path) -> None:
    from aicompare.loader import validate

    layer = tmp_path / "mine.toml"
    layer.write_text('[models.mine]\nprovider = "acme"\ntype = "text"\n', "utf-8")
    result = validate([layer])
    assert result.problems == [] and result.layers[-1] == str(layer)
    assert cli("catalog", "validate", str(layer), "--json").json()["models"] == result.models
    assert not hasattr(__import__("aicompare.loader").loader, "validate_files")


def test_domain_modules_import_neither_typer_nor_rich() -> None:
    edge = {"cli.py", "_entry.py", "__main__.py"}
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if relative in edge or relative.startswith(("commands/", "render/rich_table")):
            continue
        frameworks = {m for m in _imports(path) if m.split(".")[0] in ("typer", "rich", "click")}
        assert not frameworks, (relative, frameworks)


# --- one Ctrl-C path, one --version answer ------------------------------------------------------


def test_one_handler_of_ctrl_c_and_one_version_answer() -> None:
    handlers = []
    answers = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(_source(path)):
            caught = isinstance(node, ast.ExceptHandler) and node.type is not None
            if caught and "KeyboardInterrupt" in ast.unparse(node.type):  # type: ignore[union-attr]
                handlers.append(path.name)
            if isinstance(node, ast.JoinedStr) and ast.unparse(node).startswith("f'aicompare {"):
                answers.append(path.name)
    assert handlers == ["_entry.py"] and answers == ["_entry.py"]


@pytest.mark.parametrize("argv", [["--version"], ["-V"], ["--version", "list"], ["-V", "--help"]])
def test_version_answers_the_same_on_every_path(argv: list[str]) -> None:
    ran = run(argv, base_env())
    assert (ran.code, ran.stdout, ran.stderr) == (0, f"aicompare {__version__}\n", "")
    in_process = CliRunner().invoke(app, argv)
    assert in_process.stdout == f"aicompare {__version__}\n"


def test_ctrl_c_in_a_command_ends_the_line_and_exits_130(tmp_path: Path) -> None:
    """A Ctrl-C inside a command (Typer ends the run) ends like one before Typer: exit 130, a new
    line on stderr, nothing else.

    The child first takes the SIGINT handler a process started from a terminal has. A process
    inherits an ignored SIGINT (the suite run in the background by a non-interactive shell, `pytest
    &`, ignores it) and Python then installs no handler: the SIGINT the child sends itself would be
    dropped and the command would carry on with the patched loader's None. With the handler in
    place the signal is handled before os.kill returns to Python code (one thread: the kernel
    delivers a signal a process sends itself before kill() returns, and Python runs the handler
    when the call returns), so the loader never returns; if it did, the child says so."""
    code = (
        "import os, signal, sys\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "sys.argv = ['aicompare', 'list']\n"
        "import aicompare.loader as loader\n"
        "def interrupted(*args, **kwargs):\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    raise SystemExit('the SIGINT was not handled')\n"
        "loader.load_catalog = interrupted\n"
        "from aicompare._entry import run\nrun()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        env=base_env(AICOMPARE_BASE_CATALOG=str(FIXTURE)),
        cwd="/",
        timeout=60,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (130, "", "\n")
