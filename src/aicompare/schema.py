"""Validate a parsed catalog document and build frozen records from it, collecting every problem."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from aicompare.model import (
    ANY,
    AVAILABILITY,
    CAPABILITIES,
    EVER,
    GENERAL,
    INPUT_MODALITIES,
    MODEL_TYPES,
    OUTPUT_MODALITIES,
    PRICE_KEYS,
    SERVICE_TIERS,
    TOKEN_PRICE_KEYS,
    Benchmark,
    ImagePrice,
    Lifecycle,
    Model,
    Offer,
    PricePeriod,
    Prices,
    PriceSet,
    PriceTier,
    Provider,
)

TOP_LEVEL_KEYS = ("schema_version", "generated", "providers", "models", "tasks")
MODEL_KEYS = (
    "name",
    "provider",
    "type",
    "aliases",
    "description",
    "context_window",
    "max_input_tokens",
    "max_output_tokens",
    "input_modalities",
    "output_modalities",
    "capabilities",
    "endpoints",
    "snapshots",
    "knowledge_cutoff",
    "release_date",
    "strengths",
    "notes",
    "source_url",
    "as_of",
    "lifecycle",
    "availability",
    "prices",
    "image_prices",
    "benchmarks",
    "offers",
    "price_periods",
)
OFFER_KEYS = (
    "seller",
    "seller_model_id",
    "region",
    "reseller",
    "names",
    "prices",
    "image_prices",
    "source_url",
    "as_of",
    "notes",
    "price_periods",
)
PERIOD_KEYS = ("from", "source", "prices", "image_prices")
# offer ids and seller names: lower-case words, as in `MODEL@SELLER` and seller ids in logs
OFFER_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# Keys a layer may carry that describe the layer's own edits, not the model: not part of a Model.
# `set_by_hand`: the dotted fields `catalog set`/`catalog add` wrote, which imports keep.
BY_HAND = "set_by_hand"
LAYER_KEYS = (BY_HAND,)
_DOTTED = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")
LIFECYCLE_KEYS = ("deprecation_date", "shutdown_date", "superseded_by", "note")
PROVIDER_KEYS = ("name", "url")
SIZE_RE = re.compile(r"^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$")
CUTOFF_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
# Decimal exponents beyond this are not prices anyone charges, and would make formatting explode.
MAX_PRICE = Decimal(10) ** 9
# Token limits beyond this are typos (no model reads 10**15 tokens), and would overflow the ratios
# the comparisons print (`diff` crashed on a context window of 10**41).
MAX_TOKENS = 10**15


class Problems:
    """Collects `where: what` lines; `where` is a key path, with a line number when known."""

    def __init__(self, locate: Callable[[str], tuple[str, int | None]]) -> None:
        self.locate = locate
        self._found: list[tuple[str, int, str]] = []

    def add(self, path: str, message: str) -> None:
        source, line = self.locate(path)
        where = f"{source}:{line}" if line else source
        self._found.append((source, line or 0, f"{where}: {path}: {message}"))

    @property
    def items(self) -> list[str]:
        """Problems in file order, so the list reads top to bottom like the file.

        Files come in the order their first problem was found (a layer's own problems are
        found before what they break in the layers below), never by path text, so the
        first line is the same wherever the files live.
        """
        rank: dict[str, int] = {}
        for source, _, _ in self._found:
            rank.setdefault(source, len(rank))
        return [text for _, _, text in sorted(self._found, key=lambda f: (rank[f[0]], f[1]))]

    def __len__(self) -> int:
        return len(self._found)


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, Decimal):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return "a date"
    return type(value).__name__


class _Reader:
    """Typed accessors over one table that report problems instead of raising."""

    def __init__(self, table: Mapping[str, Any], path: str, problems: Problems) -> None:
        self.table = table
        self.path = path
        self.problems = problems

    def unknown(self, allowed: tuple[str, ...]) -> None:
        for key in self.table:
            if key not in allowed:
                self.problems.add(f"{self.path}.{key}", "unknown key")

    def _bad(self, key: str, expected: str) -> None:
        value = self.table[key]
        self.problems.add(f"{self.path}.{key}", f"expected {expected}, got {_type_name(value)}")

    def string(self, key: str, *, required: bool = False) -> str | None:
        if key not in self.table:
            if required:
                self.problems.add(f"{self.path}.{key}", "required key is missing")
            return None
        value = self.table[key]
        if not isinstance(value, str):
            self._bad(key, "a string")
            return None
        if required and not value.strip():
            self.problems.add(f"{self.path}.{key}", "must not be empty")
            return None
        return value

    def strings(self, key: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
        if key not in self.table:
            return ()
        value = self.table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self._bad(key, "a list of strings")
            return ()
        if allowed is not None:
            for item in value:
                if item not in allowed:
                    self.problems.add(
                        f"{self.path}.{key}",
                        f"unknown value {item!r} (allowed: {', '.join(allowed)})",
                    )
        return tuple(dict.fromkeys(value))

    def positive_int(self, key: str) -> int | None:
        if key not in self.table:
            return None
        value = self.table[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self._bad(key, "an integer")
            return None
        if value <= 0:
            self.problems.add(f"{self.path}.{key}", f"must be a positive integer, got {value}")
            return None
        if value > MAX_TOKENS:
            self.problems.add(f"{self.path}.{key}", f"implausibly large token count {value}")
            return None
        return value

    def date(self, key: str) -> dt.date | None:
        if key not in self.table:
            return None
        value = self.table[key]
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                self.problems.add(
                    f"{self.path}.{key}", f"not a valid date: {value!r} (use YYYY-MM-DD)"
                )
                return None
        self._bad(key, "a date (YYYY-MM-DD)")
        return None

    def table_(self, key: str) -> Mapping[str, Any] | None:
        if key not in self.table:
            return None
        value = self.table[key]
        if not isinstance(value, dict):
            self._bad(key, "a table")
            return None
        return value


def check_price(value: object, path: str, problems: Problems) -> Decimal | None:
    """A price is a finite, non-negative number: Decimal from TOML floats, or an integer."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        problems.add(path, f"expected a number, got {_type_name(value)}")
        return None
    price = Decimal(value)
    if not price.is_finite():
        problems.add(path, f"must be a finite number, got {value}")
        return None
    if price < 0:
        problems.add(path, f"must not be negative, got {value}")
        return None
    if price > MAX_PRICE:
        problems.add(path, f"implausibly large price {value}")
        return None
    return price


