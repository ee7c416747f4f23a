"""Pure tests for relcli.domain.aggregates.fold: a contact's history, folded for ranking."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcli.domain import vocabulary
from relcli.domain.aggregates import (
    RECENT_OUTBOUND_KEPT,
    Aggregates,
    Event,
    OpenItem,
    fold,
    strength_class,
)
from relcli.domain.ranking import RankConfig

TODAY = date(2025, 6, 16)
DEFAULT = RankConfig()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def ev(
    on: date, channel: str, direction: str, outcome: str | None = None, *, hour: int = 12
) -> Event:
    return Event(
        on=on,
        at=f"{on.isoformat()}T{hour:02d}:00:00Z",
        channel=channel,
        direction=direction,
        outcome=outcome,
    )


def run(
    *events: Event, items: tuple[OpenItem, ...] = (), config: RankConfig = DEFAULT
) -> Aggregates:
    return fold(list(events), list(items), TODAY, config)


# --- strength ---------------------------------------------------------------------------------


def test_no_history_folds_to_empty_aggregates() -> None:
    assert run() == Aggregates()


@pytest.mark.parametrize(
    ("event", "points"),
    [
        (ev(TODAY, "meeting", "both"), 3.0),
        (ev(TODAY, "call", "out", "connected"), 2.0),
        (ev(TODAY, "call", "in", "connected"), 2.0),
        (ev(TODAY, "email", "in"), 1.0),
        (ev(TODAY, "text", "in"), 1.0),
        (ev(TODAY, "email", "out"), 0.5),
        (ev(TODAY, "social", "out", "replied"), 0.5),
        (ev(TODAY, "call", "out", "no-answer"), 0.0),
        (ev(TODAY, "call", "out", "voicemail"), 0.0),
        (ev(TODAY, "email", "out", "bounced"), 0.0),
    ],
)
def test_each_kind_of_interaction_adds_its_strength_weight(event: Event, points: float) -> None:
    agg = run(event)
    assert agg.strength_ref == points
    assert agg.strength_day == TODAY.toordinal()


@pytest.mark.parametrize(
    ("event", "cls"),
    [
        (ev(TODAY, "meeting", "both"), "meeting"),
        (ev(TODAY, "meeting", "both", "no-answer"), "attempt"),
        (ev(TODAY, "call", "in"), "call"),
        (ev(TODAY, "call", "out", "left-message"), "attempt"),
        (ev(TODAY, "email", "in"), "inbound"),
        (ev(TODAY, "text", "out"), "outbound"),
    ],
)
def test_strength_class_puts_attempts_before_channels(event: Event, cls: str) -> None:
    assert strength_class(event) == cls


def test_same_day_duplicates_of_one_class_count_once() -> None:
    agg = run(
        ev(TODAY, "email", "in", hour=9),
        ev(TODAY, "email", "in", hour=10),
        ev(TODAY, "text", "in", hour=11),
    )
    assert agg.strength_ref == 1.0


def test_same_day_interactions_of_different_classes_all_count() -> None:
    agg = run(
        ev(TODAY, "email", "in", hour=9),
        ev(TODAY, "email", "out", hour=10),
        ev(TODAY, "call", "out", "connected", hour=11),
        ev(TODAY, "meeting", "both", hour=12),
    )
    assert agg.strength_ref == pytest.approx(1.0 + 0.5 + 2.0 + 3.0)


def test_the_same_class_on_different_days_counts_each_day() -> None:
    agg = run(ev(ago(1), "email", "in"), ev(TODAY, "email", "in"))
    assert agg.strength_ref == pytest.approx(1.0 + 2 ** (-1 / 90))


def test_attempts_weigh_nothing_but_still_count_as_contact() -> None:
    agg = run(ev(ago(3), "call", "out", "no-answer"))
    assert agg.strength_ref == 0.0
    assert agg.first_contact_on == agg.last_contact_on == ago(3)
    assert agg.last_outbound_on == ago(3)
    assert agg.recent_outbound == ago(3).isoformat()


def test_strength_is_stored_decayed_to_the_latest_interaction() -> None:
    agg = run(ev(ago(90), "meeting", "both"), ev(TODAY, "call", "out", "connected"))
    assert agg.strength_ref == pytest.approx(3 * 0.5 + 2)
    assert agg.strength_day == TODAY.toordinal()


def test_a_backdated_interaction_logged_later_gives_the_same_strength() -> None:
    in_order = run(
        ev(ago(90), "meeting", "both", hour=9), ev(TODAY, "call", "out", "connected", hour=10)
    )
    backdated = Event(ago(90), f"{TODAY.isoformat()}T11:00:00Z", "meeting", "both", None)
    logged_late = run(ev(TODAY, "call", "out", "connected", hour=10), backdated)
    assert logged_late.strength_ref == pytest.approx(in_order.strength_ref)
    assert logged_late.strength_day == in_order.strength_day


def test_strength_weights_and_half_life_come_from_the_config() -> None:
    config = RankConfig.from_overrides(
        {"rank.strength.w.attempt": 1, "rank.strength.half_life": "10d"}
    )
    agg = run(ev(ago(10), "call", "out", "no-answer"), ev(TODAY, "email", "out"), config=config)
    assert agg.strength_ref == pytest.approx(1 * 0.5 + 0.5)


# --- notes ------------------------------------------------------------------------------------


def test_notes_are_ignored_entirely() -> None:
    assert run(ev(ago(2), "note", "out"), ev(ago(1), "note", "in")) == Aggregates()


def test_a_note_does_not_clear_a_reply_owed() -> None:
    agg = run(ev(ago(2), "email", "in", hour=9), ev(ago(1), "note", "out", hour=10))
    assert agg.reply_owed_since == ago(2)


# --- reply owed -------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", sorted(vocabulary.MESSAGE_CHANNELS))
def test_an_inbound_message_leaves_a_reply_owed(channel: str) -> None:
    agg = run(ev(ago(2), channel, "in"))
    assert agg.reply_owed_since == ago(2)
    assert agg.reply_channel == channel
    assert agg.last_inbound_on == ago(2)


def test_a_reply_owed_dates_from_the_first_unanswered_message() -> None:
    agg = run(ev(ago(5), "email", "in"), ev(ago(2), "text", "in"))
    assert agg.reply_owed_since == ago(5)
    assert agg.reply_channel == "email"


@pytest.mark.parametrize(
    "answer",
    [
        ev(ago(1), "email", "out"),
        ev(ago(1), "text", "out"),
        ev(ago(1), "call", "out", "connected"),
        ev(ago(1), "call", "out", "no-answer"),
        ev(ago(1), "call", "in", "connected"),
        ev(ago(1), "meeting", "both"),
    ],
)
def test_a_later_outbound_touch_or_call_clears_the_reply_owed(answer: Event) -> None:
    agg = run(ev(ago(2), "email", "in"), answer)
    assert agg.reply_owed_since is None
    assert agg.reply_channel is None


def test_an_answer_the_same_day_but_later_clears_the_reply_owed() -> None:
    agg = run(ev(TODAY, "email", "in", hour=9), ev(TODAY, "email", "out", hour=10))
    assert agg.reply_owed_since is None


def test_an_outbound_touch_before_the_message_does_not_clear_it() -> None:
    agg = run(ev(TODAY, "email", "out", hour=9), ev(TODAY, "email", "in", hour=10))
    assert agg.reply_owed_since == TODAY


@pytest.mark.parametrize(
    "event",
    [
        ev(ago(2), "call", "in", "connected"),
        ev(ago(2), "meeting", "both"),
        ev(ago(2), "email", "out"),
    ],
)
def test_an_inbound_call_or_a_meeting_leaves_no_reply_owed(event: Event) -> None:
    assert run(event).reply_owed_since is None


def test_a_new_message_after_an_answer_owes_a_new_reply() -> None:
    agg = run(ev(ago(5), "email", "in"), ev(ago(4), "email", "out"), ev(ago(1), "social", "in"))
    assert agg.reply_owed_since == ago(1)
    assert agg.reply_channel == "social"


def test_reply_owed_does_not_depend_on_the_order_of_events_logged_at_the_same_instant() -> None:
    question = Event(ago(1), "2025-06-15T00:00:00Z", "email", "in", None)
    answer = Event(ago(1), "2025-06-15T00:00:00Z", "email", "out", None)
    assert run(question, answer) == run(answer, question)


# --- future meetings --------------------------------------------------------------------------


def test_a_future_meeting_is_only_remembered_as_booked() -> None:
    agg = run(ev(ago(10), "email", "in"), ev(TODAY + timedelta(days=3), "meeting", "both"))
    assert agg.next_meeting_on == TODAY + timedelta(days=3)
    assert agg.last_contact_on == ago(10)
    assert agg.last_outbound_on is None
    assert agg.recent_outbound == ""
    assert agg.strength_ref == 1.0
    assert agg.strength_day == ago(10).toordinal()
    assert agg.reply_owed_since == ago(10)


def test_the_earliest_future_meeting_is_the_next_one() -> None:
    later = ev(TODAY + timedelta(days=9), "meeting", "both", hour=8)
    sooner = ev(TODAY + timedelta(days=2), "meeting", "both", hour=9)
    assert run(later, sooner).next_meeting_on == TODAY + timedelta(days=2)


def test_a_meeting_today_has_happened() -> None:
    agg = run(ev(TODAY, "meeting", "both"))
    assert agg.next_meeting_on is None
    assert agg.last_contact_on == TODAY
    assert agg.strength_ref == 3.0


def test_other_future_interactions_are_ignored() -> None:
    agg = run(
        ev(TODAY + timedelta(days=1), "email", "out"), ev(TODAY + timedelta(days=1), "call", "in")
    )
    assert agg == Aggregates()


# --- dates and recent outbound ----------------------------------------------------------------


def test_first_and_last_contact_span_both_directions() -> None:
    agg = run(
        ev(ago(40), "email", "in"),
        ev(ago(20), "call", "out", "connected"),
        ev(ago(5), "text", "in"),
    )
    assert agg.first_contact_on == ago(40)
    assert agg.last_contact_on == ago(5)
    assert agg.last_outbound_on == ago(20)
    assert agg.last_inbound_on == ago(5)


def test_a_meeting_is_both_an_outbound_and_an_inbound_touch() -> None:
    agg = run(ev(ago(3), "meeting", "both"))
    assert agg.last_outbound_on == agg.last_inbound_on == ago(3)
    assert agg.recent_outbound == ago(3).isoformat()


def test_recent_outbound_lists_outbound_days_oldest_first() -> None:
    agg = run(
        ev(ago(1), "email", "out"),
        ev(ago(9), "call", "out", "no-answer"),
        ev(ago(4), "meeting", "both"),
        ev(ago(2), "email", "in"),
    )
    assert agg.recent_outbound == ",".join(d.isoformat() for d in (ago(9), ago(4), ago(1)))


def test_recent_outbound_keeps_only_the_latest_few() -> None:
    events = [ev(ago(n), "email", "out") for n in range(RECENT_OUTBOUND_KEPT + 5)]
    kept = run(*events).recent_outbound.split(",")
    assert len(kept) == RECENT_OUTBOUND_KEPT
    assert kept[-1] == TODAY.isoformat()
    assert kept[0] == ago(RECENT_OUTBOUND_KEPT - 1).isoformat()


def test_recent_outbound_keeps_each_touch_on_a_busy_day() -> None:
    agg = run(ev(TODAY, "email", "out", hour=9), ev(TODAY, "text", "out", hour=10))
    assert agg.recent_outbound == f"{TODAY.isoformat()},{TODAY.isoformat()}"


# --- open follow-ups --------------------------------------------------------------------------


def test_open_follow_ups_give_the_next_due_the_count_and_any_undated() -> None:
    agg = run(items=(OpenItem(TODAY + timedelta(days=4)), OpenItem(ago(2)), OpenItem(None)))
    assert agg.next_follow_up_on == ago(2)
    assert agg.open_follow_ups == 3
    assert agg.has_undated_follow_up


def test_dated_follow_ups_only_have_no_undated_flag() -> None:
    agg = run(items=(OpenItem(TODAY),))
    assert agg.next_follow_up_on == TODAY
    assert agg.open_follow_ups == 1
    assert not agg.has_undated_follow_up


def test_undated_follow_ups_only_have_no_next_due() -> None:
    agg = run(items=(OpenItem(None), OpenItem(None)))
    assert agg.next_follow_up_on is None
    assert agg.open_follow_ups == 2
    assert agg.has_undated_follow_up


def test_events_may_be_a_one_shot_iterable() -> None:
    events = iter([ev(ago(1), "email", "in")])
    assert fold(events, [OpenItem(None)], TODAY, DEFAULT).reply_owed_since == ago(1)


def test_open_follow_ups_given_as_a_generator_are_all_counted() -> None:
    items = (OpenItem(d) for d in (TODAY, None))
    agg = fold([], items, TODAY, DEFAULT)
    assert agg.next_follow_up_on == TODAY
    assert agg.open_follow_ups == 2
    assert agg.has_undated_follow_up


# --- order independence -----------------------------------------------------------------------

_events = st.builds(
    lambda day, seconds, channel, direction, outcome: Event(
        on=TODAY + timedelta(days=day),
        at=f"{(TODAY + timedelta(days=day)).isoformat()}T{seconds // 3600:02d}:"
        f"{seconds // 60 % 60:02d}:{seconds % 60:02d}Z",
        channel=channel,
        direction=direction,
        outcome=outcome,
    ),
    st.integers(-400, 30),
    st.integers(0, 86399),
    st.sampled_from(vocabulary.INTERACTION_CHANNELS),
    st.sampled_from(["in", "out", "both"]),
    st.none() | st.sampled_from(vocabulary.OUTCOMES),
)
_items = st.lists(st.builds(OpenItem, st.none() | st.dates(ago(30), TODAY + timedelta(days=30))))


@given(
    events=st.lists(_events, max_size=25, unique_by=lambda e: e.at),
    items=_items,
    data=st.data(),
)
@settings(max_examples=150)
def test_fold_does_not_depend_on_the_order_of_the_events(
    events: list[Event], items: list[OpenItem], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(events))
    shuffled_items = data.draw(st.permutations(items))
    assert fold(shuffled, shuffled_items, TODAY, DEFAULT) == fold(events, items, TODAY, DEFAULT)


@given(events=st.lists(_events, max_size=25, unique_by=lambda e: e.at))
@settings(max_examples=100)
def test_fold_never_remembers_more_than_it_saw(events: list[Event]) -> None:
    agg = fold(events, [], TODAY, DEFAULT)
    past = [e for e in events if e.on <= TODAY and e.channel != "note"]
    assert agg.strength_ref >= 0
    assert (agg.first_contact_on is None) == (not past)
    if past:
        assert agg.first_contact_on == min(e.on for e in past)
        assert agg.last_contact_on == max(e.on for e in past)
        assert agg.strength_day <= TODAY.toordinal()
    outbound = agg.recent_outbound.split(",") if agg.recent_outbound else []
    assert len(outbound) <= RECENT_OUTBOUND_KEPT
    assert outbound == sorted(outbound)
    if agg.reply_owed_since is not None:
        assert agg.reply_channel in vocabulary.MESSAGE_CHANNELS
        assert agg.last_inbound_on is not None
        assert agg.reply_owed_since <= agg.last_inbound_on


def test_no_history_folds_to_the_empty_aggregates() -> None:
    """The store skips folding contacts without history; this is why that is safe."""
    assert fold([], [], TODAY, RankConfig()) == Aggregates()
