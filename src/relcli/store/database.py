"""The database file: checked before it is touched, created atomically, opened with pragmas.

Three doors use it: ``connect()`` gives a stdlib ``sqlite3`` connection for the hot read paths,
``transaction()`` a SQLModel ``Session`` inside one ``BEGIN IMMEDIATE`` transaction, and
``raw_transaction()`` the same transaction on a bare ``sqlite3`` connection, for bulk writers
(imports) that should not pay for the ORM's import and per-row costs.
"""

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from relcli.errors import BusyError, StorageError, StorageIOError, StorageRefusedError
from relcli.store import migrations

if TYPE_CHECKING:
    from sqlmodel import Session

APPLICATION_ID = 0x52454C43  # "RELC" in the file header: this file is relcli's
BUSY_TIMEOUT_S = 10.0
_MAGIC = b"SQLite format 3\x00"


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) readable by the user only."""
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=0o700, exist_ok=True)
            folder.chmod(0o700)
    except OSError as err:
        raise StorageIOError(f"cannot create the folder {str(path)!r}: {err.strerror}") from err


def check_header(path: Path) -> bool:
    """True if ``path`` holds a relcli database, False if it does not exist; refuse the rest.

    The header is read through SQLite opened read-only and ``immutable`` (no locks, no WAL,
    no journal), so a foreign or damaged file is refused byte-identical. It is not opened
    with Python's ``open()``: closing a descriptor of the file would drop the POSIX locks
    that this process's other SQLite connections hold on it.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return False
    except OSError as err:
        raise StorageIOError(f"cannot read {str(path)!r}: {err.strerror}") from err
    if stat.S_ISDIR(info.st_mode):
        raise StorageRefusedError(f"{str(path)!r} is a folder, not a database")
    hint = "point --db or RELCLI_DB at a relcli database, or move this file away"
    if info.st_size == 0:
        raise StorageRefusedError(
            f"{str(path)!r} is an empty file, not a relcli database", hint=hint
        )
    if not os.access(path, os.R_OK):
        raise StorageIOError(f"cannot read {str(path)!r}: permission denied")
    if info.st_size < 100:
        raise StorageRefusedError(
            f"{str(path)!r} is not an SQLite database; left untouched", hint=hint
        )
    # Without locks, the read can meet another process's checkpoint rewriting page 1 and see
    # a torn header; only a file that looks foreign on every try is refused.
    for attempt in range(_HEADER_TRIES):
        found = _application_id(path)
        if found == APPLICATION_ID:
            return True
        if attempt + 1 < _HEADER_TRIES:
            time.sleep(_HEADER_PAUSE_S)
    if found is None:
        raise StorageRefusedError(
            f"{str(path)!r} is not an SQLite database; left untouched", hint=hint
        )
    raise StorageRefusedError(
        f"{str(path)!r} is an SQLite database of another program; left untouched", hint=hint
    )


_HEADER_TRIES = 5
_HEADER_PAUSE_S = 0.02


def _application_id(path: Path) -> int | None:
    """The header's application id, read through SQLite; None if it is no SQLite file."""
    try:
        probe = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as err:
        raise StorageIOError(f"cannot read {str(path)!r}: {err}") from err
    try:
        return int(probe.execute("PRAGMA application_id").fetchone()[0])
    except sqlite3.DatabaseError:
        return None
    finally:
        probe.close()


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    try:
        _configure(conn)
    except BaseException:
        conn.close()  # a damaged file must not keep a connection (and its -wal, -shm) open
        raise
    return conn


def _create(path: Path) -> None:
    """Build a new database beside ``path`` and link it into place in one step."""
    make_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        conn = _open(tmp)
        try:
            # Nobody sees the file until it is linked into place, so its steps need not each
            # be synced to disk (five steps, ten fsyncs): it is synced once, below.
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrations.apply(conn)
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):  # another process was first: use theirs
            os.link(tmp, path)
    except OSError as err:
        raise StorageIOError(f"cannot create the database {str(path)!r}: {err.strerror}") from err
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)


def _backup_before_migration(conn: sqlite3.Connection, path: Path, old: int) -> Path:
    target = path.with_name(f"{path.name}.v{old}.bak")
    n = 1
    while True:  # claim a name with O_EXCL: two processes upgrading at once each get their own
        try:
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            break
        except FileExistsError:
            n += 1
            target = path.with_name(f"{path.name}.v{old}.{n}.bak")
    os.close(fd)
    copy = sqlite3.connect(target)
    try:
        conn.backup(copy)
    finally:
        copy.close()
    return target


