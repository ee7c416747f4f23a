"""Time `relcli import linkedin` on a generated Connections.csv against a stdlib floor.

    python tests/benchmarks/bench_import.py                  # 50,000 rows, 5 runs
    python tests/benchmarks/bench_import.py --rows 20000 --runs 3
    python tests/benchmarks/bench_import.py --big-rows 0     # skip the 200,000-row memory run

The file is generated once per (rows, seed, generator source) and cached under
tests/benchmarks/data/ (gitignored). Each run starts both processes once, in alternating
order, each into a fresh folder: the floor (the csv module and stdlib sqlite3, executemany in
one transaction) and the whole `relcli import linkedin FILE` process with a fresh RELCLI_HOME.
The report is a Markdown table on stdout (progress goes to stderr): rows per second, the
ratio, and the peak RSS of each process (from wait4). A last relcli run on a bigger file
shows whether memory grows with the file. Run it with the project's virtualenv: the relcli
script next to sys.executable is what is timed.
"""

import argparse
import csv
import hashlib
import io
import json
import os
import platform
import random
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
DEFAULT_ROWS = 50_000
BIG_ROWS = 200_000
SEED = 20261201
TODAY = "2026-12-01"
STDERR_LINES_SHOWN = 40
TARGET_SHARE = 0.2  # the issue: relcli at least a fifth of the floor's rate
BOUNDED_BYTES_PER_ROW = 64  # more than this per extra row: memory grows with the file

PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)


def words(text: str) -> list[str]:
    return text.split()


HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]

FIRST_NAMES = words("""
James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard
Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty
Anthony Sandra Mark Margaret Steven Ashley Andrew Kimberly Joshua Emily Kevin Donna Brian
Michelle George Carol Timothy Amanda Ryan Melissa Jacob Deborah Nicholas Stephanie Eric Rebecca
Jonathan Sharon Justin Laura Brandon Cynthia Samuel Amy Benjamin Kathleen Gregory Angela Aarav
Priya Rahul Ananya Vikram Deepika Arjun Kavya Rohan Sneha Wei Li Jing Hao Mei Yuki Haruto Sakura
Kenji Aiko Min-jun Seo-yeon Ji-ho Oluwaseun Chinedu Amara Kwame Fatima Omar Aisha Youssef Layla
Mohammed Noor Hassan José María Lucía Alejandro Sofía Mateo Valentina Diego Camila João Ana
Gabriel Beatriz François Amélie Léa Théo Chloé Étienne Zoë Björn Åsa Ørjan Søren Ingrid Łukasz
Zofia Kacper Małgorzata Jiří Tereza Dmitri Olga Ivan Natalia Giulia Lorenzo Francesca Matteo
Elif Emre Zeynep Mehmet Niamh Siobhán Cillian Aoife Hannah Lukas Lena Jonas Mia Finn Emma Noah
""")
LAST_NAMES = [
    *words("""
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris
Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill
Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Sharma Patel Iyer
Gupta Reddy Nair Singh Kumar Rao Mehta Wang Zhang Liu Chen Yang Huang Zhao Wu Tanaka Suzuki
Takahashi Watanabe Yamamoto Nakamura Kim Park Choi Jung Kang Okafor Adeyemi Mensah Okonkwo
Haddad Khalil Mansour Farouk Fernández Gómez Díaz Álvarez Romero Silva Santos Oliveira Pereira
Costa Dubois Lefèvre Moreau Laurent Girard Rousseau Müller Schmidt Schneider Fischer Weber
Meyer Wagner Becker Hoffmann Schäfer Andersson Johansson Karlsson Nilsson Eriksson Hansen
Jensen Nielsen Kowalski Nowak Wiśniewski Wójcik Novák Dvořák Ivanov Petrov Smirnov Rossi
Russo Ferrari Esposito Bianchi Öztürk Kaya Demir Şahin O'Brien Murphy Kelly Byrne Janssen
Bakker Visser
"""),
    *["van der Berg", "de Vries", "Ó Súilleabháin", "García Márquez", "Nguyen Van"],
]
COMPANY_WORDS = words("""
Acme Northwind Contoso Globex Initech Umbrella Stark Wayne Tyrell Cyberdyne Hooli Pied Piper
Vandelay Soylent Wonka Oscorp Aperture Black Mesa Blue Sun Dunder Mifflin Gringotts Monarch
Nakatomi Oceanic Primatech Sirius Sterling Cooper Virtucon Weyland Yoyodyne Zorg Abstergo
Axiom Cobalt Helix Lumen Nimbus Orbit Quartz Radiant Summit Vertex Zenith Atlas Beacon Cascade
Delta Ember Fjord Granite Harbor Iris Juniper Keystone Lattice Meridian Nova Onyx Pinnacle
""")
COMPANY_KINDS = words("""
Analytics Labs Systems Software Health Capital Partners Logistics Robotics Energy Foods Media
Consulting Networks Security Bank Insurance Pharma Retail Motors Studios Cloud Data Bio Works
""")
COMPANY_SUFFIXES = ["", "", "", "", " Inc.", " Ltd", " GmbH", " SA", " AB", ", Inc.", " LLC"]
BIG_NAMES = ["Google", "Microsoft", "Amazon", "Meta", "Apple", "Salesforce", "IBM", "Oracle",
             "Accenture", "Deloitte", "SAP", "Infosys", "Tata Consultancy Services", "Siemens",
             "Stripe", "Shopify", "HubSpot", "Datadog", "Atlassian", "Spotify"]  # fmt: skip
