"""Where relcli keeps its files, and the settings read from config.toml."""

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from relcli.domain import calling, ranking, vocabulary, when
from relcli.errors import ConfigError, UsageError

APP = "relcli"


@dataclass(frozen=True)
class Paths:
    data_dir: Path
    config_dir: Path
    state_dir: Path
    database: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"


def paths(db_override: str | None = None) -> Paths:
    """Resolve every path: --db, then RELCLI_DB, RELCLI_HOME, then the platform's user dirs."""
    if home := os.environ.get("RELCLI_HOME"):
        data = config = state = Path(home).expanduser()
    else:
        import platformdirs

        data = Path(platformdirs.user_data_dir(APP, appauthor=False))
        config = Path(platformdirs.user_config_dir(APP, appauthor=False))
        state = Path(platformdirs.user_state_dir(APP, appauthor=False))
    db = db_override or os.environ.get("RELCLI_DB")
    database = Path(db).expanduser() if db else data / "relcli.db"
    return Paths(data_dir=data, config_dir=config, state_dir=state, database=database)


SMTP_PORTS = {"starttls": 587, "ssl": 465, "none": 25}  # the default port per security


@dataclass(frozen=True)
class Smtp:
    """The [smtp] section: where mail is sent from. Never a password (see credentials.py)."""

    host: str
    from_: str  # the From header, e.g. "Ann Lee <ann@example.com>" ("from" in config.toml)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    port: int = 0  # 0: the default for the security, filled in below
    user: str | None = None  # log in only when set
    password_command: str | None = None  # e.g. "pass show mail/smtp"; its first line

    def __post_init__(self) -> None:
        if not self.port:
            object.__setattr__(self, "port", SMTP_PORTS[self.security])


@dataclass(frozen=True)
class Call:
    """The [call] section: the proposed next follow-up per outcome, and the dial command."""

    next_after: Mapping[str, calling.NextRule] = field(default_factory=lambda: calling.rules({}))
    dial: tuple[str, ...] | None = None  # None: the platform's opener (xdg-open, open)


@dataclass(frozen=True)
class Settings:
    """Everything config.toml can say, validated; defaults when there is no file."""

    rank: ranking.RankConfig = field(default_factory=ranking.RankConfig)
    cadence_by_stage: Mapping[str, int] = field(default_factory=dict)
    cadence_by_tag: Mapping[str, int] = field(default_factory=dict)
    channel_order: tuple[str, ...] = vocabulary.CHANNELS
    phone_region: str | None = None  # where numbers without a country code are, e.g. "US"
    smtp: Smtp | None = None  # None: no [smtp] section, so no mail
    remind_top: int = 10  # rows of today's list in `relcli remind`
    backup_before_import: bool = True  # a copy of the book before every import
    import_max_bytes: int = 64 << 20  # larger import files are refused before they are read
    call: Call = field(default_factory=Call)  # relcli call


def _flatten(prefix: str, table: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}.{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(dotted, value))
        else:
            flat[dotted] = value
    return flat


def _spans(section: str, table: Any) -> dict[str, int]:
    if not isinstance(table, Mapping):
        raise ConfigError(f'[{section}] must be a table of names and spans like "30d"')
    out: dict[str, int] = {}
    for name, raw in table.items():
        try:
            out[str(name)] = when.parse_span(str(raw))
        except UsageError as err:
            raise ConfigError(f"{section}.{name}: {err}", hint=err.hint) from err
    return out


def _vocabulary(key: str, check: Any, value: str, origin: str) -> str:
    try:
        return str(check(value))
    except UsageError as err:
        raise ConfigError(f"{key} in {origin}: {err}", hint=err.hint) from err


def _backup_before_import(table: Any, origin: str) -> bool:
    if not isinstance(table, Mapping) or any(k != "before_import" for k in table):
        raise ConfigError(f"[backup] in {origin} takes only before_import",
                          hint="[backup] before_import = false")  # fmt: skip
    value = table.get("before_import", True)
    if not isinstance(value, bool):
        raise ConfigError(
            f"backup.before_import in {origin}: expected true or false, got {value!r}"
        )
    return value


def _import_max_bytes(table: Any, origin: str) -> int:
    if not isinstance(table, Mapping) or any(k != "max_file_mib" for k in table):
        raise ConfigError(f"[import] in {origin} takes only max_file_mib",
                          hint="[import] max_file_mib = 64")  # fmt: skip
    mib = table.get("max_file_mib", 64)
    if isinstance(mib, bool) or not isinstance(mib, int) or not 1 <= mib <= 16384:
        raise ConfigError(
            f"import.max_file_mib in {origin}: expected a whole number from 1 to 16384, got {mib!r}"
        )
    return mib << 20


