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
class Statistics:
    agency: int
    officer: Principal  # editor in the agency
    agency_viewer: Principal
    enterprises: list[int]
    reporters: list[Principal]  # one editor per enterprise


@pytest.fixture
def stats_world(db, world, platform_log) -> Statistics:
    system = Principal.system("test")

    def organisation(slug: str, kind: OrganisationKind) -> int:
        return auth.create_organisation(
            db, actor=system, data=OrganisationCreate(slug=slug, name=slug.title(), kind=kind)
        ).id

    def user(email: str, org: int, role: Role) -> Principal:
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

    agency = organisation("commerce-commission", OrganisationKind.AGENCY)
    enterprises = [organisation(f"firm-{n}", OrganisationKind.ENTERPRISE) for n in range(4)]
    result = Statistics(
        agency=agency,
        officer=user("officer@agency.example", agency, Role.EDITOR),
        agency_viewer=user("viewer@agency.example", agency, Role.VIEWER),
        enterprises=enterprises,
        reporters=[
            user(f"reporter{n}@firm.example", org, Role.EDITOR) for n, org in enumerate(enterprises)
        ],
    )
    db.commit()
    return result
