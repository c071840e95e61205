"""The merged catalog: models by id, and name resolution with suggestions."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, ItemsView, Iterator, Mapping, ValuesView
from typing import TYPE_CHECKING, NamedTuple

from aicompare.errors import AmbiguousModelError, UnknownModelError, UnknownOfferError
from aicompare.model import OFFER_SEP, Model, Provider, as_sold, maker_offer, priced_on

if TYPE_CHECKING:
    from aicompare.pricing import RateCard
    from aicompare.tasks import Task

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# route prefixes of sellers' ids in logs and SDKs that name another API of the same seller
SELLER_ROUTES = {"bedrock_converse": "bedrock", "converse": "bedrock"}


def normalize(name: str) -> str:
    """Case-, space- and punctuation-insensitive key: 'GPT-4.1 Mini' -> 'gpt41mini'."""
    return _NON_ALNUM.sub("", name.casefold())


class Layer(NamedTuple):
    """One catalog file in effect, lowest first."""

    kind: str  # bundled | user | env | option
    path: str
    exists: bool


def utc_today() -> dt.date:
    """Today's date in UTC: the day whose prices are current (a period starts at 00:00 UTC)."""
    return dt.datetime.now(dt.UTC).date()


def dated_ids(models: Mapping[str, Model]) -> frozenset[str]:
    """The models whose prices (or an offer's) change over time: the ones `PricedOn` resolves."""
    return frozenset(
        model_id
        for model_id, model in models.items()
        if model.price_periods or any(offer.price_periods for offer in model.offers)
    )


class PricedOn(Mapping[str, Model]):
    """The models at the prices in force on one date: a model with dated prices is resolved
    (model.priced_on) when it is read, every other one is passed through as it is."""

    def __init__(self, models: Mapping[str, Model], dated: frozenset[str], on: dt.date) -> None:
        self.base = models
        self.dated = dated
        self.on = on

    def __getitem__(self, model_id: str) -> Model:
        model = self.base[model_id]
        return priced_on(model, self.on) if model_id in self.dated else model

    def __iter__(self) -> Iterator[str]:
        return iter(self.base)

    def __len__(self) -> int:
        return len(self.base)

    def __contains__(self, model_id: object) -> bool:
        return model_id in self.base

    def _resolved(self) -> dict[str, Model]:
        return {
            model_id: priced_on(model, self.on) if model_id in self.dated else model
            for model_id, model in self.base.items()
        }

    def values(self) -> ValuesView[Model]:
        return self._resolved().values()

    def items(self) -> ItemsView[str, Model]:
        return self._resolved().items()


# A dated model's rate card in each of its periods: (period starts, one card per period).
PeriodCards = dict[str, tuple[tuple[dt.date, ...], tuple["RateCard", ...]]]


def card_on(periods: tuple[tuple[dt.date, ...], tuple[RateCard, ...]], on: dt.date) -> RateCard:
    """The card of the period in force on `on` (the last starting on or before it; the first
    period is in force since ever)."""
    from bisect import bisect_right

    starts, cards = periods
    return cards[max(bisect_right(starts, on) - 1, 0)]


