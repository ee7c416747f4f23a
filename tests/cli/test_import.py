"""relcli import FORMAT FILE|-, through main(): every fixture, re-imports, dry runs, unreadable
files, duplicates, --tag/--stage/--map, stdin, one transaction, JSON books, ranking afterwards.

Today is Tuesday 2026-12-01. The fixtures are real exports copied from public test suites
(tests/data/fixtures/SOURCES.md); files built here are synthetic and say so.
"""

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Relcli, Run, dump, ok

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures"
FORMAT_OF_FOLDER = {
    "linkedin": "linkedin",
    "google": "google",
    "outlook": "outlook",
    "csv-other": "csv",
    "vcards": "vcard",
}
LEXNETWORK = FIXTURES / "linkedin" / "baptisteghostine_lexnetwork__Connections.csv"
SIX_HOPS = FIXTURES / "linkedin" / "AbhiramJayasankar_six-hops__Connections.csv"
LABELDEKHO = FIXTURES / "linkedin" / "labeldekho_linkedin-network-intelligence__Connections.csv"
GMAIL_LIST = FIXTURES / "vcards" / "mangstadt_ez-vcard__gmail-list.vcf"
HELIX = FIXTURES / "google" / "walk-the-program_helix-crm__google-contacts.csv"
GROUP_ONLY = FIXTURES / "vcards" / "py-vobject_vobject__vcard40_group.vcf"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

Db = Callable[[str], list[tuple[object, ...]]]


def show(relcli: Relcli, contact: str) -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(ok(relcli("contact", "show", contact, "-f", "json")).out)
    return shown


def summary_of(run: Run) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(ok(run).out)
    return found


# --- every fixture ----------------------------------------------------------------------


@dataclass
class Case:
    """One fixture, the contacts its file holds, and fields read off the file by hand.

    ``contacts`` maps a contact id (ids follow the file's order in a fresh book) to a subset
    of ``contact show --format json``; ``known_since`` maps an id to the db column.
    """

    path: str
    added: int
    skipped: tuple[str, ...] = ()
    contacts: dict[int, dict[str, Any]] = field(default_factory=dict)
    known_since: dict[int, str | None] = field(default_factory=dict)


