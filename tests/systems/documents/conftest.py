from __future__ import annotations

from dataclasses import dataclass

import pytest

from digitrade.app import create_app
from digitrade.composition import SYSTEMS
from digitrade.core.auth import service as auth
from digitrade.core.auth.permissions import OrganisationKind, Role
from digitrade.core.auth.principal import Principal
from digitrade.core.auth.schemas import OrganisationCreate, UserCreate
from digitrade.core.ledger import service as ledger
from tests.conftest import PASSWORD
from tests.core.ledger.conftest import KEK, PREFIX


@pytest.fixture
def app(settings, session_factory):
    return create_app(settings, systems=SYSTEMS, session_factory=session_factory)


@pytest.fixture
def platform_log(db):
    ledger.ensure_log(db, name="platform", kek=KEK, origin_prefix=PREFIX)
    db.commit()


@dataclass
class Trade:
    """A carrier, a shipper, a bank and an outsider, each with an editor."""

    carrier: int
    shipper: int
    bank: int
    outsider: int
    carrier_user: Principal
    shipper_user: Principal
    bank_user: Principal
    outsider_user: Principal
    shipper_viewer: Principal


@pytest.fixture
def trade(db, world, platform_log) -> Trade:
    system = Principal.system("test")

    def organisation(slug: str, kind: OrganisationKind) -> int:
        return auth.create_organisation(
            db, actor=system, data=OrganisationCreate(slug=slug, name=slug.title(), kind=kind)
        ).id

    def user(email: str, org: int, role: Role = Role.EDITOR) -> Principal:
        created = auth.create_user(
            db,
            actor=system,
            data=UserCreate(
                email=email, display_name=email, password=PASSWORD, organisation_id=org, role=role
            ),
        )
        principal = auth.load_user_principal(db, created.id)
        assert principal is not None
        return principal

    carrier = organisation("ocean-carrier", OrganisationKind.CARRIER)
    shipper = organisation("shanghai-shipper", OrganisationKind.ENTERPRISE)
    bank = organisation("harbour-bank", OrganisationKind.BANK)
    outsider = organisation("someone-else", OrganisationKind.ENTERPRISE)
    result = Trade(
        carrier=carrier,
        shipper=shipper,
        bank=bank,
        outsider=outsider,
        carrier_user=user("ops@carrier.example", carrier),
        shipper_user=user("docs@shipper.example", shipper),
        bank_user=user("trade@bank.example", bank),
        outsider_user=user("x@else.example", outsider),
        shipper_viewer=user("viewer@shipper.example", shipper, Role.VIEWER),
    )
    db.commit()
    return result
