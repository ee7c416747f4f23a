"""The export formats as pure functions: CSV cells, the iCalendar writer, the JSON book."""

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcli.domain.formats import book, ics, tables
from relcli.errors import ExitCode, ImportFileError

CREATED = datetime(2026, 11, 30, 8, 15, tzinfo=UTC)


# tables (CSV)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [("=1+1", "'=1+1"), ("+1 555 0100", "'+1 555 0100"), ("-3", "'-3"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("\rx", "'\rx"), ("Ann", "Ann"), ("", ""), (" =1", " =1"),
     ("a=b", "a=b"), ("NUL\x00", "NUL"), ("\x00=1", "'=1")],
)  # fmt: skip
def test_neutralise(cell: str, shown: str) -> None:
    assert tables.neutralise(cell) == shown


@given(st.text())
def test_a_neutralised_cell_never_starts_a_formula_and_keeps_its_text(cell: str) -> None:
    shown = tables.neutralise(cell)
    assert not shown.startswith(tables.FORMULA_STARTS)
    assert "\x00" not in shown
    clean = cell.replace("\x00", "")
    assert shown in (clean, "'" + clean)


@given(st.lists(st.text(), min_size=len(tables.COLUMNS), max_size=len(tables.COLUMNS)))
def test_any_row_reads_back_with_the_csv_module(cells: list[str]) -> None:
    row = dict(zip(tables.COLUMNS, cells, strict=True))
    text = tables.write([row])
    assert text.startswith(tables.BOM)
    header, back = list(csv.reader(io.StringIO(text.removeprefix(tables.BOM), newline="")))
    assert header == list(tables.COLUMNS)
    assert back == [tables.neutralise(c) for c in cells]


def test_row_joins_lists_and_spells_out_booleans() -> None:
    contact = {"id": 7, "name": "Ann", "title": None, "stage": "lead", "tier": None,
               "emails": ["a@x.example", "b@x.example"], "phones": ["1", "2"],
               "tags": ["vip", "beta"], "cadence_days": 14, "preferred_channel": None,
               "do_not_contact": True, "birthday": None, "renewal_on": "2027-01-01",
               "url": None, "notes": None, "nickname": "Annie", "anniversary": "--06-12",
               "addresses": [
                   {"label": "work", "street": "1 Main St\nFloor 2", "city": "Zürich",
                    "region": None, "postcode": "8001", "country": "CH"},
                   {"label": None, "street": None, "city": "Basel", "region": None,
                    "postcode": None, "country": None},
               ]}  # fmt: skip
    assert tables.row(contact, company="Acme", last_contact_on=None) == {
        "id": "7", "name": "Ann", "company": "Acme", "title": "", "stage": "lead", "tier": "",
        "emails": "a@x.example; b@x.example", "phones": "1; 2", "tags": "beta, vip",
        "cadence_days": "14", "preferred_channel": "", "do_not_contact": "yes", "birthday": "",
        "renewal_on": "2027-01-01", "url": "", "notes": "", "last_contact_on": "",
        "nickname": "Annie", "anniversary": "--06-12",
        "addresses": "work: 1 Main St, Floor 2, 8001 Zürich, CH\nBasel",
    }  # fmt: skip


# ics


def follow_up(n: int = 1, **changes: Any) -> ics.FollowUp:
    fields: dict[str, Any] = {"id": n, "contact": "Ann Lee", "due_on": date(2026, 12, 4),
                              "reason": "send the deck", "every_days": None,
                              "created_at": CREATED}  # fmt: skip
    return ics.FollowUp(**(fields | changes))


def parsed(data: bytes) -> icalendar.Calendar:
    cal = icalendar.Calendar.from_ical(data)
    assert isinstance(cal, icalendar.Calendar)
    return cal


def test_a_todo_with_its_alarm_at_nine_on_the_due_day() -> None:
    data = ics.write([follow_up(phone="+1 555", email="ann@example.com")])
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//relcli//relcli//EN\r\n")
    assert b"DUE;VALUE=DATE:20261204\r\n" in data
    assert b"DTSTAMP:20261130T081500Z\r\n" in data
    assert b"UID:relcli-follow-up-1@relcli\r\n" in data
    assert b"TRIGGER;RELATED=END:PT9H\r\n" in data
    assert b"ACTION:DISPLAY\r\n" in data
    assert b"CATEGORIES:relcli\r\n" in data
    assert b"STATUS:NEEDS-ACTION\r\n" in data
    assert b"RRULE" not in data
    assert b"DTSTART" not in data


def test_a_recurring_todo_repeats_from_its_due_day() -> None:
    todo = parsed(ics.write([follow_up(every_days=14)])).walk("VTODO")[0]
    assert todo["rrule"].to_ical() == b"FREQ=DAILY;INTERVAL=14"
    assert todo.decoded("dtstart") == todo.decoded("due") == date(2026, 12, 4)


def test_an_event_spans_the_due_day() -> None:
    data = ics.write([follow_up(), follow_up(2, due_on=None)], events=True)
    assert b"DTSTART;VALUE=DATE:20261204\r\nDTEND;VALUE=DATE:20261205\r\n" in data
    assert b"TRIGGER:PT9H\r\n" in data
    assert b"TRANSP:TRANSPARENT\r\n" in data
    assert data.count(b"BEGIN:VEVENT") == 1
    assert b"VTODO" not in data


