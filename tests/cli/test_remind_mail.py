"""relcli remind --email: the digest through a real SMTP server, the password from each source."""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import Relcli, ok
from tests.test_mail import PASSWORD, USER, Inbox, free_port


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    box = Inbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port, server_hostname="relcli-test",
                            authenticator=box.authenticate, auth_require_tls=False)  # fmt: skip
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def configure(home: Path, port: int, extra: str = "") -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nuser = "{USER}"\n'
        f'from = "relcli <relcli@example.com>"\n{extra}',
        encoding="utf-8",
    )


@pytest.fixture
def due(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Ann Lee", "--email", "ann@example.com"))
    ok(relcli("follow-up", "add", "ann", "today", "send the deck"))


def delivered(box: Inbox) -> tuple[str, list[str], str, str]:
    assert len(box.messages) == 1
    sender, to, message = box.messages[0]
    body = message.get_body()
    assert body is not None
    return sender, to, str(message["subject"]), body.get_content()


@pytest.mark.usefixtures("due")
def test_the_password_from_the_environment_sends_the_digest(
    relcli: Relcli, isolated: Path, inbox: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    box, port = inbox
    configure(isolated, port)
    monkeypatch.setenv("RELCLI_SMTP_PASSWORD", PASSWORD)
    run = ok(relcli("remind", "--email", "me@example.com"))
    sender, to, subject, body = delivered(box)
    assert sender == "relcli@example.com"
    assert to == ["me@example.com"]
    assert subject == "relcli: 2 due on 2026-12-01"
    assert body.replace("\r\n", "\n") == run.out  # the mail is the same digest
    assert "**Ann Lee**: follow-up due today: send the deck (ann@example.com)" in body
    assert box.logins == [(USER, True)]


def printing(text: str) -> str:
    """A password_command that prints ``text`` (TOML literal string, shlex-split by relcli)."""
    return f'password_command = \'{sys.executable} -c "print(\\"{text}\\")"\'\n'


@pytest.mark.usefixtures("due")
def test_the_environment_wins_over_the_command_and_the_keyring(
    relcli: Relcli, isolated: Path, inbox: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    box, port = inbox
    configure(isolated, port, printing("wrong-from-command"))
    ok(relcli("secret", "set", "smtp", stdin="wrong-from-keyring\n"))
    monkeypatch.setenv("RELCLI_SMTP_PASSWORD", PASSWORD)
    ok(relcli("remind", "--email", "me@example.com"))
    assert box.logins == [(USER, True)]


@pytest.mark.usefixtures("due")
def test_the_password_command_wins_over_the_keyring(
    relcli: Relcli, isolated: Path, inbox: tuple[Inbox, int]
) -> None:
    box, port = inbox
    configure(isolated, port, printing(PASSWORD))
    ok(relcli("secret", "set", "smtp", stdin="wrong-from-keyring\n"))
    ok(relcli("remind", "--email", "me@example.com"))
    assert box.logins == [(USER, True)]


@pytest.mark.usefixtures("due")
def test_the_keyring_comes_third(relcli: Relcli, isolated: Path, inbox: tuple[Inbox, int]) -> None:
    box, port = inbox
    configure(isolated, port)
    ok(relcli("secret", "set", "smtp", stdin=PASSWORD + "\n"))
    ok(relcli("remind", "--email", "me@example.com"))
    assert box.logins == [(USER, True)]
    assert len(box.messages) == 1


@pytest.mark.usefixtures("due")
def test_a_wrong_password_is_exit_75_and_the_digest_is_still_on_stdout(
    relcli: Relcli, isolated: Path, inbox: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    box, port = inbox
    configure(isolated, port)
    monkeypatch.setenv("RELCLI_SMTP_PASSWORD", "wrong")
    run = relcli("remind", "--email", "me@example.com")
    assert run.code == 75
    assert "send the deck" in run.out
    assert len(run.err.splitlines()) == 1
    assert "wrong" not in run.err
    assert box.messages == []


@pytest.mark.usefixtures("due")
def test_no_password_anywhere_off_a_terminal_is_exit_78_with_what_to_set(
    relcli: Relcli, isolated: Path, inbox: tuple[Inbox, int]
) -> None:
    _, port = inbox
    configure(isolated, port)
    run = relcli("remind", "--email", "me@example.com")
    assert run.code == 78
    assert "RELCLI_SMTP_PASSWORD" in run.err
    assert "send the deck" in run.out


def test_a_quiet_day_sends_nothing(
    relcli: Relcli, isolated: Path, inbox: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    box, port = inbox
    configure(isolated, port)
    monkeypatch.setenv("RELCLI_SMTP_PASSWORD", PASSWORD)
    ok(relcli("contact", "add", "Ann Lee"))
    run = relcli("remind", "--email", "me@example.com")
    assert (run.code, run.out, run.err) == (0, "", "")
    assert box.messages == []


def test_email_without_an_smtp_section_is_a_config_error(relcli: Relcli) -> None:
    run = relcli("remind", "--email", "me@example.com")
    assert run.code == 78
    assert "[smtp]" in run.err
