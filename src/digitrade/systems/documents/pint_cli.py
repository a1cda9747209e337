"""``digitrade documents pint``: this platform's PINT key, its peer platforms, received eBLs.

Also runs on its own: ``python -m digitrade.systems.documents.pint_cli``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from digitrade.core.auth.principal import Principal
from digitrade.core.cli_support import (
    FormatOption,
    OutputFormat,
    db_session,
    emit,
    fail,
    handle_errors,
)
from digitrade.systems.documents import pint_service

app = typer.Typer(
    help="DCSA PINT 3.0: platform key, peer platforms, eBLs received.", no_args_is_help=True
)
CLI_ACTOR = Principal.system("cli")


@app.command("key")
@handle_errors
def key(
    jwks: Annotated[bool, typer.Option(help="The whole JWK Set a peer registers")] = False,
) -> None:
    """Print this platform's PINT public key (JWK), created on first use."""
    with db_session() as session:
        value = pint_service.platform_jwks(session) if jwks else pint_service.platform_jwk(session)
    typer.echo(json.dumps(value, indent=2))


@app.command("peer-add")
@handle_errors
def peer_add(
    code: Annotated[str, typer.Option(help="The peer's eblPlatform code")],
    url: Annotated[str, typer.Option(help="Base URL of its PINT API (before /v3/envelopes)")],
    keys: Annotated[
        Path, typer.Option(help="JSON file: its JWK, or its JWK Set (platform key first)")
    ],
    kid: Annotated[str | None, typer.Option(help="Key id, when the JWK has none")] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Register (or update) a peer platform and trust its keys."""
    try:
        value: Any = json.loads(keys.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"{keys}: not a JSON file ({exc})") from None
    listed = value.get("keys") if isinstance(value, dict) and "keys" in value else [value]
    if not isinstance(listed, list) or not listed or not isinstance(listed[0], dict):
        raise fail(f"{keys}: neither a JWK nor a JWK Set")
    try:
        data = pint_service.PeerRegistration(
            platform_code=code, base_url=url, public_key=listed[0], kid=kid, extra_keys=listed[1:]
        )
    except ValidationError as exc:
        raise fail(str(exc.errors()[0]["msg"])) from None
    with db_session() as session:
        peer = pint_service.register_peer(session, actor=CLI_ACTOR, data=data)
    emit(peer, output, columns=["platform_code", "base_url", "kid"])


@app.command("peers")
@handle_errors
def peers(output: OutputFormat = FormatOption) -> None:
    """List the registered peer platforms."""
    with db_session() as session:
        rows = pint_service.list_peers(session, actor=CLI_ACTOR)
    emit(rows, output, columns=["platform_code", "base_url", "kid"])


if __name__ == "__main__":
    app()
