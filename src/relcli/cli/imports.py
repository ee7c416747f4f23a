"""relcli import FORMAT FILE: bring contacts in from LinkedIn, Google, Outlook, vCard, CSV, JSON."""

import contextlib
import functools
import io
import os
import stat
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

from relcli.cli import runtime
from relcli.cli.options import FormatOption
from relcli.errors import ImportFileError, UsageError
from relcli.render import messages, output
from relcli.render.output import Format

if TYPE_CHECKING:
    from relcli.services import imports


class Source(StrEnum):
    LINKEDIN = "linkedin"
    GOOGLE = "google"
    OUTLOOK = "outlook"
    VCARD = "vcard"
    CSV = "csv"
    JSON = "json"


class OnDuplicate(StrEnum):
    MERGE = "merge"
    SKIP = "skip"
    NEW = "new"


def _mapping(pairs: list[str] | None) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        column, sep, field = pair.rpartition("=")
        if not sep or not column.strip() or not field.strip():
            raise UsageError(f"cannot read --map {pair!r}", hint="write it as 'Full Name=name'")
        out[column.strip()] = field.strip()
    return out


def _items(source: Source, stream: BinaryIO, mapping: dict[str, str], name: str) -> Any:
    """The people in the file, read lazily by the reader for its format."""
    if source is Source.VCARD:  # raw bytes: vCard 2.1 declares a charset per property
        from relcli.domain.formats import vcard

        return vcard.read_stream(stream, source=name)
    from relcli.domain.formats import csvfiles, sniff

    text = sniff.open_text(stream)
    if source is Source.LINKEDIN:
        return csvfiles.read_linkedin(text, source=name)
    if source is Source.GOOGLE:
        return csvfiles.read_google(text, source=name)
    if source is Source.OUTLOOK:
        return csvfiles.read_outlook(text, source=name)
    return csvfiles.read_csv(text, source=name, mapping=mapping)


def import_(
    source: Annotated[Source, typer.Argument(metavar="FORMAT", case_sensitive=False,
                                             help="linkedin, google, outlook, vcard, csv or json.")],
    file: Annotated[str, typer.Argument(metavar="FILE", help="The file to read, or - for stdin.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would happen; write nothing.")] = False,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag everyone imported (repeat).")] = None,
    stage: Annotated[str | None, typer.Option("--stage", help="Stage for new contacts (default lead).")] = None,
    on_duplicate: Annotated[OnDuplicate, typer.Option("--on-duplicate", case_sensitive=False,
                                                      help="merge into the existing contact, skip, or add a new one.")] = OnDuplicate.MERGE,
    map_: Annotated[list[str] | None, typer.Option("--map", metavar="'COLUMN=field'",
                                                   help="csv: read COLUMN as a field (name, email, phone, company, title, tags, birthday, notes, url, nickname, anniversary).")] = None,
    fmt: FormatOption = Format.AUTO,
) -> None:  # fmt: skip
    """Import contacts from a file."""
    from relcli.services import imports, read_ahead

    mapping = _mapping(map_)
    ctx = runtime.context()
    if ctx.settings.backup_before_import and not dry_run:
        _backup_first()
    try:
        stream: BinaryIO = sys.stdin.buffer if file == "-" else Path(file).open("rb")  # noqa: SIM115
    except OSError as err:
        raise ImportFileError(
            f"cannot read {file!r}: {err.strerror}", hint="check the path"
        ) from err
    as_json = output.resolve(fmt) is Format.JSON
    summary = imports.Summary(source.value, dry_run, journal=as_json)
    with contextlib.closing(summary):  # its journal's temporary files, whatever happens
        with stream:
            ahead = source is not Source.JSON and read_ahead.worth_it(stream)
            stream = io.BufferedReader(_Bounded(stream, ctx.settings.import_max_bytes), 1 << 16)
            if source is Source.JSON:
                with runtime.transaction() as session:
                    imports.run_book(session, stream, ctx, dry_run=dry_run, summary=summary)
            else:
                name = "stdin" if file == "-" else Path(file).name
                read = functools.partial(_items, source, stream, mapping, name)
                # A big file is read by a second process while this one writes; it forks here,
                # before the book is opened (see services/read_ahead). Else the file is read
                # once the book is open (a pipe may still be being written).
                reading = (
                    read_ahead.reading(read, ctx.settings.phone_region)
                    if ahead
                    else contextlib.nullcontext(None)
                )
                with reading as items, runtime.raw_transaction() as conn:
                    imports.run(
                        conn, items if items is not None else read(), ctx, format_name=source.value,
                        tags=tag or [], stage=stage, on_duplicate=on_duplicate.value,
                        dry_run=dry_run, summary=summary,
                    )  # fmt: skip
        if as_json:
            summary.write_json(sys.stdout)
        _report(summary)


class _Bounded(io.RawIOBase):
    """The file, refused once it grows past the limit: at once when its size is known, else
    (stdin, a pipe) as soon as more bytes than the limit have been read."""

    def __init__(self, inner: BinaryIO, limit: int) -> None:
        super().__init__()
        self._inner, self._limit, self._read = inner, limit, 0
        with contextlib.suppress(OSError, ValueError):
            info = os.fstat(inner.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > limit:
                raise self._too_big()

    def _too_big(self) -> ImportFileError:
        return ImportFileError(
            f"the file is larger than {self._limit >> 20:,} MiB; nothing was changed",
            hint="raise [import] max_file_mib in config.toml if it really is a contacts export",
        )

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        self._read += len(data)
        if self._read > self._limit:
            raise self._too_big()
        buffer[: len(data)] = data
        return len(data)


def _report(summary: "imports.Summary") -> None:
    would = "would add" if summary.dry_run else "added"
    messages.note(
        f"{would} {summary.added}, merged {summary.merged}, "
        f"unchanged {summary.unchanged}, skipped {summary.skipped}"
        + (" (dry run: nothing was written)" if summary.dry_run else "")
    )
    for where, name, contact_id, why in summary.first_merged:
        messages.note(f"  merged {where} {name} into #{contact_id}: {why}")
    for skip in summary.first_skipped:
        messages.note(f"  skipped {skip.where}: {skip.reason}")
    hidden = (
        summary.skipped - len(summary.first_skipped) + summary.merged - len(summary.first_merged)
    )
    if hidden:
        messages.note(f"  ... and {hidden} more (see --format json)")


def _backup_first() -> None:
    """Keep a copy of the book before an import changes it (the newest three are kept)."""
    from relcli.store import backups

    paths = runtime.paths()
    if not paths.database.exists():
        return
    stamp = runtime.now().strftime("%Y%m%d-%H%M%SZ")
    target = paths.data_dir / f"{backups.PREFIX}{stamp}{backups.BEFORE_IMPORT}"
    if not target.exists():
        backups.backup(paths.database, target)
    backups.prune(paths.data_dir, backups.KEEP_BEFORE_IMPORT, backups.BEFORE_IMPORT)
