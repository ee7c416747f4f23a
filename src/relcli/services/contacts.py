"""Contacts: add, edit, remove, and the card and list views."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, delete, select, update

from relcli.domain import names, vocabulary
from relcli.errors import InvalidInputError, UsageError
from relcli.models import Company, Contact, ContactEmail, ContactOptOut, ContactPhone, ContactTag
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
    nickname: str | None = None
    anniversary: str | None = None
    url: str | None = None
    min_gap_days: int | None = None
    deal_value: float | None = None


def check_birthday(text: str, what: str = "birthday") -> str:
    """'1985-02-03' or, when the year is unknown, '--02-03' (also accepts '02-03').

    ``what`` names the date in the error (a birthday, an anniversary)."""
    raw = text.strip()
    try:
        if raw.startswith("--"):
            raw = raw[2:]
        if len(raw) == 5:
            date.fromisoformat(f"2000-{raw}")
            return f"--{raw}"
        return date.fromisoformat(raw).isoformat()
    except ValueError as err:
        raise UsageError(
            f"cannot read the {what} {text!r}", hint="use 1985-02-03, or --02-03 without the year"
        ) from err


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
    if f.anniversary is not None:
        f.anniversary = check_birthday(f.anniversary, "anniversary")


def _apply(session: Session, contact: Contact, f: Fields, ctx: Context) -> None:
    if f.name is not None:
        contact.name = f.name.strip()
        contact.name_key = names.fold(f.name)
    if f.company is not None:
        company = records.ensure_company(session, f.company, ctx.now) if f.company.strip() else None
        company_id = company.id if company else None
        if contact.id is not None and company_id != contact.company_id:
            _drop_as_primary(session, contact.id)
        contact.company_id = company_id
    for attr in (
        "title",
        "stage",
        "cadence_days",
        "tier",
        "renewal_on",
        "birthday",
        "notes",
        "url",
        "min_gap_days",
        "anniversary",
        "deal_value",
    ):
        value = getattr(f, attr)
        if value is not None:
            setattr(contact, attr, value)
    if f.nickname is not None:
        contact.nickname = f.nickname.strip() or None
    if f.prefer is not None:
        contact.preferred_channel = f.prefer
    contact.updated_at = ctx.now


def _drop_as_primary(session: Session, contact_id: int) -> None:
    """A removed contact, or one who moved on, is no longer their old company's main contact."""
    session.exec(
        update(Company)
        .where(col(Company.primary_contact_id) == contact_id)
        .values(primary_contact_id=None)
    )


def _add_channels(session: Session, contact_id: int, f: Fields, region: str | None) -> None:
    start = len(
        session.exec(select(ContactEmail).where(ContactEmail.contact_id == contact_id)).all()
    )
    for n, address in enumerate(f.emails):
        records.add_email(session, contact_id, address, start + n)
    start = len(
        session.exec(select(ContactPhone).where(ContactPhone.contact_id == contact_id)).all()
    )
    for n, number in enumerate(f.phones):
        records.add_phone(session, contact_id, number, start + n, region)
    records.add_tags(session, contact_id, f.tags)


