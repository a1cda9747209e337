"""Download the official packs from their pinned URLs and install them.

Every file must match the sha256 the catalogue pins. All selected packs are downloaded and checked
before the first one is installed, so a bad download leaves the installed packs as they were.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import httpx

from digitrade.systems.einvoice.rulepacks.catalogue import OFFICIAL_PACKS, OfficialPack
from digitrade.systems.einvoice.rulepacks.model import (
    InstalledPack,
    RulePackDownloadFailed,
    RulePackRejected,
)
from digitrade.systems.einvoice.rulepacks.store import (
    PackContent,
    install_pack,
    installed_state,
    load_pack,
    sha256_hex,
)

MAX_DOWNLOAD_BYTES = 32 * 1024 * 1024


def fetch_official(
    root: Path, client: httpx.Client, names: Collection[str] | None = None
) -> list[InstalledPack]:
    """Download, check and install the official packs (all, or those named in ``names``)."""
    packs = _selected(names)
    missing = [pack for pack in packs if installed_state(root, pack.spec()) != "same"]
    downloads = [(pack, _download_pack(client, pack)) for pack in missing]
    for pack, content in downloads:
        install_pack(root, pack.spec(), content)
    return [load_pack(root, pack.name, pack.version) for pack in packs]


def _selected(names: Collection[str] | None) -> list[OfficialPack]:
    if names is None:
        return list(OFFICIAL_PACKS)
    known = {pack.name for pack in OFFICIAL_PACKS}
    unknown = sorted(set(names) - known)
    if unknown:
        raise RulePackRejected(
            f"unknown official rule pack {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return [pack for pack in OFFICIAL_PACKS if pack.name in names]


def _download_pack(client: httpx.Client, pack: OfficialPack) -> PackContent:
    content = {}
    for file in pack.files:
        data = _download(client, file.url)
        if sha256_hex(data) != file.sha256:
            raise RulePackDownloadFailed(
                f"{pack.name} {pack.version}: {file.url} does not match its pinned sha256; "
                "nothing was installed"
            )
        content[file.path] = data
    return content


def _download(client: httpx.Client, url: str) -> bytes:
    try:
        with client.stream("GET", url, follow_redirects=True) as response:
            if response.status_code != httpx.codes.OK:
                raise RulePackDownloadFailed(f"{url}: HTTP {response.status_code}")
            chunks = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_DOWNLOAD_BYTES:
                    raise RulePackDownloadFailed(f"{url}: larger than {MAX_DOWNLOAD_BYTES:,} bytes")
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise RulePackDownloadFailed(f"{url}: {exc}") from exc
    return b"".join(chunks)
