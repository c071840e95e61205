"""Files the tool reads and writes, through the installed console script: a FIFO, a socket, a
directory or a device is refused with one error naming it (never a hang, never a clobbered device,
never silently skipped); symbolic links are followed by one rule for every write; and no file the
tool writes from a private layer is more readable than that layer (docs/catalog.md, "Files
aicompare reads and writes").

Every subprocess has a timeout, so a regression that blocks on a FIFO fails instead of hanging
the suite.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from terminal import FIXTURE, aicompare, base_env

from aicompare import store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and modes")

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0
SAMPLE = Path(__file__).parent / "data" / "importers" / "litellm.json"
TIMEOUT = 30  # seconds; a run blocked on a FIFO fails the test here instead of hanging the suite
WRITE_HINT = "give the path of a regular file to write (a symbolic link to one is followed)"
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
KIND_NAMES = {
    "fifo": "a named pipe (FIFO)",
    "socket": "a socket",
    "directory": "a directory",
    "device": "a character device",
}


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A folder with a short path: a unix socket's path must fit in 108 bytes."""
    folder = Path(tempfile.mkdtemp(prefix="afs-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(cache_of(folder), ignore_errors=True)


def cache_of(folder: Path) -> Path:
    """The cache folder of a run in `folder`: beside it, so that it never counts as "made" there."""
    return folder.with_name(folder.name + "-cache")


def make_node(kind: str, path: Path) -> None:
    """Create a FIFO, a socket, a directory or a character device (like /dev/null) at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(path))  # the node stays after the socket is closed
    elif kind == "directory":
        path.mkdir()
    elif kind == "device":
        if not ROOT_USER:
            pytest.skip("creating a device node needs root (CI runs as root)")
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    else:
        raise AssertionError(kind)


def is_kind(kind: str, path: Path) -> bool:
    mode = os.lstat(path).st_mode
    return {
        "fifo": stat.S_ISFIFO,
        "socket": stat.S_ISSOCK,
        "directory": stat.S_ISDIR,
        "device": stat.S_ISCHR,
    }[kind](mode)


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def env_for(folder: Path, **extra: str) -> dict[str, str]:
    return base_env(
        XDG_CONFIG_HOME=str(folder / "config"), XDG_CACHE_HOME=str(cache_of(folder)), **extra
    )


def run(
    args: list[str], env: dict[str, str], *, umask: int | None = None
) -> subprocess.CompletedProcess[str]:
    def set_umask() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run(
        [*aicompare(), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        cwd="/",
        preexec_fn=set_umask,
    )


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def user_layer(folder: Path) -> Path:
    return folder / "config" / "aicompare" / "models.toml"


# --- writes: a target that is not a regular file -----------------------------------------------

# (name, argv builder given the target) for every command that writes a file
ADD = ["catalog", "add", "new-one", "--provider", "acme", "--type", "text"]
IMPORT = ["catalog", "import", "--from", "litellm", str(SAMPLE)]
WRITES: dict[str, Callable[[Path], list[str]]] = {
    "export -o": lambda p: ["catalog", "export", "-o", str(p)],
    "export --format csv -o": lambda p: ["catalog", "export", "--format", "csv", "-o", str(p)],
    "set --into": lambda p: ["catalog", "set", "alpha-mini", "--input", "0.8", "--into", str(p)],
    "add --into": lambda p: [*ADD, "--into", str(p)],
    "remove --into": lambda p: ["catalog", "remove", "mine", "--into", str(p)],
    "import --into": lambda p: [*IMPORT, "--into", str(p)],
    "import --dry-run --into": lambda p: [*IMPORT, "--dry-run", "--into", str(p)],
}
USER_HINT = (
    "your layer must be a regular file: replace or remove it "
    "(aicompare catalog path lists the layers)"
)


def refused(path: Path, kind: str, hint: str = WRITE_HINT) -> str:
    return f"error: {path}: is {KIND_NAMES[kind]}, not a regular file\n{hint}\n"


@pytest.mark.parametrize("kind", list(KIND_NAMES))
@pytest.mark.parametrize("command", list(WRITES))
def test_a_write_to_a_special_file_is_refused(short_dir: Path, command: str, kind: str) -> None:
    target = short_dir / "out" / "target"
    make_node(kind, target)
    before = tree(short_dir)
    ran = run(WRITES[command](target), env_for(short_dir))
    assert (ran.returncode, ran.stdout) == (1, ""), ran.stderr
    assert ran.stderr == refused(target, kind)
    assert is_kind(kind, target)
    assert tree(short_dir) == before  # no lock, temp, backup or folder made


@pytest.mark.parametrize("kind", list(KIND_NAMES))
@pytest.mark.parametrize("command", ["set", "add", "remove", "import"])
def test_a_user_layer_that_is_a_special_file_is_not_written(
    short_dir: Path, command: str, kind: str
) -> None:
    target = user_layer(short_dir)
    make_node(kind, target)
    before = tree(short_dir)
    argv = WRITES[f"{command} --into"](target)[:-2]  # the same command, on the default layer
    ran = run(argv, env_for(short_dir))
    assert (ran.returncode, ran.stdout) == (1, ""), ran.stderr
    # set, add and import load the catalog first: the loader names the layer; remove only writes
    assert ran.stderr == refused(target, kind, WRITE_HINT if command == "remove" else USER_HINT)
    assert is_kind(kind, target) and tree(short_dir) == before


# --- writes: one symlink policy -----------------------------------------------------------------


def test_every_write_follows_a_symlink_and_keeps_it(short_dir: Path) -> None:
    """export -o, --into and the default layer: the file a link names is replaced; links stay."""
    real = short_dir / "real" / "models.toml"
    real.parent.mkdir()
    real.write_text(USER_TOML, "utf-8")
    layer_link = user_layer(short_dir)
    layer_link.parent.mkdir(parents=True)
    layer_link.symlink_to(real)
    into_link = short_dir / "into.toml"
    into_link.symlink_to(real)
    export_link = short_dir / "export.toml"
    export_link.symlink_to(short_dir / "real" / "exported.toml")  # dangling: the export creates it
    env = env_for(short_dir)
    for argv in (
        ["catalog", "set", "alpha-mini", "--input", "0.8"],
        ["catalog", "set", "alpha-mini", "--output", "3.2", "--into", str(into_link)],
        [*ADD, "--into", str(into_link)],
        ["catalog", "remove", "mine", "--into", str(into_link)],
        [*IMPORT, "--into", str(into_link)],
        ["catalog", "export", "-o", str(export_link)],
    ):
        ran = run(argv, env)
        assert ran.returncode == 0, (argv, ran.stderr)
    for link in (layer_link, into_link, export_link):
        assert link.is_symlink(), link
    doc = tomllib.loads(real.read_text("utf-8"))
    assert doc["models"]["alpha-mini"]["prices"] == {"input": 0.8, "output": 3.2}
    assert "new-one" in doc["models"] and "mine" not in doc["models"] and len(doc["models"]) > 3
    assert sorted(p.name for p in real.parent.iterdir()) == [
        "exported.toml",
        "models.toml",
        "models.toml.bak",
        "models.toml.lock",
    ]
    assert "[models.new-one]" in (short_dir / "real" / "exported.toml").read_text("utf-8")


@pytest.mark.parametrize("kind", ["fifo", "directory"])
@pytest.mark.parametrize("command", ["export -o", "set --into"])
def test_a_symlink_to_a_special_file_is_refused(short_dir: Path, command: str, kind: str) -> None:
    node = short_dir / "node"
    make_node(kind, node)
    link = short_dir / "link.toml"
    link.symlink_to(node)
    before = tree(short_dir)
    ran = run(WRITES[command](link), env_for(short_dir))
    assert (ran.returncode, ran.stdout) == (1, ""), ran.stderr
    assert ran.stderr == refused(link, kind)
    assert link.is_symlink() and is_kind(kind, node) and tree(short_dir) == before


@pytest.mark.skipif(not ROOT_USER, reason="planting a link owned by another user needs root")
@pytest.mark.parametrize("command", ["export -o", "set --into"])
def test_a_planted_link_in_a_shared_folder_is_not_followed(short_dir: Path, command: str) -> None:
    """Like the kernel's fs.protected_symlinks: in a sticky world-writable folder (/tmp), a link
    owned by another user is not followed, so it cannot aim a write at the victim's file."""
    shared = short_dir / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    victim = short_dir / "victim.toml"
    victim.write_text(USER_TOML, "utf-8")
    link = shared / "out.toml"
    link.symlink_to(victim)
    os.lchown(link, 65534, 65534)
    before = tree(short_dir)
    ran = run(WRITES[command](link), env_for(short_dir))
    assert (ran.returncode, ran.stdout) == (1, ""), ran.stderr
    assert ran.stderr == (
        f"error: {link}: a symbolic link of another user in a shared folder; "
        "not followed\nwrite to a path of your own\n"
    )
    assert victim.read_text("utf-8") == USER_TOML and link.is_symlink()
    assert tree(short_dir) == before


# --- modes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "umask", [0o000, 0o022, 0o077], ids=["umask 000", "umask 022", "umask 077"]
)
def test_an_edit_keeps_a_private_layer_private(short_dir: Path, umask: int) -> None:
    layer = user_layer(short_dir)
    layer.parent.mkdir(parents=True)
    layer.write_text(USER_TOML, "utf-8")
    layer.chmod(0o600)
    env = env_for(short_dir)
    for argv in (
        ["catalog", "set", "alpha-mini", "--input", "0.8"],
        ["catalog", "import", "--from", "litellm", str(SAMPLE)],
    ):
        ran = run(argv, env, umask=umask)
        assert ran.returncode == 0, ran.stderr
        modes = {p.name: mode_of(p) for p in layer.parent.iterdir()}
        assert modes == {"models.toml": 0o600, "models.toml.bak": 0o600, "models.toml.lock": 0o600}


def test_a_shared_layer_keeps_its_mode(short_dir: Path) -> None:
    layer = short_dir / "team.toml"
    layer.write_text(USER_TOML, "utf-8")
    layer.chmod(0o640)
    ran = run(
        ["catalog", "set", "alpha-mini", "--input", "0.8", "--into", str(layer)],
        env_for(short_dir),
        umask=0o077,
    )
    assert ran.returncode == 0, ran.stderr
    assert {p.name: mode_of(p) for p in short_dir.iterdir() if p.is_file()} == {
        "team.toml": 0o640,
        "team.toml.bak": 0o640,
        "team.toml.lock": 0o640,
    }


@pytest.mark.parametrize("umask", [0o000, 0o022], ids=["umask 000", "umask 022"])
def test_a_new_layer_is_created_private_whatever_the_umask(short_dir: Path, umask: int) -> None:
    env = env_for(short_dir)
    new_into = short_dir / "new.toml"
    for argv in (
        ["catalog", "set", "alpha-mini", "--input", "0.8"],
        [*ADD, "--into", str(new_into)],
    ):
        ran = run(argv, env, umask=umask)
        assert ran.returncode == 0, ran.stderr
    layer = user_layer(short_dir)
    assert {p.name: mode_of(p) for p in layer.parent.iterdir()} == {
        "models.toml": 0o600,
        "models.toml.lock": 0o600,
    }
    assert (mode_of(new_into), mode_of(store.lock_path(new_into))) == (0o600, 0o600)


def _export_mode(
    short_dir: Path, layer_modes: list[int], *, existing: int | None = None, fmt: str = "toml"
) -> int:
    env = env_for(short_dir)
    catalogs: list[str] = []
    for i, mode in enumerate(layer_modes):
        layer = short_dir / f"layer{i}.toml"
        layer.write_text(f'[models.extra-{i}]\nprovider = "acme"\ntype = "text"\n', "utf-8")
        layer.chmod(mode)
        catalogs += ["--catalog", str(layer)]
    out = short_dir / f"export.{fmt}"
    if existing is not None:
        out.write_text("old\n", "utf-8")
        out.chmod(existing)
    ran = run(["catalog", "export", "--format", fmt, "-o", str(out), *catalogs], env, umask=0o022)
    assert ran.returncode == 0, ran.stderr
    assert ("extra-0" in out.read_text("utf-8")) == bool(layer_modes)
    return mode_of(out)


@pytest.mark.parametrize(
    ("layers", "existing", "expected"),
    [
        ([], None, 0o644),  # the bundled catalog only: what the umask gives
        ([0o644], None, 0o644),
        ([0o600], None, 0o600),  # a private layer: the export is private
        ([0o644, 0o600], None, 0o600),
        ([0o640], None, 0o640),  # readable by the group, not by others
        ([0o600], 0o644, 0o600),  # an existing world-readable file is narrowed
        ([0o644], 0o640, 0o640),  # an existing file keeps its own mode otherwise
    ],
    ids=[
        "bundled only",
        "public layer",
        "private layer",
        "public and private",
        "group layer",
        "existing file narrowed",
        "existing file kept",
    ],
)
def test_an_export_is_no_more_readable_than_its_layers(
    short_dir: Path, layers: list[int], existing: int | None, expected: int
) -> None:
    assert _export_mode(short_dir, layers, existing=existing) == expected


def test_an_export_from_the_cache_is_private_too(short_dir: Path) -> None:
    """The second export is served by the parse-once cache; the rule holds the same."""
    private = user_layer(short_dir)
    private.parent.mkdir(parents=True)
    private.write_text(USER_TOML, "utf-8")
    private.chmod(0o600)
    env = env_for(short_dir)
    for name in ("first.csv", "second.csv"):
        ran = run(
            ["catalog", "export", "--format", "csv", "-o", str(short_dir / name)], env, umask=0o022
        )
        assert ran.returncode == 0, ran.stderr
        assert mode_of(short_dir / name) == 0o600, name
        assert "mine" in (short_dir / name).read_text("utf-8")


def test_a_temp_file_has_its_final_mode_before_a_byte_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """umask 0 would create the temp file 0666: it must be 0600 (the file's mode) from the start."""
    path = tmp_path / "models.toml"
    path.write_text("a = 1\n", "utf-8")
    path.chmod(0o600)
    seen: list[tuple[int, int]] = []
    real = os.fdopen

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        info = os.fstat(fd)
        seen.append((stat.S_IMODE(info.st_mode), info.st_size))
        return real(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", fdopen)
    old = os.umask(0)
    try:
        store.atomic_write_text(path, "a = 2\n")
    finally:
        os.umask(old)
    # the .bak's temp, then the file's: 0600 while still empty
    assert seen == [(0o600, 0), (0o600, 0)]
    assert mode_of(path) == mode_of(store.backup_path(path)) == 0o600


# --- reads: every path the tool reads ----------------------------------------------------------


def _read_case(case: str, node: Path, folder: Path) -> tuple[list[str], dict[str, str], str]:
    """argv, environment and the expected error (without the kind) when `node` is read as `case`."""
    env = env_for(folder)
    layer_hint = "check the --catalog path and AICOMPARE_CATALOG"
    if case == "catalog validate PATH":
        return (
            ["catalog", "validate", str(node)],
            env,
            (
                f"error: {node}: is {{kind}}, not a catalog file\n"
                "fix these entries; the format is in docs/catalog.md\n"
            ),
        )
    if case == "catalog import FILE":
        return (
            ["catalog", "import", "--from", "litellm", str(node)],
            env,
            (
                f"error: {node}: is {{kind}}, not a data file\n"
                "a data file must be a regular file (a symbolic link to one is followed)\n"
            ),
        )
    if case == "--catalog":
        return (
            ["list", "--catalog", str(node)],
            env,
            (f"error: {node}: is {{kind}}, not a regular file\n{layer_hint}\n"),
        )
    if case == "AICOMPARE_CATALOG":
        env["AICOMPARE_CATALOG"] = str(node)
        return ["list"], env, f"error: {node}: is {{kind}}, not a regular file\n{layer_hint}\n"
    if case == "AICOMPARE_BASE_CATALOG":
        env["AICOMPARE_BASE_CATALOG"] = str(node)
        return (
            ["list"],
            env,
            (
                f"error: {node}: is {{kind}}, not a regular file\n"
                "AICOMPARE_BASE_CATALOG must name a catalog file\n"
            ),
        )
    raise AssertionError(case)


READS = [
    "catalog validate PATH",
    "catalog import FILE",
    "--catalog",
    "AICOMPARE_CATALOG",
    "AICOMPARE_BASE_CATALOG",
]


@pytest.mark.parametrize("kind", list(KIND_NAMES))
@pytest.mark.parametrize("case", READS)
def test_a_read_of_a_special_file_is_an_error(short_dir: Path, case: str, kind: str) -> None:
    node = short_dir / "node"
    make_node(kind, node)
    argv, env, expected = _read_case(case, node, short_dir)
    ran = run(argv, env)
    assert (ran.returncode, ran.stdout) == (1, ""), ran.stderr
    assert ran.stderr == expected.format(kind=KIND_NAMES[kind])
    assert is_kind(kind, node)


@pytest.mark.parametrize("kind", list(KIND_NAMES))
def test_a_user_layer_that_is_a_special_file_is_an_error_not_skipped(
    short_dir: Path, kind: str
) -> None:
    env = env_for(short_dir)
    layer = user_layer(short_dir)
    # a first run with a regular layer fills the cache: the special file must be caught before it
    layer.parent.mkdir(parents=True)
    layer.write_text(USER_TOML, "utf-8")
    assert run(["list"], env).returncode == 0
    layer.unlink()
    make_node(kind, layer)
    ran = run(["list"], env)
    assert (ran.returncode, ran.stdout) == (1, ""), ran.stderr
    assert ran.stderr == refused(layer, kind, USER_HINT)
    ran = run(["catalog", "validate"], env)
    assert (ran.returncode, ran.stdout) == (1, ""), ran.stderr
    assert ran.stderr == (
        f"error: {layer}: is {KIND_NAMES[kind]}, not a catalog file\n"
        "fix these entries; the format is in docs/catalog.md\n"
    )


def test_a_missing_user_layer_is_still_fine(short_dir: Path) -> None:
    ran = run(["list", "--json"], env_for(short_dir))
    assert ran.returncode == 0 and ran.stderr == ""
    assert not (short_dir / "config").exists()


def test_a_symlink_to_a_regular_file_is_read(short_dir: Path) -> None:
    real = short_dir / "real.toml"
    real.write_text(USER_TOML, "utf-8")
    link = short_dir / "link.toml"
    link.symlink_to(real)
    ran = run(["catalog", "validate", str(link)], env_for(short_dir))
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == f"ok: 6 models in 2 layers ({FIXTURE}, {link})\n"


# --- Ctrl-C at the one moment that made test_ctrl_c_during_import_exits_130_quietly flaky -----


def test_ctrl_c_just_after_the_temp_file_object_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGINT handled right after io.open returned inside os.fdopen: the new file object is dropped
    unreturned. When it owned the descriptor, dropping it closed the descriptor and the cleanup
    closed it again: EBADF replaced the KeyboardInterrupt, and the run exited 1 ("Bad file
    descriptor") instead of 130. The descriptor now has one owner."""
    path = tmp_path / "models.toml"
    path.write_text("a = 1\n", "utf-8")
    real = os.fdopen
    calls = [0]

    def interrupted(fd: int, *args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == 2:  # the file's temp, after the backup's
            real(fd, *args, **kwargs)  # built and dropped at once, as the unwinding does
            raise KeyboardInterrupt
        return real(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", interrupted)
    with pytest.raises(KeyboardInterrupt) as caught:
        store.atomic_write_text(path, "a = 2\n")
    assert caught.value.__context__ is None
    assert path.read_text("utf-8") == "a = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["models.toml", "models.toml.bak"]
