from tests.conftest import bearer


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["x-request-id"]


def test_key_reads_organisations(client, api_key, world):
    response = client.get("/api/core/organisations", headers=bearer(api_key()))
    assert response.status_code == 200
    assert [o["slug"] for o in response.json()["items"]] == ["org-a"]
