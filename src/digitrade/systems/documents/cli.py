"""``digitrade documents``: verify any document file; issue, transfer, endorse, surrender, void,
revoke; keys and presentations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from digitrade.core.auth.models import Organisation
from digitrade.core.auth.principal import Principal
from digitrade.core.cli_support import (
    FormatOption,
    OutputFormat,
    db_session,
    emit,
    fail,
    handle_errors,
)
from digitrade.systems.documents import pint_cli, pint_service, service
from digitrade.systems.documents.schemas import IssueRequest

app = typer.Typer(
    help="Verifiable trade documents and electronic bills of lading.", no_args_is_help=True
)
app.add_typer(pint_cli.app, name="pint")
CLI_ACTOR = Principal.system("cli")
DOCUMENT_COLUMNS = ["id", "kind", "reference", "issuer", "status", "holder", "title_status"]


def _read(path: str, limit: int = service.MAX_VERIFY_BYTES) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise fail(f"{path}: no such file")
    if file.stat().st_size > limit:
        raise fail(f"{path}: larger than {limit:,} bytes")
    return file.read_bytes()


def _json(path: str) -> Any:
    try:
        return json.loads(_read(path).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"{path}: not JSON ({exc})") from None


def _org(session: Session, slug: str) -> int:
    found = session.scalar(select(Organisation.id).where(Organisation.slug == slug))
    if found is None:
        raise fail(f"no organisation {slug!r}")
    return found


@app.command("verify")
@handle_errors
def verify(
    path: str = typer.Argument(
        ..., help="a W3C VC, an OpenAttestation document or a PINT envelope"
    ),
    output: OutputFormat = FormatOption,
) -> None:
    """Verify a document file offline against this platform; exit 1 unless verified."""
    data = _read(path)
    with db_session() as session:
        report = service.verify_file(
            session, data, envelope_keys=pint_service.trusted_key_resolver(session)
        )
    if output is OutputFormat.JSON:
        emit(
            {
                "verified": report.verified,
                "format": report.format,
                "checks": [
                    {
                        "name": c.name,
                        "passed": c.passed,
                        "reason": c.reason,
                        "reason_zh": c.reason_zh,
                    }
                    for c in report.checks
                ],
            },
            output,
        )
    else:
        emit(
            [c.model_dump(include={"name", "passed", "reason"}) for c in report.checks],
            output,
            title=f"{'VERIFIED' if report.verified else 'NOT VERIFIED'} ({report.format})",
        )
    if not report.verified:
        raise typer.Exit(1)


@app.command("issue")
@handle_errors
def issue(
    kind: str = typer.Option(
        ...,
        help="transport-document, documentary-credit, crew-certificate or certificate-of-origin",
    ),
    subject: str = typer.Option(..., help="JSON file with the credential subject"),
    issuer: str = typer.Option(..., "--issuer", help="issuing organisation (slug)"),
    holder: str = typer.Option("", "--to", help="for an eBL: the issue-to organisation (slug)"),
    out: str = typer.Option("", help="write the signed credential to this file"),
    output: OutputFormat = FormatOption,
) -> None:
    """Issue a document as a signed credential anchored in the ledger."""
    body = _json(subject)
    with db_session() as session:
        request = IssueRequest.model_validate(
            {
                "kind": kind,
                "subject": body,
                "holder_organisation_id": _org(session, holder) if holder else None,
            }
        )
        detail = service.issue(
            session, actor=CLI_ACTOR, organisation_id=_org(session, issuer), request=request
        )
    if out:
        Path(out).write_text(json.dumps(detail.credential, ensure_ascii=False, indent=2) + "\n")
    emit(detail.model_dump(exclude={"credential", "title_events"}), output)


@app.command("issue-batch")
@handle_errors
def issue_batch(
    path: str = typer.Argument(
        ..., help='JSON array of {"kind", "subject", "to": issue-to organisation slug (eBL)}'
    ),
    issuer: str = typer.Option(..., "--issuer", help="issuing organisation (slug)"),
    output: OutputFormat = FormatOption,
) -> None:
    """Issue many documents in one transaction, all or nothing."""
    items = _json(path)
    if not isinstance(items, list):
        raise fail(f"{path}: must be a JSON array of documents")
    with db_session() as session:
        requests = [
            IssueRequest.model_validate(
                {
                    "kind": item.get("kind") if isinstance(item, dict) else None,
                    "subject": item.get("subject") if isinstance(item, dict) else None,
                    "holder_organisation_id": _org(session, item["to"])
                    if isinstance(item, dict) and item.get("to")
                    else None,
                }
            )
            for item in items
        ]
        issued = service.issue_batch(
            session, actor=CLI_ACTOR, organisation_id=_org(session, issuer), requests=requests
        )
    emit(issued, output, columns=DOCUMENT_COLUMNS)


@app.command("list")
@handle_errors
def list_documents(
    organisation: str = typer.Option(..., "--org", help="organisation (slug)"),
    role: str = typer.Option("held", help="held (its wallet) or issued"),
    output: OutputFormat = FormatOption,
) -> None:
    """The documents an organisation holds or issued."""
    with db_session() as session:
        rows = service.list_documents(
            session, actor=CLI_ACTOR, organisation_id=_org(session, organisation), role=role
        )
    emit(rows, output, columns=DOCUMENT_COLUMNS)


@app.command("show")
@handle_errors
def show(document_id: int, output: OutputFormat = FormatOption) -> None:
    """A document with its title history."""
    with db_session() as session:
        detail = service.get_document(session, actor=CLI_ACTOR, document_id=document_id)
    if output is OutputFormat.JSON:
        emit(detail, output)
        return
    emit(detail.model_dump(exclude={"credential", "title_events"}), output)
    emit(
        [
            e.model_dump(include={"sequence", "action", "actor", "recipient", "checksum"})
            for e in detail.title_events
        ],
        output,
        title="title",
    )


def _title(
    document_id: int,
    action: str,
    acting: str,
    recipient: str,
    expected: int | None,
    output: OutputFormat,
) -> None:
    with db_session() as session:
        detail = service.title_action(
            session,
            actor=CLI_ACTOR,
            document_id=document_id,
            action=action,
            acting_organisation_id=_org(session, acting),
            recipient_organisation_id=_org(session, recipient) if recipient else None,
            expected_sequence=expected,
        )
    emit(detail.model_dump(exclude={"credential", "title_events"}), output)


ACTING = typer.Option(..., "--as", help="the organisation acting (slug): the holder")
EXPECTED = typer.Option(None, "--expected-sequence", help="refuse if the eBL moved on")


@app.command("transfer")
@handle_errors
def transfer(
    document_id: int,
    to: str = typer.Option(..., "--to", help="the new holder (slug)"),
    acting: str = ACTING,
    expected: int | None = EXPECTED,
    output: OutputFormat = FormatOption,
) -> None:
    """Transfer possession (exclusive control) of an eBL."""
    _title(document_id, "TRANSFER", acting, to, expected, output)


@app.command("endorse")
@handle_errors
def endorse(
    document_id: int,
    to: str = typer.Option("", "--to", help="the endorsee (slug); empty with --blank"),
    acting: str = ACTING,
    blank: bool = typer.Option(False, "--blank", help="blank endorsement (bearer)"),
    to_order: bool = typer.Option(True, "--to-order/--plain", help="endorse to the order of"),
    expected: int | None = EXPECTED,
    output: OutputFormat = FormatOption,
) -> None:
    """Endorse a to-order eBL."""
    action = "BLANK_ENDORSE" if blank else ("ENDORSE_TO_ORDER" if to_order else "ENDORSE")
    if not blank and not to:
        raise fail("name the endorsee with --to, or use --blank")
    _title(document_id, action, acting, "" if blank else to, expected, output)


@app.command("surrender")
@handle_errors
def surrender(
    document_id: int,
    acting: str = ACTING,
    carrier: str = typer.Option(..., "--to", help="the issuing carrier (slug)"),
    amendment: bool = typer.Option(False, "--for-amendment", help="surrender for amendment"),
    expected: int | None = EXPECTED,
    output: OutputFormat = FormatOption,
) -> None:
    """Surrender an eBL to its carrier for delivery (or amendment)."""
    action = "SURRENDER_FOR_AMENDMENT" if amendment else "SURRENDER_FOR_DELIVERY"
    _title(document_id, action, acting, carrier, expected, output)


@app.command("accept-surrender")
@handle_errors
def accept_surrender(
    document_id: int, acting: str = ACTING, output: OutputFormat = FormatOption
) -> None:
    """The carrier accepts a pending surrender (final)."""
    _title(document_id, "SACC", acting, "", None, output)


@app.command("reject-surrender")
@handle_errors
def reject_surrender(
    document_id: int,
    acting: str = ACTING,
    back_to: str = typer.Option(..., "--to", help="the party that surrendered it (slug)"),
    output: OutputFormat = FormatOption,
) -> None:
    """The carrier rejects a pending surrender; possession returns to who surrendered it."""
    _title(document_id, "SREJ", acting, back_to, None, output)


@app.command("void")
@handle_errors
def void(document_id: int, output: OutputFormat = FormatOption) -> None:
    """The carrier voids an eBL (final)."""
    with db_session() as session:
        detail = service.void(session, actor=CLI_ACTOR, document_id=document_id)
    emit(detail.model_dump(exclude={"credential", "title_events"}), output)


@app.command("revoke")
@handle_errors
def revoke(document_id: int, output: OutputFormat = FormatOption) -> None:
    """Revoke a credential (final)."""
    with db_session() as session:
        detail = service.set_status(
            session, actor=CLI_ACTOR, document_id=document_id, purpose="revocation", value=True
        )
    emit(detail.model_dump(exclude={"credential", "title_events"}), output)


@app.command("suspend")
@handle_errors
def suspend(
    document_id: int,
    lift: bool = typer.Option(False, "--lift", help="reinstate a suspended credential"),
    output: OutputFormat = FormatOption,
) -> None:
    """Suspend a credential, or reinstate it with --lift."""
    with db_session() as session:
        detail = service.set_status(
            session, actor=CLI_ACTOR, document_id=document_id, purpose="suspension", value=not lift
        )
    emit(detail.model_dump(exclude={"credential", "title_events"}), output)


@app.command("rotate-key")
@handle_errors
def rotate_key(
    organisation: str = typer.Option(..., "--org"), output: OutputFormat = FormatOption
) -> None:
    """Retire an organisation's document key and start a new one (old documents still verify)."""
    with db_session() as session:
        keys = service.rotate_key(
            session, actor=CLI_ACTOR, organisation_id=_org(session, organisation)
        )
    emit(keys, output, columns=["fragment", "valid_from", "revoked_at", "verification_method"])


@app.command("did")
@handle_errors
def did(slug: str, output: OutputFormat = FormatOption) -> None:
    """An issuer's did:web document."""
    with db_session() as session:
        document = service.did_document(session, slug=slug)
    emit(
        document
        if output is OutputFormat.JSON
        else {"id": document["id"], "keys": len(document.get("verificationMethod", []))},
        output,
    )


@app.command("examine")
@handle_errors
def examine(
    path: str = typer.Argument(
        ..., help="JSON: credit (or credit_document_id), presentation_date, documents"
    ),
    output: OutputFormat = FormatOption,
) -> None:
    """Examine a presentation against a documentary credit; exit 1 when discrepant."""
    body = _json(path)
    if not isinstance(body, dict):
        raise fail(f"{path}: must be a JSON object")
    with db_session() as session:
        result = service.examine(session, actor=CLI_ACTOR, body=body)
    if output is OutputFormat.JSON:
        emit(result, output)
    else:
        emit(
            [
                {"code": d["code"], "article": d["article"], "message": d["message_en"]}
                for d in result["discrepancies"]
            ],
            output,
            title="COMPLYING" if result["complying"] else "DISCREPANT",
        )
    if not result["complying"]:
        raise typer.Exit(1)
