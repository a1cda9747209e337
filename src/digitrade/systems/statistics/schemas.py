"""Data shapes of the services-trade monitor API (Pydantic).

Values are decimal strings in millions of the stated currency (money never passes through a
float); growth rates are decimal fractions as strings (``"0.0539"`` is 5.39 percent a year).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Indicator = Literal["services_total", "dds_total", "dds_share"]


class ImportErrorRead(BaseModel):
    line: int
    column: str | None
    code: str
    message: str


class ImportResult(BaseModel):
    """What an import did (or, for a preview, would do)."""

    id: int | None = Field(description="the stored import; null for a preview")
    filename: str
    format: str
    sha256: str
    rows: int = Field(description="values read from the file")
    new: int = Field(description="series values seen for the first time")
    revised: int = Field(description="values that change a stored one: a new vintage")
    unchanged: int = Field(description="values equal to the stored current vintage")
    skipped: int = Field(description="lines without a value (gaps the source leaves) or other data")
    errors: list[ImportErrorRead] = Field(default_factory=list)
    error_count: int = 0
    committed: bool
    ledger_index: int | None = None


class ObservationRead(BaseModel):
    economy: str
    partner: str
    period: str
    code: str
    flow: str
    basis: str
    definition: str | None
    mode: int | None
    value: str
    currency: str
    unit_multiplier: int
    status: str
    source: str
    vintage: int
    current: bool
    created_at: dt.datetime


class SeriesPoint(BaseModel):
    period: str
    value: str = Field(description="millions of the currency")
    status: str
    vintage: int


class SeriesRead(BaseModel):
    economy: str
    economy_name: str
    code: str
    flow: str = Field(description="credit, debit or total (credit + debit)")
    definition: str | None
    currency: str
    unit: str = "millions"
    points: list[SeriesPoint]
    sources: list[str]


class TargetCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,59}$", examples=["pudong-2029-dds"])
    economy: str = Field(min_length=2, max_length=16)
    indicator: Indicator
    definition: Literal["unctad", "mofcom_wto"] = "mofcom_wto"
    target_year: int = Field(ge=2000, le=2100)
    target_value: str = Field(
        description="millions of US dollars, or percent for dds_share", examples=["130000"]
    )
    label_en: str = Field(min_length=1, max_length=200)
    label_zh: str = Field(default="", max_length=200)
    citation: str = Field(min_length=1, max_length=400)


class TargetRead(BaseModel):
    key: str
    economy: str
    indicator: str
    definition: str
    target_year: int
    target_value: str
    unit: str
    label_en: str
    label_zh: str
    citation: str
    builtin: bool


class TargetProgress(BaseModel):
    """One target against the data: the contract of ``digitrade stats progress``."""

    indicator: str
    target_year: int
    target_value: str
    latest_value: str | None
    required_cagr: str | None
    observed_cagr: str | None
    on_track: bool | None
    projected_year: int | None
    # Optional extensions
    key: str = ""
    label: str = ""
    latest_year: int | None = None
    unit: str = "USD_millions"
    progress_class: str | None = None
    gap_per_year: str | None = None
    latest_status: str | None = None
    citation: str = ""


class ProgressReport(BaseModel):
    economy: str
    definition: str
    latest_year: int | None
    targets: list[TargetProgress]
    window_years: int = 5
    illustrative: bool = Field(
        default=False, description="true when any figure used is illustrative data"
    )


class ReturnLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(examples=["SI2"])
    partner: str = Field(default="W00", examples=["USA"])
    flow: Literal["credit", "debit"]
    value: str = Field(description="US dollars, up to 2 decimals", examples=["125000.00"])


class ReturnWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str = Field(pattern=r"^\d{4}-Q[1-4]$", examples=["2026-Q3"])
    district: str = Field(examples=["CN-SH-310115"])
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=2000)


class ReturnRead(BaseModel):
    id: int
    organisation_id: int
    organisation: str
    district: str
    period: str
    status: str
    currency: str
    query_note: str | None
    reviewer: str | None
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    lines: list[ReturnLineIn]
    credit_total: str
    debit_total: str


class ReviewAction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["accept", "query"]
    note: str = Field(default="", max_length=2000)


class PublishedCell(BaseModel):
    district: str
    code: str
    value: str | None = Field(description="null when suppressed")
    suppressed: str | None = Field(description="why: few-contributors, dominance or secondary")


class PublishedTable(BaseModel):
    period: str
    flow: str
    cells: list[PublishedCell]
    district_totals: dict[str, str | None]
    code_totals: dict[str, str | None]
    total: str | None
    returns: int
