"""Pure tests for relcli.domain.capture: one line of quick capture → Capture. Today is a Tuesday."""

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from relcli.domain import vocabulary
from relcli.domain.capture import Capture, has_mention, is_capture, parse
from relcli.errors import UsageError

TODAY = date(2026, 12, 1)
FRIDAY = date(2026, 12, 4)


def test_the_issue_example_says_everything_in_one_line() -> None:
    line = "call @dana: worried about the renewal price !churn-risk #pricing next:fri"
    assert parse(line, TODAY) == Capture(
        contact="dana",
        summary="worried about the renewal price",
        channel="call",
        signal_kinds=("churn-risk",),
        tags=("pricing",),
        next_on=FRIDAY,
    )


def test_a_bare_mention_is_enough() -> None:
    assert parse("@dana", TODAY) == Capture(contact="dana")


# --- the contact ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "contact"),
    [
        ("@dana: hi", "dana"),
        ("@Dana, hi", "Dana"),
        ("spoke with @dana.", "dana"),
        ("@dana.lee hi", "dana lee"),
        ("@dana_lee hi", "dana lee"),
        ('@"Dana Lee": hi', "Dana Lee"),
        ("@'Dana  Lee' hi", "Dana Lee"),
        ('@"J.R. Smith" hi', "J.R. Smith"),
        ("@jean-luc hi", "jean-luc"),
        ("@josé hi", "josé"),
        ("@#12 hi", "#12"),
        ("@12 hi", "12"),
        ("@dana@acme.example: hi", "dana@acme.example"),
    ],
)
def test_the_mention_names_the_contact(line: str, contact: str) -> None:
    found = parse(line, TODAY)
    assert found.contact == contact
    assert found.summary == "hi" or line.startswith("spoke")


@pytest.mark.parametrize(
    "line",
    ["met dana@acme.example about C# @ann", "meet @ 3pm @ann", "ticket #123 @ann", "wow ! @ann"],
)
def test_only_a_word_start_at_is_a_mention_and_tags_need_a_letter(line: str) -> None:
    found = parse(line, TODAY)
    assert found.contact == "ann"
    assert found.tags == ()
    assert found.summary == line.removesuffix(" @ann")


def test_two_contacts_in_one_line_are_refused() -> None:
    with pytest.raises(UsageError, match=r"one contact per log line: 'dana' and 'bob'") as err:
        parse("@dana and @bob", TODAY)
    assert err.value.hint


def test_the_same_contact_twice_is_one_contact() -> None:
    assert parse("@dana said @Dana would call", TODAY).contact == "dana"


@pytest.mark.parametrize("line", ["no mention here", "", "   ", "dana@acme.example", "\\@dana hi"])
def test_a_line_without_a_mention_is_a_usage_error(line: str) -> None:
    with pytest.raises(UsageError, match="no @contact") as err:
        parse(line, TODAY)
    assert "@" in (err.value.hint or "")


@pytest.mark.parametrize("line", ['@"Dana Lee hi', "@dana next:'in 3 days"])
def test_an_unclosed_quote_is_a_usage_error(line: str) -> None:
    with pytest.raises(UsageError, match="unclosed quote"):
        parse(line, TODAY)


@pytest.mark.parametrize("line", ['@"Dana Lee"s team', "@ann next:'fri'x"])
def test_text_glued_to_a_closing_quote_is_a_usage_error(line: str) -> None:
    with pytest.raises(UsageError, match="after a closing quote"):
        parse(line, TODAY)


def test_an_empty_quoted_name_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="names nobody"):
        parse('@"  " hi', TODAY)


# --- channel and direction --------------------------------------------------------------------


@pytest.mark.parametrize("channel", vocabulary.INTERACTION_CHANNELS)
def test_the_first_word_may_name_the_channel(channel: str) -> None:
    assert parse(f"{channel} @ann: hi", TODAY) == Capture(
        contact="ann", summary="hi", channel=channel
    )
    assert parse(f"{channel.upper()}: @ann hi", TODAY).channel == channel


def test_a_channel_word_later_in_the_line_is_text() -> None:
    found = parse("@ann call back after the email", TODAY)
    assert (found.channel, found.summary) == (None, "call back after the email")


