"""Permissions of the services-trade monitor.

Published figures (series, progress, dashboards, bulletins) are public: they are aggregates the
commission publishes, already protected by disclosure control. Changing them needs
``statistics.manage`` in an agency organisation; enterprises file returns with
``statistics.report`` in their own organisation; agencies review them with ``statistics.review``.
"""

from __future__ import annotations

from collections.abc import Mapping

from digitrade.core.auth.permissions import Role

MANAGE = "statistics.manage"
REPORT = "statistics.report"
REVIEW = "statistics.review"

PERMISSIONS: Mapping[str, frozenset[Role]] = {
    MANAGE: frozenset({Role.OWNER, Role.EDITOR}),
    REPORT: frozenset({Role.OWNER, Role.EDITOR}),
    REVIEW: frozenset({Role.OWNER, Role.EDITOR}),
}
