"""Score speaker credits against sentences labelled by hand (`datasets.load_speakers`).

Each label's snippet is found in its article; the sentence the segmenter made around it
is credited with a speaker, or with none. A credit is right when it names the labelled
speaker or one of its aliases, compared after lower-casing, dropping a leading "the",
dots and soft hyphens. Precision is right credits over all credits; recall is right
credits over labels with a speaker. A credit is "not a name" when none of its words is
capitalised, or when it is a single word the article also writes in lower case or that
only a sentence's start capitalises ("As", "Court", "Sales").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.articles.quotes import attribute
from qa.articles.segment import split_sentences
from qa.eval.datasets import LabelledArticle


def normal_name(name: str) -> str:
    """
    >>> normal_name("The Police\\u00adFederation"), normal_name("Mr. Burgmans")
    ('policefederation', 'mr burgmans')
    """
    name = name.replace("\u00ad", "").replace(".", "").lower().strip()
    return re.sub(r"^the\s+", "", " ".join(name.split()))


@dataclass
class SpeakerTally:
    right: int = 0
    credited: int = 0
    labelled: int = 0
    not_names: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        return {
            "precision": self.right / self.credited if self.credited else float("nan"),
            "recall": self.right / self.labelled if self.labelled else float("nan"),
            "credits": float(self.credited),
            "credits that are not names": float(len(self.not_names)),
        }


def looks_like_a_name(credit: str, text: str) -> bool:
    """A credit names someone (or an organisation, or a document the article describes)
    when one of its words is capitalised, and it is not one common word: "Court" alone,
    at a sentence's start, is a word.

    >>> looks_like_a_name("Joint Committee on Intelligence", ""), looks_like_a_name("As", "as")
    (True, False)
    """
    words = credit.split()
    if not any(w[:1].isupper() for w in words):
        return False
    if len(words) == 1:
        lowered = re.search(rf"\b{re.escape(words[0].lower())}\b", text)
        return lowered is None and (words[0].isupper() or len(words[0]) > 2)
    return True


def score_speakers(articles: list[LabelledArticle]) -> SpeakerTally:
    tally = SpeakerTally()
    for article in articles:
        text = article.text
        sentences = attribute(text, split_sentences(text))
        for label in article.labels:
            at = text.find(label.snippet)
            if at < 0:
                raise ValueError(f"{article.id}: snippet not found: {label.snippet!r}")
            sentence = next(s for s in sentences if s.start <= at < s.end)
            tally.labelled += label.speaker is not None
            if sentence.speaker is None:
                if label.speaker is not None:
                    tally.wrong.append(f"{article.id}: missed {label.speaker}: {label.snippet}")
                continue
            tally.credited += 1
            if not looks_like_a_name(sentence.speaker, text):
                tally.not_names.append(sentence.speaker)
            if normal_name(sentence.speaker) in {normal_name(n) for n in label.names}:
                tally.right += 1
            else:
                expected = label.speaker or "nobody"
                tally.wrong.append(
                    f"{article.id}: credited {sentence.speaker}, not {expected}: {label.snippet}"
                )
    return tally


def speakers_table(tally: SpeakerTally, title: str) -> str:
    lines = [title, "", "| | engine |", "|---|---:|"]
    for metric, value in tally.figures().items():
        counted = metric in ("credits", "credits that are not names")
        lines.append(f"| {metric} | {value:.0f} |" if counted else f"| {metric} | {value:.3f} |")
    return "\n".join(lines)
