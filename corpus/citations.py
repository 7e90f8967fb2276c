"""Citations: other documents named in 《》, with the 文号 that follows them.

Not citations: abbreviations that point back at a document already named or at the document
itself (（以下简称《提案》）, a bare 《行动计划》 after the full title), the proposal a reply
answers, and the document a notice issues (关于印发《X》的通知: a title inside our own title).
"""
from __future__ import annotations

import re
import unicodedata

from corpus.metadata import DOC_NUMBER, normalize_doc_number
from corpus.model import Citation

PART = "·"  # between a text's title and the part a document holds: 中华人民共和国民法典·继承编
_QUOTED = re.compile(r"《([^《》]{1,150})》")
_ARTICLE_AFTER = re.compile(r"^\s*(?:[（(][^（）()]{1,30}[)）])?\s*(第[一二三四五六七八九十百千零〇\d]+条(?:之[一二三四五六七八九十])?)")
_NUMBER_AFTER = re.compile(rf"^\s*[（(]\s*({DOC_NUMBER.pattern})\s*(?:文)?\s*[)）]")
_ALIAS = re.compile(r"(?:以下简称|下称|简称)\s*[：:]?\s*[“\"《〈]([^”\"》〉）)]{1,20})[”\"》〉]")
_ISSUED = re.compile(r"印发|颁布|发布")
_LINE_BREAK = re.compile(r"\s*\n\s*")
_DASHES = dict.fromkeys(map(ord, "—–－―‐‑~～"), "-")
_OPEN = dict.fromkeys(map(ord, "（〔［【"), "(")
_CLOSE = dict.fromkeys(map(ord, "）〕］】"), ")")
_ABBREVIATION_CHARS = 8
# A repeal: 《A》、《B》同时废止, 《A》自本条例施行之日起废止, 决定废止《A》; read within the sentence,
# the other titles of a list and its connectors left out.
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
_LIST_GLUE = re.compile(r"《[^《》]*》|[、，,和及与以]")
_REPEAL_WITHIN = 30  # characters between a list of titles and its 废止


def normalize_title(title: str) -> str:
    """A title folded for matching: width, dashes (—–－ → -), brackets, white space, 《》.

    >>> normalize_title("《深圳市推进直播电商高质量发展行动方案（2023—2025年》")
    '深圳市推进直播电商高质量发展行动方案(2023-2025年)'
    """
    text = unicodedata.normalize("NFKC", title).translate(_DASHES).translate(_OPEN).translate(_CLOSE)
    text = text.replace("[", "(").replace("]", ")").replace("〈", "<").replace("〉", ">")
    text = re.sub(r"\s+", "", text).strip("《》“”\"")
    text = re.sub(r"-{2,}", "-", text)
    return _close_brackets(text, "(", ")")


_YEAR_RANGE_SUFFIX = re.compile(r"\((\d{4})(?:-(\d{4}))?年?\)$")


def main_title(title: str) -> str:
    """The title of the whole text a part belongs to: 中华人民共和国民法典·继承编 → 中华人民共和国民法典."""
    return title.split(PART, 1)[0]


def title_key(title: str) -> str:
    """A key under which variants of one title meet: normalised, 年 dropped from a year range.

    >>> title_key("深圳市建设国际消费中心城市行动计划（2019—2021年）") == title_key("深圳市建设国际消费中心城市行动计划(2019-2021)")
    True
    """
    text = normalize_title(title)
    return _YEAR_RANGE_SUFFIX.sub(lambda m: f"({m[1]}-{m[2]})" if m[2] else f"({m[1]})", text)


def family_key(title: str) -> str:
    """The title without a trailing year range: versions of one text share it."""
    return _YEAR_RANGE_SUFFIX.sub("", title_key(title))


def _close_brackets(text: str, opening: str, closing: str) -> str:
    """Close a bracket the writer left open at the end: X（2023-2025年 → X（2023-2025年）."""
    missing = text.count(opening) - text.count(closing)
    return text + closing * missing if missing > 0 else text


def _clean(raw: str) -> str:
    title = _LINE_BREAK.sub("", raw).strip()
    title = _close_brackets(title, "（", "）")
    return _close_brackets(title, "(", ")")


def find_citations(text: str, title: str, exclude: set[str] | None = None) -> list[Citation]:
    """Every other document ``text`` names in 《》, once each, in order of first mention.

    ``exclude`` holds titles that are not citations here (the proposal a reply answers).
    """
    if "《" not in text:
        return []
    skip = {normalize_title(t) for t in exclude or ()}
    skip |= {normalize_title(a) for a in _ALIAS.findall(text)}
    own = normalize_title(title)
    named_by_title = []  # what the title itself cites: 关于适用《中华人民共和国民法典》…的解释
    for m in _QUOTED.finditer(title):
        if _ISSUED.search(title[max(0, m.start() - 4):m.start()]):
            skip.add(normalize_title(m.group(1)))
        else:
            named_by_title.append(normalize_title(m.group(1)))
    found: dict[str, Citation] = {}
    for m in _QUOTED.finditer(text):
        name = _clean(m.group(1))
        key = normalize_title(name)
        if not key or key in skip:
            continue
        repeals = _repealed(text, m.start(), m.end())
        if key in own and not repeals and not any(key in named for named in named_by_title):
            continue  # its own title; unless repealing it: a new version ends the older ones
        after = text[m.end():m.end() + 50]
        number = _NUMBER_AFTER.match(after)
        doc_number = normalize_doc_number(number.group(1)) if number else None
        article = _ARTICLE_AFTER.match(after)
        clause = article.group(1) if article else None
        if key in found:
            old = found[key]
            found[key] = Citation(old.title, old.doc_number or doc_number, clause=old.clause or clause,
                                  repeals=old.repeals or repeals)
            continue
        found[key] = Citation(name, doc_number, clause=clause, repeals=repeals)
    keys = list(found)
    kept = []
    for k in keys:
        full = next((other for other in keys if other != k and k in other), None)
        if full is None or len(k) > _ABBREVIATION_CHARS:
            kept.append(k)
        elif found[k].clause and not found[full].clause:  # 《民法典》第一千一百二十七条 after 《中华人民共和国民法典》
            found[full] = Citation(found[full].title, found[full].doc_number, clause=found[k].clause,
                                   repeals=found[full].repeals)
    return [found[k] for k in kept]


def _repealed(text: str, start: int, end: int) -> bool:
    """Whether the sentence around the citation at ``start:end`` repeals it."""
    before = _SENTENCE_END.split(text[max(0, start - 200):start])[-1]
    after = _SENTENCE_END.split(text[end:end + 200])[0]
    if _LIST_GLUE.sub("", before).endswith("废止"):
        return True
    rest = _LIST_GLUE.sub("", after)
    at = rest.find("废止")
    return 0 <= at <= _REPEAL_WITHIN and rest[at + 2:at + 3] not in ("后", "前", "的")  # 《甲》废止后: a past event
