"""The short answer: the few words inside the first citation that answer the question.

No reader model ships in any package we can use, so the span is chosen by rules over
spaCy's parse (`parse`): what the question asks for (a person, a time, a place, a
number, or a thing named by its noun: "what church"), the candidate phrases of the
quote (entities, noun phrases, and the phrases that hang off the words the question
shares with the quote), and how each candidate sits among those shared words. A
candidate made only of the question's own words never answers ("Who leads NATO?" is
not answered "NATO").

It says nothing rather than something wrong: no span for "why" and "how" questions,
nor for a "what" question whose best candidate does not clearly fit.

Left out: a trained reader; answers spanning two citations; yes/no questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from qa.answer.parse import parse
from qa.articles.lexicon import word_list
from qa.records import Citation, ShortAnswer

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

Kind = Literal["person", "time", "place", "number", "thing"]

# The entity labels (OntoNotes, as spaCy names them) that answer each kind of question.
LABELS: dict[Kind, frozenset[str]] = {
    "person": frozenset({"PERSON", "ORG", "NORP"}),
    "time": frozenset({"DATE", "TIME"}),
    "place": frozenset({"GPE", "LOC", "FAC"}),
    "number": frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}),
    "thing": frozenset(),
}
HEAD_KINDS: tuple[tuple[Kind, frozenset[str]], ...] = (
    ("time", word_list("time_nouns")),
    ("place", word_list("place_nouns")),
    ("number", word_list("number_nouns")),
    ("person", word_list("person_nouns")),
)
# "How long", "how far": a measure, answered as a number is.
MEASURES = frozenset({"many", "much", "long", "far", "old", "big", "large", "high", "tall"})
# Nouns that stand between "what" and the thing asked about: "what *kind* of state".
LINKING_HEADS = word_list("generic_heads")
# The dependency relations of phrases that can answer: subjects, objects, complements.
ARGUMENTS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "acomp", "oprd", "appos", "npadvmod", "conj"}
)
MAX_TOKENS = 10

# How a candidate scores; tuned on half of the SQuAD 2.0 dev questions (see `qa eval`).
TYPE_MATCH = 2.0
HEAD_MATCH = 1.5
ATTACHED = 1.0
NEAR = 1.0  # at most, for a candidate right beside the shared words
LONG = 0.15  # per token past the third
ASKED_WORDS = 1.5  # times the share of the candidate's words that the question has
GIVE_AT: dict[Kind, float] = {"person": 2.0, "time": 2.0, "place": 2.0, "number": 2.0, "thing": 2.5}


@dataclass(frozen=True)
class Asked:
    """What a question asks for: its kind, the noun naming it, and the question's words."""

    kind: Kind
    head: str | None
    words: frozenset[str]


def short_answer(question: str, text: str, citation: Citation) -> ShortAnswer | None:
    """The span of `citation` (a slice of the article `text`) that answers `question`."""
    asked = read_question(parse(question))
    if asked is None:
        return None
    quote = parse(text[citation.start : citation.end])
    best = _best(asked, quote)
    if best is None:
        return None
    start = citation.start + best.start_char
    end = citation.start + best.end_char
    return ShortAnswer(text[start:end], start, end)


def read_question(doc: Doc) -> Asked | None:
    """The kind of answer `doc` asks for, or None for a question with no short answer.

    >>> read_question(parse("Who leads NATO?")).kind
    'person'
    >>> read_question(parse("Why did it fall?")) is None
    True
    """
    words = frozenset(w for t in doc if not t.is_punct for w in (t.lower_, t.lemma_.lower()))
    wh = next((t for t in doc if t.tag_ in {"WP", "WDT", "WRB", "WP$"}), None)
    if wh is None:
        return None
    word = wh.lower_
    if word in {"who", "whom", "whose"}:
        return Asked("person", None, words)
    if word == "when":
        return Asked("time", None, words)
    if word == "where":
        return Asked("place", None, words)
    if word == "how":
        following = doc[wh.i + 1] if wh.i + 1 < len(doc) else None
        if following is not None and following.lower_ in MEASURES:
            return Asked("number", None, words)
        return None
    if word in {"what", "which"}:
        head = _asked_noun(wh)
        kind = next((k for k, nouns in HEAD_KINDS if head in nouns), "thing")
        return Asked(kind, head, words)
    return None


