"""relcli follow-up add|list|done|snooze|rm, through main(). Today is Tuesday 2026-12-01."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Relcli, dump, ok

Db = Callable[[str], list[tuple[object, ...]]]


@pytest.fixture(autouse=True)
def people(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    ok(relcli("contact", "add", "Bob Okafor"))


def test_add_points_forward_and_confirms(relcli: Relcli, db: Db) -> None:
    added = relcli("follow-up", "add", "ann", "fri", "send the deck")
    assert (added.code, added.out) == (0, "")
    assert added.err == "follow-up #1 for Ann Lee on 2026-12-04\n"
    assert db("SELECT contact_id, due_on, reason, every_days, done_at FROM follow_up") == [
        (1, "2026-12-04", "send the deck", None, None)
    ]
    assert db(
        "SELECT next_follow_up_on, open_follow_ups FROM contact_stats WHERE contact_id = 1"
    ) == [("2026-12-04", 1)]


@pytest.mark.parametrize(
    ("when", "due"),
    [("today", "2026-12-01"), ("tue", "2026-12-08"), ("+3d", "2026-12-04"),
     ("dec 3", "2026-12-03"), ("nov 3", "2027-11-03"), ("in 2 weeks", "2026-12-15")],
)  # fmt: skip
def test_add_dates(relcli: Relcli, db: Db, when: str, due: str) -> None:
    ok(relcli("follow-up", "add", "ann", when))
    assert db("SELECT due_on FROM follow_up") == [(due,)]


def test_add_without_a_date(relcli: Relcli, db: Db) -> None:
    added = ok(relcli("follow-up", "add", "ann", "none", "someday: a case study"))
    assert added.err == "follow-up #1 for Ann Lee on no date\n"
    assert db("SELECT due_on, reason FROM follow_up") == [(None, "someday: a case study")]


def test_add_with_json_prints_the_follow_up(relcli: Relcli) -> None:
    added = ok(relcli("follow-up", "add", "bob", "+1w", "check in", "--every", "2w", "-f", "json"))
    assert json.loads(added.out) == {
        "id": 1, "contact_id": 2, "contact": "Bob Okafor", "due_on": "2026-12-08",
        "reason": "check in", "every_days": 14,
    }  # fmt: skip


def test_a_date_in_the_past_is_refused(relcli: Relcli, db_path: Path) -> None:
    before = dump(db_path)
    refused = relcli("follow-up", "add", "ann", "yesterday")
    assert (refused.code, refused.out) == (1, "")
    assert len(refused.err.splitlines()) == 1
    assert dump(db_path) == before


@pytest.fixture
def planned(relcli: Relcli) -> None:
    ok(relcli("--today", "2026-11-20", "follow-up", "add", "ann", "2026-11-25", "overdue one"))
    ok(relcli("follow-up", "add", "bob", "today", "due today"))
    ok(relcli("follow-up", "add", "ann", "dec 10", "later"))
    ok(relcli("follow-up", "add", "bob", "none", "undated"))


@pytest.mark.usefixtures("planned")
def test_list_is_soonest_first_and_undated_last(relcli: Relcli) -> None:
    listed = ok(relcli("follow-up", "list", "--format", "plain"))
    assert listed.out.splitlines() == [
        "1\t2026-11-25\tAnn Lee\toverdue one\t\topen",
        "2\t2026-12-01\tBob Okafor\tdue today\t\topen",
        "3\t2026-12-10\tAnn Lee\tlater\t\topen",
        "4\t\tBob Okafor\tundated\t\topen",
    ]
    assert listed.err == ""


@pytest.mark.usefixtures("planned")
def test_list_due_shows_only_today_and_overdue(relcli: Relcli) -> None:
    rows = json.loads(ok(relcli("follow-up", "list", "--due", "--format", "json")).out)
    assert [(r["id"], r["overdue_days"]) for r in rows] == [(1, 6), (2, 0)]
    assert set(rows[0]) == {"id", "contact_id", "contact", "due_on", "reason", "every_days",
                            "done_at", "overdue_days"}  # fmt: skip


@pytest.mark.usefixtures("planned")
def test_done_closes_it_and_all_shows_it_again(relcli: Relcli, db: Db) -> None:
    done = relcli("follow-up", "done", "1")
    assert (done.code, done.out, done.err) == (0, "", "done: follow-up #1\n")
    assert db("SELECT done_at FROM follow_up WHERE id = 1") == [("2026-12-01T12:00:00+00:00",)]
    open_ids = [r["id"] for r in json.loads(ok(relcli("follow-up", "list", "-f", "json")).out)]
    assert open_ids == [2, 3, 4]
    every = json.loads(ok(relcli("follow-up", "list", "--all", "-f", "json")).out)
    assert [(r["id"], r["done_at"]) for r in every][:1] == [(1, "2026-12-01T12:00:00+00:00")]
    assert len(every) == 4
    twice = relcli("follow-up", "done", "1")
    assert (twice.code, twice.out) == (1, "")
    assert "already done" in twice.err


def test_a_recurring_follow_up_comes_back_counted_from_the_day_it_was_done(
    relcli: Relcli, db: Db
) -> None:
    ok(relcli("follow-up", "add", "ann", "dec 4", "monthly sync", "--every", "2w"))
    done = ok(relcli("--today", "2026-12-10", "follow-up", "done", "1"))  # six days late
    assert done.err == "done: follow-up #1; next one #2 on 2026-12-24\n"
    assert db("SELECT id, due_on, reason, every_days, done_at FROM follow_up ORDER BY id") == [
        (1, "2026-12-04", "monthly sync", 14, "2026-12-10T12:00:00+00:00"),
        (2, "2026-12-24", "monthly sync", 14, None),
    ]
    ok(relcli("--today", "2026-12-20", "follow-up", "done", "2"))  # four days early
    assert db("SELECT due_on FROM follow_up WHERE done_at IS NULL") == [("2027-01-03",)]


@pytest.mark.usefixtures("planned")
def test_snooze_moves_it_later(relcli: Relcli, db: Db) -> None:
    moved = relcli("follow-up", "snooze", "2", "next monday")
    assert (moved.code, moved.out, moved.err) == (0, "", "follow-up #2 moved to 2026-12-07\n")
    assert db("SELECT due_on FROM follow_up WHERE id = 2") == [("2026-12-07",)]
    assert db("SELECT next_follow_up_on FROM contact_stats WHERE contact_id = 2") == [
        ("2026-12-07",)
    ]


@pytest.mark.usefixtures("planned")
def test_snooze_to_the_past_is_refused(relcli: Relcli, db_path: Path) -> None:
    before = dump(db_path)
    refused = relcli("follow-up", "snooze", "2", "yesterday")
    assert (refused.code, refused.out) == (1, "")
    assert "hint:" in refused.err
    assert len(refused.err.splitlines()) == 1
    assert dump(db_path) == before


@pytest.mark.usefixtures("planned")
def test_rm_removes_it(relcli: Relcli, db: Db) -> None:
    removed = relcli("follow-up", "rm", "3")
    assert (removed.code, removed.out, removed.err) == (0, "", "removed follow-up #3\n")
    assert db("SELECT id FROM follow_up ORDER BY id") == [(1,), (2,), (4,)]


@pytest.mark.parametrize("verb", [("done",), ("rm",), ("snooze", "fri")])
@pytest.mark.usefixtures("planned")
def test_an_unknown_follow_up_is_not_found(relcli: Relcli, db_path: Path,
                                           verb: tuple[str, ...]) -> None:  # fmt: skip
    before = dump(db_path)
    missing = relcli("follow-up", verb[0], "99", *verb[1:])
    assert (missing.code, missing.out) == (3, "")
    assert missing.err.startswith("relcli: no follow-up #99")
    assert len(missing.err.splitlines()) == 1
    assert dump(db_path) == before


def test_list_of_an_empty_book_is_empty(relcli: Relcli, isolated: Path) -> None:
    (isolated / "relcli.db").unlink()
    for suffix in ("-wal", "-shm"):
        (isolated / f"relcli.db{suffix}").unlink(missing_ok=True)
    listed = ok(relcli("follow-up", "list"))
    assert listed.out == ""
    assert not (isolated / "relcli.db").exists()
