"""Dataflow services: assess a transfer, keep the transfer register, build filing packs.

Every saved assessment and register entry is anchored in the ledger in the same transaction, so
a company can later prove what it decided, when, and under which rules version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitrade.core import audit
from digitrade.core.auth.principal import Principal
from digitrade.core.crypto.jcs import digest_json
from digitrade.core.db import fetch_page
from digitrade.core.errors import Conflict, FieldIssue, NotFound, ValidationFailed
from digitrade.core.ledger import service as ledger
from digitrade.systems.dataflow import ftz, rules, taxonomy
from digitrade.systems.dataflow.filing import FilingInput, build_pack
from digitrade.systems.dataflow.models import (
    Assessment,
    InstalledList,
    OrganisationCategory,
    Transfer,
)
from digitrade.systems.dataflow.permissions import ASSESS, LISTS_MANAGE, READ, REGISTER
from digitrade.systems.dataflow.schemas import (
    AssessmentRead,
    AssessmentResult,
    LedgerReference,
    RegisterSummary,
    TransferCreate,
    TransferRead,
)

DECISION_KIND = "dataflow.decision"
TRANSFER_KIND = "dataflow.transfer"
LIST_KIND = "dataflow.list"
# Transfers made under these purposes are exempt whatever the volume (Provisions Arts 4-5,
# NDSMR Art 35(6)) and, on the reading of the CAC second-edition guides, do not count towards
# the volume thresholds (an unverified reading: see docs/systems/dataflow.md).
NOT_COUNTED_PURPOSES = frozenset(
    {"contract_with_individual", "hr_management", "emergency", "statutory_duty", "transit"}
)


def parse_request(value: Mapping[str, Any]) -> rules.AssessmentRequest:
    try:
        return rules.request_from_dict(value)
    except rules.RequestError as exc:
        raise ValidationFailed(
            f"{exc.field}: {exc.message}", fields=[FieldIssue(exc.field, exc.message)]
        ) from None


def year_to_date(session: Session, organisation_id: int, as_of: dt.date) -> tuple[int, int]:
    """Individuals and sensitive individuals already exported this calendar year (the count
    restarts on 1 January: Provisions Arts 5(4), 7, 8), from the organisation's register."""
    start = dt.date(as_of.year, 1, 1)
    individuals, sensitive = session.execute(
        select(
            func.coalesce(func.sum(Transfer.individuals), 0),
            func.coalesce(func.sum(Transfer.sensitive_individuals), 0),
        ).where(
            Transfer.organisation_id == organisation_id,
            Transfer.transferred_on >= start,
            Transfer.transferred_on <= as_of,
            Transfer.purpose.not_in(NOT_COUNTED_PURPOSES),
        )
    ).one()
    return int(individuals), int(sensitive)


def _with_register_counts(
    request: rules.AssessmentRequest, individuals: int, sensitive: int
) -> rules.AssessmentRequest:
    data = dataclasses.replace(
        request.data,
        individuals_earlier_this_year=request.data.individuals_earlier_this_year + individuals,
        sensitive_individuals_earlier_this_year=(
            request.data.sensitive_individuals_earlier_this_year + sensitive
        ),
    )
    return dataclasses.replace(request, data=data)


