"""Find, parse (tomllib, parse_float=Decimal), merge and validate the catalog layers."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from aicompare.catalog import Catalog, Layer, dated_ids
from aicompare.errors import CatalogError
from aicompare.model import Model

if TYPE_CHECKING:
    from aicompare.schema import Problems
    from aicompare.tasks import Task

ENV_CATALOG = "AICOMPARE_CATALOG"
# Replaces the bundled catalog (tests, packagers); not a user-facing layer.
ENV_BASE = "AICOMPARE_BASE_CATALOG"

# Patterns are compiled where they are used (re caches them): a run served from the cache never
# parses, so it should not pay for them (nor import the schema) at start-up.
_TOML_POS = r"\s*\(at line (\d+), column (\d+)\)$"


def bundled_path() -> Path:
    """The bundled catalog: inside the installed package, else the source checkout's data/."""
    override = os.environ.get(ENV_BASE)
    if override:
        return Path(override)
    packaged = Path(__file__).with_name("data") / "models.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "models.toml"


def user_path() -> Path:
    """The user's own layer in the platform config directory (~/.config/aicompare on Linux)."""
    from aicompare.paths import config_dir

    return config_dir() / "models.toml"


def layer_list(extra: Sequence[str] = (), *, include_user: bool = True) -> list[Layer]:
    """Layers in effect, lowest first: bundled, user file, AICOMPARE_CATALOG, --catalog."""
    # os.path.isfile, unlike Path.is_file, answers False for a name the OS refuses (too long)
    bundled = str(bundled_path())
    layers = [Layer("bundled", bundled, os.path.isfile(bundled))]
    if include_user:
        user = str(user_path())
        # a user file that is there but is not a regular file (a FIFO, a directory) counts as
        # present, so that it is reported rather than skipped like a missing optional layer
        layers.append(Layer("user", user, os.path.isfile(user) or _present(user)))
    env = os.environ.get(ENV_CATALOG, "")
    for item in filter(None, env.split(os.pathsep)):
        layers.append(Layer("env", item, os.path.isfile(item)))
    for item in extra:
        layers.append(Layer("option", item, os.path.isfile(item)))
    return layers


def _present(path: str) -> bool:
    """Whether anything at all (links followed) is at `path`."""
    try:
        os.stat(path)
    except (OSError, ValueError):
        return False
    return True


def missing_reason(path: str) -> str:
    """Why a layer file cannot be used: 'no such file', 'is a directory, not a regular file', ..."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return exc.strerror or str(exc)
    from aicompare.textfile import kind_of

    kind = kind_of(mode)
    return "not a regular file" if kind is None else f"is {kind}, not a regular file"


def read_document(path: str | os.PathLike[str]) -> tuple[dict[str, Any], str]:
    """Parse one TOML file exactly; any failure is a CatalogError naming path:line:col."""
    from aicompare.textfile import read_text

    shown = str(path)
    text = read_text(path, "a catalog file")
    import tomllib  # only when the cache misses

    try:
        doc = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(_TOML_POS, message)
        if match:
            where = f"{shown}:{match.group(1)}:{match.group(2)}"
            message = message[: match.start()]
        elif message.endswith(_AT_END):
            lines = text.split("\n")
            where = f"{shown}:{len(lines)}:{len(lines[-1]) + 1}"
            message = message.removesuffix(_AT_END)
        else:
            where = shown
        raise CatalogError(
            [f"{where}: {message}"], "fix the TOML syntax at that position"
        ) from None
    except RecursionError:
        line, col = _deep_position(text)
        raise CatalogError([f"{shown}:{line}:{col}: nesting too deep to be a catalog"]) from None
    except (ValueError, ArithmeticError):
        # an integer beyond Python's digit limit, or an exponent beyond Decimal's range
        match = re.search(_HUGE_NUMBER, text)
        where = shown
        if match:
            line = text.count("\n", 0, match.start()) + 1
            col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            where = f"{shown}:{line}:{col}"
        raise CatalogError(
            [f"{where}: a number too large to be a price or a token count"]
        ) from None
    return doc, text


_AT_END = " (at end of document)"
_HUGE_NUMBER = r"[0-9_]{4300,}|[eE][+-]?[0-9_]{7,}"
_NESTING_LIMIT = 100


def _deep_position(text: str) -> tuple[int, int]:
    """Line and column where brackets first nest deeper than any catalog needs."""
    depth = 0
    line, col = 1, 0
    for char in text:
        col += 1
        if char == "\n":
            line, col = line + 1, 0
        elif char in "[{":
            depth += 1
            if depth > _NESTING_LIMIT:
                return line, col
        elif char in "]}":
            depth -= 1
    return line, max(col, 1)


class _LineFinder:
    """Maps a key path to a line of a file, for messages; only runs when there is a problem."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def find(self, model_id: str | None, leaf: str) -> int | None:
        if model_id is None:
            key = re.compile(
                rf"^\s*[\"']?{re.escape(leaf)}[\"']?\s*=|^\s*\[+\s*{re.escape(leaf)}\b"
            )
            return next((i + 1 for i, line in enumerate(self.lines) if key.search(line)), None)
        header = re.compile(rf"^\s*\[+\s*models\s*\.\s*[\"']?{re.escape(model_id)}[\"']?\s*[\].]")
        any_header = re.compile(r"^\s*\[")
        key = re.compile(rf"(^|[{{,])\s*[\"']?{re.escape(leaf)}[\"']?\s*=")
        tail = re.compile(rf"\.\s*[\"']?{re.escape(leaf)}[\"']?\s*\]")
        first: int | None = None
        inside = False
        for i, line in enumerate(self.lines):
            if any_header.match(line):
                inside = bool(header.match(line))
                if inside:
                    first = first or i + 1
                    if tail.search(line):
                        return i + 1
                continue
            if inside and key.search(line):
                return i + 1
        return first


