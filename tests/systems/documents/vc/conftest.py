"""The W3C eddsa-jcs-2022 test vectors (w3c/vc-di-eddsa ``TestVectors/``) as fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from digitrade.systems.documents.vc.multibase import decode_private_key_multibase
from tests.support import official_fixture

VECTORS = "w3c-vc-di-eddsa/TestVectors"


def vector_path(name: str) -> Path:
    return official_fixture(f"{VECTORS}/{name}")


def vector_text(name: str) -> str:
    return vector_path(name).read_text(encoding="utf-8").strip()


def vector_json(name: str) -> Any:
    return json.loads(vector_path(name).read_text(encoding="utf-8"))


@pytest.fixture
def key_pair() -> dict[str, str]:
    return vector_json("keyPair.json")


@pytest.fixture
def private_key(key_pair: dict[str, str]) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(
        decode_private_key_multibase(key_pair["privateKeyMultibase"])
    )


@pytest.fixture
def unsigned() -> dict[str, Any]:
    return vector_json("unsigned.json")


@pytest.fixture
def signed() -> dict[str, Any]:
    return vector_json("eddsa-jcs-2022/signedJCS.json")
