"""Consistent copies of the database, taken and restored with SQLite's online backup API."""

import os
import sqlite3
from pathlib import Path

from relcli.errors import NotFoundError, StorageError, StorageRefusedError
from relcli.store import database, migrations

PREFIX = "relcli-backup-"


def _private_copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy ``source`` into a new file at ``target`` (0600), via a temporary name."""
    database.make_private_dir(target.parent)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        copy = sqlite3.connect(tmp)
        try:
            source.backup(copy)
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise StorageError(f"the copy in {str(target)!r} failed its integrity check")
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            copy.close()
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def backup(db: Path, target: Path) -> int:
    """Copy the live database to ``target`` while others may use it; returns the contacts."""
    conn = database.connect(db, create=False)
    if conn is None:
        raise NotFoundError(f"there is no database at {str(db)!r} to back up")
    try:
        _private_copy(conn, target)
        return int(conn.execute("SELECT count(*) FROM contact").fetchone()[0])
    except sqlite3.Error as err:
        raise database.translate(err, db) from err
    finally:
        conn.close()


BEFORE_IMPORT = "-before-import.db"
KEEP_BEFORE_IMPORT = 3


def prune(folder: Path, keep: int, suffix: str = ".db") -> list[Path]:
    """Remove all but the newest ``keep`` backups relcli named itself; returns those removed."""
    found = sorted(folder.glob(f"{PREFIX}*{suffix}"))
    doomed = found[: max(0, len(found) - keep)]
    for path in doomed:
        path.unlink()
    return doomed


def check(path: Path) -> int:
    """Refuse anything but an intact relcli database of a schema this relcli can open."""
    if not database.check_header(path):
        raise NotFoundError(f"no backup at {str(path)!r}")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        version = migrations.version(conn)
        if version > migrations.SCHEMA_VERSION:
            raise StorageRefusedError(
                f"{str(path)!r} was written by a newer relcli (schema {version}); nothing was restored"
            )
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise StorageRefusedError(f"{str(path)!r} is damaged; nothing was restored")
        return int(conn.execute("SELECT count(*) FROM contact").fetchone()[0])
    except sqlite3.Error as err:
        raise StorageRefusedError(
            f"{str(path)!r} cannot be read ({err}); nothing was restored"
        ) from err
    finally:
        conn.close()


def restore(path: Path, db: Path, keep_as: Path) -> int:
    """Replace the live database's content with the backup's, keeping the old as ``keep_as``.

    The backup API writes into the live database inside one transaction, so other relcli
    processes see the old book or the new one, never a mix.
    """
    contacts = check(path)
    live = database.connect(db, create=True)
    assert live is not None
    try:
        _private_copy(live, keep_as)
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(live)
        finally:
            source.close()
        migrations.apply(live)  # a backup from an older relcli is brought up to date
    except sqlite3.Error as err:
        raise database.translate(err, db) from err
    finally:
        live.close()
    return contacts
