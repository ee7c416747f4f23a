"""relcli demo and relcli doctor, and the privacy of the files relcli creates."""

import itertools
import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from relcli.store import migrations
from tests.conftest import Relcli, ok


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- demo --------------------------------------------------------------------------------------


def test_demo_builds_a_separate_book_ranks_it_and_why_explains_it(
    relcli: Relcli, isolated: Path
) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    own = isolated / "relcli.db"
    own_before = (own.read_bytes(), own.stat().st_mtime_ns)

    demo = ok(relcli("demo"))
    rows = [line.split("\t") for line in demo.out.splitlines()]
    assert len(rows) >= 3
    assert [r[0] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    assert "Bob Okafor" in [r[1] for r in rows]
    assert all(float(a[3]) >= float(b[3]) for a, b in itertools.pairwise(rows))
    target = isolated / "demo.db"
    assert target.exists()
    assert str(target) in demo.err
    assert "untouched" in demo.err
    assert (own.read_bytes(), own.stat().st_mtime_ns) == own_before

    why = ok(relcli("--db", str(target), "why", "Bob Okafor"))
    assert why.out.startswith("Bob Okafor (prospect), Northwind Labs")
    assert "Reasons" in why.out
    assert "funding" in why.out
    explained = json.loads(ok(relcli("--db", str(target), "why", "okafor", "-f", "json")).out)
    assert explained["name"] == "Bob Okafor"
    listed = next(r for r in rows if r[1] == "Bob Okafor")
    assert explained["rank"] == int(listed[0])
    assert f"{explained['score']:.2f}" == listed[3]


def test_demo_does_not_create_the_users_own_book(relcli: Relcli, isolated: Path) -> None:
    demo = ok(relcli("demo", "--format", "json"))
    assert json.loads(demo.out)[0]["rank"] == 1
    assert (isolated / "demo.db").exists()
    assert not (isolated / "relcli.db").exists()


# --- doctor ------------------------------------------------------------------------------------


def test_doctor_before_any_book_exists(relcli: Relcli, isolated: Path) -> None:
    doctor = ok(relcli("doctor"))
    out = doctor.out
    assert f"database         {isolated / 'relcli.db'}" in out
    assert f"config           {isolated / 'config.toml'} (not created; defaults)" in out
    assert "not created yet" in out
    assert "MemoryKeyring" in out
    assert not (isolated / "relcli.db").exists()


def test_doctor_reports_paths_schema_and_keyring(relcli: Relcli, isolated: Path) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    (isolated / "config.toml").write_text("[rank]\n", encoding="utf-8")
    doctor = ok(relcli("doctor"))
    lines = doctor.out.splitlines()
    assert f"database         {isolated / 'relcli.db'}" in lines
    assert f"config           {isolated / 'config.toml'}" in lines
    assert f"schema version   {migrations.SCHEMA_VERSION}" in lines
    assert "mode relcli.db   0o600" in lines
    assert "integrity        ok" in lines
    assert "contacts         1" in lines
    assert any(line.startswith("keyring") and "MemoryKeyring" in line for line in lines)
    assert "PROBLEM" not in doctor.out


def test_doctor_as_json(relcli: Relcli, isolated: Path) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    report = json.loads(ok(relcli("doctor", "--format", "json")).out)
    assert all(set(row) == {"check", "value", "problem"} for row in report)
    checks = {row["check"]: row["value"] for row in report}
    assert checks["database"] == str(isolated / "relcli.db")
    assert checks["config"].startswith(str(isolated / "config.toml"))
    assert checks["schema version"] == migrations.SCHEMA_VERSION
    assert "MemoryKeyring" in checks["keyring"]
    assert all(row["problem"] is None for row in report)


def test_doctor_finds_drifted_stats_and_rebuild_stats_repairs_them(
    relcli: Relcli, db_path: Path
) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    ok(relcli("log", "ann", "intro", "--on", "2026-11-20"))
    conn = sqlite3.connect(db_path)  # simulate aggregates that went stale
    with conn:
        conn.execute("UPDATE contact_stats SET last_contact_on = NULL")
    conn.close()

    sick = relcli("doctor")
    assert sick.code == 1
    assert (
        "ranking stats    1 contacts differ   PROBLEM: run 'relcli doctor --rebuild-stats'"
        in sick.out
    )

    rebuilt = ok(relcli("doctor", "--rebuild-stats"))
    assert "rebuilt the ranking aggregates of 1 contacts" in rebuilt.err
    assert "ranking stats    match a recomputation" in rebuilt.out
    assert "PROBLEM" not in rebuilt.out
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT last_contact_on FROM contact_stats").fetchall() == [
            ("2026-11-20",)
        ]
    finally:
        conn.close()


# --- private files -----------------------------------------------------------------------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.usefixtures("umask_022")
def test_the_database_and_its_folder_are_private_even_under_umask_022(
    relcli: Relcli, isolated: Path
) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    assert mode(isolated) == 0o700
    assert mode(isolated / "relcli.db") == 0o600
    for companion in isolated.glob("relcli.db*"):
        assert mode(companion) == 0o600, companion


@pytest.mark.usefixtures("umask_022")
def test_a_db_in_new_folders_is_private_too(relcli: Relcli, tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "book.db"
    ok(relcli("--db", str(target), "contact", "add", "Ann Lee"))
    assert mode(target) == 0o600
    assert mode(target.parent) == 0o700
    assert mode(target.parent.parent) == 0o700


@pytest.mark.usefixtures("umask_022")
def test_the_demo_book_is_private(relcli: Relcli, isolated: Path) -> None:
    ok(relcli("demo"))
    assert mode(isolated) == 0o700
    assert mode(isolated / "demo.db") == 0o600


def test_doctor_flags_a_database_others_can_read(relcli: Relcli, db_path: Path) -> None:
    assert relcli("contact", "add", "Ann Lee").code == 0
    db_path.chmod(0o644)
    run = relcli("doctor")
    assert run.code == 1
    assert "readable by others: chmod 600" in run.out
