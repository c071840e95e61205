"""Catalog validation: every problem reported at once, with path:line(:col), exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from aicompare.errors import CatalogError
from aicompare.loader import load_catalog, read_document

GOOD_HEAD = "schema_version = 1\n"


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
    text = (
        GOOD_HEAD
        + """
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
    )
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
    path = write(
        tmp_path,
        GOOD_HEAD + '[models.z]\nprovider = "a"\ntype = "text"\n'
        '[models.z.lifecycle]\nsuperseded_by = "nobody"\n',
    )
    code, _, err = problems_of(cli, path)
    assert code == 1
    assert (
        err.splitlines()[0]
        == f"error: {path}:6: models.z.lifecycle.superseded_by: names no model in the catalog: 'nobody'"
    )


def test_duplicate_table_is_a_syntax_error(cli, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + '[models.z]\nprovider = "a"\n[models.z]\ntype = "text"\n')
    code, _, err = problems_of(cli, path)
    assert code == 1 and f"{path}:4:" in err


def test_unknown_top_level_and_schema_version(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "schema_version = 7\nmodelz = {}\n")
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


def test_prices_stay_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    from decimal import Decimal

    fixture = Path(__file__).parent / "data" / "fixture.toml"
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(fixture))
    catalog = load_catalog(include_user=False)
    # as written in the file, digits and all: 1.10 is not the float 1.1
    price = catalog.resolve("alpha-mini").price("input")
    assert (price, str(price)) == (Decimal("1.10"), "1.10")
    assert catalog.resolve("alpha-large").price("cached_input") == Decimal("0.50")
    cell = catalog.resolve("pixel-one").image_price("low", "1024x1536")
    assert (cell, str(cell)) == (Decimal("0.015"), "0.015")
    doc, _ = read_document(fixture)
    assert type(doc["models"]["alpha-mini"]["prices"]["input"]) is Decimal


def test_catalog_error_carries_all_problems(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, GOOD_HEAD + '[models.a]\ntype = "text"\n[models.b]\nprovider = "x"\n')
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(path))
    with pytest.raises(CatalogError) as info:
        load_catalog(include_user=False)
    assert [p.split(": ", 1)[1] for p in info.value.problems] == [
        "models.a.provider: required key is missing",
        "models.b.type: required key is missing",
    ]


# --- succession: self, cycles of any length, case and names -------------------------------------


def table(model_id: str, successor: str | None, extra: str = "") -> str:
    """A model table of 3 lines plus its extra lines, then a 4th naming its successor."""
    life = "" if successor is None else f'lifecycle = {{ superseded_by = "{successor}" }}\n'
    return f'[models.{model_id}]\nprovider = "x"\ntype = "text"\n{extra}{life}'


def test_superseded_by_itself(cli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_HEAD + '[models.z]\nprovider = "a"\ntype = "text"\n'
        '[models.z.lifecycle]\nsuperseded_by = "z"\n',
    )
    code, out, err = problems_of(cli, path)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"error: {path}:6: models.z.lifecycle.superseded_by: names the model itself",
        "fix these entries; the format is in docs/catalog.md",
    ]


def test_superseded_by_itself_through_an_alias(cli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_HEAD + '[models.z]\nprovider = "a"\ntype = "text"\n'
        'aliases = ["zed"]\n[models.z.lifecycle]\nsuperseded_by = "ZED"\n',
    )
    code, _, err = problems_of(cli, path)
    assert code == 1
    assert err.splitlines()[0] == (
        f"error: {path}:7: models.z.lifecycle.superseded_by: names the model itself ('ZED' is z)"
    )


def test_two_cycle_is_reported_once_with_the_chain(cli, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + table("a", "b") + table("b", "a"))
    code, out, err = problems_of(cli, path)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"error: {path}:5: models.a.lifecycle.superseded_by: succession cycle a -> b -> a",
        "fix these entries; the format is in docs/catalog.md",
    ]


def test_three_cycle_through_a_snapshot_and_another_case(cli, tmp_path: Path) -> None:
    # a -> b (by its snapshot), b -> c, c -> a (as "A"); d leads into the cycle and is not in it
    path = write(
        tmp_path,
        GOOD_HEAD
        + table("a", "b-0101")
        + table("b", "c", 'snapshots = ["b-0101"]\n')
        + table("c", "A")
        + table("d", "a"),
    )
    code, _, err = problems_of(cli, path)
    assert code == 1
    assert err.splitlines() == [
        f"error: {path}:5: models.a.lifecycle.superseded_by: succession cycle a -> b -> c -> a",
        "fix these entries; the format is in docs/catalog.md",
    ]


