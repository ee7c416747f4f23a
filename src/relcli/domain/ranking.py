"""Who to contact next, and why: the only scorer (the model is in docs/ranking.md).

A score is filters, then reasons x weight. Every number shown by ``relcli why`` is a
``Term`` built here, and ``relcli today`` sorts by the same ``Score`` objects.
"""

import math
from itertools import pairwise
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from relcli.domain import vocabulary, when
from relcli.errors import ConfigError, UsageError

# --- configuration ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SignalKind:
    name: str
    weight: float
    half_life: int
    max_age: int
    description: str = ""


BUILTIN_KINDS: tuple[SignalKind, ...] = (
    SignalKind("pricing-request", 1.0, 7, 45, "asked for pricing"),
    SignalKind("demo-request", 1.0, 7, 45, "asked for a demo"),
    SignalKind("churn-risk", 1.0, 14, 90, "voiced a worry about staying"),
    SignalKind("job-change", 0.9, 30, 120, "moved to a new company"),
    SignalKind("funding", 0.8, 30, 120, "raised a funding round"),
    SignalKind("promotion", 0.6, 30, 90, "promoted at the same company"),
    SignalKind("exec-hire", 0.5, 21, 90, "a new leader at the account"),
    SignalKind("intent-surge", 0.4, 7, 21, "third-party intent data surged"),
    SignalKind("web-visit", 0.3, 3, 14, "visited the site or read content"),
)
CUSTOM_KIND = SignalKind("custom", 0.5, 14, 60, "defaults for a kind you define")
RENEWAL = "renewal"

DEFAULTS: dict[str, Any] = {
    "rank.followup.coefficient": 12.0,
    "rank.followup.knots": "-7:0,0:0.7,7:1.0",
    "rank.followup.undated": 0.3,
    "rank.followup.reply_owed_after": "1d",
    "rank.cadence.coefficient": 8.0,
    "rank.cadence.knots": "0.75:0,1.0:0.2,3.0:1.0",
    "rank.cadence.meeting_window": "14d",
    "rank.signal.coefficient": 10.0,
    "rank.signal.cap": 1.5,
    "rank.signal.addressed_factor": 0.25,
    "rank.signal.company_others_factor": 0.5,
    **{
        f"rank.signal.{k.name}.{attr}": value
        for k in (*BUILTIN_KINDS, CUSTOM_KIND)
        for attr, value in (
            ("weight", k.weight),
            ("half_life", f"{k.half_life}d"),
            ("max_age", f"{k.max_age}d"),
        )
    },
    "rank.signal.renewal.weight": 0.9,
    "rank.signal.renewal.open": "90d",
    "rank.signal.renewal.full": "30d",
    "rank.signal.renewal.after": "14d",
    "rank.signal.renewal.damp_recent": "14d",
    "rank.weight.strength": 1.0,
    "rank.weight.tier.A": 0.5,
    "rank.weight.tier.B": 0.25,
    "rank.weight.tier.C": 0.0,
    "rank.weight.tenure": 0.2,
    "rank.weight.deal": 0.5,
    "rank.strength.half_life": "90d",
    "rank.strength.saturation": 4.0,
    "rank.strength.w.meeting": 3.0,
    "rank.strength.w.call": 2.0,
    "rank.strength.w.inbound": 1.0,
    "rank.strength.w.outbound": 0.5,
    "rank.strength.w.attempt": 0.0,
    "rank.cap.cooldown": "2d",
    "rank.cap.max_outbound": 3,
    "rank.cap.window": "7d",
    "rank.list.min_score": 1.0,
    "rank.list.limit": 25,
}
KIND_ATTRS = ("weight", "half_life", "max_age")
_SPAN_KEYS = {k for k, v in DEFAULTS.items() if isinstance(v, str) and v.endswith("d")}


