"""Time whole processes: relcli today (or contact show) against a stdlib floor and Taskwarrior.

    python tests/benchmarks/bench_today.py                  # small book, 15 runs
    python tests/benchmarks/bench_today.py --size large --runs 9
    python tests/benchmarks/bench_today.py --what show      # relcli contact show '#ID'

Each run starts every process once, in alternating order, and the report is a Markdown table
of medians on stdout (progress goes to stderr). The book is generated once by generate.py and
cached under tests/benchmarks/data/ (gitignored), keyed by the generator's and schema's source.
Run it with the project's virtualenv: the relcli script next to sys.executable is what is timed.
"""

import argparse
import hashlib
import json
import os
import platform
import random
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
GENERATOR = HERE / "generate.py"
# What a cached book depends on besides the generator: the schema and the fold.
BOOK_INPUTS = (
    GENERATOR,
    HERE.parents[1] / "src" / "relcli" / "store" / "migrations.py",
    HERE.parents[1] / "src" / "relcli" / "store" / "stats.py",
    HERE.parents[1] / "src" / "relcli" / "domain" / "aggregates.py",
)
TASKS = 10_000
DEFAULT_TODAY = "2026-12-01"
STDERR_LINES_SHOWN = 40

# The floor for `today`: the same question answered over the same precomputed aggregates with
# nothing but the stdlib. It gates candidates with one query, scores them with the same
# reasons x weight shape (follow-up, reply owed, cadence, signals; strength, tier, tenure, deal)
# and prints the top N. It skips what relcli adds on top (channels, caps, config, rendering).
FLOOR_TODAY = r'''
import math, sqlite3, sys
from datetime import date, timedelta

path, today, limit = sys.argv[1], date.fromisoformat(sys.argv[2]), int(sys.argv[3])
conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
KINDS = {"pricing-request": (1.0, 7, 45), "demo-request": (1.0, 7, 45),
         "churn-risk": (1.0, 14, 90), "job-change": (0.9, 30, 120), "funding": (0.8, 30, 120),
         "promotion": (0.6, 30, 90), "exec-hire": (0.5, 21, 90), "intent-surge": (0.4, 7, 21),
         "web-visit": (0.3, 3, 14)}
TIER = {"A": 0.5, "B": 0.25, "C": 0.0}
FOLLOW_UP = ((-7.0, 0.0), (0.0, 0.7), (7.0, 1.0))
CADENCE = ((0.75, 0.0), (1.0, 0.2), (3.0, 1.0))

def ramp(x, pts):
    if x <= pts[0][0]:
        return pts[0][1]
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return pts[-1][1]

def day(text):
    return date.fromisoformat(text) if text else None

t = today.toordinal()
oldest = (today - timedelta(days=120)).isoformat()
signals = {}
for cid, coid, kind, observed in conn.execute(
        "SELECT contact_id, company_id, kind, observed_on FROM signal WHERE observed_on >= ?",
        (oldest,)):
    w, half, max_age = KINDS.get(kind, (0.5, 14, 60))
    age = t - date.fromisoformat(observed).toordinal()
    if 0 <= age <= max_age:
        key = ("contact", cid) if cid is not None else ("company", coid)
        signals.setdefault(key, []).append((kind, w * 2 ** (-age / half), observed))

rows = conn.execute("""
    SELECT c.id, c.name, c.company_id, c.cadence_days, c.tier, c.created_at,
           s.last_contact_on, s.last_outbound_on, s.next_follow_up_on, s.has_undated_follow_up,
           s.reply_owed_since, s.strength_ref, s.strength_day, s.first_contact_on, c.deal_value
    FROM contact c JOIN contact_stats s ON s.contact_id = c.id
    WHERE c.do_not_contact = 0 AND (c.snoozed_until IS NULL OR c.snoozed_until <= :today)
      AND (s.next_follow_up_on <= :horizon OR s.has_undated_follow_up = 1
           OR s.reply_owed_since IS NOT NULL
           OR c.id IN (SELECT contact_id FROM signal WHERE observed_on >= :oldest)
           OR c.company_id IN (SELECT company_id FROM signal WHERE observed_on >= :oldest)
           OR julianday(:today)
              - julianday(coalesce(s.last_contact_on, substr(c.created_at, 1, 10)))
              >= 0.75 * c.cadence_days)""",
    {"today": today.isoformat(), "horizon": (today + timedelta(days=7)).isoformat(),
     "oldest": oldest}).fetchall()

scored = []
for (cid, name, company_id, cadence, tier, created_at, last, last_out, due, undated, owed,
     s_ref, s_day, first, deal) in rows:
    follow_up = 0.3 if undated else 0.0
    if due:
        follow_up = max(follow_up, ramp(t - day(due).toordinal(), FOLLOW_UP))
    if owed:
        follow_up = max(follow_up, ramp(t - day(owed).toordinal() - 1, FOLLOW_UP))
    cad = 0.0
    if cadence:
        start = day(last) or day(created_at[:10])
        cad = ramp((t - start.toordinal()) / cadence, CADENCE)
    best = {}
    for key, factor in ((("contact", cid), 1.0), (("company", company_id), 0.5)):
        for kind, value, observed in signals.get(key, ()):
            value *= factor * (0.25 if last_out and last_out > observed else 1.0)
            best[kind] = max(best.get(kind, 0.0), value)
    sig = min(1.5, sum(best.values()))
    reasons = 12.0 * follow_up + 8.0 * cad + 10.0 * sig
    s = s_ref * 2 ** (-(t - s_day) / 90)
    weight = 1.0 + s / (s + 4.0) + TIER.get(tier, 0.0)
    if first:
        weight += 0.2 * min(1.0, (t - day(first).toordinal()) / 730)
    if deal:
        weight += 0.5 * min(1.0, math.log10(1 + deal / 1000) / 3)
    score = round(reasons * weight, 2)
    if score >= 1.0:
        scored.append((-score, name.casefold(), cid, name))
scored.sort()
for rank, (neg, _, cid, name) in enumerate(scored[:limit], start=1):
    print(f"{rank}\t{-neg:.2f}\t#{cid}\t{name}")
'''

