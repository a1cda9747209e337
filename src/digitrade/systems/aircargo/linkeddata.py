"""JSON-LD in and out of the ONE Record server: pure functions, no database.

Incoming documents are expanded and flattened with PyLD (no remote contexts are ever fetched),
literals are brought to one canonical form, and the nodes an object embeds (blank nodes) get IRIs
of their own (``<object IRI>#<token>``) so that a client can address them in a later change. A
graph is a mapping ``IRI -> node`` in expanded, flattened JSON-LD. Outgoing documents nest the
embedded nodes under the node that references them and are compacted with the ONE Record
context.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import secrets
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from pyld import jsonld

from digitrade.systems.aircargo.vocabulary import CODE_LIST_PREFIXES, CONTEXT, XSD, Vocabulary

Node = dict[str, Any]
Graph = dict[str, Node]
MAX_BODY_BYTES = 2 * 1024 * 1024
RDF_TYPE = "@type"
_NUMERIC = {
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "decimal",
        "double",
        "float",
        "positiveInteger",
        "nonNegativeInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
    )
}
_INTEGER_TYPES = _NUMERIC - {XSD + "decimal", XSD + "double", XSD + "float"}


class LinkedDataError(ValueError):
    """A document that is not acceptable; ``details`` holds (message, resource) pairs."""

    def __init__(self, title: str, details: list[tuple[str, str | None]] | None = None) -> None:
        super().__init__(title)
        self.title = title
        self.details = details or [(title, None)]


def _no_remote_documents(url: str, options: Any = None) -> Any:
    raise jsonld.JsonLdError(
        f"remote context {url} is not fetched: put the context inline",
        "jsonld.LoadDocumentError",
        code="loading remote context failed",
    )


_OPTIONS: dict[str, Any] = {"documentLoader": _no_remote_documents}


def parse_json(body: bytes) -> Any:
    if len(body) > MAX_BODY_BYTES:
        raise LinkedDataError(f"the document is larger than {MAX_BODY_BYTES:,} bytes")
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LinkedDataError(f"the body is not JSON: {exc}") from None
    except RecursionError:
        raise LinkedDataError("the document is nested too deeply") from None


def expand(document: Any) -> list[Node]:
    """Expanded JSON-LD (a list of top-level nodes)."""
    if not isinstance(document, dict):
        raise LinkedDataError("the body must be one JSON-LD object")
    try:
        expanded: list[Node] = jsonld.expand(document, _OPTIONS)
    except jsonld.JsonLdError as exc:
        raise LinkedDataError(f"not valid JSON-LD: {_jsonld_message(exc)}") from None
    except RecursionError:
        raise LinkedDataError("the document is nested too deeply") from None
    return expanded


def _jsonld_message(exc: jsonld.JsonLdError) -> str:
    cause = getattr(exc, "cause", None)
    while cause is not None and isinstance(cause, jsonld.JsonLdError):
        exc, cause = cause, getattr(cause, "cause", None)
    return str(exc).splitlines()[0]


def single_root(expanded: list[Node]) -> Node:
    if len(expanded) != 1 or "@graph" in expanded[0]:
        raise LinkedDataError("the document must describe exactly one top-level object")
    return expanded[0]


# --- literals -------------------------------------------------------------------------------


def _canonical_datetime(text: str) -> str:
    value = dt.datetime.fromisoformat(text.replace("z", "Z"))
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    base = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        base += f".{value.microsecond:06d}".rstrip("0")
    return base + ("Z" if value.tzinfo is not None else "")


def canonical_literal(value: Any, datatype: str | None, language: str | None = None) -> Node:
    """One literal in its stored form: ``{"@value": str, "@type"?: IRI, "@language"?: tag}``."""
    if isinstance(value, bool):
        return {"@value": "true" if value else "false", "@type": datatype or XSD + "boolean"}
    if isinstance(value, int):
        return {"@value": str(value), "@type": datatype or XSD + "integer"}
    if isinstance(value, float):
        if not math.isfinite(value):
            raise LinkedDataError(f"{value} is not a number JSON-LD can carry")
        if datatype is None and value.is_integer() and abs(value) < 1e21:
            return {"@value": str(int(value)), "@type": XSD + "integer"}
        return {"@value": repr(value), "@type": datatype or XSD + "double"}
    if not isinstance(value, str):
        raise LinkedDataError(f"unsupported literal {value!r}")
    if datatype is None or datatype == XSD + "string":
        literal: Node = {"@value": value}
        if language:
            literal["@language"] = language
        return literal
    return {"@value": _check_lexical(value, datatype), "@type": datatype}


def _check_lexical(text: str, datatype: str) -> str:
    try:
        if datatype == XSD + "boolean":
            if text not in ("true", "false", "1", "0"):
                raise ValueError
            return "true" if text in ("true", "1") else "false"
        if datatype == XSD + "dateTime":
            return _canonical_datetime(text)
        if datatype == XSD + "date":
            return dt.date.fromisoformat(text).isoformat()
        if datatype in _INTEGER_TYPES:
            number = int(text)
            if datatype.endswith("#positiveInteger") and number <= 0:
                raise ValueError
            if datatype.endswith("#nonNegativeInteger") and number < 0:
                raise ValueError
            return text
        if datatype in _NUMERIC:
            Decimal(text)
            return text
    except (ValueError, InvalidOperation):
        short = datatype.removeprefix(XSD)
        raise LinkedDataError(f"'{text}' is not a valid xsd:{short}") from None
    return text


def literal_equals(left: Node, right: Node) -> bool:
    """Same literal value: numbers compare by value (20 equals 20.0), the rest by lexical form."""
    if "@id" in left or "@id" in right:
        return left.get("@id") == right.get("@id")
    left_type, right_type = left.get("@type"), right.get("@type")
    if left_type in _NUMERIC and right_type in _NUMERIC:
        try:
            return Decimal(left["@value"]) == Decimal(right["@value"])
        except InvalidOperation:
            return False
    return bool(
        left["@value"] == right["@value"]
        and (left_type or XSD + "string") == (right_type or XSD + "string")
    )


def literal_text(value: Node | None) -> str | None:
    if value is None:
        return None
    if "@id" in value:
        return str(value["@id"])
    return str(value.get("@value"))


# --- graphs ---------------------------------------------------------------------------------


def new_fragment(subject: str) -> str:
    return f"{subject}#{secrets.token_hex(6)}"


def flatten_root(root: Node, root_iri: str) -> Graph:
    """The graph of one incoming object: the root takes ``root_iri`` and every blank node an
    IRI under it; literals become canonical."""
    root = dict(root)
    root["@id"] = root_iri
    try:
        flat: list[Node] = jsonld.flatten([root], None, _OPTIONS)
    except jsonld.JsonLdError as exc:
        raise LinkedDataError(f"not valid JSON-LD: {_jsonld_message(exc)}") from None
    except RecursionError:
        raise LinkedDataError("the document is nested too deeply") from None
    names: dict[str, str] = {}

    def rename(identifier: str) -> str:
        if not identifier.startswith("_:"):
            return identifier
        if identifier not in names:
            names[identifier] = new_fragment(root_iri)
        return names[identifier]

    graph: Graph = {}
    for node in flat:
        identifier = rename(node["@id"])
        stored: Node = {"@id": identifier}
        if node.get("@type"):
            stored["@type"] = list(node["@type"])
        for key, values in node.items():
            if key.startswith("@"):
                if key not in ("@id", "@type"):
                    raise LinkedDataError(f"JSON-LD keyword {key} is not supported here")
                continue
            stored[key] = [_stored_value(value, rename) for value in values]
        graph[identifier] = stored
    return graph


def _stored_value(value: Node, rename: Callable[[str], str]) -> Node:
    if "@list" in value:
        raise LinkedDataError("JSON-LD lists (@list) are not part of ONE Record data")
    if "@id" in value:
        return {"@id": rename(value["@id"])}
    if "@value" not in value:
        raise LinkedDataError("a property value is neither a node nor a literal")
    return canonical_literal(value["@value"], value.get("@type"), value.get("@language"))


def reachable(graph: Graph, root_iri: str) -> Graph:
    """The nodes reachable from the root (a change that unlinks a node drops it)."""
    kept: Graph = {}
    todo = [root_iri]
    while todo:
        identifier = todo.pop()
        if identifier in kept or identifier not in graph:
            continue
        node = graph[identifier]
        kept[identifier] = node
        for key, values in node.items():
            if not key.startswith("@"):
                todo.extend(v["@id"] for v in values if "@id" in v)
    return kept


def infer_types(graph: Graph, vocabulary: Vocabulary) -> None:
    """Give an untyped node the class its referencing property's range names."""
    for node in list(graph.values()):
        types = frozenset(node.get("@type", []))
        declared = vocabulary.declared_properties(types) if types else {}
        for key, values in node.items():
            if key.startswith("@"):
                continue
            target = declared.get(key) or vocabulary.properties.get(key, {}).get("range")
            if not target or target not in vocabulary.classes:
                continue
            for value in values:
                child = graph.get(value.get("@id", ""))
                if child is not None and not child.get("@type") and _has_properties(child):
                    child["@type"] = [target]


