"""The bundled catalog's facts agree with each other: capabilities with modalities (so that `best`
qualifies every image generator), 5-minute and 1-hour cache writes, release dates, free models
and availability marks. Like tests/test_catalog_golden.py these read data/models.toml, so a data
regeneration can break them; check the new figures against the data sets and update both.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aicompare.catalog import Catalog, Layer
from aicompare.loader import build_catalog, read_document
from aicompare.model import GENERAL, Status
from aicompare.schema import MODALITY_CAPABILITIES

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "models.toml"
TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    data, _ = read_document(BUNDLED)
    return data


@pytest.fixture(scope="module")
def catalog(doc: dict[str, Any]) -> Catalog:
    # the loader runs every validation rule, the capability/modality ones among them
    return build_catalog([(Layer("bundled", str(BUNDLED), True), doc, BUNDLED.read_text())])


def test_capabilities_and_modalities_agree_in_both_directions(catalog: Catalog) -> None:
    stated = Counter()
    for model in catalog.models.values():
        for capability, side, modality in MODALITY_CAPABILITIES:
            listed = model.input_modalities if side == "input" else model.output_modalities
            if model.has(capability) and listed:
                assert modality in listed, (model.id, capability)
                stated[capability] += 1
            if modality in listed and model.capabilities:
                if capability == "image_generation" and (
                    model.type != "image" or model.has("image_editing")
                ):
                    continue
                assert model.has(capability), (model.id, modality)
    # the pairs the rule holds on the bundled data (both facts stated)
    assert stated == {
        "vision": 207,
        "pdf_input": 99,
        "audio_input": 74,
        "audio_output": 27,
        "image_generation": 50,
    }


def test_every_current_image_generator_says_it_outputs_images(catalog: Catalog) -> None:
    generators = [
        m
        for m in catalog.models.values()
        if m.type == "image" and m.has("image_generation") and m.status(TODAY) is Status.CURRENT
    ]
    # `best --for image-generation` requires type image and image output: before the build
    # fixed the data, 9 of the first 33 qualified (24 had no output_modalities at all); Meta's
    # Muse Image and Runway's two image models came with the wider coverage
    assert len(generators) == 36
    assert [m.id for m in generators if "image" not in m.output_modalities] == []


def test_anthropic_cache_writes_by_lifetime(catalog: Catalog) -> None:
    sonnet = catalog.models["claude-sonnet-4-5"].prices.standard
    assert (sonnet.get("input"), sonnet.get("cache_write"), sonnet.get("cache_write_1h")) == (
        Decimal(3),
        Decimal("3.75"),
        Decimal(6),
    )
    claudes = [m for m in catalog.models.values() if m.provider == "anthropic"]
    assert len(claudes) == 19
    for model in claudes:
        p = model.prices.standard
        base = p.get("input")
        assert base is not None, model.id
        # Anthropic: a 5-minute write costs 1.25x input, a 1-hour write 2x
        assert (p.get("cache_write"), p.get("cache_write_1h")) == (base * Decimal("1.25"), base * 2)


def test_one_hour_cache_writes_come_only_where_a_data_set_sells_them(catalog: Catalog) -> None:
    with_1h = sorted(
        m.id for m in catalog.models.values() if m.prices.standard.get("cache_write_1h") is not None
    )
    assert len(with_1h) == 22
    assert {catalog.models[m].provider for m in with_1h} == {"anthropic", "moonshot"}
    for mid in with_1h:
        assert catalog.models[mid].prices.standard.get("cache_write") is not None, mid


def test_release_dates_the_data_sets_state(catalog: Catalog) -> None:
    released = {m.id: m.release_date for m in catalog.models.values()}
    # a year earlier than o3 itself in models.dev; their only API names say 2025-06-26
    assert released["o3-deep-research"] == released["o4-mini-deep-research"] == dt.date(2025, 6, 26)
    # models.dev's ministral-3b-latest is the 2024 Ministral 3B, not Ministral 3 (2512)
    assert released["ministral-3b-2512"] == dt.date(2025, 12, 2)
    assert released["grok-4.20"] == dt.date(2026, 3, 9)
    assert released["grok-4.6"] == dt.date(2026, 8, 12)
    assert released["deepseek-flash"] == dt.date(2026, 9, 10)
    assert released["amazon.nova-2-pro-preview-20251202-v1:0"] == dt.date(2025, 12, 2)


def test_current_text_models_without_a_release_date(catalog: Catalog) -> None:
    """No data set dates these: most are newer than the models.dev snapshot (2026-07-02), the
    only set with release dates, or only genai-prices (which dates no release) lists them."""
    missing = Counter(
        m.provider
        for m in catalog.models.values()
        if m.type == "text" and m.status(TODAY) is Status.CURRENT and m.release_date is None
    )
    assert sum(missing.values()) == 151
    assert missing == {
        "alibaba": 29,
        "openai": 26,
        "mistral": 14,
        "anthropic": 9,
        "google": 9,
        "zhipu": 9,
        "bytedance": 8,
        "ai21": 7,
        "meta": 6,
        "perplexity": 6,
        "xai": 6,
        "minimax": 5,
        "amazon": 4,
        "moonshot": 3,
        "ant": 2,
        "elevenlabs": 2,
        "xiaomi": 2,
        "arcee": 1,
        "deepseek": 1,
        "inception": 1,
        "upstage": 1,
    }


def test_free_models_are_free_on_the_makers_api(catalog: Catalog) -> None:
    free = sorted(m.id for m in catalog.models.values() if m.free)
    assert free == [
        "gemma-3-27b-it",
        "gemma-4-26b-a4b-it",
        "gemma-4-31b-it",
        "glm-4.5-flash",
        "glm-4.7-flash",
        "labs-leanstral-1-5",
        "labs-leanstral-1-5-1",
        "mistral-moderation-2603",
        "omni-moderation-latest",
    ]


def test_availability_marks_follow_the_makers_ids(catalog: Catalog) -> None:
    marked = {m.id: m.availability for m in catalog.models.values() if m.availability != GENERAL}
    assert len(marked) == 38
    assert Counter(marked.values()) == {"preview": 35, "experimental": 3}
    for mid in marked:
        assert any(word in mid for word in ("preview", "exp")), mid


def test_no_billed_model_writes_its_cache_for_free(catalog: Catalog) -> None:
    # DeepSeek and Z.ai bill no separate write (0 in the data sets): the price is left out
    zero = sorted(
        m.id
        for m in catalog.models.values()
        if m.prices.standard.get("cache_write") == 0 and m.prices.standard.get("input")
    )
    assert zero == []
    for mid in ("deepseek-chat", "glm-4.5", "glm-5"):
        assert catalog.models[mid].prices.standard.get("cache_write") is None, mid
    # qwen3.7-plus: models.dev's write price belongs to an earlier input price
    assert catalog.models["qwen3.7-plus"].prices.standard.get("cache_write") is None