# The floor for `contact show`: one contact's record, addresses, tags, aggregates, open
# follow-ups, recent signals and latest interactions, read with the stdlib.
FLOOR_SHOW = r"""
import sqlite3, sys

path, cid = sys.argv[1], int(sys.argv[2])
conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
row = conn.execute(
    "SELECT c.id, c.name, c.stage, c.tier, c.cadence_days, c.title, co.name, c.company_id "
    "FROM contact c LEFT JOIN company co ON co.id = c.company_id WHERE c.id = ?", (cid,)).fetchone()
print("\t".join("" if v is None else str(v) for v in row[:7]))
for (address,) in conn.execute(
        "SELECT address FROM contact_email WHERE contact_id = ? ORDER BY position", (cid,)):
    print(f"email\t{address}")
for (number,) in conn.execute(
        "SELECT number FROM contact_phone WHERE contact_id = ? ORDER BY position", (cid,)):
    print(f"phone\t{number}")
tags = [t for (t,) in conn.execute("SELECT tag FROM contact_tag WHERE contact_id = ?", (cid,))]
print("tags\t" + ",".join(tags))
stats = conn.execute("SELECT * FROM contact_stats WHERE contact_id = ?", (cid,)).fetchone()
print("stats\t" + "\t".join("" if v is None else str(v) for v in stats[1:]))
total = conn.execute("SELECT count(*) FROM interaction WHERE contact_id = ?", (cid,)).fetchone()[0]
print(f"interactions\t{total}")
for due, reason in conn.execute(
        "SELECT due_on, reason FROM follow_up WHERE contact_id = ? AND done_at IS NULL "
        "ORDER BY due_on", (cid,)):
    print(f"follow-up\t{due or ''}\t{reason or ''}")
for kind, observed, note in conn.execute(
        "SELECT kind, observed_on, note FROM signal WHERE contact_id = ? OR company_id = ? "
        "ORDER BY observed_on DESC LIMIT 10", (cid, row[7])):
    print(f"signal\t{kind}\t{observed}\t{note or ''}")
for at, channel, direction, outcome, summary in conn.execute(
        "SELECT at, channel, direction, outcome, summary FROM interaction WHERE contact_id = ? "
        "ORDER BY at DESC LIMIT 10", (cid,)):
    print(f"{at}\t{channel}\t{direction}\t{outcome or ''}\t{summary or ''}")
"""


