"""Benchmark repricing at scale: a 10M-row usage CSV and a 1M-span OTLP JSON-lines file.

    python3 bench/reprice.py                 # generates the files once (bench/results/reprice/)
    python3 bench/reprice.py --rows 1000000  # a smaller run

Measures, each in a fresh process, wall time and peak RSS (GNU time's "Maximum resident set
size"):

- the baseline: DuckDB (default settings: every core, no memory limit) running the same
  aggregate-and-join on the same file, with the exported price table (`prices export`);
- Polars' streaming group-by on the CSV, when Polars is installed (the engine not chosen);
- the fast path: `aicompare reprice` when the command exists, else a small driver that runs
  aicompare.usage.fast.aggregate_file and prices the aggregates with Decimal from the catalog;
- small files: a 1,000-row CSV through the same path against `aicompare cost --tokens 5M
  --json` (hyperfine when installed, else 10 interleaved runs each).

The data is deterministic (one seed): a realistic model mix (OpenAI, Anthropic direct and on
Bedrock, Google, DeepSeek, Mistral, and models the catalog does not know: a fine-tune and an
in-house model), 46 UTC days across gpt-4o-mini's price change of 2026-10-15 (a catalog layer,
tests/data/usage/warehouse_layer.toml). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
PYTHON = str(VENV / "python")
AICOMPARE = str(VENV / "aicompare")
LAYER = ROOT / "tests" / "data" / "usage" / "warehouse_layer.toml"
OUT = ROOT / "bench" / "results" / "reprice"

# (model as the log names it, seller or "", weight, typical prompt, typical output)
MIX = [
    ("gpt-4o-mini", "", 30, 1800, 350),
    ("gpt-4o-mini", "azure", 8, 1800, 350),
    ("gpt-4o", "", 8, 3000, 600),
    ("claude-sonnet-4-5", "", 14, 6000, 900),
    ("claude-sonnet-4-5", "bedrock", 6, 6000, 900),
    ("gemini-2.5-flash", "vertex_ai", 12, 2500, 500),
    ("deepseek-chat", "", 6, 2000, 400),
    ("mistral-small", "", 5, 1200, 300),
    ("gpt-5-mini", "", 8, 2200, 1200),
    ("ft:gpt-4o-mini:acme:support:abc123", "", 2, 1500, 200),
    ("inhouse-llama-70b", "", 1, 2000, 400),
]
TEAMS = ["search", "support", "growth", "platform", "research"]
START = 1_790_812_800  # 2026-10-01T00:00:00Z
DAYS = 46
COLUMN_MAP = (
    "model=llm_model,seller=provider,time=ts,input=prompt_tokens,cached=cached_tokens,"
    "input_includes_cached=yes,prompt=prompt_tokens,output=completion_tokens,project=team"
)


def _choices(rng: random.Random, n: int) -> list[tuple[str, str, int, int, int]]:
    weights = [m[2] for m in MIX]
    return rng.choices(MIX, weights=weights, k=n)


def generate_csv(path: Path, rows: int, seed: int = 19) -> None:
    rng = random.Random(seed)
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        out.write("ts,llm_model,provider,prompt_tokens,cached_tokens,completion_tokens,team\n")
        step = DAYS * 86_400 / rows
        done = 0
        while done < rows:
            n = min(100_000, rows - done)
            picks = _choices(rng, n)
            lines = []
            for i, (model, seller, _, prompt, output) in enumerate(picks):
                t = START + int((done + i) * step)
                p = int(prompt * rng.uniform(0.2, 2.5))
                c = int(p * rng.choice((0, 0, 0.25, 0.5, 0.8)))
                o = int(output * rng.uniform(0.1, 2.0))
                stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
                lines.append(f"{stamp},{model},{seller},{p},{c},{o},{TEAMS[(done + i) % 5]}\n")
            out.write("".join(lines))
            done += n
    tmp.replace(path)


def _attr(key: str, value: object) -> dict[str, object]:
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    return {"key": key, "value": {"stringValue": value}}


def generate_otlp(path: Path, spans: int, seed: int = 23, per_line: int = 100) -> None:
    """OTLP JSON lines, as the Collector's file exporter writes them: one export request per
    line, `per_line` spans each, GenAI semantic-convention attributes."""
    rng = random.Random(seed)
    tmp = path.with_suffix(".part")
    providers = {"": "openai", "azure": "azure.ai.openai", "bedrock": "aws.bedrock"}
    with tmp.open("w", encoding="utf-8") as out:
        step = DAYS * 86_400 * 10**9 // spans
        done = 0
        while done < spans:
            n = min(per_line, spans - done)
            items = []
            for i, (model, seller, _, prompt, output) in enumerate(_choices(rng, n)):
                p = int(prompt * rng.uniform(0.2, 2.5))
                c = int(p * rng.choice((0, 0, 0.25, 0.5)))
                provider = providers.get(seller, seller)
                if model.startswith("claude") and not seller:
                    provider = "anthropic"
                if model.startswith("gemini"):
                    provider = "gcp.vertex_ai"
                start = START * 10**9 + (done + i) * step
                attributes = [
                    _attr("gen_ai.operation.name", "chat"),
                    _attr("gen_ai.provider.name", provider),
                    _attr("gen_ai.request.model", model),
                    _attr("gen_ai.response.model", model),
                    _attr("gen_ai.usage.input_tokens", p),
                    _attr("gen_ai.usage.cache_read.input_tokens", c),
                    _attr("gen_ai.usage.output_tokens", int(output * rng.uniform(0.1, 2.0))),
                ]
                items.append(
                    {
                        "traceId": f"{rng.getrandbits(128):032x}",
                        "spanId": f"{rng.getrandbits(64):016x}",
                        "name": f"chat {model}",
                        "kind": 3,
                        "startTimeUnixNano": str(start),
                        "endTimeUnixNano": str(start + 900_000_000),
                        "attributes": attributes,
                    }
                )
            request = {
                "resourceSpans": [
                    {
                        "resource": {"attributes": [_attr("service.name", TEAMS[done % 5])]},
                        "scopeSpans": [
                            {
                                "scope": {"name": "opentelemetry.instrumentation.openai"},
                                "spans": items,
                            }
                        ],
                    }
                ]
            }
            out.write(json.dumps(request, separators=(",", ":")) + "\n")
            done += n
    tmp.replace(path)


# ---------------------------------------------------------------- the OTLP baseline's SQL
# DuckDB reading OTLP JSON lines with the GenAI attributes: the baseline of the OTLP run. (The
# fast path reads OTLP in Python: DuckDB works on vectors of 2,048 rows, and 2,048 export
# requests of ~70 KB each need more than the memory budget; docs/performance.md.)


def _attribute(attributes: str, names: Sequence[str], kind: str) -> str:
    """The first of `names` among an OTLP attribute list's keys, as `kind` (string or int)."""
    picks = []
    for name in names:
        found = f"list_filter({attributes}, lambda a: a.key = '{name}')[1].value"
        if kind == "int":
            picks.append(f"TRY_CAST(COALESCE({found}.intValue, {found}.stringValue) AS BIGINT)")
        else:
            picks.append(f"{found}.stringValue")
    return picks[0] if len(picks) == 1 else f"COALESCE({', '.join(picks)})"


