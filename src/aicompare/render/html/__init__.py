"""HTML pages: a command's JSON document (the dict `--json` prints) as one self-contained page.

The page is made from the document and nothing else, so the two never disagree. Jinja2 renders
the templates (templates/, autoescape on for every template, undefined names an error) and pygal
draws the charts as inline SVG (charts.py); both are imported here only, for `--format html`.
Every string of the catalog or of the user's files reaches the page through autoescaping or
markupsafe.escape: a model named `<script>` is text. The page loads nothing: inline CSS, inline
SVG, no script, and a Content-Security-Policy meta tag that forbids everything else.

A page per command: PAGES maps the document's `command` to its template and the function that
turns the document into the template's context; the reprice page's is in spend.py.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from aicompare.errors import AicompareError
from aicompare.render.html.charts import Bar, Chart, bar_chart, colour

Document = dict[str, Any]
# default-src 'none' blocks scripts, frames, fonts, fetches; inline styles and data: images only
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
MISSING = "—"
PRICE_TIERS = ("standard", "batch", "flex", "priority", "off_peak")


def page(doc: Document, encoding: str | None = None) -> str:
    """The document as an HTML page. encoding: the output's (None: UTF-8); characters it lacks
    are written as character references, which every part of the page reads as the same text."""
    try:
        import jinja2
    except ImportError:  # the html extra is not installed
        raise AicompareError(
            "--format html needs the html extra (Jinja2 and pygal)",
            "install it: pip install 'aicompare[html]' (or pipx inject aicompare jinja2 pygal)",
        ) from None
    template_name, context = PAGES[doc["command"]]
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("aicompare.render.html", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = money
    env.filters["number"] = number
    env.filters["signed"] = signed
    text = env.get_template(template_name).render(doc=doc, csp=CSP, **context(doc))
    if encoding and encoding.replace("_", "-").lower() not in ("utf-8", "utf8"):
        text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return text


# ---------------------------------------------------------------- figures as text


def money(value: object) -> str:
    """An exact decimal string as dollars: '$1.10', '$0.9375', '$1,200.00'; None: a dash.

    At least two decimal places, never fewer digits than the document has: the figure is the
    document's, only written for a reader."""
    if value is None:
        return MISSING
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        amount = amount.quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,f}"


def signed(value: object) -> str:
    """A difference as money with its sign: '+$8.59', '-$3.08', '$0.00'."""
    if value is None:
        return MISSING
    return ("+" if Decimal(str(value)) > 0 else "") + money(value)


def number(value: object) -> str:
    """A count with thousands separators; a list joined; None: a dash."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(number(v) for v in value) or MISSING
    return str(value)


def words(key: str) -> str:
    """A document key as words: 'cached_input' -> 'cached input'."""
    return key.replace("_", " ")


# ---------------------------------------------------------------- diff and show


def _cell(field: str, value: object) -> str:
    if field.startswith(("prices.", "image_prices.")) and isinstance(value, str):
        return money(value)
    return number(value)


def _grid_key(field: str) -> tuple[str, str] | None:
    """('medium', '1024x1024') for a diff row of the per-image grid, else None."""
    parts = field.split(".")
    return (parts[1], parts[2]) if len(parts) == 3 and parts[0] == "image_prices" else None


def _sections(doc: Document) -> list[dict[str, Any]]:
    """The diff's rows grouped by section, each cell as text with whether it is the better;
    the capabilities and the per-image grid have sections of their own on the page."""
    sections: list[dict[str, Any]] = []
    ids = [m["id"] for m in doc["models"]]
    for row in doc["rows"]:
        if row["field"].startswith("capabilities.") or _grid_key(row["field"]):
            continue
        if not sections or sections[-1]["name"] != row["section"]:
            sections.append({"name": row["section"], "rows": []})
        cells = [
            {"text": _cell(row["field"], value), "better": model_id in row["better"]}
            for model_id, value in zip(ids, row["values"])
        ]
        sections[-1]["rows"].append({"label": row["label"], "cells": cells})
    return sections


def _image_grid(models: list[Document], rows: list[Document] | None = None) -> list[dict[str, Any]]:
    """Per-image prices: one row per quality and size any model has, a cell per model; with the
    diff's rows, the better price of each is marked as in the side-by-side table."""
    better: dict[tuple[str, str], list[str]] = {}
    for row in rows or ():
        key = _grid_key(row["field"])
        if key:
            better[key] = row["better"]
    keys: list[tuple[str, str]] = []
    for model in models:
        for quality, sizes in model["image_prices"].items():
            for size in sizes:
                if (quality, size) not in keys:
                    keys.append((quality, size))
    return [
        {
            "quality": quality,
            "size": size,
            "cells": [
                {
                    "value": m["image_prices"].get(quality, {}).get(size),
                    "text": money(m["image_prices"].get(quality, {}).get(size)),
                    "better": m["id"] in better.get((quality, size), ()),
                }
                for m in models
            ],
        }
        for quality, size in keys
    ]


