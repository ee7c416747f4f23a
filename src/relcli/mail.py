"""Send one plain-text message through the SMTP server of config.toml's [smtp] section.

What the server answered (code and text) reaches the MailError; the password never does.
"""

import base64
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Literal, Protocol

from relcli.errors import CredentialsError, MailError, UsageError

TIMEOUT_S = 20.0  # per socket operation: connect, each command and reply
_LOGIN_HINT = (
    "check the password: 'relcli secret set smtp', RELCLI_SMTP_PASSWORD or smtp.password_command"
)


class SmtpServer(Protocol):
    """What sending needs from ``config.Smtp`` (config sits beside this module, not below)."""

    @property
    def host(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def user(self) -> str | None: ...
    @property
    def from_(self) -> str: ...
    @property
    def security(self) -> Literal["starttls", "ssl", "none"]: ...


def send(smtp: SmtpServer, password: str | None, *, to: str, subject: str, body: str) -> None:
    """Send ``body`` as text/plain UTF-8 to ``to``; log in only when ``smtp.user`` is set.

    Every SMTP or network failure is a MailError (exit 75) naming the server and its answer.
    """
    message = _message(smtp.from_, to, subject, body)
    if smtp.user and not password:
        raise CredentialsError(f"no password to log in to {smtp.host} as {smtp.user!r}")
    where = f"{smtp.host}:{smtp.port}"
    try:
        _deliver(smtp, password, message)
    except smtplib.SMTPAuthenticationError as err:
        raise MailError(
            f"{where} refused the login for {smtp.user!r}: {_answer(err, password)}",
            hint=_LOGIN_HINT,
        ) from err
    except smtplib.SMTPRecipientsRefused as err:
        answers = "; ".join(
            f"{rcpt}: {_answer_of(code, text, password)}"
            for rcpt, (code, text) in err.recipients.items()
        )
        raise MailError(f"{where} refused the recipient {answers}; nothing was sent") from err
    except smtplib.SMTPSenderRefused as err:
        raise MailError(
            f"{where} refused the sender {smtp.from_!r}: {_answer(err, password)}",
            hint="check smtp.from in config.toml (many servers accept only your own address)",
        ) from err
    except smtplib.SMTPResponseException as err:  # connect, HELO, DATA, other replies
        raise MailError(f"{where} answered {_answer(err, password)}; nothing was sent") from err
    except smtplib.SMTPNotSupportedError as err:  # no STARTTLS, no AUTH: never fall back
        raise MailError(
            f"{where} cannot do what smtp.security and smtp.user ask: {err}",
            hint="check smtp.security, smtp.port and smtp.user in config.toml",
        ) from err
    except smtplib.SMTPServerDisconnected as err:
        raise MailError(f"{where} closed the connection: {err or 'no reason given'}") from err
    except smtplib.SMTPException as err:
        raise MailError(f"{where} failed: {_scrub(str(err), password)}") from err
    except TimeoutError as err:
        raise MailError(f"{where} did not answer within {TIMEOUT_S:g}s") from err
    except OSError as err:  # refused, unreachable, unknown host, TLS handshake
        reason = err.strerror or str(err) or type(err).__name__
        raise MailError(
            f"cannot talk to {where}: {reason}",
            hint="check smtp.host, smtp.port and smtp.security in config.toml",
        ) from err


def _message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    if "@" not in parseaddr(to)[1] or any(c in to for c in "\r\n"):
        raise UsageError(f"not an email address: {to!r}", hint="e.g. --email ann@example.com")
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    # The sender's domain, not socket.getfqdn(): a DNS lookup could stall a cron run.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "relcli.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(body, subtype="plain", charset="utf-8")
    return message


def _deliver(smtp: SmtpServer, password: str | None, message: EmailMessage) -> None:
    connection: smtplib.SMTP
    if smtp.security == "ssl":
        context = ssl.create_default_context()
        connection = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_S, context=context)
    else:
        connection = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_S)
    try:
        if smtp.security == "starttls":
            connection.starttls(context=ssl.create_default_context())
        if smtp.user and password:
            connection.login(smtp.user, password)
        connection.send_message(message)
    finally:
        _hang_up(connection)


def _hang_up(connection: smtplib.SMTP) -> None:
    """QUIT, ignoring its answer: once the message is accepted, a failed QUIT is no failure."""
    try:
        connection.quit()
    except OSError:  # smtplib.SMTPException is an OSError too
        connection.close()


def _answer(err: smtplib.SMTPResponseException, password: str | None) -> str:
    return _answer_of(err.smtp_code, err.smtp_error, password)


def _answer_of(code: int, text: bytes | str, password: str | None) -> str:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return _scrub(f"{code} {' '.join(said.split())}", password)


def _scrub(text: str, password: str | None) -> str:
    """Servers do not echo credentials, but a message must never carry them if one did."""
    if not password:
        return text
    for form in (password, base64.b64encode(password.encode()).decode()):
        text = text.replace(form, "***")
    secret = password.encode()

    def blank(found: re.Match[str]) -> str:  # AUTH PLAIN's base64('\0user\0password') and kin
        try:
            decoded = base64.b64decode(found.group(0) + "=" * (-len(found.group(0)) % 4))
        except ValueError:
            return found.group(0)
        return "***" if secret in decoded else found.group(0)

    return _BASE64.sub(blank, text)


_BASE64 = re.compile(r"[A-Za-z0-9+/]{8,}={0,2}")
