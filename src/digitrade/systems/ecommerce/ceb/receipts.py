"""Receipts (回执): the answer customs (or the e-port) gives each declared message.

Each request type has its receipt (CEB311 -> CEB312, CEB621 -> CEB622, ...). A receipt repeats
the request's keys, the request's ``guid``, and carries ``returnStatus`` (see
``codes.RETURN_STATUSES``: 100 rejected, 120 accepted, 399 concluded, 800 released...),
``returnTime`` (YYYYMMDDhhmmssfff) and ``returnInfo``. Numbers customs assigns on acceptance
(``preNo``, ``invtNo``) are passed in ``assigned``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from digitrade.core.errors import validation_error
from digitrade.systems.ecommerce.ceb.codes import (
    RETURN_STATUSES,
    ReturnStatus,
    return_status_problem,
)
from digitrade.systems.ecommerce.ceb.model import CebMessage
from digitrade.systems.ecommerce.ceb.spec import RECEIPT_FOR, SPECS
from digitrade.systems.ecommerce.ceb.writer import build_message, new_guid

_RESULT_FIELDS = frozenset({"guid", "returnStatus", "returnTime", "returnInfo"})


@dataclass(frozen=True, slots=True)
class ReceiptResult:
    """What one receipt document says."""

    guid: str
    status: str
    status_name: str
    time: str
    info: str
    keys: Mapping[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "guid": self.guid,
            "status": self.status,
            "status_name": self.status_name,
            "time": self.time,
            "info": self.info,
            "keys": dict(self.keys),
        }


def build_receipt(
    request: CebMessage,
    *,
    status: str,
    info: str,
    at: datetime,
    assigned: Mapping[str, str] | None = None,
    guid: str | None = None,
) -> bytes:
    """The receipt answering every document of ``request`` with ``status``."""
    receipt_type = RECEIPT_FOR.get(request.message_type)
    if receipt_type is None:
        raise validation_error("message_type", f"{request.message_type} has no receipt")
    problem = return_status_problem(status)
    if problem is not None:
        raise validation_error("returnStatus", problem)
    spec = SPECS[receipt_type]
    key_names = [f.name for f in spec.head_fields if f.name not in _RESULT_FIELDS]
    documents = []
    for document in request.documents:
        head: dict[str, Any] = {"guid": document.head.text("guid") or new_guid()}
        for name in key_names:
            value = (assigned or {}).get(name) or document.head.get(name)
            if value:
                head[name] = value
        head.update({"returnStatus": status, "returnTime": at, "returnInfo": info})
        documents.append({"head": head})
    return build_message(receipt_type, documents, guid=guid or new_guid())


def receipt_results(receipt: CebMessage) -> list[ReceiptResult]:
    spec = SPECS[receipt.message_type]
    if not spec.is_receipt:
        raise validation_error("message_type", f"{receipt.message_type} is not a receipt")
    results = []
    for document in receipt.documents:
        head = document.head
        code = head.text("returnStatus")
        known: ReturnStatus | None = RETURN_STATUSES.get(code)
        results.append(
            ReceiptResult(
                guid=head.text("guid"),
                status=code,
                status_name=known.name_en if known else "processing error",
                time=head.text("returnTime"),
                info=head.text("returnInfo"),
                keys={k: v for k, v in head.fields if k not in _RESULT_FIELDS},
            )
        )
    return results
