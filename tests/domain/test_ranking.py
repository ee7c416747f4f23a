"""Pure tests for relcli.domain.ranking: filters, reasons x weight, ties (RANKING.md)."""

import math
import re
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcli.domain.aggregates import Event, fold
from relcli.domain.ranking import (
    BUILTIN_KINDS,
    DEFAULTS,
    TIE_BREAKERS,
    Check,
    Facts,
    OpenFollowUp,
    RankConfig,
    Score,
    SignalFact,
    SignalKind,
    Term,
    ramp,
    rank,
    score,
    sort_key,
    strength_points,
    tie_breaker,
)
from relcli.errors import ConfigError, UsageError

TODAY = date(2025, 6, 16)
DEFAULT = RankConfig()
FOLLOWUP_KNOTS = ((-7.0, 0.0), (0.0, 0.7), (7.0, 1.0))
CADENCE_KNOTS = ((0.75, 0.0), (1.0, 0.2), (3.0, 1.0))


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def facts(**changes: Any) -> Facts:
    """A reachable contact with nothing going on, changed by ``changes``."""
    base = Facts(id=1, name="Ann Lee", created_on=date(2024, 1, 1))
    return replace(base, **changes)


def check(s: Score, name: str) -> Check:
    return next(c for c in s.checks if c.name == name)


def reason(s: Score, name: str) -> Term:
    return next(t for t in s.reasons if t.name == name)


def weight(s: Score, name: str) -> Term:
    return next(t for t in s.weights if t.name == name)


def signals(s: Score) -> list[Term]:
    return [t for t in s.reasons if t.name == "signal"]


# --- ramp -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "y"),
    [(-7, 0.0), (0, 0.7), (7, 1.0), (-3.5, 0.35), (3.5, 0.85), (-100, 0.0), (100, 1.0)],
)
def test_ramp_passes_through_its_knots_and_is_flat_beyond_the_ends(x: float, y: float) -> None:
    assert ramp(x, FOLLOWUP_KNOTS) == pytest.approx(y)


def test_ramp_is_clamped_to_zero_and_one() -> None:
    knots = ((0.0, -1.0), (1.0, 2.0))
    assert ramp(-5, knots) == 0.0
    assert ramp(0.2, knots) == 0.0
    assert ramp(0.5, knots) == pytest.approx(0.5)
    assert ramp(0.9, knots) == 1.0
    assert ramp(5, knots) == 1.0


def test_ramp_can_fall_as_well_as_rise() -> None:
    knots = ((0.0, 1.0), (10.0, 0.0))
    assert ramp(2.5, knots) == pytest.approx(0.75)


_knot_lists = st.lists(
    st.tuples(st.integers(-100, 100), st.floats(-0.5, 1.5)),
    min_size=2,
    max_size=6,
    unique_by=lambda k: k[0],
).map(lambda ks: tuple((float(x), y) for x, y in sorted(ks)))
_xs = st.floats(-200, 200, allow_nan=False)


@given(x=_xs, knots=_knot_lists)
@settings(max_examples=200)
def test_ramp_output_is_always_between_zero_and_one(
    x: float, knots: tuple[tuple[float, float], ...]
) -> None:
    assert 0.0 <= ramp(x, knots) <= 1.0


@given(x=_xs, step=st.floats(0, 1), knots=_knot_lists)
@settings(max_examples=200)
def test_ramp_is_continuous_with_a_slope_no_steeper_than_its_segments(
    x: float, step: float, knots: tuple[tuple[float, float], ...]
) -> None:
    slope = max(abs(y1 - y0) / (x1 - x0) for (x0, y0), (x1, y1) in pairwise(knots))
    assert abs(ramp(x + step, knots) - ramp(x, knots)) <= slope * step + 1e-9


# --- RankConfig -------------------------------------------------------------------------------


def test_default_config_has_the_documented_values() -> None:
    assert DEFAULT.overrides == {}
    assert DEFAULT.number("rank.followup.coefficient") == 12.0
    assert DEFAULT.number("rank.cadence.coefficient") == 8.0
    assert DEFAULT.number("rank.signal.coefficient") == 10.0
    assert DEFAULT.number("rank.signal.cap") == 1.5
    assert DEFAULT.number("rank.signal.addressed_factor") == 0.25
    assert DEFAULT.days("rank.cap.cooldown") == 2
    assert DEFAULT.days("rank.cap.window") == 7
    assert DEFAULT["rank.cap.max_outbound"] == 3
    assert DEFAULT.days("rank.strength.half_life") == 90
    assert DEFAULT.number("rank.list.min_score") == 1.0
    assert DEFAULT.knots("rank.followup.knots") == FOLLOWUP_KNOTS
    assert DEFAULT.knots("rank.cadence.knots") == CADENCE_KNOTS


def test_default_kinds_are_the_builtin_signal_kinds() -> None:
    assert list(DEFAULT.kinds) == [k.name for k in BUILTIN_KINDS]
    assert DEFAULT.kinds["funding"] == SignalKind("funding", 0.8, 30, 120, "raised a funding round")
    assert DEFAULT.kinds["web-visit"].half_life == 3