def assess(
    session: Session,
    *,
    actor: Principal,
    request: Mapping[str, Any],
    organisation_id: int | None = None,
) -> AssessmentResult:
    """Decide the legal pathway. With an organisation: add its register's year-to-date counts,
    save the assessment and anchor it in the ledger; without one, nothing is stored."""
    parsed = parse_request(request)
    if organisation_id is not None:
        actor.require(ASSESS, organisation_id)
        parsed = _with_register_counts(
            parsed, *year_to_date(session, organisation_id, parsed.as_of)
        )
    decision = rules.assess(parsed).as_dict()
    result = AssessmentResult(
        **decision,
        counted_individuals=parsed.data.individuals + parsed.data.individuals_earlier_this_year,
        counted_sensitive_individuals=(
            parsed.data.sensitive_individuals + parsed.data.sensitive_individuals_earlier_this_year
        ),
    )
    if organisation_id is None:
        return result
    anchored = ledger.append(
        session,
        kind=DECISION_KIND,
        payload={
            "organisation": organisation_id,
            "asOf": parsed.as_of.isoformat(),
            "pathway": result.pathway,
            "rulesVersion": result.rules_version,
            "requestDigest": "sha256:" + digest_json(dict(request)),
            "decisionDigest": "sha256:" + digest_json(decision),
        },
        submitter=actor.subject,
        organisation_id=organisation_id,
    )
    row = Assessment(
        organisation_id=organisation_id,
        created_by=actor.subject,
        as_of=parsed.as_of,
        pathway=result.pathway,
        rules_version=result.rules_version,
        request=dict(request),
        decision=decision,
        ledger_index=anchored.index,
        leaf_hash=anchored.leaf_hash,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="dataflow.assessment.create",
        entity_type="dataflow_assessment",
        entity_id=row.id,
        organisation_id=organisation_id,
        after={"pathway": result.pathway, "ledger_index": anchored.index},
    )
    return result.model_copy(
        update={
            "assessment_id": row.id,
            "ledger": LedgerReference(
                log=anchored.log, index=anchored.index, leaf_hash=anchored.leaf_hash.hex()
            ),
        }
    )


def get_assessment(session: Session, *, actor: Principal, assessment_id: int) -> AssessmentRead:
    row = session.get(Assessment, assessment_id)
    if row is None:
        raise NotFound(f"assessment {assessment_id} does not exist")
    actor.require(READ, row.organisation_id)
    return AssessmentRead.model_validate(row)


def list_assessments(
    session: Session, *, actor: Principal, organisation_id: int, limit: int = 50, offset: int = 0
) -> tuple[list[AssessmentRead], int]:
    actor.require(READ, organisation_id)
    query = (
        select(Assessment)
        .where(Assessment.organisation_id == organisation_id)
        .order_by(Assessment.id.desc())
    )
    rows, total = fetch_page(session, query, limit=limit, offset=offset)
    return [AssessmentRead.model_validate(r) for r in rows], total


def record_transfer(session: Session, *, actor: Principal, data: TransferCreate) -> TransferRead:
    actor.require(REGISTER, data.organisation_id)
    if data.assessment_id is not None:
        linked = session.get(Assessment, data.assessment_id)
        if linked is None or linked.organisation_id != data.organisation_id:
            raise ValidationFailed(
                "assessment_id: no such assessment of this organisation",
                fields=[FieldIssue("assessment_id", "no such assessment of this organisation")],
            )
    anchored = ledger.append(
        session,
        kind=TRANSFER_KIND,
        payload={
            "organisation": data.organisation_id,
            "transferredOn": data.transferred_on.isoformat(),
            "recipientCountry": data.recipient_country,
            "purpose": data.purpose,
            "individuals": data.individuals,
            "sensitiveIndividuals": data.sensitive_individuals,
            "pathway": data.pathway,
            "entryDigest": "sha256:" + digest_json(data.model_dump(mode="json")),
        },
        submitter=actor.subject,
        organisation_id=data.organisation_id,
    )
    row = Transfer(
        **data.model_dump(),
        created_by=actor.subject,
        ledger_index=anchored.index,
        leaf_hash=anchored.leaf_hash,
    )
    session.add(row)
    session.flush()
    result = TransferRead.model_validate(row)
    audit_after = result.model_dump(mode="json")
    result.warnings = tier_warnings(
        *year_to_date(session, data.organisation_id, data.transferred_on),
        rules.volume_thresholds(data.transferred_on),
    )
    audit.record(
        session,
        actor=actor,
        action="dataflow.transfer.create",
        entity_type="dataflow_transfer",
        entity_id=row.id,
        organisation_id=data.organisation_id,
        after=audit_after,
    )
    return result


