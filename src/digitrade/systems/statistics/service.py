"""The services-trade monitor's store: imports with vintages, series, targets and progress,
enterprises' direct returns and their disclosure-controlled aggregates.

The only writer of the ``statistics_`` tables. Functions ``flush()``, never ``commit()``: the
request or command owns the transaction, so a refused import leaves nothing behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import importlib.resources
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from digitrade.core import audit
from digitrade.core.auth.models import Organisation
from digitrade.core.auth.permissions import OrganisationKind
from digitrade.core.auth.principal import Principal
from digitrade.core.db import utcnow
from digitrade.core.errors import NotFound, PermissionDenied, ValidationFailed, validation_error
from digitrade.core.ledger import service as ledger
from digitrade.core.statemachine import check_transition
from digitrade.systems.statistics import classification, definitions, disclosure, importing
from digitrade.systems.statistics import nowcast as nowcasting
from digitrade.systems.statistics import progress as progress_maths
from digitrade.systems.statistics.economies import (
    DEFAULT_PEERS,
    SHANGHAI,
    districts_of,
    economy_name,
    valid_economy_code,
)
from digitrade.systems.statistics.models import (
    DataImport,
    DirectReturn,
    Observation,
    ReturnLine,
    Target,
)
from digitrade.systems.statistics.observation import (
    Basis,
    Flow,
    Frequency,
    ObservationRow,
    Period,
    PeriodError,
    Status,
)
from digitrade.systems.statistics.permissions import MANAGE, REPORT, REVIEW
from digitrade.systems.statistics.schemas import (
    ImportErrorRead,
    ImportResult,
    ObservationRead,
    ProgressReport,
    PublishedCell,
    PublishedTable,
    ReturnLineIn,
    ReturnRead,
    ReturnWrite,
    SeriesPoint,
    SeriesRead,
    TargetCreate,
    TargetProgress,
    TargetRead,
)

DDS_CODE = importing.DDS_CODE
IMPORT_KIND = "statistics.import"
PUBLICATION_KIND = "statistics.publication"
MAX_IMPORT_BYTES = 200 * 1024 * 1024
MAX_ERRORS_SHOWN = 200
DEFAULT_WINDOW = 5
_CHUNK = 5_000
_MILLION = Decimal(1_000_000)
_RATE = Decimal("0.000001")
_MONEY = Decimal("0.01")
_VALUE = Decimal("0.000001")


# ---------------------------------------------------------------------------------------------
# Who may change the figures


def _agencies(session: Session, actor: Principal, permission: str) -> list[int]:
    """The agency organisations in which ``actor`` holds ``permission``."""
    return [
        org_id
        for org_id in sorted(actor.organisation_ids)
        if actor.can(permission, org_id) and _kind(session, org_id) == OrganisationKind.AGENCY
    ]


def _refuse(actor: Principal, permission: str) -> PermissionDenied:
    actor.require(permission)  # anonymous: AuthenticationRequired
    return PermissionDenied(
        f"{actor.display_name} lacks permission {permission!r} in an agency organisation"
    )


def _agency(
    session: Session, actor: Principal, permission: str, organisation_id: int | None
) -> int | None:
    """Official figures are changed by an agency (or a platform administrator)."""
    if actor.is_platform_admin and organisation_id is None:
        return None
    if organisation_id is None:
        agencies = _agencies(session, actor, permission)
        if not agencies:
            raise _refuse(actor, permission)
        return agencies[0]
    actor.require(permission, organisation_id)
    if _kind(session, organisation_id) != OrganisationKind.AGENCY and not actor.is_platform_admin:
        raise PermissionDenied(f"organisation {organisation_id} is not an agency")
    return organisation_id


def _kind(session: Session, organisation_id: int) -> str | None:
    return session.scalar(select(Organisation.kind).where(Organisation.id == organisation_id))


# ---------------------------------------------------------------------------------------------
# Import


@dataclass(frozen=True)
class _Current:
    id: int
    vintage: int
    value: Decimal
    currency: str
    unit_multiplier: int
    status: str


def _key(row: ObservationRow) -> tuple[Any, ...]:
    return (
        row.economy,
        row.partner,
        str(row.period),
        row.code,
        row.flow.value,
        row.basis.value,
        row.definition or "",
        row.mode or 0,
    )


def _same(current: _Current, row: ObservationRow) -> bool:
    return (
        current.currency == row.currency
        and current.status == row.status.value
        and current.value.scaleb(current.unit_multiplier) == row.value.scaleb(row.unit_multiplier)
    )


def _current_rows(session: Session, rows: list[ObservationRow]) -> dict[tuple[Any, ...], _Current]:
    """The current vintage of every series the file touches (one query per economy batch)."""
    economies = sorted({row.economy for row in rows})
    codes = {row.code for row in rows}
    found: dict[tuple[Any, ...], _Current] = {}
    table = Observation.__table__
    for start in range(0, len(economies), 200):
        query = select(
            table.c.id,
            table.c.economy,
            table.c.partner,
            table.c.period,
            table.c.code,
            table.c.flow,
            table.c.basis,
            table.c.definition,
            table.c.mode,
            table.c.vintage,
            table.c.value,
            table.c.currency,
            table.c.unit_multiplier,
            table.c.status,
        ).where(table.c.current.is_(True), table.c.economy.in_(economies[start : start + 200]))
        for record in session.execute(query):
            if record.code not in codes:
                continue
            key = (
                record.economy,
                record.partner,
                record.period,
                record.code,
                record.flow,
                record.basis,
                record.definition,
                record.mode,
            )
            found[key] = _Current(
                record.id,
                record.vintage,
                Decimal(record.value),
                record.currency,
                record.unit_multiplier,
                record.status,
            )
    return found


@dataclass
class _Stored:
    new: int = 0
    revised: int = 0
    unchanged: int = 0


def _store_rows(
    session: Session,
    rows: list[ObservationRow],
    *,
    import_id: int | None,
    progress: Callable[[int], None] | None = None,
) -> _Stored:
    """Insert each value as a new series or a new vintage; equal values are left alone."""
    existing = _current_rows(session, rows)
    counts = _Stored()
    superseded: list[int] = []
    batch: list[dict[str, Any]] = []
    now = utcnow()
    for done, row in enumerate(rows, start=1):
        key = _key(row)
        current = existing.get(key)
        if current is not None and _same(current, row):
            counts.unchanged += 1
            continue
        vintage = 1
        if current is not None:
            superseded.append(current.id)
            vintage = current.vintage + 1
            counts.revised += 1
        else:
            counts.new += 1
        batch.append(
            {
                "import_id": import_id,
                "economy": row.economy,
                "partner": row.partner,
                "year": row.period.year,
                "frequency": row.period.frequency.value,
                "period_index": row.period.index,
                "period": key[2],
                "code": row.code,
                "flow": key[4],
                "basis": key[5],
                "definition": key[6],
                "mode": key[7],
                "value": row.value,
                "currency": row.currency,
                "unit_multiplier": row.unit_multiplier,
                "status": row.status.value,
                "source": row.source[:300],
                "vintage": vintage,
                "current": True,
                "created_at": now,
            }
        )
        if len(batch) >= _CHUNK:
            _flush_superseded(session, superseded)
            session.execute(insert(Observation), batch)
            batch = []
            if progress is not None:
                progress(done)
    _flush_superseded(session, superseded)
    if batch:
        session.execute(insert(Observation), batch)
    if progress is not None:
        progress(len(rows))
    return counts


def _flush_superseded(session: Session, ids: list[int]) -> None:
    # The old vintage stays; it only stops being the current one.
    while ids:
        chunk, ids[:] = ids[:500], ids[500:]
        session.execute(
            update(Observation)
            .where(Observation.id.in_(chunk))
            .values(current=False)
            .execution_options(synchronize_session=False)
        )


def _errors(preview: importing.ImportPreview) -> list[ImportErrorRead]:
    return [
        ImportErrorRead(line=e.line, column=e.column, code=e.code, message=e.message)
        for e in preview.errors[:MAX_ERRORS_SHOWN]
    ]


def read_file(
    data: bytes,
    filename: str,
    *,
    source: str,
    progress: Callable[[int], None] | None = None,
) -> importing.ImportPreview:
    """Parse and check a file (template CSV/XLSX, UNCTAD panel, SDMX-CSV); no database."""
    if len(data) > MAX_IMPORT_BYTES:
        raise validation_error("file", f"larger than {MAX_IMPORT_BYTES:,} bytes")
    if not data:
        raise validation_error("file", "is empty")
    try:
        return importing.read_any(
            io.BytesIO(data),
            filename,
            source=source,
            known_code=classification.known_code,
            progress=progress,
        )
    except importing.ImportFileError as exc:
        raise validation_error("file", str(exc)) from exc


def import_file(
    session: Session,
    *,
    actor: Principal,
    data: bytes,
    filename: str,
    source: str = "",
    organisation_id: int | None = None,
    commit: bool = True,
    progress: Callable[[int], None] | None = None,
    read_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import a file all-or-nothing: any row error refuses the whole file and stores nothing.

    With ``commit=False`` it is a preview: the same checks and counts, nothing written.
    """
    organisation_id = _agency(session, actor, MANAGE, organisation_id)
    filename = filename.rsplit("/", 1)[-1][:200] or "upload"
    source = source.strip() or filename
    preview = read_file(data, filename, source=source, progress=read_progress)
    digest = hashlib.sha256(data).hexdigest()
    result = ImportResult(
        id=None,
        filename=filename,
        format=preview.format,
        sha256=digest,
        rows=len(preview.rows),
        new=0,
        revised=0,
        unchanged=0,
        skipped=preview.skipped,
        errors=_errors(preview),
        error_count=len(preview.errors),
        committed=False,
    )
    if not preview.ok:
        count = max(preview.error_total, len(preview.errors))
        result.error_count = count
        if commit:
            raise ValidationFailed(
                f"{count:,} row error(s) in {filename}; nothing was imported",
                extra={"errors": [e.model_dump() for e in result.errors], "error_count": count},
            )
        return result
    if not preview.rows:
        raise validation_error("file", "holds no values to import")
    if not commit:
        existing = _current_rows(session, preview.rows)
        for row in preview.rows:
            current = existing.get(_key(row))
            if current is None:
                result.new += 1
            elif _same(current, row):
                result.unchanged += 1
            else:
                result.revised += 1
        return result
    record = DataImport(
        organisation_id=organisation_id,
        filename=filename,
        format=preview.format,
        sha256=digest,
        source=source[:300],
        row_count=len(preview.rows),
        skipped_count=preview.skipped,
        actor=actor.subject,
    )
    session.add(record)
    session.flush()
    stored = _store_rows(session, preview.rows, import_id=record.id, progress=progress)
    record.revised_count = stored.revised
    record.unchanged_count = stored.unchanged
    anchored = ledger.append(
        session,
        kind=IMPORT_KIND,
        payload={
            "import": record.id,
            "filename": filename,
            "sha256": digest,
            "format": preview.format,
            "rows": len(preview.rows),
            "revised": stored.revised,
        },
        submitter=actor.subject,
        organisation_id=organisation_id,
    )
    record.ledger_index = anchored.index
    record.leaf_hash = anchored.leaf_hash
    audit.record(
        session,
        actor=actor,
        action="statistics.import",
        entity_type="statistics_import",
        entity_id=record.id,
        organisation_id=organisation_id,
        after={"sha256": digest, "rows": len(preview.rows)},
        details={
            "filename": filename,
            "format": preview.format,
            "new": stored.new,
            "revised": stored.revised,
            "unchanged": stored.unchanged,
        },
    )
    session.flush()
    result.id = record.id
    result.new, result.revised, result.unchanged = stored.new, stored.revised, stored.unchanged
    result.committed = True
    result.ledger_index = anchored.index
    return result


