"""The project's exceptions: one base class and a few named ones.

Every layer (corpus, indexer, search, cli) raises these; the CLI turns them into a one-line
message and an exit status, the web page into an HTTP status and a Chinese message chosen by
the error's ``code`` (stable, unlike the English message). Messages say what to do next and
name parameters, not command-line flags: a :class:`UsageError` carries the parameter's name,
and the CLI writes it as its flag.
"""
from __future__ import annotations


class PolicySearchError(Exception):
    """Base class of every error this project raises on purpose."""

    code = "error"
    exit_code = 1
    http_status = 500


class UnreadableDocument(PolicySearchError):
    """Raised when a file cannot be read or decoded as a document."""

    code = "unreadable"
    http_status = 422

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class QuerySyntaxError(PolicySearchError):
    """Raised when a user query cannot be parsed; points at the offending position.

    ``code`` names the problem (``query.unknown_field`` …) and ``value`` the text it is about
    (the field's name), so that a page can say it in its own language.
    """

    code = "query"
    http_status = 400

    def __init__(self, query: str, position: int, problem: str, hint: str = "", *, code: str = "",
                 value: str = "") -> None:
        self.query = query
        self.position = position
        self.problem = problem
        self.hint = hint
        self.value = value
        if code:
            self.code = f"query.{code}"
        caret = " " * _display_width(query[:position]) + "^"
        lines = [f"cannot parse query: {problem}", f"  {query}", f"  {caret}"]
        if hint:
            lines.append(hint)
        super().__init__("\n".join(lines))


class IndexMissing(PolicySearchError):
    """Raised when a command needs an index and there is none at the given place."""

    code = "index_missing"
    exit_code = 2
    http_status = 503

    def __init__(self, index_dir: str, is_file: bool = False) -> None:
        self.index_dir = index_dir
        if is_file:  # `ingest DIR --index FILE` would fail too: name a folder
            super().__init__(f"{index_dir} is a file, not an index folder — give the folder of an index, or build "
                             "one in a new folder: `policy-search ingest DIR --index ./ix`")
            return
        super().__init__(
            f"no index at {index_dir} — build one with `policy-search ingest DIR --index {index_dir}`"
        )


class IndexEmpty(PolicySearchError):
    """Raised when a command searches an index that holds no document."""

    code = "index_empty"
    exit_code = 2
    http_status = 503

    def __init__(self, index_dir: str) -> None:
        self.index_dir = index_dir
        super().__init__(
            f"the index at {index_dir} is empty — add documents with `policy-search ingest DIR --index {index_dir}`"
        )


class IndexMismatch(PolicySearchError):
    """Raised when an index was built with other analysis settings than this program uses."""

    code = "index_mismatch"
    exit_code = 2
    http_status = 503


class IndexLocked(PolicySearchError):
    """Raised when another ingest is writing to the same index."""

    code = "index_locked"
    exit_code = 2
    http_status = 503


class IndexWriteFailed(PolicySearchError):
    """Raised when writing the index fails (a full disk, say); the index is left as it was."""

    code = "index_write_failed"
    exit_code = 2
    http_status = 503


class UsageError(PolicySearchError):
    """Raised when options given to a library function contradict each other or are malformed.

    With ``param``, the message is a template naming it as ``{param}``: ``str()`` shows the
    parameter's own name (``as_of``), :meth:`naming` another name for it (``--as-of``).
    """

    code = "usage"
    exit_code = 2
    http_status = 400

    def __init__(self, message: str, *, param: str = "") -> None:
        self.template = message
        self.param = param
        super().__init__(message.replace("{param}", param) if param else message)

    def naming(self, name: str) -> str:
        """The message with the parameter called ``name`` (the CLI passes its flag)."""
        return self.template.replace("{param}", name) if self.param else str(self)


class UnknownDocument(PolicySearchError):
    """Raised when no indexed document has the given id or source."""

    code = "unknown_document"
    http_status = 404

    def __init__(self, doc_id: str, message: str = "") -> None:
        super().__init__(message or f"no document with id or source `{doc_id}` in the index — "
                         "find ids with `policy-search search QUERY --json`")


class QueryTooLong(PolicySearchError):
    """Raised when a query is longer than a query can be (``search``, ``/api/search``): a long
    text is a text to find the like of, which ``similar`` does."""

    code = "query_too_long"
    http_status = 400

    def __init__(self, given: int, limit: int) -> None:
        self.given, self.limit = given, limit
        super().__init__(f"the query is {given:,} characters long, at most {limit} are taken — to find the "
                         "texts like a long text (a proposal, a message), use similar: "
                         "`policy-search similar FILE` or POST /api/similar")


class InputTooLong(UsageError):
    """Raised when a query or a pasted text is longer than the page accepts."""

    code = "input_too_long"
    http_status = 400

    def __init__(self, what: str, limit: int, given: int) -> None:
        self.what, self.limit, self.given = what, limit, given
        super().__init__(f"{what}过长：共 {given} 字，最多 {limit} 字")


class DraftInputError(UsageError):
    """Raised when the drafting form is missing its proposal or holds a date that is not one."""

    code = "draft_input"
    http_status = 400


class UnreadableUpload(UnreadableDocument):
    """Raised when an uploaded proposal cannot be read; names the upload, never the temporary file."""

    code = "unreadable_upload"


class WorkerFailed(PolicySearchError):
    """Raised when a worker process of the server could not open the index or start serving."""

    code = "worker_failed"

    def __init__(self) -> None:
        super().__init__("a worker process could not start (see the messages above)")


class EngineUnavailable(PolicySearchError):
    """Raised when no node of a remote search engine answers; names every address tried."""

    code = "engine_unavailable"
    exit_code = 2
    http_status = 503

    def __init__(self, addresses: str, reason: str = "") -> None:
        self.addresses = addresses
        super().__init__(f"the search engine at {addresses} does not answer{': ' + reason if reason else ''} — "
                         "start it, or check the address given to --engine")


class EngineRefused(PolicySearchError):
    """Raised when a remote search engine refuses a request: a wrong API key, a missing collection,
    or a request it cannot serve."""

    code = "engine_refused"
    exit_code = 2
    http_status = 503


def _display_width(text: str) -> int:
    """Columns a terminal uses for ``text``: CJK and full-width characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


__all__ = ["DraftInputError", "EngineRefused", "EngineUnavailable", "IndexLocked", "IndexMismatch", "IndexMissing", "IndexWriteFailed", "InputTooLong",
           "PolicySearchError", "QuerySyntaxError", "UnknownDocument", "UnreadableDocument", "UnreadableUpload",
           "UsageError", "WorkerFailed"]
