"""The field's standard evaluation formats, read into one shape: passages and questions.

- SQuAD 1.1 and 2.0 JSON: every paragraph is a passage; a question with no answers (or
  `is_impossible`) is unanswerable.
- CoQA JSON: every story is a passage; its turns are asked in order, each with the turns
  before it as the conversation (the engine's own earlier answers go in at run time).
- Labelled speakers: a folder of `articles/*.txt` and `labels.jsonl`, one line per
  sentence with a `snippet` of it and its `speaker` (or null), as in
  `../shared/eval/speakers-dev/`.

Left out: QuAC's own JSON (convert it to CoQA's layout), and CoQA's free-form answers
(`input_text`): only the span answers are scored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

# How CoQA ("unknown") and QuAC ("CANNOTANSWER") mark a turn the story does not answer.
NO_ANSWER = frozenset({"", "unknown", "CANNOTANSWER"})


@dataclass(frozen=True)
class Passage:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Question:
    """One question about one passage; `turn` > 1 marks a conversation's later turns,
    asked after the questions of turns 1 … turn − 1 of the same passage."""

    id: str
    passage: str
    text: str
    answers: tuple[str, ...]  # gold answer spans; empty when unanswerable
    turn: int = 1

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True)
class Dataset:
    name: str
    passages: tuple[Passage, ...]
    questions: tuple[Question, ...]


def load_squad(path: Path) -> Dataset:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    passages: list[Passage] = []
    questions: list[Question] = []
    for article in data:
        for number, paragraph in enumerate(article["paragraphs"]):
            passage_id = f"p{len(passages) + 1}"
            title = f"{article.get('title', '')} {number + 1}".strip()
            passages.append(Passage(passage_id, title, paragraph["context"]))
            for qa in paragraph["qas"]:
                impossible = qa.get("is_impossible", False)
                answers = () if impossible else tuple(a["text"] for a in qa.get("answers", []))
                questions.append(Question(qa["id"], passage_id, qa["question"].strip(), answers))
    return Dataset(path.name, tuple(passages), tuple(questions))


def load_coqa(path: Path) -> Dataset:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    passages: list[Passage] = []
    questions: list[Question] = []
    for story in data:
        passage_id = f"c{len(passages) + 1}"
        passages.append(Passage(passage_id, story.get("filename") or story["id"], story["story"]))
        spans = {a["turn_id"]: a for a in story["answers"]}
        others = story.get("additional_answers", {}).values()
        for turn in story["questions"]:
            number = turn["turn_id"]
            gold = [spans[number]["span_text"]] if number in spans else []
            gold += [a["span_text"] for group in others for a in group if a["turn_id"] == number]
            answers = tuple(dict.fromkeys(g.strip() for g in gold if g.strip() not in NO_ANSWER))
            questions.append(
                Question(f"{story['id']}-{number}", passage_id, turn["input_text"], answers, number)
            )
    return Dataset(path.name, tuple(passages), tuple(questions))


@dataclass(frozen=True)
class Label:
    snippet: str
    speaker: str | None
    names: tuple[str, ...]  # the speaker and the other forms that name them
    kind: str


@dataclass(frozen=True)
class LabelledArticle:
    id: str
    text: str
    labels: tuple[Label, ...]


def load_speakers(folder: Path) -> list[LabelledArticle]:
    labels: dict[str, list[Label]] = {}
    for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            speaker = item.get("speaker")
            names = (speaker, *item.get("aliases", ())) if speaker else ()
            labels.setdefault(item["article"], []).append(
                Label(item["snippet"], speaker, names, item.get("kind", ""))
            )
    return [
        LabelledArticle(name, (folder / "articles" / f"{name}.txt").read_text("utf-8"), tuple(rows))
        for name, rows in labels.items()
    ]
