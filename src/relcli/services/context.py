"""What every use case needs from the outside world, passed in rather than read."""

from dataclasses import dataclass
from datetime import date, datetime

from relcli.config import Settings


@dataclass(frozen=True)
class Context:
    today: date
    now: datetime  # aware UTC
    settings: Settings
