"""Property-based tests: whatever bytes or text a file holds, every reader gives source texts
or one of our own errors (a PolicySearchError), never a library's exception or a traceback.

READER_EXAMPLES=1000 runs each property on more examples than the default 60.
"""
from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from corpus import parse_file
from corpus.clean import clean_text
from corpus.readers import SUPPORTED_EXTENSIONS, parse_columns, read_file
from errors import PolicySearchError

SETTINGS = settings(max_examples=int(os.environ.get("READER_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
FOLDER = Path(tempfile.mkdtemp(prefix="reader-properties-"))
COLUMNS = parse_columns("id=id,body=body")


def read_any(name: str, data: bytes) -> list:
    """Read ``data`` as a file called ``name``: source texts, or [] when one of our errors came out."""
    path = FOLDER / name
    path.write_bytes(data)
    try:
        return read_file(str(path), path, COLUMNS)
    except PolicySearchError:
        return []


def valid_samples() -> dict[str, bytes]:
    """One good file of each binary format, to mutate."""
    from docx import Document
    from openpyxl import Workbook

    from test_formats_pdf import CHINESE_PAGES, text_pdf

    doc = Document()
    doc.add_paragraph("一、发展目标")
    doc.add_table(rows=1, cols=2).cell(0, 0).text = "资助"
    docx_out = io.BytesIO()
    doc.save(docx_out)
    workbook = Workbook()
    workbook.active.append(["id", "body"])
    workbook.active.append([1, "已办理。"])
    xlsx_out = io.BytesIO()
    workbook.save(xlsx_out)
    return {
        ".docx": docx_out.getvalue(),
        ".xlsx": xlsx_out.getvalue(),
        ".pdf": text_pdf(CHINESE_PAGES, chinese=True),
        ".html": "<html><head><meta charset='gbk'><meta name='PubDate' content='2020-03-10'></head><body>"
                 "<div class='TRS_Editor'><p><span>一、</span>目标</p></div></body></html>".encode("gbk"),
    }


SAMPLES = valid_samples()


@pytest.mark.parametrize("extension", SUPPORTED_EXTENSIONS)
@SETTINGS
@given(data=st.binary(max_size=4096))
@example(data=b"")
@example(data=b"PK\x03\x04")
@example(data=b"%PDF-1.4\n")
@example(data=b"\xef\xbb\xbf")
@example(data=b"\xff\xfe\x00\x00")
def test_random_bytes(extension, data):
    read_any("random" + extension, data)


@pytest.mark.parametrize("extension", SUPPORTED_EXTENSIONS)
@SETTINGS
@given(text=st.text(max_size=400))
def test_random_text(extension, text):
    read_any("text" + extension, text.encode("utf-8"))


@pytest.mark.parametrize("extension", sorted(SAMPLES))
@SETTINGS
@given(data=st.data())
def test_damaged_files(extension, data):
    original = SAMPLES[extension]
    damaged = bytearray(original)
    for position, value in data.draw(st.lists(st.tuples(st.integers(0, len(original) - 1), st.integers(0, 255)),
                                              max_size=8), label="flips"):
        damaged[position] = value
    cut = data.draw(st.integers(0, len(original)), label="cut")
    read_any("damaged" + extension, bytes(damaged[:cut]) if data.draw(st.booleans(), label="truncate") else bytes(damaged))


TAGS = ["p", "div", "span", "br", "table", "tr", "td", "a", "h1", "script", "nav", "li", "b", "font", "article"]


@SETTINGS
@given(st.recursive(
    st.text(alphabet="一二、（）1.时尚产业发展目标：\n <&>", max_size=12),
    lambda inner: st.builds(lambda tag, kids: f"<{tag} class='{tag}'>" + "".join(kids) + f"</{tag}>",
                            st.sampled_from(TAGS), st.lists(inner, max_size=4)),
    max_leaves=30,
))
def test_random_pages(markup):
    for source in read_any("page.html", f"<html><body>{markup}</body></html>".encode("utf-8")):
        assert source.text == clean_text(source.text) and source.text


WORDY = st.text(alphabet=st.sampled_from(list("一二三、（）()1.2．时尚产业发展目标资助万元亿最高不超过第条章，。：\n \t\u3000abcXYZ0")),
                max_size=300)


@SETTINGS
@given(text=WORDY)
def test_a_text_file_reads_as_its_cleaned_text(text):
    cleaned = clean_text(text)
    assume(cleaned)
    assert [s.text for s in read_any("plain.txt", text.encode("utf-8"))] == [cleaned]
    assert [s.text for s in read_any("gb.txt", text.encode("utf-16"))] == [cleaned]


@SETTINGS
@given(text=WORDY)
def test_parsing_any_text_gives_a_document_or_our_error(text):
    path = FOLDER / "parsed.txt"
    path.write_bytes(text.encode("utf-8"))
    result = parse_file(str(path))
    assert (result.error is None) == bool(result.documents)
