"""Every rule the export engine applies, as a dated record citing its instrument and article.

A rule is in force from ``effective_from`` to ``effective_to`` (inclusive, None = open). For each
``Topic`` at most one rule is in force on any day; ``versions.py`` builds the rule sets from these
dates. ``verified=False`` marks a rule whose point could not be checked against the official text
(the research note's ⚠ items and anything beyond the note); its ``note`` says what is uncertain
and which reading the engine takes. Rules that bind the processor carry the ``obligation`` text
and ``deadlines`` a decision lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from digitrade.core.text import Text
from digitrade.systems.dataflow.rules.catalogue_zh import (
    ARTICLES_ZH,
    NOTES_ZH,
    OBLIGATIONS_ZH,
    SUMMARIES_ZH,
    TERMS_ZH,
)
from digitrade.systems.dataflow.rules.instruments import (
    CERTIFICATION_MEASURES,
    CROSS_BORDER_PROVISIONS,
    DSL,
    LINGANG_CLASSIFICATION_MEASURES,
    NETWORK_DATA_REGULATIONS,
    PIPL,
    SECURITY_ASSESSMENT_GUIDE_2,
    SECURITY_ASSESSMENT_GUIDE_3,
    SECURITY_ASSESSMENT_MEASURES,
    SHANGHAI_FTZ_LIST_MEASURES,
    STANDARD_CONTRACT_GUIDE_2,
    STANDARD_CONTRACT_MEASURES,
    Instrument,
)
from digitrade.systems.dataflow.rules.model import Basis

# Dates on which the regime changed.
SECURITY_ASSESSMENT_MEASURES_START = date(2022, 9, 1)
STANDARD_CONTRACT_MEASURES_START = date(2023, 6, 1)
PROVISIONS_START = date(2024, 3, 22)
NETWORK_DATA_REGULATIONS_START = date(2025, 1, 1)
SHANGHAI_FTZ_LIST_START = date(2025, 2, 8)
SECURITY_ASSESSMENT_GUIDE_3_START = date(2025, 6, 27)
CERTIFICATION_MEASURES_START = date(2026, 1, 1)

_BEFORE_STANDARD_CONTRACT_MEASURES = date(2023, 5, 31)
_BEFORE_PROVISIONS = date(2024, 3, 21)
_BEFORE_SHANGHAI_FTZ_LIST = date(2025, 2, 7)
_BEFORE_CERTIFICATION_MEASURES = date(2025, 12, 31)


class Topic(StrEnum):
    """What a rule decides or requires; the value doubles as the obligation code."""

    EXPORT = "export"
    CORE_DATA = "core-data"
    CORE_DATA_LOCAL = "core-data-local"
    IMPORTANT_DATA = "important-data"
    IMPORTANT_DATA_OUTSIDE_EXEMPTIONS = "important-data-outside-exemptions"
    IMPORTANT_DATA_OFF_FTZ_LIST = "important-data-off-ftz-list"
    NO_PERSONAL_OR_IMPORTANT_DATA = "no-personal-or-important-data"
    TRANSIT = "transit"
    CONTRACT_NECESSITY = "contract-necessity"
    HR_NECESSITY = "hr-necessity"
    EMERGENCY = "emergency"
    STATUTORY_DUTY = "statutory-duty"
    EXEMPTIONS_PREVAIL = "exemptions-prevail"
    FTZ_LIST = "ftz-list"
    FTZ_CIIO_EXCLUSION = "ftz-ciio-exclusion"
    FTZ_EXPORT_REPORT = "ftz-export-report"
    CIIO = "ciio"
    COUNTING = "counting"
    VOLUME_SECURITY_ASSESSMENT = "volume-security-assessment"
    VOLUME_CONTRACT_OR_CERTIFICATION = "volume-contract-or-certification"
    VOLUME_EXEMPTION = "volume-exemption"
    PROCESSED_VOLUME = "processed-volume"
    RESTRICTED_RECIPIENTS = "restricted-recipients"
    NOTICE_AND_CONSENT = "notice-and-consent"
    PIPIA = "pipia"
    SECURITY_DUTIES = "security-duties"
    SA_SELF_ASSESSMENT = "sa-self-assessment"
    SA_DECLARATION = "sa-declaration"
    SA_CONTRACT = "sa-contract"
    SA_REVIEW = "sa-review"
    SA_RE_REVIEW = "sa-re-review"
    SA_VALIDITY = "sa-validity"
    SA_REDECLARATION = "sa-redeclaration"
    SA_EXTENSION_CONDITIONS = "sa-extension-conditions"
    STANDARD_CONTRACT = "standard-contract"
    SCC_PIPIA = "scc-pipia"
    SCC_FILING = "scc-filing"
    SCC_MATERIALS = "scc-materials"
    SCC_PIPIA_RECENCY = "scc-pipia-recency"
    SCC_CHANGES = "scc-changes"
    NO_SPLITTING = "no-splitting"
    CERTIFICATION = "certification"
    CERTIFICATE_VALIDITY = "certificate-validity"


@dataclass(frozen=True, slots=True)
class Term:
    """A deadline a rule sets: in working days, in years, or (both None) as the text says."""

    code: str
    text: str
    working_days: int | None = None
    years: int | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    topic: Topic
    instrument: Instrument
    article: str
    effective_from: date
    effective_to: date | None
    summary: str
    verified: bool = True
    note: str = ""
    obligation: str | None = None
    deadlines: tuple[Term, ...] = ()

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    @property
    def summary_text(self) -> Text:
        """The summary in English and Chinese (``catalogue_zh``)."""
        return Text(self.summary, SUMMARIES_ZH[self.id])

    @property
    def article_zh(self) -> str:
        """The article reference as a Chinese citation writes it (``第五条第（一）项``)."""
        return ARTICLES_ZH[self.id]

    @property
    def note_zh(self) -> str:
        """The note in Chinese; empty when the rule has no note."""
        return NOTES_ZH.get(self.id, "")

    def term_zh(self, term: Term) -> str:
        """The Chinese text of one of this rule's deadlines."""
        return TERMS_ZH[self.id, term.code]

    def cite(self, reason: Text | None = None) -> Basis:
        """This rule as a reason of a decision; without a reason, its summary."""
        text = self.summary_text if reason is None else reason
        return Basis(
            self.instrument.citation,
            self.article,
            text.en,
            self.instrument.citation_zh,
            text.zh,
            self.article_zh,
        )