def test_the_output_is_sorted_and_deterministic() -> None:
    items = [follow_up(3), follow_up(1), follow_up(2)]
    data = ics.write(items)
    assert data == ics.write(list(reversed(items)))
    assert [str(t["uid"]) for t in parsed(data).walk("VTODO")] == [ics.uid(n) for n in (1, 2, 3)]


def test_long_lines_are_folded_at_75_octets() -> None:
    reason = "Grüße aus Köln " * 20
    data = ics.write([follow_up(reason=reason, contact="Zoë Ångström")])
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)
    assert str(parsed(data).walk("VTODO")[0]["summary"]) == f"Follow up with Zoë Ångström: {reason}"
    assert data.endswith(b"END:VCALENDAR\r\n")


TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)


@given(reason=TEXT, name=TEXT.filter(lambda s: s.strip()))
def test_no_stored_text_adds_a_property_or_component(reason: str, name: str) -> None:
    for events in (False, True):
        data = ics.write([follow_up(reason=reason or None, contact=name)], events=events)
        cal = parsed(data)
        assert [c.name for c in cal.walk()] == [
            "VCALENDAR", "VEVENT" if events else "VTODO", "VALARM",
        ]  # fmt: skip
        item = cal.walk("VEVENT" if events else "VTODO")[0]
        clean = ics._text(
            f"Follow up with {name}: {reason}" if reason else f"Follow up with {name}"
        )
        if "\\" not in clean:  # icalendar reads an escaped backslash before N back as a newline
            assert str(item["summary"]) == clean
        assert str(item["uid"]) == "relcli-follow-up-1@relcli"
        assert b"\r" not in data.replace(b"\r\n", b"")


def test_an_empty_calendar() -> None:
    assert ics.write([]) == (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//relcli//relcli//EN\r\nEND:VCALENDAR\r\n"
    )


# book (JSON)


def contact_row(n: int, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(book.KEYS["contacts"])
    row |= {"id": n, "name": f"C{n}", "stage": "lead", "do_not_contact": False,
            "emails": [], "phones": [], "tags": [], "opted_out_channels": [],
            "addresses": []}  # fmt: skip
    return row | changes


def test_build_sorts_rows_by_id_and_sets_by_value() -> None:
    rows = [contact_row(2, tags=["vip", "beta"], phones=["2", "1"], extra="dropped"),
            contact_row(1, opted_out_channels=["text", "call"])]  # fmt: skip
    document = book.build(book.Tables(contacts=rows), relcli_version="9.9")
    assert [c["id"] for c in document["contacts"]] == [1, 2]
    assert document["contacts"][1]["tags"] == ["beta", "vip"]
    assert document["contacts"][1]["phones"] == ["2", "1"]  # position order is kept
    assert document["contacts"][0]["opted_out_channels"] == ["call", "text"]
    assert "extra" not in document["contacts"][1]
    assert document["relcli_version"] == "9.9"
    book.check(document)
    assert book.dumps(document) == book.dumps(book.build(book.Tables(contacts=rows[::-1]),
                                                         relcli_version="9.9"))  # fmt: skip


def good() -> dict[str, Any]:
    return book.build(book.Tables(contacts=[contact_row(1)]), relcli_version="0")


@pytest.mark.parametrize(
    ("document", "message"),
    [([], "not a relcli book: the file holds a JSON list"),
     ({"contacts": []}, "not a relcli book: no 'format' key"),
     (good() | {"format": "vcard"}, "not a relcli book: format 'vcard'"),
     (good() | {"schema_version": "1"}, "schema_version '1' is not a positive integer"),
     (good() | {"schema_version": True}, "schema_version True is not a positive integer"),
     (good() | {"schema_version": book.SCHEMA_VERSION + 1}, "written by a newer relcli"),
     ({k: v for k, v in good().items() if k != "signals"}, "'signals' is not a list"),
     (good() | {"companies": [1]}, "companies[0] is not an object"),
     (good() | {"contacts": [{"id": 1}]}, "contacts[0] lacks 'name'"),
     (good() | {"contacts": [contact_row(1, id="1")]}, "contacts[0] has id '1'")],
)  # fmt: skip
def test_check_refuses_what_is_not_a_readable_book(document: object, message: str) -> None:
    with pytest.raises(ImportFileError, match=message.replace("[", r"\[").replace("]", r"\]")) as e:
        book.check(document)
    assert e.value.exit_code is ExitCode.DATA_ERR
    assert "\n" not in str(e.value)


def test_check_names_the_versions_and_the_upgrade() -> None:
    with pytest.raises(ImportFileError) as refused:
        book.check(good() | {"schema_version": 7}, newest=3)
    assert str(refused.value) == (
        "the book was written by a newer relcli (schema 7, this one knows 3); nothing was imported"
    )
    assert refused.value.hint == "upgrade relcli: pip install --upgrade relcli"
    book.check(good() | {"schema_version": 3}, newest=3)
