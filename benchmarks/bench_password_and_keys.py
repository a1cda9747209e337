"""Why API keys use a fast digest: one Argon2 password check against one API-key authentication.

Figure: median microseconds, in-process, of

- ``verify_password``: one Argon2id verification with the platform's parameters;
- ``authenticate_password``: what a sign-in does (user lookup with memberships + Argon2id);
- ``authenticate_api_key``: what every API request does (key lookup by prefix + SHA-256 of the
  secret + constant-time comparison), each call on a fresh session as a request gets;
- the SHA-256 digest alone;

and each one's cost as a multiple of ``authenticate_api_key``. The database is a fresh SQLite file
in a temporary folder, migrated with the platform's migrations.

    .venv/bin/python benchmarks/bench_password_and_keys.py [--password-rounds 30]
        [--key-rounds 2000]
"""

from __future__ import annotations

import argparse
import hashlib
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from digitrade.core.auth import service
from digitrade.core.auth.passwords import hash_password, verify_password
from digitrade.core.auth.permissions import OrganisationKind, Role
from digitrade.core.auth.principal import Principal
from digitrade.core.auth.schemas import ApiKeyCreate, OrganisationCreate, UserCreate
from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.migrations import upgrade
from harness import machine, percentile, print_machine, print_table, save_results

EMAIL = "bench@digitrade.example"
PASSWORD = secrets.token_urlsafe(18)  # 24 characters, above the 12-character minimum


@dataclass
class Samples:
    wall_us: list[float]  # elapsed time of each call
    cpu_us: list[float]  # CPU time of the whole process during each call (all threads)


def timed(call: Callable[[], object], rounds: int, warmup: int) -> Samples:
    """Wall and CPU microseconds of each of ``rounds`` calls, after ``warmup`` untimed calls.

    CPU time counts every thread of the process (Argon2 hashes its lanes in parallel threads) and
    is less disturbed than wall time by other programs competing for the cores.
    """
    for _ in range(warmup):
        call()
    samples = Samples([], [])
    for _ in range(rounds):
        cpu_started = time.process_time_ns()
        started = time.perf_counter_ns()
        call()
        samples.wall_us.append((time.perf_counter_ns() - started) / 1000)
        samples.cpu_us.append((time.process_time_ns() - cpu_started) / 1000)
    return samples


def argon2_parameters(encoded: str) -> str:
    """``m=65536,t=3,p=4`` from ``$argon2id$v=19$m=65536,t=3,p=4$salt$hash``."""
    parts = encoded.split("$")
    return f"{parts[1]} {parts[3]}" if len(parts) > 3 else "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--password-rounds", type=int, default=30)
    parser.add_argument("--key-rounds", type=int, default=2000)
    args = parser.parse_args()

    info = machine()
    print_machine(info)
    with tempfile.TemporaryDirectory(prefix="digitrade-bench-") as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        try:
            upgrade(engine)
            factory = make_session_factory(engine)
            actor = Principal.system("benchmark")
            with transaction(factory) as session:
                org = service.create_organisation(
                    session,
                    actor=actor,
                    data=OrganisationCreate(
                        slug="bench-org", name="Benchmark Ltd.", kind=OrganisationKind.ENTERPRISE
                    ),
                )
                service.create_user(
                    session,
                    actor=actor,
                    data=UserCreate(
                        email=EMAIL,
                        display_name="Benchmark",
                        password=PASSWORD,
                        organisation_id=org.id,
                        role=Role.OWNER,
                    ),
                )
                token = service.create_api_key(
                    session,
                    actor=actor,
                    data=ApiKeyCreate(organisation_id=org.id, name="bench", role=Role.VIEWER),
                ).token
            stored_hash = hash_password(PASSWORD)
            secret = token.split("_", 2)[2]

            def password_login() -> None:
                with factory() as session:
                    service.authenticate_password(session, email=EMAIL, password=PASSWORD)

            def api_key_login() -> None:
                with factory() as session:
                    service.authenticate_api_key(session, token)

            assert verify_password(stored_hash, PASSWORD)
            measured = {
                "verify_password (Argon2id only)": timed(
                    lambda: verify_password(stored_hash, PASSWORD), args.password_rounds, 3
                ),
                "authenticate_password (lookup + Argon2id)": timed(
                    password_login, args.password_rounds, 3
                ),
                "authenticate_api_key (lookup + SHA-256)": timed(
                    api_key_login, args.key_rounds, 100
                ),
                "SHA-256 of the key secret only": timed(
                    lambda: hashlib.sha256(secret.encode()).hexdigest(), args.key_rounds * 10, 1000
                ),
            }
        finally:
            engine.dispose()

    api_key = measured["authenticate_api_key (lookup + SHA-256)"]
    reference_wall = statistics.median(api_key.wall_us)
    reference_cpu = statistics.median(api_key.cpu_us)
    rows = []
    results = []
    for name, samples in measured.items():
        wall = statistics.median(samples.wall_us)
        cpu = statistics.median(samples.cpu_us)
        rows.append(
            [
                name,
                len(samples.wall_us),
                wall,
                percentile(samples.wall_us, 0.9),
                cpu,
                f"{wall / reference_wall:.3g}",
                f"{cpu / reference_cpu:.3g}",
            ]
        )
        results.append(
            {
                "operation": name,
                "rounds": len(samples.wall_us),
                "median_wall_us": wall,
                "p90_wall_us": percentile(samples.wall_us, 0.9),
                "median_cpu_us": cpu,
                "x_api_key_wall": wall / reference_wall,
                "x_api_key_cpu": cpu / reference_cpu,
            }
        )
    print_table(
        "Password check vs API-key authentication (in-process, one call at a time)",
        [
            "operation",
            "rounds",
            "median us",
            "p90 us",
            "median CPU us",
            "x api key",
            "x api key (CPU)",
        ],
        rows,
        notes=[
            f"Argon2 parameters: {argon2_parameters(stored_hash)} (argon2-cffi defaults)",
            "us: elapsed microseconds per call; CPU us: process CPU time per call, all threads",
            "x api key: median as a multiple of authenticate_api_key's median in this run",
            "CPU times are read with a coarse clock: sub-microsecond CPU figures are approximate",
        ],
    )
    save_results(
        "password-and-keys",
        {
            "figure": "password-and-keys",
            "machine": info,
            "argon2": argon2_parameters(stored_hash),
            "results": results,
        },
    )


if __name__ == "__main__":
    main()
