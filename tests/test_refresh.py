"""A refresh never makes the data worse: `catalog import` planned against the catalog in effect.

Suspicious $0 prices are refused, values set by hand are kept, the options (--update-only,
--providers, --exclude-resellers, --overwrite, --dry-run) do what they say, and the summary counts
are true on the real LiteLLM reference file (aicompare.refresh, docs/catalog.md)."""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from terminal import aicompare, run

from aicompare import refresh, store
from aicompare.refresh import Change, Kept, Refusal, Rules

D = Decimal
ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "models.toml"
REFERENCE = ROOT.parent / "shared" / "reference"
LITELLM = REFERENCE / "litellm" / "model_prices_and_context_window.json"
needs_reference = pytest.mark.skipif(
    not LITELLM.is_file(),
    reason=f"the LiteLLM reference file is not at {LITELLM} (CI keeps ../shared/reference)",
)
TODAY = dt.date(2026, 11, 26)


def cohere(**prices: Decimal) -> dict[str, Any]:
    return {"provider": "cohere", "type": "text", "prices": prices}


def litellm_table(**prices: Decimal) -> dict[str, Any]:
    return {"provider": "cohere_chat", "type": "text", "prices": prices, "as_of": TODAY}


# ------------------------------------------------------------------ suspicious $0


def test_zero_refused_where_another_layer_prices_it() -> None:
    doc = store.empty_document()
    bundled = {"command-a-plus-05-2026": cohere(input=D("2.5"), output=D("10.0"))}
    report = refresh.refresh(
        doc,
        {"command-a-plus-05-2026": litellm_table(input=D(0), output=D(0))},
        [bundled],
        Rules(source="litellm"),
    )
    assert report.refused == [
        Refusal("command-a-plus-05-2026", "prices.input", D(0), "the catalog prices it", D("2.5")),
        Refusal(
            "command-a-plus-05-2026", "prices.output", D(0), "the catalog prices it", D("10.0")
        ),
    ]
    # nothing else differs (provider is the catalog's, as_of is never written alone)
    assert report.unchanged == ["command-a-plus-05-2026"] and report.updated == []
    assert doc["models"] == {}


def test_zero_refused_where_the_target_file_itself_prices_it() -> None:
    doc = {"models": {"m": {"provider": "acme", "type": "text", "prices": {"input": D("1.5")}}}}
    report = refresh.refresh(
        doc, {"m": {"provider": "acme", "type": "text", "prices": {"input": D(0)}}}, [], Rules()
    )
    assert [(r.field, r.catalog) for r in report.refused] == [("prices.input", D("1.5"))]
    assert doc["models"]["m"]["prices"] == {"input": D("1.5")}


def test_zero_the_source_does_not_mark_free_is_refused_and_such_a_model_not_added() -> None:
    doc = store.empty_document()
    report = refresh.refresh(
        doc,
        {
            "azure_ai/placeholder": {"provider": "azure_ai", "type": "text", "prices": {}},
            "only-zero": litellm_table(input=D(0), output=D(0)),
            "half-zero": litellm_table(input=D(0), output=D("1.2")),
        },
        [],
        Rules(source="litellm"),
    )
    assert report.not_added == ["only-zero"]
    assert report.added == ["azure_ai/placeholder", "half-zero"]
    assert [(r.model, r.field, r.reason) for r in report.refused] == [
        ("only-zero", "prices.input", refresh.NOT_FREE),
        ("only-zero", "prices.output", refresh.NOT_FREE),
        ("half-zero", "prices.input", refresh.NOT_FREE),
    ]
    assert "only-zero" not in doc["models"]
    assert doc["models"]["half-zero"]["prices"] == {"output": D("1.2")}


def test_zero_of_a_model_the_source_marks_free_is_written() -> None:
    doc = store.empty_document()
    incoming = {
        "openrouter/vendor/model:free": litellm_table(input=D(0), output=D(0)),
        "gateway/model-free": litellm_table(input=D(0), output=D(0)),
    }
    report = refresh.refresh(doc, incoming, [], Rules(source="litellm"))
    assert report.refused == [] and sorted(report.added) == sorted(incoming)
    assert doc["models"]["openrouter/vendor/model:free"]["prices"] == {"input": 0, "output": 0}
    # genai-prices leaves out what it does not know: its explicit 0 is a stated price
    genai = refresh.refresh(
        store.empty_document(), {"p/m": litellm_table(input=D(0))}, [], Rules(source="genai-prices")
    )
    assert genai.refused == [] and genai.added == ["p/m"]


