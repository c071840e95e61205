"""Importers: LiteLLM, models.dev and genai-prices data -> catalog model tables."""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aicompare.catalog import Catalog, Layer
from aicompare.errors import CatalogError, UsageError
from aicompare.importers import FORMATS, ImportResult, genai_prices, import_file, litellm, modelsdev
from aicompare.importers._common import PER_MILLION, money
from aicompare.loader import build_catalog

DATA = Path(__file__).parent / "data" / "importers"
REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
LITELLM_FILE = REFERENCE / "litellm" / "model_prices_and_context_window.json"
MODELSDEV_FILE = REFERENCE / "models.dev" / "models-dev-catalog.json"
GENAI_FILE = REFERENCE / "genai-prices" / "data.v2.pypi-0.2.3.json"
AS_OF = dt.date(2026, 11, 21)

needs_reference = pytest.mark.skipif(
    not REFERENCE.is_dir(),
    reason=f"reference data sets not present at {REFERENCE} (only in the development checkout)",
)


def run(fmt: str, name: str, **kwargs: Any) -> ImportResult:
    return import_file(fmt, DATA / name, as_of=AS_OF, **kwargs)


def validate(result: ImportResult) -> Catalog:
    """The project's own validator must accept every converted table."""
    return build_catalog([(Layer("option", "import", True), {"models": result.models}, "")])


