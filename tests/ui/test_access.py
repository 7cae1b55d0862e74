"""Who may change the corpus, and how much one client may ask: through the real server."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from qa.ui.access import Editors, RateLimit, client_of, hash_password
from tests.conftest import SEED_ID, running_app

QUESTION = "What did NATO say about ground forces?"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_client_past_its_rate_waits_and_others_do_not() -> None:
    clock = Clock()
    limit = RateLimit(3, clock)
    assert [limit.wait_needed("a") for _ in range(3)] == [0, 0, 0]
    assert limit.wait_needed("a") == pytest.approx(20.0)  # a token every 20 s
    assert limit.wait_needed("b") == 0
    clock.now = 20.0
    assert limit.wait_needed("a") == 0 and limit.wait_needed("a") > 0
    assert limit.peek("b") == 0 and limit.peek("nobody") == 0


def test_forwarded_addresses_are_believed_only_from_trusted_proxies() -> None:
    assert client_of("127.0.0.1", "203.0.113.5", []) == "127.0.0.1"
    assert client_of("127.0.0.1", "203.0.113.5", ["127.0.0.1"]) == "203.0.113.5"
    spoofed = "198.51.100.1, 203.0.113.5"  # the client wrote the first hop itself
    assert client_of("127.0.0.1", spoofed, ["127.0.0.1"]) == "203.0.113.5"


def test_editors_from_a_file_of_hashes(tmp_path: Path) -> None:
    users = tmp_path / "editors"
    users.write_text(f"# newsroom\nana:{hash_password('a-pass', 1000)}\n")
    editors = Editors.configured("main-pass", users)
    assert editors is not None and editors.names == {"editor", "ana"}
    assert editors.check("ana", "a-pass") and editors.check("editor", "main-pass")
    assert not editors.check("ana", "main-pass") and not editors.check("bob", "a-pass")
    assert Editors.configured(None, None) is None, "no setting: no editors, no editing"
    users.write_text("ana:plain-text-password\n")
    with pytest.raises(ValueError, match="expected name:pbkdf2_sha256"):
        Editors.configured(None, users)


def join(client: httpx.Client, prefix: str, fn_index: int, data: list, session: str) -> str:
    """What the page sends for an event, then the event stream of the session's results."""
    body = {"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None}
    joined = client.post(f"{prefix}/gradio_api/queue/join", json=body)
    if joined.status_code != 200:
        return f"status {joined.status_code}"
    with client.stream("GET", f"{prefix}/gradio_api/queue/data?session_hash={session}") as stream:
        return "".join(line + "\n" for line in stream.iter_lines() if "process_completed" in line)


def corpus_state(client: httpx.Client, index: Path) -> tuple[bytes, str]:
    articles = client.post("/gradio_api/call/articles", json={"data": []}).json()["event_id"]
    listed = client.get(f"/gradio_api/call/articles/{articles}").text
    return (index / "manifest.json").read_bytes(), listed.rsplit("data:", 1)[1]


@pytest.mark.slow
def test_no_crafted_request_reaches_a_writer_by_default(server: str, server_index: Path) -> None:
    with httpx.Client(base_url=server, timeout=60) as client:
        before = corpus_state(client, server_index)
        config = client.get("/config").json()
        ids = {c["props"].get("elem_id") for c in config["components"]}
        assert not ids & {"qa-add", "qa-remove", "qa-upload", "qa-paste"}
        assert client.get("/edit/").status_code == 404, "no editor's page without editors"
        session = uuid.uuid4().hex
        load = next(d["id"] for d in config["dependencies"] if d["targets"][0][1] == "load")
        join(client, "", load, [], session)  # the page's load event, as a browser sends it
        count = len(config["dependencies"])
        for fn_index in range(count + 4):  # every handler, and indexes past the last
            for value in (SEED_ID, None):
                join(client, "", fn_index, [value] * 6, session)
        assert corpus_state(client, server_index) == before, "the corpus did not change"


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("guarded")
    settings = {
        "QA_EDITOR_PASSWORD": "s3cret-pass",
        "QA_ASKS_PER_MINUTE": "3",
        "QA_SIGN_INS_PER_MINUTE": "2",
        "QA_TRUSTED_PROXIES": "127.0.0.1",
    }
    with running_app(folder, **settings) as (url, _):
        yield url, folder


@pytest.mark.slow
def test_the_editors_page_turns_away_anyone_not_signed_in(guarded: tuple[str, Path]) -> None:
    url, folder = guarded
    with httpx.Client(base_url=url, timeout=60) as client:
        before = corpus_state(client, folder / "index")
        assert client.get("/edit/config").status_code == 401
        session = uuid.uuid4().hex
        for fn_index in range(8):
            assert join(client, "/edit", fn_index, ["", "x" * 50, "Junk"], session) == "status 401"
        assert client.post("/edit/gradio_api/upload", files={"files": b"x"}).status_code == 401
        assert corpus_state(client, folder / "index") == before
        # Failed sign-ins are bounded per client; one from another address still gets a try.
        wrong = {"username": "editor", "password": "guess"}
        one = {"X-Forwarded-For": "198.51.100.20"}
        assert [
            client.post("/edit/login", data=wrong, headers=one).status_code for _ in range(3)
        ] == [
            400,
            400,
            429,
        ]
        assert "try again in" in client.post("/edit/login", data=wrong, headers=one).text
        other = {"X-Forwarded-For": "198.51.100.21"}
        right = {"username": "editor", "password": "s3cret-pass"}
        assert client.post("/edit/login", data=right, headers=other).status_code == 200
        assert "s3cret-pass" not in (folder / "server.log").read_text(), "never logged"


def ask_as(client: httpx.Client, address: str) -> str:
    headers = {"X-Forwarded-For": address}
    body = {"data": [QUESTION, [], ""]}
    event = client.post("/gradio_api/call/ask", json=body, headers=headers).json()["event_id"]
    return client.get(f"/gradio_api/call/ask/{event}", headers=headers).text


@pytest.mark.slow
def test_one_client_past_its_rate_is_told_to_wait_while_another_is_answered(
    guarded: tuple[str, Path],
) -> None:
    url, _ = guarded
    with httpx.Client(base_url=url, timeout=60) as client:
        answers = [ask_as(client, "203.0.113.5") for _ in range(4)]
        assert all("Stoltenberg" in answer for answer in answers[:3])
        assert "event: error" in answers[3]
        message = json.loads(answers[3].rsplit("data:", 1)[1])
        assert "Too many questions; please try again in" in str(message)
        assert "Stoltenberg" in ask_as(client, "203.0.113.6"), "another client is unaffected"


@pytest.mark.slow
def test_guesses_sent_at_once_are_bounded_too(guarded: tuple[str, Path]) -> None:
    url, _ = guarded
    wrong = {"username": "editor", "password": "guess"}
    one = {"X-Forwarded-For": "198.51.100.30"}

    def guess(_: int) -> int:
        with httpx.Client(base_url=url, timeout=60) as client:
            return client.post("/edit/login", data=wrong, headers=one).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(guess, range(16)))
    assert codes.count(400) <= 2 and codes.count(429) >= 14, codes


