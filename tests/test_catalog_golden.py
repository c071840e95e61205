"""Catalog golden tests: the figures, ids and counts of the bundled catalog (data/models.toml).

These and tests/test_catalog_consistency.py are the only tests that read the bundled data; every
other test runs on the fixture catalogs in tests/data/ (tests/data/fixture.toml,
tests/data/pricing/models.toml). So these two files are the only things a data regeneration
(`python -m tools.catalog_build`, docs/catalog-sources.md) can break. When a test here fails after one, check the new figure against the data sets, then
update the test and the README's examples, which these tests hold to the data, together.

What is held: what the catalog must contain (makers, types, grids, sources, successors, detail
for the major models), that it validates, that it is exactly what the build generates from the
reference data sets (when they are present), and the README's worked examples.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aicompare.catalog import Catalog, Layer
from aicompare.importers.litellm import SNAPSHOT
from aicompare.loader import build_catalog, load_catalog, read_document
from aicompare.model import Status
from tools.catalog_build import GROUPS, HEADER, build, load_curation
from tools.catalog_build.check import References, cross_check
from tools.catalog_build.curate import coverage_gaps

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "models.toml"
CURATION = ROOT / "data" / "curation.toml"
# CI keeps the reference data sets next to the checkout.
REFERENCE = ROOT.parent / "shared" / "reference"
AS_OF = dt.date(2026, 11, 21)

needs_reference = pytest.mark.skipif(
    not REFERENCE.is_dir(),
    reason=f"reference data sets not found at {REFERENCE}: the cross-check and the regeneration "
    "test need them (CI has them next to the checkout)",
)


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    data, _ = read_document(BUNDLED)
    return data


@pytest.fixture(scope="module")
def catalog(doc: dict[str, Any]) -> Catalog:
    return build_catalog([(Layer("bundled", str(BUNDLED), True), doc, BUNDLED.read_text())])


@pytest.fixture(scope="module")
def curation() -> dict[str, Any]:
    return load_curation(CURATION)


# --- what the bundled catalog holds -------------------------------------------------------------


def test_size_makers_and_types(catalog: Catalog) -> None:
    # the coverage bar: at least 500 models from at least 20 makers
    assert len(catalog) == 581
    makers = {m.provider for m in catalog}
    assert len(makers) == 32
    for maker in (
        "openai",
        "anthropic",
        "google",
        "xai",
        "mistral",
        "deepseek",
        "cohere",
        "amazon",
        "alibaba",
        "moonshot",
        "zhipu",
        "minimax",
        "perplexity",
        "ai21",
        "black-forest-labs",
        "stability",
        "recraft",
        "ideogram",
        "meta",
        "voyage",
        "elevenlabs",
        "deepgram",
        "runway",
        "xiaomi",
        "inception",
        "morph",
        "bytedance",
        "stepfun",
        "upstage",
        "sakana",
        "ant",
        "arcee",
    ):
        assert maker in makers, maker
        assert catalog.providers[maker].name and catalog.providers[maker].name != maker
    types = Counter(m.type for m in catalog)
    for kind in ("text", "image", "embedding", "audio", "moderation"):
        assert types[kind] > 0, kind
    grids = [m for m in catalog if m.type == "image" and m.image_prices]
    assert len(grids) >= 40
    assert {m.provider for m in grids} >= {"openai", "google", "black-forest-labs", "stability"}


def test_every_model_has_a_source_and_a_date(catalog: Catalog) -> None:
    for model in catalog:
        assert model.source_url and model.source_url.startswith("https://"), model.id
        assert model.as_of == AS_OF, model.id


def test_ids_are_the_makers_api_names(catalog: Catalog) -> None:
    routes = (
        "openai/",
        "anthropic/",
        "gemini/",
        "xai/",
        "mistral/",
        "deepseek/",
        "cohere/",
        "dashscope/",
        "moonshot/",
        "zai/",
        "minimax/",
        "bedrock/",
        "fal_ai/",
        "azure/",
    )
    for model in catalog:
        assert not model.id.startswith(routes), model.id
    for model_id in (
        "gpt-4.1-mini",
        "o4-mini",
        "gpt-image-1",
        "gemini-2.5-pro",
        "claude-sonnet-4-5",
    ):
        assert catalog.get(model_id) is not None, model_id
    assert "gpt-4.1-mini-2025-04-14" in catalog.get("gpt-4.1-mini").snapshots  # type: ignore[union-attr]
    assert catalog.resolve("GPT-4.1 Mini").id == "gpt-4.1-mini"
    assert catalog.resolve("gpt image 1 mini").id == "gpt-image-1-mini"


def test_dated_snapshots_are_folded(catalog: Catalog) -> None:
    """A dated id is its own model only when its prices or lifecycle differ from its base's."""
    for model in catalog:
        match = SNAPSHOT.match(model.id)
        base = catalog.get(match.group("base")) if match else None
        if base is not None and base.type == model.type:
            assert (model.prices, model.lifecycle) != (base.prices, base.lifecycle), model.id


