"""The merged catalog: models by id, and name resolution with suggestions."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, NamedTuple

from aicompare.errors import AmbiguousModelError, UnknownModelError
from aicompare.model import Model, Provider

if TYPE_CHECKING:
    from aicompare.pricing import RateCard
    from aicompare.tasks import Task

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(name: str) -> str:
    """Case-, space- and punctuation-insensitive key: 'GPT-4.1 Mini' -> 'gpt41mini'."""
    return _NON_ALNUM.sub("", name.casefold())


class Layer(NamedTuple):
    """One catalog file in effect, lowest first."""

    kind: str  # bundled | user | env | option
    path: str
    exists: bool


class Catalog:
    """Models by id plus the indexes that resolve user-typed names.

    What the cache holds comes in lazily, behind the same types: `models` and `tasks` are
    mappings that rebuild a record on first use, `rate_cards()` the cards, and `exact` and
    `loose` (name -> ids) the prebuilt indexes; without them everything is computed here.
    """

    def __init__(
        self,
        models: Mapping[str, Model],
        providers: Mapping[str, Provider] | None = None,
        tasks: Mapping[str, Task] | None = None,
        layers: tuple[Layer, ...] = (),
        *,
        exact: Mapping[str, list[str]] | None = None,
        loose: Mapping[str, list[str]] | None = None,
        provider_ids: frozenset[str] = frozenset(),
        cards: Callable[[], list[RateCard]] | None = None,
    ) -> None:
        self.models = models
        self._cards = cards
        self.providers: Mapping[str, Provider] = {} if providers is None else providers
        # built and checked once, by the loader; a cache's are decoded when first read
        self.tasks: Mapping[str, Task] = {} if tasks is None else tasks
        self.layers = layers
        if exact is None or loose is None:
            exact, loose = self._index()
            provider_ids = frozenset(m.provider for m in self.models.values())
        self.provider_ids = provider_ids
        self.exact_index = exact
        self.loose_index = loose
        self._normal_providers = {normalize(p) for p in (*self.provider_ids, *self.providers)}

    def rate_cards(self) -> list[RateCard]:
        """Every model's pricing.RateCard, in catalog order (from the cache when it has them)."""
        if self._cards is not None:
            try:
                return self._cards()
            except Exception:
                self._cards = None
        from aicompare.pricing import rate_card

        return [rate_card(m) for m in self.models.values()]

    def _index(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        exact: dict[str, list[str]] = {}
        loose: dict[str, list[str]] = {}
        for model in self.models.values():
            for name in (model.id, *model.aliases, *model.snapshots):
                bucket = exact.setdefault(name.casefold(), [])
                if model.id not in bucket:
                    bucket.append(model.id)
            for name in (model.id, *model.aliases, *model.snapshots, model.name):
                bucket = loose.setdefault(normalize(name), [])
                if model.id not in bucket:
                    bucket.append(model.id)
        return exact, loose

    def __len__(self) -> int:
        return len(self.models)

    def __iter__(self) -> Iterator[Model]:
        return iter(self.models.values())

    def provider_name(self, provider_id: str) -> str:
        provider = self.providers.get(provider_id)
        return provider.name if provider else provider_id

    def get(self, model_id: str) -> Model | None:
        return self.models.get(model_id)

    def resolve(self, name: str) -> Model:
        """Find a model by id, alias, snapshot, display name or `provider:model`."""
        query, ids = self._lookup(name)
        if len(ids) == 1:
            return self.models[ids[0]]
        if len(ids) > 1:
            raise AmbiguousModelError(name, sorted(ids))
        raise UnknownModelError(name, self.suggest(query))

    def candidates(self, name: str) -> list[str]:
        """The ids `name` can mean, read as `resolve` reads it; empty when none (never raises)."""
        return self._lookup(name)[1]

    def _lookup(self, name: str) -> tuple[str, list[str]]:
        """(the query without its `provider:` prefix, the ids it matches)."""
        query = name.strip()
        provider: str | None = None
        if ":" in query:
            head, _, tail = query.partition(":")
            if self._is_provider(head):
                provider, query = head, tail.strip()
        ids = self.exact_index.get(query.casefold()) or self.loose_index.get(normalize(query)) or []
        if provider is not None:
            wanted = normalize(provider)
            ids = [i for i in ids if normalize(self.models[i].provider) == wanted]
        return query, list(ids)

    def _is_provider(self, head: str) -> bool:
        wanted = normalize(head)
        return bool(wanted) and wanted in self._normal_providers

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Close matches among ids and aliases, mapped back to model ids."""
        import difflib

        key = normalize(name)
        if not key:
            return []
        matches = difflib.get_close_matches(key, self.loose_index.keys(), n=limit * 2, cutoff=0.6)
        out: list[str] = []
        for match in matches:
            for model_id in self.loose_index[match]:
                if model_id not in out:
                    out.append(model_id)
        return out[:limit]
