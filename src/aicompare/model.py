"""Immutable records of the catalog: models, their prices and lifecycle. No I/O, no CLI.

They are NamedTuples rather than frozen dataclasses because every command builds these classes at
start-up, and a 27-field frozen dataclass alone costs about 2 ms to create (docs/performance.md).
For the same reason this module does not use `from __future__ import annotations`: NamedTuple
compiles each string annotation into a ForwardRef, which cost 0.4 ms of every start-up.
"""

import datetime as dt
from bisect import bisect_right
from decimal import Decimal
from enum import Enum
from typing import NamedTuple

MODEL_TYPES = ("text", "image", "embedding", "audio", "moderation", "video", "rerank")

INPUT_MODALITIES = ("text", "image", "audio", "video", "pdf")
OUTPUT_MODALITIES = ("text", "image", "audio", "video", "embedding")

CAPABILITIES = (
    "streaming",
    "function_calling",
    "structured_outputs",
    "fine_tuning",
    "vision",
    "batch",
    "prompt_caching",
    "reasoning",
    "web_search",
    "image_generation",
    "image_editing",
    "audio_input",
    "audio_output",
    "pdf_input",
    "parallel_tool_calls",
    "system_messages",
    "computer_use",
    "distillation",
    "predicted_outputs",
    "realtime",
)

# How a maker sells a model: generally available, or a preview or experiment that may change or
# vanish without the usual notice (often rate-limited). Only the first is offered by default.
GENERAL = "general"
AVAILABILITY = (GENERAL, "preview", "experimental")

# Token prices are USD per 1M tokens; the unit of the others is in their name.
TOKEN_PRICE_KEYS = (
    "input",
    "cached_input",
    "cache_write",
    "cache_write_1h",
    "output",
    "image_input",
    "cached_image_input",
    "image_output",
    "audio_input",
    "cached_audio_input",
    "audio_output",
    "thinking_output",
)
# Charges that are not per token: per-request fees (Perplexity's Sonar) and web-search tool calls.
OTHER_PRICE_KEYS = (
    "audio_input_per_minute",
    "input_per_1m_characters",
    "video_output_per_second",
    "request_per_1k",
    "web_search_per_1k",
)
PRICE_KEYS = TOKEN_PRICE_KEYS + OTHER_PRICE_KEYS

PRICE_LABELS = {
    "input": "input tokens",
    "cached_input": "cached input tokens",
    "cache_write": "cache writes",
    "cache_write_1h": "1-hour cache writes",
    "output": "output tokens",
    "image_input": "image input tokens",
    "cached_image_input": "cached image input tokens",
    "image_output": "image output tokens",
    "audio_input": "audio input tokens",
    "cached_audio_input": "cached audio input tokens",
    "audio_output": "audio output tokens",
    "thinking_output": "thinking-mode output tokens",
    "audio_input_per_minute": "audio input",
    "input_per_1m_characters": "input characters",
    "video_output_per_second": "video output",
    "request_per_1k": "requests",
    "web_search_per_1k": "web searches",
}

PRICE_UNITS = {key: "per 1M tokens" for key in TOKEN_PRICE_KEYS} | {
    "audio_input_per_minute": "per minute",
    "input_per_1m_characters": "per 1M characters",
    "video_output_per_second": "per second",
    "request_per_1k": "per 1,000 requests",
    "web_search_per_1k": "per 1,000 searches",
}
# Price tables besides the standard one that take the same keys: the Batch API, the service tiers
# (`cost --tier`) and off-peak hours (`cost --off-peak`; the table also states its `hours`).
SERVICE_TIERS = ("flex", "priority")
ALTERNATE_TABLES = ("batch", *SERVICE_TIERS, "off_peak")

# Per-image grids use this key for "whatever the quality" / "whatever the size".
ANY = "any"


class Status(str, Enum):
    """Where a model stands on a given day, derived from its lifecycle dates."""

    CURRENT = "current"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class PriceSet(NamedTuple):
    """One set of prices (standard, batch or a tier): key -> USD, absent keys unknown."""

    values: dict[str, Decimal] = {}  # never mutated: records are immutable by convention

    def get(self, key: str) -> Decimal | None:
        return self.values.get(key)

    def __bool__(self) -> bool:
        return bool(self.values)


class PriceTier(NamedTuple):
    """Prices that apply to a whole request whose prompt exceeds `above_input_tokens`."""

    above_input_tokens: int
    prices: PriceSet


