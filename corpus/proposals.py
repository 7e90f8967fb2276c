"""What a new proposal (政协提案) or suggestion (人大建议) asks: its title, number, session,
proposers, and its individual suggestions — the things an answer letter replies to one by one.

A proposal states its particulars in labelled lines (提案号：, 提案人：, 会议：) or in its
title (关于…的提案), argues its case, and then makes its suggestions in one of three forms:

* numbered items: ``一、…`` / ``1.…`` / ``（一）…``, on their own lines or run together in
  one paragraph (建议：1.…；2.…);
* a paragraph of 一是…二是…三是…;
* plain sentences after ``建议：`` (or 建议如下：, 提出以下建议：).

When a heading or phrase announces the suggestions (三、对策建议, 具体建议如下：), only what
follows it is split; numbered parts before it (一、存在的问题) are the argument, not suggestions.
:func:`parse_proposal` is a pure function of the text.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from corpus.numbers import cn_small
from corpus.kinds import classify
from corpus.metadata import extract_title
from corpus.replies import ReplyFields, _names, find_proposal_number, find_session, reply_fields

PROPOSAL, SUGGESTION = "提案", "建议"

_CN = "一二三四五六七八九十"
_HEAD_CHARS = 600
_HEADLINE_CHARS = 60
# Labelled particulars, as proposal forms print them.
_LABEL = re.compile(r"^\s*(?P<key>[\u4e00-\u9fff]{2,6})\s*[：:]\s*(?P<value>[^\n]*)$", re.M)
_TITLE_KEYS = ("标题", "题目", "案由", "提案名称", "建议名称", "提案标题", "建议标题")
_NUMBER_KEYS = ("提案号", "建议号", "议案号", "编号", "案号", "提案编号", "建议编号", "序号")
_LEAD_KEYS = ("提案人", "领衔人", "第一提案人", "建议人", "提出人", "领衔代表", "领衔委员", "代表", "委员")
_CO_KEYS = ("联名人", "附议人", "联名代表", "联名委员", "联名提案人")
_SESSION_KEYS = ("会议", "届次", "会次")
_CASE_KEY = "案由"
_SENTENCE_MARKS = re.compile(r"[，,。；;！!？?]")
_TITLE_LINE = re.compile(r"^《?(关于[^\n]{2,150}?(?:的)?(?:提案|建议|议案))》?\s*$")
_TITLE_START = re.compile(r"^《?关于")
_TITLE_END = re.compile(r"(?:提案|建议|议案)》?$")
_NUMBER_TEXT = re.compile(r"^\s*(?:第\s*)?([A-Za-z]{0,6}\d{2,}(?:-\d+)?)\s*号?\s*$")
_PARENS = re.compile(r"[（(][^（）()]*[)）]")

# What announces the suggestions: a short heading line, or a phrase ending in a colon.
_CUE_HEADING = re.compile(
    rf"^(?:[{_CN}]{{1,3}}[、.．]|[（(][{_CN}]{{1,3}}[)）]|\d{{1,2}}[、.．])?\s*"
    r"(?:[\u4e00-\u9fff]{0,6}?)(?:建议|对策|措施|意见建议|对策建议|几点建议|具体建议|工作建议)"
    r"(?:与对策|和对策|及对策|如下)?\s*[：:。]?\s*$",
    re.M,
)
_CUE_PHRASE = re.compile(r"(?:具体)?(?:建议|提出(?:如下|以下|几点)建议|建议如下|建议如下几点)\s*[：:]")
# Numbered items, by style; the label is group 1.
_STYLES: dict[str, re.Pattern[str]] = {
    "cn": re.compile(rf"(?:^|(?<=[。；;：:\s]))([{_CN}]{{1,3}})\s*[、.．](?!\d)", re.M),
    "pcn": re.compile(rf"(?:^|(?<=[。；;：:\s]))[（(]\s*([{_CN}]{{1,3}})\s*[)）]\s*[、.．]?", re.M),
    "ar": re.compile(r"(?:^|(?<=[。；;：:\s]))(\d{1,2})\s*(?:[、．]|\.(?!\d))(?![年月日%])", re.M),
    "par": re.compile(r"(?:^|(?<=[。；;：:\s]))[（(]\s*(\d{1,2})\s*[)）]\s*[、.．]?", re.M),
}
_ENUMERATED = re.compile(rf"([{_CN}]{{1,3}})是")
_SENTENCE_END = re.compile(r"(?<=[。；;！!？?])")
_HEADLINE_END = re.compile(r"[。；;！!？?\n]")
_LEADING_ASK = re.compile(r"^(?:建议|希望|请|要)(?:[:：，,])?")
_END_OF_SUGGESTIONS = re.compile(
    r"^\s*(?:提案人|领衔人|联名人|附议人|建议人|代表|委员|附件|联系人|联系电话|承办单位)\s*[：:]", re.M
)
_MIN_SUGGESTION = 6


@dataclass(frozen=True)
class Suggestion:
    """One suggestion of a proposal: its label as written (``二``, ``2``, ``(二)``, ``二是``,
    None for a plain sentence), its full text, and its headline — the first sentence, without
    the label and a leading 建议, as an answer quotes it in 一、关于“…”建议的答复."""

    label: str | None
    text: str
    headline: str


@dataclass
class Proposal:
    """A new proposal or suggestion, as its text states it. ``kind`` is 提案 (CPPCC) or 建议
    (people's congress); ``form`` says how the suggestions were written: ``numbered``,
    ``enumerated`` (一是…二是…), ``sentences`` (after 建议：) or ``whole`` (none found: the
    whole text is one suggestion)."""

    text: str
    title: str | None = None
    kind: str = PROPOSAL
    number: str | None = None
    session: str | None = None
    proposers: list[str] = field(default_factory=list)
    cosigners: list[str] = field(default_factory=list)
    and_others: bool = False  # the proposers are named 李明等: the first of several, the rest unnamed
    topic: str | None = None  # the field the title plainly names (时尚产业数字化转型), else None
    suggestions: list[Suggestion] = field(default_factory=list)
    form: str = "whole"

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        del record["text"]
        return record


def parse_proposal(text: str) -> Proposal:
    """Read a proposal's particulars and split its suggestions.

    >>> p = parse_proposal("关于发展夜间经济的提案\\n提案人：王小明\\n建议：一是延长地铁运营时间。二是开放公共停车场。")
    >>> p.title, p.proposers, [s.headline for s in p.suggestions]
    ('关于发展夜间经济的提案', ['王小明'], ['延长地铁运营时间', '开放公共停车场'])
    """
    text = text.replace("\r\n", "\n").strip()
    labels = _labelled(text)
    title = _title(text, labels)
    head = text[:_HEAD_CHARS]
    number = _number(labels, title or "", head)
    session = _labelled_value(labels, _SESSION_KEYS) or find_session(head)
    proposers = _people(labels, _LEAD_KEYS)
    cosigners = [n for n in _people(labels, _CO_KEYS) if n not in proposers]
    and_others = bool(proposers) and _names_others(_labelled_value(labels, _LEAD_KEYS) or "")
    if not (title and number and session and proposers):
        told = _told_by_a_letter(text)
        title, number = title or told.proposal_title, number or told.proposal_number
        if not proposers and told.proposers:
            proposers, and_others = told.proposers, _names_others(_salutation(text))
        session = session or told.session
    body = _body(text, title)
    form, suggestions = split_suggestions(body)
    return Proposal(
        text=text, title=title, kind=_kind(session, number, labels, title, text), number=number,
        session=session, proposers=proposers, cosigners=cosigners, and_others=and_others, topic=title_topic(title),
        suggestions=suggestions, form=form,
    )


def split_suggestions(body: str) -> tuple[str, list[Suggestion]]:
    """(form, suggestions) of the argument-and-suggestions part of a proposal."""
    region, cued = _suggestion_region(body)
    numbered = _numbered(region)
    if numbered:
        return "numbered", numbered
    enumerated = _enumerated(region)
    if enumerated:
        return "enumerated", enumerated
    if cued:
        sentences = [_suggestion(None, s) for s in _sentences(region)]
        if sentences:
            return "sentences", sentences
    whole = body.strip()
    return "whole", ([_suggestion(None, whole)] if whole else [])


# -- particulars -----------------------------------------------------------------------------------
def _labelled(text: str) -> dict[str, str]:
    """Labelled lines of the form 提案人：张三 (the first of each key)."""
    labels: dict[str, str] = {}
    for m in _LABEL.finditer(text[:_HEAD_CHARS * 2]):
        labels.setdefault(m.group("key"), m.group("value").strip())
    for m in _LABEL.finditer(text[-_HEAD_CHARS:]):  # forms that sign at the end
        labels.setdefault(m.group("key"), m.group("value").strip())
    return labels


def _told_by_a_letter(text: str) -> ReplyFields:
    """What a letter about the proposal (an earlier reply to it, 主办意见, 协办意见) says of it in
    its title and salutation — as ``parse`` reads a reply; nothing for any other text."""
    title = extract_title(text)
    if classify(title, text) not in (PROPOSAL + "答复", SUGGESTION + "答复"):
        return ReplyFields()
    return reply_fields(title, text)


def _labelled_value(labels: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if labels.get(key):
            return labels[key]
    return None


def _title(text: str, labels: dict[str, str]) -> str | None:
    """A labelled title (标题：…), else a title line (关于…的提案), else a 案由 that reads as a
    title: forms print the subject under 案由, but many write the case's first sentence there."""
    labelled = _labelled_value(labels, tuple(k for k in _TITLE_KEYS if k != _CASE_KEY))
    if labelled:
        return labelled.strip("《》 ")
    case = labels.get(_CASE_KEY, "").strip("《》 ")
    if case and (_TITLE_LINE.match(case) or not _SENTENCE_MARKS.search(case)):
        return case
    return _title_line(text)


def _title_line(text: str) -> str | None:
    """The title as the text's first lines write it: 关于…的提案 (建议, 议案), maybe broken over lines."""
    lines = [line.strip() for line in text.split("\n")[:12] if line.strip()]
    for i, line in enumerate(lines):
        m = _TITLE_LINE.match(line)
        if m:
            return m.group(1)
        if _TITLE_START.match(line):  # a title broken over two or three lines
            for j in (i + 1, i + 2):
                joined = "".join(lines[i:j + 1])
                if j < len(lines) and _TITLE_END.search(joined) and len(joined) <= 160:
                    return joined.strip("《》")
    return None


def _number(labels: dict[str, str], title: str, head: str) -> str | None:
    labelled = _labelled_value(labels, _NUMBER_KEYS)
    if labelled:
        m = _NUMBER_TEXT.match(labelled)
        if m:
            return m.group(1)
    return find_proposal_number(title, head)


def _people(labels: dict[str, str], keys: tuple[str, ...]) -> list[str]:
    names: list[str] = []
    for key in keys:
        value = labels.get(key)
        if value:
            names += [n for n in _names(_PARENS.sub("", value)) if n not in names]
    return names


_OTHERS = re.compile(r"等\s*(?:\d+\s*[人位名])?\s*(?:委员|代表|同志)?\s*$")
_SALUTATION = re.compile(r"尊敬的([^：:\n]{2,120}?)(?:委员|代表|同志)(?:们)?\s*[：:]")


def _names_others(written: str) -> bool:
    """Whether names are written as the first of several: 李明等, 李明等3人, 张昊等代表."""
    return bool(_OTHERS.search(_PARENS.sub("", written).strip()))


def _salutation(text: str) -> str:
    """Whom a letter addresses, as written: 张昊等 of 尊敬的张昊等代表：."""
    m = _SALUTATION.search(text[:_HEAD_CHARS])
    return m.group(1) if m else ""


def _kind(session: str | None, number: str | None, labels: dict[str, str], title: str | None, text: str) -> str:
    """提案 for the CPPCC, 建议 for a people's congress: by the meeting, the number, the labels,
    then the title (a CPPCC 提案 may be titled 《关于…的建议》, so the title comes last)."""
    if session:
        if "政协" in session or "政治协商" in session:
            return PROPOSAL
        if "人大" in session or "人民代表大会" in session:
            return SUGGESTION
    if number and number.upper().startswith("JY"):
        return SUGGESTION
    if any(k in labels for k in ("提案号", "提案人", "领衔委员", "委员", "提案编号")):
        return PROPOSAL
    if any(k in labels for k in ("建议号", "建议人", "领衔代表", "代表", "建议编号")):
        return SUGGESTION
    head = text[:_HEAD_CHARS]
    if "政协" in head:
        return PROPOSAL
    if "人大" in head or "人民代表大会" in head:
        return SUGGESTION
    if title and title.endswith("建议"):
        return SUGGESTION
    return PROPOSAL


def _body(text: str, title: str | None) -> str:
    """The text without its title and labelled particulars."""
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        m = _LABEL.match(stripped)
        if m and (m.group("key") in _TITLE_KEYS + _NUMBER_KEYS + _LEAD_KEYS + _CO_KEYS + _SESSION_KEYS
                  or m.group("key") in ("界别", "党派", "单位", "联系电话", "联系人", "通讯地址", "承办单位")):
            continue
        lines.append(stripped)
    body = "\n".join(lines).strip()
    if title:
        flat = title.replace("\n", "")
        for candidate in (f"《{flat}》", flat):
            at = body.find(candidate)
            if 0 <= at < 40:
                body = body[at + len(candidate):].lstrip("\n 》")
                break
        else:  # a title broken over lines
            joined = ""
            for k, line in enumerate(body.split("\n")[:3]):
                joined += line
                if joined.strip("《》") == flat:
                    body = "\n".join(body.split("\n")[k + 1:])
                    break
    return body.strip()


_TOPIC_TITLE = re.compile(r"^《?关于(?P<topic>.+?)的?(?:提案|建议|议案)》?$")
# What a title asks done to its topic (加快…, 推动…); at its end a verb names the field itself
# (…融合发展, …数字化转型), anywhere else it says the title asks several things.
_ASKS = ("进一步|高质量|大力|全面|持续|积极|着力|切实|加快|加速|加大|推进|推动|促进|支持|鼓励|加强|强化|做好|完善|"
         "提升|提高|优化|深化|规范|健全|建立|构建|打造|发展|落实|实施|开展|建设|对标|解决|破解|实现|助力|赋能|"
         "改善|保障|设立|出台|制定|引导|培育|扩大|降低|减少|增加|探索|实行|做强|做大|用好|抓好|关于|对于")
_LEADING_ASKS = re.compile(rf"^(?:{_ASKS})+")
_ASK_INSIDE = re.compile(rf"(?:{_ASKS})(?=.)")
_MIN_TOPIC, _MAX_TOPIC = 4, 18


def title_topic(title: str | None) -> str | None:
    """The field of work a proposal's title plainly names, as the letter thanks the proposer
    for caring about it: 关于加快时尚产业数字化转型的提案 → 时尚产业数字化转型. None where the title
    asks several things or none plainly (关于对标全球标杆城市提升深圳时尚消费的提案).

    >>> title_topic("关于加快时尚产业数字化转型的提案"), title_topic("关于推动直播电商与时尚产业融合发展的建议")
    ('时尚产业数字化转型', '直播电商与时尚产业融合发展')
    >>> title_topic("关于对标全球标杆城市提升深圳时尚消费的提案") is None, title_topic("关于加快数字化转型，推动科技赋能时尚产业的建议") is None
    (True, True)
    """
    m = _TOPIC_TITLE.match((title or "").replace("\n", "").strip())
    if not m:
        return None
    topic = _LEADING_ASKS.sub("", m.group("topic"))
    if not (_MIN_TOPIC <= len(topic) <= _MAX_TOPIC) or not re.fullmatch(r"[\u4e00-\u9fff、与和及]+", topic):
        return None
    return None if _ASK_INSIDE.search(topic) else topic


# -- suggestions -----------------------------------------------------------------------------------
def _suggestion_region(body: str) -> tuple[str, bool]:
    """The part of ``body`` that holds the suggestions, and whether something announced it."""
    end = _END_OF_SUGGESTIONS.search(body)
    if end:
        body = body[:end.start()]
    heading = None
    for m in _CUE_HEADING.finditer(body):
        if len(m.group(0).strip()) <= 16:
            heading = m  # the last such heading: 二、存在的问题 may mention 建议 less often than 三、对策建议
    if heading:
        region = body[heading.end():]
        style = _style_of(heading.group(0))
        if style:  # a numbered heading: its section ends at the next heading of its style
            value = _value(_STYLES[style].match(heading.group(0).strip()).group(1))  # type: ignore[union-attr]
            for m in _STYLES[style].finditer(region):
                if _value(m.group(1)) == value + 1 and (m.start() == 0 or region[m.start() - 1] == "\n"):
                    region = region[:m.start()]
                    break
        return region.strip(), True
    phrase = None
    for m in _CUE_PHRASE.finditer(body):
        phrase = m
    if phrase:
        return body[phrase.end():].strip(), True
    return body, False


def _style_of(line: str) -> str | None:
    line = line.strip()
    for style, pattern in _STYLES.items():
        m = pattern.match(line)
        if m and m.start() == 0:
            return style
    return None


def _value(label: str) -> int:
    return int(label) if label.isdigit() else (cn_small(label) or 0)


def _numbered(region: str) -> list[Suggestion]:
    """Items numbered 1, 2, 3… in the style that starts first (the top level of the region)."""
    best: list[re.Match[str]] = []
    for pattern in _STYLES.values():
        run: list[re.Match[str]] = []
        for m in pattern.finditer(region):
            value = _value(m.group(1))
            if not run and value == 1:
                run = [m]
            elif run and value == _value(run[-1].group(1)) + 1:
                run.append(m)
            elif run and value == 1:
                break  # a second list restarts: sub-items of some later part
        if len(run) >= 2 and (not best or run[0].start() < best[0].start()):
            best = run
    items = []
    for k, m in enumerate(best):
        end = best[k + 1].start() if k + 1 < len(best) else len(region)
        label = m.group(0).strip().rstrip("、.．").strip()
        label = re.sub(r"[（(]\s*", "(", re.sub(r"\s*[)）]", ")", label))
        items.append(_suggestion(label, region[m.end():end]))
    return [s for s in items if s.text]


def _enumerated(region: str) -> list[Suggestion]:
    """一是…二是…三是…, counted from 一."""
    run: list[re.Match[str]] = []
    for m in _ENUMERATED.finditer(region):
        value = cn_small(m.group(1)) or 0
        if (not run and value == 1) or (run and value == cn_small(run[-1].group(1) or "") + 1):  # type: ignore[operator]
            run.append(m)
    if len(run) < 2:
        return []
    items = []
    for k, m in enumerate(run):
        end = run[k + 1].start() if k + 1 < len(run) else len(region)
        items.append(_suggestion(m.group(0), region[m.end():end]))
    return [s for s in items if s.text]


def _sentences(region: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(region.replace("\n", "")) if len(s.strip()) >= _MIN_SUGGESTION]


def _suggestion(label: str | None, text: str) -> Suggestion:
    text = re.sub(r"\s*\n\s*", "", text).strip().lstrip("：:，,、")
    first = _HEADLINE_END.split(text, maxsplit=1)[0]
    headline = _LEADING_ASK.sub("", first.strip()).strip("，,：: ")
    if len(headline) > _HEADLINE_CHARS:
        cut = headline.find("，", 8)
        headline = headline[:cut] if 0 < cut <= _HEADLINE_CHARS else headline[:_HEADLINE_CHARS]
    return Suggestion(label, text.rstrip("；;"), headline)


def read_proposal(given: str, encoding: str | None = None) -> str:
    """The text of a proposal file (.txt .md .docx .html .pdf), read and cleaned as any document.

    ``encoding`` is the user's, for a text file that detection reads wrongly. Raises
    :class:`~errors.UnreadableDocument` naming the file and the reason.
    """
    from pathlib import Path

    from errors import UnreadableDocument
    from corpus.readers import Format, read_file

    fmt = Format.for_path(Path(given))
    if fmt is not None and fmt.is_table:
        raise UnreadableDocument(given, "a proposal is one document — give a .txt, .md, .docx, .html or .pdf file")
    return read_file(given, Path(given), encoding=encoding)[0].text
