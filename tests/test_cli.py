"""The ``digitrade`` command against its own throwaway database (SQLite or PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from digitrade.cli import app
from digitrade.core.config import get_settings
from tests.support import throwaway_database


@pytest.fixture(scope="module")
def cli_database(tmp_path_factory) -> Iterator[str]:
    with throwaway_database(tmp_path_factory.mktemp("cli")) as url:
        yield url


@pytest.fixture
def run(cli_database, monkeypatch):
    monkeypatch.setenv("DIGITRADE_DATABASE_URL", cli_database)
    monkeypatch.setenv("DIGITRADE_NEW_PASSWORD", "a long enough password")
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(app, list(args))
        if ok:
            assert result.exit_code == 0, result.output + str(result.exception)
        return result

    yield invoke
    get_settings.cache_clear()


def as_json(result) -> object:
    return json.loads(result.stdout)


def test_full_operator_flow(run):
    upgraded = as_json(run("db", "upgrade", "--format", "json"))
    assert upgraded["revision"]
    assert as_json(run("db", "current", "-f", "json"))["up_to_date"] is True

    first = as_json(run("demo", "load", "--format", "json"))
    assert first["loaded"] is True and first["password"]
    again = as_json(run("demo", "load", "--format", "json"))
    assert again == {**again, "loaded": False, "message": "demo data is already loaded"}

    org = as_json(
        run(
            "orgs",
            "create",
            "cli-carrier",
            "--name",
            "CLI Carrier",
            "--kind",
            "carrier",
            "--name-zh",
            "命令行承运人",
            "--format",
            "json",
        )
    )
    assert org["slug"] == "cli-carrier" and org["name_zh"] == "命令行承运人"
    slugs = {o["slug"] for o in as_json(run("orgs", "list", "--format", "json"))}
    assert {"cli-carrier", "sh-commerce-demo"} <= slugs

    user = as_json(
        run(
            "users",
            "create",
            "ops@cli.example",
            "--name",
            "Ops",
            "--org",
            "cli-carrier",
            "--role",
            "editor",
            "--format",
            "json",
        )
    )
    assert user["memberships"] == [{"organisation_id": org["id"], "role": "editor"}]

    key = as_json(
        run(
            "keys",
            "create",
            "--org",
            "cli-carrier",
            "--name",
            "tms",
            "--role",
            "editor",
            "--days",
            "7",
            "--format",
            "json",
        )
    )
    assert key["token"].startswith("dtk_")
    listed = as_json(run("keys", "list", "--org", "cli-carrier", "--format", "json"))
    assert [k["prefix"] for k in listed] == [key["prefix"]]
    assert "token" not in listed[0]
    revoked = as_json(run("keys", "revoke", key["prefix"], "--format", "json"))
    assert revoked["revoked_at"]

    actions = [
        e["action"]
        for e in as_json(run("audit", "list", "--org", "cli-carrier", "--format", "json"))
    ]
    assert actions[:3] == ["core.api_key.revoke", "core.api_key.create", "core.user.create"]
    table = run("audit", "list", "--limit", "3").stdout
    assert "core.api_key.revoke" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("orgs", "create", "Bad Slug!", "--name", "X", "--kind", "bank"), "invalid input: slug"),
        (("keys", "revoke", "nosuchkey"), "API key nosuchkey does not exist [not-found]"),
        (("keys", "list", "--org", "nowhere"), "organisation 'nowhere' does not exist"),
        (("users", "create", "not-an-email", "--name", "X"), "invalid input: email"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(run, args, message):
    run("db", "upgrade")
    result = run(*args, ok=False)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]


def test_duplicate_organisation_changes_nothing(run):
    run("db", "upgrade")
    run("orgs", "create", "twice", "--name", "Twice", "--kind", "bank")
    result = run("orgs", "create", "twice", "--name", "Twice again", "--kind", "bank", ok=False)
    assert "[conflict]" in result.stderr
    names = [o["name"] for o in as_json(run("orgs", "list", "-f", "json")) if o["slug"] == "twice"]
    assert names == ["Twice"]


def test_every_command_has_help(run):
    for group in ("db", "orgs", "users", "keys", "audit", "demo"):
        assert "Usage" in run(group, "--help").stdout
    assert "serve" in run("--help").stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DIGITRADE_PORT", "0", "invalid input: port"),
        ("DIGITRADE_LOG_LEVEL", "verbose", "invalid input: log_level"),
    ],
)
def test_bad_settings_are_one_line(run, monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    get_settings.cache_clear()
    result = run("serve", ok=False)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_serve_refuses_demo_secrets_off_loopback(run):
    result = run("serve", "--host", "0.0.0.0", ok=False)  # noqa: S104 - the refused case
    assert result.exit_code == 1
    assert "DIGITRADE_SECRET_KEY" in result.stderr


def test_plain_postgresql_url_means_psycopg():
    from digitrade.core.config import Settings

    url = Settings(database_url="postgresql://postgres@127.0.0.1/test").database_url
    assert url == "postgresql+psycopg://postgres@127.0.0.1/test"
