"""Chinese analysis for Whoosh: jieba segmentation with ordinal positions, index and query modes.

Positions count the *finest dictionary words*: a word jieba keeps whole but which the
dictionary tiles into smaller words (时尚产业 = 时尚 + 产业) takes one position per piece, and
every coarser word and search-mode sub-word shares the position where it starts. So a phrase
matches whether or not jieba grouped its words in that context, and consecutive words have
consecutive positions (jieba's own ``ChineseAnalyzer`` uses character offsets instead, which
breaks every phrase query).

Modes, as Whoosh passes them:
- ``index``: every fine word, every coarser word, every search-mode sub-word (2- and 3-grams in
  the dictionary), so that a query word finds the texts that contain it inside a longer word;
- ``query``: the fine words only, in order, with ordinal positions — the tokens of a phrase.
  Each is a token index mode emits for the same characters in any context where jieba cuts
  at the same boundaries; ranked queries add their sub-words with :func:`search_terms`.

Before segmentation, text is folded one character for one (full-width letters and digits to
ASCII, traditional characters to simplified with OpenCC), so offsets stay those of the
original text and 時尚產業 is found by 时尚产业. Index mode also emits a composite token for
each 发文字号 and money amount (深府办〔2020〕4号, 500万) at the position where it starts, so
that they are findable as typed, whatever the bracket form.

The tokenizer is picklable (Whoosh stores the schema in the index): it pickles its settings
and the words of user dictionaries only, and loads the segmentation engine lazily, once per
process. Its fingerprint covers the analysis version, the package dictionary and the user
words, so an index built with other analysis is refused with a clear message.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.analysis import Token, Tokenizer

from errors import IndexMismatch
from indexer.segment import (
    PACKAGE_DICT, Engine, UserWord, available_engine, dictionary_fingerprint, get_engine, read_user_dictionary,
)

ANALYSIS_VERSION = 3  # 3: segmentation without HMM guesses (indexer/segment.py)
LINE_CACHE = 50_000  # lines kept analysed: a document's clauses reuse its body's lines
WORD_CACHE = 500_000
_SKIP = re.compile(r"^[\W_]+$")
_ASCII_RUN = re.compile(r"[0-9a-z]+|[^\x00-\x7f]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Full-width digits and letters → ASCII, one character for one, before segmentation: jieba
# cuts ５Ｇ into 5 + g but keeps 5G whole, so folding only afterwards would miss 5G in ５Ｇ.
_NARROW = str.maketrans({chr(c): chr(c - 0xFEE0) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                           *range(0xFF41, 0xFF5B))})


_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s*[〔\[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]\s*(\d{1,5})\s*号"
)
_AMOUNT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万亿|千万|百万|亿|万|千)?\s*(元)?")


def fold(text: str) -> str:
    """Fold width and case: full-width letters and digits become ASCII, ASCII becomes lower case."""
    return unicodedata.normalize("NFKC", text).lower()


_t2s: Any = None


def to_simplified(text: str) -> str:
    """Traditional characters as simplified ones, one character for one (offsets unchanged).

    >>> to_simplified("時尚產業")
    '时尚产业'
    """
    global _t2s
    if text.isascii():
        return text
    if _t2s is None:
        import opencc

        _t2s = opencc.OpenCC("t2s")
    converted = _t2s.convert(text)
    if len(converted) != len(text):  # a phrase mapping changed the length: convert char by char
        converted = "".join(c if len(c2 := _t2s.convert(c)) != 1 else c2 for c in text)
    return converted


def normalize_text(text: str) -> str:
    """What segmentation sees: half-width letters and digits, simplified characters."""
    return to_simplified(text.translate(_NARROW))


def composite_tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """发文字号 and amounts as single tokens (token, start, end), normalised as users type them.

    深府办［2020］4号 → 深府办〔2020〕4号; 最高500万元 → 500万; 3000元 → 3000元.
    """
    for m in _DOC_NUMBER.finditer(text):
        org = m[1]
        # the 机关代字 is 2–8 characters; words before it ran into the match (关于印发深府办…)
        for k in range(min(len(org), 8), 1, -1):
            yield f"{org[-k:]}〔{m[2]}〕{m[3]}号", m.start(1) + len(org) - k, m.end()
    for m in _AMOUNT.finditer(text):
        if m[2]:
            yield f"{m[1]}{m[2]}", m.start(), m.end()
        elif m[3]:
            yield f"{m[1]}元", m.start(), m.end()


class StreamTokenizer(Tokenizer):
    """Whoosh's tokenizer contract over a stream of (text, position, start, end) tuples.

    Positions are ordinal and offset by ``start_pos``; character offsets are given only when
    ``chars`` is asked, offset by ``start_char``; one Token object is reused, as Whoosh wants.
    """

    def stream(self, value: str, mode: str) -> Iterable[tuple[str, int, int, int]]:
        """The tokens of ``value`` in ``mode`` ("index" or "query")."""
        raise NotImplementedError

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        tokens = self.stream(value, mode) if tokenize else ((value, 0, 0, len(value)),)
        for text, pos, start, end in tokens:
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[start:end]  # type: ignore[attr-defined]
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


class ChineseTokenizer(StreamTokenizer):
    """A Whoosh tokenizer over jieba (or rjieba) precise segmentation; see the module doc."""

    def __init__(self, engine: str | None = None, user_words: tuple[UserWord, ...] = ()) -> None:
        self.engine_name = engine or available_engine()
        self.user_words = tuple(user_words)
        self.fingerprint = analysis_fingerprint(self.user_words)
        self._engine: Engine | None = None
        self._pieces: dict[str, tuple[tuple[str, int], ...]] = {}
        self._fine: dict[str, tuple[tuple[str, int, int], ...]] = {}
        self._expansions: dict[str, Any] = {}
        self._lines: dict[str, Any] = {}

    # -- pickling: settings only, the engine is reloaded lazily --------------------------------
    def __getstate__(self) -> dict[str, Any]:
        return {"engine_name": self.engine_name, "user_words": self.user_words, "fingerprint": self.fingerprint}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._engine = None
        self._pieces = {}
        self._fine = {}
        self._expansions = {}
        self._lines = {}

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ChineseTokenizer)
            and (self.engine_name, self.user_words, self.fingerprint)
            == (other.engine_name, other.user_words, other.fingerprint)
        )

    def __hash__(self) -> int:
        return hash((self.engine_name, self.user_words, self.fingerprint))

    @property
    def settings(self) -> dict[str, Any]:
        """What the index records about its analysis."""
        return {"engine": self.engine_name, "analysis_version": ANALYSIS_VERSION,
                "user_words": len(self.user_words), "fingerprint": self.fingerprint}

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if analysis_fingerprint(self.user_words) != self.fingerprint:
                raise IndexMismatch(
                    "the index was built with another version of the analysis or of the package "
                    "dictionary — rebuild it with `policy-search ingest DIR --index IX --rebuild`"
                )
            self._engine = get_engine(self.engine_name, self.user_words)
        return self._engine

    # -- segmentation ----------------------------------------------------------------------------
    def words(self, text: str) -> list[tuple[str, int, int, int]]:
        """(token, position, start, end) for index mode; fine words advance the position.

        Segmentation never crosses a line break (jieba cuts at every non-word character), so
        each line is analysed once and cached: a clause's lines, already seen in its document's
        body, cost only the shift of positions and offsets.
        """
        out: list[tuple[str, int, int, int]] = []
        pos = offset = 0
        cache = self._lines
        for line in text.split("\n"):
            entry = cache.get(line)
            if entry is None:
                entry = self._line_words(line)
                if len(cache) >= LINE_CACHE:
                    cache.clear()
                cache[line] = entry
            tokens, positions = entry
            if pos or offset:
                out.extend((t, p + pos, s + offset, e + offset) for t, p, s, e in tokens)
            else:
                out.extend(tokens)
            pos += positions
            offset += len(line) + 1
        return out

    def _line_words(self, line: str) -> tuple[tuple[tuple[str, int, int, int], ...], int]:
        """The index-mode tokens of one line and the number of positions it takes."""
        normalized = normalize_text(line)
        out: list[tuple[str, int, int, int]] = []
        starts: list[int] = []  # start offset of each position
        pos = 0
        for word, start, _end in self.engine.precise(normalized):
            expansion = self._expansions.get(word)
            if expansion is None:
                expansion = self._expand(word)
                if len(self._expansions) < WORD_CACHE:
                    self._expansions[word] = expansion
            tokens, word_starts = expansion
            if len(tokens) == 1 and len(word_starts) == 1:  # most words: one token, one position
                t, p, s, e = tokens[0]
                out.append((t, p + pos, s + start, e + start))
                starts.append(word_starts[0] + start)
                pos += 1
            elif tokens:
                out.extend((t, p + pos, s + start, e + start) for t, p, s, e in tokens)
                starts.extend(s + start for s in word_starts)
                pos += len(word_starts)
        if starts:
            for token, start, end in composite_tokens(normalized):
                at = bisect_left(starts, start)
                out.append((token, min(at, len(starts) - 1), start, end))
        return tuple(out), pos

    def _expand(self, word: str) -> tuple[tuple[tuple[str, int, int, int], ...], tuple[int, ...]]:
        """A precise word's tokens relative to the word, and the start of each position it takes:
        its fine pieces (one position each), the word itself if it has several pieces, and its
        dictionary sub-words (search mode) at the position where they start."""
        if word.isspace() or _SKIP.match(word):
            return (), ()
        folded = fold(word)
        out: list[tuple[str, int, int, int]] = []
        if not _CJK.search(folded):
            runs = list(_ASCII_RUN.finditer(folded))
            return (tuple((m.group(), i, m.start(), m.end()) for i, m in enumerate(runs)),
                    tuple(m.start() for m in runs))
        pieces = self._fine_pieces(folded)
        if len(pieces) > 1:
            out.append((folded, 0, 0, len(word)))
        for i, (piece, offset) in enumerate(pieces):
            out.append((piece, i, offset, offset + len(piece)))
        if len(folded) > 2:
            is_word = self.engine.is_word
            seen = {p for p, _ in pieces} | {folded}
            for n in (2, 3):
                for i in range(len(folded) - n + 1):
                    gram = folded[i:i + n]
                    if gram not in seen and is_word(gram):
                        seen.add(gram)
                        at = max(k for k, (_p, o) in enumerate(pieces) if o <= i)
                        out.append((gram, at, i, i + n))
        return tuple(out), tuple(o for _p, o in pieces)

    def fine_words(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(token, start, end) of the finest words in order: the tokens of a phrase."""
        cache = self._fine
        for word, start, _end in self.engine.precise(normalize_text(text)):
            found = cache.get(word)
            if found is None:
                found = self._word_pieces(word)
                if len(cache) < WORD_CACHE:
                    cache[word] = found
            for piece, offset, end in found:
                yield piece, start + offset, start + end

    def _word_pieces(self, word: str) -> tuple[tuple[str, int, int], ...]:
        """The finest words of one precise word: (token, start, end) relative to the word."""
        if word.isspace() or _SKIP.match(word):
            return ()
        folded = fold(word)
        if not _CJK.search(folded):
            return tuple((m.group(), m.start(), m.end()) for m in _ASCII_RUN.finditer(folded))
        return tuple((piece, offset, offset + len(piece)) for piece, offset in self._fine_pieces(folded))

    def _fine_pieces(self, word: str) -> tuple[tuple[str, int], ...]:
        """The finest tiling of ``word`` by dictionary words of two or more characters.

        ``时尚产业`` → (时尚, 0), (产业, 2); a word with no such tiling is one piece.
        """
        cached = self._pieces.get(word)
        if cached is not None:
            return cached
        result: tuple[tuple[str, int], ...] = ((word, 0),)
        n = len(word)
        if n >= 4 and _CJK.match(word):
            is_word = self.engine.is_word
            # best[i]: most pieces tiling word[i:], or -1 when word[i:] cannot be tiled
            best = [-1] * (n + 1)
            step = [0] * (n + 1)
            best[n] = 0
            for i in range(n - 2, -1, -1):
                for j in range(i + 2, n + 1):
                    if best[j] >= 0 and (i, j) != (0, n) and is_word(word[i:j]) and best[j] + 1 > best[i]:
                        best[i], step[i] = best[j] + 1, j
            if best[0] > 1:
                pieces = []
                i = 0
                while i < n:
                    j = step[i]
                    pieces.append((word[i:j], i))
                    i = j
                result = tuple(pieces)
        if len(self._pieces) < 200_000:
            self._pieces[word] = result
        return result

    def stream(self, value: str, mode: str) -> Iterable[tuple[str, int, int, int]]:
        if mode == "query":
            return ((w, i, s, e) for i, (w, s, e) in enumerate(self.fine_words(value)))
        return self.words(value)


