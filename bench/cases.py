"""What bench/run.py measures and what it must meet: the commands (baselines and aicompare, with
the bundled catalog and with the LiteLLM map imported), the environments they need, and the
budget lines. docs/performance.md explains the budget; bench/README.md every row.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import (
    MIB,
    Row,
    failure_line,
    imported_modules,
    last_line,
    log,
    of_package,
    run_quiet,
)

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results"
GENAI_VENV = BENCH / ".genai-venv"
TYPER029_VENV = BENCH / ".typer029-venv"
DEFAULT_LITELLM = (
    REPO.parent / "shared" / "reference" / "litellm" / "model_prices_and_context_window.json"
)

BUNDLED = "bundled"
LARGE = "bundled + LiteLLM"

# The application commands, timed once per catalog configuration.
APP_COMMANDS: list[tuple[str, list[str], bool]] = [
    # (key, arguments after `aicompare`, must not import rich)
    ("diff --json", ["diff", "gpt-image-1", "o4-mini", "--json"], True),
    ("diff (table)", ["diff", "gpt-image-1", "o4-mini"], False),
    ("cost --json", ["cost", "--tokens", "5M", "--json"], True),
    ("--version", ["--version"], True),
]

BUDGET_VS_GENAI_JSON = 0.30
BUDGET_VS_HELLO_JSON = 1.25
BUDGET_VS_HELLO_COST_JSON = 1.25  # the bundled `cost --tokens 5M --json`
BUDGET_VS_GENAI_TABLE = 0.45
BUDGET_LARGE_VS_BUNDLED = 1.20
BUDGET_RSS_BUNDLED_MIB = 45
BUDGET_RSS_LARGE_MIB = 80


# --------------------------------------------------------------------------- environments


def ensure_app_venv() -> tuple[Path, Path]:
    """The repository's .venv python and aicompare; create it (pip install -e .) if missing."""
    venv = REPO / ".venv"
    python, exe = venv / "bin" / "python", venv / "bin" / "aicompare"
    if not python.exists():
        log("no .venv: creating it with python3 -m venv .venv && pip install -e . ...")
        done = run_quiet([sys.executable, "-m", "venv", str(venv)])
        if done.returncode != 0:
            sys.exit(f"bench: cannot create {venv}: {last_line(done.stderr)}")
    if not exe.exists():
        done = run_quiet([str(python), "-m", "pip", "install", "-q", "-e", str(REPO)])
        if done.returncode != 0 or not exe.exists():
            sys.exit(f"bench: cannot install aicompare into {venv}: {last_line(done.stderr)}")
    return python, exe


def package_version(python: Path, module: str) -> str:
    code = (
        "import importlib.metadata as m, sys\n"
        f"try: print(m.version({module!r}))\nexcept Exception: print('')"
    )
    return run_quiet([str(python), "-c", code], timeout=60).stdout.strip()


def ensure_side_venv(
    venv: Path, base_python: Path, requirement: str, ready: list[str], allow_install: bool
) -> tuple[bool, str]:
    """A throwaway venv under bench/ (kept as a cache); (ok, why not)."""
    if venv.exists() and run_quiet(ready, timeout=120).returncode == 0:
        return True, ""
    if not allow_install:
        return False, f"{venv.name} missing and --no-install given"
    log(f"installing {requirement} into bench/{venv.name} ...")
    if not (venv / "bin" / "python").exists():
        done = run_quiet([str(base_python), "-m", "venv", str(venv)])
        if done.returncode != 0:
            return False, f"venv creation failed: {last_line(done.stderr)}"
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        requirement,
    ]
    done = run_quiet(pip)
    if done.returncode != 0:
        return False, f"pip install {requirement} failed: {last_line(done.stderr or done.stdout)}"
    check = run_quiet(ready, timeout=120)
    if check.returncode != 0:
        return False, f"installed but not runnable: {last_line(check.stderr or check.stdout)}"
    return True, ""


