"""The ledger service: named logs, appends inside the caller's transaction, batch integration,
proofs from stored subtree hashes, signed checkpoints and witness cosignatures.

Appending takes the next indexes from the log's counter in the caller's transaction: the change
and its evidence commit or roll back together, and committed indexes are gap-free. Integration
(hashing new leaves into the stored tree) runs later, in batches, in its own transaction; until
then an entry is *pending* and has no proof yet.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, select, update
from sqlalchemy.orm import Session

from digitrade.core import audit
from digitrade.core.auth.principal import Principal
from digitrade.core.crypto.jcs import (
    canonicalize,
    canonicalize_plain,
    is_plain_json,
    to_json_compatible,
)
from digitrade.core.crypto.keys import SigningKey, create_signing_key, load_private_key
from digitrade.core.db import bind_value, fetch_page, insert_rows, utcnow
from digitrade.core.errors import Conflict, NotFound, ValidationFailed, validation_error
from digitrade.core.ledger import merkle
from digitrade.core.ledger.checkpoint import (
    Checkpoint,
    CheckpointError,
    format_checkpoint,
    parse_checkpoint,
)
from digitrade.core.ledger.kinds import validate_payload
from digitrade.core.ledger.models import (
    LedgerCheckpoint,
    LedgerCosignature,
    LedgerEntry,
    LedgerLog,
    LedgerNode,
    LedgerTree,
    LedgerWitness,
    WitnessedLog,
)
from digitrade.core.ledger.note import (
    COSIGNATURE_V1,
    ED25519,
    CosignatureV1Signer,
    CosignatureV1Verifier,
    Ed25519Signer,
    Ed25519Verifier,
    NoteError,
    encode_verifier_key,
    open_note,
    parse_note,
    parse_verifier_key,
    sign_note,
)
from digitrade.core.ledger.verify import WitnessError, witness_verify

DEFAULT_LOG = "platform"
ENTRY_TABLE: Table = LedgerEntry.__table__  # type: ignore[assignment]
NODE_TABLE: Table = LedgerNode.__table__  # type: ignore[assignment]
ENTRY_COLUMNS = (
    "log_id",
    "index",
    "leaf_hash",
    "leaf_data",
    "kind",
    "kind_version",
    "submitter",
    "organisation_id",
    "created_at",
)
SIGNING_KEY_PURPOSE = "ledger-log"
MAX_LEAF_BYTES = 65535  # entry bundles (c2sp.org/tlog-tiles) prefix each leaf with a uint16 length


@dataclass(frozen=True)
class NewEntry:
    kind: str
    payload: Any = None  # JSON value, or None when only ``payload_digest`` is logged
    payload_digest: str | None = None  # "sha256:<hex>" of an external document
    kind_version: int = 1
    submitter: str = "system"
    organisation_id: int | None = None


@dataclass(slots=True)  # not frozen: cheaper to make by the hundred thousand
class Appended:
    log: str
    index: int
    leaf_hash: bytes


@dataclass(frozen=True)
class TreeHead:
    log: str
    size: int
    root_hash: bytes


# --- logs ----------------------------------------------------------------------------------


def origin_for(prefix: str, name: str) -> str:
    return f"{prefix.rstrip('/')}/{name}"


def create_log(
    session: Session, *, name: str, kek: str, origin_prefix: str, description: str = ""
) -> LedgerLog:
    if session.scalar(select(LedgerLog.id).where(LedgerLog.name == name)) is not None:
        raise Conflict(f"ledger log {name!r} exists")
    origin = origin_for(origin_prefix, name)
    key = create_signing_key(session, name=origin, purpose=SIGNING_KEY_PURPOSE, kek=kek)
    log = LedgerLog(name=name, origin=origin, description=description, signing_key_id=key.id)
    session.add(log)
    session.flush()
    session.add(LedgerTree(log_id=log.id, size=0, root_hash=merkle.EMPTY_ROOT))
    session.flush()
    return log


def ensure_log(
    session: Session, *, name: str, kek: str, origin_prefix: str, description: str = ""
) -> LedgerLog:
    existing = session.scalar(select(LedgerLog).where(LedgerLog.name == name))
    return existing or create_log(
        session, name=name, kek=kek, origin_prefix=origin_prefix, description=description
    )


def get_log(session: Session, name: str) -> LedgerLog:
    log = session.scalar(select(LedgerLog).where(LedgerLog.name == name))
    if log is None:
        raise NotFound(f"ledger log {name!r} does not exist")
    return log


def list_logs(session: Session) -> list[LedgerLog]:
    return list(session.scalars(select(LedgerLog).order_by(LedgerLog.name)))


def verifier_key(log: LedgerLog) -> str:
    return encode_verifier_key(log.origin, ED25519, _public_key(log))


def _public_key(log: LedgerLog) -> bytes:
    return log.signing_key.public_key


def log_verifier(log: LedgerLog) -> Ed25519Verifier:
    return Ed25519Verifier(log.origin, _public_key(log))


def tree_head(session: Session, log: LedgerLog) -> TreeHead:
    tree = session.get(LedgerTree, log.id)
    if tree is None:
        raise NotFound(f"ledger log {log.name!r} has no tree")
    return TreeHead(log.name, tree.size, tree.root_hash)


# --- appending -----------------------------------------------------------------------------


def envelope(entry: NewEntry, *, time: str, payload: Any) -> dict[str, Any]:
    """The logged object. Its RFC 8785 bytes are the Merkle leaf."""
    body: dict[str, Any] = {
        "kind": entry.kind,
        "kindVersion": entry.kind_version,
        "submitter": entry.submitter,
        "time": time,
    }
    if entry.organisation_id is not None:
        body["organisation"] = entry.organisation_id
    if payload is not None:
        body["payload"] = payload
    if entry.payload_digest is not None:
        body["payloadDigest"] = entry.payload_digest
    return body


def _checked_payload(entry: NewEntry) -> tuple[Any, bool]:
    """The entry's payload as JSON, validated against its kind (None if only a digest), and
    whether it is plain JSON (then the fast canonical encoder applies to the whole envelope)."""
    if (entry.payload is None) == (entry.payload_digest is None):
        raise validation_error("payload", "give a payload or a payload digest, not both or none")
    if entry.payload_digest is not None:
        digest = entry.payload_digest
        if not (digest.startswith("sha256:") and len(digest) == 71 and _is_hex(digest[7:])):
            raise validation_error("payload_digest", "must be sha256:<64 lowercase hex digits>")
        return None, True
    payload = entry.payload
    plain = is_plain_json(payload)
    if not plain:  # dates, decimals, floats, big integers, non-ASCII keys
        payload = to_json_compatible(payload)
        plain = is_plain_json(payload)
    validate_payload(entry.kind, entry.kind_version, payload)
    return payload, plain


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


def append(
    session: Session,
    *,
    kind: str,
    payload: Any = None,
    payload_digest: str | None = None,
    kind_version: int = 1,
    submitter: str = "system",
    organisation_id: int | None = None,
    log: str = DEFAULT_LOG,
) -> Appended:
    """Append one entry inside the caller's transaction (flushed, not committed)."""
    entry = NewEntry(kind, payload, payload_digest, kind_version, submitter, organisation_id)
    return append_many(session, [entry], log=log)[0]


