"""The `policy-search` command line: thin click commands over the library.

Each command checks its options, calls one library function and prints the result; the
library's own errors become one-line messages with the exit status they carry, in one place:
:class:`PolicySearchGroup`.
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from errors import PolicySearchError, QuerySyntaxError, UsageError

if TYPE_CHECKING:  # each command imports what it needs when it runs: --help stays instant
    from corpus import FileResult
    from indexer.build import IngestReport
    from indexer.progress import Tally
    from search.engine import PolicyIndex, SearchResults

FIELDS_HELP_WIDTH = 64  # characters of query-field examples per line of the search help
INDEX_HELP = "Index folder (default: $POLICY_SEARCH_INDEX, else the user data folder)."
ENCODING_HELP = "Read text files in this encoding (e.g. gb18030, big5) instead of detecting it."
# search.semantic.MODES, written out so that --help need not import the engine
ENGINE_OPTION = click.option(
    "--engine", metavar="URL", help="Answer from a remote engine that `sync` filled instead of the index: "
                                    "typesense://host:port[,host:port…][/collection]; its API key in "
                                    "$POLICY_SEARCH_TYPESENSE_KEY.")
MODE_OPTION = click.option("--mode", type=click.Choice(["hybrid", "lexical", "semantic"]),
                           help="Rank by words and meaning fused (hybrid, the default when the index has "
                                "vectors), by words alone (lexical) or by meaning alone (semantic).")


class CommandError(click.ClickException):
    """A library error shown as one message, with the library's exit status; a parameter it
    names is written as the command's flag (``as_of`` → ``--as-of``)."""

    def __init__(self, error: PolicySearchError) -> None:
        message = str(error)
        if isinstance(error, UsageError) and error.param:
            message = error.naming(flag(error.param))
        super().__init__(message)
        self.exit_code = error.exit_code


def flag(param: str) -> str:
    """The command-line flag of a library parameter: ``as_of`` → ``--as-of``."""
    return param if param.startswith("-") else "--" + param.replace("_", "-")


class PolicySearchGroup(click.Group):
    """The command group: a library error raised by any command ends it with one line
    (``Error: …``) and the error's exit status, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        protected = getattr(ctx, "_protected_args", None) or getattr(ctx, "protected_args", [])
        args = [*protected, *ctx.args]  # the command's name and its arguments
        try:
            return super().invoke(ctx)
        except PolicySearchError as exc:
            raise CommandError(exc) from None
        except click.NoSuchOption as exc:
            raise _dash_hint(exc, args) from None


def _dash_hint(exc: click.NoSuchOption, args: list[str]) -> click.UsageError:
    """An unknown option that is a Chinese text (``-直播 时尚``, a query or a text beginning with an
    exclusion) gets the way to give it: after ``--``. A mistyped option keeps click's message."""
    given = next((a for a in args if a.startswith(exc.option_name)), "")
    if not args or exc.option_name.startswith("--") or given.isascii():
        return exc
    return click.UsageError(f"{exc.format_message()} A text beginning with - is read as an option: put -- before "
                            f"it: policy-search {args[0]} -- '{given}'", ctx=exc.ctx)


def _emit(obj: dict[str, Any]) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


def _open(index: str | None, engine: str | None = None) -> PolicyIndex:
    if engine:  # a remote engine, answering the same methods (search.remote)
        from search.remote import open_backend

        return open_backend(engine)  # type: ignore[no-any-return]
    """Open the index the options name; the default one is built from the samples if missing."""
    from search.engine import PolicyIndex

    return PolicyIndex(_index_dir(index))


def _index_dir(index: str | None) -> Path:
    """The index folder the options name; the default one is built from the samples if missing."""
    from indexer.store import index_exists, resolve_index_dir

    index_dir, is_default = resolve_index_dir(index)
    if is_default:
        from corpus import sample_dir
        from indexer.samples import mark_samples, stale_samples

        if not index_exists(index_dir):
            click.echo(f"No index yet at {index_dir}: building it from the bundled sample documents…", err=True)
            rebuild = False
        elif reason := stale_samples(index_dir, sample_dir()):
            click.echo(f"The index at {index_dir} holds the bundled samples, but {reason}: rebuilding it…", err=True)
            rebuild = True
        else:
            return index_dir
        from indexer.build import ingest

        ingest([str(sample_dir())], index_dir, rebuild=rebuild)
        mark_samples(index_dir, sample_dir())
    return index_dir


@click.group(cls=PolicySearchGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="policy-search")
def main() -> None:
    """Search Chinese policy documents and the replies to proposals and suggestions.

    \b
    Examples:
      policy-search search 时尚产业
      policy-search search '公共服务平台 支持' --clauses
      policy-search ingest ./docs --index ./ix
      policy-search similar proposal.txt
      policy-search draft proposal.docx --as 深圳市工业和信息化局 --out reply.docx

    Exit status: 0 done; 1 an input or query error (a file that cannot be read, a query that
    cannot be parsed, an unknown document); 2 a usage error (an option or its value) or no
    usable index.
    """


