"""Snippets that show why a hit was found, over a small table of real replies to citizens'
messages (rows of the public replies set: the parking and noise complaints the queries 停车难 and
噪音扰民 are about, the replies that once matched them on one common word only, and every 40th
other row as the rest of a collection).

A hit found by words shows the words typed (or a bigram of them: 停车 of 停车难 in 停车场), or the
legal term of an everyday word typed, marked apart (〖噪声〗 for 噪音); never a single character
or a word of a legal term alone (正常, 生活 of 干扰他人正常生活); a date-sorted list holds the
hits holding every word typed.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from conftest import working_directory
from search.compile import STOP_WORDS

REPLIES = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "replies-public.csv"
COLUMNS = "id=留言编号,title=留言主题,body=答复意见,date=答复时间,doc_type=答复"
PARKING = {"27682", "18588", "33505", "21444"}
NOISE = {"9790", "87116", "10458"}
# replies that matched 噪音扰民 only by 生活 or 正常, the words of 干扰他人正常生活 (the legal term
# of 扰民): a truck overloading complaint (影响周围居民生活), a coal mine, a road, building waste
ONE_COMMON_WORD = {"37211", "95913", "22834", "115816"}
MARK = re.compile(r"【([^】]*)】|〖([^〗]*)〗")


@pytest.fixture(scope="module")
def replies(tmp_path_factory: pytest.TempPathFactory):
    if not REPLIES.exists():
        pytest.skip(f"no public replies at {REPLIES} (the shared folder is absent)")
    from indexer.build import ingest
    from search.engine import PolicyIndex

    folder = tmp_path_factory.mktemp("why")
    with REPLIES.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = [row for i, row in enumerate(reader)
                if row["留言编号"] in PARKING | NOISE | ONE_COMMON_WORD | {"84570"} or i % 40 == 0]
    with (folder / "replies.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with working_directory(folder):
        assert not ingest(["replies.csv"], folder / "ix", columns=COLUMNS, engine="jieba", vectors="none").errors
    with PolicyIndex(folder / "ix") as index:
        yield index


def row(hit) -> str:
    return hit.source.rsplit("#", 1)[-1]


def marks(snippet: str) -> list[str]:
    return [a or b for a, b in MARK.findall(snippet)]


def test_every_parking_reply_found_by_words_shows_them(replies):
    """停车难: the replies saying 停车场, 停车位 or 停车泊位 were found by the bigram 停车, which their
    snippets now mark (the top three marked nothing)."""
    hits = replies.search("停车难", limit=10).hits
    assert {row(h) for h in hits[:4]} == PARKING
    for hit in hits:
        assert any("停车" in m for m in marks(hit.snippet)), hit.snippet


def test_a_reply_matching_one_word_of_a_legal_term_is_no_hit(replies):
    """噪音扰民: 扰民's legal term is 干扰他人正常生活, found whole or not at all; a reply saying only
    居民生活 or 正常运行 is no hit, and 正常, 生活 are never marked."""
    hits = replies.search("噪音扰民", limit=50).hits
    found = {row(h) for h in hits}
    assert NOISE <= found
    assert not found & ONE_COMMON_WORD
    for hit in hits:
        shown = marks(hit.snippet)
        # a reply found by its title alone (广场舞扰民) marks nothing in its text: the title shows why
        assert shown or {"噪音", "扰民"} & set(re.findall("噪音|扰民", hit.title)), hit
        assert not {"正常", "生活"} & set(shown), hit.snippet
        assert all(len(m) > 1 and m not in STOP_WORDS for m in shown), hit.snippet


def test_the_legal_term_of_an_everyday_word_is_marked_as_such(replies):
    """噪音 in the query, 噪声 in the reply: marked 〖噪声〗 (and in the page's pieces as an
    expansion), the word typed 【扰民】."""
    hit = next(h for h in replies.search("噪音扰民", limit=10).hits if row(h) == "87116")
    assert "〖噪声〗【扰民】" in hit.snippet
    assert ("噪声", "expansion") in hit.snippet_segments and ("扰民", True) in hit.snippet_segments


def test_a_date_sorted_list_holds_the_hits_of_every_word(replies):
    """Sorted by date, the list is no longer led by a reply matching one common word (the truck
    overloading complaint came first, on 生活): every hit holds both words typed, or the legal
    term of each."""
    hits = replies.search("噪音扰民", sort="date", limit=50).hits
    assert hits and not {row(h) for h in hits} & ONE_COMMON_WORD
    dates = [h.date for h in hits]
    assert dates == sorted(dates, reverse=True)
    for hit in hits:
        assert {"噪音", "噪声", "噪音扰民"} & set(marks(hit.snippet)) or "噪" in hit.title, hit.snippet
