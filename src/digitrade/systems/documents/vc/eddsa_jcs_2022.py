"""The ``eddsa-jcs-2022`` cryptosuite: Data Integrity proofs with Ed25519 over RFC 8785 JSON.

Implements W3C "Data Integrity EdDSA Cryptosuites v1.0" (Recommendation, May 2025), section 3.3:

- 3.3.1 Create Proof and 3.3.2 Verify Proof (:func:`create_proof`, :func:`verify_proof`);
- 3.3.3 Transformation (:func:`canonical_document`): JCS of the document without ``proof``;
- 3.3.4 Hashing (:func:`hash_data`): ``SHA-256(proof config) || SHA-256(document)``, the proof
  configuration's hash first (64 bytes; the W3C test vector ``combinedHashJCS.txt`` agrees);
- 3.3.5 Proof Configuration (:func:`proof_configuration`, :func:`canonical_proof_config`);
- 3.3.6 Proof Serialization (:func:`sign`) and 3.3.7 Proof Verification
  (:func:`verify_signature`): Ed25519 (RFC 8032) over the 64 bytes of hash data;
- ``proofValue`` is multibase base58btc (``z...``).

The generic checks of W3C "Verifiable Credential Data Integrity 1.0" section 4.3 "Verify
Proof" (proof purpose, ``expires``, ``domain``, ``challenge``) are done too, plus the platform's
key-rotation rule: the proof's ``created`` time must lie in the key's validity window.

Proof sets and chains (Data Integrity 1.0 section 2.1.1/2.1.2) are not supported: a document
with more than one proof, or a proof with ``previousProof``, is rejected with its own reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from digitrade.core.crypto.jcs import canonicalize_plain, is_plain_json
from digitrade.systems.documents.vc.did import (
    DidError,
    VerificationKey,
    format_timestamp,
    parse_timestamp,
)
from digitrade.systems.documents.vc.multibase import (
    MultibaseError,
    decode_base58btc,
    encode_base58btc,
)

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
SIGNATURE_BYTES = 64

# Resolvers may answer with the raw key only, or with its validity and relationships.
KeyResolver = Callable[[str], bytes | VerificationKey]


class ProofError(ValueError):
    """Creating a proof is impossible (spec errors PROOF_GENERATION_ERROR and
    PROOF_TRANSFORMATION_ERROR): wrong type/cryptosuite, non-JSON values, existing proof."""


class FailureCode(StrEnum):
    """Why a proof does not verify; each code is one check of :func:`verify_proof`."""

    PROOF_MISSING = "proof_missing"
    PROOF_SET_UNSUPPORTED = "proof_set_unsupported"
    PROOF_CHAIN_UNSUPPORTED = "proof_chain_unsupported"
    MALFORMED_PROOF = "malformed_proof"
    MALFORMED_DOCUMENT = "malformed_document"
    WRONG_PROOF_TYPE = "wrong_proof_type"
    WRONG_CRYPTOSUITE = "wrong_cryptosuite"
    BAD_PROOF_VALUE = "bad_proof_value"
    CONTEXT_MISMATCH = "context_mismatch"
    WRONG_PROOF_PURPOSE = "wrong_proof_purpose"
    BAD_CREATED = "bad_created"
    PROOF_EXPIRED = "proof_expired"
    DOMAIN_MISMATCH = "domain_mismatch"
    CHALLENGE_MISMATCH = "challenge_mismatch"
    UNKNOWN_VERIFICATION_METHOD = "unknown_verification_method"
    BAD_PUBLIC_KEY = "bad_public_key"
    KEY_NOT_VALID_AT_CREATED = "key_not_valid_at_created"
    SIGNATURE_MISMATCH = "signature_mismatch"


@dataclass(frozen=True, slots=True)
class CheckFailure:
    code: FailureCode
    message: str


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """``verified`` is true only when no check failed."""

    verified: bool
    failures: tuple[CheckFailure, ...] = ()
    verification_method: str | None = None
    created: str | None = None
    codes: frozenset[FailureCode] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "codes", frozenset(f.code for f in self.failures))


# --- the algorithm's steps -------------------------------------------------------------------


def jcs(value: Any) -> bytes:
    """RFC 8785 bytes of a JSON value; strict: non-JSON values raise :class:`ProofError`.

    Plain JSON (no floats, safe integers, ASCII keys) takes the fast standard encoder, which is
    byte-identical to RFC 8785 for such values (see ``digitrade.core.crypto.jcs``).
    """
    if is_plain_json(value):
        return canonicalize_plain(value)
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as exc:
        raise ProofError(f"not canonicalisable JSON (RFC 8785): {exc}") from None


def proof_options(
    *,
    verification_method: str,
    created: str | dt.datetime,
    proof_purpose: str = "assertionMethod",
    expires: str | dt.datetime | None = None,
    domain: str | None = None,
    challenge: str | None = None,
    nonce: str | None = None,
    proof_id: str | None = None,
) -> dict[str, Any]:
    """Proof options of Data Integrity 1.0 section 2.1 ("Proofs"), in the vectors' key order."""
    options: dict[str, Any] = {}
    if proof_id is not None:
        options["id"] = proof_id
    options["type"] = PROOF_TYPE
    options["cryptosuite"] = CRYPTOSUITE
    options["created"] = _timestamp_text(created, "created")
    if expires is not None:
        options["expires"] = _timestamp_text(expires, "expires")
    options["verificationMethod"] = verification_method
    options["proofPurpose"] = proof_purpose
    for name, value in (("domain", domain), ("challenge", challenge), ("nonce", nonce)):
        if value is not None:
            options[name] = value
    return options


