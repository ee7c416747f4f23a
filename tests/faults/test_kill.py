"""kill -9 during a large import: the book stays intact and the import is all or nothing."""

import logging
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.faults.harness import (
    SCRIPT,
    cli,
    counts,
    cron_env,
    csv_bytes,
    integrity,
    ok,
    people,
    query,
    wait_for,
)

log = logging.getLogger(__name__)

ROWS = 20_000
ROUNDS = 5
SEED = 20261201


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, int], float]:
    """A seeded book (one contact, closed, no WAL), a 20k-row CSV, the book after a complete
    import of it, and how long that import took."""
    root = tmp_path_factory.mktemp("kill")
    seed_home = root / "seed"
    ok(cli(seed_home, "contact", "add", "Seed Person", "--email", "seed@example.com"))
    seed_db = seed_home / "relcli.db"
    assert not seed_db.with_name("relcli.db-wal").exists()
    big = root / "people.csv"
    big.write_bytes(csv_bytes(["name", "email"], people(ROWS)))
    full_home = root / "full"
    full_home.mkdir(mode=0o700)
    shutil.copy2(seed_db, full_home / "relcli.db")
    started = time.monotonic()
    ok(cli(full_home, "import", "csv", str(big)))
    typical = time.monotonic() - started
    full = counts(full_home / "relcli.db")
    assert full["contact"] == 1 + ROWS
    return seed_db, big, full, typical


def _killed_import(home: Path, big: Path, *, delay: float | None) -> tuple[int, float]:
    """Start the import and SIGKILL it after ``delay`` s, or (None) once its WAL has grown
    past 64 KiB, i.e. in the middle of writing. Returns its exit status and the kill time."""
    wal = home / "relcli.db-wal"
    proc = subprocess.Popen(
        [str(SCRIPT), "import", "csv", str(big)],
        env=cron_env(home),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.monotonic()
    try:
        if delay is None:
            wait_for(lambda: wal.exists() and wal.stat().st_size > 64 * 1024, timeout=30)
        else:
            time.sleep(delay)
        at = time.monotonic() - started
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
    finally:
        code = proc.wait(timeout=30)
    return code, at


@pytest.mark.slow
def test_kill_9_at_random_points_of_a_large_import_is_all_or_nothing(
    world: tuple[Path, Path, dict[str, int], float], tmp_path: Path
) -> None:
    seed_db, big, full, typical = world
    before = counts(seed_db)
    rng = random.Random(SEED)
    # Stratified over the import's typical duration, so every part of it gets a kill; the
    # last round waits until the import is writing its WAL, so one kill surely lands mid-write.
    delays: list[float | None] = [typical * (k + rng.random()) / ROUNDS for k in range(ROUNDS)]
    delays.append(None)
    outcomes = []
    for n, delay in enumerate(delays):
        home = tmp_path / f"round{n}"
        home.mkdir(mode=0o700)
        db = home / "relcli.db"
        shutil.copy2(seed_db, db)
        code, at = _killed_import(home, big, delay=delay)
        wal = home / "relcli.db-wal"
        wal_left = wal.stat().st_size if wal.exists() else 0

        assert integrity(db) == "ok"
        found = counts(db)
        assert found in (before, full), f"round {n}: a partial import: {found}"
        landed = "all" if found == full else "nothing"
        if code == 0:
            assert landed == "all"
        others = sorted(p.name for p in home.iterdir() if not p.name.startswith("relcli.db"))
        outcomes.append(
            f"round {n}: kill at {at:.2f}s ({'killed' if code < 0 else 'finished'}, "
            f"WAL left {wal_left} bytes, other files {others}) -> {landed}"
        )

        after = cli(home, "contact", "add", f"After Kill {n}")
        ok(after)
        assert query(db, "SELECT count(*) FROM contact WHERE name = ?", (f"After Kill {n}",)) == [
            (1,)
        ]
        assert integrity(db) == "ok"
        assert not list(home.glob(".relcli.db.*")), "a temporary file was left behind"
        for backup in home.glob("relcli-backup-*.db"):  # the copy taken before the import
            assert integrity(backup) == "ok"
    log.info("import of %d rows takes %.2fs; %s", ROWS, typical, "; ".join(outcomes))
    # Fixed seed: the kills are the same every run, and at least one hit a running import.
    assert any("killed" in line for line in outcomes)
