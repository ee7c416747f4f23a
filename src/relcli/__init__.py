"""relcli: a personal command-line CRM for solo salespeople."""

__version__ = "0.1.0"