def assert_no_float(value: object, path: str = "") -> None:
    assert not isinstance(value, float), f"float at {path}"
    if isinstance(value, dict):
        for key, item in value.items():
            assert_no_float(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            assert_no_float(item, f"{path}[{i}]")


def reasons(result: ImportResult) -> dict[str, str]:
    return {s.key: s.reason for s in result.skipped}


def notes_of(result: ImportResult, model_id: str) -> list[str]:
    return [str(n) for n in result.notes if n.subject == model_id]


# --- exact unit conversion -------------------------------------------------------------------


def test_money_is_exact_and_tidy() -> None:
    assert money(Decimal("1.1e-06"), PER_MILLION) == Decimal("1.1")
    assert str(money(Decimal("1.1e-06"), PER_MILLION)) == "1.1"
    # float noise in the source text (0.1 / 1e6 computed in binary) is rounded away
    assert str(money(Decimal("1.0000000000000001e-07"), PER_MILLION)) == "0.1"
    assert str(money(Decimal("1e-05"), PER_MILLION)) == "10"
    assert str(money(Decimal("0.0001"), 60)) == "0.006"
    assert str(money(Decimal("0.36"), 1, 60)) == "0.006"
    assert money(Decimal("-1")) is None
    assert money(True) is None
    assert money("1.0") is None
    assert money(Decimal("1e999999999"), PER_MILLION) is None
    assert money(Decimal("Infinity")) is None


def test_formats_constant() -> None:
    assert FORMATS == ("litellm", "models.dev", "genai-prices", "csv")


# --- LiteLLM ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lite() -> ImportResult:
    return run("litellm", "litellm.json")


def test_litellm_token_prices_and_limits(lite: ImportResult) -> None:
    o4 = lite.models["o4-mini"]
    assert o4["provider"] == "openai" and o4["type"] == "text"
    assert o4["prices"]["input"] == Decimal("1.1")
    assert o4["prices"]["cached_input"] == Decimal("0.275")
    assert o4["prices"]["output"] == Decimal("4.4")
    assert o4["prices"]["batch"] == {"input": Decimal("0.55"), "output": Decimal("2.2")}
    assert o4["context_window"] == 200_000 and o4["max_output_tokens"] == 100_000
    assert o4["lifecycle"] == {"shutdown_date": dt.date(2026, 10, 23)}
    assert o4["source_url"] == "https://developers.openai.com/api/docs/pricing"
    assert o4["as_of"] == AS_OF
    assert "batch" in o4["capabilities"] and "structured_outputs" in o4["capabilities"]
    assert "parallel_tool_calls" not in o4["capabilities"]  # false in the source
    assert_no_float(lite.models)


def test_litellm_snapshots_fold_only_when_prices_agree(lite: ImportResult) -> None:
    assert lite.models["o4-mini"]["snapshots"] == ["o4-mini-2025-04-16"]
    assert "o4-mini-2025-04-16" not in lite.models
    assert reasons(lite)["o4-mini-2025-04-16"] == "snapshot folded into o4-mini"
    assert notes_of(lite, "o4-mini-2025-04-16") == []  # same notes as its base, not repeated
    # gpt-4o-2024-05-13 has other prices: it stays its own row
    assert lite.models["gpt-4o"]["snapshots"] == ["gpt-4o-2024-08-06"]
    assert lite.models["gpt-4o-2024-05-13"]["prices"]["input"] == Decimal("5")
    assert any(
        "its own lifecycle is not kept" in line and "2027-01-14" in line
        for line in notes_of(lite, "gpt-4o-2024-08-06")
    )


def test_litellm_gpt_image_1_grid(lite: ImportResult) -> None:
    image = lite.models["gpt-image-1"]
    assert image["type"] == "image"
    assert image["image_prices"] == {
        "low": {
            "1024x1024": Decimal("0.011"),
            "1024x1536": Decimal("0.016"),
            "1536x1024": Decimal("0.016"),
        },
        "medium": {
            "1024x1024": Decimal("0.042"),
            "1024x1536": Decimal("0.063"),
            "1536x1024": Decimal("0.063"),
        },
        "high": {
            "1024x1024": Decimal("0.167"),
            "1024x1536": Decimal("0.25"),
            "1536x1024": Decimal("0.25"),
        },
    }
    assert image["image_prices"]["medium"]["1024x1536"] == Decimal("0.063")
    assert image["prices"]["image_output"] == Decimal("40")
    assert image["endpoints"] == ["images_edits", "images_generations"]
    assert reasons(lite)["medium/1024-x-1536/gpt-image-1"] == (
        "per-image price folded into gpt-image-1"
    )


def test_litellm_gpt_image_15_duplicate_keys_skipped(lite: ImportResult) -> None:
    grid = lite.models["gpt-image-1.5"]["image_prices"]
    assert grid == {
        "low": {"1024x1024": Decimal("0.009")},
        "medium": {"1024x1024": Decimal("0.034")},
    }
    why = reasons(lite)
    duplicate = "duplicates the low-quality price of gpt-image-1.5"
    assert why["standard/1024-x-1024/gpt-image-1.5"] == duplicate
    assert why["1024-x-1024/gpt-image-1.5"] == duplicate


def test_litellm_provider_prefixed_keyed_images(lite: ImportResult) -> None:
    fal = lite.models["fal_ai/openai/gpt-image-2"]
    # the flat 0.145 is the default-request fallback, already the high 1024x768 cell
    assert fal["image_prices"] == {
        "high": {"1024x768": Decimal("0.145")},
        "low": {"1024x1024": Decimal("0.006")},
    }
    why = reasons(lite)
    assert why["fal_ai/low/1024-x-1024/openai/gpt-image-2"] == (
        "per-image price folded into fal_ai/openai/gpt-image-2"
    )
    assert why["1024-x-1024/50-steps/stability.stable-diffusion-xl-v1"].startswith(
        "per-image price without a base model entry"
    )
    assert why["azure/hd/1024-x-1024/dall-e-3"].startswith("only a per-pixel price")


def test_litellm_long_context_tiers_and_notes(lite: ImportResult) -> None:
    pro = lite.models["gemini-2.5-pro"]["prices"]
    assert pro["input"] == Decimal("1.25") and pro["output"] == Decimal("10")
    assert pro["tiers"] == [
        {
            "above_input_tokens": 200_000,
            "cache_write": Decimal("0.25"),
            "cached_input": Decimal("0.25"),
            "input": Decimal("2.5"),
            "output": Decimal("15"),
        }
    ]
    assert pro["batch"] == {"input": Decimal("0.625"), "output": Decimal("5")}
    # service tiers: LiteLLM's _flex and _priority fields are tables of their own
    assert pro["flex"] == {
        "cached_input": Decimal("0.125"),
        "input": Decimal("0.625"),
        "output": Decimal("5"),
    }
    assert pro["priority"] == {
        "cached_input": Decimal("0.225"),
        "input": Decimal("2.25"),
        "output": Decimal("18"),
    }
    # the grounding search's price per query, the same at every context size: per 1,000
    assert pro["web_search_per_1k"] == Decimal("35")
    lines = notes_of(lite, "gemini-2.5-pro")
    assert not any("input_cost_per_token_priority" in line for line in lines)
    assert any(
        "long-context flex and priority" in line
        and "input_cost_per_token_above_200k_tokens_priority" in line
        for line in lines
    )
    assert any(
        "per-query" in line and "google_maps_grounding_cost_per_query" in line for line in lines
    )
    assert not any("search_context_cost_per_query" in line for line in lines)
    assert any("batch long-context tier" in line for line in lines)


def test_litellm_tiered_pricing_ranges(lite: ImportResult) -> None:
    prices = lite.models["dashscope/qwen-flash"]["prices"]
    assert prices["input"] == Decimal("0.05") and prices["output"] == Decimal("0.4")
    assert prices["tiers"] == [
        {"above_input_tokens": 256_000, "input": Decimal("0.25"), "output": Decimal("2")}
    ]


def test_litellm_non_text_types_and_units(lite: ImportResult) -> None:
    embed = lite.models["text-embedding-3-small"]
    assert embed["type"] == "embedding"
    assert embed["prices"] == {"input": Decimal("0.02"), "batch": {"input": Decimal("0.01")}}
    whisper = lite.models["whisper-1"]
    assert whisper["type"] == "audio"
    assert whisper["prices"] == {"audio_input_per_minute": Decimal("0.006")}
    assert whisper["endpoints"] == ["audio_transcriptions"]
    assert lite.models["tts-1"]["prices"] == {"input_per_1m_characters": Decimal("15")}
    sora = lite.models["sora-2"]
    assert sora["type"] == "video" and sora["prices"] == {"video_output_per_second": Decimal("0.1")}
    assert sora["output_modalities"] == ["video"] and sora["input_modalities"] == ["image", "text"]
    moderation = lite.models["omni-moderation-latest"]
    assert moderation["type"] == "moderation"
    assert moderation["prices"] == {"input": Decimal("0")}  # free, and output not billed
    assert "max_output_tokens" not in moderation  # the source's 0 means unknown
    rerank = lite.models["rerank-v3.5"]
    assert rerank["type"] == "rerank" and "prices" not in rerank  # billed per query only
    assert any("input_cost_per_query" in line for line in notes_of(lite, "rerank-v3.5"))


def test_litellm_skips_and_notes(lite: ImportResult) -> None:
    why = reasons(lite)
    assert why["exa_ai/search"] == "mode 'search' has no catalog type"
    assert why["sample_spec"] == "documentation entry, not a model"
    # off-peak: the weekday UTC windows, merged across midnight; the weekend rule is noted
    assert lite.models["deepseek-flash"]["prices"]["off_peak"] == {
        "cached_input": Decimal("0.003"),
        "hours": "04:00-06:00, 10:00-01:00",
        "input": Decimal("0.15"),
        "output": Decimal("0.6"),
    }
    [line] = notes_of(lite, "deepseek-flash")
    assert "off-peak days (weekends) not representable" in line
    [line] = notes_of(lite, "together_ai/deepseek-ai/DeepSeek-V3")
    assert "successor not in this import" in line
    kimi = lite.models["together_ai/moonshotai/Kimi-K2-Instruct"]
    assert kimi["lifecycle"]["superseded_by"] == "together_ai/moonshotai/Kimi-K3"


def test_litellm_accounts_for_every_key_and_validates(lite: ImportResult) -> None:
    source = json.loads((DATA / "litellm.json").read_text())
    assert len(lite.models) + len(lite.skipped) == len(source)
    assert list(lite.models) == sorted(lite.models)
    assert lite == run("litellm", "litellm.json")
    catalog = validate(lite)
    assert catalog.models["gpt-image-1"].image_price("medium", "1024x1536") == Decimal("0.063")


def test_litellm_provider_filter() -> None:
    result = run("litellm", "litellm.json", provider="openai")
    assert result.models and {m["provider"] for m in result.models.values()} == {"openai"}
    assert "fal_ai/openai/gpt-image-2" not in result.models
    assert not any(key.startswith("fal_ai/") for key in reasons(result))
    validate(result)
    empty = run("litellm", "litellm.json", provider="nobody")
    assert empty.models == {} and "no models of provider 'nobody'" in str(empty.notes[0])


def test_litellm_ids_differing_in_case() -> None:
    record = {"litellm_provider": "x", "mode": "chat", "input_cost_per_token": Decimal("1e-06")}
    result = litellm.convert({"M": dict(record), "m": dict(record)}, source="inline", as_of=AS_OF)
    assert list(result.models) == ["M"]
    assert reasons(result) == {"m": "duplicate id (differs only in case)"}
    validate(result)


# --- models.dev ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mdev() -> ImportResult:
    return run("models.dev", "modelsdev.json")


def test_modelsdev_prices_and_fields(mdev: ImportResult) -> None:
    o4 = mdev.models["openai/o4-mini"]
    assert o4["prices"] == {
        "cached_input": Decimal("0.275"),
        "input": Decimal("1.1"),
        "output": Decimal("4.4"),
    }
    assert o4["context_window"] == 200_000 and o4["max_output_tokens"] == 100_000
    assert o4["knowledge_cutoff"] == "2024-05"
    assert o4["release_date"] == dt.date(2025, 4, 16)
    assert set(o4["capabilities"]) == {
        "function_calling",
        "reasoning",
        "structured_outputs",
        "vision",
    }
    assert_no_float(mdev.models)
    validate(mdev)


def test_modelsdev_types_and_unknown_limits(mdev: ImportResult) -> None:
    image = mdev.models["openai/gpt-image-1"]
    assert image["type"] == "image"
    assert "context_window" not in image and "prices" not in image  # limits 0, no cost
    embed = mdev.models["openai/text-embedding-3-small"]
    assert embed["type"] == "embedding" and embed["output_modalities"] == ["embedding"]
    assert embed["prices"] == {"input": Decimal("0.02")} and "max_output_tokens" not in embed
    assert mdev.models["google/gemini-2.5-flash-image"]["type"] == "image"
    assert mdev.models["azure/gpt-5.1"]["type"] == "text"  # lists image output, is a chat model


def test_modelsdev_tiers(mdev: ImportResult) -> None:
    pro = mdev.models["google/gemini-2.5-pro"]["prices"]
    assert pro["tiers"] == [
        {
            "above_input_tokens": 200_000,
            "cached_input": Decimal("0.25"),
            "input": Decimal("2.5"),
            "output": Decimal("15"),
        }
    ]
    # context_over_200k repeats the 272k tier here; it must not become a second tier
    gpt = mdev.models["aihubmix/gpt-5.4"]["prices"]
    assert [tier["above_input_tokens"] for tier in gpt["tiers"]] == [272_000]


def test_modelsdev_legacy_over_200k_without_tiers() -> None:
    data = {
        "providers": {
            "x": {
                "id": "x",
                "models": {
                    "m": {
                        "id": "m",
                        "cost": {
                            "input": Decimal("1"),
                            "output": Decimal("2"),
                            "context_over_200k": {"input": Decimal("2"), "output": Decimal("4")},
                        },
                        "limit": {"context": 0, "output": 0},
                        "modalities": {"input": ["text"], "output": ["text"]},
                    }
                },
            }
        }
    }
    result = modelsdev.convert(data, source="inline", provider="x", as_of=AS_OF)
    assert result.models["m"]["prices"]["tiers"] == [
        {"above_input_tokens": 200_000, "input": Decimal("2"), "output": Decimal("4")}
    ]


def test_modelsdev_accepts_api_json_shape() -> None:
    providers = json.loads((DATA / "modelsdev.json").read_text(), parse_float=Decimal)["providers"]
    result = modelsdev.convert(providers, source="api.json", provider="openai", as_of=AS_OF)
    assert result.models["o4-mini"]["prices"]["input"] == Decimal("1.1")


def test_modelsdev_notes_and_filter(mdev: ImportResult) -> None:
    old = mdev.models["anthropic/claude-3-haiku-20240307"]
    assert "deprecated" in old["lifecycle"]["note"]
    assert any("deprecated" in line for line in notes_of(mdev, "anthropic/claude-3-haiku-20240307"))
    assert mdev.models["azure/claude-haiku-4-5"]["knowledge_cutoff"] == "2025-02"  # was 2025-02-31
    # models.dev's reasoning cost is Qwen's thinking-mode output price
    qwen = mdev.models["alibaba/qwen-plus"]["prices"]
    assert qwen["output"] == Decimal("1.2") and qwen["thinking_output"] == Decimal("4")
    assert not any("reasoning" in line for line in notes_of(mdev, "alibaba/qwen-plus"))
    only = run("models.dev", "modelsdev.json", provider="openai")
    assert sorted(only.models) == [
        "gpt-4o-mini",
        "gpt-image-1",
        "o4-mini",
        "text-embedding-3-small",
    ]
    assert only.models["o4-mini"]["provider"] == "openai"


# --- genai-prices ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def genai() -> ImportResult:
    return run("genai-prices", "genai-prices.json")


def test_genai_prices_basic_and_names(genai: ImportResult) -> None:
    o4 = genai.models["openai/o4-mini"]
    assert o4["prices"]["input"] == Decimal("1.1") and o4["prices"]["output"] == Decimal("4.4")
    assert o4["prices"]["batch"] == {"input": Decimal("0.55"), "output": Decimal("2.2")}
    assert o4["snapshots"] == ["openai/o4-mini-2025-04-16"]
    assert o4["aliases"] == ["openai/o4-mini-high"]
    assert o4["context_window"] == 200_000
    assert o4["prices"]["flex"] == {
        "cached_input": Decimal("0.138"),
        "input": Decimal("0.55"),
        "output": Decimal("2.2"),
    }
    assert o4["prices"]["priority"] == {
        "cached_input": Decimal("0.5"),
        "input": Decimal("2"),
        "output": Decimal("8"),
    }
    assert o4["prices"]["web_search_per_1k"] == Decimal("10")
    lines = notes_of(genai, "openai/o4-mini")
    assert not any("service_tier=priority" in line for line in lines)
    assert any("service_tier=fast" in line for line in lines)
    assert_no_float(genai.models)
    validate(genai)


def test_genai_prices_tiers_and_batch(genai: ImportResult) -> None:
    gpt = genai.models["openai/gpt-5.4"]["prices"]
    assert gpt["tiers"] == [
        {
            "above_input_tokens": 272_000,
            "cached_input": Decimal("0.5"),
            "input": Decimal("5"),
            "output": Decimal("22.5"),
        }
    ]
    assert gpt["batch"] == {
        "cached_input": Decimal("0.13"),
        "input": Decimal("1.25"),
        "output": Decimal("7.5"),
    }
    assert gpt["flex"] == gpt["batch"]  # flex is batch-priced for gpt-5.4
    assert any(
        "long-context tier prices of batch, flex or priority" in line
        and "batch input_mtok" in line
        and "flex output_mtok" in line
        for line in notes_of(genai, "openai/gpt-5.4")
    )
    pro = genai.models["google/gemini-2.5-pro"]["prices"]
    assert pro["tiers"][0]["above_input_tokens"] == 200_000


def test_genai_prices_time_windows_and_dates(genai: ImportResult) -> None:
    # the window 00:30-16:30 is dearer: those are the standard prices, and the base ones the
    # off-peak prices of the rest of the day
    chat = genai.models["deepseek/deepseek-chat"]["prices"]
    assert chat["input"] == Decimal("0.27") and chat["output"] == Decimal("1.1")
    assert chat["off_peak"] == {
        "cached_input": Decimal("0.035"),
        "hours": "16:30-00:30",
        "input": Decimal("0.135"),
        "output": Decimal("0.55"),
    }
    assert not any("time-window" in line for line in notes_of(genai, "deepseek/deepseek-chat"))
    later = run("genai-prices", "genai-prices.json", provider="google")
    now = later.models["gemini-3.6-flash"]["prices"]
    future = import_file(
        "genai-prices", DATA / "genai-prices.json", provider="google", as_of=dt.date(2027, 1, 1)
    ).models["gemini-3.6-flash"]["prices"]
    assert now != future
    assert any("after as_of" in line for line in notes_of(later, "gemini-3.6-flash"))


def test_genai_prices_types(genai: ImportResult) -> None:
    assert genai.models["openai/gpt-image-1.5"]["type"] == "image"
    assert genai.models["openai/gpt-image-1.5"]["prices"]["image_output"] == Decimal("32")
    assert any("type inferred" in line for line in notes_of(genai, "openai/gpt-image-1.5"))
    assert genai.models["openai/gpt-4o"]["type"] == "text"
    whisper = genai.models["openai/whisper-1"]
    assert whisper["type"] == "audio"
    assert whisper["prices"] == {"audio_input_per_minute": Decimal("0.006")}
    assert genai.models["openai/tts-1"]["prices"] == {"input_per_1m_characters": Decimal("15")}
    embed = genai.models["openai/text-embedding-3-small"]
    assert embed["type"] == "embedding"
    deprecated = genai.models["avian/Meta-Llama-3.1-8B-Instruct"]
    assert "deprecated" in deprecated["lifecycle"]["note"]


def test_genai_prices_provider_filter() -> None:
    only = run("genai-prices", "genai-prices.json", provider="openai")
    assert "o4-mini" in only.models and only.models["o4-mini"]["aliases"] == ["o4-mini-high"]
    assert {m["provider"] for m in only.models.values()} == {"openai"}
    validate(only)


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "csv"])  # csv: its own tests
def test_invalid_json_names_line_and_column(tmp_path: Path, fmt: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "a": 1,\n  "b": }\n')
    with pytest.raises(CatalogError) as err:
        import_file(fmt, bad, as_of=AS_OF)
    assert err.value.problems[0].startswith(f"{bad}:3:8: invalid JSON")


