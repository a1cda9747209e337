"""Shared material of the e-commerce tests: the synthetic CEB set and order requests."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.support import official_fixture

SYNTHETIC = ("CEB311", "CEB411", "CEB511", "CEB621", "CEB625")
VALID_BUYER = "110101200001010002"  # checksum-valid; sequence 000 is never issued

fixtures = pytest.mark.fixtures


def synthetic_bytes(message_type: str) -> bytes:
    return official_fixture(f"ceb/synthetic/{message_type}Message.xml").read_bytes()


def sample_bytes(message_type: str) -> bytes:
    return official_fixture(f"ceb/{message_type}Message.sample.xml").read_bytes()


FACE_CREAM: dict[str, Any] = {
    "sku": "SKU-FC-50G",
    "hs_code": "3304990099",
    "name": "保湿面霜",
    "unit_price": "600.00",
    "quantity": 2,
    "vat_rate": "0.13",
    "mfn_duty_rate": "0.01",
    "excise": {"kind": "cosmetics", "net_content": "50", "unit": "g"},
    "on_positive_list": True,
    "indivisible": False,
}

# The research note's worked example (section 2.1): 2 x 50 g face cream at RMB 600, freight 20.
WORKED_EXAMPLE: dict[str, Any] = {
    "mode": "1210",
    "order_date": "2025-01-01",
    "buyer_id": VALID_BUYER,
    "annual_total_before": "0",
    "freight": "20.00",
    "insurance": "0",
    "non_cash_discount": "0",
    "items": [FACE_CREAM],
}


def item(**overrides: Any) -> dict[str, Any]:
    plain = {
        "sku": "SKU-1",
        "hs_code": "8517629900",
        "name": "headphones",
        "unit_price": "100.00",
        "quantity": 1,
        "vat_rate": "0.13",
        "mfn_duty_rate": "0.10",
        "on_positive_list": True,
        "indivisible": True,
    }
    plain.update(overrides)
    return plain


def order(*items: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    request = copy.deepcopy(WORKED_EXAMPLE)
    request["items"] = list(items) if items else [item()]
    request["freight"] = "0"
    request.update(overrides)
    return request


BOOK = "T2200W000001"  # the synthetic CEB621's bonded account book (1210)


def numbered(message_type: str, index: int, *, prefix: str = "SYN2025") -> bytes:
    """A synthetic message of another order (order number ``{prefix}`` + 8 digits)."""
    return synthetic_bytes(message_type).replace(
        b"SYN202501010001", f"{prefix}{index:08d}".encode()
    )


# The top-level fields of the assess-order contract (CLI and API), exactly.
ASSESS_ORDER_FIELDS = frozenset(
    {
        "allowed",
        "reasons",
        "dutiable_value",
        "duty",
        "consumption_tax",
        "vat",
        "tax_total",
        "actual_paid",
        "annual_total_after",
        "lines",
    }
)
