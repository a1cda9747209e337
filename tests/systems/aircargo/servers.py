"""Real ONE Record servers for the tests: ``digitrade serve`` in a subprocess, with its own
database (SQLite, or a throwaway PostgreSQL database when the suite runs on PostgreSQL), an
organisation and an API key made with the CLI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from digitrade.core.auth import service as auth_service
from digitrade.core.auth.permissions import OrganisationKind, Role
from digitrade.core.auth.principal import Principal
from digitrade.core.auth.schemas import ApiKeyCreate, OrganisationCreate
from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.migrations import upgrade
from tests.support import throwaway_database

DIGITRADE = str(Path(sys.executable).with_name("digitrade"))
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_cli(env: dict[str, str], *args: str) -> Any:
    done = subprocess.run(
        [DIGITRADE, *args, "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return json.loads(done.stdout) if done.stdout.strip() else None


@dataclass
class OneRecordServer:
    """One platform serving ONE Record: its API root, its environment and its organisation's
    API key. ``start``/``stop`` run ``digitrade serve`` (the database stays between runs)."""

    home: Path
    port: int
    env: dict[str, str]
    org_slug: str
    token: str
    serve_args: list[str] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/onerecord"

    def cli(self, *args: str) -> Any:
        return run_cli(self.env, *args)

    def add_partner_organisation(self, slug: str, name: str) -> str:
        """An organisation standing for a partner, and an editor API key for it."""
        engine = make_engine(self.env["DIGITRADE_DATABASE_URL"])
        try:
            return add_organisation(make_session_factory(engine), slug, name, Role.EDITOR)
        finally:
            engine.dispose()

    def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        """Read the server's database directly (faster than the CLI for polling)."""
        engine = create_engine(self.env["DIGITRADE_DATABASE_URL"])
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(text(sql), params)]
        finally:
            engine.dispose()

    def start(self) -> None:
        log = (self.home / "serve.log").open("ab")
        command = [DIGITRADE, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, *self.serve_args], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise AssertionError((self.home / "serve.log").read_text(errors="replace"))
            try:
                if httpx.get(f"{self.root}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"the server on port {self.port} did not start in time")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def client(self, token: str | None = None) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url,
            headers={
                "Authorization": f"Bearer {token or self.token}",
                "Content-Type": "application/ld+json",
                "Accept": "application/ld+json",
            },
            timeout=15,
        )


def set_up_database(database_url: str, org_slug: str, org_name: str) -> str:
    """What ``digitrade db upgrade``, ``orgs create`` and ``keys create`` do, in this process
    (three CLI start-ups less per server); returns the organisation's owner API key."""
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        return add_organisation(make_session_factory(engine), org_slug, org_name, Role.OWNER)
    finally:
        engine.dispose()


def add_organisation(factory: sessionmaker[Session], slug: str, name: str, role: Role) -> str:
    actor = Principal.system("test")
    with transaction(factory) as session:
        organisation = auth_service.create_organisation(
            session,
            actor=actor,
            data=OrganisationCreate(slug=slug, name=name, kind=OrganisationKind.CARRIER),
        )
        key = auth_service.create_api_key(
            session,
            actor=actor,
            data=ApiKeyCreate(
                organisation_id=organisation.id, name="onerecord", role=role, expires_in_days=30
            ),
        )
        return str(key.token)


@contextmanager
def one_record_server(
    home: Path,
    *,
    org_slug: str,
    org_name: str,
    settings: dict[str, str] | None = None,
    serve_args: list[str] | None = None,
    start: bool = True,
) -> Iterator[OneRecordServer]:
    home.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        database_url = stack.enter_context(throwaway_database(home))
        port = free_port()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DIGITRADE_")},
            "DIGITRADE_DATABASE_URL": database_url,
            "DIGITRADE_ONERECORD_BASE_URL": f"http://127.0.0.1:{port}/onerecord",
            "DIGITRADE_KEY_ENCRYPTION_KEY": "one record test key-encryption key "
            + uuid.uuid4().hex,
            "DIGITRADE_SECRET_KEY": "one record test session secret " + uuid.uuid4().hex,
            "DIGITRADE_DATA_DIR": str(home / "var"),
            "DIGITRADE_LOG_LEVEL": "WARNING",
            "DIGITRADE_LOG_JSON": "false",
            "DIGITRADE_LEDGER_CHECKPOINT_INTERVAL_SECONDS": "0",
            # The test servers and their subscribers are all on loopback.
            "DIGITRADE_ONERECORD_PRIVATE_ENDPOINTS": "true",
            "COLUMNS": "200",
            **(settings or {}),
        }
        token = set_up_database(database_url, org_slug, org_name)
        server = OneRecordServer(
            home=home,
            port=port,
            env=env,
            org_slug=org_slug,
            token=token,
            serve_args=serve_args or [],
        )
        stack.callback(server.stop)
        if start:
            server.start()
        yield server
