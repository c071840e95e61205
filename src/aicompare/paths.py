"""Where the user's catalog layer and the cache live: the platform's config and cache directories.

platformdirs decides everywhere; on Linux and the BSDs the XDG rule it applies is computed here
directly, because importing platformdirs costs about 5 ms on every run (docs/performance.md).
tests/test_paths.py checks that both give the same answer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "aicompare"


def _xdg(variable: str, fallback: str) -> Path | None:
    if sys.platform in ("win32", "darwin", "cygwin") or sys.platform.startswith("emscripten"):
        return None
    base = os.environ.get(variable, "")
    if not base.strip() or not os.path.isabs(base):  # the XDG spec ignores relative paths
        base = os.path.expanduser(fallback)
    return Path(base) / APP


def config_dir() -> Path:
    """~/.config/aicompare on Linux (XDG_CONFIG_HOME honoured); the platform's own elsewhere."""
    fast = _xdg("XDG_CONFIG_HOME", "~/.config")
    if fast is not None:
        return fast
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False)


def cache_dir() -> Path:
    """~/.cache/aicompare on Linux (XDG_CACHE_HOME honoured); the platform's own elsewhere."""
    fast = _xdg("XDG_CACHE_HOME", "~/.cache")
    if fast is not None:
        return fast
    from platformdirs import user_cache_path

    return user_cache_path(APP, appauthor=False)
