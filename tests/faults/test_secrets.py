"""A canary SMTP password reaches no file under RELCLI_HOME and no output, even when mail fails.

The password comes from RELCLI_SMTP_PASSWORD, as under cron. relcli then writes everything it
can (the book, a backup, exports, the remind state) and tries to mail the digest to a port
where nothing listens (exit 75), with and without RELCLI_DEBUG=1. The canary is looked for
as written, in base64, and inside the base64 AUTH PLAIN blob that SMTP sends.
"""

import base64
import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.harness import Result, cli, cron_env, ok, one_line_error, run

CANARY = "canary-Qx7!mZ4p-secret"
USER = "ann"


def _forms(secret: str) -> list[bytes]:
    raw = secret.encode()
    plain = b"\0" + USER.encode() + b"\0" + raw  # AUTH PLAIN: authzid NUL user NUL password
    return [
        raw,
        base64.b64encode(raw),
        base64.urlsafe_b64encode(raw),
        base64.b64encode(plain),
        raw.hex().encode(),
    ]


def _closed_port() -> int:
    """Port 9 (discard) if nothing listens there, else a port just freed."""
    for port in (9, 0):
        with socket.socket() as probe:
            if port == 0:
                probe.bind(("127.0.0.1", 0))
                return int(probe.getsockname()[1])
            probe.settimeout(1)
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise AssertionError("unreachable")


def _configure(home: Path, port: int) -> None:
    home.mkdir(mode=0o700, exist_ok=True)
    (home / "config.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nuser = "{USER}"\n'
        'from = "relcli <relcli@example.com>"\n',
        encoding="utf-8",
    )


def _leaks(home: Path, outputs: list[Result]) -> list[str]:
    found = []
    forms = _forms(CANARY)
    for path in sorted(home.rglob("*")):
        if path.is_file() and path.name != "config.toml":
            data = path.read_bytes()
            found += [f"{path.name}: {form!r}" for form in forms if form in data]
    for n, result in enumerate(outputs):
        text = (result.out + result.err).encode()
        found += [f"output {n}: {form!r}" for form in forms if form in text]
    return found


@pytest.mark.slow
def test_the_canary_password_is_in_no_file_and_no_output(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _configure(home, _closed_port())

    def relcli(*args: str, debug: bool = False) -> Result:
        env = cron_env(home, RELCLI_SMTP_PASSWORD=CANARY)
        if debug:
            env["RELCLI_DEBUG"] = "1"
        return run(args, env)

    outputs = [
        ok(relcli("contact", "add", "Ann Lee", "--email", "ann@example.com")),
        ok(relcli("follow-up", "add", "ann", "today", "send the deck")),
        ok(relcli("backup")),
        ok(relcli("export", "json", str(home / "book.json"))),
        ok(relcli("remind", "--since-last-run")),
        ok(relcli("doctor")),
        ok(relcli("config", "show")),
    ]
    mailed = relcli("remind", "--email", "x@example.com")
    assert mailed.code == 75, mailed.err
    assert "send the deck" in mailed.out  # the digest is printed before the mail fails
    assert "Traceback" not in mailed.err
    debug = relcli("remind", "--email", "x@example.com", debug=True)
    assert debug.code != 0
    assert "MailError" in debug.err  # RELCLI_DEBUG shows the traceback; no locals in it
    outputs += [mailed, debug]

    assert _leaks(home, outputs) == []


class _EchoingServer:
    """An SMTP server that offers AUTH PLAIN and refuses it, quoting what it was sent (a
    misbehaving server, or a proxy that logs into its replies)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(30)
        self.port = int(self.sock.getsockname()[1])
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            conn, _ = self.sock.accept()
            with conn, conn.makefile("rwb") as stream:
                conn.settimeout(30)
                stream.write(b"220 echo ESMTP\r\n")
                stream.flush()
                for _ in range(10):  # bounded: a handful of commands
                    line = stream.readline()
                    if not line:
                        return
                    verb = line.split(b" ", 1)[0].upper().strip()
                    if verb == b"EHLO":
                        stream.write(b"250-echo\r\n250 AUTH PLAIN\r\n")
                    elif verb == b"AUTH":
                        stream.write(b"535 5.7.8 rejected: " + line.strip() + b"\r\n")
                    elif verb == b"QUIT":
                        stream.write(b"221 bye\r\n")
                        stream.flush()
                        return
                    else:
                        stream.write(b"250 ok\r\n")
                    stream.flush()


@pytest.fixture
def echoing() -> Iterator[_EchoingServer]:
    server = _EchoingServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.sock.close()
        server.thread.join(timeout=30)


def test_a_server_that_quotes_the_login_back_does_not_leak_it(
    tmp_path: Path, echoing: _EchoingServer
) -> None:
    home = tmp_path / "home"
    _configure(home, echoing.port)
    ok(cli(home, "contact", "add", "Ann Lee", "--email", "ann@example.com"))
    ok(cli(home, "follow-up", "add", "ann", "today", "send the deck"))
    result = cli(home, "remind", "--email", "x@example.com", RELCLI_SMTP_PASSWORD=CANARY)
    line = one_line_error(result, 75)
    assert "refused the login" in line
    assert _leaks(home, [result]) == []
