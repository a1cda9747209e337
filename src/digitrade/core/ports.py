"""Protocols through which systems reach each other (wired in ``digitrade.composition``).

A system never imports another system: it declares what it needs here, one system implements
it, and the composition root hands the implementation over.
"""

from __future__ import annotations

from typing import Protocol


class SystemHealth(Protocol):
    """A system's live status for the home dashboard: (ok, short message)."""

    def __call__(self) -> tuple[bool, str]: ...