@main.command(name="ingest")
@click.argument("paths", nargs=-1, required=True)
@click.option("--index", "index", metavar="DIR", help=INDEX_HELP)
@click.option("--columns", metavar="MAP",
              help="For tables: which columns are which fields, e.g. id=留言编号,title=留言主题,body=答复意见,"
                   "date=答复时间,doc_type=答复 (keys: id title body date issuing_body doc_type proposal_number "
                   "session proposers; Chinese keys 编号 标题 正文 日期 机关 类型 also work; A+B joins two "
                   "columns; doc_type=KIND types every row where the table has no column KIND).")
@click.option("--encoding", metavar="NAME", help=ENCODING_HELP)
@click.option("--dict", "dictionaries", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra words for segmentation, in jieba's dictionary format (`word [freq] [tag]` per "
                   "line), e.g. 湾区时尚总部中心 2000 n. Applies when the index is created or rebuilt.")
@click.option("--procs", type=click.IntRange(1, 16), help="Writer processes (default: 2 on a big ingest).")
@click.option("--prune", is_flag=True, help="Drop entries whose file no longer exists.")
@click.option("--rebuild", is_flag=True, help="Build a new index and swap it in when complete.")
@click.option("--vectors", type=click.Choice(["none", "documents", "clauses"]),
              help="Which units get a vector for search by meaning: none, documents (every document's "
                   "title and opening, every reply and table row; the default: 1,408 replies take ~4 "
                   "minutes here), or clauses too (a law's articles: ~3 hours for 3,475 laws). Default: "
                   "what the index has. Unchanged texts are never embedded again.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def ingest_command(paths: tuple[str, ...], index: str | None, columns: str | None, encoding: str | None,
                   dictionaries: tuple[str, ...], procs: int | None, prune: bool, rebuild: bool,
                   vectors: str | None, as_json: bool, quiet: bool) -> None:
    """Add or update files in the index: .txt .md .html .docx .pdf, or tables (.csv .jsonl .xlsx).

    PATH is a file or a folder (read recursively). A file already indexed with the same
    content is skipped; a changed file replaces its old entries. Files that cannot be read
    are reported one line each and skipped, and the exit status is then 1.

    \b
    Examples:
      policy-search ingest ./政策文件 --index ./ix
      policy-search ingest replies.csv --columns id=留言编号,body=答复意见,date=答复时间
      policy-search ingest ./法律法规 --vectors clauses
    """
    from indexer.build import ingest
    from indexer.store import resolve_index_dir

    index_dir, _ = resolve_index_dir(index)
    reading, embedding = _ProgressLine("indexing", quiet or as_json), _ProgressLine("embedding", quiet or as_json)
    try:
        report = ingest(paths, index_dir, columns=columns, encoding=encoding, prune=prune,
                        rebuild=rebuild, dictionaries=dictionaries, procs=procs, progress=reading,
                        vectors=vectors, embed_progress=embedding)
    finally:
        reading.close()
        embedding.close()
    if as_json:
        _emit(report.to_json())
    else:
        _print_report(report)
    if report.indexed_nothing:
        click.echo(_nothing_indexed(paths, report), err=True)
    sys.exit(1 if report.errors or report.indexed_nothing else 0)


def _nothing_indexed(paths: tuple[str, ...], report: IngestReport) -> str:
    """Why an ingest indexed nothing, and what to give instead."""
    where = "" if Path(report.index_dir).exists() else f"; no index was created at {report.index_dir}"
    if report.errors:
        return f"nothing was indexed: no file could be read{where}"
    return f"nothing was indexed: no document in {' '.join(paths)}{where} — {READABLE_HINT}"


READABLE_HINT = "give files or folders holding .txt .md .html .docx .pdf, or tables (.csv .jsonl .xlsx) with --columns"


class _ProgressLine:
    """A long job's progress on standard error (indexer.progress.Tally): in a terminal one line
    rewritten in place; sent to a file (nohup, a scheduler), plain lines once the job has run
    PLAIN_AFTER seconds (``$POLICY_SEARCH_PROGRESS_AFTER``; a job done sooner has its summary
    alone), then every PLAIN_EVERY seconds or tenth of the work, and at the end."""

    PLAIN_AFTER = 2.0
    PLAIN_EVERY = 30.0
    PLAIN_STEPS = 10  # a line at each tenth
    REDRAW_EVERY = 0.25

    def __init__(self, label: str, quiet: bool) -> None:
        self.label = label
        self.quiet = quiet
        self.terminal = sys.stderr.isatty()
        self.shown_at = -1e9
        self.shown_step = -1
        self.open = False  # a terminal line not yet ended
        self.after = _seconds_from_env("POLICY_SEARCH_PROGRESS_AFTER", self.PLAIN_AFTER)

    def __call__(self, tally: Tally) -> None:
        if self.quiet or not tally.total:
            return
        now = time.monotonic()
        last = tally.done >= tally.total
        if self.terminal:
            if last or tally.done == 0 or now - self.shown_at >= self.REDRAW_EVERY:
                click.echo(f"\r{self._line(tally)}   ", err=True, nl=last)
                self.open = not last
                self.shown_at = now
            return
        if self.shown_step < 0 and tally.elapsed < self.after:
            return  # a short job: its summary says all
        step = tally.done * self.PLAIN_STEPS // tally.total
        if self.shown_step < 0 or last or step > self.shown_step or now - self.shown_at >= self.PLAIN_EVERY:
            click.echo(self._line(tally), err=True)
            self.shown_at, self.shown_step = now, step

    def _line(self, tally: Tally) -> str:
        head = f"{self.label} {tally.done}/{tally.total} {tally.what} ({tally.share:.0%})"
        if tally.done >= tally.total:  # files read: writing the index (a minute for the laws) follows
            return f"{head} in {_duration(tally.elapsed)}" + ("; writing the index…" if tally.what == "files" else "")
        if tally.done == 0:
            return head
        if tally.rate is None or tally.left is None:
            return f"{head}, {_duration(tally.elapsed)} so far, time left: measuring"
        left = "under 1 s" if tally.left < 1 else f"about {_duration(tally.left)}"
        return f"{head}, {tally.rate:.1f} {tally.what}/s, {left} left"

    def close(self) -> None:
        """End a terminal line left open (an ingest stopped by an error)."""
        if self.open:
            click.echo("", err=True)
            self.open = False


