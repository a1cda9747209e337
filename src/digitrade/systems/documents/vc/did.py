"""Decentralized identifiers for document issuers: ``did:key`` (Ed25519) and ``did:web``.

- ``did:key`` (W3C CCG "The did:key Method v0.7", sections 3.1.1 "Document Creation Algorithm"
  and 3.1.2 "Signature Method Creation Algorithm"): the DID *is* the Multikey
  ``did:key:z6Mk...``, its one verification method is ``did:key:z6Mk...#z6Mk...``.
- ``did:web`` (W3C CCG "did:web Method Specification", section 3.2 "Read (Resolve)"):
  ``did:web:example.com:path`` is read from ``https://example.com/path/did.json``.

Key rotation for ``did:web``: the document lists every key the issuer ever used, each with its
validity, so that documents signed with an older key remain verifiable. ``revoked`` is the
property of W3C Controlled Identifiers 1.0 (section 2.2 "Verification Methods");
``validFrom`` is an extension property of this platform (the lower bound of a key's use): a
verifier that ignores it only loses that bound. A key retired because it *leaked* must not stay
listed: anyone holding it could back-date ``created``; such documents are re-checked through the
ledger instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import unquote

from digitrade.systems.documents.vc.multibase import (
    MultibaseError,
    decode_public_key_multibase,
    public_key_multibase,
)

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
MULTIKEY = "Multikey"
DID_KEY_PREFIX = "did:key:"
DID_WEB_PREFIX = "did:web:"
# The verification relationships of DID Core section 5.3; did:key lists its key in all but
# keyAgreement (an Ed25519 key does not agree keys).
DID_KEY_RELATIONSHIPS = (
    "authentication",
    "assertionMethod",
    "capabilityInvocation",
    "capabilityDelegation",
)


_RESOLVER_CACHE_SIZE = 4096


class DidError(ValueError):
    """A DID, DID URL or DID document that cannot be used as asked."""


class UnknownVerificationMethod(LookupError):
    """No verification method with this id is known to the resolver."""


@dataclass(frozen=True, slots=True)
class VerificationKey:
    """What a verifier needs about one verification method: the raw Ed25519 key, the time
    window in which it could sign (``None``: open) and the relationships it is listed under
    (``None``: not checked)."""

    public_key: bytes
    valid_from: dt.datetime | None = None
    valid_until: dt.datetime | None = None
    purposes: frozenset[str] | None = None

    def valid_at(self, at: dt.datetime) -> bool:
        if self.valid_from is not None and at < self.valid_from:
            return False
        return self.valid_until is None or at < self.valid_until


def format_timestamp(value: dt.datetime) -> str:
    """XML Schema ``dateTimeStamp`` in UTC with a ``Z``, as VC 2.0 section 4.6 recommends."""
    if value.tzinfo is None:
        raise DidError("timestamps must be timezone-aware")
    return value.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: Any) -> dt.datetime:
    """A timezone-aware datetime from an XML Schema ``dateTimeStamp`` (offset required)."""
    if not isinstance(text, str):
        raise DidError(f"expected a dateTimeStamp string, got {type(text).__name__}")
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise DidError(f"{text!r} is not a dateTimeStamp") from None
    if value.tzinfo is None:
        raise DidError(f"{text!r} has no time zone (a dateTimeStamp requires one)")
    return value


# --- did:key ---------------------------------------------------------------------------------


def did_key(public_key: bytes) -> str:
    """``did:key:z6Mk...`` of a raw Ed25519 public key."""
    return DID_KEY_PREFIX + public_key_multibase(public_key)


def did_key_verification_method(public_key: bytes) -> str:
    """The verification method id ``did:key:z6Mk...#z6Mk...`` (did:key section 3.1.2)."""
    multibase = public_key_multibase(public_key)
    return f"{DID_KEY_PREFIX}{multibase}#{multibase}"


def did_key_public_key(did_or_url: str) -> bytes:
    """Raw Ed25519 key of a ``did:key`` DID or of its verification method id.

    The fragment, when present, must repeat the multibase key (the only method of the DID).
    """
    if not did_or_url.startswith(DID_KEY_PREFIX):
        raise DidError(f"{did_or_url!r} is not a did:key")
    identifier, _, fragment = did_or_url[len(DID_KEY_PREFIX) :].partition("#")
    if fragment and fragment != identifier:
        raise UnknownVerificationMethod(
            f"did:key {identifier} has no verification method #{fragment}"
        )
    try:
        return decode_public_key_multibase(identifier)
    except MultibaseError as exc:
        raise DidError(f"{did_or_url!r} is not an Ed25519 did:key: {exc}") from None


