"""The project installs as a real package: a wheel in a fresh venv answers from /tmp."""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

from bench.live import free_port, raw_call, wait_for
from tests.conftest import ROOT, SEED_TEXT, stream_result

pytestmark = pytest.mark.slow


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_a_wheel_in_a_fresh_venv_answers_from_tmp(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(wheels), str(ROOT)],
        tmp_path, dict(os.environ),
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("article_qa-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # The dependencies come from this environment (a .pth file), so that the test
    # installs the project alone and downloads nothing; the project itself is the wheel.
    (inner,) = (venv / "lib").glob("python*/site-packages")
    (inner / "dependencies.pth").write_text(site.getsitepackages()[0] + "\n")
    installed = run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        tmp_path, dict(os.environ),
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env |= {"XDG_DATA_HOME": str(tmp_path / "data"), "PYTHONPATH": ""}
    qa = str(venv / "bin" / "qa")
    python = str(venv / "bin" / "python")
    question = "What did NATO say about ground forces?"
    # -X importtime lists every module imported: building the index and answering need
    # no torch, so the app installs without it.
    asked = run([python, "-X", "importtime", "-m", "qa", "ask", question], elsewhere, env)
    assert asked.returncode == 0, asked.stderr
    assert "NATO" in asked.stdout and "s3" in asked.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in asked.stderr.splitlines()}
    # spaCy's thinc tries `import torch`, which is refused; a torch that loads brings torch._C.
    assert "onnxruntime" in imported and "torch._C" not in imported
    index = tmp_path / "data" / "article-qa" / "index"
    assert (index / "manifest.json").is_file(), "the index lives in the user's data folder"
    assert not list(elsewhere.iterdir()), "nothing is written where qa was started"

    story = elsewhere / "harbour.txt"
    story.write_text("Harbour reopens\n\nThe harbour reopened on Monday, the mayor said.\n")
    added = run([qa, "add", str(story)], elsewhere, env)
    assert added.returncode == 0 and added.stdout.startswith("added harbour"), added.stderr
    listed = run([python, "-m", "qa", "list"], elsewhere, env)
    assert listed.returncode == 0 and "harbour" in listed.stdout

    port = free_port()
    env["GRADIO_SERVER_PORT"] = str(port)
    with (tmp_path / "serve.log").open("w") as log:
        server = subprocess.Popen([qa, "serve"], cwd=elsewhere, env=env, stdout=log, stderr=log)
        try:
            wait_for(f"http://127.0.0.1:{port}/", server)
            answer = stream_result(
                raw_call(port, "ask", ["What did NATO say about ground forces?", [], ""])
            )
        finally:
            server.terminate()
            server.wait(timeout=20)
    first = answer["citations"][0]
    assert SEED_TEXT[first["start"] : first["end"]] == first["quote"]