SENIORITY = ["", "", "", "", "Senior ", "Senior ", "Lead ", "Principal ", "Junior ", "Staff "]
ROLES = [
    role.strip()
    for role in """
Software Engineer|Product Manager|Account Executive|Sales Development Representative|Data
Scientist|Designer|Recruiter|Marketing Manager|Customer Success Manager|Solutions Engineer|
Engineering Manager|Operations Manager|Financial Analyst|Consultant|Researcher|Founder|
Co-founder & CEO|CTO|VP Sales|VP Engineering|Director, Partnerships|Business Analyst|
Talent Partner|Growth Marketer|Security Engineer|DevOps Engineer|Project Manager|Buyer|
Office Manager|Student|Head of Sales|Head of Engineering|Head of People|
Chief of Staff
""".replace("\n", " ").split("|")
]
GRADED = (
    "Engineer",
    "Manager",
    "Analyst",
    "Designer",
    "Scientist",
    "Consultant",
    "Recruiter",
    "Executive",
    "Researcher",
    "Representative",
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# The floor: what any importer has to do at least. Skip LinkedIn's preamble to the header,
# read every record with the csv module, insert the seven cells into a fresh table with
# executemany in one transaction, under the same durability as relcli (WAL, synchronous=FULL).
FLOOR = r"""
import csv, sqlite3, sys
source, target = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(target, isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = FULL")
conn.execute("CREATE TABLE connection (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT,"
             " url TEXT, email TEXT, company TEXT, position TEXT, connected_on TEXT)")
with open(source, newline="", encoding="utf-8-sig") as f:
    for line in f:
        if line.startswith("First Name,"):
            break
    rows = (row[:7] for row in csv.reader(f) if any(row))
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO connection (first_name, last_name, url, email, company, "
                     "position, connected_on) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
print(conn.execute("SELECT count(*) FROM connection").fetchone()[0])
"""


# Starts one process and reports its wall time and its own peak RSS. It is a small process
# that forks the one measured: on Linux a child's ru_maxrss starts from the RSS of the process
# it was forked from (exec keeps the high-water mark), so forking straight from this script,
# which holds the generated rows, would report this script's memory, not the child's.
LAUNCHER = r"""
import json, os, sys, time
usage, cmd = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, rusage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
with open(usage, "w", encoding="utf-8") as f:
    json.dump({"code": os.waitstatus_to_exitcode(status), "seconds": seconds,
               "peak_kib": rusage.ru_maxrss}, f)
"""


@dataclass
class Probe:
    """One process to time, and what it measured."""

    label: str
    times: list[float] = field(default_factory=list)
    peaks_kib: list[int] = field(default_factory=list)
    result: str = ""


@dataclass(frozen=True)
class Done:
    code: int
    seconds: float
    peak_kib: int
    out: str
    err: str


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without relcli's settings, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("RELCLI_") and k not in ("NO_COLOR", "FORCE_COLOR")
    }
    # Time what an installed relcli does: it runs from compiled bytecode.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(extra)
    return env


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def start(cmd: Sequence[str], env: dict[str, str], folder: Path) -> Done:
    """Run ``cmd`` to its end through LAUNCHER: its wall time and its own peak RSS."""
    out_path, err_path, usage = folder / "stdout", folder / "stderr", folder / "usage.json"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        launched = subprocess.run(
            [sys.executable, "-c", LAUNCHER, str(usage), *cmd],
            env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, check=False,
        )  # fmt: skip
    if not usage.exists():  # the launcher itself failed
        return Done(launched.returncode or 1, 0.0, 0, text(out_path), text(err_path))
    measured = json.loads(usage.read_text(encoding="utf-8"))
    return Done(
        int(measured["code"]),
        float(measured["seconds"]),
        int(measured["peak_kib"]),
        text(out_path),
        text(err_path),
    )