def test_invalid_utf8_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{"caf\xe9": 1}')
    with pytest.raises(CatalogError, match=r"latin1\.json:1:6: invalid UTF-8"):
        import_file("litellm", bad, as_of=AS_OF)
    with pytest.raises(CatalogError, match="no such file"):
        import_file("litellm", tmp_path / "missing.json", as_of=AS_OF)
    with pytest.raises(CatalogError, match="is a directory"):
        import_file("litellm", tmp_path, as_of=AS_OF)


def test_nan_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "nan.json"
    bad.write_text('{"m": {"litellm_provider": "x", "mode": "chat", "input_cost_per_token": NaN}}')
    with pytest.raises(CatalogError, match="NaN"):
        import_file("litellm", bad, as_of=AS_OF)


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("litellm", "modelsdev.json"),
        ("litellm", "genai-prices.json"),
        ("models.dev", "litellm.json"),
        ("models.dev", "genai-prices.json"),
        ("genai-prices", "litellm.json"),
        ("genai-prices", "modelsdev.json"),
    ],
)
def test_wrong_format(fmt: str, name: str) -> None:
    with pytest.raises(CatalogError) as err:
        run(fmt, name)
    assert len(err.value.problems) == 1
    assert err.value.problems[0].startswith(f"{DATA / name}: not ")


