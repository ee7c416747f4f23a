"""relcli contact add|list|show|edit|rm, through main(), as a user types them."""

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_bad_input import built_once
from tests.conftest import Relcli, Run, ok

Db = Callable[[str], list[tuple[object, ...]]]


def card(relcli: Relcli, contact: str) -> dict[str, Any]:
    shown = ok(relcli("contact", "show", contact, "--format", "json"))
    data: dict[str, Any] = json.loads(shown.out)
    return data


def plain_ids(run: Run) -> list[int]:
    return [int(line.split("\t")[0]) for line in run.out.splitlines()]


# --- contact add -------------------------------------------------------------------------------


def test_add_with_every_flag_stores_all_of_it_and_prints_the_card_as_json(
    relcli: Relcli, db: Db
) -> None:
    added = relcli(
        "contact", "add", "José Núñez",
        "--email", "jose@solar.example", "--email", "jn@home.example",
        "--phone", "+1 555 010 2030", "--phone", "555-0199",
        "--company", "Solar Andes", "--title", "CFO", "--tag", "vip", "--tag", "LatAm",
        "--stage", "prospect", "--cadence", "2w", "--tier", "a", "--prefer", "email",
        "--renewal", "dec 20", "--birthday", "1985-02-03", "--note", "met at the summit",
        "--url", "https://linkedin.example/jose", "--min-gap", "3d", "--deal", "12000",
        "--format", "json",
    )  # fmt: skip
    assert added.code == 0, added.err
    assert added.err == "added José Núñez (#1)\n"
    shown = json.loads(added.out)
    assert shown["id"] == 1
    assert shown["name"] == "José Núñez"
    assert shown["emails"] == ["jose@solar.example", "jn@home.example"]
    assert shown["phones"] == ["+1 555 010 2030", "555-0199"]
    assert shown["company"] == "Solar Andes"
    assert shown["title"] == "CFO"
    assert shown["tags"] == ["latam", "vip"]
    assert (shown["stage"], shown["tier"], shown["cadence_days"]) == ("prospect", "A", 14)
    assert shown["preferred_channel"] == "email"
    assert shown["renewal_on"] == "2026-12-20"
    assert shown["birthday"] == "1985-02-03"
    assert shown["notes"] == "met at the summit"
    assert shown["url"] == "https://linkedin.example/jose"
    assert shown["min_gap_days"] == 3
    assert shown["deal_value"] == 12000.0
    assert db("SELECT name, name_key FROM company") == [("Solar Andes", "solar andes")]
    assert db(
        "SELECT c.name_key, co.name FROM contact c JOIN company co ON co.id = c.company_id"
    ) == [("jose nunez", "Solar Andes")]
    assert db("SELECT address, position FROM contact_email ORDER BY position") == [
        ("jose@solar.example", 0),
        ("jn@home.example", 1),
    ]


def test_add_without_json_prints_only_the_confirmation(relcli: Relcli, db: Db) -> None:
    added = relcli("contact", "add", "Ann Lee")
    assert (added.code, added.out, added.err) == (0, "", "added Ann Lee (#1)\n")
    assert db("SELECT name, stage, cadence_days FROM contact") == [("Ann Lee", "lead", None)]


@pytest.mark.parametrize(("span", "days"), [("14d", 14), ("2w", 14), ("30", 30)])
def test_cadence_spans(relcli: Relcli, db: Db, span: str, days: int) -> None:
    ok(relcli("contact", "add", "Ann Lee", "--cadence", span))
    assert db("SELECT cadence_days FROM contact") == [(days,)]


def test_birthday_without_a_year(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Ann Lee", "--birthday", "--02-03"))
    assert card(relcli, "ann")["birthday"] == "--02-03"


def test_company_is_reused_whatever_the_case_and_accents(relcli: Relcli, db: Db) -> None:
    ok(relcli("contact", "add", "Ann Lee", "--company", "Société Générale"))
    ok(relcli("contact", "add", "Bob Okafor", "--company", "societe generale"))
    assert db("SELECT id, name FROM company") == [(1, "Société Générale")]
    assert db("SELECT company_id FROM contact ORDER BY id") == [(1,), (1,)]


# --- contact list ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_once(
        tmp_path_factory,
        ("contact", "add", "Ann Lee", "-e", "ann@acme.example", "--company", "Acme",
         "--tag", "vip", "--stage", "customer", "--tier", "A"),
        ("contact", "add", "Bob Okafor", "--company", "Northwind", "--tag", "vip",
         "--stage", "prospect", "--title", "VP Engineering"),
        ("contact", "add", "Cy Twombly", "--stage", "former", "--tag", "churned"),
        ("contact", "add", "José Núñez", "--company", "Acme Andes", "--stage", "prospect"),
    )  # fmt: skip


