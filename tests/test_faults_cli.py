"""Writes under fault, through the command line: the catalog file is always the old or the new
version, no edit is lost, no temporary file is left, and the exit code says what happened.

tests/test_store.py covers the write path at the module level (every injected failure, threads,
worker processes, SIGKILL of a worker). Here the same guarantees are checked on the real
commands: failures injected in-process into `catalog set|add|remove|import|export`, the real
`aicompare catalog import --from litellm` of the full LiteLLM file and `aicompare catalog set`
killed with SIGKILL or interrupted with SIGINT at chosen and random moments, two `catalog set`
processes making 50 edits each, and a closed pipe.
"""

from __future__ import annotations

import errno
import json
import os
import random
import re
import signal
import subprocess
import threading
import time
import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from terminal import LITELLM, aicompare, base_env

from aicompare import store

SAMPLE = Path(__file__).parent / "data" / "importers" / "litellm.json"
SEED = 20261121
needs_litellm = pytest.mark.skipif(not LITELLM.is_file(), reason=f"reference data set absent: {LITELLM} "
                                   "(CI checks out ../shared/reference, so this never skips there)")

USER_TOML = """\
schema_version = 1

[models.alpha-mini.prices]
input = 0.90

[models.mine]
provider = "acme"
type = "text"

[models.mine.prices]
input = 0.25
"""


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def user_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = tmp_path / "config" / "aicompare" / "models.toml"
    path.parent.mkdir(parents=True)
    path.write_text(USER_TOML, "utf-8")
    return path


# --- failures injected in-process -------------------------------------------------------------------


def _half_writes(mp: pytest.MonkeyPatch) -> None:
    real = os.fdopen

    class Half:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(self.handle, name)

        def __enter__(self) -> Half:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

    mp.setattr(os, "fdopen", lambda fd, *a, **k: Half(real(fd, *a, **k)))


def _raiser(exc: BaseException) -> Callable[..., Any]:
    def fail(*args: object, **kwargs: object) -> Any:
        raise exc
    return fail


def _replace_of(name: str, exc: BaseException) -> Callable[[pytest.MonkeyPatch], None]:
    def inject(mp: pytest.MonkeyPatch) -> None:
        real = os.replace

        def replace(src: Any, dst: Any) -> None:
            if Path(dst).name == name:
                raise exc
            real(src, dst)
        mp.setattr(os, "replace", replace)
    return inject


INJECTIONS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "serialising raises": lambda mp: mp.setattr(tomli_w, "dumps", _raiser(RuntimeError("boom"))),
    "serialising TypeError": lambda mp: mp.setattr(tomli_w, "dumps", _raiser(TypeError("no TOML for it"))),
    "write fails half-way": _half_writes,
    "fsync: disk full": lambda mp: mp.setattr(os, "fsync", _raiser(OSError(errno.ENOSPC, "No space left"))),
    "rename of the file fails": _replace_of("models.toml", OSError(errno.EIO, "Input/output error")),
    "rename of the backup fails": _replace_of("models.toml.bak", OSError(errno.EROFS, "Read-only file system")),
    "Ctrl-C during the write": lambda mp: mp.setattr(os, "fsync", _raiser(KeyboardInterrupt())),
}
EDITS = {
    "set": ("catalog", "set", "alpha-mini", "--input", "0.5", "--note", "changed"),
    "add": ("catalog", "add", "brand-new", "--provider", "acme", "--type", "text", "--input", "1"),
    "remove": ("catalog", "remove", "mine"),
    "import": ("catalog", "import", "--from", "litellm", str(SAMPLE)),
    "unset": ("catalog", "set", "alpha-mini", "--unset", "prices.input"),
}


