"""Signing in through the login page, for the tests of the systems' pages."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_of(client, path: str) -> str:
    """The CSRF token the page at ``path`` carries."""
    match = CSRF.search(client.get(path).text)
    assert match
    return match.group(1)


def sign_in(client, email: str) -> None:
    """Sign ``email`` in (the test password); the session cookie stays on ``client``."""
    response = client.post(
        "/login",
        data={
            "email": email,
            "password": PASSWORD,
            "next": "/",
            "csrf_token": csrf_of(client, "/login"),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