@pytest.mark.parametrize(
    "key",
    [
        "rank.nope",
        "rank.followup.coeficient",
        "rank.signal.My-Kind.weight",
        "rank.signal.my_kind.weight",
        "rank.signal.my-kind.colour",
        "rank.weight.tier.D",
        "colour",
    ],
)
def test_unknown_key_is_a_config_error(key: str) -> None:
    with pytest.raises(ConfigError, match="unknown setting") as caught:
        RankConfig.from_overrides({key: 1})
    assert caught.value.hint is not None
    assert "config show rank" in caught.value.hint


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("rank.signal.coefficient", "lots"),
        ("rank.signal.coefficient", -1),
        ("rank.signal.coefficient", "nan"),
        ("rank.signal.coefficient", math.inf),
        ("rank.signal.coefficient", None),
        ("rank.signal.coefficient", True),
        ("rank.cap.max_outbound", 2.5),
        ("rank.cap.max_outbound", "3.5"),
        ("rank.cap.cooldown", "soon"),
        ("rank.cap.cooldown", "0d"),
        ("rank.followup.knots", "1:0"),
        ("rank.followup.knots", "0:0,0:1"),
        ("rank.followup.knots", "1:0,0:1"),
        ("rank.followup.knots", "a:b,c:d"),
        ("rank.followup.knots", "0-0,1-1"),
    ],
)
def test_bad_value_is_a_config_error_naming_the_key(key: str, value: Any) -> None:
    with pytest.raises(ConfigError, match=re.escape(key)):
        RankConfig.from_overrides({key: value})


@pytest.mark.parametrize(
    ("key", "value", "stored"),
    [
        ("rank.cap.cooldown", "1w", "7d"),
        ("rank.cap.cooldown", 3, "3d"),
        ("rank.cap.max_outbound", "5", 5),
        ("rank.cap.max_outbound", 4.0, 4),
        ("rank.signal.coefficient", "6", 6.0),
        ("rank.signal.funding.half_life", "2w", "14d"),
        ("rank.followup.knots", "0:0,5:1", "0:0,5:1"),
    ],
)
def test_good_values_are_stored_in_the_type_of_the_default(
    key: str, value: Any, stored: Any
) -> None:
    config = RankConfig.from_overrides({key: value})
    assert config[key] == stored
    assert type(config[key]) is type(stored)


def test_overriding_a_builtin_kind_changes_only_that_kind() -> None:
    config = RankConfig.from_overrides({"rank.signal.funding.weight": 0.2})
    assert config.kinds["funding"].weight == 0.2
    assert config.kinds["job-change"] == DEFAULT.kinds["job-change"]


def test_user_defined_signal_kind_creates_a_new_kind_with_the_custom_defaults() -> None:
    config = RankConfig.from_overrides({"rank.signal.my-kind.weight": 0.7})
    assert config.kinds["my-kind"] == SignalKind("my-kind", 0.7, 14, 60, "defined in config.toml")
    assert list(config.kinds)[-1] == "my-kind"
    assert "custom" not in config.kinds
    assert "renewal" not in config.kinds


def test_user_defined_kind_inherits_overridden_custom_defaults() -> None:
    config = RankConfig.from_overrides(
        {"rank.signal.my-kind.weight": 0.7, "rank.signal.custom.half_life": "10d"}
    )
    assert config.kinds["my-kind"].half_life == 10


def test_user_defined_kind_accepts_a_span_for_its_half_life() -> None:
    config = RankConfig.from_overrides(
        {"rank.signal.my-kind.half_life": "10d", "rank.signal.my-kind.max_age": "4w"}
    )
    assert config.kinds["my-kind"].half_life == 10
    assert config.kinds["my-kind"].max_age == 28


def test_user_defined_kind_with_a_numeric_half_life_has_that_half_life() -> None:
    config = RankConfig.from_overrides({"rank.signal.my-kind.half_life": 10})
    assert config.kinds["my-kind"].half_life == 10


def test_check_kind_accepts_known_kinds_loosely_and_rejects_others() -> None:
    config = RankConfig.from_overrides({"rank.signal.my-kind.weight": 0.7})
    assert config.check_kind(" Funding ") == "funding"
    assert config.check_kind("!my-kind") == "my-kind"
    with pytest.raises(UsageError, match="unknown signal kind") as caught:
        config.check_kind("gossip")
    assert caught.value.hint is not None
    assert "my-kind" in caught.value.hint


def test_with_overrides_adds_to_the_existing_overrides_without_changing_them() -> None:
    base = RankConfig.from_overrides({"rank.signal.coefficient": 6, "rank.cap.cooldown": "1d"})
    changed = base.with_overrides({"rank.cap.cooldown": "3d", "rank.list.limit": 10})
    assert changed.overrides == {
        "rank.signal.coefficient": 6.0,
        "rank.cap.cooldown": "3d",
        "rank.list.limit": 10,
    }
    assert base.overrides == {"rank.signal.coefficient": 6.0, "rank.cap.cooldown": "1d"}
    assert changed.number("rank.followup.coefficient") == 12.0


def test_with_overrides_checks_the_new_keys() -> None:
    with pytest.raises(ConfigError):
        DEFAULT.with_overrides({"rank.nope": 1})