CASES = [
    # LinkedIn: one person per data row after the `Notes:` preamble and the header.
    Case(  # 5 rows; the last (line 9) is ',,,,,,01 Jan 2023': a hidden profile, skipped.
        # The two Priya Sharmas have different profile URLs: two people.
        "linkedin/AbhiramJayasankar_six-hops__Connections.csv",
        4,
        skipped=("line 9",),
        contacts={
            2: {
                "name": "Rahul Iyer",
                "emails": ["rahul@example.com"],
                "company": "Flipkart",
                "title": "Senior SDE",
                "url": "https://www.linkedin.com/in/rahul-iyer",
                "tags": [],
                "stage": "lead",
            },
            3: {"name": "Priya Sharma", "company": "Razorpay Software Pvt Ltd"},
            4: {"name": "Anita Rao", "company": None, "title": None, "emails": []},
        },
        known_since={1: "2021-03-12", 2: "2020-01-05", 4: "2019-07-20"},
    ),
    Case(  # 4 rows, one with a quoted first name
        "linkedin/baptisteghostine_lexnetwork__Connections.csv",
        4,
        contacts={4: {"name": "Kenji Watanabe", "company": "Hoshi Labs", "title": "CTO"}},
        known_since={4: "2020-09-09"},
    ),
    Case(  # 7 rows: profile URLs with a trailing slash, capitals and ?trk= are normalised;
        # two 'Dana Dup' with different URLs stay two; an extra column is ignored.
        "linkedin/bdrolet_people__Connections.csv",
        7,
        contacts={
            1: {"emails": ["Alice@Example.com"], "company": "Example Health", "title": "CTO"},
            2: {"name": "Bob Sample", "url": "https://www.linkedin.com/in/bob-sample"},
            3: {"url": "https://www.linkedin.com/in/carol-test"},
            6: {"name": "Élodie Accent", "company": "Accent SA", "title": "Partner"},
            7: {"name": "Nobody Nourl", "url": None, "emails": []},
        },
        known_since={6: "2023-06-07", 7: "2023-07-08"},
    ),
    Case(  # 10 rows; a two-line free-text preamble, and URL as the last column
        "linkedin/labeldekho_linkedin-network-intelligence__Connections.csv",
        10,
        contacts={
            1: {"url": "https://www.linkedin.com/in/alicejohnson"},
            10: {
                "name": "Jack Anderson",
                "emails": ["jack.a@openai.com"],
                "company": "OpenAI",
                "title": "Research Scientist",
            },
        },
        known_since={10: "2024-03-25"},
    ),
    Case(  # 2 rows after a UTF-8 BOM; quoted commas in company and position
        "linkedin/pedrofuentes_kawsay__Connections.csv",
        2,
        contacts={
            1: {"name": "José García", "company": "Acme, Inc.", "title": "Senior Engineer"},
            2: {
                "name": "Æsop Fontaine",
                "emails": ["aesop@example.com"],
                "title": "Director, Operations",
            },
        },
        known_since={1: "2024-01-15", 2: "2024-02-03"},
    ),
    # Google: one person per record.
    Case(  # 2 rows, old naming (Name, Given Name, E-mail 1 - Value); the Name cell is 'Zoë, Smith'
        "google/Remulous_constellation__google_contacts.csv",
        2,
        contacts={
            1: {
                "name": "Jerry Mathis",
                "phones": ["(757) 555-0101"],
                "company": "Example Partners",
                "title": "Founder",
            },
            2: {"name": "Zoë, Smith", "emails": ["zoe@example.com"], "company": "Unicode Works"},
        },
    ),
    Case(  # 3 records, the third spans two physical lines (a note with a line break)
        "google/baptisteghostine_lexnetwork__google-contacts.csv",
        3,
        contacts={
            1: {
                "name": "Jane Doe",
                "birthday": "1988-06-15",
                "tags": [],
                "emails": ["jane.doe@acme.example", "jane@personal.example"],
                "phones": ["+41 79 123 45 67"],
                "url": "https://www.linkedin.com/in/jane-doe-example",
            },
            2: {"name": "Bob Smith", "birthday": "--12-01"},
            3: {
                "name": "Chloé Van Damme, Jr.",
                "company": "Widgets, Inc.",
                "title": 'Head of "Special" Projects',
                "notes": "Line one\nLine two",
            },
        },
    ),
    Case(  # 1 record with multi-line addresses; '* Home' marks the primary e-mail
        "google/roundcube_roundcubemail__gmail.csv",
        1,
        contacts={
            1: {
                "name": "Prefix Firstname Middle Lastname Suffix",
                "birthday": "1975-12-12",
                "emails": ["home@aaa.pl", "work@email.pl", "unknown@email.com", "other@email.com"],
                "company": "company",
                "title": "jobtitle",
                "tags": ["test"],
                "nickname": "nick",
                "addresses": [
                    {
                        "label": "home",
                        "street": "home_pobox\nhome_street",
                        "city": "home_city",
                        "region": "home_state",
                        "postcode": "home_zip",
                        "country": "home_country",
                    },
                    {
                        "label": "work",
                        "street": "work_street",
                        "city": "work_city",
                        "region": None,
                        "postcode": "work_zip",
                        "country": "work_country",
                    },
                ],
            },
        },
    ),
    Case(  # 44 data rows (counted with the csv module), no final newline; labels are tags
        "google/walk-the-program_helix-crm__google-contacts.csv",
        44,
        contacts={
            1: {
                "name": "Sarah Mitchell",
                "tags": ["suppliers"],
                "phones": ["801.555.0142"],
                "company": "Sandy Landscape Co",
                "addresses": [  # the city is only in 'Address 1 - Formatted'
                    {
                        "label": "home",
                        "street": "2084 W 900 East",
                        "city": None,
                        "region": "UT",
                        "postcode": "84195",
                        "country": "United States",
                    },
                ],
            },
            4: {"name": "Thomas Nguyen", "phones": ["801-555-0150", "+1 801 555 9252"]},
            5: {"tags": ["customers"], "title": "Foreman"},
            7: {"name": "Renée Whitaker"},
        },
    ),
    # Outlook: e-mail columns only; the person is named after the first address.
    Case(
        "outlook/roundcube_roundcubemail__outlook.csv",
        1,
        contacts={
            1: {
                "name": "test1@domain.tld",
                "emails": ["test1@domain.tld", "test2@domain.tld", "test3@domain.tld"],
            },
        },
    ),
    # Other CSV files.
    Case(  # semicolons, 2 rows
        "csv-other/mozilla_releases-comm-central__csv_semicolon.csv",
        2,
        contacts={1: {"name": "John Doe", "emails": ["john@doe.invalid"]}},
    ),
    Case(  # 2 records; the second spans two lines (an LF inside 'Custom 4')
        "csv-other/mozilla_releases-comm-central__export.csv",
        2,
        contacts={
            2: {
                "name": "contact number two",
                "title": '"worker"',
                "notes": "here's some unicode text…",
            }
        },
    ),
    Case(  # 1 row in Shift_JIS
        "csv-other/mozilla_releases-comm-central__shiftjis_addressbook.csv",
        1,
        contacts={1: {"name": "名無しの権兵衛", "emails": ["名無しの権兵衛@host.invalid"]}},
    ),
    Case(  # 1 row in UTF-16LE with a BOM
        "csv-other/mozilla_releases-comm-central__utf16_addressbook.csv",
        1,
        contacts={1: {"name": "John Doe", "emails": ["johndoe@host.invalid"]}},
    ),
    Case(  # 1 row, 70+ columns; the birthday is day-first (20/01/1991)
        "csv-other/roundcube_roundcubemail__all.csv",
        1,
        contacts={
            1: {
                "name": "Display Name",
                "company": "Company",
                "title": "Job Title",
                "birthday": "1991-01-20",
                "emails": ["home@example.com", "work@example.com", "other@example.com"],
                "nickname": "Nickname",
                "anniversary": "1992-02-20",
                "addresses": [  # 'Business Street' and 'Work City' are one work address
                    {
                        "label": "home",
                        "street": "Home Street",
                        "city": "Home City",
                        "region": "Home State",
                        "postcode": "Home Zip",
                        "country": "Home Country",
                    },
                    {
                        "label": "work",
                        "street": "Work Street",
                        "city": "Work City",
                        "region": "Work State",
                        "postcode": "Work Zip",
                        "country": "Work Country",
                    },
                    {
                        "label": "other",
                        "street": "Other Street",
                        "city": "Other City",
                        "region": "Other State",
                        "postcode": "Other Zip",
                        "country": "Other Country",
                    },
                ],
            },
        },
    ),
    # vCards: one contact per BEGIN:VCARD.
    Case(  # a 2.1 ADR continued with trailing backslashes does not eat the BDAY after it
        "vcards/CyanogenMod_android_frameworks_opt_vcard__v21_adr_multiple_line.vcf",
        1,
        contacts={1: {"name": "bogus", "birthday": "2008-12-03", "url": "http://bogus.com/"}},
    ),
    Case("vcards/CyanogenMod_android_frameworks_opt_vcard__v21_backslash.vcf", 1),
    Case(  # '#' lines are dropped, but not the quoted-printable continuation that starts with '#'
        "vcards/CyanogenMod_android_frameworks_opt_vcard__v21_invalid_comment_line.vcf",
        1,
        contacts={
            1: {
                "name": "Conference Call",
                "notes": "This is an (sharp ->#<- sharp) example. This message must NOT be ignored.",
            },
        },
    ),
    Case(  # Shift_JIS bytes with CHARSET=SHIFT_JIS, and a quoted-printable NOTE
        "vcards/CyanogenMod_android_frameworks_opt_vcard__v21_japanese_2.vcf",
        1,
        contacts={1: {"name": "安藤 ロイド 1", "notes": "メモ"}},
    ),
    Case(  # the broken PHOTO is dropped, the card is kept
        "vcards/CyanogenMod_android_frameworks_opt_vcard__v21_malformed_photo.vcf",
        1,
        contacts={1: {"name": "fullname"}},
    ),
    Case(  # a parent card with two cards nested in it: three people, nobody lost
        "vcards/CyanogenMod_android_frameworks_opt_vcard__v21_nest.vcf",
        3,
        contacts={1: {"name": "parent"}, 2: {"name": "nest1"}, 3: {"name": "nest2"}},
    ),
    Case(  # iOS, CR CR LF line ends; ORG with a trailing empty component
        "vcards/CyanogenMod_android_frameworks_opt_vcard__v30_ios_613_multiline.vcf",
        1,
        contacts={
            1: {
                "name": "Bob Smith",
                "company": "Smith Auto Repair",
                "emails": ["bob@smithauto.com"],
                "phones": ["(650) 555-1212"],
                "url": "www.smithauto.com",
            },
        },
    ),
    Case(  # vCard 4.0 in Japanese, SORT-AS parameters
        "vcards/CyanogenMod_android_frameworks_opt_vcard__v40_sort_as.vcf",
        1,
        contacts={1: {"name": "安藤 ロイド", "company": "グーグル"}},
    ),
    Case(  # VALUE=URI on a bare number: the number is kept
        "vcards/lucc_khard__tel-value-uri.vcf", 1, contacts={1: {"phones": ["67545678"]}}
    ),
    Case(  # BDAY;VALUE=text:circa 1800 is not a date
        "vcards/lucc_khard__text-bday.vcf",
        1,
        contacts={1: {"name": "text birthday", "birthday": None}},
    ),
    Case(  # no END:VCARD: read as far as it goes
        "vcards/lucc_khard__unparsable.vcf",
        1,
        contacts={1: {"name": "second contact with minimal Vcard"}},
    ),
    Case(  # six cards; two have an e-mail only and are named after it; QP UTF-8 names
        "vcards/mangstadt_ez-vcard__John_Doe_ANDROID.vcf",
        6,
        contacts={
            1: {"name": "john.doe@company.com", "emails": ["john.doe@company.com"]},
            3: {"name": "Ñ Ñ Ñ Ñ Ñ", "phones": ["123456789"]},
            5: {"name": "Ñ Ñ Ñ Ñ", "company": "ÑÑÑÑÑÑÑÑÑÑÑÑ", "emails": ["bob@company.com"]},
        },
    ),
    Case(  # folded everywhere; FN 'Mr. John Richter\\, James Doe Sr.'
        "vcards/mangstadt_ez-vcard__John_Doe_EVOLUTION.vcf",
        1,
        contacts={
            1: {
                "name": "Mr. John Richter, James Doe Sr.",
                "company": "IBM",
                "title": "Money Counter",
                "birthday": "1980-03-22",
                "emails": ["john.doe@ibm.com"],
                "tags": ["vip"],
                "nickname": "Johny",
                "anniversary": "1980-03-22",  # X-EVOLUTION-ANNIVERSARY
                "addresses": [
                    {
                        "label": "home",
                        "street": "ASB-123\n15 Crescent moon drive",
                        "city": "Albaney",
                        "region": "New York",
                        "postcode": "12345",
                        "country": "United States of America",
                    },
                ],
            },
        },
    ),
    Case(  # CR CR LF, itemN. groups, the type=pref phone first, 'http\\://' unescaped
        "vcards/mangstadt_ez-vcard__John_Doe_IPHONE.vcf",
        1,
        contacts={
            1: {
                "birthday": "2012-06-06",
                "url": "http://www.ibm.com",
                "emails": ["john.doe@ibm.com"],
                "nickname": "Johny",
                "addresses": [  # item3.ADR;type=pref first; '\n' in the street is its lines
                    {
                        "label": "home",
                        "street": "Silicon Alley 5,",
                        "city": "New York",
                        "region": "New York",
                        "postcode": "12345",
                        "country": "United States of America",
                    },
                    {
                        "label": "work",
                        "street": "Street4\nBuilding 6\nFloor 8",
                        "city": "New York",
                        "region": None,
                        "postcode": "12345",
                        "country": "USA",
                    },
                ],
            },
        },
    ),
    Case(  # BDAY:19800322 in basic format; the file's own address typo is kept
        "vcards/mangstadt_ez-vcard__John_Doe_MS_OUTLOOK.vcf",
        1,
        contacts={
            1: {
                "birthday": "1980-03-22",
                "emails": ["john.doe@ibm.cm"],
                "anniversary": "2011-01-13",  # X-MS-ANNIVERSARY
            }
        },
    ),
    Case("vcards/mangstadt_ez-vcard__gmail-list.vcf", 3, contacts={3: {"name": "Doug White"}}),
    Case(
        "vcards/mangstadt_ez-vcard__gmail-single.vcf",
        1,
        contacts={
            1: {
                "name": "Greg Dartmouth",
                "company": "TheCompany",
                "title": "TheJobTitle",
                "birthday": "1960-09-10",
                "url": "http://TheProfile.com",
                "phones": ["555 555 1111", "555 555 2222"],
                "nickname": "Gman",
                "anniversary": "1970-06-02",  # item4.X-ABDATE labelled _$!<Anniversary>!$_
                "addresses": [
                    {
                        "label": "home",
                        "street": "123 Home St\nHome City, HM 12345",
                        "city": None,
                        "region": None,
                        "postcode": None,
                        "country": None,
                    },
                    {
                        "label": "CustomAdrType",
                        "street": "321 Custom St",  # item2.X-ABLabel
                        "city": "Custom City",
                        "region": "TX",
                        "postcode": "98765",
                        "country": "USA",
                    },
                ],
            },
        },
    ),
    Case(  # a parameter folded across lines; PREF=1 phone first
        "vcards/mangstadt_ez-vcard__issue114.vcf",
        1,
        contacts={
            1: {
                "name": "Dummy, Dummy",
                "company": "Dummy GmbH",
                "phones": ["+49 1234 56789", "+49 9876 54321"],
            },
        },
    ),
    Case(  # TEL values such as 'BusinessPhone' hold no digit: no phone
        "vcards/mangstadt_ez-vcard__outlook-2003.vcf",
        1,
        contacts={1: {"name": "John Doe III", "company": "Company, The", "phones": []}},
    ),
    Case(
        "vcards/mangstadt_ez-vcard__rfc2426-example.vcf",
        2,
        contacts={1: {"emails": ["Frank_Dawson@Lotus.com", "fdawson@earthlink.net"]}},
    ),
    Case(  # BDAY:--0203 has no year; tel: URIs with ;ext=
        "vcards/mangstadt_ez-vcard__rfc6350-example.vcf",
        1,
        contacts={
            1: {
                "name": "Simon Perreault",
                "birthday": "--02-03",
                "phones": ["+1-418-656-9254 ext 102", "+1-418-262-6501"],
                "anniversary": "2009-08-08",  # ANNIVERSARY:20090808T1430-0500
                "addresses": [
                    {
                        "label": "work",
                        "street": "Suite D2-630\n2875 Laurier",
                        "city": "Quebec",
                        "region": "QC",
                        "postcode": "G1V 2M2",
                        "country": "Canada",
                    },
                ],
            },
        },
    ),
    Case(  # 'category1\\, category2\\, category3' is three categories
        "vcards/mangstadt_ez-vcard__thunderbird-MoreFunctionsForAddressBook-extension.vcf",
        1,
        contacts={1: {"tags": ["category1", "category2", "category3"], "birthday": "1970-09-21"}},
    ),
    Case("vcards/mozilla_releases-comm-central__emptylines_vcard_addressbook.vcf", 2),
    Case(  # lower-case 'begin:vcard'
        "vcards/mozilla_releases-comm-central__export.142d905-legacy21.vcf",
        2,
        contacts={2: {"name": "contact number two", "title": '"worker"'}},
    ),
    Case("vcards/mozilla_releases-comm-central__export.vcf", 2),
    Case(
        "vcards/mozilla_releases-comm-central__v3-binary-jpeg.vcf",
        1,
        contacts={1: {"name": "Binary JPEG"}},
    ),
    Case(
        "vcards/mozilla_releases-comm-central__v4-uri-png.vcf",
        1,
        contacts={1: {"name": "URI PNG, version 4.0"}},
    ),
    Case(
        "vcards/py-vobject_vobject__photo-test.vcf",
        1,
        contacts={1: {"name": "should be ok to share", "phones": ["+49123456789"]}},
    ),
    Case(  # PREF=1 e-mail first; CATEGORIES in capitals
        "vcards/py-vobject_vobject__vcard40_full.vcf",
        1,
        contacts={
            1: {
                "name": "Dr. John Q. Public, III",
                "birthday": "1985-04-15",
                "title": "CEO",
                "emails": ["johnny@personal.example.org", "john.public@example.com"],
                "tags": ["business", "networking"],
                "nickname": "Johnny, JQP",
                "anniversary": "2010-06-12",
                "addresses": [  # PREF=1 first
                    {
                        "label": "home",
                        "street": "456 Oak Lane",
                        "city": "Somewhere",
                        "region": "NY",
                        "postcode": "10001",
                        "country": "U.S.A.",
                    },
                    {
                        "label": "work",
                        "street": "123 Main Street",
                        "city": "Any Town",
                        "region": "CA",
                        "postcode": "91921-1234",
                        "country": "U.S.A.",
                    },
                ],
            },
        },
    ),
    Case(  # two FN with ALTID=1: the first one (English) names the contact
        "vcards/py-vobject_vobject__vcard40_multilang.vcf",
        1,
        contacts={1: {"name": "Yamada Taro"}},
    ),
    Case(  # X-ABShowAs:COMPANY
        "vcards/roundcube_roundcubemail__apple.vcf",
        1,
        contacts={1: {"name": "Apple Computer AG", "url": "http://www.apple.ch"}},
    ),
    Case(  # CHARSET=windows-1252 bytes; the TYPE=pref address first
        "vcards/roundcube_roundcubemail__johndoe.vcf",
        1,
        contacts={
            1: {
                "name": "John Doë",
                "company": "roundcube.net",
                "emails": ["roundcube@gmail.com", "inbox@roundcube.net"],
                "phones": ["+123456789", "+987654321"],
            },
        },
    ),
    Case(  # 8-bit quoted-printable without a charset: read as cp1252
        "vcards/roundcube_roundcubemail__thebat.vcf",
        1,
        contacts={1: {"name": "Piotr Iksiñski"}},
    ),
    Case(  # UTF-16BE without a BOM
        "vcards/roundcube_roundcubemail__utf-16_sample.vcf",
        1,
        contacts={1: {"name": "Ǽgean ĽdaMonté"}},
    ),
]