def test_unknown_format() -> None:
    with pytest.raises(UsageError, match="unknown import format"):
        import_file("yaml", DATA / "litellm.json", as_of=AS_OF)


def test_converters_reject_empty_data() -> None:
    for convert in (litellm.convert, modelsdev.convert, genai_prices.convert):
        with pytest.raises(CatalogError):
            convert({}, source="empty.json", as_of=AS_OF)


# --- whole reference files -------------------------------------------------------------------


@needs_reference
def test_full_litellm_file() -> None:
    start = time.perf_counter()
    result = import_file("litellm", LITELLM_FILE, as_of=AS_OF)
    elapsed = time.perf_counter() - start
    total = len(json.loads(LITELLM_FILE.read_text()))
    assert total == 4553  # 4,552 model keys + sample_spec
    assert len(result.models) == total - len(result.skipped)
    assert 3900 < len(result.models) < 4552
    assert result.models["o4-mini"]["prices"]["input"] == Decimal("1.1")
    assert result.models["gpt-image-1"]["image_prices"]["medium"]["1024x1536"] == Decimal("0.063")
    assert elapsed < 3, f"LiteLLM import took {elapsed:.2f}s"
    assert_no_float(result.models)
    assert len(validate(result)) == len(result.models)


@needs_reference
def test_full_modelsdev_file() -> None:
    result = import_file("models.dev", MODELSDEV_FILE, as_of=AS_OF)
    assert len(result.models) == 5276 and not result.skipped
    assert sum("deprecated on models.dev" in str(n) for n in result.notes) == 121
    assert len(validate(result)) == 5276
    openai = import_file("models.dev", MODELSDEV_FILE, provider="openai", as_of=AS_OF)
    assert openai.models["o4-mini"]["prices"]["input"] == Decimal("1.1")
    validate(openai)


