"""Re-rank the best sentences by what the question asks for, and refuse when none holds it.

News repeats its subject in every sentence, so the sentence that names everything a
question names, often the lead, outranks the one that answers it. The answer-type step
of classic question answering mends that: a question asks for a kind of thing
(`reading.expected`), and the sentence that answers holds one (a mention the article's
parse found, see `articles.mentions`) that the question does not already name.

Of the retriever's best `POOL` sentences, each becomes a `Candidate` with the best
mention of the asked kind it holds, and is scored (`TypeWeights`):
- plus `typed` for holding one (`loose` of that for a mention that answers less surely:
  a name of another label, a purpose for "why" (see `expected.LESS_SURELY`), or a
  surname alone, since a person is introduced by their full name), plus `fit` for
  each word of the question the mention hangs from in the parse ("founded *by* X" for
  "Who founded…?"), nearer counting more, and for a number that counts the noun asked
  about, plus `near` for each other word of the question within `WINDOW` words of it;
- minus `untyped` for holding none, when the question asks for a kind;
- minus `headline` for the story's headline, which names what the story is about and
  answers no detail a body sentence gives.
A question that asks for a kind that none of the first `depth` candidates holds is
refused, as "maybe not in the article" with the closest passage: that is how questions
about what a story does not say are told from those it answers, without a reader model.

The weights are fitted by cross-validation on folds of the development data (`qa eval
--folds K`, see `eval.folds`); the defaults are the fit on all of it.

Left out: answers spread over two sentences, and anaphora ("he" as a person).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qa.answer.reading.expected import Expected
from qa.records import Hit, Mention, Sentence
from qa.search.lexical import stems

POOL = 10  # the retriever's best sentences that the type may re-order
WINDOW = 6  # words either side of a mention in which the question's words count as near
WORD = re.compile(r"\w[\w'’-]*")


@dataclass(frozen=True)
class TypeWeights:
    """How much the type counts; the defaults are the fit on all the development data
    and our own sets (`qa eval --folds 5 --squad news-dev.json --squad squad2-dev.json`)."""

    typed: float = 0.15
    loose: float = 0.0
    fit: float = 0.05
    near: float = 0.0
    untyped: float = 0.05
    headline: float = 0.1
    depth: int = 0  # no fold's fit refused by type: it cost more answers than it saved


# The retriever's own order: no weight for the type, no refusal by it.
PLAIN = TypeWeights(typed=0, loose=0, fit=0, near=0, untyped=0, headline=0, depth=0)


@dataclass(frozen=True)
class Candidate:
    """A retrieved sentence with the answer of the asked kind it holds, if any."""

    hit: Hit
    answer: Mention | None = None
    exact: bool = False  # the answer's label is one the kind asks for, not a near one
    fit: float = 0.0  # question words the answer hangs from in the parse, nearer counting more
    near: float = 0.0  # question words beside the answer
    headline: bool = False

    def score(self, typed: bool, weights: TypeWeights) -> float:
        score = self.hit.score - (weights.headline if self.headline else 0.0)
        if not typed:
            return score
        if self.answer is None:
            return score - weights.untyped
        share = 1.0 if self.exact else weights.loose
        return score + share * (weights.typed + weights.fit * self.fit + weights.near * self.near)


def candidates(
    hits: list[Hit], expected: Expected | None, question: str, sentences: list[Sentence]
) -> list[Candidate]:
    """Each hit with the best answer of the asked kind in its sentence."""
    headline = _headline(sentences)
    asked = set(stems(question))
    initials = _initials(question)
    found = []
    for hit in hits:
        candidate = Candidate(hit, headline=hit.sentence.index == headline)
        if expected is not None:
            candidate = _with_answer(candidate, expected, asked, initials)
        found.append(candidate)
    return found


def rerank(
    found: list[Candidate], expected: Expected | None, weights: TypeWeights
) -> list[Candidate]:
    """The candidates, best first by their typed score."""
    typed = expected is not None
    return sorted(found, key=lambda c: c.score(typed, weights), reverse=True)


def lacks_answer(ranked: list[Candidate], expected: Expected | None, weights: TypeWeights) -> bool:
    """A typed question none of whose first `depth` candidates holds an answer of its kind."""
    if expected is None or weights.depth <= 0:
        return False
    return all(c.answer is None for c in ranked[: weights.depth])


def _with_answer(
    candidate: Candidate, expected: Expected, asked: set[str], initials: set[str]
) -> Candidate:
    """The candidate with the mention of its sentence that best answers: the asked label
    first, then the best fit; never one the question already names."""
    sentence = candidate.hit.sentence
    best: tuple[bool, float, Candidate] | None = None
    for mention in _mentions(sentence, expected):
        exact = mention.kind in expected.labels
        if not exact and mention.kind not in expected.less_surely:
            continue
        said = sentence.text[mention.start - sentence.start : mention.end - sentence.start]
        if _named(said, asked, initials):
            continue  # the question's own words answer nothing
        if mention.kind == "PERSON" and len(said.split()) < 2:
            exact = False  # "who" is answered by a name as a person is introduced, in full
        fit, near = _fit(mention, expected), _near(sentence, mention, asked)
        option = replace(candidate, answer=mention, exact=exact, fit=fit, near=near)
        if best is None or (exact, fit + near) > best[:2]:
            best = (exact, fit + near, option)
    return best[2] if best is not None else candidate


def _mentions(sentence: Sentence, expected: Expected) -> tuple[Mention, ...]:
    """The sentence's mentions, and its speaker's words for "what did X say"."""
    if expected.kind != "speech":
        return sentence.mentions
    if sentence.speech is None or not _same_person(sentence.speaker, expected.subject):
        return ()
    return (Mention("SPEECH", sentence.speech.start, sentence.speech.end),)


def speaker_asked(expected: Expected | None, sentences: list[Sentence]) -> str | None:
    """For "what did X say", the speaker the article credits that X names, with the most
    credited sentences; None for other questions, or an X the article never quotes."""
    if expected is None or expected.kind != "speech":
        return None
    credited = [s.speaker for s in sentences if _same_person(s.speaker, expected.subject)]
    return max(dict.fromkeys(credited), key=credited.count) if credited else None


def _same_person(speaker: str | None, subject: str) -> bool:
    """A speaker the question names: "Wolfgang Clement" in "economy minister Wolfgang
    Clement", or "NATO" in "NATO"."""
    if not speaker:
        return False
    return bool(set(_capitalised(speaker)) & set(_capitalised(subject)))


