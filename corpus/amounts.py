"""Money amounts written with 元: their value in yuan, their kind and the clause they sit in.

Forms met in policy texts: 最高不超过800万元, 9737万元, 1,000万元, １００万元, 超百亿元, 超亿元,
一万元以上五万元以下, 50-100万元 (two amounts), 0.35元/千瓦时, and a number broken from its unit
by a line break. Scale words without 元 (500亿级) are not amounts, nor are 元旦, 一元化 or 每万元.
"""
from __future__ import annotations

import re

from corpus.amount_kinds import amount_kind, is_support
from corpus.clauses import ClauseSpan, clause_at
from corpus.model import Amount
from corpus.numbers import fold_width, parse_number

_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN = r"[零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟]+"
_AMOUNT = re.compile(
    rf"(?P<num>{_AR}|{_CN})\s*(?P<approx>多|余)?\s*(?P<scale>[十百千万亿]{{0,3}})\s*"
    rf"(?P<unit>(?:美|港|欧|日)?元)(?P<per>/[\u4e00-\u9fff]{{1,4}})?"
)
_RANGE_LOW = re.compile(rf"(?P<num>{_AR}|{_CN})\s*(?P<scale>[十百千万亿]{{0,3}})\s*(?:[-~—–至到]|－)\s*$")
_SCALE = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
# 元 starting a word (元旦, 元素, 一元化) or a scale (千亿元级), not money.
_NOT_MONEY_AFTER = re.compile(r"^(?:[旦素化宇宵首老帅勋气件器组数次维论]|级|年代)")
_VAGUE_BEFORE = "数几每"
_BARE_SCALE_CUE = re.compile(r"(?:超过?|逾|过|近|达到?|突破|上|约|至|到)$")
_BARE_SCALE_AFTER = re.compile(r"^(?:（含）|\(含\))?(?:以上|以下|以内)")
_CN_DIGITS_ONLY = re.compile(r"^[零〇一二三四五六七八九两壹贰叁肆伍陆柒捌玖]+$")

_CUE = re.compile(r"(?:超过?|逾|过|近|达到?|突破|上|约|至|到)$")
_BARE_SCALE_AFTER = re.compile(r"^(?:（含）|\(含\))?(?:以上|以下|以内)")
_CN_DIGITS_ONLY = re.compile(r"^[零〇一二三四五六七八九两壹贰叁肆伍陆柒捌玖]+$")

_CAP_BEFORE = re.compile(r"最高|不超过|不高于|最多|上限|封顶|至多|不得超过")
_CAP_AFTER = re.compile(r"^(?:（含）|\(含\))?(?:以下|以内|封顶|为限)")
_FLOOR_BEFORE = re.compile(r"超过?|以上|不少于|不低于|逾|至少|突破")
_FLOOR_AFTER = re.compile(r"^(?:（含）|\(含\))?(?:及)?(?:以上|起)")
_TOTAL_BEFORE = re.compile(r"总|共|累计|合计|规模|达")
_GRANT_BEFORE = re.compile(r"给予|奖励|补贴|补助|资助|支持|扶持|奖")
_CUE = re.compile(r"最高不超过|最高|不超过|不高于|不少于|不低于|超过|超|逾|累计|合计|共计|总计|给予|奖励|补贴|资助|达到|达")
_SENTENCE_BREAK = re.compile(r"[。；;！？!?\n]")
_PHRASE_BREAK = re.compile(r"[，,。；;：:！？!?\n]")
_AFTER = 30  # characters of its phrase after an amount read for its kind
_SENTENCE = 120  # characters of its sentence before it
_CHUNK_BREAK = re.compile(r"[，。；：,;:！？\n、（）()]")
_WINDOW = 12
_INCLUSIVE_REPEAT = re.compile(r"[（(]含$")


def _value(num: str, scale: str) -> float | None:
    value = parse_number(num)
    if value is None:
        return None
    for ch in scale:
        value *= _SCALE[ch]
    return value


def _yuan(value: float) -> float:
    """Whole yuan as an int, so that JSON shows 8000000 rather than 8000000.0."""
    return int(value) if value == int(value) else value


def _before_chunk(text: str, start: int) -> str:
    """The words just before ``start`` within the same phrase (up to the last comma)."""
    window = text[max(0, start - _WINDOW):start]
    parts = _CHUNK_BREAK.split(window)
    return parts[-1]


def _kind(text: str, start: int, end: int, upper: bool = False) -> str:
    """The kind of the amount at text[start:end], from its phrase and its sentence."""
    after = _PHRASE_BREAK.split(text[end:end + _AFTER], maxsplit=1)[0]
    sentence = _SENTENCE_BREAK.split(text[max(0, start - _SENTENCE):start])[-1]
    return amount_kind(_before_chunk(text, start), after, sentence, upper)


def _phrase(text: str, start: int, end: int) -> str:
    """The amount with the words that qualify it: 最高不超过800万元, 100万元（含）以上."""
    before = _before_chunk(text, start)
    cue = _CUE.search(before)
    head = before[cue.start():] if cue else ""
    tail = re.match(r"(?:（含）|\(含\))?(?:及)?(?:以上|以下|以内)?", text[end:end + 8])
    return re.sub(r"\s+", "", head + text[start:end] + (tail.group(0) if tail else ""))


def find_amounts(text: str, spans: list[ClauseSpan]) -> list[Amount]:
    """Every money amount in ``text`` in document order, each with the path of its clause."""
    if "元" not in text:
        return []
    folded = fold_width(text)
    amounts: list[Amount] = []
    last_end = -1
    for m in _AMOUNT.finditer(folded):
        num, scale = m.group("num"), m.group("scale")
        after = folded[m.end():m.end() + 8]
        prev = folded[m.start() - 1:m.start()] if m.start() else ""
        if _NOT_MONEY_AFTER.match(after) or (prev and prev in _VAGUE_BEFORE):
            continue
        if re.fullmatch(_CN, num):
            if _CN_DIGITS_ONLY.match(num) and not scale:
                continue
            if all(c in _SCALE for c in num) and not (
                _BARE_SCALE_CUE.search(folded[max(0, m.start() - 3):m.start()]) or _BARE_SCALE_AFTER.match(after)
            ):
                continue
        value = _value(num, scale)
        if value is None or value <= 0:
            continue
        before = _before_chunk(folded, m.start())
        clause = clause_at(spans, m.start())
        low = _RANGE_LOW.search(folded[max(last_end, m.start() - 20, 0):m.start()])
        if low:
            borrowed = re.search(r"[万亿]*$", num)
            low_value = _value(low.group("num"), low.group("scale") or scale or (borrowed.group(0) if borrowed else ""))
            if low_value is not None and 0 < low_value < value:
                low_start = m.start() - len(low.group(0))
                phrase = re.sub(r"\s+", "", text[low_start:m.end()])
                high_kind = _kind(folded, m.start(), m.end(), upper=True)
                low_kind = "grant" if is_support(high_kind) else "fine" if high_kind == "fine" else "floor"
                amounts.append(Amount(clause, phrase, _yuan(low_value), low_kind))
                amounts.append(Amount(clause, phrase, _yuan(value), high_kind))
                last_end = m.end()
                continue
        repeat = _INCLUSIVE_REPEAT.search(folded[max(0, m.start() - 3):m.start()])
        if repeat and amounts and _yuan(value) == amounts[-1].yuan:
            continue  # 1亿元以上（含1亿元）names one amount twice
        amounts.append(Amount(clause, _phrase(text, m.start(), m.end()), _yuan(value), _kind(folded, m.start(), m.end())))
        last_end = m.end()
    return amounts