@needs_reference
def test_full_genai_prices_file() -> None:
    result = import_file("genai-prices", GENAI_FILE, as_of=AS_OF)
    assert len(result.models) == 2330 and not result.skipped
    assert sum("deprecated in genai-prices" in str(n) for n in result.notes) == 71
    assert len(validate(result)) == 2330
    openai = import_file("genai-prices", GENAI_FILE, provider="openai", as_of=AS_OF)
    assert openai.models["o4-mini"]["prices"]["input"] == Decimal("1.1")
    validate(openai)


# --- the registry and the typed records ----------------------------------------------------------


def test_every_registered_importer_satisfies_the_protocol() -> None:
    import inspect

    from aicompare.importers import REGISTRY, importer

    for name in REGISTRY:
        module = importer(name)
        assert name == module.NAME
        params = inspect.signature(module.convert).parameters
        assert list(params)[:1] == ["data"] and {"source", "provider", "as_of"} <= set(params)
    with pytest.raises(UsageError, match="unknown import format 'nope'"):
        importer("nope")


def test_import_summary_counts_notes_by_kind_even_without_details(cli: Any) -> None:
    # "deprecated on models.dev (no date given)" carries no details; it was once counted as "other"
    out = cli(
        "catalog", "import", "--from", "models.dev", str(DATA / "modelsdev.json"), "--dry-run"
    )
    assert out.exit_code == 0, out.stderr
    assert "    1  deprecated on models.dev (no date given)\n" in out.stdout
    assert "other" not in out.stdout


