"""The project's exceptions: one base class and a few named ones.

Every layer (corpus, indexer, search, cli) raises these; the CLI turns them into a one-line
message and an exit status, the web page into an HTTP status. Messages say what to do next.
"""
from __future__ import annotations


class PolicySearchError(Exception):
    """Base class of every error this project raises on purpose."""

    exit_code = 1
    http_status = 500


class UnreadableDocument(PolicySearchError):
    """Raised when a file cannot be read or decoded as a document."""

    http_status = 422

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class QuerySyntaxError(PolicySearchError):
    """Raised when a user query cannot be parsed; points at the offending position."""

    http_status = 400

    def __init__(self, query: str, position: int, problem: str, hint: str = "") -> None:
        self.query = query
        self.position = position
        self.problem = problem
        self.hint = hint
        caret = " " * _display_width(query[:position]) + "^"
        lines = [f"cannot parse query: {problem}", f"  {query}", f"  {caret}"]
        if hint:
            lines.append(hint)
        super().__init__("\n".join(lines))


class IndexMissing(PolicySearchError):
    """Raised when a command needs an index and there is none at the given place."""

    exit_code = 2
    http_status = 503

    def __init__(self, index_dir: str) -> None:
        self.index_dir = index_dir
        super().__init__(
            f"no index at {index_dir} — build one with `policy-search ingest DIR --index {index_dir}`"
        )


class IndexMismatch(PolicySearchError):
    """Raised when an index was built with other analysis settings than this program uses."""

    exit_code = 2
    http_status = 503


class IndexLocked(PolicySearchError):
    """Raised when another ingest is writing to the same index."""

    exit_code = 2
    http_status = 503


class IndexWriteFailed(PolicySearchError):
    """Raised when writing the index fails (a full disk, say); the index is left as it was."""

    exit_code = 2
    http_status = 503


class UsageError(PolicySearchError):
    """Raised when options given to a library function contradict each other or are malformed."""

    exit_code = 2
    http_status = 400


def _display_width(text: str) -> int:
    """Columns a terminal uses for ``text``: CJK and full-width characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