def append_many(
    session: Session, entries: Sequence[NewEntry], *, log: str = DEFAULT_LOG
) -> list[Appended]:
    """Append entries with consecutive indexes, in one round trip for the counter and one
    batched insert for the rows."""
    if not entries:
        return []
    now = utcnow()
    stamp = now.isoformat().replace("+00:00", "Z")
    leaves: list[bytes] = []
    for entry in entries:
        payload, plain = _checked_payload(entry)
        body = envelope(entry, time=stamp, payload=payload)
        # Kind, submitter and time are strings: the envelope is plain JSON when the payload is,
        # and needs no second walk; otherwise (floats...) the full RFC 8785 encoder runs.
        leaf = canonicalize_plain(body) if plain else canonicalize(body)
        if len(leaf) > MAX_LEAF_BYTES:
            raise validation_error("payload", f"entry is larger than {MAX_LEAF_BYTES} bytes")
        leaves.append(leaf)
    # Reserving the indexes is the first statement: it takes the counter row's lock (the write
    # lock on SQLite) before anything is read, and holds it until the caller commits or rolls
    # back, which keeps committed indexes gap-free and unique under concurrent appenders.
    reserved = session.execute(
        update(LedgerLog)
        .where(LedgerLog.name == log)
        .values(next_index=LedgerLog.next_index + len(entries))
        .returning(LedgerLog.id, LedgerLog.next_index)
    ).one_or_none()
    if reserved is None:
        raise NotFound(f"ledger log {log!r} does not exist")
    log_id, end = reserved
    start = end - len(entries)
    sha256 = hashlib.sha256
    created_at = bind_value(session, ENTRY_TABLE.c.created_at, now)
    rows: list[tuple[Any, ...]] = []
    appended: list[Appended] = []
    for offset, (entry, leaf) in enumerate(zip(entries, leaves, strict=True)):
        leaf_hash = sha256(b"\x00" + leaf).digest()
        index = start + offset
        rows.append(
            (
                log_id,
                index,
                leaf_hash,
                leaf,
                entry.kind,
                entry.kind_version,
                entry.submitter,
                entry.organisation_id,
                created_at,
            )
        )
        appended.append(Appended(log, index, leaf_hash))
    insert_rows(session, ENTRY_TABLE, ENTRY_COLUMNS, rows)
    return appended


