"""The ``digitrade`` command: serve, db, orgs, users, keys, audit, demo; one group per system."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from digitrade import __version__
from digitrade.core import audit
from digitrade.core.auth import service
from digitrade.core.auth.permissions import OrganisationKind, Role
from digitrade.core.auth.principal import Principal
from digitrade.core.auth.schemas import ApiKeyCreate, OrganisationCreate, UserCreate
from digitrade.core.cli_support import (
    FormatOption,
    OutputFormat,
    db_session,
    emit,
    fail,
    handle_errors,
)
from digitrade.core.config import LOOPBACK_HOSTS, get_settings
from digitrade.core.ledger import cli as ledger_cli
from digitrade.core.ledger import service as ledger_service

app = typer.Typer(
    name="digitrade",
    help="digitrade: the digital service trade platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
orgs_app = typer.Typer(help="Organisations.", no_args_is_help=True)
users_app = typer.Typer(help="Users.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys.", no_args_is_help=True)
audit_app = typer.Typer(help="Audit trail.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)
app.add_typer(ledger_cli.app, name="ledger")
for group, name in (
    (db_app, "db"),
    (orgs_app, "orgs"),
    (users_app, "users"),
    (keys_app, "keys"),
    (audit_app, "audit"),
    (demo_app, "demo"),
):
    app.add_typer(group, name=name)

CLI_ACTOR = Principal.system("cli")


def _register_system_commands() -> None:
    from digitrade.composition import SYSTEMS

    for system in SYSTEMS:
        if system.cli is not None:
            app.add_typer(system.cli, name=system.cli_name or system.name)


_register_system_commands()


@app.command()
def version(output: OutputFormat = FormatOption) -> None:
    """Show the version."""
    emit({"version": __version__}, output)


class HttpImplementation(StrEnum):
    AUTO = "auto"
    H11 = "h11"
    HTTPTOOLS = "httptools"


@app.command()
@handle_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default from settings)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings)")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes")] = None,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development)")] = False,
    http: Annotated[
        HttpImplementation,
        typer.Option(
            help="HTTP/1.1 implementation: httptools (fast) sends header names in lower case; "
            "h11 keeps their case (Type, Latest-Revision) for clients that compare names "
            "case-sensitively"
        ),
    ] = HttpImplementation.AUTO,
) -> None:
    """Serve the web UI and API with uvicorn."""
    import uvicorn

    settings = get_settings()
    bind = host or settings.host
    demo_secrets = settings.demo_secrets_in_use()
    if demo_secrets and bind not in LOOPBACK_HOSTS:
        raise fail(
            f"refusing to serve on {bind} with the published demo value of "
            f"{' and '.join(demo_secrets)}; set long random values first"
        )
    if demo_secrets:
        typer.echo(f"warning: {', '.join(demo_secrets)} still at the demo value", err=True)
    uvicorn.run(
        "digitrade.app:app_from_environment",
        factory=True,
        host=bind,
        port=port or settings.port,
        workers=workers or settings.workers,
        reload=reload,
        http=http.value,
        log_config=None,
        access_log=False,
        proxy_headers=False,
    )


# --- db ----------------------------------------------------------------------------------------


@db_app.command("upgrade")
@handle_errors
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
    output: OutputFormat = FormatOption,
) -> None:
    """Create or migrate the database schema."""
    from digitrade.core.db import make_engine
    from digitrade.core.migrations import current_revision, upgrade

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine, revision)
        with engine.connect() as connection:
            now = current_revision(connection)
    finally:
        engine.dispose()
    if revision == "head":
        with db_session() as session:
            # Every instance has a platform log from the start, for any system to anchor in.
            ledger_service.ensure_log(
                session,
                name=ledger_service.DEFAULT_LOG,
                kek=settings.key_encryption_key.get_secret_value(),
                origin_prefix=settings.ledger_origin_prefix,
                description="Evidence of every system of this platform",
            )
    emit({"database": engine.url.render_as_string(hide_password=True), "revision": now}, output)


@db_app.command("current")
@handle_errors
def db_current(output: OutputFormat = FormatOption) -> None:
    """Show the schema revision of the database and of the code."""
    from digitrade.core.migrations import current_revision, head_revision

    with db_session() as session:
        current = current_revision(session.connection())
    emit(
        {"database": current, "code": head_revision(), "up_to_date": current == head_revision()},
        output,
    )


# --- organisations -----------------------------------------------------------------------------


@orgs_app.command("create")
@handle_errors
def orgs_create(
    slug: Annotated[str, typer.Argument(help="URL-safe identifier, e.g. cosco-lines")],
    name: Annotated[str, typer.Option(help="Name in English")],
    kind: Annotated[OrganisationKind, typer.Option(help="What the organisation is")],
    name_zh: Annotated[str | None, typer.Option(help="Name in Chinese")] = None,
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2")] = "CN",
    uscc: Annotated[str | None, typer.Option(help="Unified social credit code")] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Create an organisation."""
    with db_session() as session:
        org = service.create_organisation(
            session,
            actor=CLI_ACTOR,
            data=OrganisationCreate(
                slug=slug,
                name=name,
                name_zh=name_zh,
                kind=kind,
                country=country,
                unified_social_credit_code=uscc,
            ),
        )
    emit(org, output)


@orgs_app.command("list")
@handle_errors
def orgs_list(output: OutputFormat = FormatOption) -> None:
    """List organisations."""
    with db_session() as session:
        page = service.list_organisations(session, actor=CLI_ACTOR, limit=200)
    emit(page.items, output, columns=["id", "slug", "name", "kind", "country"])