def _price_set(
    table: Mapping[str, Any],
    path: str,
    problems: Problems,
    allowed: tuple[str, ...],
    extra: tuple[str, ...] = (),
) -> PriceSet:
    values: dict[str, Decimal] = {}
    for key, raw in table.items():
        if key in extra:
            continue
        if key not in allowed:
            problems.add(f"{path}.{key}", "unknown price key")
            continue
        price = check_price(raw, f"{path}.{key}", problems)
        if price is not None:
            values[key] = price
    return PriceSet(values)


# A UTC window of off-peak hours, "16:30-00:30"; several are separated by ", ".
_WINDOW_RE = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]):([0-5][0-9])$")
_TABLES = ("batch", *SERVICE_TIERS, "off_peak")


def hours_problem(text: str) -> str | None:
    """Why `hours` is not a list of UTC windows "HH:MM-HH:MM" (", " between them), or None."""
    windows = text.split(",")
    for window in windows:
        match = _WINDOW_RE.match(window.strip())
        if match is None:
            return f'expected UTC windows like "16:30-00:30" (", " between two), got {text!r}'
        if match[1] == match[3] and match[2] == match[4]:
            return f"the window {window.strip()!r} is empty: give its start and its end"
    return None


def _prices(table: Mapping[str, Any], path: str, problems: Problems) -> Prices:
    standard = _price_set(table, path, problems, PRICE_KEYS, extra=(*_TABLES, "tiers"))
    alternate: dict[str, PriceSet] = {}
    hours: str | None = None
    for name in _TABLES:
        if name not in table:
            continue
        sub = table[name]
        if not isinstance(sub, dict):
            problems.add(f"{path}.{name}", f"expected a table, got {_type_name(sub)}")
            continue
        extra = ("hours",) if name == "off_peak" else ()
        alternate[name] = _price_set(sub, f"{path}.{name}", problems, PRICE_KEYS, extra=extra)
        if name == "off_peak":
            raw_hours = sub.get("hours")
            if raw_hours is None:
                problems.add(f"{path}.off_peak.hours", "required: the UTC hours the prices apply")
            elif not isinstance(raw_hours, str):
                problems.add(
                    f"{path}.off_peak.hours", f"expected a string, got {_type_name(raw_hours)}"
                )
            elif (problem := hours_problem(raw_hours)) is not None:
                problems.add(f"{path}.off_peak.hours", problem)
            else:
                hours = ", ".join(w.strip() for w in raw_hours.split(","))
    tiers: list[PriceTier] = []
    raw_tiers = table.get("tiers", [])
    if not isinstance(raw_tiers, list) or not all(isinstance(t, dict) for t in raw_tiers):
        problems.add(f"{path}.tiers", "expected an array of tables ([[...prices.tiers]])")
        raw_tiers = []
    for i, raw in enumerate(raw_tiers):
        tpath = f"{path}.tiers[{i}]"
        above = raw.get("above_input_tokens")
        if isinstance(above, bool) or not isinstance(above, int) or not 0 < above <= MAX_TOKENS:
            problems.add(
                f"{tpath}.above_input_tokens", f"required, a positive integer up to {MAX_TOKENS:,}"
            )
            continue
        tier_prices = _price_set(
            raw, tpath, problems, TOKEN_PRICE_KEYS, extra=("above_input_tokens",)
        )
        if tiers and above <= tiers[-1].above_input_tokens:
            problems.add(tpath, "tiers must be in increasing order of above_input_tokens")
        tiers.append(PriceTier(above, tier_prices))
    empty = PriceSet()
    return Prices(
        standard,
        alternate.get("batch", empty),
        tuple(tiers),
        alternate.get("flex", empty),
        alternate.get("priority", empty),
        alternate.get("off_peak", empty),
        hours,
    )


