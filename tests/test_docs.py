"""Docs that cannot drift: the CLI reference is regenerated, every ranking term is explained."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from relcli.domain import ranking

ROOT = Path(__file__).resolve().parents[1]


def generate_cli_reference(target: Path) -> str:
    env = {**os.environ, "COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"}
    typer = Path(sys.executable).with_name("typer")
    subprocess.run(
        [str(typer), "relcli.cli.app", "utils", "docs", "--name", "relcli", "--output", str(target)],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    return target.read_text()


def test_cli_reference_is_current(tmp_path: Path) -> None:
    fresh = generate_cli_reference(tmp_path / "cli.md")
    assert (ROOT / "docs" / "cli.md").read_text() == fresh, (
        "docs/cli.md is stale: typer relcli.cli.app utils docs --name relcli --output docs/cli.md"
    )


def test_every_ranking_term_and_key_is_explained_in_docs() -> None:
    text = (ROOT / "docs" / "ranking.md").read_text()
    terms = {"followup", "cadence", "signal", "signal cap", "strength", "tier", "tenure", "deal"}
    for term in terms:
        assert f"### {term}" in text or f"| {term} |" in text or f"`{term}`" in text, term
    for key in ranking.DEFAULTS:
        assert f"`{key}`" in text, f"{key} is missing from docs/ranking.md"


def test_every_term_the_scorer_emits_is_documented() -> None:
    facts = ranking.Facts(
        id=1, name="Ann", cadence_days=10, tier="A", deal_value=5000.0,
        follow_ups=(ranking.OpenFollowUp(1, None),),
        signals=tuple(ranking.SignalFact(i, k.name, date(2026, 12, 1))
                      for i, k in enumerate(ranking.BUILTIN_KINDS)),
    )  # fmt: skip
    score = ranking.score(facts, date(2026, 12, 1), ranking.RankConfig())
    text = (ROOT / "docs" / "ranking.md").read_text()
    for term in {t.name for t in (*score.reasons, *score.weights)}:
        assert term in text, term
