"""Test wiring: one migrated database per run, each test inside a transaction rolled back after."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from digitrade.app import create_app
from digitrade.core.auth import service
from digitrade.core.auth.permissions import OrganisationKind, Role
from digitrade.core.auth.principal import Principal
from digitrade.core.auth.schemas import ApiKeyCreate, OrganisationCreate, UserCreate
from digitrade.core.config import Settings, get_settings
from digitrade.core.db import make_engine
from digitrade.core.migrations import upgrade
from tests.support import throwaway_database

PASSWORD = "correct horse battery staple"
TEST_KEK = "test key-encryption key"


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2id with test-sized cost: the algorithm and checks are the same, hashing is faster."""
    from argon2 import PasswordHasher

    from digitrade.core.auth import passwords

    production = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = production


@pytest.fixture(autouse=True, scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Files the platform keeps beside its database (rule packs) go to a throwaway folder."""
    path = tmp_path_factory.mktemp("data")
    previous = os.environ.get("DIGITRADE_DATA_DIR")
    os.environ["DIGITRADE_DATA_DIR"] = str(path)
    get_settings.cache_clear()
    yield path
    if previous is None:
        os.environ.pop("DIGITRADE_DATA_DIR", None)
    else:
        os.environ["DIGITRADE_DATA_DIR"] = previous
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with throwaway_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """One connection per test with an outer transaction that is always rolled back."""
    with engine.connect() as connection:
        outer = connection.begin()
        yield connection
        outer.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    # Commits inside the code under test become savepoints of the outer transaction.
    return sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    session = session_factory()
    yield session
    session.close()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test-secret-key-" + "x" * 32,
        key_encryption_key=TEST_KEK,
        ledger_integrate_interval_seconds=0,  # tests integrate explicitly
        ledger_checkpoint_interval_seconds=0,
        onerecord_delivery_interval_seconds=0,  # tests deliver notifications explicitly
        ecommerce_receipt_delivery_interval_seconds=0,  # tests deliver receipts explicitly
        login_max_failures=3,
        log_json=False,
    )


@pytest.fixture
def app(settings: Settings, session_factory: sessionmaker[Session]) -> FastAPI:
    return create_app(settings, systems=(), session_factory=session_factory)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@dataclass
class World:
    """A small cast: a platform admin, two organisations, and one user per role in the first."""

    admin: Principal
    org_a: int
    org_b: int
    owner: Principal
    editor: Principal
    viewer: Principal
    outsider: Principal  # owner of org_b only


@pytest.fixture
def world(db: Session) -> World:
    system = Principal.system("test")
    org_a = service.create_organisation(
        db,
        actor=system,
        data=OrganisationCreate(
            slug="org-a", name="Organisation A", kind=OrganisationKind.ENTERPRISE
        ),
    )
    org_b = service.create_organisation(
        db,
        actor=system,
        data=OrganisationCreate(slug="org-b", name="Organisation B", kind=OrganisationKind.CARRIER),
    )

    def user(email: str, org: int | None, role: Role | None, admin: bool = False) -> Principal:
        created = service.create_user(
            db,
            actor=system,
            data=UserCreate(
                email=email,
                display_name=email.split("@")[0],
                password=PASSWORD,
                organisation_id=org,
                role=role,
                is_platform_admin=admin,
            ),
        )
        principal = service.load_user_principal(db, created.id)
        assert principal is not None
        return principal

    world = World(
        admin=user("admin@test.example", None, None, admin=True),
        org_a=org_a.id,
        org_b=org_b.id,
        owner=user("owner@a.example", org_a.id, Role.OWNER),
        editor=user("editor@a.example", org_a.id, Role.EDITOR),
        viewer=user("viewer@a.example", org_a.id, Role.VIEWER),
        outsider=user("owner@b.example", org_b.id, Role.OWNER),
    )
    db.commit()
    return world


@pytest.fixture
def api_key(db: Session, world: World):
    def make(role: Role = Role.OWNER, organisation_id: int | None = None, days: int = 30) -> str:
        issued = service.create_api_key(
            db,
            actor=world.admin,
            data=ApiKeyCreate(
                organisation_id=organisation_id or world.org_a,
                name=f"{role}-key",
                role=role,
                expires_in_days=days,
            ),
        )
        db.commit()
        return issued.token

    return make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