def test_free_mark_never_beats_a_layer_that_prices_the_field() -> None:
    report = refresh.refresh(
        store.empty_document(),
        {"m:free": litellm_table(input=D(0))},
        [{"m:free": cohere(input=D("0.3"))}],
        Rules(source="litellm"),
    )
    assert [(r.field, r.catalog) for r in report.refused] == [("prices.input", D("0.3"))]


def test_zero_the_catalog_already_has_is_no_change() -> None:
    bundled = {"omni-moderation-latest": {"provider": "openai", "type": "moderation"}}
    bundled["omni-moderation-latest"]["prices"] = {"input": D("0.0")}
    incoming = {"omni-moderation-latest": {"provider": "openai", "type": "moderation"}}
    incoming["omni-moderation-latest"]["prices"] = {"input": D(0)}
    report = refresh.refresh(store.empty_document(), incoming, [bundled], Rules(source="litellm"))
    assert report.refused == [] and report.unchanged == ["omni-moderation-latest"]


def test_a_price_ten_times_the_catalogs_or_a_tenth_is_refused() -> None:
    bundled = {"embed": cohere(input=D("0.1"), output=D("2"), cached_input=D("0.05"))}
    doc = store.empty_document()
    report = refresh.refresh(
        doc,
        {"embed": litellm_table(input=D(100), output=D("0.2"), cached_input=D("0.45"))},
        [bundled],
        Rules(source="litellm"),
    )
    assert report.refused == [
        Refusal(
            "embed", "prices.input", D(100), refresh.PRICED, D("0.1"), "(this is 1000 times that)"
        ),
        Refusal(
            "embed", "prices.output", D("0.2"), refresh.PRICED, D("2"), "(this is 1/10 of that)"
        ),
    ]
    # 9 times is a price change, written
    assert doc["models"]["embed"]["prices"] == {"cached_input": D("0.45")}


def test_a_tier_list_with_a_zero_is_refused_whole() -> None:
    tiers = [{"above_input_tokens": 200000, "input": D(0), "output": D(0)}]
    bundled = {"m": cohere(input=D(2))}
    bundled["m"]["prices"]["tiers"] = [{"above_input_tokens": 200000, "input": D(4)}]
    report = refresh.refresh(
        store.empty_document(),
        {"m": {"provider": "cohere", "type": "text", "prices": {"tiers": tiers}}},
        [bundled],
        Rules(source="litellm"),
    )
    assert [(r.field, r.catalog) for r in report.refused] == [
        ("prices.tiers", [{"above_input_tokens": 200000, "input": D(4)}])
    ]


# ------------------------------------------------------------------ hand-set values


def hand_set_doc() -> dict[str, Any]:
    doc = store.empty_document()
    store.set_fields(
        doc, "gpt-4.1-mini", {"prices.input": D("0.10"), "prices.output": D("0.40"), "notes": "n"}
    )
    store.record_by_hand(
        doc, "gpt-4.1-mini", {"prices.input": D("0.10"), "prices.output": D("0.40"), "notes": "n"}
    )
    return doc


BUNDLED_MINI = {
    "gpt-4.1-mini": {
        "provider": "openai",
        "type": "text",
        "prices": {"input": D("0.4"), "output": D("1.6"), "cached_input": D("0.1")},
    }
}
SOURCE_MINI = {
    "gpt-4.1-mini": {
        "provider": "openai",
        "type": "text",
        "notes": "from the source",
        "prices": {"input": D("0.4"), "output": D("1.6"), "cached_input": D("0.08")},
        "as_of": TODAY,
    }
}


