"""Every rule and boundary of the export engine, each test naming the rule it checks.

Sources: research note shared/research/cross-border-data.md (section 0 decision order; sections
1-2 instruments), cited per test as instrument + article.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from digitrade.systems.dataflow.rules import (
    RULE_SETS_BY_VERSION,
    FtzListMatch,
    FtzRequirement,
    ImportantData,
    Pathway,
    Purpose,
    RequestError,
    assess,
    request_from_dict,
    rules_in_force,
    strictness,
    volume_thresholds,
)
from tests.systems.dataflow.rules.builders import (
    UNDER_2022_MEASURES,
    UNDER_PROVISIONS,
    articles,
    deadline,
    obligation_codes,
    request,
    valid_payload,
)

EXEMPT = Pathway.EXEMPT
CONTRACT = Pathway.STANDARD_CONTRACT_OR_CERTIFICATION
ASSESSMENT = Pathway.SECURITY_ASSESSMENT
PROHIBITED = Pathway.PROHIBITED


# -- Volume tiers under the Provisions (CAC Order 16 Arts 5(4), 7(2), 8) -----------------------


@pytest.mark.parametrize(
    ("individuals", "sensitive", "pathway", "article"),
    [
        (0, 0, EXEMPT, "Art 5(4)"),
        (1, 0, EXEMPT, "Art 5(4)"),
        (99_999, 0, EXEMPT, "Art 5(4)"),  # 不满 100,000: exempt
        (100_000, 0, CONTRACT, "Art 8"),  # 100,000 itself is in the contract tier
        (999_999, 0, CONTRACT, "Art 8"),
        (1_000_000, 0, ASSESSMENT, "Art 7(2)"),  # 100万人以上 includes 1,000,000
        (5_000_000, 0, ASSESSMENT, "Art 7(2)"),
        (0, 1, CONTRACT, "Art 8"),  # any sensitive PI leaves the exemption
        (0, 9_999, CONTRACT, "Art 8"),
        (0, 10_000, ASSESSMENT, "Art 7(2)"),  # 1万人以上 includes 10,000
        (99_999, 9_999, CONTRACT, "Art 8"),
        (999_999, 10_000, ASSESSMENT, "Art 7(2)"),
        (1_000_000, 9_999, ASSESSMENT, "Art 7(2)"),
    ],
)
def test_volume_tier_boundaries_under_the_provisions(individuals, sensitive, pathway, article):
    decision = assess(request(individuals=individuals, sensitive=sensitive))
    assert decision.pathway is pathway
    assert decision.basis[1].article == article
    assert "CAC Order No. 16" in decision.basis[1].instrument


@pytest.mark.parametrize(
    ("earlier", "this", "earlier_sensitive", "this_sensitive", "pathway"),
    [
        (99_998, 1, 0, 0, EXEMPT),  # 99,999 in total
        (60_000, 40_000, 0, 0, CONTRACT),  # crosses 100,000 only together
        (99_999, 1, 0, 0, CONTRACT),
        (999_999, 1, 0, 0, ASSESSMENT),  # crosses 1,000,000 with one more person
        (400_000, 600_000, 0, 0, ASSESSMENT),
        (0, 10, 1, 0, CONTRACT),  # sensitive PI exported earlier this year still counts
        (0, 10, 9_999, 1, ASSESSMENT),  # crosses 10,000 sensitive
        (0, 10, 5_000, 4_999, CONTRACT),
    ],
)
def test_cumulative_counting_since_1_january(
    earlier, this, earlier_sensitive, this_sensitive, pathway
):
    """Provisions Arts 5(4), 7(2), 8: cumulative since 1 January of the current year."""
    decision = assess(
        request(
            individuals=this,
            earlier=earlier,
            sensitive=this_sensitive,
            earlier_sensitive=earlier_sensitive,
        )
    )
    assert decision.pathway is pathway
    counting = next(b for b in decision.basis if b.article == "Arts 5(4), 7(2), 8")
    assert counting.reason.startswith("Counted since 2025-01-01")
    assert f"{earlier:,} earlier + {this:,} in this transfer" in counting.reason


def test_counts_imply_personal_information_even_if_the_flag_is_off():
    """A count of individuals is PI (PIPL Art 4); the flag cannot turn it into Art 3 data."""
    decision = assess(request(individuals=150_000, personal_information=False))
    assert decision.pathway is CONTRACT


def test_a_count_reason_states_the_threshold_reading():
    at = assess(request(individuals=1_000_000))
    below = assess(request(individuals=99_999))
    assert "以上 includes the threshold" in at.basis[1].reason
    assert "不满 excludes the threshold" in below.basis[1].reason


# -- Steps 2-4: core data, important data, no regulated data ---------------------------------


def test_core_data_is_prohibited():
    """DSL Art 21: core data takes none of the three pathways."""
    decision = assess(request(core=True, individuals=10))
    assert decision.pathway is PROHIBITED
    assert decision.basis[1].article == "Art 21"
    assert "Data Security Law" in decision.basis[1].instrument
    assert obligation_codes(decision) == ["core-data"]
    assert decision.deadlines == ()
    assert "cn.dsl.art21.core-data" in decision.unverified


def test_core_data_prevails_over_every_exemption():
    decision = assess(
        request(
            core=True,
            important=ImportantData.notified,
            purpose=Purpose.contract_with_individual,
            in_ftz=True,
            ftz_match=FtzListMatch.off_list,
        )
    )
    assert decision.pathway is PROHIBITED
    # Lin-gang classification measures: core data may not cross the border.
    assert "Lin-gang" in decision.basis[2].instrument


def test_notified_important_data_needs_a_security_assessment():
    """Provisions Arts 2, 7: notified important data, whatever the volume, PI or not."""
    decision = assess(request(important=ImportantData.notified, personal_information=False))
    assert decision.pathway is ASSESSMENT
    assert decision.basis[1].article == "Arts 2, 7(1), 7(2)"
    assert "pipia" not in obligation_codes(decision)  # no PI, no PIPIA
    assert "sa-self-assessment" in obligation_codes(decision)


@pytest.mark.parametrize(
    ("changes", "article", "rule_id"),
    [
        (
            {"purpose": Purpose.contract_with_individual},
            "Art 5, final paragraph",
            "cn.provisions.art5.final-paragraph",
        ),
        (
            {"purpose": Purpose.emergency},
            "Art 5, final paragraph",
            "cn.provisions.art5.final-paragraph",
        ),
        ({"collected_abroad": True}, "Art 4", None),
        (
            {"in_ftz": True, "ftz_match": FtzListMatch.off_list},
            "Art 6",
            "cn.provisions.art6.important-data",
        ),
    ],
)
def test_exemptions_do_not_cover_important_data(changes, article, rule_id):
    decision = assess(request(important=ImportantData.notified, individuals=10, **changes))
    assert decision.pathway is ASSESSMENT
    assert article in articles(decision)
    if rule_id:
        assert rule_id in decision.unverified


def test_data_without_personal_information_or_important_data_is_exempt():
    """Provisions Art 3."""
    decision = assess(request(personal_information=False, ciio=True))
    assert decision.pathway is EXEMPT
    assert decision.basis[1].article == "Art 3"
    codes = obligation_codes(decision)
    assert "no-personal-or-important-data" in codes
    assert "security-duties" in codes
    assert "pipia" not in codes
    assert "notice-and-consent" not in codes


# -- Steps 5-6: transit and necessity exemptions (CIIOs included) ----------------------------


@pytest.mark.parametrize("ciio", [False, True])
@pytest.mark.parametrize("purpose", [Purpose.transit, Purpose.other])
def test_personal_information_collected_abroad_is_exempt_in_transit(purpose, ciio):
    """Provisions Art 4, for CIIOs too (Art 7 §2)."""
    decision = assess(
        request(
            purpose=purpose,
            collected_abroad=True,
            ciio=ciio,
            individuals=2_000_000,
            sensitive=50_000,
        )
    )
    assert decision.pathway is EXEMPT
    assert decision.basis[1].article == "Art 4"
    assert ("Art 7 §2, Art 8 §2" in articles(decision)) is ciio


def test_transit_purpose_without_collection_abroad_is_not_exempt():
    """Provisions Art 4 needs PI collected abroad; the engine says why it did not apply."""
    decision = assess(request(purpose=Purpose.transit, individuals=150_000))
    assert decision.pathway is CONTRACT
    assert any("data.collected_abroad" in basis.reason for basis in decision.basis)


@pytest.mark.parametrize(
    ("purpose", "article", "code"),
    [
        (Purpose.contract_with_individual, "Art 5(1)", "contract-necessity"),
        (Purpose.hr_management, "Art 5(2)", "hr-necessity"),
        (Purpose.emergency, "Art 5(3)", "emergency"),
        (Purpose.statutory_duty, "Art 35(6)", "statutory-duty"),
    ],
)
@pytest.mark.parametrize("ciio", [False, True])
def test_necessity_exemptions_hold_whatever_the_volume(purpose, article, code, ciio):
    """Provisions Art 5(1)-(3), NDSMR Art 35(6); Arts 7 §2 and 8 §2 keep them for CIIOs."""
    decision = assess(request(purpose=purpose, ciio=ciio, individuals=5_000_000, sensitive=80_000))
    assert decision.pathway is EXEMPT
    assert decision.basis[1].article == article
    assert code in obligation_codes(decision)
    assert "pipia" in obligation_codes(decision)  # PIPL Arts 55-56 still apply
    assert ("Art 7 §2, Art 8 §2" in articles(decision)) is ciio


def test_contract_exemption_reason_names_the_contract():
    decision = assess(
        request(purpose=Purpose.contract_with_individual, contract_type="hotel booking")
    )
    assert "hotel booking" in decision.basis[1].reason


def test_statutory_duty_exemption_starts_with_the_ndsmr():
    """NDSMR Art 35(6) takes effect 2025-01-01; before it the volume tiers decide."""
    before = assess(
        request(as_of=date(2024, 12, 31), purpose=Purpose.statutory_duty, individuals=150_000)
    )
    after = assess(
        request(as_of=date(2025, 1, 1), purpose=Purpose.statutory_duty, individuals=150_000)
    )
    assert before.pathway is CONTRACT
    assert any(
        b.article == "Art 35(6)" and "Not in force on 2024-12-31" in b.reason for b in before.basis
    )
    assert after.pathway is EXEMPT


# -- Step 7: free trade zone lists (Provisions Art 6) ----------------------------------------


def test_ftz_off_list_is_exempt_with_the_export_report():
    decision = assess(
        request(
            in_ftz=True,
            sector="reinsurance",
            ftz_match=FtzListMatch.off_list,
            individuals=2_000_000,
            sensitive=20_000,
        )
    )
    assert decision.pathway is EXEMPT
    assert decision.basis[1].article == "Art 6"
    assert "reinsurance" in decision.basis[1].reason
    assert deadline(decision, "ftz-export-report")[:2] == (15, None)
    assert "sh.ftz-list.export-report" in decision.unverified


@pytest.mark.parametrize(
    ("requirement", "individuals", "pathway"),
    [
        (FtzRequirement.security_assessment, 10, ASSESSMENT),
        (FtzRequirement.standard_contract_or_certification, 10, CONTRACT),
        # The row (with its own raised thresholds) decides, not the national tiers.
        (FtzRequirement.standard_contract_or_certification, 2_000_000, CONTRACT),
    ],
)
def test_ftz_on_list_takes_the_row_requirement(requirement, individuals, pathway):
    decision = assess(
        request(
            in_ftz=True,
            ftz_match=FtzListMatch.on_list,
            ftz_requirement=requirement,
            individuals=individuals,
        )
    )
    assert decision.pathway is pathway
    assert decision.basis[1].article == "Art 6"


def test_ftz_on_list_without_a_requirement_is_a_request_error():
    with pytest.raises(RequestError) as error:
        assess(request(in_ftz=True, ftz_match=FtzListMatch.on_list, individuals=10))
    assert error.value.field == "data.ftz_list_requirement"


def test_ftz_sector_not_covered_falls_back_to_the_volume_tiers():
    decision = assess(request(in_ftz=True, ftz_match=FtzListMatch.not_covered, individuals=150_000))
    assert decision.pathway is CONTRACT
    assert decision.basis[1].article == "Art 8"


def test_ftz_exemption_does_not_apply_to_ciios():
    """Shanghai FTZ list scope excludes CIIOs; Provisions Art 7(1) then requires SA."""
    decision = assess(
        request(in_ftz=True, ciio=True, ftz_match=FtzListMatch.off_list, individuals=10)
    )
    assert decision.pathway is ASSESSMENT
    assert decision.basis[1].article == "Art 7(1)"
    assert any("CIIOs are outside FTZ lists" in b.reason for b in decision.basis)


def test_ftz_ciio_exclusion_before_the_shanghai_list_is_marked_unverified():
    decision = assess(
        request(
            as_of=date(2024, 6, 1),
            in_ftz=True,
            ciio=True,
            ftz_match=FtzListMatch.off_list,
            individuals=10,
        )
    )
    assert decision.pathway is ASSESSMENT
    assert "cn.provisions.art7-1.ciio-outside-ftz-lists" in decision.unverified


def test_ftz_list_match_needs_registration_in_the_zone():
    decision = assess(request(ftz_match=FtzListMatch.off_list, individuals=150_000))
    assert decision.pathway is CONTRACT
    assert any("not registered in a pilot FTZ" in b.reason for b in decision.basis)


def test_ftz_exemption_before_the_shanghai_list_has_no_report_deadline():
    decision = assess(request(as_of=date(2024, 6, 1), in_ftz=True, ftz_match=FtzListMatch.off_list))
    assert decision.pathway is EXEMPT
    assert "ftz-export-report" not in [d.code for d in decision.deadlines]


# -- Step 8: CIIOs (Provisions Art 7(1)) ------------------------------------------------------


@pytest.mark.parametrize("individuals", [1, 99_999])
def test_ciio_exporting_personal_information_needs_a_security_assessment(individuals):
    decision = assess(request(ciio=True, individuals=individuals))
    assert decision.pathway is ASSESSMENT
    assert decision.basis[1].article == "Art 7(1)"


def test_ciio_with_contract_necessity_is_exempt():
    decision = assess(request(ciio=True, purpose=Purpose.contract_with_individual, individuals=10))
    assert decision.pathway is EXEMPT
    assert decision.basis[1].article == "Art 5(1)"


# -- Export characterisation and the recipient country -----------------------------------------


def test_remote_access_counts_as_an_export():
    """SCC Filing Guide 2nd ed. (出境行为): remote access from abroad is an export."""
    remote = assess(request(remote_access=True, individuals=150_000))
    sent = assess(request(individuals=150_000))
    assert remote.pathway is sent.pathway is CONTRACT
    assert "remote access counts as an export" in remote.basis[0].reason
    assert "transmitted or stored outside mainland China" in sent.basis[0].reason


@pytest.mark.parametrize("country", ["US", "SG", "DE", "HK", "RU", "JP"])
def test_recipient_country_never_changes_the_pathway(country):
    """No adequacy list; PIPL Art 42 restricts recipients, checked as an obligation."""
    decision = assess(request(country=country, individuals=150_000))
    assert decision.pathway is CONTRACT
    check = next(o for o in decision.obligations if o.code == "restricted-recipients")
    assert country in check.text
    assert check.basis.article == "Art 42"


# -- Obligations and deadlines (research note sections 1-2) ----------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"individuals": 10},
        {"individuals": 150_000},
        {"individuals": 2_000_000},
        {"purpose": Purpose.hr_management, "individuals": 10},
    ],
)
def test_every_personal_information_export_lists_the_pipl_duties(changes):
    decision = assess(request(**changes))
    by_code = {o.code: o for o in decision.obligations}
    assert by_code["notice-and-consent"].basis.article == "Art 39"
    assert by_code["pipia"].basis.article == "Arts 55(4), 56"
    assert by_code["security-duties"].basis.article == "Arts 10-11"
    assert "restricted-recipients" in by_code
    assert deadline(decision, "pipia-records") == (None, 3, "Arts 55(4), 56")


def test_standard_contract_filing_deadline():
    """SCC Measures Art 7: file within 10 working days of the contract taking effect."""
    decision = assess(request(individuals=150_000))
    assert deadline(decision, "scc-filing") == (10, None, "Art 7")
    assert "no-splitting" in obligation_codes(decision)  # SCC Measures Art 4 §2


def test_security_assessment_validity_and_extension():
    """Provisions Art 9: valid 3 years; extension applied for within 60 working days."""
    decision = assess(request(individuals=1_000_000))
    assert deadline(decision, "sa-result-validity") == (None, 3, "Art 9")
    assert deadline(decision, "sa-extension-request") == (60, None, "Art 9")
    assert deadline(decision, "sa-review-period") == (45, None, "Art 12")
    assert deadline(decision, "sa-re-review-request") == (15, None, "Art 13")
    codes = obligation_codes(decision)
    assert {"sa-self-assessment", "sa-declaration", "sa-contract"} <= set(codes)
    assert "sa-extension-conditions" not in codes


def test_extension_conditions_start_with_the_third_edition_guide():
    """SA Guide 3rd ed. (2025-06-27), known from a law-firm summary: listed, unverified."""
    decision = assess(request(as_of=date(2025, 6, 27), individuals=1_000_000))
    assert "sa-extension-conditions" in obligation_codes(decision)
    assert "cn.sa-guide-3.extension-conditions" in decision.unverified


def test_every_obligation_and_deadline_cites_an_instrument_and_article():
    for changes in ({"individuals": 10}, {"individuals": 150_000}, {"individuals": 2_000_000}):
        decision = assess(request(**changes))
        for item in (*decision.obligations, *decision.deadlines):
            assert item.basis.instrument
            assert item.basis.article
            assert item.text


# -- Rules as of different dates --------------------------------------------------------------


def test_150000_individuals_under_the_2022_measures_and_under_the_provisions():
    """SA Measures Art 4(3) (100,000 since 1 January of the previous year) vs Provisions Art 8."""
    old = assess(request(as_of=UNDER_2022_MEASURES, individuals=150_000))
    new = assess(request(as_of=date(2024, 3, 22), individuals=150_000))
    assert old.pathway is ASSESSMENT
    assert old.basis[1].article == "Art 4(3)"
    assert "CAC Order No. 11" in old.basis[1].instrument
    assert old.rules_version == "cn-cbdt-2023-06-01"
    assert any(b.reason.startswith("Counted since 2022-01-01") for b in old.basis)
    assert new.pathway is CONTRACT
    assert new.rules_version == "cn-cbdt-2024-03-22"


def test_the_regime_changes_overnight_on_22_march_2024():
    old = assess(request(as_of=date(2024, 3, 21), individuals=50_000))
    new = assess(request(as_of=date(2024, 3, 22), individuals=50_000))
    assert old.pathway is CONTRACT  # SCC Measures Art 4: no volume exemption
    assert old.basis[1].article == "Art 4"
    assert "processed-volume" in obligation_codes(old)  # SA Measures Art 4(2): check it
    assert new.pathway is EXEMPT  # Provisions Art 5(4)
    assert "cn.provisions.art13.processed-volume-displaced" in new.unverified


def test_2022_regime_adds_sensitive_to_the_100000_trigger():
    """SA Measures Art 4(3) counts individuals' PI of any kind: an upper bound, unverified."""
    decision = assess(request(as_of=UNDER_2022_MEASURES, individuals=95_000, sensitive=5_000))
    assert decision.pathway is ASSESSMENT
    assert "cn.sa-measures.art4-3.counting" in decision.unverified
    below = assess(request(as_of=UNDER_2022_MEASURES, individuals=94_000, sensitive=5_999))
    assert below.pathway is CONTRACT


