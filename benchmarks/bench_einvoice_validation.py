"""E-invoice validation figures (docs/benchmarks.md, "E-invoicing"):

1. per invoice, on the kit's whole UBL documents with the Peppol profile:
   (a) bare SaxonC: parse the text and run the EN 16931 and Peppol XSLTs (transform_to_string);
   (b) the platform's ``Validator.validate``: safe parse, XSD, EN 16931 and Peppol rules, findings;
   median and p95 of both, measured interleaved in the same run, and their ratio;
2. throughput with 2 worker processes, each with its own validator, against 1 process;
3. large invoices (~3 MB): many invoice lines, and few lines with a large embedded attachment.

The rule packs are installed from the validation kit into a temporary folder first.
Usage: python benchmarks/bench_einvoice_validation.py [--rounds 15] [--kit PATH_OF_THE_KIT]
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from digitrade.systems.einvoice.rulepacks import install_from_path
from digitrade.systems.einvoice.validation import Validator, saxon_processor
from harness import REPO_ROOT, machine, percentile, print_machine, print_table, save_results

UBL_FOLDERS = (
    "en16931/examples-ubl",
    "en16931/testfiles-ubl",
    "peppol/examples",
    "peppol/snippets",
)
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
LARGE_BYTES = 3 * 1024 * 1024
MS = 1000.0


def kit_documents(kit: Path) -> list[tuple[str, bytes]]:
    return [
        (path.name, path.read_bytes())
        for folder in UBL_FOLDERS
        for path in sorted((kit / folder).iterdir())
        if path.is_file()
    ]


class BareSaxon:
    """What a caller gets from SaxonC alone: the two stylesheets run on the document text."""

    def __init__(self, validator: Validator) -> None:
        processor = saxon_processor()
        compiler = processor.new_xslt30_processor()
        self.processor = processor
        self.executables = [
            compiler.compile_stylesheet(stylesheet_file=str(self._entry(validator, layer)))
            for layer in ("en16931", "peppol")
        ]

    @staticmethod
    def _entry(validator: Validator, layer: str) -> Path:
        pack = validator.pack(layer, "ubl-invoice")  # type: ignore[arg-type]
        return pack.directory / pack.spec.entry("ubl-invoice")

    def run(self, data: bytes) -> list[str]:
        node = self.processor.parse_xml(xml_text=data.decode("utf-8-sig"))
        return [executable.transform_to_string(xdm_node=node) for executable in self.executables]


def timed(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def per_invoice(
    validator: Validator, bare: BareSaxon, documents: Sequence[tuple[str, bytes]], rounds: int
) -> dict[str, float]:
    for _, data in documents:  # warm-up: first runs of each rule are slower
        bare.run(data)
        validator.validate(data, profile="peppol")
    bare_times: list[float] = []
    full_times: list[float] = []
    for _ in range(rounds):
        for _, data in documents:
            bare_times.append(timed(lambda data=data: bare.run(data)))
            full_times.append(timed(lambda data=data: validator.validate(data, profile="peppol")))
    bare_median = statistics.median(bare_times)
    full_median = statistics.median(full_times)
    return {
        "documents": len(documents),
        "rounds": rounds,
        "mean_kb": statistics.mean(len(data) for _, data in documents) / 1024,
        "bare_median_ms": bare_median * MS,
        "bare_p95_ms": percentile(bare_times, 0.95) * MS,
        "full_median_ms": full_median * MS,
        "full_p95_ms": percentile(full_times, 0.95) * MS,
        "ratio_median": full_median / bare_median,
        "ratio_total": sum(full_times) / sum(bare_times),
    }


# --- throughput with worker processes ----------------------------------------------------------

_worker_validator: Validator | None = None


def _start_worker(root: str, documents: list[bytes]) -> None:
    global _worker_validator
    _worker_validator = Validator(Path(root))
    for data in documents:  # compile and warm up before the clock starts
        _worker_validator.validate(data, profile="peppol")


def _validate_in_worker(data: bytes) -> bool:
    assert _worker_validator is not None
    return _worker_validator.validate(data, profile="peppol").valid


def throughput(root: Path, documents: Sequence[tuple[str, bytes]], rounds: int) -> dict[str, float]:
    payloads = [data for _, data in documents]
    jobs = payloads * rounds
    # spawn: every worker starts its own SaxonC processor instead of inheriting one.
    context = multiprocessing.get_context("spawn")
    figures: dict[str, float] = {"invoices": float(len(jobs))}
    for workers in (1, 2):
        with context.Pool(workers, _start_worker, (str(root), payloads)) as pool:
            pool.map(_validate_in_worker, payloads[:workers], chunksize=1)  # all started
            started = time.perf_counter()
            pool.map(_validate_in_worker, jobs, chunksize=8)
            figures[f"workers_{workers}_per_s"] = len(jobs) / (time.perf_counter() - started)
    figures["speedup"] = figures["workers_2_per_s"] / figures["workers_1_per_s"]
    return figures


# --- large invoices -------------------------------------------------------------------------------


def with_many_lines(example: bytes) -> bytes:
    """The example with its invoice lines repeated to about 3 MB (totals no longer add up)."""
    root = etree.fromstring(example)
    lines = root.findall(f"{{{CAC}}}InvoiceLine")
    added = 0
    while len(etree.tostring(root)) < LARGE_BYTES:
        for _ in range(100):
            clone = copy.deepcopy(lines[added % len(lines)])
            clone.find(f"{{{CBC}}}ID").text = f"L{added + 1}"
            root.append(clone)
            added += 1
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def with_large_attachment(example: bytes) -> bytes:
    """The example with one embedded ~3 MB PDF-like attachment (BG-24)."""
    root = etree.fromstring(example)
    payload = base64.b64encode(random.Random(7).randbytes(LARGE_BYTES * 3 // 4)).decode()
    reference = etree.Element(f"{{{CAC}}}AdditionalDocumentReference")
    etree.SubElement(reference, f"{{{CBC}}}ID").text = "attachment-1"
    attachment = etree.SubElement(reference, f"{{{CAC}}}Attachment")
    binary = etree.SubElement(attachment, f"{{{CBC}}}EmbeddedDocumentBinaryObject")
    binary.set("mimeCode", "application/pdf")
    binary.set("filename", "delivery-note.pdf")
    binary.text = payload
    supplier = root.find(f"{{{CAC}}}AccountingSupplierParty")
    supplier.addprevious(reference)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def large(validator: Validator, bare: BareSaxon, kit: Path, repeats: int) -> list[dict[str, Any]]:
    example = (kit / "peppol/examples/base-example.xml").read_bytes()
    results = []
    for label, data in (
        ("many lines", with_many_lines(example)),
        ("large attachment", with_large_attachment(example)),
    ):
        report = validator.validate(data, profile="peppol")
        bare_times = [timed(lambda data=data: bare.run(data)) for _ in range(repeats)]
        full_times = [
            timed(lambda data=data: validator.validate(data, profile="peppol"))
            for _ in range(repeats)
        ]
        results.append(
            {
                "document": label,
                "bytes": len(data),
                "lines": data.count(b"<cac:InvoiceLine>"),
                "fatal_findings": report.summary["fatal"],
                "bare_median_ms": statistics.median(bare_times) * MS,
                "full_median_ms": statistics.median(full_times) * MS,
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--throughput-rounds", type=int, default=8)
    parser.add_argument("--large-repeats", type=int, default=3)
    parser.add_argument("--kit", type=Path, default=REPO_ROOT.parent / "shared/fixtures/einvoice")
    args = parser.parse_args()
    if not args.kit.is_dir():
        raise SystemExit(f"the validation kit is not at {args.kit} (use --kit)")
    print_machine()
    with tempfile.TemporaryDirectory(prefix="digitrade-bench-rulepacks-") as folder:
        root = Path(folder)
        install_from_path(args.kit, root)
        validator = Validator(root)
        started = time.perf_counter()
        validator.warm_up(("ubl-invoice",))
        compile_s = time.perf_counter() - started
        bare = BareSaxon(validator)
        documents = kit_documents(args.kit)
        speed = per_invoice(validator, bare, documents, args.rounds)
        processes = throughput(root, documents, args.throughput_rounds)
        big = large(validator, bare, args.kit, args.large_repeats)
        packs = [
            f"{p['name']} {p['version']}"
            for p in validator.validate(documents[0][1], profile="peppol").rule_packs
        ]

    print_table(
        f"Per invoice, {speed['documents']} kit UBL documents (mean {speed['mean_kb']:.1f} KB) "
        f"x {speed['rounds']} rounds, profile peppol",
        ["run", "median ms", "p95 ms"],
        [
            [
                "(a) bare SaxonC: parse + EN 16931 XSLT + Peppol XSLT",
                speed["bare_median_ms"],
                speed["bare_p95_ms"],
            ],
            [
                "(b) validate: safe parse, XSD, EN 16931, Peppol, findings",
                speed["full_median_ms"],
                speed["full_p95_ms"],
            ],
        ],
        notes=[
            f"ratio (b)/(a): {speed['ratio_median']:.2f} on medians, "
            f"{speed['ratio_total']:.2f} on total time (goal <= 1.5)",
            f"rule packs: {', '.join(packs)}; compiling them took {compile_s:.2f} s",
        ],
    )
    print_table(
        f"Throughput, {processes['invoices']:.0f} validations "
        "(spawned processes, one validator each)",
        ["workers", "invoices/s"],
        [[1, processes["workers_1_per_s"]], [2, processes["workers_2_per_s"]]],
        notes=[f"speed-up with 2 workers: {processes['speedup']:.2f}x"],
    )
    print_table(
        "Large invoices (base-example.xml enlarged; totals do not add up, so rules fire)",
        ["document", "bytes", "lines", "fatal", "bare ms", "validate ms"],
        [
            [
                r["document"],
                r["bytes"],
                r["lines"],
                r["fatal_findings"],
                r["bare_median_ms"],
                r["full_median_ms"],
            ]
            for r in big
        ],
    )
    payload = {
        "per_invoice": speed,
        "throughput": processes,
        "large": big,
        "compile_s": compile_s,
        "rule_packs": packs,
    }
    print(json.dumps({"benchmark": "einvoice-validation", **payload, "machine": machine()}))
    save_results(
        "einvoice-validation", {**payload, "args": {k: str(v) for k, v in vars(args).items()}}
    )


if __name__ == "__main__":
    main()
