"""Split an article into paragraphs and sentences, keeping exact character offsets.

syntok splits one paragraph at a time and keeps a closing quotation mark with its
sentence, so a paragraph of curly-quoted speech becomes several sentences rather
than one (pysbd and sentencex return the whole paragraph). Offsets point into the
text as given; nothing is normalised, so a slice is always the original characters.

Left out: who speaks in a sentence (see `speakers`), and any language but English.
"""

from __future__ import annotations

from importlib.metadata import version

import syntok.segmenter

from qa.records import Segment, Span

SEGMENTER = f"syntok {version('syntok')}"


def split_sentences(text: str) -> list[Segment]:
    """Return the sentences of `text` in reading order, numbered from 0.

    >>> text = "Hi there. Bye.\\n\\nNew."
    >>> [text[s.span.start:s.span.end] for s in split_sentences(text)]
    ['Hi there.', 'Bye.', 'New.']
    """
    segments: list[Segment] = []
    for paragraph_index, paragraph in enumerate(syntok.segmenter.analyze(text)):
        for sentence in paragraph:
            tokens = list(sentence)
            if not tokens:
                continue
            start = tokens[0].offset
            end = tokens[-1].offset + len(tokens[-1].value)
            segments.append(Segment(len(segments), paragraph_index, Span(start, end)))
    return segments
