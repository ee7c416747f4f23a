"""The hot read paths stay light: no ORM, no keyring, and their SQL fits the real schema."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Relcli

PROBE = """
import json, sys
from relcli.cli import main
code = main(sys.argv[1:])
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'keyring', 'pydantic'})
sys.stderr.write('\\nMODULES ' + json.dumps(heavy) + '\\n')
sys.exit(code)
"""


@pytest.fixture
def book(relcli: Relcli) -> None:
    assert (
        relcli("contact", "add", "Ann Lee", "--email", "ann@example.com", "--cadence", "7d").code
        == 0
    )
    assert relcli("log", "ann", "--on", "2026-11-01", "--channel", "email", "--in").code == 0
    assert relcli("signal", "add", "ann", "funding", "Series A").code == 0
    assert relcli("follow-up", "add", "ann", "today", "send the deck").code == 0


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    "args",
    [
        ("today", "--format", "plain"),
        ("today", "--format", "table"),
        ("today", "--format", "json", "--explain"),
        ("why", "ann"),
        ("why", "ann", "--format", "json"),
        ("contact", "show", "ann"),
        ("contact", "list"),
        ("remind",),
        ("remind", "--format", "json", "--since-last-run"),
    ],
)
def test_read_commands_never_import_the_orm_or_keyring(args: tuple[str, ...]) -> None:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    loaded = json.loads(run.stderr.rsplit("MODULES ", 1)[1])
    assert loaded == []


def test_reader_queries_run_against_a_freshly_migrated_database(tmp_path: Path) -> None:
    """Every query of the sqlite3 door, on an empty current schema (no rows, no errors)."""
    from datetime import date

    from relcli.domain.ranking import RankConfig
    from relcli.store import database, reader

    conn = database.connect(tmp_path / "fresh.db")
    assert conn is not None
    config = RankConfig.from_overrides({})
    assert reader.candidates(conn, date(2026, 12, 1), config, {"customer": 30}, {"vip": 14}) == []
    assert reader.candidates(conn, date(2026, 12, 1), config, {}, {}, contact_ids=[1]) == []
    assert reader.find(conn, "ann") == []
    assert reader.find(conn, "#3") == []
    assert reader.find(conn, "ann@example.com") == []
    assert reader.name_prefixes(conn, "a") == []
    assert reader.contact_rows(conn) == []
    assert reader.strength_detail(conn, 1, date(2026, 12, 1)) == ""
    assert reader.stats_fingerprint(conn) is None
    assert reader.count_contacts(conn) == 0


@pytest.mark.usefixtures("book")
def test_completing_a_contact_name_reads_the_book_without_the_orm(isolated: Path) -> None:
    import os

    env = {**os.environ, "_RELCLI_COMPLETE": "complete_bash", "COMP_WORDS": "relcli why An",
           "COMP_CWORD": "2", "RELCLI_HOME": str(isolated)}  # fmt: skip
    run = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         env=env, check=False)  # fmt: skip
    assert run.stdout.split("\n")[0] == "Ann Lee", run.stderr
    assert json.loads(run.stderr.rsplit("MODULES ", 1)[1]) == []