@pytest.fixture
def book(template: Path, isolated: Path) -> None:
    """Four contacts; ids in the order added."""
    shutil.copytree(template, isolated)


@pytest.mark.usefixtures("book")
def test_plain_list_is_tab_separated_without_a_header(relcli: Relcli) -> None:
    listed = ok(relcli("contact", "list", "--format", "plain"))
    assert listed.err == ""
    lines = listed.out.splitlines()
    assert lines == [
        "1\tAnn Lee\tAcme\tcustomer\tann@acme.example\t\tvip",
        "2\tBob Okafor\tNorthwind\tprospect\t\t\tvip",
        "3\tCy Twombly\t\tformer\t\t\tchurned",
        "4\tJosé Núñez\tAcme Andes\tprospect\t\t\t",
    ]


@pytest.mark.usefixtures("book")
def test_list_in_a_pipe_is_plain(relcli: Relcli) -> None:
    assert ok(relcli("contact", "list")).out == ok(relcli("contact", "list", "-f", "plain")).out


@pytest.mark.usefixtures("book")
def test_json_list_has_the_documented_keys(relcli: Relcli) -> None:
    rows = json.loads(ok(relcli("contact", "list", "--format", "json")).out)
    assert len(rows) == 4
    assert set(rows[0]) == {
        "id", "name", "company", "title", "stage", "tier", "cadence_days", "preferred_channel",
        "email", "phone", "tags", "do_not_contact", "snoozed_until", "last_contact_on",
    }  # fmt: skip
    assert rows[0]["tags"] == ["vip"]
    assert rows[0]["do_not_contact"] is False


@pytest.mark.parametrize(
    ("words", "ids"),
    [
        (["tag:vip"], [1, 2]),
        (["stage:prospect"], [2, 4]),
        (["-stage:prospect"], [1, 3]),
        (["tag:vip", "-stage:customer"], [2]),
        (["tag:vip -stage:customer"], [2]),
        (["-tag:vip"], [3, 4]),
        (["company:acme"], [1, 4]),
        (["-company:acme"], [2, 3]),
        (["tier:a"], [1]),
        (["okafor"], [2]),
        (["jose"], [4]),
        (["engineering"], [2]),
        (["acme", "andes"], [4]),
        (["--tag", "vip"], [1, 2]),
        (["--stage", "former"], [3]),
        (["--tag", "vip", "--stage", "prospect"], [2]),
        (["tag:vip", "--limit", "1"], [1]),
        (["-n", "3"], [1, 2, 3]),
        (["--", "-stage:former"], [1, 2, 4]),
        (["nobody"], []),
    ],
)
@pytest.mark.usefixtures("book")
def test_list_filters(relcli: Relcli, words: list[str], ids: list[int]) -> None:
    listed = ok(relcli("contact", "list", "--format", "plain", *words))
    assert plain_ids(listed) == ids
    assert listed.err == ""


def test_list_of_an_empty_book_is_empty(relcli: Relcli, isolated: Any) -> None:
    listed = ok(relcli("contact", "list"))
    assert listed.out == ""
    assert not (isolated / "relcli.db").exists()


# --- contact show ------------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["4", "#4", "jn@solar.example", "JN@Solar.Example", "jose",
                                 "JOSÉ", "núñez", "nunez", "José Núñez", "jose nunez"])  # fmt: skip
@pytest.mark.usefixtures("book")
def test_show_finds_by_id_email_and_any_part_of_the_name(relcli: Relcli, ref: str) -> None:
    ok(relcli("contact", "edit", "4", "--email", "jn@solar.example"))
    shown = ok(relcli("contact", "show", ref, "--format", "json"))
    assert json.loads(shown.out)["id"] == 4
    assert shown.err == ""