def _timestamp_text(value: str | dt.datetime, name: str) -> str:
    if isinstance(value, dt.datetime):
        return format_timestamp(value)
    try:
        parse_timestamp(value)
    except DidError as exc:
        raise ProofError(f"{name}: {exc}") from None
    return value


def _check_suite(options: Mapping[str, Any]) -> None:
    if options.get("type") != PROOF_TYPE or options.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(
            f"proof type {options.get('type')!r} / cryptosuite {options.get('cryptosuite')!r} "
            f"is not {PROOF_TYPE} / {CRYPTOSUITE}"
        )


def proof_configuration(
    options: Mapping[str, Any], unsecured_document: Mapping[str, Any]
) -> dict[str, Any]:
    """Section 3.3.5 steps 1-5: the options (without ``proofValue``) plus the document's
    ``@context`` when it has one. A new dict: the caller's options are not changed."""
    _check_suite(options)
    config = {name: value for name, value in options.items() if name != "proofValue"}
    if "@context" in unsecured_document:
        config["@context"] = unsecured_document["@context"]
    return config


def canonical_proof_config(proof_config: Mapping[str, Any]) -> bytes:
    """Section 3.3.5 step 6: JCS of the proof configuration (``proofCanonJCS.txt``)."""
    return jcs(proof_config)


def canonical_document(unsecured_document: Mapping[str, Any]) -> bytes:
    """Section 3.3.3 Transformation: JCS of the document without ``proof``
    (``canonDocJCS.txt``)."""
    return jcs(unsecured_document)


def hash_data(canonical_proof_config: bytes, canonical_document: bytes) -> bytes:
    """Section 3.3.4 Hashing: ``SHA-256(canonical proof config) || SHA-256(canonical
    document)`` (``combinedHashJCS.txt``; the proof hash comes first)."""
    return (
        hashlib.sha256(canonical_proof_config).digest()
        + hashlib.sha256(canonical_document).digest()
    )


def sign(data: bytes, private_key: Ed25519PrivateKey) -> bytes:
    """Section 3.3.6 Proof Serialization: the 64-byte Ed25519 signature (``sigHexJCS.txt``)."""
    return private_key.sign(data)


def encode_proof_value(signature: bytes) -> str:
    """``proofValue``: multibase base58btc of the signature (``sigBTC58JCS.txt``)."""
    return encode_base58btc(signature)


def decode_proof_value(proof_value: Any) -> bytes:
    """The 64 signature bytes of a ``proofValue``; :class:`MultibaseError` otherwise."""
    signature = decode_base58btc(proof_value)
    if len(signature) != SIGNATURE_BYTES:
        raise MultibaseError(
            f"an Ed25519 signature has {SIGNATURE_BYTES} bytes, proofValue has {len(signature)}"
        )
    return signature


@lru_cache(maxsize=1024)
def _public_key(raw: bytes) -> Ed25519PublicKey:
    # Issuers have few keys and loading one costs as much as a hash: keep them.
    return Ed25519PublicKey.from_public_bytes(raw)


def verify_signature(data: bytes, signature: bytes, public_key: bytes) -> bool:
    """Section 3.3.7 Proof Verification: Ed25519 verification of the hash data.

    Raises ``ValueError`` when ``public_key`` is not a 32-byte Ed25519 key.
    """
    try:
        _public_key(bytes(public_key)).verify(signature, data)
    except InvalidSignature:
        return False
    return True


