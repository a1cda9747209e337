"""The ledger explorer pages (the in-browser verification runs in tests/browser)."""

from __future__ import annotations

from digitrade.core.ledger import service
from tests.core.ledger.conftest import KEK


def fill(db, log: str, n: int) -> None:
    service.append_many(
        db,
        [
            service.NewEntry(
                "core.attestation",
                {"subject": f"BL-{i}", "statement": "issued"},
                submitter="user:7",
            )
            for i in range(n)
        ],
        log=log,
    )
    service.publish_checkpoint(db, log=log, kek=KEK)
    db.commit()


def test_logs_and_log_page(client, db, platform_log):
    fill(db, platform_log, 30)
    logs = client.get("/ledger/")
    assert logs.status_code == 200
    assert "ledger.test.example/platform" in logs.text
    page = client.get(f"/ledger/{platform_log}")
    assert 'data-testid="tree-size">30<' in page.text
    assert "\u2014 ledger.test.example/platform " in page.text  # the signed note is shown
    older = client.get(f"/ledger/{platform_log}?offset=25", headers={"HX-Request": "true"})
    assert "<html" not in older.text
    assert f'href="/ledger/{platform_log}/entries/0"' in older.text


def test_search_by_index_and_hash(client, db, platform_log):
    fill(db, platform_log, 3)
    by_index = client.get(f"/ledger/{platform_log}?q=2", follow_redirects=False)
    assert by_index.headers["location"] == f"/ledger/{platform_log}/entries/2"
    leaf_hash = service.get_entry(db, log=platform_log, index=1)[0].leaf_hash.hex()
    by_hash = client.get(f"/ledger/{platform_log}?q={leaf_hash}", follow_redirects=False)
    assert by_hash.headers["location"] == f"/ledger/{platform_log}/entries/1"
    missing = client.get(f"/ledger/{platform_log}?q=not-a-hash")
    assert missing.status_code == 404
    assert 'role="alert"' in missing.text


def test_entry_page_carries_what_the_browser_needs(client, db, platform_log):
    fill(db, platform_log, 5)
    page = client.get(f"/ledger/{platform_log}/entries/4")
    assert page.status_code == 200
    assert "data-verify-panel" in page.text
    assert 'data-key="ledger.test.example/platform+' in page.text
    assert "/static/js/ledger-verify.js" in page.text
    assert client.get("/static/js/ledger-verify.js").status_code == 200
    assert client.get(f"/ledger/{platform_log}/entries/99").status_code == 404
