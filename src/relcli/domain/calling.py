"""A calling session's rules: the outcome keys, the proposed next date, the dial URI, the tally."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from relcli.domain import when
from relcli.errors import InvalidInputError, UsageError

# The channels a session works on: the ones a seller reaches out on, one contact at a time.
SESSION_CHANNELS = ("call", "email", "text")
Action = Literal["record", "skip", "snooze", "quit"]


@dataclass(frozen=True)
class Choice:
    """One key of the outcome prompt."""

    key: str
    name: str  # the config name under [call.next_after] and in the summary
    label: str  # what the screen says
    action: Action
    outcome: str | None = None  # the stored interaction outcome (None: an outbound message)
    channels: frozenset[str] = frozenset(SESSION_CHANNELS)


_VOICE = frozenset({"call"})
_WRITTEN = frozenset({"email", "text"})
CHOICES: tuple[Choice, ...] = (
    Choice("c", "connected", "connected", "record", "connected", _VOICE),
    Choice("v", "voicemail", "voicemail", "record", "voicemail", _VOICE),
    Choice("n", "no-answer", "no answer", "record", "no-answer", _VOICE),
    Choice("d", "sent", "sent", "record", None, _WRITTEN),
    Choice("m", "meeting-booked", "meeting booked", "record", "meeting-booked"),
    Choice("x", "not-interested", "not interested", "record", "not-interested"),
    Choice("s", "skip", "skip", "skip"),
    Choice("z", "snooze", "snooze", "snooze"),
    Choice("q", "quit", "quit", "quit"),
)
# Outcomes where the seller spoke with the person (or heard back): a "connect" in the summary.
CONVERSATIONS = frozenset({"connected", "meeting-booked", "not-interested"})

# What the next follow-up date is, by choice: a span, "cadence" (the contact's), or "none".
DEFAULT_NEXT_AFTER: dict[str, str] = {
    "connected": "cadence",
    "voicemail": "2d",
    "no-answer": "1d",
    "sent": "3d",
    "meeting-booked": "none",
    "not-interested": "none",
    "snooze": "1d",
}
NextRule = int | Literal["cadence"] | None  # days, the contact's cadence, or no follow-up
RULE_FORMS = f'"cadence", "none", or a span such as {when.SPANS}'


def choices_for(channel: str) -> tuple[Choice, ...]:
    """The keys offered on ``channel``: no voicemail for an email, no "sent" for a call."""
    return tuple(c for c in CHOICES if channel in c.channels)


def choice(key: str, channel: str) -> Choice | None:
    """The choice a key stands for on this channel, or None for any other key."""
    lowered = key.lower()
    return next((c for c in choices_for(channel) if c.key == lowered), None)


def parse_rule(name: str, text: str) -> NextRule:
    """A ``[call.next_after]`` value for ``name``; UsageError if it cannot be one."""
    raw = text.strip().lower()
    if name not in DEFAULT_NEXT_AFTER:
        raise UsageError(
            f"unknown outcome {name!r}", hint=f"use one of: {', '.join(DEFAULT_NEXT_AFTER)}"
        )
    if name == "snooze":
        if raw in ("none", "cadence"):
            raise UsageError(f"a snooze needs a span, not {text!r}", hint='e.g. snooze = "1d"')
        return when.parse_span(raw)
    if raw in ("none", ""):
        return None
    if raw == "cadence":
        return "cadence"
    try:
        return when.parse_span(raw)
    except UsageError as err:
        raise UsageError(f"cannot read {text!r}", hint=f"use {RULE_FORMS}") from err


def rules(overrides: Mapping[str, str]) -> dict[str, NextRule]:
    """Every choice's rule: the defaults, with ``overrides`` (already checked names) on top."""
    merged = {**DEFAULT_NEXT_AFTER, **overrides}
    return {name: parse_rule(name, text) for name, text in merged.items()}


def proposed_next(
    rule: NextRule, today: date, *, cadence_days: int | None, min_gap_days: int | None
) -> date | None:
    """The follow-up date to offer after an outcome; never inside the contact's minimum gap.

    A follow-up that falls due lets the ranking pass the frequency cap ("they asked"), so an
    offer sooner than the gap the contact asked for would defeat their policy.
    """
    days = cadence_days if rule == "cadence" else rule
    if not days:
        return None
    return today + timedelta(days=max(days, min_gap_days or 0))


def follow_up_reason(outcome: str | None, note: str, answered: str | None) -> str | None:
    """The reason of the next follow-up: after an attempt, the promise still open (else the
    note); after a conversation, what was said (else the promise it answered)."""
    first, second = (note, answered) if outcome in CONVERSATIONS else (answered, note)
    return (first or "").strip() or (second or "").strip() or None


def check_next(day: date, today: date) -> date:
    if day < today:
        raise InvalidInputError(f"{day} is in the past", hint="use today or a later date, e.g. fri")
    return day


def check_snooze(day: date, today: date) -> date:
    if day <= today:
        raise InvalidInputError(f"cannot snooze until {day}", hint="pick a later date, e.g. +3d")
    return day


def read_date(text: str, today: date, proposed: date | None) -> date | None:
    """What the seller typed at a date prompt: Enter keeps ``proposed``, '-' or 'none' clears."""
    raw = text.strip()
    if not raw:
        return proposed
    if raw.lower() in ("-", "none", "no"):
        return None
    return when.parse_date(raw, today)


def dial_uri(channel: str, reach: str) -> str:
    """The URI a system handler opens: tel: for a call, sms: for a text, mailto: for email."""
    if channel == "email":
        return f"mailto:{reach.strip()}"
    number = re.sub(r"[^\d+]", "", reach)
    number = number[:1] + number[1:].replace("+", "")
    if not re.search(r"\d", number):
        raise InvalidInputError(f"{reach!r} is not a number to dial")
    return f"{'sms' if channel == 'text' else 'tel'}:{number}"


@dataclass
class Tally:
    """What a session did, for its closing summary."""

    attempts: int = 0  # every recorded outcome: a dial, or a message sent
    connects: int = 0
    meetings: int = 0
    follow_ups: int = 0
    skipped: int = 0
    snoozed: int = 0
    stopped: int = 0  # do-not-contact set

    def count(self, c: Choice) -> None:
        if c.action == "skip":
            self.skipped += 1
        elif c.action == "snooze":
            self.snoozed += 1
        elif c.action == "record":
            self.attempts += 1
            if c.outcome in CONVERSATIONS:
                self.connects += 1
            if c.outcome == "meeting-booked":
                self.meetings += 1

    @property
    def offered(self) -> int:
        return self.attempts + self.skipped + self.snoozed


def duration(seconds: float) -> str:
    """'45s', '12m 03s', '1h 02m'."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"
