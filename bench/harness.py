"""The measuring harness of bench/run.py: processes, timing, interleaved rounds, memory, imports.

A `Row` is any command line with its environment; what the rows are is cases.py's business.
Wall time comes from hyperfine when there is one (`find_hyperfine`), else from `python_times`;
peak memory from GNU time (`find_gnu_time`), else from a small helper process (`rusage_peak`).
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MIB = 1024  # ru_maxrss and GNU time report KiB


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- processes and tools


def run_quiet(
    argv: list[str],
    *,
    timeout: float = 900,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a set-up command, capturing its output; never raises for a non-zero exit."""
    try:
        return subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            check=False,
        )
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


# --------------------------------------------------------------------------- rows


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
            "key": self.key,
            "command": self.command,
            "catalog": self.catalog,
            "group": self.group,
            "argv": self.argv,
            "status": self.status,
            "note": self.note,
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
    env = {
        k: v
        for k, v in base.items()
        if k not in ("FORCE_COLOR", "NO_COLOR", "COLUMNS", "LINES", "CLICOLOR_FORCE")
        and not k.startswith(("PYTHON", "AICOMPARE_"))
    }
    if xdg_root is not None:
        for name in ("CONFIG", "CACHE", "DATA", "STATE"):
            path = xdg_root / name.lower()
            path.mkdir(parents=True, exist_ok=True)
            env[f"XDG_{name}_HOME"] = str(path)
    return env


# --------------------------------------------------------------------------- wall time


def check_run(row: Row, cwd: Path) -> subprocess.CompletedProcess[str]:
    start = time.perf_counter_ns()
    done = run_quiet(row.argv, timeout=300, env=row.env, cwd=cwd)
    row.check_ms = (time.perf_counter_ns() - start) / 1e6
    return done


def hyperfine_times(
    hyperfine: str, row: Row, runs: int, warmup: int, cwd: Path, scratch: Path
) -> list[float]:
    out = scratch / ("hyperfine-" + re.sub(r"[^A-Za-z0-9]+", "_", row.key) + ".json")
    argv = [
        hyperfine,
        "-N",
        "--warmup",
        str(warmup),
        "--runs",
        str(runs),
        "--output",
        "pipe",
        "--style",
        "none",
        "--export-json",
        str(out),
        "--command-name",
        row.command,
        shlex.join(row.argv),
    ]
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
    child = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
    )
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


# --------------------------------------------------------------------------- peak memory


RSS_LINE = re.compile(r"Maximum resident set size \(kbytes\):\s*(\d+)")


def peak_rss(row: Row, runs: int, cwd: Path, gnu_time: str | None, scratch: Path) -> list[int]:
    samples = []
    for _ in range(runs):
        if gnu_time:
            report = scratch / "time-v.txt"
            done = subprocess.run(
                [gnu_time, "-v", "-o", str(report), *row.argv],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=row.env,
                cwd=cwd,
                timeout=300,
                check=False,
            )
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
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", RUSAGE_HELPER, str(report), *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"memory run exited {done.returncode}")
    return int(report.read_text())


# --------------------------------------------------------------------------- a set of rows


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


def time_rounds(
    rows: list[Row], args: argparse.Namespace, hyperfine: str | None, cwd: Path, scratch: Path
) -> None:
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


def measure_memory(
    row: Row, args: argparse.Namespace, gnu_time: str | None, cwd: Path, scratch: Path
) -> None:
    if row.status != "checked":
        return
    try:
        row.rss_kib = peak_rss(row, args.mem_runs, cwd, gnu_time, scratch)
        row.status = "ok"
        log(
            f"{row.command}  [{row.catalog}]: median {row.median_ms:.1f} ms, "
            f"peak RSS {row.rss_mib:.1f} MiB"
        )
    except (RuntimeError, OSError, subprocess.TimeoutExpired, ValueError, KeyError) as exc:
        row.status = "failed"
        row.note = str(exc)
        log(f"  failed: {row.note}")


def measure(
    rows: list[Row],
    args: argparse.Namespace,
    hyperfine: str | None,
    gnu_time: str | None,
    cwd: Path,
    scratch: Path,
) -> None:
    """Check every row, time them all in interleaved rounds, then read their peak memory."""
    for row in rows:
        check(row, cwd)
    time_rounds(rows, args, hyperfine, cwd, scratch)
    for row in rows:
        measure_memory(row, args, gnu_time, cwd, scratch)


# --------------------------------------------------------------------------- imports


def imported_modules(
    python: Path, args: list[str], env: dict[str, str], cwd: Path, script: bool = False
) -> tuple[int, list[str]]:
    """`python -X importtime -m aicompare ARGS` (or a script): exit code, modules imported."""
    argv = [str(python), "-X", "importtime", *(args if script else ["-m", "aicompare", *args])]
    done = run_quiet(argv, timeout=300, env=env, cwd=cwd)
    names = [
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    return done.returncode, [n for n in names if n and n != "imported package"]


def of_package(modules: list[str], package: str) -> list[str]:
    return [m for m in modules if m == package or m.startswith(package + ".")]