def fixture_args(case: Case) -> list[str]:
    return [FORMAT_OF_FOLDER[case.path.split("/")[0]], str(FIXTURES / case.path)]


def test_every_contact_fixture_has_a_case() -> None:
    files = {
        f"{folder}/{path.name}"
        for folder in FORMAT_OF_FOLDER
        for path in (FIXTURES / folder).iterdir()
    }
    assert files - {c.path for c in CASES} == {f"vcards/{GROUP_ONLY.name}"}
    assert {c.path for c in CASES} <= files


@pytest.mark.parametrize("case", CASES, ids=lambda c: Path(c.path).stem.split("__")[-1])
def test_a_fixture_imports_every_person_it_holds(relcli: Relcli, db: Db, case: Case) -> None:
    run = relcli("import", *fixture_args(case), "--format", "json")
    summary = summary_of(run)
    assert (summary["added"], summary["merged"], summary["unchanged"]) == (case.added, 0, 0)
    assert [skip["where"] for skip in summary["skips"]] == list(case.skipped)
    assert run.err.splitlines()[0] == f"added {case.added}, merged 0, unchanged 0, " + (
        f"skipped {len(case.skipped)}"
    )
    for where in case.skipped:
        assert f"  skipped {where}: " in run.err
    assert db("SELECT count(*) FROM contact") == [(case.added,)]
    for contact_id, expected in case.contacts.items():
        shown = show(relcli, f"#{contact_id}")
        assert {key: shown[key] for key in expected} == expected, contact_id
    for contact_id, since in case.known_since.items():
        assert db(f"SELECT known_since FROM contact WHERE id = {contact_id}") == [(since,)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: Path(c.path).stem.split("__")[-1])