_PROVISIONS = CROSS_BORDER_PROVISIONS
_SA = SECURITY_ASSESSMENT_MEASURES
_SCC = STANDARD_CONTRACT_MEASURES
_PIPL_START = PIPL.effective_from

RULES: tuple[Rule, ...] = (
    # -- Is it an export? (research note section 0, step 1)
    Rule(
        id="cn.pipl.art38.export",
        topic=Topic.EXPORT,
        instrument=PIPL,
        article="Art 38",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=_BEFORE_PROVISIONS,
        summary="Providing PI or important data outside mainland China is an export that needs a "
        "legal mechanism; remote access from abroad to data stored in China counts as one",
        verified=False,
        note="Remote access as an export is stated in the 2024 guides and the CAC Q&A of Oct 2025; "
        "the engine reads the earlier regime the same way without having checked the "
        "first-edition guides.",
    ),
    Rule(
        id="cn.scc-guide-2.export-act",
        topic=Topic.EXPORT,
        instrument=STANDARD_CONTRACT_GUIDE_2,
        article="出境行为 (acts of export)",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="An export is PI or important data collected or generated in China transmitted or "
        "stored abroad, or data stored in China that overseas parties can query, retrieve, "
        "download or export; overseas staff accessing data while in China, with nothing sent "
        "abroad, is generally not an export (CAC Q&A Oct 2025)",
    ),
    # -- Core data (step 2)
    Rule(
        id="cn.dsl.art21.core-data",
        topic=Topic.CORE_DATA,
        instrument=DSL,
        article="Art 21",
        effective_from=DSL.effective_from,
        effective_to=None,
        summary="Core data is under a stricter regime than the three export pathways: it is not "
        "exported through them; stop and escalate",
        verified=False,
        note="DSL Art 21 sets a stricter management regime for core data but does not in terms "
        "prohibit its export; the research note's decision order blocks and escalates, and the "
        "Lin-gang classification measures prohibit core data from crossing the border. The "
        "engine returns PROHIBITED.",
        obligation="Do not export the core data. Escalate to the data security officer and the "
        "competent authority: none of the three pathways (security assessment, standard "
        "contract, certification) is available for it",
    ),
    Rule(
        id="sh.lingang.core-data",
        topic=Topic.CORE_DATA_LOCAL,
        instrument=LINGANG_CLASSIFICATION_MEASURES,
        article="core grade (核心数据)",
        effective_from=LINGANG_CLASSIFICATION_MEASURES.effective_from,
        effective_to=None,
        summary="In the Lin-gang Special Area, core-grade data is prohibited from crossing the "
        "border",
        verified=False,
        note="Article number not recorded in the research note.",
    ),
    # -- Important data (step 3)
    Rule(
        id="cn.sa-measures.art4-1.important-data",
        topic=Topic.IMPORTANT_DATA,
        instrument=_SA,
        article="Art 4(1)",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=_BEFORE_PROVISIONS,
        summary="A processor providing important data abroad must declare a security assessment",
    ),
    Rule(
        id="cn.provisions.art7.important-data",
        topic=Topic.IMPORTANT_DATA,
        instrument=_PROVISIONS,
        article="Arts 2, 7(1), 7(2)",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="Important data, meaning data a department or locality has notified or publicly "
        "released as such (Art 2; NDSMR Art 37), needs a security assessment whoever exports it "
        "and whatever the volume",
    ),
    Rule(
        id="cn.provisions.art5.final-paragraph",
        topic=Topic.IMPORTANT_DATA_OUTSIDE_EXEMPTIONS,
        instrument=_PROVISIONS,
        article="Art 5, final paragraph",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="The PI exemptions of Art 5 do not extend to important data",
        verified=False,
        note="Wording of the final paragraph not checked against the official text (research note "
        "⚠). The engine reads it as keeping important data outside the Art 5 exemptions, which "
        "is also the research note's decision order (important data before exemptions).",
    ),
    Rule(
        id="cn.provisions.art6.important-data",
        topic=Topic.IMPORTANT_DATA_OFF_FTZ_LIST,
        instrument=_PROVISIONS,
        article="Art 6",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="Notified important data goes to a security assessment even when the FTZ list "
        "match says it is off the list",
        verified=False,
        note="Art 6 exempts off-list data without distinguishing important data. The engine "
        "follows the research note's decision order (important data before FTZ lists), reading "
        "the lists as covering the important data of their sectors (the Shanghai list covers "
        "important data and PI).",
    ),
    # -- Neither PI nor important data (step 4)
    Rule(
        id="cn.sa-measures.art2-4.scope",
        topic=Topic.NO_PERSONAL_OR_IMPORTANT_DATA,
        instrument=_SA,
        article="Arts 2, 4",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=_BEFORE_PROVISIONS,
        summary="The export mechanisms cover important data and PI only (SA Measures Arts 2 and 4; "
        "PIPL Art 38); data with neither needs none of them",
        verified=False,
        note="There was no express exemption before Provisions Art 3; the engine reads the scope "
        "of the SA Measures (important data and PI) and of PIPL Art 38 (PI) as leaving other "
        "data outside the mechanisms.",
        obligation="Keep a record showing the exported data contains no PI and no important data",
    ),
    Rule(
        id="cn.provisions.art3.no-personal-or-important-data",
        topic=Topic.NO_PERSONAL_OR_IMPORTANT_DATA,
        instrument=_PROVISIONS,
        article="Art 3",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="Data containing no PI and no important data is exempt from security assessment, "
        "standard contract and certification (Art 3 names international trade, cross-border "
        "transport, academic cooperation, transnational manufacturing and marketing; the CAC "
        "Q&A of Apr 2025 says general data flows freely)",
        obligation="Keep a record showing the exported data contains no PI and no important data",
    ),
    # -- PI transit (step 5)
    Rule(
        id="cn.provisions.art4.transit",
        topic=Topic.TRANSIT,
        instrument=_PROVISIONS,
        article="Art 4",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="PI collected or generated abroad, processed in China and provided abroad again, "
        "with no PI or important data from China added, is exempt",
        obligation="Keep a record showing the PI was collected abroad and that no PI or important "
        "data from China was added while it was processed here",
    ),
    # -- Necessity exemptions (step 6); CIIOs included (Art 7 §2, Art 8 §2)
    Rule(
        id="cn.provisions.art5-1.contract",
        topic=Topic.CONTRACT_NECESSITY,
        instrument=_PROVISIONS,
        article="Art 5(1)",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="PI that genuinely must be provided abroad to conclude or perform a contract to "
        "which the individual is a party is exempt",
        obligation="Record why providing the PI abroad is genuinely necessary (确需) to "
        "conclude or perform the contract with the individual, and provide only what the "
        "contract needs. "
        "Art 5(1) names cross-border shopping, delivery, remittance, payment, account opening, "
        "air ticket and hotel booking, visa and examination services; the CAC Q&A of Oct 2025 "
        "reads its '等' as covering comparable necessary cases",
    ),
    Rule(
        id="cn.provisions.art5-2.hr",
        topic=Topic.HR_NECESSITY,
        instrument=_PROVISIONS,
        article="Art 5(2)",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="Employees' PI that genuinely must be provided abroad for cross-border human "
        "resources management under lawful labour rules or a lawful collective contract is "
        "exempt",
        obligation="Keep the labour rules or collective contract relied on and record why each "
        "category of employee PI is needed abroad",
    ),
    Rule(
        id="cn.provisions.art5-3.emergency",
        topic=Topic.EMERGENCY,
        instrument=_PROVISIONS,
        article="Art 5(3)",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="PI that genuinely must be provided abroad in an emergency to protect a natural "
        "person's life, health or property is exempt",
        obligation="Record the emergency and why the PI had to be provided abroad; provide only "
        "what the emergency needs",
    ),
    Rule(
        id="cn.ndsmr.art35-6.statutory-duty",
        topic=Topic.STATUTORY_DUTY,
        instrument=NETWORK_DATA_REGULATIONS,
        article="Art 35(6)",
        effective_from=NETWORK_DATA_REGULATIONS_START,
        effective_to=None,
        summary="PI may be provided abroad where necessary to perform a statutory duty or "
        "obligation, without security assessment, standard contract or certification",
        obligation="Record the statutory duty or obligation relied on and why providing the PI "
        "abroad is necessary to perform it",
    ),
    Rule(
        id="cn.provisions.art7-8.exemptions-prevail",
        topic=Topic.EXEMPTIONS_PREVAIL,
        instrument=_PROVISIONS,
        article="Art 7 §2, Art 8 §2",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="Arts 3 to 6 prevail over the security assessment and standard contract rules, so "
        "their exemptions hold for CIIOs too",
    ),
    # -- Free trade zone lists (step 7)
    Rule(
        id="cn.provisions.art6.ftz-list",
        topic=Topic.FTZ_LIST,
        instrument=_PROVISIONS,
        article="Art 6",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="A processor in a pilot free trade zone exporting data off the zone's published "
        "list (approved by the provincial cyberspace commission, filed with the CAC and the "
        "national data administration) is exempt; data on the list follows the pathway its row "
        "prescribes",
        note="The engine takes the list match as given: the list matcher applies each row's own "
        "thresholds and the list in force on the assessment date. The processor must be "
        "registered in the zone.",
        obligation="Keep the list edition, the row matched (or why the data is off the list) and "
        "the sector coverage relied on",
    ),
    Rule(
        id="cn.provisions.art7-1.ciio-outside-ftz-lists",
        topic=Topic.FTZ_CIIO_EXCLUSION,
        instrument=_PROVISIONS,
        article="Art 7(1)",
        effective_from=PROVISIONS_START,
        effective_to=_BEFORE_SHANGHAI_FTZ_LIST,
        summary="CIIOs are kept outside free trade zone lists: their PI exports need a security "
        "assessment",
        verified=False,
        note="Before the Shanghai list (8 Feb 2025) the engine keeps CIIOs outside every FTZ list, "
        "as the Shanghai list does; not checked for the Tianjin and Beijing lists.",
    ),
    Rule(
        id="sh.ftz-list.ciio-excluded",
        topic=Topic.FTZ_CIIO_EXCLUSION,
        instrument=SHANGHAI_FTZ_LIST_MEASURES,
        article="scope (适用范围)",
        effective_from=SHANGHAI_FTZ_LIST_START,
        effective_to=None,
        summary="The Shanghai FTZ and Lin-gang list applies to processors registered in, and "
        "exporting from, the zone; CIIOs are excluded",
    ),
    Rule(
        id="sh.ftz-list.export-report",
        topic=Topic.FTZ_EXPORT_REPORT,
        instrument=SHANGHAI_FTZ_LIST_MEASURES,
        article="reporting (报告)",
        effective_from=SHANGHAI_FTZ_LIST_START,
        effective_to=None,
        summary="Exports in listed activities are reported to the local data-export service centre "
        "within 15 working days after the transfer",
        verified=False,
        note="From a law-firm (Hunton) summary of the management measures, not the official text; "
        "the research note lists the report under the exempt checklist ('where required'). The "
        "engine lists it for every export decided by an FTZ list.",
        obligation="Report the export to the local data-export service centre with the business "
        "licence, IDs, the authorisation letter and an explanation letter",
        deadlines=(
            Term("ftz-export-report", "Report within 15 working days after the transfer", 15),
        ),
    ),
    # -- CIIOs (step 8)
    Rule(
        id="cn.sa-measures.art4-2.ciio",
        topic=Topic.CIIO,
        instrument=_SA,
        article="Art 4(2)",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=_BEFORE_PROVISIONS,
        summary="A CIIO providing PI abroad must declare a security assessment (also PIPL Art 40)",
    ),
    Rule(
        id="cn.provisions.art7-1.ciio",
        topic=Topic.CIIO,
        instrument=_PROVISIONS,
        article="Art 7(1)",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="A CIIO providing PI or important data abroad needs a security assessment whatever "
        "the volume (also PIPL Art 40), unless Arts 3 to 6 exempt the export",
    ),
    # -- Volume tiers (step 9); the numbers are in thresholds.py
    Rule(
        id="cn.sa-measures.art4-3.counting",
        topic=Topic.COUNTING,
        instrument=_SA,
        article="Art 4(3)",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=_BEFORE_PROVISIONS,
        summary="Individuals whose PI was provided abroad are counted cumulatively since 1 January "
        "of the previous year",
        verified=False,
        note="The 2022 trigger counts individuals whose PI was exported, sensitive or not; the "
        "request counts non-sensitive and sensitive individuals separately without their "
        "overlap, so the engine adds the two (an upper bound on distinct persons, never "
        "understating). Under this regime the earlier_this_year fields must cover the whole "
        "window since 1 January of the previous year.",
        obligation="Count the distinct individuals whose PI was provided abroad since 1 January of "
        "the previous year",
    ),
    Rule(
        id="cn.provisions.counting",
        topic=Topic.COUNTING,
        instrument=_PROVISIONS,
        article="Arts 5(4), 7(2), 8",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="Distinct natural persons are counted cumulatively since 1 January of the current "
        "year, non-sensitive and sensitive separately; once a tier is crossed mid-year the "
        "stricter pathway applies (CAC Q&A Oct 2025)",
        verified=False,
        note="Commentary on the second-edition guides says PI exported under an exemption (Arts 4, "
        "5(1)-(3)) does not count toward the thresholds (research note ⚠). The engine counts "
        "what the request reports.",
        obligation="Keep counting the distinct individuals exported since 1 January, non-sensitive "
        "and sensitive separately, and re-check the tier before each export: crossing a tier "
        "mid-year brings the stricter pathway",
    ),
    Rule(
        id="cn.sa-measures.art4-3.volume",
        topic=Topic.VOLUME_SECURITY_ASSESSMENT,
        instrument=_SA,
        article="Art 4(3)",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=_BEFORE_PROVISIONS,
        summary="A processor that has provided PI of 100,000 individuals, or sensitive PI of "
        "10,000 individuals, abroad since 1 January of the previous year must declare a "
        "security assessment",
    ),
    Rule(
        id="cn.provisions.art7-2.volume",
        topic=Topic.VOLUME_SECURITY_ASSESSMENT,
        instrument=_PROVISIONS,
        article="Art 7(2)",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="A non-CIIO that has provided non-sensitive PI of 1,000,000 or more individuals, "
        "or sensitive PI of 10,000 or more, abroad since 1 January needs a security assessment "
        "('以上' includes the threshold)",
    ),
    Rule(
        id="cn.pipl.art38.mechanisms",
        topic=Topic.VOLUME_CONTRACT_OR_CERTIFICATION,
        instrument=PIPL,
        article="Art 38(1)-(3)",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=_BEFORE_STANDARD_CONTRACT_MEASURES,
        summary="Below the security assessment triggers a PI export still needs certification or "
        "a contract under the CAC standard contract: there is no volume exemption",
    ),
    Rule(
        id="cn.scc-measures.art4.conditions",
        topic=Topic.VOLUME_CONTRACT_OR_CERTIFICATION,
        instrument=_SCC,
        article="Art 4",
        effective_from=STANDARD_CONTRACT_MEASURES_START,
        effective_to=_BEFORE_PROVISIONS,
        summary="A non-CIIO processing PI of fewer than 1,000,000 individuals that has provided PI "
        "of fewer than 100,000 individuals and sensitive PI of fewer than 10,000 abroad since 1 "
        "January of the previous year uses the standard contract (or certification, PIPL Art "
        "38); there is no volume exemption",
    ),
    Rule(
        id="cn.provisions.art8.volume",
        topic=Topic.VOLUME_CONTRACT_OR_CERTIFICATION,
        instrument=_PROVISIONS,
        article="Art 8",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="A non-CIIO that has provided non-sensitive PI of 100,000 to fewer than 1,000,000 "
        "individuals, or sensitive PI of fewer than 10,000, abroad since 1 January concludes a "
        "standard contract or obtains certification",
    ),
    Rule(
        id="cn.provisions.art5-4.volume",
        topic=Topic.VOLUME_EXEMPTION,
        instrument=_PROVISIONS,
        article="Art 5(4)",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="A non-CIIO that has provided non-sensitive PI of fewer than 100,000 individuals "
        "and no sensitive PI abroad since 1 January is exempt ('不满' excludes the threshold)",
    ),
    Rule(
        id="cn.sa-measures.art4-2.processed-volume",
        topic=Topic.PROCESSED_VOLUME,
        instrument=_SA,
        article="Art 4(2)",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=_BEFORE_PROVISIONS,
        summary="A processor processing PI of 1,000,000 or more individuals needs a security "
        "assessment for any PI export and cannot use the standard contract (SCC Measures Art 4)",
        obligation="Confirm the processor processes PI of fewer than 1,000,000 individuals in "
        "total: the request does not carry that figure, and at or above it any PI export needs "
        "a security assessment",
    ),
    Rule(
        id="cn.provisions.art13.processed-volume-displaced",
        topic=Topic.PROCESSED_VOLUME,
        instrument=_PROVISIONS,
        article="Art 13",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="The 2022 trigger on processing PI of 1,000,000 individuals is not repeated in the "
        "Provisions, which prevail where they conflict: the volume exported alone decides",
        verified=False,
        note="No express official statement that the processed-volume trigger is displaced "
        "(research note ⚠); the engine no longer applies it from 22 Mar 2024.",
    ),
    # -- Duties whenever PI is exported (step 10)
    Rule(
        id="cn.pipl.art42.restricted-recipients",
        topic=Topic.RESTRICTED_RECIPIENTS,
        instrument=PIPL,
        article="Art 42",
        effective_from=_PIPL_START,
        effective_to=None,
        summary="PI must not be provided to overseas organisations or individuals on the CAC's "
        "restricted list; the recipient country itself never changes the pathway (China keeps "
        "no adequacy list) and feeds the risk assessment",
    ),
    Rule(
        id="cn.pipl.art39.notice-and-consent",
        topic=Topic.NOTICE_AND_CONSENT,
        instrument=PIPL,
        article="Art 39",
        effective_from=_PIPL_START,
        effective_to=None,
        summary="Before PI is provided abroad, individuals are told who receives it and how to "
        "exercise their rights, and give separate consent where consent is the legal basis "
        "(also Provisions Art 10)",
        obligation="Give the Art 39 notice (recipient's name and contact details, purpose, method, "
        "categories of PI, how to exercise rights against the recipient) and obtain separate "
        "consent where consent is the legal basis; keep the evidence",
    ),
    Rule(
        id="cn.pipl.art55-56.pipia",
        topic=Topic.PIPIA,
        instrument=PIPL,
        article="Arts 55(4), 56",
        effective_from=_PIPL_START,
        effective_to=None,
        summary="Providing PI abroad needs a prior PI protection impact assessment (PIPIA); its "
        "report and the processing records are kept for at least 3 years",
        obligation="Carry out a PI protection impact assessment (PIPIA) before the export: "
        "lawfulness, legitimacy and necessity of the purpose and method, the impact and risks "
        "for individuals, and whether the protection measures are lawful, effective and "
        "proportionate",
        deadlines=(Term("pipia-records", "Keep the PIPIA report and processing records", years=3),),
    ),
    Rule(
        id="cn.provisions.art10-11.security-duties",
        topic=Topic.SECURITY_DUTIES,
        instrument=_PROVISIONS,
        article="Arts 10-11",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="Exporters keep their notice, consent and PIPIA duties, protect the exported data "
        "and remedy and report security incidents",
        obligation="Take technical and other necessary measures to keep the exported data secure; "
        "on a data security incident, take remedial action and report it to the provincial or "
        "higher cyberspace authority and the other competent departments",
    ),
    # -- Security assessment duties
    Rule(
        id="cn.sa-measures.art5.self-assessment",
        topic=Topic.SA_SELF_ASSESSMENT,
        instrument=_SA,
        article="Art 5",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=None,
        summary="A risk self-assessment precedes the declaration",
        obligation="Carry out the risk self-assessment: lawfulness, legitimacy and necessity of "
        "the purpose, scope and method (exporter and recipient); scale, type, sensitivity and "
        "risks of the data; the recipient's obligations and capability; risk of leak, tampering or "
        "loss during and after export, and whether rights channels work; whether the contract "
        "stipulates security obligations",
    ),
    Rule(
        id="cn.sa-measures.art6.declaration",
        topic=Topic.SA_DECLARATION,
        instrument=_SA,
        article="Art 6",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=_BEFORE_PROVISIONS,
        summary="The declaration goes through the provincial cyberspace authority with the "
        "declaration form, the risk self-assessment report and the legal documents with the "
        "recipient",
        verified=False,
        note="Article and list of materials as understood from the official text; not recorded "
        "in the research note.",
        obligation="Declare through the provincial cyberspace authority with the declaration form, "
        "the risk self-assessment report, the legal documents with the recipient and any other "
        "materials requested",
    ),
    Rule(
        id="cn.sa-guide-2.materials",
        topic=Topic.SA_DECLARATION,
        instrument=SECURITY_ASSESSMENT_GUIDE_2,
        article="materials (申报材料)",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="Declarations are filed online (sjcj.cac.gov.cn) through the provincial "
        "cyberspace authority with the listed materials",
        note="The third edition (27 Jun 2025) is not recorded as changing the list.",
        obligation="Declare online (sjcj.cac.gov.cn) through the provincial cyberspace authority "
        "with: the declaration form; the risk self-assessment report; the legal documents with "
        "the recipient; the unified social credit code certificate; ID copies of the legal "
        "representative and the handler; a power of attorney; other supporting documents",
    ),
    Rule(
        id="cn.sa-measures.art9.contract",
        topic=Topic.SA_CONTRACT,
        instrument=_SA,
        article="Art 9",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=None,
        summary="The legal documents with the recipient must contain the listed data security "
        "terms",
        obligation="Conclude legal documents with the recipient covering: purpose, method and "
        "scope; storage location and period, and disposal at the end; limits on onward "
        "transfer; measures on a change of control or of the legal environment; remedies; "
        "liability; dispute resolution",
    ),
    Rule(
        id="cn.sa-measures.art12.review-period",
        topic=Topic.SA_REVIEW,
        instrument=_SA,
        article="Art 12",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=None,
        summary="The CAC completes the assessment within 45 working days of accepting the "
        "declaration; complex cases may be extended",
        deadlines=(
            Term(
                "sa-review-period",
                "The CAC decides within 45 working days of accepting the declaration "
                "(extendable); do not export before the result",
                45,
            ),
        ),
    ),
    Rule(
        id="cn.sa-measures.art13.re-review",
        topic=Topic.SA_RE_REVIEW,
        instrument=_SA,
        article="Art 13",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=None,
        summary="A processor that disagrees with the result may ask for a re-review",
        deadlines=(
            Term(
                "sa-re-review-request",
                "Ask for a re-review within 15 working days of receiving the result, if you "
                "disagree with it",
                15,
            ),
        ),
    ),
    Rule(
        id="cn.sa-measures.art14.validity",
        topic=Topic.SA_VALIDITY,
        instrument=_SA,
        article="Art 14",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=_BEFORE_PROVISIONS,
        summary="A security assessment result is valid for 2 years from issue; to keep exporting, "
        "the processor declares again 60 working days before it expires",
        note="2-year validity per the research note; the 60-working-day lead time per press "
        "reports of the Measures (7 Jul 2022).",
        deadlines=(
            Term("sa-result-validity", "The result is valid for 2 years from issue", years=2),
            Term(
                "sa-redeclaration-before-expiry",
                "Declare again at least 60 working days before the result expires to keep "
                "exporting",
                60,
            ),
        ),
    ),
    Rule(
        id="cn.provisions.art9.validity",
        topic=Topic.SA_VALIDITY,
        instrument=_PROVISIONS,
        article="Art 9",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="A security assessment result is valid for 3 years from issue; if no "
        "re-declaration trigger has occurred, the processor may apply within the 60 working "
        "days before expiry for an extension of 3 years",
        deadlines=(
            Term("sa-result-validity", "The result is valid for 3 years from issue", years=3),
            Term(
                "sa-extension-request",
                "Apply for an extension within the 60 working days before the result expires; "
                "the CAC may extend it by 3 years",
                60,
            ),
        ),
    ),
    Rule(
        id="cn.sa-measures.art14.redeclaration",
        topic=Topic.SA_REDECLARATION,
        instrument=_SA,
        article="Art 14",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=None,
        summary="Changes during the validity period require a new declaration",
        obligation="Declare again if the purpose, scope, type, method or overseas retention "
        "changes, if the recipient country's law or either party's control changes, or if the "
        "contract changes",
    ),
    Rule(
        id="cn.sa-guide-3.extension-conditions",
        topic=Topic.SA_EXTENSION_CONDITIONS,
        instrument=SECURITY_ASSESSMENT_GUIDE_3,
        article="extension (延期)",
        effective_from=SECURITY_ASSESSMENT_GUIDE_3_START,
        effective_to=None,
        summary="An extension needs an unchanged export, limited growth, compliant contracts and "
        "no major incident",
        verified=False,
        note="From a law-firm (Hunton) summary of the third-edition guide; not checked against "
        "the guide.",
        obligation="Before applying for an extension, check: purpose, scope, processor and "
        "recipients unchanged; growth of at most 20% over the approved 3-year volume; contracts "
        "still meet SA Measures Art 9; no major incident in the past 3 years",
    ),
    # -- Standard contract or certification duties
    Rule(
        id="cn.pipl.art38-3.standard-contract",
        topic=Topic.STANDARD_CONTRACT,
        instrument=PIPL,
        article="Art 38(3)",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=_BEFORE_STANDARD_CONTRACT_MEASURES,
        summary="A contract with the recipient under the standard contract formulated by the CAC, "
        "whose template takes effect on 1 June 2023",
        obligation="Conclude a contract with the recipient setting out both parties' rights and "
        "obligations; the CAC standard contract template takes effect on 1 June 2023",
    ),
    Rule(
        id="cn.scc-measures.art6.template",
        topic=Topic.STANDARD_CONTRACT,
        instrument=_SCC,
        article="Art 6",
        effective_from=STANDARD_CONTRACT_MEASURES_START,
        effective_to=None,
        summary="The standard contract is concluded in the CAC template",
        obligation="Conclude the CAC standard contract with the recipient without changing its "
        "text; added terms must not conflict with it",
    ),
    Rule(
        id="cn.scc-measures.art5.pipia",
        topic=Topic.SCC_PIPIA,
        instrument=_SCC,
        article="Art 5",
        effective_from=STANDARD_CONTRACT_MEASURES_START,
        effective_to=None,
        summary="The PIPIA for a standard contract also covers the recipient country's PI laws",
        obligation="In the PIPIA, also assess the impact of the recipient country's PI protection "
        "laws and practice on performing the standard contract",
    ),
    Rule(
        id="cn.scc-measures.art7.filing",
        topic=Topic.SCC_FILING,
        instrument=_SCC,
        article="Art 7",
        effective_from=STANDARD_CONTRACT_MEASURES_START,
        effective_to=None,
        summary="The standard contract is filed with the provincial cyberspace authority, with the "
        "PIPIA report, within 10 working days of taking effect",
        obligation="File the standard contract and the PIPIA report with the provincial "
        "cyberspace authority",
        deadlines=(
            Term("scc-filing", "File within 10 working days of the contract taking effect", 10),
        ),
    ),
    Rule(
        id="cn.scc-guide-2.materials",
        topic=Topic.SCC_MATERIALS,
        instrument=STANDARD_CONTRACT_GUIDE_2,
        article="materials (备案材料)",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="The filing consists of the listed materials; the CAC issues a filing number",
        obligation="File with: the unified social credit code certificate; ID copies of the legal "
        "representative and the handler; a power of attorney; the commitment letter; the "
        "signed standard contract; the PIPIA report. Keep the filing number the CAC issues",
    ),
    Rule(
        id="cn.scc-guide-2.pipia-recency",
        topic=Topic.SCC_PIPIA_RECENCY,
        instrument=STANDARD_CONTRACT_GUIDE_2,
        article="PIPIA (个人信息保护影响评估)",
        effective_from=PROVISIONS_START,
        effective_to=None,
        summary="The PIPIA filed with the standard contract is completed within the 3 months "
        "before filing",
        verified=False,
        note="Reported, not checked against the guide (research note ⚠).",
        obligation="Complete the PIPIA filed with the contract within the 3 months before filing",
    ),
    Rule(
        id="cn.scc-measures.art8.changes",
        topic=Topic.SCC_CHANGES,
        instrument=_SCC,
        article="Art 8",
        effective_from=STANDARD_CONTRACT_MEASURES_START,
        effective_to=None,
        summary="Changes to the export require a supplemented or new contract and a new filing",
        obligation="Supplement or re-sign the contract, redo the PIPIA and file again when the "
        "purpose, scope, categories, method or retention of the export, or the recipient's "
        "legal environment, changes",
    ),
    Rule(
        id="cn.scc-measures.art4-2.no-splitting",
        topic=Topic.NO_SPLITTING,
        instrument=_SCC,
        article="Art 4 §2",
        effective_from=STANDARD_CONTRACT_MEASURES_START,
        effective_to=None,
        summary="PI that needs a security assessment must not be split into smaller volumes to "
        "use the standard contract",
        obligation="Do not split exports to stay below a security assessment threshold",
    ),
    Rule(
        id="cn.pipl.art38-2.certification",
        topic=Topic.CERTIFICATION,
        instrument=PIPL,
        article="Art 38(2)",
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=_BEFORE_CERTIFICATION_MEASURES,
        summary="Instead of a standard contract the processor may obtain PI protection "
        "certification from a specialised body",
        note="The 2022 SAMR/CAC announcement and its implementation rules are described in the "
        "research note without number or date.",
        obligation="Or, instead of the standard contract, obtain PI protection certification "
        "(CCRC, under the 2022 SAMR/CAC announcement and implementation rules; GB/T 35273 and "
        "TC260-PG-20222A): technical verification, on-site audit, post-certification "
        "supervision",
    ),
    Rule(
        id="cn.certification-measures.eligibility",
        topic=Topic.CERTIFICATION,
        instrument=CERTIFICATION_MEASURES,
        article="eligibility (适用情形)",
        effective_from=CERTIFICATION_MEASURES_START,
        effective_to=None,
        summary="Certification of a PI export is open to a non-CIIO that has provided "
        "non-sensitive PI of 100,000 to fewer than 1,000,000 individuals, or sensitive PI of "
        "fewer than 10,000, abroad since 1 January, with no important data and no splitting",
        verified=False,
        note="Content per the research note and the CAC release of 17 Oct 2025; article numbers "
        "not recorded.",
        obligation="Or, instead of the standard contract, obtain certification of the PI export "
        "from an accredited body under the Certification Measures, after completing the PIPIA "
        "and consent (standards TC260-PG-20222A v2.0 and GB/T 46068-2025); a processor abroad "
        "covered by PIPL Art 3(2) applies through its domestic representative",
    ),
    Rule(
        id="cn.certification-measures.validity",
        topic=Topic.CERTIFICATE_VALIDITY,
        instrument=CERTIFICATION_MEASURES,
        article="certificate validity (证书有效期)",
        effective_from=CERTIFICATION_MEASURES_START,
        effective_to=None,
        summary="A PI export certificate is valid for 3 years; re-apply 6 months before expiry",
        verified=False,
        note="3-year validity confirmed by the CAC release of 17 Oct 2025; the 6-month lead time "
        "is from the research note only; article numbers not recorded.",
        deadlines=(
            Term(
                "certificate-validity",
                "If the certification route is taken: the certificate is valid for 3 years",
                years=3,
            ),
            Term(
                "certificate-renewal",
                "If the certification route is taken: re-apply 6 months before the certificate "
                "expires",
            ),
        ),
    ),
)

