"""The pure parts: the shipped vocabularies against IATA's Turtle files, literals, graphs,
validation, and change requests."""

from __future__ import annotations

import importlib.util
import json

import pytest

from digitrade.systems.aircargo import linkeddata as ld
from digitrade.systems.aircargo.changes import apply_change, parse_change
from digitrade.systems.aircargo.vocabulary import (
    API,
    API_VERSIONS,
    CARGO,
    DATA_DIR,
    XSD,
    vocabulary_for,
)
from tests.support import REPO_ROOT, official_fixture

ROOT = "https://air.example/onerecord/logistics-objects/p1"


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_onerecord_vocabulary", REPO_ROOT / "scripts" / "build_onerecord_vocabulary.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.fixtures
@pytest.mark.parametrize(
    "name", ["cargo-3.0.0.json", "cargo-3.2.json", "api-2.0.0.json", "api-2.2.0.json"]
)
def test_shipped_vocabulary_is_what_the_turtle_files_say(name):
    builder = _builder()
    relative, source = builder.SOURCES[name]
    rebuilt = builder.build_index(official_fixture(relative), source)
    shipped = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    assert rebuilt == shipped


def test_vocabulary_facts():
    v3 = vocabulary_for("2.0.0")
    v32 = vocabulary_for("2.2.0")
    assert v3.versions["https://onerecord.iata.org/ns/cargo"] == "3.0.0"
    assert v32.versions["https://onerecord.iata.org/ns/cargo"] == "3.2"
    assert v32.is_logistics_object_class(CARGO + "Piece")
    assert not v32.is_logistics_object_class(CARGO + "Value")
    assert not v32.is_logistics_object_class(CARGO + "LogisticsEvent")
    assert v32.is_subclass(CARGO + "Company", CARGO + "LogisticsAgent")
    piece = v32.declared_properties(frozenset({CARGO + "Piece"}))
    assert piece[CARGO + "grossWeight"] == CARGO + "Value"
    assert CARGO + "name" in piece  # "Domain owl:Thing" properties apply to every class
    assert CARGO + "waybillType" not in piece
    assert (
        v32.most_specific([CARGO + "LogisticsObject", CARGO + "Company", CARGO + "Organization"])
        == CARGO + "Company"
    )
    # The 2.1 rename of the event filter sits behind the version.
    assert API_VERSIONS["2.0.0"].event_code_parameter == "eventType"
    assert API_VERSIONS["2.2.0"].event_code_parameter == "event-code"


@pytest.mark.parametrize(
    ("value", "datatype", "expected"),
    [
        (True, None, {"@value": "true", "@type": XSD + "boolean"}),
        (20.0, None, {"@value": "20", "@type": XSD + "integer"}),
        (20.5, None, {"@value": "20.5", "@type": XSD + "double"}),
        (
            "2023-04-01T10:38:01.000Z",
            XSD + "dateTime",
            {"@value": "2023-04-01T10:38:01Z", "@type": XSD + "dateTime"},
        ),
        (
            "2023-04-01T12:38:01.250+02:00",
            XSD + "dateTime",
            {"@value": "2023-04-01T10:38:01.25Z", "@type": XSD + "dateTime"},
        ),
        ("x", XSD + "string", {"@value": "x"}),
        ("1", XSD + "boolean", {"@value": "true", "@type": XSD + "boolean"}),
    ],
)
def test_canonical_literals(value, datatype, expected):
    assert ld.canonical_literal(value, datatype) == expected


@pytest.mark.parametrize(
    ("text", "datatype"),
    [
        ("maybe", XSD + "boolean"),
        ("0", XSD + "positiveInteger"),
        ("1,5", XSD + "double"),
        ("noon", XSD + "dateTime"),
    ],
)
def test_invalid_lexical_forms(text, datatype):
    with pytest.raises(ld.LinkedDataError, match="is not a valid"):
        ld.canonical_literal(text, datatype)


def test_literal_equality_is_by_value_for_numbers():
    assert ld.literal_equals(
        {"@value": "20", "@type": XSD + "integer"}, {"@value": "20.0", "@type": XSD + "double"}
    )
    assert not ld.literal_equals({"@value": "20"}, {"@value": "20", "@type": XSD + "integer"})


def _graph(document):
    return ld.flatten_root(ld.single_root(ld.expand(document)), ROOT)