def test_import_summary_counts_skips_by_kind(lite: ImportResult) -> None:
    folded = [s for s in lite.skipped if s.reason.startswith("snapshot folded into ")]
    assert folded and {s.group for s in folded} == {"snapshot folded into its base model"}
    plain = next(s for s in lite.skipped if s.reason == "documentation entry, not a model")
    assert plain.group == plain.reason


# --- modalities, capabilities and cache lifetimes -------------------------------------------------


def _lite(**records: dict[str, Any]) -> ImportResult:
    data = {key: {"litellm_provider": "acme", **rec} for key, rec in records.items()}
    return litellm.convert(data, source="mem.json", provider=None, as_of=AS_OF)


def test_litellm_modalities_and_the_capabilities_they_state() -> None:
    result = _lite(
        chat={
            "mode": "chat",
            "input_cost_per_token": Decimal("1e-06"),
            "supported_modalities": ["text", "image", "audio"],
            "supported_output_modalities": ["text", "audio"],
            "supports_pdf_input": True,
        },
        painter={"mode": "image_generation", "output_cost_per_image": 0.04},
        editor={"mode": "image_edit", "output_cost_per_image": 0.05},
        bare={"mode": "chat", "input_cost_per_token": Decimal("1e-06"), "supports_pdf_input": True},
    )
    chat = result.models["chat"]
    # LiteLLM's lists have no "pdf": supports_pdf_input adds it to a list the record gives
    assert chat["input_modalities"] == ["audio", "image", "pdf", "text"]
    assert chat["capabilities"] == ["audio_input", "audio_output", "pdf_input", "vision"]
    # an image endpoint answers with images
    assert result.models["painter"]["output_modalities"] == ["image"]
    assert result.models["painter"]["capabilities"] == ["image_generation"]
    assert result.models["editor"]["output_modalities"] == ["image"]
    assert result.models["editor"]["capabilities"] == ["image_editing"]
    # no list in the record: none is made up
    assert "input_modalities" not in result.models["bare"]
    assert result.models["bare"]["capabilities"] == ["pdf_input"]
    validate(result)


