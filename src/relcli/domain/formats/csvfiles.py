"""Read LinkedIn, Google, Outlook and other CSV contact exports, row by row, into items.

Every reader takes a text stream (see ``sniff.open_text``), finds the delimiter and the
header row, maps columns by their names (case, spaces and punctuation do not matter;
unknown columns are ignored) and yields one ``Person`` or ``Skipped`` per non-empty row,
without reading the whole file into memory. ``where`` is the row's first physical line.

Decisions shared by the readers:

- A row without a name is named after its first e-mail address (the whole address, not
  its local part: 'info' or 'john' would say little and match many contacts); without an
  e-mail, after its company when it also has a phone or profile URL, then after its first
  phone, then after its LinkedIn profile's slug. A row with none of name, e-mail, phone
  or profile URL is ``Skipped``.
- ``key``: LinkedIn uses the normalised profile URL, else the lower-cased e-mail; the
  others the first lower-cased e-mail; else ``fold(name) + '|' + fold(company)``.
- E-mail cells may hold several addresses (split on ``,``, ``;``, ``:::`` and spaces);
  a value without ``@`` (such as an Exchange X.500 name) is dropped. A phone needs three
  digits. Both keep their order and are deduplicated.
- Tags are lower-cased and hyphenated ('VIP Clients' -> 'vip-clients'); Google's system
  label ``* myContacts`` is dropped and other ``* `` system labels lose their star.
- A LinkedIn URL is normalised wherever it appears (``linkedin_url``); an unreadable
  birthday or connection date is dropped, not an error (``birthday``).

The generic ``read_csv`` alias table (after lower-casing and removing everything but
letters and digits; the first listed column that has a value wins):

======== ==================================================================================
name     full name, display name, name; else first/given name + middle/additional name +
         last/family name/surname
email    email, e-mail, mail, primary/secondary email, email address, e-mail 2, email home ...
phone    phone, mobile, tel, telephone, cell (+ number, + numbered, home/work/business/...)
company  company, organization, organisation, org
title    job title, then position, then title
tags     tags, categories, labels, groups (split on , ; ::: |)
birthday birthday, bday, birth date, date of birth; Thunderbird's Birth Year/Month/Day
notes    notes, note
url      linkedin, url, website, web page, home page (+ numbered); a LinkedIn URL first
nickname nickname, nick
anniv.   anniversary (read like birthday)
address  street, street address, address, address line (+ 2, 3: more lines), po box, city,
         town, state, region, province, zip, zip code, postal code, postcode, country,
         country/region; a home, work, business or other prefix makes one address each
         ('Home Street', 'Work City'), labelled home, work or other
======== ==================================================================================

A user mapping (``{'Full Name': 'name', 'Firm': 'company', 'Fax': 'ignore'}``) names more
columns; its targets are the field names above, any of their aliases, or ``ignore``.
"""

import codecs
import csv
import functools
import itertools
import operator
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO
from urllib.parse import urlsplit

from relcli.domain.formats import outlook_headers, sniff
from relcli.domain.formats.records import Address, Item, Person, Skipped
from relcli.domain.names import email_key, fold
from relcli.errors import ImportFileError, InvalidInputError, UsageError

_LINE_LIMIT = 1 << 20  # longest physical line accepted (in characters); longer refuses the file
_MAX_FIELDS = 10_000  # most cells in one record; more refuses the file
_SAMPLE_LINES = 64  # physical lines looked at to decide the delimiter
_SAMPLE_CHARS = 64 * 1024
_HEADER_SEARCH = 50  # records searched for LinkedIn's header row after its preamble
_TAG_LENGTH = 64

_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NUMBERS = {
    **{month: number for number, month in enumerate(_MONTHS, start=1)},
    **{month[:3]: number for number, month in enumerate(_MONTHS, start=1)},
    "sept": 9,
}

# Header patterns, matched against the header folded by _column (letters and digits only).
_EMAIL_COLUMN = (
    r"(?:primary|secondary|home|work|business|personal|other)?e?mail\d*(?:address)?\d*"
    r"(?:home|work|business|personal|other)?(?:value)?"
)
_PHONE_COLUMN = (
    r"(?:primary|home|work|business|mobile|cell|other|car|main|companymain|personal)?"
    r"(?:phone|mobile|mobilephone|cellphone|cell|tel|telephone)(?:number)?\d*"
    r"(?:home|work|business|mobile|other|personal)?(?:value)?"
)
_URL_COLUMN = (
    r"(?:url|profileurl|website|webpage|homepage|personalwebpage)\d*"
    r"(?:home|work|other|profile|blog|homepage|value)?"
)

Rule = tuple[str, str]  # (field, header pattern)