@pytest.mark.slow
def test_a_signed_in_editors_cookie_sent_from_another_site_changes_nothing(
    guarded: tuple[str, Path],
) -> None:
    """A page elsewhere that posts to `/edit` with a signed-in editor's cookie (Gradio's is
    `SameSite=None`) is refused: the browser names that page's origin."""
    url, folder = guarded
    with httpx.Client(base_url=url, timeout=60) as client:
        right = {"username": "editor", "password": "s3cret-pass"}
        signed_in = client.post(
            "/edit/login", data=right, headers={"X-Forwarded-For": "198.51.100.40"}
        )
        assert signed_in.status_code == 200 and client.cookies
        manifest = folder / "index" / "manifest.json"
        before = manifest.read_bytes()
        config = client.get("/edit/config").json()
        session = uuid.uuid4().hex
        body = {"data": [], "fn_index": 0, "session_hash": session, "event_data": None}
        elsewhere = {"Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"}
        refused = client.post("/edit/gradio_api/queue/join", json=body, headers=elsewhere)
        assert refused.status_code == 403 and "editor's own page" in refused.text
        upload = client.post(
            "/edit/gradio_api/upload", files={"files": b"x"}, headers={"Origin": "null"}
        )
        assert upload.status_code == 403
        own = {"Origin": url.rstrip("/"), "Sec-Fetch-Site": "same-origin"}
        assert client.post("/edit/gradio_api/queue/join", json=body, headers=own).status_code == 200
        assert len(config["dependencies"]) > 0
        assert manifest.read_bytes() == before


@pytest.mark.slow
def test_a_proxy_on_this_host_not_named_as_trusted_is_warned_of(tmp_path: Path) -> None:
    """Behind a reverse proxy on the same host, every client looks like the server itself
    and is never rate-limited: the server says so in its log, once."""
    with running_app(tmp_path) as (url, _), httpx.Client(base_url=url, timeout=60) as client:
        for address in ("203.0.113.7", "203.0.113.8"):
            assert "Stoltenberg" in ask_as(client, address)
    log = (tmp_path / "server.log").read_text()
    assert log.count("name it in QA_TRUSTED_PROXIES") == 1


@pytest.mark.slow
def test_reading_and_listing_articles_share_the_clients_allowance(
    guarded: tuple[str, Path],
) -> None:
    """`/article` and `/articles` cost what `/ask` does: a client cycling through articles
    is bounded like one asking, and another client is unaffected."""
    url, _ = guarded
    with httpx.Client(base_url=url, timeout=60) as client:

        def read(endpoint: str, data: list, address: str) -> str:
            headers = {"X-Forwarded-For": address}
            event = client.post(
                f"/gradio_api/call/{endpoint}", json={"data": data}, headers=headers
            )
            return client.get(f"/gradio_api/call/{endpoint}/{event.json()['event_id']}").text

        outcomes = [read("article", [SEED_ID], "203.0.113.60") for _ in range(3)]
        outcomes.append(read("articles", [], "203.0.113.60"))
        assert all("event: complete" in outcome for outcome in outcomes[:3])
        assert "Too many questions" in outcomes[3]
        assert "event: complete" in read("articles", [], "203.0.113.61")