def test_fingerprint_changes_only_with_strength_settings() -> None:
    assert RankConfig.from_overrides({"rank.signal.cap": 2}).fingerprint == DEFAULT.fingerprint
    changed = RankConfig.from_overrides({"rank.strength.w.call": 1})
    assert changed.fingerprint != DEFAULT.fingerprint
    assert "rank.strength.w.call=1.0" in changed.fingerprint


def test_every_default_is_accepted_as_an_override() -> None:
    assert RankConfig.from_overrides(DEFAULTS).values == DEFAULT.values


# --- filters ----------------------------------------------------------------------------------


def test_a_quiet_contact_passes_every_filter_and_is_not_listed() -> None:
    s = score(facts(), TODAY, DEFAULT)
    assert [c.name for c in s.checks] == ["do-not-contact", "snooze", "channel", "frequency cap"]
    assert s.excluded_by is None
    assert s.total == 0.0
    assert not s.is_listed(DEFAULT)
    assert rank([s], DEFAULT) == []


def test_do_not_contact_excludes_whatever_the_reasons() -> None:
    f = facts(
        do_not_contact=True,
        do_not_contact_reason="asked by email",
        do_not_contact_since=date(2025, 1, 2),
        follow_ups=(OpenFollowUp(1, ago(3)),),
        signals=(SignalFact(1, "pricing-request", TODAY),),
    )
    s = score(f, TODAY, DEFAULT)
    assert s.excluded_by is not None
    assert s.excluded_by.name == "do-not-contact"
    assert "since 2025-01-02" in s.excluded_by.detail
    assert "asked by email" in s.excluded_by.detail
    assert s.total > 10
    assert not s.is_listed(DEFAULT)
    assert "open follow-up but contact opted out" in s.warnings


def test_do_not_contact_without_follow_ups_gives_no_warning() -> None:
    assert score(facts(do_not_contact=True), TODAY, DEFAULT).warnings == ()


def test_snooze_until_a_later_day_excludes() -> None:
    s = score(facts(snoozed_until=TODAY + timedelta(days=1)), TODAY, DEFAULT)
    assert s.excluded_by is not None
    assert s.excluded_by.name == "snooze"
    assert "2025-06-17" in s.excluded_by.detail


@pytest.mark.parametrize("until", [TODAY, ago(1)])
def test_snooze_ending_today_or_earlier_passes(until: date) -> None:
    assert check(score(facts(snoozed_until=until), TODAY, DEFAULT), "snooze").passed


def test_preferred_channel_is_suggested_when_allowed() -> None:
    s = score(facts(preferred_channel="email"), TODAY, DEFAULT)
    assert s.channel == "email"
    assert check(s, "channel").detail == "email (preferred, allowed)"


def test_opted_out_preferred_channel_falls_back_to_the_first_allowed_one() -> None:
    f = facts(
        preferred_channel="call",
        reachable=frozenset({"call", "email", "text"}),
        opted_out=frozenset({"call"}),
    )
    s = score(f, TODAY, DEFAULT)
    assert s.channel == "email"
    assert check(s, "channel").detail == "email (first allowed; preferred call not allowed)"


def test_fallback_channel_follows_the_given_channel_order() -> None:
    f = facts(reachable=frozenset({"call", "email", "text"}))
    s = score(f, TODAY, DEFAULT, channel_order=("text", "email", "call"))
    assert s.channel == "text"


def test_opting_out_of_every_reachable_channel_excludes() -> None:
    f = facts(reachable=frozenset({"call", "email"}), opted_out=frozenset({"call", "email"}))
    s = score(f, TODAY, DEFAULT)
    assert s.excluded_by is not None
    assert s.excluded_by.name == "channel"
    assert "opted out: call, email" in s.excluded_by.detail
    assert s.channel is None


def test_channel_mode_on_an_opted_out_channel_excludes() -> None:
    s = score(facts(opted_out=frozenset({"call"})), TODAY, DEFAULT, channel="call")
    assert s.excluded_by is not None
    assert s.excluded_by.name == "channel"
    assert s.excluded_by.detail == "call opted out"


def test_channel_mode_on_an_unreachable_channel_excludes() -> None:
    s = score(facts(reachable=frozenset({"email"})), TODAY, DEFAULT, channel="call")
    assert s.excluded_by is not None
    assert s.excluded_by.detail == "call not reachable"


def test_channel_mode_on_an_allowed_channel_suggests_it_over_the_preferred_one() -> None:
    s = score(facts(preferred_channel="email"), TODAY, DEFAULT, channel="text")
    assert s.excluded_by is None
    assert s.channel == "text"
    assert check(s, "channel").detail == "text (asked for, allowed)"


def test_three_outbound_touches_in_the_window_hit_the_frequency_cap() -> None:
    f = facts(recent_outbound=(ago(6), ago(4), ago(3)), last_outbound_on=ago(3))
    s = score(f, TODAY, DEFAULT)
    assert s.excluded_by is not None
    assert s.excluded_by.name == "frequency cap"
    assert s.excluded_by.detail == "3/3 in 7d; no follow-up due"


def test_outbound_touches_older_than_the_window_do_not_count() -> None:
    f = facts(recent_outbound=(ago(7), ago(4), ago(3)), last_outbound_on=ago(3))
    cap = check(score(f, TODAY, DEFAULT), "frequency cap")
    assert cap.passed
    assert cap.detail == "2 outbound in 7d (max 3); last 3d ago"


