"""Shared fixtures: an isolated home, a pinned clock, an in-memory keyring, the CLI runner."""

import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from hypothesis import settings
from keyring.backend import KeyringBackend
from typer.testing import CliRunner

from relcli.cli import main

# The same examples on every run, so CI is deterministic; HYPOTHESIS_PROFILE=explore searches
# with fresh random seeds (and prints the seed of any failure to reproduce it).
settings.register_profile("deterministic", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

TODAY = "2026-12-01"


class MemoryKeyring(KeyringBackend):
    """Stands in for the system keyring: no test touches the real one."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


Relcli = Callable[..., Run]


def ok(run: Run) -> Run:
    """A run that must have worked: exit 0 and no traceback."""
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return run


@contextmanager
def fresh_home() -> Iterator[Path]:
    """A folder with a fresh RELCLI_HOME (its 'home') for one run inside a test, such as one
    hypothesis example (the test's own home is shared by all of them)."""
    before = os.environ["RELCLI_HOME"]
    with tempfile.TemporaryDirectory() as folder:
        os.environ["RELCLI_HOME"] = str(Path(folder) / "home")
        try:
            yield Path(folder)
        finally:
            os.environ["RELCLI_HOME"] = before


def dump(path: Path) -> list[str]:
    """Every row and schema statement of a database, to compare before and after."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """RELCLI_HOME in tmp_path, no RELCLI_* leaking in, today pinned, UTC, memory keyring."""
    import os

    for name in list(os.environ):
        if name.startswith("RELCLI_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    monkeypatch.setenv("RELCLI_HOME", str(home))
    monkeypatch.setenv("RELCLI_TODAY", TODAY)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    time.tzset()
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield home
    keyring.set_keyring(previous)


@pytest.fixture
def relcli() -> Relcli:
    """Run relcli through main(), as the installed script does; stdout and stderr apart."""

    def run(*args: str, stdin: str | None = None) -> Run:
        runner = CliRunner()
        with runner.isolation(input=stdin) as outstreams:
            out, err = outstreams[0], outstreams[1]
            code = main(list(args))
            sys.stdout.flush()
            sys.stderr.flush()
            return Run(code, out.getvalue().decode(), err.getvalue().decode())

    return run


@pytest.fixture
def db_path(isolated: Path) -> Path:
    return isolated / "relcli.db"


@pytest.fixture
def db(db_path: Path) -> Callable[[str], list[tuple[object, ...]]]:
    """Query the real database file the CLI wrote."""

    def query(sql: str) -> list[tuple[object, ...]]:
        conn = sqlite3.connect(db_path)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    return query
