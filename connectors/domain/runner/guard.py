"""The address guard: which IP addresses the runner may connect to, and how host names resolve.

Purpose: refuse server-side request forgery targets (loopback, private, link-local, CGNAT,
multicast, reserved, unspecified, cloud metadata, IPv4-mapped/-compatible IPv6 of those,
site-local), checked on the *resolved* address so that a name pointing inside the network is
refused too. ``resolve_host`` resolves once; the client connects to the address it returns
(pinned), so a DNS answer that changes between check and connect (rebinding) cannot redirect it.

Input: an ``ipaddress`` address or a URL host (name, dotted quad, or the decimal, octal and hex
IPv4 forms that ``inet_aton`` accepts), an ``AddressPolicy`` and a ``getaddrinfo``-like resolver.
Output: ``refusal_reason(ip)`` -> a sentence or None; ``resolve_host`` -> the pinned address,
or ``AddressRefused`` with the reason.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., list[Any]]

_METADATA = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
    ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_SITE_LOCAL = ipaddress.ip_network("fec0::/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Numeric forms inet_aton accepts: 2130706433, 0177.0.0.1, 0x7f.1, 127.1 ...
_NUMERIC_HOST = re.compile(r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?", re.IGNORECASE)


@dataclass(frozen=True)
class AddressPolicy:
    """What the guard lets through; loopback only for local development and tests."""

    allow_loopback: bool = False


class AddressRefused(Exception):
    """A host whose address the policy refuses (the message says which and why)."""


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    # An IPv6 address that carries an IPv4 one reaches that IPv4 host: judge that one.
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:  # IPv4-compatible ::a.b.c.d (deprecated form)
        return ipaddress.IPv4Address(int(ip))
    return None


def refusal_reason(ip: IPAddress, policy: AddressPolicy | None = None) -> str | None:
    """Why ``ip`` may not be connected to under ``policy`` (default: deny loopback), or None."""
    policy = policy or AddressPolicy()
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = refusal_reason(inner, policy)
            return f"{reason} (inside the IPv6 address {ip})" if reason else None
    if ip in _METADATA:
        return f"{ip} is a cloud metadata address"
    if ip.is_loopback:
        return None if policy.allow_loopback else f"{ip} is a loopback address"
    checks: list[tuple[bool, str]] = [
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_link_local, "a link-local address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT, "a carrier-grade NAT address"),
        (isinstance(ip, ipaddress.IPv6Address) and ip in _SITE_LOCAL, "a site-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    ]
    for hit, what in checks:
        if hit:
            return f"{ip} is {what}"
    return None


def literal_address(host: str) -> IPAddress | None:
    """The address a URL host denotes by itself (no DNS), including legacy numeric IPv4 forms."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host):
        try:  # the C library reads 2130706433 and 0177.0.0.1 as 127.0.0.1: so do we
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            return None
    return None


def resolve_host(
    host: str, port: int, policy: AddressPolicy, resolver: Resolver = socket.getaddrinfo
) -> IPAddress:
    """Resolve ``host`` once and return the address to connect to (the first answer).

    Every answer must pass: a name that resolves to one public and one private address could
    otherwise be steered to the private one by the operating system's address ordering.
    """
    literal = literal_address(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            answers = resolver(host, port, 0, socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise AddressRefused(f"cannot resolve {host}: {exc}") from exc
        addresses = [ipaddress.ip_address(str(answer[4][0]).split("%")[0]) for answer in answers]
    if not addresses:
        raise AddressRefused(f"cannot resolve {host}: no address")
    for address in addresses:
        reason = refusal_reason(address, policy)
        if reason:
            raise AddressRefused(f"refused: {reason}")
    return addresses[0]
