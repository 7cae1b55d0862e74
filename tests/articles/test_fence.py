"""The fence: which addresses a link may reach, by default and with `QA_FETCH_ALLOW`.

The fetch tests show refusals end to end; these show the same addresses let through by
the allow list, checked without opening any connection to them.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest

from qa.articles.fence import PRIVATE, Fence, LinkRefused, is_public
from qa.config import Config


def resolving_to(monkeypatch: pytest.MonkeyPatch, *addresses: str) -> None:
    """Every name resolves to `addresses`, as a DNS answer the test chooses."""

    def answer(host: str, port: int, *args: object, **kwargs: object) -> list:
        family = {4: socket.AF_INET, 6: socket.AF_INET6}
        return [
            (family[ipaddress.ip_address(a).version], socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", answer)


# Each address, and what QA_FETCH_ALLOW entry lets it through.
INSIDE = {
    "127.0.0.1": "127.0.0.1",
    "::1": "::1",
    "169.254.169.254": "169.254.169.254",  # the cloud's metadata service
    "10.0.0.1": "10.0.0.0/8",
    "192.168.1.20": "192.168.0.0/16",
    "172.16.5.4": "172.16.0.0/12",
    "100.64.0.1": "100.64.0.0/10",  # carriers' NAT: not private, not global either
    "0.0.0.0": "0.0.0.0",
    "224.0.0.1": "224.0.0.0/4",
    "240.0.0.1": "240.0.0.0/4",
    "fe80::1": "fe80::/10",
    "fc00::1": "fc00::/7",
    "::": "::",
    "ff02::1": "ff00::/8",
    "::ffff:10.0.0.1": "10.0.0.0/8",  # IPv4-mapped: judged as the IPv4 address it carries
    "::ffff:169.254.169.254": "169.254.169.254",
    "2002:a00:1::": "10.0.0.0/8",  # 6to4 around 10.0.0.1
}


@pytest.mark.parametrize("address", INSIDE)
def test_addresses_inside_a_network_are_refused_by_default(
    monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    resolving_to(monkeypatch, address)
    with pytest.raises(LinkRefused) as refused:
        Fence().addresses("news.example", 80)
    assert str(refused.value) == PRIVATE


@pytest.mark.parametrize("address", INSIDE)
def test_addresses_inside_a_network_are_allowed_when_named(
    monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    resolving_to(monkeypatch, address)
    fence = Fence.allowing(Config.from_env({"QA_FETCH_ALLOW": f"{INSIDE[address]}"}).fetch_allow)
    assert fence.addresses("news.example", 80) == (ipaddress.ip_address(address),)


def test_a_name_that_resolves_to_10_0_0_1_is_refused_unless_the_name_is_allowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resolving_to(monkeypatch, "10.0.0.1")
    with pytest.raises(LinkRefused, match=PRIVATE):
        Fence.allowing(("other.intranet.example",)).addresses("wiki.intranet.example", 80)
    allowed = Fence.allowing(("intranet.example", "Wiki.Intranet.Example"))
    assert allowed.addresses("wiki.intranet.example", 443) == (ipaddress.ip_address("10.0.0.1"),)


def test_one_address_inside_refuses_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    resolving_to(monkeypatch, "93.184.216.34", "10.0.0.1")
    with pytest.raises(LinkRefused, match=PRIVATE):
        Fence().addresses("news.example", 80)


def test_public_addresses_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    resolving_to(monkeypatch, "93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")
    assert len(Fence().addresses("news.example", 443)) == 2


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888"])
def test_is_public(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_the_allow_list_is_read_from_the_environment() -> None:
    config = Config.from_env({"QA_FETCH_ALLOW": "127.0.0.1, wiki.intranet , 10.1.0.0/16"})
    assert config.fetch_allow == ("127.0.0.1", "wiki.intranet", "10.1.0.0/16")
    assert Config.from_env({"QA_FETCH_MAX_BYTES": "1048576"}).fetch_max_bytes == 1 << 20
    with pytest.raises(ValueError, match="QA_FETCH_TIMEOUT is not valid"):
        Config.from_env({"QA_FETCH_TIMEOUT": "soon"})
    with pytest.raises(ValueError, match="QA_FETCH_TIMEOUT must be above 0"):
        Config(fetch_timeout=0)
