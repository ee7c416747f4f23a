"""Where the SMTP password comes from, in order, and how every keyring failure ends: exit 78."""

import json
import os
import shlex
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringError, KeyringLocked

from relcli import config, credentials
from relcli.errors import CredentialsError, ExitCode, UsageError
from tests.conftest import MemoryKeyring

# keyring's "fail" (no backend at all) and "null" (drops every secret) backends
FAIL: KeyringBackend = fail.Keyring()  # type: ignore[no-untyped-call]
NULL: KeyringBackend = null.Keyring()  # type: ignore[no-untyped-call]

ENV = "RELCLI_SMTP_PASSWORD"


def python(code: str) -> str:
    """A password command that runs a snippet of Python, quoted for shlex.split."""
    return f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}"


def smtp(command: str | None = None) -> config.Smtp:
    return config.Smtp(
        host="smtp.example.com", from_="me@example.com", user="ann", password_command=command
    )


@pytest.fixture
def memory() -> MemoryKeyring:
    backend = keyring.get_keyring()
    assert isinstance(backend, MemoryKeyring)  # installed by conftest's isolated fixture
    return backend


def store(memory: MemoryKeyring, password: str) -> None:
    memory.secrets[("relcli", "smtp")] = password


class RaisingKeyring(KeyringBackend):
    priority = 1

    def __init__(self, error: Exception) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:  # noqa: ARG002
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:  # noqa: ARG002
        raise self.error

    def delete_password(self, service: str, username: str) -> None:  # noqa: ARG002
        raise self.error


