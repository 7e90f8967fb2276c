"""How many of the seed replies' commitments the drafting aid's section 以往承诺及落实情况 shows
for a new proposal on the same matter.

    python bench/commitments_draft.py [--gold bench/eval/commitments-gold.jsonl]

For each seed reply R (000, 001, 003), a proposal is rebuilt from what R quotes of it: the title
of the proposal it answers and the suggestions its headings quote (关于“…”建议的答复), or where it
quotes none, its own first-level headings. Then two indexes of the bundled samples:

* R left out (the drafting bar's leave-one-out): of the hand-labelled commitments of the other
  seed replies, how many the section shows;
* R kept (the same matter asked again in a later session): of R's own labelled commitments,
  how many the section shows.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import parse_file, sample_dir  # noqa: E402
from indexer.build import ingest  # noqa: E402
from search.drafting import draft_from_text  # noqa: E402
from search.engine import PolicyIndex  # noqa: E402

DRAFT_DAY = "2024-06-30"
_QUOTED_HEADING = re.compile(r"关于“([^”]{4,120})”(?:的)?建议的答复")


def rebuilt_proposal(reply: Path) -> str:
    """A proposal made of what the reply quotes of it (title, suggestions)."""
    doc = parse_file(str(reply)).documents[0]
    asks = _QUOTED_HEADING.findall(doc.body)
    if not asks:
        asks = [c.title for c in doc.clauses if "/" not in c.path and "下一步" not in c.title and c.title]
    title = doc.proposal_title or doc.title
    lines = [title, "", "建议如下："] + [f"{n}、{ask}。" for n, ask in zip("一二三四五六七八九十", asks)]
    return "\n".join(lines) + "\n"


def shown(index_dir: Path, proposal: str) -> list[str]:
    with PolicyIndex(index_dir) as ix:
        draft = draft_from_text(ix, proposal, date=DRAFT_DAY)
    return [c["text"] for s in draft.sections for c in s.commitments]


def _norm(text: str) -> str:
    return "".join(text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", default=str(ROOT / "bench" / "eval" / "commitments-gold.jsonl"))
    args = parser.parse_args()
    gold = {g["source"].split("/")[-1]: [c["text"] for c in g["commitments"]]
            for g in map(json.loads, open(args.gold, encoding="utf-8")) if g["source"].startswith("seeds/")}
    samples = sorted(sample_dir().glob("*.txt"))
    totals = {"left_out": [0, 0], "kept": [0, 0]}
    for name, labels in gold.items():
        reply = next(p for p in samples if p.name == name)
        proposal = rebuilt_proposal(reply)
        others = [t for other, ts in gold.items() if other != name for t in ts]
        for mode, wanted in (("left_out", others), ("kept", labels)):
            with tempfile.TemporaryDirectory() as tmp:
                docs = Path(tmp) / "docs"
                docs.mkdir()
                for path in samples:
                    if mode == "kept" or path.name != name:
                        shutil.copy(path, docs / path.name)
                ingest([str(docs)], Path(tmp) / "ix", vectors="none")
                texts = [_norm(t) for t in shown(Path(tmp) / "ix", proposal)]
            hits = sum(any(_norm(w) in t for t in texts) for w in wanted)
            totals[mode][0] += hits
            totals[mode][1] += len(wanted)
            print(f"{name} {mode:8s}: {hits}/{len(wanted)} labelled commitments shown ({len(texts)} listed)")
    for mode, (hits, total) in totals.items():
        print(f"total {mode:8s}: {hits}/{total} ({hits / total:.0%})")


if __name__ == "__main__":
    main()
