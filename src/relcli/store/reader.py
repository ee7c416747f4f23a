"""The fast read door: stdlib sqlite3 queries for today, why, show and completion.

These paths must never import SQLAlchemy, SQLModel or keyring (a test checks it); they read
the same tables the SQLModel door writes.
"""

import dataclasses
import functools
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from relcli.domain import names, ranking, vocabulary
from relcli.errors import AmbiguousError, NotFoundError
from relcli.store import stats
from relcli.store.days import local_day

MAX_CANDIDATES_SHOWN = 5


@dataclass(frozen=True)
class ContactRef:
    id: int
    name: str
    company: str | None
    email: str | None


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _refs(conn: sqlite3.Connection, where: str, params: Sequence[Any]) -> list[ContactRef]:
    rows = conn.execute(
        "SELECT c.id, c.name, co.name, (SELECT address FROM contact_email e WHERE e.contact_id = c.id "
        "ORDER BY position LIMIT 1) FROM contact c LEFT JOIN company co ON co.id = c.company_id "
        f"WHERE {where} ORDER BY c.name_key, c.id LIMIT 50",
        params,
    )
    return [ContactRef(*row) for row in rows]


def find(conn: sqlite3.Connection, text: str) -> list[ContactRef]:
    """Contacts matching an id ('12', '#12'), an email address, or a name or part of one."""
    raw = text.strip()
    bare = raw.lstrip("#")
    if bare.isdigit():
        found = _refs(conn, "c.id = ?", [int(bare)])
        if found or raw.startswith("#"):
            return found
    if "@" in raw:
        found = _refs(
            conn,
            "c.id IN (SELECT contact_id FROM contact_email WHERE address_key = ?)",
            [names.email_key(raw)],
        )
        if found:
            return found
    key = names.fold(raw)
    if not key:
        return []
    exact = _refs(conn, "c.name_key = ?", [key])
    if exact:
        return exact
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _refs(conn, "c.name_key LIKE ? ESCAPE '\\'", [f"%{escaped}%"])


def find_one(conn: sqlite3.Connection, text: str) -> ContactRef:
    found = find(conn, text)
    if not found:
        raise NotFoundError(f"no contact matches {text!r}", hint="see 'relcli contact list'")
    if len(found) > 1:
        shown = "; ".join(
            f"#{c.id} {c.name}" + (f" ({c.company})" if c.company else "")
            for c in found[:MAX_CANDIDATES_SHOWN]
        )
        more = (
            f" and {len(found) - MAX_CANDIDATES_SHOWN} more"
            if len(found) > MAX_CANDIDATES_SHOWN
            else ""
        )
        raise AmbiguousError(
            f"{text!r} matches {len(found)} contacts: {shown}{more}; nothing was changed",
            hint="name one by id, e.g. '#" + str(found[0].id) + "'",
        )
    return found[0]


def name_prefixes(conn: sqlite3.Connection, prefix: str, limit: int = 50) -> list[str]:
    """Contact names starting with ``prefix`` (folded), for shell completion."""
    key = names.fold(prefix)
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = conn.execute(
        "SELECT name FROM contact WHERE name_key LIKE ? ESCAPE '\\' ORDER BY name_key LIMIT ?",
        (f"{escaped}%", limit),
    )
    return [r[0] for r in rows]


# --- ranking inputs --------------------------------------------------------------------------

_FACT_COLUMNS = """
    c.id, c.name, c.stage, c.created_at, co.name, c.cadence_days, c.tier, c.preferred_channel,
    c.do_not_contact, c.do_not_contact_reason, c.do_not_contact_since, c.snoozed_until,
    c.renewal_on, c.min_gap_days, c.deal_value, c.company_id, co.primary_contact_id, c.url,
    s.first_contact_on, s.last_contact_on, s.last_outbound_on, s.reply_owed_since,
    s.reply_channel, s.recent_outbound, s.next_meeting_on, s.strength_ref, s.strength_day,
    (SELECT group_concat(tag, ',') FROM contact_tag t WHERE t.contact_id = c.id),
    (SELECT group_concat(channel, ',') FROM contact_opt_out o WHERE o.contact_id = c.id),
    (SELECT number FROM contact_phone p WHERE p.contact_id = c.id ORDER BY position LIMIT 1),
    (SELECT address FROM contact_email e WHERE e.contact_id = c.id ORDER BY position LIMIT 1),
    c.known_since
"""
_FROM = """
    FROM contact c
    LEFT JOIN company co ON co.id = c.company_id
    LEFT JOIN contact_stats s ON s.contact_id = c.id
"""


