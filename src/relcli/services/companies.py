"""Companies: add, edit, list and show."""

from typing import Any

from sqlmodel import Session, col, func, select

from relcli.domain import names
from relcli.errors import InvalidInputError, UsageError
from relcli.models import Company, Contact
from relcli.services.context import Context
from relcli.store import records


def add(
    session: Session,
    name: str,
    ctx: Context,
    *,
    domain: str | None = None,
    notes: str | None = None,
) -> Company:
    if not name.strip():
        raise UsageError("a company needs a name", hint="relcli company add 'Acme Corp'")
    if records.company_by_name(session, name):
        raise InvalidInputError(
            f"the company {name!r} already exists; nothing was changed",
            hint=f"see 'relcli company show {name!r}'",
        )
    company = Company(
        name=name.strip(), name_key=names.fold(name), domain=domain, notes=notes, created_at=ctx.now
    )
    session.add(company)
    session.flush()
    return company


def edit(
    session: Session,
    text: str,
    ctx: Context,
    *,
    name: str | None = None,
    domain: str | None = None,
    notes: str | None = None,
    primary: str | None = None,
) -> Company:
    company = records.find_company(session, text)
    if name is not None:
        if not name.strip():
            raise UsageError(
                "a company needs a name; nothing was changed",
                hint="relcli company edit ACME --name 'Acme Corp'",
            )
        other = records.company_by_name(session, name)
        if other is not None and other.id != company.id:
            raise InvalidInputError(
                f"the company {name!r} already exists; nothing was changed",
                hint=f"see 'relcli company show {name!r}'",
            )
        company.name, company.name_key = name.strip(), names.fold(name)
    if domain is not None:
        company.domain = domain
    if notes is not None:
        company.notes = notes
    if primary is not None:
        ref = records.find_contact(session, primary)
        contact = session.get(Contact, ref.id)
        if contact is None or contact.company_id != company.id:
            raise InvalidInputError(
                f"{ref.name} does not work at {company.name}; nothing was changed",
                hint=f"relcli contact edit '#{ref.id}' --company {company.name!r}",
            )
        company.primary_contact_id = ref.id
        contacts = session.exec(select(Contact.id).where(Contact.company_id == company.id)).all()
        records.refresh_stats(
            session, [c for c in contacts if c is not None], ctx.today, ctx.settings.rank
        )
    session.add(company)
    session.flush()
    return company


def listing(session: Session) -> list[dict[str, Any]]:
    by_company = select(col(Contact.company_id), func.count()).group_by(col(Contact.company_id))
    counts = dict(session.exec(by_company).all())
    return [
        {"id": c.id, "name": c.name, "domain": c.domain, "contacts": counts.get(c.id, 0)}
        for c in session.exec(select(Company).order_by(Company.name_key)).all()
    ]


def card(session: Session, text: str) -> dict[str, Any]:
    company = records.find_company(session, text)
    people = session.exec(
        select(Contact).where(Contact.company_id == company.id).order_by(Contact.name_key)
    ).all()
    from relcli.models import Signal

    signals = session.exec(
        select(Signal)
        .where(Signal.company_id == company.id)
        .order_by(col(Signal.observed_on).desc(), col(Signal.id).desc())
    ).all()
    return {
        "id": company.id,
        "name": company.name,
        "domain": company.domain,
        "notes": company.notes,
        "primary_contact_id": company.primary_contact_id,
        "contacts": [
            {"id": p.id, "name": p.name, "title": p.title, "stage": p.stage} for p in people
        ],
        "signals": [
            {"id": s.id, "kind": s.kind, "observed_on": s.observed_on.isoformat(), "note": s.note}
            for s in signals
        ],
    }
