"""relcli contact add|list|show|edit|rm."""

import re
import sys
from contextlib import closing
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from relcli.cli import runtime
from relcli.cli.options import ContactArgument, FormatOption, LimitOption, YesOption
from relcli.domain import when
from relcli.errors import InvalidInputError
from relcli.render import messages, output, views
from relcli.render.output import Format

if TYPE_CHECKING:
    from relcli.services.contacts import Fields

app = typer.Typer(help="Keep the people you sell to.", no_args_is_help=True)

Emails = Annotated[
    list[str] | None, typer.Option("--email", "-e", help="An email address (repeat for more).")
]
Phones = Annotated[
    list[str] | None, typer.Option("--phone", "-p", help="A phone number (repeat for more).")
]
CompanyOpt = Annotated[str | None, typer.Option("--company", help="Company name (created if new).")]
Title = Annotated[str | None, typer.Option("--title", help="Job title.")]
Tags = Annotated[list[str] | None, typer.Option("--tag", "-t", help="A tag (repeat for more).")]
Stage = Annotated[
    str | None, typer.Option("--stage", help="lead, prospect, customer, partner or former.")
]
Cadence = Annotated[
    str | None, typer.Option("--cadence", help="Keep in touch every SPAN, e.g. 14d or 2w.")
]
Tier = Annotated[str | None, typer.Option("--tier", help="Importance: A, B or C.")]
Prefer = Annotated[
    str | None,
    typer.Option("--prefer", help="Preferred channel: call, email, text, meeting, social."),
]
Renewal = Annotated[str | None, typer.Option("--renewal", help="Contract renewal date (WHEN).")]
Birthday = Annotated[
    str | None, typer.Option("--birthday", help="1985-02-03, or --02-03 without the year.")
]
Nickname = Annotated[
    str | None, typer.Option("--nickname", help="What they like to be called ('' clears it).")
]
Anniversary = Annotated[
    str | None, typer.Option("--anniversary", help="2010-06-12, or --06-12 without the year.")
]
Note = Annotated[str | None, typer.Option("--note", help="Free-form notes about the contact.")]
Url = Annotated[str | None, typer.Option("--url", help="A profile URL (LinkedIn and the like).")]
MinGap = Annotated[
    str | None, typer.Option("--min-gap", help="Their wish: at most one contact per SPAN.")
]
Deal = Annotated[float | None, typer.Option("--deal", min=0, help="Value of the open deal.")]


def _fields(
    name: str | None,
    email: list[str] | None,
    phone: list[str] | None,
    company: str | None,
    title: str | None,
    tag: list[str] | None,
    stage: str | None,
    cadence: str | None,
    tier: str | None,
    prefer: str | None,
    renewal: str | None,
    birthday: str | None,
    note: str | None,
    url: str | None,
    min_gap: str | None,
    deal: float | None,
) -> "Fields":
    from relcli.services.contacts import Fields

    today = runtime.today()
    return Fields(
        name=name,
        emails=email or [],
        phones=phone or [],
        company=company,
        title=title,
        tags=tag or [],
        stage=stage,
        cadence_days=when.parse_span(cadence) if cadence else None,
        tier=tier,
        prefer=prefer,
        renewal_on=when.parse_date(renewal, today) if renewal else None,
        birthday=birthday,
        notes=note,
        url=url,
        min_gap_days=when.parse_span(min_gap) if min_gap else None,
        deal_value=deal,
    )


def _confirm(verb: str, name: str, contact_id: int | None) -> None:
    messages.note(f"{verb} {name} (#{contact_id})")


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Full name.")],
    email: Emails = None,
    phone: Phones = None,
    company: CompanyOpt = None,
    title: Title = None,
    tag: Tags = None,
    stage: Stage = None,
    cadence: Cadence = None,
    tier: Tier = None,
    prefer: Prefer = None,
    renewal: Renewal = None,
    birthday: Birthday = None,
    nickname: Nickname = None,
    anniversary: Anniversary = None,
    note: Note = None,
    url: Url = None,
    min_gap: MinGap = None,
    deal: Deal = None,
    fmt: FormatOption = Format.AUTO,
) -> None:
    """Add a contact."""
    from relcli.services import contacts

    fields = _fields(
        name,
        email,
        phone,
        company,
        title,
        tag,
        stage,
        cadence,
        tier,
        prefer,
        renewal,
        birthday,
        note,
        url,
        min_gap,
        deal,
    )
    fields.nickname, fields.anniversary = nickname, anniversary
    ctx = runtime.context()
    with runtime.transaction() as session:
        contact = contacts.add(session, fields, ctx)
        contact_id = contact.id
        display = contact.name
    _confirm("added", display, contact_id)
    _echo_card(contact_id, fmt, only_json=True)


