"""OpenAttestation v4 (W3C VC 2.0) documents (reference: ``src/4.0/{hash,salt,verify}.ts`` and
``traverseAndFlatten.ts`` at tag ``v6.10.0-beta.8``; v4 was never released to npm).

v4 fixes v3's gaps (Open-Attestation/open-attestation#277): empty ``{}`` and ``[]`` are leaves,
and the leaf text carries a type tag, so ``true`` cannot become ``"true"``. Each leaf hashes as
``keccak256(JSON.stringify({"<path>": "<salt>:<type>:" + String(value)}))`` where type is one of
string, number, boolean, null, object, array (so ``{}`` is ``"[object Object]"`` and ``[]`` the
empty string, as template literals render them). Every leaf must have a salt; salts without a leaf
are ignored (``genTargetHash`` looks salts up by path). The ``targetHash`` combines the leaf
hashes with ``proof.privacy.obfuscated`` exactly as v2/v3 do; the proof type is
``OpenAttestationHashProof2018``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from digitrade.systems.documents.openattestation._hashing import js_json_string, keccak256_hex
from digitrade.systems.documents.openattestation.model import (
    DocumentFacts,
    OaFormatError,
    SignatureEntry,
)
from digitrade.systems.documents.openattestation.v2 import combine_hashes, obfuscated_hashes
from digitrade.systems.documents.openattestation.v3 import decode_salts, js_string

__all__ = ["PROOF_TYPE", "digest", "facts", "is_v4"]

PROOF_TYPE: Final = "OpenAttestationHashProof2018"
CONTEXT: Final = "https://schemata.openattestation.com/com/openattestation/4.0/context.json"


def is_v4(document: Mapping[str, object]) -> bool:
    proof = document.get("proof")
    if isinstance(proof, Mapping) and proof.get("type") == PROOF_TYPE:
        return True
    context = document.get("@context")
    return isinstance(context, list) and CONTEXT in context


def _leaf_text(salt: str, value: object) -> str:
    # `${salt}:${deriveType(value)}:${value}`
    if type(value) is str:
        return f"{salt}:string:{value}"
    if value is None:
        return f"{salt}:null:null"
    if value is True or value is False:
        return f"{salt}:boolean:{js_string(value)}"
    if isinstance(value, int | float):
        return f"{salt}:number:{js_string(value)}"
    if isinstance(value, Mapping):
        return f"{salt}:object:[object Object]"
    return f"{salt}:array:"


def _hash_leaves(node: object, path: str, salts: Mapping[str, str], out: list[str]) -> None:
    if isinstance(node, Mapping):
        if node:
            for key, value in node.items():
                if type(key) is not str:
                    raise OaFormatError(f"document has a non-string key {key!r}")
                _hash_leaves(value, f"{path}.{key}" if path else key, salts, out)
            return
    elif isinstance(node, list | tuple):
        if node:
            for index, value in enumerate(node):
                _hash_leaves(value, f"{path}[{index}]", salts, out)
            return
    elif not (node is None or isinstance(node, str | int | float)):
        raise OaFormatError(f"unexpected {type(node).__name__} at '{path}'")
    salt = salts.get(path)
    if not salt:
        raise OaFormatError(f"field '{path}' has no salt: it was added after wrapping")
    text = _leaf_text(salt, node)
    out.append(keccak256_hex(f"{{{js_json_string(path)}:{js_json_string(text)}}}"))


def digest(document: Mapping[str, object]) -> str:
    """The v4 ``targetHash`` (``genTargetHash``)."""
    proof = document.get("proof")
    if not isinstance(proof, Mapping):
        raise OaFormatError("v4 document has no 'proof' object: it is not wrapped")
    # Map semantics: a later salt for the same path wins.
    salts = dict(decode_salts(proof.get("salts")))
    privacy = proof.get("privacy")
    found = privacy.get("obfuscated") if isinstance(privacy, Mapping) else None
    hashes = list(obfuscated_hashes("proof.privacy.obfuscated", found))
    body = {key: value for key, value in document.items() if key != "proof"}
    if body:  # an empty credential is not treated as one empty-object leaf
        _hash_leaves(body, "", salts, hashes)
    return combine_hashes(hashes)


def facts(document: Mapping[str, object]) -> DocumentFacts:
    """Identity proof, credential status and DID signature named by a v4 document."""
    found = DocumentFacts()
    proof = document.get("proof")
    proof = proof if isinstance(proof, Mapping) else {}
    found.merkle_root = proof.get("merkleRoot")
    issuer = document.get("issuer")
    issuer = issuer if isinstance(issuer, Mapping) else {}
    identity = issuer.get("identityProof")
    kind = identity.get("identityProofType") if isinstance(identity, Mapping) else None
    if isinstance(kind, str):
        found.identities.add(kind)
    if kind in {"DID", "DNS-DID"}:
        found.methods.add("DID")
        issuer_id = issuer.get("id")
        found.required_dids.append(issuer_id if isinstance(issuer_id, str) else "")
    status = document.get("credentialStatus")
    status_type = status.get("type") if isinstance(status, Mapping) else None
    if isinstance(status_type, str):
        found.revocations.add(status_type)
    if "signature" in proof or "key" in proof:
        key = proof.get("key")
        found.signatures.append(
            SignatureEntry(key if isinstance(key, str) else "", proof.get("signature"))
        )
    return found
