"""Stop a spawned `aicompare` at an exact point, for tests/test_faults_cli.py. Test-only.

tests/stops.py puts this folder on PYTHONPATH of the child it spawns, never of the test process,
and Python's site module imports it at start-up. It first runs the sitecustomize it shadows, if
there is one. Without AICOMPARE_TEST_STOP it does nothing else. With it, the process sends itself
SIGSTOP at each of the points that variable names (separated by ";"), once per point:

    import:<module>    when the import of <module> has finished (its code has run)
    open:<regex>       just after os.open returned for a file whose name matches <regex>
    replace:<regex>    just before os.replace renames a file whose name matches <regex>
    replaced:<regex>   just after that rename

A name matches when the whole base name matches (re.fullmatch). The parent waits until the child
is stopped; that state lasts, so it cannot be missed however busy the machine is. Then it sends
SIGKILL, or SIGINT and SIGCONT: the pending SIGINT is handled as the child goes on, so the
KeyboardInterrupt is raised right at that point, as one arriving in that instant would be.
"""

from __future__ import annotations

import os
import sys

# Only for the type checker: the child imports nothing here it would not import anyway (typing
# would load before the first module of the program).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Sequence
    from types import ModuleType
    from typing import Any

VARIABLE = "AICOMPARE_TEST_STOP"


def _chain() -> None:
    """Run the sitecustomize this one hides (a distribution's, say), as site would have."""
    import importlib.machinery

    here = os.path.dirname(os.path.abspath(__file__))
    rest = [entry for entry in sys.path if os.path.abspath(entry or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None:
        return
    import importlib.util

    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)


def _stop() -> None:
    import signal

    os.kill(os.getpid(), signal.SIGSTOP)


class _Points:
    """The armed points: each one stops the process once."""

    def __init__(self, spec: str) -> None:
        import re

        self.modules: set[str] = set()
        self.files: dict[str, list[re.Pattern[str]]] = {"open": [], "replace": [], "replaced": []}
        for point in filter(None, (part.strip() for part in spec.split(";"))):
            kind, _, argument = point.partition(":")
            if kind == "import" and argument:
                self.modules.add(argument)
            elif kind in self.files and argument:
                self.files[kind].append(re.compile(argument))
            else:
                raise SystemExit(f"{VARIABLE}: not a stop point: {point!r}")

    def hit(self, kind: str, path: Any) -> bool:
        """Whether `path` is at an armed point of `kind`; disarms that point."""
        patterns = self.files[kind]
        if not patterns or isinstance(path, int):
            return False
        name = os.path.basename(os.fsdecode(path))
        for pattern in patterns:
            if pattern.fullmatch(name):
                patterns.remove(pattern)
                return True
        return False


class _AfterImport:
    """A meta path finder that lets the others find an armed module, then stops after it runs."""

    def __init__(self, points: _Points) -> None:
        self.points = points

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> Any:
        if fullname not in self.points.modules:
            return None
        self.points.modules.discard(fullname)
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is None or isinstance(loader, type):
            raise ImportError(f"{VARIABLE}: cannot stop after the import of {fullname}")
        run = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            _stop()

        # This loader object was made for this one find, so the wrapper touches nothing else.
        loader.exec_module = exec_module
        return spec


def _arm(spec: str) -> None:
    import signal

    points = _Points(spec)
    # A process started with SIGINT ignored (by a shell running the tests in the background, say)
    # keeps it ignored, and Python then installs no handler. Do what Python does for a process
    # started from a terminal, so a SIGINT from the test is the Ctrl-C it stands for.
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if points.modules:
        sys.meta_path.insert(0, _AfterImport(points))
    if points.files["open"]:
        real_open = os.open

        def opened(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
            fd = real_open(path, flags, mode, dir_fd=dir_fd)
            if points.hit("open", path):
                _stop()
            return fd

        os.open = opened
    if points.files["replace"] or points.files["replaced"]:
        real_replace = os.replace

        def replace(
            src: Any, dst: Any, *, src_dir_fd: int | None = None, dst_dir_fd: int | None = None
        ) -> None:
            if points.hit("replace", src):
                _stop()
            after = points.hit("replaced", src)
            real_replace(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)
            if after:
                _stop()

        os.replace = replace


_chain()
if os.environ.get(VARIABLE):
    _arm(os.environ[VARIABLE])
