"""Bad files never hurt a run: each gives one line naming the file and the reason, the rest is read.

Empty, binary, truncated and fake files; zip bombs (stated and hidden); a page without an
article; a file over the size limit (refused unread); unreadable permissions; symlink loops;
pipes. Then the same files through `policy-search ingest`: exit status 1, one line each, and
an index holding exactly the good files.
"""
from __future__ import annotations

import io
import json
import os
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

import corpus.archive
import corpus.readers
from corpus import load_files, parse_file
from corpus.readers import iter_files, read_file
from errors import UnreadableDocument

NOTICE = (Path(__file__).parent / "data" / "notice.txt").read_text(encoding="utf-8")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def docx_bytes(text: str = "一、发展目标\n到2022年，时尚产业规模不断壮大。") -> bytes:
    doc = Document()
    for line in text.split("\n"):
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["id", "body"])
    workbook.active.append(["1", "已办理。"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def bomb_bytes(size: int) -> bytes:
    """A .docx-shaped zip whose document.xml honestly states that it unpacks to ``size`` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = bytes(1 << 20)
            for _ in range(size >> 20):
                member.write(chunk)
    return out.getvalue()


def lying_bytes(stated: int = 5000) -> bytes:
    """A real .docx whose document.xml inflates to 10 MiB but whose zip headers state ``stated`` bytes."""
    good = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    members = {info.filename: good.read(info.filename) for info in good.infolist()}
    members["word/document.xml"] += b" " * (10 << 20)
    raw = bytearray(zip_bytes(members))
    info = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo("word/document.xml")
    struct.pack_into("<I", raw, info.header_offset + 22, stated)  # local header: uncompressed size
    position = 0
    while True:  # the central directory entry of the same member
        position = raw.index(b"PK\x01\x02", position)
        name_length = struct.unpack_from("<H", raw, position + 28)[0]
        if raw[position + 46:position + 46 + name_length] == b"word/document.xml":
            struct.pack_into("<I", raw, position + 24, stated)
            break
        position += 4
    return bytes(raw)


def error_of(path: Path) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        read_file(str(path), path)
    assert caught.value.source == str(path)
    return caught.value.reason


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
DAMAGED_DOCX = "not a readable Word .docx file: the zip archive is damaged or truncated"

BAD_FILES = [
    # (name, content, the one-line reason)
    ("empty.txt", b"", "the file is empty"),
    ("blank.md", b" \r\n\t\n", "the file is empty"),
    ("empty.html", b"", "the file is empty"),
    ("empty.docx", b"", "not a Word .docx file: the file is empty"),
    ("empty.xlsx", b"", "not an Excel .xlsx file: the file is empty"),
    ("empty.pdf", b"", "not a PDF file: the file is empty"),
    ("empty.csv", b"", "the file is empty"),
    ("image.txt", PNG, "not text: a PNG image"),
    ("binary.txt", bytes(range(256)) * 8,
     "not text in any known encoding (binary file?) — if it is text, try `--encoding gb18030` or `--encoding big5`"),
    ("archive.html", zip_bytes({"a.txt": b"x"}), "not text: a zip archive (a .docx or .xlsx file under another name?)"),
    ("truncated.docx", docx_bytes()[:5000], DAMAGED_DOCX),
    ("tail-cut.docx", docx_bytes()[:-10], DAMAGED_DOCX),
    ("truncated.xlsx", xlsx_bytes()[:3000], "not a readable Excel .xlsx file: the zip archive is damaged or truncated"),
    ("renamed-text.docx", "关于开展消费季活动的通知".encode("utf-8"),
     "not a Word .docx file: it is plain text with the wrong extension"),
    ("renamed-doc.docx", OLE, "not a Word .docx file: it is an old Word/Excel file (.doc/.xls) — save it as .docx or .xlsx"),
    ("renamed-xlsx.docx", xlsx_bytes(), "not a readable Word .docx file (the package is not a Word document)"),
    ("renamed-docx.xlsx", docx_bytes(), "not a readable Excel .xlsx file (OSError: File contains no valid workbook part)"),
    ("other-zip.docx", zip_bytes({"readme.txt": b"hello"}),
     "not a readable Word .docx file (KeyError: \"There is no item named '[Content_Types].xml' in the archive\")"),
    ("bomb.docx", None, "word/document.xml would unpack to 130 MiB, more than the 128 MiB limit for one part "
                        "— not read (zip bomb?)"),
    ("lying.docx", None, "word/document.xml unpacks to more than the 5000 bytes its zip directory states "
                         "— not read (zip bomb?)"),
    ("no-article.html", b"<html><body><div class='nav'><a href='/'>\xe9\xa6\x96\xe9\xa1\xb5</a></div></body></html>",
     "no article on the page: only navigation, links or scripts "
     "(a page that loads its text with JavaScript? save it after it has loaded)"),
    ("bad.jsonl", b'{"body": 1}\n{"body": \n', "line 2 is not JSON: Expecting value"),
]


def content(name: str, data: bytes | None) -> bytes:
    if name == "bomb.docx":
        return bomb_bytes(130 << 20)
    if name == "lying.docx":
        return lying_bytes()
    assert data is not None
    return data


@pytest.mark.parametrize("name, data, reason", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_gives_one_clear_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(content(name, data))
    assert error_of(path) == reason
    assert "\n" not in reason


def test_a_lying_zip_is_refused_without_inflating_it():
    data = lying_bytes()
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableDocument):
            corpus.archive.open_zip(data, "lying.docx", "Word .docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20  # the member inflates to 10 MiB; we stop after one 1 MiB step


def test_an_archive_over_the_total_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus.archive, "MAX_TOTAL_BYTES", 1 << 20)
    path = tmp_path / "big.docx"
    path.write_bytes(zip_bytes({f"word/media/image{n}.png": bytes(600_000) for n in range(2)}))
    assert error_of(path) == "the zip archive would unpack to 1 MiB, more than the 1 MiB limit — not read (zip bomb?)"


def test_an_archive_of_too_many_members(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus.archive, "MAX_MEMBERS", 3)
    path = tmp_path / "many.xlsx"
    path.write_bytes(zip_bytes({f"x{n}.xml": b"<x/>" for n in range(4)}))
    assert error_of(path) == "the zip archive holds 4 files (limit 3) — not read"


def test_a_huge_file_is_refused_without_being_read(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(200_000_000)  # sparse: no disk used
    tracemalloc.start()
    try:
        reason = error_of(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reason == "200 MB is larger than the 64 MiB limit for one document — split it into smaller files"
    assert peak < 1 << 20


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path):
    path = tmp_path / "growing.txt"
    path.write_bytes(b"abc")
    with pytest.raises(UnreadableDocument) as caught:
        corpus.readers.read_bytes(str(path), path, limit=2)
    assert caught.value.reason == "0 MB is larger than the 0 MiB limit for one document — split it into smaller files"


@pytest.mark.skipif(IS_ROOT, reason="root reads files whatever their permissions")
def test_an_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(NOTICE, encoding="utf-8")
    path.chmod(0)
    try:
        assert error_of(path) == "permission denied — check the file's read permission"
    finally:
        path.chmod(0o644)


def test_an_unreadable_file_as_the_system_reports_it(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text(NOTICE, encoding="utf-8")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(corpus.readers, "open", denied, raising=False)
    assert error_of(path) == "permission denied — check the file's read permission"


@pytest.mark.skipif(IS_ROOT, reason="root lists folders whatever their permissions")
def test_an_unreadable_folder_is_reported(tmp_path):
    (tmp_path / "ok.txt").write_text(NOTICE, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        results = list(load_files([str(tmp_path)]))
        assert [(Path(r.given).name, r.error and r.error.reason) for r in results] == [
            ("ok.txt", None), ("locked", "permission denied — cannot list this folder"),
        ]
    finally:
        locked.chmod(0o755)


def test_a_symlink_loop(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    assert error_of(tmp_path / "a.txt") == "a symbolic link loop (the link points back at itself)"


def test_a_broken_symlink(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    assert error_of(tmp_path / "gone.txt") == "a broken symbolic link (its target does not exist)"


def test_a_folder_that_links_back_to_itself_is_walked_once(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "sub" / "again").symlink_to(tmp_path)
    assert [Path(given).relative_to(tmp_path).as_posix() for given, _ in iter_files([str(tmp_path)])] == ["sub/a.txt"]


def test_a_pipe_is_not_opened(tmp_path):
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert error_of(path) == "not a regular file (a device, pipe or socket)"


def test_a_folder_named_as_a_file(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    assert parse_file(str(tmp_path / "folder.txt")).error.reason == "is a directory"


# -- through the command line ------------------------------------------------------------------------


def good_files(folder: Path) -> dict[str, str]:
    """Good files of every format, by name: what each one's source is in the index."""
    (folder / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "gbk.txt").write_bytes(NOTICE.replace("夜间经济", "夜间消费").encode("gbk"))
    (folder / "page.html").write_text(
        "<html><head><meta name='ArticleTitle' content='关于促进消费的若干措施'></head><body>"
        "<div class='nav'><a href='/'>首页</a></div><div class='TRS_Editor'><p><span>一、</span>扩大消费</p>"
        "<p>给予最高100万元奖励。</p></div></body></html>", encoding="utf-8")
    (folder / "plan.docx").write_bytes(docx_bytes())
    from test_formats_pdf import CHINESE_PAGES, text_pdf

    (folder / "plan.pdf").write_bytes(text_pdf(CHINESE_PAGES, chinese=True))
    (folder / "rows.xlsx").write_bytes(xlsx_bytes())
    return {"notice.txt": "notice.txt", "gbk.txt": "gbk.txt", "page.html": "page.html", "plan.docx": "plan.docx",
            "plan.pdf": "plan.pdf", "rows.xlsx": "rows.xlsx#1"}


@pytest.fixture
def cli_run(monkeypatch, tmp_path):
    from test_cli import run

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    monkeypatch.delenv("POLICY_SEARCH_INDEX", raising=False)
    return run


def indexed_sources(index_dir: Path) -> list[str]:
    from search.engine import PolicyIndex

    with PolicyIndex(index_dir) as index:
        return sorted(index.field_values("source"))


def test_ingest_reports_every_bad_file_and_indexes_exactly_the_good_ones(tmp_path, monkeypatch, cli_run):
    folder = tmp_path / "docs"
    folder.mkdir()
    good = good_files(folder)
    bad = {name: reason for name, _, reason in BAD_FILES if name not in ("bomb.docx", "lying.docx")}
    for name, data, _ in BAD_FILES:
        if name in bad:
            (folder / name).write_bytes(content(name, data))
    (folder / "lying.docx").write_bytes(lying_bytes())
    bad["lying.docx"] = dict((n, r) for n, _, r in BAD_FILES)["lying.docx"]
    with open(folder / "huge.txt", "wb") as f:
        f.truncate(200_000_000)
    bad["huge.txt"] = "200 MB is larger than the 64 MiB limit for one document — split it into smaller files"
    (folder / "sub").mkdir()
    (folder / "sub" / "loop").symlink_to(folder)  # a folder loop: walked once, nothing to report
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    bad["dangling.txt"] = "a broken symbolic link (its target does not exist)"
    monkeypatch.chdir(folder)

    result = cli_run("ingest", ".", "--index", str(tmp_path / "ix"), "--columns", "id=id,body=body", "--json")
    assert result.exit_code == 1
    [report] = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted((e["source"], e["error"]) for e in report["errors"]) == sorted(bad.items())
    assert (report["added"], report["failed"]) == (len(good), len(bad))
    assert indexed_sources(tmp_path / "ix") == sorted(good.values())

    # the same again: the good files are unchanged, the bad ones reported again, the index the same
    again = cli_run("ingest", ".", "--index", str(tmp_path / "ix"), "--columns", "id=id,body=body")
    assert again.exit_code == 1
    assert sorted(again.stderr.splitlines()) == sorted(f"skipped {name}: {reason}" for name, reason in bad.items())
    assert indexed_sources(tmp_path / "ix") == sorted(good.values())


def test_ingest_reports_a_symlink_loop(tmp_path, monkeypatch):
    from indexer.build import ingest

    (tmp_path / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    report = ingest([str(tmp_path)], tmp_path / "ix")
    assert [e.reason for e in report.errors] == ["a symbolic link loop (the link points back at itself)"] * 2


def test_ingest_does_not_read_a_huge_file_into_memory(tmp_path):
    from indexer.build import ingest

    with open(tmp_path / "huge.txt", "wb") as f:
        f.truncate(200_000_000)
    tracemalloc.start()
    try:
        report = ingest([str(tmp_path / "huge.txt")], tmp_path / "ix")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(report.errors) == 1
    assert peak < 64 << 20


def test_parse_reports_a_symlink_loop_and_goes_on(tmp_path, cli_run):
    (tmp_path / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    result = cli_run("parse", str(tmp_path / "a.txt"), str(tmp_path / "notice.txt"), "--json")
    assert result.exit_code == 1
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first == {"source": str(tmp_path / "a.txt"), "error": "a symbolic link loop (the link points back at itself)"}
    assert second["title"] == "深圳市商务局关于开展2021年夜间经济消费季活动的通知"
