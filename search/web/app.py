"""The search page: a small WSGI application over :mod:`search.web.pages`, in Chinese.

``make_app(index_dir)`` returns the WSGI callable that ``policy-search serve`` runs under
waitress. Routing is a short table of regular expressions (the app has eleven routes; a
framework would add a dependency and hide less than it costs). Each view parses and bounds its
parameters, calls one function of :mod:`search.web.pages` and renders a Jinja2 template with
autoescaping; library errors become pages (or JSON) with the error's ``http_status``.

Safety: only 16-hex-digit ids reach the library (never a path); the query, pasted texts,
request bodies and page sizes are bounded (a proposal uploaded to the drafting routes may be
5 MB; every other body 256 KB); every response carries a Content-Security-Policy
that allows no script at all and only the app's own stylesheet.

Threads: a Whoosh searcher is not safe to share between threads, so waitress's worker threads
share one :class:`PolicyIndex` behind a lock, warmed at start, and reopened when an ingest has
changed the index (:mod:`search.web.pool`). Measured with bench/web_load.py: on the samples a lock and one index per
thread serve about as many requests per second (the work is CPU-bound under the GIL), but on
the laws index (256 588 clauses) an index's first search takes ~11 s of warming, which eight
per-thread indexes each paid under load (timeouts). ``per_thread=True`` keeps the other way.
What makes the target on repeated requests is the cache of answers (:mod:`search.web.caches`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import os
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from errors import DraftInputError, PolicySearchError, QuerySyntaxError, QueryTooLong
from search.drafting import render_docx, render_markdown
from search.engine import SORTS
from search.semantic import MODES
from search.query import check_query_length
from search.web import pages
from search.web.caches import ResponseCache
from search.remote import is_engine
from search.web.commitments_page import asks_for_commitments, commitments_page, facet_label
from search.web.pool import IndexPool
from search.web.wsgi import (
    MAX_BODY_BYTES, HTTPError, Request, Response, StartResponse, attachment, json_response, media_type, parse_form,
    query_args, read_body, read_form, read_multipart, request_path,
)

log = logging.getLogger("policy_search.web")
HERE = Path(__file__).parent  # templates/ and static/ are package data beside this module

ID = re.compile(r"[0-9a-f]{16}")
MAX_UPLOAD_BODY_BYTES = pages.MAX_UPLOAD_BYTES + MAX_BODY_BYTES  # a proposal file and the form's fields
MAX_REQUEST_BYTES = 8 * 1024 * 1024  # the server's own limit: above every route's, so the page says which
API_LIMIT = 100

CSP = ("default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'; img-src 'self' data:")
SECURITY_HEADERS = [
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
]
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml", ".ico": "image/x-icon"}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DRAFT_FILES = {"docx": DOCX_TYPE, "md": "text/markdown; charset=utf-8"}
DRAFT_FILE_NAME = "答复草稿"
UNCACHED = {"/draft"}  # its form shows today's date
# POSTs whose answer depends only on the body and the index: cached like GETs, by a digest of it
CACHED_POSTS = {"/similar", "/api/similar"}
STATUS_TITLES = {400: "请求有误", 404: "找不到页面", 405: "不支持的请求方式", 413: "提交的内容过大",
                 422: "无法读取", 500: "服务器内部错误", 503: "索引暂不可用"}

class App:
    """The WSGI application (see :func:`make_app`)."""

    def __init__(self, index_dir: Path, per_thread: bool = False, shared_cache: Path | None = None) -> None:
        self.indexes = IndexPool(index_dir, per_thread)
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"),
                               autoescape=select_autoescape(default=True, default_for_string=True),
                               trim_blocks=True, lstrip_blocks=True, auto_reload=False)
        self.env.globals.update(
            search_url=search_url, doc_url=doc_url, pages=pages, page_numbers=pages.page_numbers,
            snippet_parts=pages.snippet_parts, clause_anchor=pages.clause_anchor, basename=basename,
            shown_path=shown_path,
        )
        for name in self.env.list_templates():  # compiled now, not by the first requests
            self.env.get_template(name)
        # the query language's help, on every search page: the same HTML each time, made once (for
        # each mode, which its examples' links keep)
        with self.indexes.use() as ix:  # with the examples that find something in this index
            syntax_help, field_help = pages.applicable_help(ix)
        help_html = self.env.get_template("_help.html")
        query_helps = {mode: Markup(help_html.render(syntax_help=syntax_help, field_help=field_help, mode=mode))
                       for mode in pages.MODE_LABELS}
        self.env.globals.update(query_helps=query_helps, query_help=query_helps[pages.DEFAULT_MODE])
        self.static = {p.name: p.read_bytes() for p in (HERE / "static").iterdir() if p.is_file()}
        self.cache = ResponseCache(shared_dir=shared_cache)
        self.routes: list[tuple[re.Pattern[str], tuple[str, ...], Callable[..., Response]]] = [
            (re.compile(r"/"), ("GET",), self.search_view),
            (re.compile(r"/doc/(?P<doc_id>[^/]*)"), ("GET",), self.document_view),
            (re.compile(r"/similar"), ("GET", "POST"), self.precedents_view),
            (re.compile(r"/draft"), ("GET", "POST"), self.draft_view),
            (re.compile(r"/draft\.(?P<fmt>docx|md)"), ("POST",), self.draft_file_view),
            (re.compile(r"/help"), ("GET",), self.help_view),
            (re.compile(r"/api/search"), ("GET",), self.api_search),
            (re.compile(r"/api/doc/(?P<doc_id>[^/]*)"), ("GET",), self.api_document),
            (re.compile(r"/api/similar"), ("POST",), self.api_similar),
            (re.compile(r"/api/draft"), ("POST",), self.api_draft),
            (re.compile(r"/static/(?P<name>[^/]+)"), ("GET",), self.static_view),
        ]

    # -- WSGI ------------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = request_path(environ)
        is_api = path.startswith("/api/")
        try:
            if method in ("GET", "HEAD") and path not in UNCACHED:
                response = self.cache.get_or_make((path, environ.get("QUERY_STRING", ""), self.indexes.version()),
                                                  lambda: self._dispatch(method, path, environ))
            elif method == "POST" and path in CACHED_POSTS:
                body = read_body(Request(method, path, {}, environ))
                environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
                key = (path, environ.get("QUERY_STRING", "") + "\0" + environ.get("CONTENT_TYPE", "") + "\0"
                       + hashlib.sha256(body).hexdigest(), self.indexes.version())
                response = self.cache.get_or_make(key, lambda: self._dispatch(method, path, environ))
            else:
                response = self._dispatch(method, path, environ)
        except HTTPError as exc:
            response = self._error(is_api, exc.status, exc.message)
        except QuerySyntaxError as exc:
            response = self._error(is_api, exc.http_status, str(exc), problem=pages.query_problem(exc))
        except QueryTooLong as exc:  # the API says what the command line says (long texts: similar)
            response = self._error(is_api, exc.http_status, str(exc) if is_api else pages.error_message(exc))
        except PolicySearchError as exc:
            response = self._error(is_api, exc.http_status, pages.error_message(exc))
        except Exception:  # a bug: logged in full, shown to the user as one Chinese line
            log.exception("error answering %s %s", method, path)
            response = self._error(is_api, 500, "处理请求时出错，请稍后再试。")
        headers = [("Content-Type", response.content_type), ("Content-Length", str(len(response.body))),
                   *SECURITY_HEADERS, *response.headers]
        start_response(f"{response.status} {HTTPStatus(response.status).phrase}", headers)
        return [b"" if method == "HEAD" else response.body]

    def _dispatch(self, method: str, path: str, environ: dict[str, Any]) -> Response:
        for pattern, methods, view in self.routes:
            m = pattern.fullmatch(path)
            if not m:
                continue
            if method not in methods and not (method == "HEAD" and "GET" in methods):
                raise HTTPError(405, "此页面不支持这种请求方式。")
            request = Request(method, path, query_args(environ), environ)
            return view(request, **m.groupdict())
        raise HTTPError(404, "没有这个页面。")

    # -- pages -----------------------------------------------------------------------------------
    def search_view(self, request: Request) -> Response:
        query = request.arg("q")
        check_query_length(query)
        level, mode, sort, size, page = _search_options(request)
        if asks_for_commitments(query):  # 范围:承诺: what the replies promised (search.commitments)
            with self.indexes.use() as ix:
                found = commitments_page(ix, query)
            return self._render("commitments.html", page=found, query=query, facet_label=facet_label)
        with self.indexes.use() as ix:
            data = pages.search_page(ix, query, level=level, mode=mode, sort=sort, page=page, size=size)
        return self._render("search.html", page=data, query=data.query)

    def help_view(self, request: Request) -> Response:
        with self.indexes.use() as ix:
            modes = ix.has_vectors()
        return self._render("help.html", query="", modes=modes)

    def document_view(self, request: Request, doc_id: str) -> Response:
        return self._render("document.html", page=self._document(doc_id), query="")

    def _document(self, doc_id: str) -> pages.DocumentPage:
        _check_id(doc_id)
        with self.indexes.use() as ix:
            return pages.document_page(ix, doc_id)

    def precedents_view(self, request: Request) -> Response:
        form = read_form(request) if request.method == "POST" else {}
        text = form.get("text", "")
        pages.check_length("文本", text.strip(), pages.MAX_TEXT_CHARS)
        mode = pages.known_mode(form.get("mode"))
        with self.indexes.use() as ix:
            data = pages.precedents_page(ix, text, mode=mode)
        return self._render("similar.html", page=data, submitted=request.method == "POST", query="")

    def draft_view(self, request: Request) -> Response:
        today = dt.date.today().isoformat()
        if request.method == "GET":
            return self._render("draft.html", page=pages.DraftPage("", "", today), today=today, query="")
        fields, upload_problem = _draft_form(request)
        try:
            if upload_problem is not None:
                raise upload_problem
            with self.indexes.use() as ix:
                data = pages.draft_page(ix, **fields)
        except DraftInputError as exc:  # the form again as filled in, the problem above it
            data = pages.DraftPage(fields["text"], fields["as_body"], fields["date"], error=str(exc))
            return self._render("draft.html", status=400, page=data, today=today, query="")
        return self._render("draft.html", page=data, today=today, query="")

    def draft_file_view(self, request: Request, fmt: str) -> Response:
        """The skeleton of the form's proposal as a Word or Markdown file to save."""
        fields = _draft_fields(request)
        with self.indexes.use() as ix:
            draft = pages.draft_of(ix, **fields)
        body = render_docx(draft) if fmt == "docx" else render_markdown(draft).encode("utf-8")
        return Response(body, content_type=DRAFT_FILES[fmt],
                        headers=(("Content-Disposition", attachment(f"{DRAFT_FILE_NAME}.{fmt}")),
                                 ("Cache-Control", "no-store")))

    def static_view(self, request: Request, name: str) -> Response:
        resource = self.static.get(name)
        if resource is None:
            raise HTTPError(404, "没有这个文件。")
        content_type = STATIC_TYPES.get(Path(name).suffix, "application/octet-stream")
        return Response(resource, content_type=content_type,
                        headers=(("Cache-Control", "public, max-age=3600"),))

    # -- JSON API (the shapes of the CLI's --json) -------------------------------------------------
    def api_search(self, request: Request) -> Response:
        query = request.arg("q").strip()
        if not query:
            raise HTTPError(400, "q is empty — give a query: /api/search?q=时尚产业, or filters alone: "
                                 "/api/search?q=类型:行动计划+年份:2020")
        check_query_length(query)
        limit = _api_number(request, "limit", 10, 1, API_LIMIT)
        offset = _api_number(request, "offset", 0, 0, pages.MAX_PAGE * API_LIMIT)
        sort = _api_choice(request, "sort", SORTS) or "relevance"
        clauses, facets, all_versions = (_api_flag(request, name) for name in ("clauses", "facets", "all_versions"))
        mode = _api_choice(request, "mode", MODES)
        with self.indexes.use() as ix:
            results = ix.search(query, clauses=clauses, limit=limit, offset=offset, sort=sort,
                                as_of=request.arg("as_of") or None, facets=facets,
                                versions=not all_versions, mode=mode)
        body: dict[str, Any] = {"query": query, "total": results.total, "hits": [h.to_json(relative=True) for h in results.hits]}
        if results.facets is not None:
            body["facets"] = results.facets
        return json_response(body)

    def api_document(self, request: Request, doc_id: str) -> Response:
        _check_id(doc_id)
        with self.indexes.use() as ix:
            return json_response(relative_sources(ix.document(doc_id, as_of=request.arg("as_of") or None)))

    def api_similar(self, request: Request) -> Response:
        like = request.arg("like")  # an indexed document's precedents: its stored vector, nothing embedded
        text = "" if like else _text_body(request)
        if not like and not text:
            raise HTTPError(400, 'no text to compare: send {"text": "…"} as JSON, a form field text=…, '
                                 "or the text itself as the body")
        pages.check_length("文本", text, pages.MAX_TEXT_CHARS)
        limit = _api_number(request, "limit", 10, 1, API_LIMIT)
        clauses, mode = _api_flag(request, "clauses"), _api_choice(request, "mode", MODES)
        with self.indexes.use() as ix:
            results = (ix.similar_to(like, clauses=clauses, limit=limit, mode=mode) if like
                       else ix.similar(text, clauses=clauses, limit=limit, mode=mode))
        return json_response({"hits": [h.to_json(relative=True) for h in results.hits],
                              "already_indexed": relative_sources(results.already_indexed)})

    def api_draft(self, request: Request) -> Response:
        """``Draft.to_json()`` of a proposal sent as JSON ``{"text", "as", "date"}``, form fields or a file."""
        fields = _draft_fields(request)
        with self.indexes.use() as ix:
            draft = pages.draft_of(ix, **fields)
        return json_response(relative_sources(draft.to_json()))

    # -- rendering -------------------------------------------------------------------------------
    def _render(self, template: str, status: int = 200, **context: Any) -> Response:
        html = self.env.get_template(template).render(**context)
        return Response(html.encode("utf-8"), status=status)

    def _error(self, is_api: bool, status: int, message: str, problem: pages.QueryProblem | None = None) -> Response:
        if is_api:
            return json_response({"error": message, "status": status}, status)
        title = STATUS_TITLES.get(status, "出错了")
        if problem is not None:
            title = "查询语句有误"
        return self._render("error.html", status=status, status_code=status, title=title, message=message,
                            problem=problem, query=problem.before + problem.at + problem.after if problem else "")


