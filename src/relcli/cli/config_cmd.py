"""relcli config show|path: every setting with its value and default."""

from typing import Annotated

import typer

from relcli.cli import runtime
from relcli.cli.options import FormatOption
from relcli.render import output, views
from relcli.render.output import Format

app = typer.Typer(help="Show the settings from config.toml.", no_args_is_help=True)


@app.command("show")
def show(
    section: Annotated[
        str | None, typer.Argument(help="Only keys under this prefix, e.g. rank or rank.signal.")
    ] = None,
    fmt: FormatOption = Format.AUTO,
) -> None:
    """Print every ranking key with its value and default."""
    from relcli.domain import ranking

    settings = runtime.settings()
    values = settings.rank.values
    prefix = section.strip() if section else ""
    if prefix and not prefix.startswith("rank"):
        from relcli.errors import UsageError

        raise UsageError(f"unknown section {section!r}", hint="try 'relcli config show rank'")
    rows = [
        {
            "key": key,
            "value": value,
            "default": ranking.DEFAULTS.get(
                key, ranking.DEFAULTS.get("rank.signal.custom." + key.rsplit(".", 1)[-1])
            ),
            "is_set": key in settings.rank.overrides,
        }
        for key, value in values.items()
        if key.startswith(prefix)
    ]
    for row in rows:
        if output.resolve(fmt) is not Format.JSON:  # as written in config.toml, not rounded
            row["value"], row["default"] = str(row["value"]), str(row["default"])
    output.emit(rows, views.CONFIG, fmt)


@app.command("path")
def path() -> None:
    """Print the path of config.toml."""
    typer.echo(str(runtime.paths().config_file))
