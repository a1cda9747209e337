"""RMB amounts: Decimal only, rounded half-up to the fen, printed with two decimals."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_money(amount: Decimal) -> Decimal:
    """Half-up to RMB 0.01, the rounding customs applies to each tax line."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal) -> str:
    return f"{round_money(amount):.2f}"


def apportion(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` (whole fen) in proportion to ``weights``, summing exactly to ``total``.

    Each share is first cut down to the fen; the fen left over go one each to the largest cut-off
    remainders (earlier lines first on a tie), so no rounding ever creates or loses a fen.
    """
    if not weights:
        return []
    weight_sum = sum(weights, Decimal(0))
    if weight_sum <= 0:
        raise ValueError("apportionment needs a positive total weight")
    exact = [total * weight / weight_sum for weight in weights]
    shares = [share.quantize(CENT, rounding=ROUND_DOWN) for share in exact]
    left_over = int((total - sum(shares, Decimal(0))) / CENT)
    if not left_over:  # nothing to hand out (always so for one line): no need to rank
        return shares
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in by_remainder[:left_over]:
        shares[index] += CENT
    return shares