def _capabilities(models: list[Document]) -> list[dict[str, Any]]:
    names: list[str] = []
    for model in models:
        names.extend(c for c in model["capabilities"] if c not in names)
    return [
        {"name": words(name), "has": [name in m["capabilities"] for m in models]} for name in names
    ]


def _price_charts(models: list[Document], prefix: str) -> list[Chart]:
    """One chart per token price kind any model has (standard prices), then one of the
    per-image prices: each model a bar, side by side."""
    kinds: list[str] = []
    for model in models:
        kinds.extend(k for k in model["prices"]["standard"] if k not in kinds)

    def tint(index: int) -> str | None:
        return colour(index) if len(models) > 1 else None

    charts = []
    for n, kind in enumerate(kinds, 1):
        title = f"{words(kind)} (USD per 1M tokens)" if "per_" not in kind else words(kind)
        have = [(i, m) for i, m in enumerate(models) if kind in m["prices"]["standard"]]
        bars = [
            [
                Bar(
                    "price",
                    m["prices"]["standard"][kind],
                    money(m["prices"]["standard"][kind]),
                    tint(i),
                )
            ]
            for i, m in have
        ]
        charts.append(bar_chart(f"{prefix}{n}", title, [m["id"] for _, m in have], bars))
    grid = _image_grid(models)
    if grid:
        rows = [
            [
                Bar(m["id"], cell["value"], cell["text"], tint(i))
                if cell["value"] is not None
                else None
                for i, (m, cell) in enumerate(zip(models, g["cells"]))
            ]
            for g in grid
        ]
        labels = [f"{g['quality']} {g['size']}" for g in grid]
        charts.append(bar_chart(f"{prefix}img", "USD per image", labels, rows))
    return charts


def _tiers(model: Document) -> dict[str, Any]:
    """A model's token prices: one row per price kind, a column per tier it has."""
    prices = model["prices"]
    tiers = [t for t in PRICE_TIERS if prices[t]]
    kinds: list[str] = []
    for tier in tiers:
        kinds.extend(k for k in prices[tier] if k not in kinds)
    rows = [
        {"kind": words(kind), "cells": [money(prices[t].get(kind)) for t in tiers]}
        for kind in kinds
    ]
    return {"names": [words(t) for t in tiers], "rows": rows}


def diff_context(doc: Document) -> dict[str, Any]:
    models = doc["models"]
    return {
        "title": " vs ".join(m["id"] for m in models),
        "models": models,
        "sections": _sections(doc),
        "differences": [d["text"] for d in doc["differences"]],
        "image_grid": _image_grid(models, doc["rows"]),
        "capabilities": _capabilities(models),
        "charts": _price_charts(models, "price-"),
        "cost": (
            cost_parts(doc["cost"], {m["id"]: colour(i) for i, m in enumerate(models)})
            if "cost" in doc
            else None
        ),
    }


def show_context(doc: Document) -> dict[str, Any]:
    model = doc["model"]
    return {
        "title": model["id"],
        "model": model,
        "models": [model],
        "tiers": _tiers(model),
        "image_grid": _image_grid([model]),
        "charts": _price_charts([model], "price-"),
    }


