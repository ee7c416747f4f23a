"""When two contacts are one person: same email, phone, LinkedIn profile, or close names."""

import functools
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from relcli.domain import names

NAME_SIMILARITY = 90  # rapidfuzz token-sort ratio, 0-100, for names at the same company

_USUAL = "https://www.linkedin.com/in/"
_LINKEDIN = re.compile(r"^(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/in/([^/?#]+)", re.I)


def linkedin_key(url: str | None) -> str | None:
    """'https://www.linkedin.com/in/Ann-Lee/?trk=x' → 'linkedin.com/in/ann-lee'."""
    if not url:
        return None
    text = url.strip()
    if text.startswith(_USUAL):  # the form the importers store: no regex needed
        slug = text[len(_USUAL) :]
        if "/" in slug or "?" in slug or "#" in slug:
            slug = slug.partition("/")[0].partition("?")[0].partition("#")[0]
        return f"linkedin.com/in/{slug.lower()}" if slug else None
    found = _LINKEDIN.match(text)
    return f"linkedin.com/in/{found.group(1).lower()}" if found else None


class _Keys(NamedTuple):
    name: str
    company: str | None
    emails: set[str]
    phones: set[str]
    profile: str | None
    name_key: str
    company_key: str
    block: str


class Identity(_Keys):
    """The keys that identify a person, whatever the file or the book calls them.

    ``name_key`` and ``company_key`` are the folded name and company (names.fold), made here
    unless the caller has them; ``block`` is the close-name block (see block()), empty for a
    person without a company. A tuple: an import makes one per person, and a tuple is made
    in C (``made``), where a class with slots would run Python code for every person.
    """

    __slots__ = ()

    def __new__(
        cls,
        name: str,
        company: str | None = None,
        emails: set[str] | None = None,
        phones: set[str] | None = None,
        profile: str | None = None,
        *,
        name_key: str | None = None,
        company_key: str | None = None,
    ) -> "Identity":
        name_key = names.fold(name) if name_key is None else name_key
        if company_key is None:
            company_key = names.fold(company) if company else ""
        return tuple.__new__(cls, (
            name, company, emails if emails is not None else set(),
            phones if phones is not None else set(), profile, name_key, company_key,
            block(name_key, company_key) if company_key else "",
        ))  # fmt: skip

    @classmethod
    def made(cls, keys: tuple[Any, ...]) -> "Identity":
        """An identity from all its fields, in order, as another Identity gave them (a
        reader process sends them: services/read_ahead)."""
        return tuple.__new__(cls, keys)


def identity(
    name: str,
    company: str | None,
    emails: Iterable[str],
    phones: Iterable[str],
    url: str | None,
    region: str | None,
) -> Identity:
    """The keys of a person as a file gives them (an import makes one per row)."""
    return Identity(
        name,
        company,
        {names.email_key(e) for e in emails} if emails else set(),
        {k for k in (names.phone_key(p, region) for p in phones) if len(k) >= 7}
        if phones
        else set(),
        linkedin_key(url),
    )


def similar_names(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return bool(fuzz.token_sort_ratio(names.fold(a), names.fold(b)) >= NAME_SIMILARITY)


def block(name_key: str, company_key: str) -> str:
    """People compared for close names: same company and same last word of the name.

    Blocking keeps a 50,000-row import from comparing every pair at a big company; the cost
    is that a typo in the last name is not caught (a different email or phone still is).
    Both keys are folded (names.fold); a person without a company is in no block.
    """
    last = name_key.rpartition(" ")[2]
    return f"{company_key}|{last}"


class Index:
    """Identities by key, for matching many people against a book in one pass.

    The first contact added under a key is the one a match names, so contacts are added in
    id order. An import fills one per batch with the book's contacts that share a key with
    the batch's people (looked up in the database), then adds the people it creates.
    """

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
        if who.block:
            members = self.by_company.get(who.block)
            if members is None:  # not setdefault: it would make three lists for every person
                members = self.by_company[who.block] = ([], [], [])
            members[0].append(who.name_key)
            members[1].append(contact_id)
            members[2].append(who.profile)

    def add_member(self, key: str, name_key: str, contact_id: int, profile: str | None) -> None:
        """A contact in the block ``key`` (see block()), compared by its folded name."""
        folded, ids, profiles = self.by_company.setdefault(key, ([], [], []))
        folded.append(name_key)
        ids.append(contact_id)
        profiles.append(profile)

    def match(self, who: Identity) -> tuple[int, str] | None:
        """The contact ``who`` already is, and why we think so; None if nobody."""
        if who.emails:
            for email in sorted(who.emails) if len(who.emails) > 1 else who.emails:
                if email in self.by_email:
                    return self.by_email[email], f"same email {email}"
        if who.profile and who.profile in self.by_profile:
            return self.by_profile[who.profile], "same LinkedIn profile"
        if who.phones:
            for phone in sorted(who.phones) if len(who.phones) > 1 else who.phones:
                if phone in self.by_phone:
                    return self.by_phone[phone], f"same phone {phone}"
        members = self.by_company.get(who.block) if who.block else None
        if members is not None:
            folded, ids, profiles = members
            if who.profile and all(profiles) and who.profile not in profiles:
                return None  # everyone here has another LinkedIn profile: nobody can match
            fuzz, process = _rapidfuzz()
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


@functools.cache
def _rapidfuzz() -> tuple[Any, Any]:
    """rapidfuzz's fuzz and process modules, imported on the first close-name comparison."""
    from rapidfuzz import fuzz, process

    return fuzz, process


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