def list_imports(session: Session, *, limit: int = 50) -> list[DataImport]:
    return list(session.scalars(select(DataImport).order_by(DataImport.id.desc()).limit(limit)))


# ---------------------------------------------------------------------------------------------
# Reading series


def _normalised(value: Decimal, unit_multiplier: int) -> Decimal:
    """Millions of the currency, exact."""
    return Decimal(value).scaleb(unit_multiplier - 6)


def _period_bounds(start: str | None, end: str | None) -> tuple[int, int]:
    try:
        low = Period.parse(start).year if start else 1900
        high = Period.parse(end).year if end else 2200
    except PeriodError as exc:
        raise validation_error("start" if start else "end", str(exc)) from exc
    return low, high


def observation_history(
    session: Session, *, economy: str, code: str, period: str, flow: str | None = None
) -> list[ObservationRead]:
    """Every vintage of one value, oldest first: what was published when."""
    query = select(Observation).where(
        Observation.economy == economy, Observation.code == code, Observation.period == period
    )
    if flow:
        query = query.where(Observation.flow == flow)
    return [_observation_read(row) for row in session.scalars(query.order_by(Observation.vintage))]


def _observation_read(row: Observation) -> ObservationRead:
    return ObservationRead(
        economy=row.economy,
        partner=row.partner,
        period=row.period,
        code=row.code,
        flow=row.flow,
        basis=row.basis,
        definition=row.definition or None,
        mode=row.mode or None,
        value=str(Decimal(row.value).normalize()),
        currency=row.currency,
        unit_multiplier=row.unit_multiplier,
        status=row.status,
        source=row.source,
        vintage=row.vintage,
        current=row.current,
        created_at=row.created_at,
    )