def test_prices_are_exact_decimals(doc: dict[str, Any]) -> None:
    from decimal import Decimal

    tables = ("batch", "flex", "priority", "off_peak")
    for model_id, table in doc["models"].items():
        prices = table.get("prices", {})
        values = [v for k, v in prices.items() if k not in (*tables, "tiers")]
        for name in tables:
            values += [v for k, v in prices.get(name, {}).items() if k != "hours"]
        for value in values:
            assert isinstance(value, (Decimal, int)) and not isinstance(value, bool), model_id
    assert doc["models"]["o4-mini"]["prices"]["cached_input"] == Decimal("0.275")


def test_retired_models_say_so_with_their_successor(catalog: Catalog, curation: dict) -> None:
    curated = {
        mid: table["lifecycle"]["superseded_by"]
        for mid, table in curation["models"].items()
        if "superseded_by" in table.get("lifecycle", {})
    }
    assert curated["gpt-4.1-mini"] == "gpt-5-mini"
    assert curated["o4-mini"] == curated["gpt-5-mini"] == "gpt-5.6-terra"
    for model_id, successor in curated.items():
        model = catalog.get(model_id)
        assert model is not None and model.superseded_by == successor, model_id
        assert model.lifecycle.note and "uccessor named in: " in model.lifecycle.note, model_id
    retired = [m for m in catalog if m.status(AS_OF).value == "retired"]
    assert len(retired) >= 20
    for model in retired:
        assert model.lifecycle.shutdown_date is not None and model.lifecycle.shutdown_date <= AS_OF


def test_retired_models_show_as_retired_in_list(bundled_cli) -> None:
    run = bundled_cli("list", "--json")
    assert run.exit_code == 0, run.stderr
    rows = {row["id"]: row for row in run.json()["models"]}
    assert len(rows) >= 300 and len({row["provider"] for row in rows.values()}) >= 15
    assert (
        rows["o4-mini"]["status"] == "retired"
        and rows["o4-mini"]["superseded_by"] == "gpt-5.6-terra"
    )
    assert rows["gpt-image-1"]["status"] == "retired"
    images = bundled_cli("list", "--type", "image", "--json").json()["models"]
    assert sum(1 for row in images if row["image_price_from"] is not None) >= 40


# The day the lifecycle entries were checked against the makers' pages (data/curation.toml).
CHECKED = dt.date(2026, 11, 26)


def test_every_deprecated_or_retired_model_names_a_successor_or_says_none_is_named(
    catalog: Catalog,
) -> None:
    """A model that is deprecated or retired on the day the curation was checked either names the
    successor its maker names, or its lifecycle note says that none is named (and what was
    checked), so the tool can tell the user rather than fall silent."""
    ended = [m for m in catalog if m.status(CHECKED).value != "current"]
    assert len(ended) == 98
    silent = [
        m.id
        for m in ended
        if not m.superseded_by and "No successor is named" not in (m.lifecycle.note or "")
    ]
    assert silent == []
    named = [m for m in ended if m.superseded_by]
    assert len(named) == 77
    for model in ended:
        note = model.lifecycle.note or ""
        if model.superseded_by:
            assert "successor named in: " in note.lower(), model.id
            assert "No successor is named" not in note, model.id
        else:
            assert "; checked: " in note, model.id
    # the status doubts of issue 16, each resolved with its source
    assert catalog.get("open-mistral-nemo").superseded_by == "ministral-8b-2512"  # type: ignore[union-attr]
    assert catalog.get("open-mistral-nemo").lifecycle.shutdown_date == dt.date(2026, 7, 31)  # type: ignore[union-attr]
    sonar_reasoning = catalog.get("sonar-reasoning")
    assert sonar_reasoning is not None and sonar_reasoning.status(CHECKED).value == "retired"
    assert sonar_reasoning.superseded_by == "sonar-reasoning-pro"
    for doubt in ("mistral-tiny", "amazon.titan-image-generator-v1"):
        model = catalog.get(doubt)
        assert model is not None and "No successor is named" in (model.lifecycle.note or "")
        assert "no source checked gives" in (model.lifecycle.note or ""), doubt


