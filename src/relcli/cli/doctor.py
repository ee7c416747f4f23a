"""relcli doctor: where everything lives and whether it is healthy."""

from typing import Annotated

import typer

from relcli.cli import runtime
from relcli.cli.options import FormatOption
from relcli.render import messages, output
from relcli.render.output import Format


def doctor(
    rebuild_stats: Annotated[
        bool, typer.Option("--rebuild-stats", help="Recompute the ranking aggregates from scratch.")
    ] = False,
    fmt: FormatOption = Format.AUTO,
) -> None:
    """Show paths, schema and keyring; check health."""
    from relcli.services import doctor as checks

    paths = runtime.paths()
    ctx = runtime.context()
    if rebuild_stats:
        with runtime.transaction() as session:
            count = checks.rebuild_stats(session, ctx)
        messages.note(f"rebuilt the ranking aggregates of {count} contacts")
    report = checks.report(paths, ctx)
    lines = [
        f"{row['check']:<16} {row['value']}"
        + (f"   PROBLEM: {row['problem']}" if row["problem"] else "")
        for row in report
    ]
    output.text(lines, fmt, report)
    problems = [r for r in report if r["problem"]]
    if problems:
        raise typer.Exit(1)
