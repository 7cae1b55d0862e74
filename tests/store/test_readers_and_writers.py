"""A server reads while another process writes: readers take no lock, and lose no race.

Each commit removes the files of the manifest before the last (see `files`), and a
reader that finds its files gone reads the new manifest and tries again: while a writer
commits 50 times, a reader asking and listing in a loop meets no error and starts no
repair. Only a writer repairs, under the lock.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from qa.config import Config
from qa.engine import Engine
from tests.conftest import ARTICLE, ROOT
from tests.fakes import FakeEmbedder

COMMITS = 50
WRITER = """
import sys
from pathlib import Path
from qa.articles.sources import from_text
from qa.store.corpus import Corpus
from qa.store.files import CorpusStore
from tests.fakes import FakeEmbedder

writer = Corpus(CorpusStore(Path(sys.argv[1])), FakeEmbedder())
for number in range(int(sys.argv[2])):
    if number % 2:
        writer.remove(["churn"])
    else:
        text = f"Churn {number}\\n\\nThe council met {number} times. “We are busy,” Jo Lee said.\\n"
        writer.add([from_text(text, name="churn")])
    print(number, flush=True)
"""


def test_a_reader_meets_no_error_and_starts_no_repair_while_a_writer_commits(
    private_index: Path,
) -> None:
    engine, _ = Engine.open(Config(article_path=ARTICLE, index_dir=private_index), FakeEmbedder())
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(private_index), str(COMMITS)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    errors: list[str] = []
    asked = 0
    while writer.poll() is None or asked == 0:
        try:
            for summary in engine.articles:
                engine.article(summary.id)  # the stored files, read afresh
            answer = engine.ask("How many times did the council meet?")
            assert answer.citations
            asked += 1
        except Exception as error:  # the test counts every failure a reader could meet
            errors.append(repr(error))
    out, _ = writer.communicate(timeout=120)
    assert writer.returncode == 0 and out.split()[-1] == str(COMMITS - 1)
    assert errors == [] and engine.repairs == 0
    assert asked > COMMITS / 5, "the reader kept asking while the writer committed"
