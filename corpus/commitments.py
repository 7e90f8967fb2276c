"""What a reply promises: each commitment with its committing body, deadline and clause.

A reply to a proposal, a suggestion or a citizen's message states what its issuer will do in
two forms:

* a section headed 下一步工作 / 下一步工作计划 / 下一步打算 / 今后工作: each of its items
  (（一）…, 一是…, or, in a section without items, each sentence) is one commitment;
* sentences anywhere else whose subject is the issuer or a body it names and whose verb is
  future: 我局将…, 市商务局将…, 下一步，将…, 我们会…, 拟…, 争取…, 力争到2024年….

Not commitments: courtesies (感谢您对…的关心, 欢迎继续监督), promises to report back to
the writer (处理情况会向您反馈), forecasts about things (公交线路将会日趋完善) and the
preposition 将 (将您的户口迁入…). A deadline is read from the commitment's text relative to
the reply's date (2024年底前, 9月底前, 年内, 三年内); a date that does not exist (2月30日) or
lies before the reply's own date is no deadline. :func:`find_commitments` is a pure function.
"""
from __future__ import annotations

import calendar
import re
from datetime import date

from corpus.clauses import ClauseSpan, clause_at
from corpus.model import Commitment
from corpus.numbers import cn_small, fold_width

MAX_CHARS = 400  # one commitment is an item or a sentence; a longer one is cut at a sentence end

_CN = "一二三四五六七八九十"
_SECTION_NAME = (
    r"(?:下一步|下步|下阶段|今后)(?:的)?(?:工作)?(?:计划|安排|打算|措施|思路|方向|重点)?"
)
_SECTION = re.compile(
    rf"(?:^|(?<=[\n。；]))[ \t\u3000]*(?:[{_CN}]{{1,3}}[、.．]|[（(][{_CN}]{{1,3}}[)）]|\d{{1,2}}[、.．])"
    rf"[ \t\u3000]*{_SECTION_NAME}[ \t\u3000]*[：:。]?"
)
_NEXT_HEADING = re.compile(
    rf"(?:^|(?<=[\n。；]))[ \t\u3000]*(?:[{_CN}]{{1,3}}[、.．])"
)
_CLOSING = re.compile(
    r"(?:^|(?<=[\n。；！!]))[ \t\u3000]*(?:特此|专此|此复|再次感谢|感谢|衷心感谢|谢谢|欢迎|敬请|联系人|附件)"
)
_ENUMERATED = re.compile(rf"(?:^|(?<=[：:。；;\s]))([{_CN}]{{1,3}})是")
_ITEM = re.compile(
    rf"(?:^|(?<=\n))[ \t\u3000]*(?:[（(][{_CN}\d]{{1,3}}[)）]|\d{{1,2}}[、.．](?!\d)|[{_CN}]{{1,3}}[、.．])"
)
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！!？?]")

