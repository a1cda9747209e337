from __future__ import annotations

from datetime import date

import pytest

from digitrade.systems.dataflow.ftz import NegativeList, Pathway
from tests.systems.dataflow.ftz.factories import make_list, make_row


@pytest.fixture
def sample_list() -> NegativeList:
    """Every field filled, both languages, odd characters that CSV must quote."""
    return make_list(
        (
            make_row(
                "R1",
                sector_zh="国际航运",
                scenario_zh="船员管理",
                category_zh="个人信息",
                item_zh="船员护照号码",
                characteristics='Identifies crew, "as issued", per voyage',
                threshold="≥100,000 individuals since 1 Jan",
                note="line one, with comma",
            ),
            make_row(
                "R2",
                category="important data",
                item="port throughput",
                item_zh="港口吞吐量",
                pathway=Pathway.SECURITY_ASSESSMENT,
            ),
            make_row(
                "R3",
                item="crew medical certificate",
                pathway=None,
                verified=False,
                note="pathway not transcribed",
            ),
        ),
        complete=False,
        issued_on=date(2025, 2, 8),
        effective_until=date(2027, 12, 31),
        sources=("first source", "second source"),
        note="A test list",
    )
