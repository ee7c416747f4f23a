"""relcli log and relcli interaction rm, through main(). Today is Tuesday 2026-12-01, TZ=UTC."""

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Relcli, dump, ok

Db = Callable[[str], list[tuple[object, ...]]]


@pytest.fixture(autouse=True)
def ann(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Ann Lee", "--email", "ann@acme.example"))


def interactions(db: Db) -> list[tuple[object, ...]]:
    return db(
        "SELECT contact_id, channel, direction, outcome, summary, at FROM interaction ORDER BY id"
    )


def test_a_call_is_the_default_and_happens_now(relcli: Relcli, db: Db) -> None:
    logged = relcli("log", "ann", "intro call")
    assert (logged.code, logged.out, logged.err) == (0, "", "logged call with Ann Lee (#1)\n")
    assert interactions(db) == [(1, "call", "out", None, "intro call", "2026-12-01T12:00:00+00:00")]
    assert db("SELECT last_contact_on FROM contact_stats") == [("2026-12-01",)]


@pytest.mark.parametrize("channel", ["call", "email", "text", "meeting", "social", "note"])
def test_every_channel_can_be_logged(relcli: Relcli, db: Db, channel: str) -> None:
    ok(relcli("log", "ann", "--channel", channel, "--on", "yesterday"))
    direction = "both" if channel == "meeting" else "out"
    assert db("SELECT channel, direction FROM interaction") == [(channel, direction)]


def test_inbound_with_an_outcome(relcli: Relcli, db: Db) -> None:
    logged = ok(
        relcli("log", "ann", "asked for a quote", "-c", "email", "--in", "--outcome", "replied")
    )
    assert logged.err == "logged email from Ann Lee (#1)\n"
    assert db("SELECT channel, direction, outcome FROM interaction") == [("email", "in", "replied")]


def test_outcome_spellings_are_normalised(relcli: Relcli, db: Db) -> None:
    ok(relcli("log", "ann", "--outcome", "No_Answer"))
    assert db("SELECT outcome FROM interaction") == [("no-answer",)]


@pytest.mark.parametrize(
    ("on", "at"),
    [
        ("2026-11-20", "2026-11-20T12:00:00+00:00"),
        ("2026-11-20T09:15", "2026-11-20T09:15:00+00:00"),
        ("yesterday", "2026-11-30T12:00:00+00:00"),
        ("mon", "2026-11-30T12:00:00+00:00"),  # yesterday's Monday
        ("fri", "2026-11-27T12:00:00+00:00"),  # last week's Friday, not this week's
        ("tue", "2026-11-24T12:00:00+00:00"),  # today is Tuesday: a week ago
        ("3 days ago", "2026-11-28T12:00:00+00:00"),
        ("nov 3", "2026-11-03T12:00:00+00:00"),
        ("dec 3", "2025-12-03T12:00:00+00:00"),  # a past month-day: last year's
    ],
)
def test_on_points_backwards(relcli: Relcli, db: Db, on: str, at: str) -> None:
    ok(relcli("log", "ann", "--on", on))
    assert db("SELECT at FROM interaction") == [(at,)]


def test_next_schedules_a_follow_up_in_the_same_command(relcli: Relcli, db: Db) -> None:
    logged = ok(relcli("log", "ann", "sent the deck", "--on", "mon", "--next", "fri"))
    assert logged.err == "logged call with Ann Lee (#1); follow-up #1 on 2026-12-04\n"
    assert db("SELECT contact_id, due_on, reason, done_at FROM follow_up") == [
        (1, "2026-12-04", "sent the deck", None)
    ]
    assert db("SELECT next_follow_up_on, open_follow_ups FROM contact_stats") == [("2026-12-04", 1)]


def test_a_future_call_is_refused_and_nothing_is_written(relcli: Relcli, db_path: Path) -> None:
    before = dump(db_path)
    refused = relcli("log", "ann", "--on", "tomorrow", "--next", "fri")
    assert (refused.code, refused.out) == (1, "")
    assert "2026-12-02 would be in the future" in refused.err
    assert "hint:" in refused.err
    assert len(refused.err.splitlines()) == 1
    assert dump(db_path) == before


def test_a_future_meeting_is_allowed(relcli: Relcli, db: Db) -> None:
    logged = ok(relcli("log", "ann", "workshop", "--channel", "meeting", "--on", "2026-12-08"))
    assert logged.err == "logged meeting with Ann Lee (#1)\n"
    assert db("SELECT channel, at FROM interaction") == [("meeting", "2026-12-08T12:00:00+00:00")]
    assert db("SELECT next_meeting_on FROM contact_stats") == [("2026-12-08",)]


def test_a_next_date_in_the_past_is_refused(relcli: Relcli, db_path: Path) -> None:
    before = dump(db_path)
    refused = relcli("log", "ann", "--next", "yesterday")
    assert (refused.code, refused.out) == (1, "")
    assert len(refused.err.splitlines()) == 1
    assert "hint:" in refused.err
    assert dump(db_path) == before


def test_interaction_rm_removes_it_and_refreshes_the_stats(relcli: Relcli, db: Db) -> None:
    ok(relcli("log", "ann", "first", "--on", "2026-11-01"))
    ok(relcli("log", "ann", "second", "--on", "2026-11-20"))
    removed = relcli("interaction", "rm", "2")
    assert (removed.code, removed.out, removed.err) == (0, "", "removed interaction #2\n")
    assert db("SELECT id, summary FROM interaction") == [(1, "first")]
    assert db("SELECT last_contact_on FROM contact_stats") == [("2026-11-01",)]


def test_interaction_rm_of_an_unknown_id(relcli: Relcli, db_path: Path) -> None:
    before = dump(db_path)
    missing = relcli("interaction", "rm", "9")
    assert (missing.code, missing.out) == (3, "")
    assert missing.err.startswith("relcli: no interaction #9")
    assert len(missing.err.splitlines()) == 1
    assert dump(db_path) == before
