"""relcli today and relcli why on small books of our own, built through the real CLI.

These cover what ranking-scenarios.json does not: company signals, recurring follow-ups,
replies owed, snooze, do-not-contact on every channel, the cap bypass, what-if previews,
configuration, the JSON contract, filters, empty states, and why/today agreement.
conftest pins today to 2026-12-01 (a Tuesday) and TZ to UTC.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from relcli.domain import ranking, vocabulary
from tests.conftest import Relcli, Run

TODAY = "2026-12-01"
LONG_AGO = "2026-06-01"  # when the contacts of these books were added


def ok(run: Run, *what: str) -> Run:
    assert run.code == 0, f"relcli {' '.join(what)} failed ({run.code}): {run.err}"
    return run


def do(relcli: Relcli, *commands: tuple[str, ...]) -> None:
    """Run each command; a leading ('--today', DAY) pins the day it happens."""
    for args in commands:
        ok(relcli(*args), *args)


def person(name: str, *extra: str, on: str = LONG_AGO) -> tuple[str, ...]:
    """``contact add`` with a phone and an email, as of ``on``."""
    key = name.split()[0].lower()
    phone = f"+1 555 010 {2000 + sum(map(ord, name)) % 8000:04d}"
    return (
        "--today",
        on,
        "contact",
        "add",
        name,
        "--email",
        f"{key}@example.com",
        "--phone",
        phone,
        *extra,
    )


def rows(relcli: Relcli, *extra: str, today: str = TODAY) -> list[dict[str, Any]]:
    args = ("--today", today, "today", "--format", "json", *extra)
    listed: list[dict[str, Any]] = json.loads(ok(relcli(*args), *args).out)
    return listed


def names(listed: list[dict[str, Any]]) -> list[str]:
    return [r["name"] for r in listed]


def why(relcli: Relcli, contact: str, *extra: str, today: str = TODAY) -> dict[str, Any]:
    args = ("--today", today, "why", contact, "--format", "json", *extra)
    found: dict[str, Any] = json.loads(ok(relcli(*args), *args).out)
    return found


def why_text(relcli: Relcli, contact: str, *extra: str, today: str = TODAY) -> str:
    args = ("--today", today, "why", contact, "--format", "plain", *extra)
    return ok(relcli(*args), *args).out


def term(explained: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in explained["reasons"] if t["term"] == name)


def check(explained: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in explained["filters"] if f["filter"] == name)


# --- company signals -------------------------------------------------------------------------


def test_company_signal_fans_out_to_its_contacts_primary_in_full(relcli: Relcli) -> None:
    do(
        relcli,
        person("Ann Lee", "--company", "Acme"),
        person("Ben Ode", "--company", "Acme"),
        person("Cy Dunn", "--company", "Globex"),
        ("company", "edit", "Acme", "--primary", "Ann Lee"),
        ("signal", "add", "--company", "Acme", "funding", "Series C", "--on", "2026-11-28"),
    )
    listed = rows(relcli)
    assert names(listed) == ["Ann Lee", "Ben Ode"]  # Globex had no news
    assert {r["company"] for r in listed} == {"Acme"}

    ann, ben = why(relcli, "Ann Lee"), why(relcli, "Ben Ode")
    full, half = term(ann, "signal")["points"], term(ben, "signal")["points"]
    expected = 10.0 * 0.8 * 2 ** (-3 / 30)
    assert full == pytest.approx(expected, abs=0.01)
    assert half == pytest.approx(expected * 0.5, abs=0.01)
    assert "via Acme" in term(ann, "signal")["detail"]
    assert "via Acme" in term(ben, "signal")["detail"]
    assert "not primary" in term(ben, "signal")["detail"]
    assert "not primary" not in term(ann, "signal")["detail"]
    assert "via Acme" in why_text(relcli, "Ann Lee")
    assert "via Acme" in listed[0]["why"]


def test_changing_the_primary_contact_moves_the_full_share(relcli: Relcli) -> None:
    do(
        relcli,
        person("Ann Lee", "--company", "Acme"),
        person("Ben Ode", "--company", "Acme"),
        ("company", "edit", "Acme", "--primary", "Ann Lee"),
        ("signal", "add", "--company", "Acme", "exec-hire", "new CRO", "--on", "2026-11-30"),
    )
    assert names(rows(relcli)) == ["Ann Lee", "Ben Ode"]
    do(relcli, ("company", "edit", "Acme", "--primary", "Ben Ode"))
    assert names(rows(relcli)) == ["Ben Ode", "Ann Lee"]


def test_a_contact_signal_does_not_fan_out_to_colleagues(relcli: Relcli) -> None:
    do(
        relcli,
        person("Ann Lee", "--company", "Acme"),
        person("Ben Ode", "--company", "Acme"),
        ("signal", "add", "Ann Lee", "job-change", "--on", "2026-11-30"),
    )
    assert names(rows(relcli)) == ["Ann Lee"]


# --- follow-ups and replies owed -------------------------------------------------------------


def test_a_recurring_follow_up_comes_back_after_it_is_done(relcli: Relcli) -> None:
    do(
        relcli,
        person("Ann Lee"),
        ("follow-up", "add", "Ann Lee", TODAY, "weekly check-in", "--every", "7d"),
    )
    first = rows(relcli)
    assert names(first) == ["Ann Lee"]
    assert first[0]["why"] == "follow-up due today: weekly check-in"

    (open_one,) = json.loads(ok(relcli("follow-up", "list", "--format", "json")).out)
    assert open_one["every_days"] == 7
    done = ok(relcli("follow-up", "done", str(open_one["id"])))
    assert "next one" in done.err
    assert "2026-12-08" in done.err

    assert rows(relcli) == []  # due in 7 days: no points yet
    assert term(why(relcli, "Ann Lee"), "followup")["detail"].startswith("follow-up due in 7d")
    again = rows(relcli, today="2026-12-08")
    assert names(again) == ["Ann Lee"]
    assert again[0]["why"] == "follow-up due today: weekly check-in"
    later = rows(relcli, today="2026-12-10")
    assert later[0]["why"] == "follow-up 2d overdue: weekly check-in"
    assert later[0]["score"] > again[0]["score"]


def test_an_inbound_email_owes_a_reply_until_an_outbound_email(relcli: Relcli) -> None:
    do(
        relcli,
        person("Ann Lee"),
        (
            "log",
            "Ann Lee",
            "can you send pricing?",
            "--channel",
            "email",
            "--in",
            "--on",
            "2026-11-29",
        ),
    )
    listed = rows(relcli)
    assert names(listed) == ["Ann Lee"]
    assert listed[0]["why"].startswith("reply owed since")
    assert term(why(relcli, "Ann Lee"), "followup")["detail"] == "reply owed since Sun (email)"
    assert "reply owed since" in why_text(relcli, "Ann Lee")

    do(relcli, ("log", "Ann Lee", "sent the sheet", "--channel", "email"))
    assert rows(relcli) == []
    assert term(why(relcli, "Ann Lee"), "followup")["detail"] == "none open"


@pytest.mark.parametrize("channel", ["call", "meeting"])
def test_a_conversation_never_owes_a_reply(relcli: Relcli, channel: str) -> None:
    do(
        relcli,
        person("Ann Lee"),
        ("log", "Ann Lee", "--channel", channel, "--in", "--on", "2026-11-29"),
    )
    assert rows(relcli) == []
    assert "reply owed" not in term(why(relcli, "Ann Lee"), "followup")["detail"]


def test_a_later_inbound_email_keeps_the_reply_owed_since_the_first(relcli: Relcli) -> None:
    do(
        relcli,
        person("Ann Lee"),
        ("log", "Ann Lee", "--channel", "email", "--in", "--on", "2026-11-20"),
        ("log", "Ann Lee", "--channel", "email", "--in", "--on", "2026-11-29"),
    )
    assert (
        term(why(relcli, "Ann Lee"), "followup")["detail"] == "reply owed since 2026-11-20 (email)"
    )


# --- filters ---------------------------------------------------------------------------------


def test_a_snoozed_contact_is_held_back_until_the_snooze_ends(relcli: Relcli) -> None:
    do(
        relcli,
        person("Ann Lee", "--cadence", "7d"),
        person("Ben Ode", "--cadence", "7d"),
        ("contact", "edit", "Ann Lee", "--snooze", "2026-12-05"),
    )
    assert names(rows(relcli)) == ["Ben Ode"]
    explained = why(relcli, "Ann Lee")
    assert explained["excluded_by"] == "snooze"
    assert explained["rank"] is None
    assert check(explained, "snooze")["detail"] == "snoozed until 2026-12-05"
    assert "not on today's list: snooze, snoozed until 2026-12-05" in why_text(relcli, "Ann Lee")
    assert names(rows(relcli, today="2026-12-05")) == ["Ann Lee", "Ben Ode"]


@pytest.mark.parametrize("channel", [None, *vocabulary.CHANNELS])
def test_do_not_contact_is_held_back_on_every_channel(relcli: Relcli, channel: str | None) -> None:
    do(
        relcli,
        person("Ann Lee", "--cadence", "7d", "--url", "https://example.com/in/ann", "--tier", "A"),
        person("Ben Ode", "--cadence", "7d", "--url", "https://example.com/in/ben"),
        ("follow-up", "add", "Ann Lee", TODAY, "send the contract"),
        ("contact", "edit", "Ann Lee", "--do-not-contact", "asked us to stop"),
    )
    extra = ("--channel", channel) if channel else ()
    # Ben is reachable on that channel too, so the list is not empty for other reasons.
    assert names(rows(relcli, *extra)) == ["Ben Ode"]
    explained = why(relcli, "Ann Lee", *extra)
    assert explained["excluded_by"] == "do-not-contact"
    assert "open follow-up but contact opted out" in explained["warnings"]


def test_a_follow_up_due_today_bypasses_the_frequency_cap(relcli: Relcli) -> None:
    touches = [
        ("log", who, "--channel", ch, *out, "--on", day)
        for who in ("Tess Moreau", "Sam Patel")
        for ch, out, day in (
            ("email", (), "2026-11-26"),
            ("call", ("--outcome", "no-answer"), "2026-11-28"),
            ("email", (), "2026-11-29"),
        )
    ]
    do(
        relcli,
        person("Tess Moreau", "--cadence", "3d"),
        person("Sam Patel", "--cadence", "3d"),
        *touches,
        ("follow-up", "add", "Tess Moreau", TODAY, "call back as agreed"),
    )
    assert names(rows(relcli)) == ["Tess Moreau"]
    tess = check(why(relcli, "Tess Moreau"), "frequency cap")
    assert tess["passed"]
    assert tess["bypassed"]
    assert tess["detail"] == "3/3 in 7d, bypassed by follow-up due today"
    line = next(x for x in why_text(relcli, "Tess Moreau").splitlines() if "frequency cap" in x)
    assert line.rstrip().endswith("bypassed")

    sam = why(relcli, "Sam Patel")
    assert sam["excluded_by"] == "frequency cap"
    assert (
        "Sam Patel is not on today's list: frequency cap, 3/3 in 7d; no follow-up due."
        in why_text(relcli, "Sam Patel")
    )


def test_a_reply_owed_bypasses_the_frequency_cap(relcli: Relcli) -> None:
    do(
        relcli,
        person("Ann Lee"),
        *[
            ("log", "Ann Lee", "--channel", "email", "--on", day)
            for day in ("2026-11-25", "2026-11-26", "2026-11-27")
        ],
        ("log", "Ann Lee", "yes, let's talk", "--channel", "email", "--in", "--on", "2026-11-28"),
    )
    assert names(rows(relcli)) == ["Ann Lee"]
    cap = check(why(relcli, "Ann Lee"), "frequency cap")
    assert cap["bypassed"]
    assert "bypassed by reply owed" in cap["detail"]


@pytest.mark.parametrize(
    ("setup", "extra", "filter_name", "words"),
    [
        (
            ("contact", "edit", "Ann Lee", "--do-not-contact", "legal"),
            (),
            "do-not-contact",
            "not on today's list: do-not-contact, asked not to be contacted since 2026-12-01: legal",
        ),
        (
            ("contact", "edit", "Ann Lee", "--snooze", "2026-12-24"),
            (),
            "snooze",
            "not on today's list: snooze, snoozed until 2026-12-24",
        ),
        (
            ("contact", "edit", "Ann Lee", "--opt-out", "call"),
            ("--channel", "call"),
            "channel",
            "not on today's list: channel, call opted out",
        ),
        (
            ("log", "Ann Lee", "--channel", "email", "--on", "2026-11-30"),
            (),
            "frequency cap",
            "not on today's list: frequency cap, cooldown 2d, last outbound 1d ago; no follow-up due",
        ),
    ],
    ids=["do-not-contact", "snooze", "channel", "cooldown"],
)
def test_why_names_the_filter_that_excludes_a_contact(
    relcli: Relcli, setup: tuple[str, ...], extra: tuple[str, ...], filter_name: str, words: str
) -> None:
    do(
        relcli,
        person("Ann Lee"),
        ("signal", "add", "Ann Lee", "pricing-request", "--on", "2026-11-30"),
        setup,
    )
    assert "Ann Lee" not in names(rows(relcli, *extra))
    explained = why(relcli, "Ann Lee", *extra)
    assert explained["excluded_by"] == filter_name
    assert explained["rank"] is None
    assert not check(explained, filter_name)["passed"]
    assert words in why_text(relcli, "Ann Lee", *extra)


def test_an_opt_out_of_every_channel_excludes_the_contact(relcli: Relcli) -> None:
    do(
        relcli,
        (
            "--today",
            LONG_AGO,
            "contact",
            "add",
            "Ann Lee",
            "--email",
            "ann@example.com",
            "--cadence",
            "7d",
        ),
        ("contact", "edit", "Ann Lee", "--opt-out", "email", "--opt-out", "meeting"),
    )
    assert rows(relcli) == []
    explained = why(relcli, "Ann Lee")
    assert explained["excluded_by"] == "channel"
    assert "no allowed channel" in check(explained, "channel")["detail"]


def test_why_explains_a_score_below_the_minimum(relcli: Relcli) -> None:
    do(relcli, person("Ann Lee"), ("signal", "add", "Ann Lee", "web-visit", "--on", "2026-11-21"))
    assert rows(relcli) == []  # 0.3 x 2^(-10/3) x 10 = 0.30 points
    explained = why(relcli, "Ann Lee")
    assert explained["excluded_by"] is None
    assert explained["rank"] is None
    assert 0 < explained["score"] < 1.0
    assert "is below the minimum 1" in why_text(relcli, "Ann Lee")


# --- what-if previews and configuration ------------------------------------------------------


def _signal_and_cadence_book(relcli: Relcli) -> None:
    do(
        relcli,
        person("Ann Lee", "--cadence", "30d"),
        person("Ben Ode", "--cadence", "30d"),
        person("Cy Dunn"),
        (
            "log",
            "Ann Lee",
            "--channel",
            "call",
            "--outcome",
            "connected",
            "--on",
            "2026-10-27",
        ),  # 35 days
        (
            "log",
            "Ben Ode",
            "--channel",
            "call",
            "--outcome",
            "connected",
            "--on",
            "2026-10-02",
        ),  # 60 days
        ("signal", "add", "Ann Lee", "funding", "Series B", "--on", "2026-11-28"),
        ("signal", "add", "Cy Dunn", "web-visit", "--on", "2026-11-30"),
    )


def test_set_previews_a_change_and_marks_the_moves(relcli: Relcli, isolated: Path) -> None:
    _signal_and_cadence_book(relcli)
    saved = rows(relcli)
    assert names(saved) == ["Ann Lee", "Ben Ode", "Cy Dunn"]
    assert all(r["moved"] is None for r in saved)

    preview = rows(relcli, "--set", "rank.signal.coefficient=0")
    assert names(preview) == ["Ben Ode", "Ann Lee"]  # Cy had only a signal
    ben, ann = preview
    assert (ben["moved"], ann["moved"]) == (1, -1)
    assert ben["why"].startswith("▲1 ")
    assert ann["why"].startswith("▼1 ")
    assert ann["signal"] == 0.0

    plain = ok(relcli("today", "--set", "rank.signal.coefficient=0", "--format", "plain")).out
    assert "▲1" in plain.splitlines()[0]
    assert "▼1" in plain.splitlines()[1]
    assert rows(relcli) == saved  # nothing was saved
    assert not (isolated / "config.toml").exists()


def test_set_that_changes_nothing_marks_nothing(relcli: Relcli) -> None:
    _signal_and_cadence_book(relcli)
    preview = rows(relcli, "--set", "rank.signal.coefficient=10")
    assert [r["moved"] for r in preview] == [0, 0, 0]
    assert not any(r["why"].startswith(("▲", "▼")) for r in preview)


@pytest.mark.parametrize(
    "setting",
    ["nonsense.key=1", "rank.nonsense=1", "rank.signal.coefficient=lots", "rank.cap.window=soon"],
)
def test_set_with_a_bad_setting_fails_with_one_line(relcli: Relcli, setting: str) -> None:
    do(relcli, person("Ann Lee", "--cadence", "7d"))
    run = relcli("today", "--set", setting)
    assert run.code == 78
    assert run.out == ""
    assert len(run.err.splitlines()) == 1
    assert run.err.startswith("relcli: ")


def test_set_without_an_equals_sign_is_a_usage_error(relcli: Relcli) -> None:
    run = relcli("today", "--set", "rank.signal.coefficient")
    assert run.code == 2
    assert len(run.err.splitlines()) == 1


def _config_rows(relcli: Relcli) -> dict[str, dict[str, Any]]:
    listed = json.loads(ok(relcli("config", "show", "rank", "--format", "json")).out)
    return {r["key"]: r for r in listed}


def _plain_config(relcli: Relcli, section: str) -> dict[str, list[str]]:
    lines = ok(relcli("config", "show", section, "--format", "plain")).out.splitlines()
    return {key: rest for key, *rest in (line.split("\t") for line in lines)}


def test_config_show_rank_lists_every_key_with_its_default(relcli: Relcli) -> None:
    shown = _config_rows(relcli)
    assert set(ranking.DEFAULTS) <= set(shown)
    assert all(key.startswith("rank.") for key in shown)
    row = shown["rank.followup.coefficient"]
    assert (row["value"], row["default"], row["is_set"]) == (12.0, 12.0, False)
    assert shown["rank.cap.max_outbound"]["value"] == 3
    assert shown["rank.signal.funding.half_life"]["value"] == "30d"
    plain = _plain_config(relcli, "rank")
    assert plain["rank.followup.coefficient"] == ["12.0", "12.0", "no"]
    assert len(plain) == len(shown)


# The configuration keys of RANKING.md b.9 (rank.signal.<type>.* checked for one type).
DESIGN_KEYS = [
    "rank.followup.coefficient",
    "rank.followup.knots",
    "rank.followup.undated",
    "rank.followup.reply_owed_after",
    "rank.cadence.coefficient",
    "rank.cadence.knots",
    "rank.signal.coefficient",
    "rank.signal.cap",
    "rank.signal.addressed_factor",
    "rank.signal.funding.weight",
    "rank.signal.funding.half_life",
    "rank.signal.funding.max_age",
    "rank.signal.renewal.open",
    "rank.signal.renewal.full",
    "rank.signal.renewal.after",
    "rank.signal.renewal.damp_recent",
    "rank.weight.strength",
    "rank.weight.tier.A",
    "rank.weight.tier.B",
    "rank.weight.tier.C",
    "rank.weight.tenure",
    "rank.weight.deal",
    "rank.strength.half_life",
    "rank.strength.saturation",
    "rank.strength.w.meeting",
    "rank.strength.w.call",
    "rank.strength.w.inbound",
    "rank.strength.w.outbound",
    "rank.strength.w.attempt",
    "rank.cap.cooldown",
    "rank.cap.max_outbound",
    "rank.cap.window",
    "rank.list.min_score",
    "rank.list.limit",
]


def test_config_show_rank_has_the_keys_of_the_design(relcli: Relcli) -> None:
    assert set(DESIGN_KEYS) <= set(_config_rows(relcli))


def test_a_rank_override_in_config_toml_shows_up_and_is_used(
    relcli: Relcli, isolated: Path
) -> None:
    do(relcli, person("Ann Lee"), ("follow-up", "add", "Ann Lee", TODAY, "call"))
    before = rows(relcli)[0]["score"]
    (isolated / "config.toml").write_text("[rank]\nfollowup.coefficient = 24\n", encoding="utf-8")
    row = _config_rows(relcli)["rank.followup.coefficient"]
    assert (row["value"], row["default"], row["is_set"]) == (24.0, 12.0, True)
    value, default, is_set = _plain_config(relcli, "rank.followup")["rank.followup.coefficient"]
    assert (float(value), float(default), is_set) == (24.0, 12.0, "yes")
    assert rows(relcli)[0]["score"] == pytest.approx(2 * before, abs=0.01)


def test_an_unknown_key_in_config_toml_fails_with_one_line(relcli: Relcli, isolated: Path) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text("[rank]\nfollowup.coefficent = 24\n", encoding="utf-8")
    run = relcli("today")
    assert run.code == 78
    assert len(run.err.splitlines()) == 1
    assert "rank.followup.coefficent" in run.err


# --- the list itself -------------------------------------------------------------------------


def test_the_json_contract_of_today(relcli: Relcli) -> None:
    _signal_and_cadence_book(relcli)
    do(relcli, ("contact", "edit", "Ann Lee", "--company", "Acme"))
    listed = rows(relcli)
    assert [r["rank"] for r in listed] == list(range(1, len(listed) + 1))
    scores = [r["score"] for r in listed]
    assert scores == sorted(scores, reverse=True)
    for row in listed:
        assert {"rank", "contact_id", "name", "company", "score", "channel", "reasons"} <= set(row)
        assert isinstance(row["rank"], int)
        assert isinstance(row["contact_id"], int)
        assert isinstance(row["name"], str)
        assert isinstance(row["score"], int | float)
        assert row["company"] is None or isinstance(row["company"], str)
        assert row["channel"] in vocabulary.CHANNELS
        assert row["reasons"], "a listed contact has at least one reason"
        for reason in row["reasons"]:
            assert {"term", "points", "detail"} <= set(reason)
            assert isinstance(reason["term"], str)
            assert isinstance(reason["detail"], str)
            assert isinstance(reason["points"], int | float)
        assert sum(r["points"] for r in row["reasons"]) == pytest.approx(
            row["reasons_total"], abs=0.02
        )
    assert listed[0]["company"] == "Acme"
    assert {r["term"] for r in listed[0]["reasons"]} == {"cadence", "signal"}


def test_explain_adds_the_term_columns(relcli: Relcli) -> None:
    _signal_and_cadence_book(relcli)
    plain = ok(relcli("today", "--format", "plain")).out.splitlines()
    explained = ok(relcli("today", "--format", "plain", "--explain")).out.splitlines()
    assert len(plain) == len(explained) == 3
    assert all(len(line.split("\t")) == 7 for line in plain)
    assert all(len(line.split("\t")) == 11 for line in explained)
    first = rows(relcli)[0]
    cells = explained[0].split("\t")
    assert cells[4:8] == [f"{first[k]:.2f}" for k in ("followup", "cadence", "signal", "weight")]
    assert [c for n, c in enumerate(cells) if n not in (4, 5, 6, 7)] == plain[0].split("\t")


def test_explain_headers_in_a_table(relcli: Relcli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    _signal_and_cadence_book(relcli)
    header = ok(relcli("today", "--format", "table", "--explain")).out.splitlines()[0]
    for title in ("Follow-up", "Cadence", "Signal", "Weight", "Why now"):
        assert title in header
    assert "Follow-up" not in ok(relcli("today", "--format", "table")).out


def test_limit_keeps_the_top_rows(relcli: Relcli) -> None:
    _signal_and_cadence_book(relcli)
    everyone = rows(relcli)
    assert len(everyone) == 3
    assert rows(relcli, "-n", "1") == everyone[:1]
    assert rows(relcli, "--limit", "2") == everyone[:2]
    assert relcli("today", "-n", "0").code == 2


def _tagged_book(relcli: Relcli) -> None:
    do(
        relcli,
        person("Ann Lee", "--cadence", "7d", "--stage", "customer", "--tag", "vip"),
        person(
            "Ben Ode", "--cadence", "14d", "--stage", "prospect", "--tag", "vip", "--tag", "west"
        ),
        person("Cy Dunn", "--cadence", "30d", "--stage", "customer"),
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ((), ["Ann Lee", "Ben Ode", "Cy Dunn"]),
        (("--tag", "vip"), ["Ann Lee", "Ben Ode"]),
        (("--tag", "vip", "--tag", "west"), ["Ben Ode"]),  # every tag
        (("--stage", "customer"), ["Ann Lee", "Cy Dunn"]),
        (
            ("--stage", "customer", "--stage", "prospect"),
            ["Ann Lee", "Ben Ode", "Cy Dunn"],
        ),  # any stage
        (("--tag", "vip", "--stage", "customer"), ["Ann Lee"]),
        (("--tag", "nobody"), []),
    ],
    ids=["none", "tag", "two-tags", "stage", "two-stages", "tag-and-stage", "unused-tag"],
)
def test_tag_and_stage_filters(
    relcli: Relcli, filters: tuple[str, ...], expected: list[str]
) -> None:
    _tagged_book(relcli)
    listed = rows(relcli, *filters)
    assert names(listed) == expected
    assert [r["rank"] for r in listed] == list(range(1, len(expected) + 1))


def test_a_bad_stage_filter_is_a_usage_error(relcli: Relcli) -> None:
    _tagged_book(relcli)
    run = relcli("today", "--stage", "whale")
    assert run.code == 2
    assert len(run.err.splitlines()) == 1


def test_ties_are_broken_by_name_and_why_says_so(relcli: Relcli) -> None:
    do(
        relcli,
        person("Bea Moss", "--cadence", "30d"),
        person("Abe Moss", "--cadence", "30d"),
        *[
            ("log", who, "--channel", "call", "--outcome", "connected", "--on", "2026-10-17")
            for who in ("Bea Moss", "Abe Moss")
        ],
    )
    listed = rows(relcli)
    assert names(listed) == ["Abe Moss", "Bea Moss"]
    assert listed[0]["score"] == listed[1]["score"]
    abe = why(relcli, "Abe Moss")
    assert (abe["tie_breaker"], abe["tie_with"]) == ("name", "Bea Moss")
    assert "Tie: same score as Bea Moss; ordered by name." in why_text(relcli, "Abe Moss")


# --- empty states ----------------------------------------------------------------------------


def test_an_empty_book_is_not_an_error(relcli: Relcli, db_path: Path) -> None:
    plain = relcli("today", "--format", "plain")
    assert (plain.code, plain.out, plain.err) == (0, "", "")
    auto = relcli("today")  # not a terminal: plain
    assert (auto.code, auto.out) == (0, "")
    table = relcli("today", "--format", "table")
    assert table.code == 0
    assert "your book is empty" in table.err
    assert "relcli contact add" in table.err
    listed = relcli("today", "--format", "json")
    assert (listed.code, json.loads(listed.out)) == (0, [])
    assert not db_path.exists(), "reading an empty book must not create the database"


def test_nobody_due_today_says_why_on_stderr(relcli: Relcli) -> None:
    do(relcli, person("Ann Lee", "--cadence", "30d", on="2026-11-25"), person("Ben Ode"))
    plain = relcli("today", "--format", "plain")
    assert (plain.code, plain.out, plain.err) == (0, "", "")
    table = relcli("today", "--format", "table")
    assert table.code == 0
    assert "nobody to contact today among 2 contacts" in table.err
    narrowed = relcli("today", "--format", "table", "--stage", "partner")
    assert "try without --stage partner" in narrowed.err


def test_why_for_an_unknown_contact_is_not_found(relcli: Relcli) -> None:
    assert relcli("why", "Nobody").code == 3
    do(relcli, person("Ann Lee"))
    run = relcli("why", "Nobody")
    assert run.code == 3
    assert len(run.err.splitlines()) == 1


# --- why and today agree ---------------------------------------------------------------------


def _mixed_book(relcli: Relcli) -> None:
    _signal_and_cadence_book(relcli)
    do(
        relcli,
        person("Dee Park", "--cadence", "14d", "--tier", "A", "--company", "Acme"),
        person("Eve Long", "--cadence", "21d", "--tier", "C", "--company", "Acme"),
        person("Fay Wu", "--renewal", "2027-01-15", "--stage", "customer"),
        person("Gus Hale", "--cadence", "7d"),
        ("log", "Dee Park", "--channel", "meeting", "--on", "2026-09-01"),
        ("log", "Dee Park", "--channel", "email", "--in", "--on", "2026-11-20"),
        ("log", "Eve Long", "--channel", "email", "--on", "2026-11-30"),
        ("log", "Fay Wu", "--channel", "meeting", "--on", "2026-08-15"),
        ("log", "Gus Hale", "--channel", "text", "--in", "--on", "2026-11-30"),
        ("signal", "add", "--company", "Acme", "promotion", "--on", "2026-11-15"),
        ("follow-up", "add", "Gus Hale", "none", "someday: send the book"),
        ("follow-up", "add", "Eve Long", "2026-12-03"),
        ("contact", "edit", "Cy Dunn", "--opt-out", "call"),
    )


@pytest.mark.parametrize("channel", [None, "call", "email"])
def test_why_and_today_agree_on_rank_and_score(relcli: Relcli, channel: str | None) -> None:
    _mixed_book(relcli)
    extra = ("--channel", channel) if channel else ()
    listed = rows(relcli, *extra)
    assert len(listed) >= 5
    for row in listed:
        explained = why(relcli, f"#{row['contact_id']}", *extra)
        assert (explained["rank"], explained["score"], explained["channel"]) == (
            row["rank"],
            row["score"],
            row["channel"],
        ), row["name"]
        shown = [(t["term"], t["points"]) for t in explained["reasons"] if t["points"]]
        assert shown == [(t["term"], t["points"]) for t in row["reasons"]]
    everyone = json.loads(ok(relcli("contact", "list", "--format", "json")).out)
    for contact in everyone:
        if contact["id"] not in {r["contact_id"] for r in listed}:
            assert why(relcli, f"#{contact['id']}", *extra)["rank"] is None


def test_the_table_and_the_json_list_the_same_people(relcli: Relcli) -> None:
    _mixed_book(relcli)
    listed = rows(relcli)
    plain = ok(relcli("today", "--format", "plain")).out.splitlines()
    assert [line.split("\t")[1] for line in plain] == names(listed)
    assert [float(line.split("\t")[3]) for line in plain] == [r["score"] for r in listed]


# --- booked meetings -------------------------------------------------------------------------


def test_a_booked_meeting_counts_as_a_touch_for_cadence(relcli: Relcli) -> None:
    do(
        relcli,
        person("Ann Lee", "--cadence", "30d"),
        ("log", "Ann Lee", "--channel", "call", "--outcome", "connected", "--on", "2026-10-01"),
        ("log", "Ann Lee", "--channel", "meeting", "--on", "2026-12-08"),
    )
    assert rows(relcli) == []  # day 61 of 30, but the meeting next week is booked


def test_a_booked_meeting_that_has_happened_counts_without_another_write(relcli: Relcli) -> None:
    do(
        relcli,
        person("Ann Lee"),
        ("--today", "2026-11-28", "log", "Ann Lee", "can we meet?", "--channel", "email", "--in"),
        ("--today", "2026-11-28", "log", "Ann Lee", "--channel", "meeting", "--on", "2026-11-30"),
    )
    before = rows(relcli)
    assert relcli("doctor").code == 0
    ok(relcli("doctor", "--rebuild-stats"))
    assert rows(relcli) == before
    assert "reply owed" not in term(why(relcli, "Ann Lee"), "followup")["detail"]
