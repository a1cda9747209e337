"""Install, list and load rule packs under one root folder.

Installing writes the whole pack into a staging folder under the root and renames it into place,
so a pack is either fully there or absent. Loading re-checks every file against the manifest;
the result is remembered per file identity (inode, size, mtime, ctime), so a pack is hashed again
only when something on disk changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from digitrade.systems.einvoice.rulepacks.archives import extract_archive, is_archive
from digitrade.systems.einvoice.rulepacks.catalogue import OFFICIAL_PACKS, official_pack
from digitrade.systems.einvoice.rulepacks.model import (
    MANIFEST_NAME,
    NAME_PATTERN,
    VERSION_PATTERN,
    InstalledPack,
    PackSpec,
    RulePackConflict,
    RulePackCorrupt,
    RulePackMissing,
    RulePackRejected,
    manifest_bytes,
    spec_from_manifest,
)

MAX_MANIFEST_BYTES = 1024 * 1024
# Files larger than this are not rule artefacts (the largest official one is under 1 MB).
MAX_SCANNED_FILE_BYTES = 32 * 1024 * 1024

PackContent = Mapping[str, bytes]
_Signature = tuple[tuple[int, int, int, int], ...]

_verified: dict[Path, tuple[_Signature, InstalledPack]] = {}
_verified_lock = threading.Lock()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- reading installed packs -------------------------------------------------------------------


def list_installed(root: Path) -> list[InstalledPack]:
    """Every pack under ``root`` as its manifest describes it (files are not hashed here).

    An unreadable manifest is an error, not a pack to skip: skipping it could silently make an
    older release the default.
    """
    if not root.is_dir():
        return []
    packs = []
    for name_dir in sorted(root.iterdir()):
        if not (name_dir.is_dir() and NAME_PATTERN.fullmatch(name_dir.name)):
            continue  # staging folders start with a dot
        for version_dir in sorted(name_dir.iterdir()):
            if version_dir.is_dir() and VERSION_PATTERN.fullmatch(version_dir.name):
                packs.append(_read_installed(version_dir))
    return packs


def load_pack(root: Path, name: str, version: str) -> InstalledPack:
    """The installed pack ``name`` ``version`` after checking every file against its manifest."""
    if not (NAME_PATTERN.fullmatch(name) and VERSION_PATTERN.fullmatch(version)):
        raise RulePackMissing(f"rule pack {name!r} {version!r} is not installed")
    directory = root / name / version
    manifest = directory / MANIFEST_NAME
    if not manifest.is_file():
        raise RulePackMissing(f"rule pack {name} {version} is not installed")
    with _verified_lock:
        cached = _verified.get(manifest)
    if cached is not None and _signature(manifest, cached[1].spec.files) == cached[0]:
        return cached[1]
    pack = _read_installed(directory)
    before = _signature(manifest, pack.spec.files)
    read_verified(pack)
    # Remembered only if nothing changed while it was being hashed.
    if _signature(manifest, pack.spec.files) == before:
        with _verified_lock:
            _verified[manifest] = (before, pack)
    return pack


def read_verified(pack: InstalledPack) -> dict[str, bytes]:
    """The bytes of every file of ``pack``, each checked against the manifest's sha256."""
    content = {}
    for relative, expected in pack.spec.files.items():
        path = pack.directory / relative
        try:
            if path.is_symlink() or not path.is_file():
                raise OSError("not a regular file")
            data = path.read_bytes()
        except OSError as exc:
            raise _corrupt(pack.spec, f"{relative} is unreadable ({exc})") from exc
        if sha256_hex(data) != expected:
            raise _corrupt(pack.spec, f"{relative} does not match the sha256 in its manifest")
        content[relative] = data
    return content


def _corrupt(spec: PackSpec, problem: str) -> RulePackCorrupt:
    return RulePackCorrupt(f"rule pack {spec.name} {spec.version}: {problem}")


def _read_installed(directory: Path) -> InstalledPack:
    label = f"{directory.parent.name} {directory.name}"
    manifest = directory / MANIFEST_NAME
    try:
        document = json.loads(_read_capped(manifest, MAX_MANIFEST_BYTES))
        spec = spec_from_manifest(document)
    except (OSError, ValueError) as exc:
        raise RulePackCorrupt(f"rule pack {label}: unreadable manifest ({exc})") from exc
    if (spec.name, spec.version) != (directory.parent.name, directory.name):
        raise RulePackCorrupt(f"rule pack {label}: its manifest names {spec.name} {spec.version}")
    installed_at = document.get("installed_at")
    return InstalledPack(spec, installed_at if isinstance(installed_at, str) else "", directory)


def _signature(manifest: Path, files: Mapping[str, str]) -> _Signature:
    paths = [manifest, *(manifest.parent / relative for relative in files)]
    try:
        stats = [os.stat(path, follow_symlinks=False) for path in paths]
    except OSError:
        return ()
    return tuple((s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns) for s in stats)


def _read_capped(path: Path, limit: int) -> bytes:
    with path.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{path.name} is larger than {limit:,} bytes")
    return data


# --- installing --------------------------------------------------------------------------------


