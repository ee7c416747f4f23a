"""vCard files: cards in any version and encoding read into Persons, and contacts written as 3.0."""

# How a file is read (``read``):
#
# 1. Bytes, not text: a UTF-16 file (a BOM, or NUL in every other byte) is decoded whole;
#    any other file stays bytes, so that each property can be decoded with its own vCard 2.1
#    CHARSET (raw windows-1252 or Shift_JIS bytes), else as UTF-8, else as cp1252.
# 2. The file is cut into cards here, not by vobject, so that one bad card costs only itself:
#    BEGIN:VCARD and END:VCARD in any case; blank lines, lines outside cards and '#' comment
#    lines are ignored. A card that starts inside another one (vCard 2.1 inline AGENT cards,
#    or a card whose END was lost) is read as a card of its own: a BEGIN inside an unclosed
#    card cannot be told from a missing END, and reading both never loses a person. A card
#    cut short by the end of the file is read as far as it goes.
# 3. Each card's physical lines are joined into properties (folding, 2.1 quoted-printable soft
#    breaks, 2.1 base64 and backslash-continued lines), decoded to text, quoted-printable
#    decoded with its CHARSET, and PHOTO/LOGO/SOUND/KEY data dropped. vobject then parses that
#    card (groups, parameters, BEGIN/END nesting); the values are unescaped here, the same way
#    for 2.1, 3.0 and 4.0 (see _COMPONENT).
# 4. A card that vobject cannot parse becomes a Skipped naming the line; so does a contact
#    group (KIND:group) and a card with no name, company or email.

import binascii
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

import vobject

from relcli.domain import names
from relcli.domain.formats.records import Address, Item, Person, Skipped
from relcli.errors import ImportFileError

PRODID = "-//relcli//relcli//EN"
UID_PREFIX = "relcli-contact-"
LINE_OCTETS = 75  # RFC 2426 §2.6 / RFC 6350 §3.2: fold lines longer than 75 octets

# The name the card is given for vobject: one it has no behaviour for, so that it parses lines,
# groups and parameters but leaves the values as they are (its 3.0 text rules would keep only
# the first value of a comma list: FN:Doe, John would read as "Doe").
_COMPONENT = "X-RELCLI-CARD"
# Exceptions vobject raises for input it cannot parse (its own, and codec or index errors).
_UNREADABLE = (vobject.base.VObjectError, ValueError, LookupError)
# Binary data a contact book has no use for, dropped before parsing.
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
# Also dropped: PROFILE:VCARD (RFC 2426 allows it) makes vobject refuse a card with a BEGIN.
_DROPPED = _BINARY | {"PROFILE"}
_BEGIN = re.compile(rb"BEGIN[ \t]*:[ \t]*VCARD[ \t]*", re.IGNORECASE)
_END = re.compile(rb"END[ \t]*:[ \t]*VCARD[ \t]*", re.IGNORECASE)
_BOM8 = b"\xef\xbb\xbf"
_ESCAPES = {"n": "\n", "N": "\n", "\\": "\\", ",": ",", ";": ";", ":": ":"}
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_NEWLINE = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")  # all but TAB
_NOTE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # all but TAB, LF
_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:T[\d:.]*(?:Z|[+-][\d:]+)?)?")
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})")
_BIRTHDAY = re.compile(r"\d{4}-\d{2}-\d{2}|--\d{2}-\d{2}")
_MAX_SPACES = 64  # a folded line of spaces only would read as a blank line to some readers
_SPACES = re.compile(f" {{{_MAX_SPACES + 1},}}")
_FOLD_UNIT = re.compile(r"\\.|.", re.DOTALL)  # an escape pair is never split by a fold


# --- reading: bytes → physical lines → cards ------------------------------------------------


@dataclass
class _RawCard:
    first_line: int  # the line of its BEGIN:VCARD, counted from 1
    lines: list[tuple[int, bytes]]  # its own lines, between BEGIN and END, with their numbers
    last_line: int = 0  # the line of its END:VCARD, or the file's last line
    is_closed: bool = False


