"""Disclosure control: primary rules, complementary suppression and the exact audit."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digitrade.systems.statistics.disclosure import (
    DOMINANCE,
    FEW_CONTRIBUTORS,
    SECONDARY,
    DisclosureError,
    DisclosureRule,
    PublishedCell,
    PublishedTable,
    feasible_bounds,
    protect_series,
    protect_table,
    recoverable_cells,
    recovered_values,
)

D = Decimal


def many(*amounts: int) -> list[Decimal]:
    return [D(a) for a in amounts]


SAFE = many(10, 10, 10)  # three enterprises, none dominant


# --- primary rules --------------------------------------------------------------------------


def test_threshold_rule_counts_enterprises() -> None:
    rule = DisclosureRule()
    assert rule.primary_reason(many(5)) == FEW_CONTRIBUTORS
    assert rule.primary_reason(many(5, 5)) == FEW_CONTRIBUTORS
    assert rule.primary_reason(many(5, 5, 5)) is None
    assert rule.primary_reason([]) is None  # empty cell: nobody to disclose


def test_dominance_boundary_is_strictly_over_k() -> None:
    rule = DisclosureRule()
    assert rule.primary_reason(many(85, 10, 5)) is None  # exactly 85 % is allowed
    assert rule.primary_reason([D("85.01"), D("9.99"), D(5)]) == DOMINANCE
    assert DisclosureRule(dominance_n=2, dominance_k=D(90)).primary_reason(many(50, 41, 5, 4)) == (
        DOMINANCE
    )
    assert DisclosureRule(min_contributors=5).primary_reason(many(1, 1, 1, 1)) == FEW_CONTRIBUTORS


def test_negative_or_float_contributions_are_refused() -> None:
    with pytest.raises(DisclosureError):
        protect_series({"a": [D(-1), D(2), D(3)]})
    with pytest.raises(DisclosureError):
        protect_series({"a": [1.5, D(2), D(3)]})  # type: ignore[list-item]


# --- one-way tables -------------------------------------------------------------------------


def test_series_gets_the_smallest_complement() -> None:
    table = protect_series(
        {"SI": many(100, 1), "SJ": many(50, 40, 30), "SH": many(5, 4, 3), "SK": many(9, 9, 9)}
    )
    assert table.cells[("total", "SI")] == PublishedCell(None, FEW_CONTRIBUTORS)
    assert table.cells[("total", "SH")] == PublishedCell(None, SECONDARY)
    assert table.cells[("total", "SJ")].value == D(120)
    assert table.grand_total == D(101 + 120 + 12 + 27)
    assert table.column_totals == {}
    assert recoverable_cells(table) == set()
    assert table.unprotected == set()


def test_series_with_one_non_empty_cell_is_reported_unprotected() -> None:
    table = protect_series({"SI": many(7), "SJ": []})
    assert table.unprotected == {("total", "SI")}


# --- two-way tables -------------------------------------------------------------------------


def _table(grid: list[list[list[int]]]) -> dict[tuple[str, str], list[Decimal]]:
    return {
        (f"r{i}", f"c{j}"): [D(a) for a in contributions]
        for i, row in enumerate(grid)
        for j, contributions in enumerate(row)
    }


def test_single_sensitive_cell_gets_a_rectangle() -> None:
    grid = [
        [[1, 1], [10, 10, 10], [20, 20, 20]],
        [[5, 5, 5], [30, 30, 30], [2, 2, 2]],
        [[40, 40, 40], [50, 50, 50], [60, 60, 60]],
    ]
    table = protect_table(_table(grid))
    assert table.cells[("r0", "c0")].reason == FEW_CONTRIBUTORS
    # smallest complements: r0 -> c1 (30), c0 -> r1 (15), then r1/c1 or r1/c2 closes the cycle
    assert table.suppressed() == {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")}
    assert recoverable_cells(table) == set()
    assert table.row_totals["r0"] == D(2 + 30 + 60)
    assert table.column_totals["c0"] == D(2 + 15 + 120)
    assert table.grand_total == sum(table.row_totals.values())


def test_bridge_between_two_blocks_is_caught_by_the_audit() -> None:
    # Two suppressed 2x2 blocks joined by one suppressed cell: every line has two suppressed
    # cells, yet the joining cell is determined. The audit must see it.
    sup = {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")}
    sup |= {("r2", "c2"), ("r2", "c3"), ("r3", "c2"), ("r3", "c3"), ("r0", "c2")}
    values = {(f"r{i}", f"c{j}"): D(i * 4 + j + 1) for i in range(4) for j in range(4)}
    rows = tuple(f"r{i}" for i in range(4))
    columns = tuple(f"c{j}" for j in range(4))
    table = PublishedTable(
        rows=rows,
        columns=columns,
        cells={
            key: PublishedCell(None, SECONDARY) if key in sup else PublishedCell(value)
            for key, value in values.items()
        },
        row_totals={r: sum(values[(r, c)] for c in columns) for r in rows},
        column_totals={c: sum(values[(r, c)] for r in rows) for c in columns},
        grand_total=sum(values.values()),
    )
    assert recovered_values(table) == {("r0", "c2"): Fraction(3)}


def test_protect_repairs_a_bridge_pattern() -> None:
    big = [100, 100, 100]
    grid = [[big[:] for _ in range(4)] for _ in range(4)]
    grid[0][2] = [7]  # primary
    grid[0][0] = grid[0][1] = grid[1][0] = grid[1][1] = [1, 1, 1]
    table = protect_table(_table(grid))
    assert ("r0", "c2") in table.suppressed()
    assert recoverable_cells(table) == set()


def test_one_row_table_is_refused() -> None:
    with pytest.raises(DisclosureError):
        protect_table({("r", "a"): SAFE, ("r", "b"): SAFE})


def test_unprotectable_cell_is_reported() -> None:
    # r0 has only one non-empty cell, so its row total equals it.
    cells = {("r0", "c0"): many(3), ("r1", "c0"): SAFE, ("r1", "c1"): SAFE}
    table = protect_table(cells, rows=["r0", "r1"], columns=["c0", "c1"])
    assert table.unprotected == {("r0", "c0")}
    assert table.cells[("r0", "c1")].value == D(0)


def test_no_sensitive_cells_means_nothing_suppressed() -> None:
    table = protect_table(_table([[[1, 1, 1], [2, 2, 2]], [[3, 3, 3], [4, 4, 4]]]))
    assert table.suppressed() == set()
    assert table.column_totals == {"c0": D(12), "c1": D(18)}


def test_feasible_bounds_contain_the_truth() -> None:
    grid = [
        [[1, 1], [10, 10, 10], [20, 20, 20]],
        [[5, 5, 5], [30, 30, 30], [2, 2, 2]],
        [[40, 40, 40], [50, 50, 50], [60, 60, 60]],
    ]
    cells = _table(grid)
    table = protect_table(cells)
    for key, (low, high) in feasible_bounds(table).items():
        truth = Fraction(sum(cells[key]))
        assert low <= truth <= high
        assert low < high  # not pinned down


# --- properties -----------------------------------------------------------------------------

amount = st.integers(min_value=0, max_value=10_000).map(lambda n: Decimal(n) / 100)
contributions = st.lists(amount, min_size=1, max_size=6)


@st.composite
def grids(draw: st.DrawFn) -> dict[tuple[str, str], list[Decimal]]:
    n_rows = draw(st.integers(2, 6))
    n_columns = draw(st.integers(2, 6))
    return {
        (f"r{i}", f"c{j}"): draw(contributions) for i in range(n_rows) for j in range(n_columns)
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids())
def test_no_suppressed_cell_is_recoverable(cells: dict[tuple[str, str], list[Decimal]]) -> None:
    rule = DisclosureRule()
    table = protect_table(cells, rule)
    assert table.unprotected == set()
    assert recoverable_cells(table) == set()
    for key, contributions in cells.items():
        expected = rule.primary_reason(contributions)
        cell = table.cells[key]
        if expected is not None:
            assert cell == PublishedCell(None, expected)  # primary rules applied exactly
        elif cell.value is None:
            assert cell.reason == SECONDARY
        else:
            assert cell.value == sum(contributions, Decimal(0))
    # totals always published, and equal to the true sums
    for row in table.rows:
        assert table.row_totals[row] == sum(
            (sum(cells[(row, c)], Decimal(0)) for c in table.columns), Decimal(0)
        )
    for column in table.columns:
        assert table.column_totals[column] == sum(
            (sum(cells[(r, column)], Decimal(0)) for r in table.rows), Decimal(0)
        )
    assert table.grand_total == sum(table.row_totals.values(), Decimal(0))


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from("ABCDEFGH"), contributions, min_size=2, max_size=8))
def test_series_property(cells: dict[str, list[Decimal]]) -> None:
    table = protect_series(cells)
    assert recoverable_cells(table) == set()
    suppressed = table.suppressed()
    assert len(suppressed) != 1
    assert table.grand_total == sum((sum(c, Decimal(0)) for c in cells.values()), Decimal(0))
