"""Write the answer: quotes sliced from the article, attributed, or a plain "not in the article".

Every word this module puts inside quotation marks is a slice `article.text[start:end]`,
never retyped. The first citation is the sentence that answers best, with the sentence
before it when it cannot stand alone ("Because we have a responsibility…"). Later
citations skip sentences already cited and near-duplicates of them.

Left out: summarising or paraphrasing; an answer is only ever the article's own words.
"""

from __future__ import annotations

import re

from qa.answer.reading.question import Question
from qa.records import Answer, Article, Citation, Hit, Sentence, in_quotation_marks
from qa.search.indexing import IndexedArticle

# A sentence opening with one of these leans on the one before it.
DEPENDENT_OPENING = re.compile(
    r"^[“\"‘']?(Because|So|This|That|These|Those|It|Its|Which|Such|They|Then)\b"
)
# A sentence opening with one of these gives the reason for the one before it.
REASON_OPENING = re.compile(r"^[“\"‘']?(Because|Since|That is why|This is why|The reason)\b")
NEAR_DUPLICATE = 0.8
QUOTE_MARKS = re.compile(r"[“”\"]")


def cite(
    hits: list[Hit],
    article: Article,
    sentences: list[Sentence],
    limit: int,
    reason: bool = False,
) -> list[Citation]:
    """Citations for the best hits: exact slices, best first, without repeats."""
    citations: list[Citation] = []
    covered: list[list[Sentence]] = []
    for hit in hits:
        if len(citations) == limit:
            break
        span = _with_context(hit.sentence, sentences, reason) if not citations else [hit.sentence]
        if any(hit.sentence in done or _near_duplicate(hit.sentence, done) for done in covered):
            continue
        covered.append(span)
        citations.append(_citation(span, article, hit.score))
    return citations


def answer_found(citation_sentences: list[Sentence], article: Article) -> str:
    """One line quoting the best citation, attributed to its speaker when it is direct speech.

    `X said: “…”` quotes only the speaker's words, so it is used when the citation is one
    unbroken quotation; otherwise the whole citation is quoted as the article's text.
    """
    first, last = citation_sentences[0], citation_sentences[-1]
    speakers = {s.speaker for s in citation_sentences}
    quote = article.text[first.start : last.end]
    if len(speakers) == 1 and first.speaker and first.speech and last.speech:
        spoken = article.text[first.speech.start : last.speech.end]
        between = article.text[first.speech.end : last.speech.start]
        if _opens_with_speech(first) and not QUOTE_MARKS.search(between):
            return f"{first.speaker} said: {in_quotation_marks(spoken)}"
        return f"The article says, quoting {first.speaker}: {in_quotation_marks(quote)}"
    return f"The article says: {in_quotation_marks(quote)}"


def answer_in_their_words(
    speaker: str, citations: list[Citation], sentences: list[Sentence], article: Article
) -> str:
    """ "What did X say?": X's own words in each citation, each with its id, as slices of
    the article: `X said: “…” (s3) “…” (s7)`."""
    quoted = []
    for citation in citations:
        covered = [s for s in sentences if citation.start <= s.start and s.end <= citation.end]
        spoken = [s.speech for s in covered if s.speech is not None and s.speaker == speaker]
        words = article.text[spoken[0].start : spoken[-1].end] if spoken else citation.quote
        quoted.append(f"{in_quotation_marks(words)} ({citation.id})")
    return f"{speaker} said: " + " ".join(quoted)


