"""Import cost: the packages load models, resources, cattrs and anyio only when first needed.

Each check runs in a fresh interpreter, since this test process has imported everything.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

HEAVY = (
    "cattrs",
    "anyio",
    "nudgescribe_async.models",
    "nudgescribe_async.resources",
    "nudgescribe_async._convert",
    "nudgescribe_async._transport",
    "nudgescribe_async._sender",
    "nudgescribe_async._connection",
    "nudgescribe_async._auth",
    "nudgescribe_async.testing",
    "nudgescribe_async.dask",
    "nudgescribe_async.openapi",
    "nudgescribe_cli",
)


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_plain_import_loads_no_heavy_module() -> None:
    """`import nudgescribe_sync` and `nudgescribe_async` leave models, cattrs and anyio unloaded."""
    out = _run(
        f"""
        import sys
        import nudgescribe_sync, nudgescribe_async
        print(sorted(m for m in {HEAVY!r} if m in sys.modules))
        """
    )
    assert out == "[]"


def test_every_public_sync_name_resolves_and_is_listed() -> None:
    """Each name of `nudgescribe_sync.__all__` imports, is listed by dir() and star-imports."""
    out = _run(
        """
        import nudgescribe_sync
        missing = [n for n in nudgescribe_sync.__all__ if n not in dir(nudgescribe_sync)]
        values = {n: getattr(nudgescribe_sync, n) for n in nudgescribe_sync.__all__}
        from nudgescribe_sync import *  # noqa: F403
        from nudgescribe_sync import Customer
        from nudgescribe_async.models import Customer as AsyncCustomer
        print(missing, len(values) == len(nudgescribe_sync.__all__), Customer is AsyncCustomer,
              "CampaignStatus" in globals())
        """
    )
    assert out == "[] True True True"


def test_unknown_name_still_raises_attribute_error() -> None:
    """A name the package does not export raises AttributeError, also via `from ... import`."""
    out = _run(
        """
        import nudgescribe_sync, nudgescribe_async
        for module in (nudgescribe_sync, nudgescribe_async):
            try:
                module.NoSuchThing
            except AttributeError as exc:
                print(type(exc).__name__)
        try:
            from nudgescribe_sync import NoSuchThing  # noqa: F401
        except ImportError:
            print("ImportError")
        """
    )
    assert out.split() == ["AttributeError", "AttributeError", "ImportError"]


def test_subpackages_reachable_as_attributes_after_plain_import() -> None:
    """`nudgescribe_async.models` and `.resources` work as attributes right after the import."""
    out = _run(
        """
        import nudgescribe_async
        print(nudgescribe_async.models.Customer.__name__,
              nudgescribe_async.resources.AsyncCustomers.__name__)
        """
    )
    assert out == "Customer AsyncCustomers"


def test_first_client_loads_what_it_needs() -> None:
    """Constructing a blocking client loads the resources, models and converter it uses."""
    out = _run(
        """
        import sys
        import nudgescribe_sync
        with nudgescribe_sync.Nudgescribe(
            api_key="k", api_secret="s", email="e@example.com", api_code="c",
            base_url="http://127.0.0.1:9",
        ) as client:
            print(type(client.customers).__name__,
                  all(m in sys.modules for m in ("nudgescribe_async.models",
                                                 "nudgescribe_async._convert", "anyio")))
        """
    )
    assert out == "Customers True"


def test_pytest_plugin_import_loads_no_server_module() -> None:
    """The pytest11 plugin module (loaded in every pytest session) leaves the server unloaded."""
    out = _run(
        """
        import sys
        import nudgescribe_async.testing.pytest_plugin
        loaded = [m for m in sys.modules if m.startswith("nudgescribe_async.testing._")]
        print(sorted(loaded), "aiohttp.web" in sys.modules)
        """
    )
    assert out == "[] False"


def test_testing_names_load_on_first_use_with_public_module() -> None:
    """`nudgescribe_async.testing` names resolve, are listed and report the public module."""
    out = _run(
        """
        import pickle
        import nudgescribe_async.testing as testing
        listed = all(n in dir(testing) for n in testing.__all__)
        from nudgescribe_async.testing import ReferenceServer, SeedError
        from nudgescribe_async.testing import *  # noqa: F403
        values = [getattr(testing, n) for n in testing.__all__]
        same = pickle.loads(pickle.dumps(SeedError)) is SeedError
        print(listed, ReferenceServer.__module__, same)
        """
    )
    assert out == "True nudgescribe_async.testing True"
