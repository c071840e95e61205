"""Where `catalog build` finds its tooling: tools/catalog_build of the source checkout, not the
installed package. Run as `python -m tools.catalog_build` from the checkout root and as
`aicompare catalog build` from anywhere with an editable install; a copy of the tooling from
another checkout, or another package named `tools`, is refused with an error, not a traceback.
(tests/test_packaging.py checks that the wheel carries no tools/ and says so when asked to build.)
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from terminal import base_env
from terminal import run as run_aicompare

from aicompare.errors import AicompareError
from aicompare.tooling import catalog_build_tooling, checkout_root
from tools.catalog_build import build

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "data" / "curate"
HINT = (
    "clone the repository, install it with 'pip install -e .' and run 'aicompare catalog "
    "build' (or 'python -m tools.catalog_build') in the checkout"
)


def fixture_args(out: Path) -> list[str]:
    return [
        "--reference",
        str(FIXTURE / "reference"),
        "--curation",
        str(FIXTURE / "curation.toml"),
        "--out",
        str(out),
    ]


def summary() -> str:
    """The command's summary of the fixture build, from the build itself."""
    result = build(FIXTURE / "reference", FIXTURE / "curation.toml")
    counts, check = result.counts(), result.check
    return (
        f"{counts['models']} models from {counts['makers']} makers "
        f"({counts['image_models_with_grids']} image models with per-image prices); "
        f"cross-check: {check.checked} figures checked, {check.agreeing} agree, "
        f"{check.curated} curated"
    )


def python_m(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.catalog_build", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=base_env(),
        timeout=120,
        check=False,
    )


def test_the_checkout_is_found_from_the_package() -> None:
    assert checkout_root() == ROOT
    tooling = catalog_build_tooling()
    source = Path(tooling.build.__code__.co_filename)
    assert source == ROOT / "tools" / "catalog_build" / "curate.py"


def test_python_m_tools_catalog_build(tmp_path: Path) -> None:
    out = tmp_path / "models.toml"
    wrote = python_m(fixture_args(out), ROOT)
    assert (wrote.returncode, wrote.stderr) == (0, "")
    assert wrote.stdout == f"wrote {out}: {summary()}\n"
    assert (
        out.read_text(encoding="utf-8")
        == build(FIXTURE / "reference", FIXTURE / "curation.toml").text
    )
    check = python_m(["--check", *fixture_args(out)], ROOT)
    assert (check.returncode, check.stdout, check.stderr) == (
        0,
        f"ok: {out} is up to date: {summary()}\n",
        "",
    )
    as_json = python_m(["--check", "--json", *fixture_args(out)], ROOT)
    assert (as_json.returncode, as_json.stderr) == (0, "")
    doc = json.loads(as_json.stdout)
    assert (doc["command"], doc["outcome"], doc["file"], doc["models"]) == (
        "catalog build",
        "up to date",
        str(out),
        5,
    )
    out.write_text("stale\n", encoding="utf-8")
    stale = python_m(["--check", *fixture_args(out)], ROOT)
    assert (stale.returncode, stale.stdout) == (1, "")
    assert stale.stderr == (
        f"error: {out} is not what the build generates; run 'aicompare catalog build'\n"
    )


def test_console_script_builds_from_any_directory(tmp_path: Path) -> None:
    """The installed console script (editable install) finds the checkout's tooling by its own
    path, not the working directory."""
    out = tmp_path / "models.toml"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ran = run_aicompare(["catalog", "build", *fixture_args(out)], base_env(), cwd=elsewhere)
    assert (ran.code, ran.stdout, ran.stderr) == (0, f"wrote {out}: {summary()}\n", "")
    ran = run_aicompare(
        ["catalog", "build", "--check", *fixture_args(out)], base_env(), cwd=elsewhere
    )
    assert (ran.code, ran.stdout, ran.stderr) == (0, f"ok: {out} is up to date: {summary()}\n", "")


def test_tooling_of_another_checkout_is_refused(tmp_path: Path) -> None:
    """`python -m tools.catalog_build` in a second checkout whose aicompare is not the installed
    one: the build would mix two versions, so it stops and says which is which."""
    shutil.copytree(
        ROOT / "tools", tmp_path / "tools", ignore=shutil.ignore_patterns("__pycache__")
    )
    out = tmp_path / "models.toml"
    ran = python_m(["--check", *fixture_args(out)], tmp_path)
    assert (ran.returncode, ran.stdout) == (1, "")
    assert ran.stderr == (
        f"error: tools.catalog_build is imported from {tmp_path / 'tools' / 'catalog_build'}, "
        f"but aicompare from the checkout {ROOT}\n"
        f"run it with the aicompare of the same checkout: 'pip install -e .' in {tmp_path}\n"
    )
    assert not out.exists()


def test_another_package_named_tools_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., Any]
) -> None:
    other = types.ModuleType("tools")
    other.__path__ = [str(tmp_path)]  # a package with no catalog_build
    for name in [n for n in sys.modules if n == "tools" or n.startswith("tools.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "tools", other)
    message = (
        f"cannot import tools.catalog_build from {ROOT}: No module named 'tools.catalog_build'"
    )
    with pytest.raises(AicompareError) as info:
        catalog_build_tooling()
    assert (info.value.message, info.value.hint) == (
        message,
        "run 'python -m tools.catalog_build' from the checkout root",
    )
    run = cli("catalog", "build", "--check", *fixture_args(tmp_path / "models.toml"))
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == (
        f"error: {message}\nrun 'python -m tools.catalog_build' from the checkout root\n"
    )


def test_an_installed_copy_has_no_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The package laid out as the wheel installs it: site-packages/aicompare, data inside."""
    from aicompare import tooling

    package = tmp_path / "site-packages" / "aicompare"
    (package / "data").mkdir(parents=True)
    (package / "data" / "models.toml").write_text("schema_version = 1\n", encoding="utf-8")
    monkeypatch.setattr(tooling, "__file__", str(package / "tooling.py"))
    assert checkout_root() is None
    with pytest.raises(AicompareError) as info:
        catalog_build_tooling()
    assert (info.value.message, info.value.hint) == (
        (
            "building the catalog needs a source checkout of aicompare; this copy is installed "
            f"without its build tooling ({package})"
        ),
        HINT,
    )
