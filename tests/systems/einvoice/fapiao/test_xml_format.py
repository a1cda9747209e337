"""Reading and writing the platform's XML file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from digitrade.systems.einvoice.fapiao import (
    FapiaoFormatError,
    InvoiceKind,
    RateKind,
    read_xml,
    write_xml,
)
from digitrade.systems.einvoice.fapiao.model import CHINA_TIME
from digitrade.systems.einvoice.fapiao.xml_format import format_tax_rate, parse_tax_rate
from digitrade.systems.einvoice.xmlsafe import UnreadableXml
from tests.systems.einvoice.fapiao.samples import ALL_SAMPLES

D = Decimal

# Shaped like the files handled by public parsers (element names and value formats); the
# companies and numbers are invented.
PLATFORM_FILE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<EInvoice>
  <Header>
    <EIid>24312000000087654321</EIid>
    <EInvoiceTag>SWEI3100</EInvoiceTag>
    <Version>0.32</Version>
    <InherentLabel>
      <InIssuType><LabelCode>Y</LabelCode><LabelName>是否蓝字发票标志</LabelName></InIssuType>
      <EInvoiceType><LabelCode>01</LabelCode><LabelName>电子发票</LabelName></EInvoiceType>
      <GeneralOrSpecialVAT><LabelCode>02</LabelCode><LabelName>普通发票</LabelName></GeneralOrSpecialVAT>
    </InherentLabel>
  </Header>
  <EInvoiceData>
    <SellerInformation>
      <SellerIdNum>91310115MA1K4XW7P1</SellerIdNum>
      <SellerName>上海云桥软件科技有限公司</SellerName>
      <SellerAddr>上海市浦东新区张江路665号3层</SellerAddr>
      <SellerTelNum>021-50801234</SellerTelNum>
      <SellerBankName>招商银行上海张江支行</SellerBankName>
      <SellerBankAccNum>121912345610801</SellerBankAccNum>
    </SellerInformation>
    <BuyerInformation>
      <BuyerIdNum>91320500MA20KC8L3E</BuyerIdNum>
      <BuyerName>苏州工业园区智造科技有限公司</BuyerName>
      <BuyerAddr></BuyerAddr>
      <BuyerTelNum/>
    </BuyerInformation>
    <BasicInformation>
      <TotalAmWithoutTax>215000.00</TotalAmWithoutTax>
      <TotalTaxAm>900.00</TotalTaxAm>
      <TotalTax-includedAmount>215900.00</TotalTax-includedAmount>
      <TotalTax-includedAmountInChinese>贰拾壹万伍仟玖佰圆整</TotalTax-includedAmountInChinese>
      <Drawer>王芳</Drawer>
      <RequestTime>2024-11-05 10:23:45</RequestTime>
    </BasicInformation>
    <IssuItemInformation>
      <ItemName>*现代服务*技术转让</ItemName>
      <SpecMod></SpecMod>
      <MeaUnits></MeaUnits>
      <Amount>200000.00</Amount>
      <TaxRate>免税</TaxRate>
      <ComTaxAm>***</ComTaxAm>
      <TotaltaxIncludedAmount>200000.00</TotaltaxIncludedAmount>
      <TaxClassificationCode>3040103000000000000</TaxClassificationCode>
    </IssuItemInformation>
    <IssuItemInformation>
      <ItemName>*现代服务*技术服务费</ItemName>
      <MeaUnits>次</MeaUnits>
      <Quantity>1.00000000</Quantity>
      <UnPrice>15000</UnPrice>
      <Amount>15000.00</Amount>
      <TaxRate>0.060000</TaxRate>
      <ComTaxAm>900.00</ComTaxAm>
      <TotaltaxIncludedAmount>15900.00</TotaltaxIncludedAmount>
      <TaxClassificationCode>3040299000000000000</TaxClassificationCode>
    </IssuItemInformation>
    <AdditionalInformation><Remark>技术合同登记号：2024310115000123</Remark></AdditionalInformation>
  </EInvoiceData>
  <SellerAuthentication><AuthenticationMethods>2</AuthenticationMethods></SellerAuthentication>
  <TaxSupervisionInfo>
    <InvoiceNumber>24312000000087654321</InvoiceNumber>
    <IssueTime>2024-11-05</IssueTime>
    <TaxBureauCode>13101150000</TaxBureauCode>
    <TaxBureauName>国家税务总局上海市浦东新区税务局</TaxBureauName>
  </TaxSupervisionInfo>
</EInvoice>
"""


