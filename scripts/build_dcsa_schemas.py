"""Derive the DCSA eBL / PINT JSON Schemas shipped with digitrade from the DCSA OpenAPI specs.

Usage:  .venv/bin/python scripts/build_dcsa_schemas.py [OPENAPI_DIR]

OPENAPI_DIR defaults to ../shared/fixtures/dcsa-ebl/openapi (copies of dcsaorg/DCSA-OpenAPI at
commit 5d0f8337a994e25d4605754339e14eb6bf2d1d08). Every component schema of each specification is
converted to JSON Schema draft 2020-12 (see ``digitrade.systems.documents.dcsa.openapi``) and
written to src/digitrade/systems/documents/data/dcsa/<spec>.schema.json. Needs PyYAML, which is
only used here: the product reads the generated JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from digitrade.systems.documents.dcsa.openapi import convert_components
from digitrade.systems.documents.dcsa.schema import SPEC_FILES

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "fixtures" / "dcsa-ebl" / "openapi"
TARGET = REPO / "src" / "digitrade" / "systems" / "documents" / "data" / "dcsa"


def render(spec_path: Path, spec_id: str) -> str:
    """The schema file text for one OpenAPI file (stable: sorted keys, trailing newline)."""
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    document = convert_components(spec, schema_id=f"urn:digitrade:dcsa:{spec_id}")
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    TARGET.mkdir(parents=True, exist_ok=True)
    for spec_id, openapi_name in SPEC_FILES.items():
        text = render(source / openapi_name, spec_id)
        (TARGET / f"{spec_id}.schema.json").write_text(text, encoding="utf-8")
        print(f"{spec_id}: {len(text)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
