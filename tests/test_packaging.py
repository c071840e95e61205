"""The wheel carries the bundled catalog and works installed, from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # --no-build-isolation: build offline with the hatchling the test extra installs
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = out.glob("aicompare-*.whl")
    return found


def test_wheel_contains_catalog(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "aicompare/data/models.toml" in names
    assert "aicompare/cli.py" in names
    # the catalog build is maintainer tooling of the checkout (tools/), not part of the package
    assert [
        n for n in names if n.startswith("tools/") or "curate" in n or "catalog_build/" in n
    ] == []
    assert {n.split("/")[0] for n in names} == {
        "aicompare",
        wheel.name.split("-py")[0] + ".dist-info",
    }


def test_sdist_is_the_source_tree(tmp_path: Path) -> None:
    """The sdist carries the sources, the build tooling and the tests that use it, and nothing
    from elsewhere in the checkout (bench/, a venv's files that match a pattern by name)."""
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (sdist,) = tmp_path.glob("aicompare-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]
    assert {name.split("/")[0] for name in names} == {
        ".gitignore",
        "LICENSE",
        "PKG-INFO",
        "README.md",
        "data",
        "docs",
        "pyproject.toml",
        "src",
        "tests",
        "tools",
    }
    assert {
        "tools/catalog_build/curate.py",
        "tools/catalog_build/check.py",
        "data/curation.toml",
        "tests/test_catalog_build.py",
    } <= set(names)


def test_installed_wheel_runs_outside_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AICOMPARE_")}
    # the wheel's package comes first; the test environment only lends typer, rich and friends
    env["PYTHONPATH"] = str(target)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import aicompare, aicompare.loader as l; "
            "print(aicompare.__file__); print(l.bundled_path())",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
        check=True,
    )
    module_file, catalog_file = where.stdout.split()
    assert module_file.startswith(str(target)) and catalog_file.startswith(str(target))
    # the catalog it lists is the checkout's data/models.toml, every model of it
    proc = subprocess.run(
        [sys.executable, "-m", "aicompare", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
        timeout=60,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    listed = sorted(m["id"] for m in json.loads(proc.stdout)["models"])
    with (ROOT / "data" / "models.toml").open("rb") as handle:
        assert listed == sorted(tomllib.load(handle)["models"])
    # building the catalog needs a source checkout: said as an error with a hint, exit 1
    for extra in ([], ["--json"]):
        proc = subprocess.run(
            [sys.executable, "-m", "aicompare", "catalog", "build", "--check", *extra],
            capture_output=True,
            text=True,
            env=env,
            cwd=workdir,
            timeout=60,
            check=False,
        )
        assert (proc.returncode, proc.stdout) == (1, "")
        assert proc.stderr == (
            "error: building the catalog needs a source checkout of aicompare; this copy is "
            f"installed without its build tooling ({target / 'aicompare'})\n"
            "clone the repository, install it with 'pip install -e .' and run 'aicompare catalog "
            "build' (or 'python -m tools.catalog_build') in the checkout\n"
        )


def test_editable_install_finds_checkout_catalog() -> None:
    from aicompare.loader import bundled_path

    path = bundled_path()
    assert path.is_file()
    assert path.name == "models.toml"
