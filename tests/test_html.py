"""`--format html`: the pages of diff, show, cost and reprice, parsed with html5lib.

Each page loads nothing from outside the file, escapes every catalog string, and shows no figure
that its command's JSON document does not hold (the page is made from that document).
"""

from __future__ import annotations

import csv
import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import html5lib
import pytest
from terminal import aicompare, base_env

from aicompare.render.html import CSP, money, page

SVG = "{http://www.w3.org/2000/svg}"
USAGE = Path(__file__).parent / "fixtures" / "usage"
CSV_MAP = (
    "model=llm_model,input=prompt_tokens,cached=cache_hits,output=completion_tokens,"
    "time=ts,project=team,cost=cost_usd,input_includes_cached=yes"
)
HTML = "{http://www.w3.org/1999/xhtml}"
PAGES = {
    "diff": ["diff", "alpha-large", "alpha-mini", "pixel-one"],
    "diff-workload": ["diff", "alpha-large", "alpha-mini", "alpha-old", "--tokens", "5M"],
    "show": ["show", "alpha-large"],
    "show-image": ["show", "pixel-one"],
    "cost": ["cost", "alpha-large", "alpha-mini", "alpha-old", "pixel-one", "--tokens", "5M"],
    "cost-images": ["cost", "pixel-one", "pixel-flat", "--images", "10k"],
    # reprice on the bundled catalog; --by as the page groups (its time key and the model), so
    # that --json of the same arguments is the page's document
    "reprice-litellm": [
        "reprice",
        str(USAGE / "litellm_spend_logs.csv"),
        "--on",
        "gpt-5-mini",
        "--migrate",
        "--by",
        "month,model",
    ],
    "reprice-mapped": [
        "reprice",
        str(USAGE / "usage_map.csv"),
        "--map",
        CSV_MAP,
        "--on",
        "gpt-5-mini",
        "--by",
        "month,model,project",
    ],
}
EVIL = """\
schema_version = 1

[providers.evil]
name = "<script>alert('provider')</script>"

[models.evil-model]
name = "<script>alert(1)</script>"
provider = "evil"
type = "text"
description = "\\"><img src=x onerror=alert(1)>"
strengths = ["<iframe src=https://example.com/></iframe>", "</style><script>alert(2)</script>"]
notes = "<link rel=stylesheet href=https://example.com/x.css>"
source_url = "javascript:alert(1)"
capabilities = ["streaming"]
as_of = 2026-11-01

[models.evil-model.prices]
input = 1.5
output = 3

[models.evil-model.lifecycle]
note = "<svg onload=alert(3)>"
"""
EVIL_TEXTS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<iframe src=https://example.com/></iframe>",
    "</style><script>alert(2)</script>",
    "<link rel=stylesheet href=https://example.com/x.css>",
    "<svg onload=alert(3)>",
    "javascript:alert(1)",
)


def parse(text: str) -> Any:
    return html5lib.parse(text, treebuilder="etree")


def elements(root: Any) -> Iterator[Any]:
    yield from root.iter()


