"""Write a deterministic synthetic contact book for the benchmarks: a seller's two years of history.

    python tests/benchmarks/generate.py --size small --out /tmp/book.db
    python tests/benchmarks/generate.py --contacts 10000 --interactions 200000 \\
        --follow-ups 20000 --signals 5000 --out /tmp/book.db

The same arguments always give the same rows (fixed seed, no set iteration, no clock). The
aggregates in contact_stats are filled by the project's own fold (``stats.rebuild``).
Needs relcli importable: run it with the project's virtualenv after ``pip install -e .``.
"""

import argparse
import os
import random
import sys
import time
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from relcli.domain import names
from relcli.domain.ranking import RankConfig
from relcli.store import database, stats

SEED = 20261201
DEFAULT_TODAY = "2026-12-01"
HISTORY_DAYS = 730  # interactions span the last two years
SIGNAL_DAYS = 120  # signals were observed within the last 120 days
OPEN_FOLLOW_UPS = 0.1  # the share still open; the rest were done over the two years


@dataclass(frozen=True)
class Size:
    contacts: int
    interactions: int
    follow_ups: int
    signals: int


SIZES = {
    "small": Size(10_000, 200_000, 20_000, 5_000),
    "large": Size(100_000, 2_000_000, 200_000, 50_000),
}