def search_terms(tokenizer: ChineseTokenizer, text: str) -> list[str]:
    """Every index-mode token of ``text``, once each, in order: the terms of a ranked query."""
    seen: dict[str, None] = {}
    for word, _pos, _s, _e in tokenizer.words(text):
        seen.setdefault(word, None)
    return list(seen)


def ranked_terms(tokenizer: ChineseTokenizer, text: str) -> list[str]:
    """The terms of a ranked query: :func:`search_terms` less the two-character sub-words found
    inside longer words (质量 in 高质量), which the query's character bigrams already match —
    as words they doubled the bigrams' weight and the work of every query."""
    words = {fold(w) for w, _s, _e in tokenizer.engine.precise(normalize_text(text))}
    words.update(w for w, _s, _e in tokenizer.fine_words(text))
    return [t for t in search_terms(tokenizer, text) if len(t) != 2 or t in words or not _CJK.match(t)]


def analysis_fingerprint(user_words: tuple[UserWord, ...]) -> str:
    """A hash of everything that decides tokens: analysis version, package dictionary, user words."""
    return dictionary_fingerprint((str(PACKAGE_DICT),), extra=f"v{ANALYSIS_VERSION}:{user_words!r}")


def make_analyzer(engine: str | None = None, dictionaries: tuple[str, ...] = ()) -> ChineseTokenizer:
    """The analyzer of every text field, with the words of extra user ``dictionaries`` (paths).

    Dictionaries are in jieba's format (``word [frequency] [tag]`` per line); their words are
    kept in the index, so the index does not depend on the files afterwards.
    """
    words: list[UserWord] = []
    for path in dictionaries:
        words.extend(read_user_dictionary(path))
    return ChineseTokenizer(engine, tuple(words))
