"""Connection settings of the command: flags, named TOML profiles and ``NUDGESCRIBE_*`` vars.

Profiles live in ``$XDG_CONFIG_HOME/nudgescribe/config.toml`` (default
``~/.config/nudgescribe/config.toml``), one table per profile::

    [default]
    base_url = "http://127.0.0.1:8080"

    [staging]
    environment = "development"
    api_key = "..."
    email = "ops@example.com"
    api_secret = "..."
    api_code = "ACME"
    timeout = 30
    max_retries = 4

Precedence, highest first: flags; the profile named by ``--profile`` / ``NUDGESCRIBE_PROFILE``;
the SDK's own ``NUDGESCRIBE_*`` variables; the ``[default]`` profile; the SDK defaults.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from nudgescribe_sync.cli.errors import CliError, ExitCode

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised by the 3.10 CI job
    import tomli as tomllib

__all__ = ["KEYS", "config_path", "load_profile", "resolve_settings"]

#: Profile keys, each the name of an SDK constructor argument, with the env var it shadows.
KEYS: dict[str, str | None] = {
    "api_key": "NUDGESCRIBE_API_KEY",
    "email": "NUDGESCRIBE_EMAIL",
    "api_secret": "NUDGESCRIBE_API_SECRET",
    "api_code": "NUDGESCRIBE_API_CODE",
    "client_ip": "NUDGESCRIBE_CLIENT_IP",
    "base_url": "NUDGESCRIBE_BASE_URL",
    "environment": None,
    "timeout": None,
    "max_retries": None,
}


def config_path() -> Path:
    """Where the profiles file lives (``XDG_CONFIG_HOME`` honoured)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "nudgescribe" / "config.toml"


def load_profile(name: str | None) -> tuple[dict[str, Any], bool]:
    """Return the settings of profile ``name`` (or ``[default]``) and whether it was chosen.

    A named profile that does not exist is an error; a missing ``[default]`` is not.
    """
    chosen = name or os.environ.get("NUDGESCRIBE_PROFILE") or None
    path = config_path()
    profiles = _read(path)
    key = chosen or "default"
    if key not in profiles:
        if chosen is None:
            return {}, False
        known = ", ".join(sorted(profiles)) or "none"
        raise CliError(
            f"profile {chosen!r} not found in {path} (profiles: {known})", ExitCode.USAGE
        )
    section = profiles[key]
    if not isinstance(section, Mapping):
        raise CliError(f"[{key}] in {path} must be a table of settings", ExitCode.USAGE)
    unknown = sorted(set(section) - set(KEYS))
    if unknown:
        raise CliError(
            f"unknown setting {unknown[0]!r} in [{key}] of {path} (known: {', '.join(KEYS)})",
            ExitCode.USAGE,
        )
    return dict(section), chosen is not None


def resolve_settings(flags: Mapping[str, Any], profile: str | None) -> dict[str, Any]:
    """Merge flags over the profile into SDK constructor arguments (see the module docs)."""
    settings, explicit = load_profile(profile)
    if not explicit:  # the [default] profile yields to the environment
        settings = {
            k: v for k, v in settings.items() if not (KEYS[k] and os.environ.get(str(KEYS[k])))
        }
    settings.update({k: v for k, v in flags.items() if v is not None})
    return settings


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            profiles: dict[str, Any] = tomllib.load(handle)
            return profiles
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CliError(f"cannot read {path}: {exc}", ExitCode.USAGE) from exc
