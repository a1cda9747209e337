"""Verifiable documents: issuers' keys and did:web documents, issuing W3C credentials anchored in
the ledger, revocation and suspension with Bitstring Status Lists, the title of electronic bills
of lading (exclusive control, each action signed and anchored), and verification of any file
(W3C VC, OpenAttestation, DCSA PINT envelope).

The only writer of the ``documents_`` tables. Functions ``flush()``, never ``commit()``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import uuid as uuid_module
from collections.abc import Callable, Mapping
from dataclasses import asdict, replace
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from digitrade.core import audit
from digitrade.core.auth.models import Organisation
from digitrade.core.auth.principal import Principal
from digitrade.core.config import get_settings
from digitrade.core.crypto.keys import SigningKey, create_signing_key, unseal
from digitrade.core.db import utcnow
from digitrade.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    ServiceUnavailable,
    validation_error,
)
from digitrade.core.ledger import service as ledger
from digitrade.systems.documents import openattestation
from digitrade.systems.documents.dcsa import jws, pint, schema, states
from digitrade.systems.documents.models import Document, IssuerKey, TitleEvent
from digitrade.systems.documents.permissions import ISSUE, KEYS, READ, TRANSFER
from digitrade.systems.documents.schemas import (
    Check,
    DocumentDetail,
    DocumentRead,
    IssueRequest,
    KeyRead,
    TitleEventRead,
    VerificationReport,
)
from digitrade.systems.documents.types import presentation, registry
from digitrade.systems.documents.types.transport import summary_from_dcsa
from digitrade.systems.documents.vc import did as did_module
from digitrade.systems.documents.vc import eddsa_jcs_2022 as suite
from digitrade.systems.documents.vc import status_list
from digitrade.systems.documents.vc.multibase import public_key_multibase

ISSUE_KIND = "documents.issue"
TITLE_KIND = "documents.title"
STATUS_KIND = "documents.status"
TRANSPORT = "transport-document"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
MAX_VERIFY_BYTES = 2 * 1024 * 1024
_KEY_PURPOSE = "documents.issuer"
_PURPOSES: tuple[status_list.StatusPurpose, ...] = ("revocation", "suspension")
_ISSUERS_PATH = ("api", "documents", "issuers")

# Which field of each subject is the document's own reference (number printed on it).
_REFERENCE_FIELDS = {
    TRANSPORT: ("transportDocumentReference",),
    "documentary-credit": ("creditNumber", "documentaryCreditNumber"),
    "crew-certificate": ("certificateNumber",),
    "certificate-of-origin": ("certificateNumber",),
}


# ---------------------------------------------------------------------------------------------
# Identity: organisations' did:web and keys


def _kek() -> str:
    return get_settings().key_encryption_key.get_secret_value()


@functools.lru_cache(maxsize=256)
def _unsealed(name: str, sealed: bytes, kek: str) -> Ed25519PrivateKey:
    """Opening a sealed key costs a key derivation; keys never change once written, so an
    opened key is kept (the sealed bytes are part of the cache key)."""
    return Ed25519PrivateKey.from_private_bytes(unseal(sealed, kek=kek, context=name))


def _private_key(signing_key: SigningKey) -> Ed25519PrivateKey:
    return _unsealed(signing_key.name, signing_key.sealed_private_key, _kek())


def _transaction_cache(session: Session, name: str) -> dict[Any, Any]:
    """A dict that lives as long as the session's current transaction (a rollback or a commit
    starts a new one, so nothing written in a rolled-back transaction is remembered)."""
    session.connection()  # begins the transaction if none is open yet
    transaction = session.get_transaction()
    entry = session.info.get(name)
    if entry is None or entry[0] is not transaction:
        entry = (transaction, {})
        session.info[name] = entry
    cache: dict[Any, Any] = entry[1]
    return cache


def _organisation(session: Session, organisation_id: int) -> Organisation:
    # The session's identity map holds objects weakly: keep the organisations a transaction
    # uses, so a batch of issuances does not load the issuer again for each document.
    known: dict[int, Organisation] = _transaction_cache(session, "documents.organisations")
    row = known.get(organisation_id) or session.get(Organisation, organisation_id)
    if row is None:
        raise NotFound(f"no organisation {organisation_id}")
    known[organisation_id] = row
    return row


def _organisation_by_slug(session: Session, slug: str) -> Organisation:
    row = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if row is None:
        raise NotFound(f"no issuer {slug!r} on this platform")
    return row


def issuer_did(slug: str) -> str:
    """``did:web:<public host>:api:documents:issuers:<slug>``, resolved at
    ``https://<public host>/api/documents/issuers/<slug>/did.json``."""
    return did_module.did_web(get_settings().public_host, (*_ISSUERS_PATH, slug))


def _slug_of_did(did: str) -> str | None:
    """The organisation slug of a did:web this platform issues, else None."""
    prefix = issuer_did("x")[:-1]
    if did.startswith(prefix) and ":" not in did[len(prefix) :]:
        return did[len(prefix) :]
    return None


def _keys(session: Session, organisation_id: int) -> list[tuple[IssuerKey, SigningKey]]:
    query = (
        select(IssuerKey, SigningKey)
        .join(SigningKey, SigningKey.id == IssuerKey.signing_key_id)
        .where(IssuerKey.organisation_id == organisation_id)
        .order_by(IssuerKey.valid_from, IssuerKey.id)
    )
    return [
        (issuer_key, signing_key) for issuer_key, signing_key in session.execute(query).tuples()
    ]


def _active_key(session: Session, organisation_id: int) -> tuple[IssuerKey, SigningKey] | None:
    active = [pair for pair in _keys(session, organisation_id) if pair[0].revoked_at is None]
    return active[-1] if active else None


def _new_key(session: Session, organisation: Organisation, number: int) -> IssuerKey:
    fragment = f"key-{number}"
    signing_key = create_signing_key(
        session,
        name=f"documents/{organisation.slug}/{fragment}",
        purpose=_KEY_PURPOSE,
        kek=_kek(),
        organisation_id=organisation.id,
    )
    row = IssuerKey(
        organisation_id=organisation.id,
        signing_key_id=signing_key.id,
        fragment=fragment,
        # Proofs carry whole seconds: a key valid from 12:00:00.5 must cover "12:00:00Z".
        valid_from=utcnow().replace(microsecond=0),
    )
    session.add(row)
    session.flush()
    return row


