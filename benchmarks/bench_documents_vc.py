"""Verifiable-credential figures (docs/benchmarks.md, "Verifiable documents"), on one core:

1. ``verify_proof`` and ``create_proof`` per second for a realistic credential (a certificate of
   origin of about 1.5 KB, issuer ``did:web`` with a key validity window, status list entry);
2. in the same run, the raw pipeline a verification cannot avoid: ``rfc8785.dumps`` of the
   document and of the proof configuration, two ``hashlib.sha256`` and one ``cryptography``
   Ed25519 verify (key object and signature bytes prepared beforehand), and our/raw ratio;
3. where ``verify_proof``'s time goes: canonicalise, hash, signature, other (proof parsing,
   base58 decoding, key resolution and the checks), measured step by step.

4. on the platform, in a fresh SQLite database: anchored issuances per second through
   ``documents.service.issue`` (validate the subject, sign, store, append to the ledger, audit;
   one transaction each, as each API request is), and full verifications per second through
   ``documents.service.verify_file`` (parse, schema, signature, issuer, status, inclusion proof).

The process is pinned to one CPU if it can be.
Usage: python benchmarks/bench_documents_vc.py [--rounds 7] [--iterations 2000]
    [--anchored 500] [--format table|json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

sys.path.insert(0, str(Path(__file__).resolve().parent))
from digitrade.systems.documents.vc import eddsa_jcs_2022 as suite
from digitrade.systems.documents.vc.did import did_web_document, key_resolver
from digitrade.systems.documents.vc.multibase import decode_base58btc
from digitrade.systems.documents.vc.status_list import credential_status_entry
from harness import machine, print_machine, print_table, save_results

ISSUER = "did:web:trade.example:issuers:ccpit-shanghai"
VM = f"{ISSUER}#key-2026"


def certificate_of_origin() -> dict[str, Any]:
    """A certificate of origin as a VC 2.0 credential, about 1.5 KB of canonical JSON."""
    goods = [
        {
            "lineNumber": n,
            "description": description,
            "hsCode": hs,
            "originCriterion": "WO" if n == 1 else "PE",
            "quantity": {"value": str(quantity), "unitCode": "KGM"},
            "marksAndNumbers": f"HPSH-2026-0418/{n:03d}",
        }
        for n, (description, hs, quantity) in enumerate(
            [
                ("Green tea, not fermented, in packings > 3 kg", "090210", 12500),
                ("Silk woven fabrics, dyed", "500720", 830),
                ("Porcelain tableware", "691110", 2140),
                ("Bamboo flooring panels", "441873", 18000),
            ],
            start=1,
        )
    ]
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://trade.example/contexts/certificate-of-origin/v1",
        ],
        "id": "urn:uuid:1f0c2a8e-6c3b-4f6e-9a51-3d2e7b9c0a41",
        "type": ["VerifiableCredential", "CertificateOfOriginCredential"],
        "issuer": ISSUER,
        "validFrom": "2026-04-18T09:30:00Z",
        "credentialSubject": {
            "type": "CertificateOfOrigin",
            "certificateNumber": "CCPIT-SH-2026-0041873",
            "exporter": {
                "name": "Huangpu Tea & Textiles Export Co., Ltd.",
                "address": "88 Zhongshan Dong Yi Road, Huangpu District, Shanghai 200002, CN",
                "registration": "91310101MA1FP0XXXX",
            },
            "consignee": {
                "name": "Rotterdam Fine Goods B.V.",
                "address": "Wilhelminakade 123, 3072 AP Rotterdam, NL",
            },
            "transport": {
                "mode": "sea",
                "vessel": "COSCO SHIPPING ARIES",
                "voyage": "045W",
                "portOfLoading": "CNSHA",
                "portOfDischarge": "NLRTM",
                "billOfLading": "HPSH2026041800017",
            },
            "goods": goods,
            "countryOfOrigin": "CN",
            "importingCountry": "NL",
            "invoice": {"number": "INV-2026-0418-17", "date": "2026-04-15"},
        },
        "credentialStatus": credential_status_entry(
            status_list_credential="https://trade.example/status/2026/7",
            index=94567,
            status_purpose="revocation",
        ),
    }


def rate(call: Callable[[], object], iterations: int, rounds: int) -> float:
    """Median calls per second over ``rounds`` timed loops of ``iterations`` calls each."""
    for _ in range(max(10, iterations // 10)):  # warm-up: caches, allocator
        call()
    rates = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(iterations):
            call()
        rates.append(iterations / (time.perf_counter() - started))
    return statistics.median(rates)


def pin_to_one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
    except (AttributeError, OSError):
        return "not pinned"
    return f"pinned to CPU {cpu}"


def measure(rounds: int, iterations: int) -> dict[str, Any]:
    key = Ed25519PrivateKey.generate()
    did_document = did_web_document(
        "trade.example",
        ["issuers", "ccpit-shanghai"],
        [
            ("key-2025", Ed25519PrivateKey.generate().public_key().public_bytes_raw(),
             dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
            ("key-2026", key.public_key().public_bytes_raw(),
             dt.datetime(2026, 1, 1, tzinfo=dt.UTC), None),
        ],
    )  # fmt: skip
    resolve = key_resolver([did_document])
    credential = certificate_of_origin()
    created = "2026-04-18T09:30:05Z"
    secured = suite.create_proof(credential, key, verification_method=VM, created=created)
    assert suite.verify_proof(secured, resolve).verified

    # The raw pipeline's inputs, prepared outside the loop.
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    proof_config = {k: v for k, v in secured["proof"].items() if k != "proofValue"}
    signature = decode_base58btc(secured["proof"]["proofValue"])
    public_key = key.public_key()

    def raw_verify() -> None:
        data = (
            hashlib.sha256(rfc8785.dumps(proof_config)).digest()
            + hashlib.sha256(rfc8785.dumps(unsecured)).digest()
        )
        public_key.verify(signature, data)

    canonical_config = suite.canonical_proof_config(proof_config)
    canonical_doc = suite.canonical_document(unsecured)
    assert canonical_doc == rfc8785.dumps(unsecured)
    assert canonical_config == rfc8785.dumps(proof_config)
    data = suite.hash_data(canonical_config, canonical_doc)
    raw_public = public_key.public_bytes_raw()

    verify_s = rate(lambda: suite.verify_proof(secured, resolve), iterations, rounds)
    raw_s = rate(raw_verify, iterations, rounds)
    issue_s = rate(
        lambda: suite.create_proof(credential, key, verification_method=VM, created=created),
        iterations,
        rounds,
    )
    steps_s = {
        "canonicalise": rate(
            lambda: (
                suite.canonical_proof_config(suite.proof_configuration(proof_config, unsecured)),
                suite.canonical_document(unsecured),
            ),
            iterations,
            rounds,
        ),
        "hash": rate(lambda: suite.hash_data(canonical_config, canonical_doc), iterations, rounds),
        "signature": rate(
            lambda: suite.verify_signature(data, signature, raw_public), iterations, rounds
        ),
    }
    raw_canon_s = rate(
        lambda: (rfc8785.dumps(proof_config), rfc8785.dumps(unsecured)), iterations, rounds
    )
    per_verify_us = 1e6 / verify_s
    step_us = {name: 1e6 / value for name, value in steps_s.items()}
    step_us["other"] = max(0.0, per_verify_us - sum(step_us.values()))
    return {
        "credential_bytes": len(canonical_doc),
        "proof_config_bytes": len(canonical_config),
        "verifications_per_s": verify_s,
        "issuances_per_s": issue_s,
        "raw_verifications_per_s": raw_s,
        "ratio_ours_to_raw": verify_s / raw_s,
        "verify_us": per_verify_us,
        "step_us": step_us,
        "step_share": {name: value / per_verify_us for name, value in step_us.items()},
        "raw_canonicalise_us": 1e6 / raw_canon_s,
        "rounds": rounds,
        "iterations": iterations,
    }


def measure_platform(count: int) -> dict[str, Any]:
    """Anchored issuances and full verifications through the documents service."""
    import tempfile

    import digitrade.composition  # noqa: F401 - registers permissions and ledger kinds
    from digitrade.core.auth import service as auth
    from digitrade.core.auth.permissions import OrganisationKind
    from digitrade.core.auth.principal import Principal
    from digitrade.core.auth.schemas import OrganisationCreate
    from digitrade.core.db import make_engine, make_session_factory, transaction
    from digitrade.core.ledger import service as ledger
    from digitrade.core.migrations import upgrade
    from digitrade.systems.documents import service
    from digitrade.systems.documents.schemas import IssueRequest
    from digitrade.systems.documents.types import examples

    actor = Principal.system("bench")
    with tempfile.TemporaryDirectory(prefix="digitrade-bench-vc-") as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        upgrade(engine)
        factory = make_session_factory(engine)
        with transaction(factory) as session:
            ledger.ensure_log(
                session, name=ledger.DEFAULT_LOG, kek="bench-kek", origin_prefix="bench.example"
            )
            issuer = auth.create_organisation(
                session,
                actor=actor,
                data=OrganisationCreate(
                    slug="ccpit-shanghai",
                    name="CCPIT Shanghai (benchmark)",
                    kind=OrganisationKind.AGENCY,
                ),
            ).id
        subject = examples.illustrative_certificate_of_origin()
        request = IssueRequest.model_validate({"kind": "certificate-of-origin", "subject": subject})
        with transaction(factory) as session:  # warm-up: first key, caches
            service.issue(session, actor=actor, organisation_id=issuer, request=request)
        started = time.perf_counter()
        credentials = []
        for _ in range(count):
            with transaction(factory) as session:
                detail = service.issue(
                    session, actor=actor, organisation_id=issuer, request=request
                )
                credentials.append(json.dumps(detail.credential).encode())
        issue_s = count / (time.perf_counter() - started)
        # The same through issue_batch, 50 documents per transaction (a batch run).
        started = time.perf_counter()
        for _ in range(count // 50):
            with transaction(factory) as session:
                service.issue_batch(
                    session, actor=actor, organisation_id=issuer, requests=[request] * 50
                )
        batch_s = (count // 50) * 50 / (time.perf_counter() - started)
        with transaction(factory) as session:
            ledger.integrate(session)
        with transaction(factory, write=False) as session:
            assert service.verify_file(session, credentials[0]).verified
            started = time.perf_counter()
            for data in credentials:
                service.verify_file(session, data)
            verify_s = len(credentials) / (time.perf_counter() - started)
        engine.dispose()
    return {
        "anchored_issuances_per_s": issue_s,
        "platform_verifications_per_s": verify_s,
        "anchored_batch_issuances_per_s": batch_s,
        "anchored_count": count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--anchored", type=int, default=500)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args()
    pinned = pin_to_one_core()
    info = machine()
    figures = measure(args.rounds, args.iterations)
    figures["cpu"] = pinned
    figures.update(measure_platform(args.anchored))
    if args.format == "json":
        print(json.dumps({"benchmark": "documents-vc", **figures, "machine": info}))
        return
    print_machine(info)
    print_table(
        f"eddsa-jcs-2022, certificate of origin ({figures['credential_bytes']} bytes canonical), "
        f"one core ({pinned})",
        ["run", "per s", "us each"],
        [
            ["verify_proof (did:web key, validity window)", figures["verifications_per_s"],
             1e6 / figures["verifications_per_s"]],
            ["create_proof", figures["issuances_per_s"], 1e6 / figures["issuances_per_s"]],
            ["raw: rfc8785.dumps x2 + sha256 x2 + Ed25519 verify",
             figures["raw_verifications_per_s"], 1e6 / figures["raw_verifications_per_s"]],
        ],
        notes=[
            f"ratio verify_proof / raw: {figures['ratio_ours_to_raw']:.2f} "
            "(above 1: faster than the raw pipeline)",
            f"raw rfc8785.dumps of document + config alone: "
            f"{figures['raw_canonicalise_us']:.1f} us",
        ],
    )  # fmt: skip
    print_table(
        "Where verify_proof's time goes",
        ["step", "us", "share %"],
        [
            [name, figures["step_us"][name], 100 * figures["step_share"][name]]
            for name in ("canonicalise", "hash", "signature", "other")
        ],
        notes=["other = proof parsing, base58 decoding, key resolution, checks"],
    )
    print_table(
        f"On the platform, SQLite, {figures['anchored_count']} certificates of origin",
        ["run", "per s", "ratio to raw verification"],
        [
            ["service.issue (sign, store, ledger, audit; one transaction each)",
             figures["anchored_issuances_per_s"],
             figures["anchored_issuances_per_s"] / figures["raw_verifications_per_s"]],
            ["service.issue_batch, 50 per transaction", figures["anchored_batch_issuances_per_s"],
             figures["anchored_batch_issuances_per_s"] / figures["raw_verifications_per_s"]],
            ["service.verify_file (all checks with inclusion proof)",
             figures["platform_verifications_per_s"],
             figures["platform_verifications_per_s"] / figures["raw_verifications_per_s"]],
        ],
    )  # fmt: skip
    save_results(
        "documents-vc",
        {**figures, "machine": info, "args": {k: str(v) for k, v in vars(args).items()}},
    )


if __name__ == "__main__":
    main()
