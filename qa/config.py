"""Every setting, read once from the environment into one frozen `Config`.

Each field says what it is for, and the `QA_*` variable that sets it. Nothing else in
the package reads the environment: the interfaces call `Config.from_env()` once and
hand the result down. Reading it changes nothing either; the offline switches for the
model hub and Gradio are set where those libraries are imported (`search.embedding`,
`ui.web`), not when `qa` is imported.

Where a default follows the machine (threads, questions answered at once), it is
`os.cpu_count()`: these were measured on 2 cores, where one thread per core is fastest.

The default index folder is `./index` when the working directory is a checkout of this
project (it has `index/` beside `pyproject.toml`), and otherwise the user's data folder,
so an installed `qa` never writes into whatever folder it was started from.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import platformdirs

DEFAULT_MODEL = "all-MiniLM-L6-v2"
# Set (unless already set) just before importing sentence-transformers or gradio, which
# read them once: a model *name* given by mistake fails at once instead of waiting on a
# hub that cannot be reached, and nothing phones home at start-up.
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "GRADIO_ANALYTICS_ENABLED": "False",
}


def go_offline() -> None:
    """Set the `OFFLINE` switches that are not set already."""
    for variable, value in OFFLINE.items():
        os.environ.setdefault(variable, value)


VECTOR_STORES = ("milvus://", "milvus+https://")
SEED_NAME = "000_fa83349e7fd05c60.txt"


def default_article() -> Path:
    """The seed article, as shipped inside the package."""
    return Path(str(resources.files("qa.data").joinpath(SEED_NAME)))


def default_index_dir(cwd: Path | None = None) -> Path:
    """`./index` inside a checkout of the project, else the user's data folder."""
    here = cwd or Path.cwd()
    if (here / "pyproject.toml").is_file() and (here / "index").is_dir():
        return here / "index"
    return Path(platformdirs.user_data_dir("article-qa")) / "index"


