"""Exact workload pricing and ranking: the one place with money arithmetic. Decimal only.

What a workload is billed for at a rate lives in one table, BILLED: each kind's catalog price key
(the rate that bills it), label, unit, the number of units a price is for, the Workload field that
counts it, the kind whose rate bills it when its own price is unknown, which model of a pipeline
bills it, and a caveat every line of the kind carries. A RateCard holds one rate per row, `estimate`
itemises one line per row and `quote_all` (the ranked scan of a whole catalog) totals the same rows,
both through the one rate rule `_rate`. Images are billed from a model's per-image grid by
`_image_choice`, also shared by both.

Who bills what, the same in both:
- prompt rows (input, cached input, cache writes, output, reasoning): a model that answers text
  requests; a model that does not (image, audio, video) only for a workload that also has its
  media, as the prompt of those requests, at its token prices, or not at all when it has no token
  price (billed per image, minute or second only; noted). In a text+image pipeline, the text model.
- image rows (image input, cached image input and image output tokens): the model, or a
  pipeline's image model; media rows (audio tokens, minutes, characters, video seconds): the model,
  or a pipeline's text model. Each at its own price: a missing one is "cannot serve".
- fee rows (requests, web searches): the model, or a pipeline's text model, on top of what the
  requests are billed for (never a prompt that goes unbilled); a model without a request fee
  charges none, one without a web-search price cannot serve searches.
- images: per image from the model's grid, which covers the output only (a token-billed image
  model bills the prompt on top: a line note says so). With `--images`, a model with a grid bills
  the images' output per image only (image output tokens given are not billed twice); one without a
  grid bills them by the image output tokens the workload gives, else cannot serve.

How options become a Workload (the default --tokens split, cache hits, TTLs): workloads.py.

Like model.py, this module does not use `from __future__ import annotations`: the cache reads
RateCard's field types to store it (cache/codec.py), and NamedTuple would turn every string
annotation into a ForwardRef.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Context, Decimal, DivisionByZero, Inexact, InvalidOperation, Overflow
from typing import NamedTuple

from aicompare import fmt
from aicompare.errors import WorkloadError
from aicompare.frozen import Frozen, set_field
from aicompare.model import (
    ANY,
    PRICE_LABELS,
    PRICE_UNITS,
    SERVICE_TIERS,
    ImagePrice,
    Lifecycle,
    Model,
    PriceTier,
    Status,
    lifecycle_status,
)
from aicompare.quantities import MAX_QUANTITY, Period, format_quantity

DEFAULT_QUALITY = "medium"
DEFAULT_SIZE = "1024x1024"
TOKENS_PER_PRICE = 1_000_000  # catalog token prices are per 1M tokens
PER_IMAGE = "per image"
IMAGES = "images"
# Who bills a kind (see the module docstring): the prompt and the text output are a text model's.
PROMPT, OUTPUT, IMAGE, MEDIA, FEE = "prompt", "output", "image", "media", "fee"
TEXT = (PROMPT, OUTPUT)

# A cap, not a cost: Decimal works on the digits a number has, so a huge precision keeps every
# product and sum exact (the catalog does not limit decimal places) and Inexact can never fire
# on money; where a quotient is truly inexact the trap makes that explicit.
_EXACT = Context(prec=100_000, traps=[Inexact, InvalidOperation, DivisionByZero, Overflow])
_Rate = tuple[Decimal | None, str | None, str | None]  # (price, which rate, caveat)
_ZERO = Decimal(0)


class Billed(NamedTuple):
    """One kind of quantity a workload is billed for at a catalog rate."""

    key: str  # the kind of its line items (the catalog price key, but for reasoning)
    label: str  # "cached input tokens"
    unit: str  # "per 1M tokens"
    per: int  # a catalog price is for this many units
    quantity: str  # the Workload field that counts it
    fallback: str | None  # the kind whose rate bills it when its own price is unknown
    rate: str  # the catalog's price key (`prices.<rate>`) that bills it
    role: str  # PROMPT, OUTPUT, IMAGE, MEDIA or FEE: which model bills it
    caveat: str | None  # a note every line of this kind carries
    optional: bool  # a model without its price charges none (no line), rather than cannot serve


def _billed(
    key: str,
    quantity: str,
    per: int,
    *,
    role: str = PROMPT,
    fallback: str | None = None,
    rate: str | None = None,
    label: str | None = None,
    caveat: str | None = None,
    optional: bool = False,
) -> Billed:
    """A row of BILLED; its label and unit are the catalog's (model.PRICE_LABELS, PRICE_UNITS)."""
    price = rate or key
    name = label or PRICE_LABELS[price]
    return Billed(
        key, name, PRICE_UNITS[price], per, quantity, fallback, price, role, caveat, optional
    )