def test_every_curation_entry_carries_its_source_and_the_day_it_was_checked(
    curation: dict[str, Any],
) -> None:
    from tools.catalog_build.curate import provenance_problems

    assert provenance_problems(curation) == []
    entries = [*curation["choices"], *curation["models"].values()]
    assert len(entries) >= 300
    for entry in entries:
        assert isinstance(entry["source"], str) and entry["source"].strip(), entry
        assert entry["checked"] == CHECKED, entry


REQUIRED_DETAIL = (
    "gpt-image-1",
    "gpt-image-1-mini",
    "o3-mini",
    "o4-mini",
    "gpt-4.1-mini",
    "gpt-4o-mini",
    "gpt-5-mini",
    # the current flagship and small model of the major makers
    "gpt-6-astra",
    "gpt-6-luna",
    "claude-fable-5-1",
    "claude-opus-5-5",
    "claude-haiku-5-5",
    "gemini-4-argon",
    "gemini-3.5-flash-lite",
    "grok-4.7",
    "grok-4.3",
    "mistral-large-4",
    "mistral-small-2603",
    "deepseek-v4-pro",
    "deepseek-v4-flash",
    "qwen3.8-max",
    "qwen3.8-flash",
    "amazon.nova-premier-v1:0",
    "amazon.nova-micro-v1:0",
    "command-a-plus-05-2026",
    "command-r7b-12-2024",
    "kimi-k3.1-pro",
    "glm-5.3",
    "glm-5.3-flash",
    "MiniMax-M3",
    "jamba-large-1.7",
    "jamba-mini-1.7",
)


@pytest.mark.parametrize("model_id", REQUIRED_DETAIL)
def test_strengths_capabilities_and_endpoints(catalog: Catalog, model_id: str) -> None:
    model = catalog.get(model_id)
    assert model is not None
    assert model.strengths and model.capabilities and model.endpoints


def test_the_file_says_it_is_generated(doc: dict[str, Any]) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    assert text.startswith(HEADER) and "GENERATED FILE" in text.splitlines()[0]
    assert "aicompare catalog build" in doc["generated"]
    assert BUNDLED.stat().st_size < 1_000_000


def test_image_grids_match_the_openai_image_table(catalog: Catalog) -> None:
    """The OpenAI per-image grids are openai-image-prices.toml's, cell for cell."""
    if not (REFERENCE / "openai-image-prices.toml").is_file():
        pytest.skip(f"reference data sets not found at {REFERENCE}")
    table, _ = read_document(REFERENCE / "openai-image-prices.toml")
    for row in table["per_image"]:
        model = catalog.get(row["model"])
        assert model is not None and model.image_price(row["quality"], row["size"]) == row["usd"]


# --- the cross-check and the regeneration, against the real data sets ---------------------------


@pytest.fixture(scope="module")
def real_build():
    if not REFERENCE.is_dir():
        pytest.skip(f"reference data sets not found at {REFERENCE}")
    return build(REFERENCE, CURATION)


@needs_reference
def test_every_current_first_party_model_is_in_the_catalog_or_excluded(
    doc: dict[str, Any], curation: dict
) -> None:
    """The coverage bar: every current model a maker sells directly that at least one data set
    prices (above 0, not marked deprecated, not shut down) is a bundled model, under its id or as
    a snapshot or alias, or a recorded [[exclusions]] entry names it with its reason."""
    refs = References(REFERENCE, curation["sets"], curation["meta"]["as_of"])
    missing = coverage_gaps(doc, refs, curation)
    assert missing == [], "not in the catalog and not excluded:\n" + "\n".join(missing)