def did_key_document(did: str) -> dict[str, Any]:
    """The DID document of an Ed25519 ``did:key`` (did:key section 3.1.1, Multikey form)."""
    public_key = did_key_public_key(did)
    did = did.partition("#")[0]
    vm_id = did_key_verification_method(public_key)
    document: dict[str, Any] = {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": [
            {
                "id": vm_id,
                "type": MULTIKEY,
                "controller": did,
                "publicKeyMultibase": public_key_multibase(public_key),
            }
        ],
    }
    for relationship in DID_KEY_RELATIONSHIPS:
        document[relationship] = [vm_id]
    return document


# --- did:web ---------------------------------------------------------------------------------


class WebKey(NamedTuple):
    """One key of a did:web issuer: fragment id, raw Ed25519 key and validity window."""

    key_id: str
    public_key: bytes
    valid_from: dt.datetime
    revoked_at: dt.datetime | None = None


def did_web(domain: str, path: Sequence[str] = ()) -> str:
    """``did:web`` of a host (optionally ``host:port``) and path segments (did:web section 3.1).

    The port's colon is percent-encoded, path segments are joined with ``:``.
    """
    host = domain.strip().lower()
    if not host or "/" in host or "%" in host:
        raise DidError(f"{domain!r} is not a host name")
    for segment in path:
        if not segment or ":" in segment or "/" in segment:
            raise DidError(f"{segment!r} is not a did:web path segment")
    return ":".join([DID_WEB_PREFIX + host.replace(":", "%3A"), *path])


def did_web_url(did: str) -> str:
    """HTTPS URL of a ``did:web`` document (did:web section 3.2, steps 1-6).

    ``did:web:example.com`` -> ``https://example.com/.well-known/did.json``;
    ``did:web:example.com%3A3000:user:alice`` -> ``https://example.com:3000/user/alice/did.json``.
    """
    if not did.startswith(DID_WEB_PREFIX) or any(c in did for c in "#?/"):
        raise DidError(f"{did!r} is not a did:web DID (no fragment, query or '/' allowed)")
    host, *path = did[len(DID_WEB_PREFIX) :].split(":")
    host = unquote(host)  # only the port's colon is percent-encoded (section 3.2 step 2)
    if not host or "/" in host or any(not segment for segment in path):
        raise DidError(f"{did!r} has an empty host or path segment")
    return f"https://{host}/{'/'.join(path) if path else '.well-known'}/did.json"


def did_web_document(
    domain: str, path: Sequence[str], keys: Iterable[WebKey | tuple[Any, ...]]
) -> dict[str, Any]:
    """DID document of a did:web issuer listing all its keys, current and retired.

    Every key is an ``assertionMethod`` (so documents it signed while valid still verify); only
    keys without ``revoked_at`` are listed for ``authentication``. Keys are ordered by
    ``valid_from`` so the same keys always give the same document.
    """
    did = did_web(domain, path)
    records = sorted((WebKey(*key) for key in keys), key=lambda key: key.valid_from)
    seen: set[str] = set()
    methods: list[dict[str, Any]] = []
    for record in records:
        if not record.key_id or any(c in record.key_id for c in "#:/?"):
            raise DidError(f"{record.key_id!r} is not a usable key id (a DID URL fragment)")
        if record.key_id in seen:
            raise DidError(f"key id {record.key_id!r} appears twice")
        seen.add(record.key_id)
        if record.revoked_at is not None and record.revoked_at <= record.valid_from:
            raise DidError(f"key {record.key_id!r} is revoked before it becomes valid")
        method: dict[str, Any] = {
            "id": f"{did}#{record.key_id}",
            "type": MULTIKEY,
            "controller": did,
            "publicKeyMultibase": public_key_multibase(record.public_key),
            "validFrom": format_timestamp(record.valid_from),
        }
        if record.revoked_at is not None:
            method["revoked"] = format_timestamp(record.revoked_at)
        methods.append(method)
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
        "authentication": [method["id"] for method in methods if "revoked" not in method],
    }


# --- resolution ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyResolution:
    """Answer of :func:`resolve_verification_method`: the key and whether it could sign then."""

    verification_method: str
    valid: bool
    reason: str | None
    key: VerificationKey | None


def _absolute(did: str, reference: str) -> str:
    return did + reference if reference.startswith("#") else reference