def _seconds_from_env(name: str, default: float) -> float:
    try:
        return max(0.0, float(os.environ.get(name, default)))
    except ValueError:
        return default


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def _print_report(report: IngestReport) -> None:
    for error in report.errors:
        click.echo(f"skipped {error.source}: {error.reason}", err=True)
    # documents (a table's rows each one) first: a table is one file of many documents
    click.echo(
        f"{report.index_dir}: {report.documents} documents, {report.clauses} clauses indexed — files: "
        f"{len(report.added)} added, {len(report.replaced)} replaced, {len(report.unchanged)} unchanged, "
        f"{len(report.pruned)} pruned, {len(report.errors)} failed ({report.seconds:.1f} s)"
    )
    vectors = report.vectors
    if vectors.level != "none" and vectors.model:
        click.echo(f"vectors ({vectors.level}, {vectors.model}): {vectors.units} units have one; "
                   f"{vectors.embedded} embedded now in {vectors.seconds:.1f} s")


def _fields_in_help(command: Callable[..., None]) -> Callable[..., None]:
    """Write the query fields (defined once, in search.fields) where a docstring says {fields}."""
    from search.fields import QUERY_FIELDS

    notes = {"status": " (today, or --as-of)"}
    lines = [""]
    for f in QUERY_FIELDS:
        item = f"{f.names}:{f.sample}{notes.get(f.name, '')}"
        if lines[-1] and len(lines[-1]) + len(item) > FIELDS_HELP_WIDTH:
            lines.append("")
        lines[-1] += f"   {item}" if lines[-1] else item
    command.__doc__ = (command.__doc__ or "").replace("{fields}", "\n".join(f"      {line}" for line in lines))
    return command


@main.command(name="search")
@click.argument("query", required=False)
@click.option("--index", "index", metavar="DIR", help=INDEX_HELP)
@click.option("--clauses", is_flag=True, help="Every hit is one clause (its path in `clause`).")
@click.option("--limit", "-n", default=10, show_default=True, help="How many hits.")
@click.option("--offset", default=0, help="Skip this many hits (paging).")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True,
              help="Order of hits: best match, or newest first.")
@click.option("--as-of", "as_of", metavar="DATE", help="Compute 状态/status on this day instead of today.")
@click.option("--facets", is_flag=True, help="Also count hits per issuer, type, year and status "
                                             '(with --json: one last line {"facets": …}).')
@click.option("--all-versions", is_flag=True, help="List every version of a text, not only the newest in force.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit (JSON Lines).")
@click.option("--batch", type=click.Path(dir_okay=False),
              help="Read one query per line from FILE (UTF-8 unless --encoding) and print each one's hits "
                   "as a single query's, under a `# QUERY` line; with --json, JSON Lines, each hit with a "
                   "`query` key. Counts and errors go to standard error (with --json, an error is a line "
                   '{"query": …, "error": …}); the exit status is 1 when a query fails.')
@click.option("--encoding", metavar="NAME", help="The encoding of the --batch FILE (e.g. gb18030).")
@MODE_OPTION
@ENGINE_OPTION
@_fields_in_help
def search_command(query: str | None, index: str | None, clauses: bool, limit: int, offset: int, sort: str,
                   as_of: str | None, facets: bool, all_versions: bool, as_json: bool, batch: str | None,
                   encoding: str | None, mode: str | None, engine: str | None = None) -> None:
    """Search the index with QUERY.

    \b
    Words are ranked (more matched words first; a hit holds at least one of them; over laws,
    everyday words also find the law's own: 驾照 finds 机动车驾驶证, and a title or place named
    puts its clauses first: 道路交通安全法 醉酒, 北京 垃圾分类);
    "quoted phrases" must occur as written;
    -word excludes; A OR B needs either phrase; field:value filters (Chinese or English name):
{fields}
    范围:承诺 lists what the replies promised instead (as the `commitments` command).
    Where the index has vectors, hits are found by meaning too (--mode hybrid, the default):
    停车难 finds a reply about 车位紧张; --mode lexical ranks by the words alone.
    Examples:
      policy-search search 时尚产业
      policy-search search '金额:>=500万 类型:行动计划' --clauses
      policy-search search '"公共服务平台" 资助 状态:现行有效' --clauses --facets
      policy-search search '时尚产业 -直播 年份:2020..2023' --sort date --json
      policy-search search 数字化转型 --mode lexical
      policy-search search '范围:承诺 时尚产业 机关:福田区'
    """
    if (query is None) == (batch is None):
        raise click.UsageError("give a QUERY or --batch FILE (one of them)")
    from search.query import EmptyQuery, check_query_length

    if query is not None and not query.strip():
        raise EmptyQuery()
    if query is not None:
        check_query_length(query)
    from search.commitments import commitment_query

    asked = commitment_query(query) if query else None
    if asked:  # 范围:承诺 asks for commitments, as the `commitments` command does
        due = _valid_day(asked.due_before, "期限:<")
        with _open(index) as ix:
            _print_commitment_results(ix.commitments.search(asked.words, by=asked.by, due_before=due, limit=limit),
                                      as_json)
        return
    options = {"clauses": clauses, "limit": limit, "offset": offset, "sort": sort, "as_of": as_of,
               "facets": facets, "versions": not all_versions, "mode": mode}
    with _open(index, engine) as ix:
        if batch:
            sys.exit(_search_batch(ix, batch, options, encoding, as_json))
        results = ix.search(query or "", **options)
        _print_results(results, as_json)
        if not results.hits and not as_json and not offset and not engine:
            from search.no_hits import why_no_hits

            reason = why_no_hits(ix, query or "", **options)
            if reason:
                click.echo(f"  {reason}", err=True)


