"""The ONE Record vocabularies (cargo ontology and API ontology) and the API versions served.

The JSON indexes in ``data/`` are built from IATA's Turtle files by
``scripts/build_onerecord_vocabulary.py`` (classes, their superclasses and the properties the
ontology declares on them; properties with their kind; named individuals).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CARGO = "https://onerecord.iata.org/ns/cargo#"
API = "https://onerecord.iata.org/ns/api#"
XSD = "http://www.w3.org/2001/XMLSchema#"
CODE_LIST_PREFIXES = (
    "https://onerecord.iata.org/ns/code-lists/",
    "https://onerecord.iata.org/ns/coreCodeLists#",
)
LOGISTICS_OBJECT = CARGO + "LogisticsObject"
LOGISTICS_EVENT = CARGO + "LogisticsEvent"
OWL_THING = "http://www.w3.org/2002/07/owl#Thing"
CONTEXT: dict[str, str] = {"cargo": CARGO, "api": API, "xsd": XSD}
DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class ApiVersion:
    """One ONE Record API release and the ontologies it goes with."""

    name: str  # as announced in ServerInformation and Content-Type
    cargo_file: str
    api_file: str
    event_code_parameter: str  # the event list filter: eventType (2.0), event-code (2.1+)
    audit_trail_requests: str  # AuditTrail property naming its requests
    cargo_ontology_iri: str
    api_ontology_iri: str


API_VERSIONS: dict[str, ApiVersion] = {
    "2.0.0": ApiVersion(
        "2.0.0",
        "cargo-3.0.0.json",
        "api-2.0.0.json",
        "eventType",
        API + "hasChangeRequest",
        "https://onerecord.iata.org/ns/cargo/3.0.0",
        "https://onerecord.iata.org/ns/api/2.0.0",
    ),
    "2.2.0": ApiVersion(
        "2.2.0",
        "cargo-3.2.json",
        "api-2.2.0.json",
        "event-code",
        API + "hasActionRequest",
        "https://onerecord.iata.org/ns/cargo/3.2",
        "https://onerecord.iata.org/ns/api/2.2.0",
    ),
}
# Versions a client may name in Content-Type/Accept (the IATA 2.0 test suites send 2.0.0-dev).
ACCEPTED_VERSION_PARAMETERS = frozenset({"2.0.0-dev", "2.0.0", "2.1.0", "2.2.0"})


class Vocabulary:
    """Classes and properties of one ontology pair, with inheritance resolved."""

    def __init__(self, *indexes: dict[str, Any]) -> None:
        self.classes: dict[str, dict[str, Any]] = {}
        self.properties: dict[str, dict[str, Any]] = {}
        self.individuals: dict[str, list[str]] = {}
        self.versions: dict[str, str] = {}
        for index in indexes:
            # The API ontology names some cargo classes too: merge, never overwrite.
            for cls, info in index["classes"].items():
                merged = self.classes.setdefault(cls, {"super": [], "properties": {}})
                merged["super"] = sorted(set(merged["super"]) | set(info["super"]))
                for prop, rng in info["properties"].items():
                    if rng is not None or prop not in merged["properties"]:
                        merged["properties"][prop] = rng
            self.properties.update(index["properties"])
            self.individuals.update(index["individuals"])
            self.versions[index["ontology"]] = index["version"]
        self._ancestors: dict[str, frozenset[str]] = {}
        self._declared: dict[frozenset[str], dict[str, str | None]] = {}
        # Domains (rdfs:domain in the API ontology, a "Domain :Class" note in the cargo one)
        # add to the restrictions; a property of owl:Thing belongs to every class.
        self.universal: dict[str, str | None] = {}
        for prop, info in self.properties.items():
            for domain in info.get("domain", []):
                if domain == OWL_THING:
                    self.universal[prop] = info.get("range")
                elif domain in self.classes:
                    self.classes[domain]["properties"].setdefault(prop, info.get("range"))

    def ancestors(self, cls: str) -> frozenset[str]:
        """The class and all its superclasses."""
        found = self._ancestors.get(cls)
        if found is None:
            seen: set[str] = set()
            todo = [cls]
            while todo:
                current = todo.pop()
                if current in seen:
                    continue
                seen.add(current)
                todo.extend(self.classes.get(current, {}).get("super", []))
            found = frozenset(seen)
            self._ancestors[cls] = found
        return found

    def is_subclass(self, cls: str, parent: str) -> bool:
        return parent in self.ancestors(cls)

    def is_logistics_object_class(self, cls: str) -> bool:
        return cls in self.classes and self.is_subclass(cls, LOGISTICS_OBJECT)

    def declared_properties(self, types: frozenset[str]) -> dict[str, str | None]:
        """Property -> range for everything the ontology declares on these classes."""
        found = self._declared.get(types)
        if found is None:
            found = dict(self.universal)
            for cls in types:
                for ancestor in self.ancestors(cls):
                    found.update(self.classes.get(ancestor, {}).get("properties", {}))
            self._declared[types] = found
        return found

    def most_specific(self, types: list[str]) -> str:
        """The type no other listed type inherits from (the first such, in the order given)."""
        for candidate in types:
            if not any(
                other != candidate and self.is_subclass(other, candidate) for other in types
            ):
                return candidate
        return types[0]


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    return data


@cache
def vocabulary_for(version: str) -> Vocabulary:
    api_version = API_VERSIONS[version]
    return Vocabulary(_load(api_version.cargo_file), _load(api_version.api_file))
