"""One-line messages on stderr: confirmations, warnings and errors."""

import sys


def note(text: str) -> None:
    sys.stderr.write(f"{text}\n")


def warn(text: str) -> None:
    sys.stderr.write(f"relcli: warning: {text}\n")


def error(text: str, hint: str | None = None) -> None:
    """Exactly one line: the cause first, then what to do."""
    line = f"relcli: {text}" + (f" (hint: {hint})" if hint else "")
    sys.stderr.write(" ".join(line.split()) + "\n")