def genai_prices_argv(allow_install: bool, base_python: Path) -> tuple[list[str] | None, str, str]:
    """argv for `genai-prices calc -i 1000 -o 1000 gpt-4o`, checked against its --help."""
    exe = GENAI_VENV / "bin" / "genai-prices"
    # The CLI needs the [cli] extra (pydantic-settings, rich-argparse); plain
    # `pip install genai-prices` installs a command that exits at once asking for it.
    ok, why = ensure_side_venv(
        GENAI_VENV, base_python, "genai-prices[cli]", [str(exe), "calc", "--help"], allow_install
    )
    if not ok:
        return None, "", why
    help_text = run_quiet([str(exe), "calc", "--help"], timeout=120).stdout
    if "-i, --input-tokens" in help_text and "-o, --output-tokens" in help_text:
        flags = ["-i", "1000", "-o", "1000"]
    elif "--input-tokens" in help_text and "--output-tokens" in help_text:
        flags = ["--input-tokens", "1000", "--output-tokens", "1000"]
    else:
        return None, "", "genai-prices calc --help shows no --input-tokens/--output-tokens"
    version = package_version(GENAI_VENV / "bin" / "python", "genai-prices")
    return [str(exe), "calc", *flags, "gpt-4o"], version, ""


# --------------------------------------------------------------------------- the rows


