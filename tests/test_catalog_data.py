"""The bundled catalog: what it must hold, the cross-check against the public data sets, and the
build that generates it (on a small fixture and, when the data sets are present, for real)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aicompare.catalog import Catalog, Layer
from aicompare.cli import app
from aicompare.curate import HEADER, build, load_curation
from aicompare.curate_check import References, cross_check
from aicompare.errors import CatalogError
from aicompare.importers.litellm import SNAPSHOT
from aicompare.loader import build_catalog, read_document

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "models.toml"
CURATION = ROOT / "data" / "curation.toml"
# CI keeps the reference data sets next to the checkout.
REFERENCE = ROOT.parent / "shared" / "reference"
FIXTURE = Path(__file__).parent / "data" / "curate"
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
    assert len(catalog) >= 300
    makers = {m.provider for m in catalog}
    assert len(makers) >= 15
    for maker in ("openai", "anthropic", "google", "xai", "mistral", "deepseek", "cohere", "amazon",
                  "alibaba", "moonshot", "zhipu", "minimax", "perplexity", "ai21",
                  "black-forest-labs", "stability", "recraft", "ideogram"):
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
    routes = ("openai/", "anthropic/", "gemini/", "xai/", "mistral/", "deepseek/", "cohere/",
              "dashscope/", "moonshot/", "zai/", "minimax/", "bedrock/", "fal_ai/", "azure/")
    for model in catalog:
        assert not model.id.startswith(routes), model.id
    for model_id in ("gpt-4.1-mini", "o4-mini", "gpt-image-1", "gemini-2.5-pro", "claude-sonnet-4-5"):
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

    for model_id, table in doc["models"].items():
        for key, value in table.get("prices", {}).items():
            if key not in ("batch", "tiers"):
                assert isinstance(value, (Decimal, int)) and not isinstance(value, bool), model_id
    assert doc["models"]["o4-mini"]["prices"]["cached_input"] == Decimal("0.275")


def test_retired_models_say_so_with_their_successor(catalog: Catalog, curation: dict) -> None:
    curated = {mid: table["lifecycle"]["superseded_by"] for mid, table in curation["models"].items()
               if "superseded_by" in table.get("lifecycle", {})}
    assert curated["gpt-4.1-mini"] == curated["o4-mini"] == "gpt-5-mini"
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
    assert rows["o4-mini"]["status"] == "retired" and rows["o4-mini"]["superseded_by"] == "gpt-5-mini"
    assert rows["gpt-image-1"]["status"] == "retired"
    images = bundled_cli("list", "--type", "image", "--json").json()["models"]
    assert sum(1 for row in images if row["image_price_from"] is not None) >= 40


REQUIRED_DETAIL = ("gpt-image-1", "gpt-image-1-mini", "o3-mini", "o4-mini", "gpt-4.1-mini",
                   "gpt-4o-mini", "gpt-5-mini",
                   # the current flagship and small model of the major makers
                   "gpt-6-astra", "gpt-6-luna", "claude-fable-5-1", "claude-opus-5-5",
                   "claude-haiku-5-5", "gemini-4-argon", "gemini-3.5-flash-lite", "grok-4.7",
                   "grok-4.3", "mistral-large-4", "mistral-small-2603", "deepseek-v4-pro",
                   "deepseek-v4-flash", "qwen3.8-max", "qwen3.8-flash", "amazon.nova-premier-v1:0",
                   "amazon.nova-micro-v1:0", "command-a-plus-05-2026", "command-r7b-12-2024",
                   "kimi-k3.1-pro", "glm-5.3", "glm-5.3-flash", "MiniMax-M3", "jamba-large-1.7",
                   "jamba-mini-1.7")


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
def test_cross_check_against_the_data_sets(doc: dict[str, Any], curation: dict) -> None:
    """Every figure the data sets have for a bundled model agrees with the value they agree on,
    or with the choice the curation records where they disagree."""
    refs = References(REFERENCE, curation["sets"], curation["meta"]["as_of"])
    report = cross_check(doc, refs, curation)
    sys.stdout.write(f"\ncross-check: {report.models_found} models found in the data sets, "
                     f"{report.checked} figures checked ({report.multi_source} in two or more sets), "
                     f"{report.agreeing} agree, {report.curated} curated\n")
    assert report.problems == []
    assert report.models_found >= 300
    assert report.agreeing + report.curated == report.checked


@needs_reference
def test_regeneration_is_byte_identical(real_build) -> None:
    again = build(REFERENCE, CURATION)
    assert again.text == real_build.text
    assert real_build.text.encode("utf-8") == BUNDLED.read_bytes(), (
        "data/models.toml is not what `aicompare catalog build` generates; regenerate it")


# --- the build, on a small fixture -----------------------------------------------------------


@pytest.fixture
def fixture_curation(tmp_path: Path) -> Path:
    """A writable copy of the fixture curation (tests change it)."""
    path = tmp_path / "curation.toml"
    shutil.copy(FIXTURE / "curation.toml", path)
    return path


def fixture_build(curation: Path):
    return build(FIXTURE / "reference", curation)


def test_fixture_build(fixture_curation: Path) -> None:
    result = fixture_build(fixture_curation)
    models = result.doc["models"]
    assert list(models) == ["acme-embed", "acme-large", "acme-mini", "acme-old", "pixel-one"]
    assert list(result.doc["providers"]) == ["acme", "pixel"]
    large = models["acme-large"]
    # the dated record folds into its base; models.dev fills the name and the cut-off
    assert large["snapshots"] == ["acme-large-2025-03-01"] and large["name"] == "Acme Large"
    assert large["knowledge_cutoff"] == "2025-01"
    assert large["source_url"] == "https://acme.example/models/acme-large"
    mini = models["acme-mini"]
    assert mini["aliases"] == ["acme-mini-latest"]
    assert str(mini["prices"]["output"]) == "0.4" and mini["context_window"] == 128000
    assert mini["source_url"] == "https://acme.example/pricing"  # a reseller's page is not used
    assert mini["strengths"] == ["Cheap chat"]
    old = models["acme-old"]["lifecycle"]
    assert old["shutdown_date"] == dt.date(2025, 6, 30) and old["superseded_by"] == "acme-large"
    assert "Acme's deprecation notice" in old["note"]
    pixel = models["pixel-one"]
    assert pixel["notes"].startswith("Price from resale.example")
    assert pixel["source_url"] == "https://resale.example/pixel-one"
    assert {q: {s: str(v) for s, v in sizes.items()} for q, sizes in pixel["image_prices"].items()} \
        == {"low": {"1024x1024": "0.02"}, "any": {"any": "0.04"}}
    assert all(table["as_of"] == dt.date(2026, 1, 15) for table in models.values())
    assert any(line.startswith("acme acme-unpriced: no price") for line in result.skipped)
    assert "ft:acme-large" not in models and "acme-large" in models
    check = result.check
    assert check.problems == [] and check.curated == 2
    assert check.checked == check.agreeing + check.curated
    assert fixture_build(fixture_curation).text == result.text
    assert result.text.startswith(HEADER)


def test_unresolved_and_stale_choices_are_problems(fixture_curation: Path) -> None:
    # the context-window choice becomes an input choice the data sets do not need
    text = fixture_curation.read_text()
    fixture_curation.write_text(text.replace('field = "context_window"\nvalue = 128000',
                                             'field = "input"\nvalue = 0.1'))
    check = fixture_build(fixture_curation).check
    assert any("acme-mini: context_window: the data sets disagree" in p for p in check.problems)
    assert any("acme-mini: input: the data sets now agree" in p for p in check.problems)


MINI = '[models.acme-mini]\nname = "Acme Mini"\nfold = ["acme-mini-latest"]\n'


@pytest.mark.parametrize(("block", "message"), [
    ('[models.acme-mini]\nfold = ["acme-mini-latest", "acme-old"]\n', "cannot fold 'acme-old'"),
    (MINI + "context_window = 5\n", "set checked figures through [[choices]]"),
    ('[models.acme-nothing]\nname = "x"\n\n' + MINI, "models.acme-nothing: no such model"),
])
def test_bad_curation_stops_the_build(fixture_curation: Path, block: str, message: str) -> None:
    text = fixture_curation.read_text()
    assert MINI in text
    fixture_curation.write_text(text.replace(MINI, block))
    with pytest.raises(CatalogError) as info:
        fixture_build(fixture_curation)
    assert any(message in p for p in info.value.problems), info.value.problems


def test_curated_successor_is_written_as_its_id(fixture_curation: Path) -> None:
    text = fixture_curation.read_text()
    fixture_curation.write_text(text.replace('superseded_by = "acme-large"',
                                             'superseded_by = "ACME-LARGE-2025-03-01"'))
    result = fixture_build(fixture_curation)
    assert result.doc["models"]["acme-old"]["lifecycle"]["superseded_by"] == "acme-large"
    assert '\nsuperseded_by = "acme-large"\n' in result.text


@pytest.mark.parametrize(("successor", "message"), [
    ("acme-old", "models.acme-old.lifecycle.superseded_by: names the model itself"),
    ("acme-nothing", "names no model in the catalog: 'acme-nothing'"),
])
def test_curated_successor_is_checked(fixture_curation: Path, successor: str, message: str) -> None:
    text = fixture_curation.read_text()
    fixture_curation.write_text(text.replace('superseded_by = "acme-large"',
                                             f'superseded_by = "{successor}"'))
    with pytest.raises(CatalogError) as info:
        fixture_build(fixture_curation)
    assert [p.split(": ", 1)[1] for p in info.value.problems] == [
        message if message.startswith("models.") else
        f"models.acme-old.lifecycle.superseded_by: {message}"]


def test_curated_succession_cycle_stops_the_build(fixture_curation: Path) -> None:
    text = fixture_curation.read_text()
    assert "[models.acme-large]" not in text
    fixture_curation.write_text(
        text + '\n[models.acme-large.lifecycle]\nsuperseded_by = "Acme-Old"\n')
    with pytest.raises(CatalogError) as info:
        fixture_build(fixture_curation)
    assert [p.split(": ", 1)[1] for p in info.value.problems] == [
        ("models.acme-large.lifecycle.superseded_by: "
         "succession cycle acme-large -> acme-old -> acme-large")]


def test_build_command(tmp_path: Path, fixture_curation: Path) -> None:
    out = tmp_path / "models.toml"
    args = ["catalog", "build", "--reference", str(FIXTURE / "reference"),
            "--curation", str(fixture_curation), "--out", str(out)]
    run = CliRunner().invoke(app, args, catch_exceptions=False)
    assert run.exit_code == 0, run.stderr
    assert re.match(r"wrote .*: 5 models from 2 makers \(1 image models with per-image prices\); "
                    r"cross-check: \d+ figures checked, \d+ agree, 2 curated", run.stdout)
    first = out.read_bytes()
    run = CliRunner().invoke(app, [*args, "--check"], catch_exceptions=False)
    assert run.exit_code == 0 and run.stdout.startswith("ok: ")
    assert CliRunner().invoke(app, args, catch_exceptions=False).stdout.startswith("unchanged")
    assert out.read_bytes() == first
    out.write_text(first.decode().replace("Acme Large", "Acme Huge"))
    run = CliRunner().invoke(app, [*args, "--check"], catch_exceptions=False)
    assert run.exit_code == 1 and "run 'aicompare catalog build'" in run.stderr
    # a disagreement without a choice: nothing is written
    fixture_curation.write_text(fixture_curation.read_text().replace('field = "output"', 'field = "input"'))
    before = out.read_bytes()
    run = CliRunner().invoke(app, args, catch_exceptions=False)
    assert run.exit_code == 1 and "acme-mini: output: the data sets disagree" in run.stderr
    assert out.read_bytes() == before
    run = CliRunner().invoke(app, [*args[:2], "--reference", str(tmp_path / "nope")],
                             catch_exceptions=False)
    assert run.exit_code == 2 and "is not a folder" in run.stderr
