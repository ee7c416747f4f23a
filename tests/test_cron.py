"""What cron sees: the installed relcli script with a stripped environment and no terminal."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Relcli, ok

SCRIPT = Path(sys.executable).with_name("relcli")


def cron(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run like a crontab line: `env -i` with only PATH, HOME and relcli's variables."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home / "user"), "RELCLI_HOME": str(home),
           "RELCLI_TODAY": "2026-12-01"}  # fmt: skip
    return subprocess.run(
        ["env", "-i", *(f"{k}={v}" for k, v in env.items()), str(SCRIPT), *args],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="the relcli script is not installed")


@pytest.fixture
def book(relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Ann Lee", "--email", "ann@example.com", "--birthday", "--12-03"))
    ok(relcli("follow-up", "add", "ann", "today", "send the deck"))


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize("args", [("today", "--format", "plain"), ("remind",), ("today",)])
def test_read_commands_work_under_cron_without_escape_codes(
    isolated: Path, args: tuple[str, ...]
) -> None:
    run = cron(isolated, *args)
    assert run.returncode == 0, run.stderr
    assert "Ann Lee" in run.stdout
    assert "\x1b" not in run.stdout + run.stderr
    assert run.stderr == ""


def test_a_quiet_day_under_cron_prints_nothing(isolated: Path, relcli: Relcli) -> None:
    ok(relcli("contact", "add", "Ann Lee"))
    run = cron(isolated, "remind")
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


@pytest.mark.usefixtures("book")
def test_cron_never_prompts(isolated: Path) -> None:
    run = cron(isolated, "contact", "rm", "ann")
    assert run.returncode == 1
    assert "--yes" in run.stderr
    assert len(run.stderr.splitlines()) == 1