def connect(path: Path, *, create: bool = True) -> sqlite3.Connection | None:
    """An open, checked, current connection; None if there is no file and ``create`` is off."""
    try:
        if not check_header(path):
            if not create:
                return None
            _create(path)
            check_header(path)
        conn = _open(path)
        try:
            found = migrations.version(conn)
            if found > migrations.SCHEMA_VERSION:
                raise StorageRefusedError(
                    f"{str(path)!r} was written by a newer relcli (schema {found}, this one knows "
                    f"{migrations.SCHEMA_VERSION}); left untouched",
                    hint="upgrade relcli: pip install --upgrade relcli",
                )
            if found < migrations.SCHEMA_VERSION:
                _backup_before_migration(conn, path, found)
                migrations.apply(conn)
        except BaseException:
            conn.close()
            raise
    except sqlite3.Error as err:
        raise translate(err, path) from err
    return conn


def translate(err: BaseException, path: Path | None = None) -> StorageError:
    """A library error as the StorageError a user can act on."""
    text = str(getattr(err, "orig", None) or err)
    where = f" {str(path)!r}" if path else ""
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return BusyError(
            f"the database{where} is busy (another relcli is writing); nothing was changed",
            hint="try again in a moment",
        )
    if "readonly" in lowered or "read-only" in lowered:
        return StorageIOError(f"the database{where} is read-only; nothing was changed")
    if "full" in lowered:
        return StorageIOError(
            "the disk is full; nothing was changed", hint="free some space and try again"
        )
    if "disk i/o" in lowered or "unable to open" in lowered:
        return StorageIOError(f"cannot read or write the database{where}: {text}")
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return StorageRefusedError(
            f"the database{where} is damaged ({text}); left untouched",
            hint="restore a backup with 'relcli restore'",
        )
    return StorageError(f"database error: {text}")


@contextmanager
def transaction(path: Path, *, write: bool = True) -> "Iterator[Session]":
    """One SQLModel session in one transaction: all of it, or nothing.

    A write transaction starts with BEGIN IMMEDIATE, so it waits for other writers up front
    instead of failing half-way; a read (``write=False``) takes no write lock. If the command
    fails on a database it had just created, the new file is removed again.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.pool import StaticPool
    from sqlmodel import Session

    created = not path.exists()
    raw = connect(path)
    assert raw is not None
    engine = create_engine("sqlite://", creator=lambda: raw, poolclass=StaticPool)

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    failed = False
    try:
        with Session(engine, expire_on_commit=False) as session:
            try:
                session.connection()
                yield session
                if write:
                    session.commit()
                else:
                    session.rollback()
            except BaseException:
                failed = True
                session.rollback()
                raise
    except (DBAPIError, sqlite3.Error) as err:
        raise translate(err, path) from err
    finally:
        engine.dispose()
        raw.close()
        if failed and created and _is_empty(path):
            remove(path)


@contextmanager
def raw_transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction on a bare sqlite3 connection: all of it, or nothing.

    The same discipline as ``transaction()``: BEGIN IMMEDIATE, commit at the end, roll back
    on any error, and a database created by a command that failed is removed again.
    """
    created = not path.exists()
    raw = connect(path)
    assert raw is not None
    failed = False
    try:
        raw.execute("BEGIN IMMEDIATE")
        try:
            yield raw
            raw.execute("COMMIT")
        except BaseException:
            failed = True
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            raise
    except sqlite3.Error as err:
        raise translate(err, path) from err
    finally:
        raw.close()
        if failed and created and _is_empty(path):
            remove(path)


def _is_empty(path: Path) -> bool:
    """True if a database holds no rows a user entered (safe to remove after a failed start)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = ("contact", "company")
            return all(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0 for t in tables)
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def checkpoint(path: Path) -> None:
    """Fold the WAL into the file and empty it, so removed data does not linger there."""
    conn = connect(path, create=False)
    if conn is None:
        return
    try:
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as err:
        raise translate(err, path) from err
    finally:
        conn.close()


def remove(path: Path) -> None:
    """Delete a database file and its WAL companions (used for the throw-away demo book)."""
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def raw_connection(session: "Session") -> sqlite3.Connection:
    """The sqlite3 connection under ``session``, inside the same transaction."""
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver
