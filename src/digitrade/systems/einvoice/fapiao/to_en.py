"""A fully digitalised e-invoice as an EN 16931 invoice, with a note for everything not carried.

The decisions (see docs/systems/einvoice-fapiao-mapping.md for the reasons):
- a red-letter fapiao becomes a credit note (381), positive amounts, BG-3 naming the blue one;
- the USCC goes to BT-30 (no ISO 6523 scheme exists for it) and, prefixed CN, to BT-31 / BT-48;
- 13/9/6/5/3/1.5/1/0.5 % -> S; 0 % -> G for a buyer abroad, Z at home; 免税 -> E; 不征税 -> O;
- 税收分类编码 -> BT-158 with scheme ZZZ (UNTDID 7143 "mutually defined");
- 简称, 规格型号 and a unit text the code table cannot give back -> BG-32 item attributes;
- 备注, 开票人, 票种 and the red-letter confirmation number -> labelled lines of one BG-1 note;
- VAT: EN 16931 computes it per category, the fapiao per line. By default the fapiao's own amounts
  are kept in BG-23 when the difference stays within BR-CO-17's tolerance, so the EN invoice states
  the tax the tax authority recorded.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from digitrade.systems.einvoice.en16931 import calculation
from digitrade.systems.einvoice.en16931.model import (
    EN16931_SPECIFICATION,
    Address,
    Classification,
    Contact,
    CreditTransfer,
    Identifier,
    Invoice,
    Item,
    ItemAttribute,
    Line,
    Note,
    Party,
    PaymentInstructions,
    PrecedingInvoice,
    Price,
)
from digitrade.systems.einvoice.fapiao.consistency import ZERO, line_sums, money, plain
from digitrade.systems.einvoice.fapiao.model import (
    CHINA_TIME,
    FapiaoLine,
    FapiaoParty,
    FullyDigitalInvoice,
    RateKind,
)
from digitrade.systems.einvoice.fapiao.notes import (
    ATTRIBUTE_SHORT_NAME,
    ATTRIBUTE_SPECIFICATION,
    ATTRIBUTE_UNIT,
    MappingNote,
    NoteFields,
    compose_note,
)
from digitrade.systems.einvoice.fapiao.units import UNKNOWN_UNIT_CODE, chinese_unit, unit_code
from digitrade.systems.einvoice.fapiao.uscc import TaxpayerIdKind

# "Mutually defined" in UNTDID 7143: no code exists for the PRC tax classification codes.
TAX_CLASSIFICATION_SCHEME = "ZZZ"
CREDIT_TRANSFER = "30"
PRICE_DECIMALS = Decimal("1e-10")
# BR-CO-17 accepts a category tax amount within 1 of taxable amount x rate.
BR_CO_17_TOLERANCE = Decimal(1)
EXEMPTIONS: dict[str, tuple[str | None, str | None]] = {
    "E": ("Exempt from VAT under PRC VAT rules (免税)", None),
    "G": (
        "Export outside the EU: zero-rated export under PRC VAT rules (出口零税率)",
        "VATEX-EU-G",
    ),
    "O": ("Not subject to VAT under PRC VAT rules (不征税)", "VATEX-EU-O"),
}

VatKey = tuple[str, Decimal | None]


@dataclass(frozen=True)
class ToEn16931Options:
    """Choices the fapiao itself does not settle."""

    buyer_country: str | None = None
    """ISO 3166-1 code of a buyer without a Chinese taxpayer number; CN when not given."""
    zero_rate_category: Literal["G", "Z"] | None = None
    """VAT category for 0 % lines; by default G when the buyer is abroad, Z otherwise."""
    vat_amounts: Literal["fapiao", "en16931"] = "fapiao"
    """Keep the fapiao's per-line tax sums in BG-23 (within BR-CO-17) or EN's per-category ones."""
    classification_scheme: str = TAX_CLASSIFICATION_SCHEME
    classification_version: str | None = None
    """BT-158-2: the version of the 商品和服务税收分类编码表, when known."""
    legal_registration_scheme: str | None = None
    """BT-30-1 / BT-47-1: an ISO 6523 ICD for the USCC, should one ever be registered."""
    specification_id: str = EN16931_SPECIFICATION


def to_en16931(
    fapiao: FullyDigitalInvoice, *, options: ToEn16931Options | None = None
) -> tuple[Invoice, list[MappingNote]]:
    """The EN 16931 invoice (totals and VAT breakdown computed) and what the mapping changed."""
    options = options or ToEn16931Options()
    notes: list[MappingNote] = []
    sign = Decimal(-1) if fapiao.is_red_letter else Decimal(1)
    buyer_country = _buyer_country(fapiao.buyer, options, notes)
    zero_category = options.zero_rate_category or ("Z" if buyer_country == "CN" else "G")
    lines = [
        _line(line, index, sign, zero_category, options, notes)
        for index, line in enumerate(fapiao.lines)
    ]
    only_not_taxable = all(line.rate_kind is RateKind.NOT_TAXABLE for line in fapiao.lines)
    _warn_mixed_not_taxable(fapiao, only_not_taxable, notes)
    invoice = Invoice(
        number=fapiao.number or _source_number(fapiao),
        issue_date=fapiao.issue_date,
        type_code="381" if fapiao.is_red_letter else "380",
        currency=fapiao.representation.amounts_currency if fapiao.representation else "CNY",
        specification_id=options.specification_id,
        notes=_notes(fapiao),
        preceding_invoices=_preceding(fapiao),
        seller=_seller(fapiao.seller, only_not_taxable, options, notes),
        buyer=_buyer(fapiao.buyer, buyer_country, only_not_taxable, options, notes),
        payment_instructions=_payment(fapiao.seller, notes),
        lines=lines,
    )
    completed = calculation.complete(invoice, exemptions=EXEMPTIONS)
    completed = _reconcile_vat(completed, fapiao, sign, options, notes)
    _note_fixed_losses(fapiao, notes)
    return completed, notes


def _source_number(fapiao: FullyDigitalInvoice) -> str:
    assert fapiao.representation is not None  # the model requires a number otherwise
    return fapiao.representation.source_number


# -- parties ---------------------------------------------------------------------------------


def _buyer_country(buyer: FapiaoParty, options: ToEn16931Options, notes: list[MappingNote]) -> str:
    if options.buyer_country:
        return options.buyer_country
    if buyer.tax_id_kind is TaxpayerIdKind.OTHER:
        notes.append(
            MappingNote(
                "buyer.address",
                "approximated",
                "the fapiao does not state the buyer's country; CN is assumed (pass buyer_country)",
                "数电票未载明购买方国家，默认为中国（可通过 buyer_country 指定）",
            )
        )
    return "CN"


def _seller(
    party: FapiaoParty,
    only_not_taxable: bool,
    options: ToEn16931Options,
    notes: list[MappingNote],
) -> Party:
    seller = _party(party, "CN", options)
    kind = party.tax_id_kind
    if party.tax_id is None:
        return seller
    if kind in (TaxpayerIdKind.USCC, TaxpayerIdKind.USCC_CHECK_FAILS):
        if only_not_taxable:
            # BR-O-02: an invoice of only "not subject to VAT" lines has no seller VAT identifier.
            return seller.model_copy(update={"tax_registration_id": party.tax_id})
        return seller.model_copy(update={"vat_id": "CN" + party.tax_id})
    notes.append(
        MappingNote(
            "seller.tax_id",
            "info",
            f"the seller's taxpayer number {party.tax_id} is not a USCC: "
            "kept as tax registration identifier (BT-32)",
            f"销售方纳税人识别号 {party.tax_id} 不是统一社会信用代码，映射为 BT-32 税务登记号",
        )
    )
    return seller.model_copy(update={"tax_registration_id": party.tax_id})


def _buyer(
    party: FapiaoParty,
    country: str,
    only_not_taxable: bool,
    options: ToEn16931Options,
    notes: list[MappingNote],
) -> Party:
    buyer = _party(party, country, options)
    if party.bank_name or party.bank_account:
        notes.append(
            MappingNote(
                "buyer.bank_account",
                "lost",
                "EN 16931 has no term for the buyer's bank and account (开户银行/银行账号)",
                "EN 16931 没有购买方开户银行及账号的对应字段",
            )
        )
    kind = party.tax_id_kind
    if party.tax_id is None:
        return buyer
    if kind in (TaxpayerIdKind.USCC, TaxpayerIdKind.USCC_CHECK_FAILS):
        # BR-O-02 forbids the buyer VAT identifier next to "not subject to VAT" lines.
        return (
            buyer if only_not_taxable else buyer.model_copy(update={"vat_id": "CN" + party.tax_id})
        )
    notes.append(
        MappingNote(
            "buyer.tax_id",
            "info",
            f"the buyer's taxpayer number {party.tax_id} is not a USCC: kept as buyer identifier "
            "(BT-46) without a scheme",
            f"购买方纳税人识别号 {party.tax_id} 不是统一社会信用代码，"
            "映射为 BT-46 购买方标识（无方案）",
        )
    )
    return buyer.model_copy(update={"identifiers": [Identifier(value=party.tax_id)]})


def _party(party: FapiaoParty, country: str, options: ToEn16931Options) -> Party:
    uscc = party.tax_id_kind in (TaxpayerIdKind.USCC, TaxpayerIdKind.USCC_CHECK_FAILS)
    return Party(
        name=party.name,
        legal_registration=(
            Identifier(value=party.tax_id, scheme=options.legal_registration_scheme)
            if uscc and party.tax_id
            else None
        ),
        address=Address(line1=party.address, country=country),
        contact=Contact(telephone=party.telephone) if party.telephone else None,
    )


def _payment(seller: FapiaoParty, notes: list[MappingNote]) -> PaymentInstructions | None:
    if seller.bank_account is None:
        if seller.bank_name:
            notes.append(
                MappingNote(
                    "seller.bank_name",
                    "lost",
                    "the seller's bank is given without an account number; BG-17 needs one",
                    "销售方开户银行无银行账号，无法映射到 BG-17",
                )
            )
        return None
    return PaymentInstructions(
        means_code=CREDIT_TRANSFER,
        means_text=seller.bank_name,
        credit_transfers=[CreditTransfer(account_id=seller.bank_account, account_name=seller.name)],
    )


# -- lines -----------------------------------------------------------------------------------


def _line(
    line: FapiaoLine,
    index: int,
    sign: Decimal,
    zero_category: str,
    options: ToEn16931Options,
    notes: list[MappingNote],
) -> Line:
    where = f"lines[{index}]"
    amount = line.amount * sign
    quantity, price = _quantity_and_price(line, amount, sign, where, notes)
    code, unit_attribute = _unit(line.unit, where, notes)
    category, rate = _vat_category(line, zero_category)
    attributes = [
        ItemAttribute(name=name, value=value)
        for name, value in (
            (ATTRIBUTE_SHORT_NAME, line.short_name),
            (ATTRIBUTE_SPECIFICATION, line.specification),
            (ATTRIBUTE_UNIT, unit_attribute),
        )
        if value
    ]
    classifications = (
        [
            Classification(
                code=line.tax_classification_code,
                list_id=options.classification_scheme,
                list_version=options.classification_version,
            )
        ]
        if line.tax_classification_code
        else []
    )
    return Line(
        id=str(index + 1),
        quantity=quantity,
        unit=code,
        price=Price(net_price=price),
        item=Item(
            name=line.plain_name,
            classifications=classifications,
            attributes=attributes,
            vat_category=category,
            vat_rate=rate,
        ),
    )


def _quantity_and_price(
    line: FapiaoLine, amount: Decimal, sign: Decimal, where: str, notes: list[MappingNote]
) -> tuple[Decimal, Decimal]:
    """BT-129 and BT-146 such that quantity x price rounds to the fapiao's 金额 exactly."""
    quantity = line.quantity * sign if line.quantity is not None else None
    if quantity is None or quantity == 0:
        if amount == 0:
            return quantity or Decimal(0), abs(line.unit_price or ZERO)
        notes.append(
            MappingNote(
                where + ".quantity",
                "approximated",
                "the quantity is 0 but the amount is not: quantity 1 is used",
                "数量为0但金额不为0，数量改为1",
            )
            if quantity == 0
            else MappingNote(
                where + ".quantity",
                "info",
                "the line has no quantity: BT-129 is 1 and BT-146 the amount",
                "该行无数量：BT-129 取1，BT-146 取金额",
            )
        )
        # A line without quantity (services, 折扣行) is one unit at the amount.
        return (Decimal(1) if amount > 0 else Decimal(-1)), abs(amount)
    if amount != 0 and (quantity > 0) != (amount > 0):
        notes.append(
            MappingNote(
                where + ".quantity",
                "approximated",
                "the quantity and the amount have opposite signs: the quantity takes the amount's",
                "数量与金额符号相反，数量按金额取符号",
            )
        )
        quantity = -quantity
    stated = abs(line.unit_price) if line.unit_price is not None else None
    if stated is not None and money(quantity * stated) == amount:
        return quantity, stated
    # Ten decimals keep quantity x price within half a fen of the amount for any quantity
    # below 10**8, so BT-131 rounds back to 金额.
    derived = plain((abs(amount) / abs(quantity)).quantize(PRICE_DECIMALS))
    notes.append(
        MappingNote(
            where + ".unit_price",
            "approximated",
            f"the unit price {line.unit_price} becomes {derived} so that quantity x price "
            "gives the fapiao's amount exactly",
            f"单价 {line.unit_price} 调整为 {derived}，使数量×单价等于金额",
        )
        if stated is not None
        else MappingNote(
            where + ".unit_price",
            "info",
            f"the line has no unit price: BT-146 is amount / quantity = {derived}",
            f"该行无单价：BT-146 取金额/数量 = {derived}",
        )
    )
    return quantity, derived


