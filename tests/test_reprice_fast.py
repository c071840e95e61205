"""The fast path (usage/fast.py): DuckDB's aggregates of a usage file equal a pure-Python
aggregation, and pricing them equals pricing every row with Decimal; OTLP spans; bad values;
the memory settings; when the path is taken and the note without it."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aicompare.catalog import Catalog
from aicompare.errors import AicompareError
from aicompare.loader import load_catalog
from aicompare.model import priced_on
from aicompare.usage import fast
from aicompare.usage.rows import UsageFormatError

pytest.importorskip("duckdb", reason="duckdb is not installed (the fast extra)")

USAGE = Path(__file__).parent / "data" / "usage"
FIXTURE = USAGE / "fast_usage.csv"
OTLP = USAGE / "otlp_spans.jsonl"
LAYER = USAGE / "warehouse_layer.toml"
MAP = {
    "model": "llm_model",
    "seller": "provider",
    "time": "ts",
    "input": "prompt_tokens",
    "cached": "cache_hits",
    "output": "completion_tokens",
    "project": "team",
    "cost": "spend",
    "batch": "is_batch",
}
THRESHOLDS = (200_000, 1_000_000)


def _bucket(prompt: int) -> int:
    return max((t for t in THRESHOLDS if prompt > t), default=0)


def _python_aggregates(path: Path) -> dict[tuple[Any, ...], list[Any]]:
    """The fixture aggregated row by row in Python: key -> [rows, input, cached, output,
    recorded cost, rows with a cost]."""
    sums: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [0, 0, 0, 0, None, 0])
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            time = row["ts"]
            day = dt.datetime.fromisoformat(time).astimezone(dt.UTC).date() if time else None
            prompt, cached = int(row["prompt_tokens"]), int(row["cache_hits"])
            key = (
                row["llm_model"],
                row["provider"] or None,
                day,
                row["is_batch"] == "true",
                "standard",
                _bucket(prompt),
                (row["team"] or None,),
            )
            item = sums[key]
            item[0] += 1
            item[1] += prompt - cached
            item[2] += cached
            item[3] += int(row["completion_tokens"])
            if row["spend"]:
                item[4] = (item[4] or Decimal(0)) + Decimal(row["spend"])
                item[5] += 1
    return dict(sums)


def _fast(path: Path, **kwargs: Any) -> dict[tuple[Any, ...], list[Any]]:
    found: dict[tuple[Any, ...], list[Any]] = {}
    for agg in fast.aggregate_file(
        path, "csv", MAP, ("project",), prompt_thresholds=THRESHOLDS, **kwargs
    ):
        key = (agg.model, agg.seller, agg.day, agg.batch, agg.tier, agg.prompt_bucket, agg.group)
        assert key not in found, key  # one aggregate per key
        assert agg.requests == agg.rows and agg.cache_write_tokens == 0
        found[key] = [
            agg.rows,
            agg.input_tokens,
            agg.cached_input_tokens,
            agg.output_tokens,
            agg.recorded_cost,
            agg.recorded_rows,
        ]
    return found


def test_csv_aggregates_equal_python_aggregation() -> None:
    found = _fast(FIXTURE, input_includes_cached=True)
    assert found == _python_aggregates(FIXTURE)
    # two requests of one day, one of them at 01:00+02:00 (still 2026-10-14 in UTC)
    key = ("gpt-4o-mini", None, dt.date(2026, 10, 14), False, "standard", 0, ("search",))
    assert found[key] == [2, 1000 + 1000, 1000, 500 + 100, None, 0]
    # a row without a time has no day; the batch row is its own aggregate
    assert ("mistral-small", None, None, False, "standard", 0, (None,)) in found
    assert sum(1 for k in found if k[0] == "gpt-4o-mini" and k[1] == "azure") == 3
    # recorded costs are summed exactly
    claude = ("claude-sonnet-4-5", None, dt.date(2026, 10, 3), False, "standard", 1_000_000)
    assert found[(*claude, ("research",))][4:] == [Decimal("1.2345678901"), 1]


def test_gzipped_csv_and_json_lines_give_the_same_aggregates(tmp_path: Path) -> None:
    zipped = tmp_path / "usage.csv.gz"
    zipped.write_bytes(gzip.compress(FIXTURE.read_bytes()))
    assert _fast(zipped, input_includes_cached=True) == _python_aggregates(FIXTURE)
    lines = tmp_path / "usage.jsonl"
    with FIXTURE.open(newline="") as handle:
        records = list(csv.DictReader(handle))
    for record in records:  # numbers as JSON numbers, empty cells as absent keys
        for name in ("prompt_tokens", "cache_hits", "completion_tokens"):
            record[name] = int(record[name])  # type: ignore[assignment]
    lines.write_text(
        "".join(json.dumps({k: v for k, v in r.items() if v != ""}) + "\n" for r in records)
    )
    found: dict[tuple[Any, ...], list[Any]] = {}
    for agg in fast.aggregate_file(
        lines, "jsonl", MAP, ("project",), prompt_thresholds=THRESHOLDS, input_includes_cached=True
    ):
        key = (agg.model, agg.seller, agg.day, agg.batch, agg.tier, agg.prompt_bucket, agg.group)
        found[key] = [
            agg.rows,
            agg.input_tokens,
            agg.cached_input_tokens,
            agg.output_tokens,
            agg.recorded_cost,
            agg.recorded_rows,
        ]
    assert found == _python_aggregates(FIXTURE)


def _price(
    catalog: Catalog, model: str, seller: str | None, day: dt.date, tokens: tuple[int, int, int]
) -> Decimal | None:
    """One row's (or aggregate's) cost at the standard prices in force on `day`; None when the
    model or a needed price is unknown."""
    try:
        record = catalog.resolve(f"{model}@{seller}" if seller else model)
    except AicompareError:
        return None
    prices = priced_on(record, day).prices.standard
    base, output = prices.get("input"), prices.get("output")
    if base is None or output is None:
        return None
    cached = prices.get("cached_input") or base
    uncached, reads, out = tokens
    return (uncached * base + reads * cached + out * output) / Decimal(1_000_000)


def test_pricing_the_aggregates_equals_pricing_every_row() -> None:
    catalog = load_catalog([str(LAYER)], include_user=False)
    by_rows, unpriced_rows = Decimal(0), 0
    with FIXTURE.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["ts"]:
                continue
            day = dt.datetime.fromisoformat(row["ts"]).astimezone(dt.UTC).date()
            cached = int(row["cache_hits"])
            tokens = (int(row["prompt_tokens"]) - cached, cached, int(row["completion_tokens"]))
            cost = _price(catalog, row["llm_model"], row["provider"] or None, day, tokens)
            if cost is None:
                unpriced_rows += 1
            else:
                by_rows += cost
    by_aggregates, unpriced_aggregated = Decimal(0), 0
    for agg in fast.aggregate_file(FIXTURE, "csv", MAP, input_includes_cached=True):
        if agg.day is None:
            continue
        tokens = (agg.input_tokens, agg.cached_input_tokens, agg.output_tokens)
        cost = _price(catalog, agg.model, agg.seller, agg.day, tokens)
        if cost is None:
            unpriced_aggregated += agg.rows
        else:
            by_aggregates += cost
    assert by_aggregates == by_rows  # exact: pricing is linear within a day
    assert unpriced_aggregated == unpriced_rows == 2  # the fine-tune, never $0
    # by hand, the maker's gpt-4o-mini across its price change of 2026-10-15:
    # 10-14: (1.2M + 1000 + 1000) x 0.15 + (0.3M + 1000) x 0.075 + (0.45M + 600) x 0.6
    # 10-15: 1M x 0.2 + 0.25M x 0.1 + 0.4M x 0.8
    day1 = _price(
        catalog, "gpt-4o-mini", None, dt.date(2026, 10, 14), (1_202_000, 301_000, 450_600)
    )
    day2 = _price(
        catalog, "gpt-4o-mini", None, dt.date(2026, 10, 15), (1_000_000, 250_000, 400_000)
    )
    assert (day1, day2) == (Decimal("0.473235"), Decimal("0.545"))


def test_otlp_spans_are_aggregated_per_model_provider_and_day() -> None:
    found = {
        (a.model, a.seller, a.day, a.prompt_bucket, a.group): (
            a.rows,
            a.input_tokens,
            a.cached_input_tokens,
            a.cache_write_tokens,
            a.output_tokens,
        )
        for a in fast.aggregate_file(OTLP, "otlp", {}, ("project",), prompt_thresholds=(2000,))
    }
    assert found == {
        # the response model wins over the requested one; input includes the cache reads
        ("gpt-4o-mini-2024-07-18", "openai", dt.date(2026, 10, 14), 0, ("checkout",)): (
            1,
            1200,
            300,
            0,
            450,
        ),
        # the older gen_ai.system names the provider; cache writes are out of input too
        ("claude-sonnet-4-5", "anthropic", dt.date(2026, 10, 15), 2000, ("checkout",)): (
            1,
            200,
            2000,
            100,
            80,
        ),
        # a span without a model (an embeddings call without attributes) is not usage
        ("gpt-4o-mini", "openai", dt.date(2026, 10, 15), 0, ("search",)): (2, 1500, 0, 0, 500),
    }


def test_a_count_that_is_not_a_number_is_an_error_not_zero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "ts,llm_model,provider,prompt_tokens,cache_hits,completion_tokens,team,spend,is_batch\n"
        "2026-10-14T10:00:00Z,gpt-4o-mini,,12k,0,5,,,\n"
    )
    with pytest.raises(UsageFormatError) as caught:
        list(fast.aggregate_file(bad, "csv", MAP))
    assert str(caught.value).startswith(f"{bad}: Conversion Error:")
    assert "12k" in str(caught.value)


def test_a_time_that_is_not_a_time_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("ts,llm_model,prompt_tokens\nyesterday,gpt-4o-mini,5\n")
    with pytest.raises(UsageFormatError, match="yesterday"):
        list(fast.aggregate_file(bad, "csv", {"model": "llm_model", "time": "ts"}))


def test_a_column_map_needs_a_model_and_known_fields() -> None:
    with pytest.raises(ValueError, match="needs a model column"):
        list(fast.aggregate_file(FIXTURE, "csv", {"input": "prompt_tokens"}))
    with pytest.raises(ValueError, match="no such field in a column map: tokens"):
        list(fast.aggregate_file(FIXTURE, "csv", {"model": "llm_model", "tokens": "x"}))
    with pytest.raises(ValueError, match="no such group key: month"):
        list(fast.aggregate_file(FIXTURE, "csv", MAP, ("month",)))


def test_the_connection_stays_within_the_memory_budget() -> None:
    connection = fast.connect()
    try:
        settings = dict(
            connection.execute(
                "SELECT name, value FROM duckdb_settings() WHERE name IN "
                "('memory_limit', 'threads', 'TimeZone')"
            ).fetchall()
        )
    finally:
        connection.close()
    assert settings["threads"] == "2" and settings["TimeZone"] == "UTC"
    assert settings["memory_limit"] == "61.0 MiB"  # 64 MB, as DuckDB spells it


def test_the_fast_path_is_for_large_files_and_said_when_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert fast.use_fast(fast.FAST_FROM) and not fast.use_fast(fast.FAST_FROM - 1)
    assert fast.slow_path_note(fast.LARGE_FILE) is None  # installed: nothing to say
    monkeypatch.setattr(fast, "available", lambda: False)
    assert not fast.use_fast(fast.FAST_FROM * 100)
    assert fast.slow_path_note(fast.LARGE_FILE - 1) is None
    assert fast.slow_path_note(fast.LARGE_FILE) == (
        "a large file read without DuckDB: pip install 'aicompare[fast]' (DuckDB) to read "
        "large files faster"
    )


def test_otlp_as_one_document_or_gzipped_gives_the_same(tmp_path: Path) -> None:
    def aggregates(path: Path) -> list[fast.Aggregate]:
        return sorted(fast.aggregate_file(path, "otlp", {}, ("project",)), key=repr)

    lines = OTLP.read_text().splitlines()
    merged = {"resourceSpans": [r for line in lines for r in json.loads(line)["resourceSpans"]]}
    document = tmp_path / "trace.json"
    document.write_text(json.dumps(merged, indent=2))  # pretty-printed over many lines
    zipped = tmp_path / "spans.jsonl.gz"
    zipped.write_bytes(gzip.compress(OTLP.read_bytes()))
    expected = aggregates(OTLP)
    assert len(expected) == 3
    assert aggregates(document) == expected and aggregates(zipped) == expected


def test_otlp_with_a_bad_count_or_line_is_an_error(tmp_path: Path) -> None:
    text = OTLP.read_text()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(text.replace('{"intValue": "400"}', '{"stringValue": "lots"}'))
    with pytest.raises(UsageFormatError) as caught:
        list(fast.aggregate_file(bad, "otlp", {}))
    assert str(caught.value) == f"{bad}:2: output is 'lots', not a token count"
    broken = tmp_path / "broken.jsonl"
    broken.write_text(text + "{not json\n")
    with pytest.raises(UsageFormatError, match=rf"^{broken}:3: not JSON: "):
        list(fast.aggregate_file(broken, "otlp", {}))


def test_a_row_without_a_model_is_kept_under_an_empty_name(tmp_path: Path) -> None:
    usage = tmp_path / "usage.csv"
    usage.write_text("llm_model,prompt_tokens\n,700\ngpt-4o-mini,5\n ,1\n")
    found = {
        a.model: (a.rows, a.input_tokens)
        for a in fast.aggregate_file(usage, "csv", {"model": "llm_model", "input": "prompt_tokens"})
    }
    assert found == {"": (2, 701), "gpt-4o-mini": (1, 5)}  # listed as unpriced, never dropped


# ---------------------------------------------- `aicompare reprice` on the fast path and off it

COMMAND_MAP = (
    "model=llm_model,seller=provider,time=ts,input=prompt_tokens,cached=cache_hits,"
    "output=completion_tokens,project=team,cost=spend,batch=is_batch,prompt=prompt_tokens,"
    "input_includes_cached=yes"
)


def _both_paths(cli: Any, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Any, Any]:
    """`aicompare reprice ARGS` with the fast path taken for every file, and never."""
    runs = []
    for start in ("0", str(10**15)):
        monkeypatch.setenv(fast.FAST_FROM_ENV, start)
        runs.append(cli("reprice", *args, "--catalog", str(LAYER), "--as-of", "2026-11-26"))
    return runs[0], runs[1]


def _engine_aggregation(path: Path, keys: tuple[str, ...] = ("model", "project")) -> Any:
    """The command's fast path for `path`, taken whatever the file's size (the env var)."""
    from aicompare.commands.reprice import _fast_aggregation
    from aicompare.usage.readers import parse_column_map

    notes: list[str] = []
    found = _fast_aggregation(
        str(path), None, parse_column_map(COMMAND_MAP), THRESHOLDS, keys, notes
    )
    assert notes == []
    return found


def _python_aggregation(path: Path, keys: tuple[str, ...] = ("model", "project")) -> Any:
    from aicompare.usage.aggregate import aggregate
    from aicompare.usage.readers import parse_column_map, read_usage

    records = read_usage(str(path), column_map=parse_column_map(COMMAND_MAP))
    return aggregate(records, THRESHOLDS, by_project="project" in keys, by_key="key" in keys)


def _flat(aggregation: Any) -> tuple[Any, ...]:
    groups = {
        key: (t.rows, t.requests, t.counts, t.recorded_cost, str(t.recorded_cost), t.max_prompt)
        for key, t in aggregation.groups.items()
    }
    return groups, aggregation.first, aggregation.last, aggregation.rows, aggregation.recorded


def _variant(tmp_path: Path) -> Path:
    """The fixture with what the engine's key tells apart: epoch times (seconds and
    milliseconds), a naive time, a whole count written 12.0-free, yes/no batch words, amounts
    with different places, a tier."""
    text = FIXTURE.read_text()
    extra = (
        "1792022400,gpt-4o-mini,,1500,0,20,search,0.50,yes\n"  # 2026-10-15 in epoch seconds
        "1792108799999,gpt-4o-mini,,300000,1000,20,search,0.0001,NO\n"  # ms, 2026-10-15 23:59
        "2026-10-16 23:30:00,gpt-4o-mini,azure,2500000,0,7,,,0\n"  # naive: UTC
    )
    path = tmp_path / "usage.csv"
    path.write_text(text + extra)
    return path


def test_the_fast_path_makes_the_engines_aggregation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(fast.FAST_FROM_ENV, "0")
    path = _variant(tmp_path)
    found = _engine_aggregation(path)
    assert found is not None  # taken, not fallen back from
    assert _flat(found) == _flat(_python_aggregation(path))
    # the amounts keep the places they were written with, as Python sums them
    costs = {str(t.recorded_cost) for k, t in found.groups.items() if k.recorded}
    assert {"0.50", "0.0001", "1.2345678901"} <= costs
    zipped = tmp_path / "usage.csv.gz"
    zipped.write_bytes(gzip.compress(path.read_bytes()))
    assert _flat(_engine_aggregation(zipped)) == _flat(_python_aggregation(path))


def test_reprice_json_is_the_same_on_both_paths(
    bundled_cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = _variant(tmp_path)
    for by in ("model,project", "day,seller", "month"):
        quick, slow = _both_paths(
            bundled_cli, monkeypatch, str(path), "--map", COMMAND_MAP, "--by", by, "--json"
        )
        assert (quick.exit_code, slow.exit_code) == (0, 0), slow.stderr
        assert quick.stderr == slow.stderr == ""
        assert quick.json() == slow.json()
    document = quick.json()
    assert document["rows"] == 18 and document["recorded_total"]
    assert sum(item["rows"] for item in document["unpriced"]) == 2  # the fine-tune, never $0


def test_json_lines_give_the_same_reprice_on_both_paths(
    bundled_cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lines = tmp_path / "usage.jsonl"
    with FIXTURE.open(newline="") as handle:
        records = [{k: v for k, v in r.items() if v != ""} for r in csv.DictReader(handle)]
    for record in records:
        for name in ("prompt_tokens", "cache_hits", "completion_tokens"):
            record[name] = int(record[name])  # type: ignore[assignment]
    lines.write_text("".join(json.dumps(r) + "\n" for r in records))
    from aicompare.commands.reprice import _fast_aggregation
    from aicompare.usage.readers import parse_column_map

    columns = parse_column_map(COMMAND_MAP)
    monkeypatch.setenv(fast.FAST_FROM_ENV, "0")
    assert _fast_aggregation(str(lines), None, columns, THRESHOLDS, ("model",), []) is not None
    quick, slow = _both_paths(bundled_cli, monkeypatch, str(lines), "--map", COMMAND_MAP, "--json")
    assert quick.exit_code == slow.exit_code == 0
    assert quick.json() == slow.json()


@pytest.mark.parametrize(
    ("cell", "column"),
    [("12k", "prompt_tokens"), ("12.5", "prompt_tokens"), ("-3", "completion_tokens"),
     ("maybe", "is_batch"), ("yesterday", "ts"), ("-0.5", "spend")],
)  # fmt: skip
def test_a_malformed_row_is_the_same_error_on_both_paths(
    bundled_cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cell: str, column: str
) -> None:
    """DuckDB would round 12.5 to 13 and take -3: the fast path never reads a value the reader
    would refuse; it hands the file to the reader, whose error names the line."""
    header = "ts,llm_model,provider,prompt_tokens,cache_hits,completion_tokens,team,spend,is_batch"
    values = dict.fromkeys(header.split(","), "")
    values.update(ts="2026-10-14T10:00:00Z", llm_model="gpt-4o-mini", prompt_tokens="10")
    values.update(cache_hits="0", completion_tokens="5")
    values[column] = cell
    path = tmp_path / "bad.csv"
    path.write_text(
        f"{header}\n{FIXTURE.read_text().splitlines()[1]}\n" + ",".join(values.values()) + "\n"
    )
    from aicompare.usage import fast as module

    with pytest.raises(module.NotFast):
        module.aggregate_into(
            path,
            "csv",
            __import__("aicompare.usage.readers", fromlist=["x"]).parse_column_map(COMMAND_MAP),
            THRESHOLDS,
        )
    quick, slow = _both_paths(bundled_cli, monkeypatch, str(path), "--map", COMMAND_MAP, "--json")
    assert quick.exit_code == slow.exit_code == 1
    assert quick.stdout == slow.stdout == ""
    assert quick.stderr == slow.stderr
    assert quick.stderr.startswith(f"error: {path}:3: ")


def test_what_only_the_reader_reads_is_read_by_it(
    bundled_cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A count written 12.0, a blank line, a row without a model: the same as the reader."""
    text = FIXTURE.read_text()
    path = tmp_path / "usage.csv"
    path.write_text(text.replace(",1000,0,500,", ",1000.0,0,500,") + "\n")
    quick, slow = _both_paths(bundled_cli, monkeypatch, str(path), "--map", COMMAND_MAP, "--json")
    assert quick.exit_code == slow.exit_code == 0
    assert quick.json() == slow.json()
    nameless = tmp_path / "nameless.csv"
    nameless.write_text(text + "2026-10-14T10:00:00Z,,,5,0,5,,,\n")
    quick, slow = _both_paths(
        bundled_cli, monkeypatch, str(nameless), "--map", COMMAND_MAP, "--json"
    )
    assert quick.exit_code == slow.exit_code == 1
    assert quick.stderr == slow.stderr
    assert "has no model" in quick.stderr
    # a file in another dialect is not sniffed into one the reader would refuse
    semicolons = tmp_path / "semicolons.csv"
    semicolons.write_text(text.replace(",", ";"))
    quick, slow = _both_paths(
        bundled_cli, monkeypatch, str(semicolons), "--map", COMMAND_MAP, "--format", "csv"
    )
    assert quick.exit_code == slow.exit_code == 1
    assert quick.stderr == slow.stderr
    assert "no column 'llm_model' in the header" in quick.stderr


def test_a_large_file_without_duckdb_says_how_to_get_the_fast_path(
    bundled_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fast, "available", lambda: False)
    monkeypatch.setattr(fast, "LARGE_FILE", 100)  # the fixture is over 100 bytes
    quick, slow = _both_paths(
        bundled_cli, monkeypatch, str(FIXTURE), "--map", COMMAND_MAP, "--json"
    )
    assert quick.exit_code == 0 and quick.stderr == ""  # one document, nothing on stderr
    assert quick.json() == slow.json()  # without DuckDB both are the Python reader
    assert quick.json()["notes"][0] == (
        f"{FIXTURE}: a large file read without DuckDB: pip install 'aicompare[fast]' (DuckDB) "
        "to read large files faster"
    )
    monkeypatch.setattr(fast, "LARGE_FILE", 10**12)
    plain = bundled_cli(
        "reprice", str(FIXTURE), "--map", COMMAND_MAP, "--catalog", str(LAYER), "--json"
    )
    assert not any("DuckDB" in note for note in plain.json()["notes"])
