"""Which encoding and delimiter a contacts file uses, and a text stream over its bytes."""

import codecs
import csv
import io
import re
from collections import Counter
from typing import IO, TextIO

HEAD_SIZE = 64 * 1024  # bytes read to decide the encoding
DELIMITERS = (",", ";", "\t")

_SAMPLE_RECORDS = 20  # records looked at to decide the delimiter
_NUL_SHARE = 0.3  # share of 2-byte units with a NUL in one half that marks BOM-less UTF-16
# Patterns for a file that is not UTF-8, compiled by re on first use (4 ms, at every start
# otherwise): most files never need them.
_JAPANESE = r"[\u3041-\u30ff\u4e00-\u9fff]"
_KANA = r"[\u3041-\u30ff]"
_GLUED = r"(?<=[A-Za-z])[\u4e00-\u9fff]|[\u4e00-\u9fff](?=[A-Za-z])"
_SEP_LINE = re.compile(r"\ufeff?sep=([,;\t])\s*", re.IGNORECASE)


def encoding_of(head: bytes) -> str:
    """The codec that decodes a file starting with `head`.

    A BOM decides first ('utf-8-sig', 'utf-16'); then NULs in every other byte mean
    BOM-less UTF-16 ('utf-16-le', 'utf-16-be'); then 'utf-8' if the head decodes strictly,
    'shift_jis' if it decodes strictly and reads as Japanese, and 'cp1252' for the rest.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if (utf16 := _utf16_by_nuls(head)) is not None:
        return utf16
    if _decodes(head, "utf-8") is not None:
        return "utf-8"
    japanese = _decodes(head, "shift_jis")
    if japanese is not None and _reads_as_japanese(japanese):
        return "shift_jis"
    return "cp1252"


def decode(head: bytes) -> str:
    """The text of `head` in its sniffed encoding; undecodable bytes become U+FFFD."""
    return head.decode(encoding_of(head), errors="replace")


def open_text(binary: IO[bytes]) -> TextIO:
    """A text stream over all of `binary`, decoded as its first 64 KiB suggest.

    Line ends are passed through untouched (newline='') so the csv module sees them, and
    undecodable bytes become U+FFFD. The caller keeps owning (and closes) `binary`.
    """
    head = _read_head(binary)
    return io.TextIOWrapper(
        _Replay(head, binary), encoding=encoding_of(head), errors="replace", newline=""
    )


def delimiter_of(sample: str) -> str:
    """The field delimiter of CSV text: ',', ';' or a tab; ',' when nothing says otherwise.

    An Excel `sep=;` first line decides. Otherwise each candidate splits the first records
    as the csv module would (quoted delimiters do not count), and the one that splits the
    most records into the same number of fields wins; lines it does not split at all (a
    free-text preamble such as LinkedIn's `Notes:`) do not vote.
    """
    first_line = sample.split("\n", 1)[0].split("\r", 1)[0]
    if sep := _SEP_LINE.fullmatch(first_line):
        return sep.group(1)
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = Counter(n for n in _field_counts(sample, delimiter) if n > 1)
        if not counts:
            continue
        fields, agreeing = counts.most_common(1)[0]
        if (agreeing, fields) > best_score:
            best, best_score = delimiter, (agreeing, fields)
    return best


def _field_counts(sample: str, delimiter: str) -> list[int]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    counts: list[int] = []
    try:
        for row in reader:
            if row:
                counts.append(len(row))
            if len(counts) >= _SAMPLE_RECORDS:
                break
    except csv.Error:  # a field past the size limit: judge by what was read
        pass
    return counts


def _utf16_by_nuls(head: bytes) -> str | None:
    units = len(head) // 2
    if units == 0:
        return None
    even = head[0 : units * 2 : 2].count(0)
    odd = head[1 : units * 2 : 2].count(0)
    if odd >= units * _NUL_SHARE and even * 4 <= odd:
        return "utf-16-le"  # ASCII 'A' is 41 00 in little-endian
    if even >= units * _NUL_SHARE and odd * 4 <= even:
        return "utf-16-be"
    return None


def _decodes(head: bytes, encoding: str) -> str | None:
    """The strict decoding of `head`, allowing a character cut at the end; None if invalid."""
    try:
        return codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        return None


def _reads_as_japanese(text: str) -> bool:
    """Kana, or kanji that mostly stand apart from Latin letters (cp1252 'Hélène' does not)."""
    if re.search(_KANA, text):
        return True
    kanji = len(re.findall(_JAPANESE, text))
    return kanji > 0 and len(re.findall(_GLUED, text)) * 2 < kanji


def _read_head(binary: IO[bytes]) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < HEAD_SIZE:
        chunk = binary.read(HEAD_SIZE - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


class _Replay(io.BufferedIOBase):
    """The sniffed head again, then the rest of the underlying stream."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._head = head
        self._rest = rest

    @property
    def name(self) -> str:  # TextIOWrapper shows it in its repr
        return str(getattr(self._rest, "name", ""))

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1, /) -> bytes:
        if size is None or size < 0:
            data, self._head = self._head + self._rest.read(), b""
            return data
        chunks: list[bytes] = []
        wanted = size
        while wanted > 0 and (chunk := self.read1(wanted)):
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)

    def read1(self, size: int = -1, /) -> bytes:
        if size < 0:
            return self.read()
        if self._head:
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._rest.read(size)