# A future verb, with what may stand between the subject and it.
_CUE = re.compile(
    r"(?<![即必终])(?:将要|将会|将|(?<![委协议大全社学工商集机理都])会(?![议同商签计员场所谈见期务诊])|拟(?![定稿])"
    r"|计划(?=[于在到将从对把向年今明\d])|争取|力争|准备(?=[于在对将])|打算)"
)
_PREPOSITION_OBJECT = re.compile(
    r"^(?:[“\"「]|您|你|其|该|此|这|那|本|上述|所|有关|相关|具体|调查|核查|处理|办理|情况|本人|我们的|我局|全部|部分|"
    r"[\d一二三四五六七八九十两]+[个名台辆家条项人户])"
)
# 将 + object + a verb that disposes of it: 将活动地址定在该小区, 将车辆停放在广场.
_DISPOSAL = re.compile(
    r"^[^，。；,;]{1,16}?(?:定在|定为|纳入|列入|作为|交由|交给|转交|转给|移交|改为|调整为|设为|提交|报送|转为|送至|"
    r"送交|迁入|迁出|停放|张贴|公示于|[打建改扩编变]成|成为)"
)
_OBJECT_WORD = re.compile(r"^(?:[他她它每各][^\u4e00-\u9fff]?|[\d一二三四五六七八九十两几]+[个名台辆家条项户位间次栋套])")
_NOT_FUTURE_AFTER = re.compile(r"^(?:来|近|于\d{4}年?\d)")
# Words a subject may carry that say when or on what condition, not who.
_LEAD_WORDS = re.compile(
    r"^(?:下一步|下步|下阶段|下一阶段|今后|近期|近日|日后|此后|届时|同时|此外|另外|目前|现|今年|明年|年内|"
    r"在此期间|在下步工作中|在今后的工作中|在下一步工作中|[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[)）]|"
    r"\d{4}年|并|且|还|也|亦|均|都|又|已|现已|正|正在|已经|继续|进一步)+"
)
_TRAIL_WORDS = re.compile(r"(?:也|还|亦|均|都|又|已|已经|正|正在|今后|仍|必|一定|继续|进一步)+$")
_PRONOUN = re.compile(
    r"^(?:我们|我局|我委|我办|我厅|我部|我院|我处|我科|我室|我中心|我单位|我部门|我司|我公司|我校|我所|我站|"
    r"我队|我支队|我大队|我会|我区|我市|我县|我镇|我乡|我街道|我省|本局|本委|本办|本单位|本公司|本院)$"
)
_ORGAN_END = (
    r"(?:局|委员会|委|办公室|办|厅|部|院|中心|政府|人民政府|公司|机关|大队|支队|中队|派出所|所|站|街道|街道办|社区|"
    r"学校|集团|协会|银行|信用社|管委会|单位|部门|职能部门|队|处|科|镇|乡|区|县|市|省|村委会|居委会|财政)"
)
_ORGAN = re.compile(
    rf"^(?:[\u4e00-\u9fffA-Za-z0-9]{{0,16}}?{_ORGAN_END})(?:[、和及与][\u4e00-\u9fffA-Za-z0-9]{{0,16}}?{_ORGAN_END})*$"
)
_ORGAN_IN = re.compile(rf"[\u4e00-\u9fffA-Za-z0-9]{{1,16}}?{_ORGAN_END}")
_THING_END = re.compile(r"(?:产业|小镇|的)$")
_COURTESY = re.compile(
    r"感谢|谢谢|欢迎|敬请|恳请|致歉|抱歉|监督|热忱|为您服务|继续努力|一如既往|关心|关注和支持|理解和支持|支持和理解"
)
_REPORT_BACK = re.compile(r"(?:回复|答复|反馈|告知|回访)(?:您|你)?[。！!]?$|向您(?:反馈|回复|答复|告知)|及时回复|第一时间回复")
_FORMULA = re.compile(r"[^，,：:。]*(?:如下|收悉|感谢|谢谢|您好|你好)[^，,：:。]*[，,：:！!]")
_NOT_ACTION = re.compile(r"^(?:现将|特将|今将|兹将)")

# Deadlines
_FULL_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]")
_YEAR_MONTH = re.compile(r"(\d{4})年(\d{1,2})月(?:份)?(?:底|末|前|之前|以前|内)?")
_YEAR_PART = re.compile(r"(?:到|至|于|在|力争|争取|确保)?(\d{4})年(?:年)?(上半年|年中|下半年|年底|年末|底|末|内|前|之前|以前)?")
_THIS_YEAR = re.compile(r"(?<![\d年一二三四五六七八九十两个半])(今年|本年度|年内|年底前|年底|年末)(?:(\d{1,2})月(?:(\d{1,2})[日号])?(?:底|末)?)?")
_MONTH_DAY = re.compile(r"(?<![年\d])(\d{1,2})月(?:(\d{1,2})[日号]|底|末|份)?(?:前|之前|以前|底前)")
_NEXT_YEAR = re.compile(r"明年(?:(\d{1,2})月(?:底|末)?)?")
_WITHIN = re.compile(rf"([\d{_CN}两]{{1,3}})(?:个)?(年|个月|月)(?:内|之内|以内)")


