"""relcli today, relcli why, relcli demo: the daily list and its explanation."""

from contextlib import closing
from typing import Annotated

import typer

from relcli.cli import runtime
from relcli.cli.options import ContactArgument, FormatOption, LimitOption
from relcli.render import messages, output, views
from relcli.render.output import Format

ChannelOpt = Annotated[
    str | None, typer.Option("--channel", help="Only contacts reachable on this channel.")
]


def _pairs(values: list[str] | None) -> dict[str, str]:
    from relcli.errors import UsageError

    pairs = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(
                f"cannot read --set {item!r}", hint="write it as rank.signal.coefficient=6"
            )
        pairs[key.strip()] = value.strip()
    return pairs


def today(
    limit: LimitOption = None,
    channel: ChannelOpt = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="Only contacts with this tag.")
    ] = None,
    stage: Annotated[
        list[str] | None, typer.Option("--stage", help="Only contacts at this stage.")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Add the points of each term.")
    ] = False,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", metavar="KEY=VALUE", help="Preview with a ranking setting changed (not saved)."
        ),
    ] = None,
    fmt: FormatOption = Format.AUTO,
) -> None:
    """Show who to contact today, best first."""
    from relcli.domain import vocabulary
    from relcli.services import ranking

    overrides = _pairs(set_)
    channel = vocabulary.check_channel(channel) if channel else None
    tags = [vocabulary.check_tag(t) for t in tag or []]
    stages = [vocabulary.check_stage(s) for s in stage or []]
    ctx = runtime.context(overrides)
    baseline = runtime.settings().rank if overrides else None
    conn = runtime.reader()
    if conn is None:
        if output.resolve(fmt) is Format.JSON:
            output.emit([], views.TODAY, fmt)
        _empty_state(
            fmt, "your book is empty: add someone with 'relcli contact add', or try 'relcli demo'"
        )
        return
    with closing(conn):
        listing = ranking.today(
            conn, ctx, limit=limit, channel=channel, tags=tags, stages=stages, baseline=baseline
        )
    if listing.stale_stats:
        messages.warn(
            "rank.strength settings changed since the aggregates were built; "
            "run 'relcli doctor --rebuild-stats'"
        )
    rows = [views.today_row(r) for r in listing.rows]
    if rows or output.resolve(fmt) is Format.JSON:
        output.emit(rows, views.TODAY_EXPLAIN if explain else views.TODAY, fmt)
    if listing.dropped:
        messages.note("off the list with these settings: " + ", ".join(listing.dropped))
    if not rows:
        _empty_state(fmt, _why_empty(listing, channel, tags, stages))


def _empty_state(fmt: Format, text: str) -> None:
    if output.resolve(fmt) is Format.TABLE:
        messages.note(text)


def _why_empty(listing: object, channel: str | None, tags: list[str], stages: list[str]) -> str:
    from relcli.services.ranking import Listing

    assert isinstance(listing, Listing)
    if listing.contacts == 0:
        return "your book is empty: add someone with 'relcli contact add', or try 'relcli demo'"
    parts = [f"nobody to contact today among {listing.contacts} contacts"]
    if listing.excluded:
        parts.append(
            "held back: "
            + ", ".join(f"{n} by {name}" for name, n in sorted(listing.excluded.items()))
        )
    if listing.below_threshold:
        parts.append(f"{listing.below_threshold} with only weak reasons")
    narrowed = [
        x
        for x in (
            f"--channel {channel}" if channel else "",
            *[f"--tag {t}" for t in tags],
            *[f"--stage {s}" for s in stages],
        )
        if x
    ]
    hint = (
        f"try without {' '.join(narrowed)}"
        if narrowed
        else "set cadences with 'relcli contact edit NAME --cadence 30d'"
    )
    return "; ".join(parts) + f". {hint}, or plan ahead with 'relcli follow-up add'."


def why(
    contact: ContactArgument, channel: ChannelOpt = None, fmt: FormatOption = Format.AUTO
) -> None:
    """Explain a contact's score, term by term."""
    from relcli.domain import vocabulary
    from relcli.errors import NotFoundError
    from relcli.services import ranking

    channel = vocabulary.check_channel(channel) if channel else None
    ctx = runtime.context()
    conn = runtime.reader()
    if conn is None:
        raise NotFoundError(
            f"no contact matches {contact!r}", hint="your book is empty; see 'relcli contact add'"
        )
    with closing(conn):
        ex = ranking.why(conn, ctx, contact, channel=channel)
    output.text(
        views.why_lines(ex, ctx.settings.rank.number("rank.list.min_score")),
        fmt,
        views.why_json(ex),
    )


def demo(
    limit: LimitOption = None,
    fmt: FormatOption = Format.AUTO,
) -> None:
    """Build a sample book and show today's list."""
    from relcli.services import demo as sample
    from relcli.store import database

    target = runtime.paths().data_dir / "demo.db"
    ctx = runtime.context()
    database.remove(target)
    with database.transaction(target) as session:
        sample.build(session, ctx)
    runtime.state.db = str(target)
    messages.note(
        f"demo book with {len(sample.PEOPLE)} contacts at {target} (your own book is untouched)"
    )
    today(limit=limit, channel=None, tag=None, stage=None, explain=False, set_=None, fmt=fmt)
    messages.note(f"try: relcli --db {target} why 'Bob Okafor'")
