from qa.engine import Engine
from qa.search.passages import layout, split_clauses
from tests.conftest import ARTICLE_ID


def test_layout_rows_are_sentences_windows_then_clauses(fake_engine: Engine) -> None:
    sentences = fake_engine.indexed(ARTICLE_ID).sentences
    passages = layout(sentences)
    count = len(sentences)
    assert passages.sentence_count == count
    assert passages.texts[:count] == [s.text for s in sentences]
    # s4 leans on its neighbours: its window holds s3, s4 (and s5 is another paragraph).
    assert passages.texts[count + 3] == f"{sentences[2].text} {sentences[3].text}"
    clauses = passages.texts[2 * count :]
    assert len(clauses) == len(passages.clause_owner) > 0
    for clause, owner in zip(clauses, passages.clause_owner, strict=True):
        assert clause in sentences[owner].text
        assert len(sentences[owner].text.split()) > 20


def test_clauses_cover_the_sentence_in_order() -> None:
    text = "Allies gave equipment, advanced kit, air defence systems, anti-tank weapons and more."
    clauses = split_clauses(text)
    assert " ".join(clauses) == text
    assert all(len(c.split()) >= 4 for c in clauses)
    assert split_clauses("Short one.") == ["Short one."]
