"""Who to contact next, and why: the only scorer (the model is in docs/ranking.md).

A score is filters, then reasons x weight. Every number shown by ``relcli why`` is a
``Term`` built here, and ``relcli today`` sorts by the same ``Score`` objects.
"""

import heapq
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from itertools import pairwise
from typing import Any, NamedTuple

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


_HINT = "see 'relcli config show rank' for every key and its default"


def _coerce(key: str, default: Any, value: Any) -> Any:
    """``value`` in the type of ``default``: floats, whole numbers, spans ('2d') or knots."""
    if isinstance(default, bool) or isinstance(value, bool):
        raise ConfigError(f"{key}: expected a number, got {value!r}", hint=_HINT)
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
        raise ConfigError(f"{key}: expected a number, got {value!r}", hint=_HINT) from err
    if not math.isfinite(number) or number < 0:
        raise ConfigError(f"{key}: expected a number of zero or more, got {value!r}", hint=_HINT)
    if isinstance(default, int):
        if number != int(number):
            raise ConfigError(f"{key}: expected a whole number, got {value!r}", hint=_HINT)
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

    @cached_property
    def _memo(self) -> dict[tuple[str, str], Any]:
        return {}

    def number(self, key: str) -> float:
        memo = self._memo
        if ("n", key) not in memo:
            memo["n", key] = float(self.values[key])
        return memo["n", key]  # type: ignore[no-any-return]

    def days(self, key: str) -> int:
        memo = self._memo
        if ("d", key) not in memo:
            memo["d", key] = when.parse_span(str(self.values[key]))
        return memo["d", key]  # type: ignore[no-any-return]

    def knots(self, key: str) -> tuple[tuple[float, float], ...]:
        memo = self._memo
        if ("k", key) not in memo:
            memo["k", key] = _knots(key, str(self.values[key]))
        return memo["k", key]  # type: ignore[no-any-return]

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


@dataclass(slots=True)
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
#
# Terms and checks carry their raw inputs and a module-level function that words them: the
# numbers are computed once for every candidate, the words only for the rows that are shown.


def _same(text: str) -> str:
    return text


class Term(NamedTuple):
    """One row of the explanation: ``measure * coefficient = points``."""

    name: str
    measure: float
    coefficient: float
    describe: Callable[..., str] = _same
    inputs: tuple[Any, ...] = ("",)
    summarize: Callable[..., str] | None = None

    @property
    def points(self) -> float:
        return self.measure * self.coefficient

    @property
    def detail(self) -> str:
        return self.describe(*self.inputs)

    @property
    def headline(self) -> str:
        return (self.summarize or self.describe)(*self.inputs)


class Check(NamedTuple):
    name: str
    passed: bool
    describe: Callable[..., str] = _same
    inputs: tuple[Any, ...] = ("",)
    bypassed: bool = False

    @property
    def detail(self) -> str:
        return self.describe(*self.inputs)


class Score:
    """A contact's whole score; totals are computed once, when it is made."""

    __slots__ = (
        "channel", "checks", "contact_id", "excluded_by", "first_due_on", "last_contact_on",
        "name", "reason_total", "reasons", "strength", "top", "total", "warnings",
        "weight_total", "weights",
    )  # fmt: skip

    def __init__(
        self,
        contact_id: int,
        name: str,
        checks: tuple[Check, ...],
        reasons: tuple[Term, ...],
        weights: tuple[Term, ...],
        channel: str | None,
        first_due_on: date | None,
        strength: float,
        last_contact_on: date | None,
        warnings: tuple[str, ...] = (),
    ) -> None:
        self.contact_id, self.name, self.channel = contact_id, name, channel
        self.checks, self.reasons, self.weights = checks, reasons, weights
        self.first_due_on, self.strength, self.last_contact_on = (
            first_due_on,
            strength,
            last_contact_on,
        )
        self.warnings = warnings
        excluded = None
        for c in checks:
            if not c[1]:
                excluded = c
                break
        self.excluded_by: Check | None = excluded
        top, best, reasons_total = None, 0.0, 0.0
        for t in reasons:
            points = t[1] * t[2]
            reasons_total += points
            if points > best:
                top, best = t, points
        weight_total = 1.0
        for t in weights:
            weight_total += t[1] * t[2]
        self.reason_total: float = reasons_total
        self.weight_total: float = weight_total
        self.total: float = round(reasons_total * weight_total, 2)
        self.top: Term | None = top

    def __repr__(self) -> str:
        return f"Score(#{self.contact_id} {self.name!r}, {self.total})"

    @property
    def headline(self) -> str:
        top = self.top
        return top.headline if top else ""

    def is_listed(self, config: RankConfig) -> bool:
        return self.excluded_by is None and self.total >= config.number("rank.list.min_score")


