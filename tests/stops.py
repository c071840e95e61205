"""Spawn the real `aicompare` so that it stops itself at exact points (tests/hooks/sitecustomize.py).

The child sends itself SIGSTOP at the point; the test waits for that state, which lasts, so no
timing is involved however busy the machine is. Not a test module.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Self

from terminal import aicompare

HOOKS = Path(__file__).parent / "hooks"


def stop_env(env: dict[str, str], *points: str) -> dict[str, str]:
    """`env` for a child that stops at `points` (see tests/hooks/sitecustomize.py)."""
    env = dict(env)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HOOKS), env.get("PYTHONPATH")]))
    env["AICOMPARE_TEST_STOP"] = ";".join(points)
    return env


class Child:
    """A running `aicompare`; its output goes to files, so a full pipe can never block it.

    Use it in a `with` block: a child still there at the end (a test failed while it was stopped,
    say) is killed, never left stopped.
    """

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.err = tempfile.TemporaryFile()  # noqa: SIM115
        self.proc = subprocess.Popen(
            [*aicompare(), *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.out,
            stderr=self.err,
            cwd="/",
        )
        self.pid = self.proc.pid

    def stopped(self, timeout: float = 120) -> bool:
        """Wait until the child is stopped (True) or has ended (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG | os.WUNTRACED)
            if pid == 0:
                time.sleep(0.005)
            elif os.WIFSTOPPED(status):
                return True
            else:  # reaped here, so Popen must be told
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                return False
        self.proc.kill()
        raise AssertionError(f"the child neither stopped nor ended in {timeout}s: {self.output()}")

    def signal(self, number: int) -> None:
        """Send signal `number`, unless the child is gone (reaped: its pid may be another's now)."""
        if self.proc.returncode is None:
            os.kill(self.pid, number)

    def interrupt(self) -> None:
        """Ctrl-C where it stands: SIGINT, then SIGCONT; a stopped child handles the pending
        SIGINT as it goes on, so the KeyboardInterrupt is raised at the point it stopped at."""
        self.signal(signal.SIGINT)
        self.signal(signal.SIGCONT)

    def finish(self, timeout: float = 120) -> int:
        """Wait for the end, continuing the child at every stop it still makes; the exit code."""
        while self.proc.returncode is None and self.stopped(timeout):
            self.signal(signal.SIGCONT)
        return self.proc.wait(timeout)

    def output(self) -> tuple[str, str]:
        """What the child wrote to stdout and stderr so far. Read with pread: the child shares
        the files' offsets, which a seek here would move under a child still writing."""
        texts = []
        for stream in (self.out, self.err):
            fd = stream.fileno()
            texts.append(os.pread(fd, os.fstat(fd).st_size, 0).decode("utf-8", "replace"))
        return texts[0], texts[1]

    def close(self) -> None:
        """Kill the child if it is still there (stopped or not), and drop its output."""
        if self.proc.returncode is None:
            self.proc.kill()
            self.proc.wait()
        self.out.close()
        self.err.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
