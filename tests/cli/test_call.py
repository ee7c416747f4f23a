"""relcli call on a real pseudo-terminal (pexpect), and interaction pin. Today is 2026-12-01.

The sessions run the installed script, as a seller would; the book is built through main().
"""

import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Relcli, ok

pexpect = pytest.importorskip("pexpect")

SCRIPT = Path(sys.executable).parent / "relcli"
Db = Callable[[str], list[tuple[object, ...]]]
Spawn = Callable[..., Any]
KEYS = "c connected  v voicemail  n no answer  m meeting booked  x not interested  s skip  z snooze  q quit"


@pytest.fixture(autouse=True)
def book(relcli: Relcli) -> None:
    """Three people to call, in this order; three more the call list must leave out."""
    ok(relcli("contact", "add", "Ann Lee", "-p", "+1 (555) 010-2030", "--company", "Acme",
              "--title", "CFO", "--cadence", "14d", "--prefer", "call"))  # fmt: skip
    ok(relcli("log", "ann", "talked about budget", "--on", "2026-10-01", "-o", "connected"))
    ok(relcli("log", "ann", "kids: Emma and Leo", "-c", "note", "--on", "2026-10-02"))
    ok(relcli("interaction", "pin", "2"))
    ok(relcli("signal", "add", "ann", "funding", "Series B", "--on", "2026-11-28"))
    ok(relcli("contact", "add", "Bo Chen", "-p", "+1 555 010 4040", "--cadence", "30d"))
    ok(relcli("follow-up", "add", "bo", "today", "send the deck"))
    ok(relcli("contact", "add", "Fay Gap", "-p", "+1 555 010 6060", "--cadence", "30d",
              "--min-gap", "7d"))  # fmt: skip
    ok(relcli("log", "fay", "quick hello", "--on", "2026-10-22", "-o", "connected"))
    ok(relcli("contact", "add", "Cy Dee", "-e", "cy@example.com"))  # no phone
    ok(relcli("follow-up", "add", "cy", "today", "answer the RFP"))
    ok(relcli("contact", "add", "Dee Out", "-p", "+1 555 010 8080"))
    ok(relcli("contact", "edit", "dee out", "--opt-out", "call"))
    ok(relcli("follow-up", "add", "dee out", "today", "check in"))
    ok(relcli("contact", "add", "Eve Stop", "-p", "+1 555 010 9090"))
    ok(relcli("follow-up", "add", "eve", "today", "renewal"))
    ok(relcli("contact", "edit", "eve", "--do-not-contact", "asked us to stop"))


@pytest.fixture
def spawn(isolated: Path) -> Iterator[Spawn]:
    """Start the installed script on a pty, in this test's home; every child is ended after."""
    children: list[Any] = []

    def start(*args: str, shell: str | None = None, **env: str) -> Any:
        environ = {**os.environ, "RELCLI_HOME": str(isolated), "TERM": "dumb", "NO_COLOR": "1",
                   **env}  # fmt: skip
        program, argv = (str(SCRIPT), list(args)) if shell is None else ("/bin/sh", ["-c", shell])
        child = pexpect.spawn(program, argv, env=environ, encoding="utf-8", timeout=10,
                              dimensions=(50, 120))  # fmt: skip
        child.logfile_read = io.StringIO()  # what the terminal showed, for failure messages
        children.append(child)
        return child

    yield start
    for child in children:
        if child.isalive():
            child.terminate(force=True)


def shown(child: Any) -> str:
    return str(child.logfile_read.getvalue())


def outcome(child: Any, key: str) -> None:
    child.expect_exact("outcome? ")
    child.send(key)


def answer(child: Any, prompt: str, text: str) -> None:
    child.expect_exact(prompt)
    child.sendline(text)


def finish(child: Any) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus)


def call_list(relcli: Relcli, *args: str) -> list[str]:
    rows = json.loads(ok(relcli("today", "--channel", "call", "--format", "json", *args)).out)
    return [r["name"] for r in rows]


def added(db: Db) -> list[tuple[object, ...]]:
    """What the session logged (the book's own history ends at interaction #3)."""
    return db(
        "SELECT contact_id, channel, direction, outcome, summary FROM interaction "
        "WHERE id > 3 ORDER BY id"
    )


