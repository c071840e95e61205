"""`aicompare catalog audit`: the JSON document and the text report of an audit.

The audit itself is maintainer tooling (tools/catalog_build/audit.py, from a source checkout);
these functions only lay out its result. The text is plain (no rich): a table of field groups
that fits 80 columns, then every unexplained disagreement with each data set's value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tools.catalog_build.audit import Audit, GroupCount

WIDTH = 80
GAP = "  "


def audit_document(result: Audit) -> dict[str, Any]:
    return result.document()


def shown(value: Any) -> str:
    """A figure as text: lists joined, tiers as `above N: key value, ...`, none as `(none)`."""
    if value is None:
        return "(none)"
    if isinstance(value, Mapping):
        return ", ".join(f"{key} {shown(item)}" for key, item in value.items())
    if isinstance(value, Sequence) and not isinstance(value, str):
        if all(isinstance(item, Mapping) for item in value):
            return "; ".join(_tier(item) for item in value)
        return ", ".join(shown(item) for item in value)
    return str(value)


def _tier(tier: Mapping[str, Any]) -> str:
    rest = {k: v for k, v in tier.items() if k != "above_input_tokens"}
    head = f"above {tier['above_input_tokens']}: " if "above_input_tokens" in tier else ""
    return head + shown(rest)


def _table(result: Audit, headers: list[str]) -> list[str]:
    def row(count: GroupCount) -> list[str]:
        return [
            count.group,
            f"{count.figures:,}",
            *(f"{count.agree[name]:,}" for name in result.sets),
            f"{count.explained:,}",
            f"{count.unexplained:,}",
        ]

    rows = [headers, *(row(count) for count in result.groups), row(result.totals())]
    widths = [max(len(r[i]) for r in rows) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:]))
        return GAP.join([first, *rest]).rstrip()

    return [line(r) for r in rows]


def audit_text(result: Audit) -> str:
    doc = result.document()
    names = list(result.sets)
    lines = [
        f"audit of {result.catalog}",
        f"{result.models:,} models, {result.models_found:,} found in the data sets. Per field "
        "group: the figures",
        "checked, how many agree with each data set, how many the curation explains",
        "(choices), and how many are unexplained.",
        "",
    ]
    table = _table(result, ["field group", "checked", *names, "choices", "unexplained"])
    numbered = max(len(line) for line in table) > WIDTH
    if numbered:  # long set names: numbered columns, named below
        names = [f"set {i}" for i in range(1, len(names) + 1)]
        table = _table(result, ["field group", "checked", *names, "choices", "unexplained"])
    lines += table
    lines.append("")
    totals = doc["totals"]["sets"]
    for column, (name, label) in zip(names, result.sets.items()):
        key = f"{column}: {name}" if numbered else name
        lines.append(
            f"{key} ({label}) agrees on {totals[name]['agree']:,} of its "
            f"{totals[name]['has']:,} figures"
        )
    lines.append("choices: figures data/curation.toml explains, each with its source: a")
    lines.append("[[choices]] entry, or a value set by hand in [models.<id>]")
    lines.append("")
    count = result.unexplained
    if not count:
        lines.append("0 unexplained disagreements")
        return "\n".join(lines) + "\n"
    lines.append(f"{count} unexplained disagreement{'s' if count != 1 else ''}:")
    for item in doc["disagreements"]:
        lines.append(f"- {item['model']} {item['field']} ({item['group']})")
        labels = {"catalog": item["catalog"]}
        labels |= {
            label: item["sets"][name] for name, label in result.sets.items() if name in item["sets"]
        }
        width = max(len(label) for label in labels)
        lines += [f"    {label.ljust(width)}  {shown(value)}" for label, value in labels.items()]
    lines += [f"- {problem}" for problem in doc["problems"]]
    lines.append("follow the data sets, or record a choice with its source in data/curation.toml")
    lines.append("(docs/catalog-sources.md, the disagreement policy)")
    return "\n".join(lines) + "\n"