@pytest.mark.parametrize("edit", list(EDITS))
@pytest.mark.parametrize("inject", list(INJECTIONS))
def test_failed_write_leaves_the_old_file(cli, user_file: Path, monkeypatch: pytest.MonkeyPatch,
                                          inject: str, edit: str) -> None:
    old = user_file.read_bytes()
    store.backup_path(user_file).write_bytes(b"# the previous backup\n")
    with monkeypatch.context() as patched:
        INJECTIONS[inject](patched)
        run = cli(*EDITS[edit])
    interrupted = inject.startswith("Ctrl-C")
    assert run.exit_code == (130 if interrupted else 1), run.stderr
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    if not interrupted:
        assert run.stderr.startswith("error: ")
        assert "unchanged" in run.stderr or "nothing was written" in run.stderr, run.stderr
    assert user_file.read_bytes() == old
    assert temps(user_file.parent) == []
    # nothing is stuck: the same edit works right after, and writes the new version
    again = cli(*EDITS[edit])
    assert again.exit_code == 0, again.stderr
    assert user_file.read_bytes() != old and store.backup_path(user_file).read_bytes() == old
    assert temps(user_file.parent) == []


def test_failed_export_leaves_the_old_file(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "export.toml"
    out.write_text("# an older export\n", "utf-8")
    for inject in ("write fails half-way", "fsync: disk full"):
        with monkeypatch.context() as patched:
            INJECTIONS[inject](patched)
            run = cli("catalog", "export", "-o", str(out))
        assert run.exit_code == 1 and run.stdout == "" and "Traceback" not in run.stderr, inject
        assert out.read_text("utf-8") == "# an older export\n" and temps(tmp_path) == []


def test_missing_folder_that_cannot_be_made(cli, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    for args in (("catalog", "set", "alpha-mini", "--input", "1", "--into", str(blocker / "models.toml")),
                 ("catalog", "export", "-o", str(blocker / "out.toml")),
                 ("catalog", "import", "--from", "litellm", str(SAMPLE), "--into", str(blocker / "m.toml"))):
        run = cli(*args)
        assert run.exit_code == 1 and run.stdout == "" and run.stderr.startswith("error: "), args
    assert blocker.read_text() == "not a folder\n"


# --- real processes: SIGKILL ---------------------------------------------------------------------


def _env(config: Path) -> dict[str, str]:
    return base_env(XDG_CONFIG_HOME=str(config), XDG_CACHE_HOME=str(config.parent / "cache"))


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*aicompare(), *args], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd="/")


def _wait_for_temp(folder: Path, proc: subprocess.Popen[bytes], pattern: str, timeout: float = 60) -> bool:
    """Poll (every 0.2 ms) until a temp file of `proc` matching `pattern` exists; False if it ended first."""
    wanted = re.compile(pattern.format(pid=proc.pid))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if any(wanted.fullmatch(name) for name in os.listdir(folder)):
                return True
        except FileNotFoundError:
            pass
        time.sleep(0.0002)
    return False


def _finish_with_an_edit(config: Path) -> None:
    """The next edit takes the lock (a killed writer's lock is gone with it) and clears its temps."""
    done = subprocess.run([*aicompare(), "catalog", "set", "alpha-mini", "--note", "after"], env=_env(config),
                          capture_output=True, timeout=120, cwd="/")
    assert done.returncode == 0, done.stderr
    assert temps(config / "aicompare") == []


@pytest.fixture(scope="module")
def full_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[float, bytes]:
    """The full LiteLLM import run to the end over USER_TOML: how long it takes, what it writes."""
    if not LITELLM.is_file():
        pytest.skip(f"reference data set absent: {LITELLM} (CI has it)")
    config = tmp_path_factory.mktemp("full-import") / "config"
    (config / "aicompare").mkdir(parents=True)
    (config / "aicompare" / "models.toml").write_text(USER_TOML, "utf-8")
    started = time.monotonic()
    full = subprocess.run([*aicompare(), "catalog", "import", "--from", "litellm", str(LITELLM)],
                          env=_env(config), capture_output=True, timeout=300, cwd="/")
    duration = time.monotonic() - started
    assert full.returncode == 0, full.stderr
    new = (config / "aicompare" / "models.toml").read_bytes()
    assert len(tomllib.loads(new.decode())["models"]) > 3900
    return duration, new


