"""Every usage format repriced end to end on the bundled catalog, to totals worked by hand.

Prices are the bundled data/models.toml's standard (and batch) rates in USD per 1M tokens:
gpt-4o $2.50 in / $1.25 cached / $10 out (batch $1.25 / $5); gpt-4o-mini $0.15 / $0.075 / $0.60
(batch $0.075 / $0.30); gpt-5-mini $0.25 / $0.025 / $2 (batch $0.125 / $1); claude-sonnet-4-5
$3 / $0.30 cached / $3.75 5-minute write / $6 1-hour write / $15 out, web search $10 per 1,000
(batch $1.50 / $7.50); claude-sonnet-5-5 $2 / $0.10 / $2.50 / $4 / $10 (batch $1 / $5);
claude-haiku-5-5 $0.10 / $0.01 / $0.125 / $0.20 / $0.50 (batch $0.05 / $0.25); gemini-2.5-flash
$0.30 / $0.03 / $2.50 out; gpt-image-1
high 1024x1024 $0.167 an image. None of these models has dated prices in this catalog.
Three that have are in the fixtures on each side of their changes: o3 ($10 / $0.50 cached / $40
until 2025-06-09, $2 / $0.50 / $8 from 2025-06-10), mistral-large-4 ($0.68 / $2.09 until
2026-10-19, $1.36 / $4.18 from 2026-10-20, $0.70 / $2.10 from 2026-10-29) and gemini-4-argon
($2 / $0.10 / $10 until 2026-11-30, $4 / $0.20 / $20 announced from 2026-12-01).
The retired snapshots the older fixtures name (claude-sonnet-4-20250514, claude-3-5-haiku-20241022,
...) are not in the catalog: each format keeps one such row, listed as unpriced, never $0.
"""

import os
import sqlite3
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run
from tests.terminal import aicompare, base_env

FIXTURES = Path(__file__).parent / "fixtures" / "usage"
AS_OF = "2026-11-26"
CSV_MAP = (
    "model=llm_model,input=prompt_tokens,cached=cache_hits,output=completion_tokens,"
    "time=ts,project=team,cost=cost_usd,input_includes_cached=yes"
)
JSONL_MAP = (
    "model=llm.model,seller=llm.provider,input=usage.prompt_tokens,cached=usage.cached,"
    "output=usage.completion_tokens,time=ts,project=team,input_includes_cached=yes"
)


def reprice(cli: Callable[..., Run], *args: str) -> Any:
    run = cli("reprice", *args, "--json", "--as-of", AS_OF)
    assert (run.exit_code, run.stderr) == (0, "")
    return run.json()


def costs(document: Any) -> dict[str, Decimal | None]:
    return {
        g["model"]: None if g["cost"] is None else Decimal(g["cost"]) for g in document["groups"]
    }


def unpriced(document: Any) -> list[tuple[str, int, str]]:
    return [(u["model"], u["rows"], u["reason"]) for u in document["unpriced"]]


@pytest.fixture
def logs_db(tmp_path: Path) -> Path:
    path = tmp_path / "logs.db"
    connection = sqlite3.connect(path)
    connection.executescript((FIXTURES / "llm_logs.sql").read_text("utf-8"))
    connection.commit()
    connection.close()
    return path