def verification_key(did_document: Mapping[str, Any], vm_id: str) -> VerificationKey:
    """The :class:`VerificationKey` of ``vm_id`` as the DID document describes it.

    Raises :class:`UnknownVerificationMethod` when the document does not list it, and
    :class:`DidError` when it is listed but unusable (not an Ed25519 Multikey).
    """
    did = did_document.get("id")
    if not isinstance(did, str) or not vm_id.startswith(did + "#"):
        raise UnknownVerificationMethod(f"{vm_id!r} does not belong to DID document {did!r}")
    method: Mapping[str, Any] | None = None
    for candidate in did_document.get("verificationMethod") or ():
        if isinstance(candidate, Mapping) and _absolute(did, candidate.get("id", "")) == vm_id:
            method = candidate
            break
    purposes: set[str] = set()
    for relationship in (*DID_KEY_RELATIONSHIPS, "keyAgreement"):
        for entry in did_document.get(relationship) or ():
            if isinstance(entry, str) and _absolute(did, entry) == vm_id:
                purposes.add(relationship)
            elif isinstance(entry, Mapping) and _absolute(did, entry.get("id", "")) == vm_id:
                purposes.add(relationship)
                method = method or entry  # an embedded verification method
    if method is None:
        raise UnknownVerificationMethod(f"{did!r} lists no verification method {vm_id!r}")
    if method.get("type") != MULTIKEY:
        raise DidError(f"{vm_id!r} is a {method.get('type')!r}, expected Multikey")
    try:
        public_key = decode_public_key_multibase(method.get("publicKeyMultibase", ""))
    except MultibaseError as exc:
        raise DidError(f"{vm_id!r}: {exc}") from None
    valid_from = method.get("validFrom")
    ends = [parse_timestamp(method[name]) for name in ("revoked", "expires") if name in method]
    return VerificationKey(
        public_key=public_key,
        valid_from=parse_timestamp(valid_from) if valid_from is not None else None,
        valid_until=min(ends) if ends else None,
        purposes=frozenset(purposes),
    )


def resolve_verification_method(
    did_document: Mapping[str, Any],
    vm_id: str,
    at: dt.datetime,
    *,
    purpose: str = "assertionMethod",
) -> KeyResolution:
    """Whether ``vm_id`` of ``did_document`` was a valid ``purpose`` key at time ``at``.

    DID Core 1.0 section 5.3 (verification relationships) and Controlled Identifiers 1.0
    section 2.2 (``revoked``, ``expires``); ``validFrom`` as described in the module docstring.
    """
    if at.tzinfo is None:
        raise DidError("'at' must be timezone-aware")
    try:
        key = verification_key(did_document, vm_id)
    except (UnknownVerificationMethod, DidError) as exc:
        return KeyResolution(vm_id, False, str(exc), None)
    if key.purposes is not None and purpose not in key.purposes:
        return KeyResolution(vm_id, False, f"{vm_id!r} is not listed for {purpose}", key)
    if key.valid_from is not None and at < key.valid_from:
        return KeyResolution(
            vm_id, False, f"{vm_id!r} is valid only from {format_timestamp(key.valid_from)}", key
        )
    if key.valid_until is not None and at >= key.valid_until:
        return KeyResolution(
            vm_id,
            False,
            f"{vm_id!r} was revoked or expired at {format_timestamp(key.valid_until)}",
            key,
        )
    return KeyResolution(vm_id, True, None, key)


def key_resolver(
    did_documents: Iterable[Mapping[str, Any]] = (),
) -> Callable[[str], VerificationKey]:
    """A resolver for :func:`~digitrade.systems.documents.vc.eddsa_jcs_2022.verify_proof`.

    ``did:key`` methods are resolved from the identifier itself; other DIDs (e.g. did:web) only
    from the given, already fetched documents. Unknown methods raise
    :class:`UnknownVerificationMethod`. Make a new resolver when the documents change.
    """
    by_did = {document["id"]: document for document in did_documents}
    # Answers depend only on vm_id and the documents given here: keep them (decoding a
    # Multikey and walking the document costs about a tenth of a verification).
    known: dict[str, VerificationKey] = {}

    def resolve(vm_id: str) -> VerificationKey:
        key = known.get(vm_id)
        if key is None:
            key = _resolve(vm_id)
            if len(known) < _RESOLVER_CACHE_SIZE:  # did:key ids are unbounded: cap the cache
                known[vm_id] = key
        return key

    def _resolve(vm_id: str) -> VerificationKey:
        if vm_id.startswith(DID_KEY_PREFIX):
            try:
                return VerificationKey(
                    did_key_public_key(vm_id), purposes=frozenset(DID_KEY_RELATIONSHIPS)
                )
            except DidError as exc:
                raise UnknownVerificationMethod(str(exc)) from None
        document = by_did.get(vm_id.partition("#")[0])
        if document is None:
            raise UnknownVerificationMethod(f"no DID document for {vm_id!r}")
        try:
            return verification_key(document, vm_id)
        except DidError as exc:
            raise UnknownVerificationMethod(str(exc)) from None

    return resolve
