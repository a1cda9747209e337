"""Services-trade monitor figures (docs/benchmarks.md, "Services-trade monitor"):

1. import rate of a 1,000,400-row template CSV (205 economies x 10 years x 4 quarters x 61
   EBOPS codes x 2 flows): parsing and checking alone (``importing.read_any``), and the whole
   all-or-nothing import into a fresh SQLite database (``service.import_file``: parse, look up
   current vintages, insert, anchor in the ledger), in rows/s;
2. p50/p95 latency of the dashboard's API queries against ``digitrade serve`` (1 worker, SQLite)
   over 10 years x 200 economies x 61 codes x 2 flows of annual values (244,000 values) on top
   of the demo data: ``/api/statistics/series`` for a random economy and code,
   ``/api/statistics/progress`` for a random economy, and ``/api/statistics/dashboard`` for
   Shanghai (the page's one round trip). Goal: p95 under 50 ms.

Usage: python benchmarks/bench_statistics.py [--rows-economies 205] [--requests 300]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import string
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import digitrade.composition  # noqa: F401 - registers the systems' permissions and ledger kinds
from digitrade.core.auth.principal import Principal
from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.migrations import upgrade
from digitrade.systems.statistics import classification, service
from harness import (
    demo_database,
    live_server,
    machine,
    percentile,
    print_machine,
    print_table,
    run_cli,
    save_results,
)

CODES = [code for code in classification.codes() if not classification.is_aggregate(code)]
HEADER = [
    "economy",
    "period",
    "code",
    "flow",
    "value",
    "currency",
    "unit_multiplier",
    "basis",
    "status",
    "source",
]


def economies(count: int) -> list[str]:
    # Three-letter codes that are not real ISO codes would still pass: the reader checks shape.
    letters = ("".join(p) for p in itertools.product(string.ascii_uppercase, repeat=3))
    return [code for code, _ in zip(letters, range(count), strict=False)]


def write_file(path: Path, *, economy_count: int, years: range, quarterly: bool) -> int:
    generator = random.Random(2029)
    rows = 0
    periods = (
        [f"{year}-Q{q}" for year in years for q in range(1, 5)]
        if quarterly
        else [str(year) for year in years]
    )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for economy in economies(economy_count):
            for period in periods:
                for code in CODES:
                    for flow in ("credit", "debit"):
                        value = f"{generator.randint(1, 900_000) / 100:.2f}"
                        writer.writerow(
                            [
                                economy,
                                period,
                                code,
                                flow,
                                value,
                                "USD",
                                6,
                                "bop",
                                "official",
                                "benchmark (synthetic)",
                            ]
                        )
                        rows += 1
    return rows


def measure_import(directory: Path, economy_count: int) -> dict[str, Any]:
    path = directory / "million.csv"
    rows = write_file(path, economy_count=economy_count, years=range(2015, 2025), quarterly=True)
    data = path.read_bytes()
    started = time.perf_counter()
    preview = service.read_file(data, path.name, source="benchmark")
    parse_seconds = time.perf_counter() - started
    assert not preview.errors, preview.errors[:3]
    url = f"sqlite:///{directory / 'import.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    from digitrade.core.ledger import service as ledger

    with transaction(factory) as session:
        ledger.ensure_log(
            session, name=ledger.DEFAULT_LOG, kek="benchmark-kek", origin_prefix="bench.example"
        )
    started = time.perf_counter()
    with transaction(factory) as session:
        result = service.import_file(
            session,
            actor=Principal.system("bench"),
            data=data,
            filename=path.name,
            source="benchmark (synthetic)",
        )
    import_seconds = time.perf_counter() - started
    engine.dispose()
    return {
        "rows": rows,
        "file_mb": round(len(data) / 1e6, 1),
        "parse_rows_per_s": round(rows / parse_seconds),
        "parse_s": round(parse_seconds, 1),
        "import_rows_per_s": round(result.rows / import_seconds),
        "import_s": round(import_seconds, 1),
    }


def measure_api(requests: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with demo_database() as database, tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "annual.csv"
        values = write_file(path, economy_count=200, years=range(2015, 2025), quarterly=False)
        run_cli(
            ["stats", "import", str(path), "--source", "benchmark (synthetic)"],
            env=database.env,
            cwd=database.directory,
        )
        results["values"] = values
        names = economies(200)
        generator = random.Random(7)
        with live_server(database) as server, httpx.Client(base_url=server.base_url) as client:
            queries = {
                "series": lambda: (
                    "/api/statistics/series",
                    {"economy": generator.choice(names), "code": generator.choice(CODES)},
                ),
                "progress": lambda: (
                    "/api/statistics/progress",
                    {"economy": generator.choice(names), "definition": "unctad"},
                ),
                "dashboard": lambda: ("/api/statistics/dashboard", {"economy": "CN-SH"}),
            }
            for name, make in queries.items():
                for _ in range(10):  # warm up
                    url, params = make()
                    client.get(url, params=params).raise_for_status()
                timings = []
                for _ in range(requests):
                    url, params = make()
                    started = time.perf_counter()
                    response = client.get(url, params=params)
                    timings.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
                results[name] = {
                    "p50_ms": round(percentile(timings, 0.50), 1),
                    "p95_ms": round(percentile(timings, 0.95), 1),
                }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows-economies", type=int, default=205)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--only", choices=["import", "api"], default=None)
    args = parser.parse_args()
    print_machine()
    imported: dict[str, Any] = {}
    api: dict[str, Any] = {}
    if args.only != "api":
        with tempfile.TemporaryDirectory(prefix="digitrade-bench-stats-") as folder:
            imported = measure_import(Path(folder), args.rows_economies)
        report_import(imported)
    if args.only != "import":
        api = measure_api(args.requests)
        report_api(api)
    save_results("statistics", {"machine": machine(), "import": imported, "api": api})
    return 0


def report_import(imported: dict[str, Any]) -> None:
    print_table(
        "Import of a template CSV (SQLite)",
        ["rows", "file MB", "parse rows/s", "import rows/s", "parse s", "import s"],
        [
            [
                imported["rows"],
                imported["file_mb"],
                imported["parse_rows_per_s"],
                imported["import_rows_per_s"],
                imported["parse_s"],
                imported["import_s"],
            ]
        ],
    )


def report_api(api: dict[str, Any]) -> None:
    print_table(
        f"Dashboard API over {api['values']:,} annual values + demo (1 worker, SQLite)",
        ["query", "p50 ms", "p95 ms"],
        [
            [name, api[name]["p50_ms"], api[name]["p95_ms"]]
            for name in ("series", "progress", "dashboard")
        ],
    )


if __name__ == "__main__":
    sys.exit(main())
