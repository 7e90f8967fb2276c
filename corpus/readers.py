"""Read files into source texts: one reader per format, chosen by the :class:`Format` enum.

A file yields one :class:`SourceText` (a text document) or many (a table whose rows are
documents). Readers never parse meaning; they decode, extract and clean text and carry the
fields the file states explicitly: a table's ``--columns``, a web page's meta tags and info
table. Each format's reader lives in its own module (``corpus.html``, ``corpus.docx``,
``corpus.pdf``, ``corpus.tables``), imported only when a file of that format is read, so
that commands which read no files do not pay for lxml, python-docx, pdfminer or openpyxl.

Whatever a file holds, reading it either gives source texts or raises
:class:`UnreadableDocument` naming the file and the reason: empty, binary, truncated,
too large, a zip bomb, a scanned PDF, unreadable permissions, a symlink loop.
"""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from corpus.clean import clean_text
from corpus.encoding import decode_bytes
from corpus.source import (COLUMN_ALIASES, COLUMN_KEYS, SUPPORTED_EXTENSIONS, Format, SourceText, content_id,
                           file_fingerprint)
from errors import UnreadableDocument, UsageError

MAX_FILE_BYTES = 64 * 1024 * 1024


# Formats we cannot read but can say what to do about.
_CONVERT_FIRST = {
    ".doc": "an old Word file — save it as .docx", ".wps": "a WPS file — save it as .docx",
    ".xls": "an old Excel file — save it as .xlsx", ".et": "a WPS table — save it as .xlsx",
    ".ofd": "an OFD file — export it as PDF", ".rtf": "an RTF file — save it as .docx",
}


def parse_columns(spec: str | None) -> dict[str, list[str]]:
    """Parse ``--columns id=留言编号,body=留言主题+答复意见`` into ``{"id": ["留言编号"], ...}``.

    ``+`` joins several columns into one field (their texts separated by a blank line).
    """
    if not spec:
        return {}
    mapping: dict[str, list[str]] = {}
    for part in spec.replace("，", ",").split(","):
        if not part.strip():
            continue
        key, sep, columns = part.partition("=")
        key = COLUMN_ALIASES.get(key.strip(), key.strip())
        if not sep or not columns.strip():
            raise UsageError(f"--columns: `{part}` is not KEY=COLUMN (e.g. id=留言编号,body=答复意见)")
        if key not in COLUMN_KEYS:
            raise UsageError(f"--columns: unknown key `{key}`; keys are {', '.join(COLUMN_KEYS)}")
        mapping[key] = [c.strip() for c in columns.split("+") if c.strip()]
    return mapping


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, Path]]:
    """Expand files and folders (recursively, following no symlink loops) into (given, path).

    ``given`` is the path as the user wrote it (joined with the name inside a folder); files
    with extensions we do not read are skipped inside folders but reported when named. A
    folder that cannot be listed is yielded too, so that reading it reports why.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            seen: set[tuple[int, int]] = set()
            unlisted: list[OSError] = []
            for root, dirs, files in os.walk(path, followlinks=True, onerror=unlisted.append):
                try:
                    st = os.stat(root)
                except OSError:
                    dirs[:] = []
                    continue
                if (st.st_dev, st.st_ino) in seen:
                    dirs[:] = []
                    continue
                seen.add((st.st_dev, st.st_ino))
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    child = Path(root) / name
                    if not name.startswith(".") and Format.for_path(child) is not None:
                        yield str(child), child
            for error in unlisted:
                if error.filename:
                    yield str(error.filename), Path(error.filename)
        else:
            yield str(given), path


def iter_files_within(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, Path, str]]:
    """As :func:`iter_files`, with each file's place inside what was given: its path under the
    folder given (``2023/plan.txt``), or, for a file given itself, its name. This is the source
    the page and the API show: never the folders of the machine it was read on."""
    for root in paths:
        folder = Path(root).is_dir()
        for given, path in iter_files([root]):
            inside = os.path.relpath(given, root) if folder else os.path.basename(given)
            yield given, path, Path(inside).as_posix()


Reader = Callable[[bytes, str, "str | None"], tuple[str, dict[str, str]]]


def read_file(
    given: str, path: Path, columns: dict[str, list[str]] | None = None, encoding: str | None = None
) -> list[SourceText]:
    """Read one file into its source texts; raise :class:`UnreadableDocument` naming the problem."""
    fmt = Format.for_path(path)
    if fmt is None:
        hint = _CONVERT_FIRST.get(path.suffix.lower())
        raise UnreadableDocument(
            given, f"{hint}; readable: {' '.join(SUPPORTED_EXTENSIONS)}" if hint else
            f"unsupported file type `{path.suffix or '(none)'}`; readable: {' '.join(SUPPORTED_EXTENSIONS)}"
        )
    data = read_bytes(given, path)
    digest = content_id(data)
    fingerprint = file_fingerprint(digest, fmt, encoding)
    resolved = _resolved(path)
    if fmt.is_table:
        from corpus.tables import read_table, table_texts

        table = read_table(fmt.value, data, given, encoding)
        return list(table_texts(given, resolved, fingerprint, fmt, table, columns or {}))
    text, fields = _reader(fmt)(data, given, encoding)
    text = clean_text(text)
    if not text:
        raise UnreadableDocument(given, "no text left after cleaning (empty document)")
    return [SourceText(given, resolved, fingerprint, digest, text, fmt, fields)]


def _reader(fmt: Format) -> Reader:
    """The function that reads ``fmt``: (bytes, source, encoding) → (text, preset fields)."""
    if fmt is Format.HTML:
        from corpus.html import read_html

        return read_html
    if fmt is Format.DOCX:
        from corpus.docx import read_docx

        return read_docx
    if fmt is Format.PDF:
        from corpus.pdf import read_pdf

        return read_pdf
    return _read_text


def _read_text(data: bytes, given: str, encoding: str | None) -> tuple[str, dict[str, str]]:
    return decode_bytes(data, given, encoding), {}


def read_bytes(given: str, path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; a larger one is refused unread."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode) and not path.is_dir():  # opening a pipe would block
            raise UnreadableDocument(given, "not a regular file (a device, pipe or socket)")
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > limit:
                raise UnreadableDocument(given, _too_large(size, limit))
            data = f.read(size + 1)  # not read(limit): that would set aside `limit` bytes for any file
            if len(data) > size:  # the file grew since fstat
                data += f.read(limit + 1 - len(data))
    except FileNotFoundError:
        if os.path.islink(path):
            raise UnreadableDocument(given, "a broken symbolic link (its target does not exist)") from None
        raise UnreadableDocument(given, "no such file") from None
    except IsADirectoryError:
        raise UnreadableDocument(given, _folder_problem(path)) from None
    except PermissionError:
        if path.is_dir():
            raise UnreadableDocument(given, _folder_problem(path)) from None
        raise UnreadableDocument(given, "permission denied — check the file's read permission") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableDocument(given, "a symbolic link loop (the link points back at itself)") from None
        raise UnreadableDocument(given, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise UnreadableDocument(given, _too_large(len(data), limit))
    return data


def _too_large(size: int, limit: int) -> str:
    return (f"{size / 1e6:.0f} MB is larger than the {limit // 2**20} MiB limit for one document "
            "— split it into smaller files")


def _folder_problem(path: Path) -> str:
    try:
        os.listdir(path)
    except PermissionError:
        return "permission denied — cannot list this folder"
    except OSError as exc:
        return f"cannot list this folder: {exc.strerror or exc}"
    return "is a directory"


def _resolved(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # a symlink loop that appeared after reading
        return os.path.abspath(path)