def _unit(unit: str | None, where: str, notes: list[MappingNote]) -> tuple[str, str | None]:
    """BT-130 and the unit text to keep as an attribute when the code cannot give it back."""
    if unit is None:
        return UNKNOWN_UNIT_CODE, None
    code = unit_code(unit)
    if code is None:
        notes.append(
            MappingNote(
                where + ".unit",
                "approximated",
                f"the unit {unit!r} is not in the unit table: C62 (one) is used and the text is "
                "kept as an item attribute",
                f"单位“{unit}”不在对照表中，使用 C62（一），原文保留为项目属性",
            )
        )
        return UNKNOWN_UNIT_CODE, unit
    return code, (None if chinese_unit(code) == unit else unit)


def _vat_category(line: FapiaoLine, zero_category: str) -> tuple[str, Decimal | None]:
    if line.rate_kind is RateKind.EXEMPT:
        return "E", Decimal(0)
    if line.rate_kind is RateKind.NOT_TAXABLE:
        return "O", None
    assert line.tax_rate is not None
    if line.tax_rate == 0:
        return zero_category, Decimal(0)
    return "S", line.tax_rate


def _warn_mixed_not_taxable(
    fapiao: FullyDigitalInvoice, only_not_taxable: bool, notes: list[MappingNote]
) -> None:
    if only_not_taxable or not any(line.rate_kind is RateKind.NOT_TAXABLE for line in fapiao.lines):
        return
    notes.append(
        MappingNote(
            "lines",
            "approximated",
            "the fapiao mixes 不征税 (not subject to VAT, O) lines with other lines; EN 16931 "
            "(BR-O-02, BR-O-11) rejects such an invoice: split it, or agree another category",
            "该发票同时含不征税项目与其他项目；EN 16931（BR-O-02、BR-O-11）不允许二者并存，"
            "需拆分为两张发票或另行约定税目",
        )
    )


