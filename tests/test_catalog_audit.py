"""`aicompare catalog audit` and the field groups of the cross-check, on the small fixture of
tests/data/curate (the audit of the bundled catalog against the real data sets is a catalog
golden test, tests/test_catalog_golden.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aicompare.cli import app
from aicompare.errors import CatalogError
from tools.catalog_build import GROUPS, build
from tools.catalog_build.check import group_of

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "data" / "curate"
REFERENCE = FIXTURE / "reference"
LARGE_PRICES = "[models.acme-large.prices]\ninput = 2.0\ncached_input = 0.5\noutput = 8.0\n"
HINT = (
    "follow the data sets, or record a choice with its source in the curation file "
    "(docs/catalog-sources.md)\n"
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """(curation, catalog): a writable copy of the fixture curation and the catalog it builds."""
    curation = tmp_path / "curation.toml"
    shutil.copy(FIXTURE / "curation.toml", curation)
    catalog = tmp_path / "models.toml"
    catalog.write_text(build(REFERENCE, curation).text, encoding="utf-8")
    return curation, catalog


def audit(curation: Path, catalog: Path, *extra: str, reference: Path = REFERENCE):
    args = ["catalog", "audit", str(catalog), "--reference", str(reference)]
    return CliRunner().invoke(
        app, [*args, "--curation", str(curation), *extra], catch_exceptions=False
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- the field groups ------------------------------------------------------------------------


def test_every_field_of_the_issue_is_in_a_group() -> None:
    names = [group.name for group in GROUPS]
    assert len(set(names)) == len(names)
    expected = {
        "input": "token prices",
        "cached_input": "token prices",
        "output": "token prices",
        "cache_write": "cache writes",
        "cache_write_1h": "cache writes",
        "batch.input": "batch prices",
        "batch.image_output": "batch prices",
        "image_input": "image tokens",
        "cached_image_input": "image tokens",
        "image_output": "image tokens",
        "audio_input": "audio tokens",
        "audio_output": "audio tokens",
        "tiers": "long-context tiers",
        "context_window": "limits",
        "max_input_tokens": "limits",
        "max_output_tokens": "limits",
        "input_modalities": "modalities",
        "output_modalities": "modalities",
        "lifecycle.shutdown_date": "shutdown dates",
        "knowledge_cutoff": "cut-off, release",
        "release_date": "cut-off, release",
    }
    assert {name: getattr(group_of(name), "name", None) for name in expected} == expected
    for unchecked in ("notes", "lifecycle.note", "prices.input", "batch"):
        assert group_of(unchecked) is None, unchecked


def test_a_choice_on_a_field_in_no_group_stops_the_build(files: tuple[Path, Path]) -> None:
    curation, _ = files
    edit(curation, 'field = "context_window"\nvalue = 128000', 'field = "notes"\nvalue = "x"')
    with pytest.raises(CatalogError) as info:
        build(REFERENCE, curation)
    [problem] = info.value.problems
    assert problem.startswith("choices[1]: fields ['notes'] are in no checked group (token prices:")


def _batch_reference(tmp_path: Path) -> Path:
    """The fixture data sets where genai-prices alone sells acme-large in batch."""
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE, reference)
    edit(
        reference / "genai-prices.json",
        '"prices": {"input_mtok": 2, "cache_read_mtok": 0.5, "output_mtok": 8}}',
        '"prices": {"input_mtok": 2, "cache_read_mtok": 0.5, "output_mtok": 8}, '
        '"price_variants": [{"when": {"processing": "batch"}, '
        '"prices": {"input_mtok": 1, "output_mtok": 4}}]}',
    )
    return reference


def test_the_build_follows_a_batch_price_only_one_set_has(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    curation, _ = files
    result = build(_batch_reference(tmp_path), curation)
    batch = result.doc["models"]["acme-large"]["prices"]["batch"]
    assert {k: str(v) for k, v in batch.items()} == {"input": "1", "output": "4"}
    assert "acme-large: batch.input 1 from genai-prices" in result.filled
    figures = {(f.model, f.field): f.status for f in result.check.figures}
    assert figures[("acme-large", "batch.input")] == figures[("acme-large", "batch.output")]
    assert figures[("acme-large", "batch.output")] == "agree"
    assert result.check.problems == []


def test_a_batch_price_the_catalog_lacks_is_unexplained_until_chosen(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    curation, catalog = files  # built without the batch prices
    reference = _batch_reference(tmp_path)
    run = audit(curation, catalog, "--json", reference=reference)
    assert (run.exit_code, run.stderr) == (1, "")
    doc = json.loads(run.stdout)
    assert [(d["model"], d["field"], d["catalog"], d["sets"]) for d in doc["disagreements"]] == [
        ("acme-large", "batch.input", None, {"genai-prices": "1"}),
        ("acme-large", "batch.output", None, {"genai-prices": "4"}),
    ]
    # a recorded choice explains the one left out; the build follows the set for the other
    curation.write_text(
        curation.read_text(encoding="utf-8")
        + '\n[[choices]]\nmodels = ["acme-large"]\nfield = "prices.batch.output"\nabsent = true\n'
        'source = "Acme sells no batch output"\nchecked = 2026-11-26\n',
        encoding="utf-8",
    )
    catalog.write_text(build(reference, curation).text, encoding="utf-8")
    run = audit(curation, catalog, "--json", reference=reference)
    assert (run.exit_code, run.stderr) == (0, "")
    batch = next(g for g in json.loads(run.stdout)["groups"] if g["group"] == "batch prices")
    assert batch == {
        "group": "batch prices",
        "fields": ["batch.*"],
        "figures": 2,
        "sets": {
            "litellm": {"has": 0, "agree": 0},
            "models.dev": {"has": 0, "agree": 0},
            "genai-prices": {"has": 2, "agree": 1},
        },
        "explained": 1,
        "unexplained": 0,
    }


def test_a_value_set_by_hand_is_an_explained_choice(files: tuple[Path, Path]) -> None:
    curation, catalog = files
    edit(
        curation,
        "[models.acme-old.lifecycle]\n",
        (
            '[models.acme-large]\nknowledge_cutoff = "2025-02"\n'
            'source = "the maker\'s model card"\nchecked = 2026-11-26\n\n'
            "[models.acme-old.lifecycle]\n"
        ),
    )
    catalog.write_text(build(REFERENCE, curation).text, encoding="utf-8")
    assert 'knowledge_cutoff = "2025-02"' in catalog.read_text(encoding="utf-8")
    run = audit(curation, catalog, "--json")
    assert run.exit_code == 0, run.stdout
    dates = next(g for g in json.loads(run.stdout)["groups"] if g["group"] == "cut-off, release")
    assert (dates["figures"], dates["explained"], dates["unexplained"]) == (2, 1, 0)
    assert dates["sets"]["models.dev"] == {"has": 2, "agree": 1}


# --- the command ----------------------------------------------------------------------------


def test_audit_of_a_fresh_build_counts_every_group(files: tuple[Path, Path]) -> None:
    curation, catalog = files
    run = audit(curation, catalog, "--json")
    assert (run.exit_code, run.stderr) == (0, "")
    doc = json.loads(run.stdout)
    assert doc["command"] == "catalog audit"
    assert (doc["catalog"], doc["models"], doc["models_found"]) == (str(catalog), 5, 5)
    assert [s["set"] for s in doc["sets"]] == ["litellm", "models.dev", "genai-prices"]
    assert [g["group"] for g in doc["groups"]] == [group.name for group in GROUPS]
    counts = {
        g["group"]: (
            g["figures"],
            *(g["sets"][s]["agree"] for s in ("litellm", "models.dev", "genai-prices")),
            g["explained"],
            g["unexplained"],
        )
        for g in doc["groups"]
        if g["figures"]
    }
    assert counts == {
        "token prices": (8, 8, 4, 5, 1, 0),
        "limits": (6, 6, 4, 1, 1, 0),
        "modalities": (3, 1, 2, 0, 0, 0),
        "shutdown dates": (1, 1, 0, 0, 0, 0),
        "cut-off, release": (2, 0, 2, 0, 0, 0),
    }
    assert doc["totals"]["figures"] == 20 and doc["totals"]["explained"] == 2
    assert (doc["unexplained"], doc["disagreements"], doc["problems"]) == (0, [], [])
    text = audit(curation, catalog)
    assert (text.exit_code, text.stderr) == (0, "")
    lines = text.stdout.splitlines()
    assert lines[-1] == "0 unexplained disagreements"
    assert "token prices              8      8      4      5        1            0" in lines
    assert "set 1: litellm (LiteLLM fixture) agrees on 16 of its 16 figures" in lines


def test_unexplained_disagreements_are_listed_and_exit_1(files: tuple[Path, Path]) -> None:
    curation, catalog = files
    # the file drifts from the data sets: a price changed by hand, a limit dropped
    edit(catalog, LARGE_PRICES, LARGE_PRICES.replace("output = 8.0", "output = 9.0"))
    edit(catalog, "max_output_tokens = 32000\n", "")
    run = audit(curation, catalog)
    assert run.exit_code == 1
    assert run.stderr == f"error: 2 unexplained disagreements in {catalog}\n{HINT}"
    out = run.stdout
    assert (
        "2 unexplained disagreements:\n"
        "- acme-large max_output_tokens (limits)\n"
        "    catalog             (none)\n"
        "    LiteLLM fixture     32000\n"
        "    models.dev fixture  32000\n"
        "- acme-large output (token prices)\n"
        "    catalog               9.0\n"
        "    LiteLLM fixture       8\n"
        "    models.dev fixture    8\n"
        "    genai-prices fixture  8\n"
    ) in out
    assert "token prices              8      7      3      4        1            1" in out
    assert "all groups               20     14     10      5        2            2" in out
    # the path of the file audited has its own line; every other line fits 80 columns
    assert out.splitlines()[0] == f"audit of {catalog}"
    assert max(len(line) for line in out.splitlines()[1:]) <= 80
    run = audit(curation, catalog, "--json")
    assert (run.exit_code, run.stderr) == (1, "")
    doc = json.loads(run.stdout)
    assert doc["unexplained"] == 2
    assert doc["disagreements"][1] == {
        "model": "acme-large",
        "field": "output",
        "group": "token prices",
        "catalog": "9.0",
        "sets": {"genai-prices": "8", "litellm": "8", "models.dev": "8"},
        "problem": "acme-large: output is 9.0, the data sets agree on 8 (genai-prices fixture 8, "
        "LiteLLM fixture 8, models.dev fixture 8)",
    }
    assert doc["disagreements"][0]["catalog"] is None


def test_a_stale_choice_is_unexplained_too(files: tuple[Path, Path]) -> None:
    curation, catalog = files
    curation.write_text(
        curation.read_text(encoding="utf-8")
        + '\n[[choices]]\nmodels = ["acme-gone"]\nfield = "input"\nvalue = 1\n'
        'source = "a model no longer in the catalog"\nchecked = 2026-11-26\n',
        encoding="utf-8",
    )
    run = audit(curation, catalog, "--json")
    assert run.exit_code == 1
    doc = json.loads(run.stdout)
    assert (doc["unexplained"], doc["disagreements"]) == (1, [])
    assert doc["problems"] == ["choice for acme-gone input matches no bundled model with data"]


def test_usage_errors(files: tuple[Path, Path], tmp_path: Path) -> None:
    curation, catalog = files
    run = audit(curation, catalog, reference=tmp_path / "nope")
    assert (run.exit_code, run.stdout) == (2, "")
    assert "error: --reference: " in run.stderr and "is not a folder" in run.stderr
    run = audit(curation, tmp_path / "missing.toml")
    assert run.exit_code == 2 and "no catalog file at " in run.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("schema_version = 1\n", "no [models] table"),
        ("[models.x]\nprices = 5\n", "models.x"),
        ("[models\n", "models.toml:1:"),
    ],
)
def test_a_file_that_is_no_catalog_is_an_error(
    files: tuple[Path, Path], text: str, message: str
) -> None:
    curation, catalog = files
    catalog.write_text(text, encoding="utf-8")
    for extra in ([], ["--json"]):
        run = audit(curation, catalog, *extra)
        assert (run.exit_code, run.stdout) == (1, "")
        assert run.stderr.startswith("error: ") and message in run.stderr, run.stderr
        assert "Traceback" not in run.stderr


def test_an_installed_copy_answers_that_it_needs_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aicompare import tooling

    package = tmp_path / "site-packages" / "aicompare"
    (package / "data").mkdir(parents=True)
    (package / "data" / "models.toml").write_text("schema_version = 1\n", encoding="utf-8")
    monkeypatch.setattr(tooling, "__file__", str(package / "tooling.py"))
    for extra in ([], ["--json"]):
        run = CliRunner().invoke(app, ["catalog", "audit", *extra], catch_exceptions=False)
        assert (run.exit_code, run.stdout) == (1, "")
        assert run.stderr.startswith(
            "error: building the catalog needs a source checkout of aicompare; this copy is "
            f"installed without its build tooling ({package})\n"
        )


def test_python_m_tools_catalog_build_audit(files: tuple[Path, Path]) -> None:
    curation, catalog = files
    edit(catalog, LARGE_PRICES, LARGE_PRICES.replace("input = 2.0", "input = 2.5"))
    proc = subprocess.run(
        [sys.executable, "-m", "tools.catalog_build", "audit", str(catalog), "--json"]
        + ["--reference", str(REFERENCE), "--curation", str(curation)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (1, "")
    [item] = json.loads(proc.stdout)["disagreements"]
    assert (item["model"], item["field"], item["catalog"]) == ("acme-large", "input", "2.5")


def _tier_reference(tmp_path: Path, start: int) -> Path:
    """The fixture data sets where LiteLLM and genai-prices both price acme-large above 200K."""
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE, reference)
    edit(
        reference / "litellm.json",
        '"output_cost_per_token": 8e-06, "max_input_tokens": 200000, "max_output_tokens": 32000, '
        '"source"',
        '"output_cost_per_token": 8e-06, "input_cost_per_token_above_200k_tokens": 4e-06, '
        '"output_cost_per_token_above_200k_tokens": 1.2e-05, '
        '"max_input_tokens": 200000, "max_output_tokens": 32000, "source"',
    )
    edit(
        reference / "genai-prices.json",
        '"prices": {"input_mtok": 2, "cache_read_mtok": 0.5, "output_mtok": 8}}',
        f'"prices": {{"input_mtok": {{"base": 2, "tiers": [{{"start": {start}, "price": 4}}]}}, '
        f'"cache_read_mtok": 0.5, '
        f'"output_mtok": {{"base": 8, "tiers": [{{"start": {start}, "price": 12}}]}}}}}}',
    )
    return reference


def test_long_context_tiers_are_compared_threshold_and_prices(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    curation, _ = files
    same_tier = build(_tier_reference(tmp_path / "a", 200000), curation)
    assert same_tier.check.problems == []
    tiers = same_tier.doc["models"]["acme-large"]["prices"]["tiers"]
    assert [{k: str(v) for k, v in tier.items()} for tier in tiers] == [
        {"above_input_tokens": "200000", "input": "4", "output": "12"}
    ]
    # one token apart: a disagreement the curation must settle
    reference = _tier_reference(tmp_path / "b", 199999)
    [problem] = build(reference, curation).check.problems
    assert problem.startswith("acme-large: tiers: the data sets disagree (genai-prices fixture ")
    curation.write_text(
        curation.read_text(encoding="utf-8")
        + '\n[[choices]]\nmodels = ["acme-large"]\nfield = "prices.tiers"\nprefer = "litellm"\n'
        'source = "the same prices; LiteLLM starts above 200,000 tokens"\nchecked = 2026-11-26\n',
        encoding="utf-8",
    )
    result = build(reference, curation)
    assert result.check.problems == []
    assert result.doc["models"]["acme-large"]["prices"]["tiers"][0]["above_input_tokens"] == 200000
