"""Exact workload pricing and ranking: the one place with money arithmetic. Decimal only.

Default output share: 25% of `--tokens` is output, 75% input (3:1). Chat, RAG and agent traffic is
input-heavy, because every request resends the system prompt, history and retrieved context while
answers stay short; 3:1 is also the common convention for a "blended" per-token price. RAG alone
often runs 10:1 or more, so 25% leans towards the output rate, which is the expensive one: the
default errs on the side of a higher estimate. `--output-share` or `--input`/`--output` override it.

What a workload is billed for at a rate lives in one table, BILLED: each kind's catalog price key,
label, unit, the number of units a price is for, the Workload field that counts it and the kind
whose rate bills it when its own price is unknown. A RateCard holds one rate per row, `estimate`
itemises one line per row and `quote_all` (the ranked scan of a whole catalog) totals the same rows,
both through the one rate rule `_rate`. Images are billed from a model's per-image grid by
`_image_choice`, also shared by both.

Like model.py, this module does not use `from __future__ import annotations`: the cache reads
RateCard's field types to store it (cache/codec.py), and NamedTuple would turn every string
annotation into a ForwardRef.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Context, Decimal, DivisionByZero, Inexact, InvalidOperation, Overflow
from typing import NamedTuple

from aicompare import fmt
from aicompare.errors import WorkloadError
from aicompare.model import (
    ANY,
    PRICE_LABELS,
    PRICE_UNITS,
    ImagePrice,
    Lifecycle,
    Model,
    PriceTier,
    Status,
    lifecycle_status,
)
from aicompare.quantities import MAX_QUANTITY, Period, format_quantity, format_share, parse_choice

DEFAULT_OUTPUT_SHARE = Decimal("0.25")
DEFAULT_QUALITY = "medium"
DEFAULT_SIZE = "1024x1024"
TOKENS_PER_PRICE = 1_000_000  # catalog token prices are per 1M tokens
PER_IMAGE = "per image"
IMAGES = "images"

# A cap, not a cost: Decimal works on the digits a number has, so a huge precision keeps every
# product and sum exact (the catalog does not limit decimal places) and Inexact can never fire
# on money; where a quotient is truly inexact the trap makes that explicit.
_EXACT = Context(prec=100_000, traps=[Inexact, InvalidOperation, DivisionByZero, Overflow])
_Rate = tuple[Decimal | None, str | None, str | None]  # (price, which rate, caveat)
_ZERO = Decimal(0)


class Billed(NamedTuple):
    """One kind of quantity a workload is billed for at a catalog rate."""

    key: str  # the catalog's price key (`prices.<key>`), and the kind of its line items
    label: str  # "cached input tokens"
    unit: str  # "per 1M tokens"
    per: int  # a catalog price is for this many units
    quantity: str  # the Workload field that counts it
    fallback: str | None  # the kind whose rate bills it when its own price is unknown


def _billed(key: str, quantity: str, per: int, fallback: str | None = None) -> Billed:
    """A row of BILLED; its label and unit are the catalog's (model.PRICE_LABELS, PRICE_UNITS)."""
    return Billed(key, PRICE_LABELS[key], PRICE_UNITS[key], per, quantity, fallback)


# Every kind billed at a rate, in the order of a rate card's rates and of an estimate's lines. The
# rules are the same for each (`_rate`): a long-context tier's rate where the tier prices the kind,
# else under --batch the batch rate where the catalog has one (else the standard rate, noted),
# else, when the kind's own price is unknown, its fallback kind's rate (noted).
BILLED = (
    _billed("input", "input_tokens", TOKENS_PER_PRICE),
    # No cache discount known: the honest upper bound is the uncached rate.
    _billed("cached_input", "cached_input_tokens", TOKENS_PER_PRICE, fallback="input"),
    _billed("output", "output_tokens", TOKENS_PER_PRICE),
)


def _words(key: str) -> str:
    return key.replace("_", " ")


def _exponent(per: int) -> int | None:
    """-n when `per` is 10**n (a cost is then the product with its exponent shifted), else None."""
    digits = str(per)
    return 1 - len(digits) if digits == "1" + "0" * (len(digits) - 1) else None


# The table's rules, worked out once per kind (index into BILLED) for the loops below.
_KEYS = tuple(kind.key for kind in BILLED)
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
_COUNTED = (*(kind.quantity for kind in BILLED), IMAGES)  # every count a Workload holds


