"""Fetching a page from a link, against a real web site on loopback: the page and its
byline, redirects, caps, timeouts and refusals, each with the message the editor sees."""

from __future__ import annotations

import socket

import pytest

from qa.articles.fence import PRIVATE, LinkRefused
from qa.articles.fetch import MAX_REDIRECTS, USER_AGENT, Rules, fetch
from qa.articles.sources import NO_STORY, from_page
from qa.errors import UnusableArticle, UserError
from qa.records import Publication
from tests.site import Route, Site, page, redirect

LOCAL = Rules(allow=("127.0.0.1",))
STORY = (
    "“Our members have worked through storms and staff shortages, and they will not accept "
    "rotas that leave them three weeks away from home,” said Fiona MacLeod, the union's "
    "regional organiser."
)


def test_a_good_page_with_its_byline_and_its_text_as_read(site: Site) -> None:
    site.routes["/news/ferry"] = page("ferry.html")
    fetched = fetch(site.url("/news/ferry?utm_source=feed#comments"), LOCAL)
    assert fetched.url == site.url("/news/ferry?utm_source=feed")
    assert (fetched.media_type, fetched.charset) == ("text/html", "utf-8")
    article = from_page(fetched)
    assert article.title == "Island ferry crews to strike for 48 hours over rota changes"
    assert article.publication == Publication("Helen Park", "2026-03-14", "The Harbour Gazette")
    # The page names its canonical address on another site: it cannot claim it.
    assert article.source == fetched.url
    assert STORY in article.text and "Sign in" not in article.text
    assert "Helen Park" not in article.text, "the byline is beside the text, not in it"
    path, headers = site.requests[-1]
    assert path == "/news/ferry?utm_source=feed"
    assert headers["User-Agent"] == USER_AGENT and "article-qa" in USER_AGENT
    assert headers["Host"] == f"127.0.0.1:{site.port}"


def test_a_page_on_its_own_site_is_known_by_its_canonical_address(site: Site) -> None:
    own = site.url("")
    site.routes["/amp/ferry"] = page("ferry.html", {"https://www.harbourgazette.example": own})
    article = from_page(fetch(site.url("/amp/ferry?ref=home"), LOCAL))
    assert article.source == site.url("/news/2026/03/14/island-ferry-crews-to-strike")


def test_json_ld_bylines_are_read(site: Site) -> None:
    site.routes["/wildfire"] = page("wildfire.html")
    article = from_page(fetch(site.url("/wildfire"), LOCAL))
    assert article.publication == Publication("Marco Alvarez", "2026-08-02", "Valley Courier")
    assert "“The wind shifted twice this afternoon" in article.text


def test_a_chain_of_redirects_is_followed_and_each_hop_checked(site: Site) -> None:
    site.routes["/a"] = redirect(site.url("/b"), 301)
    site.routes["/b"] = redirect("/c?x=1", 307)  # a relative location
    site.routes["/c"] = redirect("wildfire", 303)
    site.routes["/wildfire"] = page("wildfire.html")
    fetched = fetch(site.url("/a"), LOCAL)
    assert fetched.url == site.url("/wildfire")
    assert [path for path, _ in site.requests] == ["/a", "/b", "/c?x=1", "/wildfire"]


def test_more_than_five_redirects_are_refused(site: Site) -> None:
    for hop in range(MAX_REDIRECTS + 1):
        site.routes[f"/{hop}"] = redirect(f"/{hop + 1}")
    site.routes[f"/{MAX_REDIRECTS + 1}"] = page("ferry.html")
    with pytest.raises(LinkRefused, match=r"^The link redirects more than 5 times\.$"):
        fetch(site.url("/0"), LOCAL)
    assert len(site.requests) == MAX_REDIRECTS + 1


def test_a_missing_page_says_its_status(site: Site) -> None:
    with pytest.raises(LinkRefused) as refused:
        fetch(site.url("/gone"), LOCAL)
    assert str(refused.value) == "That page returned 404."


def test_a_body_declared_over_the_cap_is_not_read(site: Site) -> None:
    route = site.routes["/big"] = Route(body=b"x" * (12 << 20))
    with pytest.raises(LinkRefused) as refused:
        fetch(site.url("/big"), Rules(allow=("127.0.0.1",), max_bytes=5 << 20))
    assert str(refused.value) == "The page is 12 MB; the limit is 5 MB (QA_FETCH_MAX_BYTES)."
    assert route.sent < (12 << 20)


def test_a_body_without_a_length_is_stopped_at_the_cap(site: Site) -> None:
    route = site.routes["/endless"] = Route(body=b"<p>word</p>" * 10_000, endless=True)
    with pytest.raises(LinkRefused) as refused:
        fetch(site.url("/endless"), Rules(allow=("127.0.0.1",), max_bytes=1 << 20))
    assert str(refused.value) == ("The page is over 1 MB; the limit is 1 MB (QA_FETCH_MAX_BYTES).")
    assert route.sent < 64 << 20, "the site was not read on after the cap"


