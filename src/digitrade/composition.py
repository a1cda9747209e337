"""The composition root: the only place that names every enabled system.

Adding a system: import its ``module`` here, append it to ``SYSTEMS``, and add it to the
import-linter contracts in pyproject.toml.
"""

from __future__ import annotations

from digitrade.core.registry import SystemModule

SYSTEMS: tuple[SystemModule, ...] = ()