_GENERIC_RULES: tuple[Rule, ...] = (
    ("name", r"fullname|displayname|name"),
    ("first", r"firstname|givenname|first|given|forename"),
    ("middle", r"middlename|additionalname|middle"),
    ("last", r"lastname|familyname|surname|last|family"),
    ("email", _EMAIL_COLUMN),
    ("phone", _PHONE_COLUMN),
    ("company", r"company|companyname|organi[sz]ation|organi[sz]ationname|org"),
    ("title", r"jobtitle"),
    ("title", r"position"),
    ("title", r"title"),
    ("tags", r"tags?|categor(?:y|ies)|labels?|groups?|groupmembership"),
    ("birthday", r"birthday|bday|birthdate|dateofbirth"),
    ("birth_year", r"birthyear"),
    ("birth_month", r"birthmonth"),
    ("notes", r"notes?"),
    ("url", r"linkedin|linkedinurl|linkedinprofile"),
    ("url", _URL_COLUMN),
)
_LINKEDIN_RULES: tuple[Rule, ...] = (
    ("first", r"firstname"),
    ("last", r"lastname"),
    ("url", r"url|profileurl|linkedinurl|linkedin"),
    ("email", r"emailaddress|email"),
    ("company", r"company"),
    ("title", r"position|jobtitle|title"),
    ("connected", r"connectedon"),
)
# Old ("Name, Given Name, ... E-mail 1 - Type") and new ("First Name, ... Labels") naming.
_GOOGLE_RULES: tuple[Rule, ...] = (
    ("name", r"name"),
    ("first", r"givenname|firstname"),
    ("middle", r"additionalname|middlename"),
    ("last", r"familyname|lastname"),
    ("suffix", r"namesuffix"),
    ("nickname", r"nickname"),
    ("email", r"email\d+value"),
    ("email_label", r"email\d+(?:type|label)"),
    ("phone", r"phone\d+value"),
    ("company", r"organi[sz]ation\d*name"),
    ("title", r"organi[sz]ation\d*title"),
    ("tags", r"labels|groupmembership"),
    ("birthday", r"birthday"),
    ("notes", r"notes"),
    ("url", r"website\d+value"),
)
# The three "Outlook CSV" layouts share these names. Outlook's "Title" is Mr/Dr: ignored.
_OUTLOOK_PHONES = (
    "primaryphone",
    "mobilephone",
    "businessphone",
    "businessphone2",
    "homephone",
    "homephone2",
    "otherphone",
    "carphone",
    "companymainphone",
    "callback",
    "radiophone",
    "isdn",
    "ttytddphone",
    "pager",
)
_OUTLOOK_RULES: tuple[Rule, ...] = (
    ("name", r"name|displayname"),
    ("first", r"firstname"),
    ("middle", r"middlename"),
    ("last", r"lastname"),
    ("suffix", r"suffix"),
    ("nickname", r"nickname"),
    ("company", r"company"),
    ("title", r"jobtitle"),
    ("email", r"emailaddress"),
    ("email", r"email2address"),
    ("email", r"email3address"),
    *(("phone", phone) for phone in _OUTLOOK_PHONES),
    ("birthday", r"birthday"),
    ("tags", r"categories"),
    ("notes", r"notes"),
    ("url", r"webpage|personalwebpage"),
)
_EMAIL_SPLIT = re.compile(r"\s*(?:,|;|:::)\s*|\s+")
_EMAIL_SEPARATOR = re.compile(r"[\s,;:]")  # in every match of _EMAIL_SPLIT
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")
_LABEL_SPLIT = re.compile(r"\s*:::\s*")
_NOT_DIGIT = re.compile(r"\D")
_TAG_GAPS = re.compile(r"[\s,_]+")
_LINE_BREAK = re.compile(r"\r*\n|\r")
_IDENTIFYING = ("name", "first", "last", "nickname", "email", "phone", "url")
_NAME_PARTS = ("first", "middle", "last", "suffix")  # joined with spaces into the name
_FAMILY_NAME_FIRST = ("last", "first", "middle", "suffix")  # 山田 太郎


@dataclass
class _Layout:
    """Which columns feed which field, best first."""

    columns: dict[str, list[int]] = field(default_factory=dict)
    email_labels: dict[int, int] = field(default_factory=dict)  # value column -> label column
    birth_parts: tuple[int | None, int, int] | None = None  # year, month, day columns
    day_first: bool = False  # slashed dates: see ``birthday``
    language: outlook_headers.Language | None = None  # of a localised Outlook header
    addresses: tuple["_AddressColumns", ...] = ()

    width: int = 0  # cells in the header: shorter rows are padded to it

    def of(self, name: str) -> list[int]:
        return self.columns.get(name, [])

    @functools.cached_property  # an attribute after the first row: no call per row
    def plan(self) -> "_Plan":
        """The columns of each field as tuples, made once per file for the row loop."""
        family_first = self.language is not None and self.language.family_name_first
        order = _FAMILY_NAME_FIRST if family_first else _NAME_PARTS
        parts = tuple(self.of(part)[0] for part in order if self.of(part))
        return _Plan(
            name=tuple(self.of("name")), parts=parts, nickname=tuple(self.of("nickname")),
            email=tuple(self.of("email")), phone=tuple(self.of("phone")),
            company=tuple(self.of("company")), title=tuple(self.of("title")),
            url=tuple(self.of("url")), connected=tuple(self.of("connected")),
            tags=tuple(self.of("tags")), birthday=tuple(self.of("birthday")),
            notes=tuple(self.of("notes")), anniversary=tuple(self.of("anniversary")),
            addresses=self.addresses,
        )  # fmt: skip

    def identifies(self) -> bool:
        return any(self.columns.get(name) for name in _IDENTIFYING)


@dataclass(frozen=True, slots=True)
class _Plan:
    name: tuple[int, ...]
    parts: tuple[int, ...]  # first, middle, last, suffix (or last first): the first column of each
    nickname: tuple[int, ...]
    email: tuple[int, ...]
    phone: tuple[int, ...]
    company: tuple[int, ...]
    title: tuple[int, ...]
    url: tuple[int, ...]
    connected: tuple[int, ...]
    tags: tuple[int, ...]
    birthday: tuple[int, ...]
    notes: tuple[int, ...]
    anniversary: tuple[int, ...]
    addresses: tuple["_AddressColumns", ...]


@dataclass(frozen=True, slots=True)
class _AddressColumns:
    """The columns of one postal address: each part's columns (street has one per line)."""

    label: str | None  # from the header ('Home Street'), or None
    label_column: int | None  # Google's 'Address 1 - Type': the label is in the row
    street: tuple[int, ...]  # PO box, extended address, street lines, in that order
    city: tuple[int, ...]
    region: tuple[int, ...]
    postcode: tuple[int, ...]
    country: tuple[int, ...]
    formatted: tuple[int, ...]  # Google's one-cell address, used when there are no parts


# Address columns: 'Home Street 2', 'Business Postal Code', 'Other Country/Region' (Outlook,
# Thunderbird, Roundcube and generic files) and Google's 'Address 1 - Street', folded. Matched
# with re.fullmatch, which compiles them on first use: a LinkedIn file has no addresses.
_LABELLED_ADDRESS = (
    r"(home|work|business|other)?(pobox|street|streetaddress|address|addressline|city|town|"
    r"state|region|province|zip|zipcode|postalcode|postcode|country|countryregion)(\d*)"
)
_NUMBERED_ADDRESS = (
    r"address(\d+)(type|label|formatted|pobox|extendedaddress|street|city|region|postalcode|"
    r"country)"
)
_ADDRESS_PART = {
    "pobox": "0pobox", "extendedaddress": "1extended", "street": "2street",
    "streetaddress": "2street", "address": "2street", "addressline": "2street", "city": "city",
    "town": "city", "state": "region", "region": "region", "province": "region",
    "zip": "postcode", "zipcode": "postcode", "postalcode": "postcode", "postcode": "postcode",
    "country": "country", "countryregion": "country", "formatted": "formatted",
    "type": "label", "label": "label",
}  # fmt: skip
_ADDRESS_LABELS = {"home": "home", "work": "work", "business": "work", "other": "other"}


