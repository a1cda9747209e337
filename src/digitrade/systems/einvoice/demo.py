"""Demo data: the official rule packs (from the local validation kit when present) and a few
illustrative invoices issued by the Lin-gang demo exporter to foreign buyers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from digitrade.core.auth.models import Organisation
from digitrade.core.auth.principal import Principal
from digitrade.core.config import get_settings
from digitrade.core.errors import DomainError
from digitrade.systems.einvoice import service
from digitrade.systems.einvoice.schemas import IssueRequest

DEMO_SELLER = "lingang-export-demo"
ILLUSTRATIVE = "Illustrative demo invoice: parties and amounts are invented."

_SELLER = {
    "vat_id": "CN91310115MA1LG0DEMO",
    "electronic_address": {"value": "6971000000014", "scheme": "0088"},
    "address": {
        "line1": "Building 3, 2000 Huanhu West 2nd Road",
        "city": "Shanghai",
        "postal_code": "201306",
        "subdivision": "Lin-gang Special Area",
        "country": "CN",
    },
    "contact": {"name": "Accounts receivable", "email": "ar@lingang-export.digitrade.example"},
}


def _invoices(today: dt.date) -> list[dict[str, Any]]:
    """Three invoices a Shanghai exporter sends abroad (illustrative)."""
    return [
        {
            "profile": "peppol",
            "exemptions": {"G": ["Export of services, zero-rated in China", None]},
            "invoice": {
                "issue_date": (today - dt.timedelta(days=20)).isoformat(),
                "due_date": (today + dt.timedelta(days=10)).isoformat(),
                "currency": "SGD",
                "buyer_reference": "HFA-PO-2026-0415",
                "seller": _SELLER,
                "buyer": {
                    "name": "Harbourfront Analytics Pte. Ltd. (demo)",
                    "electronic_address": {"value": "201912345K", "scheme": "0195"},
                    "address": {
                        "line1": "1 Harbourfront Avenue",
                        "city": "Singapore",
                        "postal_code": "098632",
                        "country": "SG",
                    },
                },
                "payment_instructions": {
                    "means_code": "30",
                    "credit_transfers": [
                        {"account_id": "31001234567890123456", "service_provider": "BKCHCNBJ300"}
                    ],
                },
                "notes": [{"text": ILLUSTRATIVE}],
                "lines": [
                    {
                        "id": "1",
                        "quantity": "160",
                        "unit": "HUR",
                        "price": {"net_price": "118.00"},
                        "item": {
                            "name": "Predictive maintenance model tuning",
                            "vat_category": "G",
                            "vat_rate": "0",
                        },
                    },
                    {
                        "id": "2",
                        "quantity": "3",
                        "unit": "MON",
                        "price": {"net_price": "2400.00"},
                        "item": {
                            "name": "Remote monitoring platform subscription",
                            "vat_category": "G",
                            "vat_rate": "0",
                        },
                    },
                ],
            },
        },
        {
            "profile": "peppol",
            "invoice": {
                "issue_date": (today - dt.timedelta(days=9)).isoformat(),
                "due_date": (today + dt.timedelta(days=21)).isoformat(),
                "currency": "EUR",
                "buyer_reference": "MAAS-2026-118",
                "purchase_order_reference": "PO-118",
                "seller": _SELLER,
                "buyer": {
                    "name": "Maas Import B.V. (demo)",
                    "vat_id": "NL123456789B01",
                    "electronic_address": {"value": "NL123456789B01", "scheme": "9944"},
                    "address": {
                        "line1": "Wilhelminakade 123",
                        "city": "Rotterdam",
                        "postal_code": "3072 AP",
                        "country": "NL",
                    },
                },
                "payment_instructions": {
                    "means_code": "58",
                    "credit_transfers": [
                        {"account_id": "NL91ABNA0417164300", "account_name": "Lin-gang Export EU"}
                    ],
                },
                "notes": [{"text": ILLUSTRATIVE}],
                "charges": [
                    {
                        "amount": "180.00",
                        "vat_category": "S",
                        "vat_rate": "21",
                        "reason": "Insurance and handling",
                    }
                ],
                "lines": [
                    {
                        "id": "1",
                        "quantity": "40",
                        "unit": "C62",
                        "price": {"net_price": "312.50"},
                        "item": {
                            "name": "Precision spindle bearing SB-7",
                            "sellers_id": "SB-7",
                            "origin_country": "CN",
                            "vat_category": "S",
                            "vat_rate": "21",
                        },
                    },
                    {
                        "id": "2",
                        "quantity": "2",
                        "unit": "DAY",
                        "price": {"net_price": "950.00"},
                        "item": {
                            "name": "On-site installation supervision",
                            "vat_category": "S",
                            "vat_rate": "21",
                        },
                    },
                ],
            },
        },
        {
            "profile": "en16931",
            "exemptions": {"G": ["Export of services, zero-rated in China", None]},
            "invoice": {
                "issue_date": (today - dt.timedelta(days=2)).isoformat(),
                "currency": "USD",
                "payment_terms": "30 days net",
                "seller": _SELLER,
                "buyer": {
                    "name": "Pacific Fleet Services Inc. (demo)",
                    "address": {"city": "Long Beach", "postal_code": "90802", "country": "US"},
                },
                "notes": [{"text": ILLUSTRATIVE}],
                "lines": [
                    {
                        "id": "1",
                        "quantity": "1",
                        "unit": "C62",
                        "price": {"net_price": "18500.00"},
                        "item": {
                            "name": "Vessel engine-room digital twin, phase 1",
                            "vat_category": "G",
                            "vat_rate": "0",
                        },
                    }
                ],
            },
        },
    ]


def _ensure_rule_packs() -> str | None:
    """Install the official packs from the local validation kit if none are installed."""
    settings = get_settings()
    root = service.rule_pack_root(settings.data_dir)
    if service.list_rule_packs(root):
        return None
    kit = settings.fixtures_dir / "einvoice"
    if not kit.is_dir():
        return (
            "no rule packs installed and no validation kit at "
            f"{kit}; run `digitrade einvoice rules fetch`"
        )
    from digitrade.systems.einvoice import rulepacks

    rulepacks.install_from_path(kit, root)
    service.validator.cache_clear()
    return None


def load_demo(session: Session, actor: Principal) -> str:
    seller_id = session.scalar(select(Organisation.id).where(Organisation.slug == DEMO_SELLER))
    if seller_id is None:
        return "skipped: no demo exporter"
    problem = _ensure_rule_packs()
    if problem:
        return f"skipped: {problem}"
    root = service.rule_pack_root(get_settings().data_dir)
    issued = []
    for body in _invoices(dt.date.today()):
        try:
            result = service.issue(
                session,
                actor=actor,
                request=IssueRequest.model_validate({**body, "organisation_id": seller_id}),
                root=root,
            )
        except DomainError as exc:
            return f"stopped: demo invoice refused: {exc.detail}"
        issued.append(result.number)
    return f"{len(issued)} illustrative invoices issued by {DEMO_SELLER} ({', '.join(issued)})"