class Prices(NamedTuple):
    """All token and unit prices of a model."""

    standard: PriceSet = PriceSet()
    batch: PriceSet = PriceSet()
    tiers: tuple[PriceTier, ...] = ()
    flex: PriceSet = PriceSet()  # the flex service tier (slower, cheaper)
    priority: PriceSet = PriceSet()  # the priority service tier
    off_peak: PriceSet = PriceSet()  # prices within `off_peak_hours`
    off_peak_hours: str | None = None  # UTC windows, "16:30-00:30" or "04:00-06:00, 10:00-01:00"


class ImagePrice(NamedTuple):
    """USD per generated image at one quality and size (either may be `any`)."""

    quality: str
    size: str
    usd: Decimal


def free_of_charge(prices: Prices, image_prices: tuple[ImagePrice, ...]) -> bool:
    """At least one price is known, and every standard and per-image price is $0."""
    values = [*prices.standard.values.values(), *(cell.usd for cell in image_prices)]
    return bool(values) and all(value == 0 for value in values)


class Lifecycle(NamedTuple):
    deprecation_date: dt.date | None = None
    shutdown_date: dt.date | None = None
    superseded_by: str | None = None
    note: str | None = None


def lifecycle_status(life: Lifecycle, today: dt.date) -> Status:
    """Where a model with these lifecycle dates stands on `today`."""
    if life.shutdown_date is not None and life.shutdown_date <= today:
        return Status.RETIRED
    if life.deprecation_date is not None:
        # the deprecation date is when the end was announced: before it, the model was current
        return Status.DEPRECATED if life.deprecation_date <= today else Status.CURRENT
    if life.shutdown_date is not None:
        return Status.DEPRECATED
    return Status.CURRENT


class Benchmark(NamedTuple):
    name: str
    score: Decimal
    source: str


class PricePeriod(NamedTuple):
    """Prices in force from a UTC date (`from` in the catalog) until the next period's start.

    A record with dated prices lists every period in `price_periods`, in increasing order of
    `start` (validation rejects two on one date or out of order); the first is its undated
    `prices` and `image_prices`, in force since `EVER`. A record without dated prices has none.
    """

    start: dt.date
    prices: Prices = Prices()
    image_prices: tuple[ImagePrice, ...] = ()
    source: str | None = None


EVER = dt.date.min  # the start of a record's first, undated period


def period_index(periods: tuple[PricePeriod, ...], on: dt.date) -> int:
    """The index of the period in force on `on`: the last that starts on or before that date
    (exactly one does, the first starting at EVER). -1 only when there are no periods."""
    return max(bisect_right([period.start for period in periods], on) - 1, 0 if periods else -1)


class Offer(NamedTuple):
    """The model as one seller sells it (a cloud, a reseller, a host), at that seller's prices.

    One per seller, and per region or deployment type where the prices differ. The prices take
    the same kinds, tables and grids as a model's own (the maker's), and are priced the same way:
    `as_sold` makes the model record that the rate cards price.
    """

    id: str  # unique within the model: "bedrock", "bedrock-us", "azure-global"
    seller: str  # "bedrock", "azure", "vertex_ai", "openrouter", "fal_ai", ...
    seller_model_id: str | None = None  # the id the seller's API takes
    region: str | None = None  # a region or deployment type ("us", "eu", "global")
    reseller: bool = False  # sold on by a third party, not run under the maker's licence
    names: tuple[str, ...] = ()  # ids that name this offer in logs and SDKs ("bedrock/...")
    prices: Prices = Prices()
    image_prices: tuple[ImagePrice, ...] = ()
    source_url: str | None = None
    as_of: dt.date | None = None
    notes: str | None = None
    price_periods: tuple[PricePeriod, ...] = ()  # every period, when prices are dated


