"""An import reads, matches and writes a batch at a time, and holds only so many contacts'
profiles and name blocks in memory before it keeps the rest in temporary tables.

Neither may change a result: the same files imported with tiny batches and nothing held in
memory must give the same book, byte for byte, and the same summary as one big batch.
"""

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcli.services import imports
from tests.conftest import Relcli, dump, fresh_home, ok

NAMES = ["Ann Lee", "Ann Leee", "Anne Lee", "Bob Stone", "Bo Stone", "José Núñez", "Jose Nunez"]
COMPANIES = ["Acme", "ACME ", "Globex", ""]
EMAILS = ["ann@acme.example", "ANN@acme.example", "bob@globex.example", "jo@acme.example", ""]
PHONES = ["+1 415 555 0100", "+14155550100", "+44 20 7946 0958", ""]
URLS = ["https://www.linkedin.com/in/ann", "linkedin.com/in/Ann/", "https://www.linkedin.com/in/bob",
        "https://example.com/jose", ""]  # fmt: skip
TAGS = ["", "vip", "vip;beta"]

ROW = st.tuples(*(st.sampled_from(pool) for pool in (NAMES, COMPANIES, EMAILS, PHONES, URLS, TAGS)))


def _csv(rows: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Name", "Company", "Email", "Phone", "Website", "Tags"])
    writer.writerows(rows)
    return out.getvalue()


SEED = ("Seed Person", "Globex", "seed@globex.example", "", "", "")


def _book_after(
    relcli: Relcli, seed: str | None, rows: str, on_duplicate: str
) -> tuple[list[str], str]:
    """The book and the JSON summary after importing ``rows`` (into an empty book if there
    is no ``seed``)."""
    with fresh_home() as folder:
        (folder / "rows.csv").write_text(rows, encoding="utf-8")
        if seed is not None:
            (folder / "seed.csv").write_text(seed, encoding="utf-8")
            ok(relcli("import", "csv", str(folder / "seed.csv")))
        run = relcli("import", "csv", str(folder / "rows.csv"), "--on-duplicate", on_duplicate,
                     "--format", "json")  # fmt: skip
        assert run.code in (0, 65), run.err  # 65: nothing in the rows could be read
        return dump(folder / "home" / "relcli.db"), f"{run.code} {run.out}{run.err}"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.none() | st.lists(ROW, max_size=6),
    rows=st.lists(ROW, min_size=1, max_size=14),
    on_duplicate=st.sampled_from(["merge", "skip", "new"]),
    batch=st.integers(1, 4),
    kept=st.integers(0, 5),
)
def test_batches_and_spilled_keys_change_nothing(
    relcli: Relcli,
    monkeypatch: pytest.MonkeyPatch,
    seed: list[tuple[str, ...]] | None,
    rows: list[tuple[str, ...]],
    on_duplicate: str,
    batch: int,
    kept: int,
) -> None:
    """No seed: into an empty book, where the contact indexes are rebuilt at the end."""
    book = None if seed is None else _csv([SEED, *seed])
    whole = _book_after(relcli, book, _csv(rows), on_duplicate)
    with monkeypatch.context() as patch:
        patch.setattr(imports, "_BATCH", batch)
        patch.setattr(imports, "_KEPT", kept)
        cut = _book_after(relcli, book, _csv(rows), on_duplicate)
    assert cut[1] == whole[1]
    assert cut[0] == whole[0]
    if seed is None:
        with monkeypatch.context() as patch:
            patch.setattr(imports, "_REINDEX_EMPTY_BOOK", False)
            kept_indexes = _book_after(relcli, book, _csv(rows), on_duplicate)
        assert kept_indexes[1] == whole[1]
        assert sorted(kept_indexes[0]) == sorted(whole[0])  # the same rows, indexes and schema


def _linkedin(rows: list[tuple[str, str, str, str, str, str]]) -> str:
    out = io.StringIO()
    out.write('Notes:\n"LinkedIn\'s note"\n\n')  # the header is line 4, people from line 5
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
                     "Connected On"])  # fmt: skip
    for first, last, url, email, company, position in rows:
        writer.writerow([first, last, url, email, company, position, "05 Mar 2024"])
    return out.getvalue()


