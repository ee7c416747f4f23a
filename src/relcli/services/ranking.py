"""Today's list and the explanation of one contact's place in it (the fast read path).

Reads through ``store.reader`` on a stdlib sqlite3 connection; never imports the ORM.
"""

import dataclasses
import sqlite3
from collections import Counter
from dataclasses import dataclass, field

from relcli.domain import ranking
from relcli.domain.ranking import RankConfig, Score
from relcli.services import gc_pause
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
    considered: int  # contacts that may have a reason today
    scored: int = 0  # of those, how many had to be scored in full to be sure of the list
    excluded: Counter[str] = field(default_factory=Counter)  # among the scored
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


def _best(
    found: reader.Pool, ctx: Context, config: RankConfig, channel: str | None, cap: int
) -> tuple[list[reader.Candidate], list[Score]]:
    """Score candidates in the order of their upper bound, until no unscored one can enter.

    Returns the candidates it scored and their scores: every one that can be in the first
    ``cap`` rows, in the same order a full scoring would give (``tests/test_pruning.py``).
    """
    bounds = found.bounds(ctx.today, config)
    order = sorted(range(len(found.rows)), key=bounds.__getitem__, reverse=True)
    cands: list[reader.Candidate] = []
    scores: list[Score] = []
    listed: list[Score] = []
    step = max(4 * cap, 200)
    for start in range(0, len(order), step):
        batch = found.build(found.rows[i] for i in order[start : start + step])
        scored = _scores(batch, ctx, config, channel)
        cands += batch
        scores += scored
        listed += [sc for sc in scored if sc.is_listed(config)]
        following = start + step
        if len(listed) >= cap and following < len(order):
            nth = ranking.rank(listed, config, cap)[-1].total
            # A total is rounded to cents, so a bound must clear the n-th by more than that.
            if bounds[order[following]] + 0.005 < nth:
                break
    return cands, scores


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
    with gc_pause.paused():
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
    cap = limit if limit is not None else int(config["rank.list.limit"])
    found = reader.pool(conn, ctx.today, config, s.cadence_by_stage, s.cadence_by_tag)
    found = found.narrowed(tags or [], stages or [])
    scores: list[Score] | None = None
    if baseline is None:
        cands, scores = _best(found, ctx, config, channel, cap)
    else:  # a --set preview compares two rankings in full
        cands = found.build(found.rows)
        wider = reader.pool(conn, ctx.today, baseline, s.cadence_by_stage, s.cadence_by_tag)
        wider = wider.narrowed(tags or [], stages or [])
        known = {c.facts.id for c in cands}
        cands += [c for c in wider.build(wider.rows) if c.facts.id not in known]
    by_id = {c.facts.id: c for c in cands}
    if scores is None:
        scores = _scores(cands, ctx, config, channel)
    excluded = Counter(sc.excluded_by.name for sc in scores if sc.excluded_by)
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
        considered=len(found.rows),
        scored=len(scores),
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
    if not score.is_listed(s.rank):
        return Explanation(score, cand, None)
    with gc_pause.paused():
        ordered = _rivals(conn, ctx, score, channel)
    position = next(n for n, sc in enumerate(ordered, 1) if sc.contact_id == ref.id)
    tie_rule = tie_with = None
    for other in ordered[max(0, position - 2) : position + 1]:
        if other.contact_id == ref.id:
            continue
        first, second = (other, score) if sort_before(other, score) else (score, other)
        rule = ranking.tie_breaker(first, second)
        if rule:
            tie_rule, tie_with = rule, other.name
            break
    return Explanation(score, cand, position, tie_rule, tie_with)


def _rivals(conn: sqlite3.Connection, ctx: Context, me: Score, channel: str | None) -> list[Score]:
    """``me`` and every listed contact that could rank above or tie with it, best first.

    Only contacts whose upper bound reaches ``me``'s score are scored: the others cannot be
    ahead, so ``me``'s place is exact without scoring the whole book.
    """
    s = ctx.settings
    found = reader.pool(conn, ctx.today, s.rank, s.cadence_by_stage, s.cadence_by_tag)
    bounds = found.bounds(ctx.today, s.rank)
    close = [row for row, bound in zip(found.rows, bounds, strict=True)
             if bound + 0.005 >= me.total and row[0] != me.contact_id]  # fmt: skip
    scores = _scores(found.build(close), ctx, s.rank, channel)
    listed = [sc for sc in scores if sc.is_listed(s.rank)]
    return sorted([*listed, me], key=ranking.sort_key)


def sort_before(a: Score, b: Score) -> bool:
    return ranking.sort_key(a) < ranking.sort_key(b)
