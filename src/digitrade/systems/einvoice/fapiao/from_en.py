"""An EN 16931 invoice in the layout of a fully digitalised e-invoice, e.g. to record an incoming
Peppol invoice in Chinese bookkeeping.

The result is a *representation*: only the tax authority's e-invoice service platform issues
fapiao and assigns their numbers, so it carries no 发票号码 and its ``representation`` field names
the source document and says it is not a fapiao.

The decisions (see docs/systems/einvoice-fapiao-mapping.md for the reasons):
- amounts other than CNY are converted at the stated exchange rate, or kept and reported;
- a credit note becomes a red-letter (negative) representation naming BG-3's invoice;
- document-level allowances and charges become lines of their own (an allowance a negative
  line, as a fapiao shows a discount), so that 合计金额 equals BT-109;
- line taxes are computed per line and then adjusted by whole fen so that each category adds up
  to BT-117, the VAT the source invoice states;
- references, due date and payment terms are written into 备注; delivery, payee, tax
  representative, other payment means and attachments are lost (one note each).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from digitrade.systems.einvoice.en16931 import calculation
from digitrade.systems.einvoice.en16931.model import (
    Address,
    AllowanceCharge,
    Invoice,
    Line,
    Party,
)
from digitrade.systems.einvoice.fapiao.amount_words import amount_in_words
from digitrade.systems.einvoice.fapiao.consistency import CENT, ZERO, money, plain
from digitrade.systems.einvoice.fapiao.model import (
    CHINA_TIME,
    FapiaoLine,
    FapiaoParty,
    FullyDigitalInvoice,
    InvoiceKind,
    RateKind,
    RedLetterReference,
    Representation,
    compose_item_name,
)
from digitrade.systems.einvoice.fapiao.notes import (
    ATTRIBUTE_SHORT_NAME,
    ATTRIBUTE_SPECIFICATION,
    ATTRIBUTE_UNIT,
    MappingNote,
    MappingSeverity,
    NoteFields,
    parse_note,
)
from digitrade.systems.einvoice.fapiao.to_en import PRICE_DECIMALS, TAX_CLASSIFICATION_SCHEME
from digitrade.systems.einvoice.fapiao.units import UNKNOWN_UNIT_CODE, chinese_unit
from digitrade.systems.einvoice.fapiao.uscc import TaxpayerIdKind, classify_taxpayer_id

VatKey = tuple[str, Decimal | None]
_USCC_KINDS = (TaxpayerIdKind.USCC, TaxpayerIdKind.USCC_CHECK_FAILS)
_CLASSIFICATION_DIGITS = 19
# Categories with no VAT amount, shown as a 0 % rate on a fapiao.
_ZERO_RATE_CATEGORIES = frozenset({"Z", "G", "K", "AE"})
_FOREIGN_REGIMES = {
    "K": "intra-community supply",
    "AE": "reverse charge",
    "L": "Canary Islands IGIC",
    "M": "Ceuta and Melilla IPSI",
    "B": "Italian split payment",
}
# EN 16931 terms carried as labelled lines of 备注.
_REMARK_TERMS = (
    ("BT-10", "买方参考号 (buyer reference)", "buyer_reference"),
    ("BT-11", "项目 (project)", "project_reference"),
    ("BT-12", "合同号 (contract)", "contract_reference"),
    ("BT-13", "采购订单号 (purchase order)", "purchase_order_reference"),
    ("BT-14", "销售订单号 (sales order)", "sales_order_reference"),
    ("BT-15", "收货单号 (receiving advice)", "receiving_advice_reference"),
    ("BT-16", "发货单号 (despatch advice)", "despatch_advice_reference"),
    ("BT-17", "招标或标段号 (tender or lot)", "tender_reference"),
    ("BT-19", "买方会计科目 (buyer accounting reference)", "buyer_accounting_reference"),
    ("BT-9", "付款到期日 (due date)", "due_date"),
    ("BT-20", "付款条件 (payment terms)", "payment_terms"),
)


@dataclass
class _Draft:
    """A fapiao line before its tax is known, with the EN VAT group it belongs to."""

    item_name: str
    amount: Decimal
    key: VatKey
    rate_kind: RateKind
    tax_rate: Decimal | None
    specification: str | None = None
    unit: str | None = None
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    classification: str | None = None
    tax: Decimal = ZERO


@dataclass
class _Context:
    rate: Decimal
    sign: Decimal
    notes: list[MappingNote] = field(default_factory=list)
    lost_by_term: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def note(self, where: str, severity: MappingSeverity, en: str, zh: str) -> None:
        self.notes.append(MappingNote(where, severity, en, zh))

    def line_term_lost(self, term: str, line_id: str) -> None:
        self.lost_by_term[term].append(line_id)


def from_en16931(
    invoice: Invoice,
    *,
    exchange_rate: Decimal | None = None,
    kind: InvoiceKind | None = None,
) -> tuple[FullyDigitalInvoice, list[MappingNote]]:
    """The representation of ``invoice`` as a fapiao, and what the mapping changed or dropped.

    ``exchange_rate`` is CNY per unit of BT-5; without it, non-CNY amounts stay as they are and
    a note says so. ``kind`` chooses 专票 or 普票 when the invoice note does not say.
    """
    invoice = _completed(invoice)
    rate, amounts_currency, context = _conversion(invoice, exchange_rate)
    fields = _note_fields(invoice, context)
    drafts = [_draft_line(line, context) for line in invoice.lines]
    drafts += [_allowance_charge_line(item, False, context) for item in invoice.allowances]
    drafts += [_allowance_charge_line(item, True, context) for item in invoice.charges]
    _assign_taxes(drafts, invoice, context)
    _note_lost_line_terms(context)
    lines = [
        FapiaoLine(
            item_name=draft.item_name,
            specification=draft.specification,
            unit=draft.unit,
            quantity=draft.quantity,
            unit_price=draft.unit_price,
            amount=draft.amount,
            rate_kind=draft.rate_kind,
            tax_rate=draft.tax_rate,
            tax_amount=draft.tax,
            tax_classification_code=draft.classification,
        )
        for draft in drafts
    ]
    total_amount = sum((line.amount for line in lines), start=ZERO)
    total_tax = sum((line.tax_amount for line in lines), start=ZERO)
    _compare_totals(invoice, total_amount, total_tax, context)
    fapiao = FullyDigitalInvoice(
        issued_at=dt.datetime.combine(invoice.issue_date, dt.time(0), CHINA_TIME),
        kind=_kind(fields.kind, kind, context),
        seller=_party(invoice.seller, "seller", context, invoice),
        buyer=_party(invoice.buyer, "buyer", context, invoice),
        lines=lines,
        total_amount=total_amount,
        total_tax=total_tax,
        total_with_tax=total_amount + total_tax,
        total_with_tax_in_words=amount_in_words(total_amount + total_tax),
        remarks=_remarks(invoice, fields.remarks, context),
        drawer=fields.drawer,
        red_letter=_red_letter(invoice, total_amount + total_tax, fields, context),
        representation=Representation(
            source_number=invoice.number,
            source_type_code=invoice.type_code,
            source_currency=invoice.currency,
            exchange_rate=rate if invoice.currency != amounts_currency else None,
            amounts_currency=amounts_currency,
        ),
    )
    _note_document_losses(invoice, context)
    return fapiao, context.notes


def _completed(invoice: Invoice) -> Invoice:
    """The invoice with BT-131 and BG-22/BG-23 known (computed when the source left them out)."""
    if invoice.totals is not None and invoice.vat_breakdown:
        lines = [
            line
            if line.net_amount is not None
            else line.model_copy(update={"net_amount": calculation.line_net_amount(line)})
            for line in invoice.lines
        ]
        return invoice.model_copy(update={"lines": lines})
    # Only E lacks a default reason; this text satisfies the calculation and goes nowhere.
    placeholder: dict[str, tuple[str | None, str | None]] = {"E": ("Exempt", None)}
    return calculation.complete(invoice, exemptions=placeholder)


def _conversion(invoice: Invoice, exchange_rate: Decimal | None) -> tuple[Decimal, str, _Context]:
    sign = Decimal(-1) if invoice.is_credit_note else Decimal(1)
    if invoice.currency == "CNY":
        context = _Context(rate=Decimal(1), sign=sign)
        if exchange_rate not in (None, Decimal(1)):
            context.note(
                "exchange_rate",
                "info",
                "the invoice is in CNY: the exchange rate is not used",
                "发票币种为人民币，未使用汇率",
            )
        return Decimal(1), "CNY", context
    if exchange_rate is not None:
        if exchange_rate <= 0:
            raise ValueError("the exchange rate must be positive")
        context = _Context(rate=exchange_rate, sign=sign)
        context.note(
            "BT-5",
            "approximated",
            f"amounts in {invoice.currency} are converted at "
            f"{exchange_rate} CNY per {invoice.currency} and rounded to the fen",
            f"{invoice.currency} 金额按汇率 {exchange_rate} 折算为人民币并四舍五入到分",
        )
        return exchange_rate, "CNY", context
    context = _Context(rate=Decimal(1), sign=sign)
    context.note(
        "BT-5",
        "approximated",
        f"the amounts stay in {invoice.currency}: a fapiao states "
        "CNY, so give the exchange rate to convert them",
        f"金额仍为 {invoice.currency}：数电票以人民币计价，请提供汇率以折算",
    )
    return Decimal(1), invoice.currency, context


# -- lines -----------------------------------------------------------------------------------


def _draft_line(line: Line, context: _Context) -> _Draft:
    assert line.net_amount is not None  # _completed fills it
    amount = money(line.net_amount * context.rate * context.sign)
    quantity = line.quantity * context.sign
    if amount != 0 and quantity != 0 and (amount > 0) != (quantity > 0):
        # 数量 x 单价 = 金额 with a non-negative price: the quantity carries the sign.
        context.note(
            f"line {line.id}.BT-129",
            "approximated",
            "the quantity and the net amount have opposite signs: the quantity takes the amount's",
            "数量与金额符号相反，数量按金额取符号",
        )
        quantity = -quantity
    attributes = {attribute.name: attribute.value for attribute in line.item.attributes}
    short_name = attributes.pop(ATTRIBUTE_SHORT_NAME, None)
    specification = attributes.pop(ATTRIBUTE_SPECIFICATION, None)
    unit_text = attributes.pop(ATTRIBUTE_UNIT, None)
    rate_kind, tax_rate = _rate(
        line.item.vat_category, line.item.vat_rate, f"line {line.id}", context
    )
    _note_lost_line_details(line, attributes, context)
    return _Draft(
        item_name=compose_item_name(short_name, line.item.name),
        amount=amount,
        key=_key(line.item.vat_category, line.item.vat_rate),
        rate_kind=rate_kind,
        tax_rate=tax_rate,
        specification=specification,
        unit=unit_text or _unit(line.unit, line.id, context),
        quantity=plain(quantity),
        unit_price=_unit_price(line, quantity, amount, context),
        classification=_classification(line, context),
    )


def _unit(code: str, line_id: str, context: _Context) -> str | None:
    unit = chinese_unit(code)
    if unit is not None or code == UNKNOWN_UNIT_CODE:
        return unit  # C62 ("one") is a count with no unit of its own: 单位 stays empty
    context.note(
        f"line {line_id}.BT-130",
        "approximated",
        f"no Chinese unit is known for {code}: the code is written as the unit",
        f"计量单位代码 {code} 无对应中文单位，按代码填写",
    )
    return code


def _unit_price(line: Line, quantity: Decimal, amount: Decimal, context: _Context) -> Decimal:
    """单价 such that 数量 x 单价 = 金额 within the fen the fapiao rules allow."""
    base = line.price.base_quantity or Decimal(1)
    price = plain((line.price.net_price / base * context.rate).quantize(PRICE_DECIMALS))
    if quantity == 0 or abs(quantity * price - amount) <= CENT:
        return price
    derived = plain((abs(amount) / abs(quantity)).quantize(PRICE_DECIMALS))
    cause = (
        "line allowances or charges (BG-27/BG-28) are folded into it"
        if line.allowances or line.charges
        else "currency conversion or rounding"
    )
    context.note(
        f"line {line.id}.BT-146",
        "approximated",
        f"单价 is {derived} (amount / quantity) instead of {price}: {cause}",
        f"单价按金额/数量取 {derived}（原 {price}）",
    )
    return derived


def _classification(line: Line, context: _Context) -> str | None:
    chosen = None
    for classification in line.item.classifications:
        is_tax_code = (
            classification.list_id == TAX_CLASSIFICATION_SCHEME
            and len(classification.code) == _CLASSIFICATION_DIGITS
            and classification.code.isdigit()
        )
        if is_tax_code and chosen is None:
            chosen = classification.code
        else:
            context.line_term_lost(f"BT-158 ({classification.list_id})", line.id)
    return chosen


def _rate(
    category: str, rate: Decimal | None, where: str, context: _Context
) -> tuple[RateKind, Decimal | None]:
    if category == "E":
        return RateKind.EXEMPT, None
    if category == "O":
        return RateKind.NOT_TAXABLE, None
    if category in _FOREIGN_REGIMES:
        context.note(
            f"{where}.BT-151",
            "approximated",
            f"VAT category {category} "
            f"({_FOREIGN_REGIMES[category]}) has no PRC equivalent: shown as its rate",
            f"增值税类别 {category} 在中国无对应，按其税率显示",
        )
    if category in _ZERO_RATE_CATEGORIES:
        return RateKind.PERCENT, Decimal(0)
    return RateKind.PERCENT, plain(rate if rate is not None else ZERO)


def _key(category: str, rate: Decimal | None) -> VatKey:
    return category, (None if category == "O" else rate)


def _allowance_charge_line(item: AllowanceCharge, charge: bool, context: _Context) -> _Draft:
    assert item.amount is not None  # _completed fills it
    term = "BG-21" if charge else "BG-20"
    name = item.reason or ("附加费用 (charge)" if charge else "折扣 (allowance)")
    rate_kind, tax_rate = _rate(item.vat_category, item.vat_rate, term, context)
    amount = money(item.amount * context.rate * context.sign) * (1 if charge else -1)
    what = "charge" if charge else "allowance"
    context.note(
        term,
        "approximated",
        f"the document-level {what} {item.amount} ({name}) becomes "
        "a line of its own without quantity or price",
        f"单据级{'费用' if charge else '折扣'} {item.amount}（{name}）转为单独一行，无数量和单价",
    )
    return _Draft(
        item_name=name,
        amount=amount,
        key=_key(item.vat_category, item.vat_rate),
        rate_kind=rate_kind,
        tax_rate=tax_rate,
    )


def _assign_taxes(drafts: list[_Draft], invoice: Invoice, context: _Context) -> None:
    """Per-line tax, adjusted by whole fen so each VAT group adds up to BT-117."""
    for group in invoice.vat_breakdown:
        members = [draft for draft in drafts if draft.key == _key(group.category, group.rate)]
        target = money(group.tax_amount * context.rate * context.sign)
        if not members:
            continue
        if group.category in calculation.ZERO_TAX_CATEGORIES or group.rate in (None, ZERO):
            continue  # tax stays 0
        rate = group.rate
        assert rate is not None
        exact = [draft.amount * rate / 100 for draft in members]
        taxes = [money(value) for value in exact]
        remaining = target - sum(taxes, start=ZERO)
        if remaining:
            _spread(remaining, exact, taxes)
            context.note(
                "lines[].tax_amount",
                "info",
                f"VAT {group.category} {plain(rate)} %: "
                f"the line taxes are adjusted by {remaining} in total so that they add "
                f"up to BT-117 ({target})",
                f"税率 {plain(rate)}% 各行税额合计调整 {remaining}，使其等于 BT-117（{target}）",
            )
        for draft, tax in zip(members, taxes, strict=True):
            draft.tax = tax


def _spread(remaining: Decimal, exact: list[Decimal], taxes: list[Decimal]) -> None:
    """Add ``remaining`` in fen to ``taxes``, first to the lines whose rounding lost the most."""
    step = CENT if remaining > 0 else -CENT
    order = sorted(range(len(taxes)), key=lambda i: (exact[i] - taxes[i]) * step, reverse=True)
    every, extra = divmod(int(abs(remaining) / CENT), len(taxes))
    for position, index in enumerate(order):
        taxes[index] += step * (every + (1 if position < extra else 0))


def _note_lost_line_details(line: Line, attributes: dict[str, str], context: _Context) -> None:
    lost = {
        "BT-127 line note": line.note,
        "BT-128 line object identifier": line.object_id,
        "BT-132 order line reference": line.order_line_reference,
        "BT-133 line accounting reference": line.accounting_reference,
        "BG-26 line period": line.period,
        "BT-154 item description": line.item.description,
        "BT-155 seller's item identifier": line.item.sellers_id,
        "BT-156 buyer's item identifier": line.item.buyers_id,
        "BT-157 item standard identifier": line.item.standard_id,
        "BT-159 country of origin": line.item.origin_country,
        "BT-147/148 price discount and gross price": line.price.discount or line.price.gross_price,
        "BG-27/BG-28 line allowances and charges (folded into 金额)": line.allowances
        or line.charges,
        "BG-32 item attributes " + ", ".join(sorted(attributes)): attributes,
    }
    for term, value in lost.items():
        if value:
            context.line_term_lost(term, line.id)


def _note_lost_line_terms(context: _Context) -> None:
    for term, line_ids in context.lost_by_term.items():
        context.note(
            term.split(" ")[0],
            "lost",
            f"{term}: no fapiao field (lines {', '.join(line_ids)})",
            f"{term}：数电票无对应字段（第 {', '.join(line_ids)} 行）",
        )


def _compare_totals(
    invoice: Invoice, total_amount: Decimal, total_tax: Decimal, context: _Context
) -> None:
    assert invoice.totals is not None
    for term, en_value, fapiao_value, name_zh in (
        ("BT-109", invoice.totals.tax_exclusive, total_amount, "合计金额"),
        ("BT-110", invoice.totals.vat_total or ZERO, total_tax, "合计税额"),
    ):
        converted = money(en_value * context.rate * context.sign)
        if converted != fapiao_value:
            context.note(
                term,
                "approximated",
                f"{term} converted is {converted}; the lines, each "
                f"converted and rounded, add up to {fapiao_value}",
                f"{term} 折算后为 {converted}，逐行折算后{name_zh}为 {fapiao_value}",
            )


# -- parties and document --------------------------------------------------------------------


def _party(party: Party, role: str, context: _Context, invoice: Invoice) -> FapiaoParty:
    role_zh = "销售方" if role == "seller" else "购买方"
    bank_name, bank_account = _bank(invoice, context) if role == "seller" else (None, None)
    address, flattened = _address_text(party.address)
    if address == party.address.line1 and party.address.country != "CN":
        context.note(
            f"{role}.BT-40",
            "approximated",
            f"the {role}'s country {party.address.country} is not written: the address is "
            "line 1 as given",
            f"{role_zh}国家代码 {party.address.country} 未写入地址",
        )
    if flattened:
        context.note(
            f"{role}.BG-5",
            "approximated",
            f"the {role}'s structured address is written as one line",
            f"{role_zh}结构化地址合并为一行",
        )
    lost: dict[str, object] = {
        "BT-28/BT-45 trading name": party.trading_name,
        "BT-33 additional legal information": party.additional_legal_info,
        "BT-34/BT-49 electronic address": party.electronic_address,
        "BT-41 contact point": party.contact.name if party.contact else None,
        "BT-43 contact email": party.contact.email if party.contact else None,
    }
    tax_id = _tax_id(party)
    unused_ids = [i.value for i in party.identifiers if i.value != tax_id]
    lost["BT-29/BT-46 identifiers " + ", ".join(unused_ids)] = unused_ids
    for term, value in lost.items():
        if value:
            context.note(
                f"{role}.{term.split(' ')[0]}",
                "lost",
                f"the {role}'s {term} has no fapiao field",
                f"{term} 无对应字段",
            )
    return FapiaoParty(
        name=party.name,
        tax_id=tax_id,
        address=address,
        telephone=party.contact.telephone if party.contact else None,
        bank_name=bank_name,
        bank_account=bank_account,
    )


def _tax_id(party: Party) -> str | None:
    """The party's USCC wherever EN 16931 carries it, else its VAT or other identifier."""
    vat_id = party.vat_id
    candidates = [
        vat_id[2:] if vat_id and vat_id.startswith("CN") else None,
        party.legal_registration.value if party.legal_registration else None,
        party.tax_registration_id,
    ]
    for candidate in candidates:
        if candidate and classify_taxpayer_id(candidate) in _USCC_KINDS:
            return candidate
    fallbacks = [
        vat_id,
        party.tax_registration_id,
        party.legal_registration.value if party.legal_registration else None,
        party.identifiers[0].value if party.identifiers else None,
    ]
    return next((value for value in fallbacks if value), None)