def _knots(key: str, raw: str) -> tuple[tuple[float, float], ...]:
    try:
        points = tuple(
            (float(x), float(y)) for x, y in (part.split(":") for part in raw.split(",") if part)
        )
    except ValueError as err:
        raise ConfigError(
            f"{key}: cannot read knots {raw!r}", hint="write them as x:y,x:y"
        ) from err
    if len(points) < 2 or any(b[0] <= a[0] for a, b in pairwise(points)):
        raise ConfigError(f"{key}: knots {raw!r} need two or more increasing x values")
    return points


def _coerce(key: str, default: Any, value: Any) -> Any:
    """``value`` in the type of ``default``: floats, whole numbers, spans ('2d') or knots."""
    if isinstance(default, bool) or isinstance(value, bool):
        raise ConfigError(f"{key}: expected a number, got {value!r}")
    if key in _SPAN_KEYS or (
        isinstance(default, str)
        and default.endswith("d")
        and key.endswith(("half_life", "max_age"))
    ):
        try:
            days = when.parse_span(str(value))
        except UsageError as err:
            raise ConfigError(f"{key}: {err}", hint=err.hint) from err
        return f"{days}d"
    if key.endswith(".knots"):
        _knots(key, str(value))
        return str(value)
    try:
        number = float(value)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"{key}: expected a number, got {value!r}") from err
    if not math.isfinite(number) or number < 0:
        raise ConfigError(f"{key}: expected a number of zero or more, got {value!r}")
    if isinstance(default, int):
        if number != int(number):
            raise ConfigError(f"{key}: expected a whole number, got {value!r}")
        return int(number)
    return number


@dataclass(frozen=True)
class RankConfig:
    """Every ``rank.*`` key with its value; ``overrides`` are the keys set by the user."""

    overrides: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_overrides(cls, flat: Mapping[str, Any]) -> "RankConfig":
        checked: dict[str, Any] = {}
        for key, value in flat.items():
            checked[key] = _coerce(key, cls._default_for(key), value)
        return cls(overrides=checked)

    def with_overrides(self, flat: Mapping[str, Any]) -> "RankConfig":
        return RankConfig.from_overrides({**self.overrides, **flat})

    @staticmethod
    def _default_for(key: str) -> Any:
        if key in DEFAULTS:
            return DEFAULTS[key]
        parts = key.split(".")
        # A user-defined signal kind: rank.signal.<kind>.weight|half_life|max_age
        if len(parts) == 4 and parts[:2] == ["rank", "signal"] and parts[3] in KIND_ATTRS:
            name = parts[2]
            valid = name and all(ch.isalnum() or ch == "-" for ch in name) and name.islower()
            if valid and name != RENEWAL:
                return DEFAULTS[f"rank.signal.custom.{parts[3]}"]
        raise ConfigError(
            f"unknown setting {key!r}", hint="see 'relcli config show rank' for every key"
        )

    @cached_property
    def values(self) -> dict[str, Any]:
        return {**DEFAULTS, **self.overrides}

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def number(self, key: str) -> float:
        return float(self.values[key])

    def days(self, key: str) -> int:
        return when.parse_span(str(self.values[key]))

    def knots(self, key: str) -> tuple[tuple[float, float], ...]:
        return _knots(key, str(self.values[key]))

    @cached_property
    def kinds(self) -> dict[str, SignalKind]:
        """Built-in signal kinds plus those defined under ``[rank.signal.<kind>]``."""
        names = [k.name for k in BUILTIN_KINDS]
        for key in self.values:
            parts = key.split(".")
            if (
                len(parts) == 4
                and parts[3] in KIND_ATTRS
                and parts[2] not in (*names, "custom", RENEWAL)
            ):
                names.append(parts[2])
        described = {k.name: k.description for k in BUILTIN_KINDS}
        out: dict[str, SignalKind] = {}
        for name in names:
            base = (
                f"rank.signal.{name}"
                if f"rank.signal.{name}.weight" in DEFAULTS
                else "rank.signal.custom"
            )

            def pick(attr: str, name: str = name, base: str = base) -> Any:
                return self.values.get(f"rank.signal.{name}.{attr}", self.values[f"{base}.{attr}"])

            out[name] = SignalKind(
                name,
                float(pick("weight")),
                when.parse_span(str(pick("half_life"))),
                when.parse_span(str(pick("max_age"))),
                described.get(name, "defined in config.toml"),
            )
        return out

    @cached_property
    def custom_kind(self) -> SignalKind:
        """The values for a stored signal whose kind is no longer configured."""
        return SignalKind(
            "custom",
            self.number("rank.signal.custom.weight"),
            self.days("rank.signal.custom.half_life"),
            self.days("rank.signal.custom.max_age"),
        )

    def check_kind(self, kind: str) -> str:
        name = kind.strip().lower().lstrip("!")
        if name not in self.kinds:
            raise UsageError(
                f"unknown signal kind {kind!r}",
                hint=f"use one of: {', '.join(self.kinds)} (or define one in config.toml)",
            )
        return name

    @property
    def fingerprint(self) -> str:
        """The settings the stored strength aggregates depend on."""
        keys = sorted(k for k in self.values if k.startswith("rank.strength."))
        return ";".join(f"{k}={self.values[k]}" for k in keys)


