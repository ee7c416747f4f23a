"""The reminder digest: today's list, follow-ups due, renewals and birthdays coming up.

A read path: stdlib sqlite3 through ``store.reader``; never the ORM or the keyring.
"""

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from relcli.services import ranking
from relcli.services.context import Context

SECTIONS = {
    "today": "Who to contact today",
    "follow-up": "Follow-ups due",
    "renewal": "Renewals in the next 30 days",
    "birthday": "Birthdays in the next 7 days",
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
RENEWAL_DAYS = 30
BIRTHDAY_DAYS = 7


@dataclass(frozen=True)
class Line:
    section: str  # a key of SECTIONS
    key: str  # the same thing on another run has the same key (for --since-last-run)
    contact_id: int
    name: str
    reason: str
    reach: str | None
    on: date | None = None


def digest(conn: sqlite3.Connection, ctx: Context, *, top: int) -> list[Line]:
    """Everything due, in section order; contacts who asked not to be contacted never appear."""
    lines: list[Line] = []
    listing = ranking.today(conn, ctx, limit=top)
    for row in listing.rows:
        sc = row.score
        lines.append(Line("today", f"today:{sc.contact_id}", sc.contact_id, sc.name,
                          sc.headline, row.reach))  # fmt: skip
    lines += _follow_ups(conn, ctx.today)
    lines += _renewals(conn, ctx.today)
    lines += _birthdays(conn, ctx.today)
    return lines


def unseen(lines: Iterable[Line], reported: set[str]) -> list[Line]:
    return [line for line in lines if line.key not in reported]


_CONTACT = """
    c.id, c.name,
    (SELECT number FROM contact_phone p WHERE p.contact_id = c.id ORDER BY position LIMIT 1),
    (SELECT address FROM contact_email e WHERE e.contact_id = c.id ORDER BY position LIMIT 1),
    c.preferred_channel
"""


def _reach(phone: str | None, email: str | None, preferred: str | None) -> str | None:
    if preferred == "email":
        return email or phone
    return phone or email


def _follow_ups(conn: sqlite3.Connection, today: date) -> list[Line]:
    rows = conn.execute(
        f"SELECT f.id, f.due_on, f.reason, {_CONTACT} FROM follow_up f "
        "JOIN contact c ON c.id = f.contact_id "
        "WHERE f.done_at IS NULL AND f.due_on <= ? AND c.do_not_contact = 0 "
        "ORDER BY f.due_on, f.id",
        (today.isoformat(),),
    )
    out = []
    for fid, due, reason, cid, name, phone, email, preferred in rows:
        late = (today - date.fromisoformat(due)).days
        when = "due today" if late == 0 else f"{late}d overdue"
        text = f"follow-up {when}" + (f": {reason}" if reason else "")
        out.append(Line("follow-up", f"follow-up:{fid}:{due}", cid, name, text,
                        _reach(phone, email, preferred), date.fromisoformat(due)))  # fmt: skip
    return out


def _renewals(conn: sqlite3.Connection, today: date) -> list[Line]:
    until = today + timedelta(days=RENEWAL_DAYS)
    rows = conn.execute(
        f"SELECT c.renewal_on, {_CONTACT} FROM contact c WHERE c.renewal_on BETWEEN ? AND ? "
        "AND c.do_not_contact = 0 ORDER BY c.renewal_on, c.id",
        (today.isoformat(), until.isoformat()),
    )
    out = []
    for renewal, cid, name, phone, email, preferred in rows:
        days = (date.fromisoformat(renewal) - today).days
        text = "renewal today" if days == 0 else f"renewal in {days}d ({renewal})"
        out.append(Line("renewal", f"renewal:{cid}:{renewal}", cid, name, text,
                        _reach(phone, email, preferred), date.fromisoformat(renewal)))  # fmt: skip
    return out


def next_birthday(birthday: str, today: date) -> tuple[date, int | None] | None:
    """The next birthday on or after ``today``, and the age then (None without a year).

    A 29 February birthday falls on 28 February in other years.
    """
    year: int | None
    if birthday.startswith("--"):
        year, rest = None, birthday[2:]
    else:
        year, rest = int(birthday[:4]), birthday[5:]
    try:
        month, day = int(rest[:2]), int(rest[3:5])
    except ValueError:
        return None
    for offset in (0, 1):
        y = today.year + offset
        try:
            when = date(y, month, day)
        except ValueError:
            if (month, day) != (2, 29):
                return None
            when = date(y, 2, 28)
        if when >= today:
            return when, (y - year if year else None)
    return None


def _birthdays(conn: sqlite3.Connection, today: date) -> list[Line]:
    rows = conn.execute(
        f"SELECT c.birthday, {_CONTACT} FROM contact c WHERE c.birthday IS NOT NULL "
        "AND c.do_not_contact = 0"
    )
    found = []
    for birthday, cid, name, phone, email, preferred in rows:
        upcoming = next_birthday(birthday, today)
        if upcoming is None or (upcoming[0] - today).days > BIRTHDAY_DAYS:
            continue
        when, age = upcoming
        days = (when - today).days
        month = _MONTHS[when.month - 1]  # English whatever the locale
        text = "birthday today" if days == 0 else f"birthday in {days}d ({month} {when.day})"
        if age:
            text += f", turns {age}"
        found.append(Line("birthday", f"birthday:{cid}:{when}", cid, name, text,
                          _reach(phone, email, preferred), when))  # fmt: skip
    return sorted(found, key=lambda line: (line.on or today, line.name.casefold()))