def period_cards(catalog: Catalog) -> PeriodCards:
    """Every dated model's card in each period, for the cache (`card_on` picks one)."""
    from aicompare.pricing import rate_card

    models = catalog.models.base if isinstance(catalog.models, PricedOn) else catalog.models
    out: PeriodCards = {}
    for model_id in sorted(catalog.dated):
        model = models[model_id]
        starts = tuple(period.start for period in model.price_periods) or (dt.date.min,)
        out[model_id] = (starts, tuple(rate_card(priced_on(model, start)) for start in starts))
    return out


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
        dated: frozenset[str] = frozenset(),
        period_cards: Callable[[], PeriodCards] | None = None,
    ) -> None:
        # the prices in force today (UTC) by default; `price_on` picks another date
        self.dated = dated
        self.models: Mapping[str, Model] = PricedOn(models, dated, utc_today()) if dated else models
        self._cards = cards
        self._period_cards = period_cards
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
        self._seller_ids: dict[str, list[tuple[str, str]]] | None = None

    def price_on(self, on: dt.date) -> None:
        """Price every model at the prices in force on `on` from now on."""
        if isinstance(self.models, PricedOn):
            self.models.on = on

    def rate_cards(self) -> list[RateCard]:
        """Every model's pricing.RateCard, in catalog order (from the cache when it has them);
        a model with dated prices has the card of the period in force: the cache keeps one per
        period (`period_cards`), else it is made here from the model, once."""
        from aicompare.pricing import rate_card

        if self._cards is not None:
            try:
                cards = self._cards()
                periods = self._period_cards() if self._period_cards and self.dated else {}
            except Exception:
                self._cards = self._period_cards = None
            else:
                if self.dated:
                    models = self.models
                    on = models.on if isinstance(models, PricedOn) else utc_today()
                    cards = [
                        (
                            card_on(periods[card.id], on)
                            if card.id in periods
                            else rate_card(models[card.id])
                        )
                        if card.id in self.dated
                        else card
                        for card in cards
                    ]
                return cards
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

    def resolve(self, name: str, suggest: bool = True) -> Model:
        """Find a model by id, alias, snapshot, display name or `provider:model`; `MODEL@SELLER`
        and a seller's own id (`bedrock/anthropic.claude-...`) give the model as that seller
        sells it (model.as_sold), `MODEL@MAKER` the maker's prices under that label.
        suggest=False: an UnknownModelError without close matches, for a caller that does not
        show them (they cost a fuzzy search of every name)."""
        query, ids = self._lookup(name)
        if len(ids) == 1:
            return self.models[ids[0]]
        if len(ids) > 1:
            raise AmbiguousModelError(name, sorted(ids))
        if OFFER_SEP in query:
            head, _, seller = query.rpartition(OFFER_SEP)
            if head.strip() and seller.strip():
                try:
                    return self._sold_by(self.resolve(head, suggest), seller.strip(), name)
                except (UnknownModelError, UnknownOfferError):
                    # a seller's id with an `@` of its own (vertex_ai/claude-...@20250929)
                    found = self.seller_id(query)
                    if found is None:
                        raise
                    return found
        found = self.seller_id(query)
        if found is not None:
            return found
        raise UnknownModelError(name, self.suggest(query) if suggest else [])

    def _sold_by(self, model: Model, seller: str, name: str) -> Model:
        """The model as `seller` (an offer id, a seller with one offer, or the maker) sells it."""
        if model.seller is not None:
            raise UnknownOfferError(name, "names a seller twice", [])
        wanted = seller.casefold()
        offer = model.offer(wanted)
        if offer is not None:
            return as_sold(model, offer)
        sold = [o for o in model.offers if o.seller == wanted]
        if len(sold) == 1:
            return as_sold(model, sold[0])
        sellers = [f"{model.provider} (the maker)", *(o.id for o in model.offers)]
        if sold:
            raise UnknownOfferError(
                name, f"{wanted} sells {model.id} as several offers: name one", sellers[1:]
            )
        if normalize(wanted) == normalize(model.provider):
            return maker_offer(model)
        raise UnknownOfferError(
            name, f"the catalog has no offer of {model.id} by {wanted}", sellers
        )

    def seller_id(self, name: str) -> Model | None:
        """The model and offer a seller's id names, as in logs and SDKs (`azure/gpt-5-mini`,
        `bedrock/us.anthropic.claude-...`, `openrouter/openai/gpt-5-mini`); a route prefix the
        catalog does not list (`bedrock_converse/`, a region path) is dropped one segment at a
        time. None when no offer is named."""
        if self._seller_ids is None:
            # the names an offer lists first: where a derived `seller/seller_model_id` is shared
            # (azure/gpt-5-mini and azure/eu/gpt-5-mini both sell "gpt-5-mini"), the id a log
            # shows is the one listed
            listed: dict[str, list[tuple[str, str]]] = {}
            derived: dict[str, list[tuple[str, str]]] = {}
            for model in self.models.values():
                for offer in model.offers:
                    pairs: list[tuple[dict[str, list[tuple[str, str]]], str]] = [
                        (listed, n) for n in offer.names
                    ]
                    if offer.seller_model_id:
                        pairs.append((derived, f"{offer.seller}/{offer.seller_model_id}"))
                    for index, key in pairs:
                        bucket = index.setdefault(key.casefold(), [])
                        if (model.id, offer.id) not in bucket:
                            bucket.append((model.id, offer.id))
            for key, shared in derived.items():
                listed.setdefault(key, shared)
            self._seller_ids = listed
        query = name.strip().casefold()
        head, _, rest = query.partition("/")
        # as written, then without a route prefix of the seller's own (`bedrock_converse/`,
        # `bedrock/` before a bare id); never another seller's id, nor a region path: their
        # prices differ
        for key, seller in ((query, None), (rest, SELLER_ROUTES.get(head, head))):
            hits = self._seller_ids.get(key) if key else None
            if hits and seller is not None:
                hits = [(m, o) for m, o in hits if self._offer_seller(m, o) == seller]
            if hits:
                if len(hits) > 1:
                    raise AmbiguousModelError(name, [f"{m}{OFFER_SEP}{o}" for m, o in hits])
                model = self.models[hits[0][0]]
                named = model.offer(hits[0][1])
                return None if named is None else as_sold(model, named)
        return None

    def _offer_seller(self, model_id: str, offer_id: str) -> str | None:
        offer = self.models[model_id].offer(offer_id)
        return None if offer is None else offer.seller

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
