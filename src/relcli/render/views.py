"""Column sets and layouts per screen; their keys are the JSON contract (docs/json.md)."""

from datetime import date, datetime
from typing import Any

from relcli.domain.ranking import Check, Score, Term
from relcli.render.output import Column

TODAY = (
    Column("rank", "#", "right"),
    Column("name", "Name"),
    Column("company", "Company"),
    Column("score", "Score", "right"),
    Column("why", "Why now"),
    Column("channel", "Channel"),
    Column("reach", "Reach"),
)
TODAY_EXPLAIN = (
    *TODAY[:4],
    Column("followup", "Follow-up", "right"),
    Column("cadence", "Cadence", "right"),
    Column("signal", "Signal", "right"),
    Column("weight", "Weight", "right"),
    *TODAY[4:],
)
CONTACTS = (
    Column("id", "Id", "right"),
    Column("name", "Name"),
    Column("company", "Company"),
    Column("stage", "Stage"),
    Column("email", "Email"),
    Column("phone", "Phone"),
    Column("tags", "Tags"),
)
COMPANIES = (
    Column("id", "Id", "right"),
    Column("name", "Name"),
    Column("domain", "Domain"),
    Column("contacts", "Contacts", "right"),
)
FOLLOW_UPS = (
    Column("id", "Id", "right"),
    Column("due_on", "Due"),
    Column("contact", "Contact"),
    Column("reason", "Reason"),
    Column("every", "Repeats"),
    Column("state", "State"),
)
SIGNALS = (
    Column("id", "Id", "right"),
    Column("observed_on", "Observed"),
    Column("kind", "Kind"),
    Column("about", "About"),
    Column("note", "Note"),
)
KINDS = (
    Column("kind", "Kind"),
    Column("weight", "Weight", "right"),
    Column("half_life_days", "Half-life (d)", "right"),
    Column("max_age_days", "Max age (d)", "right"),
    Column("description", "Meaning"),
)
DUPES = (
    Column("keep_id", "Keep", "right"),
    Column("keep", "Name"),
    Column("other_id", "Other", "right"),
    Column("other", "Name"),
    Column("reason", "Why"),
)
CONFIG = (
    Column("key", "Key"),
    Column("value", "Value"),
    Column("default", "Default"),
    Column("is_set", "Set in config"),
)


def _r(x: float) -> float:
    return round(x, 2)


def term_json(t: Term) -> dict[str, Any]:
    return {
        "term": t.name,
        "measure": round(t.measure, 3),
        "coefficient": t.coefficient,
        "points": _r(t.points),
        "detail": t.detail,
    }


def check_json(c: Check) -> dict[str, Any]:
    return {"filter": c.name, "passed": c.passed, "bypassed": c.bypassed, "detail": c.detail}


def today_row(row: Any) -> dict[str, Any]:
    """One line of ``relcli today``: the JSON contract (keys are only ever added)."""
    sc: Score = row.score
    f = row.candidate.facts
    points = {
        name: _r(sum(t.points for t in sc.reasons if t.name.startswith(name)))
        for name in ("followup", "cadence", "signal")
    }
    moved = row.moved
    why = sc.headline
    if row.is_new:
        why = f"new {why}"
    elif moved:
        why = f"{'▲' if moved > 0 else '▼'}{abs(moved)} {why}"
    return {
        "rank": row.rank,
        "contact_id": sc.contact_id,
        "name": sc.name,
        "company": f.company,
        "score": sc.total,
        "why": why,
        "channel": sc.channel,
        "reach": row.reach,
        "phone": row.candidate.phone,
        "email": row.candidate.email,
        "stage": f.stage,
        "reasons": [
            {"term": t.name, "points": _r(t.points), "detail": t.detail}
            for t in sc.reasons
            if t.points
        ],
        "reasons_total": _r(sc.reason_total),
        "weight": round(sc.weight_total, 3),
        **points,
        "moved": moved,
        "is_new": row.is_new,
    }


