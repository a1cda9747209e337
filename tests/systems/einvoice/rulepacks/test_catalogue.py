"""The catalogue of official packs agrees with the kit's MANIFEST.sha256 and with itself."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from digitrade.systems.einvoice.rulepacks import OFFICIAL_PACKS, version_key

# Commits the kit's SOURCE.txt names for each repository.
PINNED_COMMITS = {
    "kduvekot/ubl-release-package": "69d9f20189fe7fa551dcc59f17d8480e70cda970",
    "ConnectingEurope/eInvoicing-EN16931": "b6c9e06a59812fb1a83585da40923b3678a649ad",
    "phax/phive-rules": "432f0e9a8cff5c03d06625abe7a5fd8e7e346a64",
}
RAW = "https://raw.githubusercontent.com/"


def test_the_six_official_packs():
    assert [(p.name, p.version, p.layer) for p in OFFICIAL_PACKS] == [
        ("ubl-2.1-xsd", "2.1", "xsd"),
        ("cii-d16b-xsd", "D16B", "xsd"),
        ("en16931-ubl", "1.3.16", "en16931"),
        ("en16931-cii", "1.3.16", "en16931"),
        ("peppol-bis3-ubl", "3.0.19", "peppol"),
        ("peppol-bis3-ubl", "3.0.21", "peppol"),
    ]
    assert [len(p.files) for p in OFFICIAL_PACKS] == [16, 4, 1, 1, 1, 1]


@pytest.mark.fixtures
def test_every_file_is_a_byte_copy_listed_in_the_kit_manifest(kit):
    manifest = {}
    for line in (kit / "MANIFEST.sha256").read_text().splitlines():
        digest, path = line.split(maxsplit=1)
        manifest[digest] = path.removeprefix("./")
    for pack in OFFICIAL_PACKS:
        for file in pack.files:
            assert file.sha256 in manifest, f"{pack.name} {pack.version}: {file.path}"
            # The kit keeps the official file names (only folders were regrouped).
            assert manifest[file.sha256].rsplit("/", 1)[-1] == file.path.rsplit("/", 1)[-1]


def test_urls_are_pinned_to_the_documented_commits():
    for pack in OFFICIAL_PACKS:
        for file in pack.files:
            assert file.url.startswith(RAW), file.url
            owner, repository, commit, path = file.url.removeprefix(RAW).split("/", 3)
            assert PINNED_COMMITS[f"{owner}/{repository}"] == commit
            assert " " not in file.url
            assert unquote(path).endswith(file.path.rsplit("/", 1)[-1])


def test_cii_schema_urls_encode_the_spaces_of_their_folder():
    cii = next(pack for pack in OFFICIAL_PACKS if pack.name == "cii-d16b-xsd")
    assert "D16B%20SCRDM%20(Subset)/uncoupled%20clm/CII/uncefact/data/standard/" in cii.files[0].url


def test_entries_name_files_of_their_pack():
    for pack in OFFICIAL_PACKS:
        paths = {file.path for file in pack.files}
        assert set(pack.entries.values()) <= paths
        assert pack.spec().files == {file.path: file.sha256 for file in pack.files}
        assert pack.source.startswith("https://")


def test_versions_sort_naturally():
    assert version_key("3.0.9") < version_key("3.0.19") < version_key("3.0.21")
    assert version_key("1.3.16") > version_key("1.3.9")
    assert sorted(["D16B", "D9A", "D16A"], key=version_key) == ["D9A", "D16A", "D16B"]
