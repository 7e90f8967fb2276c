"""Fusion of the words' ranking with the meaning's, on fixed scores and vectors."""
from __future__ import annotations

import numpy as np
import pytest

from indexer.embed import HashEmbedder
from indexer.vectors import StoredVectors
from search.semantic import UnitVectors, fuse, lexical_weight

NAN = float("nan")


def test_a_unit_found_by_meaning_alone_joins_the_words_hits():
    lexical = [(9.0, 0), (5.0, 1), (4.0, 2)]
    dense = np.array([0.80, 0.30, 0.31, 0.95, 0.20, NAN], dtype=np.float32)
    fused = fuse(lexical, dense, None, weight=0.3, depth=3)
    assert fused.docnums.tolist() == [0, 3, 1, 2]  # 1 is nearer in meaning than 2 (0.30 against 0.31, but 5 against 4 in words)
    assert fused.by_words == {0, 1, 2} and {0, 3} <= fused.by_meaning
    assert 5 not in fused.docnums  # no vector, no words: not a candidate


def test_the_weight_moves_between_words_and_meaning():
    lexical = [(9.0, 0), (5.0, 1), (4.0, 2)]
    dense = np.array([0.1, 0.2, 0.9, 0.5], dtype=np.float32)
    assert fuse(lexical, dense, None, weight=1.0, depth=4).docnums.tolist()[:3] == [0, 1, 2]
    assert fuse(lexical, dense, None, weight=0.0, depth=4).docnums.tolist() == [2, 3, 1, 0]


def test_filters_keep_units_found_by_meaning_out():
    lexical = [(9.0, 0)]
    dense = np.array([0.2, 0.9, 0.8], dtype=np.float32)
    allowed = np.array([True, False, True])
    fused = fuse(lexical, dense, allowed, weight=0.5, depth=5)
    assert fused.docnums.tolist() == [2, 0]  # 2 is far nearer in meaning; 1 is filtered out


def test_no_words_found_ranks_by_meaning():
    dense = np.array([0.2, 0.9, 0.5], dtype=np.float32)
    assert fuse([], dense, None, weight=0.4).docnums.tolist() == [1, 2, 0]


@pytest.mark.parametrize("query, weight", [
    ("停车难", 0.4), ("老旧小区加装电梯 补贴", 0.4),
    ("邻居装修噪音太大怎么办", 0.2), ("借钱不还可以起诉吗？", 0.2),
    ("我是某小区业主，" + "小区内车位长期被外来车辆占用，业主回家无处停放。" * 4, 0.3),
])
def test_the_words_weigh_less_for_questions_and_long_texts(query, weight):
    assert lexical_weight(query) == weight


def test_vectors_map_to_document_numbers_and_units_without_one_score_nan():
    embedder = HashEmbedder()
    texts = ["小区停车难", "公交线路调整"]
    stored = StoredVectors(["b", "a"], embedder.passages(texts).astype(np.float16), embedder.name,
                           embedder.fingerprint)
    vectors = UnitVectors(stored, ["a", "x", "b"], embedder)  # document numbers 0, 1, 2
    q = vectors.query_vector("停车难")
    assert q is not None
    sims = vectors.similarities(q)
    assert np.isnan(sims[1]) and sims[2] > sims[0] and vectors.count == 2
    assert vectors.closest_sentence("公交线路调整。小区停车难，车位少。", q) == "小区停车难，车位少。"