def test_a_second_import_of_the_same_file_adds_nothing(relcli: Relcli, db: Db, case: Case) -> None:
    ok(relcli("import", *fixture_args(case)))
    before = db("SELECT count(*) FROM contact")
    again = ok(relcli("import", *fixture_args(case)))
    assert again.err.splitlines()[0] == (
        f"added 0, merged 0, unchanged {case.added}, skipped {len(case.skipped)}"
    )
    assert db("SELECT count(*) FROM contact") == before == [(case.added,)]


def test_a_malformed_card_is_skipped_with_its_card_and_line(
    relcli: Relcli, db: Db, tmp_path: Path
) -> None:
    cards = tmp_path / "mixed.vcf"  # synthetic: one good card, three bad ones, one cut short
    cards.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nEMAIL:good@example.com\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:+1 555 0100\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nthis line has no colon\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Short\r\n"
    )
    run = ok(relcli("import", "vcard", str(cards)))
    assert run.err.splitlines() == [
        "added 2, merged 0, unchanged 0, skipped 3",
        "  skipped card 2 (line 6): the card has no name, company or email",
        "  skipped card 3 (line 10): cannot read the card: line 13 is not a property: "
        "'this line has no colon'",
        "  skipped card 4 (line 15): the card has no name, company or email",
    ]
    assert db("SELECT name FROM contact ORDER BY id") == [("Good One",), ("Cut Short",)]


def test_a_file_of_contact_groups_only_imports_nothing(relcli: Relcli, isolated: Path) -> None:
    run = relcli("import", "vcard", str(GROUP_ONLY))
    assert run.code == 65
    assert run.err.splitlines() == [
        "relcli: nothing could be read from this vcard file: card 1 (line 1): a contact group, "
        "not a person; nothing was changed (hint: check the file, or try another format: "
        "relcli import --help)"
    ]
    assert not (isolated / "relcli.db").exists()