def why_json(ex: Any) -> dict[str, Any]:
    sc: Score = ex.score
    excluded = sc.excluded_by
    return {
        "contact_id": sc.contact_id,
        "name": sc.name,
        "stage": ex.candidate.facts.stage,
        "company": ex.candidate.facts.company,
        "rank": ex.rank,
        "score": sc.total,
        "channel": sc.channel,
        "reach": ex.reach,
        "excluded_by": excluded.name if excluded else None,
        "filters": [check_json(c) for c in sc.checks],
        "reasons": [term_json(t) for t in sc.reasons],
        "reasons_total": _r(sc.reason_total),
        "weights": [term_json(t) for t in sc.weights],
        "weight": round(sc.weight_total, 3),
        "tie_breaker": ex.tie_rule,
        "tie_with": ex.tie_with,
        "warnings": list(sc.warnings),
    }


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]


def why_lines(ex: Any, min_score: float) -> list[str]:
    """The ``relcli why`` screen: filters, reasons, weight, score, as in docs/ranking.md."""
    sc: Score = ex.score
    f = ex.candidate.facts
    lines = []
    where = f"rank {ex.rank} today" if ex.rank else "not on today's list"
    head = f"{sc.name} ({f.stage})" + (f", {f.company}" if f.company else "")
    lines.append(f"{head}   {where}   score {sc.total:.2f}   suggest: {sc.channel or '-'}")
    lines.append("Filters")
    for c in sc.checks:
        state = "bypassed" if c.bypassed else "pass" if c.passed else "EXCLUDED"
        lines.append(f"  {c.name:<15} {c.detail:<52} {state}")
    lines.append(f"Reasons{'measure':>53}{'coef':>10}{'points':>10}")
    for t in sc.reasons:
        detail = _wrap(t.detail, 40)
        if t.points == 0 and t.measure == 0:
            lines.append(f"  {t.name:<9} {detail[0]:<40} {'-':>8}")
        else:
            lines.append(
                f"  {t.name:<9} {detail[0]:<40} {t.measure:>8.3f}  * {t.coefficient:>5.1f}  = {t.points:>6.2f}"
            )
        lines.extend(f"  {'':<9} {more}" for more in detail[1:])
    lines.append(f"{'------':>76}")
    lines.append(f"  reasons{sc.reason_total:>69.2f}")
    lines.append(f"Weight{'measure':>54}{'coef':>10}")
    lines.append(f"  base{1.0:>72.3f}")
    for t in sc.weights:
        detail = _wrap(t.detail, 40)
        if t.coefficient == 0 and t.measure == 0:
            lines.append(f"  {t.name:<9} {detail[0]:<40} {'-':>8}{'':>18}{0.0:>6.3f}")
        else:
            lines.append(
                f"  {t.name:<9} {detail[0]:<40} {t.measure:>8.3f}  * {t.coefficient:>5.2f}  = {t.points:>6.3f}"
            )
        lines.extend(f"  {'':<9} {more}" for more in detail[1:])
    lines.append(f"{'------':>76}")
    lines.append(f"  weight{sc.weight_total:>70.3f}")
    lines.append(f"Score  {sc.reason_total:.2f} x {sc.weight_total:.3f} = {sc.total:.2f}")
    excluded = sc.excluded_by
    if excluded:
        lines.append(f"{sc.name} is not on today's list: {excluded.name}, {excluded.detail}.")
    elif ex.rank is None:
        lines.append(
            f"{sc.name} is not on today's list: score {sc.total:.2f} is below the minimum {min_score:g}."
        )
    if ex.tie_rule:
        lines.append(f"Tie: same score as {ex.tie_with}; ordered by {ex.tie_rule}.")
    lines.extend(f"Warning: {w}" for w in sc.warnings)
    return lines


def local(stored: str | None) -> str:
    """A stored UTC timestamp as local 'YYYY-MM-DD HH:MM'."""
    if not stored:
        return ""
    return datetime.fromisoformat(stored).astimezone().strftime("%Y-%m-%d %H:%M")


