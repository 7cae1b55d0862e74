"""BM25 over stems: passages and questions read the same way."""

from __future__ import annotations

import bm25s
import numpy as np

from qa.search.lexical import STEMMER, LexicalIndex, stems


def test_stems_are_what_bm25s_tokenize_gives() -> None:
    text = "Mr Chirac's ministers were deploying 1,200 troops; the C-300 isn't here."
    tokenized = bm25s.tokenize(
        [text], stopwords="en", stemmer=STEMMER, return_ids=False, show_progress=False
    )
    assert stems(text) == list(tokenized[0])


def test_a_passage_that_shares_a_stem_scores_and_others_do_not() -> None:
    index = LexicalIndex(["Troops were deployed.", "It rained in Kent.", "The of and."])
    scores = index.scores("Where did they deploy the troops?")
    assert scores[0] > 0 and scores[1] == 0 and scores[2] == 0


def test_a_text_of_stop_words_only_scores_nothing_rather_than_failing() -> None:
    index = LexicalIndex(["It is, it is.", "And of the."])
    np.testing.assert_array_equal(index.scores("What is it?"), np.zeros(2))
    np.testing.assert_array_equal(index.scores("Troops"), np.zeros(2))