@dataclass(frozen=True, slots=True)
class Workload:
    """What to price for one period: a count per BILLED kind, images and how they are billed."""

    input_tokens: int = 0  # uncached input
    cached_input_tokens: int = 0
    output_tokens: int = 0
    images: int = 0
    quality: str | None = None  # None: each model's default (see estimate)
    size: str | None = None
    batch: bool = False
    request_tokens: int | None = None  # typical prompt per request, for long-context tiers
    period: Period = Period.MONTH
    assumptions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in _COUNTED:
            value = getattr(self, name)
            if type(value) is not int or not 0 <= value <= MAX_QUANTITY:
                raise ValueError(f"{name} must be an int in 0..{MAX_QUANTITY}, not {value!r}")

    @property
    def tokens(self) -> int:
        """Everything billed at a rate (not images): the text model's part of the workload."""
        return sum(getattr(self, kind.quantity) for kind in BILLED)

    def __add__(self, other: "Workload") -> "Workload":
        """Two workloads billed the same way, as one (counts add up)."""
        same = ("quality", "size", "batch", "request_tokens", "period")
        if any(getattr(self, name) != getattr(other, name) for name in same):
            raise ValueError("only workloads alike in quality, size, batch, tier and period add")
        counts = {name: getattr(self, name) + getattr(other, name) for name in _COUNTED}
        return replace(
            self, **counts, assumptions=tuple(dict.fromkeys(self.assumptions + other.assumptions))
        )


@dataclass(frozen=True, slots=True)
class LineItem:
    """One priced part of a workload on one model."""

    kind: str  # a BILLED key (input | cached_input | output) or images
    quantity: int
    unit: str  # "per 1M tokens" or "per image"
    unit_price: Decimal
    cost: Decimal
    model_id: str
    detail: str | None = None  # which rate: "batch", "medium 1024x1536", "long-context tier"
    note: str | None = None  # a caveat worth showing, e.g. a batch fallback

    @property
    def label(self) -> str:
        return _LABELS.get(self.kind, self.kind)  # images are "images"


@dataclass(frozen=True, slots=True)
class Estimate:
    """A workload priced on one model or a text+image pipeline; total None when not servable."""

    model_ids: tuple[str, ...]
    line_items: tuple[LineItem, ...]
    total: Decimal | None
    servable: bool
    cannot_serve: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    period: Period = Period.MONTH

    @property
    def key(self) -> str:
        """`o4-mini` or `o4-mini+gpt-image-1`: how the model or pipeline is named."""
        return "+".join(self.model_ids)


@dataclass(frozen=True, slots=True)
class Ranked:
    """An estimate's place: rank None and deltas None when it cannot serve the workload."""

    rank: int | None
    estimate: Estimate
    delta: Decimal | None  # total minus the reference total
    delta_percent: Decimal | None  # delta as % of the reference; None if the reference is $0
    reference: str | None  # key of the cheapest estimate or of the baseline


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

    def has(self, capability: str) -> bool:
        return capability in self.capabilities

    def status(self, today: dt.date) -> Status:
        return lifecycle_status(self.lifecycle, today)


def takes_tokens(model: Model) -> bool:
    """Whether the model answers text requests (so it can be billed for a token workload)."""
    return model.type in ("text", "embedding") or "text" in model.output_modalities


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
        tuple([standard.get(key) for key in _KEYS]),
        tuple([batch.get(key) for key in _KEYS]),
        tuple(sorted(model.prices.tiers, key=lambda t: t.above_input_tokens)),
        model.image_prices,
    )


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


def build_workload(
    *,
    tokens: int | None = None,
    input_tokens: int | None = None,
    output_tokens: int | None = None,
    cached_input_tokens: int = 0,
    output_share: Decimal | None = None,
    images: int = 0,
    quality: str | None = None,
    size: str | None = None,
    batch: bool = False,
    request_tokens: int | None = None,
    period: Period = Period.MONTH,
    catalog: Iterable[Model | RateCard] | None = None,
) -> Workload:
    """Resolve the options into exact counts, recording every assumption made on the way."""
    given = {
        "--tokens": tokens,
        "--input": input_tokens,
        "--output": output_tokens,
        "--cached-input": cached_input_tokens,
        "--images": images,
        "--request-tokens": request_tokens,
    }
    for option, value in given.items():
        # Callers normally pass parse_quantity results; this guards direct use of the API.
        if value is not None and not 0 <= value <= MAX_QUANTITY:
            raise WorkloadError(f"{option}: {value} is outside 0..{format_quantity(MAX_QUANTITY)}")
    inp, out, cached = input_tokens, output_tokens, cached_input_tokens
    notes: list[str] = [f"quantities are per {period.value}"]
    if output_share is not None:
        if tokens is None:
            raise WorkloadError(
                "--output-share splits --tokens, which is missing",
                "give --tokens, or set the parts with --input and --output",
            )
        if inp is not None or out is not None:
            raise WorkloadError(
                "--output-share cannot be combined with --input or --output",
                "the parts already fix the split; drop one of them",
            )
        if not output_share.is_finite() or not 0 <= output_share <= 1:
            raise WorkloadError(f"--output-share: {output_share} is not between 0 and 1")
    if tokens is not None:
        inp, out = _split(tokens, inp, out, cached, output_share, notes)
    inp, out = inp or 0, out or 0
    if inp + cached + out + images == 0:
        raise WorkloadError(
            "nothing to price", "give --tokens, --input, --output, --cached-input or --images"
        )
    if request_tokens is not None and request_tokens < 1:
        raise WorkloadError("--request-tokens: a request has at least 1 token")
    qualities, sizes = image_options(catalog or ())
    quality = None if quality is None else parse_choice(quality, "--quality", qualities)
    size = None if size is None else parse_choice(size, "--size", sizes)
    if images == 0 and (quality or size):
        notes.append("--quality and --size ignored: no --images")
        quality = size = None
    elif images and (quality is None or size is None):
        missing = " and ".join(o for o, v in (("--quality", quality), ("--size", size)) if not v)
        notes.append(
            f"no {missing}: {quality or DEFAULT_QUALITY} {size or DEFAULT_SIZE} images "
            "where a model sells them, else its cheapest option"
        )
    if batch:
        notes.append("batch rates where the catalog has them; the standard rate elsewhere (noted)")
    return Workload(
        inp, cached, out, images, quality, size, batch, request_tokens, period, tuple(notes)
    )


