"""The JSON export document, "relcli-book": the whole book in one file, built and checked.

Shape (every key is always present; lists are sorted by id; dates are ISO ``YYYY-MM-DD``;
timestamps are the stored ISO 8601 UTC strings, e.g. ``2026-12-01T12:00:00+00:00``)::

    {"format": "relcli-book", "schema_version": 5, "relcli_version": "0.1.0",
     "companies": [{id, name, domain, notes, primary_contact_id, created_at}],
     "contacts": [{id, name, company_id, title, stage, tier, cadence_days, preferred_channel,
                   min_gap_days, do_not_contact, do_not_contact_reason, do_not_contact_since,
                   snoozed_until, renewal_on, birthday, deal_value, url, notes, source,
                   known_since, created_at, updated_at, nickname, anniversary,
                   emails: [in position order], phones: [in position order],
                   tags: [sorted], opted_out_channels: [sorted],
                   addresses: [{label, street, city, region, postcode, country}, in order]}],
     "interactions": [{id, contact_id, channel, direction, outcome, summary, at, created_at,
                       talking_point}],
     "follow_ups": [{id, contact_id, due_on, reason, every_days, created_at, done_at}],
     "signals": [{id, contact_id, company_id, kind, observed_on, note, source,
                  source_interaction_id, created_at}]}

There is no export timestamp: the same book always gives the same bytes. Derived data
(``contact_stats``, the ``*_key`` lookup columns) is left out; an import recomputes it.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from relcli.errors import ImportFileError

FORMAT = "relcli-book"
# The database schema this document shape describes. It equals store.migrations.SCHEMA_VERSION
# (a test pins it): a migration that adds a column must add it here too, and bump this.
# Schema 3 only rewrote CHECK constraints, so a book of schema 2 or 3 has the same shape.
# Schema 5 only shortened LinkedIn sources: an older book's are shortened as it is read.
SCHEMA_VERSION = 5

Row = Mapping[str, Any]

KEYS: dict[str, tuple[str, ...]] = {
    "companies": ("id", "name", "domain", "notes", "primary_contact_id", "created_at"),
    "contacts": (
        "id", "name", "company_id", "title", "stage", "tier", "cadence_days",
        "preferred_channel", "min_gap_days", "do_not_contact", "do_not_contact_reason",
        "do_not_contact_since", "snoozed_until", "renewal_on", "birthday", "deal_value", "url",
        "notes", "source", "known_since", "created_at", "updated_at", "nickname", "anniversary",
        "emails", "phones", "tags", "opted_out_channels", "addresses",
    ),
    "interactions": (
        "id", "contact_id", "channel", "direction", "outcome", "summary", "at", "created_at",
        "talking_point",
    ),
    "follow_ups": ("id", "contact_id", "due_on", "reason", "every_days", "created_at", "done_at"),
    "signals": (
        "id", "contact_id", "company_id", "kind", "observed_on", "note", "source",
        "source_interaction_id", "created_at",
    ),
}  # fmt: skip
LISTS = tuple(KEYS)
# Keys a later schema added, with the value a book written before it stands for.
ADDED: dict[int, dict[str, dict[str, Any]]] = {
    2: {"interactions": {"talking_point": False}},
    4: {"contacts": {"nickname": None, "anniversary": None, "addresses": []}},
}
# From their own tables.
CONTACT_LISTS = ("emails", "phones", "tags", "opted_out_channels", "addresses")
ADDRESS_KEYS = ("label", "street", "city", "region", "postcode", "country")
_ORDERED_LISTS = ("emails", "phones")  # the first is the one to use
_SORTED_LISTS = ("tags", "opted_out_channels")  # sets: sorted so the output is deterministic
_HINT = "make one with 'relcli export json FILE'"


@dataclass(frozen=True)
class Tables:
    """The rows of a book as the store reads them: one mapping per row, keyed by column.

    A contact row carries its ``emails`` and ``phones`` (in position order), ``tags`` and
    ``opted_out_channels`` as lists, ``addresses`` as a list of mappings keyed by
    ``ADDRESS_KEYS`` (in position order), and ``do_not_contact`` as a bool.
    """

    companies: Sequence[Row] = field(default_factory=list)
    contacts: Sequence[Row] = field(default_factory=list)
    interactions: Sequence[Row] = field(default_factory=list)
    follow_ups: Sequence[Row] = field(default_factory=list)
    signals: Sequence[Row] = field(default_factory=list)


def _project(row: Row, keys: Sequence[str]) -> dict[str, Any]:
    shaped = {key: row[key] for key in keys}
    for key in _ORDERED_LISTS:
        if key in shaped:
            shaped[key] = list(shaped[key])
    for key in _SORTED_LISTS:
        if key in shaped:
            shaped[key] = sorted(shaped[key])
    if "addresses" in shaped:
        shaped["addresses"] = [{k: a[k] for k in ADDRESS_KEYS} for a in shaped["addresses"]]
    return shaped


def build(tables: Tables, *, relcli_version: str) -> dict[str, Any]:
    """The document for ``tables``: the declared keys only, in the declared order."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "relcli_version": relcli_version,
    }
    for name, keys in KEYS.items():
        rows: Sequence[Row] = getattr(tables, name)
        document[name] = [_project(r, keys) for r in sorted(rows, key=lambda r: int(r["id"]))]
    return document