@dataclass(frozen=True)
class Candidate:
    facts: ranking.Facts
    phone: str | None
    email: str | None
    url: str | None


def _zero_until(knots: Sequence[tuple[float, float]]) -> float | None:
    """The x below which a ramp is zero, or None if it never is."""
    last = None
    for x, y in knots:
        if y > 0:
            return last
        last = x
    return last


def _gate(
    today: date,
    config: ranking.RankConfig,
    cadence_by_stage: Mapping[str, int],
    cadence_by_tag: Mapping[str, int],
) -> tuple[str, list[Any]]:
    """SQL that keeps every contact with a possible reason today (a superset; Python decides)."""
    params: list[Any] = []
    parts = []
    fu_zero = _zero_until(config.knots("rank.followup.knots"))
    horizon = today + timedelta(days=int(-fu_zero) if fu_zero is not None and fu_zero < 0 else 0)
    if fu_zero is None:
        parts.append("s.open_follow_ups > 0")
    else:
        parts.append("s.next_follow_up_on <= ?")
        params.append(horizon.isoformat())
        if config.number("rank.followup.undated") > 0:
            parts.append("s.has_undated_follow_up = 1")
    parts.append("s.reply_owed_since IS NOT NULL")
    opens = config.days("rank.signal.renewal.open")
    after = config.days("rank.signal.renewal.after")
    parts.append("c.renewal_on BETWEEN ? AND ?")
    params += [
        (today - timedelta(days=after)).isoformat(),
        (today + timedelta(days=opens)).isoformat(),
    ]
    live, live_params = _live_signals(today, config)
    parts.append(f"c.id IN (SELECT contact_id FROM signal WHERE {live} AND contact_id IS NOT NULL)")
    params += live_params
    parts.append(
        f"c.company_id IN (SELECT company_id FROM signal WHERE {live} AND company_id IS NOT NULL)"
    )
    params += live_params
    cad_zero = _zero_until(config.knots("rank.cadence.knots"))
    stage_case = " ".join(
        f"WHEN '{st}' THEN {int(d)}"
        for st, d in cadence_by_stage.items()
        if st in vocabulary.STAGES
    )
    cad = "c.cadence_days"
    cad_params: list[Any] = []
    if cadence_by_tag:
        tag_values = ", ".join("(?, ?)" for _ in cadence_by_tag)
        cad += (
            f", (SELECT min(v.column2) FROM (VALUES {tag_values}) AS v "
            "JOIN contact_tag ct ON ct.tag = v.column1 WHERE ct.contact_id = c.id)"
        )
        for tag, days in cadence_by_tag.items():
            cad_params += [tag, days]
    if stage_case:
        cad += f", CASE c.stage {stage_case} END"
    threshold = cad_zero if cad_zero is not None else -1.0
    parts.append(
        "(julianday(?) - julianday(coalesce(s.last_contact_on, substr(c.created_at, 1, 10))) + 1 "
        f">= {threshold} * coalesce({cad}, NULL))"
    )
    params += [today.isoformat(), *cad_params]
    return " OR ".join(f"({p})" for p in parts), params


@functools.cache
def _reachable(phone: bool, email: bool, url: bool) -> frozenset[str]:
    """The channels a phone number, an email address and a profile URL make reachable."""
    channels: set[str] = set()
    if phone:
        channels |= vocabulary.PHONE_CHANNELS
    if email:
        channels |= vocabulary.EMAIL_CHANNELS
    if phone or email:
        channels.add("meeting")
    if url:
        channels.add("social")
    return frozenset(channels)


# Where the aggregates sit in a facts row, in the order of _FACT_COLUMNS.
_STATS_AT = {
    "first_contact_on": 18, "last_contact_on": 19, "last_outbound_on": 20,
    "reply_owed_since": 21, "reply_channel": 22, "recent_outbound": 23,
    "next_meeting_on": 24, "strength_ref": 25, "strength_day": 26,
}  # fmt: skip


