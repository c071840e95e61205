"""Catalog validation: every problem reported at once, with path:line(:col), exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from aicompare.errors import CatalogError
from aicompare.loader import load_catalog, read_document

GOOD_HEAD = 'schema_version = 1\n'


def write(tmp_path: Path, text: str | bytes, name: str = "cat.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems_of(cli, path: Path) -> tuple[int, str, str]:
    run = cli("catalog", "validate", str(path))
    return run.exit_code, run.stdout, run.stderr


def test_syntax_error_has_line_and_col(cli, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + '[models.x]\nprovider = "a"\ntype = \n')
    code, out, err = problems_of(cli, path)
    assert code == 1 and out == ""
    assert err.splitlines()[0] == f"error: {path}:4:8: Invalid value"
    assert "Traceback" not in err


def test_invalid_utf8(cli, tmp_path: Path) -> None:
    path = write(tmp_path, b'schema_version = 1\n[models.x]\nname = "caf\xff"\n')
    code, _, err = problems_of(cli, path)
    assert code == 1
    assert err.splitlines()[0] == f"error: {path}:3:12: invalid UTF-8 (byte 0xff)"


def test_all_problems_at_once(cli, tmp_path: Path) -> None:
    text = GOOD_HEAD + """
[models.bad-one]
provider = "acme"
type = "text"
colour = "blue"
context_window = "big"

[models.bad-one.prices]
input = -1.5
output = inf

[models.bad-one.lifecycle]
shutdown_date = "2025-02-30"
superseded_by = "nobody"

[models.bad-two]
provider = "acme"
type = "hologram"
aliases = ["alpha-mini"]

[models.bad-two.image_prices]
low = { "1024by1024" = 0.01 }
"""
    path = write(tmp_path, text)
    code, out, err = problems_of(cli, path)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == "error: the catalog has 8 problems:"
    body = "\n".join(lines)
    expected = [
        f"{path}:6: models.bad-one.colour: unknown key",
        f"{path}:7: models.bad-one.context_window: expected an integer, got a string",
        f"{path}:10: models.bad-one.prices.input: must not be negative, got -1.5",
        f"{path}:11: models.bad-one.prices.output: must be a finite number, got Infinity",
        f"{path}:14: models.bad-one.lifecycle.shutdown_date: not a valid date: '2025-02-30' (use YYYY-MM-DD)",
        f"{path}:19: models.bad-two.type: unknown type 'hologram'",
        "models.bad-two.image_prices.low.1024by1024: bad size '1024by1024'",
        "models.bad-two.aliases: duplicate name 'alpha-mini': already used by 'alpha-mini'",
    ]
    for item in expected:
        assert item in body, item
    assert "superseded_by" not in body  # bad-one is invalid, so only its own problems are reported


def test_superseded_by_must_name_a_model(cli, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + '[models.z]\nprovider = "a"\ntype = "text"\n'
                 '[models.z.lifecycle]\nsuperseded_by = "nobody"\n')
    code, _, err = problems_of(cli, path)
    assert code == 1
    assert err.splitlines()[0] == f"error: {path}:6: models.z.lifecycle.superseded_by: names no model in the catalog: 'nobody'"


def test_duplicate_table_is_a_syntax_error(cli, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + '[models.z]\nprovider = "a"\n[models.z]\ntype = "text"\n')
    code, _, err = problems_of(cli, path)
    assert code == 1 and f"{path}:4:" in err


def test_unknown_top_level_and_schema_version(cli, tmp_path: Path) -> None:
    path = write(tmp_path, 'schema_version = 7\nmodelz = {}\n')
    code, _, err = problems_of(cli, path)
    assert code == 1
    assert f"{path}:2: modelz: unknown top-level key" in err
    assert "unsupported schema_version 7" in err


def test_missing_file(cli, tmp_path: Path) -> None:
    code, out, err = problems_of(cli, tmp_path / "nope.toml")
    assert code == 1 and out == "" and "nope.toml: no such file" in err


def test_validate_ok_and_json(cli) -> None:
    run = cli("catalog", "validate")
    assert run.exit_code == 0 and run.stdout.startswith("ok: 5 models in 1 layer")
    doc = cli("catalog", "validate", "--json").json()
    assert doc["valid"] is True and doc["models"] == 5 and doc["problems"] == []


def test_validate_json_reports_problems(cli, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + '[models.q]\nprovider = "a"\ntype = "blob"\n')
    run = cli("catalog", "validate", str(path), "--json")
    assert run.exit_code == 1
    doc = run.json()
    assert doc["valid"] is False and len(doc["problems"]) == 1


def test_broken_bundled_catalog_fails_every_command(cli, monkeypatch, tmp_path: Path) -> None:
    path = write(tmp_path, "not toml at all [")
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(path))
    for args in (("list",), ("show", "x"), ("diff", "a", "b")):
        run = cli(*args)
        assert run.exit_code == 1, args
        assert run.stdout == ""
        assert run.stderr.startswith(f"error: {path}:1:")


def test_prices_stay_exact() -> None:
    catalog = load_catalog(include_user=False)
    from decimal import Decimal

    assert catalog.resolve("o4-mini").price("cached_input") == Decimal("0.275")
    assert catalog.resolve("gpt-image-1").image_price("medium", "1024x1536") == Decimal("0.063")
    doc, _ = read_document(Path(__file__).parents[1] / "data" / "models.toml")
    assert isinstance(doc["models"]["o4-mini"]["prices"]["input"], Decimal)


def test_catalog_error_carries_all_problems(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, GOOD_HEAD + '[models.a]\ntype = "text"\n[models.b]\nprovider = "x"\n')
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(path))
    with pytest.raises(CatalogError) as info:
        load_catalog(include_user=False)
    assert [p.split(": ", 1)[1] for p in info.value.problems] == [
        "models.a.provider: required key is missing", "models.b.type: required key is missing"]