# --- measures --------------------------------------------------------------------------------


def ramp(x: float, knots: Iterable[tuple[float, float]]) -> float:
    """Continuous piecewise-linear curve through ``knots``, flat beyond the ends, in [0, 1]."""
    pts = knots if isinstance(knots, tuple) else tuple(knots)
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


class _Params:
    """Every setting the scorer reads, parsed once per RankConfig."""

    def __init__(self, c: RankConfig) -> None:
        self.fu_coef = c.number("rank.followup.coefficient")
        self.fu_knots = c.knots("rank.followup.knots")
        self.fu_undated = c.number("rank.followup.undated")
        self.reply_after = c.days("rank.followup.reply_owed_after")
        self.cad_coef = c.number("rank.cadence.coefficient")
        self.cad_knots = c.knots("rank.cadence.knots")
        self.meeting_window = c.days("rank.cadence.meeting_window")
        self.sig_coef = c.number("rank.signal.coefficient")
        self.sig_cap = c.number("rank.signal.cap")
        self.addressed = c.number("rank.signal.addressed_factor")
        self.others = c.number("rank.signal.company_others_factor")
        self.kinds = c.kinds
        self.custom = c.custom_kind
        self.renewal_w = c.number("rank.signal.renewal.weight")
        self.renewal_open = c.days("rank.signal.renewal.open")
        self.renewal_full = c.days("rank.signal.renewal.full")
        self.renewal_after = c.days("rank.signal.renewal.after")
        self.renewal_damp = c.days("rank.signal.renewal.damp_recent")
        self.w_strength = c.number("rank.weight.strength")
        self.tiers = {t: c.number(f"rank.weight.tier.{t}") for t in vocabulary.TIERS}
        self.w_tenure = c.number("rank.weight.tenure")
        self.w_deal = c.number("rank.weight.deal")
        self.half = c.days("rank.strength.half_life")
        self.saturation = c.number("rank.strength.saturation")
        self.w_meeting = c.number("rank.strength.w.meeting")
        self.cooldown = c.days("rank.cap.cooldown")
        self.max_out = int(c["rank.cap.max_outbound"])
        self.window = c.days("rank.cap.window")
        # The rows most contacts share, made once.
        self.no_followup = Term("followup", 0.0, self.fu_coef, _same, ("none open",))
        self.no_cadence = Term("cadence", 0.0, self.cad_coef, _same, ("no cadence set",))
        self.no_tenure = Term("tenure", 0.0, self.w_tenure, _tenure_detail, (None,))


_NO_TIER = Term("tier", 0.0, 0.0, _same, ("none",))
_DNC_PASSED = Check("do-not-contact", True, _same, ("no",))
_SNOOZE_PASSED = Check("snooze", True, _same, ("none",))


def _params(config: RankConfig) -> _Params:
    memo = config._memo
    found = memo.get(("p", ""))
    if found is None:
        found = memo["p", ""] = _Params(config)
    return found


def strength_points(facts: Facts, today: date, config: RankConfig) -> float:
    """Decayed interaction points as of ``today``: s_ref * 2^(-(today - t_ref)/H)."""
    half = _params(config).half
    return facts.strength_ref * 2 ** (-(today.toordinal() - facts.strength_day) / half)


def last_touch(facts: Facts, today: date, config: RankConfig) -> date | None:
    """The last contact for cadence: a booked meeting within the window counts as one."""
    last = facts.last_contact_on
    meeting = facts.next_meeting_on
    if meeting and (meeting - today).days <= _params(config).meeting_window:
        candidate = min(meeting, today)
        last = candidate if last is None else max(last, candidate)
    return last