# --- users -------------------------------------------------------------------------------------


@users_app.command("create")
@handle_errors
def users_create(
    email: Annotated[str, typer.Argument()],
    display_name: Annotated[str, typer.Option("--name", help="Display name")],
    organisation: Annotated[str | None, typer.Option("--org", help="Organisation slug")] = None,
    role: Annotated[Role | None, typer.Option(help="Role in that organisation")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Platform administrator")] = False,
    password: Annotated[
        str | None,
        typer.Option(help="Password (else DIGITRADE_NEW_PASSWORD or a prompt)", show_default=False),
    ] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Create a user, optionally as a member of an organisation."""
    password = password or os.environ.get("DIGITRADE_NEW_PASSWORD")
    if not password:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with db_session() as session:
        org_id = service.organisation_id_for_slug(session, organisation) if organisation else None
        user = service.create_user(
            session,
            actor=CLI_ACTOR,
            data=UserCreate(
                email=email,
                display_name=display_name,
                password=password,
                organisation_id=org_id,
                role=role if org_id else None,
                is_platform_admin=admin,
            ),
        )
    emit(user, output)


@users_app.command("list")
@handle_errors
def users_list(
    organisation: Annotated[str | None, typer.Option("--org", help="Organisation slug")] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """List users."""
    with db_session() as session:
        org_id = service.organisation_id_for_slug(session, organisation) if organisation else None
        page = service.list_users(session, actor=CLI_ACTOR, organisation_id=org_id, limit=200)
    emit(page.items, output, columns=["id", "email", "display_name", "is_platform_admin"])


# --- API keys ----------------------------------------------------------------------------------


@keys_app.command("create")
@handle_errors
def keys_create(
    organisation: Annotated[str, typer.Option("--org", help="Organisation slug")],
    name: Annotated[str, typer.Option(help="What the key is for")],
    role: Annotated[Role, typer.Option(help="Role the key acts with")] = Role.VIEWER,
    days: Annotated[int | None, typer.Option(help="Days until it expires")] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Create an API key. The secret is printed once and never again."""
    with db_session() as session:
        org_id = service.organisation_id_for_slug(session, organisation)
        issued = service.create_api_key(
            session,
            actor=CLI_ACTOR,
            data=ApiKeyCreate(organisation_id=org_id, name=name, role=role, expires_in_days=days),
            default_days=get_settings().api_key_default_days,
        )
    emit(issued, output, columns=["id", "prefix", "name", "role", "expires_at", "token"])


@keys_app.command("list")
@handle_errors
def keys_list(
    organisation: Annotated[str, typer.Option("--org", help="Organisation slug")],
    output: OutputFormat = FormatOption,
) -> None:
    """List an organisation's API keys (never their secrets)."""
    with db_session() as session:
        org_id = service.organisation_id_for_slug(session, organisation)
        page = service.list_api_keys(session, actor=CLI_ACTOR, organisation_id=org_id, limit=200)
    emit(page.items, output, columns=["id", "prefix", "name", "role", "expires_at", "revoked_at"])


@keys_app.command("revoke")
@handle_errors
def keys_revoke(
    key: Annotated[str, typer.Argument(help="Key id or prefix")],
    output: OutputFormat = FormatOption,
) -> None:
    """Revoke an API key at once."""
    with db_session() as session:
        revoked = service.revoke_api_key(session, actor=CLI_ACTOR, key=key)
    emit(revoked, output, columns=["id", "prefix", "name", "revoked_at"])


# --- audit -------------------------------------------------------------------------------------


@audit_app.command("list")
@handle_errors
def audit_list(
    organisation: Annotated[str | None, typer.Option("--org", help="Organisation slug")] = None,
    action: Annotated[str | None, typer.Option(help="Only this action")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    output: OutputFormat = FormatOption,
) -> None:
    """Show the newest audit entries."""
    with db_session() as session:
        org_id = service.organisation_id_for_slug(session, organisation) if organisation else None
        page = audit.list_events(
            session, actor=CLI_ACTOR, organisation_id=org_id, action=action, limit=limit
        )
    emit(
        page.items,
        output,
        columns=[
            "id",
            "occurred_at",
            "actor",
            "action",
            "entity_type",
            "entity_id",
            "organisation_id",
        ],
    )


# --- demo --------------------------------------------------------------------------------------


@demo_app.command("load")
@handle_errors
def demo_load(
    password: Annotated[
        str | None, typer.Option(help="Password of the demo users (else DIGITRADE_DEMO_PASSWORD)")
    ] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Load illustrative demo data once; running it again changes nothing."""
    from digitrade.composition import SYSTEMS
    from digitrade.demo import DEMO_ADMIN_EMAIL, load_demo

    password = password or os.environ.get("DIGITRADE_DEMO_PASSWORD") or "digitrade-demo-2029"
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        console=_progress_console(output),
        transient=True,
    ) as progress:
        task = progress.add_task("loading demo data", total=None)
        with db_session() as session:
            result = load_demo(
                session,
                password=password,
                systems=SYSTEMS,
                progress=lambda step: progress.update(task, description=step),
            )
    emit(
        {
            "loaded": result.loaded,
            "message": result.message,
            "steps": result.steps,
            "admin": DEMO_ADMIN_EMAIL,
            "password": password if result.loaded else None,
        },
        output,
    )


def _progress_console(output: OutputFormat) -> Console:
    # With --format json the progress goes to stderr so stdout stays pure JSON.
    return Console(stderr=True, quiet=output is OutputFormat.JSON)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        raise fail("interrupted", 130) from None