def dumps(document: Mapping[str, Any]) -> str:
    """The document as text: UTF-8 friendly (no \\u escapes), indented, one final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_OLD_LINKEDIN = "https://www.linkedin.com/"


def current_source(source: str) -> str:
    """A contact's source as schema 5 writes it: a LinkedIn profile without 'https://www.'
    ('linkedin:https://www.linkedin.com/in/ann' -> 'linkedin:linkedin.com/in/ann'), also
    after a JSON merge's 'json:'. The same rule as schema step 5 in store/migrations.py."""
    for prefix in ("linkedin:", "json:linkedin:"):
        if source.startswith(prefix + _OLD_LINKEDIN):
            return prefix + source[len(prefix) + len("https://www.") :]
    return source


def check(document: object, *, newest: int = SCHEMA_VERSION) -> None:
    """Raise ImportFileError unless ``document`` is a relcli book this relcli can read.

    Checks the format marker, the schema version (not newer than ``newest``), and that every
    list is present and holds objects with every key of its kind and an integer id. A book
    of an older schema gains the keys added since (``ADDED``), with their defaults.
    """
    if not isinstance(document, dict):
        kind = type(document).__name__
        raise ImportFileError(f"not a relcli book: the file holds a JSON {kind}", hint=_HINT)
    marker = document.get("format")
    if marker != FORMAT:
        found = "no 'format' key" if marker is None else f"format {marker!r}"
        raise ImportFileError(f"not a relcli book: {found}, expected {FORMAT!r}", hint=_HINT)
    version = document.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportFileError(
            f"not a relcli book: schema_version {version!r} is not a positive integer",
            hint=_HINT,
        )
    if version > newest:
        raise ImportFileError(
            f"the book was written by a newer relcli (schema {version}, this one knows "
            f"{newest}); nothing was imported",
            hint="upgrade relcli: pip install --upgrade relcli",
        )
    for name, keys in KEYS.items():
        rows = document.get(name)
        if not isinstance(rows, list):
            raise ImportFileError(f"not a relcli book: {name!r} is not a list", hint=_HINT)
        later = {k: v for step, added in ADDED.items() if step > version
                 for k, v in added.get(name, {}).items()}  # fmt: skip
        for row in rows:
            if isinstance(row, dict):
                for key, value in later.items():
                    row.setdefault(key, list(value) if isinstance(value, list) else value)
        for index, row in enumerate(rows):
            where = f"{name}[{index}]"
            if not isinstance(row, dict):
                raise ImportFileError(f"damaged relcli book: {where} is not an object")
            missing = [key for key in keys if key not in row]
            if missing:
                raise ImportFileError(
                    f"damaged relcli book: {where} lacks {', '.join(map(repr, missing))}"
                )
            if not isinstance(row["id"], int) or isinstance(row["id"], bool):
                raise ImportFileError(f"damaged relcli book: {where} has id {row['id']!r}")
            if name == "contacts":
                _check_addresses(row["addresses"], where)
                if version < 5 and isinstance(row["source"], str):
                    row["source"] = current_source(row["source"])


def _check_addresses(addresses: object, where: str) -> None:
    if not isinstance(addresses, list):
        raise ImportFileError(f"damaged relcli book: {where}.addresses is not a list")
    for n, address in enumerate(addresses):
        if not isinstance(address, dict) or any(
            not isinstance(address.get(k), str | None) for k in ADDRESS_KEYS
        ):
            raise ImportFileError(
                f"damaged relcli book: {where}.addresses[{n}] is not an address "
                f"(an object of {', '.join(ADDRESS_KEYS)}, each text or null)"
            )


_REFERENCES = (
    ("contacts", "company_id", "companies"),
    ("companies", "primary_contact_id", "contacts"),
    ("interactions", "contact_id", "contacts"),
    ("follow_ups", "contact_id", "contacts"),
    ("signals", "contact_id", "contacts"),
    ("signals", "company_id", "companies"),
    ("signals", "source_interaction_id", "interactions"),
)


def check_references(document: Mapping[str, Any]) -> None:
    """Raise ImportFileError if a row names a contact, company or interaction the book lacks.

    Call it after ``check``, which makes sure every list and key is there.
    """
    ids = {name: {row["id"] for row in document[name]} for name in KEYS}
    for table, key, target in _REFERENCES:
        for index, row in enumerate(document[table]):
            value = row[key]
            if value is not None and value not in ids[target]:
                raise ImportFileError(
                    f"damaged relcli book: {table}[{index}] names {target[:-1] if target != 'companies' else 'company'} {value}"
                    "; nothing was imported",
                    hint="export the book again with: relcli export json FILE",
                )
