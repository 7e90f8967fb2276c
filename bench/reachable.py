#!/usr/bin/env python3
"""Is every reply a precedent a user can find? Over an index of replies (the public table):

- **shown as versions**: replies that ``show`` gives versions, 已被修改 or a newer version
  amending them, or that a search lists as a version of another hit (a reply is its own
  precedent, never a version of another);
- **with a status**: replies whose status is not null (a reply has no period of force);
- **unreachable**: replies that the default search of their own subject (their title) does not
  list on its first page, neither as a hit nor among a hit's copies.

Usage: python3 bench/reachable.py --index DIR [--limit 10] [--mode hybrid|lexical|semantic]

Prints the three counts (the target is 0 each) and the first few replies of each, with ids.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.kinds import REPLY_TYPES  # noqa: E402
from errors import QuerySyntaxError  # noqa: E402
from search.engine import PolicyIndex  # noqa: E402
from search.query import ParsedQuery  # noqa: E402

SHOWN = 5


def replies(index: PolicyIndex) -> list[tuple[str, str, str]]:
    """(id, title, source) of every reply in the index."""
    from whoosh import query as Q

    found = []
    state = index.state
    for docnum in sorted(state.docs(Q.And([Q.Term("kind", "doc"), Q.Or([Q.Term("doc_type", t) for t in REPLY_TYPES])]))):
        stored = state.stored(docnum)
        found.append((stored["doc_id"], stored["display"]["title"], stored["display"]["source"]))
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--limit", type=int, default=10, help="the first page's size (the CLI's default: 10)")
    ap.add_argument("--mode", default=None, help="hybrid, lexical or semantic (default: the index's default)")
    args = ap.parse_args()
    as_versions: dict[str, str] = {}  # by id: a reply shown as a version counts once
    with_status: list[str] = []
    unreachable: list[str] = []
    typed_as_filter: list[str] = []
    with PolicyIndex(args.index) as index:
        every = replies(index)
        for doc_id, title, source in every:
            record = index.document(doc_id)
            if record["versions"] or record["amended_by"] or record["status"] == "已被修改":
                as_versions[doc_id] = f"{doc_id} {title}"
            if record["status"] is not None:
                with_status.append(f"{doc_id} {title} ({record['status']})")
            try:  # the subject as typed into the search box
                hits = index.search(title, limit=args.limit, mode=args.mode).hits
            except QuerySyntaxError:  # a subject that reads as a filter (咨询:…): its words, as words
                typed_as_filter.append(f"{doc_id} {title}")
                hits = index.search(ParsedQuery.build([title]), limit=args.limit, mode=args.mode).hits
            if any(v.doc_id == doc_id for h in hits for v in h.versions if h.id != doc_id):
                as_versions.setdefault(doc_id, f"{doc_id} {title} (listed as a version of another hit)")
            if not any(h.id == doc_id or source in h.copies for h in hits):
                unreachable.append(f"{doc_id} {title}")
    print(f"replies: {len(every)} (subjects that the query language reads as a filter: {len(typed_as_filter)})")
    for label, found in (("shown as versions or 已被修改", list(as_versions.values())), ("with a status", with_status),
                         (f"not on the first page ({args.limit}) of a search of their subject", unreachable)):
        print(f"{label}: {len(found)}")
        for line in found[:SHOWN]:
            print(f"  {line}")
    return 0 if not (as_versions or with_status or unreachable) else 1


if __name__ == "__main__":
    sys.exit(main())
