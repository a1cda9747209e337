"""DCSA PINT 3.0 transfers of eBLs between this platform and its peers (EBL_PINT_v3.0.0.yaml).

Receiving (``POST /v3/envelopes``, ``PUT .../additional-documents/{checksum}``,
``PUT .../finish-transfer``, ``POST /v3/receiver-validation``): an envelope is checked with the
pure engine (``dcsa.pint.verify_envelope``) against the keys of the registered peers and against
what this platform already accepted for the same transport document, so a replay is answered
``DUPE`` and a fork ``DISE``. Every answer is a signed ``EnvelopeTransferFinishedResponse``.
Accepted eBLs are recorded as controlled by the recipient organisation here.

Sending: the holder's TRANSFER to a party on a peer platform (``service.transfer_out``), the
envelope built from the stored credential and title chain, posted to the peer, and the peer's
signed answer verified. Anything but ``RECE`` / ``DUPE`` rolls the transfer back: the sender keeps
control.

The only writer of the ``documents_pint_`` tables. Functions ``flush()``, never ``commit()``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from digitrade.core import audit
from digitrade.core.auth.models import Organisation
from digitrade.core.auth.principal import Principal
from digitrade.core.config import get_settings
from digitrade.core.crypto.jcs import canonicalize
from digitrade.core.crypto.keys import SigningKey, create_signing_key, load_private_key
from digitrade.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ServiceUnavailable,
    validation_error,
)
from digitrade.systems.documents import service
from digitrade.systems.documents.dcsa import jws, pint
from digitrade.systems.documents.models import Document, IssuerKey
from digitrade.systems.documents.permissions import READ
from digitrade.systems.documents.pint_models import PintEbl, PintEnvelope, PintPeer
from digitrade.systems.documents.schemas import DocumentDetail

PLATFORM_KEY_NAME = "documents/platform/pint"
PLATFORM_KEY_PURPOSE = "documents.pint"
API_VERSION_MAJOR = "3"
MAX_ENVELOPE_BYTES = 4 * 1024 * 1024
MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
# ``eblPlatform`` is at most 4 characters (EBL_PINT_v3.0.0.yaml, EnvelopeTransferChainEntry).
PINT_CODE_MAX = 4
VC_MEDIA_TYPE = "application/vc"
_SYSTEM = Principal.system("pint")


class BadPeerAnswer(DomainError):
    """The peer platform answered, but not with something this platform can accept."""

    code = "pint-bad-answer"
    status = 502
    title = "The peer platform's answer was not acceptable"


# ---------------------------------------------------------------------------------------------
# Keys: this platform's PINT signing key and the keys of its peers


def _kek() -> str:
    return get_settings().key_encryption_key.get_secret_value()


def platform_code() -> str:
    return get_settings().ebl_platform_code


def _require_pint_code() -> str:
    code = platform_code()
    if len(code) > PINT_CODE_MAX:
        raise Conflict(
            f"this platform's eBL platform code {code!r} is longer than the {PINT_CODE_MAX} "
            "characters PINT allows (eblPlatform); set DIGITRADE_EBL_PLATFORM_CODE"
        )
    return code


def _platform_key(session: Session) -> SigningKey:
    """The platform's PINT key (Ed25519), created on first use."""
    row = session.scalar(select(SigningKey).where(SigningKey.name == PLATFORM_KEY_NAME))
    if row is None:
        row = create_signing_key(
            session, name=PLATFORM_KEY_NAME, purpose=PLATFORM_KEY_PURPOSE, kek=_kek()
        )
    return row


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _okp_jwk(public_raw: bytes, kid: str | None = None) -> dict[str, Any]:
    jwk: dict[str, Any] = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(public_raw)}
    jwk["kid"] = kid or jwk_thumbprint(jwk)
    jwk.update({"alg": "EdDSA", "use": "sig"})
    return jwk


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638 thumbprint (SHA-256, base64url): a stable ``kid`` for a key."""
    members = {
        "OKP": ("crv", "kty", "x"),
        "EC": ("crv", "kty", "x", "y"),
        "RSA": ("e", "kty", "n"),
    }.get(str(jwk.get("kty")))
    if members is None:
        raise validation_error("public_key", f"unsupported JWK kty {jwk.get('kty')!r}")
    return _b64url(hashlib.sha256(canonicalize({m: jwk.get(m) for m in members})).digest())


def platform_jwk(session: Session) -> dict[str, Any]:
    """This platform's PINT public key as a JWK (RFC 8037) whose ``kid`` is its RFC 7638
    thumbprint, the ``kid`` of every JWS this platform signs in PINT."""
    return _okp_jwk(_platform_key(session).public_key)


def platform_jwks(session: Session) -> dict[str, Any]:
    """A JWK Set (RFC 7517 section 5) a peer registers: the platform key first, then the active
    document keys of this platform's organisations, which sign issuance manifests (``kid``: the
    did:web verification method)."""
    keys = [platform_jwk(session)]
    query = (
        select(Organisation.slug, IssuerKey.fragment, SigningKey.public_key)
        .join(IssuerKey, IssuerKey.organisation_id == Organisation.id)
        .join(SigningKey, SigningKey.id == IssuerKey.signing_key_id)
        .where(IssuerKey.revoked_at.is_(None))
        .order_by(Organisation.slug, IssuerKey.id)
    )
    for slug, fragment, public in session.execute(query).tuples():
        keys.append(_okp_jwk(public, f"{service.issuer_did(slug)}#{fragment}"))
    return {"keys": keys}


def platform_signer(session: Session) -> jws.JwsSigner:
    row = _platform_key(session)
    return jws.JwsSigner(load_private_key(row, kek=_kek()), _okp_jwk(row.public_key)["kid"])


def carrier_signer(session: Session, organisation_id: int) -> jws.JwsSigner:
    """The issuing organisation's active document key, which signs the ``IssuanceManifest``."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(f"no organisation {organisation_id}")
    issuer_key, signing_key = service._signing_key(session, organisation)
    return jws.JwsSigner(
        load_private_key(signing_key, kek=_kek()),
        f"{service.issuer_did(organisation.slug)}#{issuer_key.fragment}",
    )


