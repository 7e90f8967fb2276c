"""A long ingest tells how far it has come: in a terminal, one line rewritten in place whose
total is known before the first unit (it read 0/0, 1/1 … 5/5: the total grew with the count);
sent to a file (nohup, a scheduler), plain lines at the start, every 30 s or tenth of the work,
and at the end (a 33-minute ingest printed nothing until it ended). The time left comes from the
rate measured after the first batch, not from a constant (which said 2 s for 7).

Real ingests in a subprocess, with the stand-in embedding model of the tests (indexer.embed.
HashEmbedder) so that embedding is quick and needs no model.
"""
from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.progress import Meter, Tally

ROOT = Path(__file__).resolve().parents[1]
FILES = 20


def a_folder_of_replies(folder: Path, n: int = FILES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"reply{i:02d}.txt").write_text(
            f"关于第{i}号建议的答复\n您提出的关于加强停车管理的建议收悉。我局高度重视，第{i}项措施正在推进，"
            "将新增公共停车泊位，并加强夜间噪声执法。", encoding="utf-8")
    return folder


def ingest_command(tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    docs = a_folder_of_replies(tmp_path / "docs")
    # off a terminal, progress shows once a job has run 2 s: this one is shorter, so from its start
    env = {**os.environ, "POLICY_SEARCH_MODEL": "hash-test", "XDG_DATA_HOME": str(tmp_path / "data"),
           "POLICY_SEARCH_PROGRESS_AFTER": "0"}
    return [sys.executable, str(ROOT / "cli.py"), "ingest", str(docs), "--index", str(tmp_path / "ix")], env


def test_off_a_terminal_an_ingest_prints_plain_progress_lines(tmp_path):
    command, env = ingest_command(tmp_path)
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr  # a file gets whole lines, not a line redrawn
    lines = result.stderr.splitlines()
    indexing = [line for line in lines if line.startswith("indexing ")]
    embedding = [line for line in lines if line.startswith("embedding ")]
    assert indexing[0] == f"indexing 0/{FILES} files (0%)"
    assert re.fullmatch(rf"indexing {FILES}/{FILES} files \(100%\) in \d+ s; writing the index…", indexing[-1])
    # a line at each tenth of the work (20 files: every second file), each with its rate and time left
    assert [int(re.match(r"indexing (\d+)/", line).group(1)) for line in indexing[1:-1]] == list(range(2, FILES, 2))
    middle = re.compile(rf"indexing \d+/{FILES} files \(\d+%\), (\d+\.\d) files/s, (about \d+ s|under 1 s) left")
    assert all(middle.fullmatch(line) for line in indexing[2:-1]), indexing
    assert embedding[0] == f"embedding 0/{FILES} units (0%)"
    assert re.fullmatch(rf"embedding {FILES}/{FILES} units \(100%\) in \d+ s", embedding[-1])
    assert all(f"/{FILES} units" in line for line in embedding)


def test_quiet_prints_no_progress(tmp_path):
    command, env = ingest_command(tmp_path)
    result = subprocess.run([*command, "-q"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stderr == ""


def test_in_a_terminal_the_total_is_known_before_the_first_unit(tmp_path):
    """Every state the terminal line shows names the whole: indexing n/20 files, embedding n/20
    units, from 0/20 on."""
    command, env = ingest_command(tmp_path)
    leader, follower = pty.openpty()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the other end closed: the process ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert proc.wait(timeout=300) == 0
    states = [s.strip() for s in re.split(r"[\r\n]+", shown.decode("utf-8")) if s.strip()]
    indexing = [s for s in states if s.startswith("indexing")]
    embedding = [s for s in states if s.startswith("embedding")]
    assert indexing[0] == f"indexing 0/{FILES} files (0%)" and embedding[0] == f"embedding 0/{FILES} units (0%)"
    assert all(f"/{FILES} files" in s for s in indexing) and all(f"/{FILES} units" in s for s in embedding)
    assert indexing[-1].startswith(f"indexing {FILES}/{FILES} files (100%) in ")
    assert embedding[-1].startswith(f"embedding {FILES}/{FILES} units (100%) in ")


class Clock:
    """Seconds as a job's steps take them: a list of times, read one by one."""

    def __init__(self, times: list[float]) -> None:
        self.times = iter(times)

    def __call__(self) -> float:
        return next(self.times)


def test_the_time_left_comes_from_the_rate_measured_after_the_first_batch():
    """The first batch loads the model (10 s); the next take 1 s each: after the second batch the
    time left is the 8 batches left at 1 s each, not 8 × 10 s, nor a constant's guess."""
    told: list[Tally] = []
    times = [0.0, 0.0, 10.0, 11.0, 12.0]  # made, start, then the end of each batch
    meter = Meter("units", 10, told.append, clock=Clock(times))
    meter.start()
    first = meter.advance(1)
    assert (first.rate, first.left) == (None, None)  # only the warm-up was seen: nothing measured yet
    second = meter.advance(2)
    assert (second.rate, second.left) == (1.0, 8.0)
    third = meter.advance(3)
    assert (third.rate, third.left, third.elapsed) == (1.0, 7.0, 12.0)
    assert [t.done for t in told] == [0, 1, 2, 3]


def test_the_time_left_weighs_what_is_left():
    """Units of unequal weight (a file's bytes): after a small file took 1 s, the big one left is
    estimated by its weight."""
    meter = Meter("files", 3, None, weights=[100, 100, 1000], clock=Clock([0.0, 0.0, 5.0, 6.0]))
    meter.start()
    meter.advance(1)
    tally = meter.advance(2)
    assert tally.left == pytest.approx(10.0)  # 100 bytes a second, 1000 left
