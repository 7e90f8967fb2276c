"""Word .docx files: the body's paragraphs and tables in order, with Word's automatic numbering.

Government documents number their headings with Word's list numbering more often than by
typing 一、 and （一）: the label a reader sees is not in the text but computed from
numbering.xml. We compute it as Word does, so that clause paths work: each level's
``numFmt`` (chineseCounting 一, decimal 1, …) and ``lvlText`` (``%1、``, ``（%2）``, ``%1.%2``),
counters shared by every list instance (``w:num``) of one abstract definition, deeper
levels restarting when a higher one advances, a ``startOverride`` restarting the count
where a list instance first appears. Numbering may come with the paragraph or its style.

Headers, footers, footnotes and comments live in other parts and are not read; deleted
revisions and field codes are skipped; text boxes are not part of the flow either.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from errors import UnreadableDocument

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{%s}" % W
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_LEVELS = 9
# Subtrees whose text is not the paragraph's own.
_SKIP = {_W + "del", _W + "moveFrom", _W + "instrText", _W + "delText", _W + "txbxContent", _MC + "Fallback",
         _W + "footnoteReference", _W + "commentReference", _W + "pPr", _W + "rPr"}


def read_docx(data: bytes, given: str, encoding: str | None = None) -> tuple[str, dict[str, str]]:
    """The text of a .docx file, one line per paragraph and per table row."""
    from corpus.archive import open_zip

    open_zip(data, given, "Word .docx").close()
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        numbering = Numbering(_part_element(document.part, _RT_NUMBERING), _part_element(document.part, _RT_STYLES))
        lines = list(_block_lines(body, numbering))
    except UnreadableDocument:
        raise
    except Exception as exc:  # noqa: BLE001 — a hostile file can make python-docx and lxml raise anything
        raise UnreadableDocument(given, f"not a readable Word .docx file ({_describe(exc)})") from None
    return "\n".join(lines), {}


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().split("\n")[0][:200]
    if "content type" in text and "not a Word file" in text:
        return "the package is not a Word document"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _part_element(part: Any, reltype: str) -> Any:
    try:
        related = part.part_related_by(reltype)
    except KeyError:
        return None
    element = getattr(related, "element", None)
    if element is None:
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        element = etree.fromstring(related.blob, parser)
    return element


def _block_lines(container: Any, numbering: Numbering) -> Any:
    """Lines of the paragraphs and tables in ``container``, in document order (iterative)."""
    stack = [iter(container)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if tag == _W + "p":
            yield _paragraph_line(child, numbering)  # an empty one too: blank lines set a title apart
        elif tag == _W + "tbl":
            for row in child.iter(_W + "tr"):
                if _ancestor_table(row) is not child:
                    continue  # a nested table's row: read as part of its cell
                cells = [" ".join(x for x in _cell_lines(cell, numbering) if x.strip()) for cell in row
                         if cell.tag == _W + "tc"]
                line = " ".join(c for c in cells if c.strip())
                if line:
                    yield line
        elif tag in (_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "moveTo"):
            stack.append(iter(child))


def _ancestor_table(row: Any) -> Any:
    parent = row.getparent()
    while parent is not None and parent.tag != _W + "tbl":
        parent = parent.getparent()
    return parent


def _cell_lines(cell: Any, numbering: Numbering) -> list[str]:
    return list(_block_lines(cell, numbering))


def _paragraph_line(p: Any, numbering: Numbering) -> str:
    if _hidden_paragraph(p):
        return ""
    label, suffix = numbering.label(p)
    return label + suffix + _paragraph_text(p) if label else _paragraph_text(p)


def _hidden_paragraph(p: Any) -> bool:
    mark = p.find(f"{_W}pPr/{_W}rPr/{_W}vanish")
    return mark is not None and p.find(f".//{_W}t") is None


def _paragraph_text(p: Any) -> str:
    """The text a reader sees in one paragraph: runs, hyperlinks, insertions; not deletions or field codes."""
    out: list[str] = []
    stack = [iter(p)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        tag = node.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _W + "t":
            out.append(node.text or "")
        elif tag in (_W + "tab", _W + "ptab"):
            out.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            out.append("\n" if node.get(_W + "type") in (None, "textWrapping") else "")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        elif tag == _W + "p":
            continue  # a paragraph nested in a drawing: not part of this line
        else:
            stack.append(iter(node))
    return "".join(out)


# ---------------------------------------------------------------------------- numbering


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = "tab"
    restart: int | None = None
    legal: bool = False


@dataclass
class _Counter:
    values: list[int | None] = field(default_factory=lambda: [None] * _LEVELS)


class Numbering:
    """Word's list numbering: which paragraphs are numbered and the label each one shows."""

    def __init__(self, numbering: Any, styles: Any) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.abstract_style_levels: dict[str, dict[str, int]] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self.counters: dict[str, _Counter] = {}
        self.seen: set[str] = set()
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    def _read_numbering(self, root: Any) -> None:
        for abstract in root.iter(_W + "abstractNum"):
            aid = abstract.get(_W + "abstractNumId")
            levels: dict[int, _Level] = {}
            style_levels: dict[str, int] = {}
            for lvl in abstract.iter(_W + "lvl"):
                ilvl = _int(lvl.get(_W + "ilvl"), 0)
                levels[ilvl] = _read_level(lvl)
                pstyle = _val(lvl.find(_W + "pStyle"))
                if pstyle:
                    style_levels[pstyle] = ilvl
            self.abstract[aid] = levels
            self.abstract_style_levels[aid] = style_levels
        for num in root.iter(_W + "num"):
            starts: dict[int, int] = {}
            overrides: dict[int, _Level] = {}
            for override in num.iter(_W + "lvlOverride"):
                ilvl = _int(override.get(_W + "ilvl"), 0)
                start = override.find(_W + "startOverride")
                if start is not None:
                    starts[ilvl] = _int(_val(start), 1)
                lvl = override.find(_W + "lvl")
                if lvl is not None:
                    overrides[ilvl] = _read_level(lvl)
            self.nums[num.get(_W + "numId") or ""] = (_val(num.find(_W + "abstractNumId")) or "", starts, overrides)

    def _read_styles(self, root: Any) -> None:
        for style in root.iter(_W + "style"):
            sid = style.get(_W + "styleId")
            if not sid:
                continue
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            num_id = _val(num_pr.find(_W + "numId")) if num_pr is not None else None
            ilvl = _val(num_pr.find(_W + "ilvl")) if num_pr is not None else None
            self.styles[sid] = (num_id, ilvl, _val(style.find(_W + "basedOn")))

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, str | None, str | None]:
        """(numId, ilvl, the style that set them) from a paragraph style or the styles it is based on."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            num_id, ilvl, based_on = self.styles[style_id]
            if num_id is not None:
                return num_id, ilvl, style_id
            style_id = based_on
        return None, None, None

    def label(self, p: Any) -> tuple[str, str]:
        """(label, separator) of a paragraph, e.g. ("（一）", ""), or ("", "") when it is not numbered."""
        if not self.nums:
            return "", ""
        ppr = p.find(_W + "pPr")
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        style_id = _val(ppr.find(_W + "pStyle")) if ppr is not None else None
        num_id = _val(num_pr.find(_W + "numId")) if num_pr is not None else None
        ilvl_raw = _val(num_pr.find(_W + "ilvl")) if num_pr is not None else None
        from_style = None
        if num_id is None:
            num_id, style_ilvl, from_style = self._style_numbering(style_id)
            ilvl_raw = ilvl_raw or style_ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return "", ""
        abstract_id, starts, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id)
        if not levels:
            return "", ""
        if ilvl_raw is None and from_style:
            ilvl = self.abstract_style_levels.get(abstract_id, {}).get(from_style, 0)
        else:
            ilvl = min(max(_int(ilvl_raw, 0), 0), _LEVELS - 1)
        level = overrides.get(ilvl) or levels.get(ilvl) or _Level()
        counter = self.counters.setdefault(abstract_id, _Counter())
        if num_id not in self.seen:
            self.seen.add(num_id)
            for restarted in starts:
                if 0 <= restarted < _LEVELS:
                    counter.values[restarted] = None
        values = counter.values
        start = starts.get(ilvl, level.start)
        values[ilvl] = start if values[ilvl] is None else (values[ilvl] or 0) + 1
        for deeper in range(ilvl + 1, _LEVELS):
            deeper_level = levels.get(deeper)
            if deeper_level is None or deeper_level.restart != 0:
                values[deeper] = None
        if level.fmt == "bullet":
            return "", ""
        label = _render(level, ilvl, values, levels, overrides, starts)
        if not label:
            return "", ""
        suffix = {"space": " ", "nothing": ""}.get(level.suffix, "")
        if level.suffix == "tab" and label[-1].isalnum():
            suffix = " "  # 第一条 / Article 1 and the text apart, as the tab shows them
        return label, suffix


def _render(level: _Level, ilvl: int, values: list[int | None], levels: dict[int, _Level],
            overrides: dict[int, _Level], starts: dict[int, int]) -> str:
    def number(m: re.Match[str]) -> str:
        n = int(m.group(1)) - 1
        if not 0 <= n < _LEVELS:
            return ""
        lvl = overrides.get(n) or levels.get(n) or _Level()
        value = values[n]
        if value is None:
            value = starts.get(n, lvl.start)
        fmt = "decimal" if level.legal else lvl.fmt
        return format_number(value, fmt)

    return re.sub(r"%(\d)", number, level.text)


def _read_level(lvl: Any) -> _Level:
    level = _Level()
    level.fmt = _val(lvl.find(_W + "numFmt")) or "decimal"
    text = lvl.find(_W + "lvlText")
    level.text = (text.get(_W + "val") or "") if text is not None else ""
    level.start = _int(_val(lvl.find(_W + "start")), 1)
    level.suffix = _val(lvl.find(_W + "suff")) or "tab"
    restart = _val(lvl.find(_W + "lvlRestart"))
    level.restart = _int(restart, 1) if restart is not None else None
    level.legal = lvl.find(_W + "isLgl") is not None
    return level


def _val(el: Any) -> str | None:
    return el.get(_W + "val") if el is not None else None


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


# ---------------------------------------------------------------------------- number formats

_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def format_number(n: int, fmt: str) -> str:
    """A list number as Word shows it in a number format (``numFmt``).

    >>> [format_number(n, "chineseCounting") for n in (1, 10, 12, 20, 35)]
    ['一', '十', '十二', '二十', '三十五']
    """
    if fmt == "none":
        return ""
    if n < 0:
        return str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return chinese_counting(n)
    if fmt == "ideographDigital":
        return "".join(_CN_DIGITS[int(d)] for d in str(n)).replace("零", "〇")
    if fmt == "chineseLegalSimplified":
        return chinese_counting(n).translate(str.maketrans(_CN_DIGITS + "十百千", _CN_LEGAL + "拾佰仟"))
    if fmt in ("ideographTraditional", "ideographZodiac"):
        symbols = _TIANGAN if fmt == "ideographTraditional" else _DIZHI
        return symbols[(n - 1) % len(symbols)] if n >= 1 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
    if fmt == "decimalEnclosedParen":
        return _PAREN[n - 1] if 1 <= n <= len(_PAREN) else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return _FULLSTOP[n - 1] if 1 <= n <= len(_FULLSTOP) else f"{n}."
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("lowerLetter", "upperLetter"):
        letter = _letters(n)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.upper() if fmt == "upperRoman" else roman
    return str(n)


def chinese_counting(n: int) -> str:
    """一, 十, 十一, 二十, 一百零五 … as Chinese documents count."""
    if n == 0:
        return "零"
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + _CN_DIGITS[rest] if rest < 10 else
                                     _CN_DIGITS[rest // 10] + "十" + (_CN_DIGITS[rest % 10] if rest % 10 else ""))
        return _CN_DIGITS[n // 100] + "百" + tail
    return str(n)


def _letters(n: int) -> str:
    if n < 1:
        return str(n)
    # Word repeats the letter: a … z, aa … zz
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, symbol in _ROMAN:
        while n >= value:
            out.append(symbol)
            n -= value
    return "".join(out)
