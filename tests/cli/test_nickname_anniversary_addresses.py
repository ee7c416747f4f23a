"""A person's nickname, anniversary and postal addresses: read by every import, kept by merges,
erased by forget, shown by contact show, and given back by every export. Through main().

Today is Tuesday 2026-12-01. Files built here are synthetic and say so; the others are the
real fixtures of tests/data/fixtures.
"""

import csv
import io
import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcli.domain import names
from relcli.services import imports
from tests.conftest import Relcli, dump, ok

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures"
VCARD40 = FIXTURES / "vcards" / "py-vobject_vobject__vcard40_full.vcf"
ADDRESS_COLUMNS = "label, street, city, region, postcode, country"


def show(relcli: Relcli, contact: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(ok(relcli("contact", "show", contact, "-f", "json")).out)
    return found


def addresses(db_path: Path, contact_id: int = 1) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            f"SELECT {ADDRESS_COLUMNS} FROM contact_address WHERE contact_id = ? ORDER BY position",
            (contact_id,),
        ).fetchall()


def card(*lines: str) -> str:
    """A synthetic vCard 3.0."""
    return "\r\n".join(("BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD", ""))


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- readers -----------------------------------------------------------------------------


def test_a_vcard_import_stores_the_nickname_anniversary_and_addresses(
    relcli: Relcli, db_path: Path
) -> None:
    ok(relcli("import", "vcard", str(VCARD40)))
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT nickname, anniversary FROM contact").fetchall() == [
            ("Johnny, JQP", "2010-06-12")
        ]
    assert addresses(db_path) == [
        ("home", "456 Oak Lane", "Somewhere", "NY", "10001", "U.S.A."),
        ("work", "123 Main Street", "Any Town", "CA", "91921-1234", "U.S.A."),
    ]


@pytest.mark.parametrize(
    ("lines", "anniversary"),
    [
        (["X-ANNIVERSARY:1990-04-30"], "1990-04-30"),
        (["ANNIVERSARY:--0612"], "--06-12"),
        (["item1.X-ABDATE:2001-05-06", "item1.X-ABLabel:_$!<Anniversary>!$_"], "2001-05-06"),
        (["item1.X-ABDATE:2001-05-06", "item1.X-ABLabel:_$!<Other>!$_"], None),
        (["X-ANNIVERSARY:not a date"], None),
    ],
)
def test_a_vcard_anniversary_is_read_where_each_writer_puts_it(
    relcli: Relcli, tmp_path: Path, lines: list[str], anniversary: str | None
) -> None:
    path = write(tmp_path, "a.vcf", card("FN:Ann Lee", "EMAIL:ann@example.com", *lines))
    ok(relcli("import", "vcard", path))
    assert show(relcli, "ann")["anniversary"] == anniversary


def test_apple_item_labels_name_addresses_and_empty_ones_are_dropped(
    relcli: Relcli, db_path: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, "apple.vcf", card(
        "FN:Ann Lee",
        "item1.ADR;type=HOME:;;1 Main St\\nFlat 2;Springfield;IL;62701;USA",
        "item1.X-ABLabel:_$!<Home>!$_",
        "item2.ADR:;;Chalet 9;Zermatt;;3920;Switzerland",
        "item2.X-ABLabel:Ski hut",
        "ADR;TYPE=WORK:;;;;;;",
        "ADR:PO Box 7;Suite 3;9 Elm Rd\\, rear;Boston;MA;02101;",
    ))  # fmt: skip
    ok(relcli("import", "vcard", path))
    assert addresses(db_path) == [
        ("home", "1 Main St\nFlat 2", "Springfield", "IL", "62701", "USA"),
        ("Ski hut", "Chalet 9", "Zermatt", None, "3920", "Switzerland"),
        (None, "PO Box 7\nSuite 3\n9 Elm Rd, rear", "Boston", "MA", "02101", None),
    ]


