"""The database file: created private, checked before use, refused when foreign or newer."""

import hashlib
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import SQLModel, select

from relcli import models
from relcli.errors import StorageRefusedError
from relcli.store import database, migrations
from tests.conftest import Relcli


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_database_is_created_private_with_wal_and_current_schema(
    relcli: Relcli, db_path: Path
) -> None:
    assert relcli("contact", "add", "Ann Lee").code == 0
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == database.APPLICATION_ID


def test_reading_commands_do_not_create_a_database(relcli: Relcli, db_path: Path) -> None:
    run = relcli("today", "--format", "plain")
    assert (run.code, run.out) == (0, "")
    assert not db_path.exists()


def _newer(db_path: Path) -> None:
    conn = database.connect(db_path)
    assert conn is not None
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


@pytest.mark.parametrize("args", [("today",), ("contact", "add", "Ann Lee"), ("contact", "list")])
def test_newer_schema_is_refused_and_left_byte_identical(
    relcli: Relcli, db_path: Path, args: tuple[str, ...]
) -> None:
    _newer(db_path)
    before = digest(db_path)
    run = relcli(*args)
    assert run.code == 5
    assert "newer relcli" in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert digest(db_path) == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty file"),
        (b"hello, this is not a database at all" * 10, "not an SQLite database"),
        (b"SQLite format 3\x00" + b"\x00" * 50, "not an SQLite database"),
    ],
)
def test_damaged_or_empty_files_are_refused_untouched(
    relcli: Relcli, db_path: Path, content: bytes, words: str
) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.write_bytes(content)
    run = relcli("contact", "add", "Ann Lee")
    assert run.code == 5
    assert words in run.err
    assert "Traceback" not in run.err
    assert db_path.read_bytes() == content
    assert not Path(f"{db_path}-wal").exists()


def test_a_foreign_sqlite_file_is_refused_untouched(relcli: Relcli, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = digest(db_path)
    run = relcli("today")
    assert run.code == 5
    assert "another program" in run.err
    assert digest(db_path) == before


def test_locked_database_fails_with_exit_75_and_writes_nothing(
    relcli: Relcli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert relcli("contact", "add", "Ann Lee").code == 0
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.2)
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        run = relcli("contact", "add", "Bo Chen")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert run.code == 75
    assert "busy" in run.err
    names = [r[0] for r in sqlite3.connect(db_path).execute("SELECT name FROM contact")]
    assert names == ["Ann Lee"]


def test_migrating_an_old_file_keeps_rows_and_takes_a_backup(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = migrations.STEPS
    monkeypatch.setattr(migrations, "STEPS", steps[:1])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 1)
    conn = database.connect(db_path)
    assert conn is not None
    conn.execute(
        "INSERT INTO contact (name, name_key, created_at, updated_at) VALUES ('Ann', 'ann', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')"
    )
    conn.close()
    extra = ("CREATE TABLE extra_step (id INTEGER PRIMARY KEY)",)
    monkeypatch.setattr(migrations, "STEPS", (*steps[:1], extra))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    conn = database.connect(db_path)
    assert conn is not None
    assert migrations.version(conn) == 2
    assert conn.execute("SELECT name FROM contact").fetchall() == [("Ann",)]
    backup = db_path.with_name(f"{db_path.name}.v1.bak")
    assert backup.exists()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone()[0] == 1


def test_a_version_1_book_gains_talking_points_and_keeps_every_row(
    relcli: Relcli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Step 2 on a file written before it: every interaction is kept, none is pinned."""
    with monkeypatch.context() as old:
        old.setattr(migrations, "STEPS", migrations.STEPS[:1])
        old.setattr(migrations, "SCHEMA_VERSION", 1)
        made = database.connect(db_path)
        assert made is not None
        made.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    with conn:  # as relcli 1 wrote them: the columns of step 1 only
        conn.execute(
            "INSERT INTO contact (name, name_key, created_at, updated_at) VALUES "
            "('Ann Lee', 'ann lee', '2026-11-30T12:00:00+00:00', '2026-11-30T12:00:00+00:00')"
        )
        conn.executemany(
            "INSERT INTO interaction (contact_id, channel, direction, summary, at, created_at) "
            "VALUES (1, ?, 'out', ?, '2026-11-30T12:00:00+00:00', '2026-11-30T12:00:00+00:00')",
            [("note", "kids: Emma and Leo"), ("call", "intro call")],
        )
    before = conn.execute("SELECT * FROM interaction ORDER BY id").fetchall()
    conn.close()
    assert relcli("interaction", "pin", "1").code == 0
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    after = conn.execute("SELECT * FROM interaction ORDER BY id").fetchall()
    assert [row[:-1] for row in after] == before
    assert [row[-1] for row in after] == [1, 0]
    assert db_path.with_name(f"{db_path.name}.v1.bak").exists()


def test_migrations_create_every_column_the_models_declare(db_path: Path) -> None:
    conn = database.connect(db_path)
    assert conn is not None
    for table in SQLModel.metadata.sorted_tables:
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table.name})")}
        assert have, f"migrations do not create table {table.name}"
        assert {c.name for c in table.columns} == have, table.name


def test_timestamps_read_back_aware_utc(db_path: Path) -> None:
    written = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    with database.transaction(db_path) as session:
        session.add(models.Company(name="Acme", name_key="acme", created_at=written))
    with database.transaction(db_path) as session:
        company = session.exec(select(models.Company)).one()
    assert company.created_at == written
    assert company.created_at.tzinfo is not None


def test_a_failing_transaction_leaves_nothing_behind(db_path: Path) -> None:
    class BoomError(Exception):
        pass

    def fail_midway() -> None:
        with database.transaction(db_path) as session:
            session.add(models.Company(name="Acme", name_key="acme", created_at=datetime.now(UTC)))
            session.flush()
            raise BoomError

    with pytest.raises(BoomError):
        fail_midway()
    assert not db_path.exists()  # the file this transaction created went with it
    assert database.connect(db_path) is not None
    with pytest.raises(BoomError):
        fail_midway()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM company").fetchone()[0] == 0


def test_a_torn_header_read_during_a_checkpoint_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header is read without locks: it can meet another process rewriting page 1 (a
    checkpoint) and look foreign for a moment. Seen as a rare exit 5 of one of four processes
    writing at once (tests/faults/test_concurrency.py); a later read is what the file holds."""
    path = tmp_path / "book.db"
    conn = database.connect(path)
    assert conn is not None
    conn.close()
    real = database._application_id
    seen: list[int | None] = []

    def torn_twice(p: Path) -> int | None:
        value = [None, 0x12345678][len(seen)] if len(seen) < 2 else real(p)
        seen.append(value)
        return value

    monkeypatch.setattr(database, "_application_id", torn_twice)
    assert database.check_header(path) is True
    assert seen[:2] == [None, 0x12345678]
    assert len(seen) == 3


def test_a_file_that_looks_foreign_on_every_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("PRAGMA application_id = 7")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    before = path.read_bytes()
    with pytest.raises(StorageRefusedError, match="another program"):
        database.check_header(path)
    assert path.read_bytes() == before
