"""Shipped DCSA schemas against the official examples and conformance templates."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from digitrade.systems.documents.dcsa.openapi import convert_schema
from digitrade.systems.documents.dcsa.schema import (
    SPEC_FILES,
    SchemaIssue,
    Spec,
    schema_document,
    schema_for,
    validate_component,
    validate_envelope,
    validate_issuance_request,
    validate_surrender_request,
    validate_transport_document,
    validate_with,
)
from tests.support import SHARED_FIXTURES, official_fixture

pytestmark = pytest.mark.fixtures
yaml = pytest.importorskip("yaml")

KIT = "dcsa-ebl"
API_SPEC = {
    "EBL_v3.0.0": Spec.EBL_3_0_0,
    "EBL_v3.0.3": Spec.EBL_3_0_3,
    "EBL_PINT_v3.0.0": Spec.PINT_3_0_0,
    "EBL_ISS_v3.0.3": Spec.ISS_3_0_3,
    "EBL_SUR_v3.0.3": Spec.SUR_3_0_3,
    "EBL_END_v3.0.3": Spec.END_3_0_3,
}
# INDEX.json: 142 examples with a schema, 3 (HTTP 202 without a body schema) without.
DOCUMENTED = {"examples": 145, "with_schema": 142}


def _index() -> list[dict[str, Any]]:
    path = SHARED_FIXTURES / KIT / "examples" / "INDEX.json"
    if not path.exists():
        return [{"file": "fixture-missing"}]
    return list(json.loads(path.read_text(encoding="utf-8")))


INDEX = _index()


def _spec(spec: Spec) -> dict[str, Any]:
    path = official_fixture(f"{KIT}/openapi/{SPEC_FILES[spec]}")
    return _load_yaml(path)


_YAML_CACHE: dict[Path, dict[str, Any]] = {}


def _load_yaml(path: Path) -> dict[str, Any]:
    if path not in _YAML_CACHE:
        _YAML_CACHE[path] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return _YAML_CACHE[path]


def _operation_schema(entry: dict[str, Any]) -> dict[str, Any] | None:
    spec = _spec(API_SPEC[entry["api"]])
    operation = spec["paths"][entry["path"]][entry["method"].lower()]
    if entry["kind"] == "request":
        content = operation["requestBody"]["content"]
    else:
        content = operation["responses"][entry["kind"].split("-", 1)[1]].get("content") or {}
    media = next(iter(content.values()), {})
    schema = media.get("schema")
    return schema if isinstance(schema, dict) else None


def test_index_is_complete() -> None:
    official_fixture(f"{KIT}/examples/INDEX.json")
    assert len(INDEX) == DOCUMENTED["examples"]
    assert sum(1 for e in INDEX if e["schema_valid"]) == DOCUMENTED["with_schema"]


@pytest.mark.parametrize("entry", INDEX, ids=[e["file"] for e in INDEX])
def test_every_official_example_validates(entry: dict[str, Any]) -> None:
    path = official_fixture(f"{KIT}/examples/{entry['file']}")
    schema = _operation_schema(entry)
    if schema is None:
        assert not entry["schema_valid"]  # the three 202 answers have no body schema
        return
    spec = API_SPEC[entry["api"]]
    # operation schemas are mostly $refs to components; convert the rest the same way
    validator = jsonschema_rs.Draft202012Validator(schema_for(spec, convert_schema(schema)))
    assert validate_with(validator, json.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("spec", list(Spec))
def test_shipped_schemas_match_the_specifications(spec: Spec) -> None:
    """The files under data/dcsa are exactly what the build script makes from the specs."""
    import importlib.util

    script = Path(__file__).resolve().parents[4] / "scripts" / "build_dcsa_schemas.py"
    loader = importlib.util.spec_from_file_location("build_dcsa_schemas", script)
    assert loader is not None and loader.loader is not None
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    path = official_fixture(f"{KIT}/openapi/{SPEC_FILES[spec]}")
    assert json.loads(module.render(path, spec.value)) == schema_document(spec)
    jsonschema_rs.meta.validate(schema_document(spec))


# --- conformance templates -----------------------------------------------------------------------

PARTY = {
    "partyName": "DCSA CTK party",
    "eblPlatform": "WAVE",
    "identifyingCodes": [{"codeListProvider": "W3C", "partyCode": "did:web:ctk.example"}],
}
SUBSTITUTIONS = {
    "TRANSPORT_DOCUMENT_REFERENCE_PLACEHOLDER": "TDREF0001",
    "SHIPPING_INSTRUCTION_REFERENCE_PLACEHOLDER": "SIREF0001",
    "BOOKING_REFERENCE_PLACEHOLDER": "CBR0001",
    "SURRENDER_REQUEST_REFERENCE_PLACEHOLDER": "SRR0001",
    "SURRENDER_REQUEST_CODE_PLACEHOLDER": "AREQ",
    "SURRENDER_ACTION_CODE_PLACEHOLDER": "SURRENDER_FOR_AMENDMENT",
    "REASON_CODE": "SWTP",
    "SEND_TO_PLATFORM_PLACEHOLDER": "WAVE",
    "HTTP_METHOD_PLACEHOLDER": "POST",
    "REQUEST_URI_PLACEHOLDER": "/v3/envelopes",
    "REFERENCE_PLACEHOLDER": "corr-1",
    "ERROR_DATE_TIME_PLACEHOLDER": "2025-01-02T03:04:05Z",
    "ERROR_MESSAGE_PLACEHOLDER": "failed",
    "{CBR}": "CBR0001",
}
# file -> (spec, component); the ebl-api templates are Shipping Instructions requests
TEMPLATES = {
    "ebl-api-3.0.0-2c1u.json": (Spec.EBL_3_0_0, "CreateShippingInstructions"),
    "ebl-api-3.0.0-2c2u.json": (Spec.EBL_3_0_0, "CreateShippingInstructions"),
    "ebl-api-3.0.0-amf.json": (Spec.EBL_3_0_0, "CreateShippingInstructions"),
    "ebl-api-3.0.0-clad.json": (Spec.EBL_3_0_0, "CreateShippingInstructions"),
    "ebl-api-3.0.0-dg.json": (Spec.EBL_3_0_0, "CreateShippingInstructions"),
    "ebl-api-3.0.0-negotiable-bl.json": (Spec.EBL_3_0_0, "CreateShippingInstructions"),
    "ebl-api-3.0.0-no-commodity-subreference.json": (Spec.EBL_3_0_0, "CreateShippingInstructions"),
    "ebl-api-3.0.0-request.json": (Spec.EBL_3_0_0, "CreateShippingInstructions"),
    "ebl-api-3.0.0-soc-references.json": (Spec.EBL_3_0_0, "CreateShippingInstructions"),
    "ebl-api-3.0.0-straight-bl.json": (Spec.EBL_3_0_0, "CreateShippingInstructions"),
    "ebl-api-3.0.0-error-message.json": (Spec.EBL_3_0_0, "ErrorResponse"),
    "eblissuance-v3.0.0-error-message.json": (Spec.ISS_3_0_3, "ErrorResponse"),
    "eblissuance-v3.0.0-request.json": (Spec.ISS_3_0_3, "IssuanceRequest"),
    "eblsurrender-api-v3.0.0-error-message.json": (Spec.SUR_3_0_3, "ErrorResponse"),
    "eblsurrender-api-v3.0.0-request.json": (Spec.SUR_3_0_3, "SurrenderRequestDetails"),
    "pint-3.0.0-error-message.json": (Spec.PINT_3_0_0, "ErrorResponse"),
    "pint-3.0.0-transport-document.json": (Spec.PINT_3_0_0, "TransportDocument"),
}


def fill_template(name: str) -> Any:
    text = official_fixture(f"{KIT}/conformance-messages/{name}").read_text(encoding="utf-8")
    for token, value in SUBSTITUTIONS.items():
        text = text.replace(token, value)
    # the surrender template has bare (unquoted) party tokens
    for token in ("CARRIER_PARTY", "ISSUE_TO_PARTY", "SURRENDEREE_PARTY"):
        text = re.sub(rf"(?<![\"\w]){token}(?![\"\w])", json.dumps(PARTY), text)
    return json.loads(text)


def test_every_template_is_mapped() -> None:
    folder = official_fixture(f"{KIT}/conformance-messages")
    assert {p.name for p in folder.glob("*.json")} == set(TEMPLATES)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_conformance_templates_validate_after_substitution(name: str) -> None:
    spec, component = TEMPLATES[name]
    message = fill_template(name)
    if name == "eblissuance-v3.0.0-request.json":
        # the conformance tool adds the carrier's signed manifest at run time
        assert validate_issuance_request(message) == [
            SchemaIssue("", '"issuanceManifestSignedContent" is a required property')
        ]
        message["issuanceManifestSignedContent"] = "aGVhZGVy.cGF5bG9hZA.c2lnbmF0dXJl"
    assert validate_component(spec, component, message) == []


def test_unsubstituted_placeholders_are_rejected_with_their_path() -> None:
    text = official_fixture(f"{KIT}/conformance-messages/pint-3.0.0-transport-document.json")
    document = json.loads(text.read_text(encoding="utf-8"))
    assert validate_transport_document(document) == [
        SchemaIssue(
            "/transportDocumentReference",
            '"TRANSPORT_DOCUMENT_REFERENCE_PLACEHOLDER" is longer than 20 characters',
        )
    ]


# --- mutations -----------------------------------------------------------------------------------


@pytest.fixture
def document() -> dict[str, Any]:
    return dict(fill_template("pint-3.0.0-transport-document.json"))


def test_missing_required_field_names_it(document: dict[str, Any]) -> None:
    del document["transportDocumentStatus"]
    assert validate_transport_document(document) == [
        SchemaIssue("", '"transportDocumentStatus" is a required property')
    ]


def test_wrong_enum_names_the_path(document: dict[str, Any]) -> None:
    document["transportDocumentTypeCode"] = "HBL"
    assert validate_transport_document(document) == [
        SchemaIssue("/transportDocumentTypeCode", '"HBL" is not one of "BOL" or "SWB"')
    ]
    document["transportDocumentTypeCode"] = "BOL"
    document["transports"]["portOfLoading"] = {"UNLocationCode": "not-a-code"}
    issues = validate_transport_document(document)
    assert {i.path for i in issues} == {"/transports/portOfLoading/UNLocationCode"}
    request = fill_template("eblsurrender-api-v3.0.0-request.json")
    request["surrenderRequestCode"] = "SURR"
    assert validate_surrender_request(request) == [
        SchemaIssue("/surrenderRequestCode", '"SURR" is not one of "SREQ" or "AREQ"')
    ]


def test_wrong_type_deep_in_the_document(document: dict[str, Any]) -> None:
    broken = copy.deepcopy(document)
    broken["isToOrder"] = "yes"
    broken["documentParties"]["shipper"]["identifyingCodes"][0].pop("codeListProvider")
    paths = [i.path for i in validate_transport_document(broken)]
    assert paths == ["/documentParties/shipper/identifyingCodes/0", "/isToOrder"]


def test_envelope_schema_checks_jws_shape(document: dict[str, Any]) -> None:
    envelope = {
        "transportDocument": document,
        "envelopeManifestSignedContent": "not a jws",
        "envelopeTransferChain": [],
    }
    paths = {i.path for i in validate_envelope(envelope)}
    assert paths == {"/envelopeManifestSignedContent", "/envelopeTransferChain"}
