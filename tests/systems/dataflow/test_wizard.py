"""The step-by-step assessment wizard: each step checks its own fields, the rules skip what is
irrelevant, answers travel between steps as hidden fields, and the decision can be saved and its
filing pack downloaded, in English and in Chinese."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from digitrade.core.ledger import service as ledger
from digitrade.systems.dataflow import wizard
from digitrade.systems.dataflow.wizard import COUNTS, DATA, FTZ, PROCESSOR, REVIEW, TRANSFER
from tests.core.ledger.conftest import KEK, PREFIX
from tests.web.test_pages import csrf_of, sign_in

HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')
ALL_PASSED = set(wizard.STEPS)


@pytest.fixture(autouse=True)
def platform_log(db):
    ledger.ensure_log(db, name="platform", kek=KEK, origin_prefix=PREFIX)
    db.commit()


def answers(**changes: str) -> dict[str, str]:
    base = {
        "processor_name": "Example Ltd.",
        "purpose": "other",
        "recipient_country": "DE",
        "as_of": "2026-03-01",
        "personal_information": "on",
        "individuals": "15000",
    }
    return {k: v for k, v in {**base, **changes}.items() if v}


# -- the plan: which steps the rules make relevant ---------------------------------------------


def test_every_step_when_all_may_apply():
    assert wizard.plan(answers(registered_in_ftz="on"), ALL_PASSED) == wizard.STEPS


def test_no_counts_step_without_personal_information():
    steps = wizard.plan(answers(personal_information="", individuals=""), ALL_PASSED)
    assert COUNTS not in steps
    # Until the data step is answered, the counts step is still possible.
    assert COUNTS in wizard.plan(answers(personal_information=""), {PROCESSOR})


def test_no_ftz_step_outside_a_zone_or_for_a_ciio():
    assert FTZ not in wizard.plan(answers(), ALL_PASSED)
    assert FTZ not in wizard.plan(answers(registered_in_ftz="on", is_ciio="on"), ALL_PASSED)


@pytest.mark.parametrize(
    ("changes", "pathway"),
    [
        ({"core_data": "on"}, "PROHIBITED"),
        ({"important_data": "notified"}, "SECURITY_ASSESSMENT"),
        ({"purpose": "hr_management"}, "EXEMPT"),
        ({"purpose": "contract_with_individual"}, "EXEMPT"),
        ({"purpose": "transit", "collected_abroad": "on"}, "EXEMPT"),
    ],
)
def test_stops_early_when_the_answers_already_decide(changes, pathway):
    given = answers(registered_in_ftz="on", **changes)
    stop = wizard.early_stop(given)
    assert stop is not None and stop.pathway == pathway
    assert stop.reason and stop.reason_zh
    assert wizard.plan(given, ALL_PASSED) == (PROCESSOR, TRANSFER, DATA, REVIEW)
    assert wizard.next_step(DATA, given, ALL_PASSED) == REVIEW


def test_necessity_exemption_does_not_stop_before_the_rule_exists():
    # Provisions Art 5 takes effect on 2024-03-22; before it, counts decide.
    given = answers(purpose="hr_management", as_of="2023-12-01")
    assert wizard.early_stop(given) is None
    assert COUNTS in wizard.plan(given, ALL_PASSED)


def test_skipped_answers_do_not_reach_the_request():
    given = answers(personal_information="", individuals="500000")
    assert "individuals" not in wizard.for_request(given, ALL_PASSED)
    given = answers(ftz_list_match="off_list", ftz_list_requirement="security_assessment")
    assert "ftz_list_match" not in wizard.for_request(given, ALL_PASSED)


# -- each step checks its own fields -----------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "changes", "field"),
    [
        (PROCESSOR, {"processor_name": ""}, "processor_name"),
        (PROCESSOR, {"processor_name": "x" * 201}, "processor_name"),
        (TRANSFER, {"recipient_country": "Germany"}, "recipient_country"),
        (TRANSFER, {"recipient_country": ""}, "recipient_country"),
        (TRANSFER, {"purpose": "tourism"}, "purpose"),
        (TRANSFER, {"as_of": "2021-01-01"}, "as_of"),
        (TRANSFER, {"as_of": "1 March"}, "as_of"),
        (DATA, {"important_data": "maybe"}, "important_data"),
        (COUNTS, {"individuals": "-5"}, "individuals"),
        (COUNTS, {"sensitive_individuals": "many"}, "sensitive_individuals"),
        (COUNTS, {"individuals": "0"}, "individuals"),
        (FTZ, {}, "ftz_list_match"),
        (FTZ, {"ftz_list_match": "on_list"}, "ftz_list_requirement"),
    ],
)
def test_a_step_names_its_wrong_field(step, changes, field):
    errors = wizard.validate(step, answers(**changes))
    assert field in errors
    assert set(errors) <= set(wizard.FIELDS[step])


def test_good_answers_pass_every_step():
    given = answers(ftz_list_match="on_list", ftz_list_requirement="security_assessment")
    assert all(not wizard.validate(step, given) for step in wizard.STEPS)
    assert wizard.validate(COUNTS, answers(individuals="1,000,000")) == {}


# -- over HTTP: steps, hidden fields, Back, the decision and the pack --------------------------


def hidden_fields(html: str) -> dict[str, str]:
    return dict(HIDDEN.findall(html))


def post_step(client, step: str, carried: dict[str, str], nav: str = "next", **fields: str):
    data = {**carried, **fields, "step": step, "nav": nav}
    data["csrf_token"] = csrf_of(client, "/dataflow/")
    return client.post("/dataflow/wizard", data=data)


def progress(html: str) -> str:
    match = re.search(r'data-testid="progress">([^<:]+)', html)
    assert match, html
    return match.group(1).strip()


def test_walk_the_wizard_to_a_saved_decision_and_pack(client, world):
    sign_in(client, "owner@a.example")
    first = client.get("/dataflow/?lang=en")
    assert 'data-step="processor"' in first.text
    assert progress(first.text) == "Step 1 of 6"

    page = post_step(client, PROCESSOR, {}, processor_name="Walk Ltd.", sector="retail")
    assert page.status_code == 200 and 'data-step="transfer"' in page.text
    carried = hidden_fields(page.text)
    assert carried["processor_name"] == "Walk Ltd." and carried["passed"] == "processor"
    assert progress(page.text) == "Step 2 of 5"  # not in a free trade zone: no list step

    page = post_step(client, TRANSFER, carried, recipient_country="de", as_of="2026-03-01")
    assert 'data-step="data"' in page.text
    carried = hidden_fields(page.text)
    assert carried["recipient_country"] == "DE"

    # Back keeps what was typed on the way.
    back = post_step(client, DATA, carried, nav="back", personal_information="on")
    assert 'data-step="transfer"' in back.text
    assert 'value="DE"' in back.text and "Walk Ltd." in back.text

    page = post_step(client, DATA, carried, personal_information="on")
    assert 'data-step="counts"' in page.text
    carried = hidden_fields(page.text)
    assert carried["personal_information"] == "on"

    bad = post_step(client, COUNTS, carried, individuals="lots")
    assert bad.status_code == 422
    assert 'data-step="counts"' in bad.text and 'role="alert"' in bad.text
    assert "Enter a whole number of people" in bad.text

    page = post_step(client, COUNTS, carried, individuals="150000")
    assert 'data-step="review"' in page.text
    assert progress(page.text) == "Step 5 of 5"
    carried = hidden_fields(page.text)
    assert carried["individuals"] == "150000"

    decision = client.post(
        "/dataflow/assess",
        data={
            **carried,
            "organisation_id": str(world.org_a),
            "csrf_token": csrf_of(client, "/dataflow/"),
        },
    )
    assert decision.status_code == 200, decision.text
    assert "Standard contract filing or certification" in decision.text
    assert "Saved and anchored" in decision.text
    pack_link = re.search(r'href="(/dataflow/assessments/\d+/pack\?language=en)"', decision.text)
    assert pack_link
    pack = client.get(pack_link.group(1))
    assert pack.status_code == 200
    with zipfile.ZipFile(io.BytesIO(pack.content)) as archive:
        assert any(name.endswith(".pdf") for name in archive.namelist())
        html = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".html"))
    assert "Walk Ltd." in html


def test_core_data_stops_at_review_and_decides_prohibited(client):
    carried = {
        "processor_name": "Core Ltd.",
        "recipient_country": "US",
        "as_of": "2026-03-01",
        "passed": "processor,transfer",
        "registered_in_ftz": "on",
    }
    page = post_step(client, DATA, carried, core_data="on", personal_information="on")
    assert 'data-step="review"' in page.text
    assert 'data-testid="early-stop"' in page.text
    assert progress(page.text) == "Step 4 of 4"
    decision = client.post(
        "/dataflow/assess",
        data={**hidden_fields(page.text), "csrf_token": csrf_of(client, "/dataflow/")},
    )
    assert decision.status_code == 200
    assert 'data-testid="pathway">Prohibited' in decision.text


def test_a_bad_step_comes_back_with_its_message_in_chinese(client):
    page = post_step(client, PROCESSOR, {}, processor_name="")
    assert page.status_code == 422
    assert 'data-step="processor"' in page.text and 'aria-invalid="true"' in page.text
    zh = client.post(
        "/dataflow/wizard?lang=zh-Hans",
        data={
            "step": TRANSFER,
            "processor_name": "甲公司",
            "recipient_country": "Germany",
            "csrf_token": csrf_of(client, "/dataflow/"),
        },
    )
    assert zh.status_code == 422
    assert 'data-step="transfer"' in zh.text and "甲公司" in zh.text


def test_altered_hidden_fields_are_checked_again_before_deciding(client):
    decision = client.post(
        "/dataflow/assess",
        data={
            "processor_name": "Tampered Ltd.",
            "recipient_country": "Germany",
            "csrf_token": csrf_of(client, "/dataflow/"),
        },
    )
    assert decision.status_code == 422
    assert 'data-step="transfer"' in decision.text


def test_ftz_step_looks_the_data_up_in_the_lists(client):
    carried = {
        "processor_name": "Zone Ltd.",
        "sector": "international shipping",
        "registered_in_ftz": "on",
        "recipient_country": "SG",
        "as_of": "2026-03-01",
        "personal_information": "on",
        "individuals": "2000",
        "passed": "processor,transfer,data,counts",
    }
    page = post_step(
        client, FTZ, carried, nav="lookup", ftz_jurisdiction="CN-SH-FTZ", ftz_items="crew names"
    )
    assert page.status_code == 200, page.text
    assert 'data-testid="ftz-lookup"' in page.text
    assert re.search(r'<option value="(on_list|off_list|not_covered)" selected', page.text)
    missing = post_step(client, FTZ, carried, nav="lookup")
    assert missing.status_code == 422


def test_decision_page_cites_articles_and_notes_in_chinese(client):
    data = {
        "processor_name": "甲公司",
        "recipient_country": "DE",
        "as_of": "2026-03-01",
        "personal_information": "on",
        "individuals": "150000",
        "csrf_token": csrf_of(client, "/dataflow/"),
    }
    page = client.post("/dataflow/assess?lang=zh-Hans", data=data)
    assert page.status_code == 200, page.text
    assert "《促进和规范数据跨境流动规定》（国家互联网信息办公室令第16号）第八条" in page.text
    assert "未经核实" in page.text
    english = client.post("/dataflow/assess?lang=en", data=data)
    assert "[Provisions on Promoting and Regulating Cross-Border Data Flows" in english.text


def test_chinese_pack_carries_chinese_citations_and_notes():
    from digitrade.systems.dataflow import rules, service

    decision = rules.assess(
        service.parse_request(
            {
                "as_of": "2026-03-01",
                "processor": {"name": "甲公司"},
                "transfer": {"purpose": "other", "recipient_country": "DE"},
                "data": {"personal_information": True, "individuals": 150000},
            }
        )
    ).as_dict()
    zh = service.basis_lines(decision, "zh-Hans")
    en = service.basis_lines(decision, "en")
    assert any(
        line.startswith("《促进和规范数据跨境流动规定》") and "第八条：" in line for line in zh
    )
    assert any(line.startswith("未经核实的解读（") for line in zh)
    assert any(line.startswith("Unverified reading (") for line in en)
    assert not any("《" in line for line in en if not line.startswith("Unverified"))