@pytest.mark.parametrize(("sensitive", "pathway"), [(9_999, CONTRACT), (10_000, ASSESSMENT)])
def test_2022_regime_sensitive_trigger(sensitive, pathway):
    assert assess(request(as_of=UNDER_2022_MEASURES, sensitive=sensitive)).pathway is pathway


def test_before_the_scc_measures_the_contract_route_rests_on_pipl_article_38():
    decision = assess(request(as_of=date(2022, 10, 1), individuals=50_000))
    assert decision.pathway is CONTRACT
    assert decision.basis[1].article == "Art 38(1)-(3)"
    assert "scc-filing" not in [d.code for d in decision.deadlines]
    assert "standard-contract" in obligation_codes(decision)


def test_2022_regime_has_no_necessity_exemption_and_says_so():
    decision = assess(
        request(as_of=UNDER_2022_MEASURES, purpose=Purpose.contract_with_individual, individuals=10)
    )
    assert decision.pathway is CONTRACT
    assert any(
        b.article == "Art 5(1)" and "Not in force on 2023-10-01" in b.reason for b in decision.basis
    )


def test_2022_regime_security_assessment_was_valid_two_years():
    """SA Measures Art 14: 2 years, declare again 60 working days before expiry."""
    decision = assess(request(as_of=UNDER_2022_MEASURES, ciio=True, individuals=10))
    assert decision.pathway is ASSESSMENT
    assert decision.basis[1].article == "Art 4(2)"
    assert deadline(decision, "sa-result-validity") == (None, 2, "Art 14")
    assert deadline(decision, "sa-redeclaration-before-expiry") == (60, None, "Art 14")


