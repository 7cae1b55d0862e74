"""Grounded question answering over news articles: every quoted word is the article's own.

The stages, bottom up: `articles` (files to sentences and speakers), `search` (vectors
and keywords), `store` (the corpus on disk), `answer` (reading a question, ranking,
quoting), then `engine`, the one front door that `ui` (web app and CLI) and the
benchmarks use. `records`, `errors` and `config` are shared by all of them.

Importing the package changes nothing in the process: the offline switches are set
where the libraries that read them are imported (see `config.OFFLINE`).
"""
