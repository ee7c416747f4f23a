"""Schema step 3: the IN (...) CHECKs rebuilt as OR chains, and nothing else changes.

A version-2 book is built with the first two steps only, filled through SQL as relcli 2 left
it, and then opened through the real entry points so the upgrade runs as it will for users.
"""

import re
import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from relcli.domain import vocabulary
from relcli.errors import StorageRefusedError
from relcli.store import database, migrations
from tests.conftest import Relcli, ok

AT = "2026-11-30T12:00:00+00:00"
REBUILT = ("contact", "interaction")


def build_v2(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A book as relcli wrote it at schema 2, holding a row in every table."""
    with monkeypatch.context() as old:
        old.setattr(migrations, "STEPS", migrations.STEPS[:2])
        old.setattr(migrations, "SCHEMA_VERSION", 2)
        conn = database.connect(path)
    assert conn is not None
    with closing(conn):
        assert migrations.version(conn) == 2
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        conn.execute("BEGIN IMMEDIATE")
        _fill(conn)
        conn.execute("COMMIT")


def _fill(conn: sqlite3.Connection) -> None:
    conn.executemany(
        "INSERT INTO company (id, name, name_key, domain, notes, primary_contact_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(1, "Acme", "acme", "acme.example", None, 5, AT),
         (4, "Ünïcode GmbH", "ünïcode gmbh", None, "Grüße\r\nbitte", None, AT)],
    )  # fmt: skip
    # Ids with gaps, every stage, every tier and a NULL one, every column filled somewhere.
    conn.executemany(
        "INSERT INTO contact (id, name, name_key, company_id, title, stage, tier, cadence_days, "
        "preferred_channel, min_gap_days, do_not_contact, do_not_contact_reason, "
        "do_not_contact_since, snoozed_until, renewal_on, birthday, deal_value, url, notes, "
        "source, known_since, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (1, "Ann Lee", "ann lee", 1, "CTO", "customer", "A", 14, "email", 7, 0, None, None,
             None, "2027-03-01", "--02-03", 1200.5, "https://example.com/ann", "line 1\nline 2",
             None, "2020-01-01", AT, AT),
            (2, "Łukasz Żółkiewski", "łukasz żółkiewski", 4, None, "lead", None, None, None,
             None, 0, None, None, "2026-12-24", None, "1990-05-06", None, None, None,
             "linkedin:lz", None, AT, AT),
            (5, "Bob Stone", "bob stone", 1, None, "former", "C", 30, "call", None, 1,
             "asked us to stop", "2026-12-01", None, None, None, 0.0, None, None, None, None,
             AT, AT),
            (9, "Cy Park", "cy park", None, None, "prospect", "B", 90, None, 3, 0, None, None,
             None, None, None, 42.0, None, None, "google:cy", None, AT, AT),
            (12, "Di Moss", "di moss", None, None, "partner", None, None, None, None, 0, None,
             None, None, None, None, None, None, "", None, None, AT, AT),
        ],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO contact_email (id, contact_id, address, address_key, position) "
        "VALUES (?, ?, ?, ?, ?)",
        [(1, 1, "Ann@Example.com", "ann@example.com", 0),
         (2, 1, "ann@work.example", "ann@work.example", 1),
         (6, 9, "cy@example.org", "cy@example.org", 0)],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO contact_phone (id, contact_id, number, number_key, position) "
        "VALUES (?, ?, ?, ?, ?)",
        [(1, 1, "+1 555 0100", "+15550100", 0), (3, 5, "0171 234", "0171234", 0)],
    )
    conn.executemany(
        "INSERT INTO contact_tag (contact_id, tag) VALUES (?, ?)",
        [(1, "vip"), (1, "beta"), (9, "q3-pipeline"), (12, "vip")],
    )
    conn.executemany(
        "INSERT INTO contact_opt_out (contact_id, channel) VALUES (?, ?)",
        [(5, "call"), (5, "text")],
    )
    conn.executemany(
        "INSERT INTO interaction (id, contact_id, channel, direction, outcome, summary, at, "
        "created_at, talking_point) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (1, 1, "call", "out", "connected", "intro call", AT, AT, 0),
            (2, 1, "email", "in", "replied", "Grüße\r\nper E-Mail", AT, AT, 0),
            (3, 2, "meeting", "both", None, None, "2026-12-03T09:00:00+00:00", AT, 0),
            (7, 9, "text", "out", "no-answer", "", AT, AT, 0),
            (8, 9, "social", "in", None, "liked the post", AT, AT, 0),
            (11, 1, "note", "out", None, "kids: Emma and Leo", AT, AT, 1),
        ],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO follow_up (id, contact_id, due_on, reason, every_days, created_at, done_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(1, 1, "2026-12-10", "monthly sync", 30, AT, None),
         (2, 9, None, "someday", None, AT, None),
         (4, 2, "2026-11-01", "sent deck", None, AT, AT)],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO signal (id, contact_id, company_id, kind, observed_on, note, source, "
        "source_interaction_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(1, 1, None, "job-change", "2026-11-20", "now CTO", "manual", 2, AT),
         (2, None, 1, "exec-hire", "2026-11-25", None, "news", 1, AT),
         (5, None, 4, "funding", "2026-11-26", "Series A", None, None, AT),
         (6, 9, None, "posted", "2026-11-27", None, None, 8, AT)],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO contact_stats (contact_id, strength_ref, strength_day, first_contact_on, "
        "last_contact_on, last_outbound_on, last_inbound_on, reply_owed_since, reply_channel, "
        "recent_outbound, next_meeting_on, next_follow_up_on, open_follow_ups, "
        "has_undated_follow_up) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(1, 3.25, 739585, "2026-11-30", "2026-11-30", "2026-11-30", "2026-11-30", None, None,
          "2026-11-30", None, "2026-12-10", 1, 0),
         (9, 0.5, 739585, "2026-11-30", "2026-11-30", "2026-11-30", "2026-11-30",
          "2026-11-30", "social", "2026-11-30", None, None, 1, 1)],
    )  # fmt: skip
    conn.execute("INSERT INTO meta (key, value) VALUES ('stats_fingerprint', 'v2-test')")


def tables(conn: sqlite3.Connection) -> list[str]:
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return sorted(name for (name,) in conn.execute(query))


def rows(path: Path, columns: dict[str, list[str]] | None = None) -> list[tuple[str, str]]:
    """Every row of every table as SQL text (quote() keeps each value's type).

    With ``columns``, only those tables and columns: what an older schema had, so a later
    step's new columns and tables do not count."""
    with closing(sqlite3.connect(path)) as conn:
        if columns is None:
            columns = {t: [c[1] for c in conn.execute(f"PRAGMA table_xinfo({t})")]
                       for t in tables(conn)}  # fmt: skip
        return sorted(
            (table, value)
            for table, names in columns.items()
            for (value,) in conn.execute(
                "SELECT " + " || ',' || ".join(f"quote({n})" for n in names) + f" FROM {table}"
            )
        )


def columns(path: Path) -> dict[str, list[str]]:
    with closing(sqlite3.connect(path)) as conn:
        return {t: [c[1] for c in conn.execute(f"PRAGMA table_xinfo({t})")] for t in tables(conn)}


# What schema steps after 3 added; an upgraded version-2 book has them too.
LATER_COLUMNS = {"contact": ["nickname", "anniversary"]}
LATER_TABLES = {"contact_address"}


def shape(path: Path) -> dict[str, Any]:
    """Columns (names, order, types, defaults), references and indexes of every table."""
    with closing(sqlite3.connect(path)) as conn:
        found: dict[str, Any] = {}
        for table in tables(conn):
            indexes = sorted(row[1:] for row in conn.execute(f"PRAGMA index_list({table})"))
            found[table] = (
                conn.execute(f"PRAGMA table_xinfo({table})").fetchall(),
                conn.execute(f"PRAGMA foreign_key_list({table})").fetchall(),
                [(i, conn.execute(f"PRAGMA index_xinfo({i[0]})").fetchall()) for i in indexes],
            )
        return found


def schema(path: Path) -> list[tuple[str, str, str, str]]:
    """sqlite_master without page numbers, whitespace folded and the rename's quotes dropped."""
    with closing(sqlite3.connect(path)) as conn:
        found = conn.execute("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master")
        return sorted(
            (kind, name, table, re.sub(r"\s+", " ", sql).replace(f'"{table}"', table))
            for kind, name, table, sql in found
        )


@pytest.fixture
def v2(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    build_v2(db_path, monkeypatch)
    return db_path


@pytest.mark.parametrize(
    "args", [("contact", "list", "--format", "json"), ("export", "json", "-"), ("today",)]
)
def test_opening_a_version_2_book_upgrades_it_and_keeps_every_row(
    relcli: Relcli, v2: Path, args: tuple[str, ...]
) -> None:
    before_rows, before_shape, before_columns = rows(v2), shape(v2), columns(v2)
    assert {table for table, _ in before_rows} == set(before_shape), "fill every table"
    kept = {t: sql for _, t, _, sql in schema(v2) if t not in REBUILT}
    ok(relcli(*args))
    with closing(sqlite3.connect(v2)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        checks = " ".join(
            sql for (sql,) in conn.execute("SELECT coalesce(sql, '') FROM sqlite_master")
        )
    assert rows(v2, before_columns) == before_rows
    after_shape = shape(v2)
    assert set(after_shape) == set(before_shape) | LATER_TABLES
    for table, (info, references, indexes) in before_shape.items():
        later = LATER_COLUMNS.get(table, [])
        found_info, found_references, found_indexes = after_shape[table]
        assert found_info[: len(info)] == info, table
        assert [c[1] for c in found_info[len(info) :]] == later, table
        assert (found_references, found_indexes) == (references, indexes), table
    assert {t: sql for _, t, _, sql in schema(v2) if t in kept and t not in REBUILT} == kept
    assert " IN (" not in checks.upper()
    assert v2.with_name(f"{v2.name}.v2.bak").exists()


def test_upgraded_checks_refuse_unknown_values_and_accept_a_null_tier(
    relcli: Relcli, v2: Path
) -> None:
    ok(relcli("contact", "list"))
    conn = sqlite3.connect(v2, isolation_level=None)
    with closing(conn):
        contact = (
            "INSERT INTO contact (name, name_key, stage, tier, created_at, updated_at) "
            f"VALUES ('X', 'x', ?, ?, '{AT}', '{AT}')"
        )
        touch = (
            "INSERT INTO interaction (contact_id, channel, direction, at, created_at) "
            f"VALUES (1, ?, ?, '{AT}', '{AT}')"
        )
        for stage, tier in [("won", None), ("Lead", "A"), ("lead", "D"), ("lead", "a"),
                            ("lead", ""), (None, "A")]:  # fmt: skip
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute(contact, (stage, tier))
        for channel, direction in [("fax", "out"), ("call", "sideways"), ("Call", "out"),
                                   ("call", "OUT"), (None, "out")]:  # fmt: skip
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute(touch, (channel, direction))
        for stage in vocabulary.STAGES:  # the CHECK and the CLI's vocabulary agree
            for tier in (*vocabulary.TIERS, None):
                conn.execute(contact, (stage, tier))
        for channel in vocabulary.INTERACTION_CHANNELS:
            for direction in ("out", "in", "both"):
                conn.execute(touch, (channel, direction))
        conn.execute(
            f"INSERT INTO contact (name, name_key, created_at, updated_at) "
            f"VALUES ('Y', 'y', '{AT}', '{AT}')"
        )
        assert conn.execute("SELECT stage, tier FROM contact WHERE name = 'Y'").fetchone() == (
            "lead",
            None,
        )


def test_the_or_chains_accept_exactly_what_the_in_lists_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    build_v2(old, monkeypatch)
    build_v2(new, monkeypatch)
    upgraded = database.connect(new)
    assert upgraded is not None
    upgraded.close()
    words = {*vocabulary.STAGES, *vocabulary.TIERS, *vocabulary.INTERACTION_CHANNELS,
             "out", "in", "both"}  # fmt: skip
    odd = {w.upper() for w in words} | {f" {w}" for w in words} | {"", "x", "lead,prospect"}
    values: list[object] = [*sorted(words | odd), None, 1, 0.5, b"lead"]

    def accepted(path: Path) -> list[tuple[str, object]]:
        found = []
        conn = sqlite3.connect(path, isolation_level=None)
        with closing(conn):
            conn.execute("BEGIN")
            for column in ("stage", "tier"):
                for value in values:
                    try:
                        conn.execute(
                            f"INSERT INTO contact (name, name_key, {column}, created_at, "
                            f"updated_at) VALUES ('X', 'x', ?, '{AT}', '{AT}')",
                            (value,),
                        )
                        found.append((column, value))
                    except sqlite3.IntegrityError:
                        pass
            for column, other in (("channel", "direction"), ("direction", "channel")):
                fixed = "out" if other == "direction" else "note"
                for value in values:
                    try:
                        conn.execute(
                            f"INSERT INTO interaction (contact_id, {column}, {other}, at, "
                            f"created_at) VALUES (1, ?, '{fixed}', '{AT}', '{AT}')",
                            (value,),
                        )
                        found.append((column, value))
                    except sqlite3.IntegrityError:
                        pass
            conn.execute("ROLLBACK")
        return found

    assert migrations.version(sqlite3.connect(old)) == 2
    assert migrations.version(sqlite3.connect(new)) == migrations.SCHEMA_VERSION
    assert accepted(new) == accepted(old)
    assert ("tier", None) in accepted(new)


def test_a_fresh_and_an_upgraded_book_have_the_same_schema(
    relcli: Relcli, v2: Path, tmp_path: Path
) -> None:
    ok(relcli("contact", "list"))
    fresh = tmp_path / "fresh" / "relcli.db"
    ok(relcli("--db", str(fresh), "contact", "add", "Ann Lee"))
    assert schema(fresh) == schema(v2)
    assert shape(fresh) == shape(v2)
    for path in (fresh, v2):
        with closing(sqlite3.connect(path)) as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
            assert conn.execute("PRAGMA application_id").fetchone()[0] == database.APPLICATION_ID


def test_both_doors_keep_foreign_keys_on_after_the_upgrade(v2: Path) -> None:
    conn = database.connect(v2)  # the read door: the connection the hot paths use
    assert conn is not None
    with closing(conn):
        assert migrations.version(conn) == migrations.SCHEMA_VERSION
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO contact_tag (contact_id, tag) VALUES (404, 'ghost')"
            )  # the children still reference the rebuilt contact table


def test_the_write_door_cascades_into_the_rebuilt_tables(relcli: Relcli, v2: Path) -> None:
    with database.transaction(v2, write=False) as session:  # the ORM door runs the upgrade
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA user_version")).scalar() == migrations.SCHEMA_VERSION
    ok(relcli("contact", "forget", "#1", "--yes"))  # relies on ON DELETE CASCADE
    with closing(sqlite3.connect(v2)) as conn:
        for table in ("contact_email", "contact_phone", "contact_tag", "interaction",
                      "follow_up", "contact_stats"):  # fmt: skip
            assert (
                conn.execute(f"SELECT count(*) FROM {table} WHERE contact_id = 1").fetchone()[0]
                == 0
            ), table
        assert conn.execute("SELECT id FROM signal ORDER BY id").fetchall() == [(2,), (5,), (6,)]
        # Ann's interaction 1 was the company signal's source: that link is cleared, not broken.
        assert conn.execute("SELECT source_interaction_id FROM signal WHERE id = 2").fetchone() == (
            None,
        )
        assert conn.execute("SELECT count(*) FROM interaction").fetchone()[0] == 3
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_book_with_a_dangling_reference_is_not_upgraded_and_keeps_its_rows(
    relcli: Relcli, v2: Path
) -> None:
    conn = sqlite3.connect(v2)  # as an outside tool could leave it: foreign keys off
    with conn:
        conn.execute("INSERT INTO contact_tag (contact_id, tag) VALUES (404, 'orphan')")
    conn.close()
    before = rows(v2)
    run = relcli("contact", "list")
    assert run.code == 5
    assert "contact_tag row" in run.err
    assert "not upgraded" in run.err
    assert "Traceback" not in run.err
    assert rows(v2) == before
    with closing(sqlite3.connect(v2)) as conn:
        assert migrations.version(conn) == 2
        assert not [t for t in tables(conn) if t.startswith("new_")]


@pytest.mark.parametrize("enforced", [1, 0])
def test_apply_restores_the_foreign_keys_setting_after_success_and_failure(
    v2: Path, enforced: int
) -> None:
    with closing(sqlite3.connect(v2, isolation_level=None)) as conn:
        conn.execute("INSERT INTO contact_tag (contact_id, tag) VALUES (404, 'orphan')")
        conn.execute(f"PRAGMA foreign_keys = {enforced}")
        with pytest.raises(StorageRefusedError):
            migrations.apply(conn)
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == enforced
        assert not conn.in_transaction
        assert migrations.version(conn) == 2
        conn.execute("DELETE FROM contact_tag WHERE contact_id = 404")
        assert migrations.apply(conn) == list(range(3, migrations.SCHEMA_VERSION + 1))
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == enforced
        assert migrations.version(conn) == migrations.SCHEMA_VERSION


def test_apply_inside_an_open_transaction_fails_before_touching_anything(v2: Path) -> None:
    """Inside a transaction SQLite ignores PRAGMA foreign_keys, and DROP TABLE would cascade."""
    before = rows(v2)
    with closing(sqlite3.connect(v2, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN")
        with pytest.raises(sqlite3.OperationalError, match="within a transaction"):
            migrations.apply(conn)
        conn.execute("ROLLBACK")
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert migrations.version(conn) == 2
    assert rows(v2) == before


def test_two_upgrades_at_once_apply_step_3_once(v2: Path) -> None:
    before, before_columns = rows(v2), columns(v2)
    start = threading.Barrier(2)
    outcome: list[list[int]] = []

    def upgrade() -> None:
        conn = sqlite3.connect(v2, isolation_level=None, check_same_thread=False, timeout=10)
        with closing(conn):
            conn.execute("PRAGMA foreign_keys = ON")
            start.wait()
            outcome.append(migrations.apply(conn))

    workers = [threading.Thread(target=upgrade) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcome, key=len) == [[], list(range(3, migrations.SCHEMA_VERSION + 1))]
    assert rows(v2, before_columns) == before
    with closing(sqlite3.connect(v2)) as conn:
        assert not [t for t in tables(conn) if t.startswith("new_")]
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_every_step_that_drops_a_table_runs_as_a_rebuild() -> None:
    for number, statements in enumerate(migrations.STEPS, start=1):
        drops = any(s.lstrip().upper().startswith("DROP TABLE") for s in statements)
        assert drops == (number in migrations.REBUILDS), number


@pytest.mark.parametrize("attempt", range(5))
def test_three_connections_opening_a_version_2_book_at_once_all_succeed(
    v2: Path, attempt: int
) -> None:
    """Each opener takes its own backup (no name collision) and step 3 runs once."""
    before, before_columns = rows(v2), columns(v2)
    start = threading.Barrier(3)
    failures: list[BaseException] = []

    def open_book() -> None:
        start.wait()
        try:
            conn = database.connect(v2)
            assert conn is not None
            conn.close()
        except BaseException as err:  # reported below, with every opener's outcome
            failures.append(err)

    workers = [threading.Thread(target=open_book) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == [], attempt
    assert rows(v2, before_columns) == before
    backups = sorted(p.name for p in v2.parent.glob(f"{v2.name}.v2*.bak"))
    assert f"{v2.name}.v2.bak" in backups
    for backup in backups:
        with closing(sqlite3.connect(v2.with_name(backup))) as conn:
            assert 2 <= migrations.version(conn) <= migrations.SCHEMA_VERSION
