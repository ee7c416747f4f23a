"""relcli signal add|list|rm|kinds, through main(). Today is Tuesday 2026-12-01."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Relcli, dump, ok

Db = Callable[[str], list[tuple[object, ...]]]
BUILT_IN = ("pricing-request", "demo-request", "churn-risk", "job-change", "funding", "promotion",
            "exec-hire", "intent-surge", "web-visit")  # fmt: skip


@pytest.fixture(autouse=True)
def people(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Bob Okafor", "--company", "Northwind Labs"))
    ok(relcli("contact", "add", "Ann Lee"))


def test_add_on_a_contact_defaults_to_today(relcli: Relcli, db: Db) -> None:
    added = relcli("signal", "add", "bob", "funding", "Series", "B")
    assert (added.code, added.out) == (0, "")
    assert added.err == "added signal #1: funding for Bob Okafor\n"
    assert db("SELECT contact_id, company_id, kind, observed_on, note, source FROM signal") == [
        (1, None, "funding", "2026-12-01", "Series B", None)
    ]


def test_add_with_on_and_source_and_json(relcli: Relcli) -> None:
    added = ok(relcli("signal", "add", "bob", "Job-Change", "joined Northwind", "--on", "fri",
                      "--source", "https://news.example/bob", "--format", "json"))  # fmt: skip
    assert json.loads(added.out) == {
        "id": 1, "kind": "job-change", "observed_on": "2026-11-27", "contact_id": 1,
        "company_id": None, "about": "Bob Okafor", "note": "joined Northwind",
        "source": "https://news.example/bob",
    }  # fmt: skip


def test_add_on_a_company_applies_to_its_contacts(relcli: Relcli, db: Db) -> None:
    added = ok(relcli("signal", "add", "--company", "northwind", "exec-hire", "new CIO"))
    assert added.err == "added signal #1: exec-hire for Northwind Labs\n"
    assert db("SELECT contact_id, company_id, kind, note FROM signal") == [
        (None, 1, "exec-hire", "new CIO")
    ]
    shown = json.loads(ok(relcli("contact", "show", "bob", "--format", "json")).out)
    assert [(s["kind"], s["via_company"]) for s in shown["signals"]] == [("exec-hire", 1)]


def test_a_signal_in_the_future_is_refused(relcli: Relcli, db_path: Path) -> None:
    before = dump(db_path)
    refused = relcli("signal", "add", "bob", "funding", "--on", "2026-12-05")
    assert (refused.code, refused.out) == (1, "")
    assert "in the future" in refused.err
    assert len(refused.err.splitlines()) == 1
    assert dump(db_path) == before


def test_a_contact_and_a_company_at_once_is_refused(relcli: Relcli, db_path: Path) -> None:
    before = dump(db_path)
    refused = relcli("signal", "add", "bob", "funding", "--company", "Northwind")
    assert (refused.code, refused.out) == (2, "")
    assert "not both" in refused.err
    assert len(refused.err.splitlines()) == 1
    assert dump(db_path) == before


@pytest.fixture
def observed(relcli: Relcli) -> None:
    ok(
        relcli("signal", "add", "bob", "web-visit", "pricing page", "--on", "2026-11-01")
    )  # 30d: expired
    ok(relcli("signal", "add", "ann", "funding", "Series A", "--on", "2026-11-20"))
    ok(
        relcli(
            "signal", "add", "--company", "Northwind", "exec-hire", "new CIO", "--on", "2026-11-25"
        )
    )


@pytest.mark.usefixtures("observed")
def test_list_shows_active_signals_newest_first(relcli: Relcli) -> None:
    listed = ok(relcli("signal", "list", "--format", "plain"))
    assert listed.out.splitlines() == [
        "3\t2026-11-25\texec-hire\tNorthwind Labs (company)\tnew CIO",
        "2\t2026-11-20\tfunding\tAnn Lee\tSeries A",
    ]


@pytest.mark.usefixtures("observed")
def test_list_all_includes_expired_ones(relcli: Relcli) -> None:
    rows = json.loads(ok(relcli("signal", "list", "--all", "--format", "json")).out)
    assert [(r["id"], r["is_active"], r["age_days"]) for r in rows] == [
        (3, True, 6), (2, True, 11), (1, False, 30)
    ]  # fmt: skip
    assert set(rows[0]) == {"id", "kind", "observed_on", "age_days", "contact_id", "contact",
                            "company_id", "company", "note", "source", "is_active"}  # fmt: skip


@pytest.mark.usefixtures("observed")
def test_rm_removes_a_signal(relcli: Relcli, db: Db, db_path: Path) -> None:
    removed = relcli("signal", "rm", "2")
    assert (removed.code, removed.out, removed.err) == (0, "", "removed signal #2\n")
    assert db("SELECT id FROM signal ORDER BY id") == [(1,), (3,)]
    before = dump(db_path)
    again = relcli("signal", "rm", "2")
    assert (again.code, again.out) == (3, "")
    assert again.err.startswith("relcli: no signal #2")
    assert dump(db_path) == before


def test_kinds_lists_the_built_in_kinds_with_weight_and_half_life(relcli: Relcli) -> None:
    listed = ok(relcli("signal", "kinds", "--format", "plain"))
    lines = [line.split("\t") for line in listed.out.splitlines()]
    assert tuple(cells[0] for cells in lines) == BUILT_IN
    assert lines[BUILT_IN.index("funding")][:3] == ["funding", "0.80", "30"]
    rows = json.loads(ok(relcli("signal", "kinds", "--format", "json")).out)
    funding = next(r for r in rows if r["kind"] == "funding")
    assert funding == {"kind": "funding", "weight": 0.8, "half_life_days": 30, "max_age_days": 120,
                       "description": "raised a funding round"}  # fmt: skip


def test_a_kind_defined_in_config_toml_appears_and_can_be_used(
    relcli: Relcli, isolated: Path, db: Db
) -> None:
    (isolated / "config.toml").write_text(
        '[rank.signal.board-seat]\nweight = 0.7\nhalf_life = "10d"\n', encoding="utf-8"
    )
    rows = json.loads(ok(relcli("signal", "kinds", "--format", "json")).out)
    mine = next(r for r in rows if r["kind"] == "board-seat")
    assert (mine["weight"], mine["half_life_days"]) == (0.7, 10)
    assert [r["kind"] for r in rows][: len(BUILT_IN)] == list(BUILT_IN)
    ok(relcli("signal", "add", "ann", "board-seat", "joined the board"))
    assert db("SELECT kind FROM signal") == [("board-seat",)]


def test_an_unknown_kind_lists_the_known_ones(relcli: Relcli, db_path: Path) -> None:
    before = dump(db_path)
    refused = relcli("signal", "add", "ann", "board-seat")
    assert (refused.code, refused.out) == (2, "")
    assert "'board-seat'" in refused.err
    assert "funding" in refused.err
    assert len(refused.err.splitlines()) == 1
    assert dump(db_path) == before
