"""Domain errors with stable codes, mapped to RFC 9457 problem details by the web layer.

Services raise these; the API turns them into ``application/problem+json``, the pages show the
message on the form, and the CLI prints one line and exits non-zero. The ``code`` of each class is
part of the public interface: clients match on ``type`` (``urn:digitrade:problem:<code>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

PROBLEM_TYPE_PREFIX = "urn:digitrade:problem:"


@dataclass(frozen=True)
class FieldIssue:
    """One offending input field: a dotted location and what is wrong with it."""

    field: str
    message: str


class DomainError(Exception):
    """Base of every error a user may see. ``status`` is the HTTP status it maps to."""

    code: ClassVar[str] = "domain-error"
    status: ClassVar[int] = 400
    title: ClassVar[str] = "Request could not be processed"

    def __init__(
        self,
        detail: str,
        *,
        fields: list[FieldIssue] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fields = fields or []
        self.extra = extra or {}

    @property
    def type_uri(self) -> str:
        return PROBLEM_TYPE_PREFIX + self.code

    def to_problem(self, *, instance: str | None = None) -> dict[str, Any]:
        """The RFC 9457 problem object (with ``code`` and ``errors`` extension members)."""
        problem: dict[str, Any] = {
            "type": self.type_uri,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }
        if instance:
            problem["instance"] = instance
        if self.fields:
            problem["errors"] = [{"field": f.field, "message": f.message} for f in self.fields]
        problem.update(self.extra)
        return problem


class ValidationFailed(DomainError):
    code = "validation-failed"
    status = 422
    title = "Input is not valid"


class NotFound(DomainError):
    code = "not-found"
    status = 404
    title = "Not found"


class Conflict(DomainError):
    code = "conflict"
    status = 409
    title = "Conflicts with the current state"


class AuthenticationRequired(DomainError):
    code = "authentication-required"
    status = 401
    title = "Authentication required"


class PermissionDenied(DomainError):
    code = "permission-denied"
    status = 403
    title = "Permission denied"


class RateLimited(DomainError):
    code = "rate-limited"
    status = 429
    title = "Too many attempts"

    def __init__(self, detail: str, *, retry_after_seconds: int) -> None:
        super().__init__(detail, extra={"retryAfter": retry_after_seconds})
        self.retry_after_seconds = retry_after_seconds


class InvalidTransition(Conflict):
    code = "invalid-transition"
    title = "Transition not allowed from the current state"


class ServiceUnavailable(DomainError):
    code = "service-unavailable"
    status = 503
    title = "Service unavailable"


def validation_error(field: str, message: str) -> ValidationFailed:
    """Shortcut for the common one-field validation failure."""
    return ValidationFailed(f"{field}: {message}", fields=[FieldIssue(field, message)])
