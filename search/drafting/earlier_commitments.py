"""The draft's section 以往承诺及落实情况: what earlier replies on the same matter promised.

The replies are the drafting aid's own precedents (the same hybrid ranking); for each, its
commitments (corpus.commitments) are quoted verbatim with the reply's date, the proposal
number and session it answered (the same matter asked again), the deadline, and what the
index can tell of their follow-through (search.commitments) — then a gap 【待填写：落实情况】
for the writer, who alone knows what was delivered.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from search.commitments import CommitmentHit
from search.drafting.letter import DraftSection, Line, Source, placeholder
from search.engine import PolicyIndex

HEADING = "{number}、以往承诺及落实情况"
GUIDE = "【以往承诺：以往答复中就同一事项作出的承诺，请逐项说明落实情况】"
PARTICULARS = "【承诺日期：{date}；所答提案或建议：{asked}；承诺单位：{body}；期限：{deadline}；索引所见：{status}】"
GAP = "落实情况"
COMMITMENT_REPLIES = 3  # the closest earlier replies whose commitments are listed
COMMITMENTS_PER_REPLY = 8
SAME_MATTER_SHARE = 0.5  # a reply scoring below this share of the best one is not the same matter


def earlier_commitments(index: PolicyIndex, replies: list[tuple[float, dict[str, Any]]], day: str,
                        source_of: Callable[[dict[str, Any], str | None, str], Source]) -> list[dict[str, Any]]:
    """The commitments of ``replies`` (records, best first) dated on or before ``day``, each
    with its reply, proposal number, session, deadline and follow-through; ``source_of`` cites
    a commitment's text by its reply, the path holding it and the text."""
    found = []
    best = max((score for score, _ in replies), default=0.0)
    for score, record in replies[:COMMITMENT_REPLIES]:
        if record.get("date") and record["date"] > day or score < best * SAME_MATTER_SHARE:
            continue
        for c in (record.get("commitments") or [])[:COMMITMENTS_PER_REPLY]:
            hit = CommitmentHit(text=c["text"], body=c.get("body"), deadline=c.get("deadline"),
                                deadline_text=c.get("deadline_text"), clause=c.get("clause"),
                                reply_id=record["id"], reply_title=record.get("title") or "",
                                reply_date=record.get("date"), proposal_number=record.get("proposal_number"),
                                session=record.get("session"), found_in=c.get("found_in") or "sentence")
            entry = {k: v for k, v in hit.to_json().items() if k != "score"}
            entry["follow_through"] = index.commitments.follow_through(hit, day)
            entry["source"] = source_of(record, c.get("clause"), c["text"])
            found.append(entry)
    return found


def earlier_proposals(commitments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same matter asked before: each earlier reply whose commitments are listed, with the
    proposal number and session it answered, its date and how many commitments it made."""
    found: dict[str, dict[str, Any]] = {}
    for c in commitments:
        entry = found.setdefault(c["reply_id"], {
            "reply_id": c["reply_id"], "reply_title": c["reply_title"], "date": c.get("reply_date"),
            "proposal_number": c.get("proposal_number"), "session": c.get("session"), "commitments": 0})
        entry["commitments"] += 1
    return list(found.values())


def section(number: str, commitments: list[dict[str, Any]]) -> DraftSection | None:
    """The section listing ``commitments``; None when there are none."""
    if not commitments:
        return None
    heading = Line("fixed", HEADING.format(number=number), "heading", template=HEADING, facts={"number": number})
    lines = [heading, Line("guide", GUIDE, "body", template=GUIDE)]
    for c in commitments:
        facts = _particulars(c)
        lines.append(Line("guide", PARTICULARS.format(**facts), "body", template=PARTICULARS, facts=facts))
        lines.append(Line("passage", c["text"], "body", source=c["source"]))
        lines.append(Line("placeholder", placeholder(GAP)))
    out = DraftSection(number, heading.text, None, [], [], lines)
    out.commitments = [{k: v for k, v in c.items() if k != "source"} | {"source": c["source"].to_json()}
                       for c in commitments]
    return out


def _particulars(c: dict[str, Any]) -> dict[str, str]:
    """The facts of :data:`PARTICULARS`, each read from the indexed reply or the index."""
    asked = "".join(p for p in (c.get("session"), f"第{c['proposal_number']}号" if c.get("proposal_number") else None)
                    if p)
    status = c.get("follow_through")
    seen = "无可核对的文件"
    if status:
        done = status.get("document")
        seen = status["status"] + (f"《{done['title']}》（{done['date'] or '日期不详'}）" if done else "")
    return {"date": c.get("reply_date") or "不详", "asked": asked or "不详", "body": c.get("body") or "不详",
            "deadline": c.get("deadline") or "未定", "status": seen}
