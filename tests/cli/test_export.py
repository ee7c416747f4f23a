"""relcli export FORMAT [FILE|-], through main(). Today is Tuesday 2026-12-01."""

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest

from relcli import __version__
from relcli.domain.formats import book, tables, vcard
from relcli.domain.formats.records import Person
from relcli.store import database, migrations
from tests.conftest import Relcli, ok

NOTES = "Zoë prefers mornings,\r\nnot Fridays;\nlast line\ttabbed"
EVIL = "call\r\nEND:VTODO\r\nBEGIN:VEVENT\r\nSUMMARY:injected"


@pytest.fixture
def full_book(relcli: Relcli) -> None:
    """One of everything, with non-ASCII text and CR/LF in stored values."""
    ok(relcli("contact", "add", "Ann Lee", "-e", "ann@example.com", "-e", "ann@work.example",
              "-p", "+1 555 0100", "--company", "Acme", "--title", "CTO", "-t", "vip", "-t", "beta",
              "--stage", "customer", "--cadence", "14d", "--tier", "A", "--prefer", "email",
              "--renewal", "2027-03-01", "--birthday", "--02-03", "--note", NOTES,
              "--url", "https://example.com/ann", "--min-gap", "7d", "--deal", "1200.5",
              "--nickname", "Annie", "--anniversary", "2010-06-12"))  # fmt: skip
    ok(
        relcli(
            "contact", "add", "Łukasz Żółkiewski", "--company", "Ünïcode GmbH", "-e", "lz@ü.example"
        )
    )
    ok(relcli("contact", "add", "Bob Okafor", "-p", "+44 20 7946 0000"))
    ok(relcli("contact", "edit", "bob", "--opt-out", "call", "--opt-out", "text",
              "--do-not-contact", "asked us to stop"))  # fmt: skip
    ok(relcli("log", "ann", "called about the renewal", "--channel", "call", "--outcome",
              "connected", "--on", "2026-11-20"))  # fmt: skip
    ok(relcli("interaction", "pin", "1"))
    ok(relcli("log", "łukasz", "Grüße\r\nper E-Mail", "--channel", "email", "--in"))
    ok(relcli("follow-up", "add", "ann", "fri", "send the deck"))
    ok(relcli("follow-up", "add", "ann", "dec 10", "monthly sync", "--every", "30d"))
    ok(relcli("follow-up", "add", "łukasz", "none", "someday: a case study"))
    ok(relcli("follow-up", "add", "łukasz", "today", "already handled"))
    ok(relcli("follow-up", "done", "4"))
    ok(relcli("signal", "add", "ann", "funding", "Series B"))
    ok(relcli("signal", "add", "--company", "Acme", "exec-hire", "new CFO", "--on", "2026-11-28"))


def exported(relcli: Relcli, *args: str) -> str:
    run = ok(relcli("export", *args))
    assert run.err == ""
    return run.out


# json


@pytest.mark.usefixtures("full_book")
def test_json_has_every_key_and_every_row(relcli: Relcli) -> None:
    document = json.loads(exported(relcli, "json"))
    assert list(document) == ["format", "schema_version", "relcli_version", "companies",
                              "contacts", "interactions", "follow_ups", "signals"]  # fmt: skip
    assert document["format"] == "relcli-book"
    assert document["schema_version"] == migrations.SCHEMA_VERSION
    assert document["relcli_version"] == __version__
    for name, keys in book.KEYS.items():
        assert all(list(row) == list(keys) for row in document[name]), name
    ann = document["contacts"][0]
    assert ann | {"created_at": None, "updated_at": None} == {
        "id": 1, "name": "Ann Lee", "company_id": 1, "title": "CTO", "stage": "customer",
        "tier": "A", "cadence_days": 14, "preferred_channel": "email", "min_gap_days": 7,
        "do_not_contact": False, "do_not_contact_reason": None, "do_not_contact_since": None,
        "snoozed_until": None, "renewal_on": "2027-03-01", "birthday": "--02-03",
        "deal_value": 1200.5, "url": "https://example.com/ann", "notes": NOTES, "source": None,
        "known_since": None, "created_at": None, "updated_at": None,
        "nickname": "Annie", "anniversary": "2010-06-12",
        "emails": ["ann@example.com", "ann@work.example"], "phones": ["+1 555 0100"],
        "tags": ["beta", "vip"], "opted_out_channels": [], "addresses": [],
    }  # fmt: skip
    bob = document["contacts"][2]
    assert (bob["do_not_contact"], bob["do_not_contact_reason"], bob["do_not_contact_since"]) == (
        True, "asked us to stop", "2026-12-01",
    )  # fmt: skip
    assert bob["opted_out_channels"] == ["call", "text"]
    assert document["follow_ups"][3]["done_at"] == "2026-12-01T12:00:00+00:00"
    assert document["follow_ups"][1] == {
        "id": 2, "contact_id": 1, "due_on": "2026-12-10", "reason": "monthly sync",
        "every_days": 30, "created_at": "2026-12-01T12:00:00+00:00", "done_at": None,
    }  # fmt: skip
    signal = document["signals"][1]
    assert (signal["contact_id"], signal["company_id"], signal["kind"]) == (None, 1, "exec-hire")
    assert document["interactions"][0]["at"].endswith("+00:00")
    assert [[row["id"] for row in document[name]] for name in book.LISTS] == [
        [1, 2], [1, 2, 3], [1, 2], [1, 2, 3, 4], [1, 2],
    ]  # fmt: skip