# --- integration ---------------------------------------------------------------------------


def _fetch_nodes(
    session: Session, log_id: int, ids: set[merkle.NodeId]
) -> dict[merkle.NodeId, bytes]:
    """Stored subtree hashes: leaves (level 0) from the entries, the rest from the nodes."""
    found: dict[merkle.NodeId, bytes] = {}
    leaves = sorted(index for level, index in ids if level == 0)
    inner = sorted(node for node in ids if node[0] > 0)
    for chunk in _chunks(leaves):
        rows = session.execute(
            select(LedgerEntry.index, LedgerEntry.leaf_hash).where(
                LedgerEntry.log_id == log_id, LedgerEntry.index.in_(chunk)
            )
        )
        found.update({(0, index): value for index, value in rows})
    for chunk in _chunks(inner):
        found.update(_node_lookup(session, log_id, chunk))
    missing = ids - found.keys()
    if missing:
        raise RuntimeError(f"ledger tree is missing nodes {sorted(missing)[:5]}")
    return found


def _node_lookup(
    session: Session, log_id: int, wanted: list[merkle.NodeId]
) -> dict[merkle.NodeId, bytes]:
    """One statement of primary-key lookups: the wanted (level, index) pairs as a VALUES list
    joined to the nodes (an OR of pairs or a row-value IN is planned as a scan on SQLite)."""
    connection = session.connection()
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    pairs = ", ".join(f"({marker}, {marker})" for _ in wanted)
    sql = (
        f"WITH wanted (level, position) AS (VALUES {pairs}) "  # noqa: S608 - markers only
        'SELECT n.level, n."index", n.hash FROM wanted JOIN core_ledger_node n '
        f'ON n.log_id = {marker} AND n.level = wanted.level AND n."index" = wanted.position'
    )
    parameters = (*(value for pair in wanted for value in pair), log_id)
    rows = connection.exec_driver_sql(sql, parameters)
    return {(level, index): bytes(value) for level, index, value in rows}


