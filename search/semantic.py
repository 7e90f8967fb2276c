"""Ranking by meaning: the index's vectors by document number, and their fusion with the words.

Fusion is normalised linear: each side's scores are z-scored over its own candidates (the
lexical top DEPTH, the nearest DEPTH by cosine among the units the filters let through), and
the fused score is ``w × lexical + (1 − w) × dense``. A unit missing from one side takes that
side's lowest candidate score. Chosen on half A of the public queries, checked on half B
(bench/fusion_replies.py, bench/fusion_laws.py), nDCG@10 on B:

=====================  =======  =====  ============  =============
half B                 lexical  dense  RRF (k=60)    z-scored
=====================  =======  =====  ============  =============
reply subjects          0.712   0.698  0.738 (w .5)  0.742 (w .5)
full messages           0.747   0.750  0.767 (w .2)  0.776 (w .2)
layperson questions     0.695   0.740  0.740 (w 0)   0.770 (w .3)
=====================  =======  =====  ============  =============

The weight depends on the query: a short query of keywords leans on its words, a long text
more on its meaning; the questions' weight lies between.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexer.embed import Embedder, load_embedder, say_once
from indexer.vectors import StoredVectors, load_vectors

MODES = ("hybrid", "lexical", "semantic")
DEPTH = 100  # candidates from each side
FOUND_BY_MEANING = 30  # a unit among the nearest this many (that pass the filters) was found by meaning
SHORT_QUERY = 60  # characters: a subject line or keywords; longer is a message or a letter
QUESTION = re.compile(r"[？?]|吗|呢|如何|怎么|怎样|什么|哪些|是否|能否|能不能|可不可以|为什么|多少")
# The words' weight by kind of query, each chosen on half A of its public set and checked on half B:
# subject lines of the replies (0.5), full messages (0.2), layperson legal questions (0.3).
WEIGHT_KEYWORDS = 0.5
WEIGHT_LONG = 0.2
WEIGHT_QUESTION = 0.3
# A long text asked of the clauses (a message or a proposal against articles) is not a text like
# the units it is asked of: its own vector lands near articles on its general subject, and the
# article that answers one of its matters was lost (the words weighted 0.2, as for a message
# against replies). So the meaning only re-orders the words' first LONG_TEXT_POOL clauses, and
# it is the meaning of the text's part that holds most of its distinctive terms, not the whole
# text's: one part of 48 characters embedded, however long the text. Chosen on half A of the
# drafter's messages, checked on half B (bench/drafter_halves.py, docs/benchmarks.md).
LONG_TEXT_WEIGHT = 0.6  # the words' weight
LONG_TEXT_POOL = 30
LONG_TEXT_SENTENCES = 1  # parts embedded, a clause's meaning its best cosine with any of them
LONG_TEXT_SENTENCE_CHARS = 48  # of each part, the characters embedded
QUERY_CACHE = 256
# A query embeds itself in ~15 ms, but sentences at ~750 tokens/s on one thread: choosing the
# snippet of a hit found by meaning alone embeds few, short, sentences (6 of 120 characters cost
# 0.5-0.8 s; 3 of 48, ~0.1 s), and a sentence embedded once is remembered (SENTENCE_CACHE)
EMBEDDED_HITS = 1  # hits found by meaning alone whose sentences are embedded to choose the snippet
SENTENCES_EMBEDDED = 2  # of each, those sharing most characters with the query
SENTENCE_CHARS = 24  # of each sentence, the part embedded (40: the page under load p95 ~50 ms higher)
SENTENCE_CACHE = 4096  # sentences' vectors kept per open index (~1.5 MB)
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")


_PIECE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_COMMA = re.compile(r"[^，,、：:]+[，,、：:]?")


def long_text_sentences(text: str, terms: Sequence[str], keep: int = 8, chars: int = 48) -> list[str]:
    """The parts of a long text (its sentences; a sentence longer than ``chars`` cut at its
    commas, and parts still longer cut to ``chars``) that hold most of its distinctive ``terms``
    (most distinctive first: an earlier term weighs more), best first, at most ``keep``; a part
    with none of them is never chosen."""
    parts: list[str] = []
    for sentence in _PIECE.findall(text):
        sentence = sentence.strip()
        if len(sentence) <= chars:
            parts.append(sentence)
            continue
        current = ""
        for piece in _COMMA.findall(sentence):
            if current and len(current) + len(piece) > chars:
                parts.append(current)
                current = ""
            current += piece
        parts.append(current)
    parts = list(dict.fromkeys(p[:chars].strip() for p in parts if len(p.strip()) >= 4))
    n = len(terms)
    weight = {t: 1.0 + (n - i) / max(n, 1) for i, t in enumerate(terms)}
    scored = [(sum(w for t, w in weight.items() if t in part), -i, part) for i, part in enumerate(parts)]
    best = sorted((s for s in scored if s[0] > 0), reverse=True)[:keep]
    return [part for _w, _i, part in best]


def is_long_text(text: str) -> bool:
    """A message, a letter, a proposal: more than a subject line or a question."""
    return len(text) > SHORT_QUERY


def lexical_weight(query: str) -> float:
    """How much the words count against the meaning for this query (0..1): a long text (a
    message, a proposal: its weight was chosen on messages, many of which ask something), else
    a question, else keywords."""
    if is_long_text(query):
        return WEIGHT_LONG
    return WEIGHT_QUESTION if QUESTION.search(query) else WEIGHT_KEYWORDS


def check_mode(mode: str) -> str:
    from errors import UsageError

    if mode not in MODES:
        raise UsageError(f"{{param}} must be one of {', '.join(MODES)}, got `{mode}`", param="mode")
    return mode


@dataclass
class Fused:
    """A fused ranking: document numbers best first, their scores, and what found each."""

    docnums: np.ndarray
    scores: np.ndarray
    by_words: set[int]
    by_meaning: set[int]


def zscores(values: np.ndarray) -> np.ndarray:
    sd = float(values.std()) if len(values) else 0.0
    return (values - values.mean()) / sd if sd > 0 else np.zeros_like(values)


def fuse(lexical: Sequence[tuple[float, int]], dense: np.ndarray, allowed: np.ndarray | None, weight: float,
         depth: int = DEPTH) -> Fused:
    """Fuse the lexical ranking (``(score, docnum)`` best first) with cosine similarities
    ``dense`` (one per document number, NaN where a unit has no vector); ``allowed`` (a mask per
    document number, or None for all) is what the filters let through. ``weight`` is the lexical side's."""
    lex = list(lexical[:depth])
    usable = ~np.isnan(dense)
    if allowed is not None:
        usable &= allowed
    pool = np.flatnonzero(usable)
    if len(pool) > depth:
        nearest = pool[np.argpartition(-dense[pool], depth - 1)[:depth]]
    else:
        nearest = pool
    nearest = nearest[np.lexsort((nearest, -dense[nearest]))]
    lex_docs = np.array([d for _s, d in lex], dtype=np.int64)
    lex_scores = np.array([s for s, _d in lex], dtype=np.float64)
    docs = np.array(list(dict.fromkeys([*lex_docs.tolist(), *nearest.tolist()])), dtype=np.int64)
    if len(docs) == 0:
        return Fused(docs, np.zeros(0), set(), set())
    lex_part = np.full(len(docs), lex_scores.min() if len(lex) else 0.0)
    lex_part[: len(lex)] = lex_scores  # the lexical candidates come first in ``docs``
    near_scores = dense[nearest].astype(np.float64)
    floor = float(near_scores.min()) if len(nearest) else 0.0
    dense_part = np.nan_to_num(dense[docs].astype(np.float64), nan=floor)
    mean, sd = (float(near_scores.mean()), float(near_scores.std())) if len(nearest) else (0.0, 0.0)
    dz = (dense_part - mean) / sd if sd > 0 else np.zeros(len(docs))
    if len(lex):
        lz = (lex_part - lex_scores.mean()) / (lex_scores.std() or 1.0)
        fused = weight * lz + (1 - weight) * dz
    else:
        fused = dz
    order = np.lexsort((docs, -fused))
    meaning = {int(d) for d in nearest[:FOUND_BY_MEANING]}
    return Fused(docs[order], fused[order], {int(d) for d in lex_docs}, meaning)