def install_from_path(path: Path, root: Path) -> list[InstalledPack]:
    """Install the packs found in a folder or archive (.zip, .tar.gz, .tgz) under ``root``.

    Folders with a ``manifest.json`` are packs described by it (new or custom releases); every
    file it lists must be present with its sha256. Without any manifest, every official pack of
    the catalogue whose files are all present (found by sha256, wherever they lie) is installed.
    Installing a pack that is already there with the same files changes nothing.
    """
    if path.is_dir():
        return _install_tree(path, root, path.name)
    if path.is_file() and is_archive(path):
        with tempfile.TemporaryDirectory(prefix="digitrade-rulepack-") as unpacked:
            extract_archive(path, Path(unpacked))
            return _install_tree(Path(unpacked), root, path.name)
    if path.is_file():
        raise RulePackRejected(f"{path.name}: expected a folder or a .zip, .tar.gz or .tgz archive")
    raise RulePackRejected(f"{path.name}: no such file or folder")


def install_pack(root: Path, spec: PackSpec, content: PackContent) -> InstalledPack:
    """Install one pack from ``content`` (relative path -> bytes), checked against ``spec``.

    A pack already installed with these files is left alone; one whose files were damaged on
    disk is replaced by the good copy.
    """
    for relative, expected in spec.files.items():
        data = content.get(relative)
        if data is None or sha256_hex(data) != expected:
            raise RulePackRejected(f"{spec.name} {spec.version}: {relative} is missing or altered")
    state = installed_state(root, spec)
    if state == "same":
        return load_pack(root, spec.name, spec.version)
    root.mkdir(parents=True, exist_ok=True)
    target = root / spec.name / spec.version
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
    aside = Path(tempfile.mkdtemp(prefix=".damaged-", dir=root))
    try:
        for relative in spec.files:
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(content[relative])
        installed_at = datetime.now(UTC).isoformat(timespec="seconds")
        (staging / MANIFEST_NAME).write_bytes(manifest_bytes(spec, installed_at))
        (root / spec.name).mkdir(exist_ok=True)
        if state == "damaged":
            # Meanwhile the pack is absent, which fails validation closed, never open.
            target.rename(aside / "pack")
        try:
            staging.rename(target)
        except OSError:
            # Someone installed the same name and version meanwhile: fine if it is identical.
            if installed_state(root, spec) != "same":
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(aside, ignore_errors=True)
    return load_pack(root, spec.name, spec.version)


def _install_tree(tree: Path, root: Path, label: str) -> list[InstalledPack]:
    manifests = [path for path in _regular_files(tree) if path.name == MANIFEST_NAME]
    if manifests:
        planned = [_described_pack(manifest, tree) for manifest in sorted(manifests)]
    else:
        planned = _recognised_official_packs(tree)
    if not planned:
        raise RulePackRejected(
            f"{label}: no rule pack found (no manifest.json, and no official pack has all its "
            "files there)"
        )
    for spec, _ in planned:  # refuse conflicts before installing anything
        installed_state(root, spec)
    return [install_pack(root, spec, content) for spec, content in planned]


def installed_state(root: Path, spec: PackSpec) -> Literal["absent", "same", "damaged"]:
    """Whether ``spec`` is installed intact, absent, or installed with damaged files.

    A different pack under the same name and version is a :class:`RulePackConflict`.
    """
    directory = root / spec.name / spec.version
    if not directory.exists():
        return "absent"
    try:
        installed = _read_installed(directory)
    except RulePackCorrupt:
        return "damaged"
    if dict(installed.spec.files) != dict(spec.files):
        raise RulePackConflict(
            f"rule pack {spec.name} {spec.version} is already installed with different files"
        )
    try:
        load_pack(root, spec.name, spec.version)
    except RulePackCorrupt:
        return "damaged"
    return "same"


def _described_pack(manifest: Path, tree: Path) -> tuple[PackSpec, PackContent]:
    label = manifest.relative_to(tree).as_posix()
    try:
        spec = spec_from_manifest(json.loads(_read_capped(manifest, MAX_MANIFEST_BYTES)))
    except (OSError, ValueError) as exc:
        raise RulePackRejected(f"{label}: {exc}") from exc
    content = {}
    folder = manifest.parent.resolve()
    for relative, expected in spec.files.items():
        path = manifest.parent / relative
        if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(folder):
            raise RulePackRejected(f"{label}: {relative} is missing")
        data = path.read_bytes()
        if sha256_hex(data) != expected:
            raise RulePackRejected(f"{label}: {relative} does not match its sha256")
        content[relative] = data
    official = official_pack(spec.name, spec.version)
    if official is not None:
        if dict(official.spec().files) != dict(spec.files):
            raise RulePackRejected(
                f"{label}: {spec.name} {spec.version} is an official release, "
                "but these are not its files"
            )
        spec = official.spec()  # the catalogue's dates and sources are authoritative
    return spec, content


def _recognised_official_packs(tree: Path) -> list[tuple[PackSpec, PackContent]]:
    by_digest: dict[str, Path] = {}
    for path in _regular_files(tree):
        if path.stat().st_size <= MAX_SCANNED_FILE_BYTES:
            by_digest.setdefault(sha256_hex(path.read_bytes()), path)
    planned: list[tuple[PackSpec, PackContent]] = []
    for pack in OFFICIAL_PACKS:
        if all(file.sha256 in by_digest for file in pack.files):
            content = {file.path: by_digest[file.sha256].read_bytes() for file in pack.files}
            planned.append((pack.spec(), content))
    return planned


def _regular_files(tree: Path) -> Iterator[Path]:
    """Regular files below ``tree``; symbolic links are neither followed nor returned."""
    for folder, _, names in os.walk(tree, followlinks=False):
        for name in names:
            path = Path(folder) / name
            if not path.is_symlink() and path.is_file():
                yield path