@needs_litellm
def test_sigkill_during_the_full_litellm_import(tmp_path: Path, full_import: tuple[float, bytes]) -> None:
    """Kill `catalog import --from litellm <full file>` at random moments and inside the write."""
    args = ["catalog", "import", "--from", "litellm", str(LITELLM)]
    duration, new = full_import

    rng = random.Random(SEED)
    moments: list[Any] = [rng.uniform(0.05, duration) for _ in range(3)]
    moments += [r"models\.toml\.bak\.{pid}-[0-9a-f]+\.tmp", r"models\.toml\.{pid}-[0-9a-f]+\.tmp"]
    outcomes = []
    for moment in moments:
        config = tmp_path / f"kill-{len(outcomes)}" / "config"
        folder = config / "aicompare"
        folder.mkdir(parents=True)
        (folder / "models.toml").write_text(USER_TOML, "utf-8")
        old = (folder / "models.toml").read_bytes()
        proc = _spawn(args, _env(config))
        if isinstance(moment, float):
            time.sleep(moment)
        else:
            assert _wait_for_temp(folder, proc, moment), f"the import ended before writing {moment}"
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        now = (folder / "models.toml").read_bytes()
        assert now in (old, new), f"killed at {moment}: the file is neither the old nor the new version"
        outcomes.append("new" if now == new else "old")
        left = temps(folder)
        assert len(left) <= 1 and all(f".{proc.pid}-" in name for name in left), left
        _finish_with_an_edit(config)
    assert "old" in outcomes, outcomes


def test_sigkill_during_catalog_set(tmp_path: Path) -> None:
    """Edits killed at random moments: each is applied whole or not at all; later ones still work."""
    config = tmp_path / "config"
    folder = config / "aicompare"
    folder.mkdir(parents=True)
    path = folder / "models.toml"
    path.write_text(USER_TOML, "utf-8")
    rng = random.Random(SEED)
    applied: set[int] = set()
    for i in range(10):
        proc = _spawn(["catalog", "set", "pixel-one", "--set", f"image_prices.k.{1000 + i}x1000=0.5"], _env(config))
        if i % 3 == 2:
            _wait_for_temp(folder, proc, r"models\.toml\.{pid}-[0-9a-f]+\.tmp")
        else:
            time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        cells = tomllib.loads(path.read_text("utf-8"))["models"].get("pixel-one", {}).get("image_prices", {}).get("k", {})
        sizes = {int(size.split("x")[0]) - 1000 for size in cells}
        assert sizes in (applied, applied | {i}), (i, sizes, applied)
        applied = sizes
        assert len(temps(folder)) <= 1
    _finish_with_an_edit(config)


# --- real processes: concurrency -----------------------------------------------------------------


def test_two_processes_fifty_edits_each(tmp_path: Path) -> None:
    """Two writers, 50 `aicompare catalog set` each, while a reader parses the file all along."""
    config = tmp_path / "config"
    folder = config / "aicompare"
    folder.mkdir(parents=True)
    path = folder / "models.toml"
    path.write_text(USER_TOML, "utf-8")
    env = _env(config)
    failures: list[str] = []
    stop = threading.Event()
    reads = {"n": 0}

    def writer(quality: str) -> None:
        for i in range(50):
            ran = subprocess.run([*aicompare(), "catalog", "set", "pixel-one", "--set",
                                  f"image_prices.{quality}.{1000 + i}x1000=0.0{i % 9 + 1}"],
                                 env=env, capture_output=True, timeout=120, cwd="/")
            if ran.returncode != 0:
                failures.append(f"{quality} {i}: {ran.stderr.decode()}")

    def reader() -> None:
        seen = {"qa": 0, "qb": 0}
        while not stop.is_set():
            text = path.read_bytes().decode("utf-8")
            try:
                doc = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                failures.append(f"a reader saw a torn file: {exc}")
                return
            reads["n"] += 1
            grid = doc["models"].get("pixel-one", {}).get("image_prices", {})
            for quality in seen:
                count = len(grid.get(quality, {}))
                if count < seen[quality]:
                    failures.append(f"{quality} went from {seen[quality]} to {count} cells: an edit was lost")
                seen[quality] = count
            time.sleep(0.001)

    threads = [threading.Thread(target=writer, args=(q,)) for q in ("qa", "qb")]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    watcher.join()
    assert not failures, failures[:5]
    grid = tomllib.loads(path.read_text("utf-8"), parse_float=Decimal)["models"]["pixel-one"]["image_prices"]
    for quality in ("qa", "qb"):
        assert sorted(grid[quality]) == sorted(f"{1000 + i}x1000" for i in range(50))
        assert grid[quality]["1000x1000"] == Decimal("0.01")
    assert reads["n"] > 10 and temps(folder) == []