def check(label: str, cmd: Sequence[str], done: Done) -> None:
    """Stop the benchmark with the process's stderr if it failed."""
    if done.code == 0:
        return
    note(f"\n{label} failed with exit code {done.code}: {shlex.join(cmd)}")
    err = done.err.rstrip().splitlines()
    for line in err[-STDERR_LINES_SHOWN:] or ["(nothing on stderr)"]:
        note(f"  | {line}")
    sys.exit(1)


# --- the file ------------------------------------------------------------------------------


_UNDECOMPOSED = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "\u0131": "i", "ß": "ss"})


def _ascii(text: str) -> str:
    import unicodedata

    text = text.translate(_UNDECOMPOSED)
    bare = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in bare.lower()).strip("-") or "x"


def companies(rng: random.Random, count: int = 1500) -> list[str]:
    names = list(BIG_NAMES)
    seen = set(names)
    while len(names) < count:
        name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
        name += rng.choice(COMPANY_SUFFIXES)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def connection_rows(count: int, seed: int) -> list[list[str]]:
    """``count`` LinkedIn connections, the same ones for the same arguments.

    Companies follow a Zipf-like curve over 1,500 employers (the largest holds about 2 % of
    the network), 5 % have no company and position, 20 % share an e-mail, 0.2 % are hidden
    profiles (only a date). Profile URLs and e-mails are unique; so is each (name, company).
    """
    rng = random.Random(seed)
    employers = companies(rng)
    weights = [1 / (rank + 10) for rank in range(len(employers))]
    first_day = date(2008, 1, 1).toordinal()
    span = date(2026, 11, 30).toordinal() - first_day
    rows: list[list[str]] = []
    taken: set[tuple[str, str, str]] = set()
    while len(rows) < count:
        connected = date.fromordinal(first_day + int(span * rng.random() ** 0.7))
        on = f"{connected.day:02d} {MONTHS[connected.month - 1]} {connected.year}"
        if rng.random() < 0.002:
            rows.append(["", "", "", "", "", "", on])
            continue
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        company = position = ""
        if rng.random() >= 0.05:
            company = rng.choices(employers, weights)[0]
            position = rng.choice(ROLES)
            if position.endswith(GRADED):  # 'Senior Software Engineer', not 'Senior CTO'
                position = rng.choice(SENIORITY) + position
        if (first, last, company) in taken:
            continue
        taken.add((first, last, company))
        tag = f"{rng.getrandbits(40):010x}"
        url = f"https://www.linkedin.com/in/{_ascii(first)}-{_ascii(last)}-{tag}"
        email = ""
        if rng.random() < 0.2:
            domain = (
                rng.choice(["gmail.com", "outlook.com", "yahoo.com", "proton.me"])
                if rng.random() < 0.5 or not company
                else f"{_ascii(company).split('-')[0]}.example"
            )
            email = f"{_ascii(first)}.{_ascii(last)}.{tag[:4]}@{domain}"
        rows.append([first, last, url, email, company, position, on])
    return rows


def ensure_file(rows: int, seed: int) -> Path:
    """The cached Connections.csv for ``rows`` and ``seed``, written first if missing."""
    source = Path(__file__).read_bytes()
    key = hashlib.sha256(source + f"{rows}:{seed}".encode()).hexdigest()[:10]
    path = DATA / f"linkedin-{rows}-{seed}-{key}.csv"
    if path.exists():
        note(f"using the cached file {path.relative_to(HERE)}")
        return path
    DATA.mkdir(exist_ok=True)
    for stale in DATA.glob(f"linkedin-{rows}-{seed}-*.csv"):
        note(f"removing the stale file {stale.name}")
        stale.unlink()
    note(f"writing {rows:,} LinkedIn connections to {path.relative_to(HERE.parents[1])}")
    text = io.StringIO(newline="")
    text.write(PREAMBLE)
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(connection_rows(rows, seed))
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text.getvalue(), encoding="utf-8", newline="")
    tmp.replace(path)
    return path


# --- the runs ------------------------------------------------------------------------------


def floor_run(file: Path, folder: Path) -> tuple[list[str], dict[str, str], Path]:
    target = folder / "floor.db"
    return [sys.executable, "-c", FLOOR, str(file), str(target)], clean_env(), target


