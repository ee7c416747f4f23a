"""Reads of the whole book for export, on the stdlib sqlite3 door (no ORM)."""

import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from relcli.domain.formats import book
from relcli.store import database

_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    name: (table, tuple(k for k in book.KEYS[name] if k not in book.CONTACT_LISTS))
    for name, table in (
        ("companies", "company"),
        ("contacts", "contact"),
        ("interactions", "interaction"),
        ("follow_ups", "follow_up"),
        ("signals", "signal"),
    )
}


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction: every query inside sees the same book, even while cron writes."""
    if conn.in_transaction:
        yield conn
        return
    try:
        conn.execute("BEGIN")
    except sqlite3.Error as err:
        raise database.translate(err) from err
    try:
        yield conn
    finally:
        conn.execute("ROLLBACK")


def _rows(conn: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    cursor = conn.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _grouped(conn: sqlite3.Connection, sql: str) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for contact_id, value in conn.execute(sql):
        grouped[contact_id].append(value)
    return grouped


def read(conn: sqlite3.Connection) -> book.Tables:
    """Every row a user entered: companies, contacts (with their lists), history, signals."""
    try:
        with snapshot(conn):
            tables = {
                name: _rows(conn, f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")
                for name, (table, columns) in _COLUMNS.items()
            }
            lists = {
                "emails": _grouped(
                    conn,
                    "SELECT contact_id, address FROM contact_email ORDER BY contact_id, position, id",
                ),
                "phones": _grouped(
                    conn,
                    "SELECT contact_id, number FROM contact_phone ORDER BY contact_id, position, id",
                ),
                "tags": _grouped(
                    conn, "SELECT contact_id, tag FROM contact_tag ORDER BY contact_id, tag"
                ),
                "opted_out_channels": _grouped(
                    conn,
                    "SELECT contact_id, channel FROM contact_opt_out ORDER BY contact_id, channel",
                ),
            }
            addresses: dict[int, list[dict[str, Any]]] = defaultdict(list)
            for contact_id, *parts in conn.execute(
                f"SELECT contact_id, {', '.join(book.ADDRESS_KEYS)} FROM contact_address "
                "ORDER BY contact_id, position, id"
            ):
                addresses[contact_id].append(dict(zip(book.ADDRESS_KEYS, parts, strict=True)))
    except sqlite3.Error as err:
        raise database.translate(err) from err
    for interaction in tables["interactions"]:
        interaction["talking_point"] = bool(interaction["talking_point"])  # SQLite keeps 0 or 1
    for contact in tables["contacts"]:
        contact["do_not_contact"] = bool(contact["do_not_contact"])
        for key, grouped in lists.items():
            contact[key] = grouped.get(contact["id"], [])
        contact["addresses"] = addresses.get(contact["id"], [])
    return book.Tables(**tables)


def last_contact_on(conn: sqlite3.Connection) -> dict[int, str]:
    """Each contact's last interaction day (ISO), from the kept aggregates."""
    try:
        with snapshot(conn):
            found = conn.execute(
                "SELECT contact_id, last_contact_on FROM contact_stats "
                "WHERE last_contact_on IS NOT NULL"
            ).fetchall()
    except sqlite3.Error as err:
        raise database.translate(err) from err
    return dict(found)
