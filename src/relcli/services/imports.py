"""Bring a book in: people read from a file become contacts, merged with those already there.

The file formats' import (``run``) works on a bare ``sqlite3`` connection inside the
command's one transaction, a batch of people at a time: each batch's duplicates are looked
up in the book's indexes, then its new contacts are inserted in bulk. Memory is bounded by
the batch, not by the file or the book (see docs/performance.md).
"""

import itertools
import json
import operator
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import IO, TYPE_CHECKING, Any, Literal

from relcli.domain import dupes, names, vocabulary
from relcli.domain.formats.records import Address, Item, Person, Skipped
from relcli.errors import ImportFileError
from relcli.services import gc_pause
from relcli.services.context import Context
from relcli.store import stats

if TYPE_CHECKING:
    from sqlmodel import Session

OnDuplicate = Literal["merge", "skip", "new"]

SHOWN_MERGED = 20  # merges the text summary lists; the rest are counted
SHOWN_SKIPPED = 50


class Summary:
    """What an import did (or, with --dry-run, would do): counts, and the first merges and
    skips for the text summary.

    With ``journal`` every contact and skip is also kept, one JSON line each, in a temporary
    file (in memory up to 1 MiB, then on disk, unlinked and readable by the user only), so
    ``--format json`` can list all of them while memory stays bounded.
    """

    def __init__(self, format_name: str, dry_run: bool = False, *, journal: bool = False):
        self.format = format_name
        self.dry_run = dry_run
        self.added = self.merged = self.unchanged = self.skipped = 0
        self.first_merged: list[tuple[str, str, int, str]] = []  # where, name, id, why
        self.first_skipped: list[Skipped] = []
        self._journal: tuple[IO[str], IO[str]] | None = None
        if journal:
            self._journal = (_spool(), _spool())

    def add(self, where: str, name: str, contact_id: int) -> None:
        self.added += 1
        if self._journal:
            self._journal[0].write(_line([where, name, contact_id, "added", None]))

    def merge(self, where: str, name: str, contact_id: int, why: str) -> None:
        self.merged += 1
        if len(self.first_merged) < SHOWN_MERGED:
            self.first_merged.append((where, name, contact_id, why))
        if self._journal:
            self._journal[0].write(_line([where, name, contact_id, "merged", why]))

    def keep(self, where: str, name: str, contact_id: int) -> None:
        """A person already in the book with nothing new: left unchanged."""
        self.unchanged += 1
        if self._journal:
            self._journal[0].write(_line([where, name, contact_id, "unchanged", "imported before"]))

    def skip(self, skipped: Skipped) -> None:
        self.skipped += 1
        if len(self.first_skipped) < SHOWN_SKIPPED:
            self.first_skipped.append(skipped)
        if self._journal:
            self._journal[1].write(_line([skipped.where, skipped.reason]))

    def contacts(self) -> Iterator[dict[str, Any]]:
        """Every contact the import added, merged or left unchanged, in file order."""
        for where, name, contact_id, action, reason in self._entries(0):
            yield {"where": where, "name": name, "contact_id": contact_id, "action": action,
                   "reason": reason}  # fmt: skip

    def skips(self) -> Iterator[dict[str, Any]]:
        for where, reason in self._entries(1):
            yield {"where": where, "reason": reason}

    def _entries(self, which: int) -> Iterator[list[Any]]:
        if self._journal is None:
            raise RuntimeError("this summary keeps no journal")
        spool = self._journal[which]
        spool.seek(0)
        for line in spool:
            yield json.loads(line)
        spool.seek(0, 2)

    def head(self) -> dict[str, Any]:
        return {"format": self.format, "dry_run": self.dry_run, "added": self.added,
                "merged": self.merged, "unchanged": self.unchanged, "skipped": self.skipped}  # fmt: skip

    def write_json(self, out: IO[str]) -> None:
        """The head, every contact and every skip, written one entry at a time exactly as
        ``json.dumps(document, indent=2)`` would write the whole document."""
        out.write("{\n")
        for key, value in self.head().items():
            out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
        for key, entries in (("contacts", self.contacts()), ("skips", self.skips())):
            out.write(f"  {json.dumps(key)}: [")
            any_entry = False
            for entry in entries:
                text = json.dumps(entry, indent=2, ensure_ascii=False).replace("\n", "\n    ")
                out.write(f"{',' if any_entry else ''}\n    {text}")
                any_entry = True
            out.write("\n  ]" if any_entry else "]")
            out.write(",\n" if key == "contacts" else "\n")
        out.write("}\n")

    def close(self) -> None:
        for spool in self._journal or ():
            spool.close()


def _spool() -> IO[str]:
    return tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8")


