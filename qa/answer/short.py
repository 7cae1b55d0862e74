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

Measured on the 161 answerable SQuAD 2.0 dev questions (`qa eval --squad`): short EM
0.14 and F1 0.19, given for 30% of them and right (F1 >= 0.5) for 65% of those; the
whole first citation as the span scores F1 0.22. The weights and thresholds were tuned on
the even-numbered questions (right for 87% of those given) and hold less well on the odd
ones (48%): far from the reader this should become.

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
NUMERIC = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})

# How a candidate scores; tuned on half of the SQuAD 2.0 dev questions (see `qa eval`).
TYPE_MATCH = 2.0
HEAD_MATCH = 1.5
WHOLE_ENTITY = 0.3
ATTACHED = 1.0
NEAR = 3.0  # at most, for a candidate beside the question words nearest its wh-word
LONG = 0.1  # per token past the third
ASKED_WORDS = 2.0  # times the share of the candidate's words that the question has
# The least score that is given, per kind: the lowest at which the tuning half's short
# answers were right 85% of the time or more (for numbers, 3 of the best 4).
GIVE_AT: dict[Kind, float] = {"person": 2.3, "time": 1.3, "place": 2.5, "number": 2.2, "thing": 1.7}


@dataclass(frozen=True)
class Asked:
    """What a question asks for: its kind, the noun naming it, and the question's words."""

    kind: Kind
    head: str | None
    words: frozenset[str]
    # Each question word's closeness to the wh-word in the question's parse: the words
    # nearest it say most about where the answer sits in the quote.
    closeness: dict[str, float]


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
    closeness: dict[str, float] = {}
    for token in doc:
        if _content(token):
            near = 1 / (1 + _tree_distance(wh, token))
            for form in (token.lower_, token.lemma_.lower()):
                closeness[form] = max(closeness.get(form, 0.0), near)
    word = wh.lower_
    kind: Kind | None = None
    head = None
    if word in {"who", "whom", "whose"}:
        kind = "person"
    elif word == "when":
        kind = "time"
    elif word == "where":
        kind = "place"
    elif word == "how":
        following = doc[wh.i + 1] if wh.i + 1 < len(doc) else None
        if following is not None and following.lower_ in MEASURES:
            kind = "number"
            head = following.head.lemma_.lower() if following.head.pos_ == "NOUN" else None
    elif word in {"what", "which"}:
        head = _asked_noun(wh)
        kind = next((k for k, nouns in HEAD_KINDS if head in nouns), "thing")
    return Asked(kind, head, words, closeness) if kind else None


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
    anchors = [t for t in quote if _content(t) and _shared(t, asked)]
    scored: list[tuple[float, Span]] = []
    for span in _candidates(asked, quote):
        score = _score(asked, span, anchors)
        if score is not None:
            scored.append((score, span))
    if not scored:
        return None
    score, span = max(scored, key=lambda pair: (pair[0], -len(pair[1])))
    return span if score >= GIVE_AT[asked.kind] else None


def _candidates(asked: Asked, quote: Doc) -> list[Span]:
    """For a person, a time, a place or a number, the entities of that type; for any
    other thing, entities, noun phrases (with their conjuncts: "Denmark, Iceland and
    Norway"), and the phrases that fill a verb's or a preposition's slots."""
    spans: dict[tuple[int, int], Span] = {}
    if asked.kind != "thing":
        typed = [e for e in quote.ents if e.label_ in LABELS[asked.kind]]
        return [span for span in map(_trim, typed) if span is not None]
    pieces = list(quote.ents) + list(quote.noun_chunks)
    pieces += [_subtree(t) for t in quote if t.dep_ in ARGUMENTS]
    for chunk in list(quote.noun_chunks):
        conjuncts = [c for c in chunk.root.children if c.dep_ == "conj"]
        if conjuncts:
            pieces.append(quote[chunk.start : max(c.right_edge.i for c in conjuncts) + 1])
    for piece in pieces:
        trimmed = _trim(_whole_entities(piece))
        if trimmed is not None and len(trimmed) <= MAX_TOKENS:
            spans[(trimmed.start, trimmed.end)] = trimmed
    return list(spans.values())


def _whole_entities(span: Span) -> Span:
    """The span grown to the whole of any entity it cuts: "February 1082", not "February"."""
    start, end = span.start, span.end
    first, last = span.doc[start], span.doc[end - 1]
    if first.ent_iob_ == "I":
        start = next(e.start for e in span.doc.ents if e.start <= start < e.end)
    if last.ent_iob_ and last.ent_type_:
        end = max(end, next(e.end for e in span.doc.ents if e.start <= end - 1 < e.end))
    return span.doc[start:end]


def _subtree(token: Token) -> Span:
    return token.doc[token.left_edge.i : token.right_edge.i + 1]


def _trim(span: Span) -> Span | None:
    """Without punctuation, conjunctions or prepositions at its edges."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].pos_ in {"CCONJ", "ADP", "DET"}):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].pos_ in {"CCONJ", "ADP", "PART"}):
        end -= 1
    return doc[start:end] if end > start else None


def _score(asked: Asked, span: Span, anchors: list[Token]) -> float | None:
    content = [t for t in span if _content(t)]
    if not content:
        return None
    # The noun the question names ("what *church*") is expected in the answer.
    shared = [_shared(t, asked) and t.lemma_.lower() != asked.head for t in content]
    if all(_shared(t, asked) for t in content):
        return None  # the question's own words answer nothing
    score = -ASKED_WORDS * sum(shared) / len(content) - LONG * max(0, len(span) - 3)
    labels = {t.ent_type_ for t in span if t.ent_type_}
    if labels & LABELS[asked.kind]:
        score += TYPE_MATCH
    elif asked.kind == "thing" and labels & NUMERIC:
        score -= TYPE_MATCH  # a date or a number answers "what" only when it asks for one
    if span in span.doc.ents and span.label_ in LABELS[asked.kind]:
        score += WHOLE_ENTITY
    # "What *church*…": the answer names a church; "how many *missiles*": it counts them.
    if asked.head and asked.head in {t.lemma_.lower() for t in [*span, span.root.head]}:
        score += HEAD_MATCH
    outside = [a for a in anchors if not span.start <= a.i < span.end]
    if outside:
        score += NEAR * max(
            _closeness(asked, a) / (1 + _tree_distance(span.root, a)) for a in outside
        )
        if span.root.head in outside:
            score += ATTACHED
    return score


def _closeness(asked: Asked, token: Token) -> float:
    forms = (token.lower_, token.lemma_.lower())
    return max(asked.closeness.get(form, 0.0) for form in forms)


def _tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens of one parse."""
    above_a = [a, *a.ancestors]
    above_b = [b, *b.ancestors]
    depth_b = {token.i: depth for depth, token in enumerate(above_b)}
    for depth, token in enumerate(above_a):
        if token.i in depth_b:
            return depth + depth_b[token.i]
    return len(above_a) + len(above_b)  # two sentences' roots


def _content(token: Token) -> bool:
    return not (token.is_punct or token.is_stop or token.is_space)


def _shared(token: Token, asked: Asked) -> bool:
    return token.lower_ in asked.words or token.lemma_.lower() in asked.words
