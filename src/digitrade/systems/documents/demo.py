"""Demo data for verifiable documents (all ILLUSTRATIVE: invented parties, shipment and credit).

- Huangpu River Shipping issues a to-order eBL (DCSA eBL 3.0 transport document) for a Lin-gang
  exporter's shipment Yangshan -> Singapore; the exporter endorses it to Pudong Trade Finance
  Bank and transfers it there (the bank now holds it in its wallet).
- Pudong Trade Finance Bank issues a documentary credit in favour of the exporter.
- The Shanghai commerce commission issues a certificate of origin (RCEP), and a demo maritime
  administration a seafarer's STCW certificate of competency.
"""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from digitrade.core.auth import service as auth_service
from digitrade.core.auth.models import Organisation
from digitrade.core.auth.permissions import OrganisationKind
from digitrade.core.auth.principal import Principal
from digitrade.core.auth.schemas import OrganisationCreate
from digitrade.systems.documents import service
from digitrade.systems.documents.schemas import IssueRequest
from digitrade.systems.documents.types import examples

CARRIER = "huangpu-shipping-demo"
SHIPPER = "lingang-export-demo"
BANK = "pudong-bank-demo"
AGENCY = "sh-commerce-demo"
MARITIME = "sh-maritime-demo"

ILLUSTRATIVE_TERMS = (
    "Illustrative demonstration document: no real shipment, carrier or contract stands behind "
    "it. Carriage subject to the carrier's standard terms and conditions."
)

TRANSPORT_DOCUMENT: dict[str, Any] = {
    "transportDocumentReference": "HPSH2026000117",
    "shippingInstructionsReference": "SI-LPE-2026-0451",
    "transportDocumentStatus": "ISSUED",
    "transportDocumentTypeCode": "BOL",
    "isShippedOnBoardType": True,
    "freightPaymentTermCode": "PRE",
    "isElectronic": True,
    "isToOrder": True,
    "shippedOnBoardDate": "2026-11-18",
    "termsAndConditions": ILLUSTRATIVE_TERMS,
    "receiptTypeAtOrigin": "CY",
    "deliveryTypeAtDestination": "CY",
    "cargoMovementTypeAtOrigin": "FCL",
    "cargoMovementTypeAtDestination": "FCL",
    "carrierCode": "HPSC",
    "carrierCodeListProvider": "SMDG",
    "transports": {
        "plannedDepartureDate": "2026-11-18",
        "plannedArrivalDate": "2026-11-24",
        "portOfLoading": {"UNLocationCode": "CNSHA"},
        "portOfDischarge": {"UNLocationCode": "SGSIN"},
        "vesselVoyages": [{"vesselName": "HUANGPU PIONEER", "carrierExportVoyageNumber": "2611S"}],
    },
    "invoicePayableAt": {"UNLocationCode": "CNSHA"},
    "partyContactDetails": [
        {"name": "Export documentation", "email": "docs@huangpu-shipping.example"}
    ],
    "documentParties": {
        "shipper": {
            "partyName": "Lin-gang Precision Export Ltd.",
            "displayedAddress": ["Bldg 3, 2000 Huanhu W. 2nd Rd", "Lin-gang, Shanghai, China"],
            "partyContactDetails": [
                {"name": "Shipping desk", "email": "trade@lingang-export.example"}
            ],
        },
        "issuingParty": {
            "partyName": "Huangpu River Shipping Co.",
            "address": {
                "street": "Dongdaming Road",
                "streetNumber": "1",
                "city": "Shanghai",
                "countryCode": "CN",
            },
        },
    },
    "consignmentItems": [
        {
            "carrierBookingReference": "HPSB26110451",
            "descriptionOfGoods": ["CNC spindle assemblies"],
            "HSCodes": ["846693"],
            "cargoItems": [
                {
                    "equipmentReference": "HPSU2611451",
                    "cargoGrossWeight": {"value": 8200, "unit": "KGM"},
                    "outerPackaging": {
                        "numberOfPackages": 40,
                        "packageCode": "CR",
                        "description": "Wooden crates",
                    },
                }
            ],
        }
    ],
    "utilizedTransportEquipments": [
        {
            "isShipperOwned": False,
            "seals": [{"number": "HPS-2611-0451"}],
            "equipment": {"ISOEquipmentCode": "22G1", "equipmentReference": "HPSU2611451"},
        }
    ],
}

_EXTRA_ORGANISATIONS = (
    (MARITIME, "Shanghai Maritime Safety Administration (demo)", "上海海事局（演示）"),
)


def _org(session: Session, slug: str) -> int | None:
    return session.scalar(select(Organisation.id).where(Organisation.slug == slug))


def load_demo(session: Session, actor: Principal) -> str:
    for slug, name, name_zh in _EXTRA_ORGANISATIONS:
        if _org(session, slug) is None:
            auth_service.create_organisation(
                session,
                actor=actor,
                data=OrganisationCreate(
                    slug=slug,
                    name=name,
                    name_zh=name_zh,
                    kind=OrganisationKind.AGENCY,
                    country="CN",
                ),
            )
    carrier, shipper, bank = _org(session, CARRIER), _org(session, SHIPPER), _org(session, BANK)
    agency, maritime = _org(session, AGENCY), _org(session, MARITIME)
    if None in (carrier, shipper, bank, agency, maritime):
        return "demo organisations missing: no documents issued"
    assert carrier and shipper and bank and agency and maritime
    issued = []
    ebl = service.issue(
        session,
        actor=actor,
        organisation_id=carrier,
        request=IssueRequest(
            kind="transport-document",
            subject=copy.deepcopy(TRANSPORT_DOCUMENT),
            holder_organisation_id=shipper,
        ),
    )
    service.title_action(
        session,
        actor=actor,
        document_id=ebl.id,
        action="ENDORSE_TO_ORDER",
        acting_organisation_id=shipper,
        recipient_organisation_id=bank,
    )
    service.title_action(
        session,
        actor=actor,
        document_id=ebl.id,
        action="TRANSFER",
        acting_organisation_id=shipper,
        recipient_organisation_id=bank,
    )
    issued.append("eBL HPSH2026000117 (endorsed and transferred to the bank)")
    for kind, organisation, holder, subject in (
        ("documentary-credit", bank, shipper, examples.illustrative_documentary_credit()),
        ("certificate-of-origin", agency, shipper, examples.illustrative_certificate_of_origin()),
        ("crew-certificate", maritime, None, examples.illustrative_crew_certificate()),
    ):
        service.issue(
            session,
            actor=actor,
            organisation_id=organisation,
            request=IssueRequest.model_validate(
                {"kind": kind, "subject": subject, "holder_organisation_id": holder}
            ),
        )
        issued.append(kind)
    return f"{len(issued)} illustrative documents: " + ", ".join(issued)
