"""Illustrative demo data: one exporter's transfers this year and a saved assessment.
Every name and number here is illustrative."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from digitrade.core.auth.models import Organisation
from digitrade.core.auth.principal import Principal
from digitrade.systems.dataflow import service
from digitrade.systems.dataflow.schemas import TransferCreate

DEMO_ORGANISATION = "lingang-export-demo"


def load_demo(session: Session, actor: Principal) -> str:
    org_id = session.scalar(select(Organisation.id).where(Organisation.slug == DEMO_ORGANISATION))
    if org_id is None:
        return "skipped: no demo exporter"
    today = dt.date.today()
    transfers = [
        ("Maas Import B.V. (demo)", "NL", "contract_with_individual", 4_200, 0, "EXEMPT", 1),
        ("Spindle Service GmbH (demo)", "DE", "other", 38_000, 0, "EXEMPT", 2),
        ("Lin-gang Precision Europe (demo)", "DE", "hr_management", 310, 12, "EXEMPT", 3),
        ("Spindle Service GmbH (demo)", "DE", "other", 49_500, 0, "EXEMPT", 4),
    ]
    for recipient, country, purpose, individuals, sensitive, pathway, month in transfers:
        day = dt.date(today.year, min(month, today.month), 1)
        service.record_transfer(
            session,
            actor=actor,
            data=TransferCreate(
                organisation_id=org_id,
                transferred_on=day,
                recipient=recipient,
                recipient_country=country,
                purpose=purpose,
                categories=["customer contact details", "order history"],
                individuals=individuals,
                sensitive_individuals=sensitive,
                pathway=pathway,
            ),
        )
    result = service.assess(
        session,
        actor=actor,
        organisation_id=org_id,
        request={
            "as_of": today.isoformat(),
            "processor": {
                "name": "Lin-gang Precision Export Ltd. (demo)",
                "is_ciio": False,
                "registered_in_ftz": True,
                "sector": "manufacturing",
            },
            "transfer": {"purpose": "other", "remote_access": True, "recipient_country": "DE"},
            "data": {
                "personal_information": True,
                "individuals": 25_000,
                "sensitive_individuals": 0,
                "important_data": "none",
                "ftz_list_match": "not_covered",
            },
        },
    )
    return (
        f"{len(transfers)} illustrative transfers and one assessment ({result.pathway}) for "
        f"{DEMO_ORGANISATION}"
    )
