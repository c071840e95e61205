"""Exact workload pricing and ranking: the one place with money arithmetic. Decimal only.

Default output share: 25% of `--tokens` is output, 75% input (3:1). Chat, RAG and agent traffic is
input-heavy, because every request resends the system prompt, history and retrieved context while
answers stay short; 3:1 is also the common convention for a "blended" per-token price. RAG alone
often runs 10:1 or more, so 25% leans towards the output rate, which is the expensive one: the
default errs on the side of a higher estimate. `--output-share` or `--input`/`--output` override it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from decimal import ROUND_HALF_UP, Context, Decimal, DivisionByZero, Inexact, InvalidOperation
from decimal import Overflow, localcontext

from aicompare import fmt
from aicompare.errors import WorkloadError
from aicompare.model import (ANY, PRICE_LABELS, PRICE_UNITS, ImagePrice, Lifecycle, Model, PriceTier, Status,
                             lifecycle_status)
from aicompare.quantities import (MAX_QUANTITY, Period, format_quantity, format_share, parse_choice,
                                  period_factor)

DEFAULT_OUTPUT_SHARE = Decimal("0.25")
DEFAULT_QUALITY = "medium"
DEFAULT_SIZE = "1024x1024"
TOKENS_PER_PRICE = 1_000_000  # catalog token prices are per 1M tokens
PER_IMAGE = "per image"
TOKEN_KINDS = ("input", "cached_input", "output")
_INPUT, _CACHED = 0, 1  # indexes into TOKEN_KINDS and a card's rates
IMAGES = "images"

# A cap, not a cost: Decimal works on the digits a number has, so a huge precision keeps every
# product and sum exact (the catalog does not limit decimal places) and Inexact can never fire
# on money; where a quotient is truly inexact (365/12) the trap makes that explicit.
_EXACT = Context(prec=100_000, traps=[Inexact, InvalidOperation, DivisionByZero, Overflow])
# Percentages and projections are rounded on purpose; this only keeps them from overflowing.
_WIDE = Context(prec=100, traps=[InvalidOperation, DivisionByZero, Overflow])
_MILLIONTH = Decimal("0.000001")
_Rate = tuple[Decimal | None, str | None, str | None]  # (price, which rate, caveat)


@dataclass(frozen=True, slots=True)
class Workload:
    """What to price for one period: token counts, images and how they are billed."""

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
        for name in ("input_tokens", "cached_input_tokens", "output_tokens", "images"):
            value = getattr(self, name)
            if type(value) is not int or not 0 <= value <= MAX_QUANTITY:
                raise ValueError(f"{name} must be an int in 0..{MAX_QUANTITY}, not {value!r}")

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.cached_input_tokens + self.output_tokens

    def count(self, kind: str) -> int:
        """Quantity of one line kind: input, cached_input, output or images."""
        return self.images if kind == IMAGES else int(getattr(self, f"{kind}_tokens"))

    def __add__(self, other: Workload) -> Workload:
        """Two workloads billed the same way, as one (counts add up)."""
        same = ("quality", "size", "batch", "request_tokens", "period")
        if any(getattr(self, name) != getattr(other, name) for name in same):
            raise ValueError("only workloads alike in quality, size, batch, tier and period add")
        return Workload(
            self.input_tokens + other.input_tokens,
            self.cached_input_tokens + other.cached_input_tokens,
            self.output_tokens + other.output_tokens,
            self.images + other.images,
            self.quality, self.size, self.batch, self.request_tokens, self.period,
            tuple(dict.fromkeys(self.assumptions + other.assumptions)),
        )


@dataclass(frozen=True, slots=True)
class LineItem:
    """One priced part of a workload on one model."""

    kind: str  # input | cached_input | output | images
    quantity: int
    unit: str  # "per 1M tokens" or "per image"
    unit_price: Decimal
    cost: Decimal
    model_id: str
    detail: str | None = None  # which rate: "batch", "medium 1024x1536", "long-context tier"
    note: str | None = None  # a caveat worth showing, e.g. a batch fallback

    @property
    def label(self) -> str:
        return IMAGES if self.kind == IMAGES else PRICE_LABELS[self.kind]


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


def _exact_cost(quantity: int, unit_price: Decimal, per: int = 1) -> Decimal:
    """quantity x unit_price / per, exactly."""
    product = _EXACT.multiply(Decimal(quantity), unit_price)
    if per == 1:
        return product
    if per == TOKENS_PER_PRICE:
        # a shift of the exponent: exact, and far cheaper than a division at this precision
        return product.scaleb(-6, _EXACT)
    return _EXACT.divide(product, per)


def project(amount: Decimal, source: Period, target: Period) -> Decimal:
    """A per-`source` amount per `target` (month -> year: x12); to $0.000001 when inexact."""
    factor = period_factor(source, target)
    with localcontext(_EXACT):
        scaled = amount * factor.numerator
        try:
            return scaled / factor.denominator
        except Inexact:
            pass
    # day <-> month is 365/12: not a terminating decimal, so this projection is rounded.
    with localcontext(_WIDE):
        return (scaled / factor.denominator).quantize(_MILLIONTH, ROUND_HALF_UP)


def image_options(models: Iterable[Model | RateCard]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every image quality and size the catalog sells (without `any`), in catalog order."""
    cells = [cell for model in models for cell in model.image_prices]
    qualities = tuple(dict.fromkeys(c.quality for c in cells if c.quality != ANY))
    sizes = tuple(dict.fromkeys(c.size for c in cells if c.size != ANY))
    return qualities, sizes


