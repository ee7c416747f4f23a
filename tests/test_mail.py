"""Sending mail through a real SMTP server on 127.0.0.1, and the [smtp] section of config.toml."""

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from relcli import config, mail
from relcli.errors import ConfigError, CredentialsError, ExitCode, MailError, UsageError

USER, PASSWORD = "ann", "s3cret-Pa55"


@dataclass
class Inbox:
    """What the test server received: messages, and the logins it was offered."""

    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)
    refuse_rcpt: bool = False

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name and signature)
        self,
        server: SMTP,  # noqa: ARG002
        session: Session,  # noqa: ARG002
        envelope: Envelope,
        address: str,
        options: list[str],  # noqa: ARG002
    ) -> str:
        if self.refuse_rcpt:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name and signature)
        self,
        server: SMTP,  # noqa: ARG002
        session: Session,  # noqa: ARG002
        envelope: Envelope,
    ) -> str:
        raw = envelope.original_content or b""
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((str(envelope.mail_from), list(envelope.rcpt_tos), parsed))
        return "250 2.0.0 queued"

    def authenticate(  # aiosmtpd's authenticator signature
        self,
        server: SMTP,  # noqa: ARG002
        session: Session,  # noqa: ARG002
        envelope: Envelope,  # noqa: ARG002
        mechanism: str,
        data: Any,
    ) -> AuthResult:
        assert mechanism in ("PLAIN", "LOGIN")
        assert isinstance(data, LoginPassword)
        good = data.login.decode() == USER and data.password.decode() == PASSWORD
        self.logins.append((data.login.decode(), good))
        return AuthResult(success=good, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    """A real aiosmtpd server: AUTH over plain text (no TLS in tests), never required."""
    box = Inbox()
    port = free_port()
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=port,
        server_hostname="relcli-test",  # not socket.getfqdn(): no DNS in tests
        authenticator=box.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def server(port: int, **overrides: Any) -> config.Smtp:
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "from_": "Seller <seller@example.com>",
        "security": "none",
        "port": port,
        "user": USER,
    }
    values.update(overrides)
    return config.Smtp(**values)


def test_send_delivers_one_message_with_the_right_headers_and_body(
    inbox: tuple[Inbox, int],
) -> None:
    box, port = inbox
    body = "Who to call today:\n  Ann Lee — send the deck\n  Zoë Ørsted — renewal\n"
    mail.send(server(port), PASSWORD, to="me@example.org", subject="relcli: 2 due", body=body)
    assert box.logins == [(USER, True)]
    [(envelope_from, rcpt_tos, message)] = box.messages
    assert envelope_from == "seller@example.com"
    assert rcpt_tos == ["me@example.org"]
    assert message["From"] == "Seller <seller@example.com>"
    assert message["To"] == "me@example.org"
    assert message["Subject"] == "relcli: 2 due"
    assert message["Date"]
    assert message["Message-ID"].endswith("@example.com>")
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().replace("\r\n", "\n") == body  # CRLF on the wire


def test_without_a_user_there_is_no_login(inbox: tuple[Inbox, int]) -> None:
    box, port = inbox
    mail.send(server(port, user=None), None, to="me@example.org", subject="s", body="b\n")
    assert box.logins == []
    assert len(box.messages) == 1


def test_a_wrong_password_is_a_mail_error_with_the_servers_answer(
    inbox: tuple[Inbox, int],
) -> None:
    box, port = inbox
    with pytest.raises(MailError) as caught:
        mail.send(server(port), "wrong-guess", to="me@example.org", subject="s", body="b")
    message = str(caught.value)
    assert caught.value.exit_code == ExitCode.TEMP_FAIL
    assert f"127.0.0.1:{port} refused the login for 'ann'" in message
    assert "535" in message
    assert "Authentication credentials invalid" in message
    assert "wrong-guess" not in message
    assert caught.value.hint is not None
    assert "relcli secret set smtp" in caught.value.hint
    assert box.messages == []


def test_a_refused_recipient_is_a_mail_error_with_the_servers_answer(
    inbox: tuple[Inbox, int],
) -> None:
    box, port = inbox
    box.refuse_rcpt = True
    with pytest.raises(MailError, match=r"refused the recipient nobody@example\.org: 550 5\.1\.1"):
        mail.send(server(port), PASSWORD, to="nobody@example.org", subject="s", body="b")
    assert box.messages == []


def test_starttls_that_the_server_does_not_offer_fails_without_falling_back(
    inbox: tuple[Inbox, int],
) -> None:
    box, port = inbox
    smtp = server(port, security="starttls")
    with pytest.raises(MailError, match="STARTTLS") as caught:
        mail.send(smtp, PASSWORD, to="me@example.org", subject="s", body="b")
    assert caught.value.exit_code == 75
    assert box.logins == []  # the password never went over the unencrypted connection
    assert box.messages == []