# --- real processes: Ctrl-C ----------------------------------------------------------------------


def _interrupt(args: list[str], config: Path, moment: Any) -> tuple[int, str, str]:
    """SIGINT at `moment`: seconds after the start, or when a line matching it appears on stderr
    (PYTHONPROFILEIMPORTTIME reports each module as its import ends), or when a temp file appears."""
    env = _env(config)
    watch_imports = isinstance(moment, str) and moment.startswith("import:")
    if watch_imports:
        env["PYTHONPROFILEIMPORTTIME"] = "1"
    proc = _spawn(args, env)
    err: list[bytes] = []
    if watch_imports:
        assert proc.stderr is not None
        module = moment.removeprefix("import:")
        for line in iter(proc.stderr.readline, b""):
            err.append(line)
            if line.rstrip().endswith(f"| {module}".encode()) or line.rstrip().endswith(f" {module}".encode()):
                proc.send_signal(signal.SIGINT)
                break
        else:
            pytest.fail(f"{module} was never imported")
    elif isinstance(moment, str):
        assert _wait_for_temp(config / "aicompare", proc, moment), moment
        proc.send_signal(signal.SIGINT)
    else:
        time.sleep(moment)
        proc.send_signal(signal.SIGINT)
    out, rest = proc.communicate(timeout=120)
    stderr = (b"".join(err) + rest).decode("utf-8", "replace")
    stderr = "\n".join(line for line in stderr.splitlines() if not line.startswith("import time:"))
    return proc.returncode, out.decode("utf-8", "replace"), stderr


# While modules load (reported by PYTHONPROFILEIMPORTTIME), at shares of the full import's
# duration, and inside the write of the backup and of the file.
IMPORT_MOMENTS = ["import:typer.colors", "import:typer._click.core", "import:aicompare.cli",
                  "import:aicompare.store", "import:aicompare.importers", 0.1, 0.3, 0.5,
                  r"models\.toml\.bak\.{pid}-[0-9a-f]+\.tmp", r"models\.toml\.{pid}-[0-9a-f]+\.tmp"]
MOMENT_IDS = ["backup write" if "bak" in str(m) else "file write" if "{pid}" in str(m)
              else f"{m} of the run" if isinstance(m, float) else m for m in IMPORT_MOMENTS]


@pytest.mark.parametrize("moment", IMPORT_MOMENTS, ids=MOMENT_IDS)
def test_ctrl_c_during_import_exits_130_quietly(tmp_path: Path, moment: Any, request: pytest.FixtureRequest) -> None:
    if isinstance(moment, float):
        duration, _ = request.getfixturevalue("full_import")
        moment *= duration
    source = LITELLM if LITELLM.is_file() else SAMPLE
    config = tmp_path / "config"
    folder = config / "aicompare"
    folder.mkdir(parents=True)
    (folder / "models.toml").write_text(USER_TOML, "utf-8")
    old = (folder / "models.toml").read_bytes()
    code, out, err = _interrupt(["catalog", "import", "--from", "litellm", str(source)], config, moment)
    if code == 0 and isinstance(moment, float):
        pytest.fail(f"the import finished before {moment}s: choose earlier moments")
    assert code == 130, (code, err)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err and "Aborted" not in err, err
    assert out == ""
    now = (folder / "models.toml").read_bytes()
    assert now == old or len(tomllib.loads(now.decode())["models"]) > 10
    assert temps(folder) == []  # an interrupted write removes its own temp file


def test_ctrl_c_while_waiting_for_the_lock(tmp_path: Path) -> None:
    from filelock import FileLock

    config = tmp_path / "config"
    folder = config / "aicompare"
    folder.mkdir(parents=True)
    (folder / "models.toml").write_text(USER_TOML, "utf-8")
    with FileLock(store.lock_path(folder / "models.toml")):
        code, out, err = _interrupt(["catalog", "set", "alpha-mini", "--input", "2"], config, 1.0)
    assert code == 130 and out == "" and "Traceback" not in err, err
    assert (folder / "models.toml").read_text("utf-8") == USER_TOML


