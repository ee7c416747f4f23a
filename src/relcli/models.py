"""SQLModel tables: the fields of every noun, no behaviour.

The schema itself is created by the SQL steps in ``store/migrations.py``; a test checks that
every column declared here exists there with the same name.
"""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime stored as ISO 8601 text with its offset ('...+00:00')."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> str | None:  # noqa: ARG002
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        return value.astimezone(UTC).isoformat(timespec="seconds")

    def process_result_value(self, value: str | None, dialect: Any) -> datetime | None:  # noqa: ARG002
        return None if value is None else datetime.fromisoformat(value)


def _utc() -> Any:
    return Field(sa_type=UTCDateTime)


class Company(SQLModel, table=True):
    __tablename__ = "company"
    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str = Field(unique=True)
    domain: str | None = None
    notes: str | None = None
    primary_contact_id: int | None = None
    created_at: datetime = _utc()


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str = Field(index=True)
    company_id: int | None = Field(default=None, foreign_key="company.id")
    title: str | None = None
    stage: str = "lead"
    tier: str | None = None
    cadence_days: int | None = None
    preferred_channel: str | None = None
    min_gap_days: int | None = None
    do_not_contact: bool = False
    do_not_contact_reason: str | None = None
    do_not_contact_since: date | None = None
    snoozed_until: date | None = None
    renewal_on: date | None = None
    birthday: str | None = None  # 'YYYY-MM-DD', or '--MM-DD' when the year is unknown
    deal_value: float | None = None
    url: str | None = None
    notes: str | None = None
    source: str | None = None  # where an import found it: "FORMAT:key" (a re-import finds it)
    known_since: date | None = None  # when the relationship began, if before any interaction
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    nickname: str | None = None
    anniversary: str | None = None  # the same form as birthday


class ContactEmail(SQLModel, table=True):
    __tablename__ = "contact_email"
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id")
    address: str
    address_key: str = Field(unique=True)
    position: int = 0


class ContactPhone(SQLModel, table=True):
    __tablename__ = "contact_phone"
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id")
    number: str
    number_key: str = Field(index=True)
    position: int = 0


class ContactAddress(SQLModel, table=True):
    __tablename__ = "contact_address"
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id")
    label: str | None = None  # 'home', 'work', or what the file called it
    street: str | None = None  # the street lines, PO box and extended address, newline-joined
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    position: int = 0


class ContactTag(SQLModel, table=True):
    __tablename__ = "contact_tag"
    contact_id: int = Field(foreign_key="contact.id", primary_key=True)
    tag: str = Field(primary_key=True)


class ContactOptOut(SQLModel, table=True):
    __tablename__ = "contact_opt_out"
    contact_id: int = Field(foreign_key="contact.id", primary_key=True)
    channel: str = Field(primary_key=True)


class Interaction(SQLModel, table=True):
    __tablename__ = "interaction"
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id")
    channel: str
    direction: str  # 'out', 'in', or 'both' for a meeting
    outcome: str | None = None
    summary: str | None = None
    at: datetime = _utc()
    created_at: datetime = _utc()
    talking_point: bool = False  # pinned: shown in every calling brief (relcli interaction pin)


class FollowUp(SQLModel, table=True):
    __tablename__ = "follow_up"
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id")
    due_on: date | None = None
    reason: str | None = None
    every_days: int | None = None
    created_at: datetime = _utc()
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Signal(SQLModel, table=True):
    __tablename__ = "signal"
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    company_id: int | None = Field(default=None, foreign_key="company.id")
    kind: str
    observed_on: date
    note: str | None = None
    source: str | None = None
    source_interaction_id: int | None = Field(default=None, foreign_key="interaction.id")
    created_at: datetime = _utc()


class ContactStats(SQLModel, table=True):
    """Per-contact aggregates kept current by every write, so ranking never scans history."""

    __tablename__ = "contact_stats"
    contact_id: int = Field(foreign_key="contact.id", primary_key=True)
    strength_ref: float = 0.0  # decayed interaction points as of strength_day
    strength_day: int = 0  # proleptic ordinal of the local date strength_ref refers to
    first_contact_on: date | None = None
    last_contact_on: date | None = None
    last_outbound_on: date | None = None
    last_inbound_on: date | None = None
    reply_owed_since: date | None = None
    reply_channel: str | None = None
    recent_outbound: str = ""  # comma-separated ISO dates of the latest outbound touches
    next_meeting_on: date | None = None
    next_follow_up_on: date | None = None
    open_follow_ups: int = 0
    has_undated_follow_up: bool = False


class Meta(SQLModel, table=True):
    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str