# --- create ----------------------------------------------------------------------------------


def create_proof(
    document: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: str | dt.datetime,
    proof_purpose: str = "assertionMethod",
    expires: str | dt.datetime | None = None,
    domain: str | None = None,
    challenge: str | None = None,
    nonce: str | None = None,
    proof_id: str | None = None,
) -> dict[str, Any]:
    """Section 3.3.1 Create Proof, returning the secured document (Data Integrity 1.0
    section 4.2 "Add Proof"): a new dict, ``document`` itself is left as it was.

    Values are shared with ``document``, not copied: do not change one afterwards.
    """
    if "proof" in document:
        raise ProofError("the document already has a proof (proof sets are not supported)")
    options = proof_options(
        verification_method=verification_method,
        created=created,
        proof_purpose=proof_purpose,
        expires=expires,
        domain=domain,
        challenge=challenge,
        nonce=nonce,
        proof_id=proof_id,
    )
    proof = proof_configuration(options, document)
    data = hash_data(canonical_proof_config(proof), canonical_document(document))
    proof["proofValue"] = encode_proof_value(sign(data, private_key))
    return {**document, "proof": proof}


# --- verify ----------------------------------------------------------------------------------


def _context_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _optional_time(
    proof: Mapping[str, Any], name: str, code: FailureCode, failures: list[CheckFailure]
) -> dt.datetime | None:
    if name not in proof:
        return None
    try:
        return parse_timestamp(proof[name])
    except DidError as exc:
        failures.append(CheckFailure(code, f"proof {name}: {exc}"))
        return None