def _price_periods(
    raw: object,
    path: str,
    problems: Problems,
    first: PricePeriod,
) -> tuple[PricePeriod, ...]:
    """`[[...price_periods]]`: dated prices after the record's own (`first`), each from a UTC
    date, in strictly increasing order of `from`; () when there are none."""
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        problems.add(path, "expected an array of tables ([[...price_periods]])")
        return ()
    periods = [first]
    for i, item in enumerate(raw):
        ppath = f"{path}[{i}]"
        r = _Reader(item, ppath, problems)
        r.unknown(PERIOD_KEYS)
        start = r.date("from")
        if start is None:
            if "from" not in item:
                problems.add(f"{ppath}.from", "required: the UTC date the prices apply from")
            continue
        prices_table = r.table_("prices")
        prices = (
            _prices(prices_table, f"{ppath}.prices", problems)
            if prices_table is not None
            else Prices()
        )
        grid = r.table_("image_prices")
        image_prices = (
            _image_prices(grid, f"{ppath}.image_prices", problems) if grid is not None else ()
        )
        if not prices.standard and not image_prices:
            problems.add(ppath, "a price period needs at least one price (prices or image_prices)")
        previous = periods[-1].start
        if len(periods) > 1 and start <= previous:
            problems.add(
                f"{ppath}.from",
                f"{start.isoformat()} is not after the previous period's {previous.isoformat()}: "
                "periods must be in increasing order of `from`, one per date",
            )
            continue
        periods.append(PricePeriod(start, prices, image_prices, r.string("source")))
    return tuple(periods) if len(periods) > 1 else ()


def _image_prices(
    table: Mapping[str, Any], path: str, problems: Problems
) -> tuple[ImagePrice, ...]:
    cells: list[ImagePrice] = []
    for quality, sizes in table.items():
        qpath = f"{path}.{quality}"
        if not isinstance(sizes, dict):
            problems.add(qpath, f"expected a table of size = price, got {_type_name(sizes)}")
            continue
        for size, raw in sizes.items():
            spath = f"{qpath}.{size}"
            if size != ANY and not SIZE_RE.match(size):
                problems.add(
                    spath, f"bad size {size!r} (use WIDTHxHEIGHT, e.g. 1024x1024, or 'any')"
                )
                continue
            price = check_price(raw, spath, problems)
            if price is not None:
                cells.append(ImagePrice(quality, size, price))
    return tuple(cells)


