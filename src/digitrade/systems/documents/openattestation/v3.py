"""OpenAttestation v3 wrapped documents (reference: ``src/3.0/{salt,digest,verify}.ts``).

v3 documents are W3C VC 1.1 shaped and keep values unsalted; ``proof.salts`` is
``base64(JSON([{value: <64 hex>, path: "a.b[0].c"}, ...]))``. Leaves are primitives only (empty
``{}``/``[]`` are not leaves) at paths written ``key.key[index]``; each visible leaf hashes as
``keccak256(JSON.stringify({"<path>": "<salt>:" + String(value)}))`` (no type tag), and the
``targetHash`` combines those with ``proof.privacy.obfuscated`` as in v2.

The reference also requires the number of visible leaves to equal the number of salts, and looks
each salt's path up with lodash ``get``. That check can be satisfied by a document that adds an
unsalted field while moving a real field's hash into ``obfuscated`` and keeping its salt, so we
check more strictly: every visible leaf must have exactly one salt and every salt a visible leaf.
Documents produced by ``wrapDocument``/``obfuscate`` always satisfy this.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Final

from digitrade.systems.documents.openattestation._hashing import (
    js_json_string,
    js_number,
    keccak256_hex,
)
from digitrade.systems.documents.openattestation.model import (
    DocumentFacts,
    OaFormatError,
    SignatureEntry,
)
from digitrade.systems.documents.openattestation.v2 import combine_hashes, obfuscated_hashes

__all__ = ["PROOF_TYPE", "SCHEMA", "decode_salts", "digest", "facts", "is_v3", "leaves"]

SCHEMA: Final = "https://schema.openattestation.com/3.0/schema.json"
PROOF_TYPE: Final = "OpenAttestationMerkleProofSignature2018"
SALT_HEX_LENGTH: Final = 64  # the reference's ENTROPY_IN_BYTES * 2


def is_v3(document: Mapping[str, object]) -> bool:
    version = document.get("version")
    if isinstance(version, str) and version.startswith("https://schema.openattestation.com/3.0/"):
        return True
    proof = document.get("proof")
    return isinstance(proof, Mapping) and proof.get("type") == PROOF_TYPE


def decode_salts(encoded: object) -> list[tuple[str, str]]:
    """``decodeSalt``: base64 (standard or URL-safe, as js-base64 accepts) of a JSON salt list."""
    if not isinstance(encoded, str):
        raise OaFormatError("proof.salts is missing or not a string")
    text = encoded.replace("-", "+").replace("_", "/").rstrip("=")
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4))
        decoded = json.loads(raw.decode("utf-8", errors="replace"))
    except (binascii.Error, ValueError) as exc:
        raise OaFormatError("proof.salts is not base64-encoded JSON") from exc
    if not isinstance(decoded, list):
        raise OaFormatError("proof.salts does not decode to a list")
    salts: list[tuple[str, str]] = []
    for item in decoded:
        if not isinstance(item, Mapping):
            raise OaFormatError("proof.salts holds an entry that is not an object")
        value, path = item.get("value"), item.get("path")
        if not isinstance(value, str) or len(value) != SALT_HEX_LENGTH:
            raise OaFormatError("proof.salts holds a salt that is not 32 bytes of hex")
        if not isinstance(path, str):
            raise OaFormatError("proof.salts holds an entry without a path")
        salts.append((path, value))
    return salts


def _check_key(key: object) -> str:
    if type(key) is not str:
        raise OaFormatError(f"document has a non-string key {key!r}")
    if "." in key or "[" in key or "]" in key:
        raise OaFormatError(f"key {key!r} contains '.', '[' or ']', which OA v3 forbids")
    return key


def leaves(node: object, path: str, out: dict[str, object]) -> None:
    """``traverseAndFlatten`` of v3: primitive leaves by path; empty containers yield nothing."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            key = _check_key(key)
            leaves(value, f"{path}.{key}" if path else key, out)
    elif isinstance(node, list | tuple):
        for index, value in enumerate(node):
            leaves(value, f"{path}[{index}]", out)
    elif node is None or isinstance(node, str | int | float):
        out[path] = node
    else:
        raise OaFormatError(f"unexpected {type(node).__name__} at '{path}'")


def js_string(value: object) -> str:
    """JavaScript ``String(value)`` for a JSON primitive."""
    if type(value) is str:
        return value
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return js_number(value)
    raise OaFormatError(f"unexpected {type(value).__name__} value")


def digest(document: Mapping[str, object]) -> str:
    """The v3 ``targetHash`` (``digestCredential``), after the salt/leaf correspondence check."""
    proof = document.get("proof")
    if not isinstance(proof, Mapping):
        raise OaFormatError("v3 document has no 'proof' object: it is not wrapped")
    salts = decode_salts(proof.get("salts"))
    visible: dict[str, object] = {}
    leaves({k: v for k, v in document.items() if k != "proof"}, "", visible)
    if len(visible) != len(salts):
        raise OaFormatError(
            f"the document has {len(visible)} visible fields but {len(salts)} salts: "
            "fields were added or removed after wrapping"
        )
    privacy = proof.get("privacy")
    found = privacy.get("obfuscated") if isinstance(privacy, Mapping) else None
    hashes = list(obfuscated_hashes("proof.privacy.obfuscated", found))
    unsalted = set(visible)
    for path, salt in salts:
        if path not in unsalted:
            raise OaFormatError(f"salt path '{path}' does not name exactly one visible field")
        unsalted.discard(path)
        text = f"{salt}:{js_string(visible[path])}"
        hashes.append(keccak256_hex(f"{{{js_json_string(path)}:{js_json_string(text)}}}"))
    return combine_hashes(hashes)


def facts(document: Mapping[str, object]) -> DocumentFacts:
    """Issuance method, identity proof and DID signature named by a v3 document."""
    found = DocumentFacts()
    proof = document.get("proof")
    proof = proof if isinstance(proof, Mapping) else {}
    found.merkle_root = proof.get("merkleRoot")
    metadata = document.get("openAttestationMetadata")
    metadata = metadata if isinstance(metadata, Mapping) else {}
    method_block = metadata.get("proof")
    method_block = method_block if isinstance(method_block, Mapping) else {}
    method = method_block.get("method")
    if isinstance(method, str):
        found.methods.add(method)
    identity = metadata.get("identityProof")
    kind = identity.get("type") if isinstance(identity, Mapping) else None
    if isinstance(kind, str):
        found.identities.add(kind)
    if method == "DID":
        issuer = method_block.get("value")
        found.required_dids.append(issuer if isinstance(issuer, str) else "")
    revocation = method_block.get("revocation")
    revocation_type = revocation.get("type") if isinstance(revocation, Mapping) else None
    if isinstance(revocation_type, str) and revocation_type != "NONE":
        found.revocations.add(revocation_type)
    if "signature" in proof or "key" in proof:
        key = proof.get("key")
        found.signatures.append(
            SignatureEntry(key if isinstance(key, str) else "", proof.get("signature"))
        )
    return found
