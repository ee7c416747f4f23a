"""relcli follow-up add|list|done|snooze|rm."""

from typing import Annotated

import typer

from relcli.cli import runtime
from relcli.cli.options import ContactArgument, FormatOption
from relcli.domain import when
from relcli.render import messages, output, views
from relcli.render.output import Format

app = typer.Typer(help="Promises to get back to someone.", no_args_is_help=True)
Id = Annotated[
    int, typer.Argument(metavar="ID", help="The follow-up's id (see 'relcli follow-up list').")
]


@app.command("add")
def add(
    contact: ContactArgument,
    when_: Annotated[
        str, typer.Argument(metavar="WHEN", help="Due date: fri, +3d, dec 3, 2026-03-01, none.")
    ],
    reason: Annotated[str | None, typer.Argument(help="Why, in a few words.")] = None,
    every: Annotated[
        str | None, typer.Option("--every", metavar="SPAN", help="Repeat every SPAN (2w, 30d).")
    ] = None,
    fmt: FormatOption = Format.AUTO,
) -> None:
    """Promise to contact someone on or after a date."""
    from relcli.services import follow_ups

    today = runtime.today()
    due = (
        None if when_.strip().lower() in ("none", "-", "someday") else when.parse_date(when_, today)
    )
    every_days = when.parse_span(every) if every else None
    ctx = runtime.context()
    with runtime.transaction() as session:
        fu, name = follow_ups.add(session, contact, due, ctx, reason=reason, every_days=every_days)
        session.flush()
        data = {
            "id": fu.id,
            "contact_id": fu.contact_id,
            "contact": name,
            "due_on": fu.due_on.isoformat() if fu.due_on else None,
            "reason": fu.reason,
            "every_days": fu.every_days,
        }
    messages.note(f"follow-up #{data['id']} for {name} on {data['due_on'] or 'no date'}")
    if output.resolve(fmt) is Format.JSON:
        output.text([], fmt, data)


@app.command("list")
def list_(
    due: Annotated[bool, typer.Option("--due", help="Only those due today or overdue.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Include done ones.")] = False,
    fmt: FormatOption = Format.AUTO,
) -> None:
    """List open follow-ups, soonest first."""
    from relcli.services import follow_ups

    ctx = runtime.context()
    if not runtime.paths().database.exists():
        rows = []
    else:
        with runtime.transaction(write=False) as session:
            rows = follow_ups.listing(session, ctx, due_only=due, include_done=all_)
    shown = [
        {**r, "every": f"{r['every_days']}d" if r["every_days"] else "",
         "state": f"done {r['done_at'][:10]}" if r["done_at"] else "open"}
        for r in rows
    ]  # fmt: skip
    for r in shown:
        if output.resolve(fmt) is Format.TABLE:
            r["due_on"] = views.relative(r["due_on"], ctx.today) or "no date"
    output.emit(shown, views.FOLLOW_UPS, fmt, json_rows=rows)


@app.command("done")
def done(follow_up_id: Id) -> None:
    """Mark a follow-up done (a recurring one comes back)."""
    from relcli.services import follow_ups

    ctx = runtime.context()
    with runtime.transaction() as session:
        closed, following = follow_ups.done(session, follow_up_id, ctx)
        session.flush()
        line = f"done: follow-up #{closed.id}"
        if following is not None:
            line += f"; next one #{following.id} on {following.due_on}"
    messages.note(line)


@app.command("snooze")
def snooze(follow_up_id: Id, when_: Annotated[str, typer.Argument(metavar="WHEN")]) -> None:
    """Move a follow-up to a later date."""
    from relcli.services import follow_ups

    until = when.parse_date(when_, runtime.today())
    ctx = runtime.context()
    with runtime.transaction() as session:
        fu = follow_ups.snooze(session, follow_up_id, until, ctx)
        due = fu.due_on
    messages.note(f"follow-up #{follow_up_id} moved to {due}")


@app.command("rm")
def rm(follow_up_id: Id) -> None:
    """Remove a follow-up."""
    from relcli.services import follow_ups

    ctx = runtime.context()
    with runtime.transaction() as session:
        follow_ups.remove(session, follow_up_id, ctx)
    messages.note(f"removed follow-up #{follow_up_id}")