def _followup_words(text: str, more: int) -> str:
    return text + (f" (+{more} more open)" if more else "")


def _followup_text(kind: str, value: Any, reason: str | None, today: date) -> str:
    if kind == "undated":
        words = "follow-up open, no date"
    elif kind == "dated":
        words = f"follow-up {_due_words(value)}"
    else:
        channel = f" ({reason})" if reason else ""
        return f"reply owed since {when_words(value, today)}{channel}"
    return words + (f": {reason}" if reason else "")


def _followup_detail(kind: str, value: Any, reason: str | None, today: date, more: int) -> str:
    return _followup_words(_followup_text(kind, value, reason, today), more)


def _followup_headline(kind: str, value: Any, reason: str | None, today: date, _more: int) -> str:
    return _followup_text(kind, value, reason, today)


def _followup_term(facts: Facts, today: date, p: _Params) -> Term:
    best: tuple[float, str, Any, str | None] | None = None
    candidate: tuple[float, str, Any, str | None]
    for fu in facts.follow_ups:
        if fu.due_on is None:
            candidate = (p.fu_undated, "undated", None, fu.reason)
        else:
            d = (today - fu.due_on).days
            candidate = (ramp(d, p.fu_knots), "dated", d, fu.reason)
        if best is None or candidate[0] > best[0]:
            best = candidate
    owed = facts.reply_owed_since
    if owed:
        due = owed + timedelta(days=p.reply_after)
        candidate = (ramp((today - due).days, p.fu_knots), "reply", owed, facts.reply_channel)
        if best is None or candidate[0] > best[0]:
            best = candidate
    if best is None:
        return p.no_followup
    count = len(facts.follow_ups) + (1 if owed else 0)
    inputs = (best[1], best[2], best[3], today, count - 1)
    return Term("followup", best[0], p.fu_coef, _followup_detail, inputs, _followup_headline)


def _cadence_detail(
    since: int, cadence: int, ratio: float, source: str, never: bool, booked: date | None
) -> str:
    origin = "" if source == "contact" else f", from {source}"
    clock = " (never contacted; counted from when added)" if never else ""
    if booked is not None:
        clock = f" (meeting booked {booked} counts as contact)"
    return f"day {since} of {cadence}-day cadence ({ratio:.2f}x){origin}{clock}"


def _cadence_headline(since: int, cadence: int, *_: Any) -> str:
    return f"day {since} of {cadence}-day cadence"


def _cadence_term(facts: Facts, today: date, p: _Params, config: RankConfig) -> Term:
    if not facts.cadence_days:
        return p.no_cadence
    last = last_touch(facts, today, config)
    since = max(0, (today - (last or facts.created_on)).days)
    ratio = since / facts.cadence_days
    booked = facts.next_meeting_on if last is not None and last != facts.last_contact_on else None
    inputs = (since, facts.cadence_days, ratio, facts.cadence_source, last is None, booked)
    return Term(
        "cadence", ramp(ratio, p.cad_knots), p.cad_coef, _cadence_detail, inputs, _cadence_headline
    )


def _renewal_words(days_to: int) -> str:
    if days_to > 0:
        return f"renewal in {days_to}d"
    return "renewal today" if days_to == 0 else f"renewal {-days_to}d ago"


def _renewal_detail(days_to: int, damped: int | None) -> str:
    touched = f", touched in the last {damped}d" if damped is not None else ""
    return _renewal_words(days_to) + touched


def _renewal_headline(days_to: int, _damped: int | None) -> str:
    return _renewal_words(days_to)


