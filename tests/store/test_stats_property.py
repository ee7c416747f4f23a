"""contact_stats is a cache: after any history of writes it equals a from-scratch fold.

Random sequences of writes, edits and deletes go through the services layer (the code the
CLI commands call, one transaction each) while 'today' moves forward; after every step the
stored aggregates must equal ``stats.mismatches``'s recomputation. The doctor tests go
through the real CLI.
"""

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from relcli.config import Settings
from relcli.domain import vocabulary
from relcli.domain.ranking import RankConfig
from relcli.services import contacts, follow_ups, interactions
from relcli.services.context import Context
from relcli.store import database, stats
from tests.conftest import Relcli

START = date(2025, 6, 16)


def context(today: date) -> Context:
    now = datetime.combine(today, time(12, 0)).astimezone().astimezone(UTC)
    return Context(today=today, now=now, settings=Settings())


@contextmanager
def write(path: Path) -> Iterator[Session]:
    with database.transaction(path) as session:
        yield session


def mismatches(path: Path, today: date) -> list[int]:
    conn = database.connect(path)
    assert conn is not None
    with closing(conn):
        return stats.mismatches(conn, today, RankConfig())


@dataclass
class Book:
    """What the test knows exists, to pick targets for edits and deletes."""

    path: Path
    today: date = START
    contacts: list[int] = field(default_factory=list)
    interactions: dict[int, int] = field(default_factory=dict)  # interaction id -> contact id
    open_follow_ups: dict[int, int] = field(default_factory=dict)  # follow-up id -> contact id
    done_follow_ups: dict[int, int] = field(default_factory=dict)
    meetings: dict[int, date] = field(default_factory=dict)  # booked meeting id -> its day
    added: int = 0

    def forget_contact(self, cid: int) -> None:
        self.contacts.remove(cid)
        for table in (self.interactions, self.open_follow_ups, self.done_follow_ups):
            for key in [k for k, v in table.items() if v == cid]:
                del table[key]


def _pick(items: list[int] | dict[int, int], n: int) -> int | None:
    keys = sorted(items)
    return keys[n % len(keys)] if keys else None


def apply(book: Book, op: tuple[Any, ...]) -> None:
    """One command's worth of writing, in its own transaction, on ``book.today``."""
    kind, *args = op
    ctx = context(book.today)
    if kind == "wait":
        book.today += timedelta(days=args[0])
        return
    if kind == "add":
        book.added += 1
        fields = contacts.Fields(
            name=f"Person {book.added}", emails=[f"p{book.added}@example.com"], cadence_days=args[0]
        )
        with write(book.path) as session:
            contact = contacts.add(session, fields, ctx)
            assert contact.id is not None
            book.contacts.append(contact.id)
        return
    if kind == "edit":
        cid = _pick(book.contacts, args[0])
        if cid is not None:
            with write(book.path) as session:
                contacts.edit(
                    session,
                    f"#{cid}",
                    contacts.Fields(cadence_days=args[1]),
                    contacts.Policy(),
                    ctx,
                )
        return
    if kind in ("log", "meet"):
        cid = _pick(book.contacts, args[0])
        if cid is None:
            return
        if kind == "log":
            _, channel, inbound, outcome, back, hour = args
            day = book.today - timedelta(days=back)
        else:
            _, ahead, hour = args
            channel, inbound, outcome, day = (
                "meeting",
                False,
                None,
                book.today + timedelta(days=ahead),
            )
        on: date | datetime = day if hour is None else datetime.combine(day, time(hour, 30))
        with write(book.path) as session:
            logged = interactions.log(
                session, f"#{cid}", ctx, channel=channel, inbound=inbound, outcome=outcome, on=on
            )
            assert logged.interaction.id is not None
            book.interactions[logged.interaction.id] = cid
            if day > book.today:
                book.meetings[logged.interaction.id] = day
        return
    if kind == "unlog":
        iid = _pick(book.interactions, args[0])
        if iid is not None:
            with write(book.path) as session:
                interactions.remove(session, iid, ctx)
            del book.interactions[iid]
            book.meetings.pop(iid, None)
        return
    if kind == "follow-up":
        cid = _pick(book.contacts, args[0])
        if cid is None:
            return
        due = None if args[1] is None else book.today + timedelta(days=args[1])
        with write(book.path) as session:
            fu, _ = follow_ups.add(session, f"#{cid}", due, ctx, every_days=args[2])
            session.flush()
            assert fu.id is not None
            book.open_follow_ups[fu.id] = cid
        return
    if kind == "done":
        fid = _pick(book.open_follow_ups, args[0])
        if fid is not None:
            with write(book.path) as session:
                closed, following = follow_ups.done(session, fid, ctx)
                session.flush()
                if following is not None:
                    assert following.id is not None
                    book.open_follow_ups[following.id] = closed.contact_id
            book.done_follow_ups[fid] = book.open_follow_ups.pop(fid)
        return
    if kind == "snooze-follow-up":
        fid = _pick(book.open_follow_ups, args[0])
        if fid is not None:
            with write(book.path) as session:
                follow_ups.snooze(session, fid, book.today + timedelta(days=args[1]), ctx)
        return
    if kind == "drop-follow-up":
        table = book.open_follow_ups if args[1] else book.done_follow_ups
        fid = _pick(table, args[0])
        if fid is not None:
            with write(book.path) as session:
                follow_ups.remove(session, fid, ctx)
            del table[fid]
        return
    if kind == "rm":
        cid = _pick(book.contacts, args[0])
        if cid is not None:
            with write(book.path) as session:
                contacts.remove(session, f"#{cid}")
            book.forget_contact(cid)
        return
    raise AssertionError(op)