def _has_properties(node: Node) -> bool:
    return any(not key.startswith("@") for key in node)


def validate(
    graph: Graph, vocabulary: Vocabulary, *, refuse_unknown: bool = True
) -> list[tuple[str, str | None]]:
    """Problems with the graph against the ontology: unknown classes, unknown properties,
    properties the node's classes do not have, literals where a node belongs and vice versa."""
    problems: list[tuple[str, str | None]] = []
    for identifier, node in graph.items():
        types = node.get("@type", [])
        known_types = [t for t in types if t in vocabulary.classes]
        for cls in types:
            unknown = cls not in vocabulary.classes and not cls.startswith(CODE_LIST_PREFIXES)
            if unknown and refuse_unknown:
                problems.append((f"unknown class {cls}", identifier))
        if not _has_properties(node):
            continue
        if not known_types:
            if refuse_unknown or not types:
                problems.append(("a node with properties needs a known @type", identifier))
            continue
        declared = vocabulary.declared_properties(frozenset(known_types))
        for key, values in node.items():
            if key.startswith("@"):
                continue
            info = vocabulary.properties.get(key)
            if info is None or key not in declared:
                if refuse_unknown:
                    reason = (
                        f"unknown property {key}"
                        if info is None
                        else f"property {key} is not defined for {', '.join(known_types)}"
                    )
                    problems.append((reason, identifier))
                continue
            if not refuse_unknown:
                continue  # lenient: values are kept as sent
            for value in values:
                is_node = "@id" in value
                if info["kind"] == "datatype" and is_node:
                    problems.append((f"{key} takes a literal value, not a node", identifier))
                elif info["kind"] == "object" and not is_node:
                    problems.append((f"{key} takes a node (@id), not a literal", identifier))
    return problems


