"""Ordered schema steps, counted by PRAGMA user_version; stdlib sqlite3 only.

The steps are plain SQL so that both doors into the store (SQLModel sessions for writes and
the sqlite3 reader for hot paths) open, create and upgrade the same file the same way.
A step, once released, is never edited: add a new one.
"""

import sqlite3

from relcli.errors import StorageRefusedError

STEPS: tuple[tuple[str, ...], ...] = (
    # 1: the foundation
    (
        """CREATE TABLE company (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            domain TEXT,
            notes TEXT,
            primary_contact_id INTEGER,
            created_at TEXT NOT NULL)""",
        """CREATE TABLE contact (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            company_id INTEGER REFERENCES company(id) ON DELETE SET NULL,
            title TEXT,
            stage TEXT NOT NULL DEFAULT 'lead'
                CHECK (stage IN ('lead','prospect','customer','partner','former')),
            tier TEXT CHECK (tier IN ('A','B','C')),
            cadence_days INTEGER CHECK (cadence_days > 0),
            preferred_channel TEXT,
            min_gap_days INTEGER CHECK (min_gap_days > 0),
            do_not_contact BOOLEAN NOT NULL DEFAULT 0,
            do_not_contact_reason TEXT,
            do_not_contact_since DATE,
            snoozed_until DATE,
            renewal_on DATE,
            birthday TEXT,
            deal_value FLOAT,
            url TEXT,
            notes TEXT,
            source TEXT,
            known_since DATE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        "CREATE INDEX ix_contact_name_key ON contact(name_key)",
        "CREATE INDEX ix_contact_company ON contact(company_id)",
        "CREATE INDEX ix_contact_source ON contact(source)",
        """CREATE TABLE contact_email (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
            address TEXT NOT NULL,
            address_key TEXT NOT NULL UNIQUE,
            position INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX ix_contact_email_contact ON contact_email(contact_id, position)",
        """CREATE TABLE contact_phone (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
            number TEXT NOT NULL,
            number_key TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX ix_contact_phone_number_key ON contact_phone(number_key)",
        "CREATE INDEX ix_contact_phone_contact ON contact_phone(contact_id, position)",
        """CREATE TABLE contact_tag (
            contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (contact_id, tag)) WITHOUT ROWID""",
        "CREATE INDEX ix_contact_tag_tag ON contact_tag(tag, contact_id)",
        """CREATE TABLE contact_opt_out (
            contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
            channel TEXT NOT NULL,
            PRIMARY KEY (contact_id, channel)) WITHOUT ROWID""",
        """CREATE TABLE interaction (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
            channel TEXT NOT NULL
                CHECK (channel IN ('call','email','text','meeting','social','note')),
            direction TEXT NOT NULL CHECK (direction IN ('out','in','both')),
            outcome TEXT,
            summary TEXT,
            at TEXT NOT NULL,
            created_at TEXT NOT NULL)""",
        "CREATE INDEX ix_interaction_contact_at ON interaction(contact_id, at)",
        """CREATE TABLE follow_up (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
            due_on DATE,
            reason TEXT,
            every_days INTEGER CHECK (every_days > 0),
            created_at TEXT NOT NULL,
            done_at TEXT)""",
        "CREATE INDEX ix_follow_up_open ON follow_up(done_at, due_on)",
        "CREATE INDEX ix_follow_up_contact ON follow_up(contact_id, done_at, due_on)",
        """CREATE TABLE signal (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER REFERENCES contact(id) ON DELETE CASCADE,
            company_id INTEGER REFERENCES company(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            observed_on DATE NOT NULL,
            note TEXT,
            source TEXT,
            source_interaction_id INTEGER REFERENCES interaction(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            CHECK ((contact_id IS NULL) != (company_id IS NULL)))""",
        "CREATE INDEX ix_signal_observed ON signal(observed_on)",
        "CREATE INDEX ix_signal_contact ON signal(contact_id, observed_on)",
        "CREATE INDEX ix_signal_company ON signal(company_id, observed_on)",
        """CREATE TABLE contact_stats (
            contact_id INTEGER PRIMARY KEY REFERENCES contact(id) ON DELETE CASCADE,
            strength_ref FLOAT NOT NULL DEFAULT 0,
            strength_day INTEGER NOT NULL DEFAULT 0,
            first_contact_on DATE,
            last_contact_on DATE,
            last_outbound_on DATE,
            last_inbound_on DATE,
            reply_owed_since DATE,
            reply_channel TEXT,
            recent_outbound TEXT NOT NULL DEFAULT '',
            next_meeting_on DATE,
            next_follow_up_on DATE,
            open_follow_ups INTEGER NOT NULL DEFAULT 0,
            has_undated_follow_up BOOLEAN NOT NULL DEFAULT 0)""",
        "CREATE INDEX ix_contact_stats_reply ON contact_stats(reply_owed_since)",
        "CREATE INDEX ix_contact_stats_follow_up ON contact_stats(next_follow_up_on)",
        "CREATE INDEX ix_contact_stats_meeting ON contact_stats(next_meeting_on)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    # 2: talking points, notes pinned to show in every calling brief (relcli interaction pin)
    ("ALTER TABLE interaction ADD COLUMN talking_point BOOLEAN NOT NULL DEFAULT 0",),
    # 3: the same CHECKs written as OR chains. SQLite 3.40 builds an ephemeral index for
    # every row a CHECK (x IN ('a','b',...)) tests, which made inserts about 2.5x slower; an
    # OR chain accepts exactly the same values (and a NULL tier, as IN did). SQLite cannot
    # alter a CHECK, so both tables are rebuilt (lang_altertable.html#otheralter): the
    # columns, their order, types and defaults, every row, id and index stay as they were.
    (
        """CREATE TABLE new_contact (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            company_id INTEGER REFERENCES company(id) ON DELETE SET NULL,
            title TEXT,
            stage TEXT NOT NULL DEFAULT 'lead'
                CHECK (stage = 'lead' OR stage = 'prospect' OR stage = 'customer'
                       OR stage = 'partner' OR stage = 'former'),
            tier TEXT CHECK (tier = 'A' OR tier = 'B' OR tier = 'C'),
            cadence_days INTEGER CHECK (cadence_days > 0),
            preferred_channel TEXT,
            min_gap_days INTEGER CHECK (min_gap_days > 0),
            do_not_contact BOOLEAN NOT NULL DEFAULT 0,
            do_not_contact_reason TEXT,
            do_not_contact_since DATE,
            snoozed_until DATE,
            renewal_on DATE,
            birthday TEXT,
            deal_value FLOAT,
            url TEXT,
            notes TEXT,
            source TEXT,
            known_since DATE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """INSERT INTO new_contact (id, name, name_key, company_id, title, stage, tier,
            cadence_days, preferred_channel, min_gap_days, do_not_contact,
            do_not_contact_reason, do_not_contact_since, snoozed_until, renewal_on, birthday,
            deal_value, url, notes, source, known_since, created_at, updated_at)
        SELECT id, name, name_key, company_id, title, stage, tier,
            cadence_days, preferred_channel, min_gap_days, do_not_contact,
            do_not_contact_reason, do_not_contact_since, snoozed_until, renewal_on, birthday,
            deal_value, url, notes, source, known_since, created_at, updated_at
        FROM contact""",
        "DROP TABLE contact",
        "ALTER TABLE new_contact RENAME TO contact",
        "CREATE INDEX ix_contact_name_key ON contact(name_key)",
        "CREATE INDEX ix_contact_company ON contact(company_id)",
        "CREATE INDEX ix_contact_source ON contact(source)",
        """CREATE TABLE new_interaction (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
            channel TEXT NOT NULL
                CHECK (channel = 'call' OR channel = 'email' OR channel = 'text'
                       OR channel = 'meeting' OR channel = 'social' OR channel = 'note'),
            direction TEXT NOT NULL
                CHECK (direction = 'out' OR direction = 'in' OR direction = 'both'),
            outcome TEXT,
            summary TEXT,
            at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            talking_point BOOLEAN NOT NULL DEFAULT 0)""",
        """INSERT INTO new_interaction (id, contact_id, channel, direction, outcome, summary,
            at, created_at, talking_point)
        SELECT id, contact_id, channel, direction, outcome, summary,
            at, created_at, talking_point
        FROM interaction""",
        "DROP TABLE interaction",
        "ALTER TABLE new_interaction RENAME TO interaction",
        "CREATE INDEX ix_interaction_contact_at ON interaction(contact_id, at)",
    ),
    # 4: what a person entered that imports used to drop: a nickname, an anniversary (the
    # same form as birthday: 'YYYY-MM-DD', or '--MM-DD' without a year) and postal addresses
    (
        "ALTER TABLE contact ADD COLUMN nickname TEXT",
        "ALTER TABLE contact ADD COLUMN anniversary TEXT",
        """CREATE TABLE contact_address (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
            label TEXT,
            street TEXT,
            city TEXT,
            region TEXT,
            postcode TEXT,
            country TEXT,
            position INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX ix_contact_address_contact ON contact_address(contact_id, position)",
    ),
    # 5: a LinkedIn contact's source is its profile without 'https://www.'
    # ('linkedin:linkedin.com/in/ann-lee', as docs/import-export.md always said): a fifth of a
    # LinkedIn book's bytes were that prefix, twice (the row and the source index). Also
    # where a JSON import's merge put 'json:' in front.
    (
        """UPDATE contact SET source = 'linkedin:' || substr(source, 22)
        WHERE substr(source, 1, 34) = 'linkedin:https://www.linkedin.com/'""",
        """UPDATE contact SET source = 'json:linkedin:' || substr(source, 27)
        WHERE substr(source, 1, 39) = 'json:linkedin:https://www.linkedin.com/'""",
    ),
)
# Steps that drop and recreate a table. apply() runs them with foreign keys off (with them on,
# DROP TABLE contact would first delete every child row through ON DELETE CASCADE, and DROP
# TABLE interaction would clear every signal's source_interaction_id), then refuses to commit
# unless PRAGMA foreign_key_check finds nothing.
REBUILDS = frozenset({3})

SCHEMA_VERSION = len(STEPS)


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def apply(conn: sqlite3.Connection) -> list[int]:
    """Run every step above the file's version, each in its own IMMEDIATE transaction.

    The version is read again inside each transaction, so two processes upgrading the same
    file at once apply each step exactly once. ``conn`` must not be inside a transaction:
    a rebuild switches foreign keys off first, which SQLite ignores inside one.
    """
    applied = []
    for number, statements in enumerate(STEPS, start=1):
        rebuild = number in REBUILDS
        enforced = _foreign_keys(conn)
        if rebuild:
            _set_foreign_keys(conn, on=False)
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if version(conn) >= number:
                    conn.execute("COMMIT")
                    continue
                for statement in statements:
                    conn.execute(statement)
                if rebuild:
                    _refuse_broken_references(conn, number)
                conn.execute(f"PRAGMA user_version = {number}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back already (disk full)
                    conn.execute("ROLLBACK")
                raise
        finally:
            if rebuild:
                _set_foreign_keys(conn, on=enforced)
        applied.append(number)
    return applied


def _foreign_keys(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute("PRAGMA foreign_keys").fetchone()[0])


def _set_foreign_keys(conn: sqlite3.Connection, *, on: bool) -> None:
    conn.execute(f"PRAGMA foreign_keys = {int(on)}")
    if _foreign_keys(conn) != on:  # a no-op inside a transaction: never rebuild with them on
        raise RuntimeError(f"PRAGMA foreign_keys = {int(on)} did not take (open transaction?)")


def _refuse_broken_references(conn: sqlite3.Connection, number: int) -> None:
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _ = broken[0]
        raise StorageRefusedError(
            f"schema step {number} found {len(broken)} row(s) naming a missing record "
            f"(first: {table} row {rowid} names a missing {parent}); not upgraded, left as it was",
            hint="list them with sqlite3's 'PRAGMA foreign_key_check' and fix or delete them",
        )
