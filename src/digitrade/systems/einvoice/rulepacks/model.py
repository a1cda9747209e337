"""Rule packs: what an installed pack is, its manifest on disk, and the errors around them.

A pack is a directory ``<root>/<name>/<version>/`` holding the official artefact files and a
``manifest.json`` that lists every file with its SHA-256. Nothing in a pack is trusted until those
hashes have been checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, Literal, cast, get_args

from digitrade.core.errors import Conflict, DomainError, ServiceUnavailable, ValidationFailed

Layer = Literal["xsd", "en16931", "peppol"]
Syntax = Literal["ubl-invoice", "ubl-creditnote", "cii"]
LAYERS: tuple[Layer, ...] = get_args(Layer)
SYNTAXES: tuple[Syntax, ...] = get_args(Syntax)

MANIFEST_NAME = "manifest.json"
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9.-]{0,63}")
VERSION_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class RulePackMissing(ServiceUnavailable):
    """A pack that is needed (or asked for) is not installed."""

    code = "einvoice.rule-pack-missing"
    title = "Validation rules are not installed"


class RulePackCorrupt(ServiceUnavailable):
    """An installed pack no longer matches its manifest, or cannot be read or compiled."""

    code = "einvoice.rule-pack-corrupt"
    title = "Installed validation rules failed their integrity check"


class RulePackRejected(ValidationFailed):
    """Material offered for installation is unsafe, inconsistent or not recognised."""

    code = "einvoice.rule-pack-rejected"
    title = "The rule pack cannot be installed"


class RulePackConflict(Conflict):
    code = "einvoice.rule-pack-conflict"
    title = "A different rule pack with this name and version is installed"


class RulePackDownloadFailed(DomainError):
    code = "einvoice.rule-pack-download-failed"
    status = 502
    title = "The official rule pack could not be downloaded"


@dataclass(frozen=True, slots=True)
class PackSpec:
    """What a manifest says about a pack, before and after installation."""

    name: str
    version: str
    layer: Layer
    syntaxes: tuple[Syntax, ...]
    entries: Mapping[Syntax, str]
    source: str
    effective: date | None
    files: Mapping[str, str]

    def entry(self, syntax: Syntax) -> str:
        return self.entries[syntax]


@dataclass(frozen=True, slots=True)
class InstalledPack:
    """A pack on disk. ``directory`` holds the files listed in ``spec.files``."""

    spec: PackSpec
    installed_at: str
    directory: Path

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def version(self) -> str:
        return self.spec.version

    @property
    def layer(self) -> Layer:
        return self.spec.layer

    @property
    def syntaxes(self) -> tuple[Syntax, ...]:
        return self.spec.syntaxes

    @property
    def effective(self) -> date | None:
        return self.spec.effective

    @property
    def source(self) -> str:
        return self.spec.source

    @property
    def files(self) -> Mapping[str, str]:
        return self.spec.files

    def describe(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "layer": self.layer}


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order of version strings: ``3.0.9`` < ``3.0.19``; digits sort before letters."""
    parts = re.findall(r"\d+|[^\d.\-_]+", version)
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts)


def safe_relative_path(value: str) -> str:
    """``value`` if it is a plain relative POSIX path inside a pack, else :class:`ValueError`."""
    path = PurePosixPath(value)
    if (
        not value
        or "\\" in value
        or "\x00" in value
        or path.is_absolute()
        or any(part in {"", ".", ".."} for part in value.split("/"))
    ):
        raise ValueError(f"unsafe path {value!r}")
    return value


def spec_to_manifest(spec: PackSpec, installed_at: str | None) -> dict[str, Any]:
    return {
        "name": spec.name,
        "version": spec.version,
        "layer": spec.layer,
        "syntaxes": list(spec.syntaxes),
        "entries": dict(spec.entries),
        "source": spec.source,
        "effective": spec.effective.isoformat() if spec.effective else None,
        "installed_at": installed_at,
        "files": dict(sorted(spec.files.items())),
    }


def manifest_bytes(spec: PackSpec, installed_at: str) -> bytes:
    return (json.dumps(spec_to_manifest(spec, installed_at), indent=2) + "\n").encode()


def spec_from_manifest(document: Any) -> PackSpec:
    """The spec a parsed ``manifest.json`` describes; :class:`ValueError` naming the bad field."""
    if not isinstance(document, dict):
        raise ValueError("the manifest is not a JSON object")
    name = _matching(document, "name", NAME_PATTERN)
    version = _matching(document, "version", VERSION_PATTERN)
    layer = document.get("layer")
    if layer not in LAYERS:
        raise ValueError(f"layer must be one of {', '.join(LAYERS)}")
    syntaxes = _syntaxes(document.get("syntaxes"))
    files = _files(document.get("files"))
    entries = _entries(document.get("entries"), syntaxes, files)
    source = document.get("source")
    if not isinstance(source, str) or not source.startswith(("https://", "http://")):
        raise ValueError("source must be the URL of the release the files come from")
    return PackSpec(
        name=name,
        version=version,
        layer=cast(Layer, layer),
        syntaxes=syntaxes,
        entries=entries,
        source=source,
        effective=_effective(document.get("effective")),
        files=files,
    )


def _matching(document: dict[str, Any], field: str, pattern: re.Pattern[str]) -> str:
    value = document.get(field)
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"{field} must match {pattern.pattern}")
    return value


def _syntaxes(value: Any) -> tuple[Syntax, ...]:
    if not isinstance(value, list) or not value or any(item not in SYNTAXES for item in value):
        raise ValueError(f"syntaxes must be a non-empty list of {', '.join(SYNTAXES)}")
    return tuple(cast(Syntax, item) for item in dict.fromkeys(value))


def _files(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise ValueError("files must map each relative path to its sha256")
    files: dict[str, str] = {}
    for path, digest in value.items():
        if path == MANIFEST_NAME:
            raise ValueError(f"files must not list {MANIFEST_NAME}")
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise ValueError(f"files[{path!r}] must be a lowercase hex sha256")
        files[safe_relative_path(path)] = digest
    return files


def _entries(
    value: Any, syntaxes: tuple[Syntax, ...], files: Mapping[str, str]
) -> dict[Syntax, str]:
    if not isinstance(value, dict) or set(value) != set(syntaxes):
        raise ValueError("entries must name one file for each of the pack's syntaxes")
    for syntax, path in value.items():
        if path not in files:
            raise ValueError(f"entries[{syntax!r}] is not one of the pack's files")
    return {cast(Syntax, syntax): path for syntax, path in value.items()}


def _effective(value: Any) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError("effective must be YYYY-MM-DD or null") from None