def verify_proof(
    secured: Mapping[str, Any],
    resolve_public_key: KeyResolver,
    *,
    expected_proof_purpose: str = "assertionMethod",
    now: dt.datetime | None = None,
    domain: str | None = None,
    challenge: str | None = None,
) -> VerificationResult:
    """Section 3.3.2 Verify Proof plus the checks of Data Integrity 1.0 section 4.3.

    ``resolve_public_key(verification_method)`` returns the raw Ed25519 key or a
    :class:`~digitrade.systems.documents.vc.did.VerificationKey` (with validity window and
    relationships); it raises ``LookupError`` for an unknown method. ``now`` enables the
    ``expires`` check; ``domain``/``challenge`` are compared when given. Every check that can
    run is run, so the result lists all failures, not only the first.
    """
    failures: list[CheckFailure] = []

    def fail(code: FailureCode, message: str) -> VerificationResult:
        failures.append(CheckFailure(code, message))
        return VerificationResult(False, tuple(failures))

    proof = secured.get("proof")
    if proof is None:
        return fail(FailureCode.PROOF_MISSING, "the document has no proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            return fail(
                FailureCode.PROOF_SET_UNSUPPORTED,
                f"the document has {len(proof)} proofs; proof sets are not supported",
            )
        proof = proof[0]
    if not isinstance(proof, Mapping):
        return fail(FailureCode.MALFORMED_PROOF, "proof is not a JSON object")
    if "previousProof" in proof:
        return fail(FailureCode.PROOF_CHAIN_UNSUPPORTED, "proof chains are not supported")

    # Steps 1-2: shallow copies; the values are only read, never changed.
    unsecured = {name: value for name, value in secured.items() if name != "proof"}
    options = {name: value for name, value in proof.items() if name != "proofValue"}
    vm_id = options.get("verificationMethod")
    created_text = options.get("created")

    # Transformation step 1 (3.3.3): type and cryptosuite.
    if options.get("type") != PROOF_TYPE:
        failures.append(
            CheckFailure(
                FailureCode.WRONG_PROOF_TYPE,
                f"proof type is {options.get('type')!r}, expected {PROOF_TYPE!r}",
            )
        )
    if options.get("cryptosuite") != CRYPTOSUITE:
        failures.append(
            CheckFailure(
                FailureCode.WRONG_CRYPTOSUITE,
                f"cryptosuite is {options.get('cryptosuite')!r}, expected {CRYPTOSUITE!r}",
            )
        )

    # Step 3: the signature bytes.
    signature: bytes | None = None
    try:
        signature = decode_proof_value(proof.get("proofValue"))
    except MultibaseError as exc:
        failures.append(CheckFailure(FailureCode.BAD_PROOF_VALUE, f"proofValue: {exc}"))

    # Step 4: the proof's @context must open the document's, and then replaces it.
    if "@context" in options:
        proof_context = _context_list(options["@context"])
        document_context = _context_list(secured.get("@context", []))
        if document_context[: len(proof_context)] != proof_context:
            failures.append(
                CheckFailure(
                    FailureCode.CONTEXT_MISMATCH,
                    "the document's @context does not start with the proof's @context",
                )
            )
        unsecured["@context"] = options["@context"]

    # Data Integrity 4.3: purpose, created, expires, domain, challenge.
    purpose = options.get("proofPurpose")
    if purpose != expected_proof_purpose:
        failures.append(
            CheckFailure(
                FailureCode.WRONG_PROOF_PURPOSE,
                f"proofPurpose is {purpose!r}, expected {expected_proof_purpose!r}",
            )
        )
    created = _optional_time(options, "created", FailureCode.BAD_CREATED, failures)
    expires = _optional_time(options, "expires", FailureCode.MALFORMED_PROOF, failures)
    if expires is not None and now is not None and now >= expires:
        failures.append(
            CheckFailure(FailureCode.PROOF_EXPIRED, f"the proof expired at {options['expires']}")
        )
    if domain is not None and options.get("domain") != domain:
        failures.append(
            CheckFailure(
                FailureCode.DOMAIN_MISMATCH,
                f"proof domain is {options.get('domain')!r}, expected {domain!r}",
            )
        )
    if challenge is not None and options.get("challenge") != challenge:
        failures.append(
            CheckFailure(FailureCode.CHALLENGE_MISMATCH, "proof challenge does not match")
        )

    # The verification method, its relationships and validity window.
    public_key: bytes | None = None
    if not isinstance(vm_id, str) or not vm_id:
        failures.append(
            CheckFailure(FailureCode.MALFORMED_PROOF, "proof has no verificationMethod")
        )
    else:
        try:
            resolved = resolve_public_key(vm_id)
        except LookupError as exc:
            failures.append(
                CheckFailure(
                    FailureCode.UNKNOWN_VERIFICATION_METHOD,
                    f"verification method {vm_id!r} is unknown: {exc}",
                )
            )
        else:
            if isinstance(resolved, VerificationKey):
                public_key = resolved.public_key
                if resolved.purposes is not None and purpose not in resolved.purposes:
                    failures.append(
                        CheckFailure(
                            FailureCode.WRONG_PROOF_PURPOSE,
                            f"verification method {vm_id!r} is not listed for {purpose!r}",
                        )
                    )
                if resolved.valid_from is not None or resolved.valid_until is not None:
                    if created is None:
                        failures.append(
                            CheckFailure(
                                FailureCode.KEY_NOT_VALID_AT_CREATED,
                                f"key {vm_id!r} has a validity window but the proof has no "
                                "usable created time",
                            )
                        )
                    elif not resolved.valid_at(created):
                        failures.append(
                            CheckFailure(
                                FailureCode.KEY_NOT_VALID_AT_CREATED,
                                f"proof created {created_text} is outside the validity of key "
                                f"{vm_id!r}",
                            )
                        )
            else:
                public_key = resolved

    # Steps 5-8: transformation, configuration, hashing and the signature itself.
    codes = {failure.code for failure in failures}
    suite_ok = not codes & {FailureCode.WRONG_PROOF_TYPE, FailureCode.WRONG_CRYPTOSUITE}
    if signature is not None and public_key is not None and suite_ok:
        try:
            config = proof_configuration(options, unsecured)
            data = hash_data(canonical_proof_config(config), canonical_document(unsecured))
        except ProofError as exc:
            failures.append(CheckFailure(FailureCode.MALFORMED_DOCUMENT, str(exc)))
        else:
            try:
                good = verify_signature(data, signature, public_key)
            except ValueError as exc:
                failures.append(
                    CheckFailure(FailureCode.BAD_PUBLIC_KEY, f"key of {vm_id!r}: {exc}")
                )
            else:
                if not good:
                    failures.append(
                        CheckFailure(
                            FailureCode.SIGNATURE_MISMATCH,
                            "the Ed25519 signature does not match the document and proof "
                            f"configuration under key {vm_id!r}",
                        )
                    )
    return VerificationResult(
        verified=not failures,
        failures=tuple(failures),
        verification_method=vm_id if isinstance(vm_id, str) else None,
        created=created_text if isinstance(created_text, str) else None,
    )
