"""The usage readers: each fixture (written from the provider's public documentation) to exact
records, gzip, stdin, format detection, and the files they must refuse."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from aicompare.usage.readers import (
    FORMATS,
    detect_format,
    open_usage,
    parse_column_map,
    read_usage,
)
from aicompare.usage.readers.table import ColumnMapError
from aicompare.usage.rows import RecordedCost, UsageFormatError, UsageRow

FIXTURES = Path(__file__).parent / "fixtures" / "usage"
UTC = dt.UTC
CSV_MAP = (
    "model=llm_model,input=prompt_tokens,cached=cache_hits,output=completion_tokens,"
    "time=ts,project=team,cost=cost_usd,input_includes_cached=yes"
)


def rows(path: Path | str, **kwargs: object) -> list[UsageRow | RecordedCost]:
    with read_usage(str(path), **kwargs) as records:  # type: ignore[arg-type]
        return list(records)


def strip_source(records: list[UsageRow | RecordedCost]) -> list[UsageRow | RecordedCost]:
    return [r._replace(source="") for r in records]


@pytest.fixture
def llm_db(tmp_path: Path) -> Path:
    path = tmp_path / "logs.db"
    connection = sqlite3.connect(path)
    connection.executescript((FIXTURES / "llm_logs.sql").read_text("utf-8"))
    connection.commit()
    connection.close()
    return path


def test_openai_completions_page() -> None:
    got = rows(FIXTURES / "openai_completions.json")
    nov1 = dt.datetime(2024, 11, 1, tzinfo=UTC)
    assert strip_source(got) == [
        UsageRow(
            model="gpt-4o-2024-08-06",
            time=nov1,
            requests=50,
            input_tokens=800_000,
            cached_input_tokens=200_000,
            output_tokens=300_000,
            project="proj_abc",
            key="key_abc",
        ),
        UsageRow(
            model="gpt-4o-mini",
            time=nov1,
            requests=20,
            input_tokens=500_000,
            output_tokens=100_000,
            batch=True,
            project="proj_abc",
        ),
        UsageRow(
            model="gpt-4o-audio-preview",
            time=nov1 + dt.timedelta(days=1),
            requests=3,
            input_tokens=10_000,
            cached_input_tokens=10_000,
            audio_input_tokens=40_000,
            output_tokens=5_000,
            audio_output_tokens=20_000,
            tier="flex",
        ),
        # o3 on the last day of its first prices and the first of the 2025-06-10 cut, the same
        # usage each day
        *[
            UsageRow(
                model="o3-2025-04-16",
                time=dt.datetime(2025, 6, day, tzinfo=UTC),
                requests=40,
                input_tokens=800_000,
                cached_input_tokens=200_000,
                output_tokens=100_000,
                project="proj_abc",
                key="key_abc",
            )
            for day in (9, 10)
        ],
        # 2026-11-02: input_tokens include the cached ones
        UsageRow(
            model="gpt-5-mini-2025-08-07",
            time=dt.datetime(2026, 11, 2, tzinfo=UTC),
            requests=120,
            input_tokens=1_500_000,
            cached_input_tokens=500_000,
            output_tokens=400_000,
            project="proj_abc",
            key="key_abc",
        ),
        UsageRow(
            model="gpt-5-mini-2025-08-07",
            time=dt.datetime(2026, 11, 2, tzinfo=UTC),
            requests=40,
            input_tokens=1_000_000,
            output_tokens=200_000,
            tier="flex",
            project="proj_abc",
            key="key_abc",
        ),
    ]
    assert got[0].source.endswith("openai_completions.json bucket 1 result 1")


def test_openai_images_and_costs() -> None:
    (image,) = rows(FIXTURES / "openai_images.json")
    assert isinstance(image, UsageRow)
    assert (image.model, image.images, image.image_size, image.image_quality, image.requests) == (
        "gpt-image-1",
        12,
        "1024x1024",
        "high",
        12,
    )
    costs = rows(FIXTURES / "openai_costs.json")
    assert strip_source(costs) == [
        RecordedCost(
            amount=Decimal("0.06"),
            time=dt.datetime(2024, 11, 1, tzinfo=UTC),
            project="proj_abc",
            line_item="gpt-4o-2024-08-06, input",
        ),
        RecordedCost(
            amount=Decimal("12.345678901234567"),
            time=dt.datetime(2024, 11, 1, tzinfo=UTC),
            line_item="Image models",
        ),
    ]


def test_openai_other_usage_results_are_skipped_and_counted(tmp_path: Path) -> None:
    page = {
        "object": "page",
        "data": [
            {
                "start_time": 0,
                "results": [
                    {"object": "organization.usage.moderations.result", "input_tokens": 5},
                    {"object": "organization.usage.moderations.result", "input_tokens": 6},
                ],
            }
        ],
    }
    path = tmp_path / "mod.json"
    path.write_text(json.dumps(page))
    with read_usage(str(path)) as records:
        assert list(records) == []
        assert records.skipped == {
            "OpenAI organization.usage.moderations.result results (not priced by aicompare)": 2
        }


def test_anthropic_usage_report() -> None:
    aug1 = dt.datetime(2025, 8, 1, tzinfo=UTC)
    assert strip_source(rows(FIXTURES / "anthropic_usage.json")) == [
        UsageRow(
            model="claude-sonnet-4-20250514",
            time=aug1,
            requests=0,
            input_tokens=1500,
            cached_input_tokens=200,
            cache_write_tokens=500,
            cache_write_1h_tokens=1000,
            output_tokens=500,
            web_searches=10,
            project="wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ",
            key="apikey_01Rj2N8SVvo6BePZj99NhmiT",
            long_context=False,
        ),
        UsageRow(
            model="claude-sonnet-4-20250514",
            time=aug1,
            requests=0,
            input_tokens=250_000,
            output_tokens=2000,
            batch=True,
            long_context=True,
            prompt_tokens=200_001,
        ),
    ]


def test_anthropic_cost_report_amount_is_cents() -> None:
    costs = rows(FIXTURES / "anthropic_cost.json")
    assert [(c.amount, c.model, c.line_item) for c in costs if isinstance(c, RecordedCost)] == [
        (Decimal("1.2378912"), "claude-sonnet-4-20250514", "Claude Sonnet 4 Usage - Input Tokens"),
        (Decimal("0.10"), None, "web_search"),
    ]


def test_litellm_spend_logs_json() -> None:
    with read_usage(str(FIXTURES / "litellm_spend_logs.json")) as records:
        got = list(records)
        assert records.skipped == {"LiteLLM rows served from its own cache (no provider charge)": 1}
    assert strip_source(got) == [
        UsageRow(
            model="gpt-4o-mini",
            seller="openai",
            time=dt.datetime(2025, 3, 4, 10, 15, 0, 123000, tzinfo=UTC),
            input_tokens=464,
            cached_input_tokens=1536,
            output_tokens=300,
            prompt_tokens=2000,
            project="team-research",
            key="88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
            recorded_cost=Decimal("0.00042"),
        ),
        UsageRow(
            model="bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
            seller="bedrock",
            time=dt.datetime(2025, 3, 4, 11, tzinfo=UTC),
            input_tokens=1000,
            cached_input_tokens=3000,
            cache_write_tokens=1200,
            output_tokens=500,
            prompt_tokens=5200,
            key="1f0e3dad99908345f7439f8ffabdffc4",
            recorded_cost=Decimal("0.0215"),
        ),
        UsageRow(
            model="azure/gpt-4o",
            seller="azure",
            time=dt.datetime(2025, 3, 5, 8, 30, tzinfo=UTC),
            input_tokens=1000,
            output_tokens=500,
            prompt_tokens=1000,
            project="team-ops",
            key="c4ca4238a0b923820dcc509a6f75849b",
            recorded_cost=Decimal("0.0125"),
        ),
        UsageRow(
            model="bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            seller="bedrock",
            time=dt.datetime(2026, 11, 3, 9, tzinfo=UTC),
            input_tokens=20000,
            cached_input_tokens=4000,
            output_tokens=1000,
            prompt_tokens=24000,
            project="team-research",
            key="1f0e3dad99908345f7439f8ffabdffc4",
            recorded_cost=Decimal("0.08382"),
        ),
        # mistral-large-4 the day before its 2026-10-20 rise, that day and the day of the
        # 2026-10-29 cut: the same request each day, LiteLLM's spend at each day's list price
        *[
            UsageRow(
                model="mistral-large-4",
                seller="mistral",
                time=dt.datetime(2026, 10, day, 16, 20, tzinfo=UTC),
                input_tokens=100_000,
                output_tokens=10_000,
                prompt_tokens=100_000,
                project="team-docs",
                key="45c48cce2e2d7fbdea1afc51c7c6ad26",
                recorded_cost=Decimal(spend),
            )
            for day, spend in ((19, "0.0889"), (20, "0.1778"), (29, "0.091"))
        ],
    ]


def test_litellm_spend_logs_csv() -> None:
    got = rows(FIXTURES / "litellm_spend_logs.csv")
    assert [
        (r.model, r.seller, r.input_tokens, r.cached_input_tokens, r.recorded_cost, r.source[-6:])
        for r in got
        if isinstance(r, UsageRow)
    ] == [
        ("gpt-4o-mini", "openai", 464, 1536, Decimal("0.00042"), ".csv:2"),
        ("azure/gpt-4o", "azure", 1000, 0, Decimal("0.0125"), ".csv:3"),
        (
            "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
            "bedrock",
            1000,
            3000,
            Decimal("0.0215"),
            ".csv:4",
        ),
        (
            "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "bedrock",
            20000,
            4000,
            Decimal("0.08382"),
            ".csv:5",
        ),
        ("mistral-large-4", "mistral", 100000, 0, Decimal("0.0889"), ".csv:6"),
        ("mistral-large-4", "mistral", 100000, 0, Decimal("0.1778"), ".csv:7"),
        ("mistral-large-4", "mistral", 100000, 0, Decimal("0.091"), ".csv:8"),
    ]


def test_otel_document_and_json_lines_agree() -> None:
    for name in ("otel_spans.json", "otel_spans.jsonl"):
        with read_usage(str(FIXTURES / name)) as records:
            got = strip_source(list(records))
            assert records.skipped == {"spans without gen_ai usage attributes": 1}
        assert got == [
            UsageRow(
                model="gpt-4o-mini-2024-07-18",
                seller="openai",
                time=dt.datetime(2025, 3, 4, 9, 55, tzinfo=UTC),
                input_tokens=176,
                cached_input_tokens=1024,
                output_tokens=80,
                prompt_tokens=1200,
            ),
            # input (150) < cache reads (2000): the span cannot include them, so it is uncached
            UsageRow(
                model="claude-3-5-haiku-20241022",
                seller="anthropic",
                time=dt.datetime(2025, 3, 5, 10, 0, 0, 500000, tzinfo=UTC),
                input_tokens=150,
                cached_input_tokens=2000,
                output_tokens=40,
                prompt_tokens=2150,
            ),
            # gcp.gemini is the Gemini API; 40,000 input of which 30,000 cache reads
            UsageRow(
                model="gemini-2.5-flash",
                seller="gcp.gemini",
                time=dt.datetime(2026, 11, 2, 10, tzinfo=UTC),
                input_tokens=10000,
                cached_input_tokens=30000,
                output_tokens=2000,
                prompt_tokens=40000,
            ),
        ], name


def test_llm_logs_db(llm_db: Path) -> None:
    with read_usage(str(llm_db)) as records:
        got = strip_source(list(records))
        assert records.skipped == {"llm responses without token counts": 1}
    assert got == [
        UsageRow(
            model="gpt-4o-mini",
            time=dt.datetime(2025, 2, 1, 9, 0, 0, 123456, tzinfo=UTC),
            input_tokens=952,
            cached_input_tokens=2048,
            output_tokens=400,
            prompt_tokens=3000,
            project="01jcv0",
        ),
        UsageRow(
            model="claude-3-5-sonnet-latest",
            time=dt.datetime(2025, 2, 1, 9, 5, tzinfo=UTC),
            input_tokens=120,
            cached_input_tokens=2500,
            cache_write_tokens=500,
            output_tokens=300,
            prompt_tokens=3120,
            project="01jcv0",
        ),
        UsageRow(
            model="gpt-5-mini-2025-08-07",
            time=dt.datetime(2026, 3, 1, 12, tzinfo=UTC),
            input_tokens=1000,
            cached_input_tokens=4000,
            output_tokens=1000,
            prompt_tokens=5000,
            project="thr_1",
        ),
        # the Anthropic plugin: cache counts beside the input
        UsageRow(
            model="claude-sonnet-4-5-20250929",
            time=dt.datetime(2026, 11, 2, 15, 30, tzinfo=UTC),
            input_tokens=2000,
            cached_input_tokens=10000,
            cache_write_tokens=1000,
            output_tokens=500,
            prompt_tokens=13000,
            project="thr_2",
        ),
    ]
    assert llm_db.read_bytes()[:16] == b"SQLite format 3\x00"  # opened read-only, untouched


def test_mapped_csv_and_jsonl() -> None:
    csv_rows = rows(FIXTURES / "usage_map.csv", column_map=parse_column_map(CSV_MAP))
    assert [
        (
            r.model,
            r.time,
            r.input_tokens,
            r.cached_input_tokens,
            r.output_tokens,
            r.project,
            r.recorded_cost,
        )
        for r in csv_rows
        if isinstance(r, UsageRow)
    ] == [
        (
            "gpt-4o",
            dt.datetime(2025, 4, 1, 10, tzinfo=UTC),
            10000,
            2000,
            800,
            "search",
            Decimal("0.031"),
        ),
        ("gpt-4o", dt.datetime(2025, 4, 1, 10, 30, tzinfo=UTC), 8000, 0, 500, "search", None),
        # epoch seconds, then epoch milliseconds
        (
            "claude-sonnet-4",
            dt.datetime(2025, 4, 2, 12, tzinfo=UTC),
            2000,
            1000,
            200,
            "billing",
            Decimal("0.0105"),
        ),
        ("claude-sonnet-4", dt.datetime(2025, 4, 3, 12, tzinfo=UTC), 1000, 0, 100, "billing", None),
        (
            "gemini-2.5-flash",
            dt.datetime(2026, 11, 2, 8, tzinfo=UTC),
            40000,
            60000,
            5000,
            "search",
            Decimal("0.0245"),
        ),
        # gemini-4-argon the day before its announced 2026-12-01 prices and the day after
        (
            "gemini-4-argon",
            dt.datetime(2026, 11, 30, 15, tzinfo=UTC),
            80000,
            20000,
            10000,
            "support",
            None,
        ),
        (
            "gemini-4-argon",
            dt.datetime(2026, 12, 2, 15, tzinfo=UTC),
            80000,
            20000,
            10000,
            "support",
            None,
        ),
    ]
    jsonl_map = (
        "model=llm.model,seller=llm.provider,input=usage.prompt_tokens,cached=usage.cached,"
        "output=usage.completion_tokens,time=ts,project=team,input_includes_cached=yes"
    )
    got = rows(FIXTURES / "usage_map.jsonl", column_map=parse_column_map(jsonl_map))
    assert [
        (r.model, r.seller, r.input_tokens, r.source[-8:]) for r in got if isinstance(r, UsageRow)
    ] == [
        ("gpt-4o", "openai", 10000, ".jsonl:1"),
        ("claude-sonnet-4", "anthropic", 2000, ".jsonl:3"),
        ("gemini-2.5-flash", "google", 40000, ".jsonl:4"),
    ]


def test_parse_column_map() -> None:
    assert parse_column_map(" model = m , input=p,cost=c, input_includes_cached=No") == {
        "model": "m",
        "input_tokens": "p",
        "recorded_cost": "c",
        "input_includes_cached": "no",
    }
    for bad, message in [
        ("model=a,,input=b", "has an empty entry"),
        ("model", "is not FIELD=COLUMN"),
        ("modle=a", "unknown field 'modle'"),
        ("model=a,model=b", "model is mapped twice"),
        ("model=a,input_includes_cached=maybe", "must be yes or no"),
    ]:
        with pytest.raises(ColumnMapError, match=message):
            parse_column_map(bad)


def test_map_with_cached_must_say_whether_input_includes_it() -> None:
    with pytest.raises(
        ColumnMapError, match="input_includes_cached=yes or input_includes_cached=no"
    ):
        rows(
            FIXTURES / "usage_map.csv",
            column_map=parse_column_map("model=llm_model,input=prompt_tokens,cached=cache_hits"),
        )
    with pytest.raises(ColumnMapError, match="no column 'nope' in the header"):
        rows(FIXTURES / "usage_map.csv", column_map=parse_column_map("model=nope"))


def test_gzip_and_stdin_read_the_same(tmp_path: Path) -> None:
    plain = FIXTURES / "litellm_spend_logs.json"
    packed = tmp_path / "spend.json.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert strip_source(rows(packed)) == strip_source(rows(plain))
    assert open_usage(str(packed)).read() == plain.read_bytes()
    script = (
        "import sys; from aicompare.usage.readers import read_usage\n"
        "r = read_usage('-'); rows = list(r); print(r.format, len(rows), rows[0].source)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input=packed.read_bytes(), capture_output=True, check=False
    )
    assert done.stderr == b""
    assert done.stdout.decode() == "litellm 7 <stdin> record 1\n"  # 8 records, 1 cache hit


def test_detect_format_of_each_fixture(llm_db: Path) -> None:
    expected = {
        "openai_completions.json": "openai",
        "openai_images.json": "openai",
        "openai_costs.json": "openai",
        "anthropic_usage.json": "anthropic",
        "anthropic_cost.json": "anthropic",
        "litellm_spend_logs.json": "litellm",
        "litellm_spend_logs.csv": "litellm",
        "otel_spans.json": "otel",
        "otel_spans.jsonl": "otel",
        "usage_map.csv": "csv",
        "usage_map.jsonl": "jsonl",
    }
    for name, fmt in expected.items():
        assert detect_format((FIXTURES / name).read_bytes()[:65536]) == fmt, name
    assert detect_format(llm_db.read_bytes()[:100]) == "llm"
    assert detect_format(b"\x00\x01binary") is None
    assert detect_format(b"") is None
    assert set(expected.values()) | {"llm"} == set(FORMATS)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"object": "page", "data": [', "is not valid JSON"),
        (
            b'[{"model": "a", "startTime": "2025-01-01", "spend": 1}, ',
            "the JSON array is cut short",
        ),
        (
            b'[{"model": "a", "startTime": "2025-01-01", "spend": 1, "prompt_tokens": -5}]',
            "prompt_tokens is -5: a count must not be negative",
        ),
        (
            b'[{"model": "a", "startTime": "2025-01-01", "spend": 1, "prompt_tokens": 1.5}]',
            "prompt_tokens is Decimal\\('1.5'\\), not a whole number",
        ),
        (
            b'[{"model": "a", "startTime": "2025-01-01", "spend": 1, "prompt_tokens": 10000000000000001}]',
            "is above 1000000000000000",
        ),
        (b'[{"model": "a", "startTime": "2025-01-01", "spend": NaN}]', "NaN is not a number"),
        (
            b'[{"model": "a", "startTime": "yesterday", "spend": 1}]',
            "startTime is 'yesterday', not an ISO 8601 time",
        ),
    ],
)
def test_malformed_records_name_the_file_and_record(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    fmt = "openai" if content.startswith(b"{") else "litellm"
    with pytest.raises(UsageFormatError, match=message) as caught:
        rows(path, format=fmt)
    assert str(caught.value).startswith(str(path))


def test_csv_rows_must_match_the_header(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text("model,input_tokens,output_tokens\ngpt-4o,10,2\n\ngpt-4o,10\n")
    with pytest.raises(
        UsageFormatError, match=r"cut\.csv:4: has fewer cells \(2\) than the header \(3\)"
    ):
        rows(path)
    spend = tmp_path / "spend.csv"
    spend.write_text("model,startTime,spend,prompt_tokens\ngpt-4o,2025-01-01,0.1\n")
    with pytest.raises(UsageFormatError, match=r"spend\.csv:2: has fewer cells than the header"):
        rows(spend)


def test_csv_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text("model,input_tokens\ngpt-4o,10\ngpt-4o,-3\n")
    with pytest.raises(
        UsageFormatError, match=r"u\.csv:3: input_tokens is '-3': a count must not be negative"
    ):
        rows(path)


def test_truncated_gzip_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.json.gz"
    path.write_bytes(gzip.compress((FIXTURES / "otel_spans.json").read_bytes())[:200])
    with pytest.raises(UsageFormatError, match="is not a complete gzip file"):
        rows(path)


def test_a_fifo_or_directory_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UsageFormatError, match=r"pipe: is a named pipe \(FIFO\), not a usage file"):
        open_usage(str(fifo))
    with pytest.raises(UsageFormatError, match="is a directory, not a usage file"):
        read_usage(str(tmp_path))
    with pytest.raises(UsageFormatError, match="no such file"):
        read_usage(str(tmp_path / "absent.csv"))


def test_a_sqlite_file_that_is_not_llms(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("create table responses (id text, model text)")
    connection.commit()
    connection.close()
    with pytest.raises(UsageFormatError, match=r"is a SQLite database but not an llm logs\.db"):
        rows(path)


def test_llm_db_on_stdin_is_refused(llm_db: Path) -> None:
    script = "from aicompare.usage.readers import read_usage\nread_usage('-')"
    done = subprocess.run(
        [sys.executable, "-c", script], input=llm_db.read_bytes(), capture_output=True, check=False
    )
    assert b"an llm logs.db is a SQLite database: give its path, not stdin" in done.stderr


def test_unknown_content_and_map_on_a_provider_format(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x00\x01\x02")
    with pytest.raises(UsageFormatError, match="is not a usage format aicompare recognises"):
        read_usage(str(path))
    with pytest.raises(
        UsageFormatError, match="--map applies to csv and jsonl files, and this is otel"
    ):
        read_usage(str(FIXTURES / "otel_spans.json"), column_map={"model": "m"})


def test_control_characters_are_kept_raw(tmp_path: Path) -> None:
    path = tmp_path / "evil.csv"
    path.write_text('model,input_tokens\n"\x1b[31mgpt\x07",5\n')
    (row,) = rows(path)
    assert isinstance(row, UsageRow)
    assert row.model == "\x1b[31mgpt\x07"  # escaping is the view layer's job


def test_large_json_array_streams(tmp_path: Path) -> None:
    element = {
        "model": "m",
        "startTime": "2025-01-01T00:00:00Z",
        "spend": 0.5,
        "prompt_tokens": 7,
        "completion_tokens": 1,
        "metadata": {"pad": "x" * 300},
    }
    path = tmp_path / "big.json"
    with path.open("w") as out:
        out.write("[\n")
        out.write(",\n".join(json.dumps(element) for _ in range(3000)))
        out.write("\n]\n")
    got = rows(path)
    assert len(got) == 3000
    assert sum(r.recorded_cost or 0 for r in got if isinstance(r, UsageRow)) == Decimal("1500.0")
    assert {r.source.rsplit(" ", 1)[1] for r in got[-1:]} == {"3000"}


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
def test_iter_array_matches_json_loads_at_any_chunk_size(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    from aicompare.usage.readers import _common

    monkeypatch.setattr(_common, "_CHUNK", chunk)
    text = ' [ {"a": [1, 2, {"b": "]},"}]}, 12345 ,\n"x\\"y", 1.25e3, true, null, {} , [] ]\n '
    got = [value for _, value in _common.iter_array(io.StringIO(text), "f")]
    assert got == json.loads(text, parse_float=Decimal)


def test_iter_array_yields_before_reading_the_whole_file() -> None:
    from aicompare.usage.readers import _common

    class Counting(io.StringIO):
        consumed = 0

        def read(self, size: int | None = -1, /) -> str:
            data: str = super().read(size)
            self.consumed += len(data)
            return data

    text = "[" + ",".join(json.dumps({"n": i, "pad": "x" * 100}) for i in range(20_000)) + "]"
    stream = Counting(text)
    elements = _common.iter_array(stream, "f")
    assert next(elements)[1]["n"] == 0
    assert stream.consumed <= 2 * _common._CHUNK < len(text)
    assert sum(1 for _ in elements) == 19_999


def test_iter_array_bounds_a_broken_element(monkeypatch: pytest.MonkeyPatch) -> None:
    from aicompare.usage.readers import _common

    monkeypatch.setattr(_common, "_CHUNK", 16)
    monkeypatch.setattr(_common, "MAX_ELEMENT", 64)
    text = '[{"a": 1}, {"a": "' + "x" * 10_000 + '"}]'
    with pytest.raises(UsageFormatError, match="f record 2: is not valid JSON, or is a record"):
        list(_common.iter_array(io.StringIO(text), "f"))


def test_a_page_of_empty_buckets_is_still_openai(tmp_path: Path) -> None:
    page = {"object": "page", "data": [{"object": "bucket", "start_time": 1, "results": []}]}
    path = tmp_path / "empty.json"
    path.write_text(json.dumps(page, indent=2))
    with read_usage(str(path)) as records:
        assert (records.format, list(records)) == ("openai", [])


def test_anthropic_cents_are_divided_exactly(tmp_path: Path) -> None:
    page = {
        "data": [
            {
                "starting_at": "2025-08-01T00:00:00Z",
                "results": [{"currency": "USD", "amount": "12345678901234.567890123456789"}],
            }
        ]
    }
    path = tmp_path / "cost.json"
    path.write_text(json.dumps(page))
    (cost,) = rows(path)
    assert isinstance(cost, RecordedCost)
    assert cost.amount == Decimal("123456789012.34567890123456789")


def test_json_lines_count_leading_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "u.jsonl"
    path.write_text('\n\n{"resourceSpans": []}\n\n{"resourceSpans": [}\n')
    with pytest.raises(UsageFormatError, match=r"u\.jsonl:5: is not valid JSON"):
        rows(path)


def test_llm_db_path_with_uri_characters(llm_db: Path, tmp_path: Path) -> None:
    odd = tmp_path / "my?logs#1 %20.db"
    odd.write_bytes(llm_db.read_bytes())
    assert len(rows(odd)) == 4


def test_text_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(b"model,input_tokens\ngpt-4o,1\n" + b"gpt-4o,2\n" * 20_000 + b"caf\xe9,3\n")
    with pytest.raises(
        UsageFormatError,
        match=r"latin\.csv: is not UTF-8 text \(after \S+latin\.csv:\d+\); save it as UTF-8",
    ):
        rows(path)


def test_empty_input_and_empty_array(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"  \n")
    with pytest.raises(UsageFormatError, match=r"empty\.json: is empty: there is no usage to read"):
        read_usage(str(empty))
    nothing = tmp_path / "spend.json"
    nothing.write_text("[ ]\n")
    with read_usage(str(nothing)) as records:
        assert (records.format, list(records)) == ("litellm", [])


def test_mapped_json_array_streams_with_record_numbers(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text('[{"m": "x", "i": 3}, {"m": "y", "i": "4"}]')
    got = rows(path, format="jsonl", column_map=parse_column_map("model=m,input=i"))
    assert [(r.model, r.input_tokens, r.source) for r in got if isinstance(r, UsageRow)] == [
        ("x", 3, f"{path} record 1"),
        ("y", 4, f"{path} record 2"),
    ]


def test_mangled_fixtures_fail_only_with_usage_format_errors(tmp_path: Path) -> None:
    """Fixed-seed mutations of every fixture: each is read fully or refused with a
    UsageFormatError; nothing else escapes (no traceback for a broken file)."""
    import random

    seeds = [
        p.read_bytes()
        for p in sorted(FIXTURES.iterdir())
        if p.suffix in (".json", ".jsonl", ".csv")
    ]
    pieces = [
        b"-",
        b"1e999",
        b"NaN",
        b'"',
        b"{",
        b"[",
        b"]",
        b"}",
        b",",
        b"\x00",
        b"\xff",
        b"null",
        b"9" * 30,
        b"\n",
        b"0.5",
    ]
    rnd = random.Random(19)
    path = tmp_path / "mangled"
    refused = 0
    for _ in range(400):
        data = bytearray(rnd.choice(seeds))
        for _ in range(rnd.randint(1, 4)):
            at = rnd.randrange(len(data))
            if rnd.random() < 0.5:
                del data[at : at + rnd.randint(1, 20)]
            else:
                data[at:at] = rnd.choice(pieces)
        path.write_bytes(gzip.compress(bytes(data)) if rnd.random() < 0.1 else bytes(data))
        try:
            rows(
                path,
                format=rnd.choice([None, None, "openai", "anthropic", "litellm", "otel", "csv"]),
            )
        except UsageFormatError:
            refused += 1
    assert 100 < refused < 400  # most mangled files are refused, some still read