def test_2022_regime_ftz_match_is_not_used():
    decision = assess(
        request(
            as_of=UNDER_2022_MEASURES,
            in_ftz=True,
            ftz_match=FtzListMatch.off_list,
            individuals=10,
        )
    )
    assert decision.pathway is CONTRACT
    assert any(b.article == "Art 6" and "Not in force" in b.reason for b in decision.basis)


def test_certification_wording_follows_the_2026_certification_measures():
    before = assess(request(as_of=date(2025, 12, 31), individuals=150_000))
    after = assess(request(as_of=date(2026, 1, 1), individuals=150_000))
    assert "Art 38(2)" in before.basis[1].reason
    assert "Certification of Personal Information Exports" in after.basis[1].reason
    assert after.rules_version == "cn-cbdt-2026-01-01"
    assert deadline(after, "certificate-validity")[:2] == (None, 3)
    assert "certificate-validity" not in [d.code for d in before.deadlines]


@pytest.mark.parametrize("as_of", [date(2022, 8, 31), date(2021, 1, 1)])
def test_dates_before_the_first_regime_are_rejected(as_of):
    with pytest.raises(RequestError) as error:
        assess(request(as_of=as_of))
    assert error.value.field == "as_of"
    with pytest.raises(RequestError):
        rules_in_force(as_of)


