"""Read a big import file in a second process while this one matches and writes.

Reading a file, parsing its rows and making each person's duplicate keys takes about a third
of a large import, and needs nothing from the book. So for a big regular file on a machine
with more than one core, ``reading`` forks a reader process before the book is opened: it
reads the file, makes every person's keys (``dupes.identity``) and sends the items back in
frames of ``_CHUNK``, while this process matches and writes the batches it already has.

- The items are the same, in the same order, as reading in-process gives (a test compares
  the books both ways); only who does the work changes.
- Memory stays bounded: at most ``_AHEAD`` frames wait in this process, and the reader blocks
  on the pipe when they are not taken.
- An error the reader meets (an encoding it refuses, a quote never closed) is raised here
  at the same point in the stream as in-process, with its message and hint; a bug in it is
  raised here with the reader's traceback. The reader never opens the book, so whatever
  fails, the command's one transaction decides what is written.
- The frames are written with marshal (several times faster than pickle for tuples, lists
  and strings), over a private pipe between this process and its own fork.
"""

import contextlib
import gc
import marshal
import operator
import os
import queue
import signal
import stat
import struct
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import date
from typing import IO, Any

from relcli import errors
from relcli.domain import dupes
from relcli.domain.formats.records import Address, Item, Person, Skipped

MIN_BYTES = 1 << 20  # below this (about 8,000 LinkedIn rows) the fork costs more than it saves
_CHUNK = 1000  # items per frame
_AHEAD = 16  # frames held here before the reader waits: 16,000 people, a few MiB
_LENGTH = struct.Struct("!I")
_PIPE_BYTES = 1 << 20

_ADDRESS = operator.attrgetter(*(f.name for f in fields(Address)))


def worth_it(stream: IO[bytes]) -> bool:
    """Whether ``stream`` is big enough, and this machine able, to read in a second process."""
    if not hasattr(os, "fork") or _cores() < 2:
        return False
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size >= MIN_BYTES


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@contextmanager
def reading(read: Callable[[], Iterable[Item]], region: str | None) -> Iterator[Iterator[Item]]:
    """The items ``read()`` gives, read by a forked reader process (``read`` is called there);
    the process is gone when this ends.

    Call it before the book is opened: the reader must share no connection with this
    process. ``region`` is the default phone region the duplicate keys are made with.
    """
    read_end, write_end = os.pipe()
    _widen(write_end)
    pid = os.fork()
    if pid == 0:  # the reader: it never returns
        os.close(read_end)
        _reader(read, region, write_end)
    os.close(write_end)
    frames: queue.Queue[bytes | None] = queue.Queue(maxsize=_AHEAD)
    stop = threading.Event()
    source = os.fdopen(read_end, "rb", buffering=0)
    drain = threading.Thread(target=_drain, args=(source, frames, stop), daemon=True)
    drain.start()
    ended = [False]  # whether the reader sent the whole file
    try:
        yield _received(frames, ended)
    finally:
        stop.set()
        _end(pid, stopped=not ended[0])
        drain.join()
        source.close()


def _widen(fd: int) -> None:
    """Let the pipe hold 1 MiB (Linux; 64 KiB is the default): the thread that drains it
    runs only when this process lets go of the GIL, and a full pipe would stop the reader."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or a lower system limit
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)


def _reader(read: Callable[[], Iterable[Item]], region: str | None, fd: int) -> None:
    """The forked process: read, make keys, send; then leave without running any of the
    parent's clean-up (atexit handlers, buffered output, open files are the parent's)."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        gc.disable()  # many objects, no cycles (see services/gc_pause)
        with os.fdopen(fd, "wb", buffering=1 << 16) as out:
            try:
                chunk: list[tuple[Any, ...]] = []
                for item in read():
                    chunk.append(_packed(item, region))
                    if len(chunk) >= _CHUNK:
                        _send(out, ("items", chunk))
                        chunk = []
                _send(out, ("items", chunk))
                _send(out, ("end",))
            except errors.RelcliError as err:
                _send(out, ("error", type(err).__name__, str(err), err.hint))
            except BrokenPipeError:
                raise
            except BaseException:  # a bug: the parent reports it
                _send(out, ("crash", traceback.format_exc()))
    except BrokenPipeError:  # the parent stopped listening: it is ending the command
        code = 1
    except BaseException:
        code = 2
    finally:
        os._exit(code)


def _packed(item: Item, region: str | None) -> tuple[Any, ...]:
    """An item as marshal can write it: a Person's fields in order, with its day as an
    ordinal and its addresses as tuples, then its Identity's fields; a Skipped's two."""
    if isinstance(item, Skipped):
        return (item.where, item.reason)
    p = item
    who = dupes.identity(p.name, p.company, p.emails, p.phones, p.url, region)
    return (
        p.name, p.where, p.key, p.emails, p.phones, p.company, p.title, p.tags, p.birthday,
        p.notes, p.url, p.known_since.toordinal() if p.known_since else None, p.nickname,
        p.anniversary, [_ADDRESS(a) for a in p.addresses] if p.addresses else None,
        tuple(who),
    )  # fmt: skip


def _send(out: IO[bytes], message: tuple[Any, ...]) -> None:
    data = marshal.dumps(message)
    out.write(_LENGTH.pack(len(data)))
    out.write(data)


def _drain(source: IO[bytes], frames: "queue.Queue[bytes | None]", stop: threading.Event) -> None:
    """Take the reader's frames off the pipe as they come (the pipe holds only 64 KiB), so
    it can read ahead while this process works; None marks the end of the pipe."""
    while not stop.is_set():
        head = _exactly(source, _LENGTH.size)
        frame = _exactly(source, _LENGTH.unpack(head)[0]) if head is not None else None
        while not stop.is_set():
            try:
                frames.put(frame, timeout=0.1)
                break
            except queue.Full:
                continue
        if frame is None:
            return


def _exactly(source: IO[bytes], size: int) -> bytes | None:
    parts = []
    while size:
        part = source.read(size)
        if not part:
            return None
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _received(frames: "queue.Queue[bytes | None]", ended: list[bool]) -> Iterator[Item]:
    days: dict[int, date] = {}  # known_since repeats: a few thousand days
    made = dupes.Identity.made
    while True:
        frame = frames.get()
        if frame is None:  # killed (out of memory?) before it said why
            raise errors.RelcliError(
                "the process reading the file stopped before its end; nothing was changed",
                hint="import the file again",
            )
        message = marshal.loads(frame)  # from this process's own fork, never from a file
        kind = message[0]
        if kind == "items":
            for packed in message[1]:
                if len(packed) == 2:
                    yield Skipped(*packed)
                    continue
                day, addresses = packed[11], packed[14]
                if day is not None and (known := days.get(day)) is None:
                    known = days[day] = date.fromordinal(day)
                person = Person(  # type: ignore[call-arg]  # mypy cannot count *packed[:11]
                    *packed[:11],  # name ... url
                    known if day is not None else None, packed[12], packed[13],
                    [Address(*a) for a in addresses] if addresses else [],
                )  # fmt: skip
                person.identity = made(packed[15])
                yield person
        elif kind == "end":
            ended[0] = True
            return
        elif kind == "error":
            _, name, text, hint = message
            error = getattr(errors, name, errors.ImportFileError)
            raise error(text, hint=hint)
        else:
            raise RuntimeError(f"the import's reader process failed:\n{message[1]}")


def _end(pid: int, *, stopped: bool) -> None:
    """Wait for the reader; with ``stopped`` (the command is ending early: an error, Ctrl-C)
    kill it first, as it may still be reading."""
    if stopped:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
