"""What a Milvus corpus keeps in its folder besides the manifest: its own id, and the rows
written but not yet published.

- `namespace`: a random id, made once per corpus folder, that every row of the corpus
  carries. Two folders naming the same collection thus never read or delete each
  other's rows.
- `Pending`: a journal of the article contents (id, sha256, build) whose rows a writer
  is about to insert, written and flushed before the rows are. Publishing deletes the
  rows of every journalled content the new manifest does not list, then empties the
  journal. A writer killed between its rows and its manifest therefore leaves rows that
  no reader uses (they are not listed) and that the next writer deletes, whichever
  articles it writes.

Both are written only under the corpus folder's writers' lock.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

NAMESPACE = "milvus-namespace.json"
PENDING = "milvus-pending.jsonl"


def namespace(directory: Path) -> str:
    """The corpus id of the folder, made on first use; the first of two racing makers wins."""
    path = directory / NAMESPACE
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=directory, prefix=".namespace.", suffix=".tmp")
        with os.fdopen(handle, "w") as file:
            json.dump({"corpus": secrets.token_hex(8)}, file)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(name, path)  # fails if another process made it first: theirs stands
        except FileExistsError:
            pass
        finally:
            os.unlink(name)
    corpus = json.loads(path.read_text())["corpus"]
    if not isinstance(corpus, str) or not corpus.isalnum():
        raise ValueError(f"{path} does not hold a corpus id")
    return corpus


@dataclass(frozen=True)
class Content:
    """One article's content under one build: what a set of rows belongs to."""

    article: str
    sha256: str
    build: str


class Pending:
    """The journal of contents whose rows may be in Milvus without a manifest naming them."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / PENDING

    def add(self, content: Content) -> None:
        """Record `content` durably; call it before writing its rows."""
        with self.path.open("a") as file:
            file.write(json.dumps(asdict(content)) + "\n")
            file.flush()
            os.fsync(file.fileno())

    def contents(self) -> set[Content]:
        """Every content recorded since the journal was last cleared. A line cut short by a
        kill is skipped: its writer had not started on those rows."""
        if not self.path.exists():
            return set()
        found = set()
        for line in self.path.read_text().splitlines():
            try:
                found.add(Content(**json.loads(line)))
            except (ValueError, TypeError):
                continue
        return found

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
