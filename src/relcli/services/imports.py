"""Bring a book in: people read from a file become contacts, merged with those already there.

The file formats' import (``run``) works on a bare ``sqlite3`` connection inside the
command's one transaction: tens of thousands of rows are matched and written without the
ORM's import and per-row costs (see docs/performance.md).
"""

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal

from relcli.domain import dupes, names, vocabulary
from relcli.domain.formats.records import Item, Person, Skipped
from relcli.errors import ImportFileError
from relcli.services import gc_pause
from relcli.services.context import Context
from relcli.store import stats

if TYPE_CHECKING:
    from sqlmodel import Session

OnDuplicate = Literal["merge", "skip", "new"]


@dataclass
class Summary:
    """What an import did (or, with --dry-run, would do), person by person."""

    format: str
    dry_run: bool = False
    added: list[tuple[str, str, int]] = field(default_factory=list)  # where, name, id
    merged: list[tuple[str, str, int, str]] = field(default_factory=list)  # ... and why
    unchanged: list[tuple[str, str, int]] = field(default_factory=list)  # imported before
    skipped: list[Skipped] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "dry_run": self.dry_run,
            "added": len(self.added),
            "merged": len(self.merged),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
            "contacts": [
                *({"where": w, "name": n, "contact_id": i, "action": "added", "reason": None}
                  for w, n, i in self.added),
                *({"where": w, "name": n, "contact_id": i, "action": "merged", "reason": r}
                  for w, n, i, r in self.merged),
                *({"where": w, "name": n, "contact_id": i, "action": "unchanged",
                   "reason": "imported before"} for w, n, i in self.unchanged),
            ],
            "skips": [{"where": s.where, "reason": s.reason} for s in self.skipped],
        }  # fmt: skip


class _Book:
    """The book's identities and ids, loaded once, kept current as the import writes."""

    def __init__(self, conn: sqlite3.Connection, region: str | None) -> None:
        self.region = region
        self.index = dupes.Index()
        self.sources: dict[str, int] = {}
        self.emails: set[str] = set()
        self.companies = {key: cid for cid, key in conn.execute("SELECT id, name_key FROM company")}
        emails: dict[int, set[str]] = {}
        phones: dict[int, set[str]] = {}
        for cid, key in conn.execute("SELECT contact_id, address_key FROM contact_email"):
            emails.setdefault(cid, set()).add(key)
            self.emails.add(key)
        for cid, key in conn.execute("SELECT contact_id, number_key FROM contact_phone"):
            phones.setdefault(cid, set()).add(key)
        rows = conn.execute(
            "SELECT c.id, c.name, co.name, c.url, c.source FROM contact c "
            "LEFT JOIN company co ON co.id = c.company_id ORDER BY c.id"
        )
        for cid, name, company, url, source in rows:
            who = dupes.Identity(name, company, emails.get(cid, set()), phones.get(cid, set()),
                                 dupes.linkedin_key(url))  # fmt: skip
            self.index.add(cid, who)
            if source:
                self.sources.setdefault(source, cid)
        self.next_ids = {
            table: int(conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])
            for table in ("contact", "company", "contact_email", "contact_phone")
        }

    def new_id(self, table: str) -> int:
        found = self.next_ids[table]
        self.next_ids[table] = found + 1
        return found