def test_current_models_only_genai_prices_or_models_dev_price(catalog: Catalog) -> None:
    """Models that LiteLLM 1.109.1 lacks come from the other sets, with their figures."""
    for mid, provider in (
        ("claude-fable-5-2", "anthropic"),
        ("claude-mythos-5-2", "anthropic"),
        ("grok-4-1-fast-reasoning", "xai"),
        ("MiniMax-M3.1-Flash", "minimax"),
        ("kimi-k3.1-pro-highspeed", "moonshot"),
        ("command-a-reasoning-08-2025", "cohere"),
        ("command-a-vision-07-2025", "cohere"),
        ("qwen3.6-plus", "alibaba"),
        ("amazon.nova-sonic-v1:0", "amazon"),
        ("muse-spark-1.3", "meta"),
        ("voyage-4", "voyage"),
    ):
        model = catalog.get(mid)
        assert model is not None and model.provider == provider, mid
        assert model.status(AS_OF) is Status.CURRENT, mid
    assert catalog.resolve("grok-4-1-fast").id == "grok-4-1-fast-reasoning"
    fable = catalog.models["claude-fable-5-2"].prices.standard
    assert (fable.get("input"), fable.get("cached_input"), fable.get("output")) == (
        Decimal(8),
        Decimal("0.2"),
        Decimal(40),
    )
    sonic = catalog.models["amazon.nova-sonic-v1:0"]
    assert sonic.type == "audio" and sonic.prices.standard.get("audio_output") == Decimal("13.6")
    # older models only those sets list are recorded exclusions, not current-looking rows
    for mid in ("claude-3-haiku", "claude-opus-4-1", "gemini-1.5-pro", "grok-3", "o1-mini"):
        assert catalog.get(mid) is None, mid


def test_exclusions_carry_their_reason_source_and_date(curation: dict) -> None:
    entries = curation["exclusions"]
    assert len(entries) == 24
    for entry in entries:
        assert entry["models"] and entry["reason"] and entry["source"], entry
        assert entry["checked"] == dt.date(2026, 11, 26), entry


@needs_reference
def test_cross_check_against_the_data_sets(doc: dict[str, Any], curation: dict) -> None:
    """Every figure the data sets have for a bundled model, in every field group (token prices,
    cache writes by lifetime, batch, image and audio tokens, long-context tiers, limits,
    modalities, shutdown dates, cut-off and release date), agrees with the value they agree on,
    or is a choice the curation records: a figure a set has and the catalog lacks too."""
    refs = References(REFERENCE, curation["sets"], curation["meta"]["as_of"])
    report = cross_check(doc, refs, curation)
    sys.stdout.write(
        f"\ncross-check: {report.models_found} models found in the data sets, "
        f"{report.checked} figures checked ({report.multi_source} in two or more sets), "
        f"{report.agreeing} agree, {report.curated} curated\n"
    )
    assert report.problems == []
    assert report.models_found >= 300
    assert report.agreeing + report.curated == report.checked == len(report.figures)
    by_group = Counter(figure.group for figure in report.figures)
    # every group is held against the data sets, the ones the issue names among them
    assert set(by_group) == {group.name for group in GROUPS}
    for name in ("batch prices", "image tokens", "long-context tiers", "cache writes"):
        assert by_group[name] >= 40, (name, by_group[name])
    assert by_group["shutdown dates"] >= 80
    figures = {(f.model, f.field): f for f in report.figures}
    # the sets' batch prices are in the catalog (genai-prices' Mistral batch rates)
    large = figures[("mistral-large-4", "batch.input")]
    assert (large.status, str(large.actual)) == ("agree", "0.35")
    # Claude Sonnet 4.5's retired >200K tier is a recorded choice, not an omission
    assert figures[("claude-sonnet-4-5", "tiers")].status == "chosen"
    assert "tiers" not in doc["models"]["claude-sonnet-4-5"]["prices"]


