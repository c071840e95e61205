"""`aicompare catalog ...`: one module per subcommand (see the table in commands/__init__.py)."""

HELP = (
    "Validate, inspect, edit, import and export the catalog.\n\n\b\nExamples:\n"
    "  aicompare catalog path\n"
    "  aicompare catalog validate ~/.config/aicompare/models.toml\n"
    '  aicompare catalog set gpt-4.1-mini --input 0.90 --note "negotiated"\n'
    "  aicompare catalog import --from litellm model_prices_and_context_window.json"
)
