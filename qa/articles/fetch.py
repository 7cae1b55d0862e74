"""Fetching a web page for `qa add URL` and the editor's "Add from a link", safely.

Only http and https, and no user name or password in the URL. Each hop (the link, then
at most `MAX_REDIRECTS` redirects, followed here, by hand) is resolved and checked by
`fence`, and the request goes to the checked address itself, with the host's name in
the `Host` header and, over TLS, as the SNI name the certificate is verified against.
The connection gets `connect_timeout`, the whole fetch `timeout`: the body is read in a
stream, stopped at `max_bytes` and at the deadline, so a page that trickles in a byte at
a time stops too. Only HTML, XHTML and plain text are taken. Proxies from the
environment are not used (`trust_env=False`): the fence checks where the connection goes.

Only the CLI and the editor's page fetch, through `Engine.add_link`; the reader's page,
the API and MCP never do.

Left out: reading the page (`sources.from_page`), cookies across fetches, retries,
robots.txt (an editor adds one page they chose, as a browser would fetch it).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

import httpx

from qa.articles.fence import Fence, LinkRefused
from qa.config import Config

MAX_REDIRECTS = 5
CONNECT_SECONDS = 5.0
REDIRECTS = (301, 302, 303, 307, 308)
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
# A host name (IDNA-encoded, as sent) or an address: anything else is never looked up.
HOST = re.compile(r"^([a-z0-9_-]+\.)*[a-z0-9_-]+\.?$|^[0-9a-f:.]+$", re.IGNORECASE)


def _user_agent() -> str:
    try:
        release = version("article-qa")
    except PackageNotFoundError:
        release = "dev"
    return f"article-qa/{release} (adds a news page an editor chose; python-httpx)"


USER_AGENT = _user_agent()


@dataclass(frozen=True)
class Rules:
    """What a fetch may do: the allowed private hosts, the largest body, the time."""

    allow: tuple[str, ...] = ()
    max_bytes: int = 5 << 20
    timeout: float = 20.0
    connect_timeout: float = CONNECT_SECONDS

    @classmethod
    def from_config(cls, config: Config) -> Rules:
        return cls(config.fetch_allow, config.fetch_max_bytes, config.fetch_timeout)


@dataclass(frozen=True)
class Page:
    """A fetched page: its final address (after redirects, no `#fragment`), its media
    type, the charset its headers declare (empty if none) and its body, as sent."""

    url: str
    media_type: str
    charset: str
    body: bytes


def fetch(link: str, rules: Rules) -> Page:
    """The page at `link`, redirects followed; raises LinkRefused saying why not."""
    deadline = time.monotonic() + rules.timeout
    fence = Fence.allowing(rules.allow)
    url = checked_url(link)
    headers = {"User-Agent": USER_AGENT, "Accept": ", ".join(PAGE_TYPES)}
    with httpx.Client(trust_env=False, follow_redirects=False, headers=headers) as client:
        for _ in range(MAX_REDIRECTS + 1):
            response = _opened(client, url, fence, rules, deadline)
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECTS and location:
                    url = checked_url(str(url.join(location.strip())))
                    continue
                return _page(response, url, rules, deadline)
            finally:
                response.close()  # a body left unread is not read on
    raise LinkRefused(f"The link redirects more than {MAX_REDIRECTS} times.")


def checked_url(link: str) -> httpx.URL:
    """`link` as a URL, if it may be fetched at all: http or https, a host, no user name
    or password; its `#fragment`, which is never sent, dropped.

    >>> str(checked_url(" https://news.example/storm#top "))
    'https://news.example/storm'
    """
    try:
        url = httpx.URL(link.strip())
    except (httpx.InvalidURL, TypeError):
        raise LinkRefused("That is not a link; it should start with https://.") from None
    if url.scheme not in ("http", "https"):
        raise LinkRefused("Only http and https links can be added.")
    if url.userinfo:
        raise LinkRefused("A link with a user name or password cannot be added.")
    if not url.host:
        raise LinkRefused("That link names no site; it should look like https://site/page.")
    if not HOST.match(url.raw_host.decode("ascii", errors="replace")):
        raise LinkRefused("That is not a link; it should start with https://.")
    return url.copy_with(fragment=None)


def _opened(
    client: httpx.Client, url: httpx.URL, fence: Fence, rules: Rules, deadline: float
) -> httpx.Response:
    """The response of `url`'s host at one of its checked addresses, its body unread."""
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    failure: Exception | None = None
    for address in fence.addresses(host, port):
        remaining = _remaining(deadline, rules)
        request = client.build_request(
            "GET",
            url.copy_with(host=str(address), port=port),
            headers={"Host": url.netloc.decode("ascii")},
            extensions={"sni_hostname": host} if url.scheme == "https" else {},
            timeout=httpx.Timeout(remaining, connect=min(rules.connect_timeout, remaining)),
        )
        try:
            return client.send(request, stream=True)
        except httpx.ConnectError as error:  # this address is down: try the next one
            failure = error
        except httpx.TimeoutException:
            raise _too_slow(rules) from None
        except httpx.HTTPError as error:
            raise LinkRefused(f"{host} did not answer properly ({error}).") from None
    raise LinkRefused(f"Cannot connect to {host} ({failure}).")


def _page(response: httpx.Response, url: httpx.URL, rules: Rules, deadline: float) -> Page:
    if response.status_code != 200:
        raise LinkRefused(f"That page returned {response.status_code}.")
    media_type = response.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type not in PAGE_TYPES:
        shown = f"is {media_type[:60]}" if media_type else "does not say what it is"
        raise LinkRefused(
            f"That link {shown}, not a web page; only HTML and plain text pages can be added."
        )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > rules.max_bytes:
        raise _too_big(f"{megabytes(int(declared))} MB", rules)
    body = bytearray()
    try:
        for chunk in response.iter_bytes():  # counted decoded: a gzip that unpacks large stops too
            body += chunk
            if len(body) > rules.max_bytes:
                raise _too_big(f"over {megabytes(rules.max_bytes)} MB", rules)
            if time.monotonic() > deadline:
                raise _too_slow(rules)
    except httpx.TimeoutException:
        raise _too_slow(rules) from None
    except httpx.HTTPError as error:
        raise LinkRefused(f"The page broke off before its end ({error}).") from None
    charset = (response.charset_encoding or "").lower()
    return Page(str(url), media_type, charset, bytes(body))


def megabytes(size: int) -> str:
    """
    >>> megabytes(12 << 20), megabytes(5 << 20), megabytes(1_500_000)
    ('12', '5', '1.4')
    """
    return f"{size / (1 << 20):.1f}".removesuffix(".0")


def _remaining(deadline: float, rules: Rules) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _too_slow(rules)
    return remaining


def _too_big(size: str, rules: Rules) -> LinkRefused:
    return LinkRefused(
        f"The page is {size}; the limit is {megabytes(rules.max_bytes)} MB (QA_FETCH_MAX_BYTES)."
    )


def _too_slow(rules: Rules) -> LinkRefused:
    return LinkRefused(
        f"The page took longer than {rules.timeout:g} s to arrive (QA_FETCH_TIMEOUT); "
        "try again later."
    )
