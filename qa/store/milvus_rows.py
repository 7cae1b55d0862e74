"""Passage rows in a Milvus collection: the only module that imports pymilvus.

One collection per corpus and one row per embedded passage: the primary key is the
article's sha256 and the row's position, so writing an article again upserts the same
rows; the article id is the partition key, so an article's rows live together and
reading or deleting them is a filter; the row's kind (sentence, window, clause) and the
sentence it belongs to ride along. Vectors are unit length, so the metric is inner
product, and the index is HNSW with the M, efConstruction and efSearch the FAISS index
uses. Reads are Strong: a reader that has seen a manifest sees the rows written before it.

Left out: TLS certificates beyond the system's, and collection aliases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np
from pymilvus import DataType, MilvusClient

from qa.errors import IndexUnavailable
from qa.search.indexing import IndexedArticle
from qa.search.vector_index import HNSW_BUILD_BREADTH, HNSW_LINKS, HNSW_SEARCH_BREADTH

DEFAULT_COLLECTION = "qa_passages"
KINDS = ("sentence", "window", "clause")
BATCH = 2_000  # rows a call: about 3 MB at 384 dimensions, far below gRPC's 64 MB
READ_WINDOW = 16_384  # the most rows one Milvus query returns


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
        >>> MilvusAddress.parse("milvus-lite:///tmp/qa.db")
        MilvusAddress(uri='/tmp/qa.db', collection='qa_passages', database='')
        """
        parts = urlsplit(text)
        collection = parse_qs(parts.query).get("collection", [DEFAULT_COLLECTION])[0]
        if not collection.replace("_", "a").isalnum() or collection[0].isdigit():
            raise ValueError(
                "a Milvus collection name is letters, digits and underscores, not starting "
                f"with a digit. Currently, {collection!r}"
            )
        if parts.scheme == "milvus-lite":
            return cls(parts.path, collection)
        if parts.scheme not in ("milvus", "milvus+https") or not parts.hostname:
            raise ValueError(f"expected milvus://host:port. Currently, {without_secret(text)!r}")
        scheme = "https" if parts.scheme == "milvus+https" else "http"
        token = unquote(parts.netloc.rpartition("@")[0]) if "@" in parts.netloc else ""
        where = f"{scheme}://{parts.hostname}:{parts.port or 19530}"
        return cls(where, collection, parts.path.strip("/"), token)

    def describe(self) -> str:
        return f"Milvus collection {self.collection} at {self.uri}"


# pymilvus pings the server every 10 s even with no call under way; a server that keeps
# gRPC's default policy (milvus-lite does) answers an idle client's pings with "too many
# pings" and drops it. A client that only pings during calls still notices a dead server
# on its next call, and reconnects.
QUIET_WHEN_IDLE = {"grpc.keepalive_permit_without_calls": False}


