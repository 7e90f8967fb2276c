"""An answer skeleton as a Word file laid out as Chinese official documents are (GB/T 9704-2012).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; body 仿宋_GB2312 三号 (16 pt) at
a fixed 28.95 pt line pitch (22 lines a page); title 方正小标宋简体 二号 (22 pt) centred; section
headings 黑体 三号; page numbers — 1 — in 宋体 四号. Chinese font names are set on ``w:eastAsia``,
which is what Word reads for CJK text.

Sources are Word comments anchored to the quoted text (python-docx ≥ 1.2), so the letter's own
text stays clean; with ``sources="paragraphs"`` (or an older python-docx) each source is a
bracketed paragraph in the style 来源 instead, which a writer deletes in one go by selecting
the style. Gaps 【待填写：…】 are highlighted yellow; notes to the writer (【参考条款：…】) are in
the style 提示, highlighted grey.
"""
from __future__ import annotations

import io
from typing import Any

from docx import Document as new_document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from errors import UsageError
from search.drafting.letter import PLACEHOLDER, Draft, Line, source_note

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
SOURCE_SIZE = Pt(12)  # 小四
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE_PITCH = Pt(28.95)  # 22 lines on the 225 mm type area
INDENT = Pt(32)  # two characters of 三号
STYLE_TITLE, STYLE_HEADING, STYLE_SOURCE, STYLE_GUIDE = "公文标题", "公文一级标题", "来源", "提示"
SOURCE_MODES = ("comments", "paragraphs")
AUTHOR = "起草助手"


def render_docx(draft: Draft, sources: str = "comments") -> bytes:
    """The skeleton as the bytes of a .docx file."""
    if sources not in SOURCE_MODES:
        raise UsageError(f"sources must be one of {', '.join(SOURCE_MODES)}, got `{sources}`")
    document = new_document()
    use_comments = sources == "comments" and hasattr(document, "add_comment")
    _page(document)
    _styles(document)
    for line in draft.lines():
        paragraph = _paragraph(document, line)
        if line.source is None:
            continue
        if use_comments:
            document.add_comment(paragraph.runs, text=source_note(line), author=AUTHOR, initials="源")
        else:
            note = document.add_paragraph(f"〔{source_note(line)}〕", style=STYLE_SOURCE)
            note.paragraph_format.first_line_indent = INDENT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document: Any) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)  # the page number sits 7 mm below the type area
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in ("— ", None, " —"):
        run = footer.add_run(text or "")
        if text is None:
            _page_field(run)
        _font(run.font, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _page_field(run: Any) -> None:
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def _font(font: Any, name: str, size: Any, bold: bool | None = None) -> None:
    """Set a font for Latin and East Asian text alike (python-docx sets only the Latin names)."""
    font.name = name
    font.size = size
    if bold is not None:
        font.bold = bold
    rpr = font._element.get_or_add_rPr()  # the w:r or w:style the font belongs to
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _styles(document: Any) -> None:
    styles = document.styles
    normal = styles["Normal"]
    _font(normal.font, BODY_FONT, BODY_SIZE)
    _spacing(normal.paragraph_format)

    title = styles.add_style(STYLE_TITLE, WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = normal
    _font(title.font, TITLE_FONT, TITLE_SIZE, bold=False)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = LINE_PITCH  # a blank line under the title

    heading = styles.add_style(STYLE_HEADING, WD_STYLE_TYPE.PARAGRAPH)
    heading.base_style = normal
    _font(heading.font, HEADING_FONT, BODY_SIZE, bold=False)
    heading.paragraph_format.first_line_indent = INDENT
    heading.paragraph_format.keep_with_next = True

    source = styles.add_style(STYLE_SOURCE, WD_STYLE_TYPE.PARAGRAPH)
    source.base_style = normal
    _font(source.font, BODY_FONT, SOURCE_SIZE)
    source.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    source.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    guide = styles.add_style(STYLE_GUIDE, WD_STYLE_TYPE.PARAGRAPH)
    guide.base_style = normal
    guide.paragraph_format.first_line_indent = INDENT


def _spacing(fmt: Any) -> None:
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _paragraph(document: Any, line: Line) -> Any:
    if line.role == "title":
        paragraph = document.add_paragraph(style=STYLE_TITLE)
    elif line.role == "heading":
        paragraph = document.add_paragraph(style=STYLE_HEADING)
    elif line.kind == "guide":
        paragraph = document.add_paragraph(style=STYLE_GUIDE)
    else:
        paragraph = document.add_paragraph()
        fmt = paragraph.paragraph_format
        if line.role == "body":
            fmt.first_line_indent = INDENT
        elif line.role == "signature":
            fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = INDENT
            fmt.space_before = LINE_PITCH * 2  # two blank lines above the signature
        elif line.role == "date":
            fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = INDENT * 2  # 成文日期右空四字
        elif line.role == "meta":
            fmt.first_line_indent = INDENT if line.text.startswith("（") else None
    _runs(paragraph, line)
    return paragraph


def _runs(paragraph: Any, line: Line) -> None:
    """The line's text, with each 【待填写：…】 gap in its own highlighted run."""
    text = " ".join(part.strip() for part in line.text.split("\n")) if line.kind == "clause" else line.text
    if line.kind == "guide":
        paragraph.add_run(text).font.highlight_color = WD_COLOR_INDEX.GRAY_25
        return
    at = 0
    for m in PLACEHOLDER.finditer(text):
        if m.start() > at:
            paragraph.add_run(text[at:m.start()])
        gap = paragraph.add_run(m.group(0))
        gap.font.highlight_color = WD_COLOR_INDEX.YELLOW
        at = m.end()
    if at < len(text):
        paragraph.add_run(text[at:])
