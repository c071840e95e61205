"""Console-script entry: imports the CLI inside the guard, so Ctrl-C at any moment exits 130 quietly."""

from __future__ import annotations

import gc
import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        # answered before the framework loads: `--version` must be fast in scripts
        from aicompare import __version__

        sys.stdout.write(f"aicompare {__version__}\n")
        return
    # One command per process, and what it builds (imports, catalog records, tables) is freed by
    # reference counting: the cycle collector would only walk the same young objects again and
    # again. Off, start-up is ~4 ms faster and a full catalog load ~2 ms (docs/performance.md).
    gc.disable()
    try:
        from aicompare.cli import main as run

        run()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    finally:
        gc.enable()
