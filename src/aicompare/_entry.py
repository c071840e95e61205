"""Console-script entry: imports the CLI inside the guard, so Ctrl-C at any moment exits 130 quietly."""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn


def main() -> None:
    """Run one command line; returns, or raises SystemExit with the exit code."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        # answered before the framework loads: `--version` must be fast in scripts
        from aicompare import __version__

        try:
            sys.stdout.write(f"aicompare {__version__}\n")
            sys.stdout.flush()
        except BrokenPipeError:
            pass
        except OSError as error:
            _report_write_failure(error)
            raise SystemExit(1) from None
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


def run() -> NoReturn:
    """The `aicompare` console script: main(), then end the process at once.

    The interpreter's own shutdown frees every module and object one by one and collects cycles
    once more: about 15 ms of every run with Typer and a catalog loaded (docs/performance.md),
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
    try:
        sys.stdout.flush()  # main() has flushed it already, except on the `--version` path
    except BrokenPipeError:
        pass  # the reader went away: not an error of ours
    except OSError as error:  # a full disk: never a silent success
        if code == 0:
            _report_write_failure(error)
            code = 1
    except ValueError:  # stdout closed
        pass
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)


def _report_write_failure(error: OSError) -> None:
    """Stdout cannot be written (a full disk): drop what is buffered and say so on stderr."""
    from aicompare.errors import output_error

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    failure = output_error(error)
    sys.stderr.write(f"error: {failure.message}\n{failure.hint}\n")


def _code(value: object) -> int:
    """What sys.exit(value) would exit with."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    sys.stderr.write(f"{value}\n")
    return 1