@dataclass(frozen=True)
class _Format:
    label: str
    layout: Callable[[list[str]], _Layout]
    tag_separator: re.Pattern[str] | None
    is_header: Callable[[list[str]], bool] | None = None  # None: the first row is the header
    keyed_by_url: bool = False


def read_linkedin(text: TextIO, *, source: str) -> Iterator[Item]:
    """Contacts from LinkedIn's Connections.csv, any of its three layouts.

    The header row is found by content after the ``Notes:`` preamble; ``Connected On``
    ('05 Mar 2024') becomes ``known_since`` and the normalised profile URL the ``key``.
    """
    return _read(text, source=source, fmt=_LINKEDIN)


def read_google(text: TextIO, *, source: str) -> Iterator[Item]:
    """Contacts from a Google Contacts CSV export, old or new column naming.

    Labels joined with ``:::`` become tags; an e-mail whose label starts with ``*``
    (Google's primary) comes first.
    """
    return _read(text, source=source, fmt=_GOOGLE)


def read_outlook(text: TextIO, *, source: str) -> Iterator[Item]:
    """Contacts from an "Outlook CSV": desktop, Outlook.com or Google's Outlook layout.

    The header may be in any language of ``outlook_headers`` as well as English (even mixed):
    the language with the most columns in the header is the file's. In an English file
    slashed birthdays are month-first ('3/22/1980'; day-first only when the first number
    cannot be a month); in a file of another language they are day-first ('22/03/1980',
    '22-3-1980'; month-first only when the second number cannot be a month), and names whose
    language writes the family name first are built that way. A file in a language whose
    Outlook writes another code page than the one the file was read in (a Polish cp1250
    export read as cp1252) is refused rather than stored garbled. ``0/0/00`` is no date,
    Outlook's "Title" (Mr, Dr) is not the job title, categories become tags, and rows with
    e-mail addresses alone are accepted.
    """
    return _read(text, source=source, fmt=_OUTLOOK)


def read_csv(
    text: TextIO, *, source: str, mapping: Mapping[str, str] | None = None
) -> Iterator[Item]:
    """Contacts from any CSV, columns mapped by the alias table and then by `mapping`.

    Raises InvalidInputError at once for a mapping target that is not a field, and when
    the header is read for a mapped column that the file does not have.
    """
    targets = {_column(column): _target(target) for column, target in (mapping or {}).items()}
    named = {_column(column): column for column in mapping or {}}
    fmt = _Format(
        label="CSV",
        layout=lambda header: _generic_layout(header, targets, named, source),
        tag_separator=re.compile(r"\s*(?:;|,|:::|\|)\s*"),
    )
    return _read(text, source=source, fmt=fmt)


# A profile URL as LinkedIn writes it: one pattern, cheaper than a prefix test and a pattern.
_LINKEDIN_PROFILE = re.compile(r"https://www\.linkedin\.com/in/[A-Za-z0-9_%-]+/?")
_PLAIN_PROFILE = re.compile(r"https?://(?:www\.)?linkedin\.com/in/([A-Za-z0-9_%-]+)/?")


def linkedin_url(text: str) -> str | None:
    """A LinkedIn profile URL in one form: 'https://www.linkedin.com/in/slug'.

    Lower-cased, without scheme or host variants (``http``, ``linkedin.com``,
    ``de.linkedin.com``), query string, fragment or trailing slash. Another site's URL is
    returned stripped but otherwise as written; an empty one is None.
    """
    raw = text.strip()
    if not raw:
        return None
    if _LINKEDIN_PROFILE.fullmatch(raw):
        return raw.rstrip("/").lower()
    if plain := _PLAIN_PROFILE.fullmatch(raw):  # other usual forms, without urlsplit's cost
        return f"https://www.linkedin.com/in/{plain.group(1).lower()}"
    try:
        parts = urlsplit(raw if "//" in raw else f"//{raw}")
    except ValueError:  # such as an unclosed '[' read as an IPv6 host
        return raw
    host = parts.netloc.lower().rsplit("@", 1)[-1].split(":", 1)[0]
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        return raw
    path = re.sub(r"/{2,}", "/", parts.path.lower()).rstrip("/")
    if not path or path == "/in":
        return None
    return f"https://www.linkedin.com{path}"


def birthday(text: str, *, day_first: bool = False) -> str | None:
    """A birthday as 'YYYY-MM-DD', or '--MM-DD' without a year; None if it is no date.

    Accepts ISO dates ('1975-12-12', '19751212', with a time after them), year-less
    '--12-01' and '--1201', slashed (or dashed) dates month-first as an English Outlook
    writes them ('12/12/1975'; day-first when the first number cannot be a month:
    '20/01/1991'), dotted dates day-first ('22.03.1980'), and English month names
    ('5 Mar 1980'). With ``day_first`` (a file in a day-first language) slashed and dashed
    dates are day-first too ('04/03/1980' is 4 March), month-first only when the second
    number cannot be a month. Two-digit years are 2000-2029 or 1930-1999. A year before
    1800 (Outlook and Apple write 1604 for "no year") means the year is unknown. '0/0/00'
    is no date.
    """
    raw = text.strip()
    if match := re.fullmatch(r"--(\d{2})-?(\d{2})", raw):
        return _day(None, int(match[1]), int(match[2]))
    if match := re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?", raw) or re.fullmatch(
        r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", raw
    ):
        return _day(int(match[1]), int(match[2]), int(match[3]))
    if match := re.fullmatch(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})", raw):
        first, second, year = int(match[1]), int(match[3]), _full_year(match[4])
        if match[2] == "." or first > 12 or (day_first and second <= 12):
            return _day(year, second, first)
        return _day(year, first, second)
    if (day := _english_date(raw)) is not None:
        return _day(day.year, day.month, day.day)
    return None


