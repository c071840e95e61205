"""`aicompare prices ...`: one module per subcommand (see the table in commands/__init__.py)."""

HELP = (
    "The price table, for joins in a warehouse (docs/reprice.md).\n\n\b\nExamples:\n"
    "  aicompare prices export -o prices.csv\n"
    "  aicompare prices export --format parquet -o prices.parquet\n"
    "  aicompare prices export --format sql --dialect bigquery -o prices.sql"
)
