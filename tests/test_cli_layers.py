"""Catalog layers end to end: path, set, add, remove, import, export, and provenance in show."""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
SAMPLES = Path(__file__).parent / "data" / "importers"


@pytest.fixture
def user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config / "aicompare" / "models.toml"


def test_path_lists_layers(cli, user_file: Path, tmp_path: Path, monkeypatch) -> None:
    extra = tmp_path / "team.toml"
    extra.write_text("schema_version = 1\n")
    monkeypatch.setenv("AICOMPARE_CATALOG", str(extra))
    doc = cli("catalog", "path", "--json").json()
    assert [(layer["kind"], layer["exists"]) for layer in doc["layers"]] == [
        ("bundled", True),
        ("user", False),
        ("env", True),
    ]
    assert doc["layers"][1]["path"] == str(user_file)


def test_set_overrides_one_field_and_show_says_where(cli, user_file: Path) -> None:
    run = cli("catalog", "set", "Alpha Mini", "--input", "0.90", "--note", "negotiated")
    assert run.exit_code == 0, run.stderr
    written = tomllib.loads(user_file.read_text(), parse_float=Decimal)
    assert written["models"]["alpha-mini"] == {
        "notes": "negotiated",
        "prices": {"input": Decimal("0.90")},
        "set_by_hand": ["notes", "prices.input"],
    }
    show = cli("show", "alpha-mini")
    assert f"$0.90 per 1M tokens  (from {user_file})" in show.stdout
    assert "$4.40 per 1M tokens" in show.stdout and "$4.40 per 1M tokens  (from" not in show.stdout
    doc = cli("cost", "alpha-mini", "--input", "1M", "--json").json()
    assert doc["results"][0]["total"] == "0.9"
    diff = cli("diff", "alpha-mini", "alpha-large").stdout
    assert "alpha-mini is 82% cheaper on input tokens ($0.90 vs $5.00 per 1M)." in diff
    assert cli("show", "alpha-mini", "--json").json()["model"]["origins"] == {
        "notes": str(user_file),
        "prices.input": str(user_file),
    }


def test_add_and_remove_private_model(cli, user_file: Path) -> None:
    run = cli(
        "catalog",
        "add",
        "acme-secret",
        "--provider",
        "acme",
        "--type",
        "text",
        "--input",
        "0.2",
        "--output",
        "0.8",
        "--context-window",
        "64k".replace("k", "000"),
    )
    assert run.exit_code == 0, run.stderr
    listed = [m["id"] for m in cli("list", "--json").json()["models"]]
    assert "acme-secret" in listed
    assert cli("cost", "--tokens", "1M", "--json").json()["results"][0]["model"] == "acme-secret"
    again = cli("catalog", "add", "acme-secret", "--provider", "acme", "--type", "text")
    assert again.exit_code == 1 and "already in the catalog" in again.stderr
    assert cli("catalog", "remove", "acme-secret").exit_code == 0
    assert "acme-secret" not in [m["id"] for m in cli("list", "--json").json()["models"]]
    bundled = cli("catalog", "remove", "alpha-mini")
    assert bundled.exit_code == 1 and "not in this file" in bundled.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--input", "-1"), "is not a price"),
        (("--input", "1e3"), "is not a price"),
        (("--input", "nan"), "is not a price"),
        (("--set", "prices.inptu=1"), "cannot set field 'prices.inptu'"),
        (("--set", "noequals"), "use FIELD=VALUE"),
        (("--context-window", "-5"), "positive whole number"),
        (("--shutdown-date", "2025-02-30"), "is not a date"),
        ((), "nothing to set"),
    ],
)
def test_set_rejects_bad_values(cli, user_file: Path, args: tuple[str, ...], message: str) -> None:
    run = cli("catalog", "set", "alpha-mini", *args)
    assert run.exit_code == 2, run.stderr
    assert message in run.stderr and run.stdout == ""
    assert not user_file.exists()