_birthday_day_first = functools.partial(birthday, day_first=True)  # for map() in the row loop


# --- reading rows ----------------------------------------------------------------------


def _read(text: TextIO, *, source: str, fmt: _Format, specialised: bool = True) -> Iterator[Item]:
    """The items of a file; ``specialised=False`` (for the tests) reads every row with
    ``_item``, never with a row function made for the file's layout."""
    records = _records(text)
    header, header_line = yield from _header(records, source=source, fmt=fmt)
    if header is None:
        return
    layout = _file_layout(header, fmt)
    if (misread := _misread(text, layout)) is not None:
        yield Skipped(f"line {header_line}", f"{source}: {misread}")
        return
    if not layout.identifies():
        yield Skipped(
            f"line {header_line}",
            f"{source}: no column of the {fmt.label} header is a name, e-mail, phone or "
            f"profile URL (it starts {', '.join(header[:5])!r})",
        )
        return
    fast = _linkedin_item(layout, fmt) if specialised else None  # once per file, not per row
    for record in records:
        if isinstance(record, Skipped):
            yield record
        elif fast is not None:
            line, row = record
            yield fast(row, f"line {line}")
        else:
            line, row = record
            yield _item(row, layout, f"line {line}", fmt)


def _file_layout(header: list[str], fmt: _Format) -> _Layout:
    """The format's layout of a header, as wide as the header and every column it reads."""
    layout = fmt.layout(header)
    layout.width = max(len(header), *(i + 1 for cols in layout.columns.values() for i in cols), 0)
    if layout.email_labels:
        layout.width = max(layout.width, *(i + 1 for i in layout.email_labels.values()))
    if layout.birth_parts is not None:
        layout.width = max(layout.width, *(i + 1 for i in layout.birth_parts if i is not None))
    return layout


def _misread(text: TextIO, layout: _Layout) -> str | None:
    """Why the file's letters cannot be trusted, or None: its header is in a language whose
    Outlook writes another code page (Polish: cp1250) than the one it was read in (the
    sniffer falls back to cp1252), so every letter outside ASCII would be stored wrong."""
    read_as = getattr(text, "encoding", None)
    if layout.language is None or read_as is None:
        return None
    read, written = codecs.lookup(read_as).name, codecs.lookup(layout.language.code_page).name
    if read.startswith("utf") or read == written:
        return None
    return (
        f"the header is {layout.language.name}, which Outlook writes in {written}, but the "
        f"file was read as {read}, so letters outside ASCII would be stored wrong (save it as "
        "CSV UTF-8 and import that)"
    )


def _header(
    records: Iterator[tuple[int, list[str]] | Skipped], *, source: str, fmt: _Format
) -> Generator[Skipped, None, tuple[list[str] | None, int]]:
    """Yields what cannot be read before the header; returns the header and its line."""
    for seen, record in enumerate(records):
        if isinstance(record, Skipped):
            yield record
            continue
        line, row = record
        if seen == 0 and _is_sep_line(row):
            continue
        if fmt.is_header is None or fmt.is_header(row):
            return ([cell.strip() for cell in row], line)
        if seen >= _HEADER_SEARCH:
            break
    if fmt.is_header is not None:
        yield Skipped(
            "line 1",
            f"{source}: no {fmt.label} header row (First Name, Last Name, ...) in the first "
            f"{_HEADER_SEARCH} rows",
        )
    return (None, 0)


