"""OpenAttestation figures (docs/benchmarks.md, "Verifiable documents"), on one core:

1. integrity verification (``check_integrity``: targetHash recomputation + Merkle proof) in
   documents/s over every integrity-valid v2/v3 fixture document of
   ``../shared/fixtures/openattestation`` (expected.json);
2. in the same run, the reference JavaScript library ``@govtechsg/open-attestation`` 6.9.7
   (npm) verifying the same documents with ``verifySignature()``, and the ratio ours / JS;
3. for information: our integrity rate including the v4 documents (the npm release has no v4),
   and ``verify_document`` (integrity + DID signature recovery + all fragments).

Each document is verified from scratch every time; nothing is carried from one to the next.
The npm package is installed on first use into the cache folder (``var/bench-cache/`` unless
``DIGITRADE_BENCH_CACHE`` names another; var/ is git-ignored) with
``npm install --no-save --prefix``; the JS runner is written there at run time. Needs node + npm.
Usage: python benchmarks/bench_documents_openattestation.py [--rounds 7] [--passes 40]
    [--format table|json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from digitrade.systems.documents.openattestation import (
    FragmentStatus,
    check_integrity,
    verify_document,
)
from harness import REPO_ROOT, machine, print_machine, print_table, save_results

KIT = REPO_ROOT.parent / "shared" / "fixtures" / "openattestation"
JS_PACKAGE = "@govtechsg/open-attestation@6.9.7"
CACHE = Path(os.environ.get("DIGITRADE_BENCH_CACHE", REPO_ROOT / "var" / "bench-cache"))
JS_DIR = CACHE / "open-attestation-6.9.7"

# Same protocol as the Python side: warm-up pass, then `rounds` timed loops of `passes` passes
# over all documents; the median rate is reported. Documents are parsed once, before timing.
JS_RUNNER = r"""
const fs = require("fs");
const { verifySignature } = require("@govtechsg/open-attestation");
const [, , docsPath, roundsText, passesText] = process.argv;
const docs = JSON.parse(fs.readFileSync(docsPath, "utf8"));
const rounds = Number(roundsText), passes = Number(passesText);
const failed = docs.filter((d) => verifySignature(d) !== true).length;
for (let i = 0; i < passes / 10 + 1; i++) for (const d of docs) verifySignature(d);
const rates = [];
for (let r = 0; r < rounds; r++) {
  const started = process.hrtime.bigint();
  for (let p = 0; p < passes; p++) for (const d of docs) verifySignature(d);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rates.push((passes * docs.length) / seconds);
}
rates.sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)];
console.log(JSON.stringify({ rate: median, failed, node: process.version }));
"""


def pin_to_one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
    except (AttributeError, OSError):
        return "not pinned"
    return f"pinned to CPU {cpu}"


def documents() -> tuple[list[Any], list[Any]]:
    """(integrity-valid v2/v3 documents, integrity-valid v2/v3/v4 documents)."""
    expected = json.loads((KIT / "expected.json").read_text(encoding="utf-8"))
    legacy: list[Any] = []
    every: list[Any] = []
    for entry in expected["entries"]:
        if not entry.get("integrity_valid"):
            continue
        document = json.loads((KIT / entry["file"]).read_text(encoding="utf-8"))
        if "array_index" in entry:
            document = document[entry["array_index"]]
        every.append(document)
        if entry["oa_version"] in {"v2", "v3"}:
            legacy.append(document)
    return legacy, every


def rate(verify: Callable[[Any], object], docs: list[Any], rounds: int, passes: int) -> float:
    """Median documents per second over ``rounds`` timed loops of ``passes`` passes each."""
    for _ in range(passes // 10 + 1):  # warm-up
        for document in docs:
            verify(document)
    rates = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(passes):
            for document in docs:
                verify(document)
        rates.append(passes * len(docs) / (time.perf_counter() - started))
    return statistics.median(rates)


def ensure_js_library() -> Path:
    if not (JS_DIR / "node_modules" / "@govtechsg" / "open-attestation").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm is needed to install the reference library for comparison")
        JS_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(JS_DIR),
             JS_PACKAGE],
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    runner = JS_DIR / "bench-runner.js"
    runner.write_text(JS_RUNNER, encoding="utf-8")
    return runner


def js_rate(docs: list[Any], rounds: int, passes: int) -> dict[str, Any]:
    runner = ensure_js_library()
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is needed to run the reference library")
    docs_path = JS_DIR / "bench-documents.json"
    docs_path.write_text(json.dumps(docs), encoding="utf-8")
    completed = subprocess.run(
        [node, str(runner), str(docs_path), str(rounds), str(passes)],
        cwd=JS_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def measure(rounds: int, passes: int) -> dict[str, Any]:
    legacy, every = documents()
    failed = [d for d in every if check_integrity(d).status is not FragmentStatus.VALID]
    if failed:
        raise SystemExit(f"{len(failed)} fixture document(s) unexpectedly fail integrity")
    ours = rate(check_integrity, legacy, rounds, passes)
    ours_all = rate(check_integrity, every, rounds, passes)
    full = rate(verify_document, every, rounds, passes)
    js = js_rate(legacy, rounds, passes)
    if js["failed"]:
        raise SystemExit(f"the reference library rejected {js['failed']} of the documents")
    return {
        "documents_compared": len(legacy),
        "documents_all": len(every),
        "ours_integrity_per_s": ours,
        "js_integrity_per_s": js["rate"],
        "ratio_ours_to_js": ours / js["rate"],
        "ours_integrity_all_versions_per_s": ours_all,
        "ours_verify_document_per_s": full,
        "js_library": JS_PACKAGE,
        "node": js["node"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--passes", type=int, default=40)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args()
    pinned = pin_to_one_core()
    info = machine()
    figures = measure(args.rounds, args.passes)
    figures["cpu"] = pinned
    if args.format == "json":
        print(json.dumps({"benchmark": "documents-openattestation", **figures, "machine": info}))
        return
    print_machine(info)
    n, n_all = figures["documents_compared"], figures["documents_all"]
    print_table(
        f"OpenAttestation integrity verification, fixture documents, one core ({pinned})",
        ["run", "docs per s", "us each"],
        [
            [f"ours: check_integrity, {n} v2/v3 docs", figures["ours_integrity_per_s"],
             1e6 / figures["ours_integrity_per_s"]],
            [f"JS {JS_PACKAGE} verifySignature(), same {n} docs (node {figures['node']})",
             figures["js_integrity_per_s"], 1e6 / figures["js_integrity_per_s"]],
            [f"ours: check_integrity, all {n_all} docs incl. v4",
             figures["ours_integrity_all_versions_per_s"],
             1e6 / figures["ours_integrity_all_versions_per_s"]],
            [f"ours: verify_document (+ DID signatures), all {n_all} docs",
             figures["ours_verify_document_per_s"], 1e6 / figures["ours_verify_document_per_s"]],
        ],
        notes=[
            f"ratio ours / JS (integrity, same documents): {figures['ratio_ours_to_js']:.2f} "
            "(above 1: faster than the reference library)",
        ],
    )  # fmt: skip
    save_results(
        "documents-openattestation",
        {**figures, "machine": info, "args": {k: str(v) for k, v in vars(args).items()}},
    )


if __name__ == "__main__":
    main()
