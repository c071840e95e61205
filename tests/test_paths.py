"""The fast XDG paths agree with platformdirs, the library that decides on every platform."""

from __future__ import annotations

import sys

import pytest
from platformdirs import user_cache_path, user_config_path

from aicompare.paths import cache_dir, config_dir


@pytest.mark.parametrize("value", [None, "", "   ", "/tmp/somewhere", "relative/dir"])
def test_same_as_platformdirs(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert config_dir() == user_config_path("aicompare", appauthor=False)
    assert cache_dir() == user_cache_path("aicompare", appauthor=False)


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG layout is the Linux one")
def test_linux_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", "/home/someone")
    assert str(config_dir()) == "/home/someone/.config/aicompare"