def find_commitments(text: str, spans: list[ClauseSpan], issuer: str | None,
                     reply_date: str | None) -> list[Commitment]:
    """Every commitment of a reply's text, in order; none when it promises nothing."""
    folded = fold_width(text)
    found: list[tuple[int, Commitment]] = []
    sections = _sections(folded)
    for start, end in sections:
        for offset, item in _section_items(folded, start, end):
            if _COURTESY.search(item) and not _CUE.search(item) or _REPORT_BACK.search(item):
                continue
            body = _named_body(item) or issuer
            found.append((offset, _commitment(item, body, clause_at(spans, offset), reply_date, "section")))
    for m in _SENTENCE.finditer(folded):
        if any(start <= m.start() < end for start, end in sections):
            continue
        hit = _sentence_commitment(m.group(0), issuer)
        if hit:
            part, body = hit
            offset = m.start() + m.group(0).find(part)
            found.append((offset, _commitment(part, body, clause_at(spans, offset), reply_date, "sentence")))
    found.sort(key=lambda pair: pair[0])
    return [c for _, c in found]


def _commitment(text: str, body: str | None, clause: str | None, reply_date: str | None,
                found_in: str) -> Commitment:
    text = _shorten(text.strip())
    deadline, said = find_deadline(text, reply_date)
    return Commitment(text=text, body=body, clause=clause, deadline=deadline, deadline_text=said, found_in=found_in)


def _shorten(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    cut = max(text.rfind(mark, 0, MAX_CHARS) for mark in "。；;！？")
    return text[: cut + 1] if cut > MAX_CHARS // 4 else text[:MAX_CHARS] + "…"


# --- sections ------------------------------------------------------------------------------

def _sections(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each 下一步 section's body: from its heading to the next heading of
    the same style, a closing formula (特此回复, 感谢…) or the end."""
    spans = []
    for m in _SECTION.finditer(text):
        end = len(text)
        for pattern in (_NEXT_HEADING, _CLOSING):
            nxt = pattern.search(text, m.end())
            if nxt:
                end = min(end, nxt.start())
        spans.append((m.end(), end))
    return spans


def _section_items(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """The items of a section: numbered lines, else 一是…二是…, else its sentences (an item
    longer than :data:`MAX_CHARS` is cut at a sentence end)."""
    body = text[start:end]
    items = _split_at(body, list(_ITEM.finditer(body)))
    if len(items) < 2:
        items = _split_at(body, list(_ENUMERATED.finditer(body)))
    if len(items) < 2:
        items = [(m.start(), m.group(0)) for m in _SENTENCE.finditer(body)]
    out = []
    for offset, item in items:
        item = item.strip(" \t\u3000\n")
        if len(item) >= 6 and not _preamble(item):
            out.append((start + offset, item))
    return out


def _split_at(body: str, marks: list[re.Match[str]]) -> list[tuple[int, str]]:
    """The parts of ``body`` from each mark to the next; what stands before the first mark is
    an introduction (我局高度重视…具体将在以下几个方面推动：), not an item."""
    if len(marks) < 2:
        return []
    bounds = [m.start() for m in marks] + [len(body)]
    return [(bounds[i], body[bounds[i]:bounds[i + 1]]) for i in range(len(marks))]


def _preamble(item: str) -> bool:
    """Whether a section's sentence says how the reply was handled, not what will be done."""
    return bool(re.match(r"^(?:我局|我们|我委|我办|我单位)?(?:高度重视|非常重视|十分重视)", item)) \
        and not _CUE.search(item)


# --- sentences -----------------------------------------------------------------------------

def _sentence_commitment(sentence: str, issuer: str | None) -> tuple[str, str | None] | None:
    """The commitment a sentence makes and who makes it: the sentence from its first clause
    that is not a formula or a courtesy (现将有关情况回复如下：, 感谢您的关注，) to the courtesy
    that may close it."""
    for cue in _CUE.finditer(sentence):
        if _in_quotes(sentence, cue.start()) or not _future(sentence, cue):
            continue
        clause_start = _clause_start(sentence, cue.start())
        subject = _subject(sentence[clause_start:cue.start()])
        if subject is None or _NOT_ACTION.match(sentence[clause_start:]):
            continue
        action = _up_to_courtesy(sentence[cue.start():])
        if _COURTESY.search(action[:40]) or _REPORT_BACK.search(action):
            return None
        lead = [m.end() for m in _FORMULA.finditer(sentence, 0, clause_start)]
        part = sentence[lead[-1] if lead else 0:cue.start()] + action
        if len(part.strip()) < 8:
            return None
        body = issuer if subject == "" or _PRONOUN.match(subject) else subject
        return part.strip(), body
    return None


def _future(sentence: str, cue: re.Match[str]) -> bool:
    """Whether the cue is a future verb: 将 followed by a verb or adverb, not by its object."""
    word = cue.group(0)
    after = sentence[cue.end():cue.end() + 20]
    if word == "将":
        return not _PREPOSITION_OBJECT.match(after) and not _NOT_FUTURE_AFTER.match(after) and \
            _verb_follows(after)
    return True


def _verb_follows(after: str) -> bool:
    """Whether what follows 将 is an action, not its object: 将尽快组织… vs 将活动地址定在…."""
    return not _DISPOSAL.match(after) and not _OBJECT_WORD.match(after)


def _clause_start(sentence: str, at: int) -> int:
    """Where the clause holding ``at`` starts: after the last comma, colon or stop before it."""
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, at)]
    return starts[-1] if starts else 0


