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
    "notes", "last_contact_on", "nickname", "anniversary", "addresses",
)  # fmt: skip
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it but never runs it: a leading ``'`` before a formula.

    NUL characters are dropped (spreadsheets cut the cell there).
    """
    text = text.replace("\x00", "")
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def address_text(address: Mapping[str, Any], separator: str = ", ") -> str:
    """An address on one line: its street lines, then postcode and city, region, country."""
    place = " ".join(x for x in (address["postcode"], address["city"]) if x)
    street = (address["street"] or "").splitlines()
    return separator.join(p for p in (*street, place, address["region"], address["country"]) if p)


def _addresses(addresses: Iterable[Mapping[str, Any]]) -> str:
    """Every address of a contact in one cell, one a line: 'work: 1 Main St, 8001 Zürich'."""
    lines = []
    for address in addresses:
        text = address_text(address)
        if text:
            lines.append(f"{address['label']}: {text}" if address["label"] else text)
    return "\n".join(lines)


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
        addresses=_addresses(contact.get("addresses") or []),
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
