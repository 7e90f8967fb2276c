"""The drafting aid: a reply letter's skeleton built from precedents and clauses, as Markdown or Word."""
