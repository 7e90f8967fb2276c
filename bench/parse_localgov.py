"""Score `parse` on the collected local-government documents against their gold file.

Usage: python3 bench/parse_localgov.py [tests/data/localgov] [--verbose]

The gold file (``gold.json`` in the folder) lists, per file, the fields a reader would state:
title, issuing_body, issuers (in order), date, doc_number, doc_type and clause_labels (labels of
the two highest numbering styles the text uses). Only the fields a document carries are scored;
``alternatives`` holds other acceptable values. Prints one line per field and the misses.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import parse_file  # noqa: E402
from corpus.model import Document  # noqa: E402

SCALARS = ("title", "issuing_body", "date", "doc_number", "doc_type")
_CN = "一二三四五六七八九十百千零〇两"
# 章 > 条 > 一、 > （一） > 1. > （1）
_STYLES = [re.compile(p) for p in (rf"^第[{_CN}\d]+章$", rf"^第[{_CN}\d]+条(之[{_CN}]+)?$", rf"^[{_CN}]+$",
                                   rf"^\([{_CN}]+\)$", r"^\d+$", r"^\(\d+\)$")]
DEFAULT_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "localgov"


def norm(value: object) -> str:
    """Width, brackets and white space folded, so that equal texts compare equal."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).replace("[", "〔").replace("]", "〕")
    return re.sub(r"\s+", "", text)


def style(label: str) -> int | None:
    """The rank of a label's numbering style, highest first; None for other labels."""
    return next((n for n, pattern in enumerate(_STYLES) if pattern.match(label)), None)


def top_labels(doc: Document) -> Counter[str]:
    """Labels of the two highest numbering styles among the document's clauses."""
    labels = [norm(c.label) for c in doc.clauses]
    used = sorted({s for s in map(style, labels) if s is not None})[:2]
    return Counter(label for label in labels if style(label) in used)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT_DIR))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    folder = Path(args.folder)
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))["documents"]
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    labels = [0, 0, 0]  # right, found, true
    misses: list[str] = []
    for want in gold:
        result = parse_file(str(folder / want["file"]))
        if result.error or not result.documents:
            misses.append(f"{want['file']}: unreadable: {result.error}")
            continue
        doc = result.documents[0]
        record = doc.to_record()
        alternatives = want.get("alternatives", {})
        for field in (*SCALARS, "issuers"):
            if field not in want:
                continue
            got = record.get(field)
            if field == "issuers":  # the lead may be any acceptable issuing_body
                leads = [want[field][0], *alternatives.get("issuing_body", [])]
                ok = [norm(x) for x in got or []] in [[norm(x) for x in [lead, *want[field][1:]]] for lead in leads]
            else:
                ok = norm(got) in {norm(v) for v in [want[field], *alternatives.get(field, [])]}
            totals[field] += 1
            hits[field] += ok
            if not ok:
                misses.append(f"{want['file']}: {field}: got {got!r}, want {want[field]!r}")
        if "clause_labels" in want:
            expected, found = Counter(norm(x) for x in want["clause_labels"]), top_labels(doc)
            labels[0] += sum((expected & found).values())
            labels[1] += sum(found.values())
            labels[2] += sum(expected.values())
            if expected != found:
                misses.append(f"{want['file']}: clause labels: missing {sorted((expected - found).elements())}, "
                              f"extra {sorted((found - expected).elements())}")
    print(f"{'field':<14} right/total")
    for field in (*SCALARS, "issuers"):
        print(f"{field:<14} {hits[field]}/{totals[field]}")
    right, found, true = labels
    precision, recall = right / max(found, 1), right / max(true, 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"{'clause labels':<14} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  ({right} right, {found} found, {true} true)")
    if args.verbose or len(misses) <= 60:
        for miss in misses:
            print("  " + miss)
    else:
        print(f"  ({len(misses)} differences; --verbose lists them)")


if __name__ == "__main__":
    main()
