"""E-commerce clearance figures (docs/benchmarks.md, "Cross-border e-commerce"):

1. orders/s end to end in-process on SQLite: the four CEB messages of an order (CEB311 order,
   CEB411 payment, CEB511 waybill, CEB621 inventory) through ``service.submit_message``, which
   validates and parses each, stores it, re-runs three-order matching, and on the fourth
   assesses the tax from the catalogue, reserves the buyer's annual quota (row lock), anchors the
   release in the platform ledger and writes the audit records. Three transaction shapes:
   (a) each message in its own transaction, as each API request is;
   (b) the four messages of an order in one transaction;
   (c) the batch path (``ecommerce clear``), ``--batch-orders`` orders per transaction (default
   ``ecommerce clear``'s batch of 500 messages, 125 orders), each batch read,
   validated, matched and assessed (``evaluate_ahead``, in a read transaction) before its write
   transaction opens;
   each with 1 and with 2 worker processes side by side (``--workers``), each with its own
   buyers; the batch path ``--parallel-runs`` times (median, slowest and fastest: this machine's
   speed drifts from minute to minute);
2. with ``--postgres URL``: the same on a throwaway PostgreSQL database of that server (dropped
   afterwards);
3. API latency (p50, p95) of ``POST /api/ecommerce/messages`` against ``digitrade serve``
   (1 worker, SQLite) on loopback, one client sending the four messages of each order in turn;
4. the batch path (``service`` batch, ``digitrade ecommerce clear``): ``--batch-total`` orders
   through ``batch.clear_batch``, ``--batch-orders`` orders (four messages each) per transaction,
   with ``--buyers-on-file`` other buyers' quota rows already in the database (a platform in
   service has many: a lookup that scans them shows here);
5. ``digitrade ecommerce clear`` of a folder of ``--cli-orders`` orders (four files each), with
   each ``--workers`` count, as a user runs it: wall time of the command, start-up included.

Every order is distinct: its own order number, payment, waybill and list numbers, guids, and a
buyer of its own (a checksum-valid resident ID number), so no annual quota is ever exceeded; the
script checks that every measured order ends ``released``.

Usage: python benchmarks/bench_ecommerce.py [--orders 200] [--http-orders 100]
       [--postgres postgresql://postgres@127.0.0.1:5432/test] [--profile]
       [--batch-total 5000] [--batch-orders 125] [--only-batch] [--workers 1 2]
       [--buyers-on-file 200000] [--cli-orders 4000]
       [--parallel-batch 4000] [--parallel-runs 3]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import multiprocessing
import os
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent))
import digitrade.composition  # noqa: F401 - registers the systems' permissions and ledger kinds
from digitrade.core.auth import service as auth
from digitrade.core.auth.permissions import OrganisationKind, Role
from digitrade.core.auth.principal import Principal
from digitrade.core.auth.schemas import OrganisationCreate, UserCreate
from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.ledger import service as ledger
from digitrade.core.migrations import upgrade
from digitrade.systems.ecommerce import service
from digitrade.systems.ecommerce.cli import CLEAR_BATCH, clear_messages
from digitrade.systems.ecommerce.identity import check_character
from digitrade.systems.ecommerce.models import ClearanceOrder
from digitrade.systems.ecommerce.schemas import BondedReceive, CatalogueItemWrite
from harness import (
    REPO_ROOT,
    cli_environment,
    demo_database,
    live_server,
    machine,
    percentile,
    print_machine,
    print_table,
    run_cli,
    save_results,
)

SYNTHETIC = REPO_ROOT.parent / "shared" / "fixtures" / "ceb" / "synthetic"
FOUR = ("CEB311", "CEB411", "CEB511", "CEB621")
ITEM_NO = "SKU-FC-50G"
# The catalogue entry of the synthetic order's one item (the research note's face cream).
FACE_CREAM = {
    "hs_code": "3304990099",
    "vat_rate": "0.13",
    "mfn_duty_rate": "0.01",
    "excise": {"kind": "cosmetics", "net_content": "50", "unit": "g"},
    "on_positive_list": True,
}
SYNTHETIC_BUYER = "110101200001010002"
BOOK = "T2200W000001"  # the synthetic CEB621's bonded account book (1210)
STOCK = 10**9
WARM_UP = 30
MS = 1000.0
GOAL = 2_000


# --- distinct orders from the synthetic set ----------------------------------------------------


def synthetic_messages() -> dict[str, str]:
    missing = [m for m in FOUR if not (SYNTHETIC / f"{m}Message.xml").exists()]
    if missing:
        raise SystemExit(f"synthetic CEB messages missing under {SYNTHETIC}: {missing}")
    return {m: (SYNTHETIC / f"{m}Message.xml").read_text(encoding="utf-8") for m in FOUR}


def buyer_id(number: int) -> str:
    """A distinct checksum-valid resident ID number (Beijing Dongcheng, born 1950 onwards)."""
    born = dt.date(1950, 1, 1) + dt.timedelta(days=number // 998)
    first = f"110101{born:%Y%m%d}{number % 998 + 1:03d}"
    return first + check_character(first)


def order_messages(templates: dict[str, str], number: int, tag: str) -> list[bytes]:
    """The four messages of order ``number`` (unique with ``tag`` per run), in arrival order."""
    serial = f"{number:010d}"
    replacements = {
        "SYN202501010001": f"SYN{tag}{serial}",
        "PAY202501010001": f"PAY{tag}{serial}",
        "YT0000000000001": f"YT{tag}{serial}",
        "COP202501010001": f"COP{tag}{serial}",
        SYNTHETIC_BUYER: buyer_id(number),
        "7A1C2B3D-0000": f"{uuid.uuid4().hex[:8].upper()}-{number % 0x10000:04X}",
    }
    messages = []
    for message_type in FOUR:
        body = templates[message_type]
        for old, new in replacements.items():
            body = body.replace(old, new)
        messages.append(body.encode("utf-8"))
    return messages


# --- databases ---------------------------------------------------------------------------------


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="digitrade-bench-ecommerce-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A new database on the PostgreSQL server of ``server_url``, dropped afterwards."""
    url = make_url(server_url)
    if url.get_backend_name() != "postgresql":
        raise SystemExit(f"--postgres must point at PostgreSQL, got {url.drivername}")
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    name = f"digitrade_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        raise SystemExit(f"PostgreSQL at {url.render_as_string()} is unreachable: {exc}") from exc
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def prepare(url: str) -> tuple[int, int]:
    """Migrate, create the platform log, an organisation, an editor and the catalogue item.

    Returns (organisation id, editor's user id)."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        factory = make_session_factory(engine)
        system = Principal.system("bench")
        with transaction(factory) as session:
            ledger.ensure_log(
                session,
                name=ledger.DEFAULT_LOG,
                kek="bench-kek-" + uuid.uuid4().hex,
                origin_prefix="bench.digitrade.example",
            )
            org = auth.create_organisation(
                session,
                actor=system,
                data=OrganisationCreate(
                    slug="bench-platform",
                    name="Bench platform",
                    kind=OrganisationKind.ENTERPRISE,
                    country="CN",
                ),
            )
            user = auth.create_user(
                session,
                actor=system,
                data=UserCreate(
                    email="declarant@bench.example",
                    display_name="declarant",
                    password=uuid.uuid4().hex + "-Aa1!",
                    organisation_id=org.id,
                    role=Role.EDITOR,
                ),
            )
            service.put_item(
                session,
                actor=system,
                organisation_id=org.id,
                item_no=ITEM_NO,
                data=CatalogueItemWrite(**FACE_CREAM),
            )
            # The synthetic CEB621 is a 1210 (bonded) list: its units leave this account book.
            service.receive_bonded(
                session,
                actor=system,
                organisation_id=org.id,
                data=BondedReceive(book_no=BOOK, item_no=ITEM_NO, quantity=STOCK),
            )
        return org.id, user.id
    finally:
        engine.dispose()


def editor(factory: sessionmaker[Session], user_id: int) -> Principal:
    with transaction(factory, write=False) as session:
        principal = auth.load_user_principal(session, user_id)
    assert principal is not None
    return principal


def released_count(engine: Engine, organisation_id: int, prefix: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.scalar(
                select(func.count(ClearanceOrder.id)).where(
                    ClearanceOrder.organisation_id == organisation_id,
                    ClearanceOrder.order_no.startswith(prefix),
                    ClearanceOrder.status == "released",
                )
            )
            or 0
        )


# --- in-process clearance ----------------------------------------------------------------------


MESSAGE, ORDER, BATCH = "message", "order", "batch"
SHAPES = {
    MESSAGE: "4 transactions per order",
    ORDER: "1 transaction per order",
    BATCH: "batch path",
}
# Orders per transaction of the batch path: ``digitrade ecommerce clear``'s default batch.
PER_TRANSACTION = CLEAR_BATCH // len(FOUR)


def shape_label(shape: str, per_transaction: int) -> str:
    label = SHAPES[shape]
    return f"{label}, {per_transaction} orders per transaction" if shape == BATCH else label


def clear_orders(
    factory: sessionmaker[Session],
    actor: Principal,
    organisation_id: int,
    orders: list[list[bytes]],
    *,
    shape: str,
    per_transaction: int = PER_TRANSACTION,
) -> None:
    """Submit each order's four messages: one transaction per message or per order, or clear
    them by the batch path (``per_transaction`` orders each)."""
    submit = service.submit_message
    if shape == BATCH:
        clear_in_batches(factory, actor, organisation_id, orders, per_transaction)
    elif shape == ORDER:
        for messages in orders:
            with transaction(factory) as session:
                for data in messages:
                    submit(session, actor=actor, organisation_id=organisation_id, data=data)
    else:
        for messages in orders:
            for data in messages:
                with transaction(factory) as session:
                    submit(session, actor=actor, organisation_id=organisation_id, data=data)


def worker_run(
    url: str,
    organisation_id: int,
    user_id: int,
    tag: str,
    first: int,
    count: int,
    shape: str,
    per_transaction: int,
    ready: Any,
    start: Any,
    results: Any,
) -> None:
    """One process: its own engine and buyers; waits for the common start, reports its times."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    actor = editor(factory, user_id)
    templates = synthetic_messages()
    warm = [order_messages(templates, first + count + i, "W" + tag) for i in range(WARM_UP)]
    clear_orders(
        factory, actor, organisation_id, warm, shape=shape, per_transaction=per_transaction
    )
    orders = [order_messages(templates, first + i, tag) for i in range(count)]
    ready.wait()
    start.wait()
    cpu = time.process_time()
    began = time.perf_counter()
    clear_orders(
        factory, actor, organisation_id, orders, shape=shape, per_transaction=per_transaction
    )
    ended = time.perf_counter()
    cpu = time.process_time() - cpu
    engine.dispose()
    results.put((tag, began, ended, count, cpu))