def _remind_top(table: Any, origin: str) -> int:
    if not isinstance(table, Mapping) or any(k != "top" for k in table):
        raise ConfigError(f"[remind] in {origin} takes only top", hint="[remind] top = 10")
    top = table.get("top", 10)
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= 1000:
        raise ConfigError(
            f"remind.top in {origin}: expected a whole number from 1 to 1000, got {top!r}"
        )
    return top


def _call(table: Any, origin: str) -> Call:
    example = '[call.next_after] no-answer = "1d"'
    if not isinstance(table, Mapping):
        raise ConfigError(f"'call' in {origin} must be a table", hint=example)
    for key in table:
        if key not in ("next_after", "dial"):
            raise ConfigError(f"unknown setting 'call.{key}' in {origin}",
                              hint="known keys: next_after, dial")  # fmt: skip
    after = table.get("next_after", {})
    if not isinstance(after, Mapping):
        raise ConfigError(f"call.next_after in {origin} must be a table", hint=example)
    overrides: dict[str, str] = {}
    for name, value in after.items():
        if name not in calling.DEFAULT_NEXT_AFTER:
            raise ConfigError(f"unknown setting 'call.next_after.{name}' in {origin}",
                              hint=f"known keys: {', '.join(calling.DEFAULT_NEXT_AFTER)}")  # fmt: skip
        if not isinstance(value, str):
            raise ConfigError(f"call.next_after.{name} in {origin}: expected a string like "
                              f'"2d", got {value!r}', hint=f"use {calling.RULE_FORMS}")  # fmt: skip
        try:
            calling.parse_rule(name, value)
        except UsageError as err:
            raise ConfigError(f"call.next_after.{name} in {origin}: {err}", hint=err.hint) from err
        overrides[name] = value
    dial = table.get("dial")
    if dial is not None and (
        not isinstance(dial, list)
        or not dial
        or not all(isinstance(part, str) and part.strip() for part in dial)
    ):
        raise ConfigError(f"call.dial in {origin} must be a list of words, the command first",
                          hint='e.g. dial = ["xdg-open"]; the tel: address is added last')  # fmt: skip
    return Call(next_after=calling.rules(overrides), dial=tuple(dial) if dial else None)


def _phone_region(table: Any, origin: str) -> str | None:
    if not isinstance(table, Mapping) or any(k != "region" for k in table):
        raise ConfigError(f"[phones] in {origin} takes only region", hint='[phones] region = "US"')
    region = table.get("region")
    if region is None:
        return None
    import phonenumbers

    if not isinstance(region, str) or region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise ConfigError(f"phones.region in {origin}: unknown region {region!r}",
                          hint='use a two-letter country code such as "US", "GB" or "DE"')  # fmt: skip
    return region.upper()


