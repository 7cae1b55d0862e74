"""The `qa` command line: `qa ask`, `qa add`, `qa list`, `qa remove`, `qa index`, `qa eval`.

Every failure a user can cause (an empty question, a missing article) ends in one line
on stderr and a non-zero exit code, never a traceback. Exit codes: 0 success, 1 a
problem with files or the index, 2 bad usage or an unaskable question.

Left out: an interactive mode; the web app covers conversation.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

from qa.store.corpus import OpenReport
from qa.engine import PROJECT_ROOT, Engine, Settings
from qa.answer.question import InvalidQuestion
from qa.records import Article
from qa.articles.sources import UnusableArticle, collect, read_file, slug

DEFAULT_EVAL_SET = PROJECT_ROOT / "eval" / "seed_questions.json"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    defaults = Settings.from_env()
    settings = Settings(
        article_path=args.seed or defaults.article_path,
        index_dir=args.index_dir or defaults.index_dir,
        model=args.model or defaults.model,
    )
    try:
        return int(args.run(args, settings))
    except InvalidQuestion as error:
        print(f"qa: {error}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as error:
        print(f"qa: {error}", file=sys.stderr)
        return 1


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    if not args.question.strip():
        raise InvalidQuestion("Please type a question about the article.")
    history = json.loads(Path(args.history).read_text(encoding="utf-8")) if args.history else None
    engine, _ = Engine.open(settings)
    answer = engine.ask(args.question, history, article=args.article)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    if answer.rewritten_question:
        print(f"(searched: {answer.rewritten_question})")
    print(answer.answer)
    for citation in answer.citations:
        who = citation.speaker or "narration"
        where = f"{citation.article} {citation.id}, chars {citation.start}-{citation.end}"
        print(f"  [{where}] {who}: {citation.quote}")
    return 0


def _add(args: argparse.Namespace, settings: Settings) -> int:
    paths = collect(args.paths)
    skipped = []

    def readable() -> Iterator[Article]:
        for path in paths:
            try:
                yield read_file(path)
            except UnusableArticle as error:
                skipped.append(str(error))

    engine, _ = _open_for_commands(settings)
    for change in engine.add(readable(), total=len(paths)):
        print(change.describe())
    for reason in skipped:
        print(f"qa: skipped {reason}", file=sys.stderr)
    return 1 if skipped else 0


def _list(args: argparse.Namespace, settings: Settings) -> int:
    engine, _ = _open_for_commands(settings)
    if args.json:
        rows = [entry.listing() for entry in engine.articles]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not engine.articles:
        print("no articles (add some with `qa add PATH`)")
    for entry in engine.articles:
        print(f"{entry.id}\t{entry.sentences} sentences\t{entry.title}\t{entry.source}")
    return 0


def _remove(args: argparse.Namespace, settings: Settings) -> int:
    engine, _ = _open_for_commands(settings)
    for change in engine.remove(args.ids):
        print(change.describe())
    return 0


def _open_for_commands(settings: Settings) -> tuple[Engine, OpenReport]:
    """Open the corpus with a progress bar on a terminal, saying if another writer is busy."""
    return Engine.open(settings, progress=sys.stderr.isatty(), on_wait=_say_waiting)


def _say_waiting() -> None:
    print("qa: waiting for another `qa` command to finish writing the index", file=sys.stderr)


def _index(args: argparse.Namespace, settings: Settings) -> int:
    logging.getLogger("qa").setLevel(logging.ERROR)  # the report below says it once
    _, report = Engine.open(settings, rebuild=args.rebuild, progress=sys.stderr.isatty())
    print(report.describe(settings.index_dir))
    return 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from qa.eval.evaluate import evaluate, load_questions, table

    questions = load_questions(Path(args.set))
    engine, _ = Engine.open(settings)
    article = args.article or slug(settings.article_path.stem)
    print(table(evaluate(engine, questions, article), questions))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Grounded answers about an article.")
    parser.add_argument(
        "--seed", type=Path, help="the article a new corpus starts with (default: seeds/)"
    )
    parser.add_argument("--index-dir", type=Path, help="index directory (default: index/)")
    parser.add_argument("--model", help="sentence-transformers model path or cached name")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer a question with quotes from the article")
    ask.add_argument("question")
    ask.add_argument("--article", help="answer from this article id only (see `qa list`)")
    ask.add_argument("--json", action="store_true", help="print the answer contract as JSON")
    ask.add_argument("--history", help="JSON file of earlier messages, for follow-ups")
    ask.set_defaults(run=_ask)

    add = commands.add_parser("add", help="add articles: .txt, .md and .html files or folders")
    add.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add.set_defaults(run=_add)

    listing = commands.add_parser("list", help="list the articles")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    listing.set_defaults(run=_list)

    remove = commands.add_parser("remove", help="remove articles by id")
    remove.add_argument("ids", nargs="+", metavar="ID")
    remove.set_defaults(run=_remove)

    index = commands.add_parser("index", help="build the index, or check that it is fresh")
    index.add_argument("--rebuild", action="store_true", help="rebuild even if fresh")
    index.set_defaults(run=_index)

    evaluation = commands.add_parser("eval", help="score the engine and a naive baseline")
    evaluation.add_argument("--set", default=str(DEFAULT_EVAL_SET), help="question set (JSON)")
    evaluation.add_argument("--article", help="the article the set is about (default: the seed)")
    evaluation.set_defaults(run=_eval)
    return parser


if __name__ == "__main__":
    sys.exit(main())