def _echo_card(contact_id: int | None, fmt: Format, *, only_json: bool = False) -> None:
    if only_json and output.resolve(fmt) is not Format.JSON:
        return
    from relcli.store import reader

    conn = runtime.reader()
    assert conn is not None
    assert contact_id is not None
    with closing(conn):
        card = reader.contact_card(conn, contact_id)
    output.text(views.card_lines(card, runtime.today()), fmt, card)


# "-stage:former" is a negated filter, not the short option -s; "-tag:x" is not "-t ag:x".
_NEGATED_FILTER = re.compile(r"^-(tag|stage|company|tier|channel):", re.IGNORECASE)


class QueryCommand(TyperCommand):
    """Passes negated filters (``-stage:former``) to the QUERY words instead of Click's options."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # Typer's vendored click.Context
        cut = args.index("--") if "--" in args else len(args)
        head, tail = args[:cut], args[cut + 1 :]
        filters = [a for a in head if _NEGATED_FILTER.match(a)]
        if filters:
            args = [a for a in head if not _NEGATED_FILTER.match(a)] + ["--", *filters, *tail]
        return super().parse_args(ctx, args)


@app.command("list", cls=QueryCommand)
def list_(
    query: Annotated[
        list[str] | None, typer.Argument(help="Filters: tag:vip stage:customer -stage:former acme")
    ] = None,
    tag: Tags = None,
    stage: Stage = None,
    limit: LimitOption = None,
    fmt: FormatOption = Format.AUTO,
) -> None:
    """List contacts, optionally filtered."""
    from relcli.domain import query as query_language
    from relcli.domain import vocabulary
    from relcli.store import reader

    q = query_language.parse(" ".join(query or []))
    flags = [query_language.Term("tag", vocabulary.check_tag(t)) for t in tag or []]
    if stage:
        flags.append(query_language.Term("stage", vocabulary.check_stage(stage)))
    q = query_language.Query((*q.terms, *flags))
    conn = runtime.reader()
    rows = []
    if conn is not None:
        with closing(conn):
            rows = [r for r in reader.contact_rows(conn) if q.matches(r)]
    if limit:
        rows = rows[:limit]
    output.emit(rows, views.CONTACTS, fmt)
    if not rows and output.resolve(fmt) is Format.TABLE:
        messages.note(
            "no contacts match; add one with: relcli contact add 'Ann Lee' --email ann@example.com"
        )


@app.command("show")
def show(contact: ContactArgument, fmt: FormatOption = Format.AUTO) -> None:
    """Show a contact's card."""
    from relcli.store import reader

    conn = runtime.reader()
    if conn is None:
        from relcli.errors import NotFoundError

        raise NotFoundError(
            f"no contact matches {contact!r}", hint="your book is empty; see 'relcli contact add'"
        )
    with closing(conn):
        ref = reader.find_one(conn, contact)
        card = reader.contact_card(conn, ref.id)
    output.text(views.card_lines(card, runtime.today()), fmt, card)


@app.command("edit")
def edit(
    contact: ContactArgument,
    name: Annotated[str | None, typer.Option("--name", help="New full name.")] = None,
    email: Emails = None,
    phone: Phones = None,
    company: CompanyOpt = None,
    title: Title = None,
    tag: Tags = None,
    stage: Stage = None,
    cadence: Cadence = None,
    tier: Tier = None,
    prefer: Prefer = None,
    renewal: Renewal = None,
    birthday: Birthday = None,
    nickname: Nickname = None,
    anniversary: Anniversary = None,
    note: Note = None,
    url: Url = None,
    min_gap: MinGap = None,
    deal: Deal = None,
    opt_out: Annotated[
        list[str] | None, typer.Option("--opt-out", help="A channel they do not want (repeat).")
    ] = None,
    opt_in: Annotated[
        list[str] | None, typer.Option("--opt-in", help="Undo an --opt-out for a channel.")
    ] = None,
    do_not_contact: Annotated[
        str | None,
        typer.Option(
            "--do-not-contact", metavar="REASON", help="They asked not to be contacted at all."
        ),
    ] = None,
    allow_contact: Annotated[
        bool, typer.Option("--allow-contact", help="Lift a do-not-contact.")
    ] = False,
    snooze: Annotated[
        str | None, typer.Option("--snooze", metavar="WHEN", help="Hide from lists until WHEN.")
    ] = None,
    unsnooze: Annotated[bool, typer.Option("--unsnooze", help="End a snooze now.")] = False,
    remove_email: Annotated[
        list[str] | None, typer.Option("--remove-email", help="Drop an email address.")
    ] = None,
    remove_phone: Annotated[
        list[str] | None, typer.Option("--remove-phone", help="Drop a phone number.")
    ] = None,
    remove_tag: Annotated[
        list[str] | None, typer.Option("--remove-tag", help="Drop a tag.")
    ] = None,
    no_cadence: Annotated[
        bool, typer.Option("--no-cadence", help="Stop keeping a cadence.")
    ] = False,
    fmt: FormatOption = Format.AUTO,
) -> None:
    """Change a contact's details or contact policy."""
    from relcli.services import contacts

    fields = _fields(
        name,
        email,
        phone,
        company,
        title,
        tag,
        stage,
        cadence,
        tier,
        prefer,
        renewal,
        birthday,
        note,
        url,
        min_gap,
        deal,
    )
    fields.nickname, fields.anniversary = nickname, anniversary
    policy = contacts.Policy(
        opt_out=opt_out or [],
        opt_in=opt_in or [],
        do_not_contact=do_not_contact,
        allow_contact=allow_contact,
        snooze_until=when.parse_date(snooze, runtime.today()) if snooze else None,
        unsnooze=unsnooze,
        remove_emails=remove_email or [],
        remove_phones=remove_phone or [],
        remove_tags=remove_tag or [],
        clear_cadence=no_cadence,
    )
    ctx = runtime.context()
    with runtime.transaction() as session:
        found = contacts.edit(session, contact, fields, policy, ctx)
        contact_id, display = found.id, found.name
    _confirm("updated", display, contact_id)
    _echo_card(contact_id, fmt, only_json=True)