def test_litellm_flag_contradicted_by_its_own_modality_list_is_not_kept() -> None:
    result = _lite(
        live={
            "mode": "chat",
            "input_cost_per_token": Decimal("1e-06"),
            "supported_modalities": ["text", "audio"],
            "supported_output_modalities": ["text", "audio"],
            "supports_vision": True,
        }
    )
    assert "vision" not in result.models["live"]["capabilities"]
    assert notes_of(result, "live") == [
        "live: capability flag contradicted by the record's modality list, not kept: "
        "vision (input: audio, text)"
    ]
    validate(result)


def test_litellm_one_hour_cache_write() -> None:
    result = _lite(
        claude={
            "mode": "chat",
            "input_cost_per_token": Decimal("3e-06"),
            "cache_creation_input_token_cost": Decimal("3.75e-06"),
            "cache_creation_input_token_cost_above_1hr": Decimal("6e-06"),
            "cache_creation_input_token_cost_above_1hr_above_200k_tokens": Decimal("1.2e-05"),
            "cache_creation_input_token_cost_above_12hr": Decimal("9e-06"),
        }
    )
    prices = result.models["claude"]["prices"]
    assert prices["cache_write"] == Decimal("3.75")
    assert prices["cache_write_1h"] == Decimal("6")
    assert prices["tiers"] == [{"above_input_tokens": 200_000, "cache_write_1h": Decimal("12")}]
    assert notes_of(result, "claude") == [
        "claude: cache-write prices for lifetimes other than 5 minutes and 1 hour not "
        "representable: cache_creation_input_token_cost_above_12hr"
    ]
    validate(result)


