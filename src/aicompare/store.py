"""Safe edits of a catalog file: locked read-modify-write, exact TOML, validated, atomic, backed up."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import re
import secrets
import stat
import time
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import tomli_w
from filelock import FileLock, Timeout

from aicompare.catalog import Layer
from aicompare.errors import AicompareError, CatalogError, WriteError
from aicompare.loader import build_catalog, bundled_path, read_document
from aicompare.textfile import NotRegularFileError, read_regular, special_kind

R = TypeVar("R")

HEADER = (
    "# aicompare catalog layer, written by aicompare (format: docs/catalog.md).\n"
    "# Comments are not kept when aicompare edits this file; the previous version is in the .bak file.\n"
)
LOCK_TIMEOUT = 30.0
# A temp file whose writer may still be alive is only removed once it is this old (pid reuse,
# or platforms where liveness cannot be checked).
STALE_AFTER = 600.0

# A layer file aicompare creates holds the user's own (often negotiated) prices: only its owner
# may read it. A file that exists keeps its mode (docs/catalog.md, "Files aicompare writes").
NEW_LAYER_MODE = 0o600
# Links followed before giving up, as the kernel does (ELOOP).
MAX_LINKS = 40
TARGET_HINT = "give the path of a regular file to write (a symbolic link to one is followed)"

_SCALARS = (str, int, bool, dt.date, dt.datetime, dt.time)


def empty_document() -> dict[str, Any]:
    """The document a missing file stands for."""
    return {"schema_version": 1, "models": {}}


def lock_path(path: Path) -> Path:
    """The lock file guarding `path` (models.toml -> models.toml.lock)."""
    return path.with_name(path.name + ".lock")


def backup_path(path: Path) -> Path:
    """Where the previous version of `path` is kept (models.toml -> models.toml.bak)."""
    return path.with_name(path.name + ".bak")


def _describe(exc: BaseException) -> str:
    """A short reason for a message: the OS error text, else the exception's own."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}" + (f": {exc.filename}" if exc.filename else "")
    return str(exc) or type(exc).__name__


# --- exact TOML ------------------------------------------------------------------------------


def _plain(value: Any, where: str) -> Any:
    """A copy tomli-w writes exactly: floats and integral Decimals fixed, tuples as lists."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise WriteError(
                    f"cannot write {where or 'the document'}: key {key!r} is not a string"
                )
            out[key] = _plain(item, f"{where}.{key}" if where else key)
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, float):
        # repr is the shortest text that reads back as this float: what the caller typed.
        return _plain(Decimal(repr(value)), where)
    if isinstance(value, Decimal):
        sign, digits, exponent = value.as_tuple()
        if isinstance(exponent, int) and exponent == 0:
            # str(Decimal("5")) is "5", which TOML reads as an integer; "5.0" keeps it a number
            # with the same value (built from the tuple: exact, no context rounding).
            return Decimal((sign, (*digits, 0), -1))
        return value
    if isinstance(value, _SCALARS):
        return value
    raise WriteError(
        f"cannot write {where or 'the document'}: {type(value).__name__} has no TOML form"
    )


def _same(a: Any, b: Any) -> bool:
    """Equal in value and in type; Decimals equal digit for digit (0.90 is not 0.9)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, Decimal):
        return bool(a.as_tuple() == b.as_tuple())
    return bool(a == b)


def dump_toml(doc: Mapping[str, Any]) -> str:
    """TOML text of `doc` (with a header comment) that parses back to exactly the same values."""
    plain = _plain(doc, "")
    try:
        text = HEADER + tomli_w.dumps(plain)
        # tomli-w formats Decimals and dates with str(); checking the parse-back turns any lossy
        # case (another tomli-w version, an odd value) into an error instead of a wrong file.
        exact = _same(tomllib.loads(text, parse_float=Decimal), plain)
    except (TypeError, ValueError) as exc:  # TOMLDecodeError is a ValueError
        raise WriteError(f"cannot write the catalog as TOML: {exc}", "nothing was written") from exc
    if not exact:
        raise WriteError(
            "the TOML writer did not reproduce the values exactly", "nothing was written"
        )
    return text


