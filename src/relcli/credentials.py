"""Secrets: only through here, from the keyring (service "relcli"); never stored or printed.

The SMTP password is looked up in this order: the RELCLI_SMTP_PASSWORD environment variable,
``smtp.password_command`` from config.toml, the system keyring, and a hidden prompt only when a
person is at the terminal. A secret lives in the keyring under service ``relcli`` with the
secret's name as the username (``relcli`` / ``smtp``): one SMTP account per relcli.

Every keyring call runs in a daemon thread with a deadline, so a D-Bus that never answers
cannot hang cron, neither during the call nor at interpreter exit. The keyring is imported
lazily, inside that thread: the environment variable and the password command never load it.
"""

import getpass
import os
import shlex
import subprocess
import threading
from collections.abc import Callable
from typing import Protocol, TypeVar

from relcli.errors import CredentialsError, UsageError

SERVICE = "relcli"
SECRETS = ("smtp",)  # every name `relcli secret set|rm` accepts
SMTP_PASSWORD_ENV = "RELCLI_SMTP_PASSWORD"
DEADLINE_S = 3.0  # nobody can unlock the keyring (cron, pipes): fail fast
UNLOCK_DEADLINE_S = 60.0  # a person at the terminal may be typing into an unlock dialog
COMMAND_TIMEOUT_S = 10.0

HINT = f"set {SMTP_PASSWORD_ENV} or smtp.password_command in config.toml"
_T = TypeVar("_T")


class SmtpAccount(Protocol):
    """What the lookup needs from ``config.Smtp`` (config sits beside this module, not below)."""

    @property
    def host(self) -> str: ...
    @property
    def user(self) -> str | None: ...
    @property
    def password_command(self) -> str | None: ...


def check_name(name: str) -> str:
    """The secret's name if relcli knows it; a usage error listing the known ones otherwise."""
    if name not in SECRETS:
        raise UsageError(f"unknown secret {name!r}", hint=f"known secrets: {', '.join(SECRETS)}")
    return name


def smtp_password(smtp: SmtpAccount, *, interactive: bool) -> str:
    """The SMTP password: environment, password command, keyring, then a prompt on a terminal.

    ``interactive`` says whether a person can answer a prompt (the CLI passes
    ``sys.stdin.isatty()``); without one, a missing password is a CredentialsError (exit 78)
    that names what to set instead.
    """
    if password := os.environ.get(SMTP_PASSWORD_ENV):
        return password
    if smtp.password_command:
        return _run_password_command(smtp.password_command)
    deadline = UNLOCK_DEADLINE_S if interactive else DEADLINE_S
    backend, password, usable = _keyring_call("read the smtp password", _get("smtp"), deadline)
    if password:
        return password
    if interactive:
        who = f"{smtp.user}@{smtp.host}" if smtp.user else smtp.host
        password = getpass.getpass(f"SMTP password for {who}: ")
        if not password:
            raise CredentialsError("no smtp password entered; nothing was sent", hint=HINT)
        return password
    missing = f"the keyring ({backend}) has none" if usable else f"no keyring ({backend})"
    raise CredentialsError(
        f"no smtp password: {SMTP_PASSWORD_ENV} is not set, there is no "
        f"smtp.password_command, and {missing}",
        hint=f"{HINT}, or run 'relcli secret set smtp' in a terminal",
    )


def set_secret(name: str, value: str, *, interactive: bool = False) -> None:
    """Store a secret in the keyring, then read it back: a backend that drops it is an error."""
    check_name(name)
    if not value:
        raise UsageError(f"the {name} password is empty; nothing was stored")
    deadline = UNLOCK_DEADLINE_S if interactive else DEADLINE_S
    backend, kept = _keyring_call(
        f"store the {name} password", _set(name, value), deadline, secret=value
    )
    if kept != value:
        raise CredentialsError(
            f"the keyring ({backend}) did not keep the {name} password; nothing usable was stored",
            hint=f"{HINT} instead",
        )


def remove_secret(name: str, *, interactive: bool = False) -> bool:
    """Remove a secret from the keyring; False if there was none. Checked by reading back."""
    check_name(name)
    deadline = UNLOCK_DEADLINE_S if interactive else DEADLINE_S
    backend, outcome = _keyring_call(f"remove the {name} password", _remove(name), deadline)
    if outcome == "kept":
        raise CredentialsError(
            f"the keyring ({backend}) still holds the {name} password after removing it",
            hint="remove it with your keyring's own tool (e.g. seahorse or 'secret-tool clear')",
        )
    return outcome == "removed"


