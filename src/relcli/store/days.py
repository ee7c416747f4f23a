"""Stored UTC timestamps as the user's calendar days."""

import time
from datetime import date, datetime, timedelta

_OFFSETS: dict[tuple[str, tuple[str, str]], timedelta] = {}


def local_day(stored_at: str) -> date:
    """The user's calendar day of a stored UTC timestamp.

    The local offset is looked up once per UTC hour (time-zone rules change offsets on hour
    boundaries), which keeps a scan of many rows from asking the C library each time.
    """
    moment = datetime.fromisoformat(stored_at)
    hour = (stored_at[:13], time.tzname)  # the zone is part of the key: tests change TZ
    offset = _OFFSETS.get(hour)
    if offset is None:
        offset = _OFFSETS[hour] = moment.astimezone().utcoffset() or timedelta(0)
    return (moment + offset).date()
