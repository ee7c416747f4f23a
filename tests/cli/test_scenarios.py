"""The scenario books of ranking-scenarios.json, built and ranked through the real CLI.

Every book is typed in the way a user would: ``contact add``, ``contact edit``, ``log``,
``signal add`` and ``follow-up add``, each with ``--today`` pinned to the day it happens,
never raw SQL. Then ``relcli --today <today> today --format json`` is checked against every
expectation of every run. ``must`` expectations are acceptance tests; ``should`` ones
follow RANKING.md and may be xfailed (strictly) when the design and the code disagree.

tests/data/ranking-scenarios.json is a verbatim copy of the shared file (CI runs from a
clean clone where ../shared may be absent); ``test_the_copy_matches_the_shared_file``
catches drift when both are present.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Relcli, Run

DATA = Path(__file__).resolve().parents[1] / "data" / "ranking-scenarios.json"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "ranking-scenarios.json"
BOOKS: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
SCENARIOS: list[dict[str, Any]] = BOOKS["scenarios"]
KINDS = ("before", "excluded", "included", "channel", "same_score", "stable_order", "tie_order")

# 'should' expectations the code does not meet yet, with the reason; each is reported.
# Keys are test ids (see _expectation_id). A 'must' expectation never goes here.
KNOWN_GAPS: dict[str, str] = {}


# --- building a book through the CLI ---------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One command, run on the day it happens (steps run in date order, stable)."""

    on: str
    args: tuple[str, ...]


def ok(run: Run, *what: str) -> Run:
    assert run.code == 0, f"relcli {' '.join(what)} failed ({run.code}): {run.err}"
    return run


def _contact_steps(n: int, c: dict[str, Any], today: str) -> Iterator[Step]:
    channels = set(c.get("channels") or [])
    add = ["contact", "add", c["name"], "--stage", c["kind"]]
    if channels & {"call", "text"}:
        add += ["--phone", f"+1 555 010 {2000 + n}"]
    if "email" in channels:
        add += ["--email", f"{c['id']}@example.com"]
    if c.get("cadence_days"):
        add += ["--cadence", f"{c['cadence_days']}d"]
    if c.get("tier"):
        add += ["--tier", c["tier"]]
    if c.get("preferred_channel"):
        add += ["--prefer", c["preferred_channel"]]
    if c.get("renewal_on"):
        add += ["--renewal", c["renewal_on"]]
    yield Step(c["created"], tuple(add))
    for channel in c.get("opted_out_channels") or []:
        yield Step(c["created"], ("contact", "edit", c["name"], "--opt-out", channel))
    if c.get("do_not_contact"):
        since = c.get("do_not_contact_since") or c["created"]
        yield Step(since, ("contact", "edit", c["name"], "--do-not-contact", "asked us to stop"))
    snoozed = c.get("snoozed_until")
    if snoozed and snoozed > today:  # a snooze that has ended changes nothing
        yield Step(today, ("contact", "edit", c["name"], "--snooze", snoozed))


def _interaction_args(name: str, i: dict[str, Any]) -> tuple[str, ...]:
    channel = {"meeting": "meeting", "call": "call", "email": "email", "text": "text"}[i["type"]]
    args = ["log", name]
    if i.get("note"):
        args.append(i["note"])
    args += ["--channel", channel]
    if i.get("direction") == "inbound":
        args.append("--in")
    if i.get("outcome"):
        args += ["--outcome", i["outcome"]]
    return (*args, "--on", i["date"])


def steps(scenario: dict[str, Any], today: str) -> list[Step]:
    """Every command that builds the scenario's book, in the order they are run."""
    names = {c["id"]: c["name"] for c in scenario["contacts"]}
    plan: list[Step] = []
    for n, c in enumerate(scenario["contacts"]):
        plan.extend(_contact_steps(n, c, today))
    for f in scenario.get("followups") or []:
        assert f.get("status", "open") == "open", (
            f"follow-up status {f['status']!r} is not modelled"
        )
        args = ["follow-up", "add", names[f["contact"]], f["due"] or "none"]
        if f.get("note"):
            args.append(f["note"])
        plan.append(Step(f.get("created") or f["due"], tuple(args)))
    for i in scenario.get("interactions") or []:
        plan.append(Step(today, _interaction_args(names[i["contact"]], i)))
    for s in scenario.get("signals") or []:
        args = ["signal", "add", names[s["contact"]], s["type"]]
        if s.get("note"):
            args.append(s["note"])
        plan.append(Step(today, (*args, "--on", s["date"])))
    return sorted(plan, key=lambda step: step.on)  # stable: same-day steps keep their order


