"""Export the book as vCard, CSV, JSON or iCalendar bytes, and write them to a file safely.

Exports read through the stdlib sqlite3 door (no ORM), in one read transaction.
"""

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from relcli import __version__
from relcli.domain.formats import book, ics, tables, vcard
from relcli.errors import InvalidInputError, StorageIOError, UsageError
from relcli.store import exports as rows

FORMATS = ("vcard", "csv", "json", "ics")


@dataclass(frozen=True)
class Export:
    data: bytes
    count: int
    noun: str  # what count counts: "contacts", "follow-ups" or "events"


def _read(conn: sqlite3.Connection | None) -> book.Tables:
    return book.Tables() if conn is None else rows.read(conn)


def _csv(conn: sqlite3.Connection | None) -> Export:
    if conn is None:
        found, last = book.Tables(), {}
    else:
        with rows.snapshot(conn):
            found, last = rows.read(conn), rows.last_contact_on(conn)
    companies = {c["id"]: c["name"] for c in found.companies}
    contacts = sorted(found.contacts, key=lambda c: int(c["id"]))
    text = tables.write(
        tables.row(c, company=companies.get(c["company_id"]), last_contact_on=last.get(c["id"]))
        for c in contacts
    )
    return Export(text.encode("utf-8"), len(contacts), "contacts")


def _calendar_items(found: book.Tables) -> list[ics.FollowUp]:
    """Open follow-ups for a calendar, with how to reach each contact.

    A contact who asked not to be contacted gets no reminders, and a channel they opted out
    of is not offered (PRODUCT.md: every reminder respects the contact policy).
    """
    contacts = {c["id"]: c for c in found.contacts}
    items = []
    for fu in found.follow_ups:
        contact = contacts.get(fu["contact_id"])
        if fu["done_at"] is not None or contact is None or contact["do_not_contact"]:
            continue
        out = set(contact["opted_out_channels"])
        phones = [] if {"call", "text"} <= out else contact["phones"]
        emails = [] if "email" in out else contact["emails"]
        items.append(
            ics.FollowUp(
                id=fu["id"],
                contact=contact["name"],
                due_on=date.fromisoformat(fu["due_on"]) if fu["due_on"] else None,
                reason=fu["reason"],
                every_days=fu["every_days"],
                created_at=datetime.fromisoformat(fu["created_at"]),
                phone=phones[0] if phones else None,
                email=emails[0] if emails else None,
            )
        )
    return items


def _vcard(found: book.Tables) -> Export:
    companies = {c["id"]: c["name"] for c in found.companies}
    people = [
        {**c, "id": str(c["id"]), "company": companies.get(c["company_id"])}  # vcard wants text
        for c in sorted(found.contacts, key=lambda c: int(c["id"]))
    ]
    return Export("".join(vcard.write(people)).encode("utf-8"), len(people), "contacts")


def export(conn: sqlite3.Connection | None, fmt: str, *, events: bool = False) -> Export:
    """The bytes of one export of the book behind ``conn`` (None: an empty book)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    if events and fmt != "ics":
        raise UsageError(
            f"--events applies to ics, not {fmt}; nothing was written",
            hint="relcli export ics --events FILE",
        )
    if fmt == "csv":
        return _csv(conn)
    found = _read(conn)
    if fmt == "json":
        text = book.dumps(book.build(found, relcli_version=__version__))
        return Export(text.encode("utf-8"), len(found.contacts), "contacts")
    if fmt == "ics":
        items = _calendar_items(found)
        data = ics.write(items, events=events)
        shown = [i for i in items if i.due_on is not None] if events else items
        return Export(data, len(shown), "events" if events else "follow-ups")
    return _vcard(found)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:  # one of them does not exist
        return False


def write_file(path: Path, data: bytes, *, keep: Sequence[Path] = ()) -> None:
    """Write ``data`` to ``path`` atomically, readable by the user only (0600).

    The bytes go to a temporary file in the same folder, are flushed to disk, and then take
    the place of ``path`` in one rename: a reader sees the old file or the new one, never half.
    ``keep`` names files that must never be replaced (the database and its companions).
    """
    if path.is_dir():
        raise InvalidInputError(
            f"{str(path)!r} is a folder; nothing was written",
            hint=f"name a file in it, e.g. '{path / 'relcli-export'}'",
        )
    if any(_same_file(path, kept) for kept in keep):
        raise InvalidInputError(
            f"{str(path)!r} is relcli's own database or config; nothing was written",
            hint="name another file, e.g. 'relcli-export.json'",
        )
    folder = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise StorageIOError(f"cannot write {str(path)!r}: {err.strerror}") from err
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except OSError as err:
        raise StorageIOError(f"cannot write {str(path)!r}: {err.strerror}") from err
    finally:
        tmp.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # make the rename itself durable where folders sync
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
