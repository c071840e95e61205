"""The report of bench/run.py: the run's description (machine, versions, method, notes), the
Markdown section docs/performance.md includes, bench/results/latest.{md,json} and the budget
lines printed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
from pathlib import Path
from typing import Any

from cases import BUNDLED, LARGE, REPO, RESULTS, Budget
from harness import Row


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


# --------------------------------------------------------------------------- the machine


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


# --------------------------------------------------------------------------- the run described


def describe(
    args: argparse.Namespace,
    started: dt.datetime,
    versions: dict[str, str],
    hyperfine: str | None,
    hyperfine_version: str,
    gnu_time: str | None,
    rusage_floor_mib: float | None,
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
    import_info: dict[str, Any],
    large_rows: list[Row],
) -> dict[str, Any]:
    """The run's metadata: the summary sentence and the notes under the table, for latest.json too.

    `rusage_floor_mib` is the helper process's own peak (measured without GNU time only)."""
    harness = (
        f"{hyperfine_version} (`-N --warmup {args.warmup} --runs {args.runs} --output pipe`)"
        if hyperfine
        else f"the built-in harness (subprocess + perf_counter_ns, {args.warmup} warm-up, "
        f"{args.runs} runs, stdout to a pipe)"
    )
    if gnu_time:
        memory = (
            f'median of `/usr/bin/time -v` "Maximum resident set size" over {args.mem_runs} runs'
        )
    else:
        memory = (
            f"median of ru_maxrss (getrusage(RUSAGE_CHILDREN) in a fresh helper process "
            f"per run) over {args.mem_runs} runs; values below the helper's own "
            f"{rusage_floor_mib:.1f} MiB are not meaningful"
        )
    summary = (
        f"Measured {started:%Y-%m-%d %H:%M} UTC at commit `{git_commit()}` on {cpu_model()}, "
        f"{os.cpu_count()} cores, Linux {platform.release()}; Python {versions['python']}, "
        f"aicompare {versions['aicompare']}, Typer {versions['typer']}, rich {versions['rich']}. "
        f"Wall time: {harness}; peak memory: {memory}."
    )
    notes = [
        (
            "Each command runs once untimed to check that it succeeds, then "
            f"{args.warmup} untimed warm-up run(s), then {args.runs} timed runs, each a fresh process "
            '("cold" means a new interpreter; the OS file cache and `.pyc` files are warm). A cache '
            "that the first run after the catalog import builds is therefore never in the timed runs."
        ),
        (
            "Times are medians; ratios are medians over medians from this same run. σ is the sample "
            "standard deviation."
        ),
        (
            "Environment of the timed runs: FORCE_COLOR, NO_COLOR, COLUMNS, PYTHON* and AICOMPARE_* "
            "unset; XDG_CONFIG_HOME/XDG_CACHE_HOME/XDG_DATA_HOME/XDG_STATE_HOME point to a fresh "
            'temporary directory per catalog configuration (empty for "bundled"; holding the '
            'imported LiteLLM map for "bundled + LiteLLM"); working directory outside the '
            "repository; stdout to a pipe, so the table `diff` renders as it would into `| less`."
        ),
        (
            f"Load average before/after: {load_before[0]:.2f}/{load_after[0]:.2f} "
            f"on {os.cpu_count()} cores: small machines are noisy; compare ratios rather than "
            "absolute times, and rerun before trusting a result within ~10% of a limit."
        ),
    ]
    if import_info.get("attempted"):
        if import_info["exit_code"] == 0 and import_info["files_written"]:
            notes.append(
                f"LiteLLM import (`{shlex.join(import_info['argv'][:-1])} …/"
                f"{Path(import_info['argv'][-1]).name}`) took "
                f"{import_info['wall_ms']:.0f} ms once, untimed in the table; it wrote "
                f"{', '.join(import_info['files_written'])}."
            )
        else:
            notes.append(
                'The "bundled + LiteLLM" rows could not be measured: '
                + import_info["failure"]
                + "."
            )
    first_large = next((r for r in large_rows if r.check_ms is not None and r.status == "ok"), None)
    return {
        "started_utc": started.isoformat(timespec="seconds"),
        "commit": git_commit(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "versions": versions,
        "harness": "hyperfine" if hyperfine else "python",
        "hyperfine_version": hyperfine_version,
        "memory_tool": "/usr/bin/time -v" if gnu_time else "wait4 ru_maxrss",
        "runs": args.runs,
        "warmup": args.warmup,
        "mem_runs": args.mem_runs,
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "summary": summary,
        "notes": notes,
        "first_large_key": first_large.key if first_large else None,
        "litellm_file": str(args.litellm),
        "import": import_info,
    }


# --------------------------------------------------------------------------- Markdown


def render_markdown(
    meta: dict[str, Any],
    rows: list[Row],
    budgets: list[Budget],
    rich_checks: list[dict[str, Any]],
    typer_cmp: dict[str, Any] | None,
    by_key: dict[str, Row],
) -> str:
    genai, hello = by_key.get("genai"), by_key.get("hello")
    out = ["<!-- Generated by bench/run.py; rerun it rather than editing this file. -->", ""]
    out.append(meta["summary"])
    out.append("")
    out.append(
        "| Command | Catalog | Median ms | Min–max ms | σ ms | Peak RSS MiB "
        "| × genai-prices | × Typer hello | × bundled | Notes |"
    )
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
        if (
            row.check_ms is not None
            and row.group == "app"
            and row.catalog == LARGE
            and row.key == meta.get("first_large_key")
        ):
            note = (
                note + "; " if note else ""
            ) + f"first run after the import (untimed): {row.check_ms:.0f} ms"
        out.append(
            "| "
            + " | ".join(
                [
                    f"`{md_cell(row.command)}`",
                    row.catalog,
                    ms(row.median_ms) if row.ok else "—",
                    span,
                    ms(s["stddev_ms"]) if row.ok else "—",
                    f"{row.rss_mib:.1f}" if row.ok and row.rss_mib is not None else "—",
                    fmt_ratio(vs_genai),
                    fmt_ratio(vs_hello),
                    fmt_ratio(bundled),
                    md_cell(note),
                ]
            )
            + " |"
        )
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
    out.append(
        "`python -X importtime -m aicompare …` with the same environment; stderr searched for "
        "the `rich` package."
    )
    out.append("")
    out.append("| Command | Catalog | Imports rich |")
    out.append("|---|---|---|")
    for c in rich_checks:
        answer = c["answer"] + (
            f" ({', '.join(c['rich_modules'][:3])} …)" if c["rich_modules"] else ""
        )
        out.append(f"| `{md_cell(c['command'])}` | {c['catalog']} | {md_cell(answer)} |")
    if typer_cmp:
        out.append("")
        out.append("### Typer's own start-up (`--typer-compare`)")
        out.append("")
        out.append(
            "| Measurement | "
            + " | ".join(f"Typer {v}" for v in typer_cmp["versions"])
            + " | Difference |"
        )
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


# --------------------------------------------------------------------------- output


def write_results(
    meta: dict[str, Any],
    rows: list[Row],
    budgets: list[Budget],
    rich_checks: list[dict[str, Any]],
    typer_cmp: dict[str, Any] | None,
    by_key: dict[str, Row],
) -> None:
    """bench/results/latest.md and latest.json, then the Markdown and the budget lines on stdout."""
    markdown = render_markdown(meta, rows, budgets, rich_checks, typer_cmp, by_key)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(markdown)
    payload = {
        "meta": meta,
        "rows": [r.summary() for r in rows],
        "budgets": [b.__dict__ for b in budgets],
        "rich_import_check": rich_checks,
        "typer_compare": typer_cmp,
    }
    (RESULTS / "latest.json").write_text(json.dumps(payload, indent=2, default=str) + "\n")

    print(markdown)
    print("Budget:")
    for b in budgets:
        print(f"  {b.status:<12} {b.line.replace('`', '')}: {b.detail}")
    print()
    print(f"Wrote {RESULTS / 'latest.md'} and {RESULTS / 'latest.json'}")