def test_openai_completions(bundled_cli: Callable[..., Run]) -> None:
    doc = reprice(bundled_cli, str(FIXTURES / "openai_completions.json"))
    # gpt-4o: 800,000 x $2.50/1M + 200,000 cached x $1.25/1M + 300,000 x $10/1M
    #   = $2.00 + $0.25 + $3.00 = $5.25
    # gpt-4o-mini, batch: 500,000 x $0.075/1M + 100,000 x $0.30/1M = $0.0375 + $0.03 = $0.0675
    # gpt-5-mini-2025-08-07 (a snapshot of gpt-5-mini), 2026-11-02:
    #   default tier: 1,500,000 x $0.25/1M + 500,000 cached x $0.025/1M + 400,000 x $2/1M
    #     = $0.375 + $0.0125 + $0.80 = $1.1875
    #   flex tier ($0.125 / $1): 1,000,000 x $0.125/1M + 200,000 x $1/1M = $0.125 + $0.20 = $0.325
    # o3-2025-04-16 (a snapshot of o3), 1,000,000 input of which 200,000 cached, 100,000 out:
    #   2025-06-09: 800,000 x $10/1M + 200,000 x $0.50/1M + 100,000 x $40/1M
    #     = $8.00 + $0.10 + $4.00 = $12.10
    #   2025-06-10: 800,000 x $2/1M + 200,000 x $0.50/1M + 100,000 x $8/1M
    #     = $1.60 + $0.10 + $0.80 = $2.50; o3 in all $14.60
    assert costs(doc) == {
        "gpt-4o": Decimal("5.25"),
        "gpt-4o-audio-preview": None,
        "gpt-4o-mini": Decimal("0.0675"),
        "gpt-5-mini": Decimal("1.5125"),
        "o3": Decimal("14.6"),
    }
    assert Decimal(doc["total"]) == Decimal("21.43")  # $5.25 + $0.0675 + $1.5125 + $14.60
    assert doc["period"] == {"from": "2024-11-01", "to": "2026-11-02"}
    assert doc["total_excludes_rows"] == 1
    assert unpriced(doc) == [
        (
            "gpt-4o-audio-preview",
            1,
            "cannot be priced: the flex tier (no flex prices for gpt-4o-audio-preview in the catalog)",
        )
    ]


def test_openai_images(bundled_cli: Callable[..., Run]) -> None:
    doc = reprice(bundled_cli, str(FIXTURES / "openai_images.json"))
    # 12 images, high quality 1024x1024: 12 x $0.167 = $2.004
    assert costs(doc) == {"gpt-image-1": Decimal("2.004")}
    assert Decimal(doc["total"]) == Decimal("2.004")


def test_openai_costs_with_the_usage_of_their_day(bundled_cli: Callable[..., Run]) -> None:
    doc = reprice(
        bundled_cli,
        str(FIXTURES / "openai_completions.json"),
        str(FIXTURES / "openai_costs.json"),
    )
    (line,) = doc["reconciliation"]
    # the cost lines name no model: $12.41 against all usage of 2024-11-01 ($5.3175)
    # the cost lines name no model: their $12.405678901234567 (the API's amounts as written)
    # against all usage of 2024-11-01, $5.3175: $7.088178901234567 above
    assert (line["model"], line["recorded"], line["list_price"], line["difference"]) == (
        None,
        "12.405678901234567",
        "5.3175",
        "7.088178901234567",
    )


def test_a_cost_report_without_usage_has_no_list_price(bundled_cli: Callable[..., Run]) -> None:
    doc = reprice(bundled_cli, str(FIXTURES / "openai_costs.json"))
    (line,) = doc["reconciliation"]
    recorded = (line["recorded"], line["list_price"], line["difference"])
    assert recorded == ("12.405678901234567", None, None)
    assert line["cannot_explain"] == [
        "no usage in the files given covers the cost report on 2024-11-01: give the usage "
        "export of the same days with the cost report to compare them"
    ]
    text = bundled_cli("reprice", str(FIXTURES / "openai_costs.json"), "--as-of", AS_OF).stdout
    assert "$0.00" not in text
    assert text.startswith("0 rows: no usage in the files given, nothing to price\n")
    assert "all models (the cost report): recorded $12.41, no list price\n" in text


def test_a_cost_report_whose_usage_is_unpriced(bundled_cli: Callable[..., Run]) -> None:
    doc = reprice(
        bundled_cli, str(FIXTURES / "anthropic_usage.json"), str(FIXTURES / "anthropic_cost.json")
    )
    assert doc["total"] == "0"
    assert unpriced(doc) == [("claude-sonnet-4-20250514", 2, "not in the catalog")]
    assert [(r["model"], r["list_price"], r["cannot_explain"]) for r in doc["reconciliation"]] == [
        (
            None,
            None,
            [
                "the usage on 2025-08-01 in the files given could not be priced (see the unpriced rows)"
            ],
        ),
        (
            "claude-sonnet-4-20250514",
            None,
            [
                "the usage of claude-sonnet-4-20250514 on 2025-08-01 in the files given could not "
                "be priced (see the unpriced rows)"
            ],
        ),
    ]


