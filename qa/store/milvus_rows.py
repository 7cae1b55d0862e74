"""Passage rows in a Milvus collection: the only module that imports pymilvus.

One row per embedded passage. Several corpora may share a collection, and a corpus may
hold rows of two builds while it is rebuilt, so every row names its corpus (a random id
kept in the corpus folder, see `milvus_ledger`) and its build (a hash of the `BuildKey`),
and every read, search and delete is filtered by both: two index folders that name the
same collection never see each other's rows, and vectors of another model never mix in.
The article id is the partition key, so an article's rows live together; the row's kind
(sentence, window, clause) and the sentence it belongs to ride along. Vectors are unit
length, so the metric is inner product, and the index is HNSW with the M,
efConstruction and efSearch the FAISS index uses.

Writing an article deletes its rows of the same content, then inserts: Milvus 2.3's
`upsert` routes rows by the wrong field when the collection has a partition key (fixed
in 2.4), and insert alone would leave a killed writer's rows twice.

Reads choose their consistency. A Strong read waits for the server's next time tick
(200 ms by default), so a question's first pass searches under Bounded staleness, about
2 ms: an article published in the last few seconds may be missed by that search, not
misread. An article's vectors are read Bounded too, and read again Strong if any row is
missing, so a reader that has seen a manifest always gets every row written before it.

A server that does not answer (down, restarting, unreachable) makes a call fail within
`CALL_SECONDS` with `VectorStoreUnavailable`; the client is then dropped, and the next
call connects afresh, since a pymilvus client may not recover from a dead connection.
A restarted server may not have loaded the collection yet: the first call asks it to,
and fails the same way until it has.

Left out: TLS certificates beyond the system's, and collection aliases.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

import grpc
import numpy as np
from pymilvus import DataType, MilvusClient, MilvusException

from qa.errors import IndexUnavailable, VectorStoreUnavailable
from qa.search.indexing import IndexedArticle
from qa.search.vector_index import HNSW_BUILD_BREADTH, HNSW_LINKS, HNSW_SEARCH_BREADTH

log = logging.getLogger("qa")
# pymilvus logs each retry of a failing call with its traceback, many to a failure;
# `MilvusRows._call` logs the failure once, in one line.
logging.getLogger("pymilvus").setLevel(logging.CRITICAL)
T = TypeVar("T")

DEFAULT_COLLECTION = "qa_passages"
KINDS = ("sentence", "window", "clause")
BATCH = 2_000  # rows a call: about 3 MB at 384 dimensions, far below gRPC's 64 MB
READ_WINDOW = 16_384  # the most rows one Milvus query returns
# A question waits this long at most for one call; writes may wait longer, since a batch
# of rows is a few megabytes and a busy server indexes as it takes them.
CALL_SECONDS = 5.0
WRITE_SECONDS = 60.0
FAST, EXACT = "Bounded", "Strong"  # consistency levels, see the module's docstring
NOT_LOADED = 101  # Milvus's code for a collection not (yet) in memory
FIELDS = ("corpus", "build", "article", "sha256", "row", "kind", "sentence", "vector")


def without_secret(setting: str) -> str:
    """A vector store setting fit to print: any `user:password@` is left out.

    >>> without_secret("milvus://root:hunter2@db:19530/news")
    'milvus://db:19530/news'
    """
    scheme, found, rest = setting.partition("://")
    if not found:
        return setting
    netloc, slash, path = rest.partition("/")
    return f"{scheme}://{netloc.rpartition('@')[2]}{slash}{path}"


@dataclass(frozen=True)
class MilvusAddress:
    """Where a collection is, from a `QA_VECTOR_STORE` setting."""

    uri: str
    collection: str
    database: str = ""
    token: str = field(default="", repr=False)

    @classmethod
    def parse(cls, text: str) -> MilvusAddress:
        """
        >>> MilvusAddress.parse("milvus://root:Milvus@db.example:19530/news?collection=wire")
        MilvusAddress(uri='http://db.example:19530', collection='wire', database='news')
        """
        parts = urlsplit(text)
        collection = parse_qs(parts.query).get("collection", [DEFAULT_COLLECTION])[0]
        if not collection.replace("_", "a").isalnum() or collection[0].isdigit():
            raise ValueError(
                "a Milvus collection name is letters, digits and underscores, not starting "
                f"with a digit. Currently, {collection!r}"
            )
        if parts.scheme not in ("milvus", "milvus+https") or not parts.hostname:
            raise ValueError(f"expected milvus://host:port. Currently, {without_secret(text)!r}")
        scheme = "https" if parts.scheme == "milvus+https" else "http"
        token = unquote(parts.netloc.rpartition("@")[0]) if "@" in parts.netloc else ""
        where = f"{scheme}://{parts.hostname}:{parts.port or 19530}"
        return cls(where, collection, parts.path.strip("/"), token)

    def describe(self) -> str:
        return f"Milvus collection {self.collection} at {self.uri}"


@dataclass(frozen=True)
class RowOwner:
    """Whose rows a `MilvusRows` reads and writes: one corpus, under one build."""

    corpus: str  # the corpus folder's own id (`milvus_ledger.namespace`)
    build: str  # a hash of the `BuildKey` the vectors were made under

    def __post_init__(self) -> None:
        for value in (self.corpus, self.build):
            if not value.isalnum():  # they go into filter expressions as they are
                raise ValueError(f"expected letters and digits. Currently, {value!r}")

    @property
    def corpus_rows(self) -> str:
        return f'corpus == "{self.corpus}"'

    @property
    def own_rows(self) -> str:
        return f'{self.corpus_rows} and build == "{self.build}"'


# pymilvus pings the server every 10 s even with no call under way; a server that keeps
# gRPC's default policy answers an idle client's pings with "too many pings" and drops
# it. A client that only pings during calls still notices a dead server on its next call.
QUIET_WHEN_IDLE = {"grpc.keepalive_permit_without_calls": False}


class MilvusRows:
    """The passage rows of one corpus and build in one collection."""

    def __init__(self, address: MilvusAddress, owner: RowOwner) -> None:
        self.address = address
        self.owner = owner
        self._name = address.collection
        self._client: MilvusClient | None = None
        self._dimension: int | None = None  # read from the server on first use

    @property
    def dimension(self) -> int:
        """The vectors' dimension; 0 before the collection exists."""
        if self._dimension is None:
            self._dimension = self._call(self._existing_dimension)
        return self._dimension

    def put(self, article_id: str, indexed: IndexedArticle) -> None:
        """Write every passage row of an article, replacing any of the same content."""
        vectors = indexed.vectors
        self._ensure(vectors.shape[1])
        sha256 = indexed.article.sha256
        passages = indexed.passages
        count = passages.sentence_count
        owners = [*range(count), *range(count), *passages.clause_owner.tolist()]
        rows = [
            {
                "corpus": self.owner.corpus,
                "build": self.owner.build,
                "article": article_id,
                "sha256": sha256,
                "row": row,
                "kind": KINDS[min(row // count, 2)] if count else KINDS[2],
                "sentence": owners[row],
                "vector": vectors[row].tolist(),
            }
            for row in range(len(vectors))
        ]
        self.delete_content(article_id, sha256, self.owner.build)
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            self._call(lambda c, b=batch: c.insert(self._name, b, timeout=WRITE_SECONDS))  # type: ignore[misc]

    def delete(self, article_ids: list[str], keep: list[str]) -> None:
        """Delete this corpus's rows of these articles, in any build, except those of the
        contents (sha256) in `keep`."""
        if article_ids and self.dimension:
            wanted = f"article in {_strings(article_ids)} and sha256 not in {_strings(keep)}"
            self._delete(f"{self.owner.corpus_rows} and {wanted}")

    def delete_content(self, article_id: str, sha256: str, build: str) -> None:
        """Delete this corpus's rows of one article's content under one build."""
        if self.dimension:
            content = f"article == {json.dumps(article_id)} and sha256 == {json.dumps(sha256)}"
            self._delete(f"{self.owner.corpus_rows} and build == {json.dumps(build)} and {content}")

    def delete_other_builds(self) -> None:
        """Delete this corpus's rows made under any other build."""
        if self.dimension:
            self._delete(f'{self.owner.corpus_rows} and build != "{self.owner.build}"')

    def search(self, query: np.ndarray, limit: int) -> list[tuple[str, str, int]]:
        """(article id, sha256, row) of the `limit` sentence rows nearest `query`, best first."""
        if not self.dimension:
            return []
        found = self._call(
            lambda c: c.search(
                self._name,
                data=[np.asarray(query, dtype=np.float32).tolist()],
                anns_field="vector",
                limit=limit,
                filter=f'{self.owner.own_rows} and kind == "sentence"',
                output_fields=["article", "sha256", "row"],
                search_params={"metric_type": "IP", "params": {"ef": HNSW_SEARCH_BREADTH}},
                consistency_level=FAST,
                timeout=CALL_SECONDS,
            )
        )
        return [
            (hit["entity"]["article"], hit["entity"]["sha256"], hit["entity"]["row"])
            for hit in found[0]
        ]

    def vectors(self, article_id: str, sha256: str, rows: int) -> np.ndarray:
        """Every passage vector of one article, in row order; IndexUnavailable if any is missing."""
        found = self._rows_of(article_id, sha256, rows, FAST)
        if len(found) != rows:  # written since the staleness bound: ask for them all
            found = self._rows_of(article_id, sha256, rows, EXACT)
        if len(found) != rows:
            raise IndexUnavailable(
                f"{self.address.describe()} holds {len(found)} of the {rows} rows of {article_id}"
            )
        found.sort(key=lambda item: item["row"])
        return np.asarray([item["vector"] for item in found], dtype=np.float32).reshape(rows, -1)

    def _rows_of(self, article_id: str, sha256: str, rows: int, consistency: str) -> list[dict]:
        content = f"article == {json.dumps(article_id)} and sha256 == {json.dumps(sha256)}"
        wanted = f"{self.owner.own_rows} and {content}"
        found: list[dict] = []
        # By ranges of rows: a query's offset and limit together stop at READ_WINDOW.
        for start in range(0, rows if self.dimension else 0, READ_WINDOW):
            window = f"{wanted} and row >= {start} and row < {start + READ_WINDOW}"
            found += self._call(
                lambda c, w=window: c.query(  # type: ignore[misc]
                    self._name,
                    filter=w,
                    output_fields=["row", "vector"],
                    limit=READ_WINDOW,
                    consistency_level=consistency,
                    timeout=CALL_SECONDS,
                )
            )
        return found

    def count(self, every_build: bool = False) -> int:
        """This corpus's rows (of this build, unless `every_build`), for tests and measurements."""
        if not self.dimension:
            return 0
        where = self.owner.corpus_rows if every_build else self.owner.own_rows
        result = self._call(
            lambda c: c.query(
                self._name,
                filter=where,
                output_fields=["count(*)"],
                consistency_level=EXACT,
                timeout=CALL_SECONDS,
            )
        )
        return int(result[0]["count(*)"])

    def wait_indexed(self, seconds: float) -> None:
        """Flush, then wait until the server has indexed every row (for measurements:
        searches are right before that, only slower)."""
        self._call(lambda c: c.flush(self._name, timeout=seconds))
        deadline = time.monotonic() + seconds
        while True:
            index = self._call(lambda c: c.describe_index(self._name, "vector"))
            if index.get("pending_index_rows", 0) == 0 and (
                index.get("indexed_rows") == index.get("total_rows")
            ):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.address.describe()} is still indexing: {index}")
            time.sleep(1)

    def drop(self) -> None:
        """Drop the whole collection, every corpus's rows with it (for measurements)."""
        self._call(lambda c: c.drop_collection(self._name, timeout=WRITE_SECONDS))
        self._dimension = 0

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _call(self, action: Callable[[MilvusClient], T]) -> T:
        """`action` with a connected client. A collection not loaded yet (a restarted
        server) is loaded and `action` tried again once; any other failure of the server
        drops the client and raises VectorStoreUnavailable."""
        try:
            client = self._connected()
            try:
                return action(client)
            except MilvusException as error:
                if error.code != NOT_LOADED:
                    raise
                client.load_collection(self._name, timeout=CALL_SECONDS)
                return action(client)
        # pymilvus wraps most failures of the server, not all: a deadline passed while
        # it is loading comes through as gRPC's own error.
        except (MilvusException, grpc.RpcError) as error:
            log.warning(f"vectors: {self.address.describe()} failed: {error}")
            self.close()
            raise VectorStoreUnavailable() from error

    def _connected(self) -> MilvusClient:
        if self._client is None:
            self._client = MilvusClient(
                uri=self.address.uri,
                token=self.address.token,
                db_name=self.address.database,
                timeout=CALL_SECONDS,
                grpc_options=QUIET_WHEN_IDLE,
            )
        return self._client

    def _delete(self, where: str) -> None:
        self._call(lambda c: c.delete(self._name, filter=where, timeout=WRITE_SECONDS))

    def _existing_dimension(self, client: MilvusClient) -> int:
        if not client.has_collection(self._name, timeout=CALL_SECONDS):
            return 0
        fields = client.describe_collection(self._name, timeout=CALL_SECONDS)["fields"]
        names = {item["name"] for item in fields}
        if not set(FIELDS) <= names:
            raise IndexUnavailable(
                f"{self.address.describe()} has other fields ({', '.join(sorted(names))}) "
                f"than these rows need: give QA_VECTOR_STORE another ?collection="
            )
        vector = next(item for item in fields if item["name"] == "vector")
        # A collection is searched in memory once loaded; Milvus keeps it loaded after that.
        client.load_collection(self._name, timeout=WRITE_SECONDS)
        return int(vector["params"]["dim"])

    def _ensure(self, dimension: int) -> None:
        """Create the collection on first use; refuse vectors of another dimension."""
        if self.dimension == dimension:
            return
        if self.dimension:
            raise IndexUnavailable(
                f"{self.address.describe()} holds vectors of dimension {self.dimension}, "
                f"not {dimension}: give QA_VECTOR_STORE another ?collection= for this model"
            )
        self._call(lambda c: self._create(c, dimension))
        self._dimension = dimension

    def _create(self, client: MilvusClient, dimension: int) -> None:
        schema = client.create_schema(auto_id=True)
        schema.add_field("pk", DataType.INT64, is_primary=True)
        schema.add_field("corpus", DataType.VARCHAR, max_length=32)
        schema.add_field("build", DataType.VARCHAR, max_length=32)
        schema.add_field("article", DataType.VARCHAR, max_length=128, is_partition_key=True)
        schema.add_field("sha256", DataType.VARCHAR, max_length=64)
        schema.add_field("row", DataType.INT32)
        schema.add_field("kind", DataType.VARCHAR, max_length=8)
        schema.add_field("sentence", DataType.INT32)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dimension)
        index = client.prepare_index_params()
        index.add_index(
            "vector",
            index_type="HNSW",
            metric_type="IP",
            params={"M": HNSW_LINKS, "efConstruction": HNSW_BUILD_BREADTH},
        )
        client.create_collection(
            self._name,
            schema=schema,
            index_params=index,
            consistency_level="Strong",
            timeout=WRITE_SECONDS,
        )


def _strings(values: list[str]) -> str:
    """A Milvus list literal of strings: JSON's quoting is the filter language's.

    >>> _strings(["storm", 'a "b"'])
    '["storm", "a \\\\"b\\\\""]'
    """
    return json.dumps(values)
