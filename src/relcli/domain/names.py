"""How names, emails and phone numbers are compared: case- and accent-insensitive keys."""

import functools
import re
import unicodedata


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name: 'José Núñez' → 'jose nunez'."""
    if text.isascii():  # NFKD leaves ASCII as it is: skip the per-character pass
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def address_key(street: str | None, city: str | None, postcode: str | None) -> str:
    """What makes two postal addresses the same place: street, city and postcode, folded,
    with punctuation and spacing ignored ('12 Main St.' and '12 main st' are one)."""
    parts = []
    for part in (street, city, postcode):
        if not part:
            parts.append("")
        elif part.isascii():  # the usual case, a tenth of the time of the regex
            parts.append(" ".join(part.lower().translate(_ASCII_PUNCTUATION).split()))
        else:
            parts.append(" ".join(_PUNCTUATION.sub(" ", fold(part)).split()))
    return "|".join(parts)


_PUNCTUATION = re.compile(r"[\W_]+")
_ASCII_PUNCTUATION = {i: " " for i in range(128) if not chr(i).isalnum()}


_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;.]+$")


def is_email(text: str) -> bool:
    return bool(_EMAIL.fullmatch(text.strip()))


def email_key(address: str) -> str:
    return address.strip().casefold()


def phone_key(number: str, region: str | None = None) -> str:
    """The comparable form of a phone number: E.164 when it can be read, else its digits.

    ``region`` (e.g. "US") is where numbers without a country code are assumed to be:
    '(555) 010-2030' in "US" → '+15550102030'. Without it only '+' and '00' numbers get E.164.
    """
    import phonenumbers  # only writes and imports pay for it, never the read paths

    stripped = number.strip()
    try:
        parsed = phonenumbers.parse(stripped, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_possible_number(parsed):
        return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
    return _digits_key(stripped)


def _digits_key(stripped: str) -> str:
    digits = re.sub(r"\D", "", stripped)
    if stripped.startswith("+"):
        return "+" + digits
    if stripped.startswith("00"):
        return "+" + digits[2:]
    return digits


def is_phone(text: str) -> bool:
    return bool(re.fullmatch(r"[+()\d\s./-]{3,40}", text.strip())) and len(_digits_key(text)) >= 3