def _rolled_forward(
    conn: sqlite3.Connection, rows: list[tuple[Any, ...]], today: date, config: ranking.RankConfig
) -> list[tuple[Any, ...]]:
    """Rows whose booked meeting has happened since they were stored, refolded as of today."""
    at = _STATS_AT["next_meeting_on"]
    due = [r[0] for r in rows if r[at] is not None and r[at] <= today.isoformat()]
    if not due:
        return rows
    fresh = stats.compute(conn, due, today, config)
    out = []
    for row in rows:
        agg = fresh.get(row[0])
        if agg is not None:
            patched = list(row)
            for name, index in _STATS_AT.items():
                value = getattr(agg, name)
                patched[index] = value.isoformat() if isinstance(value, date) else value
            row = tuple(patched)
        out.append(row)
    return out


def _facts_rows(
    conn: sqlite3.Connection, where: str, params: Sequence[Any]
) -> list[tuple[Any, ...]]:
    return conn.execute(f"SELECT {_FACT_COLUMNS} {_FROM} WHERE {where}", params).fetchall()


def _build(
    rows: Iterable[tuple[Any, ...]],
    follow_ups: Mapping[int, list[ranking.OpenFollowUp]],
    signals: Mapping[int, list[ranking.SignalFact]],
    company_signals: Mapping[int, list[tuple[int, str, date, str | None]]],
    cadence_by_stage: Mapping[str, int],
    cadence_by_tag: Mapping[str, int],
) -> list[Candidate]:
    out = []
    fanned: dict[tuple[int, bool], tuple[ranking.SignalFact, ...]] = {}
    for r in rows:
        (
            cid,
            name,
            stage,
            created_at,
            company,
            cadence,
            tier,
            preferred,
            dnc,
            dnc_reason,
            dnc_since,
            snoozed,
            renewal,
            min_gap,
            deal,
            company_id,
            primary_id,
            url,
            first,
            last,
            last_out,
            owed,
            owed_channel,
            recent,
            next_meeting,
            s_ref,
            s_day,
            tags,
            opted,
            phone,
            email,
            known_since,
        ) = r
        tagset = frozenset(tags.split(",")) if tags else frozenset()
        source = "contact"
        if cadence is None:
            tagged = [(d, t) for t, d in cadence_by_tag.items() if t in tagset]
            if tagged:
                cadence, tag = min(tagged)
                source = f"tag {tag}"
            elif stage in cadence_by_stage:
                cadence, source = cadence_by_stage[stage], f"stage {stage}"
        reachable = _reachable(bool(phone), bool(email), bool(url))
        sigs: tuple[ranking.SignalFact, ...] = tuple(signals.get(cid, ()))
        if company_id is not None and company_id in company_signals:
            is_primary = primary_id == cid if primary_id is not None else True
            shared = fanned.get((company_id, is_primary))
            if shared is None:
                shared = fanned[company_id, is_primary] = tuple(
                    ranking.SignalFact(sid, kind, observed, note, company, is_primary)
                    for sid, kind, observed, note in company_signals[company_id]
                )
            sigs += shared
        facts = ranking.Facts(
            id=cid,
            name=name,
            stage=stage,
            created_on=local_day(created_at),
            company=company,
            tags=tagset,
            cadence_days=cadence,
            cadence_source=source,
            tier=tier,
            preferred_channel=preferred,
            reachable=reachable,
            opted_out=frozenset(opted.split(",")) if opted else frozenset(),
            do_not_contact=bool(dnc),
            do_not_contact_reason=dnc_reason,
            do_not_contact_since=_d(dnc_since),
            snoozed_until=_d(snoozed),
            renewal_on=_d(renewal),
            min_gap_days=min_gap,
            deal_value=deal,
            first_contact_on=_d(min(filter(None, (first, known_since)), default=None)),
            last_contact_on=_d(last),
            last_outbound_on=_d(last_out),
            reply_owed_since=_d(owed),
            reply_channel=owed_channel,
            recent_outbound=tuple(date.fromisoformat(x) for x in recent.split(","))
            if recent
            else (),
            next_meeting_on=_d(next_meeting),
            strength_ref=s_ref or 0.0,
            strength_day=s_day or 0,
            follow_ups=tuple(follow_ups.get(cid, ())),
            signals=sigs,
        )
        out.append(Candidate(facts, phone, email, url))
    return out


