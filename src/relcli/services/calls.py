"""A calling session (``relcli call``): who is next, their brief, and each outcome's writes.

Every write function here is one small step of the session, committed on its own by the
caller, so a session that is quit, interrupted or killed keeps everything entered before.
"""

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from relcli.domain import calling
from relcli.domain.ranking import Term
from relcli.errors import InvalidInputError, NotFoundError
from relcli.models import FollowUp, Interaction
from relcli.services import contacts, follow_ups, interactions, ranking
from relcli.services.context import Context
from relcli.store import reader, records

WHY_NOW = 3  # reasons shown in a brief
RECENT = 3  # interactions shown in a brief


def next_up(
    conn: sqlite3.Connection,
    ctx: Context,
    *,
    channel: str,
    tags: list[str],
    handled: set[int],
) -> tuple[ranking.Row | None, ranking.Listing]:
    """The best-ranked contact today on ``channel`` that this session has not offered yet.

    Ranked afresh each time, so what the session wrote (a call, a snooze, a do-not-contact)
    already counts.
    """
    listing = ranking.today(conn, ctx, limit=len(handled) + 1, channel=channel, tags=tags)
    row = next((r for r in listing.rows if r.score.contact_id not in handled), None)
    return row, listing


@dataclass(frozen=True)
class Brief:
    """Everything the one-screen brief shows about the contact being called."""

    row: ranking.Row
    card: dict[str, Any]
    why_now: list[Term]
    signals: list[dict[str, Any]]  # those still within their kind's maximum age

    @property
    def contact_id(self) -> int:
        return self.row.score.contact_id


def brief(conn: sqlite3.Connection, ctx: Context, row: ranking.Row) -> Brief:
    card = reader.contact_card(conn, row.score.contact_id, recent=RECENT)
    reasons = sorted((t for t in row.score.reasons if t.points > 0), key=lambda t: -t.points)
    config = ctx.settings.rank
    live = []
    for s in card["signals"]:
        kind = config.kinds.get(s["kind"]) or config.custom_kind
        age = (ctx.today - date.fromisoformat(s["observed_on"])).days
        if 0 <= age <= kind.max_age:
            live.append(s)
    return Brief(row, card, reasons[:WHY_NOW], live)


def record(
    session: Session, contact_id: int, ctx: Context, *, channel: str, outcome: str | None
) -> Interaction:
    """The outcome as an outbound interaction on ``channel``, as ``relcli log`` records it."""
    logged = interactions.log(session, f"#{contact_id}", ctx, channel=channel, outcome=outcome)
    return logged.interaction


def annotate(session: Session, interaction_id: int, note: str) -> Interaction:
    """Put the one-line note on the interaction just recorded."""
    found = _interaction(session, interaction_id)
    found.summary = " ".join(note.split()) or None
    session.add(found)
    return found


def plan(
    session: Session,
    contact_id: int,
    ctx: Context,
    *,
    next_on: date | None,
    outcome: str | None,
    note: str = "",
) -> tuple[list[FollowUp], FollowUp | None]:
    """Close the follow-ups the call answered and set the next one (if ``next_on``).

    Answered are the open ones due by today and the undated ones. The new follow-up's reason
    follows ``calling.follow_up_reason``, so an unanswered promise is carried, not dropped.
    """
    answered = [
        f
        for f in records.open_follow_ups(session, contact_id)
        if f.due_on is None or f.due_on <= ctx.today
    ]
    answered.sort(key=lambda f: (f.due_on is None, f.due_on or ctx.today, f.id or 0))
    carried = next((f.reason for f in answered if f.reason), None)
    for f in answered:
        assert f.id is not None
        follow_ups.done(session, f.id, ctx)
    added = None
    if next_on is not None:
        calling.check_next(next_on, ctx.today)
        reason = calling.follow_up_reason(outcome, note, carried)
        added, _ = follow_ups.add(session, f"#{contact_id}", next_on, ctx, reason=reason)
    session.flush()
    return answered, added


def stop(session: Session, contact_id: int, ctx: Context, *, reason: str) -> None:
    """Set do-not-contact: they said they are not interested and asked not to be called."""
    contacts.edit(session, f"#{contact_id}", contacts.Fields(),
                  contacts.Policy(do_not_contact=reason), ctx)  # fmt: skip


def snooze(session: Session, contact_id: int, until: date, ctx: Context) -> None:
    """Keep the contact off every list until ``until`` (the contact's snooze)."""
    contacts.edit(session, f"#{contact_id}", contacts.Fields(),
                  contacts.Policy(snooze_until=until), ctx)  # fmt: skip


def pin(session: Session, interaction_id: int, *, on: bool = True) -> tuple[Interaction, str]:
    """Mark an interaction's note as a talking point (or unmark it); returns it and the name."""
    found = _interaction(session, interaction_id)
    if on and not (found.summary or "").strip():
        raise InvalidInputError(
            f"interaction #{interaction_id} has no note to pin; nothing was changed",
            hint="log one with text: relcli log CONTACT 'their kids are Emma and Leo' -c note",
        )
    found.talking_point = on
    session.add(found)
    ref = records.find_contact(session, f"#{found.contact_id}")
    return found, ref.name


def _interaction(session: Session, interaction_id: int) -> Interaction:
    found = session.get(Interaction, interaction_id)
    if found is None:
        raise NotFoundError(
            f"no interaction #{interaction_id}", hint="see 'relcli contact show CONTACT'"
        )
    return found