def test_anthropic_usage_and_cost_report(bundled_cli: Callable[..., Run]) -> None:
    doc = reprice(
        bundled_cli,
        str(FIXTURES / "anthropic_usage_2026.json"),
        str(FIXTURES / "anthropic_cost_2026.json"),
    )
    # claude-sonnet-4-5-20250929 (the snapshot of claude-sonnet-4-5), standard:
    #   1,000,000 x $3/1M + 2,000,000 cached x $0.30/1M + 100,000 5-minute writes x $3.75/1M
    #   + 50,000 1-hour writes x $6/1M + 200,000 x $15/1M + 10 searches x $10/1,000
    #   = $3.00 + $0.60 + $0.375 + $0.30 + $3.00 + $0.10 = $7.375
    # batch: 400,000 x $1.50/1M + 100,000 x $7.50/1M = $0.60 + $0.75 = $1.35
    assert costs(doc) == {"claude-sonnet-4-20250514": None, "claude-sonnet-4-5": Decimal("8.725")}
    assert Decimal(doc["total"]) == Decimal("8.725")  # $7.375 + $1.35
    assert unpriced(doc) == [("claude-sonnet-4-20250514", 1, "not in the catalog")]
    # the report: 745 + 135 cents = $8.80, $0.075 above the list price
    (line,) = doc["reconciliation"]
    assert (line["model"], line["recorded"], line["list_price"], line["difference"]) == (
        "claude-sonnet-4-5",
        "8.8",
        "8.725",
        "0.075",
    )
    assert line["can_explain"] == [
        "1 row is a batch request, priced here at batch rates (a cost recorded at standard rates "
        "would be higher)",
        "150,000 cache-write tokens: priced at the write rate of the lifetime the log reports "
        "(5-minute unless it says 1-hour)",
    ]
    assert line["cannot_explain"] == []


def test_what_if_cheapest_and_migration(bundled_cli: Callable[..., Run]) -> None:
    doc = reprice(
        bundled_cli,
        str(FIXTURES / "anthropic_usage_2026.json"),
        "--on",
        "gpt-5-mini",
        "--on",
        "cheapest:3",
        "--migrate",
    )
    # gpt-5-mini has no cache-write price: the 150,000 written tokens are billed as input
    #   standard: 1,000,000 x $0.25/1M + 2,000,000 x $0.025/1M + 150,000 x $0.25/1M
    #   + 200,000 x $2/1M + 10 x $10/1,000 = $0.25 + $0.05 + $0.0375 + $0.40 + $0.10 = $0.8375
    #   batch: 400,000 x $0.125/1M + 100,000 x $1/1M = $0.05 + $0.10 = $0.15; total $0.9875
    # claude-haiku-5-5 (rows without a prompt size are priced below its tier):
    #   $0.10 + $0.02 + $0.0125 + $0.01 + $0.10 + $0.10 = $0.3425; batch $0.02 + $0.025 = $0.045
    # claude-sonnet-5-5: $2.00 + $0.20 + $0.25 + $0.20 + $2.00 + $0.10 = $4.75; batch
    #   $0.40 + $0.50 = $0.90; total $5.65
    assert [
        (w["model"], w["rank"], w["total"], w["baseline"], w["difference"]) for w in doc["what_if"]
    ] == [
        ("gpt-5-mini", None, "0.9875", "8.725", "-7.7375"),
        ("claude-haiku-5-5", 1, "0.3875", "8.725", "-8.3375"),
        ("claude-haiku-4-5", 2, "2.975", "8.725", "-5.75"),
        ("claude-sonnet-5-5", 3, "5.65", "8.725", "-3.075"),
    ]
    assert doc["what_if"][0]["notes"] == [
        "gpt-5-mini: no 1-hour cache write price; 1-hour writes billed as 5-minute writes (1 row)",
        "gpt-5-mini: no cache write price in the catalog; billed at the input rate (1 row)",
    ]
    (migration,) = doc["migration"]
    assert (
        migration["model"],
        migration["status"],
        migration["shutdown_date"],
        migration["successor"],
    ) == ("claude-sonnet-4-5", "deprecated", "2026-11-30", "claude-sonnet-5-5")
    assert migration["months"] == [
        {"month": "2026-11", "current": "8.725", "successor": "5.65", "difference": "-3.075"}
    ]