_KEY_CACHE = "documents.active_keys"


def _forget_keys(session: Session) -> None:
    session.info.pop(_KEY_CACHE, None)


def _signing_key(session: Session, organisation: Organisation) -> tuple[IssuerKey, SigningKey]:
    """The organisation's active key; the first one is made on first use. An organisation
    whose keys are all revoked cannot sign until it rotates to a new key.

    Kept for the rest of the transaction (a batch of issuances asks for it each time);
    rotating or revoking keys forgets it."""
    cache: dict[int, tuple[IssuerKey, SigningKey]] = _transaction_cache(session, _KEY_CACHE)
    if organisation.id in cache:
        return cache[organisation.id]
    pair = _load_signing_key(session, organisation)
    cache[organisation.id] = pair
    return pair


def _load_signing_key(session: Session, organisation: Organisation) -> tuple[IssuerKey, SigningKey]:
    active = _active_key(session, organisation.id)
    if active is not None:
        return active
    if _keys(session, organisation.id):
        raise Conflict(
            f"{organisation.name} has no active document key (its keys are revoked); "
            "rotate to a new key before signing"
        )
    row = _new_key(session, organisation, 1)
    signing_key = session.get(SigningKey, row.signing_key_id)
    assert signing_key is not None
    return row, signing_key


def _key_read(slug: str, issuer_key: IssuerKey, signing_key: SigningKey) -> KeyRead:
    return KeyRead(
        fragment=issuer_key.fragment,
        verification_method=f"{issuer_did(slug)}#{issuer_key.fragment}",
        public_key_multibase=public_key_multibase(signing_key.public_key),
        valid_from=issuer_key.valid_from,
        revoked_at=issuer_key.revoked_at,
    )


def list_keys(session: Session, *, organisation_id: int) -> list[KeyRead]:
    organisation = _organisation(session, organisation_id)
    return [_key_read(organisation.slug, k, s) for k, s in _keys(session, organisation_id)]


def _retirement_time() -> dt.datetime:
    """Now, rounded up to the next whole second: proofs carry whole seconds, and a document
    signed at 12:00:05.2 ("12:00:05Z") by a key retired at 12:00:05.7 must stay valid."""
    return utcnow().replace(microsecond=0) + dt.timedelta(seconds=1)


def rotate_key(session: Session, *, actor: Principal, organisation_id: int) -> list[KeyRead]:
    """Retire the active key and start a new one. Documents signed before stay verifiable: the
    old key stays in the DID document with its retirement time."""
    actor.require(KEYS, organisation_id)
    _forget_keys(session)
    organisation = _organisation(session, organisation_id)
    pairs = _keys(session, organisation_id)
    now = _retirement_time()
    for issuer_key, _ in pairs:
        if issuer_key.revoked_at is None:
            issuer_key.revoked_at = now
    created = _new_key(session, organisation, len(pairs) + 1)
    audit.record(
        session,
        actor=actor,
        action="documents.key.rotate",
        entity_type="documents_issuer_key",
        entity_id=created.id,
        organisation_id=organisation_id,
        details={"fragment": created.fragment},
    )
    return list_keys(session, organisation_id=organisation_id)


def revoke_keys(session: Session, *, actor: Principal, organisation_id: int) -> list[KeyRead]:
    """Revoke every key of the organisation now (a key thought compromised); nothing can be
    signed in its name until it rotates to a new key."""
    actor.require(KEYS, organisation_id)
    _forget_keys(session)
    now = _retirement_time()
    for issuer_key, _ in _keys(session, organisation_id):
        if issuer_key.revoked_at is None:
            issuer_key.revoked_at = now
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="documents.key.revoke",
        entity_type="core_organisation",
        entity_id=organisation_id,
        organisation_id=organisation_id,
    )
    return list_keys(session, organisation_id=organisation_id)


def did_document(session: Session, *, slug: str) -> dict[str, Any]:
    """The issuer's did:web document, every key listed (current and retired)."""
    organisation = _organisation_by_slug(session, slug)
    keys = [
        did_module.WebKey(k.fragment, s.public_key, k.valid_from, k.revoked_at)
        for k, s in _keys(session, organisation.id)
    ]
    if not keys:
        raise NotFound(f"{slug!r} has not issued documents (no keys)")
    return did_module.did_web_document(get_settings().public_host, (*_ISSUERS_PATH, slug), keys)


def _resolver(session: Session) -> Callable[[str], did_module.VerificationKey]:
    """Resolves did:key from the identifier and this platform's did:web issuers from the
    database; any other DID is unknown (resolving it would need the network)."""
    cache: dict[str, Callable[[str], did_module.VerificationKey]] = {}

    def resolve(vm_id: str) -> did_module.VerificationKey:
        did = vm_id.split("#", 1)[0]
        if did not in cache:
            documents: list[dict[str, Any]] = []
            slug = _slug_of_did(did)
            if slug is not None:
                with contextlib.suppress(NotFound):
                    documents.append(did_document(session, slug=slug))
            cache[did] = did_module.key_resolver(documents)
        return cache[did](vm_id)

    return resolve


# ---------------------------------------------------------------------------------------------
# Parties of an eBL title


def party(session: Session, organisation_id: int) -> dict[str, Any]:
    """An organisation as a DCSA PINT party on this platform."""
    organisation = _organisation(session, organisation_id)
    code = get_settings().ebl_platform_code
    return {
        "partyName": organisation.name,
        "eblPlatform": code,
        "identifyingCodes": [{"codeListProvider": code, "partyCode": organisation.slug}],
    }


def _organisation_of(session: Session, value: states.Party | None) -> int | None:
    """The platform organisation a party is, or None for a party elsewhere."""
    code = get_settings().ebl_platform_code
    if value is None or value.platform != code:
        return None
    for provider, slug in sorted(value.codes):
        if provider == code:
            found = session.scalar(select(Organisation.id).where(Organisation.slug == slug))
            if found is not None:
                return found
    return None


def _party_json(value: states.Party | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "partyName": value.name,
        "eblPlatform": value.platform,
        "identifyingCodes": [
            {"codeListProvider": provider, "partyCode": code}
            for provider, code in sorted(value.codes)
        ],
    }


