"""Hostile XML is refused before it can expand, fetch or exhaust anything."""

from __future__ import annotations

import base64

import pytest

from digitrade.systems.ecommerce.ceb import read_message, validate_message
from digitrade.systems.ecommerce.ceb.envelope import unwrap
from digitrade.systems.ecommerce.ceb.xmlsafe import MessageTooLarge, UnreadableMessage, parse_xml

CEB = 'xmlns:ceb="http://www.chinaport.gov.cn/ceb"'

HOSTILE = {
    "billion laughs": (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        f"<ceb:CEB311Message {CEB}>&lol3;</ceb:CEB311Message>"
    ),
    "external entity": (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f"<ceb:CEB311Message {CEB}><ceb:Order>&xxe;</ceb:Order></ceb:CEB311Message>"
    ),
    "remote DTD": (
        '<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">'
        f"<ceb:CEB311Message {CEB}/>"
    ),
    "parameter entity": (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p">%p;]>'
        f"<ceb:CEB311Message {CEB}/>"
    ),
    "doctype after a comment": (
        '<?xml version="1.0"?><!-- hello --><!DOCTYPE r [<!ENTITY a "b">]>'
        f"<ceb:CEB311Message {CEB}>&a;</ceb:CEB311Message>"
    ),
    "processing instruction": (
        f'<ceb:CEB311Message {CEB}><?php system("id"); ?></ceb:CEB311Message>'
    ),
    "processing instruction before the root": (
        f'<?xml version="1.0"?><?xml-stylesheet href="x.xsl"?><ceb:CEB311Message {CEB}/>'
    ),
    "processing instruction after the root": (f'<ceb:CEB311Message {CEB}/><?php system("id"); ?>'),
    "not well-formed": f"<ceb:CEB311Message {CEB}><ceb:Order></ceb:CEB311Message>",
    "empty": "   ",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_messages_are_refused(name):
    data = HOSTILE[name].encode()
    with pytest.raises(UnreadableMessage):
        read_message(data)
    report = validate_message(data)
    assert report.valid is False
    assert report.message_type is None


def test_doctype_in_utf16_is_refused():
    data = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'
    ).encode("utf-16")
    with pytest.raises(UnreadableMessage, match="DOCTYPE"):
        parse_xml(data)


def test_refusal_names_the_doctype():
    with pytest.raises(UnreadableMessage, match="DOCTYPE"):
        parse_xml(HOSTILE["billion laughs"].encode())


def test_size_limit():
    data = f"<ceb:CEB311Message {CEB}>{'x' * 2048}</ceb:CEB311Message>".encode()
    with pytest.raises(MessageTooLarge):
        parse_xml(data, max_bytes=1024)


def test_deep_nesting_is_refused():
    depth = 5000
    data = ("<a>" * depth + "</a>" * depth).encode()
    with pytest.raises(UnreadableMessage):
        parse_xml(data)


def test_syntax_error_says_where():
    with pytest.raises(UnreadableMessage, match=r"line 1"):
        parse_xml(HOSTILE["not well-formed"].encode())


def test_hostile_payload_inside_an_envelope_is_refused():
    payload = base64.b64encode(HOSTILE["billion laughs"].encode()).decode()
    envelope = (
        '<dxp:DxpMsg xmlns:dxp="http://www.chinaport.gov.cn/dxp" ver="1.0"><dxp:TransInfo>'
        "<dxp:CopMsgId>1</dxp:CopMsgId><dxp:SenderId>DXPENT0000000000</dxp:SenderId>"
        "<dxp:ReceiverIds><dxp:ReceiverId>DXPEDCCEB0000002</dxp:ReceiverId></dxp:ReceiverIds>"
        "<dxp:CreatTime>2025-01-01T10:00:00</dxp:CreatTime><dxp:MsgType>CEB311Message</dxp:MsgType>"
        f"</dxp:TransInfo><dxp:Data>{payload}</dxp:Data></dxp:DxpMsg>"
    ).encode()
    with pytest.raises(UnreadableMessage, match="DOCTYPE"):
        unwrap(envelope)
