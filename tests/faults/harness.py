"""Helpers for the fault-injection suite: the installed script in a stripped environment.

Every run here is a real process (``relcli`` next to ``sys.executable``, as in CI) with an
environment like a crontab line's: PATH, HOME, TZ and relcli's variables, nothing else.
"""

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("relcli")
TODAY = "2026-12-01"

# C0 controls but TAB and LF, DEL, and the C1 controls: never stored, whatever a file holds.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Fields that are one line: a TAB or LF there would break `--format plain` and `cut`.
LINE_BREAKS = re.compile(r"[\t\n\r]")
MULTI_LINE_COLUMNS = {"notes", "summary", "reason", "note"}


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def cron_env(home: Path, **extra: str) -> dict[str, str]:
    """What a crontab line sees: no terminal, no desktop session, no RELCLI_* from outside."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home / "user"),
        "RELCLI_HOME": str(home),
        "RELCLI_TODAY": TODAY,
        "TZ": "UTC",
    }
    env.update(extra)
    return env


def run(
    args: Sequence[str],
    env: Mapping[str, str],
    *,
    stdin: bytes | None = None,
    umask: int | None = None,
    timeout: float = 60,
) -> Result:
    """Run the installed script to its end; stdout and stderr apart, decoded leniently."""
    done = subprocess.run(
        [str(SCRIPT), *args],
        env=dict(env),
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        check=False,
        preexec_fn=None if umask is None else (lambda: _umask(umask)),
    )
    return Result(
        done.returncode,
        done.stdout.decode("utf-8", errors="replace"),
        done.stderr.decode("utf-8", errors="replace"),
    )


def _umask(mask: int) -> None:
    os.umask(mask)


def cli(home: Path, *args: str, stdin: bytes | None = None, **extra: str) -> Result:
    """The installed script under cron's environment; ``extra`` adds variables."""
    return run(args, cron_env(home, **extra), stdin=stdin)


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return result


def one_line_error(result: Result, *codes: int) -> str:
    """A clean refusal: one of ``codes``, one 'relcli: ' line on stderr, no traceback."""
    assert result.code in codes, (result.code, result.err)
    assert "Traceback" not in result.err, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("relcli: "), result.err
    return lines[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes."""
    return {str(p.relative_to(folder)): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def query(db: Path, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def tables(db: Path) -> list[str]:
    rows = query(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    return [str(name) for (name,) in rows if not str(name).startswith("sqlite_")]


def counts(db: Path) -> dict[str, int]:
    """Rows per table: the whole book's shape, to tell 'nothing' from 'all' after a kill."""
    conn = sqlite3.connect(db)
    try:
        names = [
            n
            for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not n.startswith("sqlite_")
        ]
        return {n: int(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]) for n in names}
    finally:
        conn.close()


def integrity(db: Path) -> str:
    return str(query(db, "PRAGMA integrity_check")[0][0])


def text_cells(db: Path) -> Iterator[tuple[str, str, str]]:
    """(table, column, value) for every text value stored anywhere in the book."""
    conn = sqlite3.connect(db)
    try:
        for table in [
            n
            for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not n.startswith("sqlite_")
        ]:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            columns = [c[0] for c in cursor.description]
            for row in cursor:
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", errors="surrogateescape")
                    if isinstance(value, str):
                        yield table, column, value
    finally:
        conn.close()


def unsafe_cells(db: Path) -> list[tuple[str, str, str]]:
    """Stored text with control characters, or line breaks in a one-line field."""
    found = []
    for table, column, value in text_cells(db):
        bad = CONTROL.search(value) or (
            column not in MULTI_LINE_COLUMNS and LINE_BREAKS.search(value)
        )
        if bad:
            found.append((table, column, value[:60]))
    return found


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def people(count: int, prefix: str = "Person") -> list[list[str]]:
    """``count`` rows of name,email that no import merges: unique emails, no company."""
    return [[f"{prefix} {i:05d} Zyx", f"{prefix.lower()}{i}@example.com"] for i in range(count)]


# Starts one process and reports its own peak RSS from wait4. A small launcher forks the
# measured one: on Linux exec keeps the high-water mark of the process it replaces, so forking
# from pytest (hundreds of MiB) would report pytest's memory, not relcli's.
LAUNCHER = r"""
import json, os, resource, sys
usage, limit, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
pid = os.fork()
if pid == 0:
    try:
        if limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        os.execv(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, rusage = os.wait4(pid, 0)
with open(usage, "w", encoding="utf-8") as f:
    json.dump({"code": os.waitstatus_to_exitcode(status), "peak_kib": rusage.ru_maxrss}, f)
"""


def run_measured(
    args: Sequence[str], env: Mapping[str, str], scratch: Path, *, address_space: int = 0
) -> tuple[Result, int]:
    """Run the script through LAUNCHER: its result and its own peak RSS in KiB."""
    usage = scratch / "usage.json"
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, str(usage), str(address_space), str(SCRIPT), *args],
        env=dict(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )
    measured = json.loads(usage.read_text(encoding="utf-8"))
    result = Result(
        int(measured["code"]),
        done.stdout.decode("utf-8", errors="replace"),
        done.stderr.decode("utf-8", errors="replace"),
    )
    return result, int(measured["peak_kib"])


def wait_for(condition: Callable[[], bool], timeout: float, step: float = 0.002) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass (bounded)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the file system of ``folder`` until only about ``leave`` bytes are free."""
    filler = folder / "filler"
    with filler.open("ab", buffering=0) as handle:
        free = os.statvfs(folder)
        room = free.f_bavail * free.f_frsize - leave
        with contextlib.suppress(OSError):
            if room > 0:
                handle.write(b"\0" * room)
            while not leave:  # squeeze out the last blocks, until ENOSPC
                handle.write(b"\0" * 512)
    return filler


def make_immutable(paths: list[Path], *targets: Path) -> None:
    chattr = shutil.which("chattr")
    assert chattr is not None
    for target in targets:
        paths.append(target)
        subprocess.run([chattr, "+i", str(target)], check=True)