def _stored_time(moment: datetime) -> str:
    """A time as the tables hold it (models.UTCDateTime): UTC ISO 8601 to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def run(
    conn: sqlite3.Connection,
    items: Iterable[Item],
    ctx: Context,
    *,
    format_name: str,
    tags: Iterable[str] = (),
    stage: str | None = None,
    on_duplicate: OnDuplicate = "merge",
    dry_run: bool = False,
) -> Summary:
    """Import every person in ``items`` inside the caller's transaction on ``conn``.

    Nothing is written if none could be read (ImportFileError). With ``dry_run`` the rows
    are written and then rolled back to a savepoint, so the summary is exactly what a real
    import would do.
    """
    extra_tags = [vocabulary.check_tag(t) for t in tags]
    stage = vocabulary.check_stage(stage) if stage else None
    # New companies and contacts are inserted in bulk after the people that name them.
    conn.execute("PRAGMA defer_foreign_keys = ON")
    # The default 2 MiB page cache spills a large import's index pages to the WAL again and
    # again; 64 MiB (filled only as needed) keeps a 200,000-row import in memory.
    conn.execute("PRAGMA cache_size = -65536")
    conn.execute("SAVEPOINT import_run")
    with gc_pause.paused():
        summary = _run(conn, items, ctx, format_name, extra_tags, stage, on_duplicate, dry_run)
    conn.execute("ROLLBACK TO import_run" if dry_run else "RELEASE import_run")
    if dry_run:
        conn.execute("RELEASE import_run")
    return summary


def _run(
    conn: sqlite3.Connection,
    items: Iterable[Item],
    ctx: Context,
    format_name: str,
    extra_tags: list[str],
    stage: str | None,
    on_duplicate: OnDuplicate,
    dry_run: bool,
) -> Summary:
    book = _Book(conn, ctx.settings.phone_region)
    summary = Summary(format_name, dry_run)
    new = _NewRows(_stored_time(ctx.now), stage or "lead")
    read_any = False
    for item in items:
        if isinstance(item, Skipped):
            summary.skipped.append(item)
            continue
        read_any = True
        person = item
        if person.tags or extra_tags:
            person.tags = sorted({*(_tag(t) for t in person.tags), *extra_tags} - {""})
        source = f"{format_name}:{person.key}"
        if source in book.sources:
            contact_id = book.sources[source]
            if on_duplicate == "merge" and _merge(conn, book, new, contact_id, person):
                summary.merged.append(
                    (person.where, person.name, contact_id, "same record, updated")
                )
            else:
                summary.unchanged.append((person.where, person.name, contact_id))
            continue
        who = dupes.identity(person.name, person.company, person.emails, person.phones,
                             person.url, book.region)  # fmt: skip
        match = book.index.match(who) if on_duplicate != "new" else None
        if match is not None and on_duplicate == "skip":
            summary.skipped.append(Skipped(person.where, f"duplicate of #{match[0]} ({match[1]})"))
            continue
        if match is not None:
            contact_id, why = match
            book.sources.setdefault(source, contact_id)
            if _merge(conn, book, new, contact_id, person):
                summary.merged.append((person.where, person.name, contact_id, why))
            else:
                summary.unchanged.append((person.where, person.name, contact_id))
            continue
        contact_id = new.contact(book, person, source, who)
        book.index.add(contact_id, who)
        book.sources[source] = contact_id
        summary.added.append((person.where, person.name, contact_id))
        if len(new.contacts) >= _BATCH:
            new.write(conn)
    if not read_any:
        first = (
            f": {summary.skipped[0].where}: {summary.skipped[0].reason}" if summary.skipped else ""
        )
        raise ImportFileError(
            f"nothing could be read from this {format_name} file{first}; nothing was changed",
            hint="check the file, or try another format: relcli import --help",
        )
    new.write(conn)
    touched = [i for _, _, i, _ in summary.merged]
    stats.refresh(conn, touched, ctx.today, ctx.settings.rank)
    return summary


_BATCH = 5000  # new contacts held in memory before they are written


def _tag(raw: str) -> str:
    return "-".join(raw.strip().lstrip("#").lower().replace(",", " ").split())[:64]


# The columns of a new contact row, in the order _NewRows builds them.
_CONTACT_COLUMNS = ("id", "name", "name_key", "company_id", "title", "stage", "birthday",
                    "notes", "url", "source", "known_since", "created_at", "updated_at",
                    "do_not_contact")  # fmt: skip
_C = {column: n for n, column in enumerate(_CONTACT_COLUMNS)}


class _NewRows:
    """Rows for the contacts this import adds, inserted in bulk batch by batch."""

    def __init__(self, now: str, stage: str) -> None:
        self.now = now  # the stored form of the import's time, made once
        self.stage = stage
        self.companies: list[tuple[int, str, str, str]] = []
        self.contacts: dict[int, list[Any]] = {}
        self.emails: list[tuple[int, int, str, str, int]] = []
        self.phones: list[tuple[int, int, str, str, int]] = []
        self.tags: set[tuple[int, str]] = set()
        self.phone_keys: dict[int, set[str]] = {}

    def company_id(self, book: _Book, name: str | None, key: str | None = None) -> int | None:
        if not name:
            return None
        key = key or names.fold(name)
        found = book.companies.get(key)
        if found is None:
            found = book.companies[key] = book.new_id("company")
            self.companies.append((found, name.strip(), key, self.now))
        return found

    def contact(self, book: _Book, p: Person, source: str, who: dupes.Identity) -> int:
        contact_id = book.new_id("contact")
        known = p.known_since.isoformat() if p.known_since else None
        self.contacts[contact_id] = [
            contact_id, p.name.strip(), who.name_key,
            self.company_id(book, p.company, who.company_key), p.title, self.stage,
            p.birthday, p.notes, p.url, source, known, self.now, self.now, 0,
        ]  # fmt: skip
        if p.emails or p.phones or p.tags:
            self.add_channels(book, contact_id, p)
        return contact_id

    def add_channels(self, book: _Book, contact_id: int, p: Person, start: int = 0) -> None:
        for n, address in enumerate(p.emails):
            key = names.email_key(address)
            if key in book.emails:
                continue  # unique in the book: it already belongs to someone
            book.emails.add(key)
            self.emails.append(
                (book.new_id("contact_email"), contact_id, address.strip(), key, start + n)
            )
        have = self.phone_keys.setdefault(contact_id, set())
        for n, number in enumerate(p.phones):
            key = names.phone_key(number, book.region)
            if key in have:
                continue
            have.add(key)
            self.phones.append(
                (book.new_id("contact_phone"), contact_id, number.strip(), key, start + n)
            )
        self.tags |= {(contact_id, t) for t in p.tags}

    def write(self, conn: sqlite3.Connection) -> None:
        if self.companies:
            conn.executemany(
                "INSERT INTO company (id, name, name_key, created_at) VALUES (?, ?, ?, ?)",
                self.companies,
            )
        if self.contacts:
            conn.executemany(
                f"INSERT INTO contact ({', '.join(_CONTACT_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_CONTACT_COLUMNS))})",
                self.contacts.values(),
            )
            # A new contact has no history: its aggregates are the empty ones, the defaults.
            conn.executemany(
                "INSERT INTO contact_stats (contact_id) VALUES (?)", [(c,) for c in self.contacts]
            )
        for table, column, rows in (("contact_email", "address", self.emails),
                                    ("contact_phone", "number", self.phones)):  # fmt: skip
            if rows:
                conn.executemany(
                    f"INSERT INTO {table} (id, contact_id, {column}, {column}_key, position) "
                    "VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
        if self.tags:
            conn.executemany(
                "INSERT OR IGNORE INTO contact_tag (contact_id, tag) VALUES (?, ?)",
                sorted(self.tags),
            )
        self.companies, self.emails, self.phones = [], [], []
        self.contacts.clear()
        self.tags.clear()
        self.phone_keys.clear()


_FILLED = ("title", "birthday", "notes", "url")


def _merge(
    conn: sqlite3.Connection, book: _Book, new: _NewRows, contact_id: int, p: Person
) -> bool:
    """Fill what the contact lacks from ``p`` and add its emails, phones and tags.

    The contact's own values win where both have one. Returns whether anything changed.
    """
    pending = new.contacts.get(contact_id)
    if pending is not None:
        current: dict[str, Any] = {name: pending[_C[name]] for name in (*_FILLED, "company_id")}
        known = pending[_C["known_since"]]
    else:
        row = conn.execute(
            "SELECT title, birthday, notes, url, company_id, known_since FROM contact WHERE id = ?",
            (contact_id,),
        ).fetchone()
        current = dict(zip((*_FILLED, "company_id"), row[:5], strict=True))
        known = row[5]
    changes: dict[str, Any] = {}
    for attr in _FILLED:
        if not current.get(attr) and getattr(p, attr):
            changes[attr] = getattr(p, attr)
    if current.get("company_id") is None and p.company:
        changes["company_id"] = new.company_id(book, p.company)
    if p.known_since and (known is None or p.known_since.isoformat() < known):
        changes["known_since"] = p.known_since.isoformat()
    before = (len(new.emails), len(new.phones), len(new.tags))
    existing_tags = set() if pending is not None else {
        t for (t,) in conn.execute("SELECT tag FROM contact_tag WHERE contact_id = ?", (contact_id,))
    }  # fmt: skip
    if pending is None and contact_id not in new.phone_keys:
        new.phone_keys[contact_id] = {
            k for (k,) in conn.execute(
                "SELECT number_key FROM contact_phone WHERE contact_id = ?", (contact_id,))
        }  # fmt: skip
    p.tags = [t for t in p.tags if t not in existing_tags]
    new.add_channels(book, contact_id, p, start=_next_position(conn, contact_id, pending))
    if pending is not None:
        for key, value in changes.items():
            pending[_C[key]] = value
    elif changes:
        changes["updated_at"] = new.now
        sets = ", ".join(f"{k} = :{k}" for k in changes)
        conn.execute(f"UPDATE contact SET {sets} WHERE id = :id", {**changes, "id": contact_id})
    return bool(changes) or (len(new.emails), len(new.phones), len(new.tags)) != before


def _next_position(conn: sqlite3.Connection, contact_id: int, pending: list[Any] | None) -> int:
    """Where a merged contact's new emails and phones go: after the ones it has."""
    if pending is not None:
        return 1000  # added by this import and not written yet: after its own, in file order
    row = conn.execute(
        "SELECT max(coalesce((SELECT max(position) FROM contact_email WHERE contact_id = :c), -1),"
        " coalesce((SELECT max(position) FROM contact_phone WHERE contact_id = :c), -1))",
        {"c": contact_id},
    ).fetchone()
    return int(row[0]) + 1


