"""``summary_from_dcsa`` on the DCSA eBL 3.0 example TransportDocuments."""

from __future__ import annotations

import json
from typing import Any

import pytest

from digitrade.systems.documents.types.registry import validate_bill_of_lading_summary
from digitrade.systems.documents.types.transport import summary_from_dcsa
from tests.support import official_fixture

EXAMPLES = "dcsa-ebl/examples"
TRANSPORT_DOCUMENTS = [
    f"EBL_v3.0.3__GET__v3-transport-documents-transportDocumentReference__response-200__{name}.json"
    for name in ("regularSTDExample", "dgExample", "reeferExample")
] + [
    "EBL_v3.0.0__GET__v3-transport-documents-transportDocumentReference__response-200__"
    "regularSTDExample.json"
]


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        official_fixture(f"{EXAMPLES}/{name}").read_text(encoding="utf-8")
    )
    return loaded


@pytest.mark.fixtures
@pytest.mark.parametrize("name", TRANSPORT_DOCUMENTS)
def test_dcsa_examples_map_to_valid_summaries(name: str):
    document = _load(name)
    summary = summary_from_dcsa(document)
    assert validate_bill_of_lading_summary(summary) == []
    assert summary["transportDocumentReference"] == document["transportDocumentReference"]
    assert summary["isShippedOnBoard"] is document["isShippedOnBoardType"]
    assert (
        summary["portOfLoading"]["unLocode"]
        == (document["transports"]["portOfLoading"]["UNLocationCode"])
    )
    assert summary["carrier"]["name"] == document["documentParties"]["issuingParty"]["partyName"]


@pytest.mark.fixtures
def test_regular_example_fields():
    summary = summary_from_dcsa(_load(TRANSPORT_DOCUMENTS[0]))
    assert summary["transportDocumentReference"] == "62CD536BA8D34C469AFD"
    assert summary["shippedOnBoardDate"] == "2023-12-20"
    assert summary["portOfLoading"] == {"name": "DKAAR", "unLocode": "DKAAR", "country": "DK"}
    assert summary["portOfDischarge"]["unLocode"] == "DEBRV"
    assert summary["shipper"]["name"] == "DCSA CTK"
    assert summary["consignee"] is None  # to order, no named consignee
    assert summary["isToOrder"] is True
    assert summary["carrier"] == {
        "name": "Mediterranean Shipping Company",
        "code": "MSC",
        "codeListProvider": "SMDG",
    }
    assert summary["goodsDescription"] == "Shoes - black"
    assert summary["hsCodes"] == ["640510"]
    assert summary["numberOfOriginals"] == 1  # electronic: the sole original
    assert summary["transhipment"] is False
    assert summary["containerised"] is True
    assert summary["freightPayable"] == "PREPAID"
    assert summary["status"] == "DRAFT"


@pytest.mark.fixtures
def test_issuance_request_document_maps_too():
    request = _load(
        "EBL_ISS_v3.0.3__PUT__v3-ebl-issuance-requests__request__regularSTDExample.json"
    )
    summary = summary_from_dcsa(request["document"])
    assert validate_bill_of_lading_summary(summary) == []


@pytest.mark.fixtures
def test_two_vessels_mean_transhipment_and_parties_are_mapped():
    document = _load(TRANSPORT_DOCUMENTS[0])
    document["transports"]["vesselVoyages"] = [
        {"vesselName": "Feeder One", "carrierExportVoyageNumber": "11N", "role": "FIRST_SEA_GOING"},
        {"vesselName": "Mother Two", "carrierExportVoyageNumber": "22W", "role": "MOTHER"},
    ]
    document["isElectronic"] = False
    document["numberOfOriginalsWithCharges"] = 1
    document["numberOfOriginalsWithoutCharges"] = 2
    document["documentParties"]["consignee"] = {
        "partyName": "Example Consignee",
        "identifyingCodes": [{"codeListProvider": "W3C", "partyCode": "did:web:example.org"}],
    }
    document["documentParties"]["notifyParties"] = [{"partyName": "Example Notify"}]
    summary = summary_from_dcsa(document)
    assert summary["transhipment"] is True
    assert summary["numberOfOriginals"] == 3
    assert summary["consignee"] == {"name": "Example Consignee"}
    assert summary["notifyParties"] == [{"name": "Example Notify"}]
    assert validate_bill_of_lading_summary(summary) == []
