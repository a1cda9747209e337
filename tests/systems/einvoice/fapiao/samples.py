"""Illustrative fully digitalised e-invoices built in code.

The companies are invented. Their unified social credit codes are constructed with the GB 32100
algorithm (digits 3-8 a real Shanghai, Shenzhen or Suzhou division code, then arbitrary characters
and the computed check character), so they are valid in form; any match with a real company is an
accident. Invoice numbers follow the 20-digit layout (year, province 31 = Shanghai, channel,
sequence). The 19-digit tax classification codes have the right form and plausible prefixes
(1 goods, 3 services) but were not checked against STA's code table.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from digitrade.systems.einvoice.en16931.model import (
    Address,
    AllowanceCharge,
    Classification,
    Contact,
    CreditTransfer,
    Delivery,
    Identifier,
    Invoice,
    Item,
    Line,
    Note,
    Party,
    PaymentInstructions,
    Price,
)
from digitrade.systems.einvoice.fapiao import (
    FapiaoLine,
    FapiaoParty,
    FullyDigitalInvoice,
    InvoiceKind,
    RateKind,
    RedLetterReference,
    amount_in_words,
)
from digitrade.systems.einvoice.fapiao.consistency import line_sums, line_tax, money
from digitrade.systems.einvoice.fapiao.model import CHINA_TIME

D = Decimal

SOFTWARE_EXPORTER = FapiaoParty(
    name="上海云桥软件科技有限公司",
    tax_id="91310115MA1K4XW7P1",
    address="上海市浦东新区张江路665号3层",
    telephone="021-50801234",
    bank_name="招商银行上海张江支行",
    bank_account="121912345610801",
)
EQUIPMENT_SELLER = FapiaoParty(
    name="上海申联网络设备有限公司",
    tax_id="91310104MA1FR3QJ8M",
    address="上海市徐汇区漕宝路103号",
    telephone="021-64851122",
    bank_name="中国银行上海市漕河泾支行",
    bank_account="436471234567",
)
DOMESTIC_BUYER = FapiaoParty(
    name="苏州工业园区智造科技有限公司",
    tax_id="91320500MA20KC8L3E",
    address="苏州工业园区星湖街328号",
    telephone="0512-62881234",
    bank_name="中国工商银行苏州工业园区支行",
    bank_account="1102020509001234567",
)
SHENZHEN_BUYER = FapiaoParty(name="深圳市前海数联科技有限公司", tax_id="91440300MA5G2TNE1K")
FOREIGN_BUYER = FapiaoParty(
    name="Harbourfront Analytics Pte. Ltd.",
    tax_id="201912345K",
    address="1 Harbourfront Avenue, #10-01, Singapore 098632",
)


def line(
    name: str,
    amount: str | Decimal,
    rate: str | None,
    *,
    quantity: str | None = None,
    unit: str | None = None,
    unit_price: str | None = None,
    specification: str | None = None,
    code: str | None = "3040201010000000000",
    rate_kind: RateKind = RateKind.PERCENT,
    tax: str | None = None,
) -> FapiaoLine:
    """A line whose tax is 金额 x 税率 unless ``tax`` says otherwise."""
    amount = D(amount)
    tax_rate = D(rate) if rate is not None else None
    computed = line_tax(amount, tax_rate) if tax_rate is not None else D("0.00")
    return FapiaoLine(
        item_name=name,
        specification=specification,
        unit=unit,
        quantity=D(quantity) if quantity is not None else None,
        unit_price=D(unit_price) if unit_price is not None else None,
        amount=amount,
        rate_kind=rate_kind,
        tax_rate=tax_rate,
        tax_amount=D(tax) if tax is not None else computed,
        tax_classification_code=code,
    )


def goods(
    name: str, quantity: str, unit: str, price: str, rate: str, code: str, **kw: str
) -> FapiaoLine:
    return line(
        name,
        money(D(quantity) * D(price)),
        rate,
        quantity=quantity,
        unit=unit,
        unit_price=price,
        code=code,
        **kw,
    )


def invoice(
    number: str,
    lines: list[FapiaoLine],
    *,
    seller: FapiaoParty = SOFTWARE_EXPORTER,
    buyer: FapiaoParty = DOMESTIC_BUYER,
    kind: InvoiceKind = InvoiceKind.SPECIAL_VAT,
    issued_at: dt.datetime = dt.datetime(2024, 11, 5, 10, 23, 45, tzinfo=CHINA_TIME),
    **fields: object,
) -> FullyDigitalInvoice:
    """An invoice whose totals and amount in words follow from its lines."""
    sums = line_sums(lines)
    return FullyDigitalInvoice.model_validate(
        {
            "number": number,
            "issued_at": issued_at,
            "kind": kind,
            "seller": seller,
            "buyer": buyer,
            "lines": lines,
            "total_amount": sums.amount,
            "total_tax": sums.tax,
            "total_with_tax": sums.with_tax,
            "total_with_tax_in_words": amount_in_words(sums.with_tax),
            "drawer": "王芳",
            **fields,
        }
    )


def software_services() -> FullyDigitalInvoice:
    """A Shanghai software company invoices development and support at 6 %."""
    return invoice(
        "24312000000012345678",
        [
            line(
                "*信息技术服务*软件开发服务",
                "100000.00",
                "6",
                quantity="1",
                unit="项",
                unit_price="100000",
                specification="ERP二期",
            ),
            line(
                "*信息技术服务*运行维护服务",
                "30000.00",
                "6",
                quantity="12",
                unit="月",
                unit_price="2500",
                code="3040201030000000000",
            ),
        ],
        remarks="合同编号：YQ-2024-0931",
    )


def network_equipment() -> FullyDigitalInvoice:
    """Goods at 13 % in several units; per-line rounding is one fen above per-rate rounding."""
    return invoice(
        "24312000000012345679",
        [
            goods(
                "*计算机网络设备*机架式服务器",
                "2",
                "台",
                "45000.00",
                "13",
                "1090511030000000000",
                specification="R740 2U",
            ),
            goods("*电线电缆*超六类网线", "305", "米", "1.35", "13", "1080422020000000000"),
            goods("*塑料制品*尼龙扎带", "3.5", "千克", "23.40", "13", "1070601050000000000"),
            goods("*纸制品*A4复印纸", "4", "箱", "185.55", "13", "1060205020000000000"),
            goods("*计算机配套产品*机柜配件", "1", "套", "1268.35", "13", "1090512990000000000"),
            goods(
                "*通信设备*光模块",
                "6",
                "只",
                "399.00",
                "13",
                "1090508010000000000",
                specification="10G SFP+",
            ),
        ],
        seller=EQUIPMENT_SELLER,
        issued_at=dt.datetime(2024, 12, 2, 14, 5, 0, tzinfo=CHINA_TIME),
    )


def mixed_rates() -> FullyDigitalInvoice:
    """Equipment at 13 %, installation at 9 % and a maintenance contract at 6 %."""
    return invoice(
        "24312000000012345680",
        [
            goods("*计算机网络设备*交换机", "4", "台", "8650.00", "13", "1090511020000000000"),
            line("*建筑服务*设备安装服务", "3200.00", "9", code="3050200000000000000"),
            line(
                "*信息技术服务*网络运维服务",
                "5400.00",
                "6",
                quantity="6",
                unit="月",
                unit_price="900",
            ),
            line("*现代服务*项目调研", "1234.57", "6", quantity="1", unit="人天"),
        ],
        seller=EQUIPMENT_SELLER,
        buyer=SHENZHEN_BUYER,
        kind=InvoiceKind.ORDINARY,
    )


def software_export() -> FullyDigitalInvoice:
    """Software development for a Singapore client: a zero-rated cross-border service."""
    return invoice(
        "24312000000012345681",
        [
            line(
                "*信息技术服务*软件开发服务",
                "250000.00",
                "0",
                quantity="1",
                unit="项",
                unit_price="250000",
            ),
            line(
                "*信息技术服务*软件维护服务",
                "36000.00",
                "0",
                quantity="12",
                unit="月",
                unit_price="3000",
            ),
        ],
        buyer=FOREIGN_BUYER,
        kind=InvoiceKind.ORDINARY,
        remarks="Contract SG-2024-17 / 跨境应税行为适用增值税零税率",
    )


def with_exempt_line() -> FullyDigitalInvoice:
    """A technology transfer (免税) together with taxable technical services."""
    return invoice(
        "24312000000012345682",
        [
            line(
                "*现代服务*技术转让",
                "200000.00",
                None,
                rate_kind=RateKind.EXEMPT,
                code="3040103000000000000",
            ),
            line(
                "*现代服务*技术服务费", "15000.00", "6", quantity="1", unit="次", unit_price="15000"
            ),
        ],
        kind=InvoiceKind.ORDINARY,
    )


def red_letter() -> FullyDigitalInvoice:
    """Reverses the maintenance line of ``software_services``."""
    return invoice(
        "24312000000012349999",
        [
            line(
                "*信息技术服务*运行维护服务",
                "-30000.00",
                "6",
                quantity="-12",
                unit="月",
                unit_price="2500",
                code="3040201030000000000",
            ),
        ],
        red_letter=RedLetterReference(
            original_invoice_number="24312000000012345678",
            original_issue_date=dt.date(2024, 11, 5),
            confirmation_number="31011524120600001234",
        ),
        issued_at=dt.datetime(2024, 12, 6, 9, 0, 0, tzinfo=CHINA_TIME),
        remarks=(
            "被红冲蓝字数电票号码：24312000000012345678 "
            "红字发票信息确认单编号：31011524120600001234"
        ),
    )


ALL_SAMPLES = {
    "software_services": software_services,
    "network_equipment": network_equipment,
    "mixed_rates": mixed_rates,
    "software_export": software_export,
    "with_exempt_line": with_exempt_line,
    "red_letter": red_letter,
}


# EN 16931 invoices for the other direction -------------------------------------------------

GERMAN_SELLER = Party(
    name="Rheinland Analytics GmbH",
    vat_id="DE811907980",
    legal_registration=Identifier(value="HRB 123456"),
    electronic_address=Identifier(value="0204:991-12345-67", scheme="0204"),
    address=Address(line1="Hafenstraße 12", city="Köln", postal_code="50667", country="DE"),
    contact=Contact(name="Anna Weber", telephone="+49 221 123456", email="ar@example.de"),
)
SHANGHAI_BUYER = Party(
    name="上海云桥软件科技有限公司",
    vat_id="CN91310115MA1K4XW7P1",
    address=Address(line1="上海市浦东新区张江路665号3层", country="CN"),
)


def en_line(
    line_id: str,
    name: str,
    quantity: str,
    unit: str,
    price: str,
    category: str = "S",
    rate: str | None = "19",
    **extra: Any,
) -> Line:
    item_fields = {k: extra.pop(k) for k in ("classifications", "description") if k in extra}
    return Line(
        id=line_id,
        quantity=D(quantity),
        unit=unit,
        price=Price(net_price=D(price)),
        item=Item(
            name=name,
            vat_category=category,
            vat_rate=D(rate) if rate is not None else None,
            **item_fields,
        ),
        **extra,
    )


def peppol_invoice(**changes: Any) -> Invoice:
    """A German data-analytics supplier invoices a Shanghai software company in EUR."""
    fields: dict[str, Any] = {
        "number": "RA-2024-0815",
        "issue_date": dt.date(2024, 11, 20),
        "due_date": dt.date(2024, 12, 20),
        "currency": "EUR",
        "buyer_reference": "PO-SH-7781",
        "purchase_order_reference": "4500012345",
        "payment_terms": "30 days net",
        "notes": [Note(text="Thank you for your business.")],
        "seller": GERMAN_SELLER,
        "buyer": SHANGHAI_BUYER,
        "delivery": Delivery(actual_date=dt.date(2024, 11, 15)),
        "payment_instructions": PaymentInstructions(
            means_code="58",
            remittance_information="RA-2024-0815",
            credit_transfers=[
                CreditTransfer(
                    account_id="DE89370400440532013000",
                    account_name="Rheinland Analytics GmbH",
                    service_provider="COBADEFFXXX",
                )
            ],
        ),
        "allowances": [
            AllowanceCharge(amount=D("150.00"), vat_category="S", vat_rate=D(19), reason="Rabatt")
        ],
        "lines": [
            en_line("1", "Data pipeline consulting", "12.5", "HUR", "120.00",
                    description="Remote workshop, November"),
            en_line("2", "Dashboard licence", "3", "C62", "333.33",
                    classifications=[Classification(code="72268000-1", list_id="STI")]),
            en_line("3", "Training material", "2", "KWT", "49.99"),
        ],
    }  # fmt: skip
    fields.update(changes)
    return Invoice(**fields)
