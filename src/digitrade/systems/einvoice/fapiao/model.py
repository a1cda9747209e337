"""China's fully digitalised e-invoice (全面数字化的电子发票, 数电票) as typed Python objects.

The fields are the items printed on the invoice, in STA's list: 发票号码、开票日期、
购买方信息、销售方信息、项目名称、规格型号、单位、数量、单价、金额、税率/征收率、
税额、合计、价税合计（大写、小写）、备注、开票人. Every field names its Chinese term.
Amounts are ``Decimal`` yuan; rates are percentages (13 for 13 %), as in EN 16931.
A red-letter (negative) invoice carries negative amounts, as the platform issues it.

The model only refuses what cannot be a fapiao at all (a malformed 20-digit number, a rate without a
kind). Whether the numbers add up is for ``consistency.check_consistency``, which reports findings
instead of refusing, so that a flawed file can still be read and shown.

A ``FullyDigitalInvoice`` with ``representation`` set was converted from another document: it is
not a fapiao, has no number, and says so in every format it is written to.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from digitrade.systems.einvoice.fapiao.uscc import TaxpayerIdKind, classify_taxpayer_id

# Fapiao times are Beijing time; the platform writes them without an offset.
CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "CST")

# GB/T 2260 province-level codes, the first two digits of an administrative division code.
# The number's digits 3-4 may also be a separately planned city's code (计划单列市), which STA
# assigns and which this table does not know.
PROVINCE_CODES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省",
    "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省",
    "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
}  # fmt: skip

_INVOICE_NUMBER = re.compile(r"^\d{20}$")
# 项目名称 starts with the short name of its tax classification between asterisks.
_SHORT_NAME = re.compile(r"^[*＊]([^*＊]+)[*＊](.*)$", re.DOTALL)


class InvoiceNumberParts(NamedTuple):
    """The parts of a 20-digit fapiao number (发票号码)."""

    year: int
    """Digits 1-2: the last two digits of the calendar year of issue."""
    region_code: str
    """Digits 3-4: province, autonomous region, municipality or separately planned city."""
    region_name: str | None
    """The province of ``region_code`` when it is a GB/T 2260 province code."""
    channel: str
    """Digit 5: the issuance channel and similar information (values not published)."""
    sequence: str
    """Digits 6-20: the sequence number."""


def invoice_number_parts(number: str) -> InvoiceNumberParts:
    if not _INVOICE_NUMBER.match(number):
        raise ValueError(f"{number!r} is not a fapiao number: it has 20 digits")
    return InvoiceNumberParts(
        year=2000 + int(number[:2]),
        region_code=number[2:4],
        region_name=PROVINCE_CODES.get(number[2:4]),
        channel=number[4],
        sequence=number[5:],
    )


def _check_invoice_number(number: str) -> str:
    invoice_number_parts(number)
    return number


def _blank_to_none(value: object) -> object:
    """Files leave optional fields as empty elements: empty and blank text mean "not given"."""
    if isinstance(value, str):
        return value.strip() or None
    return value


InvoiceNumber = Annotated[str, AfterValidator(_check_invoice_number)]
# Surrounding blanks carry nothing on a fapiao, and the XML reader drops them.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
OptionalText = Annotated[str | None, BeforeValidator(_blank_to_none)]


class Term(BaseModel):
    """Base of the fapiao objects: unknown fields are errors, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class InvoiceKind(StrEnum):
    """票种: the two VAT kinds of fully digitalised e-invoice."""

    SPECIAL_VAT = "电子发票（增值税专用发票）"
    """Lets a general VAT taxpayer buyer deduct the input VAT."""
    ORDINARY = "电子发票（普通发票）"


class RateKind(StrEnum):
    """What the 税率/征收率 column shows."""

    PERCENT = "percent"
    """A rate (税率) or a simplified levy rate (征收率), 0 % included."""
    EXEMPT = "免税"
    NOT_TAXABLE = "不征税"


class FapiaoParty(Term):
    """销售方信息 / 购买方信息."""

    name: Text = Field(description="名称")
    tax_id: OptionalText = Field(
        default=None, description="统一社会信用代码/纳税人识别号 (taxpayer identification number)"
    )
    address: OptionalText = Field(default=None, description="地址")
    telephone: OptionalText = Field(default=None, description="电话")
    bank_name: OptionalText = Field(default=None, description="开户银行")
    bank_account: OptionalText = Field(default=None, description="银行账号")

    @property
    def tax_id_kind(self) -> TaxpayerIdKind | None:
        return classify_taxpayer_id(self.tax_id) if self.tax_id else None