def test_an_unreachable_port_is_a_mail_error_quickly() -> None:
    port = free_port()  # nothing listens there
    started = time.monotonic()
    with pytest.raises(MailError, match=rf"cannot talk to 127\.0\.0\.1:{port}: ") as caught:
        mail.send(server(port), PASSWORD, to="me@example.org", subject="s", body="b")
    assert time.monotonic() - started < 5
    assert caught.value.exit_code == 75
    assert PASSWORD not in str(caught.value)


def test_a_user_without_a_password_is_a_credentials_error_before_connecting() -> None:
    with pytest.raises(CredentialsError) as caught:
        mail.send(server(free_port()), None, to="me@example.org", subject="s", body="b")
    assert caught.value.exit_code == 78


@pytest.mark.parametrize("to", ["not-an-address", "me@example.org\r\nBcc: x@example.org"])
def test_a_bad_recipient_address_is_refused_before_connecting(to: str) -> None:
    with pytest.raises(UsageError, match="not an email address"):
        mail.send(server(free_port()), PASSWORD, to=to, subject="s", body="b")


def test_the_password_is_scrubbed_even_from_a_server_that_echoes_it() -> None:
    import base64

    echoed = base64.b64encode(PASSWORD.encode()).decode()
    answer = mail._answer_of(535, f"bad {PASSWORD} {echoed}".encode(), PASSWORD)
    assert answer == "535 bad *** ***"


# [smtp] in config.toml


def smtp_of(table: dict[str, Any]) -> config.Smtp | None:
    return config.parse({"smtp": table}).smtp


def test_no_smtp_section_means_no_mail() -> None:
    assert config.parse({}).smtp is None


@pytest.mark.parametrize(
    ("security", "port"), [("starttls", 587), ("ssl", 465), ("none", 25), (None, 587)]
)
def test_the_default_port_follows_the_security(security: str | None, port: int) -> None:
    table = {"host": "smtp.example.com", "from": "me@example.com"}
    if security:
        table["security"] = security
    smtp = smtp_of(table)
    assert smtp is not None
    assert (smtp.port, smtp.security) == (port, security or "starttls")
    assert smtp.user is None
    assert smtp.password_command is None


def test_every_smtp_key_is_read() -> None:
    smtp = smtp_of(
        {
            "host": "smtp.example.com",
            "port": 2525,
            "user": "ann@example.com",
            "from": "Ann Lee <ann@example.com>",
            "security": "ssl",
            "password_command": "pass show mail/smtp",
        }
    )
    assert smtp == config.Smtp(
        host="smtp.example.com",
        from_="Ann Lee <ann@example.com>",
        security="ssl",
        port=2525,
        user="ann@example.com",
        password_command="pass show mail/smtp",
    )


def test_a_password_in_config_is_refused_without_showing_it() -> None:
    table = {"host": "smtp.example.com", "from": "me@example.com", "password": "hunter2-xyz"}
    with pytest.raises(ConfigError) as caught:
        smtp_of(table)
    text = f"{caught.value} {caught.value.hint}"
    assert "smtp.password" in text
    assert "relcli secret set smtp" in text
    assert "RELCLI_SMTP_PASSWORD" in text
    assert "password_command" in text
    assert "hunter2-xyz" not in text
    assert caught.value.exit_code == 78


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ({"from": "me@example.com"}, "smtp.host is missing"),
        ({"host": "smtp.example.com"}, "smtp.from is missing"),
        ({"host": "h", "from": "me@example.com", "tls": True}, "unknown setting 'smtp.tls'"),
        ({"host": "h", "from": "nobody"}, "'nobody' is not an email address"),
        ({"host": "h", "from": "me@example.com", "security": "tls"}, "'tls' is not starttls"),
        ({"host": "h", "from": "me@example.com", "port": "587"}, "'587' is not a port"),
        ({"host": "h", "from": "me@example.com", "port": 70000}, "70000 is not a port"),
        ({"host": "", "from": "me@example.com"}, "smtp.host in config.toml must be a non-empty"),
        ({"host": "h", "from": "me@example.com", "password_command": "pass 'x"}, "quotation"),
        (
            {"host": "smtp.example.com", "from": "me@example.com", "security": "none", "user": "a"},
            "unencrypted to 'smtp.example.com'",
        ),
    ],
)
def test_a_bad_smtp_section_is_a_config_error(table: dict[str, Any], says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        smtp_of(table)


def test_security_none_with_a_user_is_allowed_for_a_local_relay() -> None:
    for host in ("localhost", "127.0.0.1", "::1"):
        smtp = smtp_of({"host": host, "from": "me@example.com", "security": "none", "user": "a"})
        assert smtp is not None
        assert smtp.port == 25


def test_config_load_reads_the_smtp_section_from_the_file(tmp_path: Any) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[smtp]\nhost = "smtp.example.com"\nfrom = "me@example.com"\nport = 2525\n')
    smtp = config.load(path).smtp
    assert smtp is not None
    assert (smtp.host, smtp.port, smtp.security) == ("smtp.example.com", 2525, "starttls")
