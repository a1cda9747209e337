"""Trade document types issued as Verifiable Credentials, and credit examination.

* ``registry``: the document types (key, VC type, JSON Schema, English/Chinese titles) and
  ``validate_subject``;
* ``transport``: the bill of lading summary mapped from a DCSA eBL 3.0 TransportDocument;
* ``presentation``: examination of a presentation under a documentary credit (UCP 600, eUCP 2.1);
* ``examples``: ILLUSTRATIVE subjects for one Shanghai -> Singapore flow.

All of it is pure: no database, no network, no clock.
"""

from digitrade.systems.documents.types.presentation import (
    Discrepancy,
    Examination,
    Presentation,
    PresentedDocument,
    examine,
)
from digitrade.systems.documents.types.registry import (
    DOCUMENT_TYPES,
    DocumentType,
    Issue,
    UnknownDocumentType,
    document_type,
    validate_bill_of_lading_summary,
    validate_subject,
)
from digitrade.systems.documents.types.transport import summary_from_dcsa

__all__ = [
    "DOCUMENT_TYPES",
    "Discrepancy",
    "DocumentType",
    "Examination",
    "Issue",
    "Presentation",
    "PresentedDocument",
    "UnknownDocumentType",
    "document_type",
    "examine",
    "summary_from_dcsa",
    "validate_bill_of_lading_summary",
    "validate_subject",
]
