"""Ranking by upper bound gives exactly the list a full scoring gives, on generated books."""

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from relcli.config import Settings
from relcli.domain import ranking
from relcli.services import ranking as listing
from relcli.services.context import Context
from relcli.store import database, reader
from tests.benchmarks import generate

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module", params=[1, 2, 3])
def book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("book") / "book.db"
    args = ["--contacts", "600", "--interactions", "6000", "--follow-ups", "900",
            "--signals", "400", "--seed", str(request.param), "--out", str(out)]  # fmt: skip
    assert generate.main(args) == 0
    return out


def full_ranking(path: Path, config: ranking.RankConfig, limit: int) -> list[tuple[int, float]]:
    conn = database.connect(path, create=False)
    assert conn is not None
    every = reader.candidates(conn, TODAY, config, {}, {})
    scores = [ranking.score(c.facts, TODAY, config) for c in every]
    return [(s.contact_id, s.total) for s in ranking.rank(scores, config)[:limit]]


@pytest.mark.parametrize("limit", [1, 5, 25, 200])
@pytest.mark.parametrize("overrides", [{}, {"rank.signal.coefficient": "2"},
                                       {"rank.followup.coefficient": "30"}])  # fmt: skip
def test_pruned_list_equals_the_full_ranking(
    book: Path, limit: int, overrides: dict[str, str]
) -> None:
    config = ranking.RankConfig.from_overrides(overrides)
    ctx = Context(today=TODAY, now=database_now(), settings=Settings(rank=config))
    conn = database.connect(book, create=False)
    assert conn is not None
    shown = listing.today(conn, ctx, limit=limit)
    assert [(r.score.contact_id, r.score.total) for r in shown.rows] == full_ranking(
        book, config, limit
    )
    if limit <= 25:
        assert shown.scored < shown.considered, (shown.scored, shown.considered)  # it pruned


def test_the_bound_is_never_below_the_score(book: Path) -> None:
    config = ranking.RankConfig()
    conn = database.connect(book, create=False)
    assert conn is not None
    found = reader.pool(conn, TODAY, config, {"customer": 30}, {"vip": 7})
    bounds = found.bounds(TODAY, config)
    built = found.build(found.rows)
    assert len(built) == len(bounds) > 100
    for bound, cand in zip(bounds, built, strict=True):
        total = ranking.score(cand.facts, TODAY, config).total
        assert bound + 0.005 >= total, cand.facts.name


def database_now() -> datetime:
    return datetime.combine(TODAY, time(12, 0)).astimezone().astimezone(UTC)
