"""Dataflow figures (docs/benchmarks.md, "Cross-border data compliance"):

1. assessments/s in-process: the pure engine alone, and JSON contract -> parse -> decide -> JSON;
2. API latency (p50, p95) of ``POST /api/dataflow/assessments`` against ``digitrade serve``
   on loopback: a question nobody saves, and a decision saved and anchored in the ledger.

Usage: python benchmarks/bench_dataflow.py [--requests 1500]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from digitrade.systems.dataflow import rules
from harness import (
    demo_database,
    live_server,
    percentile,
    print_machine,
    print_table,
    run_cli,
    save_results,
)

PURPOSES = ["other", "other", "other", "contract_with_individual", "hr_management", "transit"]


def random_request(rng: random.Random) -> dict[str, Any]:
    purpose = rng.choice(PURPOSES)
    personal = rng.random() < 0.9
    individuals = rng.choice([0, 5_000, 99_999, 100_000, 350_000, 1_000_000]) if personal else 0
    sensitive = rng.choice([0, 0, 1, 9_999, 10_000]) if personal else 0
    return {
        "as_of": rng.choice(["2023-10-01", "2024-06-30", "2025-08-01", "2026-11-26"]),
        "processor": {
            "name": "Bench exporter",
            "is_ciio": rng.random() < 0.1,
            "registered_in_ftz": False,
        },
        "transfer": {
            "purpose": purpose,
            "recipient_country": "DE",
            "remote_access": rng.random() < 0.3,
        },
        "data": {
            "personal_information": personal,
            "individuals": individuals,
            "sensitive_individuals": sensitive,
            "collected_abroad": purpose == "transit",
            "important_data": "notified" if rng.random() < 0.05 else "none",
        },
    }


def in_process(count: int) -> dict[str, float]:
    rng = random.Random(7)
    payloads = [random_request(rng) for _ in range(count)]
    parsed = [rules.request_from_dict(p) for p in payloads]
    started = time.perf_counter()
    for request in parsed:
        rules.assess(request)
    engine = count / (time.perf_counter() - started)
    started = time.perf_counter()
    for payload in payloads:
        rules.assess(rules.request_from_dict(payload)).as_dict()
    contract = count / (time.perf_counter() - started)
    return {"engine_per_s": engine, "contract_per_s": contract}


def api_latency(requests: int) -> dict[str, float]:
    rng = random.Random(11)
    with demo_database() as database:
        editor = run_cli(
            [
                "keys",
                "create",
                "--org",
                "lingang-export-demo",
                "--name",
                "bench",
                "--role",
                "editor",
            ],
            env=database.env,
            cwd=database.directory,
        )
        org_id = next(
            org["id"]
            for org in run_cli(["orgs", "list"], env=database.env, cwd=database.directory)
            if org["slug"] == "lingang-export-demo"
        )
        with (
            live_server(database) as server,
            httpx.Client(base_url=server.base_url, timeout=30) as client,
        ):
            headers = {"Authorization": f"Bearer {editor['token']}"}
            for _ in range(50):  # warm-up
                client.post("/api/dataflow/assessments", json=random_request(rng))
            unsaved: list[float] = []
            saved: list[float] = []
            for i in range(requests):
                body = random_request(rng)
                started = time.perf_counter()
                if i % 3 == 0:
                    response = client.post(
                        "/api/dataflow/assessments",
                        json=body,
                        headers=headers,
                        params={"organisation_id": org_id},
                    )
                    saved.append(time.perf_counter() - started)
                else:
                    response = client.post("/api/dataflow/assessments", json=body)
                    unsaved.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{response.status_code}: {response.text}")
    ms = 1000.0
    return {
        "unsaved_p50_ms": statistics.median(unsaved) * ms,
        "unsaved_p95_ms": percentile(unsaved, 0.95) * ms,
        "saved_p50_ms": statistics.median(saved) * ms,
        "saved_p95_ms": percentile(saved, 0.95) * ms,
        "requests": float(requests),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=1_500)
    args = parser.parse_args()
    print_machine()
    local = in_process(args.assessments)
    remote = api_latency(args.requests)
    print_table(
        f"Assessments in-process ({args.assessments:,} random requests)",
        ["figure", "per second", "goal"],
        [
            ["engine: decide (parsed request)", local["engine_per_s"], 5_000],
            ["contract: parse JSON dict, decide, decision as dict", local["contract_per_s"], 5_000],
        ],
    )
    print_table(
        f"POST /api/dataflow/assessments, one client on loopback, 1 worker ({args.requests:,})",
        ["request", "p50 ms", "p95 ms"],
        [
            ["decide only (nothing stored)", remote["unsaved_p50_ms"], remote["unsaved_p95_ms"]],
            [
                "decide, save, anchor in the ledger, audit",
                remote["saved_p50_ms"],
                remote["saved_p95_ms"],
            ],
        ],
    )
    save_results("dataflow", {"in_process": local, "api": remote, "args": vars(args)})


if __name__ == "__main__":
    main()
