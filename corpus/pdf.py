"""PDF files with a text layer, read with pdfminer.six.

A PDF holds positioned glyphs, not paragraphs: pdfminer groups them into lines and boxes as
they are laid out, and we keep one line per visual line (headings such as 一、发展目标 stand
on lines of their own in the documents we read), and a blank line between the layout boxes
pdfminer finds, which are about paragraphs. Page-number lines (- 3 -, — 3 —) are dropped.
A scanned PDF has only images: it is reported, not indexed empty.
"""
from __future__ import annotations

import io
import logging
import re

from errors import UnreadableDocument

_PAGE_NUMBER = re.compile(r"^\s*[-－—–―]+\s*\d{1,4}\s*[-－—–―]+\s*$|^\s*第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?\s*$")
_CID = re.compile(r"\(cid:\d+\)")
NO_TEXT_LAYER = "no text layer (scanned?) — run OCR first"


def read_pdf(data: bytes, given: str, encoding: str | None = None) -> tuple[str, dict[str, str]]:
    """The text of every page, in order."""
    if b"%PDF-" not in data[:1024]:
        from corpus.archive import what_instead

        raise UnreadableDocument(given, f"not a PDF file: {what_instead(data)}")
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings on sloppy files are noise to users
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LTTextContainer
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

        try:
            pages = []
            for page in extract_pages(io.BytesIO(data)):
                # a layout box is about a paragraph: a blank line between boxes ends a title block
                pages.append("\n".join(el.get_text() for el in page if isinstance(el, LTTextContainer)))
        except (PDFPasswordIncorrect, PDFEncryptionError):
            raise UnreadableDocument(given, "the PDF is password-protected — remove the password first") from None
    except UnreadableDocument:
        raise
    except Exception as exc:  # noqa: BLE001 — a damaged file can make pdfminer raise anything
        raise UnreadableDocument(given, f"not a readable PDF file: damaged or truncated? ({_describe(exc)})") from None
    if not pages:
        raise UnreadableDocument(given, "not a readable PDF file (no pages)")
    text = "\n".join(pages)
    glyphs_without_unicode = len(_CID.findall(text))
    text = _CID.sub("", text)
    if not text.strip():
        if glyphs_without_unicode:
            raise UnreadableDocument(
                given, "the PDF's fonts do not say which characters they draw (no ToUnicode map) — run OCR first"
            )
        raise UnreadableDocument(given, NO_TEXT_LAYER)
    lines = [line for line in text.split("\n") if not _PAGE_NUMBER.match(line)]
    return "\n".join(lines), {}


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().split("\n")[0][:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