def relative(day: str | None, today: date) -> str:
    if not day:
        return ""
    delta = (date.fromisoformat(day) - today).days
    if delta == 0:
        return f"{day} (today)"
    if delta > 0:
        return f"{day} (in {delta} day{'s' * (delta != 1)})"
    return f"{day} ({-delta} day{'s' * (delta != -1)} ago)"


def _interaction_line(i: dict[str, Any]) -> str:
    """'  2026-12-01 12:00  -> call [connected]  talked about budget' (contact card, brief)."""
    arrow = {"in": "<-", "out": "->", "both": "<>"}[i["direction"]]
    outcome = f" [{i['outcome']}]" if i["outcome"] else ""
    return f"  {local(i['at'])}  {arrow} {i['channel']}{outcome}  {i['summary'] or ''}".rstrip()


def _talking_points(points: list[dict[str, Any]]) -> list[str]:
    return [
        f"  * {p['summary'] or '(no text)'}  (#{p['id']}, {local(p['at'])[:10]})" for p in points
    ]


def card_lines(card: dict[str, Any], today: date) -> list[str]:
    """The ``contact show`` card."""
    lines = [f"{card['name']} (#{card['id']})"]
    role = ", ".join(x for x in (card["title"], card["company"]) if x)
    if role:
        lines.append(f"  {role}")
    lines.append(
        f"  stage {card['stage']}"
        + (f", tier {card['tier']}" if card["tier"] else "")
        + (f", every {card['cadence_days']}d" if card["cadence_days"] else "")
    )
    for label, key in (("email", "emails"), ("phone", "phones")):
        for value in card[key]:
            lines.append(f"  {label:<8}{value}")
    if card["url"]:
        lines.append(f"  {'url':<8}{card['url']}")
    if card["tags"]:
        lines.append(f"  {'tags':<8}{', '.join(card['tags'])}")
    from relcli.domain.formats import tables  # the address layout the CSV export writes too

    if card["nickname"]:
        lines.append(f"  {'nickname':<9}{card['nickname']}")
    if card["birthday"]:
        lines.append(f"  {'birthday':<9}{card['birthday']}")
    if card["anniversary"]:
        lines.append(f"  anniversary {card['anniversary']}")
    for address in card["addresses"]:
        lines.append(f"  {address['label'] or 'address':<8}{tables.address_text(address)}")
    if card["renewal_on"]:
        lines.append(f"  renewal {relative(card['renewal_on'], today)}")
    lines.append("Policy")
    lines.append(f"  preferred channel  {card['preferred_channel'] or '-'}")
    lines.append(f"  opted out of       {', '.join(card['opted_out_channels']) or '-'}")
    lines.append(
        f"  minimum gap        {str(card['min_gap_days']) + 'd' if card['min_gap_days'] else '-'}"
    )
    if card["do_not_contact"]:
        reason = f": {card['do_not_contact_reason']}" if card["do_not_contact_reason"] else ""
        lines.append(f"  DO NOT CONTACT     since {card['do_not_contact_since']}{reason}")
    if card["snoozed_until"]:
        lines.append(f"  snoozed until      {card['snoozed_until']}")
    if card["notes"]:
        lines.append("Notes")
        lines.extend(f"  {line}" for line in card["notes"].splitlines())
    if card["talking_points"]:
        lines.append("Talking points")
        lines.extend(_talking_points(card["talking_points"]))
    lines.append("Recent interactions")
    if not card["interactions"]:
        lines.append("  none yet")
    lines.extend(_interaction_line(i) for i in card["interactions"])
    lines.append("Open follow-ups")
    if not card["follow_ups"]:
        lines.append("  none")
    for fu in card["follow_ups"]:
        every = f" (every {fu['every_days']}d)" if fu["every_days"] else ""
        lines.append(
            f"  #{fu['id']}  {relative(fu['due_on'], today) or 'no date'}  {fu['reason'] or ''}{every}".rstrip()
        )
    lines.append("Signals")
    if not card["signals"]:
        lines.append("  none")
    for s in card["signals"]:
        via = " (via company)" if s["via_company"] else ""
        lines.append(
            f"  #{s['id']}  {s['observed_on']}  {s['kind']}{via}  {s['note'] or ''}".rstrip()
        )
    return lines