def test_hand_set_values_are_kept_and_listed() -> None:
    doc = hand_set_doc()
    report = refresh.refresh(doc, SOURCE_MINI, [BUNDLED_MINI], Rules(source="litellm"))
    assert report.kept == [
        Kept("gpt-4.1-mini", "notes", "n", "from the source"),
        Kept("gpt-4.1-mini", "prices.input", D("0.10"), D("0.4")),
        Kept("gpt-4.1-mini", "prices.output", D("0.40"), D("1.6")),
    ]
    assert report.changes == [Change("gpt-4.1-mini", "prices.cached_input", D("0.1"), D("0.08"))]
    table = doc["models"]["gpt-4.1-mini"]
    assert table["prices"] == {
        "input": D("0.10"),
        "output": D("0.40"),
        "cached_input": D("0.08"),
    }
    assert table["notes"] == "n" and table["as_of"] == TODAY
    assert table["set_by_hand"] == ["notes", "prices.input", "prices.output"]


def test_overwrite_replaces_hand_set_values_and_their_record() -> None:
    doc = hand_set_doc()
    report = refresh.refresh(
        doc, SOURCE_MINI, [BUNDLED_MINI], Rules(source="litellm", overwrite=True)
    )
    assert report.kept == []
    table = doc["models"]["gpt-4.1-mini"]
    assert table["prices"]["input"] == D("0.4") and table["notes"] == "from the source"
    assert "set_by_hand" not in table


def test_a_lower_layers_hand_set_value_is_kept_too() -> None:
    team = {"gpt-4.1-mini": {"prices": {"input": D("0.2")}, "set_by_hand": ["prices.input"]}}
    doc = store.empty_document()
    report = refresh.refresh(doc, SOURCE_MINI, [BUNDLED_MINI, team], Rules(source="litellm"))
    assert [(k.field, k.value) for k in report.kept] == [("prices.input", D("0.2"))]
    assert "input" not in doc["models"]["gpt-4.1-mini"]["prices"]


def test_record_by_hand_follows_set_and_unset() -> None:
    doc = hand_set_doc()
    store.set_fields(doc, "gpt-4.1-mini", {"prices.input": None})
    store.record_by_hand(doc, "gpt-4.1-mini", {"prices.input": None})
    assert doc["models"]["gpt-4.1-mini"]["set_by_hand"] == ["notes", "prices.output"]
    fields: dict[str, object] = {"prices": None, "notes": None}
    store.set_fields(doc, "gpt-4.1-mini", fields)
    store.record_by_hand(doc, "gpt-4.1-mini", fields)
    assert doc["models"] == {}  # nothing left but the record: the override is gone


# ------------------------------------------------------------------ what is compared


def test_only_changed_fields_are_written_and_identity_is_kept() -> None:
    bundled = {
        "m": {
            "provider": "cohere",
            "type": "text",
            "capabilities": ["vision", "batch"],
            "context_window": 128000,
            "prices": {"input": D("2.50"), "output": D("10")},
        }
    }
    incoming = {
        "m": {
            "provider": "cohere_chat",
            "type": "text",
            "capabilities": ["batch", "vision"],  # same names, another order
            "context_window": 256000,
            "prices": {"input": D("2.5"), "output": D("8")},
            "as_of": TODAY,
        }
    }
    doc = store.empty_document()
    report = refresh.refresh(doc, incoming, [bundled], Rules(source="litellm"))
    assert report.updated == ["m"]
    assert report.changes == [
        Change("m", "context_window", 128000, 256000),
        Change("m", "prices.output", D("10"), D("8")),
    ]
    assert doc["models"] == {
        "m": {"context_window": 256000, "prices": {"output": D("8")}, "as_of": TODAY}
    }


def test_the_catalogs_spelling_of_an_id_is_written() -> None:
    doc = store.empty_document()
    report = refresh.refresh(
        doc, {"GPT-4.1-MINI": SOURCE_MINI["gpt-4.1-mini"]}, [BUNDLED_MINI], Rules()
    )
    assert report.updated == ["gpt-4.1-mini"] and list(doc["models"]) == ["gpt-4.1-mini"]


def test_update_only_and_only_new_skip_and_every_model_lands_in_one_bucket() -> None:
    incoming = {**SOURCE_MINI, "brand-new": litellm_table(input=D(1))}
    upd = refresh.refresh(store.empty_document(), incoming, [BUNDLED_MINI], Rules(update_only=True))
    assert upd.skipped == [("brand-new", refresh.UPDATE_ONLY)] and upd.updated == ["gpt-4.1-mini"]
    new = refresh.refresh(store.empty_document(), incoming, [BUNDLED_MINI], Rules(only_new=True))
    assert new.skipped == [("gpt-4.1-mini", refresh.ONLY_NEW)] and new.added == ["brand-new"]
    for report in (upd, new):
        buckets = [
            *report.added,
            *report.updated,
            *report.unchanged,
            *report.not_added,
            *(key for key, _ in report.skipped),
        ]
        assert sorted(buckets) == sorted(incoming)


