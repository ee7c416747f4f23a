"""relcli remind: the digest for cron. A quiet day prints nothing."""

from enum import StrEnum
from typing import Annotated

import typer

from relcli.cli import runtime
from relcli.cli.options import LimitOption
from relcli.render import output, views
from relcli.render.output import Format


class DigestFormat(StrEnum):
    MARKDOWN = "markdown"
    PLAIN = "plain"
    JSON = "json"


def remind(
    limit: LimitOption = None,
    since_last_run: Annotated[bool, typer.Option("--since-last-run",
                                                 help="Leave out what an earlier run today reported.")] = False,
    fmt: Annotated[DigestFormat, typer.Option("--format", "-f", case_sensitive=False,
                                              help="markdown (default), plain (tab-separated) or json.")] = DigestFormat.MARKDOWN,
    exit_status: Annotated[bool, typer.Option("--exit-status",
                                              help="Exit 1 when something is due (for prompts and status bars).")] = False,
) -> None:  # fmt: skip
    """Print what is due today; nothing on a quiet day."""
    from relcli.services import remind as digest
    from relcli.store import state

    ctx = runtime.context()
    conn = runtime.reader()
    lines = digest.digest(conn, ctx, top=limit or 10) if conn is not None else []
    state_file = runtime.paths().state_dir / "remind.json"
    if since_last_run:
        reported = state.reported_today(state_file, ctx.today)
        fresh = digest.unseen(lines, reported)
        state.remember(state_file, ctx.today, reported | {line.key for line in fresh})
        lines = fresh
    if lines:
        if fmt is DigestFormat.JSON:
            output.emit([views.digest_json(line) for line in lines], views.DIGEST, Format.JSON)
        elif fmt is DigestFormat.PLAIN:
            output.emit([views.digest_json(line) for line in lines], views.DIGEST, Format.PLAIN)
        else:
            output.text(
                views.digest_markdown(lines, digest.SECTIONS, ctx.today), Format.PLAIN, None
            )
    if exit_status and lines:
        raise typer.Exit(1)