class Model(NamedTuple):
    """Everything the catalog knows about one model."""

    id: str
    provider: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    context_window: int | None = None
    max_input_tokens: int | None = None
    max_output_tokens: int | None = None
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    endpoints: tuple[str, ...] = ()
    snapshots: tuple[str, ...] = ()
    knowledge_cutoff: str | None = None
    release_date: dt.date | None = None
    strengths: tuple[str, ...] = ()
    notes: str | None = None
    source_url: str | None = None
    as_of: dt.date | None = None
    lifecycle: Lifecycle = Lifecycle()
    availability: str = GENERAL  # one of AVAILABILITY
    prices: Prices = Prices()
    image_prices: tuple[ImagePrice, ...] = ()
    benchmarks: tuple[Benchmark, ...] = ()
    offers: tuple[Offer, ...] = ()  # the model as other sellers sell it (`prices`: the maker's)
    # set on the record `as_sold` makes: the seller and offer it is priced at, else None (the
    # maker's own prices)
    seller: str | None = None
    offer_id: str | None = None
    # dotted field path -> catalog layer it came from, for values not from the bundled file
    origins: tuple[tuple[str, str], ...] = ()
    price_periods: tuple[PricePeriod, ...] = ()  # every period, when prices are dated

    def status(self, today: dt.date) -> Status:
        """Derive the status from the lifecycle dates; never stored."""
        return lifecycle_status(self.lifecycle, today)

    @property
    def superseded_by(self) -> str | None:
        return self.lifecycle.superseded_by

    @property
    def free(self) -> bool:
        """Whether every price the catalog knows for it is $0 (a free, usually rate-limited tier)."""
        return free_of_charge(self.prices, self.image_prices)

    def has(self, capability: str) -> bool:
        return capability in self.capabilities

    def price(self, key: str, *, batch: bool = False, table: str = "standard") -> Decimal | None:
        """A price of the standard table, or of `table` (batch, flex, priority, off_peak)."""
        prices: PriceSet = getattr(self.prices, "batch" if batch else table)
        return prices.get(key)

    def image_price(self, quality: str, size: str) -> Decimal | None:
        """USD per image at this quality and size, honouring `any`; None when not sold."""
        best: Decimal | None = None
        for cell in self.image_prices:
            if cell.quality in (quality, ANY) and cell.size in (size, ANY):
                # an exact cell beats an `any` cell
                if cell.quality == quality and cell.size == size:
                    return cell.usd
                best = cell.usd if best is None else best
        return best

    @property
    def cheapest_image(self) -> Decimal | None:
        return min((cell.usd for cell in self.image_prices), default=None)

    @property
    def image_qualities(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(cell.quality for cell in self.image_prices))

    @property
    def image_sizes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(cell.size for cell in self.image_prices))

    def offer(self, offer_id: str) -> Offer | None:
        for item in self.offers:
            if item.id == offer_id:
                return item
        return None

    def origin(self, path: str) -> str | None:
        """The layer a field came from, when it is not the bundled catalog."""
        for key, layer in self.origins:
            if key in ("*", path) or path.startswith(key + "."):
                return layer
        return None


class Provider(NamedTuple):
    id: str
    name: str
    url: str | None = None


OFFER_SEP = "@"  # MODEL@SELLER, and the id of a model as sold by a seller


def as_sold(model: Model, offer: Offer) -> Model:
    """The model at one offer's prices: a record the rate cards price like any other, under the
    id `MODEL@OFFER` so that it ranks beside the maker's own prices."""
    return model._replace(
        id=f"{model.id}{OFFER_SEP}{offer.id}",
        prices=offer.prices,
        image_prices=offer.image_prices,
        source_url=offer.source_url or model.source_url,
        as_of=offer.as_of or model.as_of,
        offers=(),
        seller=offer.seller,
        offer_id=offer.id,
        price_periods=offer.price_periods,
    )


def _offer_on(offer: Offer, on: dt.date) -> Offer:
    index = period_index(offer.price_periods, on)
    if index < 0:
        return offer
    period = offer.price_periods[index]
    return offer._replace(prices=period.prices, image_prices=period.image_prices)


def priced_on(model: Model, on: dt.date) -> Model:
    """The model with the prices in force on `on` (a UTC date) as its `prices` and
    `image_prices`, its offers' likewise; its periods are kept. A model without dated periods is
    returned as it is: one period behaves exactly as a single price."""
    offers = model.offers
    if any(offer.price_periods for offer in offers):
        offers = tuple(_offer_on(offer, on) for offer in offers)
    index = period_index(model.price_periods, on)
    if index < 0:
        return model if offers is model.offers else model._replace(offers=offers)
    period = model.price_periods[index]
    return model._replace(prices=period.prices, image_prices=period.image_prices, offers=offers)


def maker_offer(model: Model) -> Model:
    """The model at its maker's own prices, labelled with the maker as its seller."""
    return model._replace(id=f"{model.id}{OFFER_SEP}{model.provider}", seller=model.provider)