def _renewal_term(facts: Facts, today: date, p: _Params) -> Term | None:
    if facts.renewal_on is None:
        return None
    days_to = (facts.renewal_on - today).days
    if days_to > p.renewal_open or days_to < -p.renewal_after:
        return None
    knots = (
        (-float(p.renewal_after), 0.0),
        (0.0, 1.0),
        (float(p.renewal_full), 1.0),
        (float(p.renewal_open), 0.0),
    )
    value = p.renewal_w * ramp(float(days_to), knots)
    damped = None
    if facts.last_contact_on and (today - facts.last_contact_on).days <= p.renewal_damp:
        value *= p.addressed
        damped = p.renewal_damp
    if value <= 0:
        return None
    return Term("signal", value, p.sig_coef, _renewal_detail, (days_to, damped), _renewal_headline)


def _addressed_by(facts: Facts, observed_on: date, today: date, p: _Params) -> str | None:
    """How a signal was acted on: an outbound touch after it, or a meeting booked soon."""
    if facts.last_outbound_on is not None and facts.last_outbound_on > observed_on:
        return f"addressed {when_words(facts.last_outbound_on, today)}"
    meeting = facts.next_meeting_on
    if meeting and meeting > observed_on and (meeting - today).days <= p.meeting_window:
        return f"addressed: meeting booked {meeting}"
    return None


def _signal_detail(sig: SignalFact, kind: SignalKind, age: int, addressed: str | None) -> str:
    parts = [f"{age}d old", f"w {kind.weight:g}, half-life {kind.half_life}d"]
    if sig.company:
        parts.append(f"via {sig.company}" + ("" if sig.is_primary else ", not primary contact"))
    parts.append(addressed or "not yet addressed")
    note = f' "{sig.note}"' if sig.note else ""
    return f"{sig.kind}{note}, " + ", ".join(parts)


def _signal_headline(sig: SignalFact, _kind: SignalKind, age: int, _addressed: str | None) -> str:
    via = f" via {sig.company}" if sig.company else ""
    return f"{sig.kind} {age}d ago{via}" if age else f"{sig.kind} today{via}"


def _cap_detail(cap: float) -> str:
    return f"signals capped at {cap:g}"


def _signal_terms(facts: Facts, today: date, p: _Params) -> list[Term]:
    best: dict[str, Term] = {}
    for sig in facts.signals:
        kind = p.kinds.get(sig.kind) or p.custom
        age = (today - sig.observed_on).days
        if age > kind.max_age or age < 0:
            continue
        value = kind.weight * 2 ** (-age / kind.half_life)
        if sig.company and not sig.is_primary:
            value *= p.others
        addressed = _addressed_by(facts, sig.observed_on, today, p)
        if addressed is not None:
            value *= p.addressed
        held = best.get(sig.kind)
        if held is None or value > held.measure:
            inputs = (sig, kind, age, addressed)
            best[sig.kind] = Term(
                "signal", value, p.sig_coef, _signal_detail, inputs, _signal_headline
            )
    renewal = _renewal_term(facts, today, p)
    if renewal is not None:
        best[RENEWAL] = renewal
    if not best:
        return []
    terms = sorted(best.values(), key=lambda t: -t.measure)
    total = sum(t.measure for t in terms)
    if total > p.sig_cap:
        terms.append(Term("signal cap", p.sig_cap - total, p.sig_coef, _cap_detail, (p.sig_cap,)))
    return terms


def _strength_detail(s: float, extra: str | None) -> str:
    if s == 0:
        return "no two-way contact yet"
    return f"{s:.2f} decayed pts" + (f" ({extra})" if extra else "")


def _tenure_detail(known: int | None) -> str:
    return "no contact yet" if known is None else f"known {known}d of 730d"


def _deal_detail(value: float) -> str:
    return f"deal value {value:,.0f}"


def _weight_terms(
    facts: Facts, today: date, p: _Params, config: RankConfig
) -> tuple[list[Term], float]:
    s = strength_points(facts, today, config)
    m = s / (s + p.saturation) if s > 0 else 0.0
    terms = [Term("strength", m, p.w_strength, _strength_detail, (s, facts.strength_detail))]
    if facts.tier:
        terms.append(Term("tier", 1.0, p.tiers[facts.tier], _same, (f"tier {facts.tier}",)))
    else:
        terms.append(_NO_TIER)
    if facts.first_contact_on:
        known = max(0, (today - facts.first_contact_on).days)
        terms.append(Term("tenure", min(1.0, known / 730), p.w_tenure, _tenure_detail, (known,)))
    else:
        terms.append(p.no_tenure)
    if facts.deal_value:
        measure = min(1.0, math.log10(1 + facts.deal_value / 1000) / 3)
        terms.append(Term("deal", measure, p.w_deal, _deal_detail, (facts.deal_value,)))
    return terms, m


