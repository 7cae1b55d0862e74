import json
import subprocess
import sys

import pytest

from qa.cli import main
from tests.conftest import ROOT, SEED_TEXT


def test_empty_question_is_refused_with_one_line(capsys) -> None:
    assert main(["ask", "  "]) == 2
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
            "qa.cli",
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
    assert "rebuilt" in run.stderr and run.stderr.count("\n") == 1

    again = subprocess.run(
        [sys.executable, "-m", "qa.cli", "--index-dir", str(env_index), "index"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert again.returncode == 0 and again.stdout.startswith("index: up to date")