def _split(path: str, model_ids: Iterable[str]) -> tuple[str | None, str]:
    """'models.gpt-4.1-mini.prices.input' -> ('gpt-4.1-mini', 'input')."""
    if not path.startswith("models."):
        return None, path.split(".")[0]
    rest = path[len("models.") :]
    if rest[:1] in ("'", '"'):  # an unusable id, shown quoted (schema.build_model)
        quoted = next(
            (m for m in model_ids if rest == repr(m) or rest.startswith(repr(m) + ".")), None
        )
        if quoted is not None:
            inner = rest[len(repr(quoted)) + 1 :]
            return quoted, re.sub(r"\[\d+\]$", "", inner.rsplit(".", 1)[-1]) if inner else quoted
    best = max(
        (m for m in model_ids if rest == m or rest.startswith(m + ".")), key=len, default=None
    )
    if best is None:
        return None, rest
    leaf = rest[len(best) + 1 :].rsplit(".", 1)[-1] if rest != best else best
    leaf = re.sub(r"\[\d+\]$", "", leaf)
    return best, leaf


def _merge(
    base: dict[str, Any], over: Mapping[str, Any], prefix: str, origins: dict[str, str], layer: str
) -> None:
    """Field-by-field override: tables merge recursively, anything else replaces.

    `origins` maps the model-relative dotted path of every replaced value to its layer.
    """
    for key, value in over.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged = dict(base[key])
            if path == "lifecycle" and "superseded_by" in value and "note" not in value:
                # the lower layers' note spoke of their successor, or said none is named
                merged.pop("note", None)
            _merge(merged, value, path, origins, layer)
            base[key] = merged
        else:
            base[key] = value
            origins[path] = layer


