"""Word segmentation behind one small interface, with two engines of the same algorithm.

jieba is always installed; rjieba (the binding of jieba-rs: same algorithm, same dictionary
format) is ~25× faster and starts in 0.15 s instead of 1–1.5 s, so it is used when present.
An index records the engine that built it and queries use that same engine.

Both segment without jieba's HMM guesses at words missing from the dictionary. The guesses
glue neighbouring characters into words that are rare and so weigh heavily in a ranking, yet
mean nothing: B市能禁摩禁电 gave 市能 and 禁摩禁, D12市檀山村 gave 市檀. Without them an
unknown name falls into single characters, and the character bigrams of every text field
(indexer/bigrams.py) match it; on the replies corpus subjects rank +0.006 nDCG@10 better.
"""
from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
from pathlib import Path
from typing import Protocol

from errors import IndexMismatch

DATA_DIR = Path(__file__).parent / "data"
PACKAGE_DICT = DATA_DIR / "userdict.txt"
ENGINES = ("rjieba", "jieba")


class Engine(Protocol):
    """What analysis needs from a segmenter."""

    name: str

    def precise(self, text: str) -> list[tuple[str, int, int]]:
        """Precise-mode words of ``text`` with their character offsets (dictionary words only, no HMM)."""

    def is_word(self, word: str) -> bool:
        """Whether ``word`` is in the dictionary (decides search-mode sub-words)."""


UserWord = tuple[str, "int | None", "str | None"]  # word, frequency, part of speech


class JiebaEngine:
    """jieba 0.42, pure Python."""

    name = "jieba"

    def __init__(self, user_words: tuple[UserWord, ...]) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._tk = jieba.Tokenizer()
        self._tk.initialize()
        for word, freq, tag in (*read_user_dictionary(PACKAGE_DICT), *user_words):
            self._tk.add_word(word, freq, tag)
        self._freq = self._tk.FREQ

    def precise(self, text: str) -> list[tuple[str, int, int]]:
        return list(self._tk.tokenize(text, HMM=False))

    def is_word(self, word: str) -> bool:
        return bool(self._freq.get(word))


class RJiebaEngine:
    """rjieba, the jieba-rs binding: same algorithm and dictionary, compiled."""

    name = "rjieba"

    def __init__(self, user_words: tuple[UserWord, ...]) -> None:
        import rjieba

        self._jb = rjieba.Jieba()
        for word, freq, tag in (*read_user_dictionary(PACKAGE_DICT), *user_words):
            self._jb.add_word(word, freq, tag)

    def precise(self, text: str) -> list[tuple[str, int, int]]:
        return self._jb.tokenize(text, hmm=False)

    def is_word(self, word: str) -> bool:
        return bool(self._jb.has_word(word))


def read_user_dictionary(path: str | Path) -> list[UserWord]:
    """Entries of a jieba user dictionary: ``word [freq] [tag]`` per line, ``#`` comments."""
    from errors import UsageError

    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the dictionary {path}: {exc} — it must be UTF-8 text, "
                         "one `word [frequency] [tag]` per line") from None
    entries: list[UserWord] = []
    for line in lines:
        parts = line.strip().split()
        if not parts or parts[0].startswith("#"):
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        entries.append((parts[0], freq, tag))
    return entries


def available_engine() -> str:
    """The fastest engine installed: rjieba when present, else jieba."""
    return "rjieba" if importlib.util.find_spec("rjieba") else "jieba"


def dictionary_fingerprint(dictionaries: tuple[str, ...], extra: str = "") -> str:
    """A hash of dictionary files' contents (and ``extra``): the index records it."""
    h = hashlib.blake2b(digest_size=8)
    for path in dictionaries:
        try:
            h.update(Path(path).read_bytes())
        except OSError:
            h.update(f"missing:{path}".encode())
    h.update(extra.encode("utf-8"))
    return h.hexdigest()


_cache: dict[tuple[str, tuple[UserWord, ...]], Engine] = {}
_lock = threading.Lock()


def get_engine(name: str, user_words: tuple[UserWord, ...] = ()) -> Engine:
    """A loaded engine, shared by every analyzer of the process (loading costs up to 1.5 s)."""
    key = (name, user_words)
    with _lock:
        engine = _cache.get(key)
        if engine is None:
            if name == "rjieba":
                if not importlib.util.find_spec("rjieba"):
                    raise IndexMismatch(
                        "this index was built with the rjieba engine, which is not installed — "
                        "install it with `pip install 'policy-search[fast]'`, or rebuild the index "
                        "with `policy-search ingest DIR --rebuild`"
                    )
                engine = RJiebaEngine(user_words)
            elif name == "jieba":
                engine = JiebaEngine(user_words)
            else:
                raise IndexMismatch(f"unknown segmentation engine `{name}`; known: {', '.join(ENGINES)}")
            _cache[key] = engine
        return engine
