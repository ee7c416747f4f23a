"""Options declared once and shared by every command that takes them."""

from typing import Annotated

import typer

from relcli.render.output import Format

FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        envvar="RELCLI_FORMAT",
        case_sensitive=False,
        help="auto (a table on a terminal, plain in a pipe), table, plain or json.",
    ),
]


def complete_contact(incomplete: str) -> list[str]:
    """Contact names for shell completion: the stdlib sqlite3 door, never the ORM."""
    from relcli.cli import runtime
    from relcli.errors import RelcliError
    from relcli.store import reader

    try:
        conn = runtime.reader()
    except RelcliError:
        return []  # a refused or busy database completes nothing rather than failing
    if conn is None:
        return []
    try:
        return reader.name_prefixes(conn, incomplete)
    finally:
        conn.close()


ContactArgument = Annotated[
    str,
    typer.Argument(
        metavar="CONTACT",
        help="An id (12 or #12), an email, or a name or part of one.",
        autocompletion=complete_contact,
    ),
]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=1, help="Show at most N rows.")
]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