def make_app(index_dir: str | os.PathLike[str], *, per_thread: bool = False, cache: bool = True,
             shared_cache: str | os.PathLike[str] | None = None) -> App:
    """The WSGI application serving the index at ``index_dir`` (opened now, to fail early).

    ``shared_cache`` is a private folder where several worker processes share their answers.
    ``per_thread=True`` gives each worker thread its own index and ``cache=False`` answers every
    request afresh: both only to measure what the defaults gain.
    """
    app = App(index_dir if is_engine(str(index_dir)) else Path(index_dir), per_thread,  # type: ignore[arg-type]
              Path(shared_cache) if shared_cache is not None else None)
    if not cache:
        app.cache.max_entries = 0
    return app


# -- helpers ------------------------------------------------------------------------------------
def search_url(query: str = "", level: str = "doc", sort: str = "relevance", page: int = 1,
               size: int = pages.PAGE_SIZES[0], mode: str = pages.DEFAULT_MODE) -> str:
    """The URL of a search page; default values are left out, so links stay short."""
    params = [f"q={_quoted(query)}"] if query else []
    if level != "doc":
        params.append(f"level={_quoted(level)}")
    if mode != pages.DEFAULT_MODE:
        params.append(f"mode={_quoted(mode)}")
    if sort != ("date" if not query else "relevance"):
        params.append(f"sort={_quoted(sort)}")
    if size != pages.PAGE_SIZES[0]:
        params.append(f"n={size}")
    if page != 1:
        params.append(f"page={page}")
    return "/?" + "&".join(params) if params else "/"