def test_duplicates_are_found_across_batches_and_after_the_held_keys_spill(
    relcli: Relcli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    """12,000 people (three batches of the real size), with the held keys capped at 4,000:
    the last batch's repeats of the first batch are matched to the right contacts, by
    profile, by email and by close name at one company."""
    monkeypatch.setattr(imports, "_KEPT", 4000)
    people = [(f"First{n}", f"Last{n}", f"https://www.linkedin.com/in/p{n}", "", f"Co{n % 300}",
               "Engineer") for n in range(12_000)]  # fmt: skip
    people[1] = ("Dana", "Park", "https://www.linkedin.com/in/dana", "dana@park.example", "", "")
    people[2] = ("Evan", "Stone", "https://www.linkedin.com/in/evan", "", "Umbrella", "")
    people[11_000] = ("First3", "Last3", "https://www.linkedin.com/in/P3/", "", "Co3", "")
    people[11_001] = ("Dana", "P", "https://www.linkedin.com/in/dana-p", "DANA@park.example",
                      "Park Labs", "")  # fmt: skip
    people[11_002] = ("Evann", "Stone", "", "", "umbrella", "CTO")  # close name, same company
    path = tmp_path / "Connections.csv"
    path.write_text(_linkedin(people), encoding="utf-8")

    run = ok(relcli("import", "linkedin", str(path), "--format", "json"))

    summary = json.loads(run.out)
    assert (summary["added"], summary["merged"], summary["unchanged"]) == (11_997, 2, 1)
    at = {c["where"]: c for c in summary["contacts"]}
    assert at["line 11005"]["action"] == "unchanged"  # P3/ is p3's profile, and no news
    assert at["line 11005"]["contact_id"] == at["line 8"]["contact_id"]
    dana, evan = at["line 11006"], at["line 11007"]
    assert (dana["action"], dana["contact_id"], dana["reason"]) == (
        "merged", at["line 6"]["contact_id"], "same email dana@park.example")  # fmt: skip
    assert (evan["action"], evan["contact_id"], evan["reason"]) == (
        "merged", at["line 7"]["contact_id"], "close name at umbrella")  # fmt: skip
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM contact").fetchone() == (11_997,)
    assert conn.execute("SELECT count(*) FROM contact_stats").fetchone() == (11_997,)
    assert conn.execute(
        "SELECT co.name, c.title FROM contact c JOIN company co ON co.id = c.company_id "
        "WHERE c.id IN (?, ?) ORDER BY c.id", (dana["contact_id"], evan["contact_id"])
    ).fetchall() == [("Park Labs", None), ("Umbrella", "CTO")]  # fmt: skip
    conn.close()


def test_the_json_summary_is_streamed_as_json_dumps_would_write_it(
    relcli: Relcli, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(_csv([("Ann Lee", "Acme", "ann@acme.example", "", "", "vip"),
                          ("", "", "", "", "", "vip"), ("Zoë Ünal", "", "", "+44 20 7946 0958", "", ""),
                          ("Ann Lee", "Acme", "ANN@acme.example", "+1 415 555 0100", "", "")]),
                    encoding="utf-8")  # fmt: skip
    run = ok(relcli("import", "csv", str(path), "--format", "json"))
    document = json.loads(run.out)
    assert run.out == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert [c["action"] for c in document["contacts"]] == ["added", "added", "merged"]
    assert document["skips"] == [
        {"where": "line 3", "reason": "no name, e-mail, phone or profile URL"}
    ]
    empty = tmp_path / "nobody.csv"
    empty.write_text(_csv([("Ann Lee", "Acme", "ann@acme.example", "", "", "")]), encoding="utf-8")
    again = ok(relcli("import", "csv", str(empty), "--format", "json"))
    assert again.out == json.dumps(json.loads(again.out), indent=2, ensure_ascii=False) + "\n"
    assert json.loads(again.out)["skips"] == []


def test_the_columns_an_import_may_leave_out_have_those_defaults(db_path: Path) -> None:
    """A batch's INSERT leaves out a column that every row leaves at imports._DEFAULTS; the
    schema must give it the same default."""
    from relcli.store import database

    conn = database.connect(db_path)
    assert conn is not None
    with conn:
        info = {row[1]: row[4] for row in conn.execute("PRAGMA table_info(contact)")}
        for n, value in imports._DEFAULTS.items():
            stored = conn.execute(f"SELECT {info[imports._CONTACT_COLUMNS[n]] or 'NULL'}")
            assert stored.fetchone()[0] == value, imports._CONTACT_COLUMNS[n]
    conn.close()
