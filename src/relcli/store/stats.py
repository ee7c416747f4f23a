"""Keep contact_stats current: refold the contacts a write touched, in the same transaction."""

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import fields
from datetime import date

from relcli.domain import aggregates
from relcli.domain.ranking import RankConfig
from relcli.store.days import local_day

COLUMNS = tuple(f.name for f in fields(aggregates.Aggregates))
FINGERPRINT_KEY = "stats_fingerprint"


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def compute(
    conn: sqlite3.Connection, contact_ids: Iterable[int], today: date, config: RankConfig
) -> dict[int, aggregates.Aggregates]:
    """Fold the history of each contact in ``contact_ids`` from the tables."""
    ids = sorted(set(contact_ids))
    events: dict[int, list[aggregates.Event]] = defaultdict(list)
    items: dict[int, list[aggregates.OpenItem]] = defaultdict(list)
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for cid, at, channel, direction, outcome in conn.execute(
            f"SELECT contact_id, at, channel, direction, outcome FROM interaction "
            f"WHERE contact_id IN ({marks})",
            chunk,
        ):
            events[cid].append(aggregates.Event(local_day(at), at, channel, direction, outcome))
        for cid, due in conn.execute(
            f"SELECT contact_id, due_on FROM follow_up WHERE done_at IS NULL AND contact_id IN ({marks})",
            chunk,
        ):
            items[cid].append(aggregates.OpenItem(date.fromisoformat(due) if due else None))
    empty = aggregates.Aggregates()  # what fold gives for no history, the common case on import
    return {
        cid: aggregates.fold(events[cid], items[cid], today, config)
        if cid in events or cid in items
        else empty
        for cid in ids
    }


def _row(cid: int, agg: aggregates.Aggregates) -> tuple[object, ...]:
    values = (getattr(agg, name) for name in COLUMNS)
    return (cid, *(v.isoformat() if isinstance(v, date) else v for v in values))


def refresh(
    conn: sqlite3.Connection, contact_ids: Iterable[int], today: date, config: RankConfig
) -> None:
    """Recompute and store the aggregates of these contacts (inside the caller's transaction).

    Contacts whose booked meeting has come since their row was written are refolded too.
    """
    ids = [cid for cid in {*contact_ids, *met(conn, today)} if cid is not None]
    if not ids:
        return
    computed = compute(conn, ids, today, config)
    cols = ", ".join(COLUMNS)
    marks = ", ".join("?" * (len(COLUMNS) + 1))
    existing = {
        row[0]
        for chunk in _chunks(ids)
        for row in conn.execute(
            f"SELECT id FROM contact WHERE id IN ({','.join('?' * len(chunk))})", chunk
        )
    }
    conn.executemany(
        f"INSERT OR REPLACE INTO contact_stats (contact_id, {cols}) VALUES ({marks})",
        [_row(cid, agg) for cid, agg in computed.items() if cid in existing],
    )
    set_fingerprint(conn, config)


def met(conn: sqlite3.Connection, today: date) -> list[int]:
    """Contacts whose stored row still counts a meeting on or before ``today`` as booked."""
    rows = conn.execute(
        "SELECT contact_id FROM contact_stats WHERE next_meeting_on <= ?", (today.isoformat(),)
    )
    return [row[0] for row in rows]


def set_fingerprint(conn: sqlite3.Connection, config: RankConfig) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        (FINGERPRINT_KEY, config.fingerprint),
    )


def rebuild(conn: sqlite3.Connection, today: date, config: RankConfig) -> int:
    """Recompute every contact's aggregates from scratch; returns how many."""
    ids = [row[0] for row in conn.execute("SELECT id FROM contact")]
    conn.execute("DELETE FROM contact_stats")
    refresh(conn, ids, today, config)
    set_fingerprint(conn, config)
    return len(ids)


def stored(conn: sqlite3.Connection) -> dict[int, tuple[object, ...]]:
    cols = ", ".join(COLUMNS)
    return {
        row[0]: tuple(row[1:])
        for row in conn.execute(f"SELECT contact_id, {cols} FROM contact_stats")
    }


def mismatches(conn: sqlite3.Connection, today: date, config: RankConfig) -> list[int]:
    """Contacts whose stored aggregates differ from a fresh fold (for doctor and tests)."""
    ids = [row[0] for row in conn.execute("SELECT id FROM contact")]
    fresh = {cid: _row(cid, agg)[1:] for cid, agg in compute(conn, ids, today, config).items()}
    have = stored(conn)
    due = set(met(conn, today))  # rows waiting to be refolded are not wrong, only due
    return sorted(cid for cid in ids if cid not in due and have.get(cid) != fresh[cid])