@pytest.mark.usefixtures("full_book")
def test_json_is_the_same_bytes_every_time_and_keeps_text_exactly(relcli: Relcli) -> None:
    first = exported(relcli, "json")
    assert exported(relcli, "json") == first
    document = json.loads(first)
    assert document["contacts"][0]["notes"] == NOTES
    assert document["contacts"][1]["name"] == "Łukasz Żółkiewski"
    assert document["companies"][1]["name"] == "Ünïcode GmbH"
    assert document["interactions"][1]["summary"] == "Grüße\r\nper E-Mail"
    assert "Łukasz" in first  # readable UTF-8, not \u escapes
    assert first.endswith("}\n")


def test_json_covers_every_column_a_user_can_enter(tmp_path: Path) -> None:
    """A migration that adds a column fails here until the book carries it."""
    conn = database.connect(tmp_path / "fresh.db")
    assert conn is not None
    derived = {"name_key"}
    with conn:
        for name, table in (("companies", "company"), ("contacts", "contact"),
                            ("interactions", "interaction"), ("follow_ups", "follow_up"),
                            ("signals", "signal")):  # fmt: skip
            columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            assert columns - derived <= set(book.KEYS[name]), name
    conn.close()
    assert book.SCHEMA_VERSION == migrations.SCHEMA_VERSION, (
        "a migration changed the schema: update KEYS and SCHEMA_VERSION in domain/formats/book.py"
    )