def _chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def integrate(session: Session, *, log: str = DEFAULT_LOG, batch_size: int = 100_000) -> TreeHead:
    """Hash committed, not yet integrated entries into the tree (at most ``batch_size``)."""
    # Claim the tree first, before any read: one integrator at a time, and on SQLite the write
    # lock is taken (with the busy timeout) before the snapshot is fixed.
    claimed = session.execute(
        update(LedgerTree)
        .where(
            LedgerTree.log_id == select(LedgerLog.id).where(LedgerLog.name == log).scalar_subquery()
        )
        .values(integrated_at=utcnow())
    )
    log_row = get_log(session, log)
    if not claimed.rowcount:  # type: ignore[attr-defined]
        raise NotFound(f"ledger log {log!r} has no tree")
    tree = session.get(LedgerTree, log_row.id, populate_existing=True)
    assert tree is not None
    frontier_nodes = _fetch_nodes(session, log_row.id, set(merkle.root_plan(tree.size)))
    frontier = merkle.MerkleFrontier(
        tree.size, [frontier_nodes[node] for node in merkle.root_plan(tree.size)]
    )
    new_leaves = session.execute(
        select(LedgerEntry.index, LedgerEntry.leaf_hash)
        .where(LedgerEntry.log_id == log_row.id, LedgerEntry.index >= tree.size)
        .order_by(LedgerEntry.index)
        .limit(batch_size)
    ).all()
    nodes: list[tuple[int, int, int, bytes]] = []
    log_id = log_row.id
    for index, leaf_hash in new_leaves:
        if index != frontier.size:
            break  # a gap: an earlier index is not committed yet; integrate the rest next time
        completed = frontier.append(leaf_hash)
        # Level 0 (the leaf hashes) already sits in the entry rows.
        nodes.extend((log_id, level, at, value) for (level, at), value in completed[1:])
    if frontier.size != tree.size:
        insert_rows(session, NODE_TABLE, ("log_id", "level", "index", "hash"), nodes)
        tree.size = frontier.size
        tree.root_hash = frontier.root()
    session.flush()
    return TreeHead(log, tree.size, tree.root_hash)


# --- reading and proving -------------------------------------------------------------------


def _entry_at(session: Session, log_row: LedgerLog, index: int) -> LedgerEntry:
    entry = session.get(LedgerEntry, (log_row.id, index))
    if entry is None:
        raise NotFound(f"log {log_row.name!r} has no entry {index}")
    return entry


def get_entry(session: Session, *, log: str, index: int) -> tuple[LedgerEntry, bool]:
    """The entry and whether it is integrated (has a proof) yet."""
    log_row = get_log(session, log)
    entry = _entry_at(session, log_row, index)
    return entry, index < tree_head(session, log_row).size


def find_by_leaf_hash(session: Session, *, log: str, leaf_hash: bytes) -> list[LedgerEntry]:
    log_row = get_log(session, log)
    return list(
        session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.log_id == log_row.id, LedgerEntry.leaf_hash == leaf_hash)
            .order_by(LedgerEntry.index)
        )
    )


def _check_size(head: TreeHead, size: int | None) -> int:
    size = head.size if size is None else size
    if not 0 <= size <= head.size:
        raise validation_error("tree_size", f"must be between 0 and {head.size}, the tree size")
    return size


def _prove(session: Session, log_id: int, plan: merkle.ProofPlan) -> list[bytes]:
    nodes = _fetch_nodes(session, log_id, merkle.nodes_needed(plan))
    return merkle.proof_from_plan(plan, lambda level, index: nodes[level, index])


def root_at(session: Session, log_row: LedgerLog, size: int) -> bytes:
    plan = merkle.root_plan(size)
    if not plan:
        return merkle.EMPTY_ROOT
    nodes = _fetch_nodes(session, log_row.id, set(plan))
    return merkle.hash_of_parts(plan, lambda level, index: nodes[level, index])


@dataclass(frozen=True)
class InclusionProof:
    log: str
    index: int
    tree_size: int
    leaf_hash: bytes
    hashes: list[bytes]
    root_hash: bytes


def _log_state(session: Session, log: str) -> tuple[int, int, bytes]:
    """(log id, integrated size, root) in one light query: the hot path of every proof."""
    row = session.execute(
        select(LedgerLog.id, LedgerTree.size, LedgerTree.root_hash)
        .join(LedgerTree, LedgerTree.log_id == LedgerLog.id)
        .where(LedgerLog.name == log)
    ).one_or_none()
    if row is None:
        raise NotFound(f"ledger log {log!r} does not exist")
    return row[0], row[1], row[2]