def _benchmarks(table: Mapping[str, Any], path: str, problems: Problems) -> tuple[Benchmark, ...]:
    out: list[Benchmark] = []
    for name, raw in table.items():
        bpath = f"{path}.{name}"
        if not isinstance(raw, dict):
            problems.add(bpath, "expected a table with score and source")
            continue
        reader = _Reader(raw, bpath, problems)
        reader.unknown(("score", "source"))
        source = reader.string("source", required=True)
        score = (
            check_price(raw.get("score"), f"{bpath}.score", problems) if "score" in raw else None
        )
        if "score" not in raw:
            problems.add(f"{bpath}.score", "required key is missing")
        if score is not None and source:
            out.append(Benchmark(name, score, source))
    return tuple(out)


def _invisible(char: str) -> bool:
    """Whitespace, or a character that prints as nothing (format, control, separator, ...)."""
    return char.isspace() or not char.isprintable()


def name_problem(name: str) -> str | None:
    """Why a model id, alias or snapshot cannot name a model (empty, blank, padded), or None.

    Names are typed and matched after trimming (`Catalog.resolve` strips what it is given), so a
    name that begins or ends with whitespace could never be typed as written, and one made only
    of invisible characters shows as nothing.
    """
    if name and not _invisible(name[0]) and not _invisible(name[-1]):
        return None
    if not name:
        return "is empty"
    if all(char.isspace() for char in name):
        return "is only whitespace"
    if all(_invisible(char) for char in name):
        return "has no visible character"
    start, end = 0, len(name)
    while _invisible(name[start]):
        start += 1
    while _invisible(name[end - 1]):
        end -= 1
    padding = name[:start] + name[end:]
    what = "whitespace" if padding.isspace() else "an invisible character"
    return f"begins or ends with {what} (did you mean {name[start:end]!r}?)"


_NAME_KINDS = {"aliases": "alias", "snapshots": "snapshot"}


def _offers(table: Mapping[str, Any], path: str, problems: Problems) -> tuple[Offer, ...]:
    """`[models.X.offers.<id>]`: one table per offer, checked as a model's prices are."""
    out: list[Offer] = []
    for offer_id, raw in table.items():
        opath = f"{path}.{offer_id}"
        if not OFFER_ID_RE.match(offer_id):
            problems.add(
                opath,
                f"bad offer id {offer_id!r} (lower-case letters, digits, '.', '_' and '-', "
                "e.g. bedrock-us)",
            )
            continue
        if not isinstance(raw, dict):
            problems.add(opath, f"expected a table, got {_type_name(raw)}")
            continue
        r = _Reader(raw, opath, problems)
        r.unknown(OFFER_KEYS)
        seller = r.string("seller", required=True)
        if seller is not None and not OFFER_ID_RE.match(seller):
            problems.add(
                f"{opath}.seller",
                f"bad seller {seller!r} (lower-case letters, digits, '.', '_' and '-')",
            )
        reseller = raw.get("reseller", False)
        if not isinstance(reseller, bool):
            problems.add(f"{opath}.reseller", f"expected true or false, got {_type_name(reseller)}")
            reseller = False
        names = r.strings("names")
        for name in names:
            unusable = name_problem(name)
            if unusable is not None:
                problems.add(f"{opath}.names", f"name {name!r} {unusable}")
        prices_table = r.table_("prices")
        prices = (
            _prices(prices_table, f"{opath}.prices", problems)
            if prices_table is not None
            else Prices()
        )
        grid = r.table_("image_prices")
        image_prices = (
            _image_prices(grid, f"{opath}.image_prices", problems) if grid is not None else ()
        )
        if not prices.standard and not image_prices:
            problems.add(opath, "an offer needs at least one price (prices or image_prices)")
        source_url = r.string("source_url")
        periods = (
            _price_periods(
                raw["price_periods"],
                f"{opath}.price_periods",
                problems,
                PricePeriod(EVER, prices, image_prices, source_url),
            )
            if "price_periods" in raw
            else ()
        )
        out.append(
            Offer(
                id=offer_id,
                seller=seller or "",
                seller_model_id=r.string("seller_model_id"),
                region=r.string("region"),
                reseller=reseller,
                names=names,
                prices=prices,
                image_prices=image_prices,
                source_url=source_url,
                as_of=r.date("as_of"),
                notes=r.string("notes"),
                price_periods=periods,
            )
        )
    return tuple(out)


