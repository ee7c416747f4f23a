"""relcli contact merge and relcli contact dupes."""

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Relcli, ok

Db = Callable[[str], list[tuple[object, ...]]]


def book(relcli: Relcli, home: Path | None = None) -> None:
    if home is not None:  # numbers without a country code are American in this book
        home.mkdir(parents=True, exist_ok=True)
        (home / "config.toml").write_text('[phones]\nregion = "US"\n', encoding="utf-8")
    ok(relcli("contact", "add", "Ann Lee", "--email", "ann@acme.example", "--company", "Acme",
              "--phone", "+1 415 555 0100", "--tag", "vip", "--cadence", "30d"))  # fmt: skip
    ok(relcli("contact", "add", "Ann  Lée", "--email", "ann.lee@gmail.example", "--company", "Acme",
              "--title", "CFO", "--tag", "golf", "--phone", "(415) 555-0100"))  # fmt: skip
    ok(relcli("contact", "add", "Bo Chen", "--phone", "+1 415 555 0199"))
    ok(relcli("contact", "add", "Bo Chen Jr", "--phone", "+14155550199", "--url",
              "https://www.linkedin.com/in/bochen/"))  # fmt: skip
    ok(relcli("log", "#2", "lunch", "--channel", "meeting", "--on", "2026-11-20"))
    ok(relcli("follow-up", "add", "#2", "fri", "send the deck"))
    ok(relcli("signal", "add", "#2", "funding", "Series A"))


def test_dupes_lists_pairs_with_the_reason(relcli: Relcli, isolated: Path) -> None:
    book(relcli, isolated)
    rows = json.loads(ok(relcli("contact", "dupes", "--format", "json")).out)
    assert [(r["keep_id"], r["other_id"]) for r in rows] == [(1, 2), (3, 4)]
    assert rows[0]["reason"] == "same phone +14155550100"
    assert rows[1]["reason"] == "same phone +14155550199"


def test_merge_moves_everything_to_keep_and_removes_other(
    relcli: Relcli, db: Db, isolated: Path
) -> None:
    book(relcli, isolated)
    run = ok(relcli("contact", "merge", "#1", "#2", "--yes"))
    assert run.err == "merged Ann  Lée (#2) into Ann Lee (#1)\n"
    assert db("SELECT id FROM contact ORDER BY id") == [(1,), (3,), (4,)]
    assert db("SELECT contact_id FROM interaction") == [(1,)]
    assert db("SELECT contact_id FROM follow_up") == [(1,)]
    assert db("SELECT contact_id FROM signal") == [(1,)]
    assert db("SELECT address FROM contact_email WHERE contact_id = 1 ORDER BY position") == [
        ("ann@acme.example",),
        ("ann.lee@gmail.example",),
    ]
    assert db("SELECT count(*) FROM contact_phone WHERE contact_id = 1") == [(1,)]
    assert db("SELECT tag FROM contact_tag WHERE contact_id = 1 ORDER BY tag") == [
        ("golf",),
        ("vip",),
    ]
    assert db("SELECT title, cadence_days FROM contact WHERE id = 1") == [("CFO", 30)]
    shown = json.loads(ok(relcli("why", "#1", "--format", "json")).out)
    assert any(t["term"] == "signal" and t["points"] > 0 for t in shown["reasons"])
    assert ok(relcli("doctor", "--format", "json"))


def test_without_a_region_national_numbers_do_not_match_but_close_names_do(
    relcli: Relcli,
) -> None:
    book(relcli)
    rows = json.loads(ok(relcli("contact", "dupes", "--format", "json")).out)
    assert rows[0]["reason"] == "same name at Acme"


def test_merge_keeps_what_either_asked_for(relcli: Relcli, db: Db) -> None:
    book(relcli)
    ok(relcli("contact", "edit", "#2", "--opt-out", "call", "--do-not-contact", "asked by email"))
    ok(relcli("contact", "merge", "#1", "#2", "--yes"))
    assert db("SELECT channel FROM contact_opt_out WHERE contact_id = 1") == [("call",)]
    assert db("SELECT do_not_contact, do_not_contact_reason FROM contact WHERE id = 1") == [
        (1, "asked by email")
    ]


def test_merge_without_yes_off_a_terminal_is_refused(relcli: Relcli, db: Db) -> None:
    book(relcli)
    run = relcli("contact", "merge", "#1", "#2")
    assert run.code == 1
    assert "without confirmation" in run.err
    assert db("SELECT count(*) FROM contact") == [(4,)]


def test_merging_a_contact_into_itself_is_refused(relcli: Relcli, db: Db) -> None:
    book(relcli)
    run = relcli("contact", "merge", "ann@acme.example", "#1", "--yes")
    assert run.code == 1
    assert "same contact" in run.err
    assert db("SELECT count(*) FROM contact") == [(4,)]


def test_merge_of_an_unknown_contact_changes_nothing(relcli: Relcli, db: Db) -> None:
    book(relcli)
    run = relcli("contact", "merge", "#1", "zed", "--yes")
    assert run.code == 3
    assert db("SELECT count(*) FROM contact") == [(4,)]
