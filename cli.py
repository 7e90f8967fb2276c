"""The `policy-search` command line: thin click commands over the library."""
from __future__ import annotations

import json
import sys

import click

from corpus import load_files


@click.group()
def main() -> None:
    """Search Chinese policy documents and proposal replies."""


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document (JSON Lines).")
def parse(files: tuple[str, ...], as_json: bool) -> None:
    """Parse FILES and print what was understood of each."""
    failed = False
    for result in load_files(files):
        if result.error:
            failed = True
            click.echo(json.dumps({"source": result.given, "error": result.error.reason}, ensure_ascii=False))
            continue
        for doc in result.documents:
            click.echo(json.dumps(doc.to_record(), ensure_ascii=False))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