def test_a_second_import_changes_nothing() -> None:
    doc = store.empty_document()
    refresh.refresh(doc, SOURCE_MINI, [BUNDLED_MINI], Rules())
    again = refresh.refresh(doc, SOURCE_MINI, [BUNDLED_MINI], Rules())
    assert again.unchanged == ["gpt-4.1-mini"] and not again.changed


@pytest.mark.parametrize(
    ("key", "provider", "maker"),
    [
        ("gpt-4.1-mini", "openai", True),
        ("command-a-plus-05-2026", "cohere_chat", True),
        ("gemini/gemini-2.5-pro", "gemini", True),
        ("amazon.nova-pro-v1:0", "bedrock_converse", True),
        ("us.amazon.nova-pro-v1:0", "bedrock_converse", True),
        ("bedrock/us-gov-east-1/amazon.titan-text-lite-v1", "bedrock", True),
        ("anthropic.claude-3-haiku-20240307-v1:0", "bedrock", False),
        ("azure_ai/Cohere-command-a-plus-05-2026", "azure_ai", False),
        ("vertex_ai/claude-sonnet-4-5", "vertex_ai-anthropic_models", False),
        ("deepseek-v3-2-251201", "volcengine", False),
        ("openrouter/openai/gpt-4o", "openrouter", False),
    ],
)
def test_sold_by_maker(key: str, provider: str, maker: bool) -> None:
    assert refresh.sold_by_maker("litellm", key, {"provider": provider}) is maker


# ------------------------------------------------------------------ the command, in process


def write_litellm(path: Path, records: Mapping[str, Mapping[str, Any]]) -> Path:
    path.write_text(json.dumps(records))
    return path


def record(provider: str, input_: float, output: float) -> dict[str, Any]:
    return {
        "litellm_provider": provider,
        "mode": "chat",
        "input_cost_per_token": input_,
        "output_cost_per_token": output,
    }


@pytest.fixture
def user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config / "aicompare" / "models.toml"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_litellm(
        tmp_path / "prices.json",
        {
            "alpha-mini": record("openai", 0.0, 0.0),
            "alpha-large": record("openai", 4e-06, 2e-05),
            "acme-new": record("openai", 1e-06, 2e-06),
            "together_ai/acme/alpha-large": record("together_ai", 3e-06, 9e-06),
            "zero-new": record("zed", 0.0, 0.0),
        },
    )


def test_dry_run_prints_a_field_level_diff_and_writes_nothing(
    cli, user_file: Path, source: Path
) -> None:
    run_ = cli("catalog", "import", "--from", "litellm", str(source), "--dry-run")
    assert run_.exit_code == 0, run_.stderr
    assert not user_file.exists()
    lines = run_.stdout.splitlines()
    assert lines[1] == "  added 2, updated 1, unchanged 1, refused 4, kept 0, skipped 0"
    assert "  alpha-mini prices.input 0.00 refused: the catalog prices it at 1.10" in lines
    assert "  alpha-mini prices.output 0.00 refused: the catalog prices it at 4.40" in lines
    assert "  zero-new prices.input 0.00 refused: the source does not mark the model free" in lines
    assert "would change 1 fields of 1 models:" in lines
    assert "  alpha-large prices.input 5.00 -> 4.00" in lines
    assert "would add 2 models: acme-new, together_ai/acme/alpha-large" in lines