# --- atomic write ----------------------------------------------------------------------------


def _temp_name(target: Path) -> Path:
    """models.toml.<pid>-<random>.tmp: the pid lets a later edit tell a dead writer's leftover."""
    return target.with_name(f"{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable; POSIX only (Windows cannot open a directory)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError:
        # The new file is already in place; some filesystems refuse to fsync a directory.
        pass
    finally:
        os.close(fd)


def _umask_mode() -> int:
    """The mode a new file gets from the umask alone (0o644 under umask 022)."""
    mask = os.umask(0o077)  # the only way to read it portably: set it, then put it back
    os.umask(mask)
    return 0o666 & ~mask


def _replace_with(target: Path, data: bytes, mode: int | None) -> None:
    """Write `data` to a temp file beside `target`, fsync it, and rename it over `target`.

    The temp file is created 0600 and given `mode` (None: what the umask gives) before a byte is
    written, so no one can open it while it is more readable than the file it becomes.
    """
    tmp = _temp_name(target)
    flags = (
        os.O_WRONLY
        | os.O_CREAT
        | os.O_EXCL
        | getattr(os, "O_CLOEXEC", 0)
        | getattr(os, "O_BINARY", 0)
    )
    final = _umask_mode() if mode is None else mode
    try:
        # Created inside the try: a Ctrl-C is delivered right after os.open returns, and the temp
        # file it had just made was left behind when the open stood before the try.
        fd = os.open(tmp, flags, 0o600)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, final)
            else:  # Windows before 3.13: only the read-only bit means anything
                os.chmod(tmp, final)
            # closefd=False: the descriptor has one owner, the finally below. When the file object
            # owned it too, a Ctrl-C landing just after os.fdopen had built it (before it was
            # returned) dropped the object, which closed the descriptor, and the cleanup closed it
            # a second time: EBADF, an exit 1 "Bad file descriptor" instead of 130.
            with os.fdopen(fd, "wb", closefd=False) as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except FileExistsError:
        raise  # O_EXCL refused: that file is not ours to remove
    except BaseException:
        # Whatever went wrong (even KeyboardInterrupt), the target is untouched: drop the temp.
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def atomic_write_text(
    path: Path,
    text: str | bytes,
    *,
    backup: bool = True,
    new_mode: int | None = None,
    deny: int = 0,
) -> None:
    """Replace `path` atomically with UTF-8 `text` (or bytes as they are), first saving the current file as `.bak`.

    Symbolic links are followed (writable_target). The file keeps its mode, and its .bak gets the
    same; a new file gets `new_mode` (None: what the umask gives). `deny` takes permission bits
    away in both cases (an export of private layers, see unreadable_bits).
    """
    path = Path(path)
    target = writable_target(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        old: bytes | None = None
        old_mode: int | None = None
        try:
            old, info = read_regular(target)
            old_mode = stat.S_IMODE(info.st_mode)
        except FileNotFoundError:
            pass
        if old_mode is not None:
            mode = old_mode
        else:
            mode = new_mode if new_mode is not None else _umask_mode()
        if backup and old is not None:
            # The backup is written atomically too, before the file changes: a crash in between
            # leaves a backup equal to the file, never a torn one.
            _replace_with(backup_path(target), old, old_mode)
        data = text.encode("utf-8") if isinstance(text, str) else text
        _replace_with(target, data, mode & ~deny)
    except NotRegularFileError as exc:  # replaced by a FIFO, a directory... since the check
        raise WriteError(f"{path}: is {exc.kind}, not a regular file", TARGET_HINT) from None
    except OSError as exc:
        raise WriteError(
            f"cannot write {path}: {_describe(exc)}", "the previous file is unchanged"
        ) from exc


def unreadable_bits(paths: Iterable[str | os.PathLike[str]]) -> int:
    """Permission bits a file made from `paths` must not have: all of the group's (others') bits
    when any of the files denies the group (others) read access. 0 when every one is readable."""
    deny = 0
    for path in paths:
        try:
            mode = os.stat(path).st_mode
        except OSError:
            continue
        if not mode & stat.S_IRGRP:
            deny |= stat.S_IRWXG
        if not mode & stat.S_IROTH:
            deny |= stat.S_IRWXO
    return deny


def _pid_alive(pid: int) -> bool:
    """Whether a process exists; assumed alive where that cannot be asked safely."""
    if os.name != "posix":
        # os.kill on Windows terminates the process instead of probing it.
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete temp files of `path` left by killed writers (dead pid, or older than STALE_AFTER)."""
    pattern = re.compile(rf"{re.escape(path.name)}(?:\.bak)?\.(\d+)-[0-9a-f]+\.tmp")
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None:
            continue
        with contextlib.suppress(OSError):
            # A leftover temp file must never stop an edit, so failures here are ignored.
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
            if old or not _pid_alive(int(match.group(1))):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


# --- locked edit -----------------------------------------------------------------------------


def validate_layer(doc: Mapping[str, Any], *, path: Path | str = "new content") -> None:
    """Raise CatalogError unless `doc` loads as a layer over the bundled catalog."""
    bundled = bundled_path()
    base, base_text = read_document(bundled)
    # No text for the new layer: line numbers would point into content not on disk.
    build_catalog(
        [
            (Layer("bundled", str(bundled), True), base, base_text),
            (Layer("user", str(path), True), dict(doc), ""),
        ]
    )


def _check_link(link: str) -> None:
    """Refuse a link that the kernel would not follow either (fs.protected_symlinks): one in a
    world-writable sticky folder (/tmp) owned by neither the current user nor the folder's owner,
    the classic trap that points a victim's write at a file of theirs."""
    if os.name != "posix":
        return
    try:
        owner = os.lstat(link).st_uid
        folder = os.stat(os.path.dirname(link) or ".")
    except OSError:
        return
    shared = folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH
    if shared and owner not in (os.geteuid(), folder.st_uid):
        raise WriteError(
            f"{link}: a symbolic link of another user in a shared folder; not followed",
            "write to a path of your own",
        )


def writable_target(path: Path | str) -> Path:
    """The file a write to `path` replaces, checked before anything is created.

    One rule for every write (catalog set|add|remove|import, --into, export -o): a symbolic link
    is followed to the file it names, which is replaced, so the link stays a link; that file must
    be a regular file or not exist yet. A directory, FIFO, socket or device is refused (a FIFO
    would hang the read of the old version; a device would become a regular file).
    """
    path = Path(path)
    current = str(path)
    for _ in range(MAX_LINKS):
        # os.path.islink, not Path.is_symlink: a name the OS refuses (too long) must reach the
        # write and fail there as a WriteError, not raise here
        if not os.path.islink(current):
            break
        _check_link(current)
        try:
            # joined, not normalised: the kernel resolves ".." against the real parent folder
            current = os.path.join(os.path.dirname(current), os.readlink(current))
        except OSError:
            break
    else:
        raise WriteError(f"{path}: too many levels of symbolic links", TARGET_HINT)
    kind = special_kind(current)
    if kind is not None:
        raise WriteError(f"{path}: is {kind}, not a regular file", TARGET_HINT)
    return Path(current)


def _lock_mode(path: Path) -> int:
    """The lock file's mode: no wider than the file it guards (NEW_LAYER_MODE for a new one)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode) & 0o666
    except OSError:
        return NEW_LAYER_MODE


def edit_layer(
    path: Path,
    mutate: Callable[[dict[str, Any]], R],
    *,
    validate: Callable[[dict[str, Any]], None] | None = None,
    timeout: float = LOCK_TIMEOUT,
) -> R:
    """Locked read-modify-write of a catalog file; on any failure the old file stays as it was."""
    path = writable_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(lock_path(path), timeout=timeout, mode=_lock_mode(path)):
            # Under the lock no other editor is mid-write, so leftovers of dead writers can go.
            remove_stale_temps(path)
            doc = read_document(path)[0] if path.exists() else empty_document()
            before = copy.deepcopy(doc)
            result = mutate(doc)
            if _same(_plain(doc, ""), _plain(before, "")):
                return result  # nothing changed: keep the file (and its comments) as it is
            text = dump_toml(doc)
            after = tomllib.loads(text, parse_float=Decimal)
            # Checked as it will read back, so the tool never writes a file it refuses to load.
            if validate is None:
                validate_layer(after, path=path)
            else:
                validate(after)
            atomic_write_text(path, text, new_mode=NEW_LAYER_MODE)
            return result
    except AicompareError:
        raise
    except Timeout:
        raise WriteError(
            f"{path}: another aicompare process is editing it (lock {lock_path(path)})",
            "try again in a moment",
        ) from None
    except Exception as exc:
        raise WriteError(
            f"cannot write {path}: {_describe(exc)}", "the previous file is unchanged"
        ) from exc


# --- document helpers ------------------------------------------------------------------------


def _models(doc: dict[str, Any]) -> dict[str, Any]:
    """The document's models table, created when missing."""
    models = doc.setdefault("models", {})
    if not isinstance(models, dict):
        raise CatalogError(["models: expected a table"], "fix the file by hand first")
    return models


def _find(models: Mapping[str, Any], model_id: str) -> str | None:
    """The key of `model_id` in this file; ids match case-insensitively."""
    if model_id in models:
        return model_id
    folded = model_id.casefold()
    return next((key for key in models if key.casefold() == folded), None)


def _coerce(value: Any) -> Any:
    """Floats as the Decimal of their shortest repr, tuples as lists; a fresh copy."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Mapping):
        return {k: _coerce(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_coerce(v) for v in value]
    return value


def set_fields(doc: dict[str, Any], model_id: str, fields: Mapping[str, Any]) -> None:
    """Set dotted fields ("prices.input") of a model, creating tables; a None value unsets."""
    models = _models(doc)
    key = _find(models, model_id) or model_id
    table = models.setdefault(key, {})
    if not isinstance(table, dict):
        raise WriteError(f"models.{key} is not a table", "fix the file by hand first")
    for dotted, value in fields.items():
        parts = dotted.split(".")
        if not all(parts):
            raise WriteError(f"bad field name {dotted!r}", "use names like prices.input")
        trail = [table]
        for depth, part in enumerate(parts[:-1]):
            node = trail[-1].get(part)
            if node is None:
                if value is None:
                    break  # unsetting under a table that does not exist: nothing to do
                node = trail[-1][part] = {}
            elif not isinstance(node, dict):
                where = ".".join(parts[: depth + 1])
                raise WriteError(f"models.{key}.{where} is not a table, cannot set {dotted}")
            trail.append(node)
        else:
            if value is not None:
                trail[-1][parts[-1]] = _coerce(value)
                continue
            trail[-1].pop(parts[-1], None)
            # Drop tables the unset emptied, so no empty [models.x.prices] is left behind.
            for parent, part in zip(reversed(trail[:-1]), reversed(parts[:-1])):
                if parent[part]:
                    break
                del parent[part]
    if not table and any(value is None for value in fields.values()):
        del models[key]  # unsetting the last field ends the override, so no empty [models.x]


# The key of a layer's model table listing the dotted fields `catalog set`/`catalog add` wrote: an
# import keeps their values (aicompare.refresh; docs/catalog.md, "Hand-set values").
BY_HAND = "set_by_hand"


def _has(table: Mapping[str, Any], dotted: str) -> bool:
    node: Any = table
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def record_by_hand(doc: dict[str, Any], model_id: str, fields: Mapping[str, Any]) -> None:
    """Record in the model's `set_by_hand` list the dotted fields just set by hand; a field unset
    (None) leaves the list with what it held below it. Only fields the table still has are
    listed; an empty list is removed, and so is a table left holding nothing else."""
    models = _models(doc)
    key = _find(models, model_id)
    table = models.get(key) if key is not None else None
    if key is None or not isinstance(table, dict):
        return
    old = table.get(BY_HAND)
    marked = [m for m in old if isinstance(m, str)] if isinstance(old, list) else []
    for dotted, value in fields.items():
        if value is None:
            marked = [m for m in marked if m != dotted and not m.startswith(dotted + ".")]
        elif dotted not in marked:
            marked.append(dotted)
    marked = sorted(m for m in set(marked) if m != BY_HAND and _has(table, m))
    if marked:
        table[BY_HAND] = marked
    else:
        table.pop(BY_HAND, None)
        if not table:
            del models[key]


def models_table(doc: dict[str, Any]) -> dict[str, Any]:
    """The document's models table, created when missing; CatalogError when it is no table."""
    return _models(doc)


def coerce(value: Any) -> Any:
    """A fresh copy to write: floats as the Decimal of their shortest repr, tuples as lists."""
    return _coerce(value)


def add_model(doc: dict[str, Any], model_id: str, table: Mapping[str, Any]) -> None:
    """Add a new model table; WriteError if the file already has that id."""
    models = _models(doc)
    existing = _find(models, model_id)
    if existing is not None:
        raise WriteError(
            f"model {existing!r} is already in this file", "change it with set, or remove it first"
        )
    models[model_id] = _coerce(table)


def remove_model(doc: dict[str, Any], model_id: str) -> dict[str, Any]:
    """Remove a model table from this file and return it; WriteError if it is not there."""
    models = _models(doc)
    key = _find(models, model_id)
    if key is None:
        raise WriteError(
            f"model {model_id!r} is not in this file",
            "only models added or overridden in this file can be removed from it",
        )
    removed: dict[str, Any] = models.pop(key)
    return removed


@dataclass
class MergeReport:
    """What merge_models did, model by model."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)
    changed_fields: dict[str, list[str]] = field(
        default_factory=dict
    )  # updated id -> dotted fields

    @property
    def changed(self) -> bool:
        """Whether the merge altered the document."""
        return bool(self.added or self.updated)


def _merge_into(
    base: dict[str, Any], over: Mapping[str, Any], prefix: str, changed: list[str]
) -> None:
    """Field-by-field like the loader: tables merge, anything else replaces; records changes."""
    for key, value in over.items():
        where = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge_into(base[key], value, where, changed)
        elif key not in base or not _same(_plain(base[key], where), _plain(value, where)):
            base[key] = value
            changed.append(where)


def merge_models(doc: dict[str, Any], models: Mapping[str, Any], *, only_new: bool) -> MergeReport:
    """Merge imported model tables into the file; only_new leaves existing ones alone."""
    ours = _models(doc)
    report = MergeReport()
    for model_id, table in models.items():
        if not isinstance(table, Mapping):
            report.skipped.append((model_id, "not a table"))
            continue
        key = _find(ours, model_id)
        if key is None:
            ours[model_id] = _coerce(table)
            report.added.append(model_id)
        elif only_new:
            report.skipped.append((key, "already in the file"))
        elif not isinstance(ours[key], dict):
            report.skipped.append((key, "the file's entry is not a table"))
        else:
            changed: list[str] = []
            _merge_into(ours[key], _coerce(table), "", changed)
            if changed:
                report.updated.append(key)
                report.changed_fields[key] = changed
            else:
                report.unchanged.append(key)
    return report
