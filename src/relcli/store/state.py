"""Run state in the user state dir: what `relcli remind --since-last-run` already reported."""

import json
import os
from datetime import date
from pathlib import Path

from relcli.errors import StorageIOError
from relcli.store.database import make_private_dir


def reported_today(path: Path, today: date) -> set[str]:
    """The keys an earlier run reported today; nothing if the last run was on another day."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError):
        return set()  # a damaged state file only means reporting again, never failing cron
    if not isinstance(data, dict) or data.get("day") != today.isoformat():
        return set()
    keys = data.get("reported", [])
    return {k for k in keys if isinstance(k, str)} if isinstance(keys, list) else set()


def remember(path: Path, today: date, keys: set[str]) -> None:
    """Record ``keys`` as reported today, atomically and readable by the user only."""
    make_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = json.dumps({"day": today.isoformat(), "reported": sorted(keys)}, indent=1)
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data + "\n")
        tmp.replace(path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise StorageIOError(f"cannot write the run state {str(path)!r}: {err.strerror}") from err
