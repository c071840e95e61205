"""Console-script entry: imports the CLI inside the guard, so Ctrl-C at any moment exits 130 quietly."""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    """Run one command line; returns, or raises SystemExit with the exit code."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        # answered before the framework loads: `--version` must be fast in scripts
        from aicompare import __version__, stdout_guard

        sink = stdout_guard.guard()
        sys.stdout.write(f"aicompare {__version__}\n")
        if not stdout_guard.finish(sink):
            raise SystemExit(1)
        return
    # One command per process, and what it builds (imports, catalog records, tables) is freed by
    # reference counting: the cycle collector would only walk the same young objects again and
    # again. Off, start-up is ~4 ms faster and a full catalog load ~2 ms (docs/performance.md).
    gc.disable()
    try:
        from aicompare.cli import main as run_cli

        run_cli()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    finally:
        gc.enable()


def run() -> None:  # never returns: the process ends here (no `typing` import on this path)
    """The `aicompare` console script: main(), then end the process at once.

    The interpreter's own shutdown frees every module and object one by one and collects cycles
    once more: about 10 ms of every run with Typer and a catalog loaded (docs/performance.md),
    for nothing a finished command needs. So, once main() is done, its output is flushed and the
    process exits with its code. Nothing of ours relies on teardown: files are closed and locks
    released by `with` blocks before main() returns. Anything but SystemExit (a bug) takes the
    normal path, traceback and all.
    """
    try:
        main()
        code = 0
    except SystemExit as done:
        code = _code(done.code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()  # main() has flushed stdout and said if a write failed
        except (OSError, ValueError):
            pass
    os._exit(code)


def _code(value: object) -> int:
    """What sys.exit(value) would exit with."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    sys.stderr.write(f"{value}\n")
    return 1
