"""A user's ``--encoding`` that turns a Chinese file into Latin letters is refused, and the
encoding a file was read in is part of what decides that it is unchanged."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.encoding import decode_bytes
from errors import UnreadableDocument
from test_cli import lines, run

NOTICE = (Path(__file__).parent / "data" / "notice.txt").read_text(encoding="utf-8")
REASON = ("decoded as latin-1 it holds no Chinese (ÉîÛÚÊÐÉÌÎñ¾Ö…), but it reads as Chinese "
           "in gb18030 (深圳市商务局关于开展20…) — leave out --encoding to detect it, or give --encoding gb18030")
REFUSED = f"notice.txt: {REASON}"
# The same notice in traditional characters, as a Big5 file: read as gb18030 it decodes without
# error into other Chinese characters, so only the encoding tells the two readings apart.
BIG5_NOTICE = "深圳市商務局關於開展夜間經濟消費季活動的通知\n為激發夜間消費活力，促進時尚消費，現將有關事項通知如下。\n"


@pytest.fixture
def gbk_notice(tmp_path: Path) -> Path:
    path = tmp_path / "notice.txt"
    path.write_bytes(NOTICE.encode("gb18030"))
    return path


def test_latin1_on_a_gbk_file_is_refused_naming_both_encodings(gbk_notice):
    with pytest.raises(UnreadableDocument) as caught:
        decode_bytes(gbk_notice.read_bytes(), "notice.txt", "latin-1")
    assert str(caught.value) == REFUSED


def test_an_encoding_that_gives_latin_text_is_kept_when_detection_finds_no_chinese():
    assert decode_bytes("Café crème, 10 €".encode("cp1252"), "menu.txt", "cp1252") == "Café crème, 10 €"
    assert decode_bytes("café".encode("latin-1"), "short.txt", "latin-1") == "café"  # 5 bytes: no evidence


def test_ingest_refuses_the_file_goes_on_and_keeps_the_index(gbk_notice, tmp_path, monkeypatch):
    monkeypatch.chdir(gbk_notice.parent)
    index = str(tmp_path / "ix")
    (tmp_path / "readme.txt").write_text("Night economy notice, English summary.", encoding="ascii")
    result = run("ingest", "notice.txt", "readme.txt", "--index", index, "--encoding", "latin-1", "--vectors", "none")
    assert result.exit_code == 1
    assert REASON in result.stderr
    assert "1 added" in result.stdout or "1 added" in result.stderr
    # the refused file was not stored: the right encoding adds it, it is not "unchanged"
    again = run("ingest", "notice.txt", "--index", index, "--encoding", "gb18030", "--vectors", "none")
    assert again.exit_code == 0
    found = run("search", "夜间经济", "--index", index, "--json")
    assert [r["source"] for r in lines(found)] == ["notice.txt"]


def test_parse_similar_draft_and_batch_refuse_the_wrong_encoding(gbk_notice, corpus_index_dir, monkeypatch):
    monkeypatch.chdir(gbk_notice.parent)
    for args in (["parse", "notice.txt"], ["similar", "notice.txt"], ["draft", "notice.txt"],
                 ["search", "--batch", "notice.txt"], ["similar", "--batch", "notice.txt"]):
        result = run(*args, "--encoding", "latin-1", "--index", str(corpus_index_dir)) if args[0] != "parse" \
            else run(*args, "--encoding", "latin-1")
        assert result.exit_code == 1, args
        assert "notice.txt: " in result.stderr and REASON in result.stderr, (args, result.stderr)
        assert result.stdout == "", args


def test_standard_input_with_a_wrong_encoding_is_refused(gbk_notice, corpus_index_dir):
    result = run("similar", "-", "--encoding", "latin-1", "--index", str(corpus_index_dir),
                 input=gbk_notice.read_bytes())  # type: ignore[arg-type]
    assert result.exit_code == 1
    assert "standard input: decoded as latin-1 it holds no Chinese" in result.stderr


def test_another_encoding_reads_the_file_again(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("notice.txt").write_bytes(BIG5_NOTICE.encode("big5"))
    index = str(tmp_path / "ix")
    wrong = run("ingest", "notice.txt", "--index", index, "--encoding", "gb18030", "--vectors", "none")
    assert wrong.exit_code == 0  # Chinese characters, the wrong ones: nothing to tell it by
    right = run("ingest", "notice.txt", "--index", index, "--encoding", "big5", "--vectors", "none", "--json")
    assert right.exit_code == 0
    report = json.loads(right.stdout.splitlines()[-1])
    assert (report["replaced"], report["unchanged"]) == (1, 0)
    found = lines(run("search", "商務局", "--index", index, "--json"))
    assert [(r["source"], r["title"]) for r in found] == [("notice.txt", BIG5_NOTICE.splitlines()[0])]
    # the same encoding again is unchanged; none (detection) is another reading
    same = run("ingest", "notice.txt", "--index", index, "--encoding", "BIG5", "--vectors", "none", "--json")
    assert json.loads(same.stdout.splitlines()[-1])["unchanged"] == 1
