"""Cues: who the parse says is speaking in a sentence, read once when the article is added.

A cue is a verb of saying, writing or describing (`words/speech_verbs.txt`) outside
quotation marks, with its subject as the dependency parse gives it:
- `“…,” X said`, `said X`, `X told reporters: “…”`, `X described it as “…”`;
- a participle takes the subject of the clause it hangs from (`X defended it, saying “…”`),
  a relative clause the noun it describes (`X, who said …`), a second verb the first's
  (`X smiled and added`);
- a passive takes its agent (`described as “…” by X`); `according to X` is a cue of its own.
The subject is expanded to what names it: the entity it belongs to ("Keith Rockwell" in
"Keith Rockwell, WTO spokesman"; "Andrew Pendleton" in "Andrew Pendleton of Christian
Aid"), a pronoun ("he"), or a described source ("a UK Government official"), or the
person it is by apposition ("Radio 1's controller, Andy Parfitt"), or the person or
organisation a described source is "of" or "from" ("the letter from the Home Office").
Where the parser loses the subject inside a quotation, the person named between the
closing mark and the verb is taken (`“…,” Andrew Pendleton, head of policy, said`).
Each cue also keeps the stretch of the sentence its verb governs, so a
quotation is credited to the verb whose clause holds it, not to a nearer one.

Which quotation a cue credits, and whom a pronoun means, is decided later (`quotes`).

Left out: verbs of saying the list does not name, and subjects the parser misreads.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from qa.articles.lexicon import word_list
from qa.records import Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SPEECH_VERBS = word_list("speech_verbs")
# Verbs of saying that need their particle or object: "pointed out", "put it".
WITH_PARTICLE = {"point": "out", "put": "it"}
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
# Clauses whose verb has no subject of its own and speaks for another's.
BORROWED = frozenset({"advcl", "xcomp", "conj", "acl", "pcomp"})
# Entity labels that may speak: people, bodies of people, and the buildings that stand for
# them ("the Kremlin", "the Pentagon"); never a place or a nationality.
SPEAKING = frozenset({"PERSON", "ORG", "FAC"})
# Prepositions whose phrase is part of a described source: "policy makers *in* Europe".
NAMING_PREPOSITIONS = frozenset({"of", "in", "at", "for", "from"})
# Pronouns that may stand for a speaker, by what they may stand for.
PERSONAL = {"he": "person", "she": "person", "it": "organisation", "they": "organisation"}

Kind = Literal["name", "pronoun", "description"]


@dataclass(frozen=True)
class Cue:
    """A verb of saying and who the parse says is its subject, as offsets into the text
    that was parsed (a sentence; `quotes` shifts them into the article).

    `kind` says how the subject names the speaker: by a `name` (with its entity `label`,
    which the small parser often gets wrong for a person: `quotes` checks it against the
    article's people), a `pronoun` ("he": `label` is "person"; "they": "organisation"), or
    a `description` ("a UK Government official", "the company"; `label` is "plural" for
    "policy makers"); None when there is no subject, or one that names no speaker ("I").
    """

    verb: Span
    governs: Span  # the verb's clause: a quotation inside it is what the verb reports
    subject: Span | None
    said_by: str  # the subject as it names the speaker: "Keith Rockwell", "he"
    kind: Kind | None
    label: str = ""

    def shifted(self, by: int) -> Cue:
        """The cue with offsets `by` further on: from a sentence's into the article's."""
        subject = Span(self.subject.start + by, self.subject.end + by) if self.subject else None
        return replace(
            self,
            verb=Span(self.verb.start + by, self.verb.end + by),
            governs=Span(self.governs.start + by, self.governs.end + by),
            subject=subject,
        )


def cues_of(doc: Doc) -> tuple[Cue, ...]:
    """The cues of one parsed sentence, in reading order.

    >>> from qa.articles.nlp import read
    >>> [c.said_by for c in read("“It works,” said Keith Rockwell, WTO spokesman.", cues_of)]
    ['Keith Rockwell']
    """
    found = []
    for token in doc:
        if _is_speech_verb(token):
            subject = _subject(token) or _after_quotation(token)
            found.append(_cue(token, subject, token))
        elif token.lower_ == "according" and token.i + 1 < len(doc):
            to = doc[token.i + 1]
            agent = next((c for c in to.children if c.dep_ == "pobj"), None)
            if to.lower_ == "to" and agent is not None:
                found.append(_cue(token, agent, token.head))
    return tuple(found)


def _is_speech_verb(token: Token) -> bool:
    lemma = token.lemma_.lower()
    if token.pos_ not in ("VERB", "AUX") or lemma not in SPEECH_VERBS:
        return False
    if token.i > 0 and token.doc[token.i - 1].text == "-":
        return False  # "so-called"
    partner = WITH_PARTICLE.get(lemma)
    return partner is None or any(c.lower_ == partner for c in token.children)


def _subject(verb: Token) -> Token | None:
    """The verb's subject, borrowed from the clause it hangs from when it has none; for a
    passive, the agent ("described as … by X"), wherever the parser hangs its "by"."""
    current = verb
    for _ in range(4):  # a participle of a participle of …: a few steps at most
        subject = next((c for c in current.children if c.dep_ in SUBJECTS), None)
        if subject is not None and subject.dep_ != "nsubjpass":
            return subject
        if subject is not None or any(c.dep_ == "auxpass" for c in current.children):
            return _agent(current)
        if current.dep_ == "relcl":
            return current.head
        if current.dep_ not in BORROWED or current.head.i == current.i:
            return None
        current = current.head
    return None


def _after_quotation(verb: Token) -> Token | None:
    """`“…,” X, title of Y, said`, where the parser lost the subject inside the quotation:
    the first person or organisation named between the closing mark and the verb."""
    doc = verb.doc
    closing = max(doc.text.rfind("”", 0, verb.idx), doc.text.rfind('"', 0, verb.idx))
    if closing < 0:
        return None
    for entity in doc.ents:
        between = closing < entity.start_char and entity.end_char <= verb.idx
        if between and entity.label_ in SPEAKING:
            return entity.root
    return None


def _agent(verb: Token) -> Token | None:
    for token in verb.subtree:
        if token.lower_ == "by" and token.dep_ in ("agent", "prep"):
            return next((c for c in token.children if c.dep_ == "pobj"), None)
    return None


def _cue(verb: Token, subject: Token | None, clause: Token) -> Cue:
    doc = verb.doc
    start, end = clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge)
    governs = Span(min(start, verb.idx), max(end, verb.idx + len(verb)))
    verb_span = Span(verb.idx, verb.idx + len(verb))
    if subject is None:
        return Cue(verb_span, governs, None, "", None)
    if subject.pos_ != "PRON" and not subject.ent_type_ and subject.pos_ != "PROPN":
        owner = _named_apposition(subject) or _owner(subject)
        if owner is not None:
            return _cue(verb, owner, clause)
    words = _naming(subject)
    span = Span(words[0].idx, words[-1].idx + len(words[-1]))
    text = doc.text[span.start : span.end]
    if subject.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
        return _cue(verb, verb.head, clause)  # "the Group, which described it as …"
    if subject.pos_ == "PRON":
        pronoun = PERSONAL.get(subject.lower_)
        return Cue(verb_span, governs, span, text, "pronoun" if pronoun else None, pronoun or "")
    if subject.ent_type_ or subject.pos_ == "PROPN":
        return Cue(verb_span, governs, span, text, "name", subject.ent_type_)
    plural = "plural" if subject.tag_ in ("NNS", "NNPS") else ""
    return Cue(verb_span, governs, span, text, "description", plural)


def _naming(subject: Token) -> list[Token]:
    """The words that name the subject: its entity, or its noun phrase without the
    clauses and appositions that describe it further."""
    doc = subject.doc
    if subject.ent_type_:
        entity = next(e for e in doc.ents if e.start <= subject.i < e.end)
        words = list(entity)
    else:
        kept = [subject, *_modifiers(subject)]
        words = sorted(kept, key=lambda t: t.i)
        words = list(doc[words[0].i : words[-1].i + 1])
    while words and (words[-1].tag_ == "POS" or words[-1].is_punct):
        words.pop()
    return words or [subject]


def _modifiers(noun: Token) -> list[Token]:
    """The words before a noun and its "of"/"in" phrases: "a UK Government official",
    "Policy makers in Europe"."""
    found = []
    for child in noun.children:
        modifies = child.dep_ in ("det", "compound", "amod", "nummod", "poss", "nmod")
        if modifies or (child.dep_ == "prep" and child.lower_ in NAMING_PREPOSITIONS):
            found += list(child.subtree)
    return found


def _named_apposition(noun: Token) -> Token | None:
    """The person a described source names beside its description: "Radio 1's
    controller, Andy Parfitt", "staff writer David Emery" (not under a preposition: the
    person "of" or "from" something is its owner, see `_owner`)."""
    stack = list(noun.children)
    while stack:
        child = stack.pop()
        if child.dep_ == "prep":
            continue
        if child.ent_type_ == "PERSON":
            return child
        stack.extend(child.children)
    return None


def _owner(noun: Token) -> Token | None:
    """The person or organisation a described source is "of" or "from": "the letter from
    the Home Office", "the tweet from Vulture magazine"."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in NAMING_PREPOSITIONS - {"in"}:
            for named in child.children:
                if named.dep_ == "pobj" and any(t.ent_type_ in SPEAKING for t in named.subtree):
                    return named
    return None