def graph_types(graph: Graph, iri: str) -> list[str]:
    return list(graph.get(iri, {}).get("@type", []))


# --- output ---------------------------------------------------------------------------------


def nest(
    root_iri: str,
    graph: Mapping[str, Node],
    extra: Callable[[str], Mapping[str, Node] | None] | None = None,
) -> Node:
    """The root node with the nodes it references nested in place (each path at most once, so a
    cycle ends in a plain reference). ``extra`` supplies other objects' graphs (``embedded``)."""
    graphs: list[Mapping[str, Node]] = [graph]

    def lookup(identifier: str) -> Node | None:
        for source in graphs:
            if identifier in source:
                return source[identifier]
        if extra is not None:
            found = extra(identifier)
            if found:
                graphs.append(found)
                return found.get(identifier)
        return None

    def build(identifier: str, path: frozenset[str]) -> Node:
        node = lookup(identifier)
        if node is None:
            return {"@id": identifier}
        out: Node = {}
        for key, values in node.items():
            if key.startswith("@"):
                out[key] = values
                continue
            out[key] = [
                build(value["@id"], path | {identifier})
                if "@id" in value and value["@id"] not in path and value["@id"] != identifier
                else value
                for value in values
            ]
        return out

    return build(root_iri, frozenset())


def compact(document: Node | list[Node]) -> dict[str, Any]:
    """Compact JSON-LD with the ONE Record context (``cargo:``, ``api:``, ``xsd:``)."""
    compacted: dict[str, Any] = jsonld.compact(document, {"@context": CONTEXT}, _OPTIONS)
    return compacted


def dump(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def iri_value(iri: str) -> Node:
    return {"@id": iri}


def typed(value: str, datatype: str) -> Node:
    return {"@value": value, "@type": datatype}


def plain(value: str) -> Node:
    return {"@value": value}


def values_of(node: Node, prop: str) -> list[Node]:
    found: list[Node] = node.get(prop, [])
    return found


def first_text(node: Node, prop: str) -> str | None:
    values = values_of(node, prop)
    return literal_text(values[0]) if values else None


def iris(values: Iterable[Node]) -> list[str]:
    return [str(v["@id"]) for v in values if "@id" in v]
