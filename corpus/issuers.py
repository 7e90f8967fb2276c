"""Who issued a document: every body that signs it or that it names as its issuer, lead first.

GB/T 9704 puts the issuers in three places: the 发文机关标志 at the top (a body's name, or
several, or ``…文件``), the title's opening (``甲局 乙局关于…的通知``, ``甲局、乙局转发…``) and the
发文机关署名 above the 成文日期 at the end (one line each, or one line with spaces between).
A government rule names the government that 发布/公布 it in its making line or decree
(corpus.making). Joint issuers are listed in the order written; the first one leads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.dates import find_dates
from corpus.making import Making
from corpus.metadata import ORGAN, PLACE, organ_names

# what may follow a signature's date on its line: 印发, or how the letter is made public (（此件主动公开）)
_SIGNATURE_TAIL = re.compile(r"^[（(]?(?:印发|发布|签发|公布)?[)）]?$|^[（(](?:此件|公开方式)[^（）()]{0,12}[)）]$")
# what a title opens with before its subject: 甲局 乙局关于…, 甲局、乙局转发…, 甲政府印发…
_TITLE_OPENER = re.compile(r"^(.{2,90}?)(?:关于|转发|印发|颁发)")
_HEAD_MARK = re.compile(r"^(.{2,60}?)文件$")
_INTERPRETER = re.compile(r"由([^，。；;\n]{2,40}?)负责(?:解释|说明)")
_RELATIVE = re.compile(r"^[市区县省]")
_DECREE_BODY = re.compile(r"^(.+?)令(?:〔\d{4}〕)?第")
_SIGNERS = 4  # joint issuers sign on up to four lines
_LOOKBACK_CHARS = 400


@dataclass(frozen=True)
class Signature:
    """The signature block: the date standing on its own line and the bodies named just above it."""

    date: str
    issuers: tuple[str, ...] = ()
    printed: bool = False  # the 版记's 印发 line (某市人民政府办公室 2020年3月5日印发): its body prints, not issues

    @property
    def issuer(self) -> str | None:
        return "、".join(self.issuers) or None


def find_signature(text: str) -> Signature | None:
    """The first date that stands on its own line (or after the issuers' names on it).

    The issuers are read from the same line or the lines just above it (up to four bodies,
    one a line); a date line without a body above it still counts, since many replies end
    with the date alone.
    """
    found: Signature | None = None
    for d in find_dates(text):
        line_start = text.rfind("\n", 0, d.start) + 1
        line_end = text.find("\n", d.end)
        pre = text[line_start:d.start].strip()
        post = text[d.end:line_end if line_end != -1 else len(text)].strip()
        if not _SIGNATURE_TAIL.match(post) or pre.endswith(("：", ":")):
            continue
        names = organ_names(pre) if pre else []
        if pre and not names:
            continue
        if not names:
            window = text[max(0, line_start - _LOOKBACK_CHARS):line_start].split("\n")
            above = [ln.strip() for ln in window if ln.strip()]
            block: list[list[str]] = []
            for line in reversed(above[-_SIGNERS:]):
                line_names = organ_names(line)
                if not line_names:
                    break
                block.insert(0, line_names)
            names = [name for line_names in block for name in line_names]
        if names:
            return Signature(d.iso, tuple(names), printed=post.strip("（()）") == "印发")
        found = found or Signature(d.iso)
    return found


def _jurisdiction(title: str, text: str, first: str) -> str | None:
    """The place a relative name (市…, 区…) refers to: the title's place prefix or the text's first."""
    m = re.match(r"^(.{2,40}?)关于", title)
    if m and PLACE.match(m.group(1)) and m.group(1).endswith(first):
        return m.group(1)
    m = re.search(rf"(?:^|[\s：:（(，,])([\u4e00-\u9fff]{{2,3}}{first})(?=[\u4e00-\u9fff])", text[:3000])
    return m.group(1) if m else None


def full_name(name: str, title: str, text: str) -> str:
    """Where the document gives a body's full name, that name: 市工业和信息化局 → 深圳市工业和信息化局.

    A relative name (市…, 区…) takes the full form the document writes as a name of its own
    (a signature or source line), else the place the title opens with (龙岗区关于… → 龙岗区…).
    """
    if not _RELATIVE.match(name):
        return name
    for line in text.split("\n"):
        line = re.sub(r"^[\u4e00-\u9fff]{2,6}\s*[：:]\s*", "", line.strip())
        if len(line) > len(name) and line.endswith(name) and organ_names(line) == [line]:
            return line
    place = _jurisdiction(title, text, name[0])
    return place + name[1:] if place else name


def _clean_name(name: str) -> str:
    name = re.sub(r"[（(][^（）()]*[)）]", "", name).strip()
    return re.split(r"会同|、|，|,", name)[0].strip()


def head_mark(text: str, title: str) -> list[str]:
    """The 发文机关标志 above the title: a line of bodies' names, or ``…文件`` (several lines
    of names for joint issuers). Nothing when the title is not found near the top."""
    names: list[str] = []
    closed = False
    for line in (ln.strip() for ln in text.split("\n")[:40]):
        if not line:
            continue
        if line == title or len(line) > 8 and title.startswith(line):
            return names
        mark = _HEAD_MARK.match(line)
        found = [] if closed else organ_names(mark.group(1) if mark else line)
        if found:
            names.extend(n for n in found if n not in names)
        elif names:
            closed = True
    return []


def title_opener(title: str) -> list[str]:
    """The bodies a title opens with: 甲局 乙局关于… → [甲局, 乙局]."""
    m = _TITLE_OPENER.match(title)
    return organ_names(m.group(1)) if m else []


def find_issuers(text: str, title: str, labelled: dict[str, str], signature: Signature | None,
                 doc_number: str | None = None, made: Making | None = None) -> list[str]:
    """Every body that issued or signed the document, lead first, full names where given.

    In order: the government that made a rule (its making line or decree), the signature
    block, a labelled 信息来源/发布机构, the title's opening, the 印发机关 of the 版记, the body
    of a decree number (深圳市人民政府令第350号), the 发文机关标志 at the top, and last the
    body 负责解释 it.
    The first of these that names a body gives the list; where its lead is a relative name
    (市…), a longer one elsewhere in the document (深圳市…) is taken as its full name.
    """
    candidates: list[list[str]] = []
    if made and made.made.body:
        candidates.append([made.made.body])
    if signature and signature.issuers and not signature.printed:
        candidates.append(list(signature.issuers))
    if labelled.get("issuer"):
        candidates.append(organ_names(labelled["issuer"]))
    candidates.append(title_opener(title))
    if signature and signature.printed:  # the office that printed it, where nothing else names one
        candidates.append(list(signature.issuers))
    m = _DECREE_BODY.match(doc_number or "")
    if m and ORGAN.match(m.group(1)):
        candidates.append([m.group(1)])
    candidates.append(head_mark(text, title))
    m = _INTERPRETER.search(text)
    if m and ORGAN.match(_clean_name(m.group(1))):
        candidates.append([_clean_name(m.group(1))])
    candidates = [c for c in candidates if c]
    if not candidates:
        return []
    best = list(candidates[0])
    longer = [c[0] for c in candidates[1:] if c[0] != best[0] and c[0].endswith(best[0])]
    if longer and _RELATIVE.match(best[0]):
        best[0] = longer[0]
    issuers: list[str] = []
    for name in best:
        name = full_name(name, title, text)
        if name not in issuers:
            issuers.append(name)
    return issuers


def find_issuing_body(text: str, title: str, labelled: dict[str, str], signature: Signature | None,
                      doc_number: str | None = None) -> str | None:
    """The lead issuer (:func:`find_issuers`), or None."""
    issuers = find_issuers(text, title, labelled, signature, doc_number)
    return issuers[0] if issuers else None
