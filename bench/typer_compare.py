"""`bench/run.py --typer-compare`: Typer's own start-up, the installed Typer (0.28) against 0.29.x
in a throwaway venv (bench/.typer029-venv): `import typer`, the hello-world, its peak memory, and
whether it imports pydantic (docs/performance.md says why typer is pinned below 0.29).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cases import BENCH, TYPER029_VENV, ensure_side_venv, package_version
from harness import Row, imported_modules, measure, of_package
from report import ms


def typer_compare(
    args: argparse.Namespace,
    allow_install: bool,
    python: Path,
    env: dict[str, str],
    hyperfine: str | None,
    gnu_time: str | None,
    cwd: Path,
    scratch: Path,
    rows: list[Row],
    by_key: dict[str, Row],
    installed: str,
) -> dict[str, Any]:
    """`import typer` and the hello-world under the installed Typer and under 0.29.x."""
    hello = str(BENCH / "hello_typer.py")
    venv_python = TYPER029_VENV / "bin" / "python"
    ok, why = ensure_side_venv(
        TYPER029_VENV,
        python,
        "typer>=0.29,<0.30",
        [
            str(venv_python),
            "-c",
            "import typer, sys; sys.exit(not typer.__version__.startswith('0.29'))",
        ],
        allow_install,
    )
    other = package_version(venv_python, "typer") if ok else "0.29.x"
    pythons = [(installed, python), (other, venv_python)]
    per_version: dict[str, dict[str, Any]] = {}
    for version, py in pythons:
        imp = Row(
            f"typer-import|{version}",
            f'python -c "import typer"  (Typer {version})',
            "—",
            [str(py), "-c", "import typer"],
            env,
            "typer",
        )
        hw = (
            by_key["hello"]
            if py == python
            else Row(
                f"typer-hello|{version}",
                f"python bench/hello_typer.py --name World  (Typer {version})",
                "—",
                [str(py), hello, "--name", "World"],
                env,
                "typer",
            )
        )
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
        [
            "`import typer`, median ms",
            ms(a["import"].median_ms) if a["import"].ok else "—",
            ms(b["import"].median_ms) if b["import"].ok else "—",
            diff_ms(a["import"], b["import"]),
        ],
        [
            "hello-world, median ms",
            ms(a["hello"].median_ms) if a["hello"].ok else "—",
            ms(b["hello"].median_ms) if b["hello"].ok else "—",
            diff_ms(a["hello"], b["hello"]),
        ],
        [
            "hello-world, peak RSS MiB",
            f"{a['hello'].rss_mib:.1f}" if a["hello"].ok else "—",
            f"{b['hello'].rss_mib:.1f}" if b["hello"].ok else "—",
            diff_mib(a["hello"], b["hello"]),
        ],
        ["hello-world imports pydantic", a["pydantic"], b["pydantic"], ""],
    ]
    return {
        "versions": versions,
        "lines": lines,
        "note": "" if ok else f"Typer 0.29.x unavailable: {why}",
        "rows": {
            v: {"import": d["import"].key, "hello": d["hello"].key, "pydantic": d["pydantic"]}
            for v, d in per_version.items()
        },
    }