def build_model(
    model_id: str, raw: object, problems: Problems, origins: tuple[tuple[str, str], ...] = ()
) -> Model | None:
    """One model table -> Model, or None when it is unusable; problems are recorded."""
    before = len(problems)
    unusable_id = name_problem(model_id)
    path = f"models.{model_id}"
    if unusable_id is not None:
        # quoted, so that an empty or blank id is visible in the message; the rest of the table
        # is still checked, so every problem is listed at once
        path = f"models.{model_id!r}"
        problems.add(path, f"the model id {unusable_id}")
    if not isinstance(raw, dict):
        problems.add(path, f"expected a table, got {_type_name(raw)}")
        return None
    r = _Reader(raw, path, problems)
    r.unknown(MODEL_KEYS + LAYER_KEYS)
    _check_by_hand(raw, path, problems)
    provider = r.string("provider", required=True)
    mtype = r.string("type", required=True)
    if mtype is not None and mtype not in MODEL_TYPES:
        problems.add(f"{path}.type", f"unknown type {mtype!r} (allowed: {', '.join(MODEL_TYPES)})")
    availability = r.string("availability")
    if availability is not None and availability not in AVAILABILITY:
        problems.add(
            f"{path}.availability",
            f"unknown availability {availability!r} (allowed: {', '.join(AVAILABILITY)})",
        )
    cutoff = r.string("knowledge_cutoff")
    if cutoff is not None and not CUTOFF_RE.match(cutoff):
        problems.add(f"{path}.knowledge_cutoff", f"expected YYYY-MM or YYYY-MM-DD, got {cutoff!r}")
    lifecycle = Lifecycle()
    life_table = r.table_("lifecycle")
    if life_table is not None:
        lr = _Reader(life_table, f"{path}.lifecycle", problems)
        lr.unknown(LIFECYCLE_KEYS)
        lifecycle = Lifecycle(
            deprecation_date=lr.date("deprecation_date"),
            shutdown_date=lr.date("shutdown_date"),
            superseded_by=lr.string("superseded_by"),
            note=lr.string("note"),
        )
    prices_table = r.table_("prices")
    prices = (
        _prices(prices_table, f"{path}.prices", problems) if prices_table is not None else Prices()
    )
    grid = r.table_("image_prices")
    image_prices = _image_prices(grid, f"{path}.image_prices", problems) if grid is not None else ()
    bench = r.table_("benchmarks")
    benchmarks = _benchmarks(bench, f"{path}.benchmarks", problems) if bench is not None else ()
    offers_table = r.table_("offers")
    offers = _offers(offers_table, f"{path}.offers", problems) if offers_table is not None else ()
    source_url = r.string("source_url")
    periods = (
        _price_periods(
            raw["price_periods"],
            f"{path}.price_periods",
            problems,
            PricePeriod(EVER, prices, image_prices, source_url),
        )
        if "price_periods" in raw
        else ()
    )
    names = {kind: r.strings(kind) for kind in _NAME_KINDS}
    for kind, singular in _NAME_KINDS.items():
        for name in names[kind]:
            unusable = name_problem(name)
            if unusable is not None:
                problems.add(f"{path}.{kind}", f"{singular} {name!r} {unusable}")
    model = Model(
        id=model_id,
        provider=provider or "",
        type=mtype or "",
        name=r.string("name") or model_id,
        aliases=names["aliases"],
        description=r.string("description"),
        context_window=r.positive_int("context_window"),
        max_input_tokens=r.positive_int("max_input_tokens"),
        max_output_tokens=r.positive_int("max_output_tokens"),
        input_modalities=r.strings("input_modalities", INPUT_MODALITIES),
        output_modalities=r.strings("output_modalities", OUTPUT_MODALITIES),
        capabilities=r.strings("capabilities", CAPABILITIES),
        endpoints=r.strings("endpoints"),
        snapshots=names["snapshots"],
        knowledge_cutoff=cutoff,
        release_date=r.date("release_date"),
        strengths=r.strings("strengths"),
        notes=r.string("notes"),
        source_url=source_url,
        as_of=r.date("as_of"),
        lifecycle=lifecycle,
        availability=availability or GENERAL,
        prices=prices,
        image_prices=image_prices,
        benchmarks=benchmarks,
        offers=offers,
        # provenance of the layer's edits, not a value of the model
        origins=tuple(o for o in origins if o[0].split(".")[0] != BY_HAND),
        price_periods=periods,
    )
    _check_modalities(raw, path, problems, dict(origins))
    return model if len(problems) == before else None


