"""Articles added from links, through the engine (on the fake embedder): the byline is
kept and listed, quotes are slices of the stored text, the same page again is unchanged
or replaces its old version, `refetch_links` fetches every linked article again, and
nothing is added on any error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.config import Config
from qa.engine import Engine
from qa.errors import UserError
from qa.records import ArticleSummary
from tests.conftest import ARTICLE, ARTICLE_ID
from tests.fakes import FakeEmbedder
from tests.site import Route, Site, page, redirect

FERRY_TITLE = "Island ferry crews to strike for 48 hours over rota changes"
FERRY_ID = "island-ferry-crews-to-strike-for-48-hours-over-r"
BYLINE = {"author": "Helen Park", "date": "2026-03-14", "site": "The Harbour Gazette"}


def open_engine(index: Path, allow: tuple[str, ...] = ("127.0.0.1",)) -> Engine:
    config = Config(article_path=ARTICLE, index_dir=index, fetch_allow=allow)
    return Engine.open(config, embedder=FakeEmbedder())[0]


@pytest.fixture
def engine(private_index: Path) -> Engine:
    return open_engine(private_index)


def listed(engine: Engine, article_id: str) -> ArticleSummary:
    return next(summary for summary in engine.articles if summary.id == article_id)


def test_a_linked_article_keeps_its_byline_and_is_quoted_verbatim(
    engine: Engine, site: Site
) -> None:
    site.routes["/ferry"] = page("ferry.html")
    change = engine.add_link(site.url("/ferry"))
    assert (change.action, change.article.id, change.article.title) == (
        "added",
        FERRY_ID,
        FERRY_TITLE,
    )
    shown = listed(engine, FERRY_ID).to_dict()
    assert shown == {
        "id": FERRY_ID,
        "title": FERRY_TITLE,
        "source": site.url("/ferry"),
        "url": site.url("/ferry"),
        **BYLINE,
        "sentences": change.article.sentences,
    }
    read = engine.article(FERRY_ID).to_dict()
    assert {key: read[key] for key in ("url", *BYLINE)} == {"url": site.url("/ferry"), **BYLINE}
    answer = engine.ask("What did Fiona MacLeod say about the rotas?", article=FERRY_ID)
    assert answer.citations
    for citation in answer.citations:
        assert read["text"][citation.start : citation.end] == citation.quote
    assert listed(engine, ARTICLE_ID).to_dict()["url"] is None, "a file has no link"


def test_the_byline_survives_reopening_and_a_lost_manifest(
    engine: Engine, site: Site, private_index: Path
) -> None:
    site.routes["/ferry"] = page("ferry.html")
    engine.add_link(site.url("/ferry"))
    before = listed(engine, FERRY_ID)
    assert listed(open_engine(private_index), FERRY_ID) == before
    (private_index / "manifest.json").unlink()
    recovered = open_engine(private_index)
    assert listed(recovered, FERRY_ID) == before
    assert recovered.article(FERRY_ID).article.publication == before.publication


def test_a_manifest_without_bylines_reads_as_articles_without_one(
    engine: Engine, private_index: Path
) -> None:
    manifest = private_index / "manifest.json"
    written = json.loads(manifest.read_text())
    for item in written["articles"]:
        del item["publication"]  # as written before bylines were kept
    manifest.write_text(json.dumps(written))
    reopened = open_engine(private_index)
    assert [a.id for a in reopened.articles] == [ARTICLE_ID]
    assert listed(reopened, ARTICLE_ID).to_dict()["author"] is None


def test_the_same_page_again_is_unchanged_and_a_changed_one_replaces_it(
    engine: Engine, site: Site
) -> None:
    site.routes["/ferry"] = page("ferry.html")
    site.routes["/moved"] = redirect("/ferry", 301)
    engine.add_link(site.url("/ferry"))
    assert engine.add_link(site.url("/moved")).action == "unchanged"
    site.routes["/ferry"] = page("ferry.html", {"212 of its members": "230 of its members"})
    replaced = engine.add_link(site.url("/ferry#update"))
    assert (replaced.action, replaced.article.id) == ("replaced", FERRY_ID)
    assert [a.id for a in engine.articles] == [ARTICLE_ID, FERRY_ID]
    assert "230 of its members" in engine.article(FERRY_ID).article.text

    site.routes["/ferry"] = page("ferry.html", {"212 of its members": "241 of its members"})
    report = engine.refetch_links()
    assert [(c.action, c.article.id) for c in report.changes] == [("replaced", FERRY_ID)]
    assert report.skipped == []
    assert "241 of its members" in engine.article(FERRY_ID).article.text
    assert [c.action for c in engine.refetch_links().changes] == ["unchanged"]


def test_a_page_that_is_gone_is_skipped_on_refresh_and_kept(engine: Engine, site: Site) -> None:
    site.routes["/ferry"] = page("ferry.html")
    engine.add_link(site.url("/ferry"))
    del site.routes["/ferry"]
    report = engine.refetch_links()
    assert report.changes == []
    assert report.skipped == [f"{site.url('/ferry')}: That page returned 404."]
    assert FERRY_ID in [a.id for a in engine.articles]


MENU = b"<html><body><nav><a href='/'>Home</a></nav><p>Sign in</p></body></html>"
FAILURES = {
    "/gone": (None, "That page returned 404."),
    "/big": (
        Route(headers={"Content-Type": "text/html", "Content-Length": str(12 << 20)}),
        "The page is 12 MB; the limit is 5 MB (QA_FETCH_MAX_BYTES).",
    ),
    "/report.pdf": (
        Route(headers={"Content-Type": "application/pdf"}, body=b"%PDF-1.7"),
        "That link is application/pdf, not a web page; only HTML and plain text pages can be "
        "added.",
    ),
    "/menu": (Route(body=MENU), "No article text found on that page."),
    "/metadata": (
        redirect("http://169.254.169.254/latest/meta-data/"),
        "The link points to a private address; set QA_FETCH_ALLOW to allow it.",
    ),
}


@pytest.mark.parametrize("path", FAILURES)
def test_nothing_is_added_on_any_error(
    engine: Engine, site: Site, private_index: Path, path: str
) -> None:
    route, message = FAILURES[path]
    if route is not None:
        site.routes[path] = route
    before = (engine.articles, (private_index / "manifest.json").read_bytes())
    with pytest.raises(UserError) as refused:
        engine.add_link(site.url(path))
    assert str(refused.value) == message
    assert (engine.articles, (private_index / "manifest.json").read_bytes()) == before


@pytest.mark.parametrize(
    "link, message",
    [
        ("file:///etc/passwd", "Only http and https links can be added."),
        ("http://user:pass@127.0.0.1/", "A link with a user name or password cannot be added."),
    ],
)
def test_links_that_are_never_fetched_add_nothing(
    engine: Engine, private_index: Path, link: str, message: str
) -> None:
    before = (private_index / "manifest.json").read_bytes()
    report = engine.add_links([link])
    assert (report.changes, report.skipped) == ([], [f"{link}: {message}"])
    assert (private_index / "manifest.json").read_bytes() == before


def test_loopback_is_refused_unless_allowed(private_index: Path, site: Site) -> None:
    site.routes["/ferry"] = page("ferry.html")
    closed = open_engine(private_index, allow=())
    with pytest.raises(UserError, match="set QA_FETCH_ALLOW to allow it"):
        closed.add_link(site.url("/ferry"))
    assert site.requests == [] and [a.id for a in closed.articles] == [ARTICLE_ID]
