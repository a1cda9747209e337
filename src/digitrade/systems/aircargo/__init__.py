"""Air cargo information platform (plan item: data sharing and digital transformation in air
cargo; a public service platform for air cargo information across the logistics chain).

An IATA ONE Record server: ``onerecord_api`` serves the standard API at ``/onerecord`` (API 2.2.0
with cargo ontology 3.2 by default, 2.0.0 with 3.0.0 behind a setting); ``service`` holds its
rules; ``linkeddata`` and ``changes`` are the pure JSON-LD and change-request functions;
``vocabulary`` the ontologies; ``delivery`` sends notifications to subscribers with retries.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitrade.core.registry import SystemModule
from digitrade.systems.aircargo import api, cli, delivery, onerecord_api, pages
from digitrade.systems.aircargo.demo import load_demo
from digitrade.systems.aircargo.models import LogisticsObject, Notification
from digitrade.systems.aircargo.permissions import PERMISSIONS


def _status(session: Session) -> tuple[bool, str]:
    objects = session.scalar(select(func.count(LogisticsObject.id))) or 0
    dead = (
        session.scalar(select(func.count(Notification.id)).where(Notification.status == "dead"))
        or 0
    )
    return dead == 0, f"{objects} logistics objects; {dead} dead-lettered notifications"


module = SystemModule(
    name="aircargo",
    title="Air cargo data (IATA ONE Record)",
    title_zh="航空货运数据（IATA ONE Record）",
    summary="A ONE Record server: shipments, pieces and events as linked data, shared by "
    "subscription and delegation between the parties of the air cargo chain.",
    summary_zh="ONE Record 服务器：以关联数据发布运单、货物与事件，"
    "通过订阅与授权在航空货运链各方之间共享。",
    plan_item="Promote data sharing and digital transformation in air cargo; a public service "
    "platform for air cargo information across the whole logistics chain",
    api=api.router,
    pages=pages.router,
    cli=cli.app,
    permissions=PERMISSIONS,
    status=_status,
    demo=load_demo,
    docs_path="docs/systems/aircargo.md",
    standard_routers=(("/onerecord", onerecord_api.router),),
    worker=delivery.make_worker,
)
