"""A realistic sample book, dated relative to today, for ``relcli demo``."""

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from relcli.services import companies, contacts, follow_ups, interactions, signals
from relcli.services.context import Context
from relcli.store import records

# name, company, title, stage, tier, cadence, prefer, email, phone, tags
PEOPLE: list[dict[str, Any]] = [
    {
        "name": "Bob Okafor",
        "company": "Northwind Labs",
        "title": "VP Engineering",
        "stage": "prospect",
        "cadence": 30,
        "prefer": "call",
        "tags": ["saas"],
    },
    {
        "name": "Alice Ng",
        "company": "Bluebird Health",
        "title": "COO",
        "stage": "customer",
        "tier": "A",
        "cadence": 30,
        "prefer": "call",
        "tags": ["vip"],
    },
    {
        "name": "Dana Whitfield",
        "company": "Harbor Freight Co",
        "title": "Head of Ops",
        "stage": "customer",
        "tier": "B",
        "cadence": 21,
        "prefer": "email",
        "tags": ["renewal"],
    },
    {
        "name": "José Núñez",
        "company": "Solar Andes",
        "title": "CFO",
        "stage": "prospect",
        "cadence": 14,
        "prefer": "email",
        "tags": ["latam"],
    },
    {
        "name": "Priya Raman",
        "company": "Kestrel AI",
        "title": "CTO",
        "stage": "lead",
        "prefer": "email",
        "tags": ["ai"],
    },
    {
        "name": "Marcus Webb",
        "company": "Northwind Labs",
        "title": "Director of IT",
        "stage": "prospect",
        "cadence": 45,
        "prefer": "call",
    },
    {
        "name": "Sam Patel",
        "company": "Orbit Retail",
        "title": "Buyer",
        "stage": "prospect",
        "cadence": 7,
        "prefer": "call",
    },
    {
        "name": "Lena Fischer",
        "company": "Bergwerk GmbH",
        "title": "Procurement",
        "stage": "customer",
        "cadence": 60,
        "prefer": "email",
        "tags": ["dach"],
    },
    {
        "name": "Tom Hale",
        "company": "Quarry Bank",
        "title": "Analyst",
        "stage": "lead",
        "prefer": "email",
    },
    {
        "name": "Grace Liu",
        "company": "Bluebird Health",
        "title": "IT Manager",
        "stage": "customer",
        "cadence": 45,
        "prefer": "text",
    },
    {
        "name": "Omar Haddad",
        "company": "Dune Logistics",
        "title": "CEO",
        "stage": "partner",
        "tier": "A",
        "cadence": 30,
        "prefer": "meeting",
        "tags": ["referrer"],
    },
    {
        "name": "Emma Rossi",
        "company": "Vela Design",
        "title": "Founder",
        "stage": "former",
        "prefer": "email",
    },
    {
        "name": "Kenji Sato",
        "company": "Kestrel AI",
        "title": "Head of Data",
        "stage": "prospect",
        "cadence": 21,
        "prefer": "call",
    },
    {
        "name": "Rachel Adams",
        "company": "Orbit Retail",
        "title": "VP Sales",
        "stage": "customer",
        "cadence": 30,
        "prefer": "call",
        "tags": ["vip"],
    },
]


def _slug(name: str) -> str:
    from relcli.domain import names

    return names.fold(name).replace(" ", ".")


