"""relcli log: record what just happened; relcli interaction rm."""

from typing import TYPE_CHECKING, Annotated

import typer

from relcli.cli import runtime
from relcli.cli.options import complete_contact
from relcli.domain import capture, when
from relcli.render import messages

if TYPE_CHECKING:
    from relcli.services import interactions

app = typer.Typer(help="Correct the interaction history.", no_args_is_help=True)


ContactOrTextArgument = Annotated[
    str,
    typer.Argument(
        metavar="CONTACT|TEXT",
        help="An id (12 or #12), an email, or a name or part of one; or a quick-capture "
        "line that names the contact with @, e.g. 'call @dana: worried #pricing next:fri' "
        "(see docs/log.md).",
        autocompletion=complete_contact,
    ),
]


def log(
    contact: ContactOrTextArgument,
    summary: Annotated[
        list[str] | None, typer.Argument(metavar="[SUMMARY]...", help="What happened, in a line.")
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option(
            "--channel",
            "-c",
            help="call, email, meeting, text, social or note (default: call).",
        ),
    ] = None,
    inbound: Annotated[
        bool | None,
        typer.Option("--in/--out", help="They reached out to you; or you to them (the default)."),
    ] = None,
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
    """Record an interaction with a contact.

    One quoted line can say it all: 'call @dana: worried about the price !churn-risk
    #pricing next:fri' logs a call with Dana, a churn-risk signal, the tag pricing and a
    follow-up on Friday. Flags win over the line. The grammar is in docs/log.md.
    """
    from relcli.services import interactions

    today = runtime.today()
    args = [contact, *(summary or [])]
    if capture.is_capture(args):
        line = capture.parse(" ".join(args), today)
    else:
        words = " ".join(args[1:])
        line = capture.Capture(contact=contact, summary=words or None)
    # Flags win over what the line says.
    moment = when.parse_moment(on, today, past=True) if on else None
    next_on = when.parse_date(next_, today) if next_ else line.next_on
    ctx = runtime.context()
    with runtime.transaction() as session:
        logged = interactions.log(
            session,
            line.contact,
            ctx,
            summary=line.summary,
            channel=channel or line.channel or "call",
            inbound=line.is_inbound if inbound is None else inbound,
            outcome=outcome or line.outcome,
            on=moment,
            next_on=next_on,
            signal_kinds=line.signal_kinds,
            tags=line.tags,
        )
        confirmation = _confirmation(logged)
    messages.note(confirmation)


def _confirmation(logged: "interactions.Logged") -> str:
    """'logged call with Dana Lee (#12); signal #3 churn-risk; tag pricing; follow-up #4 on …'."""
    i, fu = logged.interaction, logged.follow_up
    line = f"logged {i.channel} {'from' if i.direction == 'in' else 'with'} {logged.contact_name} (#{i.id})"
    if logged.signals:
        listed = ", ".join(f"#{s.id} {s.kind}" for s in logged.signals)
        line += f"; {'signals' if len(logged.signals) > 1 else 'signal'} {listed}"
    if logged.tags:
        line += f"; {'tags' if len(logged.tags) > 1 else 'tag'} {', '.join(logged.tags)}"
    if fu is not None:
        line += f"; follow-up #{fu.id} on {fu.due_on}"
    return line


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