def build_workload(*, tokens: int | None = None, input_tokens: int | None = None,
                   output_tokens: int | None = None, cached_input_tokens: int = 0,
                   output_share: Decimal | None = None, images: int = 0,
                   quality: str | None = None, size: str | None = None, batch: bool = False,
                   request_tokens: int | None = None, period: Period = Period.MONTH,
                   catalog: Iterable[Model | RateCard] | None = None) -> Workload:
    """Resolve the options into exact counts, recording every assumption made on the way."""
    given = {"--tokens": tokens, "--input": input_tokens, "--output": output_tokens,
             "--cached-input": cached_input_tokens, "--images": images,
             "--request-tokens": request_tokens}
    for option, value in given.items():
        # Callers normally pass parse_quantity results; this guards direct use of the API.
        if value is not None and not 0 <= value <= MAX_QUANTITY:
            raise WorkloadError(f"{option}: {value} is outside 0..{format_quantity(MAX_QUANTITY)}")
    inp, out, cached = input_tokens, output_tokens, cached_input_tokens
    notes: list[str] = [f"quantities are per {period.value}"]
    if output_share is not None:
        if tokens is None:
            raise WorkloadError("--output-share splits --tokens, which is missing",
                                "give --tokens, or set the parts with --input and --output")
        if inp is not None or out is not None:
            raise WorkloadError("--output-share cannot be combined with --input or --output",
                                "the parts already fix the split; drop one of them")
        if not output_share.is_finite() or not 0 <= output_share <= 1:
            raise WorkloadError(f"--output-share: {output_share} is not between 0 and 1")
    if tokens is not None:
        inp, out = _split(tokens, inp, out, cached, output_share, notes)
    inp, out = inp or 0, out or 0
    if inp + cached + out + images == 0:
        raise WorkloadError("nothing to price",
                            "give --tokens, --input, --output, --cached-input or --images")
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
        notes.append(f"no {missing}: {quality or DEFAULT_QUALITY} {size or DEFAULT_SIZE} images "
                     "where a model sells them, else its cheapest option")
    if batch:
        notes.append("batch rates where the catalog has them; the standard rate elsewhere (noted)")
    return Workload(inp, cached, out, images, quality, size, batch, request_tokens, period,
                    tuple(notes))


