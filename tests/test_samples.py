"""The console samples of README.md and docs/*.md are what the tool prints (tools/samples.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import samples
from tools.samples import REGENERATE, SampleError, argv, documents, drift, excerpt


def test_console_samples_are_what_the_tool_prints() -> None:
    found = drift()
    assert found == [], f"console samples have drifted; run: {REGENERATE}\n" + "\n".join(found)


def test_every_console_block_is_a_sample_with_its_width_and_date_shown() -> None:
    commands = [s.command for path in documents() for s in samples.samples(path)]
    assert len(commands) >= 5, commands
    for command in commands:
        env, args = argv(command)  # raises on a block that is not a sample
        assert command.startswith("COLUMNS=") and "COLUMNS" in env
        assert args[0] not in samples.DATED or "--as-of" in args
    readme = Path(samples.ROOT / "README.md").read_text("utf-8")
    assert "$ COLUMNS=100 aicompare cost --tokens 5M --as-of 2026-11-21\n" in readme


def _document(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "doc.md"
    path.write_text(f"Some text.\n\n{body}\nMore text.\n", "utf-8")
    return path


def test_a_drifted_sample_is_found_and_remade(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _document(
        tmp_path, "```console\n$ COLUMNS=80 aicompare --version\naicompare 0.0.1\n```\n"
    )
    assert drift([path]) != []
    assert samples.main(["--check", str(path)]) == 1
    err = capsys.readouterr().err
    assert err == f"error: console samples differ from the tool; run: {REGENERATE}\n"
    assert samples.main([str(path)]) == 0
    text = path.read_text("utf-8")
    assert text.startswith("Some text.\n\n```console\n$ COLUMNS=80 aicompare --version\naicompare ")
    assert text.endswith("\n```\n\nMore text.\n") and "0.0.1" not in text
    assert drift([path]) == [] and samples.main(["--check", str(path)]) == 0


def test_a_sample_shows_the_parts_its_comment_names_with_gaps_marked() -> None:
    lines = ["title", "a", "b", "Section", "c", "d", "e", "Notes", "x", "y"]
    assert excerpt(lines, None) == lines
    assert excerpt(lines, "head 2; from /^Section/ 2; from /^Notes/") == [
        *("title", "a", "..."),
        *("Section", "c", "..."),
        *("Notes", "x", "y"),
    ]
    assert excerpt(lines, "from /^a/ to /^Section/; tail 1") == ["...", "a", "b", "...", "y"]
    assert excerpt(lines, "head 1") == ["title", "..."]
    with pytest.raises(SampleError, match="no line matches"):
        excerpt(lines, "from /^Missing/ 2")
    with pytest.raises(SampleError, match="use head N"):
        excerpt(lines, "middle 3")


@pytest.mark.parametrize(
    ("command", "why"),
    [
        ("aicompare list --as-of 2026-11-21", "shows its width"),
        ("COLUMNS=100 aicompare list", "shows its date"),
        ("COLUMNS=100 aicompare diff a b --json | jq .", "aicompare alone"),
        ("COLUMNS=100 python -m aicompare list", "aicompare alone"),
    ],
)
def test_a_block_that_cannot_be_remade_is_refused(
    tmp_path: Path, command: str, why: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _document(tmp_path, f"```console\n$ {command}\n```\n")
    assert samples.main(["--check", str(path)]) == 2
    assert why in capsys.readouterr().err