def load_catalog(extra: Sequence[str] = (), *, include_user: bool = True) -> Catalog:
    """Load and validate every layer in effect; all problems are raised together.

    A cache (the cache package) makes repeated runs skip parsing; keyed on every layer's stat.
    """
    from aicompare import cache

    layers = tuple(layer_list(extra, include_user=include_user))
    bundled = layers[0]
    if not bundled.exists:
        if _present(bundled.path):  # AICOMPARE_BASE_CATALOG naming a FIFO, a directory, ...
            raise CatalogError(
                [f"{bundled.path}: {missing_reason(bundled.path)}"],
                f"{ENV_BASE} must name a catalog file",
            )
        raise CatalogError(
            [f"{bundled.path}: the bundled catalog is missing"], "reinstall aicompare"
        )
    # Every layer is a regular file before the cache (which stats them) is asked: a FIFO, a
    # directory or a device is an error naming it; only a user file that is not there is skipped.
    special = [
        layer
        for layer in layers[1:]
        if layer.kind == "user" and layer.exists and not os.path.isfile(layer.path)
    ]
    if special:
        raise CatalogError(
            [f"{m.path}: {missing_reason(m.path)}" for m in special],
            "your layer must be a regular file: replace or remove it "
            "(aicompare catalog path lists the layers)",
        )
    missing = [layer for layer in layers[1:] if not layer.exists and layer.kind != "user"]
    if missing:
        raise CatalogError(
            [f"{m.path}: {missing_reason(m.path)}" for m in missing],
            "check the --catalog path and AICOMPARE_CATALOG",
        )
    use_cache = cache.enabled()
    if use_cache:
        cached = cache.read(layers)
        if cached is not None:
            return cached
        sig = cache.signature(layers)  # taken before reading: see cache.write
    documents: list[tuple[Layer, dict[str, Any], str]] = []
    for layer in layers:
        if layer.exists:
            doc, text = read_document(layer.path)
            documents.append((layer, doc, text))
    catalog = build_catalog(documents, layers)
    if use_cache:
        cache.write(catalog, sig)
    return catalog


def build_catalog(
    documents: Sequence[tuple[Layer, dict[str, Any], str]], layers: tuple[Layer, ...] = ()
) -> Catalog:
    """Merge parsed layers (lowest first), validate, and index them."""
    from aicompare.schema import (
        Problems,
        build_model,
        build_providers,
        check_succession,
        check_top_level,
    )

    raw_models: dict[str, dict[str, Any]] = {}
    raw_providers: dict[str, Any] = {}
    tasks: dict[str, Any] = {}
    # model id -> {model-relative dotted path ("*" for the whole model) -> layer path}, for every
    # value that is not from the lowest layer
    origins: dict[str, dict[str, str]] = {}
    owner: dict[str, str] = {}  # model id -> layer that first defined it
    section_owner: dict[str, str] = {}  # "providers.<id>" / "tasks.<id>" -> layer that set it last
    texts = {layer.path: text for layer, _, text in documents}
    top_problems: list[str] = []
    for index, (layer, doc, _) in enumerate(documents):
        probs = Problems(partial(_top_level_place, layer.path, texts[layer.path]))
        check_top_level(doc, probs)
        top_problems.extend(probs.items)
        layer_models = doc.get("models", {})
        if not isinstance(layer_models, dict):
            continue
        for model_id, table in layer_models.items():
            if (
                model_id in raw_models
                and isinstance(table, dict)
                and isinstance(raw_models[model_id], dict)
            ):
                merged = dict(raw_models[model_id])
                _merge(
                    merged, table, "", origins.setdefault(model_id, {}) if index else {}, layer.path
                )
                raw_models[model_id] = merged
            else:
                raw_models[model_id] = table
                owner[model_id] = layer.path
                if index:
                    origins[model_id] = {"*": layer.path}
        if isinstance(doc.get("providers"), dict):
            for pid, table in doc["providers"].items():
                raw_providers[pid] = table
                section_owner[f"providers.{pid}"] = layer.path
        if isinstance(doc.get("tasks"), dict):
            tasks.update(doc["tasks"])
            section_owner.update({f"tasks.{tid}": layer.path for tid in doc["tasks"]})
    if top_problems:
        raise CatalogError(top_problems, "fix these lines; see docs/catalog.md")

    finders: dict[str, _LineFinder] = {}

    def locate(path: str) -> tuple[str, int | None]:
        model_id, leaf = _split(path, raw_models)
        if model_id is None:
            layer_path = section_owner.get(".".join(path.split(".")[:2]), "")
        else:
            layer_path = _origin_of(path, model_id, origins) or owner.get(model_id, "")
        layer_path = layer_path or documents[0][0].path
        finder = finders.setdefault(layer_path, _LineFinder(texts.get(layer_path, "")))
        return layer_path, finder.find(model_id, leaf)

    problems = Problems(locate)
    models: dict[str, Model] = {}
    for model_id, table in raw_models.items():
        mine = tuple(sorted(origins.get(model_id, {}).items()))
        model = build_model(model_id, table, problems, mine)
        if model is not None:
            models[model_id] = model
    providers = build_providers(raw_providers, problems)
    built_tasks: dict[str, Task] = {}
    if tasks:
        from aicompare.tasks import build_tasks

        built_tasks = build_tasks(tasks, problems, set(raw_models))
    _check_names(raw_models, problems)
    catalog = Catalog(models, providers, built_tasks, layers, dated=dated_ids(models))
    # successors resolve through the catalog's names; `models` is updated in place
    check_succession(
        models, raw_models, catalog.candidates, problems, [layer.path for layer, _, _ in documents]
    )
    if len(problems):
        raise CatalogError(problems.items, "fix these entries; see docs/catalog.md")
    return catalog


