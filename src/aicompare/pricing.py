"""Exact workload pricing and ranking: the one place with money arithmetic. Decimal only.

Default output share: 25% of `--tokens` is output, 75% input (3:1). Chat, RAG and agent traffic is
input-heavy, because every request resends the system prompt, history and retrieved context while
answers stay short; 3:1 is also the common convention for a "blended" per-token price. RAG alone
often runs 10:1 or more, so 25% leans towards the output rate, which is the expensive one: the
default errs on the side of a higher estimate. `--output-share` or `--input`/`--output` override it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, DivisionByZero, Inexact, InvalidOperation
from decimal import Overflow, localcontext

from aicompare import fmt
from aicompare.errors import WorkloadError
from aicompare.model import ANY, PRICE_LABELS, PRICE_UNITS, ImagePrice, Model, PriceTier
from aicompare.quantities import (MAX_QUANTITY, Period, format_quantity, format_share, parse_choice,
                                  period_factor)

DEFAULT_OUTPUT_SHARE = Decimal("0.25")
DEFAULT_QUALITY = "medium"
DEFAULT_SIZE = "1024x1024"
TOKENS_PER_PRICE = 1_000_000  # catalog token prices are per 1M tokens
PER_IMAGE = "per image"
TOKEN_KINDS = ("input", "cached_input", "output")
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
    with localcontext(_EXACT):
        product = Decimal(quantity) * unit_price
        if per == 1:
            return product
        if per == TOKENS_PER_PRICE:
            # a shift of the exponent: exact, and far cheaper than a division at this precision
            return product.scaleb(-6)
        return product / per


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


def image_options(models: Iterable[Model]) -> tuple[tuple[str, ...], tuple[str, ...]]:
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
                   catalog: Iterable[Model] | None = None) -> Workload:
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


def _roles(models: Sequence[Model]) -> tuple[Model, Model]:
    """(token model, image model) of one model or a text+image pipeline."""
    if len(models) == 1:
        return models[0], models[0]
    names = "+".join(m.id for m in models)
    if len(models) == 2 and models[0].id != models[1].id:
        first, second = models
        if takes_tokens(first) and makes_images(second):
            return first, second
        if takes_tokens(second) and makes_images(first):
            return second, first
    raise WorkloadError(f"{names!r} is not a pipeline",
                        "a pipeline is a text model and an image model joined by '+'")


def _tier(model: Model, request_tokens: int | None) -> PriceTier | None:
    """The cliff rule: the highest tier whose threshold the prompt exceeds."""
    if request_tokens is None:
        return None
    over = [t for t in model.prices.tiers if request_tokens > t.above_input_tokens]
    return max(over, key=lambda t: t.above_input_tokens, default=None)


def _token_rate(model: Model, key: str, w: Workload) -> _Rate:
    """The per-1M price of one token price key, honouring tiers (cliff rule) and batch."""
    label = PRICE_LABELS[key]
    tier = _tier(model, w.request_tokens)
    if tier is not None and tier.prices.get(key) is not None:
        detail = f"long-context tier (prompts over {fmt.tokens(tier.above_input_tokens)} tokens)"
        note = "no batch price for long-context tiers; tier rate used" if w.batch else None
        return tier.prices.get(key), detail, note
    standard = model.prices.standard.get(key)
    if w.batch:
        batched = model.prices.batch.get(key)
        if batched is not None:
            return batched, "batch", None
        if standard is not None:
            return standard, None, f"no batch price for {label}; standard rate used"
    return standard, None, None


def _image_cell(model: Model, quality: str, size: str) -> ImagePrice | None:
    """The grid cell Model.image_price would bill: an exact cell beats an `any` one."""
    matches = [c for c in model.image_prices
               if c.quality in (quality, ANY) and c.size in (size, ANY)]
    exact = [c for c in matches if c.quality == quality and c.size == size]
    return (exact or matches or [None])[0]


def _image_line(model: Model, w: Workload) -> tuple[LineItem | None, str | None, str | None]:
    """(line, note, cannot-serve reason) for the images of a workload on one image model."""
    if not model.image_prices:
        return None, None, f"images (no per-image price for {model.id} in the catalog)"
    quality, size = w.quality, w.size
    cell = _image_cell(model, quality or DEFAULT_QUALITY, size or DEFAULT_SIZE)
    cheapest = cell is None and (quality is None or size is None)
    if cheapest:
        # Only a choice the user left open may fall back, to the cheapest cell that fits the rest.
        cell = min((c for c in model.image_prices
                    if (quality is None or c.quality in (quality, ANY))
                    and (size is None or c.size in (size, ANY))), key=lambda c: c.usd, default=None)
    if cell is None:
        sold = ", ".join(f"{c.quality} {c.size}" for c in model.image_prices)
        wanted = " ".join(part for part in (quality, size) if part)
        return None, None, f"{wanted} images ({model.id} sells {sold})"
    # An `any` side shows what was asked for, or nothing: a flat price needs no assumption.
    shown = [quality if cell.quality == ANY else cell.quality,
             size if cell.size == ANY else cell.size]
    detail = " ".join(part for part in shown if part) or "flat price per image"
    note = None
    if (quality is None and cell.quality != ANY) or (size is None and cell.size != ANY):
        why = f", the cheapest {model.id} sells" if cheapest else ""
        note = f"images: {detail} assumed{why}"
    batch_note = "no batch per-image price in the catalog; standard price used" if w.batch else None
    line = LineItem(IMAGES, w.images, PER_IMAGE, cell.usd, _exact_cost(w.images, cell.usd),
                    model.id, detail, batch_note)
    return line, note, None


def _token_lines(model: Model, w: Workload, notes: list[str], reasons: list[str]) -> list[LineItem]:
    """Priced input, cached input and output lines; missing prices become reasons."""
    if not takes_tokens(model):
        reasons.append(f"text tokens ({model.id} is {fmt.article(model.type)} {model.type} model)")
        return []
    limit = model.max_input_tokens or model.context_window
    if w.request_tokens is not None and limit is not None and w.request_tokens > limit:
        reasons.append(f"prompts of {fmt.tokens(w.request_tokens)} tokens "
                       f"({model.id} takes at most {fmt.tokens(limit)})")
    tiers = sorted(model.prices.tiers, key=lambda t: t.above_input_tokens)
    if tiers and w.request_tokens is None:
        notes.append(f"prompts assumed at most {fmt.tokens(tiers[0].above_input_tokens)} tokens "
                     "(no --request-tokens); above that, long-context prices apply")
    lines = []
    for kind in TOKEN_KINDS:
        quantity = w.count(kind)
        if quantity == 0:
            continue
        price, detail, note = _token_rate(model, kind, w)
        if price is None and kind == "cached_input":
            # No cache discount is known, so the honest upper bound is the uncached rate.
            price, detail, note = _token_rate(model, "input", w)
            note = "no cached input price in the catalog; billed at the input rate"
        if price is None:
            reasons.append(f"{PRICE_LABELS[kind]} (no {kind.replace('_', ' ')} price for "
                           f"{model.id} in the catalog)")
            continue
        cost = _exact_cost(quantity, price, TOKENS_PER_PRICE)
        lines.append(LineItem(kind, quantity, PRICE_UNITS[kind], price, cost, model.id, detail,
                              note))
    return lines


def estimate(models: Sequence[Model], workload: Workload) -> Estimate:
    """Price a workload on one model, or on a text model and an image model together."""
    text_model, image_model = _roles(models)
    lines: list[LineItem] = []
    notes: list[str] = []
    reasons: list[str] = []
    if workload.tokens:
        lines += _token_lines(text_model, workload, notes, reasons)
    if workload.images:
        if makes_images(image_model):
            line, note, reason = _image_line(image_model, workload)
            lines += [line] if line else []
            notes += [note] if note else []
            reasons += [reason] if reason else []
        else:
            reasons.append(f"images ({image_model.id} is {fmt.article(image_model.type)} "
                           f"{image_model.type} model)")
    # In a pipeline a caveat must say which of the two models it is about.
    prefix = len(models) > 1
    notes += [f"{ln.model_id}: {ln.note}" if prefix else ln.note for ln in lines if ln.note]
    ids, unique = tuple(m.id for m in models), tuple(dict.fromkeys(notes))
    if reasons:
        # A partial price would read as the whole price, so nothing is totalled or itemised.
        return Estimate(ids, (), None, False, tuple(reasons), unique, workload.period)
    with localcontext(_EXACT):
        total = sum((line.cost for line in lines), Decimal(0))
    return Estimate(ids, tuple(lines), total, True, (), unique, workload.period)


def _percent(delta: Decimal, base: Decimal) -> Decimal:
    """fmt.percent with room for any ratio of two catalog totals (they span many magnitudes)."""
    digits = max(0, delta.adjusted() - base.adjusted()) + 10  # integer digits, with margin
    with localcontext(_WIDE) as ctx:
        ctx.prec = max(ctx.prec, digits + 2)
        return fmt.percent(delta, base)


def rank(estimates: Sequence[Estimate], baseline: str | None = None) -> list[Ranked]:
    """Cheapest first, then the ones that cannot serve; deltas against the cheapest or baseline."""
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
        if index == 0 or ranked[-1].estimate.total != total:
            place = index + 1
        with localcontext(_EXACT):
            delta = total - base
        pct = _percent(delta, base) if base else None
        ranked.append(Ranked(place, item, delta, pct, reference.key if reference else None))
    ranked += [Ranked(None, e, None, None, None) for e in estimates if not e.servable]
    return ranked