def relcli_run(relcli: Path, file: Path, folder: Path) -> tuple[list[str], dict[str, str]]:
    home = folder / "home"
    env = clean_env(RELCLI_HOME=str(home), RELCLI_TODAY=TODAY)
    return [str(relcli), "import", "linkedin", str(file)], env


def time_once(
    probe: Probe, cmd: list[str], env: dict[str, str], *, record: bool, scratch: Path
) -> Done:
    with tempfile.TemporaryDirectory(dir=scratch) as logs:
        done = start(cmd, env, Path(logs))
    check(probe.label, cmd, done)
    if record:
        probe.times.append(done.seconds)
        probe.peaks_kib.append(done.peak_kib)
    probe.result = (done.out.strip() or done.err.strip()).splitlines()[0]
    return done


def measure(relcli: Path, file: Path, runs: int, warmup: int) -> tuple[Probe, Probe]:
    floor = Probe("floor: csv module + stdlib sqlite3 executemany, one transaction")
    target = Probe(f"`relcli import linkedin {file.name}`")
    rounds = warmup + runs
    with tempfile.TemporaryDirectory(prefix="relcli-bench-import-") as tmp:
        scratch = Path(tmp)
        for i in range(rounds):
            note(f"round {i + 1}/{rounds}" + (" (warm-up)" if i < warmup else ""))
            order = ("floor", "relcli") if i % 2 == 0 else ("relcli", "floor")
            for which in order:  # alternate, so neither always runs on a cache the other warmed
                with tempfile.TemporaryDirectory(dir=scratch) as fresh:
                    folder = Path(fresh)
                    if which == "floor":
                        cmd, env, _ = floor_run(file, folder)
                        time_once(floor, cmd, env, record=i >= warmup, scratch=scratch)
                    else:
                        cmd, env = relcli_run(relcli, file, folder)
                        time_once(target, cmd, env, record=i >= warmup, scratch=scratch)
    return floor, target


def data_rows(file: Path) -> int:
    with file.open(newline="", encoding="utf-8") as f:
        for line in f:
            if line.startswith("First Name,"):
                break
        return sum(1 for row in csv.reader(f) if any(row))


# --- the report ----------------------------------------------------------------------------