def _records(text: TextIO) -> Iterator[tuple[int, list[str]] | Skipped]:
    """Non-empty CSV records with the number of their first physical line.

    Raises ImportFileError for a line longer than the limit (read in bounded pieces, so a
    1 GiB line is refused without holding it), a record with more cells than the limit,
    and a quoted cell that is never closed (it would swallow every row after it).
    """
    physical = _physical_lines(text)
    sample: list[str] = []
    size = 0
    for line in physical:
        sample.append(line)
        size += len(line)
        if len(sample) >= _SAMPLE_LINES or size >= _SAMPLE_CHARS:
            break
    joined = "".join(sample)
    if "\r\r\n" not in joined:  # the usual case: no CR CR LF to merge, no per-line check
        physical = _bounded_lines(text, len(sample))
    csv.field_size_limit(_LINE_LIMIT)
    last = [""]  # the last physical line read: did the file end inside a quoted cell?

    def remembered(lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            last[0] = line
            yield line

    reader = csv.reader(
        remembered(itertools.chain(sample, physical)), delimiter=sniff.delimiter_of(joined)
    )
    held: tuple[int, list[str]] | None = None
    done = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            if "field limit" in str(err):
                raise ImportFileError(
                    f"line {done + 1} has a cell longer than {_LINE_LIMIT // 1024:,} KiB (a "
                    "double quote that is never closed?); nothing was changed",
                    hint="fix or remove the stray double quote on that line",
                ) from err
            if held is not None:
                yield held
                held = None
            yield Skipped(f"line {done + 1}", f"unreadable row: {err}")
            done = reader.line_num
            continue
        start, done = done + 1, reader.line_num
        if len(row) > _MAX_FIELDS:
            raise ImportFileError(
                f"line {start} has {len(row):,} cells, more than the limit of {_MAX_FIELDS:,}; "
                "nothing was changed",
                hint="is this a contacts export? check the file",
            )
        if held is not None:
            yield held
            held = None
        if any(row):
            held = (start, row)
    if held is not None:
        start, row = held
        closed = last[0].rstrip("\r\n").endswith('"')
        if done > start and not closed and any(cell.endswith(("\n", "\r")) for cell in row):
            raise ImportFileError(
                f"line {start} opens a quoted cell that is never closed (it runs to the end "
                f"of the file, line {done}); nothing was changed",
                hint="fix or remove the stray double quote on that line",
            )
        yield held


def _too_long(line_number: int) -> ImportFileError:
    return ImportFileError(
        f"line {line_number} is longer than {_LINE_LIMIT // 1024:,} KiB; nothing was changed",
        hint="is this a contacts export? check the file",
    )


def _bounded_lines(text: TextIO, number: int = 0) -> Iterator[str]:
    """Lines with their ends, each read in at most ``_LINE_LIMIT`` characters."""
    limit = _LINE_LIMIT
    while line := text.readline(limit):
        number += 1
        if len(line) == limit and not line.endswith(("\n", "\r")):
            raise _too_long(number)
        yield line


def _physical_lines(text: TextIO) -> Iterator[str]:
    """Lines with their ends; CR CR LF (old Apple and Outlook exports) is one line end."""
    pending = ""
    for line in _bounded_lines(text):
        if pending:
            if line == "\r\n":
                yield pending + line
                pending = ""
                continue
            yield pending
            pending = ""
        if line.endswith("\r"):
            pending = line
        else:
            yield line
    if pending:
        yield pending


def _is_sep_line(row: list[str]) -> bool:
    """Excel's `sep=;` first line, however the chosen delimiter split it."""
    joined = ",".join(row).strip().lower()
    return joined.startswith("sep=") and len(joined) <= 6


# --- layouts ---------------------------------------------------------------------------


def _column(header: str) -> str:
    """A header cell folded for matching: 'E-mail 2 Address' -> 'email2address'."""
    return re.sub(r"[\W_]+", "", header.casefold())


# Compiled on a format's first file, not at import: a file needs one format's rules.
@functools.cache
def _compiled(rules: tuple[Rule, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(pattern)) for name, pattern in rules)


def _field_of(column: str, rules: Sequence[tuple[str, re.Pattern[str]]]) -> tuple[str, int] | None:
    for rank, (name, pattern) in enumerate(rules):
        if pattern.fullmatch(column):
            return (name, rank)
    return None


def _layout(
    header: Sequence[str],
    rules: Sequence[tuple[str, re.Pattern[str]]],
    targets: Mapping[str, str] | None = None,
) -> _Layout:
    ranked: dict[str, list[tuple[int, int]]] = {}
    for index, cell in enumerate(header):
        column = _column(cell)
        if targets and column in targets:
            found: tuple[str, int] | None = (targets[column], -1)
        else:
            found = _field_of(column, rules)
        if found is not None and found[0] != "ignore":
            ranked.setdefault(found[0], []).append((found[1], index))
    columns = {name: [index for _, index in sorted(pairs)] for name, pairs in ranked.items()}
    return _Layout(columns=columns)


# Nickname and anniversary, read by the generic and Outlook readers (Google's nickname is in
# its own rules).
_PERSONAL_RULES: tuple[Rule, ...] = (
    ("nickname", r"nickname|nick"),
    ("anniversary", r"anniversary"),
)
_GENERIC_ALL_RULES = (*_GENERIC_RULES, *_PERSONAL_RULES)
_OUTLOOK_ALL_RULES = (*_OUTLOOK_RULES, *_PERSONAL_RULES)
_TARGETS = "name, first name, middle name, last name, email, phone, company, title, tags, birthday, notes, url, nickname, anniversary, ignore"


def _target(target: str) -> str:
    """The field a user mapping names: a field name, one of its aliases, or 'ignore'."""
    column = _column(target)
    if column == "ignore":
        return "ignore"
    found = _field_of(column, _compiled(_GENERIC_ALL_RULES))
    if found is None or found[0] in ("birth_year", "birth_month"):
        raise UsageError(
            f"unknown field {target!r} in the column mapping", hint=f"use one of: {_TARGETS}"
        )
    return found[0]


def _generic_layout(
    header: list[str], targets: Mapping[str, str], named: Mapping[str, str], source: str
) -> _Layout:
    present = {_column(cell) for cell in header}
    for column in targets:
        if column not in present:
            raise InvalidInputError(
                f"the column mapping names {named[column]!r}, a column {source} does not have",
                hint=f"map columns of its header: {', '.join(header)}",
            )
    layout = _layout(header, _compiled(_GENERIC_ALL_RULES), targets)
    months = layout.columns.pop("birth_month", [])
    years = layout.columns.pop("birth_year", [])
    days = layout.of("birthday")
    if months and days:  # Thunderbird: Birth Year, Birth Month, Birth Day
        layout.birth_parts = (years[0] if years else None, months[0], days[0])
        del layout.columns["birthday"]
    taken = {index for indexes in layout.columns.values() for index in indexes}
    ignored = {_column(cell) for cell in header} & {c for c, t in targets.items() if t == "ignore"}
    layout.addresses = _address_columns(
        [cell if _column(cell) not in ignored else "" for cell in header], taken
    )
    return layout


def _address_columns(header: Sequence[str], taken: set[int]) -> tuple[_AddressColumns, ...]:
    """The file's postal addresses: one per label prefix ('Home …', 'Work …', none), or per
    Google number ('Address 1 - …'), in the order their first column appears. ``taken``
    columns already feed another field."""
    groups: dict[str, dict[str, list[tuple[int, int, int]]]] = {}
    for index, cell in enumerate(header):
        column = _column(cell)
        if index in taken or not column:
            continue
        line = 0
        if numbered := re.fullmatch(_NUMBERED_ADDRESS, column):
            group, part = f"#{numbered[1]}", _ADDRESS_PART[numbered[2]]
        elif labelled := re.fullmatch(_LABELLED_ADDRESS, column):
            group, part = labelled[1] or "", _ADDRESS_PART[labelled[2]]
            line = int(labelled[3] or 1)  # 'Home Address 2' is the street's second line
        else:
            continue
        kind = part.lstrip("012")
        order = int(part[0]) if part[0].isdigit() else 0  # PO box, extended, then street
        group = "work" if group == "business" else group
        groups.setdefault(group, {}).setdefault(kind, []).append((order, line, index))
    found = []
    for group, parts in groups.items():
        if not set(parts) - {"label"}:
            continue  # a lone 'Address 1 - Type': no address
        street = [*parts.get("pobox", []), *parts.get("extended", []), *parts.get("street", [])]
        labels = parts.get("label", [])

        def of(kind: str, parts: dict[str, list[tuple[int, int, int]]] = parts) -> tuple[int, ...]:
            return tuple(index for _, _, index in sorted(parts.get(kind, [])))

        found.append(_AddressColumns(
            label=None if group.startswith("#") else _ADDRESS_LABELS.get(group),
            label_column=labels[0][2] if labels else None,
            street=tuple(index for _, _, index in sorted(street)),
            city=of("city"), region=of("region"), postcode=of("postcode"),
            country=of("country"), formatted=of("formatted"),
        ))  # fmt: skip
    return tuple(found)


def _linkedin_layout(header: list[str]) -> _Layout:
    return _layout(header, _compiled(_LINKEDIN_RULES))


def _is_linkedin_header(row: list[str]) -> bool:
    return {"firstname", "lastname"} <= {_column(cell) for cell in row}


def _google_layout(header: list[str]) -> _Layout:
    layout = _layout(header, _compiled(_GOOGLE_RULES))
    layout.addresses = _address_columns(
        [cell if re.fullmatch(_NUMBERED_ADDRESS, _column(cell)) else "" for cell in header], set()
    )
    labels = {
        re.sub(r"\D", "", _column(header[index])): index
        for index in layout.columns.pop("email_label", [])
    }
    for index in layout.of("email"):
        if (label := labels.get(re.sub(r"\D", "", _column(header[index])))) is not None:
            layout.email_labels[index] = label
    return layout


_SALUTATION_OR_JOB_TITLE = frozenset({"Title", "Job Title"})  # French 'Titre' is both
_JOB_TITLE_RANK = _OUTLOOK_RULES.index(("title", r"jobtitle"))


# The tables of localised Outlook columns are built on the first Outlook file, not at import:
# a LinkedIn, Google or generic import has no use for the 30 languages' names.
@functools.cache
def _outlook_meanings() -> dict[str, tuple[str, int] | None]:
    """What a localised Outlook column means: the field and rank of the English column it
    translates (None for "Title", which is not read, and for the address columns, which
    _address_columns finds by their English names only)."""
    return {
        english: _field_of(_column(english), _compiled(_OUTLOOK_ALL_RULES))
        for language in outlook_headers.LANGUAGES
        for english in language.columns
    }


@functools.cache
def _english_outlook() -> frozenset[str]:
    """The English Outlook columns the languages translate, folded."""
    return frozenset(map(_column, _outlook_meanings()))


@functools.cache
def _localised_outlook() -> dict[str, dict[str, frozenset[str]]]:
    """Folded localised column name -> {language code: the English columns it names}."""
    found: dict[str, dict[str, set[str]]] = {}
    for language in outlook_headers.LANGUAGES:
        for english, names in language.columns.items():
            for name in names:
                found.setdefault(_column(name), {}).setdefault(language.code, set()).add(english)
    return {
        name: {code: frozenset(cols) for code, cols in by.items()} for name, by in found.items()
    }


@functools.cache
def _outlook_languages() -> tuple[tuple[outlook_headers.Language, frozenset[str]], ...]:
    """Each language with its column names, folded."""
    return tuple(
        (language, frozenset(_column(n) for names in language.columns.values() for n in names))
        for language in outlook_headers.LANGUAGES
    )


def _outlook_language(columns: Sequence[str]) -> outlook_headers.Language | None:
    """The language with the most of the header's columns; None (English) when none has more
    than English: an English header, or one that names too little to tell."""
    present = set(columns)
    best: outlook_headers.Language | None = None
    english, rules = _english_outlook(), _compiled(_OUTLOOK_ALL_RULES)
    most = sum(1 for c in present if c in english or _field_of(c, rules))
    for language, names in _outlook_languages():
        if (count := len(present & names)) > most:
            best, most = language, count
    return best


def _localised_meaning(column: str, code: str | None) -> frozenset[str]:
    """The English columns a localised name stands for: its meaning in the file's language,
    else every meaning it has in any (none if it is no Outlook name)."""
    meanings = _localised_outlook().get(column, {})
    if code in meanings:
        return meanings[code]
    return frozenset().union(*meanings.values())


def _outlook_layout(header: list[str]) -> _Layout:
    """English columns by the rules; localised ones as the English column they translate.

    A name that is both the salutation and the job title (French 'Titre', twice in a French
    export) is the job title only in its last column, and only if that column comes after
    the name columns: Outlook writes the salutation first.
    """
    columns = [_column(cell) for cell in header]
    language = _outlook_language(columns)
    code = language.code if language is not None else None
    rules = _compiled(_OUTLOOK_ALL_RULES)
    ranked: dict[str, list[tuple[int, int]]] = {}
    either: dict[str, list[int]] = {}  # a salutation-or-job-title name -> its columns
    for index, column in enumerate(columns):
        found = _field_of(column, rules)
        if found is None:
            meaning = _localised_meaning(column, code)
            if meaning == _SALUTATION_OR_JOB_TITLE:
                either.setdefault(column, []).append(index)
            elif len(meaning) == 1:  # not unknown, nor two columns in two other languages
                found = _outlook_meanings()[next(iter(meaning))]
        if found is not None:
            ranked.setdefault(found[0], []).append((found[1], index))
    name_columns = [
        index for part in ("first", "middle", "last") for _, index in ranked.get(part, [])
    ]
    names_start = min(name_columns, default=-1)
    for indexes in either.values():
        if indexes[-1] > names_start:
            ranked.setdefault("title", []).append((_JOB_TITLE_RANK, indexes[-1]))
    layout = _Layout(
        columns={name: [index for _, index in sorted(pairs)] for name, pairs in ranked.items()},
        day_first=language is not None,
        language=language,
    )
    taken = {index for indexes in layout.columns.values() for index in indexes}
    layout.addresses = _address_columns(header, taken)
    return layout


_LINKEDIN = _Format(
    label="LinkedIn",
    layout=_linkedin_layout,
    tag_separator=None,
    is_header=_is_linkedin_header,
    keyed_by_url=True,
)
_GOOGLE = _Format(label="Google", layout=_google_layout, tag_separator=re.compile(r"\s*:::\s*"))
_OUTLOOK = _Format(
    label="Outlook", layout=_outlook_layout, tag_separator=re.compile(r"\s*(?:;|:::)\s*")
)


# --- one row ---------------------------------------------------------------------------


def _item(raw: list[str], layout: _Layout, where: str, fmt: _Format) -> Item:
    row = _clean(raw, layout.width)
    p = layout.plan
    emails = _emails(row, p.email, layout.email_labels) if p.email else []
    phones = _phones(_values(row, p.phone)) if p.phone else []
    company, title = _first_line(row, p.company), _first_line(row, p.title)
    url = None
    for index in p.url:  # the loops index the row: no list of values per field and row
        if (value := row[index]) and (found := linkedin_url(value)):
            if found.startswith("https://www.linkedin.com/"):
                url = found
                break
            url = url or found
    name = _name(row, p) or _stand_in_name(emails, phones, company, url)
    if name is None:
        reason = "no name, e-mail, phone or profile URL"
        if fmt.keyed_by_url:
            reason += " (a hidden or closed LinkedIn profile)"
        return Skipped(where, reason)
    key = _key(name, company, emails, url if fmt.keyed_by_url else None)
    tags = _tags(_values(row, p.tags), fmt.tag_separator) if p.tags else []
    born = None
    if p.birthday or layout.birth_parts is not None:
        born = _birthday_of(row, layout, _values(row, p.birthday))
    notes = None
    for index in p.notes:
        if value := row[index]:
            notes = _notes(value)
            break
    connected = None
    for index in p.connected:
        if (value := row[index]) and (connected := _english_date(value)) is not None:
            break
    nickname = _first_line(row, p.nickname) if p.nickname else None
    anniversary = None
    if p.anniversary:
        read = _birthday_day_first if layout.day_first else birthday
        anniversary = next(filter(None, map(read, _values(row, p.anniversary))), None)
    addresses = _addresses(row, p.addresses) if p.addresses else []
    # Positional, in the order of Person's fields: keywords would build a dict for every row,
    # a tenth of the time it takes to read a LinkedIn file.
    return Person(
        name, where, key, emails, phones, company, title, tags, born, notes, url, connected,
        nickname, anniversary, addresses,
    )  # fmt: skip


_LINKEDIN_FIELDS = ("first", "last", "url", "email", "company", "title", "connected")
# One address and nothing that _emails splits on, strips or drops: _emails gives it as it is.
_PLAIN_EMAIL = re.compile(r"[^@\s,;:<>()\"']+@[^@\s,;:<>()\"']+")


def _linkedin_item(layout: _Layout, fmt: _Format) -> Callable[[list[str], str], Item] | None:
    """``_item`` for the layout of LinkedIn's export (one column each of ``_LINKEDIN_FIELDS``,
    in any order, other columns ignored), about twice as fast; None for another format or
    layout (the old exports without URLs, a field in two columns).

    It reads the row LinkedIn writes: a profile URL as LinkedIn writes it, a name, a readable
    or empty date, and name, e-mail, company and position cells that are printable, with no
    space around them or two in a row. ``_clean`` would change none of the cells it reads, so
    each field is what ``_item`` makes of it; every other row goes to ``_item``.
    tests/domain/formats/test_linkedin_fast_path.py holds the two to the same result.
    """
    columns = layout.columns
    if (
        fmt is not _LINKEDIN
        or set(columns) != set(_LINKEDIN_FIELDS)
        or any(len(indexes) != 1 for indexes in columns.values())
        or layout.email_labels
        or layout.birth_parts is not None
        or layout.addresses
    ):
        return None
    indexes = [columns[name][0] for name in _LINKEDIN_FIELDS]
    cells = operator.itemgetter(*indexes)  # the seven cells in one call
    shortest = max(indexes) + 1  # _item pads a shorter row

    def item(raw: list[str], where: str) -> Item:
        if len(raw) < shortest:
            return _item(raw, layout, where, fmt)
        first, last, url, email, company, title, connected = cells(raw)
        # A space at either end of a cell, or two in one, makes two spaces in a row here (an
        # empty cell stands as '-' so that it does not); one scan checks the five cells. In
        # the other two, a URL of the pattern and a date that reads (_english_date strips it)
        # hold nothing _clean would remove.
        spaced = f" {first or '-'} {last or '-'} {email or '-'} {company or '-'} {title or '-'} "
        known = _english_date(connected) if connected else None
        if not (
            (first or last)
            and _LINKEDIN_PROFILE.fullmatch(url)
            and (known is not None or not connected)
            and spaced.isprintable()
            and "  " not in spaced
        ):
            return _item(raw, layout, where, fmt)
        url = url.rstrip("/").lower()  # a profile's URL: its key is the URL without www
        emails: list[str] = []
        if email:  # the cell is as _clean leaves it: _emails reads it as _item would
            emails = [email] if _PLAIN_EMAIL.fullmatch(email) else _emails([email], (0,), {})
        return Person(
            f"{first} {last}" if first and last else first or last, where, url[_WWW:], emails, [],
            company or None, title or None, [], None, None, url, known, None, None, [],
        )  # fmt: skip

    return item


def _lines(cell: str) -> list[str]:
    """A street cell's lines, each on one line with single spaces; empty ones dropped."""
    if "\n" not in cell and "\r" not in cell and "  " not in cell and cell.isprintable():
        return [cell]  # the usual cell, already clean: no split, no join
    return [" ".join(line.split()) for line in _LINE_BREAK.split(cell) if line.strip()]


def _addresses(row: list[str], groups: tuple[_AddressColumns, ...]) -> list[Address]:
    found: list[Address] = []
    for g in groups:
        lines = [line for i in g.street if (cell := row[i]) for line in _lines(cell)]
        city, region = _first_line(row, g.city), _first_line(row, g.region)
        postcode, country = _first_line(row, g.postcode), _first_line(row, g.country)
        if not (lines or city or region or postcode or country):
            lines = [line for i in g.formatted if (cell := row[i]) for line in _lines(cell)]
        street = "\n".join(lines) or None
        if not (street or city or region or postcode or country):
            continue
        label = g.label
        if g.label_column is not None and (text := row[g.label_column].lstrip("* ").strip()):
            label = _ADDRESS_LABELS.get(text.lower(), text)
        address = Address(label, street, city, region, postcode, country)
        if address not in found:
            found.append(address)
    return found


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")  # not TAB, LF, CR


def _clean(row: list[str], width: int) -> list[str]:
    """The row's cells stripped, without control characters (never stored), padded to
    ``width`` so every column of the header can be indexed."""
    cells = list(map(str.strip, row))
    if not "".join(cells).isprintable():  # rare: tabs, line breaks in notes, NUL, ...
        cells = [_CONTROL.sub("", cell).strip() for cell in cells]
    if len(cells) < width:
        cells.extend([""] * (width - len(cells)))
    return cells


def _values(row: list[str], indexes: tuple[int, ...]) -> list[str]:
    return [value for index in indexes if (value := row[index])]


def _first_line(row: list[str], indexes: tuple[int, ...]) -> str | None:
    for index in indexes:
        if value := row[index]:
            return value if value.isprintable() and "  " not in value else " ".join(value.split())
    return None


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _name(row: list[str], p: "_Plan") -> str | None:
    if p.name and (name := _first_line(row, p.name)):
        return name
    if name := " ".join(" ".join([row[index] for index in p.parts]).split()):
        return name
    return _first_line(row, p.nickname)


def _stand_in_name(
    emails: list[str], phones: list[str], company: str | None, url: str | None
) -> str | None:
    if emails:
        return emails[0]
    if company and (phones or url):
        return company
    if phones:
        return phones[0]
    if url:
        return url.rstrip("/").rsplit("/", 1)[-1] or None
    return None


_LINKEDIN_SITE = "https://www.linkedin.com/"
_WWW = len("https://www.")


def _key(name: str, company: str | None, emails: list[str], url: str | None) -> str:
    """What identifies a row within its source (the contact's ``source`` after the format's
    name): a LinkedIn URL without 'https://www.' ('linkedin.com/in/ann-lee'), another URL as
    it is, else the first e-mail, else the folded name and company."""
    if url:
        return url[_WWW:] if url.startswith(_LINKEDIN_SITE) else url
    if emails:
        return email_key(emails[0])
    return f"{fold(name)}|{fold(company or '')}"


def _emails(row: list[str], indexes: Sequence[int], labels: Mapping[int, int]) -> list[str]:
    """The addresses in the e-mail cells of a row that ``_clean`` padded to every column."""
    if labels:  # Google marks the primary address's label with '* '
        indexes = sorted(
            indexes, key=lambda i: i not in labels or not row[labels[i]].startswith("*")
        )
    found: dict[str, str] = {}
    for index in indexes:
        if not (value := row[index]):
            continue
        # One address per cell is usual: a search for a separator is much cheaper than split.
        for part in _EMAIL_SPLIT.split(value) if _EMAIL_SEPARATOR.search(value) else (value,):
            address = part.strip("<>()\"'")
            if address.lower().startswith("mailto:"):
                address = address[len("mailto:") :]
            if _ADDRESS.fullmatch(address):
                found.setdefault(email_key(address), address)
    return list(found.values())


def _phones(values: Iterable[str]) -> list[str]:
    found: dict[str, str] = {}
    for value in values:
        for part in _LABEL_SPLIT.split(value):
            phone = " ".join(part.split())
            digits = _NOT_DIGIT.sub("", phone)
            if len(digits) >= 3:  # '(555) 010-2030' and '555.010.2030' are one number
                found.setdefault(("+" if phone.startswith("+") else "") + digits, phone)
    return list(found.values())


def _tags(values: Iterable[str], separator: re.Pattern[str] | None) -> list[str]:
    tags: dict[str, None] = {}
    for value in values:
        for label in separator.split(value) if separator else [value]:
            bare = label.strip()
            if bare.startswith("*") and _column(bare) == "mycontacts":
                continue  # Google's system label: every contact has it
            tag = _TAG_GAPS.sub("-", bare.lstrip("*#").strip().lower())
            if tag := tag[:_TAG_LENGTH].strip("-"):
                tags[tag] = None
    return list(tags)


def _notes(value: str) -> str | None:
    return _LINE_BREAK.sub("\n", value).strip() or None


def _birthday_of(row: list[str], layout: _Layout, values: list[str]) -> str | None:
    if layout.birth_parts is not None:
        year_index, month_index, day_index = layout.birth_parts
        year = _cell(row, year_index) if year_index is not None else ""
        month, day = _cell(row, month_index), _cell(row, day_index)
        if month.isdigit() and day.isdigit():
            return _day(int(year) if year.isdigit() else None, int(month), int(day))
        return None
    return next(
        filter(None, map(_birthday_day_first if layout.day_first else birthday, values)), None
    )


# --- dates -----------------------------------------------------------------------------


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.? (\d{1,2}),? (\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


# Connection dates repeat: at most one per day since LinkedIn began (about 8,600 by 2026), so
# the cache holds them all; 4,096 missed two lookups in five on a 50,000-row file.
@functools.lru_cache(maxsize=1 << 14)
def _english_date(text: str) -> date | None:
    """'05 Mar 2024', '5 March 2024', 'Mar 5, 2024' or '2024-03-05'; never the locale."""
    raw = text.strip()
    if match := _DAY_MONTH_YEAR.fullmatch(raw):
        day, month, year = match[1], match[2], match[3]
    elif match := _MONTH_DAY_YEAR.fullmatch(raw):
        month, day, year = match[1], match[2], match[3]
    elif match := _ISO_DATE.fullmatch(raw):
        year, month, day = match[1], match[2], match[3]
    else:
        return None
    number = int(month) if month.isdigit() else _MONTH_NUMBERS.get(month.lower())
    if number is None:
        return None
    try:
        return date(int(year), number, int(day))
    except ValueError:
        return None


def _full_year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 2:
        return 2000 + year if year < 30 else 1900 + year
    return year


def _day(year: int | None, month: int, day: int) -> str | None:
    """'YYYY-MM-DD' or '--MM-DD' if that day exists (Feb 29 without a year does)."""
    if year is not None and year < 1800:
        year = None
    try:
        date(2000 if year is None else year, month, day)
    except ValueError:
        return None
    if year is None:
        return f"--{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"
