"""The official rule packs this platform knows, with the SHA-256 of every file.

Each file is pinned to one commit of its public repository, so a download either yields exactly
these bytes or is refused. The hashes are those of the published files, unchanged.

Sources:

- OASIS UBL 2.1 (OASIS Standard, 2013-11-04), runtime schemas ``xsdrt/``, as replayed from the
  OASIS release package in ``kduvekot/ubl-release-package`` at commit 69d9f20 ("Release: UBL 2.1
  (OASIS Standard)"). Copies elsewhere (e.g. ph-ubl) drop the xmldsig/XAdES ``schemaLocation``s
  and do not load on their own.
- UN/CEFACT CII D16B (SCRDM subset, "uncoupled clm"), as shipped by CEN/TC 434 in
  ``ConnectingEurope/eInvoicing-EN16931`` ``cii/schema``.
- EN 16931 validation artefacts 1.3.16 (CEN/TC 434, EUPL-1.2), released 2026-04-10, the
  precompiled Schematron XSLT for UBL and CII, ``ConnectingEurope/eInvoicing-EN16931`` at commit
  b6c9e06a (master after the merge of validation-1.3.16).
- Peppol BIS Billing 3.0.19 (OpenPeppol, tag v3.0.19, 2025-05-29) and 3.0.21 (May 2026 release).
  OpenPeppol's repository carries only the Schematron; the compiled XSLT OpenPeppol publishes in
  its release archives is redistributed unchanged in ``phax/phive-rules`` (commit 432f0e9a), whose
  ``.sch`` for 3.0.19 is byte-identical to OpenPeppol's. Peppol BIS has no precompiled CII XSLT
  in these sources, so Peppol rules exist for UBL only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from digitrade.systems.einvoice.rulepacks.model import Layer, PackSpec, Syntax


@dataclass(frozen=True, slots=True)
class PackFile:
    path: str  # where the file lives inside the pack
    sha256: str
    url: str  # the official file, pinned at one commit


@dataclass(frozen=True, slots=True)
class OfficialPack:
    name: str
    version: str
    layer: Layer
    entries: Mapping[Syntax, str]
    source: str  # the release or repository the files come from
    # First day the release applies: the mandatory date where the publisher gives one, else
    # the publication date; None when no dependable date is known.
    effective: date | None
    files: tuple[PackFile, ...]

    @property
    def syntaxes(self) -> tuple[Syntax, ...]:
        return tuple(self.entries)

    def spec(self) -> PackSpec:
        return PackSpec(
            name=self.name,
            version=self.version,
            layer=self.layer,
            syntaxes=self.syntaxes,
            entries=dict(self.entries),
            source=self.source,
            effective=self.effective,
            files={file.path: file.sha256 for file in self.files},
        )


def _github_raw(repository: str, commit: str, path: str) -> str:
    return f"https://raw.githubusercontent.com/{repository}/{commit}/{quote(path, safe='/()')}"


_UBL_REPOSITORY = "kduvekot/ubl-release-package"
_UBL_COMMIT = "69d9f20189fe7fa551dcc59f17d8480e70cda970"
_CEN_REPOSITORY = "ConnectingEurope/eInvoicing-EN16931"
_CEN_COMMIT = "b6c9e06a59812fb1a83585da40923b3678a649ad"
_CII_SCHEMA_DIR = "cii/schema/D16B SCRDM (Subset)/uncoupled clm/CII/uncefact/data/standard"
_PHIVE_REPOSITORY = "phax/phive-rules"
_PHIVE_COMMIT = "432f0e9a8cff5c03d06625abe7a5fd8e7e346a64"
_PHIVE_PEPPOL = "src/main/resources/external/schematron/openpeppol"


def _ubl(path: str, sha256: str) -> PackFile:
    return PackFile(path, sha256, _github_raw(_UBL_REPOSITORY, _UBL_COMMIT, f"xsdrt/{path}"))


def _cii(name: str, sha256: str) -> PackFile:
    return PackFile(
        name, sha256, _github_raw(_CEN_REPOSITORY, _CEN_COMMIT, f"{_CII_SCHEMA_DIR}/{name}")
    )


def _cen(path: str, sha256: str) -> PackFile:
    name = path.rsplit("/", 1)[-1]
    return PackFile(name, sha256, _github_raw(_CEN_REPOSITORY, _CEN_COMMIT, path))


def _peppol(module: str, release: str, sha256: str) -> PackFile:
    path = f"{module}/{_PHIVE_PEPPOL}/{release}/xslt/PEPPOL-EN16931-UBL.xslt"
    return PackFile(
        "PEPPOL-EN16931-UBL.xslt", sha256, _github_raw(_PHIVE_REPOSITORY, _PHIVE_COMMIT, path)
    )


UBL_21_XSD = OfficialPack(
    name="ubl-2.1-xsd",
    version="2.1",
    layer="xsd",
    entries={
        "ubl-invoice": "maindoc/UBL-Invoice-2.1.xsd",
        "ubl-creditnote": "maindoc/UBL-CreditNote-2.1.xsd",
    },
    source="https://docs.oasis-open.org/ubl/os-UBL-2.1/",
    effective=date(2013, 11, 4),
    files=(
        _ubl(
            "common/CCTS_CCT_SchemaModule-2.1.xsd",
            "dd546e4809df86b6445589f69f0d6c9df162840ae386574ddfc1da7638103e15",
        ),
        _ubl(
            "common/UBL-CommonAggregateComponents-2.1.xsd",
            "580b5af6f68f7f556bd15945ba0e819cbf561442c81694f9b9468036ebedec4d",
        ),
        _ubl(
            "common/UBL-CommonBasicComponents-2.1.xsd",
            "a3b349bf92e5cff26e303d2f05b7e00c884dcafcfd9e12755fb80289abf5e22e",
        ),
        _ubl(
            "common/UBL-CommonExtensionComponents-2.1.xsd",
            "ad7a4e490978adfbcfc5ec0bb20941cf11ac960ccf0c4de8791a7c731a8dbe87",
        ),
        _ubl(
            "common/UBL-CommonSignatureComponents-2.1.xsd",
            "4fa9e2370100040fe14c43e135ef77e2eb66b21cb8dbfc2ffb8d82ae991fe92e",
        ),
        _ubl(
            "common/UBL-CoreComponentParameters-2.1.xsd",
            "8be3379dbdcbcc7802fafdd16bac72c48fff1c0bb364213a31a17911dd06100b",
        ),
        _ubl(
            "common/UBL-ExtensionContentDataType-2.1.xsd",
            "fcee77a11870208e6377ea6311b9f2a050bca24bdad8606ea02d71e9f9e72f8d",
        ),
        _ubl(
            "common/UBL-QualifiedDataTypes-2.1.xsd",
            "7dcb156e610239c97ae70940cf4653b88e48c3595bf5f56a2204a32e2893e6cf",
        ),
        _ubl(
            "common/UBL-SignatureAggregateComponents-2.1.xsd",
            "9234c2ca48dbfa9a22a786112bb075c5922a305170920eaab1e3c04fa0b7344b",
        ),
        _ubl(
            "common/UBL-SignatureBasicComponents-2.1.xsd",
            "0fbe2d7afff0c1e11164b8ec83e13f18801021c3c87e390a9d76f9cf862f6a64",
        ),
        _ubl(
            "common/UBL-UnqualifiedDataTypes-2.1.xsd",
            "09052d406b4293e2a5f9c2bfee6df10ad4d8d5f0b36e24a6349d7f7936d89eb6",
        ),
        _ubl(
            "common/UBL-XAdESv132-2.1.xsd",
            "a4f726bcf8cc3f7d9ffa4dab99e005535a8e8b60dced1e5d94578d2e05afa96e",
        ),
        _ubl(
            "common/UBL-XAdESv141-2.1.xsd",
            "1fa4625e9cefcb7a9abb5ac1b64315547450031eece8a55bd584e4ba4b79dbc1",
        ),
        _ubl(
            "common/UBL-xmldsig-core-schema-2.1.xsd",
            "101909c9f06456d61ddcc4fb982f1d40dc357b439f393b1a2eb46e42acd60809",
        ),
        _ubl(
            "maindoc/UBL-CreditNote-2.1.xsd",
            "1e117b6c1ab713604b29b0d685442a81a0c78a82575445ee8c43e6050cda7454",
        ),
        _ubl(
            "maindoc/UBL-Invoice-2.1.xsd",
            "3a5aacd823f0e5b8f25ae7b5191c2002d5333ba351d87de9371ed62dca2b2b0c",
        ),
    ),
)

CII_D16B_XSD = OfficialPack(
    name="cii-d16b-xsd",
    version="D16B",
    layer="xsd",
    entries={"cii": "CrossIndustryInvoice_100pD16B.xsd"},
    source=f"https://github.com/{_CEN_REPOSITORY}/tree/{_CEN_COMMIT}/cii/schema",
    # UN/CEFACT directory D16B (2016); the sources give no single day of publication.
    effective=None,
    files=(
        _cii(
            "CrossIndustryInvoice_100pD16B.xsd",
            "b9798aafcba039d0630f0015ffae5092a1758bf924d19d97b6bf0bf9d95f22a0",
        ),
        _cii(
            "CrossIndustryInvoice_QualifiedDataType_100pD16B.xsd",
            "a39e0662c31fbdca22237118d6b6bbfa16f69efbd1ee5b23787366349c5b924d",
        ),
        _cii(
            "CrossIndustryInvoice_ReusableAggregateBusinessInformationEntity_100pD16B.xsd",
            "cc682d67791ffe16c45320619ff089a1c8f3ad22691fc426e4056f2e67909fe0",
        ),
        _cii(
            "CrossIndustryInvoice_UnqualifiedDataType_100pD16B.xsd",
            "5d4ce8a6445caa4b7691f6fba6ad08e312e6a853cd3a422666d121ee2d13ef8c",
        ),
    ),
)

_CEN_RELEASE = f"https://github.com/{_CEN_REPOSITORY}/releases/tag/validation-1.3.16"

EN16931_UBL = OfficialPack(
    name="en16931-ubl",
    version="1.3.16",
    layer="en16931",
    entries={
        "ubl-invoice": "EN16931-UBL-validation.xslt",
        "ubl-creditnote": "EN16931-UBL-validation.xslt",
    },
    source=_CEN_RELEASE,
    effective=date(2026, 4, 10),
    files=(
        _cen(
            "ubl/xslt/EN16931-UBL-validation.xslt",
            "39f9d282867f1a49e7708d9e29a53da89643e1ee56f10cec1ebcf1277595fcbd",
        ),
    ),
)

EN16931_CII = OfficialPack(
    name="en16931-cii",
    version="1.3.16",
    layer="en16931",
    entries={"cii": "EN16931-CII-validation.xslt"},
    source=_CEN_RELEASE,
    effective=date(2026, 4, 10),
    files=(
        _cen(
            "cii/xslt/EN16931-CII-validation.xslt",
            "0b234dea2bbfee739b7761e607a992c17fab88773014ef56355b6158cfb1cc53",
        ),
    ),
)

_PEPPOL_ENTRIES: Mapping[Syntax, str] = {
    "ubl-invoice": "PEPPOL-EN16931-UBL.xslt",
    "ubl-creditnote": "PEPPOL-EN16931-UBL.xslt",
}

PEPPOL_BIS3_UBL_3_0_19 = OfficialPack(
    name="peppol-bis3-ubl",
    version="3.0.19",
    layer="peppol",
    entries=_PEPPOL_ENTRIES,
    source="https://github.com/OpenPEPPOL/peppol-bis-invoice-3/releases/tag/v3.0.19",
    effective=date(2025, 5, 29),  # the v3.0.19 tag
    files=(
        _peppol(
            "phive-rules-peppol-legacy",
            "2025.5",
            "9704496d5b51d5992079a45deaac63c921275c89be18a6676b8ce8d3385dded7",
        ),
    ),
)

PEPPOL_BIS3_UBL_3_0_21 = OfficialPack(
    name="peppol-bis3-ubl",
    version="3.0.21",
    layer="peppol",
    entries=_PEPPOL_ENTRIES,
    source="https://docs.peppol.eu/poacc/billing/3.0/release-notes/",
    # OpenPeppol's own release note for 3.0.21 was not retrievable. Service providers' notices
    # give the May 2026 release as mandatory from 24 August 2026 (Basware; one other validator
    # says 17 August): the later day is taken, so the release is never applied too early.
    effective=date(2026, 8, 24),
    files=(
        _peppol(
            "phive-rules-peppol",
            "2026.5",
            "8c6b935b1bc0bb17d29d949b0aa27ecc62021b613b9fba173cd6bfec6b3f0008",
        ),
    ),
)

OFFICIAL_PACKS: tuple[OfficialPack, ...] = (
    UBL_21_XSD,
    CII_D16B_XSD,
    EN16931_UBL,
    EN16931_CII,
    PEPPOL_BIS3_UBL_3_0_19,
    PEPPOL_BIS3_UBL_3_0_21,
)


def official_pack(name: str, version: str) -> OfficialPack | None:
    return next((p for p in OFFICIAL_PACKS if (p.name, p.version) == (name, version)), None)