def test_google_csv_keeps_nickname_and_numbered_addresses(relcli: Relcli, db_path: Path) -> None:
    ok(relcli("import", "google", str(FIXTURES / "google" / "roundcube_roundcubemail__gmail.csv")))
    shown = show(relcli, "#1")
    assert shown["nickname"] == "nick"
    assert [a["label"] for a in shown["addresses"]] == ["home", "work"]
    assert addresses(db_path)[1] == ("work", "work_street", "work_city", None, "work_zip",
                                     "work_country")  # fmt: skip


def test_outlook_csv_keeps_nickname_anniversary_and_business_and_home_addresses(
    relcli: Relcli, db_path: Path, tmp_path: Path
) -> None:
    # Synthetic, in Outlook desktop's column names; 0/0/00 is Outlook's "no date".
    header = ("First Name,Last Name,Nickname,E-mail Address,Anniversary,Business Street,"
              "Business Street 2,Business City,Business State,Business Postal Code,"
              "Business Country/Region,Home Street,Home City,Home Postal Code,Home Country/Region")  # fmt: skip
    rows = [
        "Ann,Lee,Annie,ann@example.com,6/12/2010,1 Main St,Floor 2,Springfield,IL,62701,"
        'United States,"5 Oak Ave",Shelbyville,62565,United States',
        "Bob,Stone,,bob@example.com,0/0/00,,,,,,,,,,",
    ]
    path = write(tmp_path, "outlook.csv", "\r\n".join([header, *rows]) + "\r\n")
    ok(relcli("import", "outlook", path))
    ann = show(relcli, "ann")
    assert (ann["name"], ann["nickname"], ann["anniversary"]) == ("Ann Lee", "Annie", "2010-06-12")
    assert addresses(db_path) == [
        ("work", "1 Main St\nFloor 2", "Springfield", "IL", "62701", "United States"),
        ("home", "5 Oak Ave", "Shelbyville", None, "62565", "United States"),
    ]
    bob = show(relcli, "bob")
    assert (bob["nickname"], bob["anniversary"], bob["addresses"]) == (None, None, [])


def test_a_generic_csv_reads_the_aliases(relcli: Relcli, db_path: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "people.csv",  # synthetic
                 "Name,Email,Nick,Anniversary,Address,City,State,Zip,Country\r\n"
                 "Ann Lee,ann@example.com,Annie,2010-06-12,1 Main St,Springfield,IL,62701,USA\r\n")  # fmt: skip
    ok(relcli("import", "csv", path))
    ann = show(relcli, "ann")
    assert (ann["nickname"], ann["anniversary"]) == ("Annie", "2010-06-12")
    assert addresses(db_path) == [(None, "1 Main St", "Springfield", "IL", "62701", "USA")]


# --- merges ------------------------------------------------------------------------------


def test_a_re_import_adds_only_new_addresses_and_fills_only_a_missing_nickname(
    relcli: Relcli, db_path: Path, tmp_path: Path
) -> None:
    first = write(tmp_path, "1.vcf", card("UID:ann-1", "FN:Ann Lee", "EMAIL:ann@example.com",
                                          "ADR;TYPE=home:;;1 Main St.;Springfield;;62701;"))  # fmt: skip
    ok(relcli("import", "vcard", first))
    ok(relcli("contact", "edit", "ann", "--anniversary", "--06-12"))
    second = write(tmp_path, "2.vcf", card(
        "UID:ann-1", "FN:Ann Lee", "EMAIL:ann@example.com", "NICKNAME:Annie",
        "X-ANNIVERSARY:1999-01-01",
        "ADR;TYPE=work:;;1 MAIN ST;springfield;;62701;USA",  # the same place, written otherwise
        "ADR;TYPE=work:;;9 Elm Rd;Boston;MA;02101;USA",
    ))  # fmt: skip
    run = ok(relcli("import", "vcard", second))
    assert "merged 1" in run.err
    ann = show(relcli, "ann")
    assert (ann["nickname"], ann["anniversary"]) == ("Annie", "--06-12")  # the book's own wins
    assert addresses(db_path) == [
        ("home", "1 Main St.", "Springfield", None, "62701", None),
        ("work", "9 Elm Rd", "Boston", "MA", "02101", "USA"),
    ]
    again = ok(relcli("import", "vcard", second))
    assert "unchanged 1" in again.err
    assert len(addresses(db_path)) == 2


