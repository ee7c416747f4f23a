"""relcli backup, relcli restore and relcli contact forget."""

import sqlite3
import stat
from pathlib import Path

from tests.conftest import Relcli, dump, ok

Book = list[str]


def names(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM contact ORDER BY id")]
    finally:
        conn.close()


def test_backup_is_a_private_intact_copy_taken_while_a_writer_is_busy(
    relcli: Relcli, db_path: Path, tmp_path: Path
) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO contact (name, name_key, created_at, updated_at) "
        "VALUES ('Uncommitted', 'uncommitted', '2026-12-01T12:00:00+00:00', '2026-12-01T12:00:00+00:00')"
    )
    try:
        run = ok(relcli("backup", str(tmp_path / "copy.db")))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert run.err == f"backed up 1 contact to {tmp_path / 'copy.db'}\n"
    copy = tmp_path / "copy.db"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert names(copy) == ["Ann Lee"]  # what was committed when the backup began
    assert sqlite3.connect(copy).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_names_itself_and_keep_prunes_the_oldest(relcli: Relcli, isolated: Path) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    for day in ("2026-11-01", "2026-11-02", "2026-11-03"):
        ok(relcli("--today", day, "backup", "--keep", "2"))
    kept = sorted(p.name for p in isolated.glob("relcli-backup-*.db"))
    assert kept == ["relcli-backup-20261102-120000Z.db", "relcli-backup-20261103-120000Z.db"]


def test_backup_refuses_to_overwrite(relcli: Relcli, tmp_path: Path) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    (tmp_path / "there.db").write_text("mine")
    run = relcli("backup", str(tmp_path / "there.db"))
    assert run.code == 1
    assert (tmp_path / "there.db").read_text() == "mine"


def test_restore_puts_the_backup_back_and_keeps_the_book_it_replaced(
    relcli: Relcli, db_path: Path, isolated: Path, tmp_path: Path
) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    ok(relcli("backup", str(tmp_path / "monday.db")))
    ok(relcli("contact", "add", "Bo Chen"))
    run = ok(relcli("restore", str(tmp_path / "monday.db"), "--yes"))
    assert "restored 1 contact from" in run.err
    assert names(db_path) == ["Ann Lee"]
    before = list(isolated.glob("relcli-backup-*-before-restore.db"))
    assert len(before) == 1
    assert names(before[0]) == ["Ann Lee", "Bo Chen"]
    assert ok(relcli("today", "--format", "json"))


def test_restore_refuses_a_damaged_or_foreign_file_and_changes_nothing(
    relcli: Relcli, db_path: Path, tmp_path: Path
) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    before = dump(db_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 20)
    run = relcli("restore", str(junk), "--yes")
    assert run.code == 5
    assert len(run.err.splitlines()) == 1
    assert dump(db_path) == before


def test_restore_off_a_terminal_needs_yes(relcli: Relcli, db_path: Path, tmp_path: Path) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    ok(relcli("backup", str(tmp_path / "b.db")))
    ok(relcli("contact", "add", "Bo Chen"))
    run = relcli("restore", str(tmp_path / "b.db"))
    assert run.code == 1
    assert names(db_path) == ["Ann Lee", "Bo Chen"]


def test_forget_erases_the_person_from_the_file_and_the_wal(relcli: Relcli, db_path: Path) -> None:
    secret = "Zebulon Quixotefield"
    ok(
        relcli(
            "contact",
            "add",
            secret,
            "--email",
            "zebulon@private.example",
            "--note",
            "lives at 12 Elm",
        )
    )
    ok(relcli("log", "zebulon", "talked about his divorce"))
    ok(relcli("follow-up", "add", "zebulon", "fri", "ask about the kids"))
    ok(relcli("signal", "add", "zebulon", "job-change", "left Initech"))
    ok(relcli("contact", "add", "Ann Lee"))
    run = ok(relcli("contact", "forget", "zebulon", "--yes"))
    assert "erased Zebulon Quixotefield" in run.err
    assert names(db_path) == ["Ann Lee"]
    for leftover in (db_path, db_path.with_name(db_path.name + "-wal")):
        if leftover.exists():
            data = leftover.read_bytes()
            for needle in (
                b"Quixotefield",
                b"zebulon@private",
                b"divorce",
                b"the kids",
                b"Initech",
            ):
                assert needle not in data, (leftover.name, needle)


def test_forget_off_a_terminal_needs_yes(relcli: Relcli, db_path: Path) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    run = relcli("contact", "forget", "ann")
    assert run.code == 1
    assert names(db_path) == ["Ann Lee"]


def test_an_import_first_keeps_a_copy_of_the_book(relcli: Relcli, isolated: Path) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    people = isolated / "people.csv"
    people.write_text("name,email\nBo Chen,bo@example.com\n", encoding="utf-8")
    ok(relcli("import", "csv", str(people), "--dry-run"))
    assert list(isolated.glob("relcli-backup-*")) == []  # a dry run changes nothing to keep
    ok(relcli("import", "csv", str(people)))
    (copy,) = isolated.glob("relcli-backup-*-before-import.db")
    assert names(copy) == ["Ann Lee"]
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    for day in ("2026-12-02", "2026-12-03", "2026-12-04"):
        ok(relcli("--today", day, "import", "csv", str(people)))
    assert len(list(isolated.glob("relcli-backup-*-before-import.db"))) == 3  # the newest three


def test_the_backup_before_import_can_be_turned_off(relcli: Relcli, isolated: Path) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    (isolated / "config.toml").write_text("[backup]\nbefore_import = false\n", encoding="utf-8")
    people = isolated / "people.csv"
    people.write_text("name\nBo Chen\n", encoding="utf-8")
    ok(relcli("import", "csv", str(people)))
    assert list(isolated.glob("relcli-backup-*")) == []