def test_the_book_ranks_as_the_sessions_expect(relcli: Relcli) -> None:
    assert call_list(relcli) == ["Ann Lee", "Bo Chen", "Fay Gap"]


def test_a_session_records_outcomes_notes_and_the_proposed_next_dates(
    spawn: Spawn, isolated: Path, db: Db, relcli: Relcli
) -> None:
    (isolated / "config.toml").write_text('[call.next_after]\nno-answer = "3d"\n')
    child = spawn("call")
    child.expect_exact("Ann Lee (#1)  lead")
    child.expect_exact(KEYS)
    brief = shown(child)
    for line in ("  CFO, Acme", "  call    +1 (555) 010-2030", "Why now",
                 "day 61 of 14-day cadence", "funding 3d ago", "Talking points",
                 "* kids: Emma and Leo  (#2, 2026-10-02)", "-> call [connected]  talked about budget",
                 "2026-11-28  funding  Series B", "Policy  prefers call; no minimum gap"):  # fmt: skip
        assert line in brief, brief
    outcome(child, "n")
    child.expect_exact("no answer")
    answer(child, "note (Enter for none): ", "rang out")
    answer(child, "next follow-up [2026-12-04 (in 3 days)] (Enter keeps, - for none): ", "")
    child.expect_exact("saved: call no answer with Ann Lee (#4); follow-up #5 on 2026-12-04")
    child.expect_exact("Bo Chen (#2)")
    child.expect_exact("#1  2026-12-01 (today)  send the deck")
    outcome(child, "c")
    answer(child, "note (Enter for none): ", "wants pricing in Q1")
    answer(child, "next follow-up [2026-12-31 (in 30 days)] (Enter keeps, - for none): ", "fri")
    child.expect_exact("follow-up #6 on 2026-12-04")
    child.expect_exact("Fay Gap (#3)")
    child.expect_exact("Policy  prefers -; minimum gap 7d")
    outcome(child, "v")
    answer(child, "note (Enter for none): ", "")
    # voicemail proposes 2 days, but Fay asked for at least 7 between contacts
    answer(child, "next follow-up [2026-12-08 (in 7 days)] (Enter keeps, - for none): ", "-")
    child.expect_exact("saved: call voicemail with Fay Gap (#6)\r\n")
    child.expect_exact("that was everyone on today's list")
    child.expect_exact("session: 3 dials, 1 connect, 0 meetings booked, 2 follow-ups set, "
                       "0 skipped, 0 snoozed in ")  # fmt: skip
    assert finish(child) == 0, shown(child)
    assert added(db) == [
        (1, "call", "out", "no-answer", "rang out"),
        (2, "call", "out", "connected", "wants pricing in Q1"),
        (3, "call", "out", "voicemail", None),
    ]
    assert db("SELECT at FROM interaction WHERE id > 3") == [("2026-12-01T12:00:00+00:00",)] * 3
    follow_ups = "SELECT id, contact_id, due_on, reason, done_at IS NOT NULL FROM follow_up"
    assert (1, 2, "2026-12-01", "send the deck", 1) in db(follow_ups)  # answered by the call
    assert db(follow_ups + " WHERE id > 4 ORDER BY id") == [
        (5, 1, "2026-12-04", "rang out", 0),
        (6, 2, "2026-12-04", "wants pricing in Q1", 0),
    ]
    assert call_list(relcli) == []  # everyone was reached today


def test_the_list_is_ranked_again_between_contacts(spawn: Spawn, relcli: Relcli) -> None:
    """A pricing request that arrives during the session puts Fay ahead of Bo."""
    child = spawn("call")
    child.expect_exact("Ann Lee (#1)")
    outcome(child, "v")
    answer(child, "note (Enter for none): ", "")
    child.expect_exact("next follow-up")
    ok(relcli("signal", "add", "fay", "pricing-request", "asked by email"))
    child.sendline("")
    child.expect_exact("saved:")
    child.expect_exact("Fay Gap (#3)")
    child.expect_exact("pricing-request today")
    outcome(child, "q")
    child.expect_exact("session: 1 dial, 0 connects")
    assert finish(child) == 0


