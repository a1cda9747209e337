"""``digitrade ledger``: run logs, verify proofs offline, audit mirrors, act as a witness."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from digitrade.core.cli_support import (
    FormatOption,
    OutputFormat,
    db_session,
    emit,
    error_console,
    fail,
    handle_errors,
)
from digitrade.core.config import get_settings
from digitrade.core.ledger import mirror, service
from digitrade.core.ledger.monitor import TreeHeadClaim
from digitrade.core.ledger.note import parse_note
from digitrade.core.ledger.schemas import b64
from digitrade.core.ledger.verify import (
    Verification,
    WitnessError,
    decode_hash,
    verify_inclusion_offline,
)

app = typer.Typer(help="The verifiable ledger (RFC 9162 transparency logs).", no_args_is_help=True)
witness_app = typer.Typer(help="Act as a witness of other logs.", no_args_is_help=True)
app.add_typer(witness_app, name="witness")

LogOption = Annotated[str, typer.Option("--log", "-l", help="Log name")]


def _kek() -> str:
    return get_settings().key_encryption_key.get_secret_value()


def _log_summary(session: Any, log: Any) -> dict[str, Any]:
    head = service.tree_head(session, log)
    return {
        "name": log.name,
        "origin": log.origin,
        "size": head.size,
        "pending": log.next_index - head.size,
        "root_hash": b64(head.root_hash),
        "verifier_key": service.verifier_key(log),
    }


@app.command("logs")
@handle_errors
def logs(output: OutputFormat = FormatOption) -> None:
    """List the logs with their size and public key."""
    with db_session() as session:
        rows = [_log_summary(session, log) for log in service.list_logs(session)]
    emit(rows, output, columns=["name", "size", "pending", "root_hash", "verifier_key"])


@app.command("create")
@handle_errors
def create(
    name: Annotated[str, typer.Argument(help="Short name, e.g. documents")],
    description: Annotated[str, typer.Option(help="What the log holds")] = "",
    output: OutputFormat = FormatOption,
) -> None:
    """Create a log with its own signing key."""
    settings = get_settings()
    with db_session() as session:
        log = service.create_log(
            session,
            name=name,
            kek=_kek(),
            origin_prefix=settings.ledger_origin_prefix,
            description=description,
        )
        summary = _log_summary(session, log)
    emit(summary, output)


@app.command("integrate")
@handle_errors
def integrate(log: LogOption = service.DEFAULT_LOG, output: OutputFormat = FormatOption) -> None:
    """Hash every committed entry into the tree now."""
    with db_session() as session:
        head = service.integrate(session, log=log, batch_size=1_000_000)
    emit({"log": head.log, "size": head.size, "root_hash": b64(head.root_hash)}, output)


@app.command("checkpoint")
@handle_errors
def checkpoint(log: LogOption = service.DEFAULT_LOG, output: OutputFormat = FormatOption) -> None:
    """Integrate, then sign and publish a checkpoint; prints the signed note."""
    with db_session() as session:
        row = service.publish_checkpoint(session, log=log, kek=_kek())
        note = service.checkpoint_with_cosignatures(session, row)
    if output is OutputFormat.JSON:
        emit({"log": log, "size": row.size, "root_hash": b64(row.root_hash), "note": note}, output)
    else:
        typer.echo(note, nl=False)


@app.command("append")
@handle_errors
def append(
    kind: Annotated[str, typer.Option(help="Entry kind, e.g. core.attestation")],
    payload: Annotated[str, typer.Option(help="JSON payload")],
    log: LogOption = service.DEFAULT_LOG,
    kind_version: Annotated[int, typer.Option(help="Kind version")] = 1,
    submitter: Annotated[str, typer.Option(help="Who submits")] = "system:cli",
    output: OutputFormat = FormatOption,
) -> None:
    """Append one entry (it gets a proof once integrated)."""
    try:
        value = json.loads(payload)
    except json.JSONDecodeError as exc:
        raise fail(f"--payload is not JSON: {exc.msg} at character {exc.pos}") from None
    with db_session() as session:
        appended = service.append(
            session,
            kind=kind,
            payload=value,
            kind_version=kind_version,
            submitter=submitter,
            log=log,
        )
    emit({"log": log, "index": appended.index, "leaf_hash": appended.leaf_hash.hex()}, output)


@app.command("proof")
@handle_errors
def proof(
    index: Annotated[int, typer.Argument(help="Entry index")],
    log: LogOption = service.DEFAULT_LOG,
    tree_size: Annotated[int | None, typer.Option(help="Tree size (default: latest)")] = None,
) -> None:
    """Print an entry's inclusion proof as JSON (the bundle `ledger verify` reads)."""
    with db_session() as session:
        result = service.inclusion_proof(session, log=log, index=index, tree_size=tree_size)
        entry, _ = service.get_entry(session, log=log, index=index)
    emit(
        {
            "log": log,
            "index": result.index,
            "tree_size": result.tree_size,
            "leaf_hash": result.leaf_hash.hex(),
            "hashes": [b64(h) for h in result.hashes],
            "root_hash": b64(result.root_hash),
            "entry": b64(entry.leaf_data),
        },
        OutputFormat.JSON,
    )