def parallel_run(
    url: str,
    organisation_id: int,
    user_id: int,
    workers: int,
    orders: int,
    shape: str,
    run: str,
    per_transaction: int = PER_TRANSACTION,
) -> dict[str, float]:
    """``orders`` orders split over ``workers`` processes started together; wall-clock orders/s."""
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(workers + 1)
    start = context.Barrier(workers + 1)
    results = context.Queue()
    share = orders // workers
    processes = [
        context.Process(
            target=worker_run,
            args=(
                url,
                organisation_id,
                user_id,
                f"{run}{index}",
                index * 10_000_000 + 1_000_000 * list(SHAPES).index(shape),
                share,
                shape,
                per_transaction,
                ready,
                start,
                results,
            ),
        )
        for index in range(workers)
    ]
    for process in processes:
        process.start()
    ready.wait(timeout=300)
    start.wait(timeout=60)
    finished = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        if process.exitcode != 0:
            raise RuntimeError(f"a worker failed with exit code {process.exitcode}")
    wall = max(f[2] for f in finished) - min(f[1] for f in finished)
    engine = make_engine(url)
    try:
        released = sum(released_count(engine, organisation_id, f"SYN{f[0]}") for f in finished)
    finally:
        engine.dispose()
    total = share * workers
    if released != total:
        raise RuntimeError(f"{released} of {total} measured orders were released")
    return {
        "orders": float(total),
        "seconds": wall,
        "orders_per_s": total / wall,
        "messages_per_s": 4 * total / wall,
        "per_worker_orders_per_s": statistics.mean(f[3] / (f[2] - f[1]) for f in finished),
        # CPU of the benchmark processes alone (not of the PostgreSQL server): less sensitive to
        # other load on the machine than the wall clock.
        "client_cpu_ms_per_order": sum(f[4] for f in finished) / total * MS,
    }


