"""CSV readers: LinkedIn, Google, Outlook and generic exports become Person and Skipped items."""

import csv
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcli.domain.formats import csvfiles, sniff
from relcli.domain.formats.records import Item, Person, Skipped
from relcli.errors import ImportFileError, InvalidInputError, UsageError

FIXTURES = Path(__file__).parents[2] / "data" / "fixtures"

Reader = Callable[..., Iterator[Item]]
READERS: dict[str, Reader] = {
    "linkedin": csvfiles.read_linkedin,
    "google": csvfiles.read_google,
    "outlook": csvfiles.read_outlook,
    "csv-other": csvfiles.read_csv,
}


def read_bytes(reader: Reader, data: bytes, **options: object) -> list[Item]:
    return list(reader(sniff.open_text(io.BytesIO(data)), source="test.csv", **options))


def read_fixture(relative: str) -> list[Item]:
    reader = READERS[relative.split("/")[0]]
    with (FIXTURES / relative).open("rb") as binary:
        return list(reader(sniff.open_text(binary), source=relative))


def people(items: list[Item]) -> list[Person]:
    return [item for item in items if isinstance(item, Person)]


def by_name(items: list[Item], name: str) -> Person:
    (found,) = (person for person in people(items) if person.name == name)
    return found


def csv_bytes(
    header: list[str], rows: Sequence[Mapping[str, str]], *, encoding: str = "utf-8", **fmt: object
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", **fmt)  # type: ignore[arg-type]
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue().encode(encoding)


# --- every fixture -------------------------------------------------------------------

EXPECTED = [
    ("linkedin/AbhiramJayasankar_six-hops__Connections.csv", 4, 1),
    ("linkedin/baptisteghostine_lexnetwork__Connections.csv", 4, 0),
    ("linkedin/bdrolet_people__Connections.csv", 7, 0),
    ("linkedin/labeldekho_linkedin-network-intelligence__Connections.csv", 10, 0),
    ("linkedin/pedrofuentes_kawsay__Connections.csv", 2, 0),
    ("google/Remulous_constellation__google_contacts.csv", 2, 0),
    ("google/baptisteghostine_lexnetwork__google-contacts.csv", 3, 0),
    ("google/roundcube_roundcubemail__gmail.csv", 1, 0),
    ("google/walk-the-program_helix-crm__google-contacts.csv", 44, 0),
    ("outlook/roundcube_roundcubemail__outlook.csv", 1, 0),
    ("csv-other/mozilla_releases-comm-central__csv_semicolon.csv", 2, 0),
    ("csv-other/mozilla_releases-comm-central__export.csv", 2, 0),
    ("csv-other/mozilla_releases-comm-central__shiftjis_addressbook.csv", 1, 0),
    ("csv-other/mozilla_releases-comm-central__utf16_addressbook.csv", 1, 0),
    ("csv-other/roundcube_roundcubemail__all.csv", 1, 0),
]


def test_the_expectations_cover_every_csv_fixture() -> None:
    on_disk = {
        f"{path.parent.name}/{path.name}"
        for folder in READERS
        for path in (FIXTURES / folder).iterdir()
    }
    assert on_disk == {relative for relative, _, _ in EXPECTED}


@pytest.mark.parametrize(("relative", "persons", "skipped"), EXPECTED)
def test_each_fixture_gives_its_people(relative: str, persons: int, skipped: int) -> None:
    items = read_fixture(relative)
    assert len(people(items)) == persons
    assert len(items) - persons == skipped


@pytest.mark.parametrize(("relative", "persons"), [(path, count) for path, count, _ in EXPECTED])
def test_no_field_holds_an_empty_string_and_keys_are_unique(relative: str, persons: int) -> None:
    found = people(read_fixture(relative))
    for person in found:
        for value in (person.company, person.title, person.birthday, person.notes, person.url):
            assert value is None or (value and value == value.strip())
        assert person.name
        assert person.key
        assert all(person.emails)
        assert all(person.phones)
        assert all(person.tags)
    assert len({person.key for person in found}) == persons


# --- LinkedIn ------------------------------------------------------------------------


def test_linkedin_row_keeps_company_title_profile_and_connection_date() -> None:
    items = read_fixture("linkedin/AbhiramJayasankar_six-hops__Connections.csv")
    assert items[1] == Person(
        name="Rahul Iyer",
        where="line 6",
        key="linkedin.com/in/rahul-iyer",
        emails=["rahul@example.com"],
        company="Flipkart",
        title="Senior SDE",
        url="https://www.linkedin.com/in/rahul-iyer",
        known_since=date(2020, 1, 5),
    )


def test_linkedin_date_only_row_is_skipped_with_a_reason_and_its_line() -> None:
    items = read_fixture("linkedin/AbhiramJayasankar_six-hops__Connections.csv")
    assert items[-1] == Skipped(
        "line 9", "no name, e-mail, phone or profile URL (a hidden or closed LinkedIn profile)"
    )


def test_linkedin_people_with_the_same_name_keep_apart_by_profile_url() -> None:
    items = read_fixture("linkedin/AbhiramJayasankar_six-hops__Connections.csv")
    priyas = [person for person in people(items) if person.name == "Priya Sharma"]
    assert [person.key for person in priyas] == [
        "linkedin.com/in/priya-sharma-1",
        "linkedin.com/in/priya-sharma-2",
    ]
    assert priyas[1].company == "Razorpay Software Pvt Ltd"


def test_linkedin_profile_urls_are_normalised() -> None:
    items = read_fixture("linkedin/bdrolet_people__Connections.csv")
    assert by_name(items, "Bob Sample").url == "https://www.linkedin.com/in/bob-sample"
    assert by_name(items, "Carol Test").url == "https://www.linkedin.com/in/carol-test"
    reordered = read_fixture("linkedin/labeldekho_linkedin-network-intelligence__Connections.csv")
    assert by_name(reordered, "Alice Johnson").url == "https://www.linkedin.com/in/alicejohnson"


def test_linkedin_extra_column_is_ignored_and_accents_and_email_case_are_kept() -> None:
    items = read_fixture("linkedin/bdrolet_people__Connections.csv")
    alice = by_name(items, "Alice Example")
    assert alice.emails == ["Alice@Example.com"]
    assert alice.key == "linkedin.com/in/alice-example"
    élodie = by_name(items, "Élodie Accent")
    assert (élodie.company, élodie.title) == ("Accent SA", "Partner")
    assert élodie.known_since == date(2023, 6, 7)


def test_linkedin_row_without_a_url_is_keyed_by_folded_name_and_company() -> None:
    nobody = by_name(read_fixture("linkedin/bdrolet_people__Connections.csv"), "Nobody Nourl")
    assert (nobody.url, nobody.key, nobody.where) == (None, "nobody nourl|", "line 11")


def test_linkedin_header_is_found_after_a_free_text_preamble_with_columns_reordered() -> None:
    items = read_fixture("linkedin/labeldekho_linkedin-network-intelligence__Connections.csv")
    jack = items[-1]
    assert jack == Person(
        name="Jack Anderson",
        where="line 15",
        key="linkedin.com/in/jackanderson",
        emails=["jack.a@openai.com"],
        company="OpenAI",
        title="Research Scientist",
        url="https://www.linkedin.com/in/jackanderson",
        known_since=date(2024, 3, 25),
    )


def test_linkedin_bom_file_keeps_quoted_commas_and_non_ascii_names() -> None:
    items = read_fixture("linkedin/pedrofuentes_kawsay__Connections.csv")
    jose, aesop = people(items)
    assert (jose.name, jose.company, jose.known_since) == (
        "José García",
        "Acme, Inc.",
        date(2024, 1, 15),
    )
    assert (aesop.name, aesop.title) == ("Æsop Fontaine", "Director, Operations")


def test_linkedin_needlessly_quoted_first_name_is_read_plainly() -> None:
    items = read_fixture("linkedin/baptisteghostine_lexnetwork__Connections.csv")
    assert by_name(items, "Kenji Watanabe").title == "CTO"
    assert by_name(items, "Marc Dubois").title == "Founder & CEO"


def test_linkedin_2020_layout_without_preamble_or_url_is_keyed_by_email() -> None:
    data = (
        b"First Name,Last Name,Email Address,Company,Position,Connected On\n"
        b"Ann,Lee,Ann.Lee@Example.com,Acme,CFO,05 Mar 2020\n"
        b"Bo,Kim,,Acme,CTO,6 March 2020\n"
    )
    ann, bo = read_bytes(csvfiles.read_linkedin, data)
    assert isinstance(ann, Person)
    assert isinstance(bo, Person)
    assert (ann.key, ann.url, ann.known_since) == ("ann.lee@example.com", None, date(2020, 3, 5))
    assert (bo.key, bo.known_since, bo.where) == ("bo kim|acme", date(2020, 3, 6), "line 3")


def test_linkedin_2021_layout_with_preamble_but_no_url_is_read() -> None:
    data = (
        b'Notes:\r\n"When exporting your connection data, you may notice that some, many."\r\n'
        b"\r\nFirst Name,Last Name,Email Address,Company,Position,Connected On\r\n"
        b"Ann,Lee,,Acme,CFO,17 Aug 2021\r\n"
    )
    (ann,) = read_bytes(csvfiles.read_linkedin, data)
    assert ann == Person(
        name="Ann Lee",
        where="line 5",
        key="ann lee|acme",
        company="Acme",
        title="CFO",
        known_since=date(2021, 8, 17),
    )


def test_linkedin_unreadable_connection_date_is_dropped() -> None:
    data = "First Name,Last Name,URL,Connected On\nAnn,Lee,https://linkedin.com/in/ann,5 Mär 2024\n"
    (ann,) = read_bytes(csvfiles.read_linkedin, data.encode())
    assert isinstance(ann, Person)
    assert ann.known_since is None


def test_linkedin_file_without_a_header_row_is_one_skipped_item() -> None:
    items = read_bytes(csvfiles.read_linkedin, b"Name,Email\nAnn,ann@example.com\n")
    assert len(items) == 1
    assert isinstance(items[0], Skipped)
    assert "no LinkedIn header row" in items[0].reason


# --- Google --------------------------------------------------------------------------


def test_google_labels_become_tags_without_the_system_label() -> None:
    items = read_fixture("google/walk-the-program_helix-crm__google-contacts.csv")
    assert by_name(items, "Sarah Mitchell").tags == ["suppliers"]
    assert by_name(items, "Betty Carter").tags == ["customers"]
    assert by_name(items, "Barbara Hill").tags == []


def test_google_names_are_stripped_and_phones_kept_in_order() -> None:
    items = read_fixture("google/walk-the-program_helix-crm__google-contacts.csv")
    assert by_name(items, "Thomas Nguyen").phones == ["801-555-0150", "+1 801 555 9252"]
    amy = by_name(items, "Amy Brewer")
    assert amy.phones == ["+1 435 555 0117", "801-555-9886 ext 3"]
    assert (amy.company, amy.emails) == ("Logan Electric", ["amybrewer99@gmail.com"])
    assert by_name(items, "Renée Whitaker").title == "Office Manager"
    assert by_name(items, "Benjamin Smith").where == "line 21"


def test_google_notes_keep_their_escaped_quotes() -> None:
    items = read_fixture("google/walk-the-program_helix-crm__google-contacts.csv")
    assert (
        by_name(items, "Edward Ward").notes
        == 'Called twice, no answer. "Ask for Dave" at the shop.'
    )


def test_google_new_naming_reads_birthdays_titles_and_multi_line_notes() -> None:
    jane, bob, chloe = read_fixture("google/baptisteghostine_lexnetwork__google-contacts.csv")
    assert jane == Person(
        name="Jane Doe",
        where="line 2",
        key="jane.doe@acme.example",
        emails=["jane.doe@acme.example", "jane@personal.example"],
        phones=["+41 79 123 45 67"],
        company="Acme Corp",
        title="VP Engineering",
        birthday="1988-06-15",
        notes="Met at ETH reunion",
        url="https://www.linkedin.com/in/jane-doe-example",
    )
    assert isinstance(bob, Person)
    assert bob.birthday == "--12-01"
    assert bob.tags == []
    assert isinstance(chloe, Person)
    assert chloe.name == "Chloé Van Damme, Jr."
    assert (chloe.company, chloe.title) == ("Widgets, Inc.", 'Head of "Special" Projects')
    assert chloe.notes == "Line one\nLine two"


def test_google_old_naming_reads_the_name_column_primary_email_and_group_membership() -> None:
    (person,) = read_fixture("google/roundcube_roundcubemail__gmail.csv")
    assert isinstance(person, Person)
    assert person.name == "Prefix Firstname Middle Lastname Suffix"
    assert person.emails[0] == "home@aaa.pl"
    assert person.key == "home@aaa.pl"
    assert person.tags == ["test"]
    assert (person.birthday, person.company, person.title) == ("1975-12-12", "company", "jobtitle")
    assert person.notes == 'note"note'
    assert person.phones == []  # its phone cells hold placeholder words, no digits


def test_google_old_naming_with_organization_columns() -> None:
    jerry, zoe = read_fixture("google/Remulous_constellation__google_contacts.csv")
    assert jerry == Person(
        name="Jerry Mathis",
        where="line 2",
        key="jerry@example.com",
        emails=["jerry@example.com"],
        phones=["(757) 555-0101"],
        company="Example Partners",
        title="Founder",
    )
    assert isinstance(zoe, Person)
    assert zoe.name == "Zoë, Smith"


def test_google_email_marked_primary_comes_first() -> None:
    header = ["Name", "E-mail 1 - Type", "E-mail 1 - Value", "E-mail 2 - Type", "E-mail 2 - Value"]
    row = {
        "Name": "Ann",
        "E-mail 1 - Type": "Work",
        "E-mail 1 - Value": "ANN@WORK.example",
        "E-mail 2 - Type": "* Home",
        "E-mail 2 - Value": "ann@home.example ::: ann@work.example",
    }
    (ann,) = read_bytes(csvfiles.read_google, csv_bytes(header, [row]))
    assert isinstance(ann, Person)
    assert ann.emails == ["ann@home.example", "ann@work.example"]
    assert ann.key == "ann@home.example"


def test_google_labels_are_lower_cased_and_hyphenated() -> None:
    header = ["First Name", "Labels", "E-mail 1 - Value"]
    row = {
        "First Name": "Ann",
        "Labels": "* myContacts ::: VIP Clients ::: * starred ::: vip clients",
    }
    (ann,) = read_bytes(csvfiles.read_google, csv_bytes(header, [row]))
    assert isinstance(ann, Person)
    assert ann.tags == ["vip-clients", "starred"]


# --- Outlook -------------------------------------------------------------------------


def columns(header: str) -> list[str]:
    return header.split(",")


# Synthetic: the Outlook desktop header from OUTLOOK-HEADERS.md (no fictional export exists).
OUTLOOK_DESKTOP = columns(
    "Title,First Name,Middle Name,Last Name,Suffix,Company,Department,Job Title,"
    "Business Street,Business Street 2,Business Street 3,Business City,Business State,"
    "Business Postal Code,Business Country/Region,Home Street,Home Street 2,Home Street 3,"
    "Home City,Home State,Home Postal Code,Home Country/Region,Other Street,Other Street 2,"
    "Other Street 3,Other City,Other State,Other Postal Code,Other Country/Region,"
    "Assistant's Phone,Business Fax,Business Phone,Business Phone 2,Callback,Car Phone,"
    "Company Main Phone,Home Fax,Home Phone,Home Phone 2,ISDN,Mobile Phone,Other Fax,"
    "Other Phone,Pager,Primary Phone,Radio Phone,TTY/TDD Phone,Telex,Account,Anniversary,"
    "Assistant's Name,Billing Information,Birthday,Business Address PO Box,Categories,"
    "Children,Directory Server,E-mail Address,E-mail Type,E-mail Display Name,"
    "E-mail 2 Address,E-mail 2 Type,E-mail 2 Display Name,E-mail 3 Address,E-mail 3 Type,"
    "E-mail 3 Display Name,Gender,Government ID Number,Hobby,Home Address PO Box,Initials,"
    "Internet Free Busy,Keywords,Language,Location,Manager's Name,Mileage,Notes,"
    "Office Location,Organizational ID Number,Other Address PO Box,Priority,Private,"
    "Profession,Referred By,Sensitivity,Spouse,User 1,User 2,User 3,User 4,Web Page"
)
# Synthetic: the Outlook.com (outlook.live.com/people) header from OUTLOOK-HEADERS.md.
OUTLOOK_COM = columns(
    "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,"
    "E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,"
    "Business Phone 2,Mobile Phone,Car Phone,Other Phone,Primary Phone,Pager,Business Fax,"
    "Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,Telex,TTY/TDD Phone,IMAddress,"
    "Job Title,Department,Company,Office Location,Manager's Name,Assistant's Name,"
    "Assistant's Phone,Company Yomi,Business Street,Business City,Business State,"
    "Business Postal Code,Business Country/Region,Home Street,Home City,Home State,"
    "Home Postal Code,Home Country/Region,Other Street,Other City,Other State,"
    "Other Postal Code,Other Country/Region,Personal Web Page,Spouse,Schools,Hobby,Location,"
    "Web Page,Birthday,Anniversary,Notes"
)
# Synthetic: the start of Google's "Outlook CSV" header, and its last column.
GOOGLE_OUTLOOK = columns(
    "First Name,Middle Name,Last Name,Title,Suffix,Initials,Web Page,Gender,Birthday,"
    "Anniversary,Location,Language,Internet Free Busy,Notes,E-mail Address,E-mail 2 Address,"
    "E-mail 3 Address,Primary Phone,Home Phone,Home Phone 2,Mobile Phone,Pager,Home Fax,"
    "Home Address,Home Street,Categories"
)


def test_outlook_email_only_row_is_named_after_its_first_address() -> None:
    (person,) = read_fixture("outlook/roundcube_roundcubemail__outlook.csv")
    assert person == Person(
        name="test1@domain.tld",
        where="line 2",
        key="test1@domain.tld",
        emails=["test1@domain.tld", "test2@domain.tld", "test3@domain.tld"],
    )


def test_outlook_desktop_layout_in_cp1252_with_quoted_fields_and_empty_dates() -> None:
    rows = [
        {
            "Title": "Herr",
            "First Name": "Jürgen",
            "Last Name": "Müller",
            "Company": "Müller & Söhne",
            "Job Title": "Geschäftsführer",
            "Business Phone": "+49 30 1234567",
            "Mobile Phone": "+49 170 1234567",
            "Business Fax": "+49 30 7654321",
            "Birthday": "3/22/1980",
            "Anniversary": "0/0/00",
            "Categories": "Business;VIP Clients",
            "E-mail Address": "juergen@mueller.example",
            "E-mail Type": "SMTP",
            "E-mail 2 Address": "/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=jm",
            "E-mail 2 Type": "EX",
            "Notes": "Met at the fair.\r\nPrefers mornings.",
            "Priority": "Normal",
            "Private": "False",
            "Sensitivity": "Normal",
            "Web Page": "http://de.linkedin.com/in/JuergenMueller/",
        },
        {"First Name": "Ann", "Last Name": "Lee", "Birthday": "0/0/00", "Gender": "Unspecified"},
    ]
    data = csv_bytes(OUTLOOK_DESKTOP, rows, encoding="cp1252", quoting=csv.QUOTE_ALL)
    jürgen, ann = read_bytes(csvfiles.read_outlook, data)
    assert jürgen == Person(
        name="Jürgen Müller",
        where="line 2",
        key="juergen@mueller.example",
        emails=["juergen@mueller.example"],
        phones=["+49 170 1234567", "+49 30 1234567"],
        company="Müller & Söhne",
        title="Geschäftsführer",
        tags=["business", "vip-clients"],
        birthday="1980-03-22",
        notes="Met at the fair.\nPrefers mornings.",
        url="https://www.linkedin.com/in/juergenmueller",
    )
    assert ann == Person(name="Ann Lee", where="line 4", key="ann lee|")


def test_outlook_com_layout_reads_month_first_birthdays() -> None:
    row = {
        "First Name": "Ann",
        "Last Name": "Lee",
        "Title": "Dr.",
        "E-mail Address": "ann@example.com",
        "Home Phone": "555-0100",
        "Job Title": "Partner",
        "Company": "Lee & Co",
        "Birthday": "12/12/1975",
    }
    (ann,) = read_bytes(csvfiles.read_outlook, csv_bytes(OUTLOOK_COM, [row]))
    assert isinstance(ann, Person)
    assert (ann.name, ann.title, ann.company) == ("Ann Lee", "Partner", "Lee & Co")
    assert (ann.birthday, ann.phones) == ("1975-12-12", ["555-0100"])


def test_google_outlook_layout_reads_categories_joined_like_labels() -> None:
    row = {
        "First Name": "Ann",
        "Title": "Ms",
        "E-mail Address": "ann@example.com",
        "Birthday": "1975-12-12",
        "Categories": "* myContacts ::: Suppliers",
    }
    (ann,) = read_bytes(csvfiles.read_outlook, csv_bytes(GOOGLE_OUTLOOK, [row]))
    assert isinstance(ann, Person)
    assert (ann.name, ann.tags, ann.birthday, ann.title) == (
        "Ann",
        ["suppliers"],
        "1975-12-12",
        None,
    )


def test_outlook_semicolon_export_of_a_european_locale_is_read() -> None:
    data = "First Name;Last Name;E-mail Address;Birthday\r\nJürgen;Müller;jm@example.com;22.03.1980\r\n"
    (jürgen,) = read_bytes(csvfiles.read_outlook, data.encode("cp1252"))
    assert isinstance(jürgen, Person)
    assert (jürgen.name, jürgen.birthday) == ("Jürgen Müller", "1980-03-22")


# --- generic CSV ---------------------------------------------------------------------


def test_semicolon_csv_is_read_by_the_alias_table() -> None:
    john, jane = read_fixture("csv-other/mozilla_releases-comm-central__csv_semicolon.csv")
    assert john == Person(
        name="John Doe", where="line 2", key="john@doe.invalid", emails=["john@doe.invalid"]
    )
    assert isinstance(jane, Person)
    assert jane.where == "line 3"


def test_shift_jis_csv_keeps_the_japanese_name_and_address() -> None:
    (person,) = read_fixture("csv-other/mozilla_releases-comm-central__shiftjis_addressbook.csv")
    assert person == Person(
        name="名無しの権兵衛",
        where="line 2",
        key="名無しの権兵衛@host.invalid",
        emails=["名無しの権兵衛@host.invalid"],
    )


def test_utf16_csv_is_read() -> None:
    (person,) = read_fixture("csv-other/mozilla_releases-comm-central__utf16_addressbook.csv")
    assert person == Person(
        name="John Doe",
        where="line 2",
        key="johndoe@host.invalid",
        emails=["johndoe@host.invalid"],
    )


def test_thunderbird_export_with_quoted_line_breaks_keeps_fields_and_lines() -> None:
    one, two = read_fixture("csv-other/mozilla_releases-comm-central__export.csv")
    assert isinstance(one, Person)
    assert isinstance(two, Person)
    assert (one.name, one.emails, one.where) == (
        "contact number one",
        ["contact1@invalid"],
        "line 2",
    )
    assert (two.name, two.title, two.where) == ("contact number two", '"worker"', "line 3")
    assert two.notes == "here's some unicode text…"


def test_all_fields_csv_prefers_job_title_and_reads_day_first_dates() -> None:
    (person,) = read_fixture("csv-other/roundcube_roundcubemail__all.csv")
    assert isinstance(person, Person)
    assert person.name == "Display Name"
    assert (person.company, person.title) == ("Company", "Job Title")
    assert person.emails == ["home@example.com", "work@example.com", "other@example.com"]
    assert person.phones == ["100", "200", "300", "400", "500", "600", "900", "444"]
    assert (person.birthday, person.tags, person.notes) == ("1991-01-20", ["test"], "Notes")
    assert person.url == "https://blog"


def test_aliases_ignore_case_spaces_and_punctuation() -> None:
    data = (
        b"FULL_NAME,E-MAIL 1,e.mail 2,Mobile,Tel 2,Organisation,Position,Groups,BDay,Website\n"
        b"Ann Lee,ann@example.com,ANN@example.com,555 0100,(555) 0100,Acme,CFO,"
        b'"Board; VIP",--02-29,https://ann.example\n'
    )
    (ann,) = read_bytes(csvfiles.read_csv, data)
    assert ann == Person(
        name="Ann Lee",
        where="line 2",
        key="ann@example.com",
        emails=["ann@example.com"],
        phones=["555 0100"],
        company="Acme",
        title="CFO",
        tags=["board", "vip"],
        birthday="--02-29",
        url="https://ann.example",
    )


def test_first_and_last_name_make_the_name_when_no_name_column_has_one() -> None:
    data = b"Name,Given Name,Surname,Company\n,Ann,Lee,Acme\n"
    (ann,) = read_bytes(csvfiles.read_csv, data)
    assert isinstance(ann, Person)
    assert (ann.name, ann.key) == ("Ann Lee", "ann lee|acme")


def test_user_mapping_names_columns_the_alias_table_does_not_know() -> None:
    data = b"Contact,Firm,Kontakt,Fax\nAnn Lee,Acme,ann@example.com,555 0199\n"
    mapping = {"Contact": "name", "firm": "Company", "KONTAKT": "e-mail", "Fax": "ignore"}
    (ann,) = read_bytes(csvfiles.read_csv, data, mapping=mapping)
    assert ann == Person(
        name="Ann Lee",
        where="line 2",
        key="ann@example.com",
        emails=["ann@example.com"],
        company="Acme",
    )


def test_user_mapping_overrides_the_alias_table() -> None:
    data = b"Name,Full Name,Title\nann,Ann Lee,Dr\n"
    (ann,) = read_bytes(csvfiles.read_csv, data, mapping={"Full Name": "name", "Title": "ignore"})
    assert isinstance(ann, Person)
    assert (ann.name, ann.title) == ("Ann Lee", None)


def test_user_mapping_to_an_unknown_field_is_refused_at_once() -> None:
    with pytest.raises(UsageError, match="unknown field 'shoe size'"):
        csvfiles.read_csv(io.StringIO(""), source="x.csv", mapping={"Size": "shoe size"})


def test_user_mapping_of_a_column_the_file_lacks_is_refused_when_the_header_is_read() -> None:
    with pytest.raises(
        InvalidInputError, match=r"names 'Full Name', a column test\.csv does not have"
    ):
        read_bytes(csvfiles.read_csv, b"Name\nAnn\n", mapping={"Full Name": "name"})


def test_thunderbird_birth_year_month_and_day_columns_make_a_birthday() -> None:
    data = b"Display Name,Birth Year,Birth Month,Birth Day\nAnn,1980,3,22\nBo,,12,1\nCy,,13,1\n"
    ann, bo, cy = people(read_bytes(csvfiles.read_csv, data))
    assert (ann.birthday, bo.birthday, cy.birthday) == ("1980-03-22", "--12-01", None)


def test_row_with_nothing_usable_is_skipped_with_its_line() -> None:
    data = b"Name,Email,Notes,Tags\nAnn,,,\n,,just a note,vip\n,not-an-email,,\n"
    items = read_bytes(csvfiles.read_csv, data)
    assert [type(item) for item in items] == [Person, Skipped, Skipped]
    assert items[1] == Skipped("line 3", "no name, e-mail, phone or profile URL")
    assert isinstance(items[2], Skipped)
    assert items[2].where == "line 4"


def test_row_without_a_name_is_named_after_email_then_company_then_phone() -> None:
    data = b"Name,Email,Company,Phone\n,ann@example.com,Acme,\n,,Widgets,555 0100\n,,,555 0101\n"
    ann, widgets, phone = people(read_bytes(csvfiles.read_csv, data))
    assert (ann.name, ann.key, ann.company) == ("ann@example.com", "ann@example.com", "Acme")
    assert (widgets.name, widgets.key) == ("Widgets", "widgets|widgets")
    assert (phone.name, phone.phones) == ("555 0101", ["555 0101"])


def test_header_without_any_known_column_is_one_skipped_item() -> None:
    items = read_bytes(csvfiles.read_csv, b"Foo,Bar\n1,2\n3,4\n")
    assert len(items) == 1
    assert isinstance(items[0], Skipped)
    assert items[0].where == "line 1"
    assert "no column" in items[0].reason


def test_empty_rows_are_skipped_silently_and_lines_still_counted() -> None:
    data = b"Name,Email\n\n,\nAnn,ann@example.com\n\n\nBo,bo@example.com"
    ann, bo = read_bytes(csvfiles.read_csv, data)
    assert (ann.where, bo.where) == ("line 4", "line 7")


@pytest.mark.parametrize("ending", [b"\r\n", b"\n", b"\r", b"\r\r\n"])
def test_every_line_ending_gives_the_same_people_on_the_same_lines(ending: bytes) -> None:
    data = ending.join([b"Name,Email", b"Ann,ann@example.com", b'"Bo\r\nBo",bo@example.com', b""])
    items = read_bytes(csvfiles.read_csv, data)
    assert [(item.where, item.name) for item in people(items)] == [
        ("line 2", "Ann"),
        ("line 3", "Bo Bo"),
    ]
    assert len(items) == 2


def test_cr_cr_lf_file_gives_no_spurious_records() -> None:
    data = b"Name;Email\r\r\nAnn;ann@example.com\r\r\nBo;bo@example.com\r\r\n"
    items = read_bytes(csvfiles.read_csv, data)
    assert [(item.where, item.name) for item in people(items)] == [
        ("line 2", "Ann"),
        ("line 3", "Bo"),
    ]
    assert len(items) == 2


def test_tab_separated_utf16_without_bom_is_read() -> None:
    data = "Name\tE-mail\r\nŽofie Nováková\tzofie@example.com\r\n".encode("utf-16-be")
    (zofie,) = read_bytes(csvfiles.read_csv, data)
    assert isinstance(zofie, Person)
    assert zofie.name == "Žofie Nováková"


def test_excel_sep_line_is_not_a_header() -> None:
    (ann,) = read_bytes(csvfiles.read_csv, b"sep=;\r\nName;Email\r\nAnn;a@example.com\r\n")
    assert isinstance(ann, Person)
    assert (ann.name, ann.where) == ("Ann", "line 3")


def test_a_quote_never_closed_refuses_the_file_instead_of_swallowing_rows() -> None:
    rows = "".join(f"Person {n},p{n}@example.com\n" for n in range(50))
    data = b'Name,Email\nAnn,ann@example.com\nBo,"bo@example.com\n' + rows.encode()
    with pytest.raises(ImportFileError, match=r"line 3 opens a quoted cell that is never closed"):
        read_bytes(csvfiles.read_csv, data)


def test_a_cell_over_the_limit_refuses_the_file() -> None:
    data = b'Name,Email\n"' + b"x\n" * 600_000 + b"\nAnn,ann@example.com\n"
    with pytest.raises(ImportFileError, match=r"line 2 has a cell longer than 1,024 KiB"):
        read_bytes(csvfiles.read_csv, data)


def test_a_line_over_the_limit_refuses_the_file_without_splitting_it() -> None:
    long_name = "x" * (1 << 20)
    data = f"Name,Email\nAnn,ann@example.com\n{long_name},long@example.com\n".encode()
    with pytest.raises(ImportFileError, match=r"line 3 is longer than 1,024 KiB"):
        read_bytes(csvfiles.read_csv, data)


def test_control_characters_are_never_read_into_a_contact() -> None:
    data = b'Name,Email,Notes\nAn\x00n\x1b[31m Lee,ann@exa\x07mple.com,"one\x00\nline\ttwo"\n'
    (person,) = read_bytes(csvfiles.read_csv, data)
    assert isinstance(person, Person)
    assert person.name == "Ann[31m Lee"
    assert person.emails == ["ann@example.com"]
    assert person.notes == "one\nline\ttwo"


def test_too_many_cells_refuse_the_file() -> None:
    data = b"Name,Email\nAnn,ann@example.com\n" + b"," * 20_000 + b"\n"
    with pytest.raises(ImportFileError, match=r"line 3 has 20,001 cells"):
        read_bytes(csvfiles.read_csv, data)


def test_readers_stream_rows_without_reading_the_whole_file() -> None:
    body = "".join(f"Person {n},p{n}@example.com\n" for n in range(20_000))
    text = io.StringIO("Name,Email\n" + body, newline="")
    first = next(csvfiles.read_csv(text, source="big.csv"))
    assert isinstance(first, Person)
    assert first.name == "Person 0"
    assert text.tell() < len(body) // 10


# --- birthdays and URLs --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1975-12-12", "1975-12-12"),
        ("19751212", "1975-12-12"),
        ("1975-12-12T00:00:00", "1975-12-12"),
        ("1975/12/12", "1975-12-12"),
        ("--12-01", "--12-01"),
        ("--1201", "--12-01"),
        ("--02-29", "--02-29"),
        ("12/12/1975", "1975-12-12"),
        ("3/22/1980", "1980-03-22"),
        ("03/04/1980", "1980-03-04"),
        ("20/01/1991", "1991-01-20"),
        ("22.03.1980", "1980-03-22"),
        ("3/22/80", "1980-03-22"),
        ("1/2/05", "2005-01-02"),
        ("5 Mar 1980", "1980-03-05"),
        ("March 5, 1980", "1980-03-05"),
        ("1604-03-22", "--03-22"),
        ("0/0/00", None),
        ("00.00.0000", None),
        ("1975-02-30", None),
        ("circa 1800", None),
        ("", None),
        ("13/13/1980", None),
    ],
)
def test_birthday_forms(text: str, expected: str | None) -> None:
    assert csvfiles.birthday(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("04/03/1980", "1980-03-04"),
        ("4-3-1980", "1980-03-04"),
        ("25/12/1975", "1975-12-25"),
        ("3/22/1980", "1980-03-22"),  # the second number cannot be a month: month-first
        ("22.03.1980", "1980-03-22"),
        ("1980/03/04", "1980-03-04"),
        ("04/03/80", "1980-03-04"),
        ("0/0/00", None),
        ("0-0-00", None),
        ("13/13/1980", None),
    ],
)
def test_birthday_day_first_reads_slashed_and_dashed_dates_day_first(
    text: str, expected: str | None
) -> None:
    assert csvfiles.birthday(text, day_first=True) == expected
    if expected is not None and text.startswith("04"):
        assert csvfiles.birthday(text) == "1980-04-03"  # the default stays month-first


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("https://www.linkedin.com/in/Bob-Sample/", "https://www.linkedin.com/in/bob-sample"),
        ("https://www.linkedin.com/in/carol?trk=abc#x", "https://www.linkedin.com/in/carol"),
        ("http://linkedin.com/in/eve", "https://www.linkedin.com/in/eve"),
        ("linkedin.com/in/eve/", "https://www.linkedin.com/in/eve"),
        ("https://de.linkedin.com/in/jürgen", "https://www.linkedin.com/in/jürgen"),
        (" https://ann.example/About ", "https://ann.example/About"),
        ("https://www.linkedin.com/in/", None),
        ("", None),
    ],
)
def test_linkedin_url_forms(text: str, expected: str | None) -> None:
    assert csvfiles.linkedin_url(text) == expected