def test_import_json_lists_refusals_kept_values_and_changes(
    cli, user_file: Path, source: Path
) -> None:
    assert cli("catalog", "set", "alpha-large", "--input", "4.50").exit_code == 0
    doc = cli("catalog", "import", "--from", "litellm", str(source), "--json").json()
    assert (doc["added"], doc["updated"], doc["unchanged"], doc["not_added"]) == (
        ["acme-new", "together_ai/acme/alpha-large"],
        [],
        ["alpha-large", "alpha-mini"],
        ["zero-new"],
    )
    assert doc["kept"] == [
        {"model": "alpha-large", "field": "prices.input", "value": "4.5", "source": "4"}
    ]
    assert doc["refused"][0] == {
        "model": "alpha-mini",
        "field": "prices.input",
        "value": "0",
        "reason": "the catalog prices it at 1.10",
        "catalog": "1.1",
    }
    written = tomllib.loads(user_file.read_text(), parse_float=Decimal)["models"]
    assert written["alpha-large"]["prices"] == {"input": D("4.50")}
    assert "alpha-mini" not in written and "zero-new" not in written
    assert cli("show", "alpha-mini", "--json").json()["model"]["prices"]["standard"] == {
        "input": "1.1",
        "output": "4.4",
    }


def test_update_only_providers_and_resellers(cli, user_file: Path, source: Path) -> None:
    upd = cli("catalog", "import", "--from", "litellm", str(source), "--update-only", "--json")
    doc = upd.json()
    assert doc["added"] == [] and doc["updated"] == ["alpha-large"]
    assert sorted(s["key"] for s in doc["skipped"]) == [
        "acme-new",
        "together_ai/acme/alpha-large",
        "zero-new",
    ]
    assert {s["reason"] for s in doc["skipped"]} == {refresh.UPDATE_ONLY}
    user_file.unlink()
    both = cli(
        "catalog", "import", "--from", "litellm", str(source), "--providers", "zed,together_ai"
    )
    assert both.exit_code == 0, both.stderr
    assert both.stdout.splitlines()[1] == (
        "  added 1, updated 0, unchanged 0, refused 2, kept 0, skipped 0"
    )
    one = cli("catalog", "import", "--from", "litellm", str(source), "--provider", "zed", "--json")
    assert one.json()["not_added"] == ["zero-new"]
    user_file.unlink()
    makers = cli(
        "catalog", "import", "--from", "litellm", str(source), "--exclude-resellers", "--json"
    ).json()
    assert [s["key"] for s in makers["skipped"]] == ["together_ai/acme/alpha-large", "zero-new"]
    assert makers["skipped"][0]["reason"] == f"{refresh.RESELLER}: together_ai"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--update-only", "--only-new"), "exclude each other"),
        (("--providers", " , "), "invalid value for --providers"),
    ],
)
def test_import_option_errors(
    cli, user_file: Path, source: Path, args: tuple[str, ...], message: str
) -> None:
    run_ = cli("catalog", "import", "--from", "litellm", str(source), *args)
    assert run_.exit_code == 2 and message in run_.stderr and run_.stdout == ""
    assert not user_file.exists()


def test_exclude_resellers_is_refused_for_other_formats(cli, user_file: Path) -> None:
    sample = ROOT / "tests" / "data" / "importers" / "modelsdev.json"
    run_ = cli("catalog", "import", "--from", "models.dev", str(sample), "--exclude-resellers")
    assert run_.exit_code == 2 and "defined for --from litellm only" in run_.stderr


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("[1]", "expected a list of dotted field paths"),
        ('["prices..input"]', "is not a dotted path of a model field"),
        ('["pricez.input"]', "is not a dotted path of a model field"),
    ],
)
def test_set_by_hand_is_validated(cli, tmp_path: Path, value: str, problem: str) -> None:
    layer = tmp_path / "layer.toml"
    layer.write_text(f"[models.alpha-mini]\nset_by_hand = {value}\n")
    run_ = cli("catalog", "validate", str(layer))
    assert run_.exit_code == 1 and problem in run_.stdout + run_.stderr
    good = tmp_path / "good.toml"
    good.write_text('[models.alpha-mini]\nset_by_hand = ["prices.input"]\n')
    assert cli("catalog", "validate", str(good)).exit_code == 0


# ------------------------------------------------------------------ the real reference file


