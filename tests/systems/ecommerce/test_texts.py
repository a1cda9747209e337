"""The engines' sentences in English and Chinese: every template has both languages, every key
the engines use has a template, every reason and check detail comes with its Chinese, numbers
read the same in both, and the JSON contracts keep their fields."""

from __future__ import annotations

import re
import string
from decimal import Decimal
from pathlib import Path

import pytest

from digitrade.systems.ecommerce import texts
from digitrade.systems.ecommerce.ceb import read_message
from digitrade.systems.ecommerce.dangerous_goods import screen_air
from digitrade.systems.ecommerce.matching import (
    ROLE_MESSAGE,
    MatchingContext,
    check_orders,
    document_for,
)
from digitrade.systems.ecommerce.returns import check_return
from digitrade.systems.ecommerce.tax import assess_order
from tests.systems.ecommerce.support import (
    ASSESS_ORDER_FIELDS,
    FACE_CREAM,
    WORKED_EXAMPLE,
    fixtures,
    item,
    order,
    synthetic_bytes,
)

pytestmark = fixtures

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Chinese characters or full-width punctuation: a template may be only placeholders and marks.
CHINESE_WRITING = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
SOURCE = Path(texts.__file__).parent
KEY_USE = re.compile(r"""(?:Reason\.of\(\s*[^,]+,\s*|render\(\s*)"([a-z0-9_.]+)\"""")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(texts.TEMPLATES))
def test_every_template_has_both_languages(key):
    text = texts.TEMPLATES[key]
    assert text.en.strip() and text.zh.strip(), key
    assert placeholders(text.en) == placeholders(text.zh), key
    if text.en != text.zh:  # a template of codes alone reads the same in both
        assert CHINESE_WRITING.search(text.zh), key


def test_every_key_the_engines_use_has_a_template():
    used: dict[str, str] = {}
    literals: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if path.name == "texts.py":
            continue
        source = path.read_text(encoding="utf-8")
        for key in KEY_USE.findall(source):
            used[key] = path.name
        literals.update(re.findall(r'"([a-z0-9_.]+)"', source))
    assert len(used) > 60
    missing = {key: where for key, where in used.items() if key not in texts.TEMPLATES}
    assert not missing, missing
    unused = set(texts.TEMPLATES) - literals
    assert not unused, unused


def test_a_missing_template_fails_loudly():
    with pytest.raises(KeyError):
        texts.render("no.such.reason")


def assert_bilingual(reasons):
    assert reasons
    for reason in reasons:
        assert set(reason) == {"code", "message", "message_zh"}, reason
        assert CHINESE.search(reason["message_zh"]), reason
        # Money, counts and dates read the same in both languages.
        for number in NUMBER.findall(reason["message"]):
            if number.replace(",", "").isdigit() and len(number) == 1:
                continue  # a lone digit ("Class 9") may be worded differently
            assert number in reason["message_zh"], (number, reason)


# Tax ----------------------------------------------------------------------------------------


def two_items(total: str) -> dict:
    half = str(Decimal(total) / 2)
    return order(item(sku="A", unit_price=half), item(sku="B", unit_price=half))


@pytest.mark.parametrize(
    ("request_", "code", "phrase"),
    [
        (two_items("5000.02"), "over_transaction_limit", "单次交易限值"),
        (order(annual_total_before="25950.00"), "over_annual_limit", "年度交易限值"),
        (order(item(unit_price="6000.00")), "single_item_full_tax", "全额征收关税"),
        (order(item(on_positive_list=False)), "not_on_positive_list", "跨境电子商务零售进口"),
        (order(buyer_id="110101200001010003"), "buyer_id_invalid", "订购人"),
    ],
)
def test_tax_reasons_in_both_languages(request_, code, phrase):
    result = assess_order(request_).as_dict()
    assert [reason["code"] for reason in result["reasons"]] == [code]
    assert_bilingual(result["reasons"])
    assert phrase in result["reasons"][0]["message_zh"]


def test_tax_contract_keeps_its_fields():
    result = assess_order(WORKED_EXAMPLE).as_dict()
    assert set(result) == ASSESS_ORDER_FIELDS
    line = result["lines"][0]
    assert line["excise_basis"] == "high-end cosmetics at RMB 12.00 per g >= RMB 10"
    assert line["excise_basis_zh"] == "高档化妆品：每克人民币 12.00 元 >= 人民币 10 元"
    assert FACE_CREAM["sku"] == line["sku"]