def _check_by_hand(table: Mapping[str, Any], path: str, problems: Problems) -> None:
    """`set_by_hand`: a list of dotted paths of model fields ("prices.input", "notes")."""
    if BY_HAND not in table:
        return
    value = table[BY_HAND]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.add(
            f"{path}.{BY_HAND}", f"expected a list of dotted field paths, got {_type_name(value)}"
        )
        return
    for item in value:
        if not _DOTTED.match(item) or item.split(".")[0] not in MODEL_KEYS:
            problems.add(
                f"{path}.{BY_HAND}",
                f"{item!r} is not a dotted path of a model field (e.g. prices.input)",
            )


# Capability <-> modality: (capability, "input"/"output", modality). Each pair states one fact
# twice (LiteLLM's supports_vision is models.dev's image input), so a layer that states both must
# state them alike: a listed capability needs the modality in a listed modality list, and a listed
# modality needs the capability in a listed capability list. An absent list is unknown.
MODALITY_CAPABILITIES = (
    ("vision", "input", "image"),
    ("audio_input", "input", "audio"),
    ("pdf_input", "input", "pdf"),
    ("audio_output", "output", "audio"),
    ("image_generation", "output", "image"),
)


def _listed(table: Mapping[str, Any], key: str) -> list[str] | None:
    """A list of strings the table states, None when absent (unknown) or of the wrong type."""
    value = table.get(key)
    if not isinstance(value, list):
        return None
    return [v for v in value if isinstance(v, str)]


def _check_modalities(
    raw: Mapping[str, Any], path: str, problems: Problems, origins: Mapping[str, str]
) -> None:
    """Capabilities and modalities that contradict each other (docs/catalog.md, Validation).

    `origins`: model-relative key -> the higher layer that set it ("*": the layer that added the
    model). Only facts stated by one layer are held together: a layer that overrides one list of
    a pair (an imported file restating capabilities) does not contradict the other list below."""
    base = origins.get("*", "")
    caps = _listed(raw, "capabilities")
    for capability, side, modality in MODALITY_CAPABILITIES:
        key = f"{side}_modalities"
        modalities = _listed(raw, key)
        if caps is None or modalities is None:
            continue
        if origins.get("capabilities", base) != origins.get(key, base):
            continue
        if capability in caps and modality not in modalities:
            problems.add(
                f"{path}.capabilities",
                f"{capability} but {key} ({', '.join(modalities) or 'none'}) lack {modality}",
            )
        elif capability not in caps and modality in modalities:
            # image output on a text model is a hosted image tool, not image generation, and an
            # edit-only image model (inpainting, outpainting) makes images without generating
            if capability == "image_generation" and (
                raw.get("type") != "image" or "image_editing" in caps
            ):
                continue
            problems.add(
                f"{path}.capabilities",
                f"{key} include {modality} but capabilities lack {capability}",
            )


