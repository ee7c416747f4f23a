"""Signals: buying triggers observed about a contact or a company."""

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from relcli.errors import InvalidInputError, UsageError
from relcli.models import Company, Contact, Signal
from relcli.services.context import Context
from relcli.store import records


def add(
    session: Session,
    ctx: Context,
    kind: str,
    *,
    contact: str | None = None,
    company: str | None = None,
    note: str | None = None,
    observed_on: date | None = None,
    source: str | None = None,
    source_interaction_id: int | None = None,
) -> tuple[Signal, str]:
    kind = ctx.settings.rank.check_kind(kind)
    observed = observed_on or ctx.today
    if observed > ctx.today:
        raise InvalidInputError(
            f"a signal observed on {observed} would be in the future; nothing was changed",
            hint="use the date the event happened",
        )
    if (contact is None) == (company is None):
        raise UsageError(
            "name either a contact or --company",
            hint="relcli signal add ann funding, or --company Acme",
        )
    signal = Signal(
        kind=kind,
        observed_on=observed,
        note=(note or "").strip() or None,
        source=source,
        source_interaction_id=source_interaction_id,
        created_at=ctx.now,
    )
    if contact is not None:
        ref = records.find_contact(session, contact)
        signal.contact_id, about = ref.id, ref.name
    else:
        assert company is not None
        found = records.find_company(session, company)
        signal.company_id, about = found.id, found.name
    session.add(signal)
    session.flush()
    return signal, about


def remove(session: Session, signal_id: int) -> Signal:
    found = records.signal_by_id(session, signal_id)
    session.delete(found)
    session.flush()
    return found


def listing(
    session: Session, ctx: Context, *, include_expired: bool = False
) -> list[dict[str, Any]]:
    kinds = ctx.settings.rank.kinds
    rows = session.exec(
        select(Signal, Contact.name, Company.name)
        .join(Contact, col(Contact.id) == col(Signal.contact_id), isouter=True)
        .join(Company, col(Company.id) == col(Signal.company_id), isouter=True)
        .order_by(col(Signal.observed_on).desc(), col(Signal.id).desc())
    ).all()
    out = []
    for signal, contact, company in rows:
        kind = kinds.get(signal.kind)
        age = (ctx.today - signal.observed_on).days
        active = kind is not None and age <= kind.max_age
        if not active and not include_expired:
            continue
        out.append(
            {
                "id": signal.id,
                "kind": signal.kind,
                "observed_on": signal.observed_on.isoformat(),
                "age_days": age,
                "contact_id": signal.contact_id,
                "contact": contact,
                "company_id": signal.company_id,
                "company": company,
                "note": signal.note,
                "source": signal.source,
                "is_active": active,
            }
        )
    return out
