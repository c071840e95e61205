"""Shared fixtures: a clean environment, the fixture catalog, and an in-process CLI runner."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Hypothesis keeps caches under .hypothesis/ in the working directory; the suite runs from any
# directory, so they go to a temporary one instead.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "aicompare-hypothesis")
)

from hypothesis import settings
from typer.testing import CliRunner

from aicompare.cli import app

# No example database: runs stay reproducible and no .hypothesis/ folder lands in the working directory.
settings.register_profile("aicompare", database=None)
settings.load_profile("aicompare")

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "fixture.toml"
AS_OF = "2026-11-21"
# Colour and width switches that change human output; tests set them explicitly when they matter.
ENV_SWITCHES = (
    "NO_COLOR",
    "FORCE_COLOR",
    "GITHUB_ACTIONS",
    "COLUMNS",
    "LINES",
    "TERM",
    "AICOMPARE_CATALOG",
    "AICOMPARE_BASE_CATALOG",
    "CLICOLOR_FORCE",
    "TTY_COMPATIBLE",
)


@pytest.fixture(autouse=True)
def clean_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    for name in ENV_SWITCHES:
        monkeypatch.delenv(name, raising=False)
    config = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("HOME", str(config))
    yield


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run aicompare in-process on the fixture catalog at a pinned width and date."""
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(FIXTURE))
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str, env: dict[str, str] | None = None, as_of: bool = True) -> Run:
        argv = list(args)
        if as_of and argv and argv[0] in ("list", "show", "diff", "cost", "best"):
            argv += ["--as-of", AS_OF]
        result = CliRunner().invoke(app, argv, env=env, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def bundled_cli(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """The same runner on the bundled catalog."""
    monkeypatch.delenv("AICOMPARE_BASE_CATALOG")
    return cli
