"""A big file is read by a forked reader process while the import writes (services/read_ahead).

It must change nothing a user can see: the same book, byte for byte, and the same summary as
reading in-process; the same error, exit code and untouched book when the file turns out bad
half-way; and no reader process left behind, however the command ends.
"""

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcli.errors import RelcliError
from relcli.services import imports, read_ahead
from tests.conftest import Relcli, dump, fresh_home, ok

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures"
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]


def _linkedin(rows: list[list[str]]) -> str:
    out = io.StringIO()
    out.write('Notes:\n"LinkedIn\'s note"\n\n')
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def _people(count: int) -> list[list[str]]:
    """Connections with everything an import meets: repeats of a profile (in another form),
    shared emails, close names at one company, hidden profiles, non-ASCII names."""
    rows = []
    for n in range(count):
        first, last = ("José", "Núñez") if n % 7 == 0 else (f"First{n % 50}", f"Last{n % 40}")
        url = f"https://www.linkedin.com/in/p{n}" if n % 11 else ""
        email = f"p{n % 300}@acme.example" if n % 5 == 0 else ""
        rows.append([first, last, url, email, f"Co{n % 30}", "Engineer", "05 Mar 2024"])
    rows[3] = ["", "", "", "", "", "", ""]  # a hidden profile: skipped
    rows[-1] = ["First1", "Last1", "linkedin.com/in/P1/", "", "co1", "CTO", "Mar 6, 2024"]
    return rows


@contextmanager
def _forks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The pids of the reader processes forked while the block runs."""
    pids: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            pids.append(pid)
        return pid

    with monkeypatch.context() as patch:
        patch.setattr(os, "fork", fork)
        yield pids


def _import(relcli: Relcli, monkeypatch: pytest.MonkeyPatch, *args: str, ahead: bool) -> Any:
    """Run an import with the reader process forced on or off; the run and the forks."""
    with _forks(monkeypatch) as pids, monkeypatch.context() as patch:
        patch.setattr(read_ahead, "MIN_BYTES", 0 if ahead else 1 << 62)
        run = relcli("import", *args)
    assert len(pids) == (1 if ahead else 0)
    for pid in pids:  # reaped: waitpid finds no such child any more
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    return run


def _both_ways(
    relcli: Relcli, monkeypatch: pytest.MonkeyPatch, write: Callable[[Path], list[str]]
) -> None:
    """The book and JSON summary, read ahead and in-process, must be the same."""
    results = []
    for ahead in (True, False):
        with fresh_home() as folder:
            args = write(folder)
            run = _import(relcli, monkeypatch, *args, "--format", "json", ahead=ahead)
            assert run.code in (0, 65), run.err
            assert "Traceback" not in run.err
            book = folder / "home" / "relcli.db"
            results.append((run.code, run.out, run.err, dump(book) if book.exists() else None))
    assert results[0] == results[1]


def test_a_linkedin_file_gives_the_same_book_both_ways(
    relcli: Relcli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """3,000 people: several frames and batches, merges by profile, email and close name."""
    monkeypatch.setattr(read_ahead, "_CHUNK", 97)  # frames end inside batches

    def write(folder: Path) -> list[str]:
        (folder / "seed.csv").write_text("Name,Company,Email\nAnn Lee,Co3,p5@acme.example\n")
        ok(relcli("import", "csv", str(folder / "seed.csv")))
        (folder / "c.csv").write_text(_linkedin(_people(3000)), encoding="utf-8")
        return ["linkedin", str(folder / "c.csv"), "--tag", "conf-2026", "--stage", "prospect"]

    _both_ways(relcli, monkeypatch, write)


SOURCES = {"vcards": "vcard", "google": "google", "outlook": "outlook", "linkedin": "linkedin",
           "csv-other": "csv"}  # fmt: skip
EVERY_FIXTURE = sorted(
    (SOURCES[path.parent.name], path)
    for path in FIXTURES.glob("*/*")
    if path.parent.name in SOURCES and path.suffix in (".csv", ".vcf")
)


@pytest.mark.parametrize(("source", "path"), EVERY_FIXTURE, ids=lambda v: getattr(v, "name", v))
def test_every_fixture_gives_the_same_book_both_ways(
    relcli: Relcli, monkeypatch: pytest.MonkeyPatch, source: str, path: Path
) -> None:
    _both_ways(relcli, monkeypatch, lambda _folder: [source, str(path)])


def test_every_fixture_is_compared() -> None:
    assert len(EVERY_FIXTURE) >= 35


ROW = st.lists(
    st.sampled_from(["Ann", "Ann ", "José", "", "Lee", "Núñez", "https://www.linkedin.com/in/a",
                     "linkedin.com/in/A/", "a@x.example", "A@X.example", "Acme", "acme", "x\ty",
                     "05 Mar 2024", "not a date"]),
    min_size=0, max_size=8,
)  # fmt: skip


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, min_size=0, max_size=30), chunk=st.integers(1, 4))
def test_random_files_give_the_same_book_both_ways(
    relcli: Relcli, monkeypatch: pytest.MonkeyPatch, rows: list[list[str]], chunk: int
) -> None:
    """Short and long rows, skips, merges, and files in which nothing can be read (65)."""
    with monkeypatch.context() as patch:
        patch.setattr(read_ahead, "_CHUNK", chunk)
        patch.setattr(imports, "_BATCH", 3)

        def write(folder: Path) -> list[str]:
            (folder / "c.csv").write_text(_linkedin(rows), encoding="utf-8")
            return ["linkedin", str(folder / "c.csv")]

        _both_ways(relcli, monkeypatch, write)


def test_a_file_that_turns_out_bad_half_way_fails_as_it_does_in_process(
    relcli: Relcli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader meets, after 2,000 good rows, a quote that is never closed: the same
    one-line error and exit code 65 both ways, and the book as it was."""
    after = "".join(",".join(row) + "\n" for row in _people(300)[:-1])  # no quote in them
    rows = _linkedin(_people(2000)) + 'Ann,"Lee,,,,\n' + after
    runs = []
    for ahead in (True, False):
        with fresh_home() as folder:
            ok(relcli("contact", "add", "Seed Person"))
            before = dump(folder / "home" / "relcli.db")
            (folder / "c.csv").write_text(rows, encoding="utf-8")
            runs.append(
                _import(relcli, monkeypatch, "linkedin", str(folder / "c.csv"), ahead=ahead)
            )
            assert dump(folder / "home" / "relcli.db") == before
    assert runs[0] == runs[1]
    assert runs[0].code == 65
    assert "never closed" in runs[0].err
    assert "Traceback" not in runs[0].err