def check_succession(
    models: dict[str, Model],
    raw_models: Mapping[str, Any],
    candidates: Callable[[str], list[str]],
    problems: Problems,
    layers: Sequence[str] = (),
) -> None:
    """Point every `superseded_by` at its model's id (in place); report what cannot be.

    A successor is found as a name typed on the command line is (`candidates` is
    Catalog.candidates: id, alias or snapshot in any case, then display name), and stored as the
    model's id. Naming the model itself is a problem, and so is a cycle of any length through
    the merged layers: it is reported once, at the link set by the highest layer in `layers`
    (lowest first), else at the first of its models in catalog order, with the chain.
    A successor that names a model with problems of its own is left to those problems.
    """
    broken = {
        name.casefold()
        for mid, table in raw_models.items()
        if mid not in models
        for name in (mid, *_raw_names(table))
    }
    successor: dict[str, str] = {}
    for model in list(models.values()):
        written = model.lifecycle.superseded_by
        if written is None:
            continue
        where = f"models.{model.id}.lifecycle.superseded_by"
        if not written.strip():
            problems.add(where, "must not be empty")
            continue
        ids = candidates(written)
        if len(ids) > 1:
            problems.add(where, f"{written!r} could be any of {', '.join(sorted(ids))}: use an id")
        elif not ids:
            if written.strip().casefold() not in broken:
                problems.add(where, f"names no model in the catalog: {written!r}")
        elif ids[0] == model.id:
            shown = "" if written == model.id else f" ({written!r} is {model.id})"
            problems.add(where, f"names the model itself{shown}")
        else:
            successor[model.id] = ids[0]
            if written != ids[0]:
                life = model.lifecycle._replace(superseded_by=ids[0])
                models[model.id] = model._replace(lifecycle=life)
    order = {mid: index for index, mid in enumerate(models)}
    walk_of: dict[str, int] = {}
    for walk, start in enumerate(successor):
        chain: list[str] = []
        node = start
        while node in successor and node not in walk_of:
            walk_of[node] = walk
            chain.append(node)
            node = successor[node]
        if walk_of.get(node) != walk:
            continue  # the chain ended, or ran into one already walked
        cycle = chain[chain.index(node) :]
        first = min(
            range(len(cycle)),
            key=lambda i: (-_layer_rank(models[cycle[i]], layers), order[cycle[i]]),
        )
        loop = cycle[first:] + cycle[:first]
        problems.add(
            f"models.{loop[0]}.lifecycle.superseded_by",
            "succession cycle " + " -> ".join([*loop, loop[0]]),
        )


def _raw_names(table: object) -> list[str]:
    if not isinstance(table, dict):
        return []
    return [
        name
        for kind in _NAME_KINDS
        if isinstance(table.get(kind), list)
        for name in table[kind]
        if isinstance(name, str)
    ]


def _layer_rank(model: Model, layers: Sequence[str]) -> int:
    """How high the layer that set this model's successor is (-1: the lowest one)."""
    origin = model.origin("lifecycle.superseded_by")
    if origin is None or origin not in layers:
        return -1
    return layers.index(origin)


def build_providers(raw: object, problems: Problems) -> dict[str, Provider]:
    out: dict[str, Provider] = {}
    if not isinstance(raw, dict):
        problems.add("providers", f"expected a table, got {_type_name(raw)}")
        return out
    for pid, table in raw.items():
        if not isinstance(table, dict):
            problems.add(f"providers.{pid}", f"expected a table, got {_type_name(table)}")
            continue
        r = _Reader(table, f"providers.{pid}", problems)
        r.unknown(PROVIDER_KEYS)
        out[pid] = Provider(pid, r.string("name") or pid, r.string("url"))
    return out


def check_top_level(doc: Mapping[str, Any], problems: Problems) -> None:
    for key in doc:
        if key not in TOP_LEVEL_KEYS:
            problems.add(key, "unknown top-level key")
    version = doc.get("schema_version", 1)
    if version != 1 or isinstance(version, bool):
        problems.add(
            "schema_version", f"unsupported schema_version {version!r} (this aicompare reads 1)"
        )
    for key in ("models", "providers", "tasks"):
        # a list or a string here was silently ignored before: `providers = []` validated
        if key in doc and not isinstance(doc[key], dict):
            problems.add(key, f"expected a table, got {_type_name(doc[key])}")
