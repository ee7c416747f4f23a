"""LinkedIn's row function (``csvfiles._linkedin_item``) gives what the generic ``_item`` gives.

Row by row for any cells (hypothesis), and file by file: a generated Connections.csv and every
LinkedIn fixture read the same with it (``read_linkedin``) as without it
(``_read(..., specialised=False)``, every row through ``_item``).
"""

import csv
import io
import random
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcli.domain.formats import csvfiles, sniff
from relcli.domain.formats.records import Item, Person
from relcli.domain.names import fold

HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
# Other names the LinkedIn rules give the same field (one of them per header).
ALIASES = {
    "URL": ["URL", "Profile URL", "LinkedIn URL", "linkedin"],
    "Email Address": ["Email Address", "Email", "E-mail Address"],
    "Position": ["Position", "Job Title", "Title"],
    "First Name": ["First Name", "first_name", "FIRST NAME"],
}
FIXTURES = Path(__file__).parents[2] / "data" / "fixtures" / "linkedin"
SHARED = Path(__file__).resolve().parents[4] / "shared" / "fixtures" / "linkedin"  # if beside
WHERE = "line 7"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

RowReader = Callable[[list[str], str], Item]


def fast_and_layout(header: list[str]) -> tuple[csvfiles._Layout, RowReader]:
    layout = csvfiles._file_layout(header, csvfiles._LINKEDIN)
    fast = csvfiles._linkedin_item(layout, csvfiles._LINKEDIN)
    assert fast is not None
    return layout, fast


def generic(row: list[str], layout: csvfiles._Layout) -> Item:
    return csvfiles._item(list(row), layout, WHERE, csvfiles._LINKEDIN)


# --- cells -----------------------------------------------------------------------------

