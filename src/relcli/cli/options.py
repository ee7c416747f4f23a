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
ContactArgument = Annotated[
    str,
    typer.Argument(
        metavar="CONTACT", help="An id (12 or #12), an email, or a name or part of one."
    ),
]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=1, help="Show at most N rows.")
]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