def _open_follow_ups(
    conn: sqlite3.Connection, ids: set[int] | None
) -> dict[int, list[ranking.OpenFollowUp]]:
    found: dict[int, list[ranking.OpenFollowUp]] = defaultdict(list)
    rows = conn.execute(
        "SELECT id, contact_id, due_on, reason FROM follow_up WHERE done_at IS NULL ORDER BY due_on, id"
    )
    for fid, cid, due, reason in rows:
        if ids is None or cid in ids:
            found[cid].append(ranking.OpenFollowUp(fid, _d(due), reason))
    return found


def _live_signals(today: date, config: ranking.RankConfig) -> tuple[str, list[Any]]:
    """SQL for signals still within their kind's maximum age (older ones score nothing)."""
    kinds = config.kinds
    oldest = today - timedelta(days=max(k.max_age for k in kinds.values()))
    cases = " ".join("WHEN ? THEN ?" for _ in kinds)
    params: list[Any] = [oldest.isoformat()]
    for kind in kinds.values():
        params += [kind.name, (today - timedelta(days=kind.max_age)).isoformat()]
    params.append((today - timedelta(days=config.custom_kind.max_age)).isoformat())
    return f"observed_on >= ? AND observed_on >= CASE kind {cases} ELSE ? END", params


def _signals(
    conn: sqlite3.Connection, today: date, config: ranking.RankConfig
) -> tuple[dict[int, list[ranking.SignalFact]], dict[int, list[tuple[int, str, date, str | None]]]]:
    by_contact: dict[int, list[ranking.SignalFact]] = defaultdict(list)
    by_company: dict[int, list[tuple[int, str, date, str | None]]] = defaultdict(list)
    live, params = _live_signals(today, config)
    rows = conn.execute(
        f"SELECT id, contact_id, company_id, kind, observed_on, note FROM signal WHERE {live}",
        params,
    )
    for sid, cid, coid, kind, observed, note in rows:
        if cid is not None:
            by_contact[cid].append(
                ranking.SignalFact(sid, kind, date.fromisoformat(observed), note)
            )
        else:
            by_company[coid].append((sid, kind, date.fromisoformat(observed), note))
    return by_contact, by_company


@dataclass
class Pool:
    """Everything needed to build the ranking inputs of many contacts, built only on demand."""

    rows: list[tuple[Any, ...]]
    follow_ups: Mapping[int, list[ranking.OpenFollowUp]]
    signals: Mapping[int, list[ranking.SignalFact]]
    company_signals: Mapping[int, list[tuple[int, str, date, str | None]]]
    cadence_by_stage: Mapping[str, int]
    cadence_by_tag: Mapping[str, int]

    def narrowed(self, tags: Sequence[str], stages: Sequence[str]) -> "Pool":
        """Only the contacts with every tag in ``tags`` and, if given, a stage in ``stages``."""
        if not tags and not stages:
            return self
        kept = []
        for row in self.rows:
            have = set(row[27].split(",")) if row[27] else set()
            if all(t in have for t in tags) and (not stages or row[2] in stages):
                kept.append(row)
        return dataclasses.replace(self, rows=kept)

    def build(self, rows: Iterable[tuple[Any, ...]]) -> list[Candidate]:
        return _build(rows, self.follow_ups, self.signals, self.company_signals,
                      self.cadence_by_stage, self.cadence_by_tag)  # fmt: skip

    def bounds(self, today: date, config: ranking.RankConfig) -> list[float]:
        """``ranking.upper_bound`` of every row, in the order of ``rows``."""
        by_tag, by_stage = self.cadence_by_tag, self.cadence_by_stage
        out = []
        for r in self.rows:
            cid, stage, created_at, cadence, tier, deal, company_id = (
                r[0], r[2], r[3], r[5], r[6], r[14], r[15]
            )  # fmt: skip
            if cadence is None:
                options = [d for t, d in by_tag.items() if r[27] and t in r[27].split(",")]
                if stage in by_stage:
                    options.append(by_stage[stage])
                cadence = min(options) if options else None
            since = None
            if cadence:
                # A UTC date can be a day off the local one: one day of slack keeps it a bound.
                start = date.fromisoformat(r[19] or created_at[:10])
                since = (today - start).days + 1
            open_items = self.follow_ups.get(cid, ())
            dated = next((f.due_on for f in open_items if f.due_on is not None), None)
            sigs = [(f.kind, f.observed_on) for f in self.signals.get(cid, ())]
            if company_id is not None:
                sigs += [(kind, on) for _, kind, on, _ in self.company_signals.get(company_id, ())]
            out.append(ranking.upper_bound(
                config, today, strength_ref=r[25] or 0.0, strength_day=r[26] or 0, tier=tier,
                has_deal=bool(deal), first_due_on=dated,
                has_undated=any(f.due_on is None for f in open_items),
                reply_owed_since=_d(r[21]), cadence_days=cadence, days_since_contact=since,
                signals=sigs, renewal_on=_d(r[12]),
            ))  # fmt: skip
        return out