def write_config(home: Path, scenario: dict[str, Any]) -> None:
    """Scenario-level settings as [rank] keys in RELCLI_HOME/config.toml."""
    lines = []
    cap = (scenario.get("config") or {}).get("frequency_cap")
    if cap:
        lines += [
            f"cap.max_outbound = {int(cap['max_outbound_touches'])}",
            f'cap.window = "{int(cap["window_days"])}d"',
        ]
    unknown = set(scenario.get("config") or {}) - {"frequency_cap"}
    assert not unknown, f"scenario config {sorted(unknown)} is not modelled"
    if lines:
        home.mkdir(parents=True, exist_ok=True)
        (home / "config.toml").write_text("[rank]\n" + "\n".join(lines) + "\n", encoding="utf-8")


def build(relcli: Relcli, home: Path, scenario: dict[str, Any]) -> None:
    today = scenario.get("today") or BOOKS["today"]
    write_config(home, scenario)
    for step in steps(scenario, today):
        ok(relcli("--today", step.on, *step.args), "--today", step.on, *step.args)


def listing(relcli: Relcli, scenario: dict[str, Any], run: dict[str, Any]) -> list[dict[str, Any]]:
    today = scenario.get("today") or BOOKS["today"]
    args = ["--today", today, "today", "--format", "json", "--limit", "1000"]
    if (run.get("options") or {}).get("channel"):
        args += ["--channel", run["options"]["channel"]]
    unknown = set(run.get("options") or {}) - {"channel"}
    assert not unknown, f"run options {sorted(unknown)} are not modelled"
    rows: list[dict[str, Any]] = json.loads(ok(relcli(*args), *args).out)
    return rows


# --- expectations ----------------------------------------------------------------------------


def _who(item: dict[str, Any], *keys: str) -> list[str]:
    for key in keys:
        if key in item:
            value = item[key]
            return list(value) if isinstance(value, list) else [value]
    raise AssertionError(f"expectation {item} names none of {keys}")


def _label(kind: str, item: dict[str, Any]) -> str:
    if kind == "before":
        return f"{item['higher']}>{item['lower']}"
    if kind == "channel":
        return f"{item['contact']}={item['channel']}"
    if kind in ("same_score", "tie_order"):
        return ",".join(_who(item, "contacts", "order"))
    if kind == "stable_order":
        return "twice"
    return str(item["contact"])


def _expectation_id(
    scenario: dict[str, Any], run: dict[str, Any], kind: str, item: dict[str, Any]
) -> str:
    return f"{scenario['id'].split('-')[0]}/{run['id']}/{item.get('level', 'must')}/{kind} {_label(kind, item)}"


def _cases() -> Iterator[Any]:
    for scenario in SCENARIOS:
        for run in scenario["runs"]:
            for kind, items in run["expect"].items():
                assert kind in KINDS, f"{scenario['id']}/{run['id']}: unknown expectation {kind!r}"
                for item in items if isinstance(items, list) else [items]:
                    test_id = _expectation_id(scenario, run, kind, item)
                    marks = []
                    if test_id in KNOWN_GAPS:
                        assert item.get("level") == "should", f"{test_id}: a must is never xfailed"
                        marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[test_id]))
                    yield pytest.param(scenario, run, kind, item, id=test_id, marks=marks)