_VALUE = "STRUCT(stringValue VARCHAR, intValue VARCHAR, boolValue BOOLEAN, doubleValue DOUBLE)"
_ATTRS = f"STRUCT(key VARCHAR, value {_VALUE})[]"
_SPAN = f"STRUCT(startTimeUnixNano VARCHAR, attributes {_ATTRS})"
OTLP_TYPE = f"STRUCT(resource STRUCT(attributes {_ATTRS}), scopeSpans STRUCT(spans {_SPAN}[])[])[]"


def otlp_sql(path_param: str, keys: Sequence[str], thresholds: Sequence[int]) -> str:
    """The spans of an OTLP JSON file as the normal fields (one request each)."""
    attrs = "sp.span.attributes"
    model = _attribute(attrs, ["gen_ai.response.model", "gen_ai.request.model"], "str")
    seller = _attribute(attrs, ["gen_ai.provider.name", "gen_ai.system"], "str")
    total_input = f"COALESCE({_attribute(attrs, ['gen_ai.usage.input_tokens'], 'int')}, 0)"
    cached = f"COALESCE({_attribute(attrs, ['gen_ai.usage.cache_read.input_tokens'], 'int')}, 0)"
    writes = (
        f"COALESCE({_attribute(attrs, ['gen_ai.usage.cache_creation.input_tokens'], 'int')}, 0)"
    )
    output = f"COALESCE({_attribute(attrs, ['gen_ai.usage.output_tokens'], 'int')}, 0)"
    group = {
        "project": _attribute("sp.resource_attributes", ["gen_ai.project", "service.name"], "str"),
        "key": _attribute(attrs, ["user.id", "enduser.id"], "str"),
    }
    return f"""
SELECT
  model, seller, day, FALSE AS batch, 'standard' AS tier,
  prompt_tokens, 1 AS requests,
  GREATEST(prompt_tokens - cached_input_tokens - cache_write_tokens, 0) AS input_tokens,
  cached_input_tokens, cache_write_tokens, 0 AS cache_write_1h_tokens, output_tokens,
  0 AS reasoning_tokens, NULL::DECIMAL(38,18) AS recorded_cost
  {"".join(f", g_{key}" for key in keys)}
FROM (
  SELECT
    {model} AS model,
    {seller} AS seller,
    CAST(make_timestamp(CAST(CAST(sp.span.startTimeUnixNano AS HUGEINT) // 1000 AS BIGINT))
      AS DATE) AS day,
    {total_input} AS prompt_tokens,
    {cached} AS cached_input_tokens,
    {writes} AS cache_write_tokens,
    {output} AS output_tokens
    {"".join(f", {group[key]} AS g_{key}" for key in keys)}
  FROM (
    -- unnest in SELECT lists streams; a lateral join of unnests would hold the whole file
    SELECT unnest(s.spans) AS span, resource_attributes FROM (
      SELECT unnest(r.scopeSpans) AS s, r.resource.attributes AS resource_attributes FROM (
        SELECT unnest(resourceSpans) AS r
        FROM read_json({path_param}, format = 'auto',
                       columns = {{'resourceSpans': '{OTLP_TYPE}'}})
      )
    )
  ) AS sp
)
WHERE model IS NOT NULL
"""