def test_contact_merge_moves_addresses_and_fills_nickname_and_anniversary(
    relcli: Relcli, db_path: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, "two.vcf",
                 card("FN:Ann Lee", "EMAIL:ann@example.com", "ADR:;;1 Main St;Springfield;;;")
                 + card("FN:Annie Lee", "EMAIL:annie@example.com", "NICKNAME:Annie",
                        "X-ANNIVERSARY:2010-06-12", "ADR;TYPE=home:;;1 main st;SPRINGFIELD;;;",
                        "ADR;TYPE=work:;;9 Elm Rd;Boston;;;"))  # fmt: skip
    ok(relcli("import", "vcard", path))
    ok(relcli("contact", "merge", "#1", "#2", "--yes"))
    ann = show(relcli, "#1")
    assert (ann["nickname"], ann["anniversary"]) == ("Annie", "2010-06-12")
    assert addresses(db_path) == [
        (None, "1 Main St", "Springfield", None, None, None),
        ("work", "9 Elm Rd", "Boston", None, None, None),
    ]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM contact_address").fetchone() == (2,)


def test_forget_erases_the_addresses(relcli: Relcli, db_path: Path) -> None:
    ok(relcli("import", "vcard", str(VCARD40)))
    assert len(addresses(db_path)) == 2
    ok(relcli("contact", "forget", "#1", "--yes"))
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM contact_address").fetchone() == (0,)
    for leftover in (db_path, db_path.with_name(db_path.name + "-wal")):
        if leftover.exists():  # secure_delete overwrote the pages, the WAL was checkpointed
            assert b"456 Oak Lane" not in leftover.read_bytes(), leftover.name


# --- contact add, edit, show -------------------------------------------------------------