def _state_json(state: states.TitleState) -> dict[str, Any]:
    return {
        "is_to_order": state.is_to_order,
        "status": state.status.value,
        "carrier": _party_json(state.carrier),
        "holder": _party_json(state.holder),
        "endorsee": _party_json(state.endorsee),
        "may_endorse": state.may_endorse,
        "blank_endorsed": state.blank_endorsed,
        "surrendering_party": _party_json(state.surrendering_party),
        "sequence": state.sequence,
        "last_entry_checksum": state.last_entry_checksum,
    }


def _state_from_json(data: Mapping[str, Any]) -> states.TitleState:
    def load(value: Any) -> states.Party | None:
        return None if value is None else states.Party.from_json(value)

    return states.TitleState(
        is_to_order=bool(data["is_to_order"]),
        status=states.parse_status(data["status"]),
        carrier=load(data.get("carrier")),
        holder=load(data.get("holder")),
        endorsee=load(data.get("endorsee")),
        may_endorse=bool(data.get("may_endorse")),
        blank_endorsed=bool(data.get("blank_endorsed")),
        surrendering_party=load(data.get("surrendering_party")),
        sequence=int(data.get("sequence", 0)),
        last_entry_checksum=data.get("last_entry_checksum"),
    )


# ---------------------------------------------------------------------------------------------
# Issuing


