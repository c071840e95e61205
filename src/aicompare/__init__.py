"""aicompare: compare AI models on specs and price, offline, from a bundled catalog."""

__version__ = "0.1.0"

__all__ = ["__version__"]