def _address_text(address: Address) -> tuple[str | None, bool]:
    parts = [address.line1, address.line2, address.line3]
    parts += [address.city, address.subdivision, address.postal_code]
    present = [part for part in parts if part]
    if len(present) <= 1:
        return (present[0] if present else None), False
    if address.country != "CN":
        present.append(address.country)
    return ", ".join(present), True


def _bank(invoice: Invoice, context: _Context) -> tuple[str | None, str | None]:
    payment = invoice.payment_instructions
    if payment is None or not payment.credit_transfers:
        return None, None
    transfer = payment.credit_transfers[0]
    if transfer.service_provider:
        context.note(
            "BT-86",
            "approximated",
            f"the seller's bank is given by its BIC {transfer.service_provider}",
            f"销售方开户银行以 BIC {transfer.service_provider} 表示",
        )
    return transfer.service_provider or payment.means_text, transfer.account_id


def _note_fields(invoice: Invoice, context: _Context) -> NoteFields:
    fields = [parse_note(note.text) for note in invoice.notes]
    remarks = "\n".join(f.remarks for f in fields if f.remarks) or None
    if any(note.subject_code for note in invoice.notes):
        context.note(
            "BT-21", "lost", "invoice note subject codes are not kept", "发票附注主题代码不保留"
        )
    return NoteFields(
        kind=next((f.kind for f in fields if f.kind), None),
        drawer=next((f.drawer for f in fields if f.drawer), None),
        confirmation_number=next(
            (f.confirmation_number for f in fields if f.confirmation_number), None
        ),
        remarks=remarks,
    )


