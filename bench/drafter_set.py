#!/usr/bin/env python3
"""Build the drafter's-question set: a text a drafter pastes → the clause that answers it.

Usage: python3 bench/drafter_set.py REPLIES.csv LAWS_DIR [--seeds SEEDS_DIR] > bench/eval/drafter-dev.jsonl

Three sources, each line saying which (``from``):

- ``article``: a public reply that cites an article of a law in LAWS_DIR — 《某法》第X条, a list
  (第十条、十三条, 第五条和第七条), or the law's title written bare (道路交通安全法第五十六条).
  The law is matched by title, with or without 中华人民共和国; every version of it that holds the
  article counts. Citations of texts the laws do not hold (local rules, notices) are left out.
- ``quoted``: a reply that names a law of LAWS_DIR without an article number but quotes it
  (“…” or the words after 规定); the article is resolved when one article of the law (in any
  version) shares QUOTED characters or more in a row with the quote, and no other article as many.
- ``seed``: with ``--seeds``, each numbered part of a sample reply (a proposal answered) → the
  clauses of the sample policies it quotes (SEED_QUOTE characters in a row). The query is the
  part itself (its own units stay in the index, as they would for a drafter).

Each public message becomes one clause query (the whole message, as a drafter would paste it)
with every article its reply cites; the lines are in the table's order. ``score_search.py``
scores them; bench/drafter_halves.py ranks them by mechanism on the two halves (id parity).
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path

NUMERAL = "(?:[一二三四五六七八九十百零〇]+|[0-9]{1,3})"
ARTICLE = re.compile(rf"第({NUMERAL})条(?:之[一二三四五六七八九十]+)?")
DIGITS = "零一二三四五六七八九"
# an article list after the first: 、第十三条 / 、十三条 / 和第七条 / 及第九条
MORE = re.compile(rf"^(?:[、，,和及与或]|以及)\s*(?:第)?({NUMERAL})条")
QUOTED_TITLE = re.compile(r"《([^》]{2,60})》")
VERSION = re.compile(r"\(\d{4}-\d{2}-\d{2}\)$")
ARTICLE_LINE = "(?m)^\\s*(?:#+\\s*)?\\**{}[\\s　*]"
ARTICLE_START = re.compile(rf"(?m)^\s*(?:#+\s*)?\**(第{NUMERAL}条(?:之[一二三四五六七八九十]+)?)[\s　*]")
LOOKBACK = 40  # characters before 第X条 where the law's title is looked for
QUOTED = 15  # characters in a row a quote shares with the one article it resolves to
SEED_QUOTE = 20
BARE_TITLE = 5  # a title written without 《》 counts from this length (shorter ones are words)


def chinese(number: str) -> str:
    """An article number as the laws write it: 19 → 十九, 103 → 一百零三 (Chinese numerals unchanged)."""
    if not number.isdigit():
        return number
    n = int(number)
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    out = f"{DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (DIGITS[ones] if ones else "")


def law_files(laws: Path) -> dict[str, list[Path]]:
    """Files by law title (the file name without its version date, 中华人民共和国 dropped)."""
    by_title: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(laws.rglob("*.md")):
        by_title[title_key(VERSION.sub("", path.stem))].append(path)
    return by_title


def title_key(title: str) -> str:
    return title.removeprefix("中华人民共和国").strip()


class Laws:
    """The laws folder: titles, and the articles of each file (cached)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.by_title = law_files(folder)
        self.bare = sorted((t for t in self.by_title if len(t) >= BARE_TITLE), key=len, reverse=True)
        self._articles: dict[Path, dict[str, str]] = {}

    def articles(self, path: Path) -> dict[str, str]:
        if path not in self._articles:
            text = path.read_text(encoding="utf-8")
            starts = list(ARTICLE_START.finditer(text))
            self._articles[path] = {m.group(1): text[m.start():(starts[i + 1].start() if i + 1 < len(starts) else len(text))]
                                    for i, m in enumerate(starts)}
        return self._articles[path]

    def title_before(self, text: str, at: int) -> str | None:
        """The law whose title ends last before position ``at`` (within LOOKBACK characters), with
        no other 《title》 between them; None where the nearest title is no law of the folder."""
        window = text[max(0, at - LOOKBACK):at]
        window = re.split(r"[。；;！？\n]", window)[-1]
        best: tuple[int, str] | None = None
        for m in QUOTED_TITLE.finditer(window):
            best = (m.end(), title_key(m.group(1)))
        for title in self.bare:
            end = window.rfind(title)
            if end >= 0 and (best is None or end + len(title) > best[0]):
                best = (end + len(title), title)
        if best is None or best[1] not in self.by_title:
            return None
        return best[1]

    def cite(self, title: str, article: str) -> list[dict]:
        return [{"source": path.relative_to(self.folder).as_posix(), "clause": article, "grade": 1}
                for path in self.by_title[title] if article in self.articles(path)]

    def resolve_quote(self, title: str, quote: str) -> list[dict]:
        """The one article of a law (every version holding it) a quote comes from, or []."""
        quote = re.sub(r"\s", "", quote)
        best: dict[str, int] = {}
        for path in self.by_title[title]:
            for article, body in self.articles(path).items():
                body = re.sub(r"\s", "", body)
                match = SequenceMatcher(None, quote, body, autojunk=False).find_longest_match(0, len(quote), 0, len(body))
                best[article] = max(best.get(article, 0), match.size)
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < QUOTED or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return []
        return self.cite(title, ranked[0][0])


