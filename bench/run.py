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
repository's .venv (created with `pip install -e .` when missing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results"
GENAI_VENV = BENCH / ".genai-venv"
TYPER029_VENV = BENCH / ".typer029-venv"
DEFAULT_LITELLM = REPO.parent / "shared" / "reference" / "litellm" / "model_prices_and_context_window.json"

DEFAULT_RUNS = 30
QUICK_RUNS = 5
DEFAULT_ROUNDS = 5
QUICK_ROUNDS = 1
DEFAULT_MEM_RUNS = 5
QUICK_MEM_RUNS = 3
MIB = 1024  # ru_maxrss and GNU time report KiB

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
BUDGET_VS_GENAI_TABLE = 0.45
BUDGET_LARGE_VS_BUNDLED = 1.20
BUDGET_RSS_BUNDLED_MIB = 45
BUDGET_RSS_LARGE_MIB = 80


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- set-up


def run_quiet(argv: list[str], *, timeout: float = 900, env: dict[str, str] | None = None,
              cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a set-up command, capturing its output; never raises for a non-zero exit."""
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env,
                              cwd=cwd, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return subprocess.CompletedProcess(argv, 127, "", f"{type(exc).__name__}: {exc}")


def last_line(text: str, limit: int = 160) -> str:
    """The last non-empty line of some output, shortened: what a failure row shows."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("WARNING: Location")]
    if not lines:
        return ""
    line = lines[-1]
    return line if len(line) <= limit else line[: limit - 1] + "…"


def failure_line(text: str, limit: int = 160) -> str:
    """What a failed command said: its first `error` line (plus the next one), else its last line."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for i, line in enumerate(lines):
        if line.lower().startswith("error"):
            shown = line if i + 1 >= len(lines) else f"{line} / {lines[i + 1]}"
            return shown if len(shown) <= limit else shown[: limit - 1] + "…"
    return last_line(text, limit)


def apt_install(package: str, allow: bool) -> bool:
    """`apt-get install -y PACKAGE` when running as root with apt; update the lists once if needed."""
    if not allow or shutil.which("apt-get") is None or os.geteuid() != 0:
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log(f"installing Debian package {package} ...")
    done = run_quiet(["apt-get", "install", "-y", "-q", package], env=env)
    if done.returncode != 0:
        run_quiet(["apt-get", "update", "-q"], env=env)
        done = run_quiet(["apt-get", "install", "-y", "-q", package], env=env)
    if done.returncode != 0:
        log(f"could not install {package}: {last_line(done.stderr or done.stdout)}")
    return done.returncode == 0


def find_hyperfine(allow_install: bool) -> tuple[str | None, str]:
    path = shutil.which("hyperfine")
    if path is None and apt_install("hyperfine", allow_install):
        path = shutil.which("hyperfine")
    if path is None:
        return None, ""
    version = run_quiet([path, "--version"], timeout=30).stdout.strip()
    help_text = run_quiet([path, "--help"], timeout=30).stdout
    if "--export-json" not in help_text or "-N" not in help_text:
        log(f"{version} lacks --export-json or -N; using the built-in harness")
        return None, version
    return path, version


def find_gnu_time(allow_install: bool) -> str | None:
    def usable(path: str) -> bool:
        probe = run_quiet([path, "-v", "true"], timeout=30)
        return probe.returncode == 0 and "Maximum resident set size" in probe.stderr

    path = "/usr/bin/time"
    if os.access(path, os.X_OK) and usable(path):
        return path
    if apt_install("time", allow_install) and os.access(path, os.X_OK) and usable(path):
        return path
    return None


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
    code = ("import importlib.metadata as m, sys\n"
            f"try: print(m.version({module!r}))\nexcept Exception: print('')")
    return run_quiet([str(python), "-c", code], timeout=60).stdout.strip()


def ensure_side_venv(venv: Path, base_python: Path, requirement: str, ready: list[str],
                     allow_install: bool) -> tuple[bool, str]:
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
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
           "--disable-pip-version-check", requirement]
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
    ok, why = ensure_side_venv(GENAI_VENV, base_python, "genai-prices[cli]",
                               [str(exe), "calc", "--help"], allow_install)
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


# --------------------------------------------------------------------------- measuring


@dataclass
class Row:
    key: str  # unique id, e.g. "diff --json|bundled"
    command: str  # as shown in the table
    catalog: str  # BUNDLED, LARGE or "—"
    argv: list[str]
    env: dict[str, str]
    group: str  # "app", "baseline" or "typer"
    json_output: bool = False
    status: str = "pending"  # ok | failed | unavailable | not measured
    note: str = ""
    check_ms: float | None = None  # the untimed check run (the first run after an import)
    times_ms: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok" and bool(self.times_ms)

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.times_ms) if self.times_ms else None

    @property
    def rss_mib(self) -> float | None:
        return statistics.median(self.rss_kib) / MIB if self.rss_kib else None

    def summary(self) -> dict[str, Any]:
        t = self.times_ms
        return {
            "key": self.key, "command": self.command, "catalog": self.catalog, "group": self.group,
            "argv": self.argv, "status": self.status, "note": self.note,
            "check_run_ms": self.check_ms,
            "runs": len(t),
            "median_ms": self.median_ms,
            "mean_ms": statistics.fmean(t) if t else None,
            "stddev_ms": statistics.stdev(t) if len(t) > 1 else None,
            "min_ms": min(t) if t else None,
            "max_ms": max(t) if t else None,
            "times_ms": t,
            "peak_rss_mib_median": self.rss_mib,
            "peak_rss_mib_max": max(self.rss_kib) / MIB if self.rss_kib else None,
            "peak_rss_kib": self.rss_kib,
        }


def timed_env(base: dict[str, str], xdg_root: Path | None) -> dict[str, str]:
    """The environment of every timed run: no colour or width overrides, no stray layers."""
    env = {k: v for k, v in base.items()
           if k not in ("FORCE_COLOR", "NO_COLOR", "COLUMNS", "LINES", "CLICOLOR_FORCE")
           and not k.startswith(("PYTHON", "AICOMPARE_"))}
    if xdg_root is not None:
        for name in ("CONFIG", "CACHE", "DATA", "STATE"):
            path = xdg_root / name.lower()
            path.mkdir(parents=True, exist_ok=True)
            env[f"XDG_{name}_HOME"] = str(path)
    return env


def check_run(row: Row, cwd: Path) -> subprocess.CompletedProcess[str]:
    start = time.perf_counter_ns()
    done = run_quiet(row.argv, timeout=300, env=row.env, cwd=cwd)
    row.check_ms = (time.perf_counter_ns() - start) / 1e6
    return done


def hyperfine_times(hyperfine: str, row: Row, runs: int, warmup: int, cwd: Path,
                    scratch: Path) -> list[float]:
    out = scratch / ("hyperfine-" + re.sub(r"[^A-Za-z0-9]+", "_", row.key) + ".json")
    argv = [hyperfine, "-N", "--warmup", str(warmup), "--runs", str(runs), "--output", "pipe",
            "--style", "none", "--export-json", str(out), "--command-name", row.command,
            shlex.join(row.argv)]
    done = run_quiet(argv, timeout=120 + runs * 120, env=row.env, cwd=cwd)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"hyperfine failed: {last_line(done.stderr or done.stdout)}")
    result = json.loads(out.read_text())["results"][0]
    if any(code not in (0, None) for code in result.get("exit_codes", [])):
        raise RuntimeError("a timed run exited non-zero")
    return [t * 1000 for t in result["times"]]


def spawn_measured(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int, int]:
    """One fresh child, stdout to a pipe (drained): (wall ms, exit code, peak RSS KiB)."""
    start = time.perf_counter_ns()
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    assert child.stdout is not None
    while child.stdout.read(65536):
        pass
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = (time.perf_counter_ns() - start) / 1e6
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stdout.close()
    return elapsed, child.returncode, usage.ru_maxrss


def python_times(row: Row, runs: int, warmup: int, cwd: Path) -> list[float]:
    """Fallback harness: warm-ups, then N runs timed with perf_counter_ns."""
    for _ in range(warmup):
        spawn_measured(row.argv, row.env, cwd)
    times = []
    for _ in range(runs):
        elapsed, code, _ = spawn_measured(row.argv, row.env, cwd)
        if code != 0:
            raise RuntimeError(f"a timed run exited {code}")
        times.append(elapsed)
    return times


RSS_LINE = re.compile(r"Maximum resident set size \(kbytes\):\s*(\d+)")


def peak_rss(row: Row, runs: int, cwd: Path, gnu_time: str | None, scratch: Path) -> list[int]:
    samples = []
    for _ in range(runs):
        if gnu_time:
            report = scratch / "time-v.txt"
            done = subprocess.run([gnu_time, "-v", "-o", str(report), *row.argv],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, env=row.env, cwd=cwd, timeout=300)
            match = RSS_LINE.search(report.read_text())
            if done.returncode != 0 or match is None:
                raise RuntimeError(f"/usr/bin/time -v run exited {done.returncode}")
            samples.append(int(match.group(1)))
        else:
            samples.append(rusage_peak(row.argv, row.env, cwd, scratch))
    return samples


# A fresh, small helper process per run spawns the command and reports
# getrusage(RUSAGE_CHILDREN).ru_maxrss. Spawning straight from this harness would not do: Linux
# folds the pre-exec memory of the forked child (a copy of this process) into ru_maxrss.
RUSAGE_HELPER = """\
import os, resource, sys
out, argv = sys.argv[1], sys.argv[2:]
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status = os.waitpid(pid, 0)
with open(out, "w") as f:
    f.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)