def test_two_cycles_are_two_problems(cli, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + table("a", "a") + table("b", "c") + table("c", "b"))
    code, _, err = problems_of(cli, path)
    assert code == 1
    assert err.splitlines() == [
        "error: the catalog has 2 problems:",
        f"  {path}:5: models.a.lifecycle.superseded_by: names the model itself",
        f"  {path}:9: models.b.lifecycle.superseded_by: succession cycle b -> c -> b",
        "fix these entries; the format is in docs/catalog.md",
    ]


@pytest.fixture
def user_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    path = config / "aicompare" / "models.toml"
    path.parent.mkdir(parents=True)
    return path


def test_cycle_closed_by_the_user_layer_points_at_it(cli, user_layer: Path) -> None:
    # the fixture has alpha-old -> alpha-mini; the user layer adds alpha-mini -> alpha-old
    user_layer.write_text(
        'schema_version = 1\n\n[models.alpha-mini.lifecycle]\nsuperseded_by = "Alpha-Old"\n',
        encoding="utf-8",
    )
    for args in (("catalog", "validate"), ("list",), ("show", "alpha-mini")):
        run = cli(*args)
        assert (run.exit_code, run.stdout) == (1, ""), args
        assert run.stderr.splitlines()[0] == (
            f"error: {user_layer}:4: models.alpha-mini.lifecycle.superseded_by: "
            "succession cycle alpha-mini -> alpha-old -> alpha-mini"
        ), args
        assert len(run.stderr.splitlines()) == 2, args


def test_cycle_across_layers_via_validate_paths(cli, tmp_path: Path) -> None:
    # `catalog validate PATH` checks PATH over the bundled (here: fixture) catalog
    path = write(
        tmp_path,
        GOOD_HEAD + '[models.alpha-mini.lifecycle]\nsuperseded_by = "alpha"\n'
        '[models.alpha-large.lifecycle]\nsuperseded_by = "alpha-old"\n',
    )
    code, _, err = problems_of(cli, path)
    assert code == 1
    # every link of the cycle is set by PATH, the higher layer: the first of them in catalog order
    assert err.splitlines()[0] == (
        f"error: {path}:5: models.alpha-large.lifecycle.superseded_by: "
        "succession cycle alpha-large -> alpha-old -> alpha-mini -> alpha-large"
    )


def test_successor_resolves_like_a_name_and_is_shown_by_its_id(cli, user_layer: Path) -> None:
    user_layer.write_text(
        "schema_version = 1\n\n[models.alpha-large.lifecycle]\n"
        'superseded_by = "ALPHA-MINI"\n\n[models.pixel-flat.lifecycle]\n'
        'superseded_by = "Alpha-Large-2025-01-15"\n',
        encoding="utf-8",
    )
    run = cli("catalog", "validate")
    assert run.exit_code == 0, run.stderr
    show = cli("show", "alpha-large")
    assert show.exit_code == 0
    rows = {line.split("  ")[0]: " ".join(line.split()) for line in show.stdout.splitlines()}
    assert rows["status"] == "status current"
    assert rows["superseded by"] == f"superseded by alpha-mini (from {user_layer})"
    assert rows["live successor"] == "live successor alpha-mini"
    assert "ALPHA-MINI" not in show.stdout
    doc = cli("show", "alpha-large", "--json").json()
    assert doc["model"]["lifecycle"]["superseded_by"] == "alpha-mini"
    pixel = cli("show", "pixel-flat", "--json").json()["model"]
    assert pixel["lifecycle"]["superseded_by"] == "alpha-large"
    diff = cli("diff", "alpha-large", "alpha-mini").stdout
    assert "alpha-large has been superseded by alpha-mini: for new builds" in diff