@dataclass
class Probe:
    """One process to time, and what it measured."""

    label: str
    cmd: list[str]
    env: dict[str, str]
    times: list[float] = field(default_factory=list)
    lines: int = 0
    sample: list[str] = field(default_factory=list)


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def fail(probe: Probe, done: subprocess.CompletedProcess[bytes]) -> None:
    """Report a failed process with its stderr, and stop the benchmark with a non-zero exit."""
    note(f"\n{probe.label} failed with exit code {done.returncode}: {shlex.join(probe.cmd)}")
    err = done.stderr.decode(errors="replace").rstrip().splitlines()
    if len(err) > STDERR_LINES_SHOWN:
        note(f"  ... ({len(err) - STDERR_LINES_SHOWN} earlier lines of stderr left out)")
    for line in err[-STDERR_LINES_SHOWN:] or ["(nothing on stderr)"]:
        note(f"  | {line}")
    sys.exit(1)


def run(probe: Probe, *, record: bool) -> None:
    started = time.perf_counter()
    done = subprocess.run(
        probe.cmd, env=probe.env, stdin=subprocess.DEVNULL, capture_output=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        fail(probe, done)
    if record:
        probe.times.append(elapsed)
    out = done.stdout.decode(errors="replace").splitlines()
    probe.lines = len(out)
    probe.sample = out[:3]


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without relcli's or Taskwarrior's own settings, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("RELCLI_", "TASK")) and k not in ("NO_COLOR", "FORCE_COLOR")
    }
    # Time what an installed relcli does: it runs from compiled bytecode. Some machines set
    # PYTHONDONTWRITEBYTECODE, which would make every run compile relcli's sources again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(extra)
    return env


