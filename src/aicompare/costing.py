"""A cost comparison as one result: the workload, ranked estimates and what was left out. No CLI."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple, cast

from aicompare import succession
from aicompare.catalog import Catalog
from aicompare.errors import WorkloadError
from aicompare.filters import (
    LEFT_OUT,
    NO_FILTERS,
    Filters,
    buyable,
    filter_models,
    left_out_reasons,
)
from aicompare.frozen import Frozen, replace, set_field
from aicompare.model import OFFER_SEP, Model, Prices, as_sold, maker_offer
from aicompare.pricing import (
    Estimate,
    Ranked,
    RateCard,
    Workload,
    estimate,
    quote_all,
    rank,
    rate_card,
)
from aicompare.quantities import (
    WorkloadSpec,
    parse_period,
    parse_quantity,
    parse_share,
    split_pipeline,
)
from aicompare.workloads import build_workload

DEFAULT_TOP = 10  # rows shown when the whole catalog is browsed


def _quantity(text: str | None, option: str) -> int | None:
    return None if text is None else parse_quantity(text, option)


def _count(text: str | None, option: str) -> int:
    return 0 if text is None else parse_quantity(text, option)


def parse_workload(spec: WorkloadSpec, models: Iterable[Model | RateCard]) -> Workload:
    """The workload, parsed exactly (no floats); `models` tell which image qualities and sizes
    exist, for the defaults and the messages."""
    # parsed in the order of the options, so that the first bad one is the one reported
    tokens = _quantity(spec.tokens, "--tokens")
    input_tokens = _quantity(spec.input, "--input")
    output_tokens = _quantity(spec.output, "--output")
    cached = _quantity(spec.cached_input, "--cached-input")
    share = None if spec.output_share is None else parse_share(spec.output_share, "--output-share")
    images = _count(spec.images, "--images")
    request_tokens = _quantity(spec.request_tokens, "--request-tokens")
    cache_writes = _count(spec.cache_writes, "--cache-writes")
    hit = None if spec.cache_hit is None else parse_share(spec.cache_hit, "--cache-hit")
    return build_workload(
        tokens=tokens,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_input_tokens=cached,
        output_share=share,
        images=images,
        quality=spec.quality,
        size=spec.size,
        batch=spec.batch,
        request_tokens=request_tokens,
        period=parse_period(spec.per),
        catalog=models,
        cache_writes=cache_writes,
        cache_ttl=spec.cache_ttl,
        cache_hit=hit,
        reasoning_tokens=_count(spec.reasoning_tokens, "--reasoning-tokens"),
        image_input_tokens=_count(spec.image_input, "--image-input"),
        cached_image_input_tokens=_count(spec.cached_image_input, "--cached-image-input"),
        image_output_tokens=_count(spec.image_output_tokens, "--image-output-tokens"),
        audio_input_tokens=_count(spec.audio_input_tokens, "--audio-input-tokens"),
        audio_output_tokens=_count(spec.audio_output_tokens, "--audio-output-tokens"),
        audio_minutes=_count(spec.audio_minutes, "--audio-minutes"),
        characters=_count(spec.characters, "--characters"),
        video_seconds=_count(spec.video_seconds, "--video-seconds"),
        requests=None if spec.requests is None else _count(spec.requests, "--requests"),
        web_searches=_count(spec.searches, "--searches"),
        tier=spec.tier,
        off_peak=spec.off_peak,
        thinking=spec.thinking,
    )


class CostResult(Frozen):
    """A frozen record (frozen.py: a dataclass's behaviour without its cost at import)."""

    __slots__ = (  # noqa: RUF023 (the fields in order: repr, ==, hash)
        "workload",
        "ranked",
        "models",
        "today",
        "explicit",
        "hidden_servable",
        "hidden_unservable",
        "baseline",
        "left_out",
        "successions",
        "sellers",
        "priced_on",
    )

    workload: Workload
    ranked: tuple[Ranked, ...]  # the rows shown
    models: dict[str, Model]  # every model in a shown row, by id
    today: dt.date
    explicit: bool  # models were named on the command line
    hidden_servable: int  # cheaper-than-shown rows cut by --top
    hidden_unservable: int
    baseline: str | None
    # browsing: the models that could serve but were left out by the default filters
    # (filters.buyable), by reason (filters.LEFT_OUT, each counted once), else empty
    left_out: tuple[tuple[str, int], ...]
    # each shown model's successors, to the first current one (succession.follow)
    successions: Mapping[str, succession.Succession]
    # `--sellers`: the models whose offers are ranked, each with where it is cheapest
    sellers: tuple[SellerVerdict, ...]
    # the --as-of date the catalog was priced on (the header says it), None for today's prices
    priced_on: dt.date | None

    def __init__(
        self,
        workload: Workload,
        ranked: tuple[Ranked, ...],
        models: dict[str, Model],
        today: dt.date,
        explicit: bool,
        hidden_servable: int = 0,
        hidden_unservable: int = 0,
        baseline: str | None = None,
        left_out: tuple[tuple[str, int], ...] = (),
        successions: Mapping[str, succession.Succession] | None = None,
        sellers: tuple[SellerVerdict, ...] = (),
        priced_on: dt.date | None = None,
    ) -> None:
        set_field(self, "workload", workload)
        set_field(self, "ranked", ranked)
        set_field(self, "models", models)
        set_field(self, "today", today)
        set_field(self, "explicit", explicit)
        set_field(self, "hidden_servable", hidden_servable)
        set_field(self, "hidden_unservable", hidden_unservable)
        set_field(self, "baseline", baseline)
        set_field(self, "left_out", left_out)
        set_field(self, "successions", {} if successions is None else successions)
        set_field(self, "sellers", sellers)
        set_field(self, "priced_on", priced_on)

    def priced_as_of(self, day: dt.date) -> CostResult:
        """This result, saying that its prices are those in force on `day` (an --as-of date)."""
        out = object.__new__(CostResult)
        for name in self.__slots__:
            set_field(out, name, getattr(self, name))
        set_field(out, "priced_on", day)
        return out


class SellerVerdict(NamedTuple):
    """Where one model is cheapest for the workload, against its maker's own prices."""

    model_id: str
    maker: str  # the maker's provider id
    maker_name: str  # its display name
    cheapest: str | None  # the key of the cheapest row (MODEL@OFFER), None when none can serve
    seller: str | None
    offer_id: str | None  # None: the maker's own prices are the cheapest
    total: Decimal | None
    maker_total: Decimal | None  # None when the maker's prices cannot serve the workload
    below_maker_percent: Decimal | None  # how much cheaper than the maker, in %
    tied: tuple[str, ...] = ()  # the keys of the other rows at the cheapest total


def resolve_targets(catalog: Catalog, names: Sequence[str]) -> list[tuple[Model, ...]]:
    """Each argument as a model or a text+image pipeline (`o4-mini+gpt-image-1`)."""
    targets: list[tuple[Model, ...]] = []
    for name in names:
        parts = split_pipeline(name)
        targets.append(tuple(catalog.resolve(part) for part in parts))
    keys = ["+".join(m.id for m in t) for t in targets]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise WorkloadError(f"the same model or pipeline was given twice: {', '.join(dupes)}")
    return targets


def compare_costs(
    targets: Sequence[tuple[Model, ...]],
    workload: Workload,
    today: dt.date,
    *,
    explicit: bool,
    top: int | None,
    baseline: str | None = None,
) -> CostResult:
    """Price every target, rank them, and cut to the top N (servable first) unless named."""
    estimates = [estimate(list(t), workload) for t in targets]
    ranked = rank(estimates, baseline)
    servable = [r for r in ranked if r.rank is not None]
    unservable = [r for r in ranked if r.rank is None]
    hidden_s = hidden_u = 0
    if not explicit and top is not None:
        hidden_s = max(0, len(servable) - top)
        servable = servable[:top]
        # the ones that cannot serve are only counted when the catalog is browsed: naming them shows them
        hidden_u = len(unservable) if servable else max(0, len(unservable) - top)
        unservable = [] if servable else unservable[:top]
    if baseline is not None and not any(r.estimate.key == baseline for r in servable + unservable):
        servable.append(next(r for r in ranked if r.estimate.key == baseline))
    shown = tuple(servable + unservable)
    models = {m.id: m for t in targets for m in t}
    keep = {mid for r in shown for mid in r.estimate.model_ids}
    return CostResult(
        workload,
        shown,
        {k: v for k, v in models.items() if k in keep},
        today,
        explicit,
        hidden_s,
        hidden_u,
        baseline,
    )


def browse_costs(
    cards: Sequence[RateCard],
    workload: Workload,
    today: dt.date,
    *,
    top: int,
    fetch: Callable[[str], Model],
    baseline: tuple[Model, ...] | None = None,
    screen: Filters = NO_FILTERS,
) -> CostResult:
    """compare_costs over a whole (filtered) catalog, cut to the `top` cheapest.

    Of the cards that can serve, those `screen` leaves out (filters.left_out_reasons: by default
    none; browsing passes filters.buyable) are not ranked, only counted by reason; the baseline
    is named, so it is never left out.

    Every card is quoted (a total, or None when it cannot serve); only the rows shown are
    estimated in full and only their models are fetched, so thousands of models cost little more
    than hundreds. The rows, ranks, deltas and counts are those compare_costs would give.
    """
    cards = list(cards)
    totals = quote_all(cards, workload)
    base_key = None if baseline is None else "+".join(m.id for m in baseline)
    extra = None  # a baseline pipeline, priced on its own after the cards
    if baseline is not None and base_key not in {c.id for c in cards}:
        if len(baseline) == 1:
            cards.append(rate_card(baseline[0]))
            totals += quote_all(cards[-1:], workload)
        else:
            extra = estimate(list(baseline), workload)
            totals.append(extra.total)
    servable = [i for i, t in enumerate(totals) if t is not None]
    unservable = [i for i, t in enumerate(totals) if t is None]
    left_out: tuple[tuple[str, int], ...] = ()
    could_serve = bool(servable)
    if screen.any():
        counts = dict.fromkeys(LEFT_OUT, 0)
        kept = []
        # a baseline pipeline (priced after the cards) is named: it is never left out
        candidates = [i for i in servable if i < len(cards)]
        reasons = left_out_reasons([cards[i] for i in candidates], today, screen)
        for i, reason in zip(candidates, reasons, strict=True):
            if reason is None or cards[i].id == base_key:  # nor is a baseline model
                kept.append(i)
            else:
                counts[reason] += 1
        servable = kept + [i for i in servable if i >= len(cards)]
        left_out = tuple(counts.items())
    # the `top` cheapest, ties in catalog order: sorted(...)[:top] without sorting them all
    priced = cast("list[Decimal]", totals)  # read at the servable indexes only
    if servable:
        shown = heapq.nsmallest(top, servable, key=priced.__getitem__)
    else:  # nothing can serve: the first that cannot, to say why (not when all were left out)
        shown = [] if could_serve else unservable[:top]
    hidden_s = max(0, len(servable) - top)
    hidden_u = len(unservable) - (0 if servable or could_serve else len(shown))
    places: dict[str, int] = {}
    if base_key is not None:
        keys = [c.id for c in cards] + ([base_key] if extra is not None else [])
        index = keys.index(base_key)
        if index not in shown:
            shown.append(index)
            base_total = totals[index]
            if base_total is not None:
                places[base_key] = 1 + sum(1 for i in servable if priced[i] < base_total)

    def full(index: int) -> Estimate:
        return (
            extra
            if extra is not None and index == len(cards)
            else estimate([cards[index]], workload)
        )

    ranked = rank([full(i) for i in shown], base_key, places=places)
    models = {m.id: m for m in baseline or ()}
    for row in ranked:
        for mid in row.estimate.model_ids:
            if mid not in models:
                models[mid] = fetch(mid)
    return CostResult(
        workload, tuple(ranked), models, today, False, hidden_s, hidden_u, base_key, left_out
    )


def sold_via(model: Model, seller: str) -> list[Model]:
    """The model as `seller` sells it: the offer with that id, else every offer of that seller
    (one per region or deployment type), the maker's own prices when it is the maker; [] when
    the seller does not sell it."""
    wanted = seller.strip().casefold()
    if model.seller is not None:
        return [model] if model.seller == wanted or model.offer_id == wanted else []
    named = model.offer(wanted)
    if named is not None:
        return [as_sold(model, named)]
    sold = [as_sold(model, o) for o in model.offers if o.seller == wanted]
    if not sold and wanted == model.provider.casefold():
        return [maker_offer(model)]
    return sold


def _not_sold(model: Model, seller: str) -> Model:
    """A row for a model the seller does not sell: no price, so it cannot serve."""
    return model._replace(
        id=f"{model.id}{OFFER_SEP}{seller}",
        prices=Prices(),
        image_prices=(),
        offers=(),
        seller=seller,
        offer_id=None,
    )


def _via_reason(result: CostResult, seller: str, missing: set[str]) -> CostResult:
    """The rows of models `seller` does not sell say so, rather than name a missing price."""
    rows = []
    for row in result.ranked:
        est = row.estimate
        if est.key in missing:
            base = est.key.rpartition(OFFER_SEP)[0]
            est = replace(est, cannot_serve=(f"{seller} does not sell {base} in the catalog",))
            row = replace(row, estimate=est)
        rows.append(row)
    return replace(result, ranked=tuple(rows))


def _seller_verdicts(
    result: CostResult, models: Sequence[Model], catalog: Catalog
) -> tuple[SellerVerdict, ...]:
    verdicts = []
    by_key = {row.estimate.key: row.estimate for row in result.ranked}
    for model in models:
        prefix = model.id + OFFER_SEP
        rows = [r for r in result.ranked if r.estimate.key.startswith(prefix)]
        priced = [r for r in rows if r.estimate.total is not None]
        maker = by_key.get(prefix + model.provider)
        maker_total = maker.total if maker is not None else None
        if not priced:
            verdicts.append(
                SellerVerdict(
                    model.id,
                    model.provider,
                    catalog.provider_name(model.provider),
                    None,
                    None,
                    None,
                    None,
                    maker_total,
                    None,
                )
            )
            continue
        best = min(priced, key=lambda r: r.estimate.total or 0).estimate
        tied = tuple(
            r.estimate.key
            for r in priced
            if r.estimate.total == best.total and r.estimate.key != best.key
        )
        chosen = result.models[best.model_ids[0]]
        percent = None
        if maker_total is not None and best.total is not None and maker_total > 0:
            from aicompare.fmt import percent_cheaper

            percent = percent_cheaper(best.total, maker_total)
        verdicts.append(
            SellerVerdict(
                model.id,
                model.provider,
                catalog.provider_name(model.provider),
                best.key,
                chosen.seller or chosen.provider,
                chosen.offer_id,
                best.total,
                maker_total,
                percent,
                tied,
            )
        )
    return tuple(verdicts)


def _key(target: tuple[Model, ...] | None) -> str | None:
    return None if target is None else "+".join(m.id for m in target)


def _baseline(catalog: Catalog, name: str | None) -> tuple[Model, ...] | None:
    return None if name is None else resolve_targets(catalog, [name])[0]


def _with(
    targets: list[tuple[Model, ...]], base: tuple[Model, ...] | None
) -> list[tuple[Model, ...]]:
    """The targets, plus the --baseline one when it is not among them."""
    if base is None or _key(base) in {_key(t) for t in targets}:
        return targets
    return [*targets, base]


def cost_query(
    catalog: Catalog,
    names: Sequence[str],
    spec: WorkloadSpec,
    today: dt.date,
    *,
    filters: Filters = NO_FILTERS,
    top: int = DEFAULT_TOP,
    every: bool = False,
    baseline: str | None = None,
    any_status: bool = False,
    include_free: bool = False,
    include_preview: bool = False,
    via: str | None = None,
    sellers: bool = False,
) -> CostResult:
    """`aicompare cost`: the models named (or pipelines, `o4-mini+gpt-image-1`), else the
    catalog's models that pass `filters`, priced for the workload and ranked, cheapest first.

    Browsing reads the light rate cards and prices only the `top` rows shown in full; `every`
    shows every model, also those that cannot serve. `baseline` (a model or a pipeline) is the
    reference of every difference instead of the cheapest, and is shown even when cut.

    Browsing ranks what a team could buy today (filters.buyable: current, generally available,
    paid) and counts the rest by reason; `any_status` lets in deprecated and retired models,
    `include_preview` previews and experiments, `include_free` the free models, `every`
    everything. Named models are always priced.

    `via`: every model as that seller sells it (a model it does not sell cannot serve, saying
    so); `sellers`: every offer of the named models, ranked, with where each is cheapest.
    """
    if sellers or via is not None:
        return _offers_query(
            catalog,
            names,
            spec,
            today,
            filters,
            top,
            every,
            baseline,
            via,
            sellers,
            buyable(any_status, include_free, include_preview),
        )
    # Browsing reads the models' rate cards (light, cached), naming models reads the models.
    cards = None if names else catalog.rate_cards()
    screen = buyable(any_status, include_free, include_preview)
    result = _cost_query(catalog, cards, names, spec, today, filters, top, every, baseline, screen)
    # each shown model's successors, read on the light rate cards when browsing
    shown = result.models.items()
    if not any(model.superseded_by for _, model in shown):
        return result
    if cards is None or every:
        lookup = succession.lookup_in(catalog.models)
    else:
        lookup = succession.lookup_in({card.id: card for card in cards})
    succs = {mid: succession.succession(mid, m.lifecycle, lookup, today) for mid, m in shown}
    return replace(result, successions=succs)


def _offers_query(
    catalog: Catalog,
    names: Sequence[str],
    spec: WorkloadSpec,
    today: dt.date,
    filters: Filters,
    top: int,
    every: bool,
    baseline: str | None,
    via: str | None,
    sellers: bool,
    screen: Filters,
) -> CostResult:
    """`cost --sellers` and `cost --via SELLER`: the models as sold by sellers, priced through
    their rate cards like any model (model.as_sold)."""
    if sellers and via is not None:
        raise WorkloadError(
            "--sellers ranks every seller of the models named; --via prices one seller",
            "give one of them",
        )
    if sellers and not names:
        raise WorkloadError(
            "--sellers ranks the offers of the models named",
            "name the models, e.g. aicompare cost claude-sonnet-4-5 --sellers --tokens 50M",
        )
    if names and filters.any():
        raise WorkloadError(
            "filters (--provider, --type, --capability, --current) apply only "
            "when no models are named",
            "drop the filters or the model names",
        )
    base = _baseline(catalog, baseline)
    if sellers:
        models: list[Model] = []
        for name in names:
            if len(split_pipeline(name)) > 1:
                raise WorkloadError(
                    f"--sellers ranks the sellers of single models, not the pipeline {name!r}",
                    "name the models one by one",
                )
            model = catalog.resolve(name)
            if model.seller is not None:
                raise WorkloadError(
                    f"--sellers ranks every seller of a model: name {name!r} without its seller",
                    f"e.g. {name.rpartition(OFFER_SEP)[0] or model.id}",
                )
            if model not in models:
                models.append(model)
        targets: list[tuple[Model, ...]] = [
            (sold,)
            for model in models
            for sold in (maker_offer(model), *(as_sold(model, o) for o in model.offers))
        ]
        workload = parse_workload(spec, catalog.models.values())
        result = compare_costs(
            _with(targets, base), workload, today, explicit=True, top=None, baseline=_key(base)
        )
        return replace(result, sellers=_seller_verdicts(result, models, catalog))
    assert via is not None
    seller = via.strip().casefold()
    missing: set[str] = set()
    if names:
        targets = []
        for target in resolve_targets(catalog, names):
            if len(target) > 1:
                raise WorkloadError(
                    "--via prices single models, not pipelines", "name the models one by one"
                )
            sold = sold_via(target[0], seller)
            if not sold:
                placeholder = _not_sold(target[0], seller)
                missing.add(placeholder.id)
                sold = [placeholder]
            targets += [(m,) for m in sold]
        workload = parse_workload(spec, catalog.models.values())
        result = compare_costs(
            _with(targets, base), workload, today, explicit=True, top=None, baseline=_key(base)
        )
        return _via_reason(result, seller, missing)
    derived = {m.id: m for model in catalog.models.values() for m in sold_via(model, seller)}
    if not derived:
        raise WorkloadError(
            f"no model of the catalog is sold by {seller!r}",
            "sellers: the `seller` of the offers in `aicompare show MODEL --json`",
        )
    cards = filter_models([rate_card(m) for m in derived.values()], today, filters)
    workload = parse_workload(spec, cards)
    if every:
        every_row: list[tuple[Model, ...]] = [(derived[c.id],) for c in cards]
        return compare_costs(
            _with(every_row, base),
            workload,
            today,
            explicit=True,
            top=None,
            baseline=_key(base),
        )
    return browse_costs(
        cards, workload, today, top=top, fetch=derived.__getitem__, baseline=base, screen=screen
    )


def _cost_query(
    catalog: Catalog,
    cards: list[RateCard] | None,
    names: Sequence[str],
    spec: WorkloadSpec,
    today: dt.date,
    filters: Filters,
    top: int,
    every: bool,
    baseline: str | None,
    screen: Filters,
) -> CostResult:
    workload = parse_workload(spec, cards if cards is not None else catalog.models.values())
    if cards is None:
        if filters.any():
            raise WorkloadError(
                "filters (--provider, --type, --capability, --current) apply only "
                "when no models are named",
                "drop the filters or the model names",
            )
        targets = resolve_targets(catalog, names)
        base = _baseline(catalog, baseline)
        return compare_costs(
            _with(targets, base), workload, today, explicit=True, top=None, baseline=_key(base)
        )
    chosen = filter_models(cards, today, filters)
    # Browsing prices each model alone: a workload with tokens and images is priced on the models
    # that make images, the tokens as their prompt (pricing.py); pipelines are named, not browsed.
    base = _baseline(catalog, baseline)
    if every:
        models = dict(catalog.models.items())  # one bulk load, not one per model
        targets = [(models[card.id],) for card in chosen]
        return compare_costs(
            _with(targets, base), workload, today, explicit=True, top=None, baseline=_key(base)
        )
    return browse_costs(
        chosen,
        workload,
        today,
        top=top,
        fetch=catalog.models.__getitem__,
        baseline=base,
        screen=screen,
    )