class UnitVectors:
    """The vectors of an open index's units, by document number, and the query's vector."""

    def __init__(self, stored: StoredVectors, unit_keys: Sequence[str], embedder: Embedder) -> None:
        self.stored = stored
        self.embedder = embedder
        row_of = {unit_id: row for row, unit_id in enumerate(stored.ids)}
        self.row = np.array([row_of.get(k, -1) for k in unit_keys], dtype=np.int64)
        self.has = self.row >= 0
        is_clause = np.array(["#" in k for k in unit_keys], dtype=bool)
        self.kinds = {"doc": bool((self.has & ~is_clause).any()), "clause": bool((self.has & is_clause).any())}
        self._queries: OrderedDict[str, np.ndarray | None] = OrderedDict()
        self._sentences: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def count(self) -> int:
        return int(self.has.sum())

    def query_vector(self, text: str) -> np.ndarray | None:
        with self._lock:
            if text in self._queries:
                self._queries.move_to_end(text)
                return self._queries[text]
        vector = self.embedder.query(text)
        with self._lock:
            _remember(self._queries, text, vector, QUERY_CACHE)
        return vector

    def sentence_vectors(self, sentences: Sequence[str]) -> np.ndarray:
        """Passage vectors of short sentences, each embedded once per open index."""
        with self._lock:
            found = {s: self._sentences[s] for s in sentences if s in self._sentences}
            for sentence in found:
                self._sentences.move_to_end(sentence)
        missing = [s for s in dict.fromkeys(sentences) if s not in found]
        if missing:
            made = self.embedder.passages(missing)
            found.update(zip(missing, made))
            with self._lock:
                for sentence, vector in zip(missing, made):
                    _remember(self._sentences, sentence, vector, SENTENCE_CACHE)
        return np.array([found[s] for s in sentences]).reshape(len(sentences), -1)

    def vector(self, docnum: int) -> np.ndarray | None:
        """A unit's own stored vector (float32), or None where it has none: never embedded, or
        embedded from an empty text (a row of zeros, which matches nothing)."""
        row = int(self.row[docnum])
        if row < 0:
            return None
        vector = np.asarray(self.stored.matrix[row], dtype=np.float32)
        return vector if vector.any() else None

    def similarities(self, query: np.ndarray) -> np.ndarray:
        """Cosine of every unit with the query (NaN for units without a vector)."""
        by_row = self.stored.matrix @ query.astype(np.float32, copy=False)
        out = np.full(len(self.row), np.nan, dtype=np.float32)
        out[self.has] = by_row[self.row[self.has]]
        return out

    def closest_sentences(self, texts: Sequence[str], query: str, query_vector: np.ndarray,
                          embedded: int = EMBEDDED_HITS) -> list[str]:
        """For each text, its sentence nearest the query. The sentences sharing most characters
        with the query are the candidates; where one shares more than any other it is taken,
        else the model chooses among SENTENCES_EMBEDDED of them, for the first ``embedded`` texts
        only (to keep a query fast); later texts take the first candidate."""
        chars = set(query)
        picks: list[list[str]] = []
        for text in texts:
            sentences = [x.strip() for x in _SENTENCE.findall(text) if len(x.strip()) >= 6]
            shared = [len(chars & set(x)) for x in sentences]
            order = sorted(range(len(sentences)), key=lambda i: -shared[i])  # stable: earlier first on ties
            clear = len(order) < 2 or shared[order[0]] > shared[order[1]]
            picks.append([sentences[i] for i in order[:1 if clear else SENTENCES_EMBEDDED]])
        asked = [n for n, pick in enumerate(picks[:embedded]) if len(pick) > 1]
        flat = [x[:SENTENCE_CHARS] for n in asked for x in picks[n]]
        scores = self.sentence_vectors(flat) @ query_vector if flat else np.zeros(0)
        out, at = [], 0
        for n, pick in enumerate(picks):
            if n in asked:
                out.append(pick[int(np.argmax(scores[at:at + len(pick)]))])
                at += len(pick)
            else:
                out.append(pick[0] if pick else "")
        return out


