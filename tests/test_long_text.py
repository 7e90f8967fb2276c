"""A long text (a citizen's message, a proposal) asked of the clauses: the meaning only re-orders
the clauses its words found, so an article on the text's general subject that shares none of
its words cannot push the article that answers it off the page."""
from __future__ import annotations

import numpy as np
import pytest

from indexer.embed import HashEmbedder
from search import semantic
from search.semantic import LONG_TEXT_POOL, MeaningSide, UnitVectors, is_long_text, long_text_sentences
from indexer.vectors import StoredVectors

NAN = float("nan")


def side(similarities: list[float], pool: int) -> MeaningSide:
    embedder = HashEmbedder()
    stored = StoredVectors(["a"], embedder.passages(["x"]), embedder.name, embedder.fingerprint)
    return MeaningSide("hybrid", np.array(similarities, dtype=np.float32), None, 0.5, np.zeros(64, dtype=np.float32),
                       UnitVectors(stored, ["a"], embedder), pool=pool)


def test_the_meaning_reorders_the_words_first_candidates_and_finds_nothing_else():
    words = [(9.0, 0), (8.5, 1), (3.0, 2), (2.0, 3)]
    meaning = [0.10, 0.90, 0.20, 0.30, 0.99]  # unit 4 is nearest in meaning but no word of the text is in it
    fused = side(meaning, pool=3).fuse(words)
    assert fused.docnums.tolist() == [1, 0, 2, 3]  # 1 and 0 swap; 3, beyond the pool, keeps its place below
    assert fused.by_meaning == set() and 4 not in fused.docnums
    everything = side(meaning, pool=0).fuse(words)
    assert 4 in everything.docnums and 4 in everything.by_meaning  # without a pool it joins the hits


def test_a_long_text_is_one_of_several_sentences():
    assert not is_long_text("邻居装修噪音太大怎么办")
    assert is_long_text("我是某小区业主，" + "小区内车位长期被外来车辆占用，业主回家无处停放。" * 4)


def test_the_parts_embedded_are_those_holding_the_texts_distinctive_terms():
    text = ("您好！我是西区居民。感谢政府一直以来的关心。小区旁的工地每天夜间施工到凌晨两点，噪音扰民严重，"
            "多次向施工单位反映无果。请问夜间施工是否需要办理许可？望尽快处理。")
    parts = long_text_sentences(text, ["夜间施工", "噪音", "许可"], keep=2, chars=24)
    assert parts == ["请问夜间施工是否需要办理许可？", "小区旁的工地每天夜间施工到凌晨两点，"]
    assert all(len(p) <= 24 for p in parts)
    assert long_text_sentences(text, ["电梯"], keep=2, chars=24) == []  # no part holds a term: none is chosen


# -- through a real index with clause vectors (the stand-in model) ----------------------------------

RULES = {
    "rules.txt": "某市建筑施工管理规定\n\n"
                 "第一条 为了加强建筑施工管理，保障居民生活环境，制定本规定。\n"
                 "第二条 夜间施工应当办理许可，未经许可不得在二十二时至次日六时进行产生噪声的施工作业。\n"
                 "第三条 居民生活环境受到损害的，可以向有关部门投诉。\n"
                 "第四条 本规定自公布之日起施行。\n",
}
MESSAGE = ("您好！我是西区居民。小区旁的工地每天夜间施工到凌晨两点，噪音扰民严重，多次向施工单位反映无果。"
           "请问夜间施工是否需要办理许可？望尽快处理，还居民一个安静的生活环境。")


class CountingModel(HashEmbedder):
    """The stand-in model, counting the texts a query embeds; 居民生活环境 means what 小区 means."""

    def __init__(self) -> None:
        super().__init__(synonyms={"居民生活环境": "小区"})
        self.queries: list[str] = []

    def query(self, text):
        self.queries.append(text)
        return super().query(text)


@pytest.fixture
def rules_index(tmp_path):
    from indexer.build import ingest
    from tests.conftest import stand_in_model, working_directory

    model = CountingModel()
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in RULES.items():
        (folder / name).write_text(text, encoding="utf-8")
    with working_directory(folder):
        ingest(["."], tmp_path / "ix", engine="jieba", embedder=model, vectors="clauses")
    with stand_in_model(model):
        yield tmp_path / "ix", model


def test_a_long_message_embeds_one_part_and_its_answer_comes_first(rules_index):
    from search.engine import PolicyIndex

    path, model = rules_index
    with PolicyIndex(path) as index:
        results = index.search(MESSAGE, clauses=True)
        assert results.mode == "hybrid"
        assert results.hits[0].clause == "第二条"
        assert model.queries == ["请问夜间施工是否需要办理许可？"]  # one part of the message, not the message
        assert all("words" in hit.matched for hit in results.hits)  # the meaning found nothing alone
        model.queries.clear()
        index.search(MESSAGE.replace("夜间施工", "夜间作业") * 10, clauses=True)  # ten times as long: as costly
        assert len(model.queries) == 1 and len(model.queries[0]) <= semantic.LONG_TEXT_SENTENCE_CHARS


def test_a_short_query_still_finds_by_meaning_alone(rules_index):
    from search.engine import PolicyIndex

    path, model = rules_index
    with PolicyIndex(path) as index:
        hits = index.search("小区", clauses=True).hits
        assert any(hit.matched == ["meaning"] for hit in hits)
        assert model.queries == ["小区"]
