"""How names, emails and phone numbers are compared: case- and accent-insensitive keys."""

import re
import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name: 'José Núñez' → 'jose nunez'."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;.]+$")


def is_email(text: str) -> bool:
    return bool(_EMAIL.fullmatch(text.strip()))


def email_key(address: str) -> str:
    return address.strip().casefold()


def phone_key(number: str) -> str:
    """Digits only, with a leading + kept: '+1 (555) 010-2030' → '+15550102030'."""
    stripped = number.strip()
    digits = re.sub(r"\D", "", stripped)
    if stripped.startswith("+"):
        return "+" + digits
    if stripped.startswith("00"):
        return "+" + digits[2:]
    return digits


def is_phone(text: str) -> bool:
    return bool(re.fullmatch(r"[+()\d\s./-]{3,40}", text.strip())) and len(phone_key(text)) >= 3