@app.command("rm")
def rm(contact: ContactArgument, yes: YesOption = False) -> None:
    """Remove a contact and their history."""
    from relcli.services import contacts

    with runtime.transaction() as session:
        from relcli.store import records

        ref = records.find_contact(session, contact)
        if not yes:
            if not sys.stdin.isatty():
                raise InvalidInputError(
                    f"not removing {ref.name} (#{ref.id}) without confirmation",
                    hint="add --yes to remove without asking",
                )
            if not typer.confirm(f"Remove {ref.name} (#{ref.id}) and all their history?", err=True):
                messages.note("nothing was removed")
                return
        removed = contacts.remove(session, f"#{ref.id}")
    _confirm("removed", removed.name, removed.id)


@app.command("merge")
def merge(
    keep: Annotated[str, typer.Argument(metavar="KEEP", help="The contact to keep.")],
    other: Annotated[str, typer.Argument(metavar="OTHER", help="The duplicate to fold into KEEP.")],
    yes: YesOption = False,
    fmt: FormatOption = Format.AUTO,
) -> None:
    """Fold a duplicate into the contact you keep."""
    from relcli.services import contacts
    from relcli.store import records

    ctx = runtime.context()
    with runtime.transaction() as session:
        kept, gone = records.find_contact(session, keep), records.find_contact(session, other)
        if not yes:
            if not sys.stdin.isatty():
                raise InvalidInputError(
                    f"not merging {gone.name} (#{gone.id}) into {kept.name} (#{kept.id}) "
                    "without confirmation",
                    hint="add --yes to merge without asking",
                )
            question = f"Merge {gone.name} (#{gone.id}) into {kept.name} (#{kept.id})?"
            if not typer.confirm(question, err=True):
                messages.note("nothing was merged")
                return
        result, other_name = contacts.merge(session, f"#{kept.id}", f"#{gone.id}", ctx)
        contact_id = result.id
    messages.note(f"merged {other_name} (#{gone.id}) into {result.name} (#{contact_id})")
    _echo_card(contact_id, fmt, only_json=True)


@app.command("dupes")
def dupes(fmt: FormatOption = Format.AUTO) -> None:
    """List likely duplicates, with the reason."""
    from relcli.services import contacts

    rows = []
    if runtime.paths().database.exists():
        with runtime.transaction(write=False) as session:
            rows = contacts.dupes(session)
    output.emit(rows, views.DUPES, fmt)
    if not rows and output.resolve(fmt) is Format.TABLE:
        messages.note("no likely duplicates")
    elif rows and output.resolve(fmt) is Format.TABLE:
        first = rows[0]
        messages.note(
            f"to combine a pair: relcli contact merge '#{first['keep_id']}' '#{first['other_id']}'"
        )


@app.command("forget")
def forget(contact: ContactArgument, yes: YesOption = False) -> None:
    """Erase a person completely (privacy request)."""
    from relcli.services import contacts
    from relcli.store import database, records

    with runtime.transaction() as session:
        ref = records.find_contact(session, contact)
        if not yes:
            if not sys.stdin.isatty():
                raise InvalidInputError(
                    f"not erasing {ref.name} (#{ref.id}) without confirmation",
                    hint="add --yes to erase without asking",
                )
            if not typer.confirm(
                f"Erase {ref.name} (#{ref.id}) and everything about them?", err=True
            ):
                messages.note("nothing was erased")
                return
        contact_id, name = contacts.forget(session, f"#{ref.id}")
    database.checkpoint(runtime.paths().database)
    messages.note(f"erased {name} (#{contact_id}) and everything about them")
