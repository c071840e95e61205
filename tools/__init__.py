"""Maintainer tooling of the aicompare checkout; not part of the installed package (the wheel
holds src/aicompare only). Run from the checkout root, e.g. `python -m tools.catalog_build`."""
