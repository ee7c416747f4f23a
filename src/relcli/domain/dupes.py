"""When two contacts are one person: same email, phone, LinkedIn profile, or close names."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from relcli.domain import names

NAME_SIMILARITY = 90  # rapidfuzz token-sort ratio, 0-100, for names at the same company

_LINKEDIN = re.compile(r"^(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/in/([^/?#]+)", re.I)


def linkedin_key(url: str | None) -> str | None:
    """'https://www.linkedin.com/in/Ann-Lee/?trk=x' → 'linkedin.com/in/ann-lee'."""
    if not url:
        return None
    found = _LINKEDIN.match(url.strip())
    return f"linkedin.com/in/{found.group(1).lower()}" if found else None


@dataclass
class Identity:
    """The keys that identify a person, whatever the file or the book calls them."""

    name: str
    company: str | None = None
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    profile: str | None = None
    name_key: str = field(init=False)
    company_key: str = field(init=False)

    def __post_init__(self) -> None:
        self.name_key = names.fold(self.name)
        self.company_key = names.fold(self.company or "")


def identity(
    name: str,
    company: str | None,
    emails: Iterable[str],
    phones: Iterable[str],
    url: str | None,
    region: str | None,
) -> Identity:
    return Identity(
        name=name,
        company=company,
        emails={names.email_key(e) for e in emails},
        phones={k for k in (names.phone_key(p, region) for p in phones) if len(k) >= 7},
        profile=linkedin_key(url),
    )


def similar_names(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return bool(fuzz.token_sort_ratio(names.fold(a), names.fold(b)) >= NAME_SIMILARITY)


def _block(who: Identity) -> str:
    """People compared for close names: same company and same last word of the name.

    Blocking keeps a 50,000-row import from comparing every pair at a big company; the cost
    is that a typo in the last name is not caught (a different email or phone still is).
    """
    words = who.name_key.split()
    return f"{who.company_key}|{words[-1] if words else ''}"


class Index:
    """Identities by key, for matching many people against a book in one pass."""

    def __init__(self) -> None:
        self.by_email: dict[str, int] = {}
        self.by_phone: dict[str, int] = {}
        self.by_profile: dict[str, int] = {}
        # Per block (company and last name): folded names, ids and LinkedIn profiles.
        self.by_company: dict[str, tuple[list[str], list[int], list[str | None]]] = {}

    def add(self, contact_id: int, who: Identity) -> None:
        for email in who.emails:
            self.by_email.setdefault(email, contact_id)
        for phone in who.phones:
            self.by_phone.setdefault(phone, contact_id)
        if who.profile:
            self.by_profile.setdefault(who.profile, contact_id)
        if who.company_key:
            folded, ids, profiles = self.by_company.setdefault(_block(who), ([], [], []))
            folded.append(who.name_key)
            ids.append(contact_id)
            profiles.append(who.profile)

    def match(self, who: Identity) -> tuple[int, str] | None:
        """The contact ``who`` already is, and why we think so; None if nobody."""
        for email in sorted(who.emails):
            if email in self.by_email:
                return self.by_email[email], f"same email {email}"
        if who.profile and who.profile in self.by_profile:
            return self.by_profile[who.profile], "same LinkedIn profile"
        for phone in sorted(who.phones):
            if phone in self.by_phone:
                return self.by_phone[phone], f"same phone {phone}"
        block = self.by_company.get(_block(who)) if who.company_key else None
        if block is not None:
            from rapidfuzz import fuzz, process

            folded, ids, profiles = block
            close = process.extract(
                who.name_key, folded, scorer=fuzz.token_sort_ratio,
                score_cutoff=NAME_SIMILARITY, limit=8,
            )  # fmt: skip
            for _, score, at in close:
                if who.profile and profiles[at] and who.profile != profiles[at]:
                    continue  # two LinkedIn profiles are two people, whatever their names
                same = "same name" if score == 100 else "close name"
                return ids[at], f"{same} at {who.company}"
        return None


def pairs(people: Iterable[tuple[int, Identity]]) -> list[tuple[int, int, str]]:
    """Likely duplicates within a book: (older id, newer id, reason), each pair once."""
    index = Index()
    found: list[tuple[int, int, str]] = []
    seen: set[tuple[int, int]] = set()
    for contact_id, who in sorted(people, key=lambda p: p[0]):
        match = index.match(who)
        if match is not None and match[0] != contact_id:
            pair = (match[0], contact_id)
            if pair not in seen:
                seen.add(pair)
                found.append((*pair, match[1]))
        index.add(contact_id, who)
    return found