def _dnc_detail(since: date | None, reason: str | None) -> str:
    when_ = f" since {since}" if since else ""
    why = f": {reason}" if reason else ""
    return f"asked not to be contacted{when_}{why}"


def _channel_detail(kind: str, channel: str | None, extra: Any) -> str:
    if kind == "mode":
        return f"{channel} (asked for, allowed)"
    if kind == "mode-refused":
        return f"{channel} {extra}"
    if kind == "none":
        opted = ", ".join(sorted(extra)) or "none"
        return f"no allowed channel (opted out: {opted}; no reachable channel left)"
    if kind == "preferred":
        return f"{channel} (preferred, allowed)"
    pref = f"; preferred {extra} not allowed" if extra else ""
    return f"{channel} (first allowed{pref})"


def _checks(
    facts: Facts, today: date, p: _Params, channel_mode: str | None, channel_order: tuple[str, ...]
) -> tuple[list[Check], str | None]:
    checks: list[Check] = []
    if facts.do_not_contact:
        inputs = (facts.do_not_contact_since, facts.do_not_contact_reason)
        checks.append(Check("do-not-contact", False, _dnc_detail, inputs))
    else:
        checks.append(_DNC_PASSED)
    if facts.snoozed_until and facts.snoozed_until > today:
        checks.append(Check("snooze", False, _same, (f"snoozed until {facts.snoozed_until}",)))
    else:
        checks.append(_SNOOZE_PASSED)
    reachable, opted = facts.reachable, facts.opted_out
    allowed = [c for c in channel_order if c in reachable and c not in opted]
    channel: str | None = None
    if channel_mode:
        if channel_mode in allowed:
            channel = channel_mode
            checks.append(Check("channel", True, _channel_detail, ("mode", channel, None)))
        else:
            why = "opted out" if channel_mode in opted else "not reachable"
            checks.append(
                Check("channel", False, _channel_detail, ("mode-refused", channel_mode, why))
            )
    elif not allowed:
        checks.append(Check("channel", False, _channel_detail, ("none", None, opted)))
    elif facts.preferred_channel in allowed:
        channel = facts.preferred_channel
        checks.append(Check("channel", True, _channel_detail, ("preferred", channel, None)))
    else:
        channel = allowed[0]
        checks.append(
            Check("channel", True, _channel_detail, ("first", channel, facts.preferred_channel))
        )
    checks.append(_cap_check(facts, today, p))
    if facts.do_not_contact:
        channel = None  # never suggest a way to reach someone who asked not to be reached
    return checks, channel


def _cap_words(kind: str, *a: Any) -> str:
    if kind == "ok":
        recent, window, max_out, since = a
        last = f"last {since}d ago" if since is not None else "no outbound yet"
        return f"{recent} outbound in {window}d (max {max_out}); {last}"
    problem = a[0]
    if kind == "bypass-follow-up":
        return f"{problem}, bypassed by follow-up due {when_words(a[1], a[2])}"
    if kind == "bypass-reply":
        return f"{problem}, bypassed by reply owed"
    return f"{problem}; no follow-up due"


def _cap_check(facts: Facts, today: date, p: _Params) -> Check:
    window, max_out = p.window, p.max_out
    cooldown = max(p.cooldown, facts.min_gap_days or 0)
    recent = sum(1 for d in facts.recent_outbound if 0 <= (today - d).days < window)
    last = facts.last_outbound_on
    since = (today - last).days if last else None
    problem = None
    if max_out and recent >= max_out:
        problem = f"{recent}/{max_out} in {window}d"
    elif since is not None and since < cooldown:
        own = facts.min_gap_days and facts.min_gap_days >= cooldown
        gap = "their minimum gap" if own else "cooldown"
        problem = f"{gap} {cooldown}d, last outbound {since}d ago"
    if problem is None:
        return Check("frequency cap", True, _cap_words, ("ok", recent, window, max_out, since))
    due = [fu.due_on for fu in facts.follow_ups if fu.due_on is not None and fu.due_on <= today]
    if due:
        inputs = ("bypass-follow-up", problem, min(due), today)
        return Check("frequency cap", True, _cap_words, inputs, bypassed=True)
    owed = facts.reply_owed_since
    if owed is not None and owed + timedelta(days=p.reply_after) <= today:
        return Check("frequency cap", True, _cap_words, ("bypass-reply", problem), bypassed=True)
    return Check("frequency cap", False, _cap_words, ("capped", problem))


