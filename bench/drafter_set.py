#!/usr/bin/env python3
"""Build the drafter's-question set: a citizen's message → the law article its official reply cited.

Usage: python3 bench/drafter_set.py REPLIES.csv LAWS_DIR > bench/eval/drafter-dev.jsonl

A reply that cites 《某法》第X条 names the article that answers the message. Each message whose
reply cites an article of a law in LAWS_DIR (matched by title, with or without 中华人民共和国;
every version of the law that holds that article counts) becomes one clause query: the whole
message, as a drafter would paste it. Citations of texts the laws do not hold (local rules,
notices) are left out. The lines are in the table's order; ``score_search.py`` scores them.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

CITED = re.compile(r"《([^》]{2,60})》[^《。；]{0,8}?(第[一二三四五六七八九十百零〇]+条(?:之[一二三四五六七八九十]+)?)")
VERSION = re.compile(r"\(\d{4}-\d{2}-\d{2}\)$")
ARTICLE_LINE = "(?m)^\\s*(?:#+\\s*)?{}[\\s　]"


def law_files(laws: Path) -> dict[str, list[Path]]:
    """Files by law title (the file name without its version date, 中华人民共和国 dropped)."""
    by_title: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(laws.rglob("*.md")):
        by_title[title_key(VERSION.sub("", path.stem))].append(path)
    return by_title


def title_key(title: str) -> str:
    return title.removeprefix("中华人民共和国").strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("replies", type=Path)
    ap.add_argument("laws", type=Path)
    ap.add_argument("--message", default="留言详情")
    ap.add_argument("--reply", default="答复意见")
    ap.add_argument("--id", default="留言编号")
    args = ap.parse_args()
    by_title = law_files(args.laws)
    with args.replies.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        relevant = []
        for title, article in CITED.findall(row[args.reply]):
            for path in by_title.get(title_key(title), []):
                text = path.read_text(encoding="utf-8")
                if re.search(ARTICLE_LINE.format(article), text):
                    item = {"source": path.relative_to(args.laws).as_posix(), "clause": article, "grade": 1}
                    if item not in relevant:
                        relevant.append(item)
        message = " ".join(row[args.message].split())
        if relevant and message:
            line = {"id": f"M{row[args.id]}", "mode": "clauses", "query": message, "relevant": relevant}
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