def build(session: Session, ctx: Context) -> int:
    """Fill an empty database with the sample book; returns how many contacts."""
    today = ctx.today

    def ago(days: int) -> Any:
        return today - timedelta(days=days)

    companies.add(session, "Northwind Labs", ctx, domain="northwind.example")
    for n, person in enumerate(PEOPLE):
        f = contacts.Fields(
            name=person["name"],
            company=person["company"],
            title=person["title"],
            stage=person["stage"],
            tier=person.get("tier"),
            cadence_days=person.get("cadence"),
            prefer=person["prefer"],
            tags=list(person.get("tags", [])),
            emails=[f"{_slug(person['name'])}@example.com"],
            phones=[f"+1 555 01{n:02d} {1000 + 37 * n}"],
        )
        contacts.add(session, f, ctx)
    log = interactions.log
    log(session, "Bob Okafor", ctx, channel="meeting", summary="discovery workshop", on=ago(120))
    log(
        session,
        "Bob Okafor",
        ctx,
        channel="email",
        inbound=True,
        summary="asked about SSO",
        on=ago(95),
    )
    log(
        session,
        "Bob Okafor",
        ctx,
        channel="call",
        outcome="connected",
        summary="walked through pricing",
        on=ago(50),
    )
    signals.add(session, ctx, "funding", contact="Bob Okafor", note="Series B", observed_on=ago(3))
    for days in (200, 140, 80, 35):
        log(
            session,
            "Alice Ng",
            ctx,
            channel="meeting",
            summary="quarterly business review",
            on=ago(days),
        )
    log(
        session,
        "Alice Ng",
        ctx,
        channel="call",
        outcome="connected",
        summary="check-in, all good",
        on=ago(1),
    )
    log(session, "Dana Whitfield", ctx, channel="meeting", summary="onboarding review", on=ago(70))
    log(
        session,
        "Dana Whitfield",
        ctx,
        channel="call",
        outcome="connected",
        summary="worried about the renewal price",
        on=ago(6),
    )
    signals.add(
        session,
        ctx,
        "churn-risk",
        contact="Dana Whitfield",
        note="renewal price",
        observed_on=ago(6),
    )
    contacts.edit(
        session,
        "Dana Whitfield",
        contacts.Fields(renewal_on=today + timedelta(days=40)),
        contacts.Policy(),
        ctx,
    )
    follow_ups.add(session, "Dana Whitfield", today, ctx, reason="send the renewal options deck")
    log(
        session,
        "José Núñez",
        ctx,
        channel="call",
        outcome="connected",
        summary="intro call",
        on=ago(30),
    )
    log(
        session,
        "José Núñez",
        ctx,
        channel="email",
        inbound=True,
        summary="can you send a quote?",
        on=ago(2),
    )
    signals.add(
        session,
        ctx,
        "pricing-request",
        contact="José Núñez",
        note="quote for 40 seats",
        observed_on=ago(2),
    )
    log(session, "Priya Raman", ctx, channel="email", summary="cold intro", on=ago(20))
    signals.add(
        session,
        ctx,
        "job-change",
        contact="Priya Raman",
        note="joined Kestrel AI as CTO",
        observed_on=ago(12),
    )
    log(
        session,
        "Marcus Webb",
        ctx,
        channel="call",
        outcome="connected",
        summary="met at the meetup",
        on=ago(90),
    )
    signals.add(
        session, ctx, "exec-hire", company="Northwind Labs", note="new CIO", observed_on=ago(10)
    )
    companies.edit(session, "Northwind Labs", ctx, primary="Bob Okafor")
    for days in (1, 3, 5):
        log(session, "Sam Patel", ctx, channel="call", outcome="no-answer", on=ago(days))
    soon = today + timedelta(days=3)
    day = min(soon.day, 28) if soon.month == 2 else soon.day  # 1985 had no 29 February
    contacts.edit(session, "Alice Ng", contacts.Fields(birthday=f"1985-{soon.month:02d}-{day:02d}"),
                  contacts.Policy(), ctx)  # fmt: skip
    contacts.edit(session, "Lena Fischer", contacts.Fields(renewal_on=today + timedelta(days=20)),
                  contacts.Policy(), ctx)  # fmt: skip
    log(session, "Lena Fischer", ctx, channel="meeting", summary="annual review", on=ago(75))
    log(session, "Lena Fischer", ctx, channel="email", summary="sent the new contract", on=ago(40))
    log(
        session,
        "Tom Hale",
        ctx,
        channel="email",
        inbound=True,
        summary="newsletter reply",
        on=ago(200),
    )
    log(session, "Tom Hale", ctx, channel="email", summary="thanks!", on=ago(199))
    log(session, "Grace Liu", ctx, channel="text", summary="sent the admin guide", on=ago(50))
    log(session, "Omar Haddad", ctx, channel="meeting", summary="partner planning", on=ago(25))
    log(
        session,
        "Omar Haddad",
        ctx,
        channel="meeting",
        summary="joint pitch to Dune's client",
        on=today + timedelta(days=5),
    )
    follow_ups.add(
        session,
        "Omar Haddad",
        today + timedelta(days=14),
        ctx,
        reason="monthly partner sync",
        every_days=30,
    )
    log(
        session,
        "Emma Rossi",
        ctx,
        channel="call",
        outcome="not-interested",
        summary="moved on",
        on=ago(100),
    )
    contacts.edit(
        session,
        "Emma Rossi",
        contacts.Fields(),
        contacts.Policy(do_not_contact="asked to be removed"),
        ctx,
    )
    follow_ups.add(session, "Emma Rossi", ago(0), ctx, reason="check if they came back")
    log(
        session,
        "Kenji Sato",
        ctx,
        channel="call",
        outcome="connected",
        summary="data platform pain",
        on=ago(40),
    )
    signals.add(
        session,
        ctx,
        "web-visit",
        contact="Kenji Sato",
        note="read the pricing page",
        observed_on=ago(1),
    )
    contacts.edit(
        session,
        "Kenji Sato",
        contacts.Fields(),
        contacts.Policy(snooze_until=today + timedelta(days=10)),
        ctx,
    )
    log(session, "Rachel Adams", ctx, channel="meeting", summary="QBR", on=ago(33))
    contacts.edit(
        session, "Rachel Adams", contacts.Fields(), contacts.Policy(opt_out=["call"]), ctx
    )
    records.refresh_stats(session, [], today, ctx.settings.rank)
    return len(PEOPLE)