FIRST_NAMES = (
    "Ann", "Bob", "Chloé", "David", "Elif", "François", "Gunnar", "Hana", "Iñaki", "José",
    "Karin", "Łukasz", "María", "Nils", "Olga", "Priya", "Quentin", "Renée", "Søren", "Tomás",
    "Ursula", "Véronique", "Wei", "Xavier", "Yusuf", "Zoë", "Aisha", "Björn", "Carlos", "Dana",
    "Emma", "Fatima", "Greta", "Hiro", "Ingrid", "Jürgen", "Kofi", "Lena", "Mónica", "Noor",
    "Oskar", "Paula", "Raj", "Sofia", "Tariq", "Ulla", "Vikram", "Wanda", "Yara", "Zeynep",
    "Adam", "Beatriz", "Chen", "Dmitri", "Eva", "Felix", "Gabriel", "Helena", "Ivan", "Julia",
    "Kenji", "Laura", "Mateo", "Nadia", "Omar", "Pia", "Rosa", "Sam", "Thea", "Uma", "Viktor",
    "William", "Yuki", "Amélie", "Bruno", "Clara", "Diego", "Émile", "Frida", "Hugo", "Irene",
    "Jakub", "Kai", "Lucía", "Marco", "Nina", "Otto", "Petra", "René", "Sara", "Theo", "Ève",
    "João", "Ana", "Mia", "Leo", "Ines", "Hélène", "Dário", "Agnès", "Øystein", "Małgorzata",
)  # fmt: skip
LAST_NAMES = (
    "Lee", "Okafor", "Núñez", "Müller", "García", "O'Brien", "Nguyen", "Patel", "Smith",
    "Dvořák", "Øvergaard", "Çelik", "Şahin", "Johansson", "Kowalski", "Rossi", "Dubois",
    "Fernández", "Kim", "Tanaka", "Schmidt", "Novak", "Horváth", "Jensen", "Silva", "Costa",
    "Ivanova", "Petrov", "Yilmaz", "Haddad", "Mensah", "Abebe", "Cohen", "Levi", "Singh",
    "Sharma", "Chen", "Wang", "Li", "Zhang", "Sato", "Suzuki", "Martin", "Bernard", "Lefèvre",
    "Moreau", "Girard", "Fontaine", "Brown", "Wilson", "Taylor", "Anderson", "Thomas", "Moore",
    "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "King", "Wright", "Hill",
    "Green", "Baker", "Adams", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips",
    "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook",
    "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly", "Howard",
    "Ward", "Cox", "Díaz", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "Hughes",
    "Price", "Sanders", "Myers", "Long", "Ross", "Foster", "Jiménez", "Åkesson", "Björk",
    "Lindqvist", "Nieminen", "Virtanen", "Kovačić", "Popescu", "Papadopoulos", "Ötztürk",
    "Weiß", "Groß", "Schäfer", "Krüger", "van Dijk", "de Vries", "Janssen", "Bakker", "Visser",
    "Mäkinen", "Hämäläinen", "Sørensen", "Nørgaard", "Łaski", "Wójcik", "Zieliński", "Ramos",
    "Gonçalves", "Araújo", "Ribeiro", "Oliveira", "Pereira", "Mbeki", "Nkosi", "Adeyemi",
)  # fmt: skip
COMPANY_WORDS = (
    "Acme", "Northwind", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Cyberdyne",
    "Soylent", "Tyrell", "Hooli", "Vandelay", "Wonka", "Aperture", "Black Mesa", "Blue Sun",
    "Nakatomi", "Oscorp", "Pied Piper", "Dunder", "Massive", "Prestige", "Sterling", "Gringotts",
    "Monarch", "Atlas", "Orion", "Zenith", "Apex", "Summit", "Vertex", "Pinnacle", "Harbor",
    "Beacon", "Cascade", "Evergreen", "Redwood", "Granite", "Silverline", "Bluebird", "Falcon",
    "Lynx", "Otter", "Heron", "Juniper", "Maple", "Cedar", "Willow", "Aspen", "Birch", "Nordlys",
    "Fjord", "Sólvang", "Ærø", "Küste", "Brücke", "Étoile", "Lumière", "Montaña", "Río", "Sierra",
    "Quantum", "Nimbus", "Stratus", "Vector", "Helix", "Matrix", "Cobalt", "Indigo", "Saffron",
)  # fmt: skip
COMPANY_KINDS = (
    "Labs", "Systems", "Analytics", "Logistics", "Foods", "Health", "Capital", "Robotics",
    "Software", "Energy", "Media", "Partners", "Consulting", "Industries", "Networks", "Bio",
    "Design", "Freight", "Pharma", "Security", "Cloud", "Data", "Retail", "Studios", "Works",
)  # fmt: skip
COMPANY_SUFFIXES = ("", "", "", " Inc.", " Ltd", " GmbH", " AB", " SA", " LLC", " Corp", " BV")
TITLES = (
    "CEO", "CTO", "CFO", "VP Sales", "VP Engineering", "Head of Procurement", "Buyer",
    "Operations Manager", "Founder", "Head of Marketing", "Product Manager", "IT Director",
    "Office Manager", "Account Executive", "Partner", "Engineering Manager", "COO",
)  # fmt: skip
TAGS = (
    ("vip", 6), ("q3-pipeline", 8), ("q4-pipeline", 10), ("conference-2025", 7),
    ("conference-2026", 9), ("referral", 8), ("newsletter", 12), ("investor", 2), ("reseller", 4),
    ("champion", 5), ("decision-maker", 6), ("technical", 6), ("renewal-risk", 3), ("warm", 9),
    ("cold", 7), ("emea", 10), ("apac", 6), ("americas", 10), ("smb", 8), ("enterprise", 6),
    ("beta-tester", 3), ("alumni", 4), ("friend", 3), ("podcast", 2), ("webinar", 7),
    ("trial", 5), ("upsell", 4), ("board", 1), ("mentor", 1), ("press", 1),
)  # fmt: skip
PERSONAL_DOMAINS = (
    "gmail.com",
    "outlook.com",
    "proton.me",
    "fastmail.com",
    "yahoo.com",
    "icloud.com",
)
STAGES = (("lead", 35), ("prospect", 25), ("customer", 25), ("partner", 8), ("former", 7))
CADENCES = (7, 14, 14, 21, 30, 30, 30, 30, 45, 60, 60, 90, 90)
TOPICS = (
    "pricing", "the renewal", "onboarding", "a demo", "the proposal", "integration questions",
    "contract terms", "next quarter", "a referral", "the pilot", "support ticket", "roadmap",
    "budget", "a case study", "the conference", "security review", "invoice", "expansion",
)  # fmt: skip
FOLLOW_UP_REASONS = (
    "send the proposal", "check in after the demo", "ask about budget", "share the case study",
    "confirm the meeting", "send pricing", "follow up on the pilot", "renewal call",
    "introduce to support", "thank for the referral", None, None,
)  # fmt: skip
# (kind, weight) for signals on a contact and on a company
CONTACT_SIGNALS = (
    ("web-visit", 28), ("job-change", 12), ("pricing-request", 10), ("demo-request", 6),
    ("churn-risk", 8), ("promotion", 8), ("funding", 6), ("exec-hire", 4), ("intent-surge", 10),
)  # fmt: skip
COMPANY_SIGNALS = (("funding", 40), ("exec-hire", 30), ("intent-surge", 20), ("web-visit", 10))
SIGNAL_SOURCES = ("linkedin", "crunchbase", "website", "newsletter", "manual", None)


