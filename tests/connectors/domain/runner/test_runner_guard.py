"""The address guard and the client refuse every address the issue lists, before any request."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest

from connectors.domain.runner import AddressPolicy, OutboundClient, refusal_reason
from connectors.domain.runner.guard import AddressRefused, literal_address, resolve_host
from tests.connectors.domain.runner.runner_fakes import resolver_for


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.1", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.5", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("169.254.10.1", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "address"),
        ("fec0::1", "site-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "metadata"),
        ("64:ff9b::a00:1", "private"),
    ],
)
def test_refused_addresses(address: str, why: str) -> None:
    reason = refusal_reason(ipaddress.ip_address(address))
    assert reason is not None
    assert why in reason


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_pass(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "::ffff:127.0.0.1"])
def test_loopback_only_with_the_flag(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address), AddressPolicy(allow_loopback=True)) is None
    assert refusal_reason(ipaddress.ip_address(address), AddressPolicy()) is not None


def test_the_flag_does_not_open_private_or_metadata() -> None:
    policy = AddressPolicy(allow_loopback=True)
    for address in ("10.0.0.5", "169.254.169.254", "::ffff:10.0.0.5"):
        assert refusal_reason(ipaddress.ip_address(address), policy) is not None


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0xa000005", "10.0.0.5"),
        ("example.com", None),
        ("1.example.com", None),
    ],
)
def test_numeric_host_forms_are_read_as_addresses(host: str, expected: str | None) -> None:
    found = literal_address(host)
    assert (str(found) if found else None) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost.test/",  # resolves to loopback through the fake resolver
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://a@127.0.0.1/",
        "http://user:pass@api.example.com/",
        "http://10.0.0.5/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://100.64.1.1/",
        "http://internal.test/",  # a public-looking name resolving to a private address
        "file:///etc/passwd",
        "gopher://api.example.com/",
    ],
)
def test_client_refuses_without_sending(url: str) -> None:
    answers = {
        "localhost.test": "127.0.0.1",
        "internal.test": "10.1.2.3",
        "api.example.com": "93.184.216.34",
    }

    def resolve(host: str, port: int, *args: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]

    with OutboundClient(AddressPolicy(), resolver=resolve, connect_timeout=0.2) as client:
        exchange = client.send("GET", url)
    assert exchange.status is None
    assert exchange.error is not None
    assert exchange.error.startswith("refused"), exchange.error


def test_any_refused_answer_refuses_the_name() -> None:
    def resolve(host: str, port: int, *args: Any) -> list[Any]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port)),
        ]

    with pytest.raises(AddressRefused, match="private"):
        resolve_host("mixed.test", 80, AddressPolicy(), resolve)


def test_resolution_happens_once_and_the_first_answer_is_pinned() -> None:
    resolve = resolver_for("93.184.216.34", "10.0.0.5")
    assert str(resolve_host("rebind.test", 80, AddressPolicy(), resolve)) == "93.184.216.34"
    assert resolve.calls == ["rebind.test"]