# --- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenFollowUp:
    id: int
    due_on: date | None
    reason: str | None = None


@dataclass(frozen=True)
class SignalFact:
    id: int
    kind: str
    observed_on: date
    note: str | None = None
    company: str | None = None  # set when the signal was recorded on the contact's company
    is_primary: bool = True  # whether the contact is that company's primary contact


@dataclass(frozen=True)
class Facts:
    """What ranking knows about one contact: its record, its policy and its aggregates."""

    id: int
    name: str
    stage: str = "lead"
    created_on: date = date(2000, 1, 1)
    company: str | None = None
    tags: frozenset[str] = frozenset()
    cadence_days: int | None = None
    cadence_source: str = "contact"
    tier: str | None = None
    preferred_channel: str | None = None
    reachable: frozenset[str] = frozenset(vocabulary.CHANNELS)
    opted_out: frozenset[str] = frozenset()
    do_not_contact: bool = False
    do_not_contact_reason: str | None = None
    do_not_contact_since: date | None = None
    snoozed_until: date | None = None
    renewal_on: date | None = None
    min_gap_days: int | None = None
    deal_value: float | None = None
    first_contact_on: date | None = None
    last_contact_on: date | None = None
    last_outbound_on: date | None = None
    reply_owed_since: date | None = None
    reply_channel: str | None = None
    recent_outbound: tuple[date, ...] = ()
    next_meeting_on: date | None = None
    strength_ref: float = 0.0
    strength_day: int = 0
    follow_ups: tuple[OpenFollowUp, ...] = ()
    signals: tuple[SignalFact, ...] = ()
    strength_detail: str | None = None


# --- outputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One row of the explanation: ``measure * coefficient = points``."""

    name: str
    measure: float
    coefficient: float
    detail: str
    headline: str = ""

    @property
    def points(self) -> float:
        return self.measure * self.coefficient


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str
    bypassed: bool = False


@dataclass(frozen=True)
class Score:
    contact_id: int
    name: str
    checks: tuple[Check, ...]
    reasons: tuple[Term, ...]
    weights: tuple[Term, ...]
    channel: str | None
    first_due_on: date | None
    strength: float
    last_contact_on: date | None
    warnings: tuple[str, ...] = ()

    @property
    def excluded_by(self) -> Check | None:
        return next((c for c in self.checks if not c.passed), None)

    @property
    def reason_total(self) -> float:
        return sum(t.points for t in self.reasons)

    @property
    def weight_total(self) -> float:
        return 1.0 + sum(t.points for t in self.weights)

    @property
    def total(self) -> float:
        return round(self.reason_total * self.weight_total, 2)

    @property
    def top(self) -> Term | None:
        positive = [t for t in self.reasons if t.points > 0]
        return max(positive, key=lambda t: t.points) if positive else None

    @property
    def headline(self) -> str:
        top = self.top
        return top.headline or top.detail if top else ""

    def is_listed(self, config: RankConfig) -> bool:
        return self.excluded_by is None and self.total >= config.number("rank.list.min_score")