def test_reads_a_platform_file():
    invoice, findings = read_xml(PLATFORM_FILE.encode())
    assert findings == []
    assert invoice.number == "24312000000087654321"
    assert invoice.issued_at == dt.datetime(2024, 11, 5, 10, 23, 45, tzinfo=CHINA_TIME)
    assert invoice.kind is InvoiceKind.ORDINARY
    assert invoice.seller.bank_account == "121912345610801"
    assert invoice.buyer.address is None and invoice.buyer.telephone is None
    exempt, taxed = invoice.lines
    assert (exempt.rate_kind, exempt.tax_rate, exempt.tax_amount) == (RateKind.EXEMPT, None, 0)
    assert exempt.quantity is None and exempt.unit is None and exempt.specification is None
    assert (taxed.tax_rate, taxed.quantity, taxed.unit) == (D(6), D(1), "次")
    assert invoice.total_with_tax == D("215900.00")
    assert invoice.remarks == "技术合同登记号：2024310115000123"
    assert invoice.tax_bureau_name == "国家税务总局上海市浦东新区税务局"
    assert (invoice.einvoice_tag, invoice.format_version) == ("SWEI3100", "0.32")
    assert not invoice.is_red_letter


def test_reads_files_with_a_namespace():
    namespaced = PLATFORM_FILE.replace("<EInvoice>", '<EInvoice xmlns="urn:example:einvoice">')
    invoice, _ = read_xml(namespaced.encode())
    assert invoice.number == "24312000000087654321"
    assert len(invoice.lines) == 2


@pytest.mark.parametrize("name", sorted(ALL_SAMPLES))
def test_write_then_read_keeps_the_invoice(name):
    invoice = ALL_SAMPLES[name]()
    back, findings = read_xml(write_xml(invoice))
    assert [f for f in findings if f.severity != "info"] == []
    expected = invoice
    if invoice.red_letter is not None:  # the XML has no element for the blue invoice's date
        expected = invoice.model_copy(
            update={
                "red_letter": invoice.red_letter.model_copy(update={"original_issue_date": None})
            }
        )
    assert back == expected


def test_red_letter_file_is_flagged_and_names_the_blue_invoice():
    xml = write_xml(ALL_SAMPLES["red_letter"]()).decode()
    assert "<LabelCode>N</LabelCode>" in xml
    assert "<OriginalInvoiceCode>24312000000012345678</OriginalInvoiceCode>" in xml
    assert "（负数）叁万壹仟捌佰圆整" in xml


def test_red_letter_reference_is_found_in_the_remark_when_the_file_has_no_block():
    xml = write_xml(ALL_SAMPLES["red_letter"]()).decode()
    start, end = xml.index("<SpecificInformation>"), xml.index("</SpecificInformation>")
    stripped = xml[:start] + xml[end + len("</SpecificInformation>") :]
    invoice, findings = read_xml(stripped.encode())
    assert invoice.red_letter is not None
    assert invoice.red_letter.original_invoice_number == "24312000000012345678"
    assert invoice.red_letter.confirmation_number == "31011524120600001234"
    assert findings == []


def test_red_flag_without_any_reference_is_reported():
    xml = write_xml(ALL_SAMPLES["red_letter"]()).decode()
    start, end = xml.index("<SpecificInformation>"), xml.index("</AdditionalInformation>")
    stripped = xml[:start] + xml[end + len("</AdditionalInformation>") :]
    invoice, findings = read_xml(stripped.encode())
    assert invoice.red_letter is None
    assert {f.code for f in findings} == {"red-letter-reference", "red-letter-missing"}


