"""Unpack a rule-pack archive (.zip, .tar.gz, .tgz) without letting it write outside its folder.

Every member is checked before anything is written: only plain files and folders, relative paths
without ``..``, no links or devices, and a cap on the number of members and their total size.
"""

from __future__ import annotations

import stat
import tarfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from digitrade.systems.einvoice.rulepacks.model import RulePackRejected, safe_relative_path

MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # unpacked; the official packs together are about 3 MB
MAX_ARCHIVE_MEMBERS = 10_000
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz")


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def extract_archive(archive: Path, target: Path) -> None:
    """Unpack ``archive`` into the empty folder ``target``, or :class:`RulePackRejected`."""
    name = archive.name.lower()
    try:
        if name.endswith(".zip"):
            _extract_zip(archive, target)
        elif name.endswith((".tar.gz", ".tgz")):
            _extract_tar(archive, target)
        else:
            raise RulePackRejected(f"{archive.name}: not a .zip, .tar.gz or .tgz archive")
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as exc:
        raise RulePackRejected(f"{archive.name}: unreadable archive ({exc})") from exc


def _member_path(archive: Path, name: str) -> str:
    try:
        return safe_relative_path(name.rstrip("/"))
    except ValueError:
        raise RulePackRejected(
            f"{archive.name}: member {name!r} would be written outside the pack folder"
        ) from None


def _check_totals(archive: Path, sizes: Iterable[int]) -> None:
    total = 0
    for count, size in enumerate(sizes, start=1):
        total += size
        if count > MAX_ARCHIVE_MEMBERS or total > MAX_ARCHIVE_BYTES:
            raise RulePackRejected(
                f"{archive.name}: more than {MAX_ARCHIVE_MEMBERS:,} members or "
                f"{MAX_ARCHIVE_BYTES:,} bytes unpacked"
            )


def _extract_zip(archive: Path, target: Path) -> None:
    with zipfile.ZipFile(archive) as bundle:
        members = bundle.infolist()
        _check_totals(archive, (member.file_size for member in members))
        for member in members:
            # Unix file type bits, when the archiver recorded them (0: none recorded).
            kind = stat.S_IFMT(member.external_attr >> 16)
            if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise RulePackRejected(f"{archive.name}: member {member.filename!r} is not a file")
            relative = _member_path(archive, member.filename)
            destination = target / relative
            if member.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(member) as source, destination.open("xb") as sink:
                _copy_capped(archive, source, sink, member.file_size)


def _extract_tar(archive: Path, target: Path) -> None:
    with tarfile.open(archive, mode="r:gz") as bundle:
        members = bundle.getmembers()
        _check_totals(archive, (member.size for member in members))
        for member in members:
            if not (member.isfile() or member.isdir()):
                raise RulePackRejected(f"{archive.name}: member {member.name!r} is not a file")
            relative = _member_path(archive, member.name)
            destination = target / relative
            if member.isdir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            source = bundle.extractfile(member)
            if source is None:
                raise RulePackRejected(f"{archive.name}: member {member.name!r} is unreadable")
            with source, destination.open("xb") as sink:
                _copy_capped(archive, source, sink, member.size)


def _copy_capped(archive: Path, source: IO[bytes], sink: IO[bytes], declared: int) -> None:
    # Sizes in the member headers may lie; never write more than was declared.
    written = 0
    while chunk := source.read(1024 * 1024):
        written += len(chunk)
        if written > declared:
            raise RulePackRejected(f"{archive.name}: a member is larger than its header says")
        sink.write(chunk)