# --- measures --------------------------------------------------------------------------------


def ramp(x: float, knots: Iterable[tuple[float, float]]) -> float:
    """Continuous piecewise-linear curve through ``knots``, flat beyond the ends, in [0, 1]."""
    pts = list(knots)
    if x <= pts[0][0]:
        y = pts[0][1]
    elif x >= pts[-1][0]:
        y = pts[-1][1]
    else:
        y = pts[-1][1]
        for (x0, y0), (x1, y1) in pairwise(pts):
            if x0 <= x <= x1:
                y = y0 + (y1 - y0) * (x - x0) / (x1 - x0)
                break
    return min(1.0, max(0.0, y))


def _days(n: int) -> str:
    return f"{n}d"


_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def when_words(day: date, today: date) -> str:
    """'today', 'yesterday', 'Tue' within the last week, else the ISO date."""
    delta = (today - day).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if 1 < delta < 7:
        return _WEEKDAY_NAMES[day.weekday()]  # English whatever the locale
    return day.isoformat()


def _due_words(days_overdue: int) -> str:
    if days_overdue == 0:
        return "due today"
    if days_overdue > 0:
        return f"{days_overdue}d overdue"
    return f"due in {-days_overdue}d"


def strength_points(facts: Facts, today: date, config: RankConfig) -> float:
    """Decayed interaction points as of ``today``: s_ref * 2^(-(today - t_ref)/H)."""
    half = config.days("rank.strength.half_life")
    points = facts.strength_ref * 2 ** (-(today.toordinal() - facts.strength_day) / half)
    # A meeting that was scheduled when the aggregates were written may have happened since.
    if facts.next_meeting_on and facts.next_meeting_on <= today:
        age = (today - facts.next_meeting_on).days
        points += config.number("rank.strength.w.meeting") * 2 ** (-age / half)
    return points


def last_touch(facts: Facts, today: date, config: RankConfig) -> date | None:
    """The last contact for cadence: a booked meeting within the window counts as one."""
    last = facts.last_contact_on
    meeting = facts.next_meeting_on
    if meeting and (meeting - today).days <= config.days("rank.cadence.meeting_window"):
        candidate = min(meeting, today)
        last = candidate if last is None else max(last, candidate)
    return last


def _followup_term(facts: Facts, today: date, config: RankConfig) -> Term:
    coef = config.number("rank.followup.coefficient")
    knots = config.knots("rank.followup.knots")
    best: tuple[float, str, str] | None = None
    for fu in facts.follow_ups:
        if fu.due_on is None:
            measure = config.number("rank.followup.undated")
            words = "open, no date"
        else:
            d = (today - fu.due_on).days
            measure = ramp(d, knots)
            words = _due_words(d)
        text = f"follow-up {words}" + (f": {fu.reason}" if fu.reason else "")
        if best is None or measure > best[0]:
            best = (measure, text, text)
    if facts.reply_owed_since:
        due = facts.reply_owed_since + timedelta(days=config.days("rank.followup.reply_owed_after"))
        measure = ramp((today - due).days, knots)
        channel = f" ({facts.reply_channel})" if facts.reply_channel else ""
        text = f"reply owed since {when_words(facts.reply_owed_since, today)}{channel}"
        if best is None or measure > best[0]:
            best = (measure, text, text)
    if best is None:
        return Term("followup", 0.0, coef, "none open")
    count = len(facts.follow_ups) + (1 if facts.reply_owed_since else 0)
    detail = best[1] + (f" (+{count - 1} more open)" if count > 1 else "")
    return Term("followup", best[0], coef, detail, headline=best[2])