@needs_reference
def test_audit_of_the_bundled_catalog(bundled_cli) -> None:
    """`aicompare catalog audit`, as CI runs it: 0 unexplained, every group counted, 80 columns."""
    run = bundled_cli("catalog", "audit", "--json")
    assert (run.exit_code, run.stderr) == (0, "")
    doc = run.json()
    assert (doc["unexplained"], doc["disagreements"], doc["problems"]) == (0, [], [])
    assert [g["group"] for g in doc["groups"]] == [group.name for group in GROUPS]
    assert all(g["figures"] > 0 for g in doc["groups"]), doc["groups"]
    totals = doc["totals"]
    assert totals["figures"] == sum(g["figures"] for g in doc["groups"]) >= 2_800
    sys.stdout.write(
        "\naudit: "
        + ", ".join(f"{g['group']} {g['figures']} ({g['explained']} chosen)" for g in doc["groups"])
        + "\n"
    )
    text = bundled_cli("catalog", "audit")
    assert (text.exit_code, text.stderr) == (0, "")
    lines = text.stdout.splitlines()
    assert lines[0] == f"audit of {BUNDLED}" and lines[-1] == "0 unexplained disagreements"
    assert max(len(line) for line in lines[1:]) <= 80


@needs_reference
def test_regeneration_is_byte_identical(real_build) -> None:
    again = build(REFERENCE, CURATION)
    assert again.text == real_build.text
    assert real_build.text.encode("utf-8") == BUNDLED.read_bytes(), (
        "data/models.toml is not what `aicompare catalog build` generates; regenerate it"
    )


# --- it validates ---------------------------------------------------------------------------------


def test_bundled_catalog_validates_and_has_no_succession_cycle(bundled_cli) -> None:
    run = bundled_cli("catalog", "validate", "--json")
    assert run.exit_code == 0, run.stdout
    assert run.json()["valid"] is True
    catalog = load_catalog(include_user=False)
    successors = {m.id: m.superseded_by for m in catalog if m.superseded_by}
    assert successors, "the bundled catalog names successors"
    for start, first in successors.items():
        seen, node = [start], first
        while node in successors:
            assert node in catalog.models and node not in seen, seen
            seen.append(node)
            node = successors[node]
        assert node in catalog.models  # every chain ends at a real model


def test_prices_stay_exact() -> None:
    catalog = load_catalog(include_user=False)
    assert catalog.resolve("o4-mini").price("cached_input") == Decimal("0.275")
    assert catalog.resolve("gpt-image-1").image_price("medium", "1024x1536") == Decimal("0.063")
    doc, _ = read_document(BUNDLED)
    assert isinstance(doc["models"]["o4-mini"]["prices"]["input"], Decimal)


# --- the README's examples ------------------------------------------------------------------------


def test_readme_diff_example(bundled_cli) -> None:
    """`aicompare diff gpt-image-1 o4-mini` (README): the figures and the sentences."""
    doc = bundled_cli("diff", "gpt-image-1", "o4-mini", "--json").json()
    price = next(
        d for d in doc["differences"] if d["kind"] == "price" and d["field"] == "prices.input"
    )
    assert price == {
        "kind": "price",
        "text": "o4-mini is 78% cheaper on input tokens ($1.10 vs $5.00 per 1M).",
        "field": "prices.input",
        "models": ["o4-mini", "gpt-image-1"],
        "values": ["1.1", "5"],
        "percent": "78.00",
    }
    assert [d["percent"] for d in doc["differences"] if d["kind"] == "price"] == ["78.00", "78.00"]
    o4 = doc["models"][1]
    assert o4["prices"]["standard"] == {
        "input": "1.1",
        "cached_input": "0.275",
        "output": "4.4",
        "web_search_per_1k": "10",
    }
    assert o4["status"] == "retired" and o4["lifecycle"]["superseded_by"] == "gpt-5.6-terra"
    grid = doc["models"][0]["image_prices"]
    assert grid["medium"]["1024x1536"] == "0.063"
    input_row = next(r for r in doc["rows"] if r["field"] == "prices.input")
    assert input_row["values"] == ["5", "1.1"] and input_row["better"] == ["o4-mini"]
    text = bundled_cli("diff", "gpt-image-1", "o4-mini").stdout
    for line in (
        "- o4-mini is 78% cheaper on input tokens ($1.10 vs $5.00 per 1M).",
        "- o4-mini is 78% cheaper on cached input tokens ($0.275 vs $1.25 per 1M).",
        "- Only gpt-image-1 supports image generation and image editing.",
        (
            "- gpt-image-1 has been superseded by gpt-image-2.5-sunburst: for new builds, "
            "consider the newer model first."
        ),
        "- gpt-image-1 was retired on 2026-10-23 (29 days ago).",
        (
            "- o4-mini has been superseded by gpt-5.6-terra: for new builds, consider the newer "
            "model first."
        ),
        "- o4-mini was retired on 2026-10-23 (29 days ago).",
    ):
        assert line in text.splitlines(), line


