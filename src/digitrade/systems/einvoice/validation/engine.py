"""Compiled validation artefacts: XSD schemas (lxml) and Schematron XSLTs (SaxonC-HE).

Compiling is slow (0.3-1 s for the EN 16931 UBL XSLT), running is fast, so each artefact is
compiled once per process and kept, keyed by pack name, version, entry file and the hashes of the
pack's files. Artefacts are compiled from bytes that were checked against the manifest, never
from whatever is on disk at that moment.

Threads: one ``PySaxonProcessor`` serves the whole process. A compiled ``PyXsltExecutable`` is not
thread-safe (SaxonC keeps per-call state on it), so every run works on a clone, which costs about
a microsecond and shares the compiled code. Each thread parses with its own document builder.
An lxml ``XMLSchema`` keeps its error log on the object, so each schema validates one document
at a time under its own lock (0.1 ms per invoice). Processes made by ``fork`` must not inherit a
processor that was already started: create validators in the worker processes.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse

from lxml import etree
from saxonche import PySaxonApiError, PySaxonProcessor, PyXdmNode, PyXsltExecutable

from digitrade.systems.einvoice.rulepacks import (
    InstalledPack,
    Layer,
    RulePackCorrupt,
    Syntax,
    read_verified,
)
from digitrade.systems.einvoice.validation.model import Finding
from digitrade.systems.einvoice.validation.svrl import findings_from_svrl
from digitrade.systems.einvoice.xmlsafe import UnreadableXml

_processor: PySaxonProcessor | None = None
_processor_lock = threading.Lock()
_thread = threading.local()
_compile_lock = threading.RLock()
_compiled: dict[tuple[str, ...], Any] = {}

T = TypeVar("T")


def saxon_processor() -> PySaxonProcessor:
    """The process's one SaxonC processor, started on first use."""
    global _processor
    if _processor is None:
        with _processor_lock:
            if _processor is None:
                _processor = PySaxonProcessor(license=False)
    return _processor


def saxon_document(xml_text: str) -> PyXdmNode:
    """``xml_text`` parsed by Saxon. Only call this on text that passed the safe XML parse."""
    builder = getattr(_thread, "builder", None)
    if builder is None:
        builder = saxon_processor().new_document_builder()
        _thread.builder = builder
    try:
        return builder.parse_xml(xml_text=xml_text, encoding="UTF-8")
    except PySaxonApiError as exc:
        raise UnreadableXml(f"the rules engine cannot read the document: {_one_line(exc)}") from exc


def xml_text_for_saxon(data: bytes, tree: etree._ElementTree) -> str:
    """The document as text for Saxon, which reads text and ignores the declared encoding."""
    encoding = (tree.docinfo.encoding or "UTF-8").upper().replace("_", "-")
    if encoding in {"UTF-8", "UTF8", "US-ASCII", "ASCII"}:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    # Other encodings: let lxml, which decoded the bytes in the first place, give the text.
    return str(etree.tostring(tree, encoding="unicode"))


class SchematronStylesheet:
    """A compiled Schematron XSLT that turns a document into findings."""

    def __init__(self, executable: PyXsltExecutable, layer: Layer, label: str) -> None:
        self._executable = executable
        self.layer = layer
        self.label = label

    def run(self, document: PyXdmNode) -> list[Finding]:
        try:
            svrl = self._executable.clone().transform_to_string(xdm_node=document)
        except PySaxonApiError as exc:
            # The rules could not be evaluated on this document: never report that as a pass.
            return [self._aborted(str(exc))]
        if svrl is None:
            return [self._aborted("the stylesheet produced no output")]
        return findings_from_svrl(svrl, self.layer)

    def run_text(self, xml_text: str) -> list[Finding]:
        return self.run(saxon_document(xml_text))

    def _aborted(self, reason: str) -> Finding:
        return Finding(
            rule="SCHEMATRON",
            severity="fatal",
            location="/",
            message=f"the {self.label} rules stopped with an error: {' '.join(reason.split())}",
            test="",
            layer=self.layer,
        )


class XsdSchema:
    """A compiled XML Schema that turns a document into findings."""

    def __init__(self, schema: etree.XMLSchema) -> None:
        self._schema = schema
        self._lock = threading.Lock()

    def check(self, tree: etree._ElementTree) -> list[Finding]:
        with self._lock:
            if self._schema.validate(tree):
                return []
            errors = list(self._schema.error_log)
        return [_xsd_finding(error) for error in errors]


