"""Shared test material: parties, keys, a transport document and transfer chains."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from digitrade.systems.documents.dcsa.jws import JwsSigner, PublicKey
from digitrade.systems.documents.dcsa.pint import build_envelope, build_issuance_manifest
from tests.support import official_fixture

TD_TEMPLATE = "dcsa-ebl/conformance-messages/pint-3.0.0-transport-document.json"


def party(name: str, platform: str, code: str) -> dict[str, Any]:
    return {
        "partyName": name,
        "eblPlatform": platform,
        "identifyingCodes": [{"codeListProvider": "W3C", "partyCode": code, "codeListName": "DID"}],
    }


CARRIER = party("Carrier Line", "WAVE", "did:web:carrier.example")
SHIPPER = party("Shipper Ltd", "BOLE", "did:web:shipper.example")
BUYER = party("Buyer GmbH", "CARX", "did:web:buyer.example")
CONSIGNEE = party("Consignee SA", "WAVE", "did:web:consignee.example")
BANK = party("Trade Bank", "BOLE", "did:web:bank.example")


def tx(
    action: str, actor: dict[str, Any], recipient: dict[str, Any] | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "actionCode": action,
        "actor": actor,
        "actionDateTime": "2025-01-02T03:04:05.678Z",
    }
    if recipient is not None:
        out["recipient"] = recipient
    return out


@dataclass
class Keys:
    """One signing key per platform plus the carrier's, and a resolver by kid."""

    signers: dict[str, JwsSigner] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.signers = {
            "CARRIER": JwsSigner(Ed25519PrivateKey.generate(), "carrier-key-1"),
            "WAVE": JwsSigner(Ed25519PrivateKey.generate(), "wave-key-1"),
            "BOLE": JwsSigner(ec.generate_private_key(ec.SECP256R1()), "bole-key-1"),
            "CARX": JwsSigner(rsa.generate_private_key(65537, 2048), "carx-key-1"),
        }

    def public(self) -> dict[str, PublicKey]:
        return {s.kid: s.key.public_key() for s in self.signers.values()}

    def resolver(self, *, without: str | None = None) -> Any:
        table = self.public()
        if without:
            table.pop(self.signers[without].kid)
        return table.get


def transport_document(*, is_to_order: bool = False) -> dict[str, Any]:
    """The DCSA conformance PINT transport document with its placeholders filled in."""
    text = official_fixture(TD_TEMPLATE).read_text(encoding="utf-8")
    for token, value in {
        "TRANSPORT_DOCUMENT_REFERENCE_PLACEHOLDER": "TDREF0001",
        "SHIPPING_INSTRUCTION_REFERENCE_PLACEHOLDER": "SIREF0001",
        "BOOKING_REFERENCE_PLACEHOLDER": "CBR0001",
    }.items():
        text = text.replace(token, value)
    document: dict[str, Any] = json.loads(text)
    document["isToOrder"] = is_to_order
    return document


def straight_chain(keys: Keys, document: dict[str, Any]) -> list[dict[str, Any]]:
    """Envelopes of ISSUE (carrier@WAVE -> shipper@BOLE), TRANSFER (-> buyer@CARX) and TRANSFER
    (-> consignee@WAVE), one per hop; each is what the sending platform posts."""
    issuance = build_issuance_manifest(document, SHIPPER, keys.signers["CARRIER"])
    first = build_envelope(
        document,
        [],
        {
            "eblPlatform": "WAVE",
            "issuanceManifestSignedContent": issuance,
            "transactions": [tx("ISSUE", CARRIER, SHIPPER)],
        },
        keys.signers["WAVE"],
    )
    second = build_envelope(
        document,
        first["envelopeTransferChain"],
        {"eblPlatform": "BOLE", "transactions": [tx("TRANSFER", SHIPPER, BUYER)]},
        keys.signers["BOLE"],
    )
    third = build_envelope(
        document,
        second["envelopeTransferChain"],
        {"eblPlatform": "CARX", "transactions": [tx("TRANSFER", BUYER, CONSIGNEE)]},
        keys.signers["CARX"],
    )
    return [first, second, third]
