"""``nudgescribe auth check``: prove the credentials work (tokens are never shown)."""

from __future__ import annotations

import click

from nudgescribe_sync.cli.app import State, common_options, pass_state
from nudgescribe_sync.cli.output import table

__all__ = ["group"]


@click.group("auth")
def group() -> None:
    """Authentication."""


@group.command("check")
@common_options
@pass_state
def check(state: State) -> None:
    """Authenticate once and report where and for how long (exit 3 if refused)."""
    client = state.client()
    tokens = client.auth.authenticate()
    result = {
        "authenticated": True,
        "base_url": client.base_url,
        "token_type": tokens.token_type,
        "expires_in": tokens.expires_in,
    }
    state.output.data(
        result,
        table(
            None,
            ["authenticated", "base URL", "token expires in"],
            [["yes", client.base_url, f"{tokens.expires_in} s"]],
        ),
    )
