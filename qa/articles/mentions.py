"""What a sentence holds that a question may ask for: its typed mentions, from the parse.

Read once, when an article is added (see `annotate`), and stored with its sentences:
- spaCy's entities, with their labels (`PERSON`, `ORG`, `GPE`, `DATE`, `MONEY`…), less
  a possessive ending ("Gordon Brown's" is Gordon Brown), and a year the entities leave
  out or give another kind, as a date ("the *1997* Treaty of Amsterdam");
- `DURATION`: a date or time entity that measures a length of time ("three years", "the
  past six months") rather than placing something in time ("two years ago", "last week");
  it holds a unit of time (`words/time_units.txt`) and a number, and no anchoring word;
- `SCORE`: two numbers of one or two digits joined by a dash ("2-1", "6–4");
- `REASON`: a clause or phrase that gives a cause, found by its marker's place in the
  parse: "because…", "because of…", "due to…", "owing to…", "thanks to…", "as a result
  of…", "so that…", "for" or "after" with a verb ("jailed for using…", "after losing…"),
  "after" opening a clause, and what "the reason" is ("The reason for this is that…");
- `PURPOSE`: an infinitive of purpose ("delayed *to allow censors…*");
For a number, the noun it counts ("36 planes": plane) is its `unit`; for every mention,
the lemmas of the words it hangs from, nearest first, are its `context`, so a question
can tell which of two numbers it asks about ("watched", not "saw").

The markers and anchoring words are closed classes of English grammar, written from a
grammar, not chosen from any article.

Left out: coreference (a "he" is not typed as a person), nested entities, and causes the
grammar does not mark ("It blamed the results on…").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa.articles.lexicon import word_list
from qa.records import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

TIME_UNITS = word_list("time_units")
# Words that place a date in time rather than measure a length of it.
ANCHORING = frozenset({"ago", "last", "next", "this", "that", "these", "every", "since"})
# Determiners that count like a number: "a year", "several months".
COUNTING = frozenset({"a", "an", "several", "few", "many", "some"})
NUMBERS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})
# Subordinators of cause or purpose that open a clause ("because it had censored it").
CAUSAL_MARKS = frozenset({"because", "so", "after"})
# Two-word prepositions of cause, by their first word and its partner.
CAUSAL_PREPOSITIONS = {"because": "of", "due": "to", "owing": "to", "thanks": "to"}
# Prepositions that give a cause when their object is a verb: "jailed for using…".
CAUSAL_WITH_VERB = frozenset({"for", "after"})
# Where an infinitive of purpose hangs: on the verb, or on the noun it serves ("a delay to
# allow censors to cut…").
PURPOSE = frozenset({"advcl", "relcl", "acl"})
YEAR = re.compile(r"1[89][0-9]{2}|20[0-9]{2}")
SCORE = re.compile(r"(?<![\w.,:/-])\d{1,2}\s?[-–]\s?\d{1,2}(?![\w.,:/-])")
CONTEXT_WORDS = 4  # lemmas kept above a mention: its verb and the nouns around it
CONTENT_TAGS = frozenset({"NOUN", "VERB", "PROPN", "ADJ", "NUM"})


def mentions_of(doc: Doc) -> tuple[Mention, ...]:
    """The typed mentions of a parsed sentence, with offsets into its text.

    >>> from qa.articles.nlp import read
    >>> found = read("Air Deccan will buy 36 planes for three years.", mentions_of)
    >>> [(m.kind, m.unit) for m in found if m.kind in ("CARDINAL", "DURATION")]
    [('CARDINAL', 'plane'), ('DURATION', '')]
    """
    found = [_entity(entity) for entity in doc.ents]
    found += _years(doc)
    found += [Mention("SCORE", m.start(), m.end()) for m in SCORE.finditer(doc.text)]
    found += [_reason(doc, kind, first, last) for kind, first, last in _reasons(doc)]
    kept = [m for m in found if m is not None and m.start < m.end]
    return tuple(sorted(kept, key=lambda m: (m.start, m.end)))


def _entity(entity: Span) -> Mention | None:
    tokens = list(entity)
    while tokens and (tokens[-1].tag_ == "POS" or tokens[-1].is_punct):
        tokens.pop()
    if not tokens:
        return None
    kind = entity.label_
    if kind in ("DATE", "TIME") and _measures_time(tokens):
        kind = "DURATION"
    unit = ""
    root = entity.root
    if kind in NUMBERS and root.dep_ == "nummod" and root.head.pos_ == "NOUN":
        unit = root.head.lemma_.lower()
    inside = {t.i for t in entity}
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    return Mention(kind, start, end, unit, _context(root, inside))


def _years(doc: Doc) -> list[Mention]:
    """Years the entities leave out or give another kind ("the *1997* Treaty of
    Amsterdam"): a year is a date wherever it is written, unless it counts a plural noun
    ("1500 jobs")."""
    dated = {t.i for e in doc.ents if e.label_ in ("DATE", "TIME") for t in e}
    return [
        Mention("DATE", t.idx, t.idx + len(t), context=_context(t, {t.i}))
        for t in doc
        if t.i not in dated
        and YEAR.fullmatch(t.text)
        and not (t.dep_ == "nummod" and t.head.tag_ == "NNS")
    ]


def _measures_time(tokens: list[Token]) -> bool:
    lemmas = {t.lemma_.lower() for t in tokens}
    counted = any(t.like_num or t.lower_ in COUNTING for t in tokens)
    return bool(lemmas & TIME_UNITS) and counted and not lemmas & ANCHORING


def _reasons(doc: Doc) -> list[tuple[str, int, int]]:
    """The clauses of cause (`REASON`) or purpose (`PURPOSE`) in `doc`, as their kind and
    token range `[first, last)`."""
    found = []
    for token in doc:
        head: Token | None = None
        kind = "REASON"
        opens = True  # the marker opens the span: "because…", "due to…"
        partner = CAUSAL_PREPOSITIONS.get(token.lower_)
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if partner and following is not None and following.lower_ == partner:
            # The parser hangs the object on either word: "due [to] a crisis".
            objects = [*following.children, *token.children]
            head = next(
                (c for c in objects if c.dep_ in ("pobj", "pcomp") and c != following), None
            )
        elif token.dep_ == "mark" and token.lower_ in CAUSAL_MARKS:
            head = token.head
        elif token.dep_ == "prep" and token.lower_ in CAUSAL_WITH_VERB:
            if any(c.dep_ == "pcomp" and c.tag_ == "VBG" for c in token.children):
                head = token
        elif token.lower_ == "result" and _as_a_result_of(doc, token):
            head = next((c for c in doc[token.i + 1].children if c.dep_ == "pobj"), None)
        elif token.dep_ == "aux" and token.lower_ == "to" and token.head.dep_ in PURPOSE:
            head, kind = token.head, "PURPOSE"  # "delayed to allow censors…"
        elif token.lemma_ == "reason" and token.dep_ == "nsubj" and token.head.lemma_ == "be":
            # "The reason for this is that…": the clause the reason is.
            head = next((c for c in token.head.children if c.dep_ in ("ccomp", "attr")), None)
            opens = False
        if head is not None:
            subtree = list(head.subtree)
            first = min(token.i, subtree[0].i) if opens else subtree[0].i
            found.append((kind, first, subtree[-1].i + 1))
    return found


def _as_a_result_of(doc: Doc, token: Token) -> bool:
    before = doc[max(0, token.i - 2) : token.i].text.lower()
    after = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
    return before == "as a" and after == "of"


def _reason(doc: Doc, kind: str, first: int, last: int) -> Mention | None:
    span = doc[first:last]
    while len(span) and span[-1].is_punct:
        span = span[: len(span) - 1]
    if not len(span):
        return None
    inside = {t.i for t in span}
    return Mention(kind, span.start_char, span.end_char, context=_context(span.root, inside))


def _context(token: Token, inside: set[int]) -> tuple[str, ...]:
    """The content lemmas above `token` in the parse, nearest first, outside the mention."""
    lemmas: list[str] = []
    while token.head.i != token.i and len(lemmas) < CONTEXT_WORDS:
        token = token.head
        if token.i not in inside and token.pos_ in CONTENT_TAGS:
            lemmas.append(token.lemma_.lower())
    return tuple(lemmas)