def public_key_from_jwk(jwk: Mapping[str, Any]) -> jws.PublicKey:
    """A public key from a JWK: OKP Ed25519 (RFC 8037), EC P-256 or RSA (RFC 7518 section 6)."""
    try:
        kty = jwk.get("kty")
        if kty == "OKP" and jwk.get("crv") == "Ed25519":
            return Ed25519PublicKey.from_public_bytes(_b64url_decode(str(jwk["x"])))
        if kty == "EC" and jwk.get("crv") == "P-256":
            return ec.EllipticCurvePublicNumbers(
                int.from_bytes(_b64url_decode(str(jwk["x"])), "big"),
                int.from_bytes(_b64url_decode(str(jwk["y"])), "big"),
                ec.SECP256R1(),
            ).public_key()
        if kty == "RSA":
            return rsa.RSAPublicNumbers(
                int.from_bytes(_b64url_decode(str(jwk["e"])), "big"),
                int.from_bytes(_b64url_decode(str(jwk["n"])), "big"),
            ).public_key()
    except (KeyError, ValueError, binascii.Error) as exc:
        raise validation_error("public_key", f"not a usable JWK: {exc}") from None
    raise validation_error("public_key", "a JWK of an Ed25519, P-256 or RSA key")


def _as_jwk(value: Mapping[str, Any] | str, kid: str | None, field: str) -> dict[str, Any]:
    """A JWK with a ``kid`` from a JWK or a raw Ed25519 public key (hex or base64)."""
    if isinstance(value, Mapping):
        jwk = dict(value)
        public_key_from_jwk(jwk)  # refuses unusable keys now, not at the first transfer
    else:
        text = value.strip()
        raw: bytes | None = None
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            try:
                raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_")
            except (binascii.Error, ValueError):
                raw = None
        if raw is None or len(raw) != 32:
            raise validation_error(field, "a JWK or a raw Ed25519 public key (32 bytes)")
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw)}
    if kid:
        jwk["kid"] = kid
    if not jwk.get("kid"):
        jwk["kid"] = jwk_thumbprint(jwk)
    return jwk