def _search_batch(ix: PolicyIndex, batch: str, options: dict[str, Any], encoding: str | None,
                  as_json: bool) -> int:
    """Every query of the file, as the command prints one (see _batch_results); the exit status."""
    from search.query import check_query_length

    status = 0
    for line in _read_lines(batch, encoding):
        query = line.strip()
        if not query:
            continue
        try:
            check_query_length(query)
            results = ix.search(query, **options)
        except PolicySearchError as exc:
            _batch_error({"query": query}, exc, as_json)
            status = 1
            continue
        _batch_results({"query": query}, query, results, as_json)
    return status


def _batch_results(key: dict[str, Any], label: str, results: SearchResults, as_json: bool) -> None:
    """One query of a batch, as the command prints a single one: its hits on standard output
    (with --json, each with ``key`` added; else under a ``# label`` line), its count on standard error."""
    if not as_json:
        click.echo(f"# {label}")
        _print_results(results, False, label=label)
        return
    for hit in results.hits:
        _emit({**key, **hit.to_json()})
    if results.facets is not None:
        _emit({**key, "facets": results.facets})
    if results.already_indexed:  # the text is an indexed document, left out of its own precedents
        _emit({**key, "already_indexed": _already_indexed_json(results)})


def _already_indexed_json(results: SearchResults) -> list[dict[str, Any]]:
    """The indexed documents a compared text is, as --json gives them (sources as ingested)."""
    return [{k: v for k, v in found.items() if k != "relative_source"} for found in results.already_indexed]


def _batch_error(key: dict[str, Any], error: PolicySearchError | str, as_json: bool) -> None:
    """A query of a batch that cannot be run: with --json a line ``{**key, "error"}`` among the
    hits (spec/record.md), else the error on standard error, as a single query's."""
    if as_json:
        _emit({**key, "error": str(error)})
    else:
        where = f"line {key['line']}: " if "line" in key else ""
        click.echo(f"Error: {where}{error}", err=True)


def _read_lines(path: str, encoding: str | None = None) -> Iterator[str]:
    """The lines of a --batch FILE: UTF-8, or decoded with ``encoding`` (refused when that turns
    a Chinese file into Latin letters, see corpus.encoding.decode_bytes)."""
    try:
        if encoding:
            from corpus.encoding import decode_bytes

            with open(path, "rb") as binary:
                yield from decode_bytes(binary.read(), path, encoding).splitlines(keepends=True)
            return
        with open(path, encoding="utf-8-sig") as f:
            yield from f
    except OSError as exc:
        raise click.FileError(path, exc.strerror) from None
    except (UnicodeDecodeError, LookupError) as exc:
        hint = "" if encoding else " — give its encoding with --encoding, e.g. --encoding gb18030"
        raise click.FileError(path, f"cannot decode as {encoding or 'UTF-8'}: {exc}{hint}") from None


def _print_results(results: SearchResults, as_json: bool, label: str = "") -> None:
    """The hits on standard output, their count (or ``no hits``) on standard error, after
    ``label:`` where one is given (a query of a batch)."""
    for found in results.already_indexed:  # a text compared with the index is one of its documents
        click.echo(f"{f'{label}: ' if label else ''}this text is already indexed: {found['title']} "
                   f"({found['source']}, id {found['id']}) — left out of its own precedents", err=True)
    if as_json:
        for hit in results.hits:
            _emit(hit.to_json())
        if results.facets is not None:
            _emit({"facets": results.facets})
        if results.already_indexed:
            _emit({"already_indexed": _already_indexed_json(results)})
        return
    prefix = f"{label}: " if label else ""
    if not results.hits:  # past the last page the query still has hits: say how many
        click.echo(prefix + (f"no hits on this page ({results.total} in all)" if results.total else "no hits"),
                   err=True)
    else:
        click.echo(f"{prefix}{results.total} hit{'' if results.total == 1 else 's'}", err=True)
    for hit in results.hits:
        dated = f"{hit.date} 施行" if hit.date and hit.date_basis == "effective" else hit.date
        facts = " · ".join(x for x in (hit.doc_type, hit.issuing_body, dated, _validity(hit)) if x)
        click.echo(f"{hit.rank}. {hit.title}  [{facts}]")
        click.echo(f"   {hit.clause + ' · ' if hit.clause else ''}{hit.source}  (id {hit.id})")
        if hit.versions:
            click.echo("   版本: " + "；".join(f"{v.date or '—'} {v.status} (id {v.doc_id})" for v in hit.versions))
        if hit.copies:
            click.echo("   副本: " + "；".join(hit.copies))
        click.echo(f"   {hit.snippet}" + ("  （按语义找到）" if hit.matched == ["meaning"] else ""))
    if results.facets:
        from search.fields import FACET_FIELDS

        for name, counts in results.facets.items():
            if counts:
                click.echo(f"{FACET_FIELDS.get(name, name)}: " + "  ".join(f"{value} ({n})" for value, n in counts))


