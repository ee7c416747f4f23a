"""The RelcliError family and the exit codes they map to."""

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; documented in docs/config.md."""

    OK = 0
    ERROR = 1
    USAGE = 2
    NOT_FOUND = 3
    AMBIGUOUS = 4
    DATABASE_REFUSED = 5
    DATA_ERR = 65
    IO_ERR = 74
    TEMP_FAIL = 75
    CONFIG = 78


class RelcliError(Exception):
    """A user error: shown as one line on stderr, never with a traceback."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class InvalidInputError(RelcliError):
    """Understood, but cannot be done (duplicate email, bad combination of flags)."""


class UsageError(RelcliError):
    """A value that cannot be parsed: a date, a channel, a stage."""

    exit_code = ExitCode.USAGE


class NotFoundError(RelcliError):
    exit_code = ExitCode.NOT_FOUND


class AmbiguousError(RelcliError):
    exit_code = ExitCode.AMBIGUOUS


class StorageError(RelcliError):
    """The database could not do what was asked."""


class StorageRefusedError(StorageError):
    """A damaged, foreign, empty or newer-schema database file: left untouched."""

    exit_code = ExitCode.DATABASE_REFUSED


class StorageIOError(StorageError):
    exit_code = ExitCode.IO_ERR


class BusyError(StorageError):
    exit_code = ExitCode.TEMP_FAIL


class ImportFileError(RelcliError):
    exit_code = ExitCode.DATA_ERR


class MailError(RelcliError):
    exit_code = ExitCode.TEMP_FAIL


class ConfigError(RelcliError):
    exit_code = ExitCode.CONFIG


class CredentialsError(RelcliError):
    exit_code = ExitCode.CONFIG
