"""The platform's JSON shape of a fapiao: the model's fields, plus a ``format`` marker.

Amounts and rates are JSON strings (``"1060.00"``, ``"6"``) so that no reader turns them into
binary floats; numbers are accepted on input and read as decimals. The shape is documented in
docs/systems/einvoice-fapiao-mapping.md.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from digitrade.systems.einvoice.fapiao.consistency import Finding, check_consistency
from digitrade.systems.einvoice.fapiao.errors import FapiaoFormatError, format_error_from
from digitrade.systems.einvoice.fapiao.model import FullyDigitalInvoice

JSON_FORMAT = "digitrade.fapiao.v1"
MAX_JSON_BYTES = 20 * 1024 * 1024


def to_json_data(invoice: FullyDigitalInvoice) -> dict[str, Any]:
    return {"format": JSON_FORMAT, **invoice.model_dump(mode="json", exclude_none=True)}


def write_json(invoice: FullyDigitalInvoice) -> bytes:
    """The invoice as UTF-8 JSON, indented, Chinese left readable."""
    return json.dumps(to_json_data(invoice), ensure_ascii=False, indent=2).encode()


def read_json(text: str | bytes) -> tuple[FullyDigitalInvoice, list[Finding]]:
    """The fapiao in ``text`` and every inconsistency found in it."""
    if len(text) > MAX_JSON_BYTES:
        raise FapiaoFormatError(f"the document is larger than {MAX_JSON_BYTES:,} bytes")
    try:
        data = json.loads(text, parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FapiaoFormatError(f"the document is not JSON: {exc}") from exc
    return from_json_data(data)


def from_json_data(data: object) -> tuple[FullyDigitalInvoice, list[Finding]]:
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise FapiaoFormatError(f'the document is not a fapiao: "format" must be "{JSON_FORMAT}"')
    fields = {key: value for key, value in data.items() if key != "format"}
    try:
        invoice = FullyDigitalInvoice.model_validate(fields)
    except ValidationError as exc:
        raise format_error_from(exc, "the JSON") from exc
    return invoice, check_consistency(invoice)
