"""The HTTP basics of the page: a request, a response, and reading what a client sent.

Bodies and fields are bounded here (a body beyond its limit is refused before it is read);
anything malformed becomes an :class:`HTTPError` with a short Chinese message.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from email import policy as email_policy
from email.parser import BytesParser
from typing import Any
from urllib.parse import parse_qsl, quote

MAX_BODY_BYTES = 256 * 1024  # 20 000 Chinese characters, percent-encoded, fit in 180 KiB
MAX_FIELDS = 20

StartResponse = Callable[..., Any]


class HTTPError(Exception):
    """An error answered with ``status`` and a short Chinese message."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Request:
    method: str
    path: str
    args: dict[str, str]
    environ: dict[str, Any]

    def arg(self, name: str, default: str = "") -> str:
        return self.args.get(name, default)

    def int_arg(self, name: str, default: int) -> int:
        value = self.args.get(name, "")
        return int(value) if value.isdigit() and len(value) < 6 else default

    def flag(self, name: str) -> bool:
        return self.args.get(name, "").lower() in ("1", "true", "yes", "on")


@dataclass
class Response:
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


def request_path(environ: dict[str, Any]) -> str:
    raw = environ.get("PATH_INFO") or "/"
    try:
        return raw.encode("latin-1").decode("utf-8")  # WSGI hands over bytes as latin-1
    except (UnicodeEncodeError, UnicodeDecodeError):
        return raw


def query_args(environ: dict[str, Any]) -> dict[str, str]:
    try:
        pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise HTTPError(400, "请求参数过多。") from None
    return dict(pairs)


def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    try:
        length = int(request.environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise HTTPError(400, "请求头 Content-Length 无效。") from None
    if length > limit:
        size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
        raise HTTPError(413, f"提交的内容超过 {size}，请缩短后再试。")
    return request.environ["wsgi.input"].read(length) if length > 0 else b""


def media_type(request: Request) -> str:
    return request.environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()


def read_form(request: Request) -> dict[str, str]:
    return parse_form(read_body(request).decode("utf-8", errors="replace"))


def parse_form(body: str) -> dict[str, str]:
    try:
        return dict(parse_qsl(body, keep_blank_values=True, max_num_fields=MAX_FIELDS))
    except ValueError:
        raise HTTPError(400, "表单字段过多。") from None


def read_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], tuple[str, bytes] | None]:
    """The text fields of a multipart/form-data body and its file ``file`` (name, bytes), if one was chosen.

    The standard library's MIME parser reads it (exact for binary parts; ``cgi`` is gone from Python 3.13).
    """
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", errors="replace")
    message = BytesParser(policy=email_policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise HTTPError(400, "表单格式有误。")
    fields: dict[str, str] = {}
    upload: tuple[str, bytes] | None = None
    for n, part in enumerate(message.iter_parts()):
        if n >= MAX_FIELDS:
            raise HTTPError(400, "表单字段过多。")
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        if not isinstance(payload, bytes):
            continue
        if not isinstance(name, str):
            continue
        if filename is not None:
            if name == "file" and filename:  # no file chosen: a browser sends a part with no file name
                upload = (filename, payload)
        else:
            fields[name] = payload.decode("utf-8", errors="replace")
    return fields, upload


def attachment(filename: str) -> str:
    """A Content-Disposition for a Chinese file name: the UTF-8 name as such, and RFC 6266's
    ``filename*`` for clients that read only that (a WSGI header is latin-1, so the bytes pass through)."""
    plain = filename.encode("utf-8").decode("latin-1")
    return f'attachment; filename="{plain}"; filename*=UTF-8\'\'{quote(filename)}'


def json_response(obj: Any, status: int = 200) -> Response:
    return Response(json.dumps(obj, ensure_ascii=False).encode("utf-8"), status,
                    "application/json; charset=utf-8")