@pytest.mark.parametrize(
    ("line", "channel"),
    [
        ("< @ann asked for a quote", None),
        ("<@ann asked for a quote", None),
        ("<email @ann asked for a quote", "email"),
        ("< email @ann asked for a quote", "email"),
        ("in: @ann asked for a quote", None),
        ("in:email @ann asked for a quote", "email"),
        ("in: text @ann asked for a quote", "text"),
        ("email in: @ann asked for a quote", "email"),
    ],
)
def test_a_leading_marker_makes_it_inbound(line: str, channel: str | None) -> None:
    found = parse(line, TODAY)
    assert (found.is_inbound, found.channel, found.contact) == (True, channel, "ann")
    assert found.summary == "asked for a quote"


@pytest.mark.parametrize("line", ["@ann interested in: pricing", "@ann costs < 5k"])
def test_markers_later_in_the_line_are_text(line: str) -> None:
    found = parse(line, TODAY)
    assert not found.is_inbound
    assert found.summary == line.removeprefix("@ann ")


def test_in_with_an_unknown_channel_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown channel 'fax'"):
        parse("in:fax @ann", TODAY)


# --- signals, tags, outcome, next -------------------------------------------------------------


def test_signals_and_tags_are_collected_in_order_without_duplicates() -> None:
    found = parse("@ann !Funding #VIP !churn-risk, #q4-pipeline. #vip !funding", TODAY)
    assert found.signal_kinds == ("funding", "churn-risk")
    assert found.tags == ("vip", "q4-pipeline")
    assert found.summary is None


def test_an_invalid_tag_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="invalid tag 'a,b'"):
        parse("@ann #a,b", TODAY)


def test_kinds_are_not_checked_here_the_configured_list_is_the_services() -> None:
    assert parse("@ann !my-own-kind", TODAY).signal_kinds == ("my-own-kind",)


@pytest.mark.parametrize(
    ("token", "outcome"),
    [("=voicemail", "voicemail"), ("=No_Answer", "no-answer"), ("=replied.", "replied")],
)
def test_an_equals_word_is_the_outcome(token: str, outcome: str) -> None:
    assert parse(f"@ann {token}", TODAY).outcome == outcome


def test_an_unknown_outcome_lists_the_known_ones() -> None:
    with pytest.raises(UsageError, match="unknown outcome 'great'") as err:
        parse("@ann =great", TODAY)
    assert "voicemail" in (err.value.hint or "")


def test_two_different_outcomes_are_refused() -> None:
    with pytest.raises(UsageError, match="two outcomes"):
        parse("@ann =voicemail =replied", TODAY)


@pytest.mark.parametrize(
    ("token", "day"),
    [
        ("next:fri", FRIDAY),
        ("Next:Friday,", FRIDAY),
        ("next:2026-12-04", FRIDAY),
        ("next:2026-12-04.", FRIDAY),
        ("next:+3d", FRIDAY),
        ("next:in-3-days", FRIDAY),
        ("next:in_3_days", FRIDAY),
        ('next:"in 3 days"', FRIDAY),
        ("next:'in 3 days':", FRIDAY),
        ("next:next-monday", date(2026, 12, 7)),
        ("next:dec-4", FRIDAY),
        ("next:tomorrow", date(2026, 12, 2)),
    ],
)
def test_next_schedules_a_follow_up(token: str, day: date) -> None:
    found = parse(f"@ann sent the deck {token}", TODAY)
    assert (found.next_on, found.summary) == (day, "sent the deck")


@pytest.mark.parametrize("token", ["next:soonish", "next:", 'next:""', "next:in-3-lightyears"])
def test_an_unreadable_next_is_a_usage_error_with_the_accepted_forms(token: str) -> None:
    with pytest.raises(UsageError) as err:
        parse(f"@ann {token}", TODAY)
    assert "next:fri" in (err.value.hint or "")


def test_two_different_next_dates_are_refused_the_same_twice_is_fine() -> None:
    with pytest.raises(UsageError, match="two follow-up dates"):
        parse("@ann next:fri next:sat", TODAY)
    assert parse("@ann next:fri next:friday", TODAY).next_on == FRIDAY


# --- the summary ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "summary"),
    [
        ("call @ann - worried about price -", "worried about price"),
        ("@ann:   worried\tabout\n price", "worried about price"),
        ('@ann she said "too expensive"!', 'she said "too expensive"!'),
        (
            "@ann \\#1 priority, \\@bob cc'd, \\!important \\next:fri \\=x",
            "#1 priority, @bob cc'd, !important next:fri =x",
        ),
        ("\\call @ann back", "call back"),
        ("@ann \\\\@bob", "\\@bob"),
    ],
)
def test_the_summary_is_the_text_minus_tokens_with_whitespace_tidied(
    line: str, summary: str
) -> None:
    assert parse(line, TODAY).summary == summary


