"""Verifiable trade documents and electronic bills of lading (plan item: strengthen the online
verification and use of electronic documents like bills of lading, letters of credit and crew
certificates; DEPA cooperation on electronic bills of lading).

Pure engines: W3C Verifiable Credentials with the ``eddsa-jcs-2022`` cryptosuite, did:key and
did:web, Bitstring Status Lists (``vc``); OpenAttestation / TradeTrust verification
(``openattestation``); DCSA eBL 3.0 schemas, the title state machine and PINT 3.0 envelopes
(``dcsa``); documentary credits, crew certificates, certificates of origin and the UCP 600 /
eUCP examination of presentations (``types``). ``service`` issues, transfers and verifies;
``api`` serves ``/api/documents``; ``digitrade documents`` is the command line.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitrade.core.ledger.kinds import EntryKind
from digitrade.core.registry import SystemModule
from digitrade.systems.documents import api, cli, pages, pint_models  # noqa: F401
from digitrade.systems.documents.demo import load_demo
from digitrade.systems.documents.models import Document
from digitrade.systems.documents.permissions import PERMISSIONS
from digitrade.systems.documents.service import ISSUE_KIND, STATUS_KIND, TITLE_KIND

_DIGEST = {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"}

LEDGER_KINDS = (
    EntryKind(
        ISSUE_KIND,
        1,
        "A document issued as a W3C credential: its id, kind, reference, issuer DID and the "
        "SHA-256 of the signed credential in JCS form (the content itself stays off the log).",
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["document", "kind", "reference", "issuer", "credentialDigest"],
            "properties": {
                "document": {"type": "string"},
                "kind": {"type": "string"},
                "reference": {"type": "string"},
                "issuer": {"type": "string"},
                "credentialDigest": _DIGEST,
            },
        },
    ),
    EntryKind(
        TITLE_KIND,
        1,
        "A title transaction on an electronic bill of lading (ISSUE, TRANSFER, ENDORSE..., "
        "SURRENDER_*, SACC, SREJ, VOID): the document, its sequence number and the SHA-256 of "
        "the transaction as signed by its actor.",
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["document", "sequence", "action", "checksum"],
            "properties": {
                "document": {"type": "string"},
                "sequence": {"type": "integer"},
                "action": {"type": "string"},
                "checksum": _DIGEST,
            },
        },
    ),
    EntryKind(
        STATUS_KIND,
        1,
        "A credential revoked, suspended or reinstated by its issuer.",
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["document", "purpose", "value"],
            "properties": {
                "document": {"type": "string"},
                "purpose": {"enum": ["revocation", "suspension"]},
                "value": {"type": "boolean"},
            },
        },
    ),
)


def _status(session: Session) -> tuple[bool, str]:
    documents = session.scalar(select(func.count(Document.id))) or 0
    ebls = (
        session.scalar(select(func.count(Document.id)).where(Document.kind == "transport-document"))
        or 0
    )
    return True, f"{documents} documents issued, {ebls} electronic bills of lading"


module = SystemModule(
    name="documents",
    title="Verifiable trade documents",
    title_zh="可验证贸易单证",
    summary="Electronic bills of lading with exclusive control, documentary credits, crew "
    "certificates and certificates of origin as W3C credentials; verification of any document "
    "online or offline.",
    summary_zh="具有排他控制的电子提单、跟单信用证、船员证书和原产地证书以 W3C 可验证凭证签发；"
    "任何单证均可在线或离线核验。",
    plan_item="Strengthen the online verification and use of electronic documents like bills of "
    "lading, letters of credit and crew certificates",
    api=api.router,
    pages=pages.router,
    cli=cli.app,
    permissions=PERMISSIONS,
    status=_status,
    demo=load_demo,
    ledger_kinds=LEDGER_KINDS,
    docs_path="docs/systems/documents.md",
)
