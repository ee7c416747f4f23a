"""Schema step 5: a LinkedIn contact's source is its profile without 'https://www.'.

A book written before it must keep working: once upgraded, importing the same LinkedIn file
again adds nothing, and only LinkedIn profile sources change. A JSON book of schema 4 is read
with the same rule.
"""

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from relcli.domain.formats import book
from relcli.store import migrations
from tests.conftest import Relcli, ok

CONNECTIONS = (
    'Notes:\n"LinkedIn\'s note"\n\n'
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ann,Lee,https://www.linkedin.com/in/ann-lee,,Acme,CTO,05 Mar 2024\n"
    "Bo,Stone,https://www.linkedin.com/pub/bo-stone/1/2/3,,,,05 Mar 2024\n"
    "Cy,Park,https://example.com/cy,,,,05 Mar 2024\n"
)
# What relcli wrote before step 5, and what it writes now, for each contact.
OLD = [
    "linkedin:https://www.linkedin.com/in/ann-lee",
    "linkedin:https://www.linkedin.com/pub/bo-stone/1/2/3",
    "linkedin:https://example.com/cy",
    "json:linkedin:https://www.linkedin.com/in/dee",
    "google:https://www.linkedin.com/in/ann-lee",
    "linkedin:https://www.linkedin.community/x",
]
NEW = [
    "linkedin:linkedin.com/in/ann-lee",
    "linkedin:linkedin.com/pub/bo-stone/1/2/3",
    "linkedin:https://example.com/cy",
    "json:linkedin:linkedin.com/in/dee",
    "google:https://www.linkedin.com/in/ann-lee",
    "linkedin:https://www.linkedin.community/x",
]


def _sources(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [s for (s,) in conn.execute("SELECT source FROM contact ORDER BY id")]


def test_an_import_stores_the_short_form(relcli: Relcli, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(CONNECTIONS, encoding="utf-8")
    ok(relcli("import", "linkedin", str(path)))
    assert _sources(db_path) == NEW[:3]


def test_an_upgraded_book_keeps_its_linkedin_contacts(
    relcli: Relcli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A schema-4 book holding the old sources: the upgrade rewrites only LinkedIn profile
    sources, and the same file imported again is recognised row by row."""
    path = tmp_path / "Connections.csv"
    path.write_text(CONNECTIONS, encoding="utf-8")
    with monkeypatch.context() as old:
        old.setattr(migrations, "STEPS", migrations.STEPS[:4])
        old.setattr(migrations, "SCHEMA_VERSION", 4)
        ok(relcli("import", "linkedin", str(path)))
        ok(relcli("contact", "add", "Dee Ray"))
        ok(relcli("contact", "add", "Eve Ng"))
        ok(relcli("contact", "add", "Fay Ho"))
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (4,)
        conn.executemany("UPDATE contact SET source = ? WHERE id = ?",
                         [(source, n) for n, source in enumerate(OLD, start=1)])  # fmt: skip
        conn.commit()

    again = ok(relcli("import", "linkedin", str(path)))

    assert again.err.startswith("added 0, merged 0, unchanged 3, skipped 0")
    assert _sources(db_path) == NEW
    with closing(sqlite3.connect(db_path)) as conn:
        assert migrations.version(conn) == migrations.SCHEMA_VERSION


def test_a_schema_4_json_book_is_read_with_the_short_form(
    relcli: Relcli, db_path: Path, tmp_path: Path
) -> None:
    """An export made before step 5, imported into an empty book, then the LinkedIn file it
    came from: nothing is added twice."""
    path = tmp_path / "Connections.csv"
    path.write_text(CONNECTIONS, encoding="utf-8")
    ok(relcli("import", "linkedin", str(path)))
    document = json.loads(ok(relcli("export", "json", "-")).out)
    document["schema_version"] = 4
    for contact, source in zip(document["contacts"], OLD, strict=False):
        contact["source"] = source
    exported = tmp_path / "book.json"
    exported.write_text(json.dumps(document), encoding="utf-8")
    db_path.unlink()

    ok(relcli("import", "json", str(exported)))
    assert _sources(db_path) == NEW[:3]
    again = ok(relcli("import", "linkedin", str(path)))
    assert again.err.startswith("added 0, merged 0, unchanged 3, skipped 0")


@pytest.mark.parametrize(("old", "new"), list(zip(OLD, NEW, strict=True)))
def test_the_book_rule_is_the_migration_rule(old: str, new: str) -> None:
    assert book.current_source(old) == new
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.execute("CREATE TABLE contact (source TEXT)")
        conn.execute("INSERT INTO contact VALUES (?)", (old,))
        for statement in migrations.STEPS[4]:
            conn.execute(statement)
        assert conn.execute("SELECT source FROM contact").fetchone() == (new,)