def _validity(hit: Any) -> str:
    """A hit's status when it is not in force: 已失效 with its last day, 尚未生效 with its first."""
    import datetime as dt

    from corpus.validity import EXPIRED, NOT_YET

    if hit.status == EXPIRED and hit.valid_until:
        last = (dt.date.fromisoformat(hit.valid_until) - dt.timedelta(days=1)).isoformat()
        return f"{EXPIRED}（有效期至{last}）"
    if hit.status == NOT_YET and hit.valid_from:
        return f"{NOT_YET}（{hit.valid_from}起施行）"
    return hit.status if hit.status in (EXPIRED, NOT_YET) else ""


@main.command(name="similar")
@click.argument("file", required=False)
@click.option("--index", "index", metavar="DIR", help=INDEX_HELP)
@click.option("--clauses", is_flag=True, help="Return clauses instead of documents.")
@click.option("--limit", "-n", default=10, show_default=True, help="How many hits.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit (JSON Lines).")
@click.option("--batch", type=click.Path(dir_okay=False),
              help='Read JSON Lines {"id": ..., "text": ...} from FILE and print each text\'s hits under a '
                   "`# ID` line; with --json, JSON Lines, each hit with `query_id`. Counts and errors go to "
                   "standard error (with --json, an error is a line of its own).")
@click.option("--like", metavar="ID", help="Instead of FILE, an indexed document (its id or source): the texts "
                                        "most like it, itself left out; its stored vector stands for its meaning, "
                                        "so nothing is embedded.")
@click.option("--encoding", metavar="NAME", help=ENCODING_HELP + " Also for standard input and --batch.")
@click.option("--commitments", "with_commitments", is_flag=True,
              help='With --json, end with one line {"commitments": …}: what the closest replies promised '
                   "(the text output always lists them).")
@MODE_OPTION
@ENGINE_OPTION
def similar_command(file: str | None, index: str | None, clauses: bool, limit: int, as_json: bool,
                    batch: str | None, like: str | None, encoding: str | None, with_commitments: bool,
                    mode: str | None, engine: str | None = None) -> None:
    """Find the indexed documents most like a new proposal, suggestion or message.

    FILE is a text file, or - (or nothing) for standard input.

    \b
    Examples:
      policy-search similar 新提案.txt
      echo '建议加快时尚产业数字化转型，支持建设公共服务平台' | policy-search similar -
      policy-search similar --like b392f55c731a7138
    """
    if like is not None and (file is not None or batch):
        raise click.UsageError("give FILE, --batch or --like ID (one of them)")
    with _open(index, engine) as ix:
        if like is not None:
            _print_results(ix.similar_to(like, clauses=clauses, limit=limit, mode=mode), as_json)
            return
        if batch:
            sys.exit(_similar_batch(ix, batch, clauses, limit, encoding, mode, as_json))
        results = ix.similar(_read_text(file, encoding), clauses=clauses, limit=limit, mode=mode)
        _print_results(results, as_json)
        if not clauses and (with_commitments or not as_json):  # what the closest replies promised (search.commitments)
            _print_commitments(ix.commitments.of_replies([h.id for h in results.hits]), as_json)


