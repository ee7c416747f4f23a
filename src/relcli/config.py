"""Where relcli keeps its files, and the settings read from config.toml."""

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relcli.domain import ranking, vocabulary, when
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


@dataclass(frozen=True)
class Settings:
    """Everything config.toml can say, validated; defaults when there is no file."""

    rank: ranking.RankConfig = field(default_factory=ranking.RankConfig)
    cadence_by_stage: Mapping[str, int] = field(default_factory=dict)
    cadence_by_tag: Mapping[str, int] = field(default_factory=dict)
    channel_order: tuple[str, ...] = vocabulary.CHANNELS
    phone_region: str | None = None  # where numbers without a country code are, e.g. "US"


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


def parse(document: Mapping[str, Any], *, origin: str = "config.toml") -> Settings:
    """Settings from a parsed TOML document; an unknown key is an error, never ignored."""
    known = {"rank", "cadence", "channels", "phones"}
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