def test_older_linkedin_and_outlook_desktop_layouts(relcli: Relcli, tmp_path: Path) -> None:
    # Synthetic, from the headers in SOURCES.md (Gaps) and OUTLOOK-HEADERS.md.
    linkedin = tmp_path / "Connections.csv"  # the 2020 layout: no preamble, no URL column
    linkedin.write_text(
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Åsa,Berg,asa@example.com,Volvo,Buyer,05 Mar 2020\n"
        'Kim,Ng,,,,"Mar 7, 2020"\n',
        encoding="utf-8",
    )
    assert ok(relcli("import", "linkedin", str(linkedin))).err.startswith("added 2,")
    assert show(relcli, "asa@example.com")["company"] == "Volvo"
    columns = ["Title", "First Name", "Last Name", "Company", "Job Title", "Business Phone",
               "Mobile Phone", "Birthday", "Categories", "E-mail Address", "E-mail Type",
               "E-mail 2 Address", "Notes"]  # fmt: skip
    rows = [
        ["Dr.", "Renée", "Müller", "Café Zürich AG", "Head of Sales", "+41 44 123 45 67",
         "+41 79 765 43 21", "3/22/1980", "Key Accounts;VIP", "renee@cafe.example", "SMTP", "",
         "Prefers mornings"],
        ["", "Bob", "Exchange", "", "", "", "", "0/0/00", "",
         "/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=bob", "EX", "bob@example.com", ""],
    ]  # fmt: skip
    outlook = tmp_path / "outlook.csv"  # Outlook desktop: all quoted, cp1252, CRLF
    outlook.write_bytes(
        "".join(",".join(f'"{cell}"' for cell in row) + "\r\n" for row in [columns, *rows]).encode(
            "cp1252"
        )
    )
    assert ok(relcli("import", "outlook", str(outlook))).err.startswith("added 2,")
    renee = show(relcli, "renee@cafe.example")
    assert {k: renee[k] for k in ("name", "company", "title", "birthday", "tags", "notes")} == {
        "name": "Renée Müller",
        "company": "Café Zürich AG",
        "title": "Head of Sales",  # not 'Dr.': Outlook's Title is the salutation
        "birthday": "1980-03-22",
        "tags": ["key-accounts", "vip"],
        "notes": "Prefers mornings",
    }
    bob = show(relcli, "bob@example.com")
    assert (bob["emails"], bob["birthday"]) == (["bob@example.com"], None)


# --- dry runs and unreadable files --------------------------------------------------------


def test_a_dry_run_prints_the_summary_and_writes_nothing(relcli: Relcli, db_path: Path) -> None:
    # Ana has a company already, so the would-be merge UPDATEs her
    # title, URL and known_since first: the rollback has to undo that too.
    ok(relcli("contact", "add", "Ana S.", "-e", "ana.silva@example.com", "--company", "Anthropic"))
    ok(relcli("contact", "add", "Zed", "-e", "zed@example.com", "--cadence", "14d"))
    before = dump(db_path)
    run = ok(relcli("import", "linkedin", str(LEXNETWORK), "--dry-run", "--tag", "linkedin"))
    assert run.out == ""
    assert run.err.splitlines() == [
        "would add 3, merged 1, unchanged 0, skipped 0 (dry run: nothing was written)",
        "  merged line 5 Ana Silva into #1: same email ana.silva@example.com",
    ]
    assert dump(db_path) == before
    summary = summary_of(relcli("import", "vcard", str(GMAIL_LIST), "--dry-run", "-f", "json"))
    assert (summary["dry_run"], summary["added"]) == (True, 3)
    assert dump(db_path) == before


def test_a_dry_run_into_an_empty_home_adds_no_contact(relcli: Relcli, db: Db) -> None:
    run = ok(relcli("import", "google", str(HELIX), "--dry-run"))
    assert run.err.startswith("would add 44, merged 0, unchanged 0, skipped 0 (dry run")
    assert db("SELECT count(*) FROM contact") == [(0,)]
    assert db("SELECT count(*) FROM company") == [(0,)]


@pytest.mark.parametrize("fmt", ["linkedin", "google", "outlook", "csv", "vcard", "json"])
@pytest.mark.parametrize("content", [PNG, b""], ids=["png", "empty"])
def test_a_file_with_nothing_readable_exits_65_and_changes_nothing(
    relcli: Relcli, db_path: Path, tmp_path: Path, fmt: str, content: bytes
) -> None:
    ok(relcli("contact", "add", "Ann Lee", "-e", "ann@example.com"))
    before = dump(db_path)
    bad = tmp_path / "contacts.file"
    bad.write_bytes(content)
    run = relcli("import", fmt, str(bad))
    assert run.code == 65, run.err
    assert len(run.err.splitlines()) == 1
    assert run.err.startswith("relcli: ")
    assert "nothing was changed" in run.err or "not a relcli JSON book" in run.err
    assert run.out == ""
    assert dump(db_path) == before