def test_differences_the_file_states_twice_are_reported():
    tampered = PLATFORM_FILE.replace(
        "<EIid>24312000000087654321</EIid>", "<EIid>24312000000087654322</EIid>"
    ).replace(
        "<TotaltaxIncludedAmount>15900.00</TotaltaxIncludedAmount>",
        "<TotaltaxIncludedAmount>15800.00</TotaltaxIncludedAmount>",
    )
    _, findings = read_xml(tampered.encode())
    assert {(f.code, f.field) for f in findings} == {
        ("number-mismatch", "number"),
        ("line-total", "lines[1].amount"),
    }


def test_representation_is_marked_and_has_no_number():
    from digitrade.systems.einvoice.fapiao import Representation

    invoice = ALL_SAMPLES["software_services"]()
    converted = invoice.model_copy(
        update={
            "number": None,
            "representation": Representation(source_number="INV-7", source_currency="CNY"),
        }
    )
    xml = write_xml(converted).decode()
    assert xml.index("<Representation>") < xml.index("<Header>")
    assert "not a fapiao" in xml and "不是发票" in xml
    assert "<EIid>" not in xml and "TaxSupervisionInfo" not in xml
    back, _ = read_xml(xml.encode())
    assert back == converted


@pytest.mark.parametrize(
    ("text", "kind", "rate"),
    [
        ("0.13", RateKind.PERCENT, D(13)),
        ("0.130000", RateKind.PERCENT, D(13)),
        ("13%", RateKind.PERCENT, D(13)),
        ("0.015", RateKind.PERCENT, D("1.5")),
        ("0.5", RateKind.PERCENT, D("0.5")),
        ("0", RateKind.PERCENT, D(0)),
        ("免税", RateKind.EXEMPT, None),
        ("不征税", RateKind.NOT_TAXABLE, None),
    ],
)
def test_tax_rate_forms(text, kind, rate):
    assert parse_tax_rate(text) == (kind, rate)


def test_tax_rates_are_written_as_fractions():
    assert format_tax_rate(RateKind.PERCENT, D(13)) == "0.13"
    assert format_tax_rate(RateKind.PERCENT, D("1.5")) == "0.015"
    assert format_tax_rate(RateKind.PERCENT, D(0)) == "0"
    assert format_tax_rate(RateKind.EXEMPT, None) == "免税"
    # A fraction of 0.25 would read back as 0.25 %, so 25 % and up are written as percentages.
    assert format_tax_rate(RateKind.PERCENT, D(25)) == "25%"
    assert parse_tax_rate(format_tax_rate(RateKind.PERCENT, D(27))) == (RateKind.PERCENT, D(27))


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"<Invoice/>", "root element"),
        (b"<EInvoice><Header/></EInvoice>", "EInvoiceData"),
        (
            PLATFORM_FILE.replace(
                "<Amount>15000.00</Amount>", "<Amount>15,000.0O</Amount>"
            ).encode(),
            "not a number",
        ),
        (
            PLATFORM_FILE.replace("<TaxRate>0.060000</TaxRate>", "<TaxRate>六</TaxRate>").encode(),
            "rate",
        ),
        (
            PLATFORM_FILE.replace("24312000000087654321", "2431200000008765432").encode(),
            "20 digits",
        ),
    ],
)
def test_files_that_are_not_fapiao_are_refused(xml, message):
    with pytest.raises(FapiaoFormatError, match=message):
        read_xml(xml)


def test_doctype_and_entities_are_refused():
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><EInvoice>&e;</EInvoice>'
    with pytest.raises(UnreadableXml, match="DOCTYPE"):
        read_xml(evil)
    with pytest.raises(UnreadableXml):
        read_xml(b"<EInvoice><unclosed></EInvoice>")
