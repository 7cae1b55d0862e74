"""What parsing costs where it could hurt: memory under a stream of new words, and time on
a long article. Measured by `bench/parsing.py`, each beside a floor taken in the same
process; nothing here is a test.

- Memory: questions made of random tokens are parsed as questions are (`expected`), and
  spaCy's string store and the process's resident memory are read before and after. The
  floor is the same number of such texts parsed by the bare pipeline, whose string store
  keeps every new token for the life of the process.
- A long article: one of `chars` characters, made of the seed repeated, is read as an
  added article is (segmenting, one parse, crediting its quotations), and crediting is
  timed at a tenth of that length too: linear crediting takes ten times as long at ten
  times the length, a quadratic one a hundred.
- Indexing (`bench/many.py`): each of a list of articles indexed in turn, as `qa add`
  indexes a folder, in milliseconds per 1,000 words.
"""

from __future__ import annotations

import random
import resource
import string
import time
from dataclasses import dataclass

from qa.answer.reading.expected import expected
from qa.articles import nlp
from qa.articles.annotate import parse, read
from qa.articles.segment import split_sentences
from qa.articles.sources import from_text
from qa.config import default_article
from qa.search.embedding import make_embedder
from qa.search.indexing import index_article


@dataclass(frozen=True)
class Growth:
    strings: int  # entries added to spaCy's string store
    resident_mb: float  # growth of the process's peak resident memory


def random_question(rng: random.Random) -> str:
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 12))) for _ in range(8)]
    return "Who " + " ".join(words) + "?"


def question_memory(count: int, seed: int = 0) -> tuple[Growth, Growth]:
    """Growth over `count` random questions through the question reader, and over as many
    through the bare pipeline (the floor, parsed after)."""
    rng = random.Random(seed)
    pipeline = nlp._pipeline()
    expected("Who spoke?")  # loaded, before anything is counted

    def grown(run: object) -> Growth:
        strings, peak = len(pipeline.vocab.strings), _peak_mb()
        assert callable(run)
        run()
        return Growth(len(pipeline.vocab.strings) - strings, _peak_mb() - peak)

    ours = grown(lambda: [expected(random_question(rng)) for _ in range(count)])
    bare = grown(lambda: [pipeline(random_question(rng)) for _ in range(count)])
    return ours, bare


@dataclass(frozen=True)
class LongArticle:
    chars: int
    segment_s: float
    parse_s: float
    credit_s: float
    credit_tenth_s: float  # crediting an article a tenth as long
    quotations: int


def long_article(chars: int = 200_000) -> LongArticle:
    seed = default_article().read_text(encoding="utf-8").strip()
    text = _repeated(seed, chars)
    tenth = _repeated(seed, chars // 10)
    started = time.perf_counter()
    segments = split_sentences(text)
    segmented = time.perf_counter()
    parsed = parse(text, segments)
    parsed_at = time.perf_counter()
    reading = read(text, segments, parsed)
    credited = time.perf_counter()
    short_segments = split_sentences(tenth)
    short_parsed = parse(tenth, short_segments)
    began = time.perf_counter()
    read(tenth, short_segments, short_parsed)
    tenth_s = time.perf_counter() - began
    return LongArticle(
        len(text),
        segmented - started,
        parsed_at - segmented,
        credited - parsed_at,
        tenth_s,
        len(reading.quotations),
    )


def indexing_rates(texts: list[str]) -> list[float]:
    """`index_article` of each text in turn, after one to load the parser and the model:
    milliseconds per 1,000 words."""
    embedder = make_embedder()
    index_article(from_text("Warm up.\n\nThe parser and the model load here."), embedder)
    rates = []
    for text in texts:
        started = time.perf_counter()
        index_article(from_text(text), embedder)
        rates.append((time.perf_counter() - started) * 1e6 / len(text.split()))
    return rates


def _repeated(text: str, chars: int) -> str:
    copies = max(1, chars // (len(text) + 2))
    return "\n\n".join([text] * copies) + "\n"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