def test_add_and_edit_set_nickname_and_anniversary(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Ann Lee", "--nickname", " Annie ", "--anniversary", "06-12"))
    ann = show(relcli, "ann")
    assert (ann["nickname"], ann["anniversary"]) == ("Annie", "--06-12")
    ok(relcli("contact", "edit", "ann", "--nickname", "", "--anniversary", "2010-06-12"))
    ann = show(relcli, "ann")
    assert (ann["nickname"], ann["anniversary"]) == (None, "2010-06-12")


def test_an_unreadable_anniversary_is_a_one_line_usage_error(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    run = relcli("contact", "edit", "ann", "--anniversary", "june")
    assert run.code == 2
    assert "cannot read the anniversary 'june'" in run.err
    assert "Traceback" not in run.err
    assert show(relcli, "ann")["anniversary"] is None


def test_contact_show_lists_nickname_anniversary_and_addresses(relcli: Relcli) -> None:
    ok(relcli("import", "vcard", str(VCARD40)))
    lines = ok(relcli("contact", "show", "#1", "-f", "plain")).out.splitlines()
    assert "  nickname Johnny, JQP" in lines
    assert "  anniversary 2010-06-12" in lines
    assert "  home    456 Oak Lane, 10001 Somewhere, NY, U.S.A." in lines
    assert "  work    123 Main Street, 91921-1234 Any Town, CA, U.S.A." in lines


# --- exports -----------------------------------------------------------------------------


def test_the_vcard_export_gives_them_back(relcli: Relcli, tmp_path: Path) -> None:
    path = write(tmp_path, "in.vcf", card(
        "FN:Ann Lee", "NICKNAME:Annie", "X-ANNIVERSARY:--06-12",
        "ADR;TYPE=work:;;1 Main St\\; rear\\nFloor 2;Zürich;ZH;8001;Switzerland",
        "item1.ADR:;;Chalet 9;Zermatt;;;", "item1.X-ABLabel:Ski hut",
    ))  # fmt: skip
    ok(relcli("import", "vcard", path))
    text = ok(relcli("export", "vcard")).out
    parsed = vobject.readOne(text)
    assert parsed.nickname.value == "Annie"
    assert parsed.contents["x-anniversary"][0].value == "--06-12"
    work, hut = parsed.contents["adr"]
    assert work.params["TYPE"] == ["work"]
    assert (work.value.street, work.value.city, work.value.region, work.value.code,
            work.value.country) == ("1 Main St; rear\nFloor 2", "Zürich", "ZH", "8001",
                                    "Switzerland")  # fmt: skip
    assert (hut.value.street, hut.value.city) == ("Chalet 9", "Zermatt")
    (label,) = parsed.contents["x-ablabel"]
    assert (label.group, label.value) == (hut.group, "Ski hut")
    assert hut.group is not None
    fresh = str(tmp_path / "fresh.db")
    out = tmp_path / "out.vcf"
    out.write_text(text, encoding="utf-8")
    ok(relcli("--db", fresh, "import", "vcard", str(out)))
    again = json.loads(ok(relcli("--db", fresh, "contact", "show", "#1", "-f", "json")).out)
    original = show(relcli, "#1")
    for key in ("nickname", "anniversary", "addresses"):
        assert again[key] == original[key], key


def test_the_csv_export_has_them_at_the_end_of_the_row(relcli: Relcli) -> None:
    ok(relcli("import", "vcard", str(VCARD40)))
    text = ok(relcli("export", "csv")).out
    (row,) = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    assert list(row)[-3:] == ["nickname", "anniversary", "addresses"]
    assert (row["nickname"], row["anniversary"]) == ("Johnny, JQP", "2010-06-12")
    assert row["addresses"].split("\n") == [
        "home: 456 Oak Lane, 10001 Somewhere, NY, U.S.A.",
        "work: 123 Main Street, 91921-1234 Any Town, CA, U.S.A.",
    ]


def test_the_json_book_round_trips_them_into_an_empty_book(relcli: Relcli, tmp_path: Path) -> None:
    ok(relcli("import", "vcard", str(VCARD40)))
    ok(relcli("import", "vcard", str(FIXTURES / "vcards" / "mangstadt_ez-vcard__gmail-single.vcf")))
    book = tmp_path / "book.json"
    ok(relcli("export", "json", str(book)))
    document = json.loads(book.read_text(encoding="utf-8"))
    first = document["contacts"][0]
    assert (first["nickname"], first["anniversary"]) == ("Johnny, JQP", "2010-06-12")
    assert first["addresses"][0] == {"label": "home", "street": "456 Oak Lane",
                                     "city": "Somewhere", "region": "NY", "postcode": "10001",
                                     "country": "U.S.A."}  # fmt: skip
    fresh = str(tmp_path / "fresh.db")
    ok(relcli("--db", fresh, "import", "json", str(book)))
    assert ok(relcli("--db", fresh, "export", "json")).out == book.read_text(encoding="utf-8")


def test_a_json_book_merged_into_a_book_brings_its_addresses(
    relcli: Relcli, tmp_path: Path
) -> None:
    ok(relcli("import", "vcard", str(VCARD40)))
    book = tmp_path / "book.json"
    ok(relcli("export", "json", str(book)))
    other = tmp_path / "other.db"
    ok(relcli("--db", str(other), "contact", "add", "John Public",
              "-e", "john.public@example.com", "--nickname", "JP"))  # fmt: skip
    ok(relcli("--db", str(other), "import", "json", str(book)))
    merged = json.loads(ok(relcli("--db", str(other), "contact", "show", "#1", "-f", "json")).out)
    assert merged["nickname"] == "JP"  # the book's own value wins
    assert merged["anniversary"] == "2010-06-12"
    assert [a["street"] for a in merged["addresses"]] == ["456 Oak Lane", "123 Main Street"]


def test_a_schema_3_json_book_imports_with_no_nickname_anniversary_or_address(
    relcli: Relcli, tmp_path: Path
) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    document = json.loads(ok(relcli("export", "json")).out)
    document["schema_version"] = 3  # as relcli wrote it before step 4
    for contact in document["contacts"]:
        for key in ("nickname", "anniversary", "addresses"):
            del contact[key]
    old = write(tmp_path, "v3.json", json.dumps(document))
    fresh = str(tmp_path / "fresh.db")
    ok(relcli("--db", fresh, "import", "json", old))
    ann = json.loads(ok(relcli("--db", fresh, "contact", "show", "#1", "-f", "json")).out)
    assert (ann["nickname"], ann["anniversary"], ann["addresses"]) == (None, None, [])


def test_a_json_book_with_a_damaged_address_is_refused(relcli: Relcli, tmp_path: Path) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    document = json.loads(ok(relcli("export", "json")).out)
    document["contacts"][0]["addresses"] = [{"street": 12}]
    path = write(tmp_path, "bad.json", json.dumps(document))
    fresh = tmp_path / "fresh.db"
    run = relcli("--db", str(fresh), "import", "json", path)
    assert run.code == 65
    assert "contacts[0].addresses[0] is not an address" in run.err
    assert "Traceback" not in run.err


def test_a_csv_column_can_be_mapped_to_nickname_or_anniversary(
    relcli: Relcli, tmp_path: Path
) -> None:
    path = write(tmp_path, "de.csv", "Name,Spitzname,Hochzeitstag\r\nAnn Lee,Annie,2010-06-12\r\n")
    ok(relcli("import", "csv", path, "--map", "Spitzname=nickname",
              "--map", "Hochzeitstag=anniversary"))  # fmt: skip
    ann = show(relcli, "ann")
    assert (ann["nickname"], ann["anniversary"]) == ("Annie", "2010-06-12")


# --- batches -----------------------------------------------------------------------------

PEOPLE = st.tuples(
    st.sampled_from(["Ann Lee", "Anne Lee", "Bob Stone"]),
    st.sampled_from(["ann@acme.example", "bob@acme.example", ""]),
    st.sampled_from(["", "Annie", "Bobby"]),
    st.sampled_from(["", "1 Main St", "1 MAIN ST.", "9 Elm Rd"]),
    st.sampled_from(["", "Springfield", "Boston"]),
    st.sampled_from(["", "Home ", "Work "]),
)


def _rows(people: list[tuple[str, ...]]) -> str:
    """Synthetic: each row's address under a Home, Work or unlabelled set of columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Name", "Email", "Nickname", "Street", "City", "Home Street", "Home City",
                     "Work Street", "Work City"])  # fmt: skip
    for name, email, nickname, street, city, label in people:
        cells = ["", "", "", "", "", ""]
        slot = {"": 0, "Home ": 2, "Work ": 4}[label]
        cells[slot : slot + 2] = [street, city]
        writer.writerow([name, email, nickname, *cells])
    return out.getvalue()


def _book_after(relcli: Relcli, first: str, second: str) -> list[str]:
    before = os.environ["RELCLI_HOME"]
    with tempfile.TemporaryDirectory() as folder:
        os.environ["RELCLI_HOME"] = str(Path(folder) / "home")
        try:
            for n, text in enumerate((first, second)):
                (Path(folder) / f"{n}.csv").write_text(text, encoding="utf-8")
                assert relcli("import", "csv", str(Path(folder) / f"{n}.csv")).code in (0, 65)
            book = Path(folder) / "home" / "relcli.db"
            if not book.exists():
                return []
            with sqlite3.connect(book) as conn:  # no contact has the same place twice
                places = [
                    (cid, names.address_key(street, city, None))
                    for cid, street, city in conn.execute(
                        "SELECT contact_id, street, city FROM contact_address"
                    )
                ]
            assert len(places) == len(set(places))
            return dump(book)
        finally:
            os.environ["RELCLI_HOME"] = before


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=st.lists(PEOPLE, max_size=5),
    second=st.lists(PEOPLE, min_size=1, max_size=10),
    batch=st.integers(1, 3),
)
def test_batches_change_no_address_or_nickname(
    relcli: Relcli,
    monkeypatch: pytest.MonkeyPatch,
    first: list[tuple[str, ...]],
    second: list[tuple[str, ...]],
    batch: int,
) -> None:
    """Merges into contacts of an earlier batch, of the same batch and of the book give the
    same rows, whatever the batch size."""
    whole = _book_after(relcli, _rows(first), _rows(second))
    with monkeypatch.context() as patch:
        patch.setattr(imports, "_BATCH", batch)
        cut = _book_after(relcli, _rows(first), _rows(second))
    assert cut == whole
