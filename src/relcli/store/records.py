"""Writes and lookups shared by every noun: ids, companies, tags, channels, aggregates."""

import sqlite3
from collections.abc import Iterable
from datetime import date, datetime

from sqlmodel import Session, col, select

from relcli.domain import names
from relcli.domain.ranking import RankConfig
from relcli.errors import InvalidInputError, NotFoundError
from relcli.models import Company, ContactEmail, ContactPhone, ContactTag, FollowUp, Signal
from relcli.store import database, reader, stats


def conn(session: Session) -> sqlite3.Connection:
    return database.raw_connection(session)


def find_contact(session: Session, text: str) -> reader.ContactRef:
    return reader.find_one(conn(session), text)


def company_by_name(session: Session, name: str) -> Company | None:
    return session.exec(select(Company).where(Company.name_key == names.fold(name))).first()


def find_company(session: Session, text: str) -> Company:
    raw = text.strip().lstrip("#")
    if raw.isdigit() and (found := session.get(Company, int(raw))):
        return found
    if found := company_by_name(session, text):
        return found
    key = names.fold(text)
    like = session.exec(
        select(Company)
        .where(Company.name_key.contains(key, autoescape=True))  # type: ignore[attr-defined]
        .order_by(Company.name_key)
    ).all()
    if len(like) == 1:
        return like[0]
    if len(like) > 1:
        from relcli.errors import AmbiguousError

        listed = "; ".join(f"#{c.id} {c.name}" for c in like[:5])
        more = f" and {len(like) - 5} more" if len(like) > 5 else ""
        raise AmbiguousError(
            f"{text!r} matches {len(like)} companies: {listed}{more}; nothing was changed",
            hint=f"name one by id, e.g. '#{like[0].id}'",
        )
    raise NotFoundError(f"no company matches {text!r}", hint="see 'relcli company list'")


def ensure_company(session: Session, name: str, now: datetime) -> Company:
    found = company_by_name(session, name)
    if found:
        return found
    company = Company(name=name.strip(), name_key=names.fold(name), created_at=now)
    session.add(company)
    session.flush()
    return company


def add_email(session: Session, contact_id: int, address: str, position: int) -> None:
    key = names.email_key(address)
    owner = session.exec(select(ContactEmail).where(ContactEmail.address_key == key)).first()
    if owner is not None:
        if owner.contact_id == contact_id:
            return
        ref = reader.find_one(conn(session), f"#{owner.contact_id}")
        raise InvalidInputError(
            f"the email {address!r} already belongs to {ref.name} (#{ref.id}); nothing was changed",
            hint=f"to combine them: relcli contact merge '#{ref.id}' ...",
        )
    session.add(
        ContactEmail(
            contact_id=contact_id, address=address.strip(), address_key=key, position=position
        )
    )


def add_phone(
    session: Session, contact_id: int, number: str, position: int, region: str | None = None
) -> None:
    key = names.phone_key(number, region)
    same = session.exec(
        select(ContactPhone).where(
            ContactPhone.contact_id == contact_id, ContactPhone.number_key == key
        )
    ).first()
    if same is None:
        session.add(
            ContactPhone(
                contact_id=contact_id, number=number.strip(), number_key=key, position=position
            )
        )


def add_tags(session: Session, contact_id: int, tags: Iterable[str]) -> None:
    for tag in tags:
        if session.get(ContactTag, (contact_id, tag)) is None:
            session.add(ContactTag(contact_id=contact_id, tag=tag))


def open_follow_ups(session: Session, contact_id: int) -> list[FollowUp]:
    return list(
        session.exec(
            select(FollowUp).where(
                FollowUp.contact_id == contact_id, col(FollowUp.done_at).is_(None)
            )
        ).all()
    )


def refresh_stats(
    session: Session, contact_ids: Iterable[int], today: date, config: RankConfig
) -> None:
    """Keep the ranking aggregates of these contacts current, in this transaction."""
    session.flush()
    stats.refresh(conn(session), contact_ids, today, config)


def signal_by_id(session: Session, signal_id: int) -> Signal:
    found = session.get(Signal, signal_id)
    if found is None:
        raise NotFoundError(f"no signal #{signal_id}", hint="see 'relcli signal list'")
    return found