def test_first_regime_starts_on_1_september_2022():
    assert rules_in_force(date(2022, 9, 1)).version == "cn-cbdt-2022-09-01"


def test_an_explicit_rule_set_overrides_the_date():
    old_rules = RULE_SETS_BY_VERSION["cn-cbdt-2023-06-01"]
    decision = assess(request(individuals=150_000), rules=old_rules)
    assert decision.pathway is ASSESSMENT
    assert decision.rules_version == "cn-cbdt-2023-06-01"


def test_volume_thresholds_by_date():
    assert volume_thresholds(UNDER_2022_MEASURES) == {
        "individuals_standard_contract": 0,
        "individuals_security_assessment": 100_000,
        "sensitive_standard_contract": 1,
        "sensitive_security_assessment": 10_000,
    }
    assert volume_thresholds(UNDER_PROVISIONS) == {
        "individuals_standard_contract": 100_000,
        "individuals_security_assessment": 1_000_000,
        "sensitive_standard_contract": 1,
        "sensitive_security_assessment": 10_000,
    }


# -- Decision JSON shape ----------------------------------------------------------------------


def test_decision_as_dict_shape():
    result = assess(request(individuals=1_000_000, remote_access=True)).as_dict()
    assert list(result) == [
        "pathway",
        "basis",
        "obligations",
        "deadlines",
        "rules_version",
        "unverified",
        "unverified_notes",
    ]
    assert result["pathway"] == "SECURITY_ASSESSMENT"
    # The English keys are the contract; the ``_zh`` keys and ``unverified_notes`` are optional.
    basis_keys = {"instrument", "article", "reason", "instrument_zh", "reason_zh", "article_zh"}
    assert all(set(b) == basis_keys for b in result["basis"])
    assert all(set(o) == {"code", "text", "basis", "text_zh"} for o in result["obligations"])
    assert all(
        set(d) == {"code", "text", "working_days", "years", "basis", "text_zh"}
        for d in result["deadlines"]
    )
    assert all(set(o["basis"]) == basis_keys for o in result["obligations"])
    assert isinstance(result["rules_version"], str)
    assert all(isinstance(rule_id, str) for rule_id in result["unverified"])
    assert [n["rule_id"] for n in result["unverified_notes"]] == result["unverified"]
    assert all(set(n) == {"rule_id", "note", "note_zh"} for n in result["unverified_notes"])
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result


