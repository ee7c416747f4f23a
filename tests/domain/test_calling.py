"""The rules of a calling session: keys, proposed next dates, dial URIs and the tally."""

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcli.domain import calling
from relcli.errors import InvalidInputError, UsageError

TODAY = date(2026, 12, 1)  # a Tuesday


def keys(channel: str) -> list[str]:
    return [c.key for c in calling.choices_for(channel)]


def test_a_call_offers_voice_outcomes_and_a_message_offers_sent() -> None:
    assert keys("call") == ["c", "v", "n", "m", "x", "s", "z", "q"]
    assert keys("email") == keys("text") == ["d", "m", "x", "s", "z", "q"]


@pytest.mark.parametrize("channel", calling.SESSION_CHANNELS)
def test_every_key_means_one_thing_and_every_choice_has_a_next_rule(channel: str) -> None:
    offered = calling.choices_for(channel)
    assert len({c.key for c in offered}) == len(offered)
    recorded = [c for c in offered if c.action in ("record", "snooze")]
    assert all(c.name in calling.DEFAULT_NEXT_AFTER for c in recorded)


def test_keys_read_either_case_and_others_mean_nothing() -> None:
    found = calling.choice("N", "call")
    assert found is not None
    assert (found.outcome, found.action) == ("no-answer", "record")
    assert calling.choice("v", "email") is None  # no voicemail for an email
    assert calling.choice("?", "call") is None
    sent = calling.choice("d", "text")
    assert sent is not None
    assert (sent.outcome, sent.action) == (None, "record")


@pytest.mark.parametrize(
    ("name", "text", "rule"),
    [("no-answer", "1d", 1), ("voicemail", "2w", 14), ("connected", "cadence", "cadence"),
     ("meeting-booked", "none", None), ("sent", " 3 ", 3), ("snooze", "1d", 1)],
)  # fmt: skip
def test_rules_read_spans_cadence_and_none(name: str, text: str, rule: object) -> None:
    assert calling.parse_rule(name, text) == rule


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [("no-answer", "soon", "cannot read 'soon'"), ("snooze", "none", "a snooze needs a span"),
     ("snooze", "cadence", "a snooze needs a span"), ("hung-up", "1d", "unknown outcome")],
)  # fmt: skip
def test_bad_rules_are_usage_errors_naming_the_input(name: str, text: str, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        calling.parse_rule(name, text)


def test_the_defaults_follow_the_issue() -> None:
    rules = calling.rules({})
    assert rules["no-answer"] == 1
    assert rules["voicemail"] == 2
    assert rules["connected"] == "cadence"
    assert rules["meeting-booked"] is None
    assert rules["not-interested"] is None
    assert calling.rules({"no-answer": "3d"})["no-answer"] == 3


@pytest.mark.parametrize(
    ("rule", "cadence", "gap", "expected"),
    [(1, None, None, TODAY + timedelta(days=1)), ("cadence", 14, None, TODAY + timedelta(days=14)),
     ("cadence", None, None, None), (None, 14, None, None),
     (1, None, 7, TODAY + timedelta(days=7)), (30, None, 7, TODAY + timedelta(days=30))],
)  # fmt: skip
def test_proposed_next_date(rule: calling.NextRule, cadence: int | None, gap: int | None,
                            expected: date | None) -> None:  # fmt: skip
    assert calling.proposed_next(rule, TODAY, cadence_days=cadence, min_gap_days=gap) == expected


@given(
    rule=st.one_of(st.none(), st.just("cadence"), st.integers(1, 400)),
    cadence=st.one_of(st.none(), st.integers(1, 400)),
    gap=st.one_of(st.none(), st.integers(1, 400)),
)
def test_a_proposal_is_never_today_or_inside_the_minimum_gap(
    rule: calling.NextRule, cadence: int | None, gap: int | None
) -> None:
    proposed = calling.proposed_next(rule, TODAY, cadence_days=cadence, min_gap_days=gap)
    days = cadence if rule == "cadence" else rule
    assert (proposed is None) == (days is None)
    if proposed is not None:
        assert proposed > TODAY
        assert proposed >= TODAY + timedelta(days=gap or 0)


def test_a_date_prompt_keeps_clears_or_reads() -> None:
    proposed = TODAY + timedelta(days=2)
    assert calling.read_date("", TODAY, proposed) == proposed
    assert calling.read_date("  ", TODAY, None) is None
    assert calling.read_date("-", TODAY, proposed) is None
    assert calling.read_date("None", TODAY, proposed) is None
    assert calling.read_date("fri", TODAY, proposed) == date(2026, 12, 4)
    assert calling.read_date("+3d", TODAY, None) == date(2026, 12, 4)


@given(st.text(max_size=30))
def test_any_answer_at_a_date_prompt_reads_or_is_a_usage_error(text: str) -> None:
    try:
        found = calling.read_date(text, TODAY, TODAY)
    except UsageError:
        return
    assert found is None or isinstance(found, date)


def test_past_dates_and_snoozes_to_today_are_refused() -> None:
    assert calling.check_next(TODAY, TODAY) == TODAY
    with pytest.raises(InvalidInputError, match="in the past"):
        calling.check_next(TODAY - timedelta(days=1), TODAY)
    with pytest.raises(InvalidInputError, match="cannot snooze"):
        calling.check_snooze(TODAY, TODAY)


@pytest.mark.parametrize(
    ("channel", "reach", "uri"),
    [("call", "+1 (555) 010-2030", "tel:+15550102030"), ("text", "0171 555 0100", "sms:01715550100"),
     ("email", " ann@example.com ", "mailto:ann@example.com"), ("call", "555+0100", "tel:5550100")],
)  # fmt: skip
def test_dial_uris(channel: str, reach: str, uri: str) -> None:
    assert calling.dial_uri(channel, reach) == uri


@given(st.text(max_size=40))
def test_a_tel_uri_holds_only_digits_and_a_leading_plus(reach: str) -> None:
    try:
        uri = calling.dial_uri("call", reach)
    except InvalidInputError:
        assert not re.search(r"\d", re.sub(r"[^\d+]", "", reach))
        return
    assert re.fullmatch(r"tel:\+?\d+", uri), uri


@pytest.mark.parametrize(
    ("outcome", "note", "answered", "reason"),
    [("no-answer", "rang out", "send the deck", "send the deck"),
     ("no-answer", "rang out", None, "rang out"),
     ("connected", "wants pricing in Q1", "send the deck", "wants pricing in Q1"),
     ("connected", "", "send the deck", "send the deck"),
     (None, "", None, None)],
)  # fmt: skip
def test_the_next_follow_up_carries_an_unanswered_promise(
    outcome: str | None, note: str, answered: str | None, reason: str | None
) -> None:
    assert calling.follow_up_reason(outcome, note, answered) == reason


@given(st.lists(st.sampled_from([c for c in calling.CHOICES if c.action != "quit"])))
def test_the_tally_counts_every_contact_once(choices: list[calling.Choice]) -> None:
    tally = calling.Tally()
    for c in choices:
        tally.count(c)
    assert tally.offered == len(choices)
    assert tally.meetings <= tally.connects <= tally.attempts
    assert tally.skipped == sum(c.action == "skip" for c in choices)


@pytest.mark.parametrize(("seconds", "text"), [(0, "0s"), (59.9, "59s"), (123, "2m 03s"),
                                               (3720, "1h 02m"), (-5, "0s")])  # fmt: skip
def test_durations(seconds: float, text: str) -> None:
    assert calling.duration(seconds) == text