def test_set_that_breaks_the_catalog_writes_nothing(cli, user_file: Path) -> None:
    assert cli("catalog", "set", "alpha-mini", "--input", "1").exit_code == 0
    before = user_file.read_bytes()
    run = cli("catalog", "set", "alpha-mini", "--superseded-by", "nobody")
    assert run.exit_code == 1 and "names no model" in run.stderr
    assert user_file.read_bytes() == before
    assert [p.name for p in user_file.parent.iterdir() if ".tmp" in p.name] == []


def test_import_litellm_sample(cli, user_file: Path) -> None:
    sample = SAMPLES / "litellm.json"
    dry = cli("catalog", "import", "--from", "litellm", str(sample), "--dry-run", "--json")
    assert dry.exit_code == 0, dry.stderr
    assert not user_file.exists()
    added = dry.json()["added"]
    assert added
    run = cli("catalog", "import", "--from", "litellm", str(sample))
    assert run.exit_code == 0, run.stderr
    assert f"added {len(added)}" in run.stdout
    doc = tomllib.loads(user_file.read_text(), parse_float=Decimal)
    assert set(doc["models"]) == set(added)
    again = cli(
        "catalog", "import", "--from", "litellm", str(sample), "--only-new", "--json"
    ).json()
    assert again["added"] == [] and again["updated"] == []


def test_import_bad_files_touch_nothing(cli, user_file: Path, tmp_path: Path) -> None:
    assert cli("catalog", "set", "alpha-mini", "--input", "1").exit_code == 0
    before = user_file.read_bytes()
    broken = tmp_path / "broken.json"
    broken.write_text('{"a": 1,\n  "b": }')
    run = cli("catalog", "import", "--from", "litellm", str(broken))
    assert run.exit_code == 1 and f"{broken}:2:" in run.stderr and run.stdout == ""
    wrong = cli("catalog", "import", "--from", "litellm", str(SAMPLES / "modelsdev.json"))
    assert wrong.exit_code == 1 and "not a LiteLLM" in wrong.stderr
    missing = cli("catalog", "import", "--from", "litellm", str(tmp_path / "nope.json"))
    assert missing.exit_code == 1
    bad_format = cli("catalog", "import", "--from", "yaml", str(broken))
    assert bad_format.exit_code == 2
    assert user_file.read_bytes() == before


def test_export_round_trips(cli, tmp_path: Path) -> None:
    out = tmp_path / "all.toml"
    assert cli("catalog", "export", "-o", str(out)).exit_code == 0
    assert cli("catalog", "validate", str(out)).exit_code == 0
    original = cli("show", "alpha-large", "--json").json()["model"]
    csv_text = cli("catalog", "export", "--format", "csv").stdout.splitlines()
    assert csv_text[0].startswith("id,name,provider,type,context_window")
    assert any(
        line.startswith("alpha-large,Alpha Large,acme,text,1000000,,64000,5,0.5,,,20,")
        for line in csv_text
    )
    exported = json.loads(cli("catalog", "export", "--format", "json").stdout)
    assert (
        next(m for m in exported["models"] if m["id"] == "alpha-large")["prices"]
        == original["prices"]
    )


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared/reference is not present")
def test_full_litellm_import_then_every_command(cli, user_file: Path) -> None:
    source = REFERENCE / "litellm" / "model_prices_and_context_window.json"
    run = cli("catalog", "import", "--from", "litellm", str(source), "--json")
    assert run.exit_code == 0, run.stderr
    assert len(run.json()["added"]) > 3900
    assert cli("show", "azure/gpt-4o", "--json").json()["model"]["provider"] == "azure"
    assert cli("diff", "alpha-mini", "gpt-4o-mini", "--json").exit_code == 0
    doc = cli("cost", "gpt-4o-mini", "--input", "1M", "--json").json()
    assert doc["results"][0]["total"] == "0.15"