def test_a_reader_killed_half_way_changes_nothing(
    relcli: Relcli, monkeypatch: pytest.MonkeyPatch, db_path: Path, tmp_path: Path
) -> None:
    ok(relcli("contact", "add", "Seed Person"))
    before = dump(db_path)
    path = tmp_path / "c.csv"
    path.write_text(_linkedin(_people(3000)), encoding="utf-8")
    packed = read_ahead._packed
    seen = [0]

    def dies(item: Any, region: str | None) -> Any:  # runs in the reader process
        seen[0] += 1
        if seen[0] == 2500:
            os.kill(os.getpid(), signal.SIGKILL)
        return packed(item, region)

    monkeypatch.setattr(read_ahead, "_packed", dies)
    run = _import(relcli, monkeypatch, "linkedin", str(path), ahead=True)
    assert run.code == 1
    assert "the process reading the file stopped before its end; nothing was changed" in run.err
    assert "Traceback" not in run.err
    assert dump(db_path) == before


def test_a_bug_in_the_reader_is_raised_with_its_traceback_and_changes_nothing(
    relcli: Relcli, monkeypatch: pytest.MonkeyPatch, db_path: Path, tmp_path: Path
) -> None:
    ok(relcli("contact", "add", "Seed Person"))
    before = dump(db_path)
    path = tmp_path / "c.csv"
    path.write_text(_linkedin(_people(3000)), encoding="utf-8")
    packed = read_ahead._packed
    seen = [0]

    def breaks(item: Any, region: str | None) -> Any:  # runs in the reader process
        seen[0] += 1
        if seen[0] == 2500:
            raise KeyError("a bug")
        return packed(item, region)

    monkeypatch.setattr(read_ahead, "_packed", breaks)
    with pytest.raises(RuntimeError, match=r"(?s)reader process failed:.*KeyError: 'a bug'"):
        _import(relcli, monkeypatch, "linkedin", str(path), ahead=True)
    assert dump(db_path) == before


def test_the_reader_is_stopped_when_the_import_fails_early(
    relcli: Relcli, monkeypatch: pytest.MonkeyPatch, db_path: Path, tmp_path: Path
) -> None:
    """The writer fails after its first batch while the reader still has most of a big file
    to read: the reader is killed and reaped (_import checks), and nothing is written."""
    ok(relcli("contact", "add", "Seed Person"))
    before = dump(db_path)
    path = tmp_path / "c.csv"
    path.write_text(_linkedin(_people(40_000)), encoding="utf-8")
    batch = imports._Importer._batch

    def fails(self: Any, items: Any) -> bool:
        batch(self, items)
        raise RelcliError("the writer gave up")

    monkeypatch.setattr(imports._Importer, "_batch", fails)
    run = _import(relcli, monkeypatch, "linkedin", str(path), ahead=True)
    assert (run.code, run.err.strip()) == (1, "relcli: the writer gave up")
    assert dump(db_path) == before


def test_the_installed_script_reads_a_big_file_ahead(tmp_path: Path) -> None:
    """The real entry point, on a file over the size where it forks: the same summary and
    book as the same import through main() with the reader process switched off."""
    path = tmp_path / "Connections.csv"
    path.write_text(_linkedin(_people(15_000)), encoding="utf-8")
    assert path.stat().st_size >= read_ahead.MIN_BYTES
    inline = ("import sys; from relcli.services import read_ahead; read_ahead.MIN_BYTES = 1 << 62; "
              "from relcli.cli import main; sys.exit(main(sys.argv[1:]))")  # fmt: skip
    commands = {"ahead": [str(Path(sys.executable).with_name("relcli"))],
                "inline": [sys.executable, "-c", inline]}  # fmt: skip
    results = []
    for name, command in commands.items():
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
               "RELCLI_HOME": str(tmp_path / name), "RELCLI_TODAY": "2026-12-01", "TZ": "UTC"}  # fmt: skip
        done = subprocess.run([*command, "import", "linkedin", str(path)], env=env,
                              capture_output=True, text=True, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        results.append((done.stdout, done.stderr, dump(tmp_path / name / "relcli.db")))
    assert results[0] == results[1]
    added = int(results[0][1].split(",")[0].removeprefix("added "))
    conn = sqlite3.connect(tmp_path / "ahead" / "relcli.db")
    assert conn.execute("SELECT count(*) FROM contact").fetchone() == (added,)
    conn.close()
    assert added > 10_000


def test_small_files_and_stdin_are_read_in_process(
    relcli: Relcli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "c.csv"
    path.write_text(_linkedin(_people(50)), encoding="utf-8")
    with _forks(monkeypatch) as pids:
        ok(relcli("import", "linkedin", str(path)))
        ok(relcli("import", "linkedin", "-", stdin=_linkedin(_people(60))))
    assert pids == []
    assert json.loads(ok(relcli("contact", "list", "--format", "json")).out)