def test_a_line_of_only_tokens_has_no_summary() -> None:
    assert parse("call @ann: #vip", TODAY).summary is None


# --- telling the two forms of relcli log apart ------------------------------------------------


@pytest.mark.parametrize(
    ("args", "capture"),
    [
        (["call @dana: hi"], True),
        (["@dana"], True),
        (["<@dana hi"], True),
        (["call", "@dana:", "worried"], True),
        (["<", "email", "@dana"], True),
        (["in:email", "@dana"], True),
        (["ann"], False),
        (["ann", "intro call"], False),
        (["ann", "cc'd @bob on it"], False),
        (["dana@acme.example", "hi"], False),
        (["#12", "hi"], False),
        (["call"], False),
        ([], False),
    ],
)
def test_capture_text_is_recognised_by_its_mention(args: list[str], capture: bool) -> None:
    assert is_capture(args) is capture


# --- properties -------------------------------------------------------------------------------

_TOKENISH = st.sampled_from(
    ["@", "#", "!", "=", "<", "\\", '"', "'", ":", "next:", "in:", "call", "email", " ", "\t"]
)
_texts = st.lists(st.one_of(_TOKENISH, st.text(max_size=6)), max_size=12).map("".join)


@given(text=_texts)
@settings(max_examples=600)
@example(text='@"')
@example(text="next:'")
@example(text="<")
@example(text="<<@x")
@example(text="in:")
@example(text="@x next:-")
def test_any_text_either_parses_or_raises_a_usage_error(text: str) -> None:
    found: Capture | UsageError
    try:
        found = parse(text, TODAY)
    except UsageError as err:
        found = err
    if isinstance(found, UsageError):
        assert str(found)
        assert "\n" not in str(found)
        return
    assert found.contact.strip()
    assert has_mention(text)
    if found.summary is not None:
        assert found.summary == found.summary.strip()
        assert "  " not in found.summary


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
_plain = _word.filter(lambda w: w not in vocabulary.INTERACTION_CHANNELS)


@given(
    name=st.lists(_word, min_size=1, max_size=3),
    channel=st.none() | st.sampled_from(vocabulary.INTERACTION_CHANNELS),
    inbound=st.booleans(),
    outcome=st.none() | st.sampled_from(vocabulary.OUTCOMES),
    kinds=st.lists(_word, max_size=3, unique=True),
    tags=st.lists(_word, max_size=3, unique=True),
    summary=st.lists(_plain, max_size=6),
    has_next=st.booleans(),
    order=st.randoms(use_true_random=False),
)
@settings(max_examples=300)
def test_a_written_capture_reads_back(
    name: list[str],
    channel: str | None,
    inbound: bool,
    outcome: str | None,
    kinds: list[str],
    tags: list[str],
    summary: list[str],
    has_next: bool,
    order: object,
) -> None:
    import random

    assert isinstance(order, random.Random)
    tokens = [f"!{k}" for k in kinds] + [f"#{t}" for t in tags]
    tokens += [f"={outcome}"] if outcome else []
    tokens += ["next:in-3-days"] if has_next else []
    tokens += [f"@{'.'.join(name)}:"]
    words = tokens + summary
    order.shuffle(words)
    head = ["<"] if inbound else []
    head += [channel] if channel else []
    found = parse(" ".join(head + words), TODAY)
    assert found == Capture(
        contact=" ".join(name),
        summary=" ".join(w for w in words if w in summary) or None,
        channel=channel,
        is_inbound=inbound,
        outcome=outcome,
        signal_kinds=tuple(w[1:] for w in words if w.startswith("!")),
        tags=tuple(w[1:] for w in words if w.startswith("#")),
        next_on=FRIDAY if has_next else None,
    )


@given(text=_texts)
@settings(max_examples=300)
def test_no_token_leaks_into_the_summary(text: str) -> None:
    try:
        found = parse(text.replace("\\", ""), TODAY)
    except UsageError:
        return
    for word in (found.summary or "").split():
        assert not (word.startswith("@") and len(word) > 1 and word[1].isalnum()), word
        assert not (word[0] in "#!=" and word[1:2].isalpha()), word
        assert not word.lower().startswith("next:"), word
