"""Clean what real files carry before anything reads them.

Word leaves ``[bookmark: _GoBack]`` markers; government pages indent with em spaces (U+2003),
ideographic spaces (U+3000) and no-break spaces; files come with CRLF. Cleaning keeps line
breaks (they delimit headings and clauses) and never changes the characters of the text
itself, only the white space and the residue around it.
"""
from __future__ import annotations

import re

_RESIDUE = re.compile(r"\[bookmark:\s*[^\]]*\]|[\ufeff\u200b\u200c\u200d\u2060]")
# Every horizontal space that is not an ordinary one: NBSP, en/em/thin spaces, ideographic space, tab.
_ODD_SPACE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_TRAILING = re.compile(r"[ ]+$", re.M)
_LEADING = re.compile(r"^[ ]+", re.M)
_MANY_BLANK = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Normalise line ends and white space, drop Word residue; keep line structure.

    >>> clean_text("\\u3000\\u3000一、发展目标\\r\\n[bookmark: _GoBack]到2022年 \\r\\n")
    '一、发展目标\\n到2022年'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = _RESIDUE.sub("", text)
    text = _ODD_SPACE.sub(" ", text)
    text = _TRAILING.sub("", text)
    text = _LEADING.sub("", text)
    text = _MANY_BLANK.sub("\n\n", text)
    return text.strip("\n ")
