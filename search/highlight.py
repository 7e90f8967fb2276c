"""Snippets: the sentences of a hit that hold the most query terms, with the terms marked.

Works on the stored text with plain string search, so a hit is never re-segmented at query
time (re-segmenting ten hits costs ~150 ms with jieba). Snippets are cut at Chinese sentence
bounds (。；！？ and line ends), never in the middle of a sentence unless it is very long.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from indexer.analysis import to_simplified

_SENTENCE = re.compile(r"[^。；;！!？?\n]*(?:[。；;！!？?]+|\n|$)")
_WIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "})
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~ ]")
# Texts this long are split into sentences over an array of their code points (see _sentences).
LONG_TEXT = 2000
# Per code point of the Basic Multilingual Plane: whether it ends a sentence (after a run of
# them); the last entry, False, stands for every code point above (np.take clips to it).
_ENDS_SENTENCE = np.zeros(0x10000, dtype=bool)
_ENDS_SENTENCE[[ord(c) for c in "。；;！!？?"]] = True
MARK_OPEN, MARK_CLOSE = "【", "】"
# a term found for an everyday word typed (噪声 for 噪音, search.lay_terms): marked apart
EXPANSION_OPEN, EXPANSION_CLOSE = "〖", "〗"
EXPANSION = "expansion"  # the kind of such a piece in Snippet.segments
TEXTS_CACHED = 256  # texts whose sentences and folded form are kept (hits of popular documents recur)


@dataclass(frozen=True)
class Snippet:
    """A piece of text and the spans (start, end) in it that matched the query."""

    text: str
    spans: tuple[tuple[int, int], ...]
    truncated_start: bool = False
    truncated_end: bool = False
    expanded: frozenset[int] = frozenset()  # the starts of spans that are an everyday word's legal term

    def marked(self, open_mark: str = MARK_OPEN, close_mark: str = MARK_CLOSE, ellipsis: str = "…") -> str:
        """The snippet with each match wrapped: ``时尚产业`` → ``【时尚产业】``; a legal term found
        for an everyday word typed 〖噪声〗."""
        out, last = [], 0
        for start, end in self.spans:
            opening, closing = ((EXPANSION_OPEN, EXPANSION_CLOSE) if start in self.expanded
                                else (open_mark, close_mark))
            out += [self.text[last:start], opening, self.text[start:end], closing]
            last = end
        out.append(self.text[last:])
        return (ellipsis if self.truncated_start else "") + "".join(out) + (ellipsis if self.truncated_end else "")

    def segments(self) -> list[tuple[str, bool | str]]:
        """(text, match) pieces, for a renderer that escapes and marks them itself: ``match`` is
        False, True (a word typed) or EXPANSION (a legal term found for an everyday word)."""
        out: list[tuple[str, bool | str]] = []
        last = 0
        for start, end in self.spans:
            if start > last:
                out.append((self.text[last:start], False))
            out.append((self.text[start:end], EXPANSION if start in self.expanded else True))
            last = end
        if last < len(self.text):
            out.append((self.text[last:], False))
        return out


def fold_for_match(text: str, terms: Sequence[str] | None = None) -> str:
    """Lower case, half width and simplified characters, keeping every character at its offset
    (so 時尚產業 in the stored text is marked for the query 时尚产业).

    Given the (folded) ``terms`` to find, only what can matter is done. A text holding each term
    as typed, none of them with letters, is searched as it is: the folding (~0.1 ms per 1,000
    characters, most of it the conversion to simplified characters) would only add the other
    forms of words it already holds. The width folding is skipped when no full-width letter or
    digit is in the text and no punctuation in the terms.
    """
    if terms is not None and all(t.lower() == t.upper() and t in text for t in terms):
        return text
    width = terms is None or bool(_FULL_WIDTH_ALNUM.search(text)) or any(_PUNCTUATION.search(t) for t in terms)
    return _folded(text, width)


@lru_cache(maxsize=TEXTS_CACHED)
def _folded(text: str, width: bool) -> str:
    return to_simplified(text.translate(_WIDTH) if width else text).lower()


@lru_cache(maxsize=TEXTS_CACHED)
def _sentences(text: str) -> tuple[list[int], list[int]]:
    """The start and end offsets of the sentences of ``text`` (the matches of ``_SENTENCE``):
    each runs to a run of 。；！？ (either width) or to a line end, which is a sentence of its
    own after an empty line. Cached: the long texts of popular hits recur.

    A long text is split over the array of its code points instead of by a match per sentence:
    a law has a thousand sentences, 0.2–1 ms a law that way, four to eight times less this way.
    A short one is not: the array operations cost more than the few matches."""
    if len(text) < LONG_TEXT:
        bounds = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.end() > m.start()]
        return [b[0] for b in bounds], [b[1] for b in bounds]
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    punctuation = np.take(_ENDS_SENTENCE, codes, mode="clip")
    run_goes_on = np.zeros(len(codes), dtype=bool)
    run_goes_on[:-1] = punctuation[1:]
    ends = np.flatnonzero((codes == 10) | (punctuation & ~run_goes_on)) + 1
    if not len(ends) or ends[-1] != len(codes):
        ends = np.append(ends, len(codes))
    return [0, *ends[:-1].tolist()], ends.tolist()


def make_snippet(text: str, terms: Sequence[str], weights: dict[str, float] | None = None,
                 max_chars: int = 160, expansions: Sequence[str] = ()) -> Snippet:
    """The best window of ``text`` for ``terms`` (already folded), at most about ``max_chars``.

    Sentences are scored by the summed weight of the distinct terms they contain; the best one
    is extended with its neighbours while it is short. Those of ``terms`` that are in
    ``expansions`` (legal terms found for everyday words typed) are marked apart.
    """
    terms = [t for t in dict.fromkeys(terms) if t]
    weights = weights or {}
    starts, ends = _sentences(text)
    if not starts:
        return Snippet("", ())
    folded = fold_for_match(text, terms)
    best = _best_sentence(folded, starts, terms, weights)
    lo, hi = best, best
    s, e = starts[best], ends[best]
    while e - s < max_chars * 0.6 and (lo > 0 or hi + 1 < len(starts)):
        if hi + 1 < len(starts) and ends[hi + 1] - s <= max_chars:
            hi += 1
            e = ends[hi]
        elif lo > 0 and e - starts[lo - 1] <= max_chars:
            lo -= 1
            s = starts[lo]
        else:
            break
    cut_end = False
    if e - s > max_chars:
        first = _first_match(folded, s, e, terms)
        if first is not None and first - s > max_chars // 3:
            s = max(s, first - max_chars // 3)
        e, cut_end = min(e, s + max_chars), e > s + max_chars
    raw = text[s:e]
    lead = len(raw) - len(raw.lstrip("\n"))
    window = raw.strip("\n")
    spans, expanded = _spans(folded[s + lead:s + lead + len(window)], terms, frozenset(expansions))
    # one line: line breaks become spaces (same length, so the spans stay right)
    # an ellipsis wherever the paragraph goes on beyond the window, at either end
    first, last = s + lead, s + lead + len(window)
    more_before = first > 0 and text[first - 1] != "\n"
    more_after = cut_end or (last < len(text) and text[last] != "\n")
    return Snippet(window.replace("\n", " "), spans, truncated_start=more_before, truncated_end=more_after,
                   expanded=expanded)


def _best_sentence(folded: str, starts: list[int], terms: Sequence[str], weights: dict[str, float]) -> int:
    """The sentence whose distinct terms weigh most (the first among equals; 0 when none has any).
    Found from where the terms occur, not by testing every term against every sentence: a law
    has hundreds of sentences. Once a term is found in a sentence, its search goes on from the
    next one (a common word occurs many times in a sentence of a law)."""
    weight: dict[int, float] = {}
    last = len(starts) - 1
    for term in terms:
        term_weight = weights.get(term, 1.0)
        at = folded.find(term)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            weight[i] = weight.get(i, 0.0) + term_weight
            at = folded.find(term, starts[i + 1]) if i < last else -1
    top = max(weight.values(), default=0.0)
    return min(i for i, w in weight.items() if w == top) if top > 0 else 0


def _first_match(folded: str, s: int, e: int, terms: Sequence[str]) -> int | None:
    found = [folded.find(t, s, e) for t in terms]
    found = [f for f in found if f >= 0]
    return min(found) if found else None


def _spans(folded: str, terms: Sequence[str],
           expansions: frozenset[str] = frozenset()) -> tuple[tuple[tuple[int, int], ...], frozenset[int]]:
    """Non-overlapping matched spans, longest terms first, adjacent spans of one kind merged;
    and the starts of those that are ``expansions``."""
    taken = [False] * len(folded)
    spans: list[tuple[int, int, bool]] = []
    for term in sorted(terms, key=len, reverse=True):
        start = folded.find(term)
        while start >= 0:
            end = start + len(term)
            if not any(taken[start:end]):
                spans.append((start, end, term in expansions))
                for k in range(start, end):
                    taken[k] = True
            start = folded.find(term, end)
    spans.sort()
    merged: list[tuple[int, int, bool]] = []
    for start, end, expanded in spans:
        if merged and start <= merged[-1][1] and expanded == merged[-1][2]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), expanded)
        else:
            merged.append((start, end, expanded))
    return tuple((a, b) for a, b, _e in merged), frozenset(a for a, _b, e in merged if e)
