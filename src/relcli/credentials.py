"""Secrets: only through here, from the keyring (service "relcli"); never stored or printed."""

import concurrent.futures

from relcli.errors import CredentialsError

SERVICE = "relcli"
DEADLINE_S = 3.0


def backend_name() -> str:
    """The keyring backend in use, asked with a deadline (a D-Bus that never answers must not hang)."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        future = pool.submit(_backend_name)
        return future.result(timeout=DEADLINE_S)
    except concurrent.futures.TimeoutError:
        return f"no answer within {DEADLINE_S:g}s"
    except CredentialsError as err:
        return str(err)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _backend_name() -> str:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError as err:
        raise CredentialsError("the keyring package is not installed") from err
    try:
        backend = keyring.get_keyring()
    except KeyringError as err:
        raise CredentialsError(f"keyring unavailable: {err}") from err
    return f"{type(backend).__module__}.{type(backend).__name__}"
