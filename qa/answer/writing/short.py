"""The short answer: the few words of the first citation that answer the question.

It is the mention of the asked kind that made the answering sentence win its place (see
`ranking.typed`), so the short answer and the quote always agree: the person for "who",
the count for "how many", the date for "when", the clause for "why", the speaker's own
words for "what did X say". A question that asks for no kind, or whose best sentence
holds none, gets none.

Left out: answers spread over two sentences; yes/no questions.
"""

from __future__ import annotations

from qa.answer.ranking.typed import Candidate
from qa.records import ShortAnswer

# Characters a span may carry at its edges that belong to the sentence around it.
EDGES = " \t\n,;:“”\"‘’'()"


def short_answer(best: Candidate, text: str) -> ShortAnswer | None:
    """The answer `best` holds, as a slice of the article `text`, or None.

    >>> from qa.records import Hit, Mention, Sentence
    >>> text = "Jo Lee won in 2004."
    >>> hit = Hit(Sentence("s1", 0, 0, 0, len(text), text), 1.0, 1.0, 0.0)
    >>> short_answer(Candidate(hit, Mention("DATE", 14, 18)), text)
    ShortAnswer(text='2004', start=14, end=18)
    """
    mention = best.answer
    if mention is None:
        return None
    start, end = mention.start, mention.end
    while start < end and text[start] in EDGES:
        start += 1
    while end > start and text[end - 1] in EDGES:
        end -= 1
    return ShortAnswer(text[start:end], start, end) if end > start else None
