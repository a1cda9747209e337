"""Installing rule packs from folders and archives; loading them back checks every hash."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from digitrade.systems.einvoice.rulepacks import (
    OFFICIAL_PACKS,
    RulePackConflict,
    RulePackCorrupt,
    RulePackMissing,
    RulePackRejected,
    archives,
    install_from_path,
    list_installed,
    load_pack,
)
from digitrade.systems.einvoice.rulepacks.catalogue import EN16931_UBL, PEPPOL_BIS3_UBL_3_0_19
from digitrade.systems.einvoice.validation import Validator

pytestmark = pytest.mark.fixtures

ALL_PACKS = sorted((pack.name, pack.version) for pack in OFFICIAL_PACKS)
PEPPOL_EXAMPLE = "peppol/examples/base-example.xml"


def names(packs) -> list[tuple[str, str]]:
    return sorted((pack.name, pack.version) for pack in packs)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def official_files(kit_by_digest, *packs) -> dict[str, bytes]:
    """The files of ``packs`` under made-up archive paths (the layout must not matter)."""
    return {
        f"bundle/{index:02d}-{file.path.replace('/', '_')}": kit_by_digest[file.sha256].read_bytes()
        for index, file in enumerate(file for pack in packs for file in pack.files)
    }


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)
    return path


def write_tar(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as bundle:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))
    return path


def custom_pack(folder: Path, kit_by_digest, **overrides) -> Path:
    """A manifest-described pack: the Peppol 3.0.19 rules republished as a local release."""
    xslt = kit_by_digest[PEPPOL_BIS3_UBL_3_0_19.files[0].sha256].read_bytes()
    folder.mkdir(parents=True)
    (folder / "rules").mkdir()
    (folder / "rules" / "acme.xslt").write_bytes(xslt)
    manifest = {
        "name": "acme-peppol-ubl",
        "version": "2027.1",
        "layer": "peppol",
        "syntaxes": ["ubl-invoice", "ubl-creditnote"],
        "entries": {"ubl-invoice": "rules/acme.xslt", "ubl-creditnote": "rules/acme.xslt"},
        "source": "https://example.org/acme/releases/2027.1",
        "effective": "2099-01-01",
        "installed_at": None,
        "files": {"rules/acme.xslt": sha256(xslt)},
        **overrides,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


# --- from the kit folder -----------------------------------------------------------------------


def test_the_kit_folder_installs_all_six_official_packs(kit, tmp_path):
    installed = install_from_path(kit, tmp_path)
    assert names(installed) == ALL_PACKS
    assert names(list_installed(tmp_path)) == ALL_PACKS
    ubl = load_pack(tmp_path, "ubl-2.1-xsd", "2.1")
    assert ubl.layer == "xsd"
    assert ubl.syntaxes == ("ubl-invoice", "ubl-creditnote")
    assert (ubl.directory / "maindoc" / "UBL-Invoice-2.1.xsd").is_file()
    assert len(ubl.files) == 16


def test_the_manifest_on_disk_has_the_documented_shape(kit, tmp_path):
    install_from_path(kit, tmp_path)
    manifest = json.loads((tmp_path / "en16931-ubl" / "1.3.16" / "manifest.json").read_text())
    assert set(manifest) == {
        "name", "version", "layer", "syntaxes", "entries", "source", "effective",
        "installed_at", "files",
    }  # fmt: skip
    assert manifest["layer"] == "en16931"
    assert manifest["effective"] == "2026-04-10"
    assert manifest["entries"]["ubl-invoice"] == "EN16931-UBL-validation.xslt"
    assert manifest["files"] == {"EN16931-UBL-validation.xslt": EN16931_UBL.files[0].sha256}
    assert manifest["source"].endswith("/releases/tag/validation-1.3.16")
    assert manifest["installed_at"].endswith("+00:00")


def test_reinstalling_the_same_packs_changes_nothing(kit, tmp_path):
    first = install_from_path(kit, tmp_path)
    manifest = tmp_path / "en16931-ubl" / "1.3.16" / "manifest.json"
    before = (manifest.read_bytes(), manifest.stat().st_mtime_ns)
    second = install_from_path(kit, tmp_path)
    assert [p.installed_at for p in second] == [p.installed_at for p in first]
    assert (manifest.read_bytes(), manifest.stat().st_mtime_ns) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left


# --- from archives -----------------------------------------------------------------------------


def test_a_zip_installs_the_packs_whose_files_it_holds(kit_by_digest, tmp_path):
    members = official_files(kit_by_digest, EN16931_UBL, PEPPOL_BIS3_UBL_3_0_19)
    archive = write_zip(tmp_path / "rules.zip", {**members, "README.txt": b"not a rule file"})
    installed = install_from_path(archive, tmp_path / "root")
    assert names(installed) == [("en16931-ubl", "1.3.16"), ("peppol-bis3-ubl", "3.0.19")]


def test_a_tar_gz_installs_too(kit_by_digest, tmp_path):
    ubl_xsd = next(pack for pack in OFFICIAL_PACKS if pack.name == "ubl-2.1-xsd")
    archive = write_tar(tmp_path / "rules.tgz", official_files(kit_by_digest, ubl_xsd))
    root = tmp_path / "root"
    assert names(install_from_path(archive, root)) == [("ubl-2.1-xsd", "2.1")]
    # Installed in the catalogue's layout, so the schema imports resolve.
    assert Validator(root).xsd("ubl-invoice") is not None


@pytest.mark.parametrize(
    "member",
    ["../escape.xslt", "/etc/escape.xslt", "a/../../escape.xslt", "a\\..\\escape.xslt"],
)
def test_archive_members_outside_the_folder_are_refused(kit_by_digest, tmp_path, member):
    members = {**official_files(kit_by_digest, EN16931_UBL), member: b"<x/>"}
    for archive in (
        write_zip(tmp_path / "evil.zip", members),
        write_tar(tmp_path / "evil.tar.gz", members),
    ):
        with pytest.raises(RulePackRejected, match="outside the pack folder"):
            install_from_path(archive, tmp_path / "root")
    assert not (tmp_path / "escape.xslt").exists()
    assert list_installed(tmp_path / "root") == []


def test_links_in_archives_are_refused(tmp_path):
    archive = tmp_path / "links.tar.gz"
    with tarfile.open(archive, "w:gz") as bundle:
        link = tarfile.TarInfo("rules/passwd")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        bundle.addfile(link)
    with pytest.raises(RulePackRejected, match="not a file"):
        install_from_path(archive, tmp_path / "root")
    zipped = tmp_path / "links.zip"
    with zipfile.ZipFile(zipped, "w") as bundle:
        info = zipfile.ZipInfo("rules/passwd")
        info.external_attr = (0o120777 << 16) | 0
        bundle.writestr(info, "/etc/passwd")
    with pytest.raises(RulePackRejected, match="not a file"):
        install_from_path(zipped, tmp_path / "root")


def test_archives_over_the_size_cap_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_ARCHIVE_BYTES", 1000)
    archive = write_zip(tmp_path / "big.zip", {"a.xslt": b"x" * 2000})
    with pytest.raises(RulePackRejected, match="unpacked"):
        install_from_path(archive, tmp_path / "root")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rules.zip", b"PK\x03\x04 broken", "unreadable archive"),
        ("rules.rar", b"Rar!", "expected a folder"),
    ],
)
def test_unreadable_or_unknown_archives_are_refused(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(RulePackRejected, match=message):
        install_from_path(tmp_path / name, tmp_path / "root")


def test_nothing_recognised_is_a_clear_error(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").write_text("no rules here")
    with pytest.raises(RulePackRejected, match="no rule pack found"):
        install_from_path(tmp_path / "in", tmp_path / "root")
    with pytest.raises(RulePackRejected, match="no such file"):
        install_from_path(tmp_path / "absent", tmp_path / "root")


# --- packs described by a manifest ------------------------------------------------------------


def test_a_manifest_described_pack_installs_and_can_be_pinned(kit, kit_by_digest, tmp_path):
    root = tmp_path / "root"
    install_from_path(kit, root)
    installed = install_from_path(custom_pack(tmp_path / "acme", kit_by_digest), root)
    assert names(installed) == [("acme-peppol-ubl", "2027.1")]
    assert (root / "acme-peppol-ubl" / "2027.1" / "rules" / "acme.xslt").is_file()
    data = (kit / PEPPOL_EXAMPLE).read_bytes()
    validator = Validator(root)
    # Not in effect before 2099, so the default stays the official release.
    assert validator.validate(data).rule_packs[-1]["name"] == "peppol-bis3-ubl"
    pinned = validator.validate(data, versions={"peppol": "2027.1"})
    assert pinned.rule_packs[-1] == {
        "name": "acme-peppol-ubl",
        "version": "2027.1",
        "layer": "peppol",
    }
    assert pinned.valid


def test_a_manifest_archive_installs(kit_by_digest, tmp_path):
    folder = custom_pack(tmp_path / "acme", kit_by_digest)
    members = {
        f"acme/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }
    archive = write_zip(tmp_path / "acme.zip", members)
    assert names(install_from_path(archive, tmp_path / "root")) == [("acme-peppol-ubl", "2027.1")]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"files": {"rules/acme.xslt": "0" * 64}}, "does not match its sha256"),
        ({"files": {"rules/other.xslt": "0" * 64}}, "entries"),
        ({"layer": "national"}, "layer must be one of"),
        ({"name": "../evil"}, "name must match"),
        ({"effective": "next year"}, "effective must be"),
        ({"files": {"../acme.xslt": "0" * 64}}, "unsafe path"),
        ({"name": "en16931-ubl", "version": "1.3.16"}, "is an official release"),
    ],
    ids=["bad-hash", "entry-not-a-file", "layer", "name", "effective", "traversal", "official"],
)
def test_bad_manifests_are_refused(kit_by_digest, tmp_path, overrides, message):
    folder = custom_pack(tmp_path / "acme", kit_by_digest, **overrides)
    with pytest.raises(RulePackRejected, match=message):
        install_from_path(folder, tmp_path / "root")
    assert list_installed(tmp_path / "root") == []


def test_the_same_name_and_version_with_other_files_conflicts(kit_by_digest, tmp_path):
    root = tmp_path / "root"
    install_from_path(custom_pack(tmp_path / "first", kit_by_digest), root)
    second = custom_pack(tmp_path / "second", kit_by_digest)
    changed = b"<!-- local fix -->" + (second / "rules" / "acme.xslt").read_bytes()
    (second / "rules" / "acme.xslt").write_bytes(changed)
    manifest = json.loads((second / "manifest.json").read_text())
    manifest["files"]["rules/acme.xslt"] = sha256(changed)
    (second / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(RulePackConflict) as caught:
        install_from_path(second, root)
    assert caught.value.to_problem()["status"] == 409
    assert caught.value.code == "einvoice.rule-pack-conflict"


# --- loading: integrity ------------------------------------------------------------------------


def test_a_tampered_file_is_caught_when_loading(kit, tmp_path):
    install_from_path(kit, tmp_path)
    assert load_pack(tmp_path, "peppol-bis3-ubl", "3.0.19")  # verified and remembered
    rules = tmp_path / "peppol-bis3-ubl" / "3.0.19" / "PEPPOL-EN16931-UBL.xslt"
    data = bytearray(rules.read_bytes())
    data[-20] ^= 0x01
    rules.write_bytes(bytes(data))
    with pytest.raises(RulePackCorrupt, match="does not match the sha256") as caught:
        load_pack(tmp_path, "peppol-bis3-ubl", "3.0.19")
    assert caught.value.code == "einvoice.rule-pack-corrupt"


def test_validation_with_a_tampered_pack_fails_closed(kit, tmp_path):
    install_from_path(kit, tmp_path)
    schema = tmp_path / "ubl-2.1-xsd" / "2.1" / "common" / "UBL-CommonBasicComponents-2.1.xsd"
    schema.write_bytes(schema.read_bytes() + b"<!-- changed -->")
    with pytest.raises(RulePackCorrupt):
        Validator(tmp_path).validate((kit / PEPPOL_EXAMPLE).read_bytes())


def test_a_deleted_file_or_manifest_is_caught(kit, tmp_path):
    install_from_path(kit, tmp_path)
    (tmp_path / "en16931-cii" / "1.3.16" / "EN16931-CII-validation.xslt").unlink()
    with pytest.raises(RulePackCorrupt, match="unreadable"):
        load_pack(tmp_path, "en16931-cii", "1.3.16")
    (tmp_path / "en16931-ubl" / "1.3.16" / "manifest.json").write_text("{not json")
    with pytest.raises(RulePackCorrupt, match="unreadable manifest"):
        list_installed(tmp_path)


def test_a_pack_replaced_by_a_link_is_caught(kit, tmp_path):
    install_from_path(kit, tmp_path)
    rules = tmp_path / "en16931-ubl" / "1.3.16" / "EN16931-UBL-validation.xslt"
    copy = tmp_path / "elsewhere.xslt"
    shutil.copy(rules, copy)
    rules.unlink()
    os.symlink(copy, rules)
    with pytest.raises(RulePackCorrupt):
        load_pack(tmp_path, "en16931-ubl", "1.3.16")


def test_unknown_packs_are_missing(tmp_path):
    for name, version in (("en16931-ubl", "9.9"), ("../etc", "1"), ("nothing", "..")):
        with pytest.raises(RulePackMissing):
            load_pack(tmp_path, name, version)


def test_reinstalling_repairs_a_damaged_pack(kit, tmp_path):
    install_from_path(kit, tmp_path)
    rules = tmp_path / "en16931-ubl" / "1.3.16" / "EN16931-UBL-validation.xslt"
    rules.write_bytes(b"<!-- damaged -->")
    with pytest.raises(RulePackCorrupt):
        load_pack(tmp_path, "en16931-ubl", "1.3.16")
    install_from_path(kit, tmp_path)
    assert load_pack(tmp_path, "en16931-ubl", "1.3.16").files == {
        "EN16931-UBL-validation.xslt": EN16931_UBL.files[0].sha256
    }
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