def _resolver(session: Session) -> jws.KeyResolver:
    """Keys trusted for PINT signatures: this platform's own (its PINT key and its issuers'
    document keys) and every key registered for a peer."""
    keys: dict[str, jws.PublicKey] = dict(service._platform_keys(session))
    own = platform_jwk(session)
    keys[own["kid"]] = public_key_from_jwk(own)
    for peer in session.scalars(select(PintPeer)):
        for jwk in [peer.public_jwk, *(peer.extra_keys or [])]:
            kid = jwk.get("kid")
            if isinstance(kid, str):
                keys.setdefault(kid, public_key_from_jwk(jwk))
    return lambda kid: keys.get(kid or "")


def trusted_key_resolver(session: Session) -> jws.KeyResolver:
    """The keys a verifier of a PINT envelope trusts here, read only (nothing is created):
    this platform's document keys and PINT key if it has one, and every registered peer's."""
    keys: dict[str, jws.PublicKey] = dict(service._platform_keys(session))
    own = session.scalar(select(SigningKey).where(SigningKey.name == PLATFORM_KEY_NAME))
    if own is not None:
        jwk = _okp_jwk(own.public_key)
        keys[jwk["kid"]] = public_key_from_jwk(jwk)
    for peer in session.scalars(select(PintPeer)):
        for entry in [peer.public_jwk, *(peer.extra_keys or [])]:
            kid = entry.get("kid")
            if isinstance(kid, str):
                keys.setdefault(kid, public_key_from_jwk(entry))
    return lambda kid: keys.get(kid or "")


def _peer_resolver(peer: PintPeer) -> jws.KeyResolver:
    key = public_key_from_jwk(peer.public_jwk)
    return lambda kid: key if kid == peer.kid else None


# ---------------------------------------------------------------------------------------------
# Peers


class PeerRegistration(BaseModel):
    platform_code: str = Field(pattern=r"^[A-Z0-9]{2,4}$", description="its eblPlatform code")
    base_url: str = Field(
        pattern=r"^https?://\S+$",
        max_length=500,
        description="the URL under which its PINT API answers /v3/envelopes",
    )
    public_key: dict[str, Any] | str = Field(
        description="its platform signing key: a JWK, or a raw Ed25519 key in hex or base64"
    )
    kid: str | None = Field(default=None, max_length=300, description="default: the JWK's kid")
    extra_keys: list[dict[str, Any]] = Field(
        default_factory=list,
        description="further JWKs it vouches for (its carriers' issuance-manifest keys), each "
        "with a kid",
    )


class PeerRead(BaseModel):
    platform_code: str
    base_url: str
    kid: str
    public_jwk: dict[str, Any]
    extra_kids: list[str]
    created_at: dt.datetime


def _peer_read(row: PintPeer) -> PeerRead:
    return PeerRead(
        platform_code=row.platform_code,
        base_url=row.base_url,
        kid=row.kid,
        public_jwk=row.public_jwk,
        extra_kids=[str(k.get("kid")) for k in row.extra_keys or []],
        created_at=row.created_at,
    )


def _require_admin(actor: Principal) -> None:
    if not actor.is_platform_admin:
        raise PermissionDenied("only a platform administrator manages PINT peers")


def register_peer(session: Session, *, actor: Principal, data: PeerRegistration) -> PeerRead:
    """Trust a peer platform's keys and record where its PINT API is (replaces an earlier
    registration of the same code)."""
    _require_admin(actor)
    if data.platform_code == platform_code():
        raise validation_error("platform_code", "that is this platform's own code")
    jwk = _as_jwk(data.public_key, data.kid, "public_key")
    extra = []
    for number, key in enumerate(data.extra_keys):
        if not key.get("kid"):
            raise validation_error(f"extra_keys.{number}", "each key needs its kid")
        extra.append(_as_jwk(key, None, f"extra_keys.{number}"))
    row = session.scalar(select(PintPeer).where(PintPeer.platform_code == data.platform_code))
    if row is None:
        row = PintPeer(platform_code=data.platform_code)
        session.add(row)
    row.base_url = data.base_url.rstrip("/")
    row.kid = str(jwk["kid"])
    row.public_jwk = jwk
    row.extra_keys = extra
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="documents.pint.peer",
        entity_type="documents_pint_peer",
        entity_id=row.id,
        organisation_id=None,
        details={"platform": row.platform_code, "base_url": row.base_url, "kid": row.kid},
    )
    return _peer_read(row)