def _line(entry: list[Any]) -> str:
    return json.dumps(entry, ensure_ascii=False) + "\n"


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
    summary: Summary | None = None,
) -> Summary:
    """Import every person in ``items`` inside the caller's transaction on ``conn``.

    Nothing is written if none could be read (ImportFileError). With ``dry_run`` the rows
    are written and then rolled back to a savepoint, so the summary is exactly what a real
    import would do. Pass a ``summary`` made with ``journal=True`` to keep every entry.
    """
    extra_tags = [vocabulary.check_tag(t) for t in tags]
    stage = vocabulary.check_stage(stage) if stage else None
    summary = summary if summary is not None else Summary(format_name, dry_run)
    # New companies and contacts are inserted in bulk after the people that name them.
    conn.execute("PRAGMA defer_foreign_keys = ON")
    # The default 2 MiB page cache spills a large import's index pages to the WAL again and
    # again; 16 MiB holds the pages a batch touches (64 MiB was no faster at 200,000 rows).
    conn.execute("PRAGMA cache_size = -16384")
    conn.execute("PRAGMA temp_store = FILE")  # the import's key tables: on disk, not in memory
    conn.execute("SAVEPOINT import_run")
    with gc_pause.paused():
        _Importer(conn, ctx, summary, format_name, extra_tags, stage, on_duplicate).run(items)
    conn.execute("ROLLBACK TO import_run" if dry_run else "RELEASE import_run")
    if dry_run:
        conn.execute("RELEASE import_run")
    return summary


_BATCH = 5000  # people read, matched and written together
# The first batch is smaller: while a reader process reads ahead (services/read_ahead), this
# one starts matching and writing sooner, and has less left to do when the file ends.
_FIRST_BATCH = 500


def _batches(items: Iterable[Item]) -> Iterator[list[Item]]:
    """The file's items in file order, cut after the first ``_FIRST_BATCH`` people, then
    after every ``_BATCH``."""
    batch: list[Item] = []
    people = 0
    size = min(_FIRST_BATCH, _BATCH)
    for item in items:
        batch.append(item)
        if isinstance(item, Person):
            people += 1
            if people >= size:
                yield batch
                batch, people, size = [], 0, _BATCH
    if batch:
        yield batch


def _tag(raw: str) -> str:
    return "-".join(raw.strip().lstrip("#").lower().replace(",", " ").split())[:64]


def _each(values: Iterable[Any]) -> str:
    """The parameter of ``IN (SELECT value FROM json_each(?))``: one bound value per batch."""
    return json.dumps(list(values), ensure_ascii=False)


_IN = "IN (SELECT value FROM json_each(?))"

# Keys no table of the book is indexed by: LinkedIn profiles, and close-name blocks (company
# and last name). The first _KEPT contacts' keys are held in dicts; the rest go to temporary
# tables on disk, so memory is bounded whatever the size of the file or the book.
_KEPT = 50_000
_KEY_TABLES = (
    "CREATE TEMP TABLE import_profile (key TEXT PRIMARY KEY, contact_id INTEGER NOT NULL)"
    " WITHOUT ROWID",
    "CREATE TEMP TABLE import_block (block TEXT NOT NULL, contact_id INTEGER NOT NULL,"
    " name_key TEXT NOT NULL, profile TEXT, PRIMARY KEY (block, contact_id)) WITHOUT ROWID",
)
_SOURCE_TABLE = (
    "CREATE TEMP TABLE import_source (source TEXT PRIMARY KEY, contact_id INTEGER NOT NULL)"
    " WITHOUT ROWID"
)
# An import into an empty book drops the contact indexes it does not need while it writes
# and builds them again at the end, in the same transaction (sorted once instead of updated
# row by row). False: always keep them (tests compare both ways).
_REINDEX_EMPTY_BOOK = True


