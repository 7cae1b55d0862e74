"""Which hosts a link may be fetched from: the fence around adding articles by URL.

A server that fetches whatever address it is given can be turned against the network it
sits in (server-side request forgery: the cloud's metadata service at 169.254.169.254,
an admin page on loopback, a database on the intranet). So a host is resolved once,
here, and every address it resolves to is checked; the caller then connects to one of
these checked addresses, never to the name again, so a DNS answer that changes between
the check and the connection (DNS rebinding) cannot slip inside.

Refused: loopback, private, link-local, multicast, reserved, unspecified and any other
address that is not global, in IPv4 or IPv6, including an IPv6 address that carries a
refused IPv4 one (IPv4-mapped `::ffff:10.0.0.1`, 6to4, Teredo). `QA_FETCH_ALLOW` names
hosts (by name, exactly) and networks (`10.1.0.0/16`, `127.0.0.1`) that may be fetched
anyway. One refused address refuses the host: a name that resolves both outside and
inside the network is not fetched.

Left out: the URL's scheme and user name (`fetch` checks them), and the connection.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

from qa.errors import UserError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
PRIVATE = "The link points to a private address; set QA_FETCH_ALLOW to allow it."


class LinkRefused(UserError):
    """A link that is not fetched, or a page that cannot be used; the message says why
    and, where something can be done, what."""


@dataclass(frozen=True)
class Fence:
    """The hosts and networks named in `QA_FETCH_ALLOW`; every other host must be public."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def allowing(cls, entries: tuple[str, ...]) -> Fence:
        """The fence for `QA_FETCH_ALLOW`'s entries: a network, an address, or a host name.

        >>> fence = Fence.allowing(("127.0.0.1", "[::1]", "10.1.0.0/16", "Wiki.Intranet"))
        >>> sorted(fence.hosts), [str(network) for network in fence.networks]
        (['wiki.intranet'], ['127.0.0.1/32', '::1/128', '10.1.0.0/16'])
        """
        hosts, networks = set(), []
        for entry in entries:
            bare = entry.strip().strip("[]")
            try:
                networks.append(ipaddress.ip_network(bare, strict=False))
            except ValueError:
                hosts.add(bare.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def addresses(self, host: str, port: int) -> tuple[IPAddress, ...]:
        """Every address `host` resolves to, once, each checked; raises LinkRefused if the
        host is unknown or any address is refused."""
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            raise LinkRefused(f"No site is found at {host}; check the link.") from None
        addresses = tuple(dict.fromkeys(_address(str(info[4][0])) for info in found))
        if not addresses:
            raise LinkRefused(f"No site is found at {host}; check the link.")
        for address in addresses:
            if not self.allows(host, address):
                raise LinkRefused(PRIVATE)
        return addresses

    def allows(self, host: str, address: IPAddress) -> bool:
        """Whether `address`, one of `host`'s, may be fetched from.

        >>> Fence().allows("news.example", ipaddress.ip_address("93.184.216.34"))
        True
        >>> Fence().allows("news.example", ipaddress.ip_address("::ffff:169.254.169.254"))
        False
        """
        if host.lower().rstrip(".") in self.hosts:
            return True
        views = carried(address)
        if any(view in network for view in views for network in self.networks):
            return True
        return all(is_public(view) for view in views)


def is_public(address: IPAddress) -> bool:
    """Whether an address is out on the internet, not inside some network.

    >>> [is_public(ipaddress.ip_address(a)) for a in ("8.8.8.8", "10.0.0.1", "::1", "0.0.0.0")]
    [True, False, False, False]
    """
    inside = (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )
    # `is_global` also leaves out what the names above miss (100.64.0.0/10, shared by
    # carriers' NAT, say).
    return address.is_global and not inside


def carried(address: IPAddress) -> tuple[IPAddress, ...]:
    """The address and the IPv4 addresses an IPv6 one carries, each judged on its own.

    >>> [str(a) for a in carried(ipaddress.ip_address("::ffff:127.0.0.1"))]
    ['::ffff:7f00:1', '127.0.0.1']
    """
    if isinstance(address, ipaddress.IPv4Address):
        return (address,)
    inner = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    return (address, *(view for view in inner if view is not None))


def _address(text: str) -> IPAddress:
    """An address from `getaddrinfo`, without an IPv6 zone (`fe80::1%eth0`)."""
    return ipaddress.ip_address(text.split("%", 1)[0])