def test_assess_is_deterministic():
    first = assess(request(individuals=150_000, sensitive=3))
    assert assess(request(individuals=150_000, sensitive=3)) == first


def test_strictness_orders_the_pathways():
    assert [strictness(p) for p in (EXEMPT, CONTRACT, ASSESSMENT, PROHIBITED)] == [0, 1, 2, 3]
    assert [p.value for p in Pathway] == [
        "EXEMPT",
        "STANDARD_CONTRACT_OR_CERTIFICATION",
        "SECURITY_ASSESSMENT",
        "PROHIBITED",
    ]


# -- request_from_dict ------------------------------------------------------------------------


def test_a_complete_request_parses_and_round_trips():
    payload = valid_payload()
    parsed = request_from_dict(payload)
    assert parsed.as_of == date(2025, 6, 1)
    assert parsed.transfer.purpose is Purpose.contract_with_individual
    assert parsed.data.ftz_list_requirement is FtzRequirement.standard_contract_or_certification
    assert parsed.as_dict() == payload


def test_a_minimal_request_takes_the_defaults():
    parsed = request_from_dict(
        {
            "as_of": "2025-06-01",
            "processor": {"name": "P"},
            "transfer": {"purpose": "other", "recipient_country": "US"},
        }
    )
    assert parsed.processor.is_ciio is False
    assert parsed.data.individuals == 0
    assert parsed.data.important_data is ImportantData.none
    assert parsed.data.ftz_list_match is None
    assert assess(parsed).pathway is EXEMPT  # Art 3: no PI, no important data


