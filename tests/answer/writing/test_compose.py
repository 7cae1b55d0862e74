from qa.answer.reading.expected import expected
from qa.answer.reading.question import analyse
from qa.answer.reading.vocabulary import Vocabulary
from qa.answer.writing.compose import compose
from qa.articles.sources import from_text
from qa.records import Hit
from qa.search.indexing import index_article
from tests.fakes import FakeEmbedder

TEXT = (
    "Harbour closes\n\n"
    "The council will not reopen the harbour this winter. "
    "Because the sea wall is cracked, boats cannot moor safely. "
    "Repairs start in May.\n"
)


def answer_to(question: str, best: int):
    indexed = index_article(from_text(TEXT), FakeEmbedder())
    sentences = indexed.sentences
    hits = [Hit(sentences[best], 0.5, 0.5, 1.0)] + [
        Hit(s, 0.1, 0.1, 0.0) for s in sentences if s.index != best
    ]
    analysed = analyse(question, [], Vocabulary.of(TEXT))
    asked = expected(question)
    reason = asked is not None and asked.kind == "reason"
    return compose(indexed, analysed, hits, found=True, likely=True, limit=3, reason=reason)


def test_a_why_question_is_cited_with_the_reason_that_follows() -> None:
    answer = answer_to("Why will the harbour not reopen this winter?", best=1)
    assert answer.citations[0].sentence_ids == ("s2", "s3")
    assert answer.citations[0].quote.endswith("boats cannot moor safely.")
    assert answer.citations[0].quote == TEXT[answer.citations[0].start : answer.citations[0].end]


def test_other_questions_are_cited_alone() -> None:
    answer = answer_to("When will the harbour reopen?", best=1)
    assert answer.citations[0].sentence_ids == ("s2",)