@pytest.mark.parametrize("name", ["litellm_spend_logs.json", "litellm_spend_logs.csv"])
def test_litellm(bundled_cli: Callable[..., Run], name: str) -> None:
    doc = reprice(bundled_cli, str(FIXTURES / name))
    # gpt-4o (azure/gpt-4o via azure, priced at gpt-4o's prices):
    #   1,000 x $2.50/1M + 500 x $10/1M = $0.0025 + $0.005 = $0.0075
    # gpt-4o-mini: 2,000 prompt tokens of which 1,536 cached:
    #   464 x $0.15/1M + 1,536 x $0.075/1M + 300 x $0.60/1M
    #   = $0.0000696 + $0.0001152 + $0.00018 = $0.0003648
    # claude-sonnet-4-5 as Bedrock's US cross-region profile sells it ($3.30 / $0.33 cached /
    #   $16.50 out): 24,000 prompt tokens of which 4,000 cache reads:
    #   20,000 x $3.30/1M + 4,000 x $0.33/1M + 1,000 x $16.50/1M = $0.066 + $0.00132 + $0.0165
    #   = $0.08382
    # mistral-large-4, 100,000 in / 10,000 out on each of three days:
    #   2026-10-19: 100,000 x $0.68/1M + 10,000 x $2.09/1M = $0.068 + $0.0209 = $0.0889
    #   2026-10-20: 100,000 x $1.36/1M + 10,000 x $4.18/1M = $0.136 + $0.0418 = $0.1778
    #   2026-10-29: 100,000 x $0.70/1M + 10,000 x $2.10/1M = $0.07 + $0.021 = $0.091
    #   in all $0.3577
    retired = "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"
    assert costs(doc) == {
        retired: None,
        "claude-sonnet-4-5": Decimal("0.08382"),
        "gpt-4o": Decimal("0.0075"),
        "gpt-4o-mini": Decimal("0.0003648"),
        "mistral-large-4": Decimal("0.3577"),
    }
    # $0.08382 + $0.0075 + $0.0003648 + $0.3577
    assert Decimal(doc["total"]) == Decimal("0.4493848")
    assert unpriced(doc) == [(retired, 1, "not in the catalog")]
    # every spend, the unpriced row's too: $0.00042 + $0.0215 + $0.0125 + $0.08382
    #   + $0.0889 + $0.1778 + $0.091
    assert doc["recorded_total"] == "0.47594"
    log = {r["model"]: r for r in doc["reconciliation"]}
    assert (log["claude-sonnet-4-5"]["difference"], log["claude-sonnet-4-5"]["can_explain"]) == (
        "0",
        [],
    )
    # each day's spend at that day's list price: they agree across both changes
    mistral = log["mistral-large-4"]
    assert (mistral["recorded"], mistral["list_price"], mistral["difference"]) == (
        "0.3577",
        "0.3577",
        "0",
    )
    # LiteLLM's spend is not rounded: a fraction of a cent is not rounding. $0.0125 is what
    # gpt-4o's older $5/$15 prices give; the log cannot say so, and the sentence does not.
    assert (log["gpt-4o"]["recorded"], log["gpt-4o"]["difference"]) == ("0.0125", "0.005")
    assert log["gpt-4o"]["can_explain"] == []
    assert log["gpt-4o"]["cannot_explain"] == [
        "the recorded cost is $0.005 (67%) above the list price of standard, unbatched usage "
        "without cache writes; the log does not show why (the recorded cost may come from other "
        "or older prices)"
    ]
    assert not any("rounding" in t for r in doc["reconciliation"] for t in r["can_explain"])


@pytest.mark.parametrize("name", ["otel_spans.json", "otel_spans.jsonl"])
def test_otel(bundled_cli: Callable[..., Run], name: str) -> None:
    doc = reprice(bundled_cli, str(FIXTURES / name))
    # gpt-4o-mini: 1,200 input of which 1,024 cached: 176 x $0.15/1M + 1,024 x $0.075/1M
    #   + 80 x $0.60/1M = $0.0000264 + $0.0000768 + $0.000048 = $0.0001512
    # gemini-2.5-flash ($0.30 / $0.03 cached / $2.50 out), 40,000 input of which 30,000 cached:
    #   10,000 x $0.30/1M + 30,000 x $0.03/1M + 2,000 x $2.50/1M = $0.003 + $0.0009 + $0.005
    #   = $0.0089
    assert costs(doc) == {
        "claude-3-5-haiku-20241022": None,
        "gemini-2.5-flash": Decimal("0.0089"),
        "gpt-4o-mini": Decimal("0.0001512"),
    }
    assert Decimal(doc["total"]) == Decimal("0.0090512")
    assert unpriced(doc) == [("claude-3-5-haiku-20241022", 1, "not in the catalog")]


