"""DCSA PINT 3.0 envelopes: build, verify and answer (pure; keys and knowledge are passed in).

Source: EBL_PINT_v3.0.0.yaml (dcsaorg/DCSA-OpenAPI@5d0f833), components ``EblEnvelope``,
``EnvelopeManifest``, ``EnvelopeTransferChainEntry``, ``IssuanceManifest``, ``Transaction`` and
``EnvelopeTransferFinishedResponse``:

- the transport document and ``issueTo`` are hashed (SHA-256, hex) in RFC 8785 canonical form;
- a chain entry is hashed over its compact JWS string, and each entry names the hash of the one
  before it (``previousEnvelopeTransferChainEntrySignedContentChecksum``);
- the sending platform signs every chain entry and the ``EnvelopeManifest``, which binds the
  document hash to the last entry's hash; the envelope itself is not signed;
- the first entry carries the carrier-signed ``IssuanceManifest``;
- the receiver answers with a signed ``EnvelopeTransferFinishedResponse`` whose ``responseCode``
  (not the HTTP status) decides the outcome.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from digitrade.core.crypto.jcs import canonicalize

from .jws import (
    DecodedJws,
    JwsError,
    JwsSigner,
    KeyResolver,
    decode_compact,
    sign_compact,
    verify_compact,
    verify_decoded,
)
from .schema import (
    SchemaIssue,
    validate_chain_entry,
    validate_envelope,
    validate_envelope_manifest,
    validate_finished_response,
    validate_issuance_manifest,
)
from .states import ActionCode, TitleRuleViolation, TitleState, replay_chain


class ResponseCode(StrEnum):
    """``EnvelopeTransferFinishedResponse.responseCode``."""

    RECE = "RECE"  # received: transfer accepted
    DUPE = "DUPE"  # this envelope (same last entry) was already accepted
    BSIG = "BSIG"  # a signature could not be accepted
    BENV = "BENV"  # the envelope is invalid (links, checksums, schema, rules)
    INCD = "INCD"  # an additional document does not match its checksum or size
    MDOC = "MDOC"  # an additional document is missing
    DISE = "DISE"  # contradicts the receiver's knowledge: suspected double spend


# HTTP status to use with each code (responseCode description).
HTTP_STATUS: Mapping[ResponseCode, int] = {
    ResponseCode.RECE: 200,
    ResponseCode.DUPE: 200,
    ResponseCode.BSIG: 422,
    ResponseCode.BENV: 422,
    ResponseCode.INCD: 409,
    ResponseCode.MDOC: 409,
    ResponseCode.DISE: 409,
}

# Which code wins when several apply. BENV first: a self-inconsistent envelope can never
# succeed, whatever keys the receiver learns later (BSIG invites a retry).
_PRECEDENCE = (
    ResponseCode.BENV,
    ResponseCode.BSIG,
    ResponseCode.DISE,
    ResponseCode.DUPE,
    ResponseCode.INCD,
    ResponseCode.MDOC,
)
REASON_MAX = 255  # EnvelopeTransferFinishedResponse.reason maxLength


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checksum_document(document: Any) -> str:
    """SHA-256 hex of the RFC 8785 form (``transportDocumentChecksum``, ``documentChecksum``,
    ``issueToChecksum``)."""
    return sha256_hex(canonicalize(document))


def checksum_signed_content(signed_content: str) -> str:
    """SHA-256 hex of a compact JWS string (the chain's hash links)."""
    return sha256_hex(signed_content.encode("ascii"))


# --- building ------------------------------------------------------------------------------------


def build_issuance_manifest(
    document: Mapping[str, Any],
    issue_to: Mapping[str, Any],
    signer: JwsSigner,
    *,
    ebl_visualisation_by_carrier: bytes | None = None,
) -> str:
    """Carrier-signed ``IssuanceManifest`` (compact JWS). The visualisation checksum is over the
    decoded file content."""
    manifest: dict[str, Any] = {
        "documentChecksum": checksum_document(document),
        "issueToChecksum": checksum_document(issue_to),
    }
    if ebl_visualisation_by_carrier is not None:
        manifest["eBLVisualisationByCarrierChecksum"] = sha256_hex(ebl_visualisation_by_carrier)
    return sign_compact(manifest, signer)


def build_envelope(
    transport_document: Mapping[str, Any],
    previous_chain: Sequence[str],
    new_entry: Mapping[str, Any],
    signer: JwsSigner,
    *,
    ebl_visualisation_by_carrier: Mapping[str, Any] | None = None,
    supporting_documents: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """An ``EblEnvelope``: ``previous_chain`` plus ``new_entry`` signed by ``signer``, and a
    signed ``EnvelopeManifest`` over the document and the new last entry.

    ``new_entry`` is an ``EnvelopeTransferChainEntry`` without the two checksums, which are
    filled in (a value already there must agree). ``ebl_visualisation_by_carrier`` and
    ``supporting_documents`` are ``DocumentMetadata`` objects for the manifest.
    """
    document_checksum = checksum_document(transport_document)
    entry = dict(new_entry)
    expected: dict[str, str] = {"transportDocumentChecksum": document_checksum}
    if previous_chain:
        expected["previousEnvelopeTransferChainEntrySignedContentChecksum"] = (
            checksum_signed_content(previous_chain[-1])
        )
    elif "previousEnvelopeTransferChainEntrySignedContentChecksum" in entry:
        raise ValueError("the first chain entry must not name a previous entry")
    for key, value in expected.items():
        if key in entry and entry[key] != value:
            raise ValueError(f"new_entry.{key} is {entry[key]!r}, expected {value!r}")
        entry[key] = value
    signed_entry = sign_compact(entry, signer)
    chain = [*previous_chain, signed_entry]
    manifest: dict[str, Any] = {
        "transportDocumentChecksum": document_checksum,
        "lastEnvelopeTransferChainEntrySignedContentChecksum": checksum_signed_content(
            signed_entry
        ),
    }
    if ebl_visualisation_by_carrier is not None:
        manifest["eBLVisualisationByCarrier"] = dict(ebl_visualisation_by_carrier)
    if supporting_documents:
        manifest["supportingDocuments"] = [dict(d) for d in supporting_documents]
    return {
        "transportDocument": dict(transport_document),
        "envelopeManifestSignedContent": sign_compact(manifest, signer),
        "envelopeTransferChain": chain,
    }


# --- verifying -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One problem found. ``code`` None = advisory (does not decide the response)."""

    code: ResponseCode | None
    subject: str
    message: str


@dataclass(frozen=True)
class EnvelopeCheck:
    """Outcome of ``verify_envelope``. Entries are numbered from 1 in messages."""

    response_code: ResponseCode
    findings: tuple[Finding, ...] = ()
    transport_document_checksum: str | None = None
    last_entry_checksum: str | None = None
    entry_checksums: tuple[str, ...] = ()
    entries: tuple[dict[str, Any], ...] = ()
    manifest: dict[str, Any] | None = None
    issuance_manifest: dict[str, Any] | None = None
    title: TitleState | None = None
    missing_document_checksums: tuple[str, ...] = ()
    duplicate_of: str | None = None  # the accepted last entry, for DUPE

    @property
    def accepted(self) -> bool:
        return self.response_code is ResponseCode.RECE

    @property
    def reason(self) -> str | None:
        """The deciding findings, for ``EnvelopeTransferFinishedResponse.reason``."""
        messages = [f.message for f in self.findings if f.code is self.response_code]
        if not messages:
            return None
        text = "; ".join(messages)
        return text if len(text) <= REASON_MAX else text[: REASON_MAX - 1] + "…"


@dataclass(frozen=True)
class Receipt:
    """What the receiver's own knowledge says about an envelope (``classify_receipt``)."""

    code: ResponseCode  # RECE, DUPE or DISE
    reason: str | None = None
    duplicate_of: str | None = None


def classify_receipt(
    known_entry_checksums: Collection[str], envelope: Mapping[str, Any]
) -> Receipt:
    """RECE / DUPE / DISE from the chain-entry checksums the receiver already holds for this
    transport document (``EnvelopeTransferFinishedResponse.responseCode``: DUPE when the same
    last entry was accepted before; DISE when the receiver knows entries the envelope does not
    list, i.e. the chain forks from what the receiver knows).
    """
    chain = envelope.get("envelopeTransferChain") or []
    checksums = [checksum_signed_content(e) for e in chain if isinstance(e, str)]
    if not checksums or not known_entry_checksums:
        return Receipt(ResponseCode.RECE)
    listed = set(checksums)
    unlisted = sorted(set(known_entry_checksums) - listed)
    if unlisted:
        shared = sum(1 for c in checksums if c in known_entry_checksums)
        return Receipt(
            ResponseCode.DISE,
            f"chain diverges after entry {shared} from the chain already known here "
            f"(known entry {unlisted[0]} is not listed)",
        )
    if checksums[-1] in known_entry_checksums:
        return Receipt(
            ResponseCode.DUPE,
            f"last entry {checksums[-1]} was already accepted",
            duplicate_of=chain[-1],
        )
    return Receipt(ResponseCode.RECE)


def _schema_findings(subject: str, issues: list[SchemaIssue]) -> list[Finding]:
    return [
        Finding(ResponseCode.BENV, f"{subject}{i.path}", f"{subject}{i.path}: {i.message}")
        for i in issues
    ]


def _decode(token: Any, subject: str, findings: list[Finding]) -> tuple[DecodedJws, Any] | None:
    try:
        decoded = decode_compact(token)
        payload = decoded.json_payload()
    except JwsError as exc:
        findings.append(Finding(ResponseCode.BENV, subject, f"{subject} is not a valid JWS: {exc}"))
        return None
    if not isinstance(payload, dict):
        findings.append(Finding(ResponseCode.BENV, subject, f"{subject} payload is not an object"))
        return None
    return decoded, payload


def _mismatch(subject: str, stated: Any, actual: str | None, what: str) -> Finding:
    return Finding(
        ResponseCode.BENV, subject, f"{subject} is {stated} but {what} hashes to {actual}"
    )


def verify_envelope(
    envelope: Any,
    resolve_key: KeyResolver,
    *,
    known_entry_checksums: Collection[str] | None = None,
    receiving_platform: str | None = None,
    received_documents: Mapping[str, bytes] | None = None,
) -> EnvelopeCheck:
    """Check an ``EblEnvelope`` as the receiving platform must (``EblEnvelope``
    ``envelopeTransferChain`` description): schema, document checksum, every hash link walking
    back from the manifest's last entry, each JWS signature (manifest, entries, the carrier's
    issuance manifest), ISSUE first and the title rules of ``states.apply``.

    Optional receiver knowledge: ``known_entry_checksums`` (entries already held for this
    document: DUPE / DISE), ``receiving_platform`` (the last entry must be addressed to it) and
    ``received_documents`` (checksum -> content of the additional documents: MDOC / INCD).
    Every problem found is listed in ``findings``; the response code is the most severe.
    """
    findings: list[Finding] = []
    benv = ResponseCode.BENV

    def done(**kwargs: Any) -> EnvelopeCheck:
        code = next(
            (c for c in _PRECEDENCE if any(f.code is c for f in findings)), ResponseCode.RECE
        )
        return EnvelopeCheck(response_code=code, findings=tuple(findings), **kwargs)

    findings.extend(_schema_findings("envelope", validate_envelope(envelope)))
    if not isinstance(envelope, Mapping) or not isinstance(
        envelope.get("envelopeTransferChain"), list
    ):
        return done()
    document = envelope.get("transportDocument")
    document_checksum = checksum_document(document) if isinstance(document, Mapping) else None
    chain: list[Any] = envelope["envelopeTransferChain"]
    entry_checksums = tuple(checksum_signed_content(e) for e in chain if isinstance(e, str))
    if len(entry_checksums) != len(chain) or not chain:
        return done(transport_document_checksum=document_checksum)

    decoded_manifest = _decode(envelope.get("envelopeManifestSignedContent"), "manifest", findings)
    decoded_entries = [_decode(e, f"entry {n}", findings) for n, e in enumerate(chain, start=1)]
    manifest = decoded_manifest[1] if decoded_manifest else None
    entries = tuple(d[1] for d in decoded_entries if d is not None)
    last = entry_checksums[-1]
    context: dict[str, Any] = {
        "transport_document_checksum": document_checksum,
        "last_entry_checksum": last,
        "entry_checksums": entry_checksums,
        "entries": entries,
        "manifest": manifest,
    }
    if manifest is None or len(entries) != len(chain):
        return done(**context)

    # 1. integrity: document checksum and hash links, walking back from the manifest
    stated = manifest.get("transportDocumentChecksum")
    if stated != document_checksum:
        findings.append(
            _mismatch(
                "manifest.transportDocumentChecksum",
                stated,
                document_checksum,
                "the transportDocument",
            )
        )
    stated = manifest.get("lastEnvelopeTransferChainEntrySignedContentChecksum")
    if stated != last:
        findings.append(
            _mismatch(
                "manifest.lastEnvelopeTransferChainEntrySignedContentChecksum",
                stated,
                last,
                f"last entry (entry {len(chain)})",
            )
        )
    previous_key = "previousEnvelopeTransferChainEntrySignedContentChecksum"
    for index in range(len(entries) - 1, -1, -1):
        number, entry = index + 1, entries[index]
        stated = entry.get(previous_key)
        if index == 0:
            if stated is not None:
                findings.append(
                    Finding(benv, f"link {number}", "entry 1 must not name a previous entry")
                )
        elif stated != entry_checksums[index - 1]:
            findings.append(
                _mismatch(
                    f"link {number}: entry {number}.{previous_key}",
                    stated,
                    entry_checksums[index - 1],
                    f"entry {index}",
                )
            )
        stated = entry.get("transportDocumentChecksum")
        if stated != document_checksum:
            # the spec requires this of the last entry; earlier ones should agree too, as a
            # document is never changed within one chain (an amendment starts a new chain)
            findings.append(
                Finding(
                    benv if number == len(entries) else None,
                    f"entry {number}.transportDocumentChecksum",
                    f"entry {number}.transportDocumentChecksum is {stated} but the "
                    f"transportDocument hashes to {document_checksum}",
                )
            )
        if index > 0 and "controlTrackingRegistry" in entry:
            findings.append(
                Finding(benv, f"entry {number}", f"entry {number} repeats controlTrackingRegistry")
            )

    # 2. payload schemas
    findings.extend(_schema_findings("manifest", validate_envelope_manifest(manifest)))
    entries_valid = True
    for number, entry in enumerate(entries, start=1):
        issues = validate_chain_entry(entry)
        entries_valid = entries_valid and not issues
        findings.extend(_schema_findings(f"entry {number}", issues))

    # 3. signatures of the sending platform(s)
    assert decoded_manifest is not None
    signed: list[tuple[str, DecodedJws]] = [("manifest", decoded_manifest[0])]
    signed += [(f"entry {n}", d[0]) for n, d in enumerate(decoded_entries, 1) if d is not None]
    for subject, decoded in signed:
        try:
            verify_decoded(decoded, resolve_key)
        except JwsError as exc:
            findings.append(
                Finding(
                    ResponseCode.BSIG, f"signature of {subject}", f"signature of {subject}: {exc}"
                )
            )

    # 4. the carrier's issuance manifest (first entry only)
    issuance_manifest = _check_issuance(entries, manifest, document_checksum, resolve_key, findings)
    context["issuance_manifest"] = issuance_manifest

    # 5. transactions: ISSUE first and the title rules
    title: TitleState | None = None
    if entries_valid and isinstance(document, Mapping):
        try:
            title = replay_chain(
                entries,
                is_to_order=bool(document.get("isToOrder")),
                entry_checksums=entry_checksums,
            )
        except TitleRuleViolation as exc:
            findings.append(Finding(benv, "transactions", f"transactions: {exc.detail}"))
        if title is not None and receiving_platform is not None:
            recipients = {
                t.get("recipient", {}).get("eblPlatform")
                for t in entries[-1]["transactions"]
                if isinstance(t.get("recipient"), Mapping)
            }
            if receiving_platform not in recipients:
                findings.append(
                    Finding(
                        benv,
                        "recipient",
                        "the last entry has no transaction addressed to platform "
                        + receiving_platform,
                    )
                )
    context["title"] = title

    # 6. receiver knowledge: duplicate or fork
    duplicate_of = None
    if known_entry_checksums is not None:
        receipt = classify_receipt(known_entry_checksums, envelope)
        if receipt.code is not ResponseCode.RECE:
            findings.append(Finding(receipt.code, "chain", receipt.reason or receipt.code.value))
            duplicate_of = receipt.duplicate_of

    # 7. additional documents listed in the manifest
    missing: list[str] = []
    if received_documents is not None:
        listed = list(manifest.get("supportingDocuments") or [])
        if isinstance(manifest.get("eBLVisualisationByCarrier"), Mapping):
            listed.append(manifest["eBLVisualisationByCarrier"])
        for metadata in listed:
            checksum = metadata.get("documentChecksum")
            content = received_documents.get(checksum) if isinstance(checksum, str) else None
            if content is None:
                missing.append(str(checksum))
                findings.append(
                    Finding(ResponseCode.MDOC, "documents", f"document {checksum} not received")
                )
                continue
            problem = check_additional_document(metadata, content)
            if problem is not None:
                findings.append(Finding(ResponseCode.INCD, "documents", problem))
    return done(**context, missing_document_checksums=tuple(missing), duplicate_of=duplicate_of)


def _check_issuance(
    entries: Sequence[dict[str, Any]],
    manifest: Mapping[str, Any],
    document_checksum: str | None,
    resolve_key: KeyResolver,
    findings: list[Finding],
) -> dict[str, Any] | None:
    token = entries[0].get("issuanceManifestSignedContent")
    if token is None:
        findings.append(
            Finding(ResponseCode.BENV, "entry 1", "entry 1 has no issuanceManifestSignedContent")
        )
        return None
    decoded = _decode(token, "issuance manifest", findings)
    if decoded is None:
        return None
    jws, payload = decoded
    assert isinstance(payload, dict)
    findings.extend(_schema_findings("issuance manifest", validate_issuance_manifest(payload)))
    try:
        verify_decoded(jws, resolve_key)
    except JwsError as exc:
        findings.append(
            Finding(
                ResponseCode.BSIG,
                "signature of issuance manifest",
                f"signature of issuance manifest (carrier): {exc}",
            )
        )
    if payload.get("documentChecksum") != document_checksum:
        findings.append(
            _mismatch(
                "issuance manifest documentChecksum",
                payload.get("documentChecksum"),
                str(document_checksum),
                "the transportDocument",
            )
        )
    visual = manifest.get("eBLVisualisationByCarrier")
    stated = payload.get("eBLVisualisationByCarrierChecksum")
    if (
        isinstance(visual, Mapping)
        and stated is not None
        and visual.get("documentChecksum") != stated
    ):
        findings.append(
            Finding(
                ResponseCode.BENV,
                "eBLVisualisationByCarrier",
                "manifest eBLVisualisationByCarrier.documentChecksum differs from the issuance "
                "manifest's eBLVisualisationByCarrierChecksum",
            )
        )
    # issueToChecksum covers the ISS request's ``issueTo`` object, which PINT does not carry;
    # the ISSUE recipient usually repeats it, so a difference is reported but not decisive.
    transactions = entries[0].get("transactions") or []
    first = transactions[0] if transactions and isinstance(transactions[0], Mapping) else {}
    recipient = first.get("recipient")
    if (
        first.get("actionCode") == ActionCode.ISSUE
        and isinstance(recipient, Mapping)
        and checksum_document(recipient) != payload.get("issueToChecksum")
    ):
        findings.append(
            Finding(
                None,
                "issueToChecksum",
                "issueToChecksum does not match the ISSUE transaction's recipient",
            )
        )
    return payload


def check_additional_document(metadata: Mapping[str, Any], content: bytes) -> str | None:
    """Why ``content`` does not match its ``DocumentMetadata`` (checksum, size), or None.
    A mismatch is answered with INCD."""
    checksum = sha256_hex(content)
    if checksum != metadata.get("documentChecksum"):
        return f"document {metadata.get('documentChecksum')} hashes to {checksum}"
    size = metadata.get("size")
    if size is not None and size != len(content):
        return f"document {checksum} has {len(content)} bytes, manifest says {size}"
    return None


# --- responses -----------------------------------------------------------------------------------


def build_response(
    code: ResponseCode,
    signer: JwsSigner,
    *,
    last_entry_checksum: str,
    transport_document_checksum: str | None = None,
    envelope_reference: str | None = None,
    reason: str | None = None,
    duplicate_of: str | None = None,
    missing_document_checksums: Sequence[str] = (),
    received_document_checksums: Sequence[str] = (),
) -> str:
    """Signed ``EnvelopeTransferFinishedResponse`` (compact JWS).

    ``envelopeReference`` and ``transportDocumentChecksum`` are not properties of that schema
    (they come from ``EnvelopeTransferStartedResponse``); the schema allows extra members, and
    they tie the signed answer to the exact transfer.
    """
    payload: dict[str, Any] = {
        "lastEnvelopeTransferChainEntrySignedContentChecksum": last_entry_checksum,
        "responseCode": code.value,
    }
    if envelope_reference is not None:
        payload["envelopeReference"] = envelope_reference
    if transport_document_checksum is not None:
        payload["transportDocumentChecksum"] = transport_document_checksum
    if code is ResponseCode.DUPE and duplicate_of is not None:
        payload["duplicateOfAcceptedEnvelopeTransferChainEntrySignedContent"] = duplicate_of
    if reason and code is not ResponseCode.RECE:  # omitted for RECE (reason description)
        payload["reason"] = reason[:REASON_MAX]
    if code is ResponseCode.MDOC and missing_document_checksums:
        payload["missingAdditionalDocumentChecksums"] = list(missing_document_checksums)
    if code in (ResponseCode.RECE, ResponseCode.DUPE) and received_document_checksums:
        payload["receivedAdditionalDocumentChecksums"] = list(received_document_checksums)
    return sign_compact(payload, signer)


def response_for(
    check: EnvelopeCheck,
    signer: JwsSigner,
    *,
    envelope_reference: str | None = None,
    received_document_checksums: Sequence[str] = (),
) -> str:
    """The signed response for a ``verify_envelope`` result."""
    if check.last_entry_checksum is None:
        raise ValueError("the envelope has no readable last entry: answer with an error response")
    return build_response(
        check.response_code,
        signer,
        last_entry_checksum=check.last_entry_checksum,
        transport_document_checksum=check.transport_document_checksum,
        envelope_reference=envelope_reference,
        reason=check.reason,
        duplicate_of=check.duplicate_of,
        missing_document_checksums=check.missing_document_checksums,
        received_document_checksums=received_document_checksums,
    )


@dataclass(frozen=True)
class VerifiedResponse:
    payload: dict[str, Any]
    response_code: ResponseCode
    issues: list[SchemaIssue] = field(default_factory=list)


def verify_response(token: str, resolve_key: KeyResolver) -> VerifiedResponse:
    """Verify a signed response (``JwsError`` if the signature fails) and read its code."""
    payload = verify_compact(token, resolve_key)
    issues = validate_finished_response(payload)
    if issues or not isinstance(payload, dict):
        raise ValueError(f"not an EnvelopeTransferFinishedResponse: {issues}")
    return VerifiedResponse(payload=payload, response_code=ResponseCode(payload["responseCode"]))