def test_genai_prices_one_hour_cache_write() -> None:
    data = [
        {
            "id": "anthropic",
            "models": [
                {
                    "id": "claude-x",
                    "match": {"equals": "claude-x"},
                    "prices": {
                        "input_mtok": Decimal(3),
                        "cache_write_mtok": Decimal("3.75"),
                        "cache_write_1h_mtok": Decimal(6),
                    },
                }
            ],
        }
    ]
    result = genai_prices.convert(data, source="mem.json", provider="anthropic", as_of=AS_OF)
    prices = result.models["claude-x"]["prices"]
    assert prices == {
        "cache_write": Decimal("3.75"),
        "cache_write_1h": Decimal(6),
        "input": Decimal(3),
    }
    assert notes_of(result, "claude-x") == []


def test_modelsdev_image_model_output_states_image_generation() -> None:
    data = {
        "providers": {
            "acme": {
                "models": {
                    "acme-image": {"modalities": {"input": ["text"], "output": ["image"]}},
                    "acme-chat": {"modalities": {"input": ["text"], "output": ["text", "image"]}},
                }
            }
        }
    }
    result = modelsdev.convert(data, source="mem.json", provider="acme", as_of=AS_OF)
    assert result.models["acme-image"]["capabilities"] == ["image_generation"]
    assert "capabilities" not in result.models["acme-chat"]
    validate(result)


def test_a_zero_cache_write_on_a_billed_model_is_not_a_free_write() -> None:
    result = _lite(
        # DeepSeek and Z.ai records: 0 where no separate write is billed
        billed={
            "mode": "chat",
            "input_cost_per_token": Decimal("2.8e-07"),
            "cache_read_input_token_cost": Decimal("2.8e-08"),
            "cache_creation_input_token_cost": Decimal("0"),
        },
        # a free model: every price 0, the write too
        free={
            "mode": "chat",
            "input_cost_per_token": Decimal("0"),
            "output_cost_per_token": Decimal("0"),
            "cache_creation_input_token_cost": Decimal("0"),
        },
    )
    assert result.models["billed"]["prices"] == {
        "cached_input": Decimal("0.028"),
        "input": Decimal("0.28"),
    }
    assert result.models["free"]["prices"]["cache_write"] == 0
    data = {
        "providers": {
            "zai": {
                "models": {
                    "glm-x": {"cost": {"input": Decimal("0.6"), "cache_read": 0, "cache_write": 0}}
                }
            }
        }
    }
    mdev = modelsdev.convert(data, source="mem.json", provider="zai", as_of=AS_OF)
    assert "cache_write" not in mdev.models["glm-x"]["prices"]
