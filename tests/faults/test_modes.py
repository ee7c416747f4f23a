"""Under `umask 022`, everything relcli creates is 0600, in folders of 0700.

That is the database and its -wal and -shm, backups, exports, the remind state and the demo
book, in the platform's folders (no RELCLI_HOME) and in a RELCLI_HOME that does not exist yet.
The config file is the user's to write, so it is not here.
"""

import logging
import stat
import subprocess
from pathlib import Path

import pytest

from tests.faults.harness import SCRIPT, TODAY, csv_bytes, ok, run, wait_for

UMASK = 0o022
log = logging.getLogger(__name__)


def _env(user: Path, relcli_home: Path | None) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(user), "RELCLI_TODAY": TODAY, "TZ": "UTC"}
    if relcli_home is not None:
        env["RELCLI_HOME"] = str(relcli_home)
    return env


def _mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def _wal_modes(env: dict[str, str], db: Path, scratch: Path) -> dict[str, str]:
    """The modes of the -wal and -shm an import creates, seen while it holds them open (it
    waits for more of stdin inside its transaction)."""
    err_path = scratch / "import.stderr"
    with err_path.open("wb") as err:
        proc = subprocess.Popen(
            [str(SCRIPT), "import", "csv", "-"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=err,
            preexec_fn=_set_umask,
        )
    assert proc.stdin is not None
    try:
        proc.stdin.write(csv_bytes(["name", "email"], [["Wal Watcher", "wal@example.com"]]))
        proc.stdin.flush()
        wal, shm = db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")
        assert wait_for(lambda: wal.exists() and shm.exists(), timeout=30, step=0.01)
        modes = {"-wal": _mode(wal), "-shm": _mode(shm)}
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 0, err_path.read_text(encoding="utf-8", errors="replace")
    return modes


def _set_umask() -> None:
    import os

    os.umask(UMASK)


@pytest.mark.slow
@pytest.mark.parametrize("where", ["platform-dirs", "relcli-home"])
def test_everything_relcli_creates_is_private_under_umask_022(tmp_path: Path, where: str) -> None:
    user = tmp_path / "user"
    user.mkdir(mode=0o755)
    relcli_home = user / "crm" / "book" if where == "relcli-home" else None
    env = _env(user, relcli_home)
    data = relcli_home or user / ".local" / "share" / "relcli"
    db = data / "relcli.db"
    exports = user / "exports"
    exports.mkdir(mode=0o755)  # the user's own folder: only the file in it is relcli's

    def relcli(*args: str) -> None:
        ok(run(args, env, umask=UMASK))

    relcli("contact", "add", "Ann Lee", "--email", "ann@example.com")
    relcli("follow-up", "add", "ann", "today", "send the deck")
    wal = _wal_modes(env, db, tmp_path)  # and the import's backup of the book before it
    relcli("backup", str(user / "safe" / "deep" / "copy.db"))
    relcli("remind", "--since-last-run")
    expected = {"relcli.db", "copy.db", "remind.json"}
    if where == "platform-dirs":  # the rest does not depend on where the data dir is
        relcli("backup")
        relcli("export", "json", str(exports / "book.json"))
        relcli("export", "csv", str(exports / "book.csv"))
        relcli("demo")
        expected |= {"book.json", "book.csv", "demo.db"}

    created = sorted(p for p in user.rglob("*") if p != exports)
    files = {str(p.relative_to(user)): _mode(p) for p in created if p.is_file()}
    folders = {str(p.relative_to(user)): _mode(p) for p in created if p.is_dir()}
    log.info("%s: files %s; folders %s; while open %s", where, files, folders, wal)
    assert wal == {"-wal": "0o600", "-shm": "0o600"}
    assert {name: mode for name, mode in files.items() if mode != "0o600"} == {}
    assert {name: mode for name, mode in folders.items() if mode != "0o700"} == {}
    # What was looked at: the book, the backups, the exports, the state and the demo book.
    names = {Path(name).name for name in files}
    assert expected <= names
    assert any(n.startswith("relcli-backup-") for n in names)