def stamp(moment: datetime) -> str:
    """The stored form: ISO-8601 UTC with the offset, to the second."""
    return moment.isoformat(timespec="seconds")


def ascii_slug(text: str, sep: str = ".") -> str:
    folded = names.fold(text).encode("ascii", "ignore").decode()
    words = ["".join(ch for ch in w if ch.isalnum()) for w in folded.split()]
    return sep.join(w for w in words if w)


def pick(rng: random.Random, weighted: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


class Book:
    """Rows for every table, built in memory in a fixed order from one seeded generator."""

    def __init__(self, size: Size, companies: int, today: date, seed: int) -> None:
        self.size = size
        self.n_companies = companies
        self.today = today
        self.now = datetime(today.year, today.month, today.day, 12, 0, tzinfo=UTC)
        self.rng = random.Random(seed)
        self.companies: list[tuple[Any, ...]] = []
        self.contacts: list[tuple[Any, ...]] = []
        self.emails: list[tuple[Any, ...]] = []
        self.phones: list[tuple[Any, ...]] = []
        self.tags: list[tuple[Any, ...]] = []
        self.opt_outs: list[tuple[Any, ...]] = []
        self.interactions: list[tuple[Any, ...]] = []
        self.follow_ups: list[tuple[Any, ...]] = []
        self.signals: list[tuple[Any, ...]] = []
        # per contact, by index id-1
        self.created_age: list[int] = []
        self.stage: list[str] = []
        self.activity: list[float] = []
        self.last_interaction: dict[int, tuple[int, date]] = {}

    def at(self, days_ago: float, hour: int | None = None) -> datetime:
        """A business-hours moment ``days_ago`` days before today (never after now)."""
        day = self.now - timedelta(days=int(days_ago))
        if hour is None:
            hour = self.rng.randint(7, 11) if days_ago < 1 else self.rng.randint(7, 19)
        moment = day.replace(
            hour=hour, minute=self.rng.randint(0, 59), second=self.rng.randint(0, 59)
        )
        return min(moment, self.now) if days_ago >= 0 else moment

    def build(self) -> None:
        self._companies()
        self._contacts()
        self._interactions()
        self._follow_ups()
        self._signals()

    def _companies(self) -> None:
        rng = self.rng
        seen: set[str] = set()
        self.company_names: list[str] = []
        self.company_domains: list[str] = []
        while len(self.company_names) < self.n_companies:
            base = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
            name = base + rng.choice(COMPANY_SUFFIXES)
            if names.fold(name) in seen:
                name = f"{base} {rng.choice(('Group', 'Nordic', 'International', 'Holding', 'Co'))}"
            n = 2
            while names.fold(name) in seen:
                name, n = f"{base} {n}", n + 1
            seen.add(names.fold(name))
            self.company_names.append(name)
            slug = ascii_slug(base, "").lower()
            self.company_domains.append(
                f"{slug}{len(self.company_names)}.{rng.choice(('com', 'io', 'eu'))}"
            )
        # A few big accounts, a long tail of small ones.
        weights = [1.0 / (rank + 10) ** 0.9 for rank in range(self.n_companies)]
        rng.shuffle(weights)
        self.company_cum = list(accumulate(weights))

    def _contacts(self) -> None:
        rng, today = self.rng, self.today
        n = self.size.contacts
        company_of = rng.choices(range(1, self.n_companies + 1), cum_weights=self.company_cum, k=n)
        members: dict[int, list[int]] = {}
        email_keys: set[str] = set()
        for cid in range(1, n + 1):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            if rng.random() < 0.08:
                last = f"{last}-{rng.choice(LAST_NAMES)}"
            name = f"{first} {last}"
            company_id = company_of[cid - 1] if rng.random() < 0.85 else None
            if company_id is not None:
                members.setdefault(company_id, []).append(cid)
            stage = pick(rng, STAGES)
            r = rng.random()
            tier = "A" if r < 0.04 else "B" if r < 0.11 else "C" if r < 0.20 else None
            cadence = rng.choice(CADENCES) if rng.random() < 0.5 else None
            age = min(1000, int(rng.expovariate(1 / 420)) + 1)  # days since the contact was added
            created = self.at(age)
            updated = self.at(rng.randint(0, age))
            dnc = rng.random() < 0.01
            snoozed = None
            if rng.random() < 0.03:
                snoozed = (today + timedelta(days=rng.randint(-20, 30))).isoformat()
            renewal = None
            if stage == "customer" and rng.random() < 0.4:
                renewal = (today + timedelta(days=rng.randint(-30, 330))).isoformat()
            deal = None
            if stage in ("prospect", "customer") and rng.random() < 0.3:
                deal = float(round(rng.lognormvariate(9.5, 1.0), -2))
            birthday = None
            if rng.random() < 0.15:
                month, day = rng.randint(1, 12), rng.randint(1, 28)
                year = f"{rng.randint(1955, 2000)}" if rng.random() < 0.5 else "-"
                birthday = f"{year}-{month:02d}-{day:02d}"
            slug = ascii_slug(name, "-").lower()
            self.contacts.append((
                cid, name, names.fold(name), company_id,
                rng.choice(TITLES) if rng.random() < 0.7 else None,
                stage, tier, cadence,
                rng.choice(("call", "email", "text", "meeting")) if rng.random() < 0.4 else None,
                rng.choice((3, 5, 7)) if rng.random() < 0.02 else None,
                int(dnc), "asked to stop" if dnc else None,
                (today - timedelta(days=rng.randint(1, 300))).isoformat() if dnc else None,
                snoozed, renewal, birthday, deal,
                f"https://www.linkedin.com/in/{slug}-{cid}" if rng.random() < 0.1 else None,
                f"met about {rng.choice(TOPICS)}" if rng.random() < 0.1 else None,
                rng.choice(("import", "referral", "conference", "website", "manual", None)),
                stamp(created), stamp(max(created, updated)),
            ))  # fmt: skip
            self.created_age.append(age)
            self.stage.append(stage)
            self._addresses(cid, name, company_id, email_keys)
            for tag in dict.fromkeys(
                pick(rng, TAGS) for _ in range(pick(rng, ((0, 35), (1, 35), (2, 20), (3, 10))))
            ):
                self.tags.append((cid, tag))
            if rng.random() < 0.03:
                self.opt_outs.append((cid, rng.choice(("email", "call", "text"))))
            # How busy this relationship is: never contacted for some, a heavy tail for a few,
            # and an older relationship has had longer to pile up history.
            rate = 0.0 if rng.random() < 0.08 else rng.lognormvariate(0, 1.1)
            self.activity.append(rate * (min(HISTORY_DAYS, age) + 30) / (HISTORY_DAYS + 30))
        for company_id in range(1, self.n_companies + 1):
            staff = members.get(company_id, [])
            primary = staff[0] if staff and rng.random() < 0.6 else None
            slug = self.company_domains[company_id - 1]
            self.companies.append((
                company_id, self.company_names[company_id - 1],
                names.fold(self.company_names[company_id - 1]), slug,
                "key account" if rng.random() < 0.05 else None, primary,
                stamp(self.at(rng.randint(30, 1100))),
            ))  # fmt: skip

    def _addresses(self, cid: int, name: str, company_id: int | None, keys: set[str]) -> None:
        rng = self.rng
        local = ascii_slug(name) or f"contact{cid}"
        domains = []
        if rng.random() < 0.95:
            domains.append(
                self.company_domains[company_id - 1] if company_id else rng.choice(PERSONAL_DOMAINS)
            )
            if rng.random() < 0.3:
                domains.append(rng.choice(PERSONAL_DOMAINS))
        for position, domain in enumerate(domains):
            user = local if rng.random() < 0.8 else local.split(".")[0] + str(rng.randint(1, 99))
            address = f"{user}@{domain}"
            if rng.random() >= 0.2:
                address = address.lower()
            n = 2
            while names.email_key(address) in keys:
                address, n = f"{user}{n}@{domain}", n + 1
            keys.add(names.email_key(address))
            self.emails.append((cid, address, names.email_key(address), position))
        count = 0 if rng.random() < 0.15 else 1 if rng.random() < 0.75 else 2
        for position in range(count):
            r = rng.random()
            if r < 0.5:
                number = f"+1 ({rng.randint(201, 989)}) 555-{rng.randint(0, 9999):04d}"
            elif r < 0.7:
                number = f"+44 20 7946 {rng.randint(0, 9999):04d}"
            elif r < 0.85:
                number = f"+49 30 {rng.randint(1000000, 9999999)}"
            else:
                number = f"0{rng.randint(6, 7)}{rng.randint(10000000, 99999999)}"
            self.phones.append((cid, number, names.phone_key(number), position))

    def _interactions(self) -> None:
        rng = self.rng
        n = self.size.interactions
        ids = range(1, self.size.contacts + 1)
        cum = list(accumulate(self.activity))
        draws = rng.choices(ids, cum_weights=cum, k=n)
        # Some relationships lapsed: their history ends some while ago.
        lapse = [
            0 if rng.random() < 0.6 else rng.randint(14, max(14, min(500, age)))
            for age in self.created_age
        ]
        rows: list[tuple[Any, ...]] = []
        for cid in draws:
            if len(rows) >= n:
                break
            if rng.random() < 0.003:  # a meeting booked within the next two weeks
                moment = self.at(-rng.randint(1, 14))
                booked = self.now - timedelta(days=rng.randint(0, 10), minutes=rng.randint(0, 600))
                rows.append((cid, "meeting", "both", None, f"meeting about {rng.choice(TOPICS)}",
                             stamp(moment), stamp(booked)))  # fmt: skip
                continue
            span = min(HISTORY_DAYS, self.created_age[cid - 1])
            start = min(lapse[cid - 1], span)
            age = start + (span - start) * rng.random() ** 1.4  # skewed to recent
            moment = self.at(age)
            channel = pick(rng, (("email", 40), ("call", 30), ("text", 15), ("meeting", 10)))
            summary = f"{channel} about {rng.choice(TOPICS)}" if rng.random() < 0.5 else None
            if channel == "meeting":
                direction, outcome = "both", None
            elif channel == "call":
                direction = "out" if rng.random() < 0.75 else "in"
                outcome = (
                    pick(rng, (("connected", 50), ("no-answer", 25), ("voicemail", 25)))
                    if direction == "out"
                    else "connected"
                )
            else:
                direction = "in" if rng.random() < 0.4 else "out"
                outcome = "replied" if direction == "in" and rng.random() < 0.5 else None
            logged = min(self.now, moment + timedelta(minutes=rng.randint(0, 180)))
            rows.append((cid, channel, direction, outcome, summary, stamp(moment), stamp(logged)))
            if direction == "in" and channel != "call" and age >= 1 and rng.random() < 0.85:
                # Most inbound messages got their answer within a couple of days.
                reply = min(self.now, moment + timedelta(hours=rng.randint(1, 60)))
                rows.append((cid, channel, "out", None, None, stamp(reply), stamp(reply)))
        rows.sort(key=lambda r: (r[5], r[0]))
        today_iso = self.today.isoformat()
        for iid, row in enumerate(rows[:n], start=1):
            self.interactions.append((iid, *row))
            if row[5][:10] <= today_iso:
                self.last_interaction[row[0]] = (iid, date.fromisoformat(row[5][:10]))

    def _follow_ups(self) -> None:
        rng, today = self.rng, self.today
        ids = range(1, self.size.contacts + 1)
        cum = list(accumulate(a + 0.3 for a in self.activity))
        for cid in rng.choices(ids, cum_weights=cum, k=self.size.follow_ups):
            reason = rng.choice(FOLLOW_UP_REASONS)
            every = rng.choice((7, 14, 30, 90)) if rng.random() < 0.05 else None
            if rng.random() < OPEN_FOLLOW_UPS:  # open, due around today
                due: date | None = today + timedelta(days=max(-30, min(45, round(rng.gauss(0, 9)))))
                if rng.random() < 0.05:
                    due = None
                overdue = max(0, (today - due).days) if due else 0
                created = self.at(overdue + rng.randint(0, 30))
                done = None
            else:
                due = today - timedelta(days=int(HISTORY_DAYS * rng.random() ** 1.5) + 1)
                created = self.at((today - due).days + rng.randint(1, 30))
                done_age = max(0, (today - due).days - rng.randint(-3, 5))
                done = stamp(max(created, self.at(done_age)))
            self.follow_ups.append(
                (cid, due.isoformat() if due else None, reason, every, stamp(created), done)
            )

    def _signals(self) -> None:
        rng, today = self.rng, self.today
        n = self.size.signals
        customers = [i + 1 for i, st in enumerate(self.stage) if st == "customer"]
        contact_cum = list(accumulate(a + 0.5 for a in self.activity))
        ids = range(1, self.size.contacts + 1)
        for _ in range(n):
            age = int((SIGNAL_DAYS + 1) * rng.random() ** 1.3)
            observed = today - timedelta(days=min(SIGNAL_DAYS, age))
            source = rng.choice(SIGNAL_SOURCES)
            contact_id: int | None
            company_id: int | None
            linked = None
            note: str | None
            if rng.random() < 0.1:
                kind = pick(rng, COMPANY_SIGNALS)
                contact_id = None
                spot = bisect_left(self.company_cum, rng.random() * self.company_cum[-1])
                company_id = min(spot, self.n_companies - 1) + 1
                note = f"{self.company_names[company_id - 1]}: {kind}"
            else:
                kind = pick(rng, CONTACT_SIGNALS)
                if kind == "churn-risk" and customers:
                    contact_id = rng.choice(customers)
                else:
                    contact_id = rng.choices(ids, cum_weights=contact_cum)[0]
                company_id = None
                note = f"about {rng.choice(TOPICS)}" if rng.random() < 0.5 else None
                last = self.last_interaction.get(contact_id)
                recent = last is not None and (today - last[1]).days <= SIGNAL_DAYS
                if (
                    kind in ("churn-risk", "pricing-request")
                    and last
                    and recent
                    and rng.random() < 0.2
                ):
                    linked, observed = last  # voiced during their latest interaction
                    source = "interaction"
            created = min(
                self.now, self.at((today - observed).days) + timedelta(hours=rng.randint(0, 48))
            )
            self.signals.append(
                (
                    contact_id,
                    company_id,
                    kind,
                    observed.isoformat(),
                    note,
                    source,
                    linked,
                    stamp(created),
                )
            )


INSERTS = (
    ("companies", "company", "id, name, name_key, domain, notes, primary_contact_id, created_at"),
    (
        "contacts",
        "contact",
        "id, name, name_key, company_id, title, stage, tier, cadence_days, preferred_channel, "
        "min_gap_days, do_not_contact, do_not_contact_reason, do_not_contact_since, snoozed_until, "
        "renewal_on, birthday, deal_value, url, notes, source, created_at, updated_at",
    ),
    ("emails", "contact_email", "contact_id, address, address_key, position"),
    ("phones", "contact_phone", "contact_id, number, number_key, position"),
    ("tags", "contact_tag", "contact_id, tag"),
    ("opt_outs", "contact_opt_out", "contact_id, channel"),
    (
        "interactions",
        "interaction",
        "id, contact_id, channel, direction, outcome, summary, at, created_at",
    ),
    ("follow_ups", "follow_up", "contact_id, due_on, reason, every_days, created_at, done_at"),
    (
        "signals",
        "signal",
        "contact_id, company_id, kind, observed_on, note, source, source_interaction_id, "
        "created_at",
    ),
)
TABLES = ("company", "contact", "contact_email", "contact_phone", "contact_tag", "contact_opt_out",
          "interaction", "follow_up", "signal", "contact_stats")  # fmt: skip


def write(book: Book, out: Path) -> dict[str, float]:
    """Insert the book into a fresh database at ``out`` and fill contact_stats; phase timings."""
    timings: dict[str, float] = {}
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    conn = database.connect(tmp)
    assert conn is not None
    try:
        conn.execute("PRAGMA cache_size = -262144")  # 256 MiB, for this connection only
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for attr, table, cols in INSERTS:
            marks = ", ".join("?" * len(cols.split(",")))
            conn.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", getattr(book, attr))
        conn.execute("COMMIT")
        timings["insert"] = time.perf_counter() - started
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        stats.rebuild(conn, book.today, RankConfig())
        conn.execute("COMMIT")
        timings["stats.rebuild"] = time.perf_counter() - started
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()
        tmp.unlink(missing_ok=True)
        raise
    conn.close()
    tmp.replace(out)
    return timings


def counts(path: Path) -> dict[str, int]:
    conn = database.connect(path, create=False)
    assert conn is not None
    try:
        return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}
    finally:
        conn.close()


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--size", choices=sorted(SIZES), default="small", help="a preset (default small)"
    )
    parser.add_argument("--contacts", type=int, help="override the preset")
    parser.add_argument("--interactions", type=int, help="override the preset")
    parser.add_argument("--follow-ups", type=int, help="override the preset")
    parser.add_argument("--signals", type=int, help="override the preset")
    parser.add_argument("--companies", type=int, help="default: one per five contacts")
    parser.add_argument(
        "--today", type=date.fromisoformat, default=date.fromisoformat(DEFAULT_TODAY)
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, required=True, help="the database file to write")
    parser.add_argument("--force", action="store_true", help="replace --out if it exists")
    parser.add_argument(
        "--verify", action="store_true", help="also check contact_stats against a fresh fold"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    preset = SIZES[args.size]
    size = Size(
        args.contacts if args.contacts is not None else preset.contacts,
        args.interactions if args.interactions is not None else preset.interactions,
        args.follow_ups if args.follow_ups is not None else preset.follow_ups,
        args.signals if args.signals is not None else preset.signals,
    )
    companies = args.companies if args.companies is not None else max(1, size.contacts // 5)
    out: Path = args.out
    if out.exists() and not args.force:
        print(f"{str(out)!r} exists; pass --force to replace it", file=sys.stderr)
        return 1
    if out.exists():
        for leftover in (out, out.with_name(out.name + "-wal"), out.with_name(out.name + "-shm")):
            leftover.unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    book = Book(size, companies, args.today, args.seed)
    book.build()
    built = time.perf_counter() - started
    timings = write(book, out)
    total = time.perf_counter() - started
    found = counts(out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) in {total:.1f}s", file=sys.stderr)
    phases = ", ".join(f"{k} {v:.1f}s" for k, v in {"generate": built, **timings}.items())
    print(f"  {phases}", file=sys.stderr)
    print("  " + ", ".join(f"{t} {n:,}" for t, n in found.items()), file=sys.stderr)
    expected = {"contact": size.contacts, "interaction": size.interactions,
                "follow_up": size.follow_ups, "signal": size.signals,
                "company": companies, "contact_stats": size.contacts}  # fmt: skip
    wrong = {t: (found[t], n) for t, n in expected.items() if found[t] != n}
    if wrong:
        print(f"row counts differ from what was asked (found, asked): {wrong}", file=sys.stderr)
        return 1
    if args.verify:
        conn = database.connect(out, create=False)
        assert conn is not None
        try:
            bad = stats.mismatches(conn, args.today, RankConfig())
        finally:
            conn.close()
        if bad:
            print(
                f"contact_stats differs from a fresh fold for {len(bad)} contacts", file=sys.stderr
            )
            return 1
        print("  contact_stats matches a fresh fold", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
