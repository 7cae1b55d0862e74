"""The package's layout holds: each stage imports only the stages below it, and the
interfaces reach the core through its front door alone."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

# Lowest first. A module may import its own folder and anything on a lower floor.
FLOORS = {
    "qa.records": 0,
    "qa.errors": 0,
    "qa.config": 0,
    "qa.data": 0,
    "qa.articles": 1,
    "qa.search": 2,
    "qa.store": 3,
    "qa.answer": 4,
    "qa.engine": 5,
    "qa.eval": 6,
    "qa.ui": 7,
}
# What the interfaces may use of the core; `qa.eval` is the measuring kit beside them.
FRONT_DOOR = {"qa.engine", "qa.records", "qa.errors", "qa.config"}
INTERFACES = ("qa.ui", "qa.eval", "qa.__main__")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def qa_imports(path: Path) -> set[str]:
    """Every `qa…` module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("qa"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("qa")}
    return found


def floor(module: str) -> tuple[str, int]:
    for prefix, number in FLOORS.items():
        if module == prefix or module.startswith(prefix + "."):
            return prefix, number
    raise AssertionError(f"{module} is on no floor: add it to FLOORS")


def test_every_stage_imports_only_downward() -> None:
    wrong = []
    for path in sorted((ROOT / "qa").rglob("*.py")):
        name = module_name(path)
        if name in ("qa", "qa.__main__"):
            continue
        home, level = floor(name)
        for imported in qa_imports(path):
            there, other = floor(imported)
            if there != home and other >= level:
                wrong.append(f"{name} imports {imported}")
    assert not wrong, wrong


def test_interfaces_use_only_the_front_door() -> None:
    files = [*(ROOT / "qa" / "ui").rglob("*.py"), *(ROOT / "bench").glob("*.py"), ROOT / "app.py"]
    files.append(ROOT / "qa" / "__main__.py")
    wrong = [
        f"{path.relative_to(ROOT)} imports {imported}"
        for path in files
        for imported in qa_imports(path)
        if imported not in FRONT_DOOR and not imported.startswith(INTERFACES)
    ]
    assert not wrong, wrong


def test_only_the_ui_imports_gradio_and_only_search_imports_the_model_and_faiss() -> None:
    """Each library is loaded by one module (or the UI, for gradio); a module may name its
    types for the type checker alone (under `TYPE_CHECKING`) without loading it."""
    owners = {
        "faiss": "qa/search/vector_index.py",
        "spacy": "qa/articles/nlp.py",
        "sentence_transformers": "qa/search/embedding.py",
        "pymilvus": "qa/store/milvus_rows.py",
        "httpx": "qa/articles/fetch.py",
    }
    for library, owner in [*owners.items(), ("gradio", "qa/ui/")]:
        importers = {
            str(path.relative_to(ROOT))
            for path in (ROOT / "qa").rglob("*.py")
            if library in runtime_imports(path)
        }
        assert importers and all(path.startswith(owner) for path in importers), importers


def test_only_the_cli_and_the_editors_page_fetch() -> None:
    """The reader's page, its API and MCP tools (`qa.ui.web`, `qa.ui.server`) never call
    what fetches a link; the engine calls `fetch` from its link methods alone."""
    fetching = {"add_link", "add_links", "refetch_links"}
    callers = {
        str(path.relative_to(ROOT))
        for path in [*(ROOT / "qa").rglob("*.py"), *(ROOT / "bench").glob("*.py"), ROOT / "app.py"]
        if fetching & called_names(path)
    }
    assert callers == {"qa/ui/cli.py", "qa/ui/editing.py", "qa/engine.py"}, callers
    assert "fetch" in called_names(ROOT / "qa" / "engine.py")
    others = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "qa").rglob("*.py")
        if "fetch" in called_names(path) and path.name not in ("engine.py", "fetch.py")
    ]
    assert others == [], others


def called_names(path: Path) -> set[str]:
    """The names of the functions and methods a module calls."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Attribute):
                found.add(function.attr)
            elif isinstance(function, ast.Name):
                found.add(function.id)
    return found


def runtime_imports(path: Path) -> set[str]:
    """The top-level packages a module imports when it runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for node in ast.walk(block)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
    return found


def test_importing_the_package_leaves_the_environment_alone() -> None:
    import os
    import subprocess
    import sys

    script = "import os, json; before = dict(os.environ); import qa, qa.engine, qa.ui.cli; "
    script += "print(json.dumps(sorted(set(os.environ.items()) ^ set(before.items()))))"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "GRADIO_"))}
    clean.pop("TRANSFORMERS_VERBOSITY", None)
    out = subprocess.run(
        [sys.executable, "-c", script], env=clean, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