def cited_articles(reply: str, laws: Laws) -> tuple[list[dict], list[dict]]:
    """The articles a reply cites by number, and those it quotes by law name alone."""
    numbered: list[dict] = []
    cited_titles: set[str] = set()
    for m in ARTICLE.finditer(reply):
        title = laws.title_before(reply, m.start())
        if title is None:
            continue
        cited_titles.add(title)
        articles = [m.group(0).replace(m.group(1), chinese(m.group(1)), 1)]
        rest = reply[m.end():]
        while (more := MORE.match(rest)) is not None:
            articles.append(f"第{chinese(more.group(1))}条")
            rest = rest[more.end():]
        for article in articles:
            for item in laws.cite(title, article):
                if item not in numbered:
                    numbered.append(item)
    quoted: list[dict] = []
    for m in QUOTED_TITLE.finditer(reply):
        title = title_key(m.group(1))
        if title not in laws.by_title or title in cited_titles:
            continue
        after = reply[m.end():m.end() + 200]
        quote = re.search(r"“([^”]{%d,})”" % QUOTED, after[:60])
        if quote is not None and not ARTICLE.search(after[:quote.start()]) and "《" not in after[:quote.start()]:
            text = quote.group(1)
        else:
            said = re.match(r"[^。；《]{0,10}?规定[：:，,]?([^。；《]{%d,})" % QUOTED, after)
            if said is None:
                continue
            text = said.group(1)
        for item in laws.resolve_quote(title, text):
            if item not in quoted and item not in numbered:
                quoted.append(item)
    return numbered, quoted


def seed_items(seeds: Path) -> list[dict]:
    """Each numbered part of a sample reply → the sample policies' clauses it quotes."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from corpus import parse_file

    docs = {path.name: parse_file(str(path), path).documents[0] for path in sorted(seeds.glob("*.txt"))}
    policies = {name: d for name, d in docs.items() if d.doc_type not in ("提案答复", "建议答复")}
    out = []
    for name, doc in docs.items():
        if name in policies:
            continue
        for part in doc.clauses:
            if "/" in part.path:
                continue
            text = "\n".join(c.text for c in doc.clauses if c.path == part.path or c.path.startswith(part.path + "/"))
            flat = re.sub(r"\s", "", text)
            relevant = []
            for pname, policy in policies.items():
                for clause in policy.clauses:
                    body = re.sub(r"\s", "", clause.text)
                    match = SequenceMatcher(None, flat, body, autojunk=False).find_longest_match(0, len(flat), 0, len(body))
                    leaf = not any(c.path.startswith(clause.path + "/") for c in policy.clauses)
                    if match.size >= SEED_QUOTE and leaf:
                        relevant.append({"source": pname, "clause": clause.path, "grade": 1})
            if relevant:
                number = int(re.sub(r"\D", "", name.split("_")[0]) or 0) * 100 + len(out)
                out.append({"id": f"S{number}", "mode": "clauses", "from": "seed",
                            "query": " ".join(text.split()), "relevant": relevant})
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("replies", type=Path)
    ap.add_argument("laws", type=Path)
    ap.add_argument("--seeds", type=Path, help="the sample documents: their replies' quoted clauses")
    ap.add_argument("--message", default="留言详情")
    ap.add_argument("--reply", default="答复意见")
    ap.add_argument("--id", default="留言编号")
    args = ap.parse_args()
    laws = Laws(args.laws)
    with args.replies.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        numbered, quoted = cited_articles(row[args.reply], laws)
        message = " ".join(row[args.message].split())
        if not message or not (numbered or quoted):
            continue
        kind = "article" if numbered else "quoted"
        counts[kind] += 1
        line = {"id": f"M{row[args.id]}", "mode": "clauses", "from": kind, "query": message,
                "relevant": numbered + quoted}
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    if args.seeds:
        for item in seed_items(args.seeds):
            counts["seed"] += 1
            sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