# ---------------------------------------------------------------- the measured programs

BASELINE_CSV = """
import duckdb, sys
con = duckdb.connect()
con.execute("SET TimeZone = 'UTC'")
con.execute("CREATE TABLE aicompare_prices AS SELECT * FROM read_parquet(?)", [sys.argv[2]])
con.execute('''CREATE VIEW llm_usage AS SELECT llm_model AS model, NULLIF(provider, '') AS seller,
  CAST(ts AS TIMESTAMPTZ) AS time, prompt_tokens - cached_tokens AS input_tokens,
  cached_tokens AS cached_input_tokens, 0 AS cache_write_tokens,
  completion_tokens AS output_tokens FROM read_csv(''' + repr(sys.argv[1]) + ", header = true)")
print(con.execute(open(sys.argv[3]).read()).fetchall()[:1])
"""

BASELINE_OTLP = """
import duckdb, sys
sys.path.insert(0, sys.argv[4])
from reprice import otlp_sql
con = duckdb.connect()
con.execute("SET TimeZone = 'UTC'")
con.execute("CREATE TABLE aicompare_prices AS SELECT * FROM read_parquet(?)", [sys.argv[2]])
source = otlp_sql("'" + sys.argv[1] + "'", (), ())
con.execute("CREATE VIEW llm_usage AS SELECT model, NULLIF(seller, 'openai') AS seller, "
  "CAST(day AS TIMESTAMP) AS time, input_tokens, cached_input_tokens, cache_write_tokens, "
  "output_tokens FROM (" + source + ")")
print(con.execute(open(sys.argv[3]).read()).fetchall()[:1])
"""

POLARS_CSV = """
import polars as pl, sys
frame = (
    pl.scan_csv(sys.argv[1])
    .with_columns(pl.col("ts").str.slice(0, 10).alias("day"))
    .group_by(["llm_model", "provider", "day", "team"])
    .agg(pl.len(), pl.col("prompt_tokens").sum(), pl.col("cached_tokens").sum(),
         pl.col("completion_tokens").sum())
    .collect(engine="streaming")
)
print(frame.height)
"""