def _subject(span: str) -> str | None:
    """The committing subject before a cue: '' when there is none (下一步，将…), a pronoun or
    a body's name; None when the subject is a thing or a person (公交线路将会…, 周某表示今后会…)."""
    span = re.sub(r"\s+", "", span)
    span = _LEAD_WORDS.sub("", span)
    span = _TRAIL_WORDS.sub("", span)
    if span == "":
        return ""
    if _PRONOUN.match(span):
        return span
    if _ORGAN.match(span) and not _THING_END.search(span):
        return span
    return None


def _named_body(item: str) -> str | None:
    """A body an item names as its subject (市商务局将…), or None for the reply's issuer."""
    cue = _CUE.search(item)
    if not cue:
        return None
    subject = _subject(item[_clause_start(item, cue.start()):cue.start()])
    return subject if subject and not _PRONOUN.match(subject) else None


def _up_to_courtesy(action: str) -> str:
    """A commitment without the courtesy that closes its sentence (…，感谢您的宝贵意见)."""
    for m in _CLAUSE_BREAK.finditer(action):
        if re.match(r"\s*[并也]?(?:再次)?(?:感谢|谢谢|欢迎|敬请)", action[m.end():]):
            return action[: m.start()] + "。"
    return action


def _in_quotes(sentence: str, at: int) -> bool:
    before = sentence[:at]
    return before.count("“") > before.count("”") or before.count("「") > before.count("」")


# --- deadlines -----------------------------------------------------------------------------

def find_deadline(text: str, reply_date: str | None) -> tuple[str | None, str | None]:
    """The deadline a commitment states, as (ISO date, the words), or (None, None).

    A date that does not exist, or one before the reply's date, is no deadline; words relative
    to the reply (年内, 9月底前, 三年内) need the reply's date."""
    folded = fold_width(text)
    base = _iso(reply_date)
    for find in (_full_date, _year_month, _within, _this_year, _month_day, _next_year, _year_part):
        hit = find(folded, base)
        if hit is False:  # a date was written but does not exist: no deadline at all
            return None, None
        if hit:
            day, said = hit
            if base and day < base:
                return None, None
            return day.isoformat(), said
    return None, None


_Hit = "tuple[date, str] | None | bool"


