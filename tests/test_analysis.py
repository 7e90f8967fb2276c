"""The Chinese analyzer: ordinal positions, index and query modes, Whoosh's tokenizer contract,
and pickling (Whoosh stores the schema, analyzer included, inside the index)."""
from __future__ import annotations

import pickle

import pytest
from whoosh import query as Q
from whoosh.filedb.filestore import RamStorage

from indexer.analysis import ANALYSIS_VERSION, ChineseTokenizer, fold, make_analyzer, search_terms
from indexer.schema import make_schema, schema_analyzer


def tokens(analyzer: ChineseTokenizer, text: str, **kwargs) -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in analyzer(text, positions=True, **kwargs)]


@pytest.fixture(scope="module")
def analyzer(engine: str) -> ChineseTokenizer:
    return make_analyzer(engine)


# -- positions --------------------------------------------------------------------------------


def test_a_grouped_word_takes_one_position_per_dictionary_piece(analyzer):
    # jieba keeps 时尚产业 whole (it is in the package dictionary); its pieces 时尚 and 产业
    # still get consecutive positions, and the whole word shares the position of its first piece.
    assert tokens(analyzer, "促进时尚产业发展") == [
        ("促进", 0), ("时尚产业", 1), ("时尚", 1), ("产业", 2), ("发展", 3),
    ]


def test_query_mode_gives_only_the_fine_words_in_order(analyzer):
    assert tokens(analyzer, "建设公共服务平台", mode="query") == [
        ("建设", 0), ("公共", 1), ("服务", 2), ("平台", 3),
    ]


def test_search_mode_sub_words_start_where_they_start(analyzer):
    # 数字 is a dictionary word inside 数字化: indexed at the position of 数字化.
    assert tokens(analyzer, "数字化转型") == [("数字化转型", 0), ("数字化", 0), ("转型", 1), ("数字", 0)]


def test_characters_outside_the_dictionary_stay_single(analyzer):
    # jieba's HMM would glue 市能 and 禁摩禁 into rare, heavily weighted non-words; the
    # character bigrams (禁摩, 摩禁, 禁电) match unknown names instead.
    assert [t for t, _ in tokens(analyzer, "希望B市能禁摩禁电", mode="query")] == [
        "希望", "b", "市", "能", "禁", "摩", "禁", "电",
    ]


def test_positions_count_words_not_characters(analyzer):
    # jieba's own ChineseAnalyzer would give 发展 the character offset 6; a phrase needs 3.
    assert [pos for _, pos in tokens(analyzer, "促进时尚产业发展", mode="query")] == [0, 1, 2, 3]


def test_punctuation_and_spaces_take_no_position(analyzer):
    assert tokens(analyzer, "时尚，  产业。", mode="query") == [("时尚", 0), ("产业", 1)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("支持5G和AI产业", [("支持", 0), ("5g", 1), ("和", 2), ("ai", 3), ("产业", 4)]),
        # full-width letters and digits are segmented as their ASCII forms
        ("支持５Ｇ和ＡＩ产业", [("支持", 0), ("5g", 1), ("和", 2), ("ai", 3), ("产业", 4)]),
    ],
)
def test_letters_and_digits_are_folded_to_lower_case_ascii(analyzer, text, expected):
    assert tokens(analyzer, text) == expected
    assert tokens(analyzer, text, mode="query") == expected


def test_fold():
    assert fold("ＡＩ产业５Ｇ") == "ai产业5g"


def test_search_terms_are_every_index_token_once(analyzer):
    assert search_terms(analyzer, "时尚产业 时尚") == ["时尚产业", "时尚", "产业"]


# -- Whoosh's tokenizer contract --------------------------------------------------------------


def test_chars_are_offsets_into_the_original_text_after_start_char(analyzer):
    got = [(t.text, t.pos, t.startchar, t.endchar)
           for t in analyzer("时尚产业", positions=True, chars=True, start_pos=10, start_char=100)]
    assert got == [("时尚产业", 10, 100, 104), ("时尚", 10, 100, 102), ("产业", 11, 102, 104)]


