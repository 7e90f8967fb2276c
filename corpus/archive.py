"""Open the zip container of a .docx or .xlsx file without trusting it.

A zip file states in its central directory how large each member unpacks to. A zip bomb
states gigabytes in a few kilobytes, or states a few kilobytes and inflates to gigabytes:
Python's zipfile stops at the stated size but inflates a whole member in one go before it
truncates, so a false size can still fill memory. We therefore check the stated sizes
against the caps below and then inflate each member ourselves, in bounded steps, stopping
at the first byte past its stated size. Only then do python-docx or openpyxl read it.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

from corpus.encoding import binary_kind
from errors import UnreadableDocument

MAX_MEMBER_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 20_000


def open_zip(data: bytes, source: str, what: str) -> zipfile.ZipFile:
    """The zip archive in ``data`` after checking its directory; ``what`` names the format (Word .docx).

    Raises :class:`UnreadableDocument` for bytes that are no zip archive (saying what they are
    instead, where we can tell), a damaged or truncated archive, or one that would unpack past
    the caps.
    """
    if not data.startswith(b"PK"):
        article = "an" if what[:1].lower() in "aeiou" else "a"
        raise UnreadableDocument(source, f"not {article} {what} file: {what_instead(data)}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, OSError):
        raise UnreadableDocument(
            source, f"not a readable {what} file: the zip archive is damaged or truncated"
        ) from None
    if len(members) > MAX_MEMBERS:
        raise UnreadableDocument(source, f"the zip archive holds {len(members)} files (limit {MAX_MEMBERS}) — not read")
    total = 0
    for member in members:
        if member.file_size > MAX_MEMBER_BYTES:
            raise UnreadableDocument(
                source, f"{member.filename} would unpack to {_size(member.file_size)}, more than the "
                f"{MAX_MEMBER_BYTES // 2**20} MiB limit for one part — not read (zip bomb?)"
            )
        total += member.file_size
    if total > MAX_TOTAL_BYTES:
        raise UnreadableDocument(
            source, f"the zip archive would unpack to {_size(total)}, more than the "
            f"{MAX_TOTAL_BYTES // 2**20} MiB limit — not read (zip bomb?)"
        )
    for member in members:
        _check_member(data, member, source, what)
    return archive


def _check_member(data: bytes, member: zipfile.ZipInfo, source: str, what: str) -> None:
    """Inflate ``member`` in bounded steps; refuse it if it is encrypted or unpacks past its stated size."""
    if member.flag_bits & 0x1:
        raise UnreadableDocument(source, "the file is password-protected — remove the password first")
    if member.compress_type == zipfile.ZIP_STORED:
        return
    damaged = UnreadableDocument(source, f"not a readable {what} file: the zip archive is damaged or truncated")
    if member.compress_type != zipfile.ZIP_DEFLATED:
        raise UnreadableDocument(
            source, f"{member.filename} uses a compression (method {member.compress_type}) that Office files do not use"
        )
    offset = member.header_offset
    if data[offset:offset + 4] != b"PK\x03\x04" or len(data) < offset + 30:
        raise damaged
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_length + extra_length
    raw = memoryview(data)[start:start + member.compress_size]
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced, position, step = 0, 0, 1 << 20
    try:
        while not inflater.eof:
            chunk = inflater.unconsumed_tail or raw[position:position + step]
            if not inflater.unconsumed_tail:
                position += len(chunk)
            if not chunk:
                break
            produced += len(inflater.decompress(chunk, step))
            if produced > member.file_size:
                raise UnreadableDocument(
                    source, f"{member.filename} unpacks to more than the {_size(member.file_size)} "
                    "its zip directory states — not read (zip bomb?)"
                )
    except zlib.error:
        raise damaged from None


def what_instead(data: bytes) -> str:
    """What bytes that should have been a zip or PDF file are instead, for the error message."""
    kind = binary_kind(data)
    if kind:
        return f"it is {kind}"
    if not data.strip():
        return "the file is empty"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < 4090:  # not just a character cut at the end of the sample
            return "it is not a zip archive"
    return "it is plain text with the wrong extension"


def _size(n: int) -> str:
    if n >= 2**30:
        return f"{n / 2**30:.1f} GiB"
    return f"{n / 2**20:.0f} MiB" if n >= 2**20 else f"{n} bytes"