def test_outbound_within_the_cooldown_hits_the_frequency_cap() -> None:
    s = score(facts(recent_outbound=(ago(1),), last_outbound_on=ago(1)), TODAY, DEFAULT)
    assert s.excluded_by is not None
    assert s.excluded_by.detail == "cooldown 2d, last outbound 1d ago; no follow-up due"


def test_outbound_just_past_the_cooldown_passes() -> None:
    s = score(facts(recent_outbound=(ago(2),), last_outbound_on=ago(2)), TODAY, DEFAULT)
    assert s.excluded_by is None


def test_a_contacts_minimum_gap_lengthens_the_cooldown() -> None:
    s = score(facts(last_outbound_on=ago(4), min_gap_days=5), TODAY, DEFAULT)
    assert s.excluded_by is not None
    assert s.excluded_by.detail == "their minimum gap 5d, last outbound 4d ago; no follow-up due"


def test_a_zero_max_outbound_switches_the_cap_off() -> None:
    config = RankConfig.from_overrides({"rank.cap.max_outbound": 0})
    f = facts(recent_outbound=(ago(6), ago(5), ago(4), ago(3)), last_outbound_on=ago(3))
    assert score(f, TODAY, config).excluded_by is None


def test_a_due_follow_up_bypasses_the_frequency_cap() -> None:
    f = facts(
        recent_outbound=(ago(3), ago(2), ago(1)),
        last_outbound_on=ago(1),
        follow_ups=(OpenFollowUp(1, TODAY), OpenFollowUp(2, None)),
    )
    s = score(f, TODAY, DEFAULT)
    cap = check(s, "frequency cap")
    assert s.excluded_by is None
    assert cap.passed
    assert cap.bypassed
    assert cap.detail == "3/3 in 7d, bypassed by follow-up due today"


def test_a_follow_up_due_later_does_not_bypass_the_frequency_cap() -> None:
    f = facts(
        last_outbound_on=ago(1),
        follow_ups=(OpenFollowUp(1, TODAY + timedelta(days=1)), OpenFollowUp(2, None)),
    )
    s = score(f, TODAY, DEFAULT)
    assert s.excluded_by is not None
    assert s.excluded_by.name == "frequency cap"


def test_a_reply_owed_bypasses_the_frequency_cap() -> None:
    f = facts(last_outbound_on=ago(1), reply_owed_since=ago(1), reply_channel="email")
    cap = check(score(f, TODAY, DEFAULT), "frequency cap")
    assert cap.passed
    assert cap.bypassed
    assert cap.detail.endswith("bypassed by reply owed")


def test_a_reply_owed_since_today_is_not_due_and_does_not_bypass() -> None:
    f = facts(last_outbound_on=ago(1), reply_owed_since=TODAY)
    assert not check(score(f, TODAY, DEFAULT), "frequency cap").passed


# --- follow-up term ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "measure", "words"),
    [
        (TODAY, 0.7, "due today"),
        (ago(7), 1.0, "7d overdue"),
        (ago(30), 1.0, "30d overdue"),
        (ago(3), 0.7 + 0.3 * 3 / 7, "3d overdue"),
        (TODAY + timedelta(days=7), 0.0, "due in 7d"),
        (TODAY + timedelta(days=14), 0.0, "due in 14d"),
        (TODAY + timedelta(days=2), 0.7 * 5 / 7, "due in 2d"),
    ],
)
def test_follow_up_measure_follows_the_due_knots(due: date, measure: float, words: str) -> None:
    term = reason(score(facts(follow_ups=(OpenFollowUp(1, due),)), TODAY, DEFAULT), "followup")
    assert term.measure == pytest.approx(measure)
    assert term.coefficient == 12.0
    assert term.detail == f"follow-up {words}"


def test_follow_up_due_today_is_worth_0_7_times_12_points() -> None:
    s = score(facts(follow_ups=(OpenFollowUp(1, TODAY, "send the proposal"),)), TODAY, DEFAULT)
    term = reason(s, "followup")
    assert term.points == pytest.approx(0.7 * 12)
    assert term.detail == "follow-up due today: send the proposal"
    assert s.headline == "follow-up due today: send the proposal"
    assert s.total == 8.4


def test_undated_follow_up_measures_0_3() -> None:
    term = reason(score(facts(follow_ups=(OpenFollowUp(1, None),)), TODAY, DEFAULT), "followup")
    assert term.measure == 0.3
    assert term.points == pytest.approx(3.6)
    assert term.detail == "follow-up open, no date"


def test_follow_up_term_takes_the_most_pressing_and_counts_the_rest() -> None:
    f = facts(
        follow_ups=(OpenFollowUp(1, None), OpenFollowUp(2, ago(2)), OpenFollowUp(3, TODAY)),
        reply_owed_since=TODAY,
    )
    term = reason(score(f, TODAY, DEFAULT), "followup")
    assert term.measure == pytest.approx(0.7 + 0.3 * 2 / 7)
    assert term.detail == "follow-up 2d overdue (+3 more open)"


def test_reply_owed_is_an_implicit_follow_up_due_the_next_day() -> None:
    f = facts(reply_owed_since=ago(2), reply_channel="email")
    term = reason(score(f, TODAY, DEFAULT), "followup")
    assert term.measure == pytest.approx(0.7 + 0.3 / 7)
    assert term.detail == "reply owed since Sat (email)"