def _full_date(text: str, base: date | None):  # type: ignore[no-untyped-def]
    for m in _FULL_DATE.finditer(text):
        if not _deadline_context(text, m):
            continue
        day = _day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return (day, m.group(0)) if day else False
    return None


def _year_month(text: str, base: date | None):  # type: ignore[no-untyped-def]
    for m in _YEAR_MONTH.finditer(text):
        if text[m.end():m.end() + 1].isdigit() or not _deadline_context(text, m):
            continue
        month = int(m.group(2))
        if not 1 <= month <= 12:
            return False
        year = int(m.group(1))
        return date(year, month, calendar.monthrange(year, month)[1]), m.group(0)
    return None


def _year_part(text: str, base: date | None):  # type: ignore[no-untyped-def]
    for m in _YEAR_PART.finditer(text):
        lead = text[:m.start()]
        marked = m.group(0)[:1] in "到至于在力争确" or m.group(2)
        at_start = re.fullmatch(r"[\s一二三四五六七八九十是、（()）\d.．]*", lead) is not None or (
            lead[-1:] in "，,；;：:" and re.match(r"[^，。]{0,6}?(?:出台|完成|建成|实现|启动|开通|印发|制定)", text[m.end():]))
        if not (marked or at_start) or text[m.end():m.end() + 2] in ("以来", "起，") or text[m.end():m.end() + 1] == "度":
            continue
        year = int(m.group(1))
        part = m.group(2) or ""
        month = 6 if part in ("上半年", "年中") else 12
        return date(year, month, 30 if month == 6 else 31), m.group(0)
    return None


def _this_year(text: str, base: date | None):  # type: ignore[no-untyped-def]
    m = _THIS_YEAR.search(text)
    if not m or not base:
        return None
    return _in_year(base.year, m.group(2), m.group(3), m.group(0))


def _month_day(text: str, base: date | None):  # type: ignore[no-untyped-def]
    m = _MONTH_DAY.search(text)
    if not m or not base:
        return None
    return _in_year(base.year, m.group(1), m.group(2), m.group(0))


def _in_year(year: int, month_text: str | None, day_text: str | None, said: str):  # type: ignore[no-untyped-def]
    """The day a month (its last day; December where none is named) and day of ``year`` name, with
    what was said; False where they name no real day."""
    month = int(month_text) if month_text else 12
    if not 1 <= month <= 12:
        return False
    if day_text:
        day = _day(year, month, int(day_text))
        return (day, said) if day else False
    return date(year, month, calendar.monthrange(year, month)[1]), said


def _next_year(text: str, base: date | None):  # type: ignore[no-untyped-def]
    m = _NEXT_YEAR.search(text)
    if not m or not base:
        return None
    month = int(m.group(1)) if m.group(1) else 12
    if not 1 <= month <= 12:
        return False
    return date(base.year + 1, month, calendar.monthrange(base.year + 1, month)[1]), m.group(0)


def _within(text: str, base: date | None):  # type: ignore[no-untyped-def]
    m = _WITHIN.search(text)
    if not m or not base:
        return None
    raw = m.group(1)
    count = int(raw) if raw.isdigit() else cn_small(raw.replace("两", "二"))
    if not count:
        return None
    months = count * 12 if m.group(2) == "年" else count
    year, month = divmod(base.month - 1 + months, 12)
    year, month = base.year + year, month + 1
    return date(year, month, min(base.day, calendar.monthrange(year, month)[1])), m.group(0)


def _deadline_context(text: str, m: re.Match[str]) -> bool:
    """A date is a deadline when words around it say so: 前, 底, 完成, 到, 于, 力争…."""
    before, after = text[max(0, m.start() - 4):m.start()], text[m.end():m.end() + 6]
    return bool(re.search(r"到|至|于|在|力争|争取|确保|计划|预计|拟", before)
                or re.match(r"(?:底|末)?(?:前|之前|以前|内|完成|建成|开工|竣工|开通|启动|实施|投入|上线|出台|印发)", after))


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