def test_readme_cost_example(bundled_cli) -> None:
    """`aicompare cost o4-mini gpt-5-mini gpt-4.1-mini --input 4M --output 1M` (README)."""
    doc = bundled_cli(
        "cost", "o4-mini", "gpt-5-mini", "gpt-4.1-mini", "--input", "4M", "--output", "1M", "--json"
    ).json()
    assert [
        (r["rank"], r["model"], r["total"], r["delta"], r["delta_percent"]) for r in doc["results"]
    ] == [
        (1, "gpt-5-mini", "3", "0", "0.00"),
        (2, "gpt-4.1-mini", "3.2", "0.2", "6.67"),
        (3, "o4-mini", "8.8", "5.8", "193.33"),
    ]
    items = {
        r["model"]: [
            (i["kind"], i["quantity"], i["unit_price"], i["cost"]) for i in r["line_items"]
        ]
        for r in doc["results"]
    }
    assert items["gpt-5-mini"] == [
        ("input", 4_000_000, "0.25", "1"),
        ("output", 1_000_000, "2", "2"),
    ]
    assert items["o4-mini"] == [
        ("input", 4_000_000, "1.1", "4.4"),
        ("output", 1_000_000, "4.4", "4.4"),
    ]
    assert doc["workload"]["input_tokens"] == 4_000_000 and doc["workload"]["period"] == "month"


def test_readme_image_cost_example(bundled_cli) -> None:
    run = bundled_cli(
        "cost", "gpt-image-1", "--images", "1_000", "--quality", "medium", "--size", "1024x1536"
    )
    assert run.exit_code == 0, run.stderr
    # the per-image price is the output only: gpt-image-1 bills its prompt by the token
    assert "1k images × $0.063 per image = $63.00 (medium 1024x1536, output only)" in run.stdout


@needs_reference
def test_build_check_passes_on_the_checkout(bundled_cli) -> None:
    """`aicompare catalog build --check` with every default, as CI runs it: up to date."""
    run = bundled_cli("catalog", "build", "--check")
    assert (run.exit_code, run.stderr) == (0, "")
    assert run.stdout.startswith(f"ok: {BUNDLED} is up to date: 581 models from 32 makers ")


def test_an_ocr_model_does_not_serve_text_tokens(bundled_cli) -> None:
    """GLM-OCR bills $0.03 per 1M input tokens, but of images and PDFs: a chat workload must not
    rank it the cheapest text model (it did, when no modalities were listed)."""
    doc = bundled_cli("cost", "glm-ocr", "--tokens", "1M", "--json").json()
    (row,) = doc["results"]
    assert row["total"] is None and row["rank"] is None
    assert row["cannot_serve"] == ["text tokens (glm-ocr reads image and pdf input, not text)"]
    browse = bundled_cli("cost", "--tokens", "5M", "--json", "--as-of", "2026-11-26").json()
    assert "glm-ocr" not in [r["model"] for r in browse["results"]]


def test_cost_notes_say_a_named_models_status_whole(bundled_cli) -> None:
    """The status column is cut on a narrow terminal; the successor a user acts on is in a note."""
    text = bundled_cli("cost", "o4-mini", "gpt-5-mini", "--tokens", "1M", "--as-of", "2026-11-26")
    notes = " ".join(text.stdout.split("Notes", 1)[1].split())
    assert "- o4-mini: retired 2026-10-23; superseded by gpt-5.6-terra" in notes
    assert "- gpt-5-mini: deprecated, shuts down 2026-12-11; superseded by gpt-5.6-terra" in notes
