"""Pure rules: ranking, dates, names. No I/O, no Session, no clock."""
