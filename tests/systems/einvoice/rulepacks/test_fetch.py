"""Fetching the official packs from their pinned URLs (served here by a mock transport)."""

from __future__ import annotations

import re

import httpx
import pytest

from digitrade.systems.einvoice.rulepacks import (
    OFFICIAL_PACKS,
    RulePackDownloadFailed,
    RulePackRejected,
    fetch_official,
    list_installed,
)

pytestmark = pytest.mark.fixtures

PINNED = re.compile(r"https://raw\.githubusercontent\.com/[\w.-]+/[\w.-]+/[0-9a-f]{40}/\S+")


class Upstream:
    """Serves each catalogue URL with the kit's copy of that file; records the requests."""

    def __init__(self, kit_by_digest, tamper: str | None = None, missing: str | None = None):
        self.files = {
            file.url: kit_by_digest[file.sha256] for pack in OFFICIAL_PACKS for file in pack.files
        }
        self.tamper = tamper
        self.missing = missing
        self.requested: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.requested.append(url)
        if url not in self.files or url == self.missing:
            return httpx.Response(404)
        data = self.files[url].read_bytes()
        if url == self.tamper:
            data = data[:100] + bytes([data[100] ^ 0x20]) + data[101:]
        return httpx.Response(200, content=data)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


def test_all_official_packs_download_and_install(kit_by_digest, tmp_path):
    upstream = Upstream(kit_by_digest)
    with upstream.client() as client:
        installed = fetch_official(tmp_path, client)
    assert sorted((p.name, p.version) for p in installed) == sorted(
        (p.name, p.version) for p in OFFICIAL_PACKS
    )
    assert len(list_installed(tmp_path)) == len(OFFICIAL_PACKS)
    assert sorted(upstream.requested) == sorted(upstream.files)
    assert all(PINNED.fullmatch(url) for url in upstream.requested)


def test_a_name_filter_downloads_only_those_packs(kit_by_digest, tmp_path):
    upstream = Upstream(kit_by_digest)
    with upstream.client() as client:
        installed = fetch_official(tmp_path, client, names=["peppol-bis3-ubl"])
    assert sorted(p.version for p in installed) == ["3.0.19", "3.0.21"]
    assert len(upstream.requested) == 2


def test_installed_packs_are_not_downloaded_again(kit_by_digest, tmp_path):
    with Upstream(kit_by_digest).client() as client:
        fetch_official(tmp_path, client, names=["en16931-ubl"])
    again = Upstream(kit_by_digest)
    with again.client() as client:
        assert [p.name for p in fetch_official(tmp_path, client, names=["en16931-ubl"])] == [
            "en16931-ubl"
        ]
    assert again.requested == []


def test_a_tampered_download_is_refused_and_nothing_is_installed(kit_by_digest, tmp_path):
    peppol = next(pack for pack in OFFICIAL_PACKS if pack.version == "3.0.21")
    upstream = Upstream(kit_by_digest, tamper=peppol.files[0].url)
    with upstream.client() as client, pytest.raises(RulePackDownloadFailed) as caught:
        fetch_official(tmp_path, client)
    assert "does not match its pinned sha256" in caught.value.detail
    assert caught.value.to_problem()["status"] == 502
    assert caught.value.code == "einvoice.rule-pack-download-failed"
    assert list_installed(tmp_path) == []


def test_http_errors_are_reported(kit_by_digest, tmp_path):
    pack = OFFICIAL_PACKS[0]
    upstream = Upstream(kit_by_digest, missing=pack.files[3].url)
    with upstream.client() as client, pytest.raises(RulePackDownloadFailed, match="HTTP 404"):
        fetch_official(tmp_path, client, names=[pack.name])
    assert list_installed(tmp_path) == []

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    offline = httpx.Client(transport=httpx.MockTransport(unreachable))
    with offline as client, pytest.raises(RulePackDownloadFailed, match="connection refused"):
        fetch_official(tmp_path, client, names=[pack.name])


def test_unknown_names_are_refused(tmp_path):
    with httpx.Client() as client, pytest.raises(RulePackRejected, match="xrechnung"):
        fetch_official(tmp_path, client, names=["xrechnung"])