# --- reading: a card's lines → properties → vobject -----------------------------------------


def _decode(raw: bytes, charset: str | None) -> str:
    """``raw`` in its declared charset (bad bytes replaced), else UTF-8, else cp1252."""
    if charset:
        try:
            return raw.decode(charset, errors="replace")
        except LookupError:
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _split_head(line: bytes) -> tuple[bytes, bytes | None]:
    """``(head, value)`` of ``NAME;PARAMS:VALUE``: cut at the first colon outside quotes."""
    quoted = False
    for index, byte in enumerate(line):
        if byte == 0x22:  # '"'
            quoted = not quoted
        elif byte == 0x3A and not quoted:  # ':'
            return line[:index], line[index + 1 :]
    return line, None


def _head_parts(head: bytes) -> list[bytes]:
    """``[NAME, PARAM, ...]`` of a head, split at semicolons outside quotes."""
    parts, start, quoted = [], 0, False
    for index, byte in enumerate(head):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x3B and not quoted:  # ';'
            parts.append(head[start:index])
            start = index + 1
    parts.append(head[start:])
    return parts


@dataclass
class _Head:
    name: str  # upper-case, without its group
    charset: str | None
    is_qp: bool
    is_binary: bool


def _head(line: bytes) -> _Head:
    parts = _head_parts(_split_head(line)[0])
    name = parts[0].rpartition(b".")[2].strip().decode("ascii", errors="replace").upper()
    charset, is_qp, is_binary = None, False, name in _BINARY
    for part in parts[1:]:
        key, _, value = part.strip().upper().partition(b"=")
        if key == b"CHARSET" and value:
            charset = value.strip(b'"').decode("ascii", errors="replace")
        elif b"QUOTED-PRINTABLE" in (key, value):
            is_qp = True
        elif key in (b"BASE64", b"B") or (key == b"ENCODING" and value in (b"B", b"BASE64")):
            is_binary = True
    return _Head(name, charset, is_qp, is_binary)


@dataclass
class _Line:
    number: int  # in the file
    text: str


def _property(number: int, raw: bytes, decoded: bool) -> _Line | None:
    """One logical line as vobject should see it: text, no quoted-printable, no raw CR or LF
    (they become the ``\\n`` escape), or None for a dropped binary property."""
    head = _head(raw)
    if head.name in _DROPPED:
        return None
    charset = None if decoded else head.charset
    if head.is_qp:
        head_bytes, value = _split_head(raw)
        kept = [
            part
            for part in _head_parts(head_bytes)
            if b"QUOTED-PRINTABLE" not in part.upper() and not part.upper().startswith(b"CHARSET")
        ]
        plain = binascii.a2b_qp(value or b"")
        text = f"{_decode(b';'.join(kept), None)}:{_decode(plain, charset)}"
    else:
        text = _decode(raw, charset)
    text = _NEWLINE.sub(r"\\n", text)
    if text.endswith("=") and "quoted-printable" in text.lower():
        text += " "  # else vobject would take the next line for a soft line break
    return _Line(number, text)


def _logical_lines(card: _RawCard, decoded: bool) -> list[_Line]:
    """The card's properties, each with the number of the line where it starts."""
    done: list[_Line] = []
    start = 0
    chunks: list[bytes] = []

    def finish() -> None:
        if chunks:
            found = _property(start, b"".join(chunks), decoded)
            if found is not None:
                done.append(found)
            chunks.clear()

    for number, line in card.lines:
        if chunks and chunks[-1].endswith(b"=") and line.strip() and _head(chunks[0]).is_qp:
            chunks[-1] = chunks[-1][:-1]  # a quoted-printable soft line break
            chunks.append(line)
        elif not line.strip():
            finish()
        elif line[:1] in (b" ", b"\t"):
            if chunks:
                chunks.append(line[1:])  # folded
        elif line.startswith(b"#"):
            continue  # not allowed by any version, but phones write them
        elif chunks and b":" not in line and chunks[-1].endswith(b"\\"):
            chunks.append(b"n" + line)  # a 2.1 value continued after a backslash: a new line
        elif chunks and b":" not in line and _head(chunks[0]).is_binary:
            chunks.append(line)  # 2.1 base64 data on lines of its own
        else:
            finish()
            start = number
            chunks.append(line)
    finish()
    return done


