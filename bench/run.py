#!/usr/bin/env python3
"""Run every aicompare benchmark in one go and check the performance budget.

    python3 bench/run.py [--runs N] [--quick] [--typer-compare] [--skip-large] ...

Measures wall time (median of N cold runs: a fresh process each run, after one untimed
warm-up run) with hyperfine, or with a small built-in harness when hyperfine cannot be had,
and peak memory (median "Maximum resident set size" of /usr/bin/time -v, or ru_maxrss from
wait4 on a fresh child per run). Writes bench/results/latest.md (a Markdown section that
docs/performance.md can include) and bench/results/latest.json (every sample), then prints
PASS/FAIL per budget line. See bench/README.md.

Standard library only, so any python3 can run it; the commands it times run with the
repository's .venv (created with `pip install -e .` when missing). This file is the entry: the
options and the order of a run. The rest, by concern: harness.py (processes, timing in
interleaved rounds, memory, imports), cases.py (the commands, their environments, the budget),
report.py (the description, the Markdown, the results files), typer_compare.py
(--typer-compare).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

from cases import (
    DEFAULT_LITELLM,
    REPO,
    Rows,
    app_rows,
    baseline_rows,
    budget_lines,
    ensure_app_venv,
    import_litellm,
    package_version,
    rich_checks,
)
from harness import MIB, find_gnu_time, find_hyperfine, measure, run_quiet, rusage_peak, timed_env
from report import describe, write_results
from typer_compare import typer_compare

DEFAULT_RUNS = 30
QUICK_RUNS = 5
DEFAULT_ROUNDS = 5
QUICK_ROUNDS = 1
DEFAULT_MEM_RUNS = 5
QUICK_MEM_RUNS = 3


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Benchmark aicompare's start-up time and peak memory against baselines "
        "and check the performance budget.",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=None,
        help=f"timed runs per command (default {DEFAULT_RUNS}; {QUICK_RUNS} with --quick)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help=f"interleave the timed runs in this many rounds, every command once per "
        f"round (default {DEFAULT_ROUNDS}; {QUICK_ROUNDS} with --quick)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="untimed warm-up runs per command before the timed ones (default 1)",
    )
    parser.add_argument(
        "--mem-runs",
        type=int,
        default=None,
        help=f"peak-memory runs per command (default {DEFAULT_MEM_RUNS}; "
        f"{QUICK_MEM_RUNS} with --quick)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs, for a smoke test; numbers are noisier"
    )
    parser.add_argument(
        "--typer-compare",
        action="store_true",
        help="also time `import typer` and the hello-world under Typer 0.28 (installed) "
        "and 0.29.x (throwaway venv bench/.typer029-venv)",
    )
    parser.add_argument(
        "--skip-large",
        action="store_true",
        help="skip the rows with the LiteLLM map imported into the user layer",
    )
    parser.add_argument(
        "--litellm",
        type=Path,
        default=DEFAULT_LITELLM,
        help="LiteLLM model_prices_and_context_window.json (default: "
        "../shared/reference/litellm/ next to the repository)",
    )
    parser.add_argument(
        "--no-install",
        action="store_true",
        help="no apt-get and no side venvs: use what is already there (a missing "
        ".venv is still created, since nothing runs without it)",
    )
    parser.add_argument(
        "--harness",
        choices=("auto", "python"),
        default="auto",
        help="auto: hyperfine when available; python: always the built-in harness",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 if any budget line is FAIL or NOT MEASURED"
    )
    args = parser.parse_args(argv)
    if args.runs is None:
        args.runs = QUICK_RUNS if args.quick else DEFAULT_RUNS
    if args.rounds is None:
        args.rounds = QUICK_ROUNDS if args.quick else DEFAULT_ROUNDS
    if args.mem_runs is None:
        args.mem_runs = QUICK_MEM_RUNS if args.quick else DEFAULT_MEM_RUNS
    if args.runs < 2 or args.mem_runs < 1 or args.warmup < 0 or args.rounds < 1:
        parser.error(
            "--runs must be at least 2, --mem-runs and --rounds at least 1, --warmup at least 0"
        )
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    allow_install = not args.no_install

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)

    python, aicompare = ensure_app_venv()
    hyperfine, hyperfine_version = (
        (None, "") if args.harness == "python" else find_hyperfine(allow_install)
    )
    gnu_time = find_gnu_time(allow_install)

    tmp_parent = Path(tempfile.gettempdir()).resolve()
    if tmp_parent == REPO or REPO in tmp_parent.parents:
        tmp_parent = Path("/tmp")
    tmp = Path(tempfile.mkdtemp(prefix="aicompare-bench-", dir=tmp_parent))
    try:
        return run_all(
            args, allow_install, python, aicompare, hyperfine, hyperfine_version, gnu_time, tmp
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_all(
    args: argparse.Namespace,
    allow_install: bool,
    python: Path,
    aicompare: Path,
    hyperfine: str | None,
    hyperfine_version: str,
    gnu_time: str | None,
    tmp: Path,
) -> int:
    cwd = tmp / "cwd"  # every timed run starts here, outside the repository
    scratch = tmp / "scratch"
    cwd.mkdir()
    scratch.mkdir()
    load_before = os.getloadavg()
    started = dt.datetime.now(dt.timezone.utc)  # noqa: UP017 (any python3 >= 3.9 runs this)

    base_env = timed_env(dict(os.environ), None)
    bundled_env = timed_env(dict(os.environ), tmp / "bundled")
    large_env = timed_env(dict(os.environ), tmp / "large")

    versions = {
        "python": platform.python_version(),
        "aicompare": package_version(python, "aicompare"),
        "typer": package_version(python, "typer"),
        "click": package_version(python, "click"),
        "rich": package_version(python, "rich"),
    }
    venv_python = run_quiet(
        [str(python), "-c", "import platform; print(platform.python_version())"]
    )
    versions["python"] = venv_python.stdout.strip() or versions["python"]

    table = Rows()
    baseline_rows(table, python, base_env, allow_install)
    large_rows = app_rows(table, python, aicompare, bundled_env, large_env)
    import_info = import_litellm(args, aicompare, large_env, cwd, large_rows)

    measure(table.rows, args, hyperfine, gnu_time, cwd, scratch)
    checks = rich_checks(python, table.by_key, bundled_env, large_env, cwd)
    typer_cmp = (
        typer_compare(
            args,
            allow_install,
            python,
            base_env,
            hyperfine,
            gnu_time,
            cwd,
            scratch,
            table.rows,
            table.by_key,
            versions["typer"],
        )
        if args.typer_compare
        else None
    )
    budgets = budget_lines(table.by_key, checks)

    load_after = os.getloadavg()
    floor = None if gnu_time else rusage_peak(["true"], base_env, cwd, scratch) / MIB
    meta = describe(
        args,
        started,
        versions,
        hyperfine,
        hyperfine_version,
        gnu_time,
        floor,
        load_before,
        load_after,
        import_info,
        large_rows,
    )
    write_results(meta, table.rows, budgets, checks, typer_cmp, table.by_key)
    if args.strict and any(b.status != "PASS" for b in budgets):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
