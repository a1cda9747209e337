"""Errors, state machines, domain events, canonical JSON, permissions, the login limiter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

import pytest

from digitrade.core.auth.permissions import (
    AUDIT_READ,
    KEY_MANAGE,
    ORG_CREATE,
    Role,
    register_permissions,
)
from digitrade.core.auth.principal import Principal, PrincipalKind
from digitrade.core.auth.ratelimit import SlidingWindowLimiter
from digitrade.core.crypto.jcs import canonicalize, digest_json
from digitrade.core.errors import (
    FieldIssue,
    InvalidTransition,
    RateLimited,
    ValidationFailed,
    validation_error,
)
from digitrade.core.events import DomainEvent, bus, publish
from digitrade.core.statemachine import check_transition, terminal_states


class Light(StrEnum):
    RED = "red"
    GREEN = "green"
    OFF = "off"


LIGHT = {
    Light.RED: frozenset({Light.GREEN, Light.OFF}),
    Light.GREEN: frozenset({Light.RED}),
    Light.OFF: frozenset(),
}


def test_state_machine_allows_declared_transitions_only():
    assert check_transition(LIGHT, Light.RED, Light.GREEN) is Light.GREEN
    with pytest.raises(InvalidTransition) as info:
        check_transition(LIGHT, Light.OFF, Light.RED)
    assert info.value.to_problem()["from"] == "off"
    assert "allowed: none" in info.value.detail
    assert terminal_states(LIGHT) == {Light.OFF}


def test_problem_shape():
    problem = validation_error("amount", "must be positive").to_problem(instance="/x")
    assert problem == {
        "type": "urn:digitrade:problem:validation-failed",
        "title": "Input is not valid",
        "status": 422,
        "detail": "amount: must be positive",
        "code": "validation-failed",
        "instance": "/x",
        "errors": [{"field": "amount", "message": "must be positive"}],
    }
    assert ValidationFailed("x", fields=[FieldIssue("a", "b")]).fields[0].field == "a"


def test_events_are_delivered_after_commit_only(db):
    seen: list[str] = []
    bus.subscribe("test.happened", lambda event: seen.append(event.payload["n"]))
    publish(db, DomainEvent("test.happened", {"n": "rolled back"}))
    db.rollback()
    publish(db, DomainEvent("test.happened", {"n": "committed"}))
    assert seen == []
    db.commit()
    assert seen == ["committed"]


def test_canonical_json_follows_rfc8785():
    assert canonicalize({"b": 1, "a": [True, None, "é"]}) == b'{"a":[true,null,"\xc3\xa9"],"b":1}'
    assert canonicalize({"n": 1.0, "m": 1e21}) == b'{"m":1e+21,"n":1}'
    # Money is never a float: Decimals become exact strings.
    assert canonicalize({"amount": Decimal("10.10")}) == b'{"amount":"10.10"}'
    moment = dt.datetime(2029, 1, 1, tzinfo=dt.UTC)
    assert digest_json({"t": moment}) == digest_json({"t": "2029-01-01T00:00:00+00:00"})


def test_permissions_by_role():
    owner = Principal(PrincipalKind.USER, "user:1", "o", roles={1: Role.OWNER}, user_id=1)
    viewer = Principal(PrincipalKind.USER, "user:2", "v", roles={1: Role.VIEWER}, user_id=2)
    assert owner.can(KEY_MANAGE, 1) and not owner.can(KEY_MANAGE, 2)
    assert not viewer.can(KEY_MANAGE, 1) and not viewer.can(AUDIT_READ, 1)
    assert not owner.can(ORG_CREATE)
    assert Principal.system().can(ORG_CREATE)
    assert not Principal.anonymous().can(AUDIT_READ, 1)
    with pytest.raises(KeyError):
        owner.can("core.typo")  # a misspelt permission never passes silently


def test_permission_registry_refuses_conflicts():
    register_permissions({"test.thing.do": frozenset({Role.EDITOR})})
    register_permissions({"test.thing.do": frozenset({Role.EDITOR})})
    with pytest.raises(ValueError, match="twice"):
        register_permissions({"test.thing.do": frozenset({Role.OWNER})})


def test_login_limiter_window():
    now = [0.0]
    limiter = SlidingWindowLimiter(max_failures=2, window_seconds=60, clock=lambda: now[0])
    limiter.check("k")
    limiter.record_failure("k")
    limiter.record_failure("k")
    with pytest.raises(RateLimited) as info:
        limiter.check("k")
    assert info.value.retry_after_seconds == 60
    limiter.check("other")
    now[0] = 60.0
    limiter.check("k")  # the window has passed
    limiter.record_failure("k")
    limiter.reset("k")
    limiter.check("k")