# Returns ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"application_date": "2025-02-05"},
        {"goods_back_date": None},
        {"goods_back_date": "2025-02-20"},
        {
            "direction": "export",
            "release_date": "2024-03-01",
            "application_date": "2024-05-01",
            "goods_back_date": "2024-05-10",
        },
        {
            "direction": "export",
            "release_date": "2026-03-01",
            "application_date": "2026-05-01",
            "goods_back_date": "2026-05-10",
        },
        {
            "direction": "export",
            "release_date": "2024-03-01",
            "application_date": "2024-12-01",
            "goods_back_date": "2024-12-10",
        },
        {
            "direction": "export",
            "release_date": "2022-03-01",
            "application_date": "2022-05-01",
            "goods_back_date": "2022-05-10",
        },
        {
            "direction": "export",
            "release_date": "2024-03-01",
            "application_date": "2025-05-01",
            "goods_back_date": "2025-05-10",
            "goods_category": "食品",
        },
    ],
)
def test_return_reasons_in_both_languages(fields):
    request = {
        "direction": "import",
        "release_date": "2025-01-01",
        "application_date": "2025-01-15",
        "goods_back_date": "2025-01-20",
        "goods_category": "cosmetics",
        **fields,
    }
    result = check_return(request).as_dict()
    assert set(result) == {"accepted", "tax_relief", "reasons"}
    assert_bilingual(result["reasons"])


def test_an_accepted_import_return_in_chinese():
    result = check_return(
        {
            "direction": "import",
            "release_date": "2025-01-01",
            "application_date": "2025-01-15",
            "goods_back_date": "2025-01-20",
            "goods_category": "cosmetics",
        }
    ).as_dict()
    assert result["reasons"][0]["message"] == (
        "applied on day 14 and goods back on day 19 after release, within 30 and 45 days "
        "(GAC 2020 No.45)"
    )
    assert result["reasons"][0]["message_zh"] == (
        "于放行后第 14 日申请退货、第 19 日退货商品运抵，在 30 日和 45 日期限内"
        "（海关总署公告2020年第45号）"
    )


# Screening ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "items",
    [
        [{"kind": "lithium_ion_battery", "configuration": "standalone", "watt_hours": "20"}],
        [
            {
                "kind": "lithium_ion_battery",
                "configuration": "standalone",
                "watt_hours": "20",
                "state_of_charge": "50",
            }
        ],
        [
            {
                "kind": "lithium_ion_battery",
                "configuration": "packed_with_equipment",
                "watt_hours": "20",
                "quantity": 5,
            }
        ],
        [
            {
                "kind": "lithium_ion_battery",
                "configuration": "contained_in_equipment",
                "watt_hours": "20",
                "state_of_charge": "80",
            }
        ],
        [{"kind": "lithium_metal_battery", "configuration": "standalone", "lithium_grams": "1"}],
        [
            {
                "kind": "lithium_metal_battery",
                "configuration": "packed_with_equipment",
                "lithium_grams": "1",
            }
        ],
        [{"kind": "magnetized_material", "field_strength_2_1m": "0.1"}],
        [{"kind": "magnetized_material", "field_strength_2_1m": "1"}],
        [
            {
                "kind": "magnetized_material",
                "field_strength_2_1m": "1",
                "field_strength_4_6m": "0.5",
            }
        ],
        [{"kind": "perfume", "volume_ml": "100"}],
        [{"kind": "perfume", "volume_ml": "100", "flash_point_c": "70"}],
        [{"kind": "perfume", "volume_ml": "5000", "flash_point_c": "20", "quantity": 20}],
        [
            {"kind": "perfume", "volume_ml": "30", "flash_point_c": "20", "quantity": 20},
            {"kind": "perfume", "volume_ml": "30", "flash_point_c": "20", "quantity": 20},
        ],
        [{"kind": "aerosol", "volume_ml": "200"}],
        [{"kind": "aerosol", "volume_ml": "2000"}],
        [{"kind": "other"}],
    ],
)
def test_screening_reasons_in_both_languages(items):
    result = screen_air({"ship_date": "2026-03-01", "items": items}).as_dict()
    for screened in result["items"]:
        assert_bilingual(screened["reasons"])
    for reason in result["parcel"]["reasons"]:
        assert CHINESE.search(reason["message_zh"]), reason