@pytest.mark.usefixtures("book")
def test_show_as_text_is_a_card(relcli: Relcli) -> None:
    shown = ok(relcli("contact", "show", "ann"))
    lines = shown.out.splitlines()
    assert lines[0] == "Ann Lee (#1)"
    assert "  Acme" in lines
    assert "  stage customer, tier A" in lines
    assert "  email   ann@acme.example" in lines
    assert "Policy" in lines


def test_an_exact_full_name_wins_over_partial_matches(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    ok(relcli("contact", "add", "Ann Leeson"))
    assert card(relcli, "ann lee")["id"] == 1


def test_hash_id_is_always_an_id(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Agent 12"))
    assert card(relcli, "12")["name"] == "Agent 12"  # no contact #12: falls back to the name
    shown = relcli("contact", "show", "#12")
    assert (shown.code, shown.out) == (3, "")


# --- contact edit ------------------------------------------------------------------------------


@pytest.mark.usefixtures("book")
def test_edit_changes_fields_and_adds_channels(relcli: Relcli, db: Db) -> None:
    edited = relcli(
        "contact", "edit", "ann", "--name", "Ann B. Lee", "--title", "COO", "--stage", "partner",
        "--tier", "b", "--cadence", "30d", "--prefer", "call", "--email", "ann@home.example",
        "--phone", "+44 20 7946 0000", "--tag", "referrer", "--company", "Globex",
        "--renewal", "2027-01-15", "--note", "likes mornings", "--min-gap", "1w", "--deal", "500",
    )  # fmt: skip
    assert (edited.code, edited.out, edited.err) == (0, "", "updated Ann B. Lee (#1)\n")
    shown = card(relcli, "#1")
    assert shown["name"] == "Ann B. Lee"
    assert (shown["title"], shown["stage"], shown["tier"]) == ("COO", "partner", "B")
    assert (shown["cadence_days"], shown["preferred_channel"]) == (30, "call")
    assert shown["emails"] == ["ann@acme.example", "ann@home.example"]
    assert shown["phones"] == ["+44 20 7946 0000"]
    assert shown["tags"] == ["referrer", "vip"]
    assert shown["company"] == "Globex"
    assert (shown["renewal_on"], shown["notes"]) == ("2027-01-15", "likes mornings")
    assert (shown["min_gap_days"], shown["deal_value"]) == (7, 500.0)
    assert db("SELECT name_key FROM contact WHERE id = 1") == [("ann b. lee",)]


@pytest.mark.usefixtures("book")
def test_edit_with_json_prints_the_changed_card(relcli: Relcli) -> None:
    edited = ok(relcli("contact", "edit", "bob", "--stage", "customer", "--format", "json"))
    assert json.loads(edited.out)["stage"] == "customer"
    assert edited.err == "updated Bob Okafor (#2)\n"


@pytest.mark.usefixtures("book")
def test_opt_out_and_opt_in(relcli: Relcli, db: Db) -> None:
    ok(relcli("contact", "edit", "ann", "--opt-out", "call", "--opt-out", "text"))
    assert card(relcli, "ann")["opted_out_channels"] == ["call", "text"]
    ok(relcli("contact", "edit", "ann", "--opt-in", "call"))
    assert card(relcli, "ann")["opted_out_channels"] == ["text"]
    assert db("SELECT contact_id, channel FROM contact_opt_out") == [(1, "text")]


@pytest.mark.usefixtures("book")
def test_do_not_contact_and_allow_contact(relcli: Relcli) -> None:
    ok(relcli("contact", "edit", "ann", "--do-not-contact", "asked by email"))
    shown = card(relcli, "ann")
    assert shown["do_not_contact"] is True
    assert shown["do_not_contact_reason"] == "asked by email"
    assert shown["do_not_contact_since"] == "2026-12-01"
    assert "DO NOT CONTACT" in ok(relcli("contact", "show", "ann")).out
    ok(relcli("contact", "edit", "ann", "--allow-contact"))
    shown = card(relcli, "ann")
    assert (shown["do_not_contact"], shown["do_not_contact_reason"]) == (False, None)
    assert shown["do_not_contact_since"] is None


@pytest.mark.usefixtures("book")
def test_snooze_and_unsnooze(relcli: Relcli) -> None:
    ok(relcli("contact", "edit", "ann", "--snooze", "fri"))  # today is Tuesday 2026-12-01
    assert card(relcli, "ann")["snoozed_until"] == "2026-12-04"
    ok(relcli("contact", "edit", "ann", "--unsnooze"))
    assert card(relcli, "ann")["snoozed_until"] is None


@pytest.mark.usefixtures("book")
def test_remove_email_phone_and_tag(relcli: Relcli, db: Db) -> None:
    ok(relcli("contact", "edit", "ann", "--email", "a2@x.example", "--phone", "555 0100",
              "--tag", "renewal"))  # fmt: skip
    ok(relcli("contact", "edit", "ann", "--remove-email", "ANN@acme.example",
              "--remove-phone", "(555) 0100", "--remove-tag", "vip"))  # fmt: skip
    shown = card(relcli, "ann")
    assert (shown["emails"], shown["phones"], shown["tags"]) == (["a2@x.example"], [], ["renewal"])
    assert db("SELECT address FROM contact_email") == [("a2@x.example",)]


@pytest.mark.usefixtures("book")
def test_removing_what_is_not_there_is_an_error_and_changes_nothing(relcli: Relcli, db: Db) -> None:
    before = db("SELECT * FROM contact_email")
    run = relcli("contact", "edit", "ann", "--remove-email", "bob@x.example", "--title", "CEO")
    assert run.code == 1
    assert run.out == ""
    assert "'bob@x.example'" in run.err
    assert len(run.err.splitlines()) == 1
    assert db("SELECT * FROM contact_email") == before
    assert db("SELECT title FROM contact WHERE id = 1") == [(None,)]


def test_no_cadence_clears_it(relcli: Relcli, db: Db) -> None:
    ok(relcli("contact", "add", "Ann Lee", "--cadence", "14d"))
    ok(relcli("contact", "edit", "ann", "--no-cadence"))
    assert db("SELECT cadence_days FROM contact") == [(None,)]


@pytest.mark.usefixtures("book")
def test_moving_to_another_company_ends_being_the_old_ones_primary(relcli: Relcli, db: Db) -> None:
    ok(relcli("company", "edit", "acme", "--primary", "ann"))
    assert db("SELECT primary_contact_id FROM company WHERE name = 'Acme'") == [(1,)]
    ok(relcli("contact", "edit", "ann", "--company", "Globex"))
    assert db("SELECT primary_contact_id FROM company WHERE name = 'Acme'") == [(None,)]


# --- contact rm --------------------------------------------------------------------------------


@pytest.fixture
def history(relcli: Relcli) -> None:
    """Use after ``book``: Ann's interactions, follow-ups, signals and channels."""
    ok(relcli("log", "ann", "intro call", "--on", "2026-11-20", "--next", "fri"))
    ok(relcli("follow-up", "add", "ann", "+3d", "send the deck"))
    ok(relcli("signal", "add", "ann", "funding", "Series B"))
    ok(relcli("contact", "edit", "ann", "--opt-out", "text", "--phone", "555 0101"))


@pytest.mark.usefixtures("book", "history")
def test_rm_with_yes_removes_the_contact_and_their_history(relcli: Relcli, db: Db) -> None:
    ok(relcli("company", "edit", "acme", "--primary", "ann"))
    removed = relcli("contact", "rm", "ann", "--yes")
    assert (removed.code, removed.out, removed.err) == (0, "", "removed Ann Lee (#1)\n")
    for table in ("interaction", "follow_up", "signal", "contact_email", "contact_phone",
                  "contact_tag", "contact_opt_out", "contact_stats"):  # fmt: skip
        assert db(f"SELECT count(*) FROM {table} WHERE contact_id = 1") == [(0,)], table
    assert db("SELECT id FROM contact ORDER BY id") == [(2,), (3,), (4,)]
    assert db("SELECT primary_contact_id FROM company WHERE name = 'Acme'") == [(None,)]
    assert relcli("contact", "show", "#1").code == 3


@pytest.mark.usefixtures("book", "history")
def test_rm_without_yes_in_a_pipe_is_refused(relcli: Relcli, db: Db) -> None:
    before = db("SELECT count(*) FROM interaction")
    refused = relcli("contact", "rm", "ann", stdin="y\n")
    assert refused.code == 1
    assert refused.out == ""
    assert len(refused.err.splitlines()) == 1
    assert "Ann Lee (#1)" in refused.err
    assert "--yes" in refused.err
    assert db("SELECT count(*) FROM contact") == [(4,)]
    assert db("SELECT count(*) FROM interaction") == before
