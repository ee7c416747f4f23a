"""The contact filter language: "tag:vip -stage:former acme" → Query."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from relcli.domain import names, vocabulary
from relcli.errors import UsageError

FIELDS = ("tag", "stage", "company", "tier", "channel")


@dataclass(frozen=True)
class Term:
    field: str | None  # None: free text over name, company, title, emails
    value: str
    negated: bool = False

    def matches(self, row: Mapping[str, Any]) -> bool:
        return self._hit(row) != self.negated

    def _hit(self, row: Mapping[str, Any]) -> bool:
        if self.field == "tag":
            return self.value in row["tags"]
        if self.field == "stage":
            return bool(row["stage"] == self.value)
        if self.field == "tier":
            return bool((row["tier"] or "").upper() == self.value.upper())
        if self.field == "company":
            return self.value in names.fold(row["company"] or "")
        if self.field == "channel":
            return bool(row["preferred_channel"] == self.value)
        haystack = names.fold(
            " ".join(str(row[k] or "") for k in ("name", "company", "title", "email"))
        )
        return self.value in haystack


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...] = ()

    def matches(self, row: Mapping[str, Any]) -> bool:
        return all(t.matches(row) for t in self.terms)


def parse(text: str) -> Query:
    """Every word is a term; ``field:value`` filters a field, a leading ``-`` negates."""
    terms = []
    for word in text.split():
        negated = word.startswith("-") and len(word) > 1
        body = word[1:] if negated else word
        field, sep, value = body.partition(":")
        if not sep:
            terms.append(Term(None, names.fold(body), negated))
            continue
        field = field.lower()
        if field not in FIELDS or not value:
            raise UsageError(
                f"cannot read the filter {word!r}",
                hint=f"use {', '.join(f + ':VALUE' for f in FIELDS)}, or plain words",
            )
        if field == "stage":
            value = vocabulary.check_stage(value)
        elif field == "channel":
            value = vocabulary.check_channel(value)
        elif field == "tag":
            value = vocabulary.check_tag(value)
        elif field == "tier":
            value = vocabulary.check_tier(value)
        elif field == "company":
            value = names.fold(value)
        terms.append(Term(field, value, negated))
    return Query(tuple(terms))