pick = st.integers(min_value=0, max_value=50)
hour = st.none() | st.integers(min_value=0, max_value=23)
operations = st.one_of(
    st.tuples(st.just("add"), st.sampled_from([None, 7, 30])),
    st.tuples(st.just("edit"), pick, st.sampled_from([7, 14, 90])),
    st.tuples(
        st.just("log"),
        pick,
        st.sampled_from(vocabulary.INTERACTION_CHANNELS),
        st.booleans(),
        st.none() | st.sampled_from(vocabulary.OUTCOMES),
        st.integers(min_value=0, max_value=400),
        hour,
    ),
    st.tuples(st.just("meet"), pick, st.integers(min_value=1, max_value=30), hour),
    st.tuples(st.just("unlog"), pick),
    st.tuples(
        st.just("follow-up"),
        pick,
        st.none() | st.integers(min_value=0, max_value=14),
        st.none() | st.just(7),
    ),
    st.tuples(st.just("done"), pick),
    st.tuples(st.just("snooze-follow-up"), pick, st.integers(min_value=1, max_value=10)),
    st.tuples(st.just("drop-follow-up"), pick, st.booleans()),
    st.tuples(st.just("rm"), pick),
    st.tuples(st.just("wait"), st.integers(min_value=0, max_value=20)),
)
# Start every history with a contact or two, so most steps have something to act on.
histories = st.tuples(
    st.lists(st.tuples(st.just("add"), st.sampled_from([None, 7, 30])), min_size=1, max_size=3),
    st.lists(operations, max_size=25),
).map(lambda parts: [*parts[0], *parts[1]])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories)
def test_maintained_stats_equal_a_recomputation(history: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        book = Book(Path(folder) / "relcli.db")
        for n, op in enumerate(history):
            apply(book, op)
            if op[0] != "wait" or n == len(history) - 1:
                assert mismatches(book.path, book.today) == [], (
                    f"after step {n} {op} on {book.today}"
                )


@pytest.mark.parametrize("wait", [1, 5])
def test_a_booked_meeting_that_has_happened_is_in_the_stats(tmp_path: Path, wait: int) -> None:
    book = Book(tmp_path / "relcli.db")
    for op in [("add", 30), ("log", 0, "email", True, None, 2, None), ("meet", 0, 1, None)]:
        apply(book, op)
    assert mismatches(book.path, book.today) == []
    book.today += timedelta(days=wait)  # the clock moves on; nobody writes
    assert mismatches(book.path, book.today) == []


# --- relcli doctor ---------------------------------------------------------------------------


def _small_book(relcli: Relcli) -> None:
    for args in (
        ("contact", "add", "Ann Lee", "--email", "ann@example.com", "--cadence", "14d"),
        ("contact", "add", "Ben Ode", "--phone", "+1 555 010 2030"),
        ("log", "Ann Lee", "--channel", "meeting", "--on", "2026-11-01"),
        ("log", "Ann Lee", "--channel", "email", "--in", "--on", "2026-11-20"),
        ("log", "Ben Ode", "--channel", "call", "--outcome", "connected", "--on", "2026-11-25"),
        ("follow-up", "add", "Ben Ode", "2026-12-03", "send the deck"),
    ):
        run = relcli(*args)
        assert run.code == 0, run.err


def test_doctor_reports_tampered_stats_and_rebuild_restores_them(
    relcli: Relcli, db_path: Path
) -> None:
    _small_book(relcli)
    today = date.fromisoformat("2026-12-01")  # conftest pins RELCLI_TODAY
    assert mismatches(db_path, today) == []
    healthy = relcli("doctor")
    assert healthy.code == 0, healthy.out + healthy.err
    assert "match a recomputation" in healthy.out

    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute(
            "UPDATE contact_stats SET strength_ref = strength_ref + 1.5, last_contact_on = '2020-01-01' "
            "WHERE contact_id = 1"
        )
    assert mismatches(db_path, today) == [1]

    broken = relcli("doctor")
    assert broken.code == 1
    assert "1 contacts differ" in broken.out
    assert "relcli doctor --rebuild-stats" in broken.out

    rebuilt = relcli("doctor", "--rebuild-stats")
    assert rebuilt.code == 0, rebuilt.out + rebuilt.err
    assert "rebuilt the ranking aggregates of 2 contacts" in rebuilt.err
    assert "match a recomputation" in rebuilt.out
    assert mismatches(db_path, today) == []


def test_doctor_notices_a_missing_stats_row(relcli: Relcli, db_path: Path) -> None:
    _small_book(relcli)
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("DELETE FROM contact_stats WHERE contact_id = 2")
    assert relcli("doctor").code == 1
    assert relcli("doctor", "--rebuild-stats").code == 0
    assert mismatches(db_path, date(2026, 12, 1)) == []


def test_rebuild_does_not_change_the_list(relcli: Relcli) -> None:
    _small_book(relcli)
    before = relcli("today", "--format", "json")
    assert relcli("doctor", "--rebuild-stats").code == 0
    after = relcli("today", "--format", "json")
    assert before.code == after.code == 0
    assert before.out == after.out


@pytest.mark.parametrize("hours", [0, 23])
def test_interactions_near_midnight_fold_on_their_local_day(hours: int, tmp_path: Path) -> None:
    """An interaction's day is the user's calendar day of the stored UTC time."""
    path = tmp_path / "relcli.db"
    book = Book(path)
    apply(book, ("add", 7))
    apply(book, ("log", 0, "call", False, "connected", 3, hours))
    with closing(sqlite3.connect(path)) as conn:
        (last,) = conn.execute("SELECT last_contact_on FROM contact_stats").fetchone()
    assert last == (START - timedelta(days=3)).isoformat()
    assert mismatches(path, START) == []
