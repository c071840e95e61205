"""Offers for the bundled models: the same model as clouds, hosts and resellers sell it.

Each `[[sellers]]` entry of the curation names a seller, the LiteLLM providers that price it and
how its ids read in logs; every record of those providers whose id names a bundled model (after
the route, region and vendor parts of the id are set apart) becomes an offer of that model, one
per region or deployment type. Records with the same offer id and the same prices are one offer
with several names; a record whose prices differ from the first one kept is reported as skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from aicompare.catalog import Catalog
from aicompare.schema import OFFER_ID_RE

from .check import References

SELLER_KEYS = (
    "id",
    "set",
    "providers",
    "routes",
    "name_prefix",
    "bare_names",
    "reseller",
    "source_url",
    "note",
)
# an AWS region as a path segment: bedrock/us-gov-east-1/anthropic.claude-...
_AWS_REGION = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
# a Bedrock cross-region inference profile: us.anthropic.claude-..., global.anthropic.claude-...
_PROFILE = re.compile(r"^(us|eu|apac|au|jp|ca|global|us-gov)\.")
_BEDROCK_VERSION = re.compile(r"-v\d+(:\d+)?$")


def seller_problems(cur: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    for i, entry in enumerate(cur.get("sellers", [])):
        where = f"curation sellers[{i}]"
        problems += [f"{where}.{key}: unknown key" for key in entry if key not in SELLER_KEYS]
        if not OFFER_ID_RE.match(str(entry.get("id", ""))):
            problems.append(f"{where}.id: required, a lower-case seller name")
        if not entry.get("providers") or not entry.get("source_url"):
            problems.append(f"{where}: providers and source_url are required")
    return problems


def _parts(seller: Mapping[str, Any], key: str) -> tuple[str | None, str, list[str]]:
    """(region, the seller's model id, the names to look the model up by) of one record key."""
    rest = key
    for route in seller.get("routes", []):
        if rest.startswith(route):
            rest = rest[len(route) :]
            break
    region: str | None = None
    head, _, tail = rest.partition("/")
    if tail and (
        _AWS_REGION.match(head)
        # an Azure deployment type (azure/eu/..., azure/us-gov/..., azure/global-standard/...)
        or seller["id"] == "azure"
        # a Bedrock deployment type of its own (bedrock/claude_platform/...)
        or (seller["id"] == "bedrock" and "." not in head)
    ):
        region, rest = head, tail
    model_id = rest
    bare = rest
    profile = _PROFILE.match(bare)
    if profile and seller["id"] == "bedrock":
        region = region or profile[1]
        bare = bare[profile.end() :]
    names = [bare]
    if seller["id"] == "bedrock":
        unversioned = _BEDROCK_VERSION.sub("", bare)
        names += [unversioned, unversioned.partition(".")[2], bare.partition(".")[2]]
    if "/" in bare:
        names.append(bare.partition("/")[2])  # openrouter/<maker>/<model>, fal_ai/<maker>/<model>
    names.append(bare.partition("@")[0])  # vertex_ai/claude-sonnet-4-5@20250929
    return region, model_id, [n for n in dict.fromkeys(names) if n]


def _model_of(catalog: Catalog, names: list[str]) -> str | None:
    for name in names:
        ids = catalog.exact_index.get(name.casefold())
        if ids and len(ids) == 1:
            return ids[0]
    return None


def _offer_id(seller: str, region: str | None) -> str:
    oid = seller if region is None else f"{seller}-{region}"
    return re.sub(r"[^a-z0-9._-]", "-", oid.casefold())


def fill_offers(
    doc: dict[str, Any],
    catalog: Catalog,
    refs: References,
    cur: Mapping[str, Any],
    skipped: list[str],
) -> int:
    """Add `offers` to the models of `doc`; the number of offers made."""
    made: dict[str, dict[str, dict[str, Any]]] = {}
    for seller in cur.get("sellers", []):
        sid = str(seller["id"])
        found: list[tuple[bool, int, str, str, str, str | None, str, dict[str, Any]]] = []
        for provider in seller["providers"]:
            rows = refs.rows(str(seller.get("set", "litellm")), str(provider))
            for key in sorted(rows):
                table = rows[key]
                if not table.get("prices") and not table.get("image_prices"):
                    continue
                region, seller_model_id, names = _parts(seller, key)
                mid = _model_of(catalog, names)
                if mid is not None:
                    # a record under the model's own id first, then in the order of the set
                    inexact = names[0].casefold() != mid.casefold()
                    found.append(
                        (inexact, len(found), mid, provider, key, region, seller_model_id, table)
                    )
        for _, _, mid, provider, key, region, seller_model_id, table in sorted(
            found, key=lambda item: item[:2]
        ):
            oid = _offer_id(sid, region)
            offers = made.setdefault(mid, {})
            aliases = [key, *table.get("snapshots", [])]
            prefix = str(seller.get("name_prefix", ""))
            # as logs write it, and as the set does where its keys are ids of their own
            # (LiteLLM's keys are what its users call; models.dev's OpenRouter keys,
            # `openai/gpt-5-mini`, would also read as another seller's)
            prefixed = [a if a.startswith(prefix) else prefix + a for a in aliases]
            aliases = prefixed + (aliases if seller.get("bare_names", True) else [])
            offer = offers.get(oid)
            if offer is not None:
                same = offer.get("prices") == table.get("prices") and offer.get(
                    "image_prices"
                ) == table.get("image_prices")
                if same:
                    offer["names"] = sorted({*offer["names"], *aliases})
                else:
                    skipped.append(
                        f"offer {mid}@{oid}: {provider} {key} prices differ from "
                        f"{offer['names'][0]}; the first kept"
                    )
                continue
            offer = {"seller": sid, "seller_model_id": seller_model_id}
            if region is not None:
                offer["region"] = region
            if seller.get("reseller"):
                offer["reseller"] = True
            offer["names"] = sorted(set(aliases))
            for field in ("prices", "image_prices"):
                if table.get(field):
                    offer[field] = table[field]
            offer["source_url"] = table.get("source_url") or str(seller["source_url"])
            offer["as_of"] = cur["meta"]["as_of"]
            if seller.get("note"):
                offer["notes"] = str(seller["note"])
            offers[oid] = offer
    count = 0
    for mid, offers in made.items():
        doc["models"][mid]["offers"] = {oid: offers[oid] for oid in sorted(offers)}
        count += len(offers)
    return count
