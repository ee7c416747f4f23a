"""relcli log: record what just happened; relcli interaction rm."""

from typing import Annotated

import typer

from relcli.cli import runtime
from relcli.cli.options import ContactArgument
from relcli.domain import when
from relcli.render import messages

app = typer.Typer(help="Correct the interaction history.", no_args_is_help=True)


def log(
    contact: ContactArgument,
    summary: Annotated[str | None, typer.Argument(help="What happened, in a line.")] = None,
    channel: Annotated[
        str, typer.Option("--channel", "-c", help="call, email, meeting, text, social or note.")
    ] = "call",
    inbound: Annotated[bool, typer.Option("--in", help="They reached out to you.")] = False,
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome",
            "-o",
            help="connected, voicemail, no-answer, replied, meeting-booked, "
            "not-interested, bounced, left-message.",
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", metavar="WHEN", help="When it happened (default: now).")
    ] = None,
    next_: Annotated[
        str | None, typer.Option("--next", metavar="WHEN", help="Schedule the next follow-up.")
    ] = None,
) -> None:
    """Record an interaction with a contact."""
    from relcli.services import interactions

    today = runtime.today()
    moment = when.parse_moment(on, today, past=True) if on else None
    next_on = when.parse_date(next_, today) if next_ else None
    ctx = runtime.context()
    with runtime.transaction() as session:
        logged = interactions.log(
            session,
            contact,
            ctx,
            summary=summary,
            channel=channel,
            inbound=inbound,
            outcome=outcome,
            on=moment,
            next_on=next_on,
        )
        i, fu = logged.interaction, logged.follow_up
        line = f"logged {i.channel} {'from' if i.direction == 'in' else 'with'} {logged.contact_name} (#{i.id})"
        if fu is not None:
            line += f"; follow-up #{fu.id} on {fu.due_on}"
    messages.note(line)


@app.command("rm")
def rm(interaction_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Remove a logged interaction."""
    from relcli.services import interactions

    ctx = runtime.context()
    with runtime.transaction() as session:
        removed = interactions.remove(session, interaction_id, ctx)
        rid = removed.id
    messages.note(f"removed interaction #{rid}")


@app.command("pin")
def pin(
    interaction_id: Annotated[int, typer.Argument(metavar="ID")],
    off: Annotated[bool, typer.Option("--off", help="Unpin it.")] = False,
) -> None:
    """Pin a note as a talking point for calls."""
    from relcli.services import calls

    with runtime.transaction() as session:
        found, name = calls.pin(session, interaction_id, on=not off)
        fid = found.id
    if off:
        messages.note(f"interaction #{fid} is no longer a talking point for {name}")
    else:
        messages.note(f"pinned interaction #{fid} as a talking point for {name}")
