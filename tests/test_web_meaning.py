"""The search page over an index whose documents have vectors: the 匹配方式 switch, the mode kept
in every link, hits found by meaning alone, and a document page's similar texts by its stored
vector. The model is the deterministic stand-in (HashEmbedder) whose synonyms make a.txt and
b.txt alike in meaning though they share no word (see test_semantic.LIKE)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import ingest_texts, stand_in_model, wsgi_request
from indexer.embed import HashEmbedder
from search.engine import PolicyIndex
from search.web import pages
from search.web.app import make_app
from test_semantic import LIKE, LIKE_SYNONYMS, NothingEmbedded

# enough other documents that a search by meaning alone (every document is a candidate) has pages
ROADWORKS = {f"r{n:02d}.txt": f"第{n}批道路养护安排\n\n第{n}批道路养护工作于本月开展，请沿线单位配合。" for n in range(1, 12)}
QUERY = "停放困难"  # b.txt's words; a.txt says it as 车位紧张 (no character in common)
MODES = ["综合（字词+语义）", "仅字词", "仅语义"]


class CountingQueries(HashEmbedder):
    """The stand-in model, counting the queries it embeds."""

    queries = 0

    def query(self, text):
        self.queries += 1
        return super().query(text)


@pytest.fixture(scope="module")
def model():
    with stand_in_model(CountingQueries(synonyms=LIKE_SYNONYMS)) as embedder:
        yield embedder


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, model):
    folder = tmp_path_factory.mktemp("meaning")
    return ingest_texts(folder, {**LIKE, **ROADWORKS}, HashEmbedder(synonyms=LIKE_SYNONYMS))


@pytest.fixture(scope="module")
def app(index_dir):
    return make_app(index_dir)


def get(app, path: str, query: dict[str, str] | None = None) -> BeautifulSoup:
    status, _headers, body = wsgi_request(app, path, urlencode(query or {}))
    assert status.startswith("200"), status
    return BeautifulSoup(body.decode("utf-8"), "html.parser")


def query_of(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def titles(soup: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select("article.hit h2 a")]


def test_with_vectors_the_page_offers_how_hits_are_found_hybrid_by_default(app):
    soup = get(app, "/", {"q": QUERY})
    switch = soup.select_one('.switch[aria-label="匹配方式"]')
    assert [x.get_text() for x in switch.select("a, span")] == MODES
    on = switch.select_one(".on")
    assert on.get_text() == "综合（字词+语义）" and on["aria-current"] == "true"
    assert [query_of(a["href"]) for a in switch.select("a")] == [{"q": QUERY, "mode": "lexical"},
                                                                 {"q": QUERY, "mode": "semantic"}]
    assert soup.select_one('input[name="mode"]') is None  # the default is not sent
    assert "仅语义按意思找" in get(app, "/help").select_one("p.modes").get_text()


def test_every_link_keeps_the_mode_chosen(app):
    soup = get(app, "/", {"q": QUERY, "mode": "semantic"})
    assert soup.select_one('.switch[aria-label="匹配方式"] .on').get_text() == "仅语义"
    assert soup.select_one('input[name="mode"]')["value"] == "semantic"
    assert soup.select_one("nav.pager a[rel=next]") is not None
    assert soup.select("section.facet a")
    links = [a for a in soup.select("main a[href^='/']") if a.find_parent(attrs={"aria-label": "匹配方式"}) is None
             and not a["href"].startswith("/doc/")]
    assert len(links) >= 5  # facets, level, sort, pages
    assert all(query_of(a["href"]).get("mode") == "semantic" for a in links), [a["href"] for a in links]
    clause_link = soup.select_one('.switch[aria-label="结果单位"] a')
    assert query_of(clause_link["href"]) == {"q": QUERY, "level": "clause", "mode": "semantic"}
    none = get(app, "/", {"q": f"{QUERY} 年份:1999", "mode": "semantic"})  # no hits: a filter to drop
    [loosen] = none.select("p.loosen a")
    assert query_of(loosen["href"]) == {"q": QUERY, "mode": "semantic"}


def test_meaning_alone_finds_a_text_sharing_no_character_and_says_so(app):
    assert set(QUERY).isdisjoint(LIKE["a.txt"])
    assert "车位紧张问题" not in titles(get(app, "/", {"q": QUERY, "mode": "lexical"}))
    soup = get(app, "/", {"q": QUERY, "mode": "semantic"})
    assert titles(soup)[:2] == ["停放困难", "车位紧张问题"]
    hit = soup.select("article.hit")[1]
    assert hit.select_one(".found-by").get_text() == "按语义找到"


def test_an_old_clause_link_gives_the_clause_level_and_no_mode_where_clauses_have_no_vectors(app):
    soup = get(app, "/", {"q": "公交线路", "mode": "clause"})
    assert soup.select_one('.switch[aria-label="结果单位"] .on').get_text() == "条款"
    assert soup.select_one('input[name="level"]')["value"] == "clause"
    assert soup.select_one('.switch[aria-label="匹配方式"]') is None  # only documents have vectors
    assert soup.select_one('input[name="mode"]') is None


def test_a_document_page_lists_a_text_like_it_in_meaning_from_its_stored_vector(app, index_dir, model):
    with PolicyIndex(index_dir) as index:
        a, b = index.document("a.txt")["id"], index.document("b.txt")["id"]
    queries, passages = model.queries, model.calls
    soup = get(app, f"/doc/{a}")
    links = [x["href"] for x in soup.select("section.similar li > a")]
    assert links[0] == f"/doc/{b}" and f"/doc/{a}" not in links
    assert soup.select_one("section.similar li .found-by").get_text() == "按语义找到"
    assert (model.queries, model.calls) == (queries, passages)  # nothing embedded


def test_the_similar_documents_of_a_page_embed_nothing(index_dir):
    with stand_in_model(NothingEmbedded(synonyms=LIKE_SYNONYMS)), PolicyIndex(index_dir) as index:
        page = pages.document_page(index, index.document("a.txt")["id"])
        assert [h.source for h in page.similar][:1] == ["b.txt"]
        assert "a.txt" not in [h.source for h in page.similar]


def test_the_help_offers_only_examples_that_find_something_by_words(app):
    """The meaning finds something near any text: an example shows where its words find a hit."""
    assert get(app, "/help").select("table.syntax tbody tr") == []


def test_the_api_gives_an_indexed_documents_precedents_without_embedding(app, model):
    import json

    before = model.queries
    status, _headers, body = wsgi_request(app, "/api/similar", "like=a.txt&limit=3", method="POST")
    assert status.startswith("200"), status
    hits = json.loads(body)["hits"]
    assert hits[0]["source"] == "b.txt" and hits[0]["matched"] == ["meaning"]
    assert "a.txt" not in [h["source"] for h in hits] and len(hits) == 3
    assert model.queries == before  # its stored vector stands for its meaning
    status, _headers, body = wsgi_request(app, "/api/similar", "like=nowhere.txt", method="POST")
    assert status.startswith("404") and json.loads(body)["error"] == "索引中没有这个文件。"


def test_sorted_by_date_the_page_offers_no_mode_but_keeps_the_one_chosen(app):
    """By date the words alone rank whatever the mode: no switch, and back to relevance restores it."""
    soup = get(app, "/", {"q": QUERY, "sort": "date", "mode": "semantic"})
    assert soup.select_one('.switch[aria-label="排序"] .on').get_text() == "日期"
    assert soup.select_one('.switch[aria-label="匹配方式"]') is None
    assert soup.select_one('input[name="mode"]')["value"] == "semantic"
    relevance = soup.select_one('.switch[aria-label="排序"] a')
    assert relevance.get_text() == "相关度"
    assert query_of(relevance["href"]) == {"q": QUERY, "mode": "semantic"}
    back = get(app, "/", query_of(relevance["href"]))
    assert back.select_one('.switch[aria-label="匹配方式"] .on').get_text() == "仅语义"
    assert get(app, "/").select_one('.switch[aria-label="匹配方式"]') is None  # browsing: newest first


# -- 找先例 ----------------------------------------------------------------------------------------
PASTED = "小区车位紧张泊位不足"  # a.txt's words: b.txt says it as 停放困难 (no character in common)


def post_precedents(app, fields: dict[str, str]) -> BeautifulSoup:
    status, _headers, body = wsgi_request(app, "/similar", method="POST", body=urlencode(fields).encode(),
                                          content_type="application/x-www-form-urlencoded")
    assert status.startswith("200"), status
    return BeautifulSoup(body.decode("utf-8"), "html.parser")


def modes_offered(soup: BeautifulSoup) -> tuple[list[str], str]:
    """The 匹配方式 choices of the 找先例 form, and the one checked."""
    group = soup.select_one("form.precedent fieldset.modes")
    assert group.select_one("legend").get_text() == "匹配方式"
    radios = group.select('input[type="radio"][name="mode"]')
    [checked] = [r["value"] for r in radios if r.has_attr("checked")]
    return [r.parent.get_text(strip=True) for r in radios], checked


def test_precedents_offer_how_they_are_found_hybrid_by_default(app):
    assert modes_offered(get(app, "/similar")) == (MODES, "hybrid")
    assert modes_offered(post_precedents(app, {"text": PASTED})) == (MODES, "hybrid")
    assert modes_offered(post_precedents(app, {"text": PASTED, "mode": "nonsense"})) == (MODES, "hybrid")


def test_precedents_by_meaning_alone_find_a_text_sharing_no_character_and_the_choice_stays(app):
    assert set(PASTED).isdisjoint(LIKE["b.txt"])
    lexical = post_precedents(app, {"text": PASTED, "mode": "lexical"})
    assert modes_offered(lexical)[1] == "lexical"
    assert "停放困难" not in [a.get_text(strip=True) for a in lexical.select("#documents article.hit h2 a")]
    soup = post_precedents(app, {"text": PASTED, "mode": "semantic"})
    assert modes_offered(soup)[1] == "semantic"
    assert soup.select_one("textarea").get_text() == PASTED
    hit = next(h for h in soup.select("#documents article.hit") if h.select_one("h2 a").get_text(strip=True) == "停放困难")
    assert hit.select_one(".found-by").get_text() == "按语义找到"