RULES_BY_ID: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in RULES})


def _check_chinese_texts() -> None:
    """Every rule has its Chinese summary, article, note, obligation and deadlines, and no text
    is orphaned."""
    obligations = {rule.id for rule in RULES if rule.obligation}
    terms = {(rule.id, term.code) for rule in RULES for term in rule.deadlines}
    notes = {rule.id for rule in RULES if rule.note}
    for name, have, want in (
        ("SUMMARIES_ZH", set(SUMMARIES_ZH), set(RULES_BY_ID)),
        ("ARTICLES_ZH", set(ARTICLES_ZH), set(RULES_BY_ID)),
        ("NOTES_ZH", set(NOTES_ZH), notes),
        ("OBLIGATIONS_ZH", set(OBLIGATIONS_ZH), obligations),
        ("TERMS_ZH", set(TERMS_ZH), terms),
    ):
        if have != want:
            raise ValueError(
                f"{name}: missing {sorted(want - have)}, unknown {sorted(have - want)}"
            )


_check_chinese_texts()


def next_rule(topic: Topic, after: date) -> Rule | None:
    """The first rule on ``topic`` that takes effect after ``after`` (to say why a rule that
    will exist did not apply on an earlier date)."""
    later = [r for r in RULES if r.topic is topic and r.effective_from > after]
    return min(later, key=lambda r: r.effective_from, default=None)