def local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def text_outside_charts(root: Any) -> str:
    """The page's text a reader sees outside the SVG charts (and not the CSS)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if str(node.tag).startswith(SVG) or local(node.tag) in ("style", "title"):
            if node.tail:
                parts.append(node.tail)
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node.tail:
            parts.append(node.tail)

    walk(root.find(f"{HTML}body"))
    return " ".join(parts)


def external_loads(root: Any) -> list[str]:
    """Everything in the page that would load a resource: none is allowed (links are)."""
    found = []
    for node in elements(root):
        name = local(node.tag)
        if name in (
            "script",
            "iframe",
            "frame",
            "object",
            "embed",
            "link",
            "img",
            "image",
            "audio",
            "video",
            "source",
            "base",
            "form",
            "use",
            "foreignObject",
        ):
            found.append(f"<{name}>")
        for attr, value in node.attrib.items():
            key = local(attr).lower()
            if key.startswith("on"):
                found.append(f"{name} {key}=")
            # links to sources, and to a section of the page itself, load nothing
            link = name == "a" and key == "href" and value.startswith(("https://", "http://", "#"))
            if (
                key in ("src", "srcset", "data", "poster", "action", "background", "href")
                and not link
            ):
                found.append(f"{name} {key}={value}")
            if key == "style" and re.search(r"url\(|@import|expression", value, re.I):
                found.append(f"{name} style={value}")
        if name == "style" and re.search(r"url\(|@import|@font-face", node.text or "", re.I):
            found.append("<style> with url()")
        if name == "meta" and (node.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta refresh>")
    return found


def figures(text: str) -> list[Decimal]:
    return [Decimal(t.replace(",", "")) for t in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


def json_figures(doc: Any) -> set[Decimal]:
    """Every figure the JSON document holds: numbers, decimal strings, and figures in its
    strings and keys (sentences, dates, sizes such as 1024x1024); for reprice, also the sums of
    its groups' figures over each value of a `by` key (a model's over its days, a month's
    over its days and models), which its page shows."""
    held = set(figures(json.dumps(doc, ensure_ascii=False)))
    if doc["command"] == "reprice":
        held |= group_sums(doc)
    return held


def group_sums(doc: Any) -> set[Decimal]:
    """The exact sums of the reprice groups' rows, requests, unpriced rows, token counts and
    costs per value of each `by` key (and per month of the days)."""
    sums: dict[tuple[str, object, str], Decimal] = {}
    for group in doc["groups"]:
        values = {key: group[key] for key in doc["by"]}
        if group.get("day"):
            values["day-month"] = group["day"][:7]
        numbers = {
            "rows": group["rows"],
            "requests": group["requests"],
            "unpriced_rows": group["unpriced_rows"],
            **{f"tokens.{k}": n for k, n in group["tokens"].items()},
        }
        if group["cost"] is not None:
            numbers["cost"] = Decimal(group["cost"])
        for key, value in values.items():
            for name, number in numbers.items():
                at = (key, value, name)
                sums[at] = sums.get(at, Decimal(0)) + Decimal(number)
    return set(sums.values())


@pytest.fixture
def pages(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> Callable[[list[str]], tuple[str, Any]]:
    def both(args: list[str]) -> tuple[str, Any]:
        if args[0] == "reprice":  # usage logs name the bundled catalog's models
            monkeypatch.delenv("AICOMPARE_BASE_CATALOG", raising=False)
        html = cli(*args, "--format", "html")
        assert html.exit_code == 0, html.stderr
        assert html.stderr == ""
        doc = cli(*args, "--json")
        assert doc.exit_code == 0, doc.stderr
        return html.stdout, doc.json()

    return both


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_nothing_from_outside(
    pages: Callable[[list[str]], tuple[str, Any]], name: str
) -> None:
    text, _ = pages(PAGES[name])
    root = parse(text)
    assert external_loads(root) == []
    metas = [m for m in elements(root) if local(m.tag) == "meta"]
    csp = [m.get("content") for m in metas if m.get("http-equiv") == "Content-Security-Policy"]
    assert csp == [CSP]
    assert CSP.startswith("default-src 'none'; ")
    assert "script-src" not in CSP  # none: default-src 'none' covers scripts


@pytest.mark.parametrize("name", PAGES)
def test_every_figure_on_the_page_is_in_the_json(
    pages: Callable[[list[str]], tuple[str, Any]], name: str
) -> None:
    text, doc = pages(PAGES[name])
    seen = text_outside_charts(parse(text))
    held = json_figures(doc)
    assert [f for f in figures(seen) if f not in held] == []
    dollars = [Decimal(d.replace(",", "")) for d in re.findall(r"\$([\d,]+(?:\.\d+)?)", seen)]
    assert dollars  # every page shows prices
    assert [d for d in dollars if d not in held] == []


@pytest.mark.parametrize("name", PAGES)
def test_charts_have_a_text_alternative_and_a_data_table(
    pages: Callable[[list[str]], tuple[str, Any]], name: str
) -> None:
    text, doc = pages(PAGES[name])
    root = parse(text)
    charts = [f for f in elements(root) if local(f.tag) == "figure"]
    assert charts
    held = json_figures(doc)
    for figure in charts:
        svg = next(n for n in figure.iter() if n.tag == f"{SVG}svg")
        labelled = svg.get("aria-labelledby").split()
        ids = {n.get("id"): n for n in svg.iter() if n.get("id")}
        assert [local(ids[i].tag) for i in labelled] == ["title", "desc"]
        assert ids[labelled[1]].text.startswith(ids[labelled[0]].text + ": ")
        assert next(n for n in figure.iter() if n.get("role") == "img").get("aria-label")
        assert not any(n.tag == f"{SVG}script" for n in svg.iter())
        table = next(n for n in figure.iter() if local(n.tag) == "table")
        headers = [n for n in table.iter() if local(n.tag) == "th"]
        assert headers and all(h.get("scope") in ("col", "row") for h in headers)
        cells = [n.text for n in table.iter() if local(n.tag) == "td" and n.text != "—"]
        assert cells and all(Decimal(c.lstrip("$").replace(",", "")) in held for c in cells)


def test_header_cells_have_a_scope(pages: Callable[[list[str]], tuple[str, Any]]) -> None:
    for args in PAGES.values():
        root = parse(pages(args)[0])
        headers = [n for n in elements(root) if local(n.tag) == "th"]
        assert headers
        assert {h.get("scope") for h in headers} <= {"col", "row", "colgroup"}, args


def test_diff_page_says_the_differences_and_the_successors(
    pages: Callable[[list[str]], tuple[str, Any]],
) -> None:
    text, doc = pages(["diff", "alpha-old", "alpha-mini"])
    seen = " ".join(text_outside_charts(parse(text)).split())
    sentences = [d["text"] for d in doc["differences"]]
    assert sentences and all(s in seen for s in sentences)
    chain = doc["models"][0]["lifecycle"]["successor_chain"]
    assert chain
    assert (
        "Successors: alpha-old → " + " → ".join(f"{s['id']} ({s['status']}" for s in chain[:1])
        in seen
    )
    assert "as of 2026-11-21" in seen


def test_diff_with_a_workload_has_the_cost_document_and_the_verdict(
    cli: Callable[..., Any], pages: Callable[[list[str]], tuple[str, Any]]
) -> None:
    models = ["alpha-large", "alpha-mini", "pixel-one"]
    text, doc = pages(["diff", *models, "--tokens", "5M"])
    cost = cli("cost", *models, "--tokens", "5M", "--json").json()
    body = {
        k: v
        for k, v in cost.items()
        if k not in ("schema_version", "aicompare_version", "command", "as_of")
    }
    assert doc["cost"] == body
    seen = " ".join(text_outside_charts(parse(text)).split())
    top = next(r for r in body["results"] if r["rank"] == 1)
    assert (
        f"For this workload, {top['model']} is the cheapest: {money(top['total'])} a month." in seen
    )
    assert "pixel-one cannot serve it: " in seen
    others = [r for r in body["results"] if r["rank"] not in (None, 1)]
    assert others and all(
        f"{r['model']} costs {money(r['total'])} a month, " in seen for r in others
    )


def test_diff_refuses_csv_with_a_workload(cli: Callable[..., Any]) -> None:
    ran = cli("diff", "alpha-large", "alpha-mini", "--tokens", "5M", "--format", "csv")
    assert ran.exit_code == 2
    assert ran.stderr.startswith("error: invalid value for '--format': the CSV of diff is the")


@pytest.fixture
def evil_layer(tmp_path: Path) -> Path:
    layer = tmp_path / "evil.toml"
    layer.write_text(EVIL, encoding="utf-8")
    return layer


@pytest.mark.parametrize(
    "args",
    [
        ["show", "evil-model"],
        ["diff", "evil-model", "alpha-mini"],
        ["cost", "evil-model", "alpha-mini", "--tokens", "1M"],
    ],
)
def test_catalog_strings_are_inert_text(
    cli: Callable[..., Any], evil_layer: Path, args: list[str]
) -> None:
    ran = cli(*args, "--catalog", str(evil_layer), "--format", "html")
    assert ran.exit_code == 0, ran.stderr
    root = parse(ran.stdout)
    assert external_loads(root) == []
    seen = text_outside_charts(root)
    shown = [t for t in EVIL_TEXTS if t in seen]
    if args[0] == "cost":  # cost shows ids and figures, not the catalog's free text
        assert "evil-model" in seen
    else:  # the strings are there, as text
        assert shown == list(EVIL_TEXTS)
    assert not any(local(a.tag) == "a" and "javascript" in a.get("href", "") for a in root.iter())


def test_money_keeps_every_digit() -> None:
    assert [money(v) for v in ("1.1", "0.9375", "1200", "0.275", None)] == [
        "$1.10",
        "$0.9375",
        "$1,200.00",
        "$0.275",
        "—",
    ]


def test_a_page_for_a_narrow_encoding_uses_character_references() -> None:
    doc = {
        "schema_version": 1,
        "aicompare_version": "0.1.0",
        "command": "show",
        "as_of": "2026-11-21",
        "model": _model("café-model"),
    }
    text = page(doc, "latin-1")
    assert text.isascii()
    assert "caf&#233;-model" in text
    assert "café-model" in page(doc, "utf-8")


def _model(model_id: str) -> dict[str, Any]:
    empty: dict[str, Any] = {}
    return {
        "id": model_id,
        "name": model_id,
        "provider": "acme",
        "provider_name": "Acme",
        "type": "text",
        "aliases": [],
        "description": None,
        "context_window": None,
        "max_input_tokens": None,
        "max_output_tokens": None,
        "input_modalities": [],
        "output_modalities": [],
        "capabilities": [],
        "endpoints": [],
        "snapshots": [],
        "knowledge_cutoff": None,
        "release_date": None,
        "strengths": [],
        "notes": None,
        "source_url": None,
        "catalog_as_of": None,
        "status": "current",
        "availability": "general",
        "free": False,
        "lifecycle": {
            "deprecation_date": None,
            "shutdown_date": None,
            "superseded_by": None,
            "note": None,
            "successor_chain": [],
            "live_successor": None,
        },
        "prices": {
            "unit": "",
            "standard": {"input": "1"},
            "batch": empty,
            "flex": empty,
            "priority": empty,
            "off_peak": empty,
            "off_peak_hours_utc": None,
            "tiers": [],
        },
        "image_prices": {},
        "benchmarks": {},
        "offers": [],
        "origins": {},
    }


# ---------------------------------------------------------------- the command line


def test_html_is_offered_by_diff_show_and_cost_only(cli: Callable[..., Any]) -> None:
    ran = cli("list", "--format", "html")
    assert ran.exit_code == 2
    assert ran.stderr.startswith("error: invalid value for '--format' / '-f': 'html'")


def test_out_refuses_the_table(cli: Callable[..., Any], tmp_path: Path) -> None:
    ran = cli("show", "alpha-large", "-o", str(tmp_path / "x.txt"))
    assert ran.exit_code == 2
    assert ran.stderr == (
        "error: invalid value for '--out': the table is for the terminal: "
        "add --format html, json, csv or markdown\nsee: aicompare show --help\n"
    )
    assert not (tmp_path / "x.txt").exists()


def test_out_writes_the_same_json(cli: Callable[..., Any], tmp_path: Path) -> None:
    target = tmp_path / "diff.json"
    ran = cli("diff", "alpha-large", "alpha-mini", "--json", "-o", str(target))
    assert (ran.exit_code, ran.stdout, ran.stderr) == (0, "", f"wrote {target}\n")
    assert (
        target.read_text(encoding="utf-8")
        == cli("diff", "alpha-large", "alpha-mini", "--json").stdout
    )


def test_out_refuses_a_fifo(cli: Callable[..., Any], tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    ran = cli("diff", "alpha-large", "alpha-mini", "--format", "html", "-o", str(fifo))
    assert ran.exit_code == 1
    assert ran.stderr.startswith(f"error: {fifo}: is a named pipe (FIFO), not a regular file\n")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_out_through_a_link_replaces_the_file_it_names(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    real = tmp_path / "real.html"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "page.html"
    link.symlink_to(real)
    ran = cli("show", "alpha-large", "--format", "html", "-o", str(link))
    assert ran.exit_code == 0, ran.stderr
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_written_page_is_the_printed_page_and_reads_0644(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    args = [*aicompare(), "diff", "alpha-large", "alpha-mini", "--as-of", "2026-11-21"]
    env = base_env()
    umask = 'umask 022; exec "$@"'
    wrote = subprocess.run(
        ["sh", "-c", umask, "sh", *args, "--format", "html", "-o", str(target)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert (wrote.returncode, wrote.stdout, wrote.stderr) == (0, "", f"wrote {target}\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    printed = subprocess.run(
        [*args, "--format", "html"], capture_output=True, env=env, timeout=120, check=False
    )
    assert printed.returncode == 0
    assert target.read_bytes() == printed.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]  # no temporary file left


def test_without_the_html_extra_a_clear_error(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)  # import jinja2 -> ImportError
    ran = cli("show", "alpha-large", "--format", "html")
    assert ran.exit_code == 1
    assert ran.stderr == (
        "error: --format html needs the html extra (Jinja2 and pygal)\n"
        "install it: pip install 'aicompare[html]' (or pipx inject aicompare jinja2 pygal)\n"
    )


@pytest.mark.parametrize("fmt", ["--json", "--format=table"])
def test_other_formats_import_no_html_machinery(fmt: str) -> None:
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(' '.join(sorted(sys.modules)), file=sys.stderr))\n"
        f"sys.argv = ['aicompare', 'diff', 'alpha-large', 'alpha-mini', '{fmt}']\n"
        "from aicompare._entry import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=base_env(),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(done.stderr.split())
    assert "aicompare.compare" in loaded  # the run did the work
    assert not loaded & {"jinja2", "markupsafe", "pygal", "aicompare.render.html"}


# ---------------------------------------------------------------- the reprice page


def section_text(root: Any, section: str) -> str:
    """The words of one section of the page (by id), outside its charts, spaces collapsed."""
    node = next(n for n in elements(root) if n.get("id") == section)
    parts: list[str] = []

    def walk(item: Any) -> None:
        if str(item.tag).startswith(SVG):
            return
        parts.append(item.text or "")
        for child in item:
            walk(child)
            parts.append(child.tail or "")

    walk(node)
    return " ".join(" ".join(parts).split())


def test_reprice_page_says_the_total_and_what_it_leaves_out_first(
    pages: Callable[[list[str]], tuple[str, Any]],
) -> None:
    text, doc = pages(PAGES["reprice-litellm"])
    root = parse(text)
    sections = [n.get("id") for n in elements(root) if local(n.tag) == "section"]
    assert sections[:3] == ["headline", "unpriced", "over-time"]
    headline = section_text(root, "headline")
    assert doc["total_excludes_rows"] == 1
    assert headline.startswith(
        f"Total at list prices {money(doc['total'])} 6 of 7 rows (7 requests), "
        "2025-03-04 to 2026-11-03, at the list prices of each row's date. "
        "The total excludes 1 row that could not be priced (1 model, listed below): "
        "it is not the whole bill."
    )
    assert f"Recorded by the provider or gateway: {money(doc['recorded_total'])}" in headline
    unpriced = section_text(root, "unpriced")
    (row,) = doc["unpriced"]
    assert unpriced.startswith("Not in the total: 1 unpriced row ")
    assert f"{row['model']} bedrock 1 1 1,000 3,000 1,200 500 {row['reason']}" in unpriced


def test_reprice_page_what_if_migration_and_reconciliation(
    pages: Callable[[list[str]], tuple[str, Any]],
) -> None:
    text, doc = pages(PAGES["reprice-litellm"])
    root = parse(text)
    (what,) = doc["what_if"]
    assert (what["model"], what["total"], what["difference"]) == (
        "gpt-5-mini",
        "0.1441044",
        "-0.3052804",
    )
    assert "gpt-5-mini 6 $0.4493848 $0.1441044 -$0.3052804" in section_text(root, "what-if")
    (move,) = doc["migration"]
    migration = section_text(root, "migration")
    # (section_text puts a space around each element: "<strong>...</strong>." reads "... .")
    assert (
        f"{move['model']} {move['status']} on {move['deprecation_date']}; "
        f"shuts down {move['shutdown_date']} . Successors: {move['successor_chain']}."
    ) in migration
    month = move["months"][0]
    assert (
        f"{month['month']} {money(month['current'])} {money(month['successor'])} "
        f"{money(month['difference'])}"
    ) in migration
    reconciled = section_text(root, "reconciliation")
    assert reconciled.startswith(
        f"Recorded vs list price Recorded in total: {money(doc['recorded_total'])}; "
        f"at list prices: {money(doc['total'])}."
    )
    for r in doc["reconciliation"]:
        assert f"{r['model']} the log's own costs {r['rows']} {money(r['recorded'])}" in reconciled
        assert all(f"Not explained: {t}" in reconciled for t in r["cannot_explain"])
    assert "claude-sonnet-4-5 the log's own costs 1 $0.08382 $0.08382 they agree" in reconciled


@pytest.mark.parametrize(
    ("log", "by", "keys", "caption"),
    [
        ("litellm_spend_logs.csv", [], "month,model", "Spend by month and model"),
        ("anthropic_usage_2026.json", [], "day,model", "Spend by day and model"),
        ("litellm_spend_logs.csv", ["--by", "project"], "month,model,project", None),
        ("litellm_spend_logs.csv", ["--by", "day,seller"], "day,model,seller", None),
    ],
)
def test_reprice_page_groups_by_time_and_model(
    bundled_cli: Callable[..., Any], log: str, by: list[str], keys: str, caption: str | None
) -> None:
    """The page adds a time key (month for a period over 62 days) and the model to --by; its
    document is that of --json with those keys, and the footer says which."""
    ran = bundled_cli("reprice", str(USAGE / log), *by, "--format", "html")
    assert (ran.exit_code, ran.stderr) == (0, "")
    root = parse(ran.stdout)
    seen = " ".join(text_outside_charts(root).split())
    assert f"aicompare reprice … --by {keys} --json" in seen
    doc = bundled_cli("reprice", str(USAGE / log), "--by", keys, "--json").json()
    assert (
        ran.stdout
        == bundled_cli("reprice", str(USAGE / log), "--by", keys, "--format", "html").stdout
    )
    held = json_figures(doc)
    assert [f for f in figures(seen) if f not in held] == []
    captions = [n.text for n in elements(root) if local(n.tag) == "figcaption"]
    assert captions[0].startswith(caption or "Spend by month and model")
    if "project" in keys:
        assert "(no project)" in section_text(root, "by-project")
    if "seller" in keys:  # a day-by-day document of a long period is charted by month
        assert captions[0].startswith("Spend by month and model")


HOSTILE_TEXTS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<script>alert('team')</script>",
    '"><img src=x onerror=alert(2)>',
)


def test_usage_strings_are_inert_text_on_the_reprice_page(
    bundled_cli: Callable[..., Any], tmp_path: Path
) -> None:
    log = tmp_path / "usage.csv"
    rows = [
        ["ts", "llm_model", "team", "prompt_tokens", "completion_tokens"],
        ["2026-11-02T10:00:00Z", HOSTILE_TEXTS[0], "ops", "1000", "100"],
        ["2026-11-02T11:00:00Z", HOSTILE_TEXTS[1], "ops", "1000", "100"],
        ["2026-11-03T11:00:00Z", "gpt-4o", HOSTILE_TEXTS[2], "1000", "100"],
        ["2026-11-03T12:00:00Z", "gpt-4o", HOSTILE_TEXTS[3], "2000", "100"],
    ]
    with log.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    columns = "model=llm_model,input=prompt_tokens,output=completion_tokens,time=ts,project=team"
    ran = bundled_cli(
        "reprice",
        str(log),
        "--map",
        columns,
        "--by",
        "project",
        "--on",
        "gpt-5-mini",
        "--format",
        "html",
    )
    assert (ran.exit_code, ran.stderr) == (0, "")
    root = parse(ran.stdout)
    assert external_loads(root) == []
    seen = text_outside_charts(root)
    assert [t for t in HOSTILE_TEXTS if t in seen] == list(HOSTILE_TEXTS)
    assert [t for t in HOSTILE_TEXTS[:2] if t in section_text(root, "unpriced")] == list(
        HOSTILE_TEXTS[:2]
    )
    # the projects are priced (gpt-4o): their names are in the chart's SVG too, as text
    chart = next(n for n in elements(root) if n.get("id") == "project-chart")
    svg_text = " ".join(n.text or "" for n in chart.iter() if str(n.tag).startswith(SVG))
    assert all(t in svg_text for t in HOSTILE_TEXTS[2:])
    assert "<script" not in ran.stdout.replace("&lt;script", "")


def test_reprice_format_takes_the_logs_format_and_html(
    bundled_cli: Callable[..., Any],
) -> None:
    log = str(USAGE / "litellm_spend_logs.csv")
    both = bundled_cli("reprice", log, "--format", "litellm", "--format", "html", "--by", "month")
    assert both.exit_code == 0, both.stderr
    assert both.stdout == bundled_cli("reprice", log, "--format", "html", "--by", "month").stdout
    ran = bundled_cli("reprice", log, "--format", "html", "--json")
    assert ran.exit_code == 2
    assert ran.stderr.startswith("error: invalid value for '--json': --json and html cannot be")
    ran = bundled_cli("reprice", log, "--format", "openai", "--format", "litellm")
    assert ran.exit_code == 2
    assert "one usage format at a time, not openai and litellm" in ran.stderr
    ran = bundled_cli("reprice", log, "--format", "pdf")
    assert ran.exit_code == 2
    assert "'pdf' is not a usage format; use one of openai" in ran.stderr
    assert "(or html for the page)" in ran.stderr


def test_reprice_out_writes_the_json_and_refuses_the_table(
    bundled_cli: Callable[..., Any], tmp_path: Path
) -> None:
    log = str(USAGE / "litellm_spend_logs.csv")
    target = tmp_path / "spend.json"
    ran = bundled_cli("reprice", log, "--json", "-o", str(target))
    assert (ran.exit_code, ran.stdout, ran.stderr) == (0, "", f"wrote {target}\n")
    assert target.read_text(encoding="utf-8") == bundled_cli("reprice", log, "--json").stdout
    ran = bundled_cli("reprice", log, "-o", str(tmp_path / "table.txt"))
    assert ran.exit_code == 2
    assert "the table is for the terminal" in ran.stderr
    assert not (tmp_path / "table.txt").exists()


def test_the_spend_report_is_no_more_readable_than_the_log(tmp_path: Path) -> None:
    """A report of a private usage log is private too (umask 022 would make it 0644)."""
    log = tmp_path / "usage.csv"
    log.write_bytes((USAGE / "litellm_spend_logs.csv").read_bytes())
    log.chmod(0o600)
    env = base_env()
    env.pop("AICOMPARE_BASE_CATALOG")
    umask = 'umask 022; exec "$@"'
    for name, source in (
        ("private.html", str(log)),
        ("public.html", str(USAGE / "litellm_spend_logs.csv")),
    ):
        target = tmp_path / name
        wrote = subprocess.run(
            [
                "sh",
                "-c",
                umask,
                "sh",
                *aicompare(),
                "reprice",
                source,
                "--format",
                "html",
                "-o",
                str(target),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert (wrote.returncode, wrote.stdout, wrote.stderr) == (0, "", f"wrote {target}\n")
        assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE((tmp_path / "private.html").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "public.html").stat().st_mode) == 0o644