@pytest.mark.usefixtures("full_book")
def test_json_carries_talking_points_and_a_version_1_book_still_imports(
    relcli: Relcli, tmp_path: Path
) -> None:
    document = json.loads(exported(relcli, "json"))
    assert [i["talking_point"] for i in document["interactions"]] == [True, False]
    document["schema_version"] = 1  # as relcli wrote it before talking points
    for interaction in document["interactions"]:
        del interaction["talking_point"]
    old = tmp_path / "v1.json"
    old.write_text(json.dumps(document), encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    ok(relcli("--db", str(fresh), "import", "json", str(old)))
    pinned = sqlite3.connect(fresh).execute("SELECT talking_point FROM interaction ORDER BY id")
    assert pinned.fetchall() == [(0,), (0,)]


@pytest.mark.usefixtures("full_book")
def test_json_imported_into_an_empty_book_exports_the_same(relcli: Relcli, tmp_path: Path) -> None:
    ok(relcli("export", "json", str(tmp_path / "book.json")))
    fresh = str(tmp_path / "fresh.db")
    imported = relcli("--db", fresh, "import", "json", str(tmp_path / "book.json"))
    assert imported.code == 0, imported.err
    again = ok(relcli("--db", fresh, "export", "json"))
    assert again.out == (tmp_path / "book.json").read_text(encoding="utf-8")


def test_json_of_an_empty_or_missing_book(relcli: Relcli, isolated: Path) -> None:
    document = json.loads(exported(relcli, "json"))
    assert {name: document[name] for name in book.LISTS} == {n: [] for n in book.LISTS}
    assert document["format"] == "relcli-book"
    assert not (isolated / "relcli.db").exists()  # exporting creates no database
    book.check(document)


# vcard


@pytest.mark.usefixtures("full_book")
def test_vcard_is_one_3_0_card_per_contact(relcli: Relcli) -> None:
    text = exported(relcli, "vcard")
    assert text.count("BEGIN:VCARD\r\n") == text.count("END:VCARD\r\n") == 3
    assert text.count("VERSION:3.0\r\n") == 3
    lines = text.split("\r\n")
    assert lines[-1] == ""
    assert "\n" not in "".join(lines)  # every line ends in CRLF
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert "UID:relcli-contact-1\r\n" in text
    people = list(vcard.read(text.encode("utf-8"), source="test"))
    assert [p.name for p in people if isinstance(p, Person)] == [
        "Ann Lee", "Łukasz Żółkiewski", "Bob Okafor",
    ]  # fmt: skip
    ann = people[0]
    assert isinstance(ann, Person)
    assert (ann.emails, ann.phones, ann.company, ann.title) == (
        ["ann@example.com", "ann@work.example"], ["+1 555 0100"], "Acme", "CTO",
    )  # fmt: skip
    assert exported(relcli, "vcard") == text


def test_vcard_notes_cannot_inject_cards(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Eve", "--note", "x\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Mallory"))
    text = exported(relcli, "vcard")
    assert text.split("\r\n").count("BEGIN:VCARD") == 1
    assert "\r\nFN:Mallory" not in text
    assert [p.name for p in vcard.read(text.encode(), source="test") if isinstance(p, Person)] == [
        "Eve"
    ]


def test_vcard_of_an_empty_book_is_empty(relcli: Relcli) -> None:
    assert exported(relcli, "vcard") == ""


# csv


def csv_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith(tables.BOM)
    return list(csv.DictReader(io.StringIO(text.removeprefix(tables.BOM), newline="")))


@pytest.mark.usefixtures("full_book")
def test_csv_has_a_header_and_a_row_per_contact(relcli: Relcli) -> None:
    text = exported(relcli, "csv")
    assert text.startswith(tables.BOM + "id,name,company,title,stage,tier,emails,phones,tags,")
    assert "\r\n" in text
    rows = csv_rows(text)
    assert list(rows[0]) == list(tables.COLUMNS)
    assert [r["name"] for r in rows] == ["Ann Lee", "Łukasz Żółkiewski", "Bob Okafor"]
    assert rows[0] == {
        "id": "1", "name": "Ann Lee", "company": "Acme", "title": "CTO", "stage": "customer",
        "tier": "A", "emails": "ann@example.com; ann@work.example", "phones": "'+1 555 0100",
        "tags": "beta, vip", "cadence_days": "14", "preferred_channel": "email",
        "do_not_contact": "no", "birthday": "'--02-03", "renewal_on": "2027-03-01",
        "url": "https://example.com/ann", "notes": NOTES, "last_contact_on": "2026-11-20",
        "nickname": "Annie", "anniversary": "2010-06-12", "addresses": "",
    }  # fmt: skip
    assert (rows[2]["do_not_contact"], rows[2]["last_contact_on"]) == ("yes", "")


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
            "\tTab", "\rreturn"]  # fmt: skip


def test_csv_neutralises_formula_cells_and_reads_back(relcli: Relcli) -> None:
    for n, evil in enumerate(FORMULAS):
        ok(relcli("contact", "add", f"Person {n}", "--title", evil, "--note", evil,
                  "-p", f"+1 555 010{n}", "-t", "x"))  # fmt: skip
    ok(
        relcli(
            "contact", "add", '=HYPERLINK("x")', "--company", "@Evil Corp", "--note", "NUL\x00here"
        )
    )
    rows = csv_rows(exported(relcli, "csv"))
    for row, evil in zip(rows, FORMULAS, strict=False):
        for key in ("title", "notes", "phones"):
            cell = row[key]
            assert cell.startswith("'"), (key, cell)
            assert not cell.startswith(tuple(tables.FORMULA_STARTS))
        assert row["title"].removeprefix("'") == evil
        assert row["notes"].removeprefix("'") == evil
        assert row["phones"].removeprefix("'").startswith("+1 555 010")
        assert row["tags"] == "x"  # harmless cells are untouched
    last = rows[-1]
    assert (last["name"], last["company"]) == ('\'=HYPERLINK("x")', "'@Evil Corp")
    assert last["notes"] == "NULhere"
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(tuple(tables.FORMULA_STARTS))


def test_csv_of_an_empty_book_is_the_header(relcli: Relcli) -> None:
    assert exported(relcli, "csv") == tables.BOM + ",".join(tables.COLUMNS) + "\r\n"


# ics


def calendar(text: str) -> icalendar.Calendar:
    parsed = icalendar.Calendar.from_ical(text)
    assert isinstance(parsed, icalendar.Calendar)
    return parsed


def components(cal: icalendar.Calendar, name: str) -> list[icalendar.Component]:
    return [c for c in cal.walk() if c.name == name]


@pytest.mark.usefixtures("full_book")
def test_ics_has_a_todo_with_an_alarm_per_open_follow_up(relcli: Relcli) -> None:
    text = exported(relcli, "ics")
    assert "\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cal = calendar(text)
    assert str(cal["prodid"]) == "-//relcli//relcli//EN"
    assert str(cal["version"]) == "2.0"
    todos = components(cal, "VTODO")
    # follow-ups 1, 2 (Ann) and 3 (Łukasz, undated); 4 is done.
    assert [str(t["uid"]) for t in todos] == [f"relcli-follow-up-{n}@relcli" for n in (1, 2, 3)]
    deck = todos[0]
    assert str(deck["summary"]) == "Follow up with Ann Lee: send the deck"
    assert deck.decoded("due").isoformat() == "2026-12-04"
    assert deck["due"].params.get("VALUE") == "DATE"
    assert deck.decoded("dtstamp").isoformat() == "2026-12-01T12:00:00+00:00"
    assert str(deck["description"]) == (
        "send the deck\nphone: +1 555 0100\nemail: ann@example.com\nrelcli follow-up #1"
    )
    assert deck["categories"].to_ical() == b"relcli"
    (alarm,) = deck.subcomponents
    assert (alarm.name, str(alarm["action"])) == ("VALARM", "DISPLAY")
    assert alarm.decoded("trigger").total_seconds() == 9 * 3600
    assert alarm["trigger"].params["RELATED"] == "END"
    assert str(alarm["description"]) == "Follow up with Ann Lee: send the deck"
    sync = todos[1]
    assert sync["rrule"].to_ical() == b"FREQ=DAILY;INTERVAL=30"
    assert "rrule" not in deck
    undated = todos[2]
    assert "due" not in undated
    assert undated.subcomponents == []


@pytest.mark.usefixtures("full_book")
def test_ics_uids_and_bytes_are_stable_and_done_follow_ups_leave(relcli: Relcli) -> None:
    first = exported(relcli, "ics")
    assert exported(relcli, "ics") == first
    ok(relcli("follow-up", "done", "1"))
    ok(relcli("follow-up", "add", "ann", "fri", "new one"))
    ok(relcli("follow-up", "snooze", "2", "dec 20"))
    uids = [str(t["uid"]) for t in components(calendar(exported(relcli, "ics")), "VTODO")]
    assert uids == [f"relcli-follow-up-{n}@relcli" for n in (2, 3, 5)]


@pytest.mark.usefixtures("full_book")
def test_ics_events_are_all_day_and_skip_undated_follow_ups(relcli: Relcli) -> None:
    cal = calendar(exported(relcli, "ics", "--events"))
    assert components(cal, "VTODO") == []
    events = components(cal, "VEVENT")
    assert [str(e["uid"]) for e in events] == [
        "relcli-follow-up-1@relcli",
        "relcli-follow-up-2@relcli",
    ]
    deck = events[0]
    assert (deck.decoded("dtstart").isoformat(), deck.decoded("dtend").isoformat()) == (
        "2026-12-04", "2026-12-05",
    )  # fmt: skip
    assert deck["dtstart"].params.get("VALUE") == "DATE"
    assert [a.name for a in deck.subcomponents] == ["VALARM"]
    assert events[1]["rrule"].to_ical() == b"FREQ=DAILY;INTERVAL=30"


def test_ics_text_cannot_inject_properties_or_components(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Eve\r\nBEGIN:VALARM", "-e", "eve@example.com"))
    ok(relcli("follow-up", "add", "eve", "fri", EVIL))
    ok(relcli("follow-up", "add", "eve", "fri", "lone\rcarriage\x00return\x1b"))
    for events in (False, True):
        text = exported(relcli, "ics", *(["--events"] if events else []))
        kind, other = ("VEVENT", "VTODO") if events else ("VTODO", "VEVENT")
        lines = text.split("\r\n")
        # the component lines are exactly the ones relcli writes: two items, two alarms
        assert [line for line in lines if line.startswith(("BEGIN:", "END:"))] == [
            "BEGIN:VCALENDAR",
            *(f"BEGIN:{kind}", "BEGIN:VALARM", "END:VALARM", f"END:{kind}") * 2,
            "END:VCALENDAR",
        ]
        assert not any(line.startswith("SUMMARY:injected") for line in lines)
        assert "\r" not in text.replace("\r\n", "")
        assert "\x00" not in text
        assert "\x1b" not in text
        cal = calendar(text)
        items = components(cal, kind)
        assert len(items) == 2
        assert len(components(cal, "VALARM")) == 2
        assert components(cal, other) == []
        assert str(items[0]["summary"]) == (
            "Follow up with Eve\nBEGIN:VALARM: call\nEND:VTODO\nBEGIN:VEVENT\nSUMMARY:injected"
        )
        assert str(items[1]["summary"]) == "Follow up with Eve\nBEGIN:VALARM: lone\ncarriagereturn"


def test_ics_respects_the_contact_policy(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Cy Park", "-p", "+1 555 0199", "-e", "cy@example.com"))
    ok(relcli("contact", "add", "Dee Stone", "-p", "+1 555 0188"))
    ok(relcli("follow-up", "add", "cy", "fri", "renewal"))
    ok(relcli("follow-up", "add", "dee", "fri", "intro"))
    ok(relcli("contact", "edit", "cy", "--opt-out", "email"))
    ok(relcli("contact", "edit", "dee", "--do-not-contact", "asked us to stop"))
    (todo,) = components(calendar(exported(relcli, "ics")), "VTODO")
    assert str(todo["description"]) == "renewal\nphone: +1 555 0199\nrelcli follow-up #1"
    assert ok(relcli("export", "ics", "--events")).out.count("BEGIN:VEVENT") == 1


def test_ics_of_an_empty_book_is_an_empty_calendar(relcli: Relcli) -> None:
    cal = calendar(exported(relcli, "ics"))
    assert [c.name for c in cal.walk()] == ["VCALENDAR"]


# files


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("full_book", "umask_022")
@pytest.mark.parametrize("fmt", ["json", "csv", "ics", "vcard"])
def test_a_file_is_written_private_and_whole(relcli: Relcli, tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / f"book.{fmt}"
    run = relcli("export", fmt, str(target))
    noun = "3 follow-ups" if fmt == "ics" else "3 contacts"
    assert (run.code, run.out, run.err) == (0, "", f"exported {noun} to {target}\n")
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in folder.iterdir()] == [target.name]  # no temporary file left
    assert target.read_bytes() == ok(relcli("export", fmt)).out.encode()


@pytest.mark.usefixtures("full_book", "umask_022")
def test_an_existing_file_is_replaced_and_made_private(relcli: Relcli, tmp_path: Path) -> None:
    target = tmp_path / "book.json"
    target.write_text("old")
    target.chmod(0o644)
    ok(relcli("export", "json", str(target)))
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "relcli-book"
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".book")) == []


def test_one_contact_reads_singular(relcli: Relcli, tmp_path: Path) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    run = ok(relcli("export", "csv", str(tmp_path / "one.csv")))
    assert run.err == f"exported 1 contact to {tmp_path / 'one.csv'}\n"


def test_a_folder_is_refused(relcli: Relcli, tmp_path: Path) -> None:
    run = relcli("export", "json", str(tmp_path))
    assert (run.code, run.out) == (1, "")
    assert run.err.startswith(f"relcli: {str(tmp_path)!r} is a folder; nothing was written")
    assert len(run.err.splitlines()) == 1
    assert list(tmp_path.glob(".*.tmp")) == []


def test_a_missing_folder_is_a_one_line_io_error(relcli: Relcli, tmp_path: Path) -> None:
    run = relcli("export", "csv", str(tmp_path / "nowhere" / "book.csv"))
    assert (run.code, run.out) == (74, "")
    assert len(run.err.splitlines()) == 1
    assert "Traceback" not in run.err


def test_the_database_itself_is_never_overwritten(relcli: Relcli, db_path: Path) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    run = relcli("export", "json", str(db_path))
    assert (run.code, run.out) == (1, "")
    assert "own database" in run.err
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT name FROM contact").fetchall() == [("Ann Lee",)]
    conn.close()


PROBE = """
import sys
from relcli.cli import main
code = main(["export", sys.argv[1]])
heavy = {m.split(".")[0] for m in sys.modules} & {"sqlalchemy", "sqlmodel", "keyring"}
sys.exit(code or len(heavy))
"""


@pytest.mark.parametrize("fmt", ["json", "csv", "ics", "vcard"])
def test_exporting_needs_no_orm_and_no_keyring(relcli: Relcli, fmt: str) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    done = subprocess.run([sys.executable, "-c", PROBE, fmt], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr


# usage


def test_an_unknown_format_lists_the_accepted_ones(relcli: Relcli) -> None:
    run = relcli("export", "xml")
    assert (run.code, run.out) == (2, "")
    assert len(run.err.splitlines()) == 1
    for name in ("vcard", "csv", "json", "ics"):
        assert name in run.err


def test_events_only_go_with_ics(relcli: Relcli) -> None:
    run = relcli("export", "csv", "--events")
    assert (run.code, run.out) == (2, "")
    assert "--events applies to ics" in run.err


def test_the_cli_formats_are_the_service_formats() -> None:
    from relcli.cli.exports import ExportFormat
    from relcli.services import exports

    assert tuple(ExportFormat) == exports.FORMATS