# The fast path through a driver, until `aicompare reprice` exists: aggregate, then price every
# aggregate at the period in force on its day, with Decimal (what reprice's engine does).
DRIVER = """
import sys, json, datetime as dt
from decimal import Decimal
from aicompare.usage import fast
from aicompare.loader import load_catalog
from aicompare.model import priced_on
fmt, path, layer = sys.argv[1], sys.argv[2], sys.argv[3]
column_map = dict(item.split("=") for item in sys.argv[4].split(",")) if len(sys.argv) > 4 else {}
keys = ("project",) if "project" in column_map else ()
catalog = load_catalog([layer], include_user=False)
resolved = {}
total, unpriced, rows = Decimal(0), 0, 0
M = Decimal(1_000_000)
def python_aggregates():
    # the pure-Python path of a small file (the engine's own aggregator, once merged)
    import csv
    from collections import defaultdict
    sums = defaultdict(lambda: [0, 0, 0, 0])
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row[column_map["model"]], row[column_map["seller"]] or None,
                   row[column_map["time"]][:10], row[column_map["project"]])
            cached = int(row[column_map["cached"]])
            item = sums[key]
            item[0] += 1
            item[1] += int(row[column_map["input"]]) - cached
            item[2] += cached
            item[3] += int(row[column_map["output"]])
    for (model, seller, day, project), (n, i, c, o) in sums.items():
        yield fast.Aggregate(model, seller, dt.date.fromisoformat(day), False, "standard", 0,
                             (project,), n, n, i, c, 0, 0, o, 0, None, 0)
import os
if fmt == "csv" and not fast.use_fast(os.path.getsize(path)):
    aggregates = python_aggregates()
else:
    aggregates = fast.aggregate_file(path, fmt, column_map, keys, input_includes_cached=fmt == "csv")
for agg in aggregates:
    rows += agg.rows
    key = (agg.model, agg.seller)
    if key not in resolved:
        try:
            name = agg.model if not agg.seller or fmt == "otlp" else f"{agg.model}@{agg.seller}"
            resolved[key] = catalog.resolve(name)
        except Exception:
            resolved[key] = None
    model = resolved[key]
    if model is None:
        unpriced += agg.rows
        continue
    prices = priced_on(model, agg.day or dt.date.today()).prices.standard
    base = prices.get("input")
    cached = prices.get("cached_input") or base
    output = prices.get("output")
    if base is None or output is None:
        unpriced += agg.rows
        continue
    total += (agg.input_tokens * base + agg.cached_input_tokens * cached
              + agg.output_tokens * output) / M
print(json.dumps({"rows": rows, "total": str(total), "unpriced_rows": unpriced}))
"""


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment without PYTHON* variables (PYTHONDONTWRITEBYTECODE would make every run
    recompile aicompare: see docs/performance.md's caveats), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return {**env, **(extra or {})}


def measure(argv: list[str], env: dict[str, str] | None = None) -> dict[str, object]:
    """Run once under GNU time: wall seconds, peak RSS MiB, the last line of stdout."""
    env = clean_env(env and {k: v for k, v in env.items() if k == "PYTHONPATH"})
    timer = shutil.which("time") or "/usr/bin/time"
    started = time.perf_counter()
    proc = subprocess.run(
        [timer, "-v", *argv], capture_output=True, text=True, env=env, cwd="/", check=False
    )
    wall = time.perf_counter() - started
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    rss = int(found.group(1)) / 1024 if found else float("nan")
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.splitlines()[-12:])
        raise SystemExit(f"failed: {' '.join(argv)}\n{tail}")
    out: object = proc.stdout.strip().splitlines()[-1:]
    if proc.stdout.startswith("{"):  # reprice --json: its total, and what it could not price
        document = json.loads(proc.stdout)
        out = {k: document.get(k) for k in ("rows", "total", "total_excludes_rows")}
    return {"seconds": wall, "rss_mib": rss, "out": out}


def has_reprice() -> bool:
    proc = subprocess.run([AICOMPARE, "reprice", "--help"], capture_output=True, check=False)
    return proc.returncode == 0


def fast_argv(fmt: str, path: Path) -> list[str]:
    if has_reprice():
        argv = [AICOMPARE, "reprice", str(path), "--catalog", str(LAYER), "--json"]
        return argv + (["--map", COLUMN_MAP] if fmt == "csv" else ["--format", "otel"])
    driver = OUT / "driver.py"
    driver.write_text(DRIVER)
    argv = [PYTHON, str(driver), fmt, str(path), str(LAYER)]
    return argv + ([COLUMN_MAP] if fmt == "csv" else [])