def _xsd_finding(error: Any) -> Finding:
    line = error.line or None
    prefix = f"line {line}: " if line else ""
    return Finding(
        rule="XSD",
        severity="fatal",
        location=error.path or "",
        message=prefix + error.message,
        test="",
        layer="xsd",
        line=line,
    )


def fingerprint(pack: InstalledPack) -> str:
    """A digest of the pack's file list and hashes: equal content, equal compiled artefacts."""
    listing = "\n".join(f"{path} {digest}" for path, digest in sorted(pack.spec.files.items()))
    return hashlib.sha256(listing.encode()).hexdigest()


def _cached(key: tuple[str, ...], build: Callable[[], T]) -> T:
    found = _compiled.get(key)
    if found is None:
        with _compile_lock:
            found = _compiled.get(key)
            if found is None:
                found = build()
                _compiled[key] = found
    return found


def compiled_schematron(pack: InstalledPack, syntax: Syntax) -> SchematronStylesheet:
    entry = pack.spec.entry(syntax)
    key = ("xslt", pack.name, pack.version, entry, fingerprint(pack))
    return _cached(key, lambda: _compile_schematron(pack, entry))


def compiled_xsd(pack: InstalledPack, syntax: Syntax) -> XsdSchema:
    entry = pack.spec.entry(syntax)
    key = ("xsd", pack.name, pack.version, entry, fingerprint(pack))
    return _cached(key, lambda: _compile_xsd(pack, entry))


def _compile_schematron(pack: InstalledPack, entry: str) -> SchematronStylesheet:
    content = read_verified(pack)
    compiler = saxon_processor().new_xslt30_processor()
    # Relative xsl:include/xsl:import hrefs resolve against the pack folder.
    compiler.set_cwd(str(pack.directory) + "/")
    try:
        executable = compiler.compile_stylesheet(
            stylesheet_text=_decoded(content[entry]), encoding="UTF-8"
        )
    except (PySaxonApiError, UnicodeDecodeError) as exc:
        raise RulePackCorrupt(
            f"rule pack {pack.name} {pack.version}: {entry} does not compile ({_one_line(exc)})"
        ) from exc
    if executable is None:
        raise RulePackCorrupt(f"rule pack {pack.name} {pack.version}: {entry} does not compile")
    return SchematronStylesheet(executable, pack.layer, f"{pack.name} {pack.version}")


def _compile_xsd(pack: InstalledPack, entry: str) -> XsdSchema:
    content = read_verified(pack)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    parser.resolvers.add(_PackResolver(pack.directory, content))
    try:
        document = etree.fromstring(
            content[entry], parser, base_url=str(pack.directory / entry)
        ).getroottree()
        return XsdSchema(etree.XMLSchema(document))
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError, _OutsidePack) as exc:
        raise RulePackCorrupt(
            f"rule pack {pack.name} {pack.version}: {entry} does not load ({_one_line(exc)})"
        ) from exc


class _OutsidePack(Exception):
    pass


class _PackResolver(etree.Resolver):  # type: ignore[misc]
    """Serves schema imports from the verified bytes of the pack; refuses anything else."""

    def __init__(self, directory: Path, content: Mapping[str, bytes]) -> None:
        super().__init__()
        self._directory = directory.resolve()
        self._content = content

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        parsed = urlparse(system_url)
        if parsed.scheme not in {"", "file"}:
            raise _OutsidePack(f"the schema refers to {system_url}, outside the pack")
        path = Path(unquote(parsed.path)).resolve()
        relative = (
            path.relative_to(self._directory).as_posix()
            if path.is_relative_to(self._directory)
            else None
        )
        if relative is None or relative not in self._content:
            raise _OutsidePack(f"the schema refers to {system_url}, which is not in the pack")
        return self.resolve_string(self._content[relative], context, base_url=system_url)


def _decoded(data: bytes) -> str:
    # Saxon reads stylesheet text as given; the official XSLTs are UTF-8 (a BOM is dropped).
    return data.decode("utf-8-sig")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def forget_compiled() -> None:
    """Drop every compiled artefact (tests and pack administration)."""
    with _compile_lock:
        _compiled.clear()