def test_successor_that_names_no_model_still_fails(cli, user_layer: Path) -> None:
    user_layer.write_text(
        '[models.alpha-large.lifecycle]\nsuperseded_by = "alpha-mega"\n', encoding="utf-8"
    )
    run = cli("catalog", "validate")
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        f"error: {user_layer}:2: models.alpha-large.lifecycle.superseded_by: "
        "names no model in the catalog: 'alpha-mega'"
    )


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ('""', "models.'': the model id is empty"),
        ('"   "', "models.'   ': the model id is only whitespace"),
        ('"\t"', "models.'\\t': the model id is only whitespace"),
        (
            '" beta "',
            "models.' beta ': the model id begins or ends with whitespace (did you mean 'beta'?)",
        ),
    ],
)
def test_blank_or_padded_model_id(cli, tmp_path: Path, key: str, problem: str) -> None:
    path = write(tmp_path, GOOD_HEAD + f'[models.{key}]\nprovider = "a"\ntype = "text"\n')
    code, out, err = problems_of(cli, path)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"error: {path}:2: {problem}",
        "fix these entries; the format is in docs/catalog.md",
    ]


def test_a_padded_id_does_not_hide_the_other_problems_of_its_table(cli, tmp_path: Path) -> None:
    path = write(
        tmp_path, GOOD_HEAD + '[models." beta "]\nprovider = "a"\ntype = "text"\nbogus = 1\n'
    )
    code, out, err = problems_of(cli, path)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "error: the catalog has 2 problems:",
        f"  {path}:2: models.' beta ': the model id begins or ends with whitespace (did you mean 'beta'?)",
        f"  {path}:5: models.' beta '.bogus: unknown key",
        "fix these entries; the format is in docs/catalog.md",
    ]


def test_blank_id_fails_every_command(cli, monkeypatch, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_HEAD + '[models.ok]\nprovider = "a"\ntype = "text"\n'
        '[models."  "]\nprovider = "a"\ntype = "text"\n',
    )
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(path))
    for args in (("list",), ("show", "ok"), ("cost", "--tokens", "1M")):
        run = cli(*args)
        assert (run.exit_code, run.stdout) == (1, ""), args
        assert run.stderr.splitlines()[0] == (
            f"error: {path}:5: models.'  ': the model id is only whitespace"
        )


def test_blank_or_padded_alias_and_snapshot(cli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_HEAD + '[models.q]\nprovider = "a"\ntype = "text"\n'
        'aliases = ["", "ok"]\nsnapshots = ["q-1 "]\n',
    )
    code, _, err = problems_of(cli, path)
    assert code == 1
    assert err.splitlines() == [
        "error: the catalog has 2 problems:",
        f"  {path}:5: models.q.aliases: alias '' is empty",
        f"  {path}:6: models.q.snapshots: snapshot 'q-1 ' begins or ends with whitespace "
        "(did you mean 'q-1'?)",
        "fix these entries; the format is in docs/catalog.md",
    ]


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("", "must not be empty"),
        ("  ", "must not be empty"),
        ("twin", "'twin' could be any of t1, t2: use an id"),
    ],
)
def test_successor_empty_or_ambiguous(cli, tmp_path: Path, written: str, problem: str) -> None:
    path = write(
        tmp_path,
        GOOD_HEAD
        + table("t1", None, 'name = "Twin"\n')
        + table("t2", None, 'name = "TWIN"\n')
        + table("z", written),
    )
    code, _, err = problems_of(cli, path)
    assert code == 1
    assert err.splitlines()[0] == f"error: {path}:13: models.z.lifecycle.superseded_by: {problem}"


def test_successor_by_display_name_and_provider_prefix(cli, user_layer: Path) -> None:
    user_layer.write_text(
        '[models.alpha-large.lifecycle]\nsuperseded_by = "Alpha Mini"\n'
        '[models.pixel-flat.lifecycle]\nsuperseded_by = "pixel:weird[/]name"\n',
        encoding="utf-8",
    )
    assert cli("catalog", "validate").exit_code == 0
    doc = cli("list", "--json").json()
    successors = {m["id"]: m["superseded_by"] for m in doc["models"]}
    assert successors["alpha-large"] == "alpha-mini" and successors["pixel-flat"] == "pixel-one"


def test_invisible_model_id(cli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_HEAD + '[models."\\u200b"]\nprovider = "a"\ntype = "text"\n'
        '[models."b\\u200b"]\nprovider = "a"\ntype = "text"\n',
    )
    code, _, err = problems_of(cli, path)
    assert code == 1
    assert err.splitlines()[1:3] == [
        "  " + f"{path}: models.'\\u200b': the model id has no visible character",
        "  " + f"{path}: models.'b\\u200b': the model id begins or ends with an invisible "
        "character (did you mean 'b'?)",
    ]