def test_an_unreadable_file_into_an_empty_home_leaves_no_database(
    relcli: Relcli, isolated: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "picture.png"
    bad.write_bytes(PNG)
    run = relcli("import", "csv", str(bad))
    assert run.code == 65
    assert "'‰PNG'" in run.err  # the header it found, quoted
    assert not (isolated / "relcli.db").exists()


def test_a_missing_file_is_a_one_line_error(relcli: Relcli, tmp_path: Path) -> None:
    run = relcli("import", "vcard", str(tmp_path / "nope.vcf"))
    assert run.code == 65
    assert run.err.splitlines() == [
        f"relcli: cannot read {str(tmp_path / 'nope.vcf')!r}: No such file or directory "
        "(hint: check the path)"
    ]


# --- the JSON summary ----------------------------------------------------------------------


def test_json_summary_counts_each_action_and_names_each_skip(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Rahul", "-e", "RAHUL@example.com", "--company", "Flipkart"))
    run = relcli("import", "linkedin", str(SIX_HOPS), "--format", "json")
    summary = summary_of(run)
    counts = ("format", "dry_run", "added", "merged", "unchanged", "skipped")
    assert [summary[key] for key in counts] == ["linkedin", False, 3, 1, 0, 1]
    assert summary["skips"] == [
        {
            "where": "line 9",
            "reason": "no name, e-mail, phone or profile URL (a hidden or closed LinkedIn profile)",
        }
    ]
    actions = sorted((c["where"], c["action"], c["contact_id"]) for c in summary["contacts"])
    assert actions == [
        ("line 5", "added", 2),
        ("line 6", "merged", 1),
        ("line 7", "added", 3),
        ("line 8", "added", 4),
    ]
    merged = next(c for c in summary["contacts"] if c["action"] == "merged")
    assert merged["reason"] == "same email rahul@example.com"
    assert run.err.splitlines()[0] == "added 3, merged 1, unchanged 0, skipped 1"
    again = summary_of(relcli("import", "linkedin", str(SIX_HOPS), "-f", "json"))
    assert again["added"] == 0
    assert {c["action"] for c in again["contacts"] if c["where"] != "line 6"} == {"unchanged"}


# --- duplicates ----------------------------------------------------------------------------


def test_merge_fills_what_the_contact_lacked_and_keeps_its_name(relcli: Relcli, db: Db) -> None:
    ok(relcli("contact", "add", "Dario", "--company", "anthropic"))  # the company exists
    ok(relcli("contact", "add", "Ana S.", "-e", "ANA.SILVA@example.com", "--stage", "customer"))
    run = ok(relcli("import", "linkedin", str(LEXNETWORK)))
    assert run.err.splitlines() == [
        "added 3, merged 1, unchanged 0, skipped 0",
        "  merged line 5 Ana Silva into #2: same email ana.silva@example.com",
    ]
    ana = show(relcli, "#2")
    assert {k: ana[k] for k in ("name", "company", "title", "stage", "url", "emails")} == {
        "name": "Ana S.",
        "company": "anthropic",
        "title": "Product Lead",
        "stage": "customer",
        "url": "https://www.linkedin.com/in/ana-silva-example",
        "emails": ["ANA.SILVA@example.com"],
    }
    assert db("SELECT known_since FROM contact WHERE id = 2") == [("2021-03-02",)]
    assert db("SELECT count(*) FROM contact") == [(5,)]
    assert db("SELECT count(*) FROM company") == [(4,)]  # anthropic, Veltra, Datadog, Hoshi Labs


def test_merge_keeps_the_contacts_own_values(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Ana S.", "-e", "ana.silva@example.com", "--company", "Acme",
              "--title", "Buyer", "--url", "https://example.com/ana"))  # fmt: skip
    ok(relcli("import", "linkedin", str(LEXNETWORK)))
    ana = show(relcli, "#1")
    assert (ana["company"], ana["title"], ana["url"]) == (
        "Acme",
        "Buyer",
        "https://example.com/ana",
    )


def test_merge_fills_a_company_the_book_does_not_have_yet(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Ana S.", "-e", "ana.silva@example.com"))
    run = relcli("import", "linkedin", str(LEXNETWORK))
    assert run.code == 0, run.err  # actual: 1, 'relcli: database error: FOREIGN KEY ...'
    assert show(relcli, "#1")["company"] == "Anthropic"


def test_a_re_import_after_a_merge_reports_the_person_unchanged(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Ana S.", "-e", "ana.silva@example.com", "--company", "Anthropic"))
    ok(relcli("import", "linkedin", str(LEXNETWORK)))
    again = ok(relcli("import", "linkedin", str(LEXNETWORK)))
    assert again.err.splitlines() == ["added 0, merged 0, unchanged 4, skipped 0"]


def test_two_profiles_with_one_name_at_one_company_are_two_people(
    relcli: Relcli, db: Db, tmp_path: Path
) -> None:
    twins = tmp_path / "Connections.csv"  # synthetic, shaped like the six-hops fixture
    twins.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Priya,Sharma,https://www.linkedin.com/in/priya-sharma-1,,Razorpay,Engineer,12 Mar 2021\n"
        "Priya,Sharma,https://www.linkedin.com/in/priya-sharma-2,,Razorpay,Product Manager,"
        "01 Feb 2022\n",
        encoding="utf-8",
    )
    run = ok(relcli("import", "linkedin", str(twins)))
    assert run.err.splitlines() == ["added 2, merged 0, unchanged 0, skipped 0"]
    assert db("SELECT url FROM contact ORDER BY id") == [
        ("https://www.linkedin.com/in/priya-sharma-1",),
        ("https://www.linkedin.com/in/priya-sharma-2",),
    ]


def test_on_duplicate_skip_names_the_contact_it_matched(relcli: Relcli, db: Db) -> None:
    ok(relcli("contact", "add", "Ana S.", "-e", "ana.silva@example.com"))
    run = ok(relcli("import", "linkedin", str(LEXNETWORK), "--on-duplicate", "skip"))
    assert run.err.splitlines() == [
        "added 3, merged 0, unchanged 0, skipped 1",
        "  skipped line 5: duplicate of #1 (same email ana.silva@example.com)",
    ]
    assert show(relcli, "#1")["title"] is None
    assert db("SELECT count(*) FROM contact") == [(4,)]


def test_on_duplicate_new_adds_a_second_contact(relcli: Relcli, db: Db) -> None:
    ok(relcli("contact", "add", "Ana S.", "-e", "ana.silva@example.com"))
    run = ok(relcli("import", "linkedin", str(LEXNETWORK), "--on-duplicate", "new"))
    assert run.err.splitlines() == ["added 4, merged 0, unchanged 0, skipped 0"]
    assert db("SELECT count(*) FROM contact") == [(5,)]
    assert db("SELECT id FROM contact WHERE name = 'Ana Silva'") == [(2,)]
    assert show(relcli, "#1")["emails"] == ["ana.silva@example.com"]  # addresses stay unique
    assert show(relcli, "#2")["url"] == "https://www.linkedin.com/in/ana-silva-example"


# --- tags, stage, mapping, stdin -----------------------------------------------------------


def test_tag_and_stage_apply_to_the_people_imported(relcli: Relcli, db: Db) -> None:
    ok(relcli("contact", "add", "Ana S.", "-e", "ana.silva@example.com", "--company", "Anthropic",
              "--stage", "customer", "-t", "vip"))  # fmt: skip
    ok(relcli("import", "linkedin", str(LEXNETWORK), "--tag", "linkedin", "-t", "Q4-push",
              "--stage", "prospect"))  # fmt: skip
    assert db("SELECT id, stage FROM contact ORDER BY id") == [
        (1, "customer"),  # merged: the stage is the contact's own
        (2, "prospect"),
        (3, "prospect"),
        (4, "prospect"),
    ]
    assert show(relcli, "#3")["tags"] == ["linkedin", "q4-push"]
    assert show(relcli, "#1")["tags"] == ["linkedin", "q4-push", "vip"]  # everyone imported


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--stage", "nonsense", "relcli: unknown stage 'nonsense'"),
        ("--tag", "Q4 Push", "relcli: invalid tag 'Q4 Push'"),
        ("--on-duplicate", "maybe", "Invalid value for '--on-duplicate'"),
    ],
)
def test_a_bad_option_is_refused_before_anything_is_written(
    relcli: Relcli, db_path: Path, option: str, value: str, message: str
) -> None:
    ok(relcli("contact", "add", "Ana S.", "-e", "ana.silva@example.com", "--company", "Anthropic"))
    before = dump(db_path)
    run = relcli("import", "linkedin", str(LEXNETWORK), option, value)
    assert run.code == 2
    assert message in run.err
    assert dump(db_path) == before


