"""Read a conversation as the chat widget and API callers send it, into the engine's turns.

Gradio's chatbot sends `[{"role": ..., "content": ...}, ...]`, where content is a string
or a list of parts (`[{"type": "text", "text": …}]`) and a message with `metadata` is the
UI's collapsible Sources block, not something anyone said. The chat shows text with
Markdown escapes (`\\*Smith\\*`), which are undone so that names match the article, and
the short answer in bold (`**…**`), which is dropped so that quotes match it too.
Anything else in the list is ignored, not fatal: a bad history must never stop a question.

The same format is what `qa ask --history FILE` reads.
"""

from __future__ import annotations

import re

from qa.records import Turn

MARKDOWN_ESCAPE = re.compile(r"\\(.)")
BOLD = re.compile(r"(?<!\\)\*\*")  # escaped asterisks never come two in a row
ROLES = ("user", "assistant")


def turns_from_messages(history: object) -> list[Turn]:
    """The spoken turns of a chat history, oldest first.

    >>> turns_from_messages([{"role": "user", "content": "Who is \\\\*Smith\\\\*?"}, 7])
    [Turn(role='user', content='Who is *Smith*?')]
    """
    if not isinstance(history, list):
        return []
    turns = []
    for item in history:
        if not isinstance(item, dict) or item.get("metadata"):
            continue
        role, text = item.get("role"), _text_of(item.get("content"))
        if role in ROLES and text:
            turns.append(Turn(role, MARKDOWN_ESCAPE.sub(r"\1", BOLD.sub("", text))))
    return turns


def _text_of(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text") for p in content if isinstance(p, dict)]
        return " ".join(part for part in parts if isinstance(part, str))
    return ""
