"""Searching a remote engine (Typesense) the way :class:`search.engine.PolicyIndex` searches an
index: the same query language, filters, facets, statuses on a day, versions, hybrid ranking,
and the same :class:`~search.results.SearchResults`.

What runs where: the query is parsed, its filters built and its words segmented here, by our
code (:mod:`search.query`, :mod:`search.filters`, the index's segmenter); the engine finds the
units that hold the words and pass the filters, ranks them by its own text match, finds the
nearest vectors, and counts facets; the fusion of words and meaning (the same z-scored
:func:`search.semantic.fuse`), versions and snippets are ours again. The differences from the
embedded engine are listed in the README (Beyond one machine).
"""
from __future__ import annotations

import json
from collections import Counter
from typing import Any

import numpy as np
from whoosh import query as Q

from corpus.kinds import REPLY_TYPES
from corpus.validity import has_validity
from corpus.validity import AMENDED, EXPIRED, IN_FORCE, NOT_YET
from errors import UsageError
from indexer.schema import OPEN_END, OPEN_START
from search.compile import STOP_WORDS
from search.engine import _check_limit, _day, search_request
from search.facets import FACETS
from search.filters import STATUSES, FilterContext, filter_query, status_query
from search.highlight import Snippet, make_snippet
from search.query import ParsedQuery
from search.records import UnknownDocument
from search.remote.client import EngineAddress, EngineClient, NotFound, parse_engine
from search.remote.filters import filter_by, joined
from search.remote.rescore import bm25, choose_terms
from search.remote.sync import meta_collection
from indexer.analysis import ranked_terms
from search.remote.units import words
from search.results import Hit, SearchResults
from search.semantic import DEPTH, check_mode, fuse, lexical_weight
from search.similar import SIMILAR_SOURCE_CHARS
from search.versions import Version, preference, status_of

MAX_WORDS = 12  # words of a query sent to the engine (it ANDs them, then drops from the right)
SIMILAR_WORDS = 40  # as SIMILAR_TERMS of the embedded index
CANDIDATE_TERMS = 60  # distinct words of a long text weighed (tf × idf) to choose those sent
PER_TERM = 50  # candidates found for each word alone
FREQUENCY_CACHE = 100_000
MULTI_LIMIT = 50
PAGE_MAX = 250  # the engine's largest page
WEIGHTS = {"doc": "1,3,1", "clause": "2,1,2"}  # terms, head_words, words: a title weighs 3, a context 1/2
SHOWN = "unit_id,doc_id,kind,family,group,clause_path,title,source,relative,text,doc_type,issuing_body,date,valid_from," \
        "valid_until,amended_from,copies,relative_copies,versions"
NO_SNIPPET = Snippet("", ())