def _capitalised(text: str) -> list[str]:
    return [word.lower() for word in WORD.findall(text) if word[0].isupper()]


def _named(said: str, asked: set[str], initials: set[str]) -> bool:
    """Does the question already name this: all its words, or its initials ("GM" for
    "General Motors")?"""
    words = stems(said)
    return (bool(words) and all(word in asked for word in words)) or said in initials


def _initials(question: str) -> set[str]:
    """The initials of each run of capitalised words of the question.

    >>> sorted(_initials("Did General Motors beat DaimlerChrysler?"))
    ['GM']
    """
    # The first word is capitalised as the start of a sentence, not as part of a name.
    rest = question.split(maxsplit=1)[1] if " " in question.strip() else ""
    runs = re.findall(r"(?:[A-Z][\w'’-]*\s+){1,}[A-Z][\w'’-]*", rest)
    return {"".join(word[0] for word in run.split()) for run in runs}


def _fit(mention: Mention, expected: Expected) -> float:
    """How well a mention sits where the question asks: each question word it hangs from,
    the nearest counting most, and a number that counts the noun asked about."""
    shared = [depth for depth, word in enumerate(mention.context) if word in expected.lemmas]
    fit = sum(1 / (1 + depth) for depth in shared)
    if expected.noun and mention.unit == expected.noun:
        fit += 1.0
    return fit


def _near(sentence: Sentence, mention: Mention, asked: set[str]) -> float:
    """The question's words within `WINDOW` words of the mention, each counted once."""
    start, end = mention.start - sentence.start, mention.end - sentence.start
    before = WORD.findall(sentence.text[:start])[-WINDOW:]
    after = WORD.findall(sentence.text[end:])[:WINDOW]
    return float(len(set(stems(" ".join(before + after))) & asked))


def _headline(sentences: list[Sentence]) -> int:
    """The index of the story's headline (its first line, alone and unpunctuated), or -1."""
    if len(sentences) < 2:
        return -1
    first, second = sentences[0], sentences[1]
    alone = second.paragraph != first.paragraph
    ends = first.text.rstrip().endswith((".", "?", "!", "”", '"', "’", "'", ":"))
    return 0 if alone and not ends else -1
