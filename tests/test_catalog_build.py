"""The catalog build (tools/catalog_build) on a small fixture: folding, curation, the
cross-check, succession, and the `catalog build` command. The bundled catalog itself, the
cross-check against the real data sets and the byte-identical regeneration are catalog golden
tests (tests/test_catalog_golden.py)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aicompare.cli import app
from aicompare.errors import CatalogError
from tools.catalog_build import HEADER, build

FIXTURE = Path(__file__).parent / "data" / "curate"


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
    assert {
        q: {s: str(v) for s, v in sizes.items()} for q, sizes in pixel["image_prices"].items()
    } == {"low": {"1024x1024": "0.02"}, "any": {"any": "0.04"}}
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
    fixture_curation.write_text(
        text.replace('field = "context_window"\nvalue = 128000', 'field = "input"\nvalue = 0.1')
    )
    check = fixture_build(fixture_curation).check
    assert any("acme-mini: context_window: the data sets disagree" in p for p in check.problems)
    assert any("acme-mini: input: the data sets now agree" in p for p in check.problems)


MINI = '[models.acme-mini]\nname = "Acme Mini"\nfold = ["acme-mini-latest"]\n'


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ('[models.acme-mini]\nfold = ["acme-mini-latest", "acme-old"]\n', "cannot fold 'acme-old'"),
        (MINI + "context_window = 5\n", "set checked figures through [[choices]]"),
        ('[models.acme-nothing]\nname = "x"\n\n' + MINI, "models.acme-nothing: no such model"),
    ],
)
def test_bad_curation_stops_the_build(fixture_curation: Path, block: str, message: str) -> None:
    text = fixture_curation.read_text()
    assert MINI in text
    fixture_curation.write_text(text.replace(MINI, block))
    with pytest.raises(CatalogError) as info:
        fixture_build(fixture_curation)
    assert any(message in p for p in info.value.problems), info.value.problems


def test_curated_successor_is_written_as_its_id(fixture_curation: Path) -> None:
    text = fixture_curation.read_text()
    fixture_curation.write_text(
        text.replace('superseded_by = "acme-large"', 'superseded_by = "ACME-LARGE-2025-03-01"')
    )
    result = fixture_build(fixture_curation)
    assert result.doc["models"]["acme-old"]["lifecycle"]["superseded_by"] == "acme-large"
    assert '\nsuperseded_by = "acme-large"\n' in result.text


@pytest.mark.parametrize(
    ("successor", "message"),
    [
        ("acme-old", "models.acme-old.lifecycle.superseded_by: names the model itself"),
        ("acme-nothing", "names no model in the catalog: 'acme-nothing'"),
    ],
)
def test_curated_successor_is_checked(fixture_curation: Path, successor: str, message: str) -> None:
    text = fixture_curation.read_text()
    fixture_curation.write_text(
        text.replace('superseded_by = "acme-large"', f'superseded_by = "{successor}"')
    )
    with pytest.raises(CatalogError) as info:
        fixture_build(fixture_curation)
    assert [p.split(": ", 1)[1] for p in info.value.problems] == [
        message
        if message.startswith("models.")
        else f"models.acme-old.lifecycle.superseded_by: {message}"
    ]


def test_curated_succession_cycle_stops_the_build(fixture_curation: Path) -> None:
    text = fixture_curation.read_text()
    assert "[models.acme-large]" not in text
    fixture_curation.write_text(
        text + '\n[models.acme-large]\nsource = "x"\nchecked = 2026-11-26\n'
        '\n[models.acme-large.lifecycle]\nsuperseded_by = "Acme-Old"\nsource = "y"\n'
    )
    with pytest.raises(CatalogError) as info:
        fixture_build(fixture_curation)
    assert [p.split(": ", 1)[1] for p in info.value.problems] == [
        (
            "models.acme-large.lifecycle.superseded_by: "
            "succession cycle acme-large -> acme-old -> acme-large"
        )
    ]


def test_build_command(tmp_path: Path, fixture_curation: Path) -> None:
    out = tmp_path / "models.toml"
    args = [
        "catalog",
        "build",
        "--reference",
        str(FIXTURE / "reference"),
        "--curation",
        str(fixture_curation),
        "--out",
        str(out),
    ]
    run = CliRunner().invoke(app, args, catch_exceptions=False)
    assert run.exit_code == 0, run.stderr
    assert re.match(
        r"wrote .*: 5 models from 2 makers \(1 image models with per-image prices\); "
        r"cross-check: \d+ figures checked, \d+ agree, 2 curated",
        run.stdout,
    )
    first = out.read_bytes()
    run = CliRunner().invoke(app, [*args, "--check"], catch_exceptions=False)
    assert run.exit_code == 0 and run.stdout.startswith("ok: ")
    assert CliRunner().invoke(app, args, catch_exceptions=False).stdout.startswith("unchanged")
    assert out.read_bytes() == first
    out.write_text(first.decode().replace("Acme Large", "Acme Huge"))
    run = CliRunner().invoke(app, [*args, "--check"], catch_exceptions=False)
    assert run.exit_code == 1 and "run 'aicompare catalog build'" in run.stderr
    # a disagreement without a choice: nothing is written
    fixture_curation.write_text(
        fixture_curation.read_text().replace('field = "output"', 'field = "input"')
    )
    before = out.read_bytes()
    run = CliRunner().invoke(app, args, catch_exceptions=False)
    assert run.exit_code == 1 and "acme-mini: output: the data sets disagree" in run.stderr
    assert out.read_bytes() == before
    run = CliRunner().invoke(
        app, [*args[:2], "--reference", str(tmp_path / "nope")], catch_exceptions=False
    )
    assert run.exit_code == 2 and "is not a folder" in run.stderr


# --- capabilities and modalities; cache-write lifetimes ------------------------------------------


def test_filled_modalities_bring_the_capabilities_they_state(fixture_curation: Path) -> None:
    # LiteLLM's acme-large has no modality lists; models.dev fills image input, which is vision
    large = fixture_build(fixture_curation).doc["models"]["acme-large"]
    assert large["input_modalities"] == ["image", "text"]
    assert large["capabilities"] == ["function_calling", "vision"]


def test_curated_contradiction_stops_the_build(fixture_curation: Path) -> None:
    text = fixture_curation.read_text()
    assert MINI in text
    fixture_curation.write_text(
        text.replace(MINI, MINI + 'input_modalities = ["text"]\ncapabilities = ["vision"]\n')
    )
    with pytest.raises(CatalogError) as info:
        fixture_build(fixture_curation)
    assert [p.split(": ", 1)[1] for p in info.value.problems] == [
        "models.acme-mini.capabilities: vision but input_modalities (text) lack image"
    ]


def _reference_with_1h_writes(tmp_path: Path, litellm: str, genai: str) -> Path:
    """A copy of the fixture data sets where acme-large also sells 1-hour cache writes."""
    reference = tmp_path / "reference"
    shutil.copytree(FIXTURE / "reference", reference)
    lite = reference / "litellm.json"
    lite.write_text(
        lite.read_text().replace(
            '"cache_read_input_token_cost": 5e-07, "output_cost_per_token": 8e-06, '
            '"max_input_tokens": 200000, "max_output_tokens": 32000, "source"',
            '"cache_read_input_token_cost": 5e-07, "output_cost_per_token": 8e-06, '
            '"cache_creation_input_token_cost": 2.5e-06, '
            f'"cache_creation_input_token_cost_above_1hr": {litellm}, '
            '"max_input_tokens": 200000, "max_output_tokens": 32000, "source"',
        )
    )
    gp = reference / "genai-prices.json"
    gp.write_text(
        gp.read_text().replace(
            '"prices": {"input_mtok": 2, "cache_read_mtok": 0.5, "output_mtok": 8}',
            '"prices": {"input_mtok": 2, "cache_read_mtok": 0.5, "output_mtok": 8, '
            f'"cache_write_mtok": 2.5, "cache_write_1h_mtok": {genai}}}',
        )
    )
    return reference


def test_one_hour_cache_write_is_imported_and_cross_checked(
    tmp_path: Path, fixture_curation: Path
) -> None:
    plain = fixture_build(fixture_curation).check
    result = build(_reference_with_1h_writes(tmp_path, "4e-06", "4"), fixture_curation)
    prices = result.doc["models"]["acme-large"]["prices"]
    assert (str(prices["cache_write"]), str(prices["cache_write_1h"])) == ("2.5", "4")
    assert result.check.problems == []
    # both figures are checked in both sets that have them
    assert result.check.checked == plain.checked + 2
    assert result.check.multi_source == plain.multi_source + 2


def test_one_hour_cache_write_disagreement_is_a_problem(
    tmp_path: Path, fixture_curation: Path
) -> None:
    result = build(_reference_with_1h_writes(tmp_path / "b", "4e-06", "5"), fixture_curation)
    assert result.check.problems == [
        "acme-large: cache_write_1h: the data sets disagree (genai-prices fixture 5, "
        "LiteLLM fixture 4) and the curation records no choice"
    ]


# --- release dates ---------------------------------------------------------------------------------


def _reference_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    reference = tmp_path / "reference"
    if not reference.exists():
        shutil.copytree(FIXTURE / "reference", reference)
    path = reference / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return reference


def test_a_dated_id_is_its_release_date(tmp_path: Path, fixture_curation: Path) -> None:
    reference = _reference_with(
        tmp_path,
        "litellm.json",
        '  "acme-embed":',
        '  "acme-x-20251202-v1:0": {"litellm_provider": "acme", "mode": "chat", '
        '"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},\n  "acme-embed":',
    )
    result = build(reference, fixture_curation)
    assert result.doc["models"]["acme-x-20251202-v1:0"]["release_date"] == dt.date(2025, 12, 2)
    assert "acme-x-20251202-v1:0: release_date 2025-12-02 from its dated id" in result.filled
    # an undated model with a dated snapshot is not given the snapshot's day
    assert "release_date" not in result.doc["models"]["acme-old"]


def test_release_date_long_after_a_dated_api_name_is_a_problem(
    tmp_path: Path, fixture_curation: Path
) -> None:
    # models.dev dates acme-large three months after its snapshot acme-large-2025-03-01
    reference = _reference_with(
        tmp_path, "models-dev.json", '"release_date": "2025-03-01"', '"release_date": "2025-06-02"'
    )
    with pytest.raises(CatalogError) as info:
        build(reference, fixture_curation)
    assert info.value.problems == [
        "acme-large: release_date 2025-06-02 is more than 31 days after its dated API name "
        "(2025-03-01); set release_date in the curation"
    ]
    # a curated date is the recorded choice
    fixture_curation.write_text(
        fixture_curation.read_text()
        + '\n[models.acme-large]\nrelease_date = 2025-03-04\nsource = "x"\nchecked = 2026-11-26\n'
    )
    result = build(reference, fixture_curation)
    assert result.doc["models"]["acme-large"]["release_date"] == dt.date(2025, 3, 4)


# --- curation provenance and lifecycles without a successor --------------------------------------
# --- rows from genai-prices and models.dev, and recorded exclusions ----------------------------


def _reference_with_set_only_models(tmp_path: Path) -> Path:
    """The fixture data sets plus models that LiteLLM lacks: acme-nova (genai-prices and
    models.dev, priced), acme-retro (genai-prices, deprecated), acme-gratis (models.dev, $0)."""
    _reference_with(
        tmp_path,
        "genai-prices.json",
        '    {"id": "acme-mini",',
        '    {"id": "acme-nova", "match": {"equals": "acme-nova"}, "context_window": 64000,\n'
        '     "prices": {"input_mtok": 3, "output_mtok": 9}},\n'
        '    {"id": "acme-retro", "match": {"equals": "acme-retro"}, "deprecated": true,\n'
        '     "prices": {"input_mtok": 5, "output_mtok": 15}},\n'
        '    {"id": "acme-mini",',
    )
    return _reference_with(
        tmp_path,
        "models-dev.json",
        '"acme-mini": {',
        '"acme-nova": {"id": "acme-nova", "name": "Acme Nova", "release_date": "2025-11-02", '
        '"cost": {"input": 3.0, "output": 9.0}, "limit": {"context": 64000, "output": 8000}}, '
        '"acme-gratis": {"id": "acme-gratis", "name": "Acme Gratis", '
        '"cost": {"input": 0, "output": 0}, "limit": {"context": 8000, "output": 1000}}, '
        '"acme-mini": {',
    )


def test_a_model_litellm_lacks_becomes_a_row_from_the_other_sets(
    tmp_path: Path, fixture_curation: Path
) -> None:
    result = build(_reference_with_set_only_models(tmp_path), fixture_curation)
    models = result.doc["models"]
    nova = models["acme-nova"]
    # genai-prices gives the row, models.dev fills what it leaves out; both are cross-checked
    assert (str(nova["prices"]["input"]), str(nova["prices"]["output"])) == ("3", "9")
    assert nova["name"] == "Acme Nova" and nova["release_date"] == dt.date(2025, 11, 2)
    assert nova["context_window"] == 64000 and nova["max_output_tokens"] == 8000
    assert nova["source_url"] == "https://acme.example/pricing"
    assert result.check.problems == []
    # a model a set marks deprecated would look current without a date, a $0 one is no price
    assert "acme-retro" not in models and "acme-gratis" not in models
    assert (
        "acme acme-retro: marked deprecated in genai-prices, and no primary set has it "
        "(exclude or curate it to keep it)" in result.skipped
    )
    assert "acme acme-gratis: priced 0 in models.dev: no list price" in result.skipped
    # the fixture's own records stay as LiteLLM gives them (no second row for acme-mini)
    assert list(models) == [
        "acme-embed",
        "acme-large",
        "acme-mini",
        "acme-nova",
        "acme-old",
        "pixel-one",
    ]


EXCLUSION = """
[[exclusions]]
provider = "acme"
models = ["acme-nov*"]
reason = "resold, not Acme's own"
source = "https://acme.example/models"
checked = 2026-01-15
"""


def test_an_exclusion_keeps_a_priced_record_out_with_its_reason(
    tmp_path: Path, fixture_curation: Path
) -> None:
    reference = _reference_with_set_only_models(tmp_path)
    fixture_curation.write_text(fixture_curation.read_text() + EXCLUSION)
    result = build(reference, fixture_curation)
    assert "acme-nova" not in result.doc["models"]
    assert result.excluded == ["acme acme-nova: resold, not Acme's own"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'source = "LiteLLM, the newest set"\nchecked = 2026-11-26\n',
            'source = "LiteLLM, the newest set"\n',
            "curation choices[0].checked: required, the date it was checked",
        ),
        (
            'name = "Acme Old"\nsource = "Acme\'s model page"\n',
            'name = "Acme Old"\n',
            "curation models.acme-old.source: required (a URL, or the data set",
        ),
        (
            "checked = 2026-11-26\n\n[models.acme-old]",
            'checked = "yesterday"\n\n[models.acme-old]',
            "curation models.acme-mini.checked: required, the date it was checked",
        ),
        (
            'superseded_by = "acme-large"\nsource = "Acme\'s deprecation notice"\n',
            'superseded_by = "acme-large"\n',
            "curation models.acme-old.lifecycle.source: required with superseded_by",
        ),
        (
            'superseded_by = "acme-large"\nsource = "Acme\'s deprecation notice"\n',
            'note = "Retired"\nsource = "Acme\'s deprecation notice"\n',
            "curation models.acme-old.lifecycle.note: without superseded_by, the note says "
            "'No successor is named'",
        ),
    ],
)
def test_curation_without_provenance_stops_the_build(
    fixture_curation: Path, old: str, new: str, message: str
) -> None:
    text = fixture_curation.read_text()
    assert old in text
    fixture_curation.write_text(text.replace(old, new))
    with pytest.raises(CatalogError) as info:
        fixture_build(fixture_curation)
    assert [p for p in info.value.problems if message in p], info.value.problems
    assert len(info.value.problems) == 1, info.value.problems


def test_a_lifecycle_without_successor_says_so_with_what_was_checked(
    fixture_curation: Path,
) -> None:
    text = fixture_curation.read_text()
    fixture_curation.write_text(
        text.replace(
            'superseded_by = "acme-large"\n',
            'shutdown_date = 2026-01-05\nnote = "No successor is named by Acme"\n',
        )
    )
    life = fixture_build(fixture_curation).doc["models"]["acme-old"]["lifecycle"]
    assert life == {
        "shutdown_date": dt.date(2026, 1, 5),
        "note": "No successor is named by Acme; checked: Acme's deprecation notice",
    }


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # matches nothing: a stale entry is a problem, not silently kept
        ('"acme-nov*"', '"acme-nothing-*"', "acme-nothing-* excludes no model (drop it)"),
        ('reason = "resold, not Acme\'s own"\n', "", "(missing reason)"),
        ("checked = 2026-01-15", 'checked = "yesterday"', "checked = <date>"),
        ('provider = "acme"', 'provider = "nobody"', "(provider is not a maker)"),
        ('models = ["acme-nov*"]', 'models = ["acme-nov*"]\nwhy = "x"', "(unknown keys why)"),
    ],
)
def test_a_stale_or_incomplete_exclusion_stops_the_build(
    tmp_path: Path, fixture_curation: Path, old: str, new: str, message: str
) -> None:
    reference = _reference_with_set_only_models(tmp_path)
    assert old in EXCLUSION
    fixture_curation.write_text(fixture_curation.read_text() + EXCLUSION.replace(old, new))
    with pytest.raises(CatalogError) as info:
        build(reference, fixture_curation)
    assert any(message in p for p in info.value.problems), info.value.problems


def test_coverage_gaps_list_priced_current_records_that_are_neither_model_nor_excluded(
    tmp_path: Path, fixture_curation: Path
) -> None:
    from tools.catalog_build.check import References
    from tools.catalog_build.curate import coverage_gaps, load_curation

    reference = _reference_with_set_only_models(tmp_path)
    cur = load_curation(fixture_curation)
    refs = References(reference, cur["sets"], cur["meta"]["as_of"])
    # the fixture's own catalog has no acme-nova: that is the one gap (deprecated and $0 are not)
    fixture_doc = fixture_build(fixture_curation).doc
    assert coverage_gaps(fixture_doc, refs, cur) == [
        "acme genai-prices acme-nova",
        "acme models.dev acme-nova",
    ]
    # built from the data sets that price it, or excluded, it is covered
    assert coverage_gaps(build(reference, fixture_curation).doc, refs, cur) == []
    fixture_curation.write_text(fixture_curation.read_text() + EXCLUSION)
    cur = load_curation(fixture_curation)
    assert coverage_gaps(fixture_doc, refs, cur) == []


def test_the_curations_decisions_are_recorded_as_set_by_hand(fixture_curation: Path) -> None:
    """An import keeps what the curation decided (docs/catalog-sources.md, "Kept on refresh"):
    a [[choices]] value (`prefer` or `value`) and each value a [models.<id>] table sets; not the
    steering keys, the provenance, nor a lifecycle source (not a catalog key)."""
    models = fixture_build(fixture_curation).doc["models"]
    assert models["acme-mini"]["set_by_hand"] == [
        "context_window",
        "name",
        "prices.output",
        "strengths",
    ]
    assert models["acme-old"]["set_by_hand"] == ["lifecycle.superseded_by", "name"]
    # a model the curation leaves alone has no list
    assert "set_by_hand" not in models["acme-large"]
    # an absent choice keeps nothing (there is no value to keep)
    text = fixture_curation.read_text().replace(
        'field = "context_window"\nvalue = 128000', 'field = "context_window"\nabsent = true'
    )
    fixture_curation.write_text(text)
    mini = fixture_build(fixture_curation).doc["models"]["acme-mini"]
    assert "context_window" not in mini
    assert mini["set_by_hand"] == ["name", "prices.output", "strengths"]