# --- closed pipes ----------------------------------------------------------------------------------


CLOSED_PIPE_COMMANDS = [
    "list --catalog @BIG@", "list --format csv --catalog @BIG@", "list --format markdown --catalog @BIG@",
    "list --json --catalog @BIG@", "show alpha-large", "diff alpha alpha-mini pixel-one --catalog @BIG@",
    "cost --tokens 5M --all --catalog @BIG@", "cost --tokens 5M --all --json --catalog @BIG@",
    "best --for chat --catalog @BIG@", "best --list", "catalog export --catalog @BIG@",
    "catalog export --format json --catalog @BIG@", "catalog export --format csv --catalog @BIG@",
    "catalog path", "catalog validate @BIG@", "catalog set alpha-mini --input 1 --into @DIR@/mine.toml",
    "--help", "--version",
]


@pytest.mark.parametrize("command", CLOSED_PIPE_COMMANDS)
@pytest.mark.parametrize("reader", ["head -1", "head -c 1", "true"])
def test_closed_pipe_prints_no_error(tmp_path: Path, command: str, reader: str) -> None:
    """The convention (docs/reliability.md): a reader that goes away is not an error. Every
    command ends the same way, exit 0 and nothing on stderr, whether the reader left before the
    first byte or after some; tests/test_output_safety.py checks every command with a pipe whose
    reader is gone from the start."""
    big = tmp_path / "big.toml"
    # enough output that the reader is gone long before the writer is done
    big.write_text("".join(f'[models.extra-{i}]\nprovider = "acme"\ntype = "text"\nnotes = "{"x" * 200}"\n'
                           for i in range(300)), "utf-8")
    script = " ".join(aicompare())
    args = command.replace("@BIG@", str(big)).replace("@DIR@", str(tmp_path))
    # pipefail: the pipeline's status is aicompare's (every reader here exits 0)
    proc = subprocess.run(["bash", "-c", f"set -o pipefail; {script} {args} | {reader}"], capture_output=True,
                          env=base_env(), timeout=60, cwd="/")
    assert proc.stderr == b"", proc.stderr.decode()
    assert proc.returncode == 0, command


# --- stdout that cannot take the output, and readers slower than the writer -----------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("command", ["--version", "list", "list --json", "list --format csv",
                                     "diff alpha alpha-mini", "cost --tokens 5M", "catalog export"])
def test_a_full_disk_on_stdout_is_an_error_not_a_traceback(command: str) -> None:
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([*aicompare(), *command.split()], stdout=full, stderr=subprocess.PIPE,
                              env=base_env(), timeout=60, cwd="/")
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert err.startswith("error: cannot write the output: No space left on device\n"), err
    assert "Traceback" not in err and err.count("error:") == 1, err


@pytest.mark.parametrize("command", ["catalog export --format json", "list --json", "cost --tokens 5M --all --json"])
def test_a_slow_reader_gets_every_byte(tmp_path: Path, command: str) -> None:
    """The process ends without the interpreter's teardown (`_entry.run`): the output must be
    flushed first, also when it is far larger than a pipe holds and the reader takes its time."""
    big = tmp_path / "big.toml"
    big.write_text("".join(f'[models.extra-{i}]\nprovider = "acme"\ntype = "text"\nnotes = "{"x" * 200}"\n'
                           for i in range(1000)), "utf-8")
    argv = [*aicompare(), *command.split(), "--catalog", str(big)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=base_env(), cwd="/")
    assert proc.stdout is not None and proc.stderr is not None
    time.sleep(0.5)  # the writer fills the pipe and waits
    out = b""
    while chunk := proc.stdout.read(4096):
        out += chunk
        time.sleep(0.001)
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0, err.decode()
    assert len(out) > 200_000, len(out)  # several times what a pipe holds
    document = json.loads(out)
    assert len(document.get("models") or document["results"]) >= 1000
