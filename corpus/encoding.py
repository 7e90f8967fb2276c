"""Turn a file's bytes into text: UTF-8 first, BOMs honoured, anything else detected.

Detection is charset-normalizer's, not a guess of ours: it weighs every candidate encoding
by how plausible the decoded text is. GB2312 and GBK are read as GB18030, their superset,
so that a rare character outside GB2312 does not fail a whole file; Big5 as Big5-HKSCS.
UTF-16 without a BOM is recognised by its NUL bytes (every other byte of ASCII text), which
would otherwise pass as valid UTF-8. Bytes that are no text at all (images, archives, Office
files under another name) are named as such, so that the user knows what to do.
"""
from __future__ import annotations

import codecs
import re

from errors import UnreadableDocument

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "xgbk": "gb18030", "big5": "big5hkscs", "ascii": "utf-8"}
# What a binary file starts with, and what to tell the user about it.
_MAGIC = (
    (b"PK\x03\x04", "a zip archive (a .docx or .xlsx file under another name?)"),
    (b"%PDF-", "a PDF file — name it .pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word/Excel file (.doc/.xls) — save it as .docx or .xlsx"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x7fELF", "a program"),
)
NOT_TEXT = "not text in any known encoding (binary file?) — if it is text, try `--encoding gb18030` or `--encoding big5`"
# Declared single-byte Western encodings decode any bytes at all: a page that declares one
# and is not ASCII is detected instead (mis-declared GBK pages are common).
_UNTRUSTED_DECLARED = ("iso8859-1", "cp1252")
_SAMPLE = 64 * 1024
_DETECT_BYTES = 2_000_000
# C0 control characters that no text file carries (tab, line ends, form feed and ESC excepted).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CHINESE_ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "big5hkscs")
_LATIN1 = re.compile(r"[\u00a1-\u00ff]")


def decode_bytes(data: bytes, source: str, encoding: str | None = None, declared: str | None = None) -> str:
    """Decode ``data`` read from ``source``; raise :class:`UnreadableDocument` if it is not text.

    ``encoding`` is the user's and final; ``declared`` is what the file says of itself (a web
    page's ``<meta charset>``), tried when the bytes are not UTF-8, before detection.

    >>> decode_bytes("时尚".encode("gb18030"), "a.txt")
    '时尚'
    """
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise UnreadableDocument(source, f"cannot decode as {encoding}: {exc}") from None
        _check_given(text, data, source, encoding, declared)
        return text
    return _decoded(data, source, declared)[0]


def _decoded(data: bytes, source: str, declared: str | None) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read in, without a user's ``--encoding``."""
    if not data.strip():
        raise UnreadableDocument(source, "the file is empty")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(name), source), name
            except UnicodeDecodeError as exc:
                raise UnreadableDocument(source, f"starts with a {name} BOM but does not decode: {exc}") from None
    kind = binary_kind(data)
    if kind:
        raise UnreadableDocument(source, f"not text: {kind}")
    if b"\x00" in data[:_SAMPLE]:
        text, name = _utf16_without_bom(data, source)
        return _checked(text, source), name
    try:
        return _checked(data.decode("utf-8"), source), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            if codecs.lookup(_superset(declared)).name not in _UNTRUSTED_DECLARED:
                return _checked(data.decode(_superset(declared)), source), _superset(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    text, name = _detect(data, source)
    return _checked(text, source), name


def _check_given(text: str, data: bytes, source: str, encoding: str, declared: str | None) -> None:
    """Refuse the user's ``encoding`` when it makes a Chinese text into Latin letters.

    A GBK file read as latin-1 decodes without error into ``ÊÐ¹¤Òµ…``: no Chinese at all.
    When detection reads the same bytes as Chinese, the user's encoding is wrong, and indexing
    its text would store that garbage; the message names both encodings and what to do.
    """
    if _is_chinese(text) or text.isascii():
        return
    try:
        detected, name = _decoded(data, source, declared)
    except UnreadableDocument:
        return
    if not _is_chinese(detected) or not _writes_chinese(name, data):
        return
    raise UnreadableDocument(
        source, f"decoded as {encoding} it holds no Chinese ({_excerpt(text)}…), but it reads as Chinese in "
                f"{name} ({_excerpt(detected)}…) — leave out --encoding to detect it, or give --encoding {name}")


def _is_chinese(text: str) -> bool:
    """Whether ``text`` holds Chinese and more Chinese characters than Latin-1 letters (À–ÿ, ¡–¿)."""
    sample = text[:_SAMPLE]
    han = len(_HAN.findall(sample))
    return han > 0 and han > len(_LATIN1.findall(sample))


def _writes_chinese(name: str, data: bytes) -> bool:
    """Whether a detected encoding is one Chinese text is written in; UTF-16 and UTF-32 only with
    a BOM or NULs (a guess of UTF-16 for a few bytes of Latin-1 is no evidence of Chinese)."""
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return False
    if name.startswith(("utf-16", "utf-32")):
        return b"\x00" in data[:_SAMPLE]
    return name in _CHINESE_ENCODINGS


def _excerpt(text: str) -> str:
    """The first dozen non-blank characters of the first line that is not ASCII."""
    line = next((line for line in text.splitlines() if not line.isascii()), text)
    return "".join(line.split())[:12]


def binary_kind(data: bytes) -> str | None:
    """What a file is when its first bytes are a known binary signature, else None.

    >>> binary_kind(b"PK\\x03\\x04...")
    'a zip archive (a .docx or .xlsx file under another name?)'
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _utf16_without_bom(data: bytes, source: str) -> tuple[str, str]:
    """UTF-16 text without a BOM has its NULs on one side of each byte pair; binary data has them anywhere."""
    sample = data[:_SAMPLE - _SAMPLE % 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = max(1, len(sample) // 2)
    for nuls, other, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls >= pairs * 0.1 and other <= nuls * 0.01 and len(data) % 2 == 0:
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                break
    raise UnreadableDocument(source, NOT_TEXT)


def _superset(name: str) -> str:
    return _SUPERSETS.get(name.lower().replace("_", "").replace("-", ""), name)


def _checked(text: str, source: str) -> str:
    """``text``, unless it is full of control characters: binary data that happened to decode."""
    sample = text[:_SAMPLE]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > max(2, len(sample) * _MAX_CONTROL_SHARE):
        raise UnreadableDocument(source, NOT_TEXT)
    return text


def _detect(data: bytes, source: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_DETECT_BYTES]).best()
    if best is None or best.encoding is None:
        raise UnreadableDocument(source, NOT_TEXT)
    name = _superset(best.encoding)
    try:
        return data.decode(name), name
    except (UnicodeDecodeError, LookupError):
        # the sample decoded but the rest of a long file does not: keep what can be read
        return (str(best) if len(data) <= _DETECT_BYTES else data.decode(name, errors="replace")), name
