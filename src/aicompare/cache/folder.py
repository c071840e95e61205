"""The cache folder: used only when this user alone controls it, and kept small.

The folder is created 0700 and the files 0600 whatever the umask. On POSIX a folder or file is
used only when it is owned by the effective user, is not writable by group or others, and is
not a symlink; ownership and mode are read with fstat from the descriptor that is then used
(O_NOFOLLOW, no check-then-open race), and every file is opened relative to the verified
folder's descriptor. A folder that fails the check is never read or written.

At most KEEP_FILES files and KEEP_BYTES bytes are kept, the most recently used first; a file in
use is touched at most once an hour so that its mtime says when it was last used.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PREFIX = "catalog-"
SUFFIX = ".marshal"
KEEP_FILES = 8
KEEP_BYTES = 64 * 1024 * 1024
_TOUCH_AFTER = 3600  # seconds: how stale a used file's mtime may get before it is refreshed
_STALE_TEMP = 3600  # seconds: a temporary file this old was left by a run that died

_POSIX = hasattr(os, "geteuid")
_AT = _POSIX and os.open in os.supports_dir_fd and os.scandir in os.supports_fd
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _trusted(st: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (always true where there are no uids)."""
    return not _POSIX or (st.st_uid == os.geteuid() and not st.st_mode & 0o022)


class Folder:
    """The cache folder, verified once, then used through its descriptor (by path without *at)."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self.fd = fd

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def open(self, name: str, flags: int, mode: int = 0o600) -> int:
        if self.fd is not None:
            return os.open(name, flags | _NOFOLLOW, mode, dir_fd=self.fd)
        return os.open(self.path / name, flags | _NOFOLLOW, mode)

    def replace(self, source: str, target: str) -> None:
        if self.fd is not None:
            os.replace(source, target, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        else:
            os.replace(self.path / source, self.path / target)

    def unlink(self, name: str) -> None:
        if self.fd is not None:
            os.unlink(name, dir_fd=self.fd)
        else:
            os.unlink(self.path / name)

    def entries(self) -> list[tuple[str, os.stat_result]]:
        """(name, lstat) of every entry; symlinks are reported as such, never followed."""
        found = []
        with os.scandir(self.fd if self.fd is not None else self.path) as scan:
            for entry in scan:
                try:
                    found.append((entry.name, entry.stat(follow_symlinks=False)))
                except OSError:
                    continue  # removed meanwhile
        return found

    def read(self, name: str, least: int) -> memoryview | None:
        """The file's bytes (mapped) if it is a regular file of at least `least` bytes that this
        user alone controls; the descriptor checked is the one mapped, and is never reused."""
        import mmap

        try:
            fd = self.open(name, _OPEN | getattr(os, "O_NONBLOCK", 0))
        except OSError:  # absent, a symlink (ELOOP), ...
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or not _trusted(st) or st.st_size < least:
                return None
            view = memoryview(mmap.mmap(fd, 0, access=mmap.ACCESS_READ))
            if _POSIX and st.st_mtime < _now() - _TOUCH_AFTER:
                try:
                    os.utime(fd)  # mark it used, for pruning
                except OSError:
                    pass
            return view
        except (OSError, ValueError):
            return None
        finally:
            os.close(fd)

    def write(self, name: str, data: bytes) -> None:
        """`data` as the file `name`: written to a new temporary file (0600 whatever the umask),
        then moved into place, so a file another run has mapped never changes under it; then the
        folder is pruned. OSError when it cannot be written (the temporary file is removed)."""
        temp = f"{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        fd = self.open(
            temp,
            os.O_WRONLY
            | os.O_CREAT
            | os.O_EXCL
            | getattr(os, "O_CLOEXEC", 0)
            | getattr(os, "O_BINARY", 0),
            0o600,
        )
        try:
            try:
                if _POSIX:
                    os.fchmod(fd, 0o600)  # whatever the umask
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
            self.replace(temp, name)
        except BaseException:
            try:
                self.unlink(temp)
            except OSError:
                pass
            raise
        self.prune(name)

    def prune(self, keep: str) -> None:
        """Keep the KEEP_FILES most recently used cache files within KEEP_BYTES (`keep` always);
        remove the rest, and temporary files a killed run left. Only our own regular files, by
        name."""
        import re

        files, now = [], _now()
        for name, st in self.entries():
            if not stat.S_ISREG(st.st_mode) or not _trusted(st):
                continue  # symlinks, folders and anything not ours are left alone
            if re.fullmatch(r"catalog-[0-9a-f]{8}\.marshal", name):
                files.append((name != keep, -st.st_mtime, name, st.st_size))
            elif (
                re.fullmatch(r"catalog-[0-9a-f]{8}\.marshal\.\d+\.[0-9a-f]{8}\.tmp", name)
                and st.st_mtime < now - _STALE_TEMP
            ):
                files.append((True, float("inf"), name, KEEP_BYTES + 1))  # always removed
        total = 0
        for count, (_, _, name, size) in enumerate(sorted(files)):
            total += size
            if name != keep and (count >= KEEP_FILES or total > KEEP_BYTES):
                try:
                    self.unlink(name)
                except OSError:
                    pass


def open_folder(create: bool) -> Folder | None:
    """The cache folder if this user alone controls it, created (0700) when `create`; else None."""
    from aicompare.paths import cache_dir

    path = cache_dir()
    if not _AT:  # no descriptor-relative calls (Windows): by path, checked where there are uids
        try:
            if create:
                path.mkdir(mode=0o700, parents=True, exist_ok=True)
            st = os.lstat(path)
        except OSError:
            return None
        return Folder(path, None) if stat.S_ISDIR(st.st_mode) and _trusted(st) else None
    flags = os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | os.O_CLOEXEC
    created = False
    try:
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            if not create:
                return None
            _make_parents(path.parent)
            try:
                os.mkdir(path, 0o700)
                created = True
            except FileExistsError:
                pass  # another run made it first: checked below like any other
            fd = os.open(path, flags)
    except OSError:  # a symlink (ELOOP), not a folder, no access, ...
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISDIR(st.st_mode) or not _trusted(st):
            os.close(fd)
            return None
        mode = stat.S_IMODE(st.st_mode)
        if create and (mode != 0o700 if created else mode & 0o077):
            # exactly 0700 when made here (the umask may have taken more or less); an existing
            # folder (an older version made it 0755) only loses what group and others had
            os.fchmod(fd, 0o700 if created else mode & 0o700)
    except OSError:
        os.close(fd)
        return None
    return Folder(path, fd)


def _make_parents(path: Path) -> None:
    """Create the missing folders above the cache folder, 0700 whatever the umask (the XDG rule
    for base folders)."""
    missing = []
    while not os.path.lexists(path) and path.parent != path:
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue  # made meanwhile by someone else: left as it is
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | os.O_CLOEXEC)
        try:
            os.fchmod(fd, 0o700)
        finally:
            os.close(fd)


def _now() -> float:
    from time import time

    return time()
