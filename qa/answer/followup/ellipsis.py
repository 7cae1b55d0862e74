"""Complete an elliptical follow-up ("Where?", "Why not?", "What else?") from the question before.

- A bare wh-phrase takes the previous question's auxiliary, subject and rest: "Where?"
  after "When did the storm strike?" is "Where did the storm strike?", and "Why not?"
  after "Will NATO send troops?" is "Why will NATO not send troops?".
- "What else?" and "Anything else?" put "else" into the previous question: "What else did
  he say?".
- Any other short turn that leans on the one before ("And the second one?", "What about
  Russia?", "What kinds?") is asked after the previous question, as one readable line.

Left out: ellipsis whose antecedent is an answer rather than a question ("Really?"), and
follow-ups that change the subject while keeping the verb ("And Russia?" is not turned
into "What did Russia say?").
"""

from __future__ import annotations

from qa.answer.followup.phrases import AUXILIARIES, PREPOSITIONS, WH, Shape, shape, words

# Words a bare wh-turn may hold besides its wh-word: "Why not?", "And when exactly?".
BARE = frozenset("and so but then not exactly many much long else by from to".split())
# Words that join a turn to the last one and are dropped when it is completed.
CONNECTIVES = frozenset("and so but not".split())
# Openers of a turn that continues the previous question rather than asking anew.
CONTINUATIONS = ("and ", "what about ", "how about ", "anything ", "what else", "any other")
# Wh-words that may stand for the object, whose place "that" takes once the wh-word is gone.
OBJECT_WH = frozenset("what which who whom how".split())
# A turn this short with no verb of its own ("What kinds?", "Which one?") leans on the last.
SHORT_TURN = 2


def complete(question: str, previous: str) -> str | None:
    """`question` made whole with `previous`, or None when it already stands alone.

    >>> complete("Where?", "When did the storm strike?")
    'Where did the storm strike?'
    >>> complete("Why not?", "Will NATO send troops?")
    'Why will NATO not send troops?'
    >>> complete("Anything else?", "What did he say?")
    'What else did he say?'
    """
    tokens = words(question)
    lowered = [t.lower() for t in tokens]
    if not tokens or not previous:
        return None
    before = shape(previous)
    bare = any(t in WH for t in lowered) and all(t in WH or t in BARE for t in lowered)
    if "else" in lowered and not any(t in AUXILIARIES for t in lowered):
        return _with_else(before) or _after(question, previous)
    if bare:
        return _swap_wh(tokens, lowered, before) or _after(question, previous)
    opener = question.lower()
    if opener.startswith(CONTINUATIONS) and not any(t in AUXILIARIES for t in lowered[1:]):
        return _after(question, previous)
    if len(tokens) <= SHORT_TURN and lowered[0] in WH and lowered[-1] not in AUXILIARIES:
        return _after(question, previous)
    return None


def _swap_wh(tokens: list[str], lowered: list[str], before: Shape | None) -> str | None:
    if before is None or not before.aux or not before.subject:
        return None
    negated = "not" in lowered
    kept = [t for t, low in zip(tokens, lowered, strict=True) if low not in CONNECTIVES]
    wh = " ".join(kept)
    wh = wh[0].upper() + wh[1:]
    rest = before.rest
    last = rest.split()[-1].lower() if rest else ""
    object_wh = before.wh.split()[0].lower() in OBJECT_WH if before.wh else False
    if object_wh and (len(rest.split()) == 1 or last in PREPOSITIONS):
        rest += " that"  # "What did he say?" → "Why did he say that?"
    negation = " not" if negated else ""
    return f"{wh} {before.aux.lower()} {before.subject}{negation} {rest}".rstrip() + "?"


def _with_else(before: Shape | None) -> str | None:
    if before is None or not before.wh or " " in before.wh or not before.aux:
        return None
    rest = f" {before.rest}" if before.rest else ""
    return f"{before.wh} else {before.aux.lower()} {before.subject}{rest}?"


def _after(question: str, previous: str) -> str:
    """Ask the turn right after the question it leans on, as the reader would hear it."""
    return f"{previous.rstrip()} {question.strip()}"
