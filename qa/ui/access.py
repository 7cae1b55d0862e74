"""Who may do what: editors' credentials, the client a request comes from, fair use.

Editors sign in with a password checked here (`Editors`): one from `QA_EDITOR_PASSWORD`
for a user called "editor", or a file of users and salted PBKDF2 hashes
(`QA_EDITORS_FILE`, one `name:pbkdf2_sha256$iterations$salt$hash` a line, made by
`qa hash-password`). Passwords are compared in constant time and never logged.

A client is its IP address. `X-Forwarded-For` is believed only when the request comes
from a proxy named in `QA_TRUSTED_PROXIES`, and then its last address not itself a
trusted proxy is the client; otherwise anyone could claim to be anyone.

`RateLimit` is a token bucket per client: `per_minute` tokens, refilled evenly, so a
client may ask in a burst and then at the steady rate. (The question path exempts the
machine's own loopback clients, see `web`; the sign-in path does not.)

Left out: sharing limits between server processes (each counts its own).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

EDITOR = "editor"  # the user name that goes with QA_EDITOR_PASSWORD
HASH = "pbkdf2_sha256"
# OWASP's 2023 figure for PBKDF2-SHA256; about 0.3 s a check here, which also slows guessing.
ITERATIONS = 600_000
CLIENTS_KEPT = 10_000  # buckets kept; the oldest idle ones go first


def hash_password(password: str, iterations: int = ITERATIONS) -> str:
    """A salted hash for an editors file.

    >>> hash_password("s3cret", iterations=1).startswith("pbkdf2_sha256$1$")
    True
    """
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    encode = base64.b64encode
    return f"{HASH}${iterations}${encode(salt).decode()}${encode(digest).decode()}"


def _matches(password: str, stored: str) -> bool:
    try:
        kind, iterations, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.pbkdf2_hmac(
            "sha256", password.encode(), base64.b64decode(salt), int(iterations)
        )
    except ValueError:
        return False
    return kind == HASH and hmac.compare_digest(actual, expected)


class Editors:
    """The people who may change the corpus, and how to check that one is who they say."""

    def __init__(self, hashes: Mapping[str, str]) -> None:
        self._hashes = dict(hashes)
        # Checked for an unknown name, so that a wrong name takes as long as a wrong password.
        self._nobody = hash_password(secrets.token_hex(16))

    @classmethod
    def configured(cls, password: str | None, users_file: Path | None) -> Editors | None:
        """Editors from the settings, or None when editing is off (the default)."""
        hashes: dict[str, str] = {}
        if password:
            hashes[EDITOR] = hash_password(password)  # as slow to guess as a file's hash
        if users_file is not None:
            for number, line in enumerate(users_file.read_text("utf-8").splitlines(), 1):
                if line.strip() and not line.startswith("#"):
                    name, separator, stored = line.strip().partition(":")
                    if not separator or stored.count("$") != 3:
                        raise ValueError(f"{users_file}:{number}: expected name:{HASH}$…")
                    hashes[name] = stored
        return cls(hashes) if hashes else None

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._hashes)

    def check(self, name: str, password: str) -> bool:
        """Whether `password` is `name`'s; as slow for an unknown name as for a known one."""
        stored = self._hashes.get(name, self._nobody)
        return _matches(password, stored) and name in self._hashes

    async def check_later(self, name: str, password: str) -> bool:
        """`check` in a worker thread: a slow hash must not stall the server's event loop."""
        return await asyncio.to_thread(self.check, name, password)


def forwarded_for(headers: Iterable[tuple[str, str]]) -> str:
    """Every `X-Forwarded-For` line joined, as one list: a proxy may add a line of its own
    after the client's forged one, so the first line alone cannot be believed.

    >>> forwarded_for([("x-forwarded-for", "6.6.6.6"), ("X-Forwarded-For", "198.51.100.7")])
    '6.6.6.6, 198.51.100.7'
    """
    return ", ".join(value for key, value in headers if key.lower() == "x-forwarded-for")


def client_of(peer: str | None, forwarded_for: str | None, trusted: Iterable[str]) -> str:
    """The address of the client behind a request.

    >>> client_of("10.0.0.2", "198.51.100.7, 10.0.0.2", ["10.0.0.2"])
    '198.51.100.7'
    >>> client_of("203.0.113.9", "198.51.100.7", ["10.0.0.2"])
    '203.0.113.9'
    """
    peer = peer or "unknown"
    proxies = set(trusted)
    if peer not in proxies or not forwarded_for:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in proxies:
            return hop
    return peer


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return address == "localhost"


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimit:
    """At most `per_minute` requests a minute for each client, in bursts up to the same."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1:
            raise ValueError(f"per_minute must be at least 1. Currently, {per_minute}")
        self._capacity = float(per_minute)
        self._rate = per_minute / 60.0  # tokens a second
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, client: str) -> float:
        """The seconds until `client` may go on (0 if now), taking nothing."""
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                return 0.0
            tokens = min(
                self._capacity, bucket.tokens + (self._clock() - bucket.updated) * self._rate
            )
            return 0.0 if tokens >= 1 else (1 - tokens) / self._rate

    def refund(self, client: str) -> None:
        """Give back the token a request took, when it turned out not to count."""
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is not None:
                bucket.tokens = min(self._capacity, bucket.tokens + 1)

    def wait_needed(self, client: str) -> float:
        """Take a token for `client`: 0 if it may go on, else the seconds until it may."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.pop(client, None) or _Bucket(self._capacity, now)
            bucket.tokens = min(self._capacity, bucket.tokens + (now - bucket.updated) * self._rate)
            bucket.updated = now
            self._buckets[client] = bucket
            while len(self._buckets) > CLIENTS_KEPT:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self._rate