def machine() -> list[tuple[str, str]]:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total = meminfo.read_text(encoding="utf-8").split("\n", 1)[0].split()[1]
        memory = f"{int(total) / 1024**2:.1f} GiB"
    try:
        relcli_version = metadata.version("relcli")
    except metadata.PackageNotFoundError:
        relcli_version = "not installed as a distribution"
    return [
        ("python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("sqlite", sqlite3.sqlite_version),
        ("cpus", f"{os.cpu_count()} ({usable} usable)"),
        ("cpu", cpu),
        ("memory", memory),
        ("platform", platform.platform()),
        ("relcli", f"{relcli_version}, {source_state()}"),
    ]


def source_state() -> str:
    """The commit the timed sources are at, and how many files under src/ differ from it."""
    root = HERE.parents[1]
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "src"],
            capture_output=True, text=True, check=True,
        ).stdout.splitlines()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "source state unknown (no git)"
    return f"commit {commit}" + (f" + {len(dirty)} changed file(s) in src/" if dirty else "")


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def report(
    args: argparse.Namespace,
    file: Path,
    rows: int,
    floor: Probe,
    target: Probe,
    big: tuple[Path, int, Done, Done, int, Done] | None,
) -> None:
    print(f"## `relcli import linkedin`: {rows:,} connections\n")
    print("| machine | |\n|---|---|")
    for name, value in machine():
        print(f"| {name} | {value} |")
    size = file.stat().st_size / 1e6
    print(f"| file | {file.name}: {rows:,} data rows, {size:.1f} MB |")
    print(f"| runs | {args.runs} per process, alternating, after {args.warmup} warm-up round(s) |")
    print(
        "\n| process | median s | min s | max s | rows/s (median) | peak RSS (max) | result |"
        "\n|---|---:|---:|---:|---:|---:|---|"
    )
    for p in (floor, target):
        median = statistics.median(p.times)
        print(
            f"| {p.label} | {median:.2f} | {min(p.times):.2f} | {max(p.times):.2f} | "
            f"{rows / median:,.0f} | {mib(max(p.peaks_kib))} | {p.result} |"
        )
    shares = [f / r for r, f in zip(target.times, floor.times, strict=True)]
    share = statistics.median(shares)
    verdict = "meets" if share >= TARGET_SHARE else "misses"
    print(
        f"\nrelcli's rate is **{share:.1%}** of the floor's (median of the per-run ratios "
        f"floor s / relcli s; relcli takes {1 / share:.1f}x as long). The target (at least "
        f"{TARGET_SHARE:.0%}) is **{verdict}**."
    )
    if big is None:
        return
    big_file, big_rows, big_floor, big_relcli, half_rows, half_relcli = big
    print(
        f"\n### Memory: relcli on {half_rows:,} and {big_rows:,} rows "
        f"({big_file.stat().st_size / 1e6:.1f} MB), the floor on {big_rows:,}\n"
    )
    print("| rows | relcli s | relcli rows/s | relcli peak RSS | floor s | floor peak RSS |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {rows:,} | {statistics.median(target.times):.2f} | "
        f"{rows / statistics.median(target.times):,.0f} | {mib(max(target.peaks_kib))} | "
        f"{statistics.median(floor.times):.2f} | {mib(max(floor.peaks_kib))} |"
    )
    print(
        f"| {half_rows:,} | {half_relcli.seconds:.2f} | {half_rows / half_relcli.seconds:,.0f} | "
        f"{mib(half_relcli.peak_kib)} | | |"
    )
    print(
        f"| {big_rows:,} | {big_relcli.seconds:.2f} | {big_rows / big_relcli.seconds:,.0f} | "
        f"{mib(big_relcli.peak_kib)} | {big_floor.seconds:.2f} | {mib(big_floor.peak_kib)} |"
    )
    # Growth is read between the two big runs: relcli's memory has fixed parts (the page
    # cache, the keys it holds before spilling them) that fill during the first rows.
    per_row = (big_relcli.peak_kib - half_relcli.peak_kib) * 1024 / max(1, big_rows - half_rows)
    from_first = (big_relcli.peak_kib - max(target.peaks_kib)) * 1024 / max(1, big_rows - rows)
    bounded = per_row <= BOUNDED_BYTES_PER_ROW
    print(
        f"\nFrom {half_rows:,} to {big_rows:,} rows relcli's peak RSS grows by "
        f"**{per_row:,.0f} bytes per extra row** ({from_first:,.0f} from {rows:,} rows, while "
        f"its fixed caches fill), so memory is "
        f"**{'bounded' if bounded else 'growing with the file'}**. "
        f"relcli said: {big_relcli.err.strip().splitlines()[0]}"
    )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="rows (default 50,000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per process (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    parser.add_argument(
        "--big-rows",
        type=int,
        default=BIG_ROWS,
        help="rows of the one memory run after the timed ones (default 200,000; 0 skips it)",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--relcli",
        type=Path,
        default=Path(sys.executable).with_name("relcli"),
        help="the relcli script to time (default: the one next to this Python)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.runs < 1 or args.rows < 1:
        note("--runs and --rows must be 1 or more")
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
    file = ensure_file(args.rows, args.seed)
    rows = data_rows(file)
    floor, target = measure(relcli, file, args.runs, args.warmup)
    big = None
    if args.big_rows:
        big_file = ensure_file(args.big_rows, args.seed)
        half_file = ensure_file(args.big_rows // 2, args.seed)
        note(f"one run of each on {args.big_rows:,} rows and relcli on half as many, for memory")
        big_floor_probe, big_relcli_probe = Probe("floor"), Probe("relcli")
        with tempfile.TemporaryDirectory(prefix="relcli-bench-import-") as tmp:
            scratch = Path(tmp)
            with tempfile.TemporaryDirectory(dir=scratch) as fresh:
                cmd, env, _ = floor_run(big_file, Path(fresh))
                big_floor = time_once(big_floor_probe, cmd, env, record=True, scratch=scratch)
            with tempfile.TemporaryDirectory(dir=scratch) as fresh:
                cmd, env = relcli_run(relcli, half_file, Path(fresh))
                half_relcli = time_once(Probe("relcli"), cmd, env, record=True, scratch=scratch)
            with tempfile.TemporaryDirectory(dir=scratch) as fresh:
                cmd, env = relcli_run(relcli, big_file, Path(fresh))
                big_relcli = time_once(big_relcli_probe, cmd, env, record=True, scratch=scratch)
        big = (big_file, data_rows(big_file), big_floor, big_relcli, data_rows(half_file),
               half_relcli)  # fmt: skip
    report(args, file, rows, floor, target, big)
    return 0


if __name__ == "__main__":
    sys.exit(main())
