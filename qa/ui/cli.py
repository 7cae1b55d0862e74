"""The `qa` command line: `ask`, `add`, `list`, `show`, `remove`, `index`, `migrate`, `eval`,
`serve`, and `hash-password` (a line for the editors file).

Every failure a user can cause (an empty question, an unknown article, a file that is
not an article) ends in one line on stderr and a non-zero exit code, never a traceback.
Exit codes, one rule for every command: 0 when everything asked was done; 1 when
something named could not be used (a question that cannot be asked, an unknown article
id, a file skipped, an index that cannot be written); 2 when the command line itself is
malformed (argparse's own usage errors).

Left out: an interactive mode; the web app covers conversation.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from dataclasses import replace
from pathlib import Path

from qa.config import Config
from qa.engine import Engine, migrate
from qa.errors import IndexUnavailable, InvalidQuestion, UserError
from qa.records import OpenReport
from qa.ui.history import turns_from_messages


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    try:
        config = _config(args)
        return int(args.run(args, config))
    except (UserError, IndexUnavailable, OSError, ValueError) as error:
        print(f"qa: {error}", file=sys.stderr)
        return 1


def _config(args: argparse.Namespace) -> Config:
    """The environment's settings, with what the command line gives in their place."""
    config = Config.from_env()
    given = {"article_path": args.seed, "index_dir": args.index_dir, "model": args.model}
    return replace(config, **{name: value for name, value in given.items() if value})


def _ask(args: argparse.Namespace, config: Config) -> int:
    if not args.question.strip():
        raise InvalidQuestion("Please type a question about the article.")
    history = []
    if args.history:
        try:
            history = turns_from_messages(json.loads(Path(args.history).read_text("utf-8")))
        except json.JSONDecodeError as error:
            raise UserError(f"{args.history} is not JSON: {error}") from None
    engine, _ = Engine.open(config)
    answer = engine.ask(args.question, history, article=args.article)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    if answer.rewritten_question:
        print(f"(searched: {answer.rewritten_question})")
    if answer.short_answer:
        print(f"Short answer: {answer.short_answer.text}")
    print(answer.answer)
    for citation in answer.citations:
        who = citation.speaker or "narration"
        where = f"{citation.article} {citation.id}, chars {citation.start}-{citation.end}"
        print(f"  [{where}] {who}: {citation.quote}")
    return 0


def _add(args: argparse.Namespace, config: Config) -> int:
    """Files and folders, then links (anything with `://`, so that `file:///…` is refused
    as a link, not read as a path), then, with `--refresh`, every linked article again."""
    if not args.paths and not args.refresh:
        raise UserError("Name the files, folders or links to add, or give --refresh.")
    links = [item for item in args.paths if "://" in item]
    paths = [Path(item) for item in args.paths if "://" not in item]
    engine, _ = _open_for_commands(config)
    reports = [engine.add_files(paths)] if paths else []
    reports += [engine.add_links(links)] if links else []
    reports += [engine.refetch_links()] if args.refresh else []
    for report in reports:
        for change in report.changes:
            print(change.describe())
    skipped = [reason for report in reports for reason in report.skipped]
    for reason in skipped:
        print(f"qa: skipped {reason}", file=sys.stderr)
    return 1 if skipped else 0


def _list(args: argparse.Namespace, config: Config) -> int:
    engine, _ = _open_for_commands(config)
    if args.json:
        rows = [summary.to_dict() for summary in engine.articles]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not engine.articles:
        print("no articles (add some with `qa add PATH`)")
    for entry in engine.articles:
        print(f"{entry.id}\t{entry.sentences} sentences\t{entry.title}\t{entry.source}")
    return 0