def _print_verification(result: Verification, output: OutputFormat) -> None:
    if output is OutputFormat.JSON:
        emit(result.as_dict(), output)
    else:
        for check in result.checks:
            mark = "ok  " if check.passed else "FAIL"
            typer.echo(f"{mark} {check.name}: {check.detail}")
        typer.echo("VERIFIED" if result.ok else "NOT VERIFIED")
    if not result.ok:
        raise typer.Exit(1)


@app.command("verify")
@handle_errors
def verify(
    proof_file: Annotated[
        Path,
        typer.Option(
            "--proof", exists=True, dir_okay=False, help="JSON from `ledger proof` or the API"
        ),
    ],
    checkpoint_file: Annotated[
        Path,
        typer.Option("--checkpoint", exists=True, dir_okay=False, help="Signed checkpoint note"),
    ],
    key: Annotated[str, typer.Option(help="Log verifier key (name+id+key) or @file")],
    entry_file: Annotated[
        Path | None, typer.Option("--entry", exists=True, dir_okay=False, help="The entry bytes")
    ] = None,
    leaf_hash: Annotated[str | None, typer.Option(help="Leaf hash (hex or base64)")] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Verify offline (no network, no database) that an entry is in a signed checkpoint."""
    bundle = json.loads(proof_file.read_text(encoding="utf-8"))
    key_text = Path(key[1:]).read_text(encoding="utf-8").strip() if key.startswith("@") else key
    leaf = entry_file.read_bytes() if entry_file else None
    if leaf is None and leaf_hash is None and "entry" in bundle:
        leaf = base64.b64decode(bundle["entry"])
    try:
        given_hash = decode_hash(leaf_hash) if leaf_hash else None
        hashes = [base64.b64decode(h, validate=True) for h in bundle["hashes"]]
        index, size = int(bundle["index"]), int(bundle["tree_size"])
    except (KeyError, ValueError) as exc:
        raise fail(f"the proof file is not an inclusion proof: {exc}") from None
    result = verify_inclusion_offline(
        leaf=leaf,
        leaf_hash=given_hash,
        index=index,
        tree_size=size,
        proof=hashes,
        checkpoint_note=checkpoint_file.read_text(encoding="utf-8"),
        log_key=key_text,
    )
    _print_verification(result, output)


def _source(location: str, log: str) -> mirror.LogSource:
    if location.startswith(("http://", "https://")):
        return mirror.HttpLogSource(httpx.Client(timeout=30), location, log)
    folder = Path(location)
    if not folder.is_dir():
        raise fail(f"{location} is neither a URL nor a mirror folder")
    return mirror.DirectoryLogSource(folder)


def _load_state(path: Path | None) -> tuple[str | None, list[TreeHeadClaim]]:
    if path is None or not path.exists():
        return None, []
    state = json.loads(path.read_text(encoding="utf-8"))
    return state.get("key"), [
        TreeHeadClaim(item["size"], bytes.fromhex(item["root_hash"]), "seen on an earlier run")
        for item in state.get("seen", [])
    ]


@app.command("audit")
@handle_errors
def audit(
    source: Annotated[str, typer.Argument(help="Server URL or mirror folder")],
    log: LogOption = service.DEFAULT_LOG,
    key: Annotated[str | None, typer.Option(help="Pinned log verifier key")] = None,
    state: Annotated[
        Path | None, typer.Option(help="Monitor state file, kept between runs")
    ] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Replay a whole log and check that every checkpoint it ever signed still holds."""
    pinned, seen = _load_state(state)
    with Progress(
        TextColumn("replaying entries"),
        BarColumn(),
        MofNCompleteColumn(),
        console=error_console,
        transient=True,
        disable=output is OutputFormat.JSON,
    ) as progress:
        task = progress.add_task("replay", total=None)
        try:
            result, remembered, used_key = mirror.audit(
                _source(source, log),
                log_key=key or pinned,
                seen=seen,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        except (LookupError, ValueError, httpx.HTTPError) as exc:
            raise fail(f"cannot read the log: {exc}") from None
    if state is not None and result.ok:
        state.write_text(
            json.dumps(
                {
                    "key": used_key,
                    "seen": [{"size": c.size, "root_hash": c.root_hash.hex()} for c in remembered],
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    _print_verification(result, output)


@app.command("export")
@handle_errors
def export(
    source: Annotated[str, typer.Argument(help="Server URL")],
    folder: Annotated[Path, typer.Argument(help="Mirror folder to write")],
    log: LogOption = service.DEFAULT_LOG,
    output: OutputFormat = FormatOption,
) -> None:
    """Mirror a log (entry bundles and checkpoints) into a folder for offline audits."""
    log_source = _source(source, log)
    size = max((int(c["size"]) for c in log_source.checkpoints()), default=0)
    written = mirror.export(log_source, folder, size)
    emit({"log": log, "size": size, "bundles": written, "folder": str(folder)}, output)


@app.command("add-witness")
@handle_errors
def add_witness(
    verifier_key: Annotated[str, typer.Argument(help="The witness's verifier key")],
    log: LogOption = service.DEFAULT_LOG,
    output: OutputFormat = FormatOption,
) -> None:
    """Accept cosignatures from a witness for this log."""
    with db_session() as session:
        witness = service.add_witness(session, log=log, verifier_key_text=verifier_key)
        summary = {"log": log, "witness": witness.name}
    emit(summary, output)


# --- witness ---------------------------------------------------------------------------------


@witness_app.command("key")
@handle_errors
def witness_key(output: OutputFormat = FormatOption) -> None:
    """Show this instance's witness verifier key (give it to the logs you witness)."""
    with db_session() as session:
        key = service.witness_verifier_key(session, name=get_settings().witness_name, kek=_kek())
    emit({"witness": get_settings().witness_name, "verifier_key": key}, output)


@witness_app.command("follow")
@handle_errors
def witness_follow(
    log_key: Annotated[str, typer.Argument(help="The log's verifier key")],
    output: OutputFormat = FormatOption,
) -> None:
    """Start witnessing a log (its checkpoints must then be consistent forever)."""
    with db_session() as session:
        row = service.register_witnessed_log(session, log_verifier_key=log_key)
        summary = {"origin": row.origin, "size": row.size}
    emit(summary, output)


@witness_app.command("cosign")
@handle_errors
def witness_cosign(
    url: Annotated[str, typer.Argument(help="Base URL of the digitrade instance running the log")],
    log: LogOption = service.DEFAULT_LOG,
    output: OutputFormat = FormatOption,
) -> None:
    """Fetch the log's latest checkpoint and a consistency proof from the size this witness last
    cosigned, verify both, cosign, and hand the cosignature back to the log."""
    with httpx.Client(timeout=30) as client:
        result = cosign_remote(client, url, log)
    emit(result, output)


def cosign_remote(client: httpx.Client, url: str, log: str) -> dict[str, Any]:
    base = f"{url.rstrip('/')}/api/ledger/logs/{log}"
    note = client.get(f"{base}/checkpoint")
    if note.status_code != 200:
        raise fail(f"cannot fetch the checkpoint: HTTP {note.status_code}")
    # Only the log's own signature is cosigned; other witnesses' lines are dropped.
    parsed = parse_note(note.text)
    origin = parsed.text.split("\n", 1)[0]
    log_signature = [s for s in parsed.unverified_signatures if s.name == origin]
    checkpoint_note = parsed.text + "\n" + "".join(s.line() for s in log_signature)
    new_size = int(parsed.text.split("\n")[1])
    settings = get_settings()
    with db_session() as session:
        state = next((w for w in service.witnessed_logs(session) if w.origin == origin), None)
        if state is None:
            raise fail(f"this witness does not follow {origin!r}; run `ledger witness follow`")
        old_size = state.size
    proof: list[bytes] = []
    if 0 < old_size < new_size:
        response = client.get(
            f"{base}/proofs/consistency", params={"first": old_size, "second": new_size}
        )
        if response.status_code != 200:
            raise fail(f"cannot fetch a consistency proof: HTTP {response.status_code}")
        proof = [base64.b64decode(h) for h in response.json()["hashes"]]
    with db_session() as session:
        try:
            lines = service.witness_add_checkpoint(
                session,
                checkpoint_note=checkpoint_note,
                old_size=old_size,
                proof=proof,
                witness_name=settings.witness_name,
                kek=_kek(),
                timestamp=int(time.time()),
            )
        except WitnessError as exc:
            raise fail(f"refused to cosign: {exc}") from None
    handed = client.post(
        f"{base}/cosignatures",
        params={"size": new_size},
        content=parsed.text + "\n" + lines,
        headers={"Content-Type": "text/plain"},
    )
    if handed.status_code != 200:
        raise fail(f"the log did not take the cosignature: HTTP {handed.status_code} {handed.text}")
    return {"origin": origin, "old_size": old_size, "size": new_size, "cosigned": True}