# -- document --------------------------------------------------------------------------------


def _notes(fapiao: FullyDigitalInvoice) -> list[Note]:
    text = compose_note(
        NoteFields(
            kind=fapiao.kind.value,
            drawer=fapiao.drawer,
            confirmation_number=fapiao.red_letter.confirmation_number
            if fapiao.red_letter
            else None,
            remarks=fapiao.remarks,
        )
    )
    return [Note(text=text)] if text else []


def _preceding(fapiao: FullyDigitalInvoice) -> list[PrecedingInvoice]:
    if fapiao.red_letter is None:
        return []
    return [
        PrecedingInvoice(
            number=fapiao.red_letter.original_invoice_number,
            issue_date=fapiao.red_letter.original_issue_date,
        )
    ]


def _reconcile_vat(
    invoice: Invoice,
    fapiao: FullyDigitalInvoice,
    sign: Decimal,
    options: ToEn16931Options,
    notes: list[MappingNote],
) -> Invoice:
    """Compare EN's per-category VAT with the fapiao's per-line VAT; keep the fapiao's if chosen."""
    fapiao_tax: dict[VatKey, Decimal] = defaultdict(lambda: ZERO)
    for en_line, line in zip(invoice.lines, fapiao.lines, strict=True):
        key = (
            en_line.item.vat_category,
            None if en_line.item.vat_category == "O" else en_line.item.vat_rate,
        )
        fapiao_tax[key] += line.tax_amount * sign
    breakdown = []
    for group in invoice.vat_breakdown:
        stated = fapiao_tax[(group.category, group.rate)]
        difference = stated - group.tax_amount
        if difference == 0:
            breakdown.append(group)
            continue
        where = f"VAT {group.category} {group.rate if group.rate is not None else ''}".strip()
        keep_fapiao = options.vat_amounts == "fapiao" and abs(difference) < BR_CO_17_TOLERANCE
        if keep_fapiao:
            breakdown.append(group.model_copy(update={"tax_amount": stated}))
        notes.append(
            MappingNote(
                "total_tax",
                "info" if keep_fapiao else "approximated",
                f"{where}: the fapiao's line taxes add up to {stated}, EN 16931's per-category "
                f"computation gives {group.tax_amount} (difference {difference}); "
                + ("the fapiao's amount is kept in BT-117" if keep_fapiao else "BT-117 uses EN's"),
                f"{where}：数电票逐行计算的税额合计 {stated}，EN 16931 按税目计算为 "
                f"{group.tax_amount}（差额 {difference}）；"
                + ("BT-117 采用数电票税额" if keep_fapiao else "BT-117 采用 EN 16931 计算值"),
            )
        )
        if not keep_fapiao:
            breakdown.append(group)
    assert invoice.totals is not None
    vat_total = sum((group.tax_amount for group in breakdown), start=ZERO)
    tax_inclusive = invoice.totals.tax_exclusive + vat_total
    totals = invoice.totals.model_copy(
        update={
            "vat_total": vat_total,
            "tax_inclusive": tax_inclusive,
            "payable": tax_inclusive - (invoice.totals.prepaid or ZERO),
        }
    )
    _compare_totals(totals.tax_exclusive, totals.vat_total or ZERO, fapiao, sign, notes)
    return invoice.model_copy(update={"vat_breakdown": breakdown, "totals": totals})


