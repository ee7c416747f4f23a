"""A full disk: writes fail with exit 74 and one line, change nothing, and work once space is back.

The disk is a 1 MiB tmpfs (skipped where it cannot be mounted), filled with a filler file.
"""

import json
from pathlib import Path

import pytest

from tests.faults.harness import (
    cli,
    counts,
    csv_bytes,
    dump,
    fill,
    integrity,
    ok,
    one_line_error,
    people,
    query,
)


def _book(home: Path, contacts: int = 5) -> None:
    """A book of Ann Lee and ``contacts - 1`` more, without a backup before the import."""
    home.mkdir(mode=0o700, exist_ok=True)
    rows = [["Ann Lee", "ann@example.com"], *people(contacts - 1, prefix="Book")]
    (home / "config.toml").write_text("[backup]\nbefore_import = false\n", encoding="utf-8")
    ok(cli(home, "import", "csv", "-", stdin=csv_bytes(["name", "email"], rows)))


@pytest.mark.slow
def test_a_write_on_a_full_disk_is_exit_74_and_works_again_after_freeing_space(
    tmpfs: Path,
) -> None:
    home = tmpfs / "home"
    _book(home)
    db = home / "relcli.db"
    before = dump(db)
    filler = fill(tmpfs)

    for args in (("contact", "add", "Disk Full"), ("log", "ann", "disk full call")):
        line = one_line_error(cli(home, *args), 74)
        assert "nothing was changed" in line or "cannot read or write" in line, line

    filler.unlink()
    assert dump(db) == before, "a failed write left rows behind"
    ok(cli(home, "contact", "add", "Disk Free"))
    assert query(db, "SELECT count(*) FROM contact WHERE name = 'Disk Free'") == [(1,)]
    assert query(db, "SELECT count(*) FROM contact WHERE name = 'Disk Full'") == [(0,)]
    assert integrity(db) == "ok"


@pytest.mark.slow
@pytest.mark.parametrize("backup_first", [False, True], ids=["import-only", "backup-first"])
def test_an_import_that_fills_the_disk_half_way_changes_nothing(
    tmpfs: Path, tmp_path: Path, backup_first: bool
) -> None:
    home = tmpfs / "home"
    _book(home, 1)
    if backup_first:  # the default: a copy of the book before every import
        (home / "config.toml").unlink()
    db = home / "relcli.db"
    files = sorted(p.name for p in home.iterdir())
    before = counts(db)
    big = tmp_path / "people.csv"
    big.write_bytes(csv_bytes(["name", "email"], people(5000)))
    # Room to start (the backup before the import copies the book), not to finish: relative
    # to the book, so a schema step that adds a table does not eat the margin.
    filler = fill(tmpfs, leave=db.stat().st_size + 96 * 1024)

    line = one_line_error(cli(home, "import", "csv", str(big)), 74)
    assert "the disk is full; nothing was changed" in line

    filler.unlink()
    assert counts(db) == before
    assert integrity(db) == "ok"
    left = sorted(p.name for p in home.iterdir() if not p.name.endswith(("-wal", "-shm")))
    assert [n for n in left if n not in files and not n.endswith("-before-import.db")] == []
    ok(cli(home, "contact", "add", "After The Import"))


def test_the_first_run_on_a_full_disk_leaves_no_file_behind(tmpfs: Path) -> None:
    home = tmpfs / "home"
    home.mkdir(mode=0o700)
    fill(tmpfs)
    one_line_error(cli(home, "contact", "add", "Ann Lee"), 74)
    assert list(home.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("existing", [True, False], ids=["over-an-old-export", "new-file"])
def test_an_export_onto_a_full_disk_leaves_no_partial_file(
    tmpfs: Path, tmp_path: Path, existing: bool
) -> None:
    home = tmp_path / "home"  # the book has room; only the export's disk is full
    ok(cli(home, "import", "csv", str(_people_file(tmp_path, 400))))
    target = tmpfs / "book.json"
    if existing:
        target.write_bytes(b'{"old": true}\n')
    fill(tmpfs, leave=16 * 1024)  # the export (about 200 KB) starts, then hits the wall

    line = one_line_error(cli(home, "export", "json", str(target)), 74)
    assert "No space left on device" in line

    assert sorted(p.name for p in tmpfs.iterdir()) == sorted(
        ["filler", *(["book.json"] if existing else [])]
    ), "a temporary or partial export was left behind"
    if existing:
        assert json.loads(target.read_bytes()) == {"old": True}


def test_a_backup_onto_a_full_disk_leaves_no_partial_file(tmpfs: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    ok(cli(home, "import", "csv", str(_people_file(tmp_path, 400))))
    fill(tmpfs, leave=16 * 1024)
    one_line_error(cli(home, "backup", str(tmpfs / "copy.db")), 74)
    assert [p.name for p in tmpfs.iterdir()] == ["filler"]
    ok(cli(home, "contact", "add", "Still Writable"))


def _people_file(folder: Path, count: int) -> Path:
    path = folder / f"people-{count}.csv"
    path.write_bytes(csv_bytes(["name", "email"], people(count)))
    return path
