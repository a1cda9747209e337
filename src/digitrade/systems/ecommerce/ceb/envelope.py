"""The DXP transport envelope (``dxp:DxpMsg``) that carries a CEB message to China E-Port.

Layout (namespace ``http://www.chinaport.gov.cn/dxp``)::

    <dxp:DxpMsg ver="1.0">
      <dxp:TransInfo>
        <dxp:CopMsgId/> <dxp:SenderId/> <dxp:ReceiverIds><dxp:ReceiverId/>...</dxp:ReceiverIds>
        <dxp:CreatTime/> <dxp:MsgType/>
      </dxp:TransInfo>
      <dxp:Data>base64 of the CEB message</dxp:Data>
      <dxp:AddInfo><dxp:FileName/></dxp:AddInfo>
    </dxp:DxpMsg>

``CopMsgId`` at most 255 characters, ``SenderId`` at most 16 letters and digits, one to five
receivers, ``CreatTime`` as yyyy-mm-ddThh:mm:ss, ``MsgType`` such as ``CEB311Message``. The
decoded payload is parsed with the same safe parser and size limit as any message.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from digitrade.core.errors import validation_error
from digitrade.systems.ecommerce.ceb.codes import DXP_NAMESPACE
from digitrade.systems.ecommerce.ceb.writer import XML_DECLARATION
from digitrade.systems.ecommerce.ceb.xmlsafe import DEFAULT_MAX_BYTES, UnreadableMessage, parse_xml

_SENDER = re.compile(r"[0-9A-Za-z]{1,16}")
_MAX_RECEIVERS = 5
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True, slots=True)
class TransInfo:
    cop_msg_id: str
    sender_id: str
    receiver_ids: tuple[str, ...]
    created: datetime
    msg_type: str


def _tag(name: str) -> str:
    return f"{{{DXP_NAMESPACE}}}{name}"


def _check(info: TransInfo) -> None:
    if not info.cop_msg_id or len(info.cop_msg_id) > 255:
        raise validation_error("CopMsgId", "must be 1 to 255 characters")
    if not _SENDER.fullmatch(info.sender_id):
        raise validation_error("SenderId", "must be 1 to 16 letters and digits")
    if not 1 <= len(info.receiver_ids) <= _MAX_RECEIVERS:
        raise validation_error("ReceiverIds", f"must name 1 to {_MAX_RECEIVERS} receivers")
    for receiver in info.receiver_ids:
        if not receiver or len(receiver) > 18:
            raise validation_error("ReceiverId", "must be 1 to 18 characters")
    if not info.msg_type or len(info.msg_type) > 30:
        raise validation_error("MsgType", "must be 1 to 30 characters")


def wrap(message: bytes, info: TransInfo, *, file_name: str | None = None) -> bytes:
    _check(info)
    root = etree.Element(_tag("DxpMsg"), nsmap={"dxp": DXP_NAMESPACE})
    root.set("ver", "1.0")
    trans = etree.SubElement(root, _tag("TransInfo"))
    etree.SubElement(trans, _tag("CopMsgId")).text = info.cop_msg_id
    etree.SubElement(trans, _tag("SenderId")).text = info.sender_id
    receivers = etree.SubElement(trans, _tag("ReceiverIds"))
    for receiver in info.receiver_ids:
        etree.SubElement(receivers, _tag("ReceiverId")).text = receiver
    etree.SubElement(trans, _tag("CreatTime")).text = info.created.strftime(_TIME_FORMAT)
    etree.SubElement(trans, _tag("MsgType")).text = info.msg_type
    etree.SubElement(root, _tag("Data")).text = base64.b64encode(message).decode("ascii")
    if file_name:
        add_info = etree.SubElement(root, _tag("AddInfo"))
        etree.SubElement(add_info, _tag("FileName")).text = file_name
    body: bytes = etree.tostring(root, encoding="UTF-8")
    return XML_DECLARATION + body


def unwrap(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[TransInfo, bytes]:
    """The transport information and the CEB message bytes inside an envelope."""
    # Base64 grows data by a third: allow for it in the envelope, check the payload after.
    root = parse_xml(data, max_bytes=max_bytes * 4 // 3 + 4096)
    if root.tag != _tag("DxpMsg"):
        raise UnreadableMessage("the envelope's root must be dxp:DxpMsg")
    trans = root.find(_tag("TransInfo"))
    payload = root.findtext(_tag("Data"))
    if trans is None or payload is None:
        raise UnreadableMessage("the envelope needs dxp:TransInfo and dxp:Data")
    info = TransInfo(
        cop_msg_id=_required_text(trans, "CopMsgId"),
        sender_id=_required_text(trans, "SenderId"),
        receiver_ids=tuple(
            (node.text or "").strip()
            for node in trans.iterfind(f"{_tag('ReceiverIds')}/{_tag('ReceiverId')}")
        ),
        created=_created(_required_text(trans, "CreatTime")),
        msg_type=_required_text(trans, "MsgType"),
    )
    _check(info)
    try:
        message = base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        raise UnreadableMessage("dxp:Data is not valid base64") from None
    parse_xml(message, max_bytes=max_bytes)  # the payload obeys the same rules as any message
    return info, message


def _required_text(parent: etree._Element, name: str) -> str:
    text = (parent.findtext(_tag(name)) or "").strip()
    if not text:
        raise validation_error(name, "is required")
    return text


def _created(text: str) -> datetime:
    try:
        return datetime.strptime(text, _TIME_FORMAT)
    except ValueError:
        raise validation_error("CreatTime", "must be written yyyy-mm-ddThh:mm:ss") from None