def test_keeporiginal_keeps_the_characters_as_written(analyzer):
    assert [(t.text, t.original) for t in analyzer("ＡＩ产业", keeporiginal=True)] == [("ai", "ＡＩ"), ("产业", "产业")]


def test_tokenize_false_yields_the_value_whole(analyzer):
    assert tokens(analyzer, "时尚产业", tokenize=False) == [("时尚产业", 0)]


# -- phrases in a real (in-memory) Whoosh index ------------------------------------------------


def phrase_hits(analyzer: ChineseTokenizer, texts: dict[str, str], phrase: str) -> list[str]:
    """The names of ``texts`` whose body holds ``phrase``, as the engine builds phrase queries."""
    schema = make_schema(analyzer)
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        for name, text in texts.items():
            w.add_document(unit_id=name, kind="doc", body=text)
    words = [w for w, _, _ in analyzer.fine_words(phrase)]
    with ix.searcher() as s:
        return sorted(hit["unit_id"] for hit in s.search(Q.Phrase("body", words), limit=None))


def test_a_phrase_matches_adjacent_words_only(analyzer):
    texts = {
        "adjacent": "为加快推动我市时尚产业高质量发展，制定以下措施。",
        "far_apart": "为促进时尚消费，发展夜间文化产业。",
    }
    assert phrase_hits(analyzer, texts, "时尚产业") == ["adjacent"]


def test_a_phrase_matches_whatever_jieba_grouped(analyzer):
    # 时尚产业 alone, inside 时尚产业化, and written with a space: three segmentations, one phrase.
    texts = {
        "whole": "促进时尚产业发展",
        "longer": "推动服装制造向时尚产业化方向转型",
        "spaced": "时尚 产业",
        "other": "时尚消费和文化产业",
    }
    assert phrase_hits(analyzer, texts, "时尚产业") == ["longer", "spaced", "whole"]
    assert phrase_hits(analyzer, texts, "时尚产业化") == ["longer"]


def test_a_long_dictionary_word_as_a_phrase(analyzer):
    texts = {
        "whole": "支持建设公共服务平台",
        "split": "提升公共服务水平，搭建交流平台",
    }
    assert phrase_hits(analyzer, texts, "公共服务平台") == ["whole"]


# -- pickling ---------------------------------------------------------------------------------


def test_schema_survives_a_pickle_round_trip(engine):
    schema = make_schema(make_analyzer(engine))
    restored = pickle.loads(pickle.dumps(schema))
    assert restored.names() == schema.names()
    for name in schema.names():
        if schema[name].column_type is not None:
            # sortable: Whoosh's column objects have no __eq__, so compare the rest of the field
            assert type(restored[name].column_type) is type(schema[name].column_type)
            continue
        assert restored[name] == schema[name], name
    before, after = schema_analyzer(schema), schema_analyzer(restored)
    assert after == before
    assert after.settings == before.settings == {
        "engine": engine, "analysis_version": ANALYSIS_VERSION, "user_words": 0,
        "fingerprint": before.fingerprint,
    }
    text = "支持建设时尚产业公共服务平台，最高资助500万元"
    assert tokens(after, text) == tokens(before, text)
    assert tokens(after, text, mode="query") == tokens(before, text, mode="query")


def test_pickle_holds_settings_not_the_segmenter(engine):
    analyzer = make_analyzer(engine)
    analyzer("时尚产业")  # loads the engine
    data = pickle.dumps(analyzer)
    assert len(data) < 500
    assert pickle.loads(data)._engine is None


def test_analyzers_of_different_engines_differ():
    assert make_analyzer("jieba") != make_analyzer("rjieba")
    assert make_analyzer("jieba") == make_analyzer("jieba")
