"""`--format html`: the pages of diff, show and cost, parsed with html5lib.

Each page loads nothing from outside the file, escapes every catalog string, and shows no figure
that its command's JSON document does not hold (the page is made from that document).
"""

from __future__ import annotations

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
HTML = "{http://www.w3.org/1999/xhtml}"
PAGES = {
    "diff": ["diff", "alpha-large", "alpha-mini", "pixel-one"],
    "diff-workload": ["diff", "alpha-large", "alpha-mini", "alpha-old", "--tokens", "5M"],
    "show": ["show", "alpha-large"],
    "show-image": ["show", "pixel-one"],
    "cost": ["cost", "alpha-large", "alpha-mini", "alpha-old", "pixel-one", "--tokens", "5M"],
    "cost-images": ["cost", "pixel-one", "pixel-flat", "--images", "10k"],
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
            link = name == "a" and key == "href" and value.startswith(("https://", "http://"))
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
    strings and keys (sentences, dates, sizes such as 1024x1024)."""
    return set(figures(json.dumps(doc, ensure_ascii=False)))


@pytest.fixture
def pages(cli: Callable[..., Any]) -> Callable[[list[str]], tuple[str, Any]]:
    def both(args: list[str]) -> tuple[str, Any]:
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