def _cadence_term(facts: Facts, today: date, config: RankConfig) -> Term:
    coef = config.number("rank.cadence.coefficient")
    if not facts.cadence_days:
        return Term("cadence", 0.0, coef, "no cadence set")
    last = last_touch(facts, today, config)
    start = last or facts.created_on
    since = max(0, (today - start).days)
    ratio = since / facts.cadence_days
    measure = ramp(ratio, config.knots("rank.cadence.knots"))
    source = "" if facts.cadence_source == "contact" else f", from {facts.cadence_source}"
    clock = "" if last else " (never contacted; counted from when added)"
    detail = f"day {since} of {facts.cadence_days}-day cadence ({ratio:.2f}x){source}{clock}"
    return Term(
        "cadence",
        measure,
        coef,
        detail,
        headline=f"day {since} of {facts.cadence_days}-day cadence",
    )


def _renewal_measure(facts: Facts, today: date, config: RankConfig) -> tuple[float, str] | None:
    if facts.renewal_on is None:
        return None
    days_to = (facts.renewal_on - today).days
    opens, full, after = (
        config.days("rank.signal.renewal.open"),
        config.days("rank.signal.renewal.full"),
        config.days("rank.signal.renewal.after"),
    )
    if days_to > opens or days_to < -after:
        return None
    knots = ((-float(after), 0.0), (0.0, 1.0), (float(full), 1.0), (float(opens), 0.0))
    shape = ramp(float(days_to), knots)
    value = config.number("rank.signal.renewal.weight") * shape
    words = (
        f"renewal in {days_to}d"
        if days_to > 0
        else "renewal today"
        if days_to == 0
        else f"renewal {-days_to}d ago"
    )
    damp = config.days("rank.signal.renewal.damp_recent")
    if facts.last_contact_on and (today - facts.last_contact_on).days <= damp:
        value *= config.number("rank.signal.addressed_factor")
        words += f", touched in the last {damp}d"
    return value, words


def _addressed_by(facts: Facts, observed_on: date, today: date, config: RankConfig) -> str | None:
    """How a signal was acted on: an outbound touch after it, or a meeting booked soon."""
    if facts.last_outbound_on is not None and facts.last_outbound_on > observed_on:
        return f"addressed {when_words(facts.last_outbound_on, today)}"
    meeting = facts.next_meeting_on
    if (
        meeting
        and meeting > observed_on
        and (meeting - today).days <= config.days("rank.cadence.meeting_window")
    ):
        return f"addressed: meeting booked {meeting}"
    return None


def _signal_terms(facts: Facts, today: date, config: RankConfig) -> list[Term]:
    coef = config.number("rank.signal.coefficient")
    kinds = config.kinds
    best: dict[str, tuple[float, str, str]] = {}
    addressed_factor = config.number("rank.signal.addressed_factor")
    for sig in facts.signals:
        kind = kinds.get(sig.kind) or config.custom_kind
        age = max(0, (today - sig.observed_on).days)
        if age > kind.max_age or sig.observed_on > today:
            continue
        value = kind.weight * 2 ** (-age / kind.half_life)
        parts = [f"{age}d old", f"w {kind.weight:g}, half-life {kind.half_life}d"]
        if sig.company:
            if not sig.is_primary:
                value *= config.number("rank.signal.company_others_factor")
                parts.append(f"via {sig.company}, not primary contact")
            else:
                parts.append(f"via {sig.company}")
        touch = _addressed_by(facts, sig.observed_on, today, config)
        if touch is not None:
            value *= addressed_factor
            parts.append(touch)
        else:
            parts.append("not yet addressed")
        note = f' "{sig.note}"' if sig.note else ""
        detail = f"{sig.kind}{note}, " + ", ".join(parts)
        via = f" via {sig.company}" if sig.company else ""
        headline = f"{sig.kind} {age}d ago{via}" if age else f"{sig.kind} today{via}"
        if sig.kind not in best or value > best[sig.kind][0]:
            best[sig.kind] = (value, detail, headline)
    renewal = _renewal_measure(facts, today, config)
    if renewal and renewal[0] > 0:
        best[RENEWAL] = (renewal[0], renewal[1], renewal[1].split(",")[0])
    terms = [
        Term("signal", value, coef, detail, headline=headline)
        for value, detail, headline in sorted(best.values(), key=lambda v: -v[0])
    ]
    total = sum(v for v, _, _ in best.values())
    cap = config.number("rank.signal.cap")
    if total > cap:
        terms.append(Term("signal cap", cap - total, coef, f"signals capped at {cap:g}"))
    return terms


