"""The root app: global options, the daily loop verbs, and one sub-app per noun."""

from pathlib import Path
from typing import Annotated

import typer

from relcli import __version__
from relcli.cli import (
    backups,
    call,
    companies,
    config_cmd,
    contacts,
    doctor,
    exports,
    follow_ups,
    imports,
    interactions,
    ranking,
    remind,
    runtime,
    secret_cmd,
    signals,
)

app = typer.Typer(
    name="relcli",
    help="A personal CRM for the terminal: who should I call today, and why?",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=True,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"relcli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Database file (default: the user data dir; env RELCLI_DB).",
            show_default=False,
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="Pin 'today' (env RELCLI_TODAY), for scripts and tests.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[  # noqa: ARG001 (handled by its eager callback)
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """A personal CRM for the terminal: who should I call today, and why?"""
    runtime.state.db = str(db) if db else None
    runtime.state.today = today
    if today:
        runtime.today()  # a bad --today fails every command, not only those reading the clock


app.command("today")(ranking.today)
app.command("why")(ranking.why)
app.command("log")(interactions.log)
app.command("call")(call.call)
app.command("demo")(ranking.demo)
app.command("doctor")(doctor.doctor)
app.command("export")(exports.export)
app.command("import")(imports.import_)
app.command("remind")(remind.remind)
app.command("backup")(backups.backup)
app.command("restore")(backups.restore)
app.add_typer(contacts.app, name="contact")
app.add_typer(companies.app, name="company")
app.add_typer(follow_ups.app, name="follow-up")
app.add_typer(signals.app, name="signal")
app.add_typer(config_cmd.app, name="config")
app.add_typer(interactions.app, name="interaction")
app.add_typer(secret_cmd.app, name="secret")