def _top_level_place(layer_path: str, text: str, path: str) -> tuple[str, int | None]:
    return layer_path, _LineFinder(text).find(None, path)


def _origin_of(path: str, model_id: str, origins: Mapping[str, Mapping[str, str]]) -> str | None:
    """The layer that set `models.<id>.<field...>`, walking up to the deepest set table."""
    mine = origins.get(model_id, {})
    probe = re.sub(r"\[\d+\]", "", path[len(f"models.{model_id}") :].lstrip("."))
    while probe:
        if probe in mine:
            return mine[probe]
        if "." not in probe:
            break
        probe = probe.rsplit(".", 1)[0]
    return mine.get("*")


def _check_names(raw_models: Mapping[str, Any], problems: Problems) -> None:
    """Ids, aliases and snapshots are unique across models, case-insensitively (even invalid ones)."""
    seen: dict[str, str] = {}
    for model_id, table in raw_models.items():
        names: list[tuple[str, str]] = [("id", model_id)]
        if isinstance(table, dict):
            for kind in ("aliases", "snapshots"):
                value = table.get(kind)
                if isinstance(value, list):
                    names += [(kind, v) for v in value if isinstance(v, str)]
        for kind, name in names:
            key = name.casefold()
            other = seen.get(key)
            if other is not None and other != model_id:
                path = f"models.{model_id}" + ("" if kind == "id" else f".{kind}")
                problems.add(path, f"duplicate name {name!r}: already used by {other!r}")
            else:
                seen[key] = model_id


class Validation(NamedTuple):
    """What `catalog validate` found: the layers read, the models they make, every problem."""

    layers: tuple[str, ...]
    models: int  # 0 when there are problems
    problems: list[str]


def validate(paths: Sequence[str | os.PathLike[str]] = (), extra: Sequence[str] = ()) -> Validation:
    """Validate `paths` as layers over the bundled catalog (alone, when one of them is the bundled
    file); without paths, every layer in effect (`extra`: --catalog), but a user file that is
    not there. Every problem of every layer is collected; nothing is raised."""
    if paths:
        bundled = bundled_path()
        # os.path.isfile, not Path.is_file: a name the OS refuses (too long) is "no file" here,
        # and reading it then reports the error like any other unreadable path
        chosen = [Layer("option", str(p), os.path.isfile(p)) for p in paths]
        same = any(os.path.isfile(p) and Path(p).resolve() == bundled.resolve() for p in paths)
        layers = chosen if same else [Layer("bundled", str(bundled), bundled.is_file()), *chosen]
    else:
        layers = [layer for layer in layer_list(extra) if layer.exists or layer.kind != "user"]
    return validate_layers(layers)


def validate_layers(layers: Sequence[Layer]) -> Validation:
    """Read every layer (all unreadable ones are reported), then, if all were read, validate
    them as one catalog, lowest first."""
    problems: list[str] = []
    documents = []
    for layer in layers:
        try:
            doc, text = read_document(layer.path)
        except CatalogError as exc:
            problems.extend(exc.problems)
            continue
        documents.append((layer, doc, text))
    count = 0
    if not problems:
        try:
            count = len(build_catalog(documents, tuple(layers)))
        except CatalogError as exc:
            problems.extend(exc.problems)
    return Validation(tuple(layer.path for layer in layers), count, problems)