@dataclass(frozen=True)
class _Prop:
    """One property of a parsed card, in plain types."""

    name: str  # upper-case
    params: dict[str, list[str]]  # upper-case keys
    flags: frozenset[str]  # 2.1 bare parameters and TYPE values, upper-case: PREF, WORK
    value: str  # still escaped
    group: str | None = None  # Apple's "item1" of item1.ADR, upper-case


class _UnreadableError(Exception):
    """vobject could not parse a card: the message says where and why."""


def _parse(card: _RawCard, lines: Sequence[_Line]) -> list[_Prop]:
    """The properties of one card, parsed by vobject; _UnreadableError if it cannot."""
    begin, end = f"BEGIN:{_COMPONENT}", f"END:{_COMPONENT}"
    numbered = [_Line(card.first_line, begin), *lines, _Line(card.last_line, end)]
    text = "".join(f"{line.text}\r\n" for line in numbered)
    try:
        component = vobject.readOne(text, transform=False, allowQP=True)
    except _UNREADABLE as err:
        at = getattr(err, "lineNumber", None)
        message = str(getattr(err, "msg", err))
        if isinstance(at, int) and 0 <= at <= len(numbered):
            raise _unreadable(numbered[max(at, 1) - 1], message) from err
        raise _UnreadableError(message[:80]) from err
    return [_prop(child) for child in component.getChildren() if _is_line(child)]


def _unreadable(line: _Line, message: str) -> _UnreadableError:
    if message.startswith("Failed to parse line"):
        excerpt = line.text if len(line.text) <= 40 else line.text[:39] + "…"
        return _UnreadableError(f"line {line.number} is not a property: {excerpt!r}")
    return _UnreadableError(f"line {line.number}: {message[:80]}")


def _is_line(child: Any) -> bool:
    return isinstance(child, vobject.base.ContentLine)


def _prop(line: Any) -> _Prop:
    params: dict[str, list[str]] = {
        str(key).upper(): [str(v) for v in values] for key, values in line.params.items()
    }
    flags = {str(flag).upper() for flag in line.singletonparams}
    flags.update(t.strip().upper() for v in params.get("TYPE", []) for t in v.split(","))
    group = str(line.group).upper() if line.group else None
    return _Prop(str(line.name).upper(), params, frozenset(flags), str(line.value), group)


# --- reading: properties → Person -----------------------------------------------------------