def _leaves(table: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in table.items():
        where = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and value:
            yield from _leaves(value, where)
        else:
            yield where, value


def _at(table: Mapping[str, Any], dotted: str) -> Any:
    node: Any = table
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _has_zero(value: Any) -> bool:
    rows = value if isinstance(value, list) else [{"v": value}]
    return any(
        v == 0 and not isinstance(v, bool)
        for row in rows
        for k, v in row.items()
        if k != "above_input_tokens" and isinstance(v, (int, Decimal))
    )


def _prices(value: Any) -> list[Any]:
    rows = value if isinstance(value, list) else [{"v": value}]
    return [
        v
        for row in rows
        for k, v in row.items()
        if k != "above_input_tokens" and isinstance(v, (int, Decimal)) and not isinstance(v, bool)
    ]


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list) and all(isinstance(x, str) for x in a + b):
        return sorted(a) == sorted(b)
    return (bool(a == b) and type(a) is type(b)) or (
        isinstance(a, (int, Decimal)) and isinstance(b, (int, Decimal)) and a == b
    )


def expected_counts() -> dict[str, int]:
    """The summary of importing the LiteLLM reference into an empty user layer over the bundled
    catalog, counted here record by record from the converted tables and the bundled file."""
    from aicompare.importers import import_file

    converted = import_file("litellm", LITELLM, as_of=dt.date.today())
    bundled = tomllib.loads(BUNDLED.read_text(), parse_float=Decimal)["models"]
    ids = {model_id.casefold(): model_id for model_id in bundled}
    names = {
        name.casefold(): model_id
        for model_id, table in bundled.items()
        for name in (*table.get("aliases", []), *table.get("snapshots", []))
    }
    counts = dict.fromkeys(("added", "updated", "unchanged", "refused", "kept", "not_added"), 0)
    counts["skipped"] = len(converted.skipped)
    for model_id, table in converted.models.items():
        folded = model_id.casefold()
        if folded in names and names[folded].casefold() != folded:
            counts["skipped"] += 1  # already an alias or snapshot of another model
            continue
        free = folded.rsplit("/", 1)[-1].endswith((":free", "-free"))  # opencode_go/beam-free
        prices = [(k, v) for k, v in _leaves(table) if k.startswith(("prices.", "image_prices."))]
        known = bundled.get(ids.get(folded, ""), None)
        if known is None:
            zeros = [] if free else [k for k, v in prices if _has_zero(v)]
            counts["refused"] += len(zeros)
            counts["not_added" if prices and len(zeros) == len(prices) else "added"] += 1
            continue
        differs = False
        # the curation's decisions, which the bundled file records as set by hand
        hand = [tuple(h.split(".")) for h in known.get("set_by_hand", [])]
        for field, value in _leaves(table):
            if field in ("as_of", "provider", "type"):
                continue
            old = _at(known, field)
            if field.startswith(("prices.", "image_prices.")) and _has_zero(value):
                if old is not None and _equal(old, value):
                    continue
                if not free or any(v > 0 for v in _prices(old)):
                    counts["refused"] += 1
                    continue
            if (
                field.startswith(("prices.", "image_prices."))
                and isinstance(old, Decimal)
                and isinstance(value, Decimal)
                and old > 0
                and (value >= 10 * old or 10 * value <= old)
            ):
                counts["refused"] += 1  # a slip of unit, not a price change
                continue
            if old is not None and _equal(old, value):
                continue
            path = tuple(field.split("."))
            if any(path[: len(h)] == h or h[: len(path)] == path for h in hand):
                counts["kept"] += 1
                continue
            differs = True
        counts["updated" if differs else "unchanged"] += 1
    return counts