class HangingKeyring(KeyringBackend):
    """A D-Bus that never answers: every call waits 30 s (released when the test ends)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.release = threading.Event()
        self.asked: list[tuple[str, str]] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.asked.append((service, username))
        self.release.wait(30)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:  # noqa: ARG002
        self.asked.append((service, username))
        self.release.wait(30)

    def delete_password(self, service: str, username: str) -> None:
        self.asked.append((service, username))
        self.release.wait(30)


class ForgetfulDeleteKeyring(MemoryKeyring):
    def delete_password(self, service: str, username: str) -> None:
        pass


@pytest.fixture
def hanging(monkeypatch: pytest.MonkeyPatch) -> Iterator[HangingKeyring]:
    monkeypatch.setattr(credentials, "DEADLINE_S", 0.2)
    monkeypatch.setattr(credentials, "UNLOCK_DEADLINE_S", 0.2)
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release.set()


def no_prompt(prompt: str = "") -> str:
    raise AssertionError(f"prompted: {prompt!r}")


# The order: environment, password command, keyring, prompt


def test_the_environment_variable_comes_first(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    store(memory, "from-keyring")
    monkeypatch.setenv(ENV, "from-env")
    monkeypatch.setattr("getpass.getpass", no_prompt)
    assert credentials.smtp_password(smtp(python("print('from-command')")), interactive=True) == (
        "from-env"
    )


def test_the_password_command_comes_before_the_keyring(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    store(memory, "from-keyring")
    monkeypatch.setenv(ENV, "")  # empty is the same as unset
    monkeypatch.setattr("getpass.getpass", no_prompt)
    command = python("print('  from command  '); print('second line: metadata')")
    assert credentials.smtp_password(smtp(command), interactive=True) == "  from command  "


def test_the_password_command_runs_without_a_shell() -> None:
    command = python("import sys; print(sys.argv[1])") + " 'a;b $HOME `x` | y'"
    assert credentials.smtp_password(smtp(command), interactive=False) == "a;b $HOME `x` | y"


def test_the_keyring_comes_before_the_prompt(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    store(memory, "from-keyring")
    monkeypatch.setattr("getpass.getpass", no_prompt)
    assert credentials.smtp_password(smtp(), interactive=True) == "from-keyring"
    assert credentials.smtp_password(smtp(), interactive=False) == "from-keyring"


def test_the_prompt_comes_last_and_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def answer(prompt: str = "") -> str:
        asked.append(prompt)
        return "typed"

    monkeypatch.setattr("getpass.getpass", answer)
    assert credentials.smtp_password(smtp(), interactive=True) == "typed"
    assert asked == ["SMTP password for ann@smtp.example.com: "]


def test_an_empty_answer_to_the_prompt_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": "")
    with pytest.raises(CredentialsError, match="no smtp password entered"):
        credentials.smtp_password(smtp(), interactive=True)


def test_without_a_terminal_a_missing_password_says_what_to_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("getpass.getpass", no_prompt)
    with pytest.raises(CredentialsError) as caught:
        credentials.smtp_password(smtp(), interactive=False)
    assert caught.value.exit_code == ExitCode.CONFIG
    assert "the keyring (tests.conftest.MemoryKeyring) has none" in str(caught.value)
    assert caught.value.hint is not None
    assert "RELCLI_SMTP_PASSWORD" in caught.value.hint
    assert "smtp.password_command" in caught.value.hint


@pytest.mark.parametrize("backend", [FAIL, NULL])
def test_cron_without_a_usable_keyring_fails_with_exit_78(
    backend: KeyringBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(backend)
    monkeypatch.setattr("getpass.getpass", no_prompt)
    with pytest.raises(CredentialsError, match=r"no keyring \(keyring\.backends\.") as caught:
        credentials.smtp_password(smtp(), interactive=False)
    assert caught.value.exit_code == 78
    assert "RELCLI_SMTP_PASSWORD" in (caught.value.hint or "")


def test_a_terminal_without_a_usable_keyring_still_gets_the_prompt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keyring.set_keyring(FAIL)
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": "typed")
    assert credentials.smtp_password(smtp(), interactive=True) == "typed"


# A password command that fails


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("import sys; print('x' * 3 + 'OUT'.lower()); sys.exit(3)", "failed with exit status 3"),
        ("import sys; sys.stderr.write('x' * 3 + 'ERR'.lower()); sys.exit(3)", "exit status 3"),
        ("print('')", "printed nothing"),
        ("import sys; sys.stdout.buffer.write(b'\\xff\\xfe\\n')", "not UTF-8"),
    ],
)  # fmt: skip
def test_a_failing_password_command_names_the_command_never_its_output(
    code: str, says: str
) -> None:
    command = python(code)
    with pytest.raises(CredentialsError, match=says) as caught:
        credentials.smtp_password(smtp(command), interactive=False)
    text = f"{caught.value} {caught.value.hint}"
    assert f"smtp.password_command {command!r}" in text
    assert "xxxout" not in text
    assert "xxxerr" not in text
    assert caught.value.exit_code == 78


def test_a_password_command_that_does_not_exist() -> None:
    with pytest.raises(CredentialsError, match="'no-such-relcli-helper' not found"):
        credentials.smtp_password(smtp("no-such-relcli-helper show x"), interactive=False)


def test_a_password_command_that_hangs_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(credentials, "COMMAND_TIMEOUT_S", 0.3)
    started = time.monotonic()
    with pytest.raises(CredentialsError, match=r"did not finish within 0\.3s"):
        credentials.smtp_password(smtp(python("import time; time.sleep(30)")), interactive=False)
    assert time.monotonic() - started < 5


# Keyrings that raise, hang or drop secrets


@pytest.mark.parametrize(
    "error",
    [KeyringLocked("Failed to unlock the collection!"), KeyringError("boom"), OSError("D-Bus")],
)
def test_a_keyring_that_raises_is_a_credentials_error(error: Exception) -> None:
    keyring.set_keyring(RaisingKeyring(error))
    with pytest.raises(CredentialsError) as caught:
        credentials.smtp_password(smtp(), interactive=True)
    assert f"the keyring failed to read the smtp password: {type(error).__name__}" in str(
        caught.value
    )
    assert caught.value.__cause__ is error
    assert caught.value.exit_code == 78
    assert "RELCLI_SMTP_PASSWORD" in (caught.value.hint or "")


def test_a_keyring_that_hangs_fails_within_the_deadline(hanging: HangingKeyring) -> None:
    started = time.monotonic()
    with pytest.raises(CredentialsError, match=r"did not answer within 0\.2s") as caught:
        credentials.smtp_password(smtp(), interactive=False)
    assert time.monotonic() - started < 2
    assert caught.value.exit_code == 78
    assert hanging.asked == [("relcli", "smtp")]
    assert not hanging.release.is_set()  # it really was still hanging


@pytest.mark.usefixtures("hanging")
def test_setting_and_removing_on_a_hanging_keyring_fail_within_the_deadline() -> None:
    started = time.monotonic()
    with pytest.raises(CredentialsError, match="did not answer"):
        credentials.set_secret("smtp", "x")
    with pytest.raises(CredentialsError, match="did not answer"):
        credentials.remove_secret("smtp")
    assert time.monotonic() - started < 3


def test_a_null_keyring_that_drops_secrets_is_detected_on_set() -> None:
    keyring.set_keyring(NULL)
    with pytest.raises(CredentialsError, match=r"did not keep the smtp password") as caught:
        credentials.set_secret("smtp", "dropped")
    assert "keyring.backends.null.Keyring" in str(caught.value)
    assert "dropped" not in f"{caught.value} {caught.value.hint}"


def test_a_missing_keyring_is_a_credentials_error_on_set() -> None:
    keyring.set_keyring(FAIL)
    with pytest.raises(CredentialsError, match="there is no usable keyring") as caught:
        credentials.set_secret("smtp", "x")
    assert caught.value.exit_code == 78


def test_a_keyring_error_that_quotes_the_secret_is_scrubbed() -> None:
    keyring.set_keyring(RaisingKeyring(KeyringError("cannot store 'quoted-secret'")))
    with pytest.raises(CredentialsError) as caught:
        credentials.set_secret("smtp", "quoted-secret")
    assert "quoted-secret" not in str(caught.value)
    assert "cannot store '***'" in str(caught.value)


def test_set_then_read_then_remove(memory: MemoryKeyring) -> None:
    credentials.set_secret("smtp", "kept")
    assert memory.secrets == {("relcli", "smtp"): "kept"}
    assert credentials.smtp_password(smtp(), interactive=False) == "kept"
    assert credentials.remove_secret("smtp") is True
    assert memory.secrets == {}
    assert credentials.remove_secret("smtp") is False


def test_a_keyring_that_ignores_removal_is_detected() -> None:
    backend = ForgetfulDeleteKeyring()
    keyring.set_keyring(backend)
    credentials.set_secret("smtp", "sticky")
    with pytest.raises(CredentialsError, match="still holds the smtp password"):
        credentials.remove_secret("smtp")


def test_unknown_secret_names_are_usage_errors_listing_the_known_ones() -> None:
    with pytest.raises(UsageError, match="unknown secret 'imap'") as caught:
        credentials.set_secret("imap", "x")
    assert caught.value.hint == "known secrets: smtp"
    with pytest.raises(UsageError):
        credentials.remove_secret("imap")


# The read paths stay light

PROBE = """
import json, os, sys
from relcli import config, credentials
smtp = config.Smtp(host="h", from_="me@example.com", password_command=os.environ.get("CMD"))
password = credentials.smtp_password(smtp, interactive=False)
sys.stdout.write(json.dumps([password, "keyring" in sys.modules]))
"""


@pytest.mark.parametrize("source", ["env", "command"])
def test_the_environment_and_the_command_never_import_keyring(source: str) -> None:
    env: dict[str, Any] = dict(os.environ)
    if source == "env":
        env[ENV] = "from-env"
    else:
        env["CMD"] = python("print('from-command')")
    run = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=False
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [f"from-{source}", False]
