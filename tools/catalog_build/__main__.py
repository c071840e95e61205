"""`python -m tools.catalog_build [options]`: `aicompare catalog build [options]`, run with this
checkout's tooling (the options and output are the command's: `--check`, `--json`, `--help`...)."""

from __future__ import annotations

import sys

from aicompare._entry import run

if __name__ == "__main__":
    sys.argv[1:1] = ["catalog", "build"]
    run()
