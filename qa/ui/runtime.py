"""The one engine of a serving process, and the settings it was opened with.

The reader's and the editor's pages share it. It opens on first use (or when the server
warms it before serving), under a lock, so concurrent first requests wait for one open
instead of each loading the model and writing the index.
"""

from __future__ import annotations

import threading

from qa.config import Config
from qa.engine import Engine

_config: list[Config] = []  # set once, by `configure` or from the environment
_opened: list[Engine] = []
_opening = threading.Lock()


def configure(config: Config) -> None:
    """Serve with `config` rather than the environment's settings; call before serving."""
    _config[:] = [config]


def settings() -> Config:
    if not _config:
        _config.append(Config.from_env())
    return _config[0]


def engine() -> Engine:
    """The process's engine, opened on first use."""
    if not _opened:
        with _opening:
            if not _opened:
                _opened.append(Engine.open(settings())[0])
    return _opened[0]