_BOOK_TABLES = (
    ("company", "companies"),
    ("contact", "contacts"),
    ("interaction", "interactions"),
    ("follow_up", "follow_ups"),
    ("signal", "signals"),
)
_CONTACT_LISTS = ("emails", "phones", "tags", "opted_out_channels")


def run_book(session: "Session", stream: Any, ctx: Context, *, dry_run: bool = False) -> Summary:
    """Import relcli's own JSON export: everything it holds, in this one transaction.

    Into an empty book the rows keep their ids, so an export and an import give back the same
    data. Into a book that has contacts, people are matched and merged like any import, and
    their interactions, follow-ups and signals follow them under new ids, skipping those the
    book already has.
    """
    import json

    from relcli.domain.formats import book as book_format
    from relcli.store import records

    try:
        document = json.load(stream)
    except (ValueError, UnicodeDecodeError) as err:
        raise ImportFileError(f"this is not a relcli JSON book: {err}",
                              hint="export one with: relcli export json FILE") from err  # fmt: skip
    book_format.check(document)
    book_format.check_references(document)
    conn = records.conn(session)
    empty = not any(
        conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in ("contact", "company")
    )
    summary = Summary("json", dry_run)
    if empty:
        _insert_verbatim(session, document, ctx)
        summary.added = [(f"contact #{c['id']}", c["name"], c["id"]) for c in document["contacts"]]
    else:
        _merge_book(session, document, ctx, summary)
    if not document["contacts"] and not document["companies"]:
        raise ImportFileError("the JSON book holds no contacts or companies; nothing was changed")
    if dry_run:
        session.rollback()
    return summary