class MilvusRows:
    """The passage rows of one corpus in one collection."""

    def __init__(self, address: MilvusAddress) -> None:
        self.address = address
        self._name = address.collection
        self._client = MilvusClient(
            uri=address.uri,
            token=address.token,
            db_name=address.database,
            grpc_options=QUIET_WHEN_IDLE,
        )
        self._dimension = self._existing_dimension()

    @property
    def dimension(self) -> int:
        """The vectors' dimension; 0 before the collection holds any."""
        return self._dimension

    def put(self, article_id: str, indexed: IndexedArticle) -> None:
        """Write every passage row of an article, replacing any with the same content."""
        vectors = indexed.vectors
        self._ensure(vectors.shape[1])
        sha256 = indexed.article.sha256
        passages = indexed.passages
        count = passages.sentence_count
        owners = [*range(count), *range(count), *passages.clause_owner.tolist()]
        rows = [
            {
                "pk": f"{sha256}.{row}",
                "article": article_id,
                "sha256": sha256,
                "row": row,
                "kind": KINDS[min(row // count, 2)] if count else KINDS[2],
                "sentence": owners[row],
                "vector": vectors[row].tolist(),
            }
            for row in range(len(vectors))
        ]
        for start in range(0, len(rows), BATCH):
            self._client.upsert(self._name, rows[start : start + BATCH])

    def delete(self, article_ids: list[str], keep: list[str]) -> None:
        """Delete the rows of these articles, except those of the contents (sha256) in `keep`."""
        if article_ids and self._dimension:
            self._client.delete(
                self._name,
                filter=f"article in {_strings(article_ids)} and sha256 not in {_strings(keep)}",
            )

    def search(self, query: np.ndarray, limit: int) -> list[tuple[str, str, int]]:
        """(article id, sha256, row) of the `limit` sentence rows nearest `query`, best first."""
        if not self._dimension:
            return []
        found = self._client.search(
            self._name,
            data=[np.asarray(query, dtype=np.float32).tolist()],
            anns_field="vector",
            limit=limit,
            filter='kind == "sentence"',
            output_fields=["article", "sha256", "row"],
            search_params={"metric_type": "IP", "params": {"ef": HNSW_SEARCH_BREADTH}},
        )
        return [
            (hit["entity"]["article"], hit["entity"]["sha256"], hit["entity"]["row"])
            for hit in found[0]
        ]

    def vectors(self, article_id: str, sha256: str, rows: int) -> np.ndarray:
        """Every passage vector of one article, in row order; IndexUnavailable if any is missing."""
        wanted = f"article == {json.dumps(article_id)} and sha256 == {json.dumps(sha256)}"
        found: list[dict] = []
        # By ranges of rows: a query's offset and limit together stop at READ_WINDOW.
        for start in range(0, rows if self._dimension else 0, READ_WINDOW):
            found += self._client.query(
                self._name,
                filter=f"{wanted} and row >= {start} and row < {start + READ_WINDOW}",
                output_fields=["row", "vector"],
                limit=READ_WINDOW,
            )
        if len(found) != rows:
            raise IndexUnavailable(
                f"{self.address.describe()} holds {len(found)} of the {rows} rows of {article_id}"
            )
        found.sort(key=lambda item: item["row"])
        return np.asarray([item["vector"] for item in found], dtype=np.float32).reshape(rows, -1)

    def count(self) -> int:
        """Every row in the collection, for tests and measurements."""
        if not self._dimension:
            return 0
        result = self._client.query(self._name, filter="", output_fields=["count(*)"])
        return int(result[0]["count(*)"])

    def drop(self) -> None:
        if self._client.has_collection(self._name):
            self._client.drop_collection(self._name)
        self._dimension = 0

    def close(self) -> None:
        self._client.close()

    def _existing_dimension(self) -> int:
        if not self._client.has_collection(self._name):
            return 0
        fields = self._client.describe_collection(self._name)["fields"]
        vector = next(item for item in fields if item["name"] == "vector")
        # A collection is searched in memory once loaded; Milvus keeps it loaded after that.
        self._client.load_collection(self._name)
        return int(vector["params"]["dim"])

    def _ensure(self, dimension: int) -> None:
        """Create the collection on first use; refuse vectors of another dimension."""
        if self._dimension == dimension:
            return
        if self._dimension:
            raise IndexUnavailable(
                f"{self.address.describe()} holds vectors of dimension {self._dimension}, "
                f"not {dimension}: give QA_VECTOR_STORE another ?collection= for this model"
            )
        schema = self._client.create_schema(auto_id=False)
        schema.add_field("pk", DataType.VARCHAR, is_primary=True, max_length=80)
        schema.add_field("article", DataType.VARCHAR, max_length=128, is_partition_key=True)
        schema.add_field("sha256", DataType.VARCHAR, max_length=64)
        schema.add_field("row", DataType.INT32)
        schema.add_field("kind", DataType.VARCHAR, max_length=8)
        schema.add_field("sentence", DataType.INT32)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dimension)
        index = self._client.prepare_index_params()
        index.add_index(
            "vector",
            index_type="HNSW",
            metric_type="IP",
            params={"M": HNSW_LINKS, "efConstruction": HNSW_BUILD_BREADTH},
        )
        self._client.create_collection(
            self._name, schema=schema, index_params=index, consistency_level="Strong"
        )
        self._dimension = dimension


def _strings(values: list[str]) -> str:
    """A Milvus list literal of strings: JSON's quoting is the filter language's.

    >>> _strings(["storm", 'a "b"'])
    '["storm", "a \\\\"b\\\\""]'
    """
    return json.dumps(values)
