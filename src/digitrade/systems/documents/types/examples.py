"""ILLUSTRATIVE examples of each document subject: one Shanghai -> Singapore export flow.

Every party, bank, BIC, carrier, vessel and number below is invented for illustration; none refers
to a real credit, shipment or person. The flow: a Singapore buyer has a Singapore bank issue an
eUCP documentary credit in favour of a Shanghai exporter; the goods (cotton T-shirts) sail in a
container from Shanghai Yangshan to Singapore; the exporter presents an electronic bill of lading,
a commercial invoice, an RCEP certificate of origin, an insurance certificate and a packing list.
A separate crew certificate shows a Chinese officer's STCW certificate of competency.

Each function returns a fresh copy, so callers may modify it.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from digitrade.systems.documents.types.presentation import Presentation, PresentedDocument

_EXPORTER = {
    "name": "Shanghai Donghai Example Textiles Co., Ltd.",
    "address": ["88 Example Road, Pudong", "Shanghai 200120"],
    "country": "CN",
}
_BUYER = {
    "name": "Lion City Example Apparel Pte. Ltd.",
    "address": ["10 Example Street #05-01", "Singapore 068912"],
    "country": "SG",
}
_ISSUING_BANK = {"name": "Merlion Example Bank Ltd", "bic": "MEXBSGSGXXX", "country": "SG"}
_ADVISING_BANK = {
    "name": "Example Bank (China) Co., Ltd. Shanghai Branch",
    "bic": "EXBKCNSHXXX",
    "country": "CN",
}
_GOODS = "100 PCT COTTON MEN'S KNITTED T-SHIRTS, HS 6109.10, 24000 PIECES AT USD 4.50 PER PIECE"
_YANGSHAN = {"name": "Shanghai (Yangshan Deep-Water Port)", "unLocode": "CNSHA", "country": "CN"}
_SINGAPORE = {"name": "Singapore", "unLocode": "SGSIN", "country": "SG"}

_CREDIT: dict[str, Any] = {
    "creditNumber": "MEXB25LC004172",
    "formOfCredit": "IRREVOCABLE",
    "dateOfIssue": "2025-03-03",
    "applicableRules": "EUCP LATEST VERSION",
    "expiry": {"date": "2025-05-31", "place": "SHANGHAI"},
    "applicant": _BUYER,
    "beneficiary": _EXPORTER,
    "amount": {"currency": "USD", "value": "108000.00"},
    "tolerance": {"plus": 5, "minus": 5},
    "availableWith": {"bank": "ANY BANK", "by": "BY NEGOTIATION"},
    "drafts": "AT SIGHT",
    "drawee": _ISSUING_BANK,
    "partialShipments": "NOT ALLOWED",
    "transhipment": "NOT ALLOWED",
    "portOfLoading": _YANGSHAN,
    "portOfDischarge": _SINGAPORE,
    "latestShipmentDate": "2025-05-15",
    "goodsDescription": _GOODS,
    "goodsQuantity": {"value": "24000", "unit": "PCE", "inPackingUnitsOrItems": True},
    "incoterms": {"rule": "CIF", "place": "SINGAPORE", "version": "Incoterms 2020"},
    "documentsRequired": [
        {"kind": "commercial_invoice", "originals": 1, "copies": 2, "electronicAllowed": True},
        {
            "kind": "bill_of_lading",
            "title": "Full set of clean on board ocean bills of lading",
            "originals": 1,
            "fullSet": True,
            "electronicAllowed": True,
            "consignee": "TO ORDER OF MERLION EXAMPLE BANK LTD",
            "conditions": "MARKED FREIGHT PREPAID, NOTIFY APPLICANT",
        },
        {
            "kind": "insurance",
            "originals": 1,
            "electronicAllowed": True,
            "coveragePercent": "110",
            "conditions": "INSTITUTE CARGO CLAUSES (A), CLAIMS PAYABLE IN SINGAPORE",
        },
        {
            "kind": "certificate_of_origin",
            "title": "RCEP certificate of origin",
            "originals": 1,
            "electronicAllowed": True,
        },
        {"kind": "packing_list", "originals": 1, "copies": 1, "electronicAllowed": True},
    ],
    "additionalConditions": ["ALL DOCUMENTS MUST QUOTE THE CREDIT NUMBER"],
    "charges": "ALL BANKING CHARGES OUTSIDE SINGAPORE ARE FOR BENEFICIARY'S ACCOUNT",
    "presentationPeriodDays": 21,
    "confirmationInstructions": "WITHOUT",
    "issuingBank": _ISSUING_BANK,
    "advisingBank": _ADVISING_BANK,
    "electronicPresentation": {
        "place": "https://docs.example-bank.sg/eucp/presentations",
        "formats": {"bill_of_lading": "DCSA eBL 3.0 JSON", "commercial_invoice": "PDF/A-3"},
    },
}

_BILL_OF_LADING: dict[str, Any] = {
    "transportDocumentReference": "EXOL2504SHA0098",
    "transportDocumentTypeCode": "BOL",
    "status": "ISSUED",
    "issueDate": "2025-04-28",
    "shippedOnBoardDate": "2025-04-28",
    "isShippedOnBoard": True,
    "isElectronic": True,
    "isToOrder": True,
    "portOfLoading": _YANGSHAN,
    "portOfDischarge": _SINGAPORE,
    "shipper": _EXPORTER,
    "consignee": {"name": "Merlion Example Bank Ltd"},
    "notifyParties": [_BUYER],
    "carrier": {"name": "Example Ocean Lines", "code": "EXOL", "codeListProvider": "NMFTA"},
    "vesselVoyages": [{"vesselName": "EXAMPLE HARMONY", "voyageNumber": "118S"}],
    "goodsDescription": "COTTON KNITTED T-SHIRTS",
    "hsCodes": ["610910"],
    "numberOfOriginals": 1,
    "transhipment": False,
    "containerised": True,
    "freightPayable": "PREPAID",
}

_INVOICE: dict[str, Any] = {
    "number": "DH-2025-0417",
    "date": "2025-04-25",
    "seller": _EXPORTER,
    "buyer": _BUYER,
    "currency": "USD",
    "amount": "108000.00",
    "goodsDescription": (
        "100 PCT COTTON MEN'S KNITTED T-SHIRTS, HS 6109.10, 24000 PIECES AT USD 4.50 PER PIECE, "
        "CIF SINGAPORE INCOTERMS 2020, CREDIT NO. MEXB25LC004172"
    ),
    "quantity": {"value": "24000", "unit": "PCE"},
}

_CERTIFICATE_OF_ORIGIN: dict[str, Any] = {
    "certificateNumber": "R25310000000417",
    "dateOfIssue": "2025-04-26",
    "scheme": "RCEP",
    "preferential": True,
    "exporter": _EXPORTER,
    "producer": {"name": "Nantong Example Knitting Co., Ltd.", "country": "CN"},
    "consignee": _BUYER,
    "countryOfOrigin": "CN",
    "importingCountry": "SG",
    "transport": {
        "departureDate": "2025-04-28",
        "vesselName": "EXAMPLE HARMONY",
        "voyageNumber": "118S",
        "portOfLoading": _YANGSHAN,
        "portOfDischarge": _SINGAPORE,
    },
    "goods": [
        {
            "itemNumber": 1,
            "marksAndNumbers": "LCA/SG/1-800",
            "numberAndKindOfPackages": "800 CARTONS",
            "hsCode": "610910",
            "description": "Men's knitted T-shirts of cotton",
            "quantity": {"value": "24000", "unit": "PCE"},
            "grossWeight": {"value": "6400", "unit": "KGM"},
            "originCriterion": "CTC",
            "invoiceNumber": "DH-2025-0417",
            "invoiceDate": "2025-04-25",
        }
    ],
    "issuingBody": {
        "name": "Example Customs District, Shanghai",
        "nameLocal": "上海示例海关",
        "country": "CN",
    },
}

_INSURANCE: dict[str, Any] = {
    "number": "EXINS-2025-55120",
    "date": "2025-04-27",
    "currency": "USD",
    "amount": "118800.00",
    "goodsDescription": "Cotton T-shirts",
}

_PACKING_LIST: dict[str, Any] = {
    "number": "PL-DH-2025-0417",
    "date": "2025-04-25",
    "goodsDescription": "Men's cotton T-shirts, 800 cartons of 30 pieces",
}

_CREW_CERTIFICATE: dict[str, Any] = {
    "certificateType": "certificate_of_competency",
    "certificateNumber": "EX-CN-2024-000417",
    "holder": {
        "name": "ZHANG Example",
        "nameLocal": "张示例",
        "dateOfBirth": "1992-03-15",
        "nationality": "CN",
        "seafarerId": "EX31000000417",
        "dischargeBookNumber": "EXC00000417",
    },
    "stcwRegulations": ["II/1"],
    "capacities": [
        {
            "capacity": "Officer in charge of a navigational watch",
            "capacityLocal": "值班驾驶员",
            "function": "navigation",
            "level": "operational",
            "limitations": "None",
        }
    ],
    "limitations": ["Ships of 500 gross tonnage or more, unlimited voyages"],
    "issuingAdministration": {
        "state": "CN",
        "authority": "Maritime Safety Administration of the People's Republic of China",
        "authorityLocal": "中华人民共和国海事局",
    },
    "dateOfIssue": "2024-06-01",
    "expiryDate": "2029-05-31",
}


def illustrative_documentary_credit() -> dict[str, Any]:
    """ILLUSTRATIVE eUCP credit issued in Singapore for a buyer, for a Shanghai exporter."""
    return copy.deepcopy(_CREDIT)


def illustrative_bill_of_lading_summary() -> dict[str, Any]:
    """ILLUSTRATIVE electronic B/L summary, Shanghai Yangshan -> Singapore, containerised."""
    return copy.deepcopy(_BILL_OF_LADING)


def illustrative_commercial_invoice() -> dict[str, Any]:
    """ILLUSTRATIVE commercial invoice summary from the exporter to the buyer."""
    return copy.deepcopy(_INVOICE)


def illustrative_certificate_of_origin() -> dict[str, Any]:
    """ILLUSTRATIVE RCEP certificate of origin for the same goods."""
    return copy.deepcopy(_CERTIFICATE_OF_ORIGIN)


def illustrative_insurance() -> dict[str, Any]:
    """ILLUSTRATIVE insurance certificate summary (110 percent of the CIF value)."""
    return copy.deepcopy(_INSURANCE)


def illustrative_packing_list() -> dict[str, Any]:
    """ILLUSTRATIVE packing list summary."""
    return copy.deepcopy(_PACKING_LIST)


def illustrative_crew_certificate() -> dict[str, Any]:
    """ILLUSTRATIVE STCW II/1 certificate of competency of a Chinese officer (China MSA)."""
    return copy.deepcopy(_CREW_CERTIFICATE)


def illustrative_presentation() -> Presentation:
    """ILLUSTRATIVE complying electronic presentation under the illustrative credit."""
    return Presentation(
        presentation_date=date(2025, 5, 6),
        commercial_invoice=PresentedDocument(illustrative_commercial_invoice(), electronic=True),
        bill_of_lading=PresentedDocument(illustrative_bill_of_lading_summary(), electronic=True),
        certificate_of_origin=PresentedDocument(
            illustrative_certificate_of_origin(), electronic=True
        ),
        insurance=PresentedDocument(illustrative_insurance(), electronic=True),
        packing_list=PresentedDocument(illustrative_packing_list(), electronic=True),
        notice_of_completeness=True,
    )