def test_no_open_follow_up_is_a_zero_term() -> None:
    term = reason(score(facts(), TODAY, DEFAULT), "followup")
    assert term.points == 0.0
    assert term.detail == "none open"


# --- cadence term -----------------------------------------------------------------------------


def test_cadence_day_50_of_30_is_read_off_the_cadence_knots() -> None:
    s = score(facts(cadence_days=30, last_contact_on=ago(50)), TODAY, DEFAULT)
    term = reason(s, "cadence")
    assert term.measure == pytest.approx(0.2 + 0.8 * (50 / 30 - 1) / 2)
    assert round(term.points, 2) == 3.73
    assert term.detail == "day 50 of 30-day cadence (1.67x)"
    assert term.headline == "day 50 of 30-day cadence"


@pytest.mark.parametrize(
    ("since", "measure"), [(0, 0.0), (22, 0.0), (30, 0.2), (60, 0.6), (90, 1.0), (400, 1.0)]
)
def test_cadence_measure_at_its_knots(since: int, measure: float) -> None:
    term = reason(
        score(facts(cadence_days=30, last_contact_on=ago(since)), TODAY, DEFAULT), "cadence"
    )
    assert term.measure == pytest.approx(measure)


def test_no_cadence_is_a_zero_term() -> None:
    term = reason(score(facts(last_contact_on=ago(400)), TODAY, DEFAULT), "cadence")
    assert term.points == 0.0
    assert term.detail == "no cadence set"


def test_never_contacted_cadence_counts_from_when_the_contact_was_added() -> None:
    f = facts(cadence_days=30, created_on=ago(60), cadence_source="tag vip")
    term = reason(score(f, TODAY, DEFAULT), "cadence")
    assert term.measure == pytest.approx(0.6)
    assert term.detail == (
        "day 60 of 30-day cadence (2.00x), from tag vip (never contacted; counted from when added)"
    )


def test_a_meeting_booked_within_14_days_counts_as_a_touch_for_cadence() -> None:
    f = facts(cadence_days=30, last_contact_on=ago(60), next_meeting_on=TODAY + timedelta(days=14))
    assert reason(score(f, TODAY, DEFAULT), "cadence").measure == 0.0


def test_a_meeting_booked_further_out_does_not_reset_the_cadence() -> None:
    f = facts(cadence_days=30, last_contact_on=ago(60), next_meeting_on=TODAY + timedelta(days=15))
    assert reason(score(f, TODAY, DEFAULT), "cadence").measure == pytest.approx(0.6)


# --- signal terms -----------------------------------------------------------------------------


def test_funding_three_days_old_decays_with_its_half_life() -> None:
    s = score(facts(signals=(SignalFact(1, "funding", ago(3), note="Series B"),)), TODAY, DEFAULT)
    [term] = signals(s)
    assert term.measure == pytest.approx(0.8 * 2 ** (-3 / 30))
    assert term.coefficient == 10.0
    assert term.detail == 'funding "Series B", 3d old, w 0.8, half-life 30d, not yet addressed'
    assert term.headline == "funding 3d ago"


def test_a_signal_from_today_has_its_full_weight() -> None:
    [term] = signals(score(facts(signals=(SignalFact(1, "demo-request", TODAY),)), TODAY, DEFAULT))
    assert term.measure == 1.0
    assert term.headline == "demo-request today"


@pytest.mark.parametrize(("age", "kept"), [(14, True), (15, False)])
def test_a_signal_older_than_its_max_age_is_dropped(age: int, kept: bool) -> None:
    s = score(facts(signals=(SignalFact(1, "web-visit", ago(age)),)), TODAY, DEFAULT)
    assert bool(signals(s)) is kept


def test_a_signal_dated_in_the_future_is_ignored() -> None:
    s = score(facts(signals=(SignalFact(1, "funding", TODAY + timedelta(days=1)),)), TODAY, DEFAULT)
    assert signals(s) == []


def test_an_outbound_touch_after_a_signal_damps_it_to_a_quarter() -> None:
    f = facts(signals=(SignalFact(1, "funding", ago(3)),), last_outbound_on=ago(1))
    [term] = signals(score(f, TODAY, DEFAULT))
    assert term.measure == pytest.approx(0.25 * 0.8 * 2 ** (-3 / 30))
    assert term.detail.endswith("addressed yesterday")


def test_an_outbound_touch_on_the_signal_day_does_not_address_it() -> None:
    f = facts(signals=(SignalFact(1, "funding", ago(3)),), last_outbound_on=ago(3))
    [term] = signals(score(f, TODAY, DEFAULT))
    assert term.measure == pytest.approx(0.8 * 2 ** (-3 / 30))
    assert term.detail.endswith("not yet addressed")


def test_only_the_largest_signal_of_each_kind_counts() -> None:
    f = facts(signals=(SignalFact(1, "funding", ago(20)), SignalFact(2, "funding", ago(3))))
    [term] = signals(score(f, TODAY, DEFAULT))
    assert term.measure == pytest.approx(0.8 * 2 ** (-3 / 30))


