"""The README's promises, checked: its Python example runs against a live server."""

import contextlib
import io
import re

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_client_example_runs(server: str) -> None:
    example = re.search(r"```python\n(.*?)```", README, flags=re.S)
    assert example, "the README has a Python example"
    code = example.group(1).replace("http://127.0.0.1:7860/", server)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    lines = printed.getvalue().splitlines()
    assert lines[0] == "What alternative did Volodymyr Zelenskyy offer?"
    assert len(lines) >= 2 and lines[1].split()[0] in {"s15", "s16", "s17", "s15-s16"}


def test_mcp_example_runs(server: str) -> None:
    (example,) = [
        block
        for block in re.findall(r"```python\n(.*?)```", README, flags=re.S)
        if "streamable_http_client" in block
    ]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example.replace("http://127.0.0.1:7860/", server), "README.md", "exec"), {})
    assert "'found': True" in printed.getvalue() and "Jens Stoltenberg" in printed.getvalue()


def test_readme_names_two_commands_that_exist() -> None:
    blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    assert blocks[0].strip().endswith("python app.py")
    assert blocks[1].strip() == "./scripts/check"
    assert (ROOT / "scripts" / "check").exists() and (ROOT / "app.py").exists()
