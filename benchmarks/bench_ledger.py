"""Ledger figures (docs/benchmarks.md, "Trust ledger"), all on SQLite in one run:

1. appends/s in batches, and the ratio to a raw sqlite3 ``executemany`` of the same rows into
   the same table (the storage limit); also entries/s fully integrated into the tree;
2. inclusion and consistency proof generation at 1,000,000 entries (median, p99);
3. checkpoint verification (Ed25519 signed note) and inclusion-proof verification;
4. leaf hashing rate against raw ``hashlib.sha256`` over the same bytes (the physical limit).

Usage: python benchmarks/bench_ledger.py [--entries 1000000] [--batch 10000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.ledger import merkle, service
from digitrade.core.ledger.verify import open_log_checkpoint
from digitrade.core.migrations import upgrade
from harness import percentile, print_machine, print_table, save_results

KEK = "benchmark key-encryption key"


def entries(start: int, count: int) -> list[service.NewEntry]:
    return [
        service.NewEntry(
            "core.attestation",
            {"subject": f"Bill of lading HPSH{start + i:010d}", "statement": "issued on board"},
            submitter="org:huangpu-shipping-demo",
        )
        for i in range(count)
    ]


def fresh_database(folder: Path, name: str):
    url = f"sqlite:///{folder / name}"
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        service.create_log(session, name="bench", kek=KEK, origin_prefix="bench.example")
    return engine, factory, folder / name


def appends(folder: Path, total: int, batch: int) -> dict[str, float]:
    """Append in committed batches; then integrate; then the raw insert of the same rows."""
    engine, factory, path = fresh_database(folder, "append.sqlite3")
    prepared = [entries(start, batch) for start in range(0, total, batch)]
    started = time.perf_counter()
    for chunk in prepared:
        with transaction(factory) as session:
            service.append_many(session, chunk, log="bench")
    append_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with transaction(factory) as session:
        service.integrate(session, log="bench", batch_size=total)
    integrate_seconds = time.perf_counter() - started
    engine.dispose()

    # The same rows, copied out of the database, inserted by sqlite3 alone in the same batches.
    source = sqlite3.connect(path)
    rows = source.execute('SELECT * FROM core_ledger_entry ORDER BY "index"').fetchall()
    schema = source.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'core_ledger_entry'"
    ).fetchone()[0]
    source.close()
    raw_path = folder / "raw.sqlite3"
    raw = sqlite3.connect(raw_path, isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=NORMAL")
    # The same table and indexes; a plain sqlite3 connection does not enforce foreign keys.
    raw.execute(schema)
    for index_sql in (
        "CREATE INDEX ix_leaf ON core_ledger_entry (log_id, leaf_hash)",
        'CREATE INDEX ix_kind ON core_ledger_entry (log_id, kind, "index")',
    ):
        raw.execute(index_sql)
    marks = ", ".join("?" for _ in rows[0])  # placeholders only; the rows are parameters
    insert_sql = "INSERT INTO core_ledger_entry VALUES (" + marks + ")"  # noqa: S608
    started = time.perf_counter()
    for start in range(0, total, batch):
        raw.execute("BEGIN")
        raw.executemany(insert_sql, rows[start : start + batch])
        raw.execute("COMMIT")
    raw_seconds = time.perf_counter() - started
    raw.close()
    return {
        "appends_per_s": total / append_seconds,
        "raw_inserts_per_s": total / raw_seconds,
        "integrated_per_s": total / integrate_seconds,
        "append_and_integrate_per_s": total / (append_seconds + integrate_seconds),
    }


def proofs(folder: Path, total: int, batch: int, samples: int) -> dict[str, float]:
    engine, factory, _path = fresh_database(folder, "proofs.sqlite3")
    for start in range(0, total, batch):
        with transaction(factory) as session:
            service.append_many(session, entries(start, batch), log="bench")
            service.integrate(session, log="bench", batch_size=batch)
    with transaction(factory) as session:
        checkpoint = service.publish_checkpoint(session, log="bench", kek=KEK)
        key = service.verifier_key(service.get_log(session, "bench"))
    rng = random.Random(1)
    inclusion, consistency, verify_inclusion = [], [], []
    with factory() as session:
        for _ in range(samples):
            index = rng.randrange(total)
            started = time.perf_counter()
            proof = service.inclusion_proof(session, log="bench", index=index)
            inclusion.append(time.perf_counter() - started)
            started = time.perf_counter()
            merkle.verify_inclusion(
                proof.leaf_hash, index, proof.tree_size, proof.hashes, proof.root_hash
            )
            verify_inclusion.append(time.perf_counter() - started)
            first = rng.randrange(1, total)
            started = time.perf_counter()
            service.consistency_proof(session, log="bench", first=first)
            consistency.append(time.perf_counter() - started)
    checkpoint_times = []
    for _ in range(samples):
        started = time.perf_counter()
        open_log_checkpoint(checkpoint.note, key)
        checkpoint_times.append(time.perf_counter() - started)
    engine.dispose()
    ms = 1000.0
    return {
        "inclusion_proof_median_ms": statistics.median(inclusion) * ms,
        "inclusion_proof_p99_ms": percentile(inclusion, 0.99) * ms,
        "consistency_proof_median_ms": statistics.median(consistency) * ms,
        "consistency_proof_p99_ms": percentile(consistency, 0.99) * ms,
        "inclusion_verify_median_ms": statistics.median(verify_inclusion) * ms,
        "checkpoint_verify_median_ms": statistics.median(checkpoint_times) * ms,
    }


def hashing(count: int) -> dict[str, float]:
    """Leaf hashing as the ledger does it vs hashlib alone on the same canonical entries."""
    leaves = [
        b'{"kind":"core.attestation","kindVersion":1,"payload":{"statement":"issued on board",'
        b'"subject":"Bill of lading HPSH%010d"},"submitter":"org:demo",'
        b'"time":"2026-11-26T10:00:00Z"}' % i
        for i in range(count)
    ]
    prefixed = [b"\x00" + leaf for leaf in leaves]
    sha256 = hashlib.sha256
    started = time.perf_counter()
    for leaf in prefixed:
        sha256(leaf).digest()
    raw = time.perf_counter() - started
    started = time.perf_counter()
    for leaf in leaves:
        merkle.leaf_hash(leaf)
    ours = time.perf_counter() - started
    frontier = merkle.MerkleFrontier()
    hashes = [sha256(leaf).digest() for leaf in prefixed]
    started = time.perf_counter()
    for value in hashes:
        frontier.append(value)
    tree = time.perf_counter() - started
    return {
        "raw_sha256_per_s": count / raw,
        "leaf_hash_per_s": count / ours,
        "tree_append_per_s": count / tree,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="log size for the proofs")
    parser.add_argument("--appends", type=int, default=200_000, help="entries for the append run")
    parser.add_argument("--batch", type=int, default=10_000, help="entries per transaction")
    parser.add_argument("--samples", type=int, default=2_000, help="proofs timed")
    args = parser.parse_args()
    print_machine()
    with tempfile.TemporaryDirectory(prefix="digitrade-bench-ledger-") as tmp:
        folder = Path(tmp)
        append_figures = appends(folder, args.appends, args.batch)
        hash_figures = hashing(200_000)
        proof_figures = proofs(folder, args.entries, args.batch, args.samples)
    print_table(
        f"Appends, SQLite, batches of {args.batch:,} entries, {args.appends:,} entries",
        ["figure", "per second", "ratio to raw executemany"],
        [
            [
                "ledger append_many (sequenced, committed)",
                append_figures["appends_per_s"],
                append_figures["appends_per_s"] / append_figures["raw_inserts_per_s"],
            ],
            ["raw sqlite3 executemany, same rows", append_figures["raw_inserts_per_s"], 1.0],
            ["tree integration", append_figures["integrated_per_s"], None],
            ["append + integrate", append_figures["append_and_integrate_per_s"], None],
        ],
    )
    print_table(
        f"Proofs at {args.entries:,} entries ({args.samples:,} samples)",
        ["figure", "milliseconds"],
        [
            [name.replace("_ms", "").replace("_", " "), value]
            for name, value in proof_figures.items()
        ],
    )
    print_table(
        "Hashing, 200,000 entries of about 180 bytes",
        ["figure", "per second", "ratio to raw sha256"],
        [
            ["raw hashlib.sha256", hash_figures["raw_sha256_per_s"], 1.0],
            [
                "ledger leaf hash",
                hash_figures["leaf_hash_per_s"],
                hash_figures["leaf_hash_per_s"] / hash_figures["raw_sha256_per_s"],
            ],
            [
                "tree append (frontier)",
                hash_figures["tree_append_per_s"],
                hash_figures["tree_append_per_s"] / hash_figures["raw_sha256_per_s"],
            ],
        ],
    )
    save_results(
        "ledger",
        {
            "appends": append_figures,
            "proofs": proof_figures,
            "hashing": hash_figures,
            "args": vars(args),
            "pid": os.getpid(),
        },
    )


if __name__ == "__main__":
    main()