def pool(
    conn: sqlite3.Connection,
    today: date,
    config: ranking.RankConfig,
    cadence_by_stage: Mapping[str, int],
    cadence_by_tag: Mapping[str, int],
    *,
    contact_ids: Sequence[int] | None = None,
) -> Pool:
    """The contacts that may have a reason today (or ``contact_ids``), ready to build."""
    if contact_ids is not None:
        marks = ",".join("?" * len(contact_ids)) or "NULL"
        where, params = f"c.id IN ({marks})", list[Any](contact_ids)
    else:
        where, params = _gate(today, config, cadence_by_stage, cadence_by_tag)
        where = f"c.do_not_contact = 0 AND (c.snoozed_until IS NULL OR c.snoozed_until <= ?) AND ({where})"
        params = [today.isoformat(), *params]
    rows = _rolled_forward(conn, _facts_rows(conn, where, params), today, config)
    ids = {r[0] for r in rows}
    by_contact, by_company = _signals(conn, today, config)
    return Pool(rows, _open_follow_ups(conn, ids), by_contact, by_company, cadence_by_stage,
                cadence_by_tag)  # fmt: skip


def candidates(
    conn: sqlite3.Connection,
    today: date,
    config: ranking.RankConfig,
    cadence_by_stage: Mapping[str, int],
    cadence_by_tag: Mapping[str, int],
    *,
    contact_ids: Sequence[int] | None = None,
) -> list[Candidate]:
    """Ranking inputs for every contact that may have a reason today (or for ``contact_ids``)."""
    found = pool(conn, today, config, cadence_by_stage, cadence_by_tag, contact_ids=contact_ids)
    return found.build(found.rows)


def strength_detail(conn: sqlite3.Connection, contact_id: int, today: date, limit: int = 4) -> str:
    """The latest interactions behind a contact's strength, for ``why`` ('meeting 120d, ...')."""
    rows = conn.execute(
        "SELECT channel, direction, outcome, at FROM interaction WHERE contact_id = ? "
        "AND channel != 'note' ORDER BY at DESC LIMIT ?",
        (contact_id, limit),
    ).fetchall()
    parts = []
    for channel, direction, outcome, at in reversed(rows):
        age = (today - datetime.fromisoformat(at).astimezone().date()).days
        if age < 0:
            continue
        label = channel
        if outcome in vocabulary.ATTEMPTS:
            label = f"{channel} attempt"
        elif channel in vocabulary.MESSAGE_CHANNELS:
            label = f"{'inbound' if direction == 'in' else 'outbound'} {channel}"
        parts.append(f"{label} {age}d")
    return ", ".join(parts)