def test_a_standalone_power_bank_in_chinese():
    result = screen_air(
        {
            "ship_date": "2026-03-01",
            "items": [
                {"kind": "lithium_ion_battery", "configuration": "standalone", "watt_hours": "20"}
            ],
        }
    ).as_dict()
    reason = result["items"][0]["reasons"][0]
    assert reason["message"] == "lithium ion battery of 20 Wh alone: Class 9, cargo aircraft only"
    assert (
        reason["message_zh"] == "单独运输的锂离子电池（20 Wh）：第9类，仅限货机（包装说明 PI 965）"
    )
    assert set(result["items"][0]) >= {"un_number", "packing_instruction", "reasons", "refused"}


def test_mail_and_later_editions_in_chinese():
    result = screen_air(
        {
            "ship_date": "2030-01-01",
            "channel": "mail",
            "items": [{"kind": "perfume", "volume_ml": "50"}],
        }
    ).as_dict()
    codes = {reason["code"]: reason for reason in result["items"][0]["reasons"]}
    assert "邮件" in codes["not_by_mail"]["message_zh"]
    parcel = {reason["code"]: reason for reason in result["parcel"]["reasons"]}
    assert "edition_assumed" in parcel and "item_refused" in parcel
    assert_bilingual(result["parcel"]["reasons"])


# Matching -----------------------------------------------------------------------------------


def documents(drop=()):
    found = {
        role: document_for(role, read_message(synthetic_bytes(message_type)))
        for role, message_type in ROLE_MESSAGE.items()
    }
    for role in drop:
        found[role] = None
    return found


@pytest.mark.parametrize(
    ("context", "drop"),
    [
        (
            MatchingContext(
                expected_tax=Decimal("281.32"),
                annual_total_before=Decimal("0"),
                registered_enterprises=frozenset({f"310000000{n}" for n in range(1, 7)}),
            ),
            (),
        ),
        (MatchingContext(), ()),
        (MatchingContext(), ("payment", "waybill")),
        (MatchingContext(annual_total_before=Decimal("25900")), ("inventory",)),
    ],
)
def test_every_check_detail_in_both_languages(context, drop):
    found = documents(drop)
    result = check_orders(
        found["order"], found["payment"], found["waybill"], found["inventory"], context=context
    ).as_dict()
    assert set(result) == {"released", "status", "return_status", "checks"}
    for check in result["checks"]:
        assert set(check) == {"name", "passed", "detail", "detail_zh"}
        if check["detail"]:
            assert CHINESE.search(check["detail_zh"]), check
            for number in NUMBER.findall(check["detail"]):
                if len(number) > 1:
                    assert number in check["detail_zh"], (number, check)


def test_a_pending_check_names_the_missing_messages_in_chinese():
    found = documents(("payment",))
    result = check_orders(
        found["order"], found["payment"], found["waybill"], found["inventory"]
    ).as_dict()
    amounts = next(check for check in result["checks"] if check["name"] == "amounts")
    assert amounts["detail"] == "waiting for the payment (CEB411)"
    assert amounts["detail_zh"] == "等待支付单（CEB411）"


# CEB validation -----------------------------------------------------------------------------


def test_ceb_validation_findings_in_both_languages():
    from digitrade.systems.ecommerce.ceb import validate_message

    data = synthetic_bytes("CEB311")
    for old, new in (
        (b"<ceb:goodsValue>1200.00<", b"<ceb:goodsValue>1100.00<"),
        (b"<ceb:buyerIdNumber>", b"<ceb:buyerIdNumber>X"),
        (b"<ceb:appType>1<", b"<ceb:appType>7<"),
    ):
        assert old in data, old
        data = data.replace(old, new, 1)
    report = validate_message(data).as_dict()
    assert report["valid"] is False
    assert set(report) == {"message_type", "guid", "valid", "documents", "issues"}
    assert len(report["issues"]) >= 2
    for issue in report["issues"]:
        assert set(issue) == {"field", "message", "severity", "message_zh"}
        assert CHINESE.search(issue["message_zh"]), issue


def test_every_field_format_hint_has_its_chinese():
    from digitrade.systems.ecommerce.ceb.spec import BASE_TRANSFER, GUID, SPECS

    hints = {GUID.pattern_hint} | {f.pattern_hint for f in BASE_TRANSFER if f.pattern_hint}
    for spec in SPECS.values():
        hints |= {f.pattern_hint for f in (*spec.head_fields, *spec.list_fields) if f.pattern_hint}
    assert hints and hints <= set(texts.PATTERN_HINTS)
