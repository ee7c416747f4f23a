"""vCard import and export: real-world fixtures, broken cards, and round trips that stay safe."""

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcli.domain.formats import vcard
from relcli.domain.formats.records import Item, Person, Skipped
from relcli.errors import ImportFileError

FIXTURES = Path(__file__).parents[2] / "data" / "fixtures" / "vcards"

# Every fixture: (people, skipped). A new fixture must be added here.
EXPECTED: dict[str, tuple[int, int]] = {
    "CyanogenMod_android_frameworks_opt_vcard__v21_adr_multiple_line.vcf": (1, 0),
    "CyanogenMod_android_frameworks_opt_vcard__v21_backslash.vcf": (1, 0),
    "CyanogenMod_android_frameworks_opt_vcard__v21_invalid_comment_line.vcf": (1, 0),
    "CyanogenMod_android_frameworks_opt_vcard__v21_japanese_2.vcf": (1, 0),
    "CyanogenMod_android_frameworks_opt_vcard__v21_malformed_photo.vcf": (1, 0),
    "CyanogenMod_android_frameworks_opt_vcard__v21_nest.vcf": (3, 0),  # parent + 2 nested
    "CyanogenMod_android_frameworks_opt_vcard__v30_ios_613_multiline.vcf": (1, 0),
    "CyanogenMod_android_frameworks_opt_vcard__v40_sort_as.vcf": (1, 0),
    "lucc_khard__tel-value-uri.vcf": (1, 0),
    "lucc_khard__text-bday.vcf": (1, 0),
    "lucc_khard__unparsable.vcf": (1, 0),  # no END:VCARD, but it has a name
    "mangstadt_ez-vcard__John_Doe_ANDROID.vcf": (6, 0),
    "mangstadt_ez-vcard__John_Doe_EVOLUTION.vcf": (1, 0),
    "mangstadt_ez-vcard__John_Doe_IPHONE.vcf": (1, 0),
    "mangstadt_ez-vcard__John_Doe_MS_OUTLOOK.vcf": (1, 0),
    "mangstadt_ez-vcard__gmail-list.vcf": (3, 0),
    "mangstadt_ez-vcard__gmail-single.vcf": (1, 0),
    "mangstadt_ez-vcard__issue114.vcf": (1, 0),
    "mangstadt_ez-vcard__outlook-2003.vcf": (1, 0),
    "mangstadt_ez-vcard__rfc2426-example.vcf": (2, 0),
    "mangstadt_ez-vcard__rfc6350-example.vcf": (1, 0),
    "mangstadt_ez-vcard__thunderbird-MoreFunctionsForAddressBook-extension.vcf": (1, 0),
    "mozilla_releases-comm-central__emptylines_vcard_addressbook.vcf": (2, 0),
    "mozilla_releases-comm-central__export.142d905-legacy21.vcf": (2, 0),
    "mozilla_releases-comm-central__export.vcf": (2, 0),
    "mozilla_releases-comm-central__v3-binary-jpeg.vcf": (1, 0),
    "mozilla_releases-comm-central__v4-uri-png.vcf": (1, 0),
    "py-vobject_vobject__photo-test.vcf": (1, 0),
    "py-vobject_vobject__vcard40_full.vcf": (1, 0),
    "py-vobject_vobject__vcard40_group.vcf": (0, 1),  # KIND:group
    "py-vobject_vobject__vcard40_multilang.vcf": (1, 0),
    "roundcube_roundcubemail__apple.vcf": (1, 0),
    "roundcube_roundcubemail__johndoe.vcf": (1, 0),
    "roundcube_roundcubemail__thebat.vcf": (1, 0),
    "roundcube_roundcubemail__utf-16_sample.vcf": (1, 0),
}


def read(data: bytes | str) -> list[Item]:
    return list(vcard.read(data, source="test.vcf"))


def read_fixture(suffix: str) -> list[Item]:
    [path] = [p for p in FIXTURES.glob("*.vcf") if p.name.endswith(suffix)]
    return read(path.read_bytes())


def people(suffix: str) -> list[Person]:
    return [item for item in read_fixture(suffix) if isinstance(item, Person)]


