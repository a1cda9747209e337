"""The guard on calls to user-named URLs: private, loopback, link-local and reserved addresses
are refused, public ones pass."""

from __future__ import annotations

import pytest

from digitrade.core.outbound import private_address, private_target


@pytest.mark.parametrize(
    ("address", "private"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("192.168.0.10", True),
        ("169.254.169.254", True),  # cloud metadata service
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("fe80::1%eth0", True),
        ("0.0.0.0", True),  # noqa: S104 - an address checked, not bound
        ("8.8.8.8", False),
        ("2001:4860:4860::8888", False),
    ],
)
def test_private_addresses(address, private):
    assert private_address(address) is private


def test_a_literal_private_host_is_refused_with_the_setting_that_allows_it():
    reason = private_target("http://127.0.0.1:8080/inbox", "DIGITRADE_X")
    assert (
        reason == "refused: 127.0.0.1 is the private address 127.0.0.1 (DIGITRADE_X=true allows it)"
    )
    assert private_target("http://[::1]/in", "DIGITRADE_X").startswith("refused: ::1")
    assert private_target("http://8.8.8.8/in", "DIGITRADE_X") is None


def test_an_unresolvable_host_is_named():
    reason = private_target("http://no-such-host.invalid/in", "DIGITRADE_X")
    assert reason is not None and reason.startswith("no-such-host.invalid does not resolve")