def small_file_ratio(path: Path) -> dict[str, object]:
    """The 1,000-row file against `cost --tokens 5M --json`: median seconds of each."""
    fast = fast_argv("csv", path)
    cost = [AICOMPARE, "cost", "--tokens", "5M", "--json"]
    env = clean_env()
    for argv in (fast, cost):  # writes the bytecode and the catalog cache
        subprocess.run(argv, capture_output=True, check=True, env=env)
    hyperfine = shutil.which("hyperfine")
    if hyperfine:
        with tempfile.TemporaryDirectory() as folder:
            export = Path(folder) / "h.json"
            quoted = [" ".join(f"'{a}'" for a in argv) for argv in (fast, cost)]
            subprocess.run(
                [hyperfine, "-N", "--warmup", "3", "--runs", "20", "--export-json", str(export)]
                + quoted,
                capture_output=True,
                check=True,
                env=env,
            )
            results = json.loads(export.read_text())["results"]
            medians = [r["median"] for r in results]
    else:
        samples: list[list[float]] = [[], []]
        for _ in range(10):
            for index, argv in enumerate((fast, cost)):
                started = time.perf_counter()
                subprocess.run(argv, capture_output=True, check=True, env=env)
                samples[index].append(time.perf_counter() - started)
        medians = [sorted(s)[len(s) // 2] for s in samples]
    return {"fast_s": medians[0], "cost_s": medians[1], "ratio": medians[0] / medians[1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--skip-polars", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    big = OUT / f"usage-{args.rows}.csv"
    otlp = OUT / f"spans-{args.spans}.jsonl"
    small = OUT / "usage-1000.csv"
    for path, make in (
        (big, lambda p: generate_csv(p, args.rows)),
        (otlp, lambda p: generate_otlp(p, args.spans)),
        (small, lambda p: generate_csv(p, 1000)),
    ):
        if not path.exists():
            print(f"generating {path.name} ...", flush=True)
            make(path)
    prices = OUT / "prices.parquet"
    subprocess.run(
        [
            AICOMPARE,
            "prices",
            "export",
            "--format",
            "parquet",
            "-o",
            str(prices),
            "--catalog",
            str(LAYER),
        ],
        check=True,
        capture_output=True,
    )
    doc = (ROOT / "docs" / "reprice.md").read_text(encoding="utf-8")
    sql = re.findall(r"```sql\n(.*?)```", doc.split("## Repricing in a warehouse", 1)[1], re.S)[0]
    query = OUT / "reprice.sql"
    query.write_text(sql)
    results: dict[str, object] = {
        "rows": args.rows,
        "spans": args.spans,
        "csv_bytes": big.stat().st_size,
        "otlp_bytes": otlp.stat().st_size,
        "load": os.getloadavg()[0],
        "reprice_command": has_reprice(),
    }
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    print("DuckDB baseline, CSV ...", flush=True)
    results["duckdb_csv"] = measure(
        [PYTHON, "-c", BASELINE_CSV, str(big), str(prices), str(query)], env
    )
    print("fast path, CSV ...", flush=True)
    results["fast_csv"] = measure(fast_argv("csv", big))
    if not args.skip_polars:
        try:
            print("Polars, CSV ...", flush=True)
            results["polars_csv"] = measure([PYTHON, "-c", POLARS_CSV, str(big)])
        except SystemExit as exc:
            results["polars_csv"] = str(exc).splitlines()[0]
    print("DuckDB baseline, OTLP ...", flush=True)
    results["duckdb_otlp"] = measure(
        [PYTHON, "-c", BASELINE_OTLP, str(otlp), str(prices), str(query), str(ROOT / "bench")],
        env,
    )
    print("fast path, OTLP ...", flush=True)
    results["fast_otlp"] = measure(fast_argv("otlp", otlp))
    print("1,000 rows vs cost --json ...", flush=True)
    results["small"] = small_file_ratio(small)
    results["load_after"] = os.getloadavg()[0]
    for name in ("csv", "otlp"):
        base, fast = results[f"duckdb_{name}"], results[f"fast_{name}"]
        assert isinstance(base, dict) and isinstance(fast, dict)
        results[f"ratio_{name}"] = float(fast["seconds"]) / float(base["seconds"])  # type: ignore[arg-type]
    (OUT / "latest.json").write_text(json.dumps(results, indent=2, default=str))
    print(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
