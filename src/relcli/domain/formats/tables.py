"""CSV export: one row per contact, every cell safe from spreadsheet formula injection.

The text starts with a UTF-8 byte order mark, because Excel reads a CSV file without one
in the legacy code page and garbles every accented name; LibreOffice, Numbers, Google
Sheets and Python's ``encoding="utf-8-sig"`` read it fine. Rows end in CRLF (RFC 4180).
"""

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

BOM = "\ufeff"
COLUMNS = (
    "id", "name", "company", "title", "stage", "tier", "emails", "phones", "tags",
    "cadence_days", "preferred_channel", "do_not_contact", "birthday", "renewal_on", "url",
    "notes", "last_contact_on",
)  # fmt: skip
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it but never runs it: a leading ``'`` before a formula.

    NUL characters are dropped (spreadsheets cut the cell there).
    """
    text = text.replace("\x00", "")
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def row(
    contact: Mapping[str, Any], *, company: str | None, last_contact_on: str | None
) -> dict[str, str]:
    """The visible cells for one contact of a book (see ``book.KEYS``), not yet neutralised."""
    cells = {key: contact.get(key) for key in COLUMNS}
    cells.update(
        company=company,
        emails="; ".join(contact["emails"]),
        phones="; ".join(contact["phones"]),
        tags=", ".join(sorted(contact["tags"])),
        last_contact_on=last_contact_on,
    )
    return {key: _cell(cells[key]) for key in COLUMNS}


def write(rows: Iterable[Mapping[str, str]]) -> str:
    """A header and one line per row, every cell neutralised; BOM first, CRLF line ends."""
    buffer = io.StringIO(newline="")
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for cells in rows:
        writer.writerow([neutralise(cells[key]) for key in COLUMNS])
    return buffer.getvalue()