def test_different_kinds_stack_and_are_listed_largest_first() -> None:
    f = facts(signals=(SignalFact(1, "web-visit", TODAY), SignalFact(2, "funding", ago(3))))
    terms = signals(score(f, TODAY, DEFAULT))
    assert [t.headline for t in terms] == ["funding 3d ago", "web-visit today"]
    assert sum(t.measure for t in terms) == pytest.approx(0.8 * 2 ** (-0.1) + 0.3)


def test_signals_above_the_cap_get_a_negative_signal_cap_row() -> None:
    f = facts(
        signals=(SignalFact(1, "pricing-request", TODAY), SignalFact(2, "demo-request", TODAY))
    )
    s = score(f, TODAY, DEFAULT)
    terms = signals(s)
    [cap] = [t for t in s.reasons if t.name == "signal cap"]
    assert [t.measure for t in terms] == [1.0, 1.0]
    assert cap.measure == pytest.approx(-0.5)
    assert cap.points == pytest.approx(-5.0)
    assert cap.detail == "signals capped at 1.5"
    assert s.reason_total == pytest.approx(15.0)


def test_signals_under_the_cap_get_no_cap_row() -> None:
    s = score(facts(signals=(SignalFact(1, "pricing-request", TODAY),)), TODAY, DEFAULT)
    assert all(t.name != "signal cap" for t in s.reasons)


def test_a_company_signal_counts_half_for_a_contact_who_is_not_the_primary() -> None:
    sig = SignalFact(1, "funding", ago(3), company="Acme", is_primary=False)
    [term] = signals(score(facts(signals=(sig,)), TODAY, DEFAULT))
    assert term.measure == pytest.approx(0.5 * 0.8 * 2 ** (-3 / 30))
    assert "via Acme, not primary contact" in term.detail
    assert term.headline == "funding 3d ago via Acme"


def test_a_company_signal_counts_fully_for_the_primary_contact() -> None:
    sig = SignalFact(1, "funding", ago(3), company="Acme", is_primary=True)
    [term] = signals(score(facts(signals=(sig,)), TODAY, DEFAULT))
    assert term.measure == pytest.approx(0.8 * 2 ** (-3 / 30))
    assert "via Acme, not yet addressed" in term.detail


def test_a_user_defined_kind_uses_its_configured_weight() -> None:
    config = RankConfig.from_overrides({"rank.signal.board-seat.weight": 0.9})
    [term] = signals(score(facts(signals=(SignalFact(1, "board-seat", TODAY),)), TODAY, config))
    assert term.measure == pytest.approx(0.9)


def test_an_unconfigured_kind_uses_the_configured_custom_defaults() -> None:
    config = RankConfig.from_overrides({"rank.signal.custom.weight": 1.0})
    [term] = signals(score(facts(signals=(SignalFact(1, "gossip", TODAY),)), TODAY, config))
    assert term.measure == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("days_to", "shape"),
    [(100, None), (90, None), (60, 0.5), (30, 1.0), (20, 1.0), (0, 1.0), (-7, 0.5), (-15, None)],
)
def test_renewal_ramps_up_before_the_date_and_down_after_it(
    days_to: int, shape: float | None
) -> None:
    s = score(facts(renewal_on=TODAY + timedelta(days=days_to)), TODAY, DEFAULT)
    terms = signals(s)
    if shape is None:
        assert terms == []
    else:
        [term] = terms
        assert term.measure == pytest.approx(0.9 * shape)


def test_renewal_words_name_the_distance_to_the_date() -> None:
    [term] = signals(score(facts(renewal_on=TODAY + timedelta(days=20)), TODAY, DEFAULT))
    assert term.detail == "renewal in 20d"
    assert term.headline == "renewal in 20d"


def test_renewal_touched_in_the_last_14_days_is_damped() -> None:
    f = facts(renewal_on=TODAY + timedelta(days=20), last_contact_on=ago(14))
    [term] = signals(score(f, TODAY, DEFAULT))
    assert term.measure == pytest.approx(0.25 * 0.9)
    assert term.detail == "renewal in 20d, touched in the last 14d"
    assert term.headline == "renewal in 20d"


def test_renewal_counts_toward_the_signal_cap() -> None:
    f = facts(renewal_on=TODAY, signals=(SignalFact(1, "churn-risk", TODAY),))
    s = score(f, TODAY, DEFAULT)
    assert sum(t.measure for t in s.reasons if t.name.startswith("signal")) == pytest.approx(1.5)


# --- weight terms -----------------------------------------------------------------------------


def test_strength_measure_is_s_over_s_plus_4() -> None:
    s = score(facts(strength_ref=4.0, strength_day=TODAY.toordinal()), TODAY, DEFAULT)
    assert weight(s, "strength").measure == pytest.approx(0.5)
    assert weight(s, "strength").detail == "4.00 decayed pts"
    assert s.strength == pytest.approx(0.5)


def test_strength_decays_with_a_90_day_half_life() -> None:
    f = facts(strength_ref=4.0, strength_day=ago(90).toordinal(), strength_detail="call 90d")
    assert strength_points(f, TODAY, DEFAULT) == pytest.approx(2.0)
    term = weight(score(f, TODAY, DEFAULT), "strength")
    assert term.measure == pytest.approx(2 / 6)
    assert term.detail == "2.00 decayed pts (call 90d)"


