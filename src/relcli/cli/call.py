"""relcli call: a focused session over today's list, one contact and one keypress at a time.

Each step is written the moment it is entered (the outcome at its key, the note at its Enter,
the next follow-up at its Enter), each in its own transaction, so quitting, Ctrl-C or a
killed terminal loses nothing that was already entered.
"""

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from relcli.cli import runtime
from relcli.cli.options import LimitOption
from relcli.render import messages

if TYPE_CHECKING:
    from relcli.domain.calling import Choice, Tally
    from relcli.services.context import Context

ESC, CTRL_C, CTRL_D = b"\x1b", b"\x03", b"\x04"


class _QuitError(Exception):
    """The seller ended the session (q, or Ctrl-D at a prompt)."""


def call(
    limit: LimitOption = None,
    channel: Annotated[
        str, typer.Option("--channel", help="call, email or text: who is reachable, and how.")
    ] = "call",
    tag: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="Only contacts with this tag.")
    ] = None,
    dial: Annotated[
        bool, typer.Option("--dial", help="Open each number with the system's tel: handler.")
    ] = False,
) -> None:
    """Call through today's list, one at a time."""
    from relcli.domain import calling, vocabulary
    from relcli.errors import InvalidInputError, UsageError

    channel = vocabulary.check_channel(channel)
    if channel not in calling.SESSION_CHANNELS:
        raise UsageError(f"relcli call works on call, email or text, not {channel!r}",
                         hint="e.g. relcli call --channel email")  # fmt: skip
    tags = [vocabulary.check_tag(t) for t in tag or []]
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InvalidInputError(
            "relcli call needs a terminal; nothing was changed",
            hint="in scripts, read the list with 'relcli today' and record calls with 'relcli log'",
        )
    base = runtime.context()
    opener = None
    if dial:
        opener = base.settings.call.dial or _platform_opener()
        if opener is None:
            raise UsageError("--dial does not know this system's opener",
                             hint='set it in config.toml: [call] dial = ["start"]')  # fmt: skip
    if not runtime.paths().database.exists():
        messages.note(
            "your book is empty: add someone with 'relcli contact add', or try 'relcli demo'"
        )
        return
    cap = limit if limit is not None else int(base.settings.rank["rank.list.limit"])
    _Session(base, channel, tags, cap, opener).run()


def _platform_opener() -> tuple[str, ...] | None:
    if sys.platform == "darwin":
        return ("open",)
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return ("xdg-open",)
    return None


class _Session:
    def __init__(
        self,
        base: "Context",
        channel: str,
        tags: list[str],
        cap: int,
        opener: tuple[str, ...] | None,
    ) -> None:
        from relcli.domain import calling

        self.base, self.channel, self.tags = base, channel, tags
        self.cap, self.opener = cap, opener
        self.choices = calling.choices_for(channel)
        self.tally: Tally = calling.Tally()
        self.handled: set[int] = set()

    def ctx(self) -> "Context":
        """The session's settings with the clock read now: each call is stamped when made."""
        import dataclasses

        return dataclasses.replace(self.base, today=runtime.today(), now=runtime.now())

    def run(self) -> None:
        import signal

        started = runtime.monotonic()
        previous = signal.signal(signal.SIGTERM, _terminated)
        interrupted = False
        try:
            self._loop()
        except _QuitError:
            pass
        except KeyboardInterrupt:
            interrupted = True
            sys.stderr.write("\n")
            messages.note("interrupted; everything entered before is saved")
        finally:
            signal.signal(signal.SIGTERM, previous)
            self._summary(runtime.monotonic() - started)
        if interrupted:
            raise typer.Exit(130)

    def _summary(self, seconds: float) -> None:
        from relcli.domain import calling
        from relcli.render import views

        line = views.summary_line(self.tally, self.channel, calling.duration(seconds))
        try:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
        except OSError:  # the terminal is gone; everything is saved anyway
            pass

    def _loop(self) -> None:
        from relcli.services import calls

        while len(self.handled) < self.cap:
            ctx = self.ctx()
            # A read connection per contact, closed before anything is written: opening the
            # book again for a write (its header check) would drop this process's locks on it.
            with closing(_reader()) as conn:
                row, listing = calls.next_up(
                    conn, ctx, channel=self.channel, tags=self.tags, handled=self.handled
                )
                b = calls.brief(conn, ctx, row) if row is not None else None
            if row is None or b is None:
                if self.handled:
                    messages.note("that was everyone on today's list")
                else:
                    from relcli.cli.ranking import _why_empty

                    messages.note(_why_empty(listing, self.channel, self.tags, []))
                return
            self.handled.add(row.score.contact_id)
            self._one(b)
        messages.note(f"that was the first {self.cap} of today's list")

    def _one(self, b: Any) -> None:
        from relcli.render import output, views
        from relcli.render.output import Format

        output.text(views.brief_lines(b, self.base.today, self.channel, len(self.handled)),
                    Format.PLAIN, None)  # fmt: skip
        if self.opener and b.row.reach:
            _dial(self.opener, self.channel, b.row.reach)
        chosen = self._choose()
        if chosen.action == "quit":
            raise _QuitError
        self.tally.count(chosen)
        if chosen.action == "skip":
            messages.note(f"skipped {b.card['name']}")
        elif chosen.action == "snooze":
            self._snooze(b, chosen)
        else:
            self._record(b, chosen)

    def _choose(self) -> "Choice":
        from relcli.domain import calling
        from relcli.render import views

        keys = views.keys_line(self.choices)
        sys.stderr.write(f"{keys}\n")
        while True:
            pressed = _key("outcome? ")
            if pressed in (CTRL_D,):
                raise _QuitError
            found = calling.choice(pressed.decode("ascii", "replace"), self.channel)
            if found is not None:
                sys.stderr.write(f"{found.label}\n")
                return found
            sys.stderr.write(f"\nkeys: {keys}\n")

    def _record(self, b: Any, chosen: "Choice") -> None:
        from relcli.domain import calling
        from relcli.services import calls

        cid, name = b.contact_id, b.card["name"]
        with runtime.transaction() as session:
            iid = calls.record(session, cid, self.ctx(), channel=self.channel,
                               outcome=chosen.outcome).id  # fmt: skip
        assert iid is not None
        note = _line("note (Enter for none): ").strip()
        if note:
            with runtime.transaction() as session:
                calls.annotate(session, iid, note)
        if chosen.name == "not-interested" and _yes(f"set do-not-contact for {name}? [y/N] "):
            ctx = self.ctx()
            with runtime.transaction() as session:
                calls.stop(session, cid, ctx, reason=note or f"not interested ({ctx.today})")
                calls.plan(session, cid, ctx, next_on=None, outcome=chosen.outcome)
            self.tally.stopped += 1
            messages.note(f"saved: {name} is now do-not-contact")
            return
        ctx = self.ctx()
        proposed = calling.proposed_next(
            ctx.settings.call.next_after[chosen.name],
            ctx.today,
            cadence_days=b.row.candidate.facts.cadence_days,
            min_gap_days=b.card["min_gap_days"],
        )
        next_on = _ask_date("next follow-up", proposed, ctx.today, calling.check_next)
        with runtime.transaction() as session:
            _, added = calls.plan(
                session, cid, self.ctx(), next_on=next_on, outcome=chosen.outcome, note=note
            )
            follow_up = (added.id, added.due_on) if added else None
        line = f"saved: {self.channel} {chosen.label} with {name} (#{iid})"
        if follow_up:
            self.tally.follow_ups += 1
            line += f"; follow-up #{follow_up[0]} on {follow_up[1]}"
        messages.note(line)

    def _snooze(self, b: Any, chosen: "Choice") -> None:
        from relcli.domain import calling
        from relcli.services import calls

        ctx = self.ctx()
        rule = ctx.settings.call.next_after[chosen.name]
        proposed = calling.proposed_next(rule, ctx.today, cadence_days=None, min_gap_days=None)
        until = _ask_date("snooze until", proposed, ctx.today, calling.check_snooze, clear=False)
        assert until is not None
        with runtime.transaction() as session:
            calls.snooze(session, b.contact_id, until, self.ctx())
        messages.note(f"saved: {b.card['name']} snoozed until {until}")


