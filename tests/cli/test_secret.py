"""relcli secret set|rm: the SMTP password goes to the keyring and nowhere else."""

import io
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringLocked

from relcli import credentials
from tests.conftest import MemoryKeyring, Relcli, Run, ok

# keyring's "fail" (no backend at all) and "null" (drops every secret) backends
FAIL: KeyringBackend = fail.Keyring()  # type: ignore[no-untyped-call]
NULL: KeyringBackend = null.Keyring()  # type: ignore[no-untyped-call]

CANARY = "canary-7Hq9-Zx!pw"


@pytest.fixture
def memory() -> MemoryKeyring:
    backend = keyring.get_keyring()
    assert isinstance(backend, MemoryKeyring)
    return backend


def one_line_error(run: Run, code: int) -> str:
    assert run.code == code, run.err
    assert run.out == ""
    assert "Traceback" not in run.err
    assert run.err.count("\n") == 1, run.err
    assert run.err.startswith("relcli: ")
    return run.err


def test_set_reads_the_first_line_of_stdin_and_says_where_it_went(
    relcli: Relcli, memory: MemoryKeyring
) -> None:
    run = ok(relcli("secret", "set", "smtp", stdin=f"{CANARY}\nlogin: ann\nurl: mail\n"))
    assert memory.secrets == {("relcli", "smtp"): CANARY}
    assert run.out == ""
    assert run.err == "stored the smtp password in the keyring (tests.conftest.MemoryKeyring)\n"


def test_set_with_nothing_on_stdin_stores_nothing(relcli: Relcli, memory: MemoryKeyring) -> None:
    err = one_line_error(relcli("secret", "set", "smtp", stdin=""), 2)
    assert "no smtp password given; nothing was stored" in err
    assert "| relcli secret set smtp" in err
    assert memory.secrets == {}


@pytest.mark.parametrize("verb", ["set", "rm"])
def test_an_unknown_secret_is_a_usage_error_listing_the_known_ones(
    relcli: Relcli, memory: MemoryKeyring, verb: str
) -> None:
    err = one_line_error(relcli("secret", verb, "imap", stdin="x\n"), 2)
    assert err == "relcli: unknown secret 'imap' (hint: known secrets: smtp)\n"
    assert memory.secrets == {}


def test_rm_removes_it_and_a_second_rm_changes_nothing(
    relcli: Relcli, memory: MemoryKeyring
) -> None:
    ok(relcli("secret", "set", "smtp", stdin="pw\n"))
    run = ok(relcli("secret", "rm", "smtp"))
    assert run.err == "removed the smtp password from the keyring (tests.conftest.MemoryKeyring)\n"
    assert memory.secrets == {}
    again = ok(relcli("secret", "rm", "smtp"))
    assert "no smtp password was in the keyring" in again.err
    assert "nothing changed" in again.err


def test_a_bare_secret_shows_its_help(relcli: Relcli) -> None:
    run = ok(relcli("secret"))
    assert "set" in run.out
    assert "rm" in run.out


@pytest.mark.parametrize(
    ("backend", "says"),
    [
        (NULL, "the keyring (keyring.backends.null.Keyring) did not keep the smtp"),
        (FAIL, "there is no usable keyring on this system"),
        (MemoryKeyring(), None),
    ],
)
def test_a_keyring_that_cannot_keep_secrets_is_exit_78_with_a_remedy(
    relcli: Relcli, backend: KeyringBackend, says: str | None
) -> None:
    keyring.set_keyring(backend)
    run = relcli("secret", "set", "smtp", stdin=f"{CANARY}\n")
    if says is None:  # the control: the same command works on a keyring that keeps secrets
        ok(run)
        return
    err = one_line_error(run, 78)
    assert says in err
    assert "RELCLI_SMTP_PASSWORD" in err
    assert "smtp.password_command" in err
    assert CANARY not in err


