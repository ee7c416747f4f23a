"""The per-contact aggregates ranking reads, folded from a contact's interaction history.

``fold`` is the one definition: the store calls it for the contacts a write touched, and
``relcli doctor --rebuild-stats`` calls it for everyone, so both always agree.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from relcli.domain import vocabulary
from relcli.domain.ranking import RankConfig

RECENT_OUTBOUND_KEPT = 16  # more than any sensible rank.cap.max_outbound


@dataclass(frozen=True)
class Event:
    """One interaction as the fold sees it: its local calendar day and its kind."""

    on: date
    at: str  # the stored UTC timestamp, for ordering within a day
    channel: str
    direction: str
    outcome: str | None


@dataclass(frozen=True)
class OpenItem:
    due_on: date | None


@dataclass(frozen=True)
class Aggregates:
    strength_ref: float = 0.0
    strength_day: int = 0
    first_contact_on: date | None = None
    last_contact_on: date | None = None
    last_outbound_on: date | None = None
    last_inbound_on: date | None = None
    reply_owed_since: date | None = None
    reply_channel: str | None = None
    recent_outbound: str = ""
    next_meeting_on: date | None = None
    next_follow_up_on: date | None = None
    open_follow_ups: int = 0
    has_undated_follow_up: bool = False


def strength_class(event: Event) -> str:
    """Which interaction weight applies: meeting, call, inbound, outbound or attempt."""
    if event.outcome in vocabulary.ATTEMPTS:
        return "attempt"
    if event.channel == "meeting":
        return "meeting"
    if event.channel == "call":
        return "call"
    return "inbound" if event.direction == "in" else "outbound"


def fold(
    events: Iterable[Event], open_items: Iterable[OpenItem], today: date, config: RankConfig
) -> Aggregates:
    """Aggregates as of ``today``; a meeting after ``today`` is only remembered as booked."""
    half = config.days("rank.strength.half_life")
    weights = {
        name: config.number(f"rank.strength.w.{name}")
        for name in ("meeting", "call", "inbound", "outbound", "attempt")
    }
    s_ref = 0.0
    t_ref: int | None = None
    seen: set[tuple[date, str]] = set()
    first = last = last_out = last_in = owed = next_meeting = None
    owed_channel = None
    outbound: list[date] = []
    items = list(open_items)
    # At the same instant an answer counts as coming after the message it answers.
    for event in sorted(events, key=lambda e: (e.at, e.direction != "in")):
        if event.channel == "note":
            continue
        if event.on > today:
            if event.channel == "meeting" and (next_meeting is None or event.on < next_meeting):
                next_meeting = event.on
            continue
        first = event.on if first is None else min(first, event.on)
        last = event.on if last is None else max(last, event.on)
        cls = strength_class(event)
        if (event.on, cls) not in seen:
            seen.add((event.on, cls))
            w = weights[cls]
            t = event.on.toordinal()
            if t_ref is None or t >= t_ref:
                s_ref = (s_ref * 2 ** (-(t - t_ref) / half) if t_ref is not None else 0.0) + w
                t_ref = t
            else:
                s_ref += w * 2 ** (-(t_ref - t) / half)
        is_message = event.channel in vocabulary.MESSAGE_CHANNELS
        if event.direction in ("out", "both"):
            last_out = event.on if last_out is None else max(last_out, event.on)
            outbound.append(event.on)
        if event.direction in ("in", "both"):
            last_in = event.on if last_in is None else max(last_in, event.on)
        if event.direction == "in" and is_message:
            if owed is None:
                owed, owed_channel = event.on, event.channel
        else:
            owed, owed_channel = None, None
    dated = [i.due_on for i in items if i.due_on is not None]
    recent = sorted(outbound)[-RECENT_OUTBOUND_KEPT:]
    return Aggregates(
        strength_ref=round(s_ref, 9),
        strength_day=t_ref or 0,
        first_contact_on=first,
        last_contact_on=last,
        last_outbound_on=last_out,
        last_inbound_on=last_in,
        reply_owed_since=owed,
        reply_channel=owed_channel,
        recent_outbound=",".join(d.isoformat() for d in recent),
        next_meeting_on=next_meeting,
        next_follow_up_on=min(dated) if dated else None,
        open_follow_ups=len(items),
        has_undated_follow_up=any(i.due_on is None for i in items),
    )
