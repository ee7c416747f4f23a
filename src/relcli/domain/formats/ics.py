"""iCalendar export: open follow-ups as to-dos (or all-day events) with a reminder at 09:00.

Every follow-up keeps its UID (``relcli-follow-up-<id>@relcli``) and its DTSTAMP (when it
was created), so exporting again gives the same bytes for the same book, and a calendar
that imports the file again updates its entries instead of adding copies.

Text is escaped by icalendar (a stored CR/LF becomes ``\\n`` inside the value), and control
characters are dropped first, so no stored note can start a property or component.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar

PRODID = "-//relcli//relcli//EN"
ALARM_AT = timedelta(hours=9)  # after the start of the day the follow-up is due
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # all but TAB and LF (CR is folded into LF)


@dataclass(frozen=True)
class FollowUp:
    """One open follow-up and how to reach its contact."""

    id: int
    contact: str
    due_on: date | None
    reason: str | None
    every_days: int | None
    created_at: datetime
    phone: str | None = None
    email: str | None = None


def uid(follow_up_id: int) -> str:
    return f"relcli-follow-up-{follow_up_id}@relcli"


def _text(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _summary(item: FollowUp) -> str:
    head = f"Follow up with {item.contact}"
    return _text(f"{head}: {item.reason}" if item.reason else head)


def _description(item: FollowUp) -> str:
    lines = [item.reason or f"Follow up with {item.contact}"]
    if item.phone:
        lines.append(f"phone: {item.phone}")
    if item.email:
        lines.append(f"email: {item.email}")
    lines.append(f"relcli follow-up #{item.id}")
    return _text("\n".join(lines))


def _alarm(item: FollowUp, *, related: str) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _summary(item))
    params = {"RELATED": related} if related != "START" else {}
    alarm.add("trigger", ALARM_AT, parameters=params)
    return alarm


def _common(component: icalendar.Component, item: FollowUp) -> None:
    stamp = item.created_at.astimezone(UTC)
    component.add("uid", uid(item.id))
    component.add("dtstamp", stamp)
    component.add("created", stamp)
    component.add("summary", _summary(item))
    component.add("description", _description(item))
    component.add("categories", ["relcli"])


def _rrule(component: icalendar.Component, item: FollowUp) -> None:
    if item.every_days and item.due_on:  # an undated one has no day to repeat from
        component.add("rrule", {"freq": "daily", "interval": item.every_days})


def _todo(item: FollowUp) -> icalendar.Todo:
    todo = icalendar.Todo()
    _common(todo, item)
    todo.add("status", "NEEDS-ACTION")
    if item.due_on is not None:
        if item.every_days:
            todo.add("dtstart", item.due_on)  # a recurrence counts from DTSTART
        todo.add("due", item.due_on)
        _rrule(todo, item)
        todo.add_component(_alarm(item, related="END"))  # END of a to-do is its DUE
    return todo


def _event(item: FollowUp, due_on: date) -> icalendar.Event:
    event = icalendar.Event()
    _common(event, item)
    event.add("dtstart", due_on)
    event.add("dtend", due_on + timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy day
    _rrule(event, item)
    event.add_component(_alarm(item, related="START"))
    return event


def write(follow_ups: Iterable[FollowUp], *, events: bool = False) -> bytes:
    """One VCALENDAR: a VTODO per follow-up, or with ``events`` a VEVENT per dated one.

    Undated follow-ups become to-dos without DUE and without an alarm; as events they are
    left out (an event needs a day).
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    for item in sorted(follow_ups, key=lambda f: f.id):
        if not events:
            calendar.add_component(_todo(item))
        elif item.due_on is not None:
            calendar.add_component(_event(item, item.due_on))
    return bytes(calendar.to_ical())