class FapiaoLine(Term):
    """One item line (IssuItemInformation)."""

    item_name: Text = Field(description="项目名称, as printed: *简称*名称")
    specification: OptionalText = Field(default=None, description="规格型号")
    unit: OptionalText = Field(default=None, description="单位 (free text)")
    quantity: Decimal | None = Field(default=None, description="数量")
    unit_price: Decimal | None = Field(default=None, description="单价 (without VAT)")
    amount: Decimal = Field(description="金额 (without VAT)")
    rate_kind: RateKind = Field(default=RateKind.PERCENT, description="税率/征收率 kind")
    tax_rate: Decimal | None = Field(default=None, description="税率/征收率 in percent")
    tax_amount: Decimal = Field(description="税额")
    tax_classification_code: OptionalText = Field(
        default=None, description="税收分类编码 (商品和服务税收分类编码, 19 digits)"
    )

    @model_validator(mode="after")
    def _rate_matches_kind(self) -> FapiaoLine:
        if self.rate_kind is RateKind.PERCENT and self.tax_rate is None:
            raise ValueError("a line taxed at a rate needs the rate (税率/征收率)")
        if self.rate_kind is not RateKind.PERCENT and self.tax_rate is not None:
            raise ValueError(f"a {self.rate_kind.value} line has no rate")
        return self

    @property
    def short_name(self) -> str | None:
        """The tax classification short name (简称): 信息技术服务 in *信息技术服务*软件开发."""
        match = _SHORT_NAME.match(self.item_name)
        return match.group(1) if match else None

    @property
    def plain_name(self) -> str:
        """The item name without its *简称* prefix."""
        match = _SHORT_NAME.match(self.item_name)
        return (match.group(2) or match.group(1)) if match else self.item_name

    @property
    def tax_rate_label(self) -> str:
        """The 税率/征收率 column as printed: 13%, 1.5%, 0%, 免税, 不征税."""
        if self.tax_rate is None:
            return self.rate_kind.value
        return f"{self.tax_rate.normalize():f}%"


def compose_item_name(short_name: str | None, name: str) -> str:
    """项目名称 from a short name and a name: ``*信息技术服务*软件开发``."""
    return f"*{short_name}*{name}" if short_name else name


class RedLetterReference(Term):
    """The blue fapiao a red-letter (negative) fapiao reverses (SpecificInformation/RedEInvoice)."""

    original_invoice_number: Text = Field(description="被红冲蓝字数电票号码")
    original_issue_date: dt.date | None = Field(default=None, description="蓝字发票开票日期")
    confirmation_number: str | None = Field(
        default=None, description="红字发票信息确认单编号 (red-letter confirmation form)"
    )


REPRESENTATION_STATEMENT_EN = (
    "Representation of an EN 16931 invoice in the layout of a fully digitalised e-invoice. It is "
    "not a fapiao: only the tax authority's e-invoice service platform issues fapiao and their "
    "numbers."
)
REPRESENTATION_STATEMENT_ZH = (
    "本文件是按数电票格式对一张 EN 16931 发票的转换表示，不是发票：发票及其号码只能由税务机关的"
    "电子发票服务平台开具和赋予。"
)


class Representation(Term):
    """Marks a converted document: where it comes from, and that it is not an issued fapiao."""

    source_standard: str = Field(default="EN 16931", description="来源单据标准")
    source_number: Text = Field(description="来源单据号码 (BT-1)")
    source_type_code: str | None = Field(default=None, description="来源单据类型 (BT-3)")
    source_currency: str = Field(description="来源单据币种 (BT-5)")
    exchange_rate: Decimal | None = Field(
        default=None, gt=0, description="汇率: CNY per unit of the source currency"
    )
    amounts_currency: str = Field(
        default="CNY", description="金额币种: CNY, or the source currency when no rate was given"
    )
    statement_en: str = REPRESENTATION_STATEMENT_EN
    statement_zh: str = REPRESENTATION_STATEMENT_ZH


class FullyDigitalInvoice(Term):
    """全面数字化的电子发票 (数电票), or a representation of another invoice in its layout."""

    number: InvoiceNumber | None = Field(
        default=None, description="发票号码 (20 digits; none for a representation)"
    )
    issued_at: dt.datetime = Field(description="开票日期 (Beijing time)")
    kind: InvoiceKind = Field(description="票种")
    seller: FapiaoParty = Field(description="销售方信息")
    buyer: FapiaoParty = Field(description="购买方信息")
    lines: list[FapiaoLine] = Field(min_length=1, description="项目 (IssuItemInformation)")
    total_amount: Decimal = Field(description="合计金额")
    total_tax: Decimal = Field(description="合计税额")
    total_with_tax: Decimal = Field(description="价税合计（小写）")
    total_with_tax_in_words: Text = Field(description="价税合计（大写）")
    remarks: OptionalText = Field(default=None, description="备注")
    drawer: OptionalText = Field(default=None, description="开票人")
    red_letter: RedLetterReference | None = Field(
        default=None, description="红字发票信息: set on a red-letter fapiao"
    )
    tax_bureau_code: OptionalText = Field(default=None, description="税务机关代码")
    tax_bureau_name: OptionalText = Field(default=None, description="税务机关名称")
    einvoice_tag: OptionalText = Field(
        default=None, description="EInvoiceTag as the file states it"
    )
    format_version: OptionalText = Field(default=None, description="Version as the file states it")
    representation: Representation | None = Field(
        default=None, description="Set when converted from another document: not a fapiao"
    )

    @field_validator("issued_at")
    @classmethod
    def _beijing_time(cls, value: dt.datetime) -> dt.datetime:
        return value.replace(tzinfo=CHINA_TIME) if value.tzinfo is None else value

    @model_validator(mode="after")
    def _number_matches_status(self) -> FullyDigitalInvoice:
        if self.representation is None and self.number is None:
            raise ValueError("an issued fapiao has a 20-digit number (发票号码)")
        if self.representation is not None and self.number is not None:
            raise ValueError("a representation has no fapiao number: the platform assigns it")
        return self

    @property
    def is_issued(self) -> bool:
        """Issued by the platform, as opposed to a representation converted from elsewhere."""
        return self.representation is None

    @property
    def is_red_letter(self) -> bool:
        return self.red_letter is not None

    @property
    def number_parts(self) -> InvoiceNumberParts | None:
        return invoice_number_parts(self.number) if self.number else None

    @property
    def issue_date(self) -> dt.date:
        """The date of issue in Beijing time."""
        return self.issued_at.astimezone(CHINA_TIME).date()
