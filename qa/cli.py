"""The `qa` command line: `qa ask`, `qa index` and `qa eval`.

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
from pathlib import Path

from qa.engine import PROJECT_ROOT, Engine, Settings
from qa.question import InvalidQuestion

DEFAULT_EVAL_SET = PROJECT_ROOT / "eval" / "seed_questions.json"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    defaults = Settings.from_env()
    settings = Settings(
        article_path=args.article or defaults.article_path,
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
    answer = engine.ask(args.question, history)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    if answer.rewritten_question:
        print(f"(searched: {answer.rewritten_question})")
    print(answer.answer)
    for citation in answer.citations:
        who = citation.speaker or "narration"
        print(f"  [{citation.id}] {who}, chars {citation.start}-{citation.end}: {citation.quote}")
    return 0


def _index(args: argparse.Namespace, settings: Settings) -> int:
    logging.getLogger("qa").setLevel(logging.ERROR)  # the report below says it once
    _, report = Engine.open(settings, rebuild=args.rebuild)
    print(report.describe(settings.index_dir))
    return 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from qa.evaluate import evaluate, load_questions, table

    questions = load_questions(Path(args.set))
    engine, _ = Engine.open(settings)
    print(table(evaluate(engine, questions), questions))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Grounded answers about an article.")
    parser.add_argument("--article", type=Path, help="article file (default: the seed article)")
    parser.add_argument("--index-dir", type=Path, help="index directory (default: index/)")
    parser.add_argument("--model", help="sentence-transformers model path or cached name")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer a question with quotes from the article")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the answer contract as JSON")
    ask.add_argument("--history", help="JSON file of earlier messages, for follow-ups")
    ask.set_defaults(run=_ask)

    index = commands.add_parser("index", help="build the index, or check that it is fresh")
    index.add_argument("--rebuild", action="store_true", help="rebuild even if fresh")
    index.set_defaults(run=_index)

    evaluation = commands.add_parser("eval", help="score the engine and a naive baseline")
    evaluation.add_argument("--set", default=str(DEFAULT_EVAL_SET), help="question set (JSON)")
    evaluation.set_defaults(run=_eval)
    return parser


if __name__ == "__main__":
    sys.exit(main())