def _quoted(value: str) -> str:
    """A query-string value as ``urlencode`` writes it. Quoted a word at a time (a space is +),
    each word once: a page links its query with ~50 filters added, and the words recur."""
    return "+".join(_quoted_word(word) for word in value.split(" "))


@lru_cache(maxsize=4096)
def _quoted_word(word: str) -> str:
    return quote_plus(word)


def doc_url(doc_id: str, clause: str | None = None) -> str:
    return f"/doc/{doc_id}" + (f"#{pages.clause_anchor(clause)}" if clause else "")


def relative_sources(value: Any) -> Any:
    """A record or draft as the JSON API gives it: every ``source`` is the one inside the folder
    that was ingested (its ``relative_source``), never a path of the server's."""
    if isinstance(value, list):
        return [relative_sources(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: relative_sources(v) for k, v in value.items() if k not in ("relative_source", "relative_copies")}
    if "source" in out and isinstance(out["source"], str):
        out["source"] = value.get("relative_source") or basename(out["source"])
    if "copies" in out and isinstance(out["copies"], list):
        out["copies"] = value.get("relative_copies", [basename(c) for c in out["copies"]])
    return out


def shown_path(source: str | dict[str, Any]) -> str:
    """What a page shows of a source (or a copy's record ``{"source", "relative_source"}``): a path
    inside the folder or table that was ingested, else the file name (and row) — never a folder of
    the server (an absolute path, or one climbing out with ``..``)."""
    if isinstance(source, dict):
        source = source.get("relative_source") or source.get("source") or ""
    parts = re.split(r"[\\/]", source)
    if source.startswith(("/", "\\", "~")) or re.match(r"[A-Za-z]:", source) or ".." in parts:
        return parts[-1]
    return source


def basename(source: str) -> str:
    """What a page shows of a source: the file name (and row), never the folder it was read from."""
    return re.split(r"[\\/]", source)[-1]


def _check_id(doc_id: str) -> None:
    """Only an id reaches the library (never a path); anything else is a 404 saying what an id is."""
    if not ID.fullmatch(doc_id):
        raise HTTPError(404, f"“{doc_id[:40]}”不是文件编号：文件编号是 16 位十六进制数字（检索结果中每个文件都有）。")


def _api_number(request: Request, name: str, default: int, low: int, high: int) -> int:
    """A whole-number API parameter, checked as the CLI checks its option: out of range or not a
    number is an HTTP 400 naming the parameter, never a silent change of what was asked."""
    value = request.arg(name).strip()
    if not value:
        return default
    if not re.fullmatch(r"[-+]?\d{1,9}", value):
        raise HTTPError(400, f"{name} must be a whole number, got `{value[:40]}`")
    number = int(value)
    if not low <= number <= high:
        raise HTTPError(400, f"{name} must be between {low} and {high}, got {number}")
    return number


def _api_flag(request: Request, name: str) -> bool:
    """A yes/no API parameter: ``1`` (yes) or ``0`` (no, as when it is left out); any other value
    is an HTTP 400 naming the parameter and the values it takes, never read as one of them."""
    value = request.arg(name).strip()
    if value not in ("", "0", "1"):
        raise HTTPError(400, f"{name} must be 1 (yes) or 0 (no), got `{value[:40]}`")
    return value == "1"


def _api_choice(request: Request, name: str, choices: Iterable[str]) -> str | None:
    """An API parameter that takes one of ``choices`` (None when left out); any other value is an
    HTTP 400 naming the parameter and its values."""
    value = request.arg(name).strip()
    if not value:
        return None
    if value not in choices:
        raise HTTPError(400, f"{name} must be one of {', '.join(choices)}, got `{value[:40]}`")
    return value


def _search_options(request: Request) -> tuple[str, str, str | None, int, int]:
    """The search page's parameters: level, mode, sort, page size and page; a value the page does
    not know is taken as the default. A link from before ``level`` existed names it as ``mode=doc``
    or ``mode=clause``: read as the level."""
    mode = request.arg("mode")
    level = request.arg("level")
    if level not in pages.LEVEL_LABELS:
        level = mode if mode in pages.LEVEL_LABELS else "doc"
    mode = pages.known_mode(mode)
    sort = request.arg("sort") or None
    sort = sort if sort in pages.SORT_LABELS or sort is None else None
    size = request.int_arg("n", pages.PAGE_SIZES[0])
    size = size if size in pages.PAGE_SIZES else pages.PAGE_SIZES[0]
    page = min(max(request.int_arg("page", 1), 1), pages.MAX_PAGE)
    return level, mode, sort, size, page














def _text_body(request: Request) -> str:
    """The text of /api/similar: a form field ``text``, a JSON object's ``text``, or the raw body."""
    content_type = media_type(request)
    raw = read_body(request).decode("utf-8", errors="replace")
    if content_type == "application/x-www-form-urlencoded":
        # `curl --data-binary @file` sends a plain text under this type: no `text=` field, the raw text
        return parse_form(raw).get("text", raw if "text=" not in raw else "").strip()
    if content_type == "application/json":
        try:
            item = json.loads(raw)
        except ValueError:
            raise HTTPError(400, 'expected a JSON object {"text": ...}') from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise HTTPError(400, 'expected a JSON object {"text": ...}')
        return item["text"].strip()
    return raw.strip()


def _draft_fields(request: Request) -> dict[str, str]:
    """The drafting form: ``text`` (or an uploaded ``file``, read as the corpus reads files),
    ``as`` and ``date``; as form fields, multipart with a file, or a JSON object."""
    fields, upload_problem = _draft_form(request)
    if upload_problem is not None:
        raise upload_problem
    return fields


def _draft_form(request: Request) -> tuple[dict[str, str], DraftInputError | None]:
    """:func:`_draft_fields`, with the problem of an uploaded file (empty, of another type, too
    large) returned beside the other fields rather than raised: the page shows the form again."""
    content_type = media_type(request)
    problem = None
    if content_type == "multipart/form-data":
        body = read_body(request, MAX_UPLOAD_BODY_BYTES)
        fields, upload = read_multipart(body, request.environ.get("CONTENT_TYPE", ""))
        if upload is not None:
            try:
                fields["text"] = pages.read_upload(*upload)
            except DraftInputError as exc:
                problem = exc
    elif content_type == "application/json":
        try:
            item = json.loads(read_body(request))
        except ValueError:
            raise HTTPError(400, 'expected a JSON object {"text": ..., "as": ..., "date": ...}') from None
        if not isinstance(item, dict) or not all(isinstance(item.get(k) or "", str) for k in ("text", "as", "date")):
            raise HTTPError(400, 'expected a JSON object {"text": ..., "as": ..., "date": ...} of strings')
        fields = {k: item.get(k) or "" for k in ("text", "as", "date")}
    else:
        fields = parse_form(read_body(request).decode("utf-8", errors="replace"))
    return {"text": fields.get("text", ""), "as_body": fields.get("as", ""), "date": fields.get("date", "")}, problem


__all__ = ["App", "MAX_REQUEST_BYTES", "make_app"]
