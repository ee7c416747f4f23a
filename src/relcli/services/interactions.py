"""Interactions: what happened between the seller and a contact (``relcli log``)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlmodel import Session

from relcli.domain import vocabulary
from relcli.errors import InvalidInputError
from relcli.models import Contact, FollowUp, Interaction, Signal
from relcli.services import signals as buying_signals
from relcli.services.context import Context
from relcli.store import records


@dataclass(frozen=True)
class Logged:
    interaction: Interaction
    contact_name: str
    follow_up: FollowUp | None
    signals: tuple[Signal, ...] = ()
    tags: tuple[str, ...] = ()


def moment(when: date | datetime | None, ctx: Context) -> datetime:
    """An aware UTC time: now, local noon of a bare date, or a local date and time."""
    if when is None:
        return ctx.now
    if isinstance(when, datetime):
        local = when if when.tzinfo else when.astimezone()
        return local.astimezone(UTC)
    if when == ctx.today:
        return ctx.now
    return datetime.combine(when, time(12, 0)).astimezone().astimezone(UTC)


def log(
    session: Session,
    text: str,
    ctx: Context,
    *,
    summary: str | None = None,
    channel: str = "call",
    inbound: bool = False,
    outcome: str | None = None,
    on: date | datetime | None = None,
    next_on: date | None = None,
    next_reason: str | None = None,
    signal_kinds: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> Logged:
    """Record one interaction and, in the same transaction, what it told us.

    Each of ``signal_kinds`` becomes a signal observed that day, noted with the summary and
    sourced from this interaction; ``tags`` are added to the contact (a tag already there is
    fine). Every value is checked before anything is written.
    """
    channel = vocabulary.check_interaction_channel(channel)
    if outcome is not None:
        outcome = vocabulary.check_outcome(outcome)
    kinds = list(dict.fromkeys(ctx.settings.rank.check_kind(k) for k in signal_kinds))
    tags = list(dict.fromkeys(vocabulary.check_tag(t) for t in tags))
    ref = records.find_contact(session, text)
    at = moment(on, ctx)
    day = at.astimezone().date()
    if day > ctx.today and channel != "meeting":
        raise InvalidInputError(
            f"a {channel} on {day} would be in the future; nothing was changed",
            hint="only meetings can be booked ahead; for a plan use --next or 'relcli follow-up add'",
        )
    if next_on is not None and next_on < ctx.today:
        raise InvalidInputError(
            f"the next follow-up date {next_on} is in the past; nothing was changed",
            hint="use today or a later date, e.g. --next fri",
        )
    direction = "both" if channel == "meeting" else "in" if inbound else "out"
    if channel == "note":
        direction = "out"
    interaction = Interaction(
        contact_id=ref.id,
        channel=channel,
        direction=direction,
        outcome=outcome,
        summary=(summary or "").strip() or None,
        at=at,
        created_at=ctx.now,
    )
    session.add(interaction)
    follow_up = None
    if next_on is not None:
        follow_up = FollowUp(
            contact_id=ref.id,
            due_on=next_on,
            reason=next_reason or interaction.summary,
            created_at=ctx.now,
        )
        session.add(follow_up)
    session.flush()
    found = []
    for kind in kinds:
        signal, _ = buying_signals.add(
            session,
            ctx,
            kind,
            contact=f"#{ref.id}",
            note=interaction.summary,
            observed_on=day,
            source=f"interaction #{interaction.id}",
            source_interaction_id=interaction.id,
        )
        found.append(signal)
    if tags:
        records.add_tags(session, ref.id, tags)
        contact = session.get(Contact, ref.id)
        assert contact is not None
        contact.updated_at = ctx.now
        session.add(contact)
    records.refresh_stats(session, [ref.id], ctx.today, ctx.settings.rank)
    return Logged(interaction, ref.name, follow_up, tuple(found), tuple(tags))


def remove(session: Session, interaction_id: int, ctx: Context) -> Interaction:
    found = session.get(Interaction, interaction_id)
    if found is None:
        from relcli.errors import NotFoundError

        raise NotFoundError(
            f"no interaction #{interaction_id}", hint="see 'relcli contact show CONTACT'"
        )
    session.delete(found)
    records.refresh_stats(session, [found.contact_id], ctx.today, ctx.settings.rank)
    return found
