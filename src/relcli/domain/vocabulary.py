"""The fixed words of relcli: channels, stages, outcomes, tiers, and their checks."""

from relcli.errors import UsageError

CHANNELS = ("call", "email", "text", "meeting", "social")
INTERACTION_CHANNELS = (*CHANNELS, "note")
STAGES = ("lead", "prospect", "customer", "partner", "former")
TIERS = ("A", "B", "C")
OUTCOMES = (
    "connected",
    "voicemail",
    "no-answer",
    "replied",
    "meeting-booked",
    "not-interested",
    "bounced",
    "left-message",
)
# Outcomes that mean nobody answered: a touch for cadence and caps, no relationship strength.
ATTEMPTS = frozenset({"voicemail", "no-answer", "bounced", "left-message"})
# Messages leave a reply owed when they come in; calls and meetings are conversations.
MESSAGE_CHANNELS = frozenset({"email", "text", "social"})
# Channels that need a phone number or an email address to be reachable.
PHONE_CHANNELS = frozenset({"call", "text"})
EMAIL_CHANNELS = frozenset({"email"})


def _check(kind: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise UsageError(f"unknown {kind} {value!r}", hint=f"use one of: {', '.join(allowed)}")
    return value


def check_channel(value: str) -> str:
    return _check("channel", value.strip().lower(), CHANNELS)


def check_interaction_channel(value: str) -> str:
    return _check("channel", value.strip().lower(), INTERACTION_CHANNELS)


def check_stage(value: str) -> str:
    return _check("stage", value.strip().lower(), STAGES)


def check_outcome(value: str) -> str:
    return _check("outcome", value.strip().lower().replace("_", "-").replace(" ", "-"), OUTCOMES)


def check_tier(value: str) -> str:
    return _check("tier", value.strip().upper(), TIERS)


def check_tag(value: str) -> str:
    tag = value.strip().lstrip("#").lower()
    if not tag or any(ch.isspace() or ch == "," for ch in tag) or len(tag) > 64:
        raise UsageError(
            f"invalid tag {value!r}", hint="a tag is one word, like vip or q3-pipeline"
        )
    return tag
