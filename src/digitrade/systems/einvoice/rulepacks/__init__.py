"""Versioned rule packs: the official XSD and Schematron (XSLT) artefacts, installed on disk.

Packs live under a root folder as ``<root>/<name>/<version>/`` with a ``manifest.json``. They come
from a folder or archive (:func:`install_from_path`) or from the official repositories
(:func:`fetch_official`); either way every file must match its sha256, and :func:`load_pack`
checks them again before any rule is used.
"""

from digitrade.systems.einvoice.rulepacks.catalogue import OFFICIAL_PACKS, OfficialPack, PackFile
from digitrade.systems.einvoice.rulepacks.fetch import fetch_official
from digitrade.systems.einvoice.rulepacks.model import (
    LAYERS,
    SYNTAXES,
    InstalledPack,
    Layer,
    PackSpec,
    RulePackConflict,
    RulePackCorrupt,
    RulePackDownloadFailed,
    RulePackMissing,
    RulePackRejected,
    Syntax,
    version_key,
)
from digitrade.systems.einvoice.rulepacks.store import (
    install_from_path,
    install_pack,
    list_installed,
    load_pack,
    read_verified,
)

__all__ = [
    "LAYERS",
    "OFFICIAL_PACKS",
    "SYNTAXES",
    "InstalledPack",
    "Layer",
    "OfficialPack",
    "PackFile",
    "PackSpec",
    "RulePackConflict",
    "RulePackCorrupt",
    "RulePackDownloadFailed",
    "RulePackMissing",
    "RulePackRejected",
    "Syntax",
    "fetch_official",
    "install_from_path",
    "install_pack",
    "list_installed",
    "load_pack",
    "read_verified",
    "version_key",
]