def test_embedded_nodes_get_iris_under_the_object():
    graph = _graph(
        {
            "@context": {"cargo": CARGO},
            "@type": "cargo:Piece",
            "cargo:grossWeight": {
                "cargo:numericalValue": 3,
                "cargo:unit": {
                    "@id": "https://onerecord.iata.org/ns/code-lists/MeasurementUnitCode#KGM"
                },
            },
        }
    )
    [weight] = [iri for iri in graph if iri != ROOT and iri.startswith(ROOT + "#")]
    ld.infer_types(graph, vocabulary_for("2.2.0"))
    assert graph[weight]["@type"] == [CARGO + "Value"]  # from the range of grossWeight
    assert ld.validate(graph, vocabulary_for("2.2.0")) == []
    nested = ld.nest(ROOT, graph)
    assert nested[CARGO + "grossWeight"][0]["@id"] == weight


def test_lenient_validation_keeps_what_strict_refuses():
    graph = _graph({"@context": {"cargo": CARGO}, "@type": "cargo:Piece", "cargo:colour": "red"})
    vocabulary = vocabulary_for("2.2.0")
    assert ld.validate(graph, vocabulary) == [(f"unknown property {CARGO}colour", ROOT)]
    assert ld.validate(graph, vocabulary, refuse_unknown=False) == []


def test_nesting_stops_at_cycles():
    graph = {
        ROOT: {
            "@id": ROOT,
            "@type": [CARGO + "Piece"],
            CARGO + "containedPieces": [{"@id": ROOT + "#a"}],
        },
        ROOT + "#a": {"@id": ROOT + "#a", CARGO + "inPiece": [{"@id": ROOT}]},
    }
    nested = ld.nest(ROOT, graph)
    assert nested[CARGO + "containedPieces"][0][CARGO + "inPiece"] == [{"@id": ROOT}]


def _change(operations, revision=1):
    return ld.single_root(
        ld.expand(
            {
                "@context": {"api": API},
                "@type": "api:Change",
                "api:hasLogisticsObject": {"@id": ROOT},
                "api:hasOperation": operations,
                "api:hasRevision": {"@type": XSD + "positiveInteger", "@value": str(revision)},
            }
        )
    )


def _op(op, s, p, datatype, value):
    return {
        "api:op": {"@id": f"api:{op}"},
        "api:s": s,
        "api:p": p,
        "api:o": [{"api:hasDatatype": datatype, "api:hasValue": value}],
    }


def test_change_adds_and_deletes_triples_and_drops_orphans():
    graph = {
        ROOT: {
            "@id": ROOT,
            "@type": [CARGO + "Piece"],
            CARGO + "coload": [{"@value": "false", "@type": XSD + "boolean"}],
        }
    }
    change = parse_change(
        _change(
            [
                _op("ADD", "_:w", CARGO + "numericalValue", XSD + "double", "20.0"),
                _op("ADD", ROOT, CARGO + "grossWeight", CARGO + "Value", "_:w"),
                _op("DELETE", ROOT, CARGO + "coload", XSD + "boolean", "false"),
            ]
        )
    )
    applied = apply_change(graph, ROOT, change)
    [weight] = [iri for iri in applied.graph if iri != ROOT]
    assert applied.graph[weight]["@type"] == [CARGO + "Value"]
    assert CARGO + "coload" not in applied.graph[ROOT]
    assert applied.changed_properties == [
        CARGO + "numericalValue",
        CARGO + "grossWeight",
        CARGO + "coload",
    ]
    # Unlinking the weight drops its node: nothing points at it any more.
    unlink = parse_change(
        _change([_op("DELETE", ROOT, CARGO + "grossWeight", CARGO + "Value", weight)], 2)
    )
    assert list(apply_change(applied.graph, ROOT, unlink).graph) == [ROOT]
    # Numbers are deleted by value: 20 removes "20.0".
    delete_number = parse_change(
        _change([_op("DELETE", weight, CARGO + "numericalValue", XSD + "double", "20")], 2)
    )
    after = apply_change(applied.graph, ROOT, delete_number).graph
    assert CARGO + "numericalValue" not in after[weight]


@pytest.mark.parametrize(
    ("operations", "message"),
    [
        ([{"api:subject": ROOT}], "unknown property"),
        (
            [_op("REPLACE", ROOT, CARGO + "name", XSD + "string", "x")],
            "op must be api:ADD or api:DELETE",
        ),
        ([{"api:op": {"@id": "api:ADD"}, "api:s": ROOT, "api:p": CARGO + "name"}], "o is missing"),
        ([], "no operations"),
    ],
)
def test_invalid_changes(operations, message):
    with pytest.raises(ld.LinkedDataError) as caught:
        parse_change(_change(operations))
    assert any(message in text for text, _ in caught.value.details) or message in caught.value.title


def test_a_change_cannot_reach_outside_its_object():
    change = parse_change(
        _change([_op("ADD", "https://elsewhere.example/x", CARGO + "name", XSD + "string", "x")])
    )
    with pytest.raises(ld.LinkedDataError, match="not part of this logistics object"):
        apply_change({ROOT: {"@id": ROOT}}, ROOT, change)