def test_llm_logs_db(bundled_cli: Callable[..., Run], logs_db: Path) -> None:
    doc = reprice(bundled_cli, str(logs_db))
    # gpt-4o-mini: 952 x $0.15/1M + 2,048 cached x $0.075/1M + 400 x $0.60/1M
    #   = $0.0001428 + $0.0001536 + $0.00024 = $0.0005364
    # gpt-5-mini: 1,000 x $0.25/1M + 4,000 cached x $0.025/1M + 1,000 x $2/1M
    #   = $0.00025 + $0.0001 + $0.002 = $0.00235
    # claude-sonnet-4-5 (Anthropic plugin, cache counts beside the input): 2,000 x $3/1M
    #   + 10,000 cached x $0.30/1M + 1,000 5-minute writes x $3.75/1M + 500 x $15/1M
    #   = $0.006 + $0.003 + $0.00375 + $0.0075 = $0.02025
    assert costs(doc) == {
        "claude-3-5-sonnet-latest": None,
        "claude-sonnet-4-5": Decimal("0.02025"),
        "gpt-4o-mini": Decimal("0.0005364"),
        "gpt-5-mini": Decimal("0.00235"),
    }
    assert Decimal(doc["total"]) == Decimal("0.0231364")
    assert unpriced(doc) == [("claude-3-5-sonnet-latest", 1, "not in the catalog")]


def test_mapped_csv(bundled_cli: Callable[..., Run]) -> None:
    doc = reprice(bundled_cli, str(FIXTURES / "usage_map.csv"), "--map", CSV_MAP)
    # gpt-4o: (12,000 - 2,000) + 8,000 = 18,000 x $2.50/1M + 2,000 x $1.25/1M + 1,300 x $10/1M
    #   = $0.045 + $0.0025 + $0.013 = $0.0605
    # gemini-2.5-flash: (100,000 - 60,000) x $0.30/1M + 60,000 x $0.03/1M + 5,000 x $2.50/1M
    #   = $0.012 + $0.0018 + $0.0125 = $0.0263
    # gemini-4-argon, (100,000 - 20,000) in, 20,000 cached, 10,000 out on each of two days:
    #   2026-11-30: 80,000 x $2/1M + 20,000 x $0.10/1M + 10,000 x $10/1M
    #     = $0.16 + $0.002 + $0.10 = $0.262
    #   2026-12-02 (announced prices): 80,000 x $4/1M + 20,000 x $0.20/1M + 10,000 x $20/1M
    #     = $0.32 + $0.004 + $0.20 = $0.524; in all $0.786
    assert costs(doc) == {
        "claude-sonnet-4": None,
        "gemini-2.5-flash": Decimal("0.0263"),
        "gemini-4-argon": Decimal("0.786"),
        "gpt-4o": Decimal("0.0605"),
    }
    assert Decimal(doc["total"]) == Decimal("0.8728")  # $0.0605 + $0.0263 + $0.786
    assert unpriced(doc) == [("claude-sonnet-4", 2, "not in the catalog")]
    assert doc["recorded_total"] == "0.066"  # $0.031 + $0.0105 + $0.0245
    # the first row's own $0.031 against its list price: 10,000 x $2.50/1M + 2,000 x $1.25/1M
    #   + 800 x $10/1M = $0.0355, $0.0045 below; gemini's $0.0245 is $0.0018 below $0.0263.
    #   One reading each, no contradicting "not explained".
    discount = ["a negotiated discount or credits (the log does not show them)"]
    assert [
        (r["model"], r["recorded"], r["list_price"], r["difference"], r["can_explain"])
        for r in doc["reconciliation"]
    ] == [
        ("gemini-2.5-flash", "0.0245", "0.0263", "-0.0018", discount),
        ("gpt-4o", "0.031", "0.0355", "-0.0045", discount),
    ]
    assert [r["cannot_explain"] for r in doc["reconciliation"]] == [[], []]


