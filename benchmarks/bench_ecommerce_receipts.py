"""E-commerce receipts and tax bills (docs/benchmarks.md, "Cross-border e-commerce"):

1. the receipt feed: receipts/s read with their CEB XML (``service.receipt_feed``, pages of 500);
2. receipt delivery: receipts/s POSTed by ``delivery.sweep`` to an HTTP server on loopback that
   takes each one (a real ``http.server`` with keep-alive), in order, signed;
3. tax bills: CEB816 bills/s written and checked by the validator (``service.tax_bill``).

The receipts are those of ``--orders`` synthetic orders cleared first by the batch path (five
receipts an order: four 120 answers and the 800 release). SQLite, in this process.

Usage: python benchmarks/bench_ecommerce_receipts.py [--orders 1000] [--bills 300]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ecommerce import (
    clear_in_batches,
    editor,
    order_messages,
    prepare,
    sqlite_database,
    synthetic_messages,
)
from digitrade.core.db import make_engine, make_session_factory, transaction, utcnow
from digitrade.systems.ecommerce import delivery, service
from digitrade.systems.ecommerce.models import ClearanceOrder
from digitrade.systems.ecommerce.schemas import ReceiptEndpointWrite
from harness import machine, print_machine, print_table, save_results


class _Inbox(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a receiving service would
    received = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received += 1
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def run(orders: int, bills: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with sqlite_database() as url:
        organisation_id, user_id = prepare(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        actor = editor(factory, user_id)
        templates = synthetic_messages()
        batch = [order_messages(templates, i, "RC") for i in range(orders)]
        clear_in_batches(factory, actor, organisation_id, batch, 500)

        began = time.perf_counter()
        read, after = 0, 0
        while True:
            with transaction(factory, write=False) as session:
                page = service.receipt_feed(
                    session, actor=actor, organisation_id=organisation_id, after=after, limit=500
                )
            if not page.items:
                break
            read, after = read + len(page.items), page.next_after
        took = time.perf_counter() - began
        rows.append(_row("feed, with XML, pages of 500", read, took))

        server = ThreadingHTTPServer(("127.0.0.1", 0), _Inbox)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with transaction(factory) as session:
                service.put_receipt_endpoint(
                    session,
                    actor=actor,
                    organisation_id=organisation_id,
                    data=ReceiptEndpointWrite(
                        url=f"http://127.0.0.1:{server.server_address[1]}/inbox",
                        from_start=True,
                    ),
                )
            began = time.perf_counter()
            delivered = 0
            with httpx.Client(timeout=10.0) as client:
                while delivered < read:
                    result = delivery.sweep(
                        factory, client, retry_base_seconds=1.0, allow_private=True, now=utcnow()
                    )
                    if result.failed:
                        raise RuntimeError("the loopback inbox refused a receipt")
                    delivered += result.delivered
            took = time.perf_counter() - began
        finally:
            server.shutdown()
            server.server_close()
        if _Inbox.received != read:
            raise RuntimeError(f"{_Inbox.received} of {read} receipts reached the inbox")
        rows.append(_row("delivery to a loopback endpoint, in order, signed", delivered, took))

        with transaction(factory, write=False) as session:
            order_ids = list(
                session.scalars(
                    select(ClearanceOrder.id)
                    .where(ClearanceOrder.status == "released")
                    .order_by(ClearanceOrder.id)
                    .limit(bills)
                )
            )
            today = dt.datetime.now(service.CHINA).date()
            began = time.perf_counter()
            for order_id in order_ids:
                service.tax_bill(session, actor=actor, order_id=order_id, as_of=today)
            took = time.perf_counter() - began
        rows.append(_row("CEB816 tax bills written and validated", len(order_ids), took))
        engine.dispose()
    return rows


def _row(what: str, count: int, seconds: float) -> dict[str, Any]:
    return {
        "what": what,
        "count": count,
        "per_s": count / seconds,
        "ms_each": seconds / count * 1e3,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--bills", type=int, default=300)
    args = parser.parse_args()
    info = machine()
    print_machine(info)
    rows = run(args.orders, args.bills)
    print_table(
        f"E-commerce receipts and tax bills ({args.orders:,} orders cleared first; SQLite)",
        ["what", "count", "per s", "ms each"],
        [[row["what"], row["count"], row["per_s"], row["ms_each"]] for row in rows],
    )
    save_results("ecommerce-receipts", {"machine": info, "rows": rows})


if __name__ == "__main__":
    main()