# What _clean strips or removes, and what it keeps that is not printable (NBSP, U+2028, ...).
NASTY = [
    *("\t", "\n", "\r", "\x00", "\x01", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\x9f"),
    *("\xa0", "\u200b", "\u2028", "\u3000", "\ufeff", "\udcff", "\u00ad"),
]
NOISE = st.sampled_from(["", "", "", " ", "  ", "\r\n", *NASTY])
CHARS = st.one_of(
    st.sampled_from(
        [*"aZ09 -|'.,;:@<>()\"&/", "é", "ß", "Ł", "山", "ğ", "\u0301", "\u0308", "\u0663"]
    ),
    st.sampled_from(NASTY),
    st.characters(),
)
TEXT = st.text(CHARS, max_size=14)


@st.composite
def noisy(draw: st.DrawFn, core: st.SearchStrategy[str]) -> str:
    """A cell with, often, something before, in or after it that _clean would see."""
    cell = draw(core)
    at = draw(st.integers(0, len(cell)))
    return draw(NOISE) + cell[:at] + draw(NOISE) + cell[at:] + draw(NOISE)


NAME = noisy(
    st.one_of(
        st.sampled_from(["", "Ann", "Mary Ann", "José", "Zoë", "O'Brien", "山田", "Jose\u0301"]),
        st.sampled_from(["van  Dijk", "Ann-Marie", "Lee|Kim", "-", "Łukasz", "Ørjan"]),
        TEXT,
    )
)
SLUG = st.text(st.sampled_from([*"abcXYZ019-_%", "é", " ", "/", "?", "#", ".", "\\"]), max_size=12)
URL = noisy(
    st.one_of(
        st.tuples(
            st.sampled_from(["https://", "http://", "", "HTTPS://", "https:/", "//", "ftp://"]),
            st.sampled_from(
                [
                    *("www.linkedin.com", "linkedin.com", "de.linkedin.com", "WWW.LINKEDIN.COM"),
                    *("uk.linkedin.com:443", "ann@www.linkedin.com", "example.com", "[::1"),
                    *("linkedin.com.evil.example", "notlinkedin.com", ""),
                ]
            ),
            st.sampled_from(["/in/", "/IN/", "/in//", "/company/", "/", "", "/pub/", "/in"]),
            SLUG,
            st.sampled_from(["", "", "/", "//", "?trk=abc", "?x=1#frag", "#top", "/?a=b", " "]),
        ).map("".join),
        st.sampled_from(
            [
                *("", "https://www.linkedin.com/in/", "https://www.linkedin.com/in/ann-lee-0a1b"),
                *("https://www.linkedin.com/in/Ann-Lee/", "https://www.linkedin.com/in/a%C3%A9"),
                *("https://www.linkedin.com/in/ann_lee", "https://www.linkedin.com/in/ann//"),
                *("https://www.linkedin.com/in/ann?trk=x", "https://ann.example/About"),
            ]
        ),
        TEXT,
    )
)
ADDRESS = st.tuples(
    st.sampled_from(["ann", "Ann.Lee", "a+b", "jé", "x", "", "o'brien"]),
    st.sampled_from(["@", "@", "@@", ""]),
    st.sampled_from(["example.com", "Example.COM", "bücher.example", "localhost", ""]),
).map("".join)
EMAIL = noisy(
    st.one_of(
        ADDRESS,
        st.tuples(
            st.lists(ADDRESS, min_size=1, max_size=3),
            st.sampled_from([",", ";", ":::", " ", ", ", " ; ", "\t"]),
        ).map(lambda p: p[1].join(p[0])),
        st.tuples(
            st.sampled_from(["mailto:", "MAILTO:", "<", '"', "(", "'", "mailto:<"]),
            ADDRESS,
            st.sampled_from(["", ">", '"', ")", "'"]),
        ).map("".join),
        st.sampled_from(["", "no-at-sign", "a@b@c", "@", "ann@example.com ANN@example.com"]),
        TEXT,
    )
)
LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]
LONG_MONTHS += ["September", "October", "November", "December"]
# Every form _english_date reads, filled in with a real day.
DATE_FORMS = [
    *("{dd} {mon} {y}", "{d} {month} {y}", "{d}-{mon}-{y}", "{d} {mon}. {y}", "{mon} {d}, {y}"),
    *("{month} {d} {y}", "{mon}. {d}, {y}", "{y}-{mm}-{dd}", "{dd} {MON} {y}", "{d} {low} {y}"),
]
READABLE_DATE = st.builds(
    lambda day, form: form.format(
        d=day.day, dd=f"{day.day:02d}", mm=f"{day.month:02d}", y=day.year,
        mon=MONTHS[day.month - 1], MON=MONTHS[day.month - 1].upper(),
        month=LONG_MONTHS[day.month - 1], low=LONG_MONTHS[day.month - 1].lower(),
    ),
    st.dates(date(1000, 1, 1)),
    st.sampled_from(DATE_FORMS),
)  # fmt: skip
MONTH = st.sampled_from(["Jan", "January", "Sept", "Mär", "Foo", "Febr", "May", "Dec"])
DAY = st.integers(0, 32)
YEAR = st.integers(0, 9999)
ENGLISH_DATE = st.one_of(
    READABLE_DATE,
    READABLE_DATE,
    st.builds(lambda d, m, y: f"{d:02d} {m} {y:04d}", DAY, MONTH, YEAR),  # often no day
    st.builds(lambda d, m, y: f"{m} {d}, {y}", DAY, MONTH, YEAR),
    st.builds(lambda d, y: f"{d} Sept {y}", DAY, YEAR),
    st.builds(lambda d, y: f"Sept. {d}, {y}", DAY, YEAR),
    st.builds(lambda d, m, y: f"{y:04d}-{m:02d}-{d:02d}", DAY, st.integers(0, 13), YEAR),
    st.sampled_from(
        [
            "\u0660\u0665 Mar \u0662\u0660\u0662\u0664",  # Arabic-Indic digits
            *("29 Feb 2023", "29 Feb 2024", "5 Mar 24", "3/5/2024", "05  Mar 2024", ""),
        ]
    ),
    TEXT,
)
CONNECTED = noisy(ENGLISH_DATE)
OTHER = noisy(
    st.one_of(
        st.sampled_from(["", "Acme", "Acme, Inc.", "Director,  Partnerships", "Société Générale"]),
        st.sampled_from(["R&D | Ops", "CTO", "-", "Head of\nSales", "Zürich AG"]),
        TEXT,
    )
)
CELLS = {
    "first": NAME,
    "last": NAME,
    "url": URL,
    "email": EMAIL,
    "company": OTHER,
    "title": OTHER,
    "connected": CONNECTED,
}


@st.composite
def headers(draw: st.DrawFn) -> list[str]:
    """LinkedIn's columns in any order, under any of their names, among columns it ignores."""
    names = [draw(st.sampled_from(ALIASES.get(name, [name]))) for name in HEADER]
    columns = draw(st.permutations(names))
    extras = draw(st.lists(st.sampled_from(["Extra Column", "Tags", "Phone", "Notes", ""])))
    for extra in extras:
        columns.insert(draw(st.integers(0, len(columns))), extra)
    return columns


