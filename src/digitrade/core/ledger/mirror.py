"""Reading a log's published material from a server (``/api/ledger/logs/<log>/...``) or from a
mirror folder written by ``digitrade ledger export``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import httpx

from digitrade.core.ledger.checkpoint import CheckpointError
from digitrade.core.ledger.monitor import TreeHeadClaim, parse_entry_bundle, replay, tile_path
from digitrade.core.ledger.note import NoteError
from digitrade.core.ledger.verify import Check, Verification, open_log_checkpoint

TILE_WIDTH = 256
PAGE = 1000


class LogSource(Protocol):
    def info(self) -> dict[str, Any]: ...

    def checkpoints(self) -> list[dict[str, Any]]: ...

    def bundle(self, index: int, width: int) -> bytes: ...


class HttpLogSource:
    def __init__(self, client: httpx.Client, base_url: str, log: str) -> None:
        self.client = client
        self.base = f"{base_url.rstrip('/')}/api/ledger/logs/{log}"

    def _get(self, path: str, **params: int) -> httpx.Response:
        response = self.client.get(f"{self.base}{path}", params=params)
        if response.status_code != 200:
            raise LookupError(f"GET {response.request.url} answered {response.status_code}")
        return response

    def info(self) -> dict[str, Any]:
        value: dict[str, Any] = self._get("").json()
        return value

    def checkpoints(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while True:
            page = self._get("/checkpoints", limit=PAGE, offset=len(found)).json()
            found.extend(page)
            if len(page) < PAGE:
                return found

    def bundle(self, index: int, width: int) -> bytes:
        return self._get(f"/tile/entries/{tile_path(index, width)}").content


class DirectoryLogSource:
    """A mirror folder: ``log.json``, ``checkpoints.json`` and ``tile/entries/...`` bundles."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _read(self, relative: str) -> bytes:
        target = self.folder / relative
        if not target.is_file():
            raise LookupError(f"the mirror {self.folder} has no {relative}")
        return target.read_bytes()

    def info(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self._read("log.json"))
        return value

    def checkpoints(self) -> list[dict[str, Any]]:
        value: list[dict[str, Any]] = json.loads(self._read("checkpoints.json"))
        return value

    def bundle(self, index: int, width: int) -> bytes:
        return self._read(f"tile/entries/{tile_path(index, width)}")


def bundles(size: int) -> Iterator[tuple[int, int]]:
    """(index, width) of the entry bundles covering the first ``size`` entries."""
    for index in range((size + TILE_WIDTH - 1) // TILE_WIDTH):
        yield index, min(TILE_WIDTH, size - index * TILE_WIDTH)


def entries(source: LogSource, size: int) -> Iterator[bytes]:
    """Every entry of the first ``size``, bundle by bundle."""
    for index, width in bundles(size):
        bundle = parse_entry_bundle(source.bundle(index, width))
        if len(bundle) != width:
            raise ValueError(f"entry bundle {index} holds {len(bundle)} entries, not {width}")
        yield from bundle


def export(source: LogSource, folder: Path, size: int) -> int:
    """Write a mirror of the first ``size`` entries and every checkpoint; returns bundles."""
    (folder / "tile" / "entries").mkdir(parents=True, exist_ok=True)
    (folder / "log.json").write_text(json.dumps(source.info(), indent=2), encoding="utf-8")
    (folder / "checkpoints.json").write_text(
        json.dumps(source.checkpoints(), indent=2, default=str), encoding="utf-8"
    )
    written = 0
    for index, width in bundles(size):
        target = folder / "tile" / "entries" / tile_path(index, width)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.bundle(index, width))
        written += 1
    return written


def audit(
    source: LogSource,
    *,
    log_key: str | None,
    seen: list[TreeHeadClaim],
    progress: Callable[[int, int], None] = lambda _done, _total: None,
) -> tuple[Verification, list[TreeHeadClaim], str]:
    """Check every published checkpoint's signature, replay every entry up to the latest one,
    and test each checkpoint, and each one seen on earlier runs, against the rebuilt tree.

    Returns the verdict, the claims to remember for the next run, and the key that was used.
    """
    info = source.info()
    key = log_key or str(info["verifier_key"])
    checks: list[Check] = []
    if log_key is None:
        checks.append(Check("log key", True, "taken from the source (pin it with --key)"))
    elif log_key != info.get("verifier_key"):
        checks.append(Check("log key", False, "the source publishes a different log key"))
    claims: list[TreeHeadClaim] = []
    for published in source.checkpoints():
        try:
            checkpoint = open_log_checkpoint(str(published["note"]), key)
        except (NoteError, CheckpointError) as exc:
            checks.append(Check(f"checkpoint {published.get('size')}", False, str(exc)))
            continue
        claims.append(TreeHeadClaim(checkpoint.tree_size, checkpoint.root_hash, "checkpoint"))
    latest = max((claim.size for claim in claims), default=0)
    total = latest
    counted = _counting(entries(source, latest), total, progress)
    replayed = replay(counted, [*claims, *seen])
    verdict = Verification([*checks, *replayed.checks])
    remembered = {(c.size, c.root_hash): c for c in [*seen, *claims]}
    new_seen = [
        TreeHeadClaim(size, root, "seen on an earlier run") for size, root in sorted(remembered)
    ]
    return verdict, new_seen, key


def _counting(
    leaves: Iterator[bytes], total: int, progress: Callable[[int, int], None]
) -> Iterator[bytes]:
    for done, leaf in enumerate(leaves, start=1):
        if done % TILE_WIDTH == 0 or done == total:
            progress(done, total)
        yield leaf
