"""Health checks for ``relcli doctor``: paths, schema, integrity, aggregates, keyring."""

import stat
from pathlib import Path
from typing import Any

from sqlmodel import Session

from relcli import config, credentials
from relcli.services.context import Context
from relcli.store import database, migrations, records, stats


def rebuild_stats(session: Session, ctx: Context) -> int:
    return stats.rebuild(records.conn(session), ctx.today, ctx.settings.rank)


def _mode(path: Path) -> str:
    try:
        return oct(stat.S_IMODE(path.stat().st_mode))
    except FileNotFoundError:
        return "missing"


def report(paths: config.Paths, ctx: Context) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(check: str, value: Any, problem: str | None = None) -> None:
        rows.append({"check": check, "value": value, "problem": problem})

    add("database", str(paths.database))
    add(
        "config",
        str(paths.config_file) + ("" if paths.config_file.exists() else " (not created; defaults)"),
    )
    add("data dir", str(paths.data_dir))
    add("state dir", str(paths.state_dir))
    add("schema", f"this relcli writes version {migrations.SCHEMA_VERSION}")
    conn = database.connect(paths.database, create=False)
    if conn is None:
        add("database file", "not created yet (it is created on first write)")
    else:
        try:
            add("schema version", migrations.version(conn))
            for path in (paths.database, *(paths.database.with_name(paths.database.name + x)
                                           for x in ("-wal", "-shm"))):  # fmt: skip
                mode = _mode(path)
                if mode == "missing":
                    continue
                add(f"mode {path.name}", mode, None if mode == "0o600" else
                    f"readable by others: chmod 600 {str(path)!r}")  # fmt: skip
            # The folder may be the user's own (RELCLI_HOME): its mode is shown, not judged.
            add(f"mode {paths.database.parent.name}/", _mode(paths.database.parent))
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            add("integrity", integrity, None if integrity == "ok" else "restore a backup")
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            add(
                "foreign keys",
                "ok" if not broken else f"{len(broken)} broken",
                None if not broken else "restore a backup",
            )
            off = stats.mismatches(conn, ctx.today, ctx.settings.rank)
            add(
                "ranking stats",
                "match a recomputation" if not off else f"{len(off)} contacts differ",
                None if not off else "run 'relcli doctor --rebuild-stats'",
            )
            add("contacts", conn.execute("SELECT count(*) FROM contact").fetchone()[0])
        finally:
            conn.close()
    backend = credentials.backend_name()
    add("keyring", backend, None if "no answer" not in backend else
        "the keyring does not answer: set RELCLI_SMTP_PASSWORD or smtp.password_command")  # fmt: skip
    return rows