def _split(tokens: int, inp: int | None, out: int | None, cached: int,
           share: Decimal | None, notes: list[str]) -> tuple[int, int]:
    """Exact (uncached input, output) from --tokens; cached input counts within the total."""
    shown = format_quantity(tokens)
    if cached:
        notes.append(f"--cached-input {format_quantity(cached)} is part of --tokens {shown}")
    if inp is not None and out is not None:
        if inp + cached + out != tokens:
            raise WorkloadError(
                f"--tokens {shown} is not --input + --cached-input + --output "
                f"({format_quantity(inp + cached + out)})", "drop --tokens or one of the parts")
        return inp, out
    if inp is not None or out is not None:
        given = inp if inp is not None else out
        rest = tokens - cached - (given or 0)
        if rest < 0:
            raise WorkloadError(f"--tokens {shown} is less than the parts given",
                                "--tokens is the total of input, cached input and output")
        notes.append(f"{'output' if out is None else 'input'} = --tokens minus the other parts: "
                     f"{format_quantity(rest)}")
        return (inp, rest) if out is None else (rest, out)
    used = DEFAULT_OUTPUT_SHARE if share is None else share
    num, den = used.as_integer_ratio()
    output = tokens * num // den  # floor, so the remainder of the split goes to input
    uncached = tokens - output - cached
    if uncached < 0:
        raise WorkloadError(
            f"--cached-input {format_quantity(cached)} is more than the input part of --tokens "
            f"{shown} ({format_quantity(tokens - output)})",
            "lower --cached-input or --output-share")
    why = " (default: input-heavy chat/RAG traffic)" if share is None else ""
    notes.append(f"--tokens {shown} split {format_share(1 - used)} input "
                 f"({format_quantity(tokens - output)}) / {format_share(used)} output "
                 f"({format_quantity(output)}){why}")
    return uncached, output


def takes_tokens(model: Model) -> bool:
    """Whether the model answers text requests (so it can be billed for a token workload)."""
    return model.type in ("text", "embedding") or "text" in model.output_modalities


def makes_images(model: Model) -> bool:
    """Whether the model generates images."""
    return model.type == "image" or "image" in model.output_modalities or bool(model.image_prices)


_Rates = tuple[Decimal | None, Decimal | None, Decimal | None]  # per 1M tokens, TOKEN_KINDS order


class RateCard(NamedTuple):
    """What pricing reads of a model, and nothing more.

    Every pricing rule below reads a card, never a Model: `estimate` turns the models it is given
    into cards, and a ranked scan of the whole catalog quotes the cards the cache keeps (a few
    small objects each instead of a full record), so both apply the very same rules. A card also
    answers the catalog filters (provider, type, capability, status).
    """

    id: str
    provider: str
    type: str
    capabilities: tuple[str, ...]
    lifecycle: Lifecycle
    takes_tokens: bool
    makes_images: bool
    token_limit: int | None  # the longest prompt: max_input_tokens, else context_window
    standard: _Rates
    batch: _Rates
    tiers: tuple[PriceTier, ...]  # by threshold, lowest first
    image_prices: tuple[ImagePrice, ...]

    def has(self, capability: str) -> bool:
        return capability in self.capabilities

    def status(self, today: dt.date) -> Status:
        return lifecycle_status(self.lifecycle, today)


def rate_card(model: Model) -> RateCard:
    """The card of one model: the only way one is made."""
    standard, batch = model.prices.standard, model.prices.batch
    return RateCard(
        model.id, model.provider, model.type, model.capabilities, model.lifecycle,
        takes_tokens(model), makes_images(model), model.max_input_tokens or model.context_window,
        (standard.get("input"), standard.get("cached_input"), standard.get("output")),
        (batch.get("input"), batch.get("cached_input"), batch.get("output")),
        tuple(sorted(model.prices.tiers, key=lambda t: t.above_input_tokens)), model.image_prices)


def _card(item: Model | RateCard) -> RateCard:
    return item if type(item) is RateCard else rate_card(item)  # type: ignore[arg-type]


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
    raise WorkloadError(f"{names!r} is not a pipeline",
                        "a pipeline is a text model and an image model joined by '+'")


def _tier(card: RateCard, request_tokens: int | None) -> PriceTier | None:
    """The cliff rule: the highest tier whose threshold the prompt exceeds."""
    if request_tokens is None or not card.tiers:
        return None
    over = [t for t in card.tiers if request_tokens > t.above_input_tokens]
    return max(over, key=lambda t: t.above_input_tokens, default=None)


def _token_rate(card: RateCard, index: int, w: Workload, tier: PriceTier | None) -> _Rate:
    """The per-1M price of TOKEN_KINDS[index], honouring tiers (cliff rule) and batch."""
    key = TOKEN_KINDS[index]
    if tier is not None and tier.prices.get(key) is not None:
        detail = f"long-context tier (prompts over {fmt.tokens(tier.above_input_tokens)} tokens)"
        note = "no batch price for long-context tiers; tier rate used" if w.batch else None
        return tier.prices.get(key), detail, note
    standard = card.standard[index]
    if w.batch:
        batched = card.batch[index]
        if batched is not None:
            return batched, "batch", None
        if standard is not None:
            return standard, None, f"no batch price for {PRICE_LABELS[key]}; standard rate used"
    return standard, None, None


