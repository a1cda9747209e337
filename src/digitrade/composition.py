"""The composition root: the only place that names every enabled system.

Adding a system: import its ``module`` here, append it to ``SYSTEMS``, and add it to the
import-linter contracts in pyproject.toml.
"""

from __future__ import annotations

from digitrade.core.auth.permissions import register_permissions
from digitrade.core.ledger.kinds import register_kinds
from digitrade.core.registry import SystemModule
from digitrade.systems import aircargo, dataflow, documents, ecommerce, einvoice, statistics

SYSTEMS: tuple[SystemModule, ...] = (
    aircargo.module,
    dataflow.module,
    documents.module,
    einvoice.module,
    ecommerce.module,
    statistics.module,
)

# Permissions and ledger kinds are known wherever the systems are: web app, CLI, demo, tests.
for _system in SYSTEMS:
    register_permissions(_system.permissions)
    register_kinds(_system.ledger_kinds)
