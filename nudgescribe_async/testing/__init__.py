"""Local reference server for the Nudgescribe client API, for tests, benchmarks and demos.

An in-memory, aiohttp.web implementation of every endpoint in ``docs/contract.md`` (like
stripe-mock or moto), with Python-side test controls and fault injection.

Start it three ways::

    async with ReferenceServer() as server:           # ephemeral loopback port
        client = AsyncNudgescribe(**server.client_kwargs())

    $ python -m nudgescribe_async.testing --port 8080 --seed demo   # prints export lines

    async def test_x(nudgescribe_server, nudgescribe_client): ...   # pytest fixtures
    def test_y(nudgescribe_sync_server, nudgescribe_sync_client): ... # blocking tests

Blocking code uses ``nudgescribe_sync.testing.SyncReferenceServer`` (the server on its own
thread): a blocking client cannot call a server that runs on its own, blocked, event loop.

Options of ``ReferenceServer(...)``: ``seed`` (None or ``"demo"``), ``host``, ``port``,
``access_token_ttl`` / ``refresh_token_ttl`` (seconds, floats allowed), ``job_delay`` (seconds
before background jobs complete; 0 = next loop turn; None = only on ``finish_jobs()``),
``quotas`` (``{"publish": n, "pages": n}``; ``pages`` counts ``/v1/messages/fetch`` calls),
``export_rows_per_file`` (<= 1000), ``background_upload_threshold`` (1000),
``file_url_ttl`` (900 s), ``request_log_limit`` (10,000).

Controls (plain Python, on the server's event loop; nothing goes over HTTP):

* Accounts: ``server.demo_credentials`` (:class:`Credentials`: ``api_key``, ``email``,
  ``api_secret``, ``api_code``, ``account_id``, ``encryption_key``, ``decrypt()``);
  ``server.create_account(...)``; ``server.client_kwargs(creds)``; ``server.env(creds)``;
  ``server.revoke_tokens(creds)``; ``server.advance_clock(seconds)`` (one clock: tokens and
  download URLs expire, and later timestamps move too); ``server.set_quota(name, limit, creds)``;
  ``server.usage(name, creds)``.
* Seeding (default account: demo): ``seed_workspace(name)``,
  ``seed_profile_field(workspace_id, field_name, field_type, field_format=, is_required=,
  is_unique=)``, ``seed_group(workspace_id, name)``, ``seed_customers(group_id, rows)`` or
  ``seed_customers(group_id, count=200_000)`` (synthetic valid rows; 200k in 1.3 s on an idle
  machine, ~3 s on a busy one),
  ``seed_campaign(workspace_id, name, customer_group_id=, status=, segment_field=)`` in any
  status with one message per customer, ``approve_campaign(id)`` (Ready for review -> Ready to
  publish), ``rerun_campaign(id, group_id)``. Bad seeds raise :class:`SeedError`.
* Jobs: ``server.finish_jobs()``, ``server.set_job_delay(seconds_or_None)``,
  ``server.pending_jobs``.
* Observation: ``server.requests`` (:class:`RequestRecord`: ``method``, ``path``, ``headers``,
  ``json``, ``form``, ``status``, ``request_id``), ``server.request_counts[path]``,
  ``server.request_count(path, method)``, ``server.clear_requests()``, ``server.state``.
* Faults: ``server.faults.add(path, kind=..., times=1, method=None, ...)`` with kinds
  ``latency`` (``seconds``), ``fail`` (``status``, ``body``, ``error_code``, ``message``),
  ``rate_limit`` (``retry_after``), ``drop``, ``drop_after``, ``truncate``, ``hang``;
  ``times=None`` = standing rule; ``server.faults.remove(rule)`` / ``clear()``. See
  :class:`Faults`.

Profile values come back "encrypted" as ``"enc:v1:" + base64(utf8(plaintext) XOR
cycle(account_key))`` where ``account_key = sha256(b"nudgescribe-reference-server:" +
account_id)``; decrypt with ``decrypt_demo_value(creds.encryption_key, value)`` or
``server.decrypt(value)``. Not real encryption: a stand-in for the unpublished scheme.

CHOSEN server behaviours worth knowing: a customer page past the end is empty (200); an exported
file past the end is 404; unknown ids in a delete list give 404 and nothing is deleted; uploads
are validated synchronously whatever their size; a publish or rerun while a job of the campaign
is pending gives 409; as published, a rerun leaves the campaign ``Ready for review`` (new
segments) or ``Ready to publish`` (all matched) at once, while its job generates the messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nudgescribe_async.testing._cipher import (
        DecryptError,
        decrypt_demo_value,
        encrypt_demo_value,
    )
    from nudgescribe_async.testing._core import RequestRecord
    from nudgescribe_async.testing._faults import FaultRule, Faults
    from nudgescribe_async.testing._seeding import SeedError
    from nudgescribe_async.testing._server import Credentials, ReferenceServer

__all__ = [
    "Credentials",
    "DecryptError",
    "FaultRule",
    "Faults",
    "ReferenceServer",
    "RequestRecord",
    "SeedError",
    "decrypt_demo_value",
    "encrypt_demo_value",
]


def __getattr__(name: str) -> object:
    """Load the server on first use of any public name (not on ``import``).

    The ``pytest11`` entry point imports ``nudgescribe_async.testing.pytest_plugin`` in every
    pytest session of every project that has the SDK installed; this package's ``__init__``
    runs first, so it must not bring ``aiohttp.web`` and the whole server with it.
    """
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from nudgescribe_async._public import publish
    from nudgescribe_async.testing import _cipher, _core, _faults, _seeding, _server

    namespace = {
        **{
            n: getattr(_cipher, n)
            for n in ("DecryptError", "decrypt_demo_value", "encrypt_demo_value")
        },
        "RequestRecord": _core.RequestRecord,
        "FaultRule": _faults.FaultRule,
        "Faults": _faults.Faults,
        "SeedError": _seeding.SeedError,
        "Credentials": _server.Credentials,
        "ReferenceServer": _server.ReferenceServer,
    }
    publish(__name__, namespace, __all__)
    globals().update(namespace)
    return namespace[name]


def __dir__() -> list[str]:
    """The public names too, before they are loaded."""
    return sorted({*globals(), *__all__})
