"""The shipped EBOPS 2010 list: structure, labels, flags, and agreement with the shared fixture."""

from __future__ import annotations

import csv

import pytest

from digitrade.systems.statistics import classification as cl
from tests.support import official_fixture

SUB_ITEMS = [
    "SC1",
    "SC2",
    "SC3",
    "SC4",
    "SDA",
    "SDB",
    "SDB1",
    "SDB2",
    "SDB3",
    "SE1",
    "SE2",
    "SF1",
    "SF2",
    "SF3",
    "SF4",
    "SG1",
    "SG2",
    "SH1",
    "SH2",
    "SH3",
    "SH4",
    "SI1",
    "SI2",
    "SI21",
    "SI22",
    "SI3",
    "SI31",
    "SI32",
    "SJ1",
    "SJ11",
    "SJ12",
    "SJ2",
    "SJ21",
    "SJ22",
    "SJ3",
    "SJ31",
    "SJ32",
    "SJ33",
    "SJ34",
    "SJ35",
    "SK1",
    "SK2",
    "SK21",
    "SK22",
    "SK23",
    "SK24",
    "SL1",
    "SL2",
    "SL3",
]

NOTE_ZH = {
    "SA": "加工服务",
    "SB": "维护和维修服务",
    "SC": "运输",
    "SD": "旅行",
    "SE": "建设",
    "SF": "保险和养老金服务",
    "SG": "金融服务",
    "SH": "知识产权使用费",
    "SI": "电信、计算机和信息服务",
    "SJ": "其他商业服务",
    "SK": "个人、文化和娱乐服务",
    "SL": "别处未提及的政府服务",
}


def test_file_holds_components_sub_items_and_aggregates():
    codes = cl.codes()
    assert len(SUB_ITEMS) == 49
    assert set(codes) == {"S", "SOX", "SPX4", *cl.COMPONENTS, *SUB_ITEMS}
    assert len(codes) == 64


def test_tree_is_consistent():
    for code, entry in cl.codes().items():
        if entry.is_aggregate:
            assert entry.parent is None
            assert entry.level == 0
        else:
            assert entry.parent is not None
            assert cl.lookup(entry.parent).level == entry.level - 1
            assert code.startswith(entry.parent if entry.parent != "S" else "S")
        assert entry.label_en
        assert entry.label_zh


def test_components():
    assert tuple(f"S{c}" for c in "ABCDEFGHIJKL") == cl.COMPONENTS
    for code in cl.COMPONENTS:
        assert cl.is_component(code)
        assert cl.lookup(code).parent == "S"
        assert cl.lookup(code).level == 1
    assert not cl.is_component("S")
    assert not cl.is_component("SI2")


def test_component_chinese_labels_come_from_the_note():
    for code, zh in NOTE_ZH.items():
        assert cl.label(code, "zh") == zh
        assert "MOFCOM/SAFE" in cl.lookup(code).source
    for code in SUB_ITEMS:
        assert "translation, to be checked" in cl.lookup(code).source


def test_labels_and_locales():
    assert cl.label("SC1") == "Sea transport"
    assert cl.label("SC1", "zh") == "海运"
    assert cl.label("SI21", "zh_Hans_CN") == "计算机软件"
    assert cl.label("SC4", "zh-CN") == "邮政和快递服务"
    assert cl.label("SC3", "en_GB") == "Other modes of transport"
    with pytest.raises(ValueError, match="locale"):
        cl.label("SC1", "fr")


def test_unknown_codes():
    assert cl.known_code("SI2")
    assert cl.known_code("SOX")
    assert not cl.known_code("si2")
    assert not cl.known_code("SZ")
    with pytest.raises(cl.UnknownCodeError, match="SZ"):
        cl.lookup("SZ")
    with pytest.raises(KeyError):
        cl.children("SZ")


def test_children_and_leaves():
    assert cl.children("SI") == ("SI1", "SI2", "SI3")
    assert cl.children("SI2") == ("SI21", "SI22")
    assert cl.children("SA") == ()
    assert cl.children("S") == cl.COMPONENTS
    assert cl.children("SPX4") == ("SA", "SB")
    assert cl.leaves_under("SA") == ("SA",)
    assert cl.leaves_under("SI") == ("SI1", "SI21", "SI22", "SI31", "SI32")
    assert cl.leaves_under("SD") == ("SDA", "SDB1", "SDB2", "SDB3")
    assert cl.leaves_under("SK") == ("SK1", "SK21", "SK22", "SK23", "SK24")
    assert cl.descendants("SK") == ("SK1", "SK2", "SK21", "SK22", "SK23", "SK24")


def test_aggregate_definitions():
    assert cl.AGGREGATES["S"] == cl.COMPONENTS
    assert cl.AGGREGATES["SOX"] == cl.COMPONENTS[:-1]
    assert "SL" not in cl.AGGREGATES["SOX"]
    assert cl.AGGREGATES["SPX4"] == ("SA", "SB")
    assert all(cl.is_aggregate(code) for code in ("S", "SOX", "SPX4"))
    # The leaves of S cover every non-aggregate leaf exactly once.
    leaves = cl.leaves_under("S")
    assert len(leaves) == len(set(leaves))
    assert set(leaves) == {
        c for c, e in cl.codes().items() if not e.is_aggregate and not cl.children(c)
    }


def _in_set(code: str, top: set[str]) -> bool:
    entry: str | None = code
    while entry is not None:
        if entry in top:
            return True
        entry = cl.lookup(entry).parent
    return False


def test_flags_follow_the_two_definitions():
    unctad = {"SF", "SG", "SH", "SI", "SJ", "SK1"}
    mofcom = {"SF", "SG", "SH", "SI", "SJ", "SK"}
    for code, entry in cl.codes().items():
        assert entry.unctad_digitally_deliverable == _in_set(code, unctad), code
        assert entry.mofcom_digitally_deliverable == _in_set(code, mofcom), code
    assert not cl.lookup("SK").unctad_digitally_deliverable
    assert cl.lookup("SK").mofcom_digitally_deliverable
    assert not cl.lookup("SK2").unctad_digitally_deliverable


def test_data_file_is_plain_utf8_with_lf():
    from importlib import resources

    raw = (
        resources.files("digitrade.systems.statistics")
        .joinpath("data", "ebops2010.csv")
        .read_bytes()
    )
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in raw
    header = raw.decode("utf-8").splitlines()[0]
    assert header == (
        "code,parent,level,label_en,label_zh,unctad_digitally_deliverable,"
        "mofcom_digitally_deliverable,source"
    )


@pytest.mark.fixtures
def test_agrees_with_shared_fixture():
    path = official_fixture("services-trade/ebops2010_codes.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = {row["code"]: row for row in csv.DictReader(handle)}
    shipped = {c: e for c, e in cl.codes().items() if not e.is_aggregate}
    assert set(rows) == set(shipped)
    for code, row in rows.items():
        entry = shipped[code]
        # The fixture leaves a component's parent empty; the shipped list names S.
        parent = "" if entry.parent == "S" else entry.parent or ""
        assert row["parent"] == parent, code
        assert (row["unctad_digitally_deliverable"] == "1") == entry.unctad_digitally_deliverable
        assert (row["mofcom_digitally_deliverable"] == "1") == entry.mofcom_digitally_deliverable
        if cl.is_component(code):
            assert row["label_en"] == entry.label_en, code
            if row["label_zh"]:
                assert row["label_zh"] == entry.label_zh, code