class _Keys:
    """The profiles and close-name blocks of the book's contacts and of those the import
    adds (and, into an empty book, the added contacts' sources), added in id order: where
    two share a key, the first one is the match."""

    def __init__(self, conn: sqlite3.Connection, kept: int = _KEPT) -> None:
        self.conn = conn
        self.room = kept  # contacts still to be held in memory
        self.held = dupes.Index()  # only its profiles and blocks are used
        self.profiles, self.blocks = self.held.by_profile, self.held.by_company
        self.spilled = False
        # Into an empty book, the sources of the contacts the import adds are kept here too
        # (the book's source index is dropped until the end: see _Importer.run).
        self.sources: dict[str, int] = {}
        self.source_room = kept
        self.sources_spilled = False

    def hold(self, people: Iterable[tuple[int, str, str | None, str]]) -> None:
        """Contacts as (id, folded name, profile, block), in id order; block may be ''."""
        spill = []
        for person in people:
            cid, name_key, profile, key = person
            if not profile and not key:
                continue
            if self.room <= 0:
                spill.append(person)
                continue
            self.room -= 1
            if profile:
                self.profiles.setdefault(profile, cid)
            if key:
                self.held.add_member(key, name_key, cid, profile)
        if spill:
            self.spill(spill)

    def index_for(
        self, profiles: set[str], blocks: set[str], size: int
    ) -> tuple[dupes.Index, bool]:
        """A batch's index, with the contacts that have one of its profiles or blocks, and
        whether it shares the held dicts: while they have room for ``size`` more people, the
        batch adds its people straight into them; after that it gets its own dicts, filled
        from the held and the spilled keys, and its people are spilled after the batch."""
        index = dupes.Index()
        if not self.spilled and self.room >= size:
            self.room -= size
            index.by_profile, index.by_company = self.profiles, self.blocks
            return index, True
        for wanted in profiles:
            if (cid := self.profiles.get(wanted)) is not None:
                index.by_profile[wanted] = cid
        for key in blocks:
            if (members := self.blocks.get(key)) is not None:
                index.by_company[key] = (list(members[0]), list(members[1]), list(members[2]))
        if self.spilled:
            missing = profiles - index.by_profile.keys()
            if missing:
                index.by_profile.update(self.conn.execute(
                    "SELECT key, contact_id FROM temp.import_profile WHERE key " + _IN,
                    (_each(missing),)).fetchall())  # fmt: skip
            if blocks:
                for key, cid, name_key, profile in self.conn.execute(
                    "SELECT block, contact_id, name_key, profile FROM temp.import_block "
                    "WHERE block " + _IN + " ORDER BY contact_id", (_each(blocks),)
                ):  # fmt: skip
                    index.add_member(key, name_key, cid, profile)
        return index, False

    def spill(self, people: Iterable[tuple[int, str, str | None, str]]) -> None:
        """Keep these contacts' keys in the temporary tables (made on the first spill)."""
        if not self.spilled:
            self.conn.execute("DROP TABLE IF EXISTS temp.import_profile")
            self.conn.execute("DROP TABLE IF EXISTS temp.import_block")
            for statement in _KEY_TABLES:
                self.conn.execute(statement)
            self.spilled = True
        rows = list(people)
        self.conn.executemany(
            "INSERT OR IGNORE INTO temp.import_profile (key, contact_id) VALUES (?, ?)",
            [(profile, cid) for cid, _, profile, _ in rows if profile],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO temp.import_block (block, contact_id, name_key, profile) "
            "VALUES (?, ?, ?, ?)",
            [(key, cid, name_key, profile) for cid, name_key, profile, key in rows if key],
        )

    def hold_sources(self, pairs: Iterable[tuple[str, int]]) -> None:
        """Sources of added contacts, (source, id) in id order."""
        spill = []
        for source, cid in pairs:
            if self.source_room > 0:
                self.source_room -= 1
                self.sources.setdefault(source, cid)
            else:
                spill.append((source, cid))
        if not spill:
            return
        if not self.sources_spilled:
            self.conn.execute("DROP TABLE IF EXISTS temp.import_source")
            self.conn.execute(_SOURCE_TABLE)
            self.sources_spilled = True
        self.conn.executemany(
            "INSERT OR IGNORE INTO temp.import_source (source, contact_id) VALUES (?, ?)", spill
        )

    def sources_for(self, wanted: set[str]) -> dict[str, int]:
        """The contacts already added under these sources."""
        held = self.sources
        found = {source: held[source] for source in wanted if source in held}
        missing = wanted - found.keys()
        if self.sources_spilled and missing:
            found.update(self.conn.execute(
                "SELECT source, contact_id FROM temp.import_source WHERE source " + _IN,
                (_each(missing),)).fetchall())  # fmt: skip
        return found

    def drop(self) -> None:
        if self.spilled:
            self.conn.execute("DROP TABLE temp.import_profile")
            self.conn.execute("DROP TABLE temp.import_block")
        if self.sources_spilled:
            self.conn.execute("DROP TABLE temp.import_source")


@dataclass
class _Existing:
    """What a merge needs to know of a contact already written."""

    fields: dict[str, Any]  # the columns of _STATE
    tags: set[str]
    phone_keys: set[str]
    next_position: int  # where new emails and phones go: after the ones it has


_FILLED = ("title", "birthday", "notes", "url", "nickname", "anniversary")
_STATE = (*_FILLED, "company_id", "known_since")

# The columns of a new contact row, in the order _NewRows builds them.
_CONTACT_COLUMNS = ("id", "name", "name_key", "company_id", "title", "stage", "birthday",
                    "notes", "url", "source", "known_since", "created_at", "updated_at",
                    "do_not_contact", "nickname", "anniversary")  # fmt: skip
_C = {column: n for n, column in enumerate(_CONTACT_COLUMNS)}
# The columns with a default in the schema, and that default: one that every row of a batch
# leaves at its default is left out of the INSERT (each bound value costs, None the most).
_DEFAULTS = {
    **{_C[c]: None for c in ("company_id", "title", "birthday", "notes", "url", "known_since",
                             "nickname", "anniversary")},
    _C["stage"]: "lead",
    _C["do_not_contact"]: 0,
}  # fmt: skip


