"""The console samples of README.md and docs/*.md, made by the real tool and checked against it.

    python -m tools.samples            # rewrite every sample from what the tool prints now
    python -m tools.samples --check    # write nothing; exit 1 and show the drift if any differs

A sample is a ```console block whose first line is the command, with the width and the date it
was made with in plain sight:

    $ COLUMNS=100 aicompare cost --tokens 5M --as-of 2026-11-21

The rest of the block is what that command prints to a pipe on the bundled catalog (no user
layer, no colour): stdout, then stderr, without trailing spaces. A sample may show part of the output: an HTML comment
on the line before the block says which part, and each gap in it is a `...` line:

    <!-- sample: head 15; from /^Per image/ 3; from /^Key differences/ -->

Parts, in order, separated by `;`: `head N` (the first N lines), `from /REGEX/ N` (N lines from
the first line at or after the previous part that matches REGEX), `from /REGEX/ to /REGEX/` (up to,
not including, the next line that matches the second), `from /REGEX/` (to the end), `tail N` (the
last N lines). Without a comment the block is the whole output. Anchor parts on section headings
rather than counts where you can: they survive a change of layout.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGENERATE = "python -m tools.samples"
# The commands whose output depends on the day: a sample of one pins --as-of.
DATED = ("list", "show", "diff", "cost", "best")
ELIDED = "..."

_FENCE = re.compile(r"^```console\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
_DIRECTIVE = re.compile(r"<!-- sample: (.*?) -->\n\Z")
_PART = re.compile(r"(head|tail) (\d+)|from /(.+?)/(?: (\d+)| to /(.+?)/)?")


class SampleError(Exception):
    """A console block that is not a sample this script can make."""


def documents(root: Path = ROOT) -> list[Path]:
    """The files whose console samples are generated: README.md and docs/*.md."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


@dataclass(frozen=True)
class Sample:
    """One console block: where it is, its command and which part of the output it shows."""

    path: Path
    start: int  # offset of the block's body (after the ```console line) in the file
    end: int  # offset of the closing fence
    command: str  # the `$ ` line without the `$ `
    parts: str | None  # the sample comment's parts, None for the whole output

    @property
    def where(self) -> str:
        line = self.path.read_text("utf-8")[: self.start].count("\n") + 1
        return (
            f"{self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path}:{line}"
        )


def samples(path: Path) -> Iterator[Sample]:
    """The console blocks of a Markdown file, each a sample (SampleError if one is not)."""
    text = path.read_text("utf-8")
    for block in _FENCE.finditer(text):
        body = block.group(1)
        first = body.split("\n", 1)[0]
        if not first.startswith("$ "):
            raise SampleError(f"{path}: a console block starts with {first!r}, not `$ command`")
        directive = _DIRECTIVE.search(text, 0, block.start())  # on the line before the fence
        parts = directive.group(1) if directive else None
        yield Sample(path, block.start(1), block.end(1), first[2:], parts)


def argv(command: str) -> tuple[dict[str, str], list[str]]:
    """`COLUMNS=100 aicompare cost ... --as-of DATE` -> ({"COLUMNS": "100"}, ["cost", ...])."""
    words = shlex.split(command)
    env: dict[str, str] = {}
    while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    if not words or words[0] != "aicompare":
        raise SampleError(f"{command!r}: a sample runs aicompare alone (no pipe, no other tool)")
    args = words[1:]
    if any(word in ("|", ">", "<", "&&", ";") for word in args):
        raise SampleError(f"{command!r}: a sample runs aicompare alone (no pipe, no other tool)")
    if "COLUMNS" not in env:
        raise SampleError(f"{command!r}: a sample shows its width, `COLUMNS=N aicompare ...`")
    if args and args[0] in DATED and "--as-of" not in args:
        raise SampleError(f"{command!r}: a sample shows its date, `--as-of YYYY-MM-DD`")
    return env, args


def output(command: str) -> list[str]:
    """What the command prints to a pipe (stdout, then stderr), on the bundled catalog only."""
    env, args = argv(command)
    with tempfile.TemporaryDirectory() as home:
        clean = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith("AICOMPARE_")
            and name not in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "TTY_COMPATIBLE")
            and name not in ("GITHUB_ACTIONS", "LINES", "TERM")
        }
        clean.update(HOME=home, XDG_CONFIG_HOME=home, XDG_CACHE_HOME=home, TERM="dumb")
        clean.update(PYTHONIOENCODING="utf-8", **env)  # ★ and █ whatever the locale
        proc = subprocess.run(
            [sys.executable, "-m", "aicompare", *args],
            capture_output=True,
            env=clean,
            cwd=home,
            stdin=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )
    text = proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")
    return [line.rstrip() for line in text.rstrip("\n").split("\n")]


def _first(lines: Sequence[str], pattern: str, at: int, part: str) -> int:
    """The index of the first line from `at` on that matches `pattern`."""
    for index in range(at, len(lines)):
        if re.search(pattern, lines[index]):
            return index
    raise SampleError(f"sample part {part!r}: no line matches /{pattern}/ after line {at}")


def excerpt(lines: Sequence[str], parts: str | None) -> list[str]:
    """The lines a sample shows, with a `...` line for each gap (see the module's docstring)."""
    if parts is None:
        return list(lines)
    kept: list[tuple[int, int]] = []
    at = 0
    for part in (p.strip() for p in parts.split(";")):
        match = _PART.fullmatch(part)
        if match is None:
            raise SampleError(f"sample part {part!r}: use head N, tail N, from /REGEX/ [N]")
        edge, count, pattern, length, until = match.groups()
        if edge == "head":
            span = (0, int(count))
        elif edge == "tail":
            span = (max(at, len(lines) - int(count)), len(lines))
        else:
            found = _first(lines, pattern, at, part)
            if until is not None:
                span = (found, _first(lines, until, found + 1, part))
            else:
                span = (found, len(lines) if length is None else found + int(length))
        kept.append((span[0], min(span[1], len(lines))))
        at = kept[-1][1]
    shown: list[str] = []
    end = 0
    for begin, stop in kept:
        if begin > end:
            shown.append(ELIDED)
        shown += lines[begin:stop]
        end = stop
    if end < len(lines):
        shown.append(ELIDED)
    return shown


def made(sample: Sample) -> str:
    """The block's body as the tool makes it now."""
    lines = excerpt(output(sample.command), sample.parts)
    return "\n".join([f"$ {sample.command}", *lines]) + "\n"


def regenerate(path: Path) -> tuple[str, str]:
    """(the file as it is, the file with every sample made anew)."""
    text = path.read_text("utf-8")
    out, at = [], 0
    for sample in samples(path):
        out += [text[at : sample.start], made(sample)]
        at = sample.end
    out.append(text[at:])
    return text, "".join(out)


def drift(paths: Sequence[Path] | None = None) -> list[str]:
    """A unified diff per file whose samples differ from what the tool prints; [] when none."""
    found = []
    for path in paths or documents():
        old, new = regenerate(path)
        if old != new:
            name = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
            found.append(
                "".join(
                    difflib.unified_diff(
                        old.splitlines(keepends=True),
                        new.splitlines(keepends=True),
                        f"{name} (as written)",
                        f"{name} (as the tool prints it)",
                    )
                )
            )
    return found


def main(arguments: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.samples", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 on drift")
    parser.add_argument("files", nargs="*", type=Path, help="default: README.md and docs/*.md")
    options = parser.parse_args(arguments)
    paths = [p.resolve() for p in options.files] or documents()
    try:
        if options.check:
            problems = drift(paths)
            for problem in problems:
                sys.stdout.write(problem)
            if problems:
                sys.stderr.write(
                    f"error: console samples differ from the tool; run: {REGENERATE}\n"
                )
                return 1
            return 0
        for path in paths:
            old, new = regenerate(path)
            if old != new:
                path.write_text(new, "utf-8")
                sys.stderr.write(f"rewrote {path}\n")
    except SampleError as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
