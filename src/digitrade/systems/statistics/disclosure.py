"""Statistical disclosure control for tables aggregated from enterprise returns.

Method (Hundepool, Domingo-Ferrer, Franconi, Giessing, Schulte Nordholt, Spicer and de Wolf,
*Statistical Disclosure Control*, Wiley 2012, ch. 4 "Magnitude tabular data"):

1. **Primary suppression.** A cell is sensitive when it has fewer than ``min_contributors``
   enterprises (threshold rule, default 3), or when its ``n`` largest contributions exceed ``k`` %
   of the cell total (the (n, k) dominance rule, default (1, 85)). Empty cells (no enterprise) are
   published as zero: they disclose nobody.
2. **Secondary (complementary) suppression.** Row, column and grand totals are always published,
   so a lone suppressed cell in a row could be recovered by subtraction. First a greedy pass:
   every row and column holding a suppressed cell gets at least two, adding the smallest
   available cell, until stable. Two per line is not enough in general (a suppressed cell that
   is a "bridge" between two suppressed blocks is still determined), so an audit follows: every
   suppressed cell that the published equations determine exactly is found by Gaussian
   elimination over ``Fraction``; for each such primary cell the cheapest set of extra cells that
   puts it on a cycle of suppressed cells (rows and columns as nodes, cells as edges) is added,
   by a shortest-path search where already-suppressed cells cost nothing. In a two-way table
   with all margins published a suppressed cell is determined exactly when it lies on no such
   cycle, so this loop ends with no suppressed cell recoverable. Secondary cells that remain
   exactly determined are published again: their value follows from published figures anyway.
3. **Audit.** ``recoverable_cells`` solves the published linear system independently of how the
   pattern was chosen. ``feasible_bounds`` gives simple outer bounds [low, high] for each
   suppressed cell under non-negativity (not the exact LP interval).

Contributions must be one non-negative amount per enterprise (aggregate an enterprise's returns
before calling). Totals are published as computed here; whether a total itself is sensitive is
not checked by this module.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

FEW_CONTRIBUTORS = "few-contributors"
DOMINANCE = "dominance"
SECONDARY = "secondary"

CellKey = tuple[Hashable, Hashable]  # (row key, column key)


class DisclosureError(ValueError):
    pass


@dataclass(frozen=True)
class DisclosureRule:
    """Primary rules: threshold on the number of enterprises and (n, k) dominance."""

    min_contributors: int = 3
    dominance_n: int = 1
    dominance_k: Decimal = Decimal(85)  # percent

    def primary_reason(self, contributions: Sequence[Decimal]) -> str | None:
        count = len(contributions)
        if count == 0:
            return None
        if count < self.min_contributors:
            return FEW_CONTRIBUTORS
        total = sum(contributions, Decimal(0))
        if total <= 0:
            return None
        top = sum(sorted(contributions, reverse=True)[: self.dominance_n], Decimal(0))
        # top / total > k / 100, kept exact in Decimal
        if top * 100 > self.dominance_k * total:
            return DOMINANCE
        return None


@dataclass(frozen=True)
class PublishedCell:
    value: Decimal | None  # None when suppressed
    reason: str | None = None  # few-contributors | dominance | secondary


@dataclass(frozen=True)
class Constraint:
    """A published total: ``total`` = sum of the cells in ``members``."""

    label: str
    members: tuple[CellKey, ...]
    total: Decimal


@dataclass
class PublishedTable:
    """The table as it will be published.

    For a one-way table ``rows`` has a single key and ``column_totals`` is empty.
    ``unprotected`` lists primary cells that could not be protected while publishing every total
    (e.g. the only non-empty cell of its row); the caller must merge categories or suppress a
    total before publishing.
    """

    rows: tuple[Hashable, ...]
    columns: tuple[Hashable, ...]
    cells: dict[CellKey, PublishedCell]
    row_totals: dict[Hashable, Decimal]
    column_totals: dict[Hashable, Decimal]
    grand_total: Decimal
    unprotected: set[CellKey] = field(default_factory=set)

    def suppressed(self) -> set[CellKey]:
        return {key for key, cell in self.cells.items() if cell.value is None}

    def primary(self) -> set[CellKey]:
        return {
            key for key, cell in self.cells.items() if cell.reason in {FEW_CONTRIBUTORS, DOMINANCE}
        }

    def constraints(self) -> list[Constraint]:
        """The published linear equations: every row, column and the grand total."""
        out = [
            Constraint(
                f"row {row}",
                tuple((row, column) for column in self.columns if (row, column) in self.cells),
                self.row_totals[row],
            )
            for row in self.rows
        ]
        out.extend(
            Constraint(
                f"column {column}",
                tuple((row, column) for row in self.rows if (row, column) in self.cells),
                self.column_totals[column],
            )
            for column in self.columns
            if column in self.column_totals
        )
        out.append(Constraint("grand total", tuple(self.cells), self.grand_total))
        return out


# --- exact audit ----------------------------------------------------------------------------


def _reduced_system(
    table: PublishedTable,
) -> tuple[list[CellKey], list[list[Fraction]], list[int]]:
    """RREF of the equations in the suppressed cells: (unknowns, rows [coeffs..., rhs], pivots)."""
    unknowns = sorted(table.suppressed(), key=repr)
    position = {key: index for index, key in enumerate(unknowns)}
    width = len(unknowns)
    matrix: list[list[Fraction]] = []
    for constraint in table.constraints():
        row = [Fraction(0)] * (width + 1)
        rhs = Fraction(constraint.total)
        touched = False
        for key in constraint.members:
            value = table.cells[key].value
            if value is None:
                row[position[key]] += 1
                touched = True
            else:
                rhs -= Fraction(value)
        row[width] = rhs
        if touched:
            matrix.append(row)
    pivots: list[int] = []
    rank = 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][column]
        matrix[rank] = [entry / lead for entry in matrix[rank]]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        pivots.append(column)
        rank += 1
    return unknowns, matrix[:rank], pivots


def recovered_values(table: PublishedTable) -> dict[CellKey, Fraction]:
    """Suppressed cells whose value the published totals fix exactly, with that value.

    An unknown is determined iff its unit vector lies in the row space: in reduced row echelon
    form, its pivot row has no entry in any free column.
    """
    unknowns, rows, pivots = _reduced_system(table)
    pivot_set = set(pivots)
    free = [column for column in range(len(unknowns)) if column not in pivot_set]
    found: dict[CellKey, Fraction] = {}
    for row, column in zip(rows, pivots, strict=True):
        if all(row[f] == 0 for f in free):
            found[unknowns[column]] = row[len(unknowns)]
    return found


def recoverable_cells(table: PublishedTable) -> set[CellKey]:
    """Suppressed cells an outsider can compute exactly from the published figures."""
    return set(recovered_values(table))


def feasible_bounds(table: PublishedTable) -> dict[CellKey, tuple[Fraction, Fraction]]:
    """Outer bounds for each suppressed cell given the totals and non-negativity.

    High: the smallest remainder of any total the cell is in. Low: the largest remainder minus
    the other unknowns' highs. The exact interval (a linear programme) lies inside these bounds.
    """
    suppressed = table.suppressed()
    equations: list[tuple[list[CellKey], Fraction]] = []
    for constraint in table.constraints():
        unknown = [key for key in constraint.members if key in suppressed]
        if unknown:
            known = sum(
                (Fraction(table.cells[key].value or 0) for key in constraint.members),
                Fraction(0),
            )
            equations.append((unknown, Fraction(constraint.total) - known))
    high = {key: min(rhs for unknown, rhs in equations if key in unknown) for key in suppressed}
    low: dict[CellKey, Fraction] = {}
    for key in suppressed:
        best = Fraction(0)
        for unknown, rhs in equations:
            if key in unknown:
                others = sum((high[other] for other in unknown if other != key), Fraction(0))
                best = max(best, rhs - others)
        low[key] = best
    return {key: (low[key], high[key]) for key in suppressed}


# --- suppression ----------------------------------------------------------------------------


def _value(contributions: Sequence[Decimal]) -> Decimal:
    return sum(contributions, Decimal(0))


def _check(contributions: Iterable[Decimal]) -> None:
    for amount in contributions:
        if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
            raise DisclosureError(f"contributions must be finite Decimals >= 0, got {amount!r}")


def _build(
    rows: tuple[Hashable, ...],
    columns: tuple[Hashable, ...],
    values: dict[CellKey, Decimal],
    reasons: dict[CellKey, str],
    two_way: bool,
) -> PublishedTable:
    cells = {
        key: PublishedCell(None, reasons[key]) if key in reasons else PublishedCell(value)
        for key, value in values.items()
    }
    row_totals = {
        row: sum((values[(row, c)] for c in columns if (row, c) in values), Decimal(0))
        for row in rows
    }
    column_totals = (
        {
            column: sum((values[(r, column)] for r in rows if (r, column) in values), Decimal(0))
            for column in columns
        }
        if two_way
        else {}
    )
    return PublishedTable(
        rows=rows,
        columns=columns,
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        grand_total=sum(values.values(), Decimal(0)),
    )


def _greedy_lines(
    lines: list[list[CellKey]],
    values: dict[CellKey, Decimal],
    candidates: set[CellKey],
    reasons: dict[CellKey, str],
) -> None:
    """Until stable: a line with exactly one suppressed cell gets its smallest other cell."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            suppressed = [key for key in line if key in reasons]
            if len(suppressed) != 1:
                continue
            options = [key for key in line if key in candidates and key not in reasons]
            if not options:
                continue  # reported by the audit as unprotected
            choice = min(options, key=lambda key: (values[key], repr(key)))
            reasons[choice] = SECONDARY
            changed = True


