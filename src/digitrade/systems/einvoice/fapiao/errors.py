"""Errors of the fapiao formats."""

from __future__ import annotations

from pydantic import ValidationError

from digitrade.core.errors import DomainError, FieldIssue


class FapiaoFormatError(DomainError):
    """The document cannot be read as a fully digitalised e-invoice (or our JSON of one)."""

    code = "einvoice.fapiao-format"
    status = 422
    title = "The document is not a readable fully digitalised e-invoice"


def format_error_from(exc: ValidationError, where: str) -> FapiaoFormatError:
    """One error listing every field the model refused."""
    fields = [
        FieldIssue(
            field=".".join(str(part) for part in error["loc"]) or where, message=error["msg"]
        )
        for error in exc.errors()
    ]
    summary = "; ".join(f"{issue.field}: {issue.message}" for issue in fields[:3])
    return FapiaoFormatError(f"{where} is not a valid fapiao: {summary}", fields=fields)
