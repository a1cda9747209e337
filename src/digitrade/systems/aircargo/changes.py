"""ONE Record change requests (API 2.0 §PATCH): parse an ``api:Change`` and apply its
operations to a graph. Pure functions.

An operation adds or deletes one triple ``(s, p, o)``. ``s`` is the object or one of its
embedded nodes (a blank node label such as ``_:b0`` names a node the change creates); ``o`` is a
literal when its ``hasDatatype`` is an XML Schema type, else a node of that class.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from digitrade.systems.aircargo.linkeddata import (
    Graph,
    LinkedDataError,
    Node,
    canonical_literal,
    literal_equals,
    new_fragment,
    reachable,
)
from digitrade.systems.aircargo.vocabulary import API, XSD

CHANGE = API + "Change"
_CHANGE_KEYS = {
    "@type",
    "@id",
    API + "hasLogisticsObject",
    API + "hasDescription",
    API + "hasOperation",
    API + "hasRevision",
    API + "notifyRequestStatusChange",
}
_OPERATION_KEYS = {"@type", "@id", API + "op", API + "s", API + "p", API + "o"}
_OBJECT_KEYS = {"@type", "@id", API + "hasDatatype", API + "hasValue"}
OPERATIONS = {API + "ADD": "ADD", API + "DELETE": "DELETE"}


@dataclass(frozen=True)
class OperationObject:
    datatype: str
    value: str


@dataclass(frozen=True)
class Operation:
    op: str  # ADD or DELETE
    subject: str
    predicate: str
    objects: tuple[OperationObject, ...]


@dataclass(frozen=True)
class Change:
    logistics_object: str
    revision: int
    operations: tuple[Operation, ...]
    description: str | None = None
    notify: bool = False


@dataclass
class Applied:
    graph: Graph
    changed_properties: list[str] = field(default_factory=list)


def _one(node: Node, key: str, what: str) -> Node:
    values = node.get(key)
    if not values or len(values) != 1:
        raise LinkedDataError(f"{what} needs exactly one {key.removeprefix(API)}")
    value: Node = values[0]
    return value


def _text(value: Node, what: str) -> str:
    if "@value" in value:
        return str(value["@value"])
    if "@id" in value:
        return str(value["@id"])
    raise LinkedDataError(f"{what} must be a string")


def _unexpected(node: Node, allowed: set[str], what: str) -> list[tuple[str, str | None]]:
    return [(f"{what} has an unknown property {key}", None) for key in node if key not in allowed]


def parse_change(expanded: Node) -> Change:
    """An ``api:Change`` from its expanded JSON-LD (nested, as ``jsonld.expand`` gives it)."""
    if CHANGE not in expanded.get("@type", []):
        raise LinkedDataError("the body must be an api:Change")
    problems = _unexpected(expanded, _CHANGE_KEYS, "the Change")
    operations: list[Operation] = []
    for index, raw in enumerate(expanded.get(API + "hasOperation", []), start=1):
        what = f"operation {index}"
        problems += _unexpected(raw, _OPERATION_KEYS, what)
        if problems:
            continue
        op_iri = _text(_one(raw, API + "op", what), what)
        if op_iri not in OPERATIONS:
            problems.append((f"{what}: op must be api:ADD or api:DELETE", None))
            continue
        objects = []
        for value in raw.get(API + "o", []):
            problems += _unexpected(value, _OBJECT_KEYS, f"{what} object")
            if API + "hasDatatype" not in value or API + "hasValue" not in value:
                problems.append((f"{what}: each o needs hasDatatype and hasValue", None))
                continue
            objects.append(
                OperationObject(
                    _text(_one(value, API + "hasDatatype", what), what),
                    _text(_one(value, API + "hasValue", what), what),
                )
            )
        if not objects:
            problems.append((f"{what}: o is missing", None))
            continue
        operations.append(
            Operation(
                OPERATIONS[op_iri],
                _text(_one(raw, API + "s", what), what),
                _text(_one(raw, API + "p", what), what),
                tuple(objects),
            )
        )
    if not problems and not operations:
        problems.append(("the Change has no operations (api:hasOperation)", None))
    if problems:
        raise LinkedDataError("invalid Change", problems)
    target = _one(expanded, API + "hasLogisticsObject", "the Change")
    if "@id" not in target:
        raise LinkedDataError("hasLogisticsObject must reference the object (@id)")
    revision_text = _text(_one(expanded, API + "hasRevision", "the Change"), "hasRevision")
    try:
        revision = int(revision_text)
    except ValueError:
        raise LinkedDataError(f"hasRevision '{revision_text}' is not a positive integer") from None
    if revision < 1:
        raise LinkedDataError("hasRevision must be a positive integer")
    description = expanded.get(API + "hasDescription")
    notify: list[Node] = expanded.get(API + "notifyRequestStatusChange") or []
    return Change(
        logistics_object=str(target["@id"]),
        revision=revision,
        operations=tuple(operations),
        description=_text(description[0], "hasDescription") if description else None,
        notify=bool(notify) and str(notify[0].get("@value")).lower() == "true",
    )


def _value(obj: OperationObject, labels: dict[str, str], root: str) -> tuple[Node, str | None]:
    """The stored value, and the class of a node the change names (to type new nodes)."""
    if obj.datatype.startswith(XSD):
        return canonical_literal(obj.value, obj.datatype), None
    target = obj.value
    if target.startswith("_:"):
        target = labels.setdefault(target, new_fragment(root))
    return {"@id": target}, obj.datatype


def apply_change(graph: Graph, root_iri: str, change: Change) -> Applied:
    """The graph after the change; ``LinkedDataError`` when an operation cannot apply (the
    subject is not part of the object, or a deleted value is not there)."""
    result = copy.deepcopy(graph)
    labels: dict[str, str] = {}
    changed: list[str] = []
    for index, operation in enumerate(change.operations, start=1):
        subject = operation.subject
        if subject.startswith("_:"):
            subject = labels.setdefault(subject, new_fragment(root_iri))
            result.setdefault(subject, {"@id": subject})
        node = result.get(subject)
        if node is None:
            raise LinkedDataError(
                f"operation {index}: {subject} is not part of this logistics object"
            )
        if operation.predicate.startswith("@"):
            raise LinkedDataError(f"operation {index}: p must be a property IRI")
        values: list[Node] = node.setdefault(operation.predicate, [])
        for obj in operation.objects:
            value, node_class = _value(obj, labels, root_iri)
            if operation.op == "ADD":
                if not any(literal_equals(value, existing) for existing in values):
                    values.append(value)
                if node_class is not None:
                    child = result.setdefault(value["@id"], {"@id": value["@id"]})
                    if value["@id"].startswith(root_iri + "#") and not child.get("@type"):
                        child["@type"] = [node_class]
            else:
                kept = [existing for existing in values if not literal_equals(value, existing)]
                if len(kept) == len(values):
                    raise LinkedDataError(
                        f"operation {index}: cannot delete {obj.value} from "
                        f"{operation.predicate}: the object does not have it"
                    )
                values[:] = kept
        if not values:
            del node[operation.predicate]
        if operation.predicate not in changed:
            changed.append(operation.predicate)
    return Applied(reachable(result, root_iri), changed)
