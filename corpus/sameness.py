"""When two files hold the same text: their content, normalised, is equal.

A notice saved as .txt, as .docx and as a web page differs in bytes, line breaks, punctuation
widths (，and ,), spaces and the residue a format leaves (bookmarks, zero-width marks, bullets);
read and cleaned, its words and numbers are the same, in the same order. The fingerprint is
taken over those alone: Unicode compatibility forms folded (full-width letters and digits are
the half-width ones), everything but letters and digits dropped.

A copy with one line added is not the same text: it says something more (measured over the
public replies, see docs/benchmarks.md), and a precedent that exists must never be hidden.
"""
from __future__ import annotations

import re
import unicodedata

from corpus.clean import clean_text
from corpus.source import content_id

# What is left of a text to compare: letters (of every script) and digits.
_NOT_WORDS = re.compile(r"[\W_]+")


def normalised(text: str) -> str:
    """The letters and digits of ``text``, compatibility forms folded: what two copies share.

    >>> normalised("第一条　本办法自2024年1月5日起施行。") == normalised("第一条 本办法自２０２４年１月５日起施行.")
    True
    """
    return _NOT_WORDS.sub("", unicodedata.normalize("NFKC", text))


def text_fingerprint(text: str) -> str:
    """A 16-hex-digit fingerprint of ``text``'s normalised content ("" for a text without words)."""
    words = normalised(text)
    return content_id(words.encode("utf-8")) if words else ""


def document_fingerprint(title: str, body: str) -> str:
    """The fingerprint of a document: of its body where the body holds its title (a file), else of
    title and body (a table's row: sixteen replies of the public table say only 网友您好，留言已收悉,
    each to another message — sixteen texts, not one)."""
    if normalised(title) in normalised(body):
        return text_fingerprint(body)
    return text_fingerprint(f"{title}\n{body}")


def pasted_fingerprints(text: str) -> list[str]:
    """The fingerprints under which a pasted text may be indexed: the whole of it, and without
    its first line (a table row's title stands apart from its body), cleaned as an ingested
    text is (corpus.clean: Word's bookmarks, zero-width marks)."""
    whole = clean_text(text).strip()
    rest = whole.split("\n", 1)[1] if "\n" in whole else ""
    return [f for f in dict.fromkeys((text_fingerprint(whole), text_fingerprint(rest))) if f]


__all__ = ["document_fingerprint", "normalised", "pasted_fingerprints", "text_fingerprint"]