def _cheapest_cycle(
    target: CellKey,
    values: dict[CellKey, Decimal],
    candidates: set[CellKey],
    reasons: dict[CellKey, str],
) -> list[CellKey] | None:
    """Cells to suppress so ``target`` lies on a cycle: shortest path column -> row avoiding it.

    Nodes are ("r", row) / ("c", column); each usable cell is an edge. Cost = (value added,
    cells added); cells already suppressed are free.
    """
    row, column = target
    start: tuple[str, Hashable] = ("c", column)
    goal: tuple[str, Hashable] = ("r", row)
    by_row: dict[Hashable, list[CellKey]] = {}
    by_column: dict[Hashable, list[CellKey]] = {}
    for key in candidates | set(reasons):
        if key == target:
            continue
        by_row.setdefault(key[0], []).append(key)
        by_column.setdefault(key[1], []).append(key)
    best: dict[tuple[str, Hashable], tuple[Decimal, int]] = {start: (Decimal(0), 0)}
    previous: dict[tuple[str, Hashable], tuple[tuple[str, Hashable], CellKey]] = {}
    counter = 0  # tie-breaker so heap entries never compare node keys
    heap: list[tuple[Decimal, int, int, tuple[str, Hashable]]] = [(Decimal(0), 0, counter, start)]
    while heap:
        cost, added, _, node = heapq.heappop(heap)
        if best.get(node) != (cost, added):
            continue
        if node == goal:
            break
        edges = by_column.get(node[1], []) if node[0] == "c" else by_row.get(node[1], [])
        for key in edges:
            nxt: tuple[str, Hashable] = ("r", key[0]) if node[0] == "c" else ("c", key[1])
            extra = (Decimal(0), 0) if key in reasons else (values[key], 1)
            candidate = (cost + extra[0], added + extra[1])
            if nxt not in best or candidate < best[nxt]:
                best[nxt] = candidate
                previous[nxt] = (node, key)
                counter += 1
                heapq.heappush(heap, (candidate[0], candidate[1], counter, nxt))
    if goal not in best:
        return None
    path: list[CellKey] = []
    node = goal
    while node != start:
        node, key = previous[node]
        if key not in reasons:
            path.append(key)
    return path