def digest(paths: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()[:10]


def ensure_book(size: str, today: date) -> Path:
    """The cached book for ``size`` and ``today``, generated first if missing or stale."""
    key = digest(BOOK_INPUTS)
    book = DATA / f"book-{size}-{today.isoformat()}-{key}.db"
    if book.exists():
        note(f"using the cached book {book.relative_to(HERE)}")
        return book
    DATA.mkdir(exist_ok=True)
    for stale in DATA.glob(f"book-{size}-*.db"):
        note(f"removing the stale book {stale.name}")
        for part in (
            stale,
            stale.with_name(stale.name + "-wal"),
            stale.with_name(stale.name + "-shm"),
        ):
            part.unlink(missing_ok=True)
    note(f"generating the {size} book (once; cached in {DATA.relative_to(HERE.parents[1])}/)")
    cmd = [sys.executable, str(GENERATOR), "--size", size, "--today", today.isoformat()]
    done = subprocess.run([*cmd, "--out", str(book)], stdin=subprocess.DEVNULL, check=False)
    if done.returncode != 0:
        note(f"generate.py failed with exit code {done.returncode}")
        sys.exit(1)
    return book


def task_stamp(day: date, hour: int = 12) -> str:
    return f"{day:%Y%m%d}T{hour:02d}0000Z"


def task_rows(count: int, today: date, seed: int = 20261201) -> list[dict[str, object]]:
    """A pending Taskwarrior list of ``count`` tasks, of the same shape every time."""
    rng = random.Random(seed)
    projects = ["sales", "sales.pipeline", "sales.renewals", "home", "admin", "hiring", "ops",
                "marketing", "marketing.events", "finance", "learning", "garden"]  # fmt: skip
    verbs = ["call", "email", "send", "review", "fix", "plan", "book", "renew", "draft", "pay"]
    things = ["the proposal", "invoice 42", "the quarterly report", "flights", "the roof",
              "a demo", "the contract", "onboarding notes", "the newsletter",
              "the budget"]  # fmt: skip
    tags = ["next", "waiting", "phone", "errand", "deep", "quick", "someday", "client"]
    rows: list[dict[str, object]] = []
    for _ in range(count):
        entered = today - timedelta(days=int(400 * rng.random() ** 1.5) + 1)
        row: dict[str, object] = {
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "status": "pending",
            "description": f"{rng.choice(verbs)} {rng.choice(things)}",
            "entry": task_stamp(entered, rng.randint(7, 19)),
            "modified": task_stamp(entered, 20),
        }
        if rng.random() < 0.8:
            row["project"] = rng.choice(projects)
        chosen = list(dict.fromkeys(rng.choice(tags) for _ in range(rng.randint(0, 3))))
        if chosen:
            row["tags"] = chosen
        if rng.random() < 0.4:
            row["priority"] = rng.choice(["H", "M", "L"])
        if rng.random() < 0.3:
            row["due"] = task_stamp(today + timedelta(days=rng.randint(-30, 60)), 17)
        if rng.random() < 0.1:
            row["annotations"] = [
                {"entry": task_stamp(entered, 21), "description": "left a voicemail"}
            ]
        rows.append(row)
    return rows


def ensure_tasks(today: date) -> dict[str, str] | None:
    """TASKRC/TASKDATA for a cached 10k-task list; None (with a note) without Taskwarrior."""
    task = shutil.which("task")
    if task is None:
        note("task (Taskwarrior) is not on PATH: its row is skipped")
        return None
    found = subprocess.run([task, "--version"], capture_output=True, text=True, check=False)
    major_minor = ".".join(found.stdout.strip().split(".")[:2]) or "0.0"
    key = hashlib.sha256(json.dumps([major_minor, task_rows(50, today)]).encode()).hexdigest()[:10]
    home = DATA / f"task-{TASKS}-{today.isoformat()}-{key}"
    env = clean_env(TASKRC=str(home / "taskrc"), TASKDATA=str(home / "data"))
    if (home / "ready").exists():
        return env
    shutil.rmtree(home, ignore_errors=True)
    (home / "data").mkdir(parents=True)
    # news.version: without it Taskwarrior nags about 'task news' on every command.
    (home / "taskrc").write_text(
        f"data.location={home / 'data'}\nconfirmation=off\nnews.version={major_minor}.0\n",
        encoding="utf-8",
    )
    source = home / "tasks.json"
    source.write_text(json.dumps(task_rows(TASKS, today)), encoding="utf-8")
    note(f"importing {TASKS:,} tasks into {home.relative_to(HERE.parents[1])} (once)")
    done = subprocess.run(
        [task, "import", str(source)], env=env, stdin=subprocess.DEVNULL,
        capture_output=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        fail(Probe("task import", [task, "import", str(source)], env), done)
    (home / "ready").touch()
    return env


def most_active_contact(book: Path) -> tuple[int, int]:
    conn = sqlite3.connect(f"file:{book}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT contact_id, count(*) FROM interaction GROUP BY contact_id "
            "ORDER BY count(*) DESC, contact_id LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return int(row[0]), int(row[1])


def describe_book(book: Path) -> str:
    conn = sqlite3.connect(f"file:{book}?mode=ro", uri=True)
    try:

        def count(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        parts = [
            f"{count('SELECT count(*) FROM contact'):,} contacts",
            f"{count('SELECT count(*) FROM company'):,} companies",
            f"{count('SELECT count(*) FROM interaction'):,} interactions",
            f"{count('SELECT count(*) FROM follow_up'):,} follow-ups "
            f"({count('SELECT count(*) FROM follow_up WHERE done_at IS NULL'):,} open)",
            f"{count('SELECT count(*) FROM signal'):,} signals",
        ]
    finally:
        conn.close()
    return ", ".join(parts) + f"; {book.stat().st_size / 1e6:.1f} MB"


def taskwarrior() -> str:
    task = shutil.which("task")
    if task is None:
        return "not on PATH: its row is skipped"
    found = subprocess.run([task, "--version"], capture_output=True, text=True, check=False)
    return found.stdout.strip() or "unknown version"


def machine() -> list[tuple[str, str]]:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        relcli_version = metadata.version("relcli")
    except metadata.PackageNotFoundError:
        relcli_version = "not installed as a distribution"
    return [
        ("python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("sqlite", sqlite3.sqlite_version),
        ("cpus", f"{os.cpu_count()} ({usable} usable)"),
        ("cpu", cpu),
        ("platform", platform.platform()),
        ("relcli", relcli_version),
        ("taskwarrior", taskwarrior()),
    ]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", choices=["small", "large"], default="small")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per process (default 15)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    parser.add_argument("--what", choices=["today", "show"], default="today")
    parser.add_argument(
        "--today", type=date.fromisoformat, default=date.fromisoformat(DEFAULT_TODAY)
    )
    parser.add_argument("-n", "--limit", type=int, default=25)
    parser.add_argument(
        "--today-via",
        choices=["flag", "env"],
        default="flag",
        help="give relcli the date as --today (default) or only as RELCLI_TODAY",
    )
    parser.add_argument(
        "--relcli",
        type=Path,
        default=Path(sys.executable).with_name("relcli"),
        help="the relcli script to time (default: the one next to this Python)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.runs < 1:
        note("--runs must be 1 or more")
        return 2
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("relcli")
    if spec and spec.submodule_search_locations:  # warm bytecode, as an installed package has
        for folder in spec.submodule_search_locations:
            compileall.compile_dir(folder, quiet=1)
    relcli: Path = args.relcli
    if not relcli.exists():
        note(f"no relcli script at {relcli}; install the project first: pip install -e '.[dev]'")
        return 1
    today: date = args.today
    cached = ensure_book(args.size, today)
    task_env = ensure_tasks(today)
    with tempfile.TemporaryDirectory(prefix="relcli-bench-") as tmp:
        # relcli may write to the file it opens (a migration, WAL files): time a copy.
        book = Path(tmp) / "book.db"
        shutil.copyfile(cached, book)
        home = Path(tmp) / "home"
        home.mkdir()
        relcli_env = clean_env(
            RELCLI_DB=str(book), RELCLI_HOME=str(home), RELCLI_TODAY=today.isoformat()
        )
        plain_env = clean_env()
        python = sys.executable
        startup = Probe(
            "`python -c pass` (interpreter start-up)", [python, "-c", "pass"], plain_env
        )
        if args.what == "today":
            cmd = ["today", "-n", str(args.limit), "--format", "plain"]
            if args.today_via == "flag":
                cmd = ["--today", today.isoformat(), *cmd]
            floor = Probe(
                "floor: stdlib sqlite3 ranked query over contact_stats",
                [python, "-c", FLOOR_TODAY, str(book), today.isoformat(), str(args.limit)],
                plain_env,
            )
            task_cmd = ["task", "next"]
            subject = f"`relcli today -n {args.limit}`"
        else:
            cid, interactions = most_active_contact(book)
            cmd = ["contact", "show", f"#{cid}"]
            floor = Probe(
                "floor: stdlib sqlite3 reads of one contact",
                [python, "-c", FLOOR_SHOW, str(book), str(cid)],
                plain_env,
            )
            task_cmd = ["task", "1", "information"]
            subject = f"`relcli contact show '#{cid}'` ({interactions:,} interactions)"
        target = Probe(f"`relcli {shlex.join(cmd)}`", [str(relcli), *cmd], relcli_env)
        probes = [startup, floor, target]
        if task_env is not None:
            label = f"`{shlex.join(task_cmd)}` (Taskwarrior, {TASKS:,} pending tasks)"
            probes.append(Probe(label, task_cmd, task_env))
        rounds = args.warmup + args.runs
        for i in range(rounds):
            note(f"round {i + 1}/{rounds}" + (" (warm-up)" if i < args.warmup else ""))
            # Alternate the order so neither side always runs on a cache the other warmed.
            for probe in probes if i % 2 == 0 else reversed(probes):
                run(probe, record=i >= args.warmup)
        book_text = describe_book(book)
    report(args, subject, book_text, probes, floor, target)
    return 0


def report(
    args: argparse.Namespace,
    subject: str,
    book_text: str,
    probes: list[Probe],
    floor: Probe,
    target: Probe,
) -> None:
    print(f"## {subject}: {args.size} book\n")
    print("| machine | |\n|---|---|")
    for name, value in machine():
        print(f"| {name} | {value} |")
    print(f"| book | {book_text} |")
    print(f"| runs | {args.runs} per process, alternating, after {args.warmup} warm-up round(s) |")
    print("\n| process | median s | min s | max s | stdout lines |\n|---|---:|---:|---:|---:|")
    for p in probes:
        print(
            f"| {p.label} | {statistics.median(p.times):.3f} | {min(p.times):.3f} | "
            f"{max(p.times):.3f} | {p.lines} |"
        )
    ratios = [r / f for r, f in zip(target.times, floor.times, strict=True)]
    print(f"\nMedian of the per-run ratios relcli / floor: **{statistics.median(ratios):.2f}x**")
    for p in probes[3:]:
        others = [t / f for t, f in zip(p.times, floor.times, strict=True)]
        print(f"(Taskwarrior / floor: {statistics.median(others):.2f}x)")
    print("\nFirst lines of output:\n")
    for p in probes[1:]:
        print(f"- {p.label}:")
        print("  ```")
        for line in p.sample or ["(no output)"]:
            print(f"  {line}")
        print("  ```")


if __name__ == "__main__":
    sys.exit(main())
