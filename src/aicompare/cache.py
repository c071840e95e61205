"""A parse-once cache of the merged catalog, safe against staleness.

The validated model records are pickled (NamedTuples of builtins, Decimals and dates) twice: one
blob per model, for commands that touch a few, and one blob of all of them, for commands that
scan the catalog; both sit in a `marshal` file with the name indexes under the user cache
directory (the user's own, so unpickling it trusts nothing another user could write). The cache is
keyed by every layer's path, size, mtime, ctime and inode plus the code that reads catalogs, so
any edit, replace or touch of any layer (or an upgrade) rebuilds it; a cache that cannot be read
or written is ignored. Models are built from it only when asked for, so `diff A B` builds two.
"""

from __future__ import annotations

import marshal
import os
import pickle
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from aicompare import __version__
from aicompare.catalog import Catalog, Layer
from aicompare.model import Model, Provider

ENV_NO_CACHE = "AICOMPARE_NO_CACHE"
_PROTOCOL = 5
FORMAT = 2
# Modules whose change alters what a catalog file means.
_READERS = ("schema.py", "model.py", "loader.py", "catalog.py", "cache.py")


def enabled() -> bool:
    return not os.environ.get(ENV_NO_CACHE)


def signature(layers: tuple[Layer, ...]) -> tuple[Any, ...]:
    """Everything that, when it changes, must rebuild the cache."""
    here = Path(__file__).parent
    code = tuple(os.stat(here / name).st_mtime_ns for name in _READERS)
    files = []
    for layer in layers:
        try:
            st = os.stat(layer.path)
            files.append((layer.kind, layer.path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        except OSError:
            files.append((layer.kind, layer.path, None))
    return (FORMAT, __version__, code, tuple(files))


def cache_file(layers: tuple[Layer, ...]) -> Path:
    from aicompare.paths import cache_dir

    # the name only spreads layer combinations over files; the signature inside decides validity
    key = format(zlib.crc32(repr([(l.kind, l.path) for l in layers]).encode()), "08x")
    return cache_dir() / f"catalog-{key}.marshal"


_SEP = "\x1f"


class _Index(dict):  # type: ignore[type-arg]
    """name -> ids, stored as one joined string per name (far fewer objects to unmarshal)."""

    def get(self, key: str, default: Any = None) -> Any:
        value = dict.get(self, key)
        return default if value is None else value.split(_SEP)

    def __getitem__(self, key: str) -> list[str]:
        return str(dict.__getitem__(self, key)).split(_SEP)


class LazyModels(Mapping[str, Model]):
    """Model records unpickled on first access; a full scan unpickles them all at once."""

    def __init__(self, blobs: dict[str, bytes], everything: bytes) -> None:
        self._blobs = blobs
        self._everything = everything
        self._built: dict[str, Model] = {}
        self._complete = False

    def __getitem__(self, model_id: str) -> Model:
        model = self._built.get(model_id)
        if model is None:
            if self._complete:
                raise KeyError(model_id)
            model = self._built[model_id] = pickle.loads(self._blobs[model_id])
        return model

    def _all(self) -> dict[str, Model]:
        if not self._complete:
            self._built = pickle.loads(self._everything)
            self._complete = True
        return self._built

    def values(self):  # type: ignore[override]
        return self._all().values()

    def items(self):  # type: ignore[override]
        return self._all().items()

    def __iter__(self) -> Iterator[str]:
        return iter(self._blobs)

    def __len__(self) -> int:
        return len(self._blobs)

    def __contains__(self, model_id: object) -> bool:
        return model_id in self._blobs


def read(layers: tuple[Layer, ...]) -> Catalog | None:
    """The cached catalog for these layers if it is still exact; None otherwise."""
    try:
        data = marshal.loads(cache_file(layers).read_bytes())
        if data["sig"] != signature(layers):
            return None
        providers = {pid: Provider(pid, name, url) for pid, (name, url) in data["providers"].items()}
        return Catalog(LazyModels(data["models"], data["everything"]), providers, pickle.loads(data["tasks"]),
                       layers, exact=_Index(data["exact"]), loose=_Index(data["loose"]),
                       provider_ids=frozenset(data["provider_ids"]))
    except Exception:  # noqa: BLE001 - any unreadable or foreign cache just means a full load
        return None


def write(catalog: Catalog, sig: tuple[Any, ...]) -> None:
    """Store a freshly validated catalog under the signature taken *before* its files were read.

    A layer edited while it was being read then mismatches on the next run, so the cache can hold
    newer content than its key says, never older. Failures (read-only home, full disk) are ignored.
    """
    temp: Path | None = None
    try:
        path = cache_file(catalog.layers)
        data = {
            "sig": sig,
            "models": {k: pickle.dumps(v, _PROTOCOL) for k, v in catalog.models.items()},
            "everything": pickle.dumps(dict(catalog.models), _PROTOCOL),
            "providers": {p.id: (p.name, p.url) for p in catalog.providers.values()},
            "tasks": pickle.dumps(dict(catalog.tasks), _PROTOCOL),
            "exact": {k: _SEP.join(v) for k, v in catalog.exact_index.items()},
            "loose": {k: _SEP.join(v) for k, v in catalog.loose_index.items()},
            "provider_ids": sorted(catalog.provider_ids),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temp.write_bytes(marshal.dumps(data))
        os.replace(temp, path)
    except Exception:  # noqa: BLE001 - the cache is an optimisation, never an error
        if temp is not None:
            temp.unlink(missing_ok=True)