def _remember(cache: OrderedDict[str, Any], key: str, value: Any, size: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)


def open_vectors(index_dir: Path, unit_keys: Sequence[str]) -> UnitVectors | None:
    """The index's vectors, or None when it has none, or when the model that made them is not
    the one installed (then said once: ranking falls back to the words)."""
    stored = load_vectors(index_dir)
    if stored is None or not len(stored):
        return None
    embedder = load_embedder(stored.model, threads=1)
    if embedder is None:
        return None
    if embedder.fingerprint != stored.fingerprint:
        say_once(f"the index at {index_dir} holds vectors of {stored.model} ({stored.fingerprint}), this program "
                 f"has {embedder.fingerprint}: ranking by words alone — rebuild it with "
                 f"`policy-search ingest DIR --index {index_dir} --rebuild`")
        return None
    return UnitVectors(stored, unit_keys, embedder)


@dataclass
class MeaningSide:
    """The meaning's side of one query, for hit building to fuse with the words' ranking."""

    mode: str  # hybrid or semantic
    similarities: np.ndarray  # cosine per document number, NaN without a vector
    allowed: np.ndarray | None  # what the query's filters let through
    weight: float  # the words' weight
    query_vector: np.ndarray
    vectors: UnitVectors
    text: str = ""
    embedded_hits: int = EMBEDDED_HITS  # hits found by meaning alone whose sentences are embedded for the snippet
    pool: int = 0  # > 0: the meaning re-ranks the words' first this many and finds nothing else

    def fuse(self, ranked: Sequence[tuple[float, int]]) -> Fused:
        if not self.pool or not ranked:
            return fuse(ranked, self.similarities, self.allowed, self.weight)
        words = list(ranked[:self.pool])
        allowed = np.zeros(len(self.similarities), dtype=bool)
        allowed[[d for _s, d in words]] = True
        fused = fuse(words, self.similarities, allowed, self.weight)
        fused.by_meaning = set()  # nothing was found by meaning alone: it only re-ordered
        rest = [(s, d) for s, d in ranked[self.pool:]]
        if rest:  # below the re-ranked ones, the words' order
            floor = float(fused.scores.min()) - 1.0 if len(fused.scores) else 0.0
            fused.docnums = np.concatenate([fused.docnums, np.array([d for _s, d in rest], dtype=np.int64)])
            fused.scores = np.concatenate([fused.scores, floor - np.arange(len(rest), dtype=np.float64)])
            fused.by_words |= {d for _s, d in rest}
        return fused

    def exclude(self, docnums: np.ndarray) -> None:
        """Let these units through no more (a document is left out of the list of texts like it)."""
        allowed = np.ones(len(self.similarities), dtype=bool) if self.allowed is None else self.allowed.copy()
        allowed[docnums] = False
        self.allowed = allowed