def test_a_skipped_contact_is_not_offered_again_and_n_limits_the_session(
    spawn: Spawn, db: Db
) -> None:
    child = spawn("call", "-n", "2")
    child.expect_exact("contact 1 · rank 1 today")
    child.expect_exact("Ann Lee (#1)")
    outcome(child, "s")
    child.expect_exact("skipped Ann Lee")
    child.expect_exact("contact 2 · rank 2 today")  # Ann still ranks first, but was offered
    child.expect_exact("Bo Chen (#2)")
    outcome(child, "s")
    child.expect_exact("that was the first 2 of today's list")
    child.expect_exact("session: 0 dials, 0 connects, 0 meetings booked, 0 follow-ups set, "
                       "2 skipped, 0 snoozed")  # fmt: skip
    assert finish(child) == 0
    assert added(db) == []


def test_meeting_snooze_and_quit_with_the_summary(spawn: Spawn, db: Db, relcli: Relcli) -> None:
    child = spawn("call")
    child.expect_exact("Ann Lee (#1)")
    outcome(child, "?")
    child.expect_exact(f"keys: {KEYS}")
    outcome(child, "m")
    answer(child, "note (Enter for none): ", "demo on thursday")
    answer(child, "next follow-up [none] (Enter keeps, - for none): ", "")
    child.expect_exact("saved: call meeting booked with Ann Lee (#4)\r\n")
    child.expect_exact("Bo Chen (#2)")
    outcome(child, "z")
    answer(child, "snooze until [2026-12-02 (in 1 day)] (Enter keeps): ", "-")
    child.expect_exact("relcli: snooze until needs a date")
    answer(child, "snooze until [2026-12-02 (in 1 day)] (Enter keeps): ", "")
    child.expect_exact("saved: Bo Chen snoozed until 2026-12-02")
    child.expect_exact("Fay Gap (#3)")
    outcome(child, "q")
    child.expect_exact("session: 1 dial, 1 connect, 1 meeting booked, 0 follow-ups set, "
                       "0 skipped, 1 snoozed in ")  # fmt: skip
    assert finish(child) == 0
    assert added(db) == [(1, "call", "out", "meeting-booked", "demo on thursday")]
    assert db("SELECT name FROM contact WHERE snoozed_until = '2026-12-02'") == [("Bo Chen",)]
    assert db("SELECT done_at FROM follow_up WHERE id = 1") == [(None,)]  # kept for later
    assert "Fay Gap" in call_list(relcli)


def test_not_interested_can_set_do_not_contact(spawn: Spawn, db: Db, relcli: Relcli) -> None:
    child = spawn("call", "-n", "1")
    child.expect_exact("Ann Lee (#1)")
    outcome(child, "x")
    answer(child, "note (Enter for none): ", "bought a competitor")
    child.expect_exact("set do-not-contact for Ann Lee? [y/N] ")
    child.send("y")
    child.expect_exact("saved: Ann Lee is now do-not-contact")
    child.expect_exact("session: 1 dial, 1 connect, 0 meetings booked, 0 follow-ups set")
    assert finish(child) == 0
    assert db("SELECT do_not_contact, do_not_contact_reason FROM contact WHERE id = 1") == [
        (1, "bought a competitor")
    ]
    assert "Ann Lee" not in call_list(relcli)


def test_an_email_session_offers_messages_and_stores_the_channel(spawn: Spawn, db: Db) -> None:
    child = spawn("call", "--channel", "email")
    child.expect_exact("Cy Dee (#4)")
    child.expect_exact("  email   cy@example.com")
    child.expect_exact("d sent  m meeting booked  x not interested  s skip  z snooze  q quit")
    outcome(child, "v")  # no voicemail for an email: the keys again
    child.expect_exact("keys: d sent")
    outcome(child, "d")
    answer(child, "note (Enter for none): ", "sent the RFP answers")
    answer(child, "next follow-up [2026-12-04 (in 3 days)] (Enter keeps, - for none): ", "")
    child.expect_exact("session: 1 sent, 0 connects")
    assert finish(child) == 0
    assert added(db) == [(4, "email", "out", None, "sent the RFP answers")]
    # the RFP was not answered by them yet: the promise is carried to the next follow-up
    assert db("SELECT reason FROM follow_up WHERE contact_id = 4 AND done_at IS NULL") == [
        ("answer the RFP",)
    ]