def score(
    facts: Facts,
    today: date,
    config: RankConfig,
    *,
    channel: str | None = None,
    channel_order: tuple[str, ...] = vocabulary.CHANNELS,
) -> Score:
    """The full score of one contact: the filters checked, the reasons and the weight."""
    p = _params(config)
    checks, suggested = _checks(facts, today, p, channel, channel_order)
    reasons = [_followup_term(facts, today, p), _cadence_term(facts, today, p, config)]
    if facts.signals or facts.renewal_on:
        reasons.extend(_signal_terms(facts, today, p))
    weights, strength = _weight_terms(facts, today, p, config)
    warnings = (
        ("open follow-up but contact opted out",)
        if facts.do_not_contact and facts.follow_ups
        else ()
    )
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
        warnings=warnings,
    )


def upper_bound(
    config: RankConfig,
    today: date,
    *,
    strength_ref: float,
    strength_day: int,
    tier: str | None,
    has_deal: bool,
    first_due_on: date | None,
    has_undated: bool,
    reply_owed_since: date | None,
    cadence_days: int | None,
    days_since_contact: int | None,
    signals: Iterable[tuple[str, date]],
    renewal_on: date | None,
) -> float:
    """A number no smaller than ``score(...).total`` for the same contact, from a few facts.

    It drops everything that can only lower a score (filters, the addressed and company
    factors, booked meetings, tenure below its maximum), so ``relcli today`` can rank by
    scoring only the contacts whose bound can still beat the N-th exact score.
    """
    p = _params(config)
    fu = 0.0
    if first_due_on is not None:
        fu = ramp((today - first_due_on).days, p.fu_knots)  # the earliest due one scores most
    if has_undated:
        fu = max(fu, p.fu_undated)
    if reply_owed_since is not None:
        due = reply_owed_since + timedelta(days=p.reply_after)
        fu = max(fu, ramp((today - due).days, p.fu_knots))
    cadence = 0.0
    if cadence_days and days_since_contact is not None:
        cadence = ramp(days_since_contact / cadence_days, p.cad_knots)
    best: dict[str, float] = {}
    for kind_name, observed_on in signals:
        kind = p.kinds.get(kind_name) or p.custom
        age = (today - observed_on).days
        if 0 <= age <= kind.max_age:
            value = kind.weight * 2 ** (-age / kind.half_life)
            if value > best.get(kind_name, 0.0):
                best[kind_name] = value
    if renewal_on is not None and -p.renewal_after <= (renewal_on - today).days <= p.renewal_open:
        best[RENEWAL] = p.renewal_w
    signal = min(sum(best.values()), p.sig_cap)
    s = strength_ref * 2 ** (-(today.toordinal() - strength_day) / p.half)
    weight = 1.0 + p.w_strength * (s / (s + p.saturation) if s > 0 else 0.0) + p.w_tenure
    if tier:
        weight += p.tiers[tier]
    if has_deal:
        weight += p.w_deal
    return (fu * p.fu_coef + cadence * p.cad_coef + signal * p.sig_coef) * weight


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


def rank(scores: Iterable[Score], config: RankConfig, limit: int | None = None) -> list[Score]:
    """The listed scores, best first; with ``limit``, only the first ``limit`` of them."""
    listed = [s for s in scores if s.is_listed(config)]
    if limit is not None and limit < len(listed):
        return heapq.nsmallest(limit, listed, key=sort_key)
    return sorted(listed, key=sort_key)
