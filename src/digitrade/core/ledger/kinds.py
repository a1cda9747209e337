"""Entry kinds: each kind of evidence declares a version and a JSON Schema for its payload.

Systems register their kinds (``SystemModule.ledger_kinds``); an append with an unknown kind or a
payload that does not match its schema is refused before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs

from digitrade.core.errors import FieldIssue, ValidationFailed

KIND_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class EntryKind:
    name: str  # "<system>.<event>", e.g. "documents.issued"
    version: int
    description: str
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "object"})

    def __post_init__(self) -> None:
        if not KIND_NAME.match(self.name):
            raise ValueError(f"entry kind {self.name!r} must look like 'system.event'")
        if self.version < 1:
            raise ValueError("entry kind versions start at 1")
        jsonschema_rs.meta.validate(dict(self.schema))  # a broken schema fails at start-up


ATTESTATION = EntryKind(
    name="core.attestation",
    version=1,
    description="A statement an organisation anchors through the API: what, about which "
    "subject, and optionally the digest of an external document.",
    schema={
        "type": "object",
        "required": ["subject", "statement"],
        "additionalProperties": False,
        "properties": {
            "subject": {"type": "string", "minLength": 1, "maxLength": 500},
            "statement": {"type": "string", "minLength": 1, "maxLength": 2000},
            "documentDigest": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
            "reference": {"type": "string", "maxLength": 500},
        },
    },
)

_registry: dict[tuple[str, int], EntryKind] = {}
_validators: dict[tuple[str, int], jsonschema_rs.Validator] = {}


def register_kinds(kinds: Iterable[EntryKind]) -> None:
    for kind in kinds:
        key = (kind.name, kind.version)
        existing = _registry.get(key)
        if existing is not None and existing != kind:
            raise ValueError(f"entry kind {kind.name} v{kind.version} registered twice differently")
        _registry[key] = kind
        _validators[key] = jsonschema_rs.Draft202012Validator(dict(kind.schema))


def registered_kinds() -> list[EntryKind]:
    return sorted(_registry.values(), key=lambda k: (k.name, k.version))


def kind(name: str, version: int) -> EntryKind:
    try:
        return _registry[name, version]
    except KeyError:
        raise ValidationFailed(
            f"unknown entry kind {name!r} version {version}",
            fields=[FieldIssue("kind", "not a registered entry kind")],
        ) from None


def validate_payload(name: str, version: int, payload: Any) -> None:
    """Raise ``ValidationFailed`` naming each offending field of the payload."""
    kind(name, version)
    validator = _validators[name, version]
    if validator.is_valid(payload):  # the fast path: no error objects built
        return
    errors = sorted(validator.iter_errors(payload), key=lambda e: [str(p) for p in e.instance_path])
    if errors:
        issues = [
            FieldIssue(".".join(["payload", *(str(p) for p in error.instance_path)]), error.message)
            for error in errors
        ]
        raise ValidationFailed(
            f"payload does not match {name} v{version}: {issues[0].field}: {issues[0].message}",
            fields=issues,
        )


register_kinds([ATTESTATION])
