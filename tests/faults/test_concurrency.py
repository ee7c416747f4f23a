"""Two interactive writers, a cron writer and a reader at once: no write lost or doubled.

Each role is a small driver that imports relcli once and then forks one child per command,
which runs ``relcli.cli.main`` and exits with its code: one fresh process per command, as the
installed script gives, without paying the interpreter's start-up 200 times. The cron writer
and the reader run with a crontab line's environment; all start together after a barrier.
"""

import gc
import json
import logging
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Relcli
from tests.conftest import ok as ok_in_process
from tests.faults.harness import cli, cron_env, ok, query

log = logging.getLogger(__name__)

WRITES_PER_WRITER = 36
READS_AT_MOST = 400

DRIVER = r"""
import json, os, sys, time, traceback
from pathlib import Path

role, count, folder = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
from relcli.cli import main  # imported before the barrier: start-up is not part of the race
import relcli.cli.app, sqlalchemy, sqlmodel  # what the forked commands would import lazily
from relcli.services import follow_ups, interactions, contacts, ranking, remind
from relcli.store import database, reader, records

def commands(i):
    tag = f"{role}-{i:03d}"
    if role == "reader":
        return tag, "read", (["today", "--format", "plain"] if i % 2 else ["remind"])
    if role == "cron":
        if i % 3 == 0:
            return tag, "follow-up", ["follow-up", "add", "#2", "tomorrow", f"{tag} renewal"]
        return tag, "log", ["log", "#2", f"{tag} cron note", "--channel", "note"]
    if i % 2:
        return tag, "contact", ["contact", "add", f"{tag} Quill", "--email", f"{tag}@example.com"]
    return tag, "log", ["log", "#1", f"{tag} called about the deck"]

(folder / f"ready-{role}").touch()
deadline = time.monotonic() + 60
while not (folder / "go").exists() and time.monotonic() < deadline:
    time.sleep(0.001)
results = []
for i in range(count):
    if role == "reader" and (folder / "stop").exists():
        break
    tag, kind, args = commands(i)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # one process per command, like the installed script
        try:
            code = main(args)
        except BaseException:
            traceback.print_exc()
            code = 70
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    results.append({"tag": tag, "kind": kind, "code": os.waitstatus_to_exitcode(status),
                    "start": started, "end": time.monotonic()})
(folder / f"{role}.json").write_text(json.dumps(results), encoding="utf-8")
"""

ROLES = {"alice": WRITES_PER_WRITER, "bob": WRITES_PER_WRITER, "cron": WRITES_PER_WRITER}