def test_a_meeting_still_ahead_adds_no_strength() -> None:
    f = facts(next_meeting_on=TODAY + timedelta(days=1))
    assert strength_points(f, TODAY, DEFAULT) == 0.0


def test_no_two_way_contact_is_a_zero_strength() -> None:
    term = weight(score(facts(), TODAY, DEFAULT), "strength")
    assert term.measure == 0.0
    assert term.detail == "no two-way contact yet"


@pytest.mark.parametrize(("tier", "points"), [("A", 0.5), ("B", 0.25), ("C", 0.0), (None, 0.0)])
def test_tier_adds_its_configured_weight(tier: str | None, points: float) -> None:
    s = score(facts(tier=tier), TODAY, DEFAULT)
    assert weight(s, "tier").points == points
    assert s.weight_total == pytest.approx(1.0 + points)


@pytest.mark.parametrize(
    ("known", "measure"), [(0, 0.0), (120, 120 / 730), (365, 0.5), (1000, 1.0)]
)
def test_tenure_grows_over_two_years(known: int, measure: float) -> None:
    term = weight(score(facts(first_contact_on=ago(known)), TODAY, DEFAULT), "tenure")
    assert term.measure == pytest.approx(measure)
    assert term.points == pytest.approx(0.2 * measure)
    assert term.detail == f"known {known}d of 730d"


def test_no_contact_yet_is_a_zero_tenure() -> None:
    assert weight(score(facts(), TODAY, DEFAULT), "tenure").detail == "no contact yet"


def test_deal_value_adds_a_log_scaled_weight() -> None:
    term = weight(score(facts(deal_value=9000.0), TODAY, DEFAULT), "deal")
    assert term.measure == pytest.approx(1 / 3)
    assert term.points == pytest.approx(0.5 / 3)
    assert term.detail == "deal value 9,000"


def test_without_a_deal_value_there_is_no_deal_term() -> None:
    assert all(t.name != "deal" for t in score(facts(), TODAY, DEFAULT).weights)


def test_score_is_reasons_times_weight_rounded_to_cents() -> None:
    f = facts(
        tier="A",
        follow_ups=(OpenFollowUp(1, TODAY),),
        strength_ref=4.0,
        strength_day=TODAY.toordinal(),
    )
    s = score(f, TODAY, DEFAULT)
    assert s.reason_total == pytest.approx(8.4)
    assert s.weight_total == pytest.approx(2.0)
    assert s.total == 16.8


# --- the worked example of RANKING.md b.8 -----------------------------------------------------


# Bob of scenario S01 in ranking-scenarios.json (today 2025-06-16), copied here so the test
# reads no file: a prospect added 2024-05-12, preferring calls, on a 30-day cadence, no tier.
BOB_EVENTS = (
    Event(date(2025, 2, 16), "2025-02-16T15:00:00Z", "meeting", "both", None),
    Event(date(2025, 3, 13), "2025-03-13T09:30:00Z", "email", "in", None),
    Event(date(2025, 4, 27), "2025-04-27T16:00:00Z", "call", "out", "connected"),
)
BOB_FUNDING = SignalFact(1, "funding", date(2025, 6, 13), note="Series B")


def _bob_facts() -> Facts:
    agg = fold(BOB_EVENTS, [], TODAY, DEFAULT)
    return Facts(
        id=1,
        name="Bob Okafor",
        stage="prospect",
        created_on=date(2024, 5, 12),
        cadence_days=30,
        tier=None,
        preferred_channel="call",
        reachable=frozenset({"call", "email"}),
        first_contact_on=agg.first_contact_on,
        last_contact_on=agg.last_contact_on,
        last_outbound_on=agg.last_outbound_on,
        reply_owed_since=agg.reply_owed_since,
        recent_outbound=tuple(date.fromisoformat(d) for d in agg.recent_outbound.split(",") if d),
        strength_ref=agg.strength_ref,
        strength_day=agg.strength_day,
        signals=(BOB_FUNDING,),
    )


def test_bob_strength_is_the_decayed_sum_of_his_three_interactions() -> None:
    expected = 3 * 2 ** (-120 / 90) + 1 * 2 ** (-95 / 90) + 2 * 2 ** (-50 / 90)
    assert strength_points(_bob_facts(), TODAY, DEFAULT) == pytest.approx(expected)
    assert round(expected, 2) == 3.03


def test_bob_of_scenario_s01_scores_16_39_as_in_the_worked_example() -> None:
    s = score(_bob_facts(), TODAY, DEFAULT)
    assert s.excluded_by is None
    assert s.channel == "call"
    assert check(s, "channel").detail == "call (preferred, allowed)"
    assert check(s, "frequency cap").detail.endswith("last 50d ago")
    cadence, followup = reason(s, "cadence"), reason(s, "followup")
    [signal] = signals(s)
    assert cadence.detail == "day 50 of 30-day cadence (1.67x)"
    assert round(cadence.measure, 3) == 0.467
    assert round(cadence.points, 2) == 3.73
    assert round(signal.measure, 3) == 0.746
    assert round(signal.points, 2) == 7.46
    assert signal.detail == 'funding "Series B", 3d old, w 0.8, half-life 30d, not yet addressed'
    assert followup.detail == "none open"
    assert round(s.reason_total, 2) == 11.20
    strength = weight(s, "strength")
    assert strength.detail == "3.03 decayed pts"
    assert round(strength.measure, 3) == 0.431
    assert weight(s, "tier").points == 0.0
    tenure = weight(s, "tenure")
    assert tenure.detail == "known 120d of 730d"
    assert round(tenure.measure, 3) == 0.164
    assert round(tenure.points, 3) == 0.033
    assert round(s.weight_total, 3) == 1.464
    assert s.total == 16.39
    assert s.headline == "funding 3d ago"
    assert rank([s], DEFAULT) == [s]


