"""Result types of offline OpenAttestation verification, shaped like the reference verifier's.

``@govtechsg/oa-verify`` returns a list of *fragments*, one per verification method, each with a
``name`` (``OpenAttestationHash``, ``OpenAttestationDidSignedDocumentStatus`` ...), a ``type``
(``DOCUMENT_INTEGRITY``, ``DOCUMENT_STATUS`` or ``ISSUER_IDENTITY``) and a ``status`` (``VALID``,
``INVALID``, ``SKIPPED`` or ``ERROR``). We keep that shape so results can be compared with the
reference, and add a plain-English ``reason`` to every fragment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "DocumentFacts",
    "Fragment",
    "FragmentStatus",
    "FragmentType",
    "OaFormatError",
    "OaVerification",
    "SignatureCheck",
    "SignatureEntry",
]


class OaFormatError(ValueError):
    """The document does not have the structure its OpenAttestation version requires."""


class FragmentStatus(StrEnum):
    VALID = "VALID"
    INVALID = "INVALID"
    SKIPPED = "SKIPPED"
    ERROR = "ERROR"


class FragmentType(StrEnum):
    DOCUMENT_INTEGRITY = "DOCUMENT_INTEGRITY"
    DOCUMENT_STATUS = "DOCUMENT_STATUS"
    ISSUER_IDENTITY = "ISSUER_IDENTITY"


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """One DID signature: who it claims to be from, who actually signed, and whether they agree."""

    verification_method: str
    recovered_address: str | None
    expected_address: str | None
    matches: bool
    problem: str = ""


@dataclass(frozen=True, slots=True)
class Fragment:
    name: str
    type: FragmentType
    status: FragmentStatus
    reason: str
    signatures: tuple[SignatureCheck, ...] = ()


@dataclass(frozen=True, slots=True)
class OaVerification:
    """Everything :func:`verify_document` could establish without network access.

    ``verified_offline`` is true only when integrity holds and, for a DID-signed document, every
    signature recovers its issuer's address. It never covers issuance on a chain, revocation or
    DNS identity: those fragments are always ``SKIPPED`` here.
    """

    version: str | None
    fragments: tuple[Fragment, ...]
    verified_offline: bool
    target_hash_matches: bool | None = None
    merkle_proof_matches_root: bool | None = None
    error: str | None = None

    def fragment(self, name: str) -> Fragment:
        for item in self.fragments:
            if item.name == name:
                return item
        raise KeyError(name)

    @property
    def integrity(self) -> Fragment:
        return self.fragment("OpenAttestationHash")

    @property
    def did_signature(self) -> Fragment:
        return self.fragment("OpenAttestationDidSignedDocumentStatus")


@dataclass(frozen=True, slots=True)
class SignatureEntry:
    verification_method: str
    signature: object


@dataclass(slots=True)
class DocumentFacts:
    """What a version module reads from a document for the status and identity fragments."""

    merkle_root: object = None
    # Issuance methods named in the document: DOCUMENT_STORE, TOKEN_REGISTRY, DID.
    methods: set[str] = field(default_factory=set)
    # Identity proof types: DNS-TXT, DNS-DID, DID.
    identities: set[str] = field(default_factory=set)
    # Issuer DIDs that must have signed (their identity proof is DID or DNS-DID).
    required_dids: list[str] = field(default_factory=list)
    signatures: list[SignatureEntry] = field(default_factory=list)
    # Revocation schemes other than NONE (REVOCATION_STORE, OCSP_RESPONDER, ...).
    revocations: set[str] = field(default_factory=set)
