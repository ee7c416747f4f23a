"""Contacts: add, edit, remove, and the card and list views."""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, delete, select

from relcli.domain import names, vocabulary
from relcli.errors import InvalidInputError, UsageError
from relcli.models import Contact, ContactEmail, ContactOptOut, ContactPhone, ContactTag
from relcli.services.context import Context
from relcli.store import records


@dataclass
class Fields:
    """The fields ``contact add`` and ``contact edit`` can set; None means "leave as is"."""

    name: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    company: str | None = None
    title: str | None = None
    tags: list[str] = field(default_factory=list)
    stage: str | None = None
    cadence_days: int | None = None
    tier: str | None = None
    prefer: str | None = None
    renewal_on: date | None = None
    birthday: str | None = None
    notes: str | None = None
    url: str | None = None
    min_gap_days: int | None = None
    deal_value: float | None = None


def check_birthday(text: str) -> str:
    """'1985-02-03' or, when the year is unknown, '--02-03' (also accepts '02-03')."""
    raw = text.strip()
    try:
        if raw.startswith("--"):
            raw = raw[2:]
        if len(raw) == 5:
            date.fromisoformat(f"2000-{raw}")
            return f"--{raw}"
        return date.fromisoformat(raw).isoformat()
    except ValueError as err:
        raise UsageError(f"cannot read the birthday {text!r}", hint="use 1985-02-03, or --02-03 without the year") from err


def _validate(f: Fields) -> None:
    if f.name is not None and not f.name.strip():
        raise UsageError("a contact needs a name", hint="relcli contact add 'Ann Lee'")
    for address in f.emails:
        if not names.is_email(address):
            raise UsageError(f"invalid email {address!r}", hint="write it as name@example.com")
    for number in f.phones:
        if not names.is_phone(number):
            raise UsageError(f"invalid phone number {number!r}", hint="write it as +1 555 010 2030")
    if f.stage is not None:
        f.stage = vocabulary.check_stage(f.stage)
    if f.tier is not None:
        f.tier = vocabulary.check_tier(f.tier)
    if f.prefer is not None:
        f.prefer = vocabulary.check_channel(f.prefer)
    f.tags = [vocabulary.check_tag(t) for t in f.tags]
    if f.birthday is not None:
        f.birthday = check_birthday(f.birthday)


def _apply(session: Session, contact: Contact, f: Fields, ctx: Context) -> None:
    if f.name is not None:
        contact.name = f.name.strip()
        contact.name_key = names.fold(f.name)
    if f.company is not None:
        contact.company_id = records.ensure_company(session, f.company, ctx.now).id if f.company.strip() else None
    for attr in ("title", "stage", "cadence_days", "tier", "renewal_on", "birthday", "notes", "url",
                 "min_gap_days", "deal_value"):  # fmt: skip
        value = getattr(f, attr)
        if value is not None:
            setattr(contact, attr, value)
    if f.prefer is not None:
        contact.preferred_channel = f.prefer
    contact.updated_at = ctx.now


def _add_channels(session: Session, contact_id: int, f: Fields) -> None:
    start = len(session.exec(select(ContactEmail).where(ContactEmail.contact_id == contact_id)).all())
    for n, address in enumerate(f.emails):
        records.add_email(session, contact_id, address, start + n)
    start = len(session.exec(select(ContactPhone).where(ContactPhone.contact_id == contact_id)).all())
    for n, number in enumerate(f.phones):
        records.add_phone(session, contact_id, number, start + n)
    records.add_tags(session, contact_id, f.tags)


def add(session: Session, f: Fields, ctx: Context, *, source: str | None = None) -> Contact:
    _validate(f)
    if f.name is None:
        raise UsageError("a contact needs a name", hint="relcli contact add 'Ann Lee'")
    contact = Contact(
        name=f.name.strip(), name_key=names.fold(f.name), stage=f.stage or "lead", source=source,
        created_at=ctx.now, updated_at=ctx.now,
    )  # fmt: skip
    _apply(session, contact, f, ctx)
    session.add(contact)
    session.flush()
    assert contact.id is not None
    _add_channels(session, contact.id, f)
    records.refresh_stats(session, [contact.id], ctx.today, ctx.settings.rank)
    return contact


@dataclass
class Policy:
    opt_out: list[str] = field(default_factory=list)
    opt_in: list[str] = field(default_factory=list)
    do_not_contact: str | None = None
    allow_contact: bool = False
    snooze_until: date | None = None
    unsnooze: bool = False
    remove_emails: list[str] = field(default_factory=list)
    remove_phones: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    clear_cadence: bool = False


def edit(session: Session, text: str, f: Fields, policy: Policy, ctx: Context) -> Contact:
    ref = records.find_contact(session, text)
    _validate(f)
    contact = session.get(Contact, ref.id)
    assert contact is not None and contact.id is not None
    if policy.do_not_contact is not None and policy.allow_contact:
        raise InvalidInputError("--do-not-contact and --allow-contact contradict each other; nothing was changed")
    _apply(session, contact, f, ctx)
    for address in policy.remove_emails:
        session.exec(delete(ContactEmail).where(  # type: ignore[call-overload]
            ContactEmail.contact_id == contact.id, ContactEmail.address_key == names.email_key(address)))
    for number in policy.remove_phones:
        session.exec(delete(ContactPhone).where(  # type: ignore[call-overload]
            ContactPhone.contact_id == contact.id, ContactPhone.number_key == names.phone_key(number)))
    for tag in policy.remove_tags:
        session.exec(delete(ContactTag).where(  # type: ignore[call-overload]
            ContactTag.contact_id == contact.id, ContactTag.tag == vocabulary.check_tag(tag)))
    _add_channels(session, contact.id, f)
    for channel in policy.opt_out:
        channel = vocabulary.check_channel(channel)
        if session.get(ContactOptOut, (contact.id, channel)) is None:
            session.add(ContactOptOut(contact_id=contact.id, channel=channel))
    for channel in policy.opt_in:
        channel = vocabulary.check_channel(channel)
        found = session.get(ContactOptOut, (contact.id, channel))
        if found is not None:
            session.delete(found)
    if policy.do_not_contact is not None:
        contact.do_not_contact = True
        contact.do_not_contact_reason = policy.do_not_contact.strip() or None
        contact.do_not_contact_since = ctx.today
    if policy.allow_contact:
        contact.do_not_contact = False
        contact.do_not_contact_reason = None
        contact.do_not_contact_since = None
    if policy.snooze_until is not None:
        if policy.snooze_until <= ctx.today:
            raise InvalidInputError(f"cannot snooze until {policy.snooze_until}: that is not in the future")
        contact.snoozed_until = policy.snooze_until
    if policy.unsnooze:
        contact.snoozed_until = None
    if policy.clear_cadence:
        contact.cadence_days = None
    session.add(contact)
    records.refresh_stats(session, [contact.id], ctx.today, ctx.settings.rank)
    return contact


def remove(session: Session, text: str) -> Contact:
    ref = records.find_contact(session, text)
    contact = session.get(Contact, ref.id)
    assert contact is not None
    session.delete(contact)
    session.flush()
    return contact
