"""Read-only media and files that are not a healthy relcli book: refused cleanly, untouched.

Root ignores chmod, so "read-only" is `chattr +i` (immutable: nobody may write, rename or
create), and a tmpfs remounted read-only (EROFS). Damaged, empty, foreign and newer files
must be refused with exit 5 and stay byte-identical, with no -wal, -shm or journal created.
"""

import gc
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from relcli.store import database, migrations
from tests.conftest import Relcli
from tests.faults.harness import (
    cli,
    csv_bytes,
    listing,
    make_immutable,
    ok,
    one_line_error,
    query,
    sha256,
)

WRITES = [("contact", "add", "Never Stored"), ("log", "ann", "never logged")]


@pytest.fixture(scope="module")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed relcli book of 40 contacts with history, in WAL mode, without a -wal file."""
    home = tmp_path_factory.mktemp("real")
    people = tmp_path_factory.mktemp("input") / "people.csv"
    people.write_bytes(
        csv_bytes(["name", "email"], [[f"Real {n} Zyx", f"r{n}@example.com"] for n in range(40)])
    )
    ok(cli(home, "contact", "add", "Ann Lee", "--email", "ann@example.com"))
    ok(cli(home, "import", "csv", str(people)))
    ok(cli(home, "log", "ann", "a call"))
    db = home / "relcli.db"
    assert not db.with_name("relcli.db-wal").exists()
    return db


def _book_in(home: Path, real_db: Path) -> Path:
    home.mkdir(mode=0o700, exist_ok=True)
    db = home / "relcli.db"
    shutil.copy2(real_db, db)
    return db


# --- read-only --------------------------------------------------------------------------


@pytest.mark.parametrize("args", WRITES, ids=lambda a: a[0])
def test_an_immutable_book_in_an_immutable_folder_refuses_writes_cleanly(
    tmp_path: Path, real_db: Path, immutable: list[Path], args: tuple[str, ...]
) -> None:
    home = tmp_path / "home"
    db = _book_in(home, real_db)
    db.chmod(0o444)
    home.chmod(0o555)
    make_immutable(immutable, db, home)
    files = listing(home)

    one_line_error(cli(home, *args), 74, 5)

    assert listing(home) == files


@pytest.mark.parametrize("args", WRITES, ids=lambda a: a[0])
def test_an_immutable_book_refuses_writes_cleanly(
    tmp_path: Path, real_db: Path, immutable: list[Path], args: tuple[str, ...]
) -> None:
    home = tmp_path / "home"
    db = _book_in(home, real_db)
    make_immutable(immutable, db)
    digest = sha256(db)

    line = one_line_error(cli(home, *args), 74, 5)

    assert "read-only" in line
    assert sha256(db) == digest


@pytest.mark.parametrize("args", [("today", "--format", "plain"), ("remind",)])
def test_reading_an_immutable_folder_works_or_fails_in_one_line(
    tmp_path: Path, real_db: Path, immutable: list[Path], args: tuple[str, ...]
) -> None:
    """SQLite needs a -shm beside a WAL book even to read it; where it cannot create one the
    read may fail, but only with one line and exit 74, and nothing changes."""
    home = tmp_path / "home"
    db = _book_in(home, real_db)
    make_immutable(immutable, db, home)
    files = listing(home)
    result = cli(home, *args)
    if result.code != 0:
        one_line_error(result, 74)
    assert listing(home) == files


def test_a_read_only_file_system_refuses_writes_cleanly(tmpfs: Path, real_db: Path) -> None:
    home = tmpfs / "home"
    db = _book_in(home, real_db)
    remount = subprocess.run(
        ["mount", "-o", "remount,ro", str(tmpfs)], capture_output=True, text=True, check=False
    )
    if remount.returncode != 0:
        pytest.skip(f"cannot remount the tmpfs read-only: {remount.stderr.strip()}")
    files = listing(home)
    for args in WRITES:
        one_line_error(cli(home, *args), 74, 5)
    assert listing(home) == files
    assert db.exists()


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- files that are not a healthy relcli book ----------------------------------------------


def _truncated(size: Callable[[int], int]) -> Callable[[Path, Path], None]:
    def make(db: Path, real: Path) -> None:
        data = real.read_bytes()
        db.write_bytes(data[: size(len(data))])

    return make


def _garbage(db: Path, _real: Path) -> None:
    import random

    db.write_bytes(random.Random(5).randbytes(64 * 1024))


def _zero(db: Path, _real: Path) -> None:
    db.write_bytes(b"")


def _zeros(db: Path, _real: Path) -> None:
    db.write_bytes(b"\0" * 8192)


def _newer(db: Path, real: Path) -> None:
    shutil.copy2(real, db)
    conn = sqlite3.connect(db)
    try:
        conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    finally:
        conn.close()


def _foreign(journal: str) -> Callable[[Path, Path], None]:
    def make(db: Path, _real: Path) -> None:
        conn = sqlite3.connect(db)
        try:
            conn.execute(f"PRAGMA journal_mode = {journal}")
            conn.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT)")
            conn.execute("INSERT INTO contact (name) VALUES ('not yours')")
            conn.commit()
        finally:
            conn.close()

    return make


def _foreign_id(db: Path, real: Path) -> None:
    shutil.copy2(real, db)
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA application_id = 1")
    finally:
        conn.close()


DAMAGED = {
    "truncated-to-4096-bytes": _truncated(lambda _: 4096),
    "truncated-to-half": _truncated(lambda n: n // 2),
    "last-page-missing": _truncated(lambda n: n - 4096),
    "header-only": _truncated(lambda _: 100),
    "garbage-bytes": _garbage,
    "zero-bytes": _zero,
    "all-zeros": _zeros,
    "newer-schema": _newer,
    "foreign-sqlite-wal": _foreign("wal"),
    "foreign-sqlite-rollback": _foreign("delete"),
    "another-application-id": _foreign_id,
}


@pytest.mark.parametrize("kind", list(DAMAGED))
def test_a_damaged_foreign_or_newer_file_is_refused_byte_identical(
    isolated: Path, tmp_path: Path, real_db: Path, relcli: Relcli, kind: str
) -> None:
    home = isolated  # the in-process runs below use it too (RELCLI_HOME)
    home.mkdir(mode=0o700)
    db = home / "relcli.db"
    DAMAGED[kind](db, real_db)
    for companion in ("-wal", "-shm", "-journal"):
        db.with_name(db.name + companion).unlink(missing_ok=True)
    digest, files = sha256(db), _names(home)
    people = tmp_path / "in.csv"
    people.write_bytes(csv_bytes(["name", "email"], [["New Person", "new@example.com"]]))

    # The installed script once (its read door starts fastest), then every door through
    # main() in this process: a write through SQLAlchemy costs a start-up of 0.4 s.
    one_line_error(cli(home, "today", "--format", "plain"), 5)
    assert sha256(db) == digest
    assert _names(home) == files
    for args in (
        ("contact", "add", "Never Stored"),
        ("log", "ann", "never logged"),
        ("why", "ann"),
        ("remind",),
        ("import", "csv", str(people)),
        ("export", "json", str(tmp_path / "out.json")),
        ("backup", str(tmp_path / "copy.db")),
        ("restore", "--yes", str(real_db)),
    ):
        run = relcli(*args)
        assert run.code == 5, (args, run.err)
        assert "Traceback" not in run.err
        assert len(run.err.strip().splitlines()) == 1, run.err
        assert sha256(db) == digest, f"{args[0]} changed the file"
        gc.collect()  # a connection leaked by a refusal: see the test below
        assert _names(home) == files, f"{args[0]} created {_names(home)}"
    assert not (tmp_path / "out.json").exists()
    assert not (tmp_path / "copy.db").exists()


def test_the_refusal_reads_only_the_header(tmp_path: Path, real_db: Path) -> None:
    """A foreign file is refused before SQLite opens it: even a database SQLite would have
    to recover (a hot rollback journal beside it) is left as it is, journal and all."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    db = home / "relcli.db"
    _foreign("delete")(db, real_db)
    journal = db.with_name("relcli.db-journal")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\0" * 504)
    before = listing(home)
    one_line_error(cli(home, "contact", "add", "Never Stored"), 5)
    assert listing(home) == before
    assert database.check_header(real_db)
    assert query(real_db, "SELECT count(*) FROM contact")[0][0] == 41


@pytest.mark.parametrize("args", [("today", "--format", "plain"), ("contact", "add", "X")])
def test_a_refused_file_leaves_no_connection_and_no_wal_behind(
    isolated: Path, real_db: Path, relcli: Relcli, args: tuple[str, ...]
) -> None:
    isolated.mkdir(mode=0o700)
    db = isolated / "relcli.db"
    _truncated(lambda _: 4096)(db, real_db)
    gc.collect()
    gc.disable()
    try:
        assert relcli(*args).code == 5
        left = _names(isolated)
    finally:
        gc.enable()
        gc.collect()
    assert left == ["relcli.db"]