class Rows:
    """The rows in table order, and by key."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.by_key: dict[str, Row] = {}

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        self.by_key[row.key] = row
        return row


def baseline_rows(table: Rows, python: Path, base_env: dict[str, str], allow_install: bool) -> None:
    """`python -c pass`, the Typer hello-world and genai-prices (installed into a side venv)."""
    table.add(
        Row("python", "python -c pass", "—", [str(python), "-c", "pass"], base_env, "baseline")
    )
    table.add(
        Row(
            "hello",
            "python bench/hello_typer.py --name World",
            "—",
            [str(python), str(BENCH / "hello_typer.py"), "--name", "World"],
            base_env,
            "baseline",
        )
    )
    genai_argv, genai_version, genai_why = genai_prices_argv(allow_install, python)
    genai_label = "genai-prices calc -i 1000 -o 1000 gpt-4o"
    if genai_argv:
        genai_label = "genai-prices " + " ".join(genai_argv[1:])
    genai = table.add(Row("genai", genai_label, "—", genai_argv or [], base_env, "baseline"))
    if not genai_argv:
        genai.status, genai.note = "unavailable", genai_why
    elif genai_version:
        genai.note = f"genai-prices {genai_version}"


def app_rows(
    table: Rows,
    python: Path,
    aicompare: Path,
    bundled_env: dict[str, str],
    large_env: dict[str, str],
) -> list[Row]:
    """The aicompare rows: bundled catalog, the teardown row, then with the LiteLLM layer (those
    are returned: they are measured only when the import works)."""
    # aicompare with the bundled catalog (and an empty user config directory).
    for key, cmd_args, _ in APP_COMMANDS:
        table.add(
            Row(
                f"{key}|{BUNDLED}",
                "aicompare " + " ".join(cmd_args),
                BUNDLED,
                [str(aicompare), *cmd_args],
                bundled_env,
                "app",
                json_output="--json" in cmd_args,
            )
        )

    # For the record, not the budget: `diff --json` through the same code, but ending the way a
    # Python program usually does, with the interpreter's teardown (the console script skips it:
    # src/aicompare/_entry.py). The difference is what skipping it saves.
    teardown = (
        "import sys; from aicompare._entry import main; "
        "sys.argv = ['aicompare', 'diff', 'gpt-image-1', 'o4-mini', '--json']; main()"
    )
    table.add(
        Row(
            "diff --json|teardown",
            "aicompare diff gpt-image-1 o4-mini --json, with teardown",
            BUNDLED,
            [str(python), "-c", teardown],
            bundled_env,
            "app",
            json_output=True,
            note="`_entry.main()` and a normal interpreter exit, instead of the console script",
        )
    )

    # The same with the LiteLLM map imported into the user's layer.
    return [
        table.add(
            Row(
                f"{key}|{LARGE}",
                "aicompare " + " ".join(cmd_args),
                LARGE,
                [str(aicompare), *cmd_args],
                large_env,
                "app",
                json_output="--json" in cmd_args,
            )
        )
        for key, cmd_args, _ in APP_COMMANDS
    ]


def import_litellm(
    args: argparse.Namespace,
    aicompare: Path,
    large_env: dict[str, str],
    cwd: Path,
    large_rows: list[Row],
) -> dict[str, Any]:
    """`aicompare catalog import --from litellm` into the large rows' user layer, once, untimed;
    the large rows are marked "not measured" when it is skipped or fails."""
    import_info: dict[str, Any] = {"attempted": False}
    if args.skip_large:
        for row in large_rows:
            row.status, row.note = "not measured", "--skip-large"
    elif not args.litellm.is_file():
        for row in large_rows:
            row.status, row.note = "not measured", f"no LiteLLM map at {args.litellm}"
    else:
        import_argv = [str(aicompare), "catalog", "import", "--from", "litellm", str(args.litellm)]
        log("importing the LiteLLM map into a temporary user layer: " + shlex.join(import_argv[1:]))
        start = time.perf_counter_ns()
        done = run_quiet(import_argv, timeout=900, env=large_env, cwd=cwd)
        elapsed = (time.perf_counter_ns() - start) / 1e6
        config = Path(large_env["XDG_CONFIG_HOME"])
        written = sorted(
            str(p.relative_to(config)) + f" ({p.stat().st_size} bytes)"
            for p in config.rglob("*")
            if p.is_file()
        )
        import_info = {
            "attempted": True,
            "argv": import_argv[1:],
            "exit_code": done.returncode,
            "wall_ms": elapsed,
            "files_written": written,
            "stderr_tail": (done.stderr or "")[-2000:],
            "stdout_tail": (done.stdout or "")[-2000:],
        }
        why = ""
        if done.returncode != 0:
            why = (
                f"`aicompare catalog import --from litellm` failed (exit {done.returncode}: "
                f"{failure_line(done.stderr or done.stdout)})"
            )
        elif not any(
            p.is_file() and p.stat().st_size > 0 and p.suffix != ".lock" for p in config.rglob("*")
        ):
            why = "`aicompare catalog import` exited 0 but wrote nothing under XDG_CONFIG_HOME"
        if why:
            import_info["failure"] = why
            log("large-layer rows cannot be measured: " + why)
            for row in large_rows:
                row.status, row.note = "not measured", "the LiteLLM import failed (see the notes)"
        else:
            log(f"import took {elapsed:.0f} ms; wrote {', '.join(written)}")
    return import_info


def rich_checks(
    python: Path,
    by_key: dict[str, Row],
    bundled_env: dict[str, str],
    large_env: dict[str, str],
    cwd: Path,
) -> list[dict[str, Any]]:
    """Which of the commands that must not import rich do: `python -X importtime`, per catalog."""
    checks = []
    for key, cmd_args, no_rich in APP_COMMANDS:
        if not no_rich:
            continue
        for catalog, env in ((BUNDLED, bundled_env), (LARGE, large_env)):
            row = by_key[f"{key}|{catalog}"]
            if row.status == "not measured":
                continue
            code, modules = imported_modules(python, cmd_args, env, cwd)
            found = of_package(modules, "rich")
            if code != 0:
                answer = f"n/a (exit {code})"
            else:
                answer = "yes" if found else "no"
            checks.append(
                {
                    "command": "aicompare " + " ".join(cmd_args),
                    "catalog": catalog,
                    "key": row.key,
                    "exit_code": code,
                    "answer": answer,
                    "rich_modules": found,
                }
            )
    return checks


# --------------------------------------------------------------------------- the budget


@dataclass
class Budget:
    line: str
    status: str  # PASS | FAIL | NOT MEASURED
    detail: str


def ratio_budget(line: str, row: Row | None, ref: Row | None, limit: float) -> Budget:
    for which in (row, ref):
        if which is None or not which.ok:
            why = (
                "skipped"
                if which is None
                else (
                    f"{which.command.removeprefix('aicompare ')} [{which.catalog}] {which.status}"
                    + (f": {which.note}" if which.note else "")
                )
            )
            return Budget(line, "NOT MEASURED", why)
    value = row.median_ms / ref.median_ms
    status = "PASS" if value <= limit else "FAIL"
    return Budget(
        line,
        status,
        f"{row.median_ms:.1f} ms / {ref.median_ms:.1f} ms = {value:.2f}× (limit {limit:.2f}×)",
    )


def rss_budget(line: str, row: Row | None, limit: float) -> Budget:
    if row is None or not row.ok or row.rss_mib is None:
        why = "skipped" if row is None else row.status + (f": {row.note}" if row.note else "")
        return Budget(line, "NOT MEASURED", why)
    status = "PASS" if row.rss_mib <= limit else "FAIL"
    return Budget(
        line,
        status,
        f"{row.rss_mib:.1f} MiB (max of runs {max(row.rss_kib) / MIB:.1f}; limit {limit} MiB)",
    )


def budget_lines(by_key: dict[str, Row], checks: list[dict[str, Any]]) -> list[Budget]:
    """Every budget line of docs/performance.md, judged on this run's rows."""
    genai = by_key.get("genai")
    budgets = [
        ratio_budget(
            f"`diff --json` ≤ {BUDGET_VS_GENAI_JSON:.2f}× genai-prices calc",
            by_key[f"diff --json|{BUNDLED}"],
            genai,
            BUDGET_VS_GENAI_JSON,
        ),
        ratio_budget(
            f"`diff --json` ≤ {BUDGET_VS_HELLO_JSON:.2f}× Typer hello-world",
            by_key[f"diff --json|{BUNDLED}"],
            by_key["hello"],
            BUDGET_VS_HELLO_JSON,
        ),
        ratio_budget(
            f"`cost --json` ≤ {BUDGET_VS_HELLO_COST_JSON:.2f}× Typer hello-world",
            by_key[f"cost --json|{BUNDLED}"],
            by_key["hello"],
            BUDGET_VS_HELLO_COST_JSON,
        ),
        ratio_budget(
            f"`diff` (table) ≤ {BUDGET_VS_GENAI_TABLE:.2f}× genai-prices calc",
            by_key[f"diff (table)|{BUNDLED}"],
            genai,
            BUDGET_VS_GENAI_TABLE,
        ),
    ]
    for key, _, _ in APP_COMMANDS:
        budgets.append(
            ratio_budget(
                f"`{key}` with the LiteLLM layer ≤ {BUDGET_LARGE_VS_BUNDLED:.2f}× bundled",
                by_key[f"{key}|{LARGE}"],
                by_key[f"{key}|{BUNDLED}"],
                BUDGET_LARGE_VS_BUNDLED,
            )
        )
    for key, _, _ in APP_COMMANDS:
        budgets.append(
            rss_budget(
                f"`{key}` peak RSS ≤ {BUDGET_RSS_BUNDLED_MIB} MiB (bundled)",
                by_key[f"{key}|{BUNDLED}"],
                BUDGET_RSS_BUNDLED_MIB,
            )
        )
    for key, _, _ in APP_COMMANDS:
        budgets.append(
            rss_budget(
                f"`{key}` peak RSS ≤ {BUDGET_RSS_LARGE_MIB} MiB (LiteLLM layer)",
                by_key[f"{key}|{LARGE}"],
                BUDGET_RSS_LARGE_MIB,
            )
        )
    for key, _, no_rich in APP_COMMANDS:
        if not no_rich:
            continue
        for catalog in (BUNDLED, LARGE):
            line = f"`{key}` does not import rich ({catalog})"
            found = next((c for c in checks if c["key"] == f"{key}|{catalog}"), None)
            if found is None:
                budgets.append(Budget(line, "NOT MEASURED", by_key[f"{key}|{catalog}"].note))
            elif found["answer"] == "no":
                budgets.append(Budget(line, "PASS", "no rich module imported"))
            elif found["answer"] == "yes":
                budgets.append(
                    Budget(line, "FAIL", "imports " + ", ".join(found["rich_modules"][:5]))
                )
            else:
                budgets.append(Budget(line, "NOT MEASURED", f"command {found['answer']}"))
    return budgets