def _weight_terms(facts: Facts, today: date, config: RankConfig) -> tuple[list[Term], float]:
    s = strength_points(facts, today, config)
    m = s / (s + config.number("rank.strength.saturation")) if s > 0 else 0.0
    detail = f"{s:.2f} decayed pts" + (
        f" ({facts.strength_detail})" if facts.strength_detail else ""
    )
    if s == 0:
        detail = "no two-way contact yet"
    terms = [Term("strength", m, config.number("rank.weight.strength"), detail)]
    if facts.tier:
        terms.append(
            Term("tier", 1.0, config.number(f"rank.weight.tier.{facts.tier}"), f"tier {facts.tier}")
        )
    else:
        terms.append(Term("tier", 0.0, 0.0, "none"))
    if facts.first_contact_on:
        known = max(0, (today - facts.first_contact_on).days)
        terms.append(
            Term(
                "tenure",
                min(1.0, known / 730),
                config.number("rank.weight.tenure"),
                f"known {known}d of 730d",
            )
        )
    else:
        terms.append(Term("tenure", 0.0, config.number("rank.weight.tenure"), "no contact yet"))
    if facts.deal_value:
        measure = min(1.0, math.log10(1 + facts.deal_value / 1000) / 3)
        terms.append(
            Term(
                "deal",
                measure,
                config.number("rank.weight.deal"),
                f"deal value {facts.deal_value:,.0f}",
            )
        )
    return terms, m


def _checks(
    facts: Facts,
    today: date,
    config: RankConfig,
    channel_mode: str | None,
    channel_order: tuple[str, ...],
) -> tuple[list[Check], str | None]:
    checks: list[Check] = []
    if facts.do_not_contact:
        since = f" since {facts.do_not_contact_since}" if facts.do_not_contact_since else ""
        why = f": {facts.do_not_contact_reason}" if facts.do_not_contact_reason else ""
        checks.append(Check("do-not-contact", False, f"asked not to be contacted{since}{why}"))
    else:
        checks.append(Check("do-not-contact", True, "no"))
    if facts.snoozed_until and facts.snoozed_until > today:
        checks.append(Check("snooze", False, f"snoozed until {facts.snoozed_until}"))
    else:
        checks.append(Check("snooze", True, "none"))
    allowed = [c for c in channel_order if c in facts.reachable and c not in facts.opted_out]
    channel: str | None = None
    if channel_mode:
        if channel_mode in allowed:
            channel = channel_mode
            checks.append(Check("channel", True, f"{channel_mode} (asked for, allowed)"))
        else:
            why = "opted out" if channel_mode in facts.opted_out else "not reachable"
            checks.append(Check("channel", False, f"{channel_mode} {why}"))
    elif not allowed:
        opted = ", ".join(sorted(facts.opted_out)) or "none"
        checks.append(
            Check(
                "channel",
                False,
                f"no allowed channel (opted out: {opted}; no reachable channel left)",
            )
        )
    elif facts.preferred_channel in allowed:
        channel = facts.preferred_channel
        checks.append(Check("channel", True, f"{channel} (preferred, allowed)"))
    else:
        channel = allowed[0]
        pref = (
            f"; preferred {facts.preferred_channel} not allowed" if facts.preferred_channel else ""
        )
        checks.append(Check("channel", True, f"{channel} (first allowed{pref})"))
    checks.append(_cap_check(facts, today, config))
    return checks, channel


