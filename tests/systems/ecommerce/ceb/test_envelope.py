"""The DXP transport envelope."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from digitrade.core.errors import ValidationFailed
from digitrade.systems.ecommerce.ceb.envelope import TransInfo, unwrap, wrap
from digitrade.systems.ecommerce.ceb.xmlsafe import UnreadableMessage
from tests.systems.ecommerce.support import fixtures, synthetic_bytes

INFO = TransInfo(
    cop_msg_id="7A1C2B3D-0000-4000-8000-000000000311",
    sender_id="DXPENT0000000000",
    receiver_ids=("DXPEDCCEB0000002",),
    created=datetime(2025, 1, 1, 10, 0, 1),
    msg_type="CEB311Message",
)


@fixtures
def test_wrap_and_unwrap():
    message = synthetic_bytes("CEB311")
    envelope = wrap(message, INFO, file_name="CEB311.xml")
    assert b"<dxp:CreatTime>2025-01-01T10:00:01</dxp:CreatTime>" in envelope
    info, payload = unwrap(envelope)
    assert payload == message
    assert info == INFO


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sender_id": "DXP-ENT"}, "SenderId"),
        ({"receiver_ids": ()}, "ReceiverIds"),
        ({"receiver_ids": tuple(f"R{n}" for n in range(6))}, "ReceiverIds"),
        ({"cop_msg_id": ""}, "CopMsgId"),
        ({"msg_type": ""}, "MsgType"),
    ],
)
def test_bad_transport_information(change, field):
    with pytest.raises(ValidationFailed) as caught:
        wrap(b"<x/>", replace(INFO, **change))
    assert caught.value.fields[0].field == field


def test_bad_envelopes():
    good = wrap(b"<x/>", INFO)
    with pytest.raises(UnreadableMessage, match="base64"):
        unwrap(good.replace(b"PHgvPg==", b"!!!!"))
    with pytest.raises(UnreadableMessage, match="DxpMsg"):
        unwrap(b"<other/>")
    with pytest.raises(UnreadableMessage, match="TransInfo"):
        unwrap(b'<dxp:DxpMsg xmlns:dxp="http://www.chinaport.gov.cn/dxp"/>')
    with pytest.raises(ValidationFailed, match="CreatTime"):
        unwrap(good.replace(b"2025-01-01T10:00:01", b"yesterday"))