def _similar_batch(ix: PolicyIndex, batch: str, clauses: bool, limit: int, encoding: str | None,
                   mode: str | None, as_json: bool) -> int:
    """Every text of the file, as the command prints one (see _batch_results); the exit status."""
    status = 0
    for number, line in enumerate(_read_lines(batch, encoding), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            query_id, text = item["id"], item["text"]
        except (ValueError, KeyError, TypeError):
            _batch_error({"line": number}, 'expected {"id": ..., "text": ...}', as_json)
            status = 1
            continue
        try:
            results = ix.similar(str(text), clauses=clauses, limit=limit, mode=mode)
        except QuerySyntaxError as exc:  # a text of signs alone
            _batch_error({"query_id": query_id}, exc, as_json)
            status = 1
            continue
        _batch_results({"query_id": query_id}, str(query_id), results, as_json)
    return status


def _read_text(file: str | None, encoding: str | None) -> str:
    if file in (None, "-"):
        return _stdin(encoding)
    from corpus import load_files

    _check_not_folder(file)
    result = next(iter(load_files([file], encoding=encoding)), None)
    if result is not None and result.error:
        raise result.error
    if result is None:
        raise click.FileError(str(file))
    return result.documents[0].body


def _check_not_folder(given: str) -> None:
    """A command that reads one text refuses a folder by name (not as a file of no known type)."""
    if Path(given).is_dir():
        from errors import UnreadableDocument

        raise UnreadableDocument(given, "is a directory — give a file (.txt .md .docx .html .pdf), "
                                        "or - for standard input")


def _stdin(encoding: str | None) -> str:
    """Standard input, decoded with ``encoding`` when one is given."""
    if not encoding:
        return sys.stdin.read()
    from corpus.encoding import decode_bytes

    return decode_bytes(sys.stdin.buffer.read(), "standard input", encoding)


@main.command(name="commitments")
@click.argument("query", required=False, default="")
@click.option("--index", "index", metavar="DIR", help=INDEX_HELP)
@click.option("--by", "by", metavar="BODY", help="Only commitments by a body whose name contains BODY.")
@click.option("--due-before", "due_before", metavar="DATE", help="Only commitments with a deadline before DATE (YYYY-MM-DD).")
@click.option("--limit", "-n", default=10, show_default=True, help="How many hits.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: total, hits, facets by body and year.")
def commitments_command(query: str, index: str | None, by: str | None, due_before: str | None, limit: int,
                        as_json: bool) -> None:
    """Search what the indexed replies promised: each commitment with its body, deadline, reply and clause.

    \b
    Examples:
      policy-search commitments 时尚产业
      policy-search commitments 停车 --by 街道 --json
      policy-search commitments --due-before 2024-01-01
    """
    due_before = _valid_day(due_before, "--due-before")
    with _open(index) as ix:
        results = ix.commitments.search(query, by=by, due_before=due_before, limit=limit)
    _print_commitment_results(results, as_json)


def _valid_day(value: str | None, option: str) -> str | None:
    """The day ``option`` names, read as every date a user types is (corpus.dates.parse_day)."""
    from corpus.dates import BadDate, parse_day

    if value is None:
        return None
    try:
        return parse_day(value)
    except BadDate as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


def _print_commitment_results(results: Any, as_json: bool) -> None:
    if as_json:
        _emit(results.to_json())
        return
    click.echo(f"{results.total} commitments")
    for hit in results.hits:
        due = f"  期限 {hit.deadline}" if hit.deadline else ""
        click.echo(f"- {hit.reply_date or '（无日期）'}  {hit.body or '（未注明）'}{due}")
        click.echo(f"  {hit.text}")
        where = f"#{hit.clause}" if hit.clause else ""
        click.echo(f"  ← {hit.reply_title} [{hit.reply_id}{where}]")
        if hit.follow_through:
            done = hit.follow_through["document"]
            click.echo(f"  {hit.follow_through['status']}" + (f"：《{done['title']}》 [{done['id']}]" if done else ""))


def _print_commitments(found: list[Any], as_json: bool) -> None:
    if not found:
        return
    if as_json:
        _emit({"commitments": [c.to_json() for c in found]})
        return
    click.echo("以往承诺（同一事项）:")
    for c in found:
        due = f" · 期限 {c.deadline}" if c.deadline else ""
        status = f" · {c.follow_through['status']}" if c.follow_through else ""
        click.echo(f"  - {c.reply_date or '日期不详'} {c.body or ''}{due}{status}: {c.text}")
        click.echo(f"    ← {c.reply_title} (id {c.reply_id}{' · ' + c.clause if c.clause else ''})")


@main.command(name="draft")
@click.argument("proposal")
@click.option("--as", "as_body", metavar="ISSUING_BODY",
              help="The body answering (signature and title; its own earlier replies rank higher; "
                   "only its place's and higher places' clauses are grounds, others' come under 其他地区参考).")
@click.option("--date", metavar="YYYY-MM-DD",
              help="Date of the letter; only clauses in force on it are proposed (default: today).")
@click.option("--out", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write the skeleton to FILE.md (Markdown) or FILE.docx (Word, GB/T 9704 layout).")
@click.option("--json", "as_json", is_flag=True,
              help="Print the draft as one JSON object (sections, passages and clauses with sources, gaps).")
@click.option("--encoding", metavar="NAME", help=ENCODING_HELP + " Also for standard input.")
@click.option("--index", "index", metavar="DIR", help=INDEX_HELP)
def draft_command(proposal: str, as_body: str | None, date: str | None, out: str | None, as_json: bool,
                  encoding: str | None, index: str | None) -> None:
    """Draft the skeleton of an answer to a new proposal or suggestion.

    PROPOSAL is a file (.txt .md .docx .html .pdf), or - for standard input. Each of its
    suggestions gets a section holding passages of earlier replies that answered something
    similar and clauses in force on --date, each with its source; what the writer must
    supply is marked 【待填写：…】. Nothing else is written.

    \b
    Examples:
      policy-search draft 提案.docx --as 深圳市工业和信息化局 --out 答复.docx
      policy-search draft 建议.txt --date 2024-06-30 --json
    """
    from corpus.proposals import read_proposal
    from search.drafting import draft_from_text, render_docx, render_markdown

    suffix = Path(out).suffix.lower() if out else None
    if suffix not in (None, ".md", ".markdown", ".docx"):
        raise click.BadParameter(f"write .md or .docx, not `{suffix or out}`", param_hint="--out")
    if proposal != "-":
        _check_not_folder(proposal)
    text = _stdin(encoding) if proposal == "-" else read_proposal(proposal, encoding)
    with _open(index) as ix:
        draft = draft_from_text(ix, text, as_body, date)
    if out:
        data = render_docx(draft) if suffix == ".docx" else render_markdown(draft).encode("utf-8")
        try:
            Path(out).write_bytes(data)
        except OSError as exc:
            raise click.FileError(out, exc.strerror) from None
        click.echo(f"{out}: {len(draft.sections)} sections, {len(draft.placeholders())} gaps to fill", err=True)
    if as_json:
        _emit(draft.to_json())
    elif not out:
        click.echo(render_markdown(draft), nl=False)


@main.command(name="parse")
@click.argument("files", nargs=-1, required=True)
@click.option("--columns", metavar="MAP", help="For tables, as in `ingest`.")
@click.option("--encoding", metavar="NAME", help=ENCODING_HELP)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document (JSON Lines).")
def parse_command(files: tuple[str, ...], columns: str | None, encoding: str | None, as_json: bool) -> None:
    """Parse FILES and print what was understood of each: metadata, clauses, amounts, citations.

    \b
    Examples:
      policy-search parse 行动计划.txt --json
      policy-search parse replies.csv --columns id=留言编号,body=答复意见 --json
    """
    failed = False
    for given, result in _each_file(files, columns, encoding):
        if result is None:
            failed = True
            problem = f"no document here — {READABLE_HINT}"
            if as_json:
                _emit({"source": given, "error": problem})
            else:
                click.echo(f"{given}: {problem}", err=True)
            continue
        if result.error:
            failed = True
            if as_json:
                _emit({"source": result.given, "error": result.error.reason})
            else:
                click.echo(f"{result.given}: error: {result.error.reason}", err=True)
            continue
        for doc in result.documents:
            if as_json:
                _emit(doc.to_record())
            else:
                _print_document(doc.to_record())
    sys.exit(1 if failed else 0)


def _each_file(files: tuple[str, ...], columns: str | None,
               encoding: str | None) -> Iterator[tuple[str, FileResult | None]]:
    """The parse of every file under each path given; ``(path, None)`` for a path holding none."""
    from corpus import load_files

    for given in files:
        found = False
        for result in load_files([given], columns, encoding):
            found = True
            yield given, result
        if not found:
            yield given, None


@main.command(name="show")
@click.argument("doc_id")
@click.option("--index", "index", metavar="DIR", help=INDEX_HELP)
@click.option("--as-of", "as_of", metavar="DATE", help="Compute its status on this day instead of today.")
@click.option("--json", "as_json", is_flag=True, help="The document as one JSON object, with its body.")
@ENGINE_OPTION
def show_command(doc_id: str, index: str | None, as_of: str | None, as_json: bool, engine: str | None = None) -> None:
    """Show an indexed document by its id (or its source path), from the index alone.

    \b
    Example:
      policy-search show 1a2b3c4d5e6f7a8b
    """
    with _open(index, engine) as ix:
        record = ix.document(doc_id, as_of=as_of)
    if as_json:
        _emit(record)
    else:
        _print_document(record, with_body=True)


@main.command(name="serve")
@click.option("--index", "index", metavar="DIR", help=INDEX_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only; 0.0.0.0: the whole network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads per process. Python runs one at a time: more threads only "
                   "stretch every request; two keep one slow request from holding the process.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 32),
              help="Worker processes sharing the port, each with its own open index: searches are "
                   "CPU work, so give one per core to serve many users at once.")
@ENGINE_OPTION
def serve_command(index: str | None, host: str, port: int, threads: int, workers: int,
                  engine: str | None = None) -> None:
    """Serve the search page (in Chinese) and its JSON API over the index.

    \b
    Pages: / (search), /doc/ID (a document), /similar (找先例), /draft (起草答复), /help.
    API: /api/search?q=…, /api/doc/ID, POST /api/similar, POST /api/draft (the shapes of --json).
    Examples:
      policy-search serve --port 8000
      policy-search serve --host 0.0.0.0 --workers 2
      policy-search serve --engine typesense://127.0.0.1:8108,127.0.0.1:8118,127.0.0.1:8128
    """
    import logging

    from search.web.serve import serve

    index_dir: Path | str = engine or _index_dir(index)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    def announce(where: str) -> None:
        click.echo(f"Serving {index_dir} at {where} (Ctrl+C to stop)")
        sys.stdout.flush()

    serve(index_dir, host, port, threads=threads, workers=workers, announce=announce)


@main.command(name="sync")
@click.option("--engine", metavar="URL", required=True,
              help="typesense://host:port[,host:port…][/collection]; its API key in $POLICY_SEARCH_TYPESENSE_KEY.")
@click.option("--index", "index", metavar="DIR", help=INDEX_HELP)
@click.option("--rebuild", is_flag=True, help="Drop the engine's collection and send every unit again.")
@click.option("--json", "as_json", is_flag=True, help="The report as one JSON object.")
def sync_command(engine: str, index: str | None, rebuild: bool, as_json: bool) -> None:
    """Make a remote engine hold the units of the index: documents, clauses and their vectors.

    \b
    Incremental: a unit unchanged since the last sync sends nothing, a changed or new one is
    sent, and one the index no longer holds is deleted. Then `search`, `show` and `serve`
    answer from the engine with --engine. The vectors are the index's own: nothing is embedded.
    Example:
      POLICY_SEARCH_TYPESENSE_KEY=… policy-search sync --engine typesense://127.0.0.1:8108,127.0.0.1:8118
    """
    from search.remote.client import EngineClient, parse_engine
    from search.remote.sync import sync

    client = EngineClient(parse_engine(engine))
    index_dir = _index_dir(index)

    def progress(report: Any) -> None:
        click.echo(f"  {report.seen} units read, {report.sent} sent, {report.unchanged} unchanged", err=True)

    report = sync(index_dir, client, rebuild=rebuild, progress=None if as_json else progress)
    if as_json:
        _emit(report.to_json())
    else:
        rate = report.sent / report.seconds if report.seconds else 0
        click.echo(f"{report.engine}: {report.seen} units ({report.vectors} with vectors) — {report.sent} sent, "
                   f"{report.unchanged} unchanged, {report.deleted} deleted in {report.seconds:.1f} s "
                   f"({rate:,.0f} units/s)")


@main.command(name="export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "opensearch"]), default="jsonl", show_default=True,
              help="jsonl: one unit per line; opensearch: the _bulk API's NDJSON (an action line, then the unit).")
@click.option("--index", "index", metavar="DIR", help=INDEX_HELP)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to FILE (default: stdout).")
@click.option("--target", default="policy-search", show_default=True, help="The OpenSearch index named in actions.")
@click.option("--no-vectors", is_flag=True, help="Leave the vectors out.")
def export_command(fmt: str, index: str | None, output: str | None, target: str, no_vectors: bool) -> None:
    """Export every unit (documents and clauses) with its fields and vector, streamed.

    \b
    The OpenSearch index template that reads it is `policy-search export-template`.
    Examples:
      policy-search export --format jsonl -o units.jsonl
      policy-search export --format opensearch -o bulk.ndjson
    """
    from search.remote.export import export

    stream = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        count = export(_index_dir(index), stream, fmt=fmt, target=target, vectors=not no_vectors)
    finally:
        if output:
            stream.close()
    click.echo(f"{count} units exported", err=True)


@main.command(name="export-template")
def export_template_command() -> None:
    """Print the OpenSearch index template for `export --format opensearch` (JSON).

    \b
    Example:
      policy-search export-template > policy-search-template.json
    """
    from search.remote.export import opensearch_template

    click.echo(opensearch_template())


_LABELS = {
    "id": "id", "source": "来源", "title": "标题", "doc_type": "类型", "issuing_body": "机关", "date": "日期",
    "doc_number": "文号", "doc_number_cited": "文号（据引用它的文件）", "index_number": "索取号",
    "proposal_number": "提案号", "proposal_title": "提案标题",
    "session": "会议", "proposers": "提案人", "effective_date": "施行日期", "valid_years": "有效期(年)",
    "valid_until": "有效期至", "status": "状态",
}


def _print_document(record: dict[str, Any], with_body: bool = False) -> None:
    from corpus.validity import has_validity

    for key, label in _LABELS.items():
        value = record.get(key)
        if key == "issuing_body" and len(record.get("issuers") or []) > 1:
            value = record["issuers"]  # joint issuers, the lead first
        if key == "status" and not has_validity(record.get("doc_type")):
            continue  # a reply has no period of validity
        if value not in (None, "", []):
            click.echo(f"{label}: {'、'.join(value) if isinstance(value, list) else value}")
    if record.get("clauses"):
        click.echo("条款: " + " ".join(c["path"] for c in record["clauses"]))
    for amount in record.get("amounts", []):
        where = f"  ({amount['clause']})" if amount.get("clause") else ""
        click.echo(f"金额: {amount['text']} = {amount['yuan']:,.0f} 元{where}")
    for citation in record.get("citations", []):
        where = f"  → {citation['resolved_id']}" if citation.get("resolved_id") else ""
        if citation.get("resolved_clause"):
            where += f" {citation['resolved_clause']}"
        click.echo(f"引用: 《{citation['title']}》{citation.get('clause') or ''}{where}")
    for citing in record.get("cited_by", []):
        click.echo(f"被引用: {citing['title']} ({citing['date'] or '—'}, id {citing['id']})")
    if record.get("status") == "已失效" and record.get("ends"):
        click.echo(f"失效日期: {record['ends']}")
    for by in record.get("amended_by", []):
        click.echo(f"被修改: {by['date']} 起由 {by['title']} 修改 (id {by['id']})")
    for by in record.get("repealed_by", []):
        click.echo(f"被废止: {by['date']} 起由《{by['title']}》废止 (id {by['id']})")
    for version in record.get("versions", []):
        click.echo(f"版本: {version['date'] or '—'} {version['status']} (id {version['id']})")
    for copy in record.get("copies", []):
        click.echo(f"副本: {copy}")
    if with_body and record.get("body"):
        click.echo("")
        click.echo(record["body"])
    click.echo("")


if __name__ == "__main__":
    main()