def _split(
    tokens: int,
    inp: int | None,
    out: int | None,
    cached: int,
    share: Decimal | None,
    notes: list[str],
) -> tuple[int, int]:
    """Exact (uncached input, output) from --tokens; cached input counts within the total."""
    shown = format_quantity(tokens)
    if cached:
        notes.append(f"--cached-input {format_quantity(cached)} is part of --tokens {shown}")
    if inp is not None and out is not None:
        if inp + cached + out != tokens:
            raise WorkloadError(
                f"--tokens {shown} is not --input + --cached-input + --output "
                f"({format_quantity(inp + cached + out)})",
                "drop --tokens or one of the parts",
            )
        return inp, out
    if inp is not None or out is not None:
        given = inp if inp is not None else out or 0
        rest = tokens - cached - given
        if rest < 0:
            raise WorkloadError(
                f"--tokens {shown} is less than the parts given",
                "--tokens is the total of input, cached input and output",
            )
        notes.append(
            f"{'output' if out is None else 'input'} = --tokens minus the other parts: "
            f"{format_quantity(rest)}"
        )
        return (given, rest) if out is None else (rest, given)
    used = DEFAULT_OUTPUT_SHARE if share is None else share
    num, den = used.as_integer_ratio()
    output = tokens * num // den  # floor, so the remainder of the split goes to input
    uncached = tokens - output - cached
    if uncached < 0:
        raise WorkloadError(
            f"--cached-input {format_quantity(cached)} is more than the input part of --tokens "
            f"{shown} ({format_quantity(tokens - output)})",
            "lower --cached-input or --output-share",
        )
    why = " (default: input-heavy chat/RAG traffic)" if share is None else ""
    notes.append(
        f"--tokens {shown} split {format_share(1 - used)} input "
        f"({format_quantity(tokens - output)}) / {format_share(used)} output "
        f"({format_quantity(output)}){why}"
    )
    return uncached, output


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


def _own_rate(card: RateCard, index: int, w: Workload, tier: PriceTier | None) -> _Rate:
    """The rate of BILLED[index] itself, honouring tiers (cliff rule) and batch."""
    if tier is not None:
        price = tier.prices.get(_KEYS[index])
        if price is not None:
            over = fmt.tokens(tier.above_input_tokens)
            detail = f"long-context tier (prompts over {over} tokens)"
            note = "no batch price for long-context tiers; tier rate used" if w.batch else None
            return price, detail, note
    standard = card.standard[index]
    if w.batch:
        batched = card.batch[index]
        if batched is not None:
            return batched, "batch", None
        if standard is not None:
            return standard, None, _BATCH_NOTES[index]
    return standard, None, None


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


def _image_line(card: RateCard, w: Workload) -> tuple[LineItem | None, str | None, str | None]:
    """(line, note, cannot-serve reason) for the images of a workload on one image model."""
    if not card.image_prices:
        return None, None, f"images (no per-image price for {card.id} in the catalog)"
    quality, size = w.quality, w.size
    cell, cheapest = _image_choice(card, w)
    if cell is None:
        sold = ", ".join(f"{c.quality} {c.size}" for c in card.image_prices)
        wanted = " ".join(part for part in (quality, size) if part)
        return None, None, f"{wanted} images ({card.id} sells {sold})"
    # An `any` side shows what was asked for, or nothing: a flat price needs no assumption.
    shown = [
        quality if cell.quality == ANY else cell.quality,
        size if cell.size == ANY else cell.size,
    ]
    detail = " ".join(part for part in shown if part) or "flat price per image"
    note = None
    if (quality is None and cell.quality != ANY) or (size is None and cell.size != ANY):
        why = f", the cheapest {card.id} sells" if cheapest else ""
        note = f"images: {detail} assumed{why}"
    batch_note = "no batch per-image price in the catalog; standard price used" if w.batch else None
    line = LineItem(
        IMAGES,
        w.images,
        PER_IMAGE,
        cell.usd,
        _exact_cost(w.images, cell.usd),
        card.id,
        detail,
        batch_note,
    )
    return line, note, None