def _show(args: argparse.Namespace, config: Config) -> int:
    engine, _ = _open_for_commands(config)
    annotated = engine.article(args.id)
    if args.json:
        print(json.dumps(annotated.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(annotated.article.title)
    for sentence in annotated.sentences:
        text = annotated.article.text[sentence.start : sentence.end]
        print(f"{sentence.id}\t{sentence.start}-{sentence.end}\t{sentence.speaker or '-'}\t{text}")
    return 0


def _remove(args: argparse.Namespace, config: Config) -> int:
    engine, _ = _open_for_commands(config)
    for change in engine.remove(args.ids):
        print(change.describe())
    return 0


def _open_for_commands(config: Config) -> tuple[Engine, OpenReport]:
    """Open the corpus with a progress bar on a terminal, saying if another writer is busy."""
    return Engine.open(config, progress=sys.stderr.isatty(), on_wait=_say_waiting)


def _say_waiting() -> None:
    print("qa: waiting for another `qa` command to finish writing the index", file=sys.stderr)


def _index(args: argparse.Namespace, config: Config) -> int:
    logging.getLogger("qa").setLevel(logging.ERROR)  # the report below says it once
    _, report = Engine.open(config, rebuild=args.rebuild, progress=sys.stderr.isatty())
    print(report.describe(str(config.index_dir)))
    return 0


def _migrate(args: argparse.Namespace, config: Config) -> int:
    changes = migrate(config, args.to, progress=sys.stderr.isatty(), merge=args.merge)
    for change in changes:
        print(change.describe())
    return 0


def _eval(args: argparse.Namespace, config: Config) -> int:
    from qa.eval import run

    if args.folds is not None and args.folds < 2:
        raise UserError(f"--folds needs at least 2 folds. Currently, {args.folds}")
    if args.speakers:
        return run.speakers(args.speakers, args.json, args.folds)
    if args.folds is not None and not args.squad:
        raise UserError("--folds fits weights on SQuAD files or labelled speakers: give one")
    if args.folds is not None:
        return run.cross_validated(run.datasets(args.squad, None), config, args.folds, args.json)
    if args.squad or args.coqa:
        # A corpus of the data's own passages, kept apart from the user's articles.
        data = run.datasets(args.squad or [], args.coqa)
        return run.reading(data, config, args.all_articles, args.json, args.distractors)
    return run.seed_set(args.set, args.article, config)


def _hash_password(args: argparse.Namespace, config: Config) -> int:
    from qa.ui.access import hash_password

    password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline()
    password = password.rstrip("\n")
    if len(password) < 8:
        raise UserError("Please choose a password of at least 8 characters.")
    print(f"{args.name}:{hash_password(password)}")
    return 0


def _serve(args: argparse.Namespace, config: Config) -> int:
    from qa.ui.runtime import configure
    from qa.ui.server import serve  # gradio takes seconds to import: only when serving
    from qa.ui.web import build

    configure(config)
    serve(build())
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Grounded answers about an article.")
    parser.add_argument(
        "--seed", type=Path, help="the article a new corpus starts with (default: the seed)"
    )
    parser.add_argument(
        "--index-dir", type=Path, help="index directory (default: ./index in the project)"
    )
    parser.add_argument("--model", help="sentence-transformers model path or cached name")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer a question with quotes from the article")
    ask.add_argument("question")
    ask.add_argument("--article", help="answer from this article id only (see `qa list`)")
    ask.add_argument("--json", action="store_true", help="print the answer contract as JSON")
    ask.add_argument(
        "--history",
        help='JSON file of earlier messages, for follow-ups: [{"role": "user", "content": "…"}, '
        '{"role": "assistant", "content": "…"}, …]',
    )
    ask.set_defaults(run=_ask)

    add = commands.add_parser(
        "add", help="add articles: .txt, .md and .html files, folders, or links to web pages"
    )
    add.add_argument("paths", nargs="*", metavar="PATH|URL")
    add.add_argument(
        "--refresh", action="store_true", help="fetch every article added from a link again"
    )
    add.set_defaults(run=_add)

    listing = commands.add_parser("list", help="list the articles")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    listing.set_defaults(run=_list)

    show = commands.add_parser("show", help="an article's sentences, with offsets and speakers")
    show.add_argument("id", metavar="ID")
    show.add_argument("--json", action="store_true", help="print it as the /article API does")
    show.set_defaults(run=_show)

    remove = commands.add_parser("remove", help="remove articles by id")
    remove.add_argument("ids", nargs="+", metavar="ID")
    remove.set_defaults(run=_remove)

    index = commands.add_parser("index", help="build the index, or check that it is fresh")
    index.add_argument("--rebuild", action="store_true", help="rebuild even if fresh")
    index.set_defaults(run=_index)

    moving = commands.add_parser(
        "migrate", help="copy the corpus's articles and vectors to another vector store"
    )
    moving.add_argument(
        "--to",
        required=True,
        metavar="URI",
        help="where the vectors go: milvus://host:19530[/database][?collection=name]",
    )
    moving.add_argument(
        "--merge",
        action="store_true",
        help="copy into a target that already holds articles (refused without it)",
    )
    moving.set_defaults(run=_migrate)

    evaluation = commands.add_parser("eval", help="score the engine beside baselines")
    evaluation.add_argument("--set", help="question set (JSON; default: the seed's own set)")
    evaluation.add_argument(
        "--article", help="the article file the set is about (default: the seed)"
    )
    data = evaluation.add_mutually_exclusive_group()
    data.add_argument(
        "--squad", type=Path, action="append", help="a SQuAD 1.1 or 2.0 JSON file (repeatable)"
    )
    data.add_argument("--coqa", type=Path, help="a CoQA JSON file: conversations, asked in turn")
    data.add_argument("--speakers", type=Path, help="a folder of articles with labelled speakers")
    evaluation.add_argument(
        "--all-articles", action="store_true", help="ask each question of all passages at once"
    )
    evaluation.add_argument(
        "--distractors",
        type=Path,
        action="append",
        metavar="PATH",
        help="articles (files or folders) added beside the passages, to be told apart from them",
    )
    evaluation.add_argument(
        "--folds",
        type=int,
        metavar="K",
        help="fit weights (with --squad) or attribution's choices (with --speakers) on K-1 "
        "folds of articles, and score the fold left out",
    )
    evaluation.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluation.set_defaults(run=_eval)

    serving = commands.add_parser("serve", help="serve the web app, as `python app.py` does")
    serving.set_defaults(run=_serve)

    hashing = commands.add_parser(
        "hash-password", help="print an editors-file line for NAME, the password read from stdin"
    )
    hashing.add_argument("name", metavar="NAME")
    hashing.set_defaults(run=_hash_password)
    return parser


if __name__ == "__main__":
    sys.exit(main())
