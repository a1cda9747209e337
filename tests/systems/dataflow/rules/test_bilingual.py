"""The decision in Chinese: every reason, obligation and deadline has a Chinese text beside the
English one, and the English contract is what it was before the Chinese fields were added."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Any

import pytest

from digitrade.systems.dataflow.rules import (
    RULES,
    RULES_BY_ID,
    AssessmentRequest,
    ImportantData,
    assess,
    catalogue,
)
from digitrade.systems.dataflow.rules import FtzListMatch as M
from digitrade.systems.dataflow.rules import FtzRequirement as R
from digitrade.systems.dataflow.rules import Purpose as P
from digitrade.systems.dataflow.rules.catalogue_zh import (
    ARTICLES_ZH,
    NOTES_ZH,
    OBLIGATIONS_ZH,
    SUMMARIES_ZH,
    TERMS_ZH,
)
from digitrade.systems.dataflow.rules.texts import TEMPLATES, article_zh, render
from tests.systems.dataflow.rules.builders import UNDER_2022_MEASURES, request

BEFORE_NDSMR = date(2024, 6, 1)
BEFORE_SCC = date(2023, 1, 15)
WITH_CERTIFICATION = date(2026, 2, 1)

# Every pathway, the 2022 regime, FTZ lists, CIIOs, the necessity exemptions and the rules not
# yet in force on the assessment date.
CASES: dict[str, AssessmentRequest] = {
    "no-pi": request(personal_information=False),
    "no-pi-2022": request(as_of=UNDER_2022_MEASURES, personal_information=False),
    "small-volume": request(individuals=50_000, earlier=1_234),
    "contract-volume": request(individuals=150_000, sensitive=3, remote_access=True),
    "contract-sensitive": request(sensitive=5, country="US"),
    "sa-volume": request(individuals=999_999, earlier=1, remote_access=True),
    "sa-sensitive": request(sensitive=9_000, earlier_sensitive=1_000),
    "sa-both": request(individuals=2_000_000, sensitive=20_000),
    "important": request(
        important=ImportantData.notified,
        purpose=P.contract_with_individual,
        collected_abroad=True,
        in_ftz=True,
        sector="shipping",
        ftz_match=M.off_list,
    ),
    "important-2022": request(as_of=UNDER_2022_MEASURES, important=ImportantData.notified),
    "core": request(core=True, in_ftz=True),
    "core-2022": request(as_of=UNDER_2022_MEASURES, core=True),
    "ciio": request(ciio=True, individuals=10),
    "ciio-2022": request(as_of=UNDER_2022_MEASURES, ciio=True, individuals=10),
    "ciio-contract": request(
        ciio=True,
        purpose=P.contract_with_individual,
        contract_type="hotel booking",
        individuals=2_000_000,
    ),
    "hr": request(purpose=P.hr_management, individuals=300_000),
    "emergency": request(purpose=P.emergency, sensitive=50_000),
    "statutory": request(purpose=P.statutory_duty, individuals=10),
    "statutory-before-ndsmr": request(as_of=BEFORE_NDSMR, purpose=P.statutory_duty, individuals=10),
    "contract-2022": request(
        as_of=UNDER_2022_MEASURES, purpose=P.contract_with_individual, individuals=10
    ),
    "transit": request(purpose=P.transit, collected_abroad=True, ciio=True, individuals=5),
    "transit-not-abroad": request(purpose=P.transit, individuals=5),
    "transit-2022": request(
        as_of=UNDER_2022_MEASURES, purpose=P.transit, collected_abroad=True, individuals=5
    ),
    "ftz-off": request(
        in_ftz=True, sector="international shipping", ftz_match=M.off_list, individuals=500_000
    ),
    "ftz-on-sa": request(
        in_ftz=True, ftz_match=M.on_list, ftz_requirement=R.security_assessment, individuals=10
    ),
    "ftz-on-contract": request(
        in_ftz=True,
        sector="retail",
        ftz_match=M.on_list,
        ftz_requirement=R.standard_contract_or_certification,
        individuals=10,
    ),
    "ftz-not-registered": request(ftz_match=M.off_list, individuals=10),
    "ftz-ciio": request(in_ftz=True, ciio=True, ftz_match=M.off_list, individuals=10),
    "ftz-ciio-before-shanghai": request(
        as_of=BEFORE_NDSMR, in_ftz=True, ciio=True, ftz_match=M.off_list, individuals=10
    ),
    "ftz-2022": request(
        as_of=UNDER_2022_MEASURES, in_ftz=True, ftz_match=M.off_list, individuals=10
    ),
    "volume-2022": request(
        as_of=UNDER_2022_MEASURES, individuals=50_000, sensitive=3, earlier=2_000
    ),
    "volume-sa-2022": request(as_of=UNDER_2022_MEASURES, individuals=90_000, sensitive=10_000),
    "before-scc": request(as_of=BEFORE_SCC, individuals=50),
    "certification": request(as_of=WITH_CERTIFICATION, individuals=200_000, sensitive=1),
}

# SHA-256 (first 16 hex digits) of each case's English-only decision (the ``_zh`` keys removed)
# as the engine gave it before it had Chinese texts: the English contract must not move.
ENGLISH_DIGESTS = {
    "no-pi": "ff447052a7257504",
    "no-pi-2022": "79b22f9a41ac61b9",
    "small-volume": "b63cb9b402e1344e",
    "contract-volume": "a54d5cec1992aa48",
    "contract-sensitive": "6d4821beb0451ae4",
    "sa-volume": "1d0ff9953e607471",
    "sa-sensitive": "467eb0ef0787c10e",
    "sa-both": "846d9de81587c1db",
    "important": "5bacac4278ceb615",
    "important-2022": "525819e6862c51bc",
    "core": "39ce08ce64da4219",
    "core-2022": "9eca8d2942e1f47d",
    "ciio": "3a60293fc3bcfa39",
    "ciio-2022": "cd70944a9660c783",
    "ciio-contract": "f5c8d25974ea13a3",
    "hr": "10d043452715db0e",
    "emergency": "21000406a483a8e4",
    "statutory": "0ca51b35ed2edac3",
    "statutory-before-ndsmr": "dc7243974745f174",
    "contract-2022": "30a3aefba363f9ac",
    "transit": "dcc64bd27c4a489e",
    "transit-not-abroad": "a2d770bdf5e05a19",
    "transit-2022": "dd37b7398b4418f8",
    "ftz-off": "012f003d02e34463",
    "ftz-on-sa": "b50c6b11927d5afc",
    "ftz-on-contract": "3fdcba6508d07878",
    "ftz-not-registered": "54fca19ea96a0ede",
    "ftz-ciio": "9239c688db23da41",
    "ftz-ciio-before-shanghai": "a43799b18bcaa5a2",
    "ftz-2022": "7b53415ec8c878c2",
    "volume-2022": "7f411065296a8fd1",
    "volume-sa-2022": "457f87fe7b4b7447",
    "before-scc": "2c9e0b1c8ef69b42",
    "certification": "353fd3d0f7a60a56",
}

CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d[\d,]*\d|\d")
BASIS_KEYS = ["instrument", "article", "reason", "instrument_zh", "reason_zh", "article_zh"]
# Optional keys added after the contract was fixed: left out of the English digest.
ADDED_KEYS = {"unverified_notes"}


def _english(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _english(v)
            for k, v in value.items()
            if not k.endswith("_zh") and k not in ADDED_KEYS
        }
    if isinstance(value, list):
        return [_english(v) for v in value]
    return value


def _digest(decision: dict[str, Any]) -> str:
    text = json.dumps(_english(decision), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _bases(decision: dict[str, Any]) -> list[dict[str, str]]:
    return [
        *decision["basis"],
        *(o["basis"] for o in decision["obligations"]),
        *(d["basis"] for d in decision["deadlines"]),
    ]


def _chinese(text: str) -> bool:
    return bool(text.strip()) and CJK.search(text) is not None


def test_the_sample_covers_every_pathway_and_regime():
    decisions = [assess(case) for case in CASES.values()]
    assert {d.pathway.value for d in decisions} == {
        "EXEMPT",
        "STANDARD_CONTRACT_OR_CERTIFICATION",
        "SECURITY_ASSESSMENT",
        "PROHIBITED",
    }
    assert len({d.rules_version for d in decisions}) >= 5
    assert set(ENGLISH_DIGESTS) == set(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_english_fields_unchanged(name):
    decision = assess(CASES[name]).as_dict()
    assert _digest(decision) == ENGLISH_DIGESTS[name]
    assert list(decision) == [
        "pathway",
        "basis",
        "obligations",
        "deadlines",
        "rules_version",
        "unverified",
        "unverified_notes",
    ]
    assert all(list(b) == BASIS_KEYS for b in _bases(decision))
    assert all(list(o) == ["code", "text", "basis", "text_zh"] for o in decision["obligations"])
    assert all(
        list(d) == ["code", "text", "working_days", "years", "basis", "text_zh"]
        for d in decision["deadlines"]
    )


@pytest.mark.parametrize("name", list(CASES))
def test_every_text_has_chinese(name):
    decision = assess(CASES[name]).as_dict()
    for basis in _bases(decision):
        assert _chinese(basis["reason_zh"]), basis
        assert _chinese(basis["instrument_zh"]), basis
        assert basis["instrument_zh"].startswith("《"), basis
        assert _chinese(basis["article_zh"]), basis
    for item in (*decision["obligations"], *decision["deadlines"]):
        assert _chinese(item["text_zh"]), item
    notes = decision["unverified_notes"]
    assert [note["rule_id"] for note in notes] == decision["unverified"]
    for note in notes:
        assert note["note"] == RULES_BY_ID[note["rule_id"]].note, note
        assert _chinese(note["note_zh"]) and "未经核实" in note["note_zh"], note


@pytest.mark.parametrize("name", list(CASES))
def test_numbers_read_the_same_in_chinese(name):
    decision = assess(CASES[name]).as_dict()
    for basis in _bases(decision):
        for number in NUMBER.findall(basis["reason"]):
            assert number in basis["reason_zh"], (number, basis)
    for item in decision["deadlines"]:
        for number in NUMBER.findall(item["text"]):
            assert number in item["text_zh"], (number, item)


def test_counts_and_dates_are_filled_into_both_languages():
    decision = assess(request(individuals=1_234_567, sensitive=12, earlier=3_000)).as_dict()
    counting = next(b for b in decision["basis"] if b["reason"].startswith("Counted since"))
    assert counting["reason_zh"].startswith("自2025-01-01起累计")
    assert "1,237,567" in counting["reason"]
    assert "1,237,567" in counting["reason_zh"]
    assert "敏感个人信息12人" in counting["reason_zh"]


def test_every_rule_text_has_a_chinese_counterpart():
    for rule in RULES:
        assert _chinese(SUMMARIES_ZH[rule.id]), rule.id
        if rule.obligation:
            assert _chinese(OBLIGATIONS_ZH[rule.id]), rule.id
        for term in rule.deadlines:
            zh = TERMS_ZH[rule.id, term.code]
            assert _chinese(zh), (rule.id, term.code)
            for number in NUMBER.findall(term.text):
                assert number in zh, (rule.id, term.code, number)
        for number in NUMBER.findall(rule.summary):
            assert number in SUMMARIES_ZH[rule.id], (rule.id, number)


def test_templates_have_the_same_fields_in_both_languages():
    field = re.compile(r"{(\w+)[^}]*}")
    for key, template in TEMPLATES.items():
        assert sorted(field.findall(template.en)) == sorted(field.findall(template.zh)), key
        assert _chinese(template.zh), key


def test_render_formats_numbers_alike():
    text = render("volume.sensitive-at-or-above", sensitive=10_000, threshold=10_000)
    assert text.en.startswith("10,000 individuals' sensitive PI is at or above 10,000")
    assert text.zh == "敏感个人信息10,000人，达到10,000人以上（“以上”含本数）"


def test_article_references_in_chinese():
    assert article_zh("Art 38(2)") == "第38条第（2）项"
    assert article_zh("Art 6") == "第6条"
    assert article_zh("eligibility (适用情形)") == "适用情形"
    assert article_zh("Arts 2, 4") == "Arts 2, 4"


# A Chinese article reference: 第五条, 第五条第（一）项, 第七条第二款, or a named part of a text
# whose article numbers are not recorded (“适用情形”相关条款（条号未记录）).
ARTICLE_ZH = re.compile(r"(第[〇一二三四五六七八九十百]+条|“[^”]+”)")


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_every_rule_cites_its_article_in_chinese(rule):
    zh = rule.article_zh
    assert _chinese(zh) and ARTICLE_ZH.search(zh), (rule.id, zh)
    assert not re.search(r"Art|\d", zh), (rule.id, zh)  # Chinese numerals, no English left
    basis = rule.cite().as_dict()
    assert basis["article_zh"] == zh
    assert basis["instrument_zh"] == rule.instrument.citation_zh
    assert basis["instrument_zh"].startswith(f"《{rule.instrument.name_zh}》")


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_every_note_has_its_chinese_and_unverified_says_so(rule):
    if not rule.note:
        assert rule.id not in NOTES_ZH
        assert rule.verified, f"{rule.id} is unverified without saying why"
        return
    assert _chinese(rule.note_zh), rule.id
    if not rule.verified:
        assert "未经核实" in rule.note_zh, rule.id


def test_instruments_have_their_official_chinese_names():
    names = {rule.instrument.key: rule.instrument.name_zh for rule in RULES}
    assert names["provisions-2024"] == "促进和规范数据跨境流动规定"
    assert names["sa-measures-2022"] == "数据出境安全评估办法"
    assert names["scc-measures-2023"] == "个人信息出境标准合同办法"
    assert names["ndsmr-2025"] == "网络数据安全管理条例"
    assert names["pipl"] == "中华人民共和国个人信息保护法"
    assert names["certification-measures-2026"] == "个人信息出境认证办法"
    contract = RULES_BY_ID["cn.provisions.art5-1.contract"].cite().as_dict()
    assert f"{contract['instrument_zh']}{contract['article_zh']}" == (
        "《促进和规范数据跨境流动规定》（国家互联网信息办公室令第16号）第五条第（一）项"
    )


@pytest.mark.parametrize("table", ["ARTICLES_ZH", "NOTES_ZH"])
def test_a_rule_without_its_chinese_reference_is_refused(monkeypatch, table):
    """The catalogue refuses to load when a rule lacks its Chinese article or note."""
    texts = dict(getattr(catalogue, table))
    texts.pop(next(rule.id for rule in RULES if rule.note))
    monkeypatch.setattr(catalogue, table, texts)
    with pytest.raises(ValueError, match=table):
        catalogue._check_chinese_texts()


def test_a_chinese_reference_for_no_rule_is_refused(monkeypatch):
    monkeypatch.setattr(catalogue, "ARTICLES_ZH", {**ARTICLES_ZH, "cn.no-such-rule": "第一条"})
    with pytest.raises(ValueError, match="unknown"):
        catalogue._check_chinese_texts()
