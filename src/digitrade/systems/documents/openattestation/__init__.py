"""Offline verification of OpenAttestation / TradeTrust wrapped documents (OA v2, v3 and v4).

OpenAttestation (Apache-2.0, reference: npm ``@govtechsg/open-attestation`` and
``@govtechsg/oa-verify``) commits to a document by salting and hashing every field into a
``targetHash`` and batching target hashes in a keccak256 Merkle tree whose root is then issued on
Ethereum (document store, token registry) or signed with a DID key. :func:`verify_document` checks
what needs no network: the document's integrity and, for DID-signed documents, that the signature
recovers the issuer's ``did:ethr`` address. Issuance on chain, revocation and DNS identity are
reported as skipped, never as passed.
"""

from digitrade.systems.documents.openattestation.model import (
    Fragment,
    FragmentStatus,
    FragmentType,
    OaVerification,
    SignatureCheck,
)
from digitrade.systems.documents.openattestation.verify import (
    FRAGMENT_NAMES,
    check_integrity,
    verify_document,
)

__all__ = [
    "FRAGMENT_NAMES",
    "Fragment",
    "FragmentStatus",
    "FragmentType",
    "OaVerification",
    "SignatureCheck",
    "check_integrity",
    "verify_document",
]