class _Importer:
    """One import: the file's people, batch by batch, matched against the book and written."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        ctx: Context,
        summary: Summary,
        format_name: str,
        extra_tags: list[str],
        stage: str | None,
        on_duplicate: OnDuplicate,
    ) -> None:
        self.conn, self.ctx, self.summary = conn, ctx, summary
        self.format_name, self.extra_tags, self.on_duplicate = format_name, extra_tags, on_duplicate
        self.region = ctx.settings.phone_region
        self.new = _NewRows(_stored_time(ctx.now), stage or "lead")
        self.companies: dict[str, int] = {}  # folded name -> id, of the batches so far
        self.next_ids = {
            table: int(conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])
            for table in ("contact", "company", "contact_email", "contact_phone")
        }

    def new_id(self, table: str) -> int:
        found = self.next_ids[table]
        self.next_ids[table] = found + 1
        return found

    def run(self, items: Iterable[Item]) -> None:
        conn = self.conn
        self.fresh = (
            _REINDEX_EMPTY_BOOK and not conn.execute("SELECT 1 FROM contact LIMIT 1").fetchone()
        )
        indexes: list[tuple[str, str]] = []
        if self.fresh:
            indexes = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contact'"
                " AND sql IS NOT NULL ORDER BY rowid"
            ).fetchall()
            for name, _ in indexes:
                conn.execute(f'DROP INDEX "{name}"')
        self._load_keys()
        read_any = False
        for batch in _batches(items):
            read_any = self._batch(batch) or read_any
        if not read_any:
            first = self.summary.first_skipped[0] if self.summary.first_skipped else None
            raise ImportFileError(
                f"nothing could be read from this {self.format_name} file"
                + (f": {first.where}: {first.reason}" if first else "")
                + "; nothing was changed",
                hint="check the file, or try another format: relcli import --help",
            )
        self.keys.drop()
        if indexes:
            # The sort that builds an index takes as much memory as the page cache allows:
            # 4 MiB keeps the peak where the import left it (the rest of the sort goes to
            # temporary files, and is no slower here).
            conn.execute("PRAGMA cache_size = -4096")
            for _, sql in indexes:
                conn.execute(sql)

    def _load_keys(self) -> None:
        """The book's profiles and name blocks, read once in id order."""
        self.keys = _Keys(self.conn)
        rows = self.conn.execute(
            "SELECT c.id, c.name_key, c.url, co.name_key FROM contact c "
            "LEFT JOIN company co ON co.id = c.company_id "
            "WHERE c.url IS NOT NULL OR c.company_id IS NOT NULL ORDER BY c.id"
        )
        while chunk := rows.fetchmany(_BATCH):
            self.keys.hold(
                (cid, name_key, dupes.linkedin_key(url),
                 dupes.block(name_key, company_key) if company_key else "")
                for cid, name_key, url, company_key in chunk
            )  # fmt: skip

    def _batch(self, batch: list[Item]) -> bool:
        """Match and write one batch; whether it held anyone who could be read."""
        conn, summary, new, region = self.conn, self.summary, self.new, self.region
        prefix = f"{self.format_name}:"
        people = [(item, prefix + item.key) for item in batch if isinstance(item, Person)]
        if self.extra_tags or any(person.tags for person, _ in people):
            for person, _ in people:
                person.tags = sorted({*(_tag(t) for t in person.tags), *self.extra_tags} - {""})
        wanted = {source for _, source in people}
        if self.fresh:  # the book was empty: every source in it is one this import added
            sources = self.keys.sources_for(wanted)
        else:
            sources = self._lookup(
                "SELECT source, min(id) FROM contact WHERE source " + _IN + " GROUP BY source",
                wanted,
            )
        identity = dupes.identity
        whos = [  # the identity of each person not seen before, in the order of ``people``
            None if source in sources else person.identity or identity(
                person.name, person.company, person.emails, person.phones, person.url, region)
            for person, source in people
        ]  # fmt: skip
        index, shared, hits = self._candidates(whos, [p for p, _ in people])
        self.index = index
        # The companies the batch names, by folded name: those of earlier batches are kept
        # (up to _KEPT), so only the new names are looked up.
        named = {who.company_key for who in whos if who is not None and who.company_key}
        named.update(names.fold(p.company) for (p, _), who in zip(people, whos, strict=True)
                     if who is None and p.company)  # fmt: skip
        if len(self.companies) > _KEPT:
            self.companies = {}
        self.companies.update(self._lookup(
            "SELECT name_key, id FROM company WHERE name_key " + _IN,
            named - self.companies.keys(),
        ))  # fmt: skip
        self.existing: dict[int, _Existing] = {}
        self._prefetch({*sources.values(), *hits})
        local: dict[str, int] = {}  # sources of this batch's people
        touched: list[int] = []
        added: list[tuple[int, str, str | None, str]] = []
        merging = self.on_duplicate == "merge"
        matching = self.on_duplicate != "new"
        n = 0
        for item in batch:
            if isinstance(item, Skipped):
                summary.skip(item)
                continue
            person, source = people[n]
            n += 1
            contact_id = local.get(source) or sources.get(source)
            if contact_id is not None:
                if merging and self._merge(contact_id, person):
                    summary.merge(person.where, person.name, contact_id, "same record, updated")
                    touched.append(contact_id)
                else:
                    summary.keep(person.where, person.name, contact_id)
                continue
            who = whos[n - 1] or identity(
                person.name, person.company, person.emails, person.phones, person.url, region
            )
            match = index.match(who) if matching else None
            if match is not None:
                contact_id, why = match
                if not merging:
                    summary.skip(Skipped(person.where, f"duplicate of #{contact_id} ({why})"))
                    continue
                if self._merge(contact_id, person):
                    summary.merge(person.where, person.name, contact_id, why)
                    touched.append(contact_id)
                else:
                    summary.keep(person.where, person.name, contact_id)
                continue
            contact_id = self._add(person, source, who)
            index.add(contact_id, who)
            local[source] = contact_id
            summary.add(person.where, person.name, contact_id)
            if not shared and (who.profile or who.block):
                added.append((contact_id, who.name_key, who.profile, who.block))
        new.write(conn)
        if added:
            self.keys.spill(added)
        if self.fresh:
            self.keys.hold_sources(local.items())  # in id order: ids are given in order
        stats.refresh(conn, touched, self.ctx.today, self.ctx.settings.rank)
        return bool(people)

    def _lookup(self, sql: str, values: set[str]) -> dict[str, int]:
        if not values:
            return {}
        return dict(self.conn.execute(sql, (_each(values),)).fetchall())

    def _candidates(
        self, identities: list[dupes.Identity | None], people: list[Person]
    ) -> tuple[dupes.Index, bool, set[int]]:
        """The batch's index, filled with the book's contacts that share a key with its
        people; whether it shares the held keys; and the ids it found. The batch's email
        keys that the book has are taken (an email is unique in the book)."""
        emails: set[str] = set()
        phones: set[str] = set()
        profiles: set[str] = set()
        blocks: set[str] = set()
        for who in identities:
            if who is None:
                continue
            if who.emails:
                emails |= who.emails
            if who.phones:
                phones |= who.phones
            if who.profile:
                profiles.add(who.profile)
            if who.block:
                blocks.add(who.block)
        for who, person in zip(identities, people, strict=True):
            if who is None and person.emails:  # a merge's addresses are checked in the book too
                emails.update(names.email_key(e) for e in person.emails)
        index, shared = self.keys.index_for(profiles, blocks, len(people))
        hits = {index.by_profile[p] for p in profiles if p in index.by_profile}
        by_email = self._lookup(
            "SELECT address_key, contact_id FROM contact_email WHERE address_key " + _IN, emails
        )
        index.by_email.update(by_email)
        index.by_phone.update(self._lookup(
            "SELECT number_key, min(contact_id) FROM contact_phone WHERE number_key " + _IN
            + " GROUP BY number_key", phones))  # fmt: skip
        hits.update(index.by_email.values(), index.by_phone.values())
        self.taken = set(by_email)
        return index, shared, hits

    def _prefetch(self, ids: set[int]) -> None:
        """What merges need of these written contacts, in four queries for the batch."""
        if not ids:
            return
        each = (_each(ids),)
        conn = self.conn
        for cid, *values in conn.execute(
            f"SELECT id, {', '.join(_STATE)} FROM contact WHERE id " + _IN, each
        ):
            self.existing[cid] = _Existing(dict(zip(_STATE, values, strict=True)), set(), set(), 0)
        for cid, tag in conn.execute(
            "SELECT contact_id, tag FROM contact_tag WHERE contact_id " + _IN, each
        ):
            self.existing[cid].tags.add(tag)
        for table, key in (("contact_email", None), ("contact_phone", "number_key")):
            columns = f"contact_id, position{', ' + key if key else ''}"
            for cid, position, *rest in conn.execute(
                f"SELECT {columns} FROM {table} WHERE contact_id " + _IN, each
            ):
                state = self.existing[cid]
                state.next_position = max(state.next_position, position + 1)
                if rest:
                    state.phone_keys.add(rest[0])

    def _state(self, contact_id: int) -> _Existing:
        if contact_id not in self.existing:
            self._prefetch({contact_id})
        return self.existing[contact_id]

    def company_id(self, name: str | None, key: str | None = None) -> int | None:
        if not name:
            return None
        key = key or names.fold(name)
        found = self.companies.get(key)
        if found is None:
            found = self.companies[key] = self.new_id("company")
            self.new.companies.append((found, name.strip(), key, self.new.now))
        return found

    def _add(self, p: Person, source: str, who: dupes.Identity) -> int:
        contact_id = self.new_id("contact")
        new = self.new
        known = None
        if p.known_since:  # one of a few thousand days: each is written out once
            known = new.days.get(p.known_since)
            if known is None:
                known = new.days[p.known_since] = p.known_since.isoformat()
        company = None
        if p.company:
            company = self.companies.get(who.company_key) or self.company_id(
                p.company, who.company_key
            )
        new.contacts[contact_id] = [
            contact_id, p.name.strip(), who.name_key, company, p.title, new.stage,
            p.birthday, p.notes, p.url, source, known, new.now, new.now, 0,
            p.nickname, p.anniversary,
        ]  # fmt: skip
        if p.emails or p.phones or p.tags:
            new.phone_keys[contact_id] = set()
            new.positions[contact_id] = self._channels(contact_id, p, new.phone_keys[contact_id], 0)
        if p.addresses:  # as the file gives them: a reader drops the repeated ones
            new.addresses.extend((contact_id, a.label, a.street, a.city, a.region, a.postcode,
                                  a.country, n) for n, a in enumerate(p.addresses))  # fmt: skip
            new.places[contact_id] = None
        return contact_id

    def _written_places(self, contact_id: int) -> tuple[set[str], int]:
        """The address keys and next position of ``contact_id`` and, in the same query, of
        every written contact this batch matched that has not been asked about yet."""
        places = self.new.places
        wanted = {cid for cid in self.existing if cid not in places} | {contact_id}
        keys: dict[int, set[str]] = {cid: set() for cid in wanted}
        starts = dict.fromkeys(wanted, 0)
        for cid, street, city, postcode, position in self.conn.execute(
            "SELECT contact_id, street, city, postcode, position FROM contact_address "
            "WHERE contact_id " + _IN,
            (_each(wanted),),
        ):
            keys[cid].add(names.address_key(street, city, postcode))
            starts[cid] = max(starts[cid], position + 1)
        for cid in wanted:
            places[cid] = (keys[cid], starts[cid])
        return keys[contact_id], starts[contact_id]

    def _addresses(self, contact_id: int, p: Person) -> int:
        """Add ``p``'s addresses that the contact does not have yet (the same street, city
        and postcode); returns how many were added."""
        if not p.addresses:
            return 0
        places = self.new.places
        found = places.get(contact_id)
        if found is None:
            if contact_id in places:  # added by this batch: its rows are still in memory
                rows = [row for row in self.new.addresses if row[0] == contact_id]
                have = {names.address_key(row[2], row[3], row[5]) for row in rows}
                found = places[contact_id] = (have, max((r[7] + 1 for r in rows), default=0))
            else:  # written before this batch: ask the book, once for the batch's matches
                found = self._written_places(contact_id)
        have, start = found
        added = 0
        for a in p.addresses:
            key = names.address_key(a.street, a.city, a.postcode)
            if key in have:
                continue
            have.add(key)
            self.new.addresses.append((contact_id, a.label, a.street, a.city, a.region,
                                       a.postcode, a.country, start + added))  # fmt: skip
            added += 1
        places[contact_id] = (have, start + added)
        return added

    def _channels(self, contact_id: int, p: Person, have: set[str], start: int) -> int:
        """Add ``p``'s emails (unless the book has them) and phones (unless the contact
        has them) and tags; returns how many emails and phones were added."""
        new, taken = self.new, self.taken
        added = 0
        for address in p.emails:
            key = names.email_key(address)
            if key in taken:
                continue  # unique in the book: it already belongs to someone
            taken.add(key)
            new.emails.append((self.new_id("contact_email"), contact_id, address.strip(), key,
                               start + added))  # fmt: skip
            added += 1
        for number in p.phones:
            key = names.phone_key(number, self.region)
            if key in have:
                continue
            have.add(key)
            new.phones.append((self.new_id("contact_phone"), contact_id, number.strip(), key,
                               start + added))  # fmt: skip
            added += 1
        if p.tags:
            new.tags.update((contact_id, t) for t in p.tags)
        return added

    def _merge(self, contact_id: int, p: Person) -> bool:
        """Fill what the contact lacks from ``p`` and add its emails, phones and tags.

        The contact's own values win where both have one. Returns whether anything changed.
        """
        new = self.new
        pending = new.contacts.get(contact_id)  # added by this batch, not written yet
        state: _Existing | None = None
        if pending is not None:
            current: dict[str, Any] = {name: pending[_C[name]] for name in _STATE}
            tags: set[str] = set()
            have = new.phone_keys.setdefault(contact_id, set())
            start = new.positions.get(contact_id, 0)  # after the ones it was added with
        else:
            state = self._state(contact_id)
            current, tags, have, start = (state.fields, state.tags, state.phone_keys,
                                          state.next_position)  # fmt: skip
        changes: dict[str, Any] = {}
        for attr in _FILLED:
            if not current.get(attr) and getattr(p, attr):
                changes[attr] = getattr(p, attr)
        if current.get("company_id") is None and p.company:
            changes["company_id"] = self.company_id(p.company)
        known = current.get("known_since")
        if p.known_since and (known is None or p.known_since.isoformat() < known):
            changes["known_since"] = p.known_since.isoformat()
        before = len(new.tags)
        emails, phones = len(new.emails), len(new.phones)
        p.tags = [t for t in p.tags if t not in tags]
        added = self._channels(contact_id, p, have, start)
        # What the contact gained identifies it for the rest of the file, as it will once
        # written: an email is the contact's alone, a phone names the oldest contact with it.
        index = self.index
        for _, _, _, key, _ in new.emails[emails:]:
            index.by_email.setdefault(key, contact_id)
        for _, _, _, key, _ in new.phones[phones:]:
            if len(key) >= 7:
                index.by_phone[key] = min(index.by_phone.get(key, contact_id), contact_id)
        current.update(changes)
        if pending is not None:
            new.positions[contact_id] = start + added
            for key, value in changes.items():
                pending[_C[key]] = value
        elif state is not None:
            state.next_position += added
            state.tags.update(p.tags)
            if changes:
                changes["updated_at"] = new.now
                sets = ", ".join(f"{k} = :{k}" for k in changes)
                self.conn.execute(f"UPDATE contact SET {sets} WHERE id = :id",
                                  {**changes, "id": contact_id})  # fmt: skip
        placed = self._addresses(contact_id, p)
        return bool(changes) or added > 0 or len(new.tags) != before or placed > 0


