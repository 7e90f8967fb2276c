"""Turn a file's bytes into text: UTF-8 first, BOMs honoured, anything else detected.

Detection is charset-normalizer's, not a guess of ours: it weighs every candidate encoding
by how plausible the decoded text is. GB2312 and GBK are read as GB18030, their superset,
so that a rare character outside GB2312 does not fail a whole file.
"""
from __future__ import annotations

import codecs

from corpus.errors import UnreadableDocument

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "ascii": "utf-8"}


def decode_bytes(data: bytes, source: str, encoding: str | None = None) -> str:
    """Decode ``data`` read from ``source``; raise :class:`UnreadableDocument` if it is not text.

    >>> decode_bytes("时尚".encode("gb18030"), "a.txt")
    '时尚'
    """
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise UnreadableDocument(source, f"cannot decode as {encoding}: {exc}") from None
    if not data.strip():
        raise UnreadableDocument(source, "the file is empty")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name)
            except UnicodeDecodeError as exc:
                raise UnreadableDocument(source, f"starts with a {name} BOM but does not decode: {exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _detect(data, source)


def _detect(data: bytes, source: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is None or best.encoding is None:
        raise UnreadableDocument(
            source,
            "not text in any known encoding (binary file?) — "
            "if it is text, try `--encoding gb18030` or `--encoding big5`",
        )
    name = _SUPERSETS.get(best.encoding.lower().replace("_", ""), best.encoding)
    try:
        text = data.decode(name)
    except (UnicodeDecodeError, LookupError):
        text = str(best) if len(data) <= 2_000_000 else data.decode(name, errors="replace")
    if "\x00" in text:
        raise UnreadableDocument(source, "contains NUL bytes: a binary file, not text")
    return text