# Every kind billed at a rate, in the order of a rate card's rates and of an estimate's lines. The
# rules are the same for each (`_rate`): a long-context tier's rate where the tier prices the kind,
# else under --batch the batch rate where the catalog has one (else the standard rate, noted),
# else, when the kind's own price is unknown, its fallback kind's rate (noted).
_M = TOKENS_PER_PRICE
BILLED = (
    _billed("input", "input_tokens", _M),
    # No cache discount known: the honest upper bound is the uncached rate.
    _billed("cached_input", "cached_input_tokens", _M, fallback="input"),
    # A maker without a write surcharge bills a cache write as input: the input rate, noted.
    _billed(
        "cache_write", "cache_write_tokens", _M, fallback="input", label="5-minute cache writes"
    ),
    # No fallback: a 1-hour write is never billed at the 5-minute rate (cannot serve instead).
    _billed("cache_write_1h", "cache_write_1h_tokens", _M),
    _billed("output", "output_tokens", _M, role=OUTPUT),
    # Hidden reasoning tokens are output tokens: the output rate, a line of their own.
    _billed(
        "reasoning", "reasoning_tokens", _M, role=OUTPUT, rate="output", label="reasoning tokens"
    ),
    _billed("image_input", "image_input_tokens", _M, role=IMAGE),
    _billed(
        "cached_image_input", "cached_image_input_tokens", _M, role=IMAGE, fallback="image_input"
    ),
    _billed("image_output", "image_output_tokens", _M, role=IMAGE),
    _billed("audio_input", "audio_input_tokens", _M, role=MEDIA),
    _billed("audio_output", "audio_output_tokens", _M, role=MEDIA),
    _billed(
        "audio_input_per_minute", "audio_minutes", 1, role=MEDIA, label="minutes of audio input"
    ),
    _billed("input_per_1m_characters", "characters", _M, role=MEDIA, label="input characters"),
    _billed(
        "video_output_per_second",
        "video_seconds",
        1,
        role=MEDIA,
        label="seconds of video output",
        caveat="one per-second price per model in the catalog, whatever the resolution: "
        "check the maker's price for yours",
    ),
    # A fee per request (Perplexity's Sonar): most models charge none, so a model without the
    # price bills nothing for requests (the workload's assumptions say so), not "cannot serve".
    _billed(
        "request",
        "requests",
        1000,
        role=FEE,
        rate="request_per_1k",
        label="requests",
        optional=True,
    ),
    # Web-search tool calls: a model without a search price in the catalog cannot serve them.
    _billed(
        "web_search", "web_searches", 1000, role=FEE, rate="web_search_per_1k", label="web searches"
    ),
)
# What a line of a kind says when its price is missing, besides "no ... price".
_MISSING_HINTS = {
    "cache_write_1h": "; --cache-ttl 5m prices 5-minute writes",
}
# How a price key reads where its name is not words.
_PRICE_WORDS = {"request_per_1k": "per-request", "web_search_per_1k": "web-search"}
STANDARD = "standard"
TIERS = (STANDARD, *SERVICE_TIERS)  # `cost --tier`
# What a line billed at an alternate table's rate says it was (the line's detail).
_TABLE_DETAIL = {"flex": "flex tier", "priority": "priority tier", "off_peak": "off-peak"}
_TABLE_WORDS = {"flex": "flex", "priority": "priority", "off_peak": "off-peak"}


def _words(key: str) -> str:
    return _PRICE_WORDS.get(key) or key.replace("_", " ")


def _exponent(per: int) -> int | None:
    """-n when `per` is 10**n (a cost is then the product with its exponent shifted), else None."""
    digits = str(per)
    return 1 - len(digits) if digits == "1" + "0" * (len(digits) - 1) else None


# The table's rules, worked out once per kind (index into BILLED) for the loops below.
_KEYS = tuple(kind.key for kind in BILLED)
_RATES = tuple(kind.rate for kind in BILLED)
_ROLES = tuple(kind.role for kind in BILLED)
_LABELS = {kind.key: kind.label for kind in BILLED}
_EXPONENTS = tuple(_exponent(kind.per) for kind in BILLED)
_FALLBACKS = tuple(None if kind.fallback is None else _KEYS.index(kind.fallback) for kind in BILLED)
_FALLBACK_NOTES = tuple(
    None
    if kind.fallback is None
    else f"no {_words(kind.key)} price in the catalog; billed at the {_words(kind.fallback)} rate"
    for kind in BILLED
)
_BATCH_NOTES = tuple(f"no batch price for {kind.label}; standard rate used" for kind in BILLED)
_TABLE_NOTES = {
    table: tuple(f"no {words} price for {kind.label}; standard rate used" for kind in BILLED)
    for table, words in _TABLE_WORDS.items()
}
_OPTIONAL = tuple(kind.optional for kind in BILLED)
# The kinds billed at the output rate: in thinking mode, at the thinking-mode output rate.
_THINKS = tuple(kind.rate == "output" for kind in BILLED)
_REQUEST = _KEYS.index("request")
_NO_THINKING = "no thinking-mode price in the catalog; output rate used"
_MISSING = tuple(
    f"{kind.label} (no {_words(kind.rate)} price for {{}} in the catalog"
    f"{_MISSING_HINTS.get(kind.key, '')})"
    for kind in BILLED
)
_TOKEN_ROWS = tuple(i for i, kind in enumerate(BILLED) if kind.unit == PRICE_UNITS["input"])
_IMAGE_OUTPUT = _KEYS.index("image_output")
# What an image request's prompt is billed as: text and image input tokens.
_PROMPT_ROWS = tuple(
    i for i, kind in enumerate(BILLED) if kind.role == PROMPT or kind.key.endswith("image_input")
)
_COUNTED = (
    *dict.fromkeys(kind.quantity for kind in BILLED),
    IMAGES,
)  # every count a Workload holds


_WORKLOAD_FIELDS = (
    "input_tokens",
    "cached_input_tokens",
    "output_tokens",
    "images",
    "quality",
    "size",
    "batch",
    "request_tokens",
    "period",
    "assumptions",
    "tier",
    "off_peak",
    "thinking",
    "cache_write_tokens",
    "cache_write_1h_tokens",
    "reasoning_tokens",
    "image_input_tokens",
    "cached_image_input_tokens",
    "image_output_tokens",
    "audio_input_tokens",
    "audio_output_tokens",
    "audio_minutes",
    "characters",
    "video_seconds",
    "requests",
    "web_searches",
    "table",
)