def _billed_lines(
    card: RateCard, w: Workload, notes: list[str], reasons: list[str]
) -> list[LineItem]:
    """One priced line per BILLED kind the workload counts; missing prices become reasons."""
    if not card.takes_tokens:
        reasons.append(f"text tokens ({card.id} is {fmt.article(card.type)} {card.type} model)")
        return []
    if _prompt_too_long(card, w):
        reasons.append(
            f"prompts of {fmt.tokens(w.request_tokens or 0)} tokens "
            f"({card.id} takes at most {fmt.tokens(card.token_limit or 0)})"
        )
    if card.tiers and w.request_tokens is None:
        notes.append(
            f"prompts assumed at most {fmt.tokens(card.tiers[0].above_input_tokens)} "
            "tokens (no --request-tokens); above that, long-context prices apply"
        )
    tier = _tier(card, w.request_tokens)
    lines = []
    for index, kind in enumerate(BILLED):
        quantity = getattr(w, kind.quantity)
        if quantity == 0:
            continue
        price, detail, note = _rate(card, index, w, tier)
        if price is None:
            reasons.append(
                f"{kind.label} (no {_words(kind.key)} price for {card.id} in the catalog)"
            )
            continue
        lines.append(
            LineItem(
                kind.key,
                quantity,
                kind.unit,
                price,
                _exact_cost(quantity, price, index),
                card.id,
                detail,
                note,
            )
        )
    return lines


def estimate(models: Sequence[Model | RateCard], workload: Workload) -> Estimate:
    """Price a workload on one model, or on a text model and an image model together."""
    cards = [_card(m) for m in models]
    text_model, image_model = _roles(cards)
    lines: list[LineItem] = []
    notes: list[str] = []
    reasons: list[str] = []
    if workload.tokens:
        lines += _billed_lines(text_model, workload, notes, reasons)
    if workload.images:
        if image_model.makes_images:
            line, note, reason = _image_line(image_model, workload)
            lines += [line] if line else []
            notes += [note] if note else []
            reasons += [reason] if reason else []
        else:
            reasons.append(
                f"images ({image_model.id} is {fmt.article(image_model.type)} "
                f"{image_model.type} model)"
            )
    # In a pipeline a caveat must say which of the two models it is about.
    prefix = len(cards) > 1
    notes += [f"{ln.model_id}: {ln.note}" if prefix else ln.note for ln in lines if ln.note]
    ids, unique = tuple(c.id for c in cards), tuple(dict.fromkeys(notes))
    if reasons:
        # A partial price would read as the whole price, so nothing is totalled or itemised.
        return Estimate(ids, (), None, False, tuple(reasons), unique, workload.period)
    total = Decimal(0)
    for line in lines:
        total = _EXACT.add(total, line.cost)
    return Estimate(ids, tuple(lines), total, True, (), unique, workload.period)


def quote_all(cards: Iterable[RateCard], w: Workload) -> list[Decimal | None]:
    """`estimate([card], w).total` for each card, without line items or notes.

    The form a ranked scan of the whole catalog takes: the same BILLED rows through the same
    rules (`_rate`, `_image_choice`), so it must agree with `estimate` to the last digit (a
    property test holds it to that on every catalog model).
    """
    counts = [
        (index, Decimal(quantity), _EXPONENTS[index])
        for index, quantity in enumerate(getattr(w, kind.quantity) for kind in BILLED)
        if quantity
    ]
    images = Decimal(w.images) if w.images else None
    request = w.request_tokens  # without it, no prompt is too long and no tier applies
    multiply, add = _EXACT.multiply, _EXACT.add
    totals: list[Decimal | None] = []
    for card in cards:
        total: Decimal | None = _ZERO
        if counts:
            if not card.takes_tokens or (request is not None and _prompt_too_long(card, w)):
                totals.append(None)
                continue
            tier = None if request is None else _tier(card, request)
            billed = _ZERO
            for index, quantity, exponent in counts:
                price = _rate(card, index, w, tier)[0]
                if price is None:
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
            cell = _image_choice(card, w)[0] if card.makes_images and card.image_prices else None
            total = None if cell is None else add(total, multiply(images, cell.usd))
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
