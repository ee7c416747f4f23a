"""relcli backup and relcli restore."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from relcli.cli import runtime
from relcli.cli.options import YesOption
from relcli.errors import InvalidInputError
from relcli.render import messages


def _contacts(n: int) -> str:
    return f"{n} contact" if n == 1 else f"{n} contacts"


def _stamp() -> str:
    return runtime.now().strftime("%Y%m%d-%H%M%SZ")


def backup(
    path: Annotated[Path | None, typer.Argument(metavar="[PATH]",
                                                help="Where to write it (default: the data dir, with a timestamp).")] = None,
    keep: Annotated[int | None, typer.Option("--keep", min=1, metavar="N",
                                             help="Then remove all but the newest N backups in the data dir.")] = None,
) -> None:  # fmt: skip
    """Take a consistent copy of the database."""
    from relcli.store import backups

    paths = runtime.paths()
    target = path or paths.data_dir / f"{backups.PREFIX}{_stamp()}.db"
    if target.is_dir():
        target = target / f"{backups.PREFIX}{_stamp()}.db"
    if target.exists():
        raise InvalidInputError(
            f"{str(target)!r} exists; nothing was written", hint="name another file"
        )
    contacts = backups.backup(paths.database, target)
    messages.note(f"backed up {_contacts(contacts)} to {target}")
    if keep is not None:
        for gone in backups.prune(paths.data_dir, keep):
            messages.note(f"removed the old backup {gone.name}")


def restore(
    path: Annotated[
        Path, typer.Argument(metavar="PATH", help="A backup taken with 'relcli backup'.")
    ],
    yes: YesOption = False,
) -> None:
    """Put a backup back in place of the database."""
    from relcli.store import backups

    paths = runtime.paths()
    contacts = backups.check(path)
    if not yes:
        if not sys.stdin.isatty():
            raise InvalidInputError(f"not restoring {str(path)!r} without confirmation",
                                    hint="add --yes to restore without asking")  # fmt: skip
        if not typer.confirm(
            f"Replace your book with {path.name} ({_contacts(contacts)})?", err=True
        ):
            messages.note("nothing was restored")
            return
    keep_as = paths.data_dir / f"{backups.PREFIX}{_stamp()}-before-restore.db"
    backups.restore(path, paths.database, keep_as)
    messages.note(f"restored {_contacts(contacts)} from {path}; the book before is in {keep_as}")