def _insert_verbatim(session: "Session", document: dict[str, Any], ctx: Context) -> None:
    from relcli.store import records

    conn = records.conn(session)
    for table, key in _BOOK_TABLES:
        rows = document[key]
        if not rows:
            continue
        if table in ("company", "contact"):  # the folded name is derived, not exported
            rows = [{**r, "name_key": names.fold(r["name"])} for r in rows]
        columns = [c for c in rows[0] if c not in _CONTACT_LISTS]
        marks = ", ".join("?" * len(columns))
        conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
            [tuple(_stored(r[c]) for c in columns) for r in rows],
        )
    for contact in document["contacts"]:
        cid = contact["id"]
        conn.executemany(
            "INSERT INTO contact_email (contact_id, address, address_key, position) VALUES (?, ?, ?, ?)",
            [(cid, e, names.email_key(e), n) for n, e in enumerate(contact["emails"])],
        )
        conn.executemany(
            "INSERT INTO contact_phone (contact_id, number, number_key, position) VALUES (?, ?, ?, ?)",
            [(cid, p, names.phone_key(p, ctx.settings.phone_region), n)
             for n, p in enumerate(contact["phones"])],
        )  # fmt: skip
        conn.executemany("INSERT INTO contact_tag (contact_id, tag) VALUES (?, ?)",
                         [(cid, t) for t in contact["tags"]])  # fmt: skip
        conn.executemany("INSERT INTO contact_opt_out (contact_id, channel) VALUES (?, ?)",
                         [(cid, ch) for ch in contact["opted_out_channels"]])  # fmt: skip
    records.refresh_stats(
        session, [c["id"] for c in document["contacts"]], ctx.today, ctx.settings.rank
    )


