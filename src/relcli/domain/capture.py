"""Quick capture: one line such as "call @dana: worried !churn-risk #pricing next:fri" → Capture.

The grammar is documented in docs/log.md. A token starts a word (the start of the line or
after whitespace); anywhere else ``@``, ``#`` and ``!`` are ordinary text, so an email address
or ``C#`` is never a token. A word that starts with a backslash is taken literally.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from relcli.domain import vocabulary, when
from relcli.errors import UsageError

# Punctuation that may follow a token ("@dana:", "#pricing,") and goes with it.
TRAILING = ".,;:!?)"
# Words made only of these, left at either end of the summary, are dropped ("call @dana - ...").
SEPARATORS = frozenset(":;,-|/\N{EN DASH}\N{EM DASH}")
QUOTES = "\"'"
EXAMPLE = "relcli log 'call @dana: worried about the price !churn-risk #pricing next:fri'"


@dataclass(frozen=True)
class Capture:
    """What one quick-capture line says; None or empty means the line did not say it."""

    contact: str
    summary: str | None = None
    channel: str | None = None
    is_inbound: bool = False
    outcome: str | None = None
    signal_kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    next_on: date | None = None


def _is_mention(word: str) -> bool:
    """'@' opening a word and followed by a letter, a digit, '#' (an id) or a quote."""
    return len(word) > 1 and word[0] == "@" and (word[1].isalnum() or word[1] in "#" + QUOTES)


def has_mention(text: str) -> bool:
    """Whether ``text`` names a contact with a word-start ``@`` (``dana@acme.com`` does not)."""
    words = text.split()
    if words and words[0].startswith("<"):
        words[0] = words[0][1:]
    return any(_is_mention(w) for w in words)


def is_capture(args: Sequence[str]) -> bool:
    """Whether ``relcli log`` arguments are a quick-capture line rather than CONTACT [SUMMARY].

    They are when the first argument has an @mention, or when it is only a channel word or
    an inbound marker ("call", "<", "in:email") and a later argument has one. Otherwise the
    first argument is the CONTACT, so ``relcli log ann "cc'd @bob"`` still logs with Ann.
    """
    if not args:
        return False
    if has_mention(args[0]):
        return True
    words = args[0].split()
    _, _, used = _head(words)
    return bool(words) and used == len(words) and any(has_mention(a) for a in args[1:])


def _channel_word(word: str) -> str | None:
    bare = word.lower().removesuffix(":")
    return bare if bare in vocabulary.INTERACTION_CHANNELS else None


def _head(words: Sequence[str]) -> tuple[bool, str | None, int]:
    """The inbound marker and channel word that may open a line, and how many words they use.

    Each may appear once, in either order: "call", "email:", "<", "<email", "in:", "in:email".
    """
    inbound, channel, used = False, None, 0
    for n, raw in enumerate(words):
        word = raw
        if n == 0 and word.startswith("<"):
            inbound, word = True, word[1:]
            if not word:
                used = 1
                continue
        lowered = word.lower()
        if lowered.startswith("in:") and not inbound:
            rest = word[3:]
            if not rest:
                inbound, used = True, n + 1
                continue
            if channel is None and (found := _channel_word(rest)) is not None:
                inbound, channel, used = True, found, n + 1
                continue
            raise UsageError(
                f"unknown channel {rest!r} in {raw!r}",
                hint=f"use one of: {', '.join(vocabulary.INTERACTION_CHANNELS)}, e.g. in:email",
            )
        if channel is None and (found := _channel_word(word)) is not None:
            channel, used = found, n + 1
            continue
        break
    return inbound, channel, used


def _strip_trailing(value: str) -> str:
    return value.rstrip(TRAILING)


def _quoted(text: str, start: int, token: str) -> tuple[str, int]:
    """The quoted value opening at ``start`` and the index after the token that holds it."""
    quote = text[start]
    close = text.find(quote, start + 1)
    if close < 0:
        raise UsageError(
            f"unclosed quote in {token!r}",
            hint=f"close it, e.g. @{quote}Dana Lee{quote} or next:{quote}in 3 days{quote}",
        )
    end = close + 1
    while end < len(text) and text[end] in TRAILING:
        end += 1
    return text[start + 1 : close], end


def _mention_ref(value: str, *, quoted: bool) -> str:
    """The CONTACT text of a mention: '@dana.lee' and '@dana_lee' mean 'dana lee'."""
    ref = value.strip() if quoted else _strip_trailing(value)
    if not quoted and "@" not in ref:  # an email address keeps its dots
        ref = ref.replace(".", " ").replace("_", " ")
    ref = " ".join(ref.split())
    if not ref:
        raise UsageError("the @mention names nobody", hint='write @dana, @dana.lee or @"Dana Lee"')
    return ref


def _next_on(value: str, token: str, today: date) -> date:
    """A follow-up date; hyphens and underscores may stand for spaces (next:in-3-days)."""
    hint = 'write next:fri, next:2026-12-04, next:in-3-days or next:"in 3 days"'
    if not value.strip():
        raise UsageError(f"{token!r} needs a date right after the colon", hint=hint)
    try:
        return when.parse_date(value, today)
    except UsageError:
        pass
    try:
        return when.parse_date(value.replace("-", " ").replace("_", " "), today)
    except UsageError as err:
        raise UsageError(
            f"cannot read the date {value!r} in {token!r}; nothing was changed",
            hint=f"{hint}; {err.hint}",
        ) from err


class _Line:
    """Collects the tokens of one line; duplicates are dropped, contradictions refused."""

    def __init__(self) -> None:
        self.contacts: list[str] = []
        self.kinds: list[str] = []
        self.tags: list[str] = []
        self.outcomes: list[str] = []
        self.next_dates: list[tuple[date, str]] = []
        self.words: list[str] = []

    def contact(self, ref: str) -> None:
        if self.contacts and self.contacts[0].casefold() != ref.casefold():
            raise UsageError(
                f"one contact per log line: {self.contacts[0]!r} and {ref!r}; nothing was changed",
                hint="log each separately; write \\@ to keep an @ as text",
            )
        if not self.contacts:
            self.contacts.append(ref)

    def outcome(self, value: str) -> None:
        checked = vocabulary.check_outcome(value)
        if self.outcomes and self.outcomes[0] != checked:
            raise UsageError(
                f"two outcomes in one line: {self.outcomes[0]!r} and {checked!r}",
                hint="keep one, e.g. =voicemail",
            )
        self.outcomes[:] = [checked]

    def next_date(self, day: date, token: str) -> None:
        if self.next_dates and self.next_dates[0][0] != day:
            raise UsageError(
                f"two follow-up dates in one line: {self.next_dates[0][1]!r} and {token!r}",
                hint="keep one next:WHEN",
            )
        self.next_dates[:] = [(day, token)]

    def add_unique(self, into: list[str], value: str) -> None:
        if value not in into:
            into.append(value)


def _summary(words: Sequence[str]) -> str | None:
    kept = list(words)
    while kept and set(kept[0]) <= SEPARATORS:
        kept.pop(0)
    while kept and set(kept[-1]) <= SEPARATORS:
        kept.pop()
    return " ".join(kept) or None


def parse(text: str, today: date) -> Capture:
    """Read one quick-capture line; raises UsageError with a hint on anything it cannot read."""
    line = _Line()
    head = text.split()
    inbound, channel, used = _head(head)
    # Skip the head words in the text itself, so quoted values after them keep their spaces.
    pos = 0
    for word in head[:used]:
        pos = text.index(word, pos) + len(word)
    if inbound and not used:  # '<' glued to the first word: "<@dana asked for a quote"
        pos = text.index("<") + 1
    n = len(text)
    while pos < n:
        if text[pos].isspace():
            pos += 1
            continue
        end = pos
        while end < n and not text[end].isspace():
            end += 1
        word = text[pos:end]
        low = word.lower()
        first, second = word[0], word[1:2]
        if first == "\\" and len(word) > 1:
            line.words.append(word[1:])
        elif _is_mention(word):
            if second in QUOTES:
                value, end = _quoted(text, pos + 1, word)
                line.contact(_mention_ref(value, quoted=True))
            else:
                line.contact(_mention_ref(word[1:], quoted=False))
        elif first == "#" and second.isalpha():
            line.add_unique(line.tags, vocabulary.check_tag(_strip_trailing(word[1:])))
        elif first == "!" and second.isalpha():
            line.add_unique(line.kinds, _strip_trailing(word[1:]).lower())
        elif first == "=" and second.isalpha():
            line.outcome(_strip_trailing(word[1:]))
        elif low.startswith("next:"):
            if word[5:6] and word[5] in QUOTES:
                value, end = _quoted(text, pos + 5, word)
                token = text[pos:end]
            else:
                value, token = _strip_trailing(word[5:]), word
            line.next_date(_next_on(value, token, today), token)
        else:
            line.words.append(word)
        if end < n and not text[end].isspace():
            raise UsageError(
                f"text right after a closing quote in {text[pos:].split()[0]!r}",
                hint='put a space after the quote, e.g. @"Dana Lee": or next:"in 3 days"',
            )
        pos = end
    if not line.contacts:
        raise UsageError(
            f"no @contact in {text!r}; nothing was changed",
            hint=f"name who it was with, e.g. {EXAMPLE}",
        )
    return Capture(
        contact=line.contacts[0],
        summary=_summary(line.words),
        channel=channel,
        is_inbound=inbound,
        outcome=line.outcomes[0] if line.outcomes else None,
        signal_kinds=tuple(line.kinds),
        tags=tuple(line.tags),
        next_on=line.next_dates[0][0] if line.next_dates else None,
    )