class Workload(Frozen):
    """What to price for one period: a count per BILLED kind, images and how they are billed.

    A frozen record with the fields, order and behaviour of a frozen dataclass (see frozen.py:
    written out, it costs nothing at import).
    """

    __slots__ = _WORKLOAD_FIELDS

    input_tokens: int  # uncached input
    cached_input_tokens: int
    output_tokens: int
    images: int
    quality: str | None  # None: each model's default (see estimate)
    size: str | None
    batch: bool
    request_tokens: int | None  # typical prompt per request, for long-context tiers
    period: Period
    assumptions: tuple[str, ...]
    tier: str  # the service tier (TIERS): flex and priority bill their own tables
    off_peak: bool  # within a model's off-peak hours, at its off-peak prices
    thinking: bool  # output in thinking mode, at a thinking-mode output price
    # The other BILLED counts, after the fields above (which callers may give by position).
    cache_write_tokens: int  # 5-minute cache writes
    cache_write_1h_tokens: int
    reasoning_tokens: int  # hidden, billed as output
    image_input_tokens: int
    cached_image_input_tokens: int
    image_output_tokens: int
    audio_input_tokens: int
    audio_output_tokens: int
    audio_minutes: int
    characters: int
    video_seconds: int
    requests: int  # billed where a model charges per request
    web_searches: int
    # The price table besides standard and batch the rates come from: flex, priority, off_peak
    # or None; set from tier and off_peak.
    table: str | None

    def __init__(
        self,
        input_tokens: int = 0,
        cached_input_tokens: int = 0,
        output_tokens: int = 0,
        images: int = 0,
        quality: str | None = None,
        size: str | None = None,
        batch: bool = False,
        request_tokens: int | None = None,
        period: Period = Period.MONTH,
        assumptions: tuple[str, ...] = (),
        tier: str = STANDARD,
        off_peak: bool = False,
        thinking: bool = False,
        cache_write_tokens: int = 0,
        cache_write_1h_tokens: int = 0,
        reasoning_tokens: int = 0,
        image_input_tokens: int = 0,
        cached_image_input_tokens: int = 0,
        image_output_tokens: int = 0,
        audio_input_tokens: int = 0,
        audio_output_tokens: int = 0,
        audio_minutes: int = 0,
        characters: int = 0,
        video_seconds: int = 0,
        requests: int = 0,
        web_searches: int = 0,
    ) -> None:
        values = locals()
        for name in _WORKLOAD_FIELDS[:-1]:
            set_field(self, name, values[name])
        for name in _COUNTED:
            value = values[name]
            if type(value) is not int or not 0 <= value <= MAX_QUANTITY:
                raise ValueError(f"{name} must be an int in 0..{MAX_QUANTITY}, not {value!r}")
        if tier not in TIERS:
            raise ValueError(f"tier must be one of {', '.join(TIERS)}, not {tier!r}")
        modes = [batch, tier != STANDARD, off_peak]
        if sum(modes) > 1:
            raise ValueError("batch, a service tier and off-peak are prices of their own")
        set_field(self, "table", "off_peak" if off_peak else None if tier == STANDARD else tier)

    @property
    def tokens(self) -> int:
        """Every token billed at a rate (not images, minutes, characters or seconds)."""
        return sum(getattr(self, BILLED[index].quantity) for index in _TOKEN_ROWS)

    def __add__(self, other: "Workload") -> "Workload":
        """Two workloads billed the same way, as one (counts add up)."""
        same = (
            "quality",
            "size",
            "batch",
            "request_tokens",
            "period",
            "tier",
            "off_peak",
            "thinking",
        )
        if any(getattr(self, name) != getattr(other, name) for name in same):
            raise ValueError("only workloads alike in quality, size, batch, tier and period add")
        values = {name: getattr(self, name) for name in _WORKLOAD_FIELDS[:-1]}
        values.update({name: getattr(self, name) + getattr(other, name) for name in _COUNTED})
        values["assumptions"] = tuple(dict.fromkeys(self.assumptions + other.assumptions))
        return Workload(**values)


def counted_units(w: Workload) -> list[str]:
    """The workload's counts that are not tokens or images, as words: '10k minutes of audio input'."""
    return [
        f"{format_quantity(getattr(w, kind.quantity))} {kind.label}"
        for index, kind in enumerate(BILLED)
        if index not in _TOKEN_ROWS and getattr(w, kind.quantity)
    ]


def _media(w: Workload) -> bool:
    """Whether the workload has more than prompt tokens (images, image, audio or video counts)."""
    return bool(w.images) or any(
        getattr(w, kind.quantity) for kind in BILLED if kind.role not in (*TEXT, FEE)
    )


class LineItem(Frozen):
    """One priced part of a workload on one model."""

    __slots__ = ("kind", "quantity", "unit", "unit_price", "cost", "model_id", "detail", "note")  # noqa: RUF023

    kind: str  # a BILLED key (input, cached_input, output, reasoning, ...) or images
    quantity: int
    unit: str  # "per 1M tokens" or "per image"
    unit_price: Decimal
    cost: Decimal
    model_id: str
    detail: str | None  # which rate: "batch", "medium 1024x1536", "long-context tier"
    note: str | None  # a caveat worth showing, e.g. a batch fallback

    def __init__(
        self,
        kind: str,
        quantity: int,
        unit: str,
        unit_price: Decimal,
        cost: Decimal,
        model_id: str,
        detail: str | None = None,
        note: str | None = None,
    ) -> None:
        set_field(self, "kind", kind)
        set_field(self, "quantity", quantity)
        set_field(self, "unit", unit)
        set_field(self, "unit_price", unit_price)
        set_field(self, "cost", cost)
        set_field(self, "model_id", model_id)
        set_field(self, "detail", detail)
        set_field(self, "note", note)

    @property
    def label(self) -> str:
        return _LABELS.get(self.kind, self.kind)  # images are "images"