def odd_csv(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"  # synthetic: German headers no alias knows, but 'Mail'
    path.write_text(
        "Wer;Handy;Firma;Mail\n"
        "Zoë Ångström;+46 70 123 45 67;Nordic AB;zoe@nordic.example\n"
        ";;;\n"
        "Nobody;;;\n",
        encoding="utf-8",
    )
    return path


def test_map_reads_odd_headers_as_fields(relcli: Relcli, tmp_path: Path) -> None:
    run = ok(relcli("import", "csv", str(odd_csv(tmp_path)), "--map", "Wer=name",
                    "--map", "Handy = phone", "--map", "firma=Company"))  # fmt: skip
    assert run.err.splitlines() == ["added 2, merged 0, unchanged 0, skipped 0"]
    zoe = show(relcli, "zoe")
    assert {k: zoe[k] for k in ("name", "phones", "company", "emails")} == {
        "name": "Zoë Ångström",
        "phones": ["+46 70 123 45 67"],
        "company": "Nordic AB",
        "emails": ["zoe@nordic.example"],
    }
    assert show(relcli, "#2")["name"] == "Nobody"


def test_without_map_only_the_known_columns_are_read(relcli: Relcli, tmp_path: Path) -> None:
    run = ok(relcli("import", "csv", str(odd_csv(tmp_path))))
    assert run.err.splitlines() == [
        "added 1, merged 0, unchanged 0, skipped 1",
        "  skipped line 4: no name, e-mail, phone or profile URL",
    ]
    assert show(relcli, "#1")["name"] == "zoe@nordic.example"


@pytest.mark.parametrize(
    ("mapping", "code", "message"),
    [
        ("Wer", 2, "relcli: cannot read --map 'Wer' (hint: write it as 'Full Name=name')"),
        ("Nope=name", 1, "relcli: the column mapping names 'Nope', a column people.csv does not "
                         "have (hint: map columns of its header: Wer, Handy, Firma, Mail)"),
    ],
)  # fmt: skip
def test_a_bad_mapping_is_a_one_line_error_and_changes_nothing(
    relcli: Relcli, db_path: Path, tmp_path: Path, mapping: str, code: int, message: str
) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    before = dump(db_path)
    run = relcli("import", "csv", str(odd_csv(tmp_path)), "--map", mapping)
    assert run.code == code
    assert run.err.splitlines() == [message]
    assert dump(db_path) == before


def test_an_unknown_map_field_is_a_usage_error(relcli: Relcli, tmp_path: Path) -> None:
    run = relcli("import", "csv", str(odd_csv(tmp_path)), "--map", "Wer=shoe")
    assert run.code == 2, run.err


def test_stdin_is_read_with_a_dash(relcli: Relcli, db: Db) -> None:
    linkedin = FIXTURES / "linkedin" / "pedrofuentes_kawsay__Connections.csv"  # with a BOM
    run = ok(relcli("import", "linkedin", "-", stdin=linkedin.read_text(encoding="utf-8")))
    assert run.err.splitlines() == ["added 2, merged 0, unchanged 0, skipped 0"]
    run = ok(relcli("import", "vcard", "-", stdin=GMAIL_LIST.read_text(encoding="utf-8")))
    assert run.err.splitlines() == ["added 3, merged 0, unchanged 0, skipped 0"]
    assert db("SELECT name FROM contact WHERE id = 1") == [("José García",)]
    assert relcli("import", "csv", "-", stdin="").code == 65


# --- one transaction -----------------------------------------------------------------------


def test_a_failure_half_way_leaves_nothing(relcli: Relcli, db_path: Path) -> None:
    """A failure injected after the merge's UPDATE and the new rows: everything rolls back."""
    ok(relcli("contact", "add", "Ana S.", "-e", "ana.silva@example.com", "--company", "Anthropic"))
    conn = sqlite3.connect(db_path)
    conn.execute(
        "CREATE TRIGGER refuse_boom BEFORE INSERT ON contact_tag WHEN NEW.tag = 'boom' "
        "BEGIN SELECT RAISE(ABORT, 'boom'); END"
    )
    conn.commit()
    conn.close()
    before = dump(db_path)
    run = relcli("import", "linkedin", str(LEXNETWORK), "--tag", "boom")
    assert run.code == 1
    assert run.err.splitlines() == ["relcli: database error: boom"]
    assert dump(db_path) == before  # Ana's title, the three new contacts: all gone


# --- relcli's own JSON ---------------------------------------------------------------------


def json_book(relcli: Relcli, tmp_path: Path) -> Path:
    """A book with Ann (interaction, follow-up, signal) at Acme (a company signal), and Bo."""
    source = str(tmp_path / "source.db")
    for args in (
        ("contact", "add", "Ann Lee", "-e", "ann@acme.example", "--company", "Acme", "-t", "vip"),
        ("contact", "add", "Bo Chen", "-p", "+1 415 555 0199"),
        ("log", "ann", "called about the renewal", "--channel", "call", "--outcome", "connected",
         "--on", "2026-11-20"),
        ("follow-up", "add", "ann", "fri", "send the deck"),
        ("signal", "add", "ann", "funding", "Series B"),
        ("signal", "add", "--company", "Acme", "exec-hire", "new CFO", "--on", "2026-11-28"),
    ):  # fmt: skip
        ok(relcli("--db", source, *args))
    path = tmp_path / "book.json"
    ok(relcli("--db", source, "export", "json", str(path)))
    return path


def test_a_json_book_into_a_non_empty_book_matches_people(
    relcli: Relcli, db: Db, tmp_path: Path
) -> None:
    book = json_book(relcli, tmp_path)
    ok(relcli("contact", "add", "Ann L.", "-e", "ANN@acme.example", "--company", "ACME"))
    ok(relcli("contact", "add", "Zed", "-e", "zed@example.com"))
    ok(relcli("log", "zed", "hello", "--channel", "email", "--on", "2026-11-25"))
    summary = summary_of(relcli("import", "json", str(book), "-f", "json"))
    assert (summary["added"], summary["merged"], summary["unchanged"]) == (1, 1, 0)
    assert db("SELECT id, name, company_id FROM contact ORDER BY id") == [
        (1, "Ann L.", 1),
        (2, "Zed", None),
        (3, "Bo Chen", None),
    ]
    assert db("SELECT contact_id, channel, summary FROM interaction ORDER BY id") == [
        (2, "email", "hello"),
        (1, "call", "called about the renewal"),
    ]
    assert db("SELECT contact_id, due_on, reason FROM follow_up") == [
        (1, "2026-12-04", "send the deck")
    ]
    assert db("SELECT contact_id, company_id, kind FROM signal ORDER BY id") == [
        (1, None, "funding"),
        (None, 1, "exec-hire"),  # on the book's own ACME
    ]
    assert show(relcli, "#1")["tags"] == ["vip"]
    assert show(relcli, "#3")["phones"] == ["+1 415 555 0199"]
    before = [db(f"SELECT count(*) FROM {t}") for t in ("interaction", "follow_up", "signal")]
    again = summary_of(relcli("import", "json", str(book), "-f", "json"))
    assert again["added"] == 0
    after = [db(f"SELECT count(*) FROM {t}") for t in ("interaction", "follow_up", "signal")]
    assert after == before == [[(2,)], [(1,)], [(2,)]]
    assert db("SELECT count(*) FROM contact") == [(3,)]
    doctor = json.loads(ok(relcli("doctor", "-f", "json")).out)
    assert [check for check in doctor if check["problem"]] == []


def test_a_json_dry_run_into_a_non_empty_book_writes_nothing(
    relcli: Relcli, db_path: Path, tmp_path: Path
) -> None:
    book = json_book(relcli, tmp_path)
    ok(relcli("contact", "add", "Ann L.", "-e", "ann@acme.example", "--company", "Acme"))
    before = dump(db_path)
    run = ok(relcli("import", "json", str(book), "--dry-run"))
    assert run.err.startswith("would add 1, merged 1, unchanged 0, skipped 0 (dry run")
    assert dump(db_path) == before


def test_a_json_book_fills_a_company_the_book_does_not_have(relcli: Relcli, tmp_path: Path) -> None:
    book = json_book(relcli, tmp_path)
    ok(relcli("contact", "add", "Ann L.", "-e", "ann@acme.example"))
    run = relcli("import", "json", str(book))
    assert run.code == 0, run.err
    assert show(relcli, "#1")["company"] == "Acme"


def test_a_json_book_with_a_dangling_reference_is_refused(
    relcli: Relcli, db_path: Path, tmp_path: Path
) -> None:
    book = json_book(relcli, tmp_path)
    document = json.loads(book.read_text(encoding="utf-8"))
    document["interactions"][0]["contact_id"] = 99
    book.write_text(json.dumps(document), encoding="utf-8")
    ok(relcli("contact", "add", "Someone"))
    before = dump(db_path)
    run = relcli("import", "json", str(book))
    assert run.code == 65, run.err
    assert len(run.err.splitlines()) == 1
    assert dump(db_path) == before


# --- ranked afterwards ---------------------------------------------------------------------


def test_imported_contacts_are_ranked(relcli: Relcli, db: Db) -> None:
    ok(relcli("import", "linkedin", str(LABELDEKHO), "--tag", "linkedin", "--stage", "prospect"))
    ok(relcli("contact", "edit", "alice", "--cadence", "14d"))
    # A contact never contacted counts from the day it was added (docs/ranking.md): not yet due.
    assert json.loads(ok(relcli("today", "-f", "json")).out) == []
    run = ok(relcli("--today", "2026-12-29", "today", "--tag", "linkedin", "-f", "json"))
    later = json.loads(run.out)
    assert [(row["name"], row["why"]) for row in later] == [
        ("Alice Johnson", "day 28 of 14-day cadence")
    ]
    why = ok(relcli("--today", "2026-12-29", "why", "alice")).out
    assert "known 1444d of 730d" in why  # tenure from LinkedIn's 15 Jan 2023
    doctor = ok(relcli("doctor", "-f", "json"))
    checks = {c["check"]: c for c in json.loads(doctor.out)}
    assert checks["ranking stats"]["problem"] is None
    assert checks["contacts"]["value"] == 10
    assert db("SELECT count(*) FROM contact_stats") == [(10,)]


def test_a_json_book_into_a_non_empty_book_keeps_every_do_not_contact_and_opt_out(
    relcli: Relcli, db: Db, tmp_path: Path
) -> None:
    """What people asked for travels with them: a do-not-contact or an opt-out in the file
    reaches the book, for a person merged into an existing contact and for one added; the
    book's own wishes and values stay; an added person keeps the file's stage and cadence."""
    source = str(tmp_path / "source.db")
    for args in (
        ("contact", "add", "Ann Lee", "-e", "ann@acme.example", "--cadence", "2w", "--tier", "A"),
        ("contact", "add", "Bo Chen", "-p", "+1 415 555 0199", "--stage", "customer",
         "--cadence", "30d", "--prefer", "call", "--min-gap", "1w"),
        ("contact", "edit", "ann", "--do-not-contact", "asked us to stop", "--opt-out", "text"),
        ("contact", "edit", "bo", "--do-not-contact", "on leave", "--opt-out", "email"),
    ):  # fmt: skip
        ok(relcli("--db", source, *args))
    book = tmp_path / "book.json"
    ok(relcli("--db", source, "export", "json", str(book)))
    ok(relcli("contact", "add", "Ann L.", "-e", "ANN@acme.example", "--tier", "B",
              "--stage", "prospect"))  # fmt: skip
    ok(relcli("contact", "edit", "ann", "--opt-out", "call"))

    summary = summary_of(relcli("import", "json", str(book), "-f", "json"))

    assert (summary["added"], summary["merged"]) == (1, 1)
    assert db(
        "SELECT id, stage, tier, cadence_days, preferred_channel, min_gap_days, do_not_contact,"
        " do_not_contact_reason FROM contact ORDER BY id"
    ) == [
        (1, "prospect", "B", 14, None, None, 1, "asked us to stop"),  # the book's own win
        (2, "customer", None, 30, "call", 7, 1, "on leave"),  # added: as the file had it
    ]
    assert db("SELECT contact_id, channel FROM contact_opt_out ORDER BY 1, 2") == [
        (1, "call"), (1, "text"), (2, "email"),
    ]  # fmt: skip