# Cells as LinkedIn writes them: printable, trimmed, the URL in its canonical form.
PLAIN_TEXT = st.text(
    st.sampled_from([*"aAzZ09-'.,&|()@", "é", "ß", "Ł", "山", "\u0301", "\u0663"]), max_size=12
)
PLAIN_WORDS = st.lists(PLAIN_TEXT.filter(bool), max_size=3).map(" ".join)
USUAL = {
    "first": PLAIN_WORDS.filter(bool),
    "last": PLAIN_WORDS,
    "url": st.builds(
        lambda slug, end: f"https://www.linkedin.com/in/{slug}{end}",
        st.text(st.sampled_from([*"abcXYZ019-_%"]), min_size=1, max_size=20),
        st.sampled_from(["", "/"]),
    ),
    "email": st.one_of(
        ADDRESS,
        st.tuples(
            st.lists(ADDRESS, min_size=1, max_size=3), st.sampled_from([",", ";", ":::", " ", ", "])
        ).map(lambda p: p[1].join(p[0])),
        st.builds(lambda address: f"mailto:{address}", ADDRESS),
    ),
    "company": PLAIN_WORDS,
    "title": PLAIN_WORDS,
    "connected": st.one_of(st.just(""), READABLE_DATE),
}


@st.composite
def header_and_row(draw: st.DrawFn, *, odd: bool = True) -> tuple[list[str], list[str]]:
    """A header and a row of it: a usual row, some of whose cells (with ``odd``) are of any
    kind, each the nastier kind of its field; short, as long, or longer than the header."""
    header = draw(headers())
    layout = csvfiles._file_layout(header, csvfiles._LINKEDIN)
    field_of = {indexes[0]: name for name, indexes in layout.columns.items()}
    odd_fields = draw(st.sets(st.sampled_from(csvfiles._LINKEDIN_FIELDS))) if odd else set()
    row = [
        draw(
            TEXT
            if i not in field_of
            else (CELLS if field_of[i] in odd_fields else USUAL)[field_of[i]]
        )
        for i in range(len(header))
    ]
    shape = draw(st.sampled_from(["as long", "as long", "short", "longer"]))
    if shape == "short":
        row = row[: draw(st.integers(0, len(row)))]
    elif shape == "longer":
        row += draw(st.lists(noisy(TEXT), min_size=1, max_size=3))
    return header, row


@settings(max_examples=1500, deadline=None)
@given(header_and_row())
def test_the_linkedin_row_function_gives_what_item_gives(case: tuple[list[str], list[str]]) -> None:
    """Equal items (the same Person field by field, or the same Skipped reason) for any row."""
    header, row = case
    layout, fast = fast_and_layout(header)
    assert fast(list(row), WHERE) == generic(row, layout)


@settings(max_examples=200, deadline=None)
@given(header_and_row(odd=False).filter(lambda case: len(case[1]) >= len(case[0])))
def test_the_rows_linkedin_writes_are_read_without_item(case: tuple[list[str], list[str]]) -> None:
    """The proof above is not vacuous: the usual row takes the fast path (as does a printable
    e-mail cell of any form, which it reads through _emails)."""
    header, row = case
    layout, fast = fast_and_layout(header)
    with mock.patch.object(csvfiles, "_item", side_effect=AssertionError("_item was called")):
        item = fast(list(row), WHERE)
    assert isinstance(item, Person)
    assert item == generic(row, layout)


@pytest.mark.parametrize(
    ("header", "fmt"),
    [
        (HEADER[:2] + HEADER[3:], csvfiles._LINKEDIN),  # the 2020 export: no URL
        ([*HEADER, "Email"], csvfiles._LINKEDIN),  # two e-mail columns
        ([*HEADER, "First Name"], csvfiles._LINKEDIN),  # two first names
        (HEADER, csvfiles._GOOGLE),
        (HEADER, csvfiles._OUTLOOK),
    ],
    ids=["no-url", "two-emails", "two-first-names", "google", "outlook"],
)
def test_other_layouts_and_formats_have_no_row_function(
    header: list[str], fmt: csvfiles._Format
) -> None:
    assert csvfiles._linkedin_item(csvfiles._file_layout(header, fmt), fmt) is None


# --- whole files -----------------------------------------------------------------------


def both_ways(data: bytes, source: str = "Connections.csv") -> tuple[list[Item], list[Item]]:
    fast = list(csvfiles.read_linkedin(sniff.open_text(io.BytesIO(data)), source=source))
    text = sniff.open_text(io.BytesIO(data))
    generic = list(csvfiles._read(text, source=source, fmt=csvfiles._LINKEDIN, specialised=False))
    return fast, generic


