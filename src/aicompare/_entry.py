"""Console-script entry: imports the CLI inside the guard, so Ctrl-C at any moment exits 130 quietly."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        # answered before the framework loads: `--version` must be fast in scripts
        from aicompare import __version__

        sys.stdout.write(f"aicompare {__version__}\n")
        return
    try:
        from aicompare.cli import main as run

        run()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