def _compare_totals(
    tax_exclusive: Decimal,
    vat_total: Decimal,
    fapiao: FullyDigitalInvoice,
    sign: Decimal,
    notes: list[MappingNote],
) -> None:
    stated = line_sums(fapiao.lines)
    for field, en_value, fapiao_value, name_zh, term in (
        ("total_amount", tax_exclusive, fapiao.total_amount * sign, "合计金额", "BT-109"),
        ("total_tax", vat_total, fapiao.total_tax * sign, "合计税额", "BT-110"),
    ):
        if en_value != fapiao_value:
            notes.append(
                MappingNote(
                    field,
                    "approximated",
                    f"{term} is {en_value}, the fapiao states {fapiao_value} (its lines add up to "
                    f"{(stated.amount if field == 'total_amount' else stated.tax) * sign})",
                    f"{term} 为 {en_value}，数电票{name_zh}为 {fapiao_value}",
                )
            )


def _note_fixed_losses(fapiao: FullyDigitalInvoice, notes: list[MappingNote]) -> None:
    """The fapiao fields EN 16931 has no place for, when they are present."""
    if fapiao.issued_at.astimezone(CHINA_TIME).time() != dt.time(0):
        notes.append(
            MappingNote(
                "issued_at",
                "lost",
                "the time of issue is not kept: BT-2 is a date",
                "开票时间（时分秒）不保留：BT-2 只有日期",
            )
        )
    notes.append(
        MappingNote(
            "lines[].tax_amount",
            "info",
            "EN 16931 has no line VAT amount: the lines' 税额 are summed per category in BG-23",
            "EN 16931 没有行税额：各行税额按税目汇总到 BG-23 增值税明细",
        )
    )
    notes.append(
        MappingNote(
            "kind",
            "info",
            "the fapiao kind, drawer, remarks and red-letter confirmation number are labelled "
            "lines of the one invoice note (BT-22); 价税合计（大写） follows from BT-112",
            "票种、开票人、备注、红字确认单编号写入发票附注 BT-22 的标注行；"
            "价税合计（大写）由 BT-112 推出",
        )
    )
    if fapiao.tax_bureau_code or fapiao.tax_bureau_name:
        notes.append(
            MappingNote(
                "tax_bureau_code",
                "lost",
                "the tax bureau code and name have no EN 16931 term",
                "税务机关代码及名称没有对应字段",
            )
        )
    if fapiao.einvoice_tag or fapiao.format_version:
        notes.append(
            MappingNote(
                "einvoice_tag",
                "lost",
                "the file's EInvoiceTag and Version are not kept",
                "文件标签 EInvoiceTag、Version 不保留",
            )
        )
    if fapiao.red_letter is not None and fapiao.red_letter.original_issue_date is None:
        notes.append(
            MappingNote(
                "red_letter.original_issue_date",
                "info",
                "the reversed invoice's issue date is unknown: BT-26 is empty",
                "被红冲蓝字发票的开票日期未知，BT-26 留空",
            )
        )
