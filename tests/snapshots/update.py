"""Terminal snapshots: what each command prints on a terminal of 80 and 120 columns.

Each case runs the installed `aicompare` with stdout on a pseudo-terminal of that width, on the
bundled catalog, pinned to one date, without colour; the text (trailing blanks removed) is kept
in tests/snapshots/<name>-<columns>.txt under a first line naming the command, so a change of
layout is a diff a reviewer reads. tests/test_snapshots.py compares; this script rewrites them:

    .venv/bin/python tests/snapshots/update.py
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/: the pty runner

from terminal import run  # noqa: E402

AS_OF = "2026-11-26"
WIDTHS = (80, 120)
CASES: dict[str, tuple[str, ...]] = {
    "list": ("list", "--provider", "anthropic"),
    "show": ("show", "gpt-image-1"),
    "diff": ("diff", "gpt-image-1", "o4-mini", "gpt-5-mini"),
    "cost": ("cost", "--tokens", "5M"),
    "best": ("best", "--for", "coding"),
}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
# Switches of the environment that change what is printed; the runs set their own.
CLEARED = ("COLUMNS", "LINES", "FORCE_COLOR", "CLICOLOR_FORCE", "TTY_COMPATIBLE", "GITHUB_ACTIONS")


def environment(home: str) -> dict[str, str]:
    """The bundled catalog only (no user layer, no override), no colour, UTF-8."""
    env = {
        k: v for k, v in os.environ.items() if k not in CLEARED and not k.startswith("AICOMPARE_")
    }
    env.update(NO_COLOR="1", TERM="xterm-256color", HOME=home, XDG_CONFIG_HOME=home)
    env.update(PYTHONIOENCODING="utf-8", LC_ALL="C.UTF-8")  # ★ and █, whatever the locale
    env["XDG_CACHE_HOME"] = os.path.join(home, "cache")
    return env


def command_line(name: str, columns: int) -> str:
    return f"$ COLUMNS={columns} aicompare {' '.join(CASES[name])} --as-of {AS_OF}"


def screen(args: tuple[str, ...], columns: int) -> str:
    """What a terminal of `columns` shows for `aicompare args --as-of AS_OF`: escapes removed,
    the terminal's CRLF as LF; exit status 0 and nothing on stderr, or AssertionError."""
    with tempfile.TemporaryDirectory() as home:
        ran = run(
            [*args, "--as-of", AS_OF], environment(home), tty="stdout", columns=columns, rows=50
        )
    assert ran.code == 0 and ran.stderr == "", (args, ran.code, ran.stderr)
    return ANSI.sub("", ran.stdout.replace("\r\n", "\n"))


def snapshot(name: str, columns: int) -> str:
    """The stored form: the command line, then the screen without trailing blanks."""
    text = screen(CASES[name], columns)
    lines = [line.rstrip() for line in text.rstrip("\n").split("\n")]
    return "\n".join([command_line(name, columns), *lines]) + "\n"


def path(name: str, columns: int) -> Path:
    return HERE / f"{name}-{columns}.txt"


def main() -> None:
    for name in CASES:
        for columns in WIDTHS:
            target = path(name, columns)
            text = snapshot(name, columns)
            old = target.read_text(encoding="utf-8") if target.exists() else None
            if old != text:
                target.write_text(text, encoding="utf-8")
                print(f"updated {target.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    main()
