"""Write CEB messages: fields in the standard's order, UTF-8, the ``ceb`` prefix, validated.

``build_message`` takes plain data (the shape ``CebMessage.as_dict()`` produces) and refuses to
return a message that would not pass ``validation``: every problem is reported per field.
Values may be strings, ``Decimal``, ``int``, ``date`` or ``datetime``; they are written in the
form the field's kind asks for (YYYYMMDDhhmmss, YYYYMMDD, plain decimals).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from digitrade.core.errors import FieldIssue, ValidationFailed, validation_error
from digitrade.systems.ecommerce.ceb.codes import CEB_NAMESPACE
from digitrade.systems.ecommerce.ceb.model import CebMessage
from digitrade.systems.ecommerce.ceb.parser import read_message
from digitrade.systems.ecommerce.ceb.spec import BASE_TRANSFER, SPECS, FieldSpec, Kind, MessageSpec
from digitrade.systems.ecommerce.ceb.validation import validate

XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
_NSMAP = {"ceb": CEB_NAMESPACE, "xsi": XSI_NAMESPACE}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def new_guid() -> str:
    """A 36-character upper-case UUID, the form the standard asks for."""
    return str(uuid.uuid4()).upper()


def build_message(
    message_type: str,
    documents: Sequence[Mapping[str, Any]],
    *,
    base_transfer: Mapping[str, Any] | None = None,
    guid: str | None = None,
    version: str = "1.0",
) -> bytes:
    """The XML of a message of ``message_type`` holding ``documents`` (``{"head", "lines"}``)."""
    spec = SPECS.get(message_type)
    if spec is None:
        raise validation_error("message_type", f"must be one of {', '.join(sorted(SPECS))}")
    if not documents:
        raise validation_error("documents", "at least one document is required")
    heads = [_fill_guid(spec, document.get("head") or {}) for document in documents]
    root_guid = guid or str(heads[0].get("guid") or new_guid())
    root = etree.Element(f"{{{CEB_NAMESPACE}}}{spec.root}", nsmap=_NSMAP)
    root.set("guid", root_guid)
    root.set("version", version)
    for index, (document, head) in enumerate(zip(documents, heads, strict=True), start=1):
        root.append(_document(spec, head, document.get("lines") or [], f"{spec.body}[{index}]"))
    if base_transfer is not None:
        root.append(_record("BaseTransfer", BASE_TRANSFER, base_transfer, "BaseTransfer"))
    body: bytes = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    data = XML_DECLARATION + body
    _refuse_invalid(read_message(data))
    return data


def message_xml(message: CebMessage) -> bytes:
    """Write a parsed message back out."""
    return build_message(
        message.message_type,
        [document.as_dict() for document in message.documents],
        base_transfer=message.base_transfer.as_dict() if message.base_transfer else None,
        guid=message.guid,
        version=message.version,
    )


def _fill_guid(spec: MessageSpec, head: Mapping[str, Any]) -> dict[str, Any]:
    filled = dict(head)
    if any(field.name == "guid" for field in spec.head_fields) and not filled.get("guid"):
        filled["guid"] = new_guid()
    return filled


def _document(
    spec: MessageSpec, head: Mapping[str, Any], lines: Sequence[Mapping[str, Any]], path: str
) -> etree._Element:
    if spec.head is None:
        if lines:
            raise validation_error(f"{path}.lines", f"{spec.code} has no list lines")
        return _record(spec.body, spec.head_fields, head, path)
    body = etree.Element(f"{{{CEB_NAMESPACE}}}{spec.body}")
    body.append(_record(spec.head, spec.head_fields, head, f"{path}.{spec.head}"))
    if lines and spec.list_name is None:
        raise validation_error(f"{path}.lines", f"{spec.code} has no list lines")
    for index, line in enumerate(lines, start=1):
        assert spec.list_name is not None
        body.append(
            _record(spec.list_name, spec.list_fields, line, f"{path}.{spec.list_name}[{index}]")
        )
    return body


def _record(
    name: str, fields: Sequence[FieldSpec], values: Mapping[str, Any], path: str
) -> etree._Element:
    known = {field.name for field in fields}
    unknown = sorted(str(key) for key in values if key not in known)
    if unknown:
        raise validation_error(f"{path}.{unknown[0]}", f"is not a field of {name}")
    element = etree.Element(f"{{{CEB_NAMESPACE}}}{name}")
    for field in fields:
        value = values.get(field.name)
        if value is None:
            continue
        child = etree.SubElement(element, f"{{{CEB_NAMESPACE}}}{field.name}")
        child.text = _text(field, value, f"{path}.{field.name}")
    return element


def _text(field: FieldSpec, value: Any, where: str) -> str:
    if isinstance(value, bool):
        raise validation_error(where, "must be text or a number, not true or false")
    if isinstance(value, datetime):
        if field.kind is Kind.RECEIPT_TIME:
            return value.strftime("%Y%m%d%H%M%S") + f"{value.microsecond // 1000:03d}"
        return value.strftime("%Y%m%d%H%M%S")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    raise validation_error(where, "must be text, a Decimal, an integer or a date")


def _refuse_invalid(message: CebMessage) -> None:
    errors = [issue for issue in validate(message) if issue.severity.value == "error"]
    if errors:
        raise ValidationFailed(
            "; ".join(f"{issue.path}: {issue.message}" for issue in errors),
            fields=[FieldIssue(issue.path, issue.message) for issue in errors],
        )
