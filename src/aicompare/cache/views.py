"""A verified cache file's sections, decoded on first use, behind the catalog's own types.

`Sections` maps the file; `LazyModels`, `LazyTasks` and `NameIndex` are the Mappings a cached
Catalog holds, and `Sections.cards` its rate cards. A section that does not decode (its digest
was right, so only this user or a bug could have written it) is replaced by the catalog loaded
from its layers, never by an error or a guess.
"""

from __future__ import annotations

import zlib  # loaded at start-up already (docs/performance.md)
from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from itertools import chain
from typing import TYPE_CHECKING, Any

from aicompare.cache.codec import CacheError, decode, decode_one, strings, unmarshal
from aicompare.model import Model, Provider

if TYPE_CHECKING:
    from aicompare.catalog import Catalog, Layer, PeriodCards
    from aicompare.pricing import RateCard
    from aicompare.tasks import Task

SEP = "\x1f"  # between the ids of one name in the name indexes
BUCKET = 64  # entries per bucket of a large table: a lookup decodes one bucket, not the table
_STR: frozenset[type] = frozenset({str})


def bucket_of(key: str, buckets: int) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % buckets


class Sections:
    """The file's sections, each decoded from the (verified) body on first use."""

    def __init__(
        self,
        view: memoryview,
        offsets: dict[str, tuple[int, int, bool]],
        buckets: dict[str, int],
        layers: tuple[Layer, ...],
    ) -> None:
        self._view = view
        self._offsets = offsets
        self._buckets = buckets
        self._layers = layers
        self._decoded: dict[str, Any] = {}
        self._fresh: Catalog | None = None

    def fresh(self) -> Catalog:
        """The catalog loaded from its layers, for a section found broken after the file was
        opened (its digest was right, so only this user or a bug could have written it)."""
        if self._fresh is None:
            from aicompare.loader import build_catalog, read_document

            documents = [
                (layer, *read_document(layer.path)) for layer in self._layers if layer.exists
            ]
            self._fresh = build_catalog(documents, self._layers)
        return self._fresh

    def __getitem__(self, name: str) -> Any:
        if name not in self._decoded:
            span = self._offsets.get(name)
            if (
                type(span) is not tuple
                or len(span) != 3
                or type(span[0]) is not int
                or type(span[1]) is not int
                or not 0 <= span[0] <= span[1] <= len(self._view)
            ):
                raise CacheError(f"the span of {name}")
            start, end, packed = span
            data: bytes | memoryview = self._view[start:end]
            try:
                data = zlib.decompress(data) if packed else data
            except zlib.error:
                raise CacheError(f"{name}: not deflated data") from None
            self._decoded[name] = unmarshal(data)
        return self._decoded[name]

    def lookup(self, table: str, key: str) -> Any:
        """table[key] (KeyError when absent), decoding only the bucket that holds `key`."""
        part = self[f"{table}.{bucket_of(key, self._buckets[table])}"]
        if type(part) is not dict:
            raise CacheError(table)
        return part[key]

    def whole(self, table: str) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for index in range(self._buckets[table]):
            part = self[f"{table}.{index}"]
            if type(part) is not dict:
                raise CacheError(table)
            merged.update(part)
        return merged

    def cards(self) -> list[RateCard]:
        from aicompare.pricing import RateCard

        try:
            return decode(self["cards"], RateCard)
        except CacheError:
            return self.fresh().rate_cards()

    def providers(self) -> dict[str, Provider]:
        value = self["providers"]
        if type(value) is not dict:
            raise CacheError("providers")
        providers = {}
        for pid, row in value.items():
            if (
                type(pid) is not str
                or type(row) is not tuple
                or len(row) != 2
                or type(row[0]) is not str
                or not (row[1] is None or type(row[1]) is str)
            ):
                raise CacheError("providers")
            providers[pid] = Provider(pid, *row)
        return providers

    def provider_ids(self) -> frozenset[str]:
        return frozenset(strings(self["provider_ids"]))

    def period_cards(self) -> PeriodCards:
        """Each dated model's card in each of its periods (catalog.card_on picks one)."""
        import datetime as dt

        from aicompare.pricing import RateCard

        value = self["period_cards"]
        if type(value) is not tuple or len(value) != 2 or type(value[0]) is not tuple:
            raise CacheError("period_cards")
        index, encoded = value
        cards = decode(encoded, RateCard)
        out: PeriodCards = {}
        at = 0
        for row in index:
            if type(row) is not tuple or len(row) != 2 or type(row[0]) is not str:
                raise CacheError("period_cards")
            model_id, ordinals = row
            if type(ordinals) is not tuple or not ordinals:
                raise CacheError("period_cards")
            if not all(type(o) is int for o in ordinals):
                raise CacheError("period_cards")
            mine = tuple(cards[at : at + len(ordinals)])
            at += len(ordinals)
            if len(mine) != len(ordinals):
                raise CacheError("period_cards")
            out[model_id] = (tuple(dt.date.fromordinal(o) for o in ordinals), mine)
        if at != len(cards):
            raise CacheError("period_cards")
        return out

    def dated(self) -> frozenset[str]:
        """The ids of the models with dated prices (catalog.PricedOn resolves them)."""
        return frozenset(strings(self["dated"]))