def protect_table(
    cells: Mapping[CellKey, Sequence[Decimal]],
    rule: DisclosureRule | None = None,
    *,
    rows: Sequence[Hashable] | None = None,
    columns: Sequence[Hashable] | None = None,
) -> PublishedTable:
    """Suppress a two-way table (row, column and grand totals published).

    ``cells`` maps (row, column) to the contributions of each enterprise; absent cells and cells
    with no contributions are empty (published as zero, never used as complements).
    """
    rule = rule or DisclosureRule()
    row_keys = tuple(rows) if rows is not None else tuple(dict.fromkeys(k[0] for k in cells))
    column_keys = (
        tuple(columns) if columns is not None else tuple(dict.fromkeys(k[1] for k in cells))
    )
    if len(row_keys) < 2 or len(column_keys) < 2:
        raise DisclosureError("a two-way table needs 2+ rows and 2+ columns; use protect_series")
    values: dict[CellKey, Decimal] = {}
    reasons: dict[CellKey, str] = {}
    candidates: set[CellKey] = set()
    for row in row_keys:
        for column in column_keys:
            key = (row, column)
            contributions = cells.get(key, ())
            _check(contributions)
            values[key] = _value(contributions)
            if contributions:
                candidates.add(key)
            reason = rule.primary_reason(contributions)
            if reason is not None:
                reasons[key] = reason
    unknown = set(cells) - set(values)
    if unknown:
        raise DisclosureError(f"cells outside the given rows/columns: {sorted(unknown, key=repr)}")

    lines = [[(row, column) for column in column_keys] for row in row_keys]
    lines += [[(row, column) for row in row_keys] for column in column_keys]
    _greedy_lines(lines, values, candidates, reasons)

    unprotected: set[CellKey] = set()
    while True:
        table = _build(row_keys, column_keys, values, reasons, two_way=True)
        exposed = sorted(
            (key for key in recoverable_cells(table) if reasons[key] != SECONDARY),
            key=lambda key: (values[key], repr(key)),
        )
        exposed = [key for key in exposed if key not in unprotected]
        if not exposed:
            break
        target = exposed[0]
        path = _cheapest_cycle(target, values, candidates, reasons)
        if path is None:
            unprotected.add(target)
            continue
        for key in path:
            reasons[key] = SECONDARY

    # Secondary cells the totals determine exactly reveal nothing; publish them.
    for key in recoverable_cells(table):
        if reasons.get(key) == SECONDARY:
            del reasons[key]
    table = _build(row_keys, column_keys, values, reasons, two_way=True)
    table.unprotected = unprotected
    return table


def protect_series(
    cells: Mapping[Hashable, Sequence[Decimal]],
    rule: DisclosureRule | None = None,
    *,
    row_key: Hashable = "total",
) -> PublishedTable:
    """Suppress a one-way table: categories plus one published total.

    Cells of the result are keyed ``(row_key, category)``.
    """
    rule = rule or DisclosureRule()
    columns = tuple(cells)
    values: dict[CellKey, Decimal] = {}
    reasons: dict[CellKey, str] = {}
    candidates: set[CellKey] = set()
    for column in columns:
        contributions = cells[column]
        _check(contributions)
        key = (row_key, column)
        values[key] = _value(contributions)
        if contributions:
            candidates.add(key)
        reason = rule.primary_reason(contributions)
        if reason is not None:
            reasons[key] = reason
    _greedy_lines([list(values)], values, candidates, reasons)
    table = _build((row_key,), columns, values, reasons, two_way=False)
    table.unprotected = {key for key in recoverable_cells(table) if reasons[key] != SECONDARY}
    return table