def inclusion_proof(
    session: Session, *, log: str, index: int, tree_size: int | None = None
) -> InclusionProof:
    log_id, head_size, head_root = _log_state(session, log)
    size = _check_size(TreeHead(log, head_size, head_root), tree_size)
    if not 0 <= index < size:
        raise validation_error("index", f"entry {index} is not in the tree of size {size} (yet)")
    plan = merkle.inclusion_plan(index, size)
    wanted = merkle.nodes_needed(plan) | {(0, index)}
    if size != head_size:
        wanted |= set(merkle.root_plan(size))
    nodes = _fetch_nodes(session, log_id, wanted)
    reader = lambda level, position: nodes[level, position]  # noqa: E731
    root = head_root if size == head_size else merkle.hash_of_parts(merkle.root_plan(size), reader)
    return InclusionProof(
        log, index, size, nodes[0, index], merkle.proof_from_plan(plan, reader), root
    )


@dataclass(frozen=True)
class ConsistencyProof:
    log: str
    first: int
    second: int
    hashes: list[bytes]
    first_root: bytes
    second_root: bytes


def consistency_proof(
    session: Session, *, log: str, first: int, second: int | None = None
) -> ConsistencyProof:
    log_row = get_log(session, log)
    head = tree_head(session, log_row)
    second = _check_size(head, second)
    if not 0 < first <= second:
        raise validation_error("first", f"must be between 1 and {second}")
    plan = merkle.consistency_plan(first, second)
    return ConsistencyProof(
        log,
        first,
        second,
        _prove(session, log_row.id, plan),
        root_at(session, log_row, first),
        root_at(session, log_row, second),
    )


def entries_range(session: Session, *, log: str, start: int, end: int) -> list[LedgerEntry]:
    log_row = get_log(session, log)
    return list(
        session.scalars(
            select(LedgerEntry)
            .where(
                LedgerEntry.log_id == log_row.id,
                LedgerEntry.index >= start,
                LedgerEntry.index < end,
            )
            .order_by(LedgerEntry.index)
        )
    )


def search(
    session: Session,
    *,
    log: str,
    kind: str | None = None,
    submitter: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[LedgerEntry], int]:
    log_row = get_log(session, log)
    conditions = [LedgerEntry.log_id == log_row.id]
    if kind:
        conditions.append(LedgerEntry.kind == kind)
    if submitter:
        conditions.append(LedgerEntry.submitter == submitter)
    if since:
        conditions.append(LedgerEntry.created_at >= since)
    if until:
        conditions.append(LedgerEntry.created_at < until)
    query = select(LedgerEntry).where(and_(*conditions)).order_by(LedgerEntry.index.desc())
    return fetch_page(session, query, limit=limit, offset=offset)


# --- checkpoints and cosignatures ----------------------------------------------------------


def _signer(log_row: LedgerLog, kek: str) -> Ed25519Signer:
    return Ed25519Signer(log_row.origin, load_private_key(log_row.signing_key, kek=kek))


def publish_checkpoint(
    session: Session, *, log: str, kek: str, actor: Principal | None = None
) -> LedgerCheckpoint:
    """Integrate what is committed, then sign and store a checkpoint of the tree (once per size)."""
    integrate(session, log=log)
    log_row = get_log(session, log)
    head = tree_head(session, log_row)
    existing = session.scalar(
        select(LedgerCheckpoint).where(
            LedgerCheckpoint.log_id == log_row.id, LedgerCheckpoint.size == head.size
        )
    )
    if existing is not None:
        return existing
    text = format_checkpoint(log_row.origin, head.size, head.root_hash)

    checkpoint = LedgerCheckpoint(
        log_id=log_row.id,
        size=head.size,
        root_hash=head.root_hash,
        note=sign_note(text, [_signer(log_row, kek)]),
    )
    session.add(checkpoint)
    session.flush()
    audit.record(
        session,
        actor=actor or Principal.system("ledger"),
        action="core.ledger.checkpoint",
        entity_type="ledger_checkpoint",
        entity_id=f"{log}/{head.size}",
        organisation_id=None,
        after={"size": head.size, "root_hash": head.root_hash.hex()},
    )
    return checkpoint


def latest_checkpoint(session: Session, *, log: str) -> LedgerCheckpoint:
    log_row = get_log(session, log)
    checkpoint = session.scalar(
        select(LedgerCheckpoint)
        .where(LedgerCheckpoint.log_id == log_row.id)
        .order_by(LedgerCheckpoint.size.desc())
        .limit(1)
    )
    if checkpoint is None:
        raise NotFound(f"log {log!r} has published no checkpoint yet")
    return checkpoint