def add(session: Session, f: Fields, ctx: Context, *, source: str | None = None) -> Contact:
    _validate(f)
    if f.name is None:
        raise UsageError("a contact needs a name", hint="relcli contact add 'Ann Lee'")
    contact = Contact(
        name=f.name.strip(),
        name_key=names.fold(f.name),
        stage=f.stage or "lead",
        source=source,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    _apply(session, contact, f, ctx)
    session.add(contact)
    session.flush()
    assert contact.id is not None
    _add_channels(session, contact.id, f, ctx.settings.phone_region)
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


def _contradiction(first: str, second: str) -> InvalidInputError:
    return InvalidInputError(
        f"{first} and {second} contradict each other; nothing was changed",
        hint=f"use {first} or {second}, not both",
    )


def _check_policy(policy: Policy, f: Fields) -> None:
    if policy.do_not_contact is not None and policy.allow_contact:
        raise _contradiction("--do-not-contact", "--allow-contact")
    if policy.snooze_until is not None and policy.unsnooze:
        raise _contradiction("--snooze", "--unsnooze")
    if f.cadence_days is not None and policy.clear_cadence:
        raise _contradiction("--cadence", "--no-cadence")
    policy.opt_out = [vocabulary.check_channel(c) for c in policy.opt_out]
    policy.opt_in = [vocabulary.check_channel(c) for c in policy.opt_in]
    if both := sorted(set(policy.opt_out) & set(policy.opt_in)):
        raise _contradiction(f"--opt-out {both[0]}", f"--opt-in {both[0]}")
    policy.remove_tags = [vocabulary.check_tag(t) for t in policy.remove_tags]


def _missing(name: str, what: str, value: str) -> InvalidInputError:
    return InvalidInputError(
        f"{name} has no {what} {value!r}; nothing was changed",
        hint=f"see 'relcli contact show {name!r}'",
    )


def _remove_details(session: Session, contact: Contact, policy: Policy, region: str | None) -> None:
    """Drop the emails, phones and tags ``policy`` names; each must be there."""
    for address in policy.remove_emails:
        key = names.email_key(address)
        gone = session.exec(
            delete(ContactEmail).where(
                col(ContactEmail.contact_id) == contact.id, col(ContactEmail.address_key) == key
            )
        )
        if not gone.rowcount:
            raise _missing(contact.name, "email", address)
    for number in policy.remove_phones:
        key = names.phone_key(number, region)
        gone = session.exec(
            delete(ContactPhone).where(
                col(ContactPhone.contact_id) == contact.id, col(ContactPhone.number_key) == key
            )
        )
        if not gone.rowcount:
            raise _missing(contact.name, "phone number", number)
    for tag in policy.remove_tags:
        gone = session.exec(
            delete(ContactTag).where(
                col(ContactTag.contact_id) == contact.id, col(ContactTag.tag) == tag
            )
        )
        if not gone.rowcount:
            raise _missing(contact.name, "tag", tag)


def edit(session: Session, text: str, f: Fields, policy: Policy, ctx: Context) -> Contact:
    ref = records.find_contact(session, text)
    _validate(f)
    _check_policy(policy, f)
    contact = session.get(Contact, ref.id)
    assert contact is not None
    assert contact.id is not None
    _remove_details(session, contact, policy, ctx.settings.phone_region)
    _apply(session, contact, f, ctx)
    _add_channels(session, contact.id, f, ctx.settings.phone_region)
    for channel in policy.opt_out:
        if session.get(ContactOptOut, (contact.id, channel)) is None:
            session.add(ContactOptOut(contact_id=contact.id, channel=channel))
    for channel in policy.opt_in:
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
            raise InvalidInputError(
                f"cannot snooze until {policy.snooze_until}: that is not in the future; "
                "nothing was changed",
                hint="pick a later date, e.g. +3d or next monday",
            )
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
    assert contact.id is not None
    _drop_as_primary(session, contact.id)
    # Emails, phones, tags, interactions, follow-ups and signals go with it (ON DELETE CASCADE).
    session.delete(contact)
    session.flush()
    return contact


_FILL_FROM_OTHER = (
    "company_id", "title", "tier", "cadence_days", "preferred_channel", "min_gap_days",
    "renewal_on", "birthday", "deal_value", "url", "notes", "source", "nickname", "anniversary",
)  # fmt: skip


def merge(session: Session, keep_text: str, other_text: str, ctx: Context) -> tuple[Contact, str]:
    """Fold OTHER into KEEP: history, follow-ups, signals, emails, phones, tags, opt-outs.

    KEEP's fields win where both have one; OTHER fills the gaps. What either asked for is kept:
    an opt-out or a do-not-contact on OTHER stays in force on KEEP. OTHER is removed.
    """
    keep_ref = records.find_contact(session, keep_text)
    other_ref = records.find_contact(session, other_text)
    if keep_ref.id == other_ref.id:
        raise InvalidInputError(
            f"{keep_text!r} and {other_text!r} are the same contact (#{keep_ref.id}); nothing was changed"
        )
    keep = session.get(Contact, keep_ref.id)
    other = session.get(Contact, other_ref.id)
    assert keep is not None
    assert other is not None
    ids = {"keep": keep_ref.id, "other": other_ref.id}
    for table in ("interaction", "follow_up", "signal"):
        session.execute(
            text(f"UPDATE {table} SET contact_id = :keep WHERE contact_id = :other"), ids
        )
    session.execute(
        text("UPDATE contact_email SET contact_id = :keep, position = position + 1000 "
             "WHERE contact_id = :other"), ids,
    )  # fmt: skip
    session.execute(
        text("UPDATE contact_phone SET contact_id = :keep, position = position + 1000 "
             "WHERE contact_id = :other AND number_key NOT IN "
             "(SELECT number_key FROM contact_phone WHERE contact_id = :keep)"), ids,
    )  # fmt: skip
    _move_addresses(records.conn(session), keep_ref.id, other_ref.id)
    for table, column in (("contact_tag", "tag"), ("contact_opt_out", "channel")):
        session.execute(
            text(f"INSERT OR IGNORE INTO {table} (contact_id, {column}) "
                 f"SELECT :keep, {column} FROM {table} WHERE contact_id = :other"), ids,
        )  # fmt: skip
    session.execute(
        text("UPDATE company SET primary_contact_id = :keep WHERE primary_contact_id = :other"), ids
    )
    for attr in _FILL_FROM_OTHER:
        if getattr(keep, attr) is None and getattr(other, attr) is not None:
            setattr(keep, attr, getattr(other, attr))
    if other.known_since and (keep.known_since is None or other.known_since < keep.known_since):
        keep.known_since = other.known_since
    if other.do_not_contact and not keep.do_not_contact:
        keep.do_not_contact = True
        keep.do_not_contact_reason = other.do_not_contact_reason
        keep.do_not_contact_since = other.do_not_contact_since
    if other.snoozed_until and (
        keep.snoozed_until is None or other.snoozed_until > keep.snoozed_until
    ):
        keep.snoozed_until = other.snoozed_until
    keep.updated_at = ctx.now
    session.add(keep)
    other_name = other.name
    session.flush()
    session.execute(text("DELETE FROM contact WHERE id = :other"), ids)
    session.expunge(other)
    records.refresh_stats(session, [keep_ref.id], ctx.today, ctx.settings.rank)
    return keep, other_name


def _move_addresses(conn: Any, keep_id: int, other_id: int) -> None:
    """OTHER's addresses go to KEEP, after KEEP's own, unless KEEP already has the same one."""
    have = {
        names.address_key(street, city, postcode)
        for street, city, postcode in conn.execute(
            "SELECT street, city, postcode FROM contact_address WHERE contact_id = ?", (keep_id,)
        )
    }
    start = conn.execute(
        "SELECT coalesce(max(position), -1) + 1 FROM contact_address WHERE contact_id = ?",
        (keep_id,),
    ).fetchone()[0]
    moved = 0
    for address_id, street, city, postcode in conn.execute(
        "SELECT id, street, city, postcode FROM contact_address WHERE contact_id = ? "
        "ORDER BY position, id",
        (other_id,),
    ).fetchall():
        key = names.address_key(street, city, postcode)
        if key in have:
            continue  # the same place twice: OTHER's copy goes with OTHER
        have.add(key)
        conn.execute(
            "UPDATE contact_address SET contact_id = ?, position = ? WHERE id = ?",
            (keep_id, start + moved, address_id),
        )
        moved += 1


def dupes(session: Session) -> list[dict[str, Any]]:
    """Likely duplicates already in the book, with the reason, oldest contact first."""
    from relcli.domain import dupes as rules

    conn = records.conn(session)
    emails: dict[int, set[str]] = {}
    phones: dict[int, set[str]] = {}
    for cid, key in conn.execute("SELECT contact_id, address_key FROM contact_email"):
        emails.setdefault(cid, set()).add(key)
    for cid, key in conn.execute("SELECT contact_id, number_key FROM contact_phone"):
        phones.setdefault(cid, set()).add(key)
    people = {}
    for cid, name, company, url in conn.execute(
        "SELECT c.id, c.name, co.name, c.url FROM contact c LEFT JOIN company co ON co.id = c.company_id"
    ):
        people[cid] = (name, rules.Identity(name, company, emails.get(cid, set()),
                                            phones.get(cid, set()), rules.linkedin_key(url)))  # fmt: skip
    return [
        {"keep_id": a, "keep": people[a][0], "other_id": b, "other": people[b][0], "reason": why}
        for a, b, why in rules.pairs((cid, who) for cid, (_, who) in people.items())
    ]


def forget(session: Session, text_: str) -> tuple[int, str]:
    """Erase a person completely, for a privacy request: the contact and everything about them.

    Deleted pages are overwritten (secure_delete), so the text does not linger in the file;
    the caller checkpoints the WAL afterwards.
    """
    ref = records.find_contact(session, text_)
    records.conn(session).execute("PRAGMA secure_delete = ON")
    ids = {"id": ref.id}
    session.execute(
        text("UPDATE company SET primary_contact_id = NULL WHERE primary_contact_id = :id"), ids
    )
    session.execute(
        text("UPDATE signal SET source_interaction_id = NULL WHERE source_interaction_id IN "
             "(SELECT id FROM interaction WHERE contact_id = :id)"), ids,
    )  # fmt: skip
    session.execute(text("DELETE FROM contact WHERE id = :id"), ids)  # the rest cascades
    return ref.id, ref.name
