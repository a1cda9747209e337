"""Read a fapiao without knowing whether it is the platform's XML or our JSON."""

from __future__ import annotations

from digitrade.systems.einvoice.fapiao.consistency import Finding
from digitrade.systems.einvoice.fapiao.json_format import read_json
from digitrade.systems.einvoice.fapiao.model import FullyDigitalInvoice
from digitrade.systems.einvoice.fapiao.xml_format import read_xml

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def read_fapiao(data: bytes) -> tuple[FullyDigitalInvoice, list[Finding]]:
    """The fapiao in ``data`` (XML or JSON, told apart by the first character) and its findings."""
    head = data.lstrip()
    for bom in _BOMS:
        head = head.removeprefix(bom)
    if head.lstrip().startswith(b"{"):
        return read_json(data)
    return read_xml(data)


def read_any(data: bytes) -> FullyDigitalInvoice:
    """The fapiao in ``data``, XML or JSON; ``read_fapiao`` also gives the consistency findings."""
    return read_fapiao(data)[0]