def only(suffix: str) -> Person:
    [person] = people(suffix)
    return person


def card(*lines: str) -> bytes:
    text = "".join(f"{line}\r\n" for line in ("BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"))
    return text.encode()


def one(data: bytes | str) -> Person:
    [item] = read(data)
    assert isinstance(item, Person), item
    return item


# --- the fixtures ---------------------------------------------------------------------------


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in FIXTURES.glob("*.vcf")) == sorted(EXPECTED)


@pytest.mark.parametrize(("name", "counts"), sorted(EXPECTED.items()))
def test_fixture_reads_into_the_expected_people(name: str, counts: tuple[int, int]) -> None:
    items = read((FIXTURES / name).read_bytes())
    found = [i for i in items if isinstance(i, Person)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert (len(found), len(skipped)) == counts
    for number, item in enumerate(items, start=1):
        assert re.fullmatch(rf"card {number} \(line \d+\)", item.where)
    for person in found:
        assert person.name
        assert person.key
        fields = [person.company, person.title, person.birthday, person.notes, person.url]
        assert "" not in [*fields, *person.emails, *person.phones, *person.tags]


def test_non_ascii_names_survive_every_encoding() -> None:
    assert only("johndoe.vcf").name == "John Doë"  # raw windows-1252 byte, CHARSET=windows-1252
    assert only("v21_japanese_2.vcf").name == "安藤 ロイド 1"  # raw Shift_JIS bytes
    assert only("utf-16_sample.vcf").name == "Ǽgean ĽdaMonté"  # UTF-16BE without a BOM
    assert only("v40_sort_as.vcf").name == "安藤 ロイド"  # UTF-8, vCard 4.0
    assert only("v40_sort_as.vcf").company == "グーグル"
    android = people("John_Doe_ANDROID.vcf")
    assert android[2].name == "Ñ Ñ Ñ Ñ Ñ"  # quoted-printable with CHARSET=UTF-8
    assert android[4].company == "Ñ" * 12  # quoted-printable soft line breaks


def test_quoted_printable_in_shift_jis_and_without_a_charset() -> None:
    assert only("v21_japanese_2.vcf").notes == "メモ"
    # The Bat! gives no CHARSET: the bytes are not UTF-8, so cp1252 is the guess (F1 = ñ).
    assert only("thebat.vcf").name == "Piotr Iksiñski"
    first, second = people("export.142d905-legacy21.vcf")  # bare 'quoted-printable', UTF-8
    assert (first.name, second.name) == ("contact number one", "contact number two")
    assert second.notes == "here's some unicode text…"


def test_multilingual_names_take_the_first_alternate() -> None:
    person = only("vcard40_multilang.vcf")
    assert person.name == "Yamada Taro"
    assert person.key == "urn:uuid:multilang-vcard-example"


def test_iphone_card_with_cr_cr_lf_and_groups() -> None:
    person = only("John_Doe_IPHONE.vcf")
    assert person.name == "Mr. John Richter James Doe Sr."
    assert person.emails == ["john.doe@ibm.com"]
    assert person.phones[:2] == ["905-555-1234", "905-666-1234"]
    assert len(person.phones) == 7  # the itemN. assistant phone too
    assert (person.company, person.title) == ("IBM", "Money Counter")
    assert person.url == "http://www.ibm.com"  # http\://
    assert person.birthday == "2012-06-06"
    assert person.key == "john.doe@ibm.com"


def test_ios_card_with_a_trailing_empty_org_component() -> None:
    person = only("v30_ios_613_multiline.vcf")
    assert (person.name, person.company) == ("Bob Smith", "Smith Auto Repair")
    assert person.emails == ["bob@smithauto.com"]
    assert person.phones == ["(650) 555-1212"]
    assert person.url == "www.smithauto.com"


def test_evolution_card_with_folding_and_escapes() -> None:
    person = only("John_Doe_EVOLUTION.vcf")
    assert person.name == "Mr. John Richter, James Doe Sr."
    assert person.emails == ["john.doe@ibm.com"]  # folded mid-address
    assert person.phones == ["905-666-1234", "905-555-1234"]
    assert (person.company, person.title) == ("IBM", "Money Counter")
    assert person.tags == ["vip"]
    assert person.birthday == "1980-03-22"
    assert person.notes is not None
    assert person.notes.startswith("THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRI")
    assert "WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE" in person.notes
    assert person.key == "477343c8e6bf375a9bac1f96a5000837"


def test_outlook_cards() -> None:
    outlook = only("John_Doe_MS_OUTLOOK.vcf")
    assert outlook.birthday == "1980-03-22"  # 19800322
    assert outlook.emails == ["john.doe@ibm.cm"]
    assert outlook.phones == ["(905) 555-1234", "(905) 666-1234"]
    assert outlook.notes is not None
    assert len(outlook.notes) > 600
    old = only("outlook-2003.vcf")
    assert (old.name, old.company, old.title) == ("John Doe III", "Company, The", "The Job Title")
    assert old.notes == "This is the note field!!\nSecond line\n\nThird line is empty"
    assert old.phones == []  # "BusinessPhone" and the like are placeholders, not numbers
    assert old.birthday == "1980-03-21"


def test_rfc_examples() -> None:
    frank, tim = people("rfc2426-example.vcf")
    assert frank.emails == ["Frank_Dawson@Lotus.com", "fdawson@earthlink.net"]
    assert frank.key == "frank_dawson@lotus.com"
    assert tim.company == "Netscape Communications Corp."
    simon = only("rfc6350-example.vcf")
    assert simon.birthday == "--02-03"  # BDAY:--0203
    assert simon.phones == ["+1-418-656-9254 ext 102", "+1-418-262-6501"]  # tel: URIs
    assert simon.company == "Viagenie"
    assert simon.url == "http://nomis80.org"


def test_vcard40_kitchen_sink() -> None:
    person = only("vcard40_full.vcf")
    assert person.name == "Dr. John Q. Public, III"
    assert person.emails == ["johnny@personal.example.org", "john.public@example.com"]  # PREF=1
    assert person.phones == ["+1-555-555-5555", "+1-555-123-4567"]
    assert (person.company, person.title) == ("Example Corp.", "CEO")
    assert person.tags == ["business", "networking"]
    assert person.birthday == "1985-04-15"
    assert person.notes == "This is a note about John.\nHe likes vCards."
    assert person.url == "http://www.example.com/~jqpublic"


def test_categories_with_escaped_commas_are_separate_tags() -> None:
    person = only("thunderbird-MoreFunctionsForAddressBook-extension.vcf")
    assert person.tags == ["category1", "category2", "category3"]
    assert person.emails[0] == "doe.john@hotmail.com"
    assert person.notes is not None
    assert '"note" field; even curse words.' in person.notes
    assert people("John_Doe_ANDROID.vcf")[0].tags == ["my-contacts"]


def test_cards_without_a_name_fall_back_to_company_or_email() -> None:
    apple = only("apple.vcf")  # N:;;;; and X-ABShowAs:COMPANY
    assert (apple.name, apple.company, apple.url) == (
        "Apple Computer AG",
        "Apple Computer AG",
        "http://www.apple.ch",
    )
    assert apple.key == "apple computer ag"
    first = people("John_Doe_ANDROID.vcf")[0]  # EMAIL and CATEGORIES only
    assert (first.name, first.emails) == ("john.doe@company.com", ["john.doe@company.com"])


def test_thunderbird_exports() -> None:
    one_, two = people("mozilla_releases-comm-central__export.vcf")
    assert one_.key == "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
    assert (two.title, two.notes) == ('"worker"', "here's some unicode text…")
    jane = people("emptylines_vcard_addressbook.vcf")[1]
    assert (jane.name, jane.where) == ("Jane Doe", "card 2 (line 11)")


def test_malformed_cards_still_give_their_person() -> None:
    assert only("v21_malformed_photo.vcf").name == "fullname"
    assert only("photo-test.vcf").phones == ["+49123456789"]
    assert only("v3-binary-jpeg.vcf").name == "Binary JPEG"
    assert only("v4-uri-png.vcf").name == "URI PNG, version 4.0"
    adr = only("v21_adr_multiple_line.vcf")  # an ADR continued after backslashes
    assert (adr.name, adr.url, adr.birthday) == ("bogus", "http://bogus.com/", "2008-12-03")
    comment = only("v21_invalid_comment_line.vcf")  # '#' lines, one inside quoted-printable
    assert comment.name == "Conference Call"
    assert (
        comment.notes == "This is an (sharp ->#<- sharp) example. This message must NOT be ignored."
    )
    assert only("v21_backslash.vcf").name == "A;B\\C;D:E\\"
    assert only("tel-value-uri.vcf").phones == ["67545678"]
    assert only("issue114.vcf").name == "Dummy, Dummy"


def test_a_text_birthday_is_dropped() -> None:
    person = only("text-bday.vcf")
    assert (person.name, person.birthday) == ("text birthday", None)


def test_nested_cards_are_read_as_cards_of_their_own() -> None:
    parent, nest1, nest2 = people("v21_nest.vcf")
    assert (parent.name, parent.phones, parent.where) == ("parent", ["1"], "card 1 (line 1)")
    assert (nest1.name, nest1.where) == ("nest1", "card 2 (line 4)")
    assert (nest2.name, nest2.where) == ("nest2", "card 3 (line 8)")


def test_a_truncated_card_with_a_name_is_read() -> None:
    assert only("unparsable.vcf").name == "second contact with minimal Vcard"


def test_a_contact_group_is_skipped() -> None:
    [item] = read_fixture("vcard40_group.vcf")
    assert item == Skipped("card 1 (line 1)", "a contact group, not a person")
    [apple] = read(card("FN:Team", "X-ADDRESSBOOKSERVER-KIND:group"))
    assert isinstance(apple, Skipped)


# --- broken files, built here ---------------------------------------------------------------


def test_a_card_vobject_cannot_parse_is_skipped_with_its_line_and_the_rest_is_read() -> None:
    data = (
        card("FN:Ada Lovelace", "EMAIL:ada@example.com")
        + card("FN:Broken", "this line is not a property")
        + card("FN:Grace Hopper")
    )
    ada, broken, grace = read(data)
    assert isinstance(ada, Person)
    assert ada.name == "Ada Lovelace"
    assert isinstance(broken, Skipped)
    assert broken.where == "card 2 (line 6)"
    assert "line 9" in broken.reason
    assert "this line is not a property" in broken.reason
    assert isinstance(grace, Person)
    assert (grace.name, grace.where) == ("Grace Hopper", "card 3 (line 11)")


def test_an_unclosed_inner_component_skips_only_its_card() -> None:
    data = card("FN:Inner", "BEGIN:VCALENDAR", "FN:x") + card("FN:After")
    skipped, after = read(data)
    assert isinstance(skipped, Skipped)
    assert "VCALENDAR" in skipped.reason
    assert "line 6" in skipped.reason  # where the card ends with it still open
    assert isinstance(after, Person)
    assert after.name == "After"


def test_a_truncated_card_without_a_name_is_skipped() -> None:
    data = card("FN:Whole") + b"BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:555 0100\r\n"
    whole, cut = read(data)
    assert isinstance(whole, Person)
    assert isinstance(cut, Skipped)
    assert cut.where == "card 2 (line 5)"
    assert "END:VCARD" in cut.reason


def test_a_card_whose_end_was_lost_does_not_hide_the_next_one() -> None:
    data = b"BEGIN:VCARD\r\nFN:Lost End\r\n" + card("FN:Next")
    assert [i.name for i in read(data) if isinstance(i, Person)] == ["Lost End", "Next"]


def test_empty_cards_and_files_without_cards() -> None:
    assert read(b"") == []
    [item] = read(b"name,email\r\nAda,ada@example.com\r\n")
    assert isinstance(item, Skipped)
    assert "no BEGIN:VCARD" in item.reason
    [empty] = read(b"BEGIN:VCARD\r\nEND:VCARD\r\n")
    assert isinstance(empty, Skipped)
    [nameless] = read(card("TEL:555 0100"))
    assert nameless == Skipped("card 1 (line 1)", "the card has no name, company or email")


def test_per_property_charsets_and_line_endings() -> None:
    data = (
        b"begin:vcard\rversion:2.1\rN;CHARSET=windows-1252:M\xfcller;J\xfcrgen\r"
        b"ORG;CHARSET=SHIFT_JIS:\x83\x5c\x83\x6e\r"  # ソハ: a trail byte that is a backslash
        b"TITLE:Gesch\xc3\xa4ftsf\xc3\xbchrer\rNOTE:caf\xe9\rend:vcard\r"
    )
    person = one(data)
    assert person.name == "Jürgen Müller"
    assert person.company == "ソハ"
    assert person.title == "Geschäftsführer"  # no CHARSET: UTF-8
    assert person.notes == "café"  # not UTF-8: cp1252


def test_utf16_with_a_bom_and_text_input() -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ångström\r\nEND:VCARD\r\n"
    assert one(text.encode("utf-16")).name == "Zoë Ångström"
    assert one(text.encode("utf-16-le")).name == "Zoë Ångström"
    assert one(b"\xef\xbb\xbf" + text.encode()).name == "Zoë Ångström"
    assert one(text).name == "Zoë Ångström"


@pytest.mark.parametrize(
    ("line", "birthday"),
    [
        ("BDAY:--0203", "--02-03"),
        ("BDAY:--02-03", "--02-03"),
        ("BDAY:--0229", "--02-29"),
        ("BDAY:19800322", "1980-03-22"),
        ("BDAY:1980-03-22", "1980-03-22"),
        ("BDAY;VALUE=date:1980-03-22T00:00:00Z", "1980-03-22"),
        ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-15", "--03-15"),
        ("BDAY;X-APPLE-OMIT-YEAR=1604:1980-03-15", "1980-03-15"),
        ("BDAY;VALUE=text:circa 1800", None),
        ("BDAY:circa 1800", None),
        ("BDAY:1980-02-30", None),
        ("BDAY:", None),
    ],
)
def test_birthdays(line: str, birthday: str | None) -> None:
    assert one(card("FN:Ada", line)).birthday == birthday


def test_names_fall_back_from_fn_to_n_to_org_to_email() -> None:
    assert one(card("N:Lovelace;Ada;King;Lady;", "FN:Ada Lovelace")).name == "Ada Lovelace"
    assert one(card("N:Lovelace;Ada;King,Byron;Lady;")).name == "Lady Ada King Byron Lovelace"
    assert one(card("N:;;;;", "ORG:Acme\\, Inc.;Sales")).name == "Acme, Inc."
    assert one(card("EMAIL:ada@example.com")).name == "ada@example.com"
    company = one(card("FN:Ada Lovelace", "ORG:Acme", "X-ABShowAs:COMPANY"))
    assert (company.name, company.company) == ("Acme", "Acme")


def test_emails_and_phones_put_the_preferred_first() -> None:
    person = one(
        card(
            "FN:Ada",
            "EMAIL:work@example.com",
            "EMAIL;TYPE=INTERNET,PREF:home@example.com",
            "EMAIL:mailto:third@example.com",
            "EMAIL:Work@Example.com",
            "EMAIL:not an address",
            "TEL:+1 555 0100",
            "TEL;TYPE=pref:+1 555 0199",
            "TEL;VALUE=uri:tel:+1-555-0123",
        )
    )
    assert person.emails == ["home@example.com", "work@example.com", "third@example.com"]
    assert person.phones == ["+1 555 0199", "+1 555 0100", "+1-555-0123"]
    four = one(
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada\r\nEMAIL;PREF=2:b@example.com\r\n"
        b"EMAIL:c@example.com\r\nEMAIL;PREF=1:a@example.com\r\nEND:VCARD\r\n"
    )
    assert four.emails == ["a@example.com", "b@example.com", "c@example.com"]


def test_keys_prefer_uid_then_email_then_name_and_company() -> None:
    assert one(card("FN:Ada", "UID:abc-1", "EMAIL:Ada@Example.com")).key == "abc-1"
    assert one(card("FN:Ada", "EMAIL:Ada@Example.com")).key == "ada@example.com"
    assert one(card("FN:José Núñez", "ORG:Açme")).key == "jose nunez|acme"
    assert one(card("FN:José Núñez")).key == "jose nunez"


def test_values_are_unescaped_and_cleaned() -> None:
    person = one(
        card(
            "FN:Ada\\, Countess\\; of Lovelace",
            "TITLE:  Chief \x07 Analyst  ",
            "URL:https\\://example.com/a\\,b",
            "CATEGORIES:Key Account,VIP\\, Board,,  ",
            "CATEGORIES:vip",
            "NOTE:first\\nline",
            "NOTE:second\\Nnote\\\\done",
        )
    )
    assert person.name == "Ada, Countess; of Lovelace"
    assert person.title == "Chief Analyst"
    assert person.url == "https://example.com/a,b"
    assert person.tags == ["key-account", "vip", "board"]
    assert person.notes == "first\nline\n\nsecond\nnote\\done"


def test_photos_and_keys_are_dropped_even_when_broken() -> None:
    person = one(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Jane\r\nPHOTO;ENCODING=BASE64;JPEG:\r\n"
        b"/9j/4AAQSkZJRgAB\r\nAAAA*** not base64\r\nZZZZ==\r\n\r\nKEY;X509;ENCODING=BASE64:MIIB\r\n"
        b"PROFILE:VCARD\r\nTEL:555 0100\r\nEND:VCARD\r\n"
    )
    assert (person.name, person.phones) == ("Jane Doe", ["555 0100"])


# --- writing --------------------------------------------------------------------------------

ADA: dict[str, Any] = {
    "id": 7,
    "name": "Ada Lovelace",
    "emails": ["ada@example.com", "countess@example.org"],
    "phones": ["+44 20 7946 0000"],
    "company": "Analytical Engines, Ltd; R&D",
    "title": "Analyst",
    "tags": ["vip", "key-account"],
    "birthday": "1815-12-10",
    "notes": "Met at the Royal Society.\nFollow up on the engine.",
    "url": "https://example.com/ada",
}


def written(people: list[dict[str, Any]]) -> str:
    return "".join(vcard.write(people))


def parsed(text: str) -> list[Any]:
    return list(vobject.readComponents(text))


def assert_well_formed(text: str) -> None:
    data = text.encode("utf-8")
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    for line in lines:
        assert b"\r" not in line
        assert b"\n" not in line
        assert len(line) <= 75, line
        line.decode("utf-8")  # no fold splits a character
        assert line.strip(), "no folded line is blank"
    starts = [line for line in lines if not line.startswith(b" ")]
    allowed = {"BEGIN", "END", "VERSION", "PRODID", "UID", "FN", "N", "EMAIL", "TEL", "ORG"}
    allowed |= {"TITLE", "CATEGORIES", "BDAY", "URL", "NOTE"}
    for line in starts:
        assert re.match(rb"[A-Z]+", line)
        name = re.split(rb"[;:]", line)[0].decode()
        assert name in allowed, line


def test_write_gives_a_vcard_3_card() -> None:
    text = written([ADA])
    assert text == (
        "BEGIN:VCARD\r\n"
        "VERSION:3.0\r\n"
        "PRODID:-//relcli//relcli//EN\r\n"
        "UID:relcli-contact-7\r\n"
        "FN:Ada Lovelace\r\n"
        "N:Lovelace;Ada;;;\r\n"
        "EMAIL;TYPE=INTERNET:ada@example.com\r\n"
        "EMAIL;TYPE=INTERNET:countess@example.org\r\n"
        "TEL:+44 20 7946 0000\r\n"
        "ORG:Analytical Engines\\, Ltd\\; R&D\r\n"
        "TITLE:Analyst\r\n"
        "CATEGORIES:vip,key-account\r\n"
        "BDAY:1815-12-10\r\n"
        "URL:https://example.com/ada\r\n"
        "NOTE:Met at the Royal Society.\\nFollow up on the engine.\r\n"
        "END:VCARD\r\n"
    )
    assert_well_formed(text)


def test_write_leaves_out_what_is_missing() -> None:
    text = written([{"id": 3, "name": "Cher", "emails": [], "birthday": "--05-20"}])
    assert text == (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//relcli//relcli//EN\r\nUID:relcli-contact-3\r\n"
        "FN:Cher\r\nN:;Cher;;;\r\nBDAY:--05-20\r\nEND:VCARD\r\n"
    )
    assert "BDAY" not in written([{"name": "X", "birthday": "1980-02-30"}])
    assert "BDAY:1980-02-01" in written([{"name": "X", "birthday": date(1980, 2, 1)}])
    assert "FN:ada@example.com" in written([{"id": 1, "emails": ["ada@example.com"]}])


def test_write_then_vobject_reads_back_the_same_people() -> None:
    people = [
        ADA,
        {"id": 8, "name": "José Núñez", "emails": ["jose@example.es"], "company": "Señor Café"},
        {"id": 9, "name": "山田 太郎", "phones": ["+81 3-1234-5678"], "company": "株式会社テスト"},
        {"id": 10, "name": "Zoë 👩🏽‍💻 Ångström", "notes": "é" * 300 + "\n" + "日本語" * 80},
    ]
    text = written(people)
    assert_well_formed(text)
    cards = parsed(text)
    assert [c.fn.value for c in cards] == [p["name"] for p in people]
    assert [[e.value for e in c.contents.get("email", [])] for c in cards] == [
        p.get("emails", []) for p in people
    ]
    assert [[t.value for t in c.contents.get("tel", [])] for c in cards] == [
        p.get("phones", []) for p in people
    ]
    assert [c.org.value[0] if "org" in c.contents else None for c in cards] == [
        p.get("company") for p in people
    ]
    assert cards[3].note.value == people[3]["notes"]


def test_write_then_read_gives_back_every_field() -> None:
    [person] = read(written([ADA]).encode("utf-8"))
    assert person == Person(
        name="Ada Lovelace",
        where="card 1 (line 1)",
        key="relcli-contact-7",
        emails=ADA["emails"],
        phones=ADA["phones"],
        company=ADA["company"],
        title="Analyst",
        tags=["vip", "key-account"],
        birthday="1815-12-10",
        notes=ADA["notes"],
        url="https://example.com/ada",
    )


def test_long_lines_fold_at_75_octets_without_splitting_characters() -> None:
    notes = "ñ" * 100 + " " + "\\" * 60 + "€" * 70 + "𝄞" * 40
    text = written([{"id": 1, "name": "Long", "notes": notes}])
    assert_well_formed(text)
    note = next(line for line in text.split("\r\n") if line.startswith("NOTE"))
    assert len(note.encode()) in (74, 75)
    unfolded = text.replace("\r\n ", "")
    assert ("NOTE:" + notes.replace("\\", "\\\\") + "\r\n") in unfolded
    assert parsed(text)[0].note.value == notes


HOSTILE = "x\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Mallory\nEMAIL:evil@example.com\rTEL:1;,:\\ end"


def test_stored_line_breaks_cannot_inject_properties_or_cards() -> None:
    people = [
        {"id": 1, "name": HOSTILE, "notes": HOSTILE, "company": HOSTILE, "title": HOSTILE},
        {"id": 2, "name": "Next\x00\x1b[31m\u2028Person\x85", "tags": ["a,b", "c;d"]},
    ]
    text = written(people)
    assert_well_formed(text)
    assert len(re.findall(r"^BEGIN:VCARD\r$", text, re.MULTILINE)) == 2
    assert len(re.findall(r"^END:VCARD\r$", text, re.MULTILINE)) == 2
    first, second = parsed(text)
    assert "email" not in first.contents
    assert "tel" not in first.contents
    assert len(first.contents["fn"]) == 1
    expected = HOSTILE.replace("\r\n", "\n").replace("\r", "\n")
    assert first.note.value == expected
    assert first.fn.value == expected
    assert first.org.value == [expected]
    assert second.fn.value == "Next[31m\nPerson"
    [again, _] = read(text.encode())
    assert isinstance(again, Person)
    assert again.emails == []
    assert again.phones == []


# --- properties -----------------------------------------------------------------------------

FRAGMENTS = [
    b"BEGIN:VCARD", b"END:VCARD", b"begin:vcard", b"VERSION:2.1", b"VERSION:4.0", b"N:a;b",
    b"FN:x,y\\", b"EMAIL;PREF:a@b", b"NOTE;ENCODING=QUOTED-PRINTABLE:ab=", b"=C3=", b"=80",
    b" folded", b"\t", b"# comment", b"TEL;VALUE=uri:tel:1;ext=", b"BDAY:--0229", b"KIND:group",
    b"BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-30", b"PHOTO;BASE64:", b"AAAA", b"BEGIN:FOO",
    b"END:BAR", b"N;CHARSET=x-unknown:\xe9", b"N;CHARSET=utf-16:\x00a", b"", b"\x00", b":",
    b";;;", b'"', b'ORG;"a:b":c', b"CATEGORIES:a\\,b,,c", b"a.b.c:d", b"UID:", b"\xef\xbb\xbf",
    b"PROFILE:VCARD", b"N;ENCODING=QUOTED-PRINTABLE;ENCODING=utf-8:=41", b"BEGIN:",
    b"X;ENCODING=B:***", b"\xff\xfe",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_read_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    for item in vcard.read(data, source="random.vcf"):
        assert isinstance(item, Person | Skipped)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=6), max_size=16),
    st.sampled_from([b"\r\n", b"\n", b"\r", b"\r\r\n"]),
    st.booleans(),
)
def test_read_never_raises_on_card_like_bytes(parts: list[bytes], end: bytes, wide: bool) -> None:
    data = end.join(parts)
    if wide:
        data = data.decode("latin-1").encode("utf-16-be")
    for item in vcard.read(data, source="cards.vcf"):
        if isinstance(item, Person):
            assert item.name
            assert item.key


