"""Parse every law of the Markdown laws tarball and report failures, article coverage and speed.

Usage: python3 bench/parse_laws.py ../shared/corpus/laws.tar.xz [--limit N]
"""
from __future__ import annotations

import argparse
import re
import sys
import tarfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.clean import clean_text  # noqa: E402
from corpus.parse import parse_source  # noqa: E402
from corpus.readers import Format, SourceText, content_id  # noqa: E402

_ARTICLE_LINE = re.compile(r"^第[一二三四五六七八九十百千零〇\d]+条", re.M)


def iter_laws(tarball: str, limit: int | None = None):
    """(name, cleaned text) of each Markdown file in the tarball, in archive order."""
    with tarfile.open(tarball) as tar:
        count = 0
        for member in tar:
            if not member.isfile() or not member.name.endswith(".md"):
                continue
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
            yield member.name, data, clean_text(data.decode("utf-8", errors="replace"))
            count += 1
            if limit and count >= limit:
                return


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tarball")
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    parsed = failed = with_articles = has_article_lines = articles_found_where_written = 0
    chars = 0
    elapsed = 0.0
    for name, data, text in iter_laws(args.tarball, args.limit):
        src = SourceText(name, name, content_id(data), content_id(data), text, Format.MARKDOWN)
        start = time.perf_counter()
        try:
            doc = parse_source(src)
        except Exception:  # a report of every failure is the point of this script
            failed += 1
            print(f"EXCEPTION {name}\n{traceback.format_exc()}", file=sys.stderr)
            continue
        finally:
            elapsed += time.perf_counter() - start
        parsed += 1
        chars += len(text.encode("utf-8"))
        found = any(c.label.startswith("第") and c.label.endswith("条") for c in doc.clauses)
        with_articles += found
        if _ARTICLE_LINE.search(text):
            has_article_lines += 1
            articles_found_where_written += found
    total = parsed + failed
    print(f"docs parsed      {parsed}/{total}")
    print(f"exceptions       {failed}")
    print(f"with 第X条        {with_articles}/{parsed} = {with_articles / max(parsed, 1):.1%}")
    print(f"  of docs with an article line: {articles_found_where_written}/{has_article_lines} = "
          f"{articles_found_where_written / max(has_article_lines, 1):.1%}")
    print(f"speed            {parsed / elapsed:.0f} docs/s, {chars / elapsed / 1e6:.2f} MB/s of UTF-8 text "
          f"({elapsed:.1f} s in parse_source)")


if __name__ == "__main__":
    main()
