"""relcli signal add|list|rm|kinds."""

from typing import Annotated

import typer

from relcli.cli import runtime
from relcli.cli.options import FormatOption
from relcli.domain import when
from relcli.render import messages, output, views
from relcli.render.output import Format

app = typer.Typer(help="Buying triggers about contacts and companies.", no_args_is_help=True)


@app.command("add")
def add(
    target: Annotated[
        str | None,
        typer.Argument(metavar="CONTACT|KIND", help="The contact (leave out with --company)."),
    ] = None,
    kind_note: Annotated[list[str] | None, typer.Argument(metavar="KIND [NOTE]")] = None,
    company: Annotated[
        str | None, typer.Option("--company", help="Record it on a company instead.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", metavar="WHEN", help="When it happened (default today).")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", metavar="URL", help="Where you saw it.")
    ] = None,
    fmt: FormatOption = Format.AUTO,
) -> None:
    """Record a buying signal about a contact or company."""
    from relcli.errors import UsageError
    from relcli.services import signals

    words = [w for w in [target, *(kind_note or [])] if w is not None]
    if company is None:
        if len(words) < 2:
            raise UsageError(
                "name a contact and a kind", hint="relcli signal add ann funding 'Series B'"
            )
        contact, kind, note = words[0], words[1], " ".join(words[2:]) or None
    else:
        if not words:
            raise UsageError(
                "name a kind", hint="relcli signal add --company Acme funding 'Series B'"
            )
        contact, kind, note = None, words[0], " ".join(words[1:]) or None
    observed = when.parse_date(on, runtime.today(), past=True) if on else None
    ctx = runtime.context()
    kinds = ctx.settings.rank.kinds
    if company is not None and len(words) > 1 and kind.lower() not in kinds and words[1] in kinds:
        raise UsageError(
            f"name either a contact ({words[0]!r}) or --company {company!r}, not both",
            hint=f"relcli signal add --company {company!r} {words[1]} ...",
        )
    with runtime.transaction() as session:
        signal, about = signals.add(
            session,
            ctx,
            kind,
            contact=contact,
            company=company,
            note=note,
            observed_on=observed,
            source=source,
        )
        data = {
            "id": signal.id,
            "kind": signal.kind,
            "observed_on": signal.observed_on.isoformat(),
            "contact_id": signal.contact_id,
            "company_id": signal.company_id,
            "about": about,
            "note": signal.note,
            "source": signal.source,
        }
    messages.note(f"added signal #{data['id']}: {data['kind']} for {about}")
    if output.resolve(fmt) is Format.JSON:
        output.text([], fmt, data)


@app.command("list")
def list_(
    all_: Annotated[bool, typer.Option("--all", help="Include expired signals.")] = False,
    fmt: FormatOption = Format.AUTO,
) -> None:
    """List active signals, newest first."""
    from relcli.services import signals

    ctx = runtime.context()
    rows = []
    if runtime.paths().database.exists():
        with runtime.transaction(write=False) as session:
            rows = signals.listing(session, ctx, include_expired=all_)
    shown = [{**r, "about": r["contact"] or f"{r['company']} (company)"} for r in rows]
    output.emit(shown, views.SIGNALS, fmt, json_rows=rows)


@app.command("rm")
def rm(signal_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Remove a signal."""
    from relcli.services import signals

    with runtime.transaction() as session:
        signals.remove(session, signal_id)
    messages.note(f"removed signal #{signal_id}")


@app.command("kinds")
def kinds(fmt: FormatOption = Format.AUTO) -> None:
    """List signal kinds with weight and half-life."""
    rank = runtime.settings().rank
    rows = [
        {
            "kind": k.name,
            "weight": k.weight,
            "half_life_days": k.half_life,
            "max_age_days": k.max_age,
            "description": k.description,
        }
        for k in rank.kinds.values()
    ]
    output.emit(rows, views.KINDS, fmt)