def checkpoint_with_cosignatures(session: Session, checkpoint: LedgerCheckpoint) -> str:
    """The signed note with every collected cosignature line appended."""
    lines = session.scalars(
        select(LedgerCosignature.signature_line)
        .where(LedgerCosignature.checkpoint_id == checkpoint.id)
        .order_by(LedgerCosignature.id)
    ).all()
    return checkpoint.note + "".join(lines)


def add_witness(session: Session, *, log: str, verifier_key_text: str) -> LedgerWitness:
    log_row = get_log(session, log)
    try:
        verifier = parse_verifier_key(verifier_key_text)
    except NoteError as exc:
        raise validation_error("verifier_key", str(exc)) from None
    if session.scalar(
        select(LedgerWitness.id).where(
            LedgerWitness.log_id == log_row.id, LedgerWitness.name == verifier.name
        )
    ):
        raise Conflict(f"witness {verifier.name!r} is already known to log {log!r}")
    witness = LedgerWitness(log_id=log_row.id, name=verifier.name, verifier_key=verifier_key_text)
    session.add(witness)
    session.flush()
    return witness


def add_cosignatures(session: Session, *, log: str, size: int, cosigned_note: str) -> int:
    """Store the cosignatures of known witnesses found on ``cosigned_note`` for checkpoint
    ``size``; returns how many were new. Unknown or invalid signatures are refused."""
    log_row = get_log(session, log)
    checkpoint = session.scalar(
        select(LedgerCheckpoint).where(
            LedgerCheckpoint.log_id == log_row.id, LedgerCheckpoint.size == size
        )
    )
    if checkpoint is None:
        raise NotFound(f"log {log!r} has no checkpoint of size {size}")
    witnesses = list(
        session.scalars(select(LedgerWitness).where(LedgerWitness.log_id == log_row.id))
    )
    verifiers = {w.name: _witness_verifier(w) for w in witnesses}
    try:
        parsed = parse_note(cosigned_note)
    except NoteError as exc:
        raise ValidationFailed(f"not a signed note: {exc}") from None
    if parsed.text != parse_note(checkpoint.note).text:
        raise validation_error("note", "the cosigned text is not this checkpoint")
    candidates = [s for s in parsed.unverified_signatures if s.name in verifiers]
    if not candidates:
        raise validation_error("note", "no signature from a witness this log knows")
    added = 0
    for signature in candidates:
        witness = next(w for w in witnesses if w.name == signature.name)
        try:
            open_note(parsed.text + "\n" + signature.line(), [verifiers[signature.name]])
        except NoteError as exc:
            raise validation_error("note", f"cosignature of {signature.name}: {exc}") from None
        exists = session.scalar(
            select(LedgerCosignature.id).where(
                LedgerCosignature.checkpoint_id == checkpoint.id,
                LedgerCosignature.witness_id == witness.id,
            )
        )
        if exists is None:
            session.add(
                LedgerCosignature(
                    checkpoint_id=checkpoint.id,
                    witness_id=witness.id,
                    signature_line=signature.line(),
                )
            )
            added += 1
    session.flush()
    return added


def _witness_verifier(witness: LedgerWitness) -> Ed25519Verifier:
    verifier = parse_verifier_key(witness.verifier_key)
    if not isinstance(verifier, CosignatureV1Verifier | Ed25519Verifier):
        raise ValueError("unsupported witness key")
    return verifier


def checkpoint_of(text: str) -> Checkpoint:
    return parse_checkpoint(parse_note(text).text)


