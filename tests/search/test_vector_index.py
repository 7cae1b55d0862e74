import numpy as np
import pytest

from qa.search.vector_index import VectorIndex


def unit_rows(count: int, dimension: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(count, dimension)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize(("count", "k"), [(1, 1), (7, 3), (22, 22), (513, 10), (1000, 37)])
def test_faiss_matches_numpy_brute_force(count: int, k: int) -> None:
    vectors = unit_rows(count, 48, seed=count)
    index = VectorIndex.build(vectors)
    for query in unit_rows(5, 48, seed=count + 1):
        found = index.search(query, k)
        exact = vectors @ query
        expected = np.argsort(-exact, kind="stable")[: min(k, count)]
        np.testing.assert_allclose(found.scores, exact[expected], rtol=1e-5, atol=1e-6)
        assert set(found.ids.tolist()) == set(expected.tolist()) or np.allclose(
            exact[found.ids], exact[expected]
        )


def test_file_round_trip_is_exact(tmp_path) -> None:
    vectors = unit_rows(30, 16, seed=3)
    index = VectorIndex.build(vectors)
    index.write(tmp_path / "v.faiss")
    again = VectorIndex.read(tmp_path / "v.faiss")
    query = vectors[4]
    assert again.size == 30 and again.dimension == 16
    assert again.search(query, 5).ids.tolist() == index.search(query, 5).ids.tolist()
    np.testing.assert_allclose(again.mean(0, 30), vectors.mean(axis=0), rtol=1e-5, atol=1e-6)


def test_bad_arguments_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="non-empty 2-D"):
        VectorIndex.build(np.zeros((0, 4), dtype=np.float32))
    with pytest.raises(ValueError, match="k must be greater than 0"):
        VectorIndex.build(unit_rows(3, 4, seed=1)).search(unit_rows(1, 4, seed=2)[0], 0)


def clustered_rows(count: int, dimension: int, seed: int) -> np.ndarray:
    """Points scattered around a few hundred centres, like sentences around topics."""
    rng = np.random.default_rng(seed)
    centres = unit_rows(300, dimension, seed + 1)
    rows = centres[rng.integers(0, 300, count)] + rng.normal(0, 0.05, (count, dimension))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_large_indexes_are_approximate_with_measured_recall(tmp_path) -> None:
    vectors = clustered_rows(20_000, 64, seed=5)
    approximate = VectorIndex.build(vectors, exact_up_to=10_000)
    exact = VectorIndex.build(vectors)
    assert (approximate.kind, exact.kind) == ("hnsw", "exact")
    queries = clustered_rows(100, 64, seed=9)
    recall = np.mean(
        [
            len(set(approximate.search(q, 10).ids) & set(exact.search(q, 10).ids)) / 10
            for q in queries
        ]
    )
    assert recall >= 0.95, recall
    approximate.write(tmp_path / "h.faiss")
    again = VectorIndex.read(tmp_path / "h.faiss")
    assert again.kind == "hnsw" and again.search(queries[0], 10).ids.tolist() == (
        approximate.search(queries[0], 10).ids.tolist()
    )
