"""The errors the package raises on purpose, in one hierarchy.

A `UserError` is something the person asking can fix, and its message says how, in
their words: the interfaces show it as it is (the CLI on one line, the web app in the
chat, the API as its error message). Anything else is the server's own failure: logged
where it is caught, and shown to a user only as a generic apology.

>>> issubclass(UnknownArticle, UserError), issubclass(IndexUnavailable, UserError)
(True, False)
"""

from __future__ import annotations


class UserError(ValueError):
    """A request that cannot be served as asked; the message says what to change."""


class InvalidQuestion(UserError):
    """A question that cannot be asked: empty, too long, or with no words in it."""


class UnknownArticle(UserError):
    """An article id that names no article of the corpus."""

    @classmethod
    def named(cls, article_id: str) -> UnknownArticle:
        """
        >>> str(UnknownArticle.named("nope"))
        "There is no article 'nope' (see `qa list` or `/articles`)."
        """
        return cls(f"There is no article {article_id[:60]!r} (see `qa list` or `/articles`).")


class UnusableArticle(UserError):
    """A file or text that cannot become an article: not UTF-8, empty, too long, no story."""


class IndexBusy(UserError):
    """The index cannot serve this request now (it is being repaired): try again shortly."""


class VectorStoreUnavailable(UserError):
    """The vector database does not answer (down, restarting, unreachable): nothing was
    changed, and the same request will work once it is back."""

    MESSAGE = "The vector database is unavailable; please try again shortly."

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


class IndexUnavailable(Exception):
    """The index on disk cannot be used as it is; the message says why, for one log line."""
