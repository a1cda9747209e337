"""Guarding the calls the server makes to URLs its users name (receipt endpoints, ONE Record
subscribers): by default they may not point into the network the server runs in.

A user who could name ``http://169.254.169.254/`` or ``http://127.0.0.1:5432/`` would make the
server call its cloud's metadata service or its own database. Systems check a target with
``private_target`` before each round of calls, unless the operator allows private targets (a
deployment whose partners are on its own network).
"""

from __future__ import annotations

import ipaddress
import socket

import httpx


def private_address(address: str) -> bool:
    """Whether an IP address is one users must not make the server call: loopback, private,
    link-local (cloud metadata services), multicast, reserved or unspecified."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def private_target(url: str, setting: str) -> str | None:
    """Why ``url`` may not be called, or None: its host is, or resolves to, a private address
    (``setting`` names the environment variable that allows it). The HTTP client resolves the
    name again when it sends, so a name that changes its answer in between is not caught."""
    try:
        host = httpx.URL(url).host
    except httpx.InvalidURL as exc:
        return f"refused: {url!r} is not a URL ({exc})"
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        return f"{host} does not resolve: {exc.strerror or exc}"
    for info in infos:
        address = str(info[4][0])
        if private_address(address):
            return f"refused: {host} is the private address {address} ({setting}=true allows it)"
    return None
