"""`python -m tools.catalog_build [options]`: `aicompare catalog build [options]`, and
`python -m tools.catalog_build audit [options]`: `aicompare catalog audit [options]`, run with this
checkout's tooling (the options and output are the commands': `--check`, `--json`, `--help`...)."""

from __future__ import annotations

import sys

from aicompare._entry import run

if __name__ == "__main__":
    if sys.argv[1:2] == ["audit"]:
        sys.argv[1:2] = ["catalog", "audit"]
    else:
        sys.argv[1:1] = ["catalog", "build"]
    run()
