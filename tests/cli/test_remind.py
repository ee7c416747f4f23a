"""relcli remind: the cron digest."""

import json
import stat
from datetime import date
from pathlib import Path

import pytest

from relcli.services.remind import next_birthday
from tests.conftest import Relcli, ok


@pytest.fixture
def book(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Ann Lee", "--email", "ann@example.com", "--cadence", "7d",
              "--birthday", "--12-03", "--renewal", "2026-12-20"))  # fmt: skip
    ok(
        relcli(
            "contact", "add", "Bo Chen", "--phone", "+1 415 555 0100", "--birthday", "1980-12-08"
        )
    )
    ok(relcli("--today", "2026-11-20", "follow-up", "add", "bo", "2026-11-28", "send the deck"))
    ok(relcli("contact", "add", "Cy Dunn", "--email", "cy@example.com", "--birthday", "--12-02",
              "--renewal", "2026-12-10"))  # fmt: skip
    ok(relcli("contact", "edit", "cy", "--do-not-contact", "asked"))
    ok(relcli("contact", "add", "Di Eng", "--birthday", "--12-30", "--renewal", "2027-03-01"))


def sections(relcli: Relcli, *args: str) -> list[tuple[str, str, str]]:
    rows = json.loads(ok(relcli("remind", "--format", "json", *args)).out)
    return [(r["section"], r["name"], r["reason"]) for r in rows]


@pytest.mark.usefixtures("book")
def test_the_digest_has_every_section_and_respects_do_not_contact(relcli: Relcli) -> None:
    assert sections(relcli) == [
        ("today", "Bo Chen", "follow-up 3d overdue: send the deck"),
        ("today", "Ann Lee", "renewal in 19d"),
        ("follow-up", "Bo Chen", "follow-up 3d overdue: send the deck"),
        ("renewal", "Ann Lee", "renewal in 19d (2026-12-20)"),
        ("birthday", "Ann Lee", "birthday in 2d (Dec 3)"),
        ("birthday", "Bo Chen", "birthday in 7d (Dec 8), turns 46"),
    ]
    names = {name for _, name, _ in sections(relcli)}
    assert "Cy Dunn" not in names  # asked not to be contacted: no line anywhere
    assert "Di Eng" not in names  # nothing within the windows


@pytest.mark.usefixtures("book")
def test_markdown_is_the_default_and_names_the_reach(relcli: Relcli) -> None:
    run = ok(relcli("remind"))
    assert run.out.startswith("# relcli: ")
    assert "## Follow-ups due" in run.out
    assert "- **Bo Chen**: follow-up 3d overdue: send the deck (+1 415 555 0100)" in run.out
    assert "## Birthdays in the next 7 days" in run.out
    assert run.err == ""


@pytest.mark.usefixtures("book")
def test_plain_is_one_tab_separated_line_per_item(relcli: Relcli) -> None:
    lines = ok(relcli("remind", "--format", "plain")).out.splitlines()
    assert (
        "follow-up\tBo Chen\tfollow-up 3d overdue: send the deck\t+1 415 555 0100\t2026-11-28"
        in lines
    )
    assert all(len(line.split("\t")) == 5 for line in lines)


def test_a_quiet_day_prints_nothing_and_exits_0(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    run = relcli("remind", "--exit-status")
    assert (run.code, run.out, run.err) == (0, "", "")


def test_an_empty_home_is_a_quiet_day(relcli: Relcli, isolated: Path) -> None:
    run = relcli("remind")
    assert (run.code, run.out, run.err) == (0, "", "")
    assert not (isolated / "relcli.db").exists()


@pytest.mark.usefixtures("book")
def test_exit_status_is_1_when_something_is_due(relcli: Relcli) -> None:
    run = relcli("remind", "--exit-status")
    assert run.code == 1
    assert run.out


@pytest.mark.usefixtures("book")
def test_since_last_run_leaves_out_what_was_reported_today(relcli: Relcli, isolated: Path) -> None:
    first = ok(relcli("remind", "--since-last-run", "--format", "plain"))
    assert first.out
    again = relcli("remind", "--since-last-run", "--format", "plain", "--exit-status")
    assert (again.code, again.out) == (0, "")
    ok(relcli("follow-up", "add", "ann", "today", "call back"))
    newer = ok(relcli("remind", "--since-last-run", "--format", "plain"))
    assert newer.out.splitlines() == [
        "follow-up\tAnn Lee\tfollow-up due today: call back\tann@example.com\t2026-12-01"
    ]
    state = isolated / "remind.json"
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    tomorrow = ok(
        relcli("--today", "2026-12-02", "remind", "--since-last-run", "--format", "plain")
    )
    assert tomorrow.out  # a new day reports again


@pytest.mark.usefixtures("book")
def test_a_damaged_state_file_reports_again_instead_of_failing(
    relcli: Relcli, isolated: Path
) -> None:
    (isolated / "remind.json").write_text("{not json", encoding="utf-8")
    assert ok(relcli("remind", "--since-last-run")).out


@pytest.mark.parametrize(
    ("birthday", "today", "expected"),
    [
        ("--12-03", date(2026, 12, 1), (date(2026, 12, 3), None)),
        ("1980-12-08", date(2026, 12, 1), (date(2026, 12, 8), 46)),
        ("--01-02", date(2026, 12, 30), (date(2027, 1, 2), None)),
        ("2000-02-29", date(2027, 2, 27), (date(2027, 2, 28), 27)),
        ("2000-02-29", date(2028, 2, 27), (date(2028, 2, 29), 28)),
        ("--12-01", date(2026, 12, 1), (date(2026, 12, 1), None)),
    ],
)
def test_next_birthday(birthday: str, today: date, expected: tuple[date, int | None]) -> None:
    assert next_birthday(birthday, today) == expected


@pytest.mark.usefixtures("book")
def test_the_number_of_todays_rows_comes_from_config(relcli: Relcli, isolated: Path) -> None:
    (isolated / "config.toml").write_text("[remind]\ntop = 1\n", encoding="utf-8")
    assert [s for s, _, _ in sections(relcli)].count("today") == 1
    assert [s for s, _, _ in sections(relcli, "-n", "2")].count("today") == 2


def test_a_bad_remind_top_is_a_config_error(relcli: Relcli, isolated: Path) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text("[remind]\ntop = 0\n", encoding="utf-8")
    run = relcli("remind")
    assert run.code == 78
    assert "remind.top" in run.err