# --- any bytes -----------------------------------------------------------------------

CSV_PIECES = st.sampled_from(
    [
        *(b",", b";", b"\t", b'"', b"\r", b"\n", b"\r\r\n", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf"),
        *(b"Name", b"E-mail", b"Phone 1 - Value", b"Labels", b"Birthday", b"First Name"),
        *(b"Last Name", b"URL", b"Notes:", b"ann@example.com", b"--02-30", b"0/0/00"),
        *(b" ::: ", b"* myContacts", b"https://linkedin.com/in/x?y", b"sep=;"),
        *("é".encode(), "権".encode("shift_jis")),
    ]
)
ANY_BYTES = st.one_of(st.binary(max_size=600), st.lists(CSV_PIECES, max_size=60).map(b"".join))


@settings(max_examples=150, deadline=None)
@given(ANY_BYTES)
def test_any_bytes_through_open_text_and_read_csv_give_items_or_nothing(data: bytes) -> None:
    """Items, or a refusal of the whole file (a limit, a quote never closed) in one line."""
    try:
        items = read_bytes(csvfiles.read_csv, data)
    except ImportFileError as err:
        refusal = str(err)
        items = []
    else:
        refusal = "line (none)"
    assert refusal.startswith("line ")
    assert "\n" not in refusal
    assert all(isinstance(item, Person | Skipped) for item in items)
    for item in people(items):
        assert item.name
        assert item.key
        assert item.where.startswith("line ")


@settings(max_examples=60, deadline=None)
@given(
    ANY_BYTES,
    st.sampled_from([csvfiles.read_linkedin, csvfiles.read_google, csvfiles.read_outlook]),
)
def test_any_bytes_through_the_named_readers_give_items_or_nothing(
    data: bytes, reader: Callable[..., Iterator[Item]]
) -> None:
    try:
        items = read_bytes(reader, data)
    except ImportFileError as err:  # a refusal of the whole file, in one line
        refusal = str(err)
        items = []
    else:
        refusal = "line (none)"
    assert refusal.startswith("line ")
    assert all(isinstance(item, Person | Skipped) for item in items)


def test_a_text_stream_is_all_a_reader_needs() -> None:
    text: TextIO = io.StringIO("Name,Email\r\nAnn,ann@example.com\r\n", newline="")
    assert [item.name for item in people(list(csvfiles.read_csv(text, source="x")))] == ["Ann"]


def test_a_closed_quoted_cell_ending_in_a_line_break_at_the_end_is_kept() -> None:
    (person,) = read_bytes(csvfiles.read_csv, b'Name,Notes\nAnn,"two\nlines\n"')
    assert isinstance(person, Person)
    assert person.notes == "two\nlines"
