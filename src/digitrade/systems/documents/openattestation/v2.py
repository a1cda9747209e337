"""OpenAttestation v2 wrapped documents (reference: ``src/2.0/{salt,digest,verify}.ts``).

In v2 every primitive in ``data`` is *salted in place* as the string ``"<uuid>:<type>:<value>"``.
The digest is computed from ``data`` as stored, salts included:

1. flatten ``data`` the way the npm package ``flatley`` does with ``.`` as delimiter: array
   indexes become path segments (``issuers.0.name``), an empty ``{}`` or ``[]`` is kept as a leaf
   value, and a key containing ``.`` is an error (the reference's ``hasPeriodInKey`` coercion);
2. hash each leaf as ``keccak256(JSON.stringify({"<path>": value}))`` (64 hex digits);
3. add ``privacy.obfuscatedData`` (hashes of removed fields), sort the lot as strings, and the
   ``targetHash`` is ``keccak256(JSON.stringify(sortedHashes))``.

Obfuscating a field moves its leaf hash into ``obfuscatedData``, so the digest is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from digitrade.systems.documents.openattestation._hashing import (
    js_json_string,
    js_number_json,
    keccak256_hex,
)
from digitrade.systems.documents.openattestation.model import (
    DocumentFacts,
    OaFormatError,
    SignatureEntry,
)

__all__ = ["SCHEMA", "digest", "facts", "is_v2", "unsalt"]

SCHEMA: Final = "https://schema.openattestation.com/2.0/schema.json"


def is_v2(document: Mapping[str, object]) -> bool:
    version = document.get("version")
    if isinstance(version, str) and version.startswith("https://schema.openattestation.com/2.0/"):
        return True
    return version is None and "data" in document and "signature" in document


def _leaf_json(value: object, path: str) -> str:
    # JSON.stringify of a flatley leaf: normally a salted string; unsalted primitives and empty
    # containers are hashed too, so they must serialise as JavaScript would.
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return js_number_json(value)
    if isinstance(value, Mapping):
        return "{}"
    if isinstance(value, list | tuple):
        return "[]"
    raise OaFormatError(f"data.{path} holds a {type(value).__name__}, which JSON cannot carry")


def _flatten_hashes(
    node: Mapping[str, object] | Sequence[object], prefix: str, out: list[str]
) -> None:
    items = node.items() if isinstance(node, Mapping) else enumerate(node)
    for key, value in items:
        if type(key) is not str:
            if type(key) is not int:
                raise OaFormatError(f"data has a non-string key {key!r}")
            key = str(key)
        elif "." in key:
            raise OaFormatError(f"data key {key!r} contains '.', which OA v2 forbids")
        path = f"{prefix}.{key}" if prefix else key
        if type(value) is str:
            text = js_json_string(value)
        elif isinstance(value, Mapping | list | tuple) and value:
            _flatten_hashes(value, path, out)
            continue
        else:
            text = _leaf_json(value, path)
        out.append(keccak256_hex(f"{{{js_json_string(path)}:{text}}}"))


def obfuscated_hashes(location: str, found: object) -> list[str]:
    """The list of hashes of removed fields (``[]`` when absent, as lodash ``get`` defaults)."""
    if found is None:
        return []
    if not isinstance(found, list) or not all(isinstance(item, str) for item in found):
        raise OaFormatError(f"{location} must be a list of hash strings")
    return found


def combine_hashes(hashes: list[str]) -> str:
    """``keccak256(JSON.stringify(sortBy(hashes)))``, the step shared by v2, v3 and v4.

    lodash ``sortBy`` compares strings by UTF-16 code units; that equals Python's order unless a
    string holds characters beyond U+FFFF, which only a forged obfuscation list could.
    """
    if all(item.isascii() for item in hashes):
        hashes.sort()
    else:
        hashes.sort(key=lambda item: item.encode("utf-16-be", "surrogatepass"))
    return keccak256_hex("[" + ",".join(map(js_json_string, hashes)) + "]")


def digest(document: Mapping[str, object]) -> str:
    """The v2 ``targetHash`` of ``document`` as the reference's ``digestDocument`` computes it."""
    data = document.get("data")
    if not isinstance(data, Mapping | list):
        raise OaFormatError("v2 document has no 'data' object")
    privacy = document.get("privacy")
    found = privacy.get("obfuscatedData") if isinstance(privacy, Mapping) else None
    hashes = list(obfuscated_hashes("privacy.obfuscatedData", found))
    _flatten_hashes(data, "", hashes)
    return combine_hashes(hashes)


def unsalt(value: object) -> object:
    """The original value of a salted v2 leaf ``"<uuid>:<type>:<value>"`` (``unsaltData``).

    Only strings matter for verification (issuer addresses, DIDs, identity types); other types are
    returned as their salted text's value part, and an unsalted value is returned unchanged.
    """
    if not isinstance(value, str):
        return value
    parts = value.split(":", 2)
    if len(parts) != 3 or len(parts[0]) != 36:
        return value
    kind, text = parts[1], parts[2]
    if kind == "null":
        return None
    if kind == "boolean":
        return text == "true"
    return text


def facts(document: Mapping[str, object]) -> DocumentFacts:
    """Issuance methods, identity proofs and DID signatures named by a v2 document."""
    found = DocumentFacts()
    signature = document.get("signature")
    if isinstance(signature, Mapping):
        found.merkle_root = signature.get("merkleRoot")
    data = document.get("data")
    issuers = data.get("issuers") if isinstance(data, Mapping) else None
    for issuer in issuers if isinstance(issuers, list) else []:
        if not isinstance(issuer, Mapping):
            continue
        if "documentStore" in issuer or "certificateStore" in issuer:
            found.methods.add("DOCUMENT_STORE")
        if "tokenRegistry" in issuer:
            found.methods.add("TOKEN_REGISTRY")
        identity = issuer.get("identityProof")
        kind = unsalt(identity.get("type")) if isinstance(identity, Mapping) else None
        if isinstance(kind, str):
            found.identities.add(kind)
        if kind in {"DID", "DNS-DID"} and isinstance(identity, Mapping):
            found.methods.add("DID")
            key = unsalt(identity.get("key"))
            found.required_dids.append(key if isinstance(key, str) else "")
        revocation = issuer.get("revocation")
        revocation_type = (
            unsalt(revocation.get("type")) if isinstance(revocation, Mapping) else None
        )
        if isinstance(revocation_type, str) and revocation_type != "NONE":
            found.revocations.add(revocation_type)
    proofs = document.get("proof")
    for proof in proofs if isinstance(proofs, list) else []:
        if isinstance(proof, Mapping):
            method = proof.get("verificationMethod")
            found.signatures.append(
                SignatureEntry(method if isinstance(method, str) else "", proof.get("signature"))
            )
    return found