def test_mapped_jsonl(bundled_cli: Callable[..., Run]) -> None:
    doc = reprice(bundled_cli, str(FIXTURES / "usage_map.jsonl"), "--map", JSONL_MAP)
    # gpt-4o: 10,000 x $2.50/1M + 2,000 x $1.25/1M + 800 x $10/1M = $0.025 + $0.0025 + $0.008
    # gemini-2.5-flash, as in the CSV: $0.0263
    assert costs(doc) == {
        "claude-sonnet-4": None,
        "gemini-2.5-flash": Decimal("0.0263"),
        "gpt-4o": Decimal("0.0355"),
    }
    assert Decimal(doc["total"]) == Decimal("0.0618")
    assert unpriced(doc) == [("claude-sonnet-4", 1, "not in the catalog")]


def test_cheapest_as_two_words_says_how_to_write_it() -> None:
    done = subprocess.run(
        [
            *aicompare(),
            "reprice",
            str(FIXTURES / "openai_completions.json"),
            "--on",
            "cheapest",
            "3",
        ],
        capture_output=True,
        text=True,
        env=base_env(),
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert "'3' was read as a usage file: write the count with a colon, --on cheapest:3" in (
        " ".join(done.stderr.split())
    )


def test_the_table_lists_every_volume_of_an_unpriced_row(bundled_cli: Callable[..., Run]) -> None:
    run = bundled_cli("reprice", str(FIXTURES / "otel_spans.json"), "--as-of", AS_OF)
    assert run.exit_code == 0
    # the span's input 150 is smaller than its 2,000 cache reads: counted beside them, as uncached
    assert (
        "- 1 row of `claude-3-5-haiku-20241022` via anthropic — not in the catalog "
        "(150 input, 2K cached input, 40 output tokens)\n"
    ) in run.stdout


def test_a_migration_whose_successor_cannot_price_the_rows(
    bundled_cli: Callable[..., Run],
) -> None:
    run = bundled_cli(
        "reprice", str(FIXTURES / "openai_images.json"), "--migrate", "--as-of", AS_OF
    )
    assert run.exit_code == 0
    text = " ".join(run.stdout.split())
    # shut down before --as-of: past tense; no "$0.00 instead of $0.00" for rows not priced
    assert "gpt-image-1 (retired, shut down 2026-10-23): gpt-image-2.5-sunburst" in text
    assert "none of its rows can be priced on gpt-image-2.5-sunburst: images" in text
    assert "instead of" not in text


def test_openai_migration_of_a_deprecated_model(bundled_cli: Callable[..., Run]) -> None:
    args = ("reprice", str(FIXTURES / "openai_completions.json"), "--migrate", "--as-of", AS_OF)
    doc = reprice(bundled_cli, *args[1:-2])
    # gpt-5-mini is deprecated (shuts down 2026-12-11); its 2026-11 rows on gpt-5.6-terra
    # ($2 / $0.20 cached / $12 out; flex $1 / $6):
    #   default: 1,500,000 x $2/1M + 500,000 x $0.20/1M + 400,000 x $12/1M
    #     = $3.00 + $0.10 + $4.80 = $7.90
    #   flex: 1,000,000 x $1/1M + 200,000 x $6/1M = $1.00 + $1.20 = $2.20
    #   $10.10 instead of $1.5125: $8.5875 more in 2026-11
    (migration,) = [m for m in doc["migration"] if m["model"] == "gpt-5-mini"]
    assert (migration["shutdown_date"], migration["successor"]) == ("2026-12-11", "gpt-5.6-terra")
    assert migration["months"] == [
        {"month": "2026-11", "current": "1.5125", "successor": "10.1", "difference": "8.5875"}
    ]
    text = bundled_cli(*args).stdout
    assert "gpt-5-mini (deprecated, shuts down 2026-12-11): gpt-5.6-terra\n" in text
    assert "  on gpt-5.6-terra: $10.10 instead of $1.51 (+$8.59)\n" in text
    assert "  2026-11: +$8.59 a month\n" in text


def test_by_day_prices_the_same_usage_differently_across_a_price_change(
    bundled_cli: Callable[..., Run],
) -> None:
    """The same requests on each side of a change cost that day's prices (sums in the tests of
    each format above)."""
    doc = reprice(bundled_cli, str(FIXTURES / "openai_completions.json"), "--by", "day,model")
    o3 = {g["day"]: g["cost"] for g in doc["groups"] if g["model"] == "o3"}
    assert o3 == {"2025-06-09": "12.1", "2025-06-10": "2.5"}  # before and after the cut
    doc = reprice(bundled_cli, str(FIXTURES / "litellm_spend_logs.csv"), "--by", "day")
    days = [
        (g["day"], g["cost"], g["tokens"]["input"], g["tokens"]["output"]) for g in doc["groups"]
    ]
    assert days[-4:] == [
        ("2026-10-19", "0.0889", 100000, 10000),  # $0.68 / $2.09
        ("2026-10-20", "0.1778", 100000, 10000),  # $1.36 / $4.18: doubled
        ("2026-10-29", "0.091", 100000, 10000),  # $0.70 / $2.10
        ("2026-11-03", "0.08382", 20000, 1000),  # claude-sonnet-4-5 on Bedrock
    ]
    run = bundled_cli(
        "reprice", str(FIXTURES / "litellm_spend_logs.csv"), "--by", "day", "--as-of", AS_OF
    )
    assert run.exit_code == 0
    table = [" ".join(line.split()) for line in run.stdout.splitlines()]
    assert "2026-10-19 1 1 100K 0 10K $0.0889" in table
    assert "2026-10-20 1 1 100K 0 10K $0.178" in table
    assert "2026-10-29 1 1 100K 0 10K $0.091" in table


ANNOUNCED = (
    "gemini-4-argon: priced at the prices announced from 2026-12-01, not yet in force on "
    "2026-11-26 (1 row)"
)
LATER = (
    "2 rows dated after 2026-11-26 (today, or the --as-of date): check the log's times; each row "
    "is priced at the catalog's prices for its own date, announced ones included"
)


def test_a_row_dated_after_an_announced_change_is_priced_at_it_and_said(
    bundled_cli: Callable[..., Run],
) -> None:
    """gemini-4-argon's 2026-12-01 prices are announced on 2026-11-26: a row of 2026-12-02 costs
    them ($0.524 against $0.262 the day before, worked in test_mapped_csv), and the notes say
    both that the log has rows later than the date and which prices were announced ones."""
    args = (str(FIXTURES / "usage_map.csv"), "--map", CSV_MAP, "--by", "day,model")
    doc = reprice(bundled_cli, *args)
    argon = {g["day"]: g["cost"] for g in doc["groups"] if g["model"] == "gemini-4-argon"}
    assert argon == {"2026-11-30": "0.262", "2026-12-02": "0.524"}
    assert doc["notes"] == [LATER, ANNOUNCED]
    run = bundled_cli("reprice", *args, "--as-of", AS_OF)
    assert run.exit_code == 0
    text = " ".join(run.stdout.split())
    assert f"- {LATER} - {ANNOUNCED}" in text
    # on the same usage priced elsewhere, the target's announced prices are said too: the
    # gpt-4o row of 2025-04-01 on gemini-4-argon is at its first prices, the 2026-12-02 row not
    doc = reprice(bundled_cli, *args, "--on", "gemini-4-argon")
    (what_if,) = doc["what_if"]
    assert ANNOUNCED in what_if["notes"]
    # once the change is in force (and the rows are no later than the date), nothing to say
    run = bundled_cli("reprice", *args, "--json", "--as-of", "2026-12-02")
    assert (run.exit_code, run.stderr) == (0, "")
    assert run.json()["notes"] == []
    argon = {g["day"]: g["cost"] for g in run.json()["groups"] if g["model"] == "gemini-4-argon"}
    assert argon == {"2026-11-30": "0.262", "2026-12-02": "0.524"}


def test_a_path_that_is_no_usage_file_gets_a_hint_about_the_path(
    bundled_cli: Callable[..., Run], tmp_path: Path
) -> None:
    """A missing file or a FIFO is a wrong path, not a wrong format: the hint says so."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path, message in (
        (tmp_path / "missing.csv", "no such file"),
        (fifo, "is a named pipe (FIFO), not a usage file (use '-' to read stdin)"),
    ):
        run = bundled_cli("reprice", str(path))
        assert run.exit_code == 1
        assert run.stderr == f"error: {path}: {message}\ncheck the path; - reads stdin\n"