def _unescape(text: str) -> str:
    """vCard text escapes undone (``\\n``, ``\\,``, ``\\;``, ``\\\\``, and Apple's ``\\:``)."""
    return _ESCAPED.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def _split(text: str, separator: str) -> list[str]:
    """``text`` cut at each ``separator`` that is not escaped; the parts are still escaped."""
    parts, current, index = [], [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def _one_line(text: str) -> str | None:
    """``text`` on one line, controls dropped and spaces collapsed; None if nothing is left."""
    cleaned = " ".join(_CONTROL.sub(" ", text).split())
    return cleaned or None


def _values(props: Sequence[_Prop], name: str) -> list[_Prop]:
    return [prop for prop in props if prop.name == name]


def _first(props: Sequence[_Prop], name: str) -> str | None:
    for prop in _values(props, name):
        found = _one_line(_unescape(prop.value))
        if found:
            return found
    return None


def _rank(prop: _Prop) -> int:
    """How preferred a value is: 4.0 PREF=1..100, 2.1/3.0 PREF as 1, unmarked as 101."""
    for value in prop.params.get("PREF", []):
        if value.strip().isdigit():
            return min(int(value), 100)
    return 1 if "PREF" in prop.flags else 101


def _by_preference(props: Sequence[_Prop]) -> list[_Prop]:
    return sorted(props, key=_rank)  # stable: the file's order among equals


def _emails(props: Sequence[_Prop]) -> list[str]:
    found: list[str] = []
    seen: set[str] = set()
    for prop in _by_preference(_values(props, "EMAIL")):
        address = _one_line(_unescape(prop.value))
        if address and address.lower().startswith("mailto:"):
            address = _one_line(address[len("mailto:") :])
        if address and "@" in address and names.email_key(address) not in seen:
            seen.add(names.email_key(address))
            found.append(address)
    return found


def _phone(value: str) -> str | None:
    text = _unescape(value).strip()
    if text.lower().startswith("tel:"):
        number, *params = text[len("tel:") :].split(";")
        extension = [p.partition("=")[2] for p in params if p.lower().startswith("ext=")]
        text = f"{number} ext {extension[0]}" if extension and extension[0] else number
    found = _one_line(text)
    return found if found and any(char.isdigit() for char in found) else None


def _phones(props: Sequence[_Prop]) -> list[str]:
    found: list[str] = []
    for prop in _by_preference(_values(props, "TEL")):
        number = _phone(prop.value)
        if number and number not in found:
            found.append(number)
    return found


def _company(props: Sequence[_Prop]) -> str | None:
    for prop in _values(props, "ORG"):
        return _one_line(_unescape(_split(prop.value, ";")[0]))
    return None


def _structured_name(props: Sequence[_Prop]) -> str | None:
    """The name an N property spells: prefix, given, additional, family, suffix."""
    for prop in _values(props, "N"):
        fields = [
            " ".join(_unescape(item) for item in _split(part, ","))
            for part in _split(prop.value, ";")
        ]
        fields += [""] * (5 - len(fields))
        family, given, additional, prefix, suffix = fields[:5]
        found = _one_line(" ".join((prefix, given, additional, family, suffix)))
        if found:
            return found
    return None


def _tags(props: Sequence[_Prop]) -> list[str]:
    """CATEGORIES as tags: lower-case, spaces as hyphens. A comma always separates two tags,
    escaped or not, since a tag cannot hold one (Thunderbird writes ``a\\, b`` for two)."""
    found: list[str] = []
    for prop in _values(props, "CATEGORIES"):
        for category in _unescape(prop.value).split(","):
            tag = "-".join(_CONTROL.sub(" ", category).lower().split())
            if tag and tag not in found:
                found.append(tag)
    return found


def _birthday(props: Sequence[_Prop]) -> str | None:
    """'YYYY-MM-DD' or '--MM-DD' from the first BDAY that is a date; a text BDAY is dropped."""
    return _date(_values(props, "BDAY"))


# Where vCard writers keep an anniversary: 4.0, then the 3.0 extensions (Apple's X-ABDATE is
# found through its label, see _anniversary).
_ANNIVERSARIES = ("ANNIVERSARY", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY", "X-MS-ANNIVERSARY")
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")


def _labels(props: Sequence[_Prop]) -> dict[str, str]:
    """Apple's ``itemN.X-ABLabel`` of each group: ``_$!<Home>!$_`` as 'home', else as written."""
    found = {}
    for prop in _values(props, "X-ABLABEL"):
        text = _one_line(_unescape(prop.value))
        if prop.group and text:
            apple = _APPLE_LABEL.fullmatch(text)
            found[prop.group] = apple.group(1).lower() if apple else text
    return found


def _anniversary(props: Sequence[_Prop]) -> str | None:
    labels = _labels(props)
    dated = [p for name in _ANNIVERSARIES for p in _values(props, name)]
    dated += [p for p in _values(props, "X-ABDATE") if labels.get(p.group or "") == "anniversary"]
    return _date(dated)


def _date(props: Sequence[_Prop]) -> str | None:
    """'YYYY-MM-DD' or '--MM-DD' from the first of ``props`` that holds a date."""
    for prop in props:
        if any(v.strip().lower() == "text" for v in prop.params.get("VALUE", [])):
            continue
        text = _unescape(prop.value).strip()
        omit_year = prop.params.get("X-APPLE-OMIT-YEAR", [])
        if full := _DATE.fullmatch(text):
            year, month, day = full.groups()
            if year in (*(y.strip() for y in omit_year), "0000"):
                year = None
        elif partial := _NO_YEAR.fullmatch(text):
            year, (month, day) = None, partial.groups()
        else:
            continue
        try:
            date(int(year or 2000), int(month), int(day))  # 2000: a leap year, for --02-29
        except ValueError:
            continue
        return f"{year}-{month}-{day}" if year else f"--{month}-{day}"
    return None


def _nickname(props: Sequence[_Prop]) -> str | None:
    """NICKNAME, every one of a list (``Johnny,JQP``) kept, as 'Johnny, JQP'."""
    for prop in _values(props, "NICKNAME"):
        found = [n for n in (_one_line(_unescape(part)) for part in _split(prop.value, ",")) if n]
        if found:
            return ", ".join(found)
    return None


def _address_label(prop: _Prop, labels: Mapping[str, str]) -> str | None:
    if prop.group and prop.group in labels:
        return labels[prop.group]
    for flag in ("HOME", "WORK", "OTHER"):
        if flag in prop.flags:
            return flag.lower()
    return None


def _addresses(props: Sequence[_Prop]) -> list[Address]:
    """ADR: PO box, extended address, street, locality, region, postal code, country.

    The PO box, extended address and street become the street's lines; TYPE=home or work
    (or Apple's item label) the label. An ADR with nothing in it is dropped."""
    labels = _labels(props)
    found: list[Address] = []
    for prop in _by_preference(_values(props, "ADR")):
        parts = [_NEWLINE.sub("\n", _unescape(part)) for part in _split(prop.value, ";")]
        parts += [""] * (7 - len(parts))
        lines = [_one_line(line) for part in parts[:3] for line in part.split("\n")]
        street = "\n".join(line for line in lines if line) or None
        city, region, postcode, country = (_one_line(part) for part in parts[3:7])
        if not any((street, city, region, postcode, country)):
            continue
        address = Address(_address_label(prop, labels), street, city, region, postcode, country)
        if address not in found:
            found.append(address)
    return found


def _notes(props: Sequence[_Prop]) -> str | None:
    found = []
    for prop in _values(props, "NOTE"):
        text = _NEWLINE.sub("\n", _unescape(prop.value)).replace("\t", " ")
        text = "\n".join(line.rstrip() for line in _NOTE_CONTROL.sub("", text).split("\n"))
        if text.strip():
            found.append(text.strip())
    return "\n\n".join(found) or None


def _is_group(props: Sequence[_Prop]) -> bool:
    kinds = _values(props, "KIND") + _values(props, "X-ADDRESSBOOKSERVER-KIND")
    return any(_unescape(prop.value).strip().lower() == "group" for prop in kinds)


def _person(props: Sequence[_Prop], where: str) -> Item:
    if _is_group(props):
        return Skipped(where, "a contact group, not a person")
    emails = _emails(props)
    company = _company(props)
    shows_company = any(
        prop.value.strip().upper() == "COMPANY" for prop in _values(props, "X-ABSHOWAS")
    )
    name = (
        (company if shows_company else None)
        or _first(props, "FN")
        or _structured_name(props)
        or company
        or (emails[0] if emails else None)
    )
    if name is None:
        return Skipped(where, "the card has no name, company or email")
    folded = names.fold(name)
    if company and names.fold(company) != folded:
        folded += "|" + names.fold(company)
    key = _first(props, "UID") or (names.email_key(emails[0]) if emails else None) or folded
    return Person(
        name=name,
        where=where,
        key=key,
        emails=emails,
        phones=_phones(props),
        company=company,
        title=_first(props, "TITLE"),
        tags=_tags(props),
        birthday=_birthday(props),
        notes=_notes(props),
        url=_first(props, "URL"),
        nickname=_nickname(props),
        anniversary=_anniversary(props),
        addresses=_addresses(props),
    )


def _item(card: _RawCard, where: str, decoded: bool) -> Item:
    lines = _logical_lines(card, decoded)
    short = "" if card.is_closed else " (the file ends before its END:VCARD)"
    if not lines:
        return Skipped(where, f"the card is empty{short}")
    try:
        props = _parse(card, lines)
    except _UnreadableError as err:
        return Skipped(where, f"cannot read the card: {err}{short}")
    item = _person(props, where)
    if isinstance(item, Skipped) and short:
        return Skipped(where, item.reason + short)
    return item


def _bytes(data: bytes | str) -> bytes:
    if isinstance(data, bytes):
        return data
    try:
        return data.encode("utf-8", errors="surrogateescape")  # bytes open_text could not decode
    except UnicodeEncodeError:
        return data.encode("utf-8", errors="replace")


def read(data: bytes | str, *, source: str) -> Iterator[Item]:
    """The people of a vCard file (2.1, 3.0 or 4.0), one Person or Skipped per card, in order.

    ``where`` is ``"card N (line L)"``, L being the line of the card's BEGIN:VCARD. Text is
    accepted too (it is read as its UTF-8 bytes). ``source`` names the file in the one
    Skipped given for a file with no card at all. See ``read_stream`` for the limits.
    """
    return read_stream(io.BytesIO(_bytes(data)), source=source)


def read_stream(binary: IO[bytes], *, source: str) -> Iterator[Item]:
    """``read`` over a binary stream, card by card: memory is bounded by the largest card,
    not by the file. A physical line over ``LINE_LIMIT`` bytes or a card over ``CARD_LIMIT``
    bytes refuses the file (ImportFileError) without being held whole; nothing else here
    raises on bad input."""
    head = binary.read(_HEAD)
    lines, decoded = _stream_lines(head, binary)
    count = 0
    any_text = False
    for card, text_seen in _streamed_cards(lines):
        any_text = any_text or text_seen
        if card is None:
            continue
        count += 1
        yield _item(card, f"card {count} (line {card.first_line})", decoded)
    if count == 0 and (any_text or head.strip()):
        yield Skipped("line 1", f"{source!r} holds no vCard (no BEGIN:VCARD line)")


LINE_LIMIT = 8 << 20  # bytes in one physical line (an unfolded PHOTO may be a few MiB)
CARD_LIMIT = 32 << 20  # bytes in one card, its nested cards included
_HEAD = 64 * 1024  # bytes looked at for the encoding and the line separator
_CHUNK = 1 << 20


def _utf16_codec(head: bytes) -> str | None:
    """The codec of a UTF-16 file, with a BOM, or without one but with NUL in every other byte (old macOS Address Book)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:512]
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 8:
        return None
    if even.count(0) * 10 >= len(even) * 3 and odd.count(0) * 20 <= len(odd):
        return "utf-16-be"
    if odd.count(0) * 10 >= len(odd) * 3 and even.count(0) * 20 <= len(even):
        return "utf-16-le"
    return None


def _stream_lines(head: bytes, rest: IO[bytes]) -> tuple[Iterator[bytes], bool]:
    """The lines of the file without their endings (LF, CRLF, CR CR LF, or CR alone when its
    head has no LF), read lazily, and
    whether the file was already decoded (then CHARSET no longer applies)."""
    codec = _utf16_codec(head)

    def chunks() -> Iterator[bytes]:
        if codec is None:
            first = head[len(_BOM8) :] if head.startswith(_BOM8) else head
            yield first
            yield from iter(lambda: rest.read(_CHUNK), b"")
            return
        import codecs

        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        text = decoder.decode(head).lstrip("\ufeff")
        yield text.encode("utf-8", errors="replace")
        for chunk in iter(lambda: rest.read(_CHUNK), b""):
            yield decoder.decode(chunk).encode("utf-8", errors="replace")
        yield decoder.decode(b"", final=True).encode("utf-8", errors="replace")

    decoded = codec is not None or head.startswith(_BOM8)
    separator = b"\n" if b"\n" in head or b"\r" not in head else b"\r"
    return _split_lines(chunks(), separator), decoded


def _split_lines(chunks: Iterator[bytes], separator: bytes) -> Iterator[bytes]:
    pending = b""
    number = 0
    for chunk in chunks:
        if not chunk:
            continue
        *lines, pending = (pending + chunk).split(separator)
        for line in lines:
            number += 1
            if len(line) > LINE_LIMIT:
                raise _line_too_long(number)
            yield line.rstrip(b"\r")
        if len(pending) > LINE_LIMIT:
            raise _line_too_long(number + 1)
    yield pending.rstrip(b"\r")


def _line_too_long(number: int) -> ImportFileError:
    return ImportFileError(
        f"line {number} is longer than {LINE_LIMIT >> 20} MiB; nothing was changed",
        hint="is this a vCard file? check the file",
    )


def _streamed_cards(lines: Iterator[bytes]) -> Iterator[tuple[_RawCard | None, bool]]:
    """``_cards`` as a stream: a card (with the cards nested in it, in the order they begin)
    is handed on as soon as its outermost END:VCARD is read; ``(None, True)`` says that a
    line with text outside any card was seen."""
    done: list[_RawCard] = []
    open_cards: list[_RawCard] = []
    size = 0
    number = 0
    for number, line in enumerate(lines, start=1):
        bare = line[len(_BOM8) :] if line.startswith(_BOM8) else line
        if _BEGIN.fullmatch(bare):
            open_cards.append(_RawCard(number, []))
        elif _END.fullmatch(bare):
            if open_cards:
                card = open_cards.pop()
                card.last_line, card.is_closed = number, True
                done.append(card)
                if not open_cards:
                    yield from ((c, False) for c in sorted(done, key=lambda c: c.first_line))
                    done.clear()
                    size = 0
        elif open_cards:
            open_cards[-1].lines.append((number, line))
            size += len(line)
            if size > CARD_LIMIT:
                raise ImportFileError(
                    f"the card at line {open_cards[0].first_line} is larger than "
                    f"{CARD_LIMIT >> 20} MiB; nothing was changed",
                    hint="is this a vCard file? check the file",
                )
        elif line.strip():
            yield (None, True)
    for card in open_cards:  # cut short by the end of the file
        card.last_line = number
        done.append(card)
    yield from ((c, False) for c in sorted(done, key=lambda c: c.first_line))


# --- writing --------------------------------------------------------------------------------


def _escaped(value: Any) -> str:
    """A text value as vCard 3.0 writes it: ``\\``, ``;`` and ``,`` escaped, every kind of line
    break as ``\\n`` (so no stored CR or LF can start a property), other controls dropped, a
    tab as a space, and runs of spaces cut to 64 (so that no folded line is blank)."""
    text = _NEWLINE.sub("\n", str(value)).replace("\t", " ")
    text = _SPACES.sub(" " * _MAX_SPACES, _NOTE_CONTROL.sub("", text))
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\n", "\\n")


def _fold(line: str) -> str:
    """``line`` folded so that no line holds more than 75 octets of UTF-8 (the leading space
    of a continuation line included), never inside a character or an escape pair."""
    if len(line) * 4 <= LINE_OCTETS or len(line.encode("utf-8")) <= LINE_OCTETS:
        return line + "\r\n"
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for unit in _FOLD_UNIT.findall(line):
        octets = len(unit.encode("utf-8"))
        if size + octets > limit and current:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(unit)
        size += octets
    pieces.append("".join(current))
    return "\r\n ".join(pieces) + "\r\n"


def _texts(value: Any) -> list[str]:
    """The non-empty texts of a value that may be missing, one value, or a list of them."""
    items = value if isinstance(value, list | tuple | set | frozenset) else [value]
    return [str(item).strip() for item in items if item is not None and str(item).strip()]


def _text(person: Mapping[str, Any], key: str) -> str | None:
    found = _texts(person.get(key))
    return found[0] if found else None


def _birthday_value(value: Any) -> str | None:
    text = value.isoformat() if isinstance(value, date) else str(value or "").strip()
    if not _BIRTHDAY.fullmatch(text):
        return None
    year, month, day = text[:-6].strip("-"), text[-5:-3], text[-2:]
    try:
        date(int(year or 2000), int(month), int(day))
    except ValueError:
        return None
    return text


def _address_lines(addresses: Iterable[Mapping[str, Any]]) -> list[str]:
    """ADR lines: the street's lines in the street component (PO box and extended address
    left empty); a label other than home or work as Apple's item label, which it shows."""
    lines: list[str] = []
    for number, address in enumerate(addresses, start=1):
        parts = [_escaped(address.get(key) or "") for key in _ADR_KEYS]
        if not any(parts):
            continue
        value = ";;" + ";".join(parts)
        label = str(address.get("label") or "").strip()
        if label.lower() in ("home", "work"):
            lines.append(f"ADR;TYPE={label.lower()}:{value}")
        elif label:
            lines += [f"item{number}.ADR:{value}", f"item{number}.X-ABLabel:{_escaped(label)}"]
        else:
            lines.append(f"ADR:{value}")
    return lines


_ADR_KEYS = ("street", "city", "region", "postcode", "country")


def _card(person: Mapping[str, Any]) -> str:
    emails, phones = _texts(person.get("emails")), _texts(person.get("phones"))
    company, number = _text(person, "company"), _text(person, "id")
    name = _text(person, "name") or company or next(iter(emails + phones), None)
    name = name or f"contact {number or ''}".strip()
    words = name.split()
    family, given = (words[-1], " ".join(words[:-1])) if len(words) > 1 else ("", name)
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"PRODID:{PRODID}"]
    if number is not None:
        lines.append(f"UID:{UID_PREFIX}{_escaped(number)}")
    lines += [f"FN:{_escaped(name)}", f"N:{_escaped(family)};{_escaped(given)};;;"]
    lines += [f"EMAIL;TYPE=INTERNET:{_escaped(email)}" for email in emails]
    lines += [f"TEL:{_escaped(phone)}" for phone in phones]
    if company:
        lines.append(f"ORG:{_escaped(company)}")
    if title := _text(person, "title"):
        lines.append(f"TITLE:{_escaped(title)}")
    if tags := _texts(person.get("tags")):
        lines.append("CATEGORIES:" + ",".join(_escaped(tag) for tag in tags))
    if nickname := _text(person, "nickname"):
        lines.append(f"NICKNAME:{_escaped(nickname)}")
    if birthday := _birthday_value(person.get("birthday")):
        lines.append(f"BDAY:{birthday}")
    if anniversary := _birthday_value(person.get("anniversary")):
        lines.append(f"X-ANNIVERSARY:{anniversary}")  # 3.0 has no ANNIVERSARY; Apple reads this
    lines += _address_lines(person.get("addresses") or [])
    if url := _text(person, "url"):
        lines.append(f"URL:{_escaped(url)}")
    if notes := _text(person, "notes"):
        lines.append(f"NOTE:{_escaped(notes)}")
    lines.append("END:VCARD")
    return "".join(_fold(line) for line in lines)


def write(people: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """vCard 3.0 text, one card per person: encode the chunks as UTF-8 and write them as they
    are (lines already end in CRLF; do not translate newlines).

    A person is a mapping with ``name``, ``emails``, ``phones``, ``company``, ``title``,
    ``tags``, ``birthday`` ('YYYY-MM-DD' or '--MM-DD'), ``notes``, ``url``, ``id``,
    ``nickname``, ``anniversary`` (as birthday) and ``addresses`` (mappings with ``label``,
    ``street``, ``city``, ``region``, ``postcode``, ``country``); missing keys and None are
    left out. UID is ``relcli-contact-<id>``, so a re-import finds the
    contact; N is guessed from the name (last word as family name) because 3.0 requires it.
    """
    for person in people:
        yield _card(person)
