"""relcli remind: the digest for cron. A quiet day prints nothing."""

from contextlib import closing
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from relcli.cli import runtime
from relcli.cli.options import LimitOption
from relcli.render import output, views
from relcli.render.output import Format

if TYPE_CHECKING:
    from relcli.services.context import Context
    from relcli.services.remind import Line


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
    email: Annotated[str | None, typer.Option("--email", metavar="ADDRESS",
                                              help="Also mail the digest there, through [smtp] in config.toml.")] = None,
) -> None:  # fmt: skip
    """Print what is due today; nothing on a quiet day."""
    from relcli.services import remind as digest
    from relcli.store import state

    ctx = runtime.context()
    if email is not None and ctx.settings.smtp is None:
        from relcli.errors import ConfigError

        raise ConfigError(
            "--email needs an [smtp] section in config.toml; nothing was sent",
            hint="see docs/cron.md: [smtp] host, port, user, from, security",
        )
    conn = runtime.reader()
    lines = []
    if conn is not None:
        with closing(conn):
            lines = digest.digest(conn, ctx, top=limit or ctx.settings.remind_top)
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
    if email is not None and lines:
        _mail(email, lines, ctx)
    if exit_status and lines:
        raise typer.Exit(1)


def _mail(to: str, lines: list["Line"], ctx: "Context") -> None:
    """Send the digest; it is already on stdout, so a failure here loses nothing."""
    import sys

    from relcli import credentials, mail
    from relcli.services import remind as digest

    smtp = ctx.settings.smtp
    assert smtp is not None
    password = None
    if smtp.user:  # without a login there is no password to find, so cron needs none
        password = credentials.smtp_password(smtp, interactive=sys.stdin.isatty())
    body = "\n".join(views.digest_markdown(lines, digest.SECTIONS, ctx.today)) + "\n"
    subject = f"relcli: {len(lines)} due on {ctx.today.isoformat()}"
    mail.send(smtp, password, to=to, subject=subject, body=body)
