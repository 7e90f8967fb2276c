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


EXAMPLE = re.compile(r"```\n\$ (?P<command>[^\n]+)\n(?P<output>.*?)```", re.S)


def test_the_readme_examples_print_what_the_commands_print(tmp_path, monkeypatch):
    """Every `$ policy-search …` example of the README, run in order on a fresh default index,
    prints what the README shows: ``~`` stands for the home folder and ``…`` for the folder the
    package is installed in."""
    import shlex

    from click.testing import CliRunner

    import cli

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("POLICY_SEARCH_INDEX", raising=False)
    monkeypatch.delenv("POLICY_SEARCH_MODEL", raising=False)  # as installed: words and meaning
    examples = [m for m in EXAMPLE.finditer(README.read_text(encoding="utf-8")) if "policy-search " in m["command"]]
    assert len(examples) >= 4
    installed = str(Path(sample_dir()).parents[1])  # …/corpus/samples
    for example in examples:
        command = example["command"]
        given = None
        if " | " in command:  # echo '…' | policy-search …
            echo, command = command.split(" | ", 1)
            given = shlex.split(echo)[1] + "\n"
        args = shlex.split(command)[1:]
        result = CliRunner().invoke(cli.main, args, input=given)
        printed = result.output.replace(installed, "…").replace(str(home), "~")
        assert printed == example["output"], command