# ---------------------------------------------------------------- cost


def verdict(doc: Document) -> list[str]:
    """The cost document in sentences: the cheapest, what each other model costs more, which
    cannot serve, and the lifecycle of the cheapest when it is not current."""
    period = doc["workload"]["period"]
    ranked = sorted((r for r in doc["results"] if r["total"] is not None), key=lambda r: r["rank"])
    said: list[str] = []
    if not ranked:
        said.append("None of these models can serve this workload.")
    else:
        top = ranked[0]
        said.append(
            f"For this workload, {top['model']} is the cheapest: {money(top['total'])} a {period}."
            if doc["baseline"] is None
            else f"Against the baseline {doc['baseline']}:"
        )
        for row in ranked[1:] if doc["baseline"] is None else ranked:
            if row["model"] == row["reference"] or row["delta"] is None:
                continue
            more = Decimal(row["delta"]) >= 0
            said.append(
                f"{row['model']} costs {money(row['total'])} a {period}, "
                f"{money(row['delta'].lstrip('-'))} ({row['delta_percent'].lstrip('-')}%) "
                f"{'more' if more else 'less'} than {row['reference']}."
            )
        for life in top["lifecycle"]:
            if life["status"] != "current":
                shut = f", shuts down {life['shutdown_date']}" if life["shutdown_date"] else ""
                after = (
                    f": consider its live successor {life['live_successor']}"
                    if life["live_successor"]
                    else ""
                )
                said.append(f"{life['model']} is {life['status']}{shut}{after}.")
    for row in doc["results"]:
        if row["total"] is None and row["cannot_serve"]:
            said.append(f"{row['model']} cannot serve it: {'; '.join(row['cannot_serve'])}.")
    return said


def cost_parts(doc: Document, colours: dict[str, str] | None = None) -> dict[str, Any]:
    """What the cost page shows of a cost document (and the diff page of its `cost`, where
    `colours` gives each model the colour it has on the page's other charts)."""
    results = doc["results"]
    ranked = [r for r in results if r["total"] is not None]
    tints = colours or {}
    bars = [[Bar("total", r["total"], money(r["total"]), tints.get(r["model"]))] for r in ranked]
    period = doc["workload"]["period"]
    charts = (
        [bar_chart("ranking", f"Total per {period} (USD)", [r["model"] for r in ranked], bars)]
        if ranked
        else []
    )
    notes: list[str] = []
    for result in results:
        notes.extend(f"{result['model']}: {note}" for note in result["notes"])
    omitted = doc["omitted"]
    if omitted["servable"]:
        notes.append(f"{omitted['servable']:,} more models can serve this workload (see --top).")
    if omitted["cannot_serve"]:
        notes.append(f"{omitted['cannot_serve']:,} models cannot serve this workload.")
    left = {k: n for k, n in omitted["left_out"].items() if n}
    if left:
        notes.append("Left out: " + ", ".join(f"{n:,} {words(k)}" for k, n in left.items()) + ".")
    quantities = [
        (words(key), number(value))
        for key, value in doc["workload"].items()
        if isinstance(value, int) and not isinstance(value, bool) and value
    ]
    return {
        "doc": doc,
        "period": period,
        "charts": charts,
        "verdict": verdict(doc),
        "quantities": quantities,
        "notes": notes,
    }


def cost_context(doc: Document) -> dict[str, Any]:
    return {
        "title": f"Cost of the workload per {doc['workload']['period']}",
        "cost": cost_parts(doc),
    }


def reprice_context(doc: Document) -> dict[str, Any]:
    from aicompare.render.html.spend import reprice_context as context

    return context(doc)


PAGES: dict[str, tuple[str, Callable[[Document], dict[str, Any]]]] = {
    "diff": ("diff.html.j2", diff_context),
    "show": ("show.html.j2", show_context),
    "cost": ("cost.html.j2", cost_context),
    "reprice": ("reprice.html.j2", reprice_context),
}