def stats_fingerprint(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'stats_fingerprint'").fetchone()
    return row[0] if row else None


def count_contacts(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM contact").fetchone()[0])


# --- cards and lists -------------------------------------------------------------------------

_LIST_COLUMNS = (
    "id",
    "name",
    "company",
    "title",
    "stage",
    "tier",
    "cadence_days",
    "preferred_channel",
    "email",
    "phone",
    "tags",
    "do_not_contact",
    "snoozed_until",
    "last_contact_on",
)


def contact_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every contact with the fields ``contact list`` shows and filters on."""
    rows = conn.execute(
        "SELECT c.id, c.name, co.name, c.title, c.stage, c.tier, c.cadence_days, c.preferred_channel, "
        "(SELECT address FROM contact_email e WHERE e.contact_id = c.id ORDER BY position LIMIT 1), "
        "(SELECT number FROM contact_phone p WHERE p.contact_id = c.id ORDER BY position LIMIT 1), "
        "(SELECT group_concat(tag, ',') FROM contact_tag t WHERE t.contact_id = c.id), "
        "c.do_not_contact, c.snoozed_until, s.last_contact_on "
        f"{_FROM} ORDER BY c.name_key, c.id"
    )
    out = []
    for row in rows:
        item = dict(zip(_LIST_COLUMNS, row, strict=True))
        item["tags"] = sorted(item["tags"].split(",")) if item["tags"] else []
        item["do_not_contact"] = bool(item["do_not_contact"])
        out.append(item)
    return out


def contact_card(conn: sqlite3.Connection, contact_id: int, recent: int = 5) -> dict[str, Any]:
    """Everything ``contact show`` prints; the latest interactions come through an index."""
    row = conn.execute(
        "SELECT c.id, c.name, co.name, c.title, c.stage, c.tier, c.cadence_days, c.preferred_channel, "
        "c.min_gap_days, c.do_not_contact, c.do_not_contact_reason, c.do_not_contact_since, "
        "c.snoozed_until, c.renewal_on, c.birthday, c.deal_value, c.url, c.notes, c.source, "
        "c.created_at, s.last_contact_on, s.reply_owed_since, c.nickname, c.anniversary, "
        "c.company_id "
        f"{_FROM} WHERE c.id = ?",
        (contact_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no contact #{contact_id}", hint="see 'relcli contact list'")
    keys = (
        "id",
        "name",
        "company",
        "title",
        "stage",
        "tier",
        "cadence_days",
        "preferred_channel",
        "min_gap_days",
        "do_not_contact",
        "do_not_contact_reason",
        "do_not_contact_since",
        "snoozed_until",
        "renewal_on",
        "birthday",
        "deal_value",
        "url",
        "notes",
        "source",
        "created_at",
        "last_contact_on",
        "reply_owed_since",
        "nickname",
        "anniversary",
    )
    card: dict[str, Any] = dict(zip(keys, row[:-1], strict=True))
    company_id = row[-1]
    card["do_not_contact"] = bool(card["do_not_contact"])
    card["emails"] = [
        r[0]
        for r in conn.execute(
            "SELECT address FROM contact_email WHERE contact_id = ? ORDER BY position, id",
            (contact_id,),
        )
    ]
    card["phones"] = [
        r[0]
        for r in conn.execute(
            "SELECT number FROM contact_phone WHERE contact_id = ? ORDER BY position, id",
            (contact_id,),
        )
    ]
    card["tags"] = [
        r[0]
        for r in conn.execute(
            "SELECT tag FROM contact_tag WHERE contact_id = ? ORDER BY tag", (contact_id,)
        )
    ]
    card["opted_out_channels"] = [
        r[0]
        for r in conn.execute(
            "SELECT channel FROM contact_opt_out WHERE contact_id = ? ORDER BY channel",
            (contact_id,),
        )
    ]
    card["addresses"] = [
        {"label": label, "street": street, "city": city, "region": region,
         "postcode": postcode, "country": country}
        for label, street, city, region, postcode, country in conn.execute(
            "SELECT label, street, city, region, postcode, country FROM contact_address "
            "WHERE contact_id = ? ORDER BY position, id",
            (contact_id,),
        )
    ]  # fmt: skip
    card["interactions"] = [
        {"id": i, "at": at, "channel": ch, "direction": d, "outcome": o, "summary": s}
        for i, at, ch, d, o, s in conn.execute(
            "SELECT id, at, channel, direction, outcome, summary FROM interaction "
            "WHERE contact_id = ? ORDER BY at DESC, id DESC LIMIT ?",
            (contact_id, recent),
        )
    ]
    card["talking_points"] = [
        {"id": i, "at": at, "summary": s}
        for i, at, s in conn.execute(
            "SELECT id, at, summary FROM interaction WHERE contact_id = ? AND talking_point = 1 "
            "ORDER BY at DESC, id DESC",
            (contact_id,),
        )
    ]
    card["follow_ups"] = [
        {"id": i, "due_on": due, "reason": r, "every_days": e}
        for i, due, r, e in conn.execute(
            "SELECT id, due_on, reason, every_days FROM follow_up WHERE contact_id = ? "
            "AND done_at IS NULL ORDER BY due_on IS NULL, due_on, id",
            (contact_id,),
        )
    ]
    card["signals"] = [
        {"id": i, "kind": k, "observed_on": o, "note": n, "source": src, "via_company": via}
        for i, k, o, n, src, via in conn.execute(
            "SELECT id, kind, observed_on, note, source, NULL FROM signal WHERE contact_id = ? "
            "UNION ALL SELECT id, kind, observed_on, note, source, 1 FROM signal "
            "WHERE company_id = ? ORDER BY 3 DESC",
            (contact_id, company_id if company_id is not None else -1),
        )
    ]
    return card
