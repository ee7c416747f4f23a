"""relcli log with a quick-capture line, through main(). Today is Tuesday 2026-12-01, TZ=UTC."""

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Relcli, Run, dump, ok

Db = Callable[[str], list[tuple[object, ...]]]

ISSUE_LINE = "call @dana.lee: worried about the renewal price !churn-risk #pricing next:fri"


@pytest.fixture(autouse=True)
def book(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Dana Lee", "--email", "dana@acme.example"))  # 1
    ok(relcli("contact", "add", "Dana Park"))  # 2
    ok(relcli("contact", "add", "Bob Stone", "--tag", "vip"))  # 3


def interactions(db: Db) -> list[tuple[object, ...]]:
    return db("SELECT contact_id, channel, direction, outcome, summary, at FROM interaction")


def everything(db: Db) -> dict[str, list[tuple[object, ...]]]:
    return {
        "interaction": interactions(db),
        "signal": db(
            "SELECT contact_id, kind, note, observed_on, source, source_interaction_id FROM signal"
        ),
        "tag": db("SELECT contact_id, tag FROM contact_tag ORDER BY contact_id, tag"),
        "follow_up": db("SELECT contact_id, due_on, reason FROM follow_up"),
    }


def test_the_issue_line_logs_the_call_the_signal_the_tag_and_the_follow_up(
    relcli: Relcli, db: Db
) -> None:
    logged = relcli("log", ISSUE_LINE)
    assert (logged.code, logged.out) == (0, "")
    assert logged.err == (
        "logged call with Dana Lee (#1); signal #1 churn-risk; tag pricing; "
        "follow-up #1 on 2026-12-04\n"
    )
    summary = "worried about the renewal price"
    assert everything(db) == {
        "interaction": [(1, "call", "out", None, summary, "2026-12-01T12:00:00+00:00")],
        "signal": [(1, "churn-risk", summary, "2026-12-01", "interaction #1", 1)],
        "tag": [(1, "pricing"), (3, "vip")],
        "follow_up": [(1, "2026-12-04", summary)],
    }
    assert db(
        "SELECT next_follow_up_on, last_contact_on FROM contact_stats WHERE contact_id = 1"
    ) == [("2026-12-04", "2026-12-01")]


def test_the_words_may_come_unquoted_as_several_arguments(relcli: Relcli, db: Db) -> None:
    ok(relcli("log", "email", "@bob:", "sent", "the", "deck", "#q4"))
    assert interactions(db) == [
        (3, "email", "out", None, "sent the deck", "2026-12-01T12:00:00+00:00")
    ]
    assert db("SELECT tag FROM contact_tag WHERE contact_id = 3 ORDER BY tag") == [
        ("q4",),
        ("vip",),
    ]


@pytest.mark.parametrize(
    ("line", "contact"),
    [
        ('@"Dana Park": hi', 2),
        ("@dana_park hi", 2),
        ("@#2 hi", 2),
        ("@dana@acme.example hi", 1),
        ("hi @bob", 3),
    ],
)
def test_the_mention_resolves_like_contact(relcli: Relcli, db: Db, line: str, contact: int) -> None:
    ok(relcli("log", line))
    assert db("SELECT contact_id, summary FROM interaction") == [(contact, "hi")]


@pytest.mark.parametrize("channel", ["call", "email", "text", "meeting", "social", "note"])
def test_the_first_word_names_the_channel(relcli: Relcli, db: Db, channel: str) -> None:
    logged = ok(relcli("log", f"{channel} @bob: caught up"))
    assert logged.err.startswith(f"logged {channel} with Bob Stone (#1)")
    assert db("SELECT channel, summary FROM interaction") == [(channel, "caught up")]


@pytest.mark.parametrize(
    "line",
    [
        "in: email @bob asked for a quote",
        "in:email @bob asked for a quote",
        "<email @bob asked for a quote",
        "< @bob asked for a quote",
    ],
)
def test_in_or_a_leading_angle_marks_an_inbound_message(relcli: Relcli, db: Db, line: str) -> None:
    logged = ok(relcli("log", line, "--channel", "email"))
    assert logged.err == "logged email from Bob Stone (#1)\n"
    assert db("SELECT channel, direction, summary FROM interaction") == [
        ("email", "in", "asked for a quote")
    ]
    assert db("SELECT reply_owed_since FROM contact_stats WHERE contact_id = 3") == [
        ("2026-12-01",)
    ]


def test_an_outcome_and_several_signals_and_tags(relcli: Relcli, db: Db) -> None:
    logged = ok(
        relcli(
            "log",
            "@bob asked for pricing and a demo =connected !pricing-request !demo-request #hot #q4",
        )
    )
    assert logged.err == (
        "logged call with Bob Stone (#1); signals #1 pricing-request, #2 demo-request; tags hot, q4\n"
    )
    assert db("SELECT outcome, summary FROM interaction") == [
        ("connected", "asked for pricing and a demo")
    ]
    assert db("SELECT kind, source_interaction_id FROM signal ORDER BY id") == [
        ("pricing-request", 1),
        ("demo-request", 1),
    ]
    assert db("SELECT tag FROM contact_tag WHERE contact_id = 3 ORDER BY tag") == [
        ("hot",),
        ("q4",),
        ("vip",),
    ]


def test_a_tag_the_contact_already_has_is_fine(relcli: Relcli, db: Db) -> None:
    logged = ok(relcli("log", "@bob #vip"))
    assert logged.err == "logged call with Bob Stone (#1); tag vip\n"
    assert db("SELECT tag FROM contact_tag WHERE contact_id = 3") == [("vip",)]


def test_a_signal_of_a_kind_defined_in_config_is_accepted(
    relcli: Relcli, db: Db, isolated: Path
) -> None:
    isolated.mkdir(exist_ok=True)
    (isolated / "config.toml").write_text("[rank.signal.board-meeting]\nweight = 0.4\n")
    ok(relcli("log", "@bob !board-meeting"))
    assert db("SELECT kind FROM signal") == [("board-meeting",)]


def test_emails_and_hashes_inside_words_are_text(relcli: Relcli, db: Db) -> None:
    ok(relcli("log", "@bob cc'd dana@acme.example on the C# port, ticket #123"))
    assert db("SELECT contact_id, summary FROM interaction") == [
        (3, "cc'd dana@acme.example on the C# port, ticket #123")
    ]
    assert db("SELECT tag FROM contact_tag WHERE contact_id = 3") == [("vip",)]


def test_the_old_form_is_unchanged_even_with_an_at_in_the_summary(relcli: Relcli, db: Db) -> None:
    logged = ok(relcli("log", "bob", "cc'd @dana on it #later !soon"))
    assert logged.err == "logged call with Bob Stone (#1)\n"
    assert db("SELECT contact_id, summary FROM interaction") == [
        (3, "cc'd @dana on it #later !soon")
    ]
    assert db("SELECT count(*) FROM signal") == [(0,)]


# --- flags win over the line ------------------------------------------------------------------


def test_flags_override_the_line(relcli: Relcli, db: Db) -> None:
    logged = ok(
        relcli(
            "log", "<call @bob: left a message =voicemail next:fri",
            "--channel", "text", "--out", "--outcome", "replied", "--next", "2026-12-10",
            "--on", "yesterday",
        )
    )  # fmt: skip
    assert logged.err == "logged text with Bob Stone (#1); follow-up #1 on 2026-12-10\n"
    assert interactions(db) == [
        (3, "text", "out", "replied", "left a message", "2026-11-30T12:00:00+00:00")
    ]
    assert db("SELECT due_on FROM follow_up") == [("2026-12-10",)]


def test_in_flag_makes_a_capture_line_inbound(relcli: Relcli, db: Db) -> None:
    ok(relcli("log", "email @bob: asked for a quote", "--in"))
    assert db("SELECT channel, direction FROM interaction") == [("email", "in")]


# --- refusals: nothing is written -------------------------------------------------------------


def refused(run: Run, code: int) -> str:
    assert (run.code, run.out) == (code, ""), run.err
    assert "Traceback" not in run.err
    assert len(run.err.splitlines()) == 1
    assert "hint:" in run.err
    return run.err


def test_an_ambiguous_mention_lists_the_candidates_and_writes_nothing(
    relcli: Relcli, db_path: Path
) -> None:
    before = dump(db_path)
    err = refused(relcli("log", "call @dana: worried !churn-risk #pricing next:fri"), 4)
    assert "'dana' matches 2 contacts: #1 Dana Lee; #2 Dana Park; nothing was changed" in err
    assert dump(db_path) == before


def test_an_unknown_mention_is_not_found(relcli: Relcli, db_path: Path) -> None:
    before = dump(db_path)
    err = refused(relcli("log", "@zed hello #pricing"), 3)
    assert "no contact matches 'zed'" in err
    assert dump(db_path) == before


def test_an_unknown_signal_kind_lists_the_known_ones_and_writes_nothing(
    relcli: Relcli, db_path: Path
) -> None:
    before = dump(db_path)
    err = refused(relcli("log", "@bob worried !churn-risk !nope #pricing next:fri"), 2)
    assert "unknown signal kind 'nope'" in err
    assert "churn-risk" in err.split("hint:")[1]
    assert dump(db_path) == before


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("@bob sent the deck next:soonish #q4", "cannot read the date 'soonish' in 'next:soonish'"),
        ("@bob sent the deck next:", "'next:' needs a date"),
        ("@bob and @dana.lee", "one contact per log line: 'bob' and 'dana lee'"),
        ("@bob =great", "unknown outcome 'great'"),
        ('@"Bob Stone hi', "unclosed quote"),
        ("@bob #a,b", "invalid tag 'a,b'"),
        ("in:fax @bob", "unknown channel 'fax'"),
    ],
)
def test_a_line_that_cannot_be_read_is_a_usage_error_and_writes_nothing(
    relcli: Relcli, db_path: Path, line: str, message: str
) -> None:
    before = dump(db_path)
    err = refused(relcli("log", line), 2)
    assert message in err
    assert dump(db_path) == before


def test_a_next_date_in_the_past_is_refused(relcli: Relcli, db_path: Path) -> None:
    before = dump(db_path)
    err = refused(relcli("log", "@bob next:yesterday !funding"), 1)
    assert "in the past; nothing was changed" in err
    assert dump(db_path) == before


def test_a_bad_flag_still_wins_and_refuses(relcli: Relcli, db_path: Path) -> None:
    before = dump(db_path)
    err = refused(relcli("log", "email @bob: hi", "--channel", "fax"), 2)
    assert "unknown channel 'fax'" in err
    assert dump(db_path) == before
