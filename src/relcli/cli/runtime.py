"""The outside world for commands: paths, settings, the clock, and one transaction per command."""

import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from relcli import config
from relcli.domain import when
from relcli.errors import UsageError
from relcli.services.context import Context

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass
class State:
    db: str | None = None
    today: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)


state = State()


def reset() -> None:
    """Forget the global options of a previous run (main() can run many times in one process)."""
    global state
    state = State()


def today() -> date:
    """The one place that reads the clock; --today or RELCLI_TODAY pin it."""
    pinned = state.today or os.environ.get("RELCLI_TODAY")
    if pinned:
        try:
            return when.parse_date(pinned, date.today())  # noqa: DTZ011 (the one clock)
        except UsageError as err:
            raise UsageError(f"--today: {err}", hint=err.hint) from err
    return date.today()  # noqa: DTZ011 (the one clock; local calendar day by design)


def now() -> datetime:
    """Aware UTC now; with a pinned day, local noon of that day (reproducible scripts)."""
    pinned = state.today or os.environ.get("RELCLI_TODAY")
    if pinned:
        return datetime.combine(today(), time(12, 0)).astimezone().astimezone(UTC)
    return datetime.now(UTC)


def monotonic() -> float:
    """Seconds on a clock that only moves forward, for durations (a session's time spent)."""
    import time as clock

    return clock.monotonic()


def paths() -> config.Paths:
    return config.paths(state.db)


def settings(overrides: Mapping[str, str] | None = None) -> config.Settings:
    return config.load(paths().config_file, overrides=overrides)


def context(overrides: Mapping[str, str] | None = None) -> Context:
    return Context(today=today(), now=now(), settings=settings(overrides))


@contextmanager
def transaction(*, write: bool = True) -> "Iterator[Session]":
    """One transaction for the whole command: it all happens, or none of it."""
    from relcli.store import database

    with database.transaction(paths().database, write=write) as session:
        yield session


@contextmanager
def raw_transaction() -> Iterator[sqlite3.Connection]:
    """The command's one write transaction on a bare sqlite3 connection (bulk writers)."""
    from relcli.store import database

    with database.raw_transaction(paths().database) as conn:
        yield conn


def reader() -> sqlite3.Connection | None:
    """A read connection through stdlib sqlite3, or None if there is no database yet."""
    from relcli.store import database

    return database.connect(paths().database, create=False)