class Meaning:
    """Search by meaning on one open index: its vectors (opened on first use), the mode a query
    runs in, and a query's side of the fusion."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self._vectors: UnitVectors | None | bool = False

    def vectors(self) -> UnitVectors | None:
        if self._vectors is False:
            ids = self.state.column("doc_id").tolist()
            paths = self.state.column("clause_path").tolist()
            keys = [f"{d}#{p}" if p else str(d) for d, p in zip(ids, paths)]
            self._vectors = open_vectors(self.state.index_dir, keys)
        return self._vectors if isinstance(self._vectors, UnitVectors) else None

    def mode(self, asked: str | None, text: str, sort: str, clauses: bool) -> str:
        """The mode a query runs in: the one asked for, else hybrid where the units of the kind
        asked for (documents, clauses) have vectors; lexical where they have none."""
        if asked is not None:
            check_mode(asked)
        if asked == "lexical" or not text.strip() or sort != "relevance":
            return "lexical"
        vectors = self.vectors()
        if vectors is None or not vectors.kinds["clause" if clauses else "doc"]:
            return "lexical"
        return asked or "hybrid"

    def side(self, text: str, filter_query: Any, mode: str, like: int | None = None, clauses: bool = False,
             terms: Callable[[], Sequence[str]] | None = None) -> MeaningSide | None:
        """The meaning's side of a query in ``mode`` (None in lexical mode, or for a query whose
        text has no vector). With ``like`` (a unit's document number) the meaning is that unit's
        stored vector: nothing is embedded, and a unit without one gives no side (words alone).
        A long text asked of the ``clauses`` in hybrid mode is fused as :func:`long_text_side`
        says; ``terms`` gives its distinctive terms (most distinctive first), asked only then."""
        vectors = self.vectors()
        if mode == "lexical" or vectors is None:
            return None
        long_text = mode == "hybrid" and clauses and like is None and is_long_text(text)
        if long_text and terms is not None:
            allowed = self.state.mask(filter_query) if filter_query is not None else None
            found = long_text_side(text, terms(), vectors, allowed)
            if found is not None:
                return found
        query_vector = vectors.query_vector(text) if like is None else vectors.vector(like)
        if query_vector is None:
            return None
        allowed = self.state.mask(filter_query) if filter_query is not None else None
        weight = 0.0 if mode == "semantic" else LONG_TEXT_WEIGHT if long_text else lexical_weight(text)
        return MeaningSide(mode, vectors.similarities(query_vector), allowed, weight, query_vector, vectors, text,
                           EMBEDDED_HITS if like is None else 0, LONG_TEXT_POOL if long_text else 0)

    def warm(self) -> None:
        """Load the model where the index has vectors: one copy per process."""
        vectors = self.vectors()
        if vectors is not None:
            vectors.query_vector("预热")


def long_text_side(text: str, terms: Sequence[str], vectors: UnitVectors, allowed: np.ndarray | None) -> MeaningSide | None:
    """The meaning's side of a long text asked of the clauses: its LONG_TEXT_SENTENCES parts that
    hold most of its distinctive terms, each embedded (cut to LONG_TEXT_SENTENCE_CHARS: the
    query's cost is bounded however long the text), a clause's meaning its best cosine with any
    of them, re-ordering only the words' first LONG_TEXT_POOL clauses. None where no part holds
    a distinctive term (the text's own vector is the meaning then, still over the pool)."""
    parts = long_text_sentences(text, terms, LONG_TEXT_SENTENCES, LONG_TEXT_SENTENCE_CHARS)
    found = [v for v in (vectors.query_vector(p) for p in parts) if v is not None]
    if not found:
        return None
    best = np.max(np.vstack([vectors.similarities(v) for v in found]), axis=0)
    centre = np.mean(found, axis=0)
    return MeaningSide("hybrid", best, allowed, LONG_TEXT_WEIGHT, centre / (np.linalg.norm(centre) or 1.0), vectors,
                       text, EMBEDDED_HITS, LONG_TEXT_POOL)


def meaning_text(parsed: Any) -> str:
    """What a parsed query says, for its meaning: its words and phrases, without filters or exclusions."""
    parts = [c.text for c in parsed.words if not c.negated]
    parts += [c.text for group in parsed.required_any for c in group]
    return " ".join(parts)