def _cap_check(facts: Facts, today: date, config: RankConfig) -> Check:
    window = config.days("rank.cap.window")
    max_out = int(config["rank.cap.max_outbound"])
    cooldown = max(config.days("rank.cap.cooldown"), facts.min_gap_days or 0)
    recent = [d for d in facts.recent_outbound if 0 <= (today - d).days < window]
    last = facts.last_outbound_on
    since = (today - last).days if last else None
    last_words = f"last {since}d ago" if since is not None else "no outbound yet"
    base = f"{len(recent)} outbound in {window}d (max {max_out}); {last_words}"
    problem = None
    if max_out and len(recent) >= max_out:
        problem = f"{len(recent)}/{max_out} in {window}d"
    elif since is not None and since < cooldown:
        gap = (
            "their minimum gap"
            if facts.min_gap_days and facts.min_gap_days >= cooldown
            else "cooldown"
        )
        problem = f"{gap} {cooldown}d, last outbound {since}d ago"
    if problem is None:
        return Check("frequency cap", True, base)
    due = [fu for fu in facts.follow_ups if fu.due_on is not None and fu.due_on <= today]
    reply_due = (
        facts.reply_owed_since is not None
        and facts.reply_owed_since + timedelta(days=config.days("rank.followup.reply_owed_after"))
        <= today
    )
    if due:
        first = min(fu.due_on for fu in due if fu.due_on)
        return Check(
            "frequency cap",
            True,
            f"{problem}, bypassed by follow-up due {when_words(first, today)}",
            bypassed=True,
        )
    if reply_due:
        return Check("frequency cap", True, f"{problem}, bypassed by reply owed", bypassed=True)
    return Check("frequency cap", False, f"{problem}; no follow-up due")


def score(
    facts: Facts,
    today: date,
    config: RankConfig,
    *,
    channel: str | None = None,
    channel_order: tuple[str, ...] = vocabulary.CHANNELS,
) -> Score:
    """The full score of one contact: the filters checked, the reasons and the weight."""
    checks, suggested = _checks(facts, today, config, channel, channel_order)
    reasons = [_followup_term(facts, today, config), _cadence_term(facts, today, config)]
    reasons.extend(_signal_terms(facts, today, config))
    weights, strength = _weight_terms(facts, today, config)
    warnings = []
    if facts.do_not_contact and facts.follow_ups:
        warnings.append("open follow-up but contact opted out")
    dated = [fu.due_on for fu in facts.follow_ups if fu.due_on is not None]
    return Score(
        contact_id=facts.id,
        name=facts.name,
        checks=tuple(checks),
        reasons=tuple(reasons),
        weights=tuple(weights),
        channel=suggested,
        first_due_on=min(dated) if dated else None,
        strength=strength,
        last_contact_on=facts.last_contact_on,
        warnings=tuple(warnings),
    )


TIE_BREAKERS = (
    "score",
    "largest single reason",
    "earliest follow-up due",
    "stronger relationship",
    "longer since last contact",
    "name",
    "id",
)


def sort_key(s: Score) -> tuple[Any, ...]:
    top = s.top
    return (
        -s.total,
        -round(top.points, 2) if top else 0.0,
        s.first_due_on or date.max,
        -round(s.strength, 4),
        s.last_contact_on or date.min,
        s.name.casefold(),
        s.contact_id,
    )


def tie_breaker(a: Score, b: Score) -> str | None:
    """Which rule put ``a`` before ``b`` when their displayed scores are equal."""
    ka, kb = sort_key(a), sort_key(b)
    if ka[0] != kb[0]:
        return None
    for name, x, y in zip(TIE_BREAKERS[1:], ka[1:], kb[1:], strict=True):
        if x != y:
            return name
    return None


def rank(scores: Iterable[Score], config: RankConfig) -> list[Score]:
    """The listed scores, best first (the limit is applied by the caller)."""
    return sorted((s for s in scores if s.is_listed(config)), key=sort_key)


def with_channel_order(facts: Facts, order: tuple[str, ...]) -> Facts:
    return replace(facts, reachable=frozenset(c for c in facts.reachable if c in order))
