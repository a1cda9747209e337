"""E-commerce clearance pages over HTTP: the demo's synthetic orders on the board, the order with
its messages side by side, checks and tax steps, a return that credits the quota back (and bad
input that changes nothing), the quota view and the parcel screening form."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from digitrade.core.auth.principal import Principal
from digitrade.systems.ecommerce import demo
from digitrade.systems.ecommerce.models import BuyerQuota, ClearanceOrder
from digitrade.systems.ecommerce.service import submit_message
from tests.pages_support import csrf_of, sign_in
from tests.systems.ecommerce.support import VALID_BUYER, fixtures, synthetic_bytes

pytestmark = [pytest.mark.usefixtures("platform_log"), fixtures]


@pytest.fixture
def demo_orders(db, world, monkeypatch):
    """The e-commerce demo loaded into organisation A."""
    monkeypatch.setattr(demo, "DEMO_PLATFORM", "org-a")
    message = demo.load_demo(db, Principal.system("demo"))
    db.commit()
    orders = {
        row.order_no: row
        for row in db.scalars(
            select(ClearanceOrder).where(ClearanceOrder.organisation_id == world.org_a)
        )
    }
    return message, orders


def quota_total(db) -> str:
    db.expire_all()
    row = db.scalars(select(BuyerQuota).where(BuyerQuota.buyer_id == VALID_BUYER)).one()
    return f"{row.total:.2f}"


def test_demo_releases_the_synthetic_order_and_leaves_one_pending(demo_orders, db):
    message, orders = demo_orders
    assert "synthetic" in message and "illustrative" in message
    assert orders[demo.SYNTHETIC_ORDER].status == "released"
    assert orders[demo.PENDING_ORDER].status == "pending"
    assert quota_total(db) == "1220.00"


def test_demo_is_skipped_without_its_organisation(db):
    assert demo.load_demo(db, Principal.system("demo")).startswith("skipped")


def test_pages_need_an_account(client, world):
    for path in ("/ecommerce/", "/ecommerce/quota", "/ecommerce/orders/1"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code in (302, 303, 307), path
        assert "/login" in response.headers["location"]


def test_board_shows_orders_by_status_and_the_failing_check(client, db, world, demo_orders):
    # A third order whose payment does not match the amount paid: rejected on "amounts".
    for kind in ("CEB311", "CEB411", "CEB511", "CEB621"):
        data = demo.renumbered(synthetic_bytes(kind), "SYN202501010003", "PAY202501010003")
        if kind == "CEB411":
            data = data.replace(b">1501.32<", b">1500.00<")
        submit_message(db, actor=world.owner, organisation_id=world.org_a, data=data)
    db.commit()
    sign_in(client, "viewer@a.example")
    page = client.get("/ecommerce/")
    assert page.status_code == 200
    released = page.text.split('data-testid="status-released"')[1].split("</section>")[0]
    assert demo.SYNTHETIC_ORDER in released and "1,220.00" in released
    pending = page.text.split('data-testid="status-pending"')[1].split("</section>")[0]
    assert demo.PENDING_ORDER in pending and "2 / 4" in pending
    rejected = page.text.split('data-testid="status-rejected"')[1].split("</section>")[0]
    assert "SYN202501010003" in rejected
    assert 'class="finding-fatal"' in rejected and "Amounts" in rejected


def test_order_page_shows_messages_checks_and_the_tax_line_by_line(client, world, demo_orders):
    _, orders = demo_orders
    sign_in(client, "viewer@a.example")
    page = client.get(f"/ecommerce/orders/{orders[demo.SYNTHETIC_ORDER].id}")
    assert page.status_code == 200
    text = page.text
    for role in (
        "Order (CEB311)",
        "Payment (CEB411)",
        "Waybill (CEB511)",
        "Inventory list (CEB621)",
    ):
        assert role in text
    assert "YT0000000000001" in text and "PAY202501010001" in text
    assert "Buyer identity" in text and "Passed" in text
    assert "(1,220.00 + 0.00) / (1 − 0.15)" in text and "1,435.29" in text
    assert "1,435.29 × 0.15 × 0.7" in text and "150.71" in text
    assert "1,435.29 × 0.13 × 0.7" in text and "130.61" in text
    assert 'data-testid="tax-total">281.32<' in text
    # A viewer may read but not file a return.
    assert "File the return" not in text


def test_return_refuses_bad_input_then_credits_the_quota(client, db, world, demo_orders):
    _, orders = demo_orders
    order_id = orders[demo.SYNTHETIC_ORDER].id
    sign_in(client, "owner@a.example")
    url = f"/ecommerce/orders/{order_id}"
    assert "File the return" in client.get(url).text
    token = csrf_of(client, url)
    bad = client.post(
        f"{url}/returns",
        data={"csrf_token": token, "application_date": "not a date", "goods_category": "cosmetics"},
    )
    assert bad.status_code == 422
    assert 'id="form-error"' in bad.text and "not a date" in bad.text
    no_csrf = client.post(
        f"{url}/returns", data={"application_date": "2030-01-01", "goods_category": "cosmetics"}
    )
    assert 400 <= no_csrf.status_code < 500
    db.expire_all()
    assert db.get(ClearanceOrder, order_id).status == "released"
    assert quota_total(db) == "1220.00"

    filed = client.post(
        f"{url}/returns",
        data={"csrf_token": token, "application_date": "", "goods_category": "cosmetics"},
    )
    assert filed.status_code == 422  # the application date is required
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()  # release day, China
    accepted = client.post(
        f"{url}/returns",
        data={
            "csrf_token": token,
            "application_date": today,
            "goods_back_date": today,
            "goods_category": "cosmetics",
        },
        follow_redirects=False,
    )
    assert accepted.status_code == 303, accepted.text
    shown = client.get(accepted.headers["location"])
    assert "Return accepted" in shown.text and "1,220.00" in shown.text
    db.expire_all()
    assert db.get(ClearanceOrder, order_id).status == "returned"
    assert quota_total(db) == "0.00"
    again = client.post(
        f"{url}/returns",
        data={"csrf_token": token, "application_date": today, "goods_category": "cosmetics"},
    )
    assert again.status_code == 409


def test_quota_view_and_a_bad_identity_number(client, world, demo_orders):
    sign_in(client, "viewer@a.example")
    page = client.get(f"/ecommerce/quota?buyer_id={VALID_BUYER}&year=2025")
    assert page.status_code == 200
    assert 'data-chart="gauge"' in page.text and 'data-max="26000.00"' in page.text
    assert 'data-testid="quota-total">1,220.00<' in page.text
    assert 'data-testid="quota-remaining">24,780.00<' in page.text
    bad = client.get("/ecommerce/quota?buyer_id=123&year=2025")
    assert bad.status_code == 422 and 'id="form-error"' in bad.text
    bad_year = client.get(f"/ecommerce/quota?buyer_id={VALID_BUYER}&year=twenty")
    assert bad_year.status_code == 422


def test_screening_form_answers_per_item_and_parcel(client):
    token = csrf_of(client, "/ecommerce/screen")
    result = client.post(
        "/ecommerce/screen",
        data={
            "csrf_token": token,
            "ship_date": "2026-03-01",
            "channel": "cargo",
            "item1_kind": "lithium_metal_battery",
            "item1_configuration": "standalone",
            "item1_lithium_grams": "0.5",
            "item1_quantity": "2",
            "item2_kind": "perfume",
            "item2_volume_ml": "50",
            "item2_flash_point_c": "20",
        },
    )
    assert result.status_code == 200, result.text
    parcel = result.text.split('data-testid="parcel-result"')[1].split('data-testid="item-result"')[
        0
    ]
    assert "UN3090" in parcel and "UN1266" in parcel
    assert 'data-testid="passenger">Forbidden<' in parcel
    assert 'data-testid="cargo">Allowed<' in parcel
    assert result.text.count('data-testid="item-result"') == 2
    assert "Y341" in result.text


def test_screening_bad_input_comes_back_with_the_form(client):
    token = csrf_of(client, "/ecommerce/screen")
    empty = client.post("/ecommerce/screen", data={"csrf_token": token, "ship_date": "2026-03-01"})
    assert empty.status_code == 422 and 'id="form-error"' in empty.text
    bad = client.post(
        "/ecommerce/screen",
        data={
            "csrf_token": token,
            "ship_date": "2026-03-01",
            "item1_kind": "perfume",
            "item1_volume_ml": "lots",
        },
    )
    assert bad.status_code == 422 and 'value="lots"' in bad.text
    assert client.post("/ecommerce/screen", data={"item1_kind": "perfume"}).status_code in (
        400,
        403,
    )


def test_board_in_chinese(client, world, demo_orders):
    sign_in(client, "viewer@a.example")
    page = client.get("/ecommerce/?lang=zh-Hans")
    assert page.status_code == 200
    assert "跨境电商通关" in page.text


def test_order_page_shows_the_receipts_and_the_bonded_drawdown(client, world, demo_orders):
    _, orders = demo_orders
    sign_in(client, "viewer@a.example")
    text = client.get(f"/ecommerce/orders/{orders[demo.SYNTHETIC_ORDER].id}").text
    receipts = text.split('data-testid="receipts"')[1].split("</table>")[0]
    for receipt in ("CEB312", "CEB412", "CEB512", "CEB622"):
        assert receipt in receipts
    assert "800 released" in receipts and "released; tax 281.32" in receipts
    assert 'data-testid="bonded-drawdown"' in text and "SKU-FC-50G × 2" in text
    order_id = orders[demo.SYNTHETIC_ORDER].id
    bill = text.split('data-testid="tax-bill"')[1].split("</p>")[0]
    assert f"/api/ecommerce/orders/{order_id}/tax-bill" in bill
    # The viewer's browser session reads the bill the page links to.
    xml = client.get(f"/api/ecommerce/orders/{order_id}/tax-bill")
    assert xml.status_code == 200 and b"<ceb:CEB816Message" in xml.content
    pending = client.get(f"/ecommerce/orders/{orders[demo.PENDING_ORDER].id}").text
    assert "accepted; waiting for CEB511, CEB621" in pending
    assert 'data-testid="tax-bill"' not in pending


def test_a_held_order_is_on_the_board_with_its_reason(client, db, world, demo_orders):
    for kind in ("CEB311", "CEB411", "CEB511", "CEB621"):
        data = demo.renumbered(synthetic_bytes(kind), "SYN202501010004", "PAY202501010004")
        data = data.replace(b"<ceb:emsNo>T2200W000001<", b"<ceb:emsNo>T2200W000009<")
        submit_message(db, actor=world.owner, organisation_id=world.org_a, data=data)
    db.commit()
    sign_in(client, "viewer@a.example")
    board = client.get("/ecommerce/").text
    held = board.split('data-testid="status-held"')[1].split("</section>")[0]
    assert "SYN202501010004" in held
    order = db.scalars(
        select(ClearanceOrder).where(ClearanceOrder.order_no == "SYN202501010004")
    ).one()
    page = client.get(f"/ecommerce/orders/{order.id}").text
    assert 'data-testid="hold"' in page and "T2200W000009" in page


def test_bonded_page_lists_lots_movements_and_runs_a_stock_take(client, world, demo_orders):
    sign_in(client, "viewer@a.example")
    page = client.get("/ecommerce/bonded")
    assert page.status_code == 200
    lots = page.text.split('data-testid="lots"')[1].split("</table>")[0]
    assert demo.DEMO_BOOK in lots and "SKU-FC-50G" in lots and ">98<" in lots
    movements = page.text.split('data-testid="movements"')[1].split("</table>")[0]
    assert "Release" in movements and demo.SYNTHETIC_ORDER in movements and ">-2<" in movements
    assert "Goods received" in movements and ">100<" in movements
    url = f"/ecommerce/bonded?organisation_id={world.org_a}&book_no={demo.DEMO_BOOK}"
    chosen = client.get(url)
    match = re.search(r'name="(count_\d+)"', chosen.text)
    assert match
    token = csrf_of(client, url)
    taken = client.post(
        "/ecommerce/bonded/stock-take",
        data={
            "csrf_token": token,
            "organisation_id": str(world.org_a),
            "book_no": demo.DEMO_BOOK,
            match.group(1): "97",
        },
    )
    assert taken.status_code == 200, taken.text
    report = taken.text.split('data-testid="stock-take"')[1].split("</div>")[0]
    assert "agrees with its journal" in report and "Differences: 1" in report
    bad = client.post(
        "/ecommerce/bonded/stock-take",
        data={
            "csrf_token": token,
            "organisation_id": str(world.org_a),
            "book_no": demo.DEMO_BOOK,
            match.group(1): "many",
        },
    )
    assert bad.status_code == 422 and "whole number" in bad.text
    zh = client.get("/ecommerce/bonded", headers={"accept-language": "zh-CN"})
    assert zh.status_code == 200


def test_bonded_page_needs_an_account(client, world):
    response = client.get("/ecommerce/bonded", follow_redirects=False)
    assert response.status_code in (302, 303, 307)


# The engines' sentences in Chinese ------------------------------------------------------------


def test_order_page_in_chinese_shows_the_checks_in_chinese(client, world, demo_orders):
    _, orders = demo_orders
    sign_in(client, "viewer@a.example")
    url = f"/ecommerce/orders/{orders[demo.SYNTHETIC_ORDER].id}"
    chinese = client.get(f"{url}?lang=zh-Hans").text
    assert "清单的订购人即订单的订购人，居民身份证号码格式正确" in chinese
    assert "完税价格 1220.00，年度累计交易额 1220.00" in chinese
    assert "高档化妆品：每克人民币 12.00 元 &gt;= 人民币 10 元" in chinese
    assert "the list&#39;s buyer is the order&#39;s buyer" not in chinese
    english = client.get(f"{url}?lang=en").text
    assert "the list&#39;s buyer is the order&#39;s buyer" in english
    assert "清单的订购人" not in english
    pending = client.get(f"/ecommerce/orders/{orders[demo.PENDING_ORDER].id}?lang=zh-Hans").text
    assert "等待运单（CEB511）" in pending


def test_board_and_held_order_in_chinese(client, db, world, demo_orders):
    for kind in ("CEB311", "CEB411", "CEB511", "CEB621"):
        data = demo.renumbered(synthetic_bytes(kind), "SYN202501010005", "PAY202501010005")
        if kind == "CEB411":
            data = data.replace(b">1501.32<", b">1500.00<")
        submit_message(db, actor=world.owner, organisation_id=world.org_a, data=data)
    for kind in ("CEB311", "CEB411", "CEB511", "CEB621"):
        data = demo.renumbered(synthetic_bytes(kind), "SYN202501010006", "PAY202501010006")
        data = data.replace(b"<ceb:emsNo>T2200W000001<", b"<ceb:emsNo>T2200W000009<")
        submit_message(db, actor=world.owner, organisation_id=world.org_a, data=data)
    db.commit()
    sign_in(client, "viewer@a.example")
    board = client.get("/ecommerce/?lang=zh-Hans").text
    rejected = board.split('data-testid="status-rejected"')[1].split("</section>")[0]
    assert "支付金额不一致：订单 1501.32，支付单 1500.00" in rejected
    held = db.scalars(
        select(ClearanceOrder).where(ClearanceOrder.order_no == "SYN202501010006")
    ).one()
    page = client.get(f"/ecommerce/orders/{held.id}?lang=zh-Hans").text
    hold = page.split('data-testid="hold"')[1].split("</div>")[0]
    assert "账册 T2200W000009" in hold and "现有库存 0" in hold and "不能出库 2" in hold


def test_return_decision_in_chinese(client, db, world, demo_orders):
    _, orders = demo_orders
    order_id = orders[demo.SYNTHETIC_ORDER].id
    sign_in(client, "owner@a.example")
    url = f"/ecommerce/orders/{order_id}"
    client.get(f"{url}?lang=zh-Hans")  # the language is remembered
    token = csrf_of(client, url)
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    late = (today + dt.timedelta(days=40)).isoformat()
    refused = client.post(
        f"{url}/returns",
        data={"csrf_token": token, "application_date": late, "goods_category": "cosmetics"},
    )
    decision = refused.text.split('data-testid="return-decision"')[1].split("</div>")[0]
    assert "于放行后第 40 日申请；退货应在放行之日起 30 日内申请" in decision
    assert "退货商品尚未运抵" in decision
    assert "applied on day" not in decision
    db.expire_all()
    assert db.get(ClearanceOrder, order_id).status == "released"


def test_screening_page_in_chinese(client):
    client.get("/ecommerce/screen?lang=zh-Hans")
    token = csrf_of(client, "/ecommerce/screen")
    form = {
        "csrf_token": token,
        "ship_date": "2026-03-01",
        "channel": "cargo",
        "item1_kind": "lithium_ion_battery",
        "item1_configuration": "standalone",
        "item1_watt_hours": "20",
        "item1_state_of_charge": "25",
        "item1_quantity": "1",
    }
    chinese = client.post("/ecommerce/screen", data=form)
    assert chinese.status_code == 200, chinese.text
    assert "单独运输的锂离子电池（20 Wh）：第9类，仅限货机（包装说明 PI 965）" in chinese.text
    client.get("/ecommerce/screen?lang=en")
    english = client.post(
        "/ecommerce/screen", data={**form, "csrf_token": csrf_of(client, "/ecommerce/screen")}
    )
    assert "lithium ion battery of 20 Wh alone: Class 9, cargo aircraft only" in english.text
    assert "单独运输" not in english.text


def test_an_invalid_upload_is_explained_in_chinese(client, world):
    sign_in(client, "owner@a.example")
    data = synthetic_bytes("CEB311").replace(
        b"<ceb:goodsValue>1200.00<", b"<ceb:goodsValue>1100.00<"
    )
    for language, says in (
        ("zh-Hans", "报文有错误"),
        ("en", "the message has errors"),
    ):
        client.get(f"/ecommerce/?lang={language}")
        response = client.post(
            "/ecommerce/messages",
            data={"csrf_token": csrf_of(client, "/ecommerce/"), "organisation_id": world.org_a},
            files={"file": ("m.xml", data, "application/xml")},
        )
        assert response.status_code == 422, response.text
        error = response.text.split('role="alert"')[1].split("</div>")[0]
        assert says in error
        if language == "zh-Hans":
            assert (
                "商品价格 goodsValue 1100.00 不等于 OrderList 总价 totalPrice 之和 1200.00" in error
            )


def test_tax_settlement_page(client, db, world, demo_orders):
    sign_in(client, "owner@a.example")
    page = client.get(f"/ecommerce/settlement?organisation_id={world.org_a}&as_of=2026-02-01")
    assert page.status_code == 200
    assert 'data-testid="settlement-totals"' in page.text
    assert "Payable (days 31-45)" in page.text
    chinese = client.get(
        f"/ecommerce/settlement?organisation_id={world.org_a}&as_of=2026-02-01&lang=zh-Hans"
    )
    assert "应缴（第 31–45 日）" in chinese.text
    bad = client.get(f"/ecommerce/settlement?organisation_id={world.org_a}&as_of=soon")
    assert bad.status_code == 422
    assert 'id="form-error"' in bad.text


def test_board_shows_where_receipts_go(client, db, world, demo_orders):
    from digitrade.systems.ecommerce import service
    from digitrade.systems.ecommerce.schemas import ReceiptEndpointWrite

    sign_in(client, "viewer@a.example")
    section = 'data-testid="receipt-delivery"'
    page = client.get("/ecommerce/").text.split(section)[1].split("</section>")[0]
    assert "/api/ecommerce/receipts" in page  # no endpoint: the feed
    service.put_receipt_endpoint(
        db,
        actor=world.owner,
        organisation_id=world.org_a,
        data=ReceiptEndpointWrite(url="https://platform.example/ceb/inbox", from_start=True),
    )
    db.commit()
    page = client.get("/ecommerce/").text.split(section)[1].split("</section>")[0]
    assert "https://platform.example/ceb/inbox" in page
    waiting = page.split("Receipts waiting")[1].split("</dd>")[0]
    assert int(re.sub(r"\D", "", waiting)) > 0
    chinese = client.get("/ecommerce/?lang=zh-Hans").text.split(section)[1].split("</section>")[0]
    assert "回执推送" in chinese and "待推送回执" in chinese
