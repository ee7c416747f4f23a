"""Formats and emit(): table, plain or json to stdout; auto picks by isatty()."""

import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class Format(StrEnum):
    AUTO = "auto"
    TABLE = "table"
    PLAIN = "plain"
    JSON = "json"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    justify: str = "left"  # "right" for numbers


def resolve(fmt: Format) -> Format:
    """``auto`` is a table on a terminal and plain text in a pipe (not Rich's guess)."""
    if fmt is Format.AUTO:
        return Format.TABLE if sys.stdout.isatty() else Format.PLAIN
    return fmt


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ",".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return " ".join(str(value).split())


def console(stderr: bool = False) -> Any:
    """A Rich console bound to the current stream, built when printing, not at import."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def emit(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    fmt: Format,
    *,
    json_rows: Any = None,
    title: str | None = None,
) -> None:
    """Write ``rows`` to stdout. JSON gets ``json_rows`` (the full contract) when given."""
    fmt = resolve(fmt)
    out = sys.stdout
    if fmt is Format.JSON:
        out.write(to_json(list(rows) if json_rows is None else json_rows) + "\n")
        return
    if fmt is Format.PLAIN:
        for row in rows:
            out.write("\t".join(_cell(row.get(c.key)) for c in columns).replace("\n", " ") + "\n")
        return
    from rich.table import Table

    table = Table(title=title, show_edge=False, pad_edge=False, header_style="bold")
    for c in columns:
        table.add_column(c.header, justify=c.justify)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*(_cell(row.get(c.key)) for c in columns))
    console().print(table)


def text(lines: Sequence[str], fmt: Format, data: Any) -> None:
    """A free-form screen (``why``, ``contact show``): lines as text, or ``data`` as JSON."""
    if resolve(fmt) is Format.JSON:
        sys.stdout.write(to_json(data) + "\n")
        return
    sys.stdout.write("".join(f"{line}\n" for line in lines))
