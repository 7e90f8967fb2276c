"""The README's Python example runs as written, against an index of the bundled samples."""
from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from conftest import working_directory
from corpus import sample_dir
from indexer import ingest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_python_example_opens_an_index_and_searches_it(tmp_path):
    block = re.search(r"## From Python\n.*?```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert block is not None
    code = block.group(1)
    assert len(code.strip().splitlines()) == 3
    ingest([str(sample_dir())], tmp_path / "ix")
    printed = io.StringIO()
    with working_directory(tmp_path), contextlib.redirect_stdout(printed):
        exec(compile(code, str(README), "exec"), {})
    hits = eval(printed.getvalue())
    assert len(hits) == 3 and all(clause for _title, clause in hits)
    assert {title for title, _clause in hits} <= {"深圳市时尚产业高质量发展行动计划（2020—2024年）",
                                                   "龙岗区关于促进时尚产业高质量发展若干措施"}
