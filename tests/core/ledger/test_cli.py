"""``digitrade ledger``: offline verification, audits with monitor state, a second instance as
witness."""

from __future__ import annotations

import json

import httpx
import pytest
import typer
from typer.testing import CliRunner

from digitrade.cli import app
from digitrade.core.config import get_settings
from digitrade.core.crypto.keys import load_private_key
from digitrade.core.ledger import cli as ledger_cli
from digitrade.core.ledger import mirror, service
from digitrade.core.ledger.checkpoint import format_checkpoint
from digitrade.core.ledger.note import Ed25519Signer, sign_note
from tests.conftest import TEST_KEK
from tests.core.ledger.conftest import KEK
from tests.support import throwaway_database


@pytest.fixture
def witness_instance(tmp_path, monkeypatch):
    """A second digitrade installation (its own database) acting as a witness."""
    with throwaway_database(tmp_path) as url:
        monkeypatch.setenv("DIGITRADE_DATABASE_URL", url)
        monkeypatch.setenv("DIGITRADE_KEY_ENCRYPTION_KEY", "witness kek")
        monkeypatch.setenv("DIGITRADE_WITNESS_NAME", "witness.example/w1")
        monkeypatch.setenv("COLUMNS", "200")
        get_settings.cache_clear()
        runner = CliRunner()
        assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
        yield runner
        get_settings.cache_clear()


def fill(db, log, n):
    service.append_many(
        db,
        [
            service.NewEntry("core.attestation", {"subject": f"BL-{i}", "statement": "issued"})
            for i in range(n)
        ],
        log=log,
    )
    checkpoint = service.publish_checkpoint(db, log=log, kek=KEK)
    db.commit()
    return checkpoint


def test_verify_offline(client, db, platform_log, tmp_path):
    checkpoint = fill(db, platform_log, 12)
    proof = client.get(f"/api/ledger/logs/{platform_log}/proofs/inclusion", params={"index": 5})
    entry = service.get_entry(db, log=platform_log, index=5)[0]
    (tmp_path / "proof.json").write_text(proof.text)
    (tmp_path / "checkpoint.txt").write_text(checkpoint.note)
    (tmp_path / "entry.json").write_bytes(entry.leaf_data)
    key = service.verifier_key(service.get_log(db, platform_log))
    runner = CliRunner()
    common = [
        "ledger",
        "verify",
        "--proof",
        str(tmp_path / "proof.json"),
        "--checkpoint",
        str(tmp_path / "checkpoint.txt"),
        "--key",
        key,
    ]
    ok = runner.invoke(app, [*common, "--entry", str(tmp_path / "entry.json"), "-f", "json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["ok"] is True
    (tmp_path / "entry.json").write_bytes(entry.leaf_data.replace(b"BL-5", b"BL-6"))
    forged = runner.invoke(app, [*common, "--entry", str(tmp_path / "entry.json")])
    assert forged.exit_code == 1
    assert "NOT VERIFIED" in forged.stdout
    other_key = runner.invoke(app, [*common[:-1], key.replace(key.split("+")[1], "00000000")])
    assert other_key.exit_code == 1


def test_audit_cli_keeps_monitor_state(client, db, platform_log, tmp_path, monkeypatch):
    fill(db, platform_log, 40)
    mirror.export(
        mirror.HttpLogSource(client, "http://testserver", platform_log), tmp_path / "mirror", 40
    )
    state = tmp_path / "monitor.json"
    runner = CliRunner()
    first = runner.invoke(
        app, ["ledger", "audit", str(tmp_path / "mirror"), "--state", str(state), "-f", "json"]
    )
    assert first.exit_code == 0, first.output
    remembered = json.loads(state.read_text())
    assert [s["size"] for s in remembered["seen"]] == [40]
    # A mirror whose entries were swapped for others fails, and the state is left as it was.
    bundle = tmp_path / "mirror/tile/entries/000.p/40"
    bundle.write_bytes(bundle.read_bytes().replace(b"BL-1", b"BL-9"))
    second = runner.invoke(
        app, ["ledger", "audit", str(tmp_path / "mirror"), "--state", str(state)]
    )
    assert second.exit_code == 1
    assert "NOT VERIFIED" in second.stdout
    assert json.loads(state.read_text()) == remembered
    missing = runner.invoke(app, ["ledger", "audit", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1
    assert missing.stderr.startswith("error: ")


def test_second_instance_witnesses_the_log(client, db, platform_log, witness_instance):
    runner = witness_instance
    log = service.get_log(db, platform_log)
    followed = runner.invoke(app, ["ledger", "witness", "follow", service.verifier_key(log)])
    assert followed.exit_code == 0, followed.output
    witness_key = json.loads(runner.invoke(app, ["ledger", "witness", "key", "-f", "json"]).stdout)
    service.add_witness(db, log=platform_log, verifier_key_text=witness_key["verifier_key"])
    fill(db, platform_log, 5)

    first = ledger_cli.cosign_remote(client, "http://testserver", platform_log)
    assert first == {"origin": log.origin, "old_size": 0, "size": 5, "cosigned": True}
    fill(db, platform_log, 7)
    second = ledger_cli.cosign_remote(client, "http://testserver", platform_log)
    assert (second["old_size"], second["size"]) == (5, 12)
    served = client.get(f"/api/ledger/logs/{platform_log}/checkpoint").text
    assert "\u2014 witness.example/w1 " in served
    assert served.startswith(f"{log.origin}\n12\n")


def test_witness_refuses_a_forked_log(client, db, platform_log, witness_instance):
    """After cosigning a tree of 5, the witness is shown another tree of 5: it refuses."""
    runner = witness_instance
    log = service.get_log(db, platform_log)
    runner.invoke(app, ["ledger", "witness", "follow", service.verifier_key(log)])
    witness_key = json.loads(runner.invoke(app, ["ledger", "witness", "key", "-f", "json"]).stdout)
    service.add_witness(db, log=platform_log, verifier_key_text=witness_key["verifier_key"])
    fill(db, platform_log, 5)
    ledger_cli.cosign_remote(client, "http://testserver", platform_log)

    # The operator signs a second, different tree of the same size with the log's own key.
    signer = Ed25519Signer(log.origin, load_private_key(log.signing_key, kek=TEST_KEK))
    forked = sign_note(format_checkpoint(log.origin, 5, b"\x07" * 32), [signer])
    fork_server = httpx.Client(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, text=forked))
    )
    with pytest.raises(typer.Exit):
        ledger_cli.cosign_remote(fork_server, "http://log.example", platform_log)
