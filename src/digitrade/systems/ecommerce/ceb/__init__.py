"""China E-Port cross-border e-commerce messages (CEB, namespace http://www.chinaport.gov.cn/ceb).

Import: CEB311 order, CEB411 payment, CEB511 waybill, CEB621 inventory list, CEB625 return,
CEB816 tax bill, CEB818 tax-bill status. Export: CEB303 order, CEB505 waybill, CEB603 inventory
list. Receipts: CEB312, 412, 512, 622, 626, 304, 506, 604 and the CEB900 format-error receipt.
``read_message`` parses safely, ``validate_message`` reports per field, ``build_message`` and
``build_receipt`` write, ``envelope`` wraps and unwraps the DXP transport envelope.
"""

from __future__ import annotations

from digitrade.systems.ecommerce.ceb.model import CebMessage, Document, Issue, Record, Severity
from digitrade.systems.ecommerce.ceb.parser import UnsupportedMessage, read_message
from digitrade.systems.ecommerce.ceb.receipts import build_receipt, receipt_results
from digitrade.systems.ecommerce.ceb.spec import RECEIPT_FOR, SPECS, MessageSpec
from digitrade.systems.ecommerce.ceb.validation import (
    ValidationReport,
    validate,
    validate_message,
)
from digitrade.systems.ecommerce.ceb.writer import build_message, message_xml, new_guid
from digitrade.systems.ecommerce.ceb.xmlsafe import MessageTooLarge, UnreadableMessage

__all__ = [
    "RECEIPT_FOR",
    "SPECS",
    "CebMessage",
    "Document",
    "Issue",
    "MessageSpec",
    "MessageTooLarge",
    "Record",
    "Severity",
    "UnreadableMessage",
    "UnsupportedMessage",
    "ValidationReport",
    "build_message",
    "build_receipt",
    "message_xml",
    "new_guid",
    "read_message",
    "receipt_results",
    "validate",
    "validate_message",
]