def list_peers(session: Session, *, actor: Principal) -> list[PeerRead]:
    _require_admin(actor)
    rows = session.scalars(select(PintPeer).order_by(PintPeer.platform_code))
    return [_peer_read(row) for row in rows]


def _peer(session: Session, code: str) -> PintPeer:
    row = session.scalar(select(PintPeer).where(PintPeer.platform_code == code))
    if row is None:
        raise validation_error("recipient.eblPlatform", f"no peer platform {code!r} is registered")
    return row


# ---------------------------------------------------------------------------------------------
# Receiving


@dataclass(frozen=True)
class Answer:
    """What the PINT API returns: a signed response (a JSON string) or the unsigned
    ``EnvelopeTransferStartedResponse`` (201), with its HTTP status."""

    status_code: int
    body: Any


def _signed(code: pint.ResponseCode, token: str) -> Answer:
    return Answer(pint.HTTP_STATUS[code], token)


def _organisation_of_code(session: Session, provider: str, code: str) -> Organisation | None:
    if provider != platform_code():
        return None
    return session.scalar(select(Organisation).where(Organisation.slug == code))


def validate_receiver(session: Session, identifying_code: Mapping[str, Any]) -> dict[str, str]:
    """``POST /v3/receiver-validation``: the party's name when this platform would accept an
    eBL for it (its ``IdentifyingCode``: ``codeListProvider`` = this platform's code,
    ``partyCode`` = the organisation's slug); 404 otherwise."""
    provider, code = identifying_code.get("codeListProvider"), identifying_code.get("partyCode")
    if not isinstance(provider, str) or not isinstance(code, str):
        raise validation_error("body", "an IdentifyingCode: codeListProvider and partyCode")
    organisation = _organisation_of_code(session, provider, code)
    if organisation is None:
        raise NotFound(f"no party {code!r} of code list {provider!r} on this platform")
    return {"partyName": organisation.name[:70]}


def _known_entry_checksums(session: Session, document_checksum: str | None) -> set[str]:
    """Checksums of the chain entries this platform accepted for the transport document."""
    if document_checksum is None:
        return set()
    chains = session.scalars(
        select(PintEbl.chain).where(PintEbl.transport_document_checksum == document_checksum)
    )
    return {pint.checksum_signed_content(entry) for chain in chains for entry in chain}


