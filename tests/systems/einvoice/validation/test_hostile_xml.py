"""Hostile and broken input is refused with a clear one-line error, before any rule runs.

The network cases point at a local HTTP server that records every request: a single hit would
mean the parser (or Saxon behind it) tried to fetch something.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from digitrade.systems.einvoice.validation import UnsupportedDocument, detect_syntax
from digitrade.systems.einvoice.xmlsafe import (
    UnreadableXml,
    XmlTooLarge,
    declares_doctype,
    parse_xml,
)

UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"


class RecordingServer:
    def __init__(self) -> None:
        self.hits: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorder.hits.append(self.path)
                body = b'<!ENTITY x "fetched">'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> RecordingServer:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as running:
        yield running


@pytest.fixture
def no_python_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection made from Python code (Saxon's or ours) fails the test loudly."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    return f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><lolz>&lol9;</lolz>'.encode()


def refused(data: bytes) -> UnreadableXml:
    with pytest.raises(UnreadableXml) as caught:
        parse_xml(data)
    error = caught.value
    assert "\n" not in error.detail
    assert error.code == "einvoice.unreadable-xml"
    assert error.to_problem()["status"] == 400
    return error


def test_billion_laughs_is_refused_without_expanding_anything():
    error = refused(billion_laughs())
    assert "DOCTYPE" in error.detail
    assert "lol" not in error.detail


def test_external_file_entity_is_refused_and_not_read():
    data = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    error = refused(data)
    assert "DOCTYPE" in error.detail
    assert "root:" not in error.detail


def test_remote_dtd_is_refused_without_a_request(server, no_python_sockets):
    data = f'<?xml version="1.0"?><!DOCTYPE Invoice SYSTEM "{server.url}/evil.dtd"><r/>'.encode()
    assert "DOCTYPE" in refused(data).detail
    assert server.hits == []


def test_external_entity_over_http_is_refused_without_a_request(server, no_python_sockets):
    data = f'<!DOCTYPE r [<!ENTITY x SYSTEM "{server.url}/x">]><r>&x;</r>'.encode()
    refused(data)
    assert server.hits == []


def test_parameter_entities_are_refused_without_a_request(server, no_python_sockets):
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "{server.url}/p.dtd"> %p;'
        "<!ENTITY % q \"<!ENTITY y 'z'>\"> %q;]><r>&y;</r>"
    ).encode()
    refused(data)
    assert server.hits == []


@pytest.mark.parametrize("hidden", ["utf-16-without-bom", "long-prolog"])
def test_a_doctype_the_prolog_check_misses_is_refused_after_parsing(server, hidden):
    # The byte-level pre-check reads ASCII-based prologs of up to 64 KB. Beyond that, the
    # parser (which never loads DTDs or expands entities) finds the DOCTYPE and it is refused.
    doctype = f'<!DOCTYPE r SYSTEM "{server.url}/evil.dtd"><r/>'
    if hidden == "utf-16-without-bom":
        data = f'<?xml version="1.0" encoding="UTF-16"?>{doctype}'.encode("utf-16-le")
    else:
        data = b"<!--" + b"x" * 70_000 + b"-->" + doctype.encode()
    assert not declares_doctype(data)
    assert "declares a DOCTYPE" in refused(data).detail
    assert server.hits == []


@pytest.mark.fixtures
def test_hostile_documents_never_reach_the_rules(validator, server, no_python_sockets):
    for data in (
        billion_laughs(),
        f'<!DOCTYPE Invoice SYSTEM "{server.url}/x.dtd"><Invoice xmlns="{UBL_INVOICE}"/>'.encode(),
    ):
        with pytest.raises(UnreadableXml):
            validator.validate(data)
    assert server.hits == []


@pytest.mark.fixtures
def test_xinclude_is_not_processed(validator, server):
    data = (
        f'<Invoice xmlns="{UBL_INVOICE}" xmlns:xi="http://www.w3.org/2001/XInclude">'
        f'<xi:include href="{server.url}/x.xml"/></Invoice>'
    ).encode()
    report = validator.validate(data)
    assert not report.valid  # the XSD refuses the foreign element; nothing was fetched
    assert server.hits == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not well-formed"),
        (b"PK\x03\x04\x14\x00\x00\x00", "not well-formed"),
        (b"<Invoice><cbc:ID>1</Invoice>", "not well-formed"),
        (b'<?xml version="1.0" encoding="UTF-8"?><a>\xff\xfe</a>', "not well-formed"),
    ],
    ids=["empty", "whitespace", "pdf", "zip", "mismatched-tags", "bad-utf8"],
)
def test_unreadable_input_is_refused_with_a_clear_message(data, expected):
    assert expected in refused(data).detail


def test_syntax_errors_say_where():
    assert "line 1, column" in refused(b"<a><b></a>").detail


def test_oversized_input_is_refused_before_parsing():
    with pytest.raises(XmlTooLarge) as caught:
        parse_xml(b"<a>" + b"x" * 2000 + b"</a>", max_bytes=1000)
    assert caught.value.to_problem()["status"] == 413
    assert caught.value.code == "einvoice.xml-too-large"
    assert "1,000 bytes" in caught.value.detail


@pytest.mark.fixtures
def test_the_validator_applies_its_size_limit(rulepack_root):
    from digitrade.systems.einvoice.validation import Validator

    with pytest.raises(XmlTooLarge):
        Validator(rulepack_root, max_bytes=100).validate(b"<a>" + b" " * 200 + b"</a>")


@pytest.mark.fixtures
@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b"<html><body/></html>", "html in no namespace"),
        (b'<Invoice xmlns="urn:example:not-ubl"/>', "Invoice in namespace urn:example:not-ubl"),
        (
            b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>',
            "Order in namespace",
        ),
    ],
    ids=["html", "foreign-invoice", "ubl-order"],
)
def test_wrong_root_is_refused_naming_the_root(validator, data, named):
    with pytest.raises(UnsupportedDocument) as caught:
        validator.validate(data)
    assert named in caught.value.detail
    assert caught.value.code == "einvoice.unsupported-document"
    assert caught.value.to_problem()["status"] == 422


def test_well_formed_input_parses_with_comments_and_processing_instructions():
    data = (
        b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n<!-- <!DOCTYPE not-really> -->\n'
        b'<?xml-stylesheet href="x.xsl"?>'
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
    )
    assert detect_syntax(parse_xml(data)) == "ubl-invoice"


def test_declared_encodings_other_than_utf8_are_read():
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><a>Müller</a>'.encode("latin-1")
    assert parse_xml(data).getroot().text == "Müller"


def test_text_instead_of_bytes_is_a_programming_error():
    with pytest.raises(TypeError, match="bytes"):
        parse_xml("<a/>")  # type: ignore[arg-type]