def _reader() -> Any:
    conn = runtime.reader()
    if conn is None:
        from relcli.errors import StorageError

        raise StorageError("the book went away during the session")
    return conn


def _terminated(signum: int, _frame: object) -> None:
    """SIGTERM ends the session like Ctrl-C does: the terminal restored, the summary shown."""
    raise SystemExit(128 + signum)


@contextmanager
def _single_keys(fd: int) -> Iterator[None]:
    """No echo and no line buffering, restored on every way out (Ctrl-C, SIGTERM, errors)."""
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)  # unlike raw mode, Ctrl-C still interrupts and output is unchanged
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _key(prompt: str) -> bytes:
    """One keypress; an arrow key or any other multi-byte sequence comes back as ESC."""
    import os
    import select

    sys.stderr.write(prompt)
    sys.stderr.flush()
    fd = sys.stdin.fileno()
    with _single_keys(fd):
        data = os.read(fd, 1)
        if data == ESC or (data and data[0] >= 0x80):
            while select.select([fd], [], [], 0.05)[0]:
                os.read(fd, 64)
            data = ESC
    if not data:  # the terminal went away
        raise _QuitError
    if data == CTRL_C:
        raise KeyboardInterrupt
    return data


def _yes(prompt: str) -> bool:
    pressed = _key(prompt)
    answer = pressed.lower() == b"y"
    sys.stderr.write("yes\n" if answer else "no\n")
    return answer


def _line(prompt: str) -> str:
    """A line typed at a normal (echoing, editable) prompt; Ctrl-D ends the session."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    text = sys.stdin.readline()
    if not text:
        sys.stderr.write("\n")
        raise _QuitError
    return text.rstrip("\n")


def _ask_date(
    what: str,
    proposed: date | None,
    today: date,
    check: Callable[[date, date], date],
    *,
    clear: bool = True,
) -> date | None:
    """Ask for a date with ``proposed`` as the default; ask again until it reads."""
    from relcli.domain import calling
    from relcli.errors import RelcliError
    from relcli.render import views

    shown = views.relative(proposed.isoformat(), today) if proposed else "none"
    keys = "Enter keeps, - for none" if clear else "Enter keeps"
    while True:
        text = _line(f"{what} [{shown}] ({keys}): ")
        try:
            if not clear and text.strip().lower() in ("-", "none", "no"):
                raise RelcliError(f"{what} needs a date", hint="e.g. tomorrow, fri or +3d")
            day = calling.read_date(text, today, proposed)
            return None if day is None else check(day, today)
        except RelcliError as err:
            messages.error(str(err), hint=err.hint)


def _dial(command: Sequence[str], channel: str, reach: str) -> None:
    """Hand the number to the system's handler: an argument list, never a shell."""
    import subprocess

    from relcli.domain import calling
    from relcli.errors import InvalidInputError

    try:
        uri = calling.dial_uri(channel, reach)
    except InvalidInputError as err:
        messages.warn(f"not dialling: {err}")
        return
    try:
        subprocess.Popen(
            [*command, uri],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in the session is not the opener's business
        )
    except OSError as err:
        messages.warn(f"cannot start {command[0]!r} to dial: {err.strerror}; dial {reach} yourself")
        return
    messages.note(f"dialling {uri} with {command[0]}")
