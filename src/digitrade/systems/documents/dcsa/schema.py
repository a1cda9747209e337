"""JSON Schema validation of DCSA eBL 3.0 / PINT 3.0 payloads (pure, offline).

The schemas are derived from the component schemas of the DCSA OpenAPI specifications
(dcsaorg/DCSA-OpenAPI, commit 5d0f833; see ``data/dcsa/SOURCE.md``) by
``scripts/build_dcsa_schemas.py`` and shipped with the package, so validation needs neither the
specifications nor the network. Formats (``date-time``, ``uri``...) are annotations only, as in
JSON Schema 2020-12 by default.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs


class Spec(StrEnum):
    """The DCSA specifications whose component schemas are shipped (id = schema file stem)."""

    EBL_3_0_0 = "ebl-3.0.0"  # ebl/v3/EBL_v3.0.0.yaml: Shipping Instructions + Transport Document
    EBL_3_0_3 = "ebl-3.0.3"  # ebl/v3/EBL_v3.0.3.yaml
    PINT_3_0_0 = "pint-3.0.0"  # pint/v3/EBL_PINT_v3.0.0.yaml: platform interoperability
    ISS_3_0_3 = "iss-3.0.3"  # ebl/v3/issuance/EBL_ISS_v3.0.3.yaml: issuance
    SUR_3_0_3 = "sur-3.0.3"  # ebl/v3/surrender/EBL_SUR_v3.0.3.yaml: surrender
    END_3_0_3 = "end-3.0.3"  # ebl/v3/endorsement/EBL_END_v3.0.3.yaml: endorsement chain


# Schema file stem -> upstream OpenAPI file name (read only by the build script).
SPEC_FILES: dict[str, str] = {
    Spec.EBL_3_0_0: "EBL_v3.0.0.yaml",
    Spec.EBL_3_0_3: "EBL_v3.0.3.yaml",
    Spec.PINT_3_0_0: "EBL_PINT_v3.0.0.yaml",
    Spec.ISS_3_0_3: "EBL_ISS_v3.0.3.yaml",
    Spec.SUR_3_0_3: "EBL_SUR_v3.0.3.yaml",
    Spec.END_3_0_3: "EBL_END_v3.0.3.yaml",
}

DATA_PACKAGE = "digitrade.systems.documents"
DATA_DIR = ("data", "dcsa")


@dataclass(frozen=True)
class SchemaIssue:
    """One schema violation: a JSON Pointer into the instance ("" = root) and the message."""

    path: str
    message: str


@cache
def schema_document(spec: Spec | str) -> dict[str, Any]:
    """The shipped JSON Schema document of one specification (``$defs`` = its components)."""
    spec = Spec(spec)
    resource = resources.files(DATA_PACKAGE).joinpath(*DATA_DIR, f"{spec.value}.schema.json")
    loaded: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return loaded


def component_names(spec: Spec | str) -> list[str]:
    return sorted(schema_document(spec)["$defs"])


def schema_for(spec: Spec | str, fragment: dict[str, Any]) -> dict[str, Any]:
    """A standalone schema: ``fragment`` (which may ``$ref`` ``#/$defs/<Component>``) with the
    spec's components alongside."""
    document = schema_document(spec)
    return {"$schema": document["$schema"], **fragment, "$defs": document["$defs"]}


@cache
def _validator(spec: Spec, component: str) -> jsonschema_rs.Validator:
    if component not in schema_document(spec)["$defs"]:
        raise KeyError(f"{spec.value} has no component schema {component!r}")
    return jsonschema_rs.Draft202012Validator(schema_for(spec, {"$ref": f"#/$defs/{component}"}))


def _pointer(parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def validate_with(validator: jsonschema_rs.Validator, instance: Any) -> list[SchemaIssue]:
    """Every violation, ordered by instance path (empty list = valid)."""
    if validator.is_valid(instance):  # fast path: no error objects built
        return []
    issues = [
        SchemaIssue(_pointer(error.instance_path), error.message)
        for error in validator.iter_errors(instance)
    ]
    return sorted(issues, key=lambda issue: (issue.path, issue.message))


def validate_component(spec: Spec | str, component: str, instance: Any) -> list[SchemaIssue]:
    """Validate ``instance`` against component schema ``component`` of ``spec``."""
    return validate_with(_validator(Spec(spec), component), instance)


def validate_transport_document(
    document: Any, *, spec: Spec | str = Spec.PINT_3_0_0
) -> list[SchemaIssue]:
    """``TransportDocument`` (the eBL itself). Defaults to the PINT 3.0.0 definition, the one
    carried in ``EblEnvelope.transportDocument``; the EBL and ISS specs define their own."""
    return validate_component(spec, "TransportDocument", document)


def validate_envelope(envelope: Any) -> list[SchemaIssue]:
    """``EblEnvelope`` of EBL_PINT_v3.0.0.yaml (the body of ``POST /v3/envelopes``)."""
    return validate_component(Spec.PINT_3_0_0, "EblEnvelope", envelope)


def validate_envelope_manifest(manifest: Any) -> list[SchemaIssue]:
    """``EnvelopeManifest`` (JWS payload of ``envelopeManifestSignedContent``)."""
    return validate_component(Spec.PINT_3_0_0, "EnvelopeManifest", manifest)


def validate_chain_entry(entry: Any) -> list[SchemaIssue]:
    """``EnvelopeTransferChainEntry`` (JWS payload of each ``envelopeTransferChain`` item)."""
    return validate_component(Spec.PINT_3_0_0, "EnvelopeTransferChainEntry", entry)


def validate_transaction(transaction: Any) -> list[SchemaIssue]:
    """``Transaction`` of EBL_PINT_v3.0.0.yaml."""
    return validate_component(Spec.PINT_3_0_0, "Transaction", transaction)


def validate_issuance_manifest(manifest: Any) -> list[SchemaIssue]:
    """``IssuanceManifest`` (JWS payload of ``issuanceManifestSignedContent``)."""
    return validate_component(Spec.PINT_3_0_0, "IssuanceManifest", manifest)


def validate_finished_response(response: Any) -> list[SchemaIssue]:
    """``EnvelopeTransferFinishedResponse`` (JWS payload of the signed PINT response)."""
    return validate_component(Spec.PINT_3_0_0, "EnvelopeTransferFinishedResponse", response)


def validate_issuance_request(request: Any) -> list[SchemaIssue]:
    """``IssuanceRequest`` of EBL_ISS_v3.0.3.yaml (body of ``PUT /v3/ebl-issuance-requests``)."""
    return validate_component(Spec.ISS_3_0_3, "IssuanceRequest", request)


def validate_surrender_request(request: Any) -> list[SchemaIssue]:
    """``SurrenderRequestDetails`` of EBL_SUR_v3.0.3.yaml (``POST /v3/ebl-surrender-requests``)."""
    return validate_component(Spec.SUR_3_0_3, "SurrenderRequestDetails", request)
