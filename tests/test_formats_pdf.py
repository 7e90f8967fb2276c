"""PDF files with a text layer, written by hand here (a few hundred bytes of PDF syntax each).

Latin text uses the standard Type1 font Helvetica; Chinese text uses the Adobe-GB1 CID font
STSong-Light with the predefined UniGB-UCS2-H encoding, whose codes are the characters' UCS-2
values, so no font file is embedded and pdfminer maps the glyphs back to Unicode.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus import parse_file
from corpus.readers import Format, read_file
from errors import UnreadableDocument


def build_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF file of ``objects`` (numbered from 1; object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


LATIN_FONT = [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
CHINESE_FONT = [
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [%d 0 R] >>",
    b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor %d 0 R >>",
    b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] "
    b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
]


def text_pdf(pages: list[list[str]], chinese: bool = False, trailer_extra: bytes = b"") -> bytes:
    """A PDF whose pages show ``pages`` (lists of lines), one line under the other."""
    n = len(pages)
    font_id = 3 + 2 * n  # catalog, pages, then a page and a content stream per page, then the font
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n)), n),
    ]
    for i, lines in enumerate(pages):
        if chinese:
            shows = b"".join(b"<%s> Tj 0 -24 Td\n" % line.encode("utf-16-be").hex().encode() for line in lines)
        else:
            shows = b"".join(b"(%s) Tj 0 -24 Td\n" % line.encode("latin-1") for line in lines)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font_id, 4 + 2 * i))
        objects.append(stream(b"BT /F1 12 Tf 72 760 Td\n" + shows + b"ET"))
    if chinese:
        objects += [CHINESE_FONT[0] % (font_id + 1), CHINESE_FONT[1] % (font_id + 2), CHINESE_FONT[2]]
    else:
        objects += LATIN_FONT
    return build_pdf(objects, trailer_extra)


def scanned_pdf() -> bytes:
    """One page showing a (1×1 pixel) image and no text: what a scanner makes."""
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
        stream(b"\x80", b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 "),
    ])


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_text(path: Path) -> str:
    [source] = read_file(str(path), path)
    assert source.format is Format.PDF
    return source.text


def error_of(path: Path) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        read_file(str(path), path)
    assert caught.value.source == str(path)
    return caught.value.reason


def test_latin_text_layer(tmp_path):
    path = write(tmp_path, "notice.pdf", text_pdf([["Notice on the 2021 night economy", "1. Dates: July to October."]]))
    assert read_text(path) == "Notice on the 2021 night economy\n\n1. Dates: July to October."


CHINESE_PAGES = [
    ["深圳市时尚产业高质量发展行动计划", "一、发展目标", "到2022年，时尚产业规模不断壮大。", "- 1 -"],
    ["二、重点任务", "（一）建设创意设计平台", "1.支持建设公共服务平台，给予最高不超过500万元资助。",
     "深圳市工业和信息化局", "2020年3月10日", "- 2 -"],
]


def test_chinese_text_layer_over_two_pages_without_page_numbers(tmp_path):
    path = write(tmp_path, "plan.pdf", text_pdf(CHINESE_PAGES, chinese=True))
    lines = [line for line in read_text(path).split("\n") if line]
    assert lines == [line for page in CHINESE_PAGES for line in page if not line.startswith("- ")]


def test_a_pdf_parses_into_clauses_and_metadata(tmp_path):
    result = parse_file(str(write(tmp_path, "plan.pdf", text_pdf(CHINESE_PAGES, chinese=True))))
    [doc] = result.documents
    assert (doc.title, doc.doc_type, doc.date, doc.issuing_body) == (
        "深圳市时尚产业高质量发展行动计划", "行动计划", "2020-03-10", "深圳市工业和信息化局",
    )
    assert [c.path for c in doc.clauses] == ["一", "二", "二/(一)", "二/(一)/1"]
    assert [(a.clause, a.yuan, a.kind) for a in doc.amounts] == [("二/(一)/1", 5000000, "cap")]


def test_a_scanned_pdf_says_to_run_ocr(tmp_path):
    assert error_of(write(tmp_path, "scan.pdf", scanned_pdf())) == "no text layer (scanned?) — run OCR first"


def test_a_password_protected_pdf(tmp_path):
    encrypt = (b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >> "
               b"/ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] ")
    path = write(tmp_path, "secret.pdf", text_pdf([["Secret"]], trailer_extra=encrypt))
    assert error_of(path) == "the PDF is password-protected — remove the password first"


@pytest.mark.parametrize("cut", [40, 300])
def test_a_truncated_pdf(tmp_path, cut):
    path = write(tmp_path, "cut.pdf", text_pdf(CHINESE_PAGES, chinese=True)[:cut])
    assert error_of(path) == "not a readable PDF file: damaged or truncated? (PSEOF: Unexpected EOF)"


@pytest.mark.parametrize("data, reason", [
    ("关于开展消费季活动的通知".encode("utf-8"), "not a PDF file: it is plain text with the wrong extension"),
    (b"PK\x03\x04" + bytes(100), "not a PDF file: it is a zip archive (a .docx or .xlsx file under another name?)"),
    (b"", "not a PDF file: the file is empty"),
])
def test_a_file_that_is_no_pdf(tmp_path, data, reason):
    assert error_of(write(tmp_path, "fake.pdf", data)) == reason
