"""Plan and apply an import of converted model tables into a layer, never making the catalog worse.

`catalog import` converts a public data set (aicompare.importers) and hands the tables to
`refresh`, which compares them field by field with the target layer AND the catalog in effect (every
other layer, merged), and writes only what is safe (docs/catalog.md, "Importing price lists"):

- a 0 price is a suspicious value unless the catalog already has 0 there: it is refused (not
  written, counted, listed) when any layer prices that field above 0, or when the source does not
  mark the model free (`source_marks_free`); a new model whose every price is refused is not added;
- so is a price JUMP (10) times the one in effect or more, or that many times less: a slip of unit;
- a field recorded in a layer's `set_by_hand` list (written by `catalog set`/`catalog add`) is kept,
  and listed with the value the source gives, unless `overwrite`;
- a model the catalog already has keeps its `provider` and `type`: a price list names the seller
  (LiteLLM's `cohere_chat`, `gemini`), not the catalog's maker id;
- only fields that change are written; `as_of` is written with them, never alone.

Pure: no typer, no rich; the command renders the report.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from aicompare.importers import ImportResult, Note, Skip

Path_ = tuple[str, ...]
PRICE_TABLES = ("prices", "image_prices")
# Never taken from a price list for a model the catalog already has.
IDENTITY = (("provider",), ("type",))
BY_HAND = "set_by_hand"
# Lists of names whose order means nothing: the same names in another order are no change.
UNORDERED = frozenset(
    {"aliases", "snapshots", "input_modalities", "output_modalities", "capabilities", "endpoints"}
)
_MISSING: Any = object()

NOT_FREE = "the source does not mark the model free"
PRICED = "the catalog prices it"
# A price this many times the catalog's, or this many times smaller, is a slip of unit (per token
# read as per 1K, per image as per 1M tokens), not a price change: refused as suspicious too.
JUMP = Decimal(10)
UPDATE_ONLY = "not in the catalog (--update-only)"
ONLY_NEW = "already in the catalog (--only-new)"
RESELLER = "sold by a reseller, not by its maker (--exclude-resellers)"
ALSO_EARLIER = "also imported from an earlier provider of --providers"

# LiteLLM providers that are a maker's own API (the maker sells the model directly). Every other
# LiteLLM provider is a reseller: clouds and gateways selling other makers' models (azure,
# azure_ai, vertex_ai and vertex_ai-*, openrouter, together_ai, fireworks_ai, groq, ...).
LITELLM_MAKER_APIS = frozenset(
    {
        "ai21",
        "amazon_nova",
        "anthropic",
        "assemblyai",
        "black_forest_labs",
        "codestral",
        "cohere",
        "cohere_chat",
        "dashscope",
        "deepgram",
        "deepseek",
        "elevenlabs",
        "gemini",
        "inception",
        "jina_ai",
        "meta_llama",
        "minimax",
        "mistral",
        "moonshot",
        "openai",
        "perplexity",
        "recraft",
        "runwayml",
        "stability",
        "text-completion-codestral",
        "text-completion-inception",
        "text-completion-openai",
        "voyage",
        "xai",
        "xiaomi_mimo",
        "zai",
    }
)
# Amazon Bedrock sells Amazon's own models (amazon.nova-*, amazon.titan-*, also with a region
# prefix: us.amazon.nova-pro-v1:0) besides other makers' models.
LITELLM_BEDROCK = frozenset({"bedrock", "bedrock_converse"})
_AMAZON_NAME = re.compile(r"^(?:[a-z]+(?:-[a-z]+)*\.)?amazon\.", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Change:
    """One field an import writes: its value in effect before (None: none) and after."""

    model: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class Refusal:
    """A suspicious value not written: a 0 price the catalog or the source contradicts."""

    model: str
    field: str
    value: Any
    reason: str
    catalog: Any = None  # the price above 0 a layer gives, when that is the reason
    detail: str = ""  # said after the catalog's price: "(this is 1000 times that)"


@dataclass(frozen=True, slots=True)
class Kept:
    """A value set by hand that the import left as it was."""

    model: str
    field: str
    value: Any  # the value in effect, kept
    source: Any  # what the source says


@dataclass
class RefreshReport:
    """What an import did (or, dry run, would do), model by model and field by field.

    Every incoming model is in exactly one of added, updated, unchanged, not_added, skipped."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_added: list[str] = field(default_factory=list)  # new models whose every price was refused
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)
    changes: list[Change] = field(default_factory=list)  # fields of updated models
    refused: list[Refusal] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the import altered the document."""
        return bool(self.added or self.updated)


@dataclass(frozen=True)
class Rules:
    """How an import treats the catalog: the options of `catalog import`."""

    update_only: bool = False  # only models the catalog in effect already has
    only_new: bool = False  # only models the catalog in effect does not have
    overwrite: bool = False  # hand-set values are replaced too
    source: str = ""  # the --from format, for source_marks_free


# ------------------------------------------------------------------ what the source says


def source_marks_free(fmt: str, model_id: str, table: Mapping[str, Any]) -> bool:
    """Whether the data set says the model is sold free, so that its 0 prices are real.

    - every format: a name ending in `:free` or `-free` (OpenRouter's and gateways' free
      variants, `openrouter/...:free`, `aihubmix/coding-glm-5.1-free`);
    - genai-prices: any 0 it gives, since it leaves out the prices it does not know;
    - LiteLLM and models.dev write 0 for "unknown" and for plans billed otherwise (LiteLLM's
      placeholder records, models.dev's subscription "coding plans"): their 0 alone marks nothing.
    """
    name = model_id.rsplit("/", 1)[-1].casefold()
    if name.endswith((":free", "-free")):
        return True
    return fmt == "genai-prices"


def sold_by_maker(fmt: str, model_id: str, table: Mapping[str, Any]) -> bool:
    """Whether the record is the maker's own offer, not a reseller's (LiteLLM only).

    LiteLLM names each record by its seller (`litellm_provider`, the `provider/` prefix of its
    key). A record is the maker's when that seller is a maker's own API (LITELLM_MAKER_APIS), or
    Amazon Bedrock selling an `amazon.` model."""
    provider = str(table.get("provider", ""))
    if provider in LITELLM_MAKER_APIS:
        return True
    return provider in LITELLM_BEDROCK and bool(_AMAZON_NAME.match(model_id.rsplit("/", 1)[-1]))


def convert(
    fmt: str, path: str | os.PathLike[str], providers: Sequence[str], *, as_of: Any
) -> ImportResult:
    """Read and convert a data file once per provider asked (all of them when none is).

    A model id a later provider converts again is skipped: the first provider named wins."""
    from aicompare.importers import import_file, importer

    if len(providers) <= 1:
        return import_file(fmt, path, provider=providers[0] if providers else None, as_of=as_of)
    module = importer(fmt)
    reader = getattr(module, "read", None)
    if reader is None:
        from aicompare.importers._common import read_json

        reader = read_json
    data = reader(path)
    models: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    skipped: list[Skip] = []
    notes: list[Note] = []
    for provider in providers:
        part = module.convert(data, source=str(path), provider=provider, as_of=as_of)
        for model_id, table in part.models.items():
            if model_id.casefold() in seen:
                skipped.append(Skip(model_id, f"{ALSO_EARLIER} ({provider})", ALSO_EARLIER))
                continue
            seen.add(model_id.casefold())
            models[model_id] = table
        skipped.extend(part.skipped)
        notes.extend(part.notes)
    return ImportResult(
        models={key: models[key] for key in sorted(models)},
        skipped=sorted(set(skipped)),
        notes=sorted(set(notes)),
    )


def drop_resellers(
    fmt: str, models: Mapping[str, dict[str, Any]]
) -> tuple[dict[str, dict[str, Any]], list[Skip]]:
    """The models their maker sells; the others as skips."""
    kept: dict[str, dict[str, Any]] = {}
    skipped: list[Skip] = []
    for model_id, table in models.items():
        if sold_by_maker(fmt, model_id, table):
            kept[model_id] = table
        else:
            seller = table.get("provider", "?")
            skipped.append(Skip(model_id, f"{RESELLER}: {seller}", RESELLER))
    return kept, skipped


# ------------------------------------------------------------------ the layers


def other_layers(layer_paths: Iterable[str], target: Path) -> list[str]:
    """The layers in effect but the target file itself (compared by the file they name)."""
    mine = os.path.realpath(target)
    return [p for p in layer_paths if os.path.realpath(p) != mine]


def models_of(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The models table of a parsed layer ({} when it has none usable)."""
    models = doc.get("models")
    return models if isinstance(models, dict) else {}


class _Layer:
    """One layer's models, found by id in any case."""

    def __init__(self, models: Mapping[str, Any]) -> None:
        self.models = models
        self.folded = {key.casefold(): key for key in models}

    def key(self, model_id: str) -> str | None:
        return self.folded.get(model_id.casefold())

    def table(self, model_id: str) -> dict[str, Any] | None:
        key = self.key(model_id)
        table = self.models.get(key) if key is not None else None
        return table if isinstance(table, dict) else None


# ------------------------------------------------------------------ tables as dotted fields


def _leaves(table: Mapping[str, Any], prefix: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every value that is not a table, with its path; tables merge, anything else replaces."""
    for key, value in table.items():
        where = (*prefix, key)
        if isinstance(value, Mapping) and value:
            yield from _leaves(value, where)
        else:
            yield where, value


def _get(table: Mapping[str, Any] | None, path: Path_) -> Any:
    node: Any = table
    for part in path:
        if not isinstance(node, Mapping) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _put(table: dict[str, Any], path: Path_, value: Any) -> None:
    node = table
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[path[-1]] = value


def _merged(tables: Iterable[Mapping[str, Any] | None]) -> dict[str, Any]:
    """Layers of one model merged as the loader merges them (lowest first)."""
    out: dict[str, Any] = {}
    for table in tables:
        if table:
            for path, value in _leaves(table):
                _put(out, path, value)
    return out


def _number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _prices_in(value: Any) -> list[Any]:
    """The prices a field holds: itself, or the prices of a list of tier rows."""
    if isinstance(value, list):
        return [
            v
            for row in value
            if isinstance(row, Mapping)
            for k, v in row.items()
            if k != "above_input_tokens" and _number(v)
        ]
    return [value] if _number(value) else []


def _zero(value: Any) -> bool:
    return any(v == 0 for v in _prices_in(value))


def _positive(value: Any) -> bool:
    return value is not _MISSING and any(v > 0 for v in _prices_in(value))


def _jump(old: Any, new: Any) -> str:
    """ "(this is 1000 times that)" when `new` is JUMP times `old` or more, or JUMP times less;
    "" otherwise (and for anything but two prices above 0)."""
    if not (_number(old) and _number(new) and old > 0 and new > 0):
        return ""
    if new >= old * JUMP:
        return f"(this is {_times(Decimal(new) / Decimal(old))} times that)"
    if new * JUMP <= old:
        return f"(this is 1/{_times(Decimal(old) / Decimal(new))} of that)"
    return ""


def _times(ratio: Decimal) -> str:
    """A ratio for a sentence: whole when it is or when it is 100 or more, else to 3 significant
    figures (12.5, 1000)."""
    whole = ratio.to_integral_value()
    return str(int(whole)) if whole == ratio or ratio >= 100 else f"{ratio:.3g}"


def _same(a: Any, b: Any, path: Path_ = ()) -> bool:
    """Equal values (2.5 and 2.50 are the same price; lists of names in any order); a bool is
    not a number."""
    if path and path[-1] in UNORDERED and isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if _number(a) and _number(b):
        return bool(a == b)
    return type(a) is type(b) and bool(a == b)


def _hand_set(tables: Iterable[Mapping[str, Any] | None]) -> list[Path_]:
    """The dotted fields any layer records as set by hand."""
    out: list[Path_] = []
    for table in tables:
        marked = table.get(BY_HAND) if table else None
        if isinstance(marked, list):
            out += [tuple(m.split(".")) for m in marked if isinstance(m, str) and m]
    return out


def _protected(path: Path_, hand: Sequence[Path_]) -> bool:
    """A field set by hand, or inside (or holding) one: a whole list or table replaces it."""
    return any(path[: len(h)] == h or h[: len(path)] == path for h in hand)


# ------------------------------------------------------------------ the plan


def refresh(
    doc: dict[str, Any],
    incoming: Mapping[str, Any],
    others: Sequence[Mapping[str, Any]],
    rules: Rules,
) -> RefreshReport:
    """Merge `incoming` model tables into the layer `doc`, in place, as the module docstring says.

    `others`: the models tables of the other layers in effect, lowest first."""
    from aicompare.store import coerce, models_table

    incoming = {model_id: coerce(table) for model_id, table in incoming.items()}
    ours = models_table(doc)
    target = _Layer(ours)
    below = [_Layer(models) for models in others]
    report = RefreshReport()
    for model_id, table in incoming.items():
        if not isinstance(table, Mapping):
            report.skipped.append((model_id, "not a table"))
            continue
        key = target.key(model_id)
        if key is not None and not isinstance(ours[key], dict):
            report.skipped.append((key, "the file's entry is not a table"))
            continue
        lower = [layer.table(model_id) for layer in below]
        exists = key is not None or any(t is not None for t in lower)
        if rules.only_new and exists:
            report.skipped.append((key or model_id, ONLY_NEW))
            continue
        if rules.update_only and not exists:
            report.skipped.append((model_id, UPDATE_ONLY))
            continue
        mine = ours[key] if key is not None else None
        layers = [*lower, mine]
        _plan_model(report, ours, _catalog_id(model_id, key, below), table, layers, exists, rules)
    return report


def _catalog_id(model_id: str, key: str | None, below: Sequence[_Layer]) -> str:
    """The spelling to write: the file's, else the lowest layer's (the loader merges exact ids)."""
    if key is not None:
        return key
    return next((k for layer in below if (k := layer.key(model_id)) is not None), model_id)


def _plan_model(
    report: RefreshReport,
    ours: dict[str, Any],
    model_id: str,
    table: Mapping[str, Any],
    layers: Sequence[Mapping[str, Any] | None],
    exists: bool,
    rules: Rules,
) -> None:
    current = _merged(layers)
    hand = _hand_set(layers)
    free = source_marks_free(rules.source, model_id, table)
    changes: list[Change] = []
    writes: list[tuple[Path_, Any]] = []
    refused: list[Refusal] = []
    kept: list[Kept] = []
    overwritten: list[Path_] = []  # hand-set fields replaced (--overwrite): no longer by hand
    prices = 0
    for path, value in _leaves(table):
        if path[0] == BY_HAND or path == ("as_of",) or (exists and path in IDENTITY):
            continue
        dotted = ".".join(path)
        now = _get(current, path)
        if path[0] in PRICE_TABLES:
            prices += 1
            if _zero(value) and not _same(now, value, path):
                priced = next(
                    (v for t in reversed(layers) if _positive(v := _get(t, path))), _MISSING
                )
                if priced is not _MISSING:
                    refused.append(Refusal(model_id, dotted, value, PRICED, priced))
                    continue
                if not free:
                    refused.append(Refusal(model_id, dotted, value, NOT_FREE))
                    continue
            jump = _jump(now, value)
            if jump:
                refused.append(Refusal(model_id, dotted, value, PRICED, now, jump))
                continue
        if _same(now, value, path):
            continue
        if _protected(path, hand):
            if not rules.overwrite:
                kept.append(Kept(model_id, dotted, now, value))
                continue
            overwritten.append(path)
        writes.append((path, value))
        changes.append(Change(model_id, dotted, None if now is _MISSING else now, value))
    report.refused += refused
    report.kept += kept
    if not exists:
        if prices and len(refused) == prices:
            report.not_added.append(model_id)
            return
        dropped = {r.field for r in refused}
        new: dict[str, Any] = {}
        for path, value in _leaves(table):
            if path[0] != BY_HAND and ".".join(path) not in dropped:
                _put(new, path, value)
        ours[model_id] = new
        report.added.append(model_id)
        return
    if not writes:
        report.unchanged.append(model_id)
        return
    mine = ours.setdefault(model_id, {})
    for path, value in writes:
        _put(mine, path, value)
    marked = mine.get(BY_HAND)
    if overwritten and isinstance(marked, list):
        left = [m for m in marked if not _protected(tuple(str(m).split(".")), overwritten)]
        if left:
            mine[BY_HAND] = left
        else:
            del mine[BY_HAND]
    if "as_of" in table:
        mine["as_of"] = table["as_of"]
    report.updated.append(model_id)
    report.changes += changes