class Estimate(Frozen):
    """A workload priced on one model or a text+image pipeline; total None when not servable."""

    __slots__ = ("model_ids", "line_items", "total", "servable", "cannot_serve", "notes", "period")  # noqa: RUF023

    model_ids: tuple[str, ...]
    line_items: tuple[LineItem, ...]
    total: Decimal | None
    servable: bool
    cannot_serve: tuple[str, ...]
    notes: tuple[str, ...]
    period: Period

    def __init__(
        self,
        model_ids: tuple[str, ...],
        line_items: tuple[LineItem, ...],
        total: Decimal | None,
        servable: bool,
        cannot_serve: tuple[str, ...] = (),
        notes: tuple[str, ...] = (),
        period: Period = Period.MONTH,
    ) -> None:
        set_field(self, "model_ids", model_ids)
        set_field(self, "line_items", line_items)
        set_field(self, "total", total)
        set_field(self, "servable", servable)
        set_field(self, "cannot_serve", cannot_serve)
        set_field(self, "notes", notes)
        set_field(self, "period", period)

    @property
    def key(self) -> str:
        """`o4-mini` or `o4-mini+gpt-image-1`: how the model or pipeline is named."""
        return "+".join(self.model_ids)


class Ranked(Frozen):
    """An estimate's place: rank None and deltas None when it cannot serve the workload."""

    __slots__ = ("rank", "estimate", "delta", "delta_percent", "reference")  # noqa: RUF023

    rank: int | None
    estimate: Estimate
    delta: Decimal | None  # total minus the reference total
    delta_percent: Decimal | None  # delta as % of the reference; None if the reference is $0
    reference: str | None  # key of the cheapest estimate or of the baseline

    def __init__(
        self,
        rank: int | None,
        estimate: Estimate,
        delta: Decimal | None,
        delta_percent: Decimal | None,
        reference: str | None,
    ) -> None:
        set_field(self, "rank", rank)
        set_field(self, "estimate", estimate)
        set_field(self, "delta", delta)
        set_field(self, "delta_percent", delta_percent)
        set_field(self, "reference", reference)


class RateCard(NamedTuple):
    """What pricing reads of a model, and nothing more.

    Every pricing rule below reads a card, never a Model: `estimate` turns the models it is given
    into cards, and a ranked scan of the whole catalog quotes the cards the cache keeps (a few
    small objects each instead of a full record), so both apply the very same rules. A card also
    answers the catalog filters (provider, type, capability, status). The cache stores it by
    these field types, so a field or a BILLED kind added here needs no change there.
    """

    id: str
    provider: str
    type: str
    capabilities: tuple[str, ...]
    lifecycle: Lifecycle
    availability: str  # model.AVAILABILITY
    free: bool  # every known price is $0 (Model.free)
    takes_tokens: bool
    makes_images: bool
    token_limit: int | None  # the longest prompt: max_input_tokens, else context_window
    standard: tuple[Decimal | None, ...]  # one rate per BILLED kind, in its order
    batch: tuple[Decimal | None, ...]  # the same, under --batch
    tiers: tuple[PriceTier, ...]  # by threshold, lowest first
    image_prices: tuple[ImagePrice, ...]
    # one rate per BILLED kind of each of these tables, or () when the model has none of it
    flex: tuple[Decimal | None, ...] = ()
    priority: tuple[Decimal | None, ...] = ()
    off_peak: tuple[Decimal | None, ...] = ()
    off_peak_hours: str | None = None
    thinking: Decimal | None = None  # the thinking-mode output price
    inputs: tuple[str, ...] = ()  # the input modalities, where the catalog lists them

    def has(self, capability: str) -> bool:
        return capability in self.capabilities

    def status(self, today: dt.date) -> Status:
        return lifecycle_status(self.lifecycle, today)


def takes_tokens(model: Model) -> bool:
    """Whether the model answers text requests (so it can be billed for a token workload): a text
    or embedding model, or one that outputs text, that reads text where its inputs are listed (an
    OCR model reads images and documents, a transcription model audio)."""
    answers = model.type in ("text", "embedding") or "text" in model.output_modalities
    return answers and (not model.input_modalities or "text" in model.input_modalities)


def makes_images(model: Model) -> bool:
    """Whether the model generates images."""
    return model.type == "image" or "image" in model.output_modalities or bool(model.image_prices)


def rate_card(model: Model) -> RateCard:
    """The card of one model: the only way one is made."""
    standard, batch = model.prices.standard.values, model.prices.batch.values
    return RateCard(
        model.id,
        model.provider,
        model.type,
        model.capabilities,
        model.lifecycle,
        model.availability,
        model.free,
        takes_tokens(model),
        makes_images(model),
        model.max_input_tokens or model.context_window,
        tuple([standard.get(key) for key in _RATES]),
        tuple([batch.get(key) for key in _RATES]),
        tuple(sorted(model.prices.tiers, key=lambda t: t.above_input_tokens)),
        model.image_prices,
        _table_rates(model.prices.flex.values),
        _table_rates(model.prices.priority.values),
        _table_rates(model.prices.off_peak.values),
        model.prices.off_peak_hours,
        model.prices.standard.get("thinking_output"),
        model.input_modalities,
    )


