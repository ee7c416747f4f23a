"""The daily loop end to end, through main()."""

import json

from tests.conftest import Relcli


def test_add_log_and_today_lists_the_contact(relcli: Relcli) -> None:
    added = relcli("contact", "add", "Ann Lee", "--email", "ann@example.com", "--cadence", "14d")
    assert added.code == 0, added.err
    assert "added Ann Lee (#1)" in added.err
    logged = relcli("log", "ann", "intro call", "--on", "2026-11-01")
    assert logged.code == 0, logged.err
    today = relcli("today", "--format", "json")
    assert today.code == 0, today.err
    rows = json.loads(today.out)
    assert [r["name"] for r in rows] == ["Ann Lee"]
    assert rows[0]["why"] == "day 30 of 14-day cadence"