def _cores() -> int:
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Config:
    """What the engine, the web app and the CLI may be told; every field has a default."""

    # QA_ARTICLE: the article a new, empty corpus starts with.
    article_path: Path = field(default_factory=default_article)
    # QA_INDEX_DIR: where the corpus (texts, vectors, manifest) is kept.
    index_dir: Path = field(default_factory=default_index_dir)
    # QA_VECTOR_STORE: where passage vectors live. Empty: FAISS files in the index folder.
    # `milvus://[user:password@]host:19530[/database][?collection=name]` for a Milvus
    # server or cluster (`milvus+https://` over TLS). The articles' texts stay in the index
    # folder either way.
    vector_store: str = field(default="", repr=False)  # may hold a password
    # QA_MODEL: a local sentence-transformers model folder, or the packaged default name.
    model: str = DEFAULT_MODEL
    # QA_ENCODER: "onnx" (int8, a third of torch's time, no torch installed) or "torch"
    # (full precision, the reference; needs the `reference` extra).
    encoder: str = "onnx"
    # QA_THREADS: threads for encoding questions and articles; one per core contended least.
    threads: int = field(default_factory=_cores)
    # QA_CONCURRENCY: questions answered at once by the web app; one per core.
    concurrency: int = field(default_factory=_cores)
    # QA_QUEUE_SIZE: questions waiting beyond those; past it, "the queue is full".
    queue_size: int = 64
    # GRADIO_SERVER_NAME / GRADIO_SERVER_PORT: where the web app listens (Gradio's names).
    server_name: str = "127.0.0.1"
    server_port: int = 7860
    # QA_EDITOR_PASSWORD: turns on editing at /edit for the user "editor". Unset: read-only.
    editor_password: str | None = field(default=None, repr=False)
    # QA_EDITORS_FILE: more editors, one `name:pbkdf2_sha256$…` a line (`qa hash-password`).
    editors_file: Path | None = None
    # QA_ASKS_PER_MINUTE: questions one client may ask a minute (bursts up to as many).
    asks_per_minute: int = 60
    # QA_SIGN_INS_PER_MINUTE: failed editor sign-ins one client may make a minute.
    sign_ins_per_minute: int = 5
    # QA_MCP: "1" serves the API as MCP tools for AI agents at /gradio_api/mcp/. Off unless
    # asked for: Gradio answers tool calls through a loopback client, so they are not
    # limited per client as /ask is.
    mcp: bool = False
    # QA_TRUSTED_PROXIES: comma-separated proxy addresses whose X-Forwarded-For is believed.
    trusted_proxies: tuple[str, ...] = ()
    # QA_FETCH_ALLOW: comma-separated host names or networks (`intranet.example`,
    # `10.1.0.0/16`, `127.0.0.1`) that `qa add URL` and the editor may fetch although they
    # are private; every other private, loopback or link-local address is refused.
    fetch_allow: tuple[str, ...] = ()
    # QA_FETCH_MAX_BYTES: the largest page fetched from a link (5 MB), read in a stream.
    fetch_max_bytes: int = 5 << 20
    # QA_FETCH_TIMEOUT: seconds a link may take in all, redirects and body included; the
    # connection itself gets at most 5 of them.
    fetch_timeout: float = 20.0

    def __post_init__(self) -> None:
        if self.encoder not in ("onnx", "torch"):
            raise ValueError(f"QA_ENCODER must be 'onnx' or 'torch'. Currently, {self.encoder!r}")
        if self.vector_store and not self.vector_store.startswith(VECTOR_STORES):
            raise ValueError(
                f"QA_VECTOR_STORE must start with {' or '.join(VECTOR_STORES)} (or be empty "
                f"for FAISS files). Currently, {self.vector_store.partition('://')[0]!r}"
            )
        numbers = ("threads", "concurrency", "queue_size", "server_port", "asks_per_minute")
        for name in (*numbers, "sign_ins_per_minute", "fetch_max_bytes"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1. Currently, {getattr(self, name)}")
        if not self.fetch_timeout > 0:
            raise ValueError(f"QA_FETCH_TIMEOUT must be above 0. Currently, {self.fetch_timeout}")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Config:
        """The settings in `environ` (the process environment by default), defaults elsewhere."""
        env = os.environ if environ is None else environ
        given: dict[str, object] = {}
        for name, variable, kind in _VARIABLES:
            if env.get(variable):
                try:
                    given[name] = kind(env[variable])
                except ValueError:
                    message = f"{variable} is not valid: {env[variable]!r}"
                    raise ValueError(message) from None
        return cls(**given)  # type: ignore[arg-type]


def _addresses(text: str) -> tuple[str, ...]:
    """
    >>> _addresses("10.0.0.2, 10.0.0.3")
    ('10.0.0.2', '10.0.0.3')
    """
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _switch(text: str) -> bool:
    """
    >>> _switch("0"), _switch("true")
    (False, True)
    """
    if text.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if text.strip().lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(text)


_VARIABLES: tuple[tuple[str, str, Callable[[str], object]], ...] = (
    ("article_path", "QA_ARTICLE", Path),
    ("index_dir", "QA_INDEX_DIR", Path),
    ("vector_store", "QA_VECTOR_STORE", str),
    ("model", "QA_MODEL", str),
    ("encoder", "QA_ENCODER", str),
    ("threads", "QA_THREADS", int),
    ("concurrency", "QA_CONCURRENCY", int),
    ("queue_size", "QA_QUEUE_SIZE", int),
    ("server_name", "GRADIO_SERVER_NAME", str),
    ("server_port", "GRADIO_SERVER_PORT", int),
    ("editor_password", "QA_EDITOR_PASSWORD", str),
    ("editors_file", "QA_EDITORS_FILE", Path),
    ("asks_per_minute", "QA_ASKS_PER_MINUTE", int),
    ("sign_ins_per_minute", "QA_SIGN_INS_PER_MINUTE", int),
    ("mcp", "QA_MCP", _switch),
    ("trusted_proxies", "QA_TRUSTED_PROXIES", _addresses),
    ("fetch_allow", "QA_FETCH_ALLOW", _addresses),
    ("fetch_max_bytes", "QA_FETCH_MAX_BYTES", int),
    ("fetch_timeout", "QA_FETCH_TIMEOUT", float),
)
