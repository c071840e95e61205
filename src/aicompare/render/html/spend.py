"""The reprice page: a spend report made from `reprice --json` (render.reprice_views) alone.

A headline total first, with the rows it leaves out said beside it, then the breakdowns: spend
over time by model (stacked by day, or by month for a period longer than LONG_PERIOD days), by
model, by project, key or seller when the document is grouped by them, the what-if totals, the
migration budget, the reconciliation against recorded costs, the line items and the notes.

Every figure is the document's, or the exact sum of its groups' figures over one of the `by`
keys (a model's spend over the days, a month's over its days): Decimal sums of the decimal
strings, never floats. Every text of the usage log (models, sellers, projects, keys) reaches the
page through the template's autoescaping or through charts.svg_of.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from aicompare.render.html import Document, money, words
from aicompare.render.html.charts import Bar, Chart, bar_chart, colour, stacked_chart
from aicompare.render.reprice_views import KIND_WORDS

LONG_PERIOD = 62  # days: a longer period is charted by month
BREAKDOWNS = ("project", "key", "seller")
NONE_LABEL = {"project": "(no project)", "key": "(no key)", "seller": "(maker)"}


def _sum(values: list[str | None]) -> str | None:
    """The exact sum of decimal strings (None where none is a figure)."""
    found = [Decimal(v) for v in values if v is not None]
    return str(sum(found, Decimal(0))) if found else None


def time_key(doc: Document) -> str | None:
    """How the page charts time: 'month' for a document grouped by month or by day over a
    period longer than LONG_PERIOD days, 'day' for a shorter one, None without a time key."""
    by = doc["by"]
    if "month" in by:
        return "month"
    if "day" not in by:
        return None
    first, last = doc["period"]["from"], doc["period"]["to"]
    if first and last:
        days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days
        if days > LONG_PERIOD:
            return "month"
    return "day"


def _periods(doc: Document, unit: str) -> list[str]:
    """Every day or month of the document's period, in order (a gap is a period without
    spend, shown as such), then 'no time' where rows had none."""
    first, last = doc["period"]["from"], doc["period"]["to"]
    found: list[str] = []
    if first and last:
        start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        if unit == "day":
            found = [str(start + dt.timedelta(days=n)) for n in range((end - start).days + 1)]
        else:
            year, month = start.year, start.month
            while (year, month) <= (end.year, end.month):
                found.append(f"{year:04d}-{month:02d}")
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _period_of(group: Document, unit: str) -> str | None:
    value = group.get("day") if "day" in group else group.get("month")
    if value is None:
        return None
    return str(value)[:7] if unit == "month" else str(value)


def _models(doc: Document) -> list[dict[str, Any]]:
    """Per model: the sums of its groups (rows, requests, tokens, cost, unpriced rows), the
    costliest first, then the ones without a priced row."""
    found: dict[str, dict[str, Any]] = {}
    for group in doc["groups"]:
        name = group["model"]
        entry = found.setdefault(
            name,
            {
                "model": name,
                "rows": 0,
                "requests": 0,
                "costs": [],
                "unpriced_rows": 0,
                "tokens": dict.fromkeys(group["tokens"], 0),
            },
        )
        entry["rows"] += group["rows"]
        entry["requests"] += group["requests"]
        entry["unpriced_rows"] += group["unpriced_rows"]
        entry["costs"].append(group["cost"])
        for kind, count in group["tokens"].items():
            entry["tokens"][kind] = entry["tokens"].get(kind, 0) + count
    models = []
    for entry in found.values():
        entry["cost"] = _sum(entry.pop("costs"))
        models.append(entry)
    models.sort(key=lambda m: (m["cost"] is None, -Decimal(m["cost"] or 0), m["model"]))
    return models


def _breakdown(doc: Document, key: str, colours: dict[str, str]) -> dict[str, Any]:
    """Spend by one of project, key or seller: a row per value (the sums of its groups) and a
    bar chart of the priced ones."""
    found: dict[str | None, dict[str, Any]] = {}
    for group in doc["groups"]:
        value = group[key]
        entry = found.setdefault(value, {"rows": 0, "requests": 0, "costs": [], "unpriced": 0})
        entry["rows"] += group["rows"]
        entry["requests"] += group["requests"]
        entry["unpriced"] += group["unpriced_rows"]
        entry["costs"].append(group["cost"])
    rows = [
        {
            "name": NONE_LABEL[key] if value is None else value,
            "rows": entry["rows"],
            "requests": entry["requests"],
            "cost": _sum(entry["costs"]),
            "unpriced_rows": entry["unpriced"],
        }
        for value, entry in found.items()
    ]
    rows.sort(key=lambda r: (r["cost"] is None, -Decimal(r["cost"] or 0), r["name"]))
    priced = [r for r in rows if r["cost"] is not None]
    chart = (
        bar_chart(
            f"{key}-chart",
            f"Spend by {key} (USD)",
            [r["name"] for r in priced],
            [[Bar("spend", r["cost"], money(r["cost"]))] for r in priced],
        )
        if priced
        else None
    )
    return {"key": key, "rows": rows, "chart": chart}


def _time_chart(doc: Document, unit: str, colours: dict[str, str]) -> Chart | None:
    periods = _periods(doc, unit)
    costs: dict[tuple[str, str], list[str | None]] = {}
    models: list[str] = []
    for group in doc["groups"]:
        if group["cost"] is None:
            continue
        period = _period_of(group, unit) or "no time"
        if period not in periods:
            periods.append(period)
        costs.setdefault((period, group["model"]), []).append(group["cost"])
        if group["model"] not in models:
            models.append(group["model"])
    if not costs:
        return None
    models.sort(key=lambda m: list(colours).index(m) if m in colours else len(colours))
    series = []
    for model in models:
        bars: list[Bar | None] = []
        for period in periods:
            total = _sum(costs.get((period, model), []))
            bars.append(None if total is None else Bar(model, total, money(total), colours[model]))
        series.append((model, bars))
    title = f"Spend by {unit} and model (USD, priced rows)"
    return stacked_chart("time-chart", title, periods, series, "$")


def _what_if(doc: Document, colours: dict[str, str]) -> dict[str, Any] | None:
    items = doc["what_if"]
    if not items:
        return None
    labels = ["now, at list prices", *(f"on {w['model']}" for w in items)]
    bars = [[Bar("total", doc["total"], money(doc["total"]), "#6b7280")]]
    bars += [[Bar("total", w["total"], money(w["total"]), colours.get(w["model"]))] for w in items]
    if not all(row[0].color for row in bars):
        bars = [[Bar("total", row[0].value, row[0].label)] for row in bars]
    notes = [
        f"{w['model']}: cannot serve {c['rows']:,} {'row' if c['rows'] == 1 else 'rows'}: "
        f"{c['reason']}"
        for w in items
        for c in w["cannot_serve"]
    ]
    notes += [note for w in items for note in w["notes"]]
    return {
        "items": items,
        "chart": bar_chart("what-if-chart", "The same usage on other models (USD)", labels, bars),
        "notes": notes,
    }


def _migration(doc: Document) -> dict[str, Any] | None:
    if "migration" not in doc:
        return None
    today = dt.date.fromisoformat(doc["as_of"])
    items = []
    for m in doc["migration"]:
        shutdown = m["shutdown_date"]
        past = shutdown is not None and dt.date.fromisoformat(shutdown) <= today
        items.append({**m, "shut_words": "shut down" if past else "shuts down"})
    priced = [m for m in doc["migration"] if m["on_successor"] and m["on_successor"]["rows"]]
    chart = None
    if priced:
        rows = [
            [
                Bar("now", w["baseline"], money(w["baseline"])),
                Bar("successor", w["total"], money(w["total"])),
            ]
            for w in (m["on_successor"] for m in priced)
        ]
        labels = [m["model"] for m in priced]  # the successor is in the table: short labels
        chart = bar_chart(
            "migration-chart", "Forced upgrade: now and on the successor (USD)", labels, rows
        )
    return {"items": items, "chart": chart}


def _reconciliation(doc: Document) -> dict[str, Any] | None:
    if "recorded_total" not in doc:
        return None
    items = doc["reconciliation"]
    both = [r for r in items if r["list_price"] is not None]
    chart = None
    if both:
        rows = [
            [
                Bar("recorded", r["recorded"], money(r["recorded"])),
                Bar("list price", r["list_price"], money(r["list_price"])),
            ]
            for r in both
        ]
        labels = [r["model"] or "all models" for r in both]
        chart = bar_chart(
            "reconciliation-chart", "Recorded cost and list price (USD)", labels, rows
        )
    return {"items": items, "chart": chart}


def reprice_context(doc: Document) -> dict[str, Any]:
    first, last = doc["period"]["from"], doc["period"]["to"]
    period = (
        "no dated rows"
        if not first or not last
        else first
        if first == last
        else f"{first} to {last}"
    )
    has_model = "model" in doc["by"]
    models = _models(doc) if has_model else []
    names = [m["model"] for m in models]
    names += [w["model"] for w in doc["what_if"] if w["model"] not in names]
    colours = {name: colour(i) for i, name in enumerate(names)}
    priced = [m for m in models if m["cost"] is not None]
    model_chart = (
        bar_chart(
            "model-chart",
            "Spend by model (USD)",
            [m["model"] for m in priced],
            [[Bar("spend", m["cost"], money(m["cost"]), colours[m["model"]])] for m in priced],
        )
        if priced
        else None
    )
    unit = time_key(doc)
    time_chart = _time_chart(doc, unit, colours) if unit and has_model else None
    return {
        "title": f"AI spend report, {period}",
        "period": period,
        "excluded": doc["total_excludes_rows"],
        "unit": unit,
        "time_chart": time_chart,
        "models": models,
        "model_chart": model_chart,
        "breakdowns": [_breakdown(doc, key, colours) for key in BREAKDOWNS if key in doc["by"]],
        "what_if": _what_if(doc, colours),
        "migration": _migration(doc),
        "reconciliation": _reconciliation(doc),
        "items": [(KIND_WORDS.get(k, words(k)), v) for k, v in doc["items"].items()],
        # the by-model table: input and output always, cached input where there is any (the
        # table view's columns); the unpriced table: every volume its rows have
        "kinds": [
            k
            for k, n in doc["tokens"].items()
            if k in ("input", "output") or (k == "cached_input" and n)
        ],
        "unpriced_kinds": [
            k
            for k in doc["tokens"]
            if k in ("input", "output") or any(u["tokens"][k] for u in doc["unpriced"])
        ],
        "kind_words": KIND_WORDS,
        "by_line": ",".join(doc["by"]),
    }
