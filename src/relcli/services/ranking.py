"""Today's list and the explanation of one contact's place in it (the fast read path).

Reads through ``store.reader`` on a stdlib sqlite3 connection; never imports the ORM.
"""

import dataclasses
import gc
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from relcli.domain import ranking
from relcli.domain.ranking import RankConfig, Score
from relcli.services.context import Context
from relcli.store import reader


def reach(channel: str | None, c: reader.Candidate) -> str | None:
    """The number or address for the suggested channel."""
    if channel is None:
        return None
    return {"call": c.phone, "text": c.phone, "email": c.email, "social": c.url}.get(
        channel, c.phone or c.email
    )


@dataclass(frozen=True)
class Row:
    rank: int
    score: Score
    candidate: reader.Candidate
    moved: int | None = None  # rank change against the saved settings, in a --set preview
    is_new: bool | None = None  # in a --set preview: not on the list with the saved settings

    @property
    def reach(self) -> str | None:
        return reach(self.score.channel, self.candidate)


@dataclass(frozen=True)
class Listing:
    rows: list[Row]
    contacts: int
    considered: int
    excluded: Counter[str] = field(default_factory=Counter)
    below_threshold: int = 0
    stale_stats: bool = False
    dropped: list[str] = field(default_factory=list)  # --set preview: off the list now


def _scores(
    candidates: list[reader.Candidate], ctx: Context, config: RankConfig, channel: str | None
) -> list[Score]:
    order = ctx.settings.channel_order
    return [
        ranking.score(c.facts, ctx.today, config, channel=channel, channel_order=order)
        for c in candidates
    ]


def _filtered(
    candidates: list[reader.Candidate], tags: list[str], stages: list[str]
) -> list[reader.Candidate]:
    return [
        c
        for c in candidates
        if all(t in c.facts.tags for t in tags) and (not stages or c.facts.stage in stages)
    ]


@contextmanager
def _without_gc() -> Iterator[None]:
    """Ranking makes many short-lived objects and no cycles: collecting would only cost time."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def today(
    conn: sqlite3.Connection,
    ctx: Context,
    *,
    limit: int | None = None,
    channel: str | None = None,
    tags: list[str] | None = None,
    stages: list[str] | None = None,
    baseline: RankConfig | None = None,
) -> Listing:
    """The ranked list; with ``baseline``, each row also says how far it moved against it."""
    with _without_gc():
        return _today(conn, ctx, limit=limit, channel=channel, tags=tags, stages=stages,
                      baseline=baseline)  # fmt: skip


def _today(
    conn: sqlite3.Connection,
    ctx: Context,
    *,
    limit: int | None,
    channel: str | None,
    tags: list[str] | None,
    stages: list[str] | None,
    baseline: RankConfig | None,
) -> Listing:
    s = ctx.settings
    config = s.rank
    cands = _filtered(
        reader.candidates(conn, ctx.today, config, s.cadence_by_stage, s.cadence_by_tag),
        tags or [],
        stages or [],
    )
    if baseline is not None:
        wider = _filtered(
            reader.candidates(conn, ctx.today, baseline, s.cadence_by_stage, s.cadence_by_tag),
            tags or [],
            stages or [],
        )
        known = {c.facts.id for c in cands}
        cands += [c for c in wider if c.facts.id not in known]
    by_id = {c.facts.id: c for c in cands}
    scores = _scores(cands, ctx, config, channel)
    excluded = Counter(sc.excluded_by.name for sc in scores if sc.excluded_by)
    cap = limit if limit is not None else int(config["rank.list.limit"])
    ordered = ranking.rank(scores, config, cap)
    below = sum(1 for sc in scores if sc.excluded_by is None and not sc.is_listed(config))
    before: dict[int, int] = {}
    if baseline is not None:
        before = {
            sc.contact_id: n
            for n, sc in enumerate(
                ranking.rank(_scores(cands, ctx, baseline, channel), baseline), 1
            )
        }
    rows = []
    for n, sc in enumerate(ordered[:cap], 1):
        moved = is_new = None
        if baseline is not None:
            was = before.get(sc.contact_id)
            is_new = was is None or was > cap
            moved = 0 if is_new or was is None else was - n
        rows.append(Row(n, sc, by_id[sc.contact_id], moved, is_new))
    shown = {row.score.contact_id for row in rows}
    names = {c.facts.id: c.facts.name for c in cands}
    dropped = [
        names[cid]
        for cid, n in sorted(before.items(), key=lambda kv: kv[1])
        if n <= cap and cid not in shown
    ]
    fingerprint = reader.stats_fingerprint(conn)
    return Listing(
        rows=rows,
        contacts=reader.count_contacts(conn),
        considered=len(cands),
        excluded=excluded,
        below_threshold=below,
        stale_stats=fingerprint is not None and fingerprint != config.fingerprint,
        dropped=dropped,
    )


@dataclass(frozen=True)
class Explanation:
    score: Score
    candidate: reader.Candidate
    rank: int | None
    listed: int
    tie_rule: str | None = None
    tie_with: str | None = None

    @property
    def reach(self) -> str | None:
        return reach(self.score.channel, self.candidate)


def why(
    conn: sqlite3.Connection, ctx: Context, text: str, *, channel: str | None = None
) -> Explanation:
    """One contact's full score, and where the same computation puts it in today's list."""
    s = ctx.settings
    ref = reader.find_one(conn, text)
    (cand,) = reader.candidates(
        conn, ctx.today, s.rank, s.cadence_by_stage, s.cadence_by_tag, contact_ids=[ref.id]
    )
    detail = reader.strength_detail(conn, ref.id, ctx.today)
    facts = dataclasses.replace(cand.facts, strength_detail=detail or None)
    cand = reader.Candidate(facts, cand.phone, cand.email, cand.url)
    score = ranking.score(facts, ctx.today, s.rank, channel=channel, channel_order=s.channel_order)
    listing = today(conn, ctx, limit=10**9, channel=channel)
    position = next((r.rank for r in listing.rows if r.score.contact_id == ref.id), None)
    tie_rule = tie_with = None
    if position is not None:
        rows = listing.rows
        me = rows[position - 1].score
        neighbours = (
            rows[position - 2] if position > 1 else None,
            rows[position] if position < len(rows) else None,
        )
        for row in neighbours:
            if row is None:
                continue
            other = row.score
            first, second = (other, me) if sort_before(other, me) else (me, other)
            rule = ranking.tie_breaker(first, second)
            if rule:
                tie_rule, tie_with = rule, other.name
                break
    return Explanation(score, cand, position, len(listing.rows), tie_rule, tie_with)


def sort_before(a: Score, b: Score) -> bool:
    return ranking.sort_key(a) < ranking.sort_key(b)
