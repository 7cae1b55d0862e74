"""The short answer: the few words inside the first citation that answer the question.

No reader model ships in any package we can use, so the span is chosen by rules over
spaCy's parse (`parse`): what the question asks for (a person, a time, or a number,
also when named by its noun: "what year", "how many missiles"), the entities of that
type in the quote, and how each sits among the words the question shares with it. A
candidate made only of the question's own words never answers ("Who leads NATO?" is not
answered "NATO").

It says nothing rather than something wrong. Places and other things ("what", "where")
get no span: on half of the SQuAD 2.0 dev questions their rules were right for 59% of
the spans given, and held less well on the other half. Nor does a question whose two best
spans score within `MARGIN` of each other, nor a number that counts another noun than the
one asked about.

Measured on the 161 answerable SQuAD 2.0 dev questions (`qa eval --squad`): a span for
16% of them, right (F1 >= 0.5) for 80% of those; short F1 0.13 against 0.23 for the
whole first sentence, because most questions get none.

Left out: a trained reader; answers spanning two citations; yes/no questions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from qa.answer.merge import Reply
from qa.answer.parse import parse
from qa.articles.lexicon import word_list
from qa.records import Answer, Citation, ShortAnswer

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

Kind = Literal["person", "time", "number"]

# The entity labels (OntoNotes, as spaCy names them) that answer each kind of question.
LABELS: dict[Kind, frozenset[str]] = {
    "person": frozenset({"PERSON", "ORG", "NORP"}),
    "time": frozenset({"DATE", "TIME"}),
    "number": frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}),
}
HEAD_KINDS: tuple[tuple[Kind, frozenset[str]], ...] = (
    ("time", word_list("time_nouns")),
    ("number", word_list("number_nouns")),
    ("person", word_list("person_nouns")),
)
# "How long", "how far": a measure, answered as a number is.
MEASURES = frozenset({"many", "much", "long", "far", "old", "big", "large", "high", "tall"})
# Nouns that stand between "what" and the thing asked about: "what *kind* of state".
LINKING_HEADS = word_list("generic_heads")

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
GIVE_AT: dict[Kind, float] = {"person": 2.3, "time": 1.3, "number": 2.2}
# How far the best span must lead the next: closer than this, either could be the answer.
MARGIN = 0.5


@dataclass(frozen=True)
class Asked:
    """What a question asks for: its kind, the noun naming it, and the question's words."""

    kind: Kind
    head: str | None
    words: frozenset[str]
    # Each question word's closeness to the wh-word in the question's parse: the words
    # nearest it say most about where the answer sits in the quote.
    closeness: dict[str, float]


def with_short_answer(reply: Reply) -> Answer:
    """The reply's answer with its short answer: found only, since a refusal states no
    answer, not even a short one. Done once, for the reply chosen among the articles."""
    answer = reply.answer
    if not answer.found:
        return answer
    short = short_answer(reply.searched, reply.text, answer.citations[0])
    return replace(answer, short_answer=short)


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
    elif word == "how":
        following = doc[wh.i + 1] if wh.i + 1 < len(doc) else None
        if following is not None and following.lower_ in MEASURES:
            kind = "number"
            head = following.head.lemma_.lower() if following.head.pos_ == "NOUN" else None
    elif word in {"what", "which"}:
        head = _asked_noun(wh)
        kind = next((k for k, nouns in HEAD_KINDS if head in nouns), None)
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
    scored.sort(key=lambda pair: (pair[0], -len(pair[1])), reverse=True)
    score, span = scored[0]
    if len(scored) > 1 and score - scored[1][0] < MARGIN:
        return None  # two spans fit about as well: either could be wrong
    return span if score >= GIVE_AT[asked.kind] else None


def _candidates(asked: Asked, quote: Doc) -> list[Span]:
    """The entities of the asked type; for "how many *missiles*", only those that count
    missiles (a number beside another noun counts something else)."""
    typed = [e for e in quote.ents if e.label_ in LABELS[asked.kind]]
    if asked.kind == "number" and asked.head:
        typed = [e for e in typed if _names(e, asked.head)]
    return [span for span in map(_trim, typed) if span is not None]


def _names(span: Span, noun: str) -> bool:
    """`noun` is in the span or is the word the span hangs off ("a thousand *missiles*")."""
    return noun in {t.lemma_.lower() for t in [*span, span.root.head]}


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
    if span in span.doc.ents and span.label_ in LABELS[asked.kind]:
        score += WHOLE_ENTITY
    # "What *year*…": the answer may name the noun asked about; "how many *missiles*"
    # counts them.
    if asked.head and _names(span, asked.head):
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
