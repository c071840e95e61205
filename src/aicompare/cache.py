"""A parse-once cache of the merged catalog, safe against staleness.

The merged, validated tables are stored with `marshal` (fast to read, builtins only: Decimals and
dates are tagged strings) next to the name indexes, under the user cache directory. The cache is
keyed by every layer's path, size, mtime, ctime and inode plus the code that reads catalogs, so
any edit, replace or touch of any layer (or an upgrade) rebuilds it; a cache that cannot be read
or written is ignored. Models are built from it only when asked for, so `diff A B` builds two.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import zlib
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from aicompare import __version__
from aicompare.catalog import Catalog, Layer
from aicompare.errors import CatalogError
from aicompare.model import Model, Provider

ENV_NO_CACHE = "AICOMPARE_NO_CACHE"
FORMAT = 1
_DEC, _DATE, _STAMP = "\x00d", "\x00t", "\x00s"
# Modules whose change alters what a catalog file means.
_READERS = ("schema.py", "model.py", "loader.py", "catalog.py", "cache.py")


def enabled() -> bool:
    return not os.environ.get(ENV_NO_CACHE)


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return (_DEC, str(value))
    if isinstance(value, dt.datetime):
        return (_STAMP, value.isoformat())
    if isinstance(value, dt.date):
        return (_DATE, value.isoformat())
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, tuple):
        tag, text = value
        if tag == _DEC:
            return Decimal(text)
        if tag == _DATE:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


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
    """Model records built from cached tables on first access."""

    def __init__(self, tables: dict[str, bytes], origins: dict[str, dict[str, str]]) -> None:
        self._tables = tables
        self._origins = origins
        self._built: dict[str, Model] = {}

    def __getitem__(self, model_id: str) -> Model:
        model = self._built.get(model_id)
        if model is None:
            from aicompare.schema import Problems, build_model

            problems = Problems(lambda path: ("catalog cache", None))
            origins = tuple(sorted(self._origins.get(model_id, {}).items()))
            table = _decode(marshal.loads(self._tables[model_id]))
            built = build_model(model_id, table, problems, origins)
            if built is None:  # validated before it was cached; only a damaged cache gets here
                raise CatalogError(problems.items, f"delete the cache: {ENV_NO_CACHE}=1 bypasses it")
            model = self._built[model_id] = built
        return model

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def __contains__(self, model_id: object) -> bool:
        return model_id in self._tables


def read(layers: tuple[Layer, ...]) -> Catalog | None:
    """The cached catalog for these layers if it is still exact; None otherwise."""
    try:
        data = marshal.loads(cache_file(layers).read_bytes())
        if data["sig"] != signature(layers):
            return None
        providers = {pid: Provider(pid, name, url) for pid, (name, url) in data["providers"].items()}
        return Catalog(LazyModels(data["models"], data["origins"]), providers, _decode(data["tasks"]),
                       layers, exact=_Index(data["exact"]), loose=_Index(data["loose"]),
                       provider_ids=frozenset(data["provider_ids"]))
    except Exception:  # noqa: BLE001 - any unreadable or foreign cache just means a full load
        return None


def write(catalog: Catalog, sig: tuple[Any, ...], raw_models: Mapping[str, Any],
          origins: Mapping[str, Any]) -> None:
    """Store a freshly validated catalog under the signature taken *before* its files were read.

    A layer edited while it was being read then mismatches on the next run, so the cache can hold
    newer content than its key says, never older. Failures (read-only home, full disk) are ignored.
    """
    temp: Path | None = None
    try:
        path = cache_file(catalog.layers)
        data = {
            "sig": sig,
            # one marshal blob per model: reading the cache does not build what a command won't use
            "models": {k: marshal.dumps(_encode(v)) for k, v in raw_models.items()},
            "origins": dict(origins),
            "providers": {p.id: (p.name, p.url) for p in catalog.providers.values()},
            "tasks": _encode(dict(catalog.tasks)),
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
