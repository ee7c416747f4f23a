"""relcli export FORMAT [FILE|-]."""

from contextlib import closing
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from relcli.cli import runtime
from relcli.render import messages


class ExportFormat(StrEnum):
    """The formats of services.exports.FORMATS, as Typer choices (a test keeps them equal)."""

    VCARD = "vcard"
    CSV = "csv"
    JSON = "json"
    ICS = "ics"


_SINGULAR = {"contacts": "contact", "follow-ups": "follow-up", "events": "event"}


def export(
    fmt: Annotated[
        ExportFormat,
        typer.Argument(
            metavar="FORMAT",
            case_sensitive=False,
            help="vcard (3.0), csv (one row per contact), json (the whole book) or ics "
            "(open follow-ups).",
        ),
    ],
    file: Annotated[
        str,
        typer.Argument(
            metavar="[FILE|-]", help="The file to write (0600, atomically); '-' is stdout."
        ),
    ] = "-",
    events: Annotated[
        bool,
        typer.Option("--events", help="ics: all-day events instead of to-dos."),
    ] = False,
) -> None:
    """Export the book as vCard, CSV, JSON or ICS."""
    from relcli.services import exports

    conn = runtime.reader()
    if conn is None:
        result = exports.export(None, fmt.value, events=events)
    else:
        with closing(conn):
            result = exports.export(conn, fmt.value, events=events)
    if file == "-":
        typer.echo(result.data, nl=False)
        return
    paths = runtime.paths()
    database = paths.database
    keep = [database, database.with_name(database.name + "-wal"), paths.config_file]
    exports.write_file(Path(file), result.data, keep=keep)
    noun = _SINGULAR[result.noun] if result.count == 1 else result.noun
    messages.note(f"exported {result.count} {noun} to {file}")
