"""Precision and recall of the commitments read from replies, against hand-labelled gold.

    python bench/commitments.py [--gold bench/eval/commitments-gold.jsonl] [--half A|B|C|held|all] [--show]

The gold (bench/eval/commitments-gold.jsonl) labels every commitment of 65 rows of the public
replies (every 35th row, and every 35th from row 17 where the reply says 将 or 下一步) and of
the three seed replies, alternating between half A (tuned on) and half B (held out), and of 40
more rows (every 35th from row 8), set C, labelled after the extractor was written and never
tuned on: a piece of each commitment's text, the committing body where the reply names one, and
its deadline. ``--half held`` (the default) scores B and C together.

A found commitment matches a gold one when it contains the gold's text (spaces ignored); each
gold commitment matches once. Deadlines are scored over matched pairs and the found deadlines:
a deadline is right when its date equals the gold's. Bodies are scored where the gold names one.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import parse_file  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
COLUMNS = "id=留言编号,title=留言主题,body=答复意见,date=答复时间,doc_type=答复"


def _norm(text: str) -> str:
    return "".join(text.split())


def found_commitments(gold: list[dict], shared: Path) -> dict[str, list[dict]]:
    """The commitments the product reads from each gold reply, keyed as the gold is."""
    found: dict[str, list[dict]] = {}
    rows = {g["id"] for g in gold if g["source"] == "replies-public.csv"}
    if rows:
        table = shared / "replies-public.csv"
        # one parse of the table, the rows the gold names kept
        for doc in parse_file(str(table), columns=COLUMNS).documents:
            key = doc.source.rsplit("#", 1)[-1]
            if key in rows:
                found[key] = [_as_dict(c) for c in doc.commitments]
    for g in gold:
        if g["source"].startswith("seeds/"):
            docs = parse_file(str(shared / g["source"])).documents
            found[g["source"]] = [_as_dict(c) for c in docs[0].commitments]
    return found


def _as_dict(c) -> dict:  # type: ignore[no-untyped-def]
    return {"text": c.text, "body": c.body, "deadline": c.deadline, "clause": c.clause}


def score(gold: list[dict], found: dict[str, list[dict]], show: bool = False) -> dict[str, float]:
    tp = fp = fn = 0
    dl_right = dl_found = dl_gold = 0
    body_right = body_gold = 0
    for g in gold:
        key = g["id"] if g["source"] == "replies-public.csv" else g["source"]
        predicted = found.get(key, [])
        used: set[int] = set()
        for label in g["commitments"]:
            hit = next((i for i, p in enumerate(predicted)
                        if i not in used and _norm(label["text"]) in _norm(p["text"])), None)
            if label["deadline"]:
                dl_gold += 1
            if hit is None:
                fn += 1
                if show:
                    print(f"MISS {key}: {label['text']}")
                continue
            used.add(hit)
            tp += 1
            p = predicted[hit]
            if p["deadline"]:
                dl_found += 1
                dl_right += p["deadline"] == label["deadline"]
            elif show and label["deadline"]:
                print(f"DEADLINE MISSED {key}: {label['deadline']} in {p['text'][:60]}")
            if label["body"]:
                body_gold += 1
                body_right += bool(p["body"]) and (label["body"] in p["body"] or p["body"] in label["body"])
        for i, p in enumerate(predicted):
            if i not in used:
                fp += 1
                if p["deadline"]:
                    dl_found += 1
                if show:
                    print(f"EXTRA {key}: {p['text'][:90]}")
    return {
        "replies": len(gold),
        "gold": tp + fn, "found": tp + fp,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "deadline_precision": dl_right / dl_found if dl_found else 1.0,
        "deadline_recall": dl_right / dl_gold if dl_gold else 1.0,
        "deadlines_gold": dl_gold,
        "body_accuracy": body_right / body_gold if body_gold else 1.0,
        "bodies_gold": body_gold,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", default=str(ROOT / "bench" / "eval" / "commitments-gold.jsonl"))
    parser.add_argument("--shared", default=str(SHARED), help="the folder holding replies-public.csv and seeds/")
    parser.add_argument("--half", choices=("A", "B", "C", "held", "all"), default="held",
                        help="A: tuned on; B, C: held out (held: both); all")
    parser.add_argument("--show", action="store_true", help="print each miss and extra")
    args = parser.parse_args()
    gold = [json.loads(line) for line in open(args.gold, encoding="utf-8") if line.strip()]
    if args.half != "all":
        halves = ("B", "C") if args.half == "held" else (args.half,)
        gold = [g for g in gold if g["half"] in halves]
    found = found_commitments(gold, Path(args.shared))
    result = score(gold, found, args.show)
    print(f"half {args.half}: {result['replies']} replies, {result['gold']} commitments labelled, "
          f"{result['found']} found")
    print(f"  extraction precision {result['precision']:.3f}  recall {result['recall']:.3f}")
    print(f"  deadlines  precision {result['deadline_precision']:.3f}  recall {result['deadline_recall']:.3f}"
          f"  ({result['deadlines_gold']} labelled)")
    print(f"  committing body right {result['body_accuracy']:.3f} of {result['bodies_gold']} named in the gold")


if __name__ == "__main__":
    main()