@pytest.mark.parametrize("where", ["key", "line"])
def test_ctrl_c_restores_the_terminal_and_keeps_what_was_entered(
    spawn: Spawn, db: Db, where: str
) -> None:
    child = spawn(shell=f'trap true INT; "{SCRIPT}" call; echo "exit=$?"; stty -a')
    child.expect_exact("Ann Lee (#1)")
    outcome(child, "n")
    answer(child, "note (Enter for none): ", "rang out")
    answer(child, "next follow-up [2026-12-02 (in 1 day)] (Enter keeps, - for none): ", "")
    child.expect_exact("Bo Chen (#2)")
    if where == "key":
        child.expect_exact("outcome? ")
    else:
        outcome(child, "c")
        child.expect_exact("note (Enter for none): ")
    child.sendintr()
    child.expect_exact("interrupted; everything entered before is saved")
    dials = "1 dial" if where == "key" else "2 dials"
    child.expect_exact(f"session: {dials}, ")
    child.expect_exact("exit=130")
    assert finish(child) == 0
    modes = shown(child).rsplit("exit=130", 1)[1]
    assert re.search(r"(?<![-\w])icanon\b", modes), modes
    assert re.search(r"(?<![-\w])echo\b", modes), modes
    expected: list[tuple[object, ...]] = [(1, "call", "out", "no-answer", "rang out")]
    if where == "line":
        expected.append((2, "call", "out", "connected", None))
    assert added(db) == expected
    assert db("SELECT due_on FROM follow_up WHERE contact_id = 1") == [("2026-12-02",)]


def test_kill_9_mid_session_keeps_every_outcome_entered_before(
    spawn: Spawn, db: Db, db_path: Path
) -> None:
    child = spawn("call")
    child.expect_exact("Ann Lee (#1)")
    outcome(child, "c")
    answer(child, "note (Enter for none): ", "great call")
    answer(child, "next follow-up [2026-12-15 (in 14 days)] (Enter keeps, - for none): ", "fri")
    child.expect_exact("saved:")
    child.expect_exact("Bo Chen (#2)")
    outcome(child, "v")
    child.expect_exact("note (Enter for none): ")
    child.send("half a no")  # typed, never entered
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    assert db("PRAGMA integrity_check") == [("ok",)]
    assert added(db) == [
        (1, "call", "out", "connected", "great call"),
        (2, "call", "out", "voicemail", None),
    ]
    assert db("SELECT contact_id, due_on, reason FROM follow_up WHERE done_at IS NULL "
              "AND contact_id IN (1, 2) ORDER BY id") == [
        (2, "2026-12-01", "send the deck"),  # the answer to it was never entered
        (1, "2026-12-04", "great call"),
    ]  # fmt: skip
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM contact").fetchone() == (6,)


