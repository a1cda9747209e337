"""Small lists for tests, built in code."""

from __future__ import annotations

from datetime import date

from digitrade.systems.dataflow.ftz import ListKind, ListRow, NegativeList, Pathway


def make_row(row_id: str, **fields) -> ListRow:
    values = {
        "sector": "international shipping",
        "scenario": "crew management",
        "category": "personal information",
        "item": "crew passport number",
        "characteristics": "",
        "pathway": Pathway.STANDARD_CONTRACT_OR_CERTIFICATION,
        "threshold": None,
        "verified": True,
        "note": "",
    }
    values.update(fields)
    return ListRow(row_id=row_id, **values)


def make_list(rows: tuple[ListRow, ...], **fields) -> NegativeList:
    values = {
        "jurisdiction": "CN-SH-FTZ",
        "title_zh": "测试清单",
        "title_en": "Test list",
        "version": "2024",
        "issued_by": "Test issuer",
        "effective_from": date(2025, 2, 8),
        "source_url": "https://example.org/list",
        "kind": ListKind.NEGATIVE,
        "complete": True,
    }
    values.update(fields)
    return NegativeList(rows=rows, **values)