def _asked_noun(wh: Token) -> str | None:
    """The noun "what" or "which" qualifies, past "kind of", "type of": "state" in
    "what kind of state"."""
    if wh.dep_ != "det" or wh.head.pos_ not in {"NOUN", "PROPN"}:
        return None
    noun = wh.head
    while noun.lower_ in LINKING_HEADS:
        nested = [c for p in noun.children if p.lower_ == "of" for c in p.children]
        if not nested:
            break
        noun = nested[0]
    return noun.lemma_.lower()


def _best(asked: Asked, quote: Doc) -> Span | None:
    anchors = [t.i for t in quote if _content(t) and _shared(t, asked)]
    scored = [(_score(asked, span, anchors), span) for span in _candidates(quote)]
    scored = [(s, span) for s, span in scored if s is not None]
    if not scored:
        return None
    score, span = max(scored, key=lambda pair: (pair[0], -len(pair[1])))
    return span if score >= GIVE_AT[asked.kind] else None


def _candidates(quote: Doc) -> list[Span]:
    """Entities, noun phrases (with their conjuncts: "Denmark, Iceland and Norway"), and
    the phrases that fill a verb's or a preposition's slots."""
    spans: dict[tuple[int, int], Span] = {}
    pieces = list(quote.ents) + list(quote.noun_chunks)
    pieces += [_subtree(t) for t in quote if t.dep_ in ARGUMENTS]
    for chunk in list(quote.noun_chunks):
        conjuncts = [c for c in chunk.root.children if c.dep_ == "conj"]
        if conjuncts:
            pieces.append(quote[chunk.start : max(c.right_edge.i for c in conjuncts) + 1])
    for piece in pieces:
        trimmed = _trim(piece)
        if trimmed is not None and len(trimmed) <= MAX_TOKENS:
            spans[(trimmed.start, trimmed.end)] = trimmed
    return list(spans.values())


def _subtree(token: Token) -> Span:
    return token.doc[token.left_edge.i : token.right_edge.i + 1]


def _trim(span: Span) -> Span | None:
    """Without punctuation, conjunctions or prepositions at its edges."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].pos_ in {"CCONJ", "ADP", "DET"}):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].pos_ in {"CCONJ", "ADP"}):
        end -= 1
    return doc[start:end] if end > start else None


def _score(asked: Asked, span: Span, anchors: list[int]) -> float | None:
    content = [t for t in span if _content(t)]
    if not content:
        return None
    asked_share = sum(_shared(t, asked) for t in content) / len(content)
    if asked_share == 1:
        return None  # the question's own words answer nothing
    score = -ASKED_WORDS * asked_share - LONG * max(0, len(span) - 3)
    labels = {t.ent_type_ for t in span if t.ent_type_}
    if labels & LABELS[asked.kind]:
        score += TYPE_MATCH
    if asked.head and span.root.lemma_.lower() == asked.head:
        score += HEAD_MATCH
    if anchors:
        if span.root.head.i in anchors and span.root.head.i not in range(span.start, span.end):
            score += ATTACHED
        gap = min(_distance(span, a) for a in anchors)
        score += NEAR / (1 + gap / 3)
    return score


def _distance(span: Span, token: int) -> int:
    if span.start <= token < span.end:
        return 0
    return span.start - token if token < span.start else token - span.end + 1


def _content(token: Token) -> bool:
    return not (token.is_punct or token.is_stop or token.is_space)


def _shared(token: Token, asked: Asked) -> bool:
    return token.lower_ in asked.words or token.lemma_.lower() in asked.words