def test_dial_hands_the_number_to_the_tel_handler_without_a_shell(
    spawn: Spawn, tmp_path: Path
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "argv.txt"
    opener = bin_dir / "xdg-open"
    opener.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$0\" \"$@\" > '{record}'\n")
    opener.chmod(0o755)
    child = spawn("call", "--dial", PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    child.expect_exact("dialling tel:+15550102030 with xdg-open")
    outcome(child, "q")
    assert finish(child) == 0
    assert record.read_text().splitlines() == [str(opener), "tel:+15550102030"]


def test_dial_uses_the_configured_command_and_survives_a_missing_one(
    spawn: Spawn, isolated: Path, tmp_path: Path
) -> None:
    record = tmp_path / "argv.txt"
    (isolated / "config.toml").write_text(
        f'[call]\ndial = ["/bin/sh", "-c", "echo \\"$0\\" \\"$1\\" > {record}", "opener"]\n'
    )
    child = spawn("call", "--dial")
    child.expect_exact("dialling tel:+15550102030 with /bin/sh")
    outcome(child, "q")
    assert finish(child) == 0
    assert record.read_text() == "opener tel:+15550102030\n"
    (isolated / "config.toml").write_text('[call]\ndial = ["no-such-opener-here"]\n')
    child = spawn("call", "--dial")
    child.expect_exact("relcli: warning: cannot start 'no-such-opener-here' to dial")
    outcome(child, "q")
    assert finish(child) == 0


@pytest.mark.parametrize(
    "stdin", [subprocess.DEVNULL, None], ids=["no terminal at all", "stdout is a pipe"]
)
def test_without_a_terminal_it_refuses_in_one_line(
    isolated: Path, db: Db, stdin: int | None
) -> None:
    env = {**os.environ, "RELCLI_HOME": str(isolated)}
    run = subprocess.run([str(SCRIPT), "call"], stdin=stdin, capture_output=True, text=True,
                         env=env, check=False, timeout=30)  # fmt: skip
    assert run.returncode == 1
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("relcli: relcli call needs a terminal; nothing was changed")
    assert "'relcli today'" in lines[0]
    assert "'relcli log'" in lines[0]
    assert added(db) == []


def test_a_session_with_nobody_to_call_says_why(spawn: Spawn) -> None:
    child = spawn("call", "--tag", "nobody-has-this")
    child.expect_exact("nobody to contact today")
    child.expect_exact("session: 0 dials")
    assert finish(child) == 0


@pytest.mark.parametrize(
    ("config", "words"),
    [('[call]\nfoo = 1\n', "unknown setting 'call.foo'"),
     ('[call.next_after]\nhung-up = "1d"\n', "unknown setting 'call.next_after.hung-up'"),
     ('[call.next_after]\nno-answer = 3\n', "call.next_after.no-answer in config.toml: expected a string"),
     ('[call.next_after]\nno-answer = "soon"\n', "cannot read 'soon'"),
     ('[call.next_after]\nsnooze = "none"\n', "a snooze needs a span"),
     ('[call]\ndial = "xdg-open"\n', "call.dial in config.toml must be a list")],
)  # fmt: skip
def test_a_bad_call_section_is_a_config_error(
    relcli: Relcli, isolated: Path, config: str, words: str
) -> None:
    (isolated / "config.toml").write_text(config)
    run = relcli("today")
    assert run.code == 78
    assert words in run.err
    assert len(run.err.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [(("--channel", "meeting"), "relcli call works on call, email or text, not 'meeting'"),
     (("--channel", "fax"), "unknown channel 'fax'"), (("--tag", "two words"), "invalid tag")],
)  # fmt: skip
def test_bad_session_options_are_usage_errors_before_anything_else(
    relcli: Relcli, args: tuple[str, ...], words: str
) -> None:
    run = relcli("call", *args)  # no terminal here either: the flags are named first
    assert run.code == 2
    assert words in run.err
    assert len(run.err.splitlines()) == 1


def test_pin_marks_a_talking_point_and_off_unmarks_it(relcli: Relcli, db: Db) -> None:
    assert db("SELECT id FROM interaction WHERE talking_point = 1") == [(2,)]
    pinned = ok(relcli("interaction", "pin", "1"))
    assert pinned.err == "pinned interaction #1 as a talking point for Ann Lee\n"
    card = json.loads(ok(relcli("contact", "show", "ann", "--format", "json")).out)
    assert [p["summary"] for p in card["talking_points"]] == [
        "kids: Emma and Leo",
        "talked about budget",
    ]
    unpinned = ok(relcli("interaction", "pin", "2", "--off"))
    assert unpinned.err == "interaction #2 is no longer a talking point for Ann Lee\n"
    assert db("SELECT id FROM interaction WHERE talking_point = 1") == [(1,)]
    shown_card = ok(relcli("contact", "show", "ann")).out
    assert "Talking points\n  * talked about budget  (#1, 2026-10-01)\n" in shown_card


def test_pin_refuses_a_missing_or_empty_interaction(relcli: Relcli, db: Db) -> None:
    missing = relcli("interaction", "pin", "99")
    assert (missing.code, missing.err) == (
        3,
        "relcli: no interaction #99 (hint: see 'relcli contact show CONTACT')\n",
    )
    ok(relcli("log", "bo"))
    empty = relcli("interaction", "pin", "4")
    assert empty.code == 1
    assert "has no note to pin; nothing was changed" in empty.err
    assert db("SELECT talking_point FROM interaction WHERE id = 4") == [(0,)]