def series(
    session: Session,
    *,
    economy: str,
    code: str,
    flow: str = "total",
    definition: str | None = None,
    frequency: str = "A",
    start: str | None = None,
    end: str | None = None,
    currency: str = "USD",
    locale: str = "en",
) -> SeriesRead:
    """Current values of one series; ``flow=total`` adds credit and debit (X+M), ``balance``
    subtracts them. DDS series name their definition."""
    if flow not in {"credit", "debit", "total", "balance"}:
        raise validation_error("flow", "must be credit, debit, total or balance")
    if frequency not in {"A", "Q", "M"}:
        raise validation_error("frequency", "must be A, Q or M")
    low, high = _period_bounds(start, end)
    query = select(
        Observation.period,
        Observation.flow,
        Observation.basis,
        Observation.value,
        Observation.unit_multiplier,
        Observation.status,
        Observation.vintage,
        Observation.source,
    ).where(
        Observation.current.is_(True),
        Observation.code == code,
        Observation.economy == economy,
        Observation.year >= low,
        Observation.year <= high,
        Observation.frequency == frequency,
        Observation.partner == "W00",
        Observation.currency == currency,
    )
    if code == DDS_CODE:
        query = query.where(Observation.definition == (definition or "unctad"))
    by_period: dict[str, dict[str, dict[str, tuple[Decimal, str, int]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record in session.execute(query):
        by_period[record.period][record.basis][record.flow] = (
            _normalised(record.value, record.unit_multiplier),
            record.status,
            record.vintage,
        )
        sources[(record.period, record.basis)].add(record.source)
    points = []
    used_sources: set[str] = set()
    for period in sorted(by_period):
        basis = _preferred_basis(by_period[period], needed=_FLOWS_NEEDED[flow])
        if basis is None:
            continue
        flows = by_period[period][basis]
        used_sources |= sources[(period, basis)]
        value = _combine(flows, flow)
        if value is None:
            continue
        statuses = {status for _, status, _ in flows.values()}
        points.append(
            SeriesPoint(
                period=period,
                value=_fmt(value),
                status=_weakest(statuses),
                vintage=max(vintage for _, _, vintage in flows.values()),
            )
        )
    return SeriesRead(
        economy=economy,
        economy_name=economy_name(economy, locale),
        code=code,
        flow=flow,
        definition=(definition or "unctad") if code == DDS_CODE else None,
        currency=currency,
        points=points,
        sources=sorted(used_sources),
    )


# One series never mixes bases: for each period the first basis here that has every flow needed.
BASIS_PREFERENCE = (Basis.BOP, Basis.ITRS_PROVINCIAL, Basis.DIRECT_REPORTING, Basis.MODELLED)
_FLOWS_NEEDED = {
    "credit": frozenset({"credit"}),
    "debit": frozenset({"debit"}),
    "total": frozenset({"credit", "debit"}),
    "balance": frozenset({"credit", "debit"}),
}


def _preferred_basis(
    by_basis: Mapping[str, Mapping[str, Any]], *, needed: frozenset[str]
) -> str | None:
    for basis in BASIS_PREFERENCE:
        flows = by_basis.get(basis.value)
        if flows is not None and needed <= flows.keys():
            return basis.value
    return None


_STATUS_ORDER = (Status.ILLUSTRATIVE, Status.NOWCAST, Status.PRELIMINARY, Status.OFFICIAL)
_STATUS_RANK = {status.value: rank for rank, status in enumerate(_STATUS_ORDER)}
_OFFICIAL_RANK = _STATUS_RANK[Status.OFFICIAL.value]


def _weakest(statuses: Iterable[str]) -> str:
    """A sum is only as firm as its least firm part (illustrative < nowcast < preliminary)."""
    seen = set(statuses)
    for status in _STATUS_ORDER:
        if status.value in seen:
            return status.value
    return Status.OFFICIAL.value


def _combine(flows: Mapping[str, tuple[Decimal, str, int]], flow: str) -> Decimal | None:
    credit = flows.get("credit")
    debit = flows.get("debit")
    if flow == "credit":
        return credit[0] if credit else None
    if flow == "debit":
        return debit[0] if debit else None
    if credit is None or debit is None:
        return None  # a total of one flow would be wrong, not partial
    return credit[0] + debit[0] if flow == "total" else credit[0] - debit[0]


def _money(value: Decimal) -> str:
    """Millions or units of a currency, always with two decimals."""
    return format(value.quantize(_MONEY), "f")


def _fmt(value: Decimal, quantum: Decimal = _VALUE) -> str:
    text = format(value.quantize(quantum), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------------------------------------
# Annual indicators of one economy


@dataclass(frozen=True)
class AnnualFigure:
    value: Decimal
    status: str
    derived_from: str  # "reported" or "components"


@dataclass
class AnnualIndicators:
    """X+M per year: total services, DDS under a definition, the DDS share, and components."""

    services: dict[int, AnnualFigure]
    dds: dict[int, AnnualFigure]
    share: dict[int, AnnualFigure]
    components: dict[int, dict[str, Decimal]]
    # Digitally delivered estimates (WTO method): each category times its Mode 1 share, for the
    # years where Mode 1 values are supplied for every category.
    delivered: dict[int, AnnualFigure] = field(default_factory=dict)


def _annual_values(
    session: Session, economy: str, currency: str = "USD", mode: int = 0
) -> tuple[dict[int, dict[str, Decimal]], dict[int, dict[str, str]], dict[int, dict[str, Decimal]]]:
    """year -> code -> X+M (millions), the statuses, and DDS values per definition key.
    ``mode`` 0 reads values of all modes of supply; 1 reads the Mode 1 (cross-border) parts."""
    query = select(
        Observation.year,
        Observation.frequency,
        Observation.period_index,
        Observation.code,
        Observation.flow,
        Observation.basis,
        Observation.definition,
        Observation.value,
        Observation.unit_multiplier,
        Observation.status,
    ).where(
        Observation.current.is_(True),
        Observation.economy == economy,
        Observation.partner == "W00",
        Observation.currency == currency,
        Observation.mode == mode,
    )
    # The dashboard reads ~1,000 values per economy: a tight loop over plain tuples.
    annual: dict[tuple[int, str, str, str, str], Decimal] = {}
    # (year, code, definition, basis, flow) -> {frequency: {index: value}} for sub-annual data
    parts: dict[tuple[int, str, str, str, str], dict[str, dict[int, Decimal]]] = {}
    ranks: dict[tuple[int, str], int] = {}
    for (
        year,
        frequency,
        index,
        code,
        flow,
        basis,
        definition,
        value,
        multiplier,
        status,
    ) in session.execute(query).tuples():
        key = (year, code, definition, basis, flow)
        amount = value if multiplier == 6 else Decimal(value).scaleb(multiplier - 6)
        if frequency == "A":
            annual[key] = amount
        else:
            parts.setdefault(key, {}).setdefault(frequency, {})[index] = amount
        label = (year, code if code != DDS_CODE else f"DDS:{definition}")
        rank = _STATUS_RANK.get(status, _OFFICIAL_RANK)
        if rank < ranks.get(label, _OFFICIAL_RANK + 1):
            ranks[label] = rank
    for key, by_frequency in parts.items():
        if key not in annual:
            summed = _annual_from(by_frequency)
            if summed is not None:
                annual[key] = summed
    statuses: dict[int, dict[str, str]] = defaultdict(dict)
    for (year, label_code), rank in ranks.items():
        statuses[year][label_code] = _STATUS_ORDER[rank].value
    flows: dict[tuple[int, str, str], dict[str, dict[str, Decimal]]] = {}
    for (year, code, definition, basis, flow), amount in annual.items():
        flows.setdefault((year, code, definition), {}).setdefault(basis, {})[flow] = amount
    values: dict[int, dict[str, Decimal]] = defaultdict(dict)
    dds: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for (year, code, definition), by_basis in flows.items():
        chosen_basis = _preferred_basis(by_basis, needed=_FLOWS_NEEDED["total"])
        if chosen_basis is None:
            continue
        by_flow = by_basis[chosen_basis]
        total = by_flow["credit"] + by_flow["debit"]
        if code == DDS_CODE:
            dds[year][definition] = total
        else:
            values[year][code] = total
    return values, statuses, dds


def _annual_from(by_frequency: Mapping[str, Mapping[int, Decimal]]) -> Decimal | None:
    """A reported annual value, else the sum of 4 quarters or 12 months (never a part-year)."""
    if 0 in by_frequency.get("A", {}):
        return by_frequency["A"][0]
    quarters = by_frequency.get("Q", {})
    if len(quarters) == 4:
        return sum(quarters.values(), Decimal(0))
    months = by_frequency.get("M", {})
    if len(months) == 12:
        return sum(months.values(), Decimal(0))
    return None


def _used(total: definitions.Total) -> set[str]:
    """Codes whose values went into a total (sub-items too, where a component was summed)."""
    used = set(total.parts)
    for code in total.from_children:
        used.update(classification.descendants(code))
    return used


def annual_indicators(
    session: Session, *, economy: str, definition: str, currency: str = "USD"
) -> AnnualIndicators:
    if definition not in definitions.DEFINITIONS:
        raise validation_error("definition", f"unknown definition {definition!r}")
    values, statuses, dds_reported = _annual_values(session, economy, currency)
    chosen = definitions.DEFINITIONS[definition]
    services: dict[int, AnnualFigure] = {}
    dds: dict[int, AnnualFigure] = {}
    share: dict[int, AnnualFigure] = {}
    components: dict[int, dict[str, Decimal]] = {}
    for year in sorted(set(values) | set(dds_reported)):
        by_code = values.get(year, {})
        year_status = statuses.get(year, {})
        components[year] = {
            code: value for code, value in by_code.items() if classification.is_component(code)
        }
        total = definitions.total_services(by_code)
        if total.value is not None:
            services[year] = AnnualFigure(
                total.value,
                _weakest(year_status.get(c, "official") for c in _used(total)),
                "reported" if "S" in total.parts else "components",
            )
        if definition in dds_reported.get(year, {}):
            dds[year] = AnnualFigure(
                dds_reported[year][definition],
                year_status.get(f"DDS:{definition}", "official"),
                "reported",
            )
        else:
            computed = definitions.dds_total(by_code, chosen)
            if computed.value is not None:
                dds[year] = AnnualFigure(
                    computed.value,
                    _weakest(year_status.get(c, "official") for c in _used(computed)),
                    "components",
                )
        if year in services and year in dds and services[year].value > 0:
            share[year] = AnnualFigure(
                dds[year].value / services[year].value * 100,
                _weakest([services[year].status, dds[year].status]),
                "components",
            )
    return AnnualIndicators(
        services, dds, share, components, _delivered(session, economy, currency, values)
    )


def _delivered(
    session: Session, economy: str, currency: str, values: Mapping[int, Mapping[str, Decimal]]
) -> dict[int, AnnualFigure]:
    mode1, statuses, _ = _annual_values(session, economy, currency, mode=1)
    delivered: dict[int, AnnualFigure] = {}
    for year, parts in mode1.items():
        totals = values.get(year, {})
        shares: dict[str, Decimal] = {}
        for code in definitions.WTO_MODE1.codes:
            whole = definitions.dds_total(totals, _single(code)).value
            part = definitions.dds_total(parts, _single(code)).value
            if whole is None or part is None or whole <= 0 or part > whole:
                break
            shares[code] = part / whole
        else:
            estimate = definitions.delivered_estimate(totals, shares)
            if estimate.value is not None:
                year_status = statuses.get(year, {})
                delivered[year] = AnnualFigure(
                    estimate.value,
                    _weakest(year_status.get(c, "official") for c in shares),
                    "mode1",
                )
    return delivered


@functools.lru_cache(maxsize=64)
def _single(code: str) -> definitions.Definition:
    """A one-code definition, to value a category from its sub-items when it is not given."""
    return definitions.Definition(code, code, code, (code,), "")


# ---------------------------------------------------------------------------------------------
# Targets and progress

_PLAN = (
    "Implementation Plan of Shanghai Municipality on Promoting the High-Quality Development of "
    "Digital Trade and Trade in Services, General Office of the Shanghai Municipal People's "
    "Government, 30 Dec 2024"
)
_OPINIONS = (
    "Opinions of the CPC Central Committee General Office and the State Council General Office on "
    "the reform and innovative development of digital trade, 2024 (as quoted in 开放导报 2025-4)"
)

BUILTIN_TARGETS: tuple[dict[str, Any], ...] = (
    {
        "key": "shanghai-2029-services",
        "economy": SHANGHAI,
        "indicator": "services_total",
        "definition": "mofcom_wto",
        "target_year": 2029,
        "target_value": Decimal(260_000),
        "unit": "USD_millions",
        "label_en": "Shanghai services trade (exports + imports), US$260 bn by 2029",
        "label_zh": "上海服务贸易进出口额 2029 年达到 2600 亿美元",
        "citation": _PLAN,
    },
    {
        "key": "shanghai-2029-dds",
        "economy": SHANGHAI,
        "indicator": "dds_total",
        "definition": "mofcom_wto",
        "target_year": 2029,
        "target_value": Decimal(130_000),
        "unit": "USD_millions",
        "label_en": "Shanghai digitally delivered services trade, US$130 bn by 2029",
        "label_zh": "上海可数字化交付的服务贸易额 2029 年达到 1300 亿美元",
        "citation": _PLAN,
    },
    {
        "key": "shanghai-2029-dds-share",
        "economy": SHANGHAI,
        "indicator": "dds_share",
        "definition": "mofcom_wto",
        "target_year": 2029,
        "target_value": Decimal(50),
        "unit": "percent",
        "label_en": "Shanghai: digitally delivered about 50% of services trade by 2029",
        "label_zh": "上海可数字化交付的服务贸易占服务贸易比重 2029 年约 50%",
        "citation": _PLAN,
    },
    {
        "key": "china-2029-dds-share",
        "economy": "CHN",
        "indicator": "dds_share",
        "definition": "mofcom_wto",
        "target_year": 2029,
        "target_value": Decimal(45),
        "unit": "percent",
        "label_en": "China: digitally deliverable services at least 45% of services trade by 2029",
        "label_zh": "全国可数字化交付的服务贸易占服务贸易比重 2029 年达到 45% 以上",
        "citation": _OPINIONS,
    },
    {
        "key": "china-2035-dds-share",
        "economy": "CHN",
        "indicator": "dds_share",
        "definition": "mofcom_wto",
        "target_year": 2035,
        "target_value": Decimal(50),
        "unit": "percent",
        "label_en": "China: digitally deliverable services at least 50% of services trade by 2035",
        "label_zh": "全国可数字化交付的服务贸易占服务贸易比重 2035 年达到 50% 以上",
        "citation": _OPINIONS,
    },
)


def _builtin_read(target: Mapping[str, Any]) -> TargetRead:
    return TargetRead(
        **{**target, "target_value": _fmt(Decimal(target["target_value"]))}, builtin=True
    )


BUILTIN_KEYS = frozenset(target["key"] for target in BUILTIN_TARGETS)


def _target_read(row: Target) -> TargetRead:
    return TargetRead(
        key=row.key,
        economy=row.economy,
        indicator=row.indicator,
        definition=row.definition,
        target_year=row.target_year,
        target_value=_fmt(Decimal(row.target_value)),
        unit=row.unit,
        label_en=row.label_en,
        label_zh=row.label_zh,
        citation=row.citation,
        builtin=row.builtin,
    )


def list_targets(session: Session, *, economy: str | None = None) -> list[TargetRead]:
    """The plan's targets (shipped with the product) and those users added."""
    query = select(Target)
    if economy:
        query = query.where(Target.economy == economy)
    targets = [_builtin_read(t) for t in BUILTIN_TARGETS if economy in (None, t["economy"])]
    targets += [_target_read(row) for row in session.scalars(query)]
    return sorted(targets, key=lambda t: (t.economy, t.target_year, t.key))


def create_target(
    session: Session, *, actor: Principal, data: TargetCreate, organisation_id: int | None = None
) -> TargetRead:
    organisation_id = _agency(session, actor, MANAGE, organisation_id)
    if not valid_economy_code(data.economy):
        raise validation_error("economy", f"{data.economy!r} is not an economy code")
    value = _decimal("target_value", data.target_value)
    if value <= 0:
        raise validation_error("target_value", "must be above zero")
    if data.indicator == "dds_share" and value > 100:
        raise validation_error("target_value", "a share is a percentage, at most 100")
    if (
        data.key in BUILTIN_KEYS
        or session.scalar(select(Target.id).where(Target.key == data.key)) is not None
    ):
        raise validation_error("key", f"a target {data.key!r} already exists")
    row = Target(
        key=data.key,
        economy=data.economy,
        indicator=data.indicator,
        definition=data.definition,
        target_year=data.target_year,
        target_value=value,
        unit="percent" if data.indicator == "dds_share" else "USD_millions",
        label_en=data.label_en,
        label_zh=data.label_zh or data.label_en,
        citation=data.citation,
        builtin=False,
        created_by=actor.subject,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="statistics.target.create",
        entity_type="statistics_target",
        entity_id=row.id,
        organisation_id=organisation_id,
        after=data.model_dump(),
    )
    return _target_read(row)


def _decimal(field: str, text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError) as exc:
        raise validation_error(field, f"{text!r} is not a decimal number") from exc
    if not value.is_finite() or abs(value) >= Decimal("1e15"):
        raise validation_error(field, f"{text!r} is out of range")
    return value


def _series_for(indicators: AnnualIndicators, indicator: str) -> dict[int, AnnualFigure]:
    return {
        "services_total": indicators.services,
        "dds_total": indicators.dds,
        "dds_share": indicators.share,
    }[indicator]


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else format(value.quantize(_RATE), "f")


def assess_target(
    target: TargetRead, indicators: AnnualIndicators, *, window: int, locale: str = "en"
) -> TargetProgress:
    figures = _series_for(indicators, target.indicator)
    label = target.label_zh if locale.startswith("zh") and target.label_zh else target.label_en
    base = TargetProgress(
        key=target.key,
        label=label,
        indicator=target.indicator,
        target_year=target.target_year,
        target_value=target.target_value,
        unit=target.unit,
        citation=target.citation,
        latest_value=None,
        required_cagr=None,
        observed_cagr=None,
        on_track=None,
        projected_year=None,
    )
    if not figures:
        return base
    latest_year = max(figures)
    latest = figures[latest_year]
    goal = Decimal(target.target_value)
    try:
        assessment = progress_maths.assess(
            indicator=target.indicator,
            series={year: figure.value for year, figure in figures.items()},
            target_value=goal,
            target_year=target.target_year,
            window_years=window,
        )
    except progress_maths.ProgressError:
        # A zero or negative latest value: nothing meaningful to project from.
        return base.model_copy(
            update={"latest_year": latest_year, "latest_value": _money(latest.value)}
        )
    return base.model_copy(
        update={
            "latest_year": latest_year,
            "latest_value": _money(latest.value),
            "latest_status": latest.status,
            "required_cagr": _rate(assessment.required_cagr),
            "observed_cagr": _rate(assessment.observed_cagr),
            "on_track": assessment.on_track,
            "projected_year": assessment.projected_year,
            "progress_class": None
            if assessment.progress_class is None
            else assessment.progress_class.value,
            "gap_per_year": None
            if assessment.gap_per_year is None
            else _money(assessment.gap_per_year),
        }
    )


def progress(
    session: Session,
    *,
    economy: str,
    definition: str = "mofcom_wto",
    window: int = DEFAULT_WINDOW,
    locale: str = "en",
    indicators: AnnualIndicators | None = None,
) -> ProgressReport:
    """Each target of ``economy`` against its data: ``digitrade stats progress``.
    ``indicators``, when the caller has them already, saves reading the economy again."""
    if not 1 <= window <= 30:
        raise validation_error("window", "must be 1 to 30 years")
    if indicators is None:
        indicators = annual_indicators(session, economy=economy, definition=definition)
    targets = list(list_targets(session, economy=economy))
    assessed = [
        assess_target(
            target.model_copy(update={"definition": definition}),
            indicators,
            window=window,
            locale=locale,
        )
        for target in targets
    ]
    years = [a.latest_year for a in assessed if a.latest_year is not None]
    statuses = [a.latest_status for a in assessed if a.latest_status]
    return ProgressReport(
        economy=economy,
        definition=definition,
        latest_year=max(years) if years else None,
        targets=assessed,
        window_years=window,
        illustrative=Status.ILLUSTRATIVE.value in statuses,
    )


# ---------------------------------------------------------------------------------------------
# Nowcast


def nowcast(
    session: Session,
    *,
    economy: str,
    code: str = "S",
    definition: str | None = None,
    year: int | None = None,
) -> dict[str, Any]:
    """Estimate a year's X+M from the quarters or months reported so far, with the band from
    back-testing on earlier years; always labelled a nowcast."""
    query = select(
        Observation.year,
        Observation.frequency,
        Observation.period_index,
        Observation.flow,
        Observation.basis,
        Observation.value,
        Observation.unit_multiplier,
    ).where(
        Observation.current.is_(True),
        Observation.economy == economy,
        Observation.code == code,
        Observation.partner == "W00",
        Observation.currency == "USD",
        Observation.mode == 0,
        Observation.frequency.in_(("Q", "M")),
    )
    if code == DDS_CODE:
        query = query.where(Observation.definition == (definition or "unctad"))
    flows: dict[str, dict[tuple[int, int], dict[str, dict[str, Decimal]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(dict))
    )
    for record in session.execute(query):
        period_key = (record.year, record.period_index)
        flows[record.frequency][period_key][record.basis][record.flow] = _normalised(
            record.value, record.unit_multiplier
        )
    frequency = Frequency.MONTHLY if flows.get("M") else Frequency.QUARTERLY
    totals: dict[Period, Decimal] = {}
    for (y, index), by_basis in flows.get(frequency.value, {}).items():
        basis = _preferred_basis(by_basis, needed=_FLOWS_NEEDED["total"])
        if basis is not None:
            by_flow = by_basis[basis]
            totals[Period(y, frequency, index)] = by_flow["credit"] + by_flow["debit"]
    if not totals:
        raise validation_error("economy", f"no quarterly or monthly {code} data for {economy}")
    if year is not None:
        totals = {period: value for period, value in totals.items() if period.year <= year}
    try:
        estimate = nowcasting.nowcast(totals, year)
    except nowcasting.NowcastError as exc:
        raise validation_error("year", str(exc)) from exc
    return nowcast_json(estimate, economy=economy, code=code)


def nowcast_json(estimate: nowcasting.Nowcast, *, economy: str, code: str) -> dict[str, Any]:
    return {
        "economy": economy,
        "code": code,
        "year": estimate.year,
        "label": estimate.label,
        "status": Status.NOWCAST.value,
        "value": _money(estimate.value),
        "low": _money(estimate.low),
        "high": _money(estimate.high),
        "unit": "USD_millions",
        "method": estimate.method.value,
        "frequency": estimate.frequency.value,
        "periods_used": estimate.periods_used,
        "band_rule": estimate.band_rule,
        "backtest_mape": {
            method.value: format(error.quantize(_RATE), "f")
            for method, error in estimate.backtest_mape.items()
        },
    }


# ---------------------------------------------------------------------------------------------
# Enterprise direct reporting


class ReturnStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    QUERIED = "queried"
    ACCEPTED = "accepted"


RETURN_TRANSITIONS: Mapping[ReturnStatus, frozenset[ReturnStatus]] = {
    ReturnStatus.DRAFT: frozenset({ReturnStatus.SUBMITTED}),
    ReturnStatus.SUBMITTED: frozenset({ReturnStatus.QUERIED, ReturnStatus.ACCEPTED}),
    ReturnStatus.QUERIED: frozenset({ReturnStatus.SUBMITTED}),
    ReturnStatus.ACCEPTED: frozenset(),
}
_EDITABLE = {ReturnStatus.DRAFT, ReturnStatus.QUERIED}
DISTRICTS = {economy.code for economy in districts_of(SHANGHAI) if economy.official_code}


def _lines(data: ReturnWrite) -> list[tuple[str, str, str, Decimal]]:
    seen: set[tuple[str, str, str]] = set()
    lines: list[tuple[str, str, str, Decimal]] = []
    for number, line in enumerate(data.lines):
        where = f"lines[{number}]"
        if not classification.known_code(line.code) or line.code in {"S", "SOX", "SPX4"}:
            raise validation_error(f"{where}.code", f"{line.code!r} is not an EBOPS 2010 item")
        if line.partner != "W00" and not valid_economy_code(line.partner):
            raise validation_error(f"{where}.partner", f"{line.partner!r} is not an economy code")
        value = _decimal(f"{where}.value", line.value)
        if value < 0:
            raise validation_error(f"{where}.value", "exports and imports cannot be negative")
        if value != value.quantize(_MONEY):
            raise validation_error(f"{where}.value", "at most 2 decimals (US dollars and cents)")
        key = (line.code, line.partner, line.flow)
        if key in seen:
            raise validation_error(where, f"{line.code}/{line.partner}/{line.flow} given twice")
        seen.add(key)
        lines.append((line.code, line.partner, line.flow, value))
    return lines


RETURN_COLUMNS = ("code", "partner", "flow", "value")
MAX_RETURN_BYTES = 512 * 1024


def return_lines_from_csv(data: bytes) -> list[ReturnLineIn]:
    """Lines of a return uploaded as CSV (columns code, partner, flow, value; a header row)."""
    if len(data) > MAX_RETURN_BYTES:
        raise validation_error("file", f"larger than {MAX_RETURN_BYTES:,} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise validation_error("file", "not UTF-8 text") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in RETURN_COLUMNS if name not in header]
    if missing:
        raise validation_error("file", f"missing column(s): {', '.join(missing)}")
    reader.fieldnames = header
    lines: list[ReturnLineIn] = []
    for number, row in enumerate(reader, start=2):
        if not any((value or "").strip() for value in row.values()):
            continue
        flow = (row.get("flow") or "").strip().lower()
        if flow not in {"credit", "debit"}:
            raise validation_error(f"line {number}.flow", "must be credit or debit")
        lines.append(
            ReturnLineIn(
                code=(row.get("code") or "").strip().upper(),
                partner=(row.get("partner") or "").strip().upper() or "W00",
                flow="credit" if flow == "credit" else "debit",
                value=(row.get("value") or "").strip(),
            )
        )
    if not lines:
        raise validation_error("file", "holds no lines")
    return lines


def return_from_csv(*, period: str, district: str, data: bytes) -> ReturnWrite:
    """A return whose lines come from an uploaded CSV."""
    lines = return_lines_from_csv(data)
    try:
        return ReturnWrite(period=period, district=district, lines=lines)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "file"
        raise validation_error(where, first["msg"]) from exc


def _return_read(session: Session, row: DirectReturn) -> ReturnRead:
    lines = list(
        session.scalars(
            select(ReturnLine).where(ReturnLine.return_id == row.id).order_by(ReturnLine.id)
        )
    )
    name = session.scalar(select(Organisation.name).where(Organisation.id == row.organisation_id))
    totals = {"credit": Decimal(0), "debit": Decimal(0)}
    for line in lines:
        totals[line.flow] += Decimal(line.value)
    return ReturnRead(
        id=row.id,
        organisation_id=row.organisation_id,
        organisation=name or str(row.organisation_id),
        district=row.district,
        period=row.period,
        status=row.status,
        currency=row.currency,
        query_note=row.query_note,
        reviewer=row.reviewer,
        submitted_at=row.submitted_at,
        reviewed_at=row.reviewed_at,
        lines=[
            ReturnLineIn(
                code=line.code,
                partner=line.partner,
                flow=line.flow,
                value=format(Decimal(line.value).quantize(_MONEY), "f"),
            )
            for line in lines
        ],
        credit_total=format(totals["credit"].quantize(_MONEY), "f"),
        debit_total=format(totals["debit"].quantize(_MONEY), "f"),
    )


def save_return(
    session: Session,
    *,
    actor: Principal,
    organisation_id: int,
    data: ReturnWrite,
    submit: bool = False,
) -> ReturnRead:
    """Write (or rewrite, while a draft or queried) an enterprise's quarterly return."""
    actor.require(REPORT, organisation_id)
    if _kind(session, organisation_id) != OrganisationKind.ENTERPRISE:
        raise validation_error("organisation_id", "direct returns are filed by enterprises")
    if data.district not in DISTRICTS:
        raise validation_error("district", f"{data.district!r} is not a district of Shanghai")
    lines = _lines(data)
    row = session.scalars(
        select(DirectReturn)
        .where(DirectReturn.organisation_id == organisation_id, DirectReturn.period == data.period)
        .with_for_update()
    ).one_or_none()
    if row is None:
        row = DirectReturn(
            organisation_id=organisation_id,
            district=data.district,
            period=data.period,
            status=ReturnStatus.DRAFT.value,
        )
        session.add(row)
        session.flush()
    elif ReturnStatus(row.status) not in _EDITABLE:
        raise validation_error(
            "period", f"the {data.period} return is {row.status}; it can no longer be changed"
        )
    row.district = data.district
    for old in session.scalars(select(ReturnLine).where(ReturnLine.return_id == row.id)):
        session.delete(old)
    session.flush()
    session.add_all(
        ReturnLine(return_id=row.id, code=code, partner=partner, flow=flow, value=value)
        for code, partner, flow, value in lines
    )
    if submit:
        row.status = check_transition(
            RETURN_TRANSITIONS, ReturnStatus(row.status), ReturnStatus.SUBMITTED
        ).value
        row.submitted_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="statistics.return.submit" if submit else "statistics.return.save",
        entity_type="statistics_return",
        entity_id=row.id,
        organisation_id=organisation_id,
        after=[[c, p, f, str(v)] for c, p, f, v in lines],
        details={"period": data.period, "lines": len(lines)},
    )
    return _return_read(session, row)


def _return_row(session: Session, return_id: int) -> DirectReturn:
    row = session.get(DirectReturn, return_id)
    if row is None:
        raise NotFound(f"no return {return_id}")
    return row


def get_return(session: Session, *, actor: Principal, return_id: int) -> ReturnRead:
    row = _return_row(session, return_id)
    if not (actor.can(REPORT, row.organisation_id) or _is_reviewer(session, actor)):
        actor.require(REPORT, row.organisation_id)
    return _return_read(session, row)


def _is_reviewer(session: Session, actor: Principal) -> bool:
    return actor.is_platform_admin or bool(_agencies(session, actor, REVIEW))


def list_returns(
    session: Session,
    *,
    actor: Principal,
    organisation_id: int | None = None,
    status: str | None = None,
    period: str | None = None,
) -> list[ReturnRead]:
    """An enterprise sees its own returns; an agency reviewer sees all of them."""
    query = select(DirectReturn).order_by(DirectReturn.period.desc(), DirectReturn.id)
    if organisation_id is not None:
        if not _is_reviewer(session, actor):
            actor.require(REPORT, organisation_id)
        query = query.where(DirectReturn.organisation_id == organisation_id)
    elif not _is_reviewer(session, actor):
        own = [o for o in actor.organisation_ids if actor.can(REPORT, o)]
        if not own:
            raise _refuse(actor, REVIEW)
        query = query.where(DirectReturn.organisation_id.in_(own))
    if status:
        query = query.where(DirectReturn.status == status)
    if period:
        query = query.where(DirectReturn.period == period)
    return [_return_read(session, row) for row in session.scalars(query.limit(500))]


def submit_return(session: Session, *, actor: Principal, return_id: int) -> ReturnRead:
    row = _return_row(session, return_id)
    actor.require(REPORT, row.organisation_id)
    row.status = check_transition(
        RETURN_TRANSITIONS, ReturnStatus(row.status), ReturnStatus.SUBMITTED
    ).value
    row.submitted_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="statistics.return.submit",
        entity_type="statistics_return",
        entity_id=row.id,
        organisation_id=row.organisation_id,
    )
    return _return_read(session, row)


def review_return(
    session: Session,
    *,
    actor: Principal,
    return_id: int,
    action: str,
    note: str = "",
    organisation_id: int | None = None,
) -> ReturnRead:
    """An agency reviewer accepts a submitted return or queries it back with a note."""
    reviewer_org = _agency(session, actor, REVIEW, organisation_id)
    row = _return_row(session, return_id)
    if action == "query":
        if not note.strip():
            raise validation_error("note", "say what the enterprise should check")
        target = ReturnStatus.QUERIED
    elif action == "accept":
        target = ReturnStatus.ACCEPTED
    else:
        raise validation_error("action", "must be accept or query")
    row.status = check_transition(RETURN_TRANSITIONS, ReturnStatus(row.status), target).value
    row.query_note = note.strip() or None
    row.reviewer = actor.subject
    row.reviewed_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"statistics.return.{action}",
        entity_type="statistics_return",
        entity_id=row.id,
        organisation_id=reviewer_org,
        details={"note": note.strip()} if note.strip() else None,
    )
    if target is ReturnStatus.ACCEPTED:
        publish_direct_reporting(session, actor=actor, period=row.period)
    return _return_read(session, row)


def _component(code: str) -> str:
    """The EBOPS component (SA..SL) a code belongs to."""
    while not classification.is_component(code):
        parent = classification.lookup(code).parent
        if parent is None:
            raise validation_error("code", f"{code!r} is not under an EBOPS component")
        code = parent
    return code


def _covered(definition: definitions.Definition, code: str) -> bool:
    """Does the definition count the whole of ``code`` (itself or an ancestor is in its set)?"""
    current: str | None = code
    while current is not None:
        if current in definition.codes:
            return True
        current = classification.lookup(current).parent
    return False


def _contributions(
    session: Session, period: str, flow: str
) -> tuple[dict[tuple[str, str], dict[int, Decimal]], int]:
    """(district, component) -> enterprise -> value, from accepted returns of ``period``."""
    query = (
        select(
            DirectReturn.organisation_id, DirectReturn.district, ReturnLine.code, ReturnLine.value
        )
        .join(ReturnLine, ReturnLine.return_id == DirectReturn.id)
        .where(
            DirectReturn.period == period,
            DirectReturn.status == ReturnStatus.ACCEPTED.value,
            ReturnLine.flow == flow,
        )
    )
    cells: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    enterprises: set[int] = set()
    for organisation_id, district, code, value in session.execute(query):
        cells[(district, _component(code))][organisation_id] += Decimal(value)
        enterprises.add(organisation_id)
    return cells, len(enterprises)


def published_table(session: Session, *, period: str, flow: str) -> PublishedTable:
    """District x EBOPS component table of accepted returns, disclosure-controlled."""
    if flow not in {"credit", "debit"}:
        raise validation_error("flow", "must be credit or debit")
    try:
        parsed = Period.parse(period)
    except PeriodError as exc:
        raise validation_error("period", str(exc)) from exc
    if parsed.frequency is not Frequency.QUARTERLY:
        raise validation_error("period", "direct returns are quarterly: YYYY-Qn")
    cells, _ = _contributions(session, period, flow)
    returns = (
        session.scalar(
            select(func.count(DirectReturn.id)).where(
                DirectReturn.period == period, DirectReturn.status == ReturnStatus.ACCEPTED.value
            )
        )
        or 0
    )
    protected = _protect({key: list(by.values()) for key, by in cells.items()})

    def money(value: Decimal | None) -> str | None:
        return None if value is None else _money(value)

    return PublishedTable(
        period=period,
        flow=flow,
        cells=[
            PublishedCell(
                district=str(key[0]),
                code=str(key[1]),
                value=money(cell.value),
                suppressed=cell.reason,
            )
            for key, cell in sorted(protected.table.cells.items(), key=lambda kv: repr(kv[0]))
            if (key in cells) or cell.value is None
        ],
        district_totals={
            str(row): money(None if row in protected.hidden_rows else total)
            for row, total in sorted(protected.row_totals.items())
        },
        code_totals={
            str(column): money(None if column in protected.hidden_columns else total)
            for column, total in sorted(protected.column_totals.items())
        },
        total=money(None if protected.hide_grand_total else protected.grand_total),
        returns=returns,
    )


@dataclass
class _Protected:
    table: disclosure.PublishedTable
    row_totals: dict[Any, Decimal]
    column_totals: dict[Any, Decimal]
    grand_total: Decimal
    hidden_rows: set[Any]
    hidden_columns: set[Any]
    hide_grand_total: bool


def _protect(cells: Mapping[tuple[Any, Any], Sequence[Decimal]]) -> _Protected:
    """Primary and secondary suppression of the district x component table. A cell that cannot
    be protected while every total is published (the only one in its row, say) takes its row
    and column totals and the grand total out of publication instead."""
    rows = sorted({district for district, _ in cells})
    columns = sorted({code for _, code in cells})
    if not cells:
        table = disclosure.PublishedTable((), (), {}, {}, {}, Decimal(0))
    elif len(rows) >= 2 and len(columns) >= 2:
        table = disclosure.protect_table(cells, rows=rows, columns=columns)
    elif len(rows) == 1:
        table = disclosure.protect_series(
            {code: cells[(rows[0], code)] for code in columns}, row_key=rows[0]
        )
    else:
        series = disclosure.protect_series(
            {district: cells[(district, columns[0])] for district in rows}, row_key=columns[0]
        )
        # protect_series keys cells (row_key, category); turn them back to (district, code).
        table = disclosure.PublishedTable(
            rows=tuple(rows),
            columns=(columns[0],),
            cells={(district, code): cell for (code, district), cell in series.cells.items()},
            row_totals={},
            column_totals={},
            grand_total=series.grand_total,
            unprotected={(district, code) for code, district in series.unprotected},
        )
    row_totals: dict[Any, Decimal] = defaultdict(Decimal)
    column_totals: dict[Any, Decimal] = defaultdict(Decimal)
    for (district, code), contributions in cells.items():
        value = sum(contributions, Decimal(0))
        row_totals[district] += value
        column_totals[code] += value
    hidden_rows = {district for district, _ in table.unprotected}
    hidden_columns = {code for _, code in table.unprotected}
    suppressed = table.suppressed()
    # With one column a district's total is its one cell (and likewise with one row).
    if len(columns) == 1:
        hidden_rows |= {district for district, _ in suppressed}
    if len(rows) == 1:
        hidden_columns |= {code for _, code in suppressed}
    return _Protected(
        table=table,
        row_totals=dict(row_totals),
        column_totals=dict(column_totals),
        grand_total=sum(row_totals.values(), Decimal(0)),
        hidden_rows=hidden_rows,
        hidden_columns=hidden_columns,
        hide_grand_total=bool(table.unprotected),
    )


def _published_rows(table: PublishedTable, source: str) -> Iterator[ObservationRow]:
    if not table.cells:
        return  # no accepted return reports this flow: nothing to publish, not a zero
    period = Period.parse(table.period)
    flow = Flow(table.flow)

    def row(economy: str, code: str, value: str) -> ObservationRow:
        return ObservationRow(
            economy=economy,
            period=period,
            code=code,
            flow=flow,
            value=Decimal(value),
            currency="USD",
            unit_multiplier=0,
            basis=Basis.DIRECT_REPORTING,
            status=Status.PRELIMINARY,
            source=source,
        )

    for cell in table.cells:
        if cell.value is not None:
            yield row(cell.district, cell.code, cell.value)
    for district, value in table.district_totals.items():
        if value is not None:
            yield row(district, "S", value)
    for code, value in table.code_totals.items():
        if value is not None:
            yield row(SHANGHAI, code, value)
    if table.total is not None:
        yield row(SHANGHAI, "S", table.total)


def publish_direct_reporting(session: Session, *, actor: Principal, period: str) -> int:
    """Recompile the quarter's published aggregates from every accepted return.

    Only the cells that pass disclosure control become observations (basis direct_reporting,
    status preliminary); a cell suppressed now but published before is withdrawn (its old
    vintage stays in history, no longer current).
    """
    rows: list[ObservationRow] = []
    source = f"Direct reporting, accepted returns for {period} (compiled {dt.date.today()})"
    for flow in ("credit", "debit"):
        rows.extend(_published_rows(published_table(session, period=period, flow=flow), source))
    keys = {_key(row) for row in rows}
    stale = [
        record.id
        for record in session.execute(
            select(
                Observation.id,
                Observation.economy,
                Observation.partner,
                Observation.period,
                Observation.code,
                Observation.flow,
                Observation.basis,
                Observation.definition,
                Observation.mode,
            ).where(
                Observation.current.is_(True),
                Observation.period == period,
                Observation.basis == Basis.DIRECT_REPORTING.value,
            )
        )
        if tuple(record[1:]) not in keys
    ]
    _flush_superseded(session, stale)
    stored = _store_rows(session, rows, import_id=None)
    ledger.append(
        session,
        kind=PUBLICATION_KIND,
        payload={
            "period": period,
            "values": len(rows),
            "digest": "sha256:"
            + hashlib.sha256(
                "\n".join(
                    sorted(f"{r.economy}|{r.code}|{r.flow.value}|{r.value}" for r in rows)
                ).encode()
            ).hexdigest(),
        },
        submitter=actor.subject,
        organisation_id=None,
    )
    return stored.new + stored.revised


# ---------------------------------------------------------------------------------------------
# Dashboard


def _sources(session: Session, economies: Iterable[str], codes: Iterable[str]) -> list[str]:
    """Sources of the annual values behind a chart (quarterly returns feed other views)."""
    query = (
        select(Observation.source)
        .where(
            Observation.current.is_(True),
            Observation.economy.in_(list(economies)),
            Observation.code.in_(list(codes)),
            Observation.frequency == Frequency.ANNUAL.value,
        )
        .distinct()
        .limit(20)
    )
    return sorted(source for source in session.scalars(query) if source)


def peer_series(
    session: Session, *, economies: list[str], locale: str = "en"
) -> list[dict[str, Any]]:
    """DDS exports + imports per year for each peer, one series per definition found."""
    query = select(
        Observation.economy,
        Observation.definition,
        Observation.year,
        Observation.flow,
        Observation.value,
        Observation.unit_multiplier,
    ).where(
        Observation.current.is_(True),
        Observation.code == DDS_CODE,
        Observation.economy.in_(economies),
        Observation.frequency == "A",
        Observation.partner == "W00",
        Observation.currency == "USD",
    )
    totals: dict[tuple[str, str], dict[int, dict[str, Decimal]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for record in session.execute(query):
        totals[(record.economy, record.definition)][record.year][record.flow] = _normalised(
            record.value, record.unit_multiplier
        )
    result = []
    for (economy, definition), by_year in sorted(totals.items()):
        points = [
            {"year": year, "value": _money(flows["credit"] + flows["debit"])}
            for year, flows in sorted(by_year.items())
            if "credit" in flows and "debit" in flows
        ]
        result.append(
            {
                "economy": economy,
                "name": economy_name(economy, locale),
                "definition": definition,
                "points": points,
            }
        )
    return result


def _trajectory(
    figures: Mapping[int, AnnualFigure], target: TargetProgress
) -> dict[str, list[dict[str, Any]]]:
    actual = [
        {"year": year, "value": _money(figure.value), "status": figure.status}
        for year, figure in sorted(figures.items())
    ]
    required: list[dict[str, Any]] = []
    projected: list[dict[str, Any]] = []
    if figures and target.required_cagr is not None:
        latest_year = max(figures)
        latest = figures[latest_year].value
        for year, value in progress_maths.trajectory(
            latest, latest_year, Decimal(target.required_cagr), target.target_year
        ):
            required.append({"year": year, "value": _money(value)})
        if target.observed_cagr is not None:
            for year, value in progress_maths.trajectory(
                latest, latest_year, Decimal(target.observed_cagr), target.target_year
            ):
                projected.append({"year": year, "value": _money(value)})
    return {"actual": actual, "required": required, "projected": projected}


def dashboard(
    session: Session,
    *,
    economy: str = SHANGHAI,
    definition: str = "mofcom_wto",
    peers: list[str] | None = None,
    window: int = DEFAULT_WINDOW,
    locale: str = "en",
) -> dict[str, Any]:
    """Everything the dashboard draws, in one response (one round trip per page view)."""
    indicators = annual_indicators(session, economy=economy, definition=definition)
    report = progress(
        session,
        economy=economy,
        definition=definition,
        window=window,
        locale=locale,
        indicators=indicators,
    )
    chosen = definitions.DEFINITIONS[definition]
    targets = []
    for target in report.targets:
        figures = _series_for(indicators, target.indicator)
        targets.append({**target.model_dump(mode="json"), **_trajectory(figures, target)})
    latest_components = max(
        (year for year, values in indicators.components.items() if values), default=None
    )
    composition = []
    if latest_components is not None:
        for code, value in sorted(indicators.components[latest_components].items()):
            composition.append(
                {
                    "code": code,
                    "label": classification.label(code, locale),
                    "value": _money(value),
                    "digitally_deliverable": _covered(chosen, code),
                }
            )
    share = [
        {"year": year, "value": _fmt(figure.value, _RATE), "status": figure.status}
        for year, figure in sorted(indicators.share.items())
    ]
    district_rows: list[dict[str, Any]] = []
    for district in districts_of(economy):
        found = annual_indicators(session, economy=district.code, definition=definition)
        if found.services:
            year = max(found.services)
            dds = found.dds.get(year)
            district_rows.append(
                {
                    "economy": district.code,
                    "name": economy_name(district.code, locale),
                    "official_code": district.official_code,
                    "year": year,
                    "services": _money(found.services[year].value),
                    "dds": None if dds is None else _money(dds.value),
                    "status": found.services[year].status,
                }
            )
    peer_codes = peers or list(DEFAULT_PEERS)
    statuses = {
        figure.status
        for figures in (indicators.services, indicators.dds, indicators.share)
        for figure in figures.values()
    } | {row["status"] for row in district_rows}
    try:
        estimate: dict[str, Any] | None = nowcast(session, economy=economy)
    except ValidationFailed:
        estimate = None
    return {
        "economy": economy,
        "economy_name": economy_name(economy, locale),
        "definition": definition,
        "definition_name": chosen.name_zh if locale.startswith("zh") else chosen.name_en,
        "definition_codes": list(chosen.codes),
        "window_years": window,
        "latest_year": report.latest_year,
        "targets": targets,
        "composition": {"year": latest_components, "items": composition},
        "share": share,
        "delivered": [
            {
                "year": year,
                "value": _money(figure.value),
                "status": figure.status,
                "definition": definitions.WTO_MODE1.key,
            }
            for year, figure in sorted(indicators.delivered.items())
        ],
        "districts": district_rows,
        "peers": peer_series(session, economies=peer_codes, locale=locale),
        "nowcast": estimate,
        "illustrative": Status.ILLUSTRATIVE.value in statuses,
        "sources": _sources(session, [economy], ["S", *classification.COMPONENTS]),
        "peer_sources": _sources(session, peer_codes, [DDS_CODE]),
    }


# ---------------------------------------------------------------------------------------------
# Shipped reference: published figures, the blank template


@dataclass(frozen=True)
class PublishedFigure:
    economy: str
    period: str
    indicator: str
    flow: str
    value: Decimal
    unit: str
    definition: str
    source: str


def published_figures() -> list[PublishedFigure]:
    """Figures published by official sources with their citations (data/published_figures.csv)."""
    text = (
        importlib.resources.files("digitrade.systems.statistics")
        .joinpath("data/published_figures.csv")
        .read_text(encoding="utf-8")
    )
    return [
        PublishedFigure(
            economy=row["economy"],
            period=row["period"],
            indicator=row["indicator"],
            flow=row["flow"],
            value=Decimal(row["value"]),
            unit=row["unit"],
            definition=row["definition"],
            source=row["source"],
        )
        for row in csv.DictReader(io.StringIO(text))
    ]


def template_bytes(suffix: str) -> bytes:
    """The blank import template (.csv or .xlsx) with an example row and instructions."""
    if suffix == ".xlsx":
        binary = io.BytesIO()
        importing.write_template_xlsx(binary)
        return binary.getvalue()
    if suffix == ".csv":
        text = io.StringIO()
        importing.write_template_csv(text)
        return text.getvalue().encode("utf-8")
    raise validation_error("format", "the template is .csv or .xlsx")