class LockedKeyring(KeyringBackend):
    """A keyring whose owner dismissed the unlock dialog."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]

    def get_password(self, service: str, username: str) -> str | None:  # noqa: ARG002
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:  # noqa: ARG002
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:  # noqa: ARG002
        raise KeyringLocked("Failed to unlock the collection!")


def test_a_keyring_that_raises_is_exit_78_with_a_remedy(relcli: Relcli) -> None:
    keyring.set_keyring(LockedKeyring())
    for args in (("set", "smtp"), ("rm", "smtp")):
        err = one_line_error(relcli("secret", *args, stdin=f"{CANARY}\n"), 78)
        assert "KeyringLocked: Failed to unlock the collection!" in err
        assert "RELCLI_SMTP_PASSWORD" in err
        assert CANARY not in err


class HangingKeyring(KeyringBackend):
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


@pytest.fixture
def hanging(monkeypatch: pytest.MonkeyPatch) -> Iterator[HangingKeyring]:
    monkeypatch.setattr(credentials, "DEADLINE_S", 0.2)
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release.set()


@pytest.mark.usefixtures("hanging")
def test_a_keyring_that_never_answers_fails_within_the_deadline(relcli: Relcli) -> None:
    started = time.monotonic()
    err = one_line_error(relcli("secret", "set", "smtp", stdin="pw\n"), 78)
    assert time.monotonic() - started < 2
    assert "the keyring did not answer within 0.2s when asked to store the smtp password" in err


def test_a_password_in_config_toml_is_refused_and_never_shown(
    relcli: Relcli, isolated: Path
) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text(
        f'[smtp]\nhost = "smtp.example.com"\nfrom = "me@example.com"\npassword = "{CANARY}"\n'
    )
    err = one_line_error(relcli("config", "show"), 78)
    assert "smtp.password in config.toml: relcli never reads passwords from config.toml" in err
    assert "relcli secret set smtp" in err
    assert CANARY not in err


def test_the_password_appears_in_no_file_and_no_output(
    relcli: Relcli, isolated: Path, memory: MemoryKeyring
) -> None:
    """The canary: stored through the CLI, then looked for in every file and every stream."""
    runs = [ok(relcli("contact", "add", "Ann Lee", "--email", "ann@example.com"))]
    (isolated / "config.toml").write_text(
        '[smtp]\nhost = "smtp.example.com"\nfrom = "me@example.com"\nuser = "ann"\n'
    )
    runs.append(ok(relcli("secret", "set", "smtp", stdin=f"{CANARY}\n")))
    runs.append(ok(relcli("contact", "list")))
    runs.append(ok(relcli("doctor")))
    runs.append(relcli("secret", "set", "imap", stdin=f"{CANARY}\n"))
    keyring.set_keyring(NULL)
    runs.append(relcli("secret", "set", "smtp", stdin=f"{CANARY}\n"))
    assert memory.secrets == {("relcli", "smtp"): CANARY}  # it was stored, in the keyring only
    files = [path for path in isolated.rglob("*") if path.is_file()]
    assert any(path.suffix == ".db" for path in files)
    assert any(path.name == "config.toml" for path in files)
    for path in files:
        assert CANARY.encode() not in path.read_bytes(), path
    for run in runs:
        assert CANARY not in run.out
        assert CANARY not in run.err


PROBE = """
import json, sys
from pathlib import Path
import keyring
from keyring.backend import KeyringBackend

class FileKeyring(KeyringBackend):
    priority = 1
    def get_password(self, service, username):
        path = Path(sys.argv[1])
        return json.loads(path.read_text()).get(username) if path.exists() else None
    def set_password(self, service, username, password):
        Path(sys.argv[1]).write_text(json.dumps({username: password}))
    def delete_password(self, service, username):
        Path(sys.argv[1]).unlink()

keyring.set_keyring(FileKeyring())
from relcli.cli import main
sys.exit(main(["secret", "set", "smtp"]))
"""


def test_on_a_terminal_set_asks_twice_without_echo(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    store = tmp_path / "keyring.json"
    env = {**os.environ, "RELCLI_HOME": str(tmp_path / "home")}
    child = pexpect.spawn(
        sys.executable, ["-c", PROBE, str(store)], env=env, timeout=10, encoding="utf-8"
    )
    child.logfile_read = transcript = io.StringIO()  # everything the terminal showed
    child.expect("SMTP password: ")
    child.sendline(CANARY)
    child.expect("Repeat for confirmation: ")
    child.sendline(CANARY)
    child.expect(pexpect.EOF)
    child.close()
    shown = transcript.getvalue()
    assert child.exitstatus == 0, shown
    assert json.loads(store.read_text()) == {"smtp": CANARY}
    assert "stored the smtp password in the keyring (__main__.FileKeyring)" in shown
    assert CANARY not in shown