def _position(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {row["name"]: n for n, row in enumerate(rows)}


def check(
    kind: str,
    item: dict[str, Any],
    rows: list[dict[str, Any]],
    names: dict[str, str],
    again: list[dict[str, Any]],
) -> None:
    """Assert one expectation against the rows of ``today --format json``."""
    at = _position(rows)
    shown = [(r["rank"], r["name"], r["score"], r["channel"]) for r in rows]
    if kind == "before":
        higher, lower = names[item["higher"]], names[item["lower"]]
        assert higher in at, f"{higher} is not listed: {shown}"
        assert lower not in at or at[higher] < at[lower], (
            f"{lower} is listed above {higher}: {shown}"
        )
    elif kind == "excluded":
        assert names[item["contact"]] not in at, f"{names[item['contact']]} is listed: {shown}"
    elif kind == "included":
        assert names[item["contact"]] in at, f"{names[item['contact']]} is not listed: {shown}"
    elif kind == "channel":
        name = names[item["contact"]]
        assert name in at, f"{name} is not listed: {shown}"
        assert rows[at[name]]["channel"] == item["channel"], shown
    elif kind == "same_score":
        who = [names[c] for c in _who(item, "contacts", "order")]
        assert all(n in at for n in who), f"not all of {who} are listed: {shown}"
        scores = {rows[at[n]]["score"] for n in who}
        assert len(scores) == 1, f"{who} have scores {scores}: {shown}"
    elif kind == "tie_order":
        who = [names[c] for c in _who(item, "order", "contacts")]
        assert all(n in at for n in who), f"not all of {who} are listed: {shown}"
        assert sorted(who, key=at.__getitem__) == who, f"tied order is not {who}: {shown}"
    elif kind == "stable_order":
        assert [r["name"] for r in rows] == [r["name"] for r in again], (
            "two runs gave different orders"
        )
    else:  # pragma: no cover - _cases refuses unknown kinds
        raise AssertionError(kind)


@pytest.mark.parametrize(("scenario", "run", "kind", "item"), list(_cases()))
def test_scenario_expectation(
    relcli: Relcli,
    isolated: Path,
    scenario: dict[str, Any],
    run: dict[str, Any],
    kind: str,
    item: dict[str, Any],
) -> None:
    build(relcli, isolated, scenario)
    rows = listing(relcli, scenario, run)
    again = listing(relcli, scenario, run) if kind == "stable_order" else rows
    names = {c["id"]: c["name"] for c in scenario["contacts"]}
    check(kind, item, rows, names, again)


@pytest.mark.parametrize(
    ("scenario", "run"),
    [
        pytest.param(s, r, id=f"{s['id'].split('-')[0]}/{r['id']}")
        for s in SCENARIOS
        for r in s["runs"]
    ],
)
def test_every_run_ranks_the_same_twice(
    relcli: Relcli, isolated: Path, scenario: dict[str, Any], run: dict[str, Any]
) -> None:
    """The convention 'stable_order' holds for every run, even where it is not spelled out."""
    build(relcli, isolated, scenario)
    first, second = listing(relcli, scenario, run), listing(relcli, scenario, run)
    assert first == second


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s["id"].split("-")[0]) for s in SCENARIOS])
def test_why_agrees_with_the_list(relcli: Relcli, isolated: Path, scenario: dict[str, Any]) -> None:
    """For each scenario book, ``why`` gives every listed contact the rank and score of ``today``."""
    build(relcli, isolated, scenario)
    today = scenario.get("today") or BOOKS["today"]
    for row in listing(relcli, scenario, {"id": "default"}):
        args = ("--today", today, "why", f"#{row['contact_id']}", "--format", "json")
        why = json.loads(ok(relcli(*args), *args).out)
        assert (why["rank"], why["score"], why["channel"]) == (
            row["rank"],
            row["score"],
            row["channel"],
        )


def test_the_book_is_built_only_from_known_expectations() -> None:
    assert BOOKS["schema_version"] == 1
    assert len(list(_cases())) == sum(
        len(v) if isinstance(v, list) else 1
        for s in SCENARIOS
        for r in s["runs"]
        for v in r["expect"].values()
    )
    ids = [p.id for p in _cases()]
    assert len(ids) == len(set(ids)), "two expectations share a test id"
    assert set(KNOWN_GAPS) <= set(ids), "a KNOWN_GAPS entry names no expectation"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is not checked out beside this clone")
def test_the_copy_matches_the_shared_file() -> None:
    assert DATA.read_bytes() == SHARED.read_bytes(), (
        "copy /work/shared/ranking-scenarios.json to tests/data/"
    )
