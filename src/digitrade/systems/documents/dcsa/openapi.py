"""Conversion of OpenAPI 3.0 component schemas to JSON Schema draft 2020-12 (pure).

Used by ``scripts/build_dcsa_schemas.py`` to derive the schema files shipped under
``systems/documents/data/dcsa`` from the DCSA OpenAPI specifications, and by the tests to check
that the shipped files still match the specifications they were derived from.

OpenAPI 3.0.3 (section 4.7.24, Schema Object) differs from JSON Schema 2020-12 in a few ways:

- ``nullable: true`` adds ``null`` to the allowed types (there is no ``null`` type in OAS 3.0);
- ``exclusiveMinimum`` / ``exclusiveMaximum`` are booleans modifying ``minimum`` / ``maximum``;
- a ``$ref`` ignores its sibling keywords;
- ``discriminator``, ``xml``, ``externalDocs`` and ``example`` are OpenAPI-only annotations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
COMPONENT_PREFIX = "#/components/schemas/"
DEFS_PREFIX = "#/$defs/"

# Dropped: OpenAPI-only keywords, and prose/example annotations (they do not affect validation
# and make up most of the specification's bulk).
_DROPPED = frozenset({"description", "example", "discriminator", "xml", "externalDocs"})


def convert_schema(node: Any) -> Any:
    """One OpenAPI 3.0 Schema Object (recursively) as JSON Schema 2020-12."""
    if isinstance(node, list):
        return [convert_schema(item) for item in node]
    if not isinstance(node, Mapping):
        return node
    if "$ref" in node:
        ref = str(node["$ref"])
        if not ref.startswith(COMPONENT_PREFIX):
            raise ValueError(f"only local component references are supported, got {ref!r}")
        return {"$ref": DEFS_PREFIX + ref[len(COMPONENT_PREFIX) :]}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED or key in {"nullable", "exclusiveMinimum", "exclusiveMaximum"}:
            continue
        if key in {"properties", "patternProperties", "$defs", "definitions"}:
            out[key] = {name: convert_schema(child) for name, child in value.items()}
        elif key == "enum" or key == "required" or key == "default" or key == "const":
            out[key] = value  # data, not schemas
        else:
            out[key] = convert_schema(value)
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        flag = node.get(exclusive)
        if isinstance(flag, bool):
            if flag and bound in out:
                out[exclusive] = out.pop(bound)
        elif flag is not None:  # already numeric (JSON Schema style): keep as is
            out[exclusive] = flag
    if node.get("nullable") is True:
        out = _nullable(out)
    return out


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
        if "enum" in schema and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


def referenced_components(components: Mapping[str, Any], roots: Iterable[str]) -> list[str]:
    """Names of ``roots`` and every component they reference, transitively, sorted."""
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        if name not in components:
            raise KeyError(f"component schema {name!r} is not defined")
        seen.add(name)
        pending.extend(_refs(components[name]))
    return sorted(seen)


def _refs(node: Any) -> Iterable[str]:
    if isinstance(node, list):
        for item in node:
            yield from _refs(item)
    elif isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMPONENT_PREFIX):
            yield ref[len(COMPONENT_PREFIX) :]
        for value in node.values():
            yield from _refs(value)


def convert_components(
    spec: Mapping[str, Any], *, roots: Iterable[str] | None = None, schema_id: str | None = None
) -> dict[str, Any]:
    """A JSON Schema 2020-12 document whose ``$defs`` are the spec's component schemas.

    With ``roots``, only those components and what they reference; otherwise all of them.
    """
    components: Mapping[str, Any] = spec["components"]["schemas"]
    names = referenced_components(components, roots) if roots is not None else sorted(components)
    document: dict[str, Any] = {"$schema": JSON_SCHEMA_DIALECT}
    if schema_id:
        document["$id"] = schema_id
    info = spec.get("info", {})
    document["title"] = f"{info.get('title', 'OpenAPI')} {info.get('version', '')}".strip()
    document["$defs"] = {name: convert_schema(components[name]) for name in names}
    return document