def _table_rates(values: Mapping[str, Decimal]) -> tuple[Decimal | None, ...]:
    """One rate per BILLED kind of a price table, or () for a table the model does not have."""
    return tuple([values.get(key) for key in _RATES]) if values else ()


def _exact_cost(quantity: int, unit_price: Decimal, index: int | None = None) -> Decimal:
    """quantity x unit_price, divided by the `per` of BILLED[index] (images: per 1), exactly."""
    product = _EXACT.multiply(Decimal(quantity), unit_price)
    return product if index is None else _scaled(product, index)


def _scaled(product: Decimal, index: int) -> Decimal:
    """product / BILLED[index].per, exactly."""
    exponent = _EXPONENTS[index]
    if exponent == 0:
        return product
    if exponent is not None:
        # a shift of the exponent: exact, and far cheaper than a division at this precision
        return product.scaleb(exponent, _EXACT)
    return _EXACT.divide(product, BILLED[index].per)


def image_options(models: Iterable[Model | RateCard]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every image quality and size the catalog sells (without `any`), in catalog order."""
    cells = [cell for model in models for cell in model.image_prices]
    qualities = tuple(dict.fromkeys(c.quality for c in cells if c.quality != ANY))
    sizes = tuple(dict.fromkeys(c.size for c in cells if c.size != ANY))
    return qualities, sizes


def _card(item: Model | RateCard) -> RateCard:
    return item if isinstance(item, RateCard) else rate_card(item)


def _roles(cards: Sequence[RateCard]) -> tuple[RateCard, RateCard]:
    """(token model, image model) of one model or a text+image pipeline."""
    if len(cards) == 1:
        return cards[0], cards[0]
    names = "+".join(c.id for c in cards)
    if len(cards) == 2 and cards[0].id != cards[1].id:
        first, second = cards
        if first.takes_tokens and second.makes_images:
            return first, second
        if second.takes_tokens and first.makes_images:
            return second, first
    raise WorkloadError(
        f"{names!r} is not a pipeline",
        "a pipeline is a text model and an image model joined by '+'",
    )


def _tier(card: RateCard, request_tokens: int | None) -> PriceTier | None:
    """The cliff rule: the highest tier whose threshold the prompt exceeds."""
    if request_tokens is None or not card.tiers:
        return None
    over = [t for t in card.tiers if request_tokens > t.above_input_tokens]
    return max(over, key=lambda t: t.above_input_tokens, default=None)


def _own_rate(
    card: RateCard, index: int, w: Workload, tier: PriceTier | None, thinking: bool = True
) -> _Rate:
    """The rate of BILLED[index] itself, honouring thinking mode, long-context tiers (cliff
    rule), batch, and the service tier or off-peak table."""
    if thinking and w.thinking and _THINKS[index]:
        return _thinking_rate(card, index, w, tier)
    if tier is not None:
        price = tier.prices.get(_RATES[index])
        if price is not None:
            over = fmt.tokens(tier.above_input_tokens)
            detail = f"long-context tier (prompts over {over} tokens)"
            mode = "batch" if w.batch else None if w.table is None else _TABLE_WORDS[w.table]
            note = f"no {mode} price for long-context tiers; tier rate used" if mode else None
            return price, detail, note
    standard = card.standard[index]
    if w.batch:
        batched = card.batch[index]
        if batched is not None:
            return batched, "batch", None
        if standard is not None:
            return standard, None, _BATCH_NOTES[index]
    elif w.table is not None:
        rates = getattr(card, w.table)
        alternate = rates[index] if rates else None
        if alternate is not None:
            if w.off_peak:
                return alternate, f"off-peak, {card.off_peak_hours} UTC", None
            return alternate, _TABLE_DETAIL[w.table], None
        if rates and standard is not None:
            return standard, None, _TABLE_NOTES[w.table][index]
    return standard, None, None


def _thinking_rate(card: RateCard, index: int, w: Workload, tier: PriceTier | None) -> _Rate:
    """An output rate in thinking mode: the model's thinking-mode output price where the catalog
    has one (from its standard table: no set prices thinking by tier, batch or hours), else the
    output rate as ever, noted."""
    price = card.thinking
    if price is None:
        rate = _own_rate(card, index, w, tier, False)
        if rate[0] is None:
            return rate
        return rate[0], rate[1], "; ".join(n for n in (_NO_THINKING, rate[2]) if n)
    other = (
        "long-context tier"
        if tier is not None and tier.prices.get("output") is not None
        else "batch"
        if w.batch
        else None
        if w.table is None
        else _TABLE_WORDS[w.table]
    )
    note = None if other is None else f"no {other} thinking-mode price; standard one used"
    return price, "thinking mode", note


def _rate(card: RateCard, index: int, w: Workload, tier: PriceTier | None) -> _Rate:
    """(price, which rate, caveat) of BILLED[index] on a card: every rule of a billed kind, the
    one place both `estimate` and `quote_all` read a rate. Price None: not billable."""
    rate = _own_rate(card, index, w, tier)
    if rate[0] is None:
        fallback = _FALLBACKS[index]
        if fallback is not None:
            price, detail, _ = _own_rate(card, fallback, w, tier)
            return price, detail, _FALLBACK_NOTES[index]
    return rate


def _no_tier(card: RateCard, w: Workload) -> bool:
    """Under --tier flex or priority, whether the model has no price of that tier at all."""
    return w.tier != STANDARD and not getattr(card, w.tier)


def _prompt_too_long(card: RateCard, w: Workload) -> bool:
    limit = card.token_limit
    return w.request_tokens is not None and limit is not None and w.request_tokens > limit


def _image_cell(card: RateCard, quality: str, size: str) -> ImagePrice | None:
    """The grid cell Model.image_price would bill: an exact cell beats an `any` one."""
    matches = [
        c for c in card.image_prices if c.quality in (quality, ANY) and c.size in (size, ANY)
    ]
    exact = [c for c in matches if c.quality == quality and c.size == size]
    return next(iter(exact or matches), None)


def _image_choice(card: RateCard, w: Workload) -> tuple[ImagePrice | None, bool]:
    """(the cell to bill, whether it is the cheapest fallback) for the workload's images."""
    quality, size = w.quality, w.size
    cell = _image_cell(card, quality or DEFAULT_QUALITY, size or DEFAULT_SIZE)
    cheapest = cell is None and (quality is None or size is None)
    if cheapest:
        # Only a choice the user left open may fall back, to the cheapest cell that fits the rest.
        cell = min(
            (
                c
                for c in card.image_prices
                if (quality is None or c.quality in (quality, ANY))
                and (size is None or c.size in (size, ANY))
            ),
            key=lambda c: c.usd,
            default=None,
        )
    return cell, cheapest


def _token_billed(card: RateCard) -> bool:
    """Whether the model has any token price (else it bills per image, minute or second only)."""
    standard = card.standard
    return any(standard[index] is not None for index in _TOKEN_ROWS)


def _output_only(card: RateCard, w: Workload, pipeline: bool) -> str | None:
    """A token-billed image model's per-image price covers the output only: what the line says."""
    if not _token_billed(card):
        return None  # billed per image only: the price is the whole price
    covers = "the per-image price covers the image output only"
    if pipeline:
        return f"{covers}; {card.id}'s own prompt tokens are not part of a pipeline's estimate"
    if any(getattr(w, BILLED[index].quantity) for index in _PROMPT_ROWS):
        return f"{covers}; the prompt tokens are billed as lines of their own"
    return f"{covers}; {card.id} also bills the prompt by the token (give it with --input)"


def _no_grid(card: RateCard) -> str:
    """Why images without a per-image price cannot be priced on an image model."""
    if card.standard[_IMAGE_OUTPUT] is not None:
        return (
            f"images ({card.id} sells images by image output tokens only, and the catalog does not "
            "know how many tokens an image takes: give them with --image-output-tokens N)"
        )
    return f"images (no per-image price for {card.id} in the catalog)"


def image_cell_text(quality: str, size: str) -> str:
    """The grid cell a line was billed at, as it is sold (never the request an `any` side took):
    'high 1024x1024', '1024x1024, any quality', 'hd, any size', 'flat price, any size and
    quality'."""
    if quality == ANY and size == ANY:
        return "flat price, any size and quality"
    if quality == ANY:
        return f"{size}, any quality"
    if size == ANY:
        return f"{quality}, any size"
    return f"{quality} {size}"


def _image_line(
    card: RateCard, w: Workload, pipeline: bool
) -> tuple[LineItem | None, str | None, str | None]:
    """(line, note, cannot-serve reason) for the images of a workload on one image model."""
    if not card.image_prices:
        if w.image_output_tokens:
            # billed by their image output tokens, the image_output line
            return (
                None,
                "images: billed by the image output tokens given (no per-image price)",
                None,
            )
        return None, None, _no_grid(card)
    quality, size = w.quality, w.size
    cell, cheapest = _image_choice(card, w)
    if cell is None:
        sold = ", ".join(f"{c.quality} {c.size}" for c in card.image_prices)
        wanted = " ".join(part for part in (quality, size) if part)
        return None, None, f"{wanted} images ({card.id} sells {sold})"
    detail = image_cell_text(cell.quality, cell.size)
    output_only = _output_only(card, w, pipeline)
    if output_only:
        detail += ", output only"
    note = None
    if (quality is None and cell.quality != ANY) or (size is None and cell.size != ANY):
        why = f", the cheapest {card.id} sells" if cheapest else ""
        # what the workload left open and the cell fixed
        assumed = [
            part
            for part, given in ((cell.quality, quality), (cell.size, size))
            if given is None and part != ANY
        ]
        note = f"images: {' '.join(assumed)} assumed{why}"
    batch_note = "no batch per-image price in the catalog; standard price used" if w.batch else None
    caveats = [text for text in (batch_note, output_only) if text]
    line = LineItem(
        IMAGES,
        w.images,
        PER_IMAGE,
        cell.usd,
        _exact_cost(w.images, cell.usd),
        card.id,
        detail,
        "; ".join(caveats) or None,
    )
    return line, note, None


def _no_text(card: RateCard) -> str:
    """Why a model takes no text tokens: its type, or, for a text model, the inputs it reads."""
    if card.type in ("text", "embedding") and card.inputs:
        return f"{card.id} reads {' and '.join(card.inputs)} input, not text"
    return f"{card.id} is {fmt.article(card.type)} {card.type} model"


def _billed_lines(
    card: RateCard, w: Workload, rows: Sequence[int], notes: list[str], reasons: list[str]
) -> list[LineItem]:
    """One priced line per BILLED row given (those the workload counts that this model bills);
    missing prices become reasons."""
    text = any(_ROLES[index] in TEXT for index in rows)
    if text and not card.takes_tokens:
        if not _media(w):
            reasons.append(f"text tokens ({_no_text(card)})")
            return []
        if not _token_billed(card) and any(_ROLES[index] == PROMPT for index in rows):
            # the prompt of a request billed per image, minute or second: in that price
            notes.append(
                f"{card.id} has no token prices in the catalog: its prompt tokens are not billed"
            )
            rows = [index for index in rows if _ROLES[index] != PROMPT]
            text = any(_ROLES[index] in TEXT for index in rows)
    if text:
        if _prompt_too_long(card, w):
            reasons.append(
                f"prompts of {fmt.tokens(w.request_tokens or 0)} tokens "
                f"({card.id} takes at most {fmt.tokens(card.token_limit or 0)})"
            )
        if card.has("reasoning") and not w.reasoning_tokens:
            notes.append(
                "hidden reasoning tokens are billed as output and are not in the output count: "
                "add them with --reasoning-tokens N"
            )
        elif w.reasoning_tokens and not card.has("reasoning"):
            notes.append(
                f"{card.id} is not marked as a reasoning model in the catalog; "
                "the reasoning tokens given are billed as output all the same"
            )
    if rows and _no_tier(card, w):
        reasons.append(f"the {w.tier} tier (no {w.tier} prices for {card.id} in the catalog)")
        return []
    if text and w.off_peak and not card.off_peak:
        notes.append(
            f"{card.id} has no off-peak prices in the catalog: its standard rates apply at all hours"
        )
    request_fee = card.standard[_REQUEST]
    if text and request_fee is not None and not w.requests:
        notes.append(
            f"{card.id} also charges {fmt.price(request_fee)} per 1,000 requests, not billed: "
            "give --requests N (or --request-tokens)"
        )
    if text and card.tiers and w.request_tokens is None:
        notes.append(
            f"prompts assumed at most {fmt.tokens(card.tiers[0].above_input_tokens)} "
            "tokens (no --request-tokens); above that, long-context prices apply"
        )
    tier = _tier(card, w.request_tokens)
    lines = []
    for index in rows:
        kind = BILLED[index]
        if index == _IMAGE_OUTPUT and w.images and card.image_prices:
            notes.append(
                f"image output tokens not billed: {card.id}'s per-image price covers the output"
            )
            continue
        quantity = getattr(w, kind.quantity)
        price, detail, note = _rate(card, index, w, tier)
        if price is None:
            if not _OPTIONAL[index]:
                reasons.append(_MISSING[index].format(card.id))
            continue
        caveat = "; ".join(part for part in (note, kind.caveat) if part) or None
        lines.append(
            LineItem(
                kind.key,
                quantity,
                kind.unit,
                price,
                _exact_cost(quantity, price, index),
                card.id,
                detail,
                caveat,
            )
        )
    return lines


def estimate(models: Sequence[Model | RateCard], workload: Workload) -> Estimate:
    """Price a workload on one model, or on a text model and an image model together."""
    cards = [_card(m) for m in models]
    text_model, image_model = _roles(cards)
    pipeline = len(cards) > 1
    lines: list[LineItem] = []
    notes: list[str] = []
    reasons: list[str] = []
    rows = [index for index, kind in enumerate(BILLED) if getattr(workload, kind.quantity)]
    if pipeline:
        text_rows = [index for index in rows if _ROLES[index] != IMAGE]
        image_rows = [index for index in rows if _ROLES[index] == IMAGE]
        if text_rows:
            lines += _billed_lines(text_model, workload, text_rows, notes, reasons)
        if image_rows:
            lines += _billed_lines(image_model, workload, image_rows, notes, reasons)
    elif rows:
        lines += _billed_lines(text_model, workload, rows, notes, reasons)
    if workload.images:
        if image_model.makes_images:
            line, note, reason = _image_line(image_model, workload, pipeline)
            lines += [line] if line else []
            notes += [note] if note else []
            reasons += [reason] if reason else []
        else:
            reasons.append(
                f"images ({image_model.id} is {fmt.article(image_model.type)} "
                f"{image_model.type} model)"
            )
    # In a pipeline a caveat must say which of the two models it is about.
    notes += [f"{ln.model_id}: {ln.note}" if pipeline else ln.note for ln in lines if ln.note]
    ids, unique = tuple(c.id for c in cards), tuple(dict.fromkeys(notes))
    if reasons:
        # A partial price would read as the whole price, so nothing is totalled or itemised.
        return Estimate(ids, (), None, False, tuple(reasons), unique, workload.period)
    total = Decimal(0)
    for line in lines:
        total = _EXACT.add(total, line.cost)
    return Estimate(ids, tuple(lines), total, True, (), unique, workload.period)


_BILLED_INDEX = {kind.key: index for index, kind in enumerate(BILLED)}


def shape(w: Workload) -> tuple[bool, ...]:
    """Which quantities a workload counts: what, besides its options and the cards, decides every
    rate, note and reason of `estimate` (none depends on how large a count is)."""
    return (*(bool(getattr(w, kind.quantity)) for kind in BILLED), bool(w.images))


def rescale(result: Estimate, w: Workload | Mapping[str, int]) -> Estimate:
    """`estimate(models, w)` from `result`, the estimate of another workload on the same models
    with the same options (batch, tier, request tokens, image quality and size...) and the same
    `shape`: the same rates, notes and reasons, each line's quantity taken from `w` and its cost
    that quantity x the same unit price, exactly as `estimate` computes it (pricing is linear in
    the counts). The form repricing many aggregates of one model and period takes. `w` may be
    the counts alone, by Workload field name (a name not given counts 0; the period is
    `result`'s): a caller that has checked them against MAX_QUANTITY need not build a Workload."""
    if result.total is None:
        return result
    counts = w if isinstance(w, Mapping) else None
    lines: list[LineItem] = []
    total = Decimal(0)
    for line in result.line_items:
        index = None if line.kind == IMAGES else _BILLED_INDEX[line.kind]
        name = IMAGES if index is None else BILLED[index].quantity
        quantity = counts.get(name, 0) if counts is not None else int(getattr(w, name))
        cost = _exact_cost(quantity, line.unit_price, index)
        lines.append(
            LineItem(
                line.kind,
                quantity,
                line.unit,
                line.unit_price,
                cost,
                line.model_id,
                line.detail,
                line.note,
            )
        )
        total = _EXACT.add(total, cost)
    return Estimate(
        result.model_ids,
        tuple(lines),
        total,
        result.servable,
        result.cannot_serve,
        result.notes,
        result.period if isinstance(w, Mapping) else w.period,
    )


def quote_all(cards: Iterable[RateCard], w: Workload) -> list[Decimal | None]:
    """`estimate([card], w).total` for each card, without line items or notes.

    The form a ranked scan of the whole catalog takes: the same BILLED rows through the same
    rules (`_rate`, `_image_choice`, who bills what), so it must agree with `estimate` to the
    last digit (a property test holds it to that on every catalog model).
    """
    counts = [
        (index, Decimal(quantity), _EXPONENTS[index])
        for index, quantity in enumerate(getattr(w, kind.quantity) for kind in BILLED)
        if quantity
    ]
    text = any(_ROLES[count[0]] in TEXT for count in counts)
    refused = text and not _media(w)  # text tokens alone: only a text model bills them
    unprompted = [count for count in counts if _ROLES[count[0]] != PROMPT]
    unprompted_text = any(_ROLES[count[0]] == OUTPUT for count in unprompted)
    images = Decimal(w.images) if w.images else None
    request = w.request_tokens  # without it, no prompt is too long and no tier applies
    tiered = w.tier != STANDARD
    plain = not (w.batch or w.table is not None or w.thinking)  # standard prices only
    multiply, add = _EXACT.multiply, _EXACT.add
    totals: list[Decimal | None] = []
    for card in cards:
        total: Decimal | None = _ZERO
        rows = counts
        if text and not card.takes_tokens:
            if refused:
                totals.append(None)
                continue
            if not _token_billed(card):
                rows = unprompted  # its prompt is not billed
        if rows and tiered and _no_tier(card, w):
            totals.append(None)
            continue
        if rows:
            too_long = text if rows is counts else unprompted_text
            if too_long and request is not None and _prompt_too_long(card, w):
                totals.append(None)
                continue
            tier = None if request is None else _tier(card, request)
            # a plain workload without a tier: `_rate` is the standard rate where there is one
            # (the call cost 0.3 ms over 4,180 models; the property test holds the two equal)
            standard = card.standard if plain and tier is None else None
            billed = _ZERO
            for index, quantity, exponent in rows:
                if index == _IMAGE_OUTPUT and images is not None and card.image_prices:
                    continue  # the per-image price covers the output
                price = None if standard is None else standard[index]
                if price is None:
                    price = _rate(card, index, w, tier)[0]
                if price is None:
                    if _OPTIONAL[index]:
                        continue  # no fee of this kind
                    total = None
                    break
                # _exact_cost inlined on Decimal counts made once: the call cost 2.3 ms over
                # 4,180 models (docs/performance.md)
                cost = multiply(quantity, price)
                if exponent:
                    cost = cost.scaleb(exponent, _EXACT)
                elif exponent is None:
                    cost = _scaled(cost, index)
                billed = add(billed, cost)
            else:
                total = billed
        if images is not None and total is not None:
            if not card.makes_images:
                total = None
            elif card.image_prices:
                cell = _image_choice(card, w)[0]
                total = None if cell is None else add(total, multiply(images, cell.usd))
            elif not w.image_output_tokens:
                total = None  # no grid, and no image output tokens to bill them by
        totals.append(total)
    return totals


def rank(
    estimates: Sequence[Estimate],
    baseline: str | None = None,
    *,
    places: Mapping[str, int] | None = None,
) -> list[Ranked]:
    """Cheapest first, then the ones that cannot serve; deltas against the cheapest or baseline.

    `places` gives the rank of an estimate that was priced among more than those given (a
    baseline outside the rows a catalog scan shows).
    """
    servable = sorted(
        (e for e in estimates if e.servable),
        key=lambda e: e.total if e.total is not None else Decimal(0),
    )
    reference = servable[0] if servable else None
    if baseline is not None:
        found = [e for e in estimates if e.key.casefold() == baseline.casefold()]
        if not found:
            raise WorkloadError(
                f"--baseline: {baseline!r} is not among the models priced",
                "use the id of one of the models compared",
            )
        reference = found[0]
        if not reference.servable:
            raise WorkloadError(
                f"--baseline: {reference.key} cannot serve this workload: "
                f"{'; '.join(reference.cannot_serve)}"
            )
    ranked: list[Ranked] = []
    base = Decimal(0) if reference is None or reference.total is None else reference.total
    place = 0
    for index, item in enumerate(servable):
        total = item.total if item.total is not None else Decimal(0)
        # Ties share a rank (1, 1, 3), keeping their given order.
        if index == 0 or servable[index - 1].total != total:
            place = index + 1
        delta = _EXACT.subtract(total, base)
        pct = fmt.percent(delta, base) if base else None  # exact whatever the magnitudes
        shown_place = places.get(item.key, place) if places else place
        ranked.append(Ranked(shown_place, item, delta, pct, reference.key if reference else None))
    ranked += [Ranked(None, e, None, None, None) for e in estimates if not e.servable]
    return ranked
