"""Turn what a seller types ("fri", "+3d", "dec 3", "2026-03-01") into dates and spans."""

import re
from datetime import date, datetime, timedelta

from relcli.errors import UsageError

ACCEPTED = "2026-03-01, 2026-03-01T14:30, today, tomorrow, yesterday, fri, next monday, +3d, -2d, in 2 weeks, 2w, 3 days ago, dec 3"
SPANS = "14d, 2w, 3m (months of 30 days), 1y, or a number of days"

WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}
# An explicit English table: month names never depend on the locale.
MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
UNIT_DAYS = {
    "d": 1,
    "day": 1,
    "days": 1,
    "w": 7,
    "wk": 7,
    "week": 7,
    "weeks": 7,
    "m": 30,
    "mo": 30,
    "month": 30,
    "months": 30,
    "y": 365,
    "yr": 365,
    "year": 365,
    "years": 365,
}
# Whole months and years move the calendar, not a count of days, in dates ("in 1 month").
CALENDAR_UNITS = {
    "m": "months",
    "mo": "months",
    "month": "months",
    "months": "months",
    "y": "years",
    "yr": "years",
    "year": "years",
    "years": "years",
}

_OFFSET = re.compile(r"^(?P<sign>[+-])?\s*(?P<n>\d{1,4})\s*(?P<unit>[a-z]+)$")
_IN_OFFSET = re.compile(r"^in\s+(?P<n>\d{1,4}|a|an|one)\s*(?P<unit>[a-z]+)$")
_AGO = re.compile(r"^(?P<n>\d{1,4}|a|an|one)\s*(?P<unit>[a-z]+)\s+ago$")
_MONTH_DAY = re.compile(
    r"^(?P<a>[a-z]+|\d{1,2})[\s./-]*(?P<b>[a-z]+|\d{1,2})(?:,?\s*(?P<y>\d{4}))?$"
)


def _bad(text: str) -> UsageError:
    return UsageError(f"cannot read the date {text!r}", hint=f"accepted forms: {ACCEPTED}")


def _count(raw: str) -> int:
    return 1 if raw in ("a", "an", "one") else int(raw)


def _shift(today: date, n: int, unit: str, text: str) -> date:
    from dateutil.relativedelta import relativedelta

    if unit not in UNIT_DAYS:
        raise _bad(text)
    try:
        if unit in CALENDAR_UNITS:
            return today + relativedelta(**{CALENDAR_UNITS[unit]: n})  # type: ignore[arg-type]
        return today + timedelta(days=n * UNIT_DAYS[unit])
    except (ValueError, OverflowError) as err:
        raise _bad(text) from err


def _weekday(today: date, weekday: int, *, past: bool) -> date:
    if past:
        back = (today.weekday() - weekday) % 7 or 7
        return today - timedelta(days=back)
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def _month_day(
    today: date, month: int, day: int, year: int | None, text: str, *, past: bool
) -> date:
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError as err:
            raise _bad(text) from err
    step = -1 if past else 1
    # The nearest year in the right direction in which the day exists (Feb 29 skips ahead).
    for offset in range(9):
        try:
            found = date(today.year + step * offset, month, day)
        except ValueError:
            continue
        if (past and found <= today) or (not past and found >= today):
            return found
    raise _bad(text)


def parse_moment(text: str, today: date, *, past: bool = False) -> date | datetime:
    """A calendar date, or a naive local datetime when the text names a time of day.

    ``past`` decides which way a bare weekday or month-day points: ``log --on fri`` means the
    Friday that just went by, ``follow-up add ann fri`` the one coming up.
    """
    raw = " ".join(text.strip().lower().split())
    if not raw:
        raise _bad(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[t ]\d{1,2}:\d{2}(:\d{2})?", raw):
        try:
            return datetime.fromisoformat(raw.replace(" ", "T"))
        except ValueError as err:
            raise _bad(text) from err
    return parse_date(text, today, past=past)


def parse_date(text: str, today: date, *, past: bool = False) -> date:
    """The calendar date ``text`` names, counted from ``today``."""
    raw = " ".join(text.strip().lower().split())
    simple = {"today": 0, "now": 0, "tomorrow": 1, "tmr": 1, "yesterday": -1}
    if raw in simple:
        return today + timedelta(days=simple[raw])
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            return date.fromisoformat(raw)
        except ValueError as err:
            raise _bad(text) from err
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[t ]\d{1,2}:\d{2}(:\d{2})?", raw):
        try:
            return datetime.fromisoformat(raw.replace(" ", "T")).date()
        except ValueError as err:
            raise _bad(text) from err
    words = raw.split(" ")
    if len(words) == 2 and words[0] in ("next", "this", "last") and words[1] in WEEKDAYS:
        return _weekday(today, WEEKDAYS[words[1]], past=words[0] == "last")
    if raw in WEEKDAYS:
        return _weekday(today, WEEKDAYS[raw], past=past)
    if (m := _OFFSET.fullmatch(raw)) and m["unit"] in UNIT_DAYS:
        n = int(m["n"]) * (-1 if m["sign"] == "-" else 1)
        return _shift(today, n, m["unit"], text)
    if m := _IN_OFFSET.fullmatch(raw):
        return _shift(today, _count(m["n"]), m["unit"], text)
    if m := _AGO.fullmatch(raw):
        return _shift(today, -_count(m["n"]), m["unit"], text)
    if m := _MONTH_DAY.fullmatch(raw):
        a, b = m["a"], m["b"]
        year = int(m["y"]) if m["y"] else None
        if a in MONTHS and b.isdigit():
            return _month_day(today, MONTHS[a], int(b), year, text, past=past)
        if b in MONTHS and a.isdigit():
            return _month_day(today, MONTHS[b], int(a), year, text, past=past)
    raise _bad(text)


def parse_span(text: str) -> int:
    """A number of days from "14d", "2w", "3m", "1y" or "14"."""
    raw = text.strip().lower().replace(" ", "")
    m = re.fullmatch(r"(?:every)?(\d{1,4})([a-z]*)", raw)
    if m and (m[2] == "" or m[2] in UNIT_DAYS):
        days = int(m[1]) * UNIT_DAYS.get(m[2], 1)
        if days > 0:
            return days
    named = {
        "daily": 1,
        "weekly": 7,
        "fortnightly": 14,
        "monthly": 30,
        "quarterly": 91,
        "yearly": 365,
    }
    if raw in named:
        return named[raw]
    raise UsageError(f"cannot read the span {text!r}", hint=f"accepted forms: {SPANS}")


def format_span(days: int) -> str:
    """The shortest exact spelling of a span: 14 → '2w', 30 → '30d'."""
    if days % 7 == 0:
        return f"{days // 7}w"
    return f"{days}d"