def _kind(stated: str | None, chosen: InvoiceKind | None, context: _Context) -> InvoiceKind:
    if stated in {kind.value for kind in InvoiceKind}:
        return InvoiceKind(stated)
    if chosen is not None:
        return chosen
    context.note(
        "kind",
        "info",
        "EN 16931 does not say special or ordinary VAT invoice: ordinary is used",
        "EN 16931 未区分专票与普票，按普通发票表示",
    )
    return InvoiceKind.ORDINARY


def _remarks(invoice: Invoice, remarks: str | None, context: _Context) -> str | None:
    lines = [remarks] if remarks else []
    for term, label, attribute in _REMARK_TERMS:
        value = getattr(invoice, attribute)
        if value:
            lines.append(f"{label}: {value}")
            context.note(
                term,
                "approximated",
                f"{term} is kept only as text in 备注",
                f"{term} 仅以文字保留在备注中",
            )
    if invoice.invoiced_object is not None:
        lines.append(f"开票对象 (invoiced object): {invoice.invoiced_object.value}")
        context.note(
            "BT-18",
            "approximated",
            "BT-18 is kept only as text in 备注",
            "BT-18 仅以文字保留在备注中",
        )
    period = invoice.invoice_period
    if period is not None and (period.start or period.end):
        lines.append(f"开票期间 (invoicing period): {period.start or ''} – {period.end or ''}")
        context.note(
            "BG-14",
            "approximated",
            "BG-14 is kept only as text in 备注",
            "BG-14 仅以文字保留在备注中",
        )
    return "\n".join(lines) or None