TEXT = st.text(max_size=120)
PLAIN = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=120
).filter(lambda s: s.strip() and " " * 65 not in s)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries({"name": TEXT, "notes": TEXT, "company": TEXT}), max_size=4))
def test_write_is_well_formed_for_any_text(people: list[dict[str, Any]]) -> None:
    text = written(people)
    if people:
        assert_well_formed(text)
    assert len(parsed(text)) == len(people)


@settings(max_examples=150, deadline=None)
@given(PLAIN, PLAIN, st.lists(PLAIN, max_size=3))
def test_write_round_trips_plain_text(name: str, company: str, notes: list[str]) -> None:
    note = "\n".join(notes)
    [found] = parsed(written([{"id": 1, "name": name, "company": company, "notes": note}]))
    assert found.fn.value == name.strip()
    assert found.org.value == [company.strip()]
    if note.strip():
        assert found.note.value == note.strip()


def test_cards_are_read_from_a_stream_one_at_a_time() -> None:
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person %d\r\nEND:VCARD\r\n"
    data = b"".join(card % n for n in range(50_000))
    stream = io.BytesIO(data)
    first = next(vcard.read_stream(stream, source="big.vcf"))
    assert isinstance(first, Person)
    assert first.name == "Person 0"
    assert stream.tell() < len(data) // 10


