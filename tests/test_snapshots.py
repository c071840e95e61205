"""Terminal snapshots: each table command on a pseudo-terminal of 80 and 120 columns, compared
with the plain text stored in tests/snapshots/ (see tests/snapshots/update.py, which rewrites
them). A change of layout or wording shows as a diff of those files in review."""

from __future__ import annotations

import difflib

import pytest
from snapshots.update import CASES, WIDTHS, path, snapshot

UPDATE = ".venv/bin/python tests/snapshots/update.py"


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("name", list(CASES))
def test_terminal_snapshot(name: str, columns: int) -> None:
    stored = path(name, columns)
    assert stored.exists(), f"no snapshot {stored.name}; write it with: {UPDATE}"
    expected = stored.read_text(encoding="utf-8")
    actual = snapshot(name, columns)
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"stored {stored.name}",
                "printed now",
            )
        )
        pytest.fail(
            f"{name} at {columns} columns differs from {stored.name}; if the change is meant, "
            f"regenerate with `{UPDATE}` and review the diff:\n{diff}"
        )


def test_snapshots_are_pinned_and_complete() -> None:
    """Every stored snapshot is a case at a width, and names its command, width and date."""
    stored = {p.name for p in path("list", 80).parent.glob("*.txt")}
    assert stored == {path(n, c).name for n in CASES for c in WIDTHS}
    for name in CASES:
        for columns in WIDTHS:
            first = path(name, columns).read_text(encoding="utf-8").split("\n", 1)[0]
            assert first.startswith(f"$ COLUMNS={columns} aicompare {name} ")
            assert first.endswith("--as-of 2026-11-26")
