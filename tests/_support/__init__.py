"""Helpers shared by the tests: one place for everything that is neither a test nor a fixture.

Test modules and conftests import from here (never from a conftest or from another test
module; ``tests/test_layout.py`` checks that). Conftests only declare fixtures built from these.

* ``credentials``: the fake base URL, credentials, secrets and JWTs of the mocked API.
* ``mocked``: aioresponses (with its aiohttp shim) and what tests read back from it.
* ``threaded``: a reference server on its own thread, for blocking clients and the CLI.
* ``worlds``: the seeded datasets fixtures hand to tests (ids only).
* ``raw_api``: raw HTTP calls to the reference server, for its contract tests.
* ``cli``: running the installed ``nudgescribe`` command.
* ``fake_pages``: in-memory page fetchers that drive the pagers.
* ``openapi_doc``, ``strategies``, ``typing_scope``: the OpenAPI document, hypothesis
  strategies, and annotations resolved as mypy sees them.
"""