class RemoteIndex:
    """A remote engine's collection, searched like a :class:`~search.engine.PolicyIndex`."""

    def __init__(self, engine: str | EngineAddress, key: str | None = None) -> None:
        address = parse_engine(engine) if isinstance(engine, str) else engine
        self.client = EngineClient(address, key)
        self.address = address
        self.index_dir = str(address)
        try:
            self.meta: dict[str, Any] = self.client.get(f"/collections/{meta_collection(self.client)}/documents/meta")
        except NotFound:
            raise NotFound(f"the search engine at {address.shown} holds no synced index in `{address.collection}` — "
                           f"sync one first: policy-search sync --engine {address}") from None
        self._tokenizer: Any = None
        self._embedder: Any = False
        self._frequencies: dict[tuple[str, str, str], int] = {}
        self.commitments = NoCommitments()

    def __enter__(self) -> RemoteIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        pass

    def warm(self) -> None:
        if self.has_vectors():
            embedder = self.embedder()
            if embedder is not None:
                embedder.query("预热")

    # -- what a search needs here ------------------------------------------------------------------
    @property
    def tokenizer(self) -> Any:
        if self._tokenizer is None:
            from indexer.analysis import make_analyzer

            self._tokenizer = make_analyzer()
        return self._tokenizer

    def embedder(self) -> Any:
        if self._embedder is False:
            from indexer.embed import load_embedder, say_once

            embedder = load_embedder(self.meta.get("model") or None, threads=1) if self.meta.get("model") else None
            if embedder is not None and embedder.fingerprint != self.meta.get("fingerprint"):
                say_once(f"the engine holds vectors of {self.meta.get('fingerprint')}, this program has "
                         f"{embedder.fingerprint}: ranking by words alone")
                embedder = None
            self._embedder = embedder
        return self._embedder

    def has_vectors(self, clauses: bool | None = None) -> bool:
        kinds = self.meta.get("vector_kinds") or {}
        if clauses is None:
            return any(kinds.values())
        return bool(kinds.get("clause" if clauses else "doc"))

    def field_values(self, field_name: str) -> list[str]:
        return list((self.meta.get("values") or {}).get(field_name, []))

    def _mode(self, asked: str | None, text: str, sort: str, clauses: bool) -> str:
        if asked is not None:
            check_mode(asked)
        if asked == "lexical" or not text.strip() or sort != "relevance":
            return "lexical"
        if not self.has_vectors(clauses) or self.embedder() is None:
            return "lexical"
        return asked or "hybrid"

    # -- searching ---------------------------------------------------------------------------------
    def search(self, query: str | ParsedQuery, *, clauses: bool = False, limit: int = 10, offset: int = 0,
               sort: str = "relevance", as_of: str | None = None, facets: bool = False,
               versions: bool = True, mode: str | None = None) -> SearchResults:
        """As :meth:`search.engine.PolicyIndex.search`."""
        parsed, day, meaning = search_request(query, limit, offset, sort, as_of)
        mode = self._mode(mode, meaning, sort, clauses)
        filters = self._filters(parsed, day, clauses)
        counts = self._terms([c.text for c in parsed.words])
        required = [_phrase(self, g) for g in parsed.required_any] + [
            f"-{_phrase_of(self, c.text)}" for c in parsed.excluded]
        return self._run(parsed.text, counts, MAX_WORDS, required, meaning, filters, clauses=clauses, limit=limit,
                         offset=offset, sort=sort, day=day, facets=facets, versions=versions, mode=mode,
                         phrases=bool(parsed.required_any))

    def similar(self, text: str, *, clauses: bool = False, limit: int = 10, breadth: float = 1.0,
                snippets: bool = True, mode: str | None = None, like: str | None = None,
                citable: bool = False) -> SearchResults:
        """As :meth:`search.engine.PolicyIndex.similar`: the text's most frequent words (the engine
        knows no idf to weigh them by) and, with ``like``, that document's stored vector."""
        _check_limit(limit, 0)
        day = _day(None)
        exclude = self._unit(like)["doc_id"] if like is not None else None
        mode = self._mode(mode, text, "relevance", clauses)
        counts = self._terms([text])
        filters = joined(f"kind:=`{'clause' if clauses else 'doc'}`", f"doc_id:!=`{exclude}`" if exclude else "",
                         *(f"doc_type:!=`{t}`" for t in (REPLY_TYPES if citable else ())))
        vector = self._stored_vector(exclude) if exclude else None
        return self._run(text, counts, max(1, round(SIMILAR_WORDS * breadth)), [], text, filters, clauses=clauses,
                         limit=limit, offset=0, sort="relevance", day=day, facets=False, versions=True, mode=mode,
                         vector=vector, snippets=snippets, like=exclude is not None)

    def similar_to(self, doc: str, *, clauses: bool = False, limit: int = 10, breadth: float = 1.0,
                   snippets: bool = True, mode: str | None = None) -> SearchResults:
        unit = self._unit(doc)
        return self.similar(f"{unit['title']}\n{(unit.get('text') or '')[:SIMILAR_SOURCE_CHARS]}", clauses=clauses,
                            limit=limit, breadth=breadth, snippets=snippets, mode=mode, like=unit["doc_id"])

    def _run(self, shown: str, counts: Counter[str], keep: int, required: list[str], meaning: str, filters: str, *,
             clauses: bool, limit: int, offset: int, sort: str, day: str, facets: bool, versions: bool, mode: str,
             vector: np.ndarray | None = None, snippets: bool = True, like: bool = False,
             phrases: bool = False) -> SearchResults:
        kind = "clause" if clauses else "doc"
        rescore = sort == "relevance" and mode != "semantic" and bool(counts)
        if rescore:
            df = self._df(list(counts), kind)
            terms = choose_terms(counts, df, self._units(kind), keep)
        else:
            terms = list(counts)[:keep]
        q = " ".join([*terms, *required]).strip() or "*"
        # the engine drops no word of a query holding a phrase: the phrases alone find the rest
        fallback = " ".join(required) if terms and phrases else ""
        hybrid = mode != "lexical"
        if hybrid and vector is None and not like:
            vector = self.embedder().query(meaning)
        hybrid = hybrid and vector is not None
        depth = min(PAGE_MAX, max(offset + limit, DEPTH if hybrid else 0) * (2 if versions else 1))
        lexical = {
            "collection": self.address.collection, "q": q, "query_by": "terms,head_words,words",
            "query_by_weights": WEIGHTS[kind], "num_typos": 0, "prefix": "false", "typo_tokens_threshold": 0,
            # more than one word: the engine may drop words to find more (one alone is never dropped,
            # or an exclusion would be all that is left)
            "drop_tokens_threshold": DEPTH if len(terms) > 1 else 0, "per_page": depth, "page": 1, "filter_by": filters,
            "include_fields": SHOWN + (",vec" if hybrid else "") + (",terms,head_words" if rescore else ""),
            "highlight_fields": "none",
            "sort_by": "date:desc,_text_match:desc" if sort == "date" else "_text_match:desc",
        }
        searches = [lexical] if mode != "semantic" else []
        if fallback and mode != "semantic":
            searches.append({**lexical, "q": fallback})
        if rescore:  # the units holding each word, whether or not they hold the others
            searches += [{**lexical, "q": " ".join([t, *required]), "per_page": PER_TERM, "drop_tokens_threshold": 0}
                         for t in terms]
        if hybrid and vector is not None:
            searches.append({"collection": self.address.collection, "q": "*", "filter_by": filters,
                             "vector_query": f"vec:([{','.join(f'{x:.6f}' for x in vector)}], k:{DEPTH})",
                             "per_page": DEPTH, "include_fields": SHOWN, "highlight_fields": "none"})
        if facets:
            searches += self._facet_searches(q, lexical, day)
        answers = self._multi(searches)
        words_side = answers.pop(0) if mode != "semantic" else {"hits": [], "found": 0}
        if fallback and mode != "semantic":
            words_side = _appended(words_side, answers.pop(0))
        if rescore:
            per_term = [answers.pop(0) for _t in terms]
            words_side = self._rescored(words_side, per_term, terms, df, kind)
        near_side = answers.pop(0) if hybrid else None
        units, ranked, total, found_by = self._ranked(words_side, near_side, vector, meaning, mode)
        if versions:
            ranked = _collapse(ranked, units, day)
        hits = [self._hit(rank, units[i], score, terms, day, versions, snippets)
                for rank, (score, i) in enumerate(ranked[offset:offset + limit], start=offset + 1)]
        if found_by is not None:
            for hit, (_score, i) in zip(hits, ranked[offset:offset + limit]):
                hit.matched = [name for name, ids in (("words", found_by[0]), ("meaning", found_by[1])) if i in ids]
        facet_counts = self._facet_counts(answers) if facets else None
        return SearchResults(shown, hits, total, facet_counts, mode=mode if hybrid else "lexical")

    def _rescored(self, first: dict[str, Any], per_term: list[dict[str, Any]], terms: list[str],
                  df: dict[str, dict[str, int]],
                  kind: str) -> dict[str, Any]:
        """The candidates of every search, ranked by our BM25 (search.remote.rescore)."""
        seen: dict[str, dict[str, Any]] = {}
        for answer in [first, *per_term]:
            for hit in answer["hits"]:
                seen.setdefault(hit["document"]["unit_id"], hit)
        n, average = self._units(kind), (self.meta.get("lengths") or {}).get(kind, {})
        for hit in seen.values():
            hit["text_match"] = bm25(hit["document"], terms, df, n, kind, average)
        hits = sorted(seen.values(), key=lambda h: (-h["text_match"], h["document"]["unit_id"]))
        return {**first, "hits": hits, "found": max([int(a.get("found", 0)) for a in [first, *per_term]] + [len(hits)])}

    def _units(self, kind: str) -> int:
        return int((self.meta.get("units") or {}).get(kind) or 1)

    def _df(self, terms: list[str], kind: str) -> dict[str, dict[str, int]]:
        """How many units of ``kind`` hold each term, per text field (a search for it alone in
        that field; remembered)."""
        fields = ("terms", "head_words")
        missing = [(f, t) for f in fields for t in terms if (kind, f, t) not in self._frequencies]
        if missing:
            answers = self._multi([{"collection": self.address.collection, "q": t, "query_by": f,
                                    "filter_by": f"kind:=`{kind}`", "per_page": 0, "num_typos": 0,
                                    "prefix": "false", "drop_tokens_threshold": 0, "typo_tokens_threshold": 0}
                                   for f, t in missing])
            if len(self._frequencies) > FREQUENCY_CACHE:
                self._frequencies.clear()
            for (f, t), answer in zip(missing, answers):
                self._frequencies[(kind, f, t)] = int(answer.get("found", 0))
        return {f: {t: self._frequencies[(kind, f, t)] for t in terms} for f in fields}

    def _ranked(self, words_side: dict[str, Any], near_side: dict[str, Any] | None, vector: np.ndarray | None,
                meaning: str, mode: str) -> tuple[list[dict[str, Any]], list[tuple[float, int]], int,
                                                  tuple[set[int], set[int]] | None]:
        units: list[dict[str, Any]] = []
        position: dict[str, int] = {}
        lexical: list[tuple[float, int]] = []
        for hit in words_side["hits"]:
            position[hit["document"]["unit_id"]] = len(units)
            units.append(hit["document"])
            lexical.append((float(hit.get("text_match", 0)), len(units) - 1))
        if near_side is None:
            return units, lexical, int(words_side.get("found", 0)), None
        near: dict[int, float] = {}
        for hit in near_side["hits"]:
            unit_id = hit["document"]["unit_id"]
            if unit_id not in position:
                position[unit_id] = len(units)
                units.append(hit["document"])
            near[position[unit_id]] = 1.0 - float(hit.get("vector_distance", 1.0))
        dense = np.full(len(units), np.nan)
        for i, unit in enumerate(units):
            if i in near:
                dense[i] = near[i]
            elif unit.get("vec") and vector is not None:
                dense[i] = float(np.dot(np.asarray(unit["vec"], dtype=np.float32), vector))
        weight = 0.0 if mode == "semantic" else lexical_weight(meaning)
        fused = fuse(lexical, dense, None, weight)
        ranked = list(zip(fused.scores.tolist(), fused.docnums.tolist()))
        total = len(set(fused.docnums.tolist())) if mode == "semantic" else max(
            int(words_side.get("found", 0)), len(ranked))
        return units, ranked, total, (fused.by_words, fused.by_meaning)

    def _hit(self, rank: int, unit: dict[str, Any], score: float, terms: list[str], day: str, versions: bool,
             snippets: bool) -> Hit:
        is_clause = unit.get("kind") == "clause"
        snippet = make_snippet(unit.get("text") or "", terms) if snippets else NO_SNIPPET
        version = _version(unit, 0, day)
        until = _iso(unit.get("valid_until"))
        return Hit(rank=rank, id=unit["doc_id"], unit_id=unit["unit_id"], source=unit.get("source") or "",
                   title=unit.get("title") or "", doc_type=unit.get("doc_type") or "其他",
                   issuing_body=unit.get("issuing_body") or None, date=_iso(unit.get("date")),
                   clause=unit.get("clause_path") if is_clause else None, score=score, snippet=snippet.marked(),
                   snippet_segments=snippet.segments(), status=version.status,
                   versions=_versions(unit, day) if versions and not is_clause else [],
                   copies=list(unit.get("copies") or []), relative_copies=list(unit.get("relative_copies") or []),
                   relative_source=unit.get("relative") or unit.get("source") or "",
                   valid_from=_iso(unit.get("valid_from")), valid_until=until)

    def distinctive_terms(self, text: str, clauses: bool = False, keep: int = SIMILAR_WORDS
                          ) -> tuple[list[str], dict[str, float]]:
        """The ``keep`` most frequent words of ``text`` (the engine gives no idf), equally boosted."""
        counts = self._terms([text])
        terms = choose_terms(counts, self._df(list(counts), "clause" if clauses else "doc"),
                             self._units("clause" if clauses else "doc"), keep)
        return terms, {t: 1.0 for t in terms}

    # -- filters and facets ------------------------------------------------------------------------
    def _filters(self, parsed: ParsedQuery, day: str, clauses: bool) -> str:
        amended = Q.TermRange("amended_from", OPEN_START, day)
        context = FilterContext(parsed.text, day, self.field_values, None, amended=amended)
        parts = [f"kind:=`{'clause' if clauses else 'doc'}`"]
        parts += [filter_by(filter_query(f, context)) for f in parsed.filters]
        return joined(*parts)

    def _facet_searches(self, q: str, lexical: dict[str, Any], day: str) -> list[dict[str, Any]]:
        base = {**lexical, "per_page": 0, "include_fields": "unit_id"}
        amended = Q.TermRange("amended_from", OPEN_START, day)
        searches = [{**base, "facet_by": "issuing_body,co_issuers,doc_type,year", "max_facet_values": 1000}]
        for status in STATUSES:
            searches.append({**base, "filter_by": joined(lexical["filter_by"],
                                                         filter_by(status_query(status, day, None, amended)))})
        return searches

    def _facet_counts(self, answers: list[dict[str, Any]]) -> dict[str, list[tuple[str, int]]]:
        facet_answer, statuses = answers[0], answers[1:1 + len(STATUSES)]
        by_field = {f["field_name"]: {c["value"]: int(c["count"]) for c in f["counts"]}
                    for f in facet_answer.get("facet_counts", [])}
        issuers = dict(by_field.get("issuing_body", {}))
        for value, n in by_field.get("co_issuers", {}).items():
            issuers[value] = issuers.get(value, 0) + n
        tallies = {"issuer": issuers, "type": by_field.get("doc_type", {}), "year": by_field.get("year", {}),
                   "status": {s: int(a.get("found", 0)) for s, a in zip(STATUSES, statuses)}}
        out = {}
        for facet in FACETS:
            counted = [(str(v), n) for v, n in tallies[facet.name].items() if v and n]
            counted.sort(key=lambda vc: (-vc[1], vc[0]))
            counted = counted[: facet.top]
            if facet.name == "year":
                counted.sort(key=lambda vc: vc[0], reverse=True)
            out[facet.name] = counted
        return out

    # -- documents ---------------------------------------------------------------------------------
    def document(self, doc_id: str, *, as_of: str | None = None) -> dict[str, Any]:
        """A document's record with its body, status, versions and copies; citations are not
        resolved to other documents here (the embedded index does that)."""
        day = _day(as_of)
        unit = self._unit(doc_id, fields=SHOWN + ",record")
        record = json.loads(unit["record"])
        clauses = self._multi([{"collection": self.address.collection, "q": "*",
                                "filter_by": f"doc_id:=`{unit['doc_id']}` && kind:=`clause`",
                                "per_page": PAGE_MAX, "include_fields": "clause_path,text"}])[0]
        texts = {h["document"]["clause_path"]: h["document"].get("text", "") for h in clauses["hits"]}
        for clause in record.get("clauses", []):
            clause.setdefault("text", texts.get(clause["path"], ""))
        record["body"] = unit.get("text") or ""
        record["relative_source"] = unit.get("relative") or ""
        record["status"] = _version(unit, 0, day).status
        until = _iso(unit.get("valid_until"))
        record["valid_until"] = _previous_day(until) if until else None
        record["versions"] = [v.to_json() for v in _versions(unit, day)]
        record["ends"] = until
        record["repealed_by"], record["amended_by"], record["cited_by"] = [], [], []
        record["copies"] = list(unit.get("copies") or [])
        return record

    def _unit(self, doc: str, fields: str = SHOWN) -> dict[str, Any]:
        for field_name in ("doc_id", "source", "relative"):
            answer = self._multi([{"collection": self.address.collection, "q": "*", "per_page": 1,
                                   "filter_by": f"{field_name}:=`{doc}` && kind:=`doc`",
                                   "include_fields": fields}])[0]
            if answer.get("hits"):
                return answer["hits"][0]["document"]
        raise UnknownDocument(doc)

    def _stored_vector(self, doc_id: str) -> np.ndarray | None:
        answer = self._multi([{"collection": self.address.collection, "q": "*", "per_page": 1,
                               "filter_by": f"doc_id:=`{doc_id}` && kind:=`doc`", "include_fields": "vec"}])[0]
        vec = answer["hits"][0]["document"].get("vec") if answer.get("hits") else None
        return np.asarray(vec, dtype=np.float32) if vec else None

    # -- the engine --------------------------------------------------------------------------------
    def _multi(self, searches: list[dict[str, Any]]) -> list[dict[str, Any]]:
        searches = [{k: v for k, v in s.items() if v != ""} for s in searches]
        results: list[dict[str, Any]] = []
        for start in range(0, len(searches), MULTI_LIMIT):  # the engine takes 50 in one request
            results += self.client.post("/multi_search", {"searches": searches[start:start + MULTI_LIMIT]}).get(
                "results", [])
        for result in results:
            if "error" in result:
                from errors import EngineRefused

                raise EngineRefused(f"the search engine at {self.address.shown} could not answer: {result['error']}")
        return results

    def _terms(self, texts: list[str]) -> Counter[str]:
        """The words of ``texts`` as the index segments them, without stop words, counted: at
        most CANDIDATE_TERMS, the most frequent (a long text's), in their order."""
        found: Counter[str] = Counter()
        for text in texts:
            for word in ranked_terms(self.tokenizer, text):
                if word not in STOP_WORDS and any(ch.isalnum() for ch in word):
                    found[word] += 1
        if len(found) > CANDIDATE_TERMS:
            kept = {w for w, _c in found.most_common(CANDIDATE_TERMS)}
            found = Counter({w: c for w, c in found.items() if w in kept})
        return found