def in_process(
    url: str,
    orders: int,
    label: str,
    workers_list: tuple[int, ...],
    *,
    batch_orders: int,
    per_transaction: int = PER_TRANSACTION,
    batch_runs: int = 1,
) -> list[dict[str, Any]]:
    """Each shape with each worker count; the batch path clears ``batch_orders`` orders,
    ``per_transaction`` per transaction, ``batch_runs`` times: its figures are the median run's
    (by orders/s), with the slowest and fastest beside them."""
    organisation_id, user_id = prepare(url)
    rows: list[dict[str, Any]] = []
    run = 0
    for shape in SHAPES:
        for workers in workers_list:
            runs: list[dict[str, float]] = []
            for _ in range(batch_runs if shape == BATCH else 1):
                run += 1
                count = batch_orders if shape == BATCH else orders
                runs.append(
                    parallel_run(
                        url,
                        organisation_id,
                        user_id,
                        workers,
                        count,
                        shape,
                        f"{run:02d}",
                        per_transaction,
                    )
                )
            runs.sort(key=lambda figures: figures["orders_per_s"])
            figures = {
                **runs[len(runs) // 2],
                "runs": float(len(runs)),
                "slowest_orders_per_s": runs[0]["orders_per_s"],
                "fastest_orders_per_s": runs[-1]["orders_per_s"],
            }
            described = shape_label(shape, per_transaction)
            rows.append({"database": label, "workers": workers, "shape": described, **figures})
            print(
                f"  {label}, {workers} worker(s), {described}: "
                f"{figures['orders_per_s']:,.0f} orders/s",
                flush=True,
            )
    return rows


def profile(orders: int, top: int = 30) -> str:
    """cProfile of the per-message run on SQLite in this process; the top functions."""
    with sqlite_database() as url:
        organisation_id, user_id = prepare(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        actor = editor(factory, user_id)
        templates = synthetic_messages()
        warm = [order_messages(templates, 9_000_000 + i, "PW") for i in range(WARM_UP)]
        clear_orders(factory, actor, organisation_id, warm, shape=MESSAGE)
        batch = [order_messages(templates, i, "PR") for i in range(orders)]
        profiler = cProfile.Profile()
        profiler.enable()
        clear_orders(factory, actor, organisation_id, batch, shape=MESSAGE)
        profiler.disable()
        engine.dispose()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


# --- batch clearance ---------------------------------------------------------------------------


def clear_in_batches(
    factory: sessionmaker[Session],
    actor: Principal,
    organisation_id: int,
    orders: list[list[bytes]],
    batch_orders: int,
) -> None:
    """The batch path: ``batch_orders`` orders (4 messages each) per transaction, each batch
    read, validated and evaluated before its write transaction opens, by the function
    ``ecommerce clear`` runs on each batch of files it has read (``cli.clear_messages``)."""
    for start in range(0, len(orders), batch_orders):
        messages = [
            (f"{start + index}-{kind}", data)
            for index, order in enumerate(orders[start : start + batch_orders])
            for kind, data in zip(FOUR, order, strict=True)
        ]
        result = clear_messages(factory, actor, organisation_id, messages)
        if result.errors:
            raise RuntimeError(f"batch refused messages: {result.errors[:3]}")


def buyers_on_file(engine: Engine, count: int) -> None:
    """``count`` buyers who bought earlier this year (quota rows), as a platform in service has:
    the batch path's quota lookups must go through the index, not through them all."""
    if count <= 0:
        return
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = [(f"ONFILE{number:012d}", 2025, "100.00", now) for number in range(count)]
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO ecommerce_quota (buyer_id, year, total, updated_at) VALUES (?, ?, ?, ?)",
            rows,
        )


def batch_run(
    orders: int,
    batch_orders: int,
    *,
    on_file: int = 0,
    repeat: int = 1,
    profile_top: int = 0,
) -> tuple[dict[str, Any], str | None]:
    """Orders/s of the batch path on SQLite in this process (and its cProfile if asked), with
    ``on_file`` other buyers' quota rows already in the database: ``repeat`` runs of ``orders``
    new orders each, one after the other; the figures are the median run's (by orders/s), with
    the slowest and fastest beside them (this machine's speed drifts from minute to minute)."""
    with sqlite_database() as url:
        organisation_id, user_id = prepare(url)
        engine = make_engine(url)
        buyers_on_file(engine, on_file)
        factory = make_session_factory(engine)
        actor = editor(factory, user_id)
        templates = synthetic_messages()
        warm = [order_messages(templates, 8_000_000 + i, "BW") for i in range(WARM_UP * 10)]
        clear_in_batches(factory, actor, organisation_id, warm, batch_orders)
        runs: list[tuple[float, float]] = []  # (wall seconds, CPU seconds)
        for run in range(repeat):
            batch = [order_messages(templates, run * orders + i, "BT") for i in range(orders)]
            cpu = time.process_time()
            began = time.perf_counter()
            clear_in_batches(factory, actor, organisation_id, batch, batch_orders)
            runs.append((time.perf_counter() - began, time.process_time() - cpu))
        released = released_count(engine, organisation_id, "SYNBT")
        profiler = None
        if profile_top:  # a separate run of the same size: the figures above are unprofiled
            profiled = [order_messages(templates, i, "BP") for i in range(orders)]
            profiler = cProfile.Profile()
            profiler.enable()
            clear_in_batches(factory, actor, organisation_id, profiled, batch_orders)
            profiler.disable()
        engine.dispose()
    if released != orders * repeat:
        raise RuntimeError(f"{released} of {orders * repeat} measured orders were released")
    runs.sort()
    wall, cpu = runs[len(runs) // 2]
    text = None
    if profiler is not None:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("tottime").print_stats(profile_top)
        stats.sort_stats("cumulative").print_stats(profile_top)
        text = out.getvalue()
    return (
        {
            "database": "SQLite",
            "orders": orders,
            "batch_orders": batch_orders,
            "buyers_on_file": on_file,
            "runs": repeat,
            "seconds": wall,
            "orders_per_s": orders / wall,
            "slowest_orders_per_s": orders / runs[-1][0],
            "fastest_orders_per_s": orders / runs[0][0],
            "messages_per_s": 4 * orders / wall,
            "cpu_ms_per_order": cpu / orders * MS,
        },
        text,
    )


# --- the command line --------------------------------------------------------------------------


def cli_clear(orders: int, workers: int) -> dict[str, Any]:
    """``digitrade ecommerce clear`` of a folder of ``orders`` orders (four files each) on a new
    SQLite database: wall time of the whole command, its start-up and file listing included."""
    templates = synthetic_messages()
    with tempfile.TemporaryDirectory(prefix="digitrade-bench-clear-") as folder:
        directory = Path(folder)
        url = f"sqlite:///{directory / 'bench.sqlite3'}"
        organisation_id, _ = prepare(url)
        messages = directory / "messages"
        messages.mkdir()
        for number in range(orders):
            for kind, body in zip(FOUR, order_messages(templates, number, "CL"), strict=True):
                (messages / f"{number:07d}-{kind}.xml").write_bytes(body)
        began = time.perf_counter()
        summary = run_cli(
            [
                "ecommerce",
                "clear",
                str(messages),
                "--organisation",
                "bench-platform",
                "--workers",
                str(workers),
            ],
            env=cli_environment(directory, url),
            cwd=directory,
        )
        wall = time.perf_counter() - began
        engine = make_engine(url)
        released = released_count(engine, organisation_id, "SYNCL")
        engine.dispose()
    if released != orders or summary["released"] != orders:
        raise RuntimeError(f"ecommerce clear released {released} of {orders} orders")
    return {"orders": orders, "workers": workers, "seconds": wall, "orders_per_s": orders / wall}


# --- the API -----------------------------------------------------------------------------------


def api_latency(orders: int) -> dict[str, Any]:
    templates = synthetic_messages()
    with demo_database() as database:
        org_id = next(
            org["id"]
            for org in run_cli(["orgs", "list"], env=database.env, cwd=database.directory)
            if org["slug"] == "lingang-export-demo"
        )
        key = run_cli(
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
        headers = {"Authorization": f"Bearer {key['token']}", "content-type": "application/xml"}
        params = {"organisation_id": org_id}
        with (
            live_server(database) as server,
            httpx.Client(base_url=server.base_url, timeout=30) as client,
        ):
            put = client.put(
                f"/api/ecommerce/items/{ITEM_NO}",
                params=params,
                headers={"Authorization": headers["Authorization"]},
                json=FACE_CREAM,
            )
            if put.status_code != 200:
                raise RuntimeError(f"catalogue item: {put.status_code}: {put.text}")
            stocked = client.post(
                "/api/ecommerce/bonded/receipts",
                params=params,
                headers={"Authorization": headers["Authorization"]},
                json={"book_no": BOOK, "item_no": ITEM_NO, "quantity": STOCK},
            )
            if stocked.status_code != 201:
                raise RuntimeError(f"bonded stock: {stocked.status_code}: {stocked.text}")

            def send(messages: list[bytes], latencies: dict[str, list[float]] | None) -> str:
                status = ""
                for message_type, body in zip(FOUR, messages, strict=True):
                    began = time.perf_counter()
                    response = client.post(
                        "/api/ecommerce/messages", params=params, headers=headers, content=body
                    )
                    elapsed = time.perf_counter() - began
                    if response.status_code != 201:
                        raise RuntimeError(f"{response.status_code}: {response.text[:500]}")
                    if latencies is not None:
                        latencies[message_type].append(elapsed)
                    status = response.json()["status"]
                return status

            for i in range(WARM_UP):
                send(order_messages(templates, 5_000_000 + i, "HW"), None)
            batch = [order_messages(templates, i, "HT") for i in range(orders)]
            latencies: dict[str, list[float]] = {m: [] for m in FOUR}
            cpu_before = server.cpu_seconds()
            began = time.perf_counter()
            statuses = [send(messages, latencies) for messages in batch]
            wall = time.perf_counter() - began
            cpu = server.cpu_seconds() - cpu_before
    if statuses.count("released") != orders:
        raise RuntimeError(f"only {statuses.count('released')} of {orders} orders released")
    every = [value for values in latencies.values() for value in values]
    result: dict[str, Any] = {
        "orders": orders,
        "requests": len(every),
        "orders_per_s": orders / wall,
        "server_cpu_ms_per_order": cpu / orders * MS,
        "all_p50_ms": statistics.median(every) * MS,
        "all_p95_ms": percentile(every, 0.95) * MS,
    }
    for message_type, values in latencies.items():
        result[f"{message_type}_p50_ms"] = statistics.median(values) * MS
        result[f"{message_type}_p95_ms"] = percentile(values, 0.95) * MS
    return result


# --- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200, help="orders per in-process run")
    parser.add_argument("--http-orders", type=int, default=100, help="orders sent over HTTP")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also measure on a throwaway database of this PostgreSQL server, 1 and 2 workers",
    )
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1, 2],
        help="worker processes side by side (default 1 2)",
    )
    parser.add_argument(
        "--parallel-batch",
        type=int,
        default=4_000,
        help="orders cleared by the batch path in the runs with worker processes",
    )
    parser.add_argument(
        "--parallel-runs",
        type=int,
        default=3,
        help="runs of the batch path with each --workers count (median shown)",
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the run")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument(
        "--batch-orders",
        type=int,
        default=PER_TRANSACTION,
        help="orders per transaction of the batch path (default: ecommerce clear's batch)",
    )
    parser.add_argument(
        "--batch-total", type=int, default=5_000, help="orders cleared by the batch path"
    )
    parser.add_argument("--only-batch", action="store_true", help="measure the batch path only")
    parser.add_argument(
        "--cli-orders",
        type=int,
        default=4_000,
        help="orders in the folder cleared by `digitrade ecommerce clear`",
    )
    parser.add_argument(
        "--batch-runs", type=int, default=3, help="runs of --batch-total orders (median shown)"
    )
    parser.add_argument(
        "--buyers-on-file",
        type=int,
        default=200_000,
        help="other buyers' quota rows in the database before the batch path runs",
    )
    args = parser.parse_args()
    info = machine()
    print_machine(info)
    batch, batch_profile = batch_run(
        args.batch_total,
        args.batch_orders,
        on_file=args.buyers_on_file,
        repeat=args.batch_runs,
        profile_top=30 if args.profile else 0,
    )
    print_table(
        f"Batch path (ecommerce clear), in-process, SQLite ({args.batch_total:,} orders, "
        f"{args.batch_orders:,} orders = {4 * args.batch_orders:,} messages per transaction, "
        f"{args.buyers_on_file:,} other buyers' quota rows on file, median of "
        f"{args.batch_runs} runs)",
        ["database", "orders/s", "slowest", "fastest", "messages/s", "CPU ms/order", "goal"],
        [
            [
                batch["database"],
                batch["orders_per_s"],
                batch["slowest_orders_per_s"],
                batch["fastest_orders_per_s"],
                batch["messages_per_s"],
                batch["cpu_ms_per_order"],
                GOAL,
            ]
        ],
        notes=[
            "per order: parse + validate 4 messages once, match and assess once before the "
            "write transaction (used when the buyer's locked total is the one assumed), store, "
            "quota (rows locked up front), bonded drawdown, receipts and journal rows by "
            "executemany, ledger append_many, one audit event per batch",
        ],
    )
    if batch_profile:
        print(batch_profile)
    rows: list[dict[str, Any]] = []
    if args.only_batch:
        save_results("ecommerce-batch", {"machine": info, "batch": batch, "profile": batch_profile})
        return
    databases = [("SQLite", sqlite_database())]
    if args.postgres:
        databases.append(("PostgreSQL", postgres_database(args.postgres)))
    for label, database in databases:
        with database as url:
            rows += in_process(
                url,
                args.orders,
                label,
                tuple(args.workers),
                batch_orders=args.parallel_batch,
                per_transaction=args.batch_orders,
                batch_runs=args.parallel_runs,
            )
    print_table(
        f"Clearance in-process, 4 CEB messages per order, end to end ({args.orders:,} orders "
        f"per row, {args.parallel_batch:,} for the batch path, median of {args.parallel_runs} "
        "runs; each order a new buyer; every order released)",
        [
            "database",
            "workers",
            "transactions",
            "orders/s",
            "slowest",
            "fastest",
            "messages/s",
            "per worker",
            "CPU ms/order",
            "goal",
        ],
        [
            [
                r["database"],
                r["workers"],
                r["shape"],
                r["orders_per_s"],
                r["slowest_orders_per_s"] if r["runs"] > 1 else None,
                r["fastest_orders_per_s"] if r["runs"] > 1 else None,
                r["messages_per_s"],
                r["per_worker_orders_per_s"],
                r["client_cpu_ms_per_order"],
                GOAL if r["database"] == "SQLite" else None,
            ]
            for r in rows
        ],
        notes=[
            "per order: validate + parse 4 messages, store, re-match on each arrival, tax, "
            "quota row lock, ledger anchor, audit records",
            f"{WARM_UP} warm-up orders per worker before timing; wall clock from common start",
            "CPU ms/order: CPU time of the Python worker processes (excludes the PostgreSQL "
            "server), summed over workers, per order",
        ],
    )
    cleared = [cli_clear(args.cli_orders, workers) for workers in args.workers]
    print_table(
        f"digitrade ecommerce clear of a folder ({args.cli_orders:,} orders = "
        f"{4 * args.cli_orders:,} files, new SQLite database, start-up and listing included)",
        ["workers", "seconds", "orders/s"],
        [[run["workers"], run["seconds"], run["orders_per_s"]] for run in cleared],
    )
    remote: dict[str, Any] | None = None
    if not args.skip_http:
        remote = api_latency(args.http_orders)
        print_table(
            f"POST /api/ecommerce/messages, one client on loopback, 1 worker, SQLite "
            f"({remote['requests']:,} requests = {args.http_orders:,} orders)",
            ["message", "p50 ms", "p95 ms"],
            [
                *[[m, remote[f"{m}_p50_ms"], remote[f"{m}_p95_ms"]] for m in FOUR],
                ["all four", remote["all_p50_ms"], remote["all_p95_ms"]],
            ],
            notes=[
                f"sequential orders/s over HTTP: {remote['orders_per_s']:.1f}; server CPU "
                f"{remote['server_cpu_ms_per_order']:.1f} ms per order",
                "CEB621 arrives last: it triggers the tax, quota reservation and release",
            ],
        )
    profile_text = None
    if args.profile:
        profile_text = profile(min(args.orders, 500))
        print(profile_text)
    save_results(
        "ecommerce",
        {
            "machine": info,
            "in_process": rows,
            "batch": batch,
            "cli_clear": cleared,
            "api": remote,
            "args": vars(args),
            "profile": profile_text,
        },
    )


if __name__ == "__main__":
    main()