def _stored(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


def _merge_book(
    session: "Session", document: dict[str, Any], ctx: Context, summary: Summary
) -> None:
    from relcli.store import records

    companies = {c["id"]: c["name"] for c in document["companies"]}
    people = [
        Person(
            name=c["name"], where=f"contact #{c['id']}", key=c.get("source") or f"id:{c['id']}",
            emails=list(c["emails"]), phones=list(c["phones"]), company=companies.get(c["company_id"]),
            title=c["title"], tags=list(c["tags"]), birthday=c["birthday"], notes=c["notes"],
            url=c["url"], known_since=date.fromisoformat(c["known_since"]) if c["known_since"] else None,
        )
        for c in document["contacts"]
    ]  # fmt: skip
    done = run(records.conn(session), people, ctx, format_name="json", on_duplicate="merge")
    summary.added, summary.merged, summary.unchanged = done.added, done.merged, done.unchanged
    target = {int(w.split("#")[1]): cid for w, _, cid in [*done.added, *done.unchanged]}
    target.update({int(w.split("#")[1]): cid for w, _, cid, _ in done.merged})
    conn = records.conn(session)
    for row in document["interactions"]:
        cid = target[row["contact_id"]]
        if conn.execute(
            "SELECT 1 FROM interaction WHERE contact_id = ? AND at = ? AND channel = ? "
            "AND direction = ? AND coalesce(summary, '') = coalesce(?, '')",
            (cid, row["at"], row["channel"], row["direction"], row["summary"]),
        ).fetchone():
            continue
        conn.execute(
            "INSERT INTO interaction (contact_id, channel, direction, outcome, summary, at, "
            "created_at, talking_point) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (cid, row["channel"], row["direction"], row["outcome"], row["summary"], row["at"],
             row["created_at"], int(bool(row["talking_point"]))),
        )  # fmt: skip
    for row in document["follow_ups"]:
        cid = target[row["contact_id"]]
        if conn.execute(
            "SELECT 1 FROM follow_up WHERE contact_id = ? AND coalesce(due_on, '') = coalesce(?, '') "
            "AND coalesce(reason, '') = coalesce(?, '')",
            (cid, row["due_on"], row["reason"]),
        ).fetchone():
            continue
        conn.execute(
            "INSERT INTO follow_up (contact_id, due_on, reason, every_days, created_at, done_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                cid,
                row["due_on"],
                row["reason"],
                row["every_days"],
                row["created_at"],
                row["done_at"],
            ),
        )
    company_ids = {key: cid for cid, key in conn.execute("SELECT id, name_key FROM company")}
    for row in document["signals"]:
        person: int | None = (
            target.get(row["contact_id"]) if row["contact_id"] is not None else None
        )
        coid: int | None = None
        if row["company_id"] is not None:
            coid = company_ids.get(names.fold(companies.get(row["company_id"], "")))
            if coid is None:
                continue
        if conn.execute(
            "SELECT 1 FROM signal WHERE contact_id IS ? AND company_id IS ? AND kind = ? AND observed_on = ?",
            (person, coid, row["kind"], row["observed_on"]),
        ).fetchone():
            continue
        conn.execute(
            "INSERT INTO signal (contact_id, company_id, kind, observed_on, note, source, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                person,
                coid,
                row["kind"],
                row["observed_on"],
                row["note"],
                row["source"],
                row["created_at"],
            ),
        )
    records.refresh_stats(session, set(target.values()), ctx.today, ctx.settings.rank)
