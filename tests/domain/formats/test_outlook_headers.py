"""Outlook's column names per language: every name is read as the English column it
translates, and the names that mean different things in different places are the known ones.

Headers are matched ignoring case, spaces and punctuation, as ``folded`` does here.
"""

import csv
import io

import pytest

from relcli.domain.formats import csvfiles, outlook_headers, sniff
from relcli.domain.formats.records import Person
from tests.domain.formats.test_csvfiles import (
    GOOGLE_OUTLOOK,
    OUTLOOK_COM,
    OUTLOOK_DESKTOP,
)

LANGUAGES = {language.code: language for language in outlook_headers.LANGUAGES}
PHONES = (  # the English reader's order, best first
    "Primary Phone", "Mobile Phone", "Business Phone", "Business Phone 2", "Home Phone",
    "Home Phone 2", "Other Phone", "Car Phone", "Company Main Phone", "Callback", "Radio Phone",
    "ISDN", "TTY/TDD Phone", "Pager",
)  # fmt: skip
READ = {"First Name", "Middle Name", "Last Name", "Suffix", "Company", "Job Title",
        "E-mail Address", "E-mail 2 Address", "E-mail 3 Address", *PHONES, "Birthday",
        "Categories", "Notes", "Web Page", "Anniversary"}  # fmt: skip
VALUES = {
    "Title": "Dr.", "First Name": "Ann", "Middle Name": "Bea", "Last Name": "Lee",
    "Suffix": "Jr.", "Company": "Lee & Co", "Job Title": "Partner",
    **{phone: f"+1 555 01{number:02d}" for number, phone in enumerate(PHONES)},
    "Anniversary": "05/06/2001", "Birthday": "04/03/1980", "Categories": "Alpha;Beta",
    "E-mail Address": "ann@lee.example", "E-mail 2 Address": "ann@home.example",
    "E-mail 3 Address": "ann@other.example", "Notes": "A note.", "Web Page": "https://lee.example",
}  # fmt: skip


def folded(name: str) -> str:
    return "".join(character for character in name.casefold() if character.isalnum())


def read_one(header: list[str], cells: list[str]) -> Person:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, cells])
    text = sniff.open_text(io.BytesIO(out.getvalue().encode()))
    (person,) = csvfiles.read_outlook(text, source="test.csv")
    assert isinstance(person, Person)
    return person


def expected(language: outlook_headers.Language) -> Person:
    order = ["First Name", "Middle Name", "Last Name", "Suffix"]
    if language.family_name_first:
        order = ["Last Name", "First Name", "Middle Name", "Suffix"]
    return Person(
        name=" ".join(VALUES[part] for part in order if part in language.columns),
        where="line 2",
        key="ann@lee.example",
        emails=["ann@lee.example", "ann@home.example", "ann@other.example"],
        phones=[VALUES[phone] for phone in PHONES if phone in language.columns],
        company="Lee & Co",
        title="Partner",  # not 'Dr.'
        tags=["alpha", "beta"],
        birthday="1980-03-04",  # day-first, and not the anniversary
        notes="A note.",
        url="https://lee.example",
        anniversary="2001-06-05" if "Anniversary" in language.columns else None,  # day-first too
    )


def header_and_cells(
    language: outlook_headers.Language, variant: tuple[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """The language's header (its first name for each column, or `variant` = (English
    column, other name)) and a row of VALUES under it."""
    header = [names[0] for names in language.columns.values()]
    if variant is not None:
        header[list(language.columns).index(variant[0])] = variant[1]
    return header, [VALUES[english] for english in language.columns]


def test_every_language_names_columns_the_reader_reads_and_the_two_it_must_not_confuse() -> None:
    for language in outlook_headers.LANGUAGES:
        assert set(language.columns) <= READ | {"Title"}, language.code
        assert {"First Name", "Last Name", "E-mail Address", "Birthday"} <= set(language.columns)


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_header_in_one_language_reads_every_column(code: str) -> None:
    language = LANGUAGES[code]
    assert read_one(*header_and_cells(language)) == expected(language)


VARIANTS = [
    (code, english, name)
    for code, language in LANGUAGES.items()
    for english, names in language.columns.items()
    for name in names[1:]
]


@pytest.mark.parametrize(("code", "english", "name"), VARIANTS)
def test_each_other_name_of_a_column_is_read_as_that_column(
    code: str, english: str, name: str
) -> None:
    language = LANGUAGES[code]
    assert read_one(*header_and_cells(language, (english, name))) == expected(language)


def test_names_that_mean_different_columns_are_only_titre_and_aniversario() -> None:
    meanings: dict[str, set[str]] = {}
    for language in outlook_headers.LANGUAGES:
        for english, names in language.columns.items():
            for name in names:
                meanings.setdefault(folded(name), set()).add(english)
    assert {name: columns for name, columns in meanings.items() if len(columns) > 1} == {
        "titre": {"Title", "Job Title"},  # French: the salutation, then the job title
        "aniversário": {"Birthday", "Anniversary"},  # Brazil, Portugal
    }


@pytest.mark.parametrize("layout", [OUTLOOK_DESKTOP, OUTLOOK_COM, GOOGLE_OUTLOOK],
                         ids=["desktop", "outlook.com", "google"])  # fmt: skip
def test_an_english_column_name_is_never_another_column_in_another_language(
    layout: list[str],
) -> None:
    for column in layout:
        for language in outlook_headers.LANGUAGES:
            for english, names in language.columns.items():
                if folded(column) in map(folded, names):
                    assert english == column, (language.code, column)


def test_a_name_two_languages_disagree_on_is_not_read_in_a_file_of_neither() -> None:
    # English, with Portuguese's 'Aniversário' (Brazil: birthday; Portugal: anniversary).
    person = read_one(
        ["First Name", "Last Name", "E-mail Address", "Aniversário"],
        ["Ann", "Lee", "ann@lee.example", "05/06/2001"],
    )
    assert (person.name, person.birthday) == ("Ann Lee", None)


def test_a_header_spanish_or_brazilian_outlook_would_also_write_is_english() -> None:
    # Both leave E-mail Address and Birthday in English: a tie is English, month-first.
    person = read_one(["E-mail Address", "Birthday"], ["ann@lee.example", "04/03/1980"])
    assert person.birthday == "1980-04-03"
