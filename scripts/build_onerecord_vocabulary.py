"""Build the ONE Record vocabularies that the air cargo server ships, from IATA's Turtle files.

The cargo ontology states which properties a class has as OWL restrictions on the class
(``rdfs:subClassOf [owl:onProperty p; owl:allValuesFrom R]``); the API ontology uses
``rdfs:domain`` (a class or an ``owl:unionOf``). Both become one JSON index per ontology version:
classes with their direct superclasses and the properties declared on them (with the range),
properties with their kind, and named individuals. ``tests/systems/aircargo`` rebuilds the index
from the fixtures and compares it with the shipped file.

    python scripts/build_onerecord_vocabulary.py ../shared/fixtures
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

OWL_COMMENT = rdflib.URIRef("http://www.w3.org/2002/07/owl#comment")  # not in OWL itself
OUT = Path(__file__).resolve().parents[1] / "src/digitrade/systems/aircargo/data"

SOURCES = {
    "cargo-3.0.0.json": (
        "onerecord-api-2.0/ontology/IATA-1R-DM-Ontology-3.0.0.ttl",
        "IATA-Cargo/ONE-Record 2023-12-standard/Data-Model/IATA-1R-DM-Ontology.ttl (MIT)",
    ),
    "cargo-3.2.json": (
        "onerecord-current/ontology/IATA-1R-DM-Ontology-3.2.ttl",
        "IATA-Cargo/ONE-Record 2025-07-standard/Data-Model/IATA-1R-DM-Ontology.ttl (MIT)",
    ),
    "api-2.0.0.json": (
        "onerecord-api-2.0/ontology/ONE-Record-API-Ontology-2.0.0.ttl",
        "IATA-Cargo/ONE-Record 2023-12-standard/API-Security/assets/ONE-Record-API-Ontology.ttl "
        "(MIT)",
    ),
    "api-2.2.0.json": (
        "onerecord-current/ontology/ONE-Record-API-Ontology-2.2.0.ttl",
        "IATA-Cargo/ONE-Record 2025-07-standard/API-Security/ONE-Record-API-Ontology.ttl (MIT)",
    ),
}


def _union(graph: rdflib.Graph, node: rdflib.term.Node) -> list[str]:
    if isinstance(node, rdflib.URIRef):
        return [str(node)]
    members = graph.value(node, OWL.unionOf)
    if members is None:
        return []
    return sorted(str(m) for m in Collection(graph, members) if isinstance(m, rdflib.URIRef))


def _commented_domain(graph: rdflib.Graph, prop: rdflib.URIRef, ontology: str) -> list[str]:
    """The cargo ontology states a property's domain in a comment: "Domain :Waybill",
    "Domain: WaybillLineItem" or "Domain owl:Thing" (any class)."""
    for comment in graph.objects(prop, OWL_COMMENT):
        text = str(comment).strip()
        if not text.startswith("Domain"):
            continue
        names = text.removeprefix("Domain").strip(" :").replace(",", " ").split()
        found = []
        for name in names:
            if name == "owl:Thing":
                found.append(str(OWL.Thing))
            else:
                found.append(ontology + "#" + name.lstrip(":"))
        return sorted(found)
    return []


def build_index(path: Path, source: str) -> dict[str, Any]:
    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    ontology = next(iter(graph.subjects(RDF.type, OWL.Ontology)))
    classes: dict[str, dict[str, Any]] = {}
    for cls in sorted(set(graph.subjects(RDF.type, OWL.Class)), key=str):
        if not isinstance(cls, rdflib.URIRef):
            continue
        supers: list[str] = []
        properties: dict[str, str | None] = {}
        for parent in graph.objects(cls, RDFS.subClassOf):
            if isinstance(parent, rdflib.URIRef):
                supers.append(str(parent))
                continue
            prop = graph.value(parent, OWL.onProperty)
            if prop is None:
                continue
            target = (
                graph.value(parent, OWL.allValuesFrom)
                or graph.value(parent, OWL.someValuesFrom)
                or graph.value(parent, OWL.onClass)
                or graph.value(parent, OWL.onDataRange)
            )
            if isinstance(target, rdflib.URIRef) or str(prop) not in properties:
                properties[str(prop)] = str(target) if isinstance(target, rdflib.URIRef) else None
        classes[str(cls)] = {
            "super": sorted(supers),
            "properties": dict(sorted(properties.items())),
        }
    properties_index: dict[str, dict[str, Any]] = {}
    for kind, rdf_type in (("object", OWL.ObjectProperty), ("datatype", OWL.DatatypeProperty)):
        for prop in graph.subjects(RDF.type, rdf_type):
            if not isinstance(prop, rdflib.URIRef):
                continue
            domain = graph.value(prop, RDFS.domain)
            rng = graph.value(prop, RDFS.range)
            properties_index[str(prop)] = {
                "kind": kind,
                "domain": (
                    _union(graph, domain)
                    if domain is not None
                    else _commented_domain(graph, prop, str(ontology))
                ),
                "range": str(rng) if isinstance(rng, rdflib.URIRef) else None,
            }
    individuals = {
        str(ind): sorted(str(t) for t in graph.objects(ind, RDF.type) if t != OWL.NamedIndividual)
        for ind in graph.subjects(RDF.type, OWL.NamedIndividual)
        if isinstance(ind, rdflib.URIRef)
    }
    version = graph.value(ontology, OWL.versionInfo)
    return {
        "ontology": str(ontology),
        "version": str(version) if version is not None else "",
        "source": source,
        "classes": classes,
        "properties": dict(sorted(properties_index.items())),
        "individuals": dict(sorted(individuals.items())),
    }


def main(fixtures: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (relative, source) in SOURCES.items():
        index = build_index(Path(fixtures) / relative, source)
        (OUT / name).write_text(
            json.dumps(index, indent=0, sort_keys=False, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        print(f"{name}: {len(index['classes'])} classes, {len(index['properties'])} properties")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/fixtures")