class NoCommitments:
    """Commitments are read from the index itself: a remote engine lists none (and says so when
    asked to search them)."""

    def of_replies(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []

    def of_reply(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []

    def follow_through(self, *args: Any, **kwargs: Any) -> None:
        return None

    def search(self, *args: Any, **kwargs: Any) -> Any:
        raise UsageError("commitments are searched in the index itself, not on a remote engine: leave out --engine")


def _collapse(ranked: list[tuple[float, int]], units: list[dict[str, Any]], day: str) -> list[tuple[float, int]]:
    """One hit per text (its copies and versions share a group, as the index groups them), at
    its best place, showing the preferred version (in force, then newest)."""
    members: dict[str, list[tuple[float, int]]] = {}
    for score, i in ranked:
        unit = units[i]
        key = unit.get("group") or f"{unit['family']}#{unit.get('clause_path', '')}"
        members.setdefault(key, []).append((score, i))
    shown = []
    for found in members.values():
        best_score, best = found[0]
        chosen = best if len(found) == 1 else max((i for _s, i in found), key=lambda i: preference(_version(units[i], i, day)))
        shown.append((best_score, chosen))
    return shown


def _appended(first: dict[str, Any], rest: dict[str, Any]) -> dict[str, Any]:
    """The hits of ``first``, then those of ``rest`` it lacks, scored below them all."""
    seen = {h["document"]["unit_id"] for h in first["hits"]}
    low = min((float(h.get("text_match", 0)) for h in first["hits"]), default=0.0)
    more = [h for h in rest["hits"] if h["document"]["unit_id"] not in seen]
    top = max((float(h.get("text_match", 0)) for h in more), default=1.0) or 1.0
    for h in more:  # below the last of ``first``, in their own order
        h["text_match"] = low * 0.5 * float(h.get("text_match", 0)) / top if low else float(h.get("text_match", 0))
    return {**first, "hits": first["hits"] + more, "found": max(int(first.get("found", 0)), int(rest.get("found", 0)))}


def _phrase_of(index: RemoteIndex, text: str) -> str:
    return '"' + words(index.tokenizer, text).replace('"', " ") + '"'


def _phrase(index: RemoteIndex, group: list[Any]) -> str:
    """A required phrase (of a group joined by OR, the first: the engine has no OR of phrases)."""
    return _phrase_of(index, group[0].text) if group[0].phrase else words(index.tokenizer, group[0].text)


def _iso(day: Any) -> str | None:
    day = int(day or 0)
    if day <= 0 or day >= 99_999_999:
        return None
    s = f"{day:08d}"
    return f"{s[:4]}-{s[4:6]}-{s[6:]}"


def _previous_day(day: str) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def _version(unit: dict[str, Any], i: int, day: str) -> Version:
    """The unit's version with its status on ``day`` (None for a text without a period of force)."""
    status = status_of(_iso(unit.get("valid_from")) or OPEN_START, _iso(unit.get("valid_until")) or OPEN_END,
                       day, _iso(unit.get("amended_from")) or OPEN_END) if has_validity(unit.get("doc_type")) else None
    return Version(i, unit["doc_id"], _iso(unit.get("date")) or "", status)  # type: ignore[arg-type]


def _versions(unit: dict[str, Any], day: str) -> list[Version]:
    from search.versions import preference

    listed = json.loads(unit.get("versions") or "[]")
    versions = [Version(0, v["id"], v["date"], status_of(v["valid_from"], v["until"], day, v["amended_from"]))
                for v in listed]
    return sorted(versions, key=preference, reverse=True)
