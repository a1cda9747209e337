"""China's fully digitalised e-invoice (全面数字化的电子发票, 数电票): model, XML and JSON formats,
consistency checks, and the mapping to and from the EN 16931 model."""

from digitrade.systems.einvoice.fapiao.amount_words import (
    AmountWordsError,
    amount_in_words,
    parse_amount_in_words,
)
from digitrade.systems.einvoice.fapiao.consistency import Finding, check_consistency
from digitrade.systems.einvoice.fapiao.errors import FapiaoFormatError
from digitrade.systems.einvoice.fapiao.formats import read_any, read_fapiao
from digitrade.systems.einvoice.fapiao.from_en import from_en16931
from digitrade.systems.einvoice.fapiao.json_format import read_json, write_json
from digitrade.systems.einvoice.fapiao.model import (
    FapiaoLine,
    FapiaoParty,
    FullyDigitalInvoice,
    InvoiceKind,
    InvoiceNumberParts,
    RateKind,
    RedLetterReference,
    Representation,
    invoice_number_parts,
)
from digitrade.systems.einvoice.fapiao.notes import MappingNote
from digitrade.systems.einvoice.fapiao.to_en import ToEn16931Options, to_en16931
from digitrade.systems.einvoice.fapiao.units import chinese_unit, unit_code
from digitrade.systems.einvoice.fapiao.uscc import (
    TaxpayerIdKind,
    classify_taxpayer_id,
    is_valid_uscc,
    uscc_check_character,
)
from digitrade.systems.einvoice.fapiao.xml_format import read_xml, write_xml

__all__ = [
    "AmountWordsError",
    "FapiaoFormatError",
    "FapiaoLine",
    "FapiaoParty",
    "Finding",
    "FullyDigitalInvoice",
    "InvoiceKind",
    "InvoiceNumberParts",
    "MappingNote",
    "RateKind",
    "RedLetterReference",
    "Representation",
    "TaxpayerIdKind",
    "ToEn16931Options",
    "amount_in_words",
    "check_consistency",
    "chinese_unit",
    "classify_taxpayer_id",
    "from_en16931",
    "invoice_number_parts",
    "is_valid_uscc",
    "parse_amount_in_words",
    "read_any",
    "read_fapiao",
    "read_json",
    "read_xml",
    "to_en16931",
    "unit_code",
    "uscc_check_character",
    "write_json",
    "write_xml",
]