@needs_reference
def test_summary_counts_are_true_on_the_litellm_reference(
    cli, user_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AICOMPARE_BASE_CATALOG")  # the bundled catalog, as a user has it
    expected = expected_counts()
    doc = cli("catalog", "import", "--from", "litellm", str(LITELLM), "--dry-run", "--json").json()
    got = {
        "added": len(doc["added"]),
        "updated": len(doc["updated"]),
        "unchanged": len(doc["unchanged"]),
        "refused": len(doc["refused"]),
        "kept": len(doc["kept"]),
        "not_added": len(doc["not_added"]),
        "skipped": len(doc["skipped"]),
    }
    assert got == expected
    # the curation's recorded choices are kept like a user's own values (GPT-5's 400K context)
    assert {
        "model": "gpt-5",
        "field": "context_window",
        "value": 400000,
        "source": 272000,
    } in doc["kept"]
    assert {
        "model": "embed-multilingual-light-v3.0",
        "field": "prices.input",
        "value": "100",
        "reason": "the catalog prices it at 0.10 (this is 1000 times that)",
        "catalog": "0.1",
    } in doc["refused"]
    # the figure: 78 chat records priced 0/0; none of them puts a 0 in the catalog
    raw = json.loads(LITELLM.read_text())
    placeholders = [
        key
        for key, rec in raw.items()
        if isinstance(rec, dict)
        and rec.get("mode") == "chat"
        and rec.get("input_cost_per_token") == 0
        and rec.get("output_cost_per_token") == 0
    ]
    assert len(placeholders) == 78
    # the source marks two of them free by name (opencode_go/...-free): those may be added at $0
    placeholders = [key for key in placeholders if not key.endswith("-free")]
    assert len(placeholders) == 76
    added = set(doc["added"]) | {c["model"] for c in doc["changes"]}
    refused = {(r["model"], r["field"]) for r in doc["refused"]}
    for key in placeholders:
        assert key not in added or {(key, "prices.input"), (key, "prices.output")} <= refused
    text = cli("catalog", "import", "--from", "litellm", str(LITELLM), "--dry-run").stdout
    assert text.splitlines()[1] == (
        f"  added {expected['added']}, updated {expected['updated']}, "
        f"unchanged {expected['unchanged']}, refused {expected['refused']}, "
        f"kept {expected['kept']}, "
        f"skipped {expected['skipped']}"
    )


# ------------------------------------------------------------------ done when (console script)


def _price_leaves(table: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in _leaves(table) if k.startswith(("prices.", "image_prices."))}


@needs_reference
def test_importing_the_litellm_reference_keeps_prices_and_hand_set_values(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AICOMPARE_")}
    env.update(
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        COLUMNS="200",
    )
    layer = tmp_path / "config" / "aicompare" / "models.toml"
    assert aicompare()  # the installed console script (or python -m aicompare)
    setting = run(
        ["catalog", "set", "gpt-4.1-mini", "--input", "0.10", "--output", "0.40"]
        + ["--note", "negotiated"],
        env,
    )
    assert setting.code == 0, setting.stderr
    imported = run(["catalog", "import", "--from", "litellm", str(LITELLM)], env, timeout=120)
    assert imported.code == 0, imported.stderr
    assert imported.stderr == ""
    lines = imported.stdout.splitlines()
    assert (
        "  command-a-plus-05-2026 prices.input 0.00 refused: the catalog prices it at 2.50" in lines
    )
    assert (
        "  gpt-4.1-mini prices.input kept 0.10 (set by hand); the source says 0.40" in lines
        and "  gpt-4.1-mini prices.output kept 0.40 (set by hand); the source says 1.60" in lines
    )
    # no bundled price above $0 became $0 in the layer, and the hand-set values are all there
    bundled = tomllib.loads(BUNDLED.read_text(), parse_float=Decimal)["models"]
    written = tomllib.loads(layer.read_text(), parse_float=Decimal)["models"]
    for model_id, table in written.items():
        below = _price_leaves(bundled.get(model_id, {}))
        for field, value in _price_leaves(table).items():
            if field in below and _has_zero(value):
                assert not any(v > 0 for v in [below[field]] if isinstance(v, Decimal)), (
                    f"{model_id} {field}"
                )
    mini = written["gpt-4.1-mini"]
    assert mini["prices"]["input"] == D("0.10") and mini["prices"]["output"] == D("0.40")
    assert mini["notes"] == "negotiated"
    assert mini["set_by_hand"] == ["notes", "prices.input", "prices.output"]
    cost = run(["cost", "gpt-4.1-mini", "--tokens", "1M", "--json"], env)
    assert cost.code == 0, cost.stderr
    items = json.loads(cost.stdout)["results"][0]["line_items"]
    assert {i["kind"]: D(i["unit_price"]) for i in items} == {"input": D("0.1"), "output": D("0.4")}
    ranking = run(["cost", "--tokens", "5M", "--json"], env)
    assert ranking.code == 0, ranking.stderr
    results = json.loads(ranking.stdout)["results"]
    assert all(Decimal(r["total"]) > 0 for r in results if r["servable"])
    command_a = run(["cost", "command-a-plus-05-2026", "--tokens", "5M", "--json"], env)
    assert D(json.loads(command_a.stdout)["results"][0]["total"]) == D("21.875")
