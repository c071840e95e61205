"""Console-script entry: the one place a run starts and ends. Ctrl-C at any moment exits 130
quietly, and `--version` is answered before the framework loads."""

from __future__ import annotations

import gc
import os
import sys

INTERRUPTED = 130


def version() -> None:
    """The answer to `--version` / `-V`: here, and through the root option of cli.app."""
    from aicompare import __version__

    sys.stdout.write(f"aicompare {__version__}\n")


def main() -> None:
    """Run one command line; returns, or raises SystemExit with the exit code.

    The one handler of Ctrl-C: from the first import on, before Typer runs and after it is done.
    While a command runs Typer itself ends the run with exit 130, as quietly; either way `run`
    then starts a new line on stderr.
    """
    # One command per process, and what it builds (imports, catalog records, tables) is freed by
    # reference counting: the cycle collector would only walk the same young objects again and
    # again. Off, start-up is ~4 ms faster and a full catalog load ~2 ms (docs/performance.md).
    gc.disable()
    try:
        from aicompare import stdout_guard

        sink = stdout_guard.guard()
        try:
            if sys.argv[1:] in (["--version"], ["-V"]):
                version()  # before the framework loads: `--version` must be fast in scripts
            else:
                from aicompare.cli import main as run_cli

                run_cli()
        finally:
            if not stdout_guard.finish(sink):  # a failed write to stdout is an error
                raise SystemExit(1)
    except KeyboardInterrupt:
        raise SystemExit(INTERRUPTED) from None
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
    if code == INTERRUPTED:
        sys.stderr.write("\n")  # after ^C, the shell's prompt starts on a line of its own
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
