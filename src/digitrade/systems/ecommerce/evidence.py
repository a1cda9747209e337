"""The evidence clearance anchors in the platform ledger: the kind of a release entry and the
shape of its content (checked on every append)."""

from __future__ import annotations

from digitrade.core.ledger.kinds import EntryKind
from digitrade.systems.ecommerce.service import RELEASED_KIND

_DIGEST = {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"}
_MONEY = {"type": "string", "pattern": "^-?[0-9]+\\.[0-9]{2}$"}

LEDGER_KINDS = (
    EntryKind(
        RELEASED_KIND,
        1,
        "A retail-import order released after three-order matching: platform organisation, "
        "order number, customs mode, dutiable value and tax, and the SHA-256 of each of the four "
        "CEB messages as received (the buyer's identity is not logged).",
        {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "organisation",
                "orderNo",
                "mode",
                "dutiableValue",
                "taxTotal",
                "messageDigests",
            ],
            "properties": {
                "organisation": {"type": "integer"},
                "orderNo": {"type": "string"},
                "mode": {"type": "string"},
                "dutiableValue": _MONEY,
                "taxTotal": _MONEY,
                "messageDigests": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["order", "payment", "waybill", "inventory"],
                    "properties": {
                        "order": _DIGEST,
                        "payment": _DIGEST,
                        "waybill": _DIGEST,
                        "inventory": _DIGEST,
                    },
                },
            },
        },
    ),
)
