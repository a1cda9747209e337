"""Validate an e-invoice: safe parse, syntax, XSD, EN 16931 rules, then Peppol rules.

The validator fails closed: a rule pack that is needed but not installed, or that fails its
integrity check, raises an error before anything is checked; it never yields a report without the
rules it should have applied.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

from digitrade.core.errors import validation_error
from digitrade.systems.einvoice.rulepacks import (
    LAYERS,
    InstalledPack,
    Layer,
    RulePackMissing,
    Syntax,
    list_installed,
    load_pack,
    version_key,
)
from digitrade.systems.einvoice.validation.engine import (
    SchematronStylesheet,
    XsdSchema,
    compiled_schematron,
    compiled_xsd,
    saxon_document,
    xml_text_for_saxon,
)
from digitrade.systems.einvoice.validation.model import (
    PROFILE_CHOICES,
    Finding,
    Profile,
    ProfileChoice,
    ValidationReport,
)
from digitrade.systems.einvoice.validation.syntax import (
    applied_profile,
    customization_id,
    detect_syntax,
)
from digitrade.systems.einvoice.xmlsafe import DEFAULT_MAX_BYTES, parse_xml

SCHEMATRON_LAYERS: dict[Profile, tuple[Layer, ...]] = {
    "en16931": ("en16931",),
    "peppol": ("en16931", "peppol"),
}
_LAYER_TITLES: dict[Layer, str] = {"xsd": "XSD", "en16931": "EN 16931", "peppol": "Peppol"}


class Validator:
    """Validates documents against the rule packs installed under ``root``.

    ``versions`` pins a version per layer (``{"peppol": "3.0.19"}``); otherwise each layer uses
    the newest installed pack in effect today. Packs are looked up once per layer, syntax, pin
    and day; call :meth:`refresh` after installing packs into a running process.
    """

    def __init__(
        self,
        root: Path,
        *,
        versions: Mapping[str, str] | None = None,
        today: Callable[[], date] = date.today,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.root = root
        self._versions = _checked_versions(versions)
        self._today = today
        self._max_bytes = max_bytes
        self._packs: dict[tuple[Layer, Syntax, str | None, date], InstalledPack] = {}
        self._packs_lock = threading.Lock()

    def refresh(self) -> None:
        """Forget which packs were chosen, so newly installed ones are seen."""
        with self._packs_lock:
            self._packs.clear()

    # --- validation ----------------------------------------------------------------------------

    def validate(
        self,
        data: bytes,
        *,
        profile: ProfileChoice = "auto",
        versions: Mapping[str, str] | None = None,
    ) -> ValidationReport:
        if profile not in PROFILE_CHOICES:
            raise validation_error("profile", f"must be one of {', '.join(PROFILE_CHOICES)}")
        pins = {**self._versions, **_checked_versions(versions)}
        tree = parse_xml(data, max_bytes=self._max_bytes)
        syntax = detect_syntax(tree)
        customization = customization_id(tree, syntax)
        applied = applied_profile(profile, customization)
        later_layers = SCHEMATRON_LAYERS[applied]
        # Every pack is found (and verified) before anything runs, so a missing one fails the
        # whole request instead of producing a partial report.
        xsd_pack = self.pack("xsd", syntax, pins.get("xsd"))
        schematron_packs = [self.pack(layer, syntax, pins.get(layer)) for layer in later_layers]

        findings = compiled_xsd(xsd_pack, syntax).check(tree)
        if findings:  # the rules assume a schema-valid document
            findings.append(_not_run_notice(later_layers))
            used = [xsd_pack]
        else:
            document = saxon_document(xml_text_for_saxon(data, tree))
            for pack in schematron_packs:
                findings.extend(compiled_schematron(pack, syntax).run(document))
            used = [xsd_pack, *schematron_packs]
        layers_run = tuple(pack.layer for pack in used)
        return ValidationReport(
            syntax=syntax,
            customization_id=customization,
            profile=applied,
            rule_packs=tuple(pack.describe() for pack in used),
            findings=tuple(findings),
            layers_run=layers_run,
            layers_not_run=tuple(layer for layer in later_layers if layer not in layers_run),
        )

    # --- rule packs ----------------------------------------------------------------------------

    def pack(self, layer: Layer, syntax: Syntax, version: str | None = None) -> InstalledPack:
        """The verified pack for ``layer`` and ``syntax``: ``version``, or the default today."""
        today = self._today()
        key = (layer, syntax, version, today)
        found = self._packs.get(key)
        if found is None:
            with self._packs_lock:
                found = self._packs.get(key)
                if found is None:
                    chosen = choose_pack(list_installed(self.root), layer, syntax, version, today)
                    found = load_pack(self.root, chosen.name, chosen.version)
                    self._packs[key] = found
        return found

    def schematron(
        self, layer: Layer, syntax: Syntax, version: str | None = None
    ) -> SchematronStylesheet:
        """The compiled rules of ``layer`` for ``syntax`` (cached for the process)."""
        return compiled_schematron(self.pack(layer, syntax, version), syntax)

    def xsd(self, syntax: Syntax, version: str | None = None) -> XsdSchema:
        return compiled_xsd(self.pack("xsd", syntax, version), syntax)

    def warm_up(self, syntaxes: tuple[Syntax, ...] = ("ubl-invoice", "cii")) -> None:
        """Compile the default rules ahead of the first request (about 1-2 s)."""
        for syntax in syntaxes:
            for layer in LAYERS:
                try:
                    pack = self.pack(layer, syntax, self._versions.get(layer))
                except RulePackMissing:
                    continue  # reported when a document needs it
                if layer == "xsd":
                    compiled_xsd(pack, syntax)
                else:
                    compiled_schematron(pack, syntax)


def choose_pack(
    installed: list[InstalledPack],
    layer: Layer,
    syntax: Syntax,
    version: str | None,
    today: date,
) -> InstalledPack:
    """The pinned ``version``, or the newest pack in effect on ``today`` (undated packs count)."""
    candidates = [pack for pack in installed if pack.layer == layer and syntax in pack.syntaxes]
    what = f"{_LAYER_TITLES[layer]} rules for {syntax}"
    if not candidates:
        raise RulePackMissing(f"no rule pack with {what} is installed")
    if version is not None:
        pinned = [pack for pack in candidates if pack.version == version]
        if not pinned:
            raise RulePackMissing(
                f"{what}, version {version}, are not installed "
                f"(installed: {_versions_of(candidates)})"
            )
        return min(pinned, key=lambda pack: pack.name)
    in_effect = [pack for pack in candidates if pack.effective is None or pack.effective <= today]
    if not in_effect:
        raise RulePackMissing(
            f"no installed version of the {what} is in effect on {today.isoformat()} "
            f"(installed: {_versions_of(candidates)})"
        )
    return max(
        in_effect,
        key=lambda pack: (version_key(pack.version), pack.effective or date.min, pack.name),
    )


def _versions_of(packs: list[InstalledPack]) -> str:
    return ", ".join(f"{pack.name} {pack.version}" for pack in packs)


def _checked_versions(versions: Mapping[str, str] | None) -> dict[Layer, str]:
    checked: dict[Layer, str] = {}
    for layer, version in (versions or {}).items():
        if layer not in LAYERS:
            raise validation_error("versions", f"unknown layer {layer!r}; use {', '.join(LAYERS)}")
        if not isinstance(version, str) or not version:
            raise validation_error(f"versions.{layer}", "must be a version string")
        checked[layer] = version
    return checked


def _not_run_notice(layers: tuple[Layer, ...]) -> Finding:
    names = " and ".join(_LAYER_TITLES[layer] for layer in layers)
    return Finding(
        rule="NOT-RUN",
        severity="information",
        location="/",
        message=f"the {names} rules were not run because the document does not conform to the "
        "XML Schema",
        test="",
        layer="xsd",
    )