def test_sensitive_may_exceed_non_sensitive_individuals():
    """Separate counts (Provisions Arts 7-8): no ordering between them."""
    payload = valid_payload()
    payload["data"].update(individuals=5, sensitive_individuals=9_000)
    assert request_from_dict(payload).data.sensitive_individuals == 9_000


def _without(section: str | None, key: str):
    payload = valid_payload()
    (payload[section] if section else payload).pop(key)
    return payload


def _with(section: str | None, key: str, value: object):
    payload = valid_payload()
    (payload[section] if section else payload)[key] = value
    return payload


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (_without(None, "as_of"), "as_of"),
        (_without(None, "processor"), "processor"),
        (_without(None, "transfer"), "transfer"),
        (_without("processor", "name"), "processor.name"),
        (_with("processor", "name", "  "), "processor.name"),
        (_with("processor", "name", 7), "processor.name"),
        (_without("transfer", "purpose"), "transfer.purpose"),
        (_without("transfer", "recipient_country"), "transfer.recipient_country"),
        (_with("data", "individuals", True), "data.individuals"),  # bool is not a count
        (_with("data", "individuals", "5"), "data.individuals"),
        (_with("data", "individuals", 5.0), "data.individuals"),
        (_with("data", "individuals", -1), "data.individuals"),
        (_with("data", "sensitive_individuals", -3), "data.sensitive_individuals"),
        (
            _with("data", "individuals_earlier_this_year", False),
            "data.individuals_earlier_this_year",
        ),
        (
            _with("data", "sensitive_individuals_earlier_this_year", None),
            "data.sensitive_individuals_earlier_this_year",
        ),
        (_with("processor", "is_ciio", "yes"), "processor.is_ciio"),
        (_with("processor", "registered_in_ftz", 1), "processor.registered_in_ftz"),
        (_with("transfer", "remote_access", None), "transfer.remote_access"),
        (_with("data", "core_data", "false"), "data.core_data"),
        (_with("data", "important_data", "maybe"), "data.important_data"),
        (_with("transfer", "purpose", "shopping"), "transfer.purpose"),
        (_with("data", "ftz_list_match", "partly"), "data.ftz_list_match"),
        (_with("data", "ftz_list_requirement", "audit"), "data.ftz_list_requirement"),
        (_with(None, "as_of", "2024-13-01"), "as_of"),
        (_with(None, "as_of", "2023-02-29"), "as_of"),
        (_with(None, "as_of", "20240101"), "as_of"),
        (_with(None, "as_of", 20240101), "as_of"),
        (_with(None, "as_of", "2022-08-31"), "as_of"),  # before the first regime
        (_with("transfer", "recipient_country", "de"), "transfer.recipient_country"),
        (_with("transfer", "recipient_country", "DEU"), "transfer.recipient_country"),
        (_with("transfer", "recipient_country", ""), "transfer.recipient_country"),
        (_with("transfer", "recipient_country", "CN"), "transfer.recipient_country"),
        (_with(None, "colour", "red"), "colour"),
        (_with("data", "individual", 5), "data.individual"),
        (_with("processor", "ciio", True), "processor.ciio"),
        (_with(None, "data", []), "data"),
    ],
)
def test_request_errors_name_the_field(payload, field):
    with pytest.raises(RequestError) as error:
        request_from_dict(payload)
    assert error.value.field == field
    assert isinstance(error.value, ValueError)
    assert str(error.value).startswith(f"{field}: ")


def test_several_unknown_keys_are_all_named():
    payload = valid_payload()
    payload["data"].update(zeta=1, alpha=2)
    with pytest.raises(RequestError) as error:
        request_from_dict(payload)
    assert error.value.field == "data.alpha"
    assert "data.alpha, data.zeta" in error.value.message


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        # Counts without PI contradict themselves.
        ({"data": {"personal_information": False}}, "data.personal_information"),
        ({"data": {"ftz_list_requirement": None}}, "data.ftz_list_requirement"),
        ({"data": {"ftz_list_match": "off_list"}}, "data.ftz_list_requirement"),
        ({"transfer": {"purpose": "other"}}, "transfer.contract_type"),
        ({"transfer": {"purpose": "transit", "contract_type": None}}, "data.collected_abroad"),
    ],
)
def test_contradictory_requests_are_rejected(changes, field):
    payload = valid_payload()
    for section, values in changes.items():
        payload[section].update(values)
    with pytest.raises(RequestError) as error:
        request_from_dict(payload)
    assert error.value.field == field


def test_a_request_that_is_not_an_object_is_rejected():
    with pytest.raises(RequestError) as error:
        request_from_dict(["not", "an", "object"])  # type: ignore[arg-type]
    assert error.value.field == "request"