# --- ordering ---------------------------------------------------------------------------------


def make_score(
    name: str,
    *points: float,
    contact_id: int = 1,
    first_due_on: date | None = None,
    strength: float = 0.0,
    last_contact_on: date | None = None,
    excluded: bool = False,
) -> Score:
    return Score(
        contact_id=contact_id,
        name=name,
        checks=(Check("snooze", not excluded),),
        reasons=tuple(Term("signal", p, 1.0) for p in points),
        weights=(),
        channel="call",
        first_due_on=first_due_on,
        strength=strength,
        last_contact_on=last_contact_on,
    )


def test_higher_score_ranks_first() -> None:
    low, high = make_score("low", 2.0), make_score("high", 5.0)
    assert rank([low, high], DEFAULT) == [high, low]
    assert tie_breaker(high, low) is None


def test_scores_that_display_equal_are_tied_and_decided_by_the_largest_reason() -> None:
    spread = make_score("spread", 3.0, 3.781)
    single = make_score("single", 6.779)
    assert spread.total == single.total == 6.78
    assert rank([spread, single], DEFAULT) == [single, spread]
    assert tie_breaker(single, spread) == "largest single reason"


@pytest.mark.parametrize(
    ("first", "second", "rule"),
    [
        (
            make_score("a", 5.0, first_due_on=ago(2)),
            make_score("a", 5.0, first_due_on=TODAY),
            "earliest follow-up due",
        ),
        (make_score("a", 5.0, first_due_on=TODAY), make_score("a", 5.0), "earliest follow-up due"),
        (
            make_score("a", 5.0, strength=0.5),
            make_score("a", 5.0, strength=0.2),
            "stronger relationship",
        ),
        (
            make_score("a", 5.0, last_contact_on=ago(30)),
            make_score("a", 5.0, last_contact_on=ago(3)),
            "longer since last contact",
        ),
        (
            make_score("a", 5.0),
            make_score("a", 5.0, last_contact_on=ago(30)),
            "longer since last contact",
        ),
        (make_score("ann", 5.0), make_score("Bob", 5.0), "name"),
        (make_score("Ann", 5.0, contact_id=1), make_score("ann", 5.0, contact_id=2), "id"),
    ],
)
def test_tie_breakers_apply_in_the_documented_order(first: Score, second: Score, rule: str) -> None:
    assert rank([second, first], DEFAULT) == [first, second]
    assert sort_key(first) < sort_key(second)
    assert tie_breaker(first, second) == rule
    assert rule in TIE_BREAKERS


def test_identical_scores_have_no_tie_breaker() -> None:
    assert tie_breaker(make_score("a", 5.0), make_score("a", 5.0)) is None


def test_rank_leaves_out_excluded_and_low_scores() -> None:
    listed = make_score("listed", 1.0)
    low = make_score("low", 0.99)
    excluded = make_score("excluded", 9.0, excluded=True)
    assert excluded.excluded_by is not None
    assert listed.is_listed(DEFAULT)
    assert not low.is_listed(DEFAULT)
    assert not excluded.is_listed(DEFAULT)
    assert rank([low, excluded, listed], DEFAULT) == [listed]


def test_min_score_decides_what_is_listed() -> None:
    low = make_score("low", 0.5)
    assert not low.is_listed(DEFAULT)
    assert low.is_listed(RankConfig.from_overrides({"rank.list.min_score": 0.5}))
    assert not make_score("high", 3.0).is_listed(
        RankConfig.from_overrides({"rank.list.min_score": 3.01})
    )


def test_a_score_with_no_positive_reason_has_no_top_and_no_headline() -> None:
    s = make_score("none", 0.0, -1.0)
    assert s.top is None
    assert s.headline == ""


_names = st.sampled_from(["ann", "Ann", "bob", "cy"])
_scores = st.builds(
    make_score,
    _names,
    st.floats(0, 10, allow_nan=False),
    st.floats(0, 10, allow_nan=False),
    contact_id=st.integers(1, 5),
    first_due_on=st.none() | st.dates(ago(5), TODAY),
    strength=st.floats(0, 1),
    last_contact_on=st.none() | st.dates(ago(5), TODAY),
)


@given(scores=st.lists(_scores, max_size=8), data=st.data())
@settings(max_examples=100)
def test_rank_is_sorted_by_displayed_score_and_independent_of_input_order(
    scores: list[Score], data: st.DataObject
) -> None:
    ranked = rank(scores, DEFAULT)
    shuffled = data.draw(st.permutations(scores))
    assert [sort_key(s) for s in rank(shuffled, DEFAULT)] == [sort_key(s) for s in ranked]
    totals = [s.total for s in ranked]
    assert totals == sorted(totals, reverse=True)
    assert all(s.total >= 1.0 for s in ranked)
