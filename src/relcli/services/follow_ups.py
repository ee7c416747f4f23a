"""Follow-ups: promises to contact someone on or after a date; they can recur."""

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from relcli.errors import InvalidInputError, NotFoundError
from relcli.models import Contact, FollowUp
from relcli.services.context import Context
from relcli.store import records


def add(
    session: Session,
    text: str,
    due_on: date | None,
    ctx: Context,
    *,
    reason: str | None = None,
    every_days: int | None = None,
) -> tuple[FollowUp, str]:
    ref = records.find_contact(session, text)
    if due_on is not None and due_on < ctx.today:
        raise InvalidInputError(
            f"{due_on} is in the past; nothing was changed", hint="use today or a later date"
        )
    if every_days is not None and due_on is None:
        due_on = ctx.today + timedelta(days=every_days)
    follow_up = FollowUp(
        contact_id=ref.id,
        due_on=due_on,
        reason=(reason or "").strip() or None,
        every_days=every_days,
        created_at=ctx.now,
    )
    session.add(follow_up)
    records.refresh_stats(session, [ref.id], ctx.today, ctx.settings.rank)
    return follow_up, ref.name


def _get(session: Session, follow_up_id: int) -> FollowUp:
    found = session.get(FollowUp, follow_up_id)
    if found is None:
        raise NotFoundError(f"no follow-up #{follow_up_id}", hint="see 'relcli follow-up list'")
    return found


def done(session: Session, follow_up_id: int, ctx: Context) -> tuple[FollowUp, FollowUp | None]:
    """Close a follow-up; a recurring one schedules its next from the completion date."""
    found = _get(session, follow_up_id)
    if found.done_at is not None:
        raise InvalidInputError(
            f"follow-up #{follow_up_id} is already done", hint="see 'relcli follow-up list'"
        )
    found.done_at = ctx.now
    session.add(found)
    following = None
    if found.every_days:
        following = FollowUp(
            contact_id=found.contact_id,
            due_on=ctx.today + timedelta(days=found.every_days),
            reason=found.reason,
            every_days=found.every_days,
            created_at=ctx.now,
        )
        session.add(following)
    records.refresh_stats(session, [found.contact_id], ctx.today, ctx.settings.rank)
    return found, following


def snooze(session: Session, follow_up_id: int, until: date, ctx: Context) -> FollowUp:
    found = _get(session, follow_up_id)
    if found.done_at is not None:
        raise InvalidInputError(
            f"follow-up #{follow_up_id} is already done; nothing was changed",
            hint="see 'relcli follow-up list'",
        )
    if until <= ctx.today:
        raise InvalidInputError(
            f"cannot snooze to {until}: pick a later date; nothing was changed",
            hint="e.g. relcli follow-up snooze ID +3d",
        )
    found.due_on = until
    session.add(found)
    records.refresh_stats(session, [found.contact_id], ctx.today, ctx.settings.rank)
    return found


def remove(session: Session, follow_up_id: int, ctx: Context) -> FollowUp:
    found = _get(session, follow_up_id)
    session.delete(found)
    records.refresh_stats(session, [found.contact_id], ctx.today, ctx.settings.rank)
    return found


def listing(
    session: Session, ctx: Context, *, due_only: bool = False, include_done: bool = False
) -> list[dict[str, Any]]:
    query = select(FollowUp, Contact.name).join(
        Contact, col(Contact.id) == col(FollowUp.contact_id)
    )
    if not include_done:
        query = query.where(col(FollowUp.done_at).is_(None))
    if due_only:
        query = query.where(col(FollowUp.due_on) <= ctx.today)
    query = query.order_by(col(FollowUp.due_on).is_(None), col(FollowUp.due_on), col(FollowUp.id))
    return [
        {
            "id": f.id,
            "contact_id": f.contact_id,
            "contact": name,
            "due_on": f.due_on.isoformat() if f.due_on else None,
            "reason": f.reason,
            "every_days": f.every_days,
            "done_at": f.done_at.isoformat() if f.done_at else None,
            "overdue_days": (ctx.today - f.due_on).days if f.due_on and f.due_on < ctx.today else 0,
        }
        for f, name in session.exec(query).all()
    ]