def _listed_documents(manifest: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    """The additional documents an ``EnvelopeManifest`` announces."""
    if manifest is None:
        return []
    listed = [d for d in manifest.get("supportingDocuments") or [] if isinstance(d, Mapping)]
    visual = manifest.get("eBLVisualisationByCarrier")
    if isinstance(visual, Mapping):
        listed.append(visual)
    return listed


def _holder_here(session: Session, check: pint.EnvelopeCheck) -> int | None:
    """The organisation here that controls the eBL after the envelope, if any."""
    title = check.title
    return None if title is None else service._organisation_of(session, title.holder)


def _verify(
    session: Session,
    envelope: Any,
    *,
    received_documents: Mapping[str, bytes] | None = None,
) -> tuple[pint.EnvelopeCheck, int | None, str | None]:
    """The engine's verdict, the recipient organisation here, and a reason to refuse with BENV
    that the engine cannot know (the holder is not a party of this platform)."""
    document = envelope.get("transportDocument") if isinstance(envelope, Mapping) else None
    checksum = pint.checksum_document(document) if isinstance(document, Mapping) else None
    check = pint.verify_envelope(
        envelope,
        _resolver(session),
        known_entry_checksums=_known_entry_checksums(session, checksum),
        receiving_platform=platform_code(),
        received_documents=received_documents,
    )
    if check.response_code not in (pint.ResponseCode.RECE, pint.ResponseCode.MDOC):
        return check, None, None
    holder = _holder_here(session, check)
    if holder is None:
        title = check.title
        who = title.holder.label if title is not None and title.holder is not None else "nobody"
        reason = f"the eBL would be controlled by {who}, not by a party of this platform"
        return check, None, f"{reason} ({platform_code()})"
    return check, holder, None


def _refuse(
    session: Session, check: pint.EnvelopeCheck, reason: str, reference: str | None
) -> Answer:
    assert check.last_entry_checksum is not None
    code = pint.ResponseCode.BENV
    token = pint.build_response(
        code,
        platform_signer(session),
        last_entry_checksum=check.last_entry_checksum,
        transport_document_checksum=check.transport_document_checksum,
        envelope_reference=reference,
        reason=reason,
    )
    return _signed(code, token)


def _not_an_envelope(check: pint.EnvelopeCheck) -> DomainError:
    reason = "; ".join(f.message for f in check.findings[:5]) or "not an EblEnvelope"
    return validation_error("envelope", reason)


def receive_envelope(session: Session, envelope: Any) -> Answer:
    """``POST /v3/envelopes``: verify the envelope; refuse it with a signed response (nothing
    is recorded), accept it at once (no additional documents), or start the transfer and list
    the additional documents still to come (201)."""
    _require_pint_code()
    check, holder, refusal = _verify(session, envelope)
    if check.last_entry_checksum is None or check.transport_document_checksum is None:
        raise _not_an_envelope(check)
    if refusal is not None:
        return _refuse(session, check, refusal, None)
    if check.response_code is not pint.ResponseCode.RECE:
        return _signed(check.response_code, pint.response_for(check, platform_signer(session)))
    assert holder is not None and isinstance(envelope, Mapping)
    # A retry of a transfer already started is the same transfer (POST /v3/envelopes, 201).
    row = session.scalar(
        select(PintEnvelope).where(
            PintEnvelope.direction == "in",
            PintEnvelope.status == "started",
            PintEnvelope.last_entry_checksum == check.last_entry_checksum,
        )
    )
    if row is None:
        row = PintEnvelope(
            reference=secrets.token_urlsafe(30),
            direction="in",
            peer_platform=_sender(check),
            transport_document_checksum=check.transport_document_checksum,
            last_entry_checksum=check.last_entry_checksum,
            envelope=dict(envelope),
            additional_documents={},
            status="started",
            recipient_organisation_id=holder,
        )
        session.add(row)
    else:
        row.envelope = dict(envelope)  # a retry may announce its documents differently
    session.flush()
    missing = [
        str(d.get("documentChecksum"))
        for d in _listed_documents(check.manifest)
        if d.get("documentChecksum") not in row.additional_documents
    ]
    if not missing:
        return finish_transfer(session, row.reference)
    return Answer(
        201,
        {
            "envelopeReference": row.reference,
            "transportDocumentChecksum": row.transport_document_checksum,
            "lastEnvelopeTransferChainEntrySignedContentChecksum": row.last_entry_checksum,
            "missingAdditionalDocumentChecksums": missing,
        },
    )


def _sender(check: pint.EnvelopeCheck) -> str:
    return str(check.entries[-1].get("eblPlatform", "")) if check.entries else ""


def _started(session: Session, reference: str) -> PintEnvelope:
    row = session.scalar(
        select(PintEnvelope)
        .where(PintEnvelope.reference == reference, PintEnvelope.direction == "in")
        .with_for_update()
    )
    if row is None:
        raise NotFound(f"no envelope transfer {reference!r}")
    return row


def receive_additional_document(
    session: Session, reference: str, document_checksum: str, content: bytes
) -> None:
    """``PUT /v3/envelopes/{envelopeReference}/additional-documents/{documentChecksum}``: keep
    a document the manifest announced, once its SHA-256 and size match (409 otherwise)."""
    row = _started(session, reference)
    if row.status != "started":
        raise Conflict(f"envelope transfer {reference} is already {row.status}")
    manifest = jws.decode_compact(row.envelope["envelopeManifestSignedContent"]).json_payload()
    metadata = next(
        (d for d in _listed_documents(manifest) if d.get("documentChecksum") == document_checksum),
        None,
    )
    if metadata is None:
        raise Conflict(f"document {document_checksum} is not announced in the envelope manifest")
    problem = pint.check_additional_document(metadata, content)
    if problem is not None:
        raise Conflict(problem, extra={"responseCode": pint.ResponseCode.INCD.value})
    row.additional_documents = {
        **row.additional_documents,
        document_checksum: base64.b64encode(content).decode("ascii"),
    }
    session.flush()


def finish_transfer(session: Session, reference: str) -> Answer:
    """``PUT /v3/envelopes/{envelopeReference}/finish-transfer``: the final signed answer. RECE
    records the eBL as controlled by the recipient here; MDOC / INCD leave the transfer open for
    the sender to send the documents again; any other code closes it. Finishing again repeats
    the answer given."""
    row = _started(session, reference)
    if row.status != "started" and row.signed_response and row.response_code:
        return _signed(pint.ResponseCode(row.response_code), row.signed_response)
    # Lock what is held for this document first, so two transfers of it cannot both be
    # judged against the same (older) knowledge and both accepted.
    session.scalar(
        select(PintEbl.id)
        .where(PintEbl.transport_document_checksum == row.transport_document_checksum)
        .with_for_update()
    )
    received = {k: base64.b64decode(v) for k, v in row.additional_documents.items()}
    check, holder, refusal = _verify(session, row.envelope, received_documents=received)
    if check.last_entry_checksum is None:
        raise _not_an_envelope(check)
    reason: str | None
    if refusal is not None:
        answer = _refuse(session, check, refusal, reference)
        code, reason = pint.ResponseCode.BENV, refusal
    else:
        code, reason = check.response_code, check.reason
        token = pint.response_for(
            check,
            platform_signer(session),
            envelope_reference=reference,
            received_document_checksums=sorted(received),
        )
        answer = _signed(code, token)
    if code in (pint.ResponseCode.MDOC, pint.ResponseCode.INCD):
        return answer  # still open: the sender may send the documents and finish again
    row.status = "accepted" if code is pint.ResponseCode.RECE else "refused"
    row.response_code, row.reason, row.signed_response = code.value, reason, answer.body
    if code is pint.ResponseCode.RECE:
        assert holder is not None
        _record_ebl(session, row, check, holder)
    session.flush()
    return answer


def _record_ebl(
    session: Session, envelope: PintEnvelope, check: pint.EnvelopeCheck, holder: int
) -> PintEbl:
    assert check.title is not None and check.transport_document_checksum is not None
    document = envelope.envelope["transportDocument"]
    row = session.scalar(
        select(PintEbl).where(
            PintEbl.transport_document_checksum == check.transport_document_checksum
        )
    )
    if row is None:
        row = PintEbl(transport_document_checksum=check.transport_document_checksum)
        session.add(row)
    row.transport_document_reference = str(document.get("transportDocumentReference", ""))[:100]
    row.transport_document = document
    row.chain = list(envelope.envelope["envelopeTransferChain"])
    row.title_state = service._state_json(check.title)
    row.title_status = check.title.status.value
    row.holder_organisation_id = holder
    row.status = "held"
    row.sender_platform = envelope.peer_platform
    row.envelope_reference = envelope.reference
    session.flush()
    audit.record(
        session,
        actor=_SYSTEM,
        action="documents.pint.receive",
        entity_type="documents_pint_ebl",
        entity_id=row.id,
        organisation_id=holder,
        details={
            "reference": row.transport_document_reference,
            "from": envelope.peer_platform,
            "envelope": envelope.reference,
            "lastEntryChecksum": check.last_entry_checksum,
        },
    )
    return row


class ReceivedEbl(BaseModel):
    id: int
    transport_document_reference: str
    transport_document_checksum: str
    title_status: str
    holder_organisation_id: int | None
    status: str
    sender_platform: str
    envelope_reference: str
    chain_length: int
    title_state: dict[str, Any]
    transport_document: dict[str, Any]
    received_at: dt.datetime


def list_received(session: Session, *, actor: Principal, organisation_id: int) -> list[ReceivedEbl]:
    """The eBLs received from peer platforms that the organisation controls now."""
    actor.require(READ, organisation_id)
    rows = session.scalars(
        select(PintEbl)
        .where(PintEbl.holder_organisation_id == organisation_id)
        .order_by(PintEbl.id.desc())
    )
    return [
        ReceivedEbl(
            id=row.id,
            transport_document_reference=row.transport_document_reference,
            transport_document_checksum=row.transport_document_checksum,
            title_status=row.title_status,
            holder_organisation_id=row.holder_organisation_id,
            status=row.status,
            sender_platform=row.sender_platform,
            envelope_reference=row.envelope_reference,
            chain_length=len(row.chain),
            title_state=row.title_state,
            transport_document=row.transport_document,
            received_at=row.created_at,
        )
        for row in rows
    ]


# ---------------------------------------------------------------------------------------------
# Sending


class IdentifyingCode(BaseModel):
    codeListProvider: str = Field(max_length=100)
    partyCode: str = Field(max_length=150)
    codeListName: str | None = Field(default=None, max_length=100)


class RecipientParty(BaseModel):
    """A PINT ``RecipientParty``: who receives the eBL on the peer platform."""

    partyName: str = Field(min_length=1, max_length=70)
    eblPlatform: str = Field(pattern=r"^[A-Z0-9]{2,4}$")
    identifyingCodes: list[IdentifyingCode] = Field(min_length=1)


class SendRequest(BaseModel):
    document_id: int
    acting_organisation_id: int = Field(description="the holder, who transfers")
    recipient: RecipientParty
    expected_sequence: int | None = Field(
        default=None, description="refuse if the eBL moved since (replay protection)"
    )


class SendResult(BaseModel):
    response_code: str
    reason: str | None
    envelope_reference: str
    signed_response: str = Field(description="the peer's signed EnvelopeTransferFinishedResponse")
    peer: str
    document: DocumentDetail


@dataclass(frozen=True)
class _Outgoing:
    envelope: dict[str, Any]
    documents: dict[str, bytes]  # checksum -> content of the additional documents
    last_entry_checksum: str
    transport_document_checksum: str


def _build_outgoing(session: Session, row: Document, code: str) -> _Outgoing:
    """The envelope for an eBL issued here: the credential's subject as the transport document,
    one chain entry signed by this platform's PINT key with every title transaction, the
    issuance manifest signed by the carrier, and the signed credential as supporting document."""
    transport_document: dict[str, Any] = row.credential["credentialSubject"]
    transactions = service.title_transactions(session, document_id=row.id)
    issue_to = transactions[0].get("recipient") or {}
    issuance = pint.build_issuance_manifest(
        transport_document, issue_to, carrier_signer(session, row.organisation_id)
    )
    credential = canonicalize(row.credential)
    metadata: dict[str, Any] = {
        "name": f"{row.reference}.credential.json"[:100],
        "size": len(credential),
        "mediaType": VC_MEDIA_TYPE,
        "documentChecksum": pint.sha256_hex(credential),
    }
    envelope = pint.build_envelope(
        transport_document,
        [],
        {
            "eblPlatform": code,
            "issuanceManifestSignedContent": issuance,
            "transactions": transactions,
        },
        platform_signer(session),
        supporting_documents=[metadata],
    )
    return _Outgoing(
        envelope=envelope,
        documents={str(metadata["documentChecksum"]): credential},
        last_entry_checksum=pint.checksum_signed_content(envelope["envelopeTransferChain"][-1]),
        transport_document_checksum=pint.checksum_document(transport_document),
    )


def _answer_token(response: httpx.Response, peer: PintPeer) -> str:
    """The signed response in a PINT answer, or the peer's own error as a refusal."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, str):
        return body
    detail = body.get("detail") if isinstance(body, Mapping) else None
    raise BadPeerAnswer(
        f"{peer.platform_code} answered HTTP {response.status_code} without a signed response"
        + (f": {detail}" if detail else ""),
        extra={"httpStatus": response.status_code},
    )


def _exchange(client: httpx.Client, peer: PintPeer, outgoing: _Outgoing) -> tuple[str, str | None]:
    """Post the envelope, send what the peer asks for, finish; the signed token and the
    envelope reference the peer gave."""
    base = peer.base_url
    response = client.post(f"{base}/v3/envelopes", json=outgoing.envelope)
    if response.status_code != 201:
        return _answer_token(response, peer), None
    started = response.json()
    reference = str(started.get("envelopeReference", ""))
    if not reference or "/" in reference:
        raise BadPeerAnswer(f"{peer.platform_code} gave no usable envelopeReference")
    for checksum in started.get("missingAdditionalDocumentChecksums") or []:
        content = outgoing.documents.get(str(checksum))
        if content is None:
            raise BadPeerAnswer(f"{peer.platform_code} asked for an unknown document {checksum}")
        put = client.put(
            f"{base}/v3/envelopes/{reference}/additional-documents/{checksum}",
            json=base64.b64encode(content).decode("ascii"),
        )
        if put.status_code != 204:
            _answer_token(put, peer)  # raises with the peer's reason
    finished = client.put(f"{base}/v3/envelopes/{reference}/finish-transfer")
    return _answer_token(finished, peer), reference


def send(
    session: Session,
    *,
    actor: Principal,
    request: SendRequest,
    timeout: float = 15.0,
    transport: httpx.BaseTransport | None = None,
) -> SendResult:
    """Transfer an eBL held here to a party on a peer platform (PINT). The TRANSFER is recorded
    (signed by the holder, anchored) inside a savepoint; only a verified RECE or DUPE from the
    peer keeps it, anything else rolls it back and the holder keeps control."""
    code = _require_pint_code()
    recipient = request.recipient.model_dump(exclude_none=True)
    peer = _peer(session, request.recipient.eblPlatform)
    savepoint = session.begin_nested()
    try:
        event = service.transfer_out(
            session,
            actor=actor,
            document_id=request.document_id,
            acting_organisation_id=request.acting_organisation_id,
            recipient_party=recipient,
            expected_sequence=request.expected_sequence,
        )
        row = session.get(Document, request.document_id)
        assert row is not None
        outgoing = _build_outgoing(session, row, code)
        try:
            with httpx.Client(
                timeout=timeout,
                transport=transport,
                headers={"API-Version": API_VERSION_MAJOR},
            ) as client:
                token, reference = _exchange(client, peer, outgoing)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(
                f"peer platform {peer.platform_code} at {peer.base_url} could not be reached "
                f"({type(exc).__name__}); the eBL stays with its holder"
            ) from None
        verified = _verify_answer(token, peer, outgoing)
        if verified.response_code not in (pint.ResponseCode.RECE, pint.ResponseCode.DUPE):
            reason = verified.payload.get("reason")
            raise Conflict(
                f"{peer.platform_code} refused the eBL with {verified.response_code.value}"
                + (f": {reason}" if reason else "")
                + "; the eBL stays with its holder",
                extra={
                    "responseCode": verified.response_code.value,
                    "reason": reason,
                    "signedResponse": token,
                },
            )
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
    envelope_row = PintEnvelope(
        reference=reference or f"out-{secrets.token_urlsafe(24)}",
        direction="out",
        peer_platform=peer.platform_code,
        transport_document_checksum=outgoing.transport_document_checksum,
        last_entry_checksum=outgoing.last_entry_checksum,
        envelope=outgoing.envelope,
        additional_documents={},
        status="accepted",
        response_code=verified.response_code.value,
        reason=verified.payload.get("reason"),
        signed_response=token,
        document_id=request.document_id,
    )
    session.add(envelope_row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="documents.pint.send",
        entity_type="documents_document",
        entity_id=request.document_id,
        organisation_id=request.acting_organisation_id,
        details={
            "peer": peer.platform_code,
            "envelope": envelope_row.reference,
            "responseCode": verified.response_code.value,
            "sequence": event.sequence,
        },
    )
    return SendResult(
        response_code=verified.response_code.value,
        reason=verified.payload.get("reason"),
        envelope_reference=envelope_row.reference,
        signed_response=token,
        peer=peer.platform_code,
        # the sender no longer holds the eBL, but sees the transfer it just made
        document=service._detail(session, row),
    )


def _verify_answer(token: str, peer: PintPeer, outgoing: _Outgoing) -> pint.VerifiedResponse:
    """The peer's signed answer, checked against its registered key and this very envelope."""
    try:
        verified = pint.verify_response(token, _peer_resolver(peer))
    except (jws.JwsError, ValueError) as exc:
        raise BadPeerAnswer(
            f"the answer of {peer.platform_code} does not verify with its registered key: {exc}"
        ) from None
    stated = verified.payload.get("lastEnvelopeTransferChainEntrySignedContentChecksum")
    if stated != outgoing.last_entry_checksum:
        raise BadPeerAnswer(
            f"the answer of {peer.platform_code} is about another envelope (last entry {stated})"
        )
    return verified


def outgoing_envelopes(session: Session, *, document_id: int) -> Sequence[PintEnvelope]:
    """The envelopes sent for a document here, oldest first."""
    return list(
        session.scalars(
            select(PintEnvelope)
            .where(PintEnvelope.document_id == document_id, PintEnvelope.direction == "out")
            .order_by(PintEnvelope.id)
        )
    )