def _token_price(card: RateCard, index: int, w: Workload, tier: PriceTier | None) -> _Rate:
    """_token_rate, with cached input billed at the input rate when its own price is unknown."""
    rate = _token_rate(card, index, w, tier)
    if rate[0] is None and index == _CACHED:
        # No cache discount is known, so the honest upper bound is the uncached rate.
        price, detail, _ = _token_rate(card, _INPUT, w, tier)
        return price, detail, "no cached input price in the catalog; billed at the input rate"
    return rate


def _prompt_too_long(card: RateCard, w: Workload) -> bool:
    limit = card.token_limit
    return w.request_tokens is not None and limit is not None and w.request_tokens > limit


def _image_cell(card: RateCard, quality: str, size: str) -> ImagePrice | None:
    """The grid cell Model.image_price would bill: an exact cell beats an `any` one."""
    matches = [c for c in card.image_prices
               if c.quality in (quality, ANY) and c.size in (size, ANY)]
    exact = [c for c in matches if c.quality == quality and c.size == size]
    return (exact or matches or [None])[0]


def _image_choice(card: RateCard, w: Workload) -> tuple[ImagePrice | None, bool]:
    """(the cell to bill, whether it is the cheapest fallback) for the workload's images."""
    quality, size = w.quality, w.size
    cell = _image_cell(card, quality or DEFAULT_QUALITY, size or DEFAULT_SIZE)
    cheapest = cell is None and (quality is None or size is None)
    if cheapest:
        # Only a choice the user left open may fall back, to the cheapest cell that fits the rest.
        cell = min((c for c in card.image_prices
                    if (quality is None or c.quality in (quality, ANY))
                    and (size is None or c.size in (size, ANY))), key=lambda c: c.usd, default=None)
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
    shown = [quality if cell.quality == ANY else cell.quality,
             size if cell.size == ANY else cell.size]
    detail = " ".join(part for part in shown if part) or "flat price per image"
    note = None
    if (quality is None and cell.quality != ANY) or (size is None and cell.size != ANY):
        why = f", the cheapest {card.id} sells" if cheapest else ""
        note = f"images: {detail} assumed{why}"
    batch_note = "no batch per-image price in the catalog; standard price used" if w.batch else None
    line = LineItem(IMAGES, w.images, PER_IMAGE, cell.usd, _exact_cost(w.images, cell.usd),
                    card.id, detail, batch_note)
    return line, note, None


def _token_lines(card: RateCard, w: Workload, notes: list[str], reasons: list[str]) -> list[LineItem]:
    """Priced input, cached input and output lines; missing prices become reasons."""
    if not card.takes_tokens:
        reasons.append(f"text tokens ({card.id} is {fmt.article(card.type)} {card.type} model)")
        return []
    if _prompt_too_long(card, w):
        reasons.append(f"prompts of {fmt.tokens(w.request_tokens or 0)} tokens "
                       f"({card.id} takes at most {fmt.tokens(card.token_limit or 0)})")
    if card.tiers and w.request_tokens is None:
        notes.append(f"prompts assumed at most {fmt.tokens(card.tiers[0].above_input_tokens)} tokens "
                     "(no --request-tokens); above that, long-context prices apply")
    tier = _tier(card, w.request_tokens)
    lines = []
    for index, kind in enumerate(TOKEN_KINDS):
        quantity = w.count(kind)
        if quantity == 0:
            continue
        price, detail, note = _token_price(card, index, w, tier)
        if price is None:
            reasons.append(f"{PRICE_LABELS[kind]} (no {kind.replace('_', ' ')} price for "
                           f"{card.id} in the catalog)")
            continue
        cost = _exact_cost(quantity, price, TOKENS_PER_PRICE)
        lines.append(LineItem(kind, quantity, PRICE_UNITS[kind], price, cost, card.id, detail,
                              note))
    return lines