def answer_not_found(
    question: Question,
    missing_focus: str | None = None,
    articles_searched: int = 1,
    closest: str | None = None,
) -> str:
    """Say plainly why there is no answer, most specific reason first; then the closest
    passage (`closest`, an exact slice) when there is a likely one, or point below."""
    one = articles_searched == 1
    subject = "The article" if one else f"None of the {articles_searched} articles"
    nearest = (
        f"The closest passage is: {in_quotation_marks(closest)}"
        if closest
        else "The nearest passages are below."
    )
    if question.unknown_names:
        names = " ".join(question.unknown_names)
        if one:
            return f"The article does not mention {names}, so it cannot answer this."
        return f"{subject} mentions {names}, so none can answer this."
    if missing_focus and closest:
        return f"{subject} may not say anything about {missing_focus}. {nearest}"
    if missing_focus:
        verb = "says nothing" if one else "says anything"
        return f"{subject} {verb} about {missing_focus}. {nearest}"
    if closest:
        return f"{subject} may not answer this. {nearest}"
    verb = "does not answer" if one else "answers"
    return f"{subject} {verb} this. {nearest}"


def compose(
    indexed: IndexedArticle,
    question: Question,
    hits: list[Hit],
    *,
    found: bool,
    likely: bool,
    limit: int,
    rewritten: str | None = None,
    missing_focus: str | None = None,
    articles_searched: int = 1,
    reason: bool = False,
    speaker: str | None = None,
) -> Answer:
    """The answer to `question` from its best `hits`: quoted when `found`, else a refusal
    that says why (`missing_focus`, names the article lacks) over `articles_searched`.

    A refusal whose best passage scored as answers do (`likely`) but lacks what was asked
    about is unsure, not flat: it says the article may not answer, and quotes the closest
    passage. A name the article never uses is a flat refusal: that much is certain.
    For a question that asks why (`reason`), a sentence giving the reason for the best
    one ("Because…") is cited with it. For one that asks what `speaker` said, the answer
    quotes that speaker's own words in each citation, with its id.
    """
    article, sentences = indexed.article, indexed.sentences
    citations = cite(hits, article, sentences, limit, reason=reason)
    found = found and bool(citations)
    unsure = not found and likely and bool(citations) and not question.unknown_names
    if found and speaker is not None:
        text = answer_in_their_words(speaker, citations, sentences, article)
    elif found:
        first = citations[0]
        covered = [s for s in sentences if first.start <= s.start and s.end <= first.end]
        text = answer_found(covered, article)
    else:
        closest = citations[0].quote if unsure else None
        text = answer_not_found(question, missing_focus, articles_searched, closest)
    return Answer(text, found, rewritten, citations, unsure=unsure)


def _with_context(sentence: Sentence, sentences: list[Sentence], reason: bool) -> list[Sentence]:
    """The sentence, with the one before it when it leans on it ("This is why…"), or,
    for a "why" question, with the one after it when that gives the reason ("Because…")."""
    following = sentences[sentence.index + 1] if sentence.index + 1 < len(sentences) else None
    if (
        reason
        and following is not None
        and following.paragraph == sentence.paragraph
        and REASON_OPENING.match(following.text)
    ):
        return [sentence, following]
    previous = sentences[sentence.index - 1] if sentence.index > 0 else None
    if (
        previous is not None
        and previous.paragraph == sentence.paragraph
        and previous.speaker == sentence.speaker
        and DEPENDENT_OPENING.match(sentence.text)
    ):
        return [previous, sentence]
    return [sentence]


def _citation(span: list[Sentence], article: Article, score: float) -> Citation:
    first, last = span[0], span[-1]
    return Citation(
        sentence_ids=tuple(s.id for s in span),
        article=article.id,
        article_title=article.title,
        quote=article.text[first.start : last.end],
        start=first.start,
        end=last.end,
        speaker=next((s.speaker for s in reversed(span) if s.speaker), None),
        score=score,
    )


def _opens_with_speech(sentence: Sentence) -> bool:
    assert sentence.speech is not None
    lead = sentence.text[: sentence.speech.start - sentence.start]
    return not lead.strip(' “"')


def _near_duplicate(sentence: Sentence, cited: list[Sentence]) -> bool:
    words = set(re.findall(r"\w+", sentence.text.lower()))
    for other in cited:
        other_words = set(re.findall(r"\w+", other.text.lower()))
        union = words | other_words
        if union and len(words & other_words) / len(union) >= NEAR_DUPLICATE:
            return True
    return False