def test_a_line_or_a_card_over_the_limit_refuses_the_file() -> None:
    long_line = (
        b"BEGIN:VCARD\r\nFN:Ann\r\nNOTE:" + b"x" * (vcard.LINE_LIMIT + 1) + b"\r\nEND:VCARD\r\n"
    )
    with pytest.raises(ImportFileError, match=r"line 3 is longer than 8 MiB"):
        list(vcard.read_stream(io.BytesIO(long_line), source="x.vcf"))
    folded = b"\r\n ".join([b"x" * 1000] * (vcard.CARD_LIMIT // 1000 + 10))
    big_card = b"BEGIN:VCARD\r\nFN:Ann\r\nNOTE:" + folded + b"\r\nEND:VCARD\r\n"
    with pytest.raises(ImportFileError, match=r"the card at line 1 is larger than 32 MiB"):
        list(vcard.read_stream(io.BytesIO(big_card), source="x.vcf"))


def test_a_utf16_stream_is_decoded_across_chunks() -> None:
    text = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë {n}\r\nEND:VCARD\r\n" for n in range(40_000)
    )
    people = list(vcard.read_stream(io.BytesIO(text.encode("utf-16")), source="u.vcf"))
    assert len(people) == 40_000
    assert [p.name for p in people[:2] if isinstance(p, Person)] == ["Zoë 0", "Zoë 1"]
    assert isinstance(people[-1], Person)
    assert people[-1].name == "Zoë 39999"