def b64decode_hash(value: str, field: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except ValueError:
        raise validation_error(field, "not base64") from None
    if len(raw) != 32:
        raise validation_error(field, "must be a 32-byte SHA-256 hash")
    return raw


# --- this instance as a witness of other logs (c2sp.org/tlog-witness) ----------------------

WITNESS_KEY_PURPOSE = "witness"


def ensure_witness_key(session: Session, *, name: str, kek: str) -> SigningKey:
    existing = session.scalar(select(SigningKey).where(SigningKey.name == name))
    return existing or create_signing_key(session, name=name, purpose=WITNESS_KEY_PURPOSE, kek=kek)


def witness_verifier_key(session: Session, *, name: str, kek: str) -> str:
    key = ensure_witness_key(session, name=name, kek=kek)
    return encode_verifier_key(name, COSIGNATURE_V1, key.public_key)


def register_witnessed_log(session: Session, *, log_verifier_key: str) -> WitnessedLog:
    try:
        verifier = parse_verifier_key(log_verifier_key)
    except NoteError as exc:
        raise validation_error("log_verifier_key", str(exc)) from None
    if session.scalar(select(WitnessedLog.id).where(WitnessedLog.origin == verifier.name)):
        raise Conflict(f"this witness already follows {verifier.name!r}")
    row = WitnessedLog(origin=verifier.name, log_verifier_key=log_verifier_key, size=0)
    session.add(row)
    session.flush()
    return row


def witness_add_checkpoint(
    session: Session,
    *,
    checkpoint_note: str,
    old_size: int,
    proof: Sequence[bytes],
    witness_name: str,
    kek: str,
    timestamp: int,
) -> str:
    """Verify a log's new checkpoint against the last one cosigned, record it and return the
    cosignature line(s). Raises ``WitnessError`` with the protocol's status on refusal."""
    try:
        origin = parse_checkpoint(parse_note(checkpoint_note).text).origin
    except (NoteError, CheckpointError) as exc:
        raise WitnessError(f"not a checkpoint: {exc}", status=400) from None
    # Claim the row first: two concurrent submissions for one log are decided one after the other.
    claimed = session.execute(
        update(WitnessedLog).where(WitnessedLog.origin == origin).values(updated_at=utcnow())
    )
    state = session.scalar(select(WitnessedLog).where(WitnessedLog.origin == origin))
    if not claimed.rowcount or state is None:  # type: ignore[attr-defined]
        raise WitnessError(f"this witness does not follow log {origin!r}", status=404)
    checkpoint = witness_verify(
        log_verifier=parse_verifier_key(state.log_verifier_key),
        known_size=state.size,
        known_root=state.root_hash,
        old_size=old_size,
        proof=proof,
        checkpoint_note=checkpoint_note,
    )
    state.size, state.root_hash = checkpoint.tree_size, checkpoint.root_hash
    session.flush()
    key = ensure_witness_key(session, name=witness_name, kek=kek)
    signer = CosignatureV1Signer(witness_name, load_private_key(key, kek=kek), timestamp=timestamp)
    cosigned = sign_note(checkpoint.text(), [signer])
    return cosigned[cosigned.index("\n\n") + 2 :]


def witnessed_logs(session: Session) -> list[WitnessedLog]:
    return list(session.scalars(select(WitnessedLog).order_by(WitnessedLog.origin)))


def list_checkpoints(
    session: Session, *, log: str, limit: int = 100, offset: int = 0
) -> list[LedgerCheckpoint]:
    log_row = get_log(session, log)
    return list(
        session.scalars(
            select(LedgerCheckpoint)
            .where(LedgerCheckpoint.log_id == log_row.id)
            .order_by(LedgerCheckpoint.size)
            .limit(limit)
            .offset(offset)
        )
    )


def tile_hashes(
    session: Session, *, log_row: LedgerLog, level: int, start: int, count: int, tree_size: int
) -> list[bytes]:
    """Stored hashes of complete subtrees at ``level`` from index ``start``, within
    ``tree_size`` (the content of a c2sp.org/tlog-tiles hash tile)."""
    complete = tree_size >> level
    end = min(start + count, complete)
    if end <= start:
        return []
    if level == 0:
        return list(
            session.scalars(
                select(LedgerEntry.leaf_hash)
                .where(
                    LedgerEntry.log_id == log_row.id,
                    LedgerEntry.index >= start,
                    LedgerEntry.index < end,
                )
                .order_by(LedgerEntry.index)
            )
        )
    return list(
        session.scalars(
            select(LedgerNode.hash)
            .where(
                LedgerNode.log_id == log_row.id,
                LedgerNode.level == level,
                LedgerNode.index >= start,
                LedgerNode.index < end,
            )
            .order_by(LedgerNode.index)
        )
    )