def _now_text(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def credential_digest(credential: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the credential in JCS form: what the ledger anchors."""
    return hashlib.sha256(suite.jcs(credential)).hexdigest()


def _status_url(slug: str, purpose: str) -> str:
    return f"https://{get_settings().public_host}/api/documents/issuers/{slug}/status/{purpose}"


def verify_url(uuid: str) -> str:
    return f"https://{get_settings().public_host}/documents/verify?document={uuid}"


def _reference(kind: str, subject: Mapping[str, Any]) -> str:
    for name in _REFERENCE_FIELDS.get(kind, ()):
        value = subject.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()[:100]
    raise validation_error(
        "subject", f"a {kind} needs its reference ({' or '.join(_REFERENCE_FIELDS[kind])})"
    )


def _subject_issues(kind: str, subject: Any) -> list[tuple[str, str]]:
    if kind == TRANSPORT:
        return [(i.path, i.message) for i in schema.validate_transport_document(subject)]
    return [(i.path, i.message) for i in registry.validate_subject(kind, subject)]


def issue(
    session: Session, *, actor: Principal, organisation_id: int, request: IssueRequest
) -> DocumentDetail:
    """Issue a credential in the organisation's name: validate the subject against its schema,
    sign it (eddsa-jcs-2022) with the organisation's key, anchor its digest in the ledger and,
    for an eBL, record the ISSUE transaction to the issue-to party."""
    actor.require(ISSUE, organisation_id)
    issues = _subject_issues(request.kind, request.subject)
    if issues:
        raise validation_error(
            f"subject{issues[0][0].replace('/', '.')}",
            "; ".join(f"{path or '/'}: {message}" for path, message in issues[:5]),
        )
    reference = _reference(request.kind, request.subject)
    is_transport = request.kind == TRANSPORT
    if is_transport and request.holder_organisation_id is None:
        raise validation_error("holder_organisation_id", "an eBL is issued to an organisation")
    if request.holder_organisation_id is not None:
        _organisation(session, request.holder_organisation_id)
    issuer = _organisation(session, organisation_id)
    issuer_key, signing_key = _signing_key(session, issuer)
    did = issuer_did(issuer.slug)
    now = utcnow()
    index = (
        session.scalar(
            select(func.max(Document.status_index)).where(
                Document.organisation_id == organisation_id
            )
        )
        or 0
    ) + 1
    document_uuid = str(uuid_module.uuid4())
    vc_type = registry.document_type(request.kind).vc_type
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2],
        "id": f"urn:uuid:{document_uuid}",
        "type": ["VerifiableCredential", vc_type],
        "issuer": {"id": did, "name": issuer.name},
        "validFrom": _now_text(now),
        "credentialSubject": request.subject,
        "credentialStatus": [
            status_list.credential_status_entry(
                status_list_credential=_status_url(issuer.slug, purpose),
                index=index,
                status_purpose=purpose,
            )
            for purpose in _PURPOSES
        ],
    }
    if request.valid_until is not None:
        credential["validUntil"] = f"{request.valid_until.isoformat()}T23:59:59Z"
    signed = suite.create_proof(
        credential,
        _private_key(signing_key),
        verification_method=f"{did}#{issuer_key.fragment}",
        created=now,
    )
    digest = credential_digest(signed)
    row = Document(
        uuid=document_uuid,
        organisation_id=organisation_id,
        kind=request.kind,
        reference=reference,
        credential=signed,
        credential_digest=digest,
        status_index=index,
        # A credential issued to an organisation sits in its wallet; an eBL's holder comes
        # from its title (the ISSUE transaction below).
        holder_organisation_id=None if is_transport else request.holder_organisation_id,
    )
    session.add(row)
    session.flush()
    anchored = ledger.append(
        session,
        kind=ISSUE_KIND,
        payload={
            "document": document_uuid,
            "kind": request.kind,
            "reference": reference,
            "issuer": did,
            "credentialDigest": f"sha256:{digest}",
        },
        submitter=actor.subject,
        organisation_id=organisation_id,
    )
    row.ledger_index, row.leaf_hash = anchored.index, anchored.leaf_hash
    audit.record(
        session,
        actor=actor,
        action="documents.issue",
        entity_type="documents_document",
        entity_id=row.id,
        organisation_id=organisation_id,
        after={"digest": digest},
        details={"kind": request.kind, "reference": reference},
    )
    if is_transport:
        assert request.holder_organisation_id is not None
        row.title_state = _state_json(
            states.initial_state(is_to_order=bool(request.subject.get("isToOrder")))
        )
        _record_title(
            session,
            actor=actor,
            row=row,
            action="ISSUE",
            acting=issuer,
            recipient_organisation_id=request.holder_organisation_id,
        )
    return _detail(session, row)


MAX_BATCH = 500


def issue_batch(
    session: Session, *, actor: Principal, organisation_id: int, requests: list[IssueRequest]
) -> list[DocumentRead]:
    """Issue many documents in one transaction (a carrier's or a chamber's batch run): each is
    checked, signed, anchored and audited exactly as one issued alone, and the whole batch is
    refused, nothing written, if any one is refused (the error names its position)."""
    actor.require(ISSUE, organisation_id)
    if not 1 <= len(requests) <= MAX_BATCH:
        raise validation_error("documents", f"send 1 to {MAX_BATCH} documents")
    issued: list[DocumentRead] = []
    for position, request in enumerate(requests):
        try:
            detail = issue(session, actor=actor, organisation_id=organisation_id, request=request)
        except DomainError as exc:
            exc.detail = f"document {position}: {exc.detail}"
            raise
        issued.append(DocumentRead(**detail.model_dump(exclude={"credential", "title_events"})))
    return issued


# ---------------------------------------------------------------------------------------------
# Title of an eBL


def _record_title(
    session: Session,
    *,
    actor: Principal,
    row: Document,
    action: str,
    acting: Organisation,
    recipient_organisation_id: int | None,
    recipient_party: Mapping[str, Any] | None = None,
) -> TitleEvent:
    state = _state_from_json(row.title_state or {})
    transaction: dict[str, Any] = {
        "actionCode": action,
        "actor": party(session, acting.id),
        "actionDateTime": _now_text(utcnow()),
    }
    if recipient_organisation_id is not None:
        transaction["recipient"] = party(session, recipient_organisation_id)
    elif recipient_party is not None:
        transaction["recipient"] = dict(recipient_party)
    try:
        new_state = states.apply(state, transaction)
    except states.TitleRuleViolation as exc:
        raise Conflict(exc.detail, extra={"rule": exc.rule}) from exc
    issuer_key, signing_key = _signing_key(session, acting)
    payload = {
        "document": row.uuid,
        "documentChecksum": row.credential_digest,
        "sequence": new_state.sequence,
        "previousChecksum": row.last_event_checksum,
        "transaction": transaction,
    }
    signed_content = jws.sign_compact(
        payload,
        jws.JwsSigner(
            _private_key(signing_key),
            f"{issuer_did(acting.slug)}#{issuer_key.fragment}",
        ),
    )
    checksum = pint.checksum_signed_content(signed_content)
    # The ledger entry comes first so the append-only event row is written once, complete.
    anchored = ledger.append(
        session,
        kind=TITLE_KIND,
        payload={
            "document": row.uuid,
            "sequence": new_state.sequence,
            "action": action,
            "checksum": f"sha256:{checksum}",
        },
        submitter=actor.subject,
        organisation_id=acting.id,
    )
    event = TitleEvent(
        document_id=row.id,
        sequence=new_state.sequence,
        action=action,
        actor_organisation_id=acting.id,
        recipient_organisation_id=recipient_organisation_id,
        transaction=transaction,
        signed_content=signed_content,
        checksum=checksum,
        previous_checksum=row.last_event_checksum,
        ledger_index=anchored.index,
        leaf_hash=anchored.leaf_hash,
    )
    session.add(event)
    try:
        session.flush()
    except IntegrityError as exc:
        # Another transaction recorded this sequence first: this one acts on a stale state.
        # The caller's transaction is rolled back with the error, so nothing is written.
        raise Conflict(
            "the eBL changed while this action was being recorded; nothing was written"
        ) from exc
    new_state = replace(new_state, last_entry_checksum=checksum)
    row.title_state = _state_json(new_state)
    row.title_status = new_state.status.value
    row.title_sequence = new_state.sequence
    row.last_event_checksum = checksum
    row.holder_organisation_id = _organisation_of(session, new_state.holder)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"documents.title.{action.lower()}",
        entity_type="documents_document",
        entity_id=row.id,
        organisation_id=acting.id,
        details={"sequence": new_state.sequence, "recipient": recipient_organisation_id},
    )
    return event


def _lock(session: Session, document_id: int) -> Document:
    row = session.scalars(
        select(Document).where(Document.id == document_id).with_for_update()
    ).one_or_none()
    if row is None:
        raise NotFound(f"no document {document_id}")
    return row


def title_action(
    session: Session,
    *,
    actor: Principal,
    document_id: int,
    action: str,
    acting_organisation_id: int,
    recipient_organisation_id: int | None = None,
    expected_sequence: int | None = None,
) -> DocumentDetail:
    """One title transaction by the organisation acting (the holder; the carrier for SACC and
    SREJ). A replayed or forked transfer (``expected_sequence`` older than the eBL) is refused,
    and so is anything the title rules forbid; nothing is written then."""
    actor.require(TRANSFER, acting_organisation_id)
    row = _lock(session, document_id)
    if row.kind != TRANSPORT or row.title_state is None:
        raise validation_error("document_id", "only an electronic bill of lading has a title")
    if row.revoked_at is not None:
        raise Conflict("the eBL's credential is revoked; its title cannot move")
    if expected_sequence is not None and expected_sequence != row.title_sequence:
        raise Conflict(
            f"stale or replayed transfer: the eBL is at transaction {row.title_sequence}, "
            f"this action was prepared against {expected_sequence}; nothing was written",
            extra={"title_sequence": row.title_sequence},
        )
    if recipient_organisation_id is not None:
        _organisation(session, recipient_organisation_id)
    _record_title(
        session,
        actor=actor,
        row=row,
        action=action,
        acting=_organisation(session, acting_organisation_id),
        recipient_organisation_id=recipient_organisation_id,
    )
    return _detail(session, row)


def transfer_out(
    session: Session,
    *,
    actor: Principal,
    document_id: int,
    acting_organisation_id: int,
    recipient_party: Mapping[str, Any],
    expected_sequence: int | None = None,
) -> TitleEvent:
    """TRANSFER an eBL to a party on another eBL platform (DCSA PINT): the same title rules and
    signature as a transfer here; afterwards nobody on this platform controls it."""
    actor.require(TRANSFER, acting_organisation_id)
    row = _lock(session, document_id)
    if row.kind != TRANSPORT or row.title_state is None:
        raise validation_error("document_id", "only an electronic bill of lading has a title")
    if expected_sequence is not None and expected_sequence != row.title_sequence:
        raise Conflict(
            f"stale or replayed transfer: the eBL is at transaction {row.title_sequence}, "
            f"this action was prepared against {expected_sequence}; nothing was written",
            extra={"title_sequence": row.title_sequence},
        )
    if recipient_party.get("eblPlatform") == get_settings().ebl_platform_code:
        raise validation_error("recipient", "the recipient is on this platform: use a transfer")
    return _record_title(
        session,
        actor=actor,
        row=row,
        action="TRANSFER",
        acting=_organisation(session, acting_organisation_id),
        recipient_organisation_id=None,
        recipient_party=recipient_party,
    )


def title_transactions(session: Session, *, document_id: int) -> list[dict[str, Any]]:
    """The eBL's title transactions in order, as PINT ``Transaction`` objects."""
    events = session.scalars(
        select(TitleEvent)
        .where(TitleEvent.document_id == document_id)
        .order_by(TitleEvent.sequence)
    )
    return [dict(event.transaction) for event in events]


def void(session: Session, *, actor: Principal, document_id: int) -> DocumentDetail:
    """The carrier voids an eBL (for example issued in error): final, no transaction follows."""
    row = _lock(session, document_id)
    actor.require(ISSUE, row.organisation_id)
    if row.title_state is None:
        raise validation_error("document_id", "only an electronic bill of lading can be voided")
    state = _state_from_json(row.title_state)
    carrier = party(session, row.organisation_id)
    try:
        new_state = states.void(state, states.Party.from_json(carrier))
    except states.TitleRuleViolation as exc:
        raise Conflict(exc.detail, extra={"rule": exc.rule}) from exc
    row.title_state = _state_json(new_state)
    row.title_status = new_state.status.value
    row.holder_organisation_id = None
    ledger.append(
        session,
        kind=TITLE_KIND,
        payload={
            "document": row.uuid,
            "sequence": row.title_sequence,
            "action": "VOID",
            "checksum": f"sha256:{row.last_event_checksum}",
        },
        submitter=actor.subject,
        organisation_id=row.organisation_id,
    )
    audit.record(
        session,
        actor=actor,
        action="documents.title.void",
        entity_type="documents_document",
        entity_id=row.id,
        organisation_id=row.organisation_id,
    )
    session.flush()
    return _detail(session, row)


# ---------------------------------------------------------------------------------------------
# Revocation and suspension


def set_status(
    session: Session, *, actor: Principal, document_id: int, purpose: str, value: bool
) -> DocumentDetail:
    """Revoke (final) or suspend / reinstate a credential; the issuer's status lists change."""
    row = _lock(session, document_id)
    actor.require(ISSUE, row.organisation_id)
    if purpose == "revocation":
        if not value:
            raise validation_error("value", "a revocation cannot be undone")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
    elif purpose == "suspension":
        if row.revoked_at is not None:
            raise Conflict("the credential is revoked; suspension no longer applies")
        row.suspended = value
    else:
        raise validation_error("purpose", "revocation or suspension")
    ledger.append(
        session,
        kind=STATUS_KIND,
        payload={"document": row.uuid, "purpose": purpose, "value": value},
        submitter=actor.subject,
        organisation_id=row.organisation_id,
    )
    audit.record(
        session,
        actor=actor,
        action=f"documents.{purpose}",
        entity_type="documents_document",
        entity_id=row.id,
        organisation_id=row.organisation_id,
        details={"value": value},
    )
    session.flush()
    return _detail(session, row)


def status_list_credential(session: Session, *, slug: str, purpose: str) -> dict[str, Any]:
    """The issuer's signed BitstringStatusListCredential for ``purpose``, built from the
    current state of its documents."""
    chosen = next((p for p in _PURPOSES if p == purpose), None)
    if chosen is None:
        raise NotFound(f"no {purpose!r} status list")
    organisation = _organisation_by_slug(session, slug)
    flag = Document.revoked_at.is_not(None) if purpose == "revocation" else Document.suspended
    indices = list(
        session.scalars(
            select(Document.status_index).where(Document.organisation_id == organisation.id, flag)
        )
    )
    active = _active_key(session, organisation.id)
    if active is None:
        raise ServiceUnavailable(f"{organisation.name} has no active key to sign its status list")
    issuer_key, signing_key = active
    did = issuer_did(slug)
    now = utcnow()
    credential = status_list.status_list_credential(
        credential_id=_status_url(slug, purpose),
        issuer=did,
        status_purpose=chosen,
        encoded_list=status_list.encode_status_list(indices),
        valid_from=_now_text(now),
    )
    return suite.create_proof(
        credential,
        _private_key(signing_key),
        verification_method=f"{did}#{issuer_key.fragment}",
        created=now,
    )


# ---------------------------------------------------------------------------------------------
# Reading


def _status_word(row: Document) -> str:
    if row.revoked_at is not None:
        return "revoked"
    return "suspended" if row.suspended else "valid"


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    return dict(session.execute(query).tuples().all())


def _read(session: Session, row: Document) -> DocumentRead:
    issuer = _organisation(session, row.organisation_id)
    holder = (
        _organisation(session, row.holder_organisation_id)
        if row.holder_organisation_id is not None
        else None
    )
    names = {issuer.id: issuer.name} | ({holder.id: holder.name} if holder else {})
    return DocumentRead(
        id=row.id,
        uuid=row.uuid,
        kind=row.kind,
        reference=row.reference,
        issuer_organisation_id=row.organisation_id,
        issuer=names.get(row.organisation_id, ""),
        issuer_did=issuer_did(issuer.slug),
        status=_status_word(row),
        holder_organisation_id=row.holder_organisation_id,
        holder=names.get(row.holder_organisation_id) if row.holder_organisation_id else None,
        title_status=row.title_status,
        title_sequence=row.title_sequence,
        credential_digest=row.credential_digest,
        ledger_index=row.ledger_index,
        created_at=row.created_at,
        verify_url=verify_url(row.uuid),
    )


def _detail(session: Session, row: Document) -> DocumentDetail:
    events = (
        list(
            session.scalars(
                select(TitleEvent)
                .where(TitleEvent.document_id == row.id)
                .order_by(TitleEvent.sequence)
            )
        )
        if row.kind == TRANSPORT
        else []
    )
    names = _names(
        session,
        {e.actor_organisation_id for e in events if e.actor_organisation_id}
        | {e.recipient_organisation_id for e in events if e.recipient_organisation_id},
    )
    return DocumentDetail(
        **_read(session, row).model_dump(),
        credential=row.credential,
        title_events=[
            TitleEventRead(
                sequence=e.sequence,
                action=e.action,
                actor=names.get(e.actor_organisation_id or 0, "")
                or str(e.transaction.get("actor", {}).get("partyName", "")),
                recipient=names.get(e.recipient_organisation_id or 0)
                or (e.transaction.get("recipient") or {}).get("partyName"),
                checksum=e.checksum,
                previous_checksum=e.previous_checksum,
                signed_content=e.signed_content,
                ledger_index=e.ledger_index,
                created_at=e.created_at,
            )
            for e in events
        ],
    )


def _can_read(actor: Principal, row: Document) -> bool:
    return actor.can(READ, row.organisation_id) or (
        row.holder_organisation_id is not None and actor.can(READ, row.holder_organisation_id)
    )


def get_document(session: Session, *, actor: Principal, document_id: int) -> DocumentDetail:
    """The issuer and the current holder see a document; past holders see it through the
    verification of the file they keep."""
    row = session.get(Document, document_id)
    if row is None:
        raise NotFound(f"no document {document_id}")
    if not _can_read(actor, row):
        actor.require(READ, row.organisation_id)
    return _detail(session, row)


def document_by_uuid(session: Session, document_uuid: str) -> Document | None:
    return session.scalar(select(Document).where(Document.uuid == document_uuid))


def list_documents(
    session: Session, *, actor: Principal, organisation_id: int, role: str = "held"
) -> list[DocumentRead]:
    """``held``: the eBLs the organisation controls (its wallet) and the other credentials
    issued to it; ``issued``: what it issued."""
    actor.require(READ, organisation_id)
    if role == "issued":
        query = select(Document).where(Document.organisation_id == organisation_id)
    elif role == "held":
        query = select(Document).where(Document.holder_organisation_id == organisation_id)
    else:
        raise validation_error("role", "held or issued")
    rows = session.scalars(query.order_by(Document.id.desc()).limit(500))
    return [_read(session, row) for row in rows]


# ---------------------------------------------------------------------------------------------
# Verification of any file


_REASONS_ZH = {
    "format": "格式",
    "schema": "数据结构",
    "signature": "签名",
    "issuer": "签发人身份",
    "status": "状态",
    "ledger": "账本收录",
    "title": "权利状态",
}


def _check(name: str, passed: bool, reason: str, reason_zh: str, **detail: Any) -> Check:
    return Check(
        name=name, passed=passed, reason=reason, reason_zh=reason_zh, detail=detail or None
    )


def _parse_upload(data: bytes) -> Any:
    if len(data) > MAX_VERIFY_BYTES:
        raise validation_error("file", f"larger than {MAX_VERIFY_BYTES:,} bytes")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise validation_error("file", "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise validation_error("file", f"not JSON: {exc.msg} at line {exc.lineno}") from None


def detect_format(value: Any) -> str:
    if not isinstance(value, dict):
        return "unknown"
    if "envelopeManifestSignedContent" in value:
        return "pint-envelope"
    if "proof" in value and "@context" in value and "credentialSubject" in value:
        types = value.get("type") or []
        if isinstance(types, list) and "VerifiableCredential" in types:
            return "w3c-vc"
    version = str(value.get("version", ""))
    if "open-attestation" in version or "openattestation" in json.dumps(value.get("@context", "")):
        return "openattestation"
    if "signature" in value and "data" in value:
        return "openattestation"
    return "unknown"


def verify_file(
    session: Session, data: bytes, *, envelope_keys: jws.KeyResolver | None = None
) -> VerificationReport:
    """Every check of a document file, each with a plain reason in English and Chinese.
    ``verified`` only when every check passed."""
    value = _parse_upload(data)
    fmt = detect_format(value)
    if fmt == "w3c-vc":
        checks, document = _verify_vc(session, value)
    elif fmt == "openattestation":
        checks, document = _verify_oa(value), None
    elif fmt == "pint-envelope":
        checks, document = _verify_envelope(session, value, envelope_keys), None
    else:
        checks = [
            _check(
                "format",
                False,
                "not a W3C verifiable credential, an OpenAttestation document or a DCSA PINT "
                "envelope",
                "不是 W3C 可验证凭证、OpenAttestation 文件或 DCSA PINT 信封",
            )
        ]
        document = None
    return VerificationReport(
        verified=all(check.passed for check in checks),
        checks=checks,
        format=fmt,
        document=document,
    )


def _kind_of(credential: Mapping[str, Any]) -> str | None:
    types = credential.get("type") or []
    for document_type in registry.DOCUMENT_TYPES.values():
        if document_type.vc_type in types:
            return document_type.key
    return None


def _verify_vc(
    session: Session, credential: dict[str, Any]
) -> tuple[list[Check], dict[str, Any] | None]:
    checks = [
        _check(
            "format",
            True,
            "a W3C Verifiable Credential 2.0 with a Data Integrity proof",
            "W3C 可验证凭证 2.0，带数据完整性证明",
        )
    ]
    kind = _kind_of(credential)
    subject = credential.get("credentialSubject")
    if kind is None:
        checks.append(
            _check(
                "schema",
                False,
                "the credential type is not one this platform knows",
                "凭证类型不在本平台支持范围内",
            )
        )
    else:
        issues = _subject_issues(kind, subject)
        checks.append(
            _check("schema", True, f"the {kind} follows its schema", "内容符合其数据结构")
            if not issues
            else _check(
                "schema",
                False,
                f"the {kind} does not follow its schema: {issues[0][0] or '/'}: {issues[0][1]}",
                f"内容不符合数据结构：{issues[0][0] or '/'}",
            )
        )
    result = suite.verify_proof(credential, _resolver(session))
    if result.verified:
        checks.append(
            _check(
                "signature",
                True,
                "the eddsa-jcs-2022 signature is valid for this exact content",
                "eddsa-jcs-2022 签名与内容一致",
            )
        )
    else:
        first = result.failures[0]
        checks.append(
            _check(
                "signature",
                False,
                f"the signature does not verify: {first.message}",
                "签名验证失败：内容或签名已被改动，或密钥无效",
                codes=list(result.codes),
            )
        )
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    slug = _slug_of_did(issuer_id) if isinstance(issuer_id, str) else None
    organisation = (
        session.scalar(select(Organisation).where(Organisation.slug == slug)) if slug else None
    )
    method = str((credential.get("proof") or {}).get("verificationMethod", ""))
    if organisation is None:
        checks.append(
            _check(
                "issuer",
                False,
                f"the issuer {issuer_id!r} is not registered on this platform",
                "签发人未在本平台注册",
            )
        )
    elif not method.startswith(f"{issuer_id}#"):
        checks.append(
            _check(
                "issuer",
                False,
                "the proof was made with a key that is not the issuer's",
                "签名密钥不属于签发人",
            )
        )
    else:
        checks.append(
            _check(
                "issuer",
                True,
                f"issued by {organisation.name} ({issuer_id})",
                f"签发人：{organisation.name_zh or organisation.name}",
            )
        )
    digest = credential_digest(credential)
    row = session.scalar(select(Document).where(Document.credential_digest == digest))
    if row is None:
        checks.append(
            _check(
                "status",
                False,
                "this exact credential was not issued on this platform, so its status is unknown",
                "本平台未签发该凭证，状态未知",
            )
        )
        checks.append(
            _check(
                "ledger",
                False,
                "no ledger entry holds this credential's digest",
                "账本中没有该凭证的摘要",
            )
        )
        return checks, None
    status = _status_word(row)
    checks.append(
        _check(
            "status",
            status == "valid",
            f"the issuer's status lists say: {status}",
            {"valid": "有效", "revoked": "已撤销", "suspended": "已暂停"}[status],
        )
    )
    checks.append(_ledger_check(session, row.ledger_index, digest))
    if row.kind == TRANSPORT:
        problem = title_chain_problem(session, row)
        if problem is not None:
            checks.append(
                _check(
                    "title",
                    False,
                    f"the title chain does not hold: {problem}",
                    "权利转让链不完整或已被改动",
                )
            )
            return checks, _read(session, row).model_dump(mode="json")
        holder = session.get(Organisation, row.holder_organisation_id or 0)
        live = row.title_status not in {"VOIDED", None}
        checks.append(
            _check(
                "title",
                bool(live),
                f"title: {row.title_status}, transaction {row.title_sequence}, controlled by "
                f"{holder.name if holder else 'nobody on this platform'}",
                f"权利状态：{row.title_status}，第 {row.title_sequence} 笔交易",
                status=row.title_status,
                sequence=row.title_sequence,
                holder=holder.name if holder else None,
            )
        )
    return checks, _read(session, row).model_dump(mode="json")


def title_chain_problem(session: Session, row: Document) -> str | None:
    """Re-check an eBL's whole title chain: each transaction's signature by its actor's key,
    its checksum, the link to the one before, that it names this document, and that replaying
    the transactions gives the recorded state. The first problem found, else None."""
    keys = _platform_keys(session)
    events = session.scalars(
        select(TitleEvent).where(TitleEvent.document_id == row.id).order_by(TitleEvent.sequence)
    )
    state = states.initial_state(
        is_to_order=bool(row.credential["credentialSubject"].get("isToOrder"))
    )
    previous: str | None = None
    for number, event in enumerate(events, start=1):
        where = f"transaction {number} ({event.action})"
        if event.sequence != number:
            return f"{where}: sequence {event.sequence} out of order"
        if pint.checksum_signed_content(event.signed_content) != event.checksum:
            return f"{where}: its checksum does not match its signed content"
        if event.previous_checksum != previous:
            return f"{where}: it does not link to the transaction before"
        try:
            payload = jws.verify_compact(event.signed_content, lambda kid: keys.get(kid or ""))
        except jws.JwsError as exc:
            return f"{where}: signature: {exc}"
        expected = {
            "document": row.uuid,
            "documentChecksum": row.credential_digest,
            "sequence": number,
            "previousChecksum": previous,
            "transaction": event.transaction,
        }
        if payload != expected:
            return f"{where}: the signed content differs from the recorded transaction"
        signer = str(jws.decode_compact(event.signed_content).kid or "").split("#", 1)[0]
        actor_slug = _slug_of_did(signer)
        codes = event.transaction.get("actor", {}).get("identifyingCodes", [])
        if actor_slug is None or actor_slug not in {c.get("partyCode") for c in codes}:
            return f"{where}: signed by {signer}, not by its actor"
        try:
            state = states.apply(state, event.transaction)
        except states.TitleRuleViolation as exc:
            return f"{where}: {exc.detail}"
        previous = event.checksum
    if previous != row.last_event_checksum:
        return "the recorded last transaction is not the end of the chain"
    if row.title_status != "VOIDED" and (  # voiding is the carrier's, outside the chain
        state.status.value != row.title_status
        or _organisation_of(session, state.holder) != row.holder_organisation_id
    ):
        return "the recorded status or holder does not follow from the transactions"
    return None


def _ledger_check(session: Session, index: int | None, digest: str) -> Check:
    if index is None:
        return _check("ledger", False, "not anchored in the ledger", "未在账本中锚定")
    entry, integrated = ledger.get_entry(session, log=ledger.DEFAULT_LOG, index=index)
    if not integrated:
        return _check(
            "ledger",
            False,
            f"anchored as entry {index}, not yet integrated in the "
            "Merkle tree (try again in a moment)",
            f"已锚定为第 {index} 条，尚未并入默克尔树",
        )
    proof = ledger.inclusion_proof(session, log=ledger.DEFAULT_LOG, index=index)
    return _check(
        "ledger",
        True,
        f"included in the platform ledger as entry {index} (tree size {proof.tree_size})",
        f"已收录于平台账本第 {index} 条",
        log=ledger.DEFAULT_LOG,
        index=index,
        leaf_hash=entry.leaf_hash.hex(),
        tree_size=proof.tree_size,
        root_hash=proof.root_hash.hex(),
        inclusion_proof=[node.hex() for node in proof.hashes],
        credential_digest=digest,
    )


def _verify_oa(document: Any) -> list[Check]:
    result = openattestation.verify_document(document)
    checks = [
        _check(
            "format",
            result.error is None,
            f"an OpenAttestation {result.version} wrapped document"
            if result.error is None
            else f"not a wrapped OpenAttestation document: {result.error}",
            "OpenAttestation 封装文件" if result.error is None else "不是 OpenAttestation 封装文件",
        )
    ]
    if result.error is not None:
        return checks
    for fragment in result.fragments:
        status = fragment.status.value
        passed = status == "VALID"
        if status == "SKIPPED" and fragment.reason.startswith("not applicable"):
            continue  # this document does not use that method: nothing to report
        name = {
            "OpenAttestationHash": "signature",
            "OpenAttestationDidSignedDocumentStatus": "issuer",
            "OpenAttestationDnsTxtIdentityProof": "issuer",
            "OpenAttestationDnsDidIdentityProof": "issuer",
        }.get(fragment.name, "status")
        zh = (
            "离线无法核验（需要区块链或 DNS）"
            if status == "SKIPPED"
            else ("通过" if passed else "未通过")
        )
        checks.append(
            _check(name, passed, f"{fragment.name}: {fragment.reason}", zh, fragment=fragment.name)
        )
    return checks


def _verify_envelope(
    session: Session, envelope: Any, resolve: jws.KeyResolver | None
) -> list[Check]:
    if resolve is None:
        keys = _platform_keys(session)
        resolve = lambda kid: keys.get(kid or "")  # noqa: E731
    check = pint.verify_envelope(envelope, resolve)
    ok = check.accepted
    return [
        _check("format", True, "a DCSA PINT 3.0 eBL envelope", "DCSA PINT 3.0 电子提单信封"),
        _check(
            "signature",
            ok,
            "every chain entry and the manifest are signed and linked"
            if ok
            else f"{check.response_code.value}: {check.reason}",
            "签名与哈希链完整" if ok else f"{check.response_code.value}：信封或签名无效",
            findings=[asdict(f) for f in check.findings][:20],
        ),
    ]


def _platform_keys(session: Session) -> dict[str, jws.PublicKey]:
    """Public keys known for chain-entry signatures: every document key on this platform."""
    keys: dict[str, Any] = {}
    query = (
        select(Organisation.slug, IssuerKey.fragment, SigningKey.public_key)
        .join(IssuerKey, IssuerKey.organisation_id == Organisation.id)
        .join(SigningKey, SigningKey.id == IssuerKey.signing_key_id)
    )
    for slug, fragment, public in session.execute(query).tuples():
        keys[f"{issuer_did(slug)}#{fragment}"] = Ed25519PublicKey.from_public_bytes(public)
    return keys


# ---------------------------------------------------------------------------------------------
# Examination of a presentation under a documentary credit

_PRESENTED = (
    "commercial_invoice",
    "bill_of_lading",
    "certificate_of_origin",
    "insurance",
    "packing_list",
)


def _stored_subject(session: Session, actor: Principal, document_id: Any, kind: str) -> Any:
    if not isinstance(document_id, int):
        raise validation_error("document_id", "must be a document id")
    row = session.get(Document, document_id)
    if row is None:
        raise NotFound(f"no document {document_id}")
    if not _can_read(actor, row):
        actor.require(READ, row.organisation_id)
    if row.kind != kind:
        raise validation_error(
            "document_id", f"document {document_id} is a {row.kind}, not a {kind}"
        )
    subject: dict[str, Any] = row.credential["credentialSubject"]
    return summary_from_dcsa(subject) if kind == TRANSPORT else subject


def _presented(
    session: Session, actor: Principal, name: str, value: Any
) -> presentation.PresentedDocument:
    if not isinstance(value, Mapping):
        raise validation_error(f"documents.{name}", "must be an object")
    if "document_id" in value:
        data = _stored_subject(
            session,
            actor,
            value["document_id"],
            TRANSPORT
            if name.startswith(("bill_of_lading", "further"))
            else "certificate-of-origin",
        )
        electronic = True
    else:
        data = value.get("data")
        electronic = bool(value.get("electronic", False))
    if not isinstance(data, Mapping):
        raise validation_error(f"documents.{name}.data", "must be an object")
    try:
        return presentation.PresentedDocument(
            data=data,
            originals=int(value.get("originals", 1)),
            copies=int(value.get("copies", 0)),
            electronic=electronic,
            corrupted=bool(value.get("corrupted", False)),
        )
    except (TypeError, ValueError) as exc:
        raise validation_error(
            f"documents.{name}", "originals and copies are whole numbers"
        ) from exc


def examine(session: Session, *, actor: Principal, body: Mapping[str, Any]) -> dict[str, Any]:
    """Examine a presentation against a credit, eUCP / UCP 600 style: each discrepancy with its
    article, in English and Chinese. The credit and the eBL may be documents stored here."""
    if "credit_document_id" in body:
        credit = _stored_subject(session, actor, body["credit_document_id"], "documentary-credit")
    else:
        credit = body.get("credit")
    if not isinstance(credit, Mapping):
        raise validation_error("credit", "give the credit (an object) or credit_document_id")
    try:
        presented_on = dt.date.fromisoformat(str(body.get("presentation_date", "")))
    except ValueError:
        raise validation_error("presentation_date", "a date, YYYY-MM-DD") from None
    documents = body.get("documents") or {}
    if not isinstance(documents, Mapping):
        raise validation_error("documents", "must be an object")
    unknown = set(documents) - set(_PRESENTED) - {"further_bills_of_lading"}
    if unknown:
        raise validation_error("documents", f"unknown document(s): {', '.join(sorted(unknown))}")
    further = documents.get("further_bills_of_lading") or []
    if not isinstance(further, list):
        raise validation_error("documents.further_bills_of_lading", "must be a list")
    chosen = {
        name: _presented(session, actor, name, documents[name])
        for name in _PRESENTED
        if documents.get(name) is not None
    }
    try:
        result = presentation.examine(
            credit,
            presentation.Presentation(
                presentation_date=presented_on,
                further_bills_of_lading=[
                    _presented(session, actor, f"further_bills_of_lading[{n}]", item)
                    for n, item in enumerate(further)
                ],
                notice_of_completeness=bool(body.get("notice_of_completeness", True)),
                **chosen,
            ),
        )
    except ValueError as exc:
        raise validation_error("documents", str(exc)) from exc
    return {
        "complying": result.complying,
        "discrepancies": [asdict(d) for d in result.discrepancies],
    }
