"""Fusion methods and their scoring, shared by the fusion benchmarks (replies, laws).

A query's lexical side is the product's own ranking (keys with scores, best first); its dense
side is the cosine of every unit with a vector. Methods: ``lexical``, ``dense``, ``rrf``
(reciprocal ranks, k=60, the lexical side weighted ``w``), ``z`` (z-scored scores over each
side's top DEPTH, ``w`` × lexical + (1 − w) × dense; a unit missing from the lexical list takes
the list's lowest score) and ``minmax`` (the same over min–max scaled scores).
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Sequence

import numpy as np

DEPTH = 200
K = 10
RRF_K = 60
QUESTION = re.compile(r"[？?]|吗|呢|如何|怎么|怎样|什么|哪些|是否|能否|能不能|可不可以|可以|应当|为什么|多少")

Key = Hashable


def fuse(method: str, lex: Sequence[tuple[Key, float]], keys: Sequence[Key], dense: np.ndarray, w: float) -> list[Key]:
    """The fused ranking of one query; ``w`` is the lexical side's weight (0..1)."""
    if method == "lexical":
        return [k for k, _s in lex]
    order = np.argsort(-dense, kind="stable")[:DEPTH]
    if method == "dense":
        return [keys[i] for i in order]
    dense_rank = {keys[i]: r for r, i in enumerate(order)}
    lex_rank = {k: r for r, (k, _s) in enumerate(lex)}
    cands = list(dict.fromkeys([k for k, _s in lex] + [keys[i] for i in order]))
    if method == "rrf":
        far = 10**6
        score = {c: w / (RRF_K + lex_rank.get(c, far)) + (1 - w) / (RRF_K + dense_rank.get(c, far)) for c in cands}
        return sorted(cands, key=lambda c: -score[c])
    pos = {k: i for i, k in enumerate(keys)}
    d = np.array([dense[pos[c]] if c in pos else float(dense[order].min()) for c in cands])
    ls = np.array([s for _k, s in lex], dtype=np.float64) if lex else np.zeros(1)
    lex_of = dict(lex)
    top_dense = dense[order]
    if method == "z":
        lz = (np.array([lex_of.get(c, ls.min()) for c in cands]) - ls.mean()) / (ls.std() or 1.0)
        dz = (d - top_dense.mean()) / (top_dense.std() or 1.0)
    elif method == "minmax":
        lo, hi = float(ls.min()), float(ls.max())
        lz = (np.array([lex_of.get(c, lo) for c in cands]) - lo) / ((hi - lo) or 1.0)
        dlo, dhi = float(top_dense.min()), float(top_dense.max())
        dz = (d - dlo) / ((dhi - dlo) or 1.0)
    else:
        raise ValueError(method)
    s = w * lz + (1 - w) * dz
    return [cands[i] for i in np.argsort(-s, kind="stable")]


def ndcg(ranked: Sequence[Key], relevant: Callable[[Key], int], n_relevant: int) -> float:
    """nDCG@10 with the gains ``relevant`` gives (each relevant item counted once)."""
    seen: set[Key] = set()
    dcg = 0.0
    for r, key in enumerate(ranked[:K]):
        g = relevant(key)
        if g and key not in seen:
            seen.add(key)
            dcg += (2**g - 1) / math.log2(r + 2)
    idcg = sum(1 / math.log2(r + 2) for r in range(min(n_relevant, K)))
    return dcg / idcg if idcg else 0.0


def is_question(text: str) -> bool:
    return bool(QUESTION.search(text))


WEIGHTS = [round(x * 0.1, 1) for x in range(11)]