"""


def rusage_peak(argv: list[str], env: dict[str, str], cwd: Path, scratch: Path) -> int:
    report = scratch / "rusage.txt"
    done = subprocess.run([sys.executable, "-I", "-S", "-c", RUSAGE_HELPER, str(report), *argv],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, env=env, cwd=cwd, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"memory run exited {done.returncode}")
    return int(report.read_text())


def check(row: Row, cwd: Path) -> None:
    """The untimed first run: the command must succeed (and print JSON when it says so)."""
    if row.status != "pending":
        return
    log(f"check: {row.command}  [{row.catalog}]")
    done = check_run(row, cwd)
    if done.returncode != 0:
        row.status = "failed"
        row.note = f"exit {done.returncode}: {failure_line(done.stderr or done.stdout)}"
        log(f"  failed: {row.note}")
        return
    if row.json_output:
        try:
            json.loads(done.stdout)
        except ValueError:
            row.note = "output is not one JSON document"
    row.status = "checked"


def split_runs(runs: int, rounds: int) -> list[int]:
    """`runs` timed runs spread over `rounds` rounds as evenly as possible (each at least 1)."""
    rounds = max(1, min(rounds, runs))
    return [runs // rounds + (1 if index < runs % rounds else 0) for index in range(rounds)]


def time_rounds(rows: list[Row], args: argparse.Namespace, hyperfine: str | None, cwd: Path,
                scratch: Path) -> None:
    """Every checked row's timed runs, in rounds: each round times every row once in turn.

    On a shared machine the load drifts over minutes; timing row after row would put a
    baseline and the command compared with it in different minutes. Interleaved rounds give
    every row a share of each stretch, so the medians (and their ratios) see the same machine.
    """
    plan = split_runs(args.runs, args.rounds)
    for number, runs in enumerate(plan, 1):
        log(f"round {number}/{len(plan)}: {runs} timed run(s) per command")
        for row in rows:
            if row.status != "checked":
                continue
            try:
                if hyperfine:
                    row.times_ms += hyperfine_times(hyperfine, row, runs, args.warmup, cwd, scratch)
                else:
                    row.times_ms += python_times(row, runs, args.warmup, cwd)
            except (RuntimeError, OSError, subprocess.TimeoutExpired, ValueError, KeyError) as exc:
                row.status = "failed"
                row.note = str(exc)
                log(f"  failed: {row.command} [{row.catalog}]: {row.note}")


def measure_memory(row: Row, args: argparse.Namespace, gnu_time: str | None, cwd: Path,
                   scratch: Path) -> None:
    if row.status != "checked":
        return
    try:
        row.rss_kib = peak_rss(row, args.mem_runs, cwd, gnu_time, scratch)
        row.status = "ok"
        log(f"{row.command}  [{row.catalog}]: median {row.median_ms:.1f} ms, "
            f"peak RSS {row.rss_mib:.1f} MiB")
    except (RuntimeError, OSError, subprocess.TimeoutExpired, ValueError, KeyError) as exc:
        row.status = "failed"
        row.note = str(exc)
        log(f"  failed: {row.note}")


def measure(rows: list[Row], args: argparse.Namespace, hyperfine: str | None,
            gnu_time: str | None, cwd: Path, scratch: Path) -> None:
    """Check every row, time them all in interleaved rounds, then read their peak memory."""
    for row in rows:
        check(row, cwd)
    time_rounds(rows, args, hyperfine, cwd, scratch)
    for row in rows:
        measure_memory(row, args, gnu_time, cwd, scratch)


def imported_modules(python: Path, args: list[str], env: dict[str, str], cwd: Path,
                     script: bool = False) -> tuple[int, list[str]]:
    """`python -X importtime -m aicompare ARGS` (or a script): exit code, modules imported."""
    argv = [str(python), "-X", "importtime", *(args if script else ["-m", "aicompare", *args])]
    done = run_quiet(argv, timeout=300, env=env, cwd=cwd)
    names = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
             if line.startswith("import time:") and "|" in line]
    return done.returncode, [n for n in names if n and n != "imported package"]


def of_package(modules: list[str], package: str) -> list[str]:
    return [m for m in modules if m == package or m.startswith(package + ".")]


# --------------------------------------------------------------------------- reporting


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def ratio(row: Row | None, ref: Row | None) -> float | None:
    if row is None or ref is None or not row.ok or not ref.ok:
        return None
    return row.median_ms / ref.median_ms


def fmt_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@dataclass
class Budget:
    line: str
    status: str  # PASS | FAIL | NOT MEASURED
    detail: str


def ratio_budget(line: str, row: Row | None, ref: Row | None, limit: float) -> Budget:
    for which in (row, ref):
        if which is None or not which.ok:
            why = "skipped" if which is None else (
                f"{which.command.removeprefix('aicompare ')} [{which.catalog}] {which.status}"
                + (f": {which.note}" if which.note else ""))
            return Budget(line, "NOT MEASURED", why)
    value = row.median_ms / ref.median_ms
    status = "PASS" if value <= limit else "FAIL"
    return Budget(line, status,
                  f"{row.median_ms:.1f} ms / {ref.median_ms:.1f} ms = {value:.2f}× (limit {limit:.2f}×)")


def rss_budget(line: str, row: Row | None, limit: float) -> Budget:
    if row is None or not row.ok or row.rss_mib is None:
        why = "skipped" if row is None else row.status + (f": {row.note}" if row.note else "")
        return Budget(line, "NOT MEASURED", why)
    status = "PASS" if row.rss_mib <= limit else "FAIL"
    return Budget(line, status, f"{row.rss_mib:.1f} MiB (max of runs {max(row.rss_kib) / MIB:.1f}; "
                                f"limit {limit} MiB)")


def render_markdown(meta: dict[str, Any], rows: list[Row], budgets: list[Budget],
                    rich_checks: list[dict[str, Any]], typer_cmp: dict[str, Any] | None,
                    by_key: dict[str, Row]) -> str:
    genai, hello = by_key.get("genai"), by_key.get("hello")
    out = ["<!-- Generated by bench/run.py; rerun it rather than editing this file. -->", ""]
    out.append(meta["summary"])
    out.append("")
    out.append("| Command | Catalog | Median ms | Min–max ms | σ ms | Peak RSS MiB "
               "| × genai-prices | × Typer hello | × bundled | Notes |")
    out.append("|---|---|--:|--:|--:|--:|--:|--:|--:|---|")
    for row in rows:
        s = row.summary()
        span = "—" if not row.ok else f"{s['min_ms']:.1f}–{s['max_ms']:.1f}"
        bundled = None
        if row.group == "app" and row.catalog == LARGE:
            bundled = ratio(row, by_key.get(row.key.split("|")[0] + "|" + BUNDLED))
        vs_genai = ratio(row, genai) if row.key != "genai" and row.group != "typer" else None
        vs_hello = ratio(row, hello) if row.key != "hello" and row.group != "typer" else None
        note = row.note if row.status in ("ok", "pending") else f"{row.status}: {row.note}"
        if row.check_ms is not None and row.group == "app" and row.catalog == LARGE \
                and row.key == meta.get("first_large_key"):
            note = (note + "; " if note else "") + \
                f"first run after the import (untimed): {row.check_ms:.0f} ms"
        out.append("| " + " | ".join([
            f"`{md_cell(row.command)}`", row.catalog, ms(row.median_ms) if row.ok else "—", span,
            ms(s["stddev_ms"]) if row.ok else "—",
            f"{row.rss_mib:.1f}" if row.ok and row.rss_mib is not None else "—",
            fmt_ratio(vs_genai), fmt_ratio(vs_hello), fmt_ratio(bundled), md_cell(note),
        ]) + " |")
    out.append("")
    out.append("### Budget")
    out.append("")
    out.append("| Budget | Result | Measured |")
    out.append("|---|---|---|")
    for b in budgets:
        out.append(f"| {md_cell(b.line)} | **{b.status}** | {md_cell(b.detail)} |")
    out.append("")
    out.append("### Does `--json` / `--version` import rich?")
    out.append("")
    out.append("`python -X importtime -m aicompare …` with the same environment; stderr searched for "
               "the `rich` package.")
    out.append("")
    out.append("| Command | Catalog | Imports rich |")
    out.append("|---|---|---|")
    for c in rich_checks:
        answer = c["answer"] + (f" ({', '.join(c['rich_modules'][:3])} …)" if c["rich_modules"] else "")
        out.append(f"| `{md_cell(c['command'])}` | {c['catalog']} | {md_cell(answer)} |")
    if typer_cmp:
        out.append("")
        out.append("### Typer's own start-up (`--typer-compare`)")
        out.append("")
        out.append("| Measurement | " + " | ".join(f"Typer {v}" for v in typer_cmp["versions"])
                   + " | Difference |")
        out.append("|---|" + "--:|" * (len(typer_cmp["versions"]) + 1))
        for line in typer_cmp["lines"]:
            out.append("| " + " | ".join(md_cell(str(x)) for x in line) + " |")
        if typer_cmp.get("note"):
            out.append("")
            out.append(typer_cmp["note"])
    out.append("")
    out.append("Notes:")
    out.append("")
    for note in meta["notes"]:
        out.append(f"- {note}")
    out.append("")
    return "\n".join(out)


def git_commit() -> str:
    """The checked-out commit, read from .git without running git (best effort)."""
    try:
        git = REPO / ".git"
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head[:12]
        ref = head[5:]
        if (git / ref).exists():
            return (git / ref).read_text().strip()[:12]
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0][:12]
    except OSError:
        pass
    return "unknown"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Benchmark aicompare's start-up time and peak memory against baselines "
                    "and check the performance budget.")
    parser.add_argument("--runs", type=int, default=None,
                        help=f"timed runs per command (default {DEFAULT_RUNS}; {QUICK_RUNS} with --quick)")
    parser.add_argument("--rounds", type=int, default=None,
                        help=f"interleave the timed runs in this many rounds, every command once per "
                             f"round (default {DEFAULT_ROUNDS}; {QUICK_ROUNDS} with --quick)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="untimed warm-up runs per command before the timed ones (default 1)")
    parser.add_argument("--mem-runs", type=int, default=None,
                        help=f"peak-memory runs per command (default {DEFAULT_MEM_RUNS}; "
                             f"{QUICK_MEM_RUNS} with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="fewer runs, for a smoke test; numbers are noisier")
    parser.add_argument("--typer-compare", action="store_true",
                        help="also time `import typer` and the hello-world under Typer 0.28 (installed) "
                             "and 0.29.x (throwaway venv bench/.typer029-venv)")
    parser.add_argument("--skip-large", action="store_true",
                        help="skip the rows with the LiteLLM map imported into the user layer")
    parser.add_argument("--litellm", type=Path, default=DEFAULT_LITELLM,
                        help="LiteLLM model_prices_and_context_window.json (default: "
                             "../shared/reference/litellm/ next to the repository)")
    parser.add_argument("--no-install", action="store_true",
                        help="no apt-get and no side venvs: use what is already there (a missing "
                             ".venv is still created, since nothing runs without it)")
    parser.add_argument("--harness", choices=("auto", "python"), default="auto",
                        help="auto: hyperfine when available; python: always the built-in harness")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 if any budget line is FAIL or NOT MEASURED")
    args = parser.parse_args(argv)
    if args.runs is None:
        args.runs = QUICK_RUNS if args.quick else DEFAULT_RUNS
    if args.rounds is None:
        args.rounds = QUICK_ROUNDS if args.quick else DEFAULT_ROUNDS
    if args.mem_runs is None:
        args.mem_runs = QUICK_MEM_RUNS if args.quick else DEFAULT_MEM_RUNS
    if args.runs < 2 or args.mem_runs < 1 or args.warmup < 0 or args.rounds < 1:
        parser.error("--runs must be at least 2, --mem-runs and --rounds at least 1, --warmup at least 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    allow_install = not args.no_install

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)

    python, aicompare = ensure_app_venv()
    hyperfine, hyperfine_version = (None, "") if args.harness == "python" else find_hyperfine(allow_install)
    gnu_time = find_gnu_time(allow_install)

    tmp_parent = Path(tempfile.gettempdir()).resolve()
    if tmp_parent == REPO or REPO in tmp_parent.parents:
        tmp_parent = Path("/tmp")
    tmp = Path(tempfile.mkdtemp(prefix="aicompare-bench-", dir=tmp_parent))
    try:
        return run_all(args, allow_install, python, aicompare, hyperfine, hyperfine_version,
                       gnu_time, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_all(args: argparse.Namespace, allow_install: bool, python: Path, aicompare: Path,
            hyperfine: str | None, hyperfine_version: str, gnu_time: str | None, tmp: Path) -> int:
    cwd = tmp / "cwd"  # every timed run starts here, outside the repository
    scratch = tmp / "scratch"
    cwd.mkdir()
    scratch.mkdir()
    load_before = os.getloadavg()
    started = dt.datetime.now(dt.timezone.utc)

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
    venv_python = run_quiet([str(python), "-c", "import platform; print(platform.python_version())"])
    versions["python"] = venv_python.stdout.strip() or versions["python"]

    rows: list[Row] = []
    by_key: dict[str, Row] = {}

    def add(row: Row) -> Row:
        rows.append(row)
        by_key[row.key] = row
        return row

    # Baselines.
    add(Row("python", "python -c pass", "—", [str(python), "-c", "pass"], base_env, "baseline"))
    add(Row("hello", "python bench/hello_typer.py --name World", "—",
            [str(python), str(BENCH / "hello_typer.py"), "--name", "World"], base_env, "baseline"))
    genai_argv, genai_version, genai_why = genai_prices_argv(allow_install, python)
    genai_label = "genai-prices calc -i 1000 -o 1000 gpt-4o"
    if genai_argv:
        genai_label = "genai-prices " + " ".join(genai_argv[1:])
    genai = add(Row("genai", genai_label, "—", genai_argv or [], base_env, "baseline"))
    if not genai_argv:
        genai.status, genai.note = "unavailable", genai_why
    elif genai_version:
        genai.note = f"genai-prices {genai_version}"

    # aicompare with the bundled catalog (and an empty user config directory).
    for key, cmd_args, _ in APP_COMMANDS:
        add(Row(f"{key}|{BUNDLED}", "aicompare " + " ".join(cmd_args), BUNDLED,
                [str(aicompare), *cmd_args], bundled_env, "app",
                json_output="--json" in cmd_args))

    # For the record, not the budget: `diff --json` through the same code, but ending the way a
    # Python program usually does, with the interpreter's teardown (the console script skips it:
    # src/aicompare/_entry.py). The difference is what skipping it saves.
    teardown = ("import sys; from aicompare._entry import main; "
                "sys.argv = ['aicompare', 'diff', 'gpt-image-1', 'o4-mini', '--json']; main()")
    add(Row("diff --json|teardown", "aicompare diff gpt-image-1 o4-mini --json, with teardown", BUNDLED,
            [str(python), "-c", teardown], bundled_env, "app", json_output=True,
            note="`_entry.main()` and a normal interpreter exit, instead of the console script"))

    # The same with the LiteLLM map imported into the user's layer.
    import_info: dict[str, Any] = {"attempted": False}
    large_rows = []
    for key, cmd_args, _ in APP_COMMANDS:
        large_rows.append(add(Row(f"{key}|{LARGE}", "aicompare " + " ".join(cmd_args), LARGE,
                                  [str(aicompare), *cmd_args], large_env, "app",
                                  json_output="--json" in cmd_args)))
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
        written = sorted(str(p.relative_to(config)) + f" ({p.stat().st_size} bytes)"
                         for p in config.rglob("*") if p.is_file())
        import_info = {"attempted": True, "argv": import_argv[1:], "exit_code": done.returncode,
                       "wall_ms": elapsed, "files_written": written,
                       "stderr_tail": (done.stderr or "")[-2000:], "stdout_tail": (done.stdout or "")[-2000:]}
        why = ""
        if done.returncode != 0:
            why = (f"`aicompare catalog import --from litellm` failed (exit {done.returncode}: "
                   f"{failure_line(done.stderr or done.stdout)})")
        elif not any(p.is_file() and p.stat().st_size > 0 and p.suffix != ".lock"
                     for p in config.rglob("*")):
            why = "`aicompare catalog import` exited 0 but wrote nothing under XDG_CONFIG_HOME"
        if why:
            import_info["failure"] = why
            log("large-layer rows cannot be measured: " + why)
            for row in large_rows:
                row.status, row.note = "not measured", "the LiteLLM import failed (see the notes)"
        else:
            log(f"import took {elapsed:.0f} ms; wrote {', '.join(written)}")

    measure(rows, args, hyperfine, gnu_time, cwd, scratch)

    # Which commands import rich?
    rich_checks = []
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
            rich_checks.append({"command": "aicompare " + " ".join(cmd_args), "catalog": catalog,
                                "key": row.key, "exit_code": code, "answer": answer,
                                "rich_modules": found})

    typer_cmp = typer_compare(args, allow_install, python, base_env, hyperfine, gnu_time, cwd,
                              scratch, rows, by_key, versions["typer"]) if args.typer_compare else None

    # Budget lines.
    budgets = [
        ratio_budget(f"`diff --json` ≤ {BUDGET_VS_GENAI_JSON:.2f}× genai-prices calc",
                     by_key[f"diff --json|{BUNDLED}"], genai, BUDGET_VS_GENAI_JSON),
        ratio_budget(f"`diff --json` ≤ {BUDGET_VS_HELLO_JSON:.2f}× Typer hello-world",
                     by_key[f"diff --json|{BUNDLED}"], by_key["hello"], BUDGET_VS_HELLO_JSON),
        ratio_budget(f"`diff` (table) ≤ {BUDGET_VS_GENAI_TABLE:.2f}× genai-prices calc",
                     by_key[f"diff (table)|{BUNDLED}"], genai, BUDGET_VS_GENAI_TABLE),
    ]
    for key, _, _ in APP_COMMANDS:
        budgets.append(ratio_budget(f"`{key}` with the LiteLLM layer ≤ {BUDGET_LARGE_VS_BUNDLED:.2f}× bundled",
                                    by_key[f"{key}|{LARGE}"], by_key[f"{key}|{BUNDLED}"],
                                    BUDGET_LARGE_VS_BUNDLED))
    for key, _, _ in APP_COMMANDS:
        budgets.append(rss_budget(f"`{key}` peak RSS ≤ {BUDGET_RSS_BUNDLED_MIB} MiB (bundled)",
                                  by_key[f"{key}|{BUNDLED}"], BUDGET_RSS_BUNDLED_MIB))
    for key, _, _ in APP_COMMANDS:
        budgets.append(rss_budget(f"`{key}` peak RSS ≤ {BUDGET_RSS_LARGE_MIB} MiB (LiteLLM layer)",
                                  by_key[f"{key}|{LARGE}"], BUDGET_RSS_LARGE_MIB))
    for key, _, no_rich in APP_COMMANDS:
        if not no_rich:
            continue
        for catalog in (BUNDLED, LARGE):
            line = f"`{key}` does not import rich ({catalog})"
            check = next((c for c in rich_checks if c["key"] == f"{key}|{catalog}"), None)
            if check is None:
                budgets.append(Budget(line, "NOT MEASURED", by_key[f"{key}|{catalog}"].note))
            elif check["answer"] == "no":
                budgets.append(Budget(line, "PASS", "no rich module imported"))
            elif check["answer"] == "yes":
                budgets.append(Budget(line, "FAIL", "imports " + ", ".join(check["rich_modules"][:5])))
            else:
                budgets.append(Budget(line, "NOT MEASURED", f"command {check['answer']}"))

    load_after = os.getloadavg()
    harness = (f"{hyperfine_version} (`-N --warmup {args.warmup} --runs {args.runs} --output pipe`)"
               if hyperfine else
               f"the built-in harness (subprocess + perf_counter_ns, {args.warmup} warm-up, "
               f"{args.runs} runs, stdout to a pipe)")
    if gnu_time:
        memory = ("median of `/usr/bin/time -v` \"Maximum resident set size\" over "
                  f"{args.mem_runs} runs")
    else:
        floor = rusage_peak(["true"], base_env, cwd, scratch) / MIB
        memory = (f"median of ru_maxrss (getrusage(RUSAGE_CHILDREN) in a fresh helper process "
                  f"per run) over {args.mem_runs} runs; values below the helper's own "
                  f"{floor:.1f} MiB are not meaningful")
    summary = (f"Measured {started:%Y-%m-%d %H:%M} UTC at commit `{git_commit()}` on {cpu_model()}, "
               f"{os.cpu_count()} cores, Linux {platform.release()}; Python {versions['python']}, "
               f"aicompare {versions['aicompare']}, Typer {versions['typer']}, rich {versions['rich']}. "
               f"Wall time: {harness}; peak memory: {memory}.")
    notes = [
        "Each command runs once untimed to check that it succeeds, then "
        f"{args.warmup} untimed warm-up run(s), then {args.runs} timed runs, each a fresh process "
        "(\"cold\" means a new interpreter; the OS file cache and `.pyc` files are warm). A cache "
        "that the first run after the catalog import builds is therefore never in the timed runs.",
        "Times are medians; ratios are medians over medians from this same run. σ is the sample "
        "standard deviation.",
        "Environment of the timed runs: FORCE_COLOR, NO_COLOR, COLUMNS, PYTHON* and AICOMPARE_* "
        "unset; XDG_CONFIG_HOME/XDG_CACHE_HOME/XDG_DATA_HOME/XDG_STATE_HOME point to a fresh "
        "temporary directory per catalog configuration (empty for \"bundled\"; holding the "
        "imported LiteLLM map for \"bundled + LiteLLM\"); working directory outside the "
        "repository; stdout to a pipe, so the table `diff` renders as it would into `| less`.",
        f"Load average before/after: {load_before[0]:.2f}/{load_after[0]:.2f} "
        f"on {os.cpu_count()} cores: small machines are noisy; compare ratios rather than "
        "absolute times, and rerun before trusting a result within ~10% of a limit.",
    ]
    if import_info.get("attempted"):
        if import_info["exit_code"] == 0 and import_info["files_written"]:
            notes.append(f"LiteLLM import (`{shlex.join(import_info['argv'][:-1])} …/"
                         f"{Path(import_info['argv'][-1]).name}`) took "
                         f"{import_info['wall_ms']:.0f} ms once, untimed in the table; it wrote "
                         f"{', '.join(import_info['files_written'])}.")
        else:
            notes.append("The \"bundled + LiteLLM\" rows could not be measured: "
                         + import_info["failure"] + ".")
    first_large = next((r for r in large_rows if r.check_ms is not None and r.status == "ok"), None)
    meta: dict[str, Any] = {
        "started_utc": started.isoformat(timespec="seconds"),
        "commit": git_commit(), "cpu": cpu_model(), "cores": os.cpu_count(),
        "kernel": platform.release(), "versions": versions,
        "harness": "hyperfine" if hyperfine else "python", "hyperfine_version": hyperfine_version,
        "memory_tool": "/usr/bin/time -v" if gnu_time else "wait4 ru_maxrss",
        "runs": args.runs, "warmup": args.warmup, "mem_runs": args.mem_runs,
        "loadavg_before": load_before, "loadavg_after": load_after,
        "summary": summary, "notes": notes,
        "first_large_key": first_large.key if first_large else None,
        "litellm_file": str(args.litellm), "import": import_info,
    }

    markdown = render_markdown(meta, rows, budgets, rich_checks, typer_cmp, by_key)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(markdown)
    payload = {"meta": meta, "rows": [r.summary() for r in rows],
               "budgets": [b.__dict__ for b in budgets], "rich_import_check": rich_checks,
               "typer_compare": typer_cmp}
    (RESULTS / "latest.json").write_text(json.dumps(payload, indent=2, default=str) + "\n")

    print(markdown)
    print("Budget:")
    for b in budgets:
        print(f"  {b.status:<12} {b.line.replace('`', '')}: {b.detail}")
    print()
    print(f"Wrote {RESULTS / 'latest.md'} and {RESULTS / 'latest.json'}")
    if args.strict and any(b.status != "PASS" for b in budgets):
        return 1
    return 0


def typer_compare(args: argparse.Namespace, allow_install: bool, python: Path,
                  env: dict[str, str], hyperfine: str | None, gnu_time: str | None, cwd: Path,
                  scratch: Path, rows: list[Row], by_key: dict[str, Row],
                  installed: str) -> dict[str, Any]:
    """`import typer` and the hello-world under the installed Typer and under 0.29.x."""
    hello = str(BENCH / "hello_typer.py")
    venv_python = TYPER029_VENV / "bin" / "python"
    ok, why = ensure_side_venv(TYPER029_VENV, python, "typer>=0.29,<0.30",
                               [str(venv_python), "-c",
                                "import typer, sys; sys.exit(not typer.__version__.startswith('0.29'))"],
                               allow_install)
    other = package_version(venv_python, "typer") if ok else "0.29.x"
    pythons = [(installed, python), (other, venv_python)]
    per_version: dict[str, dict[str, Any]] = {}
    for version, py in pythons:
        imp = Row(f"typer-import|{version}", f'python -c "import typer"  (Typer {version})', "—",
                  [str(py), "-c", "import typer"], env, "typer")
        hw = by_key["hello"] if py == python else Row(
            f"typer-hello|{version}", f"python bench/hello_typer.py --name World  (Typer {version})",
            "—", [str(py), hello, "--name", "World"], env, "typer")
        if py != python and not ok:
            for row in (imp, hw):
                row.status, row.note = "unavailable", why
        for row in (imp, hw):
            if row.key not in by_key:
                rows.append(row)
                by_key[row.key] = row
        measure([imp, hw], args, hyperfine, gnu_time, cwd, scratch)
        pydantic = "n/a"
        if imp.status != "unavailable":
            code, modules = imported_modules(py, [hello, "--name", "World"], env, cwd, script=True)
            pydantic = "n/a" if code != 0 else ("yes" if of_package(modules, "pydantic") else "no")
        per_version[version] = {"import": imp, "hello": hw, "pydantic": pydantic}

    versions = [v for v, _ in pythons]
    a, b = per_version[versions[0]], per_version[versions[1]]

    def diff_ms(x: Row, y: Row) -> str:
        return "—" if not (x.ok and y.ok) else f"{y.median_ms - x.median_ms:+.1f} ms"

    def diff_mib(x: Row, y: Row) -> str:
        return "—" if not (x.ok and y.ok) else f"{y.rss_mib - x.rss_mib:+.1f} MiB"

    lines = [
        ["`import typer`, median ms", ms(a["import"].median_ms) if a["import"].ok else "—",
         ms(b["import"].median_ms) if b["import"].ok else "—", diff_ms(a["import"], b["import"])],
        ["hello-world, median ms", ms(a["hello"].median_ms) if a["hello"].ok else "—",
         ms(b["hello"].median_ms) if b["hello"].ok else "—", diff_ms(a["hello"], b["hello"])],
        ["hello-world, peak RSS MiB",
         f"{a['hello'].rss_mib:.1f}" if a["hello"].ok else "—",
         f"{b['hello'].rss_mib:.1f}" if b["hello"].ok else "—", diff_mib(a["hello"], b["hello"])],
        ["hello-world imports pydantic", a["pydantic"], b["pydantic"], ""],
    ]
    return {"versions": versions, "lines": lines,
            "note": "" if ok else f"Typer 0.29.x unavailable: {why}",
            "rows": {v: {"import": d["import"].key, "hello": d["hello"].key, "pydantic": d["pydantic"]}
                     for v, d in per_version.items()}}


if __name__ == "__main__":
    sys.exit(main())
