"""relcli company add|list|show|edit, through main()."""

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Relcli, dump, ok

Db = Callable[[str], list[tuple[object, ...]]]


def test_add_stores_the_company_and_confirms_on_stderr(relcli: Relcli, db: Db) -> None:
    added = relcli(
        "company", "add", "Acme Corp", "--domain", "acme.example", "--note", "HQ in Lyon"
    )
    assert (added.code, added.out, added.err) == (0, "", "added Acme Corp (#1)\n")
    assert db("SELECT name, name_key, domain, notes FROM company") == [
        ("Acme Corp", "acme corp", "acme.example", "HQ in Lyon")
    ]


def test_add_with_json_prints_the_company(relcli: Relcli) -> None:
    added = ok(relcli("company", "add", "Acme Corp", "--format", "json"))
    assert json.loads(added.out) == {
        "id": 1, "name": "Acme Corp", "domain": None, "notes": None, "primary_contact_id": None,
        "contacts": [], "signals": [],
    }  # fmt: skip
    assert added.err == "added Acme Corp (#1)\n"


def test_a_second_company_of_the_same_name_is_refused(relcli: Relcli, db_path: Path) -> None:
    ok(relcli("company", "add", "Acme Corp"))
    before = dump(db_path)
    again = relcli("company", "add", "ACME corp")
    assert (again.code, again.out) == (1, "")
    assert "'ACME corp' already exists" in again.err
    assert len(again.err.splitlines()) == 1
    assert dump(db_path) == before


def test_list_counts_contacts(relcli: Relcli) -> None:
    ok(relcli("company", "add", "Globex", "--domain", "globex.example"))
    ok(relcli("contact", "add", "Ann Lee", "--company", "Acme"))
    ok(relcli("contact", "add", "Bob Okafor", "--company", "acme"))
    ok(relcli("contact", "add", "Cy Twombly"))
    listed = ok(relcli("company", "list", "--format", "plain"))
    assert listed.out.splitlines() == ["2\tAcme\t\t2", "1\tGlobex\tglobex.example\t0"]
    rows = json.loads(ok(relcli("company", "list", "--format", "json")).out)
    assert rows == [
        {"id": 2, "name": "Acme", "domain": None, "contacts": 2},
        {"id": 1, "name": "Globex", "domain": "globex.example", "contacts": 0},
    ]


def test_list_of_an_empty_book_is_empty(relcli: Relcli, db_path: Path) -> None:
    listed = ok(relcli("company", "list"))
    assert listed.out == ""
    assert not db_path.exists()


def test_show_lists_contacts_and_signals(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Bob Okafor", "--company", "Northwind Labs", "--title", "VP"))
    ok(
        relcli(
            "signal", "add", "--company", "Northwind", "exec-hire", "new CIO", "--on", "2026-11-20"
        )
    )
    shown = ok(relcli("company", "show", "northwind"))
    assert shown.out.splitlines() == [
        "Northwind Labs (#1)",
        "Contacts",
        "  #1  Bob Okafor  VP  lead",
        "Signals",
        "  #1  2026-11-20  exec-hire  new CIO",
    ]
    data = json.loads(ok(relcli("company", "show", "#1", "--format", "json")).out)
    assert data["contacts"] == [{"id": 1, "name": "Bob Okafor", "title": "VP", "stage": "lead"}]
    assert data["signals"] == [
        {"id": 1, "kind": "exec-hire", "observed_on": "2026-11-20", "note": "new CIO"}
    ]


def test_edit_renames_and_sets_domain_and_notes(relcli: Relcli, db: Db) -> None:
    ok(relcli("company", "add", "Acme"))
    edited = relcli("company", "edit", "acme", "--name", "Acme Inc", "--domain", "acme.io",
                    "--note", "renewal in May")  # fmt: skip
    assert (edited.code, edited.out, edited.err) == (0, "", "updated Acme Inc (#1)\n")
    assert db("SELECT name, name_key, domain, notes FROM company") == [
        ("Acme Inc", "acme inc", "acme.io", "renewal in May")
    ]


def test_primary_must_work_at_the_company(relcli: Relcli, db: Db, db_path: Path) -> None:
    ok(relcli("contact", "add", "Ann Lee", "--company", "Acme"))
    ok(relcli("contact", "add", "Bob Okafor", "--company", "Globex"))
    edited = ok(relcli("company", "edit", "acme", "--primary", "ann", "--format", "json"))
    assert json.loads(edited.out)["primary_contact_id"] == 1
    assert "(primary)" in ok(relcli("company", "show", "acme")).out
    before = dump(db_path)
    refused = relcli("company", "edit", "acme", "--primary", "bob", "--domain", "acme.example")
    assert (refused.code, refused.out) == (1, "")
    assert "Bob Okafor does not work at Acme" in refused.err
    assert "hint:" in refused.err
    assert len(refused.err.splitlines()) == 1
    assert dump(db_path) == before
    assert db("SELECT primary_contact_id, domain FROM company WHERE id = 1") == [(1, None)]


def test_unknown_and_ambiguous_companies(relcli: Relcli, db_path: Path) -> None:
    ok(relcli("company", "add", "Acme North"))
    ok(relcli("company", "add", "Acme South"))
    before = dump(db_path)
    missing = relcli("company", "edit", "initech", "--domain", "x.example")
    assert (missing.code, missing.out) == (3, "")
    assert "'initech'" in missing.err
    several = relcli("company", "edit", "acme", "--domain", "x.example")
    assert (several.code, several.out) == (4, "")
    assert "#1 Acme North" in several.err
    assert "#2 Acme South" in several.err
    assert len(several.err.splitlines()) == 1
    assert dump(db_path) == before