def _red_letter(
    invoice: Invoice, total_with_tax: Decimal, fields: NoteFields, context: _Context
) -> RedLetterReference | None:
    if total_with_tax >= 0:
        if invoice.preceding_invoices:
            context.note(
                "BG-3",
                "lost",
                "a positive invoice's preceding invoice reference has no fapiao field",
                "正数发票的前序发票引用无对应字段",
            )
        return None
    if not invoice.preceding_invoices:
        context.note(
            "BG-3",
            "lost",
            "a negative (red-letter) representation should name the "
            "invoice it reverses, but the source has no BG-3",
            "红字表示应注明被冲红的发票，但来源发票没有 BG-3",
        )
        return None
    first, *others = invoice.preceding_invoices
    if others:
        context.note(
            "BG-3", "lost", "only the first preceding invoice is kept", "仅保留第一张前序发票"
        )
    return RedLetterReference(
        original_invoice_number=first.number,
        original_issue_date=first.issue_date,
        confirmation_number=fields.confirmation_number,
    )


def _note_document_losses(invoice: Invoice, context: _Context) -> None:
    payment = invoice.payment_instructions
    lost: list[tuple[str, object, str]] = [
        ("BT-3", invoice.type_code not in ("380", "381"), f"invoice type {invoice.type_code}"),
        ("BT-6/BT-111", invoice.tax_currency, "VAT accounting currency and amount"),
        ("BT-7/BT-8", invoice.tax_point_date or invoice.tax_point_date_code, "tax point date"),
        ("BG-10", invoice.payee, "payee"),
        ("BG-11", invoice.tax_representative, "seller tax representative"),
        ("BG-13", invoice.delivery, "delivery information"),
        ("BG-24", invoice.supporting_documents, "additional supporting documents"),
        ("BT-113", invoice.totals and invoice.totals.prepaid, "paid amount"),
        ("BT-114", invoice.totals and invoice.totals.rounding, "rounding amount"),
        ("BT-81", payment and not payment.credit_transfers, "payment means other than transfer"),
        ("BT-83", payment and payment.remittance_information, "remittance information"),
        ("BG-18/BG-19", payment and (payment.card or payment.direct_debit), "card or debit"),
        ("BG-17", payment and len(payment.credit_transfers) > 1, "further bank accounts"),
    ]
    for term, present, what in lost:
        if present:
            context.note(
                term, "lost", f"{term} ({what}) has no fapiao field", f"{term}（{what}）无对应字段"
            )
