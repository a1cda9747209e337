"""State machines declared as data: ``TRANSITIONS: Mapping[State, frozenset[State]]``."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from digitrade.core.errors import InvalidTransition

S = TypeVar("S", bound=StrEnum)


def allowed_targets(transitions: Mapping[S, frozenset[S]], current: S) -> frozenset[S]:
    return transitions.get(current, frozenset())


def check_transition(transitions: Mapping[S, frozenset[S]], current: S, target: S) -> S:
    """Return ``target`` if the machine allows ``current -> target``, else raise."""
    if target not in allowed_targets(transitions, current):
        allowed = ", ".join(sorted(allowed_targets(transitions, current))) or "none"
        raise InvalidTransition(
            f"cannot go from {current.value!r} to {target.value!r} (allowed: {allowed})",
            extra={"from": current.value, "to": target.value},
        )
    return target


def terminal_states(transitions: Mapping[S, frozenset[S]]) -> frozenset[S]:
    """States with no way out."""
    return frozenset(state for state, targets in transitions.items() if not targets)
