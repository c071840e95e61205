"""Typed values for catalog fields typed on the command line (`catalog set --set prices.input=0.9`)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from aicompare.errors import UsageError
from aicompare.model import ALTERNATE_TABLES, PRICE_KEYS
from aicompare.schema import LIFECYCLE_KEYS, MAX_PRICE, SIZE_RE, hours_problem

INT_FIELDS = ("context_window", "max_input_tokens", "max_output_tokens")
LIST_FIELDS = (
    "aliases",
    "input_modalities",
    "output_modalities",
    "capabilities",
    "endpoints",
    "snapshots",
    "strengths",
)
DATE_FIELDS = ("release_date", "as_of", "lifecycle.deprecation_date", "lifecycle.shutdown_date")
TEXT_FIELDS = (
    "name",
    "provider",
    "type",
    "description",
    "knowledge_cutoff",
    "notes",
    "source_url",
    "lifecycle.superseded_by",
    "lifecycle.note",
)
_DECIMAL = re.compile(r"^\d+(\.\d+)?$")
# ASCII digits only: "²".isdigit() is true but int("²") raises; more than 15 digits is no token count.
_WHOLE = re.compile(r"[0-9]{1,15}")


def parse_price(text: str, option: str) -> Decimal:
    """A price typed by a user: plain decimal digits only, so nothing is lost or invented."""
    cleaned = text.strip().removeprefix("$").replace("_", "")
    if not _DECIMAL.match(cleaned):
        raise UsageError(
            f"invalid value for {option}: {text!r} is not a price",
            "use a plain non-negative decimal in USD, e.g. 0.90 (per 1M tokens) or 0.042 (per image)",
        )
    try:
        value = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only valid decimals
        raise UsageError(f"invalid value for {option}: {text!r}") from None
    if value > MAX_PRICE:
        raise UsageError(f"invalid value for {option}: {text!r} is implausibly large")
    return value


def field_kind(path: str) -> str:
    """'price', 'int', 'list', 'date' or 'text' for an editable dotted field; UsageError if unknown."""
    parts = path.split(".")
    if parts[0] == "prices":
        key = parts[-1]
        if (len(parts) == 2 or (len(parts) == 3 and parts[1] in ALTERNATE_TABLES)) and (
            key in PRICE_KEYS
        ):
            return "price"
        if path == "prices.off_peak.hours":
            return "hours"
    elif (
        parts[0] == "image_prices"
        and len(parts) == 3
        and (parts[2] == "any" or SIZE_RE.match(parts[2]))
    ):
        return "price"
    elif path in INT_FIELDS:
        return "int"
    elif path in LIST_FIELDS:
        return "list"
    elif path in DATE_FIELDS:
        return "date"
    elif path in TEXT_FIELDS or (
        parts[0] == "lifecycle" and len(parts) == 2 and parts[1] in LIFECYCLE_KEYS
    ):
        return "text"
    raise UsageError(
        f"cannot set field {path!r}",
        "settable: prices.<kind>, prices.<batch|flex|priority|off_peak>.<kind>, "
        "prices.off_peak.hours, image_prices.<quality>.<WxH>, "
        + ", ".join(INT_FIELDS + LIST_FIELDS + DATE_FIELDS + TEXT_FIELDS),
    )


def parse_field(path: str, text: str, option: str = "--set") -> Any:
    """The typed value for `path` from its command-line text."""
    kind = field_kind(path)
    if kind == "price":
        return parse_price(text, f"{option} {path}")
    if kind == "hours":
        problem = hours_problem(text)
        if problem is not None:
            raise UsageError(f"invalid value for {option} {path}: {problem}")
        return ", ".join(window.strip() for window in text.split(","))
    if kind == "int":
        digits = text.strip().replace("_", "").replace(",", "")
        if not _WHOLE.fullmatch(digits) or int(digits) <= 0:
            raise UsageError(
                f"invalid value for {option} {path}: {text!r}",
                "use a positive whole number of tokens",
            )
        return int(digits)
    if kind == "list":
        return [item.strip() for item in text.split(",") if item.strip()]
    if kind == "date":
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            raise UsageError(
                f"invalid value for {option} {path}: {text!r} is not a date", "use YYYY-MM-DD"
            ) from None
    return text


def parse_assignment(text: str) -> tuple[str, Any]:
    """'prices.input=0.9' -> ('prices.input', Decimal('0.9'))."""
    path, sep, value = text.partition("=")
    if not sep or not path.strip():
        raise UsageError(
            f"invalid value for --set: {text!r}",
            "use FIELD=VALUE, e.g. --set prices.image_output=30",
        )
    return path.strip(), parse_field(path.strip(), value)