PREAMBLE = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email '
    'addresses are missing."\n\n'
)
FIRST = ["Ann", "Bob", "Chloé", "Łukasz", "Søren", "Zoë", "Priya", "Hiro", "Mary Ann", "山田"]
LAST = ["Lee", "Núñez", "O'Brien", "Müller", "van Dijk", "Şahin", "Nguyen", "Kim", "太郎"]
COMPANIES = ["Acme", "Globex Capital LLC", "Acme, Inc.", "Société Générale", "Wonka Labs"]
TITLES = ["CTO", "Head of Sales", "Director, Partnerships", "Senior Engineer", "Founder & CEO"]
# Rows LinkedIn does not write, a few in the file: each must go to _item and come back the same.
ODD_ROWS = [
    [" Ann ", "Lee", "https://www.linkedin.com/in/ann-odd-1", "", "Acme", "CTO", "05 Mar 2024"],
    ["Ann", "Lee", "linkedin.com/in/Ann-Odd-2/?trk=x", "", "Acme", "CTO", "05 Mar 2024"],
    ["Ann", "Lee", "https://www.linkedin.com/in/ann-odd-3", "mailto:Ann@X.com; b@y", "", "", ""],
    ["Ann\x00", "Lee", "https://www.linkedin.com/in/ann-odd-4", "", "A\tB", "C  D", "5 Mär 2024"],
    ["", "", "", "", "", "", "05 Mar 2024"],  # a hidden profile: skipped
    ["", "", "https://www.linkedin.com/in/slug-only", "", "", "", "31 Feb 2024"],
    ["Ann", "Lee"],  # short
    ["Ann", "Lee", "https://ann.example/", "ann@example.com", "Acme", "CTO", "2024-03-05", "x"],
]


def generated_file(rows: int, seed: int = 20261201) -> bytes:
    """A Connections.csv like the benchmark's: mostly usual rows, a few odd ones."""
    rng = random.Random(seed)
    out = io.StringIO(newline="")
    out.write(PREAMBLE)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for number in range(rows):
        if number % 500 == 250:
            writer.writerow(ODD_ROWS[number // 500 % len(ODD_ROWS)])
            continue
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = re.sub(r"[^a-z0-9]+", "-", fold(f"{first} {last}"))  # as LinkedIn makes slugs
        slug = f"{name}-{rng.getrandbits(40):010x}".strip("-")
        email = f"{slug[:12]}@example.com" if rng.random() < 0.2 else ""
        company, title = (
            ("", "") if rng.random() < 0.05 else (rng.choice(COMPANIES), rng.choice(TITLES))
        )
        on = f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {rng.randint(2008, 2026)}"
        writer.writerow(
            [first, last, f"https://www.linkedin.com/in/{slug}", email, company, title, on]
        )
    return out.getvalue().encode()


def test_a_generated_connections_file_reads_the_same_both_ways() -> None:
    with mock.patch.object(csvfiles, "_item", wraps=csvfiles._item) as item:
        fast, generic = both_ways(generated_file(4000))
    assert fast == generic
    assert len(fast) == 4000
    # _item read every row of the generic read, and of the fast one the odd rows but the one
    # whose e-mail cell the fast path hands to _emails.
    assert item.call_count == 4000 + 4000 // 500 - 1


def fixtures() -> list[Path]:
    found = sorted(FIXTURES.glob("*.csv"))
    if SHARED.is_dir():
        found += sorted(SHARED.glob("*.csv"))
    return found


@pytest.mark.parametrize("path", fixtures(), ids=lambda path: f"{path.parents[2].name}/{path.name}")
def test_every_linkedin_fixture_reads_the_same_both_ways(path: Path) -> None:
    fast, generic = both_ways(path.read_bytes(), source=path.name)
    assert fast == generic
    assert any(isinstance(item, Person) for item in fast)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            b"First Name,Last Name,Email Address,Company,Position,Connected On\n"
            b"Ann,Lee,Ann.Lee@Example.com,Acme,CFO,05 Mar 2020\nBo,Kim,,Acme,CTO,6 March 2020\n",
            id="2020-layout",
        ),
        pytest.param(
            b"First Name,Last Name,URL,Connected On\nAnn,Lee,https://linkedin.com/in/ann,5 Mar 2024\n",
            id="four-columns",
        ),
        pytest.param(b"Name,Email\nAnn,ann@example.com\n", id="no-header"),
        pytest.param(
            "\ufeffFirst Name;Last Name;URL;Email Address;Company;Position;Connected On\r\n"
            'José;García;https://www.linkedin.com/in/JoseGarcia/;;"Acme; Inc.";CTO;15 Jan 2024\r\n'
            "Ann;Lee;https://www.linkedin.com/in/ann;;;;\r\n".encode(),
            id="semicolons-and-bom",
        ),
    ],
)
def test_small_linkedin_files_read_the_same_both_ways(data: bytes) -> None:
    fast, generic = both_ways(data)
    assert fast == generic