class _NewRows:
    """Rows for the contacts a batch adds, inserted in bulk at the end of the batch."""

    def __init__(self, now: str, stage: str) -> None:
        self.now = now  # the stored form of the import's time, made once
        self.stage = stage
        self.companies: list[tuple[int, str, str, str]] = []
        self.contacts: dict[int, list[Any]] = {}
        self.emails: list[tuple[int, int, str, str, int]] = []
        self.phones: list[tuple[int, int, str, str, int]] = []
        self.tags: set[tuple[int, str]] = set()
        self.phone_keys: dict[int, set[str]] = {}
        self.positions: dict[int, int] = {}  # the next email or phone position of each
        self.addresses: list[tuple[Any, ...]] = []  # contact_address rows, without their id
        # Address keys and next position of the contacts a merge gave addresses to; None for
        # one this batch added, until a merge needs them.
        self.places: dict[int, tuple[set[str], int] | None] = {}
        self.days: dict[date, str] = {}  # known_since as stored, by day

    def write(self, conn: sqlite3.Connection) -> None:
        if self.companies:
            conn.executemany(
                "INSERT INTO company (id, name, name_key, created_at) VALUES (?, ?, ?, ?)",
                self.companies,
            )
        if self.contacts:
            # Python's sqlite3 binds None slowly (it looks for an adapter first): a column that
            # no contact of the batch sets to anything but its default is left out.
            contacts = self.contacts.values()
            used = [n for n in range(len(_CONTACT_COLUMNS))
                    if n not in _DEFAULTS
                    or any(row[n] != _DEFAULTS[n] for row in contacts)]  # fmt: skip
            _insert(
                conn, "contact", [_CONTACT_COLUMNS[n] for n in used],
                list(map(operator.itemgetter(*used), contacts))
                if len(used) < len(_CONTACT_COLUMNS) else list(contacts),
            )  # fmt: skip
            # A new contact has no history: its aggregates are the empty ones, the defaults.
            conn.execute(
                "INSERT INTO contact_stats (contact_id) SELECT id FROM contact "
                "WHERE id BETWEEN ? AND ?",
                (min(self.contacts), max(self.contacts)),
            )
        for table, column, rows in (("contact_email", "address", self.emails),
                                    ("contact_phone", "number", self.phones)):  # fmt: skip
            if rows:
                _insert(
                    conn, table, ["id", "contact_id", column, f"{column}_key", "position"], rows
                )
        if self.tags:
            conn.executemany(
                "INSERT OR IGNORE INTO contact_tag (contact_id, tag) VALUES (?, ?)",
                sorted(self.tags),
            )
        if self.addresses:
            conn.executemany(
                "INSERT INTO contact_address (contact_id, label, street, city, region, postcode, "
                "country, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                self.addresses,
            )
            self.addresses = []
        self.places.clear()
        self.companies, self.emails, self.phones = [], [], []
        self.contacts.clear()
        self.tags.clear()
        self.phone_keys.clear()
        self.positions.clear()