def estimate(models: Sequence[Model | RateCard], workload: Workload) -> Estimate:
    """Price a workload on one model, or on a text model and an image model together."""
    cards = [_card(m) for m in models]
    text_model, image_model = _roles(cards)
    lines: list[LineItem] = []
    notes: list[str] = []
    reasons: list[str] = []
    if workload.tokens:
        lines += _token_lines(text_model, workload, notes, reasons)
    if workload.images:
        if image_model.makes_images:
            line, note, reason = _image_line(image_model, workload)
            lines += [line] if line else []
            notes += [note] if note else []
            reasons += [reason] if reason else []
        else:
            reasons.append(f"images ({image_model.id} is {fmt.article(image_model.type)} "
                           f"{image_model.type} model)")
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

    The form a ranked scan of the whole catalog takes: it reads the same rates through the same
    rules (_token_price, _image_choice), so it must agree with `estimate` to the last digit
    (a property test holds it to that on every catalog model).
    """
    counts = [(index, Decimal(q)) for index, q in
              enumerate((w.input_tokens, w.cached_input_tokens, w.output_tokens)) if q]
    images = Decimal(w.images) if w.images else None
    request = w.request_tokens  # without it, no prompt is too long and no tier applies
    multiply, add = _EXACT.multiply, _EXACT.add
    totals: list[Decimal | None] = []
    for card in cards:
        total: Decimal | None = Decimal(0)
        if counts:
            if not card.takes_tokens or (request is not None and _prompt_too_long(card, w)):
                totals.append(None)
                continue
            tier = None if request is None else _tier(card, request)
            for index, quantity in counts:
                price = _token_price(card, index, w, tier)[0]
                if price is None:
                    total = None
                    break
                # _exact_cost(q, price, TOKENS_PER_PRICE) inlined on Decimal counts made once:
                # the call cost 2.3 ms over 4,180 models (docs/performance.md)
                total = add(total, multiply(quantity, price).scaleb(-6, _EXACT))
        if images is not None and total is not None:
            cell = _image_choice(card, w)[0] if card.makes_images and card.image_prices else None
            total = None if cell is None else add(total, multiply(images, cell.usd))
        totals.append(total)
    return totals


def _percent(delta: Decimal, base: Decimal) -> Decimal:
    """fmt.percent with room for any ratio of two catalog totals (they span many magnitudes)."""
    digits = max(0, delta.adjusted() - base.adjusted()) + 10  # integer digits, with margin
    with localcontext(_WIDE) as ctx:
        ctx.prec = max(ctx.prec, digits + 2)
        return fmt.percent(delta, base)


def rank(estimates: Sequence[Estimate], baseline: str | None = None, *,
         places: Mapping[str, int] | None = None) -> list[Ranked]:
    """Cheapest first, then the ones that cannot serve; deltas against the cheapest or baseline.

    `places` gives the rank of an estimate that was priced among more than those given (a
    baseline outside the rows a catalog scan shows).
    """
    servable = sorted((e for e in estimates if e.servable),
                      key=lambda e: e.total if e.total is not None else Decimal(0))
    reference = servable[0] if servable else None
    if baseline is not None:
        found = [e for e in estimates if e.key.casefold() == baseline.casefold()]
        if not found:
            raise WorkloadError(f"--baseline: {baseline!r} is not among the models priced",
                                "use the id of one of the models compared")
        reference = found[0]
        if not reference.servable:
            raise WorkloadError(f"--baseline: {reference.key} cannot serve this workload: "
                                f"{'; '.join(reference.cannot_serve)}")
    ranked: list[Ranked] = []
    base = reference.total if reference is not None and reference.total is not None else Decimal(0)
    place = 0
    for index, item in enumerate(servable):
        total = item.total if item.total is not None else Decimal(0)
        # Ties share a rank (1, 1, 3), keeping their given order.
        if index == 0 or servable[index - 1].total != total:
            place = index + 1
        with localcontext(_EXACT):
            delta = total - base
        pct = _percent(delta, base) if base else None
        shown_place = places.get(item.key, place) if places else place
        ranked.append(Ranked(shown_place, item, delta, pct, reference.key if reference else None))
    ranked += [Ranked(None, e, None, None, None) for e in estimates if not e.servable]
    return ranked