def tier_warnings(individuals: int, sensitive: int, thresholds: Mapping[str, int]) -> list[str]:
    """What the year's count now requires of later transfers (Provisions Arts 7-8: once a tier
    is crossed mid-year, the stricter pathway applies to what follows)."""
    warnings = []
    if (
        individuals >= thresholds["individuals_security_assessment"]
        or sensitive >= thresholds["sensitive_security_assessment"]
    ):
        warnings.append(
            "the year's count has reached the security assessment threshold: further exports "
            "of personal information need a security assessment"
        )
    elif individuals >= thresholds["individuals_standard_contract"] or sensitive >= max(
        thresholds["sensitive_standard_contract"], 1
    ):
        warnings.append(
            "the year's count has reached the standard contract or certification threshold: "
            "further exports of personal information need a standard contract or certification"
        )
    return warnings


def list_transfers(
    session: Session,
    *,
    actor: Principal,
    organisation_id: int,
    year: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[TransferRead], int]:
    actor.require(READ, organisation_id)
    query = select(Transfer).where(Transfer.organisation_id == organisation_id)
    if year is not None:
        query = query.where(
            Transfer.transferred_on >= dt.date(year, 1, 1),
            Transfer.transferred_on <= dt.date(year, 12, 31),
        )
    query = query.order_by(Transfer.transferred_on.desc(), Transfer.id.desc())
    rows, total = fetch_page(session, query, limit=limit, offset=offset)
    return [TransferRead.model_validate(r) for r in rows], total


def register_summary(
    session: Session, *, actor: Principal, organisation_id: int, as_of: dt.date
) -> RegisterSummary:
    """Year-to-date counts against the thresholds in force, with a warning for each threshold
    that the next transfer would reach."""
    actor.require(READ, organisation_id)
    individuals, sensitive = year_to_date(session, organisation_id, as_of)
    thresholds = rules.volume_thresholds(as_of)
    warnings = [
        f"{name}: {count:,} of {limit:,} counted this year"
        for name, (count, limit) in {
            "individuals (standard contract or certification)": (
                individuals,
                thresholds["individuals_standard_contract"],
            ),
            "individuals (security assessment)": (
                individuals,
                thresholds["individuals_security_assessment"],
            ),
            "sensitive individuals (security assessment)": (
                sensitive,
                thresholds["sensitive_security_assessment"],
            ),
        }.items()
        if count >= 0.9 * limit
    ]
    return RegisterSummary(
        organisation_id=organisation_id,
        year=as_of.year,
        as_of=as_of,
        individuals=individuals,
        sensitive_individuals=sensitive,
        thresholds=thresholds,
        warnings=warnings,
    )