DIGEST = (
    Column("section", "Section"),
    Column("name", "Name"),
    Column("reason", "Why"),
    Column("reach", "Reach"),
    Column("on", "Date"),
)


def digest_json(line: Any) -> dict[str, Any]:
    return {"section": line.section, "contact_id": line.contact_id, "name": line.name,
            "reason": line.reason, "reach": line.reach,
            "on": line.on.isoformat() if line.on else None}  # fmt: skip


def digest_markdown(lines: list[Any], sections: dict[str, str], today: date) -> list[str]:
    """The digest as a short Markdown text: what a morning e-mail or a terminal shows."""
    out = [f"# relcli: {len(lines)} due on {today.isoformat()}"]
    for section, title in sections.items():
        mine = [line for line in lines if line.section == section]
        if not mine:
            continue
        out += ["", f"## {title}", ""]
        for line in mine:
            reach = f" ({line.reach})" if line.reach else ""
            out.append(f"- **{line.name}**: {line.reason}{reach}")
    return out


def brief_lines(b: Any, today: date, channel: str, position: int) -> list[str]:
    """The one-screen brief of ``relcli call``: who, how to reach them, why now, and context."""
    card, sc = b.card, b.row.score
    lines = [f"── contact {position} · rank {b.row.rank} today · score {sc.total:.2f} " + "─" * 24]
    lines.append(f"{card['name']} (#{card['id']})  {card['stage']}")
    role = ", ".join(x for x in (card["title"], card["company"]) if x)
    if role:
        lines.append(f"  {role}")
    lines.append(f"  {channel:<8}{b.row.reach or '-'}")
    lines.append("Why now")
    lines.extend(f"  {t.headline:<52} {t.points:>6.2f}" for t in b.why_now)
    if card["talking_points"]:
        lines.append("Talking points")
        lines.extend(_talking_points(card["talking_points"]))
    lines.append("Last interactions")
    if not card["interactions"]:
        lines.append("  none yet")
    lines.extend(_interaction_line(i) for i in card["interactions"])
    if card["follow_ups"]:
        lines.append("Open follow-ups")
        for fu in card["follow_ups"]:
            when_ = relative(fu["due_on"], today) or "no date"
            lines.append(f"  #{fu['id']}  {when_}  {fu['reason'] or ''}".rstrip())
    if b.signals:
        lines.append("Signals")
        for s in b.signals:
            via = " (via company)" if s["via_company"] else ""
            lines.append(f"  {s['observed_on']}  {s['kind']}{via}  {s['note'] or ''}".rstrip())
    policy = [f"prefers {card['preferred_channel'] or '-'}"]
    policy.append(
        f"minimum gap {card['min_gap_days']}d" if card["min_gap_days"] else "no minimum gap"
    )
    if card["opted_out_channels"]:
        policy.append(f"opted out of {', '.join(card['opted_out_channels'])}")
    lines.append(f"Policy  {'; '.join(policy)}")
    return lines


def keys_line(choices: Any) -> str:
    return "  ".join(f"{c.key} {c.label}" for c in choices)


def summary_line(tally: Any, channel: str, elapsed: str) -> str:
    """The closing line of a session: what was done, in how long."""

    def n(count: int, word: str, plural: str | None = None) -> str:
        return f"{count} {word if count == 1 else plural or word + 's'}"

    first = n(tally.attempts, "dial") if channel == "call" else f"{tally.attempts} sent"
    parts = [
        first,
        n(tally.connects, "connect"),
        n(tally.meetings, "meeting booked", "meetings booked"),
        n(tally.follow_ups, "follow-up set", "follow-ups set"),
        f"{tally.skipped} skipped",
        f"{tally.snoozed} snoozed",
    ]
    if tally.stopped:
        parts.append(f"{tally.stopped} do-not-contact")
    return f"session: {', '.join(parts)} in {elapsed}"
