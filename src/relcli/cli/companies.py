"""relcli company add|list|show|edit."""

from typing import Annotated, Any

import typer

from relcli.cli import runtime
from relcli.cli.options import FormatOption
from relcli.render import messages, output, views
from relcli.render.output import Format

app = typer.Typer(help="Organisations your contacts work at.", no_args_is_help=True)
CompanyArg = Annotated[
    str, typer.Argument(metavar="COMPANY", help="An id or a name or part of one.")
]
Domain = Annotated[str | None, typer.Option("--domain", help="Web domain, e.g. acme.com.")]
Notes = Annotated[str | None, typer.Option("--note", help="Free-form notes.")]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Company name.")],
    domain: Domain = None,
    note: Notes = None,
    fmt: FormatOption = Format.AUTO,
) -> None:
    """Add a company."""
    from relcli.services import companies

    ctx = runtime.context()
    with runtime.transaction() as session:
        company = companies.add(session, name, ctx, domain=domain, notes=note)
        line = f"added {company.name} (#{company.id})"
        card = companies.card(session, f"#{company.id}")
    messages.note(line)
    _echo_card(card, fmt, only_json=True)


@app.command("list")
def list_(fmt: FormatOption = Format.AUTO) -> None:
    """List companies with how many contacts each has."""
    from relcli.services import companies

    rows = []
    if runtime.paths().database.exists():
        with runtime.transaction(write=False) as session:
            rows = companies.listing(session)
    output.emit(rows, views.COMPANIES, fmt)


def _echo_card(card: dict[str, Any], fmt: Format, *, only_json: bool = False) -> None:
    """The company card as text, or as JSON; ``only_json`` for commands that change data."""
    if only_json and output.resolve(fmt) is not Format.JSON:
        return
    lines = [f"{card['name']} (#{card['id']})" + (f"  {card['domain']}" if card["domain"] else "")]
    if card["notes"]:
        lines.append(f"  {card['notes']}")
    lines.append("Contacts")
    for p in card["contacts"] or [{"id": None}]:
        if p["id"] is None:
            lines.append("  none")
            continue
        primary = "  (primary)" if p["id"] == card["primary_contact_id"] else ""
        lines.append(
            f"  #{p['id']}  {p['name']}  {p['title'] or ''}  {p['stage']}{primary}".rstrip()
        )
    lines.append("Signals")
    lines.extend(
        f"  #{s['id']}  {s['observed_on']}  {s['kind']}  {s['note'] or ''}".rstrip()
        for s in card["signals"]
    )
    if not card["signals"]:
        lines.append("  none")
    output.text(lines, fmt, card)


@app.command("show")
def show(company: CompanyArg, fmt: FormatOption = Format.AUTO) -> None:
    """Show a company, its contacts and its signals."""
    from relcli.errors import NotFoundError
    from relcli.services import companies

    if not runtime.paths().database.exists():
        raise NotFoundError(f"no company matches {company!r}", hint="see 'relcli company add'")
    with runtime.transaction(write=False) as session:
        card = companies.card(session, company)
    _echo_card(card, fmt)


@app.command("edit")
def edit(
    company: CompanyArg,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    domain: Domain = None,
    note: Notes = None,
    primary: Annotated[
        str | None,
        typer.Option(
            "--primary", metavar="CONTACT", help="The main contact (gets company signals in full)."
        ),
    ] = None,
    fmt: FormatOption = Format.AUTO,
) -> None:
    """Change a company's details."""
    from relcli.services import companies

    ctx = runtime.context()
    with runtime.transaction() as session:
        found = companies.edit(
            session, company, ctx, name=name, domain=domain, notes=note, primary=primary
        )
        line = f"updated {found.name} (#{found.id})"
        card = companies.card(session, f"#{found.id}")
    messages.note(line)
    _echo_card(card, fmt, only_json=True)