def filing_pack(session: Session, *, actor: Principal, assessment_id: int, language: str) -> bytes:
    """A ZIP of the draft documents the decision calls for (HTML, DOCX and PDF)."""
    assessment = get_assessment(session, actor=actor, assessment_id=assessment_id)
    request = assessment.request
    transfer = request.get("transfer", {})
    data = request.get("data", {})
    purpose = str(transfer.get("purpose", "other"))
    if transfer.get("contract_type"):
        purpose = f"{purpose} ({transfer['contract_type']})"
    documents = build_pack(
        FilingInput(
            processor_name=str(request.get("processor", {}).get("name", "")),
            recipient_name=str(transfer.get("recipient_name", "")),
            recipient_country=str(transfer.get("recipient_country", "")),
            purposes=[purpose],
            categories=[str(c) for c in data.get("categories", [])],
            individuals=int(data.get("individuals", 0)),
            sensitive_individuals=int(data.get("sensitive_individuals", 0)),
            retention="",
            personal_information=bool(data.get("personal_information", False)),
            pathway=assessment.pathway,
            decided_on=assessment.as_of,
            basis_lines=basis_lines(assessment.decision, language),
            language=language,
        )
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(documents.items()):
            archive.writestr(name, content)
    return buffer.getvalue()


def basis_lines(decision: Mapping[str, Any], language: str) -> list[str]:
    """A saved decision's reasons, then the notes on its unverified readings, as the filing pack
    prints them: in Chinese for ``zh-Hans`` (English where an older decision lacks a text)."""
    chinese = language == "zh-Hans"
    lines = []
    for b in decision.get("basis", []):
        if chinese and b.get("reason_zh"):
            instrument = b.get("instrument_zh") or b["instrument"]
            article = b.get("article_zh") or b["article"]
            lines.append(f"{instrument}{article}：{b['reason_zh']}")
        else:
            lines.append(f"{b['instrument']} {b['article']}: {b['reason']}")
    for rule_id in decision.get("unverified", []):
        rule = rules.RULES_BY_ID.get(rule_id)
        if rule is None or not rule.note:
            continue
        if chinese:
            lines.append(f"未经核实的解读（{rule_id}）：{rule.note_zh}")
        else:
            lines.append(f"Unverified reading ({rule_id}): {rule.note}")
    return lines


# --- shipped reference data: FTZ lists and the data category taxonomy ------------------------


@lru_cache(maxsize=1)
def shipped_lists() -> tuple[ftz.NegativeList, ...]:
    """The lists the product ships (parsed once; each file says where it comes from)."""
    return tuple(ftz.parse_json(item.read_bytes()) for item in ftz.shipped_list_files())


@lru_cache(maxsize=1)
def shipped_taxonomy() -> taxonomy.Taxonomy:
    return taxonomy.parse_taxonomy(taxonomy.shipped_taxonomy_file().read_bytes())


def all_lists(session: Session) -> list[ftz.NegativeList]:
    """Installed editions, then the shipped ones they do not replace."""
    installed = [
        ftz.parse_json(row.content)
        for row in session.scalars(select(InstalledList).order_by(InstalledList.id))
    ]
    replaced = {(item.jurisdiction, item.version) for item in installed}
    return installed + [
        item for item in shipped_lists() if (item.jurisdiction, item.version) not in replaced
    ]


def list_summaries(session: Session) -> list[dict[str, Any]]:
    installed = set(session.execute(select(InstalledList.jurisdiction, InstalledList.version)))
    return [
        {
            "jurisdiction": item.jurisdiction,
            "kind": str(item.kind),
            "title_en": item.title_en,
            "title_zh": item.title_zh,
            "version": item.version,
            "issued_by": item.issued_by,
            "effective_from": item.effective_from.isoformat(),
            "effective_until": item.effective_until.isoformat() if item.effective_until else None,
            "complete": item.complete,
            "source": "installed" if (item.jurisdiction, item.version) in installed else "shipped",
            "source_url": item.source_url,
            "note": item.note,
            "rows": [dataclasses.asdict(row) for row in item.rows],
        }
        for item in all_lists(session)
    ]


PARSERS = {".json": ftz.parse_json, ".csv": ftz.parse_csv, ".xlsx": ftz.parse_xlsx}


def install_list(
    session: Session, *, actor: Principal, filename: str, content: bytes
) -> dict[str, Any]:
    """Import a list edition (all or nothing: every row error is reported, nothing is kept),
    anchor it in the ledger and use it for matching from its effective date."""
    actor.require(LISTS_MANAGE)
    suffix = filename[filename.rfind(".") :].lower() if "." in filename else ""
    parser = PARSERS.get(suffix)
    if parser is None:
        raise ValidationFailed(
            f"file: {filename!r} is not .json, .csv or .xlsx",
            fields=[FieldIssue("file", "expected a .json, .csv or .xlsx file")],
        )
    parsed = parser(content)
    exists = session.scalar(
        select(InstalledList.id).where(
            InstalledList.jurisdiction == parsed.jurisdiction,
            InstalledList.version == parsed.version,
        )
    )
    if exists is not None:
        raise Conflict(f"{parsed.jurisdiction} edition {parsed.version!r} is already installed")
    canonical = ftz.dump_json(parsed)
    anchored = ledger.append(
        session,
        kind=LIST_KIND,
        payload={
            "jurisdiction": parsed.jurisdiction,
            "version": parsed.version,
            "effectiveFrom": parsed.effective_from.isoformat(),
            "rows": len(parsed.rows),
            "contentDigest": "sha256:" + hashlib.sha256(canonical.encode()).hexdigest(),
        },
        submitter=actor.subject,
    )
    row = InstalledList(
        jurisdiction=parsed.jurisdiction,
        version=parsed.version,
        effective_from=parsed.effective_from,
        content=canonical,
        source_file=filename[:255],
        installed_by=actor.subject,
        ledger_index=anchored.index,
        leaf_hash=anchored.leaf_hash,
    )
    session.add(row)
    session.flush()
    summary = {
        "jurisdiction": parsed.jurisdiction,
        "version": parsed.version,
        "effective_from": parsed.effective_from.isoformat(),
        "rows": len(parsed.rows),
        "complete": parsed.complete,
        "ledger_index": anchored.index,
    }
    audit.record(
        session,
        actor=actor,
        action="dataflow.list.install",
        entity_type="dataflow_ftz_list",
        entity_id=row.id,
        organisation_id=None,
        after=summary,
    )
    return summary


def match_list(
    session: Session, *, jurisdiction: str, sector: str, data_items: list[str], as_of: dt.date
) -> dict[str, Any]:
    """On list, off list or sector not covered, with the matching rows and whether the answer
    rests on verified rows only (an unverified "off list" does not prove the exemption)."""
    try:
        found = ftz.match(
            all_lists(session),
            jurisdiction=jurisdiction,
            sector=sector,
            data_items=data_items,
            as_of=as_of,
        )
    except ftz.ConflictingListsError as exc:
        raise ValidationFailed(str(exc)) from None
    return {
        "result": str(found.result),
        "jurisdiction": found.jurisdiction,
        "list_version": found.list_version,
        "list_kind": str(found.list_kind) if found.list_kind else None,
        "verified": found.verified,
        "citation": found.citation,
        "rows": [dataclasses.asdict(row) for row in found.rows],
    }


def taxonomy_read(shipped: taxonomy.Taxonomy) -> dict[str, Any]:
    return {
        "version": shipped.version,
        "grades": [dataclasses.asdict(grade) for grade in shipped.grades],
        "categories": [dataclasses.asdict(category) for category in shipped.categories],
        "sources": list(shipped.sources),
    }


def _organisation_entries(session: Session, organisation_id: int) -> list[dict[str, Any]]:
    return list(
        session.scalars(
            select(OrganisationCategory.entry)
            .where(OrganisationCategory.organisation_id == organisation_id)
            .order_by(OrganisationCategory.id)
        )
    )


def organisation_taxonomy(
    session: Session, *, actor: Principal, organisation_id: int
) -> taxonomy.Taxonomy:
    """The shipped categories plus the organisation's own."""
    actor.require(READ, organisation_id)
    return taxonomy.extend(shipped_taxonomy(), _organisation_entries(session, organisation_id))


def add_category(
    session: Session, *, actor: Principal, organisation_id: int, entry: Mapping[str, Any]
) -> dict[str, Any]:
    """Add a category to the organisation's inventory. The whole extended taxonomy is checked
    (duplicate codes, grades outside GB/T 43697-2024, sensitive but not personal) before
    anything is written."""
    actor.require(ASSESS, organisation_id)
    existing = _organisation_entries(session, organisation_id)
    extended = taxonomy.extend(shipped_taxonomy(), [*existing, dict(entry)])
    added = extended.categories[-1]
    session.add(
        OrganisationCategory(
            organisation_id=organisation_id,
            code=added.code,
            entry=dict(entry),
            created_by=actor.subject,
        )
    )
    session.flush()
    result = dataclasses.asdict(added)
    audit.record(
        session,
        actor=actor,
        action="dataflow.category.create",
        entity_type="dataflow_category",
        entity_id=added.code,
        organisation_id=organisation_id,
        after=result,
    )
    return result