# Python's sqlite3 steps, resets and rebinds once per row of an executemany: inserting this
# many rows per statement writes a batch of contacts about a fifth faster. SQLite before 3.32
# allows 999 parameters in a statement, later ones 32,766.
_ROWS_PER_INSERT = 100
_MAX_PARAMETERS = 32_766 if sqlite3.sqlite_version_info >= (3, 32) else 999


def _insert(conn: sqlite3.Connection, table: str, columns: list[str], rows: list[Any]) -> None:
    """INSERT ``rows`` (sequences of ``columns``' values), many rows per statement."""
    per = max(1, min(_ROWS_PER_INSERT, _MAX_PARAMETERS // len(columns)))
    one = f"({', '.join('?' * len(columns))})"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    whole = len(rows) - len(rows) % per
    if whole:
        flat = list(itertools.chain.from_iterable(rows[:whole]))
        width = per * len(columns)
        conn.executemany(head + ", ".join([one] * per),
                         (flat[i : i + width] for i in range(0, len(flat), width)))  # fmt: skip
    if whole < len(rows):
        conn.executemany(head + one, rows[whole:])


_BOOK_TABLES = (
    ("company", "companies"),
    ("contact", "contacts"),
    ("interaction", "interactions"),
    ("follow_up", "follow_ups"),
    ("signal", "signals"),
)
_CONTACT_LISTS = ("emails", "phones", "tags", "opted_out_channels", "addresses")


def run_book(
    session: "Session",
    stream: Any,
    ctx: Context,
    *,
    dry_run: bool = False,
    summary: Summary | None = None,
) -> Summary:
    """Import relcli's own JSON export: everything it holds, in this one transaction.

    Into an empty book the rows keep their ids, so an export and an import give back the same
    data. Into a book that has contacts, people are matched and merged like any import, and
    their interactions, follow-ups and signals follow them under new ids, skipping those the
    book already has.
    """
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
    summary = summary if summary is not None else Summary("json", dry_run)
    if empty:
        _insert_verbatim(session, document, ctx)
        for c in document["contacts"]:
            summary.add(f"contact #{c['id']}", c["name"], c["id"])
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
        conn.executemany(
            "INSERT INTO contact_address (contact_id, label, street, city, region, postcode, "
            "country, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(cid, a["label"], a["street"], a["city"], a["region"], a["postcode"], a["country"], n)
             for n, a in enumerate(contact["addresses"])],
        )  # fmt: skip
    records.refresh_stats(
        session, [c["id"] for c in document["contacts"]], ctx.today, ctx.settings.rank
    )


def _stored(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


def _merge_book(
    session: "Session", document: dict[str, Any], ctx: Context, summary: Summary
) -> None:
    from relcli.domain.formats import book as book_format
    from relcli.store import records

    companies = {c["id"]: c["name"] for c in document["companies"]}
    people = [
        Person(
            name=c["name"], where=f"contact #{c['id']}", key=c.get("source") or f"id:{c['id']}",
            emails=list(c["emails"]), phones=list(c["phones"]), company=companies.get(c["company_id"]),
            title=c["title"], tags=list(c["tags"]), birthday=c["birthday"], notes=c["notes"],
            url=c["url"], known_since=date.fromisoformat(c["known_since"]) if c["known_since"] else None,
            nickname=c["nickname"], anniversary=c["anniversary"],
            addresses=[Address(*(a.get(k) for k in book_format.ADDRESS_KEYS)) for a in c["addresses"]],
        )
        for c in document["contacts"]
    ]  # fmt: skip
    done = Summary("json", journal=True)  # every person's contact, for their history
    run(records.conn(session), people, ctx, format_name="json", on_duplicate="merge", summary=done)
    target: dict[int, int] = {}
    added: set[int] = set()
    for entry in done.contacts():
        target[int(entry["where"].split("#")[1])] = entry["contact_id"]
        if entry["action"] == "added":
            added.add(entry["contact_id"])
    conn = records.conn(session)
    wishes = _carry_policy(conn, document["contacts"], target, added)
    for entry in done.contacts():
        where, name, cid = entry["where"], entry["name"], entry["contact_id"]
        if entry["action"] == "added":
            summary.add(where, name, cid)
        elif entry["action"] == "merged":
            summary.merge(where, name, cid, entry["reason"])
        elif cid in wishes:
            summary.merge(where, name, cid, "same person: their wishes and settings carried over")
        else:
            summary.keep(where, name, cid)
    done.close()
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


# What each person asked for and the seller decided, carried into the book by a JSON import.
_POLICY = ("tier", "cadence_days", "preferred_channel", "min_gap_days", "snoozed_until",
           "renewal_on", "deal_value")  # fmt: skip


def _carry_policy(
    conn: sqlite3.Connection,
    contacts: list[dict[str, Any]],
    target: dict[int, int],
    added: set[int],
) -> set[int]:
    """A person's stage, cadence, tier and the rest follow them into the book: a contact the
    import added takes them all, one it merged into keeps its own and gains only what it
    lacked. A do-not-contact and every channel opt-out are kept from either side, never
    lost (the book's reason and date win where both have one). Returns the contacts, of
    those not added, that this changed."""
    columns = ", ".join((*_POLICY, "do_not_contact", "do_not_contact_reason",
                         "do_not_contact_since"))  # fmt: skip

    def state(cid: int) -> tuple[Any, ...]:
        row = conn.execute(f"SELECT {columns} FROM contact WHERE id = ?", (cid,)).fetchone()
        opted = conn.execute(
            "SELECT channel FROM contact_opt_out WHERE contact_id = ? ORDER BY channel", (cid,)
        ).fetchall()
        return (*row, *opted)

    changed: set[int] = set()
    for c in contacts:
        cid = target[c["id"]]
        before = state(cid) if cid not in added else ()
        sets = ", ".join(f"{k} = coalesce({k}, :{k})" for k in _POLICY)
        if cid in added:
            sets += ", stage = :stage"
        conn.execute(f"UPDATE contact SET {sets} WHERE id = :id",
                     {**{k: c[k] for k in (*_POLICY, "stage")}, "id": cid})  # fmt: skip
        if c["do_not_contact"]:
            conn.execute(
                "UPDATE contact SET do_not_contact = 1, "
                "do_not_contact_reason = coalesce(do_not_contact_reason, ?), "
                "do_not_contact_since = coalesce(do_not_contact_since, ?) WHERE id = ?",
                (c["do_not_contact_reason"], c["do_not_contact_since"], cid),
            )
        conn.executemany(
            "INSERT OR IGNORE INTO contact_opt_out (contact_id, channel) VALUES (?, ?)",
            [(cid, channel) for channel in c["opted_out_channels"]],
        )
        if cid not in added and state(cid) != before:
            changed.add(cid)
    return changed
