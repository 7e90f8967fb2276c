"""Numbers as documents write them: full-width digits, thousands separators, Chinese numerals.

Chinese numerals go through cn2an; it rejects a numeral that opens with a scale word
(百亿, 千万), which documents write for "one hundred hundred-million", so those get a 一 first.
"""
from __future__ import annotations

import re

# Length-preserving fold, so that offsets found in the folded text hold in the original.
_WIDTH = str.maketrans(
    "０１２３４５６７８９．％－ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
    "0123456789.%-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
)
CN_DIGITS = "〇○零一二三四五六七八九两"
CN_SCALES = "十百千万亿"
CN_NUMERAL = CN_DIGITS + CN_SCALES
_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0, "两": 2}


def fold_width(text: str) -> str:
    """Full-width digits, letters and ．％－ as ASCII; same length as ``text``.

    >>> fold_width("１００万元")
    '100万元'
    """
    return text.translate(_WIDTH)


def parse_number(text: str) -> float | None:
    """The value of a number written in digits, Chinese numerals or a mix; None if it is none.

    >>> parse_number("1,500"), parse_number("百亿"), parse_number("1.5万"), parse_number("十二万五千")
    (1500.0, 10000000000.0, 15000.0, 125000.0)
    """
    text = re.sub(r"\s+", "", fold_width(text))
    if not text:
        return None
    if _ARABIC.fullmatch(text):
        return float(text.replace(",", ""))
    text = text.replace(",", "")
    if text[0] in CN_SCALES:
        text = "一" + text
    import cn2an  # ~0.1 s to import: paid by the first Chinese numeral, not by every start-up

    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def cn_small(text: str) -> int | None:
    """A small Chinese or Arabic number as in labels and dates: 十二 → 12, 二十八 → 28, 3 → 3."""
    text = fold_width(text).strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN_DIGIT_VALUE and c not in _SMALL_UNITS for c in text):
        return None
    if len(text) > 1 and all(c in _CN_DIGIT_VALUE for c in text):  # 二〇二三: digit by digit
        return int("".join(str(_CN_DIGIT_VALUE[c]) for c in text))
    total, digit = 0, 0
    for c in text:
        if c in _CN_DIGIT_VALUE:
            digit = _CN_DIGIT_VALUE[c]
        else:
            total += (digit or 1) * _SMALL_UNITS[c]
            digit = 0
    return total + digit
