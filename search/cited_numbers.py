"""文号 known only from citations: a reply cites 《深圳市时尚产业高质量发展行动计划》（深府办〔2020〕4号）
while the plan's own page never prints its number. The number then belongs to the document the
citation resolves to: a 文号 filter finds it, and its record shows the number, marked as known
from citations."""
from __future__ import annotations

import datetime as dt
import json
import re

from whoosh import query as Q

from search.citing import Citations
from search.state import IndexState

_FULL_NUMBER = re.compile(r"^.+〔\d{4}〕\d+号$")


class CitedNumbers:
    """The 文号 that citations give indexed documents lacking one, found once per open index."""

    def __init__(self, state: IndexState, citations: Citations) -> None:
        self.state = state
        self.citations = citations
        self._by_number: dict[str, list[str]] | None = None

    def by_number(self) -> dict[str, list[str]]:
        """文号 → the ids of the documents citations give it (numbers some document holds as its
        own are left out: they are that document's)."""
        if self._by_number is None:
            state = self.state
            own = set(state.field_values("doc_number"))
            today = dt.date.today().isoformat()
            found: dict[str, dict[str, None]] = {}
            for number in state.field_values("cites"):
                if number in own or not _FULL_NUMBER.match(number):
                    continue
                for docnum in sorted(state.docs(Q.And([Q.Term("cites", number), Q.Term("kind", "doc")]))):
                    record = json.loads(state.stored(docnum)["record"])
                    for citation in record.get("citations", []):
                        if citation.get("doc_number") == number:
                            target = self.citations.resolve(citation, today, record["id"])["resolved_id"]
                            if target:
                                found.setdefault(number, {})[str(target)] = None
            self._by_number = {number: list(ids) for number, ids in found.items()}
        return self._by_number

    def of_document(self, doc_id: str) -> list[str]:
        """The 文号 citations give the document ``doc_id``."""
        return [number for number, ids in self.by_number().items() if doc_id in ids]

    def documents(self, number: str | None = None, part: str | None = None) -> list[str]:
        """The ids of the documents given the full ``number``, or a number holding ``part``."""
        return list(dict.fromkeys(doc_id for n, ids in self.by_number().items()
                                  if (n == number if number else part is not None and part in n) for doc_id in ids))
