"""Character bigrams: the second view of each text (indexer/bigrams.py) and how queries use it."""
from __future__ import annotations

import pickle

from whoosh import query as Q

from indexer.bigrams import BigramTokenizer, cjk_bigrams
from search.ranking import with_bigrams


def grams(text: str) -> list[str]:
    return [g for g, _s, _e in cjk_bigrams(text)]


def test_bigrams_of_cjk_runs_with_letters_and_digits_as_one_symbol():
    assert grams("暮云公交") == ["暮云", "云公", "公交"]
    assert grams("K7县一中") == ["k7县", "县一", "一中"]
    assert grams("开通12路公交") == ["开通", "通12", "12路", "路公", "公交"]


def test_punctuation_ends_a_run_and_lone_characters_stay():
    assert grams("市，区") == ["市", "区"]
    assert grams("ABC def 2020") == []  # letters and digits alone are the word field's


def test_folded_like_words_with_the_offsets_of_the_text():
    text = "ＡＢ縣時尚"
    assert [(g, text[s:e]) for g, s, e in cjk_bigrams(text)] == [
        ("ab县", "ＡＢ縣"), ("县时", "縣時"), ("时尚", "時尚")]


def test_the_tokenizer_pickles_and_compares_equal():
    tokenizer = pickle.loads(pickle.dumps(BigramTokenizer()))
    assert tokenizer == BigramTokenizer()
    assert [t.text for t in tokenizer("时尚产业")] == ["时尚", "尚产", "产业"]


def test_word_and_bigram_sides_are_one_flat_or():
    words = Q.Or([Q.Or([Q.Term("title", "a"), Q.Term("body", "a")]), Q.Term("body", "b")])
    combined = with_bigrams(words, Q.Or([Q.Term("body_bigrams", "xy"), Q.Term("body_bigrams", "yz")]))
    assert isinstance(combined, Q.Or)
    assert not any(isinstance(sub, Q.Or) for sub in combined.subqueries)
    assert with_bigrams(None, Q.Term("body_bigrams", "xy")) == Q.Term("body_bigrams", "xy")


def test_a_text_is_found_by_its_bigrams_too(corpus_index):
    hits = corpus_index.search("施工噪音扰民").hits
    assert hits[0].source == "replies.csv#A001"


def test_similar_uses_bigrams_too(corpus_index):
    terms, _ = corpus_index.distinctive_bigrams("晚上工地还在施工，噪音扰民")
    assert "扰民" in terms
    assert corpus_index.similar("晚上工地还在施工，噪音扰民").hits[0].source == "replies.csv#A001"