class NameIndex(Mapping[str, list[str]]):
    """name -> ids of a bucketed table, each stored as one joined string (fewer objects)."""

    def __init__(self, sections: Sections, table: str) -> None:
        self._sections = sections
        self._table = table
        self._all: dict[str, Any] | None = None

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def _fresh(self) -> Mapping[str, list[str]]:
        fresh = self._sections.fresh()
        return fresh.exact_index if self._table == "exact" else fresh.loose_index

    def __getitem__(self, key: str) -> list[str]:
        try:
            value = self._sections.lookup(self._table, key)
            if type(value) is not str:
                raise CacheError(self._table)
        except CacheError:
            return self._fresh()[key]
        return value.split(SEP)

    def __iter__(self) -> Iterator[str]:
        if self._all is None:
            try:
                merged = self._sections.whole(self._table)
                if not _STR.issuperset(map(type, chain(merged, merged.values()))):
                    raise CacheError(self._table)
            except CacheError:
                merged = dict(self._fresh())
            self._all = merged
        return iter(self._all)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class LazyModels(Mapping[str, Model]):
    """Model records rebuilt on first access; a full scan rebuilds them all at once."""

    def __init__(self, sections: Sections) -> None:
        self._sections = sections
        self._id_tuple: tuple[str, ...] | None = None
        self._id_set: frozenset[str] | None = None
        self._built: dict[str, Model] = {}
        self._complete = False

    @property
    def _ids(self) -> tuple[str, ...]:
        if self._id_tuple is None:
            try:
                self._id_tuple = strings(self._sections["ids"])
            except CacheError:
                self._id_tuple = tuple(self._sections.fresh().models)
        return self._id_tuple

    def __getitem__(self, model_id: str) -> Model:
        model = self._built.get(model_id)
        if model is None:
            if self._complete or not isinstance(model_id, str):
                raise KeyError(model_id)
            try:
                blob = self._sections.lookup("models", model_id)
                if type(blob) is not bytes:
                    raise CacheError("models")
                model = decode_one(unmarshal(blob), Model)
                if model.id != model_id:
                    raise CacheError("a record under another id")
            except CacheError:
                model = self._sections.fresh().models[model_id]
            self._built[model_id] = model
        return model

    def _all(self) -> dict[str, Model]:
        if not self._complete:
            try:
                models = decode(self._sections["everything"], Model)
                ids = self._ids
                if len(models) != len(ids):
                    raise CacheError("record count")
                self._built = dict(zip(ids, models))
            except CacheError:
                self._built = dict(self._sections.fresh().models)
            self._complete = True
        return self._built

    def values(self) -> ValuesView[Model]:
        return self._all().values()

    def items(self) -> ItemsView[str, Model]:
        return self._all().items()

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, model_id: object) -> bool:
        if self._id_set is None:
            self._id_set = frozenset(self._ids)
        return model_id in self._id_set


class LazyTasks(Mapping[str, "Task"]):
    """The catalog's tasks, rebuilt when a command reads them."""

    def __init__(self, sections: Sections) -> None:
        self._sections = sections
        self._tasks: dict[str, Task] | None = None

    @property
    def _data(self) -> dict[str, Task]:
        if self._tasks is None:
            from aicompare.tasks import Task

            try:
                tasks = {task.id: task for task in decode(self._sections["tasks"], Task)}
            except CacheError:
                tasks = dict(self._sections.fresh().tasks)
            self._tasks = tasks
        return self._tasks

    def __getitem__(self, key: str) -> Task:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)
