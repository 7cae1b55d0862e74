"""Word lists the article readers need, kept as data files in `words/`, one word a line.

Each list is read once, on first use. Lines starting with `#` say what a list is for.

>>> "March" in MONTHS and "Monday" in WEEKDAYS and "The" in OPENERS
True
"""

from __future__ import annotations

from importlib import resources


def word_list(name: str) -> frozenset[str]:
    """The words of `words/<name>.txt`."""
    text = resources.files("qa.articles").joinpath("words", f"{name}.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


WEEKDAYS = word_list("weekdays")
MONTHS = word_list("months")
OPENERS = word_list("openers")
# Question nouns that say nothing of what is asked about ("the *name* of …").
GENERIC_HEADS = word_list("generic_heads")
# Capitalised words that name nothing: a question's capitals past them are its names.
NOT_NAMES = OPENERS | WEEKDAYS | MONTHS