def _smtp(table: Any, origin: str) -> Smtp:
    """The [smtp] section, checked; a password in the file is refused, never read."""
    example = '[smtp] host = "smtp.example.com", from = "me@example.com"'
    if not isinstance(table, Mapping):
        raise ConfigError(f"'smtp' in {origin} must be a table", hint=example)
    if "password" in table:  # the value is never shown: it is a secret
        raise ConfigError(
            f"smtp.password in {origin}: relcli never reads passwords from config.toml",
            hint="remove it, then run 'relcli secret set smtp' (the keyring), "
            "or set RELCLI_SMTP_PASSWORD or smtp.password_command",
        )
    keys = ("host", "port", "user", "from", "security", "password_command")
    for key in table:
        if key not in keys:
            raise ConfigError(
                f"unknown setting 'smtp.{key}' in {origin}", hint=f"known keys: {', '.join(keys)}"
            )

    def text(key: str) -> str | None:
        value = table.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(f"smtp.{key} in {origin} must be a non-empty string", hint=example)
        return value

    host, sender, user, command = text("host"), text("from"), text("user"), text("password_command")
    if host is None or sender is None:
        missing = "smtp.host" if host is None else "smtp.from"
        raise ConfigError(f"{missing} is missing in {origin}", hint=example)
    from email.utils import parseaddr

    if "@" not in parseaddr(sender)[1]:
        raise ConfigError(
            f"smtp.from in {origin}: {sender!r} is not an email address",
            hint='e.g. from = "Ann Lee <ann@example.com>"',
        )
    security = table.get("security", "starttls")
    if security not in SMTP_PORTS:
        raise ConfigError(
            f"smtp.security in {origin}: {security!r} is not starttls, ssl or none",
            hint='security = "starttls" (port 587) or "ssl" (port 465)',
        )
    port = table.get("port", SMTP_PORTS[security])
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise ConfigError(
            f"smtp.port in {origin}: {port!r} is not a port number", hint="port = 587"
        )
    if command is not None:
        import shlex

        try:
            shlex.split(command)
        except ValueError as err:
            raise ConfigError(
                f"smtp.password_command in {origin}: {err}", hint='e.g. "pass show mail/smtp"'
            ) from err
    if security == "none" and user is not None and not _is_loopback(host):
        raise ConfigError(
            f"smtp.security = 'none' in {origin} would send the password for {user!r} "
            f"unencrypted to {host!r}",
            hint='use security = "starttls" or "ssl"; "none" with a user is for a local relay',
        )
    return Smtp(host=host, from_=sender, security=security, port=port, user=user,
                password_command=command)  # fmt: skip


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse(document: Mapping[str, Any], *, origin: str = "config.toml") -> Settings:
    """Settings from a parsed TOML document; an unknown key is an error, never ignored."""
    known = {"rank", "cadence", "channels", "phones", "smtp", "remind", "backup", "call", "import"}
    for key in document:
        if key not in known:
            raise ConfigError(
                f"unknown setting {key!r} in {origin}",
                hint=f"known sections: {', '.join(sorted(known))}",
            )
    rank_table = document.get("rank", {})
    if not isinstance(rank_table, Mapping):
        raise ConfigError(f"'rank' in {origin} must be a table")
    rank = ranking.RankConfig.from_overrides(_flatten("rank", rank_table))
    cadence = document.get("cadence", {})
    if not isinstance(cadence, Mapping):
        raise ConfigError(f"'cadence' in {origin} must be a table with 'stage' and 'tag'")
    for key in cadence:
        if key not in ("stage", "tag"):
            raise ConfigError(
                f"unknown setting 'cadence.{key}' in {origin}",
                hint="use cadence.stage or cadence.tag",
            )
    by_stage = _spans("cadence.stage", cadence.get("stage", {}))
    for stage in by_stage:
        _vocabulary("cadence.stage", vocabulary.check_stage, stage, origin)
    by_tag = _spans("cadence.tag", cadence.get("tag", {}))
    channels = document.get("channels", {})
    if not isinstance(channels, Mapping):
        raise ConfigError(
            f"'channels' in {origin} must be a table", hint='[channels] order = ["call", "email"]'
        )
    order = channels.get("order", list(vocabulary.CHANNELS))
    if not isinstance(order, list) or not all(isinstance(c, str) for c in order):
        raise ConfigError(f"channels.order in {origin} must be a list of channels")
    order = [_vocabulary("channels.order", vocabulary.check_channel, c, origin) for c in order]
    for key in channels:
        if key != "order":
            raise ConfigError(
                f"unknown setting 'channels.{key}' in {origin}", hint="use channels.order"
            )
    rest = tuple(c for c in vocabulary.CHANNELS if c not in order)
    region = _phone_region(document.get("phones", {}), origin)
    return Settings(
        rank=rank,
        cadence_by_stage=by_stage,
        cadence_by_tag=by_tag,
        channel_order=(*order, *rest),
        phone_region=region,
        smtp=_smtp(document["smtp"], origin) if "smtp" in document else None,
        remind_top=_remind_top(document.get("remind", {}), origin),
        backup_before_import=_backup_before_import(document.get("backup", {}), origin),
        import_max_bytes=_import_max_bytes(document.get("import", {}), origin),
        call=_call(document.get("call", {}), origin),
    )


def load(path: Path, *, overrides: Mapping[str, str] | None = None) -> Settings:
    """Read config.toml (a missing file means defaults) and apply ``--set`` overrides."""
    document: dict[str, Any] = {}
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        pass
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"cannot read {path.name}: {err}", hint=f"fix or remove {path}") from err
    except OSError as err:
        raise ConfigError(f"cannot read {path.name}: {err.strerror}") from err
    settings = parse(document, origin=path.name)
    if overrides:
        settings = dataclasses.replace(settings, rank=settings.rank.with_overrides(dict(overrides)))
    return settings
