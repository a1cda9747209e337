"""``verify_document``: everything about an OpenAttestation document that can be checked offline.

The reference verifier (``@govtechsg/oa-verify``, ``verify()`` with the default verifiers) runs
one *fragment* per method; we run the same set and say for each what could be established without
network access:

- ``OpenAttestationHash`` (document integrity): recompute ``targetHash`` from the document's
  fields (:mod:`.v2`, :mod:`.v3`, :mod:`.v4`) and fold the Merkle proof up to ``merkleRoot``
  (:mod:`.merkle`). Fully offline.
- ``OpenAttestationDidSignedDocumentStatus``: recover the signer of the EIP-191 signature over
  ``merkleRoot`` and compare it with the ``did:ethr`` address (:mod:`.signature`). Offline for
  ``did:ethr`` controller keys; revocation (revocation store, OCSP responder) is not checked.
- ``OpenAttestationEthereumTokenRegistryStatus`` / ``OpenAttestationEthereumDocumentStoreStatus``
  (issuance on chain) and ``OpenAttestationDnsTxtIdentityProof`` /
  ``OpenAttestationDnsDidIdentityProof`` (issuer identity in DNS) need an Ethereum node or DNS:
  they are always ``SKIPPED`` with a reason, never passed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from digitrade.systems.documents.openattestation import v2, v3, v4
from digitrade.systems.documents.openattestation.merkle import check_proof, parse_hash
from digitrade.systems.documents.openattestation.model import (
    DocumentFacts,
    Fragment,
    FragmentStatus,
    FragmentType,
    OaFormatError,
    OaVerification,
    SignatureCheck,
)
from digitrade.systems.documents.openattestation.signature import (
    NotCheckableOffline,
    did_ethr_address,
    recover_personal_sign_address,
)

__all__ = ["FRAGMENT_NAMES", "check_integrity", "verify_document"]

HASH = "OpenAttestationHash"
TOKEN_REGISTRY = "OpenAttestationEthereumTokenRegistryStatus"  # noqa: S105 - a name, no secret
DOCUMENT_STORE = "OpenAttestationEthereumDocumentStoreStatus"
DID_SIGNED = "OpenAttestationDidSignedDocumentStatus"
DNS_TXT = "OpenAttestationDnsTxtIdentityProof"
DNS_DID = "OpenAttestationDnsDidIdentityProof"
FRAGMENT_NAMES = (HASH, TOKEN_REGISTRY, DOCUMENT_STORE, DID_SIGNED, DNS_TXT, DNS_DID)

_ETHEREUM = "not checkable offline: needs Ethereum network access"
_DNS = "not checkable offline: needs DNS access"

Digest = Callable[[Mapping[str, object]], str]
Facts = Callable[[Mapping[str, object]], DocumentFacts]


def _skipped(name: str, kind: FragmentType, reason: str) -> Fragment:
    return Fragment(name, kind, FragmentStatus.SKIPPED, reason)


def _error_result(reason: str, version: str | None = None) -> OaVerification:
    not_checked = f"not checked: {reason}"
    return OaVerification(
        version=version,
        fragments=(
            Fragment(HASH, FragmentType.DOCUMENT_INTEGRITY, FragmentStatus.ERROR, reason),
            _skipped(TOKEN_REGISTRY, FragmentType.DOCUMENT_STATUS, not_checked),
            _skipped(DOCUMENT_STORE, FragmentType.DOCUMENT_STATUS, not_checked),
            _skipped(DID_SIGNED, FragmentType.DOCUMENT_STATUS, not_checked),
            _skipped(DNS_TXT, FragmentType.ISSUER_IDENTITY, not_checked),
            _skipped(DNS_DID, FragmentType.ISSUER_IDENTITY, not_checked),
        ),
        verified_offline=False,
        error=reason,
    )


def _integrity(
    document: Mapping[str, object], digest: Digest, target: object, proof: object, root: object
) -> tuple[Fragment, bool, bool]:
    problems: list[str] = []
    try:
        computed: str | None = digest(document)
    except OaFormatError as exc:
        computed = None
        problems.append(f"targetHash cannot be recomputed: {exc}")
    target_ok = computed is not None and computed == target
    if computed is not None and not target_ok:
        problems.append(
            f"targetHash mismatch: the fields hash to {computed} but the document says "
            f"{target!r}, so its contents were changed after wrapping"
        )
    merkle = check_proof(target, proof, root)
    if not merkle.ok:
        problems.append(merkle.problem)
    if problems:
        reason = "Document integrity check failed: " + "; ".join(problems) + "."
        status = FragmentStatus.INVALID
    else:
        reason = (
            "Document integrity holds: targetHash recomputed from the fields matches, and the "
            "merkle proof leads from targetHash to merkleRoot."
        )
        status = FragmentStatus.VALID
    fragment = Fragment(HASH, FragmentType.DOCUMENT_INTEGRITY, status, reason)
    return fragment, target_ok, merkle.ok


def _did_of(text: str) -> str:
    return text.split("#", 1)[0].lower()


def _check_signature(method: str, signature: object, root: bytes) -> tuple[SignatureCheck, bool]:
    """One signature check, and whether it failed only for want of network access."""
    try:
        key = did_ethr_address(method)
    except NotCheckableOffline as exc:
        return SignatureCheck(method, None, None, False, f"{_ETHEREUM} ({exc})"), True
    except ValueError as exc:
        return SignatureCheck(method, None, None, False, str(exc)), False
    try:
        recovered = recover_personal_sign_address(root, signature)
    except ValueError as exc:
        return SignatureCheck(method, None, key.address, False, f"bad signature: {exc}"), False
    if recovered != key.address:
        problem = f"the signature was made by {recovered}, not by {key.address}"
        return SignatureCheck(method, recovered, key.address, False, problem), False
    return SignatureCheck(method, recovered, key.address, True), False


def _did_signed(facts: DocumentFacts) -> tuple[Fragment, bool]:
    """The DID fragment, and whether it stands in the way of ``verified_offline``."""

    def result(
        status: FragmentStatus, reason: str, checks: tuple[SignatureCheck, ...] = ()
    ) -> Fragment:
        return Fragment(DID_SIGNED, FragmentType.DOCUMENT_STATUS, status, reason, checks)

    if not facts.signatures and not facts.required_dids:
        return result(
            FragmentStatus.SKIPPED, "not applicable: the document is not DID-signed"
        ), False
    if not facts.signatures:
        reason = (
            "DID signature check failed: the issuer's identity is a DID but the document "
            "carries no signature."
        )
        return result(FragmentStatus.INVALID, reason), True
    root = parse_hash(facts.merkle_root)
    if root is None:
        reason = "DID signature check failed: merkleRoot is not a 32-byte hex hash."
        return result(FragmentStatus.INVALID, reason), True
    outcomes = [
        _check_signature(e.verification_method, e.signature, root) for e in facts.signatures
    ]
    checks = tuple(check for check, _ in outcomes)
    failed = [c for c, offline in outcomes if not c.matches and not offline]
    if failed:
        detail = "; ".join(f"{c.verification_method or '(no key)'}: {c.problem}" for c in failed)
        return result(
            FragmentStatus.INVALID, f"DID signature check failed: {detail}.", checks
        ), True
    signed_by = {_did_of(c.verification_method) for c in checks if c.matches}
    unsigned = [did for did in facts.required_dids if _did_of(did) not in signed_by]
    gaps = [c for c, offline in outcomes if offline]
    if gaps:
        detail = "; ".join(f"{c.verification_method}: {c.problem}" for c in gaps)
        return result(FragmentStatus.SKIPPED, detail, checks), True
    if unsigned:
        names = ", ".join(did or "(missing key)" for did in unsigned)
        reason = f"DID signature check failed: no valid signature from the issuer {names}."
        return result(FragmentStatus.INVALID, reason, checks), True
    who = ", ".join(c.verification_method for c in checks)
    reason = f"The signature over merkleRoot recovers the address of {who}."
    if facts.revocations:
        kinds = ", ".join(sorted(facts.revocations))
        reason += (
            f" Revocation ({kinds}) was not checked: it needs network access "
            "(an Ethereum node for a revocation store, or the OCSP responder)."
        )
    return result(FragmentStatus.VALID, reason, checks), False


def _status_fragments(facts: DocumentFacts) -> list[Fragment]:
    status = FragmentType.DOCUMENT_STATUS
    return [
        _skipped(
            TOKEN_REGISTRY,
            status,
            f"{_ETHEREUM} (ownerOf(merkleRoot) on the token registry)"
            if "TOKEN_REGISTRY" in facts.methods
            else "not applicable: the document is not issued on a token registry",
        ),
        _skipped(
            DOCUMENT_STORE,
            status,
            f"{_ETHEREUM} (isIssued/isRevoked on the document store)"
            if "DOCUMENT_STORE" in facts.methods
            else "not applicable: the document is not issued on a document store",
        ),
    ]


def _identity_fragments(facts: DocumentFacts) -> list[Fragment]:
    identity = FragmentType.ISSUER_IDENTITY
    return [
        _skipped(
            DNS_TXT,
            identity,
            f"{_DNS} (openatts TXT record at the issuer's domain)"
            if "DNS-TXT" in facts.identities
            else "not applicable: the issuer's identity is not a DNS-TXT proof",
        ),
        _skipped(
            DNS_DID,
            identity,
            f"{_DNS} (openatts a=dns-did TXT record at the issuer's domain)"
            if "DNS-DID" in facts.identities
            else "not applicable: the issuer's identity is not a DNS-DID proof",
        ),
    ]


def _select(document: Mapping[str, object]) -> tuple[str, Digest, Facts, object, object, object]:
    """Version, its digest and facts functions, and (targetHash, proof, merkleRoot)."""
    if v2.is_v2(document):
        signature = document.get("signature")
        if not isinstance(signature, Mapping):
            raise OaFormatError("this OA v2 document is not wrapped: it has no 'signature'")
        proof = signature.get("proof")
        return (
            "2.0",
            v2.digest,
            v2.facts,
            signature.get("targetHash"),
            proof,
            signature.get("merkleRoot"),
        )
    if v4.is_v4(document):
        version, digest, facts = "4.0", v4.digest, v4.facts
    elif v3.is_v3(document):
        version, digest, facts = "3.0", v3.digest, v3.facts
    else:
        raise OaFormatError(
            "not an OpenAttestation wrapped document: no v2 'signature' and no v3/v4 'proof'"
        )
    proof_block = document.get("proof")
    if not isinstance(proof_block, Mapping):
        raise OaFormatError(f"this OA v{version[0]} document is not wrapped: it has no 'proof'")
    return (
        version,
        digest,
        facts,
        proof_block.get("targetHash"),
        proof_block.get("proofs"),
        proof_block.get("merkleRoot"),
    )


def verify_document(document: object) -> OaVerification:
    """Verify an OpenAttestation v2, v3 or v4 wrapped (or DID-signed) document offline.

    Never raises for bad input: anything that is not a wrapped OA document gives a result with
    ``error`` set, an ``ERROR`` integrity fragment and ``verified_offline=False``.
    """
    if not isinstance(document, Mapping):
        return _error_result(f"expected a JSON object, got {type(document).__name__}")
    try:
        version, digest, facts_of, target, proof, root = _select(document)
    except OaFormatError as exc:
        return _error_result(str(exc))
    try:
        integrity, target_ok, merkle_ok = _integrity(document, digest, target, proof, root)
        facts = facts_of(document)
        did_fragment, did_blocks = _did_signed(facts)
        fragments = (
            integrity,
            *_status_fragments(facts),
            did_fragment,
            *_identity_fragments(facts),
        )
    except RecursionError:
        return _error_result("the document is nested too deeply to verify", version)
    except Exception as exc:  # bad input must give a result, not an exception
        return _error_result(f"the document could not be verified: {exc}", version)
    return OaVerification(
        version=version,
        fragments=fragments,
        verified_offline=integrity.status is FragmentStatus.VALID and not did_blocks,
        target_hash_matches=target_ok,
        merkle_proof_matches_root=merkle_ok,
    )


def check_integrity(document: object) -> Fragment:
    """Only the ``OpenAttestationHash`` fragment: the counterpart of the reference library's
    ``verifySignature()`` (targetHash recomputation and Merkle proof, no signature or status).
    """
    if not isinstance(document, Mapping):
        return _error_result(f"expected a JSON object, got {type(document).__name__}").integrity
    try:
        _, digest, _, target, proof, root = _select(document)
        return _integrity(document, digest, target, proof, root)[0]
    except OaFormatError as exc:
        return _error_result(str(exc)).integrity
    except RecursionError:
        return _error_result("the document is nested too deeply to verify").integrity
    except Exception as exc:  # bad input must give a result, not an exception
        return _error_result(f"the document could not be verified: {exc}").integrity
