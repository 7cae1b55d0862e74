import io
import json
import os
import re
import subprocess
import sys

import pytest

from qa.ui.cli import main
from tests.conftest import PAGES, ROOT, SEED_ID, SEED_TEXT
from tests.site import Site, page


def test_empty_question_is_refused_with_one_line(capsys) -> None:
    assert main(["ask", "  "]) == 1
    err = capsys.readouterr().err
    assert err == "qa: Please type a question about the article.\n"


def test_missing_article_is_reported(capsys, tmp_path) -> None:
    assert main(["--seed", str(tmp_path / "nope.txt"), "index"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("qa: cannot read ") and "nope.txt" in err and "Traceback" not in err


def test_unknown_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


@pytest.mark.slow
def test_ask_json_through_the_installed_command(tmp_path) -> None:
    env_index = tmp_path / "index"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "qa",
            "--index-dir",
            str(env_index),
            "ask",
            "--json",
            "What did NATO say about ground forces?",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    first = answer["citations"][0]
    assert answer["found"] and first["id"] == "s3" and first["speaker"] == "Jens Stoltenberg"
    assert SEED_TEXT[first["start"] : first["end"]] == first["quote"]
    assert "index: built in" in run.stderr and run.stderr.count("\n") == 1

    again = subprocess.run(
        [sys.executable, "-m", "qa", "--index-dir", str(env_index), "index"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert again.returncode == 0 and again.stdout.startswith("index: up to date")


@pytest.mark.slow
def test_add_list_remove_through_the_cli(capsys, private_index) -> None:
    # `qa add` uses the real model; so does the rest of this test, through `main`.
    assert main(["add", str(PAGES / "storm.html"), str(PAGES / "budget.html")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "added storm: “Storm Arwen batters northern coast, thousands evacuated” (8 sentences)",
        "added budget: “City council approves record £2.1bn budget after all-night session” "
        "(6 sentences)",
    ]
    assert main(["add", str(PAGES)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == [
        "unchanged budget",
        "added ferry",
        "unchanged storm",
        "added vaccine",
        "added wildfire",
    ]
    assert main(["list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [a["id"] for a in listed] == [SEED_ID, "storm", "budget", "ferry", "vaccine", "wildfire"]
    assert listed[1]["source"] == "storm.html", "a file name, never a path on the server"
    assert (listed[1]["url"], listed[1]["author"]) == (None, "Jane Roe"), "a file has no link"
    assert main(["ask", "--json", "--article", "storm", "Who ordered the evacuation?"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert {c["article"] for c in answer["citations"]} == {"storm"}
    assert main(["remove", "storm", "budget"]) == 0
    assert capsys.readouterr().out.startswith("removed storm: ")
    assert main(["list"]) == 0
    assert [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()] == [
        SEED_ID,
        "ferry",
        "vaccine",
        "wildfire",
    ]
    assert main(["remove", "storm"]) == 1
    assert (
        capsys.readouterr().err
        == "qa: There is no article 'storm' (see `qa list` or `/articles`).\n"
    )


@pytest.mark.slow
def test_eval_scores_the_seed_set_without_touching_the_served_index(capsys, private_index) -> None:
    """The served corpus is neither read nor written, nor created when there is none."""
    assert main(["eval"]) == 0
    out = capsys.readouterr().out
    hit_at_1 = next(line for line in out.splitlines() if line.startswith("| hit@1 |"))
    assert float(hit_at_1.split("|")[2]) >= 0.8, out
    documented = (ROOT / "docs" / "evaluation.md").read_text(encoding="utf-8")
    table = documented.split("<!-- eval-table -->\n")[1].split("<!-- /eval-table -->")[0]
    assert table.strip() in out, "docs/evaluation.md shows the table `qa eval` prints"
    assert not private_index.exists()
    assert main(["eval", "--article", str(PAGES / "nope.txt")]) == 1
    assert "nope.txt" in capsys.readouterr().err


def test_add_reports_unusable_files_and_goes_on(capsys, tmp_path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "empty.txt").write_text("   \n")
    (folder / "good.md").write_text("# Good news\n\nThe sun came out today, officials said.\n")
    (folder / "notes.docx").write_bytes(b"PK")
    assert main(["add", str(folder)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("added good: “Good news”")
    assert captured.err == (
        f"qa: skipped {folder / 'notes.docx'}: not a .txt, .md or .html file\n"
        f"qa: skipped {folder / 'empty.txt'} has no text\n"
    )
    assert main(["add", str(tmp_path / "notes.pdf")]) == 1
    assert "no such file or folder" in capsys.readouterr().err


def test_add_a_link_then_refresh_it_through_the_cli(capsys, monkeypatch, site: Site) -> None:
    monkeypatch.setenv("QA_FETCH_ALLOW", "127.0.0.1")
    site.routes["/ferry"] = page("ferry.html")
    assert main(["add", site.url("/ferry"), "file:///etc/passwd"]) == 1
    captured = capsys.readouterr()
    ferry = "island-ferry-crews-to-strike-for-48-hours-over-r"
    assert re.fullmatch(
        f"added {ferry}: “Island ferry crews to strike for 48 hours over rota changes” "
        r"\(\d+ sentences\)\n",
        captured.out,
    )
    assert (
        captured.err == "qa: skipped file:///etc/passwd: Only http and https links can be added.\n"
    )
    assert main(["list", "--json"]) == 0
    (entry,) = [e for e in json.loads(capsys.readouterr().out) if e["id"] == ferry]
    assert entry["url"] == entry["source"] == site.url("/ferry")
    assert (entry["author"], entry["date"], entry["site"]) == (
        "Helen Park",
        "2026-03-14",
        "The Harbour Gazette",
    )
    assert main(["add", "--refresh"]) == 0
    assert capsys.readouterr().out.startswith(f"unchanged {ferry}: ")
    assert [path for path, _ in site.requests] == ["/ferry", "/ferry"]
    assert main(["add"]) == 1
    assert capsys.readouterr().err == (
        "qa: Name the files, folders or links to add, or give --refresh.\n"
    )


@pytest.mark.slow
def test_concurrent_qa_add_commands_lose_nothing(tmp_path) -> None:
    """Two `qa add` at once on a new folder: one waits for the other; both land."""
    env = {**os.environ, "QA_INDEX_DIR": str(tmp_path / "index")}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "qa", "add", str(PAGES / name)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("storm.html", "vaccine.html")
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert [out.split(":")[0] for out, _ in outputs] == ["added storm", "added vaccine"]
    listing = subprocess.run(
        [sys.executable, "-m", "qa", "list", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    ids = {article["id"] for article in json.loads(listing.stdout)}
    assert ids == {SEED_ID, "storm", "vaccine"}
    assert "rebuilt" not in listing.stderr, "what the two left behind is whole"


def test_hash_password_prints_a_line_the_server_accepts(capsys, monkeypatch, tmp_path) -> None:
    from qa.ui.access import Editors

    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    assert main(["hash-password", "ana"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("ana:pbkdf2_sha256$") and "a long passphrase" not in line
    (tmp_path / "editors").write_text(line + "\n")
    editors = Editors.configured(None, tmp_path / "editors")
    assert editors is not None and editors.check("ana", "a long passphrase")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["hash-password", "ana"]) == 1
    assert "at least 8 characters" in capsys.readouterr().err


@pytest.mark.slow
def test_show_prints_the_annotated_article(capsys) -> None:
    assert main(["show", SEED_ID, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (
        shown["id"] == SEED_ID and shown["text"] == SEED_TEXT and shown["source"].endswith(".txt")
    )
    assert "/" not in shown["source"], "a file name, never a path on the server"
    sentences = shown["sentences"]
    assert len(sentences) == 22 and sentences[2]["speaker"] == "Jens Stoltenberg"
    assert all(SEED_TEXT[s["start"] : s["end"]].strip() for s in sentences)
    assert main(["show", "nope"]) == 1
    assert "There is no article 'nope'" in capsys.readouterr().err