def test_a_body_that_trickles_stops_at_the_total_timeout(site: Site) -> None:
    # One byte every 50 ms: no single read times out, but the page never ends in time.
    route = site.routes["/slow"] = Route(body=b"<p>slow</p>" * 200, trickle=0.05)
    with pytest.raises(LinkRefused) as refused:
        fetch(site.url("/slow"), Rules(allow=("127.0.0.1",), timeout=1.0))
    assert str(refused.value).startswith("The page took longer than 1 s to arrive")
    assert route.sent < len(route.body) // 2, "stopped long before the body's end"


@pytest.mark.parametrize("kind", ["application/pdf", "image/png", ""])
def test_what_is_not_a_web_page_is_refused(site: Site, kind: str) -> None:
    site.routes["/file"] = Route(headers={"Content-Type": kind} if kind else {}, body=b"%PDF")
    with pytest.raises(LinkRefused, match="only HTML and plain text pages can be added"):
        fetch(site.url("/file"), LOCAL)


def test_plain_text_is_taken_as_written(site: Site) -> None:
    text = "Ferry strike called off\n\nThe union and the company agreed a deal on Monday night."
    site.routes["/t"] = Route(headers={"Content-Type": "text/plain"}, body=text.encode())
    article = from_page(fetch(site.url("/t"), LOCAL))
    assert (article.text, article.title) == (text, "Ferry strike called off")


def test_a_page_with_no_story_says_so(site: Site) -> None:
    menu = "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>"
    site.routes["/menu"] = Route(body=menu.encode())
    with pytest.raises(UnusableArticle) as refused:
        from_page(fetch(site.url("/menu"), LOCAL))
    assert str(refused.value) == NO_STORY == "No article text found on that page."


# Refused by default: every one says so before any connection is opened.
@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]", "localhost", "[::ffff:127.0.0.1]"])
def test_loopback_is_refused_by_default(host: str, connections: list[str]) -> None:
    with pytest.raises(LinkRefused) as refused:
        fetch(f"http://{host}:9/admin", Rules())
    assert str(refused.value) == PRIVATE
    assert connections == []


def test_loopback_is_fetched_when_allowed(site: Site) -> None:
    site.routes["/ferry"] = page("ferry.html")
    assert from_page(fetch(site.url("/ferry"), Rules(allow=("127.0.0.0/8",)))).publication.author


def test_ipv6_loopback_is_refused_by_default_and_fetched_when_allowed() -> None:
    site = Site("::1")
    try:
        site.routes["/ferry"] = page("ferry.html")
        with pytest.raises(LinkRefused, match=PRIVATE):
            fetch(site.url("/ferry"), LOCAL)
        assert site.requests == []
        fetched = fetch(site.url("/ferry"), Rules(allow=("::1",)))
        assert fetched.url == f"http://[::1]:{site.port}/ferry"
        assert site.requests[0][1]["Host"] == f"[::1]:{site.port}"
    finally:
        site.close()


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data/", "http://[fe80::a9fe:a9fe]/"]
)
def test_a_redirect_inside_the_network_is_refused(
    site: Site, connections: list[str], target: str
) -> None:
    site.routes["/innocent"] = redirect(target)
    with pytest.raises(LinkRefused) as refused:
        fetch(site.url("/innocent"), LOCAL)
    assert str(refused.value) == PRIVATE
    assert connections == ["127.0.0.1"], "nothing was sent to the metadata address"


@pytest.fixture
def intranet(monkeypatch: pytest.MonkeyPatch) -> None:
    """`wiki.intranet.example` resolves to 10.0.0.1; other names resolve as they do."""
    resolve = socket.getaddrinfo

    def patched(host: str, *args: object, **kwargs: object) -> list:
        if host == "wiki.intranet.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", 80))]
        return resolve(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", patched)


def test_a_name_that_resolves_inside_the_network_is_refused(
    intranet: None, connections: list[str]
) -> None:
    with pytest.raises(LinkRefused) as refused:
        fetch("http://wiki.intranet.example/payroll", Rules())
    assert str(refused.value) == PRIVATE
    assert connections == []


@pytest.mark.parametrize(
    "link, message",
    [
        ("file:///etc/passwd", "Only http and https links can be added."),
        ("ftp://127.0.0.1/story.txt", "Only http and https links can be added."),
        ("http://user:pass@127.0.0.1/", "A link with a user name or password cannot be added."),
        ("http://user@127.0.0.1/", "A link with a user name or password cannot be added."),
        ("https://", "That link names no site; it should look like https://site/page."),
        ("http://exa mple.com/", "That is not a link; it should start with https://."),
    ],
)
def test_other_schemes_and_credentials_are_refused_even_when_allowed(
    link: str, message: str, connections: list[str]
) -> None:
    with pytest.raises(LinkRefused) as refused:
        fetch(link, Rules(allow=("127.0.0.1",)))
    assert str(refused.value) == message
    assert isinstance(refused.value, UserError) and connections == []


def test_a_site_that_is_not_there_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def unknown(*args: object, **kwargs: object) -> list:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)  # no query leaves the machine
    with pytest.raises(LinkRefused) as refused:
        fetch("https://no-such-site.example/story", Rules())
    assert str(refused.value) == "No site is found at no-such-site.example; check the link."
