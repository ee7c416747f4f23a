"""Pure tests for relcli.domain.when: what a seller types, turned into dates and spans."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcli.domain.when import (
    MONTHS,
    UNIT_DAYS,
    WEEKDAYS,
    format_span,
    parse_date,
    parse_moment,
    parse_span,
)
from relcli.errors import UsageError

# A Monday, the "today" of the ranking scenarios.
TODAY = date(2025, 6, 16)


# --- ISO dates and datetimes ------------------------------------------------------------------


def test_iso_date_is_read_as_that_date() -> None:
    assert parse_date("2026-03-01", TODAY) == date(2026, 3, 1)


def test_iso_date_ignores_surrounding_whitespace_and_case() -> None:
    assert parse_date("  2026-03-01\t", TODAY) == date(2026, 3, 1)


def test_iso_date_does_not_depend_on_past() -> None:
    assert parse_date("2020-01-02", TODAY, past=False) == date(2020, 1, 2)
    assert parse_date("2030-01-02", TODAY, past=True) == date(2030, 1, 2)


@pytest.mark.parametrize("text", ["2026-03-01T14:30", "2026-03-01 14:30", "2026-03-01t09:05:59"])
def test_iso_datetime_given_to_parse_date_keeps_only_the_day(text: str) -> None:
    result = parse_date(text, TODAY)
    assert type(result) is date
    assert result == date(2026, 3, 1)


def test_parse_moment_returns_a_naive_datetime_when_a_time_is_given() -> None:
    result = parse_moment("2026-03-01T14:30", TODAY)
    assert isinstance(result, datetime)
    assert result == datetime.fromisoformat("2026-03-01T14:30:00")
    assert result.tzinfo is None


def test_parse_moment_accepts_a_space_and_seconds() -> None:
    assert parse_moment("2026-03-01 14:30:15", TODAY) == datetime.fromisoformat(
        "2026-03-01T14:30:15"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-03-01", date(2026, 3, 1)), ("fri", date(2025, 6, 20)), ("+3d", date(2025, 6, 19))],
)
def test_parse_moment_returns_a_plain_date_without_a_time(text: str, expected: date) -> None:
    result = parse_moment(text, TODAY)
    assert type(result) is date
    assert result == expected


def test_parse_moment_passes_past_on_to_weekdays() -> None:
    assert parse_moment("fri", TODAY, past=True) == date(2025, 6, 13)


@pytest.mark.parametrize("text", ["2026-03-01T25:00", "2026-02-30T10:00", ""])
def test_parse_moment_rejects_impossible_moments(text: str) -> None:
    with pytest.raises(UsageError, match="cannot read the date"):
        parse_moment(text, TODAY)


# --- today / tomorrow / yesterday ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offset"),
    [("today", 0), ("now", 0), ("tomorrow", 1), ("tmr", 1), ("yesterday", -1), ("  ToDay ", 0)],
)
def test_relative_words_count_from_today(text: str, offset: int) -> None:
    assert parse_date(text, TODAY) == TODAY + timedelta(days=offset)


def test_tomorrow_crosses_a_year_end() -> None:
    assert parse_date("tomorrow", date(2025, 12, 31)) == date(2026, 1, 1)


# --- weekdays ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tue", date(2025, 6, 17)),
        ("wednesday", date(2025, 6, 18)),
        ("thurs", date(2025, 6, 19)),
        ("fri", date(2025, 6, 20)),
        ("Friday", date(2025, 6, 20)),
        ("sat", date(2025, 6, 21)),
        ("sun", date(2025, 6, 22)),
    ],
)
def test_bare_weekday_is_the_next_one_coming(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("fri", date(2025, 6, 13)), ("tue", date(2025, 6, 10)), ("sun", date(2025, 6, 15))],
)
def test_bare_weekday_with_past_is_the_one_that_just_went_by(text: str, expected: date) -> None:
    assert parse_date(text, TODAY, past=True) == expected


def test_todays_weekday_means_a_week_ahead_or_a_week_back() -> None:
    assert parse_date("mon", TODAY) == TODAY + timedelta(days=7)
    assert parse_date("monday", TODAY, past=True) == TODAY - timedelta(days=7)


@pytest.mark.parametrize("past", [False, True])
def test_next_weekday_is_always_ahead(past: bool) -> None:
    assert parse_date("next monday", TODAY, past=past) == date(2025, 6, 23)
    assert parse_date("next fri", TODAY, past=past) == date(2025, 6, 20)
    assert parse_date("this wed", TODAY, past=past) == date(2025, 6, 18)


@pytest.mark.parametrize("past", [False, True])
def test_last_weekday_is_always_behind(past: bool) -> None:
    assert parse_date("last fri", TODAY, past=past) == date(2025, 6, 13)
    assert parse_date("last monday", TODAY, past=past) == date(2025, 6, 9)


@given(today=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)))
@settings(max_examples=50)
def test_weekday_names_land_within_a_week_on_that_weekday(today: date) -> None:
    for name, number in WEEKDAYS.items():
        ahead = parse_date(name, today)
        behind = parse_date(name, today, past=True)
        assert ahead.weekday() == number == behind.weekday()
        assert 1 <= (ahead - today).days <= 7
        assert 1 <= (today - behind).days <= 7


# --- offsets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("+3d", 3),
        ("-2d", -2),
        ("+ 3 days", 3),
        ("3d", 3),
        ("2w", 14),
        ("+1wk", 7),
        ("-1w", -7),
        ("in 2 weeks", 14),
        ("in 3 days", 3),
        ("in a week", 7),
        ("in one day", 1),
        ("3 days ago", -3),
        ("a week ago", -7),
        ("2w ago", -14),
        ("In  2   Weeks", 14),
        ("+0d", 0),
    ],
)
def test_day_and_week_offsets_count_days_from_today(text: str, offset: int) -> None:
    assert parse_date(text, TODAY) == TODAY + timedelta(days=offset)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("in 1 month", TODAY, date(2025, 7, 16)),
        ("+3m", TODAY, date(2025, 9, 16)),
        ("1 month ago", TODAY, date(2025, 5, 16)),
        ("in 1 month", date(2025, 1, 31), date(2025, 2, 28)),
        ("+1y", date(2024, 2, 29), date(2025, 2, 28)),
        ("in a year", TODAY, date(2026, 6, 16)),
        ("2 years ago", TODAY, date(2023, 6, 16)),
    ],
)
def test_month_and_year_offsets_move_the_calendar(text: str, today: date, expected: date) -> None:
    assert parse_date(text, today) == expected


@pytest.mark.parametrize(
    "text", ["+3x", "in 2 fortnights", "3 hours ago", "in 2", "+d", "in -2 days"]
)
def test_offsets_with_an_unknown_unit_or_no_count_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError, match="cannot read the date"):
        parse_date(text, TODAY)


# --- month-day forms --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dec 3", date(2025, 12, 3)),
        ("December 3", date(2025, 12, 3)),
        ("dec-3", date(2025, 12, 3)),
        ("dec.3", date(2025, 12, 3)),
        ("sept 30", date(2025, 9, 30)),
        ("jun 16", TODAY),
    ],
)
def test_month_day_ahead_of_today_is_this_year(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


def test_month_day_already_gone_rolls_into_next_year() -> None:
    assert parse_date("jan 5", TODAY) == date(2026, 1, 5)
    assert parse_date("jun 15", TODAY) == date(2026, 6, 15)


def test_month_day_with_past_is_the_last_one_that_happened() -> None:
    assert parse_date("dec 3", TODAY, past=True) == date(2024, 12, 3)
    assert parse_date("jan 5", TODAY, past=True) == date(2025, 1, 5)
    assert parse_date("jun 16", TODAY, past=True) == TODAY


def test_month_day_rolls_over_at_a_year_end() -> None:
    new_years_eve = date(2025, 12, 31)
    assert parse_date("jan 1", new_years_eve) == date(2026, 1, 1)
    assert parse_date("dec 31", date(2026, 1, 1), past=True) == date(2025, 12, 31)


@pytest.mark.parametrize("past", [False, True])
def test_month_day_with_a_year_is_that_exact_date(past: bool) -> None:
    assert parse_date("dec 3, 2023", TODAY, past=past) == date(2023, 12, 3)
    assert parse_date("mar 1 2030", TODAY, past=past) == date(2030, 3, 1)


@pytest.mark.parametrize(
    ("text", "past", "expected"),
    [
        ("3 dec", False, date(2025, 12, 3)),
        ("3 december", True, date(2024, 12, 3)),
        ("15 jun", False, date(2026, 6, 15)),
    ],
)
def test_day_first_month_day_is_read_like_month_first(
    text: str, past: bool, expected: date
) -> None:
    assert parse_date(text, TODAY, past=past) == expected


@pytest.mark.parametrize(("today", "past"), [(date(2024, 3, 1), False), (date(2024, 1, 1), True)])
def test_feb_29_rolled_into_a_non_leap_year_is_not_a_crash(today: date, past: bool) -> None:
    try:
        found = parse_date("feb 29", today, past=past)
    except UsageError:
        return
    assert (found.month, found.day) == (2, 29)


def test_feb_29_in_a_leap_year_is_read() -> None:
    assert parse_date("feb 29", date(2024, 1, 10)) == date(2024, 2, 29)


# --- invalid input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "someday",
        "2026-13-01",
        "2026-02-30",
        "2026-3-1",
        "12/3",
        "dec 32",
        "feb 30",
        "dec",
        "next",
        "next month",
        "last week",
        "2026-03-01T99:99",
        "fri at 3",
    ],
)
def test_unreadable_dates_are_usage_errors_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(UsageError, match="cannot read the date") as caught:
        parse_date(text, TODAY)
    assert caught.value.hint is not None
    assert "accepted forms" in caught.value.hint
    assert "next monday" in caught.value.hint


@pytest.mark.parametrize("text", ["+9999y", "9999 years ago", "in 9000 years"])
def test_an_offset_beyond_the_calendar_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError):
        parse_date(text, TODAY)


# --- spans ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("14d", 14),
        ("14", 14),
        ("2w", 14),
        ("3m", 90),
        ("1y", 365),
        ("2 weeks", 14),
        ("every 2 weeks", 14),
        ("Every 3D", 3),
        ("weekly", 7),
        ("daily", 1),
        ("fortnightly", 14),
        ("monthly", 30),
        ("quarterly", 91),
        ("yearly", 365),
    ],
)
def test_spans_are_counted_in_days(text: str, days: int) -> None:
    assert parse_span(text) == days


@pytest.mark.parametrize("text", ["", "0d", "0", "-3d", "3x", "soon", "1.5w", "2w3d"])
def test_unreadable_or_empty_spans_are_usage_errors_with_a_hint(text: str) -> None:
    with pytest.raises(UsageError, match="cannot read the span") as caught:
        parse_span(text)
    assert caught.value.hint is not None
    assert "14d" in caught.value.hint


@pytest.mark.parametrize(
    ("days", "text"), [(14, "2w"), (7, "1w"), (30, "30d"), (1, "1d"), (91, "13w")]
)
def test_format_span_picks_the_shortest_exact_spelling(days: int, text: str) -> None:
    assert format_span(days) == text


# --- properties -------------------------------------------------------------------------------

_units = st.sampled_from([*sorted(UNIT_DAYS), "x", "hours", "fortnight"])
_counts = st.integers(0, 9999).map(str) | st.sampled_from(["a", "an", "one", "-1"])


def _offset_text(count: str, unit: str, form: int) -> str:
    return [f"+{count}{unit}", f"-{count} {unit}", f"in {count} {unit}", f"{count} {unit} ago"][
        form
    ]


_offsets = st.builds(_offset_text, _counts, _units, st.integers(0, 3))
_month_days = st.tuples(
    st.sampled_from([*sorted(MONTHS), "smarch"]),
    st.integers(0, 40),
    st.sampled_from(["", ", 2024", " 2031", ", 0000"]),
    st.booleans(),
)
_month_day_texts = _month_days.map(
    lambda t: f"{t[0]} {t[1]}{t[2]}" if t[3] else f"{t[1]} {t[0]}{t[2]}"
)
_words = st.sampled_from(
    ["today", "now", "tomorrow", "tmr", "yesterday", "next", "last", "this", "ago", "in"]
    + sorted(WEEKDAYS)
    + [f"{w} {d}" for w in ("next", "last", "this", "every") for d in ("mon", "friday", "dec")]
)
_isoish = st.from_regex(r"\d{4}-\d{2}-\d{2}([T ]\d{1,2}:\d{2}(:\d{2})?)?", fullmatch=True)
_date_texts = (
    st.text(max_size=24)
    | _offsets
    | _month_day_texts
    | _words
    | _isoish
    | st.builds(lambda a, b: f"{a} {b}", _words, _offsets)
).flatmap(lambda s: st.sampled_from([s, s.upper(), f"  {s} "]))
_todays = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(text=_date_texts, today=_todays, past=st.booleans())
@settings(max_examples=400)
def test_any_text_is_either_a_date_or_a_usage_error(text: str, today: date, past: bool) -> None:
    result: date | None = None
    hint: str | None = None
    try:
        result = parse_date(text, today, past=past)
    except UsageError as err:
        hint = err.hint
    if result is None:
        assert hint is not None
        assert "accepted forms" in hint
    else:
        assert type(result) is date


@given(text=_date_texts, today=_todays, past=st.booleans())
@settings(max_examples=200)
def test_any_text_is_either_a_moment_or_a_usage_error(text: str, today: date, past: bool) -> None:
    try:
        result = parse_moment(text, today, past=past)
    except UsageError:
        return
    assert isinstance(result, date)


@given(day=st.dates(), today=_todays, past=st.booleans())
@settings(max_examples=200)
def test_an_iso_date_reads_back_as_itself(day: date, today: date, past: bool) -> None:
    assert parse_date(day.isoformat(), today, past=past) == day


@given(moment=st.datetimes())
@settings(max_examples=100)
def test_an_iso_minute_reads_back_as_itself(moment: datetime) -> None:
    minute = moment.replace(second=0, microsecond=0)
    assert parse_moment(minute.isoformat(timespec="minutes"), TODAY) == minute


@given(days=st.integers(1, 5000))
@settings(max_examples=200)
def test_a_formatted_span_reads_back_as_the_same_days(days: int) -> None:
    assert parse_span(format_span(days)) == days


@given(days=st.integers(1, 9999), today=_todays)
@settings(max_examples=200)
def test_plus_n_days_is_n_days_after_today(days: int, today: date) -> None:
    assert parse_date(f"+{days}d", today) == today + timedelta(days=days)
    assert parse_date(f"in {days} days", today) == today + timedelta(days=days)


@given(days=st.integers(0, 9999), today=_todays)
@settings(max_examples=100)
def test_n_days_ago_is_minus_n_days(days: int, today: date) -> None:
    assert parse_date(f"{days} days ago", today) == today - timedelta(days=days)
    assert parse_date(f"-{days}d", today) == today - timedelta(days=days)