def backend_name() -> str:
    """The keyring backend in use, asked with a deadline (a D-Bus that never answers must not hang)."""
    try:
        return _keyring_call("name its backend", _name, DEADLINE_S)
    except CredentialsError as err:
        return str(err)


def _run_password_command(command: str) -> str:
    """The first line of the command's stdout; its output never reaches a message."""
    where = f"smtp.password_command {command!r}"
    try:
        argv = shlex.split(command)
    except ValueError as err:
        raise CredentialsError(f"{where} cannot be split into arguments: {err}") from err
    if not argv:
        raise CredentialsError(f"{where} is empty", hint=HINT)
    try:
        done = subprocess.run(  # an argument list, never a shell
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=COMMAND_TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError as err:
        raise CredentialsError(f"{where}: {argv[0]!r} not found", hint="fix the command") from err
    except subprocess.TimeoutExpired as err:
        raise CredentialsError(
            f"{where} did not finish within {COMMAND_TIMEOUT_S:g}s",
            hint="check that it needs no input (under cron nobody can type a passphrase)",
        ) from err
    except OSError as err:
        raise CredentialsError(f"{where} could not run: {err.strerror}") from err
    if done.returncode != 0:
        raise CredentialsError(
            f"{where} failed with exit status {done.returncode}",
            hint="run the command yourself to see why",
        )
    lines = done.stdout.splitlines()
    try:
        password = lines[0].decode() if lines else ""
    except UnicodeDecodeError as err:
        raise CredentialsError(f"{where} printed a first line that is not UTF-8") from err
    if not password:
        raise CredentialsError(f"{where} printed nothing on its first line", hint=HINT)
    return password


def _name() -> str:
    import keyring

    return _describe(keyring.get_keyring())


def _get(name: str) -> Callable[[], tuple[str, str | None, bool]]:
    """The backend's name, the secret or None, and whether the backend can hold secrets at all."""

    def get() -> tuple[str, str | None, bool]:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring | null.Keyring):  # no keyring on this system
            return _describe(backend), None, False
        return _describe(backend), backend.get_password(SERVICE, name), True

    return get


def _set(name: str, value: str) -> Callable[[], tuple[str, str | None]]:
    def set_() -> tuple[str, str | None]:
        import keyring

        backend = keyring.get_keyring()
        backend.set_password(SERVICE, name, value)
        return _describe(backend), backend.get_password(SERVICE, name)

    return set_


def _remove(name: str) -> Callable[[], tuple[str, str]]:
    def remove() -> tuple[str, str]:
        import keyring

        backend = keyring.get_keyring()
        if backend.get_password(SERVICE, name) is None:
            return _describe(backend), "absent"
        backend.delete_password(SERVICE, name)
        still = backend.get_password(SERVICE, name) is not None
        return _describe(backend), "kept" if still else "removed"

    return remove


def _describe(backend: object) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _keyring_call(
    what: str, call: Callable[[], _T], deadline: float, *, secret: str | None = None
) -> _T:
    """Run ``call`` in a daemon thread and wait at most ``deadline`` seconds.

    A daemon thread, not a ThreadPoolExecutor: the executor's worker is joined at interpreter
    exit, so a hung D-Bus call would hang the process after the deadline had "passed".
    """
    results: list[_T] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            results.append(call())
        except BaseException as err:  # handed over to the caller's thread, which raises it
            failures.append(err)

    worker = threading.Thread(target=run, name="relcli-keyring", daemon=True)
    worker.start()
    worker.join(deadline)
    if results:
        return results[0]
    if not failures:
        raise CredentialsError(
            f"the keyring did not answer within {deadline:g}s when asked to {what}", hint=HINT
        )
    err = failures[0]
    if isinstance(err, ImportError):
        raise CredentialsError("the keyring package is not installed", hint=HINT) from err
    if not isinstance(err, Exception):
        raise err  # KeyboardInterrupt, SystemExit: not ours to translate
    # Any failure inside a keyring backend (keyring's own errors, and D-Bus or secretstorage
    # errors that escape it) means the secret is unavailable, not that relcli has a bug: the
    # only relcli code in the thread is the few lines of _get, _set, _remove and _name.
    from keyring.errors import NoKeyringError

    if isinstance(err, NoKeyringError):
        cause = "there is no usable keyring on this system"
    else:
        cause = f"{type(err).__name__}: {err}"
        if secret:
            cause = cause.replace(secret, "***")
    raise CredentialsError(f"the keyring failed to {what}: {cause}", hint=HINT) from err
