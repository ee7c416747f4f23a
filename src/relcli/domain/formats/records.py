"""What an import reads from a file, before it meets the book, and why a row was skipped."""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relcli.domain.dupes import Identity


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address as a file gives it; every part may be missing (None, never '')."""

    label: str | None = None  # 'home', 'work', 'other', or the file's own word
    street: str | None = None  # street lines (with PO box and extended address), newline-joined
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None


@dataclass(slots=True)
class Person:
    """One contact as a file describes it. Empty strings are never stored: use None or []."""

    name: str
    where: str  # where in the file: "line 12", "card 3" (for summaries and warnings)
    key: str  # stable identity within this source, so a second import finds the first
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    company: str | None = None
    title: str | None = None
    tags: list[str] = field(default_factory=list)
    birthday: str | None = None  # 'YYYY-MM-DD', or '--MM-DD' when the year is unknown
    notes: str | None = None
    url: str | None = None  # a profile URL (LinkedIn's identifies a person)
    known_since: date | None = None  # when the relationship started (LinkedIn "Connected On")
    nickname: str | None = None
    anniversary: str | None = None  # the same form as birthday
    addresses: list[Address] = field(default_factory=list)
    # The person's duplicate keys, when a reader process made them ahead (services/read_ahead).
    identity: "Identity | None" = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Skipped:
    """A row or card that could not become a contact, and why (shown in the summary)."""

    where: str
    reason: str


Item = Person | Skipped