def _start(role: str, count: int, folder: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    err = (folder / f"{role}.stderr").open("wb")
    try:
        return subprocess.Popen(
            [sys.executable, "-c", DRIVER, role, str(count), str(folder)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    finally:
        err.close()


@pytest.mark.slow
def test_concurrent_writers_and_a_reader_lose_and_double_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ok(cli(home, "contact", "add", "Ann Lee", "--email", "ann@example.com"))
    ok(cli(home, "contact", "add", "Cron Target", "--email", "cron@example.com"))
    folder = tmp_path / "run"
    folder.mkdir()
    interactive = cron_env(home, TERM="xterm-256color", LANG="C.UTF-8")
    procs = {
        "alice": _start("alice", ROLES["alice"], folder, interactive),
        "bob": _start("bob", ROLES["bob"], folder, interactive),
        "cron": _start("cron", ROLES["cron"], folder, cron_env(home)),
        "reader": _start("reader", READS_AT_MOST, folder, cron_env(home)),
    }
    try:
        ready = [folder / f"ready-{role}" for role in procs]
        deadline = time.monotonic() + 60
        while not all(r.exists() for r in ready) and time.monotonic() < deadline:
            time.sleep(0.005)
        (folder / "go").touch()
        for role in ROLES:
            procs[role].wait(timeout=120)
        (folder / "stop").touch()
        procs["reader"].wait(timeout=60)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    results: dict[str, list[dict[str, Any]]] = {}
    for role, proc in procs.items():
        stderr = (folder / f"{role}.stderr").read_text(encoding="utf-8", errors="replace")
        assert proc.returncode == 0, f"{role} driver failed:\n{stderr}"
        assert "Traceback" not in stderr, stderr
        results[role] = json.loads((folder / f"{role}.json").read_text(encoding="utf-8"))

    reads = results["reader"]
    assert reads, "the reader never ran"
    assert [r for r in reads if r["code"] != 0] == [], "a read failed while others wrote"

    db = home / "relcli.db"
    writes = [r for role in ROLES for r in results[role]]
    succeeded = [w for w in writes if w["code"] == 0]
    busy = [w for w in writes if w["code"] == 75]
    other = [w for w in writes if w["code"] not in (0, 75)]
    assert other == [], f"writes failed otherwise than 'busy': {other[:3]}"
    for write in writes:
        tag, kind = write["tag"], write["kind"]
        if kind == "contact":
            found = query(db, "SELECT count(*) FROM contact WHERE name = ?", (f"{tag} Quill",))
        elif kind == "follow-up":
            found = query(db, "SELECT count(*) FROM follow_up WHERE reason LIKE ?", (f"{tag} %",))
        else:
            found = query(
                db, "SELECT count(*) FROM interaction WHERE summary LIKE ?", (f"{tag} %",)
            )
        expected = 1 if write["code"] == 0 else 0
        assert found == [(expected,)], f"{tag} ({kind}, exit {write['code']}) is there {found}"
    assert len(succeeded) >= 100

    # They really ran at the same time: the writers' busy spans overlap.
    spans = {role: (rs[0]["start"], rs[-1]["end"]) for role, rs in results.items() if rs}
    overlap = min(e for _, e in spans.values()) - max(s for s, _ in spans.values())
    slowest = max(w["end"] - w["start"] for w in writes)
    log.info(
        "%d writes attempted, %d succeeded and found exactly once, %d busy (exit 75), "
        "%d reads all exit 0; all four processes overlapped for %.2fs; slowest write %.3fs",
        len(writes),
        len(succeeded),
        len(busy),
        len(reads),
        overlap,
        slowest,
    )
    assert overlap > 0


OTHER_READER = (
    "import sqlite3, sys\n"
    "conn = sqlite3.connect(sys.argv[1])\n"
    "conn.execute('SELECT count(*) FROM contact').fetchone()\n"
    "conn.close()\n"
)


def test_checking_the_header_keeps_the_locks_of_an_open_connection(tmp_path: Path) -> None:
    from relcli.store import database

    home = tmp_path / "home"
    ok(cli(home, "contact", "add", "Ann Lee"))
    db, wal = home / "relcli.db", home / "relcli.db-wal"
    conn = database.connect(db, create=False)
    assert conn is not None
    try:
        conn.execute("SELECT count(*) FROM contact").fetchone()
        assert wal.exists()
        database.check_header(db)  # what every connect() does first, e.g. the next command
        subprocess.run([sys.executable, "-c", OTHER_READER, str(db)], check=True, timeout=30)
        # Another process closing its connection must see ours and leave the WAL alone.
        assert wal.exists(), "another process deleted the WAL under an open connection"
    finally:
        conn.close()


def _open_files(name: str) -> list[str]:
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = str(fd.readlink())
        except OSError:
            continue
        if Path(target).name.startswith(name):
            found.append(target)
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd (Linux)")
@pytest.mark.parametrize(
    "args",
    [
        ("today", "--format", "plain"),
        ("why", "ann"),
        ("remind",),
        ("contact", "show", "ann"),
        ("export", "json", "-"),
    ],
)
def test_a_read_command_closes_the_database_when_it_is_done(
    relcli: Relcli, args: tuple[str, ...]
) -> None:
    """In one process that runs several commands (the test suite, a calling session), a
    connection left open after its command meets the lock loss above."""
    ok_in_process(relcli("contact", "add", "Ann Lee", "--email", "ann@example.com"))
    gc.collect()
    gc.disable()  # a connection kept alive by a cycle must not be rescued by the collector
    try:
        ok_in_process(relcli(*args))
        left = _open_files("relcli.db")
    finally:
        gc.enable()
        gc.collect()
    assert left == []
